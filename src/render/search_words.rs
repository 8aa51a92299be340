//! What a word of a search record is indexed under, and the hash that names index files:
//! Pagefind 1.6.0's own functions, copied so that communique's index writer
//! ([`super::search_index`]) depends only on published crates. The published `pagefind`
//! crate keeps them private, and the index must hold exactly the words Pagefind's would
//! (its browser code looks words up as Pagefind stores them; a test compares the files).
//!
//! Where each piece comes from, in the `pagefind` 1.6.0 crate on crates.io:
//! - [`IndexableWord`], [`get_indexable_words`], [`get_dotted_tails`] and their helpers
//!   (`normalize_word`, `stem_word`, `katakana_suffixes`, `normalize_diacritics`,
//!   `get_discrete_words`): `src/fossick/splitting.rs`, unchanged but for two pieces of
//!   `get_indexable_words` moved into functions of their own (`compound_parts`,
//!   `katakana_parts`), `std` sets and `LazyLock` in place of `hashbrown` and
//!   `lazy_static`. With them the pairs of grapheme clusters (`get_indexable_bigrams`,
//!   `cross_pair`, `pair_bigrams`, `is_segmented_cluster`), which Pagefind's `extended`
//!   build indexes for segmented languages; `get_indexable_cross_bigram` is
//!   [`Words::cross_bigram`] without its check against the word's own keys, which the
//!   index writer makes on the keys it has cached.
//! - [`segment_words`] and which languages are segmented ([`Words::is_segmented`]):
//!   `src/fossick/mod.rs` of the `extended` build, with one segmenter for every run and
//!   each breakpoint checked for a cluster boundary on its own (faster, the same words). Chinese, Japanese and Thai have no
//!   spaces between words, so each run of text is split with ICU4X's dictionary
//!   segmenter, as the browser's `Intl.Segmenter` splits a query in these languages.
//! - [`stemmer`]: `get_stemmer` in `src/fossick/mod.rs` (the language codes Pagefind
//!   stems, with its own `pagefind_stem` crate).
//! - [`WORD_SYMBOLS`] and [`full_hash`]: `src/utils.rs`.
//!
//! Pagefind is MIT licensed: Copyright (c) 2022 CloudCannon. Permission is hereby
//! granted, free of charge, to any person obtaining a copy of this software and associated
//! documentation files (the "Software"), to deal in the Software without restriction,
//! including without limitation the rights to use, copy, modify, merge, publish,
//! distribute, sublicense, and/or sell copies of the Software, and to permit persons to
//! whom the Software is furnished to do so, subject to the following conditions: The above
//! copyright notice and this permission notice shall be included in all copies or
//! substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY
//! OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
//! MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL
//! THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
//! WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
//! CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
//!
//! To move to a newer Pagefind, compare these functions with its `splitting.rs`,
//! `get_stemmer` and `utils.rs` and copy what changed; the oracle test in
//! [`super::search_index`] fails until they match.

use std::collections::HashSet;
use std::fmt::Write;
use std::sync::LazyLock;

use convert_case::{Case, Casing};
use icu_segmenter::WordSegmenter;
use pagefind_stem::{Algorithm, Stemmer};
use regex::Regex;
use sha1::{Digest, Sha1};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

const MAX_KATAKANA_SUFFIX_CHARS: usize = 16;
const MAX_DOTTED_TAIL_CHARS: usize = 64;

static EMOJI: LazyLock<Regex> = LazyLock::new(|| Regex::new("\\p{Emoji}").expect("a valid pattern"));

/// Symbols that count as part of a word (the "Punctuation, Connector" Unicode category).
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// How words of one language are indexed: its stemmer and the characters that count as
/// part of a word (Pagefind's defaults).
pub struct Words {
    stemmer: Option<Stemmer>,
    include_characters: Vec<char>,
    segmented: bool,
}

impl Words {
    /// The words of `language` (`en`, `de`, ...: the part before any `-`).
    pub fn new(language: &str) -> Self {
        Self {
            stemmer: stemmer(language),
            include_characters: WORD_SYMBOLS.to_vec(),
            segmented: matches!(language.split('-').next().unwrap_or_default(), "zh" | "ja" | "th"),
        }
    }

    /// Whether the content of this language's pages is split into words with
    /// [`segment_words`] (Chinese, Japanese, Thai: Pagefind's `extended` list, and the
    /// languages whose queries its browser code splits with `Intl.Segmenter`).
    pub fn is_segmented(&self) -> bool {
        self.segmented
    }

