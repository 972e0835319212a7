//! Market-data credentials: a login and password generated when the application's rules say
//! so (on the first completed activation), the password stored as argon2id, both sent to the
//! user by e-mail through the job queue; "Reset account password" regenerates the password.

use brokercrm_core::Result;
use brokercrm_core::market_data::{MdResult, Refusal};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::accounts::{self, AccountChange, AccountRow};
use brokercrm_store::repo::market_data::applications::ApplicationRow;

use crate::App;
use crate::identity::security::{hash_password, random_token};
use crate::market_data::accounts::{account_of, record};
use crate::platform::email::{self, SendEmail};

/// A new login: `md` and ten lower-case letters or digits.
fn new_login() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String =
        (0..10).map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())])).collect();
    format!("md{tail}")
}

/// Sets a new password (and a login when the account has none); queues the e-mail.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    app: &App,
    application: &ApplicationRow,
    account: &AccountRow,
) -> Result<String> {
    let login = account.login.clone().unwrap_or_else(new_login);
    let password = random_token(12);
    let hash = hash_password(app.hasher(), password.clone()).await?;
    let change =
        AccountChange { credentials: Some((login.as_str(), hash.as_str())), ..Default::default() };
    accounts::update(conn, account.id, change, app.clock().now()).await?;
    let (subject, what) = if account.login.is_some() {
        ("Your new market-data password", "Your market-data password was reset.")
    } else {
        ("Your market-data access", "Your market-data access is ready.")
    };
    email::queue(
        app,
        conn,
        SendEmail {
            to: account.email.clone(),
            subject: subject.into(),
            text: format!(
                "Hello,\n\n{what}\n\nApplication: {}\nLogin: {login}\nPassword: {password}\n\n\
                 Keep these credentials private.\n",
                application.name
            ),
            html: None,
        },
    )
    .await?;
    record(conn, app, account.id, "credentials.issued", format!("login {login}")).await?;
    Ok(login)
}

/// "Reset account password": 422 when the application does not generate credentials; a
/// no-op (200) when the account has none yet.
pub async fn reset(app: &App, application: &ApplicationRow, uuid: &str) -> MdResult<()> {
    let tx = app.db().begin_write().await?;
    let account = account_of(&tx, application, uuid).await?;
    if !application.credentials_enabled {
        return Err(Refusal::CredentialsGenerationDisabled.into());
    }
    if account.login.is_none() {
        return Ok(());
    }
    issue(&tx, app, application, &account).await?;
    commit(tx).await?;
    Ok(())
}
