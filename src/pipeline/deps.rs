//! Which pages a change can touch: given the site before and after a rebuild, the routes
//! (of the new site) whose output may differ.
//!
//! Reports are matched by source file and entities by kind and slug, because ids shift when
//! anything is added. A report "changed" when anything a page can show about it changed
//! (its fingerprint); an entity changed when anything shown about it on *other* pages
//! changed (name, country, counts, latest role, ...). The pages then re-rendered are:
//!
//! - a changed report's page, the home pages listing it, and the pages of every entity it
//!   names before or after the change;
//! - a changed entity's page and its neighbourhood: every report naming it, the home pages
//!   listing those, and every entity those reports name (whose pages may show it);
//! - the figures page when a changed report has figures (before or after the change) or a
//!   city changed: it shows every figure with its report's title, date and link and its
//!   city, nothing else (a 15 MB page at 10,000 reports, the slowest to render);
//! - the index pages, plain pages and 404 (few, and they summarise all);
//! - everything, when the site-wide template variables (`site.*`) changed.
//!
//! `serve`'s tests compare the result with a fresh full build after series of edits.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::model::{
    Appearance, City, CityId, Country, CountryId, Figure, Image, Person, PersonId, Report, ReportId, Site, Topic,
    TopicId,
};
use crate::render::Route;
use crate::render::view::{self, Bodies};

/// The maps and sets of this module, keyed by slugs, source paths and routes, hashed by
/// ahash (keyed at random per process, as std's are) rather than SipHash: after each
/// resolve `serve` fills them with every report and entity of the site.
type Map<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
type Set<T> = HashSet<T, ahash::RandomState>;

/// A site and its rendered bodies, as one consistent state.
pub struct SiteState<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
}

/// What [`affected_routes`] hashes of a site: the fingerprint of each report (by id) and of
/// each entity. Kept with a site (`serve` keeps them with its last good state, and must
/// forget them when it changes that state in place), they spare hashing it again when it
/// is the site before the next change.
#[derive(Clone)]
pub struct Prints {
    reports: std::sync::Arc<[u64]>,
    entities: std::sync::Arc<Map<EntityKey, u64>>,
}

impl Prints {
    /// The prints of `state`, on both cores.
    pub fn of(state: &SiteState) -> Prints {
        let (reports, entities) = rayon::join(|| report_fingerprints(state), || entity_fingerprints(state));
        Prints { reports: reports.into(), entities: std::sync::Arc::new(entities) }
    }

    /// Each report's fingerprint by source path, for `site`, the site these are of.
    fn by_source<'a>(&self, site: &'a Site) -> Map<&'a str, u64> {
        site.reports.iter().zip(self.reports.iter()).map(|(r, print)| (r.source.as_str(), *print)).collect()
    }
}

/// The routes of `new` to re-render after the site went from `old` to `new`; `None` means
/// every page. The site's counts are left out: where [`counts_changed`], every page
/// needs rendering again too, but the caller may render these first.
pub fn affected_routes(old: SiteState, new: SiteState) -> Option<Vec<Route>> {
    affected_routes_printed((old, None), new).0
}

/// [`affected_routes`], with the prints of `old` when they were kept (they must be of
/// `old` as it is), and the prints of `new` it made (none when every page is touched).
pub fn affected_routes_printed(
    (old, old_prints): (SiteState, Option<&Prints>),
    new: SiteState,
) -> (Option<Vec<Route>>, Option<Prints>) {
    if site_fingerprint(old.site) != site_fingerprint(new.site) {
        return (None, None);
    }
    let (old_prints, new_prints) =
        rayon::join(|| old_prints.cloned().unwrap_or_else(|| Prints::of(&old)), || Prints::of(&new));
    (Some(routes_between_prints((old, &old_prints), (new, &new_prints))), Some(new_prints))
}

