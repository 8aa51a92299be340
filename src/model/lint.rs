//! Warnings about a resolved site: things that are probably mistakes but do not stop a
//! build. Near-duplicate names (`Wang Luming` / `Wang Lu-ming`, `Norov` / `Vladimir
//! Norov`, one letter apart), one person with two countries, registry entries no report
//! uses, and reports that name no city or no official.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod keys;

use keys::{Filed, Key};

use super::names::name_key;
use super::{CountryId, Origin, Site};
use crate::diag::{Diagnostic, msg};
use crate::project::sources;

/// What the lint keeps between resolves (in `serve`'s [`super::memory::Memory`]): for
/// people and for cities, the spellings of each name and which names look alike, found
/// again only when the names change.
#[derive(Default)]
pub struct LintMemory {
    people: NameMemory,
    cities: NameMemory,
}

impl LintMemory {
    /// A memory that keeps nothing, for a `build` (which lints once).
    pub fn forgetful() -> Self {
        let forgets = || NameMemory { forgets: true, ..NameMemory::default() };
        LintMemory { people: forgets(), cities: forgets() }
    }
}

/// What [`LintMemory`] keeps of one kind of names.
#[derive(Default)]
struct NameMemory {
    /// The spellings of every name of the last resolve.
    spellings: ahash::AHashMap<String, Arc<Spellings>>,
    /// The names of the last resolve, in order, and which of them look alike.
    names: Vec<String>,
    likeness: Option<Arc<Likeness>>,
    /// Keep nothing.
    forgets: bool,
}

impl NameMemory {
    /// Which of `names` look alike: remembered when they are the last resolve's.
    fn likeness(&mut self, names: &[&str]) -> Arc<Likeness> {
        if let Some(likeness) = self.likeness.as_ref().filter(|_| self.names.iter().eq(names.iter().copied())) {
            return likeness.clone();
        }
        if self.forgets {
            let spellings: Vec<Arc<Spellings>> = names.iter().map(|name| Arc::new(spellings(name))).collect();
            return Arc::new(Likeness::of(&spellings));
        }
        let spellings: Vec<Arc<Spellings>> = names.iter().map(|name| self.spellings_of(name)).collect();
        self.forget_names_but(names);
        let likeness = Arc::new(Likeness::of(&spellings));
        self.names = names.iter().map(|n| n.to_string()).collect();
        self.likeness = Some(likeness.clone());
        likeness
    }

    /// The spellings of `name`, worked out unless known.
    fn spellings_of(&mut self, name: &str) -> Arc<Spellings> {
        if let Some(spelt) = self.spellings.get(name) {
            return spelt.clone();
        }
        let spelt = Arc::new(spellings(name));
        self.spellings.insert(name.to_string(), spelt.clone());
        spelt
    }

    /// Forgets the spellings of names not in `names` once they are many (an author
    /// trying one name after another adds one each time), not after every resolve.
    fn forget_names_but(&mut self, names: &[&str]) {
        if self.spellings.len() > names.len() + names.len() / 8 + 64 {
            let kept: ahash::AHashSet<&str> = names.iter().copied().collect();
            self.spellings.retain(|name, _| kept.contains(name.as_str()));
        }
    }
}

/// Every warning for `site`, in a stable order. `registry` names each registry entry
/// (kind, name, where it is defined), to find entries no report uses; `memory` is what
/// the last call kept (an empty one for a first).
pub fn warnings(site: &Site, registry: &[(&str, &str, Origin)], memory: &mut LintMemory) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let people: Vec<(&str, &Origin)> = site.people.iter().map(|p| (p.name.as_str(), &p.origin)).collect();
    let cities: Vec<(&str, &Origin)> = site.cities.iter().map(|c| (c.name.as_str(), &c.origin)).collect();
    // Two names on one slug are already an error; do not warn about them as well.
    let people_slugs: Vec<&str> = site.people.iter().map(|p| p.slug.as_str()).collect();
    let city_slugs: Vec<&str> = site.cities.iter().map(|c| c.slug.as_str()).collect();
    out.extend(
        near_duplicates(&people, "person", &sources::registry(sources::PEOPLE), &mut memory.people)
            .into_iter()
            .filter(|(i, j, _)| people_slugs[*i] != people_slugs[*j])
            .map(|(_, _, d)| d),
    );
    out.extend(
        near_duplicates(&cities, "city", &sources::registry(sources::CITIES), &mut memory.cities)
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
    squashed: Key,
    /// The words (each without punctuation), space-separated.
    words: Key,
    /// `words` with one letter deleted from one long word, tagged with its position: two
    /// names share one exactly when they differ by one substituted letter there.
    substituted: Vec<Key>,
    /// The same deletions untagged: equal to another name's `words` when that name lacks
    /// one letter.
    deleted: Vec<Key>,
    /// The words of the name's key ([`name_key`]), punctuation kept, each once, sorted.
    word_set: Vec<Key>,
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
            substituted.push(Key::new(format!("{w}:{skip}:{text}")));
            deleted.push(Key::new(text));
        }
    }
    let word_set: BTreeSet<&str> = key.split_whitespace().collect();
    Spellings {
        squashed: Key::new(format!("={}", words.iter().flatten().collect::<String>())),
        words: Key::new(joined(&words)),
        substituted,
        deleted,
        word_set: word_set.into_iter().map(|w| Key::new(w.to_string())).collect(),
    }
}

