//! The `users` table, the one home of its SQL: users of every role (staff, affiliates,
//! customers): insert, find, update, the lookups other contexts share, generated customers.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
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
    /// A one-time password: it must be changed at the first portal login.
    pub password_change_required: bool,
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
        password_change_required: Set(u.password_change_required),
        token_generation: Set(0),
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

/// Bumps the user's token generation (every access token issued before fails) and, when
/// `status` is given, sets the status too, in one update; `None` for an unknown user.
pub async fn end_tokens<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: Option<&str>,
) -> Result<Option<UserRow>> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut q = User::update_many()
        .col_expr(users::Column::TokenGeneration, Expr::col(users::Column::TokenGeneration).add(1))
        .col_expr(users::Column::UpdatedAt, Expr::value(now()));
    if let Some(s) = status {
        q = q.col_expr(users::Column::Status, Expr::value(s));
    }
    let r = q.filter(users::Column::Id.eq(id)).exec(conn).await.db()?;
    if r.rows_affected == 0 {
        return Ok(None);
    }
    find_by_id(conn, id).await
}

/// Sets or clears the user's `password_change_required` flag.
pub async fn set_password_change_required<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    required: bool,
) -> Result<()> {
    use sea_orm::sea_query::Expr;
    User::update_many()
        .col_expr(users::Column::PasswordChangeRequired, Expr::value(required))
        .filter(users::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Users with these ids (any order), to show their public ids and names next to other records.
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    User::find().filter(users::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}

/// The user whose referral code (`ref_key`) is `code`.
pub async fn find_by_ref_key<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<UserRow>> {
    User::find().filter(users::Column::RefKey.eq(code)).one(conn).await.db()
}

/// `(id, email, mobile number)` of the customers whose e-mail or mobile number is given, by id.
pub async fn customers_matching<C: ConnectionTrait>(
    conn: &C,
    emails: &[String],
    phones: &[String],
) -> Result<Vec<(i64, String, Option<String>)>> {
    let Some(cond) = customer_contacts(emails, phones) else { return Ok(Vec::new()) };
    User::find()
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::Email)
        .column(users::Column::Mobilenumber)
        .filter(cond)
        .order_by_asc(users::Column::Id)
        .into_tuple()
        .all(conn)
        .await
        .db()
}

/// Customers with one of `emails` or `phones`; `None` when both are empty.
fn customer_contacts(emails: &[String], phones: &[String]) -> Option<Condition> {
    if emails.is_empty() && phones.is_empty() {
        return None;
    }
    let mut any = Condition::any();
    if !emails.is_empty() {
        any = any.add(users::Column::Email.is_in(emails.to_vec()));
    }
    if !phones.is_empty() {
        any = any.add(users::Column::Mobilenumber.is_in(phones.to_vec()));
    }
    Some(Condition::all().add(users::Column::Role.eq("customer")).add(any))
}

/// Sales people (managers and agents), by e-mail, at most `limit`; only those among `ids`
/// when given.
pub async fn sales_people<C: ConnectionTrait>(
    conn: &C,
    ids: Option<&[i64]>,
    limit: u64,
) -> Result<Vec<UserRow>> {
    let mut cond = Condition::all().add(users::Column::Role.is_in([
        "manager",
        "conversion_agent",
        "retention_agent",
    ]));
    if let Some(ids) = ids {
        cond = cond.add(users::Column::Id.is_in(ids.to_vec()));
    }
    User::find()
        .filter(cond)
        .order_by_asc(users::Column::Email)
        .order_by_asc(users::Column::Id)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// A generated customer (no password: it cannot sign in until reset).
#[derive(Debug, Clone)]
pub struct GenCustomer {
    pub uuid: String,
    pub email: String,
    pub firstname: String,
    pub lastname: String,
    pub mobilenumber: String,
    pub country: String,
    pub ref_key: String,
    pub created_at: DateTime<Utc>,
}

/// Inserts generated customers in one statement.
pub async fn insert_generated_customers<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<GenCustomer>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|c| users::ActiveModel {
        uuid: Set(c.uuid),
        email: Set(c.email),
        password_hash: Set(None),
        role: Set("customer".to_owned()),
        status: Set("active".to_owned()),
        firstname: Set(Some(c.firstname)),
        lastname: Set(Some(c.lastname)),
        mobilenumber: Set(Some(c.mobilenumber)),
        country: Set(Some(c.country)),
        communication_language: Set(None),
        local_currency: Set(None),
        wtreferrer: Set(None),
        source: Set(None),
        wants_to_become_leader: Set(false),
        skip_onboarding_steps: Set(String::new()),
        ref_key: Set(c.ref_key),
        avatar_key: Set(None),
        avatar_token: Set(None),
        kyc_status: Set("none".to_owned()),
        confirmed_at: Set(None),
        phone_confirmed_at: Set(None),
        disclaimer_accepted_at: Set(None),
        termination_requested_at: Set(None),
        last_login_at: Set(None),
        password_change_required: Set(false),
        token_generation: Set(0),
        created_at: Set(c.created_at),
        updated_at: Set(c.created_at),
        ..Default::default()
    });
    users::Entity::insert_many(models).exec_without_returning(conn).await.db().map(|_| ())
}

/// What a staff list is narrowed to: roles (all staff roles when empty), status, and a search
/// in e-mail and names.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    pub roles: Vec<String>,
    pub status: Option<String>,
    pub search: Option<String>,
}

/// A page of users in `f`, by e-mail, with the total.
pub async fn staff_page<C: ConnectionTrait>(
    conn: &C,
    f: &StaffFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<UserRow>, u64)> {
    let mut cond = Condition::all().add(users::Column::Role.is_in(f.roles.clone()));
    if let Some(s) = &f.status {
        cond = cond.add(users::Column::Status.eq(s.as_str()));
    }
    if let Some(q) = &f.search {
        cond = cond.add(matching(q));
    }
    page_where(conn, cond, offset, limit).await
}

/// Users whose e-mail, first or last name holds `q` (any case).
pub fn matching(q: &str) -> Condition {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let like = format!("%{}%", q.to_lowercase());
    let lower = |c: users::Column| Expr::expr(Func::lower(Expr::col(c))).like(like.clone());
    Condition::any()
        .add(users::Column::Email.like(&like))
        .add(lower(users::Column::Firstname))
        .add(lower(users::Column::Lastname))
}

/// A page of the users in `cond`, by e-mail, with the total.
pub async fn page_where<C: ConnectionTrait>(
    conn: &C,
    cond: Condition,
    offset: u64,
    limit: u64,
) -> Result<(Vec<UserRow>, u64)> {
    let total = User::find().filter(cond.clone()).count(conn).await.db()?;
    let rows = User::find()
        .filter(cond)
        .order_by_asc(users::Column::Email)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

/// Customer ids above `after`, ascending, at most `limit` (messaging's fan-out to all
/// customers walks them in batches).
pub async fn customer_ids_after<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<i64>> {
    use sea_orm::{QueryOrder, QuerySelect};
    User::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::Role.eq("customer"))
        .filter(users::Column::Id.gt(after))
        .order_by_asc(users::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()
}