    /// What a word of a page's content (whitespace-separated, or a segment of such a run
    /// in a segmented language) is indexed under, as Pagefind's `fossick` indexes it: the
    /// normalised and stemmed word, its compound parts, the tails after dots and, when
    /// segmented, the pairs of adjacent clusters of a segmented script.
    pub fn content_terms(&self, raw_word: &str) -> Vec<IndexableWord> {
        let mut words = get_indexable_words(raw_word, self.stemmer.as_ref(), &self.include_characters);
        let tails = get_dotted_tails(raw_word, self.stemmer.as_ref(), &self.include_characters, &words);
        words.extend(tails);
        if self.segmented {
            let bigrams = get_indexable_bigrams(raw_word, self.stemmer.as_ref(), &words);
            words.extend(bigrams);
        }
        words
    }

    /// The pair of clusters spanning the boundary between a segment ending in
    /// `previous_cluster` and the segment `raw_word` after it, when both are of a
    /// segmented script. Pagefind indexes it (as a compound part) against the segment
    /// before, unless `raw_word` is already indexed under it.
    pub fn cross_bigram(&self, raw_word: &str, previous_cluster: &str) -> Option<IndexableWord> {
        let mut pair = String::new();
        self.write_cross_pair(raw_word, previous_cluster, &mut pair).then(|| self.pair_term(&pair))
    }

    /// Writes into `pair` (emptied first) the pair of clusters [`Words::cross_bigram`]
    /// indexes, without indexing it: false, and `pair` empty, when there is none. The
    /// index writer looks the pair up among those it has met before making its term.
    pub fn write_cross_pair(&self, raw_word: &str, previous_cluster: &str, pair: &mut String) -> bool {
        pair.clear();
        if let Some(bigram) = cross_pair_parts(raw_word, Some(previous_cluster)) {
            pair.push_str(bigram.0);
            pair.push_str(bigram.1);
        }
        !pair.is_empty()
    }

    /// What a pair of clusters written by [`Words::write_cross_pair`] is indexed under.
    pub fn pair_term(&self, pair: &str) -> IndexableWord {
        stem_word(pair, self.stemmer.as_ref(), true)
    }

    /// What a word of a metadata value (a title) is indexed under: the same without the
    /// dotted tails, as `fossick` indexes metadata.
    pub fn meta_terms(&self, raw_word: &str) -> Vec<IndexableWord> {
        get_indexable_words(raw_word, self.stemmer.as_ref(), &self.include_characters)
    }
}

/// Segment a run of text into words, for languages that
/// don't reliably delimit words with whitespace.
/// ICU4X agrees (ish) with the browser's `Intl.Segmenter` (ICU4C),
/// which is going to segment the user's search query.
pub fn segment_words(input: &str) -> impl Iterator<Item = &str> {
    // Where its dictionary finds no match, ICU4X can break between a base
    // character and a mark that belongs to it, splitting Thai วิกิพีเดีย as
    // วิ|กิพ|ี|เดีย. A word can't start with a dangling vowel or tone mark, so
    // breakpoints inside a grapheme cluster are dropped
    let mut start = 0;
    SEGMENTER.segment_str(input).skip(1).filter(move |&end| end == input.len() || is_grapheme_boundary(input, end)).map(
        move |end| {
            let word = &input[start..end];
            start = end;
            word
        },
    )
}

/// The dictionary segmenter [`segment_words`] splits with, made once (Pagefind makes one
/// per run of text; the segments are the same).
static SEGMENTER: LazyLock<icu_segmenter::WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(Default::default()));

/// Whether byte `at` of `text` starts an extended grapheme cluster: asked of each
/// breakpoint alone, where Pagefind walks every cluster of the run (the same answer).
fn is_grapheme_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    if let (Some(before), Some(after)) = (before, after)
        && stands_alone(before)
        && stands_alone(after)
    {
        return true;
    }
    unicode_segmentation::GraphemeCursor::new(at, text.len(), true).is_boundary(text, 0).unwrap_or(true)
}

