//! Seed tag Analytics: downline statistics per level — referred clients, first-time
//! depositors, deposits and net deposits (converted to USD), closed lots and the introducer's
//! commissions at that level — for the calling introducer, and for staff about any
//! introducer. As many levels as the model in force pays (3 when it has none).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::analytics as repo;
use brokercrm_store::repo::partners::introducers as ib_repo;

use crate::money::fx;
use crate::partners::accrual::COMMISSION_CURRENCY;
use crate::partners::introducers::levels_of;
use crate::partners::ledger::introducer_id;
use crate::{App, Principal};

/// Levels shown for an introducer whose model has none.
const DEFAULT_LEVELS: u8 = 3;

/// One level's statistics (amounts in USD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelStats {
    pub level: u8,
    pub referred_clients: i64,
    pub ftds: i64,
    pub deposits: Money,
    pub net_deposits: Money,
    pub lots: Money,
    pub commissions: Money,
}

pub(crate) async fn usd<C: ConnectionTrait>(conn: &C, list: &[(String, i128)]) -> Result<Money> {
    let mut total = Money::ZERO;
    for (currency, minor) in list {
        let minor = i64::try_from(*minor).map_err(|_| Error::internal("sum out of range"))?;
        let from = Currency::parse("currency", currency)?;
        let m = fx::convert_with(conn, Money::from_minor(minor), &from, &COMMISSION_CURRENCY)
            .await?
            .amount;
        total = total.checked_add(m).ok_or_else(|| Error::internal("sum out of range"))?;
    }
    Ok(total)
}

pub(crate) fn money(minor: i128) -> Result<Money> {
    Ok(Money::from_minor(i64::try_from(minor).map_err(|_| Error::internal("sum out of range"))?))
}

/// The statistics of introducer `ib`'s downline.
async fn of<C: ConnectionTrait>(conn: &C, ib: i64) -> Result<Vec<LevelStats>> {
    let n = u8::try_from(levels_of(conn, ib).await?.len()).unwrap_or(DEFAULT_LEVELS);
    let n = if n == 0 { DEFAULT_LEVELS } else { n };
    let mut out = Vec::with_capacity(usize::from(n));
    for (f, level) in repo::levels(conn, ib, n).await?.into_iter().zip(1..=n) {
        let deposits = usd(conn, &f.deposits).await?;
        let withdrawals = usd(conn, &f.withdrawals).await?;
        out.push(LevelStats {
            level,
            referred_clients: f.clients,
            ftds: f.ftds,
            deposits,
            net_deposits: deposits
                .checked_sub(withdrawals)
                .ok_or_else(|| Error::internal("sum out of range"))?,
            lots: money(f.lots)?,
            commissions: money(f.commissions)?,
        });
    }
    Ok(out)
}

/// "Get downline statistics": the caller's own downline (an introducer; anyone else: 404).
pub async fn own(app: &App, actor: &Principal) -> Result<Vec<LevelStats>> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    of(conn, ib).await
}

/// "Get downline statistics for admin": introducer `user_id`'s (its public id; required;
/// not an introducer: 404). ReadCommissions.
pub async fn for_staff(
    app: &App,
    actor: &Principal,
    user_id: Option<&str>,
) -> Result<Vec<LevelStats>> {
    actor.require(Permission::ReadCommissions)?;
    let uuid = user_id
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::field("userId", "is required"))?;
    let conn = app.db().conn();
    let user = users::find_by_uuid(conn, uuid).await?.ok_or(Error::NotFound("introducer"))?;
    ib_repo::find(conn, user.id).await?.ok_or(Error::NotFound("introducer"))?;
    of(conn, user.id).await
}
