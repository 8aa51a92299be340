//! The theme's words in the site's language (SPEC §6, docs/themes.md §6.4): the built-in
//! theme's `i18n/<code>.yaml` through `t`, Russian plural forms, a site's own
//! `i18n/<code>.yaml` overriding keys, warnings and the English text for missing keys, an
//! error at the template line for a key no language has.

use crate::support::{Page, TestSite};

/// The example site in one language, its `language:` set to `code`.
fn example_in(code: &str) -> TestSite {
    let site = TestSite::example_in_one_language();
    site.write("site.yaml", &site.read("site.yaml").replace("language: en", &format!("language: {code}")));
    site
}

fn main_navigation(page: &Page) -> Vec<String> {
    page.texts(".site-nav a")
}

const REPORT_PAGE: &str = "reports/weihai-city-committee/index.html";

#[test]
fn a_russian_site_shows_the_theme_in_russian() {
    let site = example_in("ru");
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning"), "the built-in Russian strings lack keys:\n{}", run.stderr);
    let home = site.page("index.html");
    // The sections, then the plain pages (the example's About page is in English).
    assert_eq!(main_navigation(&home), ["Доклады", "Персоны", "Города", "Страны", "Темы", "Показатели", "About"]);
    assert_eq!(home.text("main h1"), "Последние доклады");
    assert_eq!(home.attrs("#site-search-q", "placeholder"), ["Имена, города, слова"]);
    let report = site.page(REPORT_PAGE);
    assert_eq!(report.text("#officials-h"), "Официальные лица");
    assert_eq!(report.text("#figures-h"), "Показатели");
    assert_eq!(site.page("people/index.html").text("main h1"), "Персоны");
    assert_eq!(site.page("404.html").text("main h1"), "Страница не найдена");
    // A markup message: its own link is a link, the address given to it is escaped once.
    let not_found = site.page("404.html");
    assert_eq!(not_found.texts("main p a"), ["последним докладам", "персон", "городов"]);
}

#[test]
fn a_chinese_site_shows_the_theme_in_chinese() {
    let site = example_in("zh");
    site.build(&[]).success();
    let home = site.page("index.html");
    assert_eq!(main_navigation(&home), ["报告", "人物", "城市", "国家", "主题", "数据", "About"]);
    assert_eq!(site.page("people/index.html").text("p.lead"), "2份报告中提及的17人，按字母顺序排列。");
}

/// Five reports: topic `trade` in all five, `energy` in three, `water` in one.
fn site_with_topic_counts(code: &str) -> TestSite {
    let mut site = TestSite::new().file("site.yaml", &format!("title: Counts\nlanguage: {code}\n"));
    for n in 1..=5 {
        let topics = match n {
            1 => "[trade, energy, water]",
            2 | 3 => "[trade, energy]",
            _ => "[trade]",
        };
        site = site.file(
            &format!("content/reports/2020-01-0{n}-visit-{n}.md"),
            &format!("---\ntitle: Visit {n}\ndate: 2020-01-0{n}\ntopics: {topics}\n---\nA visit.\n"),
        );
    }
    site
}

#[test]
fn russian_counts_take_their_plural_forms() {
    let site = site_with_topic_counts("ru");
    site.build(&[]).success();
    let lead = |topic: &str| site.page(&format!("topics/{topic}/index.html")).text("p.lead");
    assert_eq!([lead("water"), lead("energy"), lead("trade")], ["1 доклад", "3 доклада", "5 докладов"]);
    assert_eq!(site.page("topics/index.html").text("p.lead"), "3 темы по алфавиту, с числом докладов.");
}

#[test]
fn english_counts_stay_as_they_were() {
    let site = site_with_topic_counts("en");
    site.build(&[]).success();
    let lead = |topic: &str| site.page(&format!("topics/{topic}/index.html")).text("p.lead");
    assert_eq!([lead("water"), lead("trade")], ["1 report", "5 reports"]);
}

#[test]
fn a_site_string_file_overrides_one_key_of_the_theme() {
    let site = example_in("ru").file("i18n/ru.yaml", "nav.people: Люди\n");
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let home = site.page("index.html");
    assert_eq!(main_navigation(&home)[..3], ["Доклады", "Люди", "Города"]);
}

#[test]
fn a_key_missing_in_the_language_warns_and_shows_the_english_text() {
    let site = example_in("uk").file("i18n/uk.yaml", "nav.people: Особи\n");
    let run = site.build(&[]).success();
    run.stderr_has("i18n/uk.yaml: warning: no text for \"nav.reports\" in language \"uk\"");
    let home = site.page("index.html");
    assert_eq!(main_navigation(&home)[..3], ["Reports", "Особи", "Cities"]);
}

#[test]
fn a_language_without_strings_warns_once_and_speaks_english() {
    let site = example_in("fa");
    let run = site.build(&[]).success();
    run.stderr_has("warning: the theme has no strings for language \"fa\"");
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert_eq!(main_navigation(&site.page("index.html"))[0], "Reports");
}

#[test]
fn a_key_no_language_has_is_an_error_at_its_template_line() {
    let site = example_in("ru").file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ t(key=\"no.such.key\") }}{% endblock content %}\n",
    );
    let run = site.build(&[]).exit(1);
    run.stderr_has("templates/page.html:2:");
    run.stderr_has("no text for \"no.such.key\"");
}

#[test]
fn a_broken_site_string_file_is_an_error_at_its_line() {
    let site = example_in("ru").file("i18n/ru.yaml", "nav.people: Люди\ncount.reports: { one: \"{count} доклад\" }\n");
    let run = site.build(&[]).exit(1);
    run.stderr_has("i18n/ru.yaml:2:1: error: \"count.reports\": a text with plural forms needs an `other` form");
}

#[test]
fn the_minimal_theme_speaks_russian_too() {
    let site = example_in("ru");
    site.use_minimal_theme();
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning: no text"), "the minimal theme's Russian strings lack keys:\n{}", run.stderr);
    let home = site.page("index.html");
    assert_eq!(
        home.texts("header nav a"),
        ["Доклады", "Персоны", "Города", "Страны", "Темы", "Показатели", "About", "Поиск"]
    );
    assert_eq!(home.text("footer"), format!("2 доклада · communique {}", env!("CARGO_PKG_VERSION")));
    let headings = site.page(REPORT_PAGE).texts("main h2");
    assert!(headings.contains(&"Официальные лица".to_string()), "{headings:?}");
}
