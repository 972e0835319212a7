//! The affiliation report ("Export report to XLSX" with `type=affiliation`): one line per
//! introducer, by user id — who it is, its commission model, its direct (level-1) clients with
//! their first-time depositors, deposits, withdrawals and net deposits in USD (real wallets)
//! and closed lots, and its commissions: earned (all levels, corrections and clawbacks
//! applied), paid out, and its balance still payable. All time: the export's `start`/`end`
//! are not used. Read in keyset pages of introducers, so memory stays flat.

use std::collections::HashMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::AccountKey;
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::partners::analytics::{self as figures, LevelFigures};
use brokercrm_store::repo::partners::commission_models as models;
use brokercrm_store::repo::partners::commission_records as records;
use brokercrm_store::repo::partners::introducers;

use crate::partners::accrual::COMMISSION_CURRENCY;
use crate::partners::analytics::{money, usd};
use crate::partners::people::people;
use crate::platform::exports::{Cell, XlsxExport};
use crate::{App, Principal};

/// Introducers per round trip.
const PAGE: u64 = 200;

/// The report's columns.
pub const HEADERS: &[&str] = &[
    "Introducer",
    "E-mail",
    "First name",
    "Last name",
    "Commission model",
    "Direct clients",
    "FTDs",
    "Deposits (USD)",
    "Withdrawals (USD)",
    "Net deposits (USD)",
    "Lots",
    "Commissions earned (USD)",
    "Paid out (USD)",
    "Payable (USD)",
];

fn sum_err() -> Error {
    Error::internal("sum out of range")
}

/// The affiliation report as XLSX (ReadReports and ReadCommissions).
pub async fn affiliation_xlsx(app: &App, actor: &Principal) -> Result<std::fs::File> {
    actor.require(Permission::ReadReports)?;
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let model_names: HashMap<i64, String> =
        models::list(conn, 1000).await?.into_iter().map(|m| (m.id, m.name)).collect();
    let earned: HashMap<i64, (i64, i64)> = records::totals(conn, None, None)
        .await?
        .into_iter()
        .map(|(ib, _, total, paid)| (ib, (total, paid)))
        .collect();
    let mut out = XlsxExport::new("Affiliation", HEADERS)?;
    let mut after = 0;
    loop {
        let page = introducers::after(conn, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.user_id;
        let ids: Vec<i64> = page.iter().map(|i| i.user_id).collect();
        let who = people(conn, &ids).await?;
        let direct = figures::direct(conn, &ids).await?;
        let keys: Vec<String> = ids
            .iter()
            .map(|ib| AccountKey::introducer_commissions(*ib, COMMISSION_CURRENCY).map(|k| k.key()))
            .collect::<Result<_>>()?;
        let payable: HashMap<String, i64> = accounts::find_by_keys(conn, &keys)
            .await?
            .into_iter()
            .map(|a| (a.key, a.balance))
            .collect();
        for (ib, key) in page.iter().zip(&keys) {
            let person = who.get(&ib.user_id);
            let f = direct.get(&ib.user_id).cloned().unwrap_or_else(LevelFigures::default);
            let deposits = usd(conn, &f.deposits).await?;
            let withdrawals = usd(conn, &f.withdrawals).await?;
            let (total, paid) = earned.get(&ib.user_id).copied().unwrap_or_default();
            out.push(&[
                person.map(|p| p.id.clone()).into(),
                person.map(|p| p.email.clone()).into(),
                person.and_then(|p| p.firstname.clone()).into(),
                person.and_then(|p| p.lastname.clone()).into(),
                ib.commission_model_id.and_then(|m| model_names.get(&m).cloned()).into(),
                Cell::Int(f.clients),
                Cell::Int(f.ftds),
                Cell::Money(deposits),
                Cell::Money(withdrawals),
                Cell::Money(deposits.checked_sub(withdrawals).ok_or_else(sum_err)?),
                Cell::Money(money(f.lots)?),
                Cell::Money(Money::from_minor(total)),
                Cell::Money(Money::from_minor(paid)),
                Cell::Money(Money::from_minor(payable.get(key).copied().unwrap_or_default())),
            ])?;
        }
    }
    out.finish().await
}
