//! Web push: the VAPID key, subscriptions per user and topic, notifications encrypted per
//! RFC 8291 for the browser (decrypted here with the browser's private key) and VAPID-signed,
//! a push service's 410 removing the subscription, and bad input refused naming the field.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::push_subscriptions;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use web_push_native::p256::SecretKey;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of};
use crate::helpers::http::{delete, get, post};

/// A browser: its P-256 key pair and auth secret.
struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new(seed: u8) -> Self {
        Self { secret: SecretKey::from_slice(&[seed; 32]).unwrap(), auth: [seed ^ 0x5a; 16] }
    }

    /// `PushSubscription.toJSON()` for `endpoint`.
    fn subscription(&self, endpoint: &str) -> Value {
        let public = self.secret.public_key().to_encoded_point(false);
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {"p256dh": URL_SAFE_NO_PAD.encode(public.as_bytes()), "auth": URL_SAFE_NO_PAD.encode(self.auth)}
        })
    }

    fn decrypt(&self, body: &[u8]) -> Value {
        let auth = web_push_native::Auth::from(self.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &self.secret, &auth).unwrap();
        serde_json::from_slice(&plain).unwrap()
    }
}

async fn subscriptions(t: &TestApp) -> u64 {
    push_subscriptions::Entity::find().count(t.app.db().conn()).await.unwrap()
}

#[tokio::test]
async fn a_notification_reaches_the_browser_encrypted_and_vapid_signed() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().create().await;
    let push = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/wpush/c1"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&push)
        .await;
    let (s, k) = get(&t, &c.token, "/api/push-notifications/vapid-public-key").await;
    assert_eq!(s, 200, "{k}");
    let vapid = k["publicVapidKey"].as_str().unwrap().to_owned();
    assert_eq!(URL_SAFE_NO_PAD.decode(&vapid).unwrap().len(), 65);
    // The same key on every call (generated once, stored sealed).
    assert_eq!(get(&t, &admin, "/api/push-notifications/vapid-public-key").await.1, k);

    let browser = Browser::new(7);
    let endpoint = format!("{}/wpush/c1", push.uri());
    let (s, sub) = post(
        &t,
        &c.token,
        "/api/push-notifications/subscriptions",
        json!({"subscription": browser.subscription(&endpoint), "topic": "User"}),
    )
    .await;
    assert_eq!(s, 201, "{sub}");
    assert_eq!(
        (sub["endpoint"].as_str(), sub["topic"].as_str(), sub["customerId"].as_str()),
        (Some(endpoint.as_str()), Some("user"), Some(c.uuid.as_str()))
    );
    assert_eq!(sub["keys"], browser.subscription(&endpoint)["keys"]);
    let (s, list) = get(&t, &c.token, "/api/push-notifications/subscriptions?topic=user").await;
    assert_eq!((s, list["subscriptions"].as_array().unwrap().len()), (200, 1), "{list}");
    assert_eq!(list["subscriptions"][0]["id"], sub["id"]);

    let notification =
        json!({"title": "Margin call", "body": "Your margin level is 80%", "url": "/wallets"});
    let (s, r) = post(
        &t,
        &admin,
        "/api/push-notifications/send",
        json!({"customerId": c.uuid, "notification": notification, "topic": "user", "ttl": 60}),
    )
    .await;
    assert_eq!((s, r), (200, json!({"success": true, "queued": 1})));
    assert!(push.received_requests().await.unwrap().is_empty(), "sent by the job, not the request");
    t.run_jobs().await;

    let got = push.received_requests().await.unwrap();
    assert_eq!(got.len(), 1);
    let req = &got[0];
    let h =
        |n: &str| req.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!((h("content-encoding"), h("ttl")), ("aes128gcm".into(), "60".into()));
    // The payload is RFC 8291 ciphertext only the browser can open.
    assert!(!String::from_utf8_lossy(&req.body).contains("Margin call"));
    assert_eq!(browser.decrypt(&req.body), notification);
    // VAPID (RFC 8292): an ES256 JWT for the push service's origin, signed by our key.
    let authz = h("authorization");
    let (token, key) = authz
        .strip_prefix("vapid t=")
        .and_then(|s| s.split_once(", k="))
        .unwrap_or_else(|| panic!("{authz}"));
    assert_eq!(key, vapid);
    let point = URL_SAFE_NO_PAD.decode(&vapid).unwrap();
    let decoding = jsonwebtoken::DecodingKey::from_ec_components(
        &URL_SAFE_NO_PAD.encode(&point[1..33]),
        &URL_SAFE_NO_PAD.encode(&point[33..65]),
    )
    .unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    v.set_audience(&["http://127.0.0.1"]);
    let claims = jsonwebtoken::decode::<Value>(token, &decoding, &v).unwrap().claims;
    assert!(claims["sub"].as_str().unwrap().starts_with("mailto:"), "{claims}");

    // Another topic has no subscription: nothing queued.
    let (s, r) = post(
        &t,
        &admin,
        "/api/push-notifications/send",
        json!({"customerId": c.uuid, "notification": {"title": "x"}, "topic": "news"}),
    )
    .await;
    assert_eq!((s, r["queued"].clone()), (200, json!(0)));
    // The customer unsubscribes by endpoint.
    let q = format!("/api/push-notifications/subscriptions?endpoint={}", urlencode(&endpoint));
    assert_eq!(delete(&t, &c.token, &q).await, (200, json!({"success": true})));
    assert_eq!(subscriptions(&t).await, 0);
    assert_eq!(delete(&t, &c.token, &q).await.0, 404);
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('/', "%2F")
}

