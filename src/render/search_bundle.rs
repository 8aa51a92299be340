//! The files of a search bundle that are Pagefind's code rather than an index: its
//! JavaScript (`pagefind.js`, the worker, the ready-made interfaces), its WebAssembly (of
//! no language and of the site's) and `pagefind-entry.json`, which names the index.
//!
//! The code is the files Pagefind 1.6.0 writes into every bundle, byte for byte, shipped
//! in `assets/pagefind/` and embedded in the binary. The published `pagefind` crate gives
//! them only through an index it builds, and building communique with it compiled its
//! indexer and the 74 crates only that brings (13–35 s of a clean release build of about
//! 7.5 minutes on two cores) for files that never change. The crate stays the oracle, as
//! a dev-dependency: the tests below compare every file with those it writes, in every
//! language it has WebAssembly for, and write them again when asked
//! (`COMMUNIQUE_VENDOR_PAGEFIND=1`, assets/pagefind/README.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::search_words::WORD_SYMBOLS;

/// Output files: path (relative to the bundle folder) and bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// The version of Pagefind whose code is shipped and whose format is written.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// One file of `assets/pagefind/`, by its name there.
macro_rules! shipped {
    ($name:literal) => {
        ($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/pagefind/", $name)) as &[u8])
    };
}

/// The code files every bundle has, under the names Pagefind gives them.
const CODE: [(&str, &[u8]); 10] = [
    shipped!("pagefind.js"),
    shipped!("pagefind-highlight.js"),
    shipped!("pagefind-worker.js"),
    shipped!("pagefind-ui.js"),
    shipped!("pagefind-ui.css"),
    shipped!("pagefind-modular-ui.js"),
    shipped!("pagefind-modular-ui.css"),
    shipped!("pagefind-component-ui.js"),
    shipped!("pagefind-component-ui.css"),
    shipped!("wasm.unknown.pagefind"),
];

/// The WebAssembly of each language Pagefind stems in the browser too, by the language
/// code before any `-` (`pt` for `pt-BR`): the languages `search_words::stemmer` knows.
const LANGUAGE_WASM: [(&str, &[u8]); 33] = [
    shipped!("wasm.ar.pagefind"),
    shipped!("wasm.ca.pagefind"),
    shipped!("wasm.da.pagefind"),
    shipped!("wasm.de.pagefind"),
    shipped!("wasm.el.pagefind"),
    shipped!("wasm.en.pagefind"),
    shipped!("wasm.eo.pagefind"),
    shipped!("wasm.es.pagefind"),
    shipped!("wasm.et.pagefind"),
    shipped!("wasm.eu.pagefind"),
    shipped!("wasm.fi.pagefind"),
    shipped!("wasm.fr.pagefind"),
    shipped!("wasm.ga.pagefind"),
    shipped!("wasm.hi.pagefind"),
    shipped!("wasm.hu.pagefind"),
    shipped!("wasm.hy.pagefind"),
    shipped!("wasm.id.pagefind"),
    shipped!("wasm.it.pagefind"),
    shipped!("wasm.lt.pagefind"),
    shipped!("wasm.nb.pagefind"),
    shipped!("wasm.ne.pagefind"),
    shipped!("wasm.nl.pagefind"),
    shipped!("wasm.nn.pagefind"),
    shipped!("wasm.no.pagefind"),
    shipped!("wasm.pl.pagefind"),
    shipped!("wasm.pt.pagefind"),
    shipped!("wasm.ro.pagefind"),
    shipped!("wasm.ru.pagefind"),
    shipped!("wasm.sr.pagefind"),
    shipped!("wasm.sv.pagefind"),
    shipped!("wasm.ta.pagefind"),
    shipped!("wasm.tr.pagefind"),
    shipped!("wasm.yi.pagefind"),
];

/// `pagefind-entry.json`, in Pagefind's field order.
#[derive(Serialize)]
struct Entry<'a> {
    version: &'a str,
    languages: BTreeMap<&'a str, EntryLanguage<'a>>,
    include_characters: &'a [char],
}

#[derive(Serialize)]
struct EntryLanguage<'a> {
    hash: &'a str,
    wasm: Option<&'a str>,
    page_count: usize,
}

/// The WebAssembly Pagefind writes for an index in `language`, if it stems that
/// language: its name in the bundle (`wasm.pt-BR.pagefind`) and bytes.
fn language_wasm(language: &str) -> Option<(String, &'static [u8])> {
    let base = language.split('-').next().unwrap_or_default();
    let shipped = format!("wasm.{base}.pagefind");
    let (_, bytes) = LANGUAGE_WASM.iter().find(|(name, _)| *name == shipped)?;
    Some((format!("wasm.{language}.pagefind"), bytes))
}

