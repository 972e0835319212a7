//! Messaging: e-mail templates, inbox messages, group messages.

pub mod email_templates;
pub mod group_messages;
pub mod messages;
