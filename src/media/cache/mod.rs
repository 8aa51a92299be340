//! Processed images kept between builds in `.communique-cache/images/`, so that a build in
//! which no photo changed decodes none and reads none: a photo is found by the BLAKE3 hash
//! of its bytes, its settings, [`CACHE_VERSION`] and libwebp's version (the key), and the
//! hash of an unchanged photo is taken from the `stamps` of the last run without reading
//! it. An entry's variants are files the build links into the output (copied where links
//! cannot be made), so a warm build neither reads nor writes the photos' bytes.
//!
//! Entries are written so that a build killed half-way leaves no half entry; an entry that
//! cannot be read or fails its checks is made again; entries no build used for a month
//! are removed. Deleting the folder only costs time.

mod entry;
mod stamps;
mod sweep;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use stamps::FileStamp;

use super::kinds::ImageSettings;
use super::resize::{Prepared, Processed, prepare};
use super::{ImageError, webp};
use crate::diag::Message;
use entry::Record;
use stamps::{Stamp, Stamps};

/// Where the cache lives under the site's root (to be ignored by version control).
pub const CACHE_DIR: &str = ".communique-cache/images";

/// Bump when the output for the same input changes (resizing, colour handling, encoder
/// settings, entry layout): old entries are then never read again.
const CACHE_VERSION: u32 = 2;

const MAGIC: &[u8; 8] = b"cqimage\n";

/// The image cache of one site, and what the current run took from it.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    run: Mutex<Run>,
}

/// What a run (one media stage) saw; [`Cache::finish_run`] records it.
#[derive(Debug, Default)]
struct Run {
    /// The stamps of the last finished run, read from disk when first needed.
    known: Option<Stamps>,
    /// The stamps of the photos of this run.
    seen: Stamps,
    /// The keys (in hex) of the entries this run used.
    used: HashSet<String>,
    photos: usize,
    processed: usize,
    /// Why the cache could not be written, the first time it could not.
    unwritable: Option<String>,
}

/// A processed photo: its size as shown and its variants, ascending by width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<FetchedVariant>,
    /// Whether the photo was decoded (not found in the cache).
    pub decoded: bool,
}

/// One variant of a [`Fetched`] photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedVariant {
    pub width: u32,
    pub height: u32,
    pub content: VariantContent,
}

/// Where a variant's WebP bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantContent {
    /// A read-only file of the cache, never changed in place: link or copy it.
    Stored(PathBuf),
    /// Made by this run (and stored in the cache too, when it could be written).
    Made(Vec<u8>),
}

/// What [`Cache::fetch_or_prepare`] found.
pub enum Fetch {
    /// The photo's variants, from the cache.
    Stored(Fetched),
    /// The photo decoded, its variants still to make, and the entry to store them as.
    Prepared(Box<Prepared>, NewEntry),
}

/// The entry a prepared photo's variants are to be stored as ([`Cache::store`]).
pub struct NewEntry {
    name: String,
    stamp: Option<FileStamp>,
    hash: blake3::Hash,
    key: blake3::Hash,
}

/// Why a photo could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The caller's reading of the file failed, with its message.
    Read(Message),
    Image(ImageError),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Read(message) => message.fmt(f),
            FetchError::Image(error) => error.fmt(f),
        }
    }
}

/// What one run took from the cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Photos fetched.
    pub photos: usize,
    /// Of those, the ones decoded and processed (not in the cache).
    pub processed: usize,
    /// Why the cache could not be written, when it could not (every build then processes
    /// the photos again).
    pub unwritable: Option<String>,
}

