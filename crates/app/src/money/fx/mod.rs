//! Currency conversion (seed tags Exchange Rate and Conversions): rate and path management,
//! and [`convert`], which every cross-currency amount goes through.
//!
//! Path resolution for `from → to`, first match wins: the same currency (identity); the
//! conversion configured from `from` to `to`; the reverse of the one configured from `to` to
//! `from`; the direct rate `from → to`; the inverse of the rate `to → from`. Each leg of a
//! configured path uses the direct rate of its pair, else the inverse of the opposite one.
//! Rounding: exact across all legs, one half-even rounding to 10^-8 (see `core::fx`).

pub mod conversions;
pub mod rates;

use brokercrm_core::money::fx::{self, ConversionPath, Leg, Rate};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::fx::conversions as conv_repo;
use brokercrm_store::repo::money::fx::rates as rate_repo;

use crate::App;

pub use brokercrm_core::money::fx::Converted;

/// Converts `amount` of `from` into `to` along the configured path, reading with the app's
/// pool. Fails with a validation error on field `currency` naming the currencies when no
/// path exists, and on `amount` when the result is out of range.
pub async fn convert(
    app: &App,
    amount: Money,
    from: &Currency,
    to: &Currency,
) -> Result<Converted> {
    convert_with(app.db().conn(), amount, from, to).await
}

/// [`convert`] on a given connection, e.g. inside the caller's write transaction so the rates
/// read are the ones the transfer commits with.
pub async fn convert_with<C: ConnectionTrait>(
    conn: &C,
    amount: Money,
    from: &Currency,
    to: &Currency,
) -> Result<Converted> {
    let path = resolve_path(conn, *from, *to).await?;
    fx::convert(amount, &path)
}

/// The path `convert` would use from `from` to `to` (see the module docs for the order).
pub async fn resolve_path<C: ConnectionTrait>(
    conn: &C,
    from: Currency,
    to: Currency,
) -> Result<ConversionPath> {
    if from == to {
        return Ok(ConversionPath::identity(from));
    }
    let configured = match conv_repo::find_pair(conn, from.as_str(), to.as_str()).await? {
        Some(row) => Some(stored_codes(&row.path)?),
        None => conv_repo::find_pair(conn, to.as_str(), from.as_str())
            .await?
            .map(|row| {
                stored_codes(&row.path).map(|mut c| {
                    c.reverse();
                    c
                })
            })
            .transpose()?,
    };
    let Some(codes) = configured else {
        return match leg(conn, from, to).await? {
            Some(l) => ConversionPath::new(vec![l]),
            None => Err(Error::field(
                "currency",
                format!("no exchange rate or conversion path from {from} to {to}"),
            )),
        };
    };
    let mut legs = Vec::with_capacity(codes.len());
    for pair in codes.windows(2) {
        if let [a, b] = pair {
            legs.push(leg(conn, *a, *b).await?.ok_or_else(|| {
                Error::field(
                    "currency",
                    format!(
                        "no exchange rate between {a} and {b} for the conversion path {}",
                        fx::format_path(&codes)
                    ),
                )
            })?);
        }
    }
    ConversionPath::new(legs)
}

/// The leg `a → b`: the rate configured for the pair, else the inverse of `b → a`.
pub(crate) async fn leg<C: ConnectionTrait>(
    conn: &C,
    a: Currency,
    b: Currency,
) -> Result<Option<Leg>> {
    if let Some(row) = rate_repo::find_pair(conn, a.as_str(), b.as_str()).await? {
        return Ok(Some(Leg::direct(a, b, stored_rate(&row.rate)?)));
    }
    match rate_repo::find_pair(conn, b.as_str(), a.as_str()).await? {
        Some(row) => Ok(Some(Leg::inverse(a, b, stored_rate(&row.rate)?))),
        None => Ok(None),
    }
}

/// A stored rate (validated on write; a bad value is a bug).
pub(crate) fn stored_rate(s: &str) -> Result<Rate> {
    Rate::parse("rate", s).map_err(|_| Error::internal(format!("stored rate '{s}' is invalid")))
}

/// A stored currency code.
pub(crate) fn stored_currency(s: &str) -> Result<Currency> {
    Currency::parse("currency", s)
        .map_err(|_| Error::internal(format!("stored currency '{s}' is invalid")))
}

/// A stored path (`EUR,USD,BTC`).
fn stored_codes(path: &str) -> Result<Vec<Currency>> {
    path.split(',').map(stored_currency).collect()
}
