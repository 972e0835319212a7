//! Reading a multipart form of partners' uploads: text fields and file fields by name, with
//! the same rejections as the documents upload (400 malformed, 413 too large, 415 not
//! multipart).

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use brokercrm_core::Error;

use crate::error::ApiError;

/// Room for the multipart framing and text fields around the files.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge)
    } else {
        ApiError(Error::BadRequest("malformed multipart body".into()))
    }
}

/// The fields of a form (the first of each name), as bytes.
pub struct Form(HashMap<String, Vec<u8>>);

impl Form {
    /// Reads every field of `form`.
    pub async fn read(form: Result<Multipart, MultipartRejection>) -> Result<Self, ApiError> {
        let mut form = form.map_err(|rej| match rej {
            MultipartRejection::InvalidBoundary(_) => ApiError(Error::UnsupportedMediaType),
            other => multipart_error(other.status()),
        })?;
        let mut out = HashMap::new();
        while let Some(field) = form.next_field().await.map_err(|e| multipart_error(e.status()))? {
            let Some(name) = field.name().map(str::to_owned) else { continue };
            let bytes = field.bytes().await.map_err(|e| multipart_error(e.status()))?;
            out.entry(name).or_insert_with(|| bytes.to_vec());
        }
        Ok(Self(out))
    }

    /// A file field's bytes.
    pub fn file(&mut self, name: &str) -> Option<Vec<u8>> {
        self.0.remove(name)
    }

    /// A text field (invalid UTF-8 reads as absent).
    pub fn text(&mut self, name: &str) -> Option<String> {
        self.0.remove(name).and_then(|b| String::from_utf8(b).ok())
    }
}
