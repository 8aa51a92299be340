//! The files a build produces, and where they go: [`OutputFile`] (rendered bytes or a static
//! file), [`Output`] (all of them in memory), and the [`Sink`] that rendering hands each
//! file to as soon as it is made ([`MemorySink`], or `write::Staging` on disk).
//!
//! A base module: rendering makes these and writing stores them, and neither depends on
//! the other through them.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// One output file's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    Bytes(Vec<u8>),
    Static(StaticSource),
}

/// Every file of the built site, keyed by `/`-separated output path.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
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

impl Sink for MemorySink {
    fn put(&self, path: &str, file: OutputFile) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).files.insert(path.to_string(), file);
        Ok(())
    }
}
