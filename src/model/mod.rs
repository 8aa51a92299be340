//! The resolved site: an immutable graph of reports, people, cities, countries, topics and
//! pages. Entities live in `Vec`s indexed by id newtypes; cross-links are ids, so there is
//! no shared mutability. Reports are ordered newest first, so any ascending list of
//! `ReportId`s is also newest first.

// Figure values are parsed while loading and shown while rendering: a base module,
// re-exported here where the model holds them.
pub use crate::figure;
pub mod editions;
pub mod gathered;
pub mod images;
pub use images::Image;
pub mod lint;
pub mod memory;
pub mod names;
pub mod related;
pub mod resolve;
pub mod translations;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::SiteConfig;
use figure::Qualifier;

macro_rules! id_type {
    ($($name:ident),*) => {$(
        /// Index into the matching `Vec` of [`Site`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
id_type!(ReportId, PersonId, CityId, CountryId, TopicId, PageId);

/// Where an entity was first defined, for error messages that name both sides of a clash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub line: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    /// Root-relative source path (`content/reports/2019-04-02-weihai.md`).
    pub source: String,
    pub slug: String,
    pub title: String,
    pub date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// The summary written in front matter; otherwise the body's first paragraph is used.
    pub summary: Option<String>,
    pub draft: bool,
    pub organisation: Option<String>,
    pub cities: Vec<CityId>,
    pub officials: Vec<Appearance>,
    /// Shared: `serve`'s resolve keeps the figures of an unchanged report, texts written,
    /// from the site before an edit (see `resolve::resolve_remembering`).
    pub figures: std::sync::Arc<[Figure]>,
    pub topics: Vec<TopicId>,
    pub extra: Option<serde_yaml::Value>,
    pub body: crate::load::body::Body,
    pub body_line: usize,
    /// The featured image (`image:`).
    pub image: Option<Image>,
    /// More photos (`gallery:`), in order.
    pub gallery: Vec<Image>,
    /// Reports sharing the most people and cities, best first.
    pub related: Vec<ReportId>,
    /// The report in the site's other languages (see [`translations`]). Shared: each
    /// language's edition of the report holds them too.
    pub translations: std::sync::Arc<Vec<ReportTranslation>>,
}

/// A report in another language: its own words; its facts are the original's.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTranslation {
    pub language: String,
    pub source: String,
    pub title: String,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub organisation: Option<String>,
    /// Each official's role and organisation in this language, in the original's order
    /// (`None`: not given).
    pub officials: Vec<OfficialWords>,
    /// Each figure's label and unit word in this language, in the original's order.
    pub figures: Vec<FigureWords>,
    /// Each topic's name in this language, in the original's order (empty: not given).
    pub topics: Vec<String>,
    /// The featured image's words in this language.
    pub image: ImageWords,
    /// Each gallery image's words in this language, in the original's order.
    pub gallery: Vec<ImageWords>,
    pub extra: Option<serde_yaml::Value>,
    pub body: crate::load::body::Body,
    pub body_line: usize,
}

/// The words of one official of a report in another language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficialWords {
    /// Shared with the translation's parsed front matter.
    pub role: Option<std::sync::Arc<str>>,
    pub organisation: Option<std::sync::Arc<str>>,
}

/// The words of one image of a report in another language (`None`: the original's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageWords {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The words of one figure of a report in another language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureWords {
    pub label: Option<std::sync::Arc<str>>,
    /// The unit in this language, where the original's is a word (`компаний` for
    /// `companies`); a currency or `%` is the same in every language.
    pub unit: Option<std::sync::Arc<str>>,
}

/// A plain page in another language.
#[derive(Debug, Clone, PartialEq)]
pub struct PageTranslation {
    pub language: String,
    pub source: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub extra: Option<serde_yaml::Value>,
    pub body: crate::load::body::Body,
    pub body_line: usize,
}

/// A person's appearance in one report, with the role they held there.
#[derive(Debug, Clone)]
pub struct Appearance {
    pub person: PersonId,
    /// Shared with the parsed front matter: a resolve copies no text.
    pub role: Option<std::sync::Arc<str>>,
    pub organisation: Option<std::sync::Arc<str>>,
    pub country: Option<CountryId>,
}

