//! Translations (SPEC §6): each one joined to its original and checked against it. The
//! words are the translation's; the facts are the original's, so a translation that
//! repeats them must agree: the same date, only cities and officials the original names,
//! the same figures one by one (value, unit, year and city). Each disagreement, and a
//! translation of nothing, is an error at its line; `check` reports them all at once.
//! `serve` takes the translations checked before on the same facts as they were ([`kept`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::images::image_file;
use super::names::name_key;
use super::{
    CityId, FigureWords, ImageWords, OfficialWords, PageTranslation, PersonId, Report, ReportTranslation, Site,
};
use crate::diag::{Diagnostic, Message, msg};
use crate::load::raw::{RawCity, RawFigure, RawImage, RawOfficial, RawPage, RawTranslation};
use crate::load::{Parsed, Translated, locate};
use crate::project::sources::{CITIES, PEOPLE, registry};

mod kept;

/// The translations of reports, each checked against its original (or taken with the
/// report's others from the earlier site), before they are joined.
pub struct Checked {
    /// For each report, the translations it takes from the earlier site, if it may.
    taken: Vec<Option<Arc<Vec<ReportTranslation>>>>,
    /// Each translation checked, in order.
    checked: Vec<Result<OfReport, Option<Diagnostic>>>,
}

/// A translation checked against its original: the original's index in the site, the
/// translation and its problems. (A translation of nothing is its error instead, if it is
/// one: [`missing_original`].)
type OfReport = (usize, ReportTranslation, Vec<Diagnostic>);

/// Checks each translation of `reports` against its original in `site`, which needs only
/// the site's reports and entities, not yet their back-links. `read` holds every content
/// file read, published or not: a translation of a draft left out, or of a file with
/// errors of its own, is left out with it, and only one of nothing is an error.
/// `earlier` is the last good site (`serve`): a report of the same file whose
/// translations are those joined there, on the same facts, takes them as they were,
/// unchecked ([`kept`]).
pub fn check(
    site: &Site,
    reports: &[Arc<Translated<RawTranslation>>],
    (read, include_drafts): (&FilesRead, bool),
    earlier: Option<&Site>,
) -> Checked {
    if reports.is_empty() {
        return Checked { taken: Vec::new(), checked: Vec::new() };
    }
    // Side by side: each translation's file and each report's source are read from all
    // over memory, 20,000 and 10,000 of them in a trilingual archive.
    let (wanted, ids) = rayon::join(
        || -> Vec<&Arc<Translated<RawTranslation>>> {
            reports.par_iter().filter(|t| include_drafts || !t.parsed.meta.draft).collect()
        },
        || -> ahash::AHashMap<&str, usize> {
            site.reports.iter().enumerate().map(|(i, r)| (r.source.as_str(), i)).collect()
        },
    );
    let originals: Vec<Option<usize>> = wanted.par_iter().map(|t| ids.get(t.original.as_str()).copied()).collect();
    let taken = earlier.map_or_else(Vec::new, |earlier| kept::translations(site, earlier, &wanted, &originals));
    let is_taken = |i: usize| taken.get(i).is_some_and(Option::is_some);
    let keys = PersonKeys::of(site);
    // Checked side by side (20,000 translations of a trilingual archive), joined in order.
    let checked = (wanted.par_iter().zip(&originals))
        .filter(|(_, original)| original.is_none_or(|i| !is_taken(i)))
        .map(|(t, original)| match original {
            Some(i) => {
                let (translation, problems) = check_report(site, &keys, &site.reports[*i], t);
                Ok((*i, translation, problems))
            }
            None => Err(missing_original(&t.parsed.path, &t.original, read)),
        })
        .collect();
    Checked { taken, checked }
}

/// Joins the translations of reports `checked` ([`check`]) and those of plain pages to
/// their originals in `site`, each problem pushed into `diags`.
pub fn join(
    site: &mut Site,
    Checked { taken, checked }: Checked,
    pages: Vec<Translated<RawPage>>,
    (read, include_drafts): (&FilesRead, bool),
    diags: &mut Vec<Diagnostic>,
) {
    for (report, taken) in site.reports.iter_mut().zip(taken) {
        if let Some(translations) = taken {
            report.translations = translations;
        }
    }
    for joined in checked {
        match joined {
            Ok((i, translation, problems)) => {
                diags.extend(problems);
                Arc::make_mut(&mut site.reports[i].translations).push(translation);
            }
            Err(missing) => diags.extend(missing),
        }
    }
    if !pages.is_empty() {
        join_pages(site, pages, (read, include_drafts), diags);
    }
}

