//! Random operation sequences run on the database and on the reference model of `core`:
//! every operation has the same outcome on both, balances match, and `verify` stays clean.

use brokercrm_app::money::ledger;
use brokercrm_core::money::ledger::model::Ledger;
use brokercrm_core::money::ledger::{
    AccountKind, NewTransfer, Resolution, ResolveTransfer, TransferCode,
};
use brokercrm_core::{Currency, Error, Money};

use crate::helpers::TestApp;
use crate::helpers::money::{assert_verified, tid};

/// xorshift64*: a small deterministic generator, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn class<T>(r: &Result<T, Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(Error::Conflict(_)) => "conflict",
        Err(Error::Validation(_)) => "validation",
        Err(Error::NotFound(_)) => "not_found",
        Err(_) => "other",
    }
}

#[tokio::test]
async fn random_operations_match_the_reference_model() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let mut model = Ledger::default();
    let mut ids = Vec::new();
    for (wallet, cur) in
        [(1, Currency::USD), (2, Currency::USD), (3, Currency::USD), (4, Currency::EUR)]
    {
        let w = ledger::open_wallet_accounts(db, wallet, cur).await.unwrap();
        for id in [w.balance, w.credit] {
            model.open(id, cur, AccountKind::WalletBalance.default_policy());
            ids.push(id);
        }
    }
    for (kind, cur, provider) in [
        (AccountKind::CashClearing, Currency::USD, Some("test")),
        (AccountKind::Fees, Currency::USD, None),
        (AccountKind::CashClearing, Currency::EUR, Some("test")),
    ] {
        let id = ledger::house_account(db, kind, cur, provider).await.unwrap();
        model.open(id, cur, kind.default_policy());
        ids.push(id);
    }
    let house = ids.len() - 3;

    for seed in [0x9E37_79B9_7F4A_7C15_u64, 42, 7_777_777] {
        let mut rng = Rng(seed);
        for step in 0..150 {
            let n = rng.below(30);
            let id = tid(&format!("s{seed}-{n}"));
            let pick = |rng: &mut Rng| {
                // Half the time a house account, so money flows in.
                let i = if rng.below(2) == 0 {
                    house + rng.below(3) as usize
                } else {
                    rng.below(house as u64) as usize
                };
                ids[i]
            };
            let (db_out, model_out) = if rng.below(5) < 3 {
                let t = NewTransfer {
                    id,
                    debit_account_id: pick(&mut rng),
                    credit_account_id: pick(&mut rng),
                    amount: Money::from_minor(1 + rng.below(50_000) as i64),
                    currency: if rng.below(6) == 0 { Currency::EUR } else { Currency::USD },
                    code: TransferCode::ALL[rng.below(10) as usize],
                    user_data: None,
                    pending: rng.below(2) == 0,
                };
                (class(&ledger::transfer(db, &t).await), class(&model.apply(&t)))
            } else {
                let amount =
                    (rng.below(3) == 0).then(|| Money::from_minor(1 + rng.below(50_000) as i64));
                let r = ResolveTransfer {
                    id,
                    pending_id: tid(&format!("s{seed}-{}", rng.below(30))),
                    resolution: if rng.below(2) == 0 {
                        Resolution::Post { amount }
                    } else {
                        Resolution::Void
                    },
                    user_data: None,
                };
                let db_out = match r.resolution {
                    Resolution::Post { amount } => {
                        ledger::post(db, r.id.clone(), r.pending_id.clone(), amount, None).await
                    }
                    Resolution::Void => {
                        ledger::void(db, r.id.clone(), r.pending_id.clone(), None).await
                    }
                };
                (class(&db_out), class(&model.resolve(&r)))
            };
            assert_eq!(db_out, model_out, "seed {seed} step {step}");
        }
        for (&id, a) in &model.accounts {
            let b = ledger::balance(db, id).await.unwrap();
            assert_eq!(
                (b.balance.minor(), b.pending_debits.minor(), b.pending_credits.minor()),
                (a.balance, a.pending_debits, a.pending_credits),
                "seed {seed}: account {id}"
            );
        }
        assert!(model.violations().is_empty());
        assert_verified(db).await;
    }
}
