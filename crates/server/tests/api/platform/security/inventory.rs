//! Finding 13: every route the server answers is in `/openapi.json`.
//!
//! Axum cannot list a router's routes, so they are read from the source. Routes registered
//! with utoipa-axum's `routes!` are documented by construction (the macro takes the path and
//! method from the handler's `#[utoipa::path]`); every other registration — `.route(`,
//! `.route_service(`, `.nest(`, `.nest_service(`, `.fallback_service(`, Swagger UI's paths —
//! in `crates/http/src` and `crates/server/src` must be in the document with its methods, or
//! listed below as a deliberate exception with its reason.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::platform::rust_files;

/// Routes the server answers that are deliberately not part of the API document.
const EXCEPTIONS: [(&str, &str); 7] = [
    ("/docs", "the Swagger UI serving the document itself (can be turned off: `docs`)"),
    ("/openapi.json", "the API document itself"),
    ("/metrics", "Prometheus metrics, on their own listener (`metrics_listen`), not the API port"),
    ("/api/affiliates/v1", "the retired affiliate API v1: answers 410 Gone, pointing at v2"),
    ("/api/affiliates/v1/{*rest}", "the retired affiliate API v1: answers 410 Gone"),
    (
        "/affiliates/v2/leads",
        "alias of /api/affiliates/v2/leads without the `/api` prefix (same handlers; issue 20)",
    ),
    (
        "/affiliates/v2/goal-types",
        "alias of /api/affiliates/v2/goal-types without the `/api` prefix (same handler)",
    ),
];

/// Calls that register a route outside `routes!`.
const REGISTRATIONS: [&str; 7] = [
    ".route(",
    ".route_service(",
    ".nest(",
    ".nest_service(",
    ".fallback_service(",
    "SwaggerUi::new(",
    ".url(",
];

const METHODS: [&str; 9] =
    ["get", "post", "put", "patch", "delete", "head", "options", "trace", "any"];

/// One registration found in the source.
#[derive(Debug)]
struct Registration {
    file: PathBuf,
    path: String,
    /// Lower-case method-router functions named in the call (`get`, `post`, `any`...).
    methods: Vec<String>,
}

/// The source without line comments (doc comments mention route calls in prose).
fn code_of(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The call's arguments: from just after `(` to its matching `)`.
fn call_args(code: &str) -> &str {
    let mut depth = 1usize;
    for (i, c) in code.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &code[..i];
                }
            }
            _ => {}
        }
    }
    code
}

fn methods_in(args: &str) -> Vec<String> {
    let bytes = args.as_bytes();
    METHODS
        .iter()
        .filter(|m| {
            args.match_indices(&format!("{m}(")).any(|(i, _)| {
                i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
            })
        })
        .map(|m| (*m).to_owned())
        .collect()
}

fn registrations() -> Vec<Registration> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = rust_files(&root.join("../http/src"));
    files.extend(rust_files(&root.join("src")));
    let mut found = Vec::new();
    for file in files {
        let code = code_of(&file);
        for pattern in REGISTRATIONS {
            for (at, _) in code.match_indices(pattern) {
                let args = call_args(&code[at + pattern.len()..]);
                let literal = args.trim_start().strip_prefix('"').and_then(|r| r.split('"').next());
                let path = match (pattern, literal) {
                    // `.url(` registers a route only as Swagger UI's document path.
                    (".url(", Some(p)) if p.starts_with('/') => p,
                    (".url(", _) => continue,
                    (_, Some(p)) => p,
                    (_, None) => panic!(
                        "{}: a {pattern}..) whose path is not a literal: {args}",
                        file.display()
                    ),
                };
                found.push(Registration {
                    file: file.clone(),
                    path: path.to_owned(),
                    methods: methods_in(args),
                });
            }
        }
    }
    found
}

#[tokio::test]
async fn owasp_13_every_route_the_server_answers_is_documented() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/openapi.json").await;
    r.assert_status_ok();
    let doc: Value = r.json();
    let found = registrations();
    let mut undocumented = Vec::new();
    for reg in &found {
        if EXCEPTIONS.iter().any(|(p, _)| *p == reg.path) {
            continue;
        }
        let item = &doc["paths"][&reg.path];
        let missing: Vec<&String> =
            reg.methods.iter().filter(|m| item[m.as_str()].is_null()).collect();
        if item.is_null() || reg.methods.is_empty() || !missing.is_empty() {
            undocumented.push(format!("{} {:?} ({})", reg.path, reg.methods, reg.file.display()));
        }
    }
    assert!(
        undocumented.is_empty(),
        "routes answered but not in /openapi.json (document them with #[utoipa::path] and \
         routes!, or add a reasoned exception): {undocumented:#?}"
    );
    // The exceptions are real registrations (the list cannot rot), and the scan sees them.
    for (path, reason) in EXCEPTIONS {
        assert!(found.iter().any(|r| r.path == path), "exception {path} ({reason}) not found");
    }
}

#[tokio::test]
async fn owasp_13_the_recaptcha_settings_read_is_documented_and_guarded() {
    let t = TestApp::spawn().await;
    let doc: Value = t.server.get("/openapi.json").await.json();
    let op = &doc["paths"]["/api/settings/recaptcha"]["get"];
    assert_eq!(op["summary"], "Get reCAPTCHA settings", "{op}");
    assert_eq!(op["tags"][0], "Settings");
    assert_eq!(t.server.get("/api/settings/recaptcha").await.status_code().as_u16(), 401);
    let admin = t.admin_token().await;
    let r = t.server.get("/api/settings/recaptcha").authorization_bearer(&admin).await;
    r.assert_status_ok();
}
