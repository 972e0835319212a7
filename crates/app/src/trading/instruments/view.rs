//! An instrument as the API shows it (the seed's fields plus id, `timezone` and times), and
//! the conversions between the validated spec and the stored row.

use brokercrm_core::trading::instruments::{
    Category, InstrumentSpec, InstrumentStatus, Mode, SwapMode, TradingHours, hours,
};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::repo::trading::instruments::{InstrumentData, InstrumentRow};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;
use utoipa::ToSchema;

/// An exact decimal as a JSON number (at most 15 significant digits: a double holds it
/// exactly, so the number reads back as the same decimal).
pub fn as_number<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    let f: f64 = d.normalize().to_string().parse().map_err(serde::ser::Error::custom)?;
    s.serialize_f64(f)
}

fn decimal_text<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&d.normalize().to_string())
}

/// An instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InstrumentDto)]
pub struct InstrumentView {
    pub id: i64,
    #[schema(example = "EURUSD")]
    pub symbol: String,
    #[schema(example = "EUR")]
    pub margin_currency: String,
    /// The profit (quote) currency.
    #[schema(example = "USD")]
    pub currency: String,
    /// currencies, indices, commodities, cryptos or equities.
    #[schema(example = "currencies")]
    pub category: String,
    /// Decimal places of the price.
    #[schema(example = 5)]
    pub decimals: u32,
    /// FOREX or CFD.
    #[schema(example = "FOREX")]
    pub profit_calc_mode: String,
    /// FOREX (lots × contract size × margin % / leverage, in the margin currency) or CFD
    /// (lots × contract size × price × margin %, in the profit currency).
    #[schema(example = "FOREX")]
    pub margin_calc_mode: String,
    /// Size presets offered to clients (objects kept as given).
    #[schema(value_type = Vec<Object>)]
    pub sizes: Value,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64, example = 100)]
    pub margin_percentage: Decimal,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64, example = 50)]
    pub hedged_margin_percentage: Decimal,
    /// Sessions `{"weekday": 0-6 (0 = Sunday), "from": "HH:MM", "to": "HH:MM"}` in
    /// `timezone`; none = open around the clock.
    #[schema(value_type = Vec<Object>)]
    pub trading_hours: Value,
    /// IANA time zone of the trading hours.
    #[schema(example = "UTC")]
    pub timezone: String,
    /// POINTS or DISABLED.
    #[schema(example = "POINTS")]
    pub swap_mode: String,
    /// Points per lot per night for a buy.
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64, example = -6.5)]
    pub swap_long: Decimal,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64, example = 1.2)]
    pub swap_short: Decimal,
    /// The weekday (0 = Sunday) charged three nights.
    #[serde(rename = "swap3DayWeekday")]
    #[schema(example = 3)]
    pub swap_3day_weekday: Option<u8>,
    #[schema(example = "LOTS")]
    pub stake_mode: String,
    #[serde(serialize_with = "as_number")]
    #[schema(value_type = f64, example = 100000)]
    pub contract_size: Decimal,
    /// Lots (decimal text); its decimals set the lot step.
    #[serde(serialize_with = "decimal_text")]
    #[schema(value_type = String, example = "0.01")]
    pub min_order_size: Decimal,
    #[serde(serialize_with = "decimal_text")]
    #[schema(value_type = String, example = "100")]
    pub max_order_size: Decimal,
    /// ACTIVE or DISABLED.
    #[schema(example = "ACTIVE")]
    pub status: String,
    pub sort: i32,
    pub filename: Option<String>,
    pub file: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn bad_row(what: &str) -> Error {
    Error::internal(format!("stored instrument has a bad {what}"))
}

fn dec(s: &str, what: &str) -> Result<Decimal> {
    s.parse().map_err(|_| bad_row(what))
}

