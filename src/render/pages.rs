//! Every page of a site as a [`Route`]: its path, the template that renders it and the
//! menu section it belongs to.

use super::{route, theme};
use crate::model::{CityId, CountryId, LanguagePages, PersonId, ReportId, Site, TopicId, editions};

/// Whether `site` gets a search page and index: asked for in site.yaml and built in.
pub fn search_enabled(site: &Site) -> bool {
    site.config.search && cfg!(feature = "search")
}

/// A page of the site and the template that renders it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Home(usize),
    Report(ReportId),
    People,
    /// Page `n` (from 1) of a person's page; the others, paged alike.
    Person(PersonId, usize),
    Cities,
    City(CityId, usize),
    Countries,
    Country(CountryId, usize),
    Topics,
    Topic(TopicId, usize),
    /// Page `n` (from 1) of the figures.
    Figures(usize),
    Search,
    Page(usize),
    NotFound,
}

impl Route {
    /// Every page of `site`, in a fixed order.
    pub fn all(site: &Site) -> Vec<Route> {
        let pages = site.reports.len().div_ceil(site.config.paginate.max(1)).max(1);
        let mut routes: Vec<Route> = (1..=pages).map(Route::Home).collect();
        routes.extend((0..site.reports.len()).map(|i| Route::Report(ReportId(i as u32))));
        routes.push(Route::People);
        routes.extend((0..site.people.len()).flat_map(|i| Route::Person(PersonId(i as u32), 1).entity_pages(site)));
        routes.push(Route::Cities);
        routes.extend((0..site.cities.len()).flat_map(|i| Route::City(CityId(i as u32), 1).entity_pages(site)));
        routes.push(Route::Countries);
        routes
            .extend((0..site.countries.len()).flat_map(|i| Route::Country(CountryId(i as u32), 1).entity_pages(site)));
        routes.push(Route::Topics);
        routes.extend((0..site.topics.len()).flat_map(|i| Route::Topic(TopicId(i as u32), 1).entity_pages(site)));
        routes.extend((1..=figure_pages(site).len()).map(Route::Figures));
        if search_enabled(site) {
            routes.push(Route::Search);
        }
        routes.extend((0..site.pages.len()).map(Route::Page));
        routes.push(Route::NotFound);
        routes
    }

    /// Every page of the entity page `self` is one of (one per `paginate_entities` of
    /// the entity's reports); none for other pages.
    pub fn entity_pages(self, site: &Site) -> impl Iterator<Item = Route> + use<> {
        let count = self.entity_paging(site).map_or(0, |(reports, _)| entity_page_count(site, reports));
        (1..=count).map(move |n| self.on_page(n))
    }

    /// The page of the entity page `self` is one of that lists report `id` (the first
    /// where none does); other pages as they are.
    pub fn entity_page_listing(self, site: &Site, id: ReportId) -> Route {
        let Some((reports, _)) = self.entity_paging(site) else { return self };
        let per_page = site.config.paginate_entities.max(1);
        self.on_page(reports.iter().position(|r| *r == id).map_or(1, |i| i / per_page + 1))
    }

    /// For a page of an entity's page: every report of the entity (newest first) and the
    /// number of this page (from 1).
    pub fn entity_paging(self, site: &Site) -> Option<(&[ReportId], usize)> {
        match self {
            Route::Person(id, n) => Some((&site.person(id).reports, n)),
            Route::City(id, n) => Some((&site.city(id).reports, n)),
            Route::Country(id, n) => Some((&site.country(id).reports, n)),
            Route::Topic(id, n) => Some((&site.topic(id).reports, n)),
            _ => None,
        }
    }

    /// The same paged list's page `n` (from 1); other pages as they are.
    pub fn on_page(self, n: usize) -> Route {
        match self {
            Route::Home(_) => Route::Home(n),
            Route::Person(id, _) => Route::Person(id, n),
            Route::City(id, _) => Route::City(id, n),
            Route::Country(id, _) => Route::Country(id, n),
            Route::Topic(id, _) => Route::Topic(id, n),
            Route::Figures(_) => Route::Figures(n),
            route => route,
        }
    }

