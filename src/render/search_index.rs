//! The search index of one bundle in Pagefind 1.6's format, written by communique itself
//! from its search records: the files Pagefind's own indexer writes for the same records
//! (a test compares them, gunzipped), in a fraction of the time.
//!
//! Pagefind turns each record into a map from every word to its positions, copies it
//! into a map of postings per page and then into one per word, allocating a list for
//! every word of every page on the way. Here each word of the content is looked up once
//! in a cache of what it is indexed under, its positions on the page are gathered beside
//! the word (in a buffer reused page after page), and each word's postings are appended,
//! already CBOR-encoded, to that word's buffer. What a word is indexed under (normalising,
//! compound parts, stemming, and the splitting of Chinese, Japanese and Thai runs into
//! words with the pairs of characters Pagefind's `extended` build adds) and the file
//! hashes are Pagefind's own functions, copied into [`super::search_words`]; the bundle's
//! JavaScript and WebAssembly are Pagefind's, shipped with communique
//! ([`super::search_bundle`]). The files are gzipped with libdeflate rather than
//! Pagefind's zlib: the same content, compressed faster.
//!
//! Records are expected as [`crate::render::search`] makes them: unique URLs, no
//! Pagefind markers (`___PAGEFIND_…`) in their text, and a `date` sort that is never a
//! number (Pagefind sorts numbers numerically and everything else as strings).

use std::collections::{BTreeMap, BTreeSet};

use ahash::AHashMap;
use serde::Serialize;

use super::search::Pause;
use super::search_bundle::{PAGEFIND_VERSION, bundle_files};
use super::search_record::Record;
use super::search_words::{Words, full_hash, last_cluster, segment_words};

pub use super::search_bundle::Files;

/// The weight of an ordinary word: Pagefind's weight 1.0 times its multiplier of 24.
const WORD_WEIGHT: u8 = 24;
/// Pagefind starts each word's locations as if the previous weight had been 25.
const START_WEIGHT: u8 = 25;
/// Words per index chunk, by Pagefind's count of postings (its default).
const CHUNK_SIZE: usize = 20_000;
/// Marks a key that is a diacritic variant of a word rather than the word.
const VARIANT: u32 = 1 << 31;

/// The index chunks' entries in the metadata (first word, last word, file hash) and files.
type ChunkFiles = (Vec<(String, String, String)>, Files);

/// The files of a bundle indexing `records` in `language` (`en`, `zh`, ...).
pub fn bundle(records: &[Record], language: &str) -> Files {
    bundle_pausing(records, language, &|| true).expect("an index that never pauses is never abandoned")
}

/// [`bundle`], calling `pause` before each page and each index chunk; abandoned
/// ([`super::search::ABANDONED`]) when it says to stop.
pub fn bundle_pausing(records: &[Record], language: &str, pause: Pause) -> Result<Files, String> {
    let mut index = Index::new(language);
    let records = latest_per_url(records);
    let meta_fields: Vec<&str> = field_names(records.iter().copied());
    let mut pages = Vec::with_capacity(records.len());
    for record in &records {
        if !pause() {
            return Err(super::search::ABANDONED.to_string());
        }
        if let Some(page) = index.add(record, &meta_fields, pages.len()) {
            pages.push((page, *record));
        }
    }
    let kept_fields = field_names(pages.iter().map(|(_, r)| *r));
    if kept_fields != meta_fields {
        // A page without words had a metadata field no other page has: Pagefind numbers
        // fields among the pages it keeps, so index those again.
        let kept: Vec<Record> = pages.into_iter().map(|(_, r)| r.clone()).collect();
        return bundle_pausing(&kept, language, pause);
    }
    if pages.is_empty() {
        // Pagefind writes no index for a language without pages, only the bundle's code.
        return Ok(bundle_files(language, None));
    }
    index.files(pages, &meta_fields, pause)
}

/// Records in order, a later record of the same URL taking the place of the earlier one
/// (as Pagefind replaces a page added twice).
fn latest_per_url(records: &[Record]) -> Vec<&Record> {
    let mut position: AHashMap<&str, usize> = AHashMap::with_capacity(records.len());
    let mut kept: Vec<&Record> = Vec::with_capacity(records.len());
    for record in records {
        match position.get(record.url.as_str()) {
            Some(&i) => kept[i] = record,
            None => {
                position.insert(&record.url, kept.len());
                kept.push(record);
            }
        }
    }
    kept
}

/// The metadata field names of `records`, sorted: a field's number in the index.
fn field_names<'a>(records: impl Iterator<Item = &'a Record>) -> Vec<&'a str> {
    let names: BTreeSet<&str> = records.flat_map(|r| r.meta.keys().map(String::as_str)).collect();
    names.into_iter().collect()
}

/// One kept page: what its fragment and the metadata index need. The fragment is kept
/// gzipped, as it is written (a third of its JSON: a site's text is most of the index's
/// memory otherwise), with the hash of its JSON that names it.
struct Page {
    fragment_hash: String,
    fragment_file: Vec<u8>,
    word_count: usize,
}

/// A word of the index and its postings.
struct Term {
    word: String,
    postings: Postings,
    /// Its diacritic variants in the order they first appear.
    variants: Vec<u32>,
    page: OnPage,
}

