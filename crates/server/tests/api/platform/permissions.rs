//! The permission matrix: every operation in `/openapi.json` is called as anonymous, a
//! customer, an affiliate and each staff role, and the outcome of its role gate is compared
//! with the committed table `tests/permissions.tsv` (`docs/permissions.md` is generated from
//! it). A route without a row fails, as does a row whose outcome changed.
//!
//! Outcomes: `401` (not authenticated), `403` (authenticated, refused by role) and `ok` (the
//! request got past the role gate: any other status, 404 and 422 included — object-level scope
//! is tested per context). Path parameters name objects that do not exist; query and body are
//! built from the operation's description (see `requests`). After an intended change, regenerate both files with
//! `UPDATE_PERMISSIONS=1 cargo test -p brokercrm-server --test api permission_matrix`.

use std::collections::BTreeMap;

use axum::http::Method;
use brokercrm_core::identity::auth::Role;
use serde_json::Value;

use requests::{Body, Call};

use crate::helpers::TestApp;

mod requests;

const TABLE: &str = "tests/permissions.tsv";
const DOC: &str = "../../docs/permissions.md";

/// The callers, in column order: `None` is anonymous.
const CALLERS: [(&str, Option<Role>); 9] = [
    ("anonymous", None),
    ("customer", Some(Role::Customer)),
    ("affiliate", Some(Role::Affiliate)),
    ("admin", Some(Role::Admin)),
    ("manager", Some(Role::Manager)),
    ("conversion", Some(Role::ConversionAgent)),
    ("retention", Some(Role::RetentionAgent)),
    ("risk", Some(Role::Risk)),
    ("support", Some(Role::Support)),
];

/// The stricter of the answers: 401 before 403 before anything else.
fn outcome(statuses: &[u16]) -> &'static str {
    if statuses.contains(&401) {
        "401"
    } else if statuses.contains(&403) {
        "403"
    } else {
        "ok"
    }
}

/// The table as the server answers it today: "METHOD path" → one outcome per caller.
///
/// Each operation is sent twice per caller — with only the required parameters and
/// properties, and with every documented one — and the stricter answer counts, so a
/// handler that checks its input before the caller's role cannot pass as open. Each call is
/// made by a user of its own, so an operation that changes its caller (disabling the
/// account, changing the password) cannot decide a later outcome.
async fn observed(t: &TestApp) -> BTreeMap<String, Vec<&'static str>> {
    let doc: Value = t.server.get("/openapi.json").await.json();
    let variants = [requests::calls(&doc, false), requests::calls(&doc, true)];
    let mut table = BTreeMap::new();
    for n in 0..variants[0].len() {
        let mut row = Vec::new();
        for (c, (_, role)) in CALLERS.iter().enumerate() {
            let mut statuses = Vec::new();
            for (v, calls) in variants.iter().enumerate() {
                // Each call its own client address, so per-IP limits never decide an outcome.
                let ip = format!("10.{}.{}.{}", c * 2 + v + 1, n / 250, n % 250 + 1);
                statuses.push(send(t, &calls[n], *role, ip).await);
            }
            row.push(outcome(&statuses));
        }
        let call = &variants[0][n];
        table.insert(format!("{} {}", call.method, call.template), row);
    }
    table
}

/// Sends `call` as a new user of `role` (anonymous for `None`) from `ip`; returns the status.
async fn send(t: &TestApp, call: &Call, role: Option<Role>, ip: String) -> u16 {
    let method = Method::from_bytes(call.method.as_bytes()).expect("method");
    let mut req = t.server.method(method, &call.path).add_header("X-Forwarded-For", ip);
    if !call.query.is_empty() {
        req = req.add_query_params(&call.query);
    }
    req = match &call.body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Form(v) => req.form(v),
        Body::Multipart(v) => req.multipart(requests::multipart(v)),
    };
    if let Some(role) = role {
        req = req.authorization_bearer(t.user(role).create().await.token);
    }
    req.await.status_code().as_u16()
}

fn render_tsv(table: &BTreeMap<String, Vec<&'static str>>) -> String {
    let mut out = String::from("operation");
    for (name, _) in CALLERS {
        out.push('\t');
        out.push_str(name);
    }
    out.push('\n');
    for (op, row) in table {
        out.push_str(op);
        for cell in row {
            out.push('\t');
            out.push_str(cell);
        }
        out.push('\n');
    }
    out
}

