//! Seed 002 tag Bonuses: the bonus rules under `/api/bonuses` (SIGNUP, DEPOSIT,
//! DEPOSIT_PROPORTIONAL), applied automatically by the app exactly once per triggering event.
//! Amounts are exact decimals: numbers are read through their shortest decimal form.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::bonuses::{self, BonusView};
use brokercrm_core::money::bonuses::RuleInput;
use brokercrm_core::{Error, Money, Violations};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wallets::dto::money;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// A decimal as a JSON number for display (exact: at most 19 significant digits, printed
/// through their shortest form).
pub(crate) fn number(text: &str) -> f64 {
    text.parse().unwrap_or_default()
}

/// A bonus rule.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BonusDto {
    #[schema(example = "welcome-2026")]
    pub id: String,
    /// `SIGNUP`, `DEPOSIT` or `DEPOSIT_PROPORTIONAL`.
    #[serde(rename = "type")]
    #[schema(example = "DEPOSIT_PROPORTIONAL")]
    pub kind: String,
    /// USD for SIGNUP and DEPOSIT; percent of the deposit for DEPOSIT_PROPORTIONAL.
    #[schema(example = 25)]
    pub amount: f64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(rename = "minimumDepositUSD")]
    #[schema(example = 100)]
    pub minimum_deposit_usd: Option<f64>,
    #[serde(rename = "maximumAmountUSD")]
    #[schema(example = 500)]
    pub maximum_amount_usd: Option<f64>,
    pub add_to_credit: bool,
    /// Deposit methods that qualify; empty: every method.
    pub methods: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BonusView> for BonusDto {
    fn from(v: BonusView) -> Self {
        let num = |m: Money| number(&m.to_string());
        Self {
            amount: number(&v.amount_text()),
            id: v.id,
            kind: v.rule.kind.as_str().to_owned(),
            start: v.rule.start,
            end: v.rule.end,
            minimum_deposit_usd: v.rule.minimum_deposit_usd.map(num),
            maximum_amount_usd: v.rule.maximum_amount_usd.map(num),
            add_to_credit: v.rule.add_to_credit,
            methods: v.rule.methods,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// `{"bonuses": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BonusesResponse {
    pub bonuses: Vec<BonusDto>,
}

/// `{"bonus": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BonusResponse {
    pub bonus: BonusDto,
}

/// Body of "Create a new bonus" and "Update a bonus" (`id` only on create).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BonusRequest {
    /// RFC 3339; the rule applies from this instant.
    #[schema(value_type = String, example = "2026-01-01T00:00:00Z")]
    pub start: Option<String>,
    /// RFC 3339, after `start`; the rule applies until this instant.
    #[schema(value_type = String, example = "2026-12-31T23:59:59Z")]
    pub end: Option<String>,
    /// USD above 0 (at most 8 decimals) for SIGNUP and DEPOSIT; for DEPOSIT_PROPORTIONAL a
    /// percentage above 0 and at most 1000 with at most 2 decimals.
    #[schema(value_type = f64, example = 25)]
    pub amount: Option<Value>,
    #[serde(rename = "type")]
    #[schema(example = "DEPOSIT_PROPORTIONAL")]
    pub kind: Option<String>,
    /// Smallest qualifying deposit in USD (deposits in other currencies are converted).
    #[serde(rename = "minimumDepositUSD")]
    #[schema(value_type = Option<f64>, example = 100)]
    pub minimum_deposit_usd: Option<Value>,
    /// Largest bonus in USD.
    #[serde(rename = "maximumAmountUSD")]
    #[schema(value_type = Option<f64>, example = 500)]
    pub maximum_amount_usd: Option<Value>,
    /// Grant into the wallet's credit instead of its balance.
    pub add_to_credit: Option<bool>,
    /// Deposit methods that qualify (e.g. `card`, `manual`); empty: every method.
    pub methods: Option<Vec<String>>,
    /// Create only: the rule's id (1-64 letters, digits, `_`, `-`, `.`); a UUID if absent.
    #[schema(example = "welcome-2026")]
    pub id: Option<String>,
}

