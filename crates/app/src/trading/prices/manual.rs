//! A staff member's manual quote for one instrument (ManageInstruments; audited), and a price
//! provider's pushed batch (PushPrices, e.g. through an API key): both validated against the
//! instruments, then stored like any tick.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_engine::Price;
use brokercrm_store::repo::trading::instruments as instruments_repo;
use brokercrm_store::repo::trading::prices as repo;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::feed::Tick;
use super::format::{parse_price, price_text};
use super::ingest::{Ingested, ingest};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most ticks one push may carry.
pub const MAX_BATCH: usize = 10_000;
/// How far in the future a tick's time may be (clock skew).
const MAX_AHEAD: Duration = Duration::seconds(5);

/// The latest quote of a symbol.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PriceQuoteDto)]
pub struct QuoteView {
    #[schema(example = "EURUSD")]
    pub symbol: String,
    #[schema(example = "1.08500")]
    pub bid: String,
    #[schema(example = "1.08510")]
    pub ask: String,
    /// `simulator`, `manual` or the provider's name.
    pub source: String,
    pub time: DateTime<Utc>,
}

/// A pushed tick as received.
#[derive(Debug, Clone)]
pub struct RawTick {
    pub symbol: String,
    pub bid: Value,
    pub ask: Value,
    /// When it was quoted (default: now).
    pub time: Option<DateTime<Utc>>,
}

fn check_spread(v: &mut Violations, field: &str, bid: Option<Price>, ask: Option<Price>) {
    if let (Some(b), Some(a)) = (bid, ask)
        && a < b
    {
        v.push(field, "must not be below the bid");
    }
}

/// Sets the quote of `symbol` to `bid`/`ask` now.
pub async fn quote(
    app: &App,
    actor: &Principal,
    symbol: &str,
    bid: &Value,
    ask: &Value,
) -> Result<QuoteView> {
    actor.require(Permission::ManageInstruments)?;
    let conn = app.db().conn();
    let inst = instruments_repo::find(conn, symbol).await?.ok_or(Error::NotFound("instrument"))?;
    let decimals = u32::try_from(inst.decimals).unwrap_or(8);
    let mut v = Violations::new();
    let b = v.check(parse_price("bid", bid, decimals));
    let a = v.check(parse_price("ask", ask, decimals));
    check_spread(&mut v, "ask", b, a);
    v.finish()?;
    let (Some(bid), Some(ask)) = (b, a) else { return Err(Error::internal("unreachable")) };
    let at = app.clock().now();
    let tick = Tick { symbol: inst.symbol.clone(), bid, ask, at };
    ingest(app, "manual", vec![tick]).await?;
    let view = QuoteView {
        symbol: inst.symbol.clone(),
        bid: price_text(bid, decimals),
        ask: price_text(ask, decimals),
        source: "manual".into(),
        time: at,
    };
    let tx = app.db().begin_write().await?;
    let entry = Audit::new("instrument.quote", "instrument", inst.symbol.clone())
        .details(format!("manual quote {} {}/{}", inst.symbol, view.bid, view.ask))
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    brokercrm_store::db::commit(tx).await?;
    Ok(view)
}

/// The latest quote of `symbol` (anyone signed in), `None` before its first tick.
pub async fn latest(app: &App, symbol: &str) -> Result<Option<QuoteView>> {
    let conn = app.db().conn();
    let Some(inst) = instruments_repo::find(conn, symbol).await? else {
        return Err(Error::NotFound("instrument"));
    };
    let decimals = u32::try_from(inst.decimals).unwrap_or(8);
    Ok(repo::quote(conn, symbol).await?.map(|q| QuoteView {
        symbol: q.symbol,
        bid: price_text(Price::from_minor(q.bid), decimals),
        ask: price_text(Price::from_minor(q.ask), decimals),
        source: q.source,
        time: q.quoted_at,
    }))
}

/// Stores a provider's batch. A malformed tick (unknown symbol, bad or too precise price, ask
/// below bid, time in the future) is named (`ticks[3].bid`) and nothing is stored;
/// out-of-order and stale ticks are dropped and counted.
pub async fn push(app: &App, actor: &Principal, raw: Vec<RawTick>) -> Result<Ingested> {
    actor.require(Permission::PushPrices)?;
    if raw.len() > MAX_BATCH {
        return Err(Error::field("ticks", format!("must have at most {MAX_BATCH} ticks")));
    }
    let now = app.clock().now();
    let decimals: std::collections::HashMap<String, u32> = instruments_repo::list(app.db().conn())
        .await?
        .into_iter()
        .map(|r| (r.symbol, u32::try_from(r.decimals).unwrap_or(8)))
        .collect();
    let mut v = Violations::new();
    let mut ticks = Vec::with_capacity(raw.len());
    for (i, t) in raw.into_iter().enumerate() {
        let f = |k: &str| format!("ticks[{i}].{k}");
        let Some(d) = decimals.get(t.symbol.trim()).copied() else {
            v.push(f("symbol"), "no instrument has this symbol");
            continue;
        };
        let b = v.check(parse_price(&f("bid"), &t.bid, d));
        let a = v.check(parse_price(&f("ask"), &t.ask, d));
        check_spread(&mut v, &f("ask"), b, a);
        let at = t.time.unwrap_or(now);
        if at > now + MAX_AHEAD {
            v.push(f("time"), "must not be in the future");
        }
        if let (Some(bid), Some(ask)) = (b, a) {
            ticks.push(Tick { symbol: t.symbol.trim().to_owned(), bid, ask, at });
        }
    }
    v.finish()?;
    ingest(app, &format!("push:{}", actor.user_id), ticks).await
}
