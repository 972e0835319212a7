//! "Handle SumSub webhook". The body is authenticated before anything is read from it: the
//! `X-Payload-Digest` header is the hex HMAC of the raw body under the configured webhook
//! secret, with the algorithm `X-Payload-Digest-Alg` names (`HMAC_SHA1_HEX`,
//! `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX`; SHA-1 when absent, SumSub's original default),
//! compared in constant time; anything else is 401 and changes nothing.
//!
//! Every verified delivery is recorded by the SHA-256 of its body: a replay answers the same
//! and changes nothing. SumSub does not promise order, so an event created (`createdAtMs`)
//! before the last one applied to the customer is recorded as `stale` and ignored. An
//! `applicantReviewed` event moves the customer's KYC status (`GREEN` → `APPROVED`, `RED` +
//! `FINAL` → `REJECTED`, `RED` + `RETRY` → `RETRY`), audited, and publishes [`KycDecided`].

use brokercrm_core::identity::auth::Role;
use brokercrm_core::onboarding::kyc::{KycStatus, from_review};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::onboarding::kyc::{self as repo, ApplicantRow, NewWebhookEvent};
use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq;

use super::kyc::KycDecided;
use crate::App;
use crate::platform::audit::{self, Audit};
use crate::platform::settings::providers;

/// What happened to a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Replayed,
    Stale,
    Ignored,
    UnknownUser,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Replayed => "replayed",
            Self::Stale => "stale",
            Self::Ignored => "ignored",
            Self::UnknownUser => "unknown_user",
        }
    }
}

fn hmac_hex<M: Mac + KeyInit>(secret: &[u8], body: &[u8]) -> Result<String> {
    let mut mac = <M as KeyInit>::new_from_slice(secret).map_err(Error::internal)?;
    mac.update(body);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Whether `digest` is the HMAC of `body` under `secret` with algorithm `alg`.
pub fn digest_ok(secret: &str, alg: Option<&str>, digest: &str, body: &[u8]) -> Result<bool> {
    let expected = match alg.map(str::trim).unwrap_or("HMAC_SHA1_HEX") {
        "HMAC_SHA1_HEX" => hmac_hex::<Hmac<sha1::Sha1>>(secret.as_bytes(), body)?,
        "HMAC_SHA256_HEX" => hmac_hex::<Hmac<Sha256>>(secret.as_bytes(), body)?,
        "HMAC_SHA512_HEX" => hmac_hex::<Hmac<Sha512>>(secret.as_bytes(), body)?,
        _ => return Ok(false),
    };
    let given = digest.trim().to_ascii_lowercase();
    Ok(expected.as_bytes().ct_eq(given.as_bytes()).into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReviewResult {
    review_answer: Option<String>,
    review_reject_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    #[serde(rename = "type")]
    kind: String,
    applicant_id: Option<String>,
    external_user_id: Option<String>,
    review_result: Option<ReviewResult>,
    created_at_ms: Option<serde_json::Value>,
    created_at: Option<String>,
}

/// SumSub's `createdAtMs` (`"2024-02-21 13:23:19.321"`, UTC) or `createdAt`; RFC 3339 and
/// epoch milliseconds are accepted too.
fn event_time(p: &Payload) -> Option<DateTime<Utc>> {
    let text = |s: &str| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
            .map(|n| n.and_utc())
            .ok()
            .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc)))
    };
    match &p.created_at_ms {
        Some(serde_json::Value::String(s)) => text(s),
        Some(serde_json::Value::Number(n)) => n.as_i64().and_then(DateTime::from_timestamp_millis),
        _ => p.created_at.as_deref().and_then(text),
    }
}

/// Handles one delivery; `Unauthorized` unless the digest verifies.
pub async fn handle(
    app: &App,
    digest: Option<&str>,
    alg: Option<&str>,
    body: &[u8],
) -> Result<Outcome> {
    let unauthorized = || Error::Unauthorized("invalid SumSub payload digest".into());
    let cfg = providers::sumsub(app).await?.ok_or_else(unauthorized)?;
    let digest = digest.ok_or_else(unauthorized)?;
    if !digest_ok(&cfg.webhook_secret_key, alg, digest, body)? {
        return Err(unauthorized());
    }
    let p: Payload = serde_json::from_slice(body)
        .map_err(|e| Error::BadRequest(format!("not a SumSub webhook body: {e}")))?;
    let body_digest = hex::encode(Sha256::digest(body));
    let conn = app.db().conn();
    if repo::event_by_digest(conn, &body_digest).await?.is_some() {
        return Ok(Outcome::Replayed);
    }
    let at = event_time(&p);
    let tx = app.db().begin_write().await?;
    let customer = match p.external_user_id.as_deref() {
        Some(uuid) => users::find_by_uuid(&tx, uuid.trim())
            .await?
            .filter(|u| u.role == Role::Customer.as_str()),
        None => None,
    };
    let outcome = match &customer {
        None => Outcome::UnknownUser,
        Some(c) => apply(app, &tx, c, &p, at).await?,
    };
    let recorded = repo::insert_event(
        &tx,
        NewWebhookEvent {
            body_digest,
            event_type: p.kind.chars().take(64).collect(),
            applicant_id: p.applicant_id.clone().map(|a| a.chars().take(100).collect()),
            user_id: customer.as_ref().map(|c| c.id),
            event_at: at,
            outcome: outcome.as_str().to_owned(),
        },
    )
    .await;
    match recorded {
        Ok(()) => {}
        // The same body delivered twice at once: the other delivery did the work.
        Err(Error::Conflict(_)) => return Ok(Outcome::Replayed),
        Err(e) => return Err(e),
    }
    commit(tx).await?;
    Ok(outcome)
}

