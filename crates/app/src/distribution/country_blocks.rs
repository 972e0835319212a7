//! Blocked countries: leads from a blocked country are refused (`BLOCK_COUNTRY`), for every
//! offer (global block) or for one offer.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::CountryCode;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::country_blocks::{self, CountryBlockRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, ids, offer_id, offer_uuids};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A block as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CountryBlockDto)]
pub struct CountryBlockView {
    pub id: i64,
    /// ISO-2.
    #[schema(example = "US")]
    pub country: String,
    /// `null`: blocked for every offer.
    pub offer_uuid: Option<String>,
    pub created_at: DateTime<Utc>,
}

async fn views<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<CountryBlockRow>,
) -> Result<Vec<CountryBlockView>> {
    let offers = offer_uuids(conn, &ids(rows.iter().map(|r| r.offer_id))).await?;
    Ok(rows
        .into_iter()
        .map(|r| CountryBlockView {
            id: r.id,
            country: r.country,
            offer_uuid: r.offer_id.and_then(|o| offers.get(&o).cloned()),
            created_at: r.created_at,
        })
        .collect())
}

/// Blocks by id.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<Vec<CountryBlockView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    views(conn, country_blocks::list(conn, page.offset, page.limit).await?).await
}

/// Blocks `country`, globally or for one offer; an existing identical block is a `Conflict`.
/// Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    country: &str,
    offer_uuid: Option<&str>,
) -> Result<CountryBlockView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let mut v = Violations::new();
    let country = v.check(CountryCode::parse("country", country));
    let offer = match offer_uuid.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => v.check(offer_id(&tx, "offerUuid", u).await).map(Some),
        None => Some(None),
    };
    v.finish()?;
    let (Some(country), Some(offer)) = (country, offer) else {
        return Err(Error::internal("country block validation incomplete"));
    };
    // The read gives the usual case its message; the unique indexes (one per offer, one
    // global per country) decide a race between two admins.
    let taken = || Error::Conflict(format!("{} is already blocked there", country.as_str()));
    if country_blocks::exists(&tx, country.as_str(), offer).await? {
        return Err(taken());
    }
    let row = country_blocks::insert(&tx, country.as_str(), offer).await.map_err(|e| match e {
        Error::Conflict(_) => taken(),
        other => other,
    })?;
    let view = views(&tx, vec![row]).await?.pop().ok_or(Error::NotFound("country block"))?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("country_block.create", "country_block", view.id.to_string())
            .details(match &view.offer_uuid {
                Some(o) => format!("country {} blocked for offer {o}", view.country),
                None => format!("country {} blocked for every offer", view.country),
            })
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Lifts a block. Audited.
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = country_blocks::find_by_id(&tx, id).await?.ok_or(Error::NotFound("country block"))?;
    let before = views(&tx, vec![old]).await?.pop().ok_or(Error::NotFound("country block"))?;
    country_blocks::delete(&tx, id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("country_block.delete", "country_block", id.to_string())
            .details(format!("block of country {} lifted", before.country))
            .before(&before),
    )
    .await?;
    super::commit_config(app, tx).await
}
