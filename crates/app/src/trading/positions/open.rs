//! "Create position": a client on its own wallet at market, or as a pending limit/stop order
//! when it names an `openPrice`; staff (ManagePositions) on a customer's wallet at market or
//! at an overriding `openPrice` (audited). Every check runs before anything is written; a
//! fill charges the group's opening commission and needs the free margin for its margin.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::WalletStatus;
use brokercrm_core::trading::positions::{self as rules, OrderKind, Platform, Side, Status};
use brokercrm_core::{Currency, Error, Result, Violations};
use brokercrm_engine::maths;
use brokercrm_engine::{Lots, Price};
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::orders;
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use super::figures::{self, close_price};
use super::fill::{opened_audit, order_of};
use super::lane;
use super::market::{self, Market};
use super::neo;
use super::view::PositionView;
use crate::money::wallets::visible;
use crate::platform::audit;
use crate::{App, Principal};

/// "Create position" as received.
#[derive(Debug, Clone, Default)]
pub struct OpenInput {
    pub size: Value,
    pub side: String,
    pub symbol: String,
    pub platform: Option<String>,
    pub stop_loss: Option<Value>,
    pub account_id: Option<i64>,
    pub open_price: Option<Value>,
    pub take_profit: Option<Value>,
    pub trailing_pct: Option<Value>,
    /// NEO: the invested amount, the maximum risk (percent) and the duration (seconds).
    pub invest: Option<Value>,
    pub max_risk: Option<Value>,
    pub close_after_seconds: Option<Value>,
}

/// A decimal from a JSON number or string; null is `None`.
pub fn decimal(field: &str, raw: Option<&Value>) -> Result<Option<Decimal>> {
    let bad = || Error::field(field, "must be a decimal number");
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad()),
        Some(Value::Number(n)) => n.to_string().parse().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// A price of `m` (its decimals) at 10^-8.
pub fn price_of(m: &Market, field: &str, raw: Option<&Value>) -> Result<Option<Price>> {
    let Some(d) = decimal(field, raw)? else { return Ok(None) };
    m.spec.check_price(field, d)?;
    Price::from_decimal(d).map(Some).ok_or_else(|| Error::field(field, "is out of range"))
}

/// Stop loss, take profit and trailing percentage of `m`, checked against `reference`.
pub type Stops = (Option<Price>, Option<Price>, Option<Decimal>);

pub fn stops(
    m: &Market,
    side: Side,
    reference: Price,
    sl: Option<&Value>,
    tp: Option<&Value>,
    trailing: Option<&Value>,
) -> Result<Stops> {
    let mut v = Violations::new();
    let sl = v.check(price_of(m, "stopLoss", sl)).flatten();
    let tp = v.check(price_of(m, "takeProfit", tp)).flatten();
    let tr = v
        .check(decimal("tailingStopLossPct", trailing))
        .flatten()
        .and_then(|d| v.check(rules::trailing_pct("tailingStopLossPct", d)));
    v.finish()?;
    rules::check_stops(side, reference.minor(), sl.map(Price::minor), tp.map(Price::minor))?;
    Ok((sl, tp, tr))
}