/// A spelling of a word with diacritics (`café` of `cafe`) and its postings.
struct Variant {
    term: u32,
    form: String,
    postings: Postings,
    /// Whether its word lists it yet (from the first page it is on).
    listed: bool,
    page: OnPage,
}

/// Where a word (or variant) is on the page being indexed: in the content (sort weight,
/// position), in order of position, and in the metadata (field, position), in order of
/// field and position. Emptied once the page's postings are made; its memory is kept.
#[derive(Default)]
struct OnPage {
    body: Vec<(u8, u32)>,
    meta: Vec<(u32, u32)>,
}

impl OnPage {
    fn is_empty(&self) -> bool {
        self.body.is_empty() && self.meta.is_empty()
    }
}

/// The CBOR of a word's (or variant's) pages, appended page by page.
#[derive(Default)]
struct Postings {
    bytes: Vec<u8>,
    pages: usize,
    last_page: usize,
    /// Pagefind's measure of a word's size when chunking: locations plus one per page.
    size: usize,
}

impl Postings {
    fn push(&mut self, page: usize, locs: &[i32], meta_locs: &[i32]) {
        let b = &mut self.bytes;
        // At most 5 bytes a number (they are 32-bit) and 3 heads: one growth check.
        b.reserve(5 * (locs.len() + meta_locs.len() + 4));
        cbor::array(b, 3);
        cbor::uint(b, (page - self.last_page) as u64);
        cbor::array(b, locs.len());
        locs.iter().for_each(|l| cbor::int(b, *l));
        cbor::array(b, meta_locs.len());
        meta_locs.iter().for_each(|l| cbor::int(b, *l));
        self.last_page = page;
        self.pages += 1;
        self.size += locs.len() + meta_locs.len() + 1;
    }
}

/// A shard's index as it is built.
struct Index {
    language: String,
    words: Words,
    /// Where in `content_keys` a word of the content has its keys (looked up once per
    /// occurrence: the commonest lookup of all).
    content_cache: AHashMap<String, u32>,
    /// What each word of `content_cache` is indexed under: keys, and whether each is a
    /// compound part.
    content_keys: Vec<Vec<(u32, bool)>>,
    /// The key and term of each pair of clusters met spanning a boundary between segments
    /// (segmented languages: one pair per segment, from few distinct ones).
    cross_keys: AHashMap<String, (u32, u32)>,
    /// A buffer for the pair being looked up in `cross_keys`.
    pair: String,
    /// The same for a word of a metadata value.
    meta_cache: AHashMap<String, Vec<u32>>,
    terms: Vec<Term>,
    term_ids: AHashMap<String, u32>,
    variants: Vec<Variant>,
    variant_ids: AHashMap<(u32, String), u32>,
    /// Filter -> value -> pages.
    filters: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
    /// Sort -> (value, page), in page order.
    sorts: BTreeMap<String, Vec<(String, usize)>>,
    /// The keys of the words on the current page, a buffer kept between pages.
    touched: Vec<u32>,
    /// The terms the word before the one being indexed is indexed under.
    previous_terms: Vec<u32>,
    /// Compresses each page's fragment as it is indexed.
    gzip: Gzip,
}

impl Index {
    fn new(language: &str) -> Self {
        Self {
            language: language.to_string(),
            words: Words::new(language),
            content_cache: AHashMap::new(),
            content_keys: Vec::new(),
            cross_keys: AHashMap::new(),
            pair: String::new(),
            meta_cache: AHashMap::new(),
            terms: Vec::new(),
            term_ids: AHashMap::new(),
            variants: Vec::new(),
            variant_ids: AHashMap::new(),
            filters: BTreeMap::new(),
            sorts: BTreeMap::new(),
            touched: Vec::new(),
            previous_terms: Vec::new(),
            gzip: Gzip::new(),
        }
    }

    /// Indexes `record` as page `number`; `None` (and nothing indexed) when its content
    /// has no word to index, as Pagefind drops such pages.
    fn add(&mut self, record: &Record, meta_fields: &[&str], number: usize) -> Option<Page> {
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        let (content, word_count) = self.locate_content_words(&record.content, &mut touched);
        if touched.is_empty() {
            self.touched = touched;
            return None;
        }
        self.locate_meta_words(&record.meta, meta_fields, &mut touched);
        self.add_postings(number, &touched);
        self.touched = touched;
        self.add_filters_and_sorts(record, number);
        let fragment = Fragment {
            url: &record.url,
            content: &content,
            word_count,
            filters: &record.filters,
            meta: &record.meta,
            anchors: [],
        };
        let fragment_json = serde_json::to_string(&fragment).expect("a fragment serialises");
        Some(Page {
            fragment_hash: full_hash(fragment_json.as_bytes()),
            fragment_file: self.gzip.file(fragment_json.as_bytes()),
            word_count,
        })
    }

    /// Notes where each word of a page's `text` is, adding the keys first met on the page
    /// to `touched`: the page's content as its fragment shows it and its number of words.
    /// The content is the words without zero-width spaces, one space apart; in a
    /// segmented language, as Pagefind's `extended` build writes it, each segment is
    /// followed by a zero-width space (after the space that ends its run), which its
    /// browser code splits excerpts at and joins without spaces.
    fn locate_content_words(&mut self, text: &str, touched: &mut Vec<u32>) -> (String, usize) {
        let mut content = String::with_capacity(text.len() + text.len() / 2);
        let mut position = 0u32;
        for run in text.split_whitespace() {
            if !self.words.is_segmented() {
                position += u32::from(self.locate_word(run, None, true, position, &mut content, touched));
                continue;
            }
            let mut previous_cluster: Option<&str> = None;
            let mut segments = segment_words(run).peekable();
            while let Some(segment) = segments.next() {
                let ends_run = segments.peek().is_none();
                let located = self.locate_word(segment, previous_cluster, ends_run, position, &mut content, touched);
                position += u32::from(located);
                previous_cluster = last_cluster(segment);
            }
        }
        if content.ends_with('\u{200B}') {
            content.pop();
        }
        if content.ends_with(' ') {
            content.pop();
        }
        (content, position as usize)
    }

