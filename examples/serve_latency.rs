//! Benchmark (not a test): how long after saving a report do open tabs hear "reload"?
//!
//! Starts `communique serve` on a site, connects to its live-reload WebSocket like a
//! browser tab, then edits one report's body N times and measures, for each edit, the time
//! from just before the file is written to the arrival of the reload message. That span
//! includes the file watcher's latency and debounce, the rebuild and the WebSocket hop.
//! After each reload it fetches the report's page (which must show the edit; the second
//! time printed is when it arrived) and then `/figures/` over HTTP, as a reloading tab
//! would: pages still being rendered after the reload message make such requests wait, so
//! the third time is when the slowest page a report's edit touches is current.
//!
//! `--kind` chooses the edit, one kind of single-file save an author makes:
//!
//! - `body`: a paragraph appended (the default);
//! - `title`: a new title;
//! - `date`: another date (the report moves in every list);
//! - `slug`: a new `slug:` (the report's page moves; the fetched page is the new one);
//! - `official`: a new official in the front matter, a person the site has not had (a new
//!   page); each save after the first replaces the previous save's new person with another,
//!   so the site's count of people stays the same and two people's pages change;
//! - `city`: the same with a new city;
//! - `new-report`: a new report file (a copy of the edited one with its own title), one
//!   more each save, all removed at the end;
//! - `delete-report`: one more report removed each save (the fetched page must be gone),
//!   all put back at the end. A report's translations (`x.ru.md` beside `x.md`) go with
//!   it, removed just before it, since a translation without its original is an error:
//!   the time is to the reload after which the page is gone;
//! - `registry`: the biography of the report's first official in `data/people.yaml` (the
//!   fetched page is that person's). The entry is edited in place, its other fields (names
//!   in other languages) kept; without a registry, one of that person alone is written
//!   before the server starts and removed at the end;
//! - `translation`: a paragraph appended to the report's Russian translation
//!   (`x.ru.md`; the site must have one, as the trilingual corpus does);
//! - `photo`: the first JPEG beside the report (which must be a page bundle, `--file
//!   content/reports/<folder>/index.md`) saved as a new picture: the same with a square
//!   of a new colour in its corner, so that every resized copy is made again, as for a
//!   new photo.
//!
//! `--page-in ru` fetches the edit's page in that language instead, as a tab showing it
//! would (for kinds whose text shows alike in every language, such as `official`).
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/ours --edits 21
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/ours --kind official --pause-ms 1500
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k/langs --kind translation --pause-ms 1500
//! cargo run --release --example serve_latency -- --root /tmp/site --kind photo \
//!     --file content/reports/2020-07-23-qingdao-delegation/index.md --pause-ms 1500
//! ```
//! With `COMMUNIQUE_TIMINGS=1` in its environment (which the server inherits) it also
//! prints the median time of each stage of the rebuilds that resolved the site, and the
//! median CPU time (user, system) and page faults of the process in those rebuilds.
//! With `SERVE_LATENCY_LOG=1` it echoes the server's output and log on its own stderr, to
//! see each rebuild's stages rather than their medians.
//!
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
    /// The language (`--page-in ru`) whose page of the edit is fetched, as by a tab
    /// showing that language; the default language's when not given.
    page_in: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        root: PathBuf::from("."),
        file: None,
        edits: 21,
        bin: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/communique"),
        kind: "body".into(),
        pause: Duration::from_millis(400),
        page_in: None,
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
            "--page-in" => args.page_in = Some(value),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

/// Puts every file the benchmark touched back as it was (or removes it) however the
/// benchmark ends.
#[derive(Default)]
struct Restore(Vec<(PathBuf, Option<Vec<u8>>)>, Option<PathBuf>);
impl Restore {
    /// Remembers `path` as it is now, the first time it is named.
    fn keep(&mut self, path: &std::path::Path) {
        if !self.0.iter().any(|(p, _)| p == path) {
            self.0.push((path.to_path_buf(), std::fs::read(path).ok()));
        }
    }