/// The routes [`affected_routes`] finds, from both sites' prints.
fn routes_between_prints(
    (old, old_prints): (SiteState, &Prints),
    (new, new_prints): (SiteState, &Prints),
) -> Vec<Route> {
    let index = Index::new(new.site);
    let mut dirty = Dirty { routes: Set::default(), index: &index, new: new.site, figures: false };
    let (old_reports, new_reports) = (old_prints.by_source(old.site), new_prints.by_source(new.site));
    for (i, r) in old.site.reports.iter().enumerate() {
        if new_reports.get(r.source.as_str()) != old_reports.get(r.source.as_str()) {
            dirty.report_and_entities(old.site, ReportId(i as u32));
        }
    }
    for (i, r) in new.site.reports.iter().enumerate() {
        if old_reports.get(r.source.as_str()) != new_reports.get(r.source.as_str()) {
            dirty.report_and_entities(new.site, ReportId(i as u32));
        }
    }
    dirty.changed_home_pages(old.site);

    let (old_entities, new_entities) = (&*old_prints.entities, &*new_prints.entities);
    for (key, fp) in old_entities {
        if new_entities.get(key) != Some(fp) {
            dirty.neighbourhood(old.site, key);
        }
    }
    for (key, fp) in new_entities {
        if old_entities.get(key) != Some(fp) {
            dirty.neighbourhood(new.site, key);
        }
    }
    // Nothing shown changed (an edit in another language's files): no page to render.
    if dirty.routes.is_empty() && !dirty.figures && same_pages(old.site, new.site) {
        return Vec::new();
    }
    dirty.finish()
}

/// Whether the plain pages of both sites are the same, as their pages show them.
fn same_pages(old: &Site, new: &Site) -> bool {
    fn shown(p: &crate::model::Page) -> impl PartialEq + '_ {
        (&p.source, &p.path, &p.title, &p.summary, &p.extra, &p.body)
    }
    old.pages.len() == new.pages.len() && old.pages.iter().zip(&new.pages).all(|(a, b)| shown(a) == shown(b))
}

/// Everything every page shows through `site.*` but the counts, and the plain pages'
/// titles and addresses (every page's menu may list them); a change re-renders all pages.
/// [`same_site_values`] compares them.
fn site_fingerprint(site: &Site) -> String {
    let mut view = view::site_view(site);
    (view.report_count, view.person_count, view.city_count, view.country_count, view.topic_count) = (0, 0, 0, 0, 0);
    let menu_pages: Vec<(&str, &str, &str)> =
        site.pages.iter().map(|p| (p.source.as_str(), p.path.as_str(), p.title.as_str())).collect();
    serde_json::to_string(&(view, menu_pages)).unwrap_or_default()
}

/// Whether every page shows the same through `site.*` in `old` and `new`, the counts
/// aside ([`counts_changed`]).
pub fn same_site_values(old: &Site, new: &Site) -> bool {
    site_fingerprint(old) == site_fingerprint(new)
}

/// Whether the site's counts of reports, people, cities, countries or topics changed:
/// any page may show them (`site.person_count`), so every page needs rendering again,
/// though none of them is the one being edited.
pub fn counts_changed(old: &Site, new: &Site) -> bool {
    let counts = |s: &Site| (s.reports.len(), s.people.len(), s.cities.len(), s.countries.len(), s.topics.len());
    counts(old) != counts(new)
}

/// The identities (see [`Route::identity`]) of the pages whose addresses in the other
/// languages changed from `old` to `new`: a page that came or went in a language, or
/// moved there (a translated slug). Every page of such an identity shows other links
/// to the other languages (its switcher, its `hreflang` alternates); no other page does.
/// Both sites hold every language's pages (`site.edition.languages`); the caller makes
/// sure they are in the same languages.
pub fn alternates_changed(old: &Site, new: &Site) -> HashSet<String> {
    let mut changed = HashSet::new();
    for (before, now) in old.edition.languages.iter().zip(new.edition.languages.iter()) {
        debug_assert_eq!(before.code, now.code, "the same languages in the same order");
        let moved = now.paths.iter().filter(|(identity, path)| before.paths.get(*identity) != Some(*path));
        changed.extend(moved.map(|(identity, _)| identity.clone()));
        let gone = before.paths.keys().filter(|identity| !now.paths.contains_key(*identity));
        changed.extend(gone.cloned());
    }
    changed
}

/// The pages of `site` whose identity is among `identities` and not among `routes`.
pub fn pages_of_identities(site: &Site, identities: &HashSet<String>, routes: &[Route]) -> Vec<Route> {
    if identities.is_empty() {
        return Vec::new();
    }
    let listed: Set<&Route> = routes.iter().collect();
    let of_identities = |r: &Route| r.identity(site).is_some_and(|identity| identities.contains(&identity));
    Route::all(site).into_iter().filter(|r| !listed.contains(r) && of_identities(r)).collect()
}

