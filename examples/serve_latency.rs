//! Benchmark (not a test): how long after saving a report do open tabs hear "reload"?
//!
//! Starts `communique serve` on a site, connects to its live-reload WebSocket like a
//! browser tab, then edits one report's body N times and measures, for each edit, the time
//! from just before the file is written to the arrival of the reload message. That span
//! includes the file watcher's latency and debounce, the rebuild and the WebSocket hop.
//! After each reload it fetches the report's page (which must show the edit) and
//! `/figures/` over HTTP, as a reloading tab would: pages still being rendered after the
//! reload message make such requests wait, so the second time is when the slowest page a
//! report's edit touches is current.
//!
//! `--kind` chooses the edit: `body` (a paragraph appended, the default), `title` (a
//! new title) or `official` (a new official in the front matter: a person the site has
//! not had, so a new page; each save after the first replaces the previous save's new
//! person with another, so the site's count of people stays the same and two people's
//! pages change).
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/ours --edits 21
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/ours --kind official --pause-ms 1500
//! ```
//! Used by scripts/bench.sh; results go in docs/performance.md.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tungstenite::{Message, WebSocket};

struct Args {
    root: PathBuf,
    file: Option<String>,
    edits: usize,
    bin: PathBuf,
    kind: String,
    /// Pause before each edit, as between an author's saves.
    pause: Duration,
}

fn parse_args() -> Args {
    let mut args = Args {
        root: PathBuf::from("."),
        file: None,
        edits: 21,
        bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/communique"),
        kind: "body".into(),
        pause: Duration::from_millis(400),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--root" => args.root = value.into(),
            "--file" => args.file = Some(value),
            "--edits" => args.edits = value.parse().expect("--edits N"),
            "--bin" => args.bin = value.into(),
            "--kind" => args.kind = value,
            "--pause-ms" => args.pause = Duration::from_millis(value.parse().expect("--pause-ms N")),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

/// Puts the edited report back however the benchmark ends.
struct Restore(PathBuf, String);
impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}

/// Kills the server however the benchmark ends.
struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let args = parse_args();
    let file = args.file.clone().unwrap_or_else(|| first_report(&args.root));
    let path = args.root.join(&file);
    let original = std::fs::read_to_string(&path).expect("read the report to edit");
    let _restore = Restore(path.clone(), original.clone());

    let started = Instant::now();
    let mut child = Command::new(&args.bin)
        .args(["serve", "--root", args.root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start communique serve (build it with cargo build --release)");
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("serve exited").expect("read serve output");
        if let Some(rest) = line.strip_prefix("serving at http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let startup = started.elapsed();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    let stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let (mut socket, _) =
        tungstenite::client(format!("ws://{addr}/__livereload"), stream).expect("WebSocket handshake");
    wait_for(&mut socket, "hello");

    let page = report_page(&file);
    let mut times = Vec::new();
    let mut current = Vec::new();
    for k in 0..args.edits {
        std::thread::sleep(args.pause);
        let text = match args.kind.as_str() {
            "title" if original.contains("title: \"") => {
                original.replacen("title: \"", &format!("title: \"[edit {k}] "), 1)
            }
            "title" => original.replacen("title: ", &format!("title: Edit {k}: "), 1),
            // A new official: a person the site has not had, so a new page and a
            // resolve of the whole site.
            "official" => original.replacen(
                "officials:\n",
                &format!("officials:\n  - name: Benchmark Official {k}\n    role: Deputy Director of Edit {k}\n"),
                1,
            ),
            _ => format!("{original}\nEdited paragraph number {k} for the benchmark.\n"),
        };
        let t0 = Instant::now();
        std::fs::write(&path, &text).expect("write the report");
        wait_for(&mut socket, "reload");
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        let shown = get(&addr, &page);
        let marker = match args.kind.as_str() {
            "title" => format!("dit {k}"),
            "official" => format!("Benchmark Official {k}"),
            _ => format!("number {k} for"),
        };
        assert!(shown.contains(&marker), "{page} does not show edit {k} after the reload");
        get(&addr, "/figures/");
        current.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, &original).expect("restore the report");
    wait_for(&mut socket, "reload");

    let (median, p90, min, max) = spread(&mut times);
    let (current_median, current_p90, ..) = spread(&mut current);
    println!(
        "serve: startup {:.2} s; save -> reload ({} {} edits of {file}, {} ms apart): median {median:.1} ms, p90 {p90:.1} ms, min {min:.1} ms, max {max:.1} ms; \
         save -> the report's page and /figures/ fetched: median {current_median:.1} ms, p90 {current_p90:.1} ms",
        startup.as_secs_f64(),
        times.len(),
        args.kind,
        args.pause.as_millis(),
    );
}

/// Median, p90, min and max of `times` (sorted in place).
fn spread(times: &mut [f64]) -> (f64, f64, f64, f64) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    (times[times.len() / 2], p90, times[0], times[times.len() - 1])
}

/// The site path of report `file` when it sets no `slug:` (the file stem, without a date).
fn report_page(file: &str) -> String {
    let stem = std::path::Path::new(file).file_stem().unwrap().to_string_lossy().into_owned();
    let dated =
        stem.len() > 11 && stem.as_bytes()[10] == b'-' && stem[..10].bytes().filter(u8::is_ascii_digit).count() == 8;
    format!("/reports/{}/", if dated { &stem[11..] } else { &stem })
}

/// The body of `GET path` from the server, which must answer 200.
fn get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(addr).expect("connect for a page");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read a page");
    let response = String::from_utf8_lossy(&response).into_owned();
    assert!(response.starts_with("HTTP/1.1 200"), "GET {path}: {}", response.lines().next().unwrap_or(""));
    response
}

/// Reads messages until one of `kind` arrives.
fn wait_for(socket: &mut WebSocket<TcpStream>, kind: &str) {
    let wanted = format!("\"type\":\"{kind}\"");
    loop {
        match socket.read().expect("read from the WebSocket") {
            Message::Text(text) if text.contains(&wanted) => return,
            Message::Text(text) if text.contains("\"type\":\"error\"") => panic!("the edit failed: {text}"),
            _ => {}
        }
    }
}

/// The first report of the site, in name order.
fn first_report(root: &std::path::Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/reports"))
        .expect("content/reports")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    format!("content/reports/{}", names.first().expect("a report"))
}
