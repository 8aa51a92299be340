//! Languages (issue #19, first part): `languages:` in site.yaml, translations as sibling
//! files joined to their originals, and every way a translation can drift from its
//! original reported at its line, all in one run of `check`.

use serde_json::Value;

use crate::support::{TestSite, run};

const ORIGINAL: &str = "---\ntitle: Talks in Weihai\ndate: 2019-04-02\ncities: [Weihai, Qingdao]\n\
officials:\n  - name: Wang Luming\n    role: Mayor\nfigures:\n  - label: Trade\n    value: 360 billion\n    \
unit: CNY\n    year: 2018\n    city: Weihai\n---\nWang Luming met the delegation.\n";

/// A two-language site (English and Russian) with one report and one page.
fn bilingual() -> TestSite {
    TestSite::new()
        .file("site.yaml", "title: Reports\nlanguage: en\nlanguages:\n  ru: { title: Доклады }\n")
        .file("content/reports/weihai.md", ORIGINAL)
        .file("content/about.md", "---\ntitle: About\n---\nAbout us.\n")
}

/// The errors `check --format json` reports: (path, line, message).
fn errors(site: &TestSite) -> Vec<(String, u64, String)> {
    reported(site, "error")
}

/// The warnings `check --format json` reports: (path, line, message).
fn warnings(site: &TestSite) -> Vec<(String, u64, String)> {
    reported(site, "warning")
}

