//! Market-data accounts: one per application and e-mail (lower case); the wizard's personal
//! data and declared status; generated credentials (login, argon2id hash).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
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

/// What the staff's account list filters on: an application, part of the e-mail.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub application_id: Option<i64>,
    /// Matched anywhere in the (lower-case) e-mail.
    pub email: Option<String>,
}

fn filtered(f: &AccountFilter) -> sea_orm::Select<Accounts> {
    let mut q = Accounts::find();
    if let Some(a) = f.application_id {
        q = q.filter(Col::ApplicationId.eq(a));
    }
    if let Some(e) = f.email.as_deref().filter(|e| !e.is_empty()) {
        let escaped =
            e.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        q = q
            .filter(Expr::col(Col::Email).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    q
}

/// Accounts matching `f`, by id, one page.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &AccountFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<AccountRow>> {
    filtered(f).order_by_asc(Col::Id).offset(offset).limit(limit).all(conn).await.db()
}

/// How many accounts match `f`.
pub async fn count<C: ConnectionTrait>(conn: &C, f: &AccountFilter) -> Result<u64> {
    filtered(f).count(conn).await.db()
}

/// What an update changes; fields left `None` keep their value.
#[derive(Debug, Clone, Default)]
pub struct AccountChange<'a> {
    pub email: Option<&'a str>,
    /// The generated login and the argon2id hash of the password.
    pub credentials: Option<(&'a str, &'a str)>,
    /// What the wizard confirmed: personal data (JSON) and the declared status; the profile
    /// is then complete.
    pub profile: Option<(&'a str, &'a str)>,
}

/// Applies `change` to account `id` (and its `updated_at`). A taken e-mail or login is a
/// `Conflict`.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    change: AccountChange<'_>,
    at: DateTime<Utc>,
) -> Result<()> {
    let mut q = Accounts::update_many().col_expr(Col::UpdatedAt, Expr::value(at));
    if let Some(email) = change.email {
        q = q.col_expr(Col::Email, Expr::value(email));
    }
    if let Some((login, hash)) = change.credentials {
        q = q
            .col_expr(Col::Login, Expr::value(login))
            .col_expr(Col::PasswordHash, Expr::value(hash));
    }
    if let Some((personal, status)) = change.profile {
        q = q
            .col_expr(Col::Personal, Expr::value(personal))
            .col_expr(Col::SubscriberStatus, Expr::value(status))
            .col_expr(Col::ProfileCompletedAt, Expr::value(at));
    }
    q.filter(Col::Id.eq(id)).exec(conn).await.db().map(|_| ())
}

/// Any application's account with public id `uuid` (staff views only).
pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<AccountRow>> {
    Accounts::find().filter(Col::Uuid.eq(uuid)).one(conn).await.db()
}
