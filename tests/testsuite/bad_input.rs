//! Broken sites from `tests/fixtures/bad/`: each must fail (or warn) with exactly the
//! diagnostics its `expect.txt` lists, every one and no other, quickly, without a panic,
//! and without touching the previous output. See `tests/fixtures/bad/README.md` for the
//! format.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, files_under, repo_root, run_with_deadline, snapshot};

/// What one case expects: its exit status and every diagnostic it prints, no more.
struct Expectation {
    exit: i32,
    /// Each with how many printed diagnostics it stands for.
    diagnostics: Vec<(usize, Diagnostic)>,
}

/// One diagnostic: `error`, `warning`, or `fatal` (an error that stops the run before any
/// file is read, printed as `error: MESSAGE` with no location).
#[derive(Debug, Clone, PartialEq)]
struct Diagnostic {
    severity: String,
    /// `path:line:col`, `path:line`, `path`, or empty for `fatal`. In an expectation, `…`
    /// stands for any text.
    location: String,
    /// The whole message as printed; in an expectation its start, where `…` stands for
    /// any text.
    message: String,
}

/// The wildcard of expect.txt lines.
const ANY: char = '…';

impl Diagnostic {
    /// Whether `self`, an expectation, matches the printed diagnostic `printed`: the
    /// same severity, the same location, a message that starts as expected.
    fn matches(&self, printed: &Diagnostic) -> bool {
        self.severity == printed.severity
            && glob(&self.location, &printed.location, true)
            && glob(&self.message, &printed.message, false)
    }
}

/// Whether `text` matches `pattern`, in which [`ANY`] stands for any text: all of it when
/// `whole`, else a start of it.
fn glob(pattern: &str, text: &str, whole: bool) -> bool {
    let mut parts = pattern.split(ANY);
    let Some(mut rest) = text.strip_prefix(parts.next().unwrap_or_default()) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return !whole || rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    if whole { rest.ends_with(last) } else { rest.contains(last) }
}

impl std::fmt::Display for Diagnostic {
    /// The diagnostic as an expect.txt line.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.severity.as_str() {
            "fatal" => write!(f, "fatal: {}", self.message),
            severity => write!(f, "{severity}: {}: {}", self.location, self.message),
        }
    }
}

fn read_expectation(case: &Path) -> Expectation {
    let text = std::fs::read_to_string(case.join("expect.txt"))
        .unwrap_or_else(|e| panic!("{}: no expect.txt: {e}", case.display()));
    let mut expectation = Expectation { exit: 1, diagnostics: Vec::new() };
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let bad = || format!("{}/expect.txt: bad line {line:?}", case.display());
        // `N x ` before a line: it stands for N diagnostics.
        let (count, line) = match line.split_once(" x ") {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => (n.parse().unwrap(), rest),
            _ => (1, line),
        };
        let (kind, rest) = line.split_once(": ").unwrap_or_else(|| panic!("{}", bad()));
        let diagnostic = match kind {
            "exit" => {
                expectation.exit = rest.trim().parse().unwrap_or_else(|_| panic!("{}", bad()));
                continue;
            }
            "fatal" => Diagnostic { severity: kind.into(), location: String::new(), message: rest.into() },
            "error" | "warning" => {
                // The location ends at the first ": " (paths in fixtures hold no ": ").
                let (location, message) = rest.split_once(": ").unwrap_or_else(|| panic!("{}", bad()));
                Diagnostic { severity: kind.into(), location: location.into(), message: message.into() }
            }
            _ => panic!("{}", bad()),
        };
        expectation.diagnostics.push((count, diagnostic));
    }
    expectation
}

/// What a run printed on stderr, read line by line as `build` and `check` print it.
#[derive(Default)]
struct Printed {
    diagnostics: Vec<Diagnostic>,
    /// What the `N errors, M warnings` line says, if there is one.
    count: Option<(usize, usize)>,
    /// Lines that are none of the above, a source excerpt or the failed build's last words.
    unexpected: Vec<String>,
}

