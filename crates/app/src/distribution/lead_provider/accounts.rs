//! Lead accounts of a lead provider (seed 000 "Creating lead", "Getting all leads"): create
//! one for an offer — validated, checked against the provider's own leads, then handed to
//! lead intake — and list the provider's own leads.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_core::error::Violations;
use brokercrm_core::validate::{Email, opt_text, phone, text};
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::distribution::leads::{self as lead_repo, AffiliateLeadFilter, LeadRow};
use brokercrm_store::repo::distribution::offers as offer_repo;
use chrono::{DateTime, Utc};

use super::Provider;
use crate::App;
use crate::distribution::intake::{Channel, OfferRef, Outcome, Submission};

/// The seed's limit on `leadSource` ("maximum amount of signs is 255").
pub const LEAD_SOURCE_MAX: usize = 255;
/// Profile key under which the lead source is kept.
pub const LEAD_SOURCE_KEY: &str = "leadSource";
/// Default and largest page size of the lead list.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 1000;

/// A lead account as the provider sent it (strings as received; validated here).
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub offer_uuid: String,
    pub partner_id: i64,
    pub email: String,
    pub name: String,
    pub surname: String,
    pub phone: String,
    pub lead_source: Option<String>,
    pub ip: Option<IpAddr>,
}

/// An accepted lead account.
#[derive(Debug, Clone)]
pub struct CreatedAccount {
    pub lead_uuid: String,
    pub email: String,
    pub partner_id: i64,
    pub offer_uuid: String,
    pub auto_login_url: Option<String>,
    pub advertiser_name: String,
}

/// Why an account was not created; each is one of the seed's answers.
#[derive(Debug)]
pub enum AccountError {
    /// `partnerId` is not the token's partner (seed: 500 "Register Account Model is not valid").
    PartnerMismatch,
    /// No such offer, or not open to this provider (seed: 404).
    OfferNotFound,
    /// The provider already has a live lead with this e-mail (seed: 409).
    AlreadyExists { email: String, partner_id: i64 },
    /// Intake stored the lead but no advertiser took it.
    Rejected { lead_uuid: String, error_type: LeadErrorType, message: String },
    /// Validation (400) or infrastructure failure.
    Other(Error),
}

impl From<Error> for AccountError {
    fn from(e: Error) -> Self {
        Self::Other(e)
    }
}

/// Validated fields of a new account.
struct Valid {
    offer_uuid: String,
    email: Email,
    name: String,
    surname: String,
    phone: String,
    lead_source: Option<String>,
}

fn validate(a: &NewAccount) -> Result<Valid> {
    let mut v = Violations::new();
    let offer_uuid = match uuid::Uuid::parse_str(a.offer_uuid.trim()) {
        Ok(u) => Some(u.to_string()),
        Err(_) => {
            v.push("offerUuid", "must be a UUID");
            None
        }
    };
    let email = v.check(Email::parse("account.email", &a.email));
    let name = v.check(text("account.name", &a.name, 100));
    let surname = v.check(text("account.surname", &a.surname, 100));
    let phone = v.check(phone("account.phone", &a.phone));
    let lead_source =
        v.check(opt_text("account.leadInfo.leadSource", a.lead_source.as_deref(), LEAD_SOURCE_MAX));
    v.finish()?;
    match (offer_uuid, email, name, surname, phone, lead_source) {
        (
            Some(offer_uuid),
            Some(email),
            Some(name),
            Some(surname),
            Some(phone),
            Some(lead_source),
        ) => Ok(Valid { offer_uuid, email, name, surname, phone, lead_source }),
        _ => Err(Error::internal("validation passed without values")),
    }
}

