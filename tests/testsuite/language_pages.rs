//! Pages per language (SPEC §6, issue #19 item 3): a site with `languages:` publishes every
//! page of each other language under its folder with the same slugs, with the words of the
//! translations on the original's facts, and leads from each page to its other languages.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Page, TestSite};

const WEIHAI: &str = "---\ntitle: Talks in Weihai\ndate: 2019-04-02\nend_date: 2019-04-03\ncities: [Weihai]\n\
officials:\n  - name: Vladimir Norov\n    role: Secretary-General\nfigures:\n  - label: Trade\n    \
value: 5.8 billion\n    unit: USD\n    qualifier: over\n  - label: Companies\n    value: 396\n    unit: companies\n\
topics: [Trade]\n---\nVladimir Norov met the delegation in Weihai. \
See [the forum](@/reports/forum.md) and [about](@/about.md).\n";

const WEIHAI_RU: &str = "---\ntitle: Переговоры в Вэйхае\nslug: peregovory\nofficials:\n  - name: Vladimir Norov\n    \
role: Генеральный секретарь\nfigures:\n  - label: Товарооборот\n    value: 5.8 billion\n    unit: USD\n  \
- label: Компании\n    value: 396\n    unit: компаний\ntopics: [Торговля]\n---\nВладимир Норов встретился с делегацией. См. [форум](@/reports/forum.md) и [о нас](@/about.md).\n";

/// English, Russian and Chinese: one report in all three, one in English only (naming a
/// person no translation names), and an About page in English and Russian.
pub(crate) fn trilingual() -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            "title: Reports\nlanguage: en\nbase_url: https://example.org/\nlanguages:\n  \
             ru: { title: Доклады, description: Визиты и встречи }\n  zh: { title: 报告 }\n",
        )
        .file(
            "data/people.yaml",
            "- name: Vladimir Norov\n  names: { ru: Владимир Норов, zh: 弗拉基米尔·诺罗夫 }\n  \
             bio: { en: A diplomat., ru: Дипломат. }\n",
        )
        .file("data/cities.yaml", "- name: Weihai\n  names: { ru: Вэйхай, zh: 威海 }\n  country: China\n")
        .file("content/reports/weihai.md", WEIHAI)
        .file("content/reports/weihai.ru.md", WEIHAI_RU)
        .file("content/reports/weihai.zh.md", "---\ntitle: 威海会谈\n---\n弗拉基米尔·诺罗夫在威海会见了代表团。\n")
        .file(
            "content/reports/forum.md",
            "---\ntitle: Forum\ndate: 2019-01-10\ncities: [Tashkent]\nofficials: [Sherali Jonon]\n---\nA forum.\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\nAbout us.\n")
        .file("content/about.ru.md", "---\ntitle: О нас\n---\nО нас.\n")
}

fn built() -> TestSite {
    let site = trilingual();
    site.build(&[]).success();
    site
}

#[test]
fn each_language_has_its_pages_under_its_folder_with_the_same_entity_slugs() {
    let site = built();
    for page in [
        "ru/index.html",
        "ru/reports/peregovory/index.html",
        "ru/people/index.html",
        "ru/people/vladimir-norov/index.html",
        "ru/cities/weihai/index.html",
        "ru/countries/china/index.html",
        "ru/topics/trade/index.html",
        "ru/figures/index.html",
        "ru/about/index.html",
        "ru/search/index.html",
        "zh/reports/weihai/index.html",
        "zh/people/vladimir-norov/index.html",
    ] {
        assert!(site.has(page), "{page} is missing: {:?}", site.html_files());
    }
    // What no Russian report names has no Russian page; Chinese has no About page.
    for absent in ["ru/reports/forum/index.html", "ru/people/sherali-jonon/index.html", "ru/cities/tashkent/index.html"]
    {
        assert!(!site.has(absent), "{absent} exists though nothing in Russian names it");
    }
    assert!(!site.has("zh/about/index.html"));
    // The default language's pages are where they always were, all of them.
    for page in
        ["index.html", "reports/weihai/index.html", "reports/forum/index.html", "people/sherali-jonon/index.html"]
    {
        assert!(site.has(page), "{page} is missing");
    }
    let ru_home = site.page("ru/index.html");
    let listed: Vec<String> = ru_home.texts(".report-list .report-title");
    assert_eq!(listed, ["Переговоры в Вэйхае"], "the Russian home lists the Russian reports only");
}

