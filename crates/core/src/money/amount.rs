//! Exact money: `Money` is a signed count of 10^-8 units in an `i64`, `Currency` a validated code.
//!
//! Range: ±92 233 720 368.54775807 (`i64::MAX` minor units, about ±92 billion) per amount, which
//! is the `BIGINT` the store persists. Every operation is checked (overflow gives `None`/`Err`,
//! never a panic or a wrap) and nothing here touches a binary float. `Money` carries no currency:
//! pair it with a [`Currency`] where the two travel together.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::{Error, Result};

/// Number of decimal places stored.
pub const SCALE: u32 = 8;
/// Minor units in one whole unit (10^8).
pub const UNIT: i64 = 100_000_000;

const BAD_SYNTAX: &str = "must be a decimal number such as 12.34 (no exponent, no spaces)";
const TOO_PRECISE: &str = "must have at most 8 decimal places";
const OUT_OF_RANGE: &str = "is out of range (at most ±92233720368.54775807)";

/// An exact amount: `minor` units of 10^-8. Serialises as its canonical decimal string.
/// There are deliberately no `+`/`-`/`*` operators (they would have to panic or wrap): use the
/// `checked_*` methods.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    pub const MAX: Money = Money(i64::MAX);
    pub const MIN: Money = Money(i64::MIN);

    /// From raw minor units (10^-8).
    pub const fn from_minor(minor: i64) -> Self {
        Self(minor)
    }

    /// Raw minor units (10^-8), as stored.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Whole units (`5` → `5.00000000`); `None` beyond the range.
    pub const fn from_units(units: i64) -> Option<Self> {
        match units.checked_mul(UNIT) {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub const fn checked_add(self, rhs: Money) -> Option<Money> {
        match self.0.checked_add(rhs.0) {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }
    pub const fn checked_sub(self, rhs: Money) -> Option<Money> {
        match self.0.checked_sub(rhs.0) {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }
    /// `None` only for `Money::MIN`.
    pub const fn checked_neg(self) -> Option<Money> {
        match self.0.checked_neg() {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }
    /// `None` only for `Money::MIN`.
    pub const fn checked_abs(self) -> Option<Money> {
        match self.0.checked_abs() {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }
    /// Amount times an integer quantity (price × lots, fee × count).
    pub const fn checked_mul(self, qty: i64) -> Option<Money> {
        match self.0.checked_mul(qty) {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }

    /// Sum of amounts; `None` on overflow of any partial sum.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items.into_iter().try_fold(Money::ZERO, Money::checked_add)
    }

    /// Amount times a decimal factor (rate, percentage), rounded to 10^-8 with `strategy`.
    /// Exact: the product is formed in integers and rounded once. `None` when the result is out
    /// of range or the factor has more significant digits than can be multiplied exactly
    /// (about 19 after normalisation).
    pub fn checked_mul_decimal(self, factor: Decimal, strategy: RoundingStrategy) -> Option<Money> {
        let f = factor.normalize();
        let product = i128::from(self.0).checked_mul(f.mantissa())?;
        let divisor = 10i128.checked_pow(f.scale())?;
        let q = div_round(product, divisor, strategy);
        i64::try_from(q).ok().map(Self)
    }

    /// Parses a plain decimal string (`"12.34"`, `"-0.00000001"`, `"7"`): optional `-`, digits,
    /// optionally `.` and 1-8 digits. No exponent, sign `+`, spaces or separators. Errors name
    /// `field`.
    pub fn parse(field: &str, s: &str) -> Result<Money> {
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || (body.contains('.') && !digits(frac)) {
            return Err(Error::field(field, BAD_SYNTAX));
        }
        if frac.len() > SCALE as usize {
            return Err(Error::field(field, TOO_PRECISE));
        }
        // i128 accumulator with an early bound so arbitrarily long input cannot overflow it.
        let limit = i128::from(i64::MAX) + 1;
        let mut whole: i128 = 0;
        for b in int.bytes() {
            whole = whole * 10 + i128::from(b - b'0');
            if whole > limit {
                return Err(Error::field(field, OUT_OF_RANGE));
            }
        }
        let mut fraction: i128 = 0;
        for i in 0..SCALE as usize {
            let d = frac.as_bytes().get(i).map_or(0, |b| b - b'0');
            fraction = fraction * 10 + i128::from(d);
        }
        let abs = whole * i128::from(UNIT) + fraction;
        let signed = if neg { -abs } else { abs };
        i64::try_from(signed).map(Self).map_err(|_| Error::field(field, OUT_OF_RANGE))
    }

    /// Display form with exactly `dp` decimals, rounded half away from zero when `dp < 8`
    /// (`1.005` at 2 → `"1.01"`); `dp > 8` pads zeros (capped at 28). Never `"-0.00"`.
    pub fn format_fixed(self, dp: u32) -> String {
        let dp = dp.min(28);
        let abs = self.0.unsigned_abs();
        let (scaled, digits) = if dp >= SCALE {
            (u128::from(abs), SCALE)
        } else {
            let div = 10u64.pow(SCALE - dp);
            let (q, r) = (abs / div, abs % div);
            (u128::from(q + u64::from(r >= div - r)), dp)
        };
        let pow = 10u128.pow(digits);
        let (int, frac) = (scaled / pow, scaled % pow);
        let sign = if self.0 < 0 && scaled != 0 { "-" } else { "" };
        if dp == 0 {
            return format!("{sign}{int}");
        }
        let pad = (dp - digits) as usize;
        format!("{sign}{int}.{frac:0width$}{:0<pad$}", "", width = digits as usize)
    }

    /// Exact conversion to `Decimal` (scale 8; call `.normalize()` to trim).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, SCALE)
    }

    /// Exact conversion from `Decimal`: more than 8 significant decimal places or out of range
    /// is an error naming `field` (trailing zeros are fine: `1.500000000000`).
    pub fn from_decimal(field: &str, d: Decimal) -> Result<Money> {
        let n = d.normalize();
        if n.scale() > SCALE {
            return Err(Error::field(field, TOO_PRECISE));
        }
        10i128
            .checked_pow(SCALE - n.scale())
            .and_then(|p| n.mantissa().checked_mul(p))
            .and_then(|m| i64::try_from(m).ok())
            .map(Self)
            .ok_or_else(|| Error::field(field, OUT_OF_RANGE))
    }

    /// `from_decimal` after rounding to 8 places with `strategy` (for computed values).
    pub fn from_decimal_rounded(
        field: &str,
        d: Decimal,
        strategy: RoundingStrategy,
    ) -> Result<Money> {
        Self::from_decimal(field, d.round_dp_with_strategy(SCALE, strategy))
    }
}

/// `p / d` rounded with `strategy` (`d > 0`).
#[allow(deprecated)] // the deprecated aliases are matched so every strategy is honoured
fn div_round(p: i128, d: i128, strategy: RoundingStrategy) -> i128 {
    use RoundingStrategy as S;
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (q, r) = (p / d, p % d);
    if r == 0 {
        return q;
    }
    let half = (r.unsigned_abs() * 2).cmp(&d.unsigned_abs());
    let away = match strategy {
        S::MidpointNearestEven | S::BankersRounding => {
            half == Greater || (half == Equal && q % 2 != 0)
        }
        S::MidpointAwayFromZero | S::RoundHalfUp => half != Less,
        S::MidpointTowardZero | S::RoundHalfDown => half == Greater,
        S::ToZero | S::RoundDown => false,
        S::AwayFromZero | S::RoundUp => true,
        S::ToNegativeInfinity => p < 0,
        S::ToPositiveInfinity => p > 0,
    };
    if !away {
        q
    } else if p < 0 {
        q - 1
    } else {
        q + 1
    }
}

/// Canonical minimal form: no trailing zeros, no `.` for whole amounts, `-` only when non-zero.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let unit = UNIT.unsigned_abs();
        let (int, frac) = (abs / unit, abs % unit);
        let sign = if self.0 < 0 { "-" } else { "" };
        if frac == 0 {
            return write!(f, "{sign}{int}");
        }
        let digits = format!("{frac:08}");
        write!(f, "{sign}{int}.{}", digits.trim_end_matches('0'))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = Error;
    /// Parses with field name `amount`; use [`Money::parse`] to name the field.
    fn from_str(s: &str) -> Result<Self> {
        Self::parse("amount", s)
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Decimal {
        m.to_decimal()
    }
}

impl TryFrom<Decimal> for Money {
    type Error = Error;
    fn try_from(d: Decimal) -> Result<Self> {
        Self::from_decimal("amount", d)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Accepts only a JSON string in [`Money::parse`] syntax (numbers would pass through floats).
impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Money::parse("amount", &s).map_err(|e| serde::de::Error::custom(e.public_message()))
    }
}

/// A currency code: 3 upper-case letters (ISO 4217: `USD`) or a crypto code of 3-5 upper-case
/// letters and digits with at least one letter (`USDT`, `1INCH`). Lower case is rejected.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    bytes: [u8; 5],
    len: u8,
}

const CURRENCY_RULE: &str =
    "must be a currency code of 3-5 upper-case letters or digits (e.g. USD, USDT)";

impl Currency {
    pub const USD: Currency = Currency::lit(b"USD");
    pub const EUR: Currency = Currency::lit(b"EUR");
    pub const GBP: Currency = Currency::lit(b"GBP");
    pub const USDT: Currency = Currency::lit(b"USDT");
    pub const BTC: Currency = Currency::lit(b"BTC");
    pub const ETH: Currency = Currency::lit(b"ETH");
    /// The pseudo-currency of loyalty coin accounts (one coin = one unit).
    pub const COINS: Currency = Currency::lit(b"COINS");

    /// For the constants above only (a bad literal fails the build, not a request).
    const fn lit(code: &[u8]) -> Currency {
        assert!(matches!(code.len(), 3..=5));
        let mut bytes = [0u8; 5];
        let mut i = 0;
        while i < code.len() {
            assert!(code[i].is_ascii_uppercase() || code[i].is_ascii_digit());
            bytes[i] = code[i];
            i += 1;
        }
        Currency { bytes, len: code.len() as u8 }
    }

    /// Validates `s`; errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Currency> {
        let b = s.as_bytes();
        let ok = (3..=5).contains(&b.len())
            && b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b.iter().any(u8::is_ascii_uppercase);
        if !ok {
            return Err(Error::field(field, CURRENCY_RULE));
        }
        let mut bytes = [0u8; 5];
        bytes[..b.len()].copy_from_slice(b);
        Ok(Currency { bytes, len: b.len() as u8 })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }

    /// Three letters: the shape of an ISO 4217 code (fiat), as opposed to a longer crypto code.
    pub fn is_iso_shape(&self) -> bool {
        self.len == 3 && self.as_str().bytes().all(|c| c.is_ascii_uppercase())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl FromStr for Currency {
    type Err = Error;
    /// Parses with field name `currency`.
    fn from_str(s: &str) -> Result<Self> {
        Self::parse("currency", s)
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse("currency", &s).map_err(|e| serde::de::Error::custom(e.public_message()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_formats_examples() {
        assert_eq!(m("12.34").minor(), 1_234_000_000);
        assert_eq!(m("-0.00000001").minor(), -1);
        assert_eq!(m("7").to_string(), "7");
        assert_eq!(m("-0").to_string(), "0");
        assert_eq!(m("0012.3400").to_string(), "12.34");
        assert_eq!(Money::MAX.to_string(), "92233720368.54775807");
        assert_eq!(Money::MIN.to_string(), "-92233720368.54775808");
        assert_eq!(m("-92233720368.54775808"), Money::MIN);
    }

    #[test]
    fn rejects_bad_input_naming_the_field() {
        for bad in ["", "-", ".5", "5.", "1e5", "+1", " 1", "1,000", "1.2.3", "0x10", "١"] {
            let err = Money::parse("price", bad).unwrap_err();
            assert!(err.public_message().starts_with("price: "), "{bad}: {err:?}");
        }
        let err = Money::parse("fee", "0.000000001").unwrap_err();
        assert_eq!(err.public_message(), format!("fee: {TOO_PRECISE}"));
        assert!(Money::parse("x", "92233720368.54775808").is_err());
        assert!(Money::parse("x", &"9".repeat(200)).is_err());
    }

    #[test]
    fn fixed_format_rounds_half_away_from_zero() {
        assert_eq!(m("1.005").format_fixed(2), "1.01");
        assert_eq!(m("-1.005").format_fixed(2), "-1.01");
        assert_eq!(m("1.00499999").format_fixed(2), "1.00");
        assert_eq!(m("-0.001").format_fixed(2), "0.00");
        assert_eq!(m("2.5").format_fixed(0), "3");
        assert_eq!(m("12.3").format_fixed(8), "12.30000000");
        assert_eq!(m("12.3").format_fixed(10), "12.3000000000");
        assert_eq!(Money::MAX.format_fixed(0), "92233720369");
        assert_eq!(Money::MIN.format_fixed(2), "-92233720368.55");
    }

    #[test]
    fn decimal_conversions() {
        let d: Decimal = "1.500000000000".parse().unwrap();
        assert_eq!(Money::from_decimal("a", d).unwrap(), m("1.5"));
        let d: Decimal = "0.000000005".parse().unwrap();
        assert!(Money::from_decimal("a", d).is_err());
        let r = Money::from_decimal_rounded("a", d, RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(r.unwrap(), Money::from_minor(1));
        let d: Decimal = "100000000000".parse().unwrap();
        assert!(Money::from_decimal("a", d).is_err());
    }

    #[test]
    fn multiplies_by_decimal_exactly() {
        let pct: Decimal = "0.025".parse().unwrap();
        let got = m("100.00000001").checked_mul_decimal(pct, RoundingStrategy::MidpointNearestEven);
        assert_eq!(got.unwrap(), m("2.5")); // 2.50000000025 → 2.5
        let half: Decimal = "0.5".parse().unwrap();
        let even = RoundingStrategy::MidpointNearestEven;
        assert_eq!(Money::from_minor(3).checked_mul_decimal(half, even).unwrap().minor(), 2);
        assert_eq!(Money::from_minor(-3).checked_mul_decimal(half, even).unwrap().minor(), -2);
        let away = RoundingStrategy::MidpointAwayFromZero;
        assert_eq!(Money::from_minor(-3).checked_mul_decimal(half, away).unwrap().minor(), -2);
        let down = RoundingStrategy::ToNegativeInfinity;
        assert_eq!(Money::from_minor(-3).checked_mul_decimal(half, down).unwrap().minor(), -2);
        assert_eq!(Money::MAX.checked_mul_decimal(Decimal::TWO, even), None);
    }

    #[test]
    fn serde_is_a_string() {
        assert_eq!(serde_json::to_string(&m("-3.1")).unwrap(), "\"-3.1\"");
        assert_eq!(serde_json::from_str::<Money>("\"0.10\"").unwrap(), m("0.1"));
        assert!(serde_json::from_str::<Money>("1.5").is_err());
        assert!(serde_json::from_str::<Money>("\"1.123456789\"").is_err());
        assert_eq!(serde_json::to_string(&Currency::USDT).unwrap(), "\"USDT\"");
        assert_eq!(serde_json::from_str::<Currency>("\"EUR\"").unwrap(), Currency::EUR);
        assert!(serde_json::from_str::<Currency>("\"eur\"").is_err());
    }

    #[test]
    fn currency_codes() {
        for ok in ["USD", "USDT", "1INCH", "BTC"] {
            assert_eq!(Currency::parse("c", ok).unwrap().as_str(), ok);
        }
        for bad in ["", "US", "usd", "TOOLONG", "123", "US D", "ÉUR"] {
            assert!(Currency::parse("currency", bad).is_err(), "{bad}");
        }
        assert!(Currency::USD.is_iso_shape());
        assert!(!Currency::USDT.is_iso_shape());
        assert_eq!(format!("{:?}", Currency::BTC), "Currency(BTC)");
    }

    proptest! {
        #[test]
        fn format_parse_round_trip(minor in any::<i64>()) {
            let a = Money::from_minor(minor);
            prop_assert_eq!(a.to_string().parse::<Money>().unwrap(), a);
            prop_assert_eq!(Money::parse("a", &a.format_fixed(8)).unwrap(), a);
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), a);
        }

        #[test]
        fn canonical_parse_format_round_trip(
            neg in any::<bool>(),
            int in 0u64..=92_233_720_367,
            frac in proptest::option::of("[0-9]{0,7}[1-9]"),
        ) {
            let sign = if neg && (int != 0 || frac.is_some()) { "-" } else { "" };
            let s = match frac {
                Some(f) => format!("{sign}{int}.{f}"),
                None => format!("{sign}{int}"),
            };
            prop_assert_eq!(Money::parse("a", &s).unwrap().to_string(), s);
        }

        #[test]
        fn checked_ops_never_panic(a in any::<i64>(), b in any::<i64>(), q in any::<i64>()) {
            let (x, y) = (Money::from_minor(a), Money::from_minor(b));
            prop_assert_eq!(x.checked_add(y).map(Money::minor), a.checked_add(b));
            prop_assert_eq!(x.checked_sub(y).map(Money::minor), a.checked_sub(b));
            prop_assert_eq!(x.checked_neg().map(Money::minor), a.checked_neg());
            prop_assert_eq!(x.checked_mul(q).map(Money::minor), a.checked_mul(q));
            prop_assert_eq!(Money::checked_sum([x, y]).map(Money::minor), a.checked_add(b));
            let f = Decimal::new(q, (b.unsigned_abs() % 29) as u32);
            let _ = x.checked_mul_decimal(f, RoundingStrategy::MidpointNearestEven);
            let _ = x.format_fixed((q.unsigned_abs() % 40) as u32);
        }

        #[test]
        fn decimal_round_trip(minor in any::<i64>()) {
            let a = Money::from_minor(minor);
            let d = a.to_decimal();
            prop_assert_eq!(d.to_string(), a.format_fixed(8));
            prop_assert_eq!(Money::from_decimal("a", d).unwrap(), a);
            prop_assert_eq!(Money::try_from(d.normalize()).unwrap(), a);
        }

        #[test]
        fn fixed_matches_decimal_rounding(minor in any::<i64>(), dp in 0u32..=8) {
            let a = Money::from_minor(minor);
            let d = a.to_decimal().round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
            let expect = format!("{d:.prec$}", prec = dp as usize);
            let expect = if expect.starts_with('-') && expect.trim_matches(['-', '0', '.']).is_empty() {
                expect[1..].to_owned()
            } else {
                expect
            };
            prop_assert_eq!(a.format_fixed(dp), expect);
        }

        #[test]
        fn garbage_never_panics(s in "\\PC{0,40}") {
            let _ = Money::parse("a", &s);
            let _ = Currency::parse("c", &s);
        }
    }
}
