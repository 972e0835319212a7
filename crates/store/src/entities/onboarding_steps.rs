//! Entity for the `onboarding_steps` table: the stage each onboarding step belongs to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "onboarding_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub step: String,
    /// `None`: the step is not required at any stage.
    pub stage: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
