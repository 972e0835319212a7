//! Messaging: e-mail templates, inbox messages, group messages, web-push subscriptions.

pub mod email_templates;
pub mod group_messages;
pub mod messages;
pub mod push_subscriptions;
