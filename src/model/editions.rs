//! A site's editions in its other languages (`languages:` in site.yaml): for each language,
//! a [`Site`] of the reports and pages translated into it, on the original's facts with
//! the translation's words, under `<code>/` (SPEC §6).
//!
//! An edition is made from the resolved site of the default language, not resolved again:
//! the translations were joined to their originals and checked there
//! ([`super::translations`]), so an edition keeps the original's ids of people, cities and
//! topics (and so the same slugs), shows each by its name in the language, and holds the
//! entities its reports name. Rendering an edition is rendering a site: every list, entity
//! page, feed, export and search index of the language comes from the same stages. In
//! `serve`, a report keeps its figures from the edition made before when they are the
//! same, texts written.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{
    Appearance, City, CityId, Country, CountryId, Edition, Figure, Page, Person, PersonId, Report, ReportId, Site,
    Topic, TopicId,
};
use crate::config::SiteConfig;

/// The edition of `site` (the default language's) in `language`, one of `languages:`;
/// `original_targets` are the `@/` link targets of `site` (`render::link_targets`).
/// `earlier` is the edition in the language that `serve` made before, when its figures
/// were written by the theme that will write these: a report keeps its figures from
/// there when they are the same ([`EarlierFigures`]).
pub fn edition(
    site: &Site,
    language: &str,
    original_targets: Arc<HashMap<String, String>>,
    earlier: Option<&Site>,
) -> Site {
    // Each report's translation into the language, found once: its list is behind a
    // pointer, and each language's code behind another.
    let translated: Vec<(ReportId, &super::ReportTranslation)> = (site.reports.iter().enumerate())
        .filter_map(|(i, r)| Some((ReportId(i as u32), translation_in(r, language)?)))
        .collect();
    let kept: Vec<ReportId> = translated.iter().map(|(id, _)| *id).collect();
    let ids = Ids::of(site, &kept);
    let earlier = earlier.map(|earlier| EarlierFigures::of(earlier, site, &ids));
    let reports = (translated.iter().enumerate())
        .map(|(i, (id, t))| {
            let kept = earlier.as_ref().and_then(|e| e.figures_of(i, site.report(*id), t, &ids));
            translated_report(site, *id, t, &ids, kept)
        })
        .collect();
    Site {
        config: edition_config(&site.config, language),
        reports,
        people: ids.people.kept.iter().map(|id| translated_person(site, *id, language, &ids)).collect(),
        cities: ids.cities.kept.iter().map(|id| translated_city(site, *id, language, &ids)).collect(),
        countries: ids.countries.kept.iter().map(|id| kept_country(site.country(*id), &ids)).collect(),
        topics: translated_topics(site, &translated, &ids),
        pages: site.pages.iter().filter_map(|p| translated_page(p, language)).collect(),
        withheld_sources: site.withheld_sources.clone(),
        city_keys: site.city_keys.clone(),
        edition: Edition { prefix: prefix(language), original_targets, ..Edition::default() },
        media: site.media.clone(),
    }
}

/// The folder of the edition in `language` (`ru/`).
pub fn prefix(language: &str) -> String {
    format!("{language}/")
}

/// The slug of report `original` in the edition its translation `t` is in: the
/// translation's own, else the original's.
pub fn translated_slug<'r>(original: &'r Report, t: &'r super::ReportTranslation) -> &'r str {
    t.slug.as_deref().unwrap_or(&original.slug)
}

/// The translation of `report` into `language`, if it has one.
pub fn translation_in<'r>(report: &'r Report, language: &str) -> Option<&'r super::ReportTranslation> {
    report.translations.iter().find(|t| t.language == language)
}

/// site.yaml as the edition sees it: its language, and that language's title and
/// description where `languages:` gives them.
fn edition_config(config: &SiteConfig, language: &str) -> SiteConfig {
    let words = config.languages.get(language).cloned().unwrap_or_default();
    SiteConfig {
        title: words.title.unwrap_or_else(|| config.title.clone()),
        description: words.description.unwrap_or_else(|| config.description.clone()),
        language: language.to_string(),
        right_to_left: crate::locale::is_right_to_left(language),
        ..config.clone()
    }
}

