//! E-mail templates.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::email_templates::{self as et, Entity as Template};
use crate::error::DbResultExt;

pub use crate::entities::email_templates::Model as TemplateRow;

/// Most templates listed.
pub const MAX_LISTED: u64 = 500;

/// A template's fields.
#[derive(Debug, Clone)]
pub struct TemplateFields {
    pub enabled: bool,
    pub title: String,
    pub subject: String,
    pub mjml: String,
    pub txt: String,
    pub trigger_name: String,
    pub conditions: String,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
    f: TemplateFields,
) -> Result<TemplateRow> {
    let t = now();
    et::ActiveModel {
        uuid: Set(uuid.to_owned()),
        enabled: Set(f.enabled),
        title: Set(f.title),
        subject: Set(f.subject),
        mjml: Set(f.mjml),
        txt: Set(f.txt),
        trigger_name: Set(f.trigger_name),
        conditions: Set(f.conditions),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn update<C: ConnectionTrait>(
    conn: &C,
    row: TemplateRow,
    f: TemplateFields,
) -> Result<TemplateRow> {
    let mut am: et::ActiveModel = row.into();
    am.enabled = Set(f.enabled);
    am.title = Set(f.title);
    am.subject = Set(f.subject);
    am.mjml = Set(f.mjml);
    am.txt = Set(f.txt);
    am.trigger_name = Set(f.trigger_name);
    am.conditions = Set(f.conditions);
    am.updated_at = Set(now());
    am.update(conn).await.db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<TemplateRow>> {
    Template::find().filter(et::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// Every template, oldest first (at most [`MAX_LISTED`]).
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<TemplateRow>> {
    Template::find().order_by_asc(et::Column::Id).limit(MAX_LISTED).all(conn).await.db()
}

/// The enabled templates of a trigger.
pub async fn enabled_for<C: ConnectionTrait>(conn: &C, trigger: &str) -> Result<Vec<TemplateRow>> {
    Template::find()
        .filter(et::Column::TriggerName.eq(trigger))
        .filter(et::Column::Enabled.eq(true))
        .order_by_asc(et::Column::Id)
        .all(conn)
        .await
        .db()
}

/// Deletes the template; whether it existed.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    Ok(Template::delete_by_id(id).exec(conn).await.db()?.rows_affected == 1)
}
