//! The routing plan of an offer — its rotation with parsed adapters, filters and caps, its
//! country blocks — and the dedup rules, cached briefly so the intake hot path reads the
//! configuration once per `distribution_cache_ttl`, not once per lead.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::distribution::rules::{
    AdvertiserKind, CapKind, CapPeriod, DedupField, DedupScope, RotationMode, TrafficFilter,
};
use brokercrm_core::{Error, Result};
use brokercrm_integrations::advertisers::{AdvertiserClient, ExternalKind, build_client};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::advertisers::AdvertiserRow;
use brokercrm_store::repo::distribution::affiliate_tokens::{
    self as token_repo, AffiliateTokenRow,
};
use brokercrm_store::repo::distribution::caps::{self as cap_repo, CapRow};
use brokercrm_store::repo::distribution::offers::{self as offer_repo, OfferRow};
use brokercrm_store::repo::distribution::{country_blocks, dedup_rules, goal_types, rotations};
use brokercrm_store::repo::identity::users;
use chrono_tz::Tz;

use crate::App;

/// An advertiser in an offer's rotation, ready to be tried.
#[derive(Clone)]
pub struct Candidate {
    pub adv: AdvertiserRow,
    pub kind: AdvertiserKind,
    pub priority: i32,
    pub weight: i32,
    pub filter: Option<TrafficFilter>,
    /// The zone day caps roll over in (the filter's, else UTC).
    pub tz: Tz,
    pub caps: Vec<Cap>,
    /// `None` for the internal CRM.
    pub client: Option<Arc<dyn AdvertiserClient>>,
}

#[derive(Debug, Clone)]
pub struct Cap {
    pub id: i64,
    pub country: Option<String>,
    pub period: CapPeriod,
    pub kind: CapKind,
    pub max: i32,
}

impl Cap {
    /// Whether the cap counts a lead from `country`.
    pub fn applies(&self, country: Option<&str>) -> bool {
        self.country.as_deref().is_none_or(|c| Some(c) == country)
    }
}

pub struct OfferPlan {
    pub offer: OfferRow,
    pub mode: RotationMode,
    pub candidates: Vec<Candidate>,
    pub blocked: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DedupRule {
    pub id: i64,
    pub field: DedupField,
    pub scope: DedupScope,
    pub window: Duration,
}

/// How a submission names its offer, as a cache key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OfferKey {
    Id(i64),
    Uuid(String),
}

/// An affiliate token with what authentication needs of its owner.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub token: AffiliateTokenRow,
    pub owner_active: bool,
}

/// Caches of the routing configuration and of the lookups every pushed lead makes.
pub struct PlanCache {
    plans: moka::future::Cache<i64, Arc<OfferPlan>>,
    rules: moka::future::Cache<(), Arc<Vec<DedupRule>>>,
    lead_goal: moka::future::Cache<(), i64>,
    offers: moka::future::Cache<OfferKey, Option<OfferRow>>,
    /// By token hash; `None` caches an unknown token too.
    tokens: moka::future::Cache<String, Option<Arc<TokenAuth>>>,
    /// Tokens whose `last_used_at` this instance wrote within the last minute.
    touched: moka::sync::Cache<i64, ()>,
}

impl PlanCache {
    pub fn new(ttl: Duration) -> Self {
        let ttl = ttl.max(Duration::from_millis(1));
        Self {
            plans: moka::future::Cache::builder().time_to_live(ttl).max_capacity(10_000).build(),
            rules: moka::future::Cache::builder().time_to_live(ttl).build(),
            lead_goal: moka::future::Cache::builder()
                .time_to_live(Duration::from_secs(3600))
                .build(),
            offers: moka::future::Cache::builder().time_to_live(ttl).max_capacity(10_000).build(),
            tokens: moka::future::Cache::builder().time_to_live(ttl).max_capacity(100_000).build(),
            touched: moka::sync::Cache::builder()
                .time_to_live(TOUCH_EVERY)
                .max_capacity(100_000)
                .build(),
        }
    }

    /// Forgets everything (after staff change the configuration).
    pub fn invalidate(&self) {
        self.plans.invalidate_all();
        self.rules.invalidate_all();
        self.lead_goal.invalidate_all();
        self.offers.invalidate_all();
        self.tokens.invalidate_all();
    }
}

/// How often a token's `last_used_at` is written at most.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

fn cached(app: &App) -> bool {
    !app.cfg().distribution_cache_ttl.is_zero()
}

/// The plan of `offer`, from the cache when fresh.
pub async fn offer_plan(app: &App, offer: OfferRow) -> Result<Arc<OfferPlan>> {
    if !cached(app) {
        return Ok(Arc::new(load_plan(app, app.db().conn(), offer).await?));
    }
    let id = offer.id;
    app.plans()
        .plans
        .try_get_with(id, async { load_plan(app, app.db().conn(), offer).await.map(Arc::new) })
        .await
        .map_err(unshare)
}

async fn load_plan<C: ConnectionTrait>(app: &App, conn: &C, offer: OfferRow) -> Result<OfferPlan> {
    let mode = RotationMode::parse("rotationMode", &offer.rotation_mode)?;
    let rotation = rotations::active_with_advertisers(conn, offer.id).await?;
    let ids: Vec<i64> = rotation.iter().map(|(_, a)| a.id).collect();
    let caps = cap_repo::for_offer(conn, &ids, offer.id).await?;
    let blocked = country_blocks::blocked_for_offer(conn, offer.id).await?;
    let mut candidates = Vec::with_capacity(rotation.len());
    for (entry, adv) in rotation {
        match candidate(app, entry.priority, entry.weight, adv, &caps) {
            Ok(c) => candidates.push(c),
            // A misconfigured advertiser is left out (and logged), not fatal to the offer.
            Err(e) => {
                tracing::warn!(advertiser = entry.advertiser_id, error = %e, "advertiser skipped: bad configuration")
            }
        }
    }
    Ok(OfferPlan { offer, mode, candidates, blocked })
}

