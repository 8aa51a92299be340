//! Putting a filled staging folder in place of the output folder, and removing the old one.
//!
//! Two ways, chosen by [`super::Staging::begin`]:
//! - [`swap_folders`]: the staging folder is a sibling of the output folder and the two are
//!   exchanged in one atomic step (Linux), so a reader or a kill sees the old site or the
//!   new one, never a mix.
//! - [`replace_entries`]: the staging folder is inside the output folder, whose top-level
//!   entries are replaced one by one. Used when the folder itself cannot be renamed (a
//!   mount point) or holds entries the site keeps (`output_keep:`, a gh-pages worktree's
//!   `.git`). Each entry is replaced atomically, the folder as a whole is not; a failure
//!   puts every moved entry back, and a killed run leaves a folder the next build repairs.
//!
//! Old files are removed only once the new ones are all in place; failing to remove them
//! is reported as a leftover, never as a failed build, since the new site is then live.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{MANIFEST, is_build_leftover, manifest_text, read_manifest};

/// What could not be cleaned up after the new output was put in place (each a message).
pub type Leftovers = Vec<String>;

/// Moves `staging` to `dir`. On Linux the two folders are exchanged in one atomic step;
/// elsewhere the previous `dir` is moved aside first and restored if the second rename
/// fails. The old site is removed afterwards.
pub fn swap_folders(staging: &Path, dir: &Path, aside: &Path) -> io::Result<Leftovers> {
    if !dir.exists() {
        std::fs::rename(staging, dir).map_err(|e| with_path(e, dir))?;
        return Ok(Vec::new());
    }
    #[cfg(target_os = "linux")]
    if exchange(staging, dir).is_ok() {
        // `staging` now holds the previous site.
        return Ok(leftover(remove_tree(staging)));
    }
    remove_tree(aside)?;
    std::fs::rename(dir, aside).map_err(|e| with_path(e, dir))?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let _ = std::fs::rename(aside, dir);
        return Err(with_path(e, dir));
    }
    Ok(leftover(remove_tree(aside)))
}

/// Replaces the top-level entries of `dir` (other than `keep` and a build's own folders)
/// with those of `staging`, a folder inside it, moving the old ones into `aside` (also
/// inside it) and removing them once every new entry is in place.
///
/// While entries move, the folder's manifest lists the old files and the new ones, so a
/// build killed half-way leaves a folder the next build recognises as its own.
pub fn replace_entries(staging: &Path, dir: &Path, aside: &Path, keep: &[String]) -> io::Result<Leftovers> {
    let new: BTreeSet<String> = entry_names(staging)?.into_iter().filter(|n| n != MANIFEST).collect();
    if let Some(clash) = new.iter().find(|name| keep.contains(name)) {
        return Err(io::Error::other(format!(
            "`output_keep:` in site.yaml names {clash}, which the build writes; remove it from the list"
        )));
    }
    let old: Vec<String> = entry_names(dir)?
        .into_iter()
        .filter(|n| !keep.contains(n) && !is_build_leftover(n) && n != MANIFEST && !new.contains(n))
        .collect();
    let old_manifest = std::fs::read_to_string(dir.join(MANIFEST)).ok();
    std::fs::create_dir_all(aside).map_err(|e| with_path(e, aside))?;
    write_union_manifest(staging, dir)?;
    let mut moves = Moves::default();
    let moved = new
        .iter()
        .try_for_each(|name| moves.replace(&staging.join(name), &dir.join(name), &aside.join(name)))
        .and_then(|()| old.iter().try_for_each(|name| moves.rename(&dir.join(name), &aside.join(name))))
        .and_then(|()| rename(&staging.join(MANIFEST), &dir.join(MANIFEST)));
    if let Err(e) = moved {
        moves.undo();
        restore_manifest(dir, old_manifest.as_deref());
        return Err(e);
    }
    let mut leftovers = leftover(remove_tree(aside));
    leftovers.extend(leftover(remove_tree(staging)));
    Ok(leftovers)
}

/// Renames done so far, to be undone in reverse order when one fails.
#[derive(Default)]
struct Moves(Vec<(PathBuf, PathBuf)>);

impl Moves {
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        rename(from, to)?;
        self.0.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    /// Puts `new` at `target`, moving what is there to `aside` first.
    fn replace(&mut self, new: &Path, target: &Path, aside: &Path) -> io::Result<()> {
        if target.symlink_metadata().is_ok() {
            self.rename(target, aside)?;
        }
        self.rename(new, target)
    }

    fn undo(self) {
        for (from, to) in self.0.into_iter().rev() {
            let _ = std::fs::rename(to, from);
        }
    }
}

fn rename(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to).map_err(|e| with_path(e, to))
}

/// Writes, atomically, a manifest listing the files of both the old output and the new one.
fn write_union_manifest(staging: &Path, dir: &Path) -> io::Result<()> {
    let mut paths = read_manifest(dir);
    paths.extend(read_manifest(staging));
    write_atomically(dir, &manifest_text(paths.iter().map(String::as_str)))
}

fn restore_manifest(dir: &Path, text: Option<&str>) {
    let _ = match text {
        Some(text) => write_atomically(dir, text),
        None => std::fs::remove_file(dir.join(MANIFEST)),
    };
}

fn write_atomically(dir: &Path, text: &str) -> io::Result<()> {
    let temporary = dir.join(format!("{MANIFEST}.tmp-{}", std::process::id()));
    std::fs::write(&temporary, text).map_err(|e| with_path(e, &temporary))?;
    rename(&temporary, &dir.join(MANIFEST))
}

