//! Seed 002 tag Communications: a customer's log of calls, e-mails, SMS and comments, newest
//! first (staff, customer in scope; out of scope is a 404).

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::communications::{self, CommunicationView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// "Get customer communications".
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunicationsDto {
    /// Newest first.
    pub communications: Vec<CommunicationView>,
    /// All of the customer's communications.
    pub count: u64,
}

/// Query of "Get customer communications".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommunicationsQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
}

/// A page of a customer's communications and their total count.
#[utoipa::path(
    get, path = "/api/customers/{id}/communications", tag = "Communications",
    summary = "Get customer communications",
    params(("id" = String, Path, description = "The customer's id"), CommunicationsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Communications", body = CommunicationsDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_communications(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Query(q): Query<CommunicationsQuery>,
) -> ApiResult<axum::Json<CommunicationsDto>> {
    let pg = Page::new(q.limit, q.offset)?;
    let (rows, count) = communications::list(&app, &p, &id, pg).await?;
    Ok(axum::Json(CommunicationsDto { communications: rows, count }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_communications))
}
