//! Tick to committed stop-loss close (ignored; run by hand, docs/benchmarks.md): open
//! positions with stop losses spread around the price, ticks formed at a fixed rate and stored
//! through `prices::ingest` a batch per commit (every tick due when the loop comes round),
//! while an evaluator loop (as `triggers::run`: woken by each tick commit, else every 100 ms)
//! fires what they make due; each close's latency is measured from the moment the first tick
//! that crossed its stop was due to the commit of the batch that closed it. Prints the passes'
//! durations too. Ends with `ledger verify`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use brokercrm_app::trading::prices::{Tick, ingest};
use brokercrm_app::trading::triggers::Evaluator;
use brokercrm_engine::Price;
use serde_json::json;
use tokio::sync::watch;

use crate::helpers::TestApp;
use crate::helpers::money::{assert_verified, enable_test_provider};
use crate::helpers::trading::{eurusd_market, open};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// 1.08500 in price units (10^-8) and one EURUSD point.
const MID: i64 = 108_500_000;
const POINT: i64 = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: TICK_POSITIONS=10000 cargo test --release -p brokercrm-server --test api tick_to_close -- --ignored --nocapture"]
async fn tick_to_close() {
    if let Ok(filter) = std::env::var("TICK_LOG") {
        // e.g. TICK_LOG=brokercrm_app::trading::triggers=debug: the slow passes' steps
        let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
    }
    let positions = env("TICK_POSITIONS", 10_000);
    let wallets = env("TICK_WALLETS", 100).max(1);
    let rate = env("TICK_RATE", 1_000).max(1);
    let seconds = env("TICK_SECONDS", 20);
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    eurusd_market(&t, &admin).await;
    let mut builder = t.customer().admin(&admin);
    for _ in 0..wallets {
        builder = builder.with_wallet("USD", 10_000_000);
    }
    let c = builder.create().await;

    // Stops from 20 to 400 points away: longs below the bid, shorts above the ask.
    let mut stops: HashMap<i64, (bool, i64)> = HashMap::new();
    let started = Instant::now();
    for i in 0..positions {
        let long = i.is_multiple_of(2);
        let away = 20 + (i as i64 * 7919) % 380;
        let sl = if long { MID - away * POINT } else { MID + 10 * POINT + away * POINT };
        let body = json!({
            "accountId": c.wallets[i % wallets], "symbol": "EURUSD",
            "side": if long { "BUY" } else { "SELL" }, "size": "0.01",
            "stopLoss": format!("{}.{:05}", sl / 100_000_000, (sl % 100_000_000) / 1_000),
        });
        let (s, p) = open(&t, &c.token, body).await;
        assert_eq!(s, 200, "{p}");
        stops.insert(p["id"].as_i64().unwrap(), (long, sl));
    }
    println!("opened {positions} positions on {wallets} wallets in {:?}", started.elapsed());

    // The evaluator, as `triggers::run` drives it, reporting when each close was committed
    // (stamped as its batch's commit returned, not at the end of its pass).
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<Duration>();
    let app = t.app.clone();
    let evaluator = tokio::spawn(async move {
        let mut ev = Evaluator::new("bench");
        let mut closed: Vec<(i64, Instant)> = Vec::new();
        let mut passes: Vec<(Instant, Duration)> = Vec::new();
        // The first pass (the rebuild and the first screening of every wallet) is the start,
        // not a measurement: the ticks begin once it is over.
        let began = Instant::now();
        let first = ev.pass(&app).await.expect("pass");
        assert!(first.leader && first.rebuilt, "{first:?}");
        let _ = ready_tx.send(began.elapsed());
        loop {
            let began = Instant::now();
            let pass = ev.pass(&app).await.expect("pass");
            let now = Instant::now();
            passes.push((began, now - began));
            closed.extend(pass.closed.into_iter().zip(pass.closed_at));
            if *stop_rx.borrow() {
                return (closed, passes);
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                _ = app.ticked().notified() => {}
                _ = stop_rx.changed() => {}
            }
        }
    });
    let rebuilt = ready_rx.await.expect("the first pass");
    println!("the books rebuilt and every wallet screened in {rebuilt:?}");

    // A random walk of one point per tick, formed on schedule at `rate`; the loop stores
    // every tick due when it comes round in one ingest (as a provider pushes a batch), so a
    // slow commit makes the next batch bigger, never the feed slower. A tick's instant is
    // when it was due: its latency includes the wait for its batch.
    let total = rate * seconds;
    let mut ticks: Vec<(Instant, i64)> = Vec::with_capacity(total);
    let mut bid = MID;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let every = Duration::from_secs(1) / u32::try_from(rate).unwrap();
    let due = |n: usize| every * u32::try_from(n).unwrap();
    let start = Instant::now();
    let base = brokercrm_app::platform::clock::Clock::now(&*t.clock);
    let mut batches = 0usize;
    while ticks.len() < total {
        let mut batch = Vec::new();
        while ticks.len() < total && start + due(ticks.len()) <= Instant::now() {
            let n = ticks.len();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bid += if seed.is_multiple_of(2) { POINT } else { -POINT };
            let at = base + chrono::Duration::microseconds(i64::try_from(n).unwrap() * 100 + 100);
            batch.push(Tick {
                symbol: "EURUSD".into(),
                bid: Price::from_minor(bid),
                ask: Price::from_minor(bid + 10 * POINT),
                at,
            });
            ticks.push((start + due(n), bid));
        }
        if batch.is_empty() {
            tokio::time::sleep_until((start + due(ticks.len())).into()).await;
        } else {
            ingest(&t.app, "bench", batch).await.expect("ingest");
            batches += 1;
        }
    }
    // From the first tick's due time to the last batch's commit.
    let ticking = start.elapsed();
    println!("{total} ticks stored in {batches} ingests");
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send(true).unwrap();
    let (closed, timeline) = evaluator.await.unwrap();
    let mut passes: Vec<Duration> = timeline.iter().map(|(_, d)| *d).collect();
    passes.sort();
    let at = |p: f64| passes[((passes.len() as f64 * p) as usize).min(passes.len() - 1)];
    println!(
        "{} passes: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        passes.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        passes.last().unwrap()
    );

    let mut latencies: Vec<Duration> = Vec::with_capacity(closed.len());
    let mut worst: Option<(Duration, Instant, Instant)> = None;
    for (id, done) in &closed {
        let (long, sl) = stops[id];
        let crossed =
            ticks.iter().find(|(_, b)| if long { *b <= sl } else { b + 10 * POINT >= sl });
        let (at, _) = crossed.expect("a close without a crossing tick");
        let took = done.saturating_duration_since(*at);
        latencies.push(took);
        if worst.is_none_or(|(w, _, _)| took > w) {
            worst = Some((took, *at, *done));
        }
    }
    latencies.sort();
    // Where the slowest close waited: its crossing tick, its commit, and the passes between.
    if let Some((took, crossed, done)) = worst {
        let ms = |i: Instant| i.saturating_duration_since(start).as_secs_f64() * 1e3;
        let between: Vec<String> = timeline
            .iter()
            .filter(|(b, d)| *b + *d >= crossed && *b <= done)
            .map(|(b, d)| format!("+{:.1} ms for {:.1} ms", ms(*b), d.as_secs_f64() * 1e3))
            .collect();
        println!(
            "slowest close: {took:?}, its stop crossed at +{:.1} ms, committed at +{:.1} ms; passes between: {}",
            ms(crossed),
            ms(done),
            between.join(", ")
        );
    }
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
    };
    println!(
        "{} ticks in {ticking:?} ({:.0}/s), {} stop-loss closes: p50 {:?}, p99 {:?}, max {:?}",
        ticks.len(),
        ticks.len() as f64 / ticking.as_secs_f64(),
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies.last()
    );
    assert!(!latencies.is_empty(), "the walk crossed no stop");
    assert_verified(t.app.db()).await;
}
