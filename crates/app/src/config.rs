//! Settings the use cases need, resolved by the server from its layered configuration.

use std::path::PathBuf;
use std::time::Duration;

/// Runtime configuration of the application layer.
#[derive(Clone)]
pub struct AppConfig {
    /// Public base URL of this deployment (links in e-mails: verify, reset).
    pub public_url: String,
    /// Lifetime of JWT access tokens.
    pub access_token_ttl: Duration,
    /// Lifetime of refresh tokens.
    pub refresh_token_ttl: Duration,
    /// Directory of the local file store (profile pictures, documents).
    pub files_dir: PathBuf,
    /// Optional MaxMind country database for "country by IP".
    pub geoip_path: Option<PathBuf>,
    /// Failed guesses of a password (or OAuth client secret) per (account, client IP) before
    /// each further one doubles a wait (1 s, 2 s, 4 s ... up to `login_backoff_max`).
    pub login_attempts_per_account_ip: u32,
    /// The longest wait of a backed-off (account, IP) pair.
    pub login_backoff_max: Duration,
    /// Failed guesses per account from all IPs within `login_window`; beyond it only IPs that
    /// signed in to the account before may try.
    pub login_attempts_per_account: u32,
    /// Failed guesses per client IP over all accounts within `login_window` (high: NAT).
    pub login_attempts_per_ip: u32,
    pub login_window: Duration,
    /// Public sign-ups accepted per client IP per hour.
    pub signups_per_ip_per_hour: u32,
    /// argon2 memory cost in KiB (tests lower it to stay fast).
    pub argon2_memory_kib: u32,
    /// Lets outbound calls reach loopback/private hosts (tests, on-premise providers).
    pub allow_private_outbound: bool,
    /// The whole rotation's time budget per lead (seed 001: 85 s).
    pub lead_global_timeout: Duration,
    /// How long routing configuration is cached on the intake path (0: not cached).
    pub distribution_cache_ttl: Duration,
    /// How long authentication reuses a user's status and role read from the database (0: read
    /// on every request). A disabled user or a role change takes effect within it.
    pub auth_cache_ttl: Duration,
    /// How long the trading request path reuses the instruments, downtimes and trading groups
    /// it read (0: read on every request). A change made in this process takes effect at once;
    /// other instances see it within it.
    pub trading_cache_ttl: Duration,
    /// How often an open live stream checks its token again; one that no longer
    /// authenticates (expired, revoked, user disabled) is closed.
    pub stream_recheck: Duration,
    /// Lifetime of auto-login links.
    pub auto_login_ttl: Duration,
    /// Keep the affiliate API's rate-limit and duplicate-body windows in the database so
    /// several instances share them (default: in process memory).
    pub shared_request_windows: bool,
    /// Lead-profile keys the affiliate API accepts besides `ip`, `country_code`,
    /// `lead_language` and `is_test` (seed 001: "set individually" per deployment).
    pub lead_profile_keys: Vec<String>,
    /// Lifetime of lead-provider access tokens (seed 000: "active for one hour").
    pub lead_provider_token_ttl: Duration,
    /// The 256-bit key that encrypts stored secrets (payment-provider key values); when
    /// unset, read from (or generated once into) `data_key_file`.
    pub data_key: Option<crate::platform::crypto::DataKey>,
    /// The data key file (mode 0600, never inside `files_dir`); default `data/keys/data.key`.
    pub data_key_file: PathBuf,
    /// Base URL of Bitstamp's API for payouts (tests point it at a mock server).
    pub bitstamp_api_url: String,
    /// How often the built-in price simulator ticks every active instrument while its trading
    /// hours are open (`None`: off, e.g. when a provider pushes prices).
    pub price_simulator_every: Option<Duration>,
}

/// The default lead-profile keys.
pub fn default_lead_profile_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "email",
        "first_name",
        "last_name",
        "password",
        "phone",
        "affiliate_id",
        "offer_id",
        "aff_sub",
        "click_id",
        "sub_id",
        "source",
        "funnel",
        "comment",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    keys.extend((1..=10).map(|i| format!("aff_sub{i}")));
    keys
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            files_dir: PathBuf::from("data/files"),
            geoip_path: None,
            login_attempts_per_account_ip: 5,
            login_backoff_max: Duration::from_secs(15 * 60),
            login_attempts_per_account: 50,
            login_attempts_per_ip: 100,
            login_window: Duration::from_secs(15 * 60),
            signups_per_ip_per_hour: 10,
            argon2_memory_kib: 19 * 1024,
            allow_private_outbound: false,
            lead_global_timeout: Duration::from_secs(85),
            distribution_cache_ttl: Duration::from_secs(2),
            auth_cache_ttl: Duration::from_secs(2),
            trading_cache_ttl: Duration::from_secs(2),
            stream_recheck: Duration::from_secs(15),
            auto_login_ttl: Duration::from_secs(24 * 3600),
            shared_request_windows: false,
            lead_profile_keys: default_lead_profile_keys(),
            lead_provider_token_ttl: Duration::from_secs(3600),
            data_key: None,
            data_key_file: PathBuf::from(crate::platform::crypto::DEFAULT_KEY_FILE),
            bitstamp_api_url: "https://www.bitstamp.net".into(),
            price_simulator_every: Some(Duration::from_secs(1)),
        }
    }
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("public_url", &self.public_url)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("files_dir", &self.files_dir)
            .field("geoip_path", &self.geoip_path)
            .finish_non_exhaustive()
    }
}