/// Whether a grapheme cluster always ends before and begins after `c` when its neighbour
/// is such a character too: printable ASCII and the CJK ideographs, the commonest
/// characters of segmented text (Grapheme_Cluster_Break `Other`, neither a prefix, a
/// mark nor a pictograph). Asking this first spares the full rules for most breakpoints.
fn stands_alone(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7E | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// The first grapheme cluster of `text`.
pub fn first_cluster(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let first = chars.next()?;
    if stands_alone(first) && chars.next().is_none_or(stands_alone) {
        return Some(&text[..first.len_utf8()]);
    }
    text.graphemes(true).next()
}

/// The last grapheme cluster of `text`.
pub fn last_cluster(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let last = chars.next_back()?;
    if stands_alone(last) && chars.next_back().is_none_or(stands_alone) {
        return Some(&text[text.len() - last.len_utf8()..]);
    }
    text.graphemes(true).next_back()
}

/// The SHA-1 of `bytes` in hexadecimal as Pagefind names files with it (each byte without
/// a leading zero, so the length varies).
pub fn full_hash(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(40);
    for byte in Sha1::digest(bytes) {
        write!(hex, "{byte:x}").expect("writing to a String");
    }
    hex
}

/// Whether Pagefind stems words of `language` (and ships WebAssembly that does in the
/// browser).
#[cfg(test)]
pub(super) fn stems(language: &str) -> bool {
    stemmer(language).is_some()
}

/// The stemmer Pagefind uses for `language`, if it stems that language.
fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language.split('-').next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// One key a word is indexed under.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexableWord {
    pub stemmed: String,
    pub is_compound_part: bool,
    /// The original word before diacritic normalization (if different)
    pub original: Option<String>,
}

/// Returns all words that should be indexed for a given input word.
/// This includes:
/// - The primary normalized+stemmed word
/// - Compound word parts (for hyphenated/camelCase/etc words)
/// - Emoji characters
fn get_indexable_words(raw_word: &str, stemmer: Option<&Stemmer>, include_characters: &[char]) -> Vec<IndexableWord> {
    let mut results = Vec::new();

    let normalized_word = normalize_word(raw_word, include_characters);

    if !normalized_word.is_empty() {
        results.push(stem_word(&normalized_word, stemmer, false));
    }

    results.extend(katakana_parts(raw_word));

    let possibly_compound =
        raw_word.chars().any(|c| !c.is_alphanumeric()) || raw_word.chars().skip(1).any(|c| c.is_uppercase());

    if !possibly_compound {
        return results;
    }

    let (word_parts, extras) = get_discrete_words(raw_word);
    if !normalized_word.is_empty()
        && (word_parts.contains(|c: char| c.is_whitespace()) || !normalized_word.starts_with(&word_parts))
    {
        results.extend(compound_parts(&word_parts, stemmer));
    }

    if let Some(extras) = extras {
        for extra in extras {
            results.push(IndexableWord { stemmed: extra, original: None, is_compound_part: false });
        }
    }

    results
}

/// The katakana suffixes of `raw_word` as compound parts (a piece of
/// `get_indexable_words`).
fn katakana_parts(raw_word: &str) -> impl Iterator<Item = IndexableWord> + '_ {
    katakana_suffixes(raw_word).into_iter().map(|suffix| {
        let suffix_diacritic = normalize_diacritics(suffix);
        IndexableWord {
            stemmed: suffix_diacritic.clone().unwrap_or_else(|| suffix.to_string()),
            original: suffix_diacritic.map(|_| suffix.to_string()),
            is_compound_part: true,
        }
    })
}

/// The parts of a compound word (`word_parts`, separated by spaces) as compound parts
/// (a piece of `get_indexable_words`).
fn compound_parts<'a>(word_parts: &'a str, stemmer: Option<&'a Stemmer>) -> impl Iterator<Item = IndexableWord> + 'a {
    // Only index two+ character words
    word_parts.split_whitespace().filter(|w| w.len() > 1).map(move |part_word| {
        let part_diacritic = normalize_diacritics(part_word);

        let stemmed_part = if let Some(stemmer) = stemmer {
            stemmer.stem(part_diacritic.as_deref().unwrap_or(part_word)).into_owned()
        } else {
            part_diacritic.clone().unwrap_or_else(|| part_word.to_string())
        };

        IndexableWord {
            stemmed: stemmed_part,
            original: part_diacritic.map(|_| part_word.to_string()),
            is_compound_part: true,
        }
    })
}

