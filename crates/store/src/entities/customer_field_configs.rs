//! Entity for the `customer_field_configs` table: a customer field shown in a form (or, with
//! an empty step, in the profile), whether it is required and whether the client may edit it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_field_configs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub field: String,
    /// The form's step, or `''` for the profile.
    pub step: String,
    pub required: bool,
    pub editable: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
