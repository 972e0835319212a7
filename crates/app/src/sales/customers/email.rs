//! "Send an email to a specific customer by ID": queued through the e-mail outbox and
//! recorded as an outbound `email` communication, in one transaction (WorkCustomers, in
//! scope).

use brokercrm_core::Result;
use brokercrm_core::error::Violations;
use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_core::validate::text;
use brokercrm_store::db::commit;

use crate::platform::audit::{self, Audit};
use crate::platform::email::{self as outbox, SendEmail};
use crate::sales::communications::{self, Record};
use crate::sales::customer_in_scope;
use crate::{App, Principal};

/// Queues the e-mail; returns the communication's public id.
pub async fn send(
    app: &App,
    who: &Principal,
    id: &str,
    subject: Option<&str>,
    body: Option<&str>,
) -> Result<String> {
    let mut v = Violations::new();
    let subject = v.check(text("subject", subject.unwrap_or(""), 200));
    let body = v.check(text("body", body.unwrap_or(""), 50_000));
    v.finish()?;
    let (Some(subject), Some(body)) = (subject, body) else {
        return Err(brokercrm_core::Error::internal("validated fields missing"));
    };
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, who, id).await?;
    outbox::queue(
        app,
        &tx,
        SendEmail {
            to: customer.email.clone(),
            subject: subject.clone(),
            text: body.clone(),
            html: None,
        },
    )
    .await?;
    let row = communications::record(
        &tx,
        Record {
            customer_id: Some(customer.id),
            crm_lead_id: None,
            kind: CommunicationKind::Email,
            direction: Direction::Outbound,
            subject: Some(subject.clone()),
            body: Some(body),
            duration_secs: None,
            recording_url: None,
            provider: None,
            external_id: None,
            author_id: Some(who.user_id),
            occurred_at: app.clock().now(),
        },
    )
    .await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("customer.email", "customer", customer.uuid.clone())
            .details(format!("e-mail '{subject}' queued to {}", customer.email)),
    )
    .await?;
    commit(tx).await?;
    Ok(row.uuid)
}
