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

/// Every extra file (output path, bytes), in path order, and the warnings; `None` when
/// `stop` said to stop (see [`extras_each`]).
pub fn extras(site: &Site, bodies: &Bodies, stop: super::Stop) -> Option<FilesAndWarnings> {
    let files = std::sync::Mutex::new(Vec::new());
    let warnings = extras_each(
        site,
        bodies,
        &|path, bytes| files.lock().unwrap_or_else(|e| e.into_inner()).push((path, bytes)),
        stop,
    );
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    if stop() {
        super::drop_aside(files);
        return None;
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some((files, warnings))
}

/// Files made (output path, bytes) and the warnings they raise.
pub type FilesAndWarnings = (Vec<(String, Vec<u8>)>, Vec<Diagnostic>);

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
    let Some(base) = absolute_base(site) else { return warnings(site) };
    let all = all_reports(site);
    let lists = std::iter::once(all.as_slice())
        .chain(site.people.iter().map(|p| p.reports.as_slice()))
        .chain(site.cities.iter().map(|c| c.reports.as_slice()));
    let entries = Entries::of(site, bodies, &base, lists, stop);
    // Entries left out once stopped: no feed may be made of them.
    if stop() {
        super::drop_aside(entries);
        return Vec::new();
    }
    let (path, bytes) = home_feed(site, &entries, &base, &all);
    emit(path, bytes);
    (0..site.people.len() as u32).into_par_iter().filter(|_| !stop()).for_each(|i| {
        let (path, bytes) = person_feed(site, &entries, &base, PersonId(i));
        emit(path, bytes);
    });
    (0..site.cities.len() as u32).into_par_iter().filter(|_| !stop()).for_each(|i| {
        let (path, bytes) = city_feed(site, &entries, &base, CityId(i));
        emit(path, bytes);
    });
    if stop() {
        super::drop_aside(entries);
        return Vec::new();
    }
    drop(entries);
    let Some(sitemap) = sitemap(site, &base, stop) else { return Vec::new() };
    emit(route::in_language(site, "sitemap.xml"), sitemap);
    // One robots.txt for the whole site, at its root: it names every language's sitemap.
    // Crawlers read it only at a host's root, so a site under a sub-path gets none.
    if site.edition.prefix.is_empty() && is_host_root(&base) {
        emit("robots.txt".to_string(), robots(site, &base));
    }
    Vec::new()
}

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
    let home = shows(&all).then_some(all.as_slice());
    let lists = (home.into_iter())
        .chain(people.iter().map(|p| site.person(*p).reports.as_slice()))
        .chain(cities.iter().map(|c| site.city(*c).reports.as_slice()));
    let entries = Entries::of(site, bodies, &base, lists, &|| false);
    let mut files: Vec<(String, Vec<u8>)> = home.map(|all| home_feed(site, &entries, &base, all)).into_iter().collect();
    files.extend(people.into_iter().map(|id| person_feed(site, &entries, &base, id)));
    files.extend(cities.into_iter().map(|id| city_feed(site, &entries, &base, id)));
    files
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

/// The site's feed of `all` its reports: its output path and bytes.
fn home_feed(site: &Site, entries: &Entries, base: &str, all: &[ReportId]) -> (String, Vec<u8>) {
    let path = route::home(site, 1);
    (format!("{path}feed.xml"), feed(site, entries, base, &path, &site.config.title, all))
}

/// The feed of a person's reports: its output path and bytes.
fn person_feed(site: &Site, entries: &Entries, base: &str, id: PersonId) -> (String, Vec<u8>) {
    let (path, person) = (route::person(site, id), site.person(id));
    let title = format!("{} · {}", person.name, site.config.title);
    (format!("{path}feed.xml"), feed(site, entries, base, &path, &title, &person.reports))
}

/// The feed of the reports set in a city: its output path and bytes.
fn city_feed(site: &Site, entries: &Entries, base: &str, id: CityId) -> (String, Vec<u8>) {
    let (path, city) = (route::city(site, id), site.city(id));
    let title = format!("{} · {}", city.name, site.config.title);
    (format!("{path}feed.xml"), feed(site, entries, base, &path, &title, &city.reports))
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
