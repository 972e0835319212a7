//! `TestApp`: a fresh database, the real router, recording fakes for e-mail and SMS, and
//! helpers to log in as users of any role. The fixtures and builders every context's tests
//! share live in the files beside this one, by topic.

pub mod assert;
pub mod browser;
pub mod distribution;
pub mod http;
pub mod lead_provider;
pub mod live;
pub mod market_data;
pub mod money;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;
pub mod users;
pub mod web;

pub use assert::assert_error;

use std::sync::Arc;

use axum_test::TestServer;
use brokercrm_app::context::Services;
use brokercrm_app::platform::clock::ManualClock;
use brokercrm_app::{App, AppConfig};
use brokercrm_core::identity::auth::Role;
use brokercrm_http::HttpConfig;
use brokercrm_integrations::email::RecordingEmailSender;
use brokercrm_integrations::sms::RecordingSmsSender;
use brokercrm_store::Db;
use serde_json::{Value, json};

pub struct TestApp {
    pub server: TestServer,
    pub app: App,
    pub emails: Arc<RecordingEmailSender>,
    pub sms: Arc<RecordingSmsSender>,
    pub db_url: String,
    /// The app's clock: starts at the real time and moves only when a test advances it.
    pub clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
    /// Dropped last: removes the test's PostgreSQL database.
    _database: DatabaseGuard,
}

/// Drops a per-test PostgreSQL database (`bcrm_t_*`) when the test ends, so local runs do not
/// pile them up; nothing for SQLite (its file goes with the temp directory).
pub struct DatabaseGuard(Option<String>);

impl DatabaseGuard {
    pub fn for_url(url: &str) -> Self {
        let name = url.rsplit_once('/').map(|(_, n)| n).filter(|n| n.starts_with("bcrm_t_"));
        Self(name.map(str::to_owned))
    }
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        let (Some(name), Ok(admin_url)) = (self.0.take(), std::env::var("TEST_DATABASE_URL"))
        else {
            return;
        };
        // Drop runs inside the test's runtime: use a thread with its own runtime.
        let done = std::thread::spawn(move || {
            use sea_orm::{ConnectionTrait, Database};
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let admin = Database::connect(&admin_url).await.ok()?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                admin.execute_unprepared(&sql).await.ok()?;
                admin.close().await.ok()
            })
        });
        let _ = done.join();
    }
}

