//! Downline statistics: the customers up to `levels` steps below an introducer (a recursive
//! table expression over `referrals(introducer_id, customer_id)`, each with its level) and
//! their figures per level —
//! count, first-time depositors, deposits and withdrawals per currency (money's ledger
//! moves), closed lots (real positions) and what the introducer earned at that level.

use std::collections::HashMap;

use brokercrm_core::{Error, Result};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, Query, SelectStatement, UnionType, WithClause,
};

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

/// The name of the downline table expression: `(customer_id, lvl)`.
const DOWN: &str = "down";

/// `WITH RECURSIVE down(customer_id, lvl)`: the customers 1..=`levels` steps below introducer
/// `ib`, each with its level (the tree cannot loop: attribution refuses it; `lvl` bounds it).
fn downline(ib: i64, levels: u8) -> WithClause {
    let down = || Alias::new(DOWN);
    let mut base = Query::select()
        .column(RCol::CustomerId)
        .expr_as(Expr::val(1), Alias::new("lvl"))
        .from(Referral)
        .and_where(Expr::col(RCol::IntroducerId).eq(ib))
        .to_owned();
    let step = Query::select()
        .column((rf::Entity, RCol::CustomerId))
        .expr(Expr::col((down(), Alias::new("lvl"))).add(1))
        .from(Referral)
        .inner_join(
            down(),
            Expr::col((down(), Alias::new("customer_id"))).equals((rf::Entity, RCol::IntroducerId)),
        )
        .and_where(Expr::col((down(), Alias::new("lvl"))).lt(i32::from(levels)))
        .to_owned();
    let cte = CommonTableExpression::new()
        .query(base.union(UnionType::All, step).to_owned())
        .columns([Alias::new("customer_id"), Alias::new("lvl")])
        .table_name(down())
        .to_owned();
    WithClause::new().recursive(true).cte(cte).to_owned()
}

/// Rows `(lvl, currency, v)` of `q` under the downline expression.
async fn by_level<C: ConnectionTrait>(
    conn: &C,
    with: &WithClause,
    q: SelectStatement,
) -> Result<Vec<(i64, String, String)>> {
    let stmt = conn.get_database_backend().build(&q.with(with.clone()));
    let mut out = Vec::new();
    for row in conn.query_all_raw(stmt).await.db()? {
        let lvl: i64 = match row.try_get::<i64>("", "lvl") {
            Ok(l) => l,
            Err(_) => i64::from(row.try_get::<i32>("", "lvl").db()?),
        };
        let currency = row.try_get::<String>("", "currency").unwrap_or_default();
        out.push((lvl, currency, row.try_get("", "v").db()?));
    }
    Ok(out)
}

