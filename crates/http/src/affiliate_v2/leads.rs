//! `GET /api/affiliates/v2/leads`: the caller's leads, one row per conversion (goal reached).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::distribution::intake::affiliate_api::{self, LeadQuery, LeadView};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

use super::error::{AffContext, AffErrorBody, AffResult, Op, params_invalid};
use super::{TAG, caller};
use crate::extract::ClientIp;

/// Affiliates can get lead data using this request. Also served without the `/api` prefix
/// (`/affiliates/v2/leads`).
#[utoipa::path(
    get,
    path = "/api/affiliates/v2/leads",
    tag = TAG,
    summary = "Get leads",
    security(("AffiliateToken" = [])),
    params(
        ("created_from" = Option<String>, Query, description = "UTC date or date-time, inclusive"),
        ("created_to" = Option<String>, Query, description = "UTC date (whole day included) or date-time, inclusive"),
        ("page" = Option<u64>, Query, description = "Page, default 1"),
        ("per_page" = Option<u64>, Query, description = "Page size, default 20, max 100"),
        ("goal_type_uuid" = Option<String>, Query, description = "Only conversions of this goal type"),
        ("is_test" = Option<bool>, Query, description = "Only test or only real leads")
    ),
    responses(
        (status = 200, description = "The caller's leads (one per conversion), newest first; `uuid` is the conversion's, `leadUuid` (beyond the seed) the lead's as the push returned it; profile keys appear as sent", body = [Object]),
        (status = 401, description = "Authorization error", body = AffErrorBody),
        (status = 422, description = "Parameters validation error", body = AffErrorBody),
        (status = 429, description = "More than 10 requests in 3 seconds", body = AffErrorBody)
    )
)]
pub async fn get_leads(
    State(app): State<App>,
    ip: ClientIp,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> AffResult<Response> {
    let who = caller(&app, &headers, &ip, Op::Read).await?;
    affiliate_api::check_get_limit(&app, &who).await.during(Op::Read)?;
    let q = match parse(&params) {
        Ok(q) => q,
        Err(items) => return Ok(params_invalid(items)),
    };
    let rows = affiliate_api::list(&app, &who, q).await.during(Op::Read)?;
    Ok(Json(rows.into_iter().map(view).collect::<Vec<_>>()).into_response())
}

fn view(v: LeadView) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    put("uuid", json!(v.conversion.uuid));
    // Not in the seed: the lead's UUID as the push answered it (`lead_uuid`), so an
    // affiliate can match a pulled conversion to its push.
    put("leadUuid", json!(v.lead.uuid));
    put("goalTypeUuid", json!(v.goal.uuid));
    put("goalType", json!(v.goal.name));
    put(
        "leadSource",
        json!(v.offer.as_ref().map(|o| o.lead_source.clone().unwrap_or_else(|| o.name.clone()))),
    );
    put("country", json!(v.lead.country));
    put("ip", json!(v.lead.ip));
    put("countryLanguage", json!(v.lead.language));
    put("advertiserUuid", json!(v.advertiser.as_ref().map(|a| &a.uuid)));
    put("advertiserName", json!(v.advertiser.as_ref().map(|a| &a.name)));
    put("externalId", json!(v.lead.external_id));
    put("tpUuid", Value::Null);
    put("funnelUuid", json!(v.offer.as_ref().map(|o| &o.uuid)));
    put("funnelGroupUuid", Value::Null);
    put(
        "funnelName",
        json!(v.offer.as_ref().map(|o| o.funnel_name.clone().unwrap_or_else(|| o.name.clone()))),
    );
    put("funnelUrl", json!(v.offer.as_ref().and_then(|o| o.funnel_url.clone())));
    put("funnelLanguage", json!(v.offer.as_ref().and_then(|o| o.funnel_language.clone())));
    for (k, val) in v.profile {
        m.entry(k).or_insert(val);
    }
    m.insert("isTest".into(), json!(v.lead.is_test));
    m.insert(
        "createdAt".into(),
        json!(v.conversion.created_at.to_rfc3339_opts(SecondsFormat::Millis, true)),
    );
    Value::Object(m)
}

fn item(kind: &str, field: &str, message: String, actual: &str, expected: Option<Value>) -> Value {
    let mut v = json!({"type": kind, "message": message, "field": field, "actual": actual});
    if let Some(e) = expected {
        v["expected"] = e;
    }
    v
}

fn date(field: &str, raw: &str, end_of_day: bool) -> Result<DateTime<Utc>, Value> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    // The seed's own example, "2023-06-22T00:00Z", has no seconds (not RFC 3339); UTC only.
    let naive = raw.strip_suffix('Z').unwrap_or(raw);
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M") {
        return Ok(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let t = if end_of_day {
            d.and_hms_micro_opt(23, 59, 59, 999_999)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        if let Some(t) = t {
            return Ok(t.and_utc());
        }
    }
    Err(item(
        "date",
        field,
        format!("The '{field}' field must be a Date (UTC, e.g. 2023-06-22T00:00Z)."),
        raw,
        None,
    ))
}

fn number(field: &str, raw: &str, min: u64, max: Option<u64>) -> Result<u64, Value> {
    let n: u64 = raw.parse().map_err(|_| {
        item("number", field, format!("The '{field}' field must be a number."), raw, None)
    })?;
    if n < min {
        return Err(item(
            "numberMin",
            field,
            format!("The '{field}' field must be greater than or equal to {min}."),
            raw,
            Some(json!(min)),
        ));
    }
    if let Some(max) = max
        && n > max
    {
        return Err(item(
            "numberMax",
            field,
            format!("The '{field}' field must be less than or equal to {max}."),
            raw,
            Some(json!(max)),
        ));
    }
    Ok(n)
}

/// Parses the query into filters, or the seed's list of validation items.
fn parse(params: &[(String, String)]) -> Result<LeadQuery, Vec<Value>> {
    let mut q = LeadQuery { page: 1, per_page: 20, ..Default::default() };
    let mut errors = Vec::new();
    for (k, raw) in params {
        let r: Result<(), Value> = match k.as_str() {
            "created_from" => date(k, raw, false).map(|t| q.created_from = Some(t)),
            "created_to" => date(k, raw, true).map(|t| q.created_to = Some(t)),
            "page" => number(k, raw, 1, Some(1_000_000)).map(|n| q.page = n),
            "per_page" => number(k, raw, 1, Some(100)).map(|n| q.per_page = n),
            "goal_type_uuid" => uuid::Uuid::parse_str(raw)
                .map(|u| q.goal_type_uuid = Some(u.to_string()))
                .map_err(|_| {
                    item("uuid", k, format!("The '{k}' field must be a valid UUID."), raw, None)
                }),
            "is_test" => match raw.as_str() {
                "true" | "1" => Ok(Some(true)),
                "false" | "0" => Ok(Some(false)),
                _ => Err(item(
                    "boolean",
                    k,
                    format!("The '{k}' field must be a boolean."),
                    raw,
                    None,
                )),
            }
            .map(|b| q.is_test = b),
            _ => Ok(()),
        };
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if errors.is_empty() { Ok(q) } else { Err(errors) }
}
