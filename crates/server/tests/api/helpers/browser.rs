//! The browser tests' harness: headless Chromium driven through chromedriver (WebDriver, with
//! fantoccini) against a real `brokercrm serve` process on the test's database. Browser tests
//! run one at a time. Without Debian's `chromium` and `chromium-driver` they skip and say so,
//! unless `BROKERCRM_REQUIRE_BROWSER=1` (set by `.ci/run`), where a missing browser fails.
//! Screenshots of the main screens go to `target/screenshots/`.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::TestApp;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A browser on a running `serve`.
pub struct Browser {
    pub c: Client,
    pub base: String,
    /// What `serve` printed on stdout (the first admin's one-time password).
    pub serve_out: Arc<Mutex<Vec<String>>>,
    _procs: Procs,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// The child processes, ended when the test ends (passed or panicked).
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Whether the browser is installed; when it is not, says so and (under
/// `BROKERCRM_REQUIRE_BROWSER=1`) fails.
pub fn available(test: &str) -> bool {
    let have =
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !have {
        assert!(
            std::env::var("BROKERCRM_REQUIRE_BROWSER").ok().as_deref() != Some("1"),
            "{test}: {CHROMIUM} and {CHROMEDRIVER} are required (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "{test}: skipped: no {CHROMIUM} / {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
    }
    have
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(60), "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Where screenshots go: `target/screenshots/`.
pub fn screenshots_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().map(|p| p.join("screenshots")).unwrap_or(tmp);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    /// Starts `serve` on `t`'s database and a headless Chromium; `None` (skipped) without a
    /// browser.
    pub async fn start(t: &TestApp, test: &str) -> Option<Browser> {
        if !available(test) {
            return None;
        }
        let turn = TURN.lock().await;
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut serve = Command::new(env!("CARGO_BIN_EXE_brokercrm"))
            .arg("serve")
            .current_dir(t.dir())
            .env("DATABASE_URL", &t.db_url)
            .env("BROKERCRM_LISTEN", format!("127.0.0.1:{port}"))
            .env("BROKERCRM_PUBLIC_URL", &base)
            .env("BROKERCRM_METRICS", "false")
            .env("BROKERCRM_FILES_DIR", t.dir().join("files"))
            .env("BROKERCRM_DATA_KEY_FILE", t.dir().join("keys/data.key"))
            .env("BROKERCRM_ARGON2_MEMORY_KIB", "1024")
            .env("BROKERCRM_LOG_LEVEL", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start brokercrm serve");
        let serve_out = Arc::new(Mutex::new(Vec::new()));
        if let Some(out) = serve.stdout.take() {
            let lines = serve_out.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(out).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(l);
                }
            });
        }
        let mut procs = Procs(vec![serve]);
        let dport = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        procs.0.push(driver);
        wait_port(port, "brokercrm serve");
        wait_port(dport, "chromedriver");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": CHROMIUM, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000"
            ]}),
        );
        // fantoccini's TLS stack needs a process-wide crypto provider (chromedriver is plain
        // HTTP on loopback; nothing is encrypted).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let c = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{dport}"))
            .await
            .expect("connect to chromedriver");
        Some(Browser { c, base, serve_out, _procs: procs, _turn: turn })
    }

    pub async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let u = self.c.current_url().await.unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.c.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }

    pub async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    pub async fn value(&self, css: &str) -> String {
        let el = self.c.find(Locator::Css(css)).await.unwrap();
        el.prop("value").await.unwrap().unwrap_or_default()
    }

    pub async fn select(&self, css: &str, value: &str) {
        let el = self.c.find(Locator::Css(css)).await.unwrap();
        el.select_by_value(value).await.unwrap();
    }

    /// Waits until `css` exists (up to 10 s).
    pub async fn wait_for(&self, css: &str) {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"));
    }

    /// Waits until the text of `css` is `want` (up to `secs`).
    pub async fn wait_text(&self, css: &str, want: &str, secs: u64) {
        let start = Instant::now();
        loop {
            let found = match self.c.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if found.trim() == want {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(secs), "{css}: {found:?}, want {want:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Logs in through the login form.
    pub async fn login(&self, email: &str, password: &str) {
        self.goto("/admin/login").await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("#login").await;
        self.wait_for("#menu, #login-error").await;
    }

    /// Logs out with the menu's button.
    pub async fn logout(&self) {
        self.click("#logout").await;
        self.wait_for("#login").await;
    }

    /// The menu's screens (their keys), in order.
    pub async fn menu(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.c.find_all(Locator::Css("#menu a[data-menu]")).await.unwrap() {
            out.push(a.attr("data-menu").await.unwrap().unwrap_or_default());
        }
        out
    }

    /// The menu's entries as (key, link).
    pub async fn menu_links(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for a in self.c.find_all(Locator::Css("#menu a[data-menu]")).await.unwrap() {
            let key = a.attr("data-menu").await.unwrap().unwrap_or_default();
            out.push((key, a.attr("href").await.unwrap().unwrap_or_default()));
        }
        out
    }

    /// How many elements match `css` on the current page.
    pub async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    /// Saves a screenshot as `target/screenshots/<name>.png`.
    pub async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// The one-time password `serve` printed for the first admin, once it has.
    pub fn first_admin_password(&self) -> Option<String> {
        self.serve_out
            .lock()
            .unwrap()
            .iter()
            .find_map(|l| l.trim().strip_prefix("password:").map(|p| p.trim().to_owned()))
    }

    pub async fn close(self) {
        let c = self.c.clone();
        let _ = c.close().await;
    }
}
