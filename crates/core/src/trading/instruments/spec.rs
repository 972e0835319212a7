//! An instrument's fields as a client sends them (`InstrumentInput`) and validated
//! (`InstrumentSpec`), with the checks an order is held to: price decimals and the size grid
//! (a multiple of the lot step, `10^-d` where `d` is the number of decimals of
//! `minOrderSize`, between `minOrderSize` and `maxOrderSize`).

use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde_json::Value;

use super::fields::{Category, InstrumentStatus, Mode, SwapMode, decimal_text, number, whole};
use super::hours::{TradingHours, timezone};
use crate::validate::{opt_text, text};
use crate::{Currency, Error, Result, Violations};

/// The body of "Create instrument" / "Update instrument by symbol" (plus `timezone`, the
/// zone of `tradingHours`, UTC when absent).
#[derive(Debug, Clone, Default)]
pub struct InstrumentInput {
    pub symbol: String,
    pub margin_currency: String,
    pub currency: String,
    pub category: String,
    pub decimals: f64,
    pub profit_calc_mode: String,
    pub margin_calc_mode: String,
    pub sizes: Value,
    pub margin_percentage: f64,
    pub hedged_margin_percentage: f64,
    pub trading_hours: Value,
    pub timezone: Option<String>,
    pub swap_mode: String,
    pub swap_long: f64,
    pub swap_short: f64,
    pub swap_3day_weekday: Option<f64>,
    pub stake_mode: String,
    pub contract_size: f64,
    pub min_order_size: String,
    pub max_order_size: String,
    pub status: String,
    pub sort: Option<f64>,
    pub filename: Option<String>,
    pub file: Option<String>,
}

/// A validated instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct InstrumentSpec {
    pub symbol: String,
    pub margin_currency: Currency,
    pub currency: Currency,
    pub category: Category,
    pub decimals: u32,
    pub profit_calc_mode: Mode,
    pub margin_calc_mode: Mode,
    /// Size presets offered to clients: objects kept as given.
    pub sizes: Value,
    pub margin_percentage: Decimal,
    pub hedged_margin_percentage: Decimal,
    pub trading_hours: TradingHours,
    pub swap_mode: SwapMode,
    pub swap_long: Decimal,
    pub swap_short: Decimal,
    pub swap_3day_weekday: Option<u8>,
    pub stake_mode: String,
    pub contract_size: Decimal,
    pub min_order_size: Decimal,
    pub max_order_size: Decimal,
    pub status: InstrumentStatus,
    pub sort: i32,
    pub filename: Option<String>,
    pub file: Option<String>,
}

/// Path words the symbol may not take (`/api/instruments/sort` …).
const RESERVED: &[&str] = &["sort", "symbols", "export"];

/// A symbol: 1-32 of `A-Z a-z 0-9 . _ # -`, starting with a letter or digit.
pub fn symbol(field: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    let ok = (1..=32).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._#-".contains(&b))
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Error::field(field, "must be 1-32 letters, digits, '.', '_', '#' or '-'"))
    }
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Validates every field, naming each bad one.
pub fn spec(n: &InstrumentInput) -> Result<InstrumentSpec> {
    let mut v = Violations::new();
    let symbol = v.check(symbol("symbol", &n.symbol));
    let margin_currency = v.check(Currency::parse("marginCurrency", n.margin_currency.trim()));
    let currency = v.check(Currency::parse("currency", n.currency.trim()));
    let category = v.check(Category::parse("category", &n.category));
    let decimals = v.check(whole("decimals", n.decimals, 0, 8));
    let profit = v.check(Mode::parse("profitCalcMode", &n.profit_calc_mode));
    let margin = v.check(Mode::parse("marginCalcMode", &n.margin_calc_mode));
    let sizes = v.check(crate::money::groups::object_list("sizes", &n.sizes));
    let pct = |f: &str, x: f64| number(f, x, 4, Decimal::ZERO, dec(1000));
    let margin_pct = v.check(pct("marginPercentage", n.margin_percentage));
    let hedged_pct = v.check(pct("hedgedMarginPercentage", n.hedged_margin_percentage));
    let tz: Option<Tz> = v.check(timezone(n.timezone.as_deref()));
    let hours = tz.and_then(|tz| v.check(TradingHours::parse(&n.trading_hours, tz)));
    let swap_mode = v.check(SwapMode::parse("swapMode", &n.swap_mode));
    let swap = |f: &str, x: f64| number(f, x, 8, dec(-1_000_000), dec(1_000_000));
    let swap_long = v.check(swap("swapLong", n.swap_long));
    let swap_short = v.check(swap("swapShort", n.swap_short));
    let triple = match n.swap_3day_weekday {
        None => Some(None),
        Some(d) => v.check(whole("swap3DayWeekday", d, 0, 6)).map(|d| u8::try_from(d).ok()),
    };
    let stake_mode = v.check(text("stakeMode", &n.stake_mode, 32));
    let contract_size =
        v.check(number("contractSize", n.contract_size, 8, Decimal::ZERO, dec(1_000_000_000)));
    if contract_size.is_some_and(|c| c.is_zero()) {
        v.push("contractSize", "must be above 0");
    }
    let size = |f: &str, s: &str| decimal_text(f, s, 8, Decimal::ZERO, dec(1_000_000));
    let min = v.check(size("minOrderSize", &n.min_order_size));
    let max = v.check(size("maxOrderSize", &n.max_order_size));
    if min.is_some_and(|m| m.is_zero()) {
        v.push("minOrderSize", "must be above 0");
    }
    if let (Some(a), Some(b)) = (min, max)
        && b < a
    {
        v.push("maxOrderSize", "must not be below minOrderSize");
    }
    let status = v.check(InstrumentStatus::parse("status", &n.status));
    let sort = match n.sort {
        None => Some(0),
        Some(s) => v.check(whole("sort", s, 0, 1_000_000)),
    };
    let filename = v.check(opt_text("filename", n.filename.as_deref(), 255));
    let file = v.check(opt_text("file", n.file.as_deref(), 2048));
    v.finish()?;
    let missing = || Error::internal("unreachable: violations were empty");
    Ok(InstrumentSpec {
        symbol: symbol.ok_or_else(missing)?,
        margin_currency: margin_currency.ok_or_else(missing)?,
        currency: currency.ok_or_else(missing)?,
        category: category.ok_or_else(missing)?,
        decimals: decimals.and_then(|d| u32::try_from(d).ok()).ok_or_else(missing)?,
        profit_calc_mode: profit.ok_or_else(missing)?,
        margin_calc_mode: margin.ok_or_else(missing)?,
        sizes: sizes.ok_or_else(missing)?,
        margin_percentage: margin_pct.ok_or_else(missing)?,
        hedged_margin_percentage: hedged_pct.ok_or_else(missing)?,
        trading_hours: hours.ok_or_else(missing)?,
        swap_mode: swap_mode.ok_or_else(missing)?,
        swap_long: swap_long.ok_or_else(missing)?,
        swap_short: swap_short.ok_or_else(missing)?,
        swap_3day_weekday: triple.ok_or_else(missing)?,
        stake_mode: stake_mode.ok_or_else(missing)?,
        contract_size: contract_size.ok_or_else(missing)?,
        min_order_size: min.ok_or_else(missing)?,
        max_order_size: max.ok_or_else(missing)?,
        status: status.ok_or_else(missing)?,
        sort: sort.and_then(|s| i32::try_from(s).ok()).ok_or_else(missing)?,
        filename: filename.ok_or_else(missing)?,
        file: file.ok_or_else(missing)?,
    })
}

