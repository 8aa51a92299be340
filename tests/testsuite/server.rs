//! A running `communique serve` for tests: started on a free loopback port, its output
//! collected line by line so tests can wait for rebuilds, and killed when dropped (also
//! when a test panics). Requests go over a raw TCP socket so that paths and headers reach
//! the server exactly as written (`%2e%2e`, backslashes, any `Host`), with no client-side
//! normalisation; [`LiveReload`] talks to `/__livereload` as an open tab's script does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The server's printed lines (stdout and stderr interleaved as they arrive).
#[derive(Default)]
struct Log {
    lines: Mutex<Vec<String>>,
    changed: Condvar,
}

pub struct Server {
    child: Child,
    log: Arc<Log>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

/// One HTTP response.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

const START_TIMEOUT: Duration = Duration::from_secs(30);
const REBUILD_TIMEOUT: Duration = Duration::from_secs(20);

impl Server {
    /// Starts `communique serve --root <root> --port 0 <args>` and waits until it listens.
    pub fn start(root: &Path, args: &[&str]) -> Server {
        Server::start_on(root, 0, args)
    }

    /// Like [`Server::start`] on a given port (to restart a server where tabs expect it).
    pub fn start_on(root: &Path, port: u16, args: &[&str]) -> Server {
        let port = port.to_string();
        let mut child = Command::new(env!("CARGO_BIN_EXE_communique"))
            .args(["serve", "--root", root.to_str().expect("UTF-8 path"), "--port", &port])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start communique serve");
        let log = Arc::new(Log::default());
        for stream in [
            Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("piped stderr")),
        ] {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lines.lock().unwrap().push(line);
                    log.changed.notify_all();
                }
            });
        }
        let mut server = Server { child, log, addr: String::new() };
        let line = server
            .wait_for_line(0, START_TIMEOUT, |l| l.starts_with("serving at "))
            .unwrap_or_else(|| panic!("serve did not start:\n{}", server.output()));
        let url = line.trim_start_matches("serving at ").split_whitespace().next().unwrap_or_default();
        server.addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        server
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port")
    }

    /// Everything the server printed so far.
    pub fn output(&self) -> String {
        self.log.lines.lock().unwrap().join("\n")
    }

    fn line_count(&self) -> usize {
        self.log.lines.lock().unwrap().len()
    }

    /// Waits for a line after the first `from` lines that satisfies `matches`.
    fn wait_for_line(&self, from: usize, timeout: Duration, matches: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let mut lines = self.log.lines.lock().unwrap();
        loop {
            if let Some(line) = lines.iter().skip(from).find(|l| matches(l)) {
                return Some(line.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            lines = self.log.changed.wait_timeout(lines, left).unwrap().0;
        }
    }

    /// Runs `edit`, then waits until the server finished rebuilding for it (a "rebuilt"
    /// or "rebuild failed" line, then 300 ms without another). Returns the new lines.
    #[track_caller]
    pub fn after(&self, edit: impl FnOnce()) -> String {
        let before = self.line_count();
        edit();
        let is_rebuild = |l: &str| l.starts_with("rebuilt ") || l.starts_with("rebuild failed");
        if self.wait_for_line(before, REBUILD_TIMEOUT, is_rebuild).is_none() {
            panic!("no rebuild after the edit:\n{}", self.output());
        }
        loop {
            let seen = self.line_count();
            if self.wait_for_line(seen, Duration::from_millis(300), is_rebuild).is_none() {
                break;
            }
        }
        self.log.lines.lock().unwrap()[before..].join("\n")
    }

    /// GET `path` (sent exactly as given).
    pub fn get(&self, path: &str) -> Response {
        self.get_for_host(path, &self.addr)
    }

    /// GET `path` with `Host: <host>`, as a browser sends it for a URL naming `host`.
    pub fn get_for_host(&self, path: &str, host: &str) -> Response {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to serve");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        parse_response(&raw)
    }

    /// GETs `path` until it answers 200 with `expected` (for files made in the background,
    /// such as the search index), for up to 20 seconds; returns the last response.
    pub fn get_eventually(&self, path: &str, expected: &[u8]) -> Response {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let response = self.get(path);
            if (response.status == 200 && response.body == expected) || std::time::Instant::now() > deadline {
                return response;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A connection to `/__livereload`, as the script in an open tab makes it.
pub struct LiveReload {
    socket: tungstenite::WebSocket<TcpStream>,
}

/// How long a message may take to arrive after the server printed its rebuild line (it is
/// sent before), and how long the socket stays quiet before no more messages are expected.
const FIRST_MESSAGE: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(700);

impl LiveReload {
    /// Opens the WebSocket on `server`, with `Host: <host>` and `Origin: <origin>` (none
    /// when `None`, as from a program). A refused handshake gives the server's response.
    pub fn connect(server: &Server, host: &str, origin: Option<&str>) -> Result<LiveReload, Response> {
        use tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://{}/__livereload", server.addr).into_client_request().expect("a request");
        request.headers_mut().insert("Host", host.parse().expect("a header value"));
        if let Some(origin) = origin {
            request.headers_mut().insert("Origin", origin.parse().expect("a header value"));
        }
        let stream = TcpStream::connect(&server.addr).expect("connect to serve");
        stream.set_read_timeout(Some(FIRST_MESSAGE)).unwrap();
        match tungstenite::client(request, stream) {
            Ok((socket, _)) => Ok(LiveReload { socket }),
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
                let headers = response
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
                    .collect();
                Err(Response {
                    status: response.status().as_u16(),
                    headers,
                    body: response.into_body().unwrap_or_default(),
                })
            }
            Err(e) => panic!("WebSocket handshake: {e}"),
        }
    }

    /// The messages that arrive from now until the socket has been quiet for a moment
    /// (waiting up to 10 s for the first), parsed. Empty when the server closed it.
    pub fn messages(&mut self) -> Vec<serde_json::Value> {
        let mut messages = Vec::new();
        let mut wait = FIRST_MESSAGE;
        loop {
            self.socket.get_mut().set_read_timeout(Some(wait)).unwrap();
            match self.socket.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    messages.push(serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")));
                    wait = QUIET;
                }
                Ok(tungstenite::Message::Close(_)) => return messages,
                Ok(other) => panic!("a message that is not text: {other:?}"),
                // Quiet for `wait` (a read timeout), or closed.
                Err(_) => return messages,
            }
        }
    }

    /// Whether the server closed the connection (waiting up to 10 s for it).
    pub fn is_closed_by_server(&mut self) -> bool {
        self.socket.get_mut().set_read_timeout(Some(FIRST_MESSAGE)).unwrap();
        loop {
            match self.socket.read() {
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    return false;
                }
                Err(_) => return true,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete HTTP response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status line");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A served HTML page without the live-reload script `serve` injects, so it can be
/// compared byte for byte with what `build` wrote.
pub fn without_reload_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let Some(start) = text.find("<script data-root=") else { return html.to_vec() };
    let end = text[start..].find("</script>\n").map(|e| start + e + "</script>\n".len()).expect("a closed script");
    let mut out = text[..start].to_string();
    out.push_str(&text[end..]);
    out.into_bytes()
}
