//! The lead-distribution part of the demo data set: an offer whose rotation tries a
//! "Premium desk" that refuses German leads, then the house CRM (so a DE lead's trace shows the
//! skip and why); an affiliate API token on it; goal types; and a lead-provider OAuth client
//! and user for the seed-000 surface. Safe to run again: found by name, tokens replaced.

use brokercrm_core::Result;
use brokercrm_core::distribution::rules::TrafficFilter;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use serde::Serialize;

use crate::distribution::advertisers::{self, AdvertiserInput};
use crate::distribution::affiliate_tokens::{self, AffiliateTokenInput, AffiliateTokenPatch};
use crate::distribution::offers::{self, OfferInput};
use crate::distribution::rotations::{self, RotationEntryInput};
use crate::distribution::{Page, ensure_system};
use crate::identity::oauth as clients;
use crate::{App, Principal};

pub const OFFER: &str = "Demo offer";
pub const PREMIUM: &str = "Premium desk (no DE)";
pub const HOUSE: &str = "House CRM";
pub const TOKEN_NAME: &str = "demo";
pub const CLIENT_NAME: &str = "demo-lead-provider";

#[derive(Debug, Serialize)]
pub struct AffiliateV2Credentials {
    pub token: String,
    pub offer_id: i64,
    /// The affiliate's user id: the push body's `affiliate_id`.
    pub affiliate_id: i64,
}

#[derive(Debug, Serialize)]
pub struct LeadProviderCredentials {
    pub client_id: String,
    pub client_secret: String,
    pub username: String,
    pub password: String,
    pub offer_uuid: String,
    pub partner_id: i64,
}

/// Creates or refreshes the distribution demo for `affiliate` (the demo affiliate user) and
/// the lead provider `provider` (user id, e-mail, password), acting as `admin`.
pub async fn load(
    app: &App,
    admin: &Principal,
    affiliate_uuid: &str,
    provider: (i64, String, String),
) -> Result<(AffiliateV2Credentials, LeadProviderCredentials)> {
    ensure_system(app.db().conn()).await?;
    let page = Page::new(Some(Page::MAX_LIMIT), None)?;
    let offer = match offers::list(app, admin, page).await?.into_iter().find(|o| o.name == OFFER) {
        Some(o) => o,
        None => {
            let input = OfferInput {
                name: OFFER.into(),
                rotation_mode: Some("priority".into()),
                lead_source: Some("Demo funnel".into()),
                funnel_name: Some("Demo DE".into()),
                funnel_language: Some("de".into()),
                ..Default::default()
            };
            offers::create(app, admin, input).await?
        }
    };
    let existing = advertisers::list(app, admin, page).await?;
    let uuid_of = |name: &str| existing.iter().find(|a| a.name == name).map(|a| a.uuid.clone());
    let premium = match uuid_of(PREMIUM) {
        Some(u) => u,
        None => {
            let filter =
                TrafficFilter { excluded_countries: vec!["DE".into()], ..Default::default() };
            let input = AdvertiserInput {
                name: PREMIUM.into(),
                kind: "internal_crm".into(),
                traffic_filter: Some(filter),
                ..Default::default()
            };
            advertisers::create(app, admin, input).await?.uuid
        }
    };
    let house = match uuid_of(HOUSE) {
        Some(u) => u,
        None => {
            let input = AdvertiserInput {
                name: HOUSE.into(),
                kind: "internal_crm".into(),
                ..Default::default()
            };
            advertisers::create(app, admin, input).await?.uuid
        }
    };
    let entry = |advertiser_uuid: String, priority| RotationEntryInput {
        advertiser_uuid,
        priority,
        weight: 1,
        active: true,
    };
    rotations::replace(app, admin, &offer.uuid, vec![entry(premium, 1), entry(house, 2)]).await?;

    for t in affiliate_tokens::list(app, admin, Some(affiliate_uuid), page).await? {
        if t.name == TOKEN_NAME && t.active {
            let off = AffiliateTokenPatch { active: Some(false), ..Default::default() };
            affiliate_tokens::update(app, admin, &t.uuid, off).await?;
        }
    }
    let token = affiliate_tokens::create(
        app,
        admin,
        AffiliateTokenInput {
            affiliate_uuid: affiliate_uuid.to_owned(),
            name: TOKEN_NAME.into(),
            ip_allowlist: Vec::new(),
            default_offer_uuid: Some(offer.uuid.clone()),
        },
    )
    .await?;

    for c in clients::list_clients(app, admin, 0, 500).await? {
        if c.name == CLIENT_NAME && c.revoked_at.is_none() {
            clients::revoke_client(app, admin, &c.client_id).await?;
        }
    }
    let client =
        clients::create_client(app, admin, CLIENT_NAME, &["http://127.0.0.1/callback".to_owned()])
            .await?;
    let (partner_id, username, password) = provider;
    let affiliate_id = users::find_by_uuid(app.db().conn(), affiliate_uuid)
        .await?
        .map(|u| u.id)
        .ok_or(brokercrm_core::Error::NotFound("user"))?;
    Ok((
        AffiliateV2Credentials { token: token.token, offer_id: offer.id, affiliate_id },
        LeadProviderCredentials {
            client_id: client.client.client_id,
            client_secret: client.secret,
            username,
            password,
            offer_uuid: offer.uuid,
            partner_id,
        },
    ))
}

/// The role a lead provider logs in with.
pub const PROVIDER_ROLE: Role = Role::Affiliate;