/// Pairs of names that are probably one entity spelled twice: equal once punctuation and
/// spaces are ignored, one letter apart (names of 6 letters or more), or one name's words
/// all part of the other's (`Norov` / `Vladimir Norov`). Warned at the later origin.
///
/// The work and the number of warnings grow with the number of names, not its square,
/// even for a registry written to defeat it (thousands of hyphenations of one name):
/// names alike are paired with the earliest of them, not with each other, and each name
/// is warned about at most [`MAX_LOOKALIKES`] times.
fn near_duplicates(
    entities: &[(&str, &Origin)],
    kind: &str,
    registry: &str,
    memory: &mut NameMemory,
) -> Vec<(usize, usize, Diagnostic)> {
    let order: Vec<(&str, usize)> = entities.iter().map(|(_, o)| (o.path.as_str(), o.line)).collect();
    let names: Vec<&str> = entities.iter().map(|(name, _)| *name).collect();
    let mut pairs = Pairs { order: &order, found: BTreeSet::new() };
    memory.likeness(&names).pair(&mut pairs);
    lookalike_warnings(entities, pairs.found, kind, registry)
}

/// Which names look alike, found from the names alone; which name of a group each is
/// paired with (the earliest defined) is up to [`Likeness::pair`].
struct Likeness {
    /// Names alike, each group's names to be paired with its earliest.
    groups: Vec<Vec<usize>>,
    /// Names with the same words.
    same_words: Vec<Vec<usize>>,
    /// (name, group of `same_words`): the name is paired with the group's earliest.
    with_earliest: Vec<(usize, usize)>,
    /// Names paired as they are.
    pairs: Vec<(usize, usize)>,
}

impl Likeness {
    fn of(spellings: &[Arc<Spellings>]) -> Likeness {
        let mut likeness =
            Likeness { groups: Vec::new(), same_words: Vec::new(), with_earliest: Vec::new(), pairs: Vec::new() };
        likeness.same_spelling_keys(spellings);
        likeness.one_insertion_apart(spellings);
        likeness.word_subsets(spellings);
        likeness
    }

    fn pair(&self, pairs: &mut Pairs) {
        for ids in &self.groups {
            let first = pairs.earliest(ids).expect("a group has members");
            ids.iter().for_each(|&i| pairs.insert(first, i));
        }
        for &(i, group) in &self.with_earliest {
            let j = pairs.earliest(&self.same_words[group]).expect("a group has members");
            pairs.insert(i, j);
        }
        for &(i, j) in &self.pairs {
            pairs.insert(i, j);
        }
    }
}

/// The pairs of names found alike so far, each once, in the order warnings are given.
struct Pairs<'a> {
    /// Where each name is defined (path, line): the earlier of two is the one named.
    order: &'a [(&'a str, usize)],
    /// (later name, where the earlier one is, earlier name): a name's look-alikes in order.
    found: BTreeSet<(usize, (&'a str, usize), usize)>,
}

impl Pairs<'_> {
    /// Records that names `i` and `j` look alike (nothing when they are one name).
    fn insert(&mut self, i: usize, j: usize) {
        if i != j {
            let order = self.order;
            let (earlier, later) = if (order[i], i) <= (order[j], j) { (i, j) } else { (j, i) };
            self.found.insert((later, order[earlier], earlier));
        }
    }

    /// The earliest defined of the names `ids`.
    fn earliest(&self, ids: &[usize]) -> Option<usize> {
        ids.iter().copied().min_by_key(|&k| (self.order[k], k))
    }
}

