//! The staff back office in the browser: server-rendered HTML (askama) over the same `app` use
//! cases the API calls, with our own small stylesheet and script embedded in the binary.
//!
//! Every page but the login needs a portal session (`session`); every POST carries the
//! session's CSRF token (`csrf`); what a user may see and do is decided by the `app` use
//! cases, the menu only hides what the role could not open. Adding a screen: docs/web.md.

pub mod assets;
pub mod charts;
pub mod csrf;
pub mod error;
pub mod form;
pub mod layout;
pub mod list;
pub mod once;
pub mod resource;
pub mod session;

pub mod distribution;
pub mod identity;
pub mod market_data;
pub mod messaging;
pub mod money;
pub mod onboarding;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use brokercrm_app::App;
use brokercrm_app::identity::web_sessions::Limits;

/// Options of the portal.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Idle and absolute session limits.
    pub limits: Limits,
    /// Take the client IP from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

impl WebConfig {
    /// Defaults for `public_url`: 30 minutes idle, 12 hours absolute.
    pub fn for_public_url(public_url: &str) -> Self {
        Self {
            secure_cookies: public_url.starts_with("https://"),
            limits: Limits {
                idle: Duration::from_secs(30 * 60),
                absolute: Duration::from_secs(12 * 3600),
            },
            trust_forwarded_for: false,
        }
    }
}

/// The state every portal handler gets.
#[derive(Clone)]
pub struct Web {
    pub app: App,
    pub cfg: Arc<WebConfig>,
}

/// The portal's routes: `/` redirects to `/admin`; everything else lives under `/admin`.
pub fn router(app: App, cfg: WebConfig) -> Router {
    let state = Web { app, cfg: Arc::new(cfg) };
    Router::new()
        .route("/", get(|| async { Redirect::to("/admin") }))
        .merge(platform::routes())
        .merge(identity::routes())
        .merge(sales::routes())
        .merge(money::routes())
        .merge(distribution::routes())
        .merge(market_data::routes())
        .merge(messaging::routes())
        .merge(onboarding::routes())
        .merge(partners::routes())
        .merge(trading::routes())
        .layer(axum::middleware::from_fn(error::render_errors))
        .with_state(state)
}
