//! Seed 000 through HTTP: the password-grant token with Basic client auth, creating lead
//! accounts and listing them, every status and body the seed shows.

use axum::http::{HeaderName, HeaderValue};
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::distribution as fx;
use crate::helpers::http::base64;

const TOKEN: &str = "/proxy/auth/oauth/token";
const ACCOUNTS: &str = "/proxy/processing/api/accounts";
const PASSWORD: &str = "Passw0rd!lp";

/// A lead provider: an OAuth client and an affiliate user.
struct Lp {
    client_id: String,
    secret: String,
    email: String,
    partner_id: i64,
    uuid: String,
}

/// The seed's `Authorization: Basic` header, and the client id and secret inside it.
const SEED_BASIC: &str = "Basic bGl2ZU10cjFDbGllbnQ6TU9USUI2ckRxbjNDenlNdDV2N2VHVmNhcWZqeDNlNWN1ZmlObG5uVFZHWVkzak5uRDJiWXJQS0JPTGRKMXVCRHpPWURTa1NVa1BObkxJdHd5bXRMZzlDUklLTmdIVW54MVlmdQ==";
const SEED_CLIENT: (&str, &str) = (
    "liveMtr1Client",
    "MOTIB6rDqn3CzyMt5v7eGVcaqfjx3e5cufiNlnnTVGYY3jNnD2bYrPKBOLdJ1uBDzOYDSkSUkPNnLItwymtLg9CRIKNgHUnx1Yfu",
);

async fn oauth_client(t: &TestApp) -> (String, String) {
    let id = format!("liveClient{}", uuid::Uuid::new_v4().simple());
    register_client(t, &id, "s3cret-client").await;
    (id, "s3cret-client".to_owned())
}

async fn register_client(t: &TestApp, id: &str, secret: &str) {
    use brokercrm_store::repo::identity::oauth::{NewClient, insert_client};
    insert_client(
        t.app.db().conn(),
        NewClient {
            client_id: id.to_owned(),
            name: "Lead providers".into(),
            secret_hash: brokercrm_app::identity::security::token_hash(secret),
            redirect_uris: vec!["https://example.com/cb".into()],
        },
    )
    .await
    .unwrap();
}

async fn provider(t: &TestApp) -> Lp {
    let (client_id, secret) = oauth_client(t).await;
    let email = format!("leadtest-{}@match-trade.test", uuid::Uuid::new_v4().simple());
    t.create_user(Role::Affiliate, &email, PASSWORD).await;
    let u = brokercrm_store::repo::identity::users::find_by_email(t.app.db().conn(), &email)
        .await
        .unwrap()
        .unwrap();
    Lp { client_id, secret, email, partner_id: u.id, uuid: u.uuid }
}

fn basic(id: &str, secret: &str) -> (HeaderName, HeaderValue) {
    let b64 = base64(&format!("{id}:{secret}"));
    (
        HeaderName::from_static("authorization"),
        HeaderValue::from_str(&format!("Basic {b64}")).unwrap(),
    )
}

async fn token_req(
    t: &TestApp,
    client: (&str, &str),
    form: &[(&str, &str)],
) -> axum_test::TestResponse {
    let (k, v) = basic(client.0, client.1);
    t.server.post(TOKEN).add_header(k, v).form(&form).await
}

async fn password_grant(t: &TestApp, lp: &Lp, password: &str) -> axum_test::TestResponse {
    token_req(
        t,
        (&lp.client_id, &lp.secret),
        &[("grant_type", "password"), ("username", &lp.email), ("password", password)],
    )
    .await
}

async fn access_token(t: &TestApp, lp: &Lp) -> String {
    let r = password_grant(t, lp, PASSWORD).await;
    r.assert_status_ok();
    r.json::<Value>()["access_token"].as_str().unwrap().to_owned()
}

/// The seed's create-lead body.
fn seed_account(offer_uuid: &str, partner_id: i64, email: &str) -> Value {
    json!({
        "offerUuid": offer_uuid,
        "account": {
            "partnerId": partner_id,
            "email": email,
            "name": "firstname",
            "surname": "lastname",
            "phone": "123456789",
            "leadInfo": {"leadSource": "Test Offer|testoffer.com|Test Description |a12dd0a66a"}
        }
    })
}

