//! Loading: reads content/ and data/ into raw, located input values (`Sources`).
//!
//! The walk is sorted so the order of everything downstream is deterministic. Files are
//! read and parsed in parallel; each file's problems become diagnostics that name it, and
//! a broken file is left out rather than stopping the run.

pub mod body;
pub mod cache;
pub mod raw;
pub mod registry;
pub mod split;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Message, msg};
// File text and YAML reading live in a base module (the project's site.yaml needs them
// too); re-exported here for the loaders' callers.
use crate::project::{Project, sources};
pub use crate::text::{InvalidUtf8, MAX_YAML_NESTING, decode_text, parse_yaml, parse_yaml_reporting_all, yaml_error};
use raw::{RawCityEntry, RawPage, RawPerson, RawReport, RawTranslation};
pub use registry::{RegistryMemory, parse_registry, read_registries};
use split::{SplitError, split_front_matter};

/// A parsed Markdown file: its front matter, body and where they sit in the file.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// Root-relative path with `/` separators (`content/reports/a.md`).
    pub path: String,
    pub meta: T,
    /// The front matter as written, for locating values in diagnostics.
    pub yaml: String,
    pub yaml_line: usize,
    /// Shared, so the model and `serve`'s cache of parsed files hold one copy of the text.
    pub body: crate::load::body::Body,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

/// The file line and column where `needle` first appears in the front matter; falls back
/// to the first front-matter line.
pub fn locate<T>(parsed: &Parsed<T>, needle: &str) -> (usize, usize) {
    parsed
        .yaml
        .lines()
        .enumerate()
        .find_map(|(i, line)| line.find(needle).map(|col| (parsed.yaml_line + i, line[..col].chars().count() + 1)))
        .unwrap_or((parsed.yaml_line, 1))
}

/// [`locate`] for the name of a city or official that a report names: its first place
/// outside the report's own words (the `title:` and `summary:` lines, which may mention
/// it), so that where an entity is named stays put when the title is edited.
pub fn locate_name<T>(parsed: &Parsed<T>, name: &str) -> (usize, usize) {
    let own_words = |line: &str| line.starts_with("title:") || line.starts_with("summary:");
    (parsed.yaml.lines().enumerate())
        .filter(|(_, line)| !own_words(line))
        .find_map(|(i, line)| line.find(name).map(|col| (parsed.yaml_line + i, line[..col].chars().count() + 1)))
        .unwrap_or_else(|| locate(parsed, name))
}

/// A registry entry and the file line where it starts.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub path: String,
    pub line: usize,
    pub value: T,
}

/// A content file in another language than the site's default: its language and the
/// site path of the original it translates.
#[derive(Debug, Clone)]
pub struct Translated<T> {
    pub language: String,
    pub original: String,
    pub parsed: Parsed<T>,
}

/// Everything read from disk, before identities and links are resolved.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Shared with `serve`'s cache of parsed files, which resolves from them again after
    /// each structural edit without copying them.
    pub reports: Vec<std::sync::Arc<Parsed<RawReport>>>,
    pub pages: Vec<Parsed<RawPage>>,
    /// Translations of reports and of plain pages (only with `languages:` in site.yaml).
    pub report_translations: Vec<std::sync::Arc<Translated<RawTranslation>>>,
    pub page_translations: Vec<Translated<RawPage>>,
    /// The registries, shared with `serve`'s cache as they were last read.
    pub people: std::sync::Arc<[Located<RawPerson>]>,
    pub cities: std::sync::Arc<[Located<RawCityEntry>]>,
    /// Content files that exist but could not be read or parsed (their errors are already
    /// reported), so links to them are not reported a second time as missing.
    pub unreadable: Vec<String>,
}

impl Sources {
    /// Adds one content file's parse result; `None` records it as unreadable (only then is
    /// its path copied: `serve` gathers every file's on each resolve).
    pub fn add(&mut self, rel_path: &str, file: Option<ContentFile>) {
        match file {
            Some(ContentFile::Report(r)) => self.reports.push(r),
            Some(ContentFile::Page(p)) => self.pages.push(*p),
            Some(ContentFile::ReportTranslation(t)) => self.report_translations.push(t),
            Some(ContentFile::PageTranslation(t)) => self.page_translations.push(*t),
            None => self.unreadable.push(rel_path.to_string()),
        }
    }
}

/// Whether `path` (absolute, under the project) is a content file the build reads: a `.md`
/// file under content/ with no hidden or editor-temporary part (`.x.md.swp`, `a.md~`).
pub fn is_content_file(project: &Project, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(project.content_dir()) else { return false };
    path.extension().is_some_and(|x| x == "md") && rel.components().all(|c| !is_hidden(c.as_os_str()))
}

