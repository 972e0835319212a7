//! Mobile number confirmation by SMS: a 6-digit code valid 10 minutes, stored hashed (salted
//! with the user id, so equal codes of two users never collide), at most 5 guesses per code
//! and 3 codes per 10 minutes per user.

use std::time::Duration;

use brokercrm_core::{Error, Result};
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::identity::user_tokens::{self, MOBILE_CODE};
use brokercrm_store::repo::identity::users;
use sea_orm::Set;

use crate::identity::security::{ct_eq, random_digits, token_hash};
use crate::identity::users::{current_user, current_user_in};
use crate::{App, Principal};

/// Digits of a code.
pub const CODE_DIGITS: usize = 6;
/// Lifetime of a code, in minutes.
pub const CODE_TTL_MINUTES: i64 = 10;
/// Guesses allowed per code.
pub const MAX_ATTEMPTS: i32 = 5;
/// Codes a user may request per window.
pub const SENDS_PER_WINDOW: u32 = 3;

fn code_hash(user_id: i64, code: &str) -> String {
    token_hash(&format!("mobile:{user_id}:{code}"))
}

/// "Send mobile confirmation code": replaces any previous code and sends the new one.
pub async fn send_code(app: &App, who: &Principal) -> Result<()> {
    let user = current_user(app, who).await?;
    let Some(number) = user.mobilenumber.clone() else {
        return Err(Error::field("mobilenumber", "is not set; add it with \"Update user\" first"));
    };
    if user.phone_confirmed_at.is_some() {
        return Err(Error::Conflict("the mobile number is already confirmed".into()));
    }
    let window = Duration::from_secs(60 * CODE_TTL_MINUTES.unsigned_abs());
    let key = format!("mobile-code:{}", user.id);
    if let Some(wait) = app.services().limiter.hit(&key, SENDS_PER_WINDOW, window) {
        return Err(Error::RateLimited { retry_after_secs: wait });
    }
    let code = random_digits(CODE_DIGITS);
    let tx = app.db().begin_write().await?;
    user_tokens::invalidate(&tx, user.id, MOBILE_CODE).await?;
    let expires = now() + chrono::Duration::minutes(CODE_TTL_MINUTES);
    user_tokens::insert(&tx, user.id, MOBILE_CODE, &code_hash(user.id, &code), expires).await?;
    commit(tx).await?;
    let text =
        format!("Your confirmation code is {code}. It is valid for {CODE_TTL_MINUTES} minutes.");
    app.services().sms.send(&number, &text).await
}

/// "Verify mobile confirmation code": stamps `phone_confirmed_at` when the code matches.
pub async fn verify_code(app: &App, who: &Principal, code: &str) -> Result<()> {
    const FIELD: &str = "confirmationToken";
    let code = code.trim();
    if code.is_empty() {
        return Err(Error::field(FIELD, "is required"));
    }
    let tx = app.db().begin_write().await?;
    let user = current_user_in(&tx, who).await?;
    let Some(row) =
        user_tokens::latest_unused(&tx, user.id, MOBILE_CODE).await?.filter(|r| r.is_usable())
    else {
        return Err(Error::field(FIELD, "no valid code; request a new one"));
    };
    // The attempt is counted (and committed) before the comparison.
    if !user_tokens::add_attempt(&tx, row.id, MAX_ATTEMPTS).await? {
        return Err(Error::field(FIELD, "too many wrong attempts; request a new code"));
    }
    if !ct_eq(&row.token_hash, &code_hash(user.id, code)) {
        commit(tx).await?;
        return Err(Error::field(FIELD, "is incorrect"));
    }
    if !user_tokens::consume(&tx, row.id).await? {
        return Err(Error::field(FIELD, "no valid code; request a new one"));
    }
    if user.phone_confirmed_at.is_none() {
        let mut ch = users::changes(user);
        ch.phone_confirmed_at = Set(Some(now()));
        users::save(&tx, ch).await?;
    }
    commit(tx).await
}
