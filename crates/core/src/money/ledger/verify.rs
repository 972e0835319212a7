//! The invariant check behind `brokercrm ledger verify`: fed every account with the sums of
//! its transfers, it reports each broken invariant. The same check runs on the reference
//! model in the property tests and on the database in production.

use std::collections::BTreeMap;
use std::fmt;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub id: i64,
    pub currency: String,
    pub balance: i64,
    pub pending_debits: i64,
    pub pending_credits: i64,
    pub floor: i64,
    pub allows_overdraft: bool,
}

/// What an account's transfers add up to: posted debits and credits (single and post rows)
/// and the amounts of its still-pending reservations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub posted_debits: i128,
    pub posted_credits: i128,
    pub pending_debits: i128,
    pub pending_credits: i128,
}

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// A transfer row is not a valid balanced movement (amount, accounts, currency, state).
    InvalidTransfer { transfer_id: String, reason: String },
    /// The balances (or pending debits vs pending credits) of a currency do not net to zero.
    CurrencyImbalance {
        currency: String,
        balance_sum: String,
        pending_debits: String,
        pending_credits: String,
    },
    /// An account without overdraft is below its floor (pending debits included).
    BelowFloor { account_id: i64, available: String, floor: i64 },
    /// An account's stored balance or pending sums differ from what its transfers add up to.
    Unexplained { account_id: i64, stored: [i64; 3], from_transfers: [String; 3] },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidTransfer { transfer_id, reason } => {
                write!(f, "transfer {transfer_id}: {reason}")
            }
            Self::CurrencyImbalance { currency, balance_sum, pending_debits, pending_credits } => {
                write!(
                    f,
                    "{currency}: balances sum to {balance_sum} (must be 0); pending debits {pending_debits} vs pending credits {pending_credits}"
                )
            }
            Self::BelowFloor { account_id, available, floor } => {
                write!(f, "account {account_id}: available {available} is below its floor {floor}")
            }
            Self::Unexplained { account_id, stored, from_transfers } => write!(
                f,
                "account {account_id}: stored balance/pending debits/pending credits {stored:?} but transfers give {from_transfers:?}"
            ),
        }
    }
}

/// Accumulates accounts and reports violations.
#[derive(Debug, Default)]
pub struct Checker {
    totals: BTreeMap<String, [i128; 3]>,
    violations: Vec<Violation>,
    accounts: u64,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one account against its floor and its transfers.
    pub fn account(&mut self, a: &AccountState, sums: Sums) {
        self.accounts += 1;
        let t = self.totals.entry(a.currency.clone()).or_default();
        t[0] += i128::from(a.balance);
        t[1] += i128::from(a.pending_debits);
        t[2] += i128::from(a.pending_credits);
        let available = i128::from(a.balance) - i128::from(a.pending_debits);
        if !a.allows_overdraft && available < i128::from(a.floor) {
            self.violations.push(Violation::BelowFloor {
                account_id: a.id,
                available: available.to_string(),
                floor: a.floor,
            });
        }
        let explained =
            [sums.posted_credits - sums.posted_debits, sums.pending_debits, sums.pending_credits];
        let stored = [a.balance, a.pending_debits, a.pending_credits];
        if explained != stored.map(i128::from) {
            self.violations.push(Violation::Unexplained {
                account_id: a.id,
                stored,
                from_transfers: explained.map(|v| v.to_string()),
            });
        }
    }

    /// Records an invalid transfer found by a query.
    pub fn invalid_transfer(&mut self, transfer_id: impl Into<String>, reason: impl Into<String>) {
        self.violations.push(Violation::InvalidTransfer {
            transfer_id: transfer_id.into(),
            reason: reason.into(),
        });
    }

    /// Accounts checked so far.
    pub fn accounts(&self) -> u64 {
        self.accounts
    }

    /// Adds the per-currency checks and returns every violation found.
    pub fn finish(mut self) -> Vec<Violation> {
        for (currency, [b, pd, pc]) in std::mem::take(&mut self.totals) {
            if b != 0 || pd != pc {
                self.violations.push(Violation::CurrencyImbalance {
                    currency,
                    balance_sum: b.to_string(),
                    pending_debits: pd.to_string(),
                    pending_credits: pc.to_string(),
                });
            }
        }
        self.violations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acct(id: i64, balance: i64, pd: i64, overdraft: bool) -> AccountState {
        AccountState {
            id,
            currency: "USD".into(),
            balance,
            pending_debits: pd,
            pending_credits: 0,
            floor: 0,
            allows_overdraft: overdraft,
        }
    }

    #[test]
    fn reports_each_kind_of_violation() {
        let mut c = Checker::new();
        c.account(&acct(1, 10, 0, false), Sums { posted_credits: 10, ..Sums::default() });
        c.account(&acct(2, -10, 0, true), Sums { posted_debits: 10, ..Sums::default() });
        assert!(c.finish().is_empty());

        let mut c = Checker::new();
        c.account(
            &acct(1, 10, 15, false),
            Sums { posted_credits: 10, pending_debits: 15, ..Sums::default() },
        );
        c.account(&acct(2, -9, 0, true), Sums { posted_debits: 10, ..Sums::default() });
        c.invalid_transfer("t1", "amount is not positive");
        let v = c.finish();
        assert_eq!(v.len(), 4, "{v:?}");
        assert!(matches!(v[0], Violation::BelowFloor { account_id: 1, .. }));
        assert!(matches!(v[1], Violation::Unexplained { account_id: 2, .. }));
        assert!(matches!(v[2], Violation::InvalidTransfer { .. }));
        assert!(matches!(v[3], Violation::CurrencyImbalance { .. }));
        assert!(v[3].to_string().starts_with("USD: balances sum to 1"));
    }
}
