//! Auto-login links: hashed, expiring, consumed at most once by a conditional update.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::db::now;
use crate::entities::auto_login_tokens::{self, Entity as AutoLogin};
use crate::error::DbResultExt;

pub use crate::entities::auto_login_tokens::Model as AutoLoginRow;

#[derive(Debug, Clone, Default)]
pub struct NewAutoLogin {
    pub token_hash: String,
    pub crm_lead_id: Option<i64>,
    pub user_id: Option<i64>,
    pub redirect_path: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, t: NewAutoLogin) -> Result<()> {
    insert_many(conn, vec![t]).await
}

/// Stores several links in one statement.
pub async fn insert_many<C: ConnectionTrait>(conn: &C, links: Vec<NewAutoLogin>) -> Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let at = now();
    let rows = links.into_iter().map(|t| auto_login_tokens::ActiveModel {
        token_hash: Set(t.token_hash),
        crm_lead_id: Set(t.crm_lead_id),
        user_id: Set(t.user_id),
        redirect_path: Set(t.redirect_path),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
        created_at: Set(at),
        ..Default::default()
    });
    AutoLogin::insert_many(rows).exec_without_returning(conn).await.db().map(|_| ())
}

/// Spends the link with `token_hash` if it is unused and unexpired; returns it, else `None`.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<AutoLoginRow>> {
    let at = now();
    let res = AutoLogin::update_many()
        .col_expr(auto_login_tokens::Column::UsedAt, Expr::value(at))
        .filter(auto_login_tokens::Column::TokenHash.eq(token_hash))
        .filter(auto_login_tokens::Column::UsedAt.is_null())
        .filter(auto_login_tokens::Column::ExpiresAt.gt(at))
        .exec(conn)
        .await
        .db()?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    AutoLogin::find()
        .filter(auto_login_tokens::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await
        .db()
}
