//! "Customers - Affiliate APIs": an affiliate (ManageReferrals) creates customers from its
//! own systems and sees, updates and exports only its referrals: customers whose profile
//! names it, or who came from one of its leads. Anyone else's customer is `NotFound`.

use brokercrm_core::error::Violations;
use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::sales::customers::{KycStatus, sort_spec};
use brokercrm_core::validate::{Password, opt_text};
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::auto_login;
use brokercrm_store::repo::identity::users::{self, NewUser, UserRow};
use brokercrm_store::repo::money::ledger::customer_moves as stats;
use brokercrm_store::repo::sales::customers as profiles;
use brokercrm_store::repo::sales::customers::list::{self as repo, CustomerFilter, SortKey};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::list::instant;
use crate::distribution::intake::internal_crm::new_link;
use crate::identity::security::{hash_password, random_token};
use crate::identity::users::confirmation::queue_verification;
use crate::identity::users::signup::{CustomerFields, new_customer};
use crate::platform::audit::{self, Audit};
use crate::platform::links::public_link;
use crate::sales::{Page, display_name};
use crate::{App, Principal, identity::tokens};

/// Path of the client portal's deposit page (where a deposit link lands).
pub const DEPOSIT_PATH: &str = "/deposit";

/// Fails unless the caller is an affiliate.
pub fn require_affiliate(who: &Principal) -> Result<()> {
    who.require(Permission::ManageReferrals)?;
    if who.role == Role::Affiliate { Ok(()) } else { Err(Error::Forbidden) }
}

/// "AffiliateCreateCustomer" as received.
#[derive(Debug, Clone, Default)]
pub struct ReferralInput {
    pub external_id: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub mobilenumber: Option<String>,
    pub email: Option<String>,
    pub wtreferrer: Option<String>,
    pub country: Option<String>,
    pub password: Option<String>,
    pub communication_language: Option<String>,
    pub skip_onboarding_steps: Option<Vec<String>>,
    pub source: Option<String>,
}

/// The created referral and what its customer needs to continue.
#[derive(Debug)]
pub struct CreatedReferral {
    pub user: UserRow,
    pub refresh_token: String,
    pub redirect_url: String,
    pub deposit_url: String,
    /// The generated password (shown once), when none was sent.
    pub generated_password: Option<String>,
}

/// A referral as its affiliate sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ReferralDto)]
pub struct ReferralView {
    pub id: String,
    pub account_id: String,
    pub external_id: Option<String>,
    pub name: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: String,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub communication_language: Option<String>,
    pub wtreferrer: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
    /// `ACTIVE` or `DISABLED`.
    pub status: String,
    /// `NONE`, `PENDING`, `APPROVED` or `REVOKED`.
    pub kyc_status: String,
    /// Whether a deposit posted.
    #[serde(rename = "hasFTD")]
    pub has_ftd: bool,
    pub deposit_count: i64,
    pub last_deposit_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Views of referrals (in order).
pub async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<UserRow>) -> Result<Vec<ReferralView>> {
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let profs: std::collections::HashMap<i64, _> =
        profiles::profiles(conn, &ids).await?.into_iter().map(|p| (p.customer_id, p)).collect();
    let deposits = stats::totals(conn, &ids, "DEPOSIT", true).await?;
    Ok(rows
        .into_iter()
        .map(|u| {
            let p = profs.get(&u.id);
            let d = deposits.get(&u.id);
            let count = d.map(|m| m.values().map(|t| t.count).sum()).unwrap_or(0);
            ReferralView {
                id: u.uuid.clone(),
                account_id: u.id.to_string(),
                external_id: p.and_then(|p| p.external_id.clone()),
                name: display_name(&u),
                firstname: u.firstname,
                lastname: u.lastname,
                email: u.email,
                mobilenumber: u.mobilenumber,
                country: u.country,
                communication_language: u.communication_language,
                wtreferrer: u.wtreferrer,
                source: u.source,
                notes: p.and_then(|p| p.notes.clone()),
                status: u.status.to_ascii_uppercase(),
                kyc_status: KycStatus::stored(&u.kyc_status).wire().to_owned(),
                has_ftd: count > 0,
                deposit_count: count,
                last_deposit_date: d.and_then(|m| m.values().filter_map(|t| t.last_at).max()),
                created_at: u.created_at,
                updated_at: u.updated_at,
            }
        })
        .collect())
}

