//! Leads delivered to the internal CRM: the insert of one, of a batch and of generated rows,
//! the lookups by id, distribution lead and customer, and the links (password, customer).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TryInsertResult,
};

use crate::db::now;
use crate::entities::crm_leads::{self, Column as L, Entity as CrmLead};
use crate::error::DbResultExt;

pub use crate::entities::crm_leads::Model as CrmLeadRow;

pub const NEW: &str = "new";

#[derive(Debug, Clone, Default)]
pub struct NewCrmLead {
    pub uuid: String,
    pub lead_id: Option<i64>,
    pub affiliate_id: Option<i64>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub ip: Option<String>,
    pub source: Option<String>,
    pub is_test: bool,
    /// The desk of the staff member who created it (CRM "Create a lead", CSV upload).
    pub sales_desk_id: Option<i64>,
}

/// The search keys of a name: lower-cased "first last" and last name (at most 200 chars).
pub fn name_keys(first: Option<&str>, last: Option<&str>) -> (Option<String>, Option<String>) {
    let key = |s: &str| {
        let k: String = s.trim().to_lowercase().chars().take(200).collect();
        (!k.is_empty()).then_some(k)
    };
    let full = format!("{} {}", first.unwrap_or(""), last.unwrap_or(""));
    (key(&full), last.and_then(key))
}

fn active(l: NewCrmLead, at: DateTime<Utc>) -> crm_leads::ActiveModel {
    let (name_key, last_name_key) = name_keys(l.first_name.as_deref(), l.last_name.as_deref());
    crm_leads::ActiveModel {
        sales_desk_id: Set(l.sales_desk_id),
        sales_status_id: Set(None),
        last_contact_at: Set(None),
        name_key: Set(name_key),
        last_name_key: Set(last_name_key),
        uuid: Set(l.uuid),
        lead_id: Set(l.lead_id),
        affiliate_id: Set(l.affiliate_id),
        customer_id: Set(None),
        sales_person_id: Set(None),
        email: Set(l.email),
        phone: Set(l.phone),
        first_name: Set(l.first_name),
        last_name: Set(l.last_name),
        country: Set(l.country),
        language: Set(l.language),
        ip: Set(l.ip),
        source: Set(l.source),
        status: Set(NEW.to_owned()),
        password_hash: Set(None),
        is_test: Set(l.is_test),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

/// Inserts CRM leads for fresh distribution leads in one statement; returns `(uuid, id)` pairs.
pub async fn insert_many<C: ConnectionTrait>(
    conn: &C,
    leads: Vec<NewCrmLead>,
) -> Result<Vec<(String, i64)>> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let at = now();
    let rows = CrmLead::insert_many(leads.into_iter().map(|l| active(l, at)))
        .exec_with_returning(conn)
        .await
        .db()?;
    Ok(rows.into_iter().map(|r| (r.uuid, r.id)).collect())
}

/// Inserts a CRM lead; for a distribution lead already delivered (a resumed rotation) returns
/// the existing row instead of a second one.
pub async fn insert_for_lead<C: ConnectionTrait>(conn: &C, l: NewCrmLead) -> Result<CrmLeadRow> {
    let lead_id = l.lead_id;
    let row = active(l, now());
    match lead_id {
        Some(lid) => {
            let inserted = CrmLead::insert(row)
                .on_conflict_do_nothing_on([crm_leads::Column::LeadId])
                .exec_with_returning(conn)
                .await
                .db()?;
            match inserted {
                TryInsertResult::Inserted(row) => Ok(row),
                // Routing resumed after the lead was delivered here: the existing CRM lead.
                _ => CrmLead::find()
                    .filter(crm_leads::Column::LeadId.eq(lid))
                    .one(conn)
                    .await
                    .db()?
                    .ok_or(brokercrm_core::Error::NotFound("crm lead")),
            }
        }
        None => row.insert(conn).await.db(),
    }
}

/// A generated lead: a new lead with its sales state and dates given.
#[derive(Debug, Clone)]
pub struct GenLead {
    /// `lead_id`, `affiliate_id`, `ip` and `is_test` are left empty.
    pub lead: NewCrmLead,
    pub sales_status_id: Option<i64>,
    pub sales_person_id: Option<i64>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Inserts generated leads (every column given, dates included) in one statement.
pub async fn insert_generated<C: ConnectionTrait>(conn: &C, rows: Vec<GenLead>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|g| {
        let mut m = active(g.lead, g.created_at);
        m.updated_at = Set(g.updated_at);
        m.sales_status_id = Set(g.sales_status_id);
        m.sales_person_id = Set(g.sales_person_id);
        m.last_contact_at = Set(g.last_contact_at);
        m
    });
    CrmLead::insert_many(models).exec_without_returning(conn).await.db().map(|_| ())
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<CrmLeadRow>> {
    CrmLead::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_lead<C: ConnectionTrait>(
    conn: &C,
    lead_id: i64,
) -> Result<Option<CrmLeadRow>> {
    CrmLead::find().filter(L::LeadId.eq(lead_id)).one(conn).await.db()
}

pub async fn set_password_hash<C: ConnectionTrait>(conn: &C, id: i64, hash: &str) -> Result<()> {
    set_column(conn, id, L::PasswordHash, hash).await
}

/// The CRM lead whose customer account is `customer_id`, if that customer came in as a lead.
pub async fn find_by_customer<C: ConnectionTrait>(
    conn: &C,
    customer_id: i64,
) -> Result<Option<CrmLeadRow>> {
    CrmLead::find().filter(L::CustomerId.eq(customer_id)).one(conn).await.db()
}

/// The CRM leads of the customers among `customer_ids` who came in as leads.
pub async fn find_by_customers<C: ConnectionTrait>(
    conn: &C,
    customer_ids: &[i64],
) -> Result<Vec<CrmLeadRow>> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    CrmLead::find()
        .filter(L::CustomerId.is_in(customer_ids.iter().copied()))
        .order_by_asc(L::Id)
        .all(conn)
        .await
        .db()
}

/// Links the customer account created for this lead.
pub async fn set_customer<C: ConnectionTrait>(conn: &C, id: i64, customer_id: i64) -> Result<()> {
    set_column(conn, id, L::CustomerId, customer_id).await
}

/// Sets one column of lead `id`, stamping `updated_at`.
pub(super) async fn set_column<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    col: L,
    value: impl Into<sea_orm::Value>,
) -> Result<()> {
    CrmLead::update_many()
        .col_expr(col, Expr::value(value))
        .col_expr(L::UpdatedAt, Expr::value(now()))
        .filter(L::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}
