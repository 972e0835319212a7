//! Messaging: e-mail templates and their triggers (rendered and sent as jobs), the client's
//! inbox, staff sending messages to one, several or all customers and to a trading group's
//! customers (one fan-out job in batches).

pub mod delivery;
pub mod fanout;
pub mod hooks;
pub mod inbox;
pub mod push;
pub mod render;
pub mod send;
pub mod templates;