/// The files of a bundle besides its index: the code, and the entry file naming the
/// index of `language` by its metadata file's hash (`en_1a2b3c4`) and counting its
/// pages; for a bundle without an index (`None`), an entry that lists no language and no
/// WebAssembly of a language, as Pagefind writes one.
pub fn bundle_files(language: &str, index: Option<(&str, usize)>) -> Files {
    let mut files: Files = CODE.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
    let mut languages = BTreeMap::new();
    if let Some((hash, page_count)) = index {
        let wasm = language_wasm(language).map(|(name, bytes)| {
            files.push((name, bytes.to_vec()));
            language
        });
        languages.insert(language, EntryLanguage { hash, wasm, page_count });
    }
    let entry = Entry { version: PAGEFIND_VERSION, languages, include_characters: &WORD_SYMBOLS };
    let json = serde_json::to_vec(&entry).expect("an entry of strings and numbers serialises");
    files.push((ENTRY_FILE.to_string(), json));
    files
}

const ENTRY_FILE: &str = "pagefind-entry.json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_has_pagefinds_code_and_an_entry_naming_communiques_index() {
        let files = bundle_files("en", Some(("en_1234567", 3)));
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for name in ["pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "wasm.unknown.pagefind", "wasm.en.pagefind"]
        {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        let entry: serde_json::Value = serde_json::from_slice(&files.last().unwrap().1).unwrap();
        assert_eq!(entry["version"], "1.6.0");
        assert_eq!(entry["languages"]["en"], serde_json::json!({"hash": "en_1234567", "wasm": "en", "page_count": 3}));
        let empty = bundle_files("en", None);
        assert!(!empty.iter().any(|(n, _)| n == "wasm.en.pagefind"));
        let chinese = bundle_files("zh", Some(("zh_1234567", 3)));
        assert!(!chinese.iter().any(|(n, _)| n.starts_with("wasm.zh")), "Pagefind does not stem Chinese");
    }

    /// Every file Pagefind writes for an index of one record with one word in `language`:
    /// the oracle of the shipped code.
    fn pagefinds_one_word_bundle(language: &str) -> Files {
        let record = crate::render::search_record::Record {
            url: "/".into(),
            content: "pagefind".into(),
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
            sort: BTreeMap::new(),
        };
        super::super::search_index::tests::pagefind_bundle(&[record], language)
    }

    /// Whether a file of Pagefind's bundle is of its index (metadata, fragments, word
    /// chunks, filters) rather than code or the entry file.
    fn is_index_file(name: &str) -> bool {
        name.ends_with(".pf_meta") || ["fragment/", "index/", "filter/"].iter().any(|folder| name.starts_with(folder))
    }

    /// The languages whose bundles are compared: every one shipped WebAssembly is for,
    /// with a region, and languages Pagefind does not stem.
    fn languages_compared() -> Vec<String> {
        let shipped =
            LANGUAGE_WASM.iter().map(|(name, _)| name.trim_start_matches("wasm.").trim_end_matches(".pagefind"));
        let others = ["pt-BR", "en-GB", "zh", "zh-TW", "ja", "th", "fa", "uk", "kk", "uz"];
        shipped.chain(others).map(str::to_string).collect()
    }

    /// Writes Pagefind's code files into assets/pagefind/ (`COMMUNIQUE_VENDOR_PAGEFIND=1`).
    fn vendor(language: &str, pagefinds: &Files) {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/pagefind");
        for (name, bytes) in pagefinds.iter().filter(|(name, _)| !is_index_file(name) && name != ENTRY_FILE) {
            if name.starts_with("wasm.") && name != "wasm.unknown.pagefind" && language.contains('-') {
                continue;
            }
            std::fs::write(folder.join(name), bytes).unwrap();
        }
    }

    #[test]
    fn the_shipped_code_is_the_code_pagefind_writes_in_every_language() {
        let vendoring = std::env::var_os("COMMUNIQUE_VENDOR_PAGEFIND").is_some_and(|v| v == "1");
        for language in languages_compared() {
            let mut pagefinds = pagefinds_one_word_bundle(&language);
            if vendoring {
                vendor(&language, &pagefinds);
                continue;
            }
            pagefinds.retain(|(name, _)| !is_index_file(name));
            let entry: serde_json::Value = serde_json::from_slice(
                &pagefinds.iter().find(|(name, _)| name == ENTRY_FILE).expect("Pagefind writes an entry file").1,
            )
            .unwrap();
            let hash = entry["languages"][&language]["hash"].as_str().expect("the entry names the index");
            let mut ours = bundle_files(&language, Some((hash, 1)));
            pagefinds.sort();
            ours.sort();
            let names = |files: &Files| files.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
            assert_eq!(names(&ours), names(&pagefinds), "the files of a bundle in {language}");
            for ((name, ours), (_, pagefinds)) in ours.iter().zip(&pagefinds) {
                assert!(ours == pagefinds, "{name} in {language} is not Pagefind's (COMMUNIQUE_VENDOR_PAGEFIND=1)");
            }
        }
    }

    #[test]
    fn webassembly_is_shipped_for_every_language_pagefind_stems_and_no_other() {
        let letters = 'a'..='z';
        let codes = letters.clone().flat_map(|a| letters.clone().map(move |b| format!("{a}{b}")));
        for code in codes {
            let stemmed = super::super::search_words::stems(&code);
            assert_eq!(language_wasm(&code).is_some(), stemmed, "{code}: stemmed {stemmed}");
        }
    }
}
