//! Downtimes (seed tag Downtimes, 5 operations): windows in which trading the listed symbols
//! is closed. Staff read them with ReadInstruments and change them with ManageInstruments
//! (audited). `is_down` tells the order path and the client's instrument list whether a
//! symbol is in a window now.

use std::collections::BTreeSet;
use std::sync::Arc;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db;
use brokercrm_store::repo::trading::downtimes::{self as repo, DowntimeData, DowntimeRow};
use brokercrm_store::repo::trading::instruments;
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most symbols one downtime lists.
const MAX_SYMBOLS: usize = 500;

/// A downtime.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DowntimeDto)]
pub struct DowntimeView {
    pub id: i64,
    #[schema(example = "Christmas")]
    pub title: String,
    pub start_date: DateTime<Utc>,
    /// Exclusive: trading reopens at this time.
    pub end_date: DateTime<Utc>,
    #[schema(example = json!(["EURUSD"]))]
    pub symbols: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn symbols_of(r: &DowntimeRow) -> Vec<String> {
    serde_json::from_str(&r.symbols).unwrap_or_default()
}

impl DowntimeView {
    fn of(r: DowntimeRow) -> Self {
        Self {
            symbols: symbols_of(&r),
            id: r.id,
            title: r.title,
            start_date: r.start_date,
            end_date: r.end_date,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The body of create and update.
#[derive(Debug, Clone)]
pub struct DowntimeInput {
    pub title: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub symbols: Vec<String>,
}

async fn validate<C: ConnectionTrait>(conn: &C, n: DowntimeInput) -> Result<DowntimeData> {
    let mut v = Violations::new();
    let title = v.check(text("title", &n.title, 200));
    for (field, t) in [("startDate", n.start_date), ("endDate", n.end_date)] {
        if !(1970..=9999).contains(&t.year()) {
            v.push(field, "must be a time between the years 1970 and 9999");
        }
    }
    if n.end_date <= n.start_date {
        v.push("endDate", "must be after startDate");
    }
    if n.symbols.is_empty() || n.symbols.len() > MAX_SYMBOLS {
        v.push("symbols", format!("must list 1 to {MAX_SYMBOLS} symbols"));
    }
    let known: BTreeSet<String> =
        instruments::list(conn).await?.into_iter().map(|r| r.symbol).collect();
    let mut seen = BTreeSet::new();
    for (i, s) in n.symbols.iter().enumerate() {
        let s = s.trim();
        if !known.contains(s) {
            v.push(format!("symbols[{i}]"), "no instrument has this symbol");
        } else if !seen.insert(s.to_owned()) {
            v.push(format!("symbols[{i}]"), "is listed twice");
        }
    }
    v.finish()?;
    let symbols = serde_json::to_string(&seen).map_err(Error::internal)?;
    Ok(DowntimeData {
        title: title.unwrap_or_default(),
        start_date: n.start_date,
        end_date: n.end_date,
        symbols,
    })
}

/// "Get list of downtimes": newest start first, and the total.
pub async fn list(
    app: &App,
    actor: &Principal,
    limit: u64,
    offset: u64,
) -> Result<(Vec<DowntimeView>, u64)> {
    actor.require(Permission::ReadInstruments)?;
    let (rows, total) = repo::list(app.db().conn(), limit, offset).await?;
    Ok((rows.into_iter().map(DowntimeView::of).collect(), total))
}

/// "Get downtime by ID".
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<DowntimeView> {
    actor.require(Permission::ReadInstruments)?;
    repo::find(app.db().conn(), id).await?.map(DowntimeView::of).ok_or(Error::NotFound("downtime"))
}

/// "Create a new downtime".
pub async fn create(app: &App, actor: &Principal, n: DowntimeInput) -> Result<DowntimeView> {
    actor.require(Permission::ManageInstruments)?;
    let tx = app.db().begin_write().await?;
    let d = validate(&tx, n).await?;
    let view = DowntimeView::of(repo::insert(&tx, d).await?);
    let entry = Audit::new("downtime.create", "downtime", view.id.to_string())
        .details(format!("downtime '{}' created", view.title))
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.downtimes().forget_all();
    Ok(view)
}

/// "Update downtime by ID".
pub async fn update(
    app: &App,
    actor: &Principal,
    id: i64,
    n: DowntimeInput,
) -> Result<DowntimeView> {
    actor.require(Permission::ManageInstruments)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find(&tx, id).await?.ok_or(Error::NotFound("downtime"))?;
    let d = validate(&tx, n).await?;
    let row = repo::replace(&tx, id, d).await?.ok_or(Error::NotFound("downtime"))?;
    let (before, view) = (DowntimeView::of(old), DowntimeView::of(row));
    let entry = Audit::new("downtime.update", "downtime", id.to_string())
        .details(format!("downtime '{}' updated", view.title))
        .before(&before)
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.downtimes().forget_all();
    Ok(view)
}

/// "Delete downtime by ID".
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageInstruments)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find(&tx, id).await?.ok_or(Error::NotFound("downtime"))?;
    repo::delete(&tx, id).await?;
    let before = DowntimeView::of(old);
    let entry = Audit::new("downtime.delete", "downtime", id.to_string())
        .details(format!("downtime '{}' deleted", before.title))
        .before(&before);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.downtimes().forget_all();
    Ok(())
}

/// The downtimes not over when they were read, and when that was (the request path's cache).
pub(crate) type Kept = Arc<(DateTime<Utc>, Vec<DowntimeRow>)>;

/// Whether `symbol` is in a downtime at `at`, on the downtimes not over when this process last
/// read them (within `trading_cache_ttl`; a change through this process drops them).
pub async fn is_down(app: &App, symbol: &str, at: DateTime<Utc>) -> Result<bool> {
    let read_at = app.clock().now();
    let read = async {
        let rows = repo::ending_after(app.db().conn(), read_at).await?;
        Ok(Some(Arc::new((read_at, rows))))
    };
    let Some(kept) = app.downtimes().get_or_read((), read).await? else { return Ok(false) };
    let (read_at, rows) = &*kept;
    if at < *read_at {
        // The kept list has no window that ended before it was read.
        return Ok(down_at(app.db().conn(), at).await?.contains(symbol));
    }
    let open = rows.iter().filter(|r| r.start_date <= at && r.end_date > at);
    Ok(open.flat_map(symbols_of).any(|s| s == symbol))
}

/// The symbols in a downtime at `at`.
pub async fn down_at<C: ConnectionTrait>(conn: &C, at: DateTime<Utc>) -> Result<BTreeSet<String>> {
    Ok(repo::open_at(conn, at).await?.iter().flat_map(symbols_of).collect())
}