/// An entity by kind and slug, stable across rebuilds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EntityKey {
    Person(String),
    City(String),
    Country(String),
    Topic(String),
}

/// The new site's entities and reports by stable key, and which home page lists a report.
struct Index<'a> {
    people: Map<&'a str, PersonId>,
    cities: Map<&'a str, CityId>,
    countries: Map<&'a str, CountryId>,
    topics: Map<&'a str, TopicId>,
    reports: Map<&'a str, ReportId>,
    /// Report -> the reports whose "related" list shows it.
    shown_by: Map<ReportId, Vec<ReportId>>,
}

impl<'a> Index<'a> {
    fn new(site: &'a Site) -> Self {
        fn by_slug<'s, T, Id>(
            items: &'s [T],
            slug: impl Fn(&'s T) -> &'s str,
            id: impl Fn(u32) -> Id,
        ) -> Map<&'s str, Id> {
            items.iter().enumerate().map(|(i, item)| (slug(item), id(i as u32))).collect()
        }
        Index {
            people: by_slug(&site.people, |p| &p.slug, PersonId),
            cities: by_slug(&site.cities, |c| &c.slug, CityId),
            countries: by_slug(&site.countries, |c| &c.slug, CountryId),
            topics: by_slug(&site.topics, |t| &t.slug, TopicId),
            reports: site.reports.iter().enumerate().map(|(i, r)| (r.source.as_str(), ReportId(i as u32))).collect(),
            shown_by: shown_by(site),
        }
    }

    /// The new site's entity for an entity key of either site.
    fn entity(&self, key: &EntityKey) -> Option<Entity> {
        match key {
            EntityKey::Person(s) => self.people.get(s.as_str()).map(|id| Entity::Person(*id)),
            EntityKey::City(s) => self.cities.get(s.as_str()).map(|id| Entity::City(*id)),
            EntityKey::Country(s) => self.countries.get(s.as_str()).map(|id| Entity::Country(*id)),
            EntityKey::Topic(s) => self.topics.get(s.as_str()).map(|id| Entity::Topic(*id)),
        }
    }
}

/// The set of routes being collected.
struct Dirty<'a> {
    routes: Set<Route>,
    index: &'a Index<'a>,
    new: &'a Site,
    /// Whether the figures page may differ: a report with figures or a city changed.
    figures: bool,
}

