//! Staff accounts ("Users and roles" in the portal; admin, ManageUsers): the back office's
//! users listed and filtered, a new one created with a one-time password (to be changed at the
//! first login, shown once), a role changed. A role change ends the user's sessions at once
//! (token generation), as disabling does (`users::status`). Audited; nobody changes their own
//! role.

use std::str::FromStr;

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::validate::Email;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, NewUser, StaffFilter, UserRow};
use chrono::{DateTime, Utc};

use crate::identity::security::new_ref_key;
use crate::identity::security::{hash_password, random_token};
use crate::identity::tokens;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The staff roles, in the order screens offer them.
pub fn roles() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|r| r.is_staff())
}

/// A staff role from its name; anything else is refused on `field`.
pub fn parse_role(field: &str, raw: &str) -> Result<Role> {
    Role::from_str(raw.trim())
        .ok()
        .filter(|r| r.is_staff())
        .ok_or_else(|| Error::field(field, "must be a staff role"))
}

/// A staff user as screens show it.
#[derive(Debug, Clone)]
pub struct StaffView {
    /// Public id.
    pub id: String,
    pub email: String,
    /// First and last name, as given.
    pub name: String,
    pub role: String,
    pub status: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&UserRow> for StaffView {
    fn from(u: &UserRow) -> Self {
        let names = [u.firstname.as_deref(), u.lastname.as_deref()];
        Self {
            id: u.uuid.clone(),
            email: u.email.clone(),
            name: names.into_iter().flatten().collect::<Vec<_>>().join(" "),
            role: u.role.clone(),
            status: u.status.clone(),
            disabled: u.status == users::DISABLED,
            created_at: u.created_at,
        }
    }
}

/// What the list is narrowed to (all optional).
#[derive(Debug, Default, Clone)]
pub struct StaffQuery {
    pub role: Option<String>,
    pub status: Option<String>,
    pub search: Option<String>,
}

/// A page of staff users by e-mail, with the total.
pub async fn list(
    app: &App,
    actor: &Principal,
    q: &StaffQuery,
    offset: u64,
    limit: u64,
) -> Result<(Vec<StaffView>, u64)> {
    actor.require(Permission::ManageUsers)?;
    let roles = match &q.role {
        Some(r) => vec![parse_role("role", r)?.as_str().to_owned()],
        None => roles().map(|r| r.as_str().to_owned()).collect(),
    };
    let status = match &q.status {
        Some(s) => Some(crate::identity::users::status::parse_status(s)?.to_owned()),
        None => None,
    };
    let f = StaffFilter { roles, status, search: q.search.clone() };
    let (rows, total) = users::staff_page(app.db().conn(), &f, offset, limit.min(200)).await?;
    Ok((rows.iter().map(StaffView::from).collect(), total))
}

/// A staff user to create.
#[derive(Debug, Default, Clone)]
pub struct NewStaff {
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub role: String,
}

/// Inserts a user of `role` with a fresh one-time password on `conn`; returns it and the
/// password. A taken e-mail is refused on `email`.
pub async fn insert_one_time<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    email: &Email,
    role: Role,
    firstname: Option<String>,
    lastname: Option<String>,
) -> Result<(UserRow, String)> {
    let password = format!("{}9a", random_token(12));
    let hash = hash_password(app.hasher(), password.clone()).await?;
    let row = users::insert(
        conn,
        NewUser {
            uuid: uuid::Uuid::now_v7().to_string(),
            email: email.to_string(),
            password_hash: Some(hash),
            role: role.as_str().into(),
            firstname,
            lastname,
            skip_onboarding_steps: "[]".into(),
            ref_key: new_ref_key(),
            confirmed_at: Some(brokercrm_store::db::now()),
            password_change_required: true,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        Error::Conflict(_) => Error::field("email", "is already registered"),
        other => other,
    })?;
    Ok((row, password))
}

fn name(field: &str, raw: Option<String>) -> Result<Option<String>> {
    let v = raw.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if v.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(Error::field(field, "must be at most 100 characters"));
    }
    Ok(v)
}

/// Creates a staff user; returns it and its one-time password (shown once, never stored).
pub async fn create(app: &App, actor: &Principal, input: NewStaff) -> Result<(StaffView, String)> {
    actor.require(Permission::ManageUsers)?;
    let mut v = Violations::new();
    let email = v.check(Email::parse("email", &input.email));
    let role = v.check(parse_role("role", &input.role));
    let first = v.check(name("firstname", input.firstname)).flatten();
    let last = v.check(name("lastname", input.lastname)).flatten();
    v.finish()?;
    let (Some(email), Some(role)) = (email, role) else {
        return Err(Error::field("email", "is required"));
    };
    let tx = app.db().begin_write().await?;
    let (row, password) = insert_one_time(app, &tx, &email, role, first, last).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("user.create", "user", row.uuid.clone())
            .details(format!("{} created {} as {}", actor.email, row.email, row.role))
            .after(&row.role),
    )
    .await?;
    commit(tx).await?;
    Ok((StaffView::from(&row), password))
}

/// Changes the role of staff user `uuid`; their sessions end at once.
pub async fn set_role(app: &App, actor: &Principal, uuid: &str, role: &str) -> Result<StaffView> {
    actor.require(Permission::ManageUsers)?;
    let role = parse_role("role", role)?;
    let tx = app.db().begin_write().await?;
    let user = users::find_by_uuid(&tx, uuid.trim())
        .await?
        .filter(|u| Role::from_str(&u.role).is_ok_and(Role::is_staff))
        .ok_or(Error::NotFound("user"))?;
    if user.id == actor.user_id {
        return Err(Error::field("role", "you cannot change your own role"));
    }
    let before = user.role.clone();
    if before == role.as_str() {
        commit(tx).await?;
        return Ok(StaffView::from(&user));
    }
    let mut ch = users::changes(user);
    ch.role = sea_orm::Set(role.as_str().to_owned());
    let saved = users::save(&tx, ch).await?;
    let saved = users::end_tokens(&tx, saved.id, None).await?.ok_or(Error::NotFound("user"))?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("user.role", "user", saved.uuid.clone())
            .details(format!("{} set {} from {before} to {}", actor.email, saved.email, saved.role))
            .before(&before)
            .after(&saved.role),
    )
    .await?;
    commit(tx).await?;
    tokens::forget(app, saved.id);
    Ok(StaffView::from(&saved))
}

/// The staff user `uuid`.
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<StaffView> {
    actor.require(Permission::ManageUsers)?;
    users::find_by_uuid(app.db().conn(), uuid.trim())
        .await?
        .filter(|u| Role::from_str(&u.role).is_ok_and(Role::is_staff))
        .map(|u| StaffView::from(&u))
        .ok_or(Error::NotFound("user"))
}
