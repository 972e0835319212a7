//! Reads of the Leads tag: the filtered list, one lead, the sales people, the lead sources
//! and the (public) signup-code check.

use brokercrm_core::distribution::crm_leads::LeadOrder;
use brokercrm_core::sales::scope::is_sales_role;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::distribution::crm_leads as repo;
use brokercrm_store::repo::identity::users::find_by_ref_key as user_by_ref_key;
use brokercrm_store::repo::sales::sales_desks::{self as desk_repo, sales_people as people_repo};

use super::filters::{FilterInput, resolve};
use super::{LeadView, lead_in_scope, scope_of, view_one, views};
use crate::sales::{Page, Person};
use crate::{App, Principal};

/// Most sales people "Get sales people" returns.
pub const MAX_SALES_PEOPLE: u64 = 1000;

/// "List leads": a page of the leads in the caller's scope matching `input`, and the count.
pub async fn list(
    app: &App,
    actor: &Principal,
    input: &FilterInput,
    order: LeadOrder,
    page: Page,
) -> Result<(Vec<LeadView>, u64)> {
    let conn = app.db().conn();
    let (scope, _) = scope_of(conn, actor).await?;
    let filter = resolve(conn, actor, input).await?;
    let (rows, total) = repo::list(conn, &scope, &filter, order, page.offset, page.limit).await?;
    Ok((views(conn, rows).await?, total))
}

/// "Get lead by ID".
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<LeadView> {
    let conn = app.db().conn();
    let (lead, _, _) = lead_in_scope(conn, actor, uuid).await?;
    view_one(conn, lead).await
}

/// A sales person and their desk.
#[derive(Debug, Clone)]
pub struct SalesPerson {
    pub person: Person,
    /// Public id of their desk.
    pub desk_id: Option<String>,
}

/// "Get sales people": every manager and agent for admins, risk and support; the members of
/// their own desk for a manager or agent (only themselves without a desk).
pub async fn sales_people(app: &App, actor: &Principal) -> Result<Vec<SalesPerson>> {
    let conn = app.db().conn();
    let (_, desk) = scope_of(conn, actor).await?;
    let limited = is_sales_role(actor.role);
    let rows = match (limited, desk) {
        (false, _) => people_repo(conn, None, MAX_SALES_PEOPLE).await?,
        (true, Some(d)) => people_repo(conn, Some(d), MAX_SALES_PEOPLE).await?,
        (true, None) => brokercrm_store::repo::identity::users::find_by_id(conn, actor.user_id)
            .await?
            .into_iter()
            .collect(),
    };
    // Desks and their members: two queries, however many people.
    let (desks, _) = desk_repo::list(conn, 0, 1000).await?;
    let desk_ids: Vec<i64> = desks.iter().map(|d| d.id).collect();
    let uuids: std::collections::HashMap<i64, String> =
        desks.into_iter().map(|d| (d.id, d.uuid)).collect();
    let member_of: std::collections::HashMap<i64, i64> = desk_repo::members_of(conn, &desk_ids)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.desk_id))
        .collect();
    let desk_ids: Vec<Option<i64>> = rows.iter().map(|u| member_of.get(&u.id).copied()).collect();
    Ok(rows
        .iter()
        .zip(desk_ids)
        .map(|(u, d)| SalesPerson {
            person: Person::from(u),
            desk_id: d.and_then(|d| uuids.get(&d).cloned()),
        })
        .collect())
}

/// "Get lead sources": the distinct sources of the leads in the caller's scope.
pub async fn sources(app: &App, actor: &Principal) -> Result<Vec<String>> {
    let conn = app.db().conn();
    let (scope, _) = scope_of(conn, actor).await?;
    repo::sources(conn, &scope).await
}

/// "Check signup code": the code when it is a user's referral code (`wtreferrer` at
/// signup), else `NotFound("signup code")`. Public.
pub async fn check_signup_code(app: &App, code: Option<&str>) -> Result<String> {
    let code = code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::field("code", "is required"))?;
    if code.len() > 64 {
        return Err(Error::NotFound("signup code"));
    }
    let user = user_by_ref_key(app.db().conn(), code).await?;
    match user {
        Some(u) if u.status == brokercrm_store::repo::identity::users::ACTIVE => Ok(u.ref_key),
        _ => Err(Error::NotFound("signup code")),
    }
}
