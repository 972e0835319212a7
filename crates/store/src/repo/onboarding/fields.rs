//! Customer field configurations: the fields of each form (and of the profile).

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::customer_field_configs::{self as cf, Entity as FieldConfig};
use crate::error::DbResultExt;

pub use crate::entities::customer_field_configs::Model as FieldRow;

/// A configuration to store (`step` `''` for the profile).
#[derive(Debug, Clone)]
pub struct NewField {
    pub field: String,
    pub step: String,
    pub required: bool,
    pub editable: bool,
}

/// Every configuration, in the order they were given.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<FieldRow>> {
    FieldConfig::find().order_by_asc(cf::Column::Id).all(conn).await.db()
}

/// The configurations of one form.
pub async fn of_step<C: ConnectionTrait>(conn: &C, step: &str) -> Result<Vec<FieldRow>> {
    FieldConfig::find()
        .filter(cf::Column::Step.eq(step))
        .order_by_asc(cf::Column::Id)
        .all(conn)
        .await
        .db()
}

/// Replaces every configuration with `list` (pass a transaction).
pub async fn replace<C: ConnectionTrait>(conn: &C, list: Vec<NewField>) -> Result<()> {
    FieldConfig::delete_many().exec(conn).await.db()?;
    let t = now();
    for f in list {
        cf::ActiveModel {
            field: Set(f.field),
            step: Set(f.step),
            required: Set(f.required),
            editable: Set(f.editable),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(conn)
        .await
        .db()?;
    }
    Ok(())
}
