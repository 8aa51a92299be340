//! Search: a [Pagefind](https://pagefind.app/) index of every report, person and city
//! page, served as static files under `pagefind/` and queried in the browser by the
//! theme's search page.
//!
//! The index is built from the model, not by parsing rendered HTML: each page becomes one
//! Pagefind record with its plain text, a title, a date and the filters readers narrow
//! results by (`type`, `city`, `person`, `country`, `year`). That keeps the index
//! independent of the theme's markup and spares parsing every page a second time. The
//! records are indexed by [`super::search_index`], which writes Pagefind's files itself.
//!
//! Filter values are HTML in the index, metadata and content plain text: that is how
//! Pagefind's ready-made interface (`pagefind-ui.js`, which the `minimal` theme uses)
//! inserts each, see [`Record::filters`]. A theme's own script (the default theme's
//! `assets/search.js`) shows filter values as text once unescaped.
//!
//! Record URLs are site paths (`reports/weihai/`); the search page tells Pagefind the site
//! root, so results link correctly at a domain root, under a sub-path and offline.
//! Indexing needs the `search` cargo feature (on by default); without it
//! [`index_files`] reports that search is not built in.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::model::{CityId, PersonId, ReportId, Site};
use crate::render::route;
use crate::render::route::relative_url;
use crate::render::view::{Bodies, Linker};

/// The folder of the search index in the output.
pub const BUNDLE_DIR: &str = "pagefind/";

pub use super::search_record::Record;

pub use super::pages::search_enabled as enabled;

/// What an indexer calls between its units of work (each page indexed, each index chunk
/// written), free to block, and whether to go on: `serve` passes one that waits while a
/// rebuild runs, so that seconds of indexing never share the cores with the next save's
/// rebuild, and says to stop once a newer site waits to be indexed (the index is then
/// abandoned, an error); a build passes one that goes on at once.
pub type Pause<'a> = &'a (dyn Fn() -> bool + Sync);

/// The error of an index abandoned because its [`Pause`] said to stop.
pub const ABANDONED: &str = "the index was abandoned for a newer one";

/// What the search page needs to load the index in the browser.
#[derive(serde::Serialize)]
pub struct SearchView {
    /// Link from the search page to the index folder (`../pagefind/`).
    pub bundle_url: String,
    /// Link from the search page to the site root folder (`../`); result URLs are
    /// relative to it.
    pub root_url: String,
    /// Links to the index's further shards (`../pagefind/shard-2/`, ...), which large
    /// sites have; merge each into the main index (Pagefind's `mergeIndex`). Empty for
    /// sites under 2,500 reports.
    pub shard_urls: Vec<String>,
}

pub fn search_view(l: &Linker) -> SearchView {
    SearchView {
        bundle_url: relative_url(l.from, &route::in_language(l.site, BUNDLE_DIR), false),
        root_url: relative_url(l.from, "", false),
        shard_urls: shard_bundles(l.site).iter().map(|b| relative_url(l.from, b, false)).collect(),
    }
}

/// Every report, person and city of `site` as a search record, in site order.
pub fn records(site: &Site, bodies: &Bodies, stop: super::Stop) -> Option<Vec<Record>> {
    // On every core: `serve` makes them after each edit, a second of work at 100,000
    // reports when made one after another; and it stops for the next save.
    let finish = |record: Record| record.without_markers().with_filters_as_html();
    let go_on = |_: &usize| !stop();
    let reports = (0..site.reports.len()).into_par_iter().filter(go_on);
    let reports = reports.map(|i| finish(report_record(site, bodies, ReportId(i as u32))));
    let people = (0..site.people.len()).into_par_iter().filter(go_on);
    let people = people.map(|i| finish(person_record(site, bodies, PersonId(i as u32))));
    let cities = (0..site.cities.len()).into_par_iter().filter(go_on);
    let cities = cities.map(|i| finish(city_record(site, bodies, CityId(i as u32))));
    let records: Vec<Record> = reports.chain(people).chain(cities).collect();
    // Once true, `stop` stays true: records left out show here.
    if stop() {
        super::drop_aside(records);
        return None;
    }
    Some(records)
}

