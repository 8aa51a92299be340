//! The errors after the first in YAML that parses but does not fit its type: serde stops
//! at the first error, so an author with three mistakes in a front matter would fix them
//! in three runs. To find the next error, the part of the text the last error is in (the
//! item of a top-level list, or else the whole top-level key) is blanked out, line by
//! line so that every later line keeps its number, and the text is parsed again.
//!
//! Blanking can only hide errors, never make one up, as long as what is reported is not
//! a consequence of the blanking: a required key blanked is "missing", a list whose last
//! item went is empty. So an error is reported only where nothing was blanked, and a
//! missing key that was blanked ends the search. The parts are found by lines, which
//! YAML does not always follow (a quoted value may go on at the margin), so after each
//! blanking the parser itself must read the text as the original's keys and values with
//! some taken away ([`Entries::within`]); when it does not (a line taken for a key that
//! was not one, an alias that now means another anchor, text that is no longer YAML),
//! the search ends.

use serde::de::DeserializeOwned;

/// How many errors of one text are looked for after the first.
const MOST: usize = 20;

/// The largest text searched for further errors: each is another parse of all of it, and
/// real front matter is a few kilobytes.
const LARGEST: usize = 256 * 1024;

/// An error found after the first: its 1-based line and column and its message (with
/// the path of the text as written: `figures[2]` stays the third figure after the first
/// was blanked).
#[derive(Debug)]
pub(super) struct Further {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// The errors of `yaml` as a `T` after `first` (its first), in the order found.
pub(super) fn errors<T: DeserializeOwned>(yaml: &str, first: &serde_yaml::Error) -> Vec<Further> {
    let mut last = Located::of(yaml, first);
    // A key missing is found once every other key has been read.
    if yaml.len() > LARGEST || missing_key(&last.message).is_some() {
        return Vec::new();
    }
    let Some(written) = Entries::of(yaml) else { return Vec::new() };
    let mut text = Blanked::new(yaml);
    let mut found = Vec::new();
    // Whether a top-level key was blanked for being unknown: it may be a missing one
    // misspelt (`titel`), which is then not reported missing.
    let mut misspelt = false;
    // The list items blanked, by key and number as written.
    let mut removed: Vec<(String, usize)> = Vec::new();
    while found.len() < MOST {
        let Some(part) = text.part_of(&last) else { break };
        // An anchor blanked may leave its aliases meaning an earlier anchor of the same
        // name, whose value can read the same to the parser and still be other text.
        if text.lines[part.start..part.end].iter().any(|line| line.contains('&')) {
            break;
        }
        misspelt |= part.whole && last.message.starts_with("unknown field `");
        if let Some((key, index)) = &part.item {
            removed.push((key.clone(), number_as_written(&removed, key, *index)));
        }
        text.blank(part);
        let now = text.joined();
        let Some(entries) = Entries::of(&now).filter(|entries| entries.within(&written)) else { break };
        let Err(error) = serde_yaml::from_str::<T>(&now) else { break };
        let located = Located::of(&now, &error);
        if let Some(key) = missing_key(&located.message) {
            let blanked = written.has(key) && !entries.has(key);
            if !blanked && !misspelt {
                found.push(as_written(&located, &removed));
            }
            break;
        }
        if !text.touched(located.line) {
            found.push(as_written(&located, &removed));
        }
        last = located;
    }
    found
}

/// The error `located` as the author wrote it: where its path counts list items, the
/// count of the text before any (`removed`) was blanked.
fn as_written(located: &Located, removed: &[(String, usize)]) -> Further {
    let mut message = located.message.clone();
    if let Some((key, Some(index))) = located.path() {
        let original = number_as_written(removed, key, index);
        message = format!("{key}[{original}]{}", &message[key.len() + format!("[{index}]").len()..]);
    }
    Further { line: located.line + 1, col: located.col, message }
}

/// The number as written of item `index` of top-level list `key` now, the items
/// `removed` being blanked.
fn number_as_written(removed: &[(String, usize)], key: &str, index: usize) -> usize {
    let gone = |n: &usize| removed.iter().any(|(k, r)| k == key && r == n);
    (0..).filter(|n| !gone(n)).nth(index).unwrap_or(index)
}

/// The top-level keys and values of a YAML mapping as the parser reads them, in order,
/// a key written twice kept twice.
struct Entries(Vec<(serde_yaml::Value, serde_yaml::Value)>);

impl Entries {
    /// The entries of `text`; nothing when it is not a YAML mapping.
    fn of(text: &str) -> Option<Entries> {
        serde_yaml::from_str(text).ok()
    }

    fn has(&self, key: &str) -> bool {
        self.count(key) > 0
    }

