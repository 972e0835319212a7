//! "Create instrument", "Update instrument by symbol", "Delete instrument by symbol" and
//! "Sort instruments" (ManageInstruments; every write audited with before/after).

use std::collections::BTreeMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::instruments::{InstrumentInput, fields::whole, spec::spec};
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::db;
use brokercrm_store::repo::trading::instruments as repo;

use super::view::{InstrumentView, data_of};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

fn taken(symbol: &str) -> Error {
    Error::Conflict(format!("an instrument with the symbol '{symbol}' already exists"))
}

/// Creates an instrument; a taken symbol is a conflict.
pub async fn create(app: &App, actor: &Principal, n: InstrumentInput) -> Result<InstrumentView> {
    actor.require(Permission::ManageInstruments)?;
    let s = spec(&n)?;
    let tx = app.db().begin_write().await?;
    if repo::find(&tx, &s.symbol).await?.is_some() {
        return Err(taken(&s.symbol));
    }
    let row = repo::insert(&tx, data_of(&s)).await.map_err(|e| match e {
        Error::Conflict(_) => taken(&s.symbol),
        other => other,
    })?;
    let view = InstrumentView::of(&row)?;
    let entry = Audit::new("instrument.create", "instrument", view.symbol.clone())
        .details(format!("instrument {} created", view.symbol))
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.instruments().forget_all();
    Ok(view)
}

/// Replaces every field of the instrument at `symbol` (the symbol may change to a free one).
pub async fn update(
    app: &App,
    actor: &Principal,
    symbol: &str,
    n: InstrumentInput,
) -> Result<InstrumentView> {
    actor.require(Permission::ManageInstruments)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find(&tx, symbol).await?.ok_or(Error::NotFound("instrument"))?;
    let s = spec(&n)?;
    if s.symbol != old.symbol && repo::find(&tx, &s.symbol).await?.is_some() {
        return Err(taken(&s.symbol));
    }
    let row = repo::replace(&tx, old.id, data_of(&s))
        .await
        .map_err(|e| match e {
            Error::Conflict(_) => taken(&s.symbol),
            other => other,
        })?
        .ok_or(Error::NotFound("instrument"))?;
    let (before, view) = (InstrumentView::of(&old)?, InstrumentView::of(&row)?);
    let entry = Audit::new("instrument.update", "instrument", view.symbol.clone())
        .details(format!("instrument {} updated", view.symbol))
        .before(&before)
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.instruments().forget_all();
    Ok(view)
}

/// Deletes an instrument.
pub async fn delete(app: &App, actor: &Principal, symbol: &str) -> Result<()> {
    actor.require(Permission::ManageInstruments)?;
    let tx = app.db().begin_write().await?;
    let old = repo::find(&tx, symbol).await?.ok_or(Error::NotFound("instrument"))?;
    if !repo::delete(&tx, &old.symbol).await? {
        return Err(Error::NotFound("instrument"));
    }
    let before = InstrumentView::of(&old)?;
    let entry = Audit::new("instrument.delete", "instrument", old.symbol.clone())
        .details(format!("instrument {} deleted", old.symbol))
        .before(&before);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    app.instruments().forget_all();
    Ok(())
}

/// Sets the sort of each named instrument (`{"EURUSD": 1, ...}`); an unknown symbol or a bad
/// value is named (by the symbol) and nothing changes. Returns every instrument in order.
pub async fn sort(
    app: &App,
    actor: &Principal,
    order: BTreeMap<String, f64>,
) -> Result<Vec<InstrumentView>> {
    actor.require(Permission::ManageInstruments)?;
    if order.is_empty() {
        return Err(Error::field("body", "must name at least one instrument"));
    }
    let mut v = Violations::new();
    let mut sorts = Vec::new();
    for (symbol, raw) in &order {
        if let Some(s) = v.check(whole(symbol, *raw, 0, 1_000_000)) {
            sorts.push((symbol.clone(), i32::try_from(s).unwrap_or(0)));
        }
    }
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let mut v = Violations::new();
    for (symbol, s) in &sorts {
        if !repo::set_sort(&tx, symbol, *s).await? {
            v.push(symbol.clone(), "no instrument has this symbol");
        }
    }
    v.finish()?;
    let details = sorts.iter().map(|(sym, s)| format!("{sym}={s}")).collect::<Vec<_>>().join(", ");
    let entry = Audit::new("instrument.sort", "instrument", "sort")
        .details(format!("instruments sorted: {details}"));
    audit::record(&tx, Some(actor), entry).await?;
    let all = repo::list(&tx).await?.iter().map(InstrumentView::of).collect::<Result<_>>()?;
    db::commit(tx).await?;
    app.instruments().forget_all();
    Ok(all)
}
