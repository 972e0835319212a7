//! The IB portal's list of promotion links (our route beside seed 004's): the links the
//! calling introducer owns or is shown by their `visibleType`.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::promo_links::visible::{VisibleLink, own_list};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// One link the introducer may hand out.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VisibleLinkDto {
    pub name: String,
    pub entity_no: String,
    /// `Agent` (recruits sub-introducers) or `StraightGuest` (brings clients).
    pub introduce_type: String,
    /// The live link (`GET /introduce`).
    pub display_url: String,
    pub clicks: i64,
    /// The caller owns it: its clicks and sign-ups are attributed to the caller.
    pub own: bool,
    pub created_at: DateTime<Utc>,
}

impl From<VisibleLink> for VisibleLinkDto {
    fn from(l: VisibleLink) -> Self {
        Self {
            name: l.name,
            entity_no: l.entity_no,
            introduce_type: l.introduce_type,
            display_url: l.display_url,
            clicks: l.clicks,
            own: l.own,
            created_at: l.created_at,
        }
    }
}

/// `{"links": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisibleLinksResponse {
    pub links: Vec<VisibleLinkDto>,
}

/// The promotion links the calling introducer owns or may use, newest first.
#[utoipa::path(
    get, path = "/api/me/promotion-links", tag = "Promotion Links",
    summary = "List my promotion links",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The links", body = VisibleLinksResponse),
        (status = 403, description = "A role without commissions of its own (ReadOwnCommissions)", body = ErrorBody),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn list_my_promotion_links(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<VisibleLinksResponse>> {
    let links = own_list(&app, &p).await?.into_iter().map(Into::into).collect();
    Ok(Json(VisibleLinksResponse { links }))
}
