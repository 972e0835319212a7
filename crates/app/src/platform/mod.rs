//! Platform: the plumbing every context stands on.

pub mod activities;
pub mod adapters;
pub mod after_commit;
pub mod audit;
pub mod backoff;
pub mod cached;
pub mod clock;
pub mod countries;
pub mod crypto;
pub mod email;
pub mod events;
pub mod exports;
pub mod files;
pub mod group_commit;
pub mod jobs;
pub mod links;
pub mod mask;
pub mod ratelimit;
pub mod recaptcha;
pub mod retry;
pub mod settings;
pub mod streams;
pub mod url_guard;
