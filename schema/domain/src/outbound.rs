//! Outbound HTTP targets (webhooks, push endpoints, outlets' feeds): a URL a client registers is
//! a request pressnet will make from inside the province's network, so targets on loopback,
//! private, link-local and other non-public addresses are refused unless
//! `PRESSNET_ALLOW_PRIVATE_TARGETS=1` (tests, intranets).
//!
//! Refused twice: at registration (`check`, which resolves the name), and at connect time
//! (`client`'s resolver), because a name that resolved to a public address at registration may
//! resolve to 127.0.0.1 later (DNS rebinding). A URL with an IP literal never reaches a
//! resolver, so `check_literal` is asked before each request too.
use crate::error::{AppError, AppResult};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// How long a request to an outside system may take, connection included.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);
/// A URL longer than this is not a plausible endpoint.
const MAX_URL: usize = 2_000;

/// Whether `ip` is an address on the public internet (not loopback, private, link-local,
/// shared, documentation, benchmarking, multicast, reserved or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let v4 =
                    Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
                return is_public_v4(v4);
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8)) // documentation
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn refused(field: &str) -> AppError {
    AppError::bad_input(
        field,
        "points at a loopback or private address; pressnet only calls public addresses",
    )
}

/// Parses and checks a target URL: http or https, a host, no credentials, and (unless private
/// targets are allowed) every address the host resolves to public.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn check(field: &str, raw: &str, allow_private: bool) -> AppResult<Url> {
    let bad = |m: &str| AppError::bad_input(field, m);
    if raw.len() > MAX_URL {
        return Err(bad("is too long"));
    }
    let url = Url::parse(raw.trim()).map_err(|_| bad("is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must be an http or https URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry a user name or password"));
    }
    let Some(host) = url.host_str() else {
        return Err(bad("has no host"));
    };
    if allow_private {
        return Ok(url);
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|_| bad("names a host that does not resolve"))?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(refused(field));
    }
    Ok(url)
}

/// Before each request: a URL whose host is an IP literal is not resolved, so it is checked
/// here (names are checked by `client`'s resolver as they are connected to).
pub(crate) fn check_literal(url: &Url, allow_private: bool) -> AppResult<()> {
    if allow_private {
        return Ok(());
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(refused("url"))
    }
}

/// Resolves names for outbound requests and refuses non-public answers (DNS rebinding).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The HTTP client for outside systems: 10 s timeouts, no redirects (a redirect could lead
/// anywhere; a webhook answers where it was registered), and unless private targets are
/// allowed, a resolver that connects to public addresses only.
///
/// No proxy from the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`): reqwest would
/// use one by default, and a proxy resolves the target's name itself, so the resolver's check
/// would never run. Only `settings.outbound_proxy`, set on purpose, is used.
pub fn client(settings: &crate::settings::Settings) -> reqwest::Result<reqwest::Client> {
    let allow_private = settings.allow_private_targets;
    let mut b = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("pressnet/", env!("CARGO_PKG_VERSION")));
    if let Some(proxy) = &settings.outbound_proxy {
        b = b.proxy(reqwest::Proxy::all(proxy)?);
    }
    if !allow_private {
        b = b.dns_resolver(Arc::new(PublicOnly));
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_private_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().expect("ip")), "{ip} is not public");
        }
        for ip in [
            "1.1.1.1",
            "203.113.131.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().expect("ip")), "{ip} is public");
        }
    }

    #[tokio::test]
    async fn registration_refuses_private_targets_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "https://[::1]/hook",
            "http://10.0.0.5/hook",
            "http://169.254.169.254/latest/meta-data",
        ] {
            let e = check("url", url, false).await.expect_err(url);
            assert_eq!(e.public_message(), "url: points at a loopback or private address; pressnet only calls public addresses");
            assert!(check("url", url, true).await.is_ok(), "{url} allowed");
        }
        for (url, says) in [
            ("ftp://example.org/x", "url: must be an http or https URL"),
            (
                "https://user:pw@example.org/x",
                "url: must not carry a user name or password",
            ),
            ("not a url", "url: is not a valid URL"),
        ] {
            assert_eq!(
                check("url", url, true)
                    .await
                    .expect_err(url)
                    .public_message(),
                says
            );
        }
    }

    #[tokio::test]
    async fn the_client_refuses_a_name_that_resolves_to_loopback() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let strict = client(&crate::settings::Settings::default()).expect("client");
        let e = strict
            .get(format!("http://localhost:{port}/"))
            .send()
            .await
            .expect_err("refused at connect time");
        assert!(e.is_connect() || e.is_request(), "{e:?}");
        let literal = Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url");
        assert!(check_literal(&literal, false).is_err());
        assert!(check_literal(&literal, true).is_ok());
    }
}
