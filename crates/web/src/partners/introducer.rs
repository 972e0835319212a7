//! One introducer (ReadCommissions): its commission balance (available, reserved by a pending
//! payout), the commission model in force with its levels, the downline statistics per level
//! (`partners::analytics::for_staff`) and the downline itself by level — referred clients and
//! sub-IBs (`partners::directory::get`) — with links to its records and its own introducer.

use axum::extract::{Path, State};
use axum::response::Response;
use brokercrm_app::partners::analytics;
use brokercrm_app::partners::directory::{self, IntroducerDetail, Level};

use super::introducers::name;
use crate::Web;
use crate::error::WebError;
use crate::layout::Ctx;
use crate::resource::{Cell, ResourcePage, Row, Table};
use crate::session::Staff;

const BASE: &str = "/admin/partners";

fn model_table(d: &IntroducerDetail) -> Table {
    let headers = ["Level", "CPA", "CPA min. deposit", "Per lot", "Revenue share %"];
    let caption = match &d.model {
        Some((id, n, _)) => {
            let how = if d.own_model_id == Some(*id) { "own" } else { "in force by the tree" };
            format!("Commission model: {n} (#{id}, {how})")
        }
        None => "Commission model: none".to_owned(),
    };
    let mut t = Table::new("model", caption, &headers);
    if let Some((_, _, levels)) = &d.model {
        t = t.rows(
            levels
                .iter()
                .map(|l| {
                    Row::new(vec![
                        Cell::text(l.level),
                        Cell::text(l.cpa),
                        Cell::text(l.cpa_min_deposit),
                        Cell::text(l.per_lot),
                        Cell::text(l.revenue_share_percent()),
                    ])
                })
                .collect(),
        );
    }
    t.empty = "No commission model pays this introducer.";
    t
}

fn level_table(l: &Level) -> Table {
    let id = match l.level {
        1 => "downline-1",
        2 => "downline-2",
        3 => "downline-3",
        _ => "downline-n",
    };
    let more = if l.truncated { " (the first ones)" } else { "" };
    let caption = format!("Downline level {}: {} members{more}", l.level, l.members.len());
    let headers = ["E-mail", "Name", "Kind", "Referred by", "Source"];
    let mut t = Table::new(id, caption, &headers).rows(
        l.members
            .iter()
            .map(|m| {
                let p = &m.person;
                let who = if m.introducer {
                    Cell::link(&p.email, format!("{BASE}/{}", p.id))
                } else {
                    Cell::link(&p.email, format!("/admin/customers/{}", p.id))
                };
                Row::new(vec![
                    who,
                    Cell::text(name(p.firstname.as_deref(), p.lastname.as_deref())),
                    Cell::text(if m.introducer { "sub-IB" } else { "client" }),
                    Cell::opt(m.referred_by.as_ref().map(|r| r.email.clone())),
                    Cell::text(m.source.replace('_', " ")),
                ])
            })
            .collect(),
    );
    t.empty = "Nobody at this level.";
    t
}

/// `GET /admin/partners/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let d = directory::get(&web.app, who, &id).await?;
    let stats = analytics::for_staff(&web.app, who, Some(d.person.id.as_str())).await?;
    let balance = Table::new("balance", "Commission balance (USD)", &["Available", "Reserved"])
        .rows(vec![Row::new(vec![Cell::text(d.available), Cell::text(d.reserved)])]);
    let headers =
        ["Level", "Clients", "FTDs", "Deposits (USD)", "Net deposits (USD)", "Lots", "Commissions"];
    let stats = Table::new("stats", "Downline statistics", &headers).rows(
        stats
            .iter()
            .map(|s| {
                Row::new(vec![
                    Cell::text(s.level),
                    Cell::text(s.referred_clients),
                    Cell::text(s.ftds),
                    Cell::text(s.deposits),
                    Cell::text(s.net_deposits),
                    Cell::text(s.lots),
                    Cell::text(s.commissions),
                ])
            })
            .collect(),
    );
    let p = &d.person;
    let full = name(p.firstname.as_deref(), p.lastname.as_deref());
    let mut intro = format!("Referral key {}.", d.referral_key);
    if let Some(up) = &d.parent {
        intro = format!("{intro} Introduced by {}.", up.email);
    }
    let title = if full.is_empty() { p.email.clone() } else { format!("{full} <{}>", p.email) };
    let mut page = ResourcePage::new(Ctx::new(&staff, title, "partners"))
        .back(BASE, "All introducers")
        .intro(intro)
        .link("Commission records", format!("/admin/commissions?introducer={}", p.id));
    if let Some(up) = &d.parent {
        page = page.link("Its introducer", format!("{BASE}/{}", up.id));
    }
    page = page.table(balance).table(model_table(&d)).table(stats);
    for l in &d.downline {
        page = page.table(level_table(l));
    }
    page.render()
}