impl Likeness {
    /// Names with the same key: equal, or one substitution (same deleted position)
    /// apart. Each group is paired with its earliest name.
    fn same_spelling_keys(&mut self, spellings: &[Arc<Spellings>]) {
        let keys = spellings.iter().map(|s| 1 + s.substituted.len()).sum();
        let mut by_key = Filed::with_capacity(keys);
        for (i, s) in spellings.iter().enumerate() {
            std::iter::once(&s.squashed).chain(&s.substituted).for_each(|key| by_key.file(key, i));
        }
        self.groups.extend(by_key.shared());
    }

    /// Names one insertion apart: a name's words equal another's with one letter deleted.
    /// Names with equal words are already paired by [`Self::same_spelling_keys`], so the
    /// earliest of them stands for all.
    fn one_insertion_apart(&mut self, spellings: &[Arc<Spellings>]) {
        let mut by_words = Filed::with_capacity(spellings.len());
        for (i, s) in spellings.iter().enumerate() {
            by_words.file(&s.words, i);
        }
        // By the first name of each words: its list in `same_words`.
        let mut group_of: ahash::AHashMap<usize, usize> = ahash::AHashMap::new();
        for (i, s) in spellings.iter().enumerate() {
            for key in &s.deleted {
                let ids = by_words.names(key);
                let Some(&first) = ids.first() else { continue };
                let group = *group_of.entry(first).or_insert_with(|| {
                    self.same_words.push(ids.to_vec());
                    self.same_words.len() - 1
                });
                self.with_earliest.push((i, group));
            }
        }
    }
}

impl Likeness {
    /// Names whose words are all among another's, through an index of words. A name
    /// whose rarest word is common (a lone "Wang") would look like hundreds of others:
    /// that says nothing, so it is skipped.
    fn word_subsets(&mut self, spellings: &[Arc<Spellings>]) {
        let mut by_word = Filed::with_capacity(spellings.len() * 2);
        for (i, s) in spellings.iter().enumerate() {
            s.word_set.iter().for_each(|word| by_word.file(word, i));
        }
        for (i, s) in spellings.iter().enumerate() {
            let Some(rarest) = s.word_set.iter().min_by_key(|w| by_word.names(w).len()) else { continue };
            let candidates = by_word.names(rarest);
            if candidates.len() > MAX_SUBSET_CANDIDATES {
                continue;
            }
            for &j in candidates {
                let other = &spellings[j].word_set;
                if s.word_set.len() < other.len() && is_subset(&s.word_set, other) {
                    self.pairs.push((i, j));
                }
            }
        }
    }
}

/// Whether every word of `words` is among `other` (both sorted, each word once).
fn is_subset(words: &[Key], other: &[Key]) -> bool {
    let mut other = other.iter().map(Key::text);
    words.iter().all(|word| other.any(|o| o == word.text()))
}

/// The warnings for `pairs` (from [`Pairs::found`]): each name's look-alikes, earliest
/// first, at most [`MAX_LOOKALIKES`] of them, with the two names' indices (lower first).
fn lookalike_warnings(
    entities: &[(&str, &Origin)],
    pairs: BTreeSet<(usize, (&str, usize), usize)>,
    kind: &str,
    registry: &str,
) -> Vec<(usize, usize, Diagnostic)> {
    let mut out = Vec::new();
    let mut warnings_about: HashMap<usize, usize> = HashMap::new();
    for (second, _, first) in pairs {
        let count = warnings_about.entry(second).or_default();
        *count += 1;
        if *count > MAX_LOOKALIKES {
            continue;
        }
        let (name, origin) = entities[second];
        let (other, other_origin) = entities[first];
        let warning = Diagnostic::warning(
            &origin.path,
            origin.line,
            0,
            msg!("{kind} \"{name}\" looks like \"{other}\" ({other_origin})"),
        )
        .with_hint(format!("if they are the same {kind}, make one an alias of the other in {registry}"));
        out.push((first.min(second), first.max(second), warning));
    }
    out
}

/// At most this many near-duplicate warnings name one person or city.
const MAX_LOOKALIKES: usize = 3;

/// A name's rarest word in more names than this is too common to compare word sets by.
const MAX_SUBSET_CANDIDATES: usize = 200;

