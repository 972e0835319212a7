//! The ledger on a real database: idempotent replays, pending amounts against the available
//! balance, 50 concurrent withdrawals against one balance, approve/reject races, partial
//! posts, and `ledger verify` clean afterwards (and failing on a corrupted balance).

use brokercrm_app::money::ledger::{self, Outcome, WalletAccounts};
use brokercrm_core::money::ledger::{AccountKind, NewTransfer, TransferCode, TransferState};
use brokercrm_core::{Currency, Error, Money};
use brokercrm_store::Db;

use crate::helpers::TestApp;
use crate::helpers::money::{assert_verified, tid};

pub fn units(n: i64) -> Money {
    Money::from_units(n).unwrap()
}

pub fn new_transfer(
    id: &str,
    debit: i64,
    credit: i64,
    amount: Money,
    code: TransferCode,
) -> NewTransfer {
    NewTransfer {
        id: tid(id),
        debit_account_id: debit,
        credit_account_id: credit,
        amount,
        currency: Currency::USD,
        code,
        user_data: None,
        pending: false,
    }
}

/// A USD wallet funded with `funds` from the test provider's clearing account; returns the
/// wallet's accounts and the clearing account.
pub async fn funded_wallet(db: &Db, wallet_id: i64, funds: Money) -> (WalletAccounts, i64) {
    let w = ledger::open_wallet_accounts(db, wallet_id, Currency::USD).await.unwrap();
    let cash = ledger::house_account(db, AccountKind::CashClearing, Currency::USD, Some("test"))
        .await
        .unwrap();
    let id = format!("fund-{wallet_id}");
    ledger::transfer(db, &new_transfer(&id, cash, w.balance, funds, TransferCode::Deposit))
        .await
        .unwrap();
    (w, cash)
}

fn is_insufficient(r: &Result<Outcome, Error>) -> bool {
    matches!(r, Err(Error::Validation(f)) if f.first().is_some_and(|f| f.field == "amount"))
}

#[tokio::test]
async fn same_id_and_body_replays_and_another_body_conflicts() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let (w, cash) = funded_wallet(db, 1, units(100)).await;
    let deposit = new_transfer("dep-1", cash, w.balance, units(25), TransferCode::Deposit);
    let first = ledger::transfer(db, &deposit).await.unwrap();
    assert!(!first.replayed);
    let again = ledger::transfer(db, &deposit).await.unwrap();
    assert!(again.replayed);
    assert_eq!(again.transfer, first.transfer);
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().balance, units(125));

    for other in [
        NewTransfer { amount: units(26), ..deposit.clone() },
        NewTransfer { code: TransferCode::Bonus, ..deposit.clone() },
        NewTransfer { user_data: Some("changed".into()), ..deposit.clone() },
        NewTransfer { pending: true, ..deposit.clone() },
    ] {
        let r = ledger::transfer(db, &other).await;
        assert!(matches!(r, Err(Error::Conflict(_))), "{other:?}: {r:?}");
    }
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().balance, units(125));

    // A refused transfer leaves no row: its id can be used once the funds are there.
    let spend = new_transfer("spend-1", w.balance, cash, units(200), TransferCode::Withdrawal);
    assert!(is_insufficient(&ledger::transfer(db, &spend).await));
    ledger::transfer(db, &new_transfer("dep-2", cash, w.balance, units(75), TransferCode::Deposit))
        .await
        .unwrap();
    assert!(!ledger::transfer(db, &spend).await.unwrap().replayed);
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().balance, Money::ZERO);

    // Post and void replay too; a second decision with another id conflicts.
    let fee = ledger::house_account(db, AccountKind::Fees, Currency::USD, None).await.unwrap();
    ledger::transfer(db, &new_transfer("dep-3", cash, w.balance, units(10), TransferCode::Deposit))
        .await
        .unwrap();
    ledger::reserve(db, new_transfer("fee-r", w.balance, fee, units(4), TransferCode::Fee))
        .await
        .unwrap();
    let p = ledger::post(db, tid("fee-p"), tid("fee-r"), None, None).await.unwrap();
    let p2 = ledger::post(db, tid("fee-p"), tid("fee-r"), None, None).await.unwrap();
    assert!(p2.replayed && p2.transfer == p.transfer);
    let r = ledger::post(db, tid("fee-p"), tid("fee-r"), Some(units(1)), None).await;
    assert!(matches!(r, Err(Error::Conflict(_))), "{r:?}");
    let r = ledger::void(db, tid("fee-v"), tid("fee-r"), None).await;
    assert!(matches!(r, Err(Error::Conflict(_))), "{r:?}");
    let r = ledger::void(db, tid("fee-v2"), tid("nope"), None).await;
    assert!(matches!(r, Err(Error::NotFound(_))), "{r:?}");
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().balance, units(6));
    assert_verified(db).await;
}

