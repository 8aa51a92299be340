//! The files of a search bundle that are Pagefind's code rather than an index: its
//! JavaScript (`pagefind.js`, the worker, the ready-made interfaces), its WebAssembly (of
//! no language and of the site's) and `pagefind-entry.json`, which names the index.
//!
//! They come from the published `pagefind` crate itself, so the browser side is always
//! the stock Pagefind whose format [`super::search_index`] writes: the crate exposes its
//! code files only through the files of an index it builds, so a one-word index is built
//! once per language and process and its code files kept (its index files are dropped).
//! The entry file is written here, with Pagefind's version and word characters read from
//! that index's entry file and the hash and page count of communique's own index.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// Output files: path (relative to the bundle folder) and bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// Pagefind's code files for one language, and what its entry file needs.
pub struct Code {
    /// The code files every bundle has, names relative to the bundle folder.
    files: Files,
    /// `wasm.{language}.pagefind`, for a language Pagefind stems in the browser.
    language_wasm: Option<(String, Vec<u8>)>,
    /// Pagefind's entry file of the one-word index.
    entry: Entry,
}

/// `pagefind-entry.json`, in Pagefind's field order.
#[derive(Serialize, Deserialize)]
struct Entry {
    version: String,
    languages: BTreeMap<String, EntryLanguage>,
    include_characters: Vec<char>,
}

#[derive(Serialize, Deserialize)]
struct EntryLanguage {
    hash: String,
    wasm: Option<String>,
    page_count: usize,
}

impl Code {
    /// Pagefind's code for a bundle in `language` (`en`, `zh`, ...), built on first use.
    pub fn for_language(language: &str) -> Result<Arc<Code>, String> {
        static BUILT: Mutex<Option<HashMap<String, Arc<Code>>>> = Mutex::new(None);
        let mut built = BUILT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let built = built.get_or_insert_with(HashMap::new);
        if let Some(code) = built.get(language) {
            return Ok(Arc::clone(code));
        }
        let code = Arc::new(Code::build(language)?);
        built.insert(language.to_string(), Arc::clone(&code));
        Ok(code)
    }

    /// The version of Pagefind whose format is written (`1.6.0`).
    pub fn version(&self) -> &str {
        &self.entry.version
    }

    /// The files of a bundle besides its index: the code, and the entry file naming the
    /// index of the language by its metadata file's hash (`en_1a2b3c4`) and counting its
    /// pages; `None` for a bundle without an index, whose entry lists no language and
    /// which has no WebAssembly of a language (as Pagefind writes one).
    pub fn bundle_files(&self, language: &str, index: Option<(&str, usize)>) -> Result<Files, String> {
        let mut files = self.files.clone();
        let mut languages = BTreeMap::new();
        if let Some((meta_hash, page_count)) = index {
            let wasm = self.language_wasm.as_ref().map(|(name, bytes)| {
                files.push((name.clone(), bytes.clone()));
                language.to_string()
            });
            languages.insert(language.to_string(), EntryLanguage { hash: meta_hash.to_string(), wasm, page_count });
        }
        let entry = Entry {
            version: self.entry.version.clone(),
            languages,
            include_characters: self.entry.include_characters.clone(),
        };
        let json = serde_json::to_vec(&entry).map_err(|e| format!("Pagefind's entry file: {e}"))?;
        files.push((ENTRY_FILE.to_string(), json));
        Ok(files)
    }

    /// Builds a one-word index in `language` with Pagefind and keeps its code files. On a
    /// thread of its own: Pagefind needs a Tokio runtime, and the caller may be inside one.
    fn build(language: &str) -> Result<Code, String> {
        let language = language.to_string();
        let files = std::thread::spawn(move || one_word_index(&language).map(|files| (language, files)))
            .join()
            .map_err(|_| "Pagefind failed to build its code files".to_string())?;
        let (language, files) = files.map_err(|e| format!("Pagefind failed to build its code files: {e}"))?;
        let mut code = Code { files: Files::new(), language_wasm: None, entry: entry_of(&files)? };
        let wasm_name = format!("wasm.{language}.pagefind");
        for (name, bytes) in files {
            if name == wasm_name {
                code.language_wasm = Some((name, bytes));
            } else if is_code_file(&name) {
                code.files.push((name, bytes));
            }
        }
        Ok(code)
    }
}

const ENTRY_FILE: &str = "pagefind-entry.json";

/// Every file Pagefind writes for an index of one record with one word in `language`.
fn one_word_index(language: &str) -> anyhow::Result<Files> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let options = PagefindServiceConfig::builder().keep_index_url(true).force_language(language.to_string()).build();
    let mut index = PagefindIndex::new(Some(options))?;
    let files = runtime.block_on(async {
        index.add_custom_record("/".into(), "pagefind".into(), language.into(), None, None, None).await?;
        index.get_files().await
    })?;
    Ok(files.into_iter().map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents)).collect())
}

/// The entry file among `files`.
fn entry_of(files: &Files) -> Result<Entry, String> {
    let (_, json) =
        files.iter().find(|(name, _)| name == ENTRY_FILE).ok_or_else(|| format!("Pagefind wrote no {ENTRY_FILE}"))?;
    serde_json::from_slice(json).map_err(|e| format!("Pagefind's {ENTRY_FILE} is not as expected: {e}"))
}

/// Whether a file of Pagefind's index is code every bundle has, not a file of that
/// index (its metadata, fragments, word chunks and filters) or its entry file.
fn is_code_file(name: &str) -> bool {
    !(name == ENTRY_FILE
        || name.ends_with(".pf_meta")
        || ["fragment/", "index/", "filter/"].iter().any(|folder| name.starts_with(folder)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_pagefinds_and_the_index_of_the_one_word_is_left_out() {
        let code = Code::for_language("en").unwrap();
        let files = code.bundle_files("en", Some(("en_1234567", 3))).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for name in ["pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "wasm.unknown.pagefind", "wasm.en.pagefind"]
        {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains(".pf_")), "an index file of the one-word index: {names:?}");
        let entry: serde_json::Value = serde_json::from_slice(&files.last().unwrap().1).unwrap();
        assert_eq!(entry["version"], "1.6.0");
        assert_eq!(entry["languages"]["en"], serde_json::json!({"hash": "en_1234567", "wasm": "en", "page_count": 3}));
        let empty = code.bundle_files("en", None).unwrap();
        assert!(!empty.iter().any(|(n, _)| n == "wasm.en.pagefind"));
    }
}
