//! Resolution: raw sources -> the validated [`Site`] graph.
//!
//! Identities come from the registries (names and aliases) and, failing that, from the
//! names themselves, compared by [`name_key`]. Slugs are checked for clashes; figure cities
//! must be report cities; back-links and related reports are computed here once, so
//! rendering only reads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::gathered::{GatheredNames, Limits, NamesOf};
use super::memory::{Memory, NamedCity, ReportNames, Written};
use super::names::{display_name, is_valid_slug, name_key, slug_too_long, slugify};
use super::translations::FilesRead;
use super::*;
use crate::diag::{Diagnostic, Diagnostics, Message, msg};
use crate::load::raw::{Localized, RawCityEntry, RawFigure, RawOfficial, RawPerson, RawReport};
use crate::load::{Parsed, Sources};

/// The resolver's lookups, hashed with aHash: names are looked up for every official and
/// city of every report, and SipHash was a good part of resolving.
type Map<K, V> = ahash::AHashMap<K, V>;

/// How many related reports each report lists.
pub const RELATED_LIMIT: usize = 5;

/// Site paths that generated pages own; plain pages may not take them.
const RESERVED_SECTIONS: &[&str] =
    &["reports", "people", "cities", "countries", "topics", "figures", "search", "page", "data", "assets"];

/// Resolves `sources` into a site. Problems are pushed into `diags`; the returned site
/// leaves out what could not be resolved.
pub fn resolve(sources: Sources, config: &SiteConfig, include_drafts: bool, diags: &mut Diagnostics) -> Site {
    let options = Options { config, include_drafts };
    resolve_remembering(sources, options, &mut Memory::forgetful(), None, diags)
}

/// How to resolve: the site's configuration and whether drafts are published.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    pub config: &'a SiteConfig,
    pub include_drafts: bool,
}

/// [`resolve`], with what the last resolve kept in `memory` and the site it made
/// (`before`, when it was good): the same site, sooner when little changed.
pub fn resolve_remembering(
    sources: Sources,
    Options { config, include_drafts }: Options,
    memory: &mut Memory,
    before: Option<&Site>,
    diags: &mut Diagnostics,
) -> Site {
    let mut r = Resolver { language: config.language.clone(), ..Resolver::default() };
    // Only a translation whose original is missing asks which files were read.
    let translated = !sources.report_translations.is_empty() || !sources.page_translations.is_empty();
    let read = if translated { content_files_read(&sources) } else { FilesRead::default() };
    let located = |path: &str, line: usize| super::Origin { path: path.to_string(), line };
    let people_entries: Vec<(String, super::Origin)> =
        sources.people.iter().map(|e| (e.value.name.clone(), located(&e.path, e.line))).collect();
    let city_entries: Vec<(String, super::Origin)> =
        sources.cities.iter().map(|e| (e.value.name.clone(), located(&e.path, e.line))).collect();
    // The registries and the reports' order need nothing of each other: side by side.
    let mut left_out = LeftOut::default();
    let ((), (reports, written, gathered)) = rayon::join(
        || r.add_registries(&sources.people, &sources.cities),
        || {
            let reports = left_out.order_reports(sources.reports, include_drafts, memory);
            let written: Vec<Arc<ReportNames>> = reports.iter().map(|(parsed, _)| memory.names(parsed)).collect();
            let gathered = GatheredNames::gather(&written, LIMITS);
            (reports, written, gathered)
        },
    );
    r.diags.append(&mut left_out.diags);
    // Oldest first, so an unregistered person or city is named as first reported; ids
    // stay newest first.
    let mut names: Vec<NamedEntities> = (reports.iter().enumerate().rev())
        .map(|(i, (parsed, _))| r.resolve_names(parsed, gathered.of(i), memory))
        .collect();
    names.reverse();
    r.settle_countries();
    let earlier = before.filter(|_| memory.figures_current()).map(|before| (before, r.cities_kept_from(before)));
    let resolved = r.finish_reports(&reports, &written, names, earlier, memory.spare_reports.take());
    // Freeing the parsed files (the last copy in a build) takes a while: not on the way.
    rayon::spawn(move || drop(reports));
    r.reports = resolved;
    let pages = r.resolve_pages(sources.pages, include_drafts);
    r.check_entity_slugs();
    let mut site = Site {
        config: config.clone(),
        reports: r.reports,
        people: r.people,
        cities: r.cities,
        countries: r.countries,
        topics: r.topics,
        pages,
        withheld_sources: sources.unreadable.iter().cloned().chain(left_out.withheld).collect(),
        city_keys: Arc::new(r.city_keys),
        edition: Default::default(),
        media: Default::default(),
    };
    diags.extend(r.diags);
    // The back-links and the translations' checks need nothing of each other.
    let translations = &sources.report_translations;
    let (back_links, checked) = rayon::join(
        || BackLinks::of(&site),
        || super::translations::check(&site, translations, (&read, include_drafts), before),
    );
    back_links.fill(&mut site);
    let mut problems = Vec::new();
    let pages = sources.page_translations;
    super::translations::join(&mut site, checked, pages, (&read, include_drafts), &mut problems);
    diags.extend(problems);
    let registry: Vec<(&str, &str, super::Origin)> = people_entries
        .iter()
        .map(|(name, origin)| ("person", name.as_str(), origin.clone()))
        .chain(city_entries.iter().map(|(name, origin)| ("city", name.as_str(), origin.clone())))
        .collect();
    // Lookalike names and names missing in a language do not depend on related reports:
    // they are worked out beside them.
    let (related, (warnings, missing)) = rayon::join(
        || match before {
            Some(before) => super::related::related_reports_after(&site, before, RELATED_LIMIT),
            None => super::related::related_reports(&site, RELATED_LIMIT),
        },
        || {
            let missing = if translated { super::translations::missing_names(&site) } else { Vec::new() };
            (super::lint::warnings(&site, &registry, &mut memory.lint), missing)
        },
    );
    diags.extend(missing);
    memory.finish();
    for (report, related) in site.reports.iter_mut().zip(related) {
        report.related = related;
    }
    diags.extend(warnings);
    site
}

/// The texts of `localized` in every language but `default`.
fn other_languages(localized: Option<&Localized>, default: &str) -> BTreeMap<String, String> {
    match localized {
        Some(Localized::ByLanguage(texts)) => {
            texts.iter().filter(|(l, _)| *l != default).map(|(l, t)| (l.clone(), t.clone())).collect()
        }
        _ => BTreeMap::new(),
    }
}

/// Every content file read, published or not, for telling a translation of nothing from
/// one whose original was left out (looked up only when that is asked).
fn content_files_read(sources: &Sources) -> FilesRead {
    let others = sources.pages.iter().map(|p| p.path.clone()).chain(sources.unreadable.iter().cloned());
    FilesRead::new(sources.reports.clone(), others.collect())
}

/// Whether an edit of a report from `before` to `after` can change nothing outside the
/// report itself: the same slug, date and draft state (so the same place in every list),
/// the same cities, officials' names and countries and topics (so the same entities, with
/// the same countries, related reports and autolinks), each city and official named on
/// the same line (where an entity is first named is kept for diagnostics). Roles, the
/// title, summary, figures and the rest may differ: [`re_resolve_report`] redoes them.
pub fn edit_stays_in_report(before: &Parsed<RawReport>, after: &Parsed<RawReport>) -> bool {
    before.path == after.path && placing(before) == placing(after)
}

