//! The market-data part of the demo data set (seed 003): three feeds (one needing the
//! application's confirmation, one single-use), an application that requires confirmations,
//! and one account that completed the wizard and holds an active subscription. Safe to run
//! again: feeds are found by name, the previous demo application is revoked and a new one made.

use std::collections::HashMap;

use brokercrm_core::{Error, Result};
use serde::Serialize;

use crate::App;
use crate::market_data::activation::{self, Activation, FeedRequest};
use crate::market_data::applications::{self, AppInput};
use crate::market_data::feeds::{self, FeedInput};
use crate::market_data::wizard::{self, WizardForm};
use crate::market_data::{MdError, accounts};

pub const APPLICATION: &str = "Demo market-data app";
pub const ACCOUNT_EMAIL: &str = "demo.marketdata@brokercrm.local";

/// `retail_services` in the credentials file.
#[derive(Debug, Serialize)]
pub struct RetailServicesCredentials {
    /// `Authorization: Bearer <api_key>` on `/api/v1/...` and `/api/v2/...`.
    pub api_key: String,
    pub feeds: Vec<String>,
    pub confirm_feeds: Vec<String>,
    pub single_use_feeds: Vec<String>,
    /// An account that completed the wizard and holds an active subscription (`DEMO_CME`).
    pub active_account_id: String,
}

/// A demo feed: name, QD filters, needs confirmation, single use, default days.
type DemoFeed = (&'static str, &'static [&'static str], bool, bool, Option<i32>);

const FEEDS: [DemoFeed; 3] = [
    ("DEMO_CME", &["CMEGROUP", "CME"], false, false, None),
    ("DEMO_NASDAQ", &["NASDAQ"], true, false, None),
    ("DEMO_TRIAL", &["CME", "NASDAQ"], false, true, Some(14)),
];

fn md(e: MdError) -> Error {
    match e {
        MdError::Other(e) => e,
        MdError::Refused(r) => Error::internal(format!("demo market data: {}", r.message())),
    }
}

pub async fn load(app: &App) -> Result<RetailServicesCredentials> {
    for (name, filters, confirm, single, days) in FEEDS {
        if feeds::find_by_name(app, name).await?.is_none() {
            let input = FeedInput {
                name: Some(name.into()),
                qd_filters: Some(filters.iter().map(|f| (*f).to_owned()).collect()),
                needs_confirmation: Some(confirm),
                single_use: Some(single),
                allowed_statuses: Some("ALL".into()),
                default_days: days,
                agreement_title: Some(format!("{name} subscriber agreement")),
                agreement_text: Some(format!(
                    "Demo agreement for {name}: market data is for your own use and may not be redistributed."
                )),
                agreement_version: Some("2026-01".into()),
            };
            feeds::create(app, None, &input).await?;
        }
    }
    applications::revoke_named(app, APPLICATION).await?;
    let input = AppInput {
        name: Some(APPLICATION.into()),
        credentials_enabled: Some(true),
        confirmation_required: Some(true),
        cancel_mode: Some("IMMEDIATE".into()),
        allowed_statuses: Some("ALL".into()),
        success_redirect_url: None,
    };
    let (_, key) = applications::create(app, None, &input).await?;
    let application = crate::market_data::key::authenticate(app, Some(&key))
        .await?
        .map_err(|_| Error::internal("demo market-data key does not authenticate"))?;
    let metadata = serde_json::json!({"firstName": "Demo", "lastName": "Subscriber", "country": "Cyprus", "city": "Limassol", "address": "1 Demo Street", "zip": "3000"});
    let account_id =
        accounts::create(app, &application, Some(ACCOUNT_EMAIL), Some(&metadata), None)
            .await
            .map_err(md)?;
    let req = Activation {
        version: 1,
        feeds: vec![FeedRequest { name: "DEMO_CME".into(), end_date: None }],
        success_redirect_url: None,
    };
    let done = activation::activate(app, &application, &account_id, req).await.map_err(md)?;
    let link = done.signup.ok_or_else(|| Error::internal("demo account: no wizard link"))?;
    let token = link
        .light
        .rsplit('/')
        .next()
        .and_then(|t| t.split('?').next())
        .ok_or_else(|| Error::internal("demo account: bad wizard link"))?;
    let page = wizard::open(app, token).await?;
    let mut fields: HashMap<String, String> = page.values.clone();
    for (q, _) in wizard::QUESTIONS {
        fields.insert(q.into(), "no".into());
    }
    for a in &page.agreements {
        fields.insert(format!("agree_{}", a.feed_id), "on".into());
    }
    wizard::submit(app, token, WizardForm { fields, ip: Some("127.0.0.1".into()) }).await?;
    let names = |pick: fn(&DemoFeed) -> bool| {
        FEEDS.iter().filter(|f| pick(f)).map(|f| f.0.to_owned()).collect::<Vec<_>>()
    };
    Ok(RetailServicesCredentials {
        api_key: key,
        feeds: names(|_| true),
        confirm_feeds: names(|f| f.2),
        single_use_feeds: names(|f| f.3),
        active_account_id: account_id,
    })
}
