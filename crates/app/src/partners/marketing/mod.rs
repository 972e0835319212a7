//! Partners' marketing material: banners in date windows (seed tag Banners), each
//! introducer's grey-label logos (tag Affiliates) shown to its clients (tag Referrers), and
//! the files behind them — images whose type is sniffed from their bytes, at most
//! [`files::MAX_BANNER_BYTES`] / [`files::MAX_LOGO_BYTES`], served by a random token.

pub mod banners;
pub mod files;
pub mod logos;