    /// Notes where one word (`raw`, at `position`) is and appends it to the `content`;
    /// false, and nothing done, for a word of zero-width spaces only. The pair of
    /// clusters spanning its boundary with the segment before (ending in
    /// `previous_cluster`) is a compound part of this word placed on the word before.
    fn locate_word(
        &mut self,
        raw: &str,
        previous_cluster: Option<&str>,
        ends_run: bool,
        position: u32,
        content: &mut String,
        touched: &mut Vec<u32>,
    ) -> bool {
        let cleaned;
        // The zero-width space is E2 80 8B in UTF-8: look for its first byte, rare in any
        // script, before searching for the character.
        let word = if raw.as_bytes().contains(&0xE2) && raw.contains('\u{200B}') {
            cleaned = raw.replace('\u{200B}', "");
            cleaned.as_str()
        } else {
            raw
        };
        if word.is_empty() {
            return false;
        }
        content.push_str(word);
        if ends_run {
            content.push(' ');
        }
        if self.words.is_segmented() {
            content.push('\u{200B}');
        }
        let cached = self.cache_content_keys(word);
        let cross = previous_cluster.and_then(|cluster| self.cross_bigram_key(word, cached, cluster));
        let Index { content_keys, terms, variants, previous_terms, .. } = self;
        let keys = &content_keys[cached];
        let compound = keys.iter().filter(|k| k.1).count() + usize::from(cross.is_some());
        let partial = if compound > 0 { (WORD_WEIGHT / u8::try_from(compound).unwrap_or(u8::MAX)).max(1) } else { 0 };
        let mut note = |key: u32, weight: u8, position: u32| {
            let page = on_page(terms, variants, key);
            if page.is_empty() {
                touched.push(key);
            }
            page.body.push((sort_weight(weight), position));
        };
        for &(key, is_compound) in keys {
            note(key, if is_compound { partial } else { WORD_WEIGHT }, position);
        }
        if let Some((key, term)) = cross {
            // The word before may already be indexed under this pair.
            if position > 0 && !previous_terms.contains(&term) {
                note(key, partial, position - 1);
            }
        }
        previous_terms.clear();
        previous_terms.extend(keys.iter().map(|&(key, _)| term_of(variants, key)));
        true
    }

    /// The key and term of the pair of clusters spanning the boundary between a segment
    /// ending in `previous_cluster` and `word`, unless `word` is indexed under that term
    /// itself (its keys are `content_keys[cached]`).
    fn cross_bigram_key(&mut self, word: &str, cached: usize, previous_cluster: &str) -> Option<(u32, u32)> {
        let mut pair = std::mem::take(&mut self.pair);
        let found = self.words.write_cross_pair(word, previous_cluster, &mut pair).then(|| {
            if let Some(&known) = self.cross_keys.get(pair.as_str()) {
                return known;
            }
            let bigram = self.words.pair_term(&pair);
            let key = self.key(bigram.stemmed, bigram.original);
            let known = (key, term_of(&self.variants, key));
            self.cross_keys.insert(pair.clone(), known);
            known
        });
        self.pair = pair;
        let (key, term) = found?;
        let own = self.content_keys[cached].iter().any(|&(k, _)| term_of(&self.variants, k) == term);
        (!own).then_some((key, term))
    }

    /// Notes where each word of a page's metadata values is (by field number among
    /// `meta_fields`), adding the keys first met on the page to `touched`.
    fn locate_meta_words(&mut self, meta: &BTreeMap<String, String>, meta_fields: &[&str], touched: &mut Vec<u32>) {
        for (name, value) in meta {
            let field = meta_fields.iter().position(|f| f == name).expect("every field is listed") as u32;
            for (i, raw) in value.split_whitespace().enumerate() {
                self.cache_meta_keys(raw);
                let Index { meta_cache, terms, variants, .. } = self;
                for &key in &meta_cache[raw] {
                    let page = on_page(terms, variants, key);
                    if page.is_empty() {
                        touched.push(key);
                    }
                    page.meta.push((field, i as u32));
                }
            }
        }
    }

    /// Lists page `number` under each of its filter values and sort values.
    fn add_filters_and_sorts(&mut self, record: &Record, number: usize) {
        for (filter, values) in &record.filters {
            let filter = self.filters.entry(filter.clone()).or_default();
            for value in values {
                filter.entry(value.clone()).or_default().push(number);
            }
        }
        for (sort, value) in &record.sort {
            self.sorts.entry(sort.clone()).or_default().push((value.clone(), number));
        }
    }

