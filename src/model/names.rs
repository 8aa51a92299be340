//! Identity and slugs for names of people, cities, countries and topics.
//!
//! Two spellings are the same entity when their [`name_key`]s are equal: Unicode NFKC,
//! lowercase, collapsed whitespace, honorifics (Mr, Ms, Mrs, Dr, H.E.) removed. Slugs are
//! transliterated ASCII, lowercase and hyphenated, so they are always safe path segments.

use unicode_normalization::UnicodeNormalization;

use crate::diag::{Message, msg};

const HONORIFICS: &[&str] = &["mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "h.e.", "h.e"];

/// The identity key of a name: equal keys mean the same entity.
pub fn name_key(name: &str) -> String {
    // Most names are already in NFKC (a quick check says so): normalising them again
    // would only copy them, and every official and city of every report is keyed.
    let normalised = match unicode_normalization::is_nfkc_quick(name.chars()) {
        unicode_normalization::IsNormalized::Yes => name.to_lowercase(),
        _ => name.nfkc().collect::<String>().to_lowercase(),
    };
    let words: Vec<&str> = normalised.split_whitespace().collect();
    strip_honorifics(&words).join(" ")
}

/// The name as it should be displayed: whitespace collapsed, leading honorifics removed,
/// letter case kept (`Mr  Wang Luming` -> `Wang Luming`).
pub fn display_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let lowered: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lowered_refs: Vec<&str> = lowered.iter().map(String::as_str).collect();
    let kept = strip_honorifics(&lowered_refs).len();
    words[words.len() - kept..].join(" ")
}

/// Drops leading honorific words, but never the whole name.
fn strip_honorifics<'a, 'b>(words: &'b [&'a str]) -> &'b [&'a str] {
    let mut rest = words;
    while rest.len() > 1 && HONORIFICS.contains(&rest[0]) {
        rest = &rest[1..];
    }
    rest
}

/// A transliterated ASCII slug: `Норов` -> `norov`, `威海` -> `wei-hai`. Empty when the
/// name has no letters or digits that transliterate.
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// The longest URL slug (in bytes). A slug is a folder name on disk, and file systems
/// refuse names over 255 bytes; a longer one would fail only when the build writes it,
/// without pointing at the name that caused it (and `check` would pass).
pub const MAX_SLUG_LEN: usize = 200;

/// The error for a slug over [`MAX_SLUG_LEN`] (`what` names it: `slug`, `the slug made
/// from this file name`), or `None` when it fits.
pub fn slug_too_long(what: &str, slug: &str) -> Option<Message> {
    (slug.len() > MAX_SLUG_LEN)
        .then(|| msg!("{what} is {} characters long; it may be at most {MAX_SLUG_LEN}", slug.len()))
}

/// Whether a slug an author wrote is a safe, single URL segment.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && !slug.contains("..")
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_whitespace_and_honorifics() {
        assert_eq!(name_key("Mr Wang Luming"), name_key("wang  luming"));
        assert_eq!(name_key("H.E. Vladimir Norov"), name_key("Vladimir Norov"));
        assert_eq!(name_key("Ms. Ji Caiyun"), "ji caiyun");
        assert_ne!(name_key("Wang Luming"), name_key("Wang Lu-ming"));
    }

    #[test]
    fn keys_normalise_unicode() {
        // "é" precomposed vs "e" + combining acute; full-width letters.
        assert_eq!(name_key("Andr\u{e9}"), name_key("Andre\u{301}"));
        assert_eq!(name_key("ＷＥＩＨＡＩ"), name_key("Weihai"));
    }

    #[test]
    fn honorific_alone_is_a_name() {
        assert_eq!(name_key("Dr"), "dr");
        assert_eq!(display_name("Dr"), "Dr");
    }

    #[test]
    fn display_keeps_case_and_drops_honorific() {
        assert_eq!(display_name("Mr  Wang Luming"), "Wang Luming");
        assert_eq!(display_name("Ji Caiyun"), "Ji Caiyun");
    }

    #[test]
    fn slugs_are_transliterated_ascii() {
        assert_eq!(slugify("Владимир Норов"), "vladimir-norov");
        assert_eq!(slugify("Норов"), "norov");
        assert_eq!(slugify("威海"), "wei-hai");
        assert_eq!(slugify("İzmir"), "izmir");
        assert_eq!(slugify("Xi'an"), "xi-an");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn author_slugs_must_be_single_safe_segments() {
        assert!(is_valid_slug("weihai-meeting"));
        assert!(!is_valid_slug("../x"));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug("Weihai"));
        assert!(!is_valid_slug(""));
    }
}
