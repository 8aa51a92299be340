//! Search in a site of several languages (issue #19 items 4 and 10), in headless Chromium
//! against a static server: each language's search page searches its own index
//! (`<lang>/pagefind/`) and writes its status messages in the page's language, counts in
//! their CLDR plural form (the minimal theme's, Pagefind's interface, in Pagefind's
//! translations); the language switcher of both shipped themes leads to the same page in
//! the other language, or to that language's home. Chinese is searched by words inside
//! runs of characters, which its index holds segmented.

use std::time::Duration;

use serde::Deserialize;

use crate::language_pages::trilingual;
use crate::static_server::StaticServer;
use crate::support::TestSite;
use crate::webdriver::Browser;

const WAIT: Duration = Duration::from_secs(20);

/// What the search page shows: its status line and each listed result.
#[derive(Debug, Deserialize)]
struct Shown {
    status: String,
    results: Vec<Listed>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Listed {
    title: String,
    /// The result link's address, as the page resolves it.
    path: String,
}

const SHOWN: &str = "return { status: document.getElementById('search-status').textContent, \
    results: Array.from(document.querySelectorAll('#search-results .result-title')).map(a => \
    ({ title: a.textContent, path: new URL(a.href).pathname })) };";

fn shown(browser: &Browser) -> Shown {
    serde_json::from_value(browser.eval(SHOWN)).expect("the search page's state")
}

/// Types `query` into the search box as a visitor would, once the index is loaded (the
/// type filter has its choices).
fn type_query(browser: &Browser, query: &str) {
    let ready = "return !!document.querySelector('#search-filter-type option:not([value=\"\"])');";
    assert!(browser.wait_until(ready, WAIT), "the search index never loaded: {:?}", shown(browser));
    let script = format!(
        "var i = document.getElementById('search-q'); i.value = {}; \
         i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;",
        serde_json::to_string(query).unwrap()
    );
    browser.eval(&script);
}

/// Waits until the page shows what `done` accepts; the last state seen is the panic.
fn wait_for(browser: &Browser, done: impl Fn(&Shown) -> bool) -> Shown {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let now = shown(browser);
        if done(&now) {
            return now;
        }
        assert!(std::time::Instant::now() < deadline, "the search page never showed what was expected: {now:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn titles(shown: &Shown) -> Vec<&str> {
    shown.results.iter().map(|r| r.title.as_str()).collect()
}

/// The Russian count line for `n` results, each CLDR plural category by its own rule.
fn russian_count(n: usize) -> String {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => format!("Найден {n} результат."),
        (2..=4, r) if !(12..=14).contains(&r) => format!("Найдено {n} результата."),
        _ => format!("Найдено {n} результатов."),
    }
}

fn served_trilingual() -> (TestSite, StaticServer) {
    let site = trilingual();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    (site, server)
}

/// The page hands the script each message as text in an attribute, a count's every form
/// of the page's language, and a site's own wording with markup characters in it as it
/// was written (as text, escaped once).
#[test]
fn the_search_page_hands_its_script_the_messages_of_its_language() {
    let site = trilingual().file("i18n/zh.yaml", "search.status.none: '没有 <b>\"结果\"</b> & </p><script>'\n");
    site.build(&[]).success();
    let forms = |page: &str, name: &str| -> Vec<(String, String)> {
        let page = site.page(page);
        let status = page.select("#search-status")[0];
        let prefix = format!("data-{name}-");
        let mut forms: Vec<(String, String)> = (status.value().attrs())
            .filter_map(|(attr, text)| Some((attr.strip_prefix(&prefix)?.to_string(), text.to_string())))
            .collect();
        forms.sort();
        forms
    };
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items.iter().map(|(c, t)| (c.to_string(), t.to_string())).collect()
    };
    assert_eq!(
        forms("ru/search/index.html", "results"),
        pairs(&[
            ("few", "Найдено {count} результата."),
            ("many", "Найдено {count} результатов."),
            ("one", "Найден {count} результат."),
            ("other", "Найдено {count} результата."),
        ])
    );
    assert_eq!(forms("zh/search/index.html", "results"), pairs(&[("other", "找到{count}条结果。")]));
    assert_eq!(
        forms("search/index.html", "results"),
        pairs(&[("one", "{count} result."), ("other", "{count} results.")])
    );
    let zh = site.page("zh/search/index.html");
    assert_eq!(zh.attrs("#search-status", "data-none"), ["没有 <b>\"结果\"</b> & </p><script>"]);
    assert!(zh.select("script").iter().all(|s| s.value().attr("src").is_some()), "a message became a script");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_chinese_search_page_finds_the_chinese_report_and_speaks_chinese() {
    let browser = Browser::start();
    let (_site, server) = served_trilingual();
    browser.goto(&server.url("zh/search/"));
    let prompt = wait_for(&browser, |s| !s.status.is_empty() && !s.status.starts_with("正在"));
    assert_eq!(prompt.status, "输入人名、城市或报告中的任意词语，或选择筛选条件。");

    type_query(&browser, "威海");
    let found = wait_for(&browser, |s| titles(s).contains(&"威海会谈"));
    let report = found.results.iter().find(|r| r.title == "威海会谈").unwrap();
    assert_eq!(report.path, "/zh/reports/weihai/");
    assert!(
        found.results.iter().all(|r| r.path.starts_with("/zh/")),
        "the Chinese index lists pages of another language: {found:?}"
    );
    assert_eq!(found.status, format!("找到{}条结果。", found.results.len()));

    // Chinese has no spaces between words: the index holds them segmented, so a word
    // inside a run of characters is found, and an excerpt reads as the text was written.
    type_query(&browser, "会谈");
    let talks = wait_for(&browser, |s| titles(s).contains(&"威海会谈"));
    assert_eq!(talks.results.iter().find(|r| r.title == "威海会谈").unwrap().path, "/zh/reports/weihai/");
    let excerpts: Vec<String> = serde_json::from_value(browser.eval(
        "return Array.from(document.querySelectorAll('#search-results .result-excerpt')).map(p => p.textContent);",
    ))
    .unwrap();
    assert!(excerpts.iter().any(|e| e.contains("威海会谈")), "no excerpt reads 威海会谈 as written: {excerpts:?}");
    assert!(excerpts.iter().all(|e| !e.contains('\u{200B}')), "a zero-width space shows: {excerpts:?}");
    type_query(&browser, "诺罗夫");
    let norov = wait_for(&browser, |s| titles(s).contains(&"弗拉基米尔·诺罗夫") && titles(s).contains(&"威海会谈"));
    let paths: Vec<&str> = norov.results.iter().map(|r| r.path.as_str()).collect();
    assert!(paths.contains(&"/zh/people/vladimir-norov/") && paths.contains(&"/zh/reports/weihai/"), "{norov:?}");

    type_query(&browser, "不存在的词语");
    let none =
        wait_for(&browser, |s| s.results.is_empty() && s.status != found.status && !s.status.starts_with("正在"));
    assert_eq!(none.status, "未找到结果。");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_russian_search_page_finds_the_russian_report_and_person_and_speaks_russian() {
    let browser = Browser::start();
    let (_site, server) = served_trilingual();
    browser.goto(&server.url("ru/search/"));
    type_query(&browser, "Норов");
    let found =
        wait_for(&browser, |s| titles(s).contains(&"Переговоры в Вэйхае") && titles(s).contains(&"Владимир Норов"));
    let paths: Vec<&str> = found.results.iter().map(|r| r.path.as_str()).collect();
    assert!(paths.contains(&"/ru/reports/peregovory/"), "{found:?}");
    assert!(paths.contains(&"/ru/people/vladimir-norov/"), "{found:?}");
    assert!(
        paths.iter().all(|p| p.starts_with("/ru/")),
        "the Russian index lists pages of another language: {found:?}"
    );
    assert_eq!(found.status, russian_count(found.results.len()));
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_english_search_page_reads_as_before() {
    let browser = Browser::start();
    let (_site, server) = served_trilingual();
    browser.goto(&server.url("search/"));
    let prompt = wait_for(&browser, |s| s.status.starts_with("Type"));
    assert_eq!(prompt.status, "Type a name, a city or any word from the reports, or choose a filter.");
    type_query(&browser, "Tashkent");
    let found = wait_for(&browser, |s| titles(s).contains(&"Forum"));
    let expected = match found.results.len() {
        1 => "1 result.".to_string(),
        n => format!("{n} results."),
    };
    assert_eq!(found.status, expected);
    assert!(found.results.iter().all(|r| !r.path.starts_with("/ru/") && !r.path.starts_with("/zh/")), "{found:?}");
}

/// A Russian site of 51 reports that all name one word: more than the 50 the page lists,
/// and 51 takes the Russian `one` form, as 1 does.
#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn more_results_than_listed_are_counted_in_the_plural_form_of_their_number() {
    let browser = Browser::start();
    let mut site = TestSite::new().file("site.yaml", "title: Доклады\nlanguage: ru\n");
    for n in 1..=51 {
        site = site.file(
            &format!("content/reports/visit-{n}.md"),
            &format!("---\ntitle: Визит {n}\ndate: 2020-01-{:02}\n---\nДелегация посетила порт.\n", n % 28 + 1),
        );
    }
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("search/"));
    type_query(&browser, "делегация");
    let found = wait_for(&browser, |s| s.results.len() == 50);
    assert_eq!(found.status, "Найден 51 результат, показаны первые 50. Уточните запрос или выберите фильтр.");
}

/// The messages of a page that cannot search: opened from disk, or with its index missing.
#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn a_search_page_that_cannot_search_says_why_in_its_language() {
    let browser = Browser::start();
    let (site, server) = served_trilingual();
    browser.goto(&format!("file://{}", site.output().join("ru/search/index.html").display()));
    let from_disk = wait_for(&browser, |s| !s.status.is_empty());
    assert!(from_disk.status.starts_with("Поиск работает, только когда сайт открыт через веб-сервер"), "{from_disk:?}");

