//! The affiliate API v2 use cases (seed 001): token authentication with IP allow-lists, the
//! request gate, push-body validation into a [`Submission`], the affiliate's own leads (one
//! row per conversion) and goal types.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::time::Duration;

use brokercrm_core::distribution::profile::{language_code, trim_text};
use brokercrm_core::validate::{CountryCode, Email};
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::distribution::advertisers::{self as advertiser_repo, AdvertiserRow};
use brokercrm_store::repo::distribution::affiliate_tokens as token_repo;
use brokercrm_store::repo::distribution::ftd::{self as ftd_repo, FtdFilter};
use brokercrm_store::repo::distribution::goal_types::{self as goal_repo, GoalTypeRow};
use brokercrm_store::repo::distribution::offers::{self as offer_repo, OfferRow};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::plan;
use super::types::{Channel, OfferRef, Submission};
use crate::App;
use crate::identity::security::token_hash;

/// GET requests allowed per token within [`GET_WINDOW`] (seed 001).
pub const GET_LIMIT: u32 = 10;
pub const GET_WINDOW: Duration = Duration::from_secs(3);
/// How long an identical POST body is refused for the same token (seed 001).
pub const SAME_BODY_WINDOW: Duration = Duration::from_secs(120);

pub const UNAUTHORIZED: &str = "Unauthorized";
pub const TOKEN_INACTIVE: &str = "Token isn't active";
pub const IP_NOT_ALLOWED: &str = "IP is not authorized to proceed";

/// An authenticated affiliate token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub affiliate_id: i64,
    pub default_offer_id: Option<i64>,
}

/// Checks the raw `Authorization` token and the caller's IP against the token's allow-list.
pub async fn authenticate(app: &App, raw: Option<&str>, ip: Option<IpAddr>) -> Result<Caller> {
    let raw = raw.map(|r| r.trim().trim_start_matches("Bearer ").trim()).filter(|r| !r.is_empty());
    let raw = raw.ok_or_else(|| Error::Unauthorized(UNAUTHORIZED.into()))?;
    let auth = plan::token(app, &token_hash(raw))
        .await?
        .ok_or_else(|| Error::Unauthorized(UNAUTHORIZED.into()))?;
    let token = &auth.token;
    if !token.active || token.revoked_at.is_some() || !auth.owner_active {
        return Err(Error::Unauthorized(TOKEN_INACTIVE.into()));
    }
    if let Some(list) = token.ip_allowlist.as_deref() {
        let nets: Vec<String> = serde_json::from_str(list).unwrap_or_default();
        if !nets.is_empty() && !ip.is_some_and(|ip| nets.iter().any(|n| ip_matches(n, ip))) {
            return Err(Error::Unauthorized(IP_NOT_ALLOWED.into()));
        }
    }
    if plan::should_touch(app, token) {
        token_repo::touch(app.db().conn(), token.id).await?;
    }
    Ok(Caller {
        token_id: token.id,
        affiliate_id: token.affiliate_id,
        default_offer_id: token.default_offer_id,
    })
}

fn ip_matches(entry: &str, ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    match entry.parse::<ipnet::IpNet>() {
        Ok(net) => net.contains(&ip),
        Err(_) => entry.parse::<IpAddr>().is_ok_and(|e| e == ip),
    }
}

/// The GET rate limit: `RateLimited` with the seconds to wait when exceeded.
pub async fn check_get_limit(app: &App, caller: &Caller) -> Result<()> {
    let key = format!("aff:get:{}", caller.token_id);
    match app.gate().hit(&key, GET_LIMIT, GET_WINDOW, app.clock().now()).await? {
        None => Ok(()),
        Some(retry_after_secs) => Err(Error::RateLimited { retry_after_secs }),
    }
}

/// The same-body rule: `RateLimited` when this token sent this exact body within 2 minutes.
pub async fn check_same_body(app: &App, caller: &Caller, body: &[u8]) -> Result<()> {
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(body));
    let key = format!("aff:body:{}:{digest}", caller.token_id);
    match app.gate().first_seen(&key, SAME_BODY_WINDOW, app.clock().now()).await? {
        None => Ok(()),
        Some(retry_after_secs) => Err(Error::RateLimited { retry_after_secs }),
    }
}

