//! Country of an IP address from a local MaxMind database (GeoLite2/GeoIP2 Country or City).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use brokercrm_core::{Error, Result};
use maxminddb::{PathElement, Reader};

/// Looks up the ISO 3166-1 alpha-2 country (upper case) of an address; `None` when unknown.
pub trait GeoIp: Send + Sync {
    fn country(&self, ip: IpAddr) -> Option<String>;
}

/// No database configured: every lookup is `None`.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoGeoIp;

impl GeoIp for NoGeoIp {
    fn country(&self, _ip: IpAddr) -> Option<String> {
        None
    }
}

/// A `.mmdb` file loaded into memory (GeoLite2-Country is ~10 MB). No network access.
/// Private, loopback, link-local and other non-public addresses are `None` without a lookup.
pub struct MaxMindGeoIp {
    reader: Reader<Vec<u8>>,
}

impl MaxMindGeoIp {
    /// Reads and checks the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let reader = Reader::open_readfile(path)
            .map_err(|e| Error::internal(format!("geoip: cannot open {}: {e}", path.display())))?;
        Ok(Self { reader })
    }

    /// From the bytes of a `.mmdb` file (e.g. embedded or fetched by the caller).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        let reader = Reader::from_source(bytes)
            .map_err(|e| Error::internal(format!("geoip: invalid database: {e}")))?;
        Ok(Self { reader })
    }

    /// The database's type, e.g. `GeoLite2-Country`.
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    fn lookup(&self, ip: IpAddr, field: &str) -> Option<String> {
        let found = self.reader.lookup(ip).ok()?;
        let path = [PathElement::Key(field), PathElement::Key("iso_code")];
        let code: String = found.decode_path(&path).ok()??;
        let code = code.to_ascii_uppercase();
        (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then_some(code)
    }
}

impl GeoIp for MaxMindGeoIp {
    fn country(&self, ip: IpAddr) -> Option<String> {
        if !is_public(ip) {
            return None;
        }
        // `::ffff:a.b.c.d` (dual-stack sockets) is looked up as the IPv4 address it carries.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        // Anycast and some satellite ranges only carry the registered country.
        self.lookup(ip, "country").or_else(|| self.lookup(ip, "registered_country"))
    }
}

/// Whether `ip` is a globally routable unicast address worth locating.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || (a == 100 && (b & 0xc0) == 64))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s0 = ip.segments()[0];
    let s1 = ip.segments()[1];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s0 & 0xfe00) == 0xfc00
        || (s0 & 0xffc0) == 0xfe80
        || (s0 == 0x2001 && s1 == 0x0db8))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn s(out: &mut Vec<u8>, text: &str) {
        out.push(0x40 | text.len() as u8);
        out.extend_from_slice(text.as_bytes());
    }

    /// A minimal valid IPv4 MMDB (one node, both halves pointing at the same record) whose
    /// every address is in country `code`.
    fn tiny_mmdb(code: &str) -> Vec<u8> {
        let mut db = vec![0, 0, 17, 0, 0, 17]; // node 0: records = node_count + 16 + offset 0
        db.extend([0u8; 16]);
        db.push(0xe1);
        s(&mut db, "country");
        db.push(0xe1);
        s(&mut db, "iso_code");
        s(&mut db, code);
        db.extend_from_slice(b"\xab\xcd\xefMaxMind.com");
        db.push(0xe9);
        s(&mut db, "binary_format_major_version");
        db.extend([0xa1, 2]);
        s(&mut db, "binary_format_minor_version");
        db.push(0xa0);
        s(&mut db, "build_epoch");
        db.extend([0x00, 0x02]); // uint64 0
        s(&mut db, "database_type");
        s(&mut db, "Test-Country");
        s(&mut db, "description");
        db.push(0xe0);
        s(&mut db, "ip_version");
        db.extend([0xa1, 4]);
        s(&mut db, "languages");
        db.extend([0x00, 0x04]); // empty array
        s(&mut db, "node_count");
        db.extend([0xc1, 1]);
        s(&mut db, "record_size");
        db.extend([0xa1, 24]);
        db
    }

    #[test]
    fn missing_file_is_an_error() {
        let err = MaxMindGeoIp::open("/nonexistent/GeoLite2-Country.mmdb").err().unwrap();
        assert!(matches!(err, Error::Internal(ref m) if m.contains("cannot open")), "{err:?}");
        assert!(MaxMindGeoIp::from_bytes(b"not a database".to_vec()).is_err());
    }

    #[test]
    fn looks_up_public_addresses_only() {
        let geo = MaxMindGeoIp::from_bytes(tiny_mmdb("de")).unwrap();
        assert_eq!(geo.database_type(), "Test-Country");
        assert_eq!(geo.country("8.8.8.8".parse().unwrap()).as_deref(), Some("DE"));
        assert_eq!(geo.country("::ffff:8.8.8.8".parse().unwrap()).as_deref(), Some("DE"));
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "0.0.0.0",
        ] {
            assert_eq!(geo.country(private.parse().unwrap()), None, "{private}");
        }
        assert_eq!(NoGeoIp.country("8.8.8.8".parse().unwrap()), None);
    }
}
