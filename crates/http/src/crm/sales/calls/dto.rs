//! The wire types the Calls operations share.

use serde::Serialize;
use utoipa::ToSchema;

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CallsSuccessDto)]
pub struct SuccessDto {
    pub success: bool,
}

impl SuccessDto {
    pub fn ok() -> axum::Json<Self> {
        axum::Json(Self { success: true })
    }
}