#[test]
fn a_page_speaks_its_language_with_the_original_facts() {
    let site = built();
    let page = site.page("ru/reports/peregovory/index.html");
    let html = page.select("html")[0];
    assert_eq!(html.attr("lang"), Some("ru"));
    assert_eq!(page.text("h1"), "Переговоры в Вэйхае");
    assert_eq!(page.text(".site-title"), "Доклады");
    assert_eq!(page.text(".meta time"), "2–3 апреля 2019 г.");
    assert_eq!(page.texts(".officials .name"), ["Владимир Норов"]);
    assert_eq!(page.texts(".officials .role"), ["Генеральный секретарь"]);
    assert_eq!(page.texts(".cities .name"), ["Вэйхай"]);
    assert_eq!(page.texts(".topics a"), ["Торговля"]);
    assert_eq!(page.texts(".figures tbody td:first-child"), ["Товарооборот", "Компании"]);
    // CLDR's Russian: a comma for the decimals, the short magnitude, the symbol after.
    let amount: String = page.select(".figures tbody td.num")[0].text().collect();
    assert_eq!(amount, "более 5,8\u{a0}млрд\u{a0}$");
    assert_eq!(page.texts(".figures tbody td.num")[1], "396 компаний", "a unit word in the translation's words");
    assert_eq!(page.text(".site-nav a[aria-current]"), "Доклады", "the theme's own words are Russian");
    // Links stay within the language; the person page is Russian too.
    assert_eq!(page.follow(".officials", "Владимир Норов"), "ru/people/vladimir-norov/index.html");
    let person = site.page("ru/people/vladimir-norov/index.html");
    assert_eq!(person.text("h1"), "Владимир Норов");
    assert_eq!(person.text(".body"), "Дипломат.");
    assert_eq!(person.texts(".timeline .when"), ["апрель 2019 г."], "the role's month in Russian");
    assert_eq!(page.target(&page.attrs("link[rel=stylesheet]", "href")[0]), "assets/style.css");
    assert!(site.has("assets/style.css") && !site.has("ru/assets/style.css"), "static files are shared");
    let zh = site.page("zh/reports/weihai/index.html");
    assert_eq!(zh.text(".meta time"), "2019年4月2日–3日");
    assert_eq!(zh.texts(".officials .name"), ["弗拉基米尔·诺罗夫"]);
    assert_eq!(zh.texts(".officials .role"), ["Secretary-General"], "a role not translated stays the original's");
    assert_eq!(zh.texts(".figures tbody td.num"), ["超过US$58亿", "396 companies"], "not translated: the original's");
    let english = site.page("reports/weihai/index.html");
    assert_eq!(english.texts(".figures tbody td.num"), ["over $5.8 billion", "396 companies"]);
}

#[test]
fn body_links_and_autolinks_follow_the_page_language() {
    let site = built();
    let page = site.page("ru/reports/peregovory/index.html");
    assert_eq!(page.follow(".body", "Владимир Норов"), "ru/people/vladimir-norov/index.html", "autolink by names.ru");
    assert_eq!(page.follow(".body", "о нас"), "ru/about/index.html", "a translated page: the Russian one");
    assert_eq!(page.follow(".body", "форум"), "reports/forum/index.html", "not translated: the original");
    let zh = site.page("zh/reports/weihai/index.html");
    assert_eq!(zh.follow(".body", "弗拉基米尔·诺罗夫"), "zh/people/vladimir-norov/index.html");
}

/// (hreflang, href) of every `<link rel="alternate" hreflang>` on `page`.
fn alternates(page: &Page) -> Vec<(String, String)> {
    (page.select("link[rel=alternate][hreflang]").into_iter())
        .map(|l| (l.attr("hreflang").unwrap().to_string(), l.attr("href").unwrap().to_string()))
        .collect()
}

/// The language switcher of `page`: language code -> the output file its link leads to.
fn switcher(page: &Page) -> BTreeMap<String, String> {
    (page.select(".language-switcher a").into_iter())
        .map(|a| (a.attr("lang").unwrap().to_string(), page.target(a.attr("href").unwrap())))
        .collect()
}