/// A URL of a database no other test uses.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        Some(admin_url) => {
            use sea_orm::{ConnectionTrait, Database};
            let name = format!("bcrm_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url).await.expect("connect TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

/// The real router (API and staff portal) of `app` on the test transport.
fn serve(app: &App) -> TestServer {
    let mut portal = brokercrm_web::WebConfig::for_public_url("http://127.0.0.1");
    portal.trust_forwarded_for = true;
    let router = brokercrm_http::build_router(
        app.clone(),
        // Tests stand in for a proxy: they set X-Forwarded-For to choose the client IP.
        HttpConfig {
            trust_forwarded_for: true,
            portal: Some(brokercrm_web::router(app.clone(), portal)),
            ..HttpConfig::default()
        },
    );
    TestServer::new(router)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut AppConfig)) -> Self {
        Self::spawn_inner(tweak, |_| {}, true).await
    }

    /// Like [`TestApp::spawn`] but e-mails go through the provider configured in Settings
    /// (the real delivery path), not the recording override.
    pub async fn spawn_without_email_override() -> Self {
        Self::spawn_inner(|_| {}, |_| {}, false).await
    }

    /// Full control: the configuration, the services (after the defaults for that
    /// configuration), and whether e-mails are recorded instead of sent.
    pub async fn spawn_custom(
        tweak: impl FnOnce(&mut AppConfig),
        tweak_services: impl FnOnce(&mut Services),
        email_override: bool,
    ) -> Self {
        Self::spawn_inner(tweak, tweak_services, email_override).await
    }

    async fn spawn_inner(
        tweak: impl FnOnce(&mut AppConfig),
        tweak_services: impl FnOnce(&mut Services),
        email_override: bool,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db_url = fresh_database_url(dir.path()).await;
        let database = DatabaseGuard::for_url(&db_url);
        let db = Db::connect(&db_url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let mut cfg = AppConfig {
            files_dir: dir.path().join("files"),
            data_key_file: dir.path().join("keys/data.key"),
            argon2_memory_kib: 256,
            allow_private_outbound: true,
            ..AppConfig::default()
        };
        tweak(&mut cfg);
        let emails = Arc::new(RecordingEmailSender::default());
        let sms = Arc::new(RecordingSmsSender::default());
        let mut services = Services::for_config(&cfg).expect("services");
        if email_override {
            services.email_override = Some(emails.clone());
        }
        services.sms = sms.clone();
        let clock = Arc::new(ManualClock::new(brokercrm_store::db::now()));
        services.clock = clock.clone();
        tweak_services(&mut services);
        let app = App::build(db, cfg, services, None).await.expect("app");
        let server = serve(&app);
        Self { server, app, emails, sms, db_url, clock, _dir: dir, _database: database }
    }

    /// A second instance of this application on the same database (as a second `serve`
    /// behind a load balancer): its own process state (lanes, bus, caches), the same
    /// configuration, data key and clock. Its database outlives it with this one.
    pub async fn another_instance(&self) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::connect(&self.db_url).await.expect("connect");
        let cfg = self.app.cfg().clone();
        let emails = Arc::new(RecordingEmailSender::default());
        let sms = Arc::new(RecordingSmsSender::default());
        let mut services = Services::for_config(&cfg).expect("services");
        services.email_override = Some(emails.clone());
        services.sms = sms.clone();
        services.clock = self.clock.clone();
        let app = App::build(db, cfg, services, None).await.expect("app");
        let server = serve(&app);
        let (db_url, clock) = (self.db_url.clone(), self.clock.clone());
        Self { server, app, emails, sms, db_url, clock, _dir: dir, _database: DatabaseGuard(None) }
    }

    /// The test's temporary directory (files, the data key).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Creates a user of `role` with `password`, returns its e-mail.
    pub async fn create_user(&self, role: Role, email: &str, password: &str) -> String {
        use brokercrm_store::repo::identity::users::{self, NewUser};
        let hash = brokercrm_app::identity::security::hash_password(
            self.app.hasher(),
            password.to_owned(),
        )
        .await
        .unwrap();
        users::insert(
            self.app.db().conn(),
            NewUser {
                uuid: uuid::Uuid::now_v7().to_string(),
                email: email.to_owned(),
                password_hash: Some(hash),
                role: role.as_str().into(),
                skip_onboarding_steps: "[]".into(),
                ref_key: brokercrm_app::identity::security::new_ref_key(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        email.to_owned()
    }

    /// Logs in through `POST /api/sessions`; returns the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self
            .server
            .post("/api/sessions")
            .json(&json!({"username": email, "password": password}))
            .await;
        r.assert_status_ok();
        r.json::<Value>()["token"].as_str().expect("token").to_owned()
    }

    /// A user of `role` and its access token.
    pub async fn token_for(&self, role: Role) -> String {
        self.user(role).logged_in().create().await.token
    }

    /// A user of `role` and an access token minted directly (no login round trip);
    /// returns (token, e-mail).
    pub async fn mint_token(&self, role: Role) -> (String, String) {
        let user = self.user(role).create().await;
        (user.token, user.email)
    }

    pub async fn admin_token(&self) -> String {
        self.token_for(Role::Admin).await
    }

    /// Runs queued jobs to completion.
    pub async fn run_jobs(&self) -> usize {
        brokercrm_app::workers::runner(self.app.clone(), "test").run_until_idle().await.unwrap()
    }
}