/// The old id -> new id maps of one kind of entity: those the kept reports name, in the
/// site's order.
struct Kept<T> {
    kept: Vec<T>,
    /// By old index ([`Kept::index`]): the new id, or [`Kept::NONE`]. Ids are dense, and
    /// an edition looks up every name of every report: a list, not a hash map.
    new_id: Vec<u32>,
    index: fn(T) -> usize,
}

impl<T: Copy + Ord> Kept<T> {
    const NONE: u32 = u32::MAX;

    /// The map of the `named` ids (any order, repeated) of a site holding `count` of them.
    fn of(mut named: Vec<T>, count: usize, index: fn(T) -> usize) -> Kept<T> {
        named.sort_unstable();
        named.dedup();
        let mut new_id = vec![Self::NONE; count];
        for (i, id) in named.iter().enumerate() {
            new_id[index(*id)] = i as u32;
        }
        Kept { kept: named, new_id, index }
    }

    fn get(&self, id: T) -> Option<u32> {
        self.new_id.get((self.index)(id)).copied().filter(|&new| new != Self::NONE)
    }
}

/// Which reports and entities an edition keeps, and their ids in it.
struct Ids {
    reports: Kept<ReportId>,
    people: Kept<PersonId>,
    cities: Kept<CityId>,
    countries: Kept<CountryId>,
    topics: Kept<TopicId>,
}

impl Ids {
    fn of(site: &Site, kept: &[ReportId]) -> Ids {
        let (mut people, mut cities, mut countries, mut topics) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for id in kept {
            let r = site.report(*id);
            for a in &r.officials {
                people.push(a.person);
                countries.extend(a.country.iter().chain(&site.person(a.person).country));
            }
            for c in r.cities.iter().chain(r.figures.iter().filter_map(|f| f.city.as_ref())) {
                cities.push(*c);
                countries.extend(site.city(*c).country);
            }
            topics.extend(&r.topics);
        }
        Ids {
            reports: Kept::of(kept.to_vec(), site.reports.len(), ReportId::index),
            people: Kept::of(people, site.people.len(), PersonId::index),
            cities: Kept::of(cities, site.cities.len(), CityId::index),
            countries: Kept::of(countries, site.countries.len(), CountryId::index),
            topics: Kept::of(topics, site.topics.len(), TopicId::index),
        }
    }

    fn report(&self, id: ReportId) -> Option<ReportId> {
        self.reports.get(id).map(ReportId)
    }
    fn person(&self, id: PersonId) -> PersonId {
        PersonId(self.people.get(id).expect("named by a kept report"))
    }
    fn city(&self, id: CityId) -> CityId {
        CityId(self.cities.get(id).expect("named by a kept report"))
    }
    fn country(&self, id: CountryId) -> Option<CountryId> {
        self.countries.get(id).map(CountryId)
    }
    fn topic(&self, id: TopicId) -> TopicId {
        TopicId(self.topics.get(id).expect("named by a kept report"))
    }
    fn reports(&self, ids: &[ReportId]) -> Vec<ReportId> {
        ids.iter().filter_map(|id| self.report(*id)).collect()
    }
}

/// The figures of an earlier edition in the same language, for the reports of one that
/// show the same: kept, they are not written again (`render::localise_reports` writes only
/// a report's own). Only figures whose city (if any) is among the first `kept_cities` of
/// both editions, the same cities in the same order, so that a figure's city is the same
/// by its id: a new city comes after the others and leaves the rest their ids.
struct EarlierFigures<'a> {
    places: super::EarlierPlaces<'a>,
    kept_cities: usize,
}