fn unique_email() -> String {
    format!("lead-{}@abc12.com", uuid::Uuid::new_v4().simple())
}

async fn create(t: &TestApp, token: &str, body: &Value) -> axum_test::TestResponse {
    t.server.post(ACCOUNTS).authorization_bearer(token).json(body).await
}

/// An offer rotating to one internal-CRM advertiser.
async fn crm_offer(t: &TestApp) -> brokercrm_store::entities::offers::Model {
    let o = fx::offer(t, "LP offer", "priority").await;
    let a = fx::internal_crm(t, "House CRM").await;
    fx::rotate(t, o.id, a.id, 10, 1).await;
    o
}

/// Asserts seed 000's error body with `status`; returns the message.
fn assert_seed_error(r: &axum_test::TestResponse, code: u16, status: &str) -> String {
    let b: Value = r.json();
    assert_eq!(r.status_code().as_u16(), code, "{b}");
    let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 4, "{b}");
    assert_eq!(b["status"], status, "{b}");
    let ts = b["timestamp"].as_str().unwrap();
    assert!(ts.ends_with('Z') && ts.len() == 24, "timestamp {ts}");
    chrono::DateTime::parse_from_rfc3339(ts).unwrap();
    assert!(b["printableMessage"].is_boolean(), "{b}");
    b["message"].as_str().unwrap().to_owned()
}

fn seed_401() -> Value {
    json!({"error": "unauthorized", "error_description": "Authentication error"})
}

#[tokio::test]
async fn token_has_the_seed_fields_and_refreshes() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let r = password_grant(&t, &lp, PASSWORD).await;
    r.assert_status_ok();
    assert_eq!(r.header("cache-control"), "no-store");
    let b: Value = r.json();
    let mut keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "access_token",
            "account_uuid",
            "email",
            "expires_in",
            "fl",
            "jti",
            "manager_scope",
            "partnerId",
            "refresh_token",
            "token_type"
        ]
    );
    assert_eq!(b["token_type"], "bearer");
    assert_eq!(b["expires_in"], 3600);
    assert_eq!(b["account_uuid"], lp.uuid.as_str());
    assert_eq!(b["manager_scope"], lp.uuid.as_str());
    assert_eq!(b["fl"], Value::Null);
    assert_eq!(b["partnerId"], lp.partner_id);
    assert_eq!(b["email"], lp.email.as_str());
    uuid::Uuid::parse_str(b["jti"].as_str().unwrap()).unwrap();
    assert_eq!(b["access_token"].as_str().unwrap().split('.').count(), 3);
    let claims = t.app.jwt().verify(b["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims.jti.as_deref(), b["jti"].as_str(), "the response names the token's own jti");

    // The refresh grant rotates; a spent refresh token is refused.
    let rt = b["refresh_token"].as_str().unwrap().to_owned();
    let client = (lp.client_id.as_str(), lp.secret.as_str());
    let r = token_req(&t, client, &[("grant_type", "refresh_token"), ("refresh_token", &rt)]).await;
    r.assert_status_ok();
    let b2: Value = r.json();
    assert_ne!(b2["refresh_token"], b["refresh_token"]);
    assert_eq!(b2["partnerId"], lp.partner_id);
    let token = b2["access_token"].as_str().unwrap();
    create(&t, token, &json!({})).await.assert_status_bad_request();
    let r = token_req(&t, client, &[("grant_type", "refresh_token"), ("refresh_token", &rt)]).await;
    r.assert_status_bad_request();
    assert_eq!(r.json::<Value>()["error"], "invalid_grant");

    // Its refresh token is not a CRM refresh token (bound to a different client id).
    let r = t
        .server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": b2["refresh_token"]}))
        .await;
    assert!(r.status_code().is_client_error(), "{}", r.text());
}

#[tokio::test]
async fn seed_token_request_is_answered() {
    let t = TestApp::spawn().await;
    register_client(&t, SEED_CLIENT.0, SEED_CLIENT.1).await;
    assert_eq!(basic(SEED_CLIENT.0, SEED_CLIENT.1).1, SEED_BASIC);
    let email = "leadtest123@match-trade.com";
    t.create_user(Role::Affiliate, email, PASSWORD).await;
    // As the seed's curl sends it: Basic header, form body, session cookies (ignored).
    let r = t
        .server
        .post(TOKEN)
        .add_header("authorization", SEED_BASIC)
        .add_header("cookie", "JSESSIONID=7029AE0C9AB3F5F730CDEA186A4A920A; JSESSIONID=CD912EF93AD198D9B12410F1CF09C886")
        .content_type("application/x-www-form-urlencoded")
        .bytes(format!("grant_type=password&username={email}&password={PASSWORD}").into())
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["email"], email);
    assert_eq!(b["token_type"], "bearer");
    // The same request with a wrong password is the seed's 401.
    let r = t
        .server
        .post(TOKEN)
        .add_header("authorization", SEED_BASIC)
        .content_type("application/x-www-form-urlencoded")
        .bytes(format!("grant_type=password&username={email}&password=wrong1").into())
        .await;
    r.assert_status_unauthorized();
    assert_eq!(r.json::<Value>(), seed_401());
}

