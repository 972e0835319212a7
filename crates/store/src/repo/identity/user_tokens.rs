//! One-time user tokens (e-mail verification, password reset, mobile confirmation code,
//! download links).
//! Only SHA-256 hashes are stored; a token is spent by a conditional update on `used_at IS
//! NULL`, so two concurrent uses cannot both succeed; wrong guesses count in `attempts`.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::user_tokens::{self, Entity as UserToken};
use crate::error::DbResultExt;

pub use crate::entities::user_tokens::Model as UserTokenRow;

/// Purpose of an e-mail verification link token.
pub const EMAIL_VERIFY: &str = "email_verify";
/// Purpose of a password reset (or first password) link token.
pub const PASSWORD_RESET: &str = "password_reset";
/// Purpose of an SMS confirmation code.
pub const MOBILE_CODE: &str = "mobile_code";
/// Purpose of a one-time download link token (exports).
pub const DOWNLOAD: &str = "download";

impl UserTokenRow {
    /// Unused and not yet expired.
    pub fn is_usable(&self) -> bool {
        self.used_at.is_none() && self.expires_at > now()
    }
}

/// Stores a new token by its hash.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<UserTokenRow> {
    user_tokens::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        attempts: Set(0),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// The token of `purpose` with this hash, used or not (callers check [`UserTokenRow::is_usable`]).
pub async fn find_by_hash<C: ConnectionTrait>(
    conn: &C,
    purpose: &str,
    token_hash: &str,
) -> Result<Option<UserTokenRow>> {
    UserToken::find()
        .filter(user_tokens::Column::TokenHash.eq(token_hash))
        .filter(user_tokens::Column::Purpose.eq(purpose))
        .one(conn)
        .await
        .db()
}

/// The newest unused token of `purpose` for a user (expiry is checked by the caller).
pub async fn latest_unused<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    purpose: &str,
) -> Result<Option<UserTokenRow>> {
    UserToken::find()
        .filter(user_tokens::Column::UserId.eq(user_id))
        .filter(user_tokens::Column::Purpose.eq(purpose))
        .filter(user_tokens::Column::UsedAt.is_null())
        .order_by_desc(user_tokens::Column::Id)
        .one(conn)
        .await
        .db()
}

/// Spends a token; false when it was already spent (the conditional update decides races).
pub async fn consume<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = UserToken::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(now()))
        .filter(user_tokens::Column::Id.eq(id))
        .filter(user_tokens::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Counts one attempt if fewer than `max` were made and the token is unused; false otherwise.
pub async fn add_attempt<C: ConnectionTrait>(conn: &C, id: i64, max: i32) -> Result<bool> {
    let res = UserToken::update_many()
        .col_expr(user_tokens::Column::Attempts, Expr::col(user_tokens::Column::Attempts).add(1))
        .filter(user_tokens::Column::Id.eq(id))
        .filter(user_tokens::Column::UsedAt.is_null())
        .filter(user_tokens::Column::Attempts.lt(max))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Spends every unused token of `purpose` for a user (a new one was issued, or the goal reached).
pub async fn invalidate<C: ConnectionTrait>(conn: &C, user_id: i64, purpose: &str) -> Result<u64> {
    let res = UserToken::update_many()
        .col_expr(user_tokens::Column::UsedAt, Expr::value(now()))
        .filter(user_tokens::Column::UserId.eq(user_id))
        .filter(user_tokens::Column::Purpose.eq(purpose))
        .filter(user_tokens::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}
