//! Outbound integrations of brokercrm behind traits: email providers, SMS and GeoIP lookup.

pub mod email;
pub mod geoip;
pub mod sms;

pub use email::{EmailMessage, EmailProviderConfig, EmailSender, build_sender};
pub use geoip::{GeoIp, MaxMindGeoIp, NoGeoIp};
pub use sms::SmsSender;
