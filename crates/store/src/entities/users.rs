//! Entity for the `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub status: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub communication_language: Option<String>,
    pub local_currency: Option<String>,
    pub wtreferrer: Option<String>,
    pub source: Option<String>,
    pub wants_to_become_leader: bool,
    pub skip_onboarding_steps: String,
    #[sea_orm(unique)]
    pub ref_key: String,
    pub avatar_key: Option<String>,
    pub avatar_token: Option<String>,
    pub kyc_status: String,
    pub confirmed_at: Option<DateTimeUtc>,
    pub phone_confirmed_at: Option<DateTimeUtc>,
    pub disclaimer_accepted_at: Option<DateTimeUtc>,
    pub termination_requested_at: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    /// Bumped to end every access token of the user at once (see `identity::tokens`).
    pub token_generation: i64,
    /// Set on a one-time password (the first admin's): the portal asks for a new one first.
    pub password_change_required: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
