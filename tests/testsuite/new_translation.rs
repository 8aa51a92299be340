//! `communique new translation FILE LANGUAGE`: a draft translation beside its original,
//! the original's text to translate in place, which passes `check` as it is, stays out of
//! the site until its `draft: true` goes, and is never written over an existing file.

use crate::library::{self, output_text};
use crate::support::{Run, TestSite, run, selector, text_of};
use communique::BuildOptions;

const REPORT: &str = "---\ntitle: Talks in Weihai\ndate: 2019-04-02\ncities: [Weihai]\n\
officials:\n  - { name: Wang Luming, role: Secretary of the Weihai City Committee }\nfigures:\n  \
- { label: GDP, value: 360 billion, unit: CNY, year: 2018 }\ntopics: [trade]\n---\nWang Luming met the delegation.\n";

/// A site in English and Russian with one report and a page without front matter.
fn bilingual() -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            "title: Reports\nbase_url: https://example.org/\nlanguage: en\nlanguages:\n  ru: { title: Доклады }\n",
        )
        .file("content/reports/2019-04-02-weihai.md", REPORT)
        .file("content/about.md", "# About\n\nWe publish reports.\n")
}

fn new_translation(site: &TestSite, original: &str, language: &str) -> Run {
    run(&["new", "translation", original, language, "--root", site.root().to_str().unwrap()])
}

#[test]
fn a_draft_translation_passes_check_and_is_published_once_its_draft_line_goes() {
    let site = bilingual();
    let made = new_translation(&site, "content/reports/2019-04-02-weihai.md", "ru").success();
    let rel = "content/reports/2019-04-02-weihai.ru.md";
    assert_eq!(made.stdout.trim(), site.path(rel).display().to_string());
    assert!(site.read(rel).ends_with("---\nWang Luming met the delegation.\n"), "{}", site.read(rel));

    let draft = library::build(site.root(), BuildOptions::default()).clean();
    assert!(!draft.output.files.contains_key("ru/reports/weihai/index.html"), "a draft translation was published");

    let translated = site
        .read(rel)
        .replace("draft: true\n", "")
        .replace("title: Talks in Weihai", "title: Переговоры в Вэйхае")
        .replace("Wang Luming met the delegation.", "Ван Лумин принял делегацию.");
    site.write(rel, &translated);
    let built = library::build(site.root(), BuildOptions::default()).clean();
    let page = scraper::Html::parse_document(&output_text(&built, "ru/reports/weihai/index.html"));
    let heading = page.select(&selector("main h1")).next().map(text_of);
    assert_eq!(heading.as_deref(), Some("Переговоры в Вэйхае"));
    let lang = page.select(&selector("html")).next().and_then(|html| html.value().attr("lang"));
    assert_eq!(lang, Some("ru"));
}

#[test]
fn a_page_and_a_report_folder_get_their_sibling_files() {
    let site =
        bilingual().file("content/reports/2020-07-23-qingdao/index.md", &REPORT.replace("2019-04-02", "2020-07-23"));
    new_translation(&site, &site.path("content/about.md").display().to_string(), "ru").success();
    new_translation(&site, "content/reports/2020-07-23-qingdao/index.md", "ru").success();
    let about = site.read("content/about.ru.md");
    assert!(about.starts_with("---\n") && about.ends_with("---\n# About\n\nWe publish reports.\n"), "{about}");
    assert!(about.contains("translate its title and the text below") && !about.contains("figures"), "{about}");
    let report = site.read("content/reports/2020-07-23-qingdao/index.ru.md");
    assert!(report.contains("of index.md, checked against it") && report.contains("figures' values"), "{report}");
    library::build(site.root(), BuildOptions::default()).clean();
}

#[test]
fn never_overwrites_a_translation() {
    let site = bilingual();
    let rel = "content/reports/2019-04-02-weihai.ru.md";
    let mine = "---\ntitle: Моя\n---\nМой текст.\n";
    site.write(rel, mine);
    new_translation(&site, "content/reports/2019-04-02-weihai.md", "ru").exit(1).stderr_has("already exists");
    assert_eq!(site.read(rel), mine);
}

