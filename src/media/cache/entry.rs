//! One cache entry on disk: `<key>.entry`, a small checksummed record of the source's size
//! and its variants' sizes and lengths, and one file per variant, `<key>-<width>.webp`.
//! Variants are written first and the record last, each to a temporary file renamed into
//! place, so a record never names a variant that was not wholly written. Variant files are
//! made read-only: the build links them into the output, and a tool that rewrites output
//! files in place must not change the cache through the link.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::super::resize::Processed;

const MAGIC: &[u8; 8] = b"cqentry\n";

/// What an entry records: the source's size as shown and each variant's size and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub width: u32,
    pub height: u32,
    /// Width, height and length in bytes of each variant, ascending by width.
    pub variants: Vec<(u32, u32, u64)>,
}

/// The record file of the entry `key` in `dir`.
pub(super) fn record_path(dir: &Path, key: &blake3::Hash) -> PathBuf {
    dir.join(format!("{}.entry", key.to_hex()))
}

/// The file of the variant `width` of the entry `key` in `dir`.
pub(super) fn variant_path(dir: &Path, key: &blake3::Hash, width: u32) -> PathBuf {
    dir.join(format!("{}-{width}.webp", key.to_hex()))
}

/// The entry `key` and its record's time, when its record is sound and every variant
/// file it names is there with the recorded length (a file of another length is damaged;
/// contents are not read).
pub(super) fn read(dir: &Path, key: &blake3::Hash) -> Option<(Record, SystemTime)> {
    let mut file = fs::File::open(record_path(dir, key)).ok()?;
    let modified = file.metadata().and_then(|meta| meta.modified()).unwrap_or_else(|_| SystemTime::now());
    let mut bytes = Vec::with_capacity(256);
    file.read_to_end(&mut bytes).ok()?;
    let record = decode_record(&bytes, key)?;
    let whole = |&(width, _, length): &(u32, u32, u64)| {
        fs::metadata(variant_path(dir, key, width)).is_ok_and(|meta| meta.is_file() && meta.len() == length)
    };
    record.variants.iter().all(whole).then_some((record, modified))
}

/// Sets the time of the entry `key`'s record to now: the entry was used.
pub(super) fn touch(dir: &Path, key: &blake3::Hash) {
    // A time that cannot be set only lets a sweep take the entry for unused.
    let _ = fs::File::options().write(true).open(record_path(dir, key)).and_then(|f| f.set_modified(SystemTime::now()));
}

/// Stores `processed` as the entry `key`: its variants, then its record (returned).
pub(super) fn write(dir: &Path, key: &blake3::Hash, processed: &Processed) -> std::io::Result<Record> {
    fs::create_dir_all(dir)?;
    for variant in &processed.variants {
        write_atomically(dir, &variant_path(dir, key, variant.width), &variant.bytes, true)?;
    }
    let record = Record {
        width: processed.width,
        height: processed.height,
        variants: processed.variants.iter().map(|v| (v.width, v.height, v.bytes.len() as u64)).collect(),
    };
    write_atomically(dir, &record_path(dir, key), &encode_record(&record, key), false)?;
    Ok(record)
}

/// The record: magic, key, width, height, variant count, each variant's width, height
/// and length, then a BLAKE3 checksum of all that came before.
fn encode_record(record: &Record, key: &blake3::Hash) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(MAGIC.len() + 32 + 12 + record.variants.len() * 16 + 32);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(key.as_bytes());
    for number in [record.width, record.height, record.variants.len() as u32] {
        bytes.extend_from_slice(&number.to_le_bytes());
    }
    for &(width, height, length) in &record.variants {
        bytes.extend_from_slice(&width.to_le_bytes());
        bytes.extend_from_slice(&height.to_le_bytes());
        bytes.extend_from_slice(&length.to_le_bytes());
    }
    let checksum = blake3::hash(&bytes);
    bytes.extend_from_slice(checksum.as_bytes());
    bytes
}

/// The record, or `None` when anything about it is wrong.
fn decode_record(bytes: &[u8], key: &blake3::Hash) -> Option<Record> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != checksum {
        return None;
    }
    let mut reader = Reader(body);
    if reader.take(MAGIC.len())? != MAGIC || reader.take(32)? != key.as_bytes() {
        return None;
    }
    let (width, height, count) = (reader.u32()?, reader.u32()?, reader.u32()?);
    let mut variants = Vec::with_capacity(count.min(64) as usize);
    for _ in 0..count {
        variants.push((reader.u32()?, reader.u32()?, reader.u64()?));
    }
    (reader.0.is_empty() && !variants.is_empty()).then_some(Record { width, height, variants })
}

/// Little-endian fields read off the front of a slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(length)?;
        self.0 = rest;
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// The prefix of temporary files, which a sweep removes when a killed build left them.
pub(super) const TEMPORARY_PREFIX: &str = ".tmp-";

/// Writes `contents` to a temporary file in `dir`, then renames it to `path`: a reader
/// sees the old file, no file or the whole new one, never part of one.
pub(super) fn write_atomically(dir: &Path, path: &Path, contents: &[u8], read_only: bool) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temporary = dir.join(format!("{TEMPORARY_PREFIX}{}-{unique}", std::process::id()));
    let written = fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        if read_only {
            let mut permissions = file.metadata()?.permissions();
            permissions.set_readonly(true);
            file.set_permissions(permissions)?;
        }
        Ok(())
    });
    let renamed = written.and_then(|()| fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    renamed
}
