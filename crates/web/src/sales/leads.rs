//! The leads list ("List leads"): the API's filters (statuses, sales person, source, country,
//! only mine, search), sorting by column and paging, all in the URL.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use brokercrm_app::sales::Page;
use brokercrm_app::sales::leads::filters::FilterInput;
use brokercrm_app::sales::leads::list::sales_people;
use brokercrm_app::sales::leads::work::{self, BulkInput};
use brokercrm_app::sales::leads::{LeadView, list};
use brokercrm_app::sales::sales_statuses::{self, SalesStatusView};
use brokercrm_core::distribution::crm_leads::LeadOrder;

use crate::Web;
use crate::error::{WebError, html_status};
use crate::layout::{Ctx, notice};
use crate::list::{Pager, url};
use crate::session::Staff;

/// Leads per page.
pub const LIMIT: u64 = 50;

/// The list's filters as they stand in the URL.
#[derive(Default)]
pub struct LeadsQuery {
    pub q: String,
    pub statuses: Vec<String>,
    pub country: String,
    pub source: String,
    pub mine: bool,
    pub order: String,
    pub offset: u64,
}

impl LeadsQuery {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "q" => f.q = v,
                "status" if !v.is_empty() => f.statuses.push(v),
                "country" => f.country = v,
                "source" => f.source = v,
                "mine" => f.mine = v == "1" || v == "on",
                "order" => f.order = v,
                "offset" => f.offset = v.parse().unwrap_or(0),
                _ => {}
            }
        }
        f
    }

    /// The filters (without offset and order) as query pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut q = vec![("q".to_owned(), self.q.clone())];
        q.extend(self.statuses.iter().map(|s| ("status".to_owned(), s.clone())));
        q.push(("country".into(), self.country.clone()));
        q.push(("source".into(), self.source.clone()));
        if self.mine {
            q.push(("mine".into(), "1".into()));
        }
        q
    }

    /// The use case's filter.
    pub fn input(&self) -> FilterInput {
        FilterInput {
            statuses: self.statuses.clone(),
            sources: Some(self.source.trim().to_owned())
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
            only_assigned_to_me: self.mine,
            country: Some(self.country.clone()).filter(|c| !c.trim().is_empty()),
            search: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            ..Default::default()
        }
    }
    pub fn has_status(&self, id: &i64) -> bool {
        self.statuses.iter().any(|s| *s == id.to_string())
    }
}

/// A sortable column header: its link and the direction it shows.
pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none` (for `aria-sort`).
    pub aria: &'static str,
}

fn sort_links(f: &LeadsQuery) -> Vec<SortLink> {
    let current = if f.order.is_empty() { "createdAt|DESC" } else { f.order.as_str() };
    [
        ("Name", "name"),
        ("E-mail", "email"),
        ("Created", "createdAt"),
        ("Last contact", "lastContactAt"),
    ]
    .into_iter()
    .map(|(label, field)| {
        let (aria, next) = if current == format!("{field}|ASC") || current == field {
            ("ascending", format!("{field}|DESC"))
        } else if current == format!("{field}|DESC") {
            ("descending", format!("{field}|ASC"))
        } else {
            ("none", format!("{field}|ASC"))
        };
        let mut q = f.pairs();
        q.push(("order".into(), next));
        SortLink { label, href: url("/admin/leads", &q), aria }
    })
    .collect()
}

#[derive(Template)]
#[template(path = "leads.html")]
struct LeadsPage {
    ctx: Ctx,
    f: LeadsQuery,
    statuses: Vec<SalesStatusView>,
    rows: Vec<LeadView>,
    sort: Vec<SortLink>,
    pager: Pager,
    error: Option<String>,
    /// The filters as hidden fields of the bulk edit form.
    hidden: Vec<(String, String)>,
    /// Sales people the bulk edit may assign (public id, name).
    people: Vec<(String, String)>,
    total: u64,
    bulk_error: Option<String>,
}

/// `GET /admin/leads`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    render(&web, &staff, raw, None).await
}

/// The list for the query `raw`; `bulk_error` is a refused bulk edit (answered with 422).
async fn render(
    web: &Web,
    staff: &Staff,
    raw: Option<String>,
    bulk_error: Option<String>,
) -> Result<Response, WebError> {
    let f = LeadsQuery::parse(raw.as_deref());
    let who = staff.principal();
    let input = f.input();
    let page = Page::new(Some(LIMIT as i64), Some(f.offset.min(i64::MAX as u64) as i64))?;
    let statuses = sales_statuses::list(&web.app, who).await.unwrap_or_default();
    let people = sales_people(&web.app, who).await.unwrap_or_default();
    let people = people.into_iter().map(|p| (p.person.id, p.person.name)).collect();
    // A bad filter value (unknown country, too short a search) is shown above an empty list.
    let (rows, total, error) = match LeadOrder::parse(Some(&f.order)) {
        Err(e) => (vec![], 0, Some(e.public_message())),
        Ok(order) => match list::list(&web.app, who, &input, order, page).await {
            Ok((rows, total)) => (rows, total, None),
            Err(e) if crate::form::is_form_error(&e) => (vec![], 0, Some(e.public_message())),
            Err(e) => return Err(e.into()),
        },
    };
    let mut query = f.pairs();
    query.push(("order".into(), f.order.clone()));
    let pager = Pager::new("/admin/leads", &query, f.offset, LIMIT, rows.len(), total);
    let sort = sort_links(&f);
    let hidden = f.pairs().into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let done = serde_urlencoded::from_str::<Vec<(String, String)>>(raw.as_deref().unwrap_or(""))
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v);
    let code = if bulk_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    html_status(
        code,
        &LeadsPage {
            ctx: Ctx::new(staff, "Leads", "leads").notice(notice(done.as_deref())),
            bulk_error,
            hidden,
            people,
            total,
            f,
            statuses,
            rows,
            sort,
            pager,
            error,
        },
    )
}

/// `POST /admin/leads/bulk`: sets the status and/or sales person of every lead the filters
/// (posted as the list had them) match, in the caller's scope ("Bulk edit leads").
pub async fn bulk(
    State(web): State<Web>,
    staff: Staff,
    crate::form::Posted(v): crate::form::Posted<crate::resource::Values>,
) -> Result<Response, WebError> {
    let raw = serde_urlencoded::to_string(&v.0).unwrap_or_default();
    let f = LeadsQuery::parse(Some(&raw));
    let status = v.opt("selected_status").map(|s| {
        let bad = || brokercrm_core::Error::field("selectedStatus", "unknown sales status");
        s.parse::<i64>().map_err(|_| bad())
    });
    let edited = match status.transpose() {
        Ok(selected_status) => {
            let input = BulkInput {
                selected_status,
                selected_sales_person: v.opt("selected_person"),
                filters: f.input(),
            };
            work::bulk_edit(&web.app, staff.principal(), &input).await
        }
        Err(e) => Err(e),
    };
    match edited {
        Ok(_) => {}
        Err(e) if crate::form::is_form_error(&e) => {
            return render(&web, &staff, Some(raw), Some(e.public_message())).await;
        }
        Err(e) => return Err(e.into()),
    }
    let mut q = f.pairs();
    q.push(("done".into(), "bulk".into()));
    Ok(axum::response::Redirect::to(&url("/admin/leads", &q)).into_response())
}
