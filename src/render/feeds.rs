//! Files for machines rather than readers: Atom feeds (RFC 4287) for the site and for each
//! person and city, `sitemap.xml` and `robots.txt`. All of them need absolute URLs, so they
//! are written only when `base_url` is set; otherwise one warning says so.

use chrono::NaiveDate;
use rayon::prelude::*;

use super::pages::Route;
use super::route;
use super::view::Bodies;
use crate::diag::{Diagnostic, msg};
use std::collections::BTreeSet;

use crate::model::{CityId, PersonId, ReportId, Site};

/// Entries per feed, newest first.
pub const FEED_ENTRIES: usize = 20;

/// The warnings [`extras`] raises for `site`, without making any file.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    // Said once, by the default language's site, for all languages.
    if !site.config.base_url.trim().is_empty() || !site.edition.prefix.is_empty() {
        return Vec::new();
    }
    let warning = Diagnostic::warning(
        crate::project::sources::CONFIG,
        0,
        0,
        msg!("base_url is not set: feeds, sitemap.xml and robots.txt are not written (they need absolute URLs)"),
    )
    .with_hint("add `base_url: https://example.org/` or pass --base-url");
    vec![warning]
}

/// Every extra file (output path, bytes), in path order (the warnings are [`warnings`]'s,
/// reported with the pages); `None` when `stop` said to stop (see [`extras_each`]). With
/// `served`, the feeds it says are served as they would be made are not made again; what
/// was spared is returned with the files.
pub fn extras(site: &Site, bodies: &Bodies, served: Option<Served>, stop: super::Stop) -> Option<Extras> {
    let files = std::sync::Mutex::new(Vec::new());
    let emit = |path, bytes| files.lock().unwrap_or_else(|e| e.into_inner()).push((path, bytes));
    let (_, spared) = extras_sparing(site, bodies, (&emit, served), stop);
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    if stop() {
        super::drop_aside(files);
        return None;
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(Extras { files, spared })
}

/// What [`extras`] made: the files (output path, bytes) in path order, and what `serve`'s
/// memory of the feeds needs.
pub struct Extras {
    pub files: Vec<(String, Vec<u8>)>,
    pub spared: Spared,
}

/// Whether the feed at an output path, made of what a print sums up ([`feed_prints`]), is
/// served as it would be made: `serve` remembers the print of each feed it serves.
pub type Served<'a> = &'a (dyn Fn(&str, u64) -> bool + Sync);

/// The feeds a run with a [`Served`] made (output path and print) and those it did not
/// make again (output paths): both are feeds of the site.
#[derive(Debug, Default)]
pub struct Spared {
    pub made: Vec<(String, u64)>,
    pub kept: Vec<String>,
}

/// Hands every extra file (output path, bytes) to `emit` as soon as it is made, from any
/// thread, so that a build writes the feeds (a few hundred megabytes on a large site)
/// instead of holding them; returns the warnings. Once `stop` says so, the files not
/// made yet are not made (each feed asks it first).
pub fn extras_each(
    site: &Site,
    bodies: &Bodies,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
    stop: super::Stop,
) -> Vec<Diagnostic> {
    extras_sparing(site, bodies, (emit, None), stop).0
}

/// [`extras_each`], but that with `served`, a feed it says is served as it would be made
/// is not made again: after a save that resolves the site, `serve` makes again only the
/// feeds of what changed (ids move, the feeds' contents mostly not), and no entry that
/// only those feeds would show.
fn extras_sparing(
    site: &Site,
    bodies: &Bodies,
    (emit, served): (&(dyn Fn(String, Vec<u8>) + Sync), Option<Served>),
    stop: super::Stop,
) -> (Vec<Diagnostic>, Spared) {
    let Some(base) = absolute_base(site) else { return (warnings(site), Spared::default()) };
    let all = all_reports(site);
    let feeds = site_feeds(site, &all);
    let prints = served.map(|_| feed_prints(site, bodies, &base, &feeds));
    let to_make: Vec<bool> = match (served, &prints) {
        (Some(served), Some(prints)) => feeds.iter().zip(prints).map(|(f, print)| !served(&f.path(), *print)).collect(),
        _ => vec![true; feeds.len()],
    };
    let made = || feeds.iter().zip(&to_make).filter(|(_, make)| **make).map(|(feed, _)| feed);
    let entries = Entries::of(site, bodies, &base, made().map(|f| f.reports), stop);
    // Entries left out once stopped: no feed may be made of them.
    if stop() {
        super::drop_aside(entries);
        return (Vec::new(), Spared::default());
    }
    made().collect::<Vec<_>>().into_par_iter().filter(|_| !stop()).for_each(|f| {
        emit(f.path(), feed(site, &entries, &base, &f.page, &f.title, f.reports));
    });
    if stop() {
        super::drop_aside(entries);
        return (Vec::new(), Spared::default());
    }
    drop(entries);
    let spared = spared(&feeds, &to_make, prints);
    let Some(sitemap) = sitemap(site, &base, stop) else { return (Vec::new(), Spared::default()) };
    emit(route::in_language(site, "sitemap.xml"), sitemap);
    // One robots.txt for the whole site, at its root: it names every language's sitemap.
    // Crawlers read it only at a host's root, so a site under a sub-path gets none.
    if site.edition.prefix.is_empty() && is_host_root(&base) {
        emit("robots.txt".to_string(), robots(site, &base));
    }
    (Vec::new(), spared)
}

/// Which of `feeds` were made (with their `prints`, when there are any) and which kept.
fn spared(feeds: &[SiteFeed], to_make: &[bool], prints: Option<Vec<u64>>) -> Spared {
    let Some(prints) = prints else { return Spared::default() };
    let mut spared = Spared::default();
    for ((feed, make), print) in feeds.iter().zip(to_make).zip(prints) {
        match make {
            true => spared.made.push((feed.path(), print)),
            false => spared.kept.push(feed.path()),
        }
    }
    spared
}

/// One of a site's feeds: its page's site path, its title and its reports, newest first.
struct SiteFeed<'s> {
    page: String,
    title: String,
    reports: &'s [ReportId],
}

