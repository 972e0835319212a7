//! Property tests of the ledger invariants under random operation sequences, on the reference
//! model: after every operation (accepted or refused) the ledger is balanced, no floor is
//! broken, pending sums match pending transfers and every balance is explained by transfers.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::account::AccountKind;
use super::model::Ledger;
use super::transfer::{NewTransfer, Resolution, ResolveTransfer, TransferCode, TransferId};
use crate::{Currency, Error, Money};

#[derive(Debug, Clone)]
enum Op {
    Transfer { id: u8, debit: i64, credit: i64, amount: i64, pending: bool, eur: bool },
    Resolve { id: u8, pending: u8, post: bool, amount: Option<i64> },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..40, 1i64..=7, 1i64..=7, 1i64..=1_000, any::<bool>(), prop::bool::weighted(0.1))
            .prop_map(|(id, debit, credit, amount, pending, eur)| Op::Transfer { id, debit, credit, amount, pending, eur }),
        2 => (0u8..40, 0u8..40, any::<bool>(), prop::option::of(1i64..=1_000))
            .prop_map(|(id, pending, post, amount)| Op::Resolve { id, pending, post, amount }),
    ]
}

fn tid(n: u8) -> TransferId {
    TransferId::parse("id", &format!("t{n}")).unwrap()
}

/// Wallets 1-3 (USD) and 4 (EUR), house accounts 5-6 (USD) and 7 (EUR).
fn ledger() -> Ledger {
    let mut l = Ledger::default();
    let wallet = AccountKind::WalletBalance.default_policy();
    let house = AccountKind::CashClearing.default_policy();
    for (id, cur, p) in [
        (1, Currency::USD, wallet),
        (2, Currency::USD, wallet),
        (3, Currency::USD, wallet),
        (4, Currency::EUR, wallet),
        (5, Currency::USD, house),
        (6, Currency::USD, house),
        (7, Currency::EUR, house),
    ] {
        l.open(id, cur, p);
    }
    l
}

fn run(l: &mut Ledger, op: &Op) -> Result<(), Error> {
    match *op {
        Op::Transfer { id, debit, credit, amount, pending, eur } => l
            .apply(&NewTransfer {
                id: tid(id),
                debit_account_id: debit,
                credit_account_id: credit,
                amount: Money::from_minor(amount),
                currency: if eur { Currency::EUR } else { Currency::USD },
                code: TransferCode::Correction,
                user_data: None,
                pending,
            })
            .map(|_| ()),
        Op::Resolve { id, pending, post, amount } => l
            .resolve(&ResolveTransfer {
                id: tid(id),
                pending_id: tid(pending),
                resolution: if post {
                    Resolution::Post { amount: amount.map(Money::from_minor) }
                } else {
                    Resolution::Void
                },
                user_data: None,
            })
            .map(|_| ()),
    }
}

proptest! {
    #[test]
    fn invariants_hold_after_every_operation(ops in prop::collection::vec(op(), 1..120)) {
        let mut l = ledger();
        for op in &ops {
            let before = (l.accounts.clone(), l.transfers.len());
            let r = run(&mut l, op);
            if r.is_err() {
                prop_assert_eq!(&before.0, &l.accounts, "a refused operation changed balances");
                prop_assert_eq!(before.1, l.transfers.len());
            }
            let v = l.violations();
            prop_assert!(v.is_empty(), "after {:?}: {:?}", op, v);
            for a in l.accounts.values().filter(|a| !a.policy.allows_overdraft) {
                prop_assert!(a.available() >= 0);
            }
        }
    }

    #[test]
    fn replays_change_nothing(ops in prop::collection::vec(op(), 1..60)) {
        let mut l = ledger();
        for op in &ops {
            if run(&mut l, op).is_ok() {
                let (accounts, n) = (l.accounts.clone(), l.transfers.len());
                prop_assert!(run(&mut l, op).is_ok(), "same id and body must replay");
                prop_assert_eq!(&accounts, &l.accounts);
                prop_assert_eq!(n, l.transfers.len());
            }
        }
    }

    #[test]
    fn a_reused_id_with_another_body_conflicts(amount in 1i64..100, other in 100i64..200) {
        let mut l = ledger();
        let fund = Op::Transfer { id: 0, debit: 5, credit: 1, amount: 1_000, pending: false, eur: false };
        run(&mut l, &fund).unwrap();
        run(&mut l, &Op::Transfer { id: 1, debit: 1, credit: 2, amount, pending: true, eur: false }).unwrap();
        let r = run(&mut l, &Op::Transfer { id: 1, debit: 1, credit: 2, amount: other, pending: true, eur: false });
        prop_assert!(matches!(r, Err(Error::Conflict(_))), "{:?}", r);
        prop_assert_eq!(l.accounts[&1].pending_debits, amount);
        // One decision wins; the other finds it already taken.
        run(&mut l, &Op::Resolve { id: 2, pending: 1, post: true, amount: None }).unwrap();
        let r = run(&mut l, &Op::Resolve { id: 3, pending: 1, post: false, amount: None });
        prop_assert!(matches!(r, Err(Error::Conflict(_))), "{:?}", r);
        prop_assert_eq!(l.accounts[&2].balance, amount);
    }

    #[test]
    fn pending_debits_count_against_available(reserve in 1i64..=1_000, spend in 1i64..=1_000) {
        let mut l = ledger();
        run(&mut l, &Op::Transfer { id: 0, debit: 5, credit: 1, amount: 1_000, pending: false, eur: false }).unwrap();
        run(&mut l, &Op::Transfer { id: 1, debit: 1, credit: 6, amount: reserve, pending: true, eur: false }).unwrap();
        let r = run(&mut l, &Op::Transfer { id: 2, debit: 1, credit: 2, amount: spend, pending: false, eur: false });
        prop_assert_eq!(r.is_ok(), reserve + spend <= 1_000);
    }
}

#[test]
fn demo_and_real_books_never_meet() {
    let mut l = ledger();
    if let Some(a) = l.accounts.get_mut(&3) {
        a.demo = true;
    }
    let before = l.accounts.clone();
    for (debit, credit) in [(5, 3), (3, 1), (1, 3)] {
        let t = NewTransfer {
            id: TransferId::parse("id", &format!("x{debit}{credit}")).unwrap(),
            debit_account_id: debit,
            credit_account_id: credit,
            amount: Money::from_minor(10),
            currency: Currency::USD,
            code: TransferCode::WalletTransfer,
            user_data: None,
            pending: false,
        };
        let e = l.apply(&t).unwrap_err();
        assert!(format!("{e:?}").contains("demo and real money never meet"), "{e:?}");
    }
    assert_eq!(l.accounts, before);
    assert!(l.transfers.is_empty());
}
