//! Bookmarks (seed tag Bookmarks): a staff user's own list of customers (in their scope).
//! Adding twice keeps one bookmark; removing one that does not exist succeeds. Both changes
//! are audited when they change something.

use std::collections::HashMap;

use brokercrm_core::validate::opt_text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::sales::bookmarks::{self as repo, SortKey};
use brokercrm_store::repo::sales::{assignments, sales_statuses};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, customer_in_scope, scope_of};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A bookmarked customer, with the customer fields a list screen shows; served as is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = BookmarkedCustomerDto)]
#[serde(rename_all = "camelCase")]
pub struct BookmarkedCustomer {
    pub id: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub fullname: String,
    pub email: String,
    pub mobilenumber: Option<String>,
    /// ISO-2 country.
    pub country: Option<String>,
    /// Account status (`active`, `disabled`).
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sales_status_name: Option<String>,
    /// Always `true` here.
    pub is_bookmarked: bool,
    pub bookmarked_at: Option<DateTime<Utc>>,
}

/// The raw query of "Get bookmarks for a user".
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// `bookmarkedAt`, `name`, `email` or `createdAt`, optionally `|ASC` or `|DESC`;
    /// default `bookmarkedAt|DESC`.
    pub sort_by: Option<String>,
    pub search: Option<String>,
}

/// Parses `sortBy`; a bad value names the field.
/// Returns the key and whether it is descending.
pub fn parse_sort(raw: Option<&str>) -> Result<(SortKey, bool)> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("bookmarkedAt|DESC");
    let (field, dir) = raw.split_once('|').unwrap_or((raw, "ASC"));
    let key = match field.trim() {
        "bookmarkedAt" => SortKey::BookmarkedAt,
        "name" => SortKey::Name,
        "email" => SortKey::Email,
        "createdAt" => SortKey::CreatedAt,
        _ => {
            return Err(Error::field(
                "sortBy",
                "must be bookmarkedAt, name, email or createdAt, optionally with |ASC or |DESC",
            ));
        }
    };
    let dir = match dir.trim().to_ascii_uppercase().as_str() {
        "ASC" => false,
        "DESC" => true,
        _ => return Err(Error::field("sortBy", "direction must be ASC or DESC")),
    };
    Ok((key, dir))
}

/// "Get bookmarks for a user": the caller's bookmarked customers still in their scope, a
/// page and the number of pages.
pub async fn list(
    app: &App,
    actor: &Principal,
    p: &ListParams,
) -> Result<(Vec<BookmarkedCustomer>, u64)> {
    let conn = app.db().conn();
    let scope = scope_of(conn, actor).await?;
    let page = Page::new(p.limit, p.offset)?;
    let sort = parse_sort(p.sort_by.as_deref())?;
    let search = opt_text("search", p.search.as_deref(), 200)?;
    let (rows, total) =
        repo::list(conn, actor.user_id, &scope, search.as_deref(), sort, page.offset, page.limit)
            .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let marked: HashMap<i64, DateTime<Utc>> =
        repo::of_user(conn, actor.user_id, &ids).await?.into_iter().collect();
    let assigned = assignments::find_many(conn, &ids).await?;
    let status_ids: Vec<i64> = assigned.iter().filter_map(|a| a.sales_status_id).collect();
    let names: HashMap<i64, String> = sales_statuses::find_by_ids(conn, &status_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();
    let mut status_of: HashMap<i64, String> = assigned
        .into_iter()
        .filter_map(|a| Some((a.customer_id, names.get(&a.sales_status_id?)?.clone())))
        .collect();
    let out = rows
        .into_iter()
        .map(|u| BookmarkedCustomer {
            fullname: super::display_name(&u),
            bookmarked_at: marked.get(&u.id).copied(),
            sales_status_name: status_of.remove(&u.id),
            is_bookmarked: true,
            id: u.uuid,
            firstname: u.firstname,
            lastname: u.lastname,
            email: u.email,
            mobilenumber: u.mobilenumber,
            country: u.country,
            status: u.status,
            created_at: u.created_at,
        })
        .collect();
    Ok((out, page.pages(total)))
}

/// "Bookmark a customer": idempotent.
pub async fn add(app: &App, actor: &Principal, customer_uuid: &str) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, actor, customer_uuid).await?;
    if repo::add(&tx, actor.user_id, customer.id).await? {
        audit::record(
            &tx,
            Some(actor),
            Audit::new("customer.bookmark", "customer", customer.uuid.clone())
                .details(format!("customer {} bookmarked", customer.email)),
        )
        .await?;
    }
    commit(tx).await
}

/// "Remove a bookmark": succeeds whether or not the bookmark existed.
pub async fn remove(app: &App, actor: &Principal, customer_uuid: &str) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, actor, customer_uuid).await?;
    if repo::remove(&tx, actor.user_id, customer.id).await? {
        audit::record(
            &tx,
            Some(actor),
            Audit::new("customer.unbookmark", "customer", customer.uuid.clone())
                .details(format!("bookmark of customer {} removed", customer.email)),
        )
        .await?;
    }
    commit(tx).await
}
