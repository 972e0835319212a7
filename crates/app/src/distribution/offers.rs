//! Offers (funnels): what affiliates send traffic to (by the integer `id`, their `offer_id`),
//! open to every affiliate or reserved for one, with the rotation mode of their advertisers.

use std::collections::HashMap;

use brokercrm_core::distribution::rules::RotationMode;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::{http_url, opt_text, text};
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::offers::{self, OfferData, OfferRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, affiliate, ids, new_uuid, user_uuids};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// An offer as staff see it; the owner by public id.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = OfferDto)]
pub struct OfferView {
    pub uuid: String,
    /// What affiliates send as `offer_id`.
    #[schema(example = 7)]
    pub id: i64,
    pub name: String,
    /// Public id of the affiliate the offer is reserved for; `null`: open to all.
    pub affiliate_id: Option<String>,
    /// `priority` (lowest first) or `weighted`.
    pub rotation_mode: String,
    pub lead_source: Option<String>,
    pub funnel_name: Option<String>,
    pub funnel_url: Option<String>,
    /// ISO 639-1.
    pub funnel_language: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OfferView {
    fn of(r: OfferRow, affiliate_uuid: Option<String>) -> Self {
        Self {
            uuid: r.uuid,
            id: r.id,
            name: r.name,
            affiliate_id: affiliate_uuid,
            rotation_mode: r.rotation_mode,
            lead_source: r.lead_source,
            funnel_name: r.funnel_name,
            funnel_url: r.funnel_url,
            funnel_language: r.funnel_language,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// An offer as sent by staff (create, or a patch merged over the stored offer).
#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub name: String,
    /// Public id of an affiliate-role user.
    pub affiliate_id: Option<String>,
    /// `None`: `priority`.
    pub rotation_mode: Option<String>,
    pub lead_source: Option<String>,
    pub funnel_name: Option<String>,
    pub funnel_url: Option<String>,
    pub funnel_language: Option<String>,
    /// `None`: active.
    pub active: Option<bool>,
}

/// A partial update: `None` leaves a field unchanged; `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct OfferPatch {
    pub name: Option<String>,
    pub affiliate_id: Option<Option<String>>,
    pub rotation_mode: Option<String>,
    pub lead_source: Option<Option<String>>,
    pub funnel_name: Option<Option<String>>,
    pub funnel_url: Option<Option<String>>,
    pub funnel_language: Option<Option<String>>,
    pub active: Option<bool>,
}

fn language(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            Ok(Some(s.to_ascii_lowercase()))
        }
        Some(_) => Err(Error::field("funnelLanguage", "must be an ISO 639-1 code, e.g. en")),
    }
}

fn url(raw: Option<&str>) -> Result<Option<String>> {
    match opt_text("funnelUrl", raw, 500)? {
        None => Ok(None),
        Some(u) => http_url("funnelUrl", &u).map(Some),
    }
}

/// Every field checked at once; the data to store and the owner's public id.
async fn checked<C: ConnectionTrait>(
    conn: &C,
    i: OfferInput,
) -> Result<(OfferData, Option<String>)> {
    let mut v = Violations::new();
    let name = v.check(text("name", &i.name, 200));
    let mode = v.check(RotationMode::parse(
        "rotationMode",
        i.rotation_mode.as_deref().unwrap_or("priority").trim(),
    ));
    let lead_source = v.check(opt_text("leadSource", i.lead_source.as_deref(), 255));
    let funnel_name = v.check(opt_text("funnelName", i.funnel_name.as_deref(), 200));
    let funnel_url = v.check(url(i.funnel_url.as_deref()));
    let funnel_language = v.check(language(i.funnel_language.as_deref()));
    let owner = match i.affiliate_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(uuid) => v.check(affiliate(conn, "affiliateId", uuid, false).await).map(Some),
        None => Some(None),
    };
    v.finish()?;
    let (Some(name), Some(mode), Some(lead_source), Some(funnel_name), Some(funnel_url)) =
        (name, mode, lead_source, funnel_name, funnel_url)
    else {
        return Err(Error::internal("offer validation incomplete"));
    };
    let (Some(funnel_language), Some(owner)) = (funnel_language, owner) else {
        return Err(Error::internal("offer validation incomplete"));
    };
    let data = OfferData {
        name,
        affiliate_id: owner.as_ref().map(|u| u.id),
        rotation_mode: mode.as_str().to_owned(),
        lead_source,
        funnel_name,
        funnel_url,
        funnel_language,
        active: i.active.unwrap_or(true),
    };
    Ok((data, owner.map(|u| u.uuid)))
}

/// The view of `row`, looking up its owner's public id.
async fn view<C: ConnectionTrait>(conn: &C, row: OfferRow) -> Result<OfferView> {
    let owners = user_uuids(conn, &ids([row.affiliate_id])).await?;
    let owner = row.affiliate_id.and_then(|id| owners.get(&id).cloned());
    Ok(OfferView::of(row, owner))
}

/// Offers by id.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<Vec<OfferView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let rows = offers::list(conn, page.offset, page.limit).await?;
    let owners: HashMap<i64, String> =
        user_uuids(conn, &ids(rows.iter().map(|r| r.affiliate_id))).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let owner = r.affiliate_id.and_then(|id| owners.get(&id).cloned());
            OfferView::of(r, owner)
        })
        .collect())
}

pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<OfferView> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let row = offers::find_by_uuid(conn, uuid).await?.ok_or(Error::NotFound("offer"))?;
    view(conn, row).await
}

/// Creates an offer. Audited.
pub async fn create(app: &App, actor: &Principal, input: OfferInput) -> Result<OfferView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let (data, owner) = checked(&tx, input).await?;
    let view = OfferView::of(offers::insert(&tx, &new_uuid(), data).await?, owner);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("offer.create", "offer", view.uuid.clone())
            .details(format!("offer '{}' (id {}) created", view.name, view.id))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Changes the fields sent. Audited.
pub async fn update(app: &App, actor: &Principal, uuid: &str, p: OfferPatch) -> Result<OfferView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = offers::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("offer"))?;
    let before = view(&tx, old.clone()).await?;
    let input = OfferInput {
        name: p.name.unwrap_or_else(|| old.name.clone()),
        affiliate_id: p.affiliate_id.unwrap_or_else(|| before.affiliate_id.clone()),
        rotation_mode: Some(p.rotation_mode.unwrap_or_else(|| old.rotation_mode.clone())),
        lead_source: p.lead_source.unwrap_or_else(|| old.lead_source.clone()),
        funnel_name: p.funnel_name.unwrap_or_else(|| old.funnel_name.clone()),
        funnel_url: p.funnel_url.unwrap_or_else(|| old.funnel_url.clone()),
        funnel_language: p.funnel_language.unwrap_or_else(|| old.funnel_language.clone()),
        active: Some(p.active.unwrap_or(old.active)),
    };
    let (data, _) = checked(&tx, input).await?;
    offers::update(&tx, old.id, data).await?;
    let row = offers::find_by_id(&tx, old.id).await?.ok_or(Error::NotFound("offer"))?;
    let after = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("offer.update", "offer", uuid)
            .details(format!("offer '{}' updated", after.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Deletes an offer with its rotation, caps and country blocks; leads keep their history.
/// Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = offers::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("offer"))?;
    offers::delete(&tx, old.id).await?;
    let before = view(&tx, old).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("offer.delete", "offer", uuid)
            .details(format!("offer '{}' deleted", before.name))
            .before(&before),
    )
    .await?;
    super::commit_config(app, tx).await
}
