//! docs/errors.md shows every message communique can print.
//!
//! A diagnostic's words are a `Message` (src/diag.rs), and the only way to write one is
//! `msg!("...", ...)`, whose first argument must be a literal format string. This test
//! reads every `msg!` out of src/ (test modules left out), makes each format string a
//! template in which `{...}` stands for any text, and looks for a line of docs/errors.md
//! that matches it: a message added without its entry fails here, named by file and line.
//! It also refuses the ways around `msg!`: our own words handed to `Message::from_error`
//! (meant for the text of a library's error), and a `Diagnostic` built or changed field
//! by field outside src/diag.rs.

use crate::support::{files_under, repo_root};

/// A message as written in the source: where, and its format string as the text it
/// stands for (escapes resolved).
#[derive(Debug, PartialEq)]
struct Written {
    place: String,
    format: String,
}

/// The source of src/, file by file (root-relative path, code), without what only tests
/// compile: files named tests.rs or testing.rs, `#[cfg(test)]` modules, and comments.
/// Lines are blanked, not removed, so line numbers stay right.
fn production_sources() -> Vec<(String, String)> {
    let root = repo_root();
    files_under(&root.join("src"))
        .into_iter()
        .filter(|path| path.extension().is_some_and(|x| x == "rs"))
        .filter(|path| !["tests.rs", "testing.rs"].contains(&path.file_name().unwrap().to_str().unwrap()))
        .map(|path| {
            let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (name, production_code(&std::fs::read_to_string(&path).unwrap()))
        })
        .collect()
}

/// `text` with test modules and comment lines blanked.
fn production_code(text: &str) -> String {
    let mut out = Vec::new();
    let mut test_module_indent: Option<usize> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(start) = test_module_indent {
            if trimmed == "}" && indent == start {
                test_module_indent = None;
            }
            out.push("");
            continue;
        }
        let next_is_module = lines.peek().is_some_and(|next| {
            let next = next.trim_start();
            next.trim_start_matches("pub(crate) ").trim_start_matches("pub ").starts_with("mod ") && next.ends_with('{')
        });
        if trimmed == "#[cfg(test)]" && next_is_module {
            test_module_indent = Some(indent);
            out.push("");
        } else if trimmed.starts_with("//") {
            out.push("");
        } else {
            out.push(line);
        }
    }
    out.join("\n")
}

/// The Rust string literal at the start of `code` (`"..."`, or raw `r"..."`, `r#"..."#`),
/// as the text it stands for.
fn string_literal(code: &str) -> Option<String> {
    if let Some(raw) = code.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let end = body.find(&format!("\"{}", "#".repeat(hashes)))?;
        return Some(body[..end].to_string());
    }
    let mut chars = code.strip_prefix('"')?.chars().peekable();
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(text),
            '\\' => match chars.next()? {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                '0' => text.push('\0'),
                // A line continuation: the break and the next line's indentation go.
                '\n' => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                'u' => {
                    let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    text.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                'x' => {
                    let hex: String = chars.by_ref().take(2).collect();
                    text.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
                }
                other => text.push(other), // \" \\ \'
            },
            c => text.push(c),
        }
    }
    None
}

/// Every `msg!` of src/, or the places of those whose first argument is not a literal.
fn written_messages() -> Result<Vec<Written>, Vec<String>> {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    for (file, code) in production_sources() {
        for (at, _) in code.match_indices("msg!(") {
            let place = format!("{file}:{}", code[..at].lines().count().max(1));
            match string_literal(code[at + "msg!(".len()..].trim_start()) {
                Some(format) => found.push(Written { place, format }),
                None => unreadable.push(place),
            }
        }
    }
    if unreadable.is_empty() { Ok(found) } else { Err(unreadable) }
}

/// The fixed pieces of a format string, in order: the text between its `{...}`
/// placeholders, with `{{` and `}}` read as braces.
fn fixed_pieces(format: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.next_if_eq(&'{').is_some() => pieces.last_mut().unwrap().push('{'),
            '}' if chars.next_if_eq(&'}').is_some() => pieces.last_mut().unwrap().push('}'),
            '{' => {
                while chars.next().is_some_and(|c| c != '}') {}
                pieces.push(String::new());
            }
            c => pieces.last_mut().unwrap().push(c),
        }
    }
    pieces.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Whether `line` holds the pieces in order: the message with any text in its placeholders.
fn shows(line: &str, pieces: &[String]) -> bool {
    let mut rest = line;
    pieces.iter().all(|piece| match rest.find(piece.as_str()) {
        Some(at) => {
            rest = &rest[at + piece.len()..];
            true
        }
        None => false,
    })
}

