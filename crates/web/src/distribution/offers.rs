//! Offers: the list, and an offer's page to edit it (name, rotation mode, funnel, active)
//! with its caps (add one; change a cap's maximum). Reads need ReadLeadDistribution, changes
//! ManageLeadDistribution — checked by the use cases. A refused change shows the page again
//! with each error beside its field and what was typed kept.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::Page;
use brokercrm_app::distribution::advertisers::{self, AdvertiserView};
use brokercrm_app::distribution::caps::{self, CapInput, CapView};
use brokercrm_app::distribution::offers::{self, OfferPatch, OfferView};
use brokercrm_core::Error;
use brokercrm_core::identity::auth::Permission;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::session::Staff;

#[derive(Template)]
#[template(path = "offers.html")]
struct OffersPage {
    ctx: Ctx,
    offers: Vec<OfferView>,
}

/// `GET /admin/offers`.
pub async fn list_page(State(web): State<Web>, staff: Staff) -> Result<Response, WebError> {
    let offers = offers::list(&web.app, staff.principal(), Page::new(Some(500), Some(0))?).await?;
    html(&OffersPage { ctx: Ctx::new(&staff, "Offers", "offers"), offers })
}

/// The offer form's fields as typed.
#[derive(Deserialize, Default, Clone)]
pub struct OfferForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    rotation_mode: String,
    #[serde(default)]
    lead_source: String,
    #[serde(default)]
    funnel_name: String,
    #[serde(default)]
    funnel_url: String,
    #[serde(default)]
    funnel_language: String,
    #[serde(default)]
    active: Option<String>,
}

impl OfferForm {
    fn of(o: &OfferView) -> Self {
        Self {
            name: o.name.clone(),
            rotation_mode: o.rotation_mode.clone(),
            lead_source: o.lead_source.clone().unwrap_or_default(),
            funnel_name: o.funnel_name.clone().unwrap_or_default(),
            funnel_url: o.funnel_url.clone().unwrap_or_default(),
            funnel_language: o.funnel_language.clone().unwrap_or_default(),
            active: o.active.then(|| "1".to_owned()),
        }
    }
}

/// The add-a-cap form's fields as typed.
#[derive(Deserialize, Default, Clone)]
pub struct CapForm {
    #[serde(default)]
    advertiser: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    max_count: String,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    ctx: Ctx,
    offer: OfferView,
    f: OfferForm,
    errors: FieldErrors,
    caps: Vec<CapView>,
    advertisers: Vec<AdvertiserView>,
    cap: CapForm,
    cap_errors: FieldErrors,
    /// The cap whose maximum was refused, with what was typed.
    cap_failed: Option<(String, String)>,
    can_edit: bool,
}

impl OfferPage {
    fn cap_failed_on(&self, uuid: &str) -> bool {
        self.cap_failed.as_ref().is_some_and(|(u, _)| u == uuid)
    }
    fn cap_typed(&self) -> &str {
        self.cap_failed.as_ref().map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

struct Shown {
    f: Option<OfferForm>,
    errors: FieldErrors,
    cap: CapForm,
    cap_errors: FieldErrors,
    cap_failed: Option<(String, String)>,
}

impl Default for Shown {
    fn default() -> Self {
        Self {
            f: None,
            errors: FieldErrors::default(),
            cap: CapForm { period: "day".into(), kind: "accepted".into(), ..Default::default() },
            cap_errors: FieldErrors::default(),
            cap_failed: None,
        }
    }
}

async fn render(
    web: &Web,
    staff: &Staff,
    id: &str,
    done: Option<&str>,
    shown: Shown,
    code: StatusCode,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let offer = offers::get(&web.app, who, id).await?;
    let all = caps::list(&web.app, who, None, Page::new(Some(500), Some(0))?).await?;
    let caps = all.into_iter().filter(|c| c.offer_uuid.as_deref() == Some(&offer.uuid)).collect();
    let advertisers = advertisers::list(&web.app, who, Page::new(Some(500), Some(0))?).await?;
    let page = OfferPage {
        ctx: Ctx::new(staff, format!("Offer {}", offer.name), "offers").notice(notice(done)),
        f: shown.f.unwrap_or_else(|| OfferForm::of(&offer)),
        offer,
        errors: shown.errors,
        caps,
        advertisers,
        cap: shown.cap,
        cap_errors: shown.cap_errors,
        cap_failed: shown.cap_failed,
        can_edit: who.role.can(Permission::ManageLeadDistribution),
    };
    html_status(code, &page)
}

/// `GET /admin/offers/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    render(&web, &staff, &id, q.done.as_deref(), Shown::default(), StatusCode::OK).await
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `POST /admin/offers/{id}`: saves the offer's fields.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<OfferForm>,
) -> Result<Response, WebError> {
    let patch = OfferPatch {
        name: Some(f.name.clone()),
        rotation_mode: Some(f.rotation_mode.clone()),
        lead_source: Some(opt(&f.lead_source)),
        funnel_name: Some(opt(&f.funnel_name)),
        funnel_url: Some(opt(&f.funnel_url)),
        funnel_language: Some(opt(&f.funnel_language)),
        active: Some(f.active.is_some()),
        ..Default::default()
    };
    match offers::update(&web.app, staff.principal(), &id, patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/offers/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let errors = FieldErrors::from_error(
                &e,
                &[
                    ("name", "name"),
                    ("rotationMode", "rotation_mode"),
                    ("leadSource", "lead_source"),
                    ("funnelName", "funnel_name"),
                    ("funnelUrl", "funnel_url"),
                    ("funnelLanguage", "funnel_language"),
                ],
            );
            let shown = Shown { f: Some(f), errors, ..Default::default() };
            render(&web, &staff, &id, None, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

fn max_count(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| Error::field("maxCount", "must be a whole number"))
}

/// `POST /admin/offers/{id}/caps`: adds a cap on this offer.
pub async fn add_cap(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(c): Posted<CapForm>,
) -> Result<Response, WebError> {
    let r = match max_count(&c.max_count) {
        Err(e) => Err(e),
        Ok(max) => {
            let input = CapInput {
                advertiser_uuid: c.advertiser.clone(),
                offer_uuid: Some(id.clone()),
                country: opt(&c.country),
                period: c.period.clone(),
                kind: c.kind.clone(),
                max_count: max,
            };
            caps::create(&web.app, staff.principal(), input).await
        }
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/admin/offers/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let cap_errors = FieldErrors::from_error(
                &e,
                &[
                    ("advertiserUuid", "advertiser"),
                    ("country", "country"),
                    ("period", "period"),
                    ("kind", "kind"),
                    ("maxCount", "max_count"),
                ],
            );
            let shown = Shown { cap: c, cap_errors, ..Default::default() };
            render(&web, &staff, &id, None, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MaxForm {
    #[serde(default)]
    max_count: String,
}

/// `POST /admin/offers/{id}/caps/{cap}`: changes a cap's maximum.
pub async fn set_cap(
    State(web): State<Web>,
    staff: Staff,
    Path((id, cap)): Path<(String, String)>,
    Posted(m): Posted<MaxForm>,
) -> Result<Response, WebError> {
    let r = match max_count(&m.max_count) {
        Err(e) => Err(e),
        Ok(max) => caps::set_max_count(&web.app, staff.principal(), &cap, max).await,
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/admin/offers/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let cap_errors = FieldErrors::from_error(&e, &[("maxCount", "cap_max")]);
            let shown =
                Shown { cap_errors, cap_failed: Some((cap, m.max_count)), ..Default::default() };
            render(&web, &staff, &id, None, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