/// Whether `path` (absolute, under the project) may be a file the media stage publishes
/// from content/ (a photo beside a report): not Markdown, not hidden or an editor's
/// temporary file.
pub fn is_bundle_file(project: &Project, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(project.content_dir()) else { return false };
    path.extension().is_none_or(|x| x != "md") && rel.components().all(|c| !is_hidden(c.as_os_str()))
}

/// One content file, parsed as a report (under content/reports/) or as a plain page.
/// Each kind is behind a pointer: `serve` keeps one per file and walks them all on every
/// resolve, and a plain page's 250 bytes inline made every entry that size.
#[derive(Debug, Clone)]
pub enum ContentFile {
    Report(std::sync::Arc<Parsed<RawReport>>),
    Page(Box<Parsed<RawPage>>),
    ReportTranslation(std::sync::Arc<Translated<RawTranslation>>),
    PageTranslation(Box<Translated<RawPage>>),
}

/// Every file under `dir` (content/ or a folder inside it), sorted, skipping hidden and
/// editor temp files: the Markdown files and the others (a report folder's photos), from
/// one walk.
pub fn content_files_under(project: &Project, dir: &Path, diags: &mut Diagnostics) -> (Vec<PathBuf>, Vec<PathBuf>) {
    files_under(project, dir, |_| true, diags).into_iter().partition(|path| path.extension().is_some_and(|x| x == "md"))
}

/// Every file under `dir` that `wanted` keeps, sorted, skipping hidden and editor temp
/// files and folders; a link or a name that is not UTF-8 is reported and left out.
pub fn files_under(
    project: &Project,
    dir: &Path,
    wanted: impl Fn(&Path) -> bool,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() || !project.is_inside(dir) {
        return Vec::new();
    }
    let content = dir;
    let mut files = Vec::new();
    let mut walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) if e.depth() > 0 && e.file_name().to_str().is_none() => {
                diags.push(name_not_utf8(project, &e));
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                files.push(e.into_path());
            }
            // Links are never followed, so content cannot come from outside the site.
            Ok(e) if e.path_is_symlink() => diags.push(Diagnostic::warning(
                project.relative(e.path()),
                0,
                0,
                msg!("skipped: symbolic links are not followed; copy the file into content/ instead"),
            )),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| project.relative(p)).unwrap_or_else(|| sources::CONTENT.into());
                diags.push(Diagnostic::error(path, 0, 0, msg!("cannot read: {e}")));
            }
        }
    }
    files
}

/// The error for a file or folder whose name is not valid UTF-8, named by its folder: such
/// a name cannot become part of a web address, and two of them can read the same.
pub fn name_not_utf8(project: &Project, entry: &walkdir::DirEntry) -> Diagnostic {
    let folder = entry.path().parent().map(|p| project.relative(p)).unwrap_or_default();
    let kind = if entry.file_type().is_dir() { "a folder" } else { "a file" };
    Diagnostic::error(
        folder,
        0,
        0,
        msg!(
            "{kind} here is named \"{}\", which is not valid UTF-8 (bytes that are not are shown as \\xNN); it is left out",
            escape_invalid_utf8(entry.file_name().as_encoded_bytes())
        ),
    )
    .with_hint("rename it: web addresses are UTF-8")
}

