//! Who may talk to the preview: the `Host` and `Origin` checks that keep pages on other
//! sites from reading it through the visitor's browser.
//!
//! Two attacks reach a server on loopback from a web page the author happens to have open:
//!
//! - **DNS rebinding**: a page at `http://evil.example:1111/` has its name re-pointed to
//!   `127.0.0.1`; to the browser the preview is then the same origin as the attacker's
//!   page, so it may read every page, drafts included. The browser still sends
//!   `Host: evil.example:1111`, so every request whose `Host` is not one of ours is refused.
//!   Ours are: `localhost` and `*.localhost` (browsers resolve these to loopback
//!   themselves, and no public DNS zone can hold such names), any IP address (an
//!   address needs no DNS, so it cannot be rebound: a page whose URL names an address is
//!   served by whoever listens there), and the names given with `--allow-host`.
//! - **Cross-site WebSockets**: the same-origin policy does not cover WebSockets, so a
//!   page anywhere (another local server included) could open `/__livereload` and read
//!   the error messages, which quote the site's sources. Browsers always send `Origin` on
//!   a WebSocket; it must be the origin the request was addressed to (the `Host`), or a
//!   page under a name given with `--allow-host` (a reverse proxy that rewrites `Host`).
//!
//! Requests without `Host` or `Origin` come from programs, not pages: anything that can
//! connect to the port can read the preview anyway, so they are let through.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use axum::http::{HeaderMap, header};

/// A host name given with `--allow-host`: lowercase ASCII, without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost(String);

impl FromStr for AllowedHost {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.contains("://") {
            let name = text.split("://").nth(1).unwrap_or_default().split(['/', ':']).next().unwrap_or_default();
            return Err(format!("give the host name alone, without a scheme: --allow-host {name}"));
        }
        let unbracketed = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
        if IpAddr::from_str(unbracketed).is_ok() {
            return Err(format!("{text} is an IP address: addresses are always answered, give names only"));
        }
        if text.contains(':') {
            return Err(format!("\"{text}\" is not a host name: give the name without a port (any port is accepted)"));
        }
        let Some(name) = host_name(text) else {
            return Err(format!(
                "\"{text}\" is not a host name: letters, digits, `-` and `_` in dot-separated labels \
                 (international names in their xn-- form)"
            ));
        };
        if is_localhost(&name) {
            // Not a name for pages of any port: other local servers are localhost too.
            return Err(format!(
                "{name} is always answered; a reverse proxy on this computer must pass the browser's \
                 Host header on (nginx: proxy_set_header Host $host;)"
            ));
        }
        Ok(AllowedHost(name))
    }
}

/// Whom the preview answers.
#[derive(Debug, Clone, Default)]
pub struct Access {
    allowed: Vec<AllowedHost>,
}

/// Why a request was refused; its `Display` is the short text sent back with the 403.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A `Host` that is not ours (as received, or a note when unreadable).
    Host(String),
    /// A WebSocket from a page of another origin (as received).
    Origin(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Host(host) => {
                let option = match parse_authority(host) {
                    Some(Host::Name(name)) => format!("--allow-host {name}"),
                    _ => "--allow-host NAME".to_string(),
                };
                write!(
                    f,
                    "communique serve does not answer requests for the host {host} (a defence against DNS \
                     rebinding). It answers to localhost, IP addresses and the names given with --allow-host: \
                     to preview the site under this name, restart serve with {option}."
                )
            }
            Refusal::Origin(origin) => write!(
                f,
                "communique serve refused a live-reload connection from a page at {origin}: only the \
                 preview's own pages may connect. Behind a reverse proxy, restart serve with --allow-host \
                 NAME for the proxy's name, or have the proxy pass the browser's Host header on."
            ),
        }
    }
}

impl Access {
    /// Answers to the usual names and addresses and to `allowed`.
    pub fn new(allowed: Vec<AllowedHost>) -> Self {
        Access { allowed }
    }

