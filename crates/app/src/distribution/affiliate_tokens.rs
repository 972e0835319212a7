//! Affiliate API v2 tokens (seed 001's `Authorization: <token>`): created by staff for an
//! active affiliate, shown once, stored as a SHA-256 hash with a public prefix; optionally
//! bound to an IP allow-list (IPs or CIDRs) and a default offer; revocable for good.

use std::collections::HashMap;
use std::net::IpAddr;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::affiliate_tokens::{
    self, AffiliateTokenData, AffiliateTokenRow, NewAffiliateToken,
};
use brokercrm_store::repo::distribution::offers;
use brokercrm_store::repo::identity::users::UserRow;
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::Serialize;

use super::{Page, affiliate, ids, new_uuid, offer_uuids, user_uuids};
use crate::identity::security::{random_token, token_hash};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// What every affiliate token starts with.
pub const TOKEN_PREFIX: &str = "lt_";
/// Most allow-list entries per token.
pub const MAX_ALLOWLIST: usize = 100;

/// A token as staff see it: never the token or its hash.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AffiliateTokenDto)]
pub struct AffiliateTokenView {
    pub uuid: String,
    pub affiliate_uuid: String,
    pub name: String,
    /// The start of the token, to recognise it.
    #[schema(example = "lt_a1B2c3D4")]
    pub prefix: String,
    /// IPs and CIDRs allowed to use the token; empty: any.
    pub ip_allowlist: Vec<String>,
    pub default_offer_uuid: Option<String>,
    pub active: bool,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A created token with its secret, shown this once.
#[derive(Debug)]
pub struct CreatedAffiliateToken {
    pub view: AffiliateTokenView,
    pub token: String,
}

/// A new token as sent by staff.
#[derive(Debug, Clone, Default)]
pub struct AffiliateTokenInput {
    pub affiliate_uuid: String,
    pub name: String,
    pub ip_allowlist: Vec<String>,
    pub default_offer_uuid: Option<String>,
}

/// A partial update: `None` leaves a field unchanged; `default_offer_uuid: Some(None)` clears.
#[derive(Debug, Clone, Default)]
pub struct AffiliateTokenPatch {
    pub name: Option<String>,
    pub ip_allowlist: Option<Vec<String>>,
    pub default_offer_uuid: Option<Option<String>>,
    pub active: Option<bool>,
}

/// The allow-list of a stored token.
pub fn stored_allowlist(row: &AffiliateTokenRow) -> Vec<String> {
    row.ip_allowlist.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
}

/// Normalised IPs and CIDRs (a CIDR's host bits cleared), each bad entry named.
fn allowlist(raw: &[String]) -> Result<Vec<String>> {
    if raw.len() > MAX_ALLOWLIST {
        return Err(Error::field("ipAllowlist", format!("at most {MAX_ALLOWLIST} entries")));
    }
    let mut v = Violations::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, s) in raw.iter().enumerate() {
        let s = s.trim();
        let entry = if let Ok(ip) = s.parse::<IpAddr>() {
            ip.to_string()
        } else if let Ok(net) = s.parse::<IpNet>() {
            net.trunc().to_string()
        } else {
            v.push(
                format!("ipAllowlist[{i}]"),
                "must be an IP address or CIDR, e.g. 203.0.113.0/24",
            );
            continue;
        };
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    v.finish()?;
    Ok(out)
}

fn stored(list: &[String]) -> Result<Option<String>> {
    if list.is_empty() {
        Ok(None)
    } else {
        serde_json::to_string(list).map(Some).map_err(Error::internal)
    }
}

/// The default offer `uuid` names, which must be open to `owner`.
async fn default_offer<C: ConnectionTrait>(conn: &C, uuid: &str, owner: &UserRow) -> Result<i64> {
    let offer = offers::find_by_uuid(conn, uuid.trim())
        .await?
        .ok_or_else(|| Error::field("defaultOfferUuid", "unknown offer"))?;
    match offer.affiliate_id {
        Some(a) if a != owner.id => {
            Err(Error::field("defaultOfferUuid", "the offer is reserved for another affiliate"))
        }
        _ => Ok(offer.id),
    }
}

async fn views<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<AffiliateTokenRow>,
) -> Result<Vec<AffiliateTokenView>> {
    let users: HashMap<i64, String> =
        user_uuids(conn, &ids(rows.iter().map(|r| Some(r.affiliate_id)))).await?;
    let offers = offer_uuids(conn, &ids(rows.iter().map(|r| r.default_offer_id))).await?;
    Ok(rows
        .into_iter()
        .map(|r| AffiliateTokenView {
            ip_allowlist: stored_allowlist(&r),
            affiliate_uuid: users.get(&r.affiliate_id).cloned().unwrap_or_default(),
            default_offer_uuid: r.default_offer_id.and_then(|o| offers.get(&o).cloned()),
            prefix: format!("{TOKEN_PREFIX}{}", r.prefix),
            uuid: r.uuid,
            name: r.name,
            active: r.active,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
            created_at: r.created_at,
        })
        .collect())
}

async fn view<C: ConnectionTrait>(conn: &C, row: AffiliateTokenRow) -> Result<AffiliateTokenView> {
    views(conn, vec![row]).await?.pop().ok_or(Error::NotFound("affiliate token"))
}