/// Joins each translation of a plain page to its original.
fn join_pages(
    site: &mut Site,
    pages: Vec<Translated<RawPage>>,
    (read, include_drafts): (&FilesRead, bool),
    diags: &mut Vec<Diagnostic>,
) {
    let page_ids: HashMap<String, usize> = site.pages.iter().enumerate().map(|(i, p)| (p.source.clone(), i)).collect();
    for t in pages.into_iter().filter(|t| include_drafts || !t.parsed.meta.draft) {
        let Some(&i) = page_ids.get(&t.original) else {
            diags.extend(missing_original(&t.parsed.path, &t.original, read));
            continue;
        };
        let Parsed { path, meta, body, body_line, .. } = t.parsed;
        let RawPage { title, summary, draft: _, extra } = meta;
        site.pages[i].translations.push(PageTranslation {
            language: t.language,
            source: path,
            title,
            summary,
            extra,
            body,
            body_line,
        });
    }
}

/// A warning for each registry entry that has no name in a language whose translations
/// name it (its pages in that language would show the default language's name), once
/// the translations are joined ([`join`]).
pub fn missing_names(site: &Site) -> Vec<Diagnostic> {
    let named = NamedIn::of(site);
    let registries = [registry(PEOPLE), registry(CITIES)];
    let people = site.people.iter().map(|p| (&p.name, &p.names, &p.origin));
    let cities = site.cities.iter().map(|c| (&c.name, &c.names, &c.origin));
    let mut seen: HashSet<(&str, usize, &str)> = HashSet::new();
    let mut warnings = Vec::new();
    for (language, entities) in named.languages.iter().zip(&named.entities) {
        let named_here = people.clone().chain(cities.clone()).zip(entities).filter(|(_, named)| **named);
        for ((name, names, origin), _) in named_here {
            let registered = registries.contains(&origin.path);
            if registered && !names.contains_key(*language) && seen.insert((&origin.path, origin.line, language)) {
                let message = msg!("{name} has no name in {language}, which a translation names them in");
                let hint = format!("add `names: {{ {language}: ... }}` to the entry");
                warnings.push(Diagnostic::warning(&origin.path, origin.line, 0, message).with_hint(hint));
            }
        }
    }
    warnings
}

/// For each language reports are translated into, which people and cities (people first,
/// then cities, by id) a report translated into it names.
struct NamedIn<'a> {
    languages: Vec<&'a str>,
    entities: Vec<Vec<bool>>,
}

impl<'a> NamedIn<'a> {
    fn of(site: &'a Site) -> NamedIn<'a> {
        let mut named = NamedIn { languages: Vec::new(), entities: Vec::new() };
        let people = site.people.len();
        for report in &site.reports {
            for t in report.translations.iter() {
                let entities = named.of_language(&t.language, people + site.cities.len());
                for a in &report.officials {
                    entities[a.person.index()] = true;
                }
                for c in &report.cities {
                    entities[people + c.index()] = true;
                }
            }
        }
        named
    }

    fn of_language(&mut self, language: &'a str, count: usize) -> &mut Vec<bool> {
        let i = match self.languages.iter().position(|l| *l == language) {
            Some(i) => i,
            None => {
                self.languages.push(language);
                self.entities.push(vec![false; count]);
                self.languages.len() - 1
            }
        };
        &mut self.entities[i]
    }
}

/// Every content file read, published or not (see [`join`]). Asked only of a translation
/// whose original is not published, so the paths are gathered when first asked: an edit
/// in `serve` then copies no path of 10,000 reports.
#[derive(Default)]
pub struct FilesRead {
    reports: Vec<Arc<Parsed<crate::load::raw::RawReport>>>,
    /// The other files read: plain pages, and files that could not be read or parsed.
    others: Vec<String>,
    paths: std::sync::OnceLock<HashSet<String>>,
}

impl FilesRead {
    pub fn new(reports: Vec<Arc<Parsed<crate::load::raw::RawReport>>>, others: Vec<String>) -> FilesRead {
        FilesRead { reports, others, paths: std::sync::OnceLock::new() }
    }

