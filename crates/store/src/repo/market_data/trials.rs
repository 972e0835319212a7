//! Trial tracking: what an application reported about a trial user.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::md_trials::{self as t, Column as Col, Entity as Trials};
use crate::error::DbResultExt;

pub use crate::entities::md_trials::Model as TrialRow;

#[derive(Debug, Clone, Default)]
pub struct NewTrial {
    pub mac_address: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
    n: NewTrial,
    at: DateTime<Utc>,
) -> Result<()> {
    t::ActiveModel {
        application_id: Set(application_id),
        mac_address: Set(n.mac_address),
        email: Set(n.email),
        first_name: Set(n.first_name),
        last_name: Set(n.last_name),
        phone: Set(n.phone),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
    .map(|_| ())
}

pub async fn for_application<C: ConnectionTrait>(
    conn: &C,
    application_id: i64,
) -> Result<Vec<TrialRow>> {
    Trials::find()
        .filter(Col::ApplicationId.eq(application_id))
        .order_by_asc(Col::Id)
        .all(conn)
        .await
        .db()
}
