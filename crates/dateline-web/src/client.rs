//! Who is asking: the client's address and whether it came over HTTPS. Forwarding headers
//! are believed only from a configured trusted proxy; anyone else could write them.

use crate::settings::WebSettings;
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

pub(crate) fn in_network(address: IpAddr, (network, prefix): (IpAddr, u8)) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix.min(32))) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix.min(128))) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn trusted(settings: &WebSettings, peer: IpAddr) -> bool {
    settings.trusted_proxies.iter().any(|network| in_network(peer, *network))
}

/// The reader's or editor's address: the peer, or, behind a trusted proxy, the last address
/// in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(settings: &WebSettings, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let peer = peer?.ip();
    if !trusted(settings, peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|a| !trusted(settings, *a)).unwrap_or(peer))
}

/// Whether the request reached the paper over HTTPS, as far as can be trusted.
pub fn is_https(settings: &WebSettings, peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    let behind_trusted_proxy = peer.is_some_and(|p| trusted(settings, p.ip()));
    behind_trusted_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// The address of the TCP peer, when the server recorded it (`into_make_service_with_connect_info`).
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(proxies: &[(&str, u8)]) -> WebSettings {
        WebSettings {
            trusted_proxies: proxies.iter().map(|(a, p)| (a.parse().expect("ip"), *p)).collect(),
            ..WebSettings::default()
        }
    }

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", forwarded.parse().expect("header"));
        headers.insert("x-forwarded-proto", "https".parse().expect("header"));
        headers
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.5:4000".parse().expect("addr");
        let stranger: SocketAddr = "203.0.113.9:4000".parse().expect("addr");
        let trusted = settings(&[("10.0.0.0", 8)]);
        let forged = headers("198.51.100.1, 10.0.0.7");
        assert_eq!(client_address(&trusted, Some(proxy), &forged), "198.51.100.1".parse().ok());
        assert!(is_https(&trusted, Some(proxy), &forged));
        assert_eq!(client_address(&trusted, Some(stranger), &forged), "203.0.113.9".parse().ok());
        assert!(!is_https(&trusted, Some(stranger), &forged));
        assert_eq!(client_address(&settings(&[]), Some(proxy), &forged), "10.0.0.5".parse().ok());
    }
}