fn validate(r: &ReferralInput) -> Result<(NewUser, Option<String>, Option<Password>)> {
    let mut v = Violations::new();
    let fields = CustomerFields {
        email: r.email.as_deref(),
        firstname: r.firstname.as_deref(),
        lastname: r.lastname.as_deref(),
        mobilenumber: r.mobilenumber.as_deref(),
        country: r.country.as_deref(),
        communication_language: r.communication_language.as_deref(),
        wtreferrer: r.wtreferrer.as_deref(),
        source: r.source.as_deref(),
        skip_onboarding_steps: r.skip_onboarding_steps.as_deref().unwrap_or_default(),
    };
    // Affiliate systems may skip any step (the seed offers it to them).
    let user = new_customer(&mut v, &fields, |_| true)?;
    let external_id = v.check(opt_text("externalId", r.external_id.as_deref(), 128)).flatten();
    let password = match r.password.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => v.check(Password::parse("password", p)),
        None => None,
    };
    v.finish()?;
    Ok((user, external_id, password))
}

/// "AffiliateCreateCustomer": the customer is signed in (refresh token) and gets a
/// single-use, expiring deposit link that logs it in.
pub async fn create(app: &App, who: &Principal, input: ReferralInput) -> Result<CreatedReferral> {
    require_affiliate(who)?;
    let (mut new, external_id, password) = validate(&input)?;
    let generated = match password {
        Some(_) => None,
        // Letters and digits: 16 random characters, then a letter and a digit for the policy.
        None => Some(format!("{}a7", random_token(12))),
    };
    let plain =
        password.map(|p| p.expose().to_owned()).or_else(|| generated.clone()).unwrap_or_default();
    new.password_hash = Some(hash_password(app.hasher(), plain).await?);
    let skips_email = new.skip_onboarding_steps.contains("EmailConfirmation");
    let tx = app.db().begin_write().await?;
    let user = users::insert(&tx, new).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("email: is already registered".into()),
        other => other,
    })?;
    let mut profile = profiles::empty_profile(user.id);
    profile.affiliate_id = Some(who.user_id);
    profile.external_id = external_id.clone();
    profiles::save_profile(&tx, profile).await.map_err(|e| match e {
        Error::Conflict(_) => {
            Error::Conflict("externalId: already used by another of your customers".into())
        }
        other => other,
    })?;
    if !skips_email {
        queue_verification(app, &tx, &user, None).await?;
    }
    let refresh_token = tokens::issue(app, &tx, &user, None).await?.refresh_token;
    let (mut link, deposit_url) = new_link(app, None, Some(user.id));
    link.redirect_path = Some(DEPOSIT_PATH.into());
    auto_login::insert(&tx, link).await?;
    audit::record(
        &tx,
        Some(who),
        Audit::new("customer.affiliate_create", "customer", user.uuid.clone())
            .details(format!("customer {} created by affiliate {}", user.email, who.email))
            .after(&serde_json::json!({ "externalId": external_id, "source": user.source })),
    )
    .await?;
    commit(tx).await?;
    Ok(CreatedReferral {
        user,
        refresh_token,
        redirect_url: public_link(app, "/onboarding"),
        deposit_url,
        generated_password: generated,
    })
}

/// "AffiliateGetCustomers" as received.
#[derive(Debug, Clone, Default)]
pub struct ReferralQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub order_by: Option<String>,
    pub search: Option<String>,
    pub external_id: Option<String>,
    pub updated_since: Option<String>,
    pub updated_to: Option<String>,
    pub sources: Vec<String>,
}

fn order(raw: Option<&str>) -> Result<(SortKey, bool)> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((SortKey::CreatedAt, true));
    };
    let (key, desc) = sort_spec("orderBy", raw, false)?;
    let key = match key {
        "name" => SortKey::Name,
        "email" => SortKey::Email,
        "country" => SortKey::Country,
        "createdAt" => SortKey::CreatedAt,
        "updatedAt" => SortKey::UpdatedAt,
        "id" | "accountId" => SortKey::Id,
        _ => {
            return Err(Error::field(
                "orderBy",
                "column must be name, email, country, createdAt, updatedAt or accountId",
            ));
        }
    };
    Ok((key, desc))
}

