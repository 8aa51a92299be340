//! communique patch: the pieces of Pagefind's indexing that communique's own record
//! indexer (`communique::render::search_index`) reuses, so that the files it writes are
//! the ones Pagefind would write for the same records: the words a word is indexed under,
//! the content hash that names files and the bundle's JavaScript, WebAssembly and entry
//! file. Nothing here changes what Pagefind does itself.

use std::path::PathBuf;

use pagefind_stem::Stemmer;

use crate::fossick::splitting::{get_dotted_tails, get_indexable_words};
use crate::output::{self, LanguageMeta};
use crate::utils::WORD_SYMBOLS;
use crate::SearchOptions;

pub use crate::fossick::splitting::IndexableWord;

/// The version of Pagefind whose format is written (`1.6.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How words of one language are indexed: its stemmer and the characters that count as
/// part of a word (Pagefind's defaults: letters, digits and the connector punctuation).
pub struct Words {
    stemmer: Option<Stemmer>,
    include_characters: Vec<char>,
}

impl Words {
    /// The words of `language` (`en`, `de`, ...: the part before any `-`).
    pub fn new(language: &str) -> Self {
        Self { stemmer: crate::fossick::get_stemmer(language), include_characters: WORD_SYMBOLS.to_vec() }
    }

    /// What a whitespace-separated word of a page's content is indexed under, as
    /// `fossick` indexes it: the normalised and stemmed word, its compound parts and the
    /// tails after dots.
    pub fn content_terms(&self, raw_word: &str) -> Vec<IndexableWord> {
        let mut words = get_indexable_words(raw_word, self.stemmer.as_ref(), &self.include_characters);
        let tails = get_dotted_tails(raw_word, self.stemmer.as_ref(), &self.include_characters, &words);
        words.extend(tails);
        words
    }

    /// What a word of a metadata value (a title) is indexed under: the same without the
    /// dotted tails, as `fossick` indexes metadata.
    pub fn meta_terms(&self, raw_word: &str) -> Vec<IndexableWord> {
        get_indexable_words(raw_word, self.stemmer.as_ref(), &self.include_characters)
    }

    /// The characters the bundle's entry file lists as part of words.
    pub fn include_characters(&self) -> &[char] {
        &self.include_characters
    }
}

/// The SHA-1 of `bytes` in hexadecimal as Pagefind names files with it (each byte without
/// a leading zero, so the length varies).
pub fn full_hash(bytes: &[u8]) -> String {
    crate::utils::full_hash(bytes)
}

/// The files every bundle has besides its index: `pagefind.js`, the worker, the
/// ready-made interfaces, the WebAssembly of `language` (`wasm.en.pagefind`) and of no
/// language, and `pagefind-entry.json`, which names the index of `index`'s language by
/// its metadata hash and counts its pages (an empty bundle lists no language). Names are
/// relative to the bundle folder.
pub fn bundle_files(index: Option<(&str, &str, usize)>) -> Vec<(String, Vec<u8>)> {
    let mut config: crate::PagefindInboundConfig =
        serde_json::from_str("{}").expect("All fields have serde defaults");
    config.service = true;
    let options = SearchOptions::load(config).expect("the default options load");
    let wasm = index.and_then(|(language, _, _)| output::language_wasm(language).map(|bytes| (language, bytes)));
    let meta = index.map(|(language, meta_hash, page_count)| LanguageMeta {
        page_count,
        language: language.to_string(),
        hash: meta_hash.to_string(),
        wasm: wasm.map(|_| language.to_string()),
    });
    let outdir = PathBuf::from("/");
    let metas = meta.into_iter().collect();
    let mut files: Vec<(String, Vec<u8>)> =
        futures::executor::block_on(output::write_common_to_memory(metas, false, &outdir, &options))
            .into_iter()
            .map(|file| {
                let name = file.filename.strip_prefix(&outdir).unwrap_or(&file.filename).to_string_lossy().replace('\\', "/");
                (name, file.contents)
            })
            .collect();
    if let Some((language, bytes)) = wasm {
        files.push((format!("wasm.{language}.pagefind"), bytes.to_vec()));
    }
    files
}
