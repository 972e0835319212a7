//! The portal's permission table: every route `crates/web` registers (read from its
//! `routes()` sources, so a new route cannot be missed) is called without a session and as
//! each staff role, with ids that name nothing and an empty form carrying the CSRF token, and
//! the outcome of its gate is compared with the committed `tests/portal_permissions.tsv`.
//! Outcomes: `login` (no session: sent to the login page), `403` (refused by role) and `ok`
//! (past the gate: any other answer, 404 and 422 included). Regenerate after an intended
//! change with `UPDATE_PERMISSIONS=1 cargo test -p brokercrm-server --test api portal_permission`.

use std::collections::BTreeMap;

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{Portal, location, login};

const TABLE: &str = "tests/portal_permissions.tsv";
const SOURCES: &str = "../web/src";

const ROLES: [(&str, Role); 6] = [
    ("admin", Role::Admin),
    ("manager", Role::Manager),
    ("conversion", Role::ConversionAgent),
    ("retention", Role::RetentionAgent),
    ("risk", Role::Risk),
    ("support", Role::Support),
];

/// Routes every session may use, or no session needs: not part of the table.
const OPEN: [&str; 7] = [
    "/",
    "/admin/login",
    "/admin/logout",
    "/admin/password",
    "/admin/assets/{name}",
    "/admin/{*rest}",
    "/admin/",
];

/// `(method, path)` of every route in the web crate's sources.
fn routes() -> Vec<(&'static str, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(SOURCES)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("web sources").flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    for src in files {
        for part in src.split(".route(").skip(1) {
            let Some(path) = part.trim_start().strip_prefix('"').and_then(|s| s.split('"').next())
            else {
                continue;
            };
            if OPEN.contains(&path) {
                continue;
            }
            let handlers = part.split(".route(").next().unwrap_or(part);
            let handlers = handlers.split(")\n}").next().unwrap_or(handlers);
            if handlers.contains("get(") {
                out.push(("GET", path.to_owned()));
            }
            if handlers.contains("post(") {
                out.push(("POST", path.to_owned()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Multipart forms (their CSRF token travels in the multipart body): tested by their own flows.
const MULTIPART: [&str; 2] = ["POST /admin/banners", "POST /admin/leads/import"];

/// `path` with each id naming nothing and each action a real one (so the use case's gate, not
/// the handler's parsing, answers).
fn concrete(path: &str) -> String {
    let what = if path.contains("affiliate-tokens") { "revoke" } else { "delete" };
    (path.replace("{id}", "0").replace("{cap}", "0").replace("{to}", "disabled"))
        .replace("{what}", what)
}

async fn outcome(t: &TestApp, p: Option<&Portal>, method: &str, path: &str) -> &'static str {
    let url = concrete(path);
    let r = match (p, method) {
        (Some(p), "GET") => p.get(t, &url).await,
        (Some(p), _) => p.post(t, &url, &[]).await,
        (None, "GET") => t.server.get(&url).await,
        (None, _) => t.server.post(&url).form(&[("x", "")]).await,
    };
    match r.status_code().as_u16() {
        303 | 302 if location(&r).starts_with("/admin/login") => "login",
        403 => "403",
        _ => "ok",
    }
}

#[tokio::test]
async fn portal_permission_table() {
    let t = TestApp::spawn().await;
    let mut portals = Vec::new();
    for (_, role) in ROLES {
        let u = t.user(role).create().await;
        portals.push(login(&t, &u.email, PASSWORD).await);
    }
    let mut got = BTreeMap::new();
    for (method, path) in routes() {
        if MULTIPART.contains(&format!("{method} {path}").as_str()) {
            continue;
        }
        let mut row = vec![outcome(&t, None, method, &path).await];
        for p in &portals {
            row.push(outcome(&t, Some(p), method, &path).await);
        }
        got.insert(format!("{method} {path}"), row.join("\t"));
    }
    let header = ["route", "no session"]
        .into_iter()
        .chain(ROLES.map(|(n, _)| n))
        .collect::<Vec<_>>()
        .join("\t");
    let tsv: String = std::iter::once(header)
        .chain(got.iter().map(|(k, v)| format!("{k}\t{v}")))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    if std::env::var("UPDATE_PERMISSIONS").is_ok() {
        std::fs::write(TABLE, &tsv).expect("write the table");
        return;
    }
    let want = std::fs::read_to_string(TABLE).unwrap_or_default();
    let want: BTreeMap<&str, &str> =
        want.lines().skip(1).filter_map(|l| l.split_once('\t')).collect();
    let mut diff = Vec::new();
    for (route, row) in &got {
        match want.get(route.as_str()) {
            None => diff.push(format!("{route}: no row in the table (answers {row})")),
            Some(w) if w != row => diff.push(format!("{route}: expected {w}, got {row}")),
            _ => {}
        }
    }
    diff.extend(
        want.keys()
            .filter(|r| !got.contains_key(**r))
            .map(|r| format!("{r}: in the table but not served")),
    );
    assert!(diff.is_empty(), "the portal's permission table changed:\n{}", diff.join("\n"));
    // Every route refuses a caller without a session.
    assert!(got.values().all(|row| row.starts_with("login")), "{got:?}");
}
