//! Diagnostics: every problem found in a run, with the file, line and column it points at.
//!
//! Stages push into one [`Diagnostics`] instead of returning early, so a single run reports
//! every error at once. Rendering (`path:line:col: error: message`, the source line and a
//! caret) lives here too, so `build` and `check` print errors identically.
//!
//! Every message is a [`Message`], written with [`msg!`] from a literal format string: the
//! test tests/testsuite/errors_docs.rs finds each `msg!` in the source and checks that
//! docs/errors.md shows it, so no message can be added without its entry.

use std::fmt::{self, Write as _};
use std::path::Path;

/// How serious a diagnostic is: errors fail the run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// The words of a diagnostic (or of a part of one, such as an image's or a date's
/// problem). Made by [`msg!`], or by [`Message::from_error`] for an error value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(String);

/// A [`Message`] from a literal format string and its arguments, as `format!` takes them.
/// Only a literal is accepted: the docs test reads it as the message's template.
macro_rules! msg {
    ($format:literal $($arguments:tt)*) => {
        $crate::diag::Message::written(format!($format $($arguments)*))
    };
}
pub(crate) use msg;

impl Message {
    /// What [`msg!`] expands to; call that instead, so the docs test sees the words.
    pub(crate) fn written(text: String) -> Message {
        Message(text)
    }

    /// The words of an error value: a library's own (the YAML parser's, the template
    /// engine's), or ours, made with [`msg!`] where the error was raised. Never for words
    /// written here: the docs test would not see them.
    pub fn from_error(error: impl fmt::Display) -> Message {
        Message(error.to_string())
    }