#[tokio::test]
async fn pending_amounts_count_against_the_available_balance() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let (w, cash) = funded_wallet(db, 7, units(100)).await;
    ledger::reserve(db, new_transfer("wd-1", w.balance, cash, units(70), TransferCode::Withdrawal))
        .await
        .unwrap();
    let b = ledger::balance(db, w.balance).await.unwrap();
    assert_eq!((b.balance, b.pending_debits, b.available), (units(100), units(70), units(30)));

    let over = new_transfer("fee-1", w.balance, cash, units(31), TransferCode::Fee);
    assert!(is_insufficient(&ledger::transfer(db, &over).await));
    let over = new_transfer("wd-2", w.balance, cash, units(31), TransferCode::Withdrawal);
    assert!(is_insufficient(&ledger::reserve(db, over).await));
    ledger::transfer(db, &new_transfer("fee-2", w.balance, cash, units(30), TransferCode::Fee))
        .await
        .unwrap();
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().available, Money::ZERO);

    // Approve with a changed (smaller) amount: 50 of the 70 leave, 20 return to available.
    let more = new_transfer("wd-big", w.balance, cash, units(71), TransferCode::Withdrawal);
    assert!(matches!(
        ledger::post(db, tid("wd-1-p"), tid("wd-1"), Some(units(71)), None).await,
        Err(Error::Validation(_))
    ));
    let posted = ledger::post(db, tid("wd-1-p"), tid("wd-1"), Some(units(50)), None).await.unwrap();
    assert_eq!((posted.transfer.amount, posted.transfer.state), (units(50), TransferState::Posted));
    let b = ledger::balance(db, w.balance).await.unwrap();
    assert_eq!((b.balance, b.pending_debits, b.available), (units(20), Money::ZERO, units(20)));
    assert!(is_insufficient(&ledger::reserve(db, more).await));

    // A voided reservation gives everything back.
    ledger::reserve(db, new_transfer("wd-3", w.balance, cash, units(20), TransferCode::Withdrawal))
        .await
        .unwrap();
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().available, Money::ZERO);
    ledger::void(db, tid("wd-3-v"), tid("wd-3"), Some("rejected".into())).await.unwrap();
    assert_eq!(ledger::balance(db, w.balance).await.unwrap().available, units(20));
    let c = ledger::balance(db, cash).await.unwrap();
    assert_eq!(c.balance, units(-20), "cash clearing holds the other side");
    assert_verified(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_withdrawals_reserve_exactly_the_affordable_number() {
    let t = TestApp::spawn().await;
    let db = t.app.db().clone();
    let (w, cash) = funded_wallet(&db, 3, units(1_000)).await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let db = db.clone();
            let t = new_transfer(
                &format!("wd-{i}"),
                w.balance,
                cash,
                units(30),
                TransferCode::Withdrawal,
            );
            tokio::spawn(async move { ledger::reserve(&db, t).await })
        })
        .collect();
    let (mut ok, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            r if is_insufficient(&r) => refused += 1,
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!((ok, refused), (33, 17), "1000 / 30 = 33 reservations fit");
    let b = ledger::balance(&db, w.balance).await.unwrap();
    assert_eq!((b.balance, b.pending_debits, b.available), (units(1_000), units(990), units(10)));
    assert_verified(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn approve_and_reject_race_on_one_withdrawal_and_one_wins() {
    let t = TestApp::spawn().await;
    let db = t.app.db().clone();
    let (w, cash) = funded_wallet(&db, 5, units(100)).await;
    let mut posted = 0;
    for i in 0..10 {
        let id = format!("wd-{i}");
        ledger::reserve(
            &db,
            new_transfer(&id, w.balance, cash, units(10), TransferCode::Withdrawal),
        )
        .await
        .unwrap();
        let (a, b) = (db.clone(), db.clone());
        let (pid, vid) = (tid(&id), tid(&id));
        let approve = tokio::spawn(async move {
            ledger::post(&a, tid(&format!("{pid}-approve")), pid, None, None).await
        });
        let reject = tokio::spawn(async move {
            ledger::void(&b, tid(&format!("{vid}-reject")), vid, None).await
        });
        let (ra, rr) = (approve.await.unwrap(), reject.await.unwrap());
        assert!(ra.is_ok() != rr.is_ok(), "exactly one decision wins: {ra:?} {rr:?}");
        let loser = if ra.is_ok() { &rr } else { &ra };
        assert!(matches!(loser, Err(Error::Conflict(_))), "{loser:?}");
        posted += i64::from(ra.is_ok());
    }
    let b = ledger::balance(&db, w.balance).await.unwrap();
    assert_eq!((b.balance, b.pending_debits), (units(100 - 10 * posted), Money::ZERO));
    assert_verified(&db).await;
}

#[tokio::test]
async fn verify_command_passes_on_a_sound_ledger_and_fails_on_a_corrupted_one() {
    use sea_orm::{ConnectionTrait, Statement};
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let (w, _) = funded_wallet(db, 9, units(5)).await;
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_brokercrm"))
            .args(["ledger", "verify", "--database-url", &t.db_url])
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 violations"));

    db.conn()
        .execute_raw(Statement::from_string(
            db.db_backend(),
            format!("UPDATE ledger_accounts SET balance = balance + 1 WHERE id = {}", w.balance),
        ))
        .await
        .unwrap();
    let out = run();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("account {}", w.balance)), "{stdout}");
    assert!(stdout.contains("USD: balances sum to 1"), "{stdout}");
}

#[tokio::test]
async fn a_transfer_naming_a_missing_account_is_refused_or_reported() {
    use brokercrm_store::db::Backend;
    use sea_orm::{ConnectionTrait, Statement};
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let (w, _) = funded_wallet(db, 9, units(5)).await;
    // SQLite keeps the foreign key; PostgreSQL dropped it (m0038) and `ledger verify` reports.
    let corrupt = db
        .conn()
        .execute_raw(Statement::from_string(
            db.db_backend(),
            format!(
                "UPDATE ledger_transfers SET debit_account_id = 987654 \
                 WHERE credit_account_id = {}",
                w.balance
            ),
        ))
        .await;
    if db.backend() == Backend::Sqlite {
        assert!(corrupt.is_err(), "SQLite's foreign key refuses a missing account");
        assert_verified(db).await;
        return;
    }
    assert_eq!(corrupt.unwrap().rows_affected(), 1);
    let report = ledger::verify(db).await.unwrap();
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.to_string().contains("names an account that does not exist")),
        "{:#?}",
        report.violations
    );
}
