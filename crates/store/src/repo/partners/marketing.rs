//! Partners' marketing material: files served by token, banners in date windows, an
//! introducer's grey-label logos.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::banners::{self, Column as B, Entity as Banner};
use crate::entities::grey_label_logos::{self, Column as L, Entity as Logos};
use crate::entities::partner_files::{self, Column as F, Entity as File};
use crate::error::DbResultExt;

pub use crate::entities::banners::Model as BannerRow;
pub use crate::entities::grey_label_logos::Model as LogosRow;
pub use crate::entities::partner_files::Model as FileRow;

/// A stored file to record.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub token: String,
    pub file_key: String,
    pub content_type: String,
    pub size: i64,
}

pub async fn insert_file<C: ConnectionTrait>(conn: &C, f: NewFile) -> Result<FileRow> {
    partner_files::ActiveModel {
        token: Set(f.token),
        file_key: Set(f.file_key),
        content_type: Set(f.content_type),
        size: Set(f.size),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn file<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<FileRow>> {
    File::find_by_id(id).one(conn).await.db()
}

pub async fn files<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<FileRow>> {
    File::find().filter(F::Id.is_in(ids.iter().copied())).all(conn).await.db()
}

pub async fn file_by_token<C: ConnectionTrait>(conn: &C, token: &str) -> Result<Option<FileRow>> {
    File::find().filter(F::Token.eq(token)).one(conn).await.db()
}

pub async fn delete_file<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    File::delete_by_id(id).exec(conn).await.db()?;
    Ok(())
}

/// A banner's fields.
#[derive(Debug, Clone)]
pub struct BannerFields {
    pub name: String,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub link: Option<String>,
    pub link_target: String,
    pub file_id: i64,
}

pub async fn insert_banner<C: ConnectionTrait>(conn: &C, b: BannerFields) -> Result<BannerRow> {
    let t = now();
    banners::ActiveModel {
        name: Set(b.name),
        start_at: Set(b.start_at),
        end_at: Set(b.end_at),
        link: Set(b.link),
        link_target: Set(b.link_target),
        file_id: Set(b.file_id),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn update_banner<C: ConnectionTrait>(
    conn: &C,
    row: BannerRow,
    b: BannerFields,
) -> Result<BannerRow> {
    let mut am: banners::ActiveModel = row.into();
    am.name = Set(b.name);
    am.start_at = Set(b.start_at);
    am.end_at = Set(b.end_at);
    am.link = Set(b.link);
    am.link_target = Set(b.link_target);
    am.file_id = Set(b.file_id);
    am.updated_at = Set(now());
    am.update(conn).await.db()
}

pub async fn banner<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<BannerRow>> {
    Banner::find_by_id(id).one(conn).await.db()
}

/// Every banner, the latest start first.
pub async fn banners<C: ConnectionTrait>(conn: &C) -> Result<Vec<BannerRow>> {
    Banner::find().order_by_desc(B::StartAt).order_by_desc(B::Id).all(conn).await.db()
}

/// The banner shown `at`: the one whose window holds it, the latest start first.
pub async fn active_banner<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
) -> Result<Option<BannerRow>> {
    Banner::find()
        .filter(B::StartAt.lte(at))
        .filter(B::EndAt.gt(at))
        .order_by_desc(B::StartAt)
        .order_by_desc(B::Id)
        .one(conn)
        .await
        .db()
}

pub async fn delete_banner<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    Ok(Banner::delete_by_id(id).exec(conn).await.db()?.rows_affected == 1)
}

pub async fn logos<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Option<LogosRow>> {
    Logos::find_by_id(user_id).one(conn).await.db()
}

/// Sets `user_id`'s logos (replacing earlier ones).
pub async fn put_logos<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    rectangular_file_id: i64,
    square_file_id: i64,
) -> Result<()> {
    let row = grey_label_logos::ActiveModel {
        user_id: Set(user_id),
        rectangular_file_id: Set(rectangular_file_id),
        square_file_id: Set(square_file_id),
        updated_at: Set(now()),
    };
    Logos::insert(row)
        .on_conflict(
            OnConflict::column(L::UserId)
                .update_columns([L::RectangularFileId, L::SquareFileId, L::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn delete_logos<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<bool> {
    Ok(Logos::delete_by_id(user_id).exec(conn).await.db()?.rows_affected == 1)
}