/// Pulling out a useful compound word from a dot-segmented word,
/// so that we index the `is_python_build` in `sysconfig.is_python_build`
/// without completely decomposing it.
fn get_dotted_tails(
    raw_word: &str,
    stemmer: Option<&Stemmer>,
    include_characters: &[char],
    existing: &[IndexableWord],
) -> Vec<IndexableWord> {
    let mut tails = Vec::new();
    if !raw_word.contains('.') {
        return tails;
    }
    let seen: HashSet<&str> = existing.iter().map(|w| w.stemmed.as_str()).collect();
    let mut seen_tails: HashSet<String> = HashSet::new();
    for (i, _) in raw_word.match_indices('.') {
        let rest = &raw_word[i + 1..];
        let tail = match rest.char_indices().nth(MAX_DOTTED_TAIL_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        let tail_is_compound =
            tail.chars().any(|c| !c.is_alphanumeric()) || tail.chars().skip(1).any(|c| c.is_uppercase());
        if !tail_is_compound {
            // A plain tail is already indexed, as the final compound part.
            continue;
        }
        let tail_normalized = normalize_word(tail, include_characters);
        if tail_normalized.chars().count() < 2 {
            continue;
        }
        let tail_word = stem_word(&tail_normalized, stemmer, true);
        if !seen.contains(tail_word.stemmed.as_str()) && seen_tails.insert(tail_word.stemmed.clone()) {
            tails.push(tail_word);
        }
    }
    tails
}

/// Returns the words to index for the pairs of adjacent grapheme clusters of a
/// segment, for pages in a language that is segmented into words.
fn get_indexable_bigrams(raw_word: &str, stemmer: Option<&Stemmer>, existing: &[IndexableWord]) -> Vec<IndexableWord> {
    let mut seen: HashSet<String> = existing.iter().map(|w| w.stemmed.clone()).collect();
    let mut bigrams = Vec::new();
    for bigram in pair_bigrams(raw_word, None) {
        let bigram = stem_word(&bigram, stemmer, true);
        if seen.insert(bigram.stemmed.clone()) {
            bigrams.push(bigram);
        }
    }
    bigrams
}

fn is_segmented_cluster(cluster: &str) -> bool {
    matches!(
        cluster.chars().next().map(u32::from),
        Some(
            0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x2FA1F
            | 0x30000..=0x323AF
            | 0x3041..=0x30FF
            | 0x31F0..=0x31FF
            | 0xFF66..=0xFF9F
            | 0x0E00..=0x0EFF
            | 0x1000..=0x109F
            | 0x1780..=0x17FF,
        )
    )
}

/// The pair of grapheme clusters spanning the boundary between
/// `previous_cluster` and the start of `word`, if both sides of the boundary are
/// in a segmented script.
fn cross_pair(word: &str, previous_cluster: Option<&str>) -> Option<String> {
    let (previous, first) = cross_pair_parts(word, previous_cluster)?;
    let mut bigram = String::with_capacity(previous.len() + first.len());
    bigram.push_str(previous);
    bigram.push_str(first);
    Some(bigram)
}

/// The two clusters of [`cross_pair`], not yet joined.
fn cross_pair_parts<'a>(word: &'a str, previous_cluster: Option<&'a str>) -> Option<(&'a str, &'a str)> {
    let previous = previous_cluster.filter(|c| is_segmented_cluster(c))?;
    let first = first_cluster(word)?;
    is_segmented_cluster(first).then_some((previous, first))
}

/// Index every pair of adjacent grapheme clusters in a segment, including the
/// pair that spans the boundary from `previous_cluster`.
fn pair_bigrams(word: &str, previous_cluster: Option<&str>) -> Vec<String> {
    let mut bigrams: Vec<String> = cross_pair(word, previous_cluster).into_iter().collect();
    // The pair spanning the boundary, if any, was the first one
    let mut previous: Option<&str> = None;
    for cluster in word.graphemes(true) {
        if !is_segmented_cluster(cluster) {
            previous = None;
            continue;
        }
        if let Some(previous) = previous {
            let mut bigram = String::with_capacity(previous.len() + cluster.len());
            bigram.push_str(previous);
            bigram.push_str(cluster);
            bigrams.push(bigram);
        }
        previous = Some(cluster);
    }
    bigrams
}

fn normalize_word(raw_word: &str, include_characters: &[char]) -> String {
    let mut normalized_word = String::with_capacity(raw_word.len());
    for mut c in raw_word.chars() {
        let is_alpha = c.is_alphanumeric();
        if is_alpha || include_characters.contains(&c) {
            c.make_ascii_lowercase();
            if c.is_uppercase() {
                // Non-ascii uppercase can lower to multiple chars
                normalized_word.extend(c.to_lowercase());
            } else {
                normalized_word.push(c);
            }
        }
    }
    normalized_word
}

