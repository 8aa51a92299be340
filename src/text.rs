//! Reading source text: UTF-8 decoding with exact positions of bad bytes
//! ([`decode_text`]), and YAML parsing whose errors point at file lines and suggest keys
//! ([`parse_yaml`], and [`parse_yaml_reporting_all`] with every error it can find:
//! [`further`]). A base module: the loaders and `site.yaml` (the project) use it.

mod further;

use crate::diag::{Diagnostic, Message, did_you_mean, msg};

/// Decodes a file as UTF-8, dropping a byte-order mark and turning CRLF and lone CR line
/// breaks into LF. YAML and Markdown both end a line at a lone CR (old Mac files), so
/// every line number communique computes must count it too.
pub fn decode_text(bytes: &[u8]) -> Result<String, InvalidUtf8> {
    let text = std::str::from_utf8(bytes).map_err(|e| InvalidUtf8::at(bytes, e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() })
}

/// Where a file stops being UTF-8: the 1-based line and column (in characters) of the
/// first byte that is not, and the byte itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUtf8 {
    pub line: usize,
    pub col: usize,
    pub byte: u8,
}

impl InvalidUtf8 {
    /// The position of byte `offset` of `bytes`, all of whose bytes before it are UTF-8.
    /// Lines end where [`decode_text`] ends them: at LF, CRLF or a lone CR.
    fn at(bytes: &[u8], offset: usize) -> InvalidUtf8 {
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let is_break = |i: usize, b: u8| b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        let breaks: Vec<usize> = valid.bytes().enumerate().filter(|&(i, b)| is_break(i, b)).map(|(i, _)| i).collect();
        let line_start = breaks.last().map_or(0, |at| at + 1);
        let col = valid[line_start..].trim_start_matches('\u{feff}').chars().count() + 1;
        InvalidUtf8 { line: breaks.len() + 1, col, byte: bytes[offset] }
    }

    /// The error as a diagnostic at its place in `path`.
    pub fn diagnostic(&self, path: impl Into<String>) -> Diagnostic {
        Diagnostic::error(path, self.line, self.col, self.message())
            .with_hint("save the file as UTF-8 (most editors offer it under \"Save with encoding\")")
    }
}

impl InvalidUtf8 {
    fn message(&self) -> Message {
        msg!("the file is not valid UTF-8: byte 0x{:02X} here does not belong to a UTF-8 character", self.byte)
    }
}

impl std::fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

/// How deeply `[`/`{` may nest in YAML we read. Real front matter needs three or four
/// levels; the YAML parser slows down quadratically with depth, so a hostile file nested
/// 100,000 levels deep would otherwise take a minute to be refused.
pub const MAX_YAML_NESTING: usize = 64;

/// Parses YAML from `path` whose first line is file line `line_offset + 1`, after a cheap
/// check that refuses absurd nesting; errors point at the file line and suggest keys.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &str,
    yaml: &str,
    line_offset: usize,
    keys: &[&str],
) -> Result<T, Diagnostic> {
    refuse_deep_nesting(path, yaml, line_offset)?;
    serde_yaml::from_str(yaml).map_err(|e| yaml_error(path, yaml, &e, line_offset, keys))
}

/// [`parse_yaml`], with every error found rather than the first ([`further`]): a
/// broken key or list item does not hide the next one. Never empty when an error.
pub fn parse_yaml_reporting_all<T: serde::de::DeserializeOwned>(
    path: &str,
    yaml: &str,
    line_offset: usize,
    keys: &[&str],
) -> Result<T, Vec<Diagnostic>> {
    refuse_deep_nesting(path, yaml, line_offset).map_err(|d| vec![d])?;
    let first = match serde_yaml::from_str(yaml) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let further = further::errors::<T>(yaml, &first);
    let further = further.into_iter().map(|f| described(path, (f.line + line_offset, f.col), &f.message, keys));
    Err(std::iter::once(yaml_error(path, yaml, &first, line_offset, keys)).chain(further).collect())
}

