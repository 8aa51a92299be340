//! Test helpers: a throwaway site in a temporary folder, a way to run the real `communique`
//! binary on it, and small wrappers around `scraper` to read the pages it writes.
//!
//! ```ignore
//! let site = TestSite::new().file("content/reports/a.md", "---\ntitle: A\ndate: 2019-04-02\n---\n");
//! site.build(&[]).success();
//! assert_eq!(site.page("reports/a/index.html").text("h1"), "A");
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// A copy of the example site built once per test run, its output removed and its
/// `.communique-cache/` kept: tests of other things start from a copy of it, so the
/// photos are processed once (an unoptimised build takes seconds per photo), not in
/// every test.
fn warm_example() -> &'static TestSite {
    static SITE: std::sync::OnceLock<TestSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::example_sources().kept_for_the_run();
        site.build(&[]).success();
        std::fs::remove_dir_all(site.output()).expect("remove the warm build's output");
        site
    })
}

/// The repository root, which is also the example site.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (links not followed, so listed as files), sorted; none when
/// `dir` is missing.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let entries = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok);
    entries.filter(|e| !e.file_type().is_dir()).map(walkdir::DirEntry::into_path).collect()
}

/// Where the tests' temporary folders go: `$TMPDIR` when it is set; else, on Linux,
/// `/dev/shm` (memory) when it has room for them; else the system's temporary folder.
/// The suite makes and removes tens of thousands of files, and on an ext4 without a
/// journal (the root disk of the project's CI machines) creating a file while many were
/// deleted moments ago searches the inode table for one not recently freed: a quarter of
/// the suite's CPU time went there (docs/performance.md).
pub fn temp_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let memory = Path::new("/dev/shm");
        let chosen = std::env::var_os("TMPDIR").is_none() && has_room_for_tests(memory);
        if chosen { memory.to_path_buf() } else { std::env::temp_dir() }
    })
}

/// Whether `dir` is a folder the tests can write into with a few GiB free (a container's
/// `/dev/shm` is often 64 MiB).
#[cfg(target_os = "linux")]
fn has_room_for_tests(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    const ROOM: u64 = 4 << 30;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else { return false };
    // SAFETY: `path` is a NUL-terminated string and `stats` a zeroed struct for the call
    // to fill in; both outlive it.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return false;
    }
    // Both are u64 on 64-bit Linux, narrower on some 32-bit targets.
    #[allow(clippy::useless_conversion)]
    let free = u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize));
    free >= ROOM && tempfile::tempdir_in(dir).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn has_room_for_tests(_: &Path) -> bool {
    false
}

/// A new temporary folder under [`temp_root`], removed when the value is dropped.
pub fn tempdir() -> TempDir {
    tempfile::Builder::new().prefix("communique-test-").tempdir_in(temp_root()).expect("create a tempdir")
}