    fn contains(&self, path: &str) -> bool {
        let reports = || self.reports.iter().map(|r| r.path.clone());
        self.paths.get_or_init(|| reports().chain(self.others.iter().cloned()).collect()).contains(path)
    }
}

/// The error for a translation whose original is not published, unless the original
/// exists and was left out for a reason of its own (a draft, its own errors).
fn missing_original(path: &str, original: &str, read: &FilesRead) -> Option<Diagnostic> {
    (!read.contains(original)).then(|| {
        Diagnostic::error(path, 1, 1, msg!("this translates {original}, which does not exist"))
            .with_hint("a translation sits beside its original with the language before .md: a.md and a.ru.md")
    })
}

/// The translation `t` of `original`, and every way its facts disagree with the original's.
fn check_report(
    site: &Site,
    keys: &PersonKeys,
    original: &Report,
    t: &Translated<RawTranslation>,
) -> (ReportTranslation, Vec<Diagnostic>) {
    let parsed = &t.parsed;
    let meta = &parsed.meta;
    let mut problems = Vec::new();
    let mut error = |needle: &str, message: Message| {
        let (line, col) = locate(parsed, needle);
        problems.push(Diagnostic::error(&parsed.path, line, col, message));
    };
    if meta.date.is_some_and(|d| d.0 != original.date) {
        error("date:", msg!("the date differs from the original's ({}); leave it out", original.date));
    }
    if meta.end_date.is_some_and(|d| Some(d.0) != original.end_date) {
        error("end_date:", msg!("the end date differs from the original's; leave it out"));
    }
    for city in meta.cities.iter().flatten() {
        if city_of(site, original, city).is_none() {
            error(&city.name, msg!("\"{}\" is not one of the cities of the original", city.name));
        }
    }
    let officials = official_words(keys, original, meta.officials.as_deref().unwrap_or_default(), &mut error);
    let figures = figure_words(site, original, meta.figures.as_deref(), &mut error);
    let (image, gallery) = image_words(original, t, &mut error);
    let topics = meta.topics.clone().unwrap_or_default();
    if !topics.is_empty() && topics.len() != original.topics.len() {
        let topics = counted(original.topics.len(), "topic");
        error("topics:", msg!("the original has {topics}; translate each, in its order"));
    }
    let translation = ReportTranslation {
        language: t.language.clone(),
        source: parsed.path.clone(),
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        slug: meta.slug.clone(),
        organisation: meta.organisation.clone(),
        officials,
        figures,
        topics,
        image,
        gallery,
        extra: meta.extra.clone(),
        body: parsed.body.clone(),
        body_line: parsed.body_line,
    };
    (translation, problems)
}

/// The city of `original` that `city` names, by name or alias.
fn city_of(site: &Site, original: &Report, city: &RawCity) -> Option<CityId> {
    city_named(site, original, &city.name).filter(|id| original.cities.contains(id))
}

/// The city `name` names: one of `original`'s cities when it is written as one of their
/// names is (as translations mostly write them), else whichever city has its key.
fn city_named(site: &Site, original: &Report, name: &str) -> Option<CityId> {
    let written = |id: &&CityId| written_as(site.city(**id), name);
    original.cities.iter().find(written).copied().or_else(|| site.city_keys.get(&name_key(name)).copied())
}

/// Whether `name` is one of `city`'s names as written (in any language, or an alias).
fn written_as(city: &super::City, name: &str) -> bool {
    city.name == name || city.names.values().any(|n| n == name) || city.aliases.iter().any(|n| n == name)
}

/// The [`name_key`] of every name of each person (as written, aliases, in every
/// language), by person id: made when first needed, once, not for each translation
/// naming them.
struct PersonKeys<'a> {
    site: &'a Site,
    keys: Vec<std::sync::OnceLock<Vec<String>>>,
}

impl<'a> PersonKeys<'a> {
    fn of(site: &'a Site) -> PersonKeys<'a> {
        PersonKeys { site, keys: site.people.iter().map(|_| std::sync::OnceLock::new()).collect() }
    }

    /// Every name of `person`, as written.
    fn names(&self, person: PersonId) -> impl Iterator<Item = &'a String> {
        let person = self.site.person(person);
        std::iter::once(&person.name).chain(&person.aliases).chain(person.names.values())
    }

    /// Whether one of `person`'s names has the [`name_key`] `key`.
    fn has_key(&self, person: PersonId, key: &str) -> bool {
        let keys = self.keys[person.index()].get_or_init(|| self.names(person).map(|n| name_key(n)).collect());
        keys.iter().any(|k| k == key)
    }
}