impl Record {
    /// The record with Pagefind's markers (`___PAGEFIND_WEIGHT___` and the like) in its
    /// text defused by dropping an underscore: Pagefind would take them for instructions
    /// (and strip them from titles), and the indexer expects text without them.
    fn without_markers(mut self) -> Self {
        defuse(&mut self.content);
        self.meta.values_mut().for_each(defuse);
        self.filters.values_mut().flatten().for_each(defuse);
        self
    }

    /// The record with its filter values escaped as HTML (see [`Record::filters`]).
    fn with_filters_as_html(mut self) -> Self {
        for value in self.filters.values_mut().flatten() {
            if value.contains(['&', '<', '>', '"', '\'']) {
                let mut escaped = String::with_capacity(value.len() + 8);
                let _ = pulldown_cmark_escape::escape_html(&mut escaped, value);
                *value = escaped;
            }
        }
        self
    }
}

fn defuse(text: &mut String) {
    for marker in ["___PAGEFIND_", "___END_PAGEFIND_"] {
        while text.contains(marker) {
            *text = text.replace(marker, &marker[1..]);
        }
    }
}

fn page_url(site: &Site, path: String) -> String {
    if site.config.offline { route::output_file(&path) } else { path }
}

fn report_record(site: &Site, bodies: &Bodies, id: ReportId) -> Record {
    let r = site.report(id);
    let mut text = Text::default();
    text.line(&r.title);
    text.line(&html_to_text(&bodies.reports[id.index()].html));
    let mut people = Vec::new();
    let mut countries = Vec::new();
    for a in &r.officials {
        let person = site.person(a.person);
        people.push(person.name.clone());
        let role = [a.role.as_deref(), a.organisation.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        text.line(&format!("{} {}", person.name, role.join(", ")));
        text.names(&person.aliases);
        countries.extend(a.country.or(person.country).map(|c| site.country(c).name.clone()));
    }
    let mut cities = Vec::new();
    for c in &r.cities {
        let city = site.city(*c);
        cities.push(city.name.clone());
        text.line(&city.name);
        text.names(&city.aliases);
        countries.extend(city.country.map(|c| site.country(c).name.clone()));
    }
    let topics: Vec<String> = r.topics.iter().map(|t| site.topic(*t).name.clone()).collect();
    text.names(&topics);
    let date = r.date.format("%Y-%m-%d").to_string();
    let mut filters = BTreeMap::new();
    filters.insert("type".to_string(), vec!["Report".to_string()]);
    filters.insert("year".to_string(), vec![r.date.format("%Y").to_string()]);
    insert_filter(&mut filters, "person", people);
    insert_filter(&mut filters, "city", cities);
    insert_filter(&mut filters, "country", countries);
    Record {
        url: page_url(site, route::report(site, id)),
        content: text.into_content(),
        meta: meta(&r.title, "Report", Some(&date)),
        filters,
        sort: BTreeMap::from([("date".to_string(), date)]),
    }
}

fn person_record(site: &Site, bodies: &Bodies, id: PersonId) -> Record {
    let p = site.person(id);
    let mut text = Text::default();
    text.line(&p.name);
    text.names(&p.aliases);
    let mut roles: Vec<&str> = Vec::new();
    let mut countries: Vec<String> = p.country.map(|c| site.country(c).name.clone()).into_iter().collect();
    for r in &p.reports {
        for a in site.report(*r).officials.iter().filter(|a| a.person == id) {
            roles.extend(a.role.as_deref().filter(|role| !roles.contains(role)));
            countries.extend(a.country.map(|c| site.country(c).name.clone()));
        }
    }
    for role in &roles {
        text.line(role);
    }
    if let Some(bio) = bodies.bios.get(&id) {
        text.line(&html_to_text(bio));
    }
    let mut filters = BTreeMap::new();
    filters.insert("type".to_string(), vec!["Person".to_string()]);
    filters.insert("person".to_string(), vec![p.name.clone()]);
    insert_filter(&mut filters, "country", countries);
    Record {
        url: page_url(site, route::person(site, id)),
        content: text.into_content(),
        meta: meta(&p.name, "Person", None),
        filters,
        sort: BTreeMap::new(),
    }
}

fn city_record(site: &Site, bodies: &Bodies, id: CityId) -> Record {
    let c = site.city(id);
    let mut text = Text::default();
    text.line(&c.name);
    text.names(&c.aliases);
    text.names(c.province.as_slice());
    let countries: Vec<String> = c.country.map(|k| site.country(k).name.clone()).into_iter().collect();
    text.names(&countries);
    if let Some(description) = bodies.descriptions.get(&id) {
        text.line(&html_to_text(description));
    }
    let mut filters = BTreeMap::new();
    filters.insert("type".to_string(), vec!["City".to_string()]);
    filters.insert("city".to_string(), vec![c.name.clone()]);
    insert_filter(&mut filters, "country", countries);
    Record {
        url: page_url(site, route::city(site, id)),
        content: text.into_content(),
        meta: meta(&c.name, "City", None),
        filters,
        sort: BTreeMap::new(),
    }
}

fn meta(title: &str, kind: &str, date: Option<&str>) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::from([("title".to_string(), title.to_string()), ("kind".to_string(), kind.to_string())]);
    if let Some(date) = date {
        meta.insert("date".to_string(), date.to_string());
    }
    meta
}

