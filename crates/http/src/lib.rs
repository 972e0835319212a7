//! HTTP surfaces of brokercrm: axum routers per API surface, DTOs, OpenAPI and the mapping of
//! the one internal error type to each surface's wire shape.

pub mod affiliate_v2;
pub mod auto_login;
pub mod crm;
pub mod error;
pub mod extract;
pub mod headers;
pub mod lead_provider;
pub mod oauth;
pub mod openapi;
pub mod paging;
pub mod postback;
pub mod promo_links;
pub mod retail;
pub mod router;

pub use router::{HttpConfig, build_router, metrics_router};