#[test]
fn every_page_links_to_itself_in_the_other_languages() {
    let site = built();
    let expected = [
        ("en", "https://example.org/reports/weihai/"),
        ("ru", "https://example.org/ru/reports/peregovory/"),
        ("zh", "https://example.org/zh/reports/weihai/"),
        ("x-default", "https://example.org/reports/weihai/"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    for page in ["reports/weihai/index.html", "ru/reports/peregovory/index.html", "zh/reports/weihai/index.html"] {
        assert_eq!(alternates(&site.page(page)), expected, "{page}");
    }
    assert_eq!(alternates(&site.page("reports/forum/index.html")), Vec::new(), "in one language only: none");
    let ru = switcher(&site.page("ru/reports/peregovory/index.html"));
    assert_eq!(ru["en"], "reports/weihai/index.html");
    assert_eq!(ru["zh"], "zh/reports/weihai/index.html");
    assert_eq!(ru["ru"], "ru/reports/peregovory/index.html");
    let names = site.page("ru/index.html").texts(".language-switcher a");
    assert_eq!(names, ["English", "Русский", "中文"]);
    // Where the page is not translated, the switcher leads to that language's home.
    let forum = switcher(&site.page("reports/forum/index.html"));
    assert_eq!((forum["ru"].as_str(), forum["zh"].as_str()), ("ru/index.html", "zh/index.html"));
    let about = switcher(&site.page("about/index.html"));
    assert_eq!((about["ru"].as_str(), about["zh"].as_str()), ("ru/about/index.html", "zh/index.html"));
    // Every switcher link of every page leads to a page that exists.
    for file in site.html_files() {
        for target in switcher(&site.page(&file)).values() {
            assert!(site.has(target), "{file}: the switcher leads to missing {target}");
        }
    }
}

#[test]
fn feeds_sitemaps_structured_data_and_exports_carry_the_language() {
    let site = built();
    let sitemap = site.read("output/ru/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let url = (doc.descendants().filter(|n| n.has_tag_name("url")))
        .find(|u| {
            u.descendants()
                .any(|n| n.has_tag_name("loc") && n.text() == Some("https://example.org/ru/reports/peregovory/"))
        })
        .expect("the Russian report in the Russian sitemap");
    let links: Vec<(&str, &str)> =
        (url.children().filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link"))))
            .map(|l| (l.attribute("hreflang").unwrap(), l.attribute("href").unwrap()))
            .collect();
    assert_eq!(links.len(), 3, "{links:?}");
    assert!(links.contains(&("en", "https://example.org/reports/weihai/")), "{links:?}");
    let robots = site.read("output/robots.txt");
    for map in
        ["https://example.org/sitemap.xml", "https://example.org/ru/sitemap.xml", "https://example.org/zh/sitemap.xml"]
    {
        assert!(robots.lines().any(|l| l == format!("Sitemap: {map}")), "{robots}");
    }
    assert!(!site.has("ru/robots.txt"));

    let feed = site.read("output/ru/feed.xml");
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = (feed.descendants().filter(|n| n.has_tag_name("entry")))
        .flat_map(|e| e.children().filter(|n| n.has_tag_name("title")).filter_map(|t| t.text()))
        .collect();
    assert_eq!(titles, ["Переговоры в Вэйхае"]);

    let page = site.page("ru/reports/peregovory/index.html");
    let json_ld: Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(json_ld["inLanguage"], "ru");
    assert_eq!(json_ld["url"], "https://example.org/ru/reports/peregovory/");

    let records: Value = serde_json::from_str(&site.read("output/ru/data/reports.json")).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 1);
    assert_eq!(records[0]["language"], "ru");
    assert_eq!(records[0]["path"], "ru/reports/peregovory/");
    let english: Value = serde_json::from_str(&site.read("output/data/reports.json")).unwrap();
    assert!(english.as_array().unwrap().iter().all(|r| r["language"] == "en"));
    let csv = site.read("output/ru/data/figures.csv");
    assert_eq!(csv.lines().next(), Some("report,date,city,label,value,unit,qualifier,year,language"));
    assert!(csv.lines().nth(1).unwrap().ends_with(",ru"), "{csv}");
}

#[test]
fn a_translation_may_translate_a_unit_word_but_not_a_currency() {
    let run = trilingual().file("content/reports/weihai.ru.md", &WEIHAI_RU.replace("unit: USD", "unit: CNY")).check();
    run.stderr_has("content/reports/weihai.ru.md:8:12: error: \"Товарооборот\" differs from the original's figure");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let words = WEIHAI_RU.replace("unit: компаний", "unit: \"%\"");
    let run = trilingual().file("content/reports/weihai.ru.md", &words).check();
    run.stderr_has("content/reports/weihai.ru.md:11:12: error: \"Компании\" differs from the original's figure");
}

#[test]
fn a_broken_link_in_a_translation_is_reported_at_the_translation() {
    let site =
        trilingual().file("content/reports/weihai.zh.md", "---\ntitle: 威海会谈\n---\n见[缺](@/reports/none.md)。\n");
    let run = site.build(&[]);
    run.stderr_has("content/reports/weihai.zh.md:4");
}

/// How many pages the `rebuilt N pages, ...` lines of a serve log name together (one
/// save may come as more than one batch).
fn pages_rebuilt(log: &str) -> usize {
    let lines: Vec<&str> = log.lines().filter(|l| l.starts_with("rebuilt ")).collect();
    assert!(!lines.is_empty(), "no rebuild in:\n{log}");
    lines.iter().map(|l| l.split(' ').nth(1).unwrap().parse::<usize>().unwrap()).sum()
}

#[test]
fn serve_keeps_every_language_equal_to_a_build_and_renders_only_what_an_edit_touches() {
    use crate::serve::{assert_serves_a_fresh_build, assert_serves_a_fresh_build_but_its_index};
    use crate::server::Server;
    use std::collections::BTreeSet;

    let site = trilingual()
        .file("site.yaml", "title: Reports\nlanguage: en\nlanguages:\n  ru: { title: Доклады }\n  zh: {}\n");
    let server = Server::start(site.root(), &[]);
    let mut seen = assert_serves_a_fresh_build(&server, &site, &BTreeSet::new());
    let all_pages = seen.iter().filter(|p| p.ends_with(".html")).count();
    let russian_pages = seen.iter().filter(|p| p.starts_with("ru/") && p.ends_with(".html")).count();
    let chinese_pages = seen.iter().filter(|p| p.starts_with("zh/") && p.ends_with(".html")).count();
    let mut step = |name: &str, edit: &dyn Fn()| {
        let log = server.after(edit);
        assert!(!log.contains("rebuild failed"), "step {name} failed:\n{log}");
        seen.extend(assert_serves_a_fresh_build_but_its_index(&server, &site, &seen));
        pages_rebuilt(&log)
    };
    let retitled = step("a translation's title", &|| {
        site.write("content/reports/weihai.ru.md", &WEIHAI_RU.replace("Переговоры в Вэйхае", "Встреча в Вэйхае"))
    });
    // Russian pages only (in so small a site, each of them shows the report or a list).
    assert!(retitled <= russian_pages, "a Russian title rendered {retitled} pages, {russian_pages} are Russian");
    let added =
        step("a new translation", &|| site.write("content/about.zh.md", "---\ntitle: 关于我们\n---\n关于我们。\n"));
    // Every Chinese page (their menu lists it), and the page in English and Russian
    // (their switchers lead to it now); no other page links to the other languages anew.
    assert_eq!(added, chinese_pages + 1 + 2, "a new translation rendered {added} of {all_pages} pages");
    let moved = step("a translation's slug", &|| {
        site.write(
            "content/reports/weihai.ru.md",
            &site.read("content/reports/weihai.ru.md").replace("slug: peregovory", "slug: vstrecha"),
        )
    });
    assert_eq!(server.get("/ru/reports/peregovory/").status, 404, "the Russian page left its old address");
    // The report's page in English and Chinese leads to its new Russian address; pages
    // that show the report in Russian (lists, entity pages) link to it anew.
    assert!(moved < all_pages, "a Russian slug rendered {moved} of {all_pages} pages");
    step("a translation's body", &|| {
        let text = site.read("content/reports/weihai.ru.md").replace("встретился с делегацией", "принял делегацию");
        site.write("content/reports/weihai.ru.md", &text)
    });
    step("a fact of a translated original", &|| {
        site.write(
            "content/reports/weihai.md",
            &WEIHAI.replace("role: Secretary-General", "role: SCO Secretary-General"),
        )
    });
    step("a translation removed", &|| std::fs::remove_file(site.path("content/reports/weihai.zh.md")).unwrap());
    assert_eq!(server.get("/zh/reports/weihai/").status, 404, "the removed translation's page is gone");
    let languages = step("a language added in site.yaml", &|| {
        let config = site.read("site.yaml").replace("  zh: {}\n", "  zh: {}\n  fa: {}\n");
        site.write("site.yaml", &config)
    });
    assert_eq!(server.get("/fa/").status, 200, "the new language's home page is served");
    assert!(languages > all_pages, "a new language changes every page's switcher: {languages} pages rendered");
    step("a registry name in a language", &|| {
        let people = site.read("data/people.yaml").replace("Владимир Норов", "В. Норов");
        site.write("data/people.yaml", &people);
    });
    // Once the author pauses, every language's search index too.
    assert_serves_a_fresh_build(&server, &site, &seen);
}

#[test]
fn a_warning_about_every_language_is_given_once_and_counted_once() {
    let site = trilingual().file("site.yaml", "title: Reports\nlanguage: en\nlanguages:\n  ru: {}\n  zh: {}\n");
    let run = site.check();
    let said = run.stderr.lines().filter(|l| l.contains("base_url is not set")).count();
    assert_eq!(said, 1, "{}", run.stderr);
    let shown = run.stderr.lines().filter(|l| l.contains(": warning: ")).count();
    let counted = run.stderr.lines().find_map(|l| l.strip_suffix(" warnings").or_else(|| l.strip_suffix(" warning")));
    assert_eq!(counted.map(|n| n.trim().parse::<usize>().unwrap()), Some(shown), "{}", run.stderr);
}
