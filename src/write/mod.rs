//! Writing the output folder safely: everything goes into a staging folder, which replaces
//! the old output only after every file was written, so a failed or killed build never
//! leaves a half-written site in place of the previous one; and a folder is replaced only
//! when every file in it was written by communique or kept on purpose (`output_keep:`).
//!
//! - [`check_output_dir`], [`check_ownership`]: refuse folders whose replacement would
//!   delete someone's files.
//! - [`Staging`]: fills the new site and puts it in place ([`replace`] says how).
//! - [`manifest`]: the list of files a build wrote, left in the folder for the next one.

pub mod manifest;
pub mod replace;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

pub use replace::Leftovers;
use replace::with_path;

use crate::output::{Output, OutputFile, StaticSource};
use crate::paths::resolve_path;
use crate::project::sources;

/// Why an output folder was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct UnsafeOutput(pub String);

impl std::error::Error for UnsafeOutput {}

impl std::fmt::Display for UnsafeOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Refuses output folders whose replacement would delete the user's own files: the root,
/// a parent of it, a source folder or anything inside one, a folder holding `content/`,
/// and (unless `explicit`) a folder outside the root; and a `keep` list naming anything
/// but entries directly in the folder. [`check_ownership`] checks the folder's files.
///
/// Both paths are resolved first (`..`, symlinks), so `out/../..` cannot slip past a check.
pub fn check_output_dir(root: &Path, output: &Path, explicit: bool, keep: &[String]) -> Result<(), UnsafeOutput> {
    let shown = output.display().to_string();
    let refuse = |why: &str| Err(UnsafeOutput(format!("refusing to use {shown} as the output folder: {why}")));
    let unresolvable = |e: io::Error| UnsafeOutput(format!("cannot resolve {}: {e}", shown));
    let root = &resolve_path(root).map_err(unresolvable)?;
    let output = &resolve_path(output).map_err(unresolvable)?;
    if output == root {
        return refuse("it is the site root");
    }
    if root.starts_with(output) {
        return refuse("it contains the site root");
    }
    for source in sources::FOLDERS {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.join(sources::CONTENT).exists() {
        return refuse("it contains a content/ folder");
    }
    if !explicit && !output.starts_with(root) {
        return refuse("it is outside the site root (name it with --output to confirm)");
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file");
    }
    if let Some(bad) = keep.iter().find(|name| !is_plain_name(name)) {
        return refuse(&format!(
            "`output_keep:` in site.yaml lists \"{bad}\", which is not the name of an entry directly in it"
        ));
    }
    Ok(())
}

/// Refuses an output folder holding any file that no build wrote (by its manifest) and
/// `keep` does not name. Separate from [`check_output_dir`] because it reads every entry
/// of the folder (28,000 for a site of 10,000 reports): `build` runs it beside the build.
pub fn check_ownership(output: &Path, keep: &[String]) -> Result<(), UnsafeOutput> {
    match manifest::foreign_entries(output, keep, 5) {
        (_, 0) => Ok(()),
        (found, count) => Err(UnsafeOutput(format!(
            "refusing to use {} as the output folder: {}",
            output.display(),
            foreign_message(&found, count)
        ))),
    }
}

/// Why a folder holding files no build wrote is refused, and the ways forward.
fn foreign_message(found: &[String], count: usize) -> String {
    let more = if count > found.len() { format!(" and {} more", count - found.len()) } else { String::new() };
    format!(
        "it holds files that communique did not write ({}{more}), which a build would delete.\n  \
         Move them away, or build into an empty or new folder. To keep entries such as .git or CNAME \
         (a gh-pages worktree), list them under `output_keep:` in site.yaml. If it is a site that communique \
         wrote before it kept a manifest, delete it once.",
        found.join(", ")
    )
}

/// A name of one entry: not empty, no separator, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

/// Writes `output` into `dir`, replacing its previous contents only on success.
pub fn commit(output: &Output, dir: &Path) -> io::Result<Leftovers> {
    let staging = Staging::begin(dir, &[])?;
    let files: Vec<(&String, &OutputFile)> = output.files.iter().collect();
    files.into_par_iter().try_for_each(|(name, file)| staging.write(name, file))?;
    staging.commit()
}

/// A folder that a build fills file by file (from any thread, as pages are rendered, so
/// they need not all be held in memory) and that replaces the output folder's contents
/// only on [`Staging::commit`]. Dropped without a commit, it is removed and the output
/// folder is left as it was.
pub struct Staging {
    staging: PathBuf,
    dir: PathBuf,
    aside: PathBuf,
    /// Entries of the output folder that the site keeps; non-empty only in place.
    keep: Vec<String>,
    in_place: bool,
    /// Every file written, for the manifest.
    written: Mutex<Vec<String>>,
    committed: bool,
}

impl Staging {
    /// Prepares to replace `dir`, keeping its top-level entries named in `keep`.
    ///
    /// The new site is staged in `.NAME.tmp-PID` next to `dir` and swapped in whole, unless
    /// `dir` cannot be renamed (a mount point), holds a kept entry, or its parent cannot be
    /// written: then it is staged in `dir/.communique-new-PID` and `dir`'s entries are
    /// replaced one by one. What killed builds left is removed first.
    pub fn begin(dir: &Path, keep: &[String]) -> io::Result<Staging> {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
        let pid = std::process::id();
        std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
        remove_stale_leftovers(parent, &format!(".{name}"), &[".tmp-", ".old-"]);
        if dir.is_dir() {
            remove_stale_leftovers(dir, "", &[manifest::INNER_STAGING, manifest::INNER_ASIDE]);
        }
        let holds_kept = keep.iter().any(|k| dir.join(k).symlink_metadata().is_ok());
        let must_stay = dir.is_dir() && (holds_kept || replace::is_mount_point(dir));
        if !must_stay {
            let staging = parent.join(format!(".{name}.tmp-{pid}"));
            match make_fresh_folder(&staging) {
                Ok(()) => return Ok(Staging::new(staging, dir, parent.join(format!(".{name}.old-{pid}")), &[], false)),
                // A parent that cannot be written: stage inside the folder instead.
                Err(e) if dir.is_dir() && e.kind() != io::ErrorKind::StorageFull => {}
                Err(e) => return Err(e),
            }
        }
        let staging = dir.join(format!("{}{pid}", manifest::INNER_STAGING));
        make_fresh_folder(&staging)?;
        Ok(Staging::new(staging, dir, dir.join(format!("{}{pid}", manifest::INNER_ASIDE)), keep, true))
    }

    fn new(staging: PathBuf, dir: &Path, aside: PathBuf, keep: &[String], in_place: bool) -> Staging {
        let dir = dir.to_path_buf();
        Staging {
            staging,
            dir,
            aside,
            keep: keep.to_vec(),
            in_place,
            written: Mutex::new(Vec::new()),
            committed: false,
        }
    }

    /// Whether the output folder's entries are replaced one by one (see [`Staging::begin`]).
    pub fn in_place(&self) -> bool {
        self.in_place
    }

    /// Writes one output file (`reports/a/index.html`), making its folders as needed.
    pub fn write(&self, name: &str, file: &OutputFile) -> io::Result<()> {
        let target = self.staging.join(name);
        let attempt = |target: &Path| match file {
            OutputFile::Bytes(bytes) => std::fs::write(target, bytes),
            OutputFile::Static(StaticSource::Embedded(bytes)) => std::fs::write(target, bytes),
            OutputFile::Static(StaticSource::Disk(source)) => std::fs::copy(source, target).map(|_| ()),
            OutputFile::Static(StaticSource::Cached(source)) => link_or_copy(source, target),
        };
        match attempt(&target) {
            // Folders are made on the first file that needs them, which spares a pass
            // over every path before writing. Another thread may be making the same
            // folder at the same moment; create_dir_all accepts that.
            Err(e) if e.kind() == io::ErrorKind::NotFound && target.parent().is_some() => {
                let folder = target.parent().expect("checked above");
                std::fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
                attempt(&target)
            }
            other => other,
        }
        .map_err(|e| with_path(e, &target))?;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(name.to_string());
        Ok(())
    }

    /// Puts the filled folder in place of the output folder's contents. Once the new site
    /// is in place this succeeds; what could not be removed of the old one is returned.
    pub fn commit(mut self) -> io::Result<Leftovers> {
        self.committed = true;
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let manifest = manifest::manifest_text(written.iter().map(String::as_str));
        let manifest_path = self.staging.join(manifest::MANIFEST);
        let swapped =
            std::fs::write(&manifest_path, manifest).map_err(|e| with_path(e, &manifest_path)).and_then(|()| {
                if self.in_place {
                    replace::replace_entries(&self.staging, &self.dir, &self.aside, &self.keep)
                } else {
                    replace::swap_folders(&self.staging, &self.dir, &self.aside)
                }
            });
        if swapped.is_err() {
            let _ = replace::remove_tree(&self.staging);
        }
        swapped
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = replace::remove_tree(&self.staging);
        }
    }
}

