//! The demo data set: one user per role and an integration API key, with the credentials a
//! newcomer needs. Safe to run again: users get fresh passwords, the old demo key is revoked.

pub mod distribution;
pub mod market_data;
pub mod onboarding;
pub mod partners;
pub mod positions;
pub mod trading;
use brokercrm_core::Result;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users::{self, NewUser};
use sea_orm::Set;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::App;
use crate::identity::api_keys;
use crate::identity::security::new_ref_key;
use crate::identity::security::{hash_password, random_token};

/// What `brokercrm demo` writes (keys documented in docs/demo.md).
#[derive(Debug, Serialize)]
pub struct DemoCredentials {
    pub base_url: String,
    /// One login per role: `{ "admin": {"email","password"}, "customer": {...}, ... }`.
    pub users: BTreeMap<String, Login>,
    /// An integration API key (role `affiliate`, owned by the demo affiliate).
    pub api_key: String,
    /// The affiliate API v2 (seed 001) token of the demo affiliate, on the demo offer.
    pub affiliate_v2: crate::demo::distribution::AffiliateV2Credentials,
    /// The lead-provider API (seed 000): OAuth client, user, offer and partner id.
    pub lead_provider: crate::demo::distribution::LeadProviderCredentials,
    /// The Retail Services API (seed 003): application key, feeds, an active account.
    pub retail_services: crate::demo::market_data::RetailServicesCredentials,
    /// The promotion-link API (seed 004): tenant id and token.
    pub promotion_links: crate::demo::partners::PromotionLinkCredentials,
    /// The demo customer's trading wallets (with open positions and closed history).
    pub trading: TradingWallets,
}

/// The demo customer's wallets.
#[derive(Debug, Serialize)]
pub struct TradingWallets {
    pub real_wallet_id: i64,
    pub demo_wallet_id: i64,
}

#[derive(Debug, Serialize)]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// Creates (or refreshes) the demo data set.
pub async fn load(app: &App, base_url: &str) -> Result<DemoCredentials> {
    let mut logins = BTreeMap::new();
    let mut affiliate_id = None;
    let mut admin_id = None;
    let mut customer_id = None;
    for role in Role::ALL {
        let email = format!("demo.{}@brokercrm.local", role.as_str().replace('_', "."));
        let password = format!("Demo-{}1", random_token(9));
        let id = upsert_user(app, &email, &password, role).await?;
        if role == Role::Affiliate {
            affiliate_id = Some(id);
        }
        if role == Role::Admin {
            admin_id = Some(id);
        }
        if role == Role::Customer {
            customer_id = Some(id);
        }
        logins.insert(role.as_str().to_owned(), Login { email, password });
    }
    api_keys::revoke_by_name(app, "demo-affiliate").await?;
    let key = api_keys::create_key(app, "demo-affiliate", Role::Affiliate, affiliate_id, admin_id)
        .await?;
    let admin = principal_of(app, admin_id).await?;
    let affiliate = principal_of(app, affiliate_id).await?;
    let provider_email = "demo.leadprovider@brokercrm.local".to_owned();
    let provider_password = format!("Demo-{}1", random_token(9));
    let provider_id =
        upsert_user(app, &provider_email, &provider_password, Role::Affiliate).await?;
    let (affiliate_v2, lead_provider) = crate::demo::distribution::load(
        app,
        &admin,
        &affiliate.user_uuid,
        (provider_id, provider_email, provider_password),
    )
    .await?;
    crate::demo::trading::load(app, &admin).await?;
    let customer_id =
        customer_id.ok_or_else(|| brokercrm_core::Error::internal("demo customer missing"))?;
    crate::demo::onboarding::load(app, &admin, customer_id).await?;
    let retail_services = crate::demo::market_data::load(app).await?;
    let promotion_links = crate::demo::partners::load(app, affiliate_id).await?;
    let customer = principal_of(app, Some(customer_id)).await?;
    let (real_wallet_id, demo_wallet_id) =
        crate::demo::positions::load(app, &admin, &customer).await?;
    Ok(DemoCredentials {
        base_url: base_url.to_owned(),
        users: logins,
        api_key: key.secret,
        affiliate_v2,
        lead_provider,
        retail_services,
        promotion_links,
        trading: TradingWallets { real_wallet_id, demo_wallet_id },
    })
}

/// The principal of a demo user (acting as itself).
async fn principal_of(app: &App, id: Option<i64>) -> Result<crate::Principal> {
    let id = id.ok_or_else(|| brokercrm_core::Error::internal("demo user missing"))?;
    let u = users::find_by_id(app.db().conn(), id)
        .await?
        .ok_or(brokercrm_core::Error::NotFound("user"))?;
    Ok(crate::Principal {
        user_id: u.id,
        user_uuid: u.uuid,
        email: u.email,
        role: u.role.parse().map_err(|_| brokercrm_core::Error::internal("bad role"))?,
        method: crate::identity::principal::AuthMethod::Session,
        impersonated_by: None,
    })
}

async fn upsert_user(app: &App, email: &str, password: &str, role: Role) -> Result<i64> {
    let hash = hash_password(app.hasher(), password.to_owned()).await?;
    let conn = app.db().conn();
    if let Some(u) = users::find_by_email(conn, email).await? {
        let mut ch = users::changes(u);
        ch.password_hash = Set(Some(hash));
        ch.status = Set(users::ACTIVE.into());
        ch.role = Set(role.as_str().into());
        return Ok(users::save(conn, ch).await?.id);
    }
    let row = users::insert(
        conn,
        NewUser {
            uuid: uuid::Uuid::now_v7().to_string(),
            email: email.to_owned(),
            password_hash: Some(hash),
            role: role.as_str().into(),
            firstname: Some("Demo".into()),
            lastname: Some(role.as_str().replace('_', " ")),
            country: Some("CY".into()),
            skip_onboarding_steps: "[]".into(),
            ref_key: new_ref_key(),
            confirmed_at: Some(brokercrm_store::db::now()),
            ..Default::default()
        },
    )
    .await?;
    Ok(row.id)
}
