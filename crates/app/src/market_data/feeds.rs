//! Staff admin of market-data feeds (ManageMarketData to change, ReadMarketData to list): the
//! name applications ask for, the QD filters a token carries, whether activation needs the
//! application's confirmation, single use, the subscriber statuses it may serve, the default
//! duration in days and the agreement a subscriber signs. Audited.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::market_data::Allowed;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::feeds::{self as repo, FeedFields, FeedRow};
use brokercrm_store::repo::market_data::subscriptions;
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A feed as staff see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeedView {
    pub id: i64,
    pub name: String,
    pub qd_filters: Vec<String>,
    pub needs_confirmation: bool,
    pub single_use: bool,
    pub allowed_statuses: String,
    pub default_days: Option<i32>,
    pub agreement_title: String,
    pub agreement_text: String,
    pub agreement_version: String,
}

impl TryFrom<&FeedRow> for FeedView {
    type Error = Error;
    fn try_from(r: &FeedRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            name: r.name.clone(),
            qd_filters: serde_json::from_str(&r.qd_filters).map_err(Error::internal)?,
            needs_confirmation: r.needs_confirmation,
            single_use: r.single_use,
            allowed_statuses: r.allowed_statuses.clone(),
            default_days: r.default_days,
            agreement_title: r.agreement_title.clone(),
            agreement_text: r.agreement_text.clone(),
            agreement_version: r.agreement_version.clone(),
        })
    }
}

/// A feed as submitted.
#[derive(Debug, Clone, Default)]
pub struct FeedInput {
    pub name: Option<String>,
    pub qd_filters: Option<Vec<String>>,
    pub needs_confirmation: Option<bool>,
    pub single_use: Option<bool>,
    pub allowed_statuses: Option<String>,
    pub default_days: Option<i32>,
    pub agreement_title: Option<String>,
    pub agreement_text: Option<String>,
    pub agreement_version: Option<String>,
}

fn parse(i: &FeedInput) -> Result<FeedFields> {
    let mut v = Violations::new();
    let name = v.check(text("name", i.name.as_deref().unwrap_or(""), 100));
    if name
        .as_deref()
        .is_some_and(|n| !n.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)))
    {
        v.push("name", "letters, digits, '_', '-' and '.' only");
    }
    let filters: Vec<String> =
        i.qd_filters.clone().unwrap_or_default().iter().map(|f| f.trim().to_owned()).collect();
    if filters.is_empty() || filters.iter().any(|f| f.is_empty() || f.len() > 200) {
        v.push("qdFilters", "one or more non-empty filters of at most 200 characters");
    }
    let allowed = i.allowed_statuses.clone().unwrap_or_else(|| "ALL".into());
    if Allowed::parse(&allowed).is_none() {
        v.push("allowedStatuses", "must be ALL, PROFESSIONAL or NON_PROFESSIONAL");
    }
    if i.default_days.is_some_and(|d| !(1..=36_500).contains(&d)) {
        v.push("defaultDays", "must be 1 to 36500");
    }
    let title = v.check(text("agreementTitle", i.agreement_title.as_deref().unwrap_or(""), 200));
    let body = v.check(text("agreementText", i.agreement_text.as_deref().unwrap_or(""), 100_000));
    let version =
        v.check(text("agreementVersion", i.agreement_version.as_deref().unwrap_or(""), 50));
    v.finish()?;
    Ok(FeedFields {
        name: name.unwrap_or_default().to_uppercase(),
        qd_filters: serde_json::to_string(&filters).map_err(Error::internal)?,
        needs_confirmation: i.needs_confirmation.unwrap_or(false),
        single_use: i.single_use.unwrap_or(false),
        allowed_statuses: allowed,
        default_days: i.default_days,
        agreement_title: title.unwrap_or_default(),
        agreement_text: body.unwrap_or_default(),
        agreement_version: version.unwrap_or_default(),
    })
}

fn conflict(e: Error, name: &str) -> Error {
    match e {
        Error::Conflict(_) => Error::Conflict(format!("a feed named '{name}' already exists")),
        e => e,
    }
}

/// Creates a feed (`actor: None`: CLI or demo). Names are stored upper case.
pub async fn create(app: &App, actor: Option<&Principal>, input: &FeedInput) -> Result<FeedView> {
    if let Some(a) = actor {
        a.require(Permission::ManageMarketData)?;
    }
    let f = parse(input)?;
    let name = f.name.clone();
    let tx = app.db().begin_write().await?;
    let row = repo::insert(&tx, f, app.clock().now()).await.map_err(|e| conflict(e, &name))?;
    let view = FeedView::try_from(&row)?;
    audit::record(
        &tx,
        actor,
        Audit::new("market_data.feed.create", "market_data_feed", row.id.to_string())
            .details(format!("market-data feed '{name}' created"))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

/// Replaces a feed's fields. A new agreement version asks subscribers to sign again on their
/// next activation. Audited.
pub async fn update(app: &App, actor: &Principal, id: i64, input: &FeedInput) -> Result<FeedView> {
    actor.require(Permission::ManageMarketData)?;
    let f = parse(input)?;
    let name = f.name.clone();
    let tx = app.db().begin_write().await?;
    let old = repo::find_by_id(&tx, id).await?.ok_or(Error::NotFound("feed"))?;
    let before = FeedView::try_from(&old)?;
    let row = repo::update(&tx, old, f, app.clock().now()).await.map_err(|e| conflict(e, &name))?;
    let after = FeedView::try_from(&row)?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("market_data.feed.update", "market_data_feed", id.to_string())
            .details(format!("market-data feed '{name}' updated"))
            .before(&before)
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    app.market_data().feed_filters.invalidate(&id);
    Ok(after)
}

/// Deletes a feed no account ever subscribed to (409 otherwise). Audited.
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageMarketData)?;
    let tx = app.db().begin_write().await?;
    let row = repo::find_by_id(&tx, id).await?.ok_or(Error::NotFound("feed"))?;
    if subscriptions::count_for_feed(&tx, id).await? > 0 {
        return Err(Error::Conflict("accounts hold subscriptions to this feed".into()));
    }
    repo::delete(&tx, id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("market_data.feed.delete", "market_data_feed", id.to_string())
            .details(format!("market-data feed '{}' deleted", row.name))
            .before(&FeedView::try_from(&row)?),
    )
    .await?;
    commit(tx).await?;
    app.market_data().feed_filters.invalidate(&id);
    Ok(())
}

/// One feed (ReadMarketData).
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<FeedView> {
    actor.require(Permission::ReadMarketData)?;
    let row = repo::find_by_id(app.db().conn(), id).await?.ok_or(Error::NotFound("feed"))?;
    FeedView::try_from(&row)
}

/// Feeds by id, one page (`limit` at most 500).
pub async fn list(app: &App, actor: &Principal, offset: u64, limit: u64) -> Result<Vec<FeedView>> {
    actor.require(Permission::ReadMarketData)?;
    let offset = brokercrm_core::validate::offset("offset", offset)?;
    let rows = repo::list(app.db().conn(), offset, limit.clamp(1, 500)).await?;
    rows.iter().map(FeedView::try_from).collect()
}

/// The feed named `name` (any case), if any.
pub async fn find_by_name(app: &App, name: &str) -> Result<Option<FeedView>> {
    let rows = repo::find_by_names(app.db().conn(), &[name.to_owned()]).await?;
    rows.first().map(FeedView::try_from).transpose()
}