#[tokio::test]
async fn token_credential_errors_are_the_seed_401() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    // Wrong password, unknown user.
    let r = password_grant(&t, &lp, "wrong-password1").await;
    r.assert_status_unauthorized();
    assert_eq!(r.json::<Value>(), seed_401());
    let form = [("grant_type", "password"), ("username", "nobody@x.test"), ("password", PASSWORD)];
    let r = token_req(&t, (&lp.client_id, &lp.secret), &form).await;
    r.assert_status_unauthorized();
    assert_eq!(r.json::<Value>(), seed_401());
    // Wrong client secret, unknown client, no client at all.
    let form =
        [("grant_type", "password"), ("username", lp.email.as_str()), ("password", PASSWORD)];
    for client in [(lp.client_id.as_str(), "nope"), ("no-such-client", lp.secret.as_str())] {
        let r = token_req(&t, client, &form).await;
        r.assert_status_unauthorized();
        assert_eq!(r.json::<Value>(), seed_401());
    }
    let r = t.server.post(TOKEN).form(&form).await;
    r.assert_status_unauthorized();
    assert_eq!(r.json::<Value>(), seed_401());
    // A user who is not an affiliate gets no lead-provider token.
    let admin = format!("admin-{}@x.test", uuid::Uuid::new_v4().simple());
    t.create_user(Role::Admin, &admin, PASSWORD).await;
    let form = [("grant_type", "password"), ("username", admin.as_str()), ("password", PASSWORD)];
    let r = token_req(&t, (&lp.client_id, &lp.secret), &form).await;
    r.assert_status_unauthorized();
    assert_eq!(r.json::<Value>(), seed_401());
}

#[tokio::test]
async fn token_grant_and_format_errors() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let client = (lp.client_id.as_str(), lp.secret.as_str());
    let r = token_req(&t, client, &[("username", lp.email.as_str()), ("password", PASSWORD)]).await;
    r.assert_status_bad_request();
    assert_eq!(r.json::<Value>()["error"], "unsupported_grant_type");
    let r = token_req(&t, client, &[("grant_type", "client_credentials")]).await;
    r.assert_status_bad_request();
    assert_eq!(r.json::<Value>()["error"], "unsupported_grant_type");
    let r = token_req(&t, client, &[("grant_type", "password"), ("password", PASSWORD)]).await;
    r.assert_status_bad_request();
    let b: Value = r.json();
    assert_eq!(b["error"], "invalid_request");
    assert!(b["error_description"].as_str().unwrap().contains("username"), "{b}");
    let (k, v) = basic(client.0, client.1);
    let r = t.server.post(TOKEN).add_header(k, v).json(&json!({"grant_type": "password"})).await;
    assert_eq!(r.status_code().as_u16(), 415);
    assert_eq!(r.json::<Value>()["error"], "invalid_request");
}

