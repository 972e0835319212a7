//! The wire types the Users operations share: the user shape and `{"success": true}`.

use brokercrm_app::App;
use brokercrm_app::identity::users::avatar::url_of;
use brokercrm_app::identity::users::{UserRow, public_link};
use brokercrm_core::identity::auth::Role;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Success {
    pub success: bool,
}

impl Success {
    pub fn ok() -> axum::Json<Self> {
        axum::Json(Self { success: true })
    }
}

/// A user as the client portal and the back office see it (the seed's "Update user" answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    /// First and last name joined by a space.
    pub name: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: String,
    /// Public id (UUID).
    pub id: String,
    /// Numeric account id.
    pub account_id: i64,
    /// Public URL of the profile picture, or null.
    pub avatar_url: Option<String>,
    /// E.164 number, e.g. `+442079460958`.
    pub mobilenumber: Option<String>,
    /// The user's referral key.
    pub ref_key: String,
    /// Sign-up link carrying the referral key.
    #[serde(rename = "referralURL")]
    pub referral_url: String,
    /// Role names, e.g. `["customer"]`.
    pub roles: Vec<String>,
    pub local_currency: Option<String>,
    /// When the e-mail address was confirmed; null while unconfirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// ISO 639-1.
    pub communication_language: Option<String>,
    /// Permission names the user's role grants.
    pub permissions: Vec<String>,
    /// Id of the assigned agent in an external CRM; null (not integrated).
    pub coperato_agent_id: Option<String>,
    /// When the user asked to disable the account, or null.
    pub termination_requested_at: Option<DateTime<Utc>>,
    /// Loyalty level; null until the loyalty programme exists.
    #[schema(value_type = Option<Object>)]
    pub loyalty_level: Option<serde_json::Value>,
    /// When the mobile number was confirmed, or null.
    pub phone_confirmed_at: Option<DateTime<Utc>>,
    /// When the deposit disclaimer was accepted, or null.
    pub disclaimer_accepted_at: Option<DateTime<Utc>>,
}

impl UserDto {
    /// The DTO of a stored user.
    pub fn from_row(app: &App, u: &UserRow) -> Self {
        let permissions = u
            .role
            .parse::<Role>()
            .map(|r| r.permissions())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| serde_json::to_value(p).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let name = [u.firstname.as_deref(), u.lastname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            name,
            firstname: u.firstname.clone(),
            lastname: u.lastname.clone(),
            email: u.email.clone(),
            id: u.uuid.clone(),
            account_id: u.id,
            avatar_url: url_of(app, u),
            mobilenumber: u.mobilenumber.clone(),
            ref_key: u.ref_key.clone(),
            referral_url: public_link(app, &format!("/register?ref={}", u.ref_key)),
            roles: vec![u.role.clone()],
            local_currency: u.local_currency.clone(),
            confirmed_at: u.confirmed_at,
            country: u.country.clone(),
            communication_language: u.communication_language.clone(),
            permissions,
            coperato_agent_id: None,
            termination_requested_at: u.termination_requested_at,
            loyalty_level: None,
            phone_confirmed_at: u.phone_confirmed_at,
            disclaimer_accepted_at: u.disclaimer_accepted_at,
        }
    }
}