    fn count(&self, key: &str) -> usize {
        self.0.iter().filter(|(k, _)| k.as_str() == Some(key)).count()
    }

    /// Whether these entries (of a text after blanking) say nothing that `written`'s do
    /// not: each is one of `written`'s, in its order, with the same value or, for a
    /// list, some of its items in their order.
    fn within(&self, written: &Entries) -> bool {
        let mut rest = written.0.iter();
        self.0.iter().all(|(key, value)| rest.any(|(k, v)| k == key && (v == value || is_part_of(value, v))))
    }
}

/// Whether list `part` is list `whole` with some items taken away.
fn is_part_of(part: &serde_yaml::Value, whole: &serde_yaml::Value) -> bool {
    match (part.as_sequence(), whole.as_sequence()) {
        (Some(part), Some(whole)) => {
            let mut rest = whole.iter();
            part.iter().all(|item| rest.any(|w| w == item))
        }
        _ => false,
    }
}

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// What an error says and where: its 0-based line and 1-based column in the text (a
/// duplicate key's second line: [`super::error_line_col`]) and its message without the
/// location serde_yaml appends.
struct Located {
    line: usize,
    /// The 1-based column.
    col: usize,
    message: String,
}

impl Located {
    fn of(text: &str, error: &serde_yaml::Error) -> Located {
        let (line, col) = super::error_line_col(text, error);
        Located {
            line: line.saturating_sub(1),
            col,
            message: super::strip_location_suffix(&error.to_string()).to_string(),
        }
    }

    /// The top-level key the error's path starts with, and the index into that key's
    /// list when the path goes on into one: `figures[1].value: ...` is `("figures",
    /// Some(1))`, `date: ...` is `("date", None)`; nothing for an error without a path.
    fn path(&self) -> Option<(&str, Option<usize>)> {
        let (path, _) = self.message.split_once(": ")?;
        let key_end = path.find(['[', '.']).unwrap_or(path.len());
        let key = &path[..key_end];
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        let index =
            path[key_end..].strip_prefix('[').and_then(|rest| rest.split_once(']')).and_then(|(n, _)| n.parse().ok());
        Some((key, index))
    }
}

/// The key of a top-level "missing field" error.
fn missing_key(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

/// The text's lines, some blanked, and which.
struct Blanked<'a> {
    lines: Vec<&'a str>,
    blank: Vec<bool>,
    /// Lines whose meaning blanking changed without blanking them: the key of a list
    /// that lost an item.
    changed: Vec<usize>,
}

/// Lines `start..end` of the text: all of a top-level key (`whole`), or an item of its
/// list, under the key on line `parent`.
struct Part {
    start: usize,
    end: usize,
    whole: bool,
    parent: Option<usize>,
    /// For an item: its key and its number in the list now.
    item: Option<(String, usize)>,
}

impl<'a> Blanked<'a> {
    fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.split('\n').collect();
        Blanked { blank: vec![false; lines.len()], lines, changed: Vec::new() }
    }

    fn joined(&self) -> String {
        let shown = self.lines.iter().zip(&self.blank).map(|(line, blank)| if *blank { "" } else { line });
        shown.collect::<Vec<_>>().join("\n")
    }

    /// Whether line `line` was blanked or changed meaning.
    fn touched(&self, line: usize) -> bool {
        self.blank.get(line).copied().unwrap_or(false) || self.changed.contains(&line)
    }

    /// The part to blank for `error`: the item of its top-level list, or its top-level
    /// key; nothing when it is outside every key or all of its key is blank already.
    fn part_of(&self, error: &Located) -> Option<Part> {
        let (start, end) = self.entry_at(error.line)?;
        let key = key_of(self.lines[start])?;
        let whole = Part { start, end, whole: true, parent: None, item: None };
        if self.touched(error.line) {
            return Some(whole).filter(|_| !self.blank[start]);
        }
        let index = match error.path() {
            Some((path_key, Some(index))) if path_key == key => index,
            _ => return Some(whole),
        };
        let item =
            self.item(start, end, index, error.line).map(|part| Part { item: Some((key.to_string(), index)), ..part });
        Some(item.unwrap_or(whole))
    }

    /// Item `index` of the block list under the key of lines `start..end`, when it holds
    /// `line` and is not the list's last item left.
    fn item(&self, start: usize, end: usize, index: usize, line: usize) -> Option<Part> {
        let items = self.items(start, end);
        let left: Vec<usize> = items.iter().copied().filter(|i| !self.blank[*i]).collect();
        let item_start = *left.get(index)?;
        let item_end = items.iter().copied().find(|i| *i > item_start).unwrap_or(end);
        (item_start..item_end).contains(&line).then_some(())?;
        (left.len() > 1).then_some(Part {
            start: item_start,
            end: item_end,
            whole: false,
            parent: Some(start),
            item: None,
        })
    }