#[tokio::test]
async fn failed_token_attempts_are_rate_limited() {
    let t = TestApp::spawn_with(|c| c.login_attempts_per_account = 2).await;
    let lp = provider(&t).await;
    for _ in 0..2 {
        password_grant(&t, &lp, "wrong-password1").await.assert_status_unauthorized();
    }
    let r = password_grant(&t, &lp, PASSWORD).await;
    assert_eq!(r.status_code().as_u16(), 429, "{}", r.text());
    assert!(r.maybe_header("retry-after").is_some());
    assert_eq!(r.json::<Value>()["error"], "too_many_requests");
}

#[tokio::test]
async fn lead_provider_and_crm_tokens_are_not_interchangeable() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let token = access_token(&t, &lp).await;
    t.server.get("/api/me").authorization_bearer(&token).await.assert_status_unauthorized();
    let crm = t.login(&lp.email, PASSWORD).await;
    t.server.get("/api/me").authorization_bearer(&crm).await.assert_status_ok();
    let o = crm_offer(&t).await;
    let r = create(&t, &crm, &seed_account(&o.uuid, lp.partner_id, &unique_email())).await;
    assert_seed_error(&r, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn seed_create_lead_example_is_accepted() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let o = crm_offer(&t).await;
    let token = access_token(&t, &lp).await;
    let email = unique_email();
    let r = create(&t, &token, &seed_account(&o.uuid, lp.partner_id, &email)).await;
    let b: Value = r.json();
    assert_eq!(r.status_code().as_u16(), 200, "{b}");
    assert_eq!(b["status"], "ACCEPTED");
    assert_eq!(b["email"], email.as_str());
    assert_eq!(b["partnerId"], lp.partner_id);
    assert_eq!(b["offerUuid"], o.uuid.as_str());
    assert_eq!(b["advertiserName"], "House CRM");
    assert!(b["autoLoginUrl"].as_str().is_some_and(|u| u.contains("/auto-login/")), "{b}");
    let lead = fx::lead(&t, b["uuid"].as_str().unwrap()).await;
    assert_eq!(lead.status, "accepted");
    assert_eq!(lead.channel, "lead_provider");
    assert_eq!(lead.affiliate_id, lp.partner_id);
    assert_eq!(lead.first_name.as_deref(), Some("firstname"));
    assert!(lead.profile.contains("testoffer.com"), "{}", lead.profile);
}

