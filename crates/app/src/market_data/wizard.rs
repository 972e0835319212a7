//! The signup wizard behind `signupPageByTheme`: the user confirms personal data (pre-filled
//! from the account's `metadata` and, when the e-mail belongs to one of our customers, from
//! the customer record and its KYC state), answers the professional / non-professional
//! questionnaire and signs each feed's agreement (text and version stored with the time and
//! IP). The link is single use; the order then completes if the application confirmed it (or
//! need not).

use std::collections::HashMap;

use brokercrm_core::error::Violations;
use brokercrm_core::market_data::{Allowed, SubscriberStatus};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::market_data::accounts::{self, AccountChange, AccountRow};
use brokercrm_store::repo::market_data::agreements::{self, NewAgreement};
use brokercrm_store::repo::market_data::applications::{self, ApplicationRow};
use brokercrm_store::repo::market_data::feeds::{self, FeedRow};
use brokercrm_store::repo::market_data::links::{self, LinkRow};
use brokercrm_store::repo::market_data::orders::{self, OrderRow};

use crate::App;
use crate::identity::security::token_hash;
use crate::market_data::accounts::{METADATA_FIELDS, record};
use crate::market_data::completion::{self, items_of};

/// Personal fields the user must fill in.
pub const REQUIRED: [&str; 6] = ["firstName", "lastName", "country", "address", "city", "zip"];

/// The questionnaire: a "yes" to any question makes the subscriber professional.
pub const QUESTIONS: [(&str, &str); 4] = [
    ("qBusiness", "Do you use market data for a business, or for anyone other than yourself?"),
    (
        "qRegulated",
        "Are you registered or qualified with a securities regulator, exchange or self-regulatory body?",
    ),
    ("qAdviser", "Are you an investment adviser, or do you manage assets for others?"),
    (
        "qInstitution",
        "Are you employed by a bank, broker, insurer or other financial institution and use the data for that work?",
    ),
];

/// A feed's agreement as shown.
#[derive(Debug, Clone)]
pub struct AgreementView {
    pub feed_id: i64,
    pub feed: String,
    pub title: String,
    pub text: String,
    pub version: String,
}

/// What the wizard page shows.
#[derive(Debug, Clone)]
pub struct WizardPage {
    pub email: String,
    /// Field name → pre-filled value.
    pub values: HashMap<String, String>,
    /// The customer's KYC state, when the e-mail belongs to a customer.
    pub customer_kyc: Option<String>,
    pub agreements: Vec<AgreementView>,
}

/// What the user submitted.
#[derive(Debug, Clone, Default)]
pub struct WizardForm {
    /// Personal fields and questionnaire answers (`yes` / `no`) by name; `agree_<feedId>` for
    /// each agreement ticked.
    pub fields: HashMap<String, String>,
    pub ip: Option<String>,
}

struct Loaded {
    link: LinkRow,
    account: AccountRow,
    application: ApplicationRow,
    order: OrderRow,
    feeds: Vec<FeedRow>,
}

async fn load<C: ConnectionTrait>(conn: &C, app: &App, token: &str) -> Result<Loaded> {
    let gone = || Error::NotFound("link");
    let now = app.clock().now();
    let link =
        links::find_live(conn, &token_hash(token), links::SIGNUP, now).await?.ok_or_else(gone)?;
    let account = accounts::find_by_id(conn, link.account_id).await?.ok_or_else(gone)?;
    let application =
        applications::find_by_id(conn, account.application_id).await?.ok_or_else(gone)?;
    let order = orders::find_by_id(conn, link.order_id.unwrap_or_default())
        .await?
        .filter(|o| o.state == orders::PENDING && o.expires_at > now)
        .ok_or_else(gone)?;
    let ids: Vec<i64> = items_of(&order)?.iter().map(|i| i.feed_id).collect();
    let feeds = feeds::find_by_ids(conn, &ids).await?;
    Ok(Loaded { link, account, application, order, feeds })
}

fn agreement_views(feeds: &[FeedRow]) -> Vec<AgreementView> {
    feeds
        .iter()
        .map(|f| AgreementView {
            feed_id: f.id,
            feed: f.name.clone(),
            title: f.agreement_title.clone(),
            text: f.agreement_text.clone(),
            version: f.agreement_version.clone(),
        })
        .collect()
}