/// Applies a verified event to `customer` in `tx`.
async fn apply(
    app: &App,
    tx: &brokercrm_store::DatabaseTransaction,
    customer: &users::UserRow,
    p: &Payload,
    at: Option<DateTime<Utc>>,
) -> Result<Outcome> {
    let mut row = repo::applicant(tx, customer.id).await?.unwrap_or(ApplicantRow {
        user_id: customer.id,
        applicant_id: None,
        last_event_at: None,
        review_answer: None,
        reject_type: None,
        updated_at: brokercrm_store::db::now(),
    });
    if p.applicant_id.is_some() {
        row.applicant_id = p.applicant_id.clone().map(|a| a.chars().take(100).collect());
    }
    if p.kind != "applicantReviewed" {
        repo::save_applicant(tx, row).await?;
        return Ok(Outcome::Ignored);
    }
    let Some(at) = at else { return Ok(Outcome::Ignored) };
    if row.last_event_at.is_some_and(|last| last >= at) {
        return Ok(Outcome::Stale);
    }
    let review = p.review_result.as_ref();
    let answer = review.and_then(|r| r.review_answer.clone()).unwrap_or_default();
    let reject = review.and_then(|r| r.review_reject_type.clone());
    let Some(after) = from_review(&answer, reject.as_deref()) else {
        return Ok(Outcome::Ignored);
    };
    let before = KycStatus::stored(&customer.kyc_status);
    row.last_event_at = Some(at);
    row.review_answer = Some(answer.chars().take(16).collect());
    row.reject_type = reject.map(|r| r.chars().take(16).collect());
    repo::save_applicant(tx, row).await?;
    if before == after {
        return Ok(Outcome::Applied);
    }
    let saved = users::set_kyc_status(tx, customer.id, before.as_str(), after.as_str())
        .await?
        .ok_or_else(|| Error::Conflict("KYC status changed meanwhile; SumSub will retry".into()))?;
    audit::record(
        tx,
        None,
        Audit::new("customer.kyc_sumsub", "customer", customer.uuid.clone())
            .details(format!(
                "SumSub review of {}: {answer} -> KYC {} -> {}",
                customer.email,
                before.wire(),
                after.wire()
            ))
            .before(&serde_json::json!({ "kycStatus": before.wire() }))
            .after(&serde_json::json!({ "kycStatus": after.wire(), "reviewAnswer": answer })),
    )
    .await?;
    app.events().publish(tx, &KycDecided { customer: saved, before, after, reason: None }).await?;
    Ok(Outcome::Applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_by_the_named_algorithm() {
        let body = br#"{"type":"applicantReviewed"}"#;
        let d256 = hmac_hex::<Hmac<Sha256>>(b"s", body).unwrap_or_default();
        assert!(digest_ok("s", Some("HMAC_SHA256_HEX"), &d256, body).unwrap_or(false));
        assert!(
            digest_ok("s", Some("HMAC_SHA256_HEX"), &d256.to_uppercase(), body).unwrap_or(false)
        );
        assert!(!digest_ok("s", Some("HMAC_SHA512_HEX"), &d256, body).unwrap_or(true));
        assert!(!digest_ok("t", Some("HMAC_SHA256_HEX"), &d256, body).unwrap_or(true));
        assert!(!digest_ok("s", Some("MD5"), &d256, body).unwrap_or(true));
        let d1 = hmac_hex::<Hmac<sha1::Sha1>>(b"s", body).unwrap_or_default();
        assert!(digest_ok("s", None, &d1, body).unwrap_or(false));
    }

    #[test]
    fn event_times() {
        let p = |v: serde_json::Value| -> Payload {
            serde_json::from_value(serde_json::json!({"type": "x", "createdAtMs": v})).unwrap_or(
                Payload {
                    kind: String::new(),
                    applicant_id: None,
                    external_user_id: None,
                    review_result: None,
                    created_at_ms: None,
                    created_at: None,
                },
            )
        };
        let t = event_time(&p(serde_json::json!("2024-02-21 13:23:19.321")));
        assert_eq!(t.map(|t| t.timestamp_millis()), Some(1_708_521_799_321));
        assert!(event_time(&p(serde_json::json!("nonsense"))).is_none());
    }
}
