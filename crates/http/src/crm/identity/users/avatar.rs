//! Profile pictures: upload (multipart field `file`, PNG/JPEG/WebP, at most 2 MiB), delete,
//! the authenticated user's picture URL, and the public picture by token.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::identity::users::{avatar, current_user};
use brokercrm_core::Error;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::Success;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Auth;

/// Room for the multipart framing around a picture of the maximum size.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The upload form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProfilePictureUpload {
    /// PNG, JPEG or WebP image, at most 2 MiB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePictureResponse {
    /// Public URL of the picture, or null when none is set.
    pub profile_picture: Option<String>,
}

fn multipart_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError(Error::PayloadTooLarge)
    } else {
        ApiError(Error::BadRequest("malformed multipart body".into()))
    }
}

/// Uploads (or replaces) the profile picture.
#[utoipa::path(
    post, path = "/api/me/profile-picture", tag = "Users", summary = "Upload profile picture",
    request_body(content = ProfilePictureUpload, content_type = "multipart/form-data"),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Picture stored", body = Success),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 413, description = "Picture over 2 MiB", body = ErrorBody),
        (status = 415, description = "Not a multipart body", body = ErrorBody),
        (status = 422, description = "`file` missing or not a PNG, JPEG or WebP image", body = ErrorBody)
    )
)]
pub async fn upload_profile_picture(
    State(app): State<App>,
    Auth(p): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<axum::Json<Success>> {
    let mut form = form.map_err(|rej| match rej {
        MultipartRejection::InvalidBoundary(_) => ApiError(Error::UnsupportedMediaType),
        other => multipart_error(other.status()),
    })?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(e.status()))? {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|e| multipart_error(e.status()))?);
            break;
        }
    }
    let bytes = file.ok_or_else(|| Error::field("file", "is required"))?;
    avatar::upload(&app, &p, bytes.to_vec()).await?;
    Ok(Success::ok())
}

/// Removes the profile picture.
#[utoipa::path(
    delete, path = "/api/me/profile-picture", tag = "Users", summary = "Delete profile picture",
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Picture removed (or there was none)")
    )
)]
pub async fn delete_profile_picture(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<StatusCode> {
    avatar::delete(&app, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The URL of the authenticated user's profile picture.
#[utoipa::path(
    get, path = "/api/me/profile-picture", tag = "Users", summary = "Get profile picture",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Picture URL or null", body = ProfilePictureResponse)
    )
)]
pub async fn get_my_profile_picture(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<ProfilePictureResponse>> {
    let user = current_user(&app, &p).await?;
    Ok(axum::Json(ProfilePictureResponse { profile_picture: avatar::url_of(&app, &user) }))
}

/// The picture itself, by the public token in its URL (no authentication; the token is
/// unguessable and changes with every upload, so the answer may be cached forever).
#[utoipa::path(
    get, path = "/api/profile-pictures/{token}", tag = "Users", summary = "Get profile picture",
    params(("token" = String, Path, description = "Token of the profile picture")),
    responses(
        (status = 200, description = "The image", content(
            (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp")
        )),
        (status = 404, description = "No such picture", body = ErrorBody)
    )
)]
pub async fn get_profile_picture(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let (bytes, content_type) = avatar::by_token(&app, &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(upload_profile_picture, delete_profile_picture, get_my_profile_picture))
        .layer(DefaultBodyLimit::max(avatar::MAX_BYTES + MULTIPART_OVERHEAD))
        .routes(routes!(get_profile_picture))
}
