//! The Orders tag: list (filters), get, update a pending order's price, stop loss, take
//! profit and trailing stop, and cancel it. A client acts on its own orders; staff read with
//! ReadPositions and change with ManagePositions (audited).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::positions::{self as rules, OrderKind, OrderStatus, Side, Status};
use brokercrm_core::{Error, Result, Violations};
use brokercrm_engine::Price;
use brokercrm_store::db;
use brokercrm_store::repo::trading::orders::{self, OrderFilter, OrderRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use serde_json::Value;

use super::close::visible_position;
use super::list::{DEFAULT_LIMIT, MAX_LIMIT};
use super::market;
use super::open::{announce_commit, decimal, price_of};
use super::view::{OrderView, PositionView};
use crate::money::scope::MoneyScope;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// "Get orders" as received.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    pub search: Option<String>,
    pub statuses: Vec<String>,
    pub types: Vec<String>,
    pub account_id: Option<i64>,
    pub symbols: Vec<String>,
}

/// "Update order by ID" (absent: unchanged; null: removed for SL/TP/trailing).
#[derive(Debug, Clone, Default)]
pub struct OrderUpdate {
    pub limit_price: Option<Value>,
    pub stop_price: Option<Value>,
    pub take_profit: Option<Value>,
    pub stop_loss: Option<Value>,
    pub trailing_pct: Option<Value>,
}

impl OrderUpdate {
    pub fn from_json(body: &Value) -> Result<Self> {
        let o = body.as_object().ok_or_else(|| Error::field("body", "must be a JSON object"))?;
        let f = |k: &str| o.get(k).cloned();
        Ok(Self {
            limit_price: f("limitPrice"),
            stop_price: f("stopPrice"),
            take_profit: f("takeProfit"),
            stop_loss: f("stopLoss"),
            trailing_pct: f("trailingStopLossPct"),
        })
    }
}

/// The order filter of `q` as `actor` may see it.
pub async fn filter<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    q: &OrderQuery,
) -> Result<OrderFilter> {
    let mut v = Violations::new();
    let statuses: Vec<String> = q
        .statuses
        .iter()
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| v.check(OrderStatus::parse("statuses", s)).map(|c| c.as_str().to_owned()))
        .collect();
    let kinds: Vec<String> = q
        .types
        .iter()
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| v.check(OrderKind::parse("types", s)).map(|c| c.as_str().to_owned()))
        .collect();
    let search = v.check(brokercrm_core::validate::opt_text("search", q.search.as_deref(), 200));
    v.finish()?;
    let scope = MoneyScope::of(conn, actor, Permission::ReadPositions).await?;
    Ok(OrderFilter {
        wallet_ids: q.account_id.map(|a| vec![a]),
        user_ids: scope.customers(conn).await?,
        statuses,
        kinds,
        symbols: q.symbols.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        search: search.flatten(),
    })
}

/// Views of `rows` with their positions' stops.
pub async fn views<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    rows: &[OrderRow],
) -> Result<Vec<OrderView>> {
    let mut out = Vec::with_capacity(rows.len());
    for o in rows {
        let p = positions::find(conn, o.position_id).await?;
        let d = market::load(conn, "symbol", &o.symbol).await.map_or(8, |m| m.spec.decimals);
        out.push(OrderView::of(o, p.as_ref(), d));
    }
    Ok(out)
}

/// "Get orders": newest first; the page and the number matching.
pub async fn list(app: &App, actor: &Principal, q: OrderQuery) -> Result<(Vec<OrderView>, u64)> {
    let conn = app.db().conn();
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_LIMIT}")));
    }
    let f = filter(conn, actor, &q).await?;
    let (rows, count) = orders::list(conn, &f, limit, q.offset.unwrap_or(0)).await?;
    Ok((views(conn, &rows).await?, count))
}

async fn visible_order(
    app: &App,
    actor: &Principal,
    id: i64,
    perm: Permission,
) -> Result<(OrderRow, PositionRow)> {
    if actor.role.is_staff() {
        actor.require(perm)?;
    }
    let conn = app.db().conn();
    let o = orders::find(conn, id).await?.ok_or(Error::NotFound("order"))?;
    let (p, _) = visible_position(conn, actor, o.position_id, perm)
        .await
        .map_err(|e| if matches!(e, Error::NotFound(_)) { Error::NotFound("order") } else { e })?;
    Ok((o, p))
}

/// "Get order by ID".
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<OrderView> {
    let (o, p) = visible_order(app, actor, id, Permission::ReadPositions).await?;
    let d = market::load(app.db().conn(), "symbol", &o.symbol).await.map_or(8, |m| m.spec.decimals);
    Ok(OrderView::of(&o, Some(&p), d))
}

fn pending(o: &OrderRow) -> Result<()> {
    if o.status == OrderStatus::Pending.as_str() {
        Ok(())
    } else {
        Err(Error::Conflict(format!("order {} is {}", o.id, o.status.to_lowercase())))
    }
}

