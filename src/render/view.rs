//! Serde view structs handed to templates. They borrow from the [`Site`] and carry links
//! already made relative to the page being rendered, so templates never build URLs by hand.
//! Every field here is documented for theme authors in docs/themes.md.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Datelike;
use serde::Serialize;

use super::i18n::{Arguments, Strings};
use super::item_view::ItemView;
use super::maps::{self, Frame, MapView};
use super::markdown::RenderedBody;
use super::mentions::Mentions;
use super::pages::{self, Route};
use super::route::{self, relative_url};
use crate::diag::Diagnostic;
use crate::model::{CityId, CountryId, PersonId, ReportId, Site, TopicId};

/// Everything views need: the site, rendered bodies and the page the links start from.
pub struct Linker<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    /// Site path of the page being rendered.
    pub from: &'a str,
    /// Report items already made for pages as deep as this one.
    items: Arc<[OnceLock<tera::Value>]>,
    /// Where they are kept, with the theme's view of them.
    item_cache: &'a ItemCache<'a>,
    /// What the theme's templates mention: costly values nobody shows are left empty.
    mentions: &'a Mentions,
    /// The theme's words in the page's language, for text made here (map markers' names).
    strings: Option<&'a Strings>,
}

/// Report items (the entries of report lists) as template values, made once per page
/// depth and shared by every page of that depth that lists the report: a person's
/// reports, a city's, a topic's, the home pages. Links depend only on the depth of the
/// page holding them (see [`route::relative_url`]), and template values share their
/// contents when cloned, so a report listed on a thousand pages is made once, with the
/// theme's view of it ([`ItemView`]) when it has one.
#[derive(Default)]
pub struct ItemCache<'t> {
    entries: ItemEntries,
    view: Option<ItemView<'t>>,
}

/// The report items an [`ItemCache`] made, which a later render of the same pages of the
/// same site and theme may go on with (`serve` renders the pages that follow an edit in
/// batches: each would otherwise make again the items its pages list). Clones share them.
#[derive(Default, Clone)]
pub struct ItemEntries(Arc<Entries>);

#[derive(Default)]
struct Entries {
    by_depth: Mutex<HashMap<usize, Arc<[OnceLock<tera::Value>]>>>,
    /// The first error of the theme's view: the pages that list the item report it.
    failure: OnceLock<Diagnostic>,
}

impl<'t> ItemCache<'t> {
    /// The items of the pages of `site` (one language), with the views of `theme`.
    pub fn new(site: &Site, theme: &'t super::theme::Theme) -> Self {
        Self::sharing(site, theme, ItemEntries::default())
    }

    /// The same, going on with the `entries` made by an earlier cache of `site` and `theme`.
    pub fn sharing(site: &Site, theme: &'t super::theme::Theme, entries: ItemEntries) -> Self {
        let view = ItemView::of(theme, || ItemView::context(site, &site_view(site)));
        ItemCache { entries, view }
    }

    fn for_depth(&self, depth: usize, reports: usize) -> Arc<[OnceLock<tera::Value>]> {
        let mut by_depth = self.entries.0.by_depth.lock().unwrap_or_else(|e| e.into_inner());
        by_depth.entry(depth).or_insert_with(|| (0..reports).map(|_| OnceLock::new()).collect()).clone()
    }

    /// The error of the theme's report-item view, if rendering one failed.
    pub fn failure(&self) -> Option<&Diagnostic> {
        self.entries.0.failure.get()
    }
}

/// Rendered Markdown for every report, page, bio and description, by index.
#[derive(Default)]
pub struct Bodies {
    pub reports: Vec<RenderedBody>,
    pub pages: Vec<RenderedBody>,
    pub bios: HashMap<PersonId, String>,
    pub descriptions: HashMap<CityId, String>,
    /// Where the `@/` links of the site's bodies lead (`render::link_targets`): made the
    /// first time a body has such a link, kept with the bodies for `serve` to render a
    /// single body again and to tell whether links moved since.
    pub link_targets: Arc<super::LinkTargets>,
}

impl<'a> Linker<'a> {
    /// A linker for the page at site path `from`, taking report items from `items`.
    pub fn new(
        site: &'a Site,
        bodies: &'a Bodies,
        from: &'a str,
        item_cache: &'a ItemCache<'a>,
        mentions: &'a Mentions,
    ) -> Self {
        let depth = from.bytes().filter(|b| *b == b'/').count();
        let items = item_cache.for_depth(depth, site.reports.len());
        Linker { site, bodies, from, items, item_cache, mentions, strings: None }
    }

    /// This linker, naming things in the words of `strings` (the page's language).
    pub fn with_strings(self, strings: Option<&'a Strings>) -> Self {
        Linker { strings, ..self }
    }