impl SiteFeed<'_> {
    fn path(&self) -> String {
        format!("{}feed.xml", self.page)
    }
}

/// The site's feed of `all` its reports, then each person's and each city's.
fn site_feeds<'s>(site: &'s Site, all: &'s [ReportId]) -> Vec<SiteFeed<'s>> {
    let people = (0..site.people.len() as u32).map(|i| person_feed(site, PersonId(i)));
    let cities = (0..site.cities.len() as u32).map(|i| city_feed(site, CityId(i)));
    std::iter::once(home_feed(site, all)).chain(people).chain(cities).collect()
}

/// A print of what each of `feeds` is made of: the site's address and name, the feed's
/// page and title, and of each report it shows what its entry is made of (its address,
/// title, dates, organisation, summary, and its body's hash). Equal prints, equal feeds
/// (but for two inputs whose 64-bit hashes collide, as with the bodies' `content_hash`);
/// a report's body is not read.
fn feed_prints(site: &Site, bodies: &Bodies, base: &str, feeds: &[SiteFeed]) -> Vec<u64> {
    let entry_prints: Vec<u64> = (0..site.reports.len() as u32)
        .into_par_iter()
        .map(|i| {
            let (r, id) = (site.report(ReportId(i)), ReportId(i));
            let summary = r.summary.as_deref();
            let dates = (r.date, updated_date(site, id));
            PRINTS.hash_one((
                route::report(site, id),
                &r.title,
                dates,
                r.organisation.as_deref(),
                summary,
                bodies.reports[i as usize].content_hash,
            ))
        })
        .collect();
    (feeds.par_iter())
        .map(|f| {
            let newest = f.reports.iter().take(FEED_ENTRIES).map(|id| entry_prints[id.index()]);
            PRINTS.hash_one((base, &site.config.title, &f.page, &f.title, newest.collect::<Vec<u64>>()))
        })
        .collect()
}

/// The hasher of [`feed_prints`], with fixed seeds: prints are compared across rebuilds.
static PRINTS: ahash::RandomState = ahash::RandomState::with_seeds(0x6665_6564, 0x7072_696e, 0x7473_6f66, 0x6174_6f6d);

