//! Our stylesheet and script, embedded in the binary and served under names that carry a hash
//! of their content (`/admin/assets/app.<hash>.css`), so they can be cached for a year and a
//! new build is never served a stale copy.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Files;

/// The served names of the embedded files (`app.css` → `app.1a2b3c4d5e6f.css`).
struct Names(Vec<(String, String)>);

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        Names(
            Files::iter()
                .filter_map(|f| {
                    let file = Files::get(&f)?;
                    let hash: String = file
                        .metadata
                        .sha256_hash()
                        .iter()
                        .take(6)
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    let (stem, ext) = f.rsplit_once('.')?;
                    Some((f.to_string(), format!("{stem}.{hash}.{ext}")))
                })
                .collect(),
        )
    })
}

/// The URL of embedded file `name` (e.g. `app.css`).
pub fn url(name: &str) -> String {
    let served = names().0.iter().find(|(n, _)| n == name).map(|(_, s)| s.as_str());
    format!("/admin/assets/{}", served.unwrap_or(name))
}

/// `GET /admin/assets/{name}`: a hashed name is cached for a year; anything else is 404.
pub async fn serve(Path(name): Path<String>) -> Response {
    let Some((file, _)) = names().0.iter().find(|(_, s)| *s == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(body) = Files::get(file) else { return StatusCode::NOT_FOUND.into_response() };
    let mime = if file.ends_with(".css") {
        "text/css; charset=utf-8"
    } else if file.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else if file.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "application/octet-stream"
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body.data.into_owned(),
    )
        .into_response()
}
