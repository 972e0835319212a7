//! "Upload leads from CSV" (multipart: `file`, optional `mapping`) and the import's
//! progress.

use std::collections::HashMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::leads::import::{self, ImportView, RowError};
use brokercrm_core::Error;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, parse_json};

/// Largest upload (about 200,000 rows).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// The upload form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LeadsUpload {
    /// CSV with a header row. Known headers (case and punctuation ignored): name/full name,
    /// first name, last name/surname, email, phone/mobilenumber/mobile, country (ISO-2),
    /// language, source.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Optional JSON object mapping other header names to those fields, e.g.
    /// `{"E-Mail Address": "email", "Tel": "mobilenumber"}`.
    pub mapping: Option<String>,
}

/// A row that was not imported as a new lead.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowErrorDto {
    /// Line of the CSV (the header is row 1).
    pub row: u64,
    pub field: Option<String>,
    /// `invalid`, `missing_contact`, `duplicate_in_file`, `duplicate_lead` (the existing
    /// lead was updated), `existing_customer` (in the caller's scope; records out of scope are
    /// not revealed: the row is created).
    pub code: String,
    pub message: String,
    /// The existing lead, for duplicates.
    pub lead_id: Option<String>,
}

impl From<RowError> for RowErrorDto {
    fn from(e: RowError) -> Self {
        Self { row: e.row, field: e.field, code: e.code, message: e.message, lead_id: e.lead_id }
    }
}

/// An import and its progress.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LeadImportDto {
    /// Rows saved: created plus updated (a string, as in the seed).
    #[schema(example = "980")]
    pub saved: String,
    /// Import id, for "Get lead import".
    pub id: String,
    /// `running` or `done`.
    pub status: String,
    pub total: i32,
    pub processed: i32,
    pub created: i32,
    pub updated: i32,
    pub failed: i32,
    /// Per-row errors and duplicate notes (at most 1,000).
    pub errors: Vec<RowErrorDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ImportView> for LeadImportDto {
    fn from(v: ImportView) -> Self {
        Self {
            saved: (v.created + v.updated).to_string(),
            id: v.id,
            status: v.status,
            total: v.total,
            processed: v.processed,
            created: v.created,
            updated: v.updated,
            failed: v.failed,
            errors: v.errors.into_iter().map(Into::into).collect(),
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge)
    } else {
        ApiError(Error::BadRequest("malformed multipart body".into()))
    }
}

/// Imports leads from a CSV file: good rows are saved in batches, duplicates of existing
/// leads update them, and every other row is reported with its row number. Audited.
#[utoipa::path(
    post, path = "/api/leads/upload", tag = "Leads", summary = "Upload leads from CSV",
    request_body(content = LeadsUpload, content_type = "multipart/form-data"),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Imported", body = LeadImportDto),
        (status = 400, description = "Malformed multipart body or `mapping`", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 413, description = "File over 32 MiB", body = ErrorBody),
        (status = 415, description = "Not a multipart body", body = ErrorBody),
        (status = 422, description = "`file` missing, not CSV, no e-mail/phone column, or too many rows", body = ErrorBody)
    )
)]
pub async fn upload_leads(
    State(app): State<App>,
    Auth(p): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<axum::Json<LeadImportDto>> {
    let mut form = form.map_err(|rej| match rej {
        MultipartRejection::InvalidBoundary(_) => ApiError(Error::UnsupportedMediaType),
        other => multipart_error(other.status()),
    })?;
    let mut file = None;
    let mut mapping: HashMap<String, String> = HashMap::new();
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(e.status()))? {
        match field.name() {
            Some("file") => {
                file = Some(field.bytes().await.map_err(|e| multipart_error(e.status()))?);
            }
            Some("mapping") => {
                let raw = field.bytes().await.map_err(|e| multipart_error(e.status()))?;
                if !raw.iter().all(u8::is_ascii_whitespace) {
                    mapping = parse_json(&raw).map_err(|e| match e {
                        Error::BadRequest(m) => Error::BadRequest(format!("mapping: {m}")),
                        Error::Validation(_) => {
                            Error::field("mapping", "must be an object of header → field")
                        }
                        other => other,
                    })?;
                }
            }
            _ => {}
        }
    }
    let bytes = file.ok_or_else(|| Error::field("file", "is required"))?;
    let v = import::upload(&app, &p, &bytes, &mapping).await?;
    Ok(axum::Json(v.into()))
}

/// An import's progress and row errors (its uploader or an admin).
#[utoipa::path(
    get, path = "/api/leads/imports/{id}", tag = "Lead Imports", summary = "Get lead import",
    params(("id" = String, Path, description = "The import's id")),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The import", body = LeadImportDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown import, or someone else's", body = ErrorBody)
    )
)]
pub async fn get_lead_import(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<LeadImportDto>> {
    Ok(axum::Json(import::get(&app, &p, &id).await?.into()))
}
