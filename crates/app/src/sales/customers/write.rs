//! "Create a new customer", "Update a specific customer by ID" and "Bulk update customers"
//! (ManageCustomers, customer in the caller's scope). An update changes only the fields it
//! carries; besides the seed's fields it takes `notes`, `riskStatus` and the assignment
//! (`salesDesk`, `conversionAgent`, `retentionAgent`, `salesStatusId`; null clears). A bulk
//! update validates every item first and applies all of them in one transaction or none.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::sales::customers::risk_status;
use brokercrm_core::validate::{CountryCode, Email, phone, text};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::user_tokens::PASSWORD_RESET;
use brokercrm_store::repo::identity::users::{self, NewUser, UserRow};
use brokercrm_store::repo::money::groups as trading_groups;
use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
use brokercrm_store::repo::sales::customers as repo;
use brokercrm_store::repo::sales::{sales_desks, sales_statuses};
use brokercrm_store::{ConnectionTrait, DatabaseTransaction};
use sea_orm::Set;
use serde::Serialize;

use super::views::{self, CustomerView, roles_of};
use crate::identity::one_time_tokens::{issue_token, reset_link};
use crate::identity::security::new_ref_key;
use crate::identity::users::confirmation::{VERIFY_TTL_HOURS, queue_verification};
use crate::platform::audit::{self, Audit};
use crate::sales::customer_in_scope;
use crate::{App, Principal};

/// Most customers in one bulk update.
pub const MAX_BULK: usize = 500;

/// "Create a new customer".
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    pub fullname: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub currency: Option<String>,
    pub wants_to_become_leader: Option<bool>,
}

/// Changes to a customer (`None`: unchanged; `Some(None)`: cleared).
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    /// The customer (bulk updates only; the path names it otherwise).
    pub id: Option<String>,
    pub fullname: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub currency: Option<String>,
    pub roles: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
    pub notes: Option<Option<String>>,
    pub risk_status: Option<Option<String>>,
    pub sales_desk: Option<Option<String>>,
    pub conversion_agent: Option<Option<String>>,
    pub retention_agent: Option<Option<String>>,
    pub sales_status_id: Option<Option<i64>>,
}

/// First name and the rest from a full name.
fn split_name(field: &str, raw: &str) -> Result<(String, Option<String>)> {
    let full = text(field, raw, 201)?;
    let mut parts = full.splitn(2, char::is_whitespace);
    let first = parts.next().unwrap_or_default().trim().to_owned();
    let last = parts.next().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if first.chars().count() > 100 || last.as_ref().is_some_and(|l| l.chars().count() > 100) {
        return Err(Error::field(field, "first and last name must be at most 100 characters"));
    }
    Ok((first, last))
}

fn required<'a>(v: &mut Violations, field: &str, raw: &'a Option<String>) -> Option<&'a str> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s),
        None => {
            v.push(field, "is required");
            None
        }
    }
}

/// Creates a customer on staff's behalf; it gets an e-mail to confirm its address and choose
/// a password. Staff on a desk place the customer on their desk (so they keep seeing it).
pub async fn create(app: &App, who: &Principal, c: NewCustomer) -> Result<UserRow> {
    who.require(Permission::ManageCustomers)?;
    let mut v = Violations::new();
    let name =
        required(&mut v, "fullname", &c.fullname).and_then(|s| v.check(split_name("fullname", s)));
    let mobile = required(&mut v, "mobilenumber", &c.mobilenumber)
        .and_then(|s| v.check(phone("mobilenumber", s)));
    let country = required(&mut v, "country", &c.country)
        .and_then(|s| v.check(CountryCode::parse("country", s)));
    let email = required(&mut v, "email", &c.email).and_then(|s| v.check(Email::parse("email", s)));
    let currency = required(&mut v, "currency", &c.currency)
        .and_then(|s| v.check(Currency::parse("currency", s)));
    v.finish()?;
    let (Some((first, last)), Some(email), Some(currency)) = (name, email, currency) else {
        return Err(Error::internal("validated fields missing"));
    };
    let tx = app.db().begin_write().await?;
    let user = users::insert(
        &tx,
        NewUser {
            uuid: uuid::Uuid::now_v7().to_string(),
            email: email.to_string(),
            role: Role::Customer.as_str().into(),
            firstname: Some(first),
            lastname: last,
            mobilenumber: mobile,
            country: country.map(|c| c.as_str().to_owned()),
            wants_to_become_leader: c.wants_to_become_leader.unwrap_or(false),
            skip_onboarding_steps: "[]".into(),
            ref_key: new_ref_key(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("email: is already registered".into()),
        other => other,
    })?;
    let mut ch = users::changes(user);
    ch.local_currency = Set(Some(currency.as_str().to_owned()));
    let user = users::save(&tx, ch).await?;
    if let Some(desk) = sales_desks::desk_of(&tx, who.user_id).await? {
        let row = AssignmentRow {
            customer_id: user.id,
            sales_desk_id: Some(desk),
            conversion_agent_id: None,
            retention_agent_id: None,
            sales_status_id: None,
            updated_at: brokercrm_store::db::now(),
        };
        assignments::upsert(&tx, row).await?;
    }
    let ttl = chrono::Duration::hours(VERIFY_TTL_HOURS);
    let pw = issue_token(&tx, user.id, PASSWORD_RESET, ttl).await?;
    queue_verification(app, &tx, &user, Some(&reset_link(app, &pw))).await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("customer.create", "customer", user.uuid.clone())
            .details(format!("customer {} created", user.email))
            .after(&Snapshot::of(&user, None, None, &[])),
    )
    .await?;
    commit(tx).await?;
    Ok(user)
}