/// The figures of the customers 1..=`levels` steps below `ib`, one entry per level (level 1
/// first): six queries for all the levels, each over the downline expression.
pub async fn levels<C: ConnectionTrait>(
    conn: &C,
    ib: i64,
    levels: u8,
) -> Result<Vec<LevelFigures>> {
    let mut out = vec![LevelFigures::default(); usize::from(levels)];
    let with = downline(ib, levels);
    let down = || Alias::new(DOWN);
    let lvl = || Expr::col((down(), Alias::new("lvl")));
    let slot = |out: &mut Vec<LevelFigures>, l: i64| -> Result<usize> {
        usize::try_from(l - 1)
            .ok()
            .filter(|i| *i < out.len())
            .ok_or_else(|| Error::internal(format!("level {l} out of range")))
    };
    let clients = Query::select()
        .expr_as(lvl(), Alias::new("lvl"))
        .expr_as(Expr::cust("CAST(COUNT(*) AS TEXT)"), Alias::new("v"))
        .from(down())
        .group_by_col((down(), Alias::new("lvl")))
        .to_owned();
    for (l, _, v) in by_level(conn, &with, clients).await? {
        let i = slot(&mut out, l)?;
        out[i].clients = i64::try_from(big(&v)?).map_err(Error::internal)?;
    }
    // Real wallets' moves of the downline, one row per move (`moves` selects
    // `wallets.user_id`: aggregated in an outer query for PostgreSQL).
    let of_down = |code: &str, credit: bool| {
        moves(code, credit)
            .expr_as(lvl(), Alias::new("lvl"))
            .column((lt::Entity, lt::Column::Currency))
            .column((lt::Entity, lt::Column::Amount))
            .inner_join(
                down(),
                Expr::col((down(), Alias::new("customer_id")))
                    .equals((w::Entity, w::Column::UserId)),
            )
            .and_where(Expr::col((w::Entity, w::Column::IsDemo)).eq(false))
            .to_owned()
    };
    let ftds = Query::select()
        .column(Alias::new("lvl"))
        .expr_as(Expr::cust("CAST(COUNT(DISTINCT m.user_id) AS TEXT)"), Alias::new("v"))
        .from_subquery(of_down("DEPOSIT", true), Alias::new("m"))
        .group_by_col(Alias::new("lvl"))
        .to_owned();
    for (l, _, v) in by_level(conn, &with, ftds).await? {
        let i = slot(&mut out, l)?;
        out[i].ftds = i64::try_from(big(&v)?).map_err(Error::internal)?;
    }
    for (code, credit) in [("DEPOSIT", true), ("WITHDRAWAL", false)] {
        let q = Query::select()
            .column(Alias::new("lvl"))
            .column(Alias::new("currency"))
            .expr_as(Expr::cust("CAST(SUM(m.amount) AS TEXT)"), Alias::new("v"))
            .from_subquery(of_down(code, credit), Alias::new("m"))
            .group_by_col(Alias::new("lvl"))
            .group_by_col(Alias::new("currency"))
            .to_owned();
        for (l, currency, v) in by_level(conn, &with, q).await? {
            let i = slot(&mut out, l)?;
            let list = if credit { &mut out[i].deposits } else { &mut out[i].withdrawals };
            list.push((currency, big(&v)?));
        }
    }
    let lots = Query::select()
        .expr_as(lvl(), Alias::new("lvl"))
        .expr_as(Expr::cust("CAST(COALESCE(SUM(positions.size), 0) AS TEXT)"), Alias::new("v"))
        .from(pos::Entity)
        .inner_join(
            down(),
            Expr::col((down(), Alias::new("customer_id")))
                .equals((pos::Entity, pos::Column::UserId)),
        )
        .and_where(Expr::col((pos::Entity, pos::Column::Demo)).eq(false))
        .and_where(Expr::col((pos::Entity, pos::Column::ClosedAt)).is_not_null())
        .group_by_col((down(), Alias::new("lvl")))
        .to_owned();
    for (l, _, v) in by_level(conn, &with, lots).await? {
        let i = slot(&mut out, l)?;
        out[i].lots = big(&v)?;
    }
    let commissions = Query::select()
        .expr_as(Expr::col((cr::Entity, cr::Column::Level)), Alias::new("lvl"))
        .expr_as(
            Expr::cust(
                "CAST(COALESCE(SUM(COALESCE(commission_records.corrected_amount, commission_records.amount)), 0) AS TEXT)",
            ),
            Alias::new("v"),
        )
        .from(cr::Entity)
        .and_where(Expr::col((cr::Entity, cr::Column::IntroducerId)).eq(ib))
        .and_where(Expr::col((cr::Entity, cr::Column::Level)).lte(i16::from(levels)))
        .group_by_col((cr::Entity, cr::Column::Level))
        .to_owned();
    let stmt = conn.get_database_backend().build(&commissions);
    for row in conn.query_all_raw(stmt).await.db()? {
        let l: i16 = row.try_get("", "lvl").db()?;
        let i = slot(&mut out, i64::from(l))?;
        out[i].commissions = big(&row.try_get::<String>("", "v").db()?)?;
    }
    for f in &mut out {
        f.deposits.sort();
        f.withdrawals.sort();
    }
    Ok(out)
}

fn big(s: &str) -> Result<i128> {
    s.split('.')
        .next()
        .unwrap_or("0")
        .parse::<i128>()
        .map_err(|e| Error::internal(format!("sum {s}: {e}")))
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
