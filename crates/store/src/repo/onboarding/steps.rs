//! The stage of each onboarding step (one row per step, created by the migration).

use brokercrm_core::Result;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};

use crate::db::now;
use crate::entities::onboarding_steps::{self as os, Entity as Step};
use crate::error::DbResultExt;

pub use crate::entities::onboarding_steps::Model as StepRow;

/// Every step with its stage, by step name.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<StepRow>> {
    Step::find().order_by_asc(os::Column::Step).all(conn).await.db()
}

/// Sets `step`'s stage (inserting the row if it is missing).
pub async fn set_stage<C: ConnectionTrait>(
    conn: &C,
    step: &str,
    stage: Option<&str>,
) -> Result<StepRow> {
    let row = os::ActiveModel {
        step: Set(step.to_owned()),
        stage: Set(stage.map(str::to_owned)),
        updated_at: Set(now()),
    };
    match Step::find_by_id(step.to_owned()).one(conn).await.db()? {
        Some(_) => row.update(conn).await.db(),
        None => row.insert(conn).await.db(),
    }
}