    std::fs::remove_file(site.output().join("zh/pagefind/pagefind.js")).unwrap();
    browser.goto(&server.url("zh/search/"));
    let broken = wait_for(&browser, |s| !s.status.is_empty() && !s.status.starts_with("正在"));
    assert!(broken.status.starts_with("无法加载搜索索引。"), "{broken:?}");
    let disabled = browser.eval("return document.getElementById('search-q').disabled;");
    assert_eq!(disabled, true, "the search box still looks usable");
}

/// Clicks the switcher link (`switcher`, a CSS selector of the theme's switcher links) for
/// `lang` and returns the path and `<html lang>` of the page it leads to.
fn switch(browser: &Browser, switcher: &str, lang: &str) -> (String, String) {
    let before = browser.eval("return location.pathname;");
    let link = format!("{switcher}[lang=\"{lang}\"]");
    let clicked = browser.eval(&format!(
        "var a = document.querySelector({}); if (!a) return false; a.click(); return true;",
        serde_json::to_string(&link).unwrap()
    ));
    assert_eq!(clicked, true, "no switcher link {link} on {before}");
    let moved = format!("return location.pathname !== {before} && document.readyState === 'complete';");
    assert!(browser.wait_until(&moved, WAIT), "the {lang} link of {before} led nowhere");
    let at: (String, String) = serde_json::from_value(
        browser.eval("return [location.pathname, document.documentElement.getAttribute('lang')];"),
    )
    .unwrap();
    at
}