impl Cache {
    /// A cache in `dir` (usually `<site root>/`[`CACHE_DIR`]); nothing is created until
    /// the first entry is written.
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir, run: Mutex::default() }
    }

    /// The folder of the cache.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The processed photo `name` (its root-relative path): from the cache without
    /// decoding when the same bytes were processed with the same settings before, else
    /// processed now and stored. `read` gives the photo's bytes; it is not called when
    /// `stamp` (the file's length and time) is the one the last run recorded for `name`
    /// and the entry is whole. A cache that cannot be read or written only costs time:
    /// the variants are the same as [`super::process`]'s, byte for byte.
    pub fn fetch(
        &self,
        name: &str,
        stamp: Option<FileStamp>,
        read: impl FnOnce() -> Result<Vec<u8>, Message>,
        settings: &ImageSettings,
    ) -> Result<Fetched, FetchError> {
        match self.fetch_or_prepare(name, stamp, read, settings)? {
            Fetch::Stored(fetched) => Ok(fetched),
            Fetch::Prepared(photo, entry) => Ok(self.store(entry, photo.into_processed().map_err(FetchError::Image)?)),
        }
    }

    /// Like [`Cache::fetch`], but a photo not in the cache is only decoded: its variants
    /// are made by the caller ([`Prepared::variant`]) and given to [`Cache::store`].
    /// A bad file fails here, as it would in `fetch`.
    pub fn fetch_or_prepare(
        &self,
        name: &str,
        stamp: Option<FileStamp>,
        read: impl FnOnce() -> Result<Vec<u8>, Message>,
        settings: &ImageSettings,
    ) -> Result<Fetch, FetchError> {
        if let Some(known) = stamp.and_then(|stamp| self.known(name, stamp)) {
            let key = cache_key(&known.hash, settings);
            // The entry the last run checked, taken as whole without looking (see
            // `stamps`); a variant gone since makes linking fail, and the caller
            // [`Cache::forget`]s the photo and fetches it again.
            let trusted = (known.key == key).then(|| (self.fetched(&key, &known.record), known.record));
            if let Some((fetched, record)) = trusted.or_else(|| self.stored(&key)) {
                self.note(name, stamp, known.hash, key, record);
                self.count(false);
                return Ok(Fetch::Stored(fetched));
            }
        }
        let bytes = read().map_err(FetchError::Read)?;
        let hash = blake3::hash(&bytes);
        let key = cache_key(&hash, settings);
        if let Some((fetched, record)) = self.stored(&key) {
            self.note(name, stamp, hash, key, record);
            self.count(false);
            return Ok(Fetch::Stored(fetched));
        }
        let photo = prepare(&bytes, settings).map_err(FetchError::Image)?;
        self.count(true);
        Ok(Fetch::Prepared(Box::new(photo), NewEntry { name: name.to_string(), stamp, hash, key }))
    }

    /// Stores the variants made of a photo [`Cache::fetch_or_prepare`] prepared, as the
    /// entry it named, and gives them back as fetched. A run that ended since (`serve`
    /// makes a replaced photo's variants after the reload) records it in the next.
    pub fn store(&self, entry: NewEntry, processed: Processed) -> Fetched {
        let NewEntry { name, stamp, hash, key } = entry;
        match entry::write(&self.dir, &key, &processed) {
            Ok(record) => self.note(&name, stamp, hash, key, record),
            Err(error) => drop(self.lock().unwritable.get_or_insert_with(|| error.to_string())),
        }
        made(processed)
    }

    /// Takes back what the last run recorded of `name`: its next [`Cache::fetch`] reads
    /// it and checks its entry (the trusted one was found damaged).
    pub fn forget(&self, name: &str) {
        let mut run = self.lock();
        if let Some(known) = run.known.as_mut() {
            known.remove(name);
        }
        if run.seen.remove(name).is_some() {
            run.photos -= 1;
        }
    }

    /// Ends a run: records the stamps of the photos fetched since the last run ended,
    /// sweeps the cache when it is due (see `sweep`), and says what the run took.
    pub fn finish_run(&self) -> RunSummary {
        let mut run = self.lock();
        let seen = std::mem::take(&mut run.seen);
        let used = std::mem::take(&mut run.used);
        if run.known.as_ref() != Some(&seen) && (!seen.is_empty() || self.dir.is_dir()) {
            let text = stamps::text(&seen);
            let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
                entry::write_atomically(&self.dir, &self.dir.join(stamps::STAMPS_FILE), text.as_bytes(), false)
            });
            if let Err(error) = written {
                run.unwritable.get_or_insert_with(|| error.to_string());
            }
        }
        run.known = Some(seen);
        if sweep::due(&self.dir) {
            // A sweep that fails leaves files for the next one; the build is not concerned.
            let _ = sweep::sweep(&self.dir, &used);
        }
        let summary = RunSummary { photos: run.photos, processed: run.processed, unwritable: run.unwritable.take() };
        (run.photos, run.processed) = (0, 0);
        summary
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Run> {
        self.run.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What the last run recorded of `name`, when it had this stamp.
    fn known(&self, name: &str, stamp: FileStamp) -> Option<Stamp> {
        let mut run = self.lock();
        let known = run.known.get_or_insert_with(|| stamps::read(&self.dir));
        known.get(name).filter(|known| known.file == stamp).cloned()
    }

    /// The entry `key` and its record, when it is whole (its time refreshed when a day
    /// old, so a sweep sees it used).
    fn stored(&self, key: &blake3::Hash) -> Option<(Fetched, Record)> {
        let (record, modified) = entry::read(&self.dir, key)?;
        if sweep::older_than(modified, sweep::DAILY) {
            entry::touch(&self.dir, key);
        }
        Some((self.fetched(key, &record), record))
    }

    /// The photo of the entry `key` with this record.
    fn fetched(&self, key: &blake3::Hash, record: &Record) -> Fetched {
        let variants = (record.variants.iter())
            .map(|&(width, height, _)| FetchedVariant {
                width,
                height,
                content: VariantContent::Stored(entry::variant_path(&self.dir, key, width)),
            })
            .collect();
        Fetched { width: record.width, height: record.height, variants, decoded: false }
    }

    /// Notes that `name` (with `stamp`, its bytes hashing to `hash`) was fetched as the
    /// entry `key` with `record`.
    fn note(&self, name: &str, stamp: Option<FileStamp>, hash: blake3::Hash, key: blake3::Hash, record: Record) {
        let mut run = self.lock();
        if let Some(file) = stamp {
            run.seen.insert(name.to_string(), Stamp { file, hash, key, record });
        }
        run.used.insert(key.to_hex().to_string());
    }

    /// Counts a photo fetched, and whether it was decoded (not found in the cache).
    fn count(&self, decoded: bool) {
        let mut run = self.lock();
        run.photos += 1;
        run.processed += usize::from(decoded);
    }
}

