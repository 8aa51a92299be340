//! Search: the Pagefind index under `pagefind/`, the `/search/` page and the header box,
//! `search: false`, and — in headless Chromium against a static server — typing an
//! official's name lists their reports, a city filter narrows them, names written in
//! Cyrillic and Chinese are found, a filter alone lists every page its count counts (and
//! "Show more results" the rest of a long list), and a page opened from `file://` says
//! that search needs a web server.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::static_server::StaticServer;
use crate::support::{TestSite, snapshot};
use crate::webdriver::Browser;

const WAIT: Duration = Duration::from_secs(20);

/// The example site plus two more reports with Vladimir Norov, one in each city, so a
/// search for him finds reports in both and a city filter has something to narrow.
fn site_with_norov_in_two_cities() -> TestSite {
    TestSite::example()
        .file(
            "content/reports/2021-03-10-norov-in-qingdao.md",
            "---\ntitle: Norov opens a trade fair in Qingdao\ndate: 2021-03-10\ncities: [Qingdao]\n\
             officials:\n  - { name: Vladimir Norov, role: SCO Secretary-General }\n---\n\
             The Secretary-General opened the fair of regional producers.\n",
        )
        .file(
            "content/reports/2021-05-12-norov-at-weihai-port.md",
            "---\ntitle: Norov tours the port of Weihai\ndate: 2021-05-12\ncities: [Weihai]\n\
             officials:\n  - { name: Vladimir Norov, role: SCO Secretary-General }\n---\n\
             The delegation saw the container terminal and the ferry lines to Korea.\n",
        )
}

#[test]
fn a_build_writes_the_index_the_search_page_and_a_header_box() {
    let site = TestSite::example();
    site.build(&[]).success();
    for file in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "search/index.html"] {
        assert!(site.has(file), "no {file}");
    }
    let files = snapshot(&site.output());
    assert!(files.keys().any(|k| k.starts_with("pagefind/fragment/")), "no fragments in the index");
    assert!(files.keys().any(|k| k.starts_with("pagefind/filter/")), "no filters in the index");

    let search = site.page("search/index.html");
    assert_eq!(search.text("h1"), "Search");
    assert_eq!(search.attrs("#search-app", "data-bundle"), ["../pagefind/"]);
    assert_eq!(search.attrs("#search-app", "data-root"), ["../"]);
    assert_eq!(search.select("label[for=search-q]").len(), 1, "the search box has no label");
    assert_eq!(search.select("input#search-q[type=search]").len(), 1);
    for filter in ["type", "city", "person", "country", "year"] {
        assert_eq!(
            search.select(&format!("label[for=search-filter-{filter}]")).len(),
            1,
            "no labelled {filter} filter"
        );
        assert_eq!(search.select(&format!("select#search-filter-{filter}")).len(), 1, "no {filter} filter");
    }

    let report = site.page("reports/weihai-city-committee/index.html");
    assert_eq!(report.attrs("header form[role=search]", "action"), ["../../search/"]);
    assert_eq!(report.select("header form[role=search] input[name=q]").len(), 1, "the header box has no q field");
    // The box is the header's one search entry: no Search link in the navigation too.
    let nav = report.texts("nav.site-nav a");
    assert!(!nav.iter().any(|t| t == "Search"), "search twice in the header: {nav:?}");
}

#[test]
fn the_index_is_the_same_for_the_same_site() {
    let site = TestSite::example();
    site.build(&[]).success();
    let first: Vec<(String, Vec<u8>)> =
        snapshot(&site.output()).into_iter().filter(|(k, _)| k.starts_with("pagefind/")).collect();
    site.build(&[]).success();
    let second: Vec<(String, Vec<u8>)> =
        snapshot(&site.output()).into_iter().filter(|(k, _)| k.starts_with("pagefind/")).collect();
    assert!(!first.is_empty());
    assert!(first == second, "two builds of one site gave different search indexes");
}