#[tokio::test]
async fn create_lead_errors_have_the_seed_statuses_and_body() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let o = crm_offer(&t).await;
    let token = access_token(&t, &lp).await;

    // 401: no token, a malformed one, an expired one.
    let body = seed_account(&o.uuid, lp.partner_id, &unique_email());
    let r = t.server.post(ACCOUNTS).json(&body).await;
    assert_seed_error(&r, 401, "UNAUTHORIZED");
    assert_seed_error(&create(&t, "not-a-token", &body).await, 401, "UNAUTHORIZED");
    let now = chrono::Utc::now().timestamp();
    let expired = t
        .app
        .jwt()
        .sign(&brokercrm_app::identity::security::Claims {
            jti: None,
            sub: lp.uuid.clone(),
            uid: lp.partner_id,
            role: brokercrm_app::distribution::lead_provider::TOKEN_ROLE.into(),
            exp: now - 600,
            iat: now - 4200,
            imp: None,
            generation: 0,
        })
        .unwrap();
    assert_seed_error(&create(&t, &expired, &body).await, 401, "UNAUTHORIZED");

    // 400: leadSource over 255 characters, a bad e-mail, a missing field.
    let mut long = seed_account(&o.uuid, lp.partner_id, &unique_email());
    long["account"]["leadInfo"]["leadSource"] = json!("x".repeat(256));
    let r = create(&t, &token, &long).await;
    let msg = assert_seed_error(&r, 400, "BAD_REQUEST");
    assert!(msg.contains("leadSource") && msg.contains("255"), "{msg}");
    assert_eq!(r.json::<Value>()["printableMessage"], true);
    let mut ok255 = seed_account(&o.uuid, lp.partner_id, &unique_email());
    ok255["account"]["leadInfo"]["leadSource"] = json!("é".repeat(255));
    create(&t, &token, &ok255).await.assert_status_ok();
    let msg = assert_seed_error(
        &create(&t, &token, &seed_account(&o.uuid, lp.partner_id, "nope")).await,
        400,
        "BAD_REQUEST",
    );
    assert!(msg.contains("account.email"), "{msg}");
    let mut missing = seed_account(&o.uuid, lp.partner_id, &unique_email());
    missing["account"].as_object_mut().unwrap().remove("surname");
    let msg = assert_seed_error(&create(&t, &token, &missing).await, 400, "BAD_REQUEST");
    assert!(msg.contains("surname"), "{msg}");
    let r = t.server.post(ACCOUNTS).authorization_bearer(&token).text("offerUuid=x").await;
    assert_seed_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE");

    // 404: an unknown offer.
    let unknown = uuid::Uuid::new_v4().to_string();
    let msg = assert_seed_error(
        &create(&t, &token, &seed_account(&unknown, lp.partner_id, &unique_email())).await,
        404,
        "NOT_FOUND",
    );
    assert_eq!(msg, format!("Entity not found: offer {unknown}"));

    // 409: this provider already has a lead with the e-mail.
    let email = unique_email();
    create(&t, &token, &seed_account(&o.uuid, lp.partner_id, &email)).await.assert_status_ok();
    let msg = assert_seed_error(
        &create(&t, &token, &seed_account(&o.uuid, lp.partner_id, &email)).await,
        409,
        "CONFLICT",
    );
    assert_eq!(msg, format!("Account [{email}:{}] already exists", lp.partner_id));

    // 500: a partner id that is not the token's.
    let r = create(&t, &token, &seed_account(&o.uuid, lp.partner_id + 1000, &unique_email())).await;
    let msg = assert_seed_error(&r, 500, "INTERNAL_SERVER_ERROR");
    assert_eq!(msg, "Register Account Model is not valid");
}

#[tokio::test]
async fn intake_rejections_map_to_400_and_409() {
    let t = TestApp::spawn().await;
    // Our dedup rule (configured before any lead: routing configuration is cached briefly).
    fx::dedup_rule(&t, "email", "global", 3600).await;
    let a = provider(&t).await;
    let b = provider(&t).await;
    // An offer nobody can take: the lead is stored and rejected.
    let empty = fx::offer(&t, "Empty", "priority").await;
    let token_a = access_token(&t, &a).await;
    let r = create(&t, &token_a, &seed_account(&empty.uuid, a.partner_id, &unique_email())).await;
    let msg = assert_seed_error(&r, 400, "BAD_REQUEST");
    let (kind, rest) = msg.split_once(": ").unwrap();
    assert!(brokercrm_core::distribution::LeadErrorType::parse(kind).is_some(), "{msg}");
    let lead_uuid = rest.rsplit_once("(lead ").unwrap().1.trim_end_matches(')');
    assert_eq!(fx::lead(&t, lead_uuid).await.status, "rejected");

    // The dedup rule turns another provider's same e-mail into a 409.
    let o = crm_offer(&t).await;
    let email = unique_email();
    create(&t, &token_a, &seed_account(&o.uuid, a.partner_id, &email)).await.assert_status_ok();
    let token_b = access_token(&t, &b).await;
    let msg = assert_seed_error(
        &create(&t, &token_b, &seed_account(&o.uuid, b.partner_id, &email)).await,
        409,
        "CONFLICT",
    );
    assert_eq!(msg, format!("Account [{email}:{}] already exists", b.partner_id));
}

fn list_path(partner: i64, query: &str) -> String {
    format!("/proxy/statistic/api/partner/{partner}/accounts/view/for-lead-provider?{query}")
}