/// "Update order by ID": a pending order's level (`limitPrice` for a limit order,
/// `stopPrice` for a stop order) and its position's stops.
pub async fn update(app: &App, actor: &Principal, id: i64, u: OrderUpdate) -> Result<OrderView> {
    let (o, p) = visible_order(app, actor, id, Permission::ManagePositions).await?;
    pending(&o)?;
    let conn = app.db().conn();
    let m = market::load(conn, "symbol", &o.symbol).await?;
    let kind = OrderKind::parse("type", &o.kind)?;
    let (own, other) = match kind {
        OrderKind::Limit => (("limitPrice", &u.limit_price), ("stopPrice", &u.stop_price)),
        _ => (("stopPrice", &u.stop_price), ("limitPrice", &u.limit_price)),
    };
    if other.1.as_ref().is_some_and(|v| !v.is_null()) {
        return Err(Error::field(other.0, format!("a {} order has no {}", kind.as_str(), other.0)));
    }
    let mut n = o.clone();
    let old_level = o.limit_price.or(o.stop_price).unwrap_or_default();
    let level = match own.1 {
        None | Some(Value::Null) => old_level,
        Some(v) => price_of(&m, own.0, Some(v))?.map_or(old_level, Price::minor),
    };
    let side = Side::parse("side", &o.side)?;
    let w = brokercrm_store::repo::money::wallets::find(conn, o.wallet_id)
        .await?
        .ok_or(Error::NotFound("wallet"))?;
    let (bid, ask) = market::quote_for(conn, &w, &m).await?;
    let market_price = if side == Side::Buy { ask } else { bid };
    if rules::pending_kind(side, level, market_price.minor()) != kind {
        return Err(Error::field(
            own.0,
            format!("is on the wrong side of the market for a {} order", kind.as_str()),
        ));
    }
    match kind {
        OrderKind::Limit => n.limit_price = Some(level),
        _ => n.stop_price = Some(level),
    }
    let lv = |field: &str, raw: &Option<Value>, old: Option<i64>| -> Result<Option<i64>> {
        match raw {
            None => Ok(old),
            Some(Value::Null) => Ok(None),
            Some(v) => Ok(price_of(&m, field, Some(v))?.map(Price::minor)),
        }
    };
    let mut np = p.clone();
    np.open_price = Some(level);
    np.stop_loss = lv("stopLoss", &u.stop_loss, p.stop_loss)?;
    np.take_profit = lv("takeProfit", &u.take_profit, p.take_profit)?;
    if let Some(raw) = &u.trailing_pct {
        np.trailing_pct = decimal("trailingStopLossPct", Some(raw))?
            .map(|d| rules::trailing_pct("trailingStopLossPct", d))
            .transpose()?
            .map(|d| d.to_string());
    }
    rules::check_stops(side, level, np.stop_loss, np.take_profit)?;
    let tx = app.db().begin_write().await?;
    orders::settle(&tx, &n, OrderStatus::Pending.as_str()).await?;
    positions::replace(&tx, &np, Status::Pending.as_str(), p.version).await?;
    np.version = p.version + 1;
    let view = OrderView::of(&n, Some(&np), m.spec.decimals);
    if actor.role.is_staff() {
        let entry = Audit::new("order.update", "order", id.to_string())
            .details(format!("order {id} updated"))
            .before(&OrderView::of(&o, Some(&p), m.spec.decimals))
            .after(&view);
        audit::record(&tx, Some(actor), entry).await?;
    }
    announce_commit(app, tx, &np).await?;
    Ok(view)
}

/// "Cancel order by ID": a pending order and its position are cancelled.
pub async fn cancel(app: &App, actor: &Principal, id: i64) -> Result<()> {
    let (o, p) = visible_order(app, actor, id, Permission::ManagePositions).await?;
    pending(&o)?;
    let tx = app.db().begin_write().await?;
    let n = OrderRow { status: OrderStatus::Cancelled.as_str().to_owned(), ..o.clone() };
    orders::settle(&tx, &n, OrderStatus::Pending.as_str()).await?;
    let np = PositionRow {
        status: Status::Cancelled.as_str().to_owned(),
        closed_at: Some(db::now()),
        version: p.version + 1, // as stored below
        ..p.clone()
    };
    positions::replace(&tx, &np, Status::Pending.as_str(), p.version).await?;
    if actor.role.is_staff() {
        let d = market::load(&tx, "symbol", &p.symbol).await.map_or(8, |m| m.spec.decimals);
        let entry = Audit::new("order.cancel", "order", id.to_string())
            .details(format!("order {id} cancelled"))
            .before(&PositionView::of(&p, d, None));
        audit::record(&tx, Some(actor), entry).await?;
    }
    announce_commit(app, tx, &np).await
}
