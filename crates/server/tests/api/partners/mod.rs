//! Partners: IB and affiliate commission models (the commission engine next).

pub mod commission_models;
