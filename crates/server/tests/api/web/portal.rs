//! The portal's sessions and forms, in-process: the login (cookie flags, CSRF, the API's
//! throttle), CSRF-less posts refused, idle and absolute timeouts, logout, the one-time
//! password changed first, the error page with its request id.

use std::time::Duration;

use axum_test::TestServer;
use brokercrm_app::identity::web_sessions::Limits;
use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::post;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{cookie_header, location, login, post_login, set_cookie};

#[tokio::test]
async fn root_redirects_to_the_portal_and_the_portal_to_the_login() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/").await;
    assert_eq!((r.status_code().as_u16(), location(&r).as_str()), (303, "/admin"));
    let r = t.server.get("/admin/leads?q=x").await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(location(&r), "/admin/login?next=%2Fadmin%2Fleads%3Fq%3Dx");
    let r = t.server.get("/admin/login").await;
    r.assert_status_ok();
    assert!(r.text().contains("id=\"email\""));
}

#[tokio::test]
async fn login_sets_an_httponly_samesite_session_cookie_and_bad_credentials_keep_the_email() {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Manager).create().await;
    let r = post_login(&t, &u.email, "wrong-password").await;
    assert_eq!(r.status_code(), 401);
    assert!(set_cookie(&r, "bcrm_session").is_none());
    let html = r.text();
    assert!(html.contains("E-mail or password is wrong."), "{html}");
    assert!(html.contains(&format!("value=\"{}\"", u.email)), "the typed e-mail is kept");

    let r = post_login(&t, &u.email, PASSWORD).await;
    assert_eq!(r.status_code(), 303);
    let c = set_cookie(&r, "bcrm_session").unwrap();
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/admin"),
        "{c}"
    );
    assert!(!c.contains("Secure"), "not Secure on an http public URL: {c}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Admin).create().await;
    let cfg = brokercrm_web::WebConfig::for_public_url("https://crm.example.com");
    let s = TestServer::new(brokercrm_web::router(t.app.clone(), cfg));
    let page = s.get("/admin/login").await;
    let pre = set_cookie(&page, "bcrm_pre").unwrap();
    assert!(pre.contains("Secure"), "{pre}");
    let csrf = crate::helpers::web::csrf_in(&page.text());
    let (k, v) = cookie_header(pre.split(';').next().unwrap());
    let r = s
        .post("/admin/login")
        .add_header(k, v)
        .form(&[("_csrf", csrf.as_str()), ("email", &u.email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status_code(), 303);
    assert!(set_cookie(&r, "bcrm_session").unwrap().contains("Secure"));
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let (s, lead) = post(
        &t,
        &admin.token,
        "/api/leads",
        json!({"name": "Ann Lee", "email": "ann@example.com"}),
    )
    .await;
    assert_eq!(s, 201, "{lead}");
    let id = lead["lead"]["id"].as_str().unwrap();
    let p = login(&t, &admin.email, PASSWORD).await;
    let path = format!("/admin/leads/{id}/comment");

    // The login form itself: no token, no session.
    let r = t
        .server
        .post("/admin/login")
        .form(&[("email", admin.email.as_str()), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status_code(), 403);
    assert!(set_cookie(&r, "bcrm_session").is_none());

    for fields in
        [vec![("comment", "no token")], vec![("_csrf", "forged"), ("comment", "bad token")]]
    {
        let r = p.post_raw(&t, &path, &fields).await;
        assert_eq!(r.status_code(), 403);
        let html = r.text();
        assert!(html.contains("Form refused"), "{html}");
        let rid = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
        assert!(html.contains(&rid), "the error page names the request id");
    }
    let comments =
        t.server.get(&format!("/api/leads/{id}/comments")).authorization_bearer(&admin.token).await;
    assert_eq!(comments.json::<serde_json::Value>().as_array().map(Vec::len), Some(0));

    let r = p.post(&t, &path, &[("comment", "with the token")]).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, format!("/admin/leads/{id}?done=comment"))
    );
    let comments =
        t.server.get(&format!("/api/leads/{id}/comments")).authorization_bearer(&admin.token).await;
    assert_eq!(comments.json::<serde_json::Value>()[0]["comment"], "with the token");
}

#[tokio::test]
async fn portal_and_api_logins_share_one_throttle() {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Manager).create().await;
    let mut last = 0;
    for _ in 0..8 {
        last = post_login(&t, &u.email, "wrong-password").await.status_code().as_u16();
    }
    assert_eq!(last, 429, "the portal backs off like the API");
    let r = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": u.email, "password": PASSWORD}))
        .await;
    assert_eq!(r.status_code(), 429, "the API login of the same account and IP waits too");
}