    /// City `id` as a map marker sized by `count` reports, named `Weihai, 3 reports` with
    /// the theme's `count.reports` in the page's language (in English for a theme
    /// without it).
    fn city_place(&self, id: CityId, count: usize) -> maps::Place<'a> {
        let city = self.site.city(id);
        let args = Arguments { count: Some(count as i64), named: Vec::new() };
        let reports = (self.strings.and_then(|s| s.format("count.reports", &args).ok()))
            .unwrap_or_else(|| format!("{count} report{}", if count == 1 { "" } else { "s" }));
        maps::Place {
            name: &city.name,
            url: self.url(&route::city(self.site, id)),
            count,
            lat: city.lat,
            lon: city.lon,
            label: format!("{}, {reports}", city.name),
        }
    }

    /// A map of `cities` (with their numbers of reports) in `frame`, if some template
    /// reads a `map` and one of the cities has coordinates.
    fn map_of(&self, cities: impl IntoIterator<Item = (CityId, usize)>, frame: Frame) -> Option<MapView> {
        self.if_shown("map", || {
            let places: Vec<maps::Place> = cities.into_iter().map(|(id, count)| self.city_place(id, count)).collect();
            maps::map(&places, frame)
        })
    }

    /// The theme's words in the page's language, if the theme has any.
    pub fn strings(&self) -> Option<&'a Strings> {
        self.strings
    }

    /// Whether some template reads an attribute called `name` (so a value named so may be shown).
    pub fn shown(&self, name: &str) -> bool {
        self.mentions.has_attribute(name)
    }

    /// `make()` if some template mentions `word`, else the empty value.
    fn if_shown<T: Default>(&self, word: &str, make: impl FnOnce() -> T) -> T {
        if self.shown(word) { make() } else { T::default() }
    }

    pub fn url(&self, to: &str) -> String {
        relative_url(self.from, to, self.site.config.offline)
    }

    /// A link to a file: absolute URLs (`https://...`) unchanged, site paths
    /// (`/images/a.jpg` or `images/a.jpg`) made relative to the page.
    pub fn asset(&self, target: &str) -> String {
        if target.contains("://") || target.starts_with("//") || target.starts_with("data:") {
            return target.to_string();
        }
        relative_url(self.from, target.trim_start_matches('/'), false)
    }

    pub fn person(&self, id: PersonId) -> Link<'a> {
        let p = self.site.person(id);
        Link { name: &p.name, slug: &p.slug, url: self.url(&route::person(self.site, id)) }
    }
    pub fn city(&self, id: CityId) -> Link<'a> {
        let c = self.site.city(id);
        Link { name: &c.name, slug: &c.slug, url: self.url(&route::city(self.site, id)) }
    }
    pub fn country(&self, id: CountryId) -> Link<'a> {
        let c = self.site.country(id);
        Link { name: &c.name, slug: &c.slug, url: self.url(&route::country(self.site, id)) }
    }
    pub fn topic(&self, id: TopicId) -> Link<'a> {
        let t = self.site.topic(id);
        Link { name: &t.name, slug: &t.slug, url: self.url(&route::topic(self.site, id)) }
    }

    /// The view of an image on this page; `None` when it was not published (its error
    /// is reported).
    pub fn image(&self, image: &crate::model::Image) -> Option<super::picture::ImageView> {
        super::picture::image_of(self.site, image, self.from)
    }

    /// A person's photo on this page: a web address as it is, a site path as published.
    pub fn person_photo(&self, id: PersonId) -> Option<super::picture::ImageView> {
        let p = self.site.person(id);
        super::picture::given_image(self.site, self.from, p.photo.as_deref()?, p.name.clone())
    }

    /// A report as it appears in lists.
    pub fn report_item(&self, id: ReportId) -> ReportItem<'a> {
        let r = self.site.report(id);
        let summary = r.summary.as_deref().unwrap_or(&self.bodies.reports[id.index()].first_paragraph);
        ReportItem {
            title: &r.title,
            slug: &r.slug,
            url: self.url(&route::report(self.site, id)),
            date: r.date.to_string(),
            end_date: r.end_date.map(|d| d.to_string()),
            year: r.date.year(),
            summary,
            organisation: r.organisation.as_deref(),
            cities: r.cities.iter().map(|c| self.city(*c)).collect(),
            image: r.image.as_ref().and_then(|i| self.image(i)),
        }
    }

    /// Report `id` as it appears in lists, as a template value (made once per page depth),
    /// with the theme's view of it as `html` when it has one.
    pub fn report_item_value(&self, id: ReportId) -> tera::Value {
        self.items[id.index()].get_or_init(|| self.item_with_view(id)).clone()
    }

    /// Report `id` as a template value with the theme's view of it, when the theme has
    /// one; on an error, without it, the error kept for the pages to report.
    fn item_with_view(&self, id: ReportId) -> tera::Value {
        let item = tera::Value::from_serializable(&self.report_item(id));
        let Some(view) = &self.item_cache.view else { return item };
        view.add_to(item, self.from).unwrap_or_else(|error| {
            let _ = self.item_cache.entries.0.failure.set(error);
            tera::Value::from_serializable(&self.report_item(id))
        })
    }

    pub fn report_items(&self, ids: &[ReportId]) -> Vec<tera::Value> {
        ids.iter().map(|id| self.report_item_value(*id)).collect()
    }

    fn figure(&self, report: ReportId, index: usize) -> FigureView<'a> {
        let r = self.site.report(report);
        let f = &r.figures[index];
        figure_with(f, r.date.year(), f.city.map(|c| self.city(c)), self.report_link(report))
    }

    fn report_link(&self, id: ReportId) -> ReportLink<'a> {
        let r = self.site.report(id);
        ReportLink { title: &r.title, url: self.url(&route::report(self.site, id)), date: r.date.to_string() }
    }
}

/// A link to an entity page.
#[derive(Serialize)]
pub struct Link<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
}

/// A link with a count (reports shared, times met, ...).
#[derive(Serialize)]
pub struct Counted<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ReportLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
}

