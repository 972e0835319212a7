//! Load client of the trading WebSocket (bench/ws.sh): opens `clients` connections to
//! `GET /api/trading/stream`, subscribes each to `symbols`, and for `seconds` records, per
//! quote received, the latency from the quote's `time` (when the tick was formed at its
//! source, on this machine's clock) to its arrival. `slow` more connections subscribe and then
//! never read, to show the server's memory stays bounded. Prints one JSON line of figures.
//!
//! `cargo run --release -p brokercrm-server --example ws_load -- <ws-url> <token> <clients> <seconds> <symbols,...> [slow]`

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Conn =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(url: &str, symbols: &[String]) -> anyhow::Result<Conn> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
    let sub = json!({"type": "subscribe", "symbols": symbols}).to_string();
    ws.send(Message::Text(sub.into())).await?;
    Ok(ws)
}

/// Reads until `until`; returns the latencies in microseconds of the quotes formed after
/// `since` (earlier ones are the snapshot sent on subscribing, or backlog of the warm-up).
async fn read(mut ws: Conn, since: chrono::DateTime<chrono::Utc>, until: Instant) -> Vec<i64> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::from_std(until);
    while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(deadline, ws.next()).await {
        let Message::Text(t) = msg else { continue };
        let Ok(v) = serde_json::from_str::<Value>(t.as_str()) else { continue };
        if v["type"] != "quote" {
            continue;
        }
        let at = v["time"].as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
        if let Some(at) = at.filter(|a| a.to_utc() > since) {
            out.push((chrono::Utc::now() - at.to_utc()).num_microseconds().unwrap_or(i64::MAX));
        }
    }
    out
}

fn pct(sorted: &[i64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default() as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, token, clients, seconds, symbols, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: ws_load <ws-url> <token> <clients> <seconds> <symbols,...> [slow]");
    };
    let url = format!("{base}/api/trading/stream?accessToken={token}");
    let clients: usize = clients.parse()?;
    let seconds: u64 = seconds.parse()?;
    let slow: usize = rest.first().map_or(Ok(0), |s| s.parse())?;
    let symbols: Vec<String> = symbols.split(',').map(str::to_owned).collect();

    let started = Instant::now();
    let mut conns = Vec::with_capacity(clients);
    for _ in 0..clients {
        conns.push(connect(&url, &symbols).await?);
    }
    // Slow clients: subscribed, never read (kept open until the end).
    let mut idle = Vec::with_capacity(slow);
    for _ in 0..slow {
        idle.push(connect(&url, &symbols).await?);
    }
    let connect_ms = started.elapsed().as_millis();
    let since = chrono::Utc::now();
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = conns.into_iter().map(|c| tokio::spawn(read(c, since, until))).collect();
    let mut all = Vec::new();
    let mut silent = 0;
    for t in tasks {
        let l = t.await?;
        if l.is_empty() {
            silent += 1;
        }
        all.extend(l);
    }
    drop(idle);
    all.sort_unstable();
    println!(
        "{}",
        json!({
            "clients": clients, "slow": slow, "symbols": symbols, "seconds": seconds,
            "connect_ms": connect_ms, "quotes": all.len(), "clients_without_quotes": silent,
            "quotes_per_s": all.len() as f64 / seconds as f64,
            "latency_ms": {"p50": pct(&all, 0.5), "p90": pct(&all, 0.9), "p99": pct(&all, 0.99), "max": pct(&all, 1.0)}
        })
    );
    Ok(())
}
