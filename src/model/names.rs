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
    let lowered = match unicode_normalization::is_nfkc_quick(name.chars()) {
        unicode_normalization::IsNormalized::Yes => name.to_lowercase(),
        _ => name.nfkc().collect::<String>().to_lowercase(),
    };
    let key = without_honorifics(&lowered, |word| HONORIFICS.contains(&word));
    // Most names have neither an honorific nor extra spaces: the lowered name is the key,
    // with no more copies (registries key every name and alias on every resolve).
    if key.len() == lowered.len() && is_collapsed(key) { lowered } else { collapsed(key) }
}

/// The name as it should be displayed: whitespace collapsed, leading honorifics removed,
/// letter case kept (`Mr  Wang Luming` -> `Wang Luming`).
pub fn display_name(name: &str) -> String {
    // Honorifics are ASCII, and no other letter lowercases to one of theirs.
    let is_honorific = |word: &str| HONORIFICS.iter().any(|h| word.eq_ignore_ascii_case(h));
    collapsed(without_honorifics(name, is_honorific))
}

/// `text` from its first word that is not an honorific, but never without its last word.
fn without_honorifics(text: &str, is_honorific: impl Fn(&str) -> bool) -> &str {
    let mut rest = text.trim_start();
    while let Some(end) = rest.find(char::is_whitespace) {
        let after = rest[end..].trim_start();
        if after.is_empty() || !is_honorific(&rest[..end]) {
            break;
        }
        rest = after;
    }
    rest
}

/// Whether `text` has its words apart by single spaces, and no space around them.
fn is_collapsed(text: &str) -> bool {
    !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ')
}

/// The words of `text`, one space apart.
fn collapsed(text: &str) -> String {
    if is_collapsed(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

    /// The functions as they were written first: lowercase, split into words, drop
    /// leading honorifics but the last word, join.
    fn words_without_honorifics(words: Vec<&str>, lowered: &[String]) -> String {
        let mut first = 0;
        while words.len() - first > 1 && HONORIFICS.contains(&lowered[first].as_str()) {
            first += 1;
        }
        words[first..].join(" ")
    }

    fn key_as_first_written(name: &str) -> String {
        let normalised = name.nfkc().collect::<String>().to_lowercase();
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let lowered: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        words_without_honorifics(words, &lowered)
    }

    fn display_as_first_written(name: &str) -> String {
        let words: Vec<&str> = name.split_whitespace().collect();
        let lowered: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        words_without_honorifics(words, &lowered)
    }

    #[test]
    fn keys_and_display_names_are_those_of_the_plain_definition() {
        let names = [
            "",
            " ",
            "Dr",
            " Dr ",
            "Mr Dr",
            "Mr  Dr ",
            "MR. Wang\tLuming ",
            "\u{3000}Ms\u{a0}Ji Caiyun",
            "H.E.  Vladimir   Norov",
            "h.e Mrs. Dr. X",
            "Владимир Норов",
            "г-н Норов",
            "威海",
            "Mr",
            "Mrs.Smith",
            "Dr\nWho",
            "mr mr mr",
            "Wang Luming\u{2003}",
            "Ｍｒ Ｗａｎｇ",
            "ǅ Ǆ",
            "Kelvin \u{212a}",
            "İzmir  City",
        ];
        for name in names {
            assert_eq!(name_key(name), key_as_first_written(name), "{name:?}");
            assert_eq!(display_name(name), display_as_first_written(name), "{name:?}");
        }
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
