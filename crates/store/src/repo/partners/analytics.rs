//! Downline statistics: the customers `level` steps below an introducer (a nested subquery
//! on `referrals(introducer_id, customer_id)`, one level per step) and their figures —
//! count, first-time depositors, deposits and withdrawals per currency (money's ledger
//! moves), closed lots (real positions) and what the introducer earned at that level.

use std::collections::HashMap;

use brokercrm_core::{Error, Result};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use crate::entities::commission_records as cr;
use crate::entities::ledger_transfers as lt;
use crate::entities::positions as pos;
use crate::entities::referrals::{self as rf, Column as RCol, Entity as Referral};
use crate::entities::wallets as w;
use crate::error::DbResultExt;
use crate::repo::money::ledger::customer_moves::moves;

/// One level's figures (amounts in minor units, 10^-8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelFigures {
    pub clients: i64,
    pub ftds: i64,
    /// Per currency.
    pub deposits: Vec<(String, i128)>,
    pub withdrawals: Vec<(String, i128)>,
    pub lots: i128,
    /// In the commission currency, corrections applied.
    pub commissions: i128,
}

/// The ids of the customers `level` (≥ 1) steps below introducer `ib`.
fn level_set(ib: i64, level: u8) -> SelectStatement {
    let mut q = Query::select()
        .column(RCol::CustomerId)
        .from(Referral)
        .and_where(Expr::col(RCol::IntroducerId).eq(ib))
        .to_owned();
    for _ in 1..level {
        q = Query::select()
            .column(RCol::CustomerId)
            .from(Referral)
            .and_where(Expr::col(RCol::IntroducerId).in_subquery(q))
            .to_owned();
    }
    q
}

fn big(s: &str) -> Result<i128> {
    s.split('.')
        .next()
        .unwrap_or("0")
        .parse::<i128>()
        .map_err(|e| Error::internal(format!("sum {s}: {e}")))
}

async fn scalar<C: ConnectionTrait>(conn: &C, q: &SelectStatement) -> Result<String> {
    let stmt = conn.get_database_backend().build(q);
    let row = conn.query_one_raw(stmt).await.db()?.ok_or_else(|| Error::internal("no row"))?;
    row.try_get::<String>("", "v").db()
}

async fn by_currency<C: ConnectionTrait>(
    conn: &C,
    set: SelectStatement,
    code: &str,
    credit: bool,
) -> Result<Vec<(String, i128)>> {
    // `moves` selects `wallets.user_id`: sum its rows in an outer query (PostgreSQL refuses an
    // ungrouped column next to an aggregate).
    let inner = moves(code, credit)
        .column((lt::Entity, lt::Column::Currency))
        .column((lt::Entity, lt::Column::Amount))
        .and_where(Expr::col((w::Entity, w::Column::IsDemo)).eq(false))
        .and_where(Expr::col((w::Entity, w::Column::UserId)).in_subquery(set))
        .to_owned();
    let q = Query::select()
        .column(Alias::new("currency"))
        .expr_as(Expr::cust("CAST(SUM(m.amount) AS TEXT)"), Alias::new("total"))
        .from_subquery(inner, Alias::new("m"))
        .group_by_col(Alias::new("currency"))
        .to_owned();
    let stmt = conn.get_database_backend().build(&q);
    let mut out = Vec::new();
    for row in conn.query_all_raw(stmt).await.db()? {
        let currency: String = row.try_get("", "currency").db()?;
        let total: String = row.try_get("", "total").db()?;
        out.push((currency, big(&total)?));
    }
    out.sort();
    Ok(out)
}

/// The figures of the customers `level` steps below `ib`.
pub async fn level<C: ConnectionTrait>(conn: &C, ib: i64, level: u8) -> Result<LevelFigures> {
    let set = || level_set(ib, level);
    let clients = Query::select()
        .expr_as(Expr::cust("CAST(COUNT(*) AS TEXT)"), Alias::new("v"))
        .from_subquery(set(), Alias::new("s"))
        .to_owned();
    let ftds = Query::select()
        .expr_as(Expr::cust("CAST(COUNT(DISTINCT d.user_id) AS TEXT)"), Alias::new("v"))
        .from_subquery(
            moves("DEPOSIT", true)
                .and_where(Expr::col((w::Entity, w::Column::IsDemo)).eq(false))
                .and_where(Expr::col((w::Entity, w::Column::UserId)).in_subquery(set()))
                .to_owned(),
            Alias::new("d"),
        )
        .to_owned();
    let lots = Query::select()
        .expr_as(Expr::cust("CAST(COALESCE(SUM(positions.size), 0) AS TEXT)"), Alias::new("v"))
        .from(pos::Entity)
        .and_where(Expr::col((pos::Entity, pos::Column::Demo)).eq(false))
        .and_where(Expr::col((pos::Entity, pos::Column::ClosedAt)).is_not_null())
        .and_where(Expr::col((pos::Entity, pos::Column::UserId)).in_subquery(set()))
        .to_owned();
    let commissions = Query::select()
        .expr_as(
            Expr::cust(
                "CAST(COALESCE(SUM(COALESCE(commission_records.corrected_amount, commission_records.amount)), 0) AS TEXT)",
            ),
            Alias::new("v"),
        )
        .from(cr::Entity)
        .and_where(Expr::col((cr::Entity, cr::Column::IntroducerId)).eq(ib))
        .and_where(Expr::col((cr::Entity, cr::Column::Level)).eq(i16::from(level)))
        .to_owned();
    Ok(LevelFigures {
        clients: i64::try_from(big(&scalar(conn, &clients).await?)?).map_err(Error::internal)?,
        ftds: i64::try_from(big(&scalar(conn, &ftds).await?)?).map_err(Error::internal)?,
        deposits: by_currency(conn, set(), "DEPOSIT", true).await?,
        withdrawals: by_currency(conn, set(), "WITHDRAWAL", false).await?,
        lots: big(&scalar(conn, &lots).await?)?,
        commissions: big(&scalar(conn, &commissions).await?)?,
    })
}

