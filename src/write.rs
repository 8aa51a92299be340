//! Writing the output folder safely: everything goes into a sibling temporary folder,
//! which replaces the old output only after every file was written. A failed or killed
//! build therefore never leaves a half-written site in place of the previous one.

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::render::theme::StaticSource;
use crate::render::{Output, OutputFile};

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
/// a non-empty folder that does not look like a built site, and (unless `explicit`) a
/// folder outside the root.
///
/// Both paths are resolved first (`..`, symlinks), so `out/../..` cannot slip past a check.
pub fn check_output_dir(root: &Path, output: &Path, explicit: bool) -> Result<(), UnsafeOutput> {
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
    for source in ["content", "data", "static", "templates", "themes"] {
        if output.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if output.join("content").exists() {
        return refuse("it contains a content/ folder");
    }
    if !explicit && !output.starts_with(root) {
        return refuse("it is outside the site root (name it with --output to confirm)");
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file");
    }
    if output.is_dir()
        && !output.join("index.html").exists()
        && std::fs::read_dir(output).is_ok_and(|mut d| d.next().is_some())
    {
        return refuse("it is not empty and does not look like a built site (no index.html)");
    }
    Ok(())
}

/// Makes `path` absolute and resolves it the way the file system will: every `..` and
/// symlink among the parts that exist, then the rest lexically. Comparing unresolved paths
/// would let `x/../parent` pass for a folder unrelated to the root it holds.
pub fn resolve_path(path: &Path) -> io::Result<PathBuf> {
    let mut resolved = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            Component::ParentDir => {
                resolved = canonical_if_exists(&resolved)?;
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    canonical_if_exists(&resolved)
}

/// The canonical form of `path`'s deepest existing ancestor, with the missing rest appended.
fn canonical_if_exists(path: &Path) -> io::Result<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        match existing.canonicalize() {
            Ok(mut found) => {
                found.extend(missing.iter().rev());
                return Ok(found);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Ok(path.to_path_buf());
                };
                missing.push(name);
                existing = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Writes `output` into `dir`, replacing its previous contents only on success.
pub fn commit(output: &Output, dir: &Path) -> io::Result<()> {
    let staging = Staging::begin(dir)?;
    output.files.par_iter().try_for_each(|(name, file)| staging.write(name, file))?;
    staging.commit()
}

/// A folder next to the output folder that a build fills file by file (from any thread,
/// as pages are rendered, so they need not all be held in memory) and that replaces the
/// output folder only on [`Staging::commit`]. Dropped without a commit, it is removed
/// and the output folder is left as it was.
pub struct Staging {
    staging: PathBuf,
    dir: PathBuf,
    aside: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.NAME.tmp-PID` next to `dir` (after removing what killed builds left).
    pub fn begin(dir: &Path) -> io::Result<Staging> {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        remove_stale_leftovers(parent, &name);
        remove_if_exists(&staging)?;
        std::fs::create_dir_all(&staging).map_err(|e| with_path(e, &staging))?;
        let aside = parent.join(format!(".{name}.old-{}", std::process::id()));
        Ok(Staging { staging, dir: dir.to_path_buf(), aside, committed: false })
    }

    /// Writes one output file (`reports/a/index.html`), making its folders as needed.
    pub fn write(&self, name: &str, file: &OutputFile) -> io::Result<()> {
        let target = self.staging.join(name);
        let attempt = |target: &Path| match file {
            OutputFile::Bytes(bytes) => std::fs::write(target, bytes),
            OutputFile::Static(StaticSource::Embedded(bytes)) => std::fs::write(target, bytes),
            OutputFile::Static(StaticSource::Disk(source)) => std::fs::copy(source, target).map(|_| ()),
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
        .map_err(|e| with_path(e, &target))
    }

    /// Puts the filled folder in place of the output folder.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let swapped = swap_in(&self.staging, &self.dir, &self.aside);
        if swapped.is_err() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        swapped
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, file: OutputFile) -> io::Result<()> {
        self.write(path, &file)
    }
}

/// Moves `staging` to `dir`. On Linux the two folders are exchanged in one atomic step,
/// so a build killed at any moment leaves either the old or the new site in `dir`, never
/// neither; elsewhere the previous `dir` is moved aside first and restored if the second
/// rename fails.
fn swap_in(staging: &Path, dir: &Path, aside: &Path) -> io::Result<()> {
    if !dir.exists() {
        return std::fs::rename(staging, dir).map_err(|e| with_path(e, dir));
    }
    #[cfg(target_os = "linux")]
    if exchange(staging, dir).is_ok() {
        // `staging` now holds the previous site.
        return remove_tree(staging);
    }
    remove_if_exists(aside)?;
    std::fs::rename(dir, aside).map_err(|e| with_path(e, dir))?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let _ = std::fs::rename(aside, dir);
        return Err(with_path(e, dir));
    }
    remove_tree(aside)
}

/// Removes a folder and everything in it, the folders one level down in parallel: an old
/// site of tens of thousands of files takes a while to delete one by one.
fn remove_tree(path: &Path) -> io::Result<()> {
    let children: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| with_path(e, path))?
        .flatten()
        .flat_map(|top| match top.file_type() {
            Ok(t) if t.is_dir() => std::fs::read_dir(top.path())
                .map(|inner| inner.flatten().map(|e| e.path()).collect::<Vec<_>>())
                .unwrap_or_default(),
            _ => vec![top.path()],
        })
        .collect();
    children.par_iter().for_each(|child| {
        let _ = if child.is_dir() { std::fs::remove_dir_all(child) } else { std::fs::remove_file(child) };
    });
    std::fs::remove_dir_all(path).map_err(|e| with_path(e, path))
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both pointers are valid NUL-terminated paths for the duration of the call.
    let result =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` folders left by builds that were killed
/// (their process no longer exists). Only on Linux, where `/proc` says which processes
/// live; elsewhere they stay for the user to delete.
fn remove_stale_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = [".tmp-", ".old-"].iter().find_map(|kind| file_name.strip_prefix(&format!(".{name}{kind}")));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        let alive = !cfg!(target_os = "linux") || Path::new("/proc").join(pid.to_string()).exists();
        if !alive && pid != std::process::id() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(with_path(e, path)),
        _ => Ok(()),
    }
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_hold_user_files() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root, true).is_err());
        assert!(check_output_dir(root, root.parent().unwrap(), true).is_err());
        assert!(check_output_dir(root, &root.join("content/out"), true).is_err());
        assert!(check_output_dir(root, &root.join("output"), false).is_ok());
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("out");
        assert!(check_output_dir(root, &target, false).is_err());
        assert!(check_output_dir(root, &target, true).is_ok());
        std::fs::write(elsewhere.path().join("notes.txt"), "mine").unwrap();
        assert!(check_output_dir(root, elsewhere.path(), true).is_err(), "non-empty, not a site");
        assert!(check_output_dir(root, &root.join(".."), true).is_err(), "parent spelled with ..");
        let sneaky = root.join("output/../../").join(root.file_name().unwrap());
        assert!(check_output_dir(root, &sneaky, true).is_err(), "root spelled with ..");
    }

    #[test]
    fn resolve_path_follows_dot_dot_and_keeps_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(resolve_path(&base.join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(resolve_path(&base.join("x/y/../../a/./b")).unwrap(), base.join("a/b"));
        assert_eq!(resolve_path(&base.join("new/out")).unwrap(), base.join("new/out"));
    }

    #[test]
    fn files_written_at_once_into_new_folders_all_arrive() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let staging = Staging::begin(&out).unwrap();
        let names: Vec<String> = (0..4000).map(|i| format!("f{}/g{}/file{i}.html", i % 7, i % 13)).collect();
        names
            .par_iter()
            .try_for_each(|name| staging.write(name, &OutputFile::Bytes(name.clone().into_bytes())))
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
        let staging = Staging::begin(&out).unwrap();
        staging.write("index.html", &OutputFile::Bytes(b"new".to_vec())).unwrap();
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
        output.files.insert("a/index.html".into(), OutputFile::Bytes(b"A".to_vec()));
        commit(&output, &out).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"A");
        assert!(!out.join("old").exists());
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
        output.files.insert("index.html".into(), OutputFile::Bytes(b"A".to_vec()));
        commit(&output, &dir.path().join("output")).unwrap();
        commit(&output, &dir.path().join("output")).unwrap();
        let mut left: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, [".output.tmp-notapid", "output"]);
    }
}
