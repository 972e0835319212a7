//! Seed 001's limits through HTTP: 10 GETs per 3 s per token and the 2-minute same-body
//! rule, with windows in memory and shared in the database, sequential and concurrent.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::distribution::{self as fx, push};

fn retry_after(r: &axum_test::TestResponse) -> u64 {
    let h = r.headers().get("retry-after").unwrap_or_else(|| panic!("no Retry-After"));
    h.to_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_get_requests_get_exactly_ten_through() {
    for shared in [false, true] {
        let t = TestApp::spawn_with(|cfg| cfg.shared_request_windows = shared).await;
        let (aff, _, _) = fx::simple(&t).await;
        let results = fx::get_concurrently(&t, &aff, "/api/affiliates/v2/goal-types", 16).await;
        let ok = results.iter().filter(|(s, _)| *s == 200).count();
        let limited =
            results.iter().filter(|(s, b)| *s == 429 && b["name"] == "RateLimitExceeded").count();
        assert_eq!((ok, limited), (10, 6), "shared windows: {shared}; {results:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_bodies_store_one_lead() {
    for shared in [false, true] {
        let t = TestApp::spawn_with(|cfg| cfg.shared_request_windows = shared).await;
        let (aff, _, _) = fx::simple(&t).await;
        let body = fx::seed_body();
        let results = fx::push_concurrently(&t, &aff, vec![body; 6]).await;
        let ok = results.iter().filter(|(s, _)| *s == 200).count();
        let limited =
            results.iter().filter(|(s, b)| *s == 429 && b["name"] == "RateLimitExceeded").count();
        assert_eq!((ok, limited), (1, 5), "shared windows: {shared}; {results:?}");
        assert_eq!(fx::lead_count(&t).await, 1);
    }
}

#[tokio::test]
async fn get_requests_are_limited_to_ten_in_three_seconds() {
    get_limit(TestApp::spawn().await).await;
}

#[tokio::test]
async fn get_requests_are_limited_with_windows_shared_in_the_database() {
    get_limit(TestApp::spawn_with(|cfg| cfg.shared_request_windows = true).await).await;
}

async fn get_limit(t: TestApp) {
    let (aff, _, _) = fx::simple(&t).await;
    let other = fx::affiliate(&t, None, None).await;
    for i in 0..10 {
        let path =
            if i % 2 == 0 { "/api/affiliates/v2/leads" } else { "/api/affiliates/v2/goal-types" };
        fx::get(&t, &aff, path).await.assert_status_ok();
    }
    let r = fx::get(&t, &aff, "/api/affiliates/v2/goal-types").await;
    assert_eq!(r.status_code().as_u16(), 429);
    assert_eq!(
        r.json::<Value>(),
        json!({"name": "RateLimitExceeded", "message": "Rate limit exceeded", "code": 429})
    );
    assert!((1..=3).contains(&retry_after(&r)), "{}", retry_after(&r));
    let r = fx::get(&t, &aff, "/api/affiliates/v2/leads").await;
    assert_eq!(r.status_code().as_u16(), 429);
    // Another token has its own window.
    fx::get(&t, &other, "/api/affiliates/v2/leads").await.assert_status_ok();
    // Pushes are not GETs.
    push(&t, &aff, &fx::seed_body()).await.assert_status_ok();

    t.clock.advance(std::time::Duration::from_secs(3));
    let r = fx::get(&t, &aff, "/api/affiliates/v2/goal-types").await;
    r.assert_status_ok();
    let goals: Value = r.json();
    let goals = goals.as_array().unwrap();
    for name in ["Lead", "FTD"] {
        let g = goals
            .iter()
            .find(|g| g["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing: {goals:?}"));
        uuid::Uuid::parse_str(g["uuid"].as_str().unwrap()).unwrap();
    }
}

#[tokio::test]
async fn the_same_body_is_refused_for_two_minutes_per_token() {
    same_body(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_same_body_is_refused_with_windows_shared_in_the_database() {
    same_body(TestApp::spawn_with(|cfg| cfg.shared_request_windows = true).await).await;
}

async fn same_body(t: TestApp) {
    let (aff, offer, _) = fx::simple(&t).await;
    let other = fx::affiliate(&t, Some(offer.id), None).await;
    let body = fx::seed_body();
    let (first, _) = fx::push_accepted(&t, &aff, &body).await;

    t.clock.advance(std::time::Duration::from_secs(100));
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 429);
    assert_eq!(
        r.json::<Value>(),
        json!({"name": "RateLimitExceeded", "message": "Rate limit exceeded", "code": 429})
    );
    let wait = retry_after(&r);
    assert!((1..=20).contains(&wait), "Retry-After {wait} after 100 of 120 s");
    assert_eq!(fx::lead_count(&t).await, 1, "the refused body stored nothing");

    // Another token may send the very same body.
    fx::push_accepted(&t, &other, &body).await;
    assert_eq!(fx::lead_count(&t).await, 2);
    // A body differing in one value is another body.
    let mut changed = body.clone();
    changed["aff_sub"] = json!("x");
    fx::push_accepted(&t, &aff, &changed).await;

    t.clock.advance(std::time::Duration::from_secs(20));
    let (again, _) = fx::push_accepted(&t, &aff, &body).await;
    assert_ne!(again["lead_uuid"], first["lead_uuid"]);
    assert_eq!(fx::lead_count(&t).await, 4);
    // ... and it starts a new window.
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 429);
    assert!((1..=120).contains(&retry_after(&r)));
}