#[derive(Serialize)]
pub struct ReportItem<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub date: String,
    pub end_date: Option<String>,
    pub year: i32,
    pub summary: &'a str,
    pub organisation: Option<&'a str>,
    pub cities: Vec<Link<'a>>,
    /// The featured image, if the report has one.
    pub image: Option<super::picture::ImageView>,
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    /// `rtl` for a language written right to left (`fa`, `ar`, `he`), else `ltr`.
    pub direction: &'static str,
    pub offline: bool,
    pub extra: &'a serde_yaml::Value,
    pub report_count: usize,
    pub person_count: usize,
    pub city_count: usize,
    pub country_count: usize,
    pub topic_count: usize,
    pub generator: &'static str,
    /// Whether the site has a search page and index (`search:` in site.yaml).
    pub search: bool,
}

pub fn site_view(site: &Site) -> SiteView<'_> {
    let c = &site.config;
    SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        language: &c.language,
        direction: if c.right_to_left { "rtl" } else { "ltr" },
        offline: c.offline,
        extra: &c.extra,
        report_count: site.reports.len(),
        person_count: site.people.len(),
        city_count: site.cities.len(),
        country_count: site.countries.len(),
        topic_count: site.topics.len(),
        generator: concat!("communique ", env!("CARGO_PKG_VERSION")),
        search: super::pages::search_enabled(site),
    }
}

/// A figure with its city and report. The figures page, which lists every figure, passes
/// the city and report as template values made once per city and report (`C` and `R`).
#[derive(Serialize)]
pub struct FigureView<'a, C = Link<'a>, R = ReportLink<'a>> {
    pub label: &'a str,
    #[serde(serialize_with = "number_as_written")]
    pub value: f64,
    pub unit: Option<&'a str>,
    pub qualifier: Option<&'static str>,
    pub year: Option<i32>,
    /// The year the figure is for: its own `year`, else its report's (what a city page
    /// groups figures by), so every page shows the same year.
    pub for_year: i32,
    /// Formatted for readers: `¥360 billion`.
    pub display: &'a str,
    pub city: Option<C>,
    pub report: R,
}

#[derive(Serialize)]
pub struct OfficialView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub role: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub country: Option<Link<'a>>,
    /// The person's photo, for a card.
    pub photo: Option<super::picture::ImageView>,
}

#[derive(Serialize)]
pub struct CityInReport<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub province: Option<&'a str>,
    pub country: Option<Link<'a>>,
}

#[derive(Serialize)]
pub struct ReportView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub source: &'a str,
    pub date: String,
    pub end_date: Option<String>,
    pub year: i32,
    pub summary: &'a str,
    pub organisation: Option<&'a str>,
    pub draft: bool,
    /// The body as HTML (use `| safe`).
    pub content: &'a str,
    pub cities: Vec<CityInReport<'a>>,
    pub officials: Vec<OfficialView<'a>>,
    pub figures: Vec<FigureView<'a>>,
    pub topics: Vec<Link<'a>>,
    pub related: Vec<tera::Value>,
    /// The featured image (`image:`), if the report has one.
    pub image: Option<super::picture::ImageView>,
    /// More photos (`gallery:`), in order.
    pub gallery: Vec<super::picture::ImageView>,
    pub extra: &'a serde_yaml::Value,
}

pub fn report_view<'a>(l: &Linker<'a>, id: ReportId) -> ReportView<'a> {
    let site = l.site;
    let r = site.report(id);
    let item = l.report_item(id);
    ReportView {
        title: &r.title,
        slug: &r.slug,
        url: item.url,
        source: &r.source,
        date: item.date,
        end_date: item.end_date,
        year: item.year,
        summary: item.summary,
        organisation: r.organisation.as_deref(),
        draft: r.draft,
        content: &l.bodies.reports[id.index()].html,
        cities: r
            .cities
            .iter()
            .map(|c| {
                let city = site.city(*c);
                let link = l.city(*c);
                CityInReport {
                    name: link.name,
                    slug: link.slug,
                    url: link.url,
                    province: city.province.as_deref(),
                    country: city.country.map(|k| l.country(k)),
                }
            })
            .collect(),
        officials: r
            .officials
            .iter()
            .map(|a| {
                let link = l.person(a.person);
                let country = a.country.or(site.person(a.person).country);
                OfficialView {
                    name: link.name,
                    slug: link.slug,
                    url: link.url,
                    role: a.role.as_deref(),
                    organisation: a.organisation.as_deref(),
                    country: country.map(|k| l.country(k)),
                    photo: l.person_photo(a.person),
                }
            })
            .collect(),
        figures: l.if_shown("figures", || (0..r.figures.len()).map(|i| l.figure(id, i)).collect()),
        topics: r.topics.iter().map(|t| l.topic(*t)).collect(),
        related: l.if_shown("related", || l.report_items(&r.related)),
        image: r.image.as_ref().and_then(|i| l.image(i)),
        gallery: r.gallery.iter().filter_map(|i| l.image(i)).collect(),
        extra: r.extra.as_ref().unwrap_or(&EMPTY_MAP),
    }
}

#[derive(Serialize)]
pub struct RoleView<'a> {
    pub role: &'a str,
    pub organisation: Option<&'a str>,
    /// Dates of the first and latest report naming the person in this role.
    pub first: String,
    pub last: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct PersonView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub aliases: &'a [String],
    pub country: Option<Link<'a>>,
    pub bio: Option<&'a str>,
    /// The photo (`photo:` in data/people.yaml), its `alt` the person's name.
    pub photo: Option<super::picture::ImageView>,
    pub latest_role: Option<&'a str>,
    pub roles: Vec<RoleView<'a>>,
    pub report_count: usize,
    pub reports: Vec<tera::Value>,
    /// The same reports grouped by year, newest year first.
    pub years: Vec<YearOfReports>,
    pub cities: Vec<Counted<'a>>,
    pub met: Vec<Counted<'a>>,
    /// The cities of `cities` on a map (markers sized by the same counts), or nothing.
    pub map: Option<MapView>,
}

