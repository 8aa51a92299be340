//! `communique serve` in a real headless Chromium: open tabs follow edits without a manual
//! reload (a new title, a replaced photo), show and clear the error overlay, swap
//! stylesheets in place, reconnect after a restart and work behind a proxy that serves
//! the site under a sub-path.
//!
//! Every test shows as ignored when Chromium or chromedriver is missing, and fails instead
//! under `COMMUNIQUE_REQUIRE_BROWSER=1` (which `.ci/run` sets).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::server::Server;
use crate::support::TestSite;
use crate::webdriver::Browser;

const WAIT: Duration = Duration::from_secs(20);
const REPORT: &str = "content/reports/2019-04-02-weihai-city-committee/index.md";
const REPORT_URL: &str = "reports/weihai-city-committee/";

/// JavaScript that is true once the page's `<h1>` reads `text`.
fn h1_is(text: &str) -> String {
    format!("var h = document.querySelector('h1'); return !!h && h.textContent.trim() === {text:?};")
}

/// JavaScript that is true once the live-reload socket is open (the client logs nothing,
/// so wait until the page has finished loading and give the socket a moment).
const READY: &str = "return document.readyState === 'complete';";

fn open(browser: &Browser, url: &str) {
    browser.goto(url);
    assert!(browser.wait_until(READY, WAIT), "{url} did not load");
    // Let the WebSocket connect before the test edits anything.
    std::thread::sleep(Duration::from_millis(300));
}