/// The folders of sites kept for the whole run ([`TestSite::kept_for_the_run`]), which
/// the process removes as it exits.
static KEPT_FOR_THE_RUN: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
extern "C" fn remove_sites_kept_for_the_run() {
    if let Ok(folders) = KEPT_FOR_THE_RUN.lock() {
        for folder in folders.iter() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// A site in its own temporary folder (removed when the value is dropped).
pub struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// An empty site: a temporary folder with nothing in it.
    pub fn new() -> Self {
        TestSite { dir: tempdir() }
    }

    /// This site, to be held in a `static` for the whole run: a static is never dropped,
    /// so its folder is removed when the test process exits instead (libtest ends with
    /// `exit`, which runs `atexit` handlers).
    pub fn kept_for_the_run(self) -> Self {
        let mut folders = KEPT_FOR_THE_RUN.lock().unwrap();
        #[cfg(target_os = "linux")]
        if folders.is_empty() {
            // SAFETY: the handler is a plain function that lives as long as the process.
            unsafe { libc::atexit(remove_sites_kept_for_the_run) };
        }
        folders.push(self.root().to_path_buf());
        self
    }

    /// A copy of this site (every file, `.communique-cache/` included) in a folder of its
    /// own.
    pub fn copy(&self) -> Self {
        let site = TestSite::new();
        copy_dir(self.root(), site.root());
        site
    }

    /// A copy of the repository's example site (`site.yaml`, `content/`, `data/`,
    /// `static/`) with its photos already in `.communique-cache/`. The theme is not
    /// copied; the default theme is embedded in the binary.
    pub fn example() -> Self {
        warm_example().copy()
    }

    /// The example site's sources alone, without a cache of its processed photos.
    pub fn example_sources() -> Self {
        let site = TestSite::new();
        std::fs::copy(repo_root().join("site.yaml"), site.root().join("site.yaml")).expect("copy site.yaml");
        for folder in ["content", "data", "static"] {
            copy_dir(&repo_root().join(folder), &site.root().join(folder));
        }
        site
    }

    /// The example site in its default language only: `languages:` taken out of
    /// `site.yaml` and the translations (`about.ru.md`) left out, for tests of a site in one
    /// language (without `languages:`, `about.ru.md` would be a page of its own).
    pub fn example_in_one_language() -> Self {
        let site = TestSite::example();
        let config = site.read("site.yaml");
        let (kept, languages) = without_languages(&config);
        assert!(!languages.is_empty(), "the example site.yaml has no languages:\n{config}");
        site.write("site.yaml", &kept);
        for file in snapshot(&site.path("content")).into_keys() {
            let stem = file.trim_end_matches(".md");
            if languages.iter().any(|tag| stem.ends_with(&format!(".{tag}"))) {
                std::fs::remove_file(site.path(&format!("content/{file}"))).expect("remove a translation");
            }
        }
        site
    }

    /// The example site together with the repository's `themes/` folder.
    pub fn example_with_themes() -> Self {
        let site = TestSite::example();
        copy_dir(&repo_root().join("themes"), &site.root().join("themes"));
        site
    }

    /// Switches the site to the repository's minimal theme: copies `themes/minimal` in and
    /// adds `theme: minimal` to site.yaml.
    pub fn use_minimal_theme(&self) {
        copy_dir(&repo_root().join("themes/minimal"), &self.path("themes/minimal"));
        self.write("site.yaml", &format!("{}\ntheme: minimal\n", self.read("site.yaml")));
    }

    /// The site root (absolute).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `root/rel`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output folder, `root/output`.
    pub fn output(&self) -> PathBuf {
        self.path("output")
    }

    /// Writes `text` to `root/rel`, creating folders as needed.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Like [`TestSite::file`], for a site that is already in use.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a parent folder")).expect("create folders");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Reads `root/rel` as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs `communique build --root <root>` followed by `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let root = self.root().to_str().expect("a UTF-8 temp path");
        let mut all = vec!["build", "--root", root];
        all.extend_from_slice(args);
        run(&all)
    }

    /// Runs `communique check --root <root>`.
    pub fn check(&self) -> Run {
        run(&["check", "--root", self.root().to_str().expect("a UTF-8 temp path")])
    }

    /// Parses `output/<rel>` (e.g. `reports/a/index.html`).
    pub fn page(&self, rel: &str) -> Page {
        Page::read(&self.output(), rel)
    }

    /// Whether `output/<rel>` exists.
    pub fn has(&self, rel: &str) -> bool {
        self.output().join(rel).is_file()
    }

    /// Every `.html` file of the output, as output-relative paths, sorted.
    pub fn html_files(&self) -> Vec<String> {
        snapshot(&self.output()).into_keys().filter(|p| p.ends_with(".html")).collect()
    }
}

/// The result of running the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0 and returns `self`.
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts exit code `code` and returns `self`.
    #[track_caller]
    pub fn exit(self, code: i32) -> Self {
        assert_eq!(self.code, code, "unexpected exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }
}

/// Runs the `communique` binary with `args` (no working-folder assumptions: pass `--root`).
pub fn run(args: &[&str]) -> Run {
    run_with_env(args, &[])
}

/// [`run`] with extra environment variables.
pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .env_remove("COMMUNIQUE_TIMINGS")
        .env_remove("COMMUNIQUE_REPORTS_PER_SHARD")
        .envs(env.iter().copied())
        .output()
        .expect("run communique");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// [`run`], but the process is killed once `deadline` has passed (then `code` is -1 and
/// stderr ends with a note), so a hang fails the test instead of stalling the suite.
pub fn run_with_deadline(args: &[&str], deadline: std::time::Duration) -> Run {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(args)
        .env_remove("COMMUNIQUE_TIMINGS")
        .env_remove("COMMUNIQUE_REPORTS_PER_SHARD")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run communique");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for communique") {
            break Some(status);
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let mut stderr = stderr.join().expect("stderr reader");
    if status.is_none() {
        stderr.push_str(&format!("\n(killed after {deadline:?})\n"));
    }
    Run { code: status.and_then(|s| s.code()).unwrap_or(-1), stdout: stdout.join().expect("stdout reader"), stderr }
}

/// Every file under `dir`, keyed by `/`-separated relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("read {}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                files.insert(rel, std::fs::read(&path).expect("read an output file"));
            }
        }
    }
    files
}

