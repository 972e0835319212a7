//! Promotion links (seed 004): tenants and their hashed tokens, creating links through the
//! API, and following a link (the click redirect).

pub mod click;
pub mod create;
pub mod tenants;
pub mod visible;
