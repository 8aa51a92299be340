//! Every output context escapes what it carries: sites whose titles and names hold markup,
//! quotes and characters XML cannot carry are built, and each output is read the way its
//! consumer reads it. Inline JSON-LD parses back to the exact text and leaves the page
//! whole (both shipped themes with JSON-LD); search results and filter labels show such
//! names as text and run nothing, in headless Chromium with Pagefind's ready-made
//! interface (`minimal`) and the default theme's own script; `data/figures.csv` keeps
//! spreadsheets from running cells; every Atom feed and the sitemap are well-formed XML
//! that reads back to the titles.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;

use crate::static_server::StaticServer;
use crate::support::{Page, TestSite, copy_dir, repo_root, snapshot};
use crate::webdriver::Browser;

/// A string as a YAML double-quoted scalar that reads back as exactly `text`, whatever
/// characters it holds (YAML cannot hold most control characters, U+FFFE or U+FFFF raw).
fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' || ('\u{7F}'..='\u{9F}').contains(&c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `site` using `theme` from the repository's `themes/` (`None`: the built-in default).
fn with_theme(site: TestSite, theme: Option<&str>) -> TestSite {
    if let Some(theme) = theme {
        copy_dir(&repo_root().join("themes").join(theme), &site.path(&format!("themes/{theme}")));
        site.write("site.yaml", &format!("{}theme: {theme}\n", site.read("site.yaml")));
    }
    site
}

/// Text that ends a `<script>` element or makes the HTML parser swallow the rest of the
/// page if it reaches the page unescaped.
const SCRIPT_BREAKERS: &str = "<!-- <script> </script> </script <img src=x> & \"q\" 'a' ]]>";

/// One report by one person in one city, all three named with [`SCRIPT_BREAKERS`].
fn site_named_to_break_scripts() -> TestSite {
    let title = format!("Talks {SCRIPT_BREAKERS}");
    let person = format!("{SCRIPT_BREAKERS} Okafor");
    let city = format!("{SCRIPT_BREAKERS} Town");
    TestSite::new()
        .file("site.yaml", "title: Reports\nbase_url: https://example.org/\n")
        .file("data/people.yaml", &format!("- name: {}\n", yaml(&person)))
        .file("data/cities.yaml", &format!("- name: {}\n", yaml(&city)))
        .file(
            "content/reports/2021-01-05-talks.md",
            &format!(
                "---\ntitle: {}\ndate: 2021-01-05\ncities: [{}]\nofficials:\n  - {{ name: {} }}\n---\n\
                 The report body follows the structured data.\n",
                yaml(&title),
                yaml(&city),
                yaml(&person)
            ),
        )
}

/// The page's one JSON-LD object, parsed.
#[track_caller]
fn json_ld(page: &Page) -> Value {
    let scripts = page.select("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{}: expected one JSON-LD script", page.path);
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: the JSON-LD does not parse ({e}):\n{text}", page.path))
}

/// The page ended where its template ends: `h1` says `heading`, and the footer is there.
#[track_caller]
fn assert_whole(page: &Page, heading: &str) {
    assert_eq!(page.texts("main h1"), [heading], "{}: the heading is not where it belongs", page.path);
    assert_eq!(page.select("body > footer").len(), 1, "{}: the footer is not an element of the body", page.path);
}

