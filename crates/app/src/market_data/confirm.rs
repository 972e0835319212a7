//! "Confirm subscription": the application confirms an order by its confirmation id, on the
//! path of the API version the order was activated with. Before the wizard is done the order
//! waits for it; after, it completes now.

use brokercrm_core::market_data::{MdResult, Refusal};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::orders;

use crate::App;
use crate::market_data::accounts::{account_of, record};
use crate::market_data::completion;

pub async fn confirm(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
    version: i16,
    confirmation_id: Option<&str>,
) -> MdResult<()> {
    let Some(cid) = confirmation_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(Refusal::bad_request("Confirmation ID must be specified.").into());
    };
    let now = app.clock().now();
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    let order = orders::find_by_confirmation(&tx, cid)
        .await?
        .filter(|o| o.account_id == account.id)
        .filter(|o| o.api_version == version)
        .filter(|o| o.state == orders::PENDING && o.expires_at > now)
        .ok_or(Refusal::OrderNotFound)?;
    if order.confirmed_at.is_none() {
        orders::mark(&tx, order.id, true, now).await?;
        record(&tx, app, account.id, "order.confirmed", format!("v{version}")).await?;
    }
    let order = orders::find_by_id(&tx, order.id).await?.ok_or(Refusal::OrderNotFound)?;
    if completion::ready(&order) {
        completion::complete(&tx, app, application, &account, &order).await?;
    }
    commit(tx).await?;
    Ok(())
}
