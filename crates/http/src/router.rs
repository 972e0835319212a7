//! Assembles every surface into one axum router with the cross-cutting layers: request ids,
//! tracing, metrics, CORS, body limits, security headers, panics → 500, and 404s in the
//! surface's shape. `/metrics` is never on this router: [`metrics_router`] serves it on its
//! own listen address.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use brokercrm_app::App;
use brokercrm_core::Error;
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::openapi::ApiDoc;

/// Options of the HTTP layer.
#[derive(Clone, Default)]
pub struct HttpConfig {
    /// Largest accepted request body in bytes (default 2 MiB when 0).
    pub body_limit: usize,
    /// Allowed CORS origins; `*` allows any; empty disables CORS headers.
    pub cors_origins: Vec<String>,
    /// Prometheus handle rendering `/metrics` on [`metrics_router`] (never on the API router);
    /// `None` hides the endpoint.
    pub metrics: Option<PrometheusHandle>,
    /// Do not serve the API docs (`/docs` and `/openapi.json`).
    pub disable_docs: bool,
    /// Take the client IP from `X-Forwarded-For` (only behind a proxy that sets it; otherwise
    /// any caller could claim any IP, e.g. to pass an affiliate token's IP allow-list).
    pub trust_forwarded_for: bool,
    /// The staff portal (`crates/web`), served beside the API under the same layers
    /// (request ids, tracing, security headers).
    pub portal: Option<Router>,
}

/// The OpenAPI routers of every surface, before state is attached.
pub fn api_routes() -> OpenApiRouter<App> {
    let mut routes = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::crm::routes())
        .merge(crate::affiliate_v2::routes())
        .merge(crate::auto_login::routes())
        .merge(crate::oauth::routes())
        .merge(crate::lead_provider::routes())
        .merge(crate::retail::routes())
        .merge(crate::postback::routes())
        .merge(crate::promo_links::routes());
    crate::openapi::common_responses(routes.get_openapi_mut());
    routes
}

/// The OpenAPI document as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().into_openapi()
}

/// The whole HTTP application.
pub fn build_router(app: App, cfg: HttpConfig) -> Router {
    let (api, doc) = api_routes().split_for_parts();
    let request_id = HeaderName::from_static("x-request-id");
    let limit = if cfg.body_limit == 0 { 2 * 1024 * 1024 } else { cfg.body_limit };
    let hsts = app.cfg().public_url.starts_with("https://");
    let mut router = api.with_state(app);
    if !cfg.disable_docs {
        router = router.merge(SwaggerUi::new("/docs").url("/openapi.json", doc));
    }
    if let Some(portal) = cfg.portal {
        router = router.merge(portal);
    }
    router = router
        .fallback(not_found)
        .layer(axum::Extension(crate::extract::TrustForwardedFor(cfg.trust_forwarded_for)))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(track_metrics))
        .layer(CatchPanicLayer::custom(|_| ApiError(Error::internal("handler panicked")).into_response()))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("http", method = %req.method(), uri = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    if let Some(cors) = cors_layer(&cfg.cors_origins) {
        router = router.layer(cors);
    }
    // Outermost, so every response gets them (panics, CORS preflights, 404s included).
    crate::headers::apply(router, hsts)
}

/// The Prometheus endpoint alone (`GET /metrics`), for its own listen address (`metrics_listen`),
/// off the API port; `None` when metrics are off.
pub fn metrics_router(cfg: &HttpConfig) -> Option<Router> {
    let handle = cfg.metrics.clone()?;
    Some(Router::new().route("/metrics", get(move || std::future::ready(handle.render()))))
}

fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers(tower_http::cors::Any)
            .max_age(Duration::from_secs(3600)),
    )
}

/// 404 in the shape of the surface the path belongs to.
async fn not_found(uri: axum::http::Uri) -> Response {
    if crate::affiliate_v2::owns(uri.path()) {
        return crate::affiliate_v2::error::not_found();
    }
    if crate::lead_provider::owns(uri.path()) {
        return crate::lead_provider::error::not_found();
    }
    if crate::retail::owns(uri.path()) {
        return crate::retail::error::not_found();
    }
    ApiError(Error::NotFound("route")).into_response()
}

async fn track_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "path" => path.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "path" => path)
        .record(start.elapsed().as_secs_f64());
    resp
}
