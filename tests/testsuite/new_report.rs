//! `communique new report "Title"`: a draft skeleton at content/reports/<date>-<slug>.md
//! that builds, with the slug the build itself makes, never over an existing file.

use communique::BuildOptions;
use communique::model::names::slugify;

use crate::library;
use crate::support::{Run, TestSite, run};

fn site() -> TestSite {
    TestSite::new().file("site.yaml", "title: T\nbase_url: https://example.org/\n")
}

fn new_report(site: &TestSite, title: &str, extra: &[&str]) -> Run {
    let mut args = vec!["new", "report", title, "--root", site.root().to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn drafts() -> BuildOptions {
    BuildOptions { drafts: true, ..BuildOptions::default() }
}

#[test]
fn writes_a_draft_that_builds_and_prints_its_path() {
    let site = site();
    let made = new_report(&site, "SCO delegation visits Qingdao", &["--date", "2020-07-23"]).success();
    let rel = "content/reports/2020-07-23-sco-delegation-visits-qingdao.md";
    assert_eq!(made.stdout.trim(), site.path(rel).display().to_string());
    let text = site.read(rel);
    for key in ["title:", "date: 2020-07-23", "draft: true", "cities:", "officials:", "figures:", "topics:"] {
        assert!(text.contains(key), "the skeleton lacks {key}:\n{text}");
    }

    let published = library::build(site.root(), BuildOptions::default()).clean();
    assert!(published.site.reports.is_empty(), "a draft was published without --drafts");

    let built = library::build(site.root(), drafts());
    assert_eq!(built.diags.error_count(), 0, "{}", built.report);
    let built = built.built.unwrap();
    let report = &built.site.reports[0];
    assert_eq!(
        (report.title.as_str(), report.slug.as_str()),
        ("SCO delegation visits Qingdao", "sco-delegation-visits-qingdao")
    );
    assert_eq!(report.date.to_string(), "2020-07-23");
    assert!(report.draft);
    assert!(built.output.files.contains_key("reports/sco-delegation-visits-qingdao/index.html"));
}

#[test]
fn titles_in_any_script_get_the_ascii_slug_of_the_build() {
    let site = site();
    for title in ["Встреча в Ташкенте", "威海会见", "SCO: \"Eight Wonders\" # project"] {
        new_report(&site, title, &["--date", "2021-03-05"]).success();
    }
    let built = library::build(site.root(), drafts());
    assert_eq!(built.diags.error_count(), 0, "{}", built.report);
    let mut slugs: Vec<(String, String)> =
        built.built.unwrap().site.reports.iter().map(|r| (r.title.clone(), r.slug.clone())).collect();
    slugs.sort();
    for (title, slug) in &slugs {
        assert!(slug.is_ascii() && !slug.is_empty(), "{slug}");
        assert_eq!(slug, &slugify(title), "the build made another slug for {title:?}");
    }
    assert!(
        slugs.iter().any(|(_, s)| s == "vstrecha-v-tashkente") && slugs.iter().any(|(_, s)| s == "wei-hai-hui-jian")
    );
    assert!(slugs.iter().any(|(t, _)| t == "SCO: \"Eight Wonders\" # project"), "the title changed: {slugs:?}");
}

#[test]
fn never_overwrites_an_existing_report() {
    let site = site();
    new_report(&site, "Weihai meeting", &["--date", "2019-04-02"]).success();
    let rel = "content/reports/2019-04-02-weihai-meeting.md";
    site.write(rel, "---\ntitle: Mine\ndate: 2019-04-02\n---\nMy text.\n");
    let again = new_report(&site, "Weihai meeting", &["--date", "2019-04-02"]).exit(1);
    again.stderr_has("2019-04-02-weihai-meeting.md already exists");
    assert_eq!(site.read(rel), "---\ntitle: Mine\ndate: 2019-04-02\n---\nMy text.\n");
}

#[test]
fn bad_dates_titles_and_roots_are_refused_with_a_reason() {
    let site = site();
    for date in ["2019-02-30", "02.04.2019", "yesterday"] {
        new_report(&site, "A visit", &["--date", date]).exit(2).stderr_has("is not a date written YYYY-MM-DD");
    }
    new_report(&site, "!!! ???", &[]).exit(1).stderr_has("cannot make a file name from the title");
    new_report(&site, "   ", &[]).exit(1).stderr_has("the title is empty");
    assert!(!site.path("content").exists(), "a refused command wrote something");

    let not_a_site = TestSite::new();
    new_report(&not_a_site, "A visit", &[]).exit(1).stderr_has("no site found");
}

#[test]
fn dates_not_written_yyyy_mm_dd_are_refused_with_status_2_and_nothing_is_written() {
    let site = site();
    let lenient = [
        "21-1-1",
        "2021-1-5",
        "+2021-01-06",
        "2019-1-5",
        "2021-01-5",
        "20210-01-05",
        "2021-01-05x",
        "2021-01-05T10:00:00",
        "2021-01-05 10:00",
        " 2021-01-05",
    ];
    let why = |date: &str| match date {
        "2021-02-30" => ": February 2021 has 28 days",
        "2021-13-01" => ": there is no month 13",
        _ => "",
    };
    for date in lenient.into_iter().chain(["2021-02-30", "2021-13-01"]) {
        let refused = new_report(&site, "A visit", &["--date", date]).exit(2);
        assert_eq!(
            refused.stderr,
            format!(
                "error: invalid value '{date}' for '--date <YYYY-MM-DD>': \"{date}\" is not a date written \
                 YYYY-MM-DD{}\n\nFor more information, try '--help'.\n",
                why(date)
            )
        );
        assert_eq!(refused.stdout, "");
    }
    assert!(!site.path("content").exists(), "a refused date wrote something");
}

#[test]
fn the_date_defaults_to_today() {
    let site = site();
    let before = chrono::Local::now().date_naive();
    let made = new_report(&site, "Today in Beijing", &[]).success();
    let after = chrono::Local::now().date_naive();
    let name = made.stdout.trim().rsplit('/').next().unwrap().to_string();
    let dated = |d: chrono::NaiveDate| format!("{}-today-in-beijing.md", d.format("%Y-%m-%d"));
    assert!(name == dated(before) || name == dated(after), "{name}");
}