impl<'a> EarlierFigures<'a> {
    fn of(earlier: &'a Site, site: &Site, ids: &Ids) -> EarlierFigures<'a> {
        let slugs = ids.cities.kept.iter().map(|c| &site.city(*c).slug);
        let kept_cities = slugs.zip(earlier.cities.iter().map(|c| &c.slug)).take_while(|(a, b)| a == b).count();
        EarlierFigures { places: super::EarlierPlaces::of(earlier), kept_cities }
    }

    /// The earlier edition's figures of the report at place `i` of the new edition, made
    /// of translation `t` of `original`, if it made that report of `t` as read and its
    /// figures are those [`translated_figures`] would make (their texts aside, which the
    /// new ones do not have yet). Compared in place: making them to compare counted
    /// every shared text up and down, on both cores at once.
    fn figures_of(
        &self,
        i: usize,
        original: &Report,
        t: &super::ReportTranslation,
        ids: &Ids,
    ) -> Option<Arc<[Figure]>> {
        let old = self.places.report(self.places.sharing_body(i, &t.body)?);
        let same = |(k, (f, b)): (usize, (&Figure, &Figure))| {
            let (label, unit) = figure_words(f, t.figures.get(k));
            *label == b.label
                && f.value == b.value
                && unit == b.unit.as_ref()
                && f.qualifier == b.qualifier
                && f.year == b.year
                && f.city.map(|c| ids.city(c)) == b.city
                && b.city.is_none_or(|c| c.index() < self.kept_cities)
        };
        let figures = original.figures.iter().zip(old.figures.iter());
        (old.figures.len() == original.figures.len() && figures.enumerate().all(same)).then(|| old.figures.clone())
    }
}

/// `image` with the words a translation gives it, the original's where it gives none.
fn worded(image: &super::Image, words: &super::ImageWords) -> super::Image {
    super::Image {
        alt: words.alt.clone().unwrap_or_else(|| image.alt.clone()),
        caption: words.caption.clone().or_else(|| image.caption.clone()),
        credit: words.credit.clone().or_else(|| image.credit.clone()),
        ..image.clone()
    }
}

/// Report `id` with the words of its translation `t`, its ids those of the edition. It
/// keeps the original's source: links to it (`@/reports/x.md`) and its pages in other
/// languages are found by that.
/// Its figures are `figures` when given (kept from the edition before), else made anew.
fn translated_report(
    site: &Site,
    id: ReportId,
    t: &super::ReportTranslation,
    ids: &Ids,
    figures: Option<Arc<[Figure]>>,
) -> Report {
    let original = site.report(id);
    let none = super::OfficialWords::default();
    let officials = original.officials.iter().zip(t.officials.iter().chain(std::iter::repeat(&none)));
    Report {
        source: original.source.clone(),
        slug: translated_slug(original, t).to_string(),
        title: t.title.clone(),
        summary: t.summary.clone(),
        organisation: t.organisation.clone().or_else(|| original.organisation.clone()),
        cities: original.cities.iter().map(|c| ids.city(*c)).collect(),
        officials: officials
            .map(|(a, words)| Appearance {
                person: ids.person(a.person),
                role: words.role.clone().or_else(|| a.role.clone()),
                organisation: words.organisation.clone().or_else(|| a.organisation.clone()),
                country: a.country.and_then(|c| ids.country(c)),
            })
            .collect(),
        figures: figures.unwrap_or_else(|| translated_figures(original, t, ids).collect()),
        topics: original.topics.iter().map(|t| ids.topic(*t)).collect(),
        image: original.image.as_ref().map(|image| worded(image, &t.image)),
        gallery: original.gallery.iter().zip(&t.gallery).map(|(image, words)| worded(image, words)).collect(),
        extra: t.extra.clone().or_else(|| original.extra.clone()),
        body: t.body.clone(),
        body_line: t.body_line,
        // The original's related reports that are in this language, best first.
        related: ids.reports(&original.related),
        // Named one by one: cloning the whole original only to drop most of it copied
        // every report's texts and lists once more per language.
        date: original.date,
        end_date: original.end_date,
        draft: original.draft,
        translations: original.translations.clone(),
    }
}

/// The figures of report `original` with the words of its translation `t`, their ids
/// those of the edition.
fn translated_figures<'a>(
    original: &'a Report,
    t: &'a super::ReportTranslation,
    ids: &'a Ids,
) -> impl Iterator<Item = Figure> + 'a {
    // Field by field: cloning the figure to replace its words counted every shared text
    // up and down again.
    original.figures.iter().enumerate().map(move |(k, f)| {
        let (label, unit) = figure_words(f, t.figures.get(k));
        Figure {
            label: label.clone(),
            value: f.value,
            unit: unit.cloned(),
            qualifier: f.qualifier,
            year: f.year,
            city: f.city.map(|c| ids.city(c)),
            display: f.display.clone(),
        }
    })
}