fn retitle(site: &TestSite, title: &str) {
    let text = site.read(REPORT);
    let old = text.lines().find(|l| l.starts_with("title: ")).expect("a title line").to_string();
    site.write(REPORT, &text.replacen(&old, &format!("title: {title}"), 1));
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn an_open_report_tab_shows_an_edited_title_by_itself() {
    let browser = Browser::start();
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    open(&browser, &format!("http://{}/{REPORT_URL}", server.addr));
    server.after(|| retitle(&site, "Weihai talks, revised"));
    assert!(browser.wait_until(&h1_is("Weihai talks, revised"), WAIT), "the tab still shows the old title");
}

/// JavaScript that is true once the report's featured photo has loaded.
const FEATURED_PHOTO_LOADED: &str = "var img = document.querySelector('figure.featured img'); \
     return !!img && img.complete && img.naturalWidth > 0;";

/// JavaScript that is true once the report's featured photo has loaded and is mostly the
/// colour `rgb`: drawn onto a small canvas, its middle pixel within a JPEG's error of it.
fn featured_photo_is(rgb: [u8; 3]) -> String {
    let [r, g, b] = rgb;
    format!(
        "var img = document.querySelector('figure.featured img'); \
         if (!img || !img.complete || !img.naturalWidth) return false; \
         var c = document.createElement('canvas'); c.width = 4; c.height = 4; \
         var x = c.getContext('2d'); x.drawImage(img, 0, 0, 4, 4); \
         var p = x.getImageData(2, 2, 1, 1).data; \
         return Math.abs(p[0] - {r}) < 24 && Math.abs(p[1] - {g}) < 24 && Math.abs(p[2] - {b}) < 24;"
    )
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn an_open_report_tab_shows_a_replaced_photo_by_itself() {
    let browser = Browser::start();
    let site = TestSite::example();
    let photo = "content/reports/2020-07-23-qingdao-delegation/talks-table.jpg";
    let (width, height) = image::image_dimensions(site.path(photo)).unwrap();
    let server = Server::start(site.root(), &[]);
    open(&browser, &format!("http://{}/reports/qingdao-delegation/", server.addr));
    let red = [200, 40, 40];
    assert!(browser.wait_until(FEATURED_PHOTO_LOADED, WAIT), "the report's photo does not load");
    assert_eq!(browser.eval(&featured_photo_is(red)), false, "the photo is red before the edit");
    // The same size in one colour: the page stays the same, and every copy of the photo
    // is made again after the tabs reload (a request for one waits for it).
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
    encoder.encode_image(&image::RgbImage::from_pixel(width, height, image::Rgb(red))).unwrap();
    server.after(|| std::fs::write(site.path(photo), &jpeg).unwrap());
    assert!(browser.wait_until(&featured_photo_is(red), WAIT), "the tab does not show the new photo");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn broken_front_matter_shows_the_overlay_and_the_fix_clears_it() {
    let browser = Browser::start();
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    open(&browser, &format!("http://{}/{REPORT_URL}", server.addr));
    let good = site.read(REPORT);
    server.after(|| site.write(REPORT, &good.replacen("date: 2019-04-02", "date: 2019-04-32", 1)));
    let overlay_names_the_line = format!(
        "var o = document.getElementById('communique-error-overlay'); return !!o && o.textContent.includes({:?});",
        format!("{REPORT}:3:7:")
    );
    assert!(browser.wait_until(&overlay_names_the_line, WAIT), "no overlay naming {REPORT}:3:7");
    let h1 = browser.eval("return document.querySelector('h1').textContent.trim();");
    assert!(h1.as_str().is_some_and(|t| t.contains("Weihai")), "the last good page is gone: {h1}");
    server.after(|| site.write(REPORT, &good.replacen("title: ", "title: Fixed - ", 1)));
    let cleared = "return !document.getElementById('communique-error-overlay') && \
                   document.querySelector('h1').textContent.trim().startsWith('Fixed - ');";
    assert!(browser.wait_until(cleared, WAIT), "the overlay stayed after the fix");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn a_css_edit_applies_without_reloading_the_page() {
    let browser = Browser::start();
    let site = TestSite::example().file("static/assets/style.css", "body { background-color: rgb(1, 2, 3); }\n");
    let server = Server::start(site.root(), &[]);
    open(&browser, &format!("http://{}/{REPORT_URL}", server.addr));
    let background = "return getComputedStyle(document.body).backgroundColor;";
    assert_eq!(browser.eval(background), "rgb(1, 2, 3)");
    browser.eval("window.__beforeEdit = 42; return true;");
    server.after(|| site.write("static/assets/style.css", "body { background-color: rgb(4, 5, 6); }\n"));
    assert!(
        browser.wait_until("return getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)';", WAIT),
        "the new stylesheet was not applied"
    );
    assert_eq!(browser.eval("return window.__beforeEdit;"), 42, "the page was reloaded");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn a_tab_reconnects_and_reloads_after_the_server_restarts() {
    let browser = Browser::start();
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let port = server.port();
    open(&browser, &format!("http://{}/{REPORT_URL}", server.addr));
    drop(server);
    retitle(&site, "Edited while the server was down");
    let _server = Server::start_on(site.root(), port, &[]);
    assert!(browser.wait_until(&h1_is("Edited while the server was down"), WAIT), "the tab did not come back");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn live_reload_works_behind_a_proxy_under_a_sub_path() {
    let browser = Browser::start();
    let site = TestSite::example();
    let server = Server::start(site.root(), &[]);
    let proxy = SubPathProxy::start("/preview", &server.addr);
    open(&browser, &format!("http://{}/preview/{REPORT_URL}", proxy.addr));
    server.after(|| retitle(&site, "Seen through the proxy"));
    assert!(browser.wait_until(&h1_is("Seen through the proxy"), WAIT), "no reload under the sub-path");
    let path = browser.eval("return location.pathname;");
    assert_eq!(path, format!("/preview/{REPORT_URL}"));
}

/// A tiny reverse proxy that serves `upstream` under `prefix` (like nginx's
/// `location /preview/ { proxy_pass http://127.0.0.1:1111/; }`), WebSockets included.
/// Requests outside the prefix get 404. Its threads end when the test process does.
struct SubPathProxy {
    addr: String,
}

impl SubPathProxy {
    fn start(prefix: &'static str, upstream: &str) -> SubPathProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let upstream = upstream.to_string();
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let upstream = upstream.clone();
                std::thread::spawn(move || proxy_one(client, prefix, &upstream));
            }
        });
        SubPathProxy { addr }
    }
}

fn proxy_one(mut client: TcpStream, prefix: &str, upstream: &str) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let (first, rest) = text.split_once("\r\n").unwrap_or((&text, ""));
    let mut parts = first.splitn(3, ' ');
    let (method, path, version) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Some(inner) = path.strip_prefix(prefix) else {
        let _ = client.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let Ok(mut server) = TcpStream::connect(upstream) else { return };
    let inner = if inner.is_empty() { "/" } else { inner };
    // One request per connection (unless it becomes a WebSocket), so that every request
    // passes through the path rewrite above.
    let upgrade = rest.to_ascii_lowercase().contains("upgrade: websocket");
    let headers: String = rest
        .split("\r\n")
        .filter(|h| upgrade || !h.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n");
    let headers = if upgrade { headers } else { format!("Connection: close\r\n{headers}") };
    let _ = server.write_all(format!("{method} {inner} {version}\r\n{headers}").as_bytes());
    let (mut from_server, mut to_client) = (server.try_clone().unwrap(), client.try_clone().unwrap());
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
        let _ = to_client.shutdown(std::net::Shutdown::Both);
    });
    let _ = std::io::copy(&mut client, &mut server);
    let _ = server.shutdown(std::net::Shutdown::Both);
    let _ = back.join();
}
