//! Which reports may take their translations from the last good site unchecked (`serve`,
//! which resolves the whole site again after an edit that moves a report or names a new
//! person or city). Checking the 20,000 translations of a trilingual archive again was
//! the largest part of such a resolve, and an edit changes the translations of one
//! report at most.
//!
//! A report takes the translations the earlier site joined to the report of the same file
//! as read (`load::body::Body::is_shared_with`, at its place or a neighbour's:
//! `model::EarlierPlaces`) when they are the same translation files as read, in the same
//! order, and the facts they are checked against are the same: its officials and cities
//! are people and cities of the same names, its figures the same values, units, years and
//! cities. Those translations passed their checks there (a site with errors is never
//! kept), so they pass them here, with the same words. The one lookup of a check that
//! reaches past the report, a figure's city named by its key alone, may find a city the
//! edit added: a report whose translations name a figure's city that way keeps them only
//! while the site's city keys are as they were.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::written_as;
use crate::load::Translated;
use crate::load::raw::RawTranslation;
use crate::model::{City, CityId, Person, PersonId, Report, ReportTranslation, Site};

/// For each report of `site`, the translations it takes from `earlier`, if it may;
/// `wanted` are the translations being joined and `originals` the index in `site` of the
/// report each translates.
pub(super) fn translations(
    site: &Site,
    earlier: &Site,
    wanted: &[&Arc<Translated<RawTranslation>>],
    originals: &[Option<usize>],
) -> Vec<Option<Arc<Vec<ReportTranslation>>>> {
    let by_report = TranslationsOf::group(wanted, originals);
    let places = crate::model::EarlierPlaces::of(earlier);
    let sites = Sites::new(site, earlier);
    // Side by side: the reports' earlier selves are all over memory.
    (site.reports.par_iter().enumerate())
        .map(|(i, report)| {
            let translations = by_report.of(i);
            let old = places.report(places.sharing_body(i, &report.body)?);
            (!translations.is_empty() && sites.may_take(report, old, translations)).then(|| old.translations.clone())
        })
        .collect()
}

/// The translations being joined, by the index of their original (in their order).
struct TranslationsOf<'t>(Vec<(usize, &'t Arc<Translated<RawTranslation>>)>);

impl<'t> TranslationsOf<'t> {
    fn group(wanted: &[&'t Arc<Translated<RawTranslation>>], originals: &[Option<usize>]) -> TranslationsOf<'t> {
        let mut grouped: Vec<_> = originals.iter().zip(wanted).filter_map(|(i, t)| Some(((*i)?, *t))).collect();
        // Stable: each report's translations stay in the order they are joined in.
        grouped.sort_by_key(|(i, _)| *i);
        TranslationsOf(grouped)
    }

    /// The translations of report `report`, each with that index.
    fn of(&self, report: usize) -> &[(usize, &'t Arc<Translated<RawTranslation>>)] {
        let (start, end) =
            (self.0.partition_point(|(i, _)| *i < report), self.0.partition_point(|(i, _)| *i <= report));
        &self.0[start..end]
    }
}

/// The site being resolved and the last good one.
struct Sites<'a> {
    now: &'a Site,
    /// For each person and city of the site being resolved, the one of the earlier site
    /// of the same names (ids move when one is added), if there is one.
    people: Vec<Option<PersonId>>,
    cities: Vec<Option<CityId>>,
    same_city_keys: bool,
}

impl<'a> Sites<'a> {
    fn new(now: &'a Site, earlier: &Site) -> Sites<'a> {
        Sites {
            now,
            people: same_names(&now.people, &earlier.people, PersonId),
            cities: same_names(&now.cities, &earlier.cities, CityId),
            same_city_keys: now.city_keys == earlier.city_keys,
        }
    }

    /// Whether `report` (of the site being resolved) may take the translations of `old`
    /// (of the earlier site, made of the same file): `translations` are the very files
    /// joined there, in the same order, and checked against the same facts.
    fn may_take(
        &self,
        report: &Report,
        old: &Report,
        translations: &[(usize, &Arc<Translated<RawTranslation>>)],
    ) -> bool {
        let same_files = old.translations.len() == translations.len()
            && (old.translations.iter().zip(translations))
                .all(|(joined, (_, t))| joined.body.is_shared_with(&t.parsed.body));
        same_files
            && report.source == old.source
            && self.same_facts(report, old)
            && (self.same_city_keys || translations.iter().all(|(_, t)| figure_cities_written(self.now, report, t)))
    }

    /// Whether the facts a translation is checked against are those of `old`.
    fn same_facts(&self, report: &Report, old: &Report) -> bool {
        let same_person = |a: PersonId, b: PersonId| self.people[a.index()] == Some(b);
        let same_city = |a: CityId, b: CityId| self.cities[a.index()] == Some(b);
        let same_people = report.officials.len() == old.officials.len()
            && report.officials.iter().zip(&old.officials).all(|(a, b)| same_person(a.person, b.person));
        let same_cities = report.cities.len() == old.cities.len()
            && report.cities.iter().zip(&old.cities).all(|(a, b)| same_city(*a, *b));
        let same_figures = Arc::ptr_eq(&report.figures, &old.figures)
            || (report.figures.len() == old.figures.len()
                && report.figures.iter().zip(old.figures.iter()).all(|(f, g)| {
                    let city = match (f.city, g.city) {
                        (Some(a), Some(b)) => same_city(a, b),
                        (a, b) => a.is_none() && b.is_none(),
                    };
                    f.value == g.value && f.unit == g.unit && f.year == g.year && city
                }));
        report.date == old.date && report.end_date == old.end_date && same_people && same_cities && same_figures
    }
}

/// For each entity of `now`, the entity of `earlier` with the same names (its name,
/// aliases and names in other languages), found by its name.
fn same_names<T: Named, Id>(now: &[T], earlier: &[T], id: impl Fn(u32) -> Id) -> Vec<Option<Id>> {
    let by_name: ahash::AHashMap<&str, usize> = earlier.iter().enumerate().map(|(j, e)| (e.names().0, j)).collect();
    (now.iter())
        .map(|e| {
            let j = *by_name.get(e.names().0)?;
            (earlier[j].names() == e.names()).then(|| id(j as u32))
        })
        .collect()
}

/// A person or a city: its name, aliases and names in other languages.
trait Named {
    fn names(&self) -> (&str, &[String], &BTreeMap<String, String>);
}

impl Named for Person {
    fn names(&self) -> (&str, &[String], &BTreeMap<String, String>) {
        (&self.name, &self.aliases, &self.names)
    }
}

impl Named for City {
    fn names(&self) -> (&str, &[String], &BTreeMap<String, String>) {
        (&self.name, &self.aliases, &self.names)
    }
}

/// Whether every figure's city that translation `t` names is written as one of the
/// names of `report`'s cities, so that its check does not look it up by its key.
fn figure_cities_written(site: &Site, report: &Report, t: &Translated<RawTranslation>) -> bool {
    let cities = t.parsed.meta.figures.iter().flatten().filter_map(|f| f.city.as_deref());
    cities.into_iter().all(|name| report.cities.iter().any(|c| written_as(site.city(*c), name)))
}
