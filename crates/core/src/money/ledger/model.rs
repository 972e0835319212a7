//! A reference model of the ledger in memory: the same rules as the stored ledger, applied to
//! maps. Property tests drive it (and the database) with random operation sequences and check
//! the invariants with [`Ledger::violations`].

use std::collections::BTreeMap;

use crate::money::ledger::account::{LIMIT, Policy};
use crate::money::ledger::idempotency::compare_replay;
use crate::money::ledger::transfer::{
    NewTransfer, ResolveTransfer, TransferId, TransferKind, TransferState, already_resolved,
    beyond_limit, insufficient_funds, mixed_books,
};
use crate::money::ledger::verify::{AccountState, Checker, Sums, Violation};
use crate::{Currency, Error, Money, Result};

/// An account's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub currency: Currency,
    /// In the demo book (play money): never meets an account of the real book.
    pub demo: bool,
    pub policy: Policy,
    pub balance: i64,
    pub pending_debits: i64,
    pub pending_credits: i64,
}

impl Account {
    /// Balance minus pending debits: what may still be spent.
    pub fn available(&self) -> i64 {
        self.balance - self.pending_debits
    }
}

/// A stored transfer row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: TransferId,
    pub kind: TransferKind,
    pub debit: i64,
    pub credit: i64,
    pub amount: i64,
    pub currency: Currency,
    pub state: TransferState,
    pub pending_id: Option<TransferId>,
    pub fingerprint: String,
}

/// The whole ledger.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub accounts: BTreeMap<i64, Account>,
    pub transfers: BTreeMap<TransferId, Transfer>,
}

impl Ledger {
    /// Opens account `id`.
    pub fn open(&mut self, id: i64, currency: Currency, policy: Policy) {
        let a = Account {
            currency,
            demo: false,
            policy,
            balance: 0,
            pending_debits: 0,
            pending_credits: 0,
        };
        self.accounts.entry(id).or_insert(a);
    }

    fn replay(&self, id: &TransferId, fingerprint: &str) -> Result<Option<Transfer>> {
        match self.transfers.get(id) {
            Some(t) => compare_replay(&t.fingerprint, fingerprint).map(|_| Some(t.clone())),
            None => Ok(None),
        }
    }

    /// Applies a new transfer; returns the stored row and whether it was a replay.
    pub fn apply(&mut self, t: &NewTransfer) -> Result<(Transfer, bool)> {
        t.validate()?;
        let fp = t.fingerprint();
        if let Some(row) = self.replay(&t.id, &fp)? {
            return Ok((row, true));
        }
        let (d, c) =
            match (self.accounts.get(&t.debit_account_id), self.accounts.get(&t.credit_account_id))
            {
                (Some(d), Some(c)) => (d.clone(), c.clone()),
                _ => return Err(Error::NotFound("ledger account")),
            };
        t.check_currencies(d.currency, c.currency)?;
        if d.demo != c.demo {
            return Err(mixed_books());
        }
        let amt = t.amount.minor();
        let pd = Money::from_minor(d.pending_debits);
        if !d.policy.allows_debit(Money::from_minor(d.balance), pd, t.amount) {
            return Err(insufficient_funds());
        }
        let debit_ok = d.balance - d.pending_debits >= amt - LIMIT
            && (!t.pending || d.pending_debits <= LIMIT - amt);
        let credit_ok = c.balance + c.pending_credits <= LIMIT - amt
            && (!t.pending || c.pending_credits <= LIMIT - amt);
        if !debit_ok || !credit_ok {
            return Err(beyond_limit());
        }
        let (state, kind) = if t.pending {
            (TransferState::Pending, TransferKind::Pending)
        } else {
            (TransferState::Posted, TransferKind::Single)
        };
        for (id, debit) in [(t.debit_account_id, true), (t.credit_account_id, false)] {
            if let Some(a) = self.accounts.get_mut(&id) {
                match (t.pending, debit) {
                    (true, true) => a.pending_debits += amt,
                    (true, false) => a.pending_credits += amt,
                    (false, true) => a.balance -= amt,
                    (false, false) => a.balance += amt,
                }
            }
        }
        let row = Transfer {
            id: t.id.clone(),
            kind,
            debit: t.debit_account_id,
            credit: t.credit_account_id,
            amount: amt,
            currency: t.currency,
            state,
            pending_id: None,
            fingerprint: fp,
        };
        self.transfers.insert(t.id.clone(), row.clone());
        Ok((row, false))
    }

    /// Posts or voids a pending transfer; returns the resolving row and whether it was a replay.
    pub fn resolve(&mut self, r: &ResolveTransfer) -> Result<(Transfer, bool)> {
        r.validate()?;
        let fp = r.fingerprint();
        if let Some(row) = self.replay(&r.id, &fp)? {
            return Ok((row, true));
        }
        let pending = match self.transfers.get(&r.pending_id) {
            Some(p) if p.kind == TransferKind::Pending => p.clone(),
            Some(_) => return Err(Error::field("pendingId", "is not a pending transfer")),
            None => return Err(Error::NotFound("transfer")),
        };
        if pending.state != TransferState::Pending {
            return Err(already_resolved(pending.state));
        }
        let moved = r.amount_of(Money::from_minor(pending.amount))?.minor();
        let post = matches!(r.kind(), TransferKind::PostPending);
        if let Some(a) = self.accounts.get_mut(&pending.debit) {
            a.pending_debits -= pending.amount;
            if post {
                a.balance -= moved;
            }
        }
        if let Some(a) = self.accounts.get_mut(&pending.credit) {
            a.pending_credits -= pending.amount;
            if post {
                a.balance += moved;
            }
        }
        if let Some(p) = self.transfers.get_mut(&r.pending_id) {
            p.state = r.target_state();
        }
        let row = Transfer {
            id: r.id.clone(),
            kind: r.kind(),
            debit: pending.debit,
            credit: pending.credit,
            amount: moved,
            currency: pending.currency,
            state: r.target_state(),
            pending_id: Some(r.pending_id.clone()),
            fingerprint: fp,
        };
        self.transfers.insert(r.id.clone(), row.clone());
        Ok((row, false))
    }

    /// Every broken invariant; empty when the ledger is sound.
    pub fn violations(&self) -> Vec<Violation> {
        let mut checker = Checker::new();
        let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
        for t in self.transfers.values() {
            let (d, c) = (self.accounts.get(&t.debit), self.accounts.get(&t.credit));
            let same =
                d.zip(c).is_some_and(|(d, c)| d.currency == t.currency && c.currency == t.currency);
            if t.amount <= 0 || t.debit == t.credit || !same {
                checker.invalid_transfer(t.id.as_str(), "unbalanced or invalid");
            }
            let a = i128::from(t.amount);
            if t.kind.moves_posted() {
                sums.entry(t.debit).or_default().posted_debits += a;
                sums.entry(t.credit).or_default().posted_credits += a;
            }
            if t.kind == TransferKind::Pending && t.state == TransferState::Pending {
                sums.entry(t.debit).or_default().pending_debits += a;
                sums.entry(t.credit).or_default().pending_credits += a;
            }
        }
        for (id, a) in &self.accounts {
            let state = AccountState {
                id: *id,
                currency: a.currency.as_str().to_owned(),
                balance: a.balance,
                pending_debits: a.pending_debits,
                pending_credits: a.pending_credits,
                floor: a.policy.floor.minor(),
                allows_overdraft: a.policy.allows_overdraft,
            };
            checker.account(&state, sums.get(id).copied().unwrap_or_default());
        }
        checker.finish()
    }
}