fn new_position(
    w: &WalletRow,
    m: &Market,
    side: Side,
    lots: Lots,
    platform: Platform,
) -> PositionRow {
    let now = brokercrm_store::db::now();
    PositionRow {
        id: 0,
        wallet_id: w.id,
        user_id: w.user_id,
        demo: w.is_demo,
        currency: w.currency.clone(),
        symbol: m.spec.symbol.clone(),
        side: side.as_str().to_owned(),
        status: Status::Open.as_str().to_owned(),
        platform: platform.as_str().to_owned(),
        size: lots.minor(),
        open_price: None,
        close_price: None,
        stop_loss: None,
        take_profit: None,
        trailing_pct: None,
        trailing_stop: None,
        invest: None,
        close_after_seconds: None,
        margin: 0,
        commission: 0,
        swap: 0,
        closed_pl: None,
        closed_pl_account: None,
        closed_reason: None,
        external_id: uuid::Uuid::now_v7().to_string(),
        swap_date: None,
        close_due_at: None,
        version: 0,
        opened_at: None,
        closed_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// Checks the request and the wallet; returns the wallet, market, side, lots and platform.
async fn check(
    app: &App,
    actor: &Principal,
    n: &OpenInput,
) -> Result<(WalletRow, Market, Side, Lots, Platform)> {
    if actor.role.is_staff() {
        actor.require(Permission::ManagePositions)?;
    }
    let mut v = Violations::new();
    let side = v.check(Side::parse("side", &n.side));
    let platform = match n.platform.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(p) => v.check(Platform::parse("platform", p)),
        None => Some(Platform::Pro),
    };
    let size = if platform == Some(Platform::Neo) {
        Some(Decimal::ZERO) // derived from `invest` at the fill price
    } else {
        v.check(decimal("size", Some(&n.size)).and_then(|d| {
            d.filter(|d| d.is_sign_positive() && !d.is_zero())
                .ok_or_else(|| Error::field("size", "must be a positive number of lots"))
        }))
    };
    if platform != Some(Platform::Neo) {
        for (field, raw) in [
            ("invest", &n.invest),
            ("maxRisk", &n.max_risk),
            ("closePositionAfterSeconds", &n.close_after_seconds),
        ] {
            if raw.as_ref().is_some_and(|r| !r.is_null()) {
                v.check::<()>(Err(Error::field(field, "is for NEO positions only")));
            }
        }
    }
    if n.symbol.trim().is_empty() {
        v.check::<()>(Err(Error::field("symbol", "is required")));
    }
    if n.account_id.is_none() {
        v.check::<()>(Err(Error::field("accountId", "is required")));
    }
    v.finish()?;
    let (Some(side), Some(platform), Some(size), Some(wallet_id)) =
        (side, platform, size, n.account_id)
    else {
        return Err(Error::internal("checked fields missing"));
    };
    let conn = app.db().conn();
    let w = visible(conn, actor, wallet_id, Permission::ManagePositions).await?;
    if WalletStatus::parse("status", &w.status)? != WalletStatus::Active {
        return Err(Error::field("accountId", "the wallet is disabled"));
    }
    let m = market::cached(app, "symbol", &n.symbol).await?;
    if platform == Platform::Neo {
        return Ok((w, m, side, Lots::from_minor(0), platform));
    }
    m.spec.check_size("size", size)?;
    let lots = Lots::from_decimal(size).ok_or_else(|| Error::field("size", "is out of range"))?;
    Ok((w, m, side, lots, platform))
}

/// "Create position" (see the module docs).
pub async fn create(app: &App, actor: &Principal, n: OpenInput) -> Result<PositionView> {
    let (w, m, side, mut lots, platform) = check(app, actor, &n).await?;
    let conn = app.db().conn();
    let neo = match platform {
        Platform::Neo => Some(
            neo::check(
                app,
                decimal("invest", n.invest.as_ref()),
                decimal("maxRisk", n.max_risk.as_ref()),
                decimal("closePositionAfterSeconds", n.close_after_seconds.as_ref()),
            )
            .await?,
        ),
        Platform::Pro => None,
    };
    let staff = actor.role.is_staff();
    if neo.is_some() {
        let given = |v: &Option<Value>| v.as_ref().is_some_and(|v| !v.is_null());
        if given(&n.stop_loss) {
            return Err(Error::field("stopLoss", "a NEO position's stop loss follows maxRisk"));
        }
        if !staff && given(&n.open_price) {
            return Err(Error::field("openPrice", "a NEO position opens at the market"));
        }
    }
    let level = price_of(&m, "openPrice", n.open_price.as_ref())?;
    market::require_open_now(app, &m).await?;
    let quote = market::quote_now(app, &w, &m).await?;
    let (bid, ask) = quote;
    let market_price = if side == Side::Buy { ask } else { bid };
    let (kind, fill) = match level {
        Some(l) if !staff => (rules::pending_kind(side, l.minor(), market_price.minor()), None),
        Some(l) => (OrderKind::Market, Some(l)),
        None => (OrderKind::Market, Some(market_price)),
    };
    let reference = fill.or(level).unwrap_or(market_price);
    let currency = Currency::parse("currency", &w.currency)?;
    let mut neo_stop = None;
    if let (Some(neo), Some(fill)) = (&neo, fill) {
        let leverage = figures::leverage_of(&w);
        let mc = market::conversion(conn, m.margin_currency(), currency).await?;
        lots = neo::lots(&m, side, neo.invest, leverage, fill, &mc)?;
        let pc = market::conversion(conn, m.spec.currency, currency).await?;
        neo_stop = neo::stop_loss(&m, side, lots, fill, neo, &pc)?;
    }
    let (sl, tp, tr) = stops(
        &m,
        side,
        reference,
        n.stop_loss.as_ref(),
        n.take_profit.as_ref(),
        n.trailing_pct.as_ref(),
    )?;
    let mut p = new_position(&w, &m, side, lots, platform);
    p.stop_loss = sl.or(neo_stop).map(Price::minor);
    if let Some(neo) = &neo {
        p.invest = Some(neo.invest.minor());
        p.close_after_seconds = neo.close_after_seconds;
    }
    p.take_profit = tp.map(Price::minor);
    p.trailing_pct = tr.map(|d| d.to_string());
    if let (Some(pct), Some(_)) = (tr, fill) {
        p.trailing_stop = Some(trailing_level(&m, side, close_price(leg_side(side), quote), pct)?);
    }
    let Some(fill) = fill else {
        let tx = app.db().begin_write().await?;
        wallets::lock(&tx, w.id).await?.ok_or(Error::NotFound("wallet"))?;
        p.status = Status::Pending.as_str().to_owned();
        p.open_price = level.map(Price::minor);
        let p = positions::insert(&tx, p).await?;
        orders::insert(&tx, order_of(&p, kind, level)).await?;
        announce_commit(app, tx, &p).await?;
        return Ok(PositionView::of(&p, m.spec.decimals, None));
    };
    p.open_price = Some(fill.minor());
    let now = brokercrm_store::db::now();
    p.opened_at = Some(now);
    p.close_due_at = p.close_after_seconds.map(|s| now + chrono::Duration::seconds(s));
    let staff = staff.then(|| (actor.clone(), level.is_some()));
    let p = match fill_in_lane(app, &m, p, staff).await? {
        (p, None) => p,
        (p, Some(staff)) => fill_alone(app, &w, &m, p, staff).await?,
    };
    let floating = maths::pnl(
        &m.inst,
        &figures::leg_of(&p)?,
        close_price(leg_side(side), quote),
        &market::conversion(conn, m.spec.currency, currency).await?,
    );
    Ok(PositionView::of(&p, m.spec.decimals, floating))
}

/// Who opened a fill, if staff, and whether at a price they named.
type StaffFill = Option<(Principal, bool)>;

/// Fills `p` in the trade lane's next batch: the stored row, or `p` back with its staff
/// when the batch failed and it must be filled alone.
async fn fill_in_lane(
    app: &App,
    m: &Market,
    p: PositionRow,
    staff: StaffFill,
) -> Result<(PositionRow, Option<StaffFill>)> {
    let mv = lane::Move::Open {
        market: Box::new(m.clone()),
        position: Box::new(p.clone()),
        staff: staff.clone(),
    };
    Ok(match lane::run(app, mv).await? {
        lane::Done::Row(stored) => (*stored, None),
        lane::Done::Alone => (p, Some(staff)),
    })
}

/// Fills `p` on wallet `w` in its own write transaction.
async fn fill_alone(
    app: &App,
    w: &WalletRow,
    m: &Market,
    p: PositionRow,
    staff: StaffFill,
) -> Result<PositionRow> {
    let tx = app.db().begin_write().await?;
    let w = wallets::lock(&tx, w.id).await?.ok_or(Error::NotFound("wallet"))?;
    let p = super::fill::fill_in(&tx, &w, m, p).await?;
    orders::insert(&tx, order_of(&p, OrderKind::Market, None)).await?;
    if let Some((actor, price_set)) = &staff {
        audit::record(&tx, Some(actor), opened_audit(&p, m.spec.decimals, *price_set)).await?;
    }
    announce_commit(app, tx, &p).await?;
    Ok(p)
}

/// Commits `tx`, then announces the change of `p` to the live streams.
pub async fn announce_commit(
    app: &App,
    tx: brokercrm_store::DatabaseTransaction,
    p: &PositionRow,
) -> Result<()> {
    let mut after = app.bus().pending();
    after.push(crate::trading::events::TradeChanged::of(p));
    after.commit(tx).await
}

/// The engine's side of a wire side.
pub fn leg_side(s: Side) -> brokercrm_engine::Side {
    match s {
        Side::Buy => brokercrm_engine::Side::Buy,
        Side::Sell => brokercrm_engine::Side::Sell,
    }
}

/// The trailing stop `pct` percent behind `price` (below for a buy, above for a sell),
/// rounded away from the price onto the instrument's tick.
pub fn trailing_level(m: &Market, side: Side, price: Price, pct: Decimal) -> Result<i64> {
    let tick = brokercrm_engine::fixed::tick_size(m.spec.decimals)
        .ok_or_else(|| Error::internal("bad decimals"))?;
    let dist = Decimal::new(price.minor(), 0) * pct / Decimal::ONE_HUNDRED;
    let raw = match side {
        Side::Buy => Decimal::new(price.minor(), 0) - dist,
        Side::Sell => Decimal::new(price.minor(), 0) + dist,
    };
    let t = Decimal::from(tick);
    let strategy = if side == Side::Buy {
        RoundingStrategy::ToNegativeInfinity
    } else {
        RoundingStrategy::ToPositiveInfinity
    };
    let steps = (raw / t).round_dp_with_strategy(0, strategy);
    i64::try_from(steps * t).map_err(|_| Error::internal("trailing stop out of range"))
}
