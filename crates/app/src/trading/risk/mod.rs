//! Risk (seed tag Risk): statistics and exposures of the broker's book, by trading group and
//! demo/real, for staff with ReadPositions (within their customer scope). Exact: sums are
//! formed as fractions per currency, converted into the report currency (the group's, else
//! USD) at today's rates along money's conversion paths, and rounded once per figure.

pub mod exposures;
pub mod statistics;

use std::collections::HashMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::maths::{Conversion, Frac};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::{groups, wallets};
use brokercrm_store::repo::trading::positions::{self, PositionFilter, PositionRow};

use crate::Principal;
use crate::money::scope::MoneyScope;
use crate::trading::positions::market;

/// The report's filters as received.
#[derive(Debug, Clone, Default)]
pub struct RiskQuery {
    /// A trading group's id or name.
    pub group: Option<String>,
    pub is_demo: Option<bool>,
}

/// The positions a report covers, and its currency.
pub(crate) struct Scope {
    pub currency: Currency,
    pub filter: PositionFilter,
}

/// Resolves `q` for `actor`: 422 on `group` when it names no group.
pub(crate) async fn scope<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    q: &RiskQuery,
) -> Result<Scope> {
    actor.require(Permission::ReadPositions)?;
    let ms = MoneyScope::of(conn, actor, Permission::ReadPositions).await?;
    let mut filter = PositionFilter {
        user_ids: ms.customers(conn).await?,
        demo: q.is_demo,
        ..PositionFilter::default()
    };
    let mut currency = Currency::parse("currency", "USD")?;
    if let Some(g) = q.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        let row = match g.parse::<i64>() {
            Ok(id) => groups::find(conn, id).await?,
            Err(_) => groups::find_by_name(conn, g).await?,
        }
        .ok_or_else(|| Error::field("group", format!("no trading group '{g}'")))?;
        currency = Currency::parse("group", &row.currency)?;
        filter.wallet_ids = Some(wallets::ids_of_group(conn, row.id).await?);
    }
    Ok(Scope { currency, filter })
}

/// The positions of `s` in `statuses`.
pub(crate) async fn rows<C: ConnectionTrait>(
    conn: &C,
    s: &Scope,
    statuses: &[&str],
) -> Result<Vec<PositionRow>> {
    let f = PositionFilter {
        statuses: statuses.iter().map(|x| (*x).to_owned()).collect(),
        ..s.filter.clone()
    };
    positions::matching(conn, &f).await
}

/// Exact sums per currency, converted into one currency on demand (conversions cached).
pub(crate) struct Sums<'a, C> {
    conn: &'a C,
    into: Currency,
    rates: HashMap<Currency, Conversion>,
}

impl<'a, C: ConnectionTrait> Sums<'a, C> {
    pub fn new(conn: &'a C, into: Currency) -> Self {
        Self { conn, into, rates: HashMap::new() }
    }

    /// `x` in `from` as a fraction of the report currency.
    pub async fn convert(&mut self, from: Currency, x: &Frac) -> Result<Frac> {
        if !self.rates.contains_key(&from) {
            let c = market::conversion(self.conn, from, self.into).await.map_err(|e| match e {
                Error::Validation(_) => Error::field(
                    "group",
                    format!("no conversion path from {from} to {}", self.into),
                ),
                e => e,
            })?;
            self.rates.insert(from, c);
        }
        let c = self.rates.get(&from).ok_or_else(|| Error::internal("rate cache"))?;
        Ok(c.apply(x))
    }

    /// Exact amounts per currency, converted, summed and rounded once.
    pub async fn total(&mut self, by_currency: &HashMap<Currency, Frac>) -> Result<Money> {
        let mut sum = Frac::zero();
        for (cur, x) in by_currency {
            sum = sum.add(&self.convert(*cur, x).await?);
        }
        round(&sum)
    }
}

/// `x` rounded once to money.
pub(crate) fn round(x: &Frac) -> Result<Money> {
    x.round_money().ok_or_else(|| Error::internal("risk figure overflow"))
}