#[tokio::test]
async fn a_push_service_answering_410_removes_the_subscription_and_5xx_is_retried() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let c = t.customer().create().await;
    let push = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/gone"))
        .respond_with(ResponseTemplate::new(410))
        .mount(&push)
        .await;
    Mock::given(method("POST"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&push)
        .await;
    for (seed, p) in [(3u8, "/gone"), (4, "/busy")] {
        let b = Browser::new(seed);
        let body = json!({"subscription": b.subscription(&format!("{}{p}", push.uri()))});
        let (s, r) = post(&t, &c.token, "/api/push-notifications/subscriptions", body).await;
        assert_eq!(s, 201, "{r}");
    }
    let (s, r) = post(
        &t,
        &admin,
        "/api/push-notifications/send",
        json!({"customerId": c.uuid, "notification": {"title": "Hi"}}),
    )
    .await;
    assert_eq!((s, r["queued"].clone()), (200, json!(2)), "{r}");
    t.run_jobs().await;
    assert_eq!(push.received_requests().await.unwrap().len(), 2);
    let (_, list) = get(&t, &c.token, "/api/push-notifications/subscriptions").await;
    let left: Vec<&str> = list["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(left, vec![format!("{}/busy", push.uri())], "410 removed, 503 kept");
    let pending = brokercrm_store::entities::jobs::Entity::find()
        .all(t.app.db().conn())
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == "messaging.push" && j.status != "done")
        .collect::<Vec<_>>();
    assert_eq!(pending.len(), 1, "the 503 is retried later");
    assert_eq!(pending[0].attempts, 1);
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_only_staff_send() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (c, other) = (t.customer().create().await, t.customer().create().await);
    let b = Browser::new(9);
    let good = b.subscription("https://push.example.com/x");
    let mut cases = vec![];
    let mut bad_endpoint = good.clone();
    bad_endpoint["endpoint"] = json!("not a url");
    cases.push((json!({"subscription": bad_endpoint}), "subscription.endpoint"));
    let mut internal = good.clone();
    internal["endpoint"] = json!("ftp://push.example.com/x");
    cases.push((json!({"subscription": internal}), "subscription.endpoint"));
    let mut bad_key = good.clone();
    bad_key["keys"]["p256dh"] = json!("AAAA");
    cases.push((json!({"subscription": bad_key}), "subscription.keys.p256dh"));
    let mut bad_auth = good.clone();
    bad_auth["keys"]["auth"] = json!(URL_SAFE_NO_PAD.encode([1u8; 8]));
    cases.push((json!({"subscription": bad_auth}), "subscription.keys.auth"));
    let mut bad_time = good.clone();
    bad_time["expirationTime"] = json!("soon");
    cases.push((json!({"subscription": bad_time}), "subscription.expirationTime"));
    cases.push((json!({"subscription": good.clone(), "topic": "no spaces"}), "topic"));
    cases.push((json!({"subscription": good.clone(), "topic": "Admin"}), "topic"));
    cases.push((json!({}), "subscription.endpoint"));
    for (body, field) in cases {
        let (s, r) = post(&t, &c.token, "/api/push-notifications/subscriptions", body).await;
        assert_eq!((s, field_of(&r)), (422, field.to_owned()), "{r}");
    }
    assert_eq!(subscriptions(&t).await, 0, "nothing stored");
    // Staff may take the admin topic.
    let (s, r) = post(
        &t,
        &admin,
        "/api/push-notifications/subscriptions",
        json!({"subscription": good.clone(), "topic": "admin"}),
    )
    .await;
    assert_eq!((s, r["topic"].as_str()), (201, Some("admin")), "{r}");
    let (s, r) =
        post(&t, &c.token, "/api/push-notifications/subscriptions", json!({"subscription": good}))
            .await;
    assert_eq!(s, 201, "{r}");
    let id = r["id"].as_i64().unwrap();
    // Someone else's subscription is not theirs to see or delete.
    let (_, list) = get(&t, &other.token, "/api/push-notifications/subscriptions").await;
    assert_eq!(list["subscriptions"], json!([]));
    let q = format!("/api/push-notifications/subscriptions?id={id}");
    assert_eq!(delete(&t, &other.token, &q).await.0, 404);
    let (s, r) = delete(&t, &c.token, "/api/push-notifications/subscriptions").await;
    assert_eq!((s, field_of(&r)), (422, "id".into()));

    let send = |body: Value| {
        let (t, admin) = (&t, &admin);
        async move { post(t, admin, "/api/push-notifications/send", body).await }
    };
    for (body, field) in [
        (json!({"notification": {"title": "x"}}), "customerId"),
        (json!({"customerId": c.uuid, "notification": "hello"}), "notification"),
        (json!({"customerId": c.uuid, "notification": {"body": "no title"}}), "notification.title"),
        (
            json!({"customerId": c.uuid, "notification": {"title": "x", "body": 3}}),
            "notification.body",
        ),
        (
            json!({"customerId": c.uuid, "notification": {"title": "x", "data": "y".repeat(4000)}}),
            "notification",
        ),
        (json!({"customerId": c.uuid, "notification": {"title": "x"}, "ttl": -1}), "ttl"),
        (json!({"customerId": c.uuid, "notification": {"title": "x"}, "ttl": 1.5}), "ttl"),
        (json!({"customerId": c.uuid, "notification": {"title": "x"}, "topic": "a b"}), "topic"),
    ] {
        let (s, r) = send(body).await;
        assert_eq!((s, field_of(&r)), (422, field.to_owned()), "{r}");
    }
    let (s, _) = send(json!({"customerId": "nobody", "notification": {"title": "x"}})).await;
    assert_eq!(s, 404);
    // Customers and agents without SendMessages may not send.
    let agent = t.user(Role::ConversionAgent).create().await;
    for token in [&c.token, &agent.token] {
        let (s, r) = post(
            &t,
            token,
            "/api/push-notifications/send",
            json!({"customerId": c.uuid, "notification": {"title": "x"}}),
        )
        .await;
        assert_eq!(s, 403, "{r}");
        assert_error(&r, "forbidden");
    }
    assert_eq!(t.run_jobs().await, 0, "nothing was queued");
}
