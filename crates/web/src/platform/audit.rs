//! The audit log: every admin write, newest first, filtered by type, entity, entity id and a
//! search in the details ("List all activities"; ReadActivities).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use brokercrm_app::platform::activities::{self, Activity, ListParams};
use serde::Deserialize;

use crate::Web;
use crate::error::{WebError, html};
use crate::layout::Ctx;
use crate::list::Pager;
use crate::session::Staff;

const LIMIT: u64 = 50;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: u64,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    f: AuditQuery,
    rows: Vec<Activity>,
    pager: Pager,
}

/// `GET /admin/audit`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Query(f): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let mut filter = serde_json::Map::new();
    for (k, v) in
        [("type", &f.kind), ("entity", &f.entity), ("entityId", &f.entity_id), ("search", &f.q)]
    {
        if !v.trim().is_empty() {
            filter.insert(k.into(), v.trim().into());
        }
    }
    let params = ListParams {
        limit: Some(LIMIT.to_string()),
        offset: Some(f.offset.to_string()),
        filter: Some(serde_json::Value::Object(filter).to_string()),
    };
    let (rows, total) = activities::list(&web.app, staff.principal(), &params).await?;
    let query = vec![
        ("type".to_owned(), f.kind.clone()),
        ("entity".to_owned(), f.entity.clone()),
        ("entity_id".to_owned(), f.entity_id.clone()),
        ("q".to_owned(), f.q.clone()),
    ];
    let pager = Pager::new("/admin/audit", &query, f.offset, LIMIT, rows.len(), total);
    html(&AuditPage { ctx: Ctx::new(&staff, "Audit log", "audit"), f, rows, pager })
}
