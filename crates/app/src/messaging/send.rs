//! Staff sending inbox messages (SendMessages; audited): to one customer ("Send a message to a
//! specific customer"), to several ("Send a message to specific customers", at most
//! [`MAX_CUSTOMERS`], written in one transaction), and reading one customer's messages ("Get
//! messages for a specific customer"). Customers are named by their public id and must be in
//! the caller's customer scope; an unknown one is named in the error and nothing is sent.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Permission, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::messaging::messages::{self as repo, NewMessage};

use super::inbox::MessageView;
use crate::identity::scope::{customer_scope, holds};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most customers named in one send.
pub const MAX_CUSTOMERS: usize = 1000;

/// Subject and text checked: a subject of at most 300 characters, a text of at most 20,000.
pub fn content(
    subject_field: &str,
    subject: &str,
    text_field: &str,
    body: &str,
) -> Result<(String, String)> {
    let subject = text(subject_field, subject, 300)?;
    if body.trim().is_empty() {
        return Err(Error::field(text_field, "is required"));
    }
    if body.chars().count() > 20_000 {
        return Err(Error::field(text_field, "must be at most 20000 characters"));
    }
    Ok((subject, body.to_owned()))
}

/// The message type: only `Message` (inbox) is sent by this build.
pub fn kind(raw: Option<&str>) -> Result<()> {
    match raw.map(str::trim) {
        None | Some("") | Some("Message") => Ok(()),
        Some("Push") => Err(Error::field("type", "push notifications are not available")),
        Some(_) => Err(Error::field("type", "must be Message")),
    }
}

/// The customer `uuid` names if `who` may work it; `NotFound` otherwise.
pub(crate) async fn customer<C: ConnectionTrait>(
    conn: &C,
    who: &Principal,
    uuid: &str,
) -> Result<UserRow> {
    let scope = customer_scope(conn, who).await?.ok_or(Error::Forbidden)?;
    let c = users::find_by_uuid(conn, uuid.trim())
        .await?
        .filter(|u| u.role == Role::Customer.as_str())
        .ok_or(Error::NotFound("customer"))?;
    if holds(conn, &scope, c.id).await? { Ok(c) } else { Err(Error::NotFound("customer")) }
}

/// "Send a message to a specific customer".
pub async fn to_customer(
    app: &App,
    who: &Principal,
    uuid: &str,
    subject: &str,
    body: &str,
    kind_raw: Option<&str>,
) -> Result<MessageView> {
    who.require(Permission::SendMessages)?;
    kind(kind_raw)?;
    let (subject, body) = content("subject", subject, "text", body)?;
    let tx = app.db().begin_write().await?;
    let c = customer(&tx, who, uuid).await?;
    let row = repo::insert(
        &tx,
        NewMessage {
            sender_id: Some(who.user_id),
            recipient_id: c.id,
            group_message_id: None,
            subject: subject.clone(),
            text: body,
            via_push: false,
        },
    )
    .await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("message.send", "customer", c.uuid.clone())
            .details(format!("message '{subject}'")),
    )
    .await?;
    commit(tx).await?;
    Ok(row.into())
}

/// "Send a message to specific customers"; returns how many received it.
pub async fn to_customers(
    app: &App,
    who: &Principal,
    uuids: &[String],
    subject: &str,
    body: &str,
) -> Result<usize> {
    who.require(Permission::SendMessages)?;
    let (subject, body) = content("subject", subject, "message", body)?;
    if uuids.is_empty() || uuids.len() > MAX_CUSTOMERS {
        return Err(Error::field("customers", format!("must name 1 to {MAX_CUSTOMERS} customers")));
    }
    let tx = app.db().begin_write().await?;
    let mut ids = Vec::with_capacity(uuids.len());
    for (i, u) in uuids.iter().enumerate() {
        match customer(&tx, who, u).await {
            Ok(c) => ids.push(c.id),
            Err(Error::NotFound(_)) => {
                return Err(Error::field(format!("customers[{i}]"), "no such customer"));
            }
            Err(e) => return Err(e),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    for id in ids {
        let m = NewMessage {
            sender_id: Some(who.user_id),
            recipient_id: id,
            group_message_id: None,
            subject: subject.clone(),
            text: body.clone(),
            via_push: false,
        };
        repo::insert(&tx, m).await?;
    }
    audit::record(
        &tx,
        Some(who),
        Audit::new("message.send_many", "message", "customers")
            .details(format!("message '{subject}' to {n} customers")),
    )
    .await?;
    commit(tx).await?;
    Ok(n)
}

/// "Get messages for a specific customer": newest first, at most 100.
pub async fn of_customer(app: &App, who: &Principal, uuid: &str) -> Result<Vec<MessageView>> {
    who.require(Permission::SendMessages)?;
    let conn = app.db().conn();
    let c = customer(conn, who, uuid).await?;
    let (rows, _) = repo::of_recipient(conn, c.id, 100, 0).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
