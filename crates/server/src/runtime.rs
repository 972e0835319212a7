//! Turning configuration into a running process: logging, database, app context, HTTP server,
//! job runner, graceful shutdown.

use std::net::SocketAddr;
use std::time::Instant;

use anyhow::Context;
use axum::serve::ListenerExt;
use brokercrm_app::context::Services;
use brokercrm_app::{App, AppConfig};
use brokercrm_http::HttpConfig;
use brokercrm_store::Db;
use secrecy::ExposeSecret;
use tokio::sync::watch;

use crate::config::Config;

fn init_tracing(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cfg.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if cfg.log_format == "json" { builder.json().try_init() } else { builder.try_init() };
}

/// The application-layer settings of `cfg`.
pub fn app_config(cfg: &Config) -> anyhow::Result<AppConfig> {
    let data_key = match &cfg.data_key {
        Some(k) => Some(
            brokercrm_app::platform::crypto::DataKey::from_base64(k.expose_secret())
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?,
        ),
        None => None,
    };
    Ok(AppConfig {
        public_url: cfg.public_url.trim_end_matches('/').to_owned(),
        access_token_ttl: std::time::Duration::from_secs(cfg.access_token_ttl_secs),
        refresh_token_ttl: std::time::Duration::from_secs(cfg.refresh_token_ttl_secs),
        files_dir: cfg.files_dir.clone(),
        geoip_path: cfg.geoip_db.clone(),
        argon2_memory_kib: cfg.argon2_memory_kib,
        login_attempts_per_account_ip: cfg.login_attempts_per_account_ip,
        login_backoff_max: std::time::Duration::from_secs(cfg.login_backoff_max_secs),
        login_attempts_per_account: cfg.login_attempts_per_account,
        login_attempts_per_ip: cfg.login_attempts_per_ip,
        login_window: std::time::Duration::from_secs(cfg.login_window_secs),
        signups_per_ip_per_hour: cfg.signups_per_ip_per_hour,
        allow_private_outbound: cfg.allow_private_outbound,
        lead_global_timeout: std::time::Duration::from_secs(cfg.lead_global_timeout_secs),
        distribution_cache_ttl: std::time::Duration::from_millis(cfg.distribution_cache_ttl_ms),
        auth_cache_ttl: std::time::Duration::from_millis(cfg.auth_cache_ttl_ms),
        trading_cache_ttl: std::time::Duration::from_millis(cfg.trading_cache_ttl_ms),
        stream_recheck: std::time::Duration::from_millis(cfg.stream_recheck_ms),
        auto_login_ttl: std::time::Duration::from_secs(cfg.auto_login_ttl_secs),
        lead_provider_token_ttl: std::time::Duration::from_secs(
            cfg.lead_provider_token_ttl_secs.max(1),
        ),
        shared_request_windows: cfg.shared_request_windows,
        lead_profile_keys: cfg.lead_profile_keys.clone(),
        data_key,
        data_key_file: cfg.data_key_file.clone(),
        bitstamp_api_url: cfg.bitstamp_api_url.trim_end_matches('/').to_owned(),
        price_simulator_every: (cfg.price_simulator_ms > 0)
            .then(|| std::time::Duration::from_millis(cfg.price_simulator_ms)),
    })
}

/// The staff portal's settings of `cfg`.
pub fn web_config(cfg: &Config) -> brokercrm_web::WebConfig {
    let mut w = brokercrm_web::WebConfig::for_public_url(&cfg.public_url);
    w.limits.idle = std::time::Duration::from_secs(cfg.web_idle_timeout_secs.max(1));
    w.limits.absolute = std::time::Duration::from_secs(cfg.web_absolute_timeout_secs.max(1));
    w.trust_forwarded_for = cfg.trust_forwarded_for;
    w
}

/// Connects, migrates and builds the application context.
pub async fn open(cfg: &Config) -> anyhow::Result<App> {
    let db = Db::connect(cfg.database_url.expose_secret())
        .await
        .context("connecting to the database")?;
    db.migrate().await.context("applying migrations")?;
    let app_cfg = app_config(cfg)?;
    let services = Services::for_config(&app_cfg).context("setting up services")?;
    let secret = cfg.jwt_secret.as_ref().map(|s| s.expose_secret().to_owned());
    App::build(db, app_cfg, services, secret).await.context("building the application")
}

fn worker_id() -> String {
    format!(
        "{}-{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "brokercrm".into()),
        std::process::id()
    )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received");
}

