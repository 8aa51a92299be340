//! Files for machines: Atom feeds, sitemap.xml, robots.txt, canonical and OpenGraph tags,
//! JSON-LD; and the figures: city charts and the figures table, sorted by each column in
//! a browser. Feeds and sitemaps are read with a real XML parser.

use crate::support::{TestSite, resolve};

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn entries<'a>(doc: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.root_element().children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect()
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children().find(|n| n.has_tag_name((ATOM, name))).and_then(|n| n.text()).unwrap_or_default()
}

#[test]
fn the_site_people_and_cities_have_atom_feeds() {
    let site = TestSite::example();
    site.build(&[]).success();
    let text = site.read("output/feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is well-formed XML");
    assert!(doc.root_element().has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(doc.root_element(), "id"), "https://example.org/");
    let items = entries(&doc);
    assert_eq!(items.len(), 2);
    assert_eq!(child_text(items[0], "title"), "SCO Secretariat delegation visits Qingdao", "newest first");
    assert_eq!(child_text(items[0], "id"), "https://example.org/reports/qingdao-delegation/");
    assert_eq!(child_text(items[0], "published"), "2020-07-23T00:00:00Z");
    assert!(!child_text(items[0], "summary").is_empty());

    let person = site.read("output/people/wang-luming/feed.xml");
    let doc = roxmltree::Document::parse(&person).unwrap();
    let titles: Vec<&str> = entries(&doc).iter().map(|e| child_text(*e, "title")).collect();
    assert_eq!(titles, ["SCO Secretary-General meets the Secretary of the Weihai City Committee"]);
    let city = site.read("output/cities/weihai/feed.xml");
    assert_eq!(entries(&roxmltree::Document::parse(&city).unwrap()).len(), 1);

    // Each feed is advertised on its page, with a link that resolves to it.
    for page in ["index.html", "people/wang-luming/index.html", "cities/weihai/index.html"] {
        let hrefs = site.page(page).attrs("link[rel=alternate][type='application/atom+xml']", "href");
        assert_eq!(hrefs.len(), 1, "{page}");
        let target = resolve(page, &hrefs[0]).unwrap();
        assert!(target.ends_with("feed.xml") && site.has(&target), "{page} -> {target}");
    }
}

#[test]
fn the_sitemap_lists_every_page_and_robots_points_at_it() {
    let site = TestSite::example();
    site.build(&[]).success();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let html_files = site.html_files();
    // Each language's sitemap lists that language's pages: English at the root, Russian and
    // Chinese under their folders.
    let in_language = |page: &str, folder: &str| match folder {
        "" => !page.starts_with("ru/") && !page.starts_with("zh/"),
        _ => page.starts_with(folder),
    };
    for folder in ["", "ru/", "zh/"] {
        let text = site.read(&format!("output/{folder}sitemap.xml"));
        let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
        let mut locs: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name((ns, "loc")))
            .map(|n| n.text().unwrap().trim_start_matches("https://example.org/").to_string())
            .collect();
        locs.sort();
        let mut expected: Vec<String> = html_files
            .iter()
            .filter(|p| in_language(p, folder) && **p != format!("{folder}404.html"))
            .map(|p| p.trim_end_matches("index.html").to_string())
            .collect();
        expected.sort();
        assert!(expected.len() > 20, "{folder}: {expected:?}");
        assert_eq!(locs, expected, "{folder}sitemap.xml");
    }
    let text = site.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let report = doc
        .descendants()
        .find(|n| n.has_tag_name((ns, "loc")) && n.text() == Some("https://example.org/reports/weihai-city-committee/"))
        .unwrap();
    let lastmod = report.next_sibling_element().unwrap();
    assert_eq!(lastmod.text(), Some("2019-04-02"));
    let robots = site.read("output/robots.txt");
    let sitemaps: Vec<&str> = robots.lines().filter_map(|l| l.strip_prefix("Sitemap: ")).collect();
    assert_eq!(
        sitemaps,
        ["https://example.org/sitemap.xml", "https://example.org/ru/sitemap.xml", "https://example.org/zh/sitemap.xml"]
    );
}

