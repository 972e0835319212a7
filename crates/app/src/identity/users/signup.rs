//! "Create a new user": public sign-up of a customer.
//!
//! The seed's sign-up form carries no password, so the account is created without one and
//! the customer is signed in at once: the answer holds a refresh token (exchange it at
//! `POST /api/sessions/refresh` for an access token) and the portal page to continue
//! onboarding. One e-mail is queued in the same transaction with two single-use links: the
//! e-mail verification link (72 h, "Verify user") and a set-password link (72 h, the
//! `reset_token` of "Reset customer password"). While signed in, the customer may also set a
//! first password through "Update user" (`newPassword`, no `currentPassword` needed while
//! none is set).
//!
//! Public sign-ups are limited per client IP (`signups_per_ip_per_hour`, 429 with
//! `Retry-After`). An address that is already registered gets the same answer as a new one
//! (201 with a refresh token, which is random and opens nothing) and its owner gets an e-mail
//! saying someone tried to sign up with it: the form does not tell who has an account. Staff
//! still get 409 for a taken address.
//!
//! Anonymous callers may skip only the form steps of onboarding; skipping e-mail or phone
//! confirmation, KYC or the deposit disclaimer needs a staff caller with `ManageUsers`, whose
//! sign-up is then audited and signs nobody in (no refresh token: staff must not hold an
//! unmarked session of the customer; "Impersonate a customer" exists for that).

use std::net::IpAddr;

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::identity::onboarding_steps::OnboardingStep;
use brokercrm_core::validate::{CountryCode, Email, opt_text, phone, text};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::user_tokens::PASSWORD_RESET;
use brokercrm_store::repo::identity::users::{self, NewUser, UserRow};

use crate::identity::events::SigningUp;
use crate::identity::one_time_tokens::{issue_token, reset_link};
use crate::identity::security::new_ref_key;
use crate::identity::security::random_token;
use crate::identity::users::confirmation::{VERIFY_TTL_HOURS, queue_verification};
use crate::identity::users::language;
use crate::platform::audit::{self, Audit};
use crate::platform::email::{self, SendEmail};
use crate::platform::links::public_link;
use crate::{App, Principal, identity::tokens, platform::recaptcha};

/// The sign-up form, as received.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub communication_language: Option<String>,
    pub wtreferrer: Option<String>,
    pub wants_to_become_leader: Option<bool>,
    pub skip_onboarding_steps: Option<Vec<String>>,
    pub source: Option<String>,
    pub recaptcha_token: Option<String>,
}

/// What the client gets back.
#[derive(Debug)]
pub struct SignedUp {
    /// `None` when the address was already registered (nothing was created).
    pub user: Option<UserRow>,
    /// `None` when staff created the account.
    pub refresh_token: Option<String>,
    pub redirect_url: String,
}

/// Steps anyone may skip at sign-up (forms of the portal, not compliance checks).
const FORM_STEPS: [OnboardingStep; 4] = [
    OnboardingStep::SignupDemoForm,
    OnboardingStep::SignupRealForm,
    OnboardingStep::CompleteAccountBeforeDepositForm,
    OnboardingStep::CompleteAccountBeforeWithdrawalForm,
];

fn validate(f: &SignUp, staff: bool) -> Result<NewUser> {
    let mut v = Violations::new();
    let fields = CustomerFields {
        email: f.email.as_deref(),
        firstname: f.firstname.as_deref(),
        lastname: f.lastname.as_deref(),
        mobilenumber: f.mobilenumber.as_deref(),
        country: f.country.as_deref(),
        communication_language: f.communication_language.as_deref(),
        wtreferrer: f.wtreferrer.as_deref(),
        source: f.source.as_deref(),
        skip_onboarding_steps: f.skip_onboarding_steps.as_deref().unwrap_or_default(),
    };
    let mut user = new_customer(&mut v, &fields, |s| staff || FORM_STEPS.contains(&s))?;
    v.finish()?;
    user.wants_to_become_leader = f.wants_to_become_leader.unwrap_or(false);
    Ok(user)
}

/// What describes a new customer, whoever signs them up (the sign-up form, an affiliate's
/// referral).
pub(crate) struct CustomerFields<'a> {
    pub email: Option<&'a str>,
    pub firstname: Option<&'a str>,
    pub lastname: Option<&'a str>,
    pub mobilenumber: Option<&'a str>,
    pub country: Option<&'a str>,
    pub communication_language: Option<&'a str>,
    pub wtreferrer: Option<&'a str>,
    pub source: Option<&'a str>,
    pub skip_onboarding_steps: &'a [String],
}