#[tokio::test]
async fn the_one_time_password_must_be_changed_before_anything_else() {
    let t = TestApp::spawn().await;
    let password = brokercrm_app::identity::bootstrap::create_admin(&t.app, "first@example.com")
        .await
        .unwrap();
    let p = login(&t, "first@example.com", &password).await;
    let r = p.get(&t, "/admin/leads").await;
    assert_eq!((r.status_code().as_u16(), location(&r).as_str()), (303, "/admin/password"));
    let page = p.get(&t, "/admin/password").await;
    page.assert_status_ok();
    let p = crate::helpers::web::Portal { csrf: crate::helpers::web::csrf_in(&page.text()), ..p };

    let r =
        p.post(&t, "/admin/password", &[("current", "nope"), ("new", "An0ther-passw0rd")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"current-error\""), "the error sits beside the field");
    let r = p.post(&t, "/admin/password", &[("current", &password), ("new", "short")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"new-error\""));

    let r =
        p.post(&t, "/admin/password", &[("current", &password), ("new", "An0ther-passw0rd")]).await;
    assert_eq!((r.status_code().as_u16(), location(&r).as_str()), (303, "/admin?done=password"));
    let fresh = set_cookie(&r, "bcrm_session").unwrap();
    let (k, v) = cookie_header(fresh.split(';').next().unwrap());
    t.server.get("/admin/leads").add_header(k, v).await.assert_status_ok();
    // The old session ended with the password change.
    let r = p.get(&t, "/admin/leads").await;
    assert!(location(&r).starts_with("/admin/login"));
    // The API login works with the new password and the flag is gone.
    t.login("first@example.com", "An0ther-passw0rd").await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Support).create().await;
    let p = login(&t, &u.email, PASSWORD).await;
    p.get(&t, "/admin/leads").await.assert_status_ok();
    let r = p.post(&t, "/admin/logout", &[]).await;
    assert_eq!((r.status_code().as_u16(), location(&r).as_str()), (303, "/admin/login"));
    assert!(set_cookie(&r, "bcrm_session").unwrap().contains("Max-Age=0"));
    assert!(location(&p.get(&t, "/admin/leads").await).starts_with("/admin/login"));
}

async fn session_after(limits: Limits, pause: Duration, keep_alive: bool) -> u16 {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Admin).create().await;
    let mut cfg = brokercrm_web::WebConfig::for_public_url("http://127.0.0.1");
    cfg.limits = limits;
    let s = TestServer::new(brokercrm_web::router(t.app.clone(), cfg));
    let page = s.get("/admin/login").await;
    let pre = set_cookie(&page, "bcrm_pre").unwrap();
    let csrf = crate::helpers::web::csrf_in(&page.text());
    let (k, v) = cookie_header(pre.split(';').next().unwrap());
    let r = s
        .post("/admin/login")
        .add_header(k, v)
        .form(&[("_csrf", csrf.as_str()), ("email", &u.email), ("password", PASSWORD)])
        .await;
    let c = set_cookie(&r, "bcrm_session").unwrap().split(';').next().unwrap().to_owned();
    let steps = if keep_alive { 4 } else { 1 };
    for _ in 0..steps {
        tokio::time::sleep(pause / steps).await;
        if keep_alive {
            let (k, v) = cookie_header(&c);
            s.get("/admin/audit").add_header(k, v).await;
        }
    }
    let (k, v) = cookie_header(&c);
    s.get("/admin/audit").add_header(k, v).await.status_code().as_u16()
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_limit() {
    let long = Duration::from_secs(3600);
    let idle = Limits { idle: Duration::from_secs(1), absolute: long };
    assert_eq!(session_after(idle, Duration::from_millis(2500), false).await, 303, "idle");
    let absolute = Limits { idle: long, absolute: Duration::from_secs(2) };
    assert_eq!(session_after(absolute, Duration::from_millis(3000), true).await, 303, "absolute");
    let fine = Limits { idle: long, absolute: long };
    assert_eq!(session_after(fine, Duration::from_millis(100), false).await, 200);
}

#[tokio::test]
async fn errors_show_a_page_with_the_request_id_and_no_internal_text() {
    let t = TestApp::spawn().await;
    let u = t.user(Role::Admin).create().await;
    let p = login(&t, &u.email, PASSWORD).await;
    for path in ["/admin/leads/no-such-lead", "/admin/nowhere", "/admin/offers/nope"] {
        let r = p.get(&t, path).await;
        assert_eq!(r.status_code(), 404, "{path}");
        let rid = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
        let html = r.text();
        assert!(html.contains("id=\"request-id\"") && html.contains(&rid), "{html}");
        assert!(
            r.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/html")
        );
    }
}