#[test]
fn pages_carry_canonical_and_opengraph_tags() {
    let site = TestSite::example();
    site.build(&[]).success();
    let page = site.page("reports/weihai-city-committee/index.html");
    assert_eq!(page.attrs("link[rel=canonical]", "href"), ["https://example.org/reports/weihai-city-committee/"]);
    assert_eq!(page.attrs("meta[property='og:type']", "content"), ["article"]);
    assert_eq!(
        page.attrs("meta[property='og:title']", "content"),
        ["SCO Secretary-General meets the Secretary of the Weihai City Committee"]
    );
    assert_eq!(page.attrs("meta[property='og:url']", "content"), page.attrs("link[rel=canonical]", "href"));
}

#[test]
fn feed_entries_carry_the_whole_report_with_absolute_links_and_its_organisation() {
    let site = TestSite::example();
    site.build(&[]).success();
    let text = site.read("output/feed.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let entry = entries(&doc).into_iter().find(|e| child_text(*e, "id").ends_with("/weihai-city-committee/")).unwrap();
    let author = entry.children().find(|n| n.has_tag_name((ATOM, "author"))).expect("the entry names its author");
    assert_eq!(child_text(author, "name"), "SCO Secretariat");
    let content = entry.children().find(|n| n.has_tag_name((ATOM, "content"))).expect("the entry has content");
    assert_eq!(content.attribute("type"), Some("html"));
    // The same body as the report's page, every address in it absolute.
    let body = scraper::Html::parse_fragment(content.text().unwrap());
    let page = site.page("reports/weihai-city-committee/index.html");
    let page_text = page.text("article .body");
    let feed_text: String = body.root_element().text().collect::<String>();
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words(&feed_text).len() > 200, "{feed_text}");
    assert!(words(&page_text).contains(&words(&feed_text)), "feed body:\n{feed_text}\npage body:\n{page_text}");
    let links: Vec<&str> = (body.select(&crate::support::selector("a[href], img[src]")))
        .map(|e| e.value().attr("href").or(e.value().attr("src")).unwrap())
        .collect();
    assert!(links.iter().any(|l| l.starts_with("https://example.org/people/")), "{links:?}");
    for link in links {
        let path = link.strip_prefix("https://example.org/");
        assert!(path.is_some() || link.starts_with("https://"), "not absolute: {link}");
        if let Some(path) = path.map(|p| p.split('#').next().unwrap()) {
            let file =
                if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
            assert!(site.has(&file), "{link} leads nowhere");
        }
    }
}