/// `config` (a site.yaml) without its `languages:` mapping, and the language tags it held.
fn without_languages(config: &str) -> (String, Vec<String>) {
    let mut kept = String::new();
    let mut tags = Vec::new();
    let mut inside = false;
    for line in config.lines() {
        if line.starts_with("languages:") {
            inside = true;
        } else if inside && line.starts_with(' ') {
            let key = line.trim_start();
            if line.len() - key.len() == 2 {
                tags.extend(key.split(':').next().map(str::to_string));
            }
        } else {
            inside = false;
            kept.push_str(line);
            kept.push('\n');
        }
    }
    (kept, tags)
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Parses a CSS selector, panicking with the selector on a typo.
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// The text of an element with runs of whitespace collapsed to one space, trimmed.
pub fn text_of(element: ElementRef) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The elements under `element` matching `css`.
pub fn select_in<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&selector(css)).collect()
}

/// One parsed output page and where it sits in the output folder.
pub struct Page {
    /// Output-relative path (`reports/a/index.html`).
    pub path: String,
    /// The parsed document.
    pub html: Html,
}

impl Page {
    /// Parses `output/<rel>`.
    pub fn read(output: &Path, rel: &str) -> Page {
        let file = output.join(rel);
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        Page { path: rel.to_string(), html: Html::parse_document(&text) }
    }

    /// Every element matching `css`, in document order.
    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    /// The text of the single element matching `css` (panics on none or several).
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        match self.select(css).as_slice() {
            [one] => text_of(*one),
            found => panic!("{}: expected one {css:?}, found {}", self.path, found.len()),
        }
    }

    /// The texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// The value of `attr` on every element matching `css` that has it.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css).into_iter().filter_map(|e| e.attr(attr)).map(str::to_string).collect()
    }

    /// The output file a link on this page leads to (see [`resolve`]).
    #[track_caller]
    pub fn target(&self, href: &str) -> String {
        resolve(&self.path, href).unwrap_or_else(|| panic!("{}: link {href:?} leaves the output folder", self.path))
    }

    /// The output file behind the single link whose text is exactly `text` inside `scope`.
    #[track_caller]
    pub fn follow(&self, scope: &str, text: &str) -> String {
        let links: Vec<ElementRef> =
            self.select(&format!("{scope} a[href]")).into_iter().filter(|a| text_of(*a) == text).collect();
        match links.as_slice() {
            [a] => self.target(a.attr("href").expect("selected with [href]")),
            found => panic!("{}: expected one link {text:?} in {scope:?}, found {}", self.path, found.len()),
        }
    }
}

/// Whether a link leaves the site: a scheme such as `https:` or `mailto:`, or `//host`.
pub fn is_external(href: &str) -> bool {
    href.starts_with("//")
        || href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Resolves a relative link on the page at output path `from` (`reports/a/index.html`) to
/// the output file it names: `#...` and `?...` are dropped, and a link to a folder (ending
/// in `/`, or empty such as `./`) means that folder's `index.html`. `None` when the link
/// climbs out of the output folder.
pub fn resolve(from: &str, href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the page's own file name
    let segments: Vec<&str> = path.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let names_folder = path.is_empty() || path.ends_with('/') || matches!(segments.last(), Some(&"." | &".."));
    if names_folder {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

#[test]
fn resolve_follows_relative_links() {
    assert_eq!(resolve("reports/a/index.html", "../../people/x/").as_deref(), Some("people/x/index.html"));
    assert_eq!(resolve("reports/a/index.html", "../b/#figures").as_deref(), Some("reports/b/index.html"));
    assert_eq!(resolve("people/index.html", "./").as_deref(), Some("people/index.html"));
    assert_eq!(resolve("people/index.html", "..").as_deref(), Some("index.html"));
    assert_eq!(resolve("index.html", "assets/style.css?v=1").as_deref(), Some("assets/style.css"));
    assert_eq!(resolve("index.html", "../x/"), None);
    assert!(is_external("https://x.org") && is_external("mailto:a@b.c") && is_external("//cdn.x/y"));
    assert!(!is_external("../people/") && !is_external("#main"));
}
