//! Crash safety under load (issue 20): the real `brokercrm serve` process takes lead pushes
//! (affiliate API v2, group-commit intake) and staff deposits through the manual house account
//! (the manual lane) from concurrent clients, is killed with SIGKILL mid-load, and restarts on
//! the same database. Every lead and deposit that was answered 200 before the kill is stored,
//! and `ledger verify` finds nothing wrong.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use brokercrm_core::money::wallets::transfer_id;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::helpers::{DatabaseGuard, fresh_database_url};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn brokercrm(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brokercrm"));
    c.current_dir(dir)
        .env("BROKERCRM_LOG_LEVEL", "error")
        .env("BROKERCRM_METRICS", "false")
        .env("BROKERCRM_FILES_DIR", dir.join("files"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// A running server, killed and reaped when dropped (also when the test fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

async fn serve(dir: &std::path::Path, url: &str) -> (Server, String) {
    let port = free_port();
    let child = brokercrm(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", url])
        .spawn()
        .unwrap();
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..400 {
        if client.get(format!("{base}/api/health")).send().await.is_ok_and(|r| r.status() == 200) {
            return (server, base);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("server did not start");
}

async fn post(
    c: &reqwest::Client,
    url: String,
    auth: &str,
    key: Option<&str>,
    body: &Value,
) -> Option<Value> {
    let mut req = c.post(url).header("Authorization", auth).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let r = req.send().await.ok()?;
    if r.status() != 200 {
        return None;
    }
    r.json().await.ok()
}

#[tokio::test]
async fn kill_9_under_load_loses_no_acknowledged_lead_or_deposit() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let _database = DatabaseGuard::for_url(&url);
    let creds_path = dir.path().join("demo.json");
    let ok = brokercrm(dir.path())
        .args(["demo", "--database-url", &url, "--out"])
        .arg(&creds_path)
        .status()
        .unwrap();
    assert!(ok.success());
    let creds: Value = serde_json::from_slice(&std::fs::read(&creds_path).unwrap()).unwrap();
    let (mut child, base) = serve(dir.path(), &url).await;
    let c = reqwest::Client::new();
    let login = |role: &str| {
        let u = &creds["users"][role];
        json!({"username": u["email"], "password": u["password"]})
    };
    let admin = post(&c, format!("{base}/api/sessions"), "", None, &login("admin")).await.unwrap();
    let admin = format!("Bearer {}", admin["token"].as_str().unwrap());
    let customer =
        post(&c, format!("{base}/api/sessions"), "", None, &login("customer")).await.unwrap();
    let wallet = post(
        &c,
        format!("{base}/api/wallets"),
        &admin,
        None,
        &json!({"customerId": customer["user"]["id"]}),
    )
    .await
    .unwrap();
    let wallet = wallet.get("data").unwrap_or(&wallet)["id"].as_i64().unwrap();
    let token = creds["affiliate_v2"]["token"].as_str().unwrap().to_owned();

    let stop = Arc::new(AtomicBool::new(false));
    let leads = Arc::new(Mutex::new(Vec::<String>::new()));
    let deposits = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut tasks = Vec::new();
    for n in 0..8 {
        let (c, base, stop) = (c.clone(), base.clone(), stop.clone());
        let (leads, deposits, admin, token) =
            (leads.clone(), deposits.clone(), admin.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                if n % 2 == 0 {
                    let body = json!({"ip": "1.1.1.1", "country_code": "DE",
                        "email": format!("crash-{n}-{i}@lead.test"), "first_name": "Crash"});
                    if let Some(b) =
                        post(&c, format!("{base}/api/affiliates/v2/leads"), &token, None, &body)
                            .await
                    {
                        leads.lock().await.push(b["lead_uuid"].as_str().unwrap().to_owned());
                    }
                } else {
                    let key = format!("crash-{n}-{i}");
                    let body = json!({"type": "DEPOSIT", "amount": "0.01"});
                    let url = format!("{base}/api/wallets/{wallet}/transactions");
                    if post(&c, url, &admin, Some(&key), &body).await.is_some() {
                        deposits.lock().await.push(key);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.0.kill().unwrap(); // SIGKILL
    child.0.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let (leads, deposits) = (leads.lock().await.clone(), deposits.lock().await.clone());
    assert!(
        leads.len() > 10 && deposits.len() > 10,
        "{} leads, {} deposits",
        leads.len(),
        deposits.len()
    );

    // Restart on the same database (recovery runs), then check what was acknowledged.
    let (_server, _) = serve(dir.path(), &url).await;
    let db = brokercrm_store::Db::connect(&url).await.unwrap();
    let email = creds["users"]["admin"]["email"].as_str().unwrap();
    let users = brokercrm_store::repo::identity::users::find_by_email(db.conn(), email);
    let admin_id = users.await.unwrap().unwrap().id;
    for uuid in &leads {
        let lead = brokercrm_store::repo::distribution::leads::find_by_uuid(db.conn(), uuid)
            .await
            .unwrap();
        assert!(lead.is_some(), "acknowledged lead {uuid} lost");
    }
    for key in &deposits {
        let id = transfer_id(admin_id, Some(key)).unwrap();
        let t = brokercrm_store::repo::money::ledger::transfers::find(db.conn(), id.as_str())
            .await
            .unwrap();
        assert!(t.is_some(), "acknowledged deposit {key} lost");
    }
    let report = brokercrm_app::money::ledger::verify(&db).await.unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
}