/// `b"a\xffb"` -> `a\xFFb`: valid UTF-8 as it is, every other byte as an escape, so two
/// names that differ only there read differently.
fn escape_invalid_utf8(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// Whether a file or folder name is one the build skips: hidden (`.x`), an editor's
/// backup (`x~`) or autosave (`#x#`).
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Reads and parses one content file; `None` (with the diagnostics) when it is broken.
pub fn read_content_file(project: &Project, path: &Path) -> (Option<ContentFile>, Vec<Diagnostic>) {
    let rel = project.relative(path);
    // Refused before reading, so a huge file costs nothing.
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_CONTENT_FILE_BYTES
    {
        let message = msg!(
            "the file is {} bytes; the limit for a content file is {} bytes (was something pasted into it by mistake?)",
            thousands(meta.len()),
            thousands(MAX_CONTENT_FILE_BYTES)
        );
        return (None, vec![Diagnostic::error(rel, 0, 0, message)]);
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => match decode_text(&bytes) {
            Ok(text) => text,
            Err(invalid) => return (None, vec![invalid.diagnostic(rel)]),
        },
        Err(e) => return (None, vec![Diagnostic::error(rel, 0, 0, msg!("cannot read: {e}"))]),
    };
    let is_report = sources::is_report(&rel);
    let translation = match translation_of(project, &rel) {
        Ok(translation) => translation,
        Err(d) => return (None, vec![d]),
    };
    let result = match (translation, is_report) {
        (None, true) => parse_report(&rel, &text).map(|r| ContentFile::Report(r.into())),
        (None, false) => parse_page(&rel, &text).map(|page| ContentFile::Page(Box::new(page))),
        (Some((language, original)), true) => parse_translation(&rel, &text)
            .map(|parsed| ContentFile::ReportTranslation(Translated { language, original, parsed }.into())),
        (Some((language, original)), false) => parse_page(&rel, &text)
            .map(|parsed| ContentFile::PageTranslation(Box::new(Translated { language, original, parsed }))),
    };
    match result {
        Ok(file) => (Some(file), Vec::new()),
        Err(all) => (None, all),
    }
}

/// The largest report or page read (32 MiB): a news report is a few kilobytes, so a file
/// this big holds something pasted by mistake, and refusing it before reading keeps a
/// build fast. It is twice the front-matter limit, so a file whose front matter is just
/// within that limit still gets its real errors located.
pub const MAX_CONTENT_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The largest front matter parsed (16 MiB): real front matter is under 10 KB, but a few
/// megabytes (a long pasted summary, a big list of figures) still parse in about a second
/// and get their real errors located at their lines.
pub const MAX_FRONT_MATTER_BYTES: usize = 16 * 1024 * 1024;

/// `1048600` -> `1,048,600`, for messages that state exact sizes.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn check_front_matter_size(path: &str, fm: &split::FrontMatter<'_>) -> Result<(), Diagnostic> {
    if fm.yaml.len() <= MAX_FRONT_MATTER_BYTES {
        return Ok(());
    }
    let message = msg!(
        "the front matter is {} bytes; the limit is {} bytes (was something pasted into it by mistake?)",
        thousands(fm.yaml.len() as u64),
        thousands(MAX_FRONT_MATTER_BYTES as u64)
    );
    Err(Diagnostic::error(path, fm.yaml_line - 1, 1, message))
}

/// Parses a report file's text (every error of its front matter that can be found when it
/// is broken). Pure, so tests feed strings.
pub fn parse_report(path: &str, text: &str) -> Result<Parsed<RawReport>, Vec<Diagnostic>> {
    let needs = msg!("front matter is empty: a report needs at least `title` and `date`");
    parse_with_front_matter(path, text, "a report", needs, raw::REPORT_KEYS)
}

/// A file of front matter and body, the front matter parsed as a `T` with `keys` for
/// did-you-mean hints; `empty` is the error for empty front matter.
fn parse_with_front_matter<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
    what: &str,
    empty: Message,
    keys: &[&str],
) -> Result<Parsed<T>, Vec<Diagnostic>> {
    let fm = split_front_matter(text).map_err(|e| vec![split_error(path, e, what)])?;
    check_front_matter_size(path, &fm).map_err(|d| vec![d])?;
    if fm.yaml.trim().is_empty() {
        return Err(vec![Diagnostic::error(path, 1, 1, empty)]);
    }
    let meta: T = parse_yaml_reporting_all(path, fm.yaml, fm.yaml_line - 1, keys)?;
    Ok(Parsed {
        path: path.to_string(),
        meta,
        yaml: fm.yaml.to_string(),
        yaml_line: fm.yaml_line,
        body: fm.body.into(),
        body_line: fm.body_line,
    })
}

/// The language and original of the content file at site path `rel`, from its name:
/// `a.ru.md` translates `a.md` when `ru` is one of the site's `languages:`. A site
/// without `languages:` has no translations (file names mean what they always did); in
/// one with them, a name ending in another language's two-letter code, or the default
/// language's, is an error, since it reads as a translation nothing would publish.
fn translation_of(project: &Project, rel: &str) -> Result<Option<(String, String)>, Diagnostic> {
    let config = &project.config;
    let Some((stem, suffix)) = rel.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) else { return Ok(None) };
    if config.languages.is_empty() || stem.ends_with('/') {
        return Ok(None);
    }
    let original = format!("{stem}.md");
    if config.languages.contains_key(suffix) {
        return Ok(Some((suffix.to_string(), original)));
    }
    let problem = if suffix == config.language {
        msg!("\"{suffix}\" is the default language: its text is the original, {original}")
    } else if suffix.len() == 2 && crate::config::is_language_tag(suffix) {
        msg!("a translation into \"{suffix}\", which is not one of the site's languages")
    } else {
        return Ok(None);
    };
    Err(Diagnostic::error(rel, 1, 1, problem)
        .with_hint("add the language under `languages:` in site.yaml, or rename the file"))
}