fn filter(who: &Principal, q: &ReferralQuery) -> Result<CustomerFilter> {
    let mut v = Violations::new();
    let mut f = CustomerFilter { referred_by: Some(who.user_id), ..Default::default() };
    f.search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    f.external_id =
        q.external_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(s) = q.updated_since.as_deref().filter(|s| !s.trim().is_empty()) {
        f.updated_from = v.check(instant("updatedSince", s, false));
    }
    if let Some(s) = q.updated_to.as_deref().filter(|s| !s.trim().is_empty()) {
        f.updated_to = v.check(instant("updatedTo", s, true));
    }
    f.sources = q.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    v.finish()?;
    Ok(f)
}

/// "AffiliateGetCustomers": a page of the caller's referrals and the number of pages.
pub async fn list(
    app: &App,
    who: &Principal,
    q: &ReferralQuery,
) -> Result<(Vec<ReferralView>, u64)> {
    require_affiliate(who)?;
    let page = Page::new(q.limit, q.offset)?;
    let sort = order(q.order_by.as_deref())?;
    let f = filter(who, q)?;
    let conn = app.db().conn();
    let (rows, total) = repo::page(conn, &f, sort, page.offset, page.limit).await?;
    Ok((views(conn, rows).await?, page.pages(total)))
}

/// The caller's referral `id`; anyone else's customer is `NotFound`.
async fn referral<C: ConnectionTrait>(conn: &C, who: &Principal, id: &str) -> Result<UserRow> {
    require_affiliate(who)?;
    let user = users::find_by_uuid(conn, id.trim())
        .await?
        .filter(|u| u.role == Role::Customer.as_str())
        .ok_or(Error::NotFound("customer"))?;
    if repo::is_referral(conn, who.user_id, user.id).await? {
        Ok(user)
    } else {
        Err(Error::NotFound("customer"))
    }
}

/// "Show".
pub async fn show(app: &App, who: &Principal, id: &str) -> Result<ReferralView> {
    let conn = app.db().conn();
    let user = referral(conn, who, id).await?;
    views(conn, vec![user]).await?.pop().ok_or(Error::NotFound("customer"))
}

/// "AffiliateUpdateCustomer": `source` and `notes` (absent: unchanged; empty: cleared).
pub async fn update(
    app: &App,
    who: &Principal,
    id: &str,
    source: Option<String>,
    notes: Option<String>,
) -> Result<ReferralView> {
    let mut v = Violations::new();
    let source = source.map(|s| v.check(opt_text("source", Some(&s), 128)).flatten());
    let notes = notes.map(|n| v.check(opt_text("notes", Some(&n), 10_000)).flatten());
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let user = referral(&tx, who, id).await?;
    let mut profile =
        profiles::profile(&tx, user.id).await?.unwrap_or_else(|| profiles::empty_profile(user.id));
    let before = serde_json::json!({ "source": user.source, "notes": profile.notes });
    let user = match source {
        Some(s) => {
            let mut ch = users::changes(user);
            ch.source = sea_orm::Set(s);
            users::save(&tx, ch).await?
        }
        None => user,
    };
    if let Some(n) = notes {
        profile.notes = n;
        profiles::save_profile(&tx, profile.clone()).await?;
    }
    audit::record(
        &tx,
        Some(who),
        Audit::new("customer.affiliate_update", "customer", user.uuid.clone())
            .details(format!("referral {} updated by affiliate {}", user.email, who.email))
            .before(&before)
            .after(&serde_json::json!({ "source": user.source, "notes": profile.notes })),
    )
    .await?;
    let view = views(&tx, vec![user]).await?.pop().ok_or(Error::NotFound("customer"))?;
    commit(tx).await?;
    Ok(view)
}

/// "CountForExport": how many referrals the caller has.
pub async fn count(app: &App, who: &Principal) -> Result<u64> {
    require_affiliate(who)?;
    let f = CustomerFilter { referred_by: Some(who.user_id), ..Default::default() };
    repo::count(app.db().conn(), &f).await
}

/// One keyset page of the caller's referrals for "ExportCSV": ids above `after`, by id.
pub async fn export_page(
    app: &App,
    who: &Principal,
    after: i64,
    limit: u64,
) -> Result<Vec<ReferralView>> {
    require_affiliate(who)?;
    let f = CustomerFilter { referred_by: Some(who.user_id), ..Default::default() };
    let conn = app.db().conn();
    let rows = repo::after(conn, &f, after, limit).await?;
    views(conn, rows).await
}
