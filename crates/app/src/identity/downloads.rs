//! One-time download links: a browser cannot send an `Authorization` header with a link, and
//! an access token must never travel in a URL (logs, history, referrers). A signed-in user asks
//! for a download token (short-lived, single use, stored hashed) and puts it in the export
//! link as `?token=`; redeeming it spends it and stands for its user.

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::user_tokens::{self, DOWNLOAD};

use crate::identity::auth::principal_of;
use crate::identity::one_time_tokens::spend_active;
use crate::identity::principal::AuthMethod;
use crate::identity::security::{random_token, token_hash};
use crate::{App, Principal};

/// Lifetime of a download token, in seconds.
pub const DOWNLOAD_TTL_SECS: u64 = 60;

/// A download token for the caller's own session (not an impersonation, not an API key: an
/// API key client sends its key in the header). Returns the token and its lifetime in seconds.
pub async fn issue(app: &App, who: &Principal) -> Result<(String, u64)> {
    who.forbid_impersonation("create a download link")?;
    if who.method != AuthMethod::Session || who.user_id == 0 {
        return Err(Error::Refused(
            "download links are for signed-in users; send an API key in the Authorization header"
                .into(),
        ));
    }
    let token = random_token(32);
    let ttl = chrono::Duration::seconds(i64::try_from(DOWNLOAD_TTL_SECS).unwrap_or(60));
    user_tokens::insert(
        app.db().conn(),
        who.user_id,
        DOWNLOAD,
        &token_hash(&token),
        brokercrm_store::db::now() + ttl,
    )
    .await?;
    Ok((token, DOWNLOAD_TTL_SECS))
}

/// Spends a download token and returns the principal it stands for; an unknown, spent or
/// expired token, or one whose user is no longer active, is `Unauthorized`.
pub async fn redeem(app: &App, token: &str) -> Result<Principal> {
    let invalid = || Error::Unauthorized("invalid or expired download token".into());
    let token = token.trim();
    if token.is_empty() {
        return Err(invalid());
    }
    let tx = app.db().begin_write().await?;
    let user = spend_active(&tx, DOWNLOAD, &token_hash(token), invalid).await?;
    commit(tx).await?;
    principal_of(&user, AuthMethod::Session, None)
}