impl Dirty<'_> {
    /// The routes collected, with the index pages, plain pages and 404 (few, and they
    /// summarise all) and the figures page if it may differ; in a stable order.
    fn finish(mut self) -> Vec<Route> {
        for route in Route::all(self.new) {
            if matches!(
                route,
                Route::People
                    | Route::Cities
                    | Route::Countries
                    | Route::Topics
                    | Route::Search
                    | Route::Page(_)
                    | Route::NotFound
            ) {
                self.routes.insert(route);
            }
        }
        if self.figures {
            // Every page: figures added or removed move the pages' boundaries.
            self.routes.extend((1..=crate::render::pages::figure_pages(self.new).len()).map(Route::Figures));
        }
        let mut routes: Vec<Route> = self.routes.into_iter().collect();
        routes.sort_by_key(|r| format!("{r:?}"));
        routes
    }

    /// Every page of entity `key`'s page: a change may move reports between them.
    fn entity(&mut self, key: &EntityKey) {
        if let Some(entity) = self.index.entity(key) {
            self.routes.extend(entity.route().entity_pages(self.new));
        }
    }

    /// Report `id` of `site` (old or new): its page, its home page and its entities' pages.
    fn report_and_entities(&mut self, site: &Site, id: ReportId) {
        let report = site.report(id);
        self.figures |= !report.figures.is_empty();
        if let Some(new_id) = self.index.reports.get(report.source.as_str()) {
            self.routes.insert(Route::Report(*new_id));
            self.routes.insert(Route::Home(home_page(self.new, *new_id)));
            for other in self.index.shown_by.get(new_id).into_iter().flatten() {
                self.routes.insert(Route::Report(*other));
            }
        }
        for key in report_entities(site, id) {
            self.entity(&key);
        }
    }

    /// Home pages whose list of reports differs between the sites.
    fn changed_home_pages(&mut self, old: &Site) {
        let per_page = self.new.config.paginate.max(1);
        let old_pages: Vec<&[crate::model::Report]> = old.reports.chunks(per_page).collect();
        for (n, page) in self.new.reports.chunks(per_page).enumerate() {
            let same = old_pages.get(n).is_some_and(|before| {
                before.len() == page.len() && before.iter().zip(page).all(|(a, b)| a.source == b.source)
            });
            if !same {
                self.routes.insert(Route::Home(n + 1));
            }
        }
    }

    /// Entity `key` of `site` and every page that may show it.
    fn neighbourhood(&mut self, site: &Site, key: &EntityKey) {
        self.entity(key);
        self.figures |= matches!(key, EntityKey::City(_));
        let (reports, related): (Vec<ReportId>, Vec<EntityKey>) = match key {
            EntityKey::Person(slug) => match site.people.iter().find(|p| &p.slug == slug) {
                Some(p) => (p.reports.clone(), p.country.iter().map(|c| country_key(site, *c)).collect()),
                None => return,
            },
            EntityKey::City(slug) => match site.cities.iter().find(|c| &c.slug == slug) {
                Some(c) => (c.reports.clone(), c.country.iter().map(|k| country_key(site, *k)).collect()),
                None => return,
            },
            EntityKey::Country(slug) => match site.countries.iter().find(|c| &c.slug == slug) {
                Some(c) => {
                    let mut reports = c.reports.clone();
                    reports.extend(c.people.iter().flat_map(|p| site.person(*p).reports.iter().copied()));
                    reports.extend(c.cities.iter().flat_map(|k| site.city(*k).reports.iter().copied()));
                    let mut related: Vec<EntityKey> =
                        c.people.iter().map(|p| EntityKey::Person(site.person(*p).slug.clone())).collect();
                    related.extend(c.cities.iter().map(|k| EntityKey::City(site.city(*k).slug.clone())));
                    (reports, related)
                }
                None => return,
            },
            EntityKey::Topic(slug) => match site.topics.iter().find(|t| &t.slug == slug) {
                Some(t) => (t.reports.clone(), Vec::new()),
                None => return,
            },
        };
        for key in related {
            self.entity(&key);
        }
        for id in reports {
            self.report_and_entities(site, id);
        }
    }
}

/// The pages of `site` that list report `id` with its summary: its home page, the pages of
/// the entities it names and the reports that show it as related. For the fast path,
/// where only a body (and so maybe the summary) changed.
pub fn routes_listing(site: &Site, id: ReportId) -> Vec<Route> {
    let mut routes = vec![Route::Home(home_page(site, id))];
    routes.extend(report_entity_ids(site, id).into_iter().map(|e| e.route().entity_page_listing(site, id)));
    for (i, other) in site.reports.iter().enumerate() {
        if other.related.contains(&id) {
            routes.push(Route::Report(ReportId(i as u32)));
        }
    }
    routes
}

/// The first page of each person and city of `new` whose registry entry (`data/people.yaml`,
/// `data/cities.yaml`) says something else than in `old`, matched by slug: the page a tab
/// showing what was edited is on. Entities new to the site are left out (a new official's
/// page follows the reload, as before).
pub fn registry_entry_pages(old: &Site, new: &Site) -> Vec<Route> {
    let old_people: Map<&str, &Person> = old.people.iter().map(|p| (p.slug.as_str(), p)).collect();
    let old_cities: Map<&str, &City> = old.cities.iter().map(|c| (c.slug.as_str(), c)).collect();
    let people = (new.people.iter().enumerate())
        .filter(|(_, p)| old_people.get(p.slug.as_str()).is_some_and(|o| person_entry(old, o) != person_entry(new, p)))
        .map(|(i, _)| Route::Person(PersonId(i as u32), 1));
    let cities = (new.cities.iter().enumerate())
        .filter(|(_, c)| old_cities.get(c.slug.as_str()).is_some_and(|o| city_entry(old, o) != city_entry(new, c)))
        .map(|(i, _)| Route::City(CityId(i as u32), 1));
    people.chain(cities).collect()
}

/// What a person's registry entry says, borrowed from `site`: every field but the slug
/// (the key compared by), where the entry is (`origin`) and the reports.
fn person_entry<'a>(site: &'a Site, person: &'a Person) -> impl PartialEq + 'a {
    let Person { name, slug: _, aliases, names, country, bio, bio_translations, photo, origin: _, reports: _ } = person;
    let country = country.map(|c| site.country(c).slug.as_str());
    (name, aliases, names, country, bio, bio_translations, photo)
}