/// Validates a push body into a submission. Messages follow the seed's style
/// ("Country_code must be in ISO2 format"); the first problem is reported.
pub fn parse_push(app: &App, caller: &Caller, body: &Value) -> Result<Submission> {
    let obj = body.as_object().ok_or_else(|| fixable("body", "Body must be a JSON object"))?;
    let text = |key: &str| -> Result<Option<String>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(fixable(key, &format!("{} must be a string", cap(key)))),
        }
    };
    let ip = text("ip")?.ok_or_else(|| fixable("ip", "Ip is required"))?;
    let ip: IpAddr = ip.parse().map_err(|_| fixable("ip", "Ip must be a valid IP address"))?;
    let country = match text("country_code")? {
        Some(c) => Some(
            CountryCode::parse("country_code", &c)
                .map_err(|_| fixable("country_code", "Country_code must be in ISO2 format"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let language = match text("lead_language")? {
        Some(l) => Some(language_code(&l).ok_or_else(|| {
            fixable("lead_language", "Lead_language must be in ISO 639-1 format")
        })?),
        None => None,
    };
    let is_test = match obj.get("is_test") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
        Some(_) => return Err(fixable("is_test", "Is_test must be a boolean")),
    };
    let email = match text("email")? {
        Some(e) => Some(
            Email::parse("email", &e)
                .map_err(|_| fixable("email", "Email must be a valid email"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let offer = match text("offer_id")? {
        Some(o) => {
            OfferRef::Id(o.parse().map_err(|_| fixable("offer_id", "Offer_id must be a number"))?)
        }
        None => OfferRef::Default(caller.default_offer_id),
    };
    if let Some(a) = text("affiliate_id")?
        && a != caller.affiliate_id.to_string()
    {
        return Err(fixable("affiliate_id", "Affiliate_id does not belong to this token"));
    }
    let mut profile = BTreeMap::new();
    for k in obj.keys() {
        if matches!(
            k.as_str(),
            "ip" | "country_code"
                | "lead_language"
                | "is_test"
                | "password"
                | "offer_id"
                | "affiliate_id"
        ) {
            continue;
        }
        if !app.cfg().lead_profile_keys.iter().any(|p| p == k) {
            return Err(fixable(
                k,
                &format!("{} is not a lead profile key of this deployment", cap(k)),
            ));
        }
        if let Some(v) = text(k)? {
            profile.insert(k.clone(), trim_text(&v));
        }
    }
    if let Some(e) = &email {
        profile.insert("email".into(), e.clone());
    }
    let take = |p: &BTreeMap<String, String>, k: &str| p.get(k).cloned();
    Ok(Submission {
        affiliate_id: caller.affiliate_id,
        token_id: Some(caller.token_id),
        channel: Channel::AffiliateV2,
        offer,
        ip: ip.to_string(),
        country,
        language,
        is_test,
        email,
        phone: take(&profile, "phone"),
        first_name: take(&profile, "first_name"),
        last_name: take(&profile, "last_name"),
        password: text("password")?.map(|p| trim_text(&p)),
        profile,
    })
}

fn cap(key: &str) -> String {
    let mut c = key.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn fixable(field: &str, msg: &str) -> Error {
    Error::field(field, msg)
}

/// Filters of the affiliate's lead list (already parsed by the surface).
#[derive(Debug, Clone, Default)]
pub struct LeadQuery {
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub goal_type_uuid: Option<String>,
    pub is_test: Option<bool>,
    pub page: u64,
    pub per_page: u64,
}

/// One row of the list: a conversion of one of the caller's leads.
pub struct LeadView {
    pub conversion: ftd_repo::FtdRow,
    pub lead: brokercrm_store::repo::distribution::leads::LeadRow,
    pub goal: GoalTypeRow,
    pub advertiser: Option<AdvertiserRow>,
    pub offer: Option<OfferRow>,
    /// The profile without secrets.
    pub profile: serde_json::Map<String, Value>,
}

/// The caller's leads, newest first; an unknown goal type gives an empty page.
pub async fn list(app: &App, caller: &Caller, q: LeadQuery) -> Result<Vec<LeadView>> {
    let conn = app.db().conn();
    let goal_type_id = match &q.goal_type_uuid {
        Some(u) => match goal_repo::find_by_uuid(conn, u).await? {
            Some(g) => Some(g.id),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let filter = FtdFilter {
        affiliate_id: caller.affiliate_id,
        created_from: q.created_from,
        created_to: q.created_to,
        goal_type_id,
        is_test: q.is_test,
    };
    let rows = ftd_repo::list(conn, &filter, (q.page - 1) * q.per_page, q.per_page).await?;
    let mut advertisers: HashMap<i64, Option<AdvertiserRow>> = HashMap::new();
    let mut offers: HashMap<i64, Option<OfferRow>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (conversion, lead, goal) in rows {
        let advertiser = match lead.advertiser_id {
            Some(id) => match advertisers.get(&id) {
                Some(a) => a.clone(),
                None => {
                    let a = advertiser_repo::find_by_id(conn, id).await?;
                    advertisers.insert(id, a.clone());
                    a
                }
            },
            None => None,
        };
        let offer = match lead.offer_id {
            Some(id) => match offers.get(&id) {
                Some(o) => o.clone(),
                None => {
                    let o = offer_repo::find_by_id(conn, id).await?;
                    offers.insert(id, o.clone());
                    o
                }
            },
            None => None,
        };
        let mut profile: serde_json::Map<String, Value> =
            serde_json::from_str(&lead.profile).unwrap_or_default();
        profile.remove("password");
        out.push(LeadView { conversion, lead, goal, advertiser, offer, profile });
    }
    Ok(out)
}

/// Every goal type (the system ones are created on first use).
pub async fn goal_types(app: &App) -> Result<Vec<GoalTypeRow>> {
    let conn = app.db().conn();
    goal_repo::ensure_system(conn, "Lead").await?;
    goal_repo::ensure_system(conn, "FTD").await?;
    goal_repo::all(conn).await
}