/// Adds a filter with its values sorted and deduplicated; no values, no filter.
fn insert_filter(filters: &mut BTreeMap<String, Vec<String>>, name: &str, mut values: Vec<String>) {
    values.sort();
    values.dedup();
    if !values.is_empty() {
        filters.insert(name.to_string(), values);
    }
}

/// Plain text assembled line by line.
#[derive(Default)]
struct Text(String);

impl Text {
    fn line(&mut self, line: &str) {
        if !line.trim().is_empty() {
            self.0.push_str(line.trim());
            self.0.push('\n');
        }
    }

    /// Names on a line of their own, separated by spaces, so each is a word of its own
    /// even in scripts written without spaces (`威海`).
    fn names(&mut self, names: &[String]) {
        self.line(&names.join(" · "));
    }

    /// The text without the room it grew into: every record is held until its shard is
    /// indexed, and a report's text, grown by doubling, leaves a third of its capacity
    /// unused (360 MB at 100,000 reports).
    fn into_content(self) -> String {
        let mut content = self.0;
        content.shrink_to_fit();
        content
    }
}

/// The text of an HTML fragment: tags dropped (block tags become line breaks) and the
/// entities our Markdown renderer and sanitiser write decoded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            if is_block_tag(&rest[..end]) && !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = decode_entity(rest);
            text.push_str(decoded);
            rest = &rest[used..];
        }
    }
    text.push_str(rest);
    text
}

fn is_block_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches(['<', '/']).split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    matches!(
        name,
        "p" | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "div"
            | "table"
            | "hr"
    )
}

/// Decodes the entity at the start of `s` (which starts with `&`); returns the text and
/// how many bytes it used. Unknown entities are kept as written.
fn decode_entity(s: &str) -> (&str, usize) {
    const NAMED: &[(&str, &str)] = &[
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&nbsp;", " "),
    ];
    NAMED.iter().find(|(entity, _)| s.starts_with(entity)).map_or(("&", 1), |(entity, text)| (*text, entity.len()))
}

/// Output files: path and bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Reports per search index shard. A shard is indexed on one thread, one record after
/// another; a large site is split into shards built side by side (the browser merges
/// them, see [`shard_bundles`]), and each search reads smaller files. The number of
/// shards depends on the site (and [`crate::BuildOptions::reports_per_shard`]), never on
/// the machine, so the output stays the same everywhere.
pub const REPORTS_PER_SHARD: usize = 2_500;

/// At most this many shards: every search fetches from each.
const MAX_SHARDS: usize = 4;

/// What the index of a site is made from besides its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSettings {
    /// How many of the records are reports (they come first, newest first).
    pub reports: usize,
    /// At most this many reports per shard: [`REPORTS_PER_SHARD`] unless the build
    /// options say otherwise.
    pub reports_per_shard: usize,
    /// The site's language (`en`, `zh-CN`).
    pub language: String,
    /// The site path of the index folder: `pagefind/`, or `ru/pagefind/` for the pages of
    /// a language other than the default, each of which has its own index.
    pub folder: String,
}