fn made(processed: Processed) -> Fetched {
    let variants = (processed.variants.into_iter())
        .map(|v| FetchedVariant { width: v.width, height: v.height, content: VariantContent::Made(v.bytes) })
        .collect();
    Fetched { width: processed.width, height: processed.height, variants, decoded: true }
}

/// The key of a photo whose bytes hash to `source` processed with `settings`.
fn cache_key(source: &blake3::Hash, settings: &ImageSettings) -> blake3::Hash {
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
    hasher.update(source.as_bytes());
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::super::process;
    use super::super::testing::{jpeg, photo, with_exif};
    use super::*;
    use std::fs;

    fn source() -> Vec<u8> {
        with_exif(&jpeg(&photo(500, 300)), 6)
    }

    fn settings() -> ImageSettings {
        ImageSettings { widths: vec![120, 240], quality: 75 }
    }

    fn fetch(cache: &Cache, bytes: &[u8], settings: &ImageSettings) -> Result<Fetched, FetchError> {
        cache.fetch("content/a.jpg", None, || Ok(bytes.to_vec()), settings)
    }

    /// The variants' bytes, wherever they are.
    fn bytes_of(fetched: &Fetched) -> Vec<Vec<u8>> {
        let bytes = |v: &FetchedVariant| match &v.content {
            VariantContent::Stored(path) => fs::read(path).unwrap(),
            VariantContent::Made(bytes) => bytes.clone(),
        };
        fetched.variants.iter().map(bytes).collect()
    }

    fn uncached() -> Vec<Vec<u8>> {
        process(&source(), &settings()).unwrap().variants.into_iter().map(|v| v.bytes).collect()
    }

    fn names(dir: &Path, suffix: &str) -> Vec<String> {
        let mut names: Vec<String> = (fs::read_dir(dir).unwrap())
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(suffix))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_hit_decodes_nothing_and_gives_the_same_bytes_as_no_cache() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join(CACHE_DIR);
        let cache = Cache::new(dir.clone());
        let first = fetch(&cache, &source(), &settings()).unwrap();
        assert!(first.decoded);
        assert!(first.variants.iter().all(|v| matches!(v.content, VariantContent::Made(_))));
        assert_eq!(bytes_of(&first), uncached());
        let second = fetch(&cache, &source(), &settings()).unwrap();
        assert!(!second.decoded, "the second time comes from the cache");
        assert!(second.variants.iter().all(|v| matches!(v.content, VariantContent::Stored(_))));
        assert_eq!(bytes_of(&second), uncached());
        assert_eq!((second.width, second.height), (first.width, first.height));
        let next_build = fetch(&Cache::new(dir.clone()), &source(), &settings()).unwrap();
        assert!(!next_build.decoded, "the cache outlives the Cache value (the next build)");
        assert_eq!(names(&dir, ".entry").len(), 1);
        assert_eq!(names(&dir, ".webp").len(), 2, "a file per variant");
        assert!(names(&dir, "").iter().all(|n| !n.starts_with(".tmp")), "no temporary file left");
        assert_eq!(cache.finish_run(), RunSummary { photos: 2, processed: 1, unwritable: None });
    }

    #[test]
    fn stored_variants_are_read_only() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        fetch(&cache, &source(), &settings()).unwrap();
        for variant in fetch(&cache, &source(), &settings()).unwrap().variants {
            let VariantContent::Stored(path) = variant.content else { panic!("not stored") };
            assert!(fs::metadata(&path).unwrap().permissions().readonly(), "{path:?} can be written");
        }
    }

    #[test]
    fn a_photo_with_the_stamp_of_the_last_run_is_not_read() {
        let temp = tempfile::tempdir().unwrap();
        let stamp = FileStamp { length: 100, modified: 7 };
        let cache = Cache::new(temp.path().to_path_buf());
        cache.fetch("content/a.jpg", Some(stamp), || Ok(source()), &settings()).unwrap();
        cache.finish_run();
        let never = || -> Result<Vec<u8>, Message> { panic!("the photo was read") };
        let next_build = Cache::new(temp.path().to_path_buf());
        let fetched = next_build.fetch("content/a.jpg", Some(stamp), never, &settings()).unwrap();
        assert_eq!(bytes_of(&fetched), uncached());
        let touched = FileStamp { modified: 8, ..stamp };
        let read = std::cell::Cell::new(false);
        let again =
            next_build.fetch("content/a.jpg", Some(touched), || Ok(source()).inspect(|_| read.set(true)), &settings());
        assert!(read.get(), "a photo with another time is read");
        assert!(!again.unwrap().decoded, "and found in the cache by its bytes");
        let other = ImageSettings { quality: 60, ..settings() };
        let decoded = next_build.fetch("content/a.jpg", Some(stamp), || Ok(source()), &other).unwrap().decoded;
        assert!(decoded, "other settings are another entry");
    }

    #[test]
    fn other_bytes_or_settings_are_other_entries() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        assert!(fetch(&cache, &source(), &settings()).unwrap().decoded);
        let reordered = ImageSettings { widths: vec![240, 120, 240], ..settings() };
        assert!(!fetch(&cache, &source(), &reordered).unwrap().decoded, "the same widths in another order");
        assert!(fetch(&cache, &source(), &ImageSettings { quality: 76, ..settings() }).unwrap().decoded);
        assert!(fetch(&cache, &source(), &ImageSettings { widths: vec![120], ..settings() }).unwrap().decoded);
        let mut edited = source();
        let last = edited.len() - 3;
        edited[last] ^= 1;
        assert!(fetch(&cache, &edited, &settings()).unwrap().decoded, "an edited photo is processed again");
        assert_eq!(names(temp.path(), ".entry").len(), 4);
    }

    #[test]
    fn nothing_is_created_before_the_first_write() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join(CACHE_DIR);
        let cache = Cache::new(dir.clone());
        assert!(fetch(&cache, b"not an image", &settings()).is_err());
        assert_eq!(cache.finish_run().unwritable, None);
        assert!(!temp.path().join(".communique-cache").exists(), "errors are not cached");
        fetch(&cache, &source(), &settings()).unwrap();
        assert!(dir.is_dir());
    }

    #[test]
    fn a_damaged_entry_is_made_again() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let cache = Cache::new(dir.to_path_buf());
        fetch(&cache, &source(), &settings()).unwrap();
        let record = dir.join(&names(dir, ".entry")[0]);
        let variant = dir.join(&names(dir, ".webp")[0]);
        let (whole, variant_bytes) = (fs::read(&record).unwrap(), fs::read(&variant).unwrap());
        let mut flipped = whole.clone();
        flipped[whole.len() / 2] ^= 0x10;
        let damages: [(&Path, &[u8]); 6] = [
            (&record, &whole[..whole.len() / 2]),
            (&record, b""),
            (&record, &flipped),
            (&record, &[whole.clone(), vec![0]].concat()),
            (&variant, &variant_bytes[..variant_bytes.len() - 1]),
            (&variant, &[variant_bytes.clone(), vec![0]].concat()),
        ];
        for (file, damaged) in damages {
            let _ = fs::remove_file(file);
            fs::write(file, damaged).unwrap();
            let fetched = fetch(&cache, &source(), &settings()).unwrap();
            assert!(fetched.decoded, "a damaged {file:?} of {} bytes is not used", damaged.len());
            assert_eq!(bytes_of(&fetched), uncached());
            assert_eq!(
                (fs::read(&record).unwrap(), fs::read(&variant).unwrap()),
                (whole.clone(), variant_bytes.clone())
            );
        }
        fs::remove_file(&variant).unwrap();
        assert!(fetch(&cache, &source(), &settings()).unwrap().decoded, "a missing variant");
    }

    #[test]
    fn an_entry_under_another_key_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let cache = Cache::new(temp.path().to_path_buf());
        fetch(&cache, &source(), &settings()).unwrap();
        let other_settings = ImageSettings { quality: 60, ..settings() };
        let other_key = cache_key(&blake3::hash(&source()), &other_settings);
        let record = temp.path().join(&names(temp.path(), ".entry")[0]);
        fs::copy(record, entry::record_path(temp.path(), &other_key)).unwrap();
        assert!(fetch(&cache, &source(), &other_settings).unwrap().decoded);
    }

    #[test]
    fn a_cache_that_cannot_be_written_is_no_error_but_is_reported() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("a file, not a folder");
        fs::write(&file, "").unwrap();
        let cache = Cache::new(file.join("images"));
        let fetched = fetch(&cache, &source(), &settings()).unwrap();
        assert!(fetched.decoded);
        assert_eq!(bytes_of(&fetched), uncached());
        let summary = cache.finish_run();
        assert_eq!((summary.photos, summary.processed), (1, 1));
        assert!(summary.unwritable.is_some(), "{summary:?}");
        assert_eq!(cache.finish_run().unwritable, None, "reported once");
    }
}