/// The feeds that show any of `reports` (output path, bytes), made again: after an edit
/// that changed only those reports' bodies, the other feeds stay as they are. Empty
/// without `base_url`.
pub fn feeds_showing(site: &Site, bodies: &Bodies, reports: &BTreeSet<ReportId>) -> Vec<(String, Vec<u8>)> {
    let Some(base) = absolute_base(site) else { return Vec::new() };
    let shows = |list: &[ReportId]| list.iter().take(FEED_ENTRIES).any(|id| reports.contains(id));
    let all = all_reports(site);
    let people: BTreeSet<PersonId> = (reports.iter().flat_map(|id| &site.report(*id).officials))
        .map(|a| a.person)
        .filter(|p| shows(&site.person(*p).reports))
        .collect();
    let cities: BTreeSet<CityId> = (reports.iter().flat_map(|id| &site.report(*id).cities))
        .copied()
        .filter(|c| shows(&site.city(*c).reports))
        .collect();
    let home = shows(&all).then(|| home_feed(site, &all));
    let feeds: Vec<SiteFeed> = (home.into_iter())
        .chain(people.into_iter().map(|id| person_feed(site, id)))
        .chain(cities.into_iter().map(|id| city_feed(site, id)))
        .collect();
    let entries = Entries::of(site, bodies, &base, feeds.iter().map(|f| f.reports), &|| false);
    feeds.iter().map(|f| (f.path(), feed(site, &entries, &base, &f.page, &f.title, f.reports))).collect()
}

/// `base_url` ending in `/`, or `None` when it is not set (no feed can be written).
fn absolute_base(site: &Site) -> Option<String> {
    let base = site.config.base_url.trim();
    match base {
        "" => None,
        _ if base.ends_with('/') => Some(base.to_string()),
        _ => Some(format!("{base}/")),
    }
}

/// Every report of `site`, newest first (the site's order).
fn all_reports(site: &Site) -> Vec<ReportId> {
    (0..site.reports.len() as u32).map(ReportId).collect()
}

/// The site's feed of `all` its reports.
fn home_feed<'s>(site: &Site, all: &'s [ReportId]) -> SiteFeed<'s> {
    SiteFeed { page: route::home(site, 1), title: site.config.title.clone(), reports: all }
}

/// The feed of a person's reports.
fn person_feed(site: &Site, id: PersonId) -> SiteFeed<'_> {
    let person = site.person(id);
    let title = format!("{} · {}", person.name, site.config.title);
    SiteFeed { page: route::person(site, id), title, reports: &person.reports }
}

/// The feed of the reports set in a city.
fn city_feed(site: &Site, id: CityId) -> SiteFeed<'_> {
    let city = site.city(id);
    let title = format!("{} · {}", city.name, site.config.title);
    SiteFeed { page: route::city(site, id), title, reports: &city.reports }
}

/// The `<entry>` of each report some feed shows, made once: a report is in the site's
/// feed and in those of its people and cities, and its escaped body is most of a feed.
struct Entries(Vec<Option<String>>);

impl Entries {
    /// The entries of every report among the newest [`FEED_ENTRIES`] of the feeds' `lists`
    /// of reports; those not made yet when `stop` says so are left out.
    fn of<'l>(
        site: &Site,
        bodies: &Bodies,
        base: &str,
        lists: impl Iterator<Item = &'l [ReportId]>,
        stop: super::Stop,
    ) -> Self {
        let mut shown = vec![false; site.reports.len()];
        for id in lists.flat_map(|reports| reports.iter().take(FEED_ENTRIES)) {
            shown[id.index()] = true;
        }
        let entries = (shown.par_iter().enumerate())
            .map(|(i, &shown)| (shown && !stop()).then(|| entry(site, bodies, base, ReportId(i as u32))))
            .collect();
        Self(entries)
    }

    fn get(&self, id: ReportId) -> &str {
        self.0[id.index()].as_deref().expect("every report a feed shows has its entry")
    }
}

/// Whether `base` (ending in `/`) is the root of its host (`https://example.org/`), not a
/// folder of it (`https://example.org/reports/`).
fn is_host_root(base: &str) -> bool {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    after_scheme.split_once('/').is_none_or(|(_, path)| path.is_empty())
}

