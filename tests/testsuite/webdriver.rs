//! A minimal WebDriver client for tests that drive a real headless Chromium through
//! chromedriver (Debian packages `chromium` and `chromium-driver`). It speaks the W3C
//! WebDriver protocol as JSON over plain HTTP/1.1 on loopback, so it needs no HTTP crate.
//!
//! build.rs finds both programs when the tests are compiled. Without them every browser
//! test carries `#[cfg_attr(no_browser, ignore = ...)]` and shows as ignored in the
//! `cargo test` summary; under `COMMUNIQUE_REQUIRE_BROWSER=1` (as in CI) they run anyway
//! and [`Browser::start`] fails, saying what is missing. Dropping a [`Browser`] ends the
//! session and kills chromedriver, also when a test panics.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One chromedriver process with one headless Chromium session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

/// Chromium and chromedriver as build.rs found them, or a panic saying how to get them.
fn programs() -> (&'static str, &'static str) {
    match (option_env!("COMMUNIQUE_CHROMIUM"), option_env!("COMMUNIQUE_CHROMEDRIVER")) {
        (Some(chromium), Some(driver)) => (chromium, driver),
        _ => panic!(
            "this browser test needs chromium and chromium-driver (apt-get install -y chromium chromium-driver), \
             and build.rs found them on no folder of PATH (if they were installed since, `touch build.rs`); \
             without COMMUNIQUE_REQUIRE_BROWSER=1 the test is ignored"
        ),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless session.
    pub fn start() -> Browser {
        let (chromium, driver) = programs();
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start {driver} (found when the tests were built; touch build.rs if it moved): {e}")
            });
        let profile = crate::support::tempdir();
        let mut browser = Browser { driver: child, port, session: String::new(), _profile: profile };
        browser.wait_for_driver();
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            // The network is closed: no background requests, updates or sync to fail.
            "--disable-quic".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }}});
        let reply = browser.request("POST", "/session", Some(&capabilities));
        browser.session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver did not open a session: {reply}"))
            .to_string();
        browser
    }

    /// Polls chromedriver's status for up to 10 s.
    fn wait_for_driver(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(reply) = http(self.port, "GET", "/status", None)
                && reply["value"]["ready"] == true
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not become ready on port {}", self.port);
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        http(self.port, method, path, body).unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Opens `url` and waits for it to load.
    pub fn goto(&self, url: &str) {
        let reply = self.request("POST", &format!("/session/{}/url", self.session), Some(&json!({ "url": url })));
        assert!(reply["value"].is_null(), "navigating to {url} failed: {reply}");
    }

    /// Runs `script` (a function body; `return` gives the value) in the page.
    pub fn eval(&self, script: &str) -> Value {
        let reply = self.try_eval(script);
        match reply {
            Ok(value) => value,
            Err(error) => panic!("script failed: {error}\n{script}"),
        }
    }

    fn try_eval(&self, script: &str) -> Result<Value, Value> {
        let body = json!({ "script": script, "args": [] });
        let reply = self.request("POST", &format!("/session/{}/execute/sync", self.session), Some(&body));
        match reply["value"].get("error") {
            Some(_) => Err(reply["value"].clone()),
            None => Ok(reply["value"].clone()),
        }
    }

    /// Sends one Chrome DevTools Protocol command through chromedriver
    /// (`goog/cdp/execute`), such as `Emulation.setEmulatedMedia`, and returns its result.
    pub fn cdp(&self, command: &str, params: Value) -> Value {
        let body = json!({ "cmd": command, "params": params });
        let reply = self.request("POST", &format!("/session/{}/goog/cdp/execute", self.session), Some(&body));
        assert!(reply["value"].get("error").is_none(), "{command} failed: {reply}");
        reply["value"].clone()
    }

    /// Polls `condition` every 50 ms until it returns `true` or `timeout` passes. Script
    /// errors (a page in the middle of reloading) count as not yet.
    pub fn wait_until(&self, condition: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.try_eval(condition).is_ok_and(|v| v == true) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One JSON request to chromedriver on loopback, with timeouts.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver keeps connections open whatever the request says, so read the header,
    // then exactly Content-Length bytes (or to the end, for a chunked reply).
    let mut raw = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let split = loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the header ended".into());
        }
        raw.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let length =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
    while length.is_some_and(|len| raw.len() < split + 4 + len) {
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buffer[..n]);
    }
    if length.is_none() {
        stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    }
    let mut payload = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        payload = crate::server::dechunk(&payload);
    }
    serde_json::from_slice(&payload).map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_webdriver_client_reads_pages_and_waits() {
    let browser = Browser::start();
    let dir = crate::support::tempdir();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><h1>Hello</h1><script>window.answer = 42; \
         setTimeout(function () { window.later = true; }, 300);</script>",
    )
    .unwrap();
    browser.goto(&format!("file://{}", page.display()));
    assert_eq!(browser.eval("return window.answer;"), 42);
    assert_eq!(browser.eval("return document.querySelector('h1').textContent;"), "Hello");
    assert!(browser.wait_until("return window.later === true;", Duration::from_secs(5)));
    let started = Instant::now();
    assert!(!browser.wait_until("return window.never === true;", Duration::from_millis(500)));
    assert!(started.elapsed() < Duration::from_secs(5));
}