    fn put_back(&mut self) {
        for (path, original) in self.0.drain(..) {
            let _ = match original {
                Some(bytes) => std::fs::write(&path, bytes),
                None => std::fs::remove_file(&path),
            };
        }
        // A folder the benchmark made, now empty again.
        if let Some(dir) = self.1.take() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}
impl Drop for Restore {
    fn drop(&mut self) {
        self.put_back();
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

/// One save: a file written (or removed), the page that must then show it and what it
/// must show (`None`: the page must be gone). `first_removed` are removed just before it
/// (a deleted report's translations).
struct Save {
    path: PathBuf,
    bytes: Option<Vec<u8>>,
    page: String,
    marker: Option<String>,
    first_removed: Vec<PathBuf>,
}

/// The report the benchmark edits: its file (relative to the root), text and page.
struct Edited {
    file: String,
    text: String,
    page: String,
}

/// Save `k` of the benchmark's kind.
fn save(args: &Args, edited: &Edited, k: usize) -> Save {
    let (root, original) = (&args.root, &edited.text);
    let report = |text: String, marker: String| Save {
        path: root.join(&edited.file),
        bytes: Some(text.into_bytes()),
        page: edited.page.clone(),
        marker: Some(marker),
        first_removed: Vec::new(),
    };
    match args.kind.as_str() {
        "body" => {
            report(format!("{original}\nEdited paragraph number {k} for the benchmark.\n"), format!("number {k} for"))
        }
        "title" => report(original.replacen("title: \"", &format!("title: \"[edit {k}] "), 1), format!("dit {k}]")),
        "date" => {
            report(replace_line(original, "date: ", &format!("date: {}-06-15", 1990 + k)), format!("June {}", 1990 + k))
        }
        "slug" => Save {
            page: format!("/reports/bench-slug-{k}/"),
            ..report(
                original.replacen("\ndate: ", &format!("\nslug: bench-slug-{k}\ndate: "), 1),
                format!("bench-slug-{k}"),
            )
        },
        "official" => report(
            original.replacen(
                "officials:\n",
                &format!("officials:\n  - name: Benchmark Official {k}\n    role: Deputy Director of Edit {k}\n"),
                1,
            ),
            format!("Benchmark Official {k}"),
        ),
        "city" => report(
            original.replacen("cities:\n", &format!("cities:\n  - Benchmark City {k}\n"), 1),
            format!("Benchmark City {k}"),
        ),
        "new-report" => Save {
            path: root.join(format!("content/reports/bench-new-{k}.md")),
            page: format!("/reports/bench-new-{k}/"),
            ..report(
                replace_line(original, "title: ", &format!("title: \"Benchmark new report {k}\"")),
                format!("Benchmark new report {k}"),
            )
        },
        "delete-report" => {
            let file = report_files(root).into_iter().nth(k + 1).expect("enough reports to delete");
            let first_removed = translations_of(root, &file);
            Save { path: root.join(&file), bytes: None, page: report_page(&file), marker: None, first_removed }
        }
        "registry" => {
            let path = root.join("data/people.yaml");
            let registry = std::fs::read_to_string(&path).expect("the registry written before the server started");
            let official = first_official(original);
            Save {
                // The file has biography 0.
                bytes: Some(with_biography(Some(&registry), &official, k + 1).into_bytes()),
                page: format!("/people/{}/", slugify(&official)),
                marker: Some(format!("Benchmark biography {}.", k + 1)),
                ..report(String::new(), String::new())
            }
            .at(path)
        }
        "translation" => {
            let file = edited.file.replace(".md", ".ru.md");
            let text = std::fs::read_to_string(root.join(&file)).expect("the report has a Russian translation");
            Save {
                page: format!("/ru{}", edited.page),
                ..report(format!("{text}\nEdited paragraph number {k} for the benchmark.\n"), format!("number {k} for"))
            }
            .at(root.join(file))
        }
        "photo" => {
            let photo = photo_beside(&root.join(&edited.file));
            let bytes = photo_with_a_mark(&photo, k);
            let stem = photo.file_stem().unwrap().to_string_lossy().into_owned();
            Save { bytes: Some(bytes), marker: Some(stem), ..report(String::new(), String::new()) }.at(photo)
        }
        other => panic!("unknown --kind {other}"),
    }
}

/// The JPEG `photo` with a square in its corner whose colour save `k` and the time choose,
/// so that every save is a new picture (a photo cache hit, or a file with the same
/// pixels, would take milliseconds). Made before the clock starts.
fn photo_with_a_mark(photo: &std::path::Path, k: usize) -> Vec<u8> {
    let mut picture = image::open(photo).expect("decode the photo").to_rgb8();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let colour = image::Rgb([(k * 37 % 256) as u8, (nanos % 256) as u8, (nanos / 256 % 256) as u8]);
    let side = 64.min(picture.width()).min(picture.height());
    for (x, y) in (0..side).flat_map(|x| (0..side).map(move |y| (x, y))) {
        picture.put_pixel(x, y, colour);
    }
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&picture).expect("encode");
    bytes
}

/// The first JPEG (by name) in the folder of the report file `report`.
fn photo_beside(report: &std::path::Path) -> PathBuf {
    let folder = report.parent().expect("the report's folder");
    let mut photos: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("read the report's folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg")))
        .collect();
    photos.sort();
    photos.into_iter().next().unwrap_or_else(|| panic!("no JPEG beside {}", report.display()))
}

