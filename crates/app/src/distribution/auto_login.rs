//! Spending an auto-login link: the link is consumed once; a CRM lead's link creates its
//! customer account on first use (never logs into an account the lead did not create).

use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::auto_login;
use brokercrm_store::repo::distribution::crm_leads;
use brokercrm_store::repo::identity::users::{self, NewUser};

use crate::App;
use crate::identity::security::new_ref_key;
use crate::identity::security::token_hash;
use crate::identity::tokens::{self, IssuedTokens};

/// A spent link: the session it opened and where to send the browser.
pub struct LoggedIn {
    pub tokens: IssuedTokens,
    pub redirect_path: Option<String>,
}

/// Consumes `token`; `Unauthorized` when it is unknown, used or expired.
pub async fn consume(app: &App, token: &str) -> Result<LoggedIn> {
    let tx = app.db().begin_write().await?;
    let link = auto_login::consume(&tx, &token_hash(token))
        .await?
        .ok_or_else(|| Error::Unauthorized("this login link is invalid, used or expired".into()))?;
    let user = match (link.user_id, link.crm_lead_id) {
        (Some(uid), _) => users::find_by_id(&tx, uid).await?,
        (None, Some(cid)) => Some(customer_for(app, &tx, cid).await?),
        (None, None) => None,
    }
    .filter(|u| u.status == users::ACTIVE)
    .ok_or_else(|| Error::Unauthorized("this login link is invalid, used or expired".into()))?;
    let tokens = tokens::issue(app, &tx, &user, None).await?;
    commit(tx).await?;
    Ok(LoggedIn { tokens, redirect_path: link.redirect_path })
}

/// The customer account of a CRM lead, created on first use from the lead's details.
async fn customer_for(
    app: &App,
    tx: &brokercrm_store::DatabaseTransaction,
    crm_lead_id: i64,
) -> Result<users::UserRow> {
    let lead = crm_leads::find_by_id(tx, crm_lead_id).await?.ok_or(Error::NotFound("lead"))?;
    if let Some(cid) = lead.customer_id {
        return users::find_by_id(tx, cid).await?.ok_or(Error::NotFound("customer"));
    }
    let email = lead
        .email
        .clone()
        .ok_or_else(|| Error::Unauthorized("this lead has no e-mail to log in with".into()))?;
    if users::find_by_email(tx, &email).await?.is_some() {
        // Someone already owns this e-mail: a pushed lead must not open their account.
        return Err(Error::Unauthorized(
            "an account with this e-mail exists; log in with its password".into(),
        ));
    }
    let _ = app;
    let user = users::insert(
        tx,
        NewUser {
            uuid: uuid::Uuid::now_v7().to_string(),
            email,
            password_hash: lead.password_hash.clone(),
            role: Role::Customer.as_str().into(),
            firstname: lead.first_name.clone(),
            lastname: lead.last_name.clone(),
            mobilenumber: lead.phone.clone(),
            country: lead.country.clone(),
            communication_language: lead.language.clone(),
            source: lead.source.clone(),
            skip_onboarding_steps: "[]".into(),
            ref_key: new_ref_key(),
            ..Default::default()
        },
    )
    .await?;
    crm_leads::set_customer(tx, lead.id, user.id).await?;
    Ok(user)
}
