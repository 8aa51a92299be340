//! Every page of a site as a [`Route`]: its path, the template that renders it and the
//! menu section it belongs to.

use super::{route, theme};
use crate::model::{CityId, CountryId, LanguagePages, PersonId, ReportId, Site, TopicId};

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
    Person(PersonId),
    Cities,
    City(CityId),
    Countries,
    Country(CountryId),
    Topics,
    Topic(TopicId),
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
        routes.extend((0..site.people.len()).map(|i| Route::Person(PersonId(i as u32))));
        routes.push(Route::Cities);
        routes.extend((0..site.cities.len()).map(|i| Route::City(CityId(i as u32))));
        routes.push(Route::Countries);
        routes.extend((0..site.countries.len()).map(|i| Route::Country(CountryId(i as u32))));
        routes.push(Route::Topics);
        routes.extend((0..site.topics.len()).map(|i| Route::Topic(TopicId(i as u32))));
        routes.extend((1..=figure_pages(site).len()).map(Route::Figures));
        if search_enabled(site) {
            routes.push(Route::Search);
        }
        routes.extend((0..site.pages.len()).map(Route::Page));
        routes.push(Route::NotFound);
        routes
    }

    /// The site path of the page (`reports/weihai/`; `404.html` for the error page).
    pub fn path(self, site: &Site) -> String {
        match self {
            Route::Home(n) => route::home(site, n),
            Route::Report(id) => route::report(site, id),
            Route::People => route::in_language(site, "people/"),
            Route::Person(id) => route::person(site, id),
            Route::Cities => route::in_language(site, "cities/"),
            Route::City(id) => route::city(site, id),
            Route::Countries => route::in_language(site, "countries/"),
            Route::Country(id) => route::country(site, id),
            Route::Topics => route::in_language(site, "topics/"),
            Route::Topic(id) => route::topic(site, id),
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
            Route::Person(_) => "person.html",
            Route::Cities => "cities.html",
            Route::City(_) => "city.html",
            Route::Countries => "countries.html",
            Route::Country(_) => "country.html",
            Route::Topics => "topics.html",
            Route::Topic(_) => "topic.html",
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
            Route::Report(id) => Some(site.report(id).source.clone()),
            Route::Page(i) => Some(site.pages[i].source.clone()),
            Route::NotFound => None,
            route => {
                let path = route.path(site);
                Some(path.strip_prefix(site.edition.prefix.as_str()).map(str::to_string).unwrap_or(path))
            }
        }
    }

    /// The navigation section the page belongs to, for highlighting menus.
    pub fn section(self) -> &'static str {
        match self {
            Route::Home(_) | Route::Report(_) => "reports",
            Route::People | Route::Person(_) => "people",
            Route::Cities | Route::City(_) => "cities",
            Route::Countries | Route::Country(_) => "countries",
            Route::Topics | Route::Topic(_) => "topics",
            Route::Figures(_) => "figures",
            Route::Search => "search",
            Route::Page(_) | Route::NotFound => "",
        }
    }
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
    let paths = Route::all(site).into_iter().filter_map(|r| Some((r.identity(site)?, r.path(site)))).collect();
    LanguagePages { code: site.config.language.clone(), prefix: site.edition.prefix.clone(), paths }
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