#[test]
fn inline_json_ld_reads_back_exactly_and_leaves_the_page_whole_in_both_themes() {
    for theme in [None, Some("minimal")] {
        let site = with_theme(site_named_to_break_scripts(), theme);
        site.build(&[]).success();
        let report = site.page("reports/talks/index.html");
        let title = format!("Talks {SCRIPT_BREAKERS}");
        let data = json_ld(&report);
        assert_eq!(data["headline"], title.as_str(), "{theme:?}");
        assert_eq!(data["mentions"][0]["name"], format!("{SCRIPT_BREAKERS} Okafor").as_str());
        assert_eq!(data["about"][0]["name"], format!("{SCRIPT_BREAKERS} Town").as_str());
        assert_whole(&report, &title);
        let body = report.texts("main p");
        assert!(body.iter().any(|p| p == "The report body follows the structured data."), "{theme:?}: {body:?}");

        for (folder, name) in
            [("people", format!("{SCRIPT_BREAKERS} Okafor")), ("cities", format!("{SCRIPT_BREAKERS} Town"))]
        {
            let pages: Vec<String> = site
                .html_files()
                .into_iter()
                .filter(|p| p.starts_with(&format!("{folder}/")) && p.matches('/').count() == 2)
                .collect();
            assert_eq!(pages.len(), 1, "{theme:?}: {pages:?}");
            let page = site.page(&pages[0]);
            assert_eq!(json_ld(&page)["name"], name.as_str(), "{theme:?} {}", page.path);
            assert_whole(&page, &name);
        }
    }
}

/// Every character XML 1.0 forbids (C0 controls but tab, line feed and carriage return;
/// U+FFFE; U+FFFF), those it allows but parsers change or that need escaping, and markup.
fn xml_breakers() -> String {
    let controls: String = (0u8..0x20).map(char::from).collect();
    format!("{controls} \u{7F} \u{85} \u{FFFE} \u{FFFF} ]]> <![CDATA[ <!-- & &amp; < > \"q\" 'a' \u{1F600}")
}

/// `text` as an XML parser reads it back from communique's output: every character XML
/// cannot carry replaced by U+FFFD.
fn as_xml_reads_it(text: &str) -> String {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    text.chars().map(|c| if allowed(c) { c } else { char::REPLACEMENT_CHARACTER }).collect()
}