/// The stored row back into the validated spec.
pub fn spec_of(r: &InstrumentRow) -> Result<InstrumentSpec> {
    let json = |s: &str| serde_json::from_str::<Value>(s).map_err(|_| bad_row("json"));
    let tz = hours::timezone(Some(&r.timezone)).map_err(|_| bad_row("timezone"))?;
    Ok(InstrumentSpec {
        symbol: r.symbol.clone(),
        margin_currency: Currency::parse("marginCurrency", &r.margin_currency)?,
        currency: Currency::parse("currency", &r.currency)?,
        category: Category::parse("category", &r.category)?,
        decimals: u32::try_from(r.decimals).map_err(|_| bad_row("decimals"))?,
        profit_calc_mode: Mode::parse("profitCalcMode", &r.profit_calc_mode)?,
        margin_calc_mode: Mode::parse("marginCalcMode", &r.margin_calc_mode)?,
        sizes: json(&r.sizes)?,
        margin_percentage: dec(&r.margin_percentage, "margin percentage")?,
        hedged_margin_percentage: dec(&r.hedged_margin_percentage, "hedged margin")?,
        trading_hours: TradingHours::parse(&json(&r.trading_hours)?, tz)?,
        swap_mode: SwapMode::parse("swapMode", &r.swap_mode)?,
        swap_long: dec(&r.swap_long, "swap")?,
        swap_short: dec(&r.swap_short, "swap")?,
        swap_3day_weekday: r.swap_3day_weekday.and_then(|d| u8::try_from(d).ok()),
        stake_mode: r.stake_mode.clone(),
        contract_size: dec(&r.contract_size, "contract size")?,
        min_order_size: dec(&r.min_order_size, "size")?,
        max_order_size: dec(&r.max_order_size, "size")?,
        status: InstrumentStatus::parse("status", &r.status)?,
        sort: r.sort,
        filename: r.filename.clone(),
        file: r.file.clone(),
    })
}

/// The spec as a row to store.
pub fn data_of(s: &InstrumentSpec) -> InstrumentData {
    let t = |d: Decimal| d.normalize().to_string();
    InstrumentData {
        symbol: s.symbol.clone(),
        margin_currency: s.margin_currency.as_str().to_owned(),
        currency: s.currency.as_str().to_owned(),
        category: s.category.as_str().to_owned(),
        decimals: i32::try_from(s.decimals).unwrap_or(8),
        profit_calc_mode: s.profit_calc_mode.as_str().to_owned(),
        margin_calc_mode: s.margin_calc_mode.as_str().to_owned(),
        sizes: s.sizes.to_string(),
        margin_percentage: t(s.margin_percentage),
        hedged_margin_percentage: t(s.hedged_margin_percentage),
        trading_hours: s.trading_hours.to_json().to_string(),
        timezone: s.trading_hours.timezone.name().to_owned(),
        swap_mode: s.swap_mode.as_str().to_owned(),
        swap_long: t(s.swap_long),
        swap_short: t(s.swap_short),
        swap_3day_weekday: s.swap_3day_weekday.map(i32::from),
        stake_mode: s.stake_mode.clone(),
        contract_size: t(s.contract_size),
        min_order_size: t(s.min_order_size),
        max_order_size: t(s.max_order_size),
        status: s.status.as_str().to_owned(),
        sort: s.sort,
        filename: s.filename.clone(),
        file: s.file.clone(),
    }
}

impl InstrumentView {
    pub fn of(r: &InstrumentRow) -> Result<Self> {
        let s = spec_of(r)?;
        Ok(Self {
            id: r.id,
            symbol: s.symbol,
            margin_currency: s.margin_currency.as_str().to_owned(),
            currency: s.currency.as_str().to_owned(),
            category: s.category.as_str().to_owned(),
            decimals: s.decimals,
            profit_calc_mode: s.profit_calc_mode.as_str().to_owned(),
            margin_calc_mode: s.margin_calc_mode.as_str().to_owned(),
            sizes: s.sizes,
            margin_percentage: s.margin_percentage,
            hedged_margin_percentage: s.hedged_margin_percentage,
            trading_hours: s.trading_hours.to_json(),
            timezone: s.trading_hours.timezone.name().to_owned(),
            swap_mode: s.swap_mode.as_str().to_owned(),
            swap_long: s.swap_long,
            swap_short: s.swap_short,
            swap_3day_weekday: s.swap_3day_weekday,
            stake_mode: s.stake_mode,
            contract_size: s.contract_size,
            min_order_size: s.min_order_size,
            max_order_size: s.max_order_size,
            status: s.status.as_str().to_owned(),
            sort: s.sort,
            filename: s.filename,
            file: s.file,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}