/// Each official of `original`'s role and organisation as `officials` translate them; an
/// official the original does not name is reported through `error`.
fn official_words(
    keys: &PersonKeys,
    original: &Report,
    officials: &[RawOfficial],
    error: &mut impl FnMut(&str, Message),
) -> Vec<OfficialWords> {
    let mut words = vec![OfficialWords::default(); original.officials.len()];
    for official in officials {
        // Translations mostly write a name as one of the person's names is written.
        let found = (original.officials.iter().position(|a| keys.names(a.person).any(|n| *n == official.name)))
            .or_else(|| {
                let key = name_key(&official.name);
                original.officials.iter().position(|a| keys.has_key(a.person, &key))
            });
        match found {
            Some(i) => {
                words[i] = OfficialWords { role: official.role.clone(), organisation: official.organisation.clone() }
            }
            None => error(&official.name, msg!("\"{}\" is not one of the officials of the original", official.name)),
        }
    }
    words
}

/// The words of the original's featured image and of each image of its gallery as the
/// translation gives them; each image is named by its `src` (a translation words the
/// original's pictures, it cannot swap them), and one the original does not show is
/// reported through `error`.
fn image_words(
    original: &Report,
    t: &Translated<RawTranslation>,
    error: &mut impl FnMut(&str, Message),
) -> (ImageWords, Vec<ImageWords>) {
    let meta = &t.parsed.meta;
    let file_of = |raw: &RawImage| image_file(&t.parsed.path, &raw.src).ok();
    let words_of =
        |raw: &RawImage| ImageWords { alt: raw.alt.clone(), caption: raw.caption.clone(), credit: raw.credit.clone() };
    let mut image = ImageWords::default();
    if let Some(raw) = &meta.image {
        match original.image.as_ref().filter(|i| file_of(raw).as_ref() == Some(&i.file)) {
            Some(_) => image = words_of(raw),
            None => {
                error(&raw.src, msg!("\"{}\" is not the original's featured image; give the original's `src`", raw.src))
            }
        }
    }
    let mut gallery = vec![ImageWords::default(); original.gallery.len()];
    for raw in meta.gallery.iter().flatten() {
        match original.gallery.iter().position(|i| file_of(raw).as_ref() == Some(&i.file)) {
            Some(i) => gallery[i] = words_of(raw),
            None => error(&raw.src, msg!("\"{}\" is not in the original's gallery", raw.src)),
        }
    }
    (image, gallery)
}

/// Each figure's label and unit word as `figures` translate them, one by one in the
/// original's order; a figure whose value, unit, year or city differs is reported through
/// `error`. A unit that is a word (`companies`) may be given in the language; a currency
/// or `%` must be the original's.
fn figure_words(
    site: &Site,
    original: &Report,
    figures: Option<&[RawFigure]>,
    error: &mut impl FnMut(&str, Message),
) -> Vec<FigureWords> {
    let Some(figures) = figures else { return vec![FigureWords::default(); original.figures.len()] };
    if figures.len() != original.figures.len() {
        let figures = counted(original.figures.len(), "figure");
        error("figures:", msg!("the original has {figures}; translate each, in its order, or leave them out"));
        return vec![FigureWords::default(); original.figures.len()];
    }
    let mut words = Vec::new();
    for (raw, fact) in figures.iter().zip(original.figures.iter()) {
        // Unnamed, a figure's city is the report's only city, as in the original.
        let city = match &raw.city {
            Some(name) => city_named(site, original, name),
            None => original.cities.first().copied().filter(|_| original.cities.len() == 1),
        };
        let unit = raw.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let original_unit = fact.unit.as_deref().map(str::trim);
        let same =
            raw.value.0 == fact.value && raw.year == fact.year && city == fact.city && unit_agrees(unit, original_unit);
        if !same {
            error(
                &raw.label,
                msg!(
                    "\"{}\" differs from the original's figure \"{}\" in value, unit, year or city",
                    raw.label,
                    fact.label
                ),
            );
        }
        let unit = unit.filter(|u| is_unit_word(u)).map(std::sync::Arc::from);
        words.push(FigureWords { label: Some(raw.label.clone()), unit });
    }
    words
}

/// Whether a unit is a word (`companies`), which a translation may give in its language,
/// rather than a currency or `%`, which are the same in every language.
fn is_unit_word(unit: &str) -> bool {
    unit != "%" && !crate::figure::is_currency(unit)
}

/// Whether a translated figure's unit agrees with the original's: the same currency or
/// `%`; for a unit that is a word, its word in the language or none (the original's).
fn unit_agrees(translated: Option<&str>, original: Option<&str>) -> bool {
    match original {
        Some(word) if is_unit_word(word) => translated.is_none_or(is_unit_word),
        _ => translated == original,
    }
}

/// `1 figure`, `2 figures`.
fn counted(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
