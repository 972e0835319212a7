//! Partners: IB commission models, the commission rules of the engine, promotion links.

pub mod accrual;
pub mod commissions;
pub mod promo_links;