#[derive(Debug, Clone)]
pub struct Figure {
    /// Shared with the parsed front matter (and `display` with `serve`'s memory of
    /// figure texts): a resolve makes every figure of a report it does not keep.
    pub label: std::sync::Arc<str>,
    pub value: f64,
    pub unit: Option<std::sync::Arc<str>>,
    pub qualifier: Option<Qualifier>,
    pub year: Option<i32>,
    pub city: Option<CityId>,
    /// The figure as a reader sees it (`¥360 billion`, `5,8 млрд $`), made once: pages,
    /// feeds and exports show each figure several times. Written in the site's language
    /// by the render stage (`render::language_sites`), which knows the theme's words;
    /// empty until then.
    pub display: std::sync::Arc<str>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    /// The name in the site's other languages, by language tag.
    pub names: BTreeMap<String, String>,
    pub country: Option<CountryId>,
    /// The bio in the default language.
    pub bio: Option<String>,
    /// The bio in the site's other languages, by language tag.
    pub bio_translations: BTreeMap<String, String>,
    pub photo: Option<String>,
    pub origin: Origin,
    /// Reports naming this person, newest first.
    pub reports: Vec<ReportId>,
}

#[derive(Debug, Clone)]
pub struct City {
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    /// The name in the site's other languages, by language tag.
    pub names: BTreeMap<String, String>,
    pub province: Option<String>,
    pub country: Option<CountryId>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The description in the default language.
    pub description: Option<String>,
    /// The description in the site's other languages, by language tag.
    pub description_translations: BTreeMap<String, String>,
    pub origin: Origin,
    /// Reports set in this city, newest first.
    pub reports: Vec<ReportId>,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub name: String,
    pub slug: String,
    pub origin: Origin,
    pub people: Vec<PersonId>,
    pub cities: Vec<CityId>,
    /// Reports with a city in this country or an official from it, newest first.
    pub reports: Vec<ReportId>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub reports: Vec<ReportId>,
}

/// A plain page: `content/about.md` -> `/about/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: String,
    /// Site path of the page, ending in `/` (`about/`, `a/b/`).
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub extra: Option<serde_yaml::Value>,
    pub body: crate::load::body::Body,
    pub body_line: usize,
    /// The page in the site's other languages.
    pub translations: Vec<PageTranslation>,
}

/// The whole resolved site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub reports: Vec<Report>,
    pub people: Vec<Person>,
    pub cities: Vec<City>,
    pub countries: Vec<Country>,
    pub topics: Vec<Topic>,
    pub pages: Vec<Page>,
    /// Content files that exist but were left out because of their own errors.
    pub withheld_sources: std::collections::BTreeSet<String>,
    /// How names (and aliases, by `names::name_key`) found cities in the resolve that made
    /// this site, so that one edited report can be resolved again alike
    /// (`resolve::re_resolve_report`).
    pub city_keys: std::sync::Arc<ahash::AHashMap<String, CityId>>,
    /// Which language's pages this site makes (the default language's, unless it is an
    /// edition made by [`editions::edition`]).
    pub edition: Edition,
    /// Where each image the pages show is published, made by the media stage after
    /// resolve (empty before it); shared by every language's site.
    pub media: std::sync::Arc<images::MediaIndex>,
}

/// Which language's pages a [`Site`] makes and where the others are.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// The folder its pages live in: `` for the default language, `ru/` for Russian.
    pub prefix: String,
    /// Site paths of the default language's reports and pages by source: where `@/` links
    /// lead to what is not translated into this language.
    pub original_targets: std::sync::Arc<std::collections::HashMap<String, String>>,
    /// Every language's pages (the default language's first), for the links between
    /// them; empty for a site in one language.
    pub languages: std::sync::Arc<Vec<LanguagePages>>,
}

/// The pages of one language: site path by the page's identity (the same in every
/// language: a report's or page's source, an entity's or list's path without the
/// language's folder).
#[derive(Debug, Clone, Default)]
pub struct LanguagePages {
    pub code: String,
    pub prefix: String,
    pub paths: ahash::AHashMap<String, String>,
}

