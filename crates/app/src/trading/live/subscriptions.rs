//! A connection's subscriptions: symbols of active instruments (staff: any instrument), each
//! with what its quotes need on the wire (the instrument's decimals and the markup of the
//! connection's trading group). At most [`MAX_SYMBOLS`].

use std::collections::BTreeMap;
use std::sync::RwLock;

use brokercrm_core::trading::instruments::InstrumentStatus;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;

use super::inbox::Quote;
use crate::trading::positions::market::{self, Markups};
use crate::trading::prices::Tick;
use crate::trading::prices::format::price_text;

/// Most symbols one connection may subscribe to.
pub const MAX_SYMBOLS: usize = 500;

#[derive(Debug, Clone, Copy)]
struct Format {
    decimals: u32,
    /// The group's markup in price units (10^-8).
    markup: i64,
}

/// The symbols one connection follows.
#[derive(Default)]
pub struct Subscriptions {
    symbols: RwLock<BTreeMap<String, Format>>,
}

impl Subscriptions {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Format>> {
        self.symbols.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Format>> {
        self.symbols.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `t` as this connection sees it; `None` when its symbol is not followed.
    pub fn quote(&self, t: &Tick) -> Option<Quote> {
        let f = *self.read().get(&t.symbol)?;
        let bid = brokercrm_engine::Price::from_minor(t.bid.minor() - f.markup);
        let ask = brokercrm_engine::Price::from_minor(t.ask.minor() + f.markup);
        Some(Quote {
            symbol: t.symbol.clone(),
            bid: price_text(bid, f.decimals),
            ask: price_text(ask, f.decimals),
            time: t.at,
        })
    }

    /// Follows `symbols` (each trimmed); every one is checked before any is added: none
    /// given, an unknown or inactive symbol (422 on `symbols[i]`) or too many in all (422 on
    /// `symbols`) adds nothing. Returns the symbols added.
    pub async fn add<C: ConnectionTrait>(
        &self,
        conn: &C,
        markups: &Markups,
        symbols: &[String],
        staff: bool,
    ) -> Result<Vec<String>> {
        if symbols.is_empty() {
            return Err(Error::field("symbols", "must name at least one symbol"));
        }
        let mut found = Vec::with_capacity(symbols.len());
        for (i, raw) in symbols.iter().enumerate() {
            let field = format!("symbols[{i}]");
            let m = market::load(conn, &field, raw).await?;
            if !staff && m.spec.status != InstrumentStatus::Active {
                return Err(Error::field(field, format!("unknown symbol '{}'", raw.trim())));
            }
            let f = Format {
                decimals: m.spec.decimals,
                markup: markups.units(&m.spec.symbol, m.spec.decimals),
            };
            found.push((m.spec.symbol, f));
        }
        let mut map = self.write();
        let new = found.iter().filter(|(s, _)| !map.contains_key(s)).count();
        if map.len() + new > MAX_SYMBOLS {
            return Err(Error::field("symbols", format!("at most {MAX_SYMBOLS} symbols")));
        }
        let added = found.iter().map(|(s, _)| s.clone()).collect();
        map.extend(found);
        Ok(added)
    }

    /// Stops following `symbols`; returns those that were followed.
    pub fn remove(&self, symbols: &[String]) -> Vec<String> {
        let mut map = self.write();
        symbols.iter().filter_map(|s| map.remove_entry(s.trim()).map(|(s, _)| s)).collect()
    }

    /// The symbols followed, in order.
    pub fn list(&self) -> Vec<String> {
        self.read().keys().cloned().collect()
    }
}
