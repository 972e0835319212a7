//! Seed 002 tag Bookmarks: the caller's bookmarked customers. Bookmarking is idempotent;
//! removing a missing bookmark succeeds; a customer out of the caller's scope is a 404.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::sales::bookmarks::{self, BookmarkedCustomer, ListParams};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// "Get bookmarks for a user".
#[derive(Debug, Serialize, ToSchema)]
pub struct BookmarksDto {
    pub customers: Vec<BookmarkedCustomer>,
    /// Pages of `limit` customers.
    pub pages: u64,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessDto {
    pub success: bool,
}

/// Query of "Get bookmarks for a user" (the seed marks all four required; each has a default).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct BookmarksQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
    /// `bookmarkedAt` (default), `name`, `email` or `createdAt`, optionally `|ASC` or `|DESC`.
    #[param(example = "name|ASC")]
    pub sort_by: Option<String>,
    /// Case-insensitive part of the e-mail, first or last name or phone.
    pub search: Option<String>,
}

/// The caller's bookmarked customers still in their scope.
#[utoipa::path(
    get, path = "/api/bookmarks", tag = "Bookmarks",
    summary = "Get bookmarks for a user",
    params(BookmarksQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Bookmarked customers", body = BookmarksDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Bad `limit`, `offset`, `sortBy` or `search`", body = ErrorBody)
    )
)]
pub async fn list_bookmarks(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<BookmarksQuery>,
) -> ApiResult<axum::Json<BookmarksDto>> {
    let params =
        ListParams { limit: q.limit, offset: q.offset, sort_by: q.sort_by, search: q.search };
    let (rows, pages) = bookmarks::list(&app, &p, &params).await?;
    Ok(axum::Json(BookmarksDto { customers: rows, pages }))
}

/// Removes the caller's bookmark of a customer. Audited when one existed.
#[utoipa::path(
    delete, path = "/api/bookmarks/{id}", tag = "Bookmarks",
    summary = "Remove a bookmark",
    params(("id" = String, Path, description = "The customer's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Not bookmarked (any more)", body = SuccessDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn remove_bookmark(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<SuccessDto>> {
    bookmarks::remove(&app, &p, &id).await?;
    Ok(axum::Json(SuccessDto { success: true }))
}

/// Bookmarks a customer for the caller; idempotent. Audited when new.
#[utoipa::path(
    post, path = "/api/bookmarks/{id}", tag = "Bookmarks",
    summary = "Bookmark a customer",
    params(("id" = String, Path, description = "The customer's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Bookmarked", body = SuccessDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn bookmark_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<SuccessDto>> {
    bookmarks::add(&app, &p, &id).await?;
    Ok(axum::Json(SuccessDto { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_bookmarks))
        .routes(routes!(bookmark_customer, remove_bookmark))
}
