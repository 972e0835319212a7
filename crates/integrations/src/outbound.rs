//! The one outbound HTTP client of brokercrm ([`OutboundClient`]): every call to a third
//! party (advertiser adapters, payouts, e-mail providers, VoIP, reCAPTCHA...) goes through it.
//! Host names resolve only to public addresses (checked at connect time, so a name that later
//! resolves to loopback or a metadata address is refused), IP-literal hosts are checked per
//! request before anything is sent, redirects are never followed (a 3xx is returned to the
//! caller as is, so credentials are never re-sent to another host), environment proxies are
//! ignored, and every request has a time-out.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::platform::net::{is_internal_host_name, is_public_ip};
use brokercrm_core::{Error, Result};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Method, RequestBuilder};
use url::{Host, Url};

/// Upper bound on connection set-up, whatever the request time-out.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Request time-out when a caller sets none tighter.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The guarded client. Cheap to clone (one connection pool). The only way to a request is
/// [`OutboundClient::request`] (or its `get`/`post` shorthands), which runs [`check_target`]
/// first, so no caller can forget it.
#[derive(Clone)]
pub struct OutboundClient {
    http: reqwest::Client,
    allow_private: bool,
}

impl std::fmt::Debug for OutboundClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboundClient").field("allow_private", &self.allow_private).finish()
    }
}

impl OutboundClient {
    /// The production client: names resolve through the system resolver; loopback, private,
    /// link-local and other non-public targets are refused unless `allow_private`.
    pub fn new(allow_private: bool, default_timeout: Duration) -> Result<Self> {
        Self::with_static_hosts(allow_private, default_timeout, [])
    }

    /// Like [`new`](Self::new), but the names in `hosts` resolve to the given addresses
    /// without asking the system resolver (like `/etc/hosts`). The addresses are filtered
    /// like any resolved address. Tests use it to point a name at loopback.
    pub fn with_static_hosts(
        allow_private: bool,
        default_timeout: Duration,
        hosts: impl IntoIterator<Item = (String, IpAddr)>,
    ) -> Result<Self> {
        let mut table: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for (name, ip) in hosts {
            table.entry(name.to_ascii_lowercase()).or_default().push(ip);
        }
        let resolver = GuardedResolver { allow_private, hosts: Arc::new(table) };
        let http = reqwest::Client::builder()
            .dns_resolver(resolver)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(default_timeout)
            .connect_timeout(default_timeout.min(CONNECT_TIMEOUT))
            .user_agent(concat!("brokercrm/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::internal(format!("building the outbound HTTP client: {e}")))?;
        Ok(Self { http, allow_private })
    }

    /// Whether loopback and private targets are allowed (`allow_private_outbound`).
    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    /// A request to `url` once it passes [`check_target`]; `Err(Error::BadRequest)` naming
    /// why otherwise (nothing is sent).
    pub fn request(&self, method: Method, url: impl AsRef<str>) -> Result<RequestBuilder> {
        let url = Url::parse(url.as_ref())
            .map_err(|_| Error::BadRequest("the outbound URL is not valid".to_owned()))?;
        check_target(&url, self.allow_private)?;
        Ok(self.http.request(method, url))
    }

    /// `GET url`, checked.
    pub fn get(&self, url: impl AsRef<str>) -> Result<RequestBuilder> {
        self.request(Method::GET, url)
    }

    /// `POST url`, checked.
    pub fn post(&self, url: impl AsRef<str>) -> Result<RequestBuilder> {
        self.request(Method::POST, url)
    }
}

/// A client that may reach loopback, for unit tests against local mock servers.
#[cfg(test)]
#[allow(clippy::expect_used)]
pub(crate) fn open_client() -> OutboundClient {
    OutboundClient::new(true, DEFAULT_TIMEOUT).expect("client")
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

/// Resolves through the static table or the system resolver and keeps only public addresses.
#[derive(Debug, Clone)]
struct GuardedResolver {
    allow_private: bool,
    hosts: Arc<HashMap<String, Vec<IpAddr>>>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let fixed = self.hosts.get(&host).cloned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = match fixed {
                Some(ips) => ips.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect(),
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            let kept: Vec<SocketAddr> =
                found.into_iter().filter(|a| allow_private || is_public_ip(a.ip())).collect();
            if kept.is_empty() {
                tracing::warn!(host = %host, "outbound call refused: no public address");
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

    fn resolver(allow_private: bool) -> GuardedResolver {
        GuardedResolver { allow_private, hosts: Arc::new(HashMap::new()) }
    }

    #[tokio::test]
    async fn resolver_drops_loopback_unless_allowed() {
        let name: Name = "localhost".parse().unwrap();
        assert!(resolver(false).resolve(name).await.is_err());
        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<_> = resolver(true).resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }

    /// A listener that counts the connections it accepts (and answers nothing useful).
    async fn counting_listener() -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                drop(stream);
            }
        });
        (port, count)
    }

    #[tokio::test]
    async fn a_public_looking_name_resolving_to_loopback_is_refused_at_connect_time() {
        let (port, count) = counting_listener().await;
        let name = "api.payments-provider.example.com";
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let url = format!("http://{name}:{port}/v1");
        // The name passes the per-request check: only its address is internal.
        assert!(check_target(&Url::parse(&url).unwrap(), false).is_ok());
        let guarded = OutboundClient::with_static_hosts(
            false,
            Duration::from_secs(5),
            [(name.to_owned(), loopback)],
        )
        .unwrap();
        let err = guarded.post(&url).unwrap().send().await.unwrap_err();
        assert!(err.is_connect() || err.is_request(), "{err:?}");
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing connected");
        // With private targets allowed the same name is reached: the test can fail.
        let open = OutboundClient::with_static_hosts(
            true,
            Duration::from_secs(5),
            [(name.to_owned(), loopback)],
        )
        .unwrap();
        let _ = open.post(&url).unwrap().send().await;
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn ip_literals_are_refused_before_sending() {
        let (port, count) = counting_listener().await;
        let guarded = OutboundClient::new(false, Duration::from_secs(5)).unwrap();
        for url in [
            format!("http://127.0.0.1:{port}/"),
            format!("http://[::ffff:127.0.0.1]:{port}/"),
            format!("http://0x7f.1:{port}/"),
            "http://169.254.169.254/latest/meta-data/".to_owned(),
        ] {
            assert!(matches!(guarded.get(&url), Err(Error::BadRequest(_))), "{url}");
        }
        assert!(guarded.get("not a url").is_err());
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn redirects_are_returned_not_followed() {
        let (port, count) = counting_listener().await;
        let first = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let first_port = first.local_addr().unwrap().port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            if let Ok((mut s, _)) = first.accept().await {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/latest/meta-data/\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = s.write_all(reply.as_bytes()).await;
            }
        });
        let client = OutboundClient::new(true, Duration::from_secs(5)).unwrap();
        let resp = client
            .get(format!("http://127.0.0.1:{first_port}/"))
            .unwrap()
            .bearer_auth("secret-key")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 302);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 0, "redirect not followed");
    }
}