/// The error for `yaml` (from `path`, after `line_offset` lines) when it nests too
/// deeply to be parsed quickly.
fn refuse_deep_nesting(path: &str, yaml: &str, line_offset: usize) -> Result<(), Diagnostic> {
    match too_deep(yaml, MAX_YAML_NESTING) {
        Some((line, col)) => {
            let message = msg!("YAML nested more than {MAX_YAML_NESTING} levels deep");
            Err(Diagnostic::error(path, line + line_offset, col, message))
        }
        None => Ok(()),
    }
}

/// The 1-based line and column where flow collections (`[`, `{`) first nest deeper than
/// `limit`, skipping quoted strings and comments.
pub(crate) fn too_deep(yaml: &str, limit: usize) -> Option<(usize, usize)> {
    for (index, line) in yaml.lines().enumerate() {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (col, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if matches!(previous, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                (None, '#') if previous == ' ' => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > limit {
                        return Some((index + 1, col + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            previous = c;
        }
    }
    None
}

/// Turns an error in parsing `yaml` into a diagnostic at the right file line. `line_offset`
/// is the number of file lines before `yaml` starts. Unknown keys get a did-you-mean hint.
pub fn yaml_error(path: &str, yaml: &str, error: &serde_yaml::Error, line_offset: usize, keys: &[&str]) -> Diagnostic {
    let (line, col) = error_line_col(yaml, error);
    described(path, (line + line_offset, col), strip_location_suffix(&error.to_string()), keys)
}

/// The 1-based line and column of `error` in `yaml`. serde_yaml places a key written
/// twice at the start of the mapping holding it; a top-level one is placed at its second
/// line, where the author has to look.
fn error_line_col(yaml: &str, error: &serde_yaml::Error) -> (usize, usize) {
    let message = error.to_string();
    let duplicate = strip_location_suffix(&message).strip_prefix("duplicate field `").and_then(|k| k.strip_suffix('`'));
    if let Some(line) = duplicate.and_then(|key| further::second_line_of(yaml, key)) {
        return (line, 1);
    }
    error.location().map_or((1, 1), |location| yaml_line_col(yaml, &location))
}

/// The diagnostic of a YAML error at file line and column `(line, col)` that says
/// `message` (serde_yaml's, without its location).
fn described(path: &str, (line, col): (usize, usize), message: &str, keys: &[&str]) -> Diagnostic {
    // serde_yaml names fields of a top-level list `.[0].x`; `[0].x` reads better.
    let message = message.trim_start_matches('.');
    if message.contains("repetition limit exceeded") {
        let aliases = msg!("YAML aliases (`*name`) expand to too many values; write the values out instead");
        return Diagnostic::error(path, line, col, aliases);
    } else if message.contains("recursion limit exceeded") {
        return Diagnostic::error(path, line, col, msg!("YAML nested too deeply"));
    }
    let Some(unknown) = unknown_field(message) else {
        return Diagnostic::error(path, line, col, Message::from_error(message));
    };
    let expected = expected_fields(message);
    let candidates: Vec<&str> = if expected.is_empty() { keys.to_vec() } else { expected };
    let hint = match did_you_mean(unknown, candidates.iter().copied()) {
        Some(best) => format!("did you mean \"{best}\"?"),
        None => format!("expected one of: {}", candidates.join(", ")),
    };
    let unknown = match message.find(": unknown field") {
        Some(at) => msg!("{}: unknown field `{unknown}`", &message[..at]),
        None => msg!("unknown field `{unknown}`"),
    };
    Diagnostic::error(path, line, col, unknown).with_hint(hint)
}

/// The 1-based line and column of a YAML error, with lines counted as everywhere else in
/// communique: at LF. The YAML parser also ends a line at U+0085, U+2028 and U+2029, which
/// Markdown and our other line numbers take as ordinary characters, so its own line
/// number could point past the end of the file.
fn yaml_line_col(yaml: &str, location: &serde_yaml::Location) -> (usize, usize) {
    match yaml.get(..location.index()) {
        Some(before) => {
            let line_start = before.rfind('\n').map_or(0, |at| at + 1);
            (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
        }
        None => (location.line(), location.column()),
    }
}

fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let start = message.find("unknown field `")? + "unknown field `".len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn expected_fields(message: &str) -> Vec<&str> {
    let Some(at) = message.find("expected ") else { return Vec::new() };
    message[at..].split('`').skip(1).step_by(2).collect()
}