/// robots.txt: everything allowed, and where the sitemap of each language is.
fn robots(site: &Site, base: &str) -> Vec<u8> {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    let prefixes: Vec<&str> = match site.edition.languages.is_empty() {
        true => vec![""],
        false => site.edition.languages.iter().map(|l| l.prefix.as_str()).collect(),
    };
    for prefix in prefixes {
        text.push_str(&format!("Sitemap: {base}{prefix}sitemap.xml\n"));
    }
    text.into_bytes()
}

/// Whether the pages of `site` get feeds (and so `<link rel="alternate">`).
pub fn has_feeds(site: &Site) -> bool {
    !site.config.base_url.trim().is_empty()
}

/// `text` as XML 1.0 character data or a double-quoted attribute value, well-formed
/// whatever it holds: markup characters and quotes become references (so `]]>` and `<!--`
/// are plain text), a carriage return a character reference (a parser would read a raw one
/// as a line feed), and the characters XML 1.0 cannot carry at all (C0 controls other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF) U+FFFD, as Go's `xml.EscapeText` does.
pub fn escape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    // Runs of bytes that need nothing are copied whole: bodies are mostly such runs. Every
    // byte to replace is ASCII or starts a character (UTF-8 continuation bytes are
    // 0x80-0xBF), so each run ends on a character boundary and the output stays UTF-8.
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if !XML_SPECIAL[usize::from(bytes[at])] {
            at += 1;
            continue;
        }
        let (replacement, width): (&[u8], usize) = match bytes[at] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'"' => (b"&quot;", 1),
            b'\'' => (b"&apos;", 1),
            b'\r' => (b"&#xD;", 1),
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF), which XML 1.0 cannot carry either.
            0xEF if matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])) => ("\u{FFFD}".as_bytes(), 3),
            0xEF => {
                at += 1;
                continue;
            }
            _ => ("\u{FFFD}".as_bytes(), 1),
        };
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(replacement);
        at += width;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    String::from_utf8(out).expect("characters replaced whole by characters")
}

/// The bytes [`escape`] stops at: markup characters, quotes, C0 controls but tab and line
/// feed, and 0xEF, which starts U+FFFE and U+FFFF.
const XML_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    let mut i = 0;
    let marks = *b"&<>\"'";
    while i < marks.len() {
        table[marks[i] as usize] = true;
        i += 1;
    }
    table[0xEF] = true;
    table
};

fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// An Atom feed of the newest [`FEED_ENTRIES`] of `reports` (newest first already), for
/// the page at site path `page`.
fn feed(site: &Site, entries: &Entries, base: &str, page: &str, title: &str, reports: &[ReportId]) -> Vec<u8> {
    let newest = &reports[..reports.len().min(FEED_ENTRIES)];
    let updated = newest.iter().map(|id| updated_date(site, *id)).max();
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <id>{}</id>\n", escape(&format!("{base}{page}"))));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    if let Some(updated) = updated {
        xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    } else {
        xml.push_str("  <updated>1970-01-01T00:00:00Z</updated>\n");
    }
    xml.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", escape(&format!("{base}{page}feed.xml"))));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{base}{page}"))
    ));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", escape(&site.config.title)));
    xml.push_str(&format!("  <generator>communique {}</generator>\n", env!("CARGO_PKG_VERSION")));
    // Sized at once: grown entry by entry, a feed of 20 whole bodies was copied into new
    // memory about ten times, and those fresh pages were most of `serve`'s page faults.
    let entries_len: usize = newest.iter().map(|id| entries.get(*id).len()).sum();
    let mut bytes = Vec::with_capacity(xml.len() + entries_len + FEED_END.len());
    bytes.extend_from_slice(xml.as_bytes());
    for id in newest {
        bytes.extend_from_slice(entries.get(*id).as_bytes());
    }
    bytes.extend_from_slice(FEED_END);
    bytes
}

/// The end of every feed.
const FEED_END: &[u8] = b"</feed>\n";