/// What the audit log keeps of a customer before and after a change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    firstname: Option<String>,
    lastname: Option<String>,
    email: String,
    mobilenumber: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    roles: Vec<String>,
    group_ids: Vec<i64>,
    notes: Option<String>,
    risk_status: Option<String>,
    sales_desk_id: Option<i64>,
    conversion_agent_id: Option<i64>,
    retention_agent_id: Option<i64>,
    sales_status_id: Option<i64>,
}

impl Snapshot {
    fn of(
        u: &UserRow,
        p: Option<&repo::ProfileRow>,
        a: Option<&AssignmentRow>,
        groups: &[i64],
    ) -> Self {
        Self {
            firstname: u.firstname.clone(),
            lastname: u.lastname.clone(),
            email: u.email.clone(),
            mobilenumber: u.mobilenumber.clone(),
            country: u.country.clone(),
            currency: u.local_currency.clone(),
            roles: roles_of(u),
            group_ids: groups.to_vec(),
            notes: p.and_then(|p| p.notes.clone()),
            risk_status: p.and_then(|p| p.risk_status.clone()),
            sales_desk_id: a.and_then(|a| a.sales_desk_id),
            conversion_agent_id: a.and_then(|a| a.conversion_agent_id),
            retention_agent_id: a.and_then(|a| a.retention_agent_id),
            sales_status_id: a.and_then(|a| a.sales_status_id),
        }
    }
}

async fn agent<C: ConnectionTrait>(
    conn: &C,
    v: &mut Violations,
    field: String,
    role: Role,
    uuid: &Option<String>,
) -> Result<Option<i64>> {
    let Some(u) = uuid else { return Ok(None) };
    match users::find_by_uuid(conn, u.trim()).await? {
        Some(row) if row.role == role.as_str() => Ok(Some(row.id)),
        _ => {
            v.push(field, format!("must be a user with the {role} role"));
            Ok(None)
        }
    }
}

