//! Accrual throughput (ignored; run by hand, docs/benchmarks.md): closed positions of one
//! client under a 3-level tree, published then accrued by the job runner; a second run of the
//! same events adds nothing and the ledger verifies.

use std::time::Instant;

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::money::assert_verified;
use crate::helpers::partners::{assign, closed, make_ib, model, payable, publish_closed};

#[tokio::test]
#[ignore = "a measurement: cargo test -p brokercrm-server --test api accrual_throughput -- --ignored --nocapture"]
async fn accrual_throughput() {
    let n: usize =
        std::env::var("ACCRUAL_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let levels = json!([{"level": 1, "lotAmount": 5, "revSharePercent": 20},
                        {"level": 2, "lotAmount": 1, "revSharePercent": 5},
                        {"level": 3, "lotAmount": 0.5, "revSharePercent": 1}]);
    let id = model(&t, &admin, "Bench", levels).await;
    let ibs = [
        t.user(Role::Affiliate).create().await,
        t.user(Role::Affiliate).create().await,
        t.user(Role::Affiliate).create().await,
    ];
    for ib in &ibs {
        make_ib(&t, &admin, &ib.uuid, Some(id)).await;
    }
    assign(&t, &admin, &ibs[1].uuid, &ibs[0].uuid).await;
    assign(&t, &admin, &ibs[2].uuid, &ibs[1].uuid).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &client.uuid, &ibs[2].uuid).await;
    let events: Vec<_> = (0..n)
        .map(|i| closed(client.id, client.wallets[0], &format!("bench-{i}"), "1", "-10"))
        .collect();
    for e in &events {
        publish_closed(&t, e).await;
    }
    let start = Instant::now();
    let ran = t.run_jobs().await;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "accrued {ran} closed positions (3 levels, 6 transfers each) in {secs:.2} s: {:.0} events/s",
        ran as f64 / secs
    );
    let once = payable(&t, ibs[2].id).await;
    for e in &events[..100] {
        publish_closed(&t, e).await;
    }
    t.run_jobs().await;
    assert_eq!(payable(&t, ibs[2].id).await, once, "a second run adds nothing");
    assert_verified(t.app.db()).await;
}
