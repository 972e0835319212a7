//! Reads behind Statements and Reports: a wallet account's posted balance before an instant,
//! its posted movements in a range (keyset-paged, oldest first), and the per-wallet and
//! per-customer aggregates of the profit/loss, balance and coins reports, each one SQL
//! statement with `GROUP BY` (valid on SQLite and PostgreSQL). Posted movements are ledger
//! rows of kind `single` and `post_pending`; sums are read as text (PostgreSQL's `SUM(bigint)`
//! is `numeric`).

use brokercrm_core::{Error, Result};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, Value,
};

use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;
use crate::repo::money::ledger::TransferRow;

/// Ledger row kinds that change posted balances.
const POSTED: [&str; 2] = ["single", "post_pending"];
/// The SQL list of [`POSTED`].
const POSTED_SQL: &str = "('single', 'post_pending')";

/// Numbered bind parameters (`$n` on PostgreSQL, `?n` on SQLite), reusable in a statement.
struct Params {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Params {
    fn new(backend: DbBackend) -> Self {
        Self { backend, values: Vec::new() }
    }
    fn add(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }
    fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// A sum selected as `CAST(... AS TEXT) AS <col>`; the column name is matched in lower case
/// (PostgreSQL folds unquoted aliases), and a missing column is an error, never 0.
fn sum(row: &sea_orm::QueryResult, col: &str) -> Result<i64> {
    let s: String = row.try_get("", &col.to_ascii_lowercase()).db()?;
    let v = s.parse::<i128>().map_err(Error::internal)?;
    i64::try_from(v).map_err(|_| Error::internal("report sum beyond the money range"))
}

/// `CAST(COALESCE(<x>, 0) AS TEXT) AS <lower-case name>` for each of `exprs`.
fn text_columns(exprs: &[(&str, String)]) -> String {
    exprs
        .iter()
        .map(|(n, x)| format!("CAST(COALESCE({x}, 0) AS TEXT) AS {}", n.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A posted balance per account: credits minus debits of movements created before `before`.
pub async fn balances_before<C: ConnectionTrait>(
    conn: &C,
    accounts: &[i64],
    before: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Params::new(conn.get_database_backend());
    let b = p.add(before);
    let ids = accounts.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT account_id, CAST(COALESCE(SUM(delta), 0) AS TEXT) AS total FROM ( \
           SELECT credit_account_id AS account_id, amount AS delta FROM ledger_transfers \
           WHERE credit_account_id IN ({ids}) AND kind IN {POSTED_SQL} AND created_at < {b} \
           UNION ALL \
           SELECT debit_account_id AS account_id, -amount AS delta FROM ledger_transfers \
           WHERE debit_account_id IN ({ids}) AND kind IN {POSTED_SQL} AND created_at < {b} \
         ) m GROUP BY account_id"
    );
    let rows = conn.query_all_raw(p.statement(sql)).await.db()?;
    rows.iter().map(|r| Ok((r.try_get("", "account_id").db()?, sum(r, "total")?))).collect()
}

fn movements(
    accounts: &[i64],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sea_orm::Select<Transfer> {
    let ids = || accounts.iter().copied();
    Transfer::find()
        .filter(
            Condition::any()
                .add(T::DebitAccountId.is_in(ids()))
                .add(T::CreditAccountId.is_in(ids())),
        )
        .filter(T::Kind.is_in(POSTED))
        .filter(T::CreatedAt.gte(start))
        .filter(T::CreatedAt.lt(end))
}

/// Posted movements of `accounts` created in `[start, end)`, oldest first (by row sequence),
/// after row id `after`.
pub async fn movements_page<C: ConnectionTrait>(
    conn: &C,
    accounts: &[i64],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<TransferRow>> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = movements(accounts, start, end);
    if let Some(a) = after {
        q = q.filter(T::Id.gt(a));
    }
    q.order_by_asc(T::Id).limit(limit).all(conn).await.db()
}

/// Ordering and window of a report page. `column` is one of the report's own column names
/// (checked by the caller against the report's allow-list; unknown names fall back to the key).
#[derive(Debug, Clone)]
pub struct Window {
    pub column: String,
    pub descending: bool,
    pub limit: u64,
    pub offset: u64,
    /// Keyset paging for exports: only keys above this, ordered by key (sort ignored; the
    /// total is not counted and answers 0).
    pub after: Option<i64>,
    /// Only these customers' lines (a staff member's customer scope); `None`: every customer.
    pub owners: Option<Vec<i64>>,
}

impl Window {
    /// ` AND <col> IN (...)` keeping the lines of [`Window::owners`] (`col`: a user-id
    /// column); empty without owners.
    fn owners_on(&self, col: &str) -> String {
        match self.owners.as_deref() {
            None => String::new(),
            Some([]) => " AND 1 = 0".to_owned(),
            Some(ids) => {
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!(" AND {col} IN ({})", ids.join(", "))
            }
        }
    }

    fn order(&self, exprs: &[(&str, String)], key: &str) -> String {
        if self.after.is_some() {
            return format!("{key} ASC");
        }
        let dir = if self.descending { "DESC" } else { "ASC" };
        match exprs.iter().find(|(n, _)| *n == self.column) {
            Some((_, e)) => format!("{e} {dir}, {key} ASC"),
            None => format!("{key} {dir}"),
        }
    }
}

/// One wallet's line of the profit/loss report, in minor units of the wallet's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfitLossRow {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub currency: String,
    pub deposits: i64,
    pub withdrawals: i64,
    pub bonuses: i64,
    pub corrections: i64,
    pub transfers: i64,
    pub other: i64,
}

/// Transfer codes counted as bonuses in the profit/loss report.
pub const BONUS_CODES: &str = "('BONUS', 'DEPOSIT_BONUS', 'COINS_EXCHANGE')";

/// The wallet-side movements `m(wallet_id, code, created_at, kind, delta)` of non-demo
/// wallets' accounts created before `end_param` (and at or after `start_param` when given).
fn wallet_moves(start_param: Option<&str>, end_param: &str) -> String {
    let since = start_param.map(|s| format!(" AND t.created_at >= {s}")).unwrap_or_default();
    let side = |col: &str, sign: &str| {
        format!(
            "SELECT a.wallet_id AS wallet_id, a.kind AS account_kind, t.code AS code, \
             t.created_at AS created_at, {sign}t.amount AS delta \
             FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.{col} \
             WHERE a.wallet_id IS NOT NULL AND t.kind IN {POSTED_SQL} \
             AND t.created_at < {end_param}{since}"
        )
    };
    format!("({} UNION ALL {})", side("credit_account_id", ""), side("debit_account_id", "-"))
}

/// Profit/loss per non-demo wallet with posted movements in `[start, end)`.
pub async fn profit_loss<C: ConnectionTrait>(
    conn: &C,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    w: &Window,
) -> Result<(Vec<ProfitLossRow>, u64)> {
    let mut p = Params::new(conn.get_database_backend());
    let (s, e) = (p.add(start), p.add(end));
    let demo = p.add(false);
    let moves = wallet_moves(Some(&s), &e);
    let when = |cond: &str, v: &str| format!("SUM(CASE WHEN {cond} THEN {v} ELSE 0 END)");
    let exprs: Vec<(&str, String)> = vec![
        ("deposits", when("m.code = 'DEPOSIT'", "m.delta")),
        ("withdrawals", when("m.code = 'WITHDRAWAL'", "-m.delta")),
        ("bonuses", when(&format!("m.code IN {BONUS_CODES}"), "m.delta")),
        ("corrections", when("m.code = 'CORRECTION'", "m.delta")),
        ("transfers", when("m.code = 'WALLET_TRANSFER'", "m.delta")),
        (
            "other",
            when(
                &format!(
                    "m.code NOT IN ('DEPOSIT', 'WITHDRAWAL', 'CORRECTION', 'WALLET_TRANSFER') \
                     AND m.code NOT IN {BONUS_CODES}"
                ),
                "m.delta",
            ),
        ),
        ("netDeposits", when("m.code IN ('DEPOSIT', 'WITHDRAWAL')", "m.delta")),
        ("walletId", "w.id".into()),
        ("customerId", "w.user_id".into()),
        ("currency", "w.currency".into()),
    ];
    let after = page_filter(&mut p, w);
    let from = format!(
        "FROM {moves} m JOIN wallets w ON w.id = m.wallet_id WHERE w.is_demo = {demo}{after} \
         GROUP BY w.id, w.user_id, w.currency"
    );
    let (rows, total) = wallet_page(conn, p, &exprs, &from, w).await?;
    let out = rows
        .iter()
        .map(|r| {
            let (wallet_id, customer_id, currency) = wallet_of(r)?;
            Ok(ProfitLossRow {
                wallet_id,
                customer_id,
                currency,
                deposits: sum(r, "deposits")?,
                withdrawals: sum(r, "withdrawals")?,
                bonuses: sum(r, "bonuses")?,
                corrections: sum(r, "corrections")?,
                transfers: sum(r, "transfers")?,
                other: sum(r, "other")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((out, total))
}

/// The window's keyset and owner conditions on wallets `w`, bound into `p`.
fn page_filter(p: &mut Params, w: &Window) -> String {
    let mut after = w.after.map(|a| format!(" AND w.id > {}", p.add(a))).unwrap_or_default();
    after.push_str(&w.owners_on("w.user_id"));
    after
}

/// One page of the per-wallet report `from` (grouped by wallet): the wallet's id, owner and
/// currency plus the first six `exprs` as text, in the window's order; and the number of
/// groups (0 on a keyset page, whose caller does not need it).
async fn wallet_page<C: ConnectionTrait>(
    conn: &C,
    mut p: Params,
    exprs: &[(&str, String)],
    from: &str,
    w: &Window,
) -> Result<(Vec<sea_orm::QueryResult>, u64)> {
    let cols = text_columns(&exprs[..6]);
    let total = if w.after.is_some() { 0 } else { count(conn, &p, from).await? };
    let (l, o) = (p.add(w.limit as i64), p.add(w.offset as i64));
    let sql = format!(
        "SELECT w.id AS wallet_id, w.user_id AS customer_id, w.currency AS currency, {cols} \
         {from} ORDER BY {} LIMIT {l} OFFSET {o}",
        w.order(exprs, "w.id")
    );
    Ok((conn.query_all_raw(p.statement(sql)).await.db()?, total))
}

/// `(wallet id, customer id, currency)` of a [`wallet_page`] row.
fn wallet_of(r: &sea_orm::QueryResult) -> Result<(i64, i64, String)> {
    Ok((
        r.try_get("", "wallet_id").db()?,
        r.try_get("", "customer_id").db()?,
        r.try_get("", "currency").db()?,
    ))
}

/// `COUNT(*)` of the groups of `from` (with the parameters bound so far).
async fn count<C: ConnectionTrait>(conn: &C, p: &Params, from: &str) -> Result<u64> {
    let q = Params { backend: p.backend, values: p.values.clone() };
    let sql = format!("SELECT COUNT(*) AS n FROM (SELECT 1 AS one {from}) g");
    let row = conn.query_one_raw(q.statement(sql)).await.db()?;
    let n: i64 = match row {
        Some(r) => r.try_get("", "n").db()?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// One wallet's line of the balance report, in minor units of the wallet's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub currency: String,
    pub opening_balance: i64,
    pub money_in: i64,
    pub money_out: i64,
    pub closing_balance: i64,
    pub opening_credit: i64,
    pub closing_credit: i64,
}

/// Balance report of every non-demo wallet created before `end`: balance and credit at
/// `start` and at `end`, and what came in and went out of the balance in `[start, end)`.
pub async fn balances<C: ConnectionTrait>(
    conn: &C,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    w: &Window,
) -> Result<(Vec<BalanceRow>, u64)> {
    let mut p = Params::new(conn.get_database_backend());
    let (s, e) = (p.add(start), p.add(end));
    let demo = p.add(false);
    let moves = wallet_moves(None, &e);
    let bal = "m.account_kind = 'wallet_balance'";
    let cre = "m.account_kind = 'wallet_credit'";
    let when = |cond: String| format!("SUM(CASE WHEN {cond} THEN m.delta ELSE 0 END)");
    let exprs: Vec<(&str, String)> = vec![
        ("openingBalance", when(format!("{bal} AND m.created_at < {s}"))),
        ("moneyIn", when(format!("{bal} AND m.created_at >= {s} AND m.delta > 0"))),
        (
            "moneyOut",
            format!(
                "SUM(CASE WHEN {bal} AND m.created_at >= {s} AND m.delta < 0 \
                 THEN -m.delta ELSE 0 END)"
            ),
        ),
        ("closingBalance", when(bal.to_owned())),
        ("openingCredit", when(format!("{cre} AND m.created_at < {s}"))),
        ("closingCredit", when(cre.to_owned())),
        ("walletId", "w.id".into()),
        ("customerId", "w.user_id".into()),
        ("currency", "w.currency".into()),
    ];
    let after = page_filter(&mut p, w);
    let from = format!(
        "FROM wallets w LEFT JOIN {moves} m ON m.wallet_id = w.id \
         WHERE w.is_demo = {demo} AND w.created_at < {e}{after} \
         GROUP BY w.id, w.user_id, w.currency"
    );
    let (rows, total) = wallet_page(conn, p, &exprs, &from, w).await?;
    rows.iter()
        .map(|r| {
            let (wallet_id, customer_id, currency) = wallet_of(r)?;
            Ok(BalanceRow {
                wallet_id,
                customer_id,
                currency,
                opening_balance: sum(r, "openingBalance")?,
                money_in: sum(r, "moneyIn")?,
                money_out: sum(r, "moneyOut")?,
                closing_balance: sum(r, "closingBalance")?,
                opening_credit: sum(r, "openingCredit")?,
                closing_credit: sum(r, "closingCredit")?,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(|v| (v, total))
}

/// One customer coin account's line of the coins report (whole coins are minor units / 10^8,
/// as for any ledger amount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoinsRow {
    pub account_id: i64,
    /// The account key, `customer:<user id>:customer_coins:COINS`.
    pub key: String,
    pub earned: i64,
    pub exchanged: i64,
    pub balance: i64,
}

/// The coin accounts (kind `customer_coins`, currency `COINS`) with what they earned (credits
/// coded `BONUS`), exchanged (debits coded `COINS_EXCHANGE`) and hold (credits − debits).
pub async fn coins<C: ConnectionTrait>(conn: &C, w: &Window) -> Result<(Vec<CoinsRow>, u64)> {
    let mut p = Params::new(conn.get_database_backend());
    let kind = p.add("customer_coins");
    let cur = p.add("COINS");
    let when = |cond: &str, v: &str| format!("SUM(CASE WHEN {cond} THEN {v} ELSE 0 END)");
    let exprs: Vec<(&str, String)> = vec![
        ("earned", when("m.delta > 0 AND m.code = 'BONUS'", "m.delta")),
        ("exchanged", when("m.delta < 0 AND m.code = 'COINS_EXCHANGE'", "-m.delta")),
        ("balance", "SUM(COALESCE(m.delta, 0))".into()),
        ("accountId", "a.id".into()),
    ];
    let cols = text_columns(&exprs[..3]);
    let side = |col: &str, sign: &str| {
        format!(
            "SELECT {col} AS account_id, code, {sign}amount AS delta FROM ledger_transfers \
             WHERE currency = {cur} AND kind IN {POSTED_SQL}"
        )
    };
    let mut after = w.after.map(|a| format!(" AND a.id > {}", p.add(a))).unwrap_or_default();
    if let Some(ids) = w.owners.as_deref() {
        // Coin accounts name their customer in the key: `customer:<id>:customer_coins:COINS`.
        let keys: Vec<String> =
            ids.iter().map(|id| p.add(format!("customer:{id}:customer_coins:COINS"))).collect();
        if keys.is_empty() {
            after.push_str(" AND 1 = 0");
        } else {
            after.push_str(&format!(" AND a.key IN ({})", keys.join(", ")));
        }
    }
    let from = format!(
        "FROM ledger_accounts a LEFT JOIN ({} UNION ALL {}) m ON m.account_id = a.id \
         WHERE a.kind = {kind} AND a.currency = {cur}{after} GROUP BY a.id, a.key",
        side("credit_account_id", ""),
        side("debit_account_id", "-")
    );
    let total = if w.after.is_some() { 0 } else { count(conn, &p, &from).await? };
    let (l, o) = (p.add(w.limit as i64), p.add(w.offset as i64));
    let sql = format!(
        "SELECT a.id AS account_id, a.key AS account_key, {cols} {from} ORDER BY {} \
         LIMIT {l} OFFSET {o}",
        w.order(&exprs, "a.id")
    );
    let rows = conn.query_all_raw(p.statement(sql)).await.db()?;
    rows.iter()
        .map(|r| {
            Ok(CoinsRow {
                account_id: r.try_get("", "account_id").db()?,
                key: r.try_get("", "account_key").db()?,
                earned: sum(r, "earned")?,
                exchanged: sum(r, "exchanged")?,
                balance: sum(r, "balance")?,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(|v| (v, total))
}