#[test]
fn languages_and_files_that_cannot_be_translated_are_refused_with_a_reason() {
    let site = bilingual().file("content/reports/2019-04-02-weihai.ru.md", "---\ntitle: Т\n---\nТ.\n");
    let report = "content/reports/2019-04-02-weihai.md";
    new_translation(&site, report, "de").exit(1).stderr_has("\"de\" is not one of the site's languages (ru)");
    new_translation(&site, report, "en").exit(1).stderr_has("\"en\" is the site's default language");
    new_translation(&site, "content/reports/2019-04-02-weihai.ru.md", "ru")
        .exit(1)
        .stderr_has("is a translation already: give its original");
    new_translation(&site, "content/nothing.md", "ru").exit(1).stderr_has("content/nothing.md is not a file");
    new_translation(&site, "site.yaml", "ru").exit(1).stderr_has("is not a report or page of the site");
    let outside = TestSite::new().file("x.md", "---\ntitle: X\n---\n");
    new_translation(&site, &outside.path("x.md").display().to_string(), "ru")
        .exit(1)
        .stderr_has("is not a report or page");
    assert!(!site.path("content/about.ru.md").exists() && !outside.path("x.ru.md").exists());

    let monolingual = TestSite::new().file("site.yaml", "title: T\n").file("content/about.md", "About.\n");
    new_translation(&monolingual, "content/about.md", "ru").exit(1).stderr_has("this site is in one language");
}

#[test]
fn files_the_build_does_not_read_are_refused() {
    let site = bilingual()
        .file("content/.old/about.md", "Old.\n")
        .file("content/about.de.md", "Über uns.\n")
        .file("content/#about.md", "Autosaved.\n");
    new_translation(&site, "content/.old/about.md", "ru").exit(1).stderr_has("is not a report or page of the site");
    new_translation(&site, "content/#about.md", "ru").exit(1).stderr_has("is not a report or page of the site");
    new_translation(&site, "content/about.de.md", "ru")
        .exit(1)
        .stderr_has("is named like a translation into \"de\", which the site does not publish");
    assert!(!site.path("content/.old/about.ru.md").exists() && !site.path("content/about.de.ru.md").exists());
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_content_folder_that_leads_out_of_the_site() {
    let elsewhere = TestSite::new().file("about.md", "About.\n");
    let site = TestSite::new().file("site.yaml", "title: T\nlanguages:\n  ru: { title: Т }\n");
    std::os::unix::fs::symlink(elsewhere.root(), site.path("content")).unwrap();
    new_translation(&site, "content/about.md", "ru").exit(1).stderr_has("content: error: leads outside the site");
    assert!(!elsewhere.path("about.ru.md").exists());
}

#[cfg(unix)]
#[test]
fn links_are_followed_as_the_build_follows_them() {
    // A hidden link is read by no build; a content/ that is a link inside the site is.
    let site = TestSite::new().file("site.yaml", "title: T\nlanguages:\n  ru: { title: Т }\n");
    site.write("src/content/about.md", "About.\n");
    std::os::unix::fs::symlink(site.path("src/content"), site.path("content")).unwrap();
    std::os::unix::fs::symlink("about.md", site.path("src/content/.b.md")).unwrap();
    new_translation(&site, "content/.b.md", "ru").exit(1).stderr_has("is not a report or page of the site");
    new_translation(&site, "content/about.md", "ru").success();
    assert!(site.path("src/content/about.ru.md").is_file());
}

#[test]
fn a_broken_site_yaml_is_reported_rather_than_read_as_one_language() {
    let site = bilingual();
    site.write("site.yaml", "title: Reports\npaginate: ten\nlanguages:\n  ru: { title: Доклады }\n");
    let refused = new_translation(&site, "content/about.md", "ru").exit(1);
    refused.stderr_has("site.yaml:2:11: error: paginate: invalid type").stderr_has("the site has the errors above");
    assert!(!refused.stderr.contains("one language"), "{}", refused.stderr);
}