impl InstrumentSpec {
    /// The lot step: `10^-d`, `d` the decimals of `minOrderSize`.
    pub fn lot_step(&self) -> Decimal {
        Decimal::new(1, self.min_order_size.normalize().scale())
    }

    /// A size in lots: within the limits and on the grid.
    pub fn check_size(&self, field: &str, size: Decimal) -> Result<()> {
        if size < self.min_order_size || size > self.max_order_size {
            return Err(Error::field(
                field,
                format!("must be from {} to {} lots", self.min_order_size, self.max_order_size),
            ));
        }
        if size.normalize().scale() > self.min_order_size.normalize().scale() {
            return Err(Error::field(
                field,
                format!("must be a multiple of {} lots", self.lot_step()),
            ));
        }
        Ok(())
    }

    /// A price: positive with at most `decimals` decimals.
    pub fn check_price(&self, field: &str, price: Decimal) -> Result<()> {
        if price <= Decimal::ZERO {
            return Err(Error::field(field, "must be above 0"));
        }
        if price.normalize().scale() > self.decimals {
            return Err(Error::field(
                field,
                format!("must have at most {} decimal places", self.decimals),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    pub fn eurusd() -> InstrumentInput {
        InstrumentInput {
            symbol: "EURUSD".into(),
            margin_currency: "EUR".into(),
            currency: "USD".into(),
            category: "currencies".into(),
            decimals: 5.0,
            profit_calc_mode: "FOREX".into(),
            margin_calc_mode: "FOREX".into(),
            sizes: json!([]),
            margin_percentage: 100.0,
            hedged_margin_percentage: 50.0,
            trading_hours: json!([]),
            swap_mode: "POINTS".into(),
            swap_long: -6.5,
            swap_short: 1.2,
            swap_3day_weekday: Some(3.0),
            stake_mode: "LOTS".into(),
            contract_size: 100_000.0,
            min_order_size: "0.01".into(),
            max_order_size: "100".into(),
            status: "ACTIVE".into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_and_invalid() {
        let s = spec(&eurusd()).unwrap();
        assert_eq!(s.lot_step().to_string(), "0.01");
        assert!(s.check_size("size", "0.05".parse().unwrap()).is_ok());
        assert!(s.check_size("size", "0.015".parse().unwrap()).is_err());
        assert!(s.check_size("size", "101".parse().unwrap()).is_err());
        assert!(s.check_price("openPrice", "1.123456".parse().unwrap()).is_err());
        let bad = InstrumentInput {
            symbol: "sort".into(),
            decimals: 9.0,
            min_order_size: "2".into(),
            max_order_size: "1".into(),
            category: "bonds".into(),
            ..eurusd()
        };
        let Err(Error::Validation(f)) = spec(&bad) else { panic!() };
        let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["symbol", "category", "decimals", "maxOrderSize"]);
    }
}
