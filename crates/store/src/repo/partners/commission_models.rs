//! IB commission models: insert, read, change and delete rows; which one is the default; which
//! models name another as their sub-introducers' model. Levels are stored as the JSON the
//! application validated.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::commission_models::{self, Column as Col, Entity as Model};
use crate::error::DbResultExt;

pub use crate::entities::commission_models::Model as CommissionModelRow;

/// The fields of a model as written.
#[derive(Debug, Clone)]
pub struct ModelFields {
    pub name: String,
    pub grey_labeling_enabled: bool,
    pub sub_commission_model_id: Option<i64>,
    /// JSON array of levels.
    pub levels: String,
}

/// The key that makes names unique: trimmed and lower-cased.
pub fn key_of(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Inserts a model; a taken name is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    f: ModelFields,
    is_default: bool,
) -> Result<CommissionModelRow> {
    let t = now();
    commission_models::ActiveModel {
        name_key: Set(key_of(&f.name)),
        name: Set(f.name),
        grey_labeling_enabled: Set(f.grey_labeling_enabled),
        sub_commission_model_id: Set(f.sub_commission_model_id),
        levels: Set(f.levels),
        is_default: Set(is_default),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces a model's fields; a taken name is a `Conflict`.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    row: CommissionModelRow,
    f: ModelFields,
    is_default: bool,
) -> Result<CommissionModelRow> {
    let mut am = row.into_active_model();
    am.name_key = Set(key_of(&f.name));
    am.name = Set(f.name);
    am.grey_labeling_enabled = Set(f.grey_labeling_enabled);
    am.sub_commission_model_id = Set(f.sub_commission_model_id);
    am.levels = Set(f.levels);
    am.is_default = Set(is_default);
    am.updated_at = Set(now());
    am.update(conn).await.db()
}

pub async fn find_by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<CommissionModelRow>> {
    Model::find_by_id(id).one(conn).await.db()
}

/// The first `limit` models by id.
pub async fn list<C: ConnectionTrait>(conn: &C, limit: u64) -> Result<Vec<CommissionModelRow>> {
    Model::find().order_by_asc(Col::Id).limit(limit).all(conn).await.db()
}

/// How many models there are.
pub async fn count<C: ConnectionTrait>(conn: &C) -> Result<u64> {
    Model::find().count(conn).await.db()
}

/// The models whose sub-introducers' model is `id`.
pub async fn count_naming_as_sub<C: ConnectionTrait>(conn: &C, id: i64) -> Result<u64> {
    Model::find().filter(Col::SubCommissionModelId.eq(id)).count(conn).await.db()
}

/// Makes no model the default (before another becomes it).
pub async fn clear_default<C: ConnectionTrait>(conn: &C) -> Result<()> {
    Model::update_many()
        .col_expr(Col::IsDefault, Expr::value(false))
        .filter(Col::IsDefault.eq(true))
        .exec(conn)
        .await
        .db()?;
    Ok(())
}

/// Deletes a model; `false` when it did not exist.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    Ok(Model::delete_by_id(id).exec(conn).await.db()?.rows_affected == 1)
}

/// The default model, if any.
pub async fn default_model<C: ConnectionTrait>(conn: &C) -> Result<Option<CommissionModelRow>> {
    Model::find().filter(Col::IsDefault.eq(true)).one(conn).await.db()
}
