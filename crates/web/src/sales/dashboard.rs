//! The dashboard: the last 30 days of the caller's customer scope ("Get dashboard data":
//! registrations, deposits per currency, logins), today's figures and a chart per series,
//! rendered on the server as SVG.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::sales::dashboard::{self, CurrencyTotal, Point};
use chrono::{Duration, SubsecRound, Utc};

use crate::Web;
use crate::error::{WebError, html};
use crate::layout::{Ctx, DoneQuery, notice};
use crate::session::Staff;

/// Days the charts cover.
pub const DAYS: i64 = 30;

/// A figure of today.
pub struct Figure {
    pub label: &'static str,
    pub id: &'static str,
    pub today: i64,
    pub period: i64,
}

/// A chart: its title and the SVG.
pub struct Chart {
    pub title: &'static str,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    figures: Vec<Figure>,
    currencies: Vec<CurrencyTotal>,
    charts: Vec<Chart>,
}

fn last(points: &[Point]) -> i64 {
    points.last().map(|p| p.value).unwrap_or(0)
}

/// `GET /admin`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let end = Utc::now().trunc_subsecs(0);
    let start =
        (end - Duration::days(DAYS - 1)).date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let start = start.unwrap_or(end).to_rfc3339();
    let d = dashboard::staff(&web.app, staff.principal(), Some(&start), Some(&end.to_rfc3339()))
        .await?;
    let figures = vec![
        Figure {
            label: "Registrations",
            id: "registrations",
            today: last(&d.registrations),
            period: d.total_registrations,
        },
        Figure {
            label: "Deposits",
            id: "deposits",
            today: last(&d.deposits),
            period: d.total_deposits,
        },
        Figure { label: "Logins", id: "logins", today: last(&d.logins), period: d.total_logins },
    ];
    let charts = vec![
        Chart {
            title: "Registrations per day",
            svg: crate::charts::line("Registrations", &d.registrations),
        },
        Chart { title: "Deposits per day", svg: crate::charts::line("Deposits", &d.deposits) },
        Chart { title: "Logins per day", svg: crate::charts::line("Logins", &d.logins) },
    ];
    html(&DashboardPage {
        ctx: Ctx::new(&staff, "Dashboard", "dashboard").notice(notice(q.done.as_deref())),
        figures,
        currencies: d.deposits_by_currency,
        charts,
    })
}
