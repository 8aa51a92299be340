//! `communique init DIR`: writes the starter site embedded from `skeleton/` (a commented
//! `site.yaml`, one example report, registries, an About page and an empty `templates/`
//! with a README) into a new or empty folder, then prints what it made and what to run.
//!
//! Like `zola init`, a folder holding only hidden entries (`.git`) counts as empty. Like
//! `hugo new site --force`, `--force` accepts a folder with other files in it but never
//! overwrites one: if any file of the starter site exists already, nothing is written.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use include_dir::{Dir, File, include_dir};

use super::new::create_new;
use crate::cli::InitArgs;

/// The starter site, compiled into the binary.
static SKELETON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/skeleton");

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a folder", dir.display());
    }
    if !args.force && has_visible_entries(dir)? {
        bail!(
            "{} is not empty; pass --force to add a new site next to what is there (existing files are never overwritten)",
            dir.display()
        );
    }
    let files = skeleton_files();
    let taken: Vec<&str> = files.iter().map(|f| f.0.as_str()).filter(|rel| is_taken(dir, rel)).collect();
    if !taken.is_empty() {
        bail!("refusing to overwrite {} in {}; nothing was written", taken.join(", "), dir.display());
    }
    for (rel, file) in &files {
        let text = file.contents_utf8().expect("the skeleton is UTF-8 text");
        create_new(&dir.join(rel), text).with_context(|| format!("writing {}", dir.join(rel).display()))?;
    }
    print_summary(dir, &files);
    Ok(ExitCode::SUCCESS)
}

/// Whether `dir` holds anything but hidden entries. A missing folder is empty.
fn has_visible_entries(dir: &Path) -> anyhow::Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        if !entry?.file_name().to_string_lossy().starts_with('.') {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether writing `dir/rel` would replace something: the file exists (even as a broken
/// symbolic link), or one of its folders is a file.
fn is_taken(dir: &Path, rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut path = dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        if std::fs::symlink_metadata(&path).is_err() {
            return false;
        }
        let is_file_itself = i + 1 == parts.len();
        if is_file_itself || !path.is_dir() {
            return true;
        }
    }
    false
}

/// Every file of the skeleton with its `/`-separated path, sorted.
fn skeleton_files() -> Vec<(String, &'static File<'static>)> {
    let mut files = Vec::new();
    let mut folders = vec![&SKELETON];
    while let Some(folder) = folders.pop() {
        folders.extend(folder.dirs());
        for file in folder.files() {
            files.push((file.path().to_string_lossy().replace('\\', "/"), file));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn print_summary(dir: &Path, files: &[(String, &File)]) {
    println!("created a new site in {}:", dir.display());
    for (rel, _) in files {
        println!("  {rel}");
    }
    println!();
    println!("next:");
    let cd = if is_current_folder(dir) { String::new() } else { format!("cd {} && ", shell_word(dir)) };
    let steps = [
        (format!("{cd}communique serve"), "preview at http://127.0.0.1:1111/, rebuilt on every save"),
        ("communique new report \"Title\"".to_string(), "start a report in content/reports/"),
        ("communique build".to_string(), "write the site to output/"),
    ];
    let width = steps.iter().map(|(command, _)| command.len()).max().unwrap_or(0);
    for (command, what) in steps {
        println!("  {command:<width$}   # {what}");
    }
}

pub fn is_current_folder(dir: &Path) -> bool {
    dir.components().all(|c| matches!(c, std::path::Component::CurDir))
}

/// `dir` as one shell word: quoted when it holds anything but safe characters.
pub fn shell_word(dir: &Path) -> String {
    let text = dir.display().to_string();
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+~".contains(c);
    if text.chars().all(safe) { text } else { format!("'{}'", text.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn skeleton_is_a_complete_site() {
        let names: Vec<String> = skeleton_files().into_iter().map(|f| f.0).collect();
        for expected in ["site.yaml", "content/about.md", "data/people.yaml", "data/cities.yaml", "templates/README.md"]
        {
            assert!(names.iter().any(|n| n == expected), "the skeleton lacks {expected}: {names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("content/reports/") && n.ends_with(".md")));
    }

    #[test]
    fn next_command_quotes_folder_names_for_the_shell() {
        assert_eq!(shell_word(&PathBuf::from("my-site")), "my-site");
        assert_eq!(shell_word(&PathBuf::from("my site")), "'my site'");
        assert_eq!(shell_word(&PathBuf::from("it's")), r"'it'\''s'");
        assert!(is_current_folder(Path::new(".")));
        assert!(!is_current_folder(Path::new("site")));
    }
}