/// Splits stderr into diagnostics: `LOCATION: error: MESSAGE` (or `warning`), each
/// followed by a three-line source excerpt (` |`, `N | text`, ` | ^ hint`) or a
/// `  = help:` line; the count; `error: build failed; …`; and fatal `error: MESSAGE` lines.
fn parse_stderr(stderr: &str) -> Printed {
    let mut printed = Printed::default();
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("error: build failed; ") && line.ends_with(" was left untouched") {
            continue;
        }
        if let Some(message) = line.strip_prefix("error: ") {
            printed.diagnostics.push(Diagnostic {
                severity: "fatal".into(),
                location: String::new(),
                message: message.into(),
            });
            continue;
        }
        if let Some(count) = parse_count(line) {
            printed.count = Some(count);
            continue;
        }
        let headline = ["error", "warning"].iter().find_map(|severity| {
            let (location, message) = line.split_once(&format!(": {severity}: "))?;
            let location_ok = !location.is_empty() && !location.starts_with(' ') && !location.contains(" | ");
            location_ok.then(|| Diagnostic {
                severity: severity.to_string(),
                location: location.into(),
                message: message.into(),
            })
        });
        let Some(diagnostic) = headline else {
            printed.unexpected.push(line.to_string());
            continue;
        };
        printed.diagnostics.push(diagnostic);
        let gutter = |l: &str| l.trim_start().starts_with('|') && l.starts_with(' ');
        match lines.peek() {
            Some(next) if gutter(next) && next.trim() == "|" => {
                lines.next();
                let number = lines.next().unwrap_or_default();
                let caret = lines.next().unwrap_or_default();
                let numbered = number.split_once(" | ").is_some_and(|(n, _)| n.parse::<usize>().is_ok());
                if !numbered || !gutter(caret) || !caret.contains('^') {
                    printed.unexpected.push(format!("{number}\n{caret}"));
                }
            }
            Some(next) if next.starts_with("  = help: ") => {
                lines.next();
            }
            _ => {}
        }
    }
    printed
}

/// The numbers of errors and warnings a count line says: `3 errors, 1 warning`,
/// `1,204 errors, 0 warnings`, `2 warnings`. `None` for any other line.
fn parse_count(line: &str) -> Option<(usize, usize)> {
    let number = |part: &str, word: &str| {
        let (n, w) = part.split_once(' ')?;
        let n = n.replace(',', "").parse().ok()?;
        (w == word || w == format!("{word}s")).then_some(n)
    };
    match line.split_once(", ") {
        Some((errors, warnings)) => Some((number(errors, "error")?, number(warnings, "warning")?)),
        None => Some((0, number(line, "warning")?)),
    }
}

/// Pairs every expected diagnostic with as many printed ones as its count says, each
/// matching it (lines without wildcards first, then the most literal, so that a line with
/// wildcards cannot take what a more precise line names). Returns the expectations short of their count (with how
/// many are missing) and the printed diagnostics left over.
fn unmatched(expected: &[(usize, Diagnostic)], printed: &[Diagnostic]) -> (Vec<(usize, Diagnostic)>, Vec<Diagnostic>) {
    let mut left: Vec<Option<&Diagnostic>> = printed.iter().map(Some).collect();
    let mut wanted: Vec<&(usize, Diagnostic)> = expected.iter().collect();
    let wildcards = |d: &Diagnostic| d.location.contains(ANY) || d.message.contains(ANY);
    let literal = |d: &Diagnostic| d.location.replace(ANY, "").len() + d.message.replace(ANY, "").len();
    wanted.sort_by_key(|(_, d)| (wildcards(d), std::cmp::Reverse(literal(d))));
    let mut missing = Vec::new();
    for (count, want) in wanted {
        let mut found = 0;
        for slot in left.iter_mut().filter(|p| p.is_some_and(|p| want.matches(p))).take(*count) {
            *slot = None;
            found += 1;
        }
        if found < *count {
            missing.push((count - found, want.clone()));
        }
    }
    (missing, left.into_iter().flatten().cloned().collect())
}