/// `text` with its first line starting with `prefix` replaced by `line`.
fn replace_line(text: &str, prefix: &str, line: &str) -> String {
    let old = text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} line"));
    text.replacen(old, line, 1)
}

/// The report's first official's name.
fn first_official(report: &str) -> String {
    let line = report.lines().find(|l| l.trim_start().starts_with("- name: ")).expect("an official");
    line.trim_start().trim_start_matches("- name: ").trim().to_string()
}

impl Save {
    /// The same save of the file at `path`.
    fn at(self, path: PathBuf) -> Save {
        Save { path, ..self }
    }
}

/// `registry` (a `data/people.yaml`; `None` for none) with biography `k` for `name`: its
/// entry's `bio:` replaced, its other fields kept, or an entry of its own added.
fn with_biography(registry: Option<&str>, name: &str, k: usize) -> String {
    let bio = format!("  bio: \"Benchmark biography {k}.\"");
    let lines: Vec<&str> = registry.unwrap_or("").lines().collect();
    let names = |line: &str| {
        line.strip_prefix("- name:").is_some_and(|n| n.trim().trim_matches(|c| c == '"' || c == '\'') == name)
    };
    let Some(at) = lines.iter().position(|l| names(l)) else {
        return format!("{}- name: \"{name}\"\n{bio}\n", lines.iter().map(|l| format!("{l}\n")).collect::<String>());
    };
    let end = (at + 1..lines.len()).find(|&i| lines[i].starts_with("- ")).unwrap_or(lines.len());
    let entry = lines[at + 1..end].iter().copied().filter(|l| !l.starts_with("  bio:"));
    let edited: Vec<&str> =
        lines[..=at].iter().copied().chain([bio.as_str()]).chain(entry).chain(lines[end..].iter().copied()).collect();
    edited.iter().map(|l| format!("{l}\n")).collect()
}

/// The translations of report `file` (`x.ru.md`, `x.zh.md` beside `x.md`) under `root`.
fn translations_of(root: &std::path::Path, file: &str) -> Vec<PathBuf> {
    let stem = file.trim_end_matches(".md");
    let folder = std::path::Path::new(file).parent().expect("a report's folder");
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
        .expect("the report's folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            name.strip_prefix(&*root.join(stem).to_string_lossy())
                .and_then(|rest| rest.strip_suffix(".md"))
                .is_some_and(|code| code.len() > 1 && code.starts_with('.') && !code[1..].contains('.'))
        })
        .collect();
    found.sort();
    found
}