/// The pre-filled values: what the user confirmed before, else `metadata`, gaps filled from
/// the customer record.
async fn prefill<C: ConnectionTrait>(
    conn: &C,
    a: &AccountRow,
) -> Result<(HashMap<String, String>, Option<String>)> {
    let mut values = HashMap::new();
    let source = a.personal.as_deref().unwrap_or(&a.metadata);
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(source) {
        for (k, v) in m {
            if let Some(s) = v.as_str() {
                values.insert(k, s.to_owned());
            }
        }
    }
    let customer = match a.customer_user_id {
        Some(id) => users::find_by_id(conn, id).await?,
        None => users::find_by_email(conn, &a.email).await?.filter(|u| u.role == "customer"),
    };
    let Some(c) = customer else { return Ok((values, None)) };
    for (k, v) in [
        ("firstName", &c.firstname),
        ("lastName", &c.lastname),
        ("phone", &c.mobilenumber),
        ("country", &c.country),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            values.entry(k.to_owned()).or_insert_with(|| v.clone());
        }
    }
    Ok((values, Some(c.kyc_status.clone())))
}

/// The page behind a live signup link; `NotFound` when the link is unknown, used or expired.
pub async fn open(app: &App, token: &str) -> Result<WizardPage> {
    let conn = app.db().conn();
    let l = load(conn, app, token).await?;
    let (values, customer_kyc) = prefill(conn, &l.account).await?;
    Ok(WizardPage {
        email: l.account.email,
        values,
        customer_kyc,
        agreements: agreement_views(&l.feeds),
    })
}

/// The status the answers make, or the violations naming unanswered questions.
fn status_of(form: &WizardForm, v: &mut Violations) -> SubscriberStatus {
    let mut pro = false;
    for (name, _) in QUESTIONS {
        match form.fields.get(name).map(String::as_str) {
            Some("yes") => pro = true,
            Some("no") => {}
            _ => v.push(name, "answer yes or no"),
        }
    }
    if pro { SubscriberStatus::Professional } else { SubscriberStatus::NonProfessional }
}

/// Submits the wizard. Field errors are `Validation` (nothing stored, the link still live); a
/// status the restrictions refuse is `Refused` with the reason.
pub async fn submit(app: &App, token: &str, form: WizardForm) -> Result<Option<String>> {
    let now = app.clock().now();
    let tx = app.db().begin_write().await?;
    let l = load(&tx, app, token).await?;
    let mut v = Violations::new();
    let mut personal = serde_json::Map::new();
    for f in METADATA_FIELDS {
        let value = form.fields.get(f).map(|s| s.trim()).unwrap_or("");
        if value.chars().count() > 200 {
            v.push(f, "at most 200 characters");
        } else if value.is_empty() && REQUIRED.contains(&f) {
            v.push(f, "is required");
        } else if !value.is_empty() {
            personal.insert(f.to_owned(), value.into());
        }
    }
    let status = status_of(&form, &mut v);
    for f in &l.feeds {
        if form.fields.get(&format!("agree_{}", f.id)).map(String::as_str) != Some("on") {
            v.push(format!("agree_{}", f.id), format!("sign the agreement of {}", f.name));
        }
    }
    v.finish()?;
    let rule = |s: &str| Allowed::parse(s).unwrap_or(Allowed::All);
    let who = match status {
        SubscriberStatus::Professional => "professional",
        SubscriberStatus::NonProfessional => "non-professional",
    };
    if !rule(&l.account.allowed_statuses).allows(status)
        || !rule(&l.application.allowed_statuses).allows(status)
        || l.feeds.iter().any(|f| !rule(&f.allowed_statuses).allows(status))
    {
        return Err(Error::Refused(format!(
            "Your answers make you a {who} subscriber, and the requested market data is not available to {who} subscribers."
        )));
    }
    if !links::spend(&tx, l.link.id, now).await? {
        return Err(Error::NotFound("link"));
    }
    let personal = serde_json::Value::Object(personal).to_string();
    let change =
        AccountChange { profile: Some((personal.as_str(), status.as_str())), ..Default::default() };
    accounts::update(&tx, l.account.id, change, now).await?;
    let account = AccountRow {
        personal: Some(personal),
        subscriber_status: Some(status.as_str().to_owned()),
        profile_completed_at: Some(now),
        updated_at: now,
        ..l.account.clone()
    };
    for f in &l.feeds {
        agreements::insert(
            &tx,
            NewAgreement {
                account_id: account.id,
                feed_id: f.id,
                title: f.agreement_title.clone(),
                text: f.agreement_text.clone(),
                version: f.agreement_version.clone(),
                ip: form.ip.clone(),
            },
            now,
        )
        .await?;
        record(
            &tx,
            app,
            account.id,
            "agreement.signed",
            format!("{} version {}", f.name, f.agreement_version),
        )
        .await?;
    }
    record(&tx, app, account.id, "wizard.completed", format!("declared {}", status.as_str()))
        .await?;
    orders::mark(&tx, l.order.id, false, now).await?;
    let order = orders::find_by_id(&tx, l.order.id).await?.ok_or(Error::NotFound("link"))?;
    if completion::ready(&order) {
        completion::complete(&tx, app, &l.application, &account, &order).await?;
    }
    commit(tx).await?;
    Ok(order.success_redirect_url.or(l.application.success_redirect_url))
}
