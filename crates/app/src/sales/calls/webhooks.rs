//! The providers' call webhooks. Authenticated by the provider's webhook secret (as
//! `Authorization: Bearer <secret>` or the `token` query parameter of the request URL),
//! compared in constant time. Each event is recorded once per call and event name (a unique
//! index): a redelivery answers success and changes nothing. When a call reaches its outcome
//! (Coperato `END`, any Voiso disposition) it is appended to the communications log in the
//! same transaction — which is what moves the customer's (lead's) last contact.

use brokercrm_core::error::Violations;
use brokercrm_core::sales::calls::{self, CallStatus, Provider};
use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::sales::calls as repo;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::config::existing_webhook_secret;
use crate::App;
use crate::platform::audit::{self, Audit};
use crate::sales::communications::{Record, record};

/// A Coperato event as received.
#[derive(Debug, Clone, Default)]
pub struct CoperatoEvent {
    pub status: Option<String>,
    pub duration: Option<f64>,
    pub guid: Option<String>,
    pub recording_file: Option<String>,
}

/// A Voiso event as received.
#[derive(Debug, Clone, Default)]
pub struct VoisoEvent {
    pub disposition: Option<String>,
    pub duration: Option<f64>,
    pub account_id: Option<String>,
}

/// A checked event.
struct Event {
    call_uuid: String,
    name: String,
    status: CallStatus,
    duration: Option<i32>,
    recording: Option<String>,
    payload: serde_json::Value,
}

/// Refuses a missing or wrong token (401) without saying which. The handlers call it before
/// reading the body; [`coperato`] and [`voiso`] check again.
pub async fn authenticate(app: &App, p: Provider, token: Option<&str>) -> Result<()> {
    let denied = || Error::Unauthorized("invalid webhook token".into());
    let given = token.ok_or_else(denied)?;
    let expected = existing_webhook_secret(app, p).await?.ok_or_else(denied)?;
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) { Ok(()) } else { Err(denied()) }
}

fn call_id(field: &str, raw: Option<&str>) -> Result<String> {
    text(field, raw.unwrap_or(""), 36)
}

/// "Handle webhook from Coperato provider".
pub async fn coperato(app: &App, token: Option<&str>, e: CoperatoEvent) -> Result<()> {
    authenticate(app, Provider::Coperato, token).await?;
    let mut v = Violations::new();
    let status = v.check(calls::coperato_status("status", e.status.as_deref()));
    let duration = v.check(calls::duration_secs("duration", e.duration));
    let guid = v.check(call_id("guid", e.guid.as_deref()));
    let recording = match e.recording_file.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => v.check(text("recordingFile", r, 1000)),
        None => None,
    };
    v.finish()?;
    let (Some(status), Some(duration), Some(guid)) = (status, duration, guid) else {
        return Err(Error::internal("unreachable"));
    };
    let payload = json!({"status": e.status, "duration": e.duration, "guid": guid,
        "recordingFile": e.recording_file});
    let name = e.status.unwrap_or_default().trim().to_owned();
    apply(
        app,
        Provider::Coperato,
        Event { call_uuid: guid, name, status, duration, recording, payload },
    )
    .await
}

/// "Handle webhook from Voiso provider".
pub async fn voiso(app: &App, token: Option<&str>, e: VoisoEvent) -> Result<()> {
    authenticate(app, Provider::Voiso, token).await?;
    let mut v = Violations::new();
    let status = v.check(calls::voiso_disposition("disposition", e.disposition.as_deref()));
    let duration = v.check(calls::duration_secs("duration", e.duration));
    let id = v.check(call_id("account_id", e.account_id.as_deref()));
    v.finish()?;
    let (Some(status), Some(duration), Some(id)) = (status, duration, id) else {
        return Err(Error::internal("unreachable"));
    };
    let payload = json!({"disposition": e.disposition, "duration": e.duration, "account_id": id});
    // Voiso reports one disposition per call.
    let ev = Event {
        call_uuid: id,
        name: "disposition".into(),
        status,
        duration,
        recording: None,
        payload,
    };
    apply(app, Provider::Voiso, ev).await
}

async fn apply(app: &App, p: Provider, e: Event) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let call =
        repo::lock_call(&tx, p.as_str(), &e.call_uuid).await?.ok_or(Error::NotFound("call"))?;
    let now = app.clock().now();
    if !repo::insert_event(&tx, call.id, &e.name, &e.payload.to_string(), now).await? {
        // Already processed: nothing changes.
        return Ok(());
    }
    let before = CallStatus::parse(&call.status).unwrap_or(CallStatus::Initiated);
    let after = before.advance(e.status);
    repo::update_call(&tx, call.id, after.as_str(), None, e.duration, e.recording.as_deref())
        .await?;
    let finished = after.is_final() && !before.is_final();
    if finished {
        record(
            &tx,
            Record {
                customer_id: call.customer_id,
                crm_lead_id: call.crm_lead_id,
                kind: CommunicationKind::Call,
                direction: Direction::Outbound,
                subject: None,
                body: Some(after.as_str().to_owned()),
                duration_secs: e.duration.or(call.duration_secs),
                recording_url: e.recording.clone().or(call.recording_url.clone()),
                provider: Some(p.as_str().to_owned()),
                external_id: Some(call.uuid.clone()),
                author_id: call.agent_user_id,
                occurred_at: now,
            },
        )
        .await?;
    }
    let entry = Audit::new("calls.webhook", "call", call.uuid.clone())
        .details(format!("{} {} for call {}", p.as_str(), e.name, call.uuid))
        .after(&json!({ "status": after.as_str(), "event": e.name }));
    audit::record(&tx, None, entry).await?;
    db::commit(tx).await
}