impl IndexSettings {
    pub fn of(site: &Site) -> IndexSettings {
        IndexSettings {
            reports: site.reports.len(),
            reports_per_shard: site.config.reports_per_shard.map_or(REPORTS_PER_SHARD, |n| n.get()),
            language: site.config.language.clone(),
            folder: route::in_language(site, BUNDLE_DIR),
        }
    }

    /// How many shards the index has.
    pub fn shard_count(&self) -> usize {
        self.reports.div_ceil(self.reports_per_shard.max(1)).clamp(1, MAX_SHARDS)
    }
}

/// Site paths of the index folders besides the main one (`pagefind/shard-2/`, ...), which
/// the search page merges into the main index.
pub fn shard_bundles(site: &Site) -> Vec<String> {
    let settings = IndexSettings::of(site);
    (2..=settings.shard_count()).map(|n| format!("{}shard-{n}/", settings.folder)).collect()
}

/// Splits `records` (reports newest first, then people and cities) into the shards'
/// records: the newest reports in the first shard and so on, people and cities in the
/// last. Each record gets a filter `shard` (`1`, `2`, ...): merged results are ranked by
/// score, not by date, so the search page lists reports by date one shard at a time,
/// newest shard first.
#[cfg(any(test, feature = "search"))]
fn shards(mut records: Vec<Record>, settings: &IndexSettings) -> Vec<Vec<Record>> {
    let count = settings.shard_count();
    let per_shard = settings.reports.div_ceil(count).max(1);
    let mut shards = Vec::with_capacity(count);
    for _ in 1..count {
        let rest = records.split_off(per_shard.min(records.len()));
        shards.push(std::mem::replace(&mut records, rest));
    }
    shards.push(records);
    for (n, shard) in shards.iter_mut().enumerate() {
        for record in shard.iter_mut() {
            record.filters.insert("shard".to_string(), vec![(n + 1).to_string()]);
        }
    }
    shards
}

/// Each shard of the last index made with a memory (`serve` keeps one between rebuilds):
/// its language, records and files.
#[derive(Default)]
// Without the `search` feature nothing is indexed, so nothing is remembered.
#[cfg_attr(not(feature = "search"), allow(dead_code))]
pub struct IndexMemory(Vec<(String, Vec<Record>, Files)>);

/// The search index files (`pagefind/...`, with their bytes) for the `records` of a site,
/// in its language (an ISO 639-1 code such as `en`; `zh-CN` is cut to `zh`), and how many
/// shards were indexed. Shards are built on threads of their own, side by side. With a
/// `memory` of the last index, every shard whose records are the same as last time is
/// taken from there instead of being indexed again (an edit of one report changes one
/// shard, or two with its people and cities), and the new shards are kept there; `build`
/// passes none, and keeps nothing.
#[cfg(feature = "search")]
pub fn index_files(
    records: Vec<Record>,
    settings: &IndexSettings,
    memory: Option<&mut IndexMemory>,
    pause: Pause,
) -> Result<(Files, usize), String> {
    let language = bundle_language(&settings.language);
    let shards = shards(records, settings);
    let kept = |i: usize, records: &[Record]| {
        let last = memory.as_ref().and_then(|m| m.0.get(i));
        last.filter(|(l, r, _)| *l == language && r.as_slice() == records).map(|(_, _, files)| files.clone())
    };
    let built = index_shards(&shards, (&language, &settings.folder), kept, pause)?;
    let indexed = built.iter().filter(|(_, new)| *new).count();
    let Some(memory) = memory else {
        return Ok((sorted(built.into_iter().flat_map(|(files, _)| files).collect()), indexed));
    };
    let files = sorted(built.iter().flat_map(|(files, _)| files.iter().cloned()).collect());
    memory.0 = shards.into_iter().zip(built).map(|(records, (files, _))| (language.clone(), records, files)).collect();
    Ok((files, indexed))
}

/// The language of the bundle: `zh-CN` -> `zh`.
#[cfg(feature = "search")]
fn bundle_language(language: &str) -> String {
    language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase()
}