/// The figures of the customers each of `ibs` introduced directly (level 1), by introducer;
/// an introducer with none is absent. Five grouped queries for the whole list.
pub async fn direct<C: ConnectionTrait>(
    conn: &C,
    ibs: &[i64],
) -> Result<HashMap<i64, LevelFigures>> {
    let mut out: HashMap<i64, LevelFigures> = HashMap::new();
    if ibs.is_empty() {
        return Ok(out);
    }
    let ib_col = || Expr::col((rf::Entity, RCol::IntroducerId));
    let clients = Query::select()
        .expr_as(ib_col(), Alias::new("ib"))
        .expr_as(Expr::cust("CAST(COUNT(*) AS TEXT)"), Alias::new("v"))
        .from(Referral)
        .and_where(ib_col().is_in(ibs.iter().copied()))
        .group_by_col((rf::Entity, RCol::IntroducerId))
        .to_owned();
    for row in rows(conn, &clients).await? {
        out.entry(row.0).or_default().clients =
            i64::try_from(big(&row.2)?).map_err(Error::internal)?;
    }
    // The real wallets' moves of the introducers' direct customers, one row per move (`moves`
    // selects `wallets.user_id`: PostgreSQL wants it aggregated in an outer query).
    let of_referred = |code: &str, credit: bool| {
        moves(code, credit)
            .expr_as(ib_col(), Alias::new("ib"))
            .column((lt::Entity, lt::Column::Currency))
            .column((lt::Entity, lt::Column::Amount))
            .inner_join(
                rf::Entity,
                Expr::col((rf::Entity, RCol::CustomerId)).equals((w::Entity, w::Column::UserId)),
            )
            .and_where(Expr::col((w::Entity, w::Column::IsDemo)).eq(false))
            .and_where(ib_col().is_in(ibs.iter().copied()))
            .to_owned()
    };
    let ftds = Query::select()
        .column(Alias::new("ib"))
        .expr_as(Expr::cust("CAST(COUNT(DISTINCT m.user_id) AS TEXT)"), Alias::new("v"))
        .from_subquery(of_referred("DEPOSIT", true), Alias::new("m"))
        .group_by_col(Alias::new("ib"))
        .to_owned();
    for (ib, _, v) in rows(conn, &ftds).await? {
        out.entry(ib).or_default().ftds = i64::try_from(big(&v)?).map_err(Error::internal)?;
    }
    for (code, credit) in [("DEPOSIT", true), ("WITHDRAWAL", false)] {
        let q = Query::select()
            .column(Alias::new("ib"))
            .column(Alias::new("currency"))
            .expr_as(Expr::cust("CAST(SUM(m.amount) AS TEXT)"), Alias::new("v"))
            .from_subquery(of_referred(code, credit), Alias::new("m"))
            .group_by_col(Alias::new("ib"))
            .group_by_col(Alias::new("currency"))
            .to_owned();
        for (ib, currency, v) in rows(conn, &q).await? {
            let f = out.entry(ib).or_default();
            let list = if credit { &mut f.deposits } else { &mut f.withdrawals };
            list.push((currency, big(&v)?));
        }
    }
    let lots = Query::select()
        .expr_as(ib_col(), Alias::new("ib"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(positions.size), 0) AS TEXT)"), Alias::new("v"))
        .from(pos::Entity)
        .inner_join(
            rf::Entity,
            Expr::col((rf::Entity, RCol::CustomerId)).equals((pos::Entity, pos::Column::UserId)),
        )
        .and_where(Expr::col((pos::Entity, pos::Column::Demo)).eq(false))
        .and_where(Expr::col((pos::Entity, pos::Column::ClosedAt)).is_not_null())
        .and_where(ib_col().is_in(ibs.iter().copied()))
        .group_by_col((rf::Entity, RCol::IntroducerId))
        .to_owned();
    for (ib, _, v) in rows(conn, &lots).await? {
        out.entry(ib).or_default().lots = big(&v)?;
    }
    Ok(out)
}

/// Rows `(ib, currency, v)` of a grouped query (`currency` empty when it has none).
async fn rows<C: ConnectionTrait>(
    conn: &C,
    q: &SelectStatement,
) -> Result<Vec<(i64, String, String)>> {
    let stmt = conn.get_database_backend().build(q);
    let mut out = Vec::new();
    for row in conn.query_all_raw(stmt).await.db()? {
        let currency = row.try_get::<String>("", "currency").unwrap_or_default();
        out.push((row.try_get("", "ib").db()?, currency, row.try_get("", "v").db()?));
    }
    Ok(out)
}
