//! The internal CRM's lead store: leads delivered to the internal CRM land here (the sales-CRM
//! issue works them: statuses, sales people, comments).

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::crm_leads::{self, Entity as CrmLead};
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
}

/// Inserts a CRM lead; for a distribution lead already delivered (a resumed rotation) returns
/// the existing row instead of a second one.
pub async fn insert_for_lead<C: ConnectionTrait>(conn: &C, l: NewCrmLead) -> Result<CrmLeadRow> {
    let at = now();
    let lead_id = l.lead_id;
    let row = crm_leads::ActiveModel {
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
    };
    match lead_id {
        Some(lid) => {
            CrmLead::insert(row)
                .on_conflict(OnConflict::column(crm_leads::Column::LeadId).do_nothing().to_owned())
                .exec_without_returning(conn)
                .await
                .db()?;
            CrmLead::find()
                .filter(crm_leads::Column::LeadId.eq(lid))
                .one(conn)
                .await
                .db()?
                .ok_or(brokercrm_core::Error::NotFound("crm lead"))
        }
        None => row.insert(conn).await.db(),
    }
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<CrmLeadRow>> {
    CrmLead::find_by_id(id).one(conn).await.db()
}

pub async fn find_by_lead<C: ConnectionTrait>(
    conn: &C,
    lead_id: i64,
) -> Result<Option<CrmLeadRow>> {
    CrmLead::find().filter(crm_leads::Column::LeadId.eq(lead_id)).one(conn).await.db()
}

pub async fn set_password_hash<C: ConnectionTrait>(conn: &C, id: i64, hash: &str) -> Result<()> {
    CrmLead::update_many()
        .col_expr(crm_leads::Column::PasswordHash, Expr::value(hash))
        .col_expr(crm_leads::Column::UpdatedAt, Expr::value(now()))
        .filter(crm_leads::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Links the customer account created for this lead.
pub async fn set_customer<C: ConnectionTrait>(conn: &C, id: i64, customer_id: i64) -> Result<()> {
    CrmLead::update_many()
        .col_expr(crm_leads::Column::CustomerId, Expr::value(customer_id))
        .col_expr(crm_leads::Column::UpdatedAt, Expr::value(now()))
        .filter(crm_leads::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}
