//! Posted forms: [`Posted`] reads an urlencoded body, refuses it (403) unless its `_csrf`
//! field is the token of the request's session (or pre-session) cookie, and deserialises the
//! rest. [`FieldErrors`] carries an `app` validation error to the template, so each message
//! is shown beside its field while the form keeps what the user typed.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use brokercrm_core::Error;
use serde::de::DeserializeOwned;

use crate::Web;
use crate::error::WebError;
use crate::session::{COOKIE, PRE_COOKIE, cookie};

/// A form with no field but the CSRF token.
#[derive(serde::Deserialize)]
pub struct Empty {}

/// A form body whose CSRF token was checked.
pub struct Posted<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Web> for Posted<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, web: &Web) -> Result<Self, Self::Rejection> {
        let session = cookie(req.headers(), COOKIE).unwrap_or_default();
        let pre = cookie(req.headers(), PRE_COOKIE).unwrap_or_default();
        let body = Bytes::from_request(req, web)
            .await
            .map_err(|_| WebError::App(Error::BadRequest("the form could not be read".into())))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
            .map_err(|_| WebError::App(Error::BadRequest("the form could not be read".into())))?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == crate::csrf::FIELD)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !crate::csrf::verify(sent, &[&session, &pre]) {
            return Err(WebError::Csrf);
        }
        let rest: Vec<&(String, String)> =
            pairs.iter().filter(|(k, _)| k != crate::csrf::FIELD).collect();
        let encoded = serde_urlencoded::to_string(&rest).map_err(Error::internal)?;
        serde_urlencoded::from_str(&encoded)
            .map(Posted)
            .map_err(|e| WebError::App(Error::BadRequest(format!("form: {e}"))))
    }
}

/// Field errors of a form, by field name; messages without a field on the form go to
/// `general`.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    by_field: HashMap<String, String>,
    pub general: Vec<String>,
}

impl FieldErrors {
    /// The errors of `e` for a form with `fields` (`app` field name → form field name).
    pub fn from_error(e: &Error, fields: &[(&str, &str)]) -> Self {
        let mut out = Self::default();
        match e {
            Error::Validation(list) => {
                for f in list {
                    match fields.iter().find(|(app, _)| *app == f.field) {
                        Some((_, form)) => {
                            out.by_field.entry((*form).to_owned()).or_insert(f.message.clone());
                        }
                        None if f.field.is_empty() => out.general.push(f.message.clone()),
                        None => out.general.push(format!("{}: {}", f.field, f.message)),
                    }
                }
            }
            other => out.general.push(other.public_message()),
        }
        out
    }

    /// The message for form field `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.by_field.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty() && self.general.is_empty()
    }
}

/// Whether `e` is shown on the form (a field or request error) rather than as an error page.
pub fn is_form_error(e: &Error) -> bool {
    matches!(
        e,
        Error::Validation(_) | Error::BadRequest(_) | Error::Conflict(_) | Error::Refused(_)
    )
}