impl Site {
    pub fn report(&self, id: ReportId) -> &Report {
        &self.reports[id.index()]
    }
    pub fn person(&self, id: PersonId) -> &Person {
        &self.people[id.index()]
    }
    pub fn city(&self, id: CityId) -> &City {
        &self.cities[id.index()]
    }
    pub fn country(&self, id: CountryId) -> &Country {
        &self.countries[id.index()]
    }
    pub fn topic(&self, id: TopicId) -> &Topic {
        &self.topics[id.index()]
    }

    /// The file a report's body was read from: the original's, or in an edition in
    /// another language the translation's (diagnostics of the body point there).
    pub fn body_source<'s>(&'s self, report: &'s Report) -> &'s str {
        let translation = report.translations.iter().find(|t| t.language == self.config.language);
        translation.filter(|_| !self.edition.prefix.is_empty()).map_or(&report.source, |t| &t.source)
    }

    /// The file a plain page's body was read from (see [`Site::body_source`]).
    pub fn page_body_source<'s>(&'s self, page: &'s Page) -> &'s str {
        let translation = page.translations.iter().find(|t| t.language == self.config.language);
        translation.filter(|_| !self.edition.prefix.is_empty()).map_or(&page.source, |t| &t.source)
    }

    /// The report built from a root-relative source path, if any.
    pub fn report_by_source(&self, source: &str) -> Option<ReportId> {
        self.reports.iter().position(|r| r.source == source).map(|i| ReportId(i as u32))
    }

    /// The ids in `other` (this site, or an edition of it in another language, which holds
    /// the reports translated into it) of this site's reports `ids`.
    pub fn same_reports_in(
        &self,
        other: &Site,
        ids: &std::collections::BTreeSet<ReportId>,
    ) -> std::collections::BTreeSet<ReportId> {
        if std::ptr::eq(self, other) {
            return ids.clone();
        }
        let sources: std::collections::HashSet<&str> = ids.iter().map(|id| self.report(*id).source.as_str()).collect();
        (other.reports.iter().enumerate())
            .filter(|(_, r)| sources.contains(r.source.as_str()))
            .map(|(i, _)| ReportId(i as u32))
            .collect()
    }
}

/// Where each report of a site was in an earlier site of the same sources (`serve`'s
/// last good one), by source file. Reports keep their places, or move by one when
/// another report moves, comes or goes: the same place and its neighbours are tried
/// first, and a map of every earlier report is made only when they fail.
pub struct EarlierPlaces<'a> {
    earlier: &'a Site,
    by_source: std::sync::OnceLock<ahash::AHashMap<&'a str, usize>>,
}

impl<'a> EarlierPlaces<'a> {
    pub fn of(earlier: &'a Site) -> Self {
        EarlierPlaces { earlier, by_source: std::sync::OnceLock::new() }
    }

    /// The place in the earlier site of report `i` of `site` (the same source), if it
    /// was there.
    pub fn find(&self, site: &Site, i: usize) -> Option<usize> {
        let report = &site.reports[i];
        let source = report.source.as_str();
        let is_there = |j: &usize| self.earlier.reports.get(*j).is_some_and(|r| r.source == source);
        let near = self.sharing_body(i, &report.body).or_else(|| neighbours(i).into_iter().find(is_there));
        near.or_else(|| {
            let reports = self.earlier.reports.iter().enumerate();
            let by_source = self.by_source.get_or_init(|| reports.map(|(j, r)| (r.source.as_str(), j)).collect());
            by_source.get(source).copied()
        })
    }

    /// Report `j` of the earlier site.
    pub fn report(&self, j: usize) -> &'a Report {
        &self.earlier.reports[j]
    }

    /// The place, at `i` or a neighbour's, of the earlier report made from the file as
    /// read that gave `body` (see [`crate::load::body::Body::is_shared_with`]): in
    /// `serve`, every report of a file not edited since. Comparing addresses reads no
    /// text, where a path is a cache miss per report.
    pub fn sharing_body(&self, i: usize, body: &crate::load::body::Body) -> Option<usize> {
        let shares = |j: &usize| self.earlier.reports.get(*j).is_some_and(|r| r.body.is_shared_with(body));
        neighbours(i).into_iter().find(shares)
    }
}

/// Place `i` and its neighbours, where a report that kept its place or moved by one is.
fn neighbours(i: usize) -> [usize; 3] {
    [i, i.wrapping_sub(1), i + 1]
}