/// The names of the entries directly in `dir`, sorted; a name that is not valid UTF-8
/// (which a build never writes) is kept lossily so it still counts as an entry.
fn entry_names(dir: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| with_path(e, dir))?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()
        .map_err(|e| with_path(e, dir))?;
    names.sort();
    Ok(names)
}

fn leftover(result: io::Result<()>) -> Leftovers {
    result.err().map(|e| e.to_string()).into_iter().collect()
}

/// Removes a folder and everything in it (nothing when it does not exist), the folders
/// one level down in parallel: an old site of tens of thousands of files takes a while to
/// delete one by one. Folders a previous output left read-only are made writable first.
pub fn remove_tree(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Ok(meta) if !meta.is_dir() => return std::fs::remove_file(path).map_err(|e| with_path(e, path)),
        _ => {}
    }
    remove_children_in_parallel(path);
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            make_folders_writable(path);
            std::fs::remove_dir_all(path).map_err(|e| with_path(e, path))
        }
        other => other.map_err(|e| with_path(e, path)),
    }
}

/// Best effort: whatever fails here is retried, and reported, by the caller's last pass.
fn remove_children_in_parallel(path: &Path) {
    let children: Vec<PathBuf> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|top| match top.file_type() {
            Ok(t) if t.is_dir() => std::fs::read_dir(top.path())
                .map(|inner| inner.flatten().map(|e| e.path()).collect::<Vec<_>>())
                .unwrap_or_default(),
            _ => vec![top.path()],
        })
        .collect();
    children.par_iter().for_each(|child| {
        let _ = match child.symlink_metadata() {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(child),
            _ => std::fs::remove_file(child),
        };
    });
}

/// Gives the owner write and search permission on every folder under `path` (not
/// following links), so that their entries can be removed.
fn make_folders_writable(path: &Path) {
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        use std::os::unix::fs::PermissionsExt;
        if entry.file_type().is_dir()
            && let Ok(meta) = entry.metadata()
        {
            let mode = meta.permissions().mode() | 0o700;
            let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `error` with `path` in front of its message, so it says which file failed.
pub fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
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

/// Whether `dir` is a mount point, which cannot be renamed: its device differs from its
/// parent's, or (for a bind mount of a folder of the same file system) the kernel lists it
/// among the mounts.
pub fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
        if let Some(parent) = dir.parent()
            && device(dir) != device(parent)
        {
            return true;
        }
    }
    listed_in_mountinfo(dir)
}

#[cfg(target_os = "linux")]
fn listed_in_mountinfo(dir: &Path) -> bool {
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else { return false };
    let Some(dir) = dir.to_str() else { return false };
    // The fifth field is the mount point, with spaces and the like written as octal escapes.
    info.lines().filter_map(|line| line.split(' ').nth(4)).any(|point| unescape_octal(point) == dir)
}

#[cfg(not(target_os = "linux"))]
fn listed_in_mountinfo(_dir: &Path) -> bool {
    false
}

/// `/a\040b` -> `/a b`, as /proc/self/mountinfo writes space, tab, newline and backslash.
#[cfg(target_os = "linux")]
fn unescape_octal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal =
            bytes.get(i + 1..i + 4).filter(|d| bytes[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn staged(out: &Path, files: &[&str]) -> PathBuf {
        let staging = out.join(".communique-new-1");
        for rel in files {
            write(&staging, rel, "new");
        }
        std::fs::write(staging.join(MANIFEST), manifest_text(files.iter().copied())).unwrap();
        staging
    }

    #[test]
    fn entries_are_replaced_and_kept_ones_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write(out, "index.html", "old");
        write(out, "gone/index.html", "old");
        write(out, ".git/HEAD", "ref: main");
        write(out, "CNAME", "example.org");
        let staging = staged(out, &["index.html", "reports/a/index.html"]);
        let aside = out.join(".communique-old-1");
        let keep = vec![".git".to_string(), "CNAME".to_string()];
        assert_eq!(replace_entries(&staging, out, &aside, &keep).unwrap(), Leftovers::new());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("reports/a/index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref: main");
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "example.org");
        assert_eq!(entry_names(out).unwrap(), [".communique-manifest", ".git", "CNAME", "index.html", "reports"]);
        assert_eq!(read_manifest(out), ["index.html", "reports/a/index.html"]);
    }

    #[test]
    fn a_failed_move_puts_every_entry_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write(out, "index.html", "old");
        write(out, "b/index.html", "old");
        std::fs::write(out.join(MANIFEST), manifest_text(["index.html", "b/index.html"])).unwrap();
        let staging = staged(out, &["a/index.html", "b/index.html", "index.html"]);
        // A folder in the way in `aside`: moving the old index.html there fails after `a`
        // was moved in and `b` replaced.
        let aside = out.join(".communique-old-1");
        write(&aside, "index.html/x", "in the way");
        assert!(replace_entries(&staging, out, &aside, &[]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(out.join("b/index.html")).unwrap(), "old");
        assert!(!out.join("a").exists());
        assert_eq!(read_manifest(out), ["b/index.html", "index.html"]);
    }

    #[test]
    fn a_kept_name_the_build_writes_is_refused_before_anything_moves() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        write(out, "index.html", "old");
        let staging = staged(out, &["index.html"]);
        let err = replace_entries(&staging, out, &out.join(".communique-old-1"), &["index.html".into()]).unwrap_err();
        assert!(err.to_string().contains("names index.html"), "{err}");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mountinfo_escapes_are_read() {
        assert_eq!(unescape_octal(r"/srv/my\040site\134x"), r"/srv/my site\x");
        assert_eq!(unescape_octal(r"/a\04"), r"/a\04");
    }
}
