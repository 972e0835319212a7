//! "Get user instruments information": the active instruments with what a client needs to
//! trade them (sizes and lot step, hours and whether trading is open now, swaps, margin).

use brokercrm_core::Result;
use brokercrm_core::trading::instruments::InstrumentSpec;
use brokercrm_store::repo::trading::instruments as repo;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::view::{as_number, spec_of};
use crate::{App, Principal};

/// An instrument as a client sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InstrumentInfoDto)]
pub struct InstrumentInfo {
    #[schema(example = "EURUSD")]
    pub symbol: String,
    pub category: String,
    pub currency: String,
    pub margin_currency: String,
    pub decimals: u32,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64)]
    pub contract_size: Decimal,
    #[schema(example = "0.01")]
    pub min_order_size: String,
    pub max_order_size: String,
    /// The size step in lots.
    #[schema(example = "0.01")]
    pub lot_step: String,
    #[schema(value_type = Vec<Object>)]
    pub sizes: Value,
    pub stake_mode: String,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64)]
    pub margin_percentage: Decimal,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64)]
    pub hedged_margin_percentage: Decimal,
    pub swap_mode: String,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64)]
    pub swap_long: Decimal,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64)]
    pub swap_short: Decimal,
    #[serde(rename = "swap3DayWeekday")]
    pub swap_3day_weekday: Option<u8>,
    #[schema(value_type = Vec<Object>)]
    pub trading_hours: Value,
    pub timezone: String,
    /// Whether trading is open now: within the trading hours and in no downtime.
    pub is_open: bool,
    pub filename: Option<String>,
    pub file: Option<String>,
}

impl InstrumentInfo {
    fn of(s: InstrumentSpec, open: bool) -> Self {
        let t = |d: Decimal| d.normalize().to_string();
        Self {
            lot_step: t(s.lot_step()),
            category: s.category.as_str().to_owned(),
            currency: s.currency.as_str().to_owned(),
            margin_currency: s.margin_currency.as_str().to_owned(),
            decimals: s.decimals,
            contract_size: s.contract_size,
            min_order_size: t(s.min_order_size),
            max_order_size: t(s.max_order_size),
            sizes: s.sizes,
            stake_mode: s.stake_mode,
            margin_percentage: s.margin_percentage,
            hedged_margin_percentage: s.hedged_margin_percentage,
            swap_mode: s.swap_mode.as_str().to_owned(),
            swap_long: s.swap_long,
            swap_short: s.swap_short,
            swap_3day_weekday: s.swap_3day_weekday,
            trading_hours: s.trading_hours.to_json(),
            timezone: s.trading_hours.timezone.name().to_owned(),
            is_open: open,
            filename: s.filename,
            file: s.file,
            symbol: s.symbol,
        }
    }
}

/// The active instruments in sort order (anyone signed in).
pub async fn list(app: &App, _actor: &Principal) -> Result<Vec<InstrumentInfo>> {
    let now = app.clock().now();
    let conn = app.db().conn();
    let down = crate::trading::downtimes::down_at(conn, now).await?;
    let rows = repo::list_with_status(conn, "ACTIVE").await?;
    rows.iter()
        .map(|r| {
            let s = spec_of(r)?;
            let open = s.trading_hours.is_open(now) && !down.contains(&s.symbol);
            Ok(InstrumentInfo::of(s, open))
        })
        .collect()
}
