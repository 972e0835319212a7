//! Speed figures of docs/benchmarks.md (ignored by default; run with
//! `cargo test -p brokercrm-server --test api messaging::bench -- --ignored --nocapture`, and
//! with `TEST_DATABASE_URL` for PostgreSQL): "send to all" with 200,000 customers (request
//! time, time until every inbox has it), the unread count's p99, and template rendering.

use std::time::{Duration, Instant};

use brokercrm_app::messaging::render::{Parts, Vars, render};
use brokercrm_store::entities::messages;
use brokercrm_store::repo::identity::users::{GenCustomer, insert_generated_customers};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::helpers::TestApp;

const CUSTOMERS: usize = 200_000;

#[tokio::test]
#[ignore = "benchmark"]
async fn bench_send_to_all_and_unread_count() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let now = brokercrm_store::db::now();
    let started = Instant::now();
    for chunk in 0..CUSTOMERS / 500 {
        let rows = (0..500)
            .map(|i| {
                let n = chunk * 500 + i;
                GenCustomer {
                    uuid: uuid::Uuid::now_v7().to_string(),
                    email: format!("b{n}@bench.test"),
                    firstname: "F".into(),
                    lastname: "L".into(),
                    mobilenumber: "+4915112345678".into(),
                    country: "DE".into(),
                    ref_key: format!("bench{n}"),
                    created_at: now,
                }
            })
            .collect();
        insert_generated_customers(t.app.db().conn(), rows).await.unwrap();
    }
    let c = t.customer().create().await;
    println!("seeded {CUSTOMERS} customers in {:?}", started.elapsed());

    let at = Instant::now();
    let r = t
        .server
        .post("/api/messages/all")
        .authorization_bearer(&admin)
        .json(&json!({"subject": "Bench", "message": "Hello everyone"}))
        .await;
    let request = at.elapsed();
    r.assert_status_ok();
    let at = Instant::now();
    t.run_jobs().await;
    let fan_out = at.elapsed();
    let rows = messages::Entity::find().count(t.app.db().conn()).await.unwrap();
    assert_eq!(rows as usize, CUSTOMERS + 1);
    println!("send to all: request {request:?}, every inbox has it after {fan_out:?}");

    let mut times: Vec<Duration> = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let at = Instant::now();
        let r = t.server.get("/api/me/messages/unread-count").authorization_bearer(&c.token).await;
        times.push(at.elapsed());
        r.assert_status_ok();
    }
    times.sort();
    println!(
        "unread count over HTTP: p50 {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}

#[test]
#[ignore = "benchmark"]
fn bench_render_template_with_20_variables() {
    let vars: Vars = (0..20).map(|i| (format!("v{i}"), format!("value <{i}> & more"))).collect();
    let body: String =
        (0..20).map(|i| format!("<mj-text>Field {i}: {{{{ v{i} }}}}</mj-text>")).collect();
    let mjml = format!(
        "<mjml><mj-body><mj-section><mj-column>{body}</mj-column></mj-section></mj-body></mjml>"
    );
    let txt: String = (0..20).map(|i| format!("Field {i}: {{{{ v{i} }}}}\n")).collect();
    let parts = Parts { subject: "Hello {{ v0 }}", mjml: &mjml, txt: &txt };
    let n = 5000;
    let at = Instant::now();
    for _ in 0..n {
        render(parts, &vars).unwrap();
    }
    let secs = at.elapsed().as_secs_f64();
    println!(
        "rendered {n} templates (20 variables, MJML to HTML + text) in {secs:.2}s: {:.0}/s",
        n as f64 / secs
    );
}
