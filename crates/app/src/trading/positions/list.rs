//! Reading positions: "Get positions" (filters and sort), "Get position by ID", "Get orders
//! for position by Id" and "Get positions by account ID". Open positions carry their
//! floating P/L at the latest quote. A client sees its own; staff need ReadPositions and the
//! customer in their scope.

use std::collections::HashMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::positions::{Platform, Side, Status};
use brokercrm_core::{Currency, Error, Money, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::orders;
use brokercrm_store::repo::trading::positions::{self, PositionFilter, PositionRow, PositionSort};
use chrono::{DateTime, Utc};

use super::close::visible_position;
use super::figures::{Prices, floating_of};
use super::market::{self, Markups};
use super::view::{OrderView, PositionView};
use crate::money::scope::MoneyScope;
use crate::money::wallets::visible;
use crate::{App, Principal};

/// Largest page of a position or order list, and the default.
pub const MAX_LIMIT: u64 = 500;
pub const DEFAULT_LIMIT: u64 = 20;

/// "Get positions" as received (IPositionFilters flattened).
#[derive(Debug, Clone, Default)]
pub struct PositionQuery {
    pub search: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    pub sort_by: Option<String>,
    pub statuses: Vec<String>,
    pub symbols: Vec<String>,
    pub sides: Vec<String>,
    pub platforms: Vec<String>,
    pub account_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub is_demo: Option<bool>,
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
}

/// A page of positions: the rows, the number matching and the number of pages.
#[derive(Debug, Clone)]
pub struct PositionPage {
    pub positions: Vec<PositionView>,
    pub count: u64,
    pub pages: u64,
}

fn sort(raw: Option<&str>) -> Result<(PositionSort, bool)> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("-id");
    let (desc, key) = match raw.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, raw),
    };
    let s = match key {
        "id" => PositionSort::Id,
        "openedAt" => PositionSort::OpenedAt,
        "closedAt" => PositionSort::ClosedAt,
        "size" => PositionSort::Size,
        "symbol" => PositionSort::Symbol,
        "closedPLInAccountCurrency" | "profitLoss" => PositionSort::ClosedPl,
        _ => {
            return Err(Error::field(
                "sortBy",
                "must be id, openedAt, closedAt, size, symbol or profitLoss (prefix - for descending)",
            ));
        }
    };
    Ok((s, desc))
}

fn codes<T>(
    v: &mut Violations,
    field: &str,
    raw: &[String],
    parse: fn(&str, &str) -> Result<T>,
    name: fn(T) -> &'static str,
) -> Vec<String> {
    raw.iter()
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| v.check(parse(field, s)).map(|c| name(c).to_owned()))
        .collect()
}

/// Views of `rows`: prices at their instrument's decimals, open ones with floating P/L (none
/// when a quote or conversion is missing).
pub async fn views<C: ConnectionTrait>(
    conn: &C,
    rows: &[PositionRow],
) -> Result<Vec<PositionView>> {
    let mut decimals: HashMap<String, u32> = HashMap::new();
    let mut prices: HashMap<String, Option<Prices>> = HashMap::new();
    let mut markups: HashMap<i64, Markups> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        if !decimals.contains_key(&p.symbol) {
            let d = market::load(conn, "symbol", &p.symbol).await.map_or(8, |m| m.spec.decimals);
            decimals.insert(p.symbol.clone(), d);
        }
        let mut floating: Option<Money> = None;
        if p.status == Status::Open.as_str() {
            let key = format!("{}/{}", p.symbol, p.wallet_id);
            if !prices.contains_key(&key) {
                let c = Currency::parse("currency", &p.currency)?;
                let mk = match markups.get(&p.wallet_id) {
                    Some(mk) => mk.clone(),
                    None => {
                        let mk = match wallets::find(conn, p.wallet_id).await? {
                            Some(w) => Markups::of_wallet(conn, &w).await?,
                            None => Markups::none(),
                        };
                        markups.insert(p.wallet_id, mk.clone());
                        mk
                    }
                };
                let loaded = Prices::load(conn, vec![p.symbol.clone()], c, &mk).await.ok();
                prices.insert(key.clone(), loaded);
            }
            floating =
                prices.get(&key).and_then(Option::as_ref).and_then(|pr| floating_of(p, pr).ok());
        }
        out.push(PositionView::of(p, decimals.get(&p.symbol).copied().unwrap_or(8), floating));
    }
    Ok(out)
}

/// The list filter of `q` as `actor` may see it.
pub async fn filter<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    q: &PositionQuery,
) -> Result<PositionFilter> {
    let mut v = Violations::new();
    let statuses = codes(&mut v, "statuses", &q.statuses, Status::parse, Status::as_str);
    let sides = codes(&mut v, "sides", &q.sides, Side::parse, Side::as_str);
    let platforms = codes(&mut v, "platforms", &q.platforms, Platform::parse, Platform::as_str);
    let search = v.check(brokercrm_core::validate::opt_text("search", q.search.as_deref(), 200));
    v.finish()?;
    let scope = MoneyScope::of(conn, actor, Permission::ReadPositions).await?;
    let mut user_ids = scope.customers(conn).await?;
    if let Some(c) = q.customer_id {
        user_ids = Some(match user_ids {
            Some(ids) => ids.into_iter().filter(|u| *u == c).collect(),
            None => vec![c],
        });
    }
    Ok(PositionFilter {
        wallet_ids: q.account_id.map(|a| vec![a]),
        user_ids,
        statuses,
        symbols: q.symbols.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        sides,
        platforms,
        demo: q.is_demo,
        search: search.flatten(),
        opened_from: q.opened_from,
        opened_to: q.opened_to,
    })
}

/// "Get positions".
pub async fn list(app: &App, actor: &Principal, q: PositionQuery) -> Result<PositionPage> {
    let conn = app.db().conn();
    let (by, desc) = sort(q.sort_by.as_deref())?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_LIMIT}")));
    }
    let f = filter(conn, actor, &q).await?;
    let (rows, count) = positions::list(conn, &f, by, desc, limit, q.offset.unwrap_or(0)).await?;
    Ok(PositionPage { positions: views(conn, &rows).await?, count, pages: count.div_ceil(limit) })
}

/// "Get position by ID".
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<PositionView> {
    let conn = app.db().conn();
    let (p, _) = visible_position(conn, actor, id, Permission::ReadPositions).await?;
    Ok(views(conn, &[p]).await?.remove(0))
}

/// "Get orders for position by Id": oldest first.
pub async fn orders_of(app: &App, actor: &Principal, id: i64) -> Result<Vec<OrderView>> {
    let conn = app.db().conn();
    let (p, _) = visible_position(conn, actor, id, Permission::ReadPositions).await?;
    let d = market::load(conn, "symbol", &p.symbol).await.map_or(8, |m| m.spec.decimals);
    Ok(orders::of_position(conn, id).await?.iter().map(|o| OrderView::of(o, Some(&p), d)).collect())
}

/// "Get positions by account ID": one wallet's positions, optionally of one status.
pub async fn of_account(
    app: &App,
    actor: &Principal,
    wallet_id: i64,
    status: Option<String>,
    order_by: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
) -> Result<(Vec<PositionView>, u64)> {
    let conn = app.db().conn();
    visible(conn, actor, wallet_id, Permission::ReadPositions).await?;
    let q = PositionQuery {
        account_id: Some(wallet_id),
        statuses: status.into_iter().collect(),
        sort_by: order_by,
        limit,
        offset,
        ..PositionQuery::default()
    };
    let page = list(app, actor, q).await?;
    Ok((page.positions, page.count))
}
