//! Documents are never served on an authenticated route: the owner or a staff member who may
//! work the customer asks for a file token (random, stored hashed, valid
//! [`FILE_TOKEN_TTL_SECS`], single use) and opens "Get file by token"; redeeming spends it
//! in one conditional update, so a second use (or a concurrent one) finds nothing.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Permission, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::onboarding::documents::{self, DocumentRow};
use brokercrm_store::repo::onboarding::file_tokens;

use crate::identity::scope::{customer_scope, holds};
use crate::identity::security::{random_token, token_hash};
use crate::{App, Principal};

/// Lifetime of a file token, in seconds.
pub const FILE_TOKEN_TTL_SECS: i64 = 60;

/// Whether `who` may open `doc`: its customer, or staff with WorkCustomers in whose scope
/// the customer is. Anything else is `NotFound` (the document's existence is not revealed).
async fn may_open(app: &App, who: &Principal, doc: &DocumentRow) -> Result<()> {
    let conn = app.db().conn();
    let allowed = if who.role == Role::Customer {
        doc.customer_id == who.user_id
    } else if who.require(Permission::WorkCustomers).is_ok() {
        match customer_scope(conn, who).await? {
            Some(scope) => holds(conn, &scope, doc.customer_id).await?,
            None => false,
        }
    } else {
        false
    };
    if allowed { Ok(()) } else { Err(Error::NotFound("document")) }
}

/// A file token for document `document_id` (its public id); returns it and its lifetime.
pub async fn issue(app: &App, who: &Principal, document_id: &str) -> Result<(String, i64)> {
    let doc = documents::find_by_uuid(app.db().conn(), document_id.trim())
        .await?
        .ok_or(Error::NotFound("document"))?;
    may_open(app, who, &doc).await?;
    let token = random_token(32);
    let expires = app.services().clock.now() + chrono::Duration::seconds(FILE_TOKEN_TTL_SECS);
    file_tokens::insert(app.db().conn(), &token_hash(&token), doc.id, expires).await?;
    Ok((token, FILE_TOKEN_TTL_SECS))
}

/// "Get file by token": spends the token; the document and its bytes. An unknown, used or
/// expired token is `NotFound`.
pub async fn redeem(app: &App, token: &str) -> Result<(DocumentRow, Vec<u8>)> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(Error::NotFound("file"));
    }
    let tx = app.db().begin_write().await?;
    let id = file_tokens::spend(&tx, &token_hash(token), app.services().clock.now())
        .await?
        .ok_or(Error::NotFound("file"))?;
    let doc = documents::find(&tx, id).await?.ok_or(Error::NotFound("file"))?;
    commit(tx).await?;
    let bytes = app.services().files.get(&doc.file_key).await?.ok_or(Error::NotFound("file"))?;
    Ok((doc, bytes))
}
