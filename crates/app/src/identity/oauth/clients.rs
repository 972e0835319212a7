//! Admin management of OAuth clients: register (the secret is shown once and stored as a
//! SHA-256 hash of 32 random bytes), list, revoke. Audited.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::identity::oauth::{self as repo, NewClient, OAuthClientRow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use url::{Host, Url};

use crate::identity::security::{random_token, token_hash};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// At most this many redirect URIs per client.
pub const MAX_REDIRECT_URIS: usize = 20;

/// A client as shown to admins (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = OAuthClientDto)]
pub struct ClientView {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ClientView {
    fn of(row: &OAuthClientRow) -> Result<Self> {
        Ok(Self {
            client_id: row.client_id.clone(),
            name: row.name.clone(),
            redirect_uris: repo::redirect_uris(row)?,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// A registered client and its secret, which is not stored and cannot be shown again.
#[derive(Debug)]
pub struct CreatedClient {
    pub client: ClientView,
    pub secret: String,
}

/// Registers a client.
pub async fn create_client(
    app: &App,
    actor: &Principal,
    name: &str,
    redirect_uris: &[String],
) -> Result<CreatedClient> {
    actor.require(Permission::ManageOAuthClients)?;
    let mut v = Violations::new();
    let name = v.check(text("name", name, 100));
    let uris = v.check(validate_redirect_uris(redirect_uris));
    v.finish()?;
    let (Some(name), Some(uris)) = (name, uris) else {
        return Err(Error::internal("validation passed without values"));
    };
    let secret = random_token(32);
    let tx = app.db().begin_write().await?;
    let row = repo::insert_client(
        &tx,
        NewClient {
            client_id: uuid::Uuid::now_v7().to_string(),
            name,
            secret_hash: token_hash(&secret),
            redirect_uris: uris,
        },
    )
    .await?;
    let client = ClientView::of(&row)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("oauth_client.create", "oauth_client", row.client_id.clone())
            .details(format!("OAuth client '{}' registered", row.name))
            .after(&client),
    )
    .await?;
    brokercrm_store::db::commit(tx).await?;
    Ok(CreatedClient { client, secret })
}

/// Clients, newest first (`limit` at most 500).
pub async fn list_clients(
    app: &App,
    actor: &Principal,
    offset: u64,
    limit: u64,
) -> Result<Vec<ClientView>> {
    actor.require(Permission::ManageOAuthClients)?;
    let offset = brokercrm_core::validate::offset("offset", offset)?;
    let rows = repo::list_clients(app.db().conn(), offset, limit.clamp(1, 500)).await?;
    rows.iter().map(ClientView::of).collect()
}

/// Revokes a client and the refresh tokens issued to it.
pub async fn revoke_client(app: &App, actor: &Principal, client_id: &str) -> Result<()> {
    actor.require(Permission::ManageOAuthClients)?;
    let tx = app.db().begin_write().await?;
    if !repo::revoke_client(&tx, client_id).await? {
        return Err(Error::NotFound("oauth client"));
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("oauth_client.revoke", "oauth_client", client_id)
            .details("OAuth client revoked"),
    )
    .await?;
    brokercrm_store::db::commit(tx).await
}

/// 1 to 20 distinct absolute URLs without fragment or credentials: `https`, or `http` on
/// `localhost` / a loopback address for development (RFC 6749 §3.1.2, RFC 8252 §7.3).
fn validate_redirect_uris(raw: &[String]) -> Result<Vec<String>> {
    if raw.is_empty() {
        return Err(Error::field("redirectUris", "must contain at least one URI"));
    }
    if raw.len() > MAX_REDIRECT_URIS {
        return Err(Error::field(
            "redirectUris",
            format!("must contain at most {MAX_REDIRECT_URIS} URIs"),
        ));
    }
    let mut v = Violations::new();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, uri) in raw.iter().enumerate() {
        let field = format!("redirectUris[{i}]");
        match check_redirect_uri(uri.trim()) {
            Err(msg) => v.push(field, msg),
            Ok(()) if out.iter().any(|u| u == uri.trim()) => v.push(field, "is listed twice"),
            Ok(()) => out.push(uri.trim().to_owned()),
        }
    }
    v.finish().map(|()| out)
}

fn check_redirect_uri(uri: &str) -> std::result::Result<(), &'static str> {
    if uri.len() > 2000 {
        return Err("must be at most 2000 characters");
    }
    let url = Url::parse(uri).map_err(|_| "must be an absolute URL")?;
    if url.fragment().is_some() {
        return Err("must not contain a fragment");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials");
    }
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("must have a host"),
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err("must be an https URL (http only for localhost or 127.0.0.1)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uri_rules() {
        for ok in [
            "https://cashier.example.com/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/",
        ] {
            assert_eq!(check_redirect_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "https://x.com/cb#frag",
            "https://u:p@x.com/",
            "/relative",
            "ftp://x.com/",
            "javascript:alert(1)",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
        assert!(validate_redirect_uris(&[]).is_err());
        let dup = vec!["https://a.com/".to_owned(), "https://a.com/".to_owned()];
        assert!(
            matches!(validate_redirect_uris(&dup), Err(Error::Validation(f)) if f[0].field == "redirectUris[1]")
        );
    }
}
