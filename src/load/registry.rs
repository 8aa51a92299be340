//! The registries, `data/people.yaml` and `data/cities.yaml`: read as YAML lists of
//! entries, each located at the line where it starts.
//!
//! A registry is parsed entry by entry where that gives what parsing it whole gives (each
//! entry a block of its own that parses alone), every entry on rayon's pool. `serve`
//! keeps each entry's text and value ([`RegistryMemory`]), so that a save of a
//! 2,000-person registry parses again only the entries it changed (parsing it whole took
//! 11 ms of such a save). Anything else (an error anywhere, a file that is not one block
//! list) is parsed whole, so every diagnostic is the whole file's.

use ahash::AHashMap;
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::raw::{self, RawCityEntry, RawPerson};
use super::{Located, decode_text, parse_yaml};
use crate::diag::{Diagnostic, Diagnostics, msg};
use crate::project::{Project, sources};

/// Each registry entry as last parsed, by its text (comments before it included).
#[derive(Default)]
pub struct RegistryMemory {
    people: AHashMap<String, RawPerson>,
    cities: AHashMap<String, RawCityEntry>,
}

/// Reads data/people.yaml and data/cities.yaml side by side (missing files mean empty
/// registries), parsing again only the entries `memory` does not hold.
pub fn read_registries(
    project: &Project,
    memory: &mut RegistryMemory,
    diags: &mut Diagnostics,
) -> (Vec<Located<RawPerson>>, Vec<Located<RawCityEntry>>) {
    let RegistryMemory { people, cities } = memory;
    let ((people, people_diags), (cities, city_diags)) = rayon::join(
        || read_registry(project, sources::PEOPLE, raw::PERSON_KEYS, people),
        || read_registry(project, sources::CITIES, raw::CITY_KEYS, cities),
    );
    diags.extend(people_diags.into_iter().chain(city_diags));
    (people, cities)
}

/// Reads `data/<name>` as a YAML list of entries; a missing file is an empty registry.
fn read_registry<T: DeserializeOwned + Clone + Send + Sync>(
    project: &Project,
    name: &str,
    keys: &[&str],
    memory: &mut AHashMap<String, T>,
) -> (Vec<Located<T>>, Option<Diagnostic>) {
    let path = project.data_dir().join(name);
    let rel = sources::registry(name);
    if !project.is_inside(&path) {
        return (Vec::new(), None);
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(e) => return (Vec::new(), Some(Diagnostic::error(rel, 0, 0, msg!("cannot read: {e}")))),
    };
    let text = match decode_text(&bytes) {
        Ok(text) => text,
        Err(invalid) => return (Vec::new(), Some(invalid.diagnostic(rel))),
    };
    match parse_remembering(&rel, &text, keys, memory) {
        Ok(entries) => (entries, None),
        Err(d) => (Vec::new(), Some(d)),
    }
}

/// Parses a registry's text (`rel` is `data/people.yaml` or `data/cities.yaml`) as a YAML
/// list of entries, each with the file line where it starts; blank text is an empty
/// registry. Pure, so tests and the fuzz targets feed strings.
pub fn parse_registry<T: DeserializeOwned + Clone + Send + Sync>(
    rel: &str,
    text: &str,
    keys: &[&str],
) -> Result<Vec<Located<T>>, Diagnostic> {
    parse_remembering(rel, text, keys, &mut AHashMap::new())
}

/// [`parse_registry`], taking from `memory` the entries whose text it holds and leaving
/// in it those of `text`.
fn parse_remembering<T: DeserializeOwned + Clone + Send + Sync>(
    rel: &str,
    text: &str,
    keys: &[&str],
    memory: &mut AHashMap<String, T>,
) -> Result<Vec<Located<T>>, Diagnostic> {
    let entries = entry_texts(text);
    let values: Option<Vec<T>> = entries.as_ref().and_then(|entries| {
        let known = &*memory;
        (entries.par_iter())
            .map(|entry| known.get(entry.text).cloned().or_else(|| parse_alone(rel, entry, keys)))
            .collect()
    });
    let mut before = std::mem::take(memory);
    let (Some(entries), Some(values)) = (entries, values) else { return parse_whole(rel, text, keys) };
    // An unchanged entry's remembered value (and text) moves over: only new ones are copied.
    for (entry, value) in entries.iter().zip(&values) {
        let kept = before.remove_entry(entry.text);
        let (text, value) = kept.unwrap_or_else(|| (entry.text.to_string(), value.clone()));
        memory.insert(text, value);
    }
    let located = |(entry, value): (&EntryText, T)| Located { path: rel.to_string(), line: entry.line, value };
    Ok(entries.iter().zip(values).map(located).collect())
}

/// One entry of a registry: its text, from the line after the entry before (comments
/// before it included), the 0-based file line that text starts on, and the 1-based line
/// of its `- `.
struct EntryText<'a> {
    text: &'a str,
    first_line: usize,
    line: usize,
}

/// The entries of a registry's `text` when it is a list of entries each starting with
/// `- ` at the start of a line, with only comments or blank lines before the first and no
/// directives or document markers; `None` otherwise, and for blank text. Each entry
/// parsed alone then gives what parsing the whole gives it, when every entry parses alone
/// as exactly one (a text or flow list running over a `- ` line does not).
fn entry_texts(text: &str) -> Option<Vec<EntryText<'_>>> {
    if has_document_markers(text) {
        return None;
    }
    // (byte offset, 0-based line) of each `- ` line.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let content = line.strip_suffix('\n').map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        if content.starts_with("- ") || content == "-" {
            starts.push((offset, i));
        } else if starts.is_empty() && !is_blank_or_comment(content) {
            return None;
        }
        offset += line.len();
    }
    let entry = |k: usize| {
        // The first entry takes the comments before it.
        let (begin, first_line) = if k == 0 { (0, 0) } else { starts[k] };
        let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
        EntryText { text: &text[begin..end], first_line, line: starts[k].1 + 1 }
    };
    (!starts.is_empty()).then(|| (0..starts.len()).map(entry).collect())
}

