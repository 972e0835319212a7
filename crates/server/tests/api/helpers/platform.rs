//! The audit log as tests read it: through `GET /api/activities` as an admin sees it, or
//! counted straight from the store.

use brokercrm_store::repo::platform::activities::{ActivityFilter, list};
use serde_json::{Value, json};

use super::TestApp;

/// Audit entries of `kind` (the first 100), as `admin` sees them.
pub async fn audits(t: &TestApp, admin: &str, kind: &str) -> Vec<Value> {
    let r = t
        .server
        .get("/api/activities")
        .add_query_param("limit", 100)
        .add_query_param("offset", 0)
        .add_query_param("filter", json!({ "type": kind }).to_string())
        .authorization_bearer(admin)
        .await;
    r.assert_status_ok();
    r.json::<Value>()["activities"].as_array().unwrap().clone()
}

/// How many audit entries of `kind` `admin` sees (at most 100).
pub async fn audit_count(t: &TestApp, admin: &str, kind: &str) -> usize {
    audits(t, admin, kind).await.len()
}

/// How many audit entries of `kind` the store holds.
pub async fn audited(t: &TestApp, kind: &str) -> u64 {
    let f = ActivityFilter { kind: Some(kind.to_owned()), ..Default::default() };
    list(t.app.db().conn(), &f, 1, 0).await.unwrap().1
}

/// The latest `limit` audit entries as `admin` sees them, newest first: the response body
/// and the entries' types.
pub async fn latest_audits(t: &TestApp, admin: &str, limit: usize) -> (Value, Vec<String>) {
    let r = t
        .server
        .get(&format!("/api/activities?limit={limit}&offset=0"))
        .authorization_bearer(admin)
        .await;
    let acts: Value = r.json();
    let kinds = acts["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap().to_owned())
        .collect();
    (acts, kinds)
}

/// Every `.rs` file under `dir`, sorted (source-reading tests: inventory, guards, schemas).
pub fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable source tree").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}
