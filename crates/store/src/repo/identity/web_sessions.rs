//! The `web_sessions` table: the staff portal's sessions, stored by the SHA-256 hash of the
//! cookie. A session is usable while not revoked; the idle and absolute limits are the
//! caller's (`app::identity::web_sessions`).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::web_sessions::{self, Entity as WebSession};
use crate::error::DbResultExt;

pub use crate::entities::web_sessions::Model as WebSessionRow;

/// Stores a new session of `user_id` at its current token generation.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    token_hash: &str,
    token_generation: i64,
) -> Result<WebSessionRow> {
    let t = now();
    web_sessions::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash.to_owned()),
        token_generation: Set(token_generation),
        created_at: Set(t),
        last_seen_at: Set(t),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The unrevoked session with this hash.
pub async fn find_live<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<WebSessionRow>> {
    WebSession::find()
        .filter(web_sessions::Column::TokenHash.eq(token_hash))
        .filter(web_sessions::Column::RevokedAt.is_null())
        .one(conn)
        .await
        .db()
}

/// Records a use of session `id` at `at`.
pub async fn touch<C: ConnectionTrait>(conn: &C, id: i64, at: DateTime<Utc>) -> Result<()> {
    WebSession::update_many()
        .col_expr(web_sessions::Column::LastSeenAt, Expr::value(at))
        .filter(web_sessions::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Revokes the session with this hash (logout, expiry); nothing when there is none.
pub async fn revoke<C: ConnectionTrait>(conn: &C, token_hash: &str) -> Result<()> {
    WebSession::update_many()
        .col_expr(web_sessions::Column::RevokedAt, Expr::value(now()))
        .filter(web_sessions::Column::TokenHash.eq(token_hash))
        .filter(web_sessions::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}