/// Parses `output/rel` as XML, panicking with the parser's message when it is not.
fn xml_texts(site: &TestSite, rel: &str, element: &str) -> Vec<String> {
    let text = std::fs::read_to_string(site.output().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
    doc.descendants().filter(|n| n.has_tag_name(element)).map(|n| n.text().unwrap_or("").to_string()).collect()
}

/// The titles (feed, then entries) and summaries of an Atom feed, from the XML.
fn feed_titles_and_summaries(site: &TestSite, rel: &str) -> (Vec<String>, Vec<String>) {
    (xml_texts(site, rel, "title"), xml_texts(site, rel, "summary"))
}

#[test]
fn every_feed_and_the_sitemap_are_well_formed_and_read_back_any_title() {
    let nasty = xml_breakers();
    let (site_title, title, summary) = (format!("Site {nasty}"), format!("Report {nasty}"), format!("Summary {nasty}"));
    let (person, city) = (format!("Person {nasty}"), format!("City {nasty}"));
    let site = TestSite::new()
        .file("site.yaml", &format!("title: {}\nbase_url: https://example.org/r&d/\n", yaml(&site_title)))
        .file("data/people.yaml", &format!("- name: {}\n", yaml(&person)))
        .file("data/cities.yaml", &format!("- name: {}\n", yaml(&city)))
        .file(
            "content/reports/2021-01-05-a.md",
            &format!(
                "---\ntitle: {}\ndate: 2021-01-05\nsummary: {}\ncities: [{}]\nofficials:\n  - {{ name: {} }}\n---\nBody.\n",
                yaml(&title),
                yaml(&summary),
                yaml(&city),
                yaml(&person)
            ),
        )
        .file(
            "content/reports/2021-02-05-b.md",
            &format!("---\ntitle: Second\ndate: 2021-02-05\ncities: [{}]\n---\nA first paragraph with {nasty}\n", yaml(&city)),
        );
    site.build(&[]).success();

    // Names are the registry's with whitespace runs made one space: what the site holds.
    let data = |file: &str, index: usize, key: &str| -> String {
        let json: Value = serde_json::from_str(&site.read(&format!("output/data/{file}"))).expect("a JSON export");
        json[index][key].as_str().expect("a string").to_string()
    };
    let (person_held, city_held) = (data("people.json", 0, "name"), data("cities.json", 0, "name"));
    let report_a = (data("reports.json", 1, "title"), data("reports.json", 1, "summary"));
    assert_eq!(report_a, (title.clone(), summary.clone()), "reports.json, newest first, does not hold report a second");
    let feeds: Vec<String> = snapshot(&site.output()).into_keys().filter(|p| p.ends_with("feed.xml")).collect();
    assert_eq!(feeds.len(), 3, "expected the site's, the person's and the city's feed: {feeds:?}");
    let read = |text: &str| as_xml_reads_it(text);
    for feed in &feeds {
        let (titles, summaries) = feed_titles_and_summaries(&site, feed);
        let own = match feed.split('/').next() {
            Some("people") => format!("{} · {}", read(&person_held), read(&site_title)),
            Some("cities") => format!("{} · {}", read(&city_held), read(&site_title)),
            _ => read(&site_title),
        };
        assert_eq!(titles[0], own, "{feed}: the feed's title");
        assert!(titles[1..].contains(&read(&title)), "{feed}: {titles:?}");
        assert!(summaries.contains(&read(&summary)), "{feed}: {summaries:?}");
        assert_eq!(xml_texts(&site, feed, "name"), [read(&site_title)], "{feed}: the author");
    }
    let (_, city_summaries) =
        feed_titles_and_summaries(&site, feeds.iter().find(|f| f.starts_with("cities/")).unwrap());
    assert_eq!(city_summaries.len(), 2, "the report without a summary has its first paragraph");

    let locations = xml_texts(&site, "sitemap.xml", "loc");
    assert!(locations.contains(&"https://example.org/r&d/reports/a/".to_string()), "{locations:?}");
    assert!(locations.iter().all(|l| l.starts_with("https://example.org/r&d/")), "{locations:?}");
}

/// The records of an RFC 4180 CSV text (CRLF line ends), strictly: a quote inside an
/// unquoted field, text after a closing quote or an unclosed quote is a panic.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let mut record = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next().expect("an unclosed quoted field") {
                        '"' if chars.peek() == Some(&'"') => field.push(chars.next().unwrap()),
                        '"' => break,
                        c => field.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek().filter(|c| !matches!(c, ',' | '\r')) {
                    assert_ne!(c, '"', "a quote inside an unquoted field");
                    field.push(c);
                    chars.next();
                }
            }
            record.push(field);
            match chars.next() {
                Some(',') => continue,
                Some('\r') => assert_eq!(chars.next(), Some('\n'), "a record ends with CRLF"),
                other => panic!("after a field: {other:?}"),
            }
            break;
        }
        records.push(record);
    }
    records
}

#[test]
fn figures_csv_cells_that_spreadsheets_would_run_are_neutralised_and_numbers_stay_numbers() {
    let hostile = ["=HYPERLINK(\"http://x.test/\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn"];
    let city = "=cmd|' /C calc'!A0";
    let mut figures: String = hostile
        .iter()
        .map(|label| format!("  - {{ label: {}, value: 7, unit: {} }}\n", yaml(label), yaml(label)))
        .collect();
    figures.push_str("  - { label: Balance, value: -5 }\n  - { label: Loss, value: -1.5e3 }\n");
    figures.push_str("  - { label: \"Plain, \\\"quoted\\\" text\", value: 2.5, year: 2020 }\n");
    let site = TestSite::new()
        .file("site.yaml", "title: Reports\n")
        .file("data/cities.yaml", &format!("- name: {}\n", yaml(city)))
        .file(
            "content/reports/2021-01-05-a.md",
            &format!("---\ntitle: A\ndate: 2021-01-05\ncities: [{}]\nfigures:\n{figures}---\nBody.\n", yaml(city)),
        );
    site.build(&[]).success();

    let rows = read_csv(&site.read("output/data/figures.csv"));
    assert_eq!(rows[0], ["report", "date", "city", "label", "value", "unit", "qualifier", "year"]);
    let rows = &rows[1..];
    let by_label =
        |label: &str| rows.iter().find(|r| r[3] == label).unwrap_or_else(|| panic!("no row {label:?}: {rows:?}"));
    for label in hostile {
        let row = by_label(&format!("'{label}"));
        assert_eq!(
            (row[2].as_str(), row[4].as_str(), row[5].as_str()),
            (format!("'{city}").as_str(), "7", format!("'{label}").as_str())
        );
    }
    assert_eq!(by_label("Balance")[4], "-5", "a negative value is no longer a plain number");
    assert_eq!(by_label("Loss")[4], "-1500");
    assert_eq!(by_label("Plain, \"quoted\" text")[4..], ["2.5", "", "", "2020"]);
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            let numeric = matches!(column, 4 | 7) && (cell.is_empty() || cell.parse::<f64>().is_ok());
            assert!(numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "column {column} runs: {cell:?}");
        }
    }
}