fn stem_word(normalized_word: &str, stemmer: Option<&Stemmer>, is_compound_part: bool) -> IndexableWord {
    let diacritic_normalized = normalize_diacritics(normalized_word);

    let stemmed = if let Some(stemmer) = stemmer {
        stemmer.stem(diacritic_normalized.as_deref().unwrap_or(normalized_word)).into_owned()
    } else {
        diacritic_normalized.clone().unwrap_or_else(|| normalized_word.to_string())
    };

    IndexableWord { stemmed, original: diacritic_normalized.map(|_| normalized_word.to_string()), is_compound_part }
}

/// True for the characters ICU4X (currently) leaves in an unsegmented run: katakana,
/// the prolonged sound mark, and their halfwidth forms.
fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA | 0x30FC..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// ICU4X's dictionary (currently) has no katakana entries.
/// Indexing every suffix is a cheap hack for now, so the existing prefix
/// matching resolves a query for substrings.
///
/// Tracking: https://github.com/unicode-org/icu4x/issues/2239
fn katakana_suffixes(word: &str) -> Vec<&str> {
    if word.chars().count() < 3 || !word.chars().all(is_katakana) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut suffixes = Vec::new();
    for (i, _) in word.char_indices().skip(1) {
        let rest = &word[i..];
        let suffix = match rest.char_indices().nth(MAX_KATAKANA_SUFFIX_CHARS) {
            Some((end, _)) => &rest[..end],
            None => rest,
        };
        // Skip duplicate suffixes
        if suffix.chars().count() >= 2 && seen.insert(suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes
}

/// Normalize diacritics, if required, before indexing
/// (context: we index "café" as "cafe" for retrieval purposes,
/// but we do still store each variant in the index,
/// so matching diacritics are preferred when ranking search results)
fn normalize_diacritics(word: &str) -> Option<String> {
    if word.is_ascii() || !has_decomposition(word) {
        return None;
    }

    // The kana voiced/semi-voiced sound marks are combining marks, but they
    // distinguish words, so they are kept
    let stripped: String = word
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c) || matches!(*c, '\u{3099}' | '\u{309A}'))
        .collect();

    // Recompose when kana voiced/semi-voiced sound marks survived,
    // otherwise we conflate バンド ("band") and ハンド ("hand").
    // Leave everything else decomposed for better search, for example in Hangul,
    // jamo are letters rather than combining marks. Composing them into syllable
    // blocks would stop a partially-typed syllable being a prefix of the indexed word
    let normalized = if stripped.chars().any(|c| matches!(c, '\u{3099}' | '\u{309A}')) {
        stripped.nfc().collect::<String>()
    } else {
        stripped
    };

    if normalized != word { Some(normalized) } else { None }
}

fn has_decomposition(word: &str) -> bool {
    word.chars().any(|c| {
        unicode_normalization::char::is_combining_mark(c) || {
            let mut decomposes = false;
            unicode_normalization::char::decompose_canonical(c, |part| {
                decomposes = decomposes || part != c;
            });
            decomposes
        }
    })
}