/// Whether an edit of a report from `before` to `after`, one for which
/// [`edit_stays_in_report`] holds, changes only its words that translations give in their
/// own (its title and summary), so that no page in another language shows the change and
/// the checks of its translations against its facts stay as they were.
pub fn edit_changes_only_translated_words(before: &Parsed<RawReport>, after: &Parsed<RawReport>) -> bool {
    before.path == after.path && shared(before) == shared(after)
}

/// What of a report its translations share or fall back to: every field but the title and
/// the summary, each named (no `..`) for the same reason as in [`placing`]. Where its
/// entities are named is [`placing`]'s, which the caller has compared already.
fn shared(parsed: &Parsed<RawReport>) -> impl PartialEq + '_ {
    let RawReport {
        title: _,
        date,
        end_date,
        slug,
        summary: _,
        draft,
        organisation,
        cities,
        officials,
        figures,
        topics,
        image,
        gallery,
        extra,
    } = &parsed.meta;
    ((date, end_date, slug, draft, organisation), (cities, officials, figures, topics), (image, gallery, extra))
}

/// What of a report decides its place in the site: every field is named (no `..`), so a
/// field added to the front matter does not compile until it is sorted into what moves
/// the report or its entities (compared) and what [`re_resolve_report`] redoes (`_`).
fn placing(parsed: &Parsed<RawReport>) -> impl PartialEq + '_ {
    let RawReport {
        title: _,
        date,
        end_date: _,
        slug,
        summary: _,
        draft,
        organisation: _,
        cities,
        officials,
        figures: _,
        topics,
        // An image's file is published by the media stage, which runs after a resolve.
        image,
        gallery,
        extra: _,
    } = &parsed.meta;
    let officials: Vec<(&String, &Option<String>)> =
        officials.iter().map(|RawOfficial { name, country, role: _, organisation: _ }| (name, country)).collect();
    // Where each entity is first named is kept for diagnostics.
    let names = cities.iter().map(|c| &c.name).chain(officials.iter().map(|o| o.0));
    let lines: Vec<usize> = names.map(|name| locate_name(parsed, name).0).collect();
    (date, slug, draft, cities, topics, officials, lines, image, gallery)
}

/// Report `id` of `site` as `parsed` (an edit for which [`edit_stays_in_report`] holds)
/// resolves it, or `None` when it has errors: the caller then resolves the whole site,
/// which reports them.
pub fn re_resolve_report(site: &Site, id: ReportId, parsed: &Parsed<RawReport>) -> Option<Report> {
    let old = site.report(id);
    let mut diags = Vec::new();
    let officials = old
        .officials
        .iter()
        .zip(&parsed.meta.officials)
        .map(|(a, raw)| Appearance { role: raw.role.clone(), organisation: raw.organisation.clone(), ..a.clone() })
        .collect();
    let figures = (parsed.meta.figures.iter().enumerate())
        .filter_map(|(i, f)| {
            let cities = CityTable { keys: &site.city_keys, as_written: None, cities: &site.cities };
            resolve_figure(&cities, (parsed, i, None), f, &old.cities, &mut diags)
        })
        .collect();
    check_end_date(parsed, &mut diags);
    let images = super::images::report_images(parsed, &mut diags);
    let resolved = ResolvedLists { images, cities: old.cities.clone(), officials, figures, topics: old.topics.clone() };
    let mut report = new_report(parsed, old.slug.clone(), resolved);
    report.related.clone_from(&old.related);
    report.translations.clone_from(&old.translations);
    diags.is_empty().then_some(report)
}

/// `reports` newest first, ties by slug, then by path (unique, so the order is total).
/// Dates are read once into a compact list and sorted there: comparing the reports in
/// place reads each one's front matter, scattered over memory, at every comparison.
fn newest_first(reports: Vec<(Arc<Parsed<RawReport>>, String)>) -> Vec<(Arc<Parsed<RawReport>>, String)> {
    let mut order: Vec<(std::cmp::Reverse<NaiveDate>, u32)> =
        (reports.iter().enumerate()).map(|(i, (p, _))| (std::cmp::Reverse(p.meta.date.0), i as u32)).collect();
    order.sort_unstable_by(|(date_a, a), (date_b, b)| {
        let ((a, slug_a), (b, slug_b)) = (&reports[*a as usize], &reports[*b as usize]);
        date_a.cmp(date_b).then_with(|| slug_a.cmp(slug_b)).then_with(|| a.path.cmp(&b.path))
    });
    let mut slots: Vec<Option<(Arc<Parsed<RawReport>>, String)>> = reports.into_iter().map(Some).collect();
    order.into_iter().map(|(_, i)| slots[i as usize].take().expect("each place taken once")).collect()
}

/// Where in `parsed` its name `name` (interned as `written`) is, as the origin of an
/// entity first named there: the line is remembered, since the same report is usually
/// where the entity is first named in the next resolve too.
fn origin_of<'a>(
    parsed: &'a Parsed<RawReport>,
    (name, written): (impl Fn() -> &'a str + 'a, Written),
) -> impl FnMut(&mut Memory) -> Origin + 'a {
    move |memory| Origin {
        path: parsed.path.clone(),
        line: memory.line(parsed, written, || locate_name(parsed, name()).0),
    }
}

/// What a report names, resolved to entities (officials with the country given).
struct NamedEntities {
    cities: Vec<CityId>,
    officials: Vec<(PersonId, Option<CountryId>)>,
    topics: Vec<TopicId>,
}

/// A report's lists once their names are resolved.
struct ResolvedLists {
    images: super::images::ReportImages,
    cities: Vec<CityId>,
    officials: Vec<Appearance>,
    figures: Arc<[Figure]>,
    topics: Vec<TopicId>,
}

/// The report `parsed` describes, its lists resolved; related reports come later.
fn new_report(parsed: &Parsed<RawReport>, slug: String, lists: ResolvedLists) -> Report {
    let meta = &parsed.meta;
    Report {
        source: parsed.path.clone(),
        slug,
        title: meta.title.trim().to_string(),
        date: meta.date.0,
        end_date: meta.end_date.map(|d| d.0),
        summary: meta.summary.clone().filter(|s| !s.trim().is_empty()),
        draft: meta.draft,
        organisation: meta.organisation.clone(),
        cities: lists.cities,
        officials: lists.officials,
        figures: lists.figures,
        topics: lists.topics,
        extra: meta.extra.clone(),
        // The body is shared with the parsed file: a large archive's text is not copied.
        body: parsed.body.clone(),
        body_line: parsed.body_line,
        image: lists.images.image,
        gallery: lists.images.gallery,
        related: Vec::new(),
        translations: Default::default(),
    }
}

/// The figures of report `i` (of file `parsed`, naming `cities`) as the `earlier` site
/// has them, if that site made the report of this very file as read (at its place or a
/// neighbour's: an edit moves a report by one place at most, but for the edited one) and
/// with the same cities, each among the first `kept_cities`, which the same names find as
/// they did there (`Resolver::cities_kept_from`).
fn earlier_figures(
    (earlier, kept_cities): &(EarlierPlaces, usize),
    i: usize,
    parsed: &Parsed<RawReport>,
    cities: &[CityId],
) -> Option<Arc<[Figure]>> {
    let found = earlier.report(earlier.sharing_body(i, &parsed.body)?);
    let kept = |c: &CityId| c.index() < *kept_cities;
    (found.cities == cities && cities.iter().all(kept)).then(|| found.figures.clone())
}