/// Every index file is gzip holding `pagefind_dcd` and its data, as Pagefind's browser
/// code expects; each report's fragment names the report and holds its words. communique
/// writes the index itself (render/search_index.rs), with its own gzip writer.
#[cfg(feature = "search")]
#[test]
fn the_index_files_are_gzip_that_pagefind_reads_with_one_fragment_per_page() {
    let site = site_with_norov_in_two_cities();
    site.build(&[]).success();
    let mut fragments = Vec::new();
    for (name, bytes) in snapshot(&site.output()) {
        if !name.starts_with("pagefind/") || !name.contains(".pf_") {
            continue;
        }
        // The gzip trailer ends with the content's size (RFC 1952).
        let size = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().expect("four bytes")) as usize;
        let mut data = vec![0; size];
        let written = libdeflater::Decompressor::new()
            .gzip_decompress(&bytes, &mut data)
            .unwrap_or_else(|e| panic!("{name} is not gzip: {e}"));
        assert_eq!(written, size, "{name}: the gzip trailer's size is wrong");
        assert!(data.starts_with(b"pagefind_dcd"), "{name} does not start with pagefind_dcd");
        if name.ends_with(".pf_fragment") {
            let fragment: serde_json::Value = serde_json::from_slice(&data[b"pagefind_dcd".len()..])
                .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            fragments.push(fragment);
        }
    }
    let fairs: Vec<&serde_json::Value> =
        fragments.iter().filter(|f| f["meta"]["title"] == "Norov opens a trade fair in Qingdao").collect();
    assert_eq!(fairs.len(), 1, "one fragment for the Qingdao report, among {}", fragments.len());
    let url = fairs[0]["url"].as_str().expect("url");
    assert!(site.has(&format!("{url}index.html")), "the fragment links to {url}, which is not a page");
    let content = fairs[0]["content"].as_str().expect("content");
    assert!(content.contains("opened the fair of regional producers"), "fragment content: {content}");
    assert_eq!(fairs[0]["filters"]["city"], serde_json::json!(["Qingdao"]));
}

#[test]
fn search_false_leaves_out_the_index_the_page_and_the_box() {
    let site = TestSite::example();
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}search: false\n"));
    site.build(&[]).success();
    assert!(!site.output().join("pagefind").exists(), "an index was written");
    assert!(!site.has("search/index.html"), "a search page was written");
    let home = site.page("index.html");
    assert!(home.select("form[role=search]").is_empty(), "the header still has a search box");
    assert!(site.check().code == 0, "check fails without search:\n{}", site.check().stderr);
}