pub async fn serve(cfg: Config) -> anyhow::Result<()> {
    init_tracing(&cfg);
    let started = Instant::now();
    let app = open(&cfg).await?;
    if let Some((email, password)) =
        brokercrm_app::identity::bootstrap::ensure_first_admin(&app).await?
    {
        println!("First admin created. Log in once with this one-time password and change it:");
        println!("  email:    {email}");
        println!("  password: {password}");
    }
    // The VAPID key pair exists from the first start on (browsers subscribe with its public key).
    brokercrm_app::messaging::push::keys::ensure(&app).await?;
    let metrics = if cfg.metrics {
        metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder().ok()
    } else {
        None
    };
    let http_cfg = HttpConfig {
        body_limit: cfg.body_limit_bytes,
        cors_origins: cfg.cors_origins.clone(),
        metrics,
        trust_forwarded_for: cfg.trust_forwarded_for,
        disable_docs: !cfg.docs,
        portal: Some(brokercrm_web::router(app.clone(), web_config(&cfg))),
    };
    let metrics_router = brokercrm_http::metrics_router(&http_cfg);
    let router = brokercrm_http::build_router(app.clone(), http_cfg);
    // TCP_NODELAY on every connection: an answer written in more than one segment must not
    // wait for the client's delayed ACK (Nagle), ~40 ms on Linux.
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| format!("binding {}", cfg.listen))?
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "cannot set TCP_NODELAY");
            }
        });
    let (stop_tx, stop_rx) = watch::channel(false);
    if let Some(metrics_router) = metrics_router {
        let metrics_listener = tokio::net::TcpListener::bind(&cfg.metrics_listen)
            .await
            .with_context(|| format!("binding metrics_listen {}", cfg.metrics_listen))?;
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            let served = axum::serve(metrics_listener, metrics_router)
                .with_graceful_shutdown(shutdown)
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "metrics listener failed");
            }
        });
        tracing::info!(metrics_listen = %cfg.metrics_listen, "metrics listening");
    }
    let runner = cfg
        .run_workers
        .then(|| tokio::spawn(brokercrm_app::workers::run(app.clone(), worker_id(), stop_rx)));
    tracing::info!(listen = %cfg.listen, startup_ms = started.elapsed().as_millis() as u64, "brokercrm listening");
    if cfg.docs {
        println!("brokercrm listening on http://{} (API docs at /docs)", cfg.listen);
    } else {
        println!("brokercrm listening on http://{}", cfg.listen);
    }
    // On the signal, live streams are told to close too: upgraded connections are not part
    // of the graceful shutdown's wait, so it waits for them below (briefly).
    let stopping = {
        let app = app.clone();
        async move {
            shutdown_signal().await;
            app.streams().stop();
        }
    };
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stopping)
        .await
        .context("serving HTTP")?;
    if !app.streams().all_closed(std::time::Duration::from_secs(5)).await {
        tracing::warn!(open = app.streams().open(), "live streams still open at shutdown");
    }
    let _ = stop_tx.send(true);
    if let Some(r) = runner {
        let _ = r.await;
    }
    app.db().clone().close().await.ok();
    tracing::info!("brokercrm stopped");
    Ok(())
}

pub async fn worker(cfg: Config) -> anyhow::Result<()> {
    init_tracing(&cfg);
    let app = open(&cfg).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let task = tokio::spawn(brokercrm_app::workers::run(app.clone(), worker_id(), stop_rx));
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    let _ = task.await;
    Ok(())
}

pub async fn migrate(cfg: Config) -> anyhow::Result<()> {
    init_tracing(&cfg);
    let db = Db::connect(cfg.database_url.expose_secret())
        .await
        .context("connecting to the database")?;
    db.migrate().await.context("applying migrations")?;
    println!("migrations applied");
    Ok(())
}

pub async fn admin_create(cfg: Config, email: &str) -> anyhow::Result<()> {
    init_tracing(&cfg);
    let app = open(&cfg).await?;
    let password = brokercrm_app::identity::bootstrap::create_admin(&app, email)
        .await
        .map_err(|e| anyhow::anyhow!(e.public_message()))?;
    println!("admin created: {email}");
    println!("one-time password: {password}");
    Ok(())
}

/// `brokercrm ledger verify`: prints the report; an error (non-zero exit) on any violation.
pub async fn ledger_verify(cfg: Config, json: bool) -> anyhow::Result<()> {
    init_tracing(&cfg);
    let db = Db::connect(cfg.database_url.expose_secret())
        .await
        .context("connecting to the database")?;
    let report = brokercrm_app::money::ledger::verify(&db)
        .await
        .map_err(|e| anyhow::anyhow!("verifying the ledger: {e:?}"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "ledger: {} accounts, {} transfers, {} violations",
            report.accounts,
            report.transfers,
            report.violations.len()
        );
        for v in &report.violations {
            println!("  violation: {v}");
        }
    }
    if report.is_clean() {
        Ok(())
    } else {
        anyhow::bail!("{} ledger invariant violation(s)", report.violations.len())
    }
}
