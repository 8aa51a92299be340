//! Paths resolved the way the file system will resolve them: a base module, so the project
//! (which finds its root) and writing (which checks where the output goes) agree without
//! depending on each other.

use std::io;
use std::path::{Component, Path, PathBuf};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_path_follows_dot_dot_and_keeps_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(resolve_path(&base.join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(resolve_path(&base.join("x/y/../../a/./b")).unwrap(), base.join("a/b"));
        assert_eq!(resolve_path(&base.join("new/out")).unwrap(), base.join("new/out"));
    }
}