#[test]
fn a_theme_without_search_html_is_refused_while_search_is_on() {
    let site = TestSite::example();
    std::fs::create_dir_all(site.path("themes/plain/templates")).unwrap();
    for name in communique::render::theme::REQUIRED_TEMPLATES {
        site.write(&format!("themes/plain/templates/{name}"), "{{ site.title }}");
    }
    let config = site.read("site.yaml");
    site.write("site.yaml", &format!("{config}theme: plain\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("themes/plain/templates: error: the theme has no search.html template"),
        "{}",
        run.stderr
    );
    site.write("site.yaml", &format!("{config}theme: plain\nsearch: false\n"));
    site.build(&[]).success();
}

/// JavaScript: the titles of the results listed now, or null while the page is busy.
const RESULT_TITLES: &str = "var s = document.getElementById('search-status').textContent; \
    if (/Loading|Searching/.test(s)) { return null; } \
    return Array.from(document.querySelectorAll('#search-results .result-title')).map(a => a.textContent);";

fn results(browser: &Browser) -> Option<BTreeSet<String>> {
    let mut last = None;
    let ready = browser.wait_until(
        "return !/Loading|Searching/.test(document.getElementById('search-status').textContent) && \
         document.getElementById('search-status').textContent !== '';",
        WAIT,
    );
    if ready {
        let value = browser.eval(RESULT_TITLES);
        last = serde_json::from_value::<Option<Vec<String>>>(value).ok().flatten().map(|v| v.into_iter().collect());
    }
    last
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn typing_an_officials_name_lists_their_reports_and_a_city_filter_narrows_them() {
    let browser = Browser::start();
    let site = site_with_norov_in_two_cities();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("search/"));
    assert!(browser.wait_until("return !!document.querySelector('#search-filter-city option[value=Weihai]');", WAIT));

    browser.eval(
        "var i = document.getElementById('search-q'); i.value = 'Norov'; \
         i.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    let norov_reports = set(&[
        "Norov opens a trade fair in Qingdao",
        "Norov tours the port of Weihai",
        "SCO Secretary-General meets the Secretary of the Weihai City Committee",
    ]);
    let found = wait_for_results(&browser, |titles| norov_reports.is_subset(titles));
    assert!(found.contains("Vladimir Norov"), "his own page is not listed: {found:?}");

    browser.eval(
        "var s = document.getElementById('search-filter-city'); s.value = 'Weihai'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    let in_weihai = set(&[
        "Norov tours the port of Weihai",
        "SCO Secretary-General meets the Secretary of the Weihai City Committee",
    ]);
    let narrowed = wait_for_results(&browser, |titles| *titles == in_weihai);
    assert_eq!(narrowed, in_weihai);
    let url = browser.eval("return location.search;");
    assert_eq!(url.as_str(), Some("?q=Norov&city=Weihai"), "the query is not kept in the address");

    // The address alone restores the same search.
    browser.goto(&server.url("search/?q=Norov&city=Weihai"));
    assert_eq!(wait_for_results(&browser, |titles| *titles == in_weihai), in_weihai);
}