/// Page `page` (from 1) of person `id`'s page: its share of their reports, and on the
/// first page what sums up all of them (made for every page, they would cost the square
/// of the person's reports).
pub fn person_view<'a>(l: &Linker<'a>, id: PersonId, page: usize) -> PersonView<'a> {
    let site = l.site;
    let p = site.person(id);
    let listed = pages::entity_page(site, &p.reports, page);
    let first = page <= 1;
    let mut cities: BTreeMap<CityId, usize> = BTreeMap::new();
    let mut met: BTreeMap<PersonId, usize> = BTreeMap::new();
    if first && (l.shown("cities") || l.shown("met") || l.shown("map")) {
        for r in &p.reports {
            let report = site.report(*r);
            for c in &report.cities {
                *cities.entry(*c).or_default() += 1;
            }
            for other in dedup_people(report) {
                if other != id {
                    *met.entry(other).or_default() += 1;
                }
            }
        }
    }
    let link = l.person(id);
    PersonView {
        name: link.name,
        slug: link.slug,
        url: link.url,
        aliases: &p.aliases,
        country: p.country.map(|c| l.country(c)),
        bio: l.bodies.bios.get(&id).map(String::as_str),
        photo: l.person_photo(id),
        latest_role: latest_role(site, id),
        roles: if first { l.if_shown("roles", || roles_over_time(site, id)) } else { Vec::new() },
        report_count: p.reports.len(),
        reports: l.if_shown("reports", || l.report_items(listed)),
        years: l.if_shown("years", || years_of_reports(l, listed)),
        map: l.map_of(cities.iter().map(|(c, n)| (*c, *n)), Frame::Fit),
        cities: l.if_shown("cities", || counted(cities, |c| l.city(c))),
        met: l.if_shown("met", || counted(met, |p| l.person(p))),
    }
}

fn dedup_people(report: &crate::model::Report) -> Vec<PersonId> {
    let mut people: Vec<PersonId> = report.officials.iter().map(|a| a.person).collect();
    people.sort_unstable();
    people.dedup();
    people
}

/// The role given in the person's most recent report that gives one.
pub fn latest_role(site: &Site, id: PersonId) -> Option<&str> {
    site.person(id)
        .reports
        .iter()
        .find_map(|r| site.report(*r).officials.iter().find(|a| a.person == id).and_then(|a| a.role.as_deref()))
}

/// Each distinct (role, organisation), oldest first, with the dates it was reported.
fn roles_over_time(site: &Site, id: PersonId) -> Vec<RoleView<'_>> {
    let mut roles: Vec<RoleView> = Vec::new();
    for r in site.person(id).reports.iter().rev() {
        let report = site.report(*r);
        for a in report.officials.iter().filter(|a| a.person == id) {
            let Some(role) = a.role.as_deref() else { continue };
            let date = report.date.to_string();
            match roles.iter_mut().find(|v| v.role == role && v.organisation == a.organisation.as_deref()) {
                Some(v) => {
                    v.last = date;
                    v.count += 1;
                }
                None => roles.push(RoleView {
                    role,
                    organisation: a.organisation.as_deref(),
                    first: date.clone(),
                    last: date,
                    count: 1,
                }),
            }
        }
    }
    roles
}

/// Counted links, most frequent first, then by name.
fn counted<'a, K: Copy>(counts: BTreeMap<K, usize>, link: impl Fn(K) -> Link<'a>) -> Vec<Counted<'a>> {
    let mut items: Vec<Counted> = counts
        .into_iter()
        .map(|(k, count)| {
            let Link { name, slug, url } = link(k);
            Counted { name, slug, url, count }
        })
        .collect();
    items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.slug.cmp(b.slug)));
    items
}

#[derive(Serialize)]
pub struct YearOfReports {
    pub year: i32,
    pub reports: Vec<tera::Value>,
}

/// `ids` (newest first) grouped by the year of their date, newest year first.
fn years_of_reports<'a>(l: &Linker<'a>, ids: &[ReportId]) -> Vec<YearOfReports> {
    let mut years: Vec<YearOfReports> = Vec::new();
    for id in ids {
        let year = l.site.report(*id).date.year();
        let item = l.report_item_value(*id);
        match years.last_mut() {
            Some(y) if y.year == year => y.reports.push(item),
            _ => years.push(YearOfReports { year, reports: vec![item] }),
        }
    }
    years
}

#[derive(Serialize)]
pub struct YearOfFigures<'a> {
    pub year: i32,
    pub figures: Vec<FigureView<'a>>,
}

#[derive(Serialize)]
pub struct CityView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub aliases: &'a [String],
    pub province: Option<&'a str>,
    pub country: Option<Link<'a>>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub description: Option<&'a str>,
    pub report_count: usize,
    pub reports: Vec<tera::Value>,
    pub years: Vec<YearOfReports>,
    pub officials: Vec<Counted<'a>>,
    pub figures_by_year: Vec<YearOfFigures<'a>>,
    pub figure_count: usize,
    /// One chart per figure (label and unit) reported for two or more years.
    pub charts: Vec<ChartView>,
    /// A small map of the region around the city, or nothing without coordinates.
    pub map: Option<MapView>,
}

/// A figure over the years, drawn as an inline SVG bar chart (print `svg` with `| safe`).
#[derive(Serialize)]
pub struct ChartView {
    pub label: String,
    pub unit: Option<String>,
    pub svg: String,
}