/// What a city's registry entry says, as [`person_entry`] (coordinates by their bits).
fn city_entry<'a>(site: &'a Site, city: &'a City) -> impl PartialEq + 'a {
    let City {
        name,
        slug: _,
        aliases,
        names,
        province,
        country,
        lat,
        lon,
        description,
        description_translations,
        origin: _,
        reports: _,
    } = city;
    let country = country.map(|c| site.country(c).slug.as_str());
    let place = (province, country, lat.map(f64::to_bits), lon.map(f64::to_bits));
    (name, aliases, names, place, description, description_translations)
}

/// Report -> the reports that list it as related.
fn shown_by(site: &Site) -> Map<ReportId, Vec<ReportId>> {
    let mut map: Map<ReportId, Vec<ReportId>> = Map::default();
    for (i, r) in site.reports.iter().enumerate() {
        for related in &r.related {
            map.entry(*related).or_default().push(ReportId(i as u32));
        }
    }
    map
}

/// The home page (1-based) that lists report `id`.
fn home_page(site: &Site, id: ReportId) -> usize {
    id.index() / site.config.paginate.max(1) + 1
}

fn country_key(site: &Site, id: CountryId) -> EntityKey {
    EntityKey::Country(site.country(id).slug.clone())
}

/// Every entity report `id` names, by stable key.
fn report_entities(site: &Site, id: ReportId) -> Vec<EntityKey> {
    report_entity_ids(site, id).into_iter().map(|e| e.key(site)).collect()
}

/// The hasher of fingerprints: the same keys for both sites of a comparison. aHash, not
/// std's SipHash: hashing every report's body twice was most of the time a front-matter
/// edit spent here.
fn fingerprint_hasher() -> ahash::AHasher {
    use std::hash::BuildHasher;
    ahash::RandomState::with_seeds(0x636f_6d6d, 0x756e_6971, 0x7565_2d66, 0x7072_696e).build_hasher()
}

/// A hash of everything any page can show about each report, by id.
fn report_fingerprints(state: &SiteState) -> Vec<u64> {
    // Hashing every body is the bulk of the work; both cores share it.
    (0..state.site.reports.len()).into_par_iter().map(|i| report_fingerprint(state, ReportId(i as u32))).collect()
}

/// A hash of everything any page can show about report `id`. Every field is named (no
/// `..`), so a field added to the model does not compile until it is hashed here or said
/// to be shown nowhere.
fn report_fingerprint(state: &SiteState, id: ReportId) -> u64 {
    let site = state.site;
    let Report {
        source: _, // the key the fingerprints are compared by
        slug,
        title,
        date,
        end_date,
        summary,
        draft,
        organisation,
        cities,
        officials,
        figures,
        topics,
        extra,
        body: _,      // hashed as rendered, below
        body_line: _, // where diagnostics point; no page shows it
        image,
        gallery,
        related,
        translations: _, // no page shows them yet (issue #19 renders them)
    } = site.report(id);
    let mut h = fingerprint_hasher();
    (slug, title, date, end_date, summary, draft, organisation).hash(&mut h);
    for c in cities {
        site.city(*c).slug.hash(&mut h);
    }
    for Appearance { person, role, organisation, country } in officials {
        (&site.person(*person).slug, role, organisation).hash(&mut h);
        country.map(|c| &site.country(c).slug).hash(&mut h);
    }
    // `display` is made from the value, unit and qualifier.
    for Figure { label, value, unit, qualifier, year, city, display: _ } in figures.iter() {
        (label, value.to_bits(), unit, qualifier.map(|q| q.as_str()), year).hash(&mut h);
        city.map(|c| &site.city(c).slug).hash(&mut h);
    }
    for t in topics {
        site.topic(*t).slug.hash(&mut h);
    }
    format!("{extra:?}").hash(&mut h);
    // Where a photo's file changes, serve renders every page (see `Pipeline::rebuild_pages`).
    for Image { file, alt, caption, credit, line: _, col: _ } in image.iter().chain(gallery) {
        (file, alt, caption, credit).hash(&mut h);
    }
    state.bodies.reports[id.index()].content_hash.hash(&mut h);
    for related in related {
        site.report(*related).source.hash(&mut h);
    }
    h.finish()
}