    /// Where in `content_keys` the keys are that a word of the content is indexed under,
    /// each with whether it is a compound part (weighed less); made the first time.
    fn cache_content_keys(&mut self, word: &str) -> usize {
        if let Some(&cached) = self.content_cache.get(word) {
            return cached as usize;
        }
        let terms = self.words.content_terms(word);
        let keys = terms.into_iter().map(|w| (self.key(w.stemmed, w.original), w.is_compound_part)).collect();
        let cached = self.content_keys.len();
        self.content_keys.push(keys);
        self.content_cache.insert(word.to_string(), cached as u32);
        cached
    }

    /// The same for a word of a metadata value.
    fn cache_meta_keys(&mut self, word: &str) {
        if !self.meta_cache.contains_key(word) {
            let keys = self.words.meta_terms(word).into_iter().map(|w| self.key(w.stemmed, w.original)).collect();
            self.meta_cache.insert(word.to_string(), keys);
        }
    }

    /// The key of `word`, or of its spelling `original` when that differs.
    fn key(&mut self, word: String, original: Option<String>) -> u32 {
        let term = match self.term_ids.get(&word) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                assert!(id < VARIANT, "too many words for one search index");
                self.term_ids.insert(word.clone(), id);
                self.terms.push(Term {
                    word,
                    postings: Postings::default(),
                    variants: Vec::new(),
                    page: OnPage::default(),
                });
                id
            }
        };
        let Some(form) = original else { return term };
        let key = (term, form);
        if let Some(&id) = self.variant_ids.get(&key) {
            return id | VARIANT;
        }
        let id = self.variants.len() as u32;
        self.variants.push(Variant {
            term,
            form: key.1.clone(),
            postings: Postings::default(),
            listed: false,
            page: OnPage::default(),
        });
        self.variant_ids.insert(key, id);
        id | VARIANT
    }

    /// Appends page `number`'s postings to those of each word on it (`touched`).
    fn add_postings(&mut self, number: usize, touched: &[u32]) {
        let mut new_variants: Vec<(u32, bool, u32)> = Vec::new();
        let (mut locs, mut meta_locs) = (Vec::new(), Vec::new());
        for &key in touched {
            let page = on_page(&mut self.terms, &mut self.variants, key);
            body_locations(&mut page.body, &mut locs);
            meta_locations(&page.meta, &mut meta_locs);
            page.body.clear();
            page.meta.clear();
            if key & VARIANT == 0 {
                self.terms[key as usize].postings.push(number, &locs, &meta_locs);
            } else {
                let variant = &mut self.variants[(key & !VARIANT) as usize];
                variant.postings.push(number, &locs, &meta_locs);
                if !variant.listed {
                    variant.listed = true;
                    new_variants.push((variant.term, locs.is_empty(), key & !VARIANT));
                }
            }
        }
        // Pagefind lists a word's variants as it meets them: on a page, those of the
        // content by spelling, then those only in the metadata by spelling.
        new_variants.sort_by(|a, b| {
            (a.0, a.1, &self.variants[a.2 as usize].form).cmp(&(b.0, b.1, &self.variants[b.2 as usize].form))
        });
        for (term, _, variant) in new_variants {
            self.terms[term as usize].variants.push(variant);
        }
    }

    /// Every file of the bundle, the index of `pages` (in page order).
    fn files(mut self, pages: Vec<(Page, &Record)>, meta_fields: &[&str], pause: Pause) -> Result<Files, String> {
        let language = self.language.clone();
        let mut gzip = std::mem::replace(&mut self.gzip, Gzip::new());
        self.forget_lookups();
        let page_count = pages.len();
        let (page_entries, mut files) = fragment_files(pages, &language);
        let (filter_entries, filter_files) = self.filter_files(&language, &mut gzip);
        let sorts = self.sort_entries();
        let (chunk_entries, chunk_files) = self.chunk_files(&language, &mut gzip, pause)?;
        files.extend(filter_files);
        files.extend(chunk_files);
        let entries = MetaEntries { pages: page_entries, chunks: chunk_entries, filters: filter_entries, sorts };
        let meta = entries.bytes(PAGEFIND_VERSION, meta_fields);
        let meta_hash = format!("{language}_{}", &full_hash(&meta)[..language.len() + 8]);
        files.push((format!("pagefind.{meta_hash}.pf_meta"), gzip.file(&meta)));
        files.extend(bundle_files(&language, Some((&meta_hash, page_count))));
        Ok(files)
    }

    /// Drops what only indexing looks words up in: the files need the terms alone, and
    /// at 100,000 reports four shards write their files at once (the build's peak).
    fn forget_lookups(&mut self) {
        self.content_cache = AHashMap::new();
        self.content_keys = Vec::new();
        self.cross_keys = AHashMap::new();
        self.meta_cache = AHashMap::new();
        self.term_ids = AHashMap::new();
        self.variant_ids = AHashMap::new();
    }

    /// The filter files and, per filter in name order, its name and file hash.
    fn filter_files(&self, language: &str, gzip: &mut Gzip) -> (Vec<(String, String)>, Files) {
        let mut entries = Vec::new();
        let mut files = Files::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for (filter, values) in &self.filters {
            let mut bytes = Vec::new();
            cbor::array(&mut bytes, 2);
            cbor::text(&mut bytes, filter);
            cbor::array(&mut bytes, values.len());
            for (value, pages) in values {
                cbor::array(&mut bytes, 2);
                cbor::text(&mut bytes, value);
                cbor::array(&mut bytes, pages.len());
                pages.iter().for_each(|p| cbor::uint(&mut bytes, *p as u64));
            }
            let name = short_hash(&format!("{language}_{}", full_hash(&bytes)), language, &taken);
            taken.insert(name.clone());
            files.push((format!("filter/{name}.pf_filter"), gzip.file(&bytes)));
            entries.push((filter.clone(), name));
        }
        (entries, files)
    }

    /// Each sort with its pages ordered by value (ties in page order).
    fn sort_entries(&self) -> Vec<(String, Vec<usize>)> {
        self.sorts
            .iter()
            .map(|(sort, values)| {
                let mut values: Vec<&(String, usize)> = values.iter().collect();
                values.sort_by(|a, b| a.0.cmp(&b.0));
                (sort.clone(), values.into_iter().map(|v| v.1).collect())
            })
            .collect()
    }

    /// The word index chunks and, per chunk in word order, the range of words it holds
    /// (shortened to the prefixes that tell neighbours apart) and its file hash.
    fn chunk_files(&mut self, language: &str, gzip: &mut Gzip, pause: Pause) -> Result<ChunkFiles, String> {
        let mut order: Vec<u32> = (0..self.terms.len() as u32).collect();
        order.sort_by(|a, b| self.terms[*a as usize].word.cmp(&self.terms[*b as usize].word));
        let chunks = self.chunk_ranges(&order);
        let mut ranges: Vec<(String, String)> = chunks
            .iter()
            .map(|c| {
                (self.terms[order[c.start] as usize].word.clone(), self.terms[order[c.end - 1] as usize].word.clone())
            })
            .collect();
        for i in 1..ranges.len() {
            let (to, from) = distinguishing_prefixes(&ranges[i - 1].1, &ranges[i].0);
            if to >= ranges[i - 1].0 {
                ranges[i - 1].1 = to;
            }
            ranges[i].0 = from;
        }
        let mut entries = Vec::new();
        let mut files = Files::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for (chunk, (from, to)) in chunks.into_iter().zip(ranges) {
            if !pause() {
                return Err(super::search::ABANDONED.to_string());
            }
            let bytes = self.take_chunk_bytes(&order[chunk]);
            let name = short_hash(&format!("{language}_{}", full_hash(&bytes)), language, &taken);
            taken.insert(name.clone());
            files.push((format!("index/{name}.pf_index"), gzip.file(&bytes)));
            entries.push((from, to, name));
        }
        Ok((entries, files))
    }

    /// The terms of `order` (in word order) cut into chunks of about [`CHUNK_SIZE`] by
    /// Pagefind's count: locations, plus one per page and per variant.
    fn chunk_ranges(&self, order: &[u32]) -> Vec<std::ops::Range<usize>> {
        let mut chunks = Vec::new();
        let (mut start, mut size) = (0, 0);
        for (i, term) in order.iter().map(|t| &self.terms[*t as usize]).enumerate() {
            size += term.postings.size
                + term.variants.iter().map(|v| self.variants[*v as usize].postings.size).sum::<usize>()
                + term.variants.len();
            if size >= CHUNK_SIZE {
                chunks.push(start..i + 1);
                (start, size) = (i + 1, 0);
            }
        }
        if start < order.len() {
            chunks.push(start..order.len());
        }
        chunks
    }

    /// The index chunk of `terms`, their postings moved into it: each chunk's postings
    /// are freed as it is written, rather than all of them once the last one is.
    fn take_chunk_bytes(&mut self, terms: &[u32]) -> Vec<u8> {
        let size = terms.iter().map(|t| &self.terms[*t as usize]).map(|t| t.postings.bytes.len() + t.word.len() + 8);
        let mut b = Vec::with_capacity(size.sum());
        cbor::array(&mut b, 1);
        cbor::array(&mut b, terms.len());
        for t in terms {
            let term = &mut self.terms[*t as usize];
            cbor::array(&mut b, 3);
            cbor::text(&mut b, &term.word);
            cbor::array(&mut b, term.postings.pages);
            b.extend_from_slice(&std::mem::take(&mut term.postings.bytes));
            cbor::array(&mut b, term.variants.len());
            for v in &term.variants {
                let variant = &mut self.variants[*v as usize];
                cbor::array(&mut b, 2);
                cbor::text(&mut b, &variant.form);
                cbor::array(&mut b, variant.postings.pages);
                b.extend_from_slice(&std::mem::take(&mut variant.postings.bytes));
            }
        }
        b
    }
}

