//! What a lead-provider client asks before it creates accounts: the provider's default offer
//! (used when `offerUuid` is empty or missing) and the register fields that offer needs
//! (`GET /proxy/configuration/api/register-fields`, a route of the platform seed 000 comes
//! from).

use brokercrm_core::distribution::register_fields::{ALWAYS, TYPES, type_of};
use brokercrm_core::{Error, Result};
use brokercrm_integrations::advertisers::{ExternalKind, required_fields};
use brokercrm_store::repo::distribution::affiliate_tokens as token_repo;
use brokercrm_store::repo::distribution::offers::{self as offer_repo, OfferRow};
use brokercrm_store::repo::distribution::rotations;
use chrono::{DateTime, Utc};
use sha2::Digest;

use super::Provider;
use crate::App;

/// The provider's default offer: the one default offer of its usable affiliate API tokens,
/// when there is exactly one and it is active and open to the provider. Several different
/// defaults name no default.
pub async fn default_offer(app: &App, partner_id: i64) -> Result<Option<OfferRow>> {
    let conn = app.db().conn();
    let ids = token_repo::default_offer_ids(conn, partner_id).await?;
    let [id] = ids.as_slice() else { return Ok(None) };
    let offer = offer_repo::find_by_id(conn, *id).await?;
    Ok(offer.filter(|o| o.active && o.affiliate_id.is_none_or(|a| a == partner_id)))
}

/// One register field of the platform's configuration.
#[derive(Debug, Clone)]
pub struct RegisterField {
    /// Stable per provider, type and `demo`.
    pub uuid: String,
    pub partner_id: i64,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// One of [`TYPES`].
    pub kind: &'static str,
    /// The client should collect it.
    pub active: bool,
    pub demo: bool,
    pub required: bool,
}

/// The provider's register fields: every type of [`TYPES`]; the ones a lead account always
/// carries ([`ALWAYS`]) and the ones the default offer's advertisers require (their
/// `requiredFields`) are active and required, the others neither. `partner_id` must be the
/// token's (`Forbidden` otherwise).
pub async fn register_fields(
    app: &App,
    provider: &Provider,
    partner_id: i64,
    demo: bool,
) -> Result<Vec<RegisterField>> {
    if partner_id != provider.partner_id {
        return Err(Error::Forbidden);
    }
    let offer = default_offer(app, partner_id).await?;
    let mut needed: Vec<&'static str> = ALWAYS.to_vec();
    if let Some(o) = &offer {
        for (_, adv) in rotations::active_with_advertisers(app.db().conn(), o.id).await? {
            let Some(kind) = ExternalKind::parse(&adv.kind) else { continue };
            let config: serde_json::Value = serde_json::from_str(&adv.config).unwrap_or_default();
            needed.extend(required_fields(kind, &config).iter().filter_map(|k| type_of(k)));
        }
    }
    let (created, updated) = match &offer {
        Some(o) => (o.created_at, o.updated_at),
        None => {
            let now = app.clock().now();
            (now, now)
        }
    };
    Ok(TYPES
        .iter()
        .map(|kind| {
            let on = needed.contains(kind);
            RegisterField {
                uuid: field_uuid(partner_id, kind, demo),
                partner_id,
                created,
                updated,
                kind,
                active: on,
                demo,
                required: on,
            }
        })
        .collect())
}

/// A UUID (version 8, from SHA-256) that stays the same for the same provider, type and mode.
fn field_uuid(partner_id: i64, kind: &str, demo: bool) -> String {
    let digest = sha2::Sha256::digest(format!("register-field|{partner_id}|{kind}|{demo}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid().to_string()
}
