//! The introducers as staff browse them (ReadCommissions): a searchable list, and one
//! introducer with the commission model in force, its own introducer, its commission balance
//! (available and reserved by a pending payout) and its downline by level — the customers
//! it referred, theirs, ... as deep as its model pays (3 when it has none), each marked when
//! it is an introducer itself (a sub-IB).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::AccountKey;
use brokercrm_core::partners::commissions::CommissionLevel;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::partners::introducers as repo;

use crate::partners::accrual::COMMISSION_CURRENCY;
use crate::partners::introducers::model_of;
use crate::partners::people::{Person, people};
use crate::{App, Principal};

/// Most introducers a page holds.
pub const MAX_PAGE: u64 = 200;
/// Most members shown per downline level.
pub const MAX_PER_LEVEL: u64 = 200;
/// Levels shown when the model in force has none.
const DEFAULT_LEVELS: usize = 3;

/// An introducer in the list.
#[derive(Debug, Clone)]
pub struct IntroducerRow {
    pub person: Person,
    /// Its own model (`None`: the one in force by the tree, else the default).
    pub commission_model_id: Option<i64>,
    pub referral_key: String,
    /// Customers it referred directly.
    pub referred: u64,
}

fn person(u: &users::UserRow) -> Person {
    Person {
        id: u.uuid.clone(),
        email: u.email.clone(),
        firstname: u.firstname.clone(),
        lastname: u.lastname.clone(),
    }
}

/// The introducers whose e-mail or name holds `search`, by e-mail, with the total.
pub async fn list(
    app: &App,
    actor: &Principal,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<IntroducerRow>, u64)> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let (rows, total) = repo::page(conn, search, offset, limit.min(MAX_PAGE)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (ib, u) in rows {
        out.push(IntroducerRow {
            person: person(&u),
            commission_model_id: ib.commission_model_id,
            referral_key: u.ref_key.clone(),
            referred: repo::count_referred(conn, u.id).await?,
        });
    }
    Ok((out, total))
}

/// A member of a downline level.
#[derive(Debug, Clone)]
pub struct Member {
    pub person: Person,
    /// Whom it was referred by (one level up).
    pub referred_by: Option<Person>,
    /// An introducer itself (a sub-IB).
    pub introducer: bool,
    /// How it came: `referral_code`, `promotion_link` or `staff`.
    pub source: String,
}

/// One level of the downline.
#[derive(Debug, Clone)]
pub struct Level {
    pub level: u8,
    pub members: Vec<Member>,
    /// More than [`MAX_PER_LEVEL`] at this level (the rest are not shown).
    pub truncated: bool,
}

/// One introducer as staff see it.
#[derive(Debug, Clone)]
pub struct IntroducerDetail {
    pub person: Person,
    pub referral_key: String,
    /// Its own model id (`None`: inherited or the default).
    pub own_model_id: Option<i64>,
    /// The model in force: id, name and levels.
    pub model: Option<(i64, String, Vec<CommissionLevel>)>,
    /// Its own introducer.
    pub parent: Option<Person>,
    /// Commission it may ask to be paid now (USD).
    pub available: Money,
    /// Reserved by a pending payout request (USD).
    pub reserved: Money,
    pub downline: Vec<Level>,
}

/// Introducer `uuid` (its public id; not an introducer: 404).
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<IntroducerDetail> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let user =
        users::find_by_uuid(conn, uuid.trim()).await?.ok_or(Error::NotFound("introducer"))?;
    let row = repo::find(conn, user.id).await?.ok_or(Error::NotFound("introducer"))?;
    let model = match model_of(conn, user.id).await? {
        Some(m) => {
            let levels: Vec<CommissionLevel> = serde_json::from_str(&m.levels).map_err(|_| {
                Error::internal(format!("commission model {}: stored levels are invalid", m.id))
            })?;
            Some((m.id, m.name, levels))
        }
        None => None,
    };
    let parent = match repo::referral(conn, user.id).await? {
        Some(r) => people(conn, &[r.introducer_id]).await?.remove(&r.introducer_id),
        None => None,
    };
    let key = AccountKey::introducer_commissions(user.id, COMMISSION_CURRENCY)?.key();
    let (available, reserved) = match accounts::find_by_key(conn, &key).await? {
        Some(a) => {
            (Money::from_minor(a.balance - a.pending_debits), Money::from_minor(a.pending_debits))
        }
        None => (Money::ZERO, Money::ZERO),
    };
    let depth = model.as_ref().map_or(0, |m| m.2.len());
    let depth = if depth == 0 { DEFAULT_LEVELS } else { depth };
    let mut downline = Vec::with_capacity(depth);
    let mut above = vec![user.id];
    for level in 1..=depth {
        if above.is_empty() {
            break;
        }
        let refs = repo::referred_by(conn, &above, MAX_PER_LEVEL + 1).await?;
        let truncated = refs.len() as u64 > MAX_PER_LEVEL;
        let refs: Vec<_> = refs.into_iter().take(MAX_PER_LEVEL as usize).collect();
        let ids: Vec<i64> = refs.iter().flat_map(|r| [r.customer_id, r.introducer_id]).collect();
        let who = people(conn, &ids).await?;
        let ibs =
            repo::among(conn, &refs.iter().map(|r| r.customer_id).collect::<Vec<_>>()).await?;
        let members = refs
            .iter()
            .filter_map(|r| {
                Some(Member {
                    person: who.get(&r.customer_id)?.clone(),
                    referred_by: who.get(&r.introducer_id).cloned(),
                    introducer: ibs.contains(&r.customer_id),
                    source: r.source.clone(),
                })
            })
            .collect();
        downline.push(Level { level: u8::try_from(level).unwrap_or(u8::MAX), members, truncated });
        above = refs.iter().map(|r| r.customer_id).collect();
    }
    Ok(IntroducerDetail {
        person: person(&user),
        referral_key: user.ref_key,
        own_model_id: row.commission_model_id,
        model,
        parent,
        available,
        reserved,
        downline,
    })
}
