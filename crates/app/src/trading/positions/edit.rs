//! "Update position by ID": a client moves its own position's stop loss, take profit and
//! trailing stop (absent: unchanged, null: removed); staff with ManagePositions may also
//! correct the open price, the close price (closed positions) and the commission — each
//! correction that changes posted money is a ledger transfer of the difference, audited with
//! before and after.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::{self as rules, Side, Status};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::{Price, maths};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::positions;
use serde_json::{Map, Value};

use super::close::visible_position;
use super::figures::{close_price, leg_of};
use super::ledger::{Shortfall, post};
use super::market::{self, Market};
use super::open::{announce_commit, decimal, leg_side, price_of, trailing_level};
use super::view::PositionView;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The fields of the body (absent: `None`; present, maybe null: `Some`).
#[derive(Debug, Clone, Default)]
pub struct PositionUpdate {
    pub stop_loss: Option<Value>,
    pub take_profit: Option<Value>,
    pub trailing_pct: Option<Value>,
    pub open_price: Option<Value>,
    pub close_price: Option<Value>,
    pub commission: Option<Value>,
}

impl PositionUpdate {
    /// From a JSON object body (unknown keys ignored).
    pub fn from_json(body: &Value) -> Result<Self> {
        let o: &Map<String, Value> =
            body.as_object().ok_or_else(|| Error::field("body", "must be a JSON object"))?;
        let f = |k: &str| o.get(k).cloned();
        Ok(Self {
            stop_loss: f("stopLoss"),
            take_profit: f("takeProfit"),
            trailing_pct: f("tailingStopLossPct"),
            open_price: f("openPrice"),
            close_price: f("closePrice"),
            commission: f("commission"),
        })
    }

    fn corrects(&self) -> Option<&'static str> {
        let set = |v: &Option<Value>| v.as_ref().is_some_and(|v| !v.is_null());
        [
            ("openPrice", set(&self.open_price)),
            ("closePrice", set(&self.close_price)),
            ("commission", set(&self.commission)),
        ]
        .into_iter()
        .find_map(|(k, on)| on.then_some(k))
    }
}

/// A new price for an optional level: absent keeps `old`, null removes it.
fn level(m: &Market, field: &str, raw: Option<&Value>, old: Option<i64>) -> Result<Option<i64>> {
    match raw {
        None => Ok(old),
        Some(Value::Null) => Ok(None),
        Some(v) => Ok(price_of(m, field, Some(v))?.map(Price::minor)),
    }
}

