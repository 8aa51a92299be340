//! Which files of an output folder communique wrote: the manifest each build leaves in the
//! folder (`.communique-manifest`), and the search for anything else in it.
//!
//! A build replaces only a folder whose every file it can account for: files the last build
//! listed in the manifest, the entries the site keeps (`output_keep:`), and what killed
//! builds left behind. Anything else belongs to someone, so the folder is refused instead
//! of being wiped.

use std::collections::HashSet;
use std::path::Path;

use walkdir::WalkDir;

/// The manifest's file name, directly in the output folder.
pub const MANIFEST: &str = ".communique-manifest";

/// Prefixes of the folders a build makes inside the output folder while it replaces the
/// entries of one that cannot be swapped whole (a mount point, or one with kept entries).
pub const INNER_STAGING: &str = ".communique-new-";
pub const INNER_ASIDE: &str = ".communique-old-";

const HEADER: &str = "# Written by `communique build`: the files of this folder that the last build wrote.\n\
# The next build replaces them, and refuses to touch a folder holding any file not listed\n\
# here (other than the entries named under `output_keep:` in site.yaml).\n";

/// The manifest's text for `paths` (output-relative, `/`-separated), sorted.
pub fn manifest_text<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let mut sorted: Vec<&str> = paths.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut text = String::with_capacity(HEADER.len() + sorted.iter().map(|p| p.len() + 1).sum::<usize>());
    text.push_str(HEADER);
    for path in sorted {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The paths a manifest lists (empty when `dir` has none or it cannot be read).
pub fn read_manifest(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else { return Vec::new() };
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// Whether a top-level entry name is one a build made for itself (a staging or aside
/// folder inside the output, possibly left by a killed build).
pub fn is_build_leftover(name: &str) -> bool {
    name.starts_with(INNER_STAGING) || name.starts_with(INNER_ASIDE) || name.starts_with(&format!("{MANIFEST}.tmp"))
}

/// Entries of `dir` that no build wrote and the site does not keep: a file is foreign
/// when the manifest does not list it, a folder when no listed file lies inside it (then
/// it is named once, with a trailing `/`, and not searched further). Symbolic links are
/// never followed. At most `limit` entries are returned, with the count of all found.
pub fn foreign_entries(dir: &Path, keep: &[String], limit: usize) -> (Vec<String>, usize) {
    if !dir.is_dir() {
        return (Vec::new(), 0);
    }
    let listed: HashSet<String> = read_manifest(dir).into_iter().collect();
    let folders: HashSet<&str> = listed.iter().flat_map(|path| ancestors(path)).collect();
    let mut found = Vec::new();
    let mut count = 0;
    let mut walker = WalkDir::new(dir).min_depth(1).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        // What cannot be read cannot be accounted for.
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                count += 1;
                found.extend((found.len() < limit).then(|| format!("unreadable: {e}")));
                continue;
            }
        };
        let Some(rel) = relative_name(dir, entry.path()) else {
            count += 1;
            found.extend((found.len() < limit).then(|| entry.path().to_string_lossy().into_owned()));
            continue;
        };
        // Kept entries and a build's own folders are accounted for whole.
        let set_aside = entry.depth() == 1 && (keep.contains(&rel) || is_build_leftover(&rel) || rel == MANIFEST);
        let is_dir = entry.file_type().is_dir();
        let accounted = set_aside || if is_dir { folders.contains(rel.as_str()) } else { listed.contains(&rel) };
        if is_dir && (set_aside || !accounted) {
            walker.skip_current_dir();
        }
        if !accounted {
            count += 1;
            if found.len() < limit {
                found.push(if is_dir { format!("{rel}/") } else { rel });
            }
        }
    }
    (found, count)
}

/// `a/b/c.html` -> `a`, `a/b`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

/// `entry` relative to `dir` with `/` separators, or `None` when it is not valid UTF-8
/// (communique never writes such a name).
fn relative_name(dir: &Path, entry: &Path) -> Option<String> {
    let rel = entry.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn only_files_the_manifest_lists_are_accounted_for() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for rel in ["index.html", "reports/a/index.html", "assets/style.css"] {
            write(d, rel);
        }
        std::fs::write(d.join(MANIFEST), manifest_text(["index.html", "reports/a/index.html", "assets/style.css"]))
            .unwrap();
        assert_eq!(foreign_entries(d, &[], 10), (vec![], 0));
        write(d, "notes.txt");
        write(d, "reports/a/draft.md");
        write(d, "drafts/one.md");
        write(d, "drafts/two.md");
        write(d, ".git/HEAD");
        write(d, "CNAME");
        let (found, count) = foreign_entries(d, &[], 10);
        assert_eq!(found, [".git/", "CNAME", "drafts/", "notes.txt", "reports/a/draft.md"]);
        assert_eq!(count, 5);
        let keep = vec![".git".to_string(), "CNAME".to_string()];
        assert_eq!(foreign_entries(d, &keep, 2), (vec!["drafts/".to_string(), "notes.txt".to_string()], 3));
    }

    #[test]
    fn without_a_manifest_everything_but_kept_entries_is_foreign() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "index.html");
        write(dir.path(), ".nojekyll");
        write(dir.path(), ".communique-old-123/index.html");
        let keep = vec![".nojekyll".to_string()];
        assert_eq!(foreign_entries(dir.path(), &keep, 10), (vec!["index.html".to_string()], 1));
    }

    #[test]
    fn the_manifest_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), manifest_text(["b", "a/c", "b"])).unwrap();
        assert_eq!(read_manifest(dir.path()), ["a/c", "b"]);
    }
}
