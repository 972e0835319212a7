//! Throttling of secret guesses: passwords at login (the CRM's `POST /api/sessions` and the
//! lead-provider password grant), OAuth client secrets at the token endpoints, and the
//! current password on "Update user". Nothing here ever locks an account for its owner.
//!
//! A wrong secret counts against three keys; a guess is refused (429 with `Retry-After`)
//! before the secret is even checked when one of them is over its limit:
//! - the pair (subject, client IP): the first `login_attempts_per_account_ip` failures are
//!   free, then each failure makes the pair wait 1 s, 2 s, 4 s ... up to `login_backoff_max`.
//!   The pair's failures are forgotten a day after its last one, or at its next success;
//! - the subject across all IPs (`login_attempts_per_account` failures per `login_window`):
//!   stops guessing spread over many addresses. Over it, only IPs that have signed in to the
//!   subject within 30 days may still try;
//! - the client IP across all subjects (`login_attempts_per_ip` per `login_window`, high
//!   enough for many users behind one NAT); IPs known to the subject are exempt here too.
//!
//! The current-password check of a signed-in user has only the per-user back-off.

use std::net::IpAddr;
use std::time::Duration;

use brokercrm_core::{Error, Result};

use crate::App;
use crate::platform::backoff::Backoff;

/// The first wait of a backed-off pair; each further failure doubles it.
pub const BACKOFF_BASE: Duration = Duration::from_secs(1);
/// How long a pair's failures are remembered after its last one.
pub const BACKOFF_FORGET: Duration = Duration::from_secs(24 * 3600);
/// How long an IP that signed in to a subject stays known to it.
pub const KNOWN_IP_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// Which secret is being guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    /// An account's password (CRM login, lead-provider password grant).
    Login,
    /// An OAuth client's secret.
    ClientSecret,
    /// A signed-in user's current password.
    CurrentPassword,
}

impl Door {
    fn prefix(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::ClientSecret => "oauth-client",
            Self::CurrentPassword => "current-password",
        }
    }
}

/// One guess of a secret: who it is for and where it comes from.
#[derive(Debug, Clone)]
pub struct Attempt {
    door: Door,
    subject: String,
    ip: String,
}

/// The subject-wide key of a login name (a password reset clears it).
pub fn account_key(username: &str) -> String {
    format!("{}:account:{}", Door::Login.prefix(), username.trim().to_lowercase())
}

impl Attempt {
    /// A password guess for the account `username` from `ip`.
    pub fn login(username: &str, ip: Option<IpAddr>) -> Self {
        Self::new(Door::Login, username.trim().to_lowercase(), ip)
    }

    /// A secret guess for the OAuth client `client_id` from `ip`.
    pub fn client_secret(client_id: &str, ip: Option<IpAddr>) -> Self {
        Self::new(Door::ClientSecret, client_id.to_owned(), ip)
    }

    /// A guess of the current password of the signed-in user `user_id`.
    pub fn current_password(user_id: i64) -> Self {
        Self::new(Door::CurrentPassword, user_id.to_string(), None)
    }

    fn new(door: Door, subject: String, ip: Option<IpAddr>) -> Self {
        Self { door, subject, ip: ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()) }
    }

    fn pair_key(&self) -> String {
        format!("{}:pair:{}:{}", self.door.prefix(), self.subject, self.ip)
    }

    fn subject_key(&self) -> String {
        format!("{}:account:{}", self.door.prefix(), self.subject)
    }

    fn known_key(&self) -> String {
        format!("{}:known:{}:{}", self.door.prefix(), self.subject, self.ip)
    }

    /// Shared by every door: one address's guesses at any secret.
    fn ip_key(&self) -> String {
        format!("guess:ip:{}", self.ip)
    }

    fn ceilings(&self) -> bool {
        self.door != Door::CurrentPassword
    }

    /// `RateLimited` when this guess must wait; call before checking the secret.
    pub fn check(&self, app: &App) -> Result<()> {
        let cfg = app.cfg();
        let limiter = &app.services().limiter;
        let now = app.services().clock.now();
        let mut wait = limiter.backoff_wait(&self.pair_key(), now);
        if wait.is_none() && self.ceilings() && !limiter.is_marked(&self.known_key(), now) {
            let (window, per_account, per_ip) =
                (cfg.login_window, cfg.login_attempts_per_account, cfg.login_attempts_per_ip);
            wait = [
                limiter.check_at(&self.subject_key(), per_account, window, now),
                limiter.check_at(&self.ip_key(), per_ip, window, now),
            ]
            .into_iter()
            .flatten()
            .max();
        }
        match wait {
            Some(secs) => Err(Error::RateLimited { retry_after_secs: secs.max(1) }),
            None => Ok(()),
        }
    }

    /// Counts a wrong secret.
    pub fn failed(&self, app: &App) {
        let cfg = app.cfg();
        let limiter = &app.services().limiter;
        let now = app.services().clock.now();
        let policy = Backoff {
            free: cfg.login_attempts_per_account_ip,
            base: BACKOFF_BASE,
            max: cfg.login_backoff_max,
            forget: BACKOFF_FORGET,
        };
        let wait = limiter.backoff_fail(&self.pair_key(), &policy, now);
        if self.ceilings() {
            limiter.record_at(&self.subject_key(), cfg.login_window, now);
            limiter.record_at(&self.ip_key(), cfg.login_window, now);
        }
        if let Some(secs) = wait {
            tracing::info!(door = self.door.prefix(), ip = %self.ip, secs, "guesses backed off");
        }
    }

    /// A right secret: the pair's failures are forgotten and the IP becomes known.
    pub fn succeeded(&self, app: &App) {
        let limiter = &app.services().limiter;
        limiter.reset(&self.pair_key());
        if self.ceilings() {
            limiter.mark(&self.known_key(), KNOWN_IP_TTL, app.services().clock.now());
        }
    }
}