/// The label and unit of figure `f` in a translation giving it `words`: the
/// translation's where it gives them, the original's otherwise.
fn figure_words<'a>(f: &'a Figure, words: Option<&'a super::FigureWords>) -> (&'a Arc<str>, Option<&'a Arc<str>>) {
    let label = words.and_then(|w| w.label.as_ref()).unwrap_or(&f.label);
    (label, words.and_then(|w| w.unit.as_ref()).or(f.unit.as_ref()))
}

/// Person `id` as the edition shows them: by their name in `language` (the default
/// language's where the registry gives none, which stays an alias for autolinking), with
/// the bio in the language where there is one.
fn translated_person(site: &Site, id: PersonId, language: &str, ids: &Ids) -> Person {
    let p = site.person(id);
    let (name, aliases) = name_in(&p.name, &p.aliases, &p.names, language);
    Person {
        name,
        aliases,
        country: p.country.and_then(|c| ids.country(c)),
        bio: p.bio_translations.get(language).cloned().or_else(|| p.bio.clone()),
        reports: ids.reports(&p.reports),
        ..p.clone()
    }
}

fn translated_city(site: &Site, id: CityId, language: &str, ids: &Ids) -> City {
    let c = site.city(id);
    let (name, aliases) = name_in(&c.name, &c.aliases, &c.names, language);
    City {
        name,
        aliases,
        country: c.country.and_then(|c| ids.country(c)),
        description: c.description_translations.get(language).cloned().or_else(|| c.description.clone()),
        reports: ids.reports(&c.reports),
        ..c.clone()
    }
}

/// An entity's name in `language` and its aliases, which gain the default language's name.
fn name_in(name: &str, aliases: &[String], names: &BTreeMap<String, String>, language: &str) -> (String, Vec<String>) {
    match names.get(language) {
        Some(translated) if translated != name => {
            let mut aliases = aliases.to_vec();
            aliases.push(name.to_string());
            (translated.clone(), aliases)
        }
        _ => (name.to_string(), aliases.to_vec()),
    }
}

fn kept_country(c: &Country, ids: &Ids) -> Country {
    Country {
        people: c.people.iter().filter_map(|p| ids.people.get(*p).map(PersonId)).collect(),
        cities: c.cities.iter().filter_map(|x| ids.cities.get(*x).map(CityId)).collect(),
        reports: ids.reports(&c.reports),
        ..c.clone()
    }
}

/// The kept topics, each named as the first translation listing it names it (the
/// translation's `topics:` follow the original's one by one).
fn translated_topics(site: &Site, translated: &[(ReportId, &super::ReportTranslation)], ids: &Ids) -> Vec<Topic> {
    let mut names: HashMap<TopicId, &str> = HashMap::new();
    for (id, t) in translated {
        let r = site.report(*id);
        for (topic, name) in r.topics.iter().zip(&t.topics) {
            names.entry(*topic).or_insert(name.as_str());
        }
    }
    (ids.topics.kept.iter())
        .map(|id| {
            let topic = site.topic(*id);
            Topic {
                name: names.get(id).map_or_else(|| topic.name.clone(), |n| n.to_string()),
                slug: topic.slug.clone(),
                reports: ids.reports(&topic.reports),
            }
        })
        .collect()
}

/// Page `p` in `language`, under the language's folder, if it is translated.
fn translated_page(p: &Page, language: &str) -> Option<Page> {
    let t = p.translations.iter().find(|t| t.language == language)?;
    Some(Page {
        path: format!("{language}/{}", p.path),
        title: t.title.clone().unwrap_or_else(|| p.title.clone()),
        summary: t.summary.clone(),
        extra: t.extra.clone().or_else(|| p.extra.clone()),
        body: t.body.clone(),
        body_line: t.body_line,
        ..p.clone()
    })
}
