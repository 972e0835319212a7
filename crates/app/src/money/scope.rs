//! Who may see a customer's money, resolved here once for every money use case that names a
//! customer, a wallet or a transaction: a customer sees only their own; staff need the use
//! case's permission and the customer in their customer scope (`identity::scope`: admins,
//! risk and support every customer, a manager the customers of their desk — none without a
//! desk —, an agent their desk's and their own). A customer out of scope answers exactly as
//! an unknown one (usually "not found"), so the API does not confirm that it exists.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::identity::scope::CustomerScope;
use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::scope::customers_in;

use crate::Principal;
use crate::identity::scope::{customer_scope, holds};

/// Whose money a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoneyScope {
    /// A customer (or any non-staff caller): only this user's.
    Own(i64),
    /// Staff: the customers of this scope.
    Customers(CustomerScope),
}

impl MoneyScope {
    /// The scope of `actor`; staff need `perm` (else `Forbidden`).
    pub(crate) async fn of<C: ConnectionTrait>(
        conn: &C,
        actor: &Principal,
        perm: Permission,
    ) -> Result<Self> {
        if !actor.role.is_staff() {
            return Ok(Self::Own(actor.user_id));
        }
        actor.require(perm)?;
        Ok(Self::Customers(customer_scope(conn, actor).await?.ok_or(Error::Forbidden)?))
    }

    /// Whether customer `owner_id`'s money is in this scope.
    pub(crate) async fn holds<C: ConnectionTrait>(&self, conn: &C, owner_id: i64) -> Result<bool> {
        match self {
            Self::Own(me) => Ok(*me == owner_id),
            Self::Customers(s) => holds(conn, s, owner_id).await,
        }
    }

    /// The customers whose money this scope holds, by id (`None`: every customer).
    pub(crate) async fn customers<C: ConnectionTrait>(&self, conn: &C) -> Result<Option<Vec<i64>>> {
        match self {
            Self::Own(me) => Ok(Some(vec![*me])),
            Self::Customers(s) => customers_in(conn, s).await,
        }
    }

    /// For lists: the owners to keep (`None`: every owner).
    pub(crate) fn owners(&self) -> Option<Owners> {
        match *self {
            Self::Own(me) => Some(Owners::One(me)),
            Self::Customers(CustomerScope::All) => None,
            Self::Customers(s) => Some(Owners::Scope(s)),
        }
    }

    /// `Ok` when customer `owner_id`'s money is in this scope, else `out` (the answer an
    /// unknown customer, wallet or transaction gets).
    pub(crate) async fn require<C: ConnectionTrait>(
        &self,
        conn: &C,
        owner_id: i64,
        out: impl FnOnce() -> Error,
    ) -> Result<()> {
        if self.holds(conn, owner_id).await? { Ok(()) } else { Err(out()) }
    }
}

/// The owners a list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owners {
    One(i64),
    Scope(CustomerScope),
}

/// The one check: customer `owner_id`'s money is visible to `actor` (staff: with `perm`), else
/// `out()`.
pub(crate) async fn require_owner<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    owner_id: i64,
    perm: Permission,
    out: impl FnOnce() -> Error,
) -> Result<()> {
    MoneyScope::of(conn, actor, perm).await?.require(conn, owner_id, out).await
}
