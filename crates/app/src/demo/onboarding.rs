//! Demo onboarding and messaging: the stages, fields and e-mail templates a regulated broker
//! starts from, and an inbox with messages for the demo customer. Safe to run again: stages
//! and fields are set to the same values, templates are added once by title, the messages once
//! by subject.

use brokercrm_core::Result;
use serde_json::json;

use crate::messaging::templates::{self, TemplateInput};
use crate::{App, Principal};

/// Step → stage for a regulated broker: e-mail before signing in is too strict for most, so
/// the e-mail, the account form and the disclaimer before a deposit, KYC before a withdrawal.
const STAGES: [(&str, Option<&str>); 5] = [
    ("EmailConfirmation", Some("BeforeDeposit")),
    ("CompleteAccountBeforeDepositForm", Some("BeforeDeposit")),
    ("DisclaimerBeforeDeposit", Some("BeforeDeposit")),
    ("KYC", Some("BeforeWithdrawal")),
    ("PhoneConfirmation", None),
];

fn mjml(heading: &str, body: &str) -> String {
    format!(
        "<mjml><mj-body><mj-section><mj-column>\
         <mj-text font-size=\"20px\">{heading}</mj-text>\
         <mj-text>{body}</mj-text>\
         </mj-column></mj-section></mj-body></mjml>"
    )
}

/// Loads it; `customer_id` is the demo customer's account id.
pub async fn load(app: &App, admin: &Principal, customer_id: i64) -> Result<()> {
    for (step, stage) in STAGES {
        crate::onboarding::steps::update(app, admin, step, stage).await?;
    }
    let mut fields = crate::onboarding::fields::list(app).await?;
    if !fields.iter().any(|f| f.field == "email" && f.step.is_none()) {
        fields.push(brokercrm_core::onboarding::fields::FieldConfig {
            field: "email".into(),
            step: None,
            required: true,
            editable: false,
        });
        crate::onboarding::fields::update(app, admin, fields).await?;
    }
    let existing: Vec<String> =
        templates::list(app, admin).await?.into_iter().map(|t| t.title).collect();
    let wanted = [
        (
            "Welcome",
            "user.signed_up",
            "Welcome to Demo Markets, {{ firstname }}",
            mjml(
                "Welcome, {{ firstname }}!",
                "Your account is open. Complete your profile to make a first deposit.",
            ),
            "Welcome, {{ firstname }}! Your account is open.",
        ),
        (
            "Deposit received",
            "deposit.posted",
            "We received your deposit of {{ amount }} {{ currency }}",
            mjml(
                "Deposit received",
                "{{ amount }} {{ currency }} were credited to wallet {{ walletId }}.",
            ),
            "{{ amount }} {{ currency }} were credited to wallet {{ walletId }}.",
        ),
        (
            "KYC approved",
            "kyc.approved",
            "Your identity is verified",
            mjml("You are verified, {{ firstname }}", "You can now withdraw funds."),
            "You are verified, {{ firstname }}. You can now withdraw funds.",
        ),
        (
            "KYC needs new documents",
            "kyc.retry",
            "Please send new documents",
            mjml(
                "One more step, {{ firstname }}",
                "We could not verify your documents. Please upload them again.",
            ),
            "We could not verify your documents. Please upload them again.",
        ),
        (
            "Margin call",
            "trading.margin_call",
            "Margin call on wallet {{ walletId }}",
            mjml(
                "Your margin level is {{ marginLevel }} %",
                "Equity {{ equity }} {{ currency }} against a margin of {{ margin }}. Deposit \
                 or close positions to avoid a stop-out.",
            ),
            "Your margin level is {{ marginLevel }} %. Deposit or close positions to avoid a \
             stop-out.",
        ),
        (
            "Stop-out",
            "trading.stop_out",
            "Positions closed on wallet {{ walletId }}",
            mjml(
                "{{ positionsClosed }} positions were closed",
                "Your margin level reached the stop-out level.",
            ),
            "{{ positionsClosed }} positions were closed: your margin level reached the \
             stop-out level.",
        ),
    ];
    for (title, trigger, subject, body, txt) in wanted {
        if existing.iter().any(|t| t == title) {
            continue;
        }
        let input = TemplateInput {
            enabled: Some(true),
            title: Some(title.into()),
            subject: Some(subject.into()),
            mjml: Some(body),
            txt: Some(txt.into()),
            trigger: Some(trigger.into()),
            conditions: Some(json!({})),
        };
        templates::create(app, admin, input).await?;
    }
    let conn = app.db().conn();
    let (have, _) =
        brokercrm_store::repo::messaging::messages::of_recipient(conn, customer_id, 100, 0).await?;
    let customer = brokercrm_store::repo::identity::users::find_by_id(conn, customer_id)
        .await?
        .ok_or(brokercrm_core::Error::NotFound("customer"))?;
    for (subject, text) in [
        ("Welcome to Demo Markets", "Your dedicated account manager will call you within a day."),
        ("Market holiday", "Markets close early on Friday; open positions keep their stops."),
    ] {
        if !have.iter().any(|m| m.subject == subject) {
            crate::messaging::send::to_customer(app, admin, &customer.uuid, subject, text, None)
                .await?;
        }
    }
    Ok(())
}