/// Parses `f` into a new customer row, each bad field recorded in `v` (the caller adds its
/// own checks, then calls `v.finish()` before using the row). `may_skip` says which
/// onboarding steps this caller may skip.
pub(crate) fn new_customer(
    v: &mut Violations,
    f: &CustomerFields<'_>,
    may_skip: impl Fn(OnboardingStep) -> bool,
) -> Result<NewUser> {
    let email = match f.email {
        Some(e) => v.check(Email::parse("email", e)),
        None => {
            v.push("email", "is required");
            None
        }
    };
    let firstname = v.check(text("firstname", f.firstname.unwrap_or(""), 100));
    let lastname = v.check(text("lastname", f.lastname.unwrap_or(""), 100));
    let mobilenumber = match f.mobilenumber.map(str::trim).filter(|s| !s.is_empty()) {
        Some(m) => v.check(phone("mobilenumber", m)),
        None => None,
    };
    let country = match f.country.map(str::trim).filter(|s| !s.is_empty()) {
        Some(c) => v.check(CountryCode::parse("country", c)).map(|c| c.as_str().to_owned()),
        None => None,
    };
    let lang = match f.communication_language.filter(|s| !s.trim().is_empty()) {
        Some(l) => v.check(language("communicationLanguage", l)),
        None => None,
    };
    let wtreferrer = v.check(opt_text("wtreferrer", f.wtreferrer, 128)).flatten();
    let source = v.check(opt_text("source", f.source, 128)).flatten();
    let mut skipped: Vec<&'static str> = Vec::new();
    for (i, name) in f.skip_onboarding_steps.iter().enumerate() {
        let field = format!("skipOnboardingSteps[{i}]");
        match OnboardingStep::parse(name) {
            None => v.push(field, format!("unknown onboarding step '{name}'")),
            Some(s) if !may_skip(s) => {
                v.push(field, format!("'{name}' cannot be skipped at sign-up"))
            }
            Some(s) if !skipped.contains(&s.as_str()) => skipped.push(s.as_str()),
            Some(_) => {}
        }
    }
    Ok(NewUser {
        uuid: uuid::Uuid::now_v7().to_string(),
        email: email.map(|e| e.to_string()).unwrap_or_default(),
        password_hash: None,
        role: Role::Customer.as_str().into(),
        firstname,
        lastname,
        mobilenumber,
        country,
        communication_language: lang,
        wtreferrer,
        source,
        wants_to_become_leader: false,
        skip_onboarding_steps: serde_json::to_string(&skipped).map_err(Error::internal)?,
        ref_key: new_ref_key(),
        confirmed_at: None,
        password_change_required: false,
    })
}

/// Creates the customer, signs it in and queues the welcome e-mail.
pub async fn sign_up(
    app: &App,
    caller: Option<&Principal>,
    form: SignUp,
    ip: Option<IpAddr>,
) -> Result<SignedUp> {
    let staff = caller.is_some_and(|p| p.require(Permission::ManageUsers).is_ok());
    let new = validate(&form, staff)?;
    if !staff {
        recaptcha::verify(app, form.recaptcha_token.as_deref(), ip).await?;
        limit_per_ip(app, ip)?;
        if users::find_by_email(app.db().conn(), &new.email).await?.is_some() {
            return already_registered(app, &new.email).await;
        }
    }
    let tx = app.db().begin_write().await?;
    let user = match users::insert(&tx, new.clone()).await {
        Ok(u) => u,
        Err(Error::Conflict(_)) if !staff => {
            drop(tx);
            return already_registered(app, &new.email).await;
        }
        Err(Error::Conflict(_)) => {
            return Err(Error::Conflict("email: is already registered".into()));
        }
        Err(e) => return Err(e),
    };
    app.events().publish(&tx, &SigningUp { user: user.clone(), by_staff: staff }).await?;
    let ttl = chrono::Duration::hours(VERIFY_TTL_HOURS);
    let pw_token = issue_token(&tx, user.id, PASSWORD_RESET, ttl).await?;
    let pw_link = reset_link(app, &pw_token);
    queue_verification(app, &tx, &user, Some(&pw_link)).await?;
    let refresh_token =
        if staff { None } else { Some(tokens::issue(app, &tx, &user, None).await?.refresh_token) };
    if let Some(actor) = caller.filter(|_| staff) {
        audit::record(
            &tx,
            Some(actor),
            Audit::new("user.create", "user", user.uuid.clone())
                .details(format!("customer {} signed up by staff", user.email)),
        )
        .await?;
    }
    commit(tx).await?;
    Ok(SignedUp { user: Some(user), refresh_token, redirect_url: public_link(app, "/onboarding") })
}

/// `signups_per_ip_per_hour` per client IP.
fn limit_per_ip(app: &App, ip: Option<IpAddr>) -> Result<()> {
    let key = format!("signup:ip:{}", ip.map(|i| i.to_string()).unwrap_or_else(|| "-".into()));
    let now = app.services().clock.now();
    let per_hour = app.cfg().signups_per_ip_per_hour;
    match app.services().limiter.hit_at(&key, per_hour, SIGNUP_WINDOW, now) {
        Some(wait) => Err(Error::RateLimited { retry_after_secs: wait }),
        None => Ok(()),
    }
}

/// The window of the sign-up limit.
const SIGNUP_WINDOW: std::time::Duration = std::time::Duration::from_secs(3600);

/// A public sign-up with a registered address: the owner is told by e-mail, and the caller
/// gets the answer of a new sign-up with a refresh token that opens nothing.
async fn already_registered(app: &App, email: &str) -> Result<SignedUp> {
    let tx = app.db().begin_write().await?;
    if let Some(owner) = users::find_by_email(&tx, email).await? {
        let text = format!(
            "Hello {},\n\nsomeone tried to create a new account at {} with this e-mail \
             address. You already have an account: sign in as usual, or choose a new password \
             with \"Forgot password\" if you no longer know it.\n\nIf this was not you, you can \
             ignore this e-mail; nothing has changed.\n",
            owner.firstname.as_deref().unwrap_or(""),
            public_link(app, "/"),
        );
        let subject = "Sign-up attempt with your e-mail address".to_owned();
        email::queue(app, &tx, SendEmail { to: owner.email.clone(), subject, text, html: None })
            .await?;
    }
    commit(tx).await?;
    Ok(SignedUp {
        user: None,
        refresh_token: Some(random_token(32)),
        redirect_url: public_link(app, "/onboarding"),
    })
}
