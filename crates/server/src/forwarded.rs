//! The caller's real address behind a reverse proxy. By default the address is the TCP
//! peer's, so nobody can pick their own address (and so their own login-rate budget) by
//! sending `X-Forwarded-For`. When the peer is one of the configured trusted proxies, the
//! address is taken from `X-Forwarded-For`, read from the right: the first entry that is not
//! itself a trusted proxy is the client, since everything left of it was written by the
//! client and cannot be believed.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The proxies whose `X-Forwarded-For` is believed (addresses or CIDR networks).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    /// Parses a comma-separated list such as `127.0.0.1, 10.0.0.0/8, ::1`.
    pub fn parse(list: &str) -> Result<Self, String> {
        let nets = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                IpNet::from_str(s)
                    .or_else(|_| IpAddr::from_str(s).map(IpNet::from))
                    .map_err(|_| format!("`{s}` is neither an IP address nor a CIDR network"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(Arc::new(nets)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request that arrived from `peer` with `headers`.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        // A dual-stack listener sees IPv4 callers as `::ffff:a.b.c.d`.
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Several headers count as one list, in order.
        let hops = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                // A garbled entry: the last proxy that wrote a readable one is as far as
                // the chain can be followed.
                None => break,
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`), made canonical.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(hop) {
        return Some(ip.to_canonical());
    }
    SocketAddr::from_str(hop)
        .ok()
        .map(|s| s.ip().to_canonical())
}

/// Middleware: replaces the peer address every handler sees (`ConnectInfo`) with the
/// client's, when the request came through a trusted proxy.
pub async fn real_client(proxies: TrustedProxies, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let ip = proxies.client_of(peer.ip(), req.headers());
        if ip != peer.ip() {
            // Also when only made canonical: one caller, one address, one budget.
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::new(ip, peer.port())));
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        IpAddr::from_str(s).unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(FORWARDED_FOR, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_header_counts_only_when_the_peer_is_a_trusted_proxy() -> Result<(), String> {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8")?;
        let spoofed = forwarded(&["203.0.113.9"]);
        assert_eq!(
            proxies.client_of(ip("198.51.100.1"), &spoofed),
            ip("198.51.100.1")
        );
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &spoofed),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client_of(ip("127.0.0.1"), &spoofed),
            ip("127.0.0.1")
        );
        Ok(())
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() -> Result<(), String> {
        let proxies = TrustedProxies::parse("127.0.0.1,10.0.0.0/8")?;
        // The client claimed 1.1.1.1; the edge proxy saw 203.0.113.9; an inner proxy 10.0.0.2.
        let chain = forwarded(&["1.1.1.1, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &chain),
            ip("203.0.113.9")
        );
        let all_trusted = forwarded(&["10.0.0.3, 10.0.0.2"]);
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &all_trusted),
            ip("10.0.0.3")
        );
        let garbled = forwarded(&["203.0.113.9, nonsense, 10.0.0.2"]);
        assert_eq!(proxies.client_of(ip("127.0.0.1"), &garbled), ip("10.0.0.2"));
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        Ok(())
    }

    #[test]
    fn mapped_addresses_and_ports_are_read_as_plain_addresses() -> Result<(), String> {
        let proxies = TrustedProxies::parse("127.0.0.1")?;
        let chain = forwarded(&["203.0.113.9:5678"]);
        assert_eq!(
            proxies.client_of(ip("::ffff:127.0.0.1"), &chain),
            ip("203.0.113.9")
        );
        let v6 = forwarded(&["[2001:db8::1]:443"]);
        assert_eq!(proxies.client_of(ip("127.0.0.1"), &v6), ip("2001:db8::1"));
        let mapped = forwarded(&["::ffff:198.51.100.7"]);
        assert_eq!(
            proxies.client_of(ip("127.0.0.1"), &mapped),
            ip("198.51.100.7")
        );
        let direct = TrustedProxies::default();
        assert_eq!(
            direct.client_of(ip("::ffff:198.51.100.7"), &HeaderMap::new()),
            ip("198.51.100.7")
        );
        Ok(())
    }

    #[test]
    fn the_list_names_addresses_and_networks() {
        assert!(TrustedProxies::parse("").is_ok_and(|p| p.is_empty()));
        assert!(TrustedProxies::parse("::1, fd00::/8, 192.168.0.0/16").is_ok());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }
}