fn check_end_date(parsed: &Parsed<RawReport>, diags: &mut Vec<Diagnostic>) {
    let meta = &parsed.meta;
    if let Some(end) = &meta.end_date
        && end.0 < meta.date.0
    {
        let (line, col) = locate(parsed, "end_date:");
        diags.push(Diagnostic::error(&parsed.path, line, col, msg!("end_date is before date")));
    }
}

/// Figure `index` of a report whose cities are `report_cities` (its city's name as
/// written interned, when known): its city must be one of them (or, unnamed, the
/// report's only city).
fn resolve_figure(
    table: &CityTable,
    (parsed, index, written): (&Parsed<RawReport>, usize, Option<Written>),
    raw: &RawFigure,
    report_cities: &[CityId],
    diags: &mut Vec<Diagnostic>,
) -> Option<Figure> {
    let city = match &raw.city {
        Some(name) => {
            let found = table.find(name, written).filter(|id| report_cities.contains(id));
            if found.is_none() {
                let (line, col) = locate(parsed, &format!("city: {name}"));
                let allowed: Vec<&str> = report_cities.iter().map(|c| table.cities[c.index()].name.as_str()).collect();
                let listed = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
                diags.push(Diagnostic::error(
                    &parsed.path,
                    line,
                    col,
                    msg!("figures[{index}].city: \"{name}\" is not one of this report's cities ({listed})"),
                ));
                return None;
            }
            found
        }
        None if report_cities.len() == 1 => Some(report_cities[0]),
        None => None,
    };
    let unit = raw.unit.clone().filter(|u| !u.trim().is_empty());
    Some(Figure {
        label: raw.label.clone(),
        value: raw.value.0,
        // Written in each language's words by the render stage (`render::language_sites`).
        display: Default::default(),
        unit,
        qualifier: raw.qualifier,
        year: raw.year,
        city,
    })
}

/// The cities a figure's `city:` is looked up in.
struct CityTable<'a> {
    keys: &'a Map<String, CityId>,
    /// Names as written in reports, when a whole resolve has them: a figure names its city
    /// as its report's `cities:` does, and the lookup then needs no [`name_key`].
    as_written: Option<&'a Found<CityId>>,
    cities: &'a [City],
}

impl CityTable<'_> {
    /// The city `name` (interned as `written`, when known) names. A name as written
    /// resolved to the city its key has, so both lookups agree.
    fn find(&self, name: &str, written: Option<Written>) -> Option<CityId> {
        let found = self.as_written.zip(written).and_then(|(w, written)| w.get(written));
        found.or_else(|| self.keys.get(&name_key(name)).copied())
    }
}

/// What each name as written resolved to in one resolve, by its number in the
/// [`Memory`]'s interner (identities never change once made within one resolve).
struct Found<T>(Vec<Option<T>>);

impl<T> Default for Found<T> {
    fn default() -> Self {
        Found(Vec::new())
    }
}

impl<T: Copy> Found<T> {
    fn get(&self, written: Written) -> Option<T> {
        self.0.get(written.index()).copied().flatten()
    }

    fn set(&mut self, written: Written, id: T) {
        if self.0.len() <= written.index() {
            self.0.resize(written.index() + 1, None);
        }
        self.0[written.index()] = Some(id);
    }
}

#[derive(Default)]
struct Resolver {
    /// The site's default language, which registry texts without languages are in.
    language: String,
    reports: Vec<Report>,
    people: Vec<Person>,
    /// The first country given with each person, while names are resolved
    /// ([`Self::settle_countries`]).
    people_countries: Vec<Option<CountryId>>,
    person_keys: Map<String, PersonId>,
    cities: Vec<City>,
    city_keys: Map<String, CityId>,
    countries: Vec<Country>,
    country_keys: Map<String, CountryId>,
    /// Names exactly as written -> the entity they resolved to. The same official or city
    /// is named the same way in report after report; this spares normalising the name
    /// each time.
    people_as_written: Found<PersonId>,
    cities_as_written: Found<CityId>,
    countries_as_written: Found<CountryId>,
    topics: Vec<Topic>,
    topic_slugs: Map<String, TopicId>,
    topics_as_written: Found<TopicId>,
    diags: Vec<Diagnostic>,
}

impl Resolver {
    fn error(&mut self, origin: &Origin, message: Message) {
        self.diags.push(Diagnostic::error(&origin.path, origin.line, 1, message));
    }

    fn add_registries(
        &mut self,
        people: &[crate::load::Located<RawPerson>],
        cities: &[crate::load::Located<RawCityEntry>],
    ) {
        for entry in people {
            self.add_registry_person(entry);
        }
        for entry in cities {
            self.add_registry_city(entry);
        }
    }

    fn add_registry_person(&mut self, entry: &crate::load::Located<RawPerson>) {
        let raw = &entry.value;
        let origin = Origin { path: entry.path.clone(), line: entry.line };
        let key = name_key(&raw.name);
        if let Some(existing) = self.person_keys.get(&key) {
            let other = self.people[existing.index()].origin.clone();
            return self.error(&origin, msg!("person \"{}\" is already listed at {other}", raw.name));
        }
        let country = raw.country.as_deref().map(|c| self.country((|| c, None), || origin.clone()));
        let id = PersonId(self.people.len() as u32);
        self.people_countries.push(country);
        let name = display_name(&raw.name);
        self.people.push(Person {
            slug: slugify(&name),
            name,
            aliases: raw.aliases.clone(),
            names: raw.names.clone(),
            country,
            bio: raw.bio.as_ref().and_then(|b| b.get(&self.language, &self.language)).map(str::to_string),
            bio_translations: other_languages(raw.bio.as_ref(), &self.language),
            photo: raw.photo.clone(),
            origin: origin.clone(),
            reports: Vec::new(),
        });
        self.person_keys.insert(key, id);
        for alias in raw.aliases.iter().chain(raw.names.values()) {
            if let Some(previous) = self.person_keys.insert(name_key(alias), id).filter(|p| *p != id) {
                let other = &self.people[previous.index()];
                let message = msg!(
                    "alias \"{alias}\" of {} is already a name or alias of {} ({})",
                    raw.name,
                    other.name,
                    other.origin
                );
                self.person_keys.insert(name_key(alias), previous);
                self.error(&origin, message);
            }
        }
    }

