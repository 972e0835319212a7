//! Agreements an account signed in the wizard: title, text and version as shown, time and IP.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::md_agreements::{self as t, Column as Col, Entity as Agreements};
use crate::error::DbResultExt;

pub use crate::entities::md_agreements::Model as AgreementRow;

#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub account_id: i64,
    pub feed_id: i64,
    pub title: String,
    pub text: String,
    pub version: String,
    pub ip: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    a: NewAgreement,
    at: DateTime<Utc>,
) -> Result<AgreementRow> {
    t::ActiveModel {
        account_id: Set(a.account_id),
        feed_id: Set(a.feed_id),
        title: Set(a.title),
        text: Set(a.text),
        version: Set(a.version),
        ip: Set(a.ip),
        signed_at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn for_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<AgreementRow>> {
    Agreements::find()
        .filter(Col::AccountId.eq(account_id))
        .order_by_asc(Col::Id)
        .all(conn)
        .await
        .db()
}
