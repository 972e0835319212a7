//! Request extractors of the CRM surface: JSON bodies whose errors name the field (400), a
//! content-type check (415), body limits (413), the authenticated principal, and typed query
//! strings ([`Query`]).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use brokercrm_app::{App, Principal};
use brokercrm_core::Error;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

mod query;

pub use query::{Query, StrictQuery, parse_query};

/// A JSON body. Malformed JSON or a wrong field type → 400 naming the field; a missing or
/// non-JSON content type → 415; a body over the limit → 413.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::UnsupportedMediaType.into());
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(Json).map_err(ApiError)
    }
}

/// Whether the request says its body is JSON (`application/json` or `*/*+json`).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
}

/// Reads the whole body, mapping the size limit to 413.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<bytes::Bytes, ApiError> {
    bytes::Bytes::from_request(req, state).await.map_err(|rej| {
        if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError(Error::PayloadTooLarge)
        } else {
            ApiError(Error::BadRequest("could not read the request body".into()))
        }
    })
}

/// Deserialises JSON, reporting the path of the offending field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
        match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Error::BadRequest(format!("malformed JSON body: {msg}"))
            }
            _ => {
                let field =
                    if path == "." { missing_field(&msg).unwrap_or_default() } else { path };
                let field = if field.is_empty() { "body".to_owned() } else { field };
                Error::BadRequest(format!("{field}: {msg}"))
            }
        }
    })
}

/// The name inside serde's "missing field `x`" message.
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// The authenticated caller (`Authorization: Bearer <jwt or API key>`); 401 otherwise.
pub struct Auth(pub Principal);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token =
            bearer(parts).ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
        let p = brokercrm_app::identity::auth::authenticate(app, token).await?;
        audit_impersonated_write(app, parts, &p).await?;
        Ok(Auth(p))
    }
}

/// Like [`Auth`] but optional: `None` without an Authorization header; 401 for a bad token.
pub struct MaybeAuth(pub Option<Principal>);

impl FromRequestParts<App> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            None => Ok(MaybeAuth(None)),
            Some(t) => {
                let p = brokercrm_app::identity::auth::authenticate(app, t).await?;
                audit_impersonated_write(app, parts, &p).await?;
                Ok(MaybeAuth(Some(p)))
            }
        }
    }
}

/// Every write (a method other than GET, HEAD, OPTIONS) made with an impersonation token is
/// audited under the impersonating staff member's id before it runs.
async fn audit_impersonated_write(app: &App, parts: &Parts, p: &Principal) -> Result<(), ApiError> {
    if p.impersonated_by.is_none() || parts.method.is_safe() {
        return Ok(());
    }
    brokercrm_app::identity::impersonation::audit_write(
        app,
        p,
        parts.method.as_str(),
        parts.uri.path(),
    )
    .await
    .map_err(ApiError)
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// Whether `X-Forwarded-For` is trusted (set by the router from its configuration).
#[derive(Clone, Copy, Debug, Default)]
pub struct TrustForwardedFor(pub bool);

/// The client's IP: the socket peer, or the first `X-Forwarded-For` hop when the deployment
/// trusts that header (it sits behind a proxy that sets it).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let trusted = parts.extensions.get::<TrustForwardedFor>().is_some_and(|t| t.0);
        let fwd = parts
            .headers
            .get("x-forwarded-for")
            .filter(|_| trusted)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|s| s.trim().parse().ok());
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(fwd.or(peer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        nested: Nested,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Nested {
        n: i64,
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse_json::<Body>(br#"{"name":"a","nested":{"n":"x"}}"#).err();
        assert!(matches!(&e, Some(Error::BadRequest(m)) if m.starts_with("nested.n:")), "{e:?}");
        let e = parse_json::<Body>(br#"{"nested":{"n":1}}"#).err();
        assert!(matches!(&e, Some(Error::BadRequest(m)) if m.starts_with("name:")), "{e:?}");
        let e = parse_json::<Body>(br#"{"name":"#).err();
        assert!(
            matches!(&e, Some(Error::BadRequest(m)) if m.starts_with("malformed JSON")),
            "{e:?}"
        );
    }
}