/// The fragment files of `pages` and, per page in order, its fragment's name and word
/// count. A name is the shortest prefix of the fragment's hash (at least the language and
/// seven characters) that no other fragment's hash begins with so far, as Pagefind names
/// them.
fn fragment_files(pages: Vec<(Page, &Record)>, language: &str) -> (Vec<(String, usize)>, Files) {
    let mut files = Files::new();
    let mut fragment_names: AHashMap<String, String> = AHashMap::with_capacity(pages.len());
    let mut entries = Vec::with_capacity(pages.len());
    for (page, _) in pages {
        let full = format!("{language}_{}", page.fragment_hash);
        let mut length = language.len() + 8;
        while fragment_names.get(&full[..length]).is_some_and(|other| *other != full) && length < full.len() {
            length += 1;
        }
        let name = full[..length].to_string();
        fragment_names.insert(name.clone(), full);
        files.push((format!("fragment/{name}.pf_fragment"), page.fragment_file));
        entries.push((name, page.word_count));
    }
    (entries, files)
}

/// What the metadata file (`pagefind.*.pf_meta`) lists besides the version and the
/// metadata field names.
struct MetaEntries {
    /// Per page in order: its fragment's name and its word count.
    pages: Vec<(String, usize)>,
    /// Per word chunk in word order: its first and last words (prefixes) and file hash.
    chunks: Vec<(String, String, String)>,
    /// Per filter in name order: its name and file hash.
    filters: Vec<(String, String)>,
    /// Per sort in name order: its name and its pages in sorted order.
    sorts: Vec<(String, Vec<usize>)>,
}

