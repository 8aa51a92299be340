//! Files for machines rather than readers: Atom feeds (RFC 4287) for the site and for each
//! person and city, `sitemap.xml` and `robots.txt`. All of them need absolute URLs, so they
//! are written only when `base_url` is set; otherwise one warning says so.

use chrono::NaiveDate;
use rayon::prelude::*;

use super::pages::Route;
use super::route;
use super::view::Bodies;
use crate::diag::{Diagnostic, msg};
use crate::model::{ReportId, Site};

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

/// Every extra file (output path, bytes), in a fixed order, and the warnings.
pub fn extras(site: &Site, bodies: &Bodies) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let base = site.config.base_url.trim();
    if base.is_empty() {
        return (Vec::new(), warnings(site));
    }
    let base = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    let mut files = Vec::new();
    let all: Vec<ReportId> = (0..site.reports.len() as u32).map(ReportId).collect();
    let home = route::home(site, 1);
    files.push((format!("{home}feed.xml"), feed(site, bodies, &base, &home, &site.config.title, &all)));
    let people = site.people.par_iter().enumerate().map(|(i, person)| {
        let path = route::person(site, crate::model::PersonId(i as u32));
        let title = format!("{} · {}", person.name, site.config.title);
        (format!("{path}feed.xml"), feed(site, bodies, &base, &path, &title, &person.reports))
    });
    files.par_extend(people);
    let cities = site.cities.par_iter().enumerate().map(|(i, city)| {
        let path = route::city(site, crate::model::CityId(i as u32));
        let title = format!("{} · {}", city.name, site.config.title);
        (format!("{path}feed.xml"), feed(site, bodies, &base, &path, &title, &city.reports))
    });
    files.par_extend(cities);
    files.push((route::in_language(site, "sitemap.xml"), sitemap(site, &base)));
    // One robots.txt for the whole site, at its root: it names every language's sitemap.
    // Crawlers read it only at a host's root, so a site under a sub-path gets none.
    if site.edition.prefix.is_empty() && is_host_root(&base) {
        files.push(("robots.txt".to_string(), robots(site, &base)));
    }
    (files, Vec::new())
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
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            c if !is_xml_char(c) => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production; a Rust `char` is
/// never a surrogate).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// An Atom feed of the newest [`FEED_ENTRIES`] of `reports` (newest first already), for
/// the page at site path `page`.
fn feed(site: &Site, bodies: &Bodies, base: &str, page: &str, title: &str, reports: &[ReportId]) -> Vec<u8> {
    let newest: Vec<ReportId> = reports.iter().copied().take(FEED_ENTRIES).collect();
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
    for id in newest {
        let r = site.report(id);
        let url = format!("{base}{}", route::report(site, id));
        let summary = r.summary.as_deref().unwrap_or(&bodies.reports[id.index()].first_paragraph);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&r.title)));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&url)));
        xml.push_str(&format!("    <published>{}</published>\n", timestamp(r.date)));
        xml.push_str(&format!("    <updated>{}</updated>\n", timestamp(updated_date(site, id))));
        if let Some(organisation) = r.organisation.as_deref().filter(|o| !o.trim().is_empty()) {
            xml.push_str(&format!("    <author><name>{}</name></author>\n", escape(organisation)));
        }
        if !summary.is_empty() {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary)));
        }
        let body = absolute_links(&bodies.reports[id.index()].html, &url);
        xml.push_str(&format!("    <content type=\"html\">{}</content>\n", escape(&body)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// `html` (a report's body, whose links are relative to its page) with every `href`, `src`
/// and `srcset` address made absolute against `page_url`, as feed readers show the body
/// away from the page.
fn absolute_links(html: &str, page_url: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some((at, attribute)) = next_address_attribute(rest) {
        let value_start = at + attribute.len();
        let Some(value_len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_start + value_len];
        if attribute == " srcset=\"" {
            let candidates: Vec<String> = (value.split(", "))
                .map(|c| {
                    c.split_once(' ')
                        .map_or_else(|| absolute(c, page_url), |(u, w)| format!("{} {w}", absolute(u, page_url)))
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&absolute(value, page_url));
        }
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// The next ` href="`, ` src="` or ` srcset="` in `html`: its offset and which it is.
fn next_address_attribute(html: &str) -> Option<(usize, &'static str)> {
    [" href=\"", " src=\"", " srcset=\""].into_iter().filter_map(|a| html.find(a).map(|at| (at, a))).min()
}

/// `address` (as written in a page at `page_url`) resolved as a browser would; kept as
/// it is when either cannot be read as a URL.
fn absolute(address: &str, page_url: &str) -> String {
    match url::Url::parse(page_url).and_then(|page| page.join(address)) {
        Ok(resolved) => resolved.to_string(),
        _ => address.to_string(),
    }
}

/// A report's last day: the end of a visit, or its date.
fn updated_date(site: &Site, id: ReportId) -> NaiveDate {
    let r = site.report(id);
    r.end_date.unwrap_or(r.date).max(r.date)
}

/// Every page except 404, with the date of the newest report it shows as `lastmod` and,
/// in a site of several languages, the page in each language (`xhtml:link`, as search
/// engines read alternates from sitemaps).
fn sitemap(site: &Site, base: &str) -> Vec<u8> {
    let newest = |reports: &[ReportId]| reports.iter().map(|id| updated_date(site, *id)).max();
    let all: Vec<ReportId> = (0..site.reports.len() as u32).map(ReportId).collect();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for route in Route::all(site) {
        let lastmod = match route {
            Route::NotFound => continue,
            Route::Report(id) => Some(updated_date(site, id)),
            Route::Person(id) => newest(&site.person(id).reports),
            Route::City(id) => newest(&site.city(id).reports),
            Route::Country(id) => newest(&site.country(id).reports),
            Route::Topic(id) => newest(&site.topic(id).reports),
            Route::Page(_) => None,
            _ => newest(&all),
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
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_become_absolute_against_the_page() {
        let page = "https://example.org/site/reports/visit/";
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
}
