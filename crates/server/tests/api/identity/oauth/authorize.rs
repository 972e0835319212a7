//! OAuth authorize endpoint: redirects only to registered URIs; errors redirect with state.

use axum::http::StatusCode;
use brokercrm_app::identity::oauth::s256_challenge;
use brokercrm_core::identity::auth::Role;
use serde_json::Value;

use super::{CB, VERIFIER, authorize, location_params, register_client};
use crate::helpers::TestApp;

#[tokio::test]
async fn authorize_never_redirects_to_an_unregistered_uri() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, _) = register_client(&t, &admin).await;
    let user = t.user(Role::Customer).create().await.token;
    let ch = s256_challenge(VERIFIER);
    for (client, uri) in [
        (id.as_str(), "https://evil.example.com/cb"),
        (id.as_str(), "https://cashier.example.com/callback/x"),
        ("unknown", CB),
    ] {
        let r = authorize(
            &t,
            Some(&user),
            &[
                ("client_id", client),
                ("redirect_uri", uri),
                ("response_type", "code"),
                ("state", "s"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
        r.assert_status_bad_request();
        assert!(r.maybe_header("location").is_none());
        assert!(r.json::<Value>()["error"].is_string());
    }
}

#[tokio::test]
async fn authorize_errors_redirect_with_state() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, _) = register_client(&t, &admin).await;
    let user = t.user(Role::Customer).create().await.token;
    let ch = s256_challenge(VERIFIER);
    // (bearer token, extra query parameters, expected error)
    type Case<'a> = (Option<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            Some(&user),
            vec![
                ("response_type", "token"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
            ],
            "unsupported_response_type",
        ),
        (Some(&user), vec![("response_type", "code")], "invalid_request"),
        (
            Some(&user),
            vec![
                ("response_type", "code"),
                ("code_challenge", VERIFIER),
                ("code_challenge_method", "plain"),
            ],
            "invalid_request",
        ),
        (
            None,
            vec![
                ("response_type", "code"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
            ],
            "login_required",
        ),
        (
            Some("not-a-token"),
            vec![
                ("response_type", "code"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
            ],
            "login_required",
        ),
    ];
    for (tok, extra, expected) in cases {
        let mut params = vec![
            ("client_id", id.as_str()),
            ("redirect_uri", "http://localhost:3000/cb"),
            ("state", "st"),
        ];
        params.extend(extra);
        let r = authorize(&t, tok, &params).await;
        r.assert_status(StatusCode::FOUND);
        let (base, p) = location_params(&r);
        assert_eq!(base, "http://localhost:3000/cb");
        assert_eq!(p.get("error").map(String::as_str), Some(expected), "{p:?}");
        assert_eq!(p["state"], "st");
        assert!(!p.contains_key("code"));
    }
}