/// The `<entry>` of report `id` in every feed that shows it.
fn entry(site: &Site, bodies: &Bodies, base: &str, id: ReportId) -> String {
    use std::fmt::Write;
    let r = site.report(id);
    let url = format!("{base}{}", route::report(site, id));
    let summary = r.summary.as_deref().unwrap_or(&bodies.reports[id.index()].first_paragraph);
    let body = escape(&absolute_links(&bodies.reports[id.index()].html, &url));
    let url = escape(&url);
    // Sized at once: the body is most of an entry, and growing the text around it copied
    // it again and again.
    let mut xml = String::with_capacity(body.len() + summary.len() + r.title.len() + 2 * url.len() + 512);
    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <id>{url}</id>");
    let _ = writeln!(xml, "    <title>{}</title>", escape(&r.title));
    let _ = writeln!(xml, "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>");
    let _ = writeln!(xml, "    <published>{}</published>", timestamp(r.date));
    let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(updated_date(site, id)));
    if let Some(organisation) = r.organisation.as_deref().filter(|o| !o.trim().is_empty()) {
        let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(organisation));
    }
    if !summary.is_empty() {
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(summary));
    }
    let _ = writeln!(xml, "    <content type=\"html\">{body}</content>");
    xml.push_str("  </entry>\n");
    xml
}

/// `html` (a report's body, whose links are relative to its page) with every `href`, `src`
/// and `srcset` address made absolute against `page_url`, as feed readers show the body
/// away from the page.
fn absolute_links(html: &str, page_url: &str) -> String {
    let page = url::Url::parse(page_url).ok();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut attributes = AddressAttributes::in_html(html);
    let mut done = 0;
    while let Some((at, attribute)) = attributes.next_from(done) {
        let value_start = at + attribute.len();
        let Some(value_len) = html[value_start..].find('"') else { break };
        out.push_str(&html[done..value_start]);
        let value = &html[value_start..value_start + value_len];
        if attribute == " srcset=\"" {
            for (i, candidate) in value.split(", ").enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                let (address, width) = candidate.split_once(' ').map_or((candidate, None), |(u, w)| (u, Some(w)));
                out.push_str(&absolute(address, page.as_ref()));
                if let Some(width) = width {
                    out.push(' ');
                    out.push_str(width);
                }
            }
        } else {
            out.push_str(&absolute(value, page.as_ref()));
        }
        done = value_start + value_len;
    }
    out.push_str(&html[done..]);
    out
}

/// The attributes whose values [`absolute_links`] rewrites, as they start in an element.
const ADDRESS_ATTRIBUTES: [&str; 3] = [" href=\"", " src=\"", " srcset=\""];

/// Finds the next address attribute in a body, remembering where each kind occurs next so
/// that the body is searched once for each, not once per link.
struct AddressAttributes<'a> {
    html: &'a str,
    next: [Option<usize>; 3],
}

impl<'a> AddressAttributes<'a> {
    fn in_html(html: &'a str) -> Self {
        Self { html, next: ADDRESS_ATTRIBUTES.map(|a| html.find(a)) }
    }

    /// The first address attribute at or after byte `from`: its offset and which it is.
    fn next_from(&mut self, from: usize) -> Option<(usize, &'static str)> {
        for (next, attribute) in self.next.iter_mut().zip(ADDRESS_ATTRIBUTES) {
            if next.is_some_and(|at| at < from) {
                *next = self.html[from..].find(attribute).map(|at| at + from);
            }
        }
        (self.next.iter().zip(ADDRESS_ATTRIBUTES)).filter_map(|(at, a)| Some(((*at)?, a))).min()
    }
}

/// `address` (as written in a page at `page`) resolved as a browser would; kept as it is
/// when either cannot be read as a URL.
fn absolute(address: &str, page: Option<&url::Url>) -> String {
    match page.map(|page| page.join(address)) {
        Some(Ok(resolved)) => resolved.into(),
        _ => address.to_string(),
    }
}

/// A report's last day: the end of a visit, or its date.
fn updated_date(site: &Site, id: ReportId) -> NaiveDate {
    let r = site.report(id);
    r.end_date.unwrap_or(r.date).max(r.date)
}

