//! Introducers (IBs) and attribution: staff make a user an introducer (with a commission
//! model, or the default) and assign a customer to an introducer, audited; a sign-up carrying
//! an introducer's referral key or a promotion link's code is attributed at once (Agent links
//! also make the new user a sub-introducer). Each customer has at most one introducer; the
//! tree never loops. The model in force for an introducer: its own, else its introducer's
//! model's sub-introducers' model, else the default.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::partners::commissions::{CommissionLevel, MAX_LEVELS};
use brokercrm_core::partners::promo_links::IntroduceType;
use brokercrm_core::{Error, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::partners::commission_models::{self as models, CommissionModelRow};
use brokercrm_store::repo::partners::introducers as repo;
use brokercrm_store::repo::partners::promo_links;
use brokercrm_store::{ConnectionTrait, DatabaseTransaction as Tx};
use serde::Serialize;

use crate::identity::events::SigningUp;
use crate::platform::audit::{self, Audit};
use crate::platform::events::Reaction;
use crate::{App, Principal};

/// Where a referral came from.
pub const FROM_REFERRAL_CODE: &str = "referral_code";
pub const FROM_PROMOTION_LINK: &str = "promotion_link";
pub const FROM_STAFF: &str = "staff";

/// An introducer as staff see it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntroducerView {
    pub user_id: String,
    pub commission_model_id: Option<i64>,
    /// The introducer's own introducer (its parent in the tree).
    pub parent_id: Option<String>,
    pub referral_key: String,
}

async fn user_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    what: &'static str,
) -> Result<UserRow> {
    users::find_by_uuid(conn, uuid).await?.ok_or(Error::NotFound(what))
}