impl MetaEntries {
    /// The CBOR of the metadata file, for Pagefind `version` and `meta_fields`.
    fn bytes(&self, version: &str, meta_fields: &[&str]) -> Vec<u8> {
        let mut meta = Vec::new();
        cbor::array(&mut meta, 6);
        cbor::text(&mut meta, version);
        cbor::array(&mut meta, self.pages.len());
        for (hash, word_count) in &self.pages {
            cbor::array(&mut meta, 3);
            cbor::text(&mut meta, hash);
            cbor::uint(&mut meta, *word_count as u64);
            cbor::text(&mut meta, "");
        }
        cbor::array(&mut meta, self.chunks.len());
        for (from, to, hash) in &self.chunks {
            cbor::array(&mut meta, 3);
            cbor::text(&mut meta, from);
            cbor::text(&mut meta, to);
            cbor::text(&mut meta, hash);
        }
        cbor::array(&mut meta, self.filters.len());
        for (filter, hash) in &self.filters {
            cbor::array(&mut meta, 2);
            cbor::text(&mut meta, filter);
            cbor::text(&mut meta, hash);
        }
        cbor::array(&mut meta, self.sorts.len());
        for (sort, pages) in &self.sorts {
            cbor::array(&mut meta, 2);
            cbor::text(&mut meta, sort);
            cbor::array(&mut meta, pages.len());
            pages.iter().for_each(|p| cbor::uint(&mut meta, *p as u64));
        }
        cbor::array(&mut meta, meta_fields.len());
        meta_fields.iter().for_each(|f| cbor::text(&mut meta, f));
        meta
    }
}

/// The compression of every index file: `pagefind_dcd` and the content in a gzip stream,
/// as Pagefind writes them (its browser code checks the marker). libdeflate at level 1
/// compresses the files of a 10,000-report index (78 MB) in 0.44 s to 31.6 MB, where
/// Pagefind's zlib-rs at level 2 took 0.80 s for 31.7 MB.
struct Gzip {
    compressor: libdeflater::Compressor,
    input: Vec<u8>,
    output: Vec<u8>,
}

impl Gzip {
    fn new() -> Self {
        let level = libdeflater::CompressionLvl::new(1).expect("1 is a level");
        Self { compressor: libdeflater::Compressor::new(level), input: Vec::new(), output: Vec::new() }
    }

    fn file(&mut self, content: &[u8]) -> Vec<u8> {
        self.input.clear();
        self.input.extend_from_slice(b"pagefind_dcd");
        self.input.extend_from_slice(content);
        self.output.resize(self.compressor.gzip_compress_bound(self.input.len()), 0);
        let size = self.compressor.gzip_compress(&self.input, &mut self.output).expect("the bound holds the output");
        self.output[..size].to_vec()
    }
}

/// How Pagefind orders a word's locations: the usual weight first, then by weight.
fn sort_weight(weight: u8) -> u8 {
    if weight == START_WEIGHT { 0 } else { weight }
}

/// Where `key`'s word or variant is on the current page.
fn on_page<'a>(terms: &'a mut [Term], variants: &'a mut [Variant], key: u32) -> &'a mut OnPage {
    if key & VARIANT == 0 { &mut terms[key as usize].page } else { &mut variants[(key & !VARIANT) as usize].page }
}

/// The term of `key`: itself, or the word a variant is a spelling of.
fn term_of(variants: &[Variant], key: u32) -> u32 {
    if key & VARIANT == 0 { key } else { variants[(key & !VARIANT) as usize].term }
}

/// A word's locations on a page, from its body occurrences (in order of position) put in
/// Pagefind's order, by weight and position: deltas from the previous position, a change
/// of weight marked by `-weight - 1` and the position itself.
fn body_locations(occurrences: &mut [(u8, u32)], out: &mut Vec<i32>) {
    out.clear();
    if occurrences.windows(2).any(|w| w[0].0 != w[1].0) {
        // Stable: positions stay in order within each weight.
        occurrences.sort_by_key(|o| o.0);
    }
    let (mut current, mut last) = (START_WEIGHT, 0u32);
    for &(sort_weight, position) in occurrences.iter() {
        let weight = if sort_weight == 0 { START_WEIGHT } else { sort_weight };
        if weight != current {
            out.push(-i32::from(weight) - 1);
            out.push(position as i32);
            current = weight;
        } else {
            out.push((position - last) as i32);
        }
        last = position;
    }
}

/// A word's metadata locations on a page, sorted by field and position: `-field - 1`
/// where the field changes, then deltas from the previous position in that field.
fn meta_locations(occurrences: &[(u32, u32)], out: &mut Vec<i32>) {
    out.clear();
    let (mut current, mut last) = (None, 0u32);
    for &(field, position) in occurrences {
        if current != Some(field) {
            out.push(-(field as i32) - 1);
            current = Some(field);
            last = 0;
        }
        out.push((position - last) as i32);
        last = position;
    }
}

