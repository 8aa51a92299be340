//! Benchmark (not a test): how long after saving a report do open tabs hear "reload"?
//!
//! Starts `communique serve` on a site, connects to its live-reload WebSocket like a
//! browser tab, then edits one report's body N times and measures, for each edit, the time
//! from just before the file is written to the arrival of the reload message. That span
//! includes the file watcher's latency and debounce, the rebuild and the WebSocket hop.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/ours --edits 21
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
}

fn parse_args() -> Args {
    let mut args = Args {
        root: PathBuf::from("."),
        file: None,
        edits: 21,
        bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/communique"),
        kind: "body".into(),
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

    let mut times = Vec::new();
    for k in 0..args.edits {
        std::thread::sleep(Duration::from_millis(400));
        let text = match args.kind.as_str() {
            "title" if original.contains("title: \"") => {
                original.replacen("title: \"", &format!("title: \"[edit {k}] "), 1)
            }
            "title" => original.replacen("title: ", &format!("title: Edit {k}: "), 1),
            _ => format!("{original}\nEdited paragraph number {k} for the benchmark.\n"),
        };
        let t0 = Instant::now();
        std::fs::write(&path, text).expect("write the report");
        wait_for(&mut socket, "reload");
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, &original).expect("restore the report");
    wait_for(&mut socket, "reload");

    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = times[times.len() / 2];
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    println!(
        "serve: startup {:.2} s; save -> reload ({} {} edits of {file}): median {median:.1} ms, p90 {p90:.1} ms, min {:.1} ms, max {:.1} ms",
        startup.as_secs_f64(),
        times.len(),
        args.kind,
        times[0],
        times[times.len() - 1]
    );
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