/// The slug of a plain Latin name, as communique makes it.
fn slugify(name: &str) -> String {
    let lower = name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    lower.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

fn main() {
    let args = parse_args();
    let file = args.file.clone().unwrap_or_else(|| report_files(&args.root).remove(0));
    let text = std::fs::read_to_string(args.root.join(&file)).expect("read the report to edit");
    let edited = Edited { page: report_page(&file), file, text };
    let mut restore = Restore::default();
    restore.keep(&args.root.join(&edited.file));
    if args.kind == "registry" {
        let path = args.root.join("data/people.yaml");
        restore.keep(&path);
        if !path.parent().unwrap().exists() {
            restore.1 = path.parent().map(PathBuf::from);
        }
        std::fs::create_dir_all(path.parent().unwrap()).expect("make data/");
        let registry = std::fs::read_to_string(&path).ok();
        let written = with_biography(registry.as_deref(), &first_official(&edited.text), 0);
        std::fs::write(&path, written).expect("write the registry");
    }

    let started = Instant::now();
    let mut child = Command::new(&args.bin)
        .args(["serve", "--root", args.root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start communique serve (build it with cargo build --release)");
    let stdout = child.stdout.take().unwrap();
    let stages = collect_stages(child.stderr.take().unwrap());
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
    let echo = std::env::var_os("SERVE_LATENCY_LOG").is_some();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if echo {
                eprintln!("{line}");
            }
        }
    });

    let stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let (mut socket, _) =
        tungstenite::client(format!("ws://{addr}/__livereload"), stream).expect("WebSocket handshake");
    wait_for(&mut socket, "hello");
    // The first build's stages are not an edit's.
    stages.lock().unwrap().clear();

    let mut times = Vec::new();
    let mut served = Vec::new();
    let mut current = Vec::new();
    let (mut photo_1x, mut photo_all, mut copies) = (Vec::new(), Vec::new(), std::collections::HashMap::new());
    for k in 0..args.edits {
        std::thread::sleep(args.pause);
        let mut save = save(&args, &edited, k);
        if let Some(language) = &args.page_in {
            save.page = format!("/{language}{}", save.page);
        }
        restore.keep(&save.path);
        save.first_removed.iter().for_each(|path| restore.keep(path));
        let t0 = Instant::now();
        for path in &save.first_removed {
            std::fs::remove_file(path).expect("remove a translation");
        }
        match &save.bytes {
            Some(bytes) => std::fs::write(&save.path, bytes).expect("write the file"),
            None => std::fs::remove_file(&save.path).expect("remove the file"),
        }
        let (reloaded, status, shown) = reload_showing(&mut socket, &addr, &save);
        times.push(ms(reloaded, t0));
        match &save.marker {
            Some(marker) => assert!(
                status == 200 && shown.contains(marker),
                "{} does not show edit {k} after the reload (status {status})",
                save.page
            ),
            None => assert_eq!(status, 404, "{} is still there after its report was removed", save.page),
        }
        served.push(t0.elapsed().as_secs_f64() * 1000.0);
        if args.kind == "photo" {
            let stem = save.marker.as_deref().expect("a photo save names its photo");
            let (at_1x, every) = fetch_copies(&addr, &save.page, (stem, &copy_widths(&shown, stem)), &mut copies);
            photo_1x.push(ms(at_1x, t0));
            photo_all.push(ms(every, t0));
        }
        get(&addr, "/figures/");
        current.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let stages = std::mem::take(&mut *stages.lock().unwrap());
    restore.put_back();
    // The photo put back is found in the photo cache: its copies are the first build's.
    wait_for(&mut socket, "reload");

    let (median, p90, min, max) = spread(&mut times);
    let (served_median, served_p90, ..) = spread(&mut served);
    let (current_median, current_p90, ..) = spread(&mut current);
    println!(
        "serve: startup {:.2} s; save -> reload ({} {} edits of {}, {} ms apart): median {median:.1} ms, p90 {p90:.1} ms, min {min:.1} ms, max {max:.1} ms; \
         save -> the edited page served: median {served_median:.1} ms, p90 {served_p90:.1} ms; \
         save -> the edited page and /figures/ fetched: median {current_median:.1} ms, p90 {current_p90:.1} ms",
        startup.as_secs_f64(),
        times.len(),
        args.kind,
        edited.file,
        args.pause.as_millis(),
    );
    if !photo_1x.is_empty() {
        let ((at_1x, at_1x_p90, ..), (every, every_p90, ..)) = (spread(&mut photo_1x), spread(&mut photo_all));
        println!(
            "photo: save -> the copy a 1x screen shows (960 pixels wide) served: median {at_1x:.1} ms, p90 {at_1x_p90:.1} ms; \
             save -> every copy served: median {every:.1} ms, p90 {every_p90:.1} ms"
        );
    }
    if !stages.is_empty() {
        println!("{}", stage_medians(stages));
    }
}

/// Milliseconds from `t0` to `t`.
fn ms(t: Instant, t0: Instant) -> f64 {
    t.duration_since(t0).as_secs_f64() * 1000.0
}

/// The widths of the copies of the photo `stem` that `page` (its HTML) names, ascending.
fn copy_widths(page: &str, stem: &str) -> Vec<u32> {
    let prefix = format!("{stem}-");
    let mut widths: Vec<u32> = (page.match_indices(&prefix))
        .filter_map(|(at, _)| page[at + prefix.len()..].split_once(".webp").and_then(|(w, _)| w.parse().ok()))
        .collect();
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// Fetches each copy of the photo `stem` beside `page` (the 960-pixel one first, as a
/// screen at 1x asks for the report's picture, then the others), checking that each is
/// new (not the bytes of the save before, kept in `last`). When the first and the last
/// arrived.
fn fetch_copies(
    addr: &str,
    page: &str,
    (stem, widths): (&str, &[u32]),
    last: &mut std::collections::HashMap<u32, String>,
) -> (Instant, Instant) {
    assert!(!widths.is_empty(), "the page shows no copy of {stem}");
    let mut order: Vec<u32> = widths.to_vec();
    order.sort_by_key(|&w| (w != 960, w));
    let mut first = None;
    for width in order {
        let (status, response) = get(addr, &format!("{page}{stem}-{width}.webp"));
        assert_eq!(status, 200, "the {width}-pixel copy of {stem} is missing");
        // The body alone: the headers (a date) differ every time.
        let bytes = response.split_once("\r\n\r\n").map_or(response.clone(), |(_, body)| body.to_string());
        let before = last.insert(width, bytes.clone());
        assert!(before.is_none_or(|b| b != bytes), "the {width}-pixel copy of {stem} is the one before the save");
        first.get_or_insert_with(Instant::now);
    }
    (first.unwrap(), Instant::now())
}

/// Stage times (`resolve`, `markdown`, ...) of each rebuild, in order, from the server's
/// `COMMUNIQUE_TIMINGS` lines on stderr (`  resolve 40.1 ms, media 4.9 ms`); the
/// stream is read to its end so the server never blocks on a full pipe.
fn collect_stages(stderr: std::process::ChildStderr) -> std::sync::Arc<std::sync::Mutex<Vec<(String, f64)>>> {
    let stages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let found = stages.clone();
    std::thread::spawn(move || {
        let echo = std::env::var_os("SERVE_LATENCY_LOG").is_some();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if echo {
                eprintln!("{line}");
            }
            let Some(line) = line.strip_prefix("  ") else { continue };
            // `cpu: user 61.2 ms, system 8.1 ms, page faults 1502`: what the process used.
            let (prefix, line) = line.strip_prefix("cpu: ").map_or(("", line), |rest| ("cpu ", rest));
            for part in line.split(", ") {
                let counted = part.strip_prefix("page faults ").map(|n| ("page faults", n));
                let value = counted.or_else(|| part.strip_suffix(" ms").and_then(|p| p.rsplit_once(' ')));
                if let Some((stage, value)) = value.and_then(|(stage, v)| Some((stage, v.parse::<f64>().ok()?))) {
                    let stage = if counted.is_some() { stage.to_string() } else { format!("{prefix}{stage}") };
                    found.lock().unwrap().push((stage, value));
                }
            }
        }
    });
    stages
}

/// `stages (medians of N rebuilds): resolve 40.1 ms, ...`, in the order the stages run.
fn stage_medians(stages: Vec<(String, f64)>) -> String {
    let mut names: Vec<String> = Vec::new();
    for (stage, _) in &stages {
        if !names.contains(stage) {
            names.push(stage.clone());
        }
    }
    let mut rebuilds = 0;
    let parts: Vec<String> = names
        .iter()
        .map(|name| {
            let mut times: Vec<f64> = stages.iter().filter(|(s, _)| s == name).map(|(_, t)| *t).collect();
            rebuilds = rebuilds.max(times.len());
            let median = spread(&mut times).0;
            if name == "page faults" { format!("{name} {median:.0}") } else { format!("{name} {median:.1} ms") }
        })
        .collect();
    format!("stages (COMMUNIQUE_TIMINGS, medians of {rebuilds} rebuilds): {}", parts.join(", "))
}

/// Median, p90, min and max of `times` (sorted in place).
fn spread(times: &mut [f64]) -> (f64, f64, f64, f64) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    (times[times.len() / 2], p90, times[0], times[times.len() - 1])
}

