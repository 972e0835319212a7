//! Max Risks and Position Durations (NEO): the configured lists and defaults, stored as
//! settings (`trading.max_risks`, `trading.position_durations`). Anyone signed in reads them
//! (a client picks from them); ManageInstruments changes them (audited).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::choices::{self, Kind};
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::platform::settings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A list and its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub values: Vec<Decimal>,
    pub default: Decimal,
}

fn key(kind: Kind) -> &'static str {
    match kind {
        Kind::MaxRisk => "trading.max_risks",
        Kind::Duration => "trading.position_durations",
    }
}

/// What a fresh install offers.
fn fallback(kind: Kind) -> Choices {
    let d = |xs: &[i64]| xs.iter().map(|x| Decimal::from(*x)).collect::<Vec<_>>();
    match kind {
        Kind::MaxRisk => Choices { values: d(&[10, 25, 50, 75, 100]), default: Decimal::from(50) },
        Kind::Duration => Choices {
            values: d(&[60, 300, 900, 3600, 14_400, 86_400]),
            default: Decimal::from(3600),
        },
    }
}

/// The current list and default.
pub async fn get(app: &App, kind: Kind) -> Result<Choices> {
    match settings::get(app.db().conn(), key(kind)).await? {
        Some(row) => serde_json::from_str(&row.value)
            .map_err(|_| Error::internal(format!("setting {} is not a choice list", key(kind)))),
        None => Ok(fallback(kind)),
    }
}

/// Replaces the list and default (`value`: comma-separated).
pub async fn put(
    app: &App,
    actor: &Principal,
    kind: Kind,
    value: &str,
    default_value: &str,
) -> Result<Choices> {
    actor.require(Permission::ManageInstruments)?;
    let (values, default) = choices::parse(kind, value, default_value)?;
    let c = Choices { values, default };
    let tx = app.db().begin_write().await?;
    let before = get(app, kind).await?;
    let json = serde_json::to_string(&c).map_err(Error::internal)?;
    settings::put(&tx, key(kind), &json, false).await?;
    let entry = Audit::new("setting.update", "setting", key(kind))
        .details(format!("{} set", key(kind)))
        .before(&before)
        .after(&c);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(c)
}