/// What `check --format json` reports of `severity`: (path, line, message).
fn reported(site: &TestSite, severity: &str) -> Vec<(String, u64, String)> {
    let run = run(&["check", "--root", site.root().to_str().unwrap(), "--format", "json"]);
    (run.stdout.lines())
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["severity"] == severity)
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_string();
            (path, d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn faithful_translations_of_reports_and_pages_pass_and_are_not_published_as_pages_of_their_own() {
    let translation = "---\ntitle: Переговоры в Вэйхае\nofficials:\n  - name: Wang Luming\n    role: Мэр\n\
                       figures:\n  - label: Товарооборот\n    value: 360 billion\n    unit: CNY\n    year: 2018\n    \
                       city: Weihai\n---\nВан Лумин встретился с делегацией.\n";
    let site = bilingual()
        .file("content/reports/weihai.ru.md", translation)
        .file("content/about.ru.md", "---\ntitle: О нас\n---\nО нас.\n");
    assert_eq!(errors(&site), Vec::new());
    site.build(&[]).success();
    assert!(site.has("reports/weihai/index.html") && site.has("about/index.html"));
    let stray = site.html_files().into_iter().filter(|p| p.contains("-ru/") || p.contains("weihai-ru")).count();
    assert_eq!(stray, 0, "a translation became a page of its own: {:?}", site.html_files());
}

#[test]
fn a_site_without_languages_reads_dotted_names_as_it_always_did() {
    let site = TestSite::new()
        .file("content/reports/weihai.md", ORIGINAL)
        .file("content/about.ru.md", "---\ntitle: О нас\n---\nО нас.\n");
    site.build(&[]).success();
    assert!(site.has("about-ru/index.html"), "{:?}", site.html_files());
}

#[test]
fn every_way_a_translation_drifts_from_its_original_is_an_error_at_its_line() {
    let drifted = "---\ntitle: Переговоры\ndate: 2019-04-03\ncities: [Weihai, Tashkent]\n\
                   officials:\n  - name: Vladimir Norov\n    role: Генеральный секретарь\n\
                   figures:\n  - label: Товарооборот\n    value: 361 billion\n    unit: CNY\n    year: 2018\n    \
                   city: Weihai\n---\nТекст.\n";
    let site = bilingual()
        .file("content/reports/weihai.ru.md", drifted)
        .file("content/reports/nowhere.ru.md", "---\ntitle: Ничего\n---\nТекст.\n")
        .file("content/reports/weihai.de.md", "---\ntitle: Gespräche\n---\nText.\n")
        .file("content/reports/weihai.en.md", "---\ntitle: Talks\n---\nText.\n")
        .file("content/contact.ru.md", "---\ntitle: Контакты\n---\nТекст.\n");
    let found = errors(&site);
    let at = |path: &str, line: u64, words: &str| {
        assert!(
            found.iter().any(|(p, l, m)| p == path && *l == line && m.contains(words)),
            "no error at {path}:{line} saying {words:?}: {found:#?}"
        );
    };
    let ru = "content/reports/weihai.ru.md";
    at(ru, 3, "date differs");
    at(ru, 4, "\"Tashkent\" is not one of the cities");
    at(ru, 6, "\"Vladimir Norov\" is not one of the officials");
    at(ru, 9, "differs from the original's figure");
    at("content/reports/nowhere.ru.md", 1, "which does not exist");
    at("content/contact.ru.md", 1, "which does not exist");
    at("content/reports/weihai.de.md", 1, "not one of the site's languages");
    at("content/reports/weihai.en.md", 1, "default language");
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn a_translation_may_spell_officials_and_cities_as_the_original_would_be_matched() {
    // Not as written anywhere, but the same names by their keys (case, spaces, honorifics).
    let translation = "---\ntitle: Переговоры\ncities: [WEIHAI, qingdao]\nofficials:\n  - name: Mr  WANG luming\n    \
                       role: Мэр\nfigures:\n  - label: Товарооборот\n    value: 360 billion\n    unit: CNY\n    \
                       year: 2018\n    city: weihai\n---\nТекст.\n";
    let site = bilingual().file("content/reports/weihai.ru.md", translation);
    assert_eq!(errors(&site), Vec::new());
    let wrong = translation.replace("Mr  WANG luming", "Mr Wang Lu").replace("city: weihai", "city: qingdao");
    let site = bilingual().file("content/reports/weihai.ru.md", &wrong);
    let found: Vec<String> = errors(&site).into_iter().map(|(_, _, m)| m).collect();
    assert!(found.iter().any(|m| m.contains("\"Mr Wang Lu\" is not one of the officials")), "{found:#?}");
    assert!(found.iter().any(|m| m.contains("differs from the original's figure")), "{found:#?}");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn a_translation_of_a_draft_is_left_out_with_it() {
    let site = bilingual()
        .file("content/reports/plan.md", "---\ntitle: Plan\ndate: 2020-01-01\ndraft: true\n---\nPlan.\n")
        .file("content/reports/plan.ru.md", "---\ntitle: План\n---\nПлан.\n");
    assert_eq!(errors(&site), Vec::new());
}

#[test]
fn registry_names_in_other_languages_identify_officials_and_are_asked_for_where_missing() {
    let translation = "---\ntitle: Переговоры\nofficials:\n  - name: Ван Лумин\n    role: Мэр\n---\nТекст.\n";
    let people = "- name: Wang Luming\n  names: { ru: Ван Лумин }\n  bio: { en: Mayor of Weihai., ru: Мэр Вэйхая. }\n";
    let cities = "- name: Weihai\n- name: Qingdao\n  names: { ru: Циндао }\n";
    let site = bilingual()
        .file("content/reports/weihai.ru.md", translation)
        .file("data/people.yaml", people)
        .file("data/cities.yaml", cities);
    assert_eq!(errors(&site), Vec::new(), "the Russian name did not identify the official");
    let asked: Vec<(String, u64)> = (warnings(&site).into_iter())
        .filter(|(_, _, m)| m.contains("has no name in ru"))
        .map(|(path, line, _)| (path, line))
        .collect();
    assert_eq!(asked, vec![("data/cities.yaml".to_string(), 1)], "only Weihai lacks its Russian name");
    site.build(&[]).success();
    let bio = site.page("people/wang-luming/index.html").text(".body");
    assert!(
        bio.contains("Mayor of Weihai.") && !bio.contains("Мэр Вэйхая"),
        "the person page shows the bio in another language"
    );
}

#[test]
fn a_right_to_left_language_gets_dir_rtl_and_the_shipped_styles_mirror() {
    for (language, dir) in [("fa", Some("rtl")), ("ar", Some("rtl")), ("en", None), ("ru", None)] {
        for theme in ["default", "minimal"] {
            let site = TestSite::example_in_one_language()
                .file("site.yaml", &format!("title: T\nlanguage: {language}\ntheme: {theme}\n"));
            crate::support::copy_dir(&crate::support::repo_root().join("themes"), &site.path("themes"));
            site.build(&[]).success();
            for page in ["index.html", "people/index.html"] {
                let html = site.page(page);
                assert_eq!(html.attrs("html", "lang"), [language], "{theme} {page}");
                let found = html.attrs("html", "dir");
                assert_eq!(found.first().map(String::as_str), dir, "{language} {theme} {page}");
            }
        }
    }
    // Mirroring comes from logical properties: no declaration of the shipped styles names a side.
    for css in ["themes/default/static/assets/style.css", "themes/minimal/static/assets/minimal.css"] {
        let text = std::fs::read_to_string(crate::support::repo_root().join(css)).unwrap();
        let sided: Vec<&str> = text.split(['{', '}', ';']).map(str::trim).filter(|d| names_a_side(d)).collect();
        assert!(sided.is_empty(), "{css} names a side, which does not mirror: {sided:#?}");
    }
}

/// Whether a CSS declaration (`margin-left: 1rem`) sets something by physical side.
fn names_a_side(declaration: &str) -> bool {
    let Some((property, value)) = declaration.split_once(':') else { return false };
    let (property, value) = (property.trim(), value.trim());
    let sided_property = property.split('-').any(|part| part == "left" || part == "right");
    let sided_value = matches!(property, "float" | "text-align" | "clear") && matches!(value, "left" | "right");
    sided_property || sided_value
}

#[test]
fn a_site_in_another_language_files_people_by_its_own_alphabet() {
    let officials = ["Ёлкин Иван", "Wang Luming", "Борисов Андрей", "Егоров Пётр", "Андреев Борис"];
    let list = officials.iter().map(|o| format!("  - {o}\n")).collect::<String>();
    let report = format!("---\ntitle: Встреча\ndate: 2020-01-01\nofficials:\n{list}---\nТекст.\n");
    let site = TestSite::new().file("site.yaml", "title: Т\nlanguage: ru\n").file("content/reports/a.md", &report);
    site.build(&[]).success();
    let page = site.page("people/index.html");
    let letters: Vec<String> = page.attrs("section h2", "id");
    assert_eq!(letters, ["letter-А", "letter-Б", "letter-Е", "letter-W"], "Cyrillic first, Ё filed with Е");
    let names = page.texts(".entity-list a");
    assert_eq!(names, ["Андреев Борис", "Борисов Андрей", "Егоров Пётр", "Ёлкин Иван", "Wang Luming"]);

    // An English site keeps filing names by their slug, in ASCII.
    let site = TestSite::new().file("content/reports/a.md", &report);
    site.build(&[]).success();
    let letters = site.page("people/index.html").attrs("section h2", "id");
    assert_eq!(letters, ["letter-A", "letter-B", "letter-E", "letter-I", "letter-W"], "English pages letter by slug");
}

#[test]
fn a_chinese_site_files_names_in_han_characters_under_their_pinyin_letter() {
    let officials = ["王鲁明", "张明", "弗拉基米尔·诺罗夫", "阿齐兹", "Aziz Karimov", "诺罗夫"];
    let list = officials.iter().map(|o| format!("  - {o}\n")).collect::<String>();
    let report = format!("---\ntitle: 会谈\ndate: 2020-01-01\nofficials:\n{list}---\n文本。\n");
    let site = TestSite::new().file("site.yaml", "title: 报告\nlanguage: zh\n").file("content/reports/a.md", &report);
    site.build(&[]).success();
    let page = site.page("people/index.html");
    let groups: Vec<(String, Vec<String>)> = (page.select("section").into_iter())
        .map(|s| {
            let id = s.value().attr("aria-labelledby").unwrap().trim_start_matches("letter-").to_string();
            (id, crate::support::select_in(s, ".entity-list a").into_iter().map(crate::support::text_of).collect())
        })
        .collect();
    let expected = [
        ("A", vec!["阿齐兹", "Aziz Karimov"]),
        ("F", vec!["弗拉基米尔·诺罗夫"]),
        ("N", vec!["诺罗夫"]),
        ("W", vec!["王鲁明"]),
        ("Z", vec!["张明"]),
    ];
    let expected: Vec<(String, Vec<String>)> =
        expected.iter().map(|(l, names)| (l.to_string(), names.iter().map(|n| n.to_string()).collect())).collect();
    assert_eq!(groups, expected, "names filed by pinyin: Wáng under W, Zhāng under Z");
}

#[test]
fn a_site_in_another_language_orders_countries_cities_and_topics_by_its_collation() {
    // By slug (ASCII) the Latin names would come first: Austria, Vienna, Agriculture.
    let report = "---\ntitle: Встреча\ndate: 2020-01-01\ncities:\n  - { name: Циндао, country: Китай }\n  \
                  - { name: Vienna, country: Austria }\n  - { name: Вэйхай, country: Китай }\n  \
                  - { name: Ташкент, country: Узбекистан }\ntopics: [торговля, Agriculture, логистика]\n---\nТекст.\n";
    let site = TestSite::new().file("site.yaml", "title: Т\nlanguage: ru\n").file("content/reports/a.md", report);
    site.build(&[]).success();
    let countries = site.page("countries/index.html").texts("main td a");
    assert_eq!(countries, ["Китай", "Узбекистан", "Austria"], "countries by Russian collation, not by slug");
    let cities = site.page("cities/index.html").texts("main .entity-list li > a");
    assert_eq!(cities, ["Вэйхай", "Циндао", "Ташкент", "Vienna"], "cities by country, then by name");
    let topics: Vec<String> = site.page("topics/index.html").attrs(".tags a", "href");
    assert_eq!(topics, ["../topics/logistika/", "../topics/torgovlia/", "../topics/agriculture/"]);
}
