//! The double-entry ledger's pure rules: account kinds and keys, transfer codes and states,
//! validation of a transfer, the idempotency comparison and a reference model of the
//! invariants. No IO: `store` persists accounts and transfers, `app` runs the use cases.
//!
//! Sign convention: an account's `balance` is its posted credits minus its posted debits, so a
//! wallet's balance is what the broker owes the client and a house account is usually negative
//! (cash clearing holds the other side of every deposit). Every transfer moves one amount from
//! its debit account to its credit account, so per currency all balances sum to zero.

macro_rules! wire_code {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The wire and storage name.
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            /// Parses the wire name; an unknown one is a validation error on `field`.
            pub fn parse(field: &str, s: &str) -> $crate::Result<Self> {
                match s { $($s => Ok($name::$var),)+ _ => Err($crate::Error::field(
                    field, format!("must be one of: {}", [$($s),+].join(", ")))) }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod account;
pub mod idempotency;
pub mod model;
pub mod transfer;
pub mod verify;

#[cfg(test)]
mod proptests;

pub use account::{AccountKey, AccountKind, AccountOwner, DEMO_PROVIDER, LIMIT, Policy};
pub use idempotency::{Replay, compare_replay};
pub use transfer::{
    NewTransfer, Resolution, ResolveTransfer, TransferCode, TransferId, TransferKind, TransferState,
};
