//! The one internal error type. Every surface maps it to its own wire shape in one place;
//! `Internal` text is logged, never sent to a client.

use std::fmt;

/// Result alias used across `core`, `store` and `app`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A request field that failed validation, with a message a client can show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The internal error. Variants are the outcomes a client can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more fields are invalid; nothing was changed.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request is well-formed but not acceptable as a whole.
    #[error("{0}")]
    BadRequest(String),
    /// No or invalid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Authenticated but refused for a reason the caller can read (403), e.g. an action an
    /// impersonation token may not take.
    #[error("{0}")]
    Refused(String),
    /// Authenticated, but steps the caller must complete first are missing (e.g.
    /// the onboarding steps `KYC`, `EmailConfirmation`); each is named. A 403 like [`Error::Forbidden`].
    #[error("complete first: {}", .0.join(", "))]
    Unmet(Vec<String>),
    /// The named resource does not exist (or is not visible to the caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// State conflict: duplicate, already used, idempotency mismatch.
    #[error("{0}")]
    Conflict(String),
    /// Too many requests; retry after the given number of seconds.
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// The request body is too large.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The content type of the body is not accepted.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A dependency (email provider, advertiser...) failed.
    #[error("upstream failure")]
    Upstream(String),
    /// A bug or infrastructure failure. The text is for logs only.
    #[error("internal error")]
    Internal(String),
}

impl Error {
    /// One invalid field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// Any internal failure; the cause is kept for logs.
    pub fn internal(cause: impl fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// Machine-readable code, stable across releases.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden | Self::Refused(_) | Self::Unmet(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::RateLimited { .. } => "rate_limited",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Upstream(_) => "upstream_failure",
            Self::Internal(_) => "internal",
        }
    }

    /// Message safe to show a client (never the internal cause).
    pub fn public_message(&self) -> String {
        match self {
            Self::Validation(fields) => match fields.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                _ => "request validation failed".to_owned(),
            },
            Self::Upstream(_) => "an upstream service failed".to_owned(),
            Self::Internal(_) => "internal server error".to_owned(),
            other => other.to_string(),
        }
    }
}

/// Collects field errors so a request reports every bad field at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of `r` under its field and returns the value if it was valid.
    pub fn check<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Validation(mut f)) => {
                self.0.append(&mut f);
                None
            }
            Err(other) => {
                self.0.push(FieldError { field: String::new(), message: other.public_message() });
                None
            }
        }
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    /// `Ok(())` when nothing was recorded.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Validation(self.0)) }
    }
}