/// A hash of what pages other than an entity's own show about it, by kind and slug.
fn entity_fingerprints(state: &SiteState) -> Map<EntityKey, u64> {
    let site = state.site;
    let people = (0..site.people.len() as u32).map(|i| Entity::Person(PersonId(i)));
    let cities = (0..site.cities.len() as u32).map(|i| Entity::City(CityId(i)));
    let countries = (0..site.countries.len() as u32).map(|i| Entity::Country(CountryId(i)));
    let topics = (0..site.topics.len() as u32).map(|i| Entity::Topic(TopicId(i)));
    people.chain(cities).chain(countries).chain(topics).map(|e| (e.key(site), entity_fingerprint(state, e))).collect()
}

/// An entity of one site, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entity {
    Person(PersonId),
    City(CityId),
    Country(CountryId),
    Topic(TopicId),
}

impl Entity {
    /// The first page of the entity's page.
    fn route(self) -> Route {
        match self {
            Entity::Person(id) => Route::Person(id, 1),
            Entity::City(id) => Route::City(id, 1),
            Entity::Country(id) => Route::Country(id, 1),
            Entity::Topic(id) => Route::Topic(id, 1),
        }
    }

    fn key(self, site: &Site) -> EntityKey {
        match self {
            Entity::Person(id) => EntityKey::Person(site.person(id).slug.clone()),
            Entity::City(id) => EntityKey::City(site.city(id).slug.clone()),
            Entity::Country(id) => EntityKey::Country(site.country(id).slug.clone()),
            Entity::Topic(id) => EntityKey::Topic(site.topic(id).slug.clone()),
        }
    }
}

/// A hash of what pages other than `entity`'s own show about it. Every field is named
/// (no `..`), as in [`report_fingerprint`]; a slug is the key compared by, an origin only
/// where diagnostics point, and lists of reports, people and cities show as counts.
fn entity_fingerprint(state: &SiteState, entity: Entity) -> u64 {
    let site = state.site;
    let mut h = fingerprint_hasher();
    let country_slug = |c: &Option<CountryId>| c.map(|c| site.country(c).slug.clone());
    match entity {
        Entity::Person(id) => {
            // `names` and the translations are not compared here: each language's site is
            // compared with its own last version, where `name` and `bio` are already that
            // language's (`render::language_sites`).
            let Person {
                name,
                slug: _,
                aliases,
                names: _,
                country,
                bio,
                bio_translations: _,
                photo,
                origin: _,
                reports,
            } = site.person(id);
            (name, aliases, country_slug(country), bio, photo, reports.len()).hash(&mut h);
            view::latest_role(site, id).hash(&mut h);
            state.bodies.bios.get(&id).hash(&mut h);
        }
        Entity::City(id) => {
            let City {
                name,
                slug: _,
                aliases,
                names: _, // compared as each language's own `name`, as for people
                province,
                country,
                lat,
                lon,
                description,
                description_translations: _,
                origin: _,
                reports,
            } = site.city(id);
            (name, aliases, province, country_slug(country), description, reports.len()).hash(&mut h);
            (lat.map(f64::to_bits), lon.map(f64::to_bits)).hash(&mut h);
            state.bodies.descriptions.get(&id).hash(&mut h);
        }
        Entity::Country(id) => {
            let Country { name, slug: _, origin: _, people, cities, reports } = site.country(id);
            (name, reports.len(), people.len(), cities.len()).hash(&mut h);
        }
        Entity::Topic(id) => {
            let Topic { name, slug: _, reports } = site.topic(id);
            (name, reports.len()).hash(&mut h);
        }
    }
    h.finish()
}

/// Every entity report `id` names, directly or through its officials and cities.
fn report_entity_ids(site: &Site, id: ReportId) -> Vec<Entity> {
    let r = site.report(id);
    let mut entities = Vec::new();
    for a in &r.officials {
        entities.push(Entity::Person(a.person));
        entities.extend(a.country.iter().chain(&site.person(a.person).country).map(|c| Entity::Country(*c)));
    }
    for c in r.cities.iter().chain(r.figures.iter().filter_map(|f| f.city.as_ref())) {
        entities.push(Entity::City(*c));
        entities.extend(site.city(*c).country.map(Entity::Country));
    }
    entities.extend(r.topics.iter().map(|t| Entity::Topic(*t)));
    entities
}

