//! Conversions (seed tag Conversions): the configured path from a source currency to a target
//! currency (`EUR,USD,BTC`), one per pair; every leg must have a rate in one direction.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::fx::{format_path, parse_path};
use brokercrm_core::{Currency, Error, Result, Violations};
use brokercrm_store::repo::money::fx::conversions::{self, CurrencyConversionRow};
use brokercrm_store::{ConnectionTrait, db};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{leg, stored_currency};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A configured conversion path.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ConversionDto)]
pub struct ConversionView {
    pub id: i64,
    #[schema(value_type = String, example = "BTC")]
    pub target: Currency,
    #[schema(value_type = String, example = "EUR")]
    pub source: Currency,
    /// Currency codes from `source` to `target`, joined by `,`.
    #[schema(example = "EUR,USD,BTC")]
    pub path: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ConversionView {
    fn of(row: CurrencyConversionRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            target: stored_currency(&row.target)?,
            source: stored_currency(&row.source)?,
            path: row.path,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Body of "Create a new currency conversion".
#[derive(Debug, Clone)]
pub struct ConversionInput {
    pub target: String,
    pub source: String,
    pub path: String,
}

/// The numeric id from the path; anything else cannot exist.
fn conversion_id(raw: &str) -> Result<i64> {
    raw.trim().parse::<i64>().map_err(|_| Error::NotFound("conversion"))
}

/// The canonical path, each of whose legs has a rate (checked on `conn`). Errors name `path`.
async fn checked_path<C: ConnectionTrait>(
    conn: &C,
    raw: &str,
    source: Currency,
    target: Currency,
) -> Result<String> {
    let codes = parse_path("path", raw, source, target)?;
    for pair in codes.windows(2) {
        if let [a, b] = pair
            && leg(conn, *a, *b).await?.is_none()
        {
            return Err(Error::field(
                "path",
                format!("no exchange rate between {a} and {b} (in either direction)"),
            ));
        }
    }
    Ok(format_path(&codes))
}

/// "List all currency conversions", by id (ReadExchangeRates).
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<ConversionView>> {
    actor.require(Permission::ReadExchangeRates)?;
    conversions::list(app.db().conn()).await?.into_iter().map(ConversionView::of).collect()
}

/// "Get a specific currency conversion by ID" (ReadExchangeRates).
pub async fn get(app: &App, actor: &Principal, id: &str) -> Result<ConversionView> {
    actor.require(Permission::ReadExchangeRates)?;
    let id = conversion_id(id)?;
    ConversionView::of(
        conversions::get(app.db().conn(), id).await?.ok_or(Error::NotFound("conversion"))?,
    )
}

/// "Create a new currency conversion" (ManageExchangeRates); one per pair. Audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    input: ConversionInput,
) -> Result<ConversionView> {
    actor.require(Permission::ManageExchangeRates)?;
    let mut v = Violations::new();
    let source = v.check(Currency::parse("source", input.source.trim()));
    let target = v.check(Currency::parse("target", input.target.trim()));
    if source.is_some() && source == target {
        v.push("target", "must differ from source");
    }
    if input.path.trim().is_empty() {
        v.push("path", "must not be empty");
    }
    v.finish()?;
    let (Some(source), Some(target)) = (source, target) else {
        return Err(Error::internal("validated conversion input incomplete"));
    };
    let tx = app.db().begin_write().await?;
    let path = checked_path(&tx, &input.path, source, target).await?;
    let row = conversions::insert(&tx, source.as_str(), target.as_str(), &path).await.map_err(
        |e| match e {
            Error::Conflict(_) => {
                Error::Conflict(format!("a conversion from {source} to {target} already exists"))
            }
            other => other,
        },
    )?;
    let view = ConversionView::of(row)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("conversion.create", "conversion", view.id.to_string())
            .details(format!("conversion {source} → {target} via {path} created"))
            .after(&view),
    )
    .await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Update a specific currency conversion by ID" (ManageExchangeRates): replaces the path; an
/// absent path changes nothing. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    id: &str,
    path: Option<String>,
) -> Result<ConversionView> {
    actor.require(Permission::ManageExchangeRates)?;
    let id = conversion_id(id)?;
    let tx = app.db().begin_write().await?;
    let before =
        ConversionView::of(conversions::get(&tx, id).await?.ok_or(Error::NotFound("conversion"))?)?;
    let Some(raw) = path else {
        return Ok(before);
    };
    let path = checked_path(&tx, &raw, before.source, before.target).await?;
    if !conversions::update_path(&tx, id, &path).await? {
        return Err(Error::NotFound("conversion"));
    }
    let after =
        ConversionView::of(conversions::get(&tx, id).await?.ok_or(Error::NotFound("conversion"))?)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("conversion.update", "conversion", id.to_string())
            .details(format!("conversion {} → {} now via {path}", after.source, after.target))
            .before(&before)
            .after(&after),
    )
    .await?;
    db::commit(tx).await?;
    Ok(after)
}

/// "Delete a specific currency conversion by ID" (ManageExchangeRates). Audited.
pub async fn delete(app: &App, actor: &Principal, id: &str) -> Result<()> {
    actor.require(Permission::ManageExchangeRates)?;
    let id = conversion_id(id)?;
    let tx = app.db().begin_write().await?;
    let before =
        ConversionView::of(conversions::get(&tx, id).await?.ok_or(Error::NotFound("conversion"))?)?;
    conversions::delete(&tx, id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("conversion.delete", "conversion", id.to_string())
            .details(format!("conversion {} → {} deleted", before.source, before.target))
            .before(&before),
    )
    .await?;
    db::commit(tx).await
}