/// "Update position by ID" (see the module docs).
pub async fn update(
    app: &App,
    actor: &Principal,
    id: i64,
    u: PositionUpdate,
) -> Result<PositionView> {
    let conn = app.db().conn();
    let (p, w) = visible_position(conn, actor, id, Permission::ManagePositions).await?;
    if let Some(field) = u.corrects()
        && !actor.role.is_staff()
    {
        return Err(Error::field(field, "only staff may correct it"));
    }
    let m = market::load(conn, "symbol", &p.symbol).await?;
    let side = Side::parse("side", &p.side)?;
    let mut n = p.clone();
    n.stop_loss = level(&m, "stopLoss", u.stop_loss.as_ref(), p.stop_loss)?;
    n.take_profit = level(&m, "takeProfit", u.take_profit.as_ref(), p.take_profit)?;
    if let Some(raw) = &u.trailing_pct {
        n.trailing_pct = decimal("tailingStopLossPct", Some(raw))?
            .map(|d| rules::trailing_pct("tailingStopLossPct", d))
            .transpose()?
            .map(|d| d.to_string());
    }
    n.open_price = level(&m, "openPrice", u.open_price.as_ref(), p.open_price)?;
    let new_close = level(&m, "closePrice", u.close_price.as_ref(), p.close_price)?;
    if u.close_price.as_ref().is_some_and(|v| !v.is_null()) && p.status != Status::Closed.as_str() {
        return Err(Error::field("closePrice", "only a closed position has a close price"));
    }
    let commission = match decimal("commission", u.commission.as_ref())? {
        Some(d) if d.is_sign_negative() => {
            return Err(Error::field("commission", "must not be negative"));
        }
        Some(d) => Money::from_decimal("commission", d)?.minor(),
        None => p.commission,
    };
    let stops_changed = n.stop_loss != p.stop_loss
        || n.take_profit != p.take_profit
        || n.trailing_pct != p.trailing_pct;
    if stops_changed && !matches!(p.status.as_str(), "OPEN" | "PENDING") {
        return Err(Error::field("stopLoss", "the position is no longer open"));
    }
    let quote = if p.status == Status::Open.as_str() {
        Some(market::quote_for(conn, &w, &m).await?)
    } else {
        None
    };
    if stops_changed {
        // Against the market for an open position, the order's price for a pending one.
        let reference = match quote {
            Some(q) => close_price(leg_side(side), q).minor(),
            None => p.open_price.unwrap_or_default(),
        };
        let (sl, tp) = (
            n.stop_loss.filter(|_| n.stop_loss != p.stop_loss),
            n.take_profit.filter(|_| n.take_profit != p.take_profit),
        );
        rules::check_stops(side, reference, sl, tp)?;
        n.trailing_stop = match (&n.trailing_pct, quote) {
            (Some(pct), Some(q)) => Some(trailing_level(
                &m,
                side,
                close_price(leg_side(side), q),
                pct.parse().map_err(|_| Error::internal("stored trailing %"))?,
            )?),
            _ => None,
        };
    }
    let tx = app.db().begin_write().await?;
    let w = wallets::lock(&tx, w.id).await?.ok_or(Error::NotFound("wallet"))?;
    let cur = positions::find(&tx, id).await?.ok_or(Error::NotFound("position"))?;
    if cur.version != p.version {
        return Err(Error::Conflict(format!("position {id} changed meanwhile; read it again")));
    }
    let fix = format!("trade:{id}:fix:{}", p.version + 1);
    if commission != p.commission {
        post(
            &tx,
            &w,
            &format!("{fix}:commission"),
            Money::from_minor(p.commission - commission),
            TransferCode::TradingCommission,
            Shortfall::Refuse,
            format!("commission of position {id} corrected"),
        )
        .await?;
        n.commission = commission;
    }
    if p.status == Status::Closed.as_str()
        && (n.open_price != p.open_price || new_close != p.close_price)
    {
        let currency = Currency::parse("currency", &w.currency)?;
        let conv = market::conversion(&tx, m.spec.currency, currency).await?;
        let close = Price::from_minor(new_close.unwrap_or_default());
        let exact = maths::pnl_exact(&m.inst, &leg_of(&n)?, close);
        let overflow = || Error::internal("P/L overflow");
        let pl = exact.round_money().ok_or_else(overflow)?;
        let pl_account = conv.apply(&exact).round_money().ok_or_else(overflow)?;
        let old = Money::from_minor(p.closed_pl_account.unwrap_or_default());
        let diff = pl_account.checked_sub(old).ok_or_else(overflow)?;
        post(
            &tx,
            &w,
            &format!("{fix}:pnl"),
            diff,
            TransferCode::TradingPnl,
            Shortfall::Refuse,
            format!("realised P/L of position {id} corrected"),
        )
        .await?;
        n.close_price = new_close;
        n.closed_pl = Some(pl.minor());
        n.closed_pl_account = Some(pl_account.minor());
    }
    positions::replace(&tx, &n, &p.status, p.version).await?;
    n.version = p.version + 1;
    let (before, after) =
        (PositionView::of(&p, m.spec.decimals, None), PositionView::of(&n, m.spec.decimals, None));
    let kind = if u.corrects().is_some() { "position.correct" } else { "position.update" };
    if actor.role.is_staff() {
        let entry = Audit::new(kind, "position", id.to_string())
            .details(format!("position {id} updated"))
            .before(&before)
            .after(&after);
        audit::record(&tx, Some(actor), entry).await?;
    }
    announce_commit(app, tx, &n).await?;
    Ok(after)
}