/// The shortest prefix of `hash` (at least the language and seven characters) no file
/// has taken yet, lengthened as Pagefind lengthens index and filter names.
fn short_hash(hash: &str, language: &str, taken: &BTreeSet<String>) -> String {
    let mut length = language.len() + 8;
    while taken.contains(&hash[..length]) {
        length = (length + 2).min(hash.len());
        if length == hash.len() {
            break;
        }
    }
    hash[..length].to_string()
}

/// The prefixes of two neighbouring words, one character past what they share.
fn distinguishing_prefixes(a: &str, b: &str) -> (String, String) {
    let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
    (a.chars().take(common + 1).collect(), b.chars().take(common + 1).collect())
}

/// A page's fragment: what the browser shows of a result (Pagefind's field order).
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: [(); 0],
}

/// The little of CBOR (RFC 8949) the index uses: unsigned and negative integers, text
/// and arrays of known length, each with the shortest head, as `minicbor` writes them.
mod cbor {
    #[inline]
    fn head(out: &mut Vec<u8>, major: u8, n: u64) {
        let major = major << 5;
        if n < 24 {
            out.push(major | n as u8);
        } else if n <= u64::from(u8::MAX) {
            out.extend_from_slice(&[major | 24, n as u8]);
        } else if n <= u64::from(u16::MAX) {
            out.push(major | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= u64::from(u32::MAX) {
            out.push(major | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(major | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }

    #[inline]
    pub fn uint(out: &mut Vec<u8>, n: u64) {
        head(out, 0, n);
    }

    #[inline]
    pub fn int(out: &mut Vec<u8>, n: i32) {
        if n >= 0 { head(out, 0, n as u64) } else { head(out, 1, (-1 - i64::from(n)) as u64) }
    }

    #[inline]
    pub fn text(out: &mut Vec<u8>, s: &str) {
        head(out, 3, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }

    #[inline]
    pub fn array(out: &mut Vec<u8>, len: usize) {
        head(out, 4, len as u64);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// What Pagefind's own indexer, the published crate unchanged, writes for `records`:
    /// the oracle.
    pub(in crate::render) fn pagefind_bundle(records: &[Record], language: &str) -> Files {
        use pagefind::api::PagefindIndex;
        use pagefind::options::PagefindServiceConfig;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let options =
            PagefindServiceConfig::builder().keep_index_url(true).force_language(language.to_string()).build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        let files = runtime.block_on(async {
            for r in records.iter().cloned() {
                index
                    .add_custom_record(r.url, r.content, language.into(), Some(r.meta), Some(r.filters), Some(r.sort))
                    .await
                    .unwrap();
            }
            index.get_files().await.unwrap()
        });
        files.into_iter().map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents)).collect()
    }

    fn record(url: &str, title: &str, content: &str, filters: &[(&str, &str)], date: Option<&str>) -> Record {
        let mut meta =
            BTreeMap::from([("title".to_string(), title.to_string()), ("kind".to_string(), "Report".to_string())]);
        let mut sort = BTreeMap::new();
        if let Some(date) = date {
            meta.insert("date".into(), date.into());
            sort.insert("date".into(), date.into());
        }
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in filters {
            by_name.entry(name.to_string()).or_default().push(value.to_string());
        }
        Record { url: url.into(), content: content.into(), meta, filters: by_name, sort }
    }

    /// Records that reach the corners of Pagefind's indexing: compound words, dotted
    /// names, diacritics in the content and only in a title, scripts without spaces,
    /// emoji, zero-width spaces, pages without words, a URL added twice, a metadata field
    /// of one page, equal dates, and enough words for several index chunks.
    fn tricky_records() -> Vec<Record> {
        let mut records = vec![
            record("reports/replaced/", "Replaced", "A first record replaced by a later one", &[], None),
            record(
                "reports/weihai/",
                "Ma Lixin meets Lin Jiadong in Weihai",
                "Ma Lixin met the Jean-Pierre e-commerce delegation · Weihai port handled 2,476 containers (3.5% more) — U.S. and sysconfig.is_python_build camelCase WeihaiPort",
                &[("type", "Report"), ("city", "Weihai"), ("city", "Qingdao"), ("year", "2024")],
                Some("2024-05-01"),
            ),
            record(
                "reports/sao-paulo/",
                "Visite à São Paulo et Zürich",
                "Le café à São Paulo, Café Zürich naïve coöperation résumé résumé RÉSUMÉ Ærø",
                &[("type", "Report"), ("city", "São Paulo"), ("year", "2024")],
                Some("2024-05-01"),
            ),
            record(
                "cities/weihai/",
                "威海",
                "威海 Weihai 山东 🎉 party\u{200B}time \u{200B} end",
                &[("type", "City")],
                None,
            ),
            record("people/empty/", "Nobody", "", &[("type", "Person")], None),
            // Runs of Chinese, Japanese and Thai that the segmented languages split into
            // words, with zero-width spaces inside and between them, and Latin words.
            record(
                "reports/weihai-talks/",
                "威海会谈 弗拉基米尔·诺罗夫",
                "弗拉基米尔·诺罗夫在威海会谈中会见了马立新。威海港2024年处理了2,476个集装箱（增长3.5%） 我的错 威海\u{200B}会谈 \u{200B}威海会谈 诺罗夫Norov先生 哈哈哈哈哈 谢谢谢谢 天天天天向上 人人人",
                &[("type", "Report"), ("city", "威海")],
                Some("2024-06-01"),
            ),
            record(
                "reports/tokyo/",
                "東京での会談",
                "ウィキペディアは東京で会談しました。バンドとハンド、カタカナ語ウィキ がぎぐげご",
                &[("type", "Report")],
                Some("2024-06-02"),
            ),
            record("reports/bangkok/", "การประชุม", "วิกิพีเดียสารานุกรมเสรี การประชุมที่กรุงเทพฯ ครั้งที่ 2", &[], None),
            // A spelling only in the title sorts before the content's but is listed after it.
            record("reports/cv/", "Pâté", "pâtê naïve", &[("type", "Report")], Some("2024-05-01")),
            record("people/dashes/", "— · —", "— · — ...", &[("type", "Person")], None),
            record(
                "reports/replaced/",
                "Ma Lixin meets Lin Jiadong in Weihai (again)",
                "A second record of the same page replaces the first",
                &[("type", "Report")],
                Some("2023-01-02"),
            ),
        ];
        let mut with_image =
            record("people/ma-lixin/", "Ma Lixin", "Ma Lixin Vice-Minister", &[("type", "Person")], None);
        with_image.meta.insert("image".into(), "/img/ma.jpg".into());
        records.push(with_image);
        let vocabulary: Vec<String> = (0..1500).map(|i| format!("word{i}x{}", ["", "ing", "ed", "s"][i % 4])).collect();
        for n in 0..240 {
            let words: Vec<&str> =
                (0..120).map(|k| vocabulary[(n * 37 + k * k * 11) % vocabulary.len()].as_str()).collect();
            let date = format!("20{:02}-0{}-1{}", 10 + n % 12, 1 + n % 9, n % 10);
            records.push(record(
                &format!("reports/r{n}/"),
                &format!("Report {n} {}", words[0]),
                &words.join(" "),
                &[("type", "Report"), ("year", &date[..4])],
                Some(&date),
            ));
        }
        records
    }

    /// A gzip file's content (its size is the last four bytes, RFC 1952).
    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let size = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().unwrap()) as usize;
        let mut out = vec![0; size];
        let written = libdeflater::Decompressor::new().gzip_decompress(bytes, &mut out).expect("a gzip file");
        assert_eq!(written, size);
        assert!(out.starts_with(b"pagefind_dcd"), "no Pagefind marker");
        out
    }

    fn assert_same_files(mut ours: Files, mut theirs: Files) {
        ours.sort();
        theirs.sort();
        let names = |files: &Files| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&theirs));
        for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
            // Index files are compared as Pagefind's browser code reads them, gunzipped.
            let (a, b) = if name.contains(".pf_") { (gunzip(a), gunzip(b)) } else { (a.clone(), b.clone()) };
            assert!(a == b, "{name} differs from Pagefind's ({} and {} bytes)", a.len(), b.len());
        }
    }

