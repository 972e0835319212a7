//! Seed 002 tag Affiliates (6 operations): grey-label logos (upload, get, delete), whether
//! grey labeling is enabled, the reference key, the sources of referred customers.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use brokercrm_app::App;
use brokercrm_app::partners::affiliates;
use brokercrm_app::partners::marketing::files::MAX_LOGO_BYTES;
use brokercrm_app::partners::marketing::logos::{self, LogosView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::form::{Form, MULTIPART_OVERHEAD};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// The two logos (addresses serving them; `null`: none).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogosDto {
    #[schema(example = "/api/banners/files/Zm9v...")]
    pub rectangular_logo: Option<String>,
    pub square_logo: Option<String>,
}

impl From<LogosView> for LogosDto {
    fn from(v: LogosView) -> Self {
        Self { rectangular_logo: v.rectangular_logo, square_logo: v.square_logo }
    }
}

/// `{"logos": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogosResponse {
    pub logos: LogosDto,
}

/// The upload form.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct LogosUpload {
    /// JPEG or PNG (recognised by content), at most 1 MiB.
    #[schema(value_type = String, format = Binary)]
    pub rectangular_logo: Vec<u8>,
    /// JPEG or PNG (recognised by content), at most 1 MiB.
    #[schema(value_type = String, format = Binary)]
    pub square_logo: Vec<u8>,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerSuccessDto {
    pub success: bool,
}

/// `{"enabled": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct GreyLabelingDto {
    pub enabled: bool,
}

/// `{"refKey": "..."}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefKeyBody {
    /// 5–20 letters, digits, `_` or `-`; unique regardless of case.
    #[schema(example = "joes-fx")]
    pub ref_key: Option<String>,
}

/// Stores the caller's two grey-label logos (its commission model must enable grey labeling).
#[utoipa::path(
    post, path = "/api/me/grey-label-logos", tag = "Affiliates",
    summary = "Upload grey label logos",
    request_body(content = LogosUpload, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = LogosResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 403, description = "Grey labeling is not enabled for the caller's model", body = ErrorBody),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A logo missing, empty, over 1 MiB or not a JPEG/PNG by content", body = ErrorBody)
    )
)]
pub async fn upload_grey_label_logos(
    State(app): State<App>,
    Auth(p): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<axum::Json<LogosResponse>> {
    let mut form = Form::read(form).await?;
    let rect = form.file("rectangularLogo");
    let square = form.file("squareLogo");
    let v = logos::upload(&app, &p, rect, square).await?;
    Ok(axum::Json(LogosResponse { logos: v.into() }))
}

/// The caller's grey-label logos.
#[utoipa::path(
    get, path = "/api/me/grey-label-logos", tag = "Affiliates",
    summary = "Get grey label logos",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The logos", body = LogosResponse),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn get_grey_label_logos(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<LogosResponse>> {
    Ok(axum::Json(LogosResponse { logos: logos::own(&app, &p).await?.into() }))
}

/// Deletes the caller's grey-label logos.
#[utoipa::path(
    delete, path = "/api/me/grey-label-logos", tag = "Affiliates",
    summary = "Delete grey label logos",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = PartnerSuccessDto),
        (status = 404, description = "No logos, or the caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn delete_grey_label_logos(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<PartnerSuccessDto>> {
    logos::delete(&app, &p).await?;
    Ok(axum::Json(PartnerSuccessDto { success: true }))
}

/// Whether the caller's commission model in force has `greyLabelingEnabled`.
#[utoipa::path(
    get, path = "/api/me/grey-labeling", tag = "Affiliates",
    summary = "Check if grey labeling is enabled",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The flag", body = GreyLabelingDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn is_grey_labeling_enabled(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<GreyLabelingDto>> {
    Ok(axum::Json(GreyLabelingDto { enabled: logos::enabled(&app, &p).await? }))
}

/// Sets the caller's reference (referral) key.
#[utoipa::path(
    put, path = "/api/me/ref-key", tag = "Affiliates",
    summary = "Update the reference key",
    request_body = RefKeyBody,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = PartnerSuccessDto),
        (status = 403, description = "Not an affiliate", body = ErrorBody),
        (status = 409, description = "Taken (regardless of case)", body = ErrorBody),
        (status = 422, description = "Not 5–20 letters, digits, `_` or `-`", body = ErrorBody)
    )
)]
pub async fn update_ref_key(
    State(app): State<App>,
    Auth(p): Auth,
    Json(body): Json<RefKeyBody>,
) -> ApiResult<axum::Json<PartnerSuccessDto>> {
    affiliates::set_ref_key(&app, &p, body.ref_key.as_deref()).await?;
    Ok(axum::Json(PartnerSuccessDto { success: true }))
}

/// The distinct sign-up sources of the customers the caller referred.
#[utoipa::path(
    get, path = "/api/me/referred-customers/sources", tag = "Affiliates",
    summary = "Get sources from referred customers",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The sources, alphabetical", body = Vec<String>),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn get_referred_customer_sources(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Vec<String>>> {
    Ok(axum::Json(affiliates::sources(&app, &p).await?))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(upload_grey_label_logos, get_grey_label_logos, delete_grey_label_logos))
        .layer(DefaultBodyLimit::max(2 * MAX_LOGO_BYTES + MULTIPART_OVERHEAD))
        .routes(routes!(is_grey_labeling_enabled))
        .routes(routes!(update_ref_key))
        .routes(routes!(get_referred_customer_sources))
}