impl crate::output::Sink for Staging {
    fn put(&self, path: &str, file: OutputFile) -> io::Result<()> {
        self.write(path, &file)
    }
}

/// Hard-links `source` at `target`, or copies it where links cannot be made (another file
/// system, a file system without links). A missing folder of `target` is an error, for
/// [`Staging::write`] to make it.
fn link_or_copy(source: &Path, target: &Path) -> io::Result<()> {
    match std::fs::hard_link(source, target) {
        // A new file (not fs::copy, which would make it read-only like the cache's).
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            io::copy(&mut std::fs::File::open(source)?, &mut std::fs::File::create(target)?).map(|_| ())
        }
        linked => linked,
    }
}

/// Removes what an earlier build left at `path` and makes it an empty folder.
fn make_fresh_folder(path: &Path) -> io::Result<()> {
    replace::remove_tree(path)?;
    std::fs::create_dir(path).map_err(|e| with_path(e, path))
}

/// Removes the folders named `PREFIX KIND PID` in `parent` (for each of `kinds`) that
/// builds left when they were killed: their process no longer exists. Only on Linux,
/// where `/proc` says which processes live; elsewhere they stay for the user to delete.
fn remove_stale_leftovers(parent: &Path, prefix: &str, kinds: &[&str]) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = kinds.iter().find_map(|kind| file_name.strip_prefix(&format!("{prefix}{kind}")));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        let alive = !cfg!(target_os = "linux") || Path::new("/proc").join(pid.to_string()).exists();
        if !alive && pid != std::process::id() {
            let _ = replace::remove_tree(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_hold_user_files() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root, true, &[]).is_err());
        assert!(check_output_dir(root, root.parent().unwrap(), true, &[]).is_err());
        assert!(check_output_dir(root, &root.join("content/out"), true, &[]).is_err());
        assert!(check_output_dir(root, &root.join("output"), false, &[]).is_ok());
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("out");
        assert!(check_output_dir(root, &target, false, &[]).is_err());
        assert!(check_output_dir(root, &target, true, &[]).is_ok());
        std::fs::write(elsewhere.path().join("notes.txt"), "mine").unwrap();
        assert!(check_ownership(elsewhere.path(), &[]).is_err(), "non-empty, not a site");
        assert!(check_ownership(&target, &[]).is_ok(), "missing");
        assert!(check_output_dir(root, &root.join(".."), true, &[]).is_err(), "parent spelled with ..");
        let sneaky = root.join("output/../../").join(root.file_name().unwrap());
        assert!(check_output_dir(root, &sneaky, true, &[]).is_err(), "root spelled with ..");
    }

    #[test]
    fn files_written_at_once_into_new_folders_all_arrive() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let staging = Staging::begin(&out, &[]).unwrap();
        let names: Vec<String> = (0..4000).map(|i| format!("f{}/g{}/file{i}.html", i % 7, i % 13)).collect();
        names
            .par_iter()
            .try_for_each(|name| staging.write(name, &OutputFile::bytes(name.clone().into_bytes())))
            .unwrap();
        staging.commit().unwrap();
        for name in &names {
            assert_eq!(std::fs::read(out.join(name)).unwrap(), name.as_bytes());
        }
    }

    #[test]
    fn an_abandoned_staging_folder_is_removed_and_the_output_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let staging = Staging::begin(&out, &[]).unwrap();
        staging.write("index.html", &OutputFile::bytes(&b"new"[..])).unwrap();
        drop(staging);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["output"]);
    }

    #[test]
    fn commit_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir_all(out.join("old")).unwrap();
        std::fs::write(out.join("old/stale.html"), "x").unwrap();
        let mut output = Output::default();
        output.files.insert("a/index.html".into(), OutputFile::bytes(&b"A"[..]));
        commit(&output, &out).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"A");
        assert!(!out.join("old").exists());
        assert_eq!(manifest::read_manifest(&out), ["a/index.html"]);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["output"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // PIDs above the kernel's maximum (4,194,304) are never alive.
        std::fs::create_dir_all(dir.path().join(".output.tmp-4999999/x")).unwrap();
        std::fs::create_dir_all(dir.path().join(".output.old-4999998")).unwrap();
        std::fs::create_dir_all(dir.path().join(".output.tmp-notapid")).unwrap();
        let mut output = Output::default();
        output.files.insert("index.html".into(), OutputFile::bytes(&b"A"[..]));
        commit(&output, &dir.path().join("output")).unwrap();
        commit(&output, &dir.path().join("output")).unwrap();
        let mut left: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, [".output.tmp-notapid", "output"]);
    }
}
