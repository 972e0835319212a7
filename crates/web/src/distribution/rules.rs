//! Lead rules (ReadLeadDistribution; changes ManageLeadDistribution): country blocks, dedup
//! rules and goal types on one page, each with its table, its actions (delete, enable or
//! disable) and its add form; a goal type renamed on its own page.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::Page;
use brokercrm_app::distribution::dedup_rules::{self, DedupRuleInput};
use brokercrm_app::distribution::{country_blocks, goal_types, offers};
use brokercrm_core::Permission;
use brokercrm_core::distribution::rules::{DedupField, DedupScope};

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/lead-rules";

fn all() -> Result<Page, WebError> {
    Ok(Page::new(Some(200), Some(0))?)
}

fn block_form(offers: Vec<(String, String)>) -> Form {
    let options = [(String::new(), "every offer".to_owned())].into_iter().chain(offers);
    Form::post("block-form", format!("{BASE}/country-blocks"), "Block a country")
        .submit("Block")
        .field(Field::text("country", "Country (ISO 3166-1 alpha-2)").required())
        .field(Field::select("offer", "Offer", options))
}

fn dedup_form() -> Form {
    let fields = DedupField::ALL.iter().map(|f| (f.as_str(), f.as_str()));
    let scopes = DedupScope::ALL.iter().map(|s| (s.as_str(), s.as_str()));
    Form::post("dedup-form", format!("{BASE}/dedup-rules"), "Add a dedup rule")
        .submit("Add rule")
        .field(Field::select("field", "Compare", fields))
        .field(Field::select("scope", "Across", scopes))
        .field(Field::input("number", "window", "Window (seconds)").value(86_400).required())
}

fn goal_form() -> Form {
    Form::post("goal-form", format!("{BASE}/goal-types"), "Add a goal type")
        .submit("Add goal type")
        .field(Field::text("name", "Name").required())
}

/// The forms at the bottom of the page, one of which may carry a refusal.
#[derive(Default)]
struct Forms {
    block: Option<Form>,
    dedup: Option<Form>,
    goal: Option<Form>,
}

async fn render(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    f: Forms,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let can = who.role.can(Permission::ManageLeadDistribution);
    let offer_names: Vec<(String, String)> =
        offers::list(&web.app, who, all()?).await?.into_iter().map(|o| (o.uuid, o.name)).collect();
    let offer_name = |u: &Option<String>| match u {
        Some(u) => {
            offer_names.iter().find(|(id, _)| id == u).map(|(_, n)| n.clone()).unwrap_or_default()
        }
        None => "every offer".to_owned(),
    };
    let blocks = country_blocks::list(&web.app, who, all()?).await?.into_iter().map(|b| {
        let r = Row::new(vec![Cell::text(&b.country), Cell::text(offer_name(&b.offer_uuid))]);
        let del = Action::post("Delete", format!("{BASE}/country-blocks/{}/delete", b.id));
        if can {
            r.action(del.confirm(format!("Allow leads from {} again?", b.country)))
        } else {
            r
        }
    });
    let rules = dedup_rules::list(&web.app, who, all()?).await?.into_iter().map(|d| {
        let r = Row::new(vec![
            Cell::text(&d.field),
            Cell::text(&d.scope),
            Cell::text(d.window_secs),
            Cell::yes_no(d.active),
        ]);
        if !can {
            return r;
        }
        let (label, to) = if d.active { ("Disable", "off") } else { ("Enable", "on") };
        r.action(Action::post(label, format!("{BASE}/dedup-rules/{}/{to}", d.uuid))).action(
            Action::post("Delete", format!("{BASE}/dedup-rules/{}/delete", d.uuid))
                .confirm("Delete this rule?"),
        )
    });
    let goals = goal_types::list(&web.app, who, all()?).await?.into_iter().map(|g| {
        let name = if can && !g.system {
            Cell::link(&g.name, format!("{BASE}/goal-types/{}", g.uuid))
        } else {
            Cell::text(&g.name)
        };
        let r = Row::new(vec![name, Cell::yes_no(g.system)]);
        if can && !g.system {
            r.action(
                Action::post("Delete", format!("{BASE}/goal-types/{}/delete", g.uuid))
                    .confirm(format!("Delete {}?", g.name)),
            )
        } else {
            r
        }
    });
    let ctx = Ctx::new(staff, "Lead rules", "lead-rules").notice(notice(done));
    let page = ResourcePage::new(ctx)
        .table(
            Table::new("country-blocks", "Country blocks", &["Country", "Offer"])
                .rows(blocks.collect()),
        )
        .table(
            Table::new(
                "dedup-rules",
                "Dedup rules",
                &["Compare", "Across", "Window (s)", "Active"],
            )
            .rows(rules.collect()),
        )
        .table(
            Table::new("goal-types", "Goal types", &["Goal type", "System"]).rows(goals.collect()),
        );
    if !can {
        return page.render();
    }
    page.form(f.block.unwrap_or_else(|| block_form(offer_names.clone())))
        .form(f.dedup.unwrap_or_else(dedup_form))
        .form(f.goal.unwrap_or_else(goal_form))
        .render()
}

