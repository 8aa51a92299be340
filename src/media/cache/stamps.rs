//! The `stamps` file of the cache: for each photo of the last run, its size, its
//! modification time, the BLAKE3 hash of its bytes, and the entry it was found as (key and
//! record). A photo whose size and time are those recorded is taken to have those bytes
//! (as `make` and Cargo trust a file's time), and the entry the last run checked is taken
//! to be whole, so a build where no photo changed reads neither the photos nor the cache:
//! it links the variants. A photo touched but not changed (a checkout) is read and hashed
//! again, and still found in the cache.
//!
//! A header line, then one line per photo, fields separated by tabs: length, nanoseconds,
//! hash, key, width, height, the variants as `width:height:length` separated by commas,
//! and the path last. A line that cannot be read is ignored: it only costs reading that
//! photo again.

use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

use super::entry::Record;

/// What identifies one version of a file without reading it: its length and its
/// modification time in nanoseconds since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub length: u64,
    pub modified: i128,
}

impl FileStamp {
    /// The stamp of a file with this metadata; `None` where the system keeps no
    /// modification time (the file is then always read).
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = meta.modified().ok()?;
        let nanoseconds = match modified.duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        Some(FileStamp { length: meta.len(), modified: nanoseconds })
    }
}

/// What the last run knew of one photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp {
    pub file: FileStamp,
    /// The hash of the photo's bytes.
    pub hash: blake3::Hash,
    /// The key of the entry it was found as or stored in, and that entry's record.
    pub key: blake3::Hash,
    pub record: Record,
}

/// The last run's photos by root-relative path.
pub(super) type Stamps = HashMap<String, Stamp>;

pub(super) const STAMPS_FILE: &str = "stamps";
const HEADER: &str = "communique image stamps 1";

/// The stamps file in `dir`, or none when it is missing or of another version.
pub(super) fn read(dir: &Path) -> Stamps {
    let Ok(text) = std::fs::read_to_string(dir.join(STAMPS_FILE)) else { return Stamps::new() };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Stamps::new();
    }
    lines.filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<(String, Stamp)> {
    let mut fields = line.splitn(8, '\t');
    let mut next = || fields.next();
    let file = FileStamp { length: next()?.parse().ok()?, modified: next()?.parse().ok()? };
    let (hash, key) = (blake3::Hash::from_hex(next()?).ok()?, blake3::Hash::from_hex(next()?).ok()?);
    let (width, height) = (next()?.parse().ok()?, next()?.parse().ok()?);
    let variants = next()?.split(',').map(parse_variant).collect::<Option<Vec<_>>>()?;
    let path = next().filter(|p| !p.is_empty())?;
    Some((path.to_string(), Stamp { file, hash, key, record: Record { width, height, variants } }))
}

fn parse_variant(text: &str) -> Option<(u32, u32, u64)> {
    let mut numbers = text.split(':');
    let variant = (numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?);
    numbers.next().is_none().then_some(variant)
}

/// The text of a stamps file, sorted by path so that the same photos give the same file.
/// Paths with a line break cannot be written and are left out (those photos are read).
pub(super) fn text(stamps: &Stamps) -> String {
    let mut sorted: Vec<_> = stamps.iter().filter(|(path, _)| !path.contains(['\n', '\r'])).collect();
    sorted.sort_unstable_by_key(|(path, _)| *path);
    let mut text = format!("{HEADER}\n");
    for (path, stamp) in sorted {
        let variants: Vec<String> =
            stamp.record.variants.iter().map(|(w, h, length)| format!("{w}:{h}:{length}")).collect();
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{path}\n",
            stamp.file.length,
            stamp.file.modified,
            stamp.hash.to_hex(),
            stamp.key.to_hex(),
            stamp.record.width,
            stamp.record.height,
            variants.join(",")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(length: u64, modified: i128, seed: &[u8]) -> Stamp {
        let record = Record { width: 800, height: 600, variants: vec![(480, 360, 1234), (800, 600, 5678)] };
        let file = FileStamp { length, modified };
        Stamp { file, hash: blake3::hash(seed), key: blake3::hash(&[seed, b"key"].concat()), record }
    }

    #[test]
    fn stamps_read_back_what_was_written_and_skip_what_cannot_be_read() {
        let temp = tempfile::tempdir().unwrap();
        let mut stamps = Stamps::new();
        stamps.insert("content/a b\tc.jpg".to_string(), stamp(12, -5, b"a"));
        stamps.insert("static/b.png".to_string(), stamp(1, 1 << 62, b"b"));
        stamps.insert("static/line\nbreak.png".to_string(), stamp(1, 1, b"c"));
        let mut written = text(&stamps);
        written.push_str("garbage\n12\tx\t00\tpath\n");
        let valid = text(&stamps).lines().nth(1).unwrap().to_string();
        written.push_str(&format!("{}\n", valid.replace("480:360:1234", "480:360")));
        std::fs::write(temp.path().join(STAMPS_FILE), &written).unwrap();
        stamps.remove("static/line\nbreak.png");
        assert_eq!(read(temp.path()), stamps);
        assert!(read(&temp.path().join("missing")).is_empty());
        std::fs::write(temp.path().join(STAMPS_FILE), written.replacen(HEADER, "communique image stamps 0", 1))
            .unwrap();
        assert!(read(temp.path()).is_empty(), "another version is not read");
    }
}
