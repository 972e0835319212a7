//! Affiliate tokens (ReadLeadDistribution; changes ManageLeadDistribution): the tokens of every
//! affiliate or of one (filter in the URL), never a secret; one issued (shown once) with its
//! IP allow-list and default offer; a token paused, resumed or revoked for good
//! (`distribution::affiliate_tokens`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::Page;
use brokercrm_app::distribution::affiliate_tokens::{
    self, AffiliateTokenInput, AffiliateTokenPatch, AffiliateTokenView,
};
use brokercrm_app::distribution::offers;
use brokercrm_core::Permission;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/affiliate-tokens";

fn form(offers: Vec<(String, String)>) -> Form {
    let options = [(String::new(), "none".to_owned())].into_iter().chain(offers);
    Form::post("token-form", BASE, "Issue a token")
        .submit("Issue token")
        .field(Field::text("affiliate", "Affiliate's user id").required())
        .field(Field::text("name", "Name").required())
        .field(Field::input("textarea", "ips", "Allowed IPs and CIDRs, one per line (empty: any)"))
        .field(Field::select("offer", "Default offer", options))
}

fn row(t: &AffiliateTokenView, can: bool) -> Row {
    let state = if t.revoked_at.is_some() {
        "revoked"
    } else if t.active {
        "active"
    } else {
        "paused"
    };
    let used = t.last_used_at.map(|u| u.format("%Y-%m-%d %H:%M").to_string());
    let r = Row::new(vec![
        Cell::text(&t.name),
        Cell::code(&t.prefix),
        Cell::link(&t.affiliate_uuid, format!("{BASE}?affiliate={}", t.affiliate_uuid)),
        Cell::text(t.ip_allowlist.join(", ")),
        Cell::opt(t.default_offer_uuid.as_deref()),
        Cell::opt(used),
        Cell::text(state),
    ]);
    if !can || t.revoked_at.is_some() {
        return r;
    }
    let (label, to) = if t.active { ("Pause", "pause") } else { ("Resume", "resume") };
    r.action(Action::post(label, format!("{BASE}/{}/{to}", t.uuid))).action(
        Action::post("Revoke", format!("{BASE}/{}/revoke", t.uuid)).confirm(format!(
            "Revoke {} for good? The affiliate's pushes with it stop at once.",
            t.name
        )),
    )
}

async fn offer_options(web: &Web, staff: &Staff) -> Result<Vec<(String, String)>, WebError> {
    let all = offers::list(&web.app, staff.principal(), Page::new(Some(200), Some(0))?).await?;
    Ok(all.into_iter().map(|o| (o.uuid, o.name)).collect())
}

async fn page_of(
    web: &Web,
    staff: &Staff,
    q: &Values,
    new: Option<Form>,
) -> Result<ResourcePage, WebError> {
    let who = staff.principal();
    let can = who.role.can(Permission::ManageLeadDistribution);
    let affiliate = q.opt("affiliate");
    let tokens =
        affiliate_tokens::list(&web.app, who, affiliate.as_deref(), Page::new(Some(200), Some(0))?)
            .await?;
    let headers =
        ["Name", "Prefix", "Affiliate", "Allowed IPs", "Default offer", "Last used", "State"];
    let table = Table::new("affiliate-tokens", "Affiliate tokens", &headers)
        .rows(tokens.iter().map(|t| row(t, can)).collect());
    let filters = Form::filters("token-filters", BASE)
        .field(Field::text("affiliate", "Affiliate's user id").value(q.get("affiliate")));
    let ctx = Ctx::new(staff, "Affiliate tokens", "affiliate-tokens").notice(notice(q.done()));
    let new = match (can, new) {
        (true, Some(f)) => Some(f),
        (true, None) => Some(form(offer_options(web, staff).await?)),
        (false, _) => None,
    };
    Ok(ResourcePage::new(ctx)
        .filters(filters)
        .table(table)
        .form_if(new.is_some(), || new.unwrap_or_else(|| form(Vec::new()))))
}

/// `GET /admin/affiliate-tokens`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    page_of(&web, &staff, &q, None).await?.render()
}

/// `POST /admin/affiliate-tokens`: issues a token and shows it once.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let ips: Vec<String> =
        f.get("ips").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let input = AffiliateTokenInput {
        affiliate_uuid: f.get("affiliate").to_owned(),
        name: f.get("name").to_owned(),
        ip_allowlist: ips,
        default_offer_uuid: f.opt("offer"),
    };
    let none = Values::default();
    match affiliate_tokens::create(&web.app, staff.principal(), input).await {
        Ok(made) => {
            let label =
                format!("Token {} for affiliate {}", made.view.name, made.view.affiliate_uuid);
            page_of(&web, &staff, &none, None).await?.secret(label, made.token).render()
        }
        Err(e) if is_form_error(&e) => {
            let mut names = vec![
                ("affiliateUuid".to_owned(), "affiliate"),
                ("name".to_owned(), "name"),
                ("ipAllowlist".to_owned(), "ips"),
                ("defaultOfferUuid".to_owned(), "offer"),
            ];
            names.extend((0..100).map(|i| (format!("ipAllowlist[{i}]"), "ips")));
            let refs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), *b)).collect();
            let new = form(offer_options(&web, &staff).await?).refused(&f, &e, &refs);
            page_of(&web, &staff, &none, Some(new)).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/affiliate-tokens/{id}/{pause|resume|revoke}`.
pub async fn change(
    State(web): State<Web>,
    staff: Staff,
    Path((id, what)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let done = match what.as_str() {
        "revoke" => {
            affiliate_tokens::revoke(&web.app, who, &id).await?;
            "revoked"
        }
        "pause" | "resume" => {
            let patch =
                AffiliateTokenPatch { active: Some(what == "resume"), ..Default::default() };
            affiliate_tokens::update(&web.app, who, &id, patch).await?;
            if what == "resume" { "enabled" } else { "saved" }
        }
        _ => return Err(brokercrm_core::Error::NotFound("action").into()),
    };
    Ok(Redirect::to(&format!("{BASE}?done={done}")).into_response())
}
