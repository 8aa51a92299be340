//! Processed images kept between builds, so that a build in which no photo changed
//! decodes none. An entry is one file, `<key>.bin`, named by a BLAKE3 hash of the source's
//! bytes, the settings, [`CACHE_VERSION`] and libwebp's version; it holds the source's
//! size and every variant, checksummed. Entries are written to a temporary file and
//! renamed into place, so a build killed half-way leaves no half entry; an entry that
//! cannot be read or fails its checks is ignored and made again. Deleting the folder
//! only costs time.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::kinds::ImageSettings;
use super::resize::{Processed, Variant, process};
use super::{ImageError, webp};

/// Where the cache lives under the site's root (to be ignored by version control).
pub const CACHE_DIR: &str = ".communique-cache/images";

/// Bump when the output for the same input changes (resizing, colour handling, encoder
/// settings, entry layout): old entries are then never read again.
const CACHE_VERSION: u32 = 1;

const MAGIC: &[u8; 8] = b"cqimage\n";

/// The image cache of one site.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (usually `<site root>/`[`CACHE_DIR`]); nothing is created until
    /// the first entry is written.
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The processed image: from the cache, without decoding, when the same bytes were
    /// processed with the same settings before; else processed now and stored. The bool
    /// says whether an image was decoded. A cache that cannot be read or written only
    /// costs time: the result is the same as [`process`]'s, byte for byte.
    pub fn process(&self, bytes: &[u8], settings: &ImageSettings) -> Result<(Processed, bool), ImageError> {
        let key = cache_key(bytes, settings);
        let path = self.dir.join(format!("{}.bin", key.to_hex()));
        if let Some(processed) = fs::read(&path).ok().and_then(|entry| decode_entry(&entry, &key)) {
            return Ok((processed, false));
        }
        let processed = process(bytes, settings)?;
        // A cache that cannot be written (read-only checkout, full disk) is no error.
        let _ = write_atomically(&self.dir, &path, &encode_entry(&processed, &key));
        Ok((processed, true))
    }
}

fn cache_key(bytes: &[u8], settings: &ImageSettings) -> blake3::Hash {
    let mut widths = settings.widths.clone();
    widths.sort_unstable();
    widths.dedup();
    let mut hasher = blake3::Hasher::new();
    hasher.update(MAGIC);
    hasher.update(&CACHE_VERSION.to_le_bytes());
    hasher.update(&webp::encoder_version().to_le_bytes());
    hasher.update(&[settings.quality]);
    hasher.update(&(widths.len() as u64).to_le_bytes());
    for width in widths {
        hasher.update(&width.to_le_bytes());
    }
    hasher.update(bytes);
    hasher.finalize()
}

/// The entry: magic, key, width, height, variant count, each variant's width, height,
/// length and bytes, then a BLAKE3 checksum of all that came before.
fn encode_entry(processed: &Processed, key: &blake3::Hash) -> Vec<u8> {
    let variant_bytes: usize = processed.variants.iter().map(|v| v.bytes.len() + 16).sum();
    let mut entry = Vec::with_capacity(MAGIC.len() + 32 + 12 + variant_bytes + 32);
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(key.as_bytes());
    for number in [processed.width, processed.height, processed.variants.len() as u32] {
        entry.extend_from_slice(&number.to_le_bytes());
    }
    for variant in &processed.variants {
        entry.extend_from_slice(&variant.width.to_le_bytes());
        entry.extend_from_slice(&variant.height.to_le_bytes());
        entry.extend_from_slice(&(variant.bytes.len() as u64).to_le_bytes());
        entry.extend_from_slice(&variant.bytes);
    }
    let checksum = blake3::hash(&entry);
    entry.extend_from_slice(checksum.as_bytes());
    entry
}

/// The entry's image, or `None` when anything about it is wrong.
fn decode_entry(entry: &[u8], key: &blake3::Hash) -> Option<Processed> {
    let (body, checksum) = entry.split_at_checked(entry.len().checked_sub(32)?)?;
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
        let (width, height) = (reader.u32()?, reader.u32()?);
        let length = usize::try_from(reader.u64()?).ok()?;
        variants.push(Variant { width, height, bytes: reader.take(length)?.to_vec() });
    }
    (reader.0.is_empty() && !variants.is_empty()).then_some(Processed { width, height, variants })
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