fn get_discrete_words<S: AsRef<str>>(s: S) -> (String, Option<Vec<String>>) {
    let mut extras = None;

    let words = s
        .as_ref()
        .replace(|c: char| c.is_ascii_punctuation(), " ")
        .to_case(Case::Lower)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");

    if EMOJI.is_match(s.as_ref()) {
        extras = Some(
            s.as_ref()
                .graphemes(true)
                .filter_map(|x| if emojis::get(x).is_some() { Some(x.to_string()) } else { None })
                .collect::<Vec<_>>(),
        );
    }

    (words, extras)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few of Pagefind's own tests of these functions (`splitting.rs`); the oracle test
    /// in `search_index` compares whole indexes.
    #[test]
    fn compound_words_are_indexed_whole_and_by_part() {
        let words = Words::new("en");
        let stemmed = |w: &str| words.meta_terms(w).into_iter().map(|w| w.stemmed).collect::<Vec<_>>();
        for compound in ["ThreeAntelopes", "three-antelopes"] {
            assert_eq!(stemmed(compound), ["threeantelop", "three", "antelop"], "{compound}");
        }
        // `_` is a word character (WORD_SYMBOLS), so it stays in the whole word.
        assert_eq!(stemmed("three_antelopes"), ["three_antelop", "three", "antelop"]);
        let french = Words::new("fr").meta_terms("café-crème");
        assert_eq!(french[0].original.as_deref(), Some("cafécrème"));
        assert_eq!(french.iter().map(|w| w.stemmed.as_str()).collect::<Vec<_>>(), ["cafecrem", "caf", "crem"]);
        assert_eq!(get_discrete_words("WKWebVIEWComponent"), ("wk web view component".into(), None));
    }

    /// Chinese runs are split into words (a transliterated name into its characters), each
    /// indexed with the pairs of characters inside it; the pair across a boundary is
    /// indexed too (on the word before: `search_index` does that).
    #[test]
    fn chinese_text_is_indexed_by_its_words_and_pairs_of_characters() {
        let segments: Vec<&str> = segment_words("弗拉基米尔·诺罗夫在威海会谈中会见了马立新。").collect();
        assert_eq!(
            segments,
            [
                "弗", "拉", "基", "米", "尔", "·", "诺", "罗", "夫", "在", "威海", "会谈", "中", "会见", "了", "马",
                "立", "新", "。"
            ]
        );
        let words = Words::new("zh");
        assert!(words.is_segmented() && Words::new("ja-JP").is_segmented() && !Words::new("en").is_segmented());
        let terms =
            |w: &str| words.content_terms(w).into_iter().map(|w| (w.stemmed, w.is_compound_part)).collect::<Vec<_>>();
        assert_eq!(terms("会谈"), [("会谈".to_string(), false)]);
        assert_eq!(
            terms("威海会谈"),
            [("威海会谈".into(), false), ("威海".into(), true), ("海会".into(), true), ("会谈".into(), true)]
        );
        let cross = |w: &str, before: &str| words.cross_bigram(w, before).map(|w| w.stemmed);
        assert_eq!(cross("罗", "诺").as_deref(), Some("诺罗"));
        assert_eq!(cross("诺", "·"), None, "a boundary next to punctuation is no pair");
        // Languages written with spaces keep their words whole.
        let english = Words::new("en").content_terms("威海会谈");
        assert_eq!(english.iter().map(|w| w.stemmed.as_str()).collect::<Vec<_>>(), ["威海会谈"]);
    }

    #[test]
    fn a_breakpoint_inside_a_cluster_is_no_boundary() {
        // วิ is one cluster: the consonant ว (3 bytes) and the vowel sign ิ above it.
        let text = "วิกิ";
        assert!(is_grapheme_boundary(text, 0) && is_grapheme_boundary(text, 6));
        assert!(!is_grapheme_boundary(text, 3) && !is_grapheme_boundary(text, 9));
        assert!(is_grapheme_boundary("👍🏽a", "👍🏽".len()) && !is_grapheme_boundary("👍🏽a", 4));
    }

    #[test]
    fn the_quick_cluster_answers_agree_with_the_full_rules() {
        // Characters that stand alone, and neighbours that join them: a combining accent,
        // a variation selector, an ideographic tone mark, a zero-width joiner, an emoji
        // and its skin tone, a prefix (Arabic number sign), CR LF, a Thai vowel sign.
        let chars = [
            'a', ' ', '~', '威', '㐀', '\u{0301}', '\u{FE00}', '\u{302A}', '\u{200D}', '👍', '🏽', '\u{0600}', '\r',
            '\n', 'ิ', 'ก', '。',
        ];
        let mut texts = Vec::new();
        for a in chars {
            for b in chars {
                for c in chars {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        for text in &texts {
            assert_eq!(first_cluster(text), text.graphemes(true).next(), "{text:?}");
            assert_eq!(last_cluster(text), text.graphemes(true).next_back(), "{text:?}");
            for (at, _) in text.char_indices() {
                let full = unicode_segmentation::GraphemeCursor::new(at, text.len(), true).is_boundary(text, 0);
                assert_eq!(is_grapheme_boundary(text, at), full.unwrap_or(true), "{text:?} at {at}");
            }
        }
    }

    #[test]
    fn file_hashes_drop_each_bytes_leading_zero() {
        // SHA-1 of "abc": a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d
        assert_eq!(full_hash(b"abc"), "a9993e36476816aba3e25717850c26c9cd0d89d");
    }
}
