//! Messaging: e-mail templates and triggers, the inbox, staff messages and the fan-out.

pub mod bench;
pub mod emails;
pub mod event_triggers;
pub mod messages;
pub mod push;