/// The site path of report `file` when it sets no `slug:` (the file stem, without a date).
fn report_page(file: &str) -> String {
    let path = std::path::Path::new(file);
    // A page bundle (`content/reports/<folder>/index.md`) is named by its folder.
    let named = if path.file_stem().is_some_and(|s| s == "index") { path.parent().unwrap() } else { path };
    let stem = named.file_name().unwrap().to_string_lossy().into_owned();
    let stem = stem.trim_end_matches(".md").to_string();
    let dated =
        stem.len() > 11 && stem.as_bytes()[10] == b'-' && stem[..10].bytes().filter(u8::is_ascii_digit).count() == 8;
    format!("/reports/{}/", if dated { &stem[11..] } else { &stem })
}

/// The status and body of `GET path` from the server.
fn get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(addr).expect("connect for a page");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read a page");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("GET {path}: {response}"));
    (status, response)
}

/// Waits for the reload after which `save.page` is gone, for a removed report (its
/// translations, removed first, may make a reload of their own), else for the next
/// reload: when that reload arrived, and the page's status and response fetched after it.
fn reload_showing(socket: &mut WebSocket<TcpStream>, addr: &str, save: &Save) -> (Instant, u16, String) {
    let mut reloads = 0;
    loop {
        wait_for(socket, "reload");
        let reloaded = Instant::now();
        reloads += 1;
        let (status, shown) = get(addr, &save.page);
        if save.marker.is_some() || status == 404 || reloads > save.first_removed.len() {
            return (reloaded, status, shown);
        }
    }
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

/// The site's report files (relative to the root), in name order, translations left out.
fn report_files(root: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/reports"))
        .expect("content/reports")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n.matches('.').count() == 1)
        .collect();
    names.sort();
    names.into_iter().map(|n| format!("content/reports/{n}")).collect()
}
