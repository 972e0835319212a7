//! KYC through SumSub against a mock speaking SumSub's documented API: SDK access tokens
//! (signed requests), "is SumSub enabled", and the webhook end to end — digest algorithms,
//! a bad digest (401, nothing changed), a replay, an out-of-order event and RED-then-GREEN.

use brokercrm_integrations::sumsub::sign;
use brokercrm_store::entities::kyc_webhook_events;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use sha2::{Sha256, Sha512};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::assert::assert_error;
use crate::helpers::http::{get, put};
use crate::helpers::platform::audit_count;

const SECRET: &str = "sumsub-secret-key-1";
const APP_TOKEN: &str = "sbx:app-token-123456";
const HOOK_SECRET: &str = "webhook-secret-123456";

/// Matches a request signed as SumSub's authentication page says: hex HMAC-SHA256 of
/// `X-App-Access-Ts` + method + path with query + body, under the secret key.
struct SignedBySumsub;

impl Match for SignedBySumsub {
    fn matches(&self, req: &Request) -> bool {
        let h = |n: &str| req.headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (Some(ts), Some(sig)) = (h("x-app-access-ts"), h("x-app-access-sig")) else {
            return false;
        };
        let Ok(ts) = ts.parse::<i64>() else { return false };
        let mut pq = req.url.path().to_owned();
        if let Some(q) = req.url.query() {
            pq = format!("{pq}?{q}");
        }
        sig == sign(SECRET, ts, req.method.as_str(), &pq, &req.body)
    }
}

async fn configure(t: &TestApp, admin: &str, api_url: &str) {
    let cfg = json!({"apiUrl": api_url, "secretKey": SECRET, "appToken": APP_TOKEN,
                     "levelName": "basic-kyc-level", "webhookSecretKey": HOOK_SECRET});
    let (s, b) = put(t, admin, "/api/settings/sumsub", cfg).await;
    assert_eq!(s, 200, "{b}");
}

fn digest(alg: &str, secret: &str, body: &[u8]) -> String {
    match alg {
        "HMAC_SHA512_HEX" => {
            let mut m = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
            m.update(body);
            hex::encode(m.finalize().into_bytes())
        }
        _ => {
            let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
            m.update(body);
            hex::encode(m.finalize().into_bytes())
        }
    }
}

/// An `applicantReviewed` body as SumSub sends it.
fn reviewed(user: &str, answer: &str, reject: Option<&str>, at: &str) -> Vec<u8> {
    let mut result = json!({"reviewAnswer": answer});
    if let Some(r) = reject {
        result["reviewRejectType"] = json!(r);
        result["rejectLabels"] = json!(["UNSATISFACTORY_PHOTOS"]);
        result["moderationComment"] = json!("Please upload a sharper photo.");
    }
    serde_json::to_vec(&json!({
        "applicantId": "5cb56e8e0a975a35f333cb83", "inspectionId": "5cb56e8e0a975a35f333cb84",
        "correlationId": "req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4", "externalUserId": user,
        "levelName": "basic-kyc-level", "type": "applicantReviewed", "reviewResult": result,
        "reviewStatus": "completed", "createdAtMs": at, "sandboxMode": true
    }))
    .unwrap()
}

async fn deliver(t: &TestApp, body: &[u8], alg: Option<&str>, dig: Option<&str>) -> (u16, Value) {
    let mut r = t.server.post("/api/kyc/sumsub/webhook").bytes(body.to_vec().into());
    r = r.content_type("application/json");
    if let Some(a) = alg {
        r = r.add_header("X-Payload-Digest-Alg", a);
    }
    if let Some(d) = dig {
        r = r.add_header("X-Payload-Digest", d);
    }
    let r = r.await;
    (r.status_code().as_u16(), r.json())
}

async fn signed(t: &TestApp, body: &[u8], alg: &str) -> (u16, Value) {
    deliver(t, body, Some(alg), Some(&digest(alg, HOOK_SECRET, body))).await
}

async fn kyc_of(t: &TestApp, token: &str) -> String {
    let (s, b) = get(t, token, "/api/me/kyc").await;
    assert_eq!(s, 200, "{b}");
    b["status"].as_str().unwrap().to_owned()
}

async fn events(t: &TestApp) -> u64 {
    kyc_webhook_events::Entity::find().count(t.app.db().conn()).await.unwrap()
}

