//! The SSRF-safe outbound HTTP client for staff-configured destinations (advertiser
//! adapters): a resolver that drops non-public addresses, no redirects, no proxies, and a
//! per-request target check for IP-literal hosts the resolver never sees.

use std::net::SocketAddr;
use std::time::Duration;

use brokercrm_core::platform::net::{is_internal_host_name, is_public_ip};
use brokercrm_core::{Error, Result};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Upper bound on connection set-up, whatever the request time-out.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the guarded client: names resolve only to public addresses (unless
/// `allow_private`), redirects are not followed, environment proxies are ignored (a proxy
/// would resolve names itself), and `default_timeout` bounds every request.
///
/// Callers must still run [`check_target`] on every URL: IP-literal hosts bypass resolution.
pub fn guarded_client(allow_private: bool, default_timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(GuardedResolver { allow_private })
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(default_timeout)
        .connect_timeout(default_timeout.min(CONNECT_TIMEOUT))
        .user_agent(concat!("brokercrm/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::internal(format!("building the outbound HTTP client: {e}")))
}

/// Refuses a URL the guarded client must not be pointed at: a scheme other than `http`/`https`,
/// no host, or (unless `allow_private`) an IP-literal host that is not public or a host name
/// that is internal by its form (`localhost`, `*.internal`...).
pub fn check_target(url: &Url, allow_private: bool) -> Result<()> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::BadRequest("only http and https URLs are allowed".to_owned()));
    }
    let refused = match url.host() {
        None => return Err(Error::BadRequest("the URL must name a host".to_owned())),
        Some(_) if allow_private => false,
        Some(Host::Ipv4(ip)) => !is_public_ip(ip.into()),
        Some(Host::Ipv6(ip)) => !is_public_ip(ip.into()),
        Some(Host::Domain(name)) => is_internal_host_name(name),
    };
    if refused {
        return Err(Error::BadRequest(
            "the URL must not target a loopback, private or internal host".to_owned(),
        ));
    }
    Ok(())
}

/// Resolves through the system resolver and keeps only public addresses.
#[derive(Debug, Clone, Copy)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> =
                found.into_iter().filter(|a| allow_private || is_public_ip(a.ip())).collect();
            if kept.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            let addrs: Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn check_target_refuses_internal_literals_and_other_schemes() {
        for bad in [
            "http://127.0.0.1:8080/x",
            "https://2130706433/",
            "https://[::1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://169.254.169.254/latest",
            "https://localhost/",
            "https://db.internal/",
            "ftp://example.com/",
            "file:///etc/passwd",
        ] {
            assert!(check_target(&url(bad), false).is_err(), "{bad}");
        }
        for good in ["https://api.example.com/v1", "http://8.8.8.8/", "https://[2606:4700::1]/"] {
            assert!(check_target(&url(good), false).is_ok(), "{good}");
        }
        assert!(check_target(&url("http://127.0.0.1:9/"), true).is_ok());
        assert!(check_target(&url("ftp://127.0.0.1/"), true).is_err());
    }

    #[tokio::test]
    async fn resolver_drops_loopback_unless_allowed() {
        let name: Name = "localhost".parse().unwrap();
        assert!(GuardedResolver { allow_private: false }.resolve(name).await.is_err());
        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<_> =
            GuardedResolver { allow_private: true }.resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }

    #[tokio::test]
    async fn guarded_client_cannot_reach_localhost_by_name() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = guarded_client(false, Duration::from_secs(5)).unwrap();
        let err = client.get(format!("http://localhost:{port}/")).send().await.unwrap_err();
        assert!(err.is_connect() || err.is_request(), "{err:?}");
    }
}
