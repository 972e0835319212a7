//! CRM deduplication rules: a lead whose email or phone was seen within the window (across
//! all affiliates, or within the same affiliate's leads) is refused (`CRM_DUPLICATION_ERROR`).

use brokercrm_core::distribution::rules::{DedupField, DedupScope};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::repo::distribution::dedup_rules::{self, DedupRuleData, DedupRuleRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Page, new_uuid};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Allowed windows: one minute to one year, in seconds.
pub const WINDOW_SECS: std::ops::RangeInclusive<i64> = 60..=31_536_000;

/// A rule as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DedupRuleDto)]
pub struct DedupRuleView {
    pub uuid: String,
    /// `email` or `phone`.
    pub field: String,
    /// `global` (all affiliates) or `affiliate` (the same affiliate's leads).
    pub scope: String,
    /// 60-31536000.
    pub window_secs: i64,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<DedupRuleRow> for DedupRuleView {
    fn from(r: DedupRuleRow) -> Self {
        Self {
            uuid: r.uuid,
            field: r.field,
            scope: r.scope,
            window_secs: r.window_secs,
            active: r.active,
            created_at: r.created_at,
        }
    }
}

/// A rule as sent by staff; in a patch `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct DedupRuleInput {
    pub field: Option<String>,
    pub scope: Option<String>,
    pub window_secs: Option<i64>,
    pub active: Option<bool>,
}

fn checked(i: DedupRuleInput, old: Option<&DedupRuleRow>) -> Result<DedupRuleData> {
    let mut v = Violations::new();
    let field = i.field.or_else(|| old.map(|o| o.field.clone())).unwrap_or_default();
    let field = v.check(DedupField::parse("field", field.trim()));
    let scope = i.scope.or_else(|| old.map(|o| o.scope.clone())).unwrap_or_default();
    let scope = v.check(DedupScope::parse("scope", scope.trim()));
    let window = i.window_secs.or(old.map(|o| o.window_secs));
    match window {
        Some(w) if WINDOW_SECS.contains(&w) => {}
        _ => v.push("windowSecs", "must be 60 to 31536000 seconds"),
    }
    v.finish()?;
    let (Some(field), Some(scope), Some(window_secs)) = (field, scope, window) else {
        return Err(Error::internal("dedup rule validation incomplete"));
    };
    Ok(DedupRuleData {
        field: field.as_str().to_owned(),
        scope: scope.as_str().to_owned(),
        window_secs,
        active: i.active.or(old.map(|o| o.active)).unwrap_or(true),
    })
}

/// Rules by id.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<Vec<DedupRuleView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let rows = dedup_rules::list(app.db().conn(), page.offset, page.limit).await?;
    Ok(rows.into_iter().map(DedupRuleView::from).collect())
}

/// Creates a rule (`field`, `scope` and `windowSecs` required). Audited.
pub async fn create(app: &App, actor: &Principal, input: DedupRuleInput) -> Result<DedupRuleView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let data = checked(input, None)?;
    let tx = app.db().begin_write().await?;
    let view = DedupRuleView::from(dedup_rules::insert(&tx, &new_uuid(), data).await?);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("dedup_rule.create", "dedup_rule", view.uuid.clone())
            .details(format!(
                "dedup rule on {} ({}, {} s) created",
                view.field, view.scope, view.window_secs
            ))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Changes the fields sent. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    uuid: &str,
    input: DedupRuleInput,
) -> Result<DedupRuleView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = dedup_rules::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("dedup rule"))?;
    let data = checked(input, Some(&old))?;
    dedup_rules::update(&tx, old.id, data.clone()).await?;
    let before = DedupRuleView::from(old);
    let after = DedupRuleView {
        field: data.field,
        scope: data.scope,
        window_secs: data.window_secs,
        active: data.active,
        ..before.clone()
    };
    audit::record(
        &tx,
        Some(actor),
        Audit::new("dedup_rule.update", "dedup_rule", uuid)
            .details("dedup rule updated")
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Deletes a rule. Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = dedup_rules::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("dedup rule"))?;
    dedup_rules::delete(&tx, old.id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("dedup_rule.delete", "dedup_rule", uuid)
            .details("dedup rule deleted")
            .before(&DedupRuleView::from(old)),
    )
    .await?;
    super::commit_config(app, tx).await
}