/// What a page can show of one report and of the entities it names, taken before the
/// report is changed in place (see [`routes_after_edits_in_place`]).
pub struct Before {
    report: u64,
    had_figures: bool,
    entities: Vec<(Entity, u64)>,
}

/// Takes [`Before`] of report `id`.
pub fn before_edit(state: SiteState, id: ReportId) -> Before {
    Before {
        report: report_fingerprint(&state, id),
        had_figures: !state.site.report(id).figures.is_empty(),
        entities: report_entity_ids(state.site, id).into_iter().map(|e| (e, entity_fingerprint(&state, e))).collect(),
    }
}

/// The routes to re-render after reports were changed in place in ways that leave every
/// id, list and entity of the site as it was (`model::resolve::edit_stays_in_report`),
/// given what was shown of each [`Before`]: the same routes as [`affected_routes`] finds,
/// with only those reports and their entities compared.
pub fn routes_after_edits_in_place(state: SiteState, edits: &[(ReportId, &Before)]) -> Vec<Route> {
    if edits.is_empty() {
        return Vec::new();
    }
    let site = state.site;
    let index = Index::new(site);
    let mut dirty = Dirty { routes: Set::default(), index: &index, new: site, figures: false };
    for (id, before) in edits {
        if report_fingerprint(&state, *id) != before.report {
            dirty.figures |= before.had_figures;
            dirty.report_and_entities(site, *id);
        }
        for (entity, fingerprint) in &before.entities {
            if entity_fingerprint(&state, *entity) != *fingerprint {
                dirty.neighbourhood(site, &entity.key(site));
            }
        }
    }
    dirty.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::project::{BuildOptions, Project};

    const WITH_FIGURES: &str = "---\ntitle: Trade talks\ndate: 2021-03-10\ncities: [Weihai]\n\
        figures:\n  - { label: Trade, value: 3 million, city: Weihai }\n---\nText.\n";
    const WITHOUT_FIGURES: &str = "---\ntitle: A courtesy call\ndate: 2021-04-10\ncities: [Qingdao]\n---\nText.\n";

    /// The site in `root` with its bodies, as serve holds it.
    fn state(root: &std::path::Path) -> (Site, Bodies) {
        let mut diags = Diagnostics::new();
        let project = Project::load(root, BuildOptions::default(), &mut diags).expect("project");
        let cache = crate::load::cache::SourceCache::read(&project);
        diags.extend(cache.diagnostics().cloned());
        let sources = cache.into_sources();
        let site = crate::model::resolve::resolve(sources, &project.config, false, &mut diags);
        let bodies = crate::render::render_bodies(&site, None, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        (site, bodies)
    }

    /// Whether editing report `file` to `edited` re-renders the figures page.
    fn figures_rerendered(file: &str, edited: impl Fn(&str) -> String) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: Test\n").unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        std::fs::write(root.join("content/reports/talks.md"), WITH_FIGURES).unwrap();
        std::fs::write(root.join("content/reports/call.md"), WITHOUT_FIGURES).unwrap();
        let (old_site, old_bodies) = state(root);
        let path = root.join("content/reports").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edited(&text)).unwrap();
        let (new_site, new_bodies) = state(root);
        let routes = affected_routes(
            SiteState { site: &old_site, bodies: &old_bodies },
            SiteState { site: &new_site, bodies: &new_bodies },
        )
        .expect("not every page");
        assert!(routes.iter().any(|r| matches!(r, Route::Report(_))), "the edited report is not re-rendered");
        routes.iter().any(|r| matches!(r, Route::Figures(_)))
    }

    #[test]
    fn the_figures_page_is_rendered_again_only_when_what_it_shows_can_change() {
        let retitle = |t: &str| t.replace("title: ", "title: New ");
        assert!(figures_rerendered("talks.md", retitle), "a report with figures was retitled");
        assert!(!figures_rerendered("call.md", retitle), "a report without figures was retitled");
        assert!(
            figures_rerendered("call.md", |t| t
                .replace("cities: [Qingdao]", "cities: [Qingdao]\nfigures: [{ label: GDP, value: 2 }]")),
            "a report gained a figure"
        );
        assert!(
            figures_rerendered("talks.md", |t| t
                .replace("figures:\n  - { label: Trade, value: 3 million, city: Weihai }\n", "")),
            "a report lost its figures"
        );
    }
}
