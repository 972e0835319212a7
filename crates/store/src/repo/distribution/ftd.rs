//! Conversions: a lead reaching a goal type, recorded at most once per (lead, goal).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set,
};

use crate::db::now;
use crate::entities::conversions::{self, Entity as Conversion};
use crate::entities::{goal_types, leads};
use crate::error::DbResultExt;

pub use crate::entities::conversions::Model as ConversionRow;

pub const SOURCE_ROUTING: &str = "routing";
pub const SOURCE_POSTBACK: &str = "postback";
pub const SOURCE_CRM: &str = "crm";

/// Records the conversion; false when the lead already had that goal (redelivery, retries).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    lead_id: i64,
    goal_type_id: i64,
    affiliate_id: i64,
    source: &'static str,
) -> Result<bool> {
    let one = NewConversion { lead_id, goal_type_id, affiliate_id, source };
    record_many(conn, vec![one]).await.map(|n| n == 1)
}

/// A conversion to record.
#[derive(Debug, Clone)]
pub struct NewConversion {
    pub lead_id: i64,
    pub goal_type_id: i64,
    pub affiliate_id: i64,
    pub source: &'static str,
}

/// Records several conversions in one statement, each at most once per lead and goal type;
/// returns how many were new.
pub async fn record_many<C: ConnectionTrait>(conn: &C, rows: Vec<NewConversion>) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let at = now();
    let rows = rows.into_iter().map(|c| conversions::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        lead_id: Set(c.lead_id),
        goal_type_id: Set(c.goal_type_id),
        affiliate_id: Set(c.affiliate_id),
        source: Set(c.source.to_owned()),
        created_at: Set(at),
        ..Default::default()
    });
    let n = Conversion::insert_many(rows)
        .on_conflict(
            OnConflict::columns([conversions::Column::LeadId, conversions::Column::GoalTypeId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n)
}

/// Filters of the affiliate API's lead list (one row per conversion).
#[derive(Debug, Clone, Default)]
pub struct ConversionFilter {
    pub affiliate_id: i64,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub goal_type_id: Option<i64>,
    pub is_test: Option<bool>,
}

/// A conversion with its lead and goal type.
pub type ConversionWithLead = (ConversionRow, leads::Model, goal_types::Model);

fn lead_rel() -> RelationDef {
    Conversion::belongs_to(leads::Entity)
        .from(conversions::Column::LeadId)
        .to(leads::Column::Id)
        .into()
}

/// One page of an affiliate's conversions, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &ConversionFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<ConversionWithLead>> {
    let mut cond = Condition::all().add(conversions::Column::AffiliateId.eq(f.affiliate_id));
    if let Some(t) = f.created_from {
        cond = cond.add(conversions::Column::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_to {
        cond = cond.add(conversions::Column::CreatedAt.lte(t));
    }
    if let Some(g) = f.goal_type_id {
        cond = cond.add(conversions::Column::GoalTypeId.eq(g));
    }
    if let Some(t) = f.is_test {
        cond = cond.add(Expr::col((leads::Entity, leads::Column::IsTest)).eq(t));
    }
    let rows = Conversion::find()
        .join(JoinType::InnerJoin, lead_rel())
        .filter(cond)
        .order_by_desc(conversions::Column::CreatedAt)
        .order_by_desc(conversions::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    let lead_ids: Vec<i64> = rows.iter().map(|c| c.lead_id).collect();
    let goal_ids: Vec<i64> = rows.iter().map(|c| c.goal_type_id).collect();
    let leads = super::leads::find_by_ids(conn, &lead_ids).await?;
    let goals = super::goal_types::find_by_ids(conn, &goal_ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let l = leads.iter().find(|l| l.id == c.lead_id)?.clone();
            let g = goals.iter().find(|g| g.id == c.goal_type_id)?.clone();
            Some((c, l, g))
        })
        .collect())
}

/// Conversions of one lead, oldest first.
pub async fn for_lead<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Vec<ConversionRow>> {
    Conversion::find()
        .filter(conversions::Column::LeadId.eq(lead_id))
        .order_by_asc(conversions::Column::Id)
        .all(conn)
        .await
        .db()
}

/// How many leads reached this goal type.
pub async fn count_for_goal_type<C: ConnectionTrait>(conn: &C, goal_type_id: i64) -> Result<u64> {
    Conversion::find()
        .filter(conversions::Column::GoalTypeId.eq(goal_type_id))
        .count(conn)
        .await
        .db()
}
