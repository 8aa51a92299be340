//! Broken sites from `tests/fixtures/bad/`: each must fail (or warn) with exactly the
//! diagnostics its `expect.txt` lists, quickly, without a panic, and without touching the
//! previous output. See `tests/fixtures/bad/README.md` for the format.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, repo_root, run_with_deadline, snapshot};

/// What one case expects.
struct Expectation {
    exit: i32,
    /// (`error` or `warning`, location, start of the message).
    diagnostics: Vec<(String, String, String)>,
}

fn read_expectation(case: &Path) -> Expectation {
    let text = std::fs::read_to_string(case.join("expect.txt"))
        .unwrap_or_else(|e| panic!("{}: no expect.txt: {e}", case.display()));
    let mut expectation = Expectation { exit: 1, diagnostics: Vec::new() };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(code) = line.strip_prefix("exit: ") {
            expectation.exit = code.trim().parse().expect("exit: N");
            continue;
        }
        let (severity, rest) = line.split_once(": ").unwrap_or_else(|| panic!("bad expect line {line:?}"));
        // The location ends at the first ": " after the path (paths hold no ": ").
        let (location, message) = rest.split_once(": ").unwrap_or_else(|| panic!("bad expect line {line:?}"));
        expectation.diagnostics.push((severity.to_string(), location.to_string(), message.to_string()));
    }
    expectation
}

/// Copies a case into a fresh folder, expanding the runner's special files.
fn materialise(case: &Path, into: &Path, outside: &Path) {
    copy_dir(case, into);
    std::fs::remove_file(into.join("expect.txt")).unwrap();
    for entry in walk(into) {
        if entry.extension().is_some_and(|x| x == "gen") {
            let spec = std::fs::read_to_string(&entry).unwrap();
            std::fs::write(entry.with_extension(""), generate(spec.trim())).unwrap();
            std::fs::remove_file(&entry).unwrap();
        }
    }
    if into.join("symlink-outside.txt").exists() {
        std::fs::remove_file(into.join("symlink-outside.txt")).unwrap();
        let target = outside.join("secret.md");
        std::fs::write(&target, "---\ntitle: Secret\ndate: 2020-01-01\n---\nSECRET\n").unwrap();
        std::os::unix::fs::symlink(&target, into.join("content/reports/linked.md")).unwrap();
    }
}

/// The text a `.gen` file stands for (see tests/fixtures/bad/README.md).
fn generate(spec: &str) -> String {
    let (kind, n) = spec.split_once(' ').expect("KIND N");
    let n: usize = n.parse().expect("KIND N");
    let head = "---\ntitle: Generated\ndate: 2020-01-01\n";
    match kind {
        "nest" => format!("{head}extra: {}{}\n---\nText.\n", "[".repeat(n), "]".repeat(n)),
        "string" => format!("{head}summary: \"{}\"\n---\nText.\n", "x".repeat(n)),
        "body" => format!("{head}---\n{}", "A sentence of a very long report.\n".repeat(n / 34)),
        "officials" => {
            let officials: String = hyphenations(n).iter().map(|name| format!("  - name: \"{name}\"\n")).collect();
            format!("{head}cities: [Tashkent]\nofficials:\n{officials}---\nText.\n")
        }
        "html" => format!("{head}---\n{}x{}\n", "<div>".repeat(n), "</div>".repeat(n)),
        "lookalikes" => hyphenations(n).iter().map(|name| format!("- name: \"{name}\"\n")).collect(),
        "name" => format!("{head}cities: [Tashkent]\nofficials:\n  - name: Wang {}\n---\nText.\n", long_name(n)),
        _ => panic!("unknown .gen kind {kind:?}"),
    }
}

/// `n` officials named by hyphenating one long name in `n` different ways (`Wang-luminghaoxin`,
/// `Wa-ngluminghaoxin`, ...): every one looks like every other.
fn hyphenations(n: usize) -> Vec<String> {
    let base = "wangluminghaoxinzhou";
    (1..=n)
        .map(|mask| {
            let name: String = base
                .chars()
                .enumerate()
                .map(|(i, c)| if mask >> i & 1 == 1 { format!("{c}-") } else { c.to_string() })
                .collect();
            format!("W{}", &name[1..])
        })
        .collect()
}

/// A "name" of about `n` letters in words of eight distinct letters each (a
/// deterministic scramble), so no two words are alike.
fn long_name(n: usize) -> String {
    let mut state: u32 = 1;
    let mut letter = || {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        char::from(b'a' + ((state >> 16) % 26) as u8)
    };
    (0..n / 9).map(|_| (0..8).map(|_| letter()).collect::<String>()).collect::<Vec<_>>().join(" ")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A run still going after this long is killed and reported (the limit for passing is
/// 10 s; the margin is for slow debug builds on a busy machine).
const HANG: Duration = Duration::from_secs(60);

/// Problems with one command's run of one case.
fn problems(command: &str, expectation: &Expectation, run: &crate::support::Run, took: Duration) -> Vec<String> {
    let mut found = Vec::new();
    if run.code != expectation.exit {
        found.push(format!("{command}: exit {} instead of {}", run.code, expectation.exit));
    }
    for (severity, location, message) in &expectation.diagnostics {
        let prefix = format!("{location}: {severity}: {message}");
        if !run.stderr.lines().any(|l| l.starts_with(&prefix)) {
            found.push(format!("{command}: no line starting with {prefix:?}"));
        }
    }
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        found.push(format!("{command}: panicked"));
    }
    if took > Duration::from_secs(10) {
        found.push(format!("{command}: took {took:?}"));
    }
    if !found.is_empty() {
        found.push(format!("{command} stderr:\n{}", run.stderr));
    }
    found
}

#[test]
fn every_broken_site_fails_with_its_expected_diagnostics() {
    let cases_dir = repo_root().join("tests/fixtures/bad");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&cases_dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expectation = read_expectation(case);
        let outside = tempfile::tempdir().unwrap();
        let site = tempfile::tempdir().unwrap();
        materialise(case, site.path(), outside.path());
        std::fs::create_dir_all(site.path().join("output")).unwrap();
        std::fs::write(site.path().join("output/index.html"), "previous build\n").unwrap();
        std::fs::write(site.path().join("output/.communique-manifest"), "index.html\n").unwrap();
        let before = snapshot(&site.path().join("output"));
        let root = site.path().to_str().unwrap();

        let started = Instant::now();
        let build = run_with_deadline(&["build", "--root", root], HANG);
        let mut found = problems("build", &expectation, &build, started.elapsed());
        if expectation.exit != 0 && snapshot(&site.path().join("output")) != before {
            found.push("build: the previous output was changed".into());
        }
        let started = Instant::now();
        let check = run_with_deadline(&["check", "--root", root], HANG);
        found.extend(problems("check", &expectation, &check, started.elapsed()));
        if name == "symlink-outside" {
            let written = snapshot(&site.path().join("output"));
            if written.values().any(|bytes| String::from_utf8_lossy(bytes).contains("SECRET")) {
                found.push("build: published the file behind the symbolic link".into());
            }
        }
        if !found.is_empty() {
            failures.push(format!("== {name}\n{}", found.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