/// The sitemap of `site` (output path, bytes); `None` without `base_url`, or once `stop`
/// says to stop.
pub fn sitemap_file(site: &Site, stop: super::Stop) -> Option<(String, Vec<u8>)> {
    let base = absolute_base(site)?;
    Some((route::in_language(site, "sitemap.xml"), sitemap(site, &base, stop)?))
}

/// Every page except 404, with the date of the newest report it shows as `lastmod` and,
/// in a site of several languages, the page in each language (`xhtml:link`, as search
/// engines read alternates from sitemaps); `None` once `stop` says to stop (asked before
/// each page: with alternates in three languages, the sitemap of 10,000 reports takes
/// tens of milliseconds).
fn sitemap(site: &Site, base: &str, stop: super::Stop) -> Option<Vec<u8>> {
    let newest = |reports: &[ReportId]| reports.iter().map(|id| updated_date(site, *id)).max();
    // The lists of all reports (the home page and its continuations) show the newest of all.
    let newest_of_all = (0..site.reports.len() as u32).map(|i| updated_date(site, ReportId(i))).max();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for route in Route::all(site) {
        if stop() {
            return None;
        }
        let lastmod = match route {
            Route::NotFound => continue,
            Route::Report(id) => Some(updated_date(site, id)),
            Route::Person(id, _) => newest(&site.person(id).reports),
            Route::City(id, _) => newest(&site.city(id).reports),
            Route::Country(id, _) => newest(&site.country(id).reports),
            Route::Topic(id, _) => newest(&site.topic(id).reports),
            Route::Page(_) => None,
            _ => newest_of_all,
        };
        xml.push_str(&format!("  <url><loc>{}</loc>", escape(&format!("{base}{}", route.path(site)))));
        if let Some(date) = lastmod {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        for (code, path) in super::pages::alternates(site, route) {
            let href = escape(&format!("{base}{path}"));
            xml.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>", escape(code)));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_become_absolute_against_the_page() {
        let page = "https://example.org/site/reports/visit/";
        let absolute = |address: &str, page: &str| absolute(address, url::Url::parse(page).ok().as_ref());
        assert_eq!(absolute("../../people/norov/", page), "https://example.org/site/people/norov/");
        assert_eq!(absolute("photo-480.webp", page), "https://example.org/site/reports/visit/photo-480.webp");
        assert_eq!(absolute("./a/b.html?x=1#top", page), "https://example.org/site/reports/visit/a/b.html?x=1#top");
        assert_eq!(absolute("#figures", page), "https://example.org/site/reports/visit/#figures");
        assert_eq!(absolute("/favicon.ico", page), "https://example.org/favicon.ico");
        assert_eq!(absolute("../", page), "https://example.org/site/reports/");
        assert_eq!(absolute("https://sco.int/", page), "https://sco.int/");
        assert_eq!(absolute("mailto:press@sco.int", page), "mailto:press@sco.int");
        assert_eq!(absolute("//cdn.example/x.js", page), "https://cdn.example/x.js");
        let html = r#"<p><a href="../../cities/weihai/">Weihai</a> <img src="p-480.webp" srcset="p-480.webp 480w, p-960.webp 960w" alt=""></p>"#;
        assert_eq!(
            absolute_links(html, page),
            r#"<p><a href="https://example.org/site/cities/weihai/">Weihai</a> <img src="https://example.org/site/reports/visit/p-480.webp" srcset="https://example.org/site/reports/visit/p-480.webp 480w, https://example.org/site/reports/visit/p-960.webp 960w" alt=""></p>"#
        );
    }

    /// Three reports, the second dated `r1_date`, with their bodies, in a site with feeds.
    fn three_reports(r1_date: &str) -> (Site, Bodies) {
        let reports = [("2021-03-01", "[Alice Able]", "Tashkent"), (r1_date, "[Bob Baker]", "Weihai")];
        let reports = reports.into_iter().chain([("2021-01-01", "[Alice Able, Carol Cook]", "Tashkent")]);
        let mut sources = crate::load::Sources::default();
        for (i, (date, officials, city)) in reports.enumerate() {
            let text =
                format!("---\ntitle: R{i}\ndate: {date}\ncities: [{city}]\nofficials: {officials}\n---\nText {i}.\n");
            let parsed = crate::load::parse_report(&format!("content/reports/r{i}.md"), &text).expect("a report");
            sources.reports.push(parsed.into());
        }
        let config = crate::config::SiteConfig { base_url: "https://example.org/".into(), ..Default::default() };
        let mut diags = crate::diag::Diagnostics::new();
        let site = crate::model::resolve::resolve(sources, &config, false, &mut diags);
        let bodies = super::super::render_bodies(&site, None, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        (site, bodies)
    }

    /// With what was served before, a new date of one report (which moves it, and so every
    /// report's id) makes again only the feeds that show it; the others are kept, and the
    /// feeds made are those made without a memory.
    #[test]
    fn feeds_whose_prints_are_served_are_not_made_again() {
        let (site, bodies) = three_reports("2021-02-01");
        let first = extras(&site, &bodies, Some(&|_, _| false), &|| false).expect("not stopped");
        assert!(first.spared.kept.is_empty() && first.spared.made.len() == 6, "{:?}", first.spared);
        let prints: std::collections::HashMap<String, u64> = first.spared.made.into_iter().collect();
        let (site, bodies) = three_reports("2020-12-01");
        let served = |path: &str, print: u64| prints.get(path) == Some(&print);
        let again = extras(&site, &bodies, Some(&served), &|| false).expect("not stopped");
        let made: BTreeSet<&str> = again.spared.made.iter().map(|(path, _)| path.as_str()).collect();
        let kept: BTreeSet<&str> = again.spared.kept.iter().map(String::as_str).collect();
        assert_eq!(made, BTreeSet::from(["feed.xml", "people/bob-baker/feed.xml", "cities/weihai/feed.xml"]));
        let others = ["people/alice-able/feed.xml", "people/carol-cook/feed.xml", "cities/tashkent/feed.xml"];
        assert_eq!(kept, BTreeSet::from(others));
        let whole = extras(&site, &bodies, None, &|| false).expect("not stopped").files;
        let made_files = again.files.iter().filter(|(path, _)| path.ends_with("feed.xml"));
        for (path, bytes) in made_files {
            assert!(whole.contains(&(path.clone(), bytes.clone())), "{path} differs from the feed made anew");
        }
        assert_eq!(again.files.len(), whole.len() - kept.len(), "the sitemap or robots.txt was left out");
    }

    #[test]
    fn only_a_host_root_is_a_host_root() {
        assert!(is_host_root("https://example.org/"));
        assert!(is_host_root("http://localhost:8080/"));
        assert!(!is_host_root("https://example.org/reports/"));
        assert!(!is_host_root("https://user.github.io/site/"));
    }

    #[test]
    fn escaped_text_is_xml_whatever_it_holds() {
        assert_eq!(escape("a & b < c > d \"e\" 'f' ]]>"), "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; ]]&gt;");
        assert_eq!(escape("tab\tline\ncr\r"), "tab\tline\ncr&#xD;");
        assert_eq!(escape("\u{0}\u{1}\u{1F}\u{FFFE}\u{FFFF}"), "\u{FFFD}".repeat(5));
        assert_eq!(escape("\u{7F}\u{D7FF}\u{E000}\u{10FFFF}"), "\u{7F}\u{D7FF}\u{E000}\u{10FFFF}");
    }

    /// Whether XML 1.0 allows `c` in a document (its `Char` production; a Rust `char` is
    /// never a surrogate).
    fn is_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
    }

    #[test]
    fn every_character_is_escaped_as_the_xml_char_production_says() {
        // Each character alone and between others, against the rule written out: the byte
        // scan must agree with it on every character, the multi-byte ones near U+FFFE
        // (EF BF BE) and sharing its bytes included.
        for c in ('\0'..='\u{FFFF}').chain(['\u{10000}', '\u{1F600}', '\u{10FFFF}']) {
            let expected = match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&apos;".to_string(),
                '\r' => "&#xD;".to_string(),
                c if !is_xml_char(c) => "\u{FFFD}".to_string(),
                c => c.to_string(),
            };
            assert_eq!(escape(&format!("a{c}\u{FFBF}{c}")), format!("a{expected}\u{FFBF}{expected}"), "{:?}", c);
        }
    }
}