#[cfg(feature = "search")]
fn sorted(mut files: Files) -> Files {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The files of each shard, those `kept` does not give indexed on threads of their own,
/// side by side; with whether each was indexed.
#[cfg(feature = "search")]
fn index_shards(
    shards: &[Vec<Record>],
    (language, folder): (&str, &str),
    kept: impl Fn(usize, &[Record]) -> Option<Files>,
    pause: Pause,
) -> Result<Vec<(Files, bool)>, String> {
    enum Shard<T> {
        Kept(Files),
        Indexing(T),
    }
    std::thread::scope(|scope| {
        let shards: Vec<_> = (shards.iter().enumerate())
            .map(|(i, records)| match kept(i, records) {
                Some(files) => Shard::Kept(files),
                None => Shard::Indexing(scope.spawn(move || index_shard(records, (language, folder, i), pause))),
            })
            .collect();
        shards
            .into_iter()
            .map(|shard| match shard {
                Shard::Kept(files) => Ok((files, false)),
                Shard::Indexing(h) => Ok((h.join().map_err(|_| "the search indexer failed".to_string())??, true)),
            })
            .collect()
    })
}

/// Files of Pagefind's ready-made interfaces, which only the main bundle needs.
#[cfg(feature = "search")]
fn is_interface_file(name: &str) -> bool {
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-highlight.")
}

/// One shard's index: shard 0 is the main bundle in `folder` (`pagefind/`), shard `i`
/// goes to `pagefind/shard-{i+1}/`.
#[cfg(feature = "search")]
fn index_shard(
    records: &[Record],
    (language, folder, shard): (&str, &str, usize),
    pause: Pause,
) -> Result<Files, String> {
    let folder = if shard == 0 { folder.to_string() } else { format!("{folder}shard-{}/", shard + 1) };
    Ok(super::search_index::bundle_pausing(records, language, pause)?
        .into_iter()
        .filter(|(name, _)| shard == 0 || !is_interface_file(name))
        .map(|(name, bytes)| (format!("{folder}{name}"), bytes))
        .collect())
}

/// Without the `search` feature there is no indexer; [`enabled`] is false, so this is
/// only reached by mistake.
#[cfg(not(feature = "search"))]
pub fn index_files(
    _records: Vec<Record>,
    _settings: &IndexSettings,
    _memory: Option<&mut IndexMemory>,
    _pause: Pause,
) -> Result<(Files, usize), String> {
    Err("this communique was built without the `search` feature".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        let html = "<h2>Talks</h2><p>Trade &amp; <a href=\"x\">Weihai</a>&#39;s port &lt;3&gt;</p><ul><li>One</li><li>Two</li></ul>";
        assert_eq!(html_to_text(html), "Talks\nTrade & Weihai's port <3>\nOne\nTwo\n");
        assert_eq!(html_to_text("AT&T & co"), "AT&T & co");
        assert_eq!(html_to_text("broken <a"), "broken ");
    }

    fn record(url: &str) -> Record {
        Record {
            url: url.into(),
            content: String::new(),
            meta: BTreeMap::new(),
            filters: BTreeMap::new(),
            sort: BTreeMap::new(),
        }
    }

    fn settings(reports: usize, reports_per_shard: usize, language: &str) -> IndexSettings {
        IndexSettings { reports, reports_per_shard, language: language.into(), folder: BUNDLE_DIR.into() }
    }

    #[test]
    fn large_sites_are_split_into_shards_of_newest_reports_first() {
        let shard_count = |reports| settings(reports, REPORTS_PER_SHARD, "en").shard_count();
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(2_500), 1);
        assert_eq!(shard_count(2_501), 2);
        assert_eq!(shard_count(10_000), 4);
        assert_eq!(shard_count(100_000), 4);
        let mut records: Vec<Record> = (0..5_001).map(|i| record(&format!("reports/r{i}/"))).collect();
        records.push(record("people/p/"));
        let split = shards(records, &settings(5_001, REPORTS_PER_SHARD, "en"));
        assert_eq!(split.iter().map(Vec::len).collect::<Vec<_>>(), [1_667, 1_667, 1_668]);
        assert_eq!(split[0][0].url, "reports/r0/");
        assert_eq!(split[1][0].url, "reports/r1667/");
        assert_eq!(split[2].last().unwrap().url, "people/p/");
        assert_eq!(split[1][5].filters["shard"], ["2"]);
        assert_eq!(shards(vec![record("people/p/")], &settings(0, REPORTS_PER_SHARD, "en")).len(), 1);
    }

    #[test]
    fn pagefind_markers_in_the_text_are_defused() {
        let mut r = record("reports/r/");
        r.content = "a ___PAGEFIND_WEIGHT___5 b ___END_PAGEFIND_WEIGHT___ ____PAGEFIND_ANCHOR___x".into();
        r.meta.insert("title".into(), "T ___PAGEFIND_x".into());
        r.filters.insert("city".into(), vec!["___PAGEFIND_".into()]);
        let r = r.without_markers();
        assert_eq!(r.content, "a __PAGEFIND_WEIGHT___5 b __END_PAGEFIND_WEIGHT___ __PAGEFIND_ANCHOR___x");
        assert_eq!(r.meta["title"], "T __PAGEFIND_x");
        assert_eq!(r.filters["city"], ["__PAGEFIND_"]);
    }

    /// 26 reports, two shards of 13 (with [`settings`]`(26, 13, ..)`).
    #[cfg(feature = "search")]
    fn reports_in_two_shards() -> Vec<Record> {
        (0..26)
            .map(|i| Record { content: format!("Report {i} on trade in Weihai"), ..record(&format!("reports/r{i}/")) })
            .collect()
    }

    /// `reports` with one of the second shard's edited.
    #[cfg(feature = "search")]
    fn edited_in_the_second_shard(reports: &[Record]) -> Vec<Record> {
        let mut edited = reports.to_vec();
        edited[20].content = "Report 20 on ports in Qingdao".into();
        edited
    }

    #[cfg(feature = "search")]
    #[test]
    fn only_shards_whose_records_changed_are_indexed_again() {
        let reports = reports_in_two_shards();
        let mut kept = IndexMemory::default();
        let english = settings(26, 13, "en");
        let (_, indexed) = index_files(reports.clone(), &english, Some(&mut kept), &|| true).unwrap();
        assert_eq!(indexed, 2, "a first index is made whole");
        let (_, indexed) = index_files(reports.clone(), &english, Some(&mut kept), &|| true).unwrap();
        assert_eq!(indexed, 0, "nothing changed");

        let edited = edited_in_the_second_shard(&reports);
        let (files, indexed) = index_files(edited.clone(), &english, Some(&mut kept), &|| true).unwrap();
        assert_eq!(indexed, 1, "an edit in the second shard indexed more than that shard");
        assert!(
            files == index_files(edited, &english, None, &|| true).unwrap().0,
            "the index differs from one made whole"
        );

        let (_, indexed) = index_files(reports, &settings(26, 13, "de"), Some(&mut kept), &|| true).unwrap();
        assert_eq!(indexed, 2, "another language is another index");
    }

    #[cfg(feature = "search")]
    #[test]
    fn an_index_abandoned_midway_keeps_the_last_index_in_memory() {
        let reports = reports_in_two_shards();
        let mut kept = IndexMemory::default();
        let english = settings(26, 13, "en");
        index_files(reports.clone(), &english, Some(&mut kept), &|| true).unwrap();

        let edited = edited_in_the_second_shard(&reports);
        // Stopped at the fifth page of the edited shard.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop_at_fifth = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 4;
        let abandoned = index_files(edited.clone(), &english, Some(&mut kept), &stop_at_fifth);
        assert_eq!(abandoned.err().as_deref(), Some(ABANDONED));
        assert_eq!(asked.into_inner(), 5, "indexing went on after it was told to stop");

        // The memory is still that of the last whole index: only the edited shard again.
        let (files, indexed) = index_files(edited.clone(), &english, Some(&mut kept), &|| true).unwrap();
        assert_eq!(indexed, 1, "the abandoned index changed what is kept");
        assert!(files == index_files(edited, &english, None, &|| true).unwrap().0);
    }

    #[test]
    fn filters_are_sorted_and_unique_and_empty_ones_dropped() {
        let mut filters = BTreeMap::new();
        insert_filter(&mut filters, "city", vec!["Weihai".into(), "Qingdao".into(), "Weihai".into()]);
        insert_filter(&mut filters, "country", Vec::new());
        assert_eq!(filters, BTreeMap::from([("city".to_string(), vec!["Qingdao".to_string(), "Weihai".to_string()])]));
    }
}