/// Writes `contents` to a temporary file beside `path`, then renames it into place: a
/// reader sees the old entry, no entry or the whole new one, never part of one.
fn write_atomically(dir: &Path, path: &Path, contents: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    fs::create_dir_all(dir)?;
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temporary = dir.join(format!(".tmp-{}-{unique}", std::process::id()));
    let written = fs::File::create(&temporary).and_then(|mut file| file.write_all(contents));
    let renamed = written.and_then(|()| fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::super::testing::{jpeg, photo, with_exif};
    use super::*;

    fn source() -> Vec<u8> {
        with_exif(&jpeg(&photo(500, 300)), 6)
    }

    fn settings() -> ImageSettings {
        ImageSettings { widths: vec![120, 240], quality: 75 }
    }

    fn entries(dir: &Path) -> Vec<PathBuf> {
        let mut paths: Vec<_> = fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
        paths.sort();
        paths
    }

    #[test]
    fn a_hit_decodes_nothing_and_gives_the_same_bytes_as_no_cache() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().join(CACHE_DIR));
        let uncached = process(&source(), &settings()).unwrap();
        let (first, decoded) = cache.process(&source(), &settings()).unwrap();
        assert!(decoded);
        assert_eq!(first, uncached);
        let (second, decoded) = cache.process(&source(), &settings()).unwrap();
        assert!(!decoded, "the second time comes from the cache");
        assert_eq!(second, uncached);
        let (fresh_cache, decoded) = Cache::new(temp.path().join(CACHE_DIR)).process(&source(), &settings()).unwrap();
        assert!(!decoded, "the cache outlives the Cache value (the next build)");
        assert_eq!(fresh_cache, uncached);
        assert_eq!(entries(&temp.path().join(CACHE_DIR)).len(), 1, "one entry, no temporary file left");
    }

    #[test]
    fn other_bytes_or_settings_are_other_entries() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        assert!(cache.process(&source(), &settings()).unwrap().1);
        let reordered = ImageSettings { widths: vec![240, 120, 240], ..settings() };
        assert!(!cache.process(&source(), &reordered).unwrap().1, "the same widths in another order");
        assert!(cache.process(&source(), &ImageSettings { quality: 76, ..settings() }).unwrap().1);
        assert!(cache.process(&source(), &ImageSettings { widths: vec![120], ..settings() }).unwrap().1);
        let mut edited = source();
        let last = edited.len() - 3;
        edited[last] ^= 1;
        assert!(cache.process(&edited, &settings()).unwrap().1, "an edited photo is processed again");
        assert_eq!(entries(temp.path()).len(), 4);
    }

    #[test]
    fn nothing_is_created_before_the_first_write() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join(CACHE_DIR);
        let cache = Cache::new(dir.clone());
        assert!(!temp.path().join(".communique-cache").exists());
        assert!(cache.process(b"not an image", &settings()).is_err());
        assert!(!temp.path().join(".communique-cache").exists(), "errors are not cached");
        cache.process(&source(), &settings()).unwrap();
        assert!(dir.is_dir());
    }

    #[test]
    fn a_damaged_entry_is_made_again() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        let (original, _) = cache.process(&source(), &settings()).unwrap();
        let entry = entries(temp.path()).remove(0);
        let whole = fs::read(&entry).unwrap();
        let mut flipped = whole.clone();
        flipped[whole.len() / 2] ^= 0x10;
        let damages: [&[u8]; 5] =
            [&whole[..whole.len() / 2], &whole[..10], b"", &flipped, &[whole.clone(), vec![0]].concat()];
        for damaged in damages {
            fs::write(&entry, damaged).unwrap();
            let (processed, decoded) = cache.process(&source(), &settings()).unwrap();
            assert!(decoded, "a damaged entry of {} bytes is not used", damaged.len());
            assert_eq!(processed, original);
            assert_eq!(fs::read(&entry).unwrap(), whole, "and is written again");
        }
    }

    #[test]
    fn an_entry_under_another_key_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        cache.process(&source(), &settings()).unwrap();
        let other_settings = ImageSettings { quality: 60, ..settings() };
        let other_key = cache_key(&source(), &other_settings);
        fs::copy(&entries(temp.path())[0], temp.path().join(format!("{}.bin", other_key.to_hex()))).unwrap();
        assert!(cache.process(&source(), &other_settings).unwrap().1);
    }

    #[test]
    fn a_cache_that_cannot_be_written_is_no_error() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("a file, not a folder");
        fs::write(&file, "").unwrap();
        let cache = Cache::new(file.join("images"));
        let (processed, decoded) = cache.process(&source(), &settings()).unwrap();
        assert!(decoded);
        assert_eq!(processed, process(&source(), &settings()).unwrap());
    }
}
