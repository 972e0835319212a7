//! Outbound integrations of brokercrm behind traits: advertiser adapters, email providers,
//! payment providers, SMS, web push and GeoIP lookup, and the SSRF-guarded outbound HTTP client.

pub mod advertisers;
pub mod email;
pub mod geoip;
pub mod outbound;
pub mod payments;
pub mod sms;
pub mod sumsub;
pub mod voip;
pub mod webpush;

pub use email::{EmailMessage, EmailProviderConfig, EmailSender, build_sender};
pub use geoip::{GeoIp, MaxMindGeoIp, NoGeoIp};
pub use sms::SmsSender;
