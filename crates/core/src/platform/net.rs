//! Network address classification for SSRF guards: which IP addresses and host names are
//! public destinations an outbound request may reach. Pure: no resolution, no IO.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Host-name suffixes that only ever name internal machines.
const INTERNAL_SUFFIXES: [&str; 7] =
    [".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa"];

/// Whether `ip` is a globally routable unicast address: not loopback, private, link-local,
/// shared (CGNAT), unspecified, broadcast, documentation, multicast, benchmarking, reserved,
/// IPv6 unique-local, and not an IPv4-mapped/compatible, NAT64 or 6to4 form of such an address.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

/// Whether a host name (not an IP literal) names an internal machine by its form alone: a
/// single label (`intranet`, `localhost`) or a reserved internal suffix (`.local`, `.internal`).
/// A public-looking name may still resolve to a private address: resolvers must check that.
pub fn is_internal_host_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    !host.contains('.') || INTERNAL_SUFFIXES.iter().any(|suffix| host.ends_with(suffix))
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let internal = ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0 // "this network"
        || a >= 240 // reserved
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT) 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments 192.0.0/24
        || (a == 198 && (b == 18 || b == 19)); // benchmarking 198.18/15
    !internal
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    let [s0, s1, s2, s3, s4, s5, s6, s7] = segments;
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, incl. :: and ::1).
    if let Some(v4) = ip.to_ipv4() {
        return is_public_v4(v4);
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if [s0, s1, s2, s3, s4, s5] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s6, s7));
    }
    // 6to4 2002::/16 reaches the IPv4 address in bits 16..48.
    if s0 == 0x2002 {
        return is_public_v4(embedded_v4(s1, s2));
    }
    // Only 2000::/3 is global unicast; that excludes ULA fc00::/7, link-local fe80::/10,
    // site-local, multicast ff00::/8, the discard prefix and the rest of the reserved space.
    let global_unicast = (s0 & 0xe000) == 0x2000;
    let documentation = s0 == 0x2001 && s1 == 0x0db8; // 2001:db8::/32
    let benchmarking = s0 == 0x2001 && s1 == 0x0002 && s2 == 0; // 2001:2::/48
    let teredo = s0 == 0x2001 && s1 == 0; // 2001::/32 (hides an IPv4 address)
    global_unicast && !documentation && !benchmarking && !teredo
}

fn embedded_v4(hi: u16, lo: u16) -> Ipv4Addr {
    let ([a, b], [c, d]) = (hi.to_be_bytes(), lo.to_be_bytes());
    Ipv4Addr::new(a, b, c, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        s.parse::<IpAddr>().map(is_public_ip).unwrap_or(true)
    }

    #[test]
    fn refuses_internal_ipv4() {
        for ip in [
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "198.18.0.1",
            "198.19.255.255",
        ] {
            assert!(!public(ip), "{ip} must not be public");
        }
    }

    #[test]
    fn refuses_internal_ipv6_and_embedded_ipv4() {
        for ip in [
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "ff02::1",
            "2001:db8::1",
            "2001:2::1",
            "2001:0:4136:e378::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::10.0.0.1",
            "2002:7f00:1::1",
            "100::1",
        ] {
            assert!(!public(ip), "{ip} must not be public");
        }
    }

    #[test]
    fn accepts_public_addresses() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "198.17.0.1",
            "198.20.0.1",
            "2001:4860::8888",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert!(public(ip), "{ip} must be public");
        }
    }

    #[test]
    fn classifies_internal_host_names() {
        for host in ["localhost", "intranet", "db.internal", "printer.local", "a.localhost."] {
            assert!(is_internal_host_name(host), "{host}");
        }
        for host in ["api.example.com", "crm.broker.io", "Example.COM."] {
            assert!(!is_internal_host_name(host), "{host}");
        }
    }
}