fn render_doc(table: &BTreeMap<String, Vec<&'static str>>) -> String {
    let mut out = String::from(
        "# Permissions\n\n\
         Generated from `crates/server/tests/permissions.tsv` by the test \
         `platform::permissions::permission_matrix` — do not edit by hand.\n\n\
         Every operation in `/openapi.json`, called by each kind of caller (a new user each \
         time) with a path that names nothing and a query and body built from the \
         operation's description, once with the required fields only and once with all. `401`: not authenticated; `403`: refused by role; \
         `ok`: past the role gate (what the caller may then see is narrowed by scope: a \
         manager's desk, an agent's assignments, a customer's or affiliate's own records — \
         see `docs/security.md`).\n\n",
    );
    out.push_str("| operation |");
    for (name, _) in CALLERS {
        out.push_str(&format!(" {name} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(CALLERS.len()));
    out.push('\n');
    for (op, row) in table {
        out.push_str(&format!("| `{op}` |"));
        for cell in row {
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn permission_matrix() {
    let t = TestApp::spawn().await;
    let table = observed(&t).await;
    let (tsv, doc) = (render_tsv(&table), render_doc(&table));
    if std::env::var("UPDATE_PERMISSIONS").is_ok() {
        std::fs::write(TABLE, &tsv).expect("write the table");
        std::fs::write(DOC, &doc).expect("write the document");
        return;
    }
    let want = std::fs::read_to_string(TABLE).expect("tests/permissions.tsv");
    let mut diff = Vec::new();
    let want_rows: BTreeMap<&str, &str> =
        want.lines().skip(1).filter_map(|l| l.split_once('\t')).collect();
    let got_rows: BTreeMap<&str, &str> =
        tsv.lines().skip(1).filter_map(|l| l.split_once('\t')).collect();
    for (op, got) in &got_rows {
        match want_rows.get(op) {
            None => diff.push(format!("{op}: no row in the table (answers {got})")),
            Some(want) if want != got => diff.push(format!("{op}: expected {want}, got {got}")),
            _ => {}
        }
    }
    for op in want_rows.keys().filter(|op| !got_rows.contains_key(*op)) {
        diff.push(format!("{op}: in the table but not in /openapi.json"));
    }
    assert!(
        diff.is_empty(),
        "the permission matrix changed (columns: {}):\n{}",
        CALLERS.map(|(n, _)| n).join(" "),
        diff.join("\n")
    );
    let on_disk = std::fs::read_to_string(DOC).unwrap_or_default();
    assert!(on_disk == doc, "docs/permissions.md is stale: regenerate it (see the module doc)");
}

/// Every staff-only operation refuses customers and affiliates, and only the login, sign-up,
/// recovery and public-settings operations answer anonymous callers.
#[test]
fn the_committed_table_keeps_customers_and_anonymous_callers_out() {
    let table = std::fs::read_to_string(TABLE).expect("tests/permissions.tsv");
    let public: Vec<&str> = table
        .lines()
        .skip(1)
        .filter(|l| l.split('\t').nth(1) == Some("ok"))
        .filter_map(|l| l.split('\t').next())
        .collect();
    for op in &public {
        assert!(PUBLIC.contains(op), "{op} answers anonymous callers but is not listed as public");
    }
}

/// Operations anyone may call, each for its reason. Everything else answers 401 without a
/// token (operations that authenticate by a key of their own — affiliate API, lead provider,
/// advertiser postbacks — answer 401 to a bearer token too).
const PUBLIC: &[&str] = &[
    // Signing in, out and up, and getting back in.
    "DELETE /api/sessions",
    "POST /oauth/logout",
    "GET /oauth/authorize",
    "POST /api/users",
    "POST /api/users/verify",
    "POST /api/forgot-password",
    "POST /api/forgot-password/reset",
    // What the sign-up and landing pages show before anyone is signed in.
    "GET /api/countries",
    "GET /api/users/country-by-ip",
    "GET /api/leads/signup-code",
    "GET /api/settings/captcha-site-key",
    "GET /api/settings/{key}",
    // Which fields a form (sign-up included) shows and requires: configuration, no data.
    "GET /api/forms/{step}",
    "GET /api/onboarding-stages",
    "GET /api/onboarding-steps",
    // Unguessable links: a profile picture's token is its capability.
    "GET /api/profile-pictures/{token}",
    // "Get file by token": a 60-second single-use file token is its capability.
    "GET /api/files/{token}",
    "GET /api/banners/files/{token}",
    // Market-data links (seed 003): the single-use signup wizard and the profile page; their
    // token is their capability. The token verification key is public by design.
    "GET /market-data/signup/{token}",
    "POST /market-data/signup/{token}",
    "GET /market-data/profile/{token}",
    "GET /.well-known/market-data-jwks.json",
    // Payment providers call back; the callback is verified by the provider's signature.
    "POST /api/payment-providers/{id}/callback",
    "GET /api/health",
    // Seed 004 authenticates by its tenant headers and answers every refusal in its own
    // envelope with HTTP 200 (BW_API_0000001/3/4); a promotion link's click is public by
    // design (docs/commissions.md).
    "POST /v1/api/introduce/create",
    "GET /introduce",
];
