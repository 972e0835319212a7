//! Seed 002 tag Emails: templates (enabled, title, subject, MJML body, plain-text part,
//! trigger, conditions) — list, create, get, update, delete, send a test to the caller, preview
//! an unsaved one with sample values (the portal's) — and the triggers. ManageEmailTemplates;
//! writes audited. A template is checked before it is stored: its trigger exists, its
//! conditions parse, and every part compiles and renders.

use brokercrm_core::messaging::conditions::Conditions;
use brokercrm_core::messaging::triggers::{CUSTOMER_VARIABLES, Trigger};
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Permission, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::messaging::email_templates::{
    self as repo, TemplateFields, TemplateRow,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::render::{self, Parts, Vars};
use crate::identity::users::current_user;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A template as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EmailTemplate)]
pub struct TemplateView {
    pub id: String,
    pub enabled: bool,
    pub title: String,
    pub subject: String,
    pub mjml: String,
    pub txt: String,
    /// A trigger name from "Get email triggers".
    pub trigger: String,
    /// `{"countries": [...], "languages": [...], "accountType": "real"|"demo", "groups": [ids]}`.
    #[schema(value_type = Object)]
    pub conditions: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TemplateRow> for TemplateView {
    fn from(r: TemplateRow) -> Self {
        Self {
            id: r.uuid,
            enabled: r.enabled,
            title: r.title,
            subject: r.subject,
            mjml: r.mjml,
            txt: r.txt,
            trigger: r.trigger_name,
            conditions: serde_json::from_str(&r.conditions).unwrap_or(serde_json::json!({})),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A trigger and the variables its templates may use.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = EmailTrigger)]
pub struct TriggerView {
    pub name: &'static str,
    pub description: &'static str,
    pub variables: Vec<&'static str>,
}

/// A template's fields as sent (absent fields keep their value on update).
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub enabled: Option<bool>,
    pub title: Option<String>,
    pub subject: Option<String>,
    pub mjml: Option<String>,
    pub txt: Option<String>,
    pub trigger: Option<String>,
    pub conditions: Option<serde_json::Value>,
}

/// Sample values for every variable of `trigger` (checks and test sends).
pub fn sample_vars(trigger: Option<Trigger>) -> Vars {
    let mut v: Vars =
        CUSTOMER_VARIABLES.iter().map(|k| ((*k).to_owned(), format!("[{k}]"))).collect();
    for k in trigger.map(Trigger::variables).unwrap_or_default() {
        v.insert((*k).to_owned(), format!("[{k}]"));
    }
    v
}

/// Every trigger.
pub fn triggers() -> Vec<TriggerView> {
    Trigger::ALL
        .into_iter()
        .map(|t| {
            let mut variables: Vec<&'static str> = CUSTOMER_VARIABLES.to_vec();
            variables.extend_from_slice(t.variables());
            TriggerView { name: t.as_str(), description: t.description(), variables }
        })
        .collect()
}

fn checked(input: TemplateInput, base: Option<&TemplateRow>) -> Result<TemplateFields> {
    let or = |v: Option<String>, f: fn(&TemplateRow) -> &String| {
        v.or_else(|| base.map(|b| f(b).clone())).unwrap_or_default()
    };
    let title = text("title", &or(input.title, |b| &b.title), 200)?;
    let trigger_name = or(input.trigger, |b| &b.trigger_name);
    let trigger = Trigger::parse(&trigger_name).ok_or_else(|| {
        Error::field(
            "trigger",
            format!("unknown trigger '{}'; see GET /api/emails/triggers", trigger_name.trim()),
        )
    })?;
    let subject = or(input.subject, |b| &b.subject);
    if subject.chars().count() > 300 {
        return Err(Error::field("subject", "must be at most 300 characters"));
    }
    let mjml = or(input.mjml, |b| &b.mjml);
    let txt = or(input.txt, |b| &b.txt);
    if mjml.len() > 200_000 || txt.len() > 100_000 {
        return Err(Error::field(if mjml.len() > 200_000 { "mjml" } else { "txt" }, "is too long"));
    }
    if mjml.trim().is_empty() && txt.trim().is_empty() {
        return Err(Error::field("txt", "is required when there is no mjml body"));
    }
    let conditions = match input.conditions {
        Some(v) if v.is_null() => Conditions::default(),
        Some(v) => Conditions::parse(&v)?,
        None => base
            .and_then(|b| serde_json::from_str::<serde_json::Value>(&b.conditions).ok())
            .map(|v| Conditions::parse(&v))
            .transpose()?
            .unwrap_or_default(),
    };
    render::check(
        Parts { subject: &subject, mjml: &mjml, txt: &txt },
        &sample_vars(Some(trigger)),
    )?;
    Ok(TemplateFields {
        enabled: input.enabled.or(base.map(|b| b.enabled)).unwrap_or(true),
        title,
        subject,
        mjml,
        txt,
        trigger_name: trigger.as_str().to_owned(),
        conditions: serde_json::to_string(&conditions).map_err(Error::internal)?,
    })
}

async fn find(app: &App, id: &str) -> Result<TemplateRow> {
    repo::find_by_uuid(app.db().conn(), id.trim()).await?.ok_or(Error::NotFound("email template"))
}

/// "Get emails".
pub async fn list(app: &App, who: &Principal) -> Result<Vec<TemplateView>> {
    who.require(Permission::ManageEmailTemplates)?;
    Ok(repo::all(app.db().conn()).await?.into_iter().map(Into::into).collect())
}

/// "Get email template by ID".
pub async fn get(app: &App, who: &Principal, id: &str) -> Result<TemplateView> {
    who.require(Permission::ManageEmailTemplates)?;
    find(app, id).await.map(Into::into)
}

/// "Create email template".
pub async fn create(app: &App, who: &Principal, input: TemplateInput) -> Result<TemplateView> {
    who.require(Permission::ManageEmailTemplates)?;
    if input.trigger.is_none() {
        return Err(Error::field("trigger", "is required"));
    }
    let fields = checked(input, None)?;
    let tx = app.db().begin_write().await?;
    let row = repo::insert(&tx, &uuid::Uuid::now_v7().to_string(), fields).await?;
    let view = TemplateView::from(row);
    audit::record(
        &tx,
        Some(who),
        Audit::new("email_template.create", "email_template", view.id.clone())
            .details(format!("template '{}' on {}", view.title, view.trigger))
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

/// "Update email template by ID".
pub async fn update(
    app: &App,
    who: &Principal,
    id: &str,
    input: TemplateInput,
) -> Result<TemplateView> {
    who.require(Permission::ManageEmailTemplates)?;
    let row = find(app, id).await?;
    let fields = checked(input, Some(&row))?;
    let tx = app.db().begin_write().await?;
    let before = TemplateView::from(row.clone());
    let view = TemplateView::from(repo::update(&tx, row, fields).await?);
    audit::record(
        &tx,
        Some(who),
        Audit::new("email_template.update", "email_template", view.id.clone())
            .details(format!("template '{}' on {}", view.title, view.trigger))
            .before(&before)
            .after(&view),
    )
    .await?;
    commit(tx).await?;
    Ok(view)
}

/// "Delete email template by ID".
pub async fn delete(app: &App, who: &Principal, id: &str) -> Result<()> {
    who.require(Permission::ManageEmailTemplates)?;
    let row = find(app, id).await?;
    let tx = app.db().begin_write().await?;
    repo::delete(&tx, row.id).await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("email_template.delete", "email_template", row.uuid.clone())
            .details(format!("template '{}' deleted", row.title))
            .before(&TemplateView::from(row)),
    )
    .await?;
    commit(tx).await?;
    Ok(())
}

/// A preview of a template as typed, not stored: the same checks as a save (trigger,
/// conditions, every part compiles), then rendered with the trigger's sample values.
pub fn preview(who: &Principal, input: TemplateInput) -> Result<render::Rendered> {
    who.require(Permission::ManageEmailTemplates)?;
    let fields = checked(input, None)?;
    let parts = Parts { subject: &fields.subject, mjml: &fields.mjml, txt: &fields.txt };
    render::render(parts, &sample_vars(Trigger::parse(&fields.trigger_name)))
}

/// "Send test email": the template with sample values, to the caller's own address; returns
/// that address.
pub async fn send_test(app: &App, who: &Principal, id: &str) -> Result<String> {
    who.require(Permission::ManageEmailTemplates)?;
    let row = find(app, id).await?;
    let me = current_user(app, who).await?;
    let vars = sample_vars(Trigger::parse(&row.trigger_name));
    let r = render::render(Parts { subject: &row.subject, mjml: &row.mjml, txt: &row.txt }, &vars)?;
    let tx = app.db().begin_write().await?;
    super::delivery::queue(&tx, None, &me.email, r).await?;
    commit(tx).await?;
    Ok(me.email)
}
