//! `communique build`: the pages a visitor sees, the links between them, identities and
//! slugs, figures, themes, and how a failing build reports its errors and leaves the
//! previous output alone.

use std::collections::BTreeSet;

use crate::support::{Page, TestSite, is_external, resolve, select_in, snapshot, text_of};

/// A report file: front matter lines between `---` fences, then the body.
fn report(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}")
}

/// Every link (`a`/`link` `href`, `img`/`script` `src`) of a page.
fn links(page: &Page) -> Vec<String> {
    let mut found = page.attrs("a[href], link[href]", "href");
    found.extend(page.attrs("img[src], script[src]", "src"));
    found
}

/// The internal links of every page: (page, href), leaving out external and `#fragment` links.
fn internal_links(site: &TestSite) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for path in site.html_files() {
        let page = site.page(&path);
        for href in links(&page) {
            if !is_external(&href) && !href.starts_with('#') {
                all.push((path.clone(), href));
            }
        }
    }
    all
}

/// Asserts that every internal link is relative and leads to a file of the output.
#[track_caller]
fn assert_links_resolve(site: &TestSite) -> usize {
    let links = internal_links(site);
    let mut broken = Vec::new();
    for (page, href) in &links {
        assert!(!href.starts_with('/'), "{page}: link {href:?} is not relative");
        // 404.html sits at the output root (and may carry a <base href> of the site root),
        // so its links resolve against the root either way.
        match resolve(page, href) {
            Some(target) if site.has(&target) => {}
            target => broken.push(format!("{page}: {href:?} -> {target:?}")),
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    links.len()
}

#[test]
fn every_link_of_the_example_site_resolves() {
    let site = TestSite::example();
    site.build(&[]).success();
    let html = site.html_files();
    assert!(html.len() > 30, "too few pages: {html:?}");
    let checked = assert_links_resolve(&site);
    assert!(checked > 200, "only {checked} links checked");

    // Report -> person -> city -> back to the report.
    let report_path = "reports/weihai-city-committee/index.html";
    let report = site.page(report_path);
    let person_path = report.follow("section.officials", "Wang Luming");
    let person = site.page(&person_path);
    assert_eq!(person.text("h1"), "Wang Luming");
    let city_links: Vec<String> = person
        .attrs("main a[href]", "href")
        .into_iter()
        .map(|href| person.target(&href))
        .filter(|target| target.starts_with("cities/") && site.has(target))
        .filter(|target| site.page(target).text("h1") == "Weihai")
        .collect();
    assert!(!city_links.is_empty(), "{person_path} does not link to the Weihai page");
    let city = site.page(&city_links[0]);
    let rows = city.select("table tr");
    let gdp = rows
        .iter()
        .find(|row| select_in(**row, "td").iter().any(|td| text_of(*td) == "¥360 billion"))
        .expect("the Weihai page lists the GDP figure ¥360 billion");
    let back: Vec<String> = select_in(*gdp, "a[href]")
        .into_iter()
        .map(|a| city.target(a.attr("href").unwrap()))
        .filter(|t| t == report_path)
        .collect();
    assert_eq!(back.len(), 1, "the GDP row links back to the report: {}", gdp.html());
}

#[test]
fn offline_links_name_index_html() {
    let site = TestSite::example();
    site.build(&["--offline"]).success();
    for (page, href) in internal_links(&site) {
        let path = href.split(['#', '?']).next().unwrap();
        let file = path.rsplit('/').next().unwrap();
        assert!(file.contains('.'), "{page}: offline link {href:?} does not name a file");
        let target = resolve(&page, &href).unwrap();
        if !target.ends_with(".html") {
            continue;
        }
        assert_eq!(file, "index.html", "{page}: offline link {href:?} to a page");
    }
    assert_links_resolve(&site);
}

#[test]
fn no_link_is_root_relative_so_the_site_works_under_a_sub_path() {
    let site = TestSite::example();
    site.build(&["--base-url", "https://example.org/sub/path/"]).success();
    for path in site.html_files() {
        let page = site.page(&path);
        for attr in ["href", "src"] {
            for value in page.attrs(&format!("[{attr}]"), attr) {
                assert!(!value.starts_with('/'), "{path}: {attr}={value:?} starts with /");
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    let site = TestSite::example();
    let (one, two) = (site.path("out1"), site.path("out2"));
    site.build(&["--output", one.to_str().unwrap()]).success();
    site.build(&["--output", two.to_str().unwrap()]).success();
    let (one, two) = (snapshot(&one), snapshot(&two));
    assert!(one.len() > 30, "{:?}", one.keys());
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>(), "file lists differ");
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between two builds");
    }
}

/// The names in `root` that look like leftovers of an interrupted swap.
fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".output"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::example();
    site.build(&[]).success();
    let before = snapshot(&site.output());
    let file = "content/reports/2019-04-02-weihai-city-committee/index.md";
    let text = site.read(file);
    let line = text.lines().position(|l| l == "officials:").expect("the example report lists officials") + 1;
    site.write(file, &text.replacen("\nofficials:\n", "\noffical:\n", 1));

    let run = site.build(&[]).exit(1);
    run.stderr_has(&format!("{file}:{line}:1:")).stderr_has("did you mean");
    assert_eq!(snapshot(&site.output()), before, "the output changed after a failed build");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn every_error_of_a_run_is_reported() {
    let site = TestSite::new()
        .file("content/reports/a.md", "---\ntitle: A\ndate: 2019-04-02\noffical: [X]\n---\nA.\n")
        .file("content/reports/b.md", "---\ntitle: B\ndate: 2019-13-45\n---\nB.\n")
        .file(
            "content/reports/c.md",
            "---\ntitle: C\ndate: 2019-04-03\nfigures:\n  - label: GDP\n    value: lots\n---\nC.\n",
        )
        .file("content/reports/d.md", "---\ntitle: D\ndate: 2019-04-04\n---\nD is fine.\n");
    let run = site.build(&[]).exit(1);
    run.stderr_has("content/reports/a.md:4:1:")
        .stderr_has("did you mean")
        .stderr_has("content/reports/b.md:3:7:")
        .stderr_has("date: \"2019-13-45\" is not a date written YYYY-MM-DD: there is no month 13")
        .stderr_has("content/reports/c.md:6:12:")
        .stderr_has("value \"lots\" is not a number");
    let d_errors = run.stderr.lines().filter(|l| l.starts_with("content/reports/d.md") && l.contains(": error:"));
    assert_eq!(d_errors.count(), 0, "{}", run.stderr);
    assert!(!site.output().exists(), "a failed build wrote output");
}

#[test]
fn aliases_honorifics_case_and_spaces_merge_people_and_cities() {
    let site = TestSite::new()
        .file("data/people.yaml", "- name: Vladimir Norov\n  aliases: [Владимир Норов]\n")
        .file("data/cities.yaml", "- name: Weihai\n  aliases: [威海, Weihai City]\n  country: China\n")
        .file(
            "content/reports/a.md",
            &report("title: A\ndate: 2019-01-01\nofficials: [Владимир Норов]\ncities: [威海]", ""),
        )
        .file(
            "content/reports/b.md",
            &report("title: B\ndate: 2019-01-02\nofficials: [H.E. Vladimir Norov]\ncities: [Weihai City]", ""),
        )
        .file("content/reports/c.md", &report("title: C\ndate: 2019-01-03\nofficials: [\"vladimir  norov\"]", ""));
    site.build(&[]).success();

    let person = site.page("people/vladimir-norov/index.html");
    assert_eq!(person.text("h1"), "Vladimir Norov");
    let mut titles = person.texts("main .report-list a.report-title");
    titles.sort();
    assert_eq!(titles, ["A", "B", "C"]);
    let people = site.page("people/index.html");
    assert_eq!(people.texts("main ul a").iter().filter(|t| t.contains("Norov")).count(), 1);
    assert_eq!(entity_pages(&site, "people"), ["vladimir-norov"]);

    let city = site.page("cities/weihai/index.html");
    assert_eq!(city.text("h1"), "Weihai");
    let mut titles = city.texts("main .report-list a.report-title");
    titles.sort();
    assert_eq!(titles, ["A", "B"]);
    assert_eq!(entity_pages(&site, "cities"), ["weihai"]);
    let cities = site.page("cities/index.html");
    assert_eq!(cities.texts("main ul a").iter().filter(|t| t.contains("Weihai") || t.contains("威海")).count(), 1);
}

/// The entity pages (`people/<slug>/index.html`) in a section, by slug.
fn entity_pages(site: &TestSite, section: &str) -> Vec<String> {
    site.html_files()
        .iter()
        .filter_map(|p| p.strip_prefix(&format!("{section}/"))?.strip_suffix("/index.html").map(str::to_string))
        .collect()
}

#[test]
fn slugs_are_transliterated_and_honorifics_dropped() {
    let site = TestSite::new().file(
        "content/reports/a.md",
        &report("title: A\ndate: 2019-01-01\nofficials: [Норов, Mr Wang Luming]\ncities: [威海]", ""),
    );
    site.build(&[]).success();
    assert_eq!(site.page("people/norov/index.html").text("h1"), "Норов");
    assert_eq!(site.page("cities/wei-hai/index.html").text("h1"), "威海");
    assert_eq!(site.page("people/wang-luming/index.html").text("h1"), "Wang Luming");
    assert_eq!(entity_pages(&site, "people"), ["norov", "wang-luming"]);
}

#[test]
fn two_people_on_one_slug_is_an_error_naming_both() {
    let site = TestSite::new()
        .file("content/reports/a.md", &report("title: A\ndate: 2019-01-01\nofficials: [Wang Lu-ming]", ""))
        .file("content/reports/b.md", &report("title: B\ndate: 2019-01-02\nofficials: [Wang Lu ming]", ""));
    let run = site.build(&[]).exit(1);
    run.stderr_has("Wang Lu-ming").stderr_has("Wang Lu ming");
    run.stderr_has("content/reports/a.md").stderr_has("content/reports/b.md");
}

#[test]
fn first_mentions_are_linked_outside_headings_links_and_code() {
    let body = "## Wang Luming visits Weihai\n\n\
                See [Wang Luming in Weihai](https://x.org) and `Wang Luming, Weihai`.\n\n\
                Wang Luming met guests in Weihai. Later, Wang Luming left Weihai.\n";
    let site = TestSite::new().file(
        "content/reports/a.md",
        &report("title: A\ndate: 2019-01-01\nofficials: [Wang Luming]\ncities: [Weihai]", body),
    );
    site.build(&[]).success();
    let path = "reports/a/index.html";
    let page = site.page(path);
    let autolinks = page.select(".body a.autolink");
    let found: Vec<(String, String)> =
        autolinks.iter().map(|a| (text_of(*a), page.target(a.attr("href").unwrap()))).collect();
    assert_eq!(
        found,
        [
            ("Wang Luming".to_string(), "people/wang-luming/index.html".to_string()),
            ("Weihai".to_string(), "cities/weihai/index.html".to_string())
        ]
    );
    for (_, target) in &found {
        assert!(site.has(target), "{target} does not exist");
    }
    assert!(page.select(".body h2 a").is_empty(), "a heading got a link");
    assert!(page.select(".body code a").is_empty(), "code got a link");
    assert_eq!(page.texts(".body a[href='https://x.org']"), ["Wang Luming in Weihai"]);
    let paragraphs = page.select(".body p");
    let linked = select_in(paragraphs[1], "a.autolink");
    assert_eq!(linked.len(), 2, "the autolinks are not in the first plain paragraph: {}", paragraphs[1].html());
}

#[test]
fn at_links_resolve_to_the_target_report() {
    let site = TestSite::new()
        .file(
            "content/reports/a.md",
            &report("title: A\ndate: 2019-01-01", "See [B](@/reports/b.md#figures) and [About](@/about.md).\n"),
        )
        .file("content/reports/b.md", &report("title: B\ndate: 2019-01-02", "B.\n"))
        .file("content/about.md", "---\ntitle: About us\n---\nAbout.\n");
    site.build(&[]).success();
    let a = site.page("reports/a/index.html");
    let target = a.follow(".body", "B");
    assert_eq!(target, "reports/b/index.html");
    assert_eq!(site.page(&target).text("h1"), "B");
    assert!(a.attrs(".body a[href$='#figures']", "href").len() == 1, "the #fragment is kept");
    let about = a.follow(".body", "About");
    assert_eq!(site.page(&about).text("h1"), "About us");
}

#[test]
fn a_broken_at_link_fails_with_its_file_and_line() {
    let site = TestSite::new().file(
        "content/reports/a.md",
        &report("title: A\ndate: 2019-01-01", "Intro.\n\nSee [gone](@/reports/missing.md).\n"),
    );
    let run = site.build(&[]).exit(1);
    run.stderr_has("content/reports/a.md:7:5:").stderr_has("@/reports/missing.md");
}

#[test]

fn a_link_to_a_broken_report_is_not_reported_as_missing() {
    let site = TestSite::new()
        .file("content/reports/a.md", &report("title: A\ndate: 2019-01-01", "See [B](@/reports/b.md).\n"))
        .file("content/reports/b.md", &report("title: B\ndate: 2019-13-45", "B.\n"));
    let run = site.build(&[]).exit(1);
    run.stderr_has("content/reports/b.md:3:7:");
    let a_errors = run.stderr.lines().filter(|l| l.starts_with("content/reports/a.md") && l.contains(": error:"));
    assert_eq!(a_errors.count(), 0, "a.md links to a file that exists:\n{}", run.stderr);
}

/// A site of `count` reports titled `Report 1`, ... dated a day apart in January 2019,
/// with `paginate` of them a home page, built.
fn built_site_of_reports(count: usize, paginate: usize) -> TestSite {
    let mut site = TestSite::new().file("site.yaml", &format!("paginate: {paginate}\n"));
    for day in 1..=count {
        site = site.file(
            &format!("content/reports/r{day:02}.md"),
            &report(&format!("title: Report {day}\ndate: 2019-01-{day:02}"), "Text.\n"),
        );
    }
    site.build(&[]).success();
    site
}

#[test]
fn the_home_page_is_paginated_newest_first() {
    let site = built_site_of_reports(25, 10);
    let titles = |path: &str| site.page(path).texts("main .report-list > li a.report-title");
    let first = titles("index.html");
    assert_eq!(first.len(), 10);
    assert_eq!(first[0], "Report 25");
    assert_eq!(titles("page/2/index.html").len(), 10);
    assert_eq!(titles("page/3/index.html"), ["Report 5", "Report 4", "Report 3", "Report 2", "Report 1"]);
    assert!(!site.has("page/4/index.html"));
    assert!(!site.has("page/1/index.html"), "page 1 is the home page");

    // Each page links the first, the last and two on each side of itself, with a gap
    // marked where pages are left out (a site of 5,000 home pages would otherwise link
    // all of them from each).
    let wide = built_site_of_reports(12, 1);
    let pager = |path: &str| wide.page(path).texts("nav.pager ol li");
    assert_eq!(pager("page/6/index.html"), ["1", "…", "4", "5", "6", "7", "8", "…", "12"]);
    assert_eq!(pager("index.html"), ["1", "2", "3", "…", "12"]);
    assert_eq!(pager("page/11/index.html"), ["1", "…", "9", "10", "11", "12"]);

    let two = site.page("page/2/index.html");
    assert_eq!(two.texts("nav.pager ol li"), ["1", "2", "3"], "three pages are all listed");
    let prev = two.attrs("nav.pager a[rel=prev]", "href");
    let next = two.attrs("nav.pager a[rel=next]", "href");
    assert_eq!(prev.iter().map(|h| two.target(h)).collect::<Vec<_>>(), ["index.html"]);
    assert_eq!(next.iter().map(|h| two.target(h)).collect::<Vec<_>>(), ["page/3/index.html"]);
}

#[test]
fn the_figures_are_paged_newest_first_without_splitting_a_report() {
    // Figures a report: r1 1, r2 2, r3 3, r4 1, r5 0, r6 4 (more than a page holds).
    let counts = [1, 2, 3, 1, 0, 4];
    let mut site = TestSite::new().file(
        "site.yaml",
        "paginate_figures: 3
",
    );
    for (i, count) in counts.iter().enumerate() {
        let day = i + 1;
        let figures: String = (1..=*count).map(|n| format!("\n  - {{label: F{day}.{n}, value: {n}}}")).collect();
        let figures = if *count > 0 { format!("\nfigures:{figures}") } else { String::new() };
        site = site.file(
            &format!("content/reports/r{day}.md"),
            &report(&format!("title: Report {day}\ndate: 2019-01-0{day}{figures}"), "Text.\n"),
        );
    }
    site.build(&[]).success();
    let labels = |path: &str| site.page(path).texts("table.figures tbody tr td:first-child");
    // Newest first: r6 alone (4 > 3), then r5 (none), r4 and r3 would be 4: r4 with r5,
    // r3 alone, then r2 and r1 together.
    assert_eq!(labels("figures/index.html"), ["F6.1", "F6.2", "F6.3", "F6.4"]);
    assert_eq!(labels("figures/page/2/index.html"), ["F4.1"]);
    assert_eq!(labels("figures/page/3/index.html"), ["F3.1", "F3.2", "F3.3"]);
    assert_eq!(labels("figures/page/4/index.html"), ["F2.1", "F2.2", "F1.1"]);
    assert!(!site.has("figures/page/5/index.html") && !site.has("figures/page/1/index.html"));

    let three = site.page("figures/page/3/index.html");
    assert_eq!(three.text("h1"), "Figures, page 3");
    assert!(three.text("p.lead").contains("(11)"), "the lead counts every figure: {}", three.text("p.lead"));
    let link = |rel: &str| {
        three.attrs(&format!("nav.pager a[rel={rel}]"), "href").iter().map(|h| three.target(h)).collect::<Vec<_>>()
    };
    assert_eq!(link("prev"), ["figures/page/2/index.html"]);
    assert_eq!(link("next"), ["figures/page/4/index.html"]);
    assert_eq!(site.page("figures/index.html").text("h1"), "Figures");
    // The CSV still has every figure.
    let csv = std::fs::read_to_string(site.output().join("data/figures.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + counts.iter().sum::<usize>());
}

#[test]
fn entity_pages_are_paged_newest_first_with_summaries_of_every_report() {
    // Five reports naming the same city, official and topic, each with a figure of the
    // city for a year of its own; two reports a page.
    let mut site = TestSite::new().file("site.yaml", "base_url: https://example.org/\npaginate_entities: 2\n");
    for day in 1..=5 {
        let front = format!(
            "title: Report {day}\ndate: 2019-01-0{day}\ncities: [{{ name: Weihai, country: China }}]\n\
             officials:\n  - {{ name: Wang Luming, role: Mayor {day}, country: China }}\ntopics: [trade]\n\
             figures:\n  - {{ label: GDP, value: {day}00, unit: USD, year: 201{day} }}"
        );
        site = site.file(&format!("content/reports/r{day}.md"), &report(&front, "Text.\n"));
    }
    site.build(&[]).success();
    let titles = |path: &str| site.page(path).texts("main .report-list a.report-title");
    for entity in ["cities/weihai/", "people/wang-luming/", "countries/china/", "topics/trade/"] {
        assert_eq!(titles(&format!("{entity}index.html")), ["Report 5", "Report 4"], "{entity}");
        assert_eq!(titles(&format!("{entity}page/2/index.html")), ["Report 3", "Report 2"], "{entity}");
        assert_eq!(titles(&format!("{entity}page/3/index.html")), ["Report 1"], "{entity}");
        assert!(!site.has(&format!("{entity}page/4/index.html")) && !site.has(&format!("{entity}page/1/index.html")));
        let two = site.page(&format!("{entity}page/2/index.html"));
        let link = |rel: &str| {
            two.attrs(&format!("nav.pager a[rel={rel}]"), "href").iter().map(|h| two.target(h)).collect::<Vec<_>>()
        };
        assert_eq!(link("prev"), [format!("{entity}index.html")]);
        assert_eq!(link("next"), [format!("{entity}page/3/index.html")]);
    }

    // Every page of the city counts all five reports; its table lists the figures of the
    // reports on that page. The summaries of every report (chart, officials) are on the
    // first page only.
    let city = site.page("cities/weihai/page/2/index.html");
    assert_eq!(city.text("#reports-h .count"), "(5)");
    assert_eq!(city.text("#figures-h .count"), "(5)");
    assert_eq!(city.texts("section.figures tbody td:first-child"), ["2013", "2012"]);
    assert!(city.select("figure.chart").is_empty() && city.select("#officials-h").is_empty());
    let first = site.page("cities/weihai/index.html");
    assert_eq!(first.texts("section.figures tbody td:first-child"), ["2015", "2014"]);
    assert_eq!(first.select("figure.chart svg rect").len(), 5, "a bar for each year of every report");
    assert_eq!(first.texts("section[aria-labelledby=officials-h] ul.counted a"), ["Wang Luming"]);
    // The person's roles over time cover every report, on the first page; each page
    // offers the one feed of the person.
    let roles = site.page("people/wang-luming/index.html").texts("ol.timeline li");
    assert_eq!(roles.len(), 5, "{roles:?}");
    assert!(roles[0].contains("Mayor 1") && roles[4].contains("Mayor 5"), "{roles:?}");
    let person = site.page("people/wang-luming/page/3/index.html");
    assert!(person.select("ol.timeline").is_empty());
    // Each page has a title of its own.
    assert_eq!(person.text("title"), "Wang Luming · Page 3 · Cooperation Reports");
    assert_eq!(site.page("people/wang-luming/index.html").text("title"), "Wang Luming · Cooperation Reports");
    let country = site.page("countries/china/page/2/index.html");
    assert_eq!(country.text("header p.meta"), "5 reports");
    assert_eq!(site.page("countries/china/index.html").text("header p.meta"), "5 reports · 1 person · 1 city");
    let feeds = person.attrs("link[rel=alternate][type='application/atom+xml']", "href");
    assert_eq!(feeds.iter().map(|h| person.target(h)).collect::<Vec<_>>(), ["people/wang-luming/feed.xml"]);
    assert!(site.has("people/wang-luming/feed.xml"));
    // The sitemap lists every page.
    let sitemap = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/cities/weihai/page/3/</loc>"), "{sitemap}");
}

#[test]
fn the_longest_counted_lists_show_the_first_hundred_and_how_many_more() {
    let officials: String = (1..=103).map(|n| format!("\n  - {{ name: Official {n:03} }}")).collect();
    let front = format!("title: Summit\ndate: 2019-01-01\ncities: [Weihai]\nofficials:{officials}");
    let site = TestSite::new().file("content/reports/summit.md", &report(&front, "Text.\n"));
    site.build(&[]).success();
    let city = site.page("cities/weihai/index.html");
    let listed = city.texts("section[aria-labelledby=officials-h] ul.counted a");
    assert_eq!(listed.len(), 100);
    assert_eq!((listed[0].as_str(), listed[99].as_str()), ("Official 001", "Official 100"));
    assert_eq!(city.text("section[aria-labelledby=officials-h] p.more"), "and 3 more");
    // The people index still lists every one of them.
    assert!(site.has("people/official-103/index.html"));
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = TestSite::new()
        .file("content/reports/live.md", &report("title: Live\ndate: 2019-01-01", "Live.\n"))
        .file("content/reports/wip.md", &report("title: Work in progress\ndate: 2019-01-02\ndraft: true", "Wip.\n"));
    site.build(&[]).success();
    assert!(site.has("reports/live/index.html"));
    assert!(!site.has("reports/wip/index.html"));
    assert_eq!(site.page("index.html").texts("main a.report-title"), ["Live"]);

    site.build(&["--drafts"]).success();
    assert_eq!(site.page("reports/wip/index.html").text("h1"), "Work in progress");
    assert_eq!(site.page("index.html").texts("main a.report-title"), ["Work in progress", "Live"]);
}

#[test]
fn figures_are_formatted_and_listed_everywhere() {
    let front = "title: Figures\ndate: 2019-04-02\ncities: [Weihai]\nfigures:\n\
                 \x20 - {label: GDP, value: 360 billion, unit: CNY, year: 2018}\n\
                 \x20 - {label: Income, value: 20000, unit: USD, qualifier: exceeding}\n\
                 \x20 - {label: JV, value: \"1,014\", unit: companies}\n\
                 \x20 - {label: Investment, value: 14.75 million, unit: USD}";
    let site = TestSite::new().file("content/reports/f.md", &report(front, "Numbers.\n"));
    site.build(&[]).success();
    let expected = ["¥360 billion", "exceeding $20,000", "1,014 companies", "$14.75 million"];

    let page = site.page("reports/f/index.html");
    assert_eq!(page.texts("section.figures tbody td.num"), expected);
    assert_eq!(page.texts("section.figures tbody tr > td:first-child"), ["GDP", "Income", "JV", "Investment"]);

    let all = site.page("figures/index.html");
    let rows: BTreeSet<(String, String)> = all
        .select("main tbody tr")
        .into_iter()
        .map(|tr| {
            let cells: Vec<String> = select_in(tr, "td").into_iter().map(text_of).collect();
            (cells[0].clone(), cells[1].clone())
        })
        .collect();
    let want: BTreeSet<(String, String)> = ["GDP", "Income", "JV", "Investment"]
        .iter()
        .zip(expected)
        .map(|(label, display)| (label.to_string(), display.to_string()))
        .collect();
    assert_eq!(rows, want);

    // The report's only city is every figure's city, so the city page lists all four.
    let city = site.page("cities/weihai/index.html");
    let rows: Vec<Vec<String>> = city
        .select("#figures tbody tr")
        .into_iter()
        .map(|tr| select_in(tr, "td").into_iter().map(text_of).collect())
        .collect();
    let values: BTreeSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(values, expected.into_iter().collect());
    let gdp = rows.iter().find(|r| r[1] == "GDP").unwrap();
    assert_eq!(gdp[0], "2018", "GDP is listed under its year");
}

#[test]
fn related_reports_share_people_or_cities() {
    let site = TestSite::new()
        .file("content/reports/a.md", &report("title: A\ndate: 2019-01-01\nofficials: [Pat Lee]\ncities: [Weihai]", ""))
        .file("content/reports/b.md", &report("title: B\ndate: 2019-01-02\nofficials: [Pat Lee]\ncities: [Weihai]", ""))
        .file(
            "content/reports/c.md",
            &report("title: C\ndate: 2019-01-03\nofficials: [Sam Wu]\ncities: [Qingdao]", ""),
        );
    site.build(&[]).success();
    let a = site.page("reports/a/index.html");
    let related: Vec<String> =
        a.attrs("section.related a.report-title", "href").iter().map(|href| a.target(href)).collect();
    assert_eq!(related, ["reports/b/index.html"]);
    assert!(site.page("reports/c/index.html").select("section.related").is_empty());
}

#[test]
fn site_templates_override_single_theme_templates() {
    let custom = "{% extends \"base.html\" %}\n{% block content %}<p id=\"custom\">{{ report.title }}</p>{% endblock content %}\n";
    let site = TestSite::new()
        .file("templates/report.html", custom)
        .file("content/reports/a.md", &report("title: Custom title\ndate: 2019-01-01", "Body.\n"));
    site.build(&[]).success();
    let page = site.page("reports/a/index.html");
    assert_eq!(page.text("#custom"), "Custom title");
    assert!(page.select("article.report").is_empty());
    assert_eq!(page.select("header.site-header nav").len(), 1, "base.html still comes from the default theme");
    let home = site.page("index.html");
    assert_eq!(home.texts("main .report-list a.report-title"), ["Custom title"]);
    assert!(home.select("#custom").is_empty());
}

#[test]
fn a_missing_theme_is_an_error_naming_its_folder() {
    let site = TestSite::new()
        .file("site.yaml", "theme: missing\n")
        .file("content/reports/a.md", &report("title: A\ndate: 2019-01-01", ""));
    site.build(&[]).exit(1).stderr_has("themes/missing");
    assert!(!site.output().exists());
}

#[test]
fn a_theme_on_disk_is_used() {
    let site = TestSite::example_with_themes();
    crate::support::copy_dir(&site.path("themes/default"), &site.path("themes/plain"));
    site.write(
        "themes/plain/templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1 id=\"plain\">Lost</h1>{% endblock content %}\n",
    );
    site.write("themes/plain/static/assets/plain.css", "body { color: black }\n");
    site.write("site.yaml", &format!("{}\ntheme: plain\n", site.read("site.yaml")));
    site.build(&[]).success();
    assert_eq!(site.page("404.html").text("#plain"), "Lost");
    assert_eq!(site.read("output/assets/plain.css"), "body { color: black }\n");
    assert_eq!(site.page("reports/weihai-city-committee/index.html").select("article.report").len(), 1);
    assert_links_resolve(&site);
}

#[test]
fn crlf_and_bom_files_build() {
    let text = "\u{feff}---\r\ntitle: Windows report\r\ndate: 2019-01-01\r\n---\r\nSaved on Windows.\r\n";
    let site = TestSite::new().file("content/reports/win.md", text);
    site.build(&[]).success();
    let page = site.page("reports/win/index.html");
    assert_eq!(page.text("h1"), "Windows report");
    assert_eq!(page.text(".body"), "Saved on Windows.");
}

#[test]

fn every_page_has_one_description() {
    // The example site has a description and reports with a summary; one more report has
    // none, so its description is its first paragraph.
    let site = TestSite::example().file(
        "content/reports/2021-01-01-no-summary.md",
        &report("title: No summary\ndate: 2021-01-01\ncities: [Weihai]", "The first paragraph.\n\nThe second.\n"),
    );
    site.build(&[]).success();
    // The site's description in each of its languages: English at the root, Russian and
    // Chinese under their folders.
    let site_descriptions = [
        ("ru/", "Сообщения об официальных визитах и встречах Секретариата ШОС."),
        ("zh/", "上海合作组织秘书处官方访问与会见报道。"),
        ("", "Reports of official visits and meetings of the SCO Secretariat."),
    ];
    let reports = [
        (
            "reports/weihai-city-committee/index.html",
            "Vladimir Norov and the ambassadors of the SCO Ambassadors Club met Wang Luming in Weihai to talk about \
             closer trade, economic and cultural ties between the city and the SCO member states.",
        ),
        (
            "reports/qingdao-delegation/index.html",
            "A Secretariat delegation led by Deputy Secretary-General Sherali Jonon spent four days in Qingdao \
             discussing trade, transport, education and tourism projects with city officials, companies and the \
             China–SCO Demonstration Zone.",
        ),
        ("reports/no-summary/index.html", "The first paragraph."),
        (
            "ru/reports/weihai-city-committee/index.html",
            "Владимир Норов и послы Клуба послов ШОС встретились в Вэйхае с Ван Лумином и обсудили, как укрепить \
             торгово-экономические и культурные связи города с государствами — членами ШОС.",
        ),
        (
            "ru/reports/qingdao-delegation/index.html",
            "Делегация Секретариата во главе с заместителем Генерального секретаря Шерали Джононом провела четыре \
             дня в Циндао, обсудив с городскими властями, компаниями и Демонстрационной зоной Китай — ШОС проекты \
             в торговле, транспорте, образовании и туризме.",
        ),
        (
            "zh/reports/weihai-city-committee/index.html",
            "上合组织秘书长弗拉基米尔·诺罗夫率上合组织大使俱乐部成员在威海会见王鲁明，双方就深化威海与上合组织成员国的\
             经贸和人文合作交换意见。",
        ),
        (
            "zh/reports/qingdao-delegation/index.html",
            "上合组织副秘书长舍拉利·查农率秘书处代表团在青岛进行为期四天的访问，同市政府、企业及中国—上海合作组织地方\
             经贸合作示范区就贸易、交通、教育和旅游项目深入交流。",
        ),
    ];
    let pages = site.html_files();
    assert!(pages.len() > 20, "{pages:?}");
    for path in &pages {
        let page = site.page(path);
        let descriptions: Vec<&str> =
            page.select("head meta[name=description]").iter().map(|m| m.attr("content").unwrap_or("(none)")).collect();
        let site_description = site_descriptions.iter().find(|(folder, _)| path.starts_with(folder)).unwrap().1;
        match reports.iter().find(|(report, _)| report == path) {
            Some((_, text)) => assert_eq!(descriptions, [*text], "{path}"),
            // The home page is the site's; the others say what they show
            // (feeds.rs, every_page_has_a_description_of_its_own_in_its_language).
            None if ["index.html", "ru/index.html", "zh/index.html"].contains(&path.as_str()) => {
                assert_eq!(descriptions, [site_description], "{path}")
            }
            None => assert!(descriptions.len() == 1 && !descriptions[0].is_empty(), "{path}: {descriptions:?}"),
        }
    }
    for (report, _) in reports {
        assert!(pages.iter().any(|p| p == report), "no page {report}");
    }
}

#[test]
fn likely_mistakes_are_warnings_that_do_not_fail_the_build() {
    let site = TestSite::new()
        .file("data/people.yaml", "- name: Vladimir Norov\n  country: Uzbekistan\n- name: Nobody Here\n")
        .file(
            "content/reports/a.md",
            &report(
                "title: A\ndate: 2019-01-01\ncities: [Weihai]\nofficials:\n  - Wang Luming\n  - name: Vladimir Norov\n    country: Russia",
                "A.\n",
            ),
        )
        .file("content/reports/b.md", &report("title: B\ndate: 2019-01-02\ncities: [Weihai]\nofficials: [Wang Lu-ming]", "B.\n"))
        .file("content/reports/c.md", &report("title: C\ndate: 2019-01-03", "C.\n"));
    let run = site.build(&[]).success();
    run.stderr_has("content/reports/b.md:5: warning: person \"Wang Lu-ming\" looks like \"Wang Luming\" (content/reports/a.md:6)")
        .stderr_has("data/people.yaml:1: warning: Vladimir Norov is given 2 countries: Russia (content/reports/a.md:1), Uzbekistan (data/people.yaml:1)")
        .stderr_has("data/people.yaml:3: warning: person \"Nobody Here\" is not named in any report")
        .stderr_has("content/reports/c.md:1: warning: the report names no city and no official");
    assert!(site.has("index.html"));
}

#[test]
fn the_404_page_links_absolutely_so_it_works_at_any_missing_address() {
    let site = TestSite::example();
    site.build(&["--base-url", "https://example.org/sub/"]).success();
    let page = site.page("404.html");
    assert!(page.select("base").is_empty(), "a <base> would send the skip link to the home page");
    assert_eq!(page.attrs("a.skip-link", "href"), ["#main"]);
    let nav = page.attrs("header.site-header nav a", "href");
    assert!(nav.contains(&"https://example.org/sub/people/".to_string()), "{nav:?}");
    assert_eq!(page.attrs("link[rel=stylesheet]", "href"), ["https://example.org/sub/assets/style.css"]);
}
