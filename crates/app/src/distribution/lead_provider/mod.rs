//! The lead-provider API of seed 000, served: an affiliate ("lead provider") gets a token
//! through the OAuth2 password grant, creates lead accounts for an offer and lists its own
//! leads. Its tokens carry their own role claim so they are not CRM tokens, and vice versa.

pub mod accounts;
pub mod auth;

pub use accounts::{
    AccountError, AccountPage, AccountView, CreatedAccount, ListQuery, NewAccount, create_account,
    list_accounts,
};
pub use auth::{GrantError, GrantRequest, Provider, ProviderTokens, grant, verify};

/// The `role` claim of a lead-provider access token. The CRM API only accepts tokens whose
/// role claim is the user's stored role, so a lead-provider token is refused there.
pub const TOKEN_ROLE: &str = "lead_provider";

/// Prefix of the `client_id` stored with a lead-provider refresh token, so the CRM's
/// `/oauth/token` refresh grant (which matches the bare client id) never accepts it.
pub const REFRESH_CLIENT_PREFIX: &str = "lp:";