    fn add_registry_city(&mut self, entry: &crate::load::Located<RawCityEntry>) {
        let raw = &entry.value;
        let origin = Origin { path: entry.path.clone(), line: entry.line };
        let key = name_key(&raw.name);
        if let Some(existing) = self.city_keys.get(&key) {
            let other = self.cities[existing.index()].origin.clone();
            return self.error(&origin, msg!("city \"{}\" is already listed at {other}", raw.name));
        }
        let country = raw.country.as_deref().map(|c| self.country((|| c, None), || origin.clone()));
        let id = CityId(self.cities.len() as u32);
        let name = display_name(&raw.name);
        self.cities.push(City {
            slug: slugify(&name),
            name,
            aliases: raw.aliases.clone(),
            names: raw.names.clone(),
            province: raw.province.clone(),
            country,
            lat: raw.lat,
            lon: raw.lon,
            description: raw
                .description
                .as_ref()
                .and_then(|d| d.get(&self.language, &self.language))
                .map(str::to_string),
            description_translations: other_languages(raw.description.as_ref(), &self.language),
            origin: origin.clone(),
            reports: Vec::new(),
        });
        self.city_keys.insert(key, id);
        for alias in raw.aliases.iter().chain(raw.names.values()) {
            if let Some(previous) = self.city_keys.insert(name_key(alias), id).filter(|c| *c != id) {
                let other = &self.cities[previous.index()];
                let message = msg!(
                    "alias \"{alias}\" of {} is already a name or alias of {} ({})",
                    raw.name,
                    other.name,
                    other.origin
                );
                self.city_keys.insert(name_key(alias), previous);
                self.error(&origin, message);
            }
        }
    }

    /// The country `name` (interned as `written`, when it is a report's; its text read
    /// only where this resolve has not met it yet) names, made (at `origin`, computed
    /// only then) if new.
    fn country<'n>(
        &mut self,
        (name, written): (impl FnOnce() -> &'n str, Option<Written>),
        origin: impl FnOnce() -> Origin,
    ) -> CountryId {
        if let Some(id) = written.and_then(|w| self.countries_as_written.get(w)) {
            return id;
        }
        let name = name();
        let key = name_key(name);
        if let Some(id) = self.country_keys.get(&key).copied() {
            if let Some(w) = written {
                self.countries_as_written.set(w, id);
            }
            return id;
        }
        let id = CountryId(self.countries.len() as u32);
        self.countries.push(Country {
            name: display_name(name),
            slug: slugify(name),
            origin: origin(),
            people: Vec::new(),
            cities: Vec::new(),
            reports: Vec::new(),
        });
        self.country_keys.insert(key, id);
        if let Some(w) = written {
            self.countries_as_written.set(w, id);
        }
        id
    }

    fn topic<'n>(
        &mut self,
        (name, written): (impl FnOnce() -> &'n str, Written),
        origin: &dyn Fn() -> Origin,
    ) -> Option<TopicId> {
        if let Some(id) = self.topics_as_written.get(written) {
            return Some(id);
        }
        let name = name();
        let slug = slugify(name);
        if slug.is_empty() {
            self.error(&origin(), msg!("topic \"{name}\" has no letters or digits to make a URL from"));
            return None;
        }
        if let Some(message) = slug_too_long("the slug made from this topic", &slug) {
            self.error(&origin(), message);
            return None;
        }
        let id = match self.topic_slugs.get(&slug) {
            Some(id) => *id,
            None => {
                let id = TopicId(self.topics.len() as u32);
                self.topics.push(Topic { name: name.trim().to_string(), slug: slug.clone(), reports: Vec::new() });
                self.topic_slugs.insert(slug, id);
                id
            }
        };
        self.topics_as_written.set(written, id);
        Some(id)
    }

    /// An error for each of `parsed`'s lists that names more than [`LIMITS`] allows
    /// (`over`, as [`NamesOf::over`]; only the first ones count): a report is linked with
    /// everyone and everywhere it names, so the pages of a report naming thousands would
    /// grow with the square of that number.
    fn check_limits(&mut self, parsed: &Parsed<RawReport>, over: [bool; 3]) {
        let meta = &parsed.meta;
        let lists = [
            ("cities", meta.cities.len(), LIMITS.cities),
            ("officials", meta.officials.len(), LIMITS.officials),
            ("topics", meta.topics.len(), LIMITS.topics),
        ];
        for ((key, len, max), _) in lists.into_iter().zip(over).filter(|(_, over)| *over) {
            let (line, col) = locate(parsed, &format!("{key}:"));
            let message = msg!("{key}: a report may name at most {max}; this one names {len}");
            self.diags.push(Diagnostic::error(&parsed.path, line, col, message));
        }
    }

    /// Gives each person the first country given with them (kept aside while names are
    /// resolved, report after report: the people themselves are scattered in memory).
    fn settle_countries(&mut self) {
        for (person, country) in self.people.iter_mut().zip(&self.people_countries) {
            person.country = *country;
        }
    }

    /// The entities report `parsed` names (its cities, officials and topics), made where
    /// they are new: the one step of resolving that must go report after report, since
    /// an entity is made as first named.
    ///
    /// The front matter itself is read only where a name is new to this resolve (or a
    /// list too long): `written` holds the names as interned and gathered.
    fn resolve_names(&mut self, parsed: &Parsed<RawReport>, written: NamesOf, memory: &mut Memory) -> NamedEntities {
        if written.over.contains(&true) {
            self.check_limits(parsed, written.over);
        }
        let cities = written.cities.iter().enumerate();
        let cities: Vec<CityId> =
            dedup(cities.map(|(k, named)| self.report_city((parsed, k), *named, memory)).collect());
        let officials = written.officials.iter().enumerate();
        let officials = officials.map(|(k, w)| self.appearance((parsed, k), *w, memory)).collect();
        let origin = || Origin { path: parsed.path.clone(), line: locate(parsed, "topics").0 };
        let topics = written.topics.iter().enumerate();
        let topics = topics.filter_map(|(k, w)| self.topic((|| parsed.meta.topics[k].as_str(), *w), &origin));
        NamedEntities { cities, officials, topics: dedup(topics.collect()) }
    }

    /// The reports (`parsed` with their slugs, and the entities each names, in the same
    /// order), made side by side once every entity exists: a report's figures need only
    /// its cities and the city table, and copying its text and formatting its figures is
    /// most of resolving. A report of a file unchanged since the `earlier` site, with the
    /// same cities, keeps its figures from there (with their texts: the caller knows them
    /// current), since the same names find the same cities in the same table. Written
    /// into `reports`, an empty buffer that may be an earlier site's ([`SpareReports`]).
    ///
    /// [`SpareReports`]: super::memory::SpareReports
    fn finish_reports(
        &mut self,
        parsed: &[(Arc<Parsed<RawReport>>, String)],
        written: &[Arc<ReportNames>],
        names: Vec<NamedEntities>,
        earlier: Option<(&Site, usize)>,
        mut reports: Vec<Report>,
    ) -> Vec<Report> {
        let table =
            CityTable { keys: &self.city_keys, as_written: Some(&self.cities_as_written), cities: &self.cities };
        let earlier = earlier.filter(|(_, kept)| *kept > 0).map(|(site, kept)| (EarlierPlaces::of(site), kept));
        let mut diags: Vec<Vec<Diagnostic>> = Vec::new();
        (names.into_par_iter().zip(parsed).zip(written))
            .enumerate()
            .map(|(i, ((named, (parsed, slug)), written))| {
                let mut diags = Vec::new();
                let kept = earlier.as_ref().and_then(|earlier| earlier_figures(earlier, i, parsed, &named.cities));
                let figures = kept.unwrap_or_else(|| {
                    // Sized at once: figures that fail are few, and growing the list was
                    // a good part of making 10,000 reports.
                    let mut figures = Vec::with_capacity(parsed.meta.figures.len());
                    figures.extend((parsed.meta.figures.iter().enumerate()).filter_map(|(i, f)| {
                        let city = (parsed.as_ref(), i, written.figure_cities[i]);
                        resolve_figure(&table, city, f, &named.cities, &mut diags)
                    }));
                    figures.into()
                });
                check_end_date(parsed, &mut diags);
                let images = super::images::report_images(parsed, &mut diags);
                let officials = (named.officials.into_iter().zip(&parsed.meta.officials))
                    .map(|((person, country), raw)| Appearance {
                        person,
                        role: raw.role.clone(),
                        organisation: raw.organisation.clone(),
                        country,
                    })
                    .collect();
                let lists = ResolvedLists { images, cities: named.cities, officials, figures, topics: named.topics };
                (new_report(parsed, slug.clone(), lists), diags)
            })
            .unzip_into_vecs(&mut reports, &mut diags);
        self.diags.extend(diags.into_iter().flatten());
        reports
    }

