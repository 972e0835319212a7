//! The `offset`/`limit` query parameters shared by list endpoints of our own tags.

use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Rows to return (default 100, at most 500).
    pub limit: Option<u64>,
}

impl PageQuery {
    /// `(offset, limit)` with defaults applied; the use case validates and clamps.
    pub fn get(&self) -> (u64, u64) {
        (self.offset.unwrap_or(0), self.limit.unwrap_or(100))
    }
}

/// `page` (1-based) and `limit` of the wallet lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageNumberQuery {
    /// 1-based page (default 1)
    pub page: Option<u64>,
    /// Per page (default 20, at most 500)
    pub limit: Option<u64>,
}

impl PageNumberQuery {
    /// The validated page.
    pub fn page(&self) -> brokercrm_core::Result<brokercrm_app::money::wallets::Page> {
        brokercrm_app::money::wallets::Page::numbered(self.page, self.limit)
    }
}
