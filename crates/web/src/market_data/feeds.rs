//! Market-data feeds: the list, a new feed and a feed's page to edit it — name, QD filters
//! (one per line), whether activation needs the application's confirmation, single use, the
//! subscriber statuses it may serve, the default duration and the agreement subscribers sign.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::market_data::feeds::{self, FeedInput, FeedView};
use brokercrm_core::Error;
use brokercrm_core::identity::auth::Permission;
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html, html_status};
use crate::form::{FieldErrors, Posted, is_form_error};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::session::Staff;

/// The tab key of these screens.
const TAB: &str = "feeds";

#[derive(Template)]
#[template(path = "md_feeds.html")]
struct ListPage {
    ctx: Ctx,
    tab: &'static str,
    feeds: Vec<FeedView>,
    can_edit: bool,
}

/// `GET /admin/market-data/feeds`.
pub async fn list_page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let feeds = feeds::list(&web.app, who, 0, 500).await?;
    html(&ListPage {
        ctx: Ctx::new(&staff, "Market data: feeds", "market_data")
            .notice(notice(q.done.as_deref())),
        tab: TAB,
        feeds,
        can_edit: who.role.can(Permission::ManageMarketData),
    })
}

/// The feed form as typed.
#[derive(Deserialize, Clone)]
pub struct FeedForm {
    #[serde(default)]
    name: String,
    /// One filter per line.
    #[serde(default)]
    qd_filters: String,
    #[serde(default)]
    needs_confirmation: Option<String>,
    #[serde(default)]
    single_use: Option<String>,
    #[serde(default)]
    allowed_statuses: String,
    /// Days; empty: no end.
    #[serde(default)]
    default_days: String,
    #[serde(default)]
    agreement_title: String,
    #[serde(default)]
    agreement_text: String,
    #[serde(default)]
    agreement_version: String,
}

impl Default for FeedForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            qd_filters: String::new(),
            needs_confirmation: None,
            single_use: None,
            allowed_statuses: "ALL".into(),
            default_days: String::new(),
            agreement_title: String::new(),
            agreement_text: String::new(),
            agreement_version: "1".into(),
        }
    }
}

impl FeedForm {
    fn of(f: &FeedView) -> Self {
        Self {
            name: f.name.clone(),
            qd_filters: f.qd_filters.join("\n"),
            needs_confirmation: f.needs_confirmation.then(|| "1".into()),
            single_use: f.single_use.then(|| "1".into()),
            allowed_statuses: f.allowed_statuses.clone(),
            default_days: f.default_days.map(|d| d.to_string()).unwrap_or_default(),
            agreement_title: f.agreement_title.clone(),
            agreement_text: f.agreement_text.clone(),
            agreement_version: f.agreement_version.clone(),
        }
    }

    /// The use case's input; a duration that is not a whole number is refused here, beside
    /// its field, with whatever else the use case finds.
    fn input(&self) -> Result<FeedInput, Error> {
        let days = self.default_days.trim();
        let default_days = match days {
            "" => None,
            d => Some(d.parse::<i32>().map_err(|_| {
                Error::field("defaultDays", "must be a whole number of days (or empty)")
            })?),
        };
        Ok(FeedInput {
            name: Some(self.name.clone()),
            qd_filters: Some(
                self.qd_filters
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            needs_confirmation: Some(self.needs_confirmation.is_some()),
            single_use: Some(self.single_use.is_some()),
            allowed_statuses: Some(self.allowed_statuses.clone()),
            default_days,
            agreement_title: Some(self.agreement_title.clone()),
            agreement_text: Some(self.agreement_text.clone()),
            agreement_version: Some(self.agreement_version.clone()),
        })
    }
}

/// `app` field names → form field names.
const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("qdFilters", "qd_filters"),
    ("allowedStatuses", "allowed_statuses"),
    ("defaultDays", "default_days"),
    ("agreementTitle", "agreement_title"),
    ("agreementText", "agreement_text"),
    ("agreementVersion", "agreement_version"),
];

/// The errors of a refused save; a taken name is shown beside the name.
fn errors_of(e: &Error) -> FieldErrors {
    match e {
        Error::Conflict(m) => FieldErrors::from_error(&Error::field("name", m.clone()), FIELDS),
        e => FieldErrors::from_error(e, FIELDS),
    }
}

#[derive(Template)]
#[template(path = "md_feed.html")]
struct FeedPage {
    ctx: Ctx,
    tab: &'static str,
    /// `None`: a new feed.
    feed: Option<FeedView>,
    f: FeedForm,
    errors: FieldErrors,
    can_edit: bool,
}

impl FeedPage {
    fn action(&self) -> String {
        match &self.feed {
            Some(f) => format!("/admin/market-data/feeds/{}", f.id),
            None => "/admin/market-data/feeds".into(),
        }
    }
}

fn form_page(
    staff: &Staff,
    feed: Option<FeedView>,
    f: FeedForm,
    errors: FieldErrors,
    done: Option<&str>,
) -> FeedPage {
    let title = match &feed {
        Some(x) => format!("Feed {}", x.name),
        None => "New market-data feed".into(),
    };
    FeedPage {
        ctx: Ctx::new(staff, title, "market_data").notice(notice(done)),
        tab: TAB,
        feed,
        f,
        errors,
        can_edit: staff.principal().role.can(Permission::ManageMarketData),
    }
}

/// `GET /admin/market-data/feeds/new`.
pub async fn new_page(staff: Staff) -> Result<Response, WebError> {
    // Only a form: creating is refused by the use case, this spares the others an unusable page.
    if !staff.principal().role.can(Permission::ManageMarketData) {
        return Err(Error::Forbidden.into());
    }
    html(&form_page(&staff, None, FeedForm::default(), FieldErrors::default(), None))
}

/// `POST /admin/market-data/feeds`: creates a feed.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<FeedForm>,
) -> Result<Response, WebError> {
    let r = match f.input() {
        Ok(input) => feeds::create(&web.app, Some(staff.principal()), &input).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(feed) => Ok(Redirect::to(&format!("/admin/market-data/feeds/{}?done=created", feed.id))
            .into_response()),
        Err(e) if is_form_error(&e) => {
            let page = form_page(&staff, None, f, errors_of(&e), None);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/market-data/feeds/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let feed = feeds::get(&web.app, staff.principal(), id).await?;
    let f = FeedForm::of(&feed);
    html(&form_page(&staff, Some(feed), f, FieldErrors::default(), q.done.as_deref()))
}

/// `POST /admin/market-data/feeds/{id}`: saves the feed.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<FeedForm>,
) -> Result<Response, WebError> {
    let r = match f.input() {
        Ok(input) => feeds::update(&web.app, staff.principal(), id, &input).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/market-data/feeds/{id}?done=saved")).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let feed = feeds::get(&web.app, staff.principal(), id).await?;
            let page = form_page(&staff, Some(feed), f, errors_of(&e), None);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}
