//! Seed 002 tag Mass Bonuses: one bonus paid to many wallets named by username (the wallet's
//! numeric id), each its own ledger transfer; the result reports every wallet.

use axum::extract::State;
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::money::bonuses::mass::{self, MassInput, MassReport};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wallets::dto::{idempotency_key, money};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Body of "Create a mass bonus".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassBonusRequest {
    /// Shown as the transfers' comment.
    #[schema(example = "Black Friday")]
    pub name: Option<String>,
    /// The amount's currency (default USD); every wallet must hold it.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// Pay into the wallets' credit instead of their balance.
    pub add_to_credit: Option<bool>,
    /// Above 0, at most 8 decimals.
    #[schema(value_type = f64, example = 50)]
    pub amount: Option<Value>,
    /// Wallet usernames (numeric wallet ids) separated by commas, at most 1000.
    #[schema(example = "1001,1002,1003")]
    pub accounts: Option<String>,
}

/// One wallet's outcome.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassItemDto {
    /// The username as sent.
    pub account: String,
    /// `applied`, `replayed` (paid by an earlier try with the same Idempotency-Key) or
    /// `failed`.
    pub status: String,
    pub transfer_id: Option<String>,
    /// Why it failed: unknown wallet, disabled, demo, another currency...
    pub reason: Option<String>,
}

/// The outcome of the whole request.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MassResultDto {
    pub name: Option<String>,
    pub currency: String,
    /// Decimal string.
    #[schema(example = "50")]
    pub amount: String,
    pub add_to_credit: bool,
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub items: Vec<MassItemDto>,
}

/// `{"result": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MassBonusResponse {
    pub result: MassResultDto,
}

impl From<MassReport> for MassResultDto {
    fn from(r: MassReport) -> Self {
        Self {
            name: r.name,
            currency: r.currency.to_string(),
            amount: r.amount.to_string(),
            add_to_credit: r.add_to_credit,
            total: r.total,
            succeeded: r.succeeded,
            failed: r.failed,
            items: r
                .items
                .into_iter()
                .map(|i| MassItemDto {
                    account: i.account,
                    status: i.status.to_owned(),
                    transfer_id: i.transfer_id,
                    reason: i.reason,
                })
                .collect(),
        }
    }
}

/// Pays a bonus to each listed wallet (ManageWalletMoney; each payment audited). A wallet
/// that cannot be paid is reported, not fatal. Send an `Idempotency-Key` to make a retry
/// pay only the wallets not yet paid.
#[utoipa::path(
    post, path = "/api/mass-bonuses", tag = "Mass Bonuses", summary = "Create a mass bonus",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body pay each wallet once")),
    request_body = MassBonusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Per-wallet outcome", body = MassBonusResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 422, description = "Invalid field (nothing paid)", body = ErrorBody)
    )
)]
pub async fn create_mass_bonus(
    State(app): State<App>,
    Auth(p): Auth,
    headers: HeaderMap,
    Json(b): Json<MassBonusRequest>,
) -> ApiResult<axum::Json<MassBonusResponse>> {
    let amount = match &b.amount {
        Some(v) => money("amount", v)?,
        None => return Err(Error::field("amount", "is required").into()),
    };
    let input = MassInput {
        name: b.name,
        currency: b.currency,
        add_to_credit: b.add_to_credit.unwrap_or(false),
        amount,
        accounts: b.accounts.unwrap_or_default(),
    };
    let key = idempotency_key(&headers)?;
    let report = mass::create(&app, &p, input, key.as_deref()).await?;
    Ok(axum::Json(MassBonusResponse { result: report.into() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(create_mass_bonus))
}
