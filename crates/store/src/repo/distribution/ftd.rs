//! The `conversions` table, called FTDs here (to tell them from FX conversion paths): a lead
//! reaching a goal type (Lead, FTD, ...), recorded at most once per (lead, goal).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set,
};

use crate::db::now;
use crate::entities::ftds::{self, Entity as Ftd};
use crate::entities::{goal_types, leads};
use crate::error::DbResultExt;

pub use crate::entities::ftds::Model as FtdRow;

pub const SOURCE_ROUTING: &str = "routing";
pub const SOURCE_POSTBACK: &str = "postback";
pub const SOURCE_CRM: &str = "crm";

/// Records the FTD; false when the lead already had that goal (redelivery, retries).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    lead_id: i64,
    goal_type_id: i64,
    affiliate_id: i64,
    source: &'static str,
) -> Result<bool> {
    let one = NewFtd { lead_id, goal_type_id, affiliate_id, source };
    record_many(conn, vec![one]).await.map(|n| n == 1)
}

/// An FTD to record.
#[derive(Debug, Clone)]
pub struct NewFtd {
    pub lead_id: i64,
    pub goal_type_id: i64,
    pub affiliate_id: i64,
    pub source: &'static str,
}

/// Records several FTDs in one statement, each at most once per lead and goal type;
/// returns how many were new.
pub async fn record_many<C: ConnectionTrait>(conn: &C, rows: Vec<NewFtd>) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let at = now();
    let rows = rows.into_iter().map(|c| ftds::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        lead_id: Set(c.lead_id),
        goal_type_id: Set(c.goal_type_id),
        affiliate_id: Set(c.affiliate_id),
        source: Set(c.source.to_owned()),
        created_at: Set(at),
        ..Default::default()
    });
    let n = Ftd::insert_many(rows)
        .on_conflict(
            OnConflict::columns([ftds::Column::LeadId, ftds::Column::GoalTypeId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n)
}

/// Filters of the affiliate API's lead list (one row per FTD).
#[derive(Debug, Clone, Default)]
pub struct FtdFilter {
    pub affiliate_id: i64,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub goal_type_id: Option<i64>,
    pub is_test: Option<bool>,
}

/// An FTD with its lead and goal type.
pub type FtdWithLead = (FtdRow, leads::Model, goal_types::Model);

fn lead_rel() -> RelationDef {
    Ftd::belongs_to(leads::Entity).from(ftds::Column::LeadId).to(leads::Column::Id).into()
}

/// One page of an affiliate's FTDs, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &FtdFilter,
    offset: u64,
    limit: u64,
) -> Result<Vec<FtdWithLead>> {
    let mut cond = Condition::all().add(ftds::Column::AffiliateId.eq(f.affiliate_id));
    if let Some(t) = f.created_from {
        cond = cond.add(ftds::Column::CreatedAt.gte(t));
    }
    if let Some(t) = f.created_to {
        cond = cond.add(ftds::Column::CreatedAt.lte(t));
    }
    if let Some(g) = f.goal_type_id {
        cond = cond.add(ftds::Column::GoalTypeId.eq(g));
    }
    if let Some(t) = f.is_test {
        cond = cond.add(Expr::col((leads::Entity, leads::Column::IsTest)).eq(t));
    }
    let rows = Ftd::find()
        .join(JoinType::InnerJoin, lead_rel())
        .filter(cond)
        .order_by_desc(ftds::Column::CreatedAt)
        .order_by_desc(ftds::Column::Id)
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

/// FTDs of one lead, oldest first.
pub async fn for_lead<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<Vec<FtdRow>> {
    Ftd::find()
        .filter(ftds::Column::LeadId.eq(lead_id))
        .order_by_asc(ftds::Column::Id)
        .all(conn)
        .await
        .db()
}

/// How many leads reached this goal type.
pub async fn count_for_goal_type<C: ConnectionTrait>(conn: &C, goal_type_id: i64) -> Result<u64> {
    Ftd::find().filter(ftds::Column::GoalTypeId.eq(goal_type_id)).count(conn).await.db()
}