fn check_switcher(site: TestSite, switcher: &str) {
    let browser = Browser::start();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("ru/reports/peregovory/"));
    assert_eq!(switch(&browser, switcher, "zh"), ("/zh/reports/weihai/".to_string(), "zh".to_string()));
    browser.goto(&server.url("reports/forum/"));
    assert_eq!(switch(&browser, switcher, "ru"), ("/ru/".to_string(), "ru".to_string()), "forum is English only");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_default_themes_switcher_leads_to_the_page_in_the_other_language() {
    check_switcher(trilingual(), ".language-switcher a");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_minimal_themes_switcher_leads_to_the_page_in_the_other_language() {
    check_switcher(trilingual_minimal(), "nav.languages a");
}

/// The trilingual site with `themes/minimal`.
fn trilingual_minimal() -> TestSite {
    let site = trilingual();
    site.use_minimal_theme();
    site
}

/// The minimal theme's search page (Pagefind's ready-made interface) searches the index
/// of its language and speaks it, in Pagefind's own translations.
#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_minimal_themes_search_page_searches_its_language() {
    let browser = Browser::start();
    let site = trilingual_minimal();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("ru/search/"));
    assert!(browser.wait_until("return !!document.querySelector('.pagefind-ui__search-input');", WAIT));
    browser.eval(
        "var i = document.querySelector('.pagefind-ui__search-input'); i.value = 'Норов'; \
         i.dispatchEvent(new Event('input', { bubbles: true })); return true;",
    );
    let listed = "return Array.from(document.querySelectorAll('.pagefind-ui__result-link')).map(a => \
        [a.textContent, new URL(a.href).pathname]).sort();";
    let expected = serde_json::json!([
        ["Владимир Норов", "/ru/people/vladimir-norov/"],
        ["Переговоры в Вэйхае", "/ru/reports/peregovory/"]
    ]);
    let deadline = std::time::Instant::now() + WAIT;
    while browser.eval(listed) != expected {
        assert!(std::time::Instant::now() < deadline, "listed: {}", browser.eval(listed));
        std::thread::sleep(Duration::from_millis(100));
    }
    let message = browser.eval("return document.querySelector('.pagefind-ui__message').textContent;");
    let message = message.as_str().unwrap();
    assert!(message.contains("Норов") && !message.contains("results"), "not Pagefind's Russian: {message}");
}
