//! Seed 002 tag Documents (3 operations): the client's own upload, its KYC status, and "Get
//! file by token" (documents are served only through short-lived single-use file tokens);
//! plus our "Create a file token" (tag File Tokens) that issues one.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::onboarding::documents::MAX_BYTES;
use brokercrm_app::onboarding::{documents, file_tokens, kyc};
use brokercrm_core::Error;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Auth;

/// Room for the multipart framing around a document of the maximum size.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The upload form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OwnDocumentUpload {
    /// PDF, JPEG or PNG (recognised by content), at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A stored document.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnDocument {
    pub id: String,
    /// The display name, its extension matching the type found in the content.
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// `{"success": true, "document": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct UploadDocumentResponse {
    pub success: bool,
    pub document: OwnDocument,
}

/// `{"status": "PENDING"}`.
#[derive(Serialize, ToSchema)]
pub struct KycStatusResponse {
    /// `NONE`, `PENDING`, `APPROVED`, `REVOKED`, `REJECTED` or `RETRY`.
    #[schema(example = "PENDING")]
    pub status: &'static str,
}

/// A file token: open `url` (once, before `expiresIn` seconds pass).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileTokenResponse {
    pub token: String,
    #[schema(example = "/api/files/3q2-...")]
    pub url: String,
    pub expires_in: i64,
}

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge)
    } else {
        ApiError(Error::BadRequest("malformed multipart body".into()))
    }
}

/// Stores a document of the signed-in customer (a first document moves KYC to PENDING).
#[utoipa::path(
    post, path = "/api/me/documents", tag = "Documents", summary = "Upload document",
    request_body(content = OwnDocumentUpload, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Stored", body = UploadDocumentResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 403, description = "Not a customer", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not a multipart body", body = ErrorBody),
        (status = 422, description = "`file` missing, empty, over 10 MiB, not a PDF/JPEG/PNG by content, or rejected by the virus scan", body = ErrorBody)
    )
)]
pub async fn upload_document(
    State(app): State<App>,
    Auth(p): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, axum::Json<UploadDocumentResponse>)> {
    let mut form = form.map_err(|rej| match rej {
        MultipartRejection::InvalidBoundary(_) => ApiError(Error::UnsupportedMediaType),
        other => multipart_error(other.status()),
    })?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(e.status()))? {
        if field.name() == Some("file") {
            let name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| multipart_error(e.status()))?;
            file = Some((name, bytes));
            break;
        }
    }
    let (name, bytes) = file.ok_or_else(|| Error::field("file", "is required"))?;
    let d = documents::upload_own(&app, &p, name.as_deref(), bytes.to_vec()).await?;
    let document = OwnDocument {
        id: d.uuid,
        filename: d.filename,
        content_type: d.content_type,
        size: d.size_bytes,
        created_at: d.created_at,
    };
    Ok((StatusCode::CREATED, axum::Json(UploadDocumentResponse { success: true, document })))
}

/// The signed-in user's KYC status.
#[utoipa::path(
    get, path = "/api/me/documents/kyc-status", tag = "Documents", summary = "Get KYC status",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The status", body = KycStatusResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn get_documents_kyc_status(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<KycStatusResponse>> {
    Ok(axum::Json(KycStatusResponse { status: kyc::status(&app, &p).await? }))
}

/// A short-lived single-use token opening one document: its customer's, or staff's with
/// WorkCustomers for a customer in their scope.
#[utoipa::path(
    post, path = "/api/documents/{id}/file-tokens", tag = "File Tokens",
    summary = "Create a file token",
    params(("id" = String, Path, description = "The document's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "The token", body = FileTokenResponse),
        (status = 404, description = "No such document, or not the caller's to open", body = ErrorBody)
    )
)]
pub async fn create_file_token(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<FileTokenResponse>)> {
    let (token, expires_in) = file_tokens::issue(&app, &p, &id).await?;
    let url = format!("/api/files/{token}");
    Ok((StatusCode::CREATED, axum::Json(FileTokenResponse { token, url, expires_in })))
}

/// The document a file token opens, as an attachment; the token is spent.
#[utoipa::path(
    get, path = "/api/files/{token}", tag = "Documents", summary = "Get file by token",
    params(("token" = String, Path, description = "A file token")),
    responses(
        (status = 200, description = "The file (its sniffed type; an attachment)", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "Unknown, used or expired token", body = ErrorBody)
    )
)]
pub async fn get_file_by_token(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let (doc, bytes) = file_tokens::redeem(&app, &token).await?;
    let name: String = doc
        .filename
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let mut resp = Response::new(Body::from(bytes));
    let h = resp.headers_mut();
    let ct = HeaderValue::from_str(&doc.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, ct);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(upload_document))
        .layer(DefaultBodyLimit::max(MAX_BYTES + MULTIPART_OVERHEAD))
        .routes(routes!(get_documents_kyc_status))
        .routes(routes!(create_file_token))
        .routes(routes!(get_file_by_token))
}