/// Waits until the listed result titles satisfy `done`; returns the last titles seen.
fn wait_for_results(browser: &Browser, done: impl Fn(&BTreeSet<String>) -> bool) -> BTreeSet<String> {
    let deadline = std::time::Instant::now() + WAIT;
    let mut last = BTreeSet::new();
    while std::time::Instant::now() < deadline {
        if let Some(titles) = results(browser) {
            if done(&titles) {
                return titles;
            }
            last = titles;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the results never became what was expected; last seen: {last:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn names_in_cyrillic_and_chinese_are_found() {
    let browser = Browser::start();
    let site = TestSite::example();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("search/?q=%D0%9D%D0%BE%D1%80%D0%BE%D0%B2")); // Норов
    let found = wait_for_results(&browser, |titles| titles.contains("Vladimir Norov"));
    assert!(found.contains("Vladimir Norov"));
    browser.goto(&server.url("search/?q=%E5%A8%81%E6%B5%B7")); // 威海
    let found = wait_for_results(&browser, |titles| titles.contains("Weihai"));
    assert!(found.contains("Weihai"), "{found:?}");
    browser.goto(&server.url("search/?q=%E7%8E%8B%E9%B2%81%E6%98%8E")); // 王鲁明
    let found = wait_for_results(&browser, |titles| titles.contains("Wang Luming"));
    assert!(found.contains("Wang Luming"), "{found:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn search_results_link_to_their_pages_under_a_sub_path() {
    let browser = Browser::start();
    let site = TestSite::example();
    site.build(&[]).success();
    let published = crate::support::tempdir();
    crate::support::copy_dir(&site.output(), &published.path().join("archive"));
    let server = StaticServer::start(published.path(), None);
    browser.goto(&server.url("archive/search/?q=Jonon"));
    wait_for_results(&browser, |titles| titles.contains("SCO Secretariat delegation visits Qingdao"));
    let hrefs = browser.eval(
        "return Array.from(document.querySelectorAll('#search-results .result-title')).map(a => a.getAttribute('href'));",
    );
    let hrefs: Vec<String> = serde_json::from_value(hrefs).unwrap();
    assert!(hrefs.contains(&"/archive/reports/qingdao-delegation/".to_string()), "{hrefs:?}");
    browser.eval("document.querySelector('#search-results a[href$=\"qingdao-delegation/\"]').click(); return true;");
    assert!(browser.wait_until(
        "return document.querySelector('h1') && document.querySelector('h1').textContent.includes('Qingdao');",
        WAIT
    ));
}

/// The output files of a library build of `site` and its search page, parsed.
fn shards_built(site: &TestSite, reports_per_shard: Option<usize>) -> (Vec<String>, crate::support::Page) {
    let options = communique::BuildOptions {
        reports_per_shard: reports_per_shard.and_then(std::num::NonZeroUsize::new),
        ..Default::default()
    };
    let built = crate::library::build(site.root(), options).clean();
    let search = scraper::Html::parse_document(&crate::library::output_text(&built, "search/index.html"));
    let files = built.output.files.keys().cloned().collect();
    (files, crate::support::Page { path: "search/index.html".into(), html: search })
}

#[test]
fn the_build_options_set_how_many_reports_a_shard_holds() {
    let site = site_with_norov_in_two_cities();
    let entries = |files: &[String]| -> Vec<String> {
        files.iter().filter(|f| f.ends_with("pagefind-entry.json")).cloned().collect()
    };
    // Each language has its index; the Russian and Chinese ones hold the two translated reports.
    let (files, search) = shards_built(&site, None);
    assert_eq!(
        entries(&files),
        ["pagefind/pagefind-entry.json", "ru/pagefind/pagefind-entry.json", "zh/pagefind/pagefind-entry.json"]
    );
    assert_eq!(search.attrs("#search-app", "data-shards"), [""]);
    // Four English reports, two per shard: the main index and pagefind/shard-2/; two
    // reports in each other language, one shard.
    let (files, search) = shards_built(&site, Some(2));
    assert_eq!(
        entries(&files),
        [
            "pagefind/pagefind-entry.json",
            "pagefind/shard-2/pagefind-entry.json",
            "ru/pagefind/pagefind-entry.json",
            "zh/pagefind/pagefind-entry.json"
        ]
    );
    assert_eq!(search.attrs("#search-app", "data-shards"), ["../pagefind/shard-2/"]);
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn a_sharded_index_is_searched_as_one() {
    let browser = Browser::start();
    let site = site_with_norov_in_two_cities();
    let root = site.root().to_str().unwrap();
    // Four reports, two per shard: the main index and pagefind/shard-2/.
    crate::support::run_with_env(&["build", "--root", root], &[("COMMUNIQUE_REPORTS_PER_SHARD", "2")]).success();
    assert!(site.has("pagefind/shard-2/pagefind-entry.json"), "no second shard");
    assert!(!site.has("pagefind/shard-3/pagefind-entry.json"), "a third shard for four reports");
    assert_eq!(site.page("search/index.html").attrs("#search-app", "data-shards"), ["../pagefind/shard-2/"]);
    let server = StaticServer::start(&site.output(), None);

    // Norov's reports are in both shards, his own page in the last.
    browser.goto(&server.url("search/?q=Norov"));
    let found = wait_for_results(&browser, |titles| titles.len() >= 4);
    assert_eq!(
        found,
        set(&[
            "Norov opens a trade fair in Qingdao",
            "Norov tours the port of Weihai",
            "SCO Secretary-General meets the Secretary of the Weihai City Committee",
            "Vladimir Norov",
        ])
    );
    // A filter alone lists newest first, across the shards.
    browser.goto(&server.url("search/?type=Report"));
    wait_for_results(&browser, |titles| titles.len() == 4);
    let order = browser
        .eval("return Array.from(document.querySelectorAll('#search-results .result-title')).map(a => a.textContent);");
    let order: Vec<String> = serde_json::from_value(order).unwrap();
    assert_eq!(
        order,
        [
            "Norov tours the port of Weihai",
            "Norov opens a trade fair in Qingdao",
            "SCO Secretariat delegation visits Qingdao",
            "SCO Secretary-General meets the Secretary of the Weihai City Committee",
        ]
    );
    // Filter counts add up over the shards.
    let weihai = browser.eval("return document.querySelector('#search-filter-city option[value=Weihai]').textContent;");
    assert_eq!(weihai.as_str(), Some("Weihai (3)"));
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn opened_from_a_file_the_search_page_says_it_needs_a_web_server() {
    let browser = Browser::start();
    let site = TestSite::example();
    site.build(&["--offline"]).success();
    browser.goto(&format!("file://{}", site.output().join("search/index.html").display()));
    assert!(
        browser.wait_until(
            "return document.getElementById('search-status').textContent.includes('served over HTTP');",
            WAIT
        )
    );
    let disabled = browser.eval("return document.getElementById('search-q').disabled;");
    assert_eq!(disabled.as_bool(), Some(true), "the search box still looks usable");
}

/// What the search page lists now: its status line and each result's title and kind.
#[derive(Debug, serde::Deserialize)]
struct Listing {
    status: String,
    titles: Vec<String>,
    /// The result's meta line: `Report · 12 May 2021`, `Person`, `City`.
    metas: Vec<String>,
}

const LISTING: &str = "return { status: document.getElementById('search-status').textContent, \
    titles: Array.from(document.querySelectorAll('#search-results .result-title')).map(a => a.textContent), \
    metas: Array.from(document.querySelectorAll('#search-results li')).map(li => \
      (li.querySelector('.result-meta') || { textContent: '' }).textContent) };";

/// The listing once the page is no longer loading or searching.
fn listing(browser: &Browser) -> Listing {
    let settled = "var s = document.getElementById('search-status').textContent; \
        return s !== '' && !/Loading|Searching/.test(s);";
    assert!(browser.wait_until(settled, WAIT), "the search never settled");
    serde_json::from_value(browser.eval(LISTING)).expect("the search page's state")
}

/// Every choice of every filter: its filter, its value as the index holds it, and the
/// count shown beside it (`Weihai (3)`).
fn filter_choices(browser: &Browser) -> Vec<(String, String, usize)> {
    let choices = browser.eval(
        "return Array.from(document.querySelectorAll('select[data-filter] option:not([value=\"\"])')).map(o => \
         [o.parentNode.getAttribute('data-filter'), o.value, Number(/\\((\\d+)\\)$/.exec(o.textContent)[1])]);",
    );
    serde_json::from_value(choices).expect("filter choices")
}

/// Chooses `value` of `filter` alone (every other filter back to Any, no words), as a
/// visitor does with the drop-down list.
fn choose_alone(browser: &Browser, filter: &str, value: &str) {
    let script = format!(
        "document.getElementById('search-q').value = ''; \
         document.querySelectorAll('select[data-filter]').forEach(s => s.value = ''); \
         var s = document.getElementById('search-filter-' + {}); s.value = {}; \
         s.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;",
        serde_json::to_string(filter).unwrap(),
        serde_json::to_string(value).unwrap()
    );
    browser.eval(&script);
}

/// A filter-only listing holds exactly what the filter counts, once each: reports newest
/// first, then the other pages; its status line gives the same count.
fn assert_lists_what_it_counts(listed: &Listing, what: &str, count: usize) {
    assert_eq!(listed.titles.len(), count, "{what} counts {count} pages, the page lists: {listed:?}");
    let unique: BTreeSet<&String> = listed.titles.iter().collect();
    assert_eq!(unique.len(), count, "{what} lists a page twice: {listed:?}");
    let expected = if count == 1 { "1 result.".to_string() } else { format!("{count} results.") };
    assert_eq!(listed.status, expected, "{what}");
    let reports = listed.metas.iter().take_while(|m| m.starts_with("Report")).count();
    assert!(listed.metas[reports..].iter().all(|m| !m.starts_with("Report")), "{what}: reports not first: {listed:?}");
}

/// Issue #22 item 4: choosing only a filter listed reports alone (sorted by date, which
/// person and city pages lack), fewer than the count beside the filter (`?city=Weihai`
/// showed 1 result under "Weihai (2)"). Every filter choice, chosen in the list and from
/// the address, in a site with one index and in one split into shards.
#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn a_filter_alone_lists_every_page_it_counts() {
    let browser = Browser::start();
    let site = site_with_norov_in_two_cities();
    site.build(&[]).success();
    let sharded = crate::support::tempdir();
    let root = site.root().to_str().unwrap();
    let out = sharded.path().join("out");
    let args = ["build", "--root", root, "--output", out.to_str().unwrap()];
    crate::support::run_with_env(&args, &[("COMMUNIQUE_REPORTS_PER_SHARD", "2")]).success();
    assert!(out.join("pagefind/shard-2/pagefind-entry.json").is_file(), "no second shard");

    for output in [site.output(), out] {
        let server = StaticServer::start(&output, None);
        browser.goto(&server.url("search/?city=Weihai"));
        let weihai = listing(&browser);
        assert_eq!(
            weihai.titles,
            [
                "Norov tours the port of Weihai",
                "SCO Secretary-General meets the Secretary of the Weihai City Committee",
                "Weihai"
            ],
            "{weihai:?}"
        );
        let choices = filter_choices(&browser);
        let count = |filter: &str, value: &str| choices.iter().find(|c| c.0 == filter && c.1 == value).unwrap().2;
        assert_lists_what_it_counts(&weihai, "?city=Weihai", count("city", "Weihai"));
        browser.goto(&server.url("search/?person=Vladimir+Norov"));
        let norov = listing(&browser);
        assert_lists_what_it_counts(&norov, "?person=Vladimir Norov", count("person", "Vladimir Norov"));
        assert_eq!(norov.titles.last().map(String::as_str), Some("Vladimir Norov"), "{norov:?}");

        assert!(choices.len() > 10, "too few filter choices to be a test: {choices:?}");
        for (filter, value, count) in &choices {
            choose_alone(&browser, filter, value);
            assert_lists_what_it_counts(&listing(&browser), &format!("{filter} = {value}"), *count);
        }
    }
}

/// More pages than the page lists at once (50): the status says so and "Show more
/// results" lists the rest, the city's own page last, with the keyboard focus on the
/// first result added.
#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn show_more_lists_the_rest_of_a_long_listing() {
    let browser = Browser::start();
    let mut site = TestSite::new().file("site.yaml", "title: Visits\nlanguage: en\n");
    for n in 1..=60 {
        let date = format!("2020-{:02}-{:02}", n / 28 + 1, n % 28 + 1);
        site = site.file(
            &format!("content/reports/visit-{n}.md"),
            &format!("---\ntitle: Visit {n}\ndate: {date}\ncities: [Tashkent]\n---\nA delegation visited.\n"),
        );
    }
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("search/?city=Tashkent"));
    let first = listing(&browser);
    assert_eq!(first.titles.len(), 50, "{first:?}");
    assert_eq!(first.status, "61 results; the first 50 are shown. Add a word or a filter to narrow them.");
    assert_eq!(first.titles[0], "Visit 60", "not newest first: {first:?}");
    let visible = "return !document.getElementById('search-more').hidden;";
    assert_eq!(browser.eval(visible).as_bool(), Some(true), "no Show more button");

    browser.eval("document.getElementById('search-more').click(); return true;");
    assert!(browser.wait_until("return document.querySelectorAll('#search-results li').length > 50;", WAIT));
    let all = listing(&browser);
    assert_lists_what_it_counts(&all, "?city=Tashkent", 61);
    assert_eq!(all.titles[..50], first.titles[..], "the first 50 changed");
    assert_eq!(all.titles.last().map(String::as_str), Some("Tashkent"), "{all:?}");
    assert_eq!(browser.eval(visible).as_bool(), Some(false), "Show more is still offered");
    let focused = browser.eval("return document.activeElement.textContent;");
    assert_eq!(focused.as_str(), Some(all.titles[50].as_str()), "focus is not on the first result added");
}
