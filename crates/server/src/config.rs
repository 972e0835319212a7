//! Layered configuration: defaults < `brokercrm.toml` < `BROKERCRM_*` env (and `DATABASE_URL`)
//! < command-line flags. Secrets are redacted in Debug and logs.

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Every configuration option of the server. See the README's configuration table.
#[derive(Debug, Deserialize)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// `sqlite://...` (default, embedded) or `postgres://...`.
    pub database_url: SecretString,
    /// Public base URL used in e-mailed links.
    pub public_url: String,
    /// JWT signing secret; generated and stored in the database on first start when unset.
    pub jwt_secret: Option<SecretString>,
    /// Base64 of the 256-bit key that encrypts stored secrets (payment-provider keys); when
    /// unset, read from (or generated once into) `data_key_file`.
    pub data_key: Option<SecretString>,
    /// The data key file: created mode 0600 (directory 0700) when missing; refused when group-
    /// or world-accessible or inside `files_dir`.
    pub data_key_file: PathBuf,
    /// Local directory for uploaded files.
    pub files_dir: PathBuf,
    /// Optional MaxMind GeoLite2/GeoIP2 country database for "country by IP".
    pub geoip_db: Option<PathBuf>,
    /// Allowed CORS origins (`*` for any).
    pub cors_origins: Vec<String>,
    /// Largest request body in bytes.
    pub body_limit_bytes: usize,
    /// `text` or `json` logs.
    pub log_format: String,
    /// tracing filter, e.g. `info,brokercrm=debug`.
    pub log_level: String,
    /// Run the job runner inside `serve`.
    pub run_workers: bool,
    /// Access token lifetime in seconds.
    pub access_token_ttl_secs: u64,
    /// Refresh token lifetime in seconds.
    pub refresh_token_ttl_secs: u64,
    /// Serve Prometheus metrics at `/metrics` on `metrics_listen` (never on the API port).
    pub metrics: bool,
    /// Address of the metrics listener (keep it private: loopback or an internal network).
    pub metrics_listen: String,
    /// Serve the API docs (`/docs` and `/openapi.json`).
    pub docs: bool,
    /// argon2id memory cost in KiB.
    pub argon2_memory_kib: u32,
    /// Failed logins (or OAuth client-secret guesses) per (account, client IP) before each
    /// further one doubles a wait, from 1 s up to `login_backoff_max_secs`.
    pub login_attempts_per_account_ip: u32,
    /// Longest wait of a backed-off (account, IP) pair, in seconds.
    pub login_backoff_max_secs: u64,
    /// Failed logins per account from all IPs within `login_window_secs`; beyond it only IPs
    /// that signed in to the account before may try.
    pub login_attempts_per_account: u32,
    /// Failed logins per client IP over all accounts within `login_window_secs`.
    pub login_attempts_per_ip: u32,
    /// Window of the per-account and per-IP login ceilings, in seconds.
    pub login_window_secs: u64,
    /// Public sign-ups accepted per client IP per hour.
    pub signups_per_ip_per_hour: u32,
    /// Let admin-configured outbound URLs (adapters, webhooks) target loopback/private hosts.
    pub allow_private_outbound: bool,
    /// Time budget of one lead's whole rotation, in seconds (seed 001: 85).
    pub lead_global_timeout_secs: u64,
    /// How long routing configuration is cached on the intake path, in milliseconds.
    pub distribution_cache_ttl_ms: u64,
    /// How long authentication reuses a user's status and role, in milliseconds (0: never).
    pub auth_cache_ttl_ms: u64,
    /// How long the trading request path reuses instruments, downtimes and trading groups, in
    /// milliseconds (0: read on every request).
    pub trading_cache_ttl_ms: u64,
    /// How often an open live stream checks its token again, in milliseconds; one that no
    /// longer authenticates is closed (code 1008).
    pub stream_recheck_ms: u64,
    /// Lifetime of auto-login links, in seconds.
    pub auto_login_ttl_secs: u64,
    /// Lifetime of the lead-provider API's (seed 000) access tokens (`expires_in`), in seconds.
    pub lead_provider_token_ttl_secs: u64,
    /// Keep the affiliate API's rate-limit and same-body windows in the database (several
    /// instances) instead of process memory.
    pub shared_request_windows: bool,
    /// Lead-profile keys the affiliate API accepts.
    pub lead_profile_keys: Vec<String>,
    /// Take client IPs from `X-Forwarded-For` (set only behind a proxy that overwrites it).
    pub trust_forwarded_for: bool,
    /// Base URL of Bitstamp's API, used to pay out approved withdrawals.
    pub bitstamp_api_url: String,
    /// The staff portal's session ends after this many seconds without a request.
    pub web_idle_timeout_secs: u64,
    /// The staff portal's session ends this many seconds after the login, however active.
    pub web_absolute_timeout_secs: u64,
    /// Milliseconds between two steps of the built-in price simulator (0: off, e.g. when a
    /// price provider pushes ticks).
    pub price_simulator_ms: u64,
}

