//! The internal CRM as an advertiser: the lead becomes a CRM lead in the same transaction and
//! gets a single-use, expiring auto-login link; its password is hashed by a background job.
//! In an intake batch the rows are queued and inserted for the whole batch at once.

use brokercrm_core::Result;
use brokercrm_integrations::advertisers::OutboundLead;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::auto_login::{self, NewAutoLogin};
use brokercrm_store::repo::distribution::crm_leads::{self, NewCrmLead};
use brokercrm_store::repo::distribution::leads::LeadRow;
use serde::{Deserialize, Serialize};

use crate::App;
use crate::identity::security::{random_token, token_hash};
use crate::platform::jobs::{self, Job};

pub struct Delivered {
    pub external_id: Option<String>,
    pub auto_login_url: Option<String>,
}

/// A CRM lead and its auto-login link held back for the intake batch to insert (the link gets
/// the CRM lead's id then).
pub struct DeferredCrmLead {
    pub lead: NewCrmLead,
    pub link: NewAutoLogin,
}

/// Creates the CRM lead for `lead` (once, even if routing is resumed) and its auto-login link;
/// with `defer`, both are queued there for the batch instead of inserted now.
pub async fn deliver(
    app: &App,
    tx: &impl ConnectionTrait,
    lead: &LeadRow,
    out: &OutboundLead,
    defer: Option<&mut Vec<DeferredCrmLead>>,
) -> Result<Delivered> {
    let new = NewCrmLead {
        uuid: uuid::Uuid::now_v7().to_string(),
        lead_id: Some(lead.id),
        affiliate_id: Some(lead.affiliate_id),
        email: out.email.clone(),
        phone: out.phone.clone(),
        first_name: out.first_name.clone(),
        last_name: out.last_name.clone(),
        country: out.country.clone(),
        language: out.language.clone(),
        ip: Some(out.ip.clone()),
        source: out.offer_name.clone(),
        is_test: out.is_test,
        sales_desk_id: None,
    };
    let (mut link, url) = new_link(app, None, None);
    if out.password.is_some() {
        jobs::enqueue(tx, &HashLeadPassword { lead_id: lead.id }).await?;
    }
    let external_id = match defer {
        Some(queue) => {
            let uuid = new.uuid.clone();
            queue.push(DeferredCrmLead { lead: new, link });
            uuid
        }
        None => {
            let crm = crm_leads::insert_for_lead(tx, new).await?;
            link.crm_lead_id = Some(crm.id);
            auto_login::insert(tx, link).await?;
            crm.uuid
        }
    };
    Ok(Delivered { external_id: Some(external_id), auto_login_url: Some(url) })
}

/// Inserts CRM leads and links held back by [`deliver`], in two statements.
pub async fn insert_deferred(
    tx: &impl ConnectionTrait,
    queued: Vec<DeferredCrmLead>,
) -> Result<()> {
    if queued.is_empty() {
        return Ok(());
    }
    let (leads, links): (Vec<_>, Vec<_>) = queued.into_iter().map(|q| (q.lead, q.link)).unzip();
    let uuids: Vec<String> = leads.iter().map(|l| l.uuid.clone()).collect();
    let ids: std::collections::HashMap<String, i64> =
        crm_leads::insert_many(tx, leads).await?.into_iter().collect();
    let links = links
        .into_iter()
        .zip(uuids)
        .map(|(mut link, uuid)| {
            link.crm_lead_id = ids.get(&uuid).copied();
            link
        })
        .collect();
    auto_login::insert_many(tx, links).await
}

/// A new auto-login link (not stored yet) and its URL.
pub fn new_link(
    app: &App,
    crm_lead_id: Option<i64>,
    user_id: Option<i64>,
) -> (NewAutoLogin, String) {
    let token = random_token(32);
    let ttl =
        chrono::Duration::from_std(app.cfg().auto_login_ttl).unwrap_or(chrono::Duration::hours(24));
    let link = NewAutoLogin {
        token_hash: token_hash(&token),
        crm_lead_id,
        user_id,
        redirect_path: None,
        expires_at: app.clock().now() + ttl,
    };
    let url = format!("{}/auto-login/{token}", app.cfg().public_url.trim_end_matches('/'));
    (link, url)
}

/// Hashes the password a lead was pushed with into its CRM lead, then drops the plain text
/// from the lead's profile.
#[derive(Debug, Serialize, Deserialize)]
pub struct HashLeadPassword {
    pub lead_id: i64,
}

impl Job for HashLeadPassword {
    const KIND: &'static str = "lead.hash_password";

    fn dedup_key(&self) -> Option<String> {
        Some(format!("lead.hash_password:{}", self.lead_id))
    }

    async fn run(self, app: App) -> Result<()> {
        use brokercrm_store::repo::distribution::leads as lead_repo;
        let conn = app.db().conn();
        let Some(lead) = lead_repo::find_by_id(conn, self.lead_id).await? else { return Ok(()) };
        let mut profile: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&lead.profile).unwrap_or_default();
        let Some(password) = profile.remove("password").and_then(|p| p.as_str().map(str::to_owned))
        else {
            return Ok(());
        };
        let hash = crate::identity::security::hash_password(app.hasher(), password).await?;
        let tx = app.db().begin_write().await?;
        if let Some(crm) = crm_leads::find_by_lead(&tx, lead.id).await? {
            crm_leads::set_password_hash(&tx, crm.id, &hash).await?;
        }
        let json = serde_json::Value::Object(profile).to_string();
        lead_repo::set_profile(&tx, lead.id, &json).await?;
        brokercrm_store::db::commit(tx).await
    }
}
