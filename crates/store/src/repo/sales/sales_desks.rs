//! Sales desks (names unique regardless of case) and their members; a sales person is on at
//! most one desk.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::sales_desk_members::{self as members, Entity as Member};
use crate::entities::sales_desks::{self, Entity as SalesDesk};
use crate::error::DbResultExt;
use crate::repo::identity::users::{self, UserRow};

pub use crate::entities::sales_desk_members::Model as MemberRow;
pub use crate::entities::sales_desks::Model as SalesDeskRow;

/// The key that makes names unique: trimmed and lower-cased.
pub fn key_of(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Inserts a desk; a taken name is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(conn: &C, uuid: &str, name: &str) -> Result<SalesDeskRow> {
    let t = now();
    sales_desks::ActiveModel {
        uuid: Set(uuid.to_owned()),
        name: Set(name.to_owned()),
        name_key: Set(key_of(name)),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<SalesDeskRow>> {
    SalesDesk::find().filter(sales_desks::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// One page of desks by id, and the total count.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<(Vec<SalesDeskRow>, u64)> {
    let total = SalesDesk::find().count(conn).await.db()?;
    let rows = SalesDesk::find()
        .order_by_asc(sales_desks::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

/// Renames a desk; a taken name is a `Conflict`.
pub async fn rename<C: ConnectionTrait>(
    conn: &C,
    row: SalesDeskRow,
    name: &str,
) -> Result<SalesDeskRow> {
    let mut am = row.into_active_model();
    am.name = Set(name.to_owned());
    am.name_key = Set(key_of(name));
    am.updated_at = Set(now());
    am.update(conn).await.db()
}

/// Deletes a desk; its memberships go with it, its customers become desk-less.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Member::delete_many().filter(members::Column::DeskId.eq(id)).exec(conn).await.db()?;
    SalesDesk::delete_by_id(id).exec(conn).await.db().map(|_| ())
}

/// Memberships of these desks, by user id.
pub async fn members_of<C: ConnectionTrait>(conn: &C, desk_ids: &[i64]) -> Result<Vec<MemberRow>> {
    if desk_ids.is_empty() {
        return Ok(Vec::new());
    }
    Member::find()
        .filter(members::Column::DeskId.is_in(desk_ids.to_vec()))
        .order_by_asc(members::Column::UserId)
        .all(conn)
        .await
        .db()
}

/// The desk `user_id` is on, if any (identity's read, `repo::identity::scope`).
pub use crate::repo::identity::scope::desk_of;

/// Makes `user_ids` the members of `desk_id`: others leave it, and each of them leaves any
/// other desk.
pub async fn set_members<C: ConnectionTrait>(
    conn: &C,
    desk_id: i64,
    user_ids: &[i64],
) -> Result<()> {
    Member::delete_many().filter(members::Column::DeskId.eq(desk_id)).exec(conn).await.db()?;
    if user_ids.is_empty() {
        return Ok(());
    }
    Member::delete_many()
        .filter(members::Column::UserId.is_in(user_ids.to_vec()))
        .exec(conn)
        .await
        .db()?;
    let t = now();
    let rows = user_ids.iter().map(|u| members::ActiveModel {
        user_id: Set(*u),
        desk_id: Set(desk_id),
        created_at: Set(t),
    });
    Member::insert_many(rows).exec_without_returning(conn).await.db().map(|_| ())
}

/// Sales people (managers and agents, see [`users::sales_people`]), at most `limit`; only
/// members of `desk` when given.
pub async fn sales_people<C: ConnectionTrait>(
    conn: &C,
    desk: Option<i64>,
    limit: u64,
) -> Result<Vec<UserRow>> {
    let Some(d) = desk else { return users::sales_people(conn, None, limit).await };
    let ids: Vec<i64> = members_of(conn, &[d]).await?.into_iter().map(|m| m.user_id).collect();
    users::sales_people(conn, Some(&ids), limit).await
}

/// Sales desks with these ids (any order).
pub async fn find_by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<SalesDeskRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    SalesDesk::find().filter(sales_desks::Column::Id.is_in(ids.to_vec())).all(conn).await.db()
}