/// Year -> (value, value as printed) of one figure.
type YearValues = BTreeMap<i32, (f64, String)>;

/// Charts for the figures of `by_year` (newest year first) that span two or more years.
/// Where one year has several values for a figure, the newest report's is drawn.
fn charts(city: &str, by_year: &[YearOfFigures]) -> Vec<ChartView> {
    let mut series: BTreeMap<(&str, Option<&str>), YearValues> = BTreeMap::new();
    for y in by_year {
        for f in &y.figures {
            series.entry((f.label, f.unit)).or_default().entry(y.year).or_insert((f.value, f.display.to_string()));
        }
    }
    series
        .into_iter()
        .filter(|(_, years)| years.len() >= 2)
        .map(|((label, unit), years)| {
            let points: Vec<super::chart::Point> = years
                .into_iter()
                .map(|(year, (value, display))| super::chart::Point { year, value, display })
                .collect();
            ChartView {
                label: label.to_string(),
                unit: unit.map(str::to_string),
                svg: super::chart::bar_chart(&format!("{label} in {city}"), &points),
            }
        })
        .collect()
}

/// The figures of city `id` in `reports`, by the year they are for, newest first.
fn figures_by_year<'a>(l: &Linker<'a>, id: CityId, reports: &[ReportId]) -> Vec<YearOfFigures<'a>> {
    let mut figures: BTreeMap<std::cmp::Reverse<i32>, Vec<FigureView>> = BTreeMap::new();
    for r in reports {
        let report = l.site.report(*r);
        for (i, f) in report.figures.iter().enumerate().filter(|(_, f)| f.city == Some(id)) {
            let year = f.year.unwrap_or(report.date.year());
            figures.entry(std::cmp::Reverse(year)).or_default().push(l.figure(*r, i));
        }
    }
    figures.into_iter().map(|(y, figures)| YearOfFigures { year: y.0, figures }).collect()
}

/// Page `page` (from 1) of city `id`'s page: its share of the reports and of their
/// figures, the counts of all, and on the first page what sums up all of them
/// (officials, charts).
pub fn city_view<'a>(l: &Linker<'a>, id: CityId, page: usize) -> CityView<'a> {
    let site = l.site;
    let c = site.city(id);
    let listed = pages::entity_page(site, &c.reports, page);
    let first = page <= 1;
    let mut officials: BTreeMap<PersonId, usize> = BTreeMap::new();
    for r in c.reports.iter().filter(|_| first && l.shown("officials")) {
        for p in dedup_people(site.report(*r)) {
            *officials.entry(p).or_default() += 1;
        }
    }
    // The charts and the count cover every report; the table, this page's.
    let all_figures = if first && l.shown("charts") { figures_by_year(l, id, &c.reports) } else { Vec::new() };
    let figure_count = l.if_shown("figure_count", || {
        let figures = c.reports.iter().flat_map(|r| site.report(*r).figures.iter());
        figures.filter(|f| f.city == Some(id)).count()
    });
    let figures_by_year = l.if_shown("figures_by_year", || figures_by_year(l, id, listed));
    let link = l.city(id);
    CityView {
        name: link.name,
        slug: link.slug,
        url: link.url,
        aliases: &c.aliases,
        province: c.province.as_deref(),
        country: c.country.map(|k| l.country(k)),
        lat: c.lat,
        lon: c.lon,
        description: l.bodies.descriptions.get(&id).map(String::as_str),
        report_count: c.reports.len(),
        reports: l.if_shown("reports", || l.report_items(listed)),
        years: l.if_shown("years", || years_of_reports(l, listed)),
        officials: counted(officials, |p| l.person(p)),
        figure_count,
        charts: l.if_shown("charts", || charts(link.name, &all_figures)),
        figures_by_year,
        map: l.map_of([(id, c.reports.len())], Frame::Locator),
    }
}

#[derive(Serialize)]
pub struct CountryView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub report_count: usize,
    pub reports: Vec<tera::Value>,
    pub people: Vec<Counted<'a>>,
    pub cities: Vec<Counted<'a>>,
    /// The country's cities on a map, or nothing if none has coordinates.
    pub map: Option<MapView>,
}

/// Page `page` (from 1) of country `id`'s page.
pub fn country_view<'a>(l: &Linker<'a>, id: CountryId, page: usize) -> CountryView<'a> {
    let site = l.site;
    let c = site.country(id);
    // The country's people and cities, on its first page.
    let first = page <= 1;
    let people = c.people.iter().filter(|_| first).map(|p| (*p, site.person(*p).reports.len())).collect();
    let cities: BTreeMap<CityId, usize> =
        c.cities.iter().filter(|_| first).map(|k| (*k, site.city(*k).reports.len())).collect();
    let link = l.country(id);
    CountryView {
        name: link.name,
        slug: link.slug,
        url: link.url,
        report_count: c.reports.len(),
        reports: l.report_items(pages::entity_page(site, &c.reports, page)),
        people: l.if_shown("people", || counted(people, |p| l.person(p))),
        map: l.map_of(cities.iter().map(|(k, n)| (*k, *n)), Frame::Fit),
        cities: l.if_shown("cities", || counted(cities, |k| l.city(k))),
    }
}

/// Every city on a map of the world (`cities_map` on the cities index), markers sized by
/// their reports; nothing if no template names `cities_map` or no city has coordinates.
pub fn cities_map(l: &Linker) -> Option<MapView> {
    if !l.mentions.has("cities_map") {
        return None;
    }
    let cities = (0..l.site.cities.len()).map(|i| CityId(i as u32));
    let places: Vec<maps::Place> = cities.map(|id| l.city_place(id, l.site.city(id).reports.len())).collect();
    maps::map(&places, Frame::World)
}