    /// How many of the first cities are those of `before`, with the same ids, names and
    /// aliases: a figure's city name that found one of them there finds it here (a city
    /// is made only for a name no city has), so a report whose cities are among them may
    /// keep its figures. A new city named in a report comes after the registry's, and
    /// after those first named in older reports: most reports keep their figures, where
    /// requiring every city to be the same made all 30,000 figures of 10,000 reports anew.
    fn cities_kept_from(&self, before: &Site) -> usize {
        let same = |(a, b): &(&City, &City)| a.name == b.name && a.aliases == b.aliases && a.names == b.names;
        self.cities.iter().zip(&before.cities).take_while(same).count()
    }

    /// The city that city `k` of report `parsed` (`named`) is, made if new; the city is
    /// given the first country and province the reports give it.
    fn report_city(
        &mut self,
        (parsed, k): (&Parsed<RawReport>, usize),
        named: NamedCity,
        memory: &mut Memory,
    ) -> CityId {
        let raw = || &parsed.meta.cities[k];
        let written = named.name;
        let mut origin = origin_of(parsed, (|| raw().name.as_str(), written));
        let country_name = || raw().country.as_deref().unwrap_or_default();
        let country = named.country.map(|w| self.country((country_name, Some(w)), || origin(memory)));
        let known = self.cities_as_written.get(written);
        let found = known.or_else(|| self.city_keys.get(&memory.interner.forms(written, || &raw().name).key).copied());
        if let Some(id) = found {
            if known.is_none() {
                self.cities_as_written.set(written, id);
            }
            // Nothing to give the city otherwise (and it need not be read).
            if country.is_some() || named.province {
                let city = &mut self.cities[id.index()];
                city.country = city.country.or(country);
                if city.province.is_none() {
                    city.province.clone_from(&raw().province);
                }
            }
            return id;
        }
        let id = CityId(self.cities.len() as u32);
        let forms = memory.interner.forms(written, || &raw().name);
        let (key, name, slug) = (forms.key.clone(), forms.shown.clone(), forms.slug.clone());
        self.cities.push(City {
            name,
            slug,
            aliases: Vec::new(),
            names: BTreeMap::new(),
            province: raw().province.clone(),
            country,
            lat: None,
            lon: None,
            description: None,
            description_translations: BTreeMap::new(),
            origin: origin(memory),
            reports: Vec::new(),
        });
        self.city_keys.insert(key, id);
        self.cities_as_written.set(written, id);
        id
    }

    /// The person official `k` of report `parsed` is (named `written`), and the country
    /// given with them.
    fn appearance(
        &mut self,
        (parsed, k): (&Parsed<RawReport>, usize),
        (written, country): (Written, Option<Written>),
        memory: &mut Memory,
    ) -> (PersonId, Option<CountryId>) {
        let raw = || &parsed.meta.officials[k];
        let mut origin = origin_of(parsed, (|| raw().name.as_str(), written));
        let country_name = || raw().country.as_deref().unwrap_or_default();
        let country = country.map(|w| self.country((country_name, Some(w)), || origin(memory)));
        let known = self.people_as_written.get(written);
        let found =
            known.or_else(|| self.person_keys.get(&memory.interner.forms(written, || &raw().name).key).copied());
        let person = match found {
            Some(id) => {
                if known.is_none() {
                    self.people_as_written.set(written, id);
                }
                let first = &mut self.people_countries[id.index()];
                *first = first.or(country);
                id
            }
            None => {
                let id = PersonId(self.people.len() as u32);
                let forms = memory.interner.forms(written, || &raw().name);
                let (key, name, slug) = (forms.key.clone(), forms.shown.clone(), forms.slug.clone());
                self.people_countries.push(country);
                self.people.push(Person {
                    name,
                    slug,
                    aliases: Vec::new(),
                    names: BTreeMap::new(),
                    country,
                    bio: None,
                    bio_translations: BTreeMap::new(),
                    photo: None,
                    origin: origin(memory),
                    reports: Vec::new(),
                });
                self.person_keys.insert(key, id);
                self.people_as_written.set(written, id);
                id
            }
        };
        (person, country)
    }

    fn resolve_pages(&mut self, parsed: Vec<Parsed<crate::load::raw::RawPage>>, include_drafts: bool) -> Vec<Page> {
        let mut pages: Vec<Page> = Vec::new();
        let mut paths: HashMap<String, String> = HashMap::new();
        for p in parsed.into_iter().filter(|p| include_drafts || !p.meta.draft) {
            let Some(path) = page_path(&p.path) else {
                self.diags.push(Diagnostic::error(
                    &p.path,
                    1,
                    1,
                    msg!("this file would replace the home page; rename it"),
                ));
                continue;
            };
            let section = path.split('/').next().unwrap_or("");
            if RESERVED_SECTIONS.contains(&section) {
                self.diags.push(Diagnostic::error(
                    &p.path,
                    1,
                    1,
                    msg!("/{path} is generated by communique; move this page elsewhere"),
                ));
                continue;
            }
            if let Some(first) = paths.insert(path.clone(), p.path.clone()) {
                self.diags.push(Diagnostic::error(
                    &p.path,
                    1,
                    1,
                    msg!("this page has the same URL /{path} as {first}"),
                ));
                continue;
            }
            let title = p.meta.title.clone().unwrap_or_else(|| title_from_path(&p.path));
            pages.push(Page {
                source: p.path,
                path,
                title,
                summary: p.meta.summary,
                extra: p.meta.extra,
                body: p.body,
                body_line: p.body_line,
                translations: Vec::new(),
            });
        }
        pages
    }

    /// Two people (or cities, or countries) on one slug would overwrite one page.
    fn check_entity_slugs(&mut self) {
        let people: Vec<(String, String, Origin)> =
            self.people.iter().map(|p| (p.slug.clone(), p.name.clone(), p.origin.clone())).collect();
        let cities: Vec<_> = self.cities.iter().map(|c| (c.slug.clone(), c.name.clone(), c.origin.clone())).collect();
        let countries: Vec<_> =
            self.countries.iter().map(|c| (c.slug.clone(), c.name.clone(), c.origin.clone())).collect();
        for (kind, entities) in [("person", people), ("city", cities), ("country", countries)] {
            let mut seen: HashMap<String, (String, Origin)> = HashMap::new();
            for (slug, name, origin) in entities {
                if slug.is_empty() {
                    self.error(&origin, msg!("{kind} \"{name}\" has no letters or digits to make a URL from"));
                } else if let Some(message) =
                    slug_too_long(&format!("the slug made from the name of this {kind}"), &slug)
                {
                    self.error(&origin, message);
                } else if let Some((other, other_origin)) = seen.get(&slug) {
                    let message = msg!(
                        "{kind} \"{name}\" and {kind} \"{other}\" ({other_origin}) would share the URL slug \"{slug}\"; \
                         if they are the same {kind}, add one as an alias in the registry"
                    );
                    self.error(&origin, message);
                } else {
                    seen.insert(slug, (name, origin));
                }
            }
        }
    }
}