    /// The first lines of the items of the block list under the key of lines
    /// `start..end`, blanked or not; none when its list is not a block list.
    fn items(&self, start: usize, end: usize) -> Vec<usize> {
        let dash = |i: &usize| {
            let trimmed = self.lines[*i].trim_start();
            trimmed == "-" || trimmed.starts_with("- ")
        };
        let Some(first) = (start + 1..end).find(dash) else { return Vec::new() };
        let indent = indentation(self.lines[first]);
        (first..end).filter(|i| dash(i) && indentation(self.lines[*i]) == indent).collect()
    }

    /// The lines of the top-level key that line `line` belongs to.
    fn entry_at(&self, line: usize) -> Option<(usize, usize)> {
        let line = line.min(self.lines.len().saturating_sub(1));
        let start = (0..=line).rev().find(|i| key_of(self.lines[*i]).is_some())?;
        let end = (start + 1..self.lines.len()).find(|i| starts_entry(self.lines[*i])).unwrap_or(self.lines.len());
        Some((start, end))
    }

    fn blank(&mut self, part: Part) {
        self.blank[part.start..part.end].iter_mut().for_each(|b| *b = true);
        self.changed.extend(part.parent);
    }
}

/// Whether a line starts a new top-level key (or ends the one before: anything at the
/// margin but a comment or a list item).
fn starts_entry(line: &str) -> bool {
    indentation(line) == 0 && !line.is_empty() && !line.starts_with('#') && !line.starts_with('-')
}

/// The 1-based line where top-level key `key` is written a second time: the first line
/// that looks like the key where the parser, reading the text up to it and then with it,
/// goes from one such key to two (a line inside a quoted value is not read on its own);
/// looked for among the first few such lines of a text of ordinary size only.
pub(super) fn second_line_of(yaml: &str, key: &str) -> Option<usize> {
    // Each line tried is two more parses: a few, of a text of ordinary size.
    const TRIED: usize = 16;
    if yaml.len() > LARGEST {
        return None;
    }
    let lines: Vec<&str> = yaml.split('\n').collect();
    let count = |end: usize| Entries::of(&lines[..end].join("\n")).map(|entries| entries.count(key));
    (1..lines.len())
        .filter(|&i| key_of(lines[i]) == Some(key))
        .take(TRIED)
        .find(|&i| count(i) == Some(1) && count(i + 1) == Some(2))
        .map(|i| i + 1)
}

