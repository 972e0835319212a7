//! Entity for the `crm_leads` table: the internal CRM's leads (the sales CRM works them).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "crm_leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub lead_id: Option<i64>,
    pub affiliate_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub sales_person_id: Option<i64>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub ip: Option<String>,
    pub source: Option<String>,
    pub status: String,
    pub password_hash: Option<String>,
    pub is_test: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sales_desk_id: Option<i64>,
    pub sales_status_id: Option<i64>,
    pub last_contact_at: Option<DateTimeUtc>,
    /// Lower-cased "first last", for prefix search.
    pub name_key: Option<String>,
    /// Lower-cased last name, for prefix search.
    pub last_name_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