#[test]
fn errors_md_shows_every_message() {
    let docs = std::fs::read_to_string(repo_root().join("docs/errors.md")).unwrap();
    let messages = written_messages().unwrap_or_else(|places| {
        panic!("msg! needs a literal format string (the docs test reads it) at:\n{}", places.join("\n"))
    });
    let mut missing = Vec::new();
    for Written { place, format } in &messages {
        let pieces = fixed_pieces(format);
        if !pieces.iter().any(|p| p.chars().any(char::is_alphabetic)) {
            missing.push(format!("{place}: {format:?} has no words of its own; say what is wrong"));
        } else if !docs.lines().any(|line| shows(line, &pieces)) {
            missing.push(format!("{place}: {format:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/errors.md has no example of these messages (a line with each fixed part of the \
         message, in order; `{{...}}` stands for any text):\n{}",
        missing.join("\n")
    );
}

/// The starts of messages that libraries write (the YAML parser's, the template
/// engine's), which errors.md shows though no `msg!` writes them.
const FOREIGN: &[&str] =
    &["missing field `", "invalid type: ", "unknown variant `", "Found `", "Field `", "Unknown filter `"];

/// Every example in the tables of docs/errors.md (`path:line:col: error: message`,
/// `path: warning: message`, `error: message`): its line and the text from the message
/// to the end of the line.
fn documented_examples(docs: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (number, line) in docs.lines().enumerate().filter(|(_, line)| line.starts_with('|')) {
        for marker in ["error: ", "warning: "] {
            for (at, _) in line.match_indices(marker) {
                let before = &line[..at];
                if before.ends_with(": ") || before.ends_with('`') {
                    found.push((number + 1, &line[at + marker.len()..]));
                }
            }
        }
    }
    found
}

/// Whether `example` (a message and what follows it on its line) starts with a message
/// of this `format` (a `msg!` format string, or one of [`FOREIGN`]), after a field path or
/// a file's path (`figures[0].value: `, `content/reports/a.jpg: `).
fn starts_as(example: &str, format: &str) -> bool {
    let pieces = fixed_pieces(format);
    let prefixes =
        (example.match_indices(": ").map(|(at, _)| at)).take_while(|at| !example[..*at].contains(' ')).map(|at| at + 2);
    std::iter::once(0).chain(prefixes).any(|start| {
        let text = &example[start..];
        (format.starts_with('{') || text.starts_with(pieces[0].as_str())) && shows(text, &pieces)
    })
}

#[test]
fn every_example_in_errors_md_is_a_message_of_the_code() {
    let docs = std::fs::read_to_string(repo_root().join("docs/errors.md")).unwrap();
    let formats: Vec<String> = written_messages().unwrap().into_iter().map(|m| m.format).collect();
    let formats: Vec<&str> = formats.iter().map(String::as_str).chain(FOREIGN.iter().copied()).collect();
    let examples = documented_examples(&docs);
    assert!(examples.len() > 100, "only {} examples found", examples.len());
    let stale: Vec<String> = (examples.iter())
        .filter(|(_, example)| !formats.iter().any(|format| starts_as(example, format)))
        .map(|(line, example)| format!("docs/errors.md:{line}: {example}"))
        .collect();
    assert!(stale.is_empty(), "examples that no message of the code can print:\n{}", stale.join("\n"));
}

/// Without these, the test above could pass by finding nothing.
#[test]
fn the_source_reader_finds_the_messages() {
    let messages = written_messages().unwrap();
    assert!(messages.len() > 100, "only {} messages found", messages.len());
    let format_of = |place_end: &str, start: &str| {
        messages.iter().any(|m| m.place.starts_with(place_end) && m.format.starts_with(start))
    };
    assert!(format_of("src/model/resolve.rs:", "end_date is before date"));
    // Continued lines, escaped quotes and `{{` of a format string.
    assert!(format_of("src/media/decode.rs:", "claims {width} × {height} pixels; the limit is {} megapixels and"));
    assert!(messages.iter().any(|m| m.format.contains("(a decompression bomb?)") && !m.format.contains('\n')));
    assert!(format_of("src/model/translations.rs:", "{name} has no name in {language}"));
    assert!(!messages.iter().any(|m| m.place.starts_with("src/diag.rs")), "diag.rs's tests are left out");
    assert_eq!(fixed_pieces("a {x} b {{c}} {}{:?}d"), ["a ", " b {c} ", "d"]);
    assert!(shows("x: error: a 1 b {c} 2d", &fixed_pieces("a {x} b {{c}} {}d")));
    assert!(!shows("x: error: b {c} a d", &fixed_pieces("a {x} b {{c}} {}d")));
    assert_eq!(
        string_literal(
            r#""a \"q\" \
              b\u{2013}\x41" rest"#
        )
        .as_deref(),
        Some("a \"q\" b\u{2013}A")
    );
    assert_eq!(string_literal(r##"r#"raw "x""# rest"##).as_deref(), Some(r#"raw "x""#));
    let code = "fn a() { msg!(\"kept\") }\n// msg!(\"comment\")\n#[cfg(test)]\nmod tests {\n    fn t() { msg!(\"test\") }\n}\nfn b() {}\n";
    let kept = production_code(code);
    assert!(kept.contains("kept") && kept.contains("fn b") && !kept.contains("comment") && !kept.contains("test\""));
    assert_eq!(kept.lines().count(), code.lines().count());
}

/// Our own words must go through `msg!`, or the test above would not see them.
#[test]
fn no_message_is_written_around_msg() {
    let mut bypasses = Vec::new();
    for (file, code) in production_sources() {
        let mut flag = |needle: &str, why: &str, ok: &dyn Fn(&str) -> bool| {
            for (at, _) in code.match_indices(needle) {
                let after = code[at + needle.len()..].trim_start();
                if !ok(after) {
                    bypasses.push(format!("{file}:{}: {why}", code[..at].lines().count().max(1)));
                }
            }
        };
        flag("Message::from_error(", "from_error is for an error value's text; write our words with msg!", &|a| {
            !a.starts_with('"') && !a.starts_with("format!") && !a.starts_with("&format!")
        });
        if file != "src/diag.rs" {
            flag("severity: Severity::", "build a Diagnostic with Diagnostic::error or ::warning", &|_| false);
            flag(".message = ", "a diagnostic's message is set when it is made, with msg!", &|_| false);
            flag("Message::written(", "write messages with msg!", &|_| false);
        }
    }
    assert!(bypasses.is_empty(), "messages written around msg!:\n{}", bypasses.join("\n"));
}
