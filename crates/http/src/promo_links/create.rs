//! "Add promotion links through the interface" (seed 004). The body is read leniently, as the
//! seed's own example is written: strings or numbers for the text fields, `visibleUserId` as
//! numbers or numeric strings, and the free-form fields (`serverId`, `vendor`, `mtGroup`,
//! `accountGroup`, `leverage`, `ownerType`, `ownerId`, `ownerName`) kept and echoed as sent.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::partners::promo_links::create::{CreateLink, LinkView, create};
use brokercrm_app::partners::promo_links::tenants::authenticate;
use brokercrm_core::partners::promo_links::LinkInput;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::envelope::{self, Envelope, PARAM_ERROR};

/// The request body (see the seed for each field).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct PromotionLinkRequest {
    /// Promotion name (required).
    #[schema(example = "apiTest1234")]
    pub name: String,
    /// Promotion code; generated when absent (unique per tenant).
    #[schema(example = "EN03045")]
    pub entity_no: Option<String>,
    /// `Agent` or `StraightGuest`.
    #[schema(example = "Agent")]
    pub introduce_type: String,
    /// `UserAllVisible`, `UserPartVisible` or `UserNotVisible`.
    #[schema(example = "UserPartVisible")]
    pub visible_type: String,
    /// Users who see the link (required with `UserPartVisible`).
    #[schema(value_type = Option<Vec<i64>>, example = json!([1, 2]))]
    pub visible_user_id: Option<Value>,
    /// Target link (required with `StraightGuest`).
    #[schema(example = "http://www.baidu.com")]
    pub target_url: Option<String>,
    /// `uid`, `pid` or `sid`: the parameter the click redirect sets to the owner.
    #[schema(example = "uid")]
    pub parameter_type: Option<String>,
    #[schema(value_type = Option<String>, example = "428")]
    pub server_id: Option<Value>,
    #[schema(value_type = Option<bool>)]
    pub vendor: Option<Value>,
    #[schema(value_type = Option<String>, example = "test")]
    pub mt_group: Option<Value>,
    #[schema(value_type = Option<i64>, example = "group1")]
    pub account_group: Option<Value>,
    #[schema(value_type = Option<i64>, example = "100")]
    pub leverage: Option<Value>,
    /// `RoleId` or `Id`.
    #[schema(example = "Id")]
    pub owner_type: Option<String>,
    /// The owner: a user's id (or public id) when `ownerType` is `Id`.
    #[schema(example = "4")]
    pub owner_id: Option<String>,
    #[schema(example = "steven")]
    pub owner_name: Option<String>,
}

/// The free-form fields, echoed as sent.
const EXTRAS: [&str; 8] = [
    "serverId",
    "vendor",
    "mtGroup",
    "accountGroup",
    "leverage",
    "ownerType",
    "ownerId",
    "ownerName",
];

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// A text field: strings as they are, numbers as their text; anything else is named.
fn text(body: &Map<String, Value>, field: &str, bad: &mut Vec<String>) -> Option<String> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            bad.push(format!("{field}: must be a string"));
            None
        }
    }
}

fn input_of(body: &Map<String, Value>) -> Result<CreateLink, Vec<String>> {
    let mut bad = Vec::new();
    let visible_user_ids = match body.get("visibleUserId") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        Some(_) => {
            bad.push("visibleUserId: must be an array".into());
            None
        }
    };
    let link = LinkInput {
        name: text(body, "name", &mut bad),
        entity_no: text(body, "entityNo", &mut bad),
        introduce_type: text(body, "introduceType", &mut bad),
        visible_type: text(body, "visibleType", &mut bad),
        visible_user_ids,
        target_url: text(body, "targetUrl", &mut bad),
        parameter_type: text(body, "parameterType", &mut bad),
    };
    let owner_type = text(body, "ownerType", &mut bad);
    let owner_id = text(body, "ownerId", &mut bad);
    if !bad.is_empty() {
        return Err(bad);
    }
    let extras =
        EXTRAS.iter().filter_map(|k| body.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
    Ok(CreateLink { link, owner_type, owner_id, extras })
}

fn data_of(v: LinkView, body: &Map<String, Value>) -> Value {
    let mut data = json!({
        "entityNo": v.row.entity_no,
        "name": v.row.name,
        "introduceType": v.row.introduce_type,
        "visibleType": v.row.visible_type,
        "visibleUserId": body.get("visibleUserId").cloned().unwrap_or_else(|| json!(v.visible_user_ids)),
        "targetUrl": v.row.target_url,
        "displayUrl": v.display_url,
        "parameterType": v.row.parameter_type,
    });
    if let Value::Object(m) = &mut data {
        m.extend(v.extras);
    }
    data
}

/// Adds a promotion link for the calling tenant (seed 004). Always HTTP 200: `result` and
/// `mcode` tell success from each error.
#[utoipa::path(
    post, path = "/v1/api/introduce/create", tag = "Promotion Links",
    summary = "Add promotion links through the interface",
    params(
        ("x-api-tenantId" = String, Header, description = "Tenant ID"),
        ("x-api-token" = String, Header, description = "Authentication token"),
        ("x-language" = Option<String>, Header, description = "Language, zh-CN or en-US")
    ),
    request_body = PromotionLinkRequest,
    responses(
        (status = 200, description = "`result` true with the link (`mcode` m0000000), or false with the error code: BW_API_0000001 (token is empty), BW_API_0000003 (invalid ID), BW_API_0000004 (no OPENAPI permission), BW_USER_INRR_NAME_NULL (name is empty), BW_USER_INRR_PARAM_ERROR (a bad field, a taken entityNo, or the target link repeating with the parameter type), -1 (service exception)", body = Envelope)
    )
)]
pub async fn create_promotion_link(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Envelope {
    let lang = header(&headers, "x-language");
    let tenant =
        authenticate(&app, header(&headers, "x-api-tenantid"), header(&headers, "x-api-token"))
            .await;
    let tenant = match tenant {
        Ok(Ok(t)) => t,
        Ok(Err(refusal)) => return envelope::refused(refusal, lang),
        Err(e) => return envelope::from_error(e, lang),
    };
    let body: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(Value::Object(m)) => m,
        _ => return envelope::fail(PARAM_ERROR, vec!["the body must be a JSON object".into()]),
    };
    let input = match input_of(&body) {
        Ok(i) => i,
        Err(bad) => return envelope::fail(PARAM_ERROR, bad),
    };
    match create(&app, &tenant, input).await {
        Ok(v) => envelope::ok(data_of(v, &body)),
        Err(e) => envelope::from_error(e, lang),
    }
}