/// Tokens by id, of one affiliate when `affiliate_uuid` is given.
pub async fn list(
    app: &App,
    actor: &Principal,
    affiliate_uuid: Option<&str>,
    page: Page,
) -> Result<Vec<AffiliateTokenView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let owner = match affiliate_uuid.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => Some(affiliate(conn, "affiliateUuid", u, false).await?.id),
        None => None,
    };
    views(conn, affiliate_tokens::list(conn, owner, page.offset, page.limit).await?).await
}

/// Creates a token for an active affiliate; the token is returned this once. Audited
/// (without the token).
pub async fn create(
    app: &App,
    actor: &Principal,
    i: AffiliateTokenInput,
) -> Result<CreatedAffiliateToken> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let mut v = Violations::new();
    let owner = v.check(affiliate(&tx, "affiliateUuid", &i.affiliate_uuid, true).await);
    let name = v.check(text("name", &i.name, 100));
    let list = v.check(allowlist(&i.ip_allowlist));
    let offer = match (i.default_offer_uuid.as_deref().filter(|s| !s.trim().is_empty()), &owner) {
        (Some(u), Some(o)) => v.check(default_offer(&tx, u, o).await).map(Some),
        _ => Some(None),
    };
    v.finish()?;
    let (Some(owner), Some(name), Some(list), Some(offer)) = (owner, name, list, offer) else {
        return Err(Error::internal("affiliate token validation incomplete"));
    };
    let secret = random_token(40);
    let token = format!("{TOKEN_PREFIX}{secret}");
    let row = affiliate_tokens::insert(
        &tx,
        NewAffiliateToken {
            uuid: new_uuid(),
            affiliate_id: owner.id,
            name,
            prefix: secret.chars().take(8).collect(),
            token_hash: token_hash(&token),
            ip_allowlist: stored(&list)?,
            default_offer_id: offer,
            created_by: Some(actor.user_id),
        },
    )
    .await?;
    let view = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("affiliate_token.create", "affiliate_token", view.uuid.clone())
            .details(format!("affiliate token '{}' created for {}", view.name, owner.email))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(CreatedAffiliateToken { view, token })
}

/// Changes the fields sent; a revoked token cannot be activated again. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    uuid: &str,
    p: AffiliateTokenPatch,
) -> Result<AffiliateTokenView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = affiliate_tokens::find_by_uuid(&tx, uuid)
        .await?
        .ok_or(Error::NotFound("affiliate token"))?;
    if old.revoked_at.is_some() && p.active == Some(true) {
        return Err(Error::Conflict("a revoked token cannot be activated again".into()));
    }
    let mut v = Violations::new();
    let name = match &p.name {
        Some(n) => v.check(text("name", n, 100)),
        None => Some(old.name.clone()),
    };
    let list = match &p.ip_allowlist {
        Some(l) => v.check(allowlist(l)),
        None => Some(stored_allowlist(&old)),
    };
    let offer = match p
        .default_offer_uuid
        .as_ref()
        .map(|o| o.as_deref().filter(|s| !s.trim().is_empty()))
    {
        Some(Some(u)) => {
            let owner =
                brokercrm_store::repo::identity::users::find_by_ids(&tx, &[old.affiliate_id])
                    .await?
                    .pop();
            match owner {
                Some(owner) => v.check(default_offer(&tx, u, &owner).await).map(Some),
                None => Some(None),
            }
        }
        Some(None) => Some(None),
        None => Some(old.default_offer_id),
    };
    v.finish()?;
    let (Some(name), Some(list), Some(offer)) = (name, list, offer) else {
        return Err(Error::internal("affiliate token validation incomplete"));
    };
    let data = AffiliateTokenData {
        name,
        ip_allowlist: stored(&list)?,
        default_offer_id: offer,
        active: p.active.unwrap_or(old.active) && old.revoked_at.is_none(),
    };
    affiliate_tokens::update(&tx, old.id, data).await?;
    let row = affiliate_tokens::find_by_uuid(&tx, uuid)
        .await?
        .ok_or(Error::NotFound("affiliate token"))?;
    let (before, after) = (view(&tx, old).await?, view(&tx, row).await?);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("affiliate_token.update", "affiliate_token", uuid)
            .details(format!("affiliate token '{}' updated", after.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Revokes a token for good; an already revoked one is a `Conflict`. Audited.
pub async fn revoke(app: &App, actor: &Principal, uuid: &str) -> Result<AffiliateTokenView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = affiliate_tokens::find_by_uuid(&tx, uuid)
        .await?
        .ok_or(Error::NotFound("affiliate token"))?;
    if !affiliate_tokens::revoke(&tx, old.id).await? {
        return Err(Error::Conflict("the token is already revoked".into()));
    }
    let row = affiliate_tokens::find_by_uuid(&tx, uuid)
        .await?
        .ok_or(Error::NotFound("affiliate token"))?;
    let after = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("affiliate_token.revoke", "affiliate_token", uuid)
            .details(format!("affiliate token '{}' revoked", after.name))
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_normalises_and_names_bad_entries() {
        let ok = allowlist(&["203.0.113.7".into(), " 10.1.2.3/8 ".into(), "2001:db8::/32".into()]);
        assert_eq!(
            ok.ok(),
            Some(vec!["203.0.113.7".into(), "10.0.0.0/8".into(), "2001:db8::/32".into()])
        );
        let Err(Error::Validation(f)) = allowlist(&["1.2.3.4".into(), "10.0.0.0/33".into()]) else {
            panic!("expected a validation error")
        };
        assert_eq!(f.first().map(|f| f.field.as_str()), Some("ipAllowlist[1]"));
    }
}