/// Parses a report translation's text.
pub fn parse_translation(path: &str, text: &str) -> Result<Parsed<RawTranslation>, Vec<Diagnostic>> {
    let needs = msg!("front matter is empty: a translation needs at least `title`");
    parse_with_front_matter(path, text, "a translation", needs, raw::TRANSLATION_KEYS)
}

/// Parses a plain page's text; front matter is optional for pages.
pub fn parse_page(path: &str, text: &str) -> Result<Parsed<RawPage>, Vec<Diagnostic>> {
    let (meta, yaml, yaml_line, body, body_line) = match split_front_matter(text) {
        Ok(fm) if fm.yaml.trim().is_empty() => (RawPage::default(), "", fm.yaml_line, fm.body, fm.body_line),
        Ok(fm) => {
            check_front_matter_size(path, &fm).map_err(|d| vec![d])?;
            let meta = parse_yaml_reporting_all(path, fm.yaml, fm.yaml_line - 1, raw::PAGE_KEYS)?;
            (meta, fm.yaml, fm.yaml_line, fm.body, fm.body_line)
        }
        Err(SplitError::Missing) => (RawPage::default(), "", 1, text, 1),
        Err(e) => return Err(vec![split_error(path, e, "a page")]),
    };
    Ok(Parsed { path: path.to_string(), meta, yaml: yaml.to_string(), yaml_line, body: body.into(), body_line })
}

