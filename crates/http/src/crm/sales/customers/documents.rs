//! "Get customer documents" and "Upload document for customer" (multipart field `file`: a
//! PDF, JPEG or PNG of at most 10 MiB, checked by content).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::customers::documents::{self, DocumentView, MAX_BYTES};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::CustomerDto;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// Room for the multipart framing around a document of the maximum size.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The upload form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// PDF, JPEG or PNG, at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Query of "Upload document for customer".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct UploadQuery {
    /// The seed's copy of the customer id; when sent it must equal `id`
    pub user_id: Option<String>,
}

/// "Upload document for customer".
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadResponse {
    pub documents: Vec<DocumentView>,
    pub customer: CustomerDto,
}

/// The customer's documents, newest first.
#[utoipa::path(
    get, path = "/api/customers/{id}/documents", tag = "Customers - Admin APIs",
    summary = "Get customer documents",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Documents", body = Vec<DocumentView>),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn get_customer_documents(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<DocumentView>>> {
    let docs = documents::list(&app, &p, &id).await?;
    Ok(axum::Json(docs.into_iter().collect()))
}

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge)
    } else {
        ApiError(Error::BadRequest("malformed multipart body".into()))
    }
}

/// Stores a document for the customer (a first document moves KYC from NONE to PENDING).
#[utoipa::path(
    post, path = "/api/customers/{id}/documents", tag = "Customers - Admin APIs",
    summary = "Upload document for customer",
    params(
        ("id" = String, Path, description = "The customer's public id"),
        UploadQuery
    ),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Stored", body = UploadResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not a multipart body", body = ErrorBody),
        (status = 422, description = "`file` missing, empty, over 10 MiB, of another type or rejected by the virus scan; `userId` not the customer", body = ErrorBody)
    )
)]
pub async fn upload_customer_document(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, axum::Json<UploadResponse>)> {
    if let Some(u) = q.user_id
        && u.trim() != id.trim()
    {
        return Err(Error::field("userId", "must be the customer of the path").into());
    }
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
    let (docs, customer) =
        documents::upload(&app, &p, &id, name.as_deref(), bytes.to_vec()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(UploadResponse {
            documents: docs.into_iter().collect(),
            customer: customer.into(),
        }),
    ))
}

/// The body limit of the upload route: a maximal document and its framing (a larger file is
/// then a 422 naming `file` up to this size, 413 beyond).
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_BYTES + MULTIPART_OVERHEAD)
}
