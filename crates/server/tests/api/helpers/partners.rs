//! Partners set-ups: commission models, introducers and their trees, promotion-link tenants,
//! closed positions published as the trading core publishes them, and commission balances.

use brokercrm_app::partners::accrual::COMMISSION_CURRENCY;
use brokercrm_app::trading::events::PositionClosed;
use brokercrm_core::money::ledger::AccountKey;
use brokercrm_core::{Currency, Money};
use brokercrm_engine::fixed::Lots;
use brokercrm_store::repo::money::ledger::accounts;
use serde_json::{Value, json};

use super::TestApp;
use super::http::{post, put};
use super::money::m;

/// Creates a commission model with `levels`; returns its id.
pub async fn model(t: &TestApp, admin: &str, name: &str, levels: Value) -> i64 {
    let body = json!({"name": name, "greyLabelingEnabled": false, "commissionModelLevels": levels});
    let (s, b) = post(t, admin, "/api/commission-models", body).await;
    assert_eq!(s, 200, "{b}");
    b["id"].as_i64().unwrap()
}

/// Makes user `uuid` an introducer with `model` (`None`: by the tree, else the default).
pub async fn make_ib(t: &TestApp, admin: &str, uuid: &str, model: Option<i64>) -> Value {
    let path = format!("/api/introducers/{uuid}");
    let (s, b) = put(t, admin, &path, json!({"commissionModelId": model})).await;
    assert_eq!(s, 200, "{b}");
    b
}

/// Makes `ib` (public id) the introducer of `customer` (public id).
pub async fn assign(t: &TestApp, admin: &str, customer: &str, ib: &str) {
    let path = format!("/api/customers/{customer}/introducer");
    let (s, b) = put(t, admin, &path, json!({"introducerId": ib})).await;
    assert_eq!(s, 200, "{b}");
}

/// Issues a promotion-link tenant: (tenant id, token).
pub async fn tenant(t: &TestApp, admin: &str) -> (String, String) {
    let (s, b) = post(t, admin, "/api/promotion-link-tenants", json!({"name": "IB office"})).await;
    assert_eq!(s, 200, "{b}");
    (b["tenantId"].as_str().unwrap().to_owned(), b["token"].as_str().unwrap().to_owned())
}

/// A closed position of `customer_id` on `wallet_id`, as trading publishes it.
pub fn closed(
    customer_id: i64,
    wallet_id: i64,
    transfer_id: &str,
    lots: &str,
    pl: &str,
) -> PositionClosed {
    PositionClosed {
        position_id: 1,
        wallet_id,
        customer_id,
        demo: false,
        symbol: "EURUSD".into(),
        lots: Lots::from_minor(m(lots).minor()),
        currency: Currency::USD,
        realised_pl: m(pl),
        commission: m("3"),
        swap: m("0.01"),
        transfer_id: transfer_id.into(),
    }
}

/// Publishes `e` in its own write transaction (as the trading core does when it closes).
pub async fn publish_closed(t: &TestApp, e: &PositionClosed) {
    let tx = t.app.db().begin_write().await.unwrap();
    t.app.events().publish(&tx, e).await.unwrap();
    brokercrm_store::db::commit(tx).await.unwrap();
}

/// What the broker owes introducer `user_id` in commissions (posted balance).
pub async fn payable(t: &TestApp, user_id: i64) -> Money {
    let key = AccountKey::introducer_commissions(user_id, COMMISSION_CURRENCY).unwrap().key();
    match accounts::find_by_key(t.app.db().conn(), &key).await.unwrap() {
        Some(a) => Money::from_minor(a.balance),
        None => Money::ZERO,
    }
}

/// The introducer's own commission records (as it sees them).
pub async fn own_records(t: &TestApp, token: &str) -> Vec<Value> {
    let (s, b) = super::http::get(t, token, "/api/me/commission-ledger?order=ASC").await;
    assert_eq!(s, 200, "{b}");
    b["commissionLedger"].as_array().unwrap().clone()
}