    /// The site path of the page (`reports/weihai/`; `404.html` for the error page).
    pub fn path(self, site: &Site) -> String {
        match self {
            Route::Home(n) => route::home(site, n),
            Route::Report(id) => route::report(site, id),
            Route::People => route::in_language(site, "people/"),
            Route::Person(id, n) => route::paged(route::person(site, id), n),
            Route::Cities => route::in_language(site, "cities/"),
            Route::City(id, n) => route::paged(route::city(site, id), n),
            Route::Countries => route::in_language(site, "countries/"),
            Route::Country(id, n) => route::paged(route::country(site, id), n),
            Route::Topics => route::in_language(site, "topics/"),
            Route::Topic(id, n) => route::paged(route::topic(site, id), n),
            Route::Figures(n) => route::figures(site, n),
            Route::Search => route::in_language(site, "search/"),
            Route::Page(i) => site.pages[i].path.clone(),
            Route::NotFound => route::in_language(site, "404.html"),
        }
    }

    pub fn template(self) -> &'static str {
        match self {
            Route::Home(_) => "index.html",
            Route::Report(_) => "report.html",
            Route::People => "people.html",
            Route::Person(..) => "person.html",
            Route::Cities => "cities.html",
            Route::City(..) => "city.html",
            Route::Countries => "countries.html",
            Route::Country(..) => "country.html",
            Route::Topics => "topics.html",
            Route::Topic(..) => "topic.html",
            Route::Figures(_) => "figures.html",
            Route::Search => theme::SEARCH_TEMPLATE,
            Route::Page(_) => "page.html",
            Route::NotFound => "404.html",
        }
    }

    /// What the page is in every language: a report's or plain page's source, otherwise
    /// its path without the language's folder (`people/vladimir-norov/`). `None` for the
    /// error page, which has no counterpart.
    pub fn identity(self, site: &Site) -> Option<String> {
        match self {
            Route::Report(_) | Route::Page(_) | Route::NotFound => self.identity_at(site, ""),
            route => route.identity_at(site, &route.path(site)),
        }
    }

    /// [`Route::identity`] of the page at `path`, its path in `site` (made once, where
    /// both are wanted).
    fn identity_at(self, site: &Site, path: &str) -> Option<String> {
        match self {
            Route::Report(id) => Some(site.report(id).source.clone()),
            Route::Page(i) => Some(site.pages[i].source.clone()),
            Route::NotFound => None,
            _ => Some(path.strip_prefix(site.edition.prefix.as_str()).unwrap_or(path).to_string()),
        }
    }

    /// The navigation section the page belongs to, for highlighting menus.
    pub fn section(self) -> &'static str {
        match self {
            Route::Home(_) | Route::Report(_) => "reports",
            Route::People | Route::Person(..) => "people",
            Route::Cities | Route::City(..) => "cities",
            Route::Countries | Route::Country(..) => "countries",
            Route::Topics | Route::Topic(..) => "topics",
            Route::Figures(_) => "figures",
            Route::Search => "search",
            Route::Page(_) | Route::NotFound => "",
        }
    }
}

/// How many pages an entity's page with `reports` has: `paginate_entities` reports a
/// page, and at least one.
pub fn entity_page_count(site: &Site, reports: &[ReportId]) -> usize {
    reports.len().div_ceil(site.config.paginate_entities.max(1)).max(1)
}

/// The reports of `reports` (an entity's, newest first) on its page `n` (from 1).
pub fn entity_page<'a>(site: &Site, reports: &'a [ReportId], n: usize) -> &'a [ReportId] {
    let per_page = site.config.paginate_entities.max(1);
    let start = ((n.max(1) - 1) * per_page).min(reports.len());
    &reports[start..(start + per_page).min(reports.len())]
}