/// The key a top-level line starts, unquoted (`"title": x` is `title`).
fn key_of(line: &str) -> Option<&str> {
    if !starts_entry(line) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(['"', '\'']))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawReport;

    /// The line (1-based) and message of every error of `yaml` as a report.
    fn every_error(yaml: &str) -> Vec<(usize, String)> {
        let first = serde_yaml::from_str::<RawReport>(yaml).expect_err("a broken report");
        let further = errors::<RawReport>(yaml, &first);
        let first = Located::of(yaml, &first);
        let further = further.into_iter().map(|f| (f.line, f.message));
        std::iter::once((first.line + 1, first.message)).chain(further).collect()
    }

    fn lines(errors: &[(usize, String)]) -> Vec<usize> {
        errors.iter().map(|(line, _)| *line).collect()
    }

    #[test]
    fn every_broken_key_and_list_item_is_found_in_one_parse() {
        let yaml = "title: T\ndate: 2026-13-08\nofficials:\n  - A\n  - { nme: B }\n  - C\nfigures:\n  - { label: GDP, value: 5 }\n  - { label: Trade, value: lots }\n  - { label: X, value: many }\ntopics: [a, b]\ncolour: red\n";
        let errors = every_error(yaml);
        assert_eq!(lines(&errors), [2, 5, 9, 10, 12], "{errors:#?}");
        assert!(errors[0].1.starts_with("date: "), "{errors:#?}");
        assert!(errors[1].1.starts_with("officials[1]: unknown field `nme`"), "{errors:#?}");
        assert!(errors[2].1.starts_with("figures[1].value: "), "{errors:#?}");
        assert!(errors[3].1.starts_with("figures[2].value: "), "{errors:#?}");
        assert!(errors[4].1.starts_with("unknown field `colour`"), "{errors:#?}");
    }

    #[test]
    fn a_required_key_blanked_is_not_reported_missing_but_one_never_written_is() {
        assert_eq!(lines(&every_error("title: T\ndate: 2020-02-30\nofficials: [{ nme: A }]\n")), [2, 3]);
        let never_written = every_error("date: 2020-01-01\nofficials: [{ nme: A }]\n");
        assert_eq!(never_written.len(), 2, "{never_written:#?}");
        assert_eq!(never_written[1].1, "missing field `title`");
        assert_eq!(lines(&every_error("date: 2020-01-01\nsummary: S\n")), [1], "a missing key is the last error");
        let misspelt = every_error("titel: T\ndate: 2020-01-01\nslug: [x]\n");
        assert_eq!(lines(&misspelt), [1, 3], "an unknown key may be the missing one misspelt: {misspelt:#?}");
    }

    #[test]
    fn the_last_item_of_a_list_takes_its_key_with_it() {
        // Blanking the only item would leave `officials:` empty; the key goes whole, and
        // nothing is said of the empty list.
        let errors = every_error("title: T\ndate: 2020-01-01\nofficials:\n  - { nme: A }\ntopics: 5\n");
        assert_eq!(lines(&errors), [4, 5], "{errors:#?}");
    }

    #[test]
    fn blanking_that_breaks_the_yaml_ends_the_search() {
        // The anchor is defined in the broken key and used in the next one.
        let yaml = "title: T\ndate: 2020-01-01\nsummary: &s [x]\norganisation: *s\nslug: [y]\n";
        let errors = every_error(yaml);
        assert_eq!(lines(&errors), [3], "{errors:#?}");
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_second_line_and_the_search_goes_on() {
        let errors = every_error("title: T\ndate: 2020-01-01\nslug: a\ntitle: U\ncolour: red\n");
        assert_eq!(lines(&errors), [4, 5], "{errors:#?}");
        assert_eq!(errors[0].1, "duplicate field `title`");
        let in_a_string = "title: T\nsummary: \"met\ntitle: x\"\ndate: 2020-01-01\ntitle: U\n";
        assert_eq!(second_line_of(in_a_string, "title"), Some(5));
        assert_eq!(second_line_of("title: T\ntitle: U\n", "title"), Some(2));
        let anchored = "&a title: T\ndate: 2020-01-01\ntitle: U\nsummary: \"x\ntitle: y\"\n";
        assert_eq!(second_line_of(anchored, "title"), Some(3), "{anchored}");
    }

    #[test]
    fn blanking_that_changes_what_the_rest_means_ends_the_search() {
        // A quoted or bracketed value going on at the margin, whose next line looks like a key.
        assert_eq!(lines(&every_error("title: T\ndate: 2020-01-01\ndraft: \"yes\ntopics: x\"\n")), [3]);
        assert_eq!(lines(&every_error("title: T\ndate: 2020-01-01\ndraft: [yes,\ntopics: x]\n")), [3]);
        assert_eq!(every_error("{title: \"\",\ndate: 2020-01-01}\n").len(), 1);
        // An anchor defined twice: once the second goes, its alias means the first.
        let anchors = every_error("title: &v T\ndate: 2020-01-01\nsummary: &v [a]\ntopics: *v\n");
        assert_eq!(lines(&anchors), [3], "{anchors:#?}");
        // A quoted item going on at the margin of the list, like an item of its own.
        let items =
            every_error("title: T\ndate: 2020-01-01\nofficials:\n  - {nme: \"A\n  - x\"}\n  - B\n  - {nme: C}\n");
        assert!(items.iter().all(|(_, message)| !message.contains("officials[3]")), "{items:#?}");
    }

    #[test]
    fn an_anchor_is_never_blanked() {
        // With the date's anchor gone, the city would be named by the summary's, empty.
        let errors = every_error("summary: &n\ntitle: T\ndate: &n Null\ncities: [{name: *n}]\n");
        assert_eq!(lines(&errors), [3], "{errors:#?}");
    }

    #[test]
    fn items_alike_keep_their_own_numbers() {
        let errors =
            every_error("title: T\ndate: 2020-01-01\nofficials:\n  - {nme: Wang}\n  - {nme: Wang}\n  - {nme: Li}\n");
        let numbered: Vec<&str> = errors.iter().map(|(_, m)| &m[..12]).collect();
        assert_eq!(numbered, ["officials[0]", "officials[1]", "officials[2]"], "{errors:#?}");
    }

    #[test]
    fn keys_blanked_are_known_by_what_the_parser_reads() {
        // An anchor before the key, or a line break YAML sees and the lines do not.
        assert_eq!(lines(&every_error("&a title: \"\"\ndate: 2020-01-01\n")), [1]);
        assert_eq!(lines(&every_error("date: 2020-01-01\nsummary: S\u{2028}title: \"\"\n")), [2]);
    }

    #[test]
    fn lists_at_the_margin_and_quoted_keys_are_parts_like_any() {
        let yaml = "\"title\": T\ndate: 2020-01-01\nfigures:\n- { label: A, value: x }\n- { label: B, value: 1 }\n- { label: C, value: y }\n";
        assert_eq!(lines(&every_error(yaml)), [4, 6]);
    }
}
