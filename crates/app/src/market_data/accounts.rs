//! Seed 003 account methods: create (e-mail lower case, `metadata` pre-filling the wizard,
//! `allowedStatuses`), get by id, get by e-mail, change e-mail. An application sees only its
//! own accounts: another application's account id or e-mail is `ACCOUNT_NOT_FOUND`.

use brokercrm_core::market_data::{Allowed, MdResult, Refusal};
use brokercrm_core::validate::Email;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::market_data::accounts::{self, AccountChange, AccountRow, NewAccount};
use brokercrm_store::repo::market_data::applications::ApplicationRow;
use brokercrm_store::repo::market_data::history;

use crate::App;
use crate::market_data::account_batch::{self, Creation};

/// The wizard fields `metadata` may pre-fill, in the seed's order.
pub const METADATA_FIELDS: [&str; 10] = [
    "firstName",
    "lastName",
    "country",
    "state",
    "address",
    "city",
    "zip",
    "phone",
    "companyName",
    "jobTitle",
];

const VALID_EMAIL: &str = "Valid email should be specified";

/// An account as the seed returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub id: String,
    pub email: String,
}

impl From<&AccountRow> for AccountView {
    fn from(r: &AccountRow) -> Self {
        Self { id: r.uuid.clone(), email: r.email.clone() }
    }
}

/// The application's account `uuid`, or `ACCOUNT_NOT_FOUND`.
pub async fn account_of<C: ConnectionTrait>(
    conn: &C,
    application: &ApplicationRow,
    uuid: &str,
) -> MdResult<AccountRow> {
    accounts::find(conn, application.id, uuid.trim())
        .await?
        .ok_or_else(|| Refusal::AccountNotFound(uuid.trim().to_owned()).into())
}

/// Appends to the account's history.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    app: &App,
    account_id: i64,
    kind: &str,
    details: impl Into<String>,
) -> Result<()> {
    history::insert(conn, account_id, kind, details.into(), app.clock().now()).await
}

fn email_of(raw: Option<&str>) -> MdResult<Email> {
    Email::parse("email", raw.unwrap_or("")).map_err(|_| Refusal::bad_request(VALID_EMAIL).into())
}

/// Keeps the known `metadata` fields that are strings (at most 200 characters each).
fn metadata_of(
    raw: Option<&serde_json::Value>,
) -> MdResult<serde_json::Map<String, serde_json::Value>> {
    let mut out = serde_json::Map::new();
    let Some(obj) = raw.and_then(|v| v.as_object()) else { return Ok(out) };
    for f in METADATA_FIELDS {
        match obj.get(f) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) if s.chars().count() <= 200 => {
                if !s.trim().is_empty() {
                    out.insert(f.to_owned(), s.trim().into());
                }
            }
            Some(_) => {
                return Err(Refusal::bad_request(format!("Invalid value for metadata.{f}")).into());
            }
        }
    }
    Ok(out)
}

/// "Create account". `metadata` must be an object (or absent: an empty one).
pub async fn create(
    app: &App,
    application: &ApplicationRow,
    email: Option<&str>,
    metadata: Option<&serde_json::Value>,
    allowed: Option<&str>,
) -> MdResult<String> {
    let email = email_of(email)?;
    if metadata.is_some_and(|m| !m.is_object() && !m.is_null()) {
        return Err(Refusal::bad_request("Invalid value for metadata").into());
    }
    let meta = metadata_of(metadata)?;
    let allowed = match allowed {
        None => Allowed::All,
        Some(s) => Allowed::parse(s.trim())
            .ok_or_else(|| Refusal::bad_request("Invalid value for allowedStatuses"))?,
    };
    // Read before the write transaction (SQLite has one writer): the unique index on
    // (application, e-mail) decides a duplicate.
    let customer = users::find_by_email(app.db().conn(), email.as_str())
        .await?
        .filter(|u| u.role == "customer")
        .map(|u| u.id);
    let email_text = email.to_string();
    let linked = if customer.is_some() { " (linked to the customer of that e-mail)" } else { "" };
    let creation = Creation {
        account: NewAccount {
            uuid: uuid::Uuid::now_v7().to_string(),
            application_id: application.id,
            email: email_text.clone(),
            metadata: serde_json::Value::Object(meta).to_string(),
            allowed_statuses: allowed.as_str().into(),
            customer_user_id: customer,
        },
        history: format!("created by application '{}'{linked}", application.name),
    };
    account_batch::create(app, creation).await.map_err(|e| match e {
        Error::Conflict(_) => Refusal::AccountAlreadyExists(email_text).into(),
        e => brokercrm_core::market_data::MdError::Other(e),
    })
}

/// "Get account by ID".
pub async fn get(app: &App, application: &ApplicationRow, uuid: &str) -> MdResult<AccountView> {
    Ok(AccountView::from(&account_of(app.db().conn(), application, uuid).await?))
}

/// "Get account by email" (any case).
pub async fn by_email(app: &App, application: &ApplicationRow, raw: &str) -> MdResult<AccountView> {
    let email = email_of(Some(raw))?;
    accounts::find_by_email(app.db().conn(), application.id, email.as_str())
        .await?
        .map(|r| AccountView::from(&r))
        .ok_or_else(|| Refusal::AccountNotFound(email.to_string()).into())
}

/// "Change email". The new address must be new: the account's own current address is the
/// seed's 422 row (see docs/market-data.md); another account's is `ACCOUNT_ALREADY_EXISTS`.
pub async fn change_email(
    app: &App,
    application: &ApplicationRow,
    uuid: &str,
    raw: Option<&str>,
) -> MdResult<()> {
    if raw.is_none_or(|s| s.trim().is_empty()) {
        return Err(Refusal::bad_request("Email should be specified").into());
    }
    let email = email_of(raw)?;
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    if account.email == email.as_str() {
        return Err(Refusal::CredentialsGenerationDisabled.into());
    }
    if accounts::find_by_email(&tx, application.id, email.as_str()).await?.is_some() {
        return Err(Refusal::AccountAlreadyExists(email.to_string()).into());
    }
    let change = AccountChange { email: Some(email.as_str()), ..Default::default() };
    accounts::update(&tx, account.id, change, app.clock().now()).await.map_err(|e| match e {
        Error::Conflict(_) => Refusal::AccountAlreadyExists(email.to_string()).into(),
        e => brokercrm_core::market_data::MdError::Other(e),
    })?;
    record(&tx, app, account.id, "account.email_changed", format!("{} → {}", account.email, email))
        .await?;
    commit(tx).await?;
    Ok(())
}