fn candidate(
    app: &App,
    priority: i32,
    weight: i32,
    adv: AdvertiserRow,
    caps: &[CapRow],
) -> Result<Candidate> {
    let kind = AdvertiserKind::parse("kind", &adv.kind)?;
    let filter = match adv.traffic_filter.as_deref() {
        Some(raw) if !raw.is_empty() && raw != "null" => {
            Some(serde_json::from_str::<TrafficFilter>(raw).map_err(Error::internal)?)
        }
        _ => None,
    };
    let tz = filter.as_ref().map(TrafficFilter::tz).unwrap_or(Tz::UTC);
    let client = match ExternalKind::parse(kind.as_str()) {
        Some(ext) => {
            let config: serde_json::Value =
                serde_json::from_str(&adv.config).map_err(Error::internal)?;
            Some(build_client(ext, &config, app.adapters())?)
        }
        None => None,
    };
    let caps = caps
        .iter()
        .filter(|c| c.advertiser_id == adv.id)
        .map(|c| {
            Ok(Cap {
                id: c.id,
                country: c.country.clone(),
                period: CapPeriod::parse("period", &c.period)?,
                kind: CapKind::parse("kind", &c.kind)?,
                max: c.max_count,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Candidate { adv, kind, priority, weight, filter, tz, caps, client })
}

/// The offer `key` names, from the cache when fresh.
pub async fn offer(app: &App, key: OfferKey) -> Result<Option<OfferRow>> {
    let load = async {
        let conn = app.db().conn();
        match &key {
            OfferKey::Id(id) => offer_repo::find_by_id(conn, *id).await,
            OfferKey::Uuid(uuid) => offer_repo::find_by_uuid(conn, uuid).await,
        }
    };
    if !cached(app) {
        return load.await;
    }
    app.plans().offers.try_get_with(key.clone(), load).await.map_err(unshare)
}

/// The affiliate token whose hash is `hash`, with its owner's state, from the cache when fresh.
pub async fn token(app: &App, hash: &str) -> Result<Option<Arc<TokenAuth>>> {
    let load = async {
        let conn = app.db().conn();
        let Some(token) = token_repo::find_by_hash(conn, hash).await? else { return Ok(None) };
        let owner = users::find_by_id(conn, token.affiliate_id).await?;
        let owner_active = owner.is_some_and(|u| u.status == users::ACTIVE);
        Ok(Some(Arc::new(TokenAuth { token, owner_active })))
    };
    if !cached(app) {
        return load.await;
    }
    app.plans().tokens.try_get_with(hash.to_owned(), load).await.map_err(unshare)
}

/// Whether this instance should write the token's `last_used_at` now (once a minute at most).
pub fn should_touch(app: &App, token: &AffiliateTokenRow) -> bool {
    let fresh = token.last_used_at.is_some_and(|t| {
        app.clock().now() - t < chrono::Duration::from_std(TOUCH_EVERY).unwrap_or_default()
    });
    if fresh || app.plans().touched.contains_key(&token.id) {
        return false;
    }
    app.plans().touched.insert(token.id, ());
    true
}

/// The active dedup rules.
pub async fn dedup_rules(app: &App) -> Result<Arc<Vec<DedupRule>>> {
    let load = async {
        let rows = dedup_rules::list_active(app.db().conn()).await?;
        rows.into_iter()
            .map(|r| {
                Ok(DedupRule {
                    id: r.id,
                    field: DedupField::parse("field", &r.field)?,
                    scope: DedupScope::parse("scope", &r.scope)?,
                    window: Duration::from_secs(r.window_secs.max(0) as u64),
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Arc::new)
    };
    if !cached(app) {
        return load.await;
    }
    app.plans().rules.try_get_with((), load).await.map_err(unshare)
}

/// The id of the system goal type "Lead" (created on first use).
pub async fn lead_goal_id(app: &App) -> Result<i64> {
    app.plans()
        .lead_goal
        .try_get_with((), async {
            goal_types::ensure_system(app.db().conn(), "Lead").await.map(|g| g.id)
        })
        .await
        .map_err(unshare)
}

/// Orders the candidates for one lead: by priority, or a weighted random permutation
/// (Efraimidis–Spirakis: key = u^(1/w), highest first).
pub fn order(plan: &OfferPlan) -> Vec<Candidate> {
    let mut c = plan.candidates.clone();
    match plan.mode {
        RotationMode::Priority => c.sort_by_key(|c| c.priority),
        RotationMode::Weighted => {
            let mut keyed: Vec<(f64, Candidate)> = c
                .into_iter()
                .map(|c| {
                    let u: f64 = rand::random::<f64>().max(f64::MIN_POSITIVE);
                    (u.powf(1.0 / f64::from(c.weight.max(1))), c)
                })
                .collect();
            keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
            c = keyed.into_iter().map(|(_, c)| c).collect();
        }
    }
    c
}

/// The error of a shared cache load, owned again.
fn unshare(e: Arc<Error>) -> Error {
    Arc::try_unwrap(e).unwrap_or_else(|e| match &*e {
        Error::Internal(cause) => Error::Internal(cause.clone()),
        other => Error::internal(format!("{other:?}")),
    })
}