/// Validates and applies `patch` to `customer` inside `tx`; field names are prefixed by
/// `prefix` (`customers[3].` in a bulk update).
async fn apply(
    tx: &DatabaseTransaction,
    who: &Principal,
    customer: UserRow,
    patch: &CustomerPatch,
    prefix: &str,
) -> Result<UserRow> {
    let f = |name: &str| format!("{prefix}{name}");
    let mut v = Violations::new();
    let mut ch = users::changes(customer.clone());
    if let Some(n) = &patch.fullname
        && let Some((first, last)) = v.check(split_name(&f("fullname"), n))
    {
        ch.firstname = Set(Some(first));
        ch.lastname = Set(last);
    }
    if let Some(m) = &patch.mobilenumber {
        ch.mobilenumber = Set(v.check(phone(&f("mobilenumber"), m)));
    }
    if let Some(c) = &patch.country
        && let Some(c) = v.check(CountryCode::parse(&f("country"), c))
    {
        ch.country = Set(Some(c.as_str().to_owned()));
    }
    if let Some(e) = &patch.email
        && let Some(e) = v.check(Email::parse(&f("email"), e))
    {
        ch.email = Set(e.to_string());
    }
    if let Some(c) = &patch.currency
        && let Some(c) = v.check(Currency::parse(&f("currency"), c.trim()))
    {
        ch.local_currency = Set(Some(c.as_str().to_owned()));
    }
    if let Some(roles) = &patch.roles {
        let mut leader = false;
        for (i, r) in roles.iter().enumerate() {
            match r.trim().to_ascii_lowercase().as_str() {
                "customer" => {}
                "leader" => leader = true,
                _ => {
                    v.push(f(&format!("roles[{i}]")), "a customer's roles are customer and leader")
                }
            }
        }
        ch.wants_to_become_leader = Set(leader);
    }
    let mut group_ids = None;
    if let Some(groups) = &patch.groups {
        let mut ids = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            let found = match g.trim().parse::<i64>() {
                Ok(id) => trading_groups::find(tx, id).await?,
                Err(_) => trading_groups::find_by_name(tx, g.trim()).await?,
            };
            match found {
                Some(row) if !ids.contains(&row.id) => ids.push(row.id),
                Some(_) => {}
                None => v.push(f(&format!("groups[{i}]")), "unknown group"),
            }
        }
        ids.sort_unstable();
        group_ids = Some(ids);
    }
    let before_profile = repo::profile(tx, customer.id).await?;
    let mut profile = before_profile.clone().unwrap_or_else(|| repo::empty_profile(customer.id));
    if let Some(n) = &patch.notes {
        profile.notes = n.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if profile.notes.as_ref().is_some_and(|n| n.chars().count() > 10_000) {
            v.push(f("notes"), "must be at most 10000 characters");
        }
    }
    if let Some(r) = &patch.risk_status {
        profile.risk_status = match r.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(r) => v.check(risk_status(&f("riskStatus"), r)),
            None => None,
        };
    }
    let before_assignment = assignments::find(tx, customer.id).await?;
    let mut a = before_assignment.clone().unwrap_or(AssignmentRow {
        customer_id: customer.id,
        sales_desk_id: None,
        conversion_agent_id: None,
        retention_agent_id: None,
        sales_status_id: None,
        updated_at: brokercrm_store::db::now(),
    });
    if let Some(d) = &patch.sales_desk {
        a.sales_desk_id = match d {
            None => None,
            Some(u) => match sales_desks::find_by_uuid(tx, u.trim()).await? {
                Some(row) => Some(row.id),
                None => {
                    v.push(f("salesDesk"), "unknown sales desk");
                    None
                }
            },
        };
    }
    if let Some(c) = &patch.conversion_agent {
        a.conversion_agent_id =
            agent(tx, &mut v, f("conversionAgent"), Role::ConversionAgent, c).await?;
    }
    if let Some(r) = &patch.retention_agent {
        a.retention_agent_id =
            agent(tx, &mut v, f("retentionAgent"), Role::RetentionAgent, r).await?;
    }
    if let Some(s) = &patch.sales_status_id {
        if let Some(id) = s
            && sales_statuses::find_by_id(tx, *id).await?.is_none()
        {
            v.push(f("salesStatusId"), "unknown sales status");
        }
        a.sales_status_id = *s;
    }
    v.finish()?;

    let old_groups: Vec<i64> =
        repo::groups_of(tx, &[customer.id]).await?.into_iter().map(|p| p.1).collect();
    let before =
        Snapshot::of(&customer, before_profile.as_ref(), before_assignment.as_ref(), &old_groups);
    let saved = users::save(tx, ch).await.map_err(|e| match e {
        Error::Conflict(_) => Error::field(f("email"), "is already registered"),
        other => other,
    })?;
    if patch.notes.is_some() || patch.risk_status.is_some() {
        repo::save_profile(tx, profile.clone()).await?;
    }
    let assignment_changed = patch.sales_desk.is_some()
        || patch.conversion_agent.is_some()
        || patch.retention_agent.is_some()
        || patch.sales_status_id.is_some();
    if assignment_changed {
        assignments::upsert(tx, a.clone()).await?;
    }
    if let Some(ids) = &group_ids {
        repo::set_groups(tx, customer.id, ids).await?;
    }
    let after =
        Snapshot::of(&saved, Some(&profile), Some(&a), group_ids.as_deref().unwrap_or(&old_groups));
    audit::record(
        tx,
        Some(who),
        Audit::new("customer.update", "customer", saved.uuid.clone())
            .details(format!("customer {} updated", saved.email))
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(saved)
}

/// "Update a specific customer by ID".
pub async fn update(
    app: &App,
    who: &Principal,
    id: &str,
    patch: CustomerPatch,
) -> Result<CustomerView> {
    who.require(Permission::ManageCustomers)?;
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, who, id).await?;
    let saved = apply(&tx, who, customer, &patch, "").await?;
    let view = views::one(&tx, who.user_id, saved).await?;
    commit(tx).await?;
    Ok(view)
}

/// "Bulk update customers": every item names its customer by `id`; all or nothing.
pub async fn bulk_update(app: &App, who: &Principal, items: Vec<CustomerPatch>) -> Result<usize> {
    who.require(Permission::ManageCustomers)?;
    if items.is_empty() {
        return Err(Error::field("customers", "must not be empty"));
    }
    if items.len() > MAX_BULK {
        return Err(Error::field("customers", format!("at most {MAX_BULK} customers at once")));
    }
    let tx = app.db().begin_write().await?;
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("customers[{i}].");
        let Some(id) = item.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(Error::field(format!("{prefix}id"), "is required"));
        };
        if !seen.insert(id.to_owned()) {
            return Err(Error::field(format!("{prefix}id"), "appears twice"));
        }
        let customer = match customer_in_scope(&tx, who, id).await {
            Ok(c) => c,
            Err(Error::NotFound(_)) => {
                return Err(Error::field(format!("{prefix}id"), "unknown customer"));
            }
            Err(e) => return Err(e),
        };
        apply(&tx, who, customer, item, &prefix).await?;
    }
    commit(tx).await?;
    Ok(items.len())
}
