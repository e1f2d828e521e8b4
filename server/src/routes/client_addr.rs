//! The client's address, for sign-in throttling and the audit log.
//!
//! Behind a reverse proxy every request comes from the proxy: its `X-Forwarded-For` is believed
//! only when the peer is one of `PRESSNET_TRUSTED_PROXIES` (CIDR list). The client is then the
//! right-most address of the header that is not itself a trusted proxy (addresses to its left
//! were written by the client and prove nothing).
use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// Parses "10.0.0.0/8, 192.168.1.7" (a bare address is a /32 or /128).
pub fn parse_trusted(spec: &str) -> anyhow::Result<Vec<IpNet>> {
    spec.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!("PRESSNET_TRUSTED_PROXIES: {p:?} is not an address or CIDR")
                })
        })
        .collect()
}

pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// The client's address of a request, as text.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        Ok(ClientAddr(
            resolve(peer, &parts.headers, &state.trusted_proxies).to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1").expect("parse");
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.9, 10.1.1.1".parse().expect("value"),
        );
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let stranger: IpAddr = "198.51.100.1".parse().expect("ip");
        assert_eq!(resolve(proxy, &h, &trusted).to_string(), "203.0.113.9");
        assert_eq!(resolve(stranger, &h, &trusted), stranger);
        assert_eq!(resolve(proxy, &HeaderMap::new(), &trusted), proxy);
        assert!(parse_trusted("nonsense").is_err());
    }
}
