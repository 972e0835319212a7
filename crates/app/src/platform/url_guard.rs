//! SSRF guard for outbound destinations configured by staff (adapter URLs, provider API
//! bases): `https` only and no loopback, private, link-local or otherwise internal hosts —
//! unless the deployment sets `allow_private_outbound` (tests, on-premise providers), which
//! also admits plain `http`.
//!
//! The check is on the configured text (IP literals in any notation the URL parser accepts,
//! and internal host names). A name that later resolves to a private address is the
//! outbound client's to refuse at connect time.

use std::net::IpAddr;

use brokercrm_core::platform::net::{is_internal_host_name, is_public_ip};
use brokercrm_core::{Error, Result};
use url::{Host, Url};

use crate::App;

/// Validates an absolute outbound URL; returns it trimmed.
pub fn check_url(app: &App, field: &str, raw: &str) -> Result<String> {
    check_url_with(app.cfg().allow_private_outbound, field, raw)
}

/// Validates a `host` or `host:port` destination (non-HTTP protocols such as MT5).
pub fn check_host_port(app: &App, field: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    // Parse through the URL parser so IP notations are normalised the same way.
    let url = Url::parse(&format!("tcp://{s}"))
        .map_err(|_| Error::field(field, "must be host or host:port"))?;
    let ok = url.path().is_empty()
        && url.query().is_none()
        && url.username().is_empty()
        && url.host().is_some();
    if !ok {
        return Err(Error::field(field, "must be host or host:port"));
    }
    if let Some(host) = url.host_str() {
        check_host(app.cfg().allow_private_outbound, field, host)?;
    }
    Ok(s.to_owned())
}

fn check_url_with(allow_private: bool, field: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    let url = Url::parse(s).map_err(|_| Error::field(field, "must be an absolute URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err(Error::field(field, "must use https")),
        _ => return Err(Error::field(field, "must be an https URL")),
    }
    let host = match url.host() {
        Some(Host::Domain(d)) => d.to_owned(),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(Error::field(field, "must name a host")),
    };
    check_host(allow_private, field, &host)?;
    Ok(s.to_owned())
}

fn check_host(allow_private: bool, field: &str, host: &str) -> Result<()> {
    if allow_private {
        return Ok(());
    }
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let internal = match host.parse::<IpAddr>() {
        Ok(ip) => !is_public_ip(ip),
        Err(_) => is_internal_host_name(&host),
    };
    if internal {
        return Err(Error::field(field, "must not target a loopback, private or internal host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_internal_targets_unless_allowed() {
        for bad in [
            "http://example.com",
            "ftp://example.com",
            "https://localhost/x",
            "https://127.0.0.1",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://10.1.2.3",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[fd00::1]/",
            "https://intranet/",
            "https://db.internal/",
            "https://100.64.0.1/",
            "not a url",
        ] {
            assert!(check_url_with(false, "url", bad).is_err(), "{bad}");
        }
        for good in ["https://api.example.com/v1", "https://8.8.8.8/", "https://[2001:4860::8888]/"]
        {
            assert!(check_url_with(false, "url", good).is_ok(), "{good}");
        }
        assert!(check_url_with(true, "url", "http://127.0.0.1:8080/x").is_ok());
        assert!(check_url_with(true, "url", "ftp://127.0.0.1/").is_err());
    }
}
