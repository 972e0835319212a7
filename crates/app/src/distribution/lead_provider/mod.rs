//! The lead-provider API of seed 000, served: an affiliate ("lead provider") gets a token
//! through the OAuth2 password grant, creates lead accounts for an offer and lists its own
//! leads. Its tokens carry their own role claim so they are not CRM tokens, and vice versa.

pub mod accounts;
pub mod auth;
pub mod fields;

pub use accounts::{
    AccountError, AccountPage, AccountView, CreatedAccount, ListQuery, NewAccount, create_account,
    list_accounts,
};
pub use auth::{
    GrantError, GrantRequest, Provider, ProviderTokens, REFRESH_CLIENT_PREFIX, TOKEN_ROLE, grant,
    verify,
};
pub use fields::{RegisterField, default_offer, register_fields};
