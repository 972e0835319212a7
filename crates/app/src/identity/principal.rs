//! Who is calling: the authenticated principal and its permission checks.

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::{Error, Result};

/// How the principal authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A JWT access token from a session or OAuth.
    Session,
    /// An integration API key.
    ApiKey,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Internal numeric user id (also the seed's `accountId`).
    pub user_id: i64,
    /// Public user id (UUID).
    pub user_uuid: String,
    pub email: String,
    pub role: Role,
    pub method: AuthMethod,
    /// Set when an admin acts as a customer through "Impersonate a customer".
    pub impersonated_by: Option<i64>,
}

impl Principal {
    /// Fails with `Forbidden` unless the role grants `p`.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.role.can(p) { Ok(()) } else { Err(Error::Forbidden) }
    }

    /// Fails with `Forbidden` unless the caller is back-office staff.
    pub fn require_staff(&self) -> Result<()> {
        if self.role.is_staff() { Ok(()) } else { Err(Error::Forbidden) }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Refuses `action` (e.g. "request a withdrawal") to an impersonation token with a 403 that
    /// says so. The one check every use case that an impersonating staff member must not take
    /// calls: changing the e-mail or password, withdrawals, transfers, API keys.
    pub fn forbid_impersonation(&self, action: &str) -> Result<()> {
        match self.impersonated_by {
            Some(_) => {
                Err(Error::Refused(format!("not allowed with an impersonation token: {action}")))
            }
            None => Ok(()),
        }
    }
}