/// `GET /admin/lead-rules`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, q.done(), Forms::default()).await
}

fn done(what: &str) -> Response {
    Redirect::to(&format!("{BASE}?done={what}")).into_response()
}

/// `POST /admin/lead-rules/country-blocks`.
pub async fn block(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    match country_blocks::create(&web.app, who, f.get("country"), f.opt("offer").as_deref()).await {
        Ok(_) => Ok(done("created")),
        Err(e) if is_form_error(&e) => {
            let offers = offers::list(&web.app, who, all()?)
                .await?
                .into_iter()
                .map(|o| (o.uuid, o.name))
                .collect();
            let form = block_form(offers).refused(
                &f,
                &e,
                &[("country", "country"), ("offerUuid", "offer")],
            );
            render(&web, &staff, None, Forms { block: Some(form), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/lead-rules/country-blocks/{id}/delete`.
pub async fn unblock(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    country_blocks::delete(&web.app, staff.principal(), id).await?;
    Ok(done("deleted"))
}

/// `POST /admin/lead-rules/dedup-rules`.
pub async fn add_rule(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let window = f.get("window").parse::<i64>().ok();
    let input = DedupRuleInput {
        field: Some(f.get("field").to_owned()),
        scope: Some(f.get("scope").to_owned()),
        window_secs: window,
        active: Some(true),
    };
    match dedup_rules::create(&web.app, staff.principal(), input).await {
        Ok(_) => Ok(done("created")),
        Err(e) if is_form_error(&e) => {
            let names = [("field", "field"), ("scope", "scope"), ("windowSecs", "window")];
            let form = dedup_form().refused(&f, &e, &names);
            render(&web, &staff, None, Forms { dedup: Some(form), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/lead-rules/dedup-rules/{id}/{on|off|delete}`.
pub async fn change_rule(
    State(web): State<Web>,
    staff: Staff,
    Path((id, what)): Path<(String, String)>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let active = match what.as_str() {
        "delete" => {
            dedup_rules::delete(&web.app, who, &id).await?;
            return Ok(done("deleted"));
        }
        "on" => true,
        "off" => false,
        _ => return Err(brokercrm_core::Error::NotFound("action").into()),
    };
    let input = DedupRuleInput { active: Some(active), ..Default::default() };
    dedup_rules::update(&web.app, who, &id, input).await?;
    Ok(done(if active { "enabled" } else { "saved" }))
}

/// `POST /admin/lead-rules/goal-types`.
pub async fn add_goal(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    match goal_types::create(&web.app, staff.principal(), f.get("name")).await {
        Ok(_) => Ok(done("created")),
        Err(e) if is_form_error(&e) => {
            let form = goal_form().refused(&f, &e, &[("name", "name")]);
            render(&web, &staff, None, Forms { goal: Some(form), ..Default::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

fn rename_page(staff: &Staff, uuid: &str, name: &str, done: Option<&str>) -> ResourcePage {
    let ctx = Ctx::new(staff, format!("Goal type {name}"), "lead-rules").notice(notice(done));
    let form = Form::post("rename-form", format!("{BASE}/goal-types/{uuid}"), "Rename")
        .field(Field::text("name", "Name").value(name).required());
    ResourcePage::new(ctx).back(BASE, "Lead rules").form(form)
}

/// `GET /admin/lead-rules/goal-types/{id}`.
pub async fn goal(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let g = goal_types::list(&web.app, staff.principal(), all()?)
        .await?
        .into_iter()
        .find(|g| g.uuid == id);
    let g = g.ok_or(brokercrm_core::Error::NotFound("goal type"))?;
    rename_page(&staff, &g.uuid, &g.name, q.done()).render()
}

/// `POST /admin/lead-rules/goal-types/{id}`: renames it.
pub async fn rename_goal(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    match goal_types::rename(&web.app, staff.principal(), &id, f.get("name")).await {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}/goal-types/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let mut page = rename_page(&staff, &id, f.get("name"), None);
            let form = page.forms.remove(0).refused(&f, &e, &[("name", "name")]);
            page.form(form).render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/lead-rules/goal-types/{id}/delete`.
pub async fn delete_goal(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    goal_types::delete(&web.app, staff.principal(), &id).await?;
    Ok(done("deleted"))
}