#[test]
fn expect_lines_match_as_the_readme_says() {
    assert!(glob("a…c", "abbbc", true) && !glob("a…c", "abbbcd", true) && glob("a…c", "abbbcd", false));
    assert!(glob("data/people.yaml:…", "data/people.yaml:12", true));
    assert!(!glob("data/people.yaml:…", "data/cities.yaml:12", true));
    assert!(!glob("a.md:1", "a.md:12", true) && glob("unknown", "unknown field", false));
    let d = |location: &str, message: &str| Diagnostic {
        severity: "warning".into(),
        location: location.into(),
        message: message.into(),
    };
    let printed =
        [d("a.md:1", "person \"A\" looks like \"B\""), d("a.md:2", "person \"C\" looks like \"B\""), d("a.md:3", "X")];
    let expected = [(1, d("a.md:…", "person \"…\" looks like")), (1, d("a.md:1", "person \"A\""))];
    assert_eq!(unmatched(&expected, &printed), (vec![], vec![printed[2].clone()]));
    let expected = [(3, d("a.md:…", "person")), (1, d("a.md:3", "X")), (1, d("b.md", "X"))];
    assert_eq!(unmatched(&expected, &printed), (vec![(1, d("b.md", "X")), (1, d("a.md:…", "person"))], vec![]));
    let fatal = Diagnostic { severity: "fatal".into(), location: String::new(), message: "no site".into() };
    assert_eq!(parse_stderr("error: no site\n").diagnostics, [fatal]);
    assert_eq!(parse_count("1,204 errors, 1 warning"), Some((1204, 1)));
    assert_eq!(parse_count("2 warnings"), Some((0, 2)));
    assert_eq!(parse_count("built 2 reports"), None);
}

/// Copies a case into a fresh folder, expanding the runner's special files.
fn materialise(case: &Path, into: &Path, outside: &Path) {
    copy_dir(case, into);
    std::fs::remove_file(into.join("expect.txt")).unwrap();
    for entry in files_under(into) {
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

/// A run still going after this long is killed and reported (the limit for passing is
/// 10 s; the margin is for slow debug builds on a busy machine).
const HANG: Duration = Duration::from_secs(60);

/// Problems with one command's run of one case.
fn problems(command: &str, expectation: &Expectation, run: &crate::support::Run, took: Duration) -> Vec<String> {
    let mut found = Vec::new();
    if run.code != expectation.exit {
        found.push(format!("{command}: exit {} instead of {}", run.code, expectation.exit));
    }
    let printed = parse_stderr(&run.stderr);
    let (missing, unexpected) = unmatched(&expectation.diagnostics, &printed.diagnostics);
    found.extend(missing.iter().map(|(n, d)| format!("{command}: not printed ({n} times): {d}")));
    found.extend(at_most(20, unexpected.iter().map(|d| format!("{command}: printed but not in expect.txt: {d}"))));
    found.extend(at_most(
        20,
        printed.unexpected.iter().map(|l| format!("{command}: a line that is no diagnostic: {l:?}")),
    ));
    let count = |severity: &str| printed.diagnostics.iter().filter(|d| d.severity == severity).count();
    let counted = Some((count("error"), count("warning"))).filter(|n| *n != (0, 0));
    if printed.count != counted {
        found.push(format!("{command}: the count line says {:?}, not {counted:?}", printed.count));
    }
    if run.stderr.contains("panicked") || run.stderr.contains("RUST_BACKTRACE") {
        found.push(format!("{command}: panicked"));
    }
    if took > Duration::from_secs(10) {
        found.push(format!("{command}: took {took:?}"));
    }
    if !found.is_empty() {
        let stderr: Vec<String> = at_most(100, run.stderr.lines().map(str::to_string));
        found.push(format!("{command} stderr:\n{}", stderr.join("\n")));
    }
    found
}

/// The first `n` of `lines`, and a line saying how many more there were.
fn at_most(n: usize, lines: impl Iterator<Item = String>) -> Vec<String> {
    let mut lines: Vec<String> = lines.collect();
    if lines.len() > n {
        let more = lines.len() - n;
        lines.truncate(n);
        lines.push(format!("… and {more} more"));
    }
    lines
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
        let outside = crate::support::tempdir();
        let site = crate::support::tempdir();
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
