//! The preview is private: `communique serve` answers only requests for its own hosts
//! (against DNS rebinding), opens `/__livereload` only to its own pages, and lets no other
//! site embed its files.

use crate::server::{LiveReload, Response, Server};
use crate::support::TestSite;

/// Asserts a 403 whose plain text names the option that lets the request through.
#[track_caller]
fn assert_refused(response: &Response, what: &str) {
    assert_eq!(response.status, 403, "{what} answered {}: {}", response.status, response.text());
    assert_eq!(response.header("content-type"), Some("text/plain; charset=utf-8"), "{what}");
    assert!(response.text().contains("--allow-host "), "{what}: the refusal names no way out: {}", response.text());
}

#[test]
fn requests_for_a_host_that_is_not_ours_are_refused() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &["--allow-host", "preview.test"]);
    let port = server.port();
    let home = server.get("/");
    assert_eq!(home.status, 200);
    // What a page at a rebound name (evil.example -> 127.0.0.1) would read.
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("127.0.0.1.nip.io:{port}")] {
        for path in ["/", "/reports/weihai-city-committee/", "/__livereload", "/no-such-page/"] {
            assert_refused(&server.get_for_host(path, &host), &format!("{path} for {host}"));
        }
    }
    let ours = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("site.localhost:{port}"),
        format!("preview.test:{port}"),
        "preview.test".into(),
    ];
    for host in ours {
        let response = server.get_for_host("/", &host);
        assert_eq!((response.status, &response.body), (200, &home.body), "/ for {host}: {}", response.text());
    }
}

#[test]
fn a_name_is_answered_only_once_it_is_allowed() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let refused = server.get_for_host("/", "preview.test");
    assert_refused(&refused, "preview.test without --allow-host");
    assert!(refused.text().contains("restart serve with --allow-host preview.test."), "{}", refused.text());
}

#[test]
fn only_the_previews_own_pages_may_open_the_live_reload_socket() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &["--allow-host", "preview.test"]);
    let port = server.port();
    let foreign = [
        ("a site on the web", server.addr.clone(), "http://evil.example".to_string()),
        ("another local server", server.addr.clone(), format!("http://127.0.0.1:{}", port.wrapping_add(1))),
        ("another name for this server", server.addr.clone(), format!("http://localhost:{port}")),
        ("a rebound name", format!("evil.example:{port}"), format!("http://evil.example:{port}")),
        ("a file or sandboxed page", server.addr.clone(), "null".to_string()),
    ];
    for (what, host, origin) in &foreign {
        match LiveReload::connect(&server, host, Some(origin)) {
            Ok(_) => panic!("{what} ({origin}) opened the socket"),
            Err(response) => assert_refused(&response, what),
        }
    }
    let ours = [
        (server.addr.clone(), format!("http://{}", server.addr)),
        (format!("localhost:{port}"), format!("http://localhost:{port}")),
        // Behind a proxy that passes the name it is reached by.
        ("preview.test".to_string(), "https://preview.test".to_string()),
    ];
    for (host, origin) in &ours {
        let mut tab = LiveReload::connect(&server, host, Some(origin))
            .unwrap_or_else(|r| panic!("{origin} on {host} refused: {}", r.text()));
        assert_eq!(tab.messages(), [serde_json::json!({ "type": "hello" })], "{origin} on {host}");
    }
    // Programs send no Origin; anything that can connect can read the preview anyway.
    let mut program = LiveReload::connect(&server, &server.addr, None).unwrap_or_else(|r| panic!("{}", r.text()));
    assert_eq!(program.messages(), [serde_json::json!({ "type": "hello" })]);
}

#[test]
fn no_other_site_may_embed_the_previews_files() {
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    for path in ["/", "/assets/style.css", "/no-such-page/"] {
        let response = server.get(path);
        assert_eq!(response.header("cross-origin-resource-policy"), Some("same-origin"), "{path}");
    }
}