/// Each entity's reports, newest first, and each country's people and cities: the
/// back-links, worked out from the site's reports and entities alone (beside the
/// translations, which need nothing of them) and then given to the entities.
struct BackLinks {
    people: Vec<Vec<ReportId>>,
    cities: Vec<Vec<ReportId>>,
    topics: Vec<Vec<ReportId>>,
    countries: Vec<CountryLinks>,
}

/// A country's back-links.
#[derive(Default)]
struct CountryLinks {
    reports: Vec<ReportId>,
    people: Vec<PersonId>,
    cities: Vec<CityId>,
}

impl BackLinks {
    fn of(site: &Site) -> BackLinks {
        let mut links = BackLinks {
            people: vec![Vec::new(); site.people.len()],
            cities: vec![Vec::new(); site.cities.len()],
            topics: vec![Vec::new(); site.topics.len()],
            countries: site.countries.iter().map(|_| CountryLinks::default()).collect(),
        };
        // One list of each kind reused from report to report: 10,000 reports would
        // otherwise make 20,000 short lists.
        let (mut people, mut countries) = (Vec::new(), Vec::new());
        for (i, report) in site.reports.iter().enumerate() {
            let id = ReportId(i as u32);
            countries.clear();
            people.clear();
            people.extend(report.officials.iter().map(|a| a.person));
            dedup_in_place(&mut people);
            for person in &people {
                links.people[person.index()].push(id);
                countries.extend(site.people[person.index()].country);
            }
            countries.extend(report.officials.iter().filter_map(|a| a.country));
            for city in &report.cities {
                links.cities[city.index()].push(id);
                countries.extend(site.cities[city.index()].country);
            }
            for topic in &report.topics {
                links.topics[topic.index()].push(id);
            }
            dedup_in_place(&mut countries);
            for country in &countries {
                links.countries[country.index()].reports.push(id);
            }
        }
        links.add_countries_entities(site);
        links
    }

    fn add_countries_entities(&mut self, site: &Site) {
        for (i, person) in site.people.iter().enumerate() {
            if let Some(country) = person.country {
                self.countries[country.index()].people.push(PersonId(i as u32));
            }
        }
        for (i, city) in site.cities.iter().enumerate() {
            if let Some(country) = city.country {
                self.countries[country.index()].cities.push(CityId(i as u32));
            }
        }
    }

    /// Gives the entities of `site` their back-links.
    fn fill(self, site: &mut Site) {
        for (person, reports) in site.people.iter_mut().zip(self.people) {
            person.reports = reports;
        }
        for (city, reports) in site.cities.iter_mut().zip(self.cities) {
            city.reports = reports;
        }
        for (topic, reports) in site.topics.iter_mut().zip(self.topics) {
            topic.reports = reports;
        }
        for (country, links) in site.countries.iter_mut().zip(self.countries) {
            (country.reports, country.people, country.cities) = (links.reports, links.people, links.cities);
        }
    }
}

/// What ordering the reports left out and reported, kept apart while the registries are
/// read beside it and appended after theirs.
#[derive(Default)]
struct LeftOut {
    /// Reports left out for their own errors (no usable slug).
    withheld: Vec<String>,
    diags: Vec<Diagnostic>,
}

impl LeftOut {
    /// Drops drafts (unless asked), gives each report its slug, rejects slug clashes and
    /// orders reports newest first (ties by slug) so ids follow that order.
    fn order_reports(
        &mut self,
        parsed: Vec<Arc<Parsed<RawReport>>>,
        include_drafts: bool,
        memory: &mut Memory,
    ) -> Vec<(Arc<Parsed<RawReport>>, String)> {
        let mut with_slugs = Vec::new();
        for p in parsed.into_iter().filter(|p| include_drafts || !p.meta.draft) {
            match memory.slug(&p, report_slug) {
                Ok(slug) => with_slugs.push((p, slug)),
                Err(d) => {
                    self.withheld.push(p.path.clone());
                    self.diags.push(d);
                }
            }
        }
        let mut with_slugs = newest_first(with_slugs);
        let mut seen: Map<&str, &str> = Map::with_capacity(with_slugs.len());
        let mut clashes = Vec::new();
        for (p, slug) in &with_slugs {
            if let Some(first) = seen.insert(slug, &p.path) {
                clashes.push((p.path.clone(), first.to_string(), slug.clone()));
            }
        }
        let clashed = !clashes.is_empty();
        for (path, first, slug) in clashes {
            let (line, col) = locate(&with_slugs.iter().find(|(p, _)| p.path == path).unwrap().0, "slug:");
            self.diags.push(Diagnostic::error(
                &path,
                line,
                col,
                msg!("report slug \"{slug}\" is also used by {first}; give one of them another `slug:`"),
            ));
        }
        // Keep only the first report per slug so the rest of the run still sees a consistent site.
        if clashed {
            let mut kept = std::collections::HashSet::new();
            with_slugs.retain(|(_, slug)| kept.insert(slug.clone()));
        }
        with_slugs
    }
}

/// Limits on one report's lists. Real reports name a handful of officials and cities; a
/// summit's might name a few dozen.
const LIMITS: Limits = Limits { officials: 200, cities: 100, topics: 100 };

/// The name a report's slug is made from: its file's stem, or for a report that is a
/// folder (`content/reports/2019-04-02-weihai/index.md`, a page bundle) the folder's name.
pub fn report_stem(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let stem = parts.next().unwrap_or("").trim_end_matches(".md");
    match parts.next() {
        Some(folder) if stem == "index" => folder,
        _ => stem,
    }
}

/// The report's slug: `slug:` if given, else the file stem (a bundle's folder name)
/// without a `YYYY-MM-DD-` prefix.
fn report_slug(parsed: &Parsed<RawReport>) -> Result<String, Diagnostic> {
    if let Some(slug) = &parsed.meta.slug {
        if let Some(message) = slug_too_long("slug", slug) {
            let (line, col) = locate(parsed, "slug:");
            return Err(Diagnostic::error(&parsed.path, line, col, message));
        }
        if is_valid_slug(slug) {
            return Ok(slug.clone());
        }
        let (line, col) = locate(parsed, "slug:");
        return Err(Diagnostic::error(
            &parsed.path,
            line,
            col,
            msg!("slug \"{slug}\" must be lowercase letters, digits and hyphens"),
        )
        .with_hint(format!("try \"{}\"", slugify(slug))));
    }
    let stem = report_stem(&parsed.path);
    let slug = slugify(strip_date_prefix(stem));
    if slug.is_empty() {
        return Err(Diagnostic::error(
            &parsed.path,
            1,
            1,
            msg!("cannot make a URL slug from this file name; add `slug:`"),
        ));
    }
    if let Some(message) = slug_too_long("the slug made from this file name", &slug) {
        return Err(Diagnostic::error(&parsed.path, 1, 1, message).with_hint("shorten the file name or add `slug:`"));
    }
    Ok(slug)
}

fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let is_date = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
        && bytes[10] == b'-';
    if is_date { &stem[11..] } else { stem }
}

/// `content/about.md` -> `about/`; `content/a/b.md` -> `a/b/`; `content/a/index.md` -> `a/`.
/// `None` for a page that would sit at the site root.
fn page_path(source: &str) -> Option<String> {
    let rel = crate::project::sources::in_content(source).trim_end_matches(".md");
    let mut segments: Vec<String> = rel.split('/').map(slugify).collect();
    if segments.last().is_some_and(|s| s == "index" || s == "index-md") {
        segments.pop();
    }
    segments.retain(|s| !s.is_empty());
    if segments.is_empty() {
        return None;
    }
    Some(format!("{}/", segments.join("/")))
}

fn title_from_path(source: &str) -> String {
    let stem = source.rsplit('/').next().unwrap_or(source).trim_end_matches(".md");
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub use crate::load::{locate, locate_name};

fn dedup<T: PartialEq + Copy>(mut items: Vec<T>) -> Vec<T> {
    dedup_in_place(&mut items);
    items
}

/// Drops the repeats of `items`, keeping each first where it was.
fn dedup_in_place<T: PartialEq + Copy>(items: &mut Vec<T>) {
    let mut kept = 0;
    for i in 0..items.len() {
        if !items[..kept].contains(&items[i]) {
            items[kept] = items[i];
            kept += 1;
        }
    }
    items.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_report;

    fn site_of(files: &[(&str, &str)]) -> (Site, Diagnostics) {
        let mut sources = Sources::default();
        for (path, text) in files {
            sources.reports.push(parse_report(path, text).unwrap().into());
        }
        let mut diags = Diagnostics::new();
        let site = resolve(sources, &SiteConfig::default(), false, &mut diags);
        (site, diags)
    }

    /// Only the errors: these tests are about resolution, not the warnings of `lint`.
    fn errors_of(diags: &Diagnostics) -> Vec<crate::diag::Diagnostic> {
        diags.sorted().into_iter().filter(|d| d.severity == crate::diag::Severity::Error).collect()
    }

    /// Report `i` of a site whose people, cities, countries and topics vary with `k`:
    /// written alike or not (`Mr`, case), new or known, with figures in a city.
    fn varied_report(i: usize, k: usize) -> String {
        let people = [
            "Wang Luming",
            "Mr Wang Luming",
            "Vladimir Norov",
            "vladimir norov",
            "Aliya Seitova",
            "Norov",
            "Aliya Seitowa",
        ];
        let cities = ["Weihai", "WEIHAI", "Tashkent", "Astana"];
        let countries = ["China", "Uzbekistan", "Kazakhstan"];
        let city = cities[(i + k) % cities.len()];
        format!(
            "---\ntitle: R{i}\ndate: 2020-0{}-1{}\ncities:\n  - name: {city}\n    country: {}\n  - Town {}\n\
             officials:\n  - name: {}\n    country: {}\n  - Official {}\ntopics: [Trade, t{}]\n\
             figures:\n  - label: Trade\n    value: {} million\n    unit: USD\n    city: {city}\n---\nText.\n",
            1 + (i * 7 + k) % 9,
            (i + k * 3) % 10,
            countries[(i * k) % countries.len()],
            (i * 5 + k) % 4,
            people[(i + 2 * k) % people.len()],
            countries[(i + k) % countries.len()],
            (i * 3 + k) % 6,
            (i + k) % 3,
            1 + i % 7,
        )
    }

    /// The site and what was said about it, as text to compare.
    fn described(site: &Site, diags: &Diagnostics) -> String {
        let Site { reports, people, cities, countries, topics, pages, withheld_sources, .. } = site;
        let said: Vec<String> =
            diags.sorted().iter().map(|d| format!("{}:{}: {}", d.path, d.line, d.message)).collect();
        format!("{reports:#?}{people:#?}{cities:#?}{countries:#?}{topics:#?}{pages:#?}{withheld_sources:#?}{said:#?}")
    }

    #[test]
    fn a_resolve_with_the_last_ones_memory_makes_the_same_site_as_one_without() {
        let mut files: Vec<(String, String)> =
            (0..40).map(|i| (format!("content/reports/r{i:02}.md"), varied_report(i, 0))).collect();
        let mut memory = Memory::default();
        let mut before: Option<Site> = None;
        let parsed = |files: &[(String, String)]| -> Vec<Arc<Parsed<RawReport>>> {
            files.iter().map(|(path, text)| Arc::new(parse_report(path, text).unwrap())).collect()
        };
        let mut current = parsed(&files);
        let (mut lookalikes, mut older) = (0, None);
        for k in 1..30 {
            // An edit of a few files, which parse anew; the others stay as parsed.
            let n = files.len();
            for i in [k % n, (k * 7) % n, (k * 13) % n] {
                files[i].1 = varied_report(i, k);
                current[i] = Arc::new(parse_report(&files[i].0, &files[i].1).unwrap());
            }
            if k % 5 == 0 {
                files.remove(k);
                current.remove(k);
            }
            let sources = || Sources { reports: current.clone(), ..Sources::default() };
            let options = Options { config: &SiteConfig::default(), include_drafts: false };
            let mut diags = Diagnostics::new();
            // Every third resolve writes into the buffer of the site before the last, as
            // `serve` gives it back once the pages after its edit are made.
            let spare = (k % 3 == 0).then(|| older.take()).flatten().map(|older: Site| {
                let buffer = older.reports.as_ptr();
                memory.spare_reports.keep(older.reports);
                buffer
            });
            let site = resolve_remembering(sources(), options, &mut memory, before.as_ref(), &mut diags);
            if let Some(buffer) = spare {
                assert_eq!(site.reports.as_ptr(), buffer, "edit {k}: the spare buffer is written into");
            }
            let mut fresh_diags = Diagnostics::new();
            let fresh = resolve(sources(), options.config, false, &mut fresh_diags);
            assert_eq!(described(&site, &diags), described(&fresh, &fresh_diags), "edit {k}");
            lookalikes += diags.iter().filter(|d| d.message.contains("looks like")).count();
            // As `serve` keeps a site: only a good one, its figures written (here: left
            // empty by both resolves alike).
            assert!(!diags.has_errors(), "edit {k}: {diags:?}");
            memory.set_figures_current(true);
            older = before.replace(site);
        }
        assert!(lookalikes > 29, "the names of the test are too unlike to test the lint's memory");
    }

    #[test]
    fn a_figure_kept_from_the_site_before_is_checked_again_when_city_names_change() {
        let report = "---\ntitle: A\ndate: 2020-01-02\ncities: [Beijing]\nfigures:\n  - label: GDP\n    value: 5\n    city: Peking\n---\n";
        let report = Arc::new(parse_report("content/reports/a.md", report).unwrap());
        let beijing = |aliases: &[&str]| crate::load::Located {
            path: "data/cities.yaml".to_string(),
            line: 1,
            value: crate::load::raw::RawCityEntry {
                name: "Beijing".into(),
                aliases: aliases.iter().map(|a| a.to_string()).collect(),
                ..serde_yaml::from_str("name: Beijing").unwrap()
            },
        };
        let sources = |aliases: &[&str]| Sources {
            reports: vec![report.clone()],
            cities: vec![beijing(aliases)].into(),
            ..Sources::default()
        };
        let options = Options { config: &SiteConfig::default(), include_drafts: false };
        let mut memory = Memory::default();
        let mut diags = Diagnostics::new();
        let before = resolve_remembering(sources(&["Peking"]), options, &mut memory, None, &mut diags);
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(before.reports[0].figures.len(), 1, "Peking is Beijing");
        memory.set_figures_current(true);
        // The same parsed file, but Peking is no longer a name of Beijing.
        let site = resolve_remembering(sources(&[]), options, &mut memory, Some(&before), &mut diags);
        assert!(diags.iter().any(|d| d.message.contains("\"Peking\" is not one of this report's cities")), "{diags:?}");
        assert!(site.reports[0].figures.is_empty());
    }

    #[test]
    fn honorifics_and_case_merge_people() {
        let (site, diags) = site_of(&[
            ("content/reports/a.md", "---\ntitle: A\ndate: 2019-04-02\nofficials: [Mr Wang Luming]\n---\n"),
            ("content/reports/b.md", "---\ntitle: B\ndate: 2019-05-02\nofficials: [wang luming]\n---\n"),
        ]);
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(site.people.len(), 1);
        assert_eq!(site.people[0].name, "Wang Luming");
        assert_eq!(site.people[0].slug, "wang-luming", "honorifics never reach the slug");
        assert_eq!(site.people[0].reports.len(), 2);
    }

    #[test]
    fn reports_are_newest_first_and_slugs_drop_date_prefix() {
        let (site, _) = site_of(&[
            ("content/reports/2019-04-02-weihai.md", "---\ntitle: A\ndate: 2019-04-02\n---\n"),
            ("content/reports/2020-07-23-qingdao.md", "---\ntitle: B\ndate: 2020-07-23\n---\n"),
        ]);
        let slugs: Vec<&str> = site.reports.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs, ["qingdao", "weihai"]);
    }

    #[test]
    fn figure_city_must_be_a_report_city() {
        let (site, diags) = site_of(&[(
            "content/reports/a.md",
            "---\ntitle: A\ndate: 2019-04-02\ncities: [Weihai]\nfigures:\n  - label: GDP\n    value: 1\n  - label: X\n    value: 2\n    city: Qingdao\n---\n",
        )]);
        let errors = errors_of(&diags);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 10);
        assert!(errors[0].message.contains("\"Qingdao\" is not one of this report's cities (Weihai)"));
        assert_eq!(site.reports[0].figures[0].city, Some(CityId(0)), "one city is the default");
    }

    #[test]
    fn two_entities_on_one_slug_is_an_error_naming_both() {
        let (_, diags) = site_of(&[(
            "content/reports/a.md",
            "---\ntitle: A\ndate: 2019-04-02\nofficials: [Wang Lu-ming, \"Wang Lu ming\"]\n---\n",
        )]);
        let errors = errors_of(&diags);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("\"Wang Lu ming\" and person \"Wang Lu-ming\""), "{}", errors[0].message);
        assert!(errors[0].message.contains("content/reports/a.md:"));
    }

    /// Each list over its limit is an error at its key, and only its first names count
    /// (the officials' limit, which the fixture too-many-officials checks, is not reached).
    #[test]
    fn lists_over_their_limits_are_errors_at_their_keys_and_cut() {
        let names = |prefix: &str, n: usize| (0..n).map(|i| format!("{prefix} {i}")).collect::<Vec<_>>().join(", ");
        let report = format!(
            "---\ntitle: A\ndate: 2019-04-02\ncities: [{}]\nofficials: [{}]\ntopics: [{}]\n---\n",
            names("City", 101),
            names("Person", 3),
            names("topic", 102)
        );
        let (site, diags) = site_of(&[("content/reports/a.md", &report)]);
        let mut errors: Vec<(usize, String)> = errors_of(&diags).into_iter().map(|d| (d.line, d.message)).collect();
        errors.sort();
        assert_eq!(
            errors,
            [
                (4, "cities: a report may name at most 100; this one names 101".to_string()),
                (6, "topics: a report may name at most 100; this one names 102".to_string()),
            ]
        );
        assert_eq!((site.cities.len(), site.people.len(), site.topics.len()), (100, 3, 100));
    }

    #[test]
    fn duplicate_report_slugs_are_errors() {
        let (_, diags) = site_of(&[
            ("content/reports/2019-01-01-x.md", "---\ntitle: A\ndate: 2019-01-01\n---\n"),
            ("content/reports/x.md", "---\ntitle: B\ndate: 2019-01-02\n---\n"),
        ]);
        assert_eq!(diags.error_count(), 1);
    }

    #[test]
    fn related_reports_rank_by_shared_entities() {
        let (site, _) = site_of(&[
            ("content/reports/a.md", "---\ntitle: A\ndate: 2019-01-01\ncities: [X]\nofficials: [P, Q]\n---\n"),
            ("content/reports/b.md", "---\ntitle: B\ndate: 2019-01-02\ncities: [X]\nofficials: [P]\n---\n"),
            ("content/reports/c.md", "---\ntitle: C\ndate: 2019-01-03\ncities: [Y]\nofficials: [Q]\n---\n"),
            ("content/reports/d.md", "---\ntitle: D\ndate: 2019-01-04\ncities: [Z]\n---\n"),
        ]);
        let a = site.reports.iter().find(|r| r.slug == "a").unwrap();
        let titles: Vec<&str> = a.related.iter().map(|id| site.report(*id).title.as_str()).collect();
        assert_eq!(titles, ["B", "C"]);
    }

    #[test]
    fn related_report_ties_go_newest_first_whatever_the_file_order() {
        // Seven reports share one official with `hub`; one shares two. The limit keeps
        // five: the closest one, then the newest of the tied ones.
        let mut files: Vec<(String, String)> = (1..=7)
            .map(|i| {
                (
                    format!("content/reports/r{i}.md"),
                    format!("---\ntitle: R{i}\ndate: 2019-01-0{i}\nofficials: [P]\n---\n"),
                )
            })
            .collect();
        files.push((
            "content/reports/close.md".into(),
            "---\ntitle: Close\ndate: 2018-01-01\ncities: [X]\nofficials: [P]\n---\n".into(),
        ));
        files.push((
            "content/reports/hub.md".into(),
            "---\ntitle: Hub\ndate: 2020-01-01\ncities: [X]\nofficials: [P]\n---\n".into(),
        ));
        let related_of_hub = |files: &[(String, String)]| {
            let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let (site, _) = site_of(&borrowed);
            let hub = site.reports.iter().find(|r| r.slug == "hub").unwrap();
            hub.related.iter().map(|id| site.report(*id).title.clone()).collect::<Vec<_>>()
        };
        let expected = ["Close", "R7", "R6", "R5", "R4"];
        assert_eq!(related_of_hub(&files), expected);
        files.reverse();
        assert_eq!(related_of_hub(&files), expected, "the order of the files changed the ranking");
    }

    #[test]
    fn page_paths() {
        assert_eq!(page_path("content/about.md").as_deref(), Some("about/"));
        assert_eq!(page_path("content/a/b.md").as_deref(), Some("a/b/"));
        assert_eq!(page_path("content/a/index.md").as_deref(), Some("a/"));
        assert_eq!(page_path("content/index.md"), None);
    }
}