/// People named with different countries in different reports (or the registry).
fn two_countries(site: &Site) -> Vec<Diagnostic> {
    let given_two = people_given_two_countries(site);
    let mut countries: BTreeMap<usize, BTreeMap<String, Origin>> = BTreeMap::new();
    for (i, person) in site.people.iter().enumerate().filter(|(i, _)| given_two[*i]) {
        if let Some(c) = person.country {
            countries.entry(i).or_default().insert(site.country(c).name.clone(), person.origin.clone());
        }
    }
    // Oldest report first, so the warning names the first report that disagrees.
    for report in site.reports.iter().rev() {
        for a in report.officials.iter().filter(|a| given_two[a.person.index()]) {
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
                msg!("{} is given {} countries: {}", person.name, seen.len(), listed.join(", ")),
            )
        })
        .collect()
}

/// For each person, whether they are given more than one country, found by country ids
/// alone: few people are, and `serve` lints after every edit that resolves the site, so
/// the names and origins of the warnings are copied for those people only.
fn people_given_two_countries(site: &Site) -> Vec<bool> {
    let mut first: Vec<Option<CountryId>> = site.people.iter().map(|p| p.country).collect();
    let mut two = vec![false; first.len()];
    for a in site.reports.iter().flat_map(|r| &r.officials) {
        let (Some(country), person) = (a.country, a.person.index()) else { continue };
        match first[person] {
            None => first[person] = Some(country),
            Some(seen) => two[person] |= seen != country,
        }
    }
    two
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
            Diagnostic::warning(&origin.path, origin.line, 0, msg!("{kind} \"{name}\" is not named in any report"))
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
            out.push(Diagnostic::warning(&report.source, 1, 0, msg!("the report names {}", missing.join(" and "))));
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
        let memory = &mut NameMemory::default();
        near_duplicates(&entities, "person", "data/people.yaml", memory)
            .into_iter()
            .map(|(_, _, d)| d.message)
            .collect()
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
    fn many_lookalikes_are_each_warned_once_against_the_earliest() {
        let names: Vec<String> = (1..=300).map(|k| format!("Wang Lu{}ming", "-".repeat(k))).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let warnings = warned(&names);
        // One warning per later name (not one per pair: 44,850), each naming the first.
        assert_eq!(warnings.len(), names.len() - 1);
        assert!(warnings.iter().all(|w| w.ends_with("looks like \"Wang Lu-ming\" (content/reports/a.md:1)")));
    }

    #[test]
    fn a_name_is_warned_about_at_most_three_times() {
        // "Andrei Denisov" comes last and looks like all four earlier names.
        let warnings = warned(&["Andrei Denisow", "Andrei Deniso", "Andrei Deni-sov", "Denisov", "Andrei Denisov"]);
        let about_last: Vec<&String> = warnings.iter().filter(|w| w.starts_with("person \"Andrei Denisov\"")).collect();
        assert_eq!(about_last.len(), MAX_LOOKALIKES, "{warnings:#?}");
        assert!(about_last[0].contains("\"Andrei Denisow\""));
    }

    /// The pairs `likeness` finds among `names`, as warnings would order them.
    fn pairs_of(likeness: &Likeness, names: &[&str]) -> BTreeSet<(usize, (&'static str, usize), usize)> {
        let order: Vec<(&str, usize)> = (0..names.len()).map(|line| ("a.md", line)).collect();
        let mut pairs = Pairs { order: &order, found: BTreeSet::new() };
        likeness.pair(&mut pairs);
        pairs.found.into_iter().map(|(later, (_, line), earlier)| (later, ("a.md", line), earlier)).collect()
    }

    #[test]
    fn a_name_memory_finds_what_a_fresh_check_finds_and_forgets_names_gone() {
        let mut names = vec!["Wang Luming", "Andrei Denisov", "Norov", "Vladimir Norov", "Zhang Ming"];
        let memory = &mut NameMemory::default();
        let fresh =
            |names: &[&str]| pairs_of(&NameMemory { forgets: true, ..Default::default() }.likeness(names), names);
        assert_eq!(pairs_of(&memory.likeness(&names), &names), fresh(&names));
        // An author tries one new name after another, each replacing the last.
        let tried: Vec<String> = (0..300).map(|k| format!("Wang Lu-ming {k}")).collect();
        for (k, name) in tried.iter().enumerate() {
            names.push(name);
            names.push(if k % 2 == 0 { "Andrei Denisow" } else { "Wang Lu-ming" });
            let remembered = pairs_of(&memory.likeness(&names), &names);
            assert_eq!(remembered, fresh(&names), "after {name}");
            assert!(!remembered.is_empty());
            names.truncate(5);
        }
        assert!(memory.spellings.len() <= 7 + 64 + 1, "{} spellings kept", memory.spellings.len());
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
