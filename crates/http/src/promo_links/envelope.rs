//! Seed 004's answer, `{result, mcode, data, errorMessage}`, and its error codes, mapped from
//! the tenant refusals and the one internal error in this one place. Every answer is HTTP 200
//! (the seed shows no other status; clients read `result` and `mcode`). Messages follow
//! `x-language` (`zh-CN`, else English); internal causes are logged, never sent.

use axum::Json;
use axum::response::{IntoResponse, Response};
use brokercrm_app::partners::promo_links::tenants::TenantRefusal;
use brokercrm_core::Error;
use brokercrm_core::partners::promo_links::NAME_REQUIRED;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub const OK: &str = "m0000000";
pub const EMPTY_TOKEN: &str = "BW_API_0000001";
pub const INVALID_ID: &str = "BW_API_0000003";
pub const NO_PERMISSION: &str = "BW_API_0000004";
pub const NAME_NULL: &str = "BW_USER_INRR_NAME_NULL";
pub const PARAM_ERROR: &str = "BW_USER_INRR_PARAM_ERROR";
pub const SERVICE: &str = "-1";

/// The answer of the promotion-link API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// `true` on success.
    pub result: bool,
    /// `m0000000` on success, else the error code.
    #[schema(example = "m0000000")]
    pub mcode: String,
    /// The link, on success.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Vec<String>>,
}

impl IntoResponse for Envelope {
    fn into_response(self) -> Response {
        Json(self).into_response()
    }
}

/// Chinese when the caller asks for it.
fn zh(lang: Option<&str>) -> bool {
    lang.is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh"))
}

pub fn ok(data: Value) -> Envelope {
    Envelope { result: true, mcode: OK.into(), data: Some(data), error_message: None }
}

pub fn fail(mcode: &str, messages: Vec<String>) -> Envelope {
    Envelope { result: false, mcode: mcode.into(), data: None, error_message: Some(messages) }
}

/// The answer to a refused tenant.
pub fn refused(r: TenantRefusal, lang: Option<&str>) -> Envelope {
    let (code, en, cn) = match r {
        TenantRefusal::EmptyToken => (EMPTY_TOKEN, "token is empty", "token为空"),
        TenantRefusal::InvalidId => (INVALID_ID, "invalid ID", "无效的ID"),
        TenantRefusal::NoPermission => (NO_PERMISSION, "No OPENAPI Permission", "没有OPENAPI权限"),
    };
    fail(code, vec![(if zh(lang) { cn } else { en }).to_owned()])
}

/// The answer to an error of the use case.
pub fn from_error(e: Error, lang: Option<&str>) -> Envelope {
    let cn = zh(lang);
    match e {
        Error::Validation(errors) => {
            if errors.iter().any(|f| f.field == "name" && f.message == NAME_REQUIRED) {
                let m = if cn { "用户名为空" } else { "User name is empty" };
                return fail(NAME_NULL, vec![m.to_owned()]);
            }
            fail(
                PARAM_ERROR,
                errors.into_iter().map(|f| format!("{}: {}", f.field, f.message)).collect(),
            )
        }
        Error::Conflict(m) => fail(PARAM_ERROR, vec![m]),
        Error::NotFound(what) => {
            let m = if cn { "无效的ID" } else { "invalid ID" };
            fail(INVALID_ID, vec![format!("{m}: {what}")])
        }
        Error::BadRequest(m) => fail(PARAM_ERROR, vec![m]),
        other => {
            tracing::error!(error = ?other, "promotion-link API failed");
            let m = if cn {
                "服务异常，请稍后再试"
            } else {
                "service exception , try again later"
            };
            fail(SERVICE, vec![m.to_owned()])
        }
    }
}