/// Defaults, as a serialisable layer.
#[derive(Serialize)]
struct Defaults {
    listen: &'static str,
    database_url: &'static str,
    public_url: &'static str,
    files_dir: &'static str,
    data_key_file: &'static str,
    cors_origins: Vec<String>,
    body_limit_bytes: usize,
    log_format: &'static str,
    log_level: &'static str,
    run_workers: bool,
    access_token_ttl_secs: u64,
    refresh_token_ttl_secs: u64,
    metrics: bool,
    metrics_listen: &'static str,
    docs: bool,
    argon2_memory_kib: u32,
    login_attempts_per_account_ip: u32,
    login_backoff_max_secs: u64,
    login_attempts_per_account: u32,
    login_attempts_per_ip: u32,
    login_window_secs: u64,
    signups_per_ip_per_hour: u32,
    allow_private_outbound: bool,
    lead_global_timeout_secs: u64,
    distribution_cache_ttl_ms: u64,
    auth_cache_ttl_ms: u64,
    trading_cache_ttl_ms: u64,
    stream_recheck_ms: u64,
    auto_login_ttl_secs: u64,
    lead_provider_token_ttl_secs: u64,
    shared_request_windows: bool,
    lead_profile_keys: Vec<String>,
    trust_forwarded_for: bool,
    bitstamp_api_url: String,
    web_idle_timeout_secs: u64,
    web_absolute_timeout_secs: u64,
    price_simulator_ms: u64,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/brokercrm.db?mode=rwc";

/// Values given on the command line (highest precedence).
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads the layers; `file` defaults to `brokercrm.toml` in the working directory.
    pub fn load(
        file: Option<&std::path::Path>,
        overrides: &Overrides,
    ) -> Result<Self, Box<figment::Error>> {
        let defaults = Defaults {
            listen: "127.0.0.1:8080",
            database_url: DEFAULT_DATABASE_URL,
            public_url: "http://127.0.0.1:8080",
            files_dir: "data/files",
            data_key_file: brokercrm_app::platform::crypto::DEFAULT_KEY_FILE,
            cors_origins: Vec::new(),
            body_limit_bytes: 2 * 1024 * 1024,
            log_format: "text",
            log_level: "info",
            run_workers: true,
            access_token_ttl_secs: 900,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            metrics: true,
            metrics_listen: "127.0.0.1:9464",
            docs: true,
            argon2_memory_kib: 19 * 1024,
            login_attempts_per_account_ip: 5,
            login_backoff_max_secs: 15 * 60,
            login_attempts_per_account: 50,
            login_attempts_per_ip: 100,
            login_window_secs: 15 * 60,
            signups_per_ip_per_hour: 10,
            allow_private_outbound: false,
            lead_global_timeout_secs: 85,
            distribution_cache_ttl_ms: 2000,
            auth_cache_ttl_ms: 2000,
            trading_cache_ttl_ms: 2000,
            stream_recheck_ms: 15_000,
            auto_login_ttl_secs: 24 * 3600,
            lead_provider_token_ttl_secs: 3600,
            shared_request_windows: false,
            lead_profile_keys: brokercrm_app::config::default_lead_profile_keys(),
            trust_forwarded_for: false,
            bitstamp_api_url: "https://www.bitstamp.net".into(),
            web_idle_timeout_secs: 30 * 60,
            web_absolute_timeout_secs: 12 * 3600,
            price_simulator_ms: 1000,
        };
        let file = file.map(PathBuf::from).unwrap_or_else(|| PathBuf::from("brokercrm.toml"));
        Figment::from(Serialized::defaults(defaults))
            .merge(Toml::file(file))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Env::prefixed("BROKERCRM_"))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::result_large_err)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn layers_apply_in_order_and_secrets_are_redacted() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "b.toml",
                "listen = \"0.0.0.0:1\"\nlog_level = \"debug\"\njwt_secret = \"s3cr3t-value\"",
            )?;
            jail.set_env("BROKERCRM_LISTEN", "0.0.0.0:2");
            jail.set_env("DATABASE_URL", "postgres://x/y");
            let c = Config::load(Some("b.toml".as_ref()), &Overrides::default()).unwrap();
            assert_eq!(c.listen, "0.0.0.0:2");
            assert_eq!(c.log_level, "debug");
            assert_eq!(c.database_url.expose_secret(), "postgres://x/y");
            let dbg = format!("{c:?}");
            assert!(!dbg.contains("s3cr3t-value") && !dbg.contains("postgres://x/y"), "{dbg}");
            let o = Overrides { listen: Some("127.0.0.1:3".into()), database_url: None };
            let c = Config::load(Some("b.toml".as_ref()), &o).unwrap();
            assert_eq!(c.listen, "127.0.0.1:3");
            Ok(())
        });
    }

    #[test]
    fn defaults() {
        figment::Jail::expect_with(|_| {
            let c = Config::load(None, &Overrides::default()).unwrap();
            assert_eq!(c.listen, "127.0.0.1:8080");
            assert_eq!(c.database_url.expose_secret(), DEFAULT_DATABASE_URL);
            assert_eq!(c.metrics_listen, "127.0.0.1:9464");
            assert_ne!(c.metrics_listen, c.listen, "metrics are off the API port");
            assert!(c.docs);
            assert_eq!(c.data_key_file, PathBuf::from("data/keys/data.key"));
            Ok(())
        });
    }
}