    /// `subject: message`: the message about one of several things (an image that a
    /// report names).
    pub fn about(self, subject: &str) -> Message {
        Message(format!("{subject}: {}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One problem, located in a source file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/reports/a.md`).
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// A suggestion shown under the caret (`did you mean "officials"?`).
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(path: impl Into<String>, line: usize, col: usize, message: Message) -> Self {
        Diagnostic { severity: Severity::Error, path: path.into(), line, col, message: message.0, hint: None }
    }

    /// A warning at `path:line:col`.
    pub fn warning(path: impl Into<String>, line: usize, col: usize, message: Message) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(path, line, col, message) }
    }

    /// Adds a hint shown after the caret.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `path:line:col` (or less, when line/column are unknown).
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (0, _) => self.path.clone(),
            (l, 0) => format!("{}:{}", self.path, l),
            (l, c) => format!("{}:{}:{}", self.path, l, c),
        }
    }

    /// Renders the diagnostic: a header line, then the source line with a caret when the
    /// file can be read from `root`.
    pub fn render(&self, root: &Path) -> String {
        self.render_styled(&mut SourceCache::new(root), false)
    }

    /// [`Diagnostic::render`] with ANSI colours (for a terminal) when `colour` is set,
    /// reading source lines through `sources` (one cache for all diagnostics of a run).
    pub fn render_styled(&self, sources: &mut SourceCache, colour: bool) -> String {
        let paint =
            |code: &str, text: &str| if colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = format!("{}: {}: {}\n", paint("1", &self.location()), paint(code, label), self.message);
        if let Some((line_text, col)) = self.snippet(sources) {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            let caret_pad: String =
                line_text.chars().take(col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {line_text}");
            let hint = self.hint.as_deref().map(|h| format!(" {h}")).unwrap_or_default();
            let _ = writeln!(out, "{gutter} | {caret_pad}{}", paint(code, &format!("^{hint}")));
        } else if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = help: {hint}");
        }
        out
    }

    /// The source line to show (cut around the column when very long) and the caret's
    /// column in it.
    fn snippet(&self, sources: &mut SourceCache) -> Option<(String, usize)> {
        if self.line == 0 || self.path.starts_with('(') {
            return None;
        }
        let file = sources.file(&self.path)?;
        let range = file.line_range(self.line)?;
        let line = &file.text[range.clone()];
        if line.len() <= WINDOW {
            return Some((line.to_string(), self.col));
        }
        let chars = file.long_lines.entry(range.start).or_insert_with(|| line.chars().collect());
        Some(window(chars, self.col))
    }

    /// One JSON object (for `--format json`): severity, path, line, column, message, hint.
    pub fn to_json(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        serde_json::json!({
            "severity": severity,
            "path": self.path,
            "line": self.line,
            "column": self.col,
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }
}

/// Characters of a source line shown around a caret.
const WINDOW: usize = 160;

/// Cuts a very long line (a paragraph on one line, minified data), given as its
/// characters, to about [`WINDOW`] characters around column `col`, marking cuts with `…`,
/// and returns the column of the caret in the cut text.
fn window(chars: &[char], col: usize) -> (String, usize) {
    if chars.len() <= WINDOW {
        return (chars.iter().collect(), col);
    }
    let caret = col.saturating_sub(1).min(chars.len());
    let start = caret.saturating_sub(WINDOW / 2).min(chars.len().saturating_sub(WINDOW));
    let end = (start + WINDOW).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    (text, caret - start + usize::from(start > 0) + 1)
}

/// Source files read once for all the diagnostics of a run: thousands of diagnostics in
/// one large file used to read and scan the whole file for each.
pub struct SourceCache {
    /// The site root, canonical (`None` when it cannot be resolved: then no lines are shown).
    root: Option<std::path::PathBuf>,
    files: std::collections::HashMap<String, Option<SourceFile>>,
}

struct SourceFile {
    text: String,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// The characters of lines too long to show whole, by their start offset.
    long_lines: std::collections::HashMap<usize, Vec<char>>,
}

impl SourceCache {
    /// A cache of the files under the site folder `root`.
    pub fn new(root: &Path) -> Self {
        SourceCache { root: root.canonicalize().ok(), files: Default::default() }
    }

    fn file(&mut self, path: &str) -> Option<&mut SourceFile> {
        let root = &self.root;
        self.files
            .entry(path.to_string())
            .or_insert_with(|| {
                let bytes = std::fs::read(inside(root.as_ref()?, path)?).ok()?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let line_starts = std::iter::once(0).chain(line_ends(&text)).collect();
                Some(SourceFile { text, line_starts, long_lines: Default::default() })
            })
            .as_mut()
    }
}

/// `root/path` when it names a file inside `root` (canonical) once `..` and symbolic links
/// are resolved: a diagnostic never shows lines of a file outside the site.
fn inside(root: &Path, path: &str) -> Option<std::path::PathBuf> {
    let file = root.join(path).canonicalize().ok()?;
    file.starts_with(root).then_some(file)
}

/// The byte offset just after each line break of `text`: LF, CRLF, or a lone CR, which
/// YAML and Markdown end a line at too (`load::decode_text` makes it LF before parsing).
fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|i| i + 1)
}

impl SourceFile {
    /// The bytes of 1-based line `line`, without its line break (nor a BOM on line 1).
    fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        if start >= self.text.len() && line > 1 {
            return None;
        }
        let end = self.line_starts.get(line).map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        let text_start = start + (text.len() - text.trim_start_matches('\u{feff}').len());
        let text_end = end - (text.len() - text.trim_end_matches('\r').len());
        Some(text_start..text_end.max(text_start))
    }
}

