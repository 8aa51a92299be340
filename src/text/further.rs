//! The errors after the first in YAML that parses but does not fit its type: serde stops
//! at the first error, so an author with three mistakes in a front matter would fix them
//! in three runs. To find the next error, the part of the text the last error is in (the
//! item of a top-level list, or else the whole top-level key) is blanked out, line by
//! line so that every later line keeps its number, and the text is parsed again.
//!
//! Blanking can only hide errors, never make one up, as long as what is reported is not
//! a consequence of the blanking: a required key blanked is "missing", a list whose last
//! item went is empty. So an error is reported only where nothing was blanked, a missing
//! key that was blanked ends the search, and so does text that is no longer YAML (an
//! anchor blanked with its key).

use serde::de::DeserializeOwned;

/// How many errors of one text are looked for after the first.
const MOST: usize = 20;

/// What [`Blanked::blanked_keys`] notes for a top-level key blanked for being unknown.
const MISSPELT: &str = "`unknown`";

/// The largest text searched for further errors: each is another parse of all of it, and
/// real front matter is a few kilobytes.
const LARGEST: usize = 256 * 1024;

/// Whether `text` is YAML (whatever it holds: a mapping with a key written twice is).
fn is_yaml(text: &str) -> bool {
    serde_yaml::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

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
    if yaml.len() > LARGEST || !is_yaml(yaml) {
        return Vec::new();
    }
    let mut text = Blanked::new(yaml);
    let mut found = Vec::new();
    let mut last = Located::of(yaml, first);
    // A key missing is found once every other key has been read.
    if missing_key(&last.message).is_some() {
        return Vec::new();
    }
    while found.len() < MOST {
        let Some(mut part) = text.part_of(&last) else { break };
        if last.message.starts_with("unknown field `") && part.key.is_some() {
            part.key = Some(MISSPELT.to_string());
        }
        text.blank(part);
        let now = text.joined();
        if !is_yaml(&now) {
            break;
        }
        let Err(error) = serde_yaml::from_str::<T>(&now) else { break };
        let located = Located::of(&now, &error);
        if let Some(key) = missing_key(&located.message) {
            // A key blanked for being unknown may be this one misspelt (`titel`).
            if !text.blanked_keys.iter().any(|k| k == key || k == MISSPELT) {
                found.push(text.as_written(&now, &error, &located));
            }
            break;
        }
        if !text.touched(located.line) {
            found.push(text.as_written(&now, &error, &located));
        }
        last = located;
    }
    found
}

/// What an error says and where: its 0-based line in the text and its message without
/// the location serde_yaml appends.
struct Located {
    line: usize,
    message: String,
}

impl Located {
    fn of(text: &str, error: &serde_yaml::Error) -> Located {
        let line = super::error_line_col(text, error).0.saturating_sub(1);
        Located { line, message: super::strip_location_suffix(&error.to_string()).to_string() }
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
    /// The top-level keys blanked whole ([`MISSPELT`] for an unknown one): a required
    /// one among them is missing because of the blanking.
    blanked_keys: Vec<String>,
}

/// Lines `start..end` of the text, and the top-level key they are all of (when they
/// are).
struct Part {
    start: usize,
    end: usize,
    key: Option<String>,
    parent: Option<usize>,
}

impl<'a> Blanked<'a> {
    fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.split('\n').collect();
        Blanked { blank: vec![false; lines.len()], lines, changed: Vec::new(), blanked_keys: Vec::new() }
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
        let whole = Part { start, end, key: Some(key.to_string()), parent: None };
        if self.touched(error.line) {
            return Some(whole).filter(|_| !self.blank[start]);
        }
        let index = match error.path() {
            Some((path_key, Some(index))) if path_key == key => index,
            _ => return Some(whole),
        };
        Some(self.item(start, end, index, error.line).unwrap_or(whole))
    }

    /// Item `index` of the block list under the key of lines `start..end`, when it holds
    /// `line` and is not the list's last item left.
    fn item(&self, start: usize, end: usize, index: usize, line: usize) -> Option<Part> {
        let items = self.items(start, end);
        let left: Vec<usize> = items.iter().copied().filter(|i| !self.blank[*i]).collect();
        let item_start = *left.get(index)?;
        let item_end = items.iter().copied().find(|i| *i > item_start).unwrap_or(end);
        (item_start..item_end).contains(&line).then_some(())?;
        (left.len() > 1).then_some(Part { start: item_start, end: item_end, key: None, parent: Some(start) })
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

    /// `error`, found in `now`, as the author wrote it: where its path counts list items,
    /// the count of the text before any was blanked.
    fn as_written(&self, now: &str, error: &serde_yaml::Error, located: &Located) -> Further {
        let (line, col) = super::error_line_col(now, error);
        let mut message = located.message.clone();
        if let Some((key, Some(index))) = located.path()
            && let Some(original) = self.original_index(key, index)
        {
            message = format!("{key}[{original}]{}", &message[key.len() + format!("[{index}]").len()..]);
        }
        Further { line, col, message }
    }

    /// Which item of top-level list `key` as written is item `index` of it now.
    fn original_index(&self, key: &str, index: usize) -> Option<usize> {
        let start = (0..self.lines.len()).find(|i| !self.blank[*i] && key_of(self.lines[*i]) == Some(key))?;
        let (_, end) = self.entry_at(start)?;
        let items = self.items(start, end);
        let now = items.iter().filter(|i| !self.blank[**i]).nth(index)?;
        items.iter().position(|i| i == now)
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
        self.blanked_keys.extend(part.key);
        self.changed.extend(part.parent);
    }
}

/// Whether a line starts a new top-level key (or ends the one before: anything at the
/// margin but a comment or a list item).
fn starts_entry(line: &str) -> bool {
    indentation(line) == 0 && !line.is_empty() && !line.starts_with('#') && !line.starts_with('-')
}

/// The 1-based line where top-level key `key` is written a second time.
pub(super) fn second_line_of(yaml: &str, key: &str) -> Option<usize> {
    yaml.split('\n').enumerate().filter(|(_, line)| key_of(line) == Some(key)).nth(1).map(|(index, _)| index + 1)
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
    }

    #[test]
    fn lists_at_the_margin_and_quoted_keys_are_parts_like_any() {
        let yaml = "\"title\": T\ndate: 2020-01-01\nfigures:\n- { label: A, value: x }\n- { label: B, value: 1 }\n- { label: C, value: y }\n";
        assert_eq!(lines(&every_error(yaml)), [4, 6]);
    }
}
