//! docs/architecture.md names only items that exist.
//!
//! The document names items by their path from `src/` (`render::theme::Theme::load` is
//! `Theme::load` in src/render/theme.rs; `lib::` is src/lib.rs). Every such path, in
//! backticks or in a code block, is followed: the leading segments through module files,
//! then each remaining segment must be declared in the file reached (a `fn`, `struct`,
//! `enum`, `trait`, `type`, `const`, `static`, `mod` or `pub` field). A renamed or removed
//! function then fails here, naming the path, instead of leaving the newcomer's map wrong.

use std::path::{Path, PathBuf};

use crate::support::repo_root;

/// Crates the document may name that are not communique's own.
const EXTERNAL: &[&str] = &["std", "serde", "serde_yaml", "serde_json", "tera", "rayon", "notify", "axum", "tokio"];

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `a::b::c` with at least two segments, each an identifier.
fn as_path(text: &str) -> Option<Vec<&str>> {
    let segments: Vec<&str> = text.split("::").collect();
    (segments.len() >= 2 && segments.iter().all(|s| is_ident(s))).then_some(segments)
}

/// Every path the document names: whole inline code spans, and tokens in code blocks.
fn named_paths(doc: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut fenced = false;
    for (i, line) in doc.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let candidates: Vec<&str> = if fenced {
            line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).collect()
        } else {
            line.split('`').skip(1).step_by(2).collect()
        };
        found.extend(candidates.into_iter().filter(|c| as_path(c).is_some()).map(|c| (i + 1, c.to_string())));
    }
    found
}

/// The file of module `name` inside folder `dir` (`dir/name.rs` or `dir/name/mod.rs`).
fn module_file(dir: &Path, name: &str) -> Option<PathBuf> {
    [dir.join(format!("{name}.rs")), dir.join(name).join("mod.rs")].into_iter().find(|p| p.is_file())
}

/// Whether `file` declares `name`: an item, a module or a public field.
fn declares(file: &Path, name: &str) -> bool {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let keywords = ["fn", "struct", "enum", "trait", "type", "const", "static", "mod"];
    text.lines().any(|line| {
        let mut rest = line.trim_start();
        for prefix in ["pub(crate) ", "pub(super) ", "pub ", "async ", "unsafe "] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let after_name = |s: &str| {
            s.strip_prefix(name).is_some_and(|tail| !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        };
        let item =
            keywords.iter().any(|k| rest.strip_prefix(k).and_then(|r| r.strip_prefix(' ')).is_some_and(after_name));
        let field = line
            .trim_start()
            .strip_prefix("pub ")
            .is_some_and(|r| r.strip_prefix(name).is_some_and(|t| t.starts_with(':')));
        item || field
    })
}

/// Where `path` leads, or why it does not exist.
fn check(src: &Path, path: &[&str]) -> Result<(), String> {
    let (mut file, mut dir, mut rest) = match path[0] {
        "lib" | "main" => (src.join(format!("{}.rs", path[0])), src.to_path_buf(), &path[1..]),
        first if EXTERNAL.contains(&first) => return Ok(()),
        first => match module_file(src, first) {
            Some(file) => (file, src.join(first), &path[1..]),
            None => return Err(format!("no module src/{first}.rs or src/{first}/mod.rs")),
        },
    };
    while let Some(next) = rest.first().and_then(|name| module_file(&dir, name).map(|f| (f, dir.join(name)))) {
        (file, dir) = next;
        rest = &rest[1..];
    }
    match rest.iter().find(|name| !declares(&file, name)) {
        Some(missing) => Err(format!("`{missing}` is not declared in {}", file.display())),
        None => Ok(()),
    }
}

#[test]
fn every_path_named_in_the_architecture_doc_exists() {
    let root = repo_root();
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("docs/architecture.md");
    let paths = named_paths(&doc);
    assert!(paths.len() > 50, "expected the document to name many items, found {}", paths.len());
    let wrong: Vec<String> = paths
        .iter()
        .filter_map(|(line, path)| {
            let segments = as_path(path).expect("filtered");
            check(&root.join("src"), &segments).err().map(|why| format!("docs/architecture.md:{line}: `{path}`: {why}"))
        })
        .collect();
    assert!(wrong.is_empty(), "names that do not exist in src/:\n{}", wrong.join("\n"));
}

#[test]
fn a_missing_item_or_module_is_reported() {
    let src = repo_root().join("src");
    assert_eq!(check(&src, &["render", "theme", "Theme", "load"]), Ok(()));
    assert_eq!(check(&src, &["output", "Files"]), Ok(()));
    assert_eq!(check(&src, &["pipeline", "changes", "ChangeSet", "statics"]), Ok(()));
    assert!(check(&src, &["render", "theme", "Theme", "no_such_fn"]).is_err());
    assert!(check(&src, &["no_such_module", "x"]).is_err());
    assert!(check(&src, &["lib", "commit"]).is_err());
}