/// The reports whose figures each page of `/figures/` shows (ranges of report indices,
/// newest first): consecutive reports while their figures fit in `paginate_figures` (a
/// report's figures are never split: one with more has a page of its own); at least one
/// page, empty in a site without figures.
pub fn figure_pages(site: &Site) -> Vec<std::ops::Range<usize>> {
    let per_page = site.config.paginate_figures.max(1);
    let mut pages = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, report) in site.reports.iter().enumerate() {
        if count > 0 && count + report.figures.len() > per_page {
            pages.push(start..i);
            (start, count) = (i, 0);
        }
        count += report.figures.len();
    }
    pages.push(start..site.reports.len());
    pages
}

/// The pages of `site` in its language, for the other languages' links to them.
pub fn language_pages(site: &Site) -> LanguagePages {
    let routes = Route::all(site);
    let mut paths = ahash::AHashMap::with_capacity(routes.len());
    paths.extend(routes.into_iter().filter_map(|r| identity_and_path(site, r)));
    LanguagePages { code: site.config.language.clone(), prefix: site.edition.prefix.clone(), paths }
}

/// Page `route`'s identity (what it is in every language) and path in `site`, the path
/// made once: most pages are known by their path without the language's folder.
fn identity_and_path(site: &Site, route: Route) -> Option<(String, String)> {
    let path = route.path(site);
    Some((route.identity_at(site, &path)?, path))
}

/// The pages `routes` of `site`, a site in several languages (the default language's),
/// in each of its languages, as [`language_pages`] of the site and of its editions would
/// list them: enough for those pages to lead to the other languages ([`alternates`])
/// before the editions are made (`serve` renders an edit's own pages in the default
/// language first, and the editions after the reload). `routes` are reports and the
/// first pages of people and cities; an edition has a report's page when the report is
/// translated into its language, an entity's when a report so translated names it
/// (`model::editions`).
pub fn own_language_pages(site: &Site, routes: &[Route]) -> Vec<LanguagePages> {
    let default = routes.iter().filter_map(|r| identity_and_path(site, *r)).collect();
    let code = site.config.language.clone();
    let mut all = vec![LanguagePages { code, prefix: site.edition.prefix.clone(), paths: default }];
    for language in site.config.languages.keys() {
        let prefix = editions::prefix(language);
        let paths = routes.iter().filter_map(|route| path_in_edition(site, *route, (language, &prefix))).collect();
        all.push(LanguagePages { code: language.clone(), prefix, paths });
    }
    all
}

/// The identity and path of page `route` of `site` (the default language's) in its
/// edition in `language` (under `prefix`), if that edition has it: see
/// [`own_language_pages`].
fn path_in_edition(site: &Site, route: Route, (language, prefix): (&str, &str)) -> Option<(String, String)> {
    let translated = |id: ReportId| editions::translation_in(site.report(id), language).is_some();
    let in_edition = match route {
        Route::Report(id) => {
            let report = site.report(id);
            let t = editions::translation_in(report, language)?;
            return Some((report.source.clone(), route::report_at(prefix, editions::translated_slug(report, t))));
        }
        Route::Person(id, 1) => site.person(id).reports.iter().any(|r| translated(*r)),
        // A figure's city is always one of its report's cities: the reports naming a
        // city are those an edition keeps it for.
        Route::City(id, 1) => site.city(id).reports.iter().any(|r| translated(*r)),
        _ => unreachable!("the own pages of an edit are reports and entities' first pages"),
    };
    let identity = route.identity(site)?;
    in_edition.then(|| (identity.clone(), format!("{prefix}{identity}")))
}

/// The page `route` of `site` in every language that has it, its own included, as
/// (language, site path), in the order of `site.edition.languages` (none in a site of one
/// language).
pub fn alternates(site: &Site, route: Route) -> Vec<(&str, &str)> {
    if site.edition.languages.is_empty() {
        return Vec::new(); // a site in one language: no need to work out the identity
    }
    let Some(identity) = route.identity(site) else { return Vec::new() };
    (site.edition.languages.iter())
        .filter_map(|l| l.paths.get(&identity).map(|path| (l.code.as_str(), path.as_str())))
        .collect()
}
