//! Market-data accounts: one per application and e-mail (lower case); the wizard's personal
//! data and declared status; generated credentials (login, argon2id hash).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::md_accounts::{self as t, Column as Col, Entity as Accounts};
use crate::error::DbResultExt;

pub use crate::entities::md_accounts::Model as AccountRow;

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub uuid: String,
    pub application_id: i64,
    pub email: String,
    pub metadata: String,
    pub allowed_statuses: String,
    pub customer_user_id: Option<i64>,
}

/// Inserts an account; an e-mail the application already has is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    a: NewAccount,
    at: DateTime<Utc>,
) -> Result<AccountRow> {
    t::ActiveModel {
        uuid: Set(a.uuid),
        application_id: Set(a.application_id),
        email: Set(a.email),
        metadata: Set(a.metadata),
        allowed_statuses: Set(a.allowed_statuses),
        subscriber_status: Set(None),
        personal: Set(None),
        profile_completed_at: Set(None),
        login: Set(None),
        password_hash: Set(None),
        customer_user_id: Set(a.customer_user_id),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The application's account with public id `uuid`.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
    uuid: &str,
) -> Result<Option<AccountRow>> {
    Accounts::find()
        .filter(Col::ApplicationId.eq(application_id))
        .filter(Col::Uuid.eq(uuid))
        .one(conn)
        .await
        .db()
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<AccountRow>> {
    Accounts::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
    email: &str,
) -> Result<Option<AccountRow>> {
    Accounts::find()
        .filter(Col::ApplicationId.eq(application_id))
        .filter(Col::Email.eq(email))
        .one(conn)
        .await
        .db()
}

/// The application's account holding market-data login `login`.
pub async fn find_by_login<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
    login: &str,
) -> Result<Option<AccountRow>> {
    Accounts::find()
        .filter(Col::ApplicationId.eq(application_id))
        .filter(Col::Login.eq(login))
        .one(conn)
        .await
        .db()
}

/// Accounts of an application (all when `None`), by id, one page.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    application_id: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<Vec<AccountRow>> {
    let mut q = Accounts::find();
    if let Some(a) = application_id {
        q = q.filter(Col::ApplicationId.eq(a));
    }
    q.order_by_asc(Col::Id).offset(offset).limit(limit).all(conn).await.db()
}

pub async fn set_email<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    email: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    Accounts::update_many()
        .col_expr(Col::Email, Expr::value(email))
        .col_expr(Col::UpdatedAt, Expr::value(at))
        .filter(Col::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Stores what the wizard confirmed: personal data (JSON) and the declared status.
pub async fn complete_profile<C: ConnectionTrait>(
    conn: &C,
    row: AccountRow,
    personal: String,
    status: &str,
    at: DateTime<Utc>,
) -> Result<AccountRow> {
    let mut m = row.into_active_model();
    m.personal = Set(Some(personal));
    m.subscriber_status = Set(Some(status.to_owned()));
    m.profile_completed_at = Set(Some(at));
    m.updated_at = Set(at);
    m.update(conn).await.db()
}

pub async fn set_credentials<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    login: &str,
    password_hash: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    Accounts::update_many()
        .col_expr(Col::Login, Expr::value(login))
        .col_expr(Col::PasswordHash, Expr::value(password_hash))
        .col_expr(Col::UpdatedAt, Expr::value(at))
        .filter(Col::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Any application's account with public id `uuid` (staff views only).
pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<AccountRow>> {
    Accounts::find().filter(Col::Uuid.eq(uuid)).one(conn).await.db()
}
