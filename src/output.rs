//! The files a build produces, and where they go: [`OutputFile`] (rendered bytes or a static
//! file), [`Output`] (all of them in memory), and the [`Sink`] that rendering hands each
//! file to as soon as it is made ([`MemorySink`], [`Overlay`] for `serve`, or
//! `write::Staging` on disk).
//!
//! A base module: rendering makes these and writing stores them, and neither depends on
//! the other through them.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use bytes::Bytes;

/// Where a static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    /// A file of the image cache, which is never changed in place: hard-linked into the
    /// output (copied where a link cannot be made), so a build from a warm cache writes
    /// no photo's bytes.
    Cached(PathBuf),
}

/// One output file's content: bytes made by the build (shared, so `serve` keeps and
/// answers with them without copies) or a static file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    Bytes(Bytes),
    Static(StaticSource),
}

impl OutputFile {
    /// Bytes made by the build (the vector is taken over, not copied).
    pub fn bytes(bytes: impl Into<Bytes>) -> OutputFile {
        OutputFile::Bytes(bytes.into())
    }
}

/// Output files keyed by `/`-separated output path: what `build` writes, what `serve`
/// answers from, what tests read.
pub type Files = imbl::OrdMap<String, OutputFile>;

/// The theme's static files that are published: all but those whose output path a made
/// file (a page, feed, export or search file) takes, since what the site makes overrides
/// what the theme ships. The one place of that rule, for `build` and `serve` alike.
pub fn unshadowed_statics<'a>(
    statics: &'a BTreeMap<String, StaticSource>,
    made: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = (String, OutputFile)> + 'a {
    statics
        .iter()
        .filter(move |(path, _)| !made(path))
        .map(|(path, source)| (path.clone(), OutputFile::Static(source.clone())))
}

/// Every file of the built site.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Files,
}

/// Where rendered files go as soon as they are made, from any thread: into memory
/// ([`Output`], for tests and libraries) or straight to disk (`write::Staging`), so a
/// large site is never held in memory whole.
pub trait Sink: Sync {
    fn put(&self, path: &str, file: OutputFile) -> std::io::Result<()>;
}

/// A [`Sink`] that keeps everything in memory.
#[derive(Default)]
pub struct MemorySink(std::sync::Mutex<Output>);

impl MemorySink {
    pub fn into_output(self) -> Output {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// A [`Sink`] over a copy of the files being served (`serve`), noting each path whose
/// content differs from what it held.
pub struct Overlay {
    files: std::sync::Mutex<Files>,
    changed: std::sync::Mutex<Vec<String>>,
}

impl Overlay {
    pub fn new(files: Files) -> Overlay {
        Overlay { files: std::sync::Mutex::new(files), changed: std::sync::Mutex::default() }
    }

    /// The files, and the paths whose content changed (in no particular order).
    pub fn into_parts(self) -> (Files, Vec<String>) {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        (files, self.changed.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A cached file that is not there (removed since it was checked) is refused, as writing
/// it to disk would be, so that the media stage makes it again.
fn check_cached(file: &OutputFile) -> std::io::Result<()> {
    match file {
        OutputFile::Static(StaticSource::Cached(path)) if !path.is_file() => {
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is gone", path.display())))
        }
        _ => Ok(()),
    }
}

impl Sink for Overlay {
    fn put(&self, path: &str, file: OutputFile) -> std::io::Result<()> {
        check_cached(&file)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.get(path) != Some(&file) {
            files.insert(path.to_string(), file);
            drop(files);
            self.changed.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
        }
        Ok(())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, file: OutputFile) -> std::io::Result<()> {
        check_cached(&file)?;
        self.0.lock().unwrap_or_else(|e| e.into_inner()).files.insert(path.to_string(), file);
        Ok(())
    }
}