fn split_error(path: &str, error: SplitError, what: &str) -> Diagnostic {
    match error {
        SplitError::Missing => {
            Diagnostic::error(path, 1, 1, msg!("{what} must start with YAML front matter between `---` lines"))
        }
        SplitError::Unclosed => Diagnostic::error(path, 1, 1, msg!("front matter opened with `---` is never closed"))
            .with_hint("add a `---` line after the front matter"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::too_deep;

    #[test]
    fn absurd_nesting_is_refused_before_parsing() {
        let deep = format!("title: A\ndate: 2020-01-01\nextra: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let err = parse_report("content/reports/a.md", &format!("---\n{deep}---\n")).unwrap_err().swap_remove(0);
        assert!(started.elapsed().as_secs() < 2, "took {:?}", started.elapsed());
        assert_eq!((err.line, err.col), (4, 72), "{err:?}");
        assert!(err.message.contains("nested more than 64 levels"), "{}", err.message);
        // Brackets inside quotes and comments do not count; ordinary nesting is fine.
        assert_eq!(
            too_deep(&format!("a: \"{}\"\nb: x # {}\nc: [[1], {{d: [2]}}]\n", "[".repeat(99), "{".repeat(99)), 64),
            None
        );
    }

    #[test]
    fn alias_bombs_are_refused_with_a_plain_message() {
        let mut yaml =
            String::from("title: A\ndate: 2020-01-01\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let mut previous = 'a';
        for name in "bcdefghi".chars() {
            yaml.push_str(&format!("  {name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(", ")));
            previous = name;
        }
        let err = parse_report("content/reports/a.md", &format!("---\n{yaml}---\n")).unwrap_err().swap_remove(0);
        assert!(err.message.contains("aliases"), "{}", err.message);
    }

    #[test]
    fn unknown_key_points_at_the_file_line_with_a_hint() {
        let text = "---\ntitle: T\ndate: 2019-04-02\noffical: [x]\n---\nbody\n";
        let d = parse_report("content/reports/a.md", text).unwrap_err().swap_remove(0);
        assert_eq!((d.line, d.col), (4, 1));
        assert_eq!(d.message, "unknown field `offical`");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"officials\"?"));
    }

    #[test]
    fn nested_unknown_key_keeps_its_path() {
        let text = "---\ntitle: T\ndate: 2019-04-02\nofficials:\n  - name: A\n    rol: B\n---\n";
        let d = parse_report("r.md", text).unwrap_err().swap_remove(0);
        assert_eq!(d.line, 6);
        assert_eq!(d.message, "officials[0]: unknown field `rol`");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"role\"?"));
    }

    #[test]
    fn size_limits_state_exact_numbers() {
        assert_eq!(thousands(1_048_600), "1,048,600");
        assert_eq!((thousands(999), thousands(1000), thousands(0)), ("999".into(), "1,000".into(), "0".into()));
        let yaml = format!("title: T\ndate: 2020-01-01\nsummary: \"{}\"\n", "x".repeat(MAX_FRONT_MATTER_BYTES));
        let err = parse_report("r.md", &format!("---\n{yaml}---\n")).unwrap_err().swap_remove(0);
        assert_eq!(
            err.message,
            format!(
                "the front matter is {} bytes; the limit is 16,777,216 bytes (was something pasted into it by mistake?)",
                thousands(yaml.len() as u64)
            )
        );
    }

    #[test]
    fn a_long_front_matter_within_the_limit_gets_its_real_errors_located() {
        let summary = "word ".repeat(600_000);
        let text = format!("---\ntitle: T\ndate: 2020-01-01\nsummary: \"{summary}\"\nofficals: [A]\n---\n");
        let err = parse_report("r.md", &text).unwrap_err().swap_remove(0);
        assert_eq!((err.line, err.col, err.message.as_str()), (5, 1, "unknown field `officals`"));
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = decode_text(b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2019-04-02\r\n---\r\nBody\r\n").unwrap();
        let parsed = parse_report("r.md", &text).unwrap();
        assert_eq!(parsed.meta.title, "T");
        assert_eq!(&*parsed.body, "Body\n");
    }

    #[test]
    fn invalid_utf8_is_located_at_its_first_bad_byte() {
        let at = |bytes: &[u8]| decode_text(bytes).unwrap_err();
        assert_eq!(at(b"---\ntitle: \xff\n"), InvalidUtf8 { line: 2, col: 8, byte: 0xFF });
        // Columns count characters, not bytes; a BOM is not a column.
        assert_eq!(
            at("\u{feff}Нор\u{6d77}".as_bytes().iter().copied().chain([0xC3, b'(']).collect::<Vec<_>>().as_slice()),
            InvalidUtf8 { line: 1, col: 5, byte: 0xC3 }
        );
        assert_eq!(at(b"a\r\nb\r\n\x80"), InvalidUtf8 { line: 3, col: 1, byte: 0x80 });
        let shown = at(b"x\xfe").to_string();
        assert!(shown.contains("0xFE") && shown.contains("not valid UTF-8"), "{shown}");
    }

    #[test]
    fn lone_cr_line_breaks_count_as_lines() {
        // Old Mac line endings: YAML and Markdown end a line at each CR, so must we.
        let text = decode_text(b"---\rtitle: T\rdate: 2019-04-02\rcitys: x\r---\rBody\r").unwrap();
        assert_eq!(text, "---\ntitle: T\ndate: 2019-04-02\ncitys: x\n---\nBody\n");
        let d = parse_report("r.md", &text).unwrap_err().swap_remove(0);
        assert_eq!((d.line, d.col, d.message.as_str()), (4, 1, "unknown field `citys`"));
        let mixed = decode_text(b"---\ntitle: T\rdate: 2019-04-02\r\n---\r\nBody\rmore\n").unwrap();
        let parsed = parse_report("r.md", &mixed).unwrap();
        assert_eq!((&*parsed.body, parsed.body_line), ("Body\nmore\n", 5));
    }

    #[test]
    fn unicode_line_separators_do_not_move_yaml_errors() {
        // The YAML parser ends lines at U+0085, U+2028 and U+2029; the file's lines end at LF.
        let text = "---\ntitle: \"A\u{2029}B\u{2028}C\u{85}D\"\ndate: 2019-04-02\ncitys: x\n---\n";
        let d = parse_report("r.md", text).unwrap_err().swap_remove(0);
        assert_eq!((d.line, d.col, d.message.as_str()), (4, 1, "unknown field `citys`"));
        let d = parse_report("r.md", "---\ntitle: \"\u{2028}é\"\ndate: 2019-02-30\n---\n").unwrap_err().swap_remove(0);
        assert_eq!((d.line, d.col), (3, 7), "{}", d.message);
    }

    #[test]
    fn invalid_utf8_line_breaks_are_counted_like_the_parsers() {
        let at = |bytes: &[u8]| decode_text(bytes).unwrap_err();
        assert_eq!(at(b"a\rb\r\xff"), InvalidUtf8 { line: 3, col: 1, byte: 0xFF });
        assert_eq!(at(b"a\r\nbc\xff"), InvalidUtf8 { line: 2, col: 3, byte: 0xFF });
    }

    #[test]
    fn missing_required_field() {
        let d = parse_report("r.md", "---\ntitle: T\n---\n").unwrap_err().swap_remove(0);
        assert!(d.message.contains("missing field `date`"), "{}", d.message);
    }

    #[test]
    fn pages_need_no_front_matter() {
        let p = parse_page("content/about.md", "# About\n").unwrap();
        assert_eq!(p.meta.title, None);
        assert_eq!(p.body_line, 1);
    }
}