const WAIT: Duration = Duration::from_secs(20);

/// Markup that runs script wherever it is inserted as HTML: each sets `window.__pwned`.
const TITLE: &str = "Zanzibarian talks <img src=x onerror=\"window.__pwned='title'\">";
const PERSON: &str = "<img src=x onerror=\"window.__pwned='person'\"> & Okafor";
const CITY: &str = "<img src=x onerror=\"window.__pwned='city'\"> Town";
const COUNTRY: &str = "<img src=x onerror=\"window.__pwned='country'\"> Land";

/// A site whose one report, person, city and country are named with [`TITLE`],
/// [`PERSON`], [`CITY`] and [`COUNTRY`], built and served.
fn served_hostile_site(theme: Option<&str>) -> (Browser, StaticServer, TestSite) {
    let browser = Browser::start();
    let site = TestSite::new()
        .file("site.yaml", "title: Reports\n")
        .file("data/people.yaml", &format!("- name: {}\n", yaml(PERSON)))
        .file("data/cities.yaml", &format!("- name: {}\n  country: {}\n", yaml(CITY), yaml(COUNTRY)))
        .file(
            "content/reports/2021-01-05-talks.md",
            &format!(
                "---\ntitle: {}\ndate: 2021-01-05\ncities: [{}]\nofficials:\n  - {{ name: {} }}\n---\nBody of the report.\n",
                yaml(TITLE),
                yaml(CITY),
                yaml(PERSON)
            ),
        );
    let site = with_theme(site, theme);
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    (browser, server, site)
}

/// Asserts that no markup from the index became an element and no handler ran (given
/// time for the images' failed loads to fire `onerror`).
#[track_caller]
fn assert_nothing_ran(browser: &Browser) {
    let ran = browser.wait_until("return window.__pwned !== undefined;", Duration::from_secs(2));
    assert!(!ran, "a name from the index ran as script: {}", browser.eval("return String(window.__pwned);"));
    assert_eq!(browser.eval("return document.querySelectorAll('img[src=\"x\"]').length;"), 0);
}