#[derive(Serialize)]
pub struct TopicView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub report_count: usize,
    pub reports: Vec<tera::Value>,
}

/// Page `page` (from 1) of topic `id`'s page.
pub fn topic_view<'a>(l: &Linker<'a>, id: TopicId, page: usize) -> TopicView<'a> {
    let t = l.site.topic(id);
    let link = l.topic(id);
    TopicView {
        name: link.name,
        slug: link.slug,
        url: link.url,
        report_count: t.reports.len(),
        reports: l.report_items(pages::entity_page(l.site, &t.reports, page)),
    }
}

#[derive(Serialize)]
pub struct PersonEntry<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub latest_role: Option<&'a str>,
    pub country: Option<Link<'a>>,
    pub report_count: usize,
    /// The person's photo, for a card.
    pub photo: Option<super::picture::ImageView>,
}

#[derive(Serialize)]
pub struct Letter<'a> {
    pub letter: String,
    pub people: Vec<PersonEntry<'a>>,
}

/// People A–Z, grouped by the first letter of their transliterated name.
pub fn people_by_letter<'a>(l: &Linker<'a>) -> Vec<Letter<'a>> {
    let site = l.site;
    let index = IndexOrder::of(site);
    let mut filed: Vec<(String, PersonId)> =
        (0..site.people.len() as u32).map(PersonId).map(|id| (index.letter(site.person(id)), id)).collect();
    // By letter first: in Chinese, Latin names sort after every Han name, yet `Aziz` and
    // `阿齐兹` (Ā) are both filed under A.
    filed.sort_by(|(la, a), (lb, b)| {
        index.compare_letters(la, lb).then_with(|| index.compare(site.person(*a), site.person(*b)))
    });
    let mut letters: Vec<Letter> = Vec::new();
    for (letter, id) in filed {
        let p = site.person(id);
        if letters.last().is_none_or(|g| g.letter != letter) {
            letters.push(Letter { letter, people: Vec::new() });
        }
        let link = l.person(id);
        letters.last_mut().expect("pushed above").people.push(PersonEntry {
            name: link.name,
            slug: link.slug,
            url: link.url,
            latest_role: latest_role(site, id),
            country: p.country.map(|c| l.country(c)),
            report_count: p.reports.len(),
            photo: l.person_photo(id),
        });
    }
    letters
}

/// A country's name and slug, for [`IndexOrder::compare_names`].
fn country_name(site: &Site, id: CountryId) -> (&str, &str) {
    let c = site.country(id);
    (&c.name, &c.slug)
}

/// How the A–Z lists (people, cities, countries, topics) are ordered, and people lettered.
/// An English site orders by slug (the name in ASCII: `Норов` under `N`); a site in
/// another language orders the names as written by that language's collation (CLDR) and
/// files people under their first letter (`Норов` under `Н` on a Russian site).
enum IndexOrder {
    Slug,
    Name(Box<crate::locale::Locale>),
    /// Chinese in simplified characters: by CLDR's pinyin collation, names in Han
    /// characters filed under the Latin letter their pinyin begins with (`诺罗夫` under `N`).
    Pinyin(Box<crate::locale::Locale>),
}

impl IndexOrder {
    fn of(site: &Site) -> IndexOrder {
        let language = site.config.language.as_str();
        if language == "en" || language.starts_with("en-") {
            return IndexOrder::Slug;
        }
        let Ok(locale) = crate::locale::Locale::new(language).map(Box::new) else { return IndexOrder::Slug };
        let traditional = ["Hant", "TW", "HK", "MO"].iter().any(|s| language.split('-').any(|part| part == *s));
        if language.split('-').next() == Some("zh") && !traditional {
            return IndexOrder::Pinyin(locale);
        }
        IndexOrder::Name(locale)
    }

    fn compare(&self, a: &crate::model::Person, b: &crate::model::Person) -> std::cmp::Ordering {
        self.compare_names((&a.name, &a.slug), (&b.name, &b.slug))
    }

    /// Two headings of the people list, in the order of the language's alphabet.
    fn compare_letters(&self, a: &str, b: &str) -> std::cmp::Ordering {
        match self {
            IndexOrder::Slug => a.cmp(b),
            IndexOrder::Name(locale) | IndexOrder::Pinyin(locale) => locale.compare(a, b),
        }
    }

    /// Two entities by (name, slug): by slug, or by name and then slug.
    fn compare_names(&self, (a, a_slug): (&str, &str), (b, b_slug): (&str, &str)) -> std::cmp::Ordering {
        match self {
            IndexOrder::Slug => a_slug.cmp(b_slug),
            IndexOrder::Name(locale) | IndexOrder::Pinyin(locale) => {
                locale.compare(a, b).then_with(|| a_slug.cmp(b_slug))
            }
        }
    }

    /// The heading a person is filed under: a capital letter without its accents (`Ё`
    /// under `Е`, which the collation sorts it with), or `#`.
    fn letter(&self, person: &crate::model::Person) -> String {
        let first = match self {
            IndexOrder::Slug => person.slug.chars().next().filter(char::is_ascii_alphabetic),
            IndexOrder::Name(_) | IndexOrder::Pinyin(_) => person.name.chars().next().filter(|c| c.is_alphabetic()),
        };
        if let (IndexOrder::Pinyin(locale), Some(c)) = (self, first)
            && is_han(c)
        {
            return pinyin_letter(locale, &person.name).to_string();
        }
        let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();
        let base = |c: char| nfd.normalize_iter(c.to_uppercase()).next().unwrap_or(c);
        first.map_or("#".to_string(), |c| base(c).to_string())
    }
}