/// Every diagnostic of one run, in the order found; [`Diagnostics::sorted`] orders them.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many errors [`Diagnostics::sorted`] shows (each once).
    pub fn error_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// How many warnings [`Diagnostics::sorted`] shows (each once).
    pub fn warning_count(&self) -> usize {
        self.sorted().iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Diagnostics sorted by file, line and column, duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(distance, c)| (*distance, c.len()))
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let line = format!("{}TARGET{}", "a".repeat(400), "b".repeat(400));
        let (text, col) = window(&chars(&line), 401);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert_eq!(text.chars().nth(col - 1), Some('T'), "{text} / {col}");
        assert_eq!(window(&chars("short"), 3), ("short".to_string(), 3));
        let (text, col) = window(&chars(&"x".repeat(300)), 300);
        assert!(text.starts_with('…') && !text.ends_with('…'));
        assert_eq!(col, text.chars().count());
    }

    #[test]
    fn source_lines_come_from_one_read_of_each_file() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{}ERR{}", "é".repeat(300), "z".repeat(300));
        std::fs::write(dir.path().join("a.md"), format!("\u{feff}first\r\nsecond\n{long}\n")).unwrap();
        let mut sources = SourceCache::new(dir.path());
        let at = |line, col| Diagnostic::error("a.md", line, col, msg!("m"));
        assert_eq!(at(1, 1).snippet(&mut sources), Some(("first".to_string(), 1)));
        // Changing the file now shows that it is not read again.
        std::fs::write(dir.path().join("a.md"), "changed\n").unwrap();
        assert_eq!(at(2, 3).snippet(&mut sources), Some(("second".to_string(), 3)));
        let (text, col) = at(3, 301).snippet(&mut sources).unwrap();
        assert_eq!(text.chars().skip(col - 1).take(3).collect::<String>(), "ERR");
        assert_eq!(at(4, 1).snippet(&mut sources), None);
        assert_eq!(Diagnostic::error("missing.md", 1, 1, msg!("m")).snippet(&mut sources), None);
    }

    #[test]
    fn lines_of_files_outside_the_site_are_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(dir.path().join("secret.md"), "SECRET line\n").unwrap();
        std::fs::write(root.join("content/mine.md"), "my line\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.md"), root.join("content/linked.md")).unwrap();
        let absolute = dir.path().join("secret.md").to_string_lossy().into_owned();
        for path in ["../secret.md", "content/../../secret.md", "content/linked.md", absolute.as_str()] {
            let shown = Diagnostic::error(path, 1, 1, msg!("x")).render(&root);
            assert!(!shown.contains("SECRET"), "{path}: {shown}");
        }
        assert!(Diagnostic::error("content/mine.md", 1, 1, msg!("x")).render(&root).contains("my line"));
    }

    #[test]
    fn lone_cr_ends_a_source_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\rtitle: T\rcitys: x\r\n---\rbody").unwrap();
        let mut sources = SourceCache::new(dir.path());
        let mut at = |line| Diagnostic::error("a.md", line, 1, msg!("m")).snippet(&mut sources).map(|(text, _)| text);
        assert_eq!(
            [at(3), at(4), at(5), at(6)],
            [Some("citys: x".into()), Some("---".into()), Some("body".into()), None]
        );
    }

    #[test]
    fn suggests_close_field_names() {
        let fields = ["title", "officials", "organisation", "cities"];
        assert_eq!(did_you_mean("offical", fields), Some("officials"));
        assert_eq!(did_you_mean("organization", fields), Some("organisation"));
        assert_eq!(did_you_mean("weather", fields), None);
    }

    #[test]
    fn renders_location_line_and_caret() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\noffical: x\n---\n").unwrap();
        let d = Diagnostic::error("a.md", 2, 1, msg!("unknown field `offical`")).with_hint("did you mean `officials`?");
        let text = d.render(dir.path());
        assert_eq!(
            text,
            "a.md:2:1: error: unknown field `offical`\n  |\n2 | offical: x\n  | ^ did you mean `officials`?\n"
        );
    }

    #[test]
    fn sorted_orders_by_file_then_line_and_dedups() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("b.md", 1, 1, msg!("x")));
        d.push(Diagnostic::error("a.md", 9, 1, msg!("y")));
        d.push(Diagnostic::error("a.md", 2, 1, msg!("z")));
        d.push(Diagnostic::error("a.md", 2, 1, msg!("z")));
        let lines: Vec<String> = d.sorted().iter().map(|d| d.location()).collect();
        assert_eq!(lines, ["a.md:2:1", "a.md:9:1", "b.md:1:1"]);
    }
}
