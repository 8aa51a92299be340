//! Warnings about a resolved site: things that are probably mistakes but do not stop a
//! build. Near-duplicate names (`Wang Luming` / `Wang Lu-ming`, `Norov` / `Vladimir
//! Norov`, one letter apart), one person with two countries, registry entries no report
//! uses, and reports that name no city or no official.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::names::name_key;
use super::{Origin, Site};
use crate::diag::Diagnostic;

/// Every warning for `site`, in a stable order. `registry` names each registry entry
/// (kind, name, where it is defined), to find entries no report uses.
pub fn warnings(site: &Site, registry: &[(&str, &str, Origin)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let people: Vec<(&str, &Origin)> = site.people.iter().map(|p| (p.name.as_str(), &p.origin)).collect();
    let cities: Vec<(&str, &Origin)> = site.cities.iter().map(|c| (c.name.as_str(), &c.origin)).collect();
    // Two names on one slug are already an error; do not warn about them as well.
    let people_slugs: Vec<&str> = site.people.iter().map(|p| p.slug.as_str()).collect();
    let city_slugs: Vec<&str> = site.cities.iter().map(|c| c.slug.as_str()).collect();
    out.extend(
        near_duplicates(&people, "person", "data/people.yaml")
            .into_iter()
            .filter(|(i, j, _)| people_slugs[*i] != people_slugs[*j])
            .map(|(_, _, d)| d),
    );
    out.extend(
        near_duplicates(&cities, "city", "data/cities.yaml")
            .into_iter()
            .filter(|(i, j, _)| city_slugs[*i] != city_slugs[*j])
            .map(|(_, _, d)| d),
    );
    out.extend(two_countries(site));
    out.extend(unused_registry_entries(site, registry));
    out.extend(reports_without_places_or_people(site));
    out
}

/// Ways of writing one name, for finding near-duplicates without comparing every pair.
struct Spellings {
    /// Without spaces and punctuation: `Wang Lu-ming` and `Wang Luming` share it.
    squashed: String,
    /// The words (each without punctuation), space-separated.
    words: String,
    /// `words` with one letter deleted from one long word, tagged with its position: two
    /// names share one exactly when they differ by one substituted letter there.
    substituted: Vec<String>,
    /// The same deletions untagged: equal to another name's `words` when that name lacks
    /// one letter.
    deleted: Vec<String>,
}

/// Words shorter than this never count as misspelt: short surnames one letter apart
/// (`Hu` / `Wu`, `Zhang` / `Huang`) are usually different people.
const MIN_WORD_FOR_TYPOS: usize = 6;

/// Names longer than this (in letters) get no one-letter-apart variants: each variant is a
/// copy of the whole name, so a name of n letters would cost n² work, minutes for the
/// 100,000-letter "name" of a broken or hostile file. No real name comes near it.
const MAX_NAME_FOR_TYPOS: usize = 120;

fn spellings(name: &str) -> Spellings {
    let key = name_key(name);
    let words: Vec<Vec<char>> =
        key.split_whitespace().map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect()).collect();
    let joined = |words: &[Vec<char>]| words.iter().map(|w| w.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
    let mut substituted = Vec::new();
    let mut deleted = Vec::new();
    let letters: usize = words.iter().map(Vec::len).sum();
    for (w, word) in words.iter().enumerate() {
        if word.len() < MIN_WORD_FOR_TYPOS || letters > MAX_NAME_FOR_TYPOS {
            continue;
        }
        for skip in 0..word.len() {
            let mut edited = words.clone();
            edited[w].remove(skip);
            let text = joined(&edited);
            substituted.push(format!("{w}:{skip}:{text}"));
            deleted.push(text);
        }
    }
    Spellings {
        squashed: format!("={}", words.iter().flatten().collect::<String>()),
        words: joined(&words),
        substituted,
        deleted,
    }
}

/// Pairs of names that are probably one entity spelled twice: equal once punctuation and
/// spaces are ignored, one letter apart (names of 6 letters or more), or one name's words
/// all part of the other's (`Norov` / `Vladimir Norov`). Warned at the later origin.
fn near_duplicates(entities: &[(&str, &Origin)], kind: &str, registry: &str) -> Vec<(usize, usize, Diagnostic)> {
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let spellings: Vec<Spellings> = entities.iter().map(|(name, _)| spellings(name)).collect();
    // Same key: equal, or one substitution (same deleted position) apart.
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in spellings.iter().enumerate() {
        for key in std::iter::once(&s.squashed).chain(&s.substituted) {
            by_key.entry(key.as_str()).or_default().push(i);
        }
    }
    // One insertion apart: a name's words equal another's with one letter deleted.
    let mut by_words: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in spellings.iter().enumerate() {
        by_words.entry(s.words.as_str()).or_default().push(i);
    }
    for (i, s) in spellings.iter().enumerate() {
        for key in &s.deleted {
            for &j in by_words.get(key.as_str()).into_iter().flatten() {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    for ids in by_key.values() {
        for (a, &i) in ids.iter().enumerate() {
            for &j in &ids[a + 1..] {
                if i != j {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    // Word subsets, through an index of words.
    let words: Vec<BTreeSet<String>> =
        entities.iter().map(|(name, _)| name_key(name).split_whitespace().map(str::to_string).collect()).collect();
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, set) in words.iter().enumerate() {
        for w in set {
            by_word.entry(w.as_str()).or_default().push(i);
        }
    }
    for (i, set) in words.iter().enumerate() {
        let Some(rarest) = set.iter().min_by_key(|w| by_word[w.as_str()].len()) else { continue };
        for &j in &by_word[rarest.as_str()] {
            if j != i && set.len() < words[j].len() && set.is_subset(&words[j]) {
                pairs.insert((i.min(j), i.max(j)));
            }
        }
    }
    pairs
        .into_iter()
        .map(|(i, j)| {
            let (first, second) = ordered(entities, i, j);
            let (name, origin) = entities[second];
            let (other, other_origin) = entities[first];
            let warning = Diagnostic::warning(
                &origin.path,
                origin.line,
                0,
                format!("{kind} \"{name}\" looks like \"{other}\" ({other_origin})"),
            )
            .with_hint(format!("if they are the same {kind}, make one an alias of the other in {registry}"));
            (i, j, warning)
        })
        .collect()
}

/// The pair ordered by where each was first defined, so the warning lands on the later one.
fn ordered(entities: &[(&str, &Origin)], i: usize, j: usize) -> (usize, usize) {
    let key = |k: usize| (entities[k].1.path.clone(), entities[k].1.line);
    if key(i) <= key(j) { (i, j) } else { (j, i) }
}

/// People named with different countries in different reports (or the registry).
fn two_countries(site: &Site) -> Vec<Diagnostic> {
    let mut countries: BTreeMap<usize, BTreeMap<String, Origin>> = BTreeMap::new();
    for (i, person) in site.people.iter().enumerate() {
        if let Some(c) = person.country {
            countries.entry(i).or_default().insert(site.country(c).name.clone(), person.origin.clone());
        }
    }
    // Oldest report first, so the warning names the first report that disagrees.
    for report in site.reports.iter().rev() {
        for a in &report.officials {
            if let Some(c) = a.country {
                let origin = Origin { path: report.source.clone(), line: 1 };
                countries.entry(a.person.index()).or_default().entry(site.country(c).name.clone()).or_insert(origin);
            }
        }
    }
    countries
        .into_iter()
        .filter(|(_, seen)| seen.len() > 1)
        .map(|(i, seen)| {
            let person = &site.people[i];
            let listed: Vec<String> = seen.iter().map(|(country, origin)| format!("{country} ({origin})")).collect();
            Diagnostic::warning(
                &person.origin.path,
                person.origin.line,
                0,
                format!("{} is given {} countries: {}", person.name, seen.len(), listed.join(", ")),
            )
        })
        .collect()
}

/// Registry entries (data/*.yaml) that no report names.
fn unused_registry_entries(site: &Site, registry: &[(&str, &str, Origin)]) -> Vec<Diagnostic> {
    let people: BTreeSet<String> =
        site.people.iter().filter(|p| !p.reports.is_empty()).map(|p| name_key(&p.name)).collect();
    let cities: BTreeSet<String> =
        site.cities.iter().filter(|c| !c.reports.is_empty()).map(|c| name_key(&c.name)).collect();
    registry
        .iter()
        .filter(|(kind, name, _)| !(if *kind == "person" { &people } else { &cities }).contains(&name_key(name)))
        .map(|(kind, name, origin)| {
            Diagnostic::warning(&origin.path, origin.line, 0, format!("{kind} \"{name}\" is not named in any report"))
        })
        .collect()
}

/// Reports that name no city, or no official.
fn reports_without_places_or_people(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in &site.reports {
        let missing: Vec<&str> = [(report.cities.is_empty(), "no city"), (report.officials.is_empty(), "no official")]
            .into_iter()
            .filter(|(missing, _)| *missing)
            .map(|(_, what)| what)
            .collect();
        if !missing.is_empty() {
            out.push(Diagnostic::warning(&report.source, 1, 0, format!("the report names {}", missing.join(" and "))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(line: usize) -> Origin {
        Origin { path: "content/reports/a.md".into(), line }
    }

    fn warned(names: &[&str]) -> Vec<String> {
        let origins: Vec<Origin> = (1..=names.len()).map(origin).collect();
        let entities: Vec<(&str, &Origin)> = names.iter().copied().zip(&origins).collect();
        near_duplicates(&entities, "person", "data/people.yaml").into_iter().map(|(_, _, d)| d.message).collect()
    }

    #[test]
    fn near_duplicate_names_are_found() {
        assert_eq!(warned(&["Wang Luming", "Wang Lu-ming"]).len(), 1);
        assert_eq!(warned(&["Vladimir Norov", "Norov"]).len(), 1);
        assert_eq!(warned(&["Andrei Denisov", "Andrei Denisow"]).len(), 1);
        assert_eq!(warned(&["Andrei Denisov", "Andrei Deniso"]).len(), 1);
        assert_eq!(warned(&["Chea Kheang", "Chea Kheng"]).len(), 1);
        assert!(warned(&["Wang Luming", "Wang Lu-ming"])[0].contains("\"Wang Lu-ming\" looks like \"Wang Luming\""));
    }

    #[test]
    fn distinct_names_are_left_alone() {
        assert!(warned(&["Wang Luming", "Zhang Ming", "Vladimir Norov", "Vikram Misri"]).is_empty());
        // Short names one letter apart are common and usually different people.
        assert!(warned(&["Li Na", "Li Ni"]).is_empty());
        assert!(warned(&["Hu Weidong", "Zhu Weidong", "Lü Huaqing", "Li Huaqing"]).is_empty());
        assert!(warned(&["Huang Zhenhua", "Zhang Zhenhua", "Samia Hichilema", "Amina Hichilema"]).is_empty());
        // Two letters apart is not a typo.
        assert!(warned(&["Andrei Denisov", "Andrei Denisavo"]).is_empty());
    }
}
