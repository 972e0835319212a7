//! The leads list ("List leads"): the API's filters (statuses, sales person, source, country,
//! only mine, search), sorting by column and paging, all in the URL.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::leads::filters::FilterInput;
use brokercrm_app::sales::leads::{LeadView, list};
use brokercrm_app::sales::sales_statuses::{self, SalesStatusView};
use brokercrm_core::distribution::crm_leads::LeadOrder;

use crate::Web;
use crate::error::{WebError, html};
use crate::layout::Ctx;
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
    fn parse(raw: Option<&str>) -> Self {
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
    fn pairs(&self) -> Vec<(String, String)> {
        let mut q = vec![("q".to_owned(), self.q.clone())];
        q.extend(self.statuses.iter().map(|s| ("status".to_owned(), s.clone())));
        q.push(("country".into(), self.country.clone()));
        q.push(("source".into(), self.source.clone()));
        if self.mine {
            q.push(("mine".into(), "1".into()));
        }
        q
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
}

/// `GET /admin/leads`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    RawQuery(raw): RawQuery,
) -> Result<Response, WebError> {
    let f = LeadsQuery::parse(raw.as_deref());
    let who = staff.principal();
    let input = FilterInput {
        statuses: f.statuses.clone(),
        sources: if f.source.trim().is_empty() { vec![] } else { vec![f.source.trim().to_owned()] },
        only_assigned_to_me: f.mine,
        country: Some(f.country.clone()).filter(|c| !c.trim().is_empty()),
        search: Some(f.q.clone()).filter(|q| !q.trim().is_empty()),
        ..Default::default()
    };
    let page = Page::new(Some(LIMIT as i64), Some(f.offset.min(i64::MAX as u64) as i64))?;
    let statuses = sales_statuses::list(&web.app, who).await.unwrap_or_default();
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
    html(&LeadsPage {
        ctx: Ctx::new(&staff, "Leads", "leads"),
        f,
        statuses,
        rows,
        sort,
        pager,
        error,
    })
}