#[test]
fn robots_txt_is_written_only_where_crawlers_read_it() {
    let site = TestSite::example();
    site.build(&[]).success();
    assert!(site.read("output/robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
    site.build(&["--base-url", "https://example.net/news/"]).success();
    assert!(!site.has("robots.txt"), "a site under /news/ cannot have the host's robots.txt");
    assert!(site.has("sitemap.xml") && site.has("feed.xml"));
}

/// The `content` of the one `meta` matching `css` on `page`.
fn meta(page: &crate::support::Page, css: &str) -> String {
    match page.attrs(css, "content").as_slice() {
        [one] => one.clone(),
        found => panic!("{}: expected one {css}, found {found:?}", page.path),
    }
}

#[test]
fn every_page_has_a_description_of_its_own_in_its_language() {
    let site = TestSite::example();
    // Without site.yaml's descriptions, every page derives its own.
    let config = site.read("site.yaml");
    let config: String =
        config.lines().filter(|l| !l.trim_start().starts_with("description:")).map(|l| format!("{l}\n")).collect();
    site.write("site.yaml", &config);
    site.build(&[]).success();
    let mut seen = std::collections::BTreeMap::new();
    for file in site.html_files() {
        let page = site.page(&file);
        let description = meta(&page, "meta[name=description]");
        // Derived text is cut at 160 characters; a summary is kept as written.
        assert!((10..=250).contains(&description.chars().count()), "{file}: {description:?}");
        assert_eq!(meta(&page, "meta[property='og:description']"), description, "{file}");
        seen.entry(description).or_insert_with(Vec::new).push(file);
    }
    // Pages say what they are, not one text for all (paginated lists aside).
    let repeated: Vec<_> = seen.values().filter(|files| files.len() > 1).collect();
    assert!(repeated.is_empty(), "the same description on {repeated:?}");
    let description = |file: &str| meta(&site.page(file), "meta[name=description]");
    assert!(description("reports/weihai-city-committee/index.html").starts_with("Vladimir Norov and the ambassadors"));
    assert!(description("people/index.html").contains("17 people"), "{}", description("people/index.html"));
    let russian = description("ru/people/index.html");
    assert!(russian.contains("по алфавиту") && russian.contains("17"), "{russian}");
    assert!(description("zh/cities/index.html").contains("城市"));
}

#[test]
fn the_home_page_describes_the_site_and_pages_show_an_icon() {
    let site = TestSite::example();
    site.build(&[]).success();
    let home = site.page("index.html");
    assert_eq!(
        meta(&home, "meta[name=description]"),
        "Reports of official visits and meetings of the SCO Secretariat."
    );
    let page = "reports/weihai-city-committee/index.html";
    for rel in ["icon", "apple-touch-icon"] {
        for href in site.page(page).attrs(&format!("link[rel={rel}]"), "href") {
            let target = resolve(page, &href).unwrap();
            assert!(site.has(&target), "{rel} {href} leads nowhere");
        }
    }
    let icons = site.page(page).attrs("link[rel=icon]", "href");
    assert!(icons.iter().any(|i| i.ends_with("favicon.ico")) && icons.iter().any(|i| i.ends_with("favicon.svg")));
    let touch = std::fs::read(site.output().join("apple-touch-icon.png")).unwrap();
    let size = |at: usize| u32::from_be_bytes(touch[at..at + 4].try_into().unwrap());
    assert_eq!((&touch[1..4], size(16), size(20)), (&b"PNG"[..], 180, 180), "a 180 × 180 PNG");
    // The minimal theme shows the same icons.
    let minimal = TestSite::example();
    minimal.use_minimal_theme();
    minimal.build(&[]).success();
    for href in minimal.page(page).attrs("link[rel=icon], link[rel=apple-touch-icon]", "href") {
        assert!(minimal.has(&resolve(page, &href).unwrap()), "minimal theme: {href} leads nowhere");
    }
    assert_eq!(minimal.page(page).select("link[rel=icon]").len(), 2);
    // A site's own icon replaces the theme's.
    let own = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>";
    site.write("static/favicon.svg", own);
    site.build(&[]).success();
    assert_eq!(site.read("output/favicon.svg"), own);
}

#[test]
fn without_base_url_feeds_are_skipped_with_a_warning() {
    let site = TestSite::example();
    let config = site.read("site.yaml").replace("base_url: https://example.org/", "");
    site.write("site.yaml", &config);
    let run = site.build(&[]).success();
    run.stderr_has("site.yaml: warning: base_url is not set: feeds, sitemap.xml and robots.txt are not written");
    assert!(!site.has("feed.xml") && !site.has("sitemap.xml"));
    assert!(site.page("index.html").select("link[rel=canonical]").is_empty());
    let with_flag = site.build(&["--base-url", "https://example.net/news/"]).success();
    assert!(!with_flag.stderr.contains("base_url is not set"));
    assert!(site.read("output/feed.xml").contains("<id>https://example.net/news/</id>"));
}

#[test]
fn the_resolved_graph_is_exported_as_json_and_figures_as_csv() {
    let site = TestSite::example();
    site.build(&[]).success();
    let reports: serde_json::Value = serde_json::from_str(&site.read("output/data/reports.json")).unwrap();
    let weihai = reports.as_array().unwrap().iter().find(|r| r["slug"] == "weihai-city-committee").unwrap();
    assert_eq!(weihai["path"], "reports/weihai-city-committee/");
    assert!(site.has(&format!("{}index.html", weihai["path"].as_str().unwrap())));
    assert_eq!(weihai["cities"], serde_json::json!(["weihai"]));
    let wang = weihai["officials"].as_array().unwrap().iter().find(|o| o["person"] == "wang-luming").unwrap();
    assert_eq!(wang["country"], "china");
    let gdp = weihai["figures"].as_array().unwrap().iter().find(|f| f["label"] == "GDP").unwrap();
    assert_eq!(
        (gdp["value"].as_f64(), gdp["unit"].as_str(), gdp["year"].as_i64()),
        (Some(360e9), Some("CNY"), Some(2018))
    );

    let people: serde_json::Value = serde_json::from_str(&site.read("output/data/people.json")).unwrap();
    let person = people.as_array().unwrap().iter().find(|p| p["slug"] == "wang-luming").unwrap();
    assert_eq!(person["reports"], serde_json::json!(["weihai-city-committee"]));
    let cities: serde_json::Value = serde_json::from_str(&site.read("output/data/cities.json")).unwrap();
    assert!(cities.as_array().unwrap().iter().any(|c| c["slug"] == "qingdao" && c["country"] == "china"));

    // RFC 4180: CRLF rows, a header, quoting only where needed, plain numbers.
    let csv = site.read("output/data/figures.csv");
    let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    // A site with `languages:` (the example is one) has a `language` column.
    assert_eq!(rows[0], "report,date,city,label,value,unit,qualifier,year,language");
    assert!(rows.contains(&"weihai-city-committee,2019-04-02,Weihai,GDP,360000000000,CNY,,2018,en"), "{csv}");
    let figures_page = site.page("figures/index.html");
    let link = figures_page.attrs("a[download]", "href");
    assert_eq!(link, ["../data/figures.csv"]);
}

/// The JSON-LD object of a page.
fn json_ld(site: &TestSite, page: &str) -> serde_json::Value {
    let page = site.page(page);
    let scripts = page.select("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{}", page.path);
    serde_json::from_str(&scripts[0].inner_html()).expect("JSON-LD parses")
}

#[test]
fn reports_people_and_cities_carry_schema_org_json_ld() {
    let site = TestSite::example();
    site.build(&[]).success();
    let article = json_ld(&site, "reports/weihai-city-committee/index.html");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "SCO Secretary-General meets the Secretary of the Weihai City Committee");
    assert_eq!(article["datePublished"], "2019-04-02");
    assert_eq!(article["dateCreated"], "2019-04-02");
    assert_eq!(article["url"], "https://example.org/reports/weihai-city-committee/");
    assert_eq!(article["about"][0]["@type"], "City");
    assert_eq!(article["about"][0]["name"], "Weihai");
    let mentioned: Vec<&str> =
        article["mentions"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(mentioned.contains(&"Wang Luming") && mentioned.contains(&"Vladimir Norov"), "{mentioned:?}");

    let person = json_ld(&site, "people/wang-luming/index.html");
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Wang Luming");
    assert_eq!(person["jobTitle"], "Secretary of the Weihai CPC City Committee");
    assert_eq!(person["affiliation"]["name"], "Communist Party of China");
    assert_eq!(person["nationality"]["name"], "China");

    let city = json_ld(&site, "cities/weihai/index.html");
    assert_eq!(city["@type"], "City");
    assert_eq!(city["containedInPlace"]["name"], "China");
    assert!(city["geo"]["latitude"].is_number(), "{city}");
    assert!(site.page("about/index.html").select("script[type='application/ld+json']").is_empty());
}

#[test]
fn a_figure_reported_for_two_years_gets_a_chart_on_its_city_page() {
    let figure = |year: u32, value: &str| {
        format!(
            "---\ntitle: GDP {year}\ndate: {}-05-01\ncities: [Weihai]\nfigures:\n  - label: GDP\n    value: {value}\n    unit: CNY\n    year: {year}\n  - label: Parks\n    value: 3\n---\nText.\n",
            year + 1
        )
    };
    let site = TestSite::new()
        .file("content/reports/a.md", &figure(2017, "300 billion"))
        .file("content/reports/b.md", &figure(2018, "360 billion"));
    site.build(&[]).success();
    let page = site.page("cities/weihai/index.html");
    let charts = page.select("figure.chart svg[role=img]");
    // GDP gives its years; Parks has none, so each report's year counts: two charts.
    assert_eq!(charts.len(), 2);
    let title = crate::support::text_of(page.select("figure.chart svg title")[0]);
    assert_eq!(title, "GDP in Weihai: 2017: ¥300 billion, 2018: ¥360 billion");
    assert_eq!(page.texts("figure.chart figcaption"), ["GDP (CNY)", "Parks"]);
    let single = TestSite::new().file("content/reports/a.md", &figure(2017, "300 billion"));
    single.build(&[]).success();
    assert!(single.page("cities/weihai/index.html").select("figure.chart").is_empty(), "one year, no chart");
}

/// One figure of the sortable-table site: what each column must sort by.
struct FigureRow {
    label: &'static str,
    value: f64,
    year: Option<u32>,
    city: &'static str,
    report_date: &'static str,
}

/// Figures whose every column sorts differently from the others, with numbers whose
/// order as text is wrong (9 < 10 < 1.5 million), labels and units whose order by
/// character code is wrong (`Bridges` before `apples`), blank years, cities and units,
/// and reports whose titles sort differently from their dates.
const FIGURE_ROWS: &[FigureRow] = &[
    FigureRow { label: "apples", value: 9.0, year: Some(2018), city: "Weihai", report_date: "2019-03-01" },
    FigureRow { label: "Bridges", value: 10.0, year: None, city: "", report_date: "2019-03-01" },
    FigureRow { label: "cargo", value: 1.5e6, year: Some(2017), city: "Qingdao", report_date: "2019-03-01" },
    FigureRow { label: "Dams", value: 250.0, year: Some(2019), city: "Qingdao", report_date: "2020-06-15" },
    FigureRow { label: "exports", value: 3e9, year: Some(2016), city: "Qingdao", report_date: "2020-06-15" },
    FigureRow { label: "Ferries", value: 0.5, year: None, city: "Tashkent", report_date: "2018-11-20" },
];

const FIGURE_REPORTS: &[(&str, &str)] = &[
    (
        "content/reports/a.md",
        "---\ntitle: Zebra crossings in Weihai\ndate: 2019-03-01\ncities: [Weihai, Qingdao]\nfigures:\n\
         \x20 - { label: apples, value: 9, unit: tonnes, year: 2018, city: Weihai }\n\
         \x20 - { label: Bridges, value: 10 }\n\
         \x20 - { label: cargo, value: 1.5 million, unit: USD, year: 2017, city: Qingdao }\n---\nText.\n",
    ),
    (
        "content/reports/b.md",
        "---\ntitle: Apricots in Qingdao\ndate: 2020-06-15\ncities: [Qingdao]\nfigures:\n\
         \x20 - { label: Dams, value: 250, unit: km, year: 2019 }\n\
         \x20 - { label: exports, value: 3 billion, unit: CNY, year: 2016 }\n---\nText.\n",
    ),
    (
        "content/reports/c.md",
        "---\ntitle: Meetings in Tashkent\ndate: 2018-11-20\ncities: [Tashkent]\nfigures:\n\
         \x20 - { label: Ferries, value: 0.5, unit: Ha }\n---\nText.\n",
    ),
];

/// The order a reader expects from a click on column `column`: numbers by value, dates
/// by date, text alphabetically whatever the case; blanks first.
/// The year a figure is shown with: its own, else its report's.
fn shown_year(row: &FigureRow) -> u32 {
    row.year.unwrap_or_else(|| row.report_date[..4].parse().unwrap())
}

fn figure_order(row: &FigureRow, column: usize) -> (f64, String) {
    let text = |t: &str| (0.0, t.to_lowercase());
    match column {
        0 => text(row.label),
        1 => (row.value, String::new()),
        2 => (f64::from(shown_year(row)), String::new()),
        3 => text(row.city),
        4 => text(row.report_date),
        _ => unreachable!("five columns"),
    }
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver: apt-get install -y chromium chromium-driver")]
fn the_figures_page_reads_on_a_phone_and_stays_in_the_column_on_a_desktop() {
    let browser = crate::webdriver::Browser::start();
    let site = TestSite::example();
    site.build(&["--offline"]).success();
    let url = format!("file://{}", site.output().join("figures/index.html").display());
    // A phone: nothing is wider than the screen, and every row shows its figure, value,
    // year and city inside it.
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    );
    browser.goto(&url);
    // (Not window.innerWidth: a mobile browser widens its layout to hold a page too wide.)
    let screen = 390.0;
    let overflow = "return [document.documentElement.scrollWidth, \
                    Math.max(...Array.from(document.querySelectorAll('table.figures tbody td:nth-child(-n+4)')) \
                    .map(c => c.getBoundingClientRect().right))];";
    let [page_width, rightmost]: [f64; 2] = serde_json::from_value(browser.eval(overflow)).unwrap();
    assert!(page_width <= screen, "the page scrolls sideways: {page_width} px on a {screen} px screen");
    assert!(rightmost <= screen, "a figure, value, year or city ends at {rightmost} px on a {screen} px screen");
    // A desktop: the table keeps to the column of the text above it.
    browser.cdp("Emulation.clearDeviceMetricsOverride", serde_json::json!({}));
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 1600, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
    browser.goto(&url);
    let edges = "const column = document.querySelector('main h1').getBoundingClientRect(); \
                 const table = document.querySelector('table.figures').getBoundingClientRect(); \
                 return [column.left, table.left, document.querySelector('main').getBoundingClientRect().right, table.right];";
    let [column_left, table_left, column_right, table_right]: [f64; 4] =
        serde_json::from_value(browser.eval(edges)).unwrap();
    assert!(
        table_left >= column_left - 1.0 && table_right <= column_right + 1.0,
        "the table leaves the column: {table_left}..{table_right} in {column_left}..{column_right}"
    );
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_figures_table_sorts_by_any_column_in_a_browser() {
    let browser = crate::webdriver::Browser::start();
    let site = FIGURE_REPORTS.iter().fold(TestSite::new(), |site, (path, text)| site.file(path, text));
    site.build(&["--offline"]).success();
    browser.goto(&format!("file://{}", site.output().join("figures/index.html").display()));
    let headers = "table.figures thead th";
    assert!(browser.wait_until(
        &format!("return document.querySelectorAll('{headers} button.sort').length === 5;"),
        std::time::Duration::from_secs(10)
    ));
    let read_rows = "return Array.from(document.querySelectorAll('table.figures tbody tr')) \
                     .map(r => Array.from(r.cells).map(c => c.textContent.trim()));";
    let rows = |browser: &crate::webdriver::Browser| -> Vec<Vec<String>> {
        serde_json::from_value(browser.eval(read_rows)).unwrap()
    };
    let unsorted = rows(&browser);
    let mut cells_of: Vec<Vec<String>> = unsorted.clone();
    cells_of.sort();
    // The table shows each figure with its value (the unit in it, no unit column), its
    // year (the report's where the figure has none) and its city.
    for row in FIGURE_ROWS {
        let shown = unsorted.iter().find(|cells| cells[0] == row.label).unwrap_or_else(|| panic!("{}", row.label));
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert_eq!([&shown[2], &shown[3]], [&shown_year(row).to_string(), row.city], "{}", row.label);
    }
    assert_eq!(unsorted.len(), FIGURE_ROWS.len());

    for column in 0..5 {
        for direction in ["ascending", "descending"] {
            browser.eval(&format!(
                "document.querySelectorAll('{headers}')[{column}].querySelector('button').click(); return true;"
            ));
            let sorted = rows(&browser);
            let mut same_cells = sorted.clone();
            same_cells.sort();
            assert_eq!(same_cells, cells_of, "column {column} {direction}: rows changed, not only their order");
            let keys: Vec<(f64, String)> = sorted
                .iter()
                .map(|cells| figure_order(FIGURE_ROWS.iter().find(|r| r.label == cells[0]).unwrap(), column))
                .collect();
            let in_order = keys.windows(2).all(|w| match direction {
                "ascending" => w[0] <= w[1],
                _ => w[0] >= w[1],
            });
            let labels: Vec<&String> = sorted.iter().map(|cells| &cells[0]).collect();
            assert!(in_order, "column {column} {direction}: {labels:?}");
            let marks: Vec<Option<String>> = serde_json::from_value(browser.eval(&format!(
                "return Array.from(document.querySelectorAll('{headers}')).map(th => th.getAttribute('aria-sort'));"
            )))
            .unwrap();
            let expected: Vec<Option<String>> = (0..5).map(|c| (c == column).then(|| direction.to_string())).collect();
            assert_eq!(marks, expected, "column {column} {direction}: aria-sort");
        }
    }
}
