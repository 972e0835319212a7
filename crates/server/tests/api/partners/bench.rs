//! Accrual throughput (ignored; run by hand, docs/benchmarks.md): closed positions of one
//! client under a 3-level tree, published then accrued by the job runner; a second run of the
//! same events adds nothing and the ledger verifies.

use std::time::Instant;

use brokercrm_app::partners::accrual::{AccrualEvent, accrue_many};
use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::money::assert_verified;
use crate::helpers::partners::{assign, closed, make_ib, model, payable, publish_closed};

// Two worker threads, as `brokercrm serve` or `worker` has on this 2-core machine
// (`#[tokio::main]`): the runner's two batches in flight then build and decode in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
    // One batch accrued directly (no job runner): the engine's own cost per event.
    let direct: Vec<AccrualEvent> = events[..n.min(500)]
        .iter()
        .map(|e| AccrualEvent::PositionClosed {
            customer_id: e.customer_id,
            position_id: e.position_id,
            symbol: e.symbol.clone(),
            lots: e.lots.minor(),
            currency: e.currency.as_str().to_owned(),
            realised_pl: e.realised_pl.minor(),
            commission: e.commission.minor(),
            swap: e.swap.minor(),
            transfer_id: e.transfer_id.clone(),
            at: brokercrm_store::db::now(),
        })
        .collect();
    let start = Instant::now();
    let accrued = accrue_many(&t.app, &direct).await.unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "one batch of {} events accrued directly ({} commissions) in {secs:.3} s: {:.0} events/s",
        direct.len(),
        accrued.len(),
        direct.len() as f64 / secs
    );
    let start = Instant::now();
    let ran = t.run_jobs().await;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "the job runner accrued {ran} closed positions (3 levels, 6 transfers each; the first batch replays) in {secs:.2} s: {:.0} events/s",
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
