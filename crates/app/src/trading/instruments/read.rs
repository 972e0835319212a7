//! "Get instruments", "Get instrument by symbol" (ReadInstruments) and "Get instrument
//! symbols" (anyone signed in).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::trading::instruments as repo;

use super::view::InstrumentView;
use crate::{App, Principal};

/// Every instrument, by sort then symbol.
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<InstrumentView>> {
    actor.require(Permission::ReadInstruments)?;
    repo::list(app.db().conn()).await?.iter().map(InstrumentView::of).collect()
}

/// One instrument by its symbol.
pub async fn get(app: &App, actor: &Principal, symbol: &str) -> Result<InstrumentView> {
    actor.require(Permission::ReadInstruments)?;
    let row = repo::find(app.db().conn(), symbol).await?.ok_or(Error::NotFound("instrument"))?;
    InstrumentView::of(&row)
}

/// The symbols of every instrument, by sort (staff); a client sees the active ones.
pub async fn symbols(app: &App, actor: &Principal) -> Result<Vec<String>> {
    let conn = app.db().conn();
    let rows = if actor.role.is_staff() {
        repo::list(conn).await?
    } else {
        repo::list_with_status(conn, "ACTIVE").await?
    };
    Ok(rows.into_iter().map(|r| r.symbol).collect())
}