/// Whether `c` is a Han character (the CJK Unified Ideographs and their extensions, and
/// the compatibility ideographs).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// The Latin letter a name in Han characters is filed under in Chinese: CLDR's pinyin
/// collation marks where each letter's names begin with U+FDD0 and the letter (the
/// boundaries ICU's alphabetic index uses), so the letter is the last boundary at or
/// before the name. Letters no pinyin begins with (I, U, V) have no boundary: U+FDD0 and
/// such a letter sorts as the Latin letter, after every Han character, and is skipped.
fn pinyin_letter(locale: &crate::locale::Locale, name: &str) -> char {
    use std::cmp::Ordering::{Greater, Less};
    let boundary = |letter: char| format!("\u{FDD0}{letter}");
    let is_boundary = |letter: char| locale.compare(&boundary(letter), "A") == Less;
    ('A'..='Z').rev().find(|l| is_boundary(*l) && locale.compare(&boundary(*l), name) != Greater).unwrap_or('A')
}

#[derive(Serialize)]
pub struct CityEntry<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub province: Option<&'a str>,
    pub report_count: usize,
}

#[derive(Serialize)]
pub struct CountryGroup<'a> {
    /// Empty for cities without a known country.
    pub name: &'a str,
    /// The country's slug, for anchors (`#country-china`); empty without a country.
    pub slug: &'a str,
    pub url: Option<String>,
    pub report_count: usize,
    pub cities: Vec<CityEntry<'a>>,
}

/// Cities grouped by country (A–Z; cities with no country last), each group A–Z.
pub fn cities_by_country<'a>(l: &Linker<'a>) -> Vec<CountryGroup<'a>> {
    let site = l.site;
    // Keyed by (no country?, country slug): countries A–Z, cities without one last.
    type Group = (Option<CountryId>, Vec<CityId>);
    let mut groups: BTreeMap<(bool, &str), Group> = BTreeMap::new();
    for (i, city) in site.cities.iter().enumerate() {
        let key = match city.country {
            Some(c) => (false, site.country(c).slug.as_str()),
            None => (true, ""),
        };
        groups.entry(key).or_insert((city.country, Vec::new())).1.push(CityId(i as u32));
    }
    let index = IndexOrder::of(site);
    let city = |id: CityId| (site.city(id).name.as_str(), site.city(id).slug.as_str());
    let mut groups: Vec<Group> = groups.into_values().collect();
    // Countries A–Z in the site's order (the map has them by slug), no country last.
    groups.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => index.compare_names(country_name(site, *a), country_name(site, *b)),
        _ => a.is_none().cmp(&b.is_none()),
    });
    groups
        .into_iter()
        .map(|(country, mut cities)| {
            cities.sort_by(|a, b| index.compare_names(city(*a), city(*b)));
            CountryGroup {
                name: country.map_or("", |c| site.country(c).name.as_str()),
                slug: country.map_or("", |c| site.country(c).slug.as_str()),
                url: country.map(|c| l.url(&route::country(site, c))),
                // Distinct reports: one report may name two cities of the same country.
                report_count: cities
                    .iter()
                    .flat_map(|c| &site.city(*c).reports)
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
                cities: cities
                    .into_iter()
                    .map(|c| {
                        let city = site.city(c);
                        let link = l.city(c);
                        CityEntry {
                            name: link.name,
                            slug: link.slug,
                            url: link.url,
                            province: city.province.as_deref(),
                            report_count: city.reports.len(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct CountryEntry<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub report_count: usize,
    pub person_count: usize,
    pub city_count: usize,
}

pub fn country_entries<'a>(l: &Linker<'a>) -> Vec<CountryEntry<'a>> {
    let site = l.site;
    let mut ids: Vec<CountryId> = (0..site.countries.len()).map(|i| CountryId(i as u32)).collect();
    let index = IndexOrder::of(site);
    ids.sort_by(|a, b| index.compare_names(country_name(site, *a), country_name(site, *b)));
    ids.into_iter()
        .map(|id| {
            let c = site.country(id);
            let link = l.country(id);
            CountryEntry {
                name: link.name,
                slug: link.slug,
                url: link.url,
                report_count: c.reports.len(),
                person_count: c.people.len(),
                city_count: c.cities.len(),
            }
        })
        .collect()
}

pub fn topic_entries<'a>(l: &Linker<'a>) -> Vec<Counted<'a>> {
    let site = l.site;
    let mut ids: Vec<TopicId> = (0..site.topics.len()).map(|i| TopicId(i as u32)).collect();
    let index = IndexOrder::of(site);
    let topic = |id: TopicId| (site.topic(id).name.as_str(), site.topic(id).slug.as_str());
    ids.sort_by(|a, b| index.compare_names(topic(*a), topic(*b)));
    ids.into_iter()
        .map(|id| {
            let Link { name, slug, url } = l.topic(id);
            Counted { name, slug, url, count: site.topic(id).reports.len() }
        })
        .collect()
}

fn figure_with<'a, C, R>(
    f: &'a crate::model::Figure,
    report_year: i32,
    city: Option<C>,
    report: R,
) -> FigureView<'a, C, R> {
    FigureView {
        label: &f.label,
        value: f.value,
        unit: f.unit.as_deref(),
        qualifier: f.qualifier.map(|q| q.as_str()),
        year: f.year,
        for_year: f.year.unwrap_or(report_year),
        display: &f.display,
        city,
        report,
    }
}

