//! What an introducer manages about itself (seed tags Affiliates, Affiliate Keys, Landing
//! Pages, Target Groups): its reference key (5–20 letters, digits, `_` or `-`, unique
//! regardless of case), the sources its referred customers signed up from, a fresh affiliate
//! API key, the landing pages to share (with its key), the trading groups it may target.

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::{api_keys, users};
use brokercrm_store::repo::money::groups;
use brokercrm_store::repo::partners::affiliates as repo;
use brokercrm_store::repo::platform::settings;
use serde::{Deserialize, Serialize};

use crate::identity::api_keys::create_key;
use crate::partners::ledger::introducer_id;
use crate::platform::audit::{self, Audit};
use crate::platform::links::public_link;
use crate::{App, Principal};

/// The setting listing the landing pages (`[{"name": ..., "url": ...}]`); unset: the
/// registration page.
pub const LANDING_PAGES_SETTING: &str = "affiliate_landing_pages";

/// "Update the reference key": `key` becomes the caller's referral code (ManageReferrals:
/// affiliates). Another user's key, whatever its case, is a 409. Audited.
pub async fn set_ref_key(app: &App, actor: &Principal, key: Option<&str>) -> Result<()> {
    actor.require(Permission::ManageReferrals)?;
    let key = key.map(str::trim).unwrap_or("");
    let n = key.chars().count();
    if !(5..=20).contains(&n) {
        return Err(Error::field("refKey", "must be 5 to 20 characters"));
    }
    if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(Error::field("refKey", "may hold only letters, digits, '_' and '-'"));
    }
    let tx = app.db().begin_write().await?;
    if repo::ref_key_owner_ci(&tx, key, actor.user_id).await?.is_some() {
        return Err(Error::Conflict("this reference key is taken".into()));
    }
    let before = users::find_by_id(&tx, actor.user_id).await?.map(|u| u.ref_key);
    repo::set_ref_key(&tx, actor.user_id, key).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("this reference key is taken".into()),
        other => other,
    })?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("user.ref_key", "user", actor.user_uuid.clone())
            .details(format!("reference key {} → {key}", before.unwrap_or_default())),
    )
    .await?;
    commit(tx).await
}

/// "Get sources from referred customers": the distinct sign-up sources of the customers
/// the caller referred directly (an introducer; anyone else: 404).
pub async fn sources(app: &App, actor: &Principal) -> Result<Vec<String>> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    repo::referred_sources(conn, ib).await
}

/// "Generate a new affiliate key": a fresh API key for the calling affiliate (role
/// Affiliate, owned by it; shown once), revoking the one generated before. Audited.
pub async fn new_key(app: &App, actor: &Principal) -> Result<String> {
    actor.require(Permission::ManageReferrals)?;
    actor.forbid_impersonation("generate an affiliate key")?;
    if actor.role != Role::Affiliate {
        return Err(Error::Forbidden);
    }
    let name = format!("affiliate key {}", actor.user_uuid);
    api_keys::revoke_by_name(app.db().conn(), &name).await?;
    let key =
        create_key(app, &name, Role::Affiliate, Some(actor.user_id), Some(actor.user_id)).await?;
    audit::record(
        app.db().conn(),
        Some(actor),
        Audit::new("api_key.create", "api_key", key.row.uuid.clone())
            .details("affiliate key generated".to_owned()),
    )
    .await?;
    Ok(key.secret)
}

/// A landing page to share.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LandingPage {
    pub name: String,
    pub url: String,
}

/// "Get affiliate landing pages": the configured pages (setting
/// [`LANDING_PAGES_SETTING`]; unset: the registration page), each with the caller's
/// reference key as `wtreferrer` (an introducer; anyone else: 404).
pub async fn landing_pages(app: &App, actor: &Principal) -> Result<Vec<LandingPage>> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    let key = users::find_by_id(conn, ib).await?.ok_or(Error::NotFound("introducer"))?.ref_key;
    let pages: Vec<LandingPage> = match settings::get(conn, LANDING_PAGES_SETTING).await? {
        Some(s) => serde_json::from_str(&s.value).map_err(|_| {
            Error::internal("setting affiliate_landing_pages is not a list of {name, url}")
        })?,
        None => {
            vec![LandingPage { name: "Registration".into(), url: public_link(app, "/register") }]
        }
    };
    Ok(pages
        .into_iter()
        .map(|p| {
            let sep = if p.url.contains('?') { '&' } else { '?' };
            // Reference keys are URL-safe (letters, digits, `_`, `-`).
            let url = format!("{}{sep}wtreferrer={key}", p.url);
            LandingPage { name: p.name, url }
        })
        .collect())
}

/// A trading group an introducer may send clients to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TargetGroup {
    pub id: i64,
    pub name: String,
    pub currency: String,
}

/// "Get target groups for the authenticated affiliate user": the trading groups (id, name,
/// currency; never their markups) its promotion links may place clients in (an introducer;
/// anyone else: 404).
pub async fn target_groups(app: &App, actor: &Principal) -> Result<Vec<TargetGroup>> {
    let conn = app.db().conn();
    introducer_id(conn, actor).await?;
    Ok(groups::list(conn)
        .await?
        .into_iter()
        .map(|g| TargetGroup { id: g.id, name: g.name, currency: g.currency })
        .collect())
}