    /// Whether a request with `headers` may be answered; `websocket` for the live-reload
    /// path, where `Origin` is checked too.
    pub fn admits(&self, headers: &HeaderMap, websocket: bool) -> Result<(), Refusal> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (None, _) => None,
            (Some(value), None) => Some(value.to_str().map_err(|_| Refusal::Host("(not ASCII)".into()))?),
            (Some(_), Some(_)) => return Err(Refusal::Host("(several Host headers)".into())),
        };
        if let Some(host) = host
            && !self.host_allowed(host)
        {
            return Err(Refusal::Host(host.to_string()));
        }
        match headers.get(header::ORIGIN) {
            Some(origin) if websocket => {
                let origin = origin.to_str().map_err(|_| Refusal::Origin("(not ASCII)".into()))?;
                if self.origin_allowed(origin, host) { Ok(()) } else { Err(Refusal::Origin(origin.to_string())) }
            }
            _ => Ok(()),
        }
    }

    /// Whether `authority` (a `Host` header: `name`, `name:port`, `[v6]:port`) is ours.
    fn host_allowed(&self, authority: &str) -> bool {
        match parse_authority(authority) {
            Some(Host::Ip(_)) => true,
            Some(Host::Name(name)) => is_localhost(&name) || self.allowed.iter().any(|a| a.0 == name),
            None => false,
        }
    }

    /// Whether a page at `origin` may open the WebSocket of a request addressed to `host`.
    fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(authority) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
            return false;
        };
        if host.is_some_and(|host| host.eq_ignore_ascii_case(authority)) {
            return true;
        }
        matches!(parse_authority(authority), Some(Host::Name(name)) if self.allowed.iter().any(|a| a.0 == name))
    }
}

/// The host of a `Host` header or of an origin, port set aside.
#[derive(Debug, PartialEq, Eq)]
enum Host {
    Ip(IpAddr),
    /// Lowercase, without a trailing dot.
    Name(String),
}

/// Reads `name`, `name:port`, `1.2.3.4:port`, `[::1]` or `[::1]:port`; `None` if malformed.
fn parse_authority(authority: &str) -> Option<Host> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (address, port) = bracketed.split_once(']')?;
            (Host::Ip(IpAddr::V6(Ipv6Addr::from_str(address).ok()?)), port)
        }
        None => {
            let end = authority.find(':').unwrap_or(authority.len());
            let (name, port) = authority.split_at(end);
            let host = match Ipv4Addr::from_str(name) {
                Ok(address) => Host::Ip(IpAddr::V4(address)),
                Err(_) => Host::Name(host_name(name)?),
            };
            (host, port)
        }
    };
    let port_ok = match port.strip_prefix(':') {
        Some(digits) => !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()),
        None => port.is_empty(),
    };
    port_ok.then_some(host)
}

/// Whether `name` is `localhost` or one of its subdomains, which browsers resolve to
/// loopback themselves (RFC 6761) and no public DNS zone can hold.
fn is_localhost(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost")
}