    #[test]
    fn the_bundle_is_the_one_pagefind_writes_for_the_same_records() {
        let records = tricky_records();
        for language in ["en", "de", "zh", "ja", "th"] {
            let ours = bundle(&records, language);
            assert!(ours.iter().filter(|(n, _)| n.starts_with("index/")).count() > 1, "several chunks");
            assert!(ours.iter().any(|(n, _)| n.starts_with("filter/")));
            assert_same_files(ours, pagefind_bundle(&records, language));
        }
    }

    #[test]
    fn a_page_without_words_holding_the_only_field_of_its_name_is_left_out_like_pagefind_does() {
        let mut records = tricky_records();
        let empty = records.iter_mut().find(|r| r.url == "people/empty/").expect("a page without words");
        empty.meta.insert("zzz".into(), "only here".into());
        assert_same_files(bundle(&records, "en"), pagefind_bundle(&records, "en"));
    }

    #[test]
    fn no_records_make_a_bundle_without_an_index() {
        let ours = bundle(&[], "en");
        assert!(!ours.iter().any(|(n, _)| n.ends_with(".pf_meta")));
        assert_same_files(ours, pagefind_bundle(&[], "en"));
        let no_words = [record("people/empty/", "Nobody", "— —", &[], None)];
        assert_same_files(bundle(&no_words, "en"), pagefind_bundle(&no_words, "en"));
    }

    #[test]
    fn a_taken_name_is_lengthened_by_two_characters_as_pagefind_does() {
        let taken = BTreeSet::from(["en_1234567".to_string()]);
        assert_eq!(short_hash("en_123456789abcdef", "en", &taken), "en_123456789");
        assert_eq!(short_hash("en_7654321abc", "en", &taken), "en_7654321");
    }

    #[test]
    fn cbor_heads_are_the_shortest() {
        let mut b = Vec::new();
        cbor::uint(&mut b, 23);
        cbor::uint(&mut b, 24);
        cbor::uint(&mut b, 256);
        cbor::int(&mut b, -25);
        cbor::int(&mut b, -1);
        cbor::uint(&mut b, 70_000);
        assert_eq!(b, [23, 24, 24, 25, 1, 0, 0x38, 24, 0x20, 26, 0, 1, 0x11, 0x70]);
    }
}
