//! Multi-row inserts for the CRM data generator (`brokercrm gen-crm-data`): leads with every
//! column given (dates included) and bare customer accounts, one statement per batch.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::entities::crm_leads;
use crate::entities::users;
use crate::error::DbResultExt;
use crate::repo::distribution::crm_leads::name_keys;

/// A generated lead.
#[derive(Debug, Clone)]
pub struct GenLead {
    pub uuid: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub source: Option<String>,
    pub sales_status_id: Option<i64>,
    pub sales_person_id: Option<i64>,
    pub sales_desk_id: Option<i64>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Inserts `rows` in one statement.
pub async fn insert_leads<C: ConnectionTrait>(conn: &C, rows: Vec<GenLead>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|g| {
        let (name_key, last_name_key) = name_keys(g.first_name.as_deref(), g.last_name.as_deref());
        crm_leads::ActiveModel {
            uuid: Set(g.uuid),
            lead_id: Set(None),
            affiliate_id: Set(None),
            customer_id: Set(None),
            sales_person_id: Set(g.sales_person_id),
            email: Set(g.email),
            phone: Set(g.phone),
            first_name: Set(g.first_name),
            last_name: Set(g.last_name),
            country: Set(g.country),
            language: Set(g.language),
            ip: Set(None),
            source: Set(g.source),
            status: Set("new".to_owned()),
            password_hash: Set(None),
            is_test: Set(false),
            created_at: Set(g.created_at),
            updated_at: Set(g.updated_at),
            sales_desk_id: Set(g.sales_desk_id),
            sales_status_id: Set(g.sales_status_id),
            last_contact_at: Set(g.last_contact_at),
            name_key: Set(name_key),
            last_name_key: Set(last_name_key),
            ..Default::default()
        }
    });
    crm_leads::Entity::insert_many(models).exec_without_returning(conn).await.db().map(|_| ())
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

/// Inserts `rows` in one statement.
pub async fn insert_customers<C: ConnectionTrait>(conn: &C, rows: Vec<GenCustomer>) -> Result<()> {
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
        created_at: Set(c.created_at),
        updated_at: Set(c.created_at),
        ..Default::default()
    });
    users::Entity::insert_many(models).exec_without_returning(conn).await.db().map(|_| ())
}