/// Creates a lead account for `provider`: validation, the partner check, the provider's own
/// duplicate check, then intake (which stores and routes the lead).
pub async fn create_account(
    app: &App,
    provider: &Provider,
    mut a: NewAccount,
) -> Result<CreatedAccount, AccountError> {
    // An empty or missing offer is the provider's default offer, when it has one.
    if a.offer_uuid.trim().is_empty()
        && let Some(o) = super::default_offer(app, provider.partner_id).await?
    {
        a.offer_uuid = o.uuid;
    }
    let v = validate(&a)?;
    if a.partner_id != provider.partner_id {
        return Err(AccountError::PartnerMismatch);
    }
    let conn = app.db().conn();
    if lead_repo::affiliate_has_email(conn, provider.partner_id, v.email.as_str()).await? {
        return Err(AccountError::AlreadyExists {
            email: v.email.as_str().to_owned(),
            partner_id: provider.partner_id,
        });
    }
    let mut profile = BTreeMap::new();
    if let Some(source) = &v.lead_source {
        profile.insert(LEAD_SOURCE_KEY.to_owned(), source.clone());
    }
    let submission = Submission {
        affiliate_id: provider.partner_id,
        token_id: None,
        channel: Channel::LeadProvider,
        offer: OfferRef::Uuid(v.offer_uuid.clone()),
        ip: a.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        country: a.ip.and_then(|ip| app.services().geoip.country(ip)),
        language: None,
        is_test: false,
        email: Some(v.email.as_str().to_owned()),
        phone: Some(v.phone),
        first_name: Some(v.name),
        last_name: Some(v.surname),
        password: None,
        profile,
    };
    match crate::distribution::intake::submit(app, submission).await {
        Ok(Outcome::Accepted { lead_uuid, advertiser_name, auto_login_url, .. }) => {
            Ok(CreatedAccount {
                lead_uuid,
                email: v.email.as_str().to_owned(),
                partner_id: provider.partner_id,
                offer_uuid: v.offer_uuid,
                auto_login_url,
                advertiser_name,
            })
        }
        Ok(Outcome::Rejected { lead_uuid, error_type, message, .. }) => match error_type {
            LeadErrorType::CrmDuplicationError | LeadErrorType::DuplicationError => {
                Err(AccountError::AlreadyExists {
                    email: v.email.as_str().to_owned(),
                    partner_id: provider.partner_id,
                })
            }
            _ => Err(AccountError::Rejected { lead_uuid, error_type, message }),
        },
        Err(Error::NotFound("offer")) => Err(AccountError::OfferNotFound),
        Err(e) => Err(AccountError::Other(e)),
    }
}

/// Filters and page of the provider's lead list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub query: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1..=1000 (default 20).
    pub size: Option<u64>,
    /// 0-based page number.
    pub page: Option<u64>,
}

/// One lead as its provider sees it.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub uuid: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub surname: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    /// `ACCEPTED`, `REJECTED`, `ROUTING` or `UNKNOWN`.
    pub status: String,
    /// For rejected leads: the error type and message.
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub lead_source: Option<String>,
    pub offer_uuid: Option<String>,
    pub created: DateTime<Utc>,
}

/// A page of the provider's leads (Spring's page fields).
#[derive(Debug, Clone)]
pub struct AccountPage {
    pub content: Vec<AccountView>,
    pub total_elements: u64,
    pub size: u64,
    pub number: u64,
}

/// The provider's own leads, newest first. `partner_id` (from the path) must be the token's
/// partner: another partner's list is `Forbidden`.
pub async fn list_accounts(
    app: &App,
    provider: &Provider,
    partner_id: i64,
    q: ListQuery,
) -> Result<AccountPage> {
    if partner_id != provider.partner_id {
        return Err(Error::Forbidden);
    }
    let size = q.size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(Error::field("size", format!("must be between 1 and {MAX_PAGE_SIZE}")));
    }
    let number = q.page.unwrap_or(0);
    let offset = number
        .checked_mul(size)
        .filter(|o| i64::try_from(*o).is_ok())
        .ok_or_else(|| Error::field("page", "is too large"))?;
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(Error::field("from", "must not be after `to`"));
    }
    let query = opt_text("query", q.query.as_deref(), 200)?;
    let filter = AffiliateLeadFilter {
        affiliate_id: provider.partner_id,
        created_from: q.from,
        created_to: q.to,
        is_test: None,
        query,
    };
    let conn = app.db().conn();
    let (rows, total) = lead_repo::list_for_affiliate(conn, &filter, offset, size).await?;
    let ids: BTreeSet<i64> = rows.iter().filter_map(|r| r.offer_id).collect();
    let mut offers: HashMap<i64, Option<String>> = HashMap::new();
    for id in ids {
        let uuid = offer_repo::find_by_id(conn, id).await?.map(|o| o.uuid);
        offers.insert(id, uuid);
    }
    let content = rows
        .into_iter()
        .map(|r| {
            let offer_uuid = r.offer_id.and_then(|id| offers.get(&id).cloned().flatten());
            view(r, offer_uuid)
        })
        .collect();
    Ok(AccountPage { content, total_elements: total, size, number })
}

fn view(r: LeadRow, offer_uuid: Option<String>) -> AccountView {
    let lead_source = serde_json::from_str::<serde_json::Value>(&r.profile)
        .ok()
        .and_then(|p| p.get(LEAD_SOURCE_KEY).and_then(|v| v.as_str()).map(str::to_owned));
    let status = match r.status.as_str() {
        lead_repo::ACCEPTED => "ACCEPTED",
        lead_repo::REJECTED => "REJECTED",
        lead_repo::ROUTING => "ROUTING",
        _ => "UNKNOWN",
    };
    AccountView {
        uuid: r.uuid,
        email: r.email,
        name: r.first_name,
        surname: r.last_name,
        phone: r.phone,
        country: r.country,
        status: status.to_owned(),
        error_type: r.error_type,
        error_message: r.error_message,
        lead_source,
        offer_uuid,
        created: r.created_at,
    }
}