/// The figures of the reports `reports` (indices), newest report first, each report's in
/// front-matter order: one page of `/figures/`. Each report's link and each city's are
/// made once and shared by its figures (a page holds about a thousand figures).
pub fn figures_of<'a>(
    l: &Linker<'a>,
    reports: std::ops::Range<usize>,
) -> Vec<FigureView<'a, tera::Value, tera::Value>> {
    let site = l.site;
    let mut cities: HashMap<CityId, tera::Value> = HashMap::new();
    let mut all = Vec::new();
    for i in reports.filter(|i| !site.reports[*i].figures.is_empty()) {
        let r = &site.reports[i];
        let report = tera::Value::from_serializable(&l.report_link(ReportId(i as u32)));
        let year = r.date.year();
        let mut city =
            |c: CityId| cities.entry(c).or_insert_with(|| tera::Value::from_serializable(&l.city(c))).clone();
        all.extend(r.figures.iter().map(|f| figure_with(f, year, f.city.map(&mut city), report.clone())));
    }
    all
}

#[derive(Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Whether pages were left out between this one and the one listed before it.
    pub gap_before: bool,
}

/// How many pages on each side of the current one a pager lists (besides the first and
/// the last): listing every page would make each of 5,000 home pages link all 5,000.
const PAGER_WINDOW: usize = 2;

/// `paginator` of a home page: its reports and where it is among the others.
#[derive(Serialize)]
pub struct Paginator {
    pub total_reports: usize,
    pub reports: Vec<tera::Value>,
    #[serde(flatten)]
    pub pager: Pager,
}

pub fn paginator<'a>(l: &Linker<'a>, number: usize, per_page: usize) -> Paginator {
    let total = l.site.reports.len();
    let total_pages = total.div_ceil(per_page).max(1);
    let start = (number - 1) * per_page;
    let ids: Vec<ReportId> = (start..(start + per_page).min(total)).map(|i| ReportId(i as u32)).collect();
    Paginator {
        total_reports: total,
        reports: l.report_items(&ids),
        pager: Pager::new(l, Route::Home(number), number, total_pages),
    }
}

/// `paginator` of a page of `/figures/`: where it is among the others.
#[derive(Serialize)]
pub struct FiguresPaginator {
    /// Figures on every page together.
    pub total_figures: usize,
    #[serde(flatten)]
    pub pager: Pager,
}

pub fn figures_paginator(l: &Linker, number: usize, total_pages: usize) -> FiguresPaginator {
    FiguresPaginator {
        total_figures: l.site.reports.iter().map(|r| r.figures.len()).sum(),
        pager: Pager::new(l, Route::Figures(number), number, total_pages),
    }
}

/// The `paginator` of the entity page `route` (a person's, city's, country's or topic's,
/// `paginate_entities` reports a page); none for other pages.
pub fn entity_paginator(l: &Linker, route: Route) -> Option<Pager> {
    let (reports, number) = route.entity_paging(l.site)?;
    Some(Pager::new(l, route, number, pages::entity_page_count(l.site, reports)))
}

/// Where page `number` of `total_pages` of a paged list is, and its links to the others:
/// what every paginator has.
#[derive(Serialize)]
pub struct Pager {
    /// 1-based number of this page.
    pub number: usize,
    pub total_pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PagerLink>,
}

impl Pager {
    /// The pager of `route`, page `number` of `total_pages` of its list.
    fn new(l: &Linker, route: Route, number: usize, total_pages: usize) -> Pager {
        let url = |n: usize| l.url(&route.on_page(n).path(l.site));
        // The first page, those around this one and the last, in order and each once.
        let window = number.saturating_sub(PAGER_WINDOW).max(1)..=(number + PAGER_WINDOW).min(total_pages);
        let mut listed: Vec<usize> = std::iter::once(1).chain(window).chain(std::iter::once(total_pages)).collect();
        listed.dedup();
        let mut pages: Vec<PagerLink> = Vec::with_capacity(listed.len());
        for n in listed {
            let gap_before = pages.last().is_some_and(|last| last.number + 1 < n);
            pages.push(PagerLink { number: n, url: url(n), current: n == number, gap_before });
        }
        Pager {
            number,
            total_pages,
            previous: (number > 1).then(|| url(number - 1)),
            next: (number < total_pages).then(|| url(number + 1)),
            pages,
        }
    }
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub url: String,
    pub source: &'a str,
    /// `summary:` from front matter, else the body's first paragraph as plain text.
    pub summary: &'a str,
    pub content: &'a str,
    pub extra: &'a serde_yaml::Value,
}

pub fn page_view<'a>(l: &Linker<'a>, index: usize) -> PageView<'a> {
    let p = &l.site.pages[index];
    PageView {
        title: &p.title,
        url: l.url(&p.path),
        source: &p.source,
        summary: p.summary.as_deref().unwrap_or(&l.bodies.pages[index].first_paragraph),
        content: &l.bodies.pages[index].html,
        extra: p.extra.as_ref().unwrap_or(&EMPTY_MAP),
    }
}

/// What templates see as `extra` when front matter has none: an empty map, as documented,
/// so `report.extra.source` is simply undefined rather than an error on `null`.
static EMPTY_MAP: std::sync::LazyLock<serde_yaml::Value> =
    std::sync::LazyLock::new(|| serde_yaml::Value::Mapping(serde_yaml::Mapping::new()));

/// Whole numbers as integers (`360000000000`, not `360000000000.0`) so templates that
/// print `value` show it as an author would write it.
fn number_as_written<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}