#[tokio::test]
async fn providers_list_only_their_own_leads() {
    let t = TestApp::spawn().await;
    let a = provider(&t).await;
    let b = provider(&t).await;
    let o = crm_offer(&t).await;
    let (token_a, token_b) = (access_token(&t, &a).await, access_token(&t, &b).await);
    let first = unique_email();
    for email in [first.clone(), unique_email()] {
        create(&t, &token_a, &seed_account(&o.uuid, a.partner_id, &email)).await.assert_status_ok();
    }
    create(&t, &token_b, &seed_account(&o.uuid, b.partner_id, &unique_email()))
        .await
        .assert_status_ok();

    // The seed's request shape (empty query, a date range, size and page).
    let q = "query=&from=2019-12-11T00%3A00%3A00Z&to=2099-12-11T23%3A59%3A59Z&size=1000&page=0";
    let r = t
        .server
        .get(&list_path(a.partner_id, q))
        .authorization_bearer(&token_a)
        .content_type("application/x-www-form-urlencoded")
        .await;
    r.assert_status_ok();
    let page: Value = r.json();
    assert_eq!(page["totalElements"], 2, "{page}");
    assert_eq!(page["totalPages"], 1);
    assert_eq!(page["size"], 1000);
    assert_eq!(page["number"], 0);
    let rows = page["content"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["status"], "ACCEPTED", "{row}");
        assert_eq!(row["offerUuid"], o.uuid.as_str());
        assert_eq!(row["leadSource"], "Test Offer|testoffer.com|Test Description |a12dd0a66a");
        assert_eq!(row["name"], "firstname");
        assert!(row["created"].as_str().unwrap().ends_with('Z'));
    }

    // The seed's own range (2019-2023) has none of today's leads.
    let q = "query=&from=2019-12-11T00%3A00%3A00Z&to=2023-12-11T23%3A59%3A59Z&size=1000&page=0";
    let page: Value =
        t.server.get(&list_path(a.partner_id, q)).authorization_bearer(&token_a).await.json();
    assert_eq!(page["totalElements"], 0, "{page}");

    // B sees only its one lead, and may not read A's list.
    let page: Value =
        t.server.get(&list_path(b.partner_id, "")).authorization_bearer(&token_b).await.json();
    assert_eq!(page["totalElements"], 1, "{page}");
    let r = t.server.get(&list_path(a.partner_id, "")).authorization_bearer(&token_b).await;
    assert_seed_error(&r, 403, "FORBIDDEN");

    // Paging, search, bad parameters, no token.
    let page: Value = t
        .server
        .get(&list_path(a.partner_id, "size=1&page=1"))
        .authorization_bearer(&token_a)
        .await
        .json();
    assert_eq!(
        (
            page["content"].as_array().unwrap().len(),
            page["number"].clone(),
            page["totalPages"].clone()
        ),
        (1, json!(1), json!(2))
    );
    let page: Value = t
        .server
        .get(&list_path(a.partner_id, &format!("query={}", &first[..12])))
        .authorization_bearer(&token_a)
        .await
        .json();
    assert_eq!(page["totalElements"], 1, "{page}");
    assert_eq!(page["content"][0]["email"], first.as_str());
    let r =
        t.server.get(&list_path(a.partner_id, "size=1001")).authorization_bearer(&token_a).await;
    assert!(assert_seed_error(&r, 400, "BAD_REQUEST").contains("size"));
    let r = t
        .server
        .get(&list_path(a.partner_id, "from=yesterday"))
        .authorization_bearer(&token_a)
        .await;
    assert!(assert_seed_error(&r, 400, "BAD_REQUEST").contains("from"));
    // The typed query names a value of the wrong type too, in the seed's body.
    let r = t.server.get(&list_path(a.partner_id, "page=two")).authorization_bearer(&token_a).await;
    assert!(assert_seed_error(&r, 400, "BAD_REQUEST").contains("page"));
    assert_seed_error(&t.server.get(&list_path(a.partner_id, "")).await, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn unknown_proxy_paths_and_methods_use_the_seed_body() {
    let t = TestApp::spawn().await;
    assert_seed_error(&t.server.get("/proxy/no/such/thing").await, 404, "NOT_FOUND");
    let r = t.server.get(ACCOUNTS).await;
    assert_seed_error(&r, 405, "METHOD_NOT_ALLOWED");
    assert!(r.maybe_header("allow").is_some());
    // Outside /proxy the CRM shape stays.
    let r = t.server.get("/api/no-such-thing").await;
    assert_eq!(r.json::<Value>()["error"]["code"], "not_found");
}