/// Whether `text` has a directive (`%YAML`) or a document marker (`---`, `...`): after
/// one, the rest of the file is another document (an error of the whole, which entries
/// parsed alone would not see). Anchors need no such care: an alias naming another
/// entry's anchor fails alone, and the whole is parsed.
fn has_document_markers(text: &str) -> bool {
    text.lines().any(|line| line.starts_with('%') || line.starts_with("---") || line.starts_with("..."))
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// `entry` parsed as a list of its own, if it is exactly one entry without error.
fn parse_alone<T: DeserializeOwned>(rel: &str, entry: &EntryText, keys: &[&str]) -> Option<T> {
    let mut list: Vec<T> = parse_yaml(rel, entry.text, entry.first_line, keys).ok()?;
    (list.len() == 1).then(|| list.pop()).flatten()
}

/// The registry parsed whole: each entry located by [`entry_lines`].
fn parse_whole<T: DeserializeOwned>(rel: &str, text: &str, keys: &[&str]) -> Result<Vec<Located<T>>, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let entries = parse_yaml::<Vec<T>>(rel, text, 0, keys)?;
    let lines = entry_lines(text);
    Ok(entries
        .into_iter()
        .enumerate()
        .map(|(i, value)| Located { path: rel.to_string(), line: lines.get(i).copied().unwrap_or(1), value })
        .collect())
}

/// The 1-based line of each top-level `- ` item of a block sequence.
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines().enumerate().filter(|(_, l)| l.starts_with("- ") || *l == "-").map(|(i, _)| i + 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REL: &str = "data/people.yaml";

    fn by_entry(text: &str) -> Result<Vec<Located<RawPerson>>, Diagnostic> {
        parse_registry(REL, text, raw::PERSON_KEYS)
    }

    fn whole(text: &str) -> Result<Vec<Located<RawPerson>>, Diagnostic> {
        parse_whole(REL, text, raw::PERSON_KEYS)
    }

    /// What a parse gave, entries and errors, as comparable text.
    fn shown(parsed: Result<Vec<Located<RawPerson>>, Diagnostic>) -> String {
        format!("{parsed:?}")
    }

    #[test]
    fn registry_entry_lines() {
        assert_eq!(entry_lines("# people\n- name: A\n  country: X\n- name: B\n"), [2, 4]);
    }

    /// Entry by entry or whole, a registry gives the same entries at the same lines and
    /// the same errors: the example site's, comments, Windows line ends, block and
    /// quoted texts, and what ties entries together or breaks them (parsed whole).
    #[test]
    fn entry_by_entry_gives_what_the_whole_gives() {
        let texts = [
            include_str!("../../data/people.yaml"),
            "# people\n\n- name: A\n  country: X\n# next\n- name: B\n",
            "- name: A\r\n  aliases: [a, b]\r\n-\r\n  name: B\r\n",
            "- name: A\n  bio: |\n    - not an entry\n    more\n- name: B\n",
            "- name: A\n  bio: \"one\n- two\"\n- name: B\n",
            "- name: A\n  names: { ru: А,\n- B }\n",
            "- &a\n  name: A\n- *a\n",
            "- name: A\n  aliases: [ &x a ]\n- name: B\n  aliases: [ *x ]\n",
            "- name: A\n...\n- name: B\n",
            "- name: A\r- name: B\n",
            "- name: A\n  country: !!str X\n",
            "---\n- name: A\n",
            "name: A\n- name: B\n",
            "- name: A\n  colour: red\n- name: B\n",
            "- name: A\n- name: B\n  aliases: [[[[x]]]]\n",
            "- name: A\n- []\n",
            "",
            "# nothing\n",
        ];
        for text in texts {
            assert_eq!(shown(by_entry(text)), shown(whole(text)), "{text:?}");
        }
        assert!(entry_texts(texts[0]).is_some(), "the example registry is not parsed entry by entry");
    }

    /// A registry parsed again takes unchanged entries from memory (here marked, to
    /// tell) and parses the one edited.
    #[test]
    fn only_edited_entries_are_parsed_again() {
        let mut memory = AHashMap::new();
        let before = "- name: A\n  country: X\n- name: B\n";
        parse_remembering::<RawPerson>(REL, before, raw::PERSON_KEYS, &mut memory).unwrap();
        assert_eq!(memory.len(), 2);
        memory.get_mut("- name: A\n  country: X\n").unwrap().name = "A, as remembered".to_string();
        let after = before.replace("name: B", "name: C");
        let entries = parse_remembering::<RawPerson>(REL, &after, raw::PERSON_KEYS, &mut memory).unwrap();
        let names: Vec<(&str, usize)> = entries.iter().map(|e| (e.value.name.as_str(), e.line)).collect();
        assert_eq!(names, [("A, as remembered", 1), ("C", 3)]);
        assert!(memory.contains_key("- name: C\n") && !memory.contains_key("- name: B\n"), "memory not renewed");
    }
}
