//! One e-mail template (ManageEmailTemplates): new or edited — enabled, title, trigger,
//! subject, MJML body, text part and conditions — with a preview rendered from what was typed
//! with the trigger's sample values (the checks of a save: a part that does not compile is
//! shown beside its field with the line and reason), and a test sent to the user's own
//! address (`messaging::templates::{get, create, update, preview, send_test}`). The HTML
//! preview is shown in a sandboxed `<iframe srcdoc>` (no scripts, no same origin).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::messaging::render::Rendered;
use brokercrm_app::messaging::templates::{self, TemplateInput, TemplateView};
use brokercrm_core::messaging::conditions::Conditions;
use brokercrm_core::{Error, Violations};

use super::email_templates::BASE;
use crate::Web;
use crate::error::{WebError, html_status};
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Field, Form, Values};
use crate::session::Staff;

#[derive(Template)]
#[template(path = "email_template.html")]
struct EditPage {
    ctx: Ctx,
    form: Form,
    /// Each trigger with its variables.
    triggers: Vec<(String, String)>,
    preview: Option<Rendered>,
    /// The stored template's id (for the test and delete forms).
    saved: Option<String>,
}

/// The form of template `t` (`None`: a new one); `key` is its id or `new`.
fn form(t: Option<&TemplateView>, key: &str) -> Form {
    let c = t.and_then(|t| Conditions::parse(&t.conditions).ok()).unwrap_or_default();
    let (action, legend) = match t {
        Some(t) => (format!("{BASE}/{}", t.id), format!("Template {}", t.title)),
        None => (BASE.to_owned(), "New e-mail template".to_owned()),
    };
    let trig = templates::triggers()
        .into_iter()
        .map(|x| (x.name.to_owned(), format!("{} — {}", x.name, x.description)));
    let get = |f: fn(&TemplateView) -> &String| t.map(|t| f(t).clone()).unwrap_or_default();
    Form::post("template-form", action, legend)
        .button("preview", "Preview", format!("{BASE}/{key}/preview"))
        .field(Field::checkbox("enabled", "Enabled").checked(t.is_none_or(|t| t.enabled)))
        .field(Field::text("title", "Title").value(get(|t| &t.title)).required())
        .field(Field::select("trigger", "Trigger", trig).value(get(|t| &t.trigger)).required())
        .field(Field::text("subject", "Subject").value(get(|t| &t.subject)))
        .field(
            Field::input("code", "mjml", "Body (MJML)")
                .value(get(|t| &t.mjml))
                .hint("Variables as {{ firstname }}; values are HTML-escaped."),
        )
        .field(Field::input("code", "txt", "Text part").value(get(|t| &t.txt)))
        .field(
            Field::text("countries", "Only customers of countries (ISO codes, comma separated)")
                .value(c.countries.join(", ")),
        )
        .field(
            Field::text("languages", "Only customers speaking (ISO 639-1, comma separated)")
                .value(c.languages.join(", ")),
        )
        .field(
            Field::select(
                "account_type",
                "Only customers with a wallet of",
                [("", "any book"), ("real", "real"), ("demo", "demo")],
            )
            .value(c.account_type.unwrap_or_default()),
        )
        .field(
            Field::text("groups", "Only customers in trading groups (ids, comma separated)")
                .value(c.groups.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
        )
}

fn list_of(f: &Values, name: &str) -> Vec<String> {
    f.get(name).split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The template as typed; group ids that are not numbers are named by their field.
fn input(f: &Values) -> Result<TemplateInput, Error> {
    let mut v = Violations::new();
    let groups: Vec<i64> = list_of(f, "groups")
        .iter()
        .filter_map(|g| {
            let n = g.parse::<i64>().ok();
            if n.is_none() {
                v.push("groups", format!("'{g}' is not a group id"));
            }
            n
        })
        .collect();
    v.finish()?;
    let conditions = serde_json::json!({
        "countries": list_of(f, "countries"),
        "languages": list_of(f, "languages"),
        "accountType": f.opt("account_type"),
        "groups": groups,
    });
    Ok(TemplateInput {
        enabled: Some(f.checked("enabled")),
        title: Some(f.get("title").to_owned()),
        subject: Some(f.get("subject").to_owned()),
        mjml: Some(
            f.0.iter().find(|(k, _)| k == "mjml").map(|(_, v)| v.clone()).unwrap_or_default(),
        ),
        txt: Some(f.0.iter().find(|(k, _)| k == "txt").map(|(_, v)| v.clone()).unwrap_or_default()),
        trigger: Some(f.get("trigger").to_owned()),
        conditions: Some(conditions),
    })
}

/// `e` with the conditions' fields (`conditions.countries[0]`) named by the form's.
fn named(e: Error) -> Error {
    let Error::Validation(list) = e else { return e };
    let rename = |field: &str| -> String {
        for (prefix, to) in [
            ("conditions.countries", "countries"),
            ("conditions.languages", "languages"),
            ("conditions.accountType", "account_type"),
            ("conditions.groups", "groups"),
        ] {
            if field.starts_with(prefix) {
                return to.to_owned();
            }
        }
        field.to_owned()
    };
    Error::Validation(
        list.into_iter()
            .map(|mut f| {
                f.field = rename(&f.field);
                f
            })
            .collect(),
    )
}

fn render(
    staff: &Staff,
    title: String,
    done: Option<&str>,
    form: Form,
    preview: Option<Rendered>,
    saved: Option<String>,
) -> Result<Response, WebError> {
    let refused = !form.general.is_empty() || form.fields.iter().any(|f| f.error.is_some());
    let triggers = templates::triggers()
        .into_iter()
        .map(|t| (t.name.to_owned(), t.variables.join(", ")))
        .collect();
    let ctx = Ctx::new(staff, title, "email-templates").notice(notice(done));
    let page = EditPage { ctx, form, triggers, preview, saved };
    let code = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    html_status(code, &page)
}

/// `GET /admin/email-templates/new`.
pub async fn new(staff: Staff) -> Result<Response, WebError> {
    // Only a form: creating is refused by the use case, this spares the others an unusable page.
    staff.principal().require(brokercrm_core::Permission::ManageEmailTemplates)?;
    render(&staff, "New e-mail template".into(), None, form(None, "new"), None, None)
}

/// `GET /admin/email-templates/{id}`: the form and a preview of the stored template.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let t = templates::get(&web.app, staff.principal(), &id).await?;
    let typed = TemplateInput {
        enabled: Some(t.enabled),
        title: Some(t.title.clone()),
        subject: Some(t.subject.clone()),
        mjml: Some(t.mjml.clone()),
        txt: Some(t.txt.clone()),
        trigger: Some(t.trigger.clone()),
        conditions: Some(t.conditions.clone()),
    };
    let preview = templates::preview(staff.principal(), typed).ok();
    let f = form(Some(&t), &t.id);
    render(&staff, t.title.clone(), q.done(), f, preview, Some(t.id))
}

/// The stored template `id` for the form's frame (`new`: none).
async fn stored(web: &Web, staff: &Staff, id: &str) -> Result<Option<TemplateView>, WebError> {
    if id == "new" {
        return Ok(None);
    }
    Ok(Some(templates::get(&web.app, staff.principal(), id).await?))
}

/// The page of `id` shown again with what was typed and the errors of `e`.
async fn refused(
    web: &Web,
    staff: &Staff,
    id: &str,
    f: &Values,
    e: &Error,
    preview: Option<Rendered>,
) -> Result<Response, WebError> {
    let t = stored(web, staff, id).await?;
    let title = t.as_ref().map_or("New e-mail template".to_owned(), |t| t.title.clone());
    let form = form(t.as_ref(), id).refused(f, e, &[]);
    render(staff, title, None, form, preview, t.map(|t| t.id))
}

/// `POST /admin/email-templates`.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let made = match input(&f) {
        Ok(i) => templates::create(&web.app, staff.principal(), i).await,
        Err(e) => Err(e),
    };
    match made.map_err(named) {
        Ok(t) => Ok(Redirect::to(&format!("{BASE}/{}?done=created", t.id)).into_response()),
        Err(e) if is_form_error(&e) => refused(&web, &staff, "new", &f, &e, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/email-templates/{id}`.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let saved = match input(&f) {
        Ok(i) => templates::update(&web.app, staff.principal(), &id, i).await,
        Err(e) => Err(e),
    };
    match saved.map_err(named) {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => refused(&web, &staff, &id, &f, &e, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/email-templates/{id}/preview` (`new` for an unsaved one): nothing stored.
pub async fn preview(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let shown = input(&f).and_then(|i| templates::preview(staff.principal(), i)).map_err(named);
    match shown {
        Ok(r) => {
            let t = stored(&web, &staff, &id).await?;
            let title = t.as_ref().map_or("New e-mail template".to_owned(), |t| t.title.clone());
            let form = form(t.as_ref(), &id).refused(&f, &Error::Validation(vec![]), &[]);
            render(&staff, title, None, form, Some(r), t.map(|t| t.id))
        }
        Err(e) if is_form_error(&e) => refused(&web, &staff, &id, &f, &e, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/email-templates/{id}/test`: the stored template with sample values, queued to
/// the user's own address.
pub async fn send_test(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<crate::form::Empty>,
) -> Result<Response, WebError> {
    templates::send_test(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to(&format!("{BASE}/{id}?done=test")).into_response())
}