#[tokio::test]
async fn sumsub_sdk_token_is_asked_with_signed_requests() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().create().await;
    let (s, b) = get(&t, &c.token, "/api/kyc/sumsub/enabled").await;
    assert_eq!((s, b), (200, json!({"value": false})));
    let (s, b) = get(&t, &c.token, "/api/me/kyc/sumsub-token").await;
    assert_eq!(s, 409, "{b}");

    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/resources/accessTokens/sdk"))
        .and(header("X-App-Token", APP_TOKEN))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({"userId": c.uuid, "levelName": "basic-kyc-level"})))
        .and(SignedBySumsub)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token": "_act-sbx-b8ebfb63-5f24", "userId": c.uuid})),
        )
        .expect(1)
        .mount(&mock)
        .await;
    configure(&t, &admin, &mock.uri()).await;
    let (s, b) = get(&t, &c.token, "/api/kyc/sumsub/enabled").await;
    assert_eq!((s, b), (200, json!({"value": true})));
    let (s, b) = get(&t, &c.token, "/api/me/kyc/sumsub-token").await;
    assert_eq!((s, b), (200, json!({"token": "_act-sbx-b8ebfb63-5f24"})));
    mock.verify().await;

    // SumSub refusing (its error body) is a 502 that names no secret; staff get no token.
    mock.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "description": "Request signature mismatch", "code": 401,
            "correlationId": "req-1", "errorCode": 4003, "errorName": "app-token-signature"})))
        .mount(&mock)
        .await;
    let (s, b) = get(&t, &c.token, "/api/me/kyc/sumsub-token").await;
    assert_eq!(s, 502, "{b}");
    assert!(!b.to_string().contains(SECRET), "{b}");
    let (s, b) = get(&t, &admin, "/api/me/kyc/sumsub-token").await;
    assert_eq!(s, 403, "{b}");
}

#[tokio::test]
async fn webhook_verifies_digest_ignores_replays_and_stale_events_and_moves_kyc() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().create().await;
    // Not configured: nothing can be verified.
    let body = reviewed(&c.uuid, "GREEN", None, "2026-03-01 10:00:00.000");
    assert_eq!(signed(&t, &body, "HMAC_SHA256_HEX").await.0, 401);
    configure(&t, &admin, "https://api.sumsub.com").await;
    assert_eq!(kyc_of(&t, &c.token).await, "NONE");

    // Bad digests: wrong secret, tampered body, unknown algorithm, none. 401, nothing stored.
    let wrong = digest("HMAC_SHA256_HEX", "not-the-secret", &body);
    let (s, b) = deliver(&t, &body, Some("HMAC_SHA256_HEX"), Some(&wrong)).await;
    assert_eq!(s, 401, "{b}");
    assert_error(&b, "unauthorized");
    let good = digest("HMAC_SHA256_HEX", HOOK_SECRET, &body);
    let tampered = reviewed(&c.uuid, "GREEN", None, "2026-03-01 10:00:00.001");
    assert_eq!(deliver(&t, &tampered, Some("HMAC_SHA256_HEX"), Some(&good)).await.0, 401);
    assert_eq!(deliver(&t, &body, Some("HMAC_MD5_HEX"), Some(&good)).await.0, 401);
    assert_eq!(deliver(&t, &body, Some("HMAC_SHA256_HEX"), None).await.0, 401);
    assert_eq!((kyc_of(&t, &c.token).await, events(&t).await), ("NONE".into(), 0));
    assert_eq!(audit_count(&t, &admin, "customer.kyc_sumsub").await, 0);

    // RED + RETRY: the customer may try again.
    let red = reviewed(&c.uuid, "RED", Some("RETRY"), "2026-03-01 10:00:00.000");
    let (s, b) = signed(&t, &red, "HMAC_SHA256_HEX").await;
    assert_eq!((s, b), (200, json!({"success": true})));
    assert_eq!(kyc_of(&t, &c.token).await, "RETRY");
    // The same delivery again: same answer, nothing new.
    assert_eq!(signed(&t, &red, "HMAC_SHA256_HEX").await.0, 200);
    assert_eq!(events(&t).await, 1);
    assert_eq!(audit_count(&t, &admin, "customer.kyc_sumsub").await, 1);
    // An older FINAL rejection arriving late is recorded and ignored.
    let old = reviewed(&c.uuid, "RED", Some("FINAL"), "2026-03-01 09:59:59.000");
    assert_eq!(signed(&t, &old, "HMAC_SHA256_HEX").await.0, 200);
    assert_eq!(kyc_of(&t, &c.token).await, "RETRY");
    // The new attempt passes: GREEN, signed with SHA-512 this time.
    let green = reviewed(&c.uuid, "GREEN", None, "2026-03-02 08:00:00.000");
    assert_eq!(signed(&t, &green, "HMAC_SHA512_HEX").await.0, 200);
    assert_eq!(kyc_of(&t, &c.token).await, "APPROVED");
    assert_eq!(events(&t).await, 3);
    let audits = crate::helpers::platform::audits(&t, &admin, "customer.kyc_sumsub").await;
    assert_eq!(audits.len(), 2, "{audits:?}");
    // An event for nobody we know, and other event types, are answered and change nothing.
    let stranger = reviewed("no-such-user", "RED", Some("FINAL"), "2026-03-03 08:00:00.000");
    assert_eq!(signed(&t, &stranger, "HMAC_SHA256_HEX").await.0, 200);
    let pending = serde_json::to_vec(&json!({"type": "applicantPending", "externalUserId": c.uuid,
        "applicantId": "5cb56e8e0a975a35f333cb83", "createdAtMs": "2026-03-04 08:00:00.000"}))
    .unwrap();
    assert_eq!(signed(&t, &pending, "HMAC_SHA256_HEX").await.0, 200);
    assert_eq!(kyc_of(&t, &c.token).await, "APPROVED");
    // A verified body that is not JSON is a 400.
    assert_eq!(signed(&t, b"not json", "HMAC_SHA256_HEX").await.0, 400);
}
