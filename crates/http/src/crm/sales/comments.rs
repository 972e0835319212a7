//! Seed 002 tag Comments: staff comments on a customer in their scope (a customer out of
//! scope is a 404, as an unknown one).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::comments::{self, CommentView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// "Get comments for a customer".
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentsDto {
    /// Newest first.
    pub comments: Vec<CommentView>,
}

/// "Create a comment for a customer" answers the comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentCreatedDto {
    pub comment: CommentView,
}

/// Body of "Create a comment for a customer".
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCommentRequest {
    /// Required, 1-5000 characters.
    #[schema(example = "Asked to be called back on Monday")]
    pub comment: Option<String>,
}

/// Paging of "Get comments for a customer" (not in the seed; lists are bounded).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentsQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
}

/// A customer's comments, newest first (staff, customer in scope).
#[utoipa::path(
    get, path = "/api/customers/{id}/comments", tag = "Comments",
    summary = "Get comments for a customer",
    params(("id" = String, Path, description = "The customer's id (the seed's customerId)"), CommentsQuery),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Comments", body = CommentsDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_comments(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Query(q): Query<CommentsQuery>,
) -> ApiResult<axum::Json<CommentsDto>> {
    let pg = Page::new(q.limit, q.offset)?;
    let rows = comments::list(&app, &p, &id, pg).await?;
    Ok(axum::Json(CommentsDto { comments: rows.into_iter().collect() }))
}

/// Adds a comment, also recorded as a communication. Audited.
#[utoipa::path(
    post, path = "/api/customers/{id}/comments", tag = "Comments",
    summary = "Create a comment for a customer",
    params(("id" = String, Path, description = "The customer's id (the seed's customerId)")),
    request_body = CreateCommentRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CommentCreatedDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Invalid `comment`", body = ErrorBody)
    )
)]
pub async fn create_comment(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<CreateCommentRequest>,
) -> ApiResult<(StatusCode, axum::Json<CommentCreatedDto>)> {
    let c = comments::create(&app, &p, &id, b.comment.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(CommentCreatedDto { comment: c })))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_comments, create_comment))
}
