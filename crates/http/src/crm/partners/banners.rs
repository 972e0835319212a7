//! Seed 002 tag Banners (6 operations): staff manage banners (multipart upload, date
//! windows); the active banner; a banner file served by its token with its sniffed type.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::partners::marketing::banners::{self, BannerInput, BannerView};
use brokercrm_app::partners::marketing::files::{self, MAX_BANNER_BYTES};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::affiliates::PartnerSuccessDto;
use super::form::{Form, MULTIPART_OVERHEAD};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// A banner.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BannerDto {
    pub id: i64,
    pub name: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub link: Option<String>,
    /// `_blank`, `_self`, `_parent` or `_top`.
    pub link_target: String,
    /// Where the image is served ("Get a banner file").
    #[schema(example = "/api/banners/files/Zm9v...")]
    pub url: String,
    /// `image/png` or `image/jpeg` (sniffed from the bytes).
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BannerView> for BannerDto {
    fn from(b: BannerView) -> Self {
        Self {
            id: b.id,
            name: b.name,
            start_date: b.start_at,
            end_date: b.end_at,
            link: b.link,
            link_target: b.link_target,
            url: b.url,
            content_type: b.content_type,
            size: b.size,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

/// `{"banners": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BannersDto {
    pub banners: Vec<BannerDto>,
}

/// `{"banner": {...}}` (`null`: no banner is active).
#[derive(Debug, Serialize, ToSchema)]
pub struct BannerResponse {
    pub banner: Option<BannerDto>,
}

/// The banner form.
#[derive(ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct BannerForm {
    pub name: String,
    /// RFC 3339.
    pub start_date: String,
    /// RFC 3339, after `startDate`.
    pub end_date: String,
    /// An http(s) URL.
    pub link: Option<String>,
    /// `_blank`, `_self`, `_parent` or `_top`.
    pub link_target: String,
    /// JPEG or PNG (recognised by content), at most 5 MiB; optional on update (keeps the image).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

async fn input(form: Result<Multipart, MultipartRejection>) -> ApiResult<BannerInput> {
    let mut f = Form::read(form).await?;
    Ok(BannerInput {
        name: f.text("name"),
        start_date: f.text("startDate"),
        end_date: f.text("endDate"),
        link: f.text("link"),
        link_target: f.text("linkTarget"),
        file: f.file("file"),
    })
}

/// Every banner, the latest start first (staff who read commissions; introducers).
#[utoipa::path(
    get, path = "/api/banners", tag = "Banners", summary = "Get all banners",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The banners", body = BannersDto),
        (status = 403, description = "Not allowed", body = ErrorBody)
    )
)]
pub async fn get_banners(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<BannersDto>> {
    let banners = banners::list(&app, &p).await?.into_iter().map(Into::into).collect();
    Ok(axum::Json(BannersDto { banners }))
}

/// Creates a banner (ManageCommissions).
#[utoipa::path(
    post, path = "/api/banners", tag = "Banners", summary = "Create a new banner",
    request_body(content = BannerForm, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = BannerResponse),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field missing or invalid (the file: missing, empty, over 5 MiB, not a JPEG/PNG by content)", body = ErrorBody)
    )
)]
pub async fn create_banner(
    State(app): State<App>,
    Auth(p): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, axum::Json<BannerResponse>)> {
    let b = banners::create(&app, &p, input(form).await?).await?;
    Ok((StatusCode::CREATED, axum::Json(BannerResponse { banner: Some(b.into()) })))
}

/// Updates a banner; without a file the image stays (ManageCommissions).
#[utoipa::path(
    put, path = "/api/banners/{id}", tag = "Banners", summary = "Update a banner",
    params(("id" = i64, Path, description = "The banner's id")),
    request_body(content = BannerForm, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = BannerResponse),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such banner", body = ErrorBody),
        (status = 422, description = "A field invalid", body = ErrorBody)
    )
)]
pub async fn update_banner(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<axum::Json<BannerResponse>> {
    let b = banners::update(&app, &p, id, input(form).await?).await?;
    Ok(axum::Json(BannerResponse { banner: Some(b.into()) }))
}

/// Deletes a banner and its image (ManageCommissions).
#[utoipa::path(
    delete, path = "/api/banners/{id}", tag = "Banners", summary = "Delete a banner",
    params(("id" = i64, Path, description = "The banner's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = PartnerSuccessDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such banner", body = ErrorBody)
    )
)]
pub async fn delete_banner(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PartnerSuccessDto>> {
    banners::delete(&app, &p, id).await?;
    Ok(axum::Json(PartnerSuccessDto { success: true }))
}

/// The banner whose date window holds now (the latest start); anyone signed in.
#[utoipa::path(
    get, path = "/api/banners/active", tag = "Banners", summary = "Get the active banner",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The banner, or null", body = BannerResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn get_active_banner(
    State(app): State<App>,
    Auth(_p): Auth,
) -> ApiResult<axum::Json<BannerResponse>> {
    Ok(axum::Json(BannerResponse { banner: banners::active(&app).await?.map(Into::into) }))
}

/// A banner's (or grey-label logo's) image by its token, with its sniffed content type. The
/// token is the capability (random, 32 characters): no sign-in, so an `<img>` can show it.
#[utoipa::path(
    get, path = "/api/banners/files/{token}", tag = "Banners", summary = "Get a banner file",
    params(("token" = String, Path, description = "The file's token")),
    responses(
        (status = 200, description = "The image", content_type = "image/png", body = Vec<u8>),
        (status = 404, description = "Unknown token", body = ErrorBody)
    )
)]
pub async fn get_banner_file(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let (content_type, bytes) = files::by_token(&app, &token).await?;
    let mut resp = Response::new(Body::from(bytes));
    let h = resp.headers_mut();
    let ct = HeaderValue::from_str(&content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, ct);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(resp)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_banners, create_banner))
        .routes(routes!(update_banner, delete_banner))
        .layer(DefaultBodyLimit::max(MAX_BANNER_BYTES + MULTIPART_OVERHEAD))
        .routes(routes!(get_active_banner))
        .routes(routes!(get_banner_file))
}