/// The texts of the elements matching `css` on the browser's page.
fn texts(browser: &Browser, css: &str) -> Vec<String> {
    let script = format!("return Array.from(document.querySelectorAll({})).map(e => e.textContent);", Value::from(css));
    serde_json::from_value(browser.eval(&script)).expect("a list of texts")
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn pagefind_ui_of_the_minimal_theme_shows_names_from_the_index_as_text_and_runs_nothing() {
    let (browser, server, _site) = served_hostile_site(Some("minimal"));
    browser.goto(&server.url("search/"));
    assert!(browser.wait_until("return !!document.querySelector('.pagefind-ui__search-input');", WAIT));
    browser.eval(
        "var i = document.querySelector('.pagefind-ui__search-input'); i.value = 'zanzibarian'; \
         i.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    assert!(browser.wait_until("return !!document.querySelector('.pagefind-ui__result-title a');", WAIT), "no result");
    assert_eq!(texts(&browser, ".pagefind-ui__result-title"), [TITLE]);
    let excerpt = texts(&browser, ".pagefind-ui__result-excerpt").concat();
    assert!(excerpt.contains(TITLE) && excerpt.contains(PERSON), "the excerpt is not the text: {excerpt:?}");

    // Each label is the value and a count (of all pages, or of the results: Pagefind's
    // interface may show either, depending on whether the filters or the results load first).
    let expected = [PERSON, CITY, COUNTRY];
    let shown = format!(
        "var labels = Array.from(document.querySelectorAll('.pagefind-ui__filter-label')) \
           .map(l => l.textContent.replace(/ \\(\\d+\\)$/, '')); \
         return {}.every(name => labels.includes(name));",
        Value::from(expected.to_vec())
    );
    let labels_shown = browser.wait_until(&shown, WAIT);
    assert_nothing_ran(&browser);
    let labels: BTreeSet<String> = texts(&browser, ".pagefind-ui__filter-label").into_iter().collect();
    assert!(labels_shown, "the filter labels are not the names {expected:?}: {labels:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_default_themes_search_shows_names_from_the_index_as_text_filters_by_them_and_runs_nothing() {
    let (browser, server, _site) = served_hostile_site(None);
    browser.goto(&server.url("search/?q=zanzibarian"));
    assert!(browser.wait_until("return !!document.querySelector('#search-results .result-title');", WAIT));
    assert_eq!(texts(&browser, "#search-results .result-title"), [TITLE]);
    let excerpt = texts(&browser, "#search-results .result-excerpt").concat();
    assert!(excerpt.contains(TITLE) && excerpt.contains(PERSON), "the excerpt is not the text: {excerpt:?}");
    for (filter, name) in [("person", PERSON), ("city", CITY), ("country", COUNTRY)] {
        let options = texts(&browser, &format!("#search-filter-{filter} option"));
        assert_eq!(options, ["Any".to_string(), format!("{name} (2)")], "the {filter} filter");
    }

    // Choosing the person narrows to the report, and the address names them as written.
    browser.eval(
        "var s = document.getElementById('search-filter-person'); s.selectedIndex = 1; \
         document.getElementById('search-status').textContent = ''; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    let settled =
        "var s = document.getElementById('search-status').textContent; return s !== '' && !/Searching/.test(s);";
    assert!(browser.wait_until(settled, WAIT));
    assert_eq!(texts(&browser, "#search-results .result-title"), [TITLE]);
    let person = browser.eval("return new URLSearchParams(location.search).get('person');");
    assert_eq!(person, PERSON, "the address does not hold the name as written");
    assert_nothing_ran(&browser);
}

/// Markdown links and images whose address runs code, however written.
const SCRIPT_LINKS: &str = "[a](javascript:alert(1))\n\n<javascript:alert(2)>\n\n[b](&#106;avascript:alert(3))\n\n\
[c](<JAVA\tSCRIPT:alert(4)>)\n\n![d](data:text/html,x)\n\n[e](vbscript:x)\n\n[safe](https://example.org/)\n";

#[test]
fn markdown_links_that_run_code_are_errors_unless_raw_html_is_allowed() {
    let site =
        TestSite::new().file("content/reports/a.md", &format!("---\ntitle: A\ndate: 2020-01-01\n---\n{SCRIPT_LINKS}"));
    let run = site.build(&[]).exit(1);
    let refused: Vec<&str> = run.stderr.lines().filter(|l| l.contains("could run code in readers' browsers")).collect();
    let at: Vec<&str> = refused.iter().map(|l| l.split(": error").next().unwrap()).collect();
    assert_eq!(
        at,
        [
            "content/reports/a.md:5:1",
            "content/reports/a.md:7:1",
            "content/reports/a.md:9:1",
            "content/reports/a.md:11:1",
            "content/reports/a.md:13:1",
            "content/reports/a.md:15:1"
        ],
        "{}",
        run.stderr
    );
    // The site owner's choice: with raw HTML allowed, links are written as given.
    site.write("site.yaml", "markdown: { unsafe_html: true }\n");
    site.build(&[]).success();
    let hrefs = site.page("reports/a/index.html").attrs("a", "href");
    assert!(hrefs.iter().any(|h| h == "javascript:alert(1)"), "{hrefs:?}");
}