fn instant(v: &mut Violations, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    match raw.map(str::trim) {
        None | Some("") => {
            v.push(field, "is required");
            None
        }
        Some(s) => v.check(
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| Error::field(field, "must be an RFC 3339 date-time")),
        ),
    }
}

fn opt_money(v: &mut Violations, field: &str, raw: Option<&Value>) -> Option<Money> {
    match raw {
        None | Some(Value::Null) => None,
        Some(x) => v.check(money(field, x)),
    }
}

/// Reads the body into the app's input, reporting every malformed field at once.
fn rule_input(b: &BonusRequest) -> Result<RuleInput, Error> {
    let mut v = Violations::new();
    let start = instant(&mut v, "start", b.start.as_deref());
    let end = instant(&mut v, "end", b.end.as_deref());
    let amount = match &b.amount {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => {
            v.push("amount", "is required");
            String::new()
        }
        Some(_) => {
            v.push("amount", "must be a number");
            String::new()
        }
    };
    if b.kind.is_none() {
        v.push("type", "is required");
    }
    if b.add_to_credit.is_none() {
        v.push("addToCredit", "is required");
    }
    if b.methods.is_none() {
        v.push("methods", "is required (an empty array: every method)");
    }
    let minimum_deposit_usd =
        opt_money(&mut v, "minimumDepositUSD", b.minimum_deposit_usd.as_ref());
    let maximum_amount_usd = opt_money(&mut v, "maximumAmountUSD", b.maximum_amount_usd.as_ref());
    v.finish()?;
    Ok(RuleInput {
        kind: b.kind.clone().unwrap_or_default(),
        amount,
        start,
        end,
        minimum_deposit_usd,
        maximum_amount_usd,
        add_to_credit: b.add_to_credit.unwrap_or(false),
        methods: b.methods.clone().unwrap_or_default(),
    })
}

/// Lists every bonus rule, oldest first (ReadWallets).
#[utoipa::path(
    get, path = "/api/bonuses", tag = "Bonuses", summary = "Get all bonuses",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The bonus rules", body = BonusesResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody)
    )
)]
pub async fn list_bonuses(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<BonusesResponse>> {
    let list = bonuses::list(&app, &p).await?;
    Ok(axum::Json(BonusesResponse { bonuses: list.into_iter().map(BonusDto::from).collect() }))
}

/// Creates a bonus rule (ManageWalletMoney; audited).
#[utoipa::path(
    post, path = "/api/bonuses", tag = "Bonuses", summary = "Create a new bonus",
    request_body = BonusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new rule", body = BonusResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 409, description = "A bonus with this id exists", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn create_bonus(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<BonusRequest>,
) -> ApiResult<axum::Json<BonusResponse>> {
    let input = rule_input(&b)?;
    let v = bonuses::create(&app, &p, b.id.as_deref(), input).await?;
    Ok(axum::Json(BonusResponse { bonus: v.into() }))
}

/// Replaces a bonus rule (ManageWalletMoney; audited). Bonuses already granted stay.
#[utoipa::path(
    put, path = "/api/bonuses/{id}", tag = "Bonuses", summary = "Update a bonus",
    params(("id" = String, Path, description = "Bonus ID")),
    request_body = BonusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The updated rule", body = BonusResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 404, description = "No such bonus", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn update_bonus(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<BonusRequest>,
) -> ApiResult<axum::Json<BonusResponse>> {
    let input = rule_input(&b)?;
    let v = bonuses::update(&app, &p, &id, input).await?;
    Ok(axum::Json(BonusResponse { bonus: v.into() }))
}

/// Deletes a bonus rule and returns it (ManageWalletMoney; audited).
#[utoipa::path(
    delete, path = "/api/bonuses/{id}", tag = "Bonuses", summary = "Delete a bonus",
    params(("id" = String, Path, description = "Bonus ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The deleted rule", body = BonusResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 404, description = "No such bonus", body = ErrorBody)
    )
)]
pub async fn delete_bonus(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<BonusResponse>> {
    let v = bonuses::delete(&app, &p, &id).await?;
    Ok(axum::Json(BonusResponse { bonus: v.into() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_bonuses, create_bonus))
        .routes(routes!(update_bonus, delete_bonus))
}
