//! The customer as staff see it (the seed's customer shape), built for a page of customers
//! at once: one query per related table. Deposits and withdrawals come from the ledger.
//! Fields owned by later issues (positions, trading volume, commissions, coins, loyalty
//! level) are 0 or null until those issues fill them.

use std::collections::HashMap;

use brokercrm_core::sales::customers::KycStatus;
use brokercrm_core::{Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users::UserRow;
use brokercrm_store::repo::identity::users::find_by_ids as users_by_ids;
use brokercrm_store::repo::money::groups as trading_groups;
use brokercrm_store::repo::money::ledger::customer_moves::{self as stats, ByCustomer};
use brokercrm_store::repo::platform::countries;
use brokercrm_store::repo::sales::customers::{self as repo, ProfileRow, documents};
use brokercrm_store::repo::sales::{
    assignments, bookmarks, communications, sales_desks, sales_statuses,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::sales::{Person, display_name};

/// A sales desk next to a customer.
#[derive(Debug, Clone, Serialize)]
pub struct DeskRef {
    pub id: String,
    pub name: String,
}

/// A trading group next to a customer.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

/// The seed's customer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    pub id: String,
    pub level: i64,
    pub account_id: String,
    pub name: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: String,
    pub mobilenumber: Option<String>,
    pub currency: String,
    pub deposit_total: Money,
    pub deposit_count: i64,
    pub deposit_totals: HashMap<String, Money>,
    pub total_coins_earned: i64,
    pub country: Option<String>,
    pub country_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: String,
    pub app_installed_at: Option<DateTime<Utc>>,
    pub last_login_date: Option<DateTime<Utc>>,
    pub total_logins: Option<i64>,
    pub notes: Option<String>,
    pub roles: Vec<String>,
    pub available_contact_methods: Vec<String>,
    pub total_referrals: i64,
    pub document_count: i64,
    pub kyc_status: String,
    pub kyc_reviewed_by_id: Option<String>,
    pub kyc_reviewed_by_name: Option<String>,
    pub kyc_reviewed_at: Option<DateTime<Utc>>,
    pub affiliate_id: Option<String>,
    pub external_id: Option<String>,
    pub referrer: Option<String>,
    pub conversion_agent: Option<Person>,
    pub retention_agent: Option<Person>,
    pub sales_desk: Option<DeskRef>,
    pub sales_status_id: Option<i64>,
    pub sales_status_name: Option<String>,
    pub last_trading_activity_date: Option<DateTime<Utc>>,
    pub total_volume_traded: i64,
    pub trade_volume_last_week: i64,
    pub trade_volume_open: i64,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub commission_scheme: Option<serde_json::Value>,
    pub communication_language: Option<String>,
    pub is_bookmarked: bool,
    pub affiliate_balance: Option<String>,
    pub positions_count: i64,
    #[serde(rename = "hasFTD")]
    pub has_ftd: bool,
    pub last_active: Option<DateTime<Utc>>,
    pub risk_status: Option<String>,
    pub source: Option<String>,
    pub withdrawal_total: Money,
    pub last_deposit_date: Option<DateTime<Utc>>,
    pub last_comment_date: Option<DateTime<Utc>>,
    pub last_contact_date: Option<DateTime<Utc>>,
    pub commissions_granted: i64,
    pub commissions_earned: i64,
    pub sum_sub_details: Option<serde_json::Value>,
    pub termination_requested_at: Option<DateTime<Utc>>,
    pub groups: Vec<GroupRef>,
}

/// The currency a customer's totals are shown in: its own, else USD.
pub fn currency_of(u: &UserRow) -> String {
    u.local_currency.clone().unwrap_or_else(|| "USD".into())
}

/// A customer's roles: `customer`, plus `leader` when it wants to become a copy-trading
/// leader.
pub fn roles_of(u: &UserRow) -> Vec<String> {
    let mut r = vec!["customer".to_owned()];
    if u.wants_to_become_leader {
        r.push("leader".into());
    }
    r
}

fn money(v: i128) -> Money {
    Money::from_minor(i64::try_from(v).unwrap_or(i64::MAX))
}

/// Per customer: total in `currency`, count over all currencies, per-currency totals, last date.
fn summarise(
    by: &ByCustomer,
    id: i64,
    currency: &str,
) -> (Money, i64, HashMap<String, Money>, Option<DateTime<Utc>>) {
    let Some(m) = by.get(&id) else { return (Money::ZERO, 0, HashMap::new(), None) };
    let total = m.get(currency).map(|t| money(t.amount)).unwrap_or(Money::ZERO);
    let count = m.values().map(|t| t.count).sum();
    let per = m.iter().map(|(c, t)| (c.clone(), money(t.amount))).collect();
    let last = m.values().filter_map(|t| t.last_at).max();
    (total, count, per, last)
}

/// Views of `rows` (in order) as `viewer_id` sees them (bookmarks are the viewer's).
pub async fn build<C: ConnectionTrait>(
    conn: &C,
    viewer_id: i64,
    rows: Vec<UserRow>,
) -> Result<Vec<CustomerView>> {
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let profiles: HashMap<i64, ProfileRow> =
        repo::profiles(conn, &ids).await?.into_iter().map(|p| (p.customer_id, p)).collect();
    let assigned: HashMap<i64, _> =
        assignments::find_many(conn, &ids).await?.into_iter().map(|a| (a.customer_id, a)).collect();
    let mut people_ids: Vec<i64> = Vec::new();
    for a in assigned.values() {
        people_ids.extend(a.conversion_agent_id);
        people_ids.extend(a.retention_agent_id);
    }
    for p in profiles.values() {
        people_ids.extend(p.affiliate_id);
        people_ids.extend(p.kyc_reviewed_by);
    }
    people_ids.sort_unstable();
    people_ids.dedup();
    let people: HashMap<i64, UserRow> =
        users_by_ids(conn, &people_ids).await?.into_iter().map(|u| (u.id, u)).collect();
    let mut desk_ids: Vec<i64> = assigned.values().filter_map(|a| a.sales_desk_id).collect();
    desk_ids.sort_unstable();
    desk_ids.dedup();
    let desks: HashMap<i64, DeskRef> = sales_desks::find_by_ids(conn, &desk_ids)
        .await?
        .into_iter()
        .map(|d| (d.id, DeskRef { id: d.uuid, name: d.name }))
        .collect();
    let mut status_ids: Vec<i64> = assigned.values().filter_map(|a| a.sales_status_id).collect();
    status_ids.sort_unstable();
    status_ids.dedup();
    let statuses: HashMap<i64, String> = sales_statuses::find_by_ids(conn, &status_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.status))
        .collect();
    let group_pairs = repo::groups_of(conn, &ids).await?;
    let mut group_ids: Vec<i64> = group_pairs.iter().map(|p| p.1).collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    let group_names: HashMap<i64, String> = trading_groups::find_many(conn, &group_ids)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut groups: HashMap<i64, Vec<GroupRef>> = HashMap::new();
    for (c, g) in group_pairs {
        if let Some(name) = group_names.get(&g) {
            groups.entry(c).or_default().push(GroupRef { id: g, name: name.clone() });
        }
    }
    let marked: HashMap<i64, DateTime<Utc>> =
        bookmarks::of_user(conn, viewer_id, &ids).await?.into_iter().collect();
    let deposits = stats::totals(conn, &ids, "DEPOSIT", true).await?;
    let withdrawals = stats::totals(conn, &ids, "WITHDRAWAL", false).await?;
    let country_names: HashMap<String, String> =
        countries::all(conn).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let single = rows.len() == 1;

    let mut out = Vec::with_capacity(rows.len());
    for u in rows {
        let p = profiles.get(&u.id);
        let a = assigned.get(&u.id);
        let person = |id: Option<i64>| id.and_then(|i| people.get(&i)).map(Person::from);
        let currency = currency_of(&u);
        let (deposit_total, deposit_count, deposit_totals, last_deposit) =
            summarise(&deposits, u.id, &currency);
        let (withdrawal_total, ..) = summarise(&withdrawals, u.id, &currency);
        let reviewer = p.and_then(|p| p.kyc_reviewed_by).and_then(|i| people.get(&i));
        // Per-customer counts only for a single customer (the list leaves them 0/null).
        let (document_count, (last_comment, last_contact)) = if single {
            (
                documents::count(conn, u.id).await? as i64,
                communications::last_contacts(conn, u.id).await?,
            )
        } else {
            (0, (None, None))
        };
        let mut contact = vec!["email".to_owned()];
        if u.mobilenumber.is_some() {
            contact.push("phone".into());
        }
        out.push(CustomerView {
            id: u.uuid.clone(),
            level: 0,
            account_id: u.id.to_string(),
            name: display_name(&u),
            firstname: u.firstname.clone(),
            lastname: u.lastname.clone(),
            email: u.email.clone(),
            mobilenumber: u.mobilenumber.clone(),
            currency,
            deposit_total,
            deposit_count,
            deposit_totals,
            total_coins_earned: 0,
            country_name: u.country.as_ref().and_then(|c| country_names.get(c).cloned()),
            country: u.country.clone(),
            created_at: u.created_at,
            updated_at: u.updated_at,
            status: u.status.to_ascii_uppercase(),
            app_installed_at: None,
            last_login_date: u.last_login_at,
            total_logins: None,
            notes: p.and_then(|p| p.notes.clone()),
            roles: roles_of(&u),
            available_contact_methods: contact,
            total_referrals: 0,
            document_count,
            kyc_status: KycStatus::stored(&u.kyc_status).wire().to_owned(),
            kyc_reviewed_by_id: reviewer.map(|r| r.uuid.clone()),
            kyc_reviewed_by_name: reviewer.map(display_name),
            kyc_reviewed_at: p.and_then(|p| p.kyc_reviewed_at),
            affiliate_id: p
                .and_then(|p| p.affiliate_id)
                .and_then(|i| people.get(&i))
                .map(|a| a.uuid.clone()),
            external_id: p.and_then(|p| p.external_id.clone()),
            referrer: u.wtreferrer.clone(),
            conversion_agent: person(a.and_then(|a| a.conversion_agent_id)),
            retention_agent: person(a.and_then(|a| a.retention_agent_id)),
            sales_desk: a.and_then(|a| a.sales_desk_id).and_then(|d| desks.get(&d).cloned()),
            sales_status_id: a.and_then(|a| a.sales_status_id),
            sales_status_name: a
                .and_then(|a| a.sales_status_id)
                .and_then(|s| statuses.get(&s).cloned()),
            last_trading_activity_date: None,
            total_volume_traded: 0,
            trade_volume_last_week: 0,
            trade_volume_open: 0,
            confirmed_at: u.confirmed_at,
            commission_scheme: None,
            communication_language: u.communication_language.clone(),
            is_bookmarked: marked.contains_key(&u.id),
            affiliate_balance: None,
            positions_count: 0,
            has_ftd: deposit_count > 0,
            last_active: u.last_login_at,
            risk_status: p.and_then(|p| p.risk_status.clone()),
            source: u.source.clone(),
            withdrawal_total,
            last_deposit_date: last_deposit,
            last_comment_date: last_comment,
            last_contact_date: last_contact,
            commissions_granted: 0,
            commissions_earned: 0,
            sum_sub_details: None,
            termination_requested_at: u.termination_requested_at,
            groups: groups.remove(&u.id).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// One customer's view.
pub async fn one<C: ConnectionTrait>(conn: &C, viewer_id: i64, u: UserRow) -> Result<CustomerView> {
    build(conn, viewer_id, vec![u]).await?.pop().ok_or(brokercrm_core::Error::NotFound("customer"))
}