/// `text` as a host name (lowercase, one trailing dot dropped), or `None` when it is not
/// one: dot-separated labels of ASCII letters, digits, `-` and `_`.
fn host_name(text: &str) -> Option<String> {
    let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (name.len() <= 253 && name.split('.').all(label_ok)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        }
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        headers
    }

    fn access() -> Access {
        Access::new(vec!["preview.example.org".parse().unwrap()])
    }

    #[test]
    fn hosts_that_no_one_can_rebind_and_the_allowed_names_are_answered() {
        let answered = [
            "127.0.0.1:1111",
            "127.0.0.1",
            "192.168.1.5:1111",
            "[::1]:1111",
            "[::1]",
            "localhost:1111",
            "LocalHost",
            "localhost.:1111",
            "site.localhost:1111",
            "preview.example.org",
            "Preview.Example.Org:8443",
        ];
        for host in answered {
            assert_eq!(access().admits(&headers(Some(host), None), false), Ok(()), "{host}");
        }
        let refused = [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "evillocalhost",
            "example.org",
            "sub.preview.example.org",
            "127.0.0.1.nip.io:1111",
            "2130706433",
            "[::1",
            "[evil]:1111",
            "localhost:",
            "localhost:port",
            "localhost:1111:1111",
            "a..b",
            "",
        ];
        for host in refused {
            let refusal = access().admits(&headers(Some(host), None), false);
            assert_eq!(refusal, Err(Refusal::Host(host.to_string())), "{host}");
        }
        assert!(Access::default().admits(&headers(Some("preview.example.org"), None), false).is_err());
    }

    #[test]
    fn a_request_without_host_comes_from_a_program_and_is_answered() {
        assert_eq!(access().admits(&headers(None, None), true), Ok(()));
        let mut two = headers(Some("localhost"), None);
        two.append(header::HOST, HeaderValue::from_static("localhost"));
        assert!(matches!(access().admits(&two, false), Err(Refusal::Host(_))));
    }

    #[test]
    fn websockets_are_answered_only_for_the_previews_own_pages() {
        let ours = [
            ("127.0.0.1:1111", "http://127.0.0.1:1111"),
            ("localhost:1111", "http://localhost:1111"),
            ("[::1]:1111", "http://[::1]:1111"),
            ("localhost:8080", "http://localhost:8080"),
            ("preview.example.org", "https://preview.example.org"),
            // A proxy that rewrites Host to the upstream address, for a name the user gave.
            ("127.0.0.1:1111", "https://preview.example.org"),
        ];
        for (host, origin) in ours {
            assert_eq!(access().admits(&headers(Some(host), Some(origin)), true), Ok(()), "{origin} on {host}");
        }
        let foreign = [
            ("127.0.0.1:1111", "http://evil.example"),
            ("127.0.0.1:1111", "http://127.0.0.1:8080"),
            ("localhost:1111", "http://localhost:8080"),
            ("localhost:1111", "http://127.0.0.1:1111"),
            ("127.0.0.1:1111", "null"),
            ("127.0.0.1:1111", "file://"),
            ("127.0.0.1:1111", "ftp://127.0.0.1:1111"),
            ("127.0.0.1:1111", "http://example.org"),
        ];
        for (host, origin) in foreign {
            let refusal = access().admits(&headers(Some(host), Some(origin)), true);
            assert_eq!(refusal, Err(Refusal::Origin(origin.to_string())), "{origin} on {host}");
        }
        assert_eq!(access().admits(&headers(Some("127.0.0.1:1111"), None), true), Ok(()));
        // Other paths leave Origin to the same-origin policy.
        assert_eq!(access().admits(&headers(Some("127.0.0.1:1111"), Some("http://evil.example")), false), Ok(()));
    }

    #[test]
    fn allowed_host_names_are_checked_when_given() {
        assert_eq!("Preview.Example.Org.".parse(), Ok(AllowedHost("preview.example.org".into())));
        assert_eq!("my_box".parse(), Ok(AllowedHost("my_box".into())));
        for bad in [
            "preview.example.org:8080",
            "http://preview.example.org",
            "*.example.org",
            ".example.org",
            "",
            "a b",
            "café.example",
            "localhost",
            "site.localhost",
            "127.0.0.1",
            "::1",
            "[::1]",
        ] {
            assert!(bad.parse::<AllowedHost>().is_err(), "{bad}");
        }
        let with_port = "preview.example.org:8080".parse::<AllowedHost>().unwrap_err();
        assert!(with_port.contains("without a port"), "{with_port}");
        let local = "localhost".parse::<AllowedHost>().unwrap_err();
        assert!(local.contains("must pass the browser's Host header on"), "{local}");
    }

    #[test]
    fn a_refused_host_is_told_the_option_that_admits_it() {
        let refusal = access().admits(&headers(Some("Laptop.Local:1111"), None), false).unwrap_err();
        assert!(refusal.to_string().ends_with("restart serve with --allow-host laptop.local."), "{refusal}");
        let refusal = access().admits(&headers(Some("[evil]:1111"), None), false).unwrap_err();
        assert!(refusal.to_string().ends_with("restart serve with --allow-host NAME."), "{refusal}");
    }
}