/// Makes user `uuid` an introducer with commission model `model_id` (`None`: the model in
/// force by the tree, else the default), or changes its model. Audited.
pub async fn make_introducer(
    app: &App,
    actor: &Principal,
    uuid: &str,
    model_id: Option<i64>,
) -> Result<IntroducerView> {
    actor.require(Permission::ManageCommissions)?;
    let tx = app.db().begin_write().await?;
    let user = user_by_uuid(&tx, uuid, "user").await?;
    if let Some(id) = model_id {
        models::find_by_id(&tx, id)
            .await?
            .ok_or_else(|| Error::field("commissionModelId", "no such commission model"))?;
    }
    repo::insert(&tx, user.id, model_id).await?;
    repo::set_model(&tx, user.id, model_id).await?;
    let view = view_of(&tx, &user).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("introducer.set", "user", user.uuid.clone())
            .details(format!("{} is an introducer", user.email))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

async fn view_of(tx: &Tx, user: &UserRow) -> Result<IntroducerView> {
    let row = repo::find(tx, user.id).await?.ok_or(Error::NotFound("introducer"))?;
    let parent = match repo::referral(tx, user.id).await? {
        Some(r) => users::find_by_id(tx, r.introducer_id).await?.map(|u| u.uuid),
        None => None,
    };
    Ok(IntroducerView {
        user_id: user.uuid.clone(),
        commission_model_id: row.commission_model_id,
        parent_id: parent,
        referral_key: user.ref_key.clone(),
    })
}

/// Assigns customer `customer` to introducer `introducer` (both user uuids), replacing any
/// earlier introducer; refused when it would make the tree loop. Audited.
pub async fn assign(
    app: &App,
    actor: &Principal,
    customer: &str,
    introducer: &str,
) -> Result<IntroducerView> {
    actor.require(Permission::ManageCommissions)?;
    let tx = app.db().begin_write().await?;
    let c = user_by_uuid(&tx, customer, "customer").await?;
    let ib = users::find_by_uuid(&tx, introducer)
        .await?
        .ok_or_else(|| Error::field("introducerId", "no such user"))?;
    if repo::find(&tx, ib.id).await?.is_none() {
        return Err(Error::field("introducerId", "is not an introducer"));
    }
    let above = repo::chain(&tx, ib.id, usize::MAX).await?;
    if ib.id == c.id || above.contains(&c.id) {
        return Err(Error::field("introducerId", "would make the introducer tree loop"));
    }
    let before = repo::referral(&tx, c.id).await?.map(|r| r.introducer_id);
    if !repo::refer(&tx, c.id, ib.id, FROM_STAFF, None).await? {
        repo::reassign(&tx, c.id, ib.id, FROM_STAFF).await?;
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("referral.assign", "user", c.uuid.clone())
            .details(format!("{} introduced by {}", c.email, ib.email))
            .before(&before)
            .after(&ib.id),
    )
    .await?;
    let view = IntroducerView {
        user_id: c.uuid.clone(),
        commission_model_id: None,
        parent_id: Some(ib.uuid.clone()),
        referral_key: c.ref_key.clone(),
    };
    commit(tx).await?;
    Ok(view)
}

/// Attributes a new customer from its sign-up's referrer code (subscriber of
/// `identity::events::SigningUp`).
pub fn on_customer_signed_up<'a>(tx: &'a DatabaseTransaction, e: &'a SigningUp) -> Reaction<'a> {
    Box::pin(async move {
        let Some(code) = e.user.wtreferrer.as_deref().map(str::trim).filter(|c| !c.is_empty())
        else {
            return Ok(());
        };
        attribute(tx, e.user.id, code).await
    })
}

/// `code` is an introducer's referral key, or the code (`entityNo`) of a promotion link with
/// an owner (unique among tenants).
async fn attribute(tx: &Tx, customer_id: i64, code: &str) -> Result<()> {
    if let Some(owner) = users::find_by_ref_key(tx, code).await? {
        if owner.id != customer_id && repo::find(tx, owner.id).await?.is_some() {
            repo::refer(tx, customer_id, owner.id, FROM_REFERRAL_CODE, None).await?;
        }
        return Ok(());
    }
    let links = promo_links::by_code(tx, code, 2).await?;
    let [link] = links.as_slice() else { return Ok(()) };
    let Some(owner) = link.owner_user_id.filter(|o| *o != customer_id) else { return Ok(()) };
    repo::refer(tx, customer_id, owner, FROM_PROMOTION_LINK, Some(link.id)).await?;
    if IntroduceType::parse(&link.introduce_type) == Some(IntroduceType::Agent) {
        repo::insert(tx, customer_id, None).await?;
    }
    Ok(())
}

/// The levels that pay for introducer `ib`'s clients: the model in force for it (see the
/// module docs); empty when there is none.
pub async fn levels_of<C: ConnectionTrait>(conn: &C, ib: i64) -> Result<Vec<CommissionLevel>> {
    let Some(model) = model_of(conn, ib).await? else { return Ok(Vec::new()) };
    serde_json::from_str(&model.levels).map_err(|_| {
        Error::internal(format!("commission model {}: stored levels are invalid", model.id))
    })
}

/// The commission model in force for introducer `ib`.
pub async fn model_of<C: ConnectionTrait>(conn: &C, ib: i64) -> Result<Option<CommissionModelRow>> {
    let Some(row) = repo::find(conn, ib).await? else { return Ok(None) };
    if let Some(id) = row.commission_model_id {
        return models::find_by_id(conn, id).await;
    }
    let parent = repo::chain(conn, ib, 1).await?.first().copied();
    let parent_model = match parent {
        Some(p) => Box::pin(model_of(conn, p)).await?,
        None => None,
    };
    if let Some(sub) = parent_model.and_then(|m| m.sub_commission_model_id) {
        return models::find_by_id(conn, sub).await;
    }
    models::default_model(conn).await
}

/// Introducers above `customer_id`, nearest first, as deep as a model may pay.
pub async fn ancestors<C: ConnectionTrait>(conn: &C, customer_id: i64) -> Result<Vec<i64>> {
    repo::chain(conn, customer_id, MAX_LEVELS).await
}
