//! Users of every role: insert, find, update.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};

use crate::db::now;
use crate::entities::users::{self, Entity as User};
use crate::error::DbResultExt;

pub use crate::entities::users::{ActiveModel as UserChanges, Model as UserRow};

pub const ACTIVE: &str = "active";
pub const DISABLED: &str = "disabled";

/// A user to create. `email` must already be validated and lower-cased.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub uuid: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub communication_language: Option<String>,
    pub wtreferrer: Option<String>,
    pub source: Option<String>,
    pub wants_to_become_leader: bool,
    /// JSON array of onboarding step names.
    pub skip_onboarding_steps: String,
    pub ref_key: String,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// Inserts a user; a taken e-mail is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(conn: &C, u: NewUser) -> Result<UserRow> {
    let t = now();
    users::ActiveModel {
        uuid: Set(u.uuid),
        email: Set(u.email),
        password_hash: Set(u.password_hash),
        role: Set(u.role),
        status: Set(ACTIVE.into()),
        firstname: Set(u.firstname),
        lastname: Set(u.lastname),
        mobilenumber: Set(u.mobilenumber),
        country: Set(u.country),
        communication_language: Set(u.communication_language),
        local_currency: Set(None),
        wtreferrer: Set(u.wtreferrer),
        source: Set(u.source),
        wants_to_become_leader: Set(u.wants_to_become_leader),
        skip_onboarding_steps: Set(u.skip_onboarding_steps),
        ref_key: Set(u.ref_key),
        avatar_key: Set(None),
        avatar_token: Set(None),
        kyc_status: Set("none".into()),
        confirmed_at: Set(u.confirmed_at),
        phone_confirmed_at: Set(None),
        disclaimer_accepted_at: Set(None),
        termination_requested_at: Set(None),
        last_login_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<UserRow>> {
    User::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<UserRow>> {
    User::find().filter(users::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn find_by_email<C: ConnectionTrait>(conn: &C, email: &str) -> Result<Option<UserRow>> {
    User::find().filter(users::Column::Email.eq(email.to_lowercase())).one(conn).await.db()
}

pub async fn find_by_avatar_token<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> Result<Option<UserRow>> {
    User::find().filter(users::Column::AvatarToken.eq(token)).one(conn).await.db()
}

pub async fn count_by_role<C: ConnectionTrait>(conn: &C, role: &str) -> Result<u64> {
    User::find().filter(users::Column::Role.eq(role)).count(conn).await.db()
}

/// Starts a change set for `row`; set fields, then [`save`].
pub fn changes(row: UserRow) -> UserChanges {
    row.into_active_model()
}

/// Writes a change set, stamping `updated_at`.
pub async fn save<C: ConnectionTrait>(conn: &C, mut ch: UserChanges) -> Result<UserRow> {
    ch.updated_at = Set(now());
    ch.update(conn).await.db()
}

/// Sets a user's KYC status from `from` to `to` in one conditional update; `None` when the
/// status was no longer `from`.
pub async fn set_kyc_status<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    from: &str,
    to: &str,
) -> Result<Option<UserRow>> {
    use sea_orm::sea_query::Expr;
    let r = User::update_many()
        .col_expr(users::Column::KycStatus, Expr::value(to))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::KycStatus.eq(from))
        .exec(conn)
        .await
        .db()?;
    if r.rows_affected == 0 {
        return Ok(None);
    }
    find_by_id(conn, id).await
}
