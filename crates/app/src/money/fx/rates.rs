//! Exchange rates (seed tag Exchange Rate): list, create and update rates (one per currency
//! pair, with a source), and the quote a client sees for a payment method.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::fx::{self, ConversionPath, ExchangeRate, Leg, Rate, rate_source};
use brokercrm_core::{Currency, Error, Money, Result, Violations};
use brokercrm_store::db;
use brokercrm_store::repo::money::fx::rates::{self, RateData, RateRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{stored_currency, stored_rate};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A rate: `1 from_currency = rate × to_currency`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateView {
    pub id: String,
    pub from_currency: Currency,
    pub to_currency: Currency,
    pub source: String,
    pub rate: Rate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RateView {
    fn of(row: RateRow) -> Result<Self> {
        Ok(Self {
            from_currency: stored_currency(&row.from_currency)?,
            to_currency: stored_currency(&row.to_currency)?,
            rate: stored_rate(&row.rate)?,
            id: row.id,
            source: row.source,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// A rate as the client sent it: a JSON number (read as a double) or a decimal string.
#[derive(Debug, Clone)]
pub enum RawRate {
    Number(f64),
    Text(String),
}

impl RawRate {
    fn parse(&self, field: &str) -> Result<Rate> {
        match self {
            RawRate::Number(f) => Rate::from_f64(field, *f),
            RawRate::Text(s) => Rate::parse(field, s),
        }
    }
}

/// Body of create and update. On update an absent `rate` keeps the current one.
#[derive(Debug, Clone)]
pub struct RateInput {
    pub from_currency: String,
    pub to_currency: String,
    pub source: String,
    pub rate: Option<RawRate>,
}

/// Validates every field at once; `rate` is `None` only when absent on update.
fn checked(
    input: &RateInput,
    creating: bool,
) -> Result<(Currency, Currency, String, Option<Rate>)> {
    let mut v = Violations::new();
    let from = v.check(Currency::parse("fromCurrency", input.from_currency.trim()));
    let to = v.check(Currency::parse("toCurrency", input.to_currency.trim()));
    let source = v.check(rate_source("source", &input.source));
    let rate = match &input.rate {
        Some(r) => v.check(r.parse("rate")),
        None if creating => {
            v.push("rate", "is required: no automatic rate feed is configured");
            None
        }
        None => None,
    };
    if let (Some(f), Some(t), Some(r)) = (from, to, rate) {
        v.check(ExchangeRate::new(f, t, r));
    } else if from.is_some() && from == to {
        v.push("toCurrency", "must differ from fromCurrency");
    }
    v.finish()?;
    match (from, to, source) {
        (Some(f), Some(t), Some(s)) => Ok((f, t, s, rate)),
        _ => Err(Error::internal("validated rate input incomplete")),
    }
}

fn pair_taken(e: Error, from: Currency, to: Currency) -> Error {
    match e {
        Error::Conflict(_) => {
            Error::Conflict(format!("an exchange rate from {from} to {to} already exists"))
        }
        other => other,
    }
}

/// "Get all exchange rates", by pair (ReadExchangeRates).
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<RateView>> {
    actor.require(Permission::ReadExchangeRates)?;
    rates::list(app.db().conn()).await?.into_iter().map(RateView::of).collect()
}

/// "Create exchange rate" (ManageExchangeRates); one rate per pair (`Conflict`). Audited.
pub async fn create(app: &App, actor: &Principal, input: RateInput) -> Result<RateView> {
    actor.require(Permission::ManageExchangeRates)?;
    let (from, to, source, rate) = checked(&input, true)?;
    let rate = rate.ok_or_else(|| Error::field("rate", "is required"))?;
    let data = RateData {
        from_currency: from.to_string(),
        to_currency: to.to_string(),
        source,
        rate: rate.to_string(),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let tx = app.db().begin_write().await?;
    let row = rates::insert(&tx, &id, data).await.map_err(|e| pair_taken(e, from, to))?;
    let view = RateView::of(row)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("exchange_rate.create", "exchange_rate", id)
            .details(format!("exchange rate {from}/{to} = {rate} ({}) created", view.source))
            .after(&view),
    )
    .await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Update exchange rate by ID" (ManageExchangeRates): replaces pair and source, and the rate
/// when given. Audited.
pub async fn update(app: &App, actor: &Principal, id: &str, input: RateInput) -> Result<RateView> {
    actor.require(Permission::ManageExchangeRates)?;
    let (from, to, source, rate) = checked(&input, false)?;
    let tx = app.db().begin_write().await?;
    let old = rates::get(&tx, id).await?.ok_or(Error::NotFound("exchange rate"))?;
    let before = RateView::of(old)?;
    let rate = rate.unwrap_or(before.rate);
    let data = RateData {
        from_currency: from.to_string(),
        to_currency: to.to_string(),
        source,
        rate: rate.to_string(),
    };
    if !rates::update(&tx, id, data).await.map_err(|e| pair_taken(e, from, to))? {
        return Err(Error::NotFound("exchange rate"));
    }
    let after = RateView::of(rates::get(&tx, id).await?.ok_or(Error::NotFound("exchange rate"))?)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("exchange_rate.update", "exchange_rate", id)
            .details(format!("exchange rate {from}/{to} = {rate} ({}) updated", after.source))
            .before(&before)
            .after(&after),
    )
    .await?;
    db::commit(tx).await?;
    Ok(after)
}

/// The query of "Get exchange rate".
#[derive(Debug, Clone, Default)]
pub struct QuoteQuery {
    /// The payment method, matched against the rates' `source`.
    pub method: String,
    /// The amount to convert, in the rate's `fromCurrency`.
    pub amount: String,
    /// Narrow to one pair when the method quotes several.
    pub from_currency: Option<String>,
    pub to_currency: Option<String>,
}

/// A quote: the rate of the method and `amount` converted with it.
#[derive(Debug, Clone)]
pub struct Quote {
    pub rate: Rate,
    pub from_currency: Currency,
    pub to_currency: Currency,
    pub source: String,
    pub amount: Money,
    pub converted: Money,
}

/// "Get exchange rate" (any signed-in user): the rate whose source is `method`, narrowed by
/// the optional currencies, and `amount` converted with it (rounded half to even).
pub async fn quote(app: &App, _actor: &Principal, q: QuoteQuery) -> Result<Quote> {
    let mut v = Violations::new();
    let method = v.check(rate_source("method", &q.method));
    let amount = v.check(Money::parse("amount", q.amount.trim()));
    if amount.is_some_and(|a| !a.is_positive()) {
        v.push("amount", "must be greater than 0");
    }
    let from = q.from_currency.as_deref().map(|s| v.check(Currency::parse("fromCurrency", s)));
    let to = q.to_currency.as_deref().map(|s| v.check(Currency::parse("toCurrency", s)));
    v.finish()?;
    let (Some(method), Some(amount)) = (method, amount) else {
        return Err(Error::internal("validated quote input incomplete"));
    };
    let rows = rates::by_source(app.db().conn(), &method, rates::LIST_LIMIT).await?;
    let mut found = Vec::new();
    for row in rows {
        let view = RateView::of(row)?;
        if from.flatten().is_none_or(|f| f == view.from_currency)
            && to.flatten().is_none_or(|t| t == view.to_currency)
        {
            found.push(view);
        }
    }
    let rate = match found.as_slice() {
        [] => return Err(Error::NotFound("exchange rate")),
        [one] => one.clone(),
        _ => {
            return Err(Error::field(
                "method",
                "several exchange rates use this method: give fromCurrency and toCurrency",
            ));
        }
    };
    let path =
        ConversionPath::new(vec![Leg::direct(rate.from_currency, rate.to_currency, rate.rate)])?;
    let converted = fx::convert(amount, &path)?;
    Ok(Quote {
        rate: rate.rate,
        from_currency: rate.from_currency,
        to_currency: rate.to_currency,
        source: rate.source,
        amount,
        converted: converted.amount,
    })
}
