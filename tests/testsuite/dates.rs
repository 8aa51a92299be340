//! Dates are `YYYY-MM-DD` and nothing else in front matter: `date` and `end_date` of
//! reports and of their translations, quoted or not. Every other form is an error at the
//! value's line and column, with the caret under it and the form expected, and a failed
//! build leaves the output as it was. (`new report --date` reads dates with the same
//! function: see [`crate::new_report`].)

use crate::support::{TestSite, snapshot};

/// Dates written in a form communique refuses, as front matter holds them, and the text
/// the error quotes.
const LENIENT: &[(&str, &str)] = &[
    ("21-1-1", "21-1-1"),
    ("2021-1-5", "2021-1-5"),
    ("+2021-01-06", "+2021-01-06"),
    ("2019-1-5", "2019-1-5"),
    ("\"2019-1-5\"", "2019-1-5"),
    ("2021-01-5", "2021-01-5"),
    ("20210-01-05", "20210-01-05"),
    ("2021-01-05 is the date", "2021-01-05 is the date"),
    ("2021-01-05T10:00:00", "2021-01-05T10:00:00"),
    ("' 2021-01-05'", " 2021-01-05"),
];

/// Dates written right that the calendar does not have, and why.
const NO_SUCH_DAY: &[(&str, &str, &str)] = &[
    ("2021-02-30", "2021-02-30", ": February 2021 has 28 days"),
    ("\"2021-02-30\"", "2021-02-30", ": February 2021 has 28 days"),
    ("2019-13-05", "2019-13-05", ": there is no month 13"),
];

fn site() -> TestSite {
    TestSite::new()
        .file("site.yaml", "title: T\nbase_url: https://example.org/\nlanguages:\n  ru: { title: Доклады }\n")
        .file("content/reports/a.md", "---\ntitle: A\ndate: 2019-04-02\n---\nText.\n")
}

/// Every bad date, each in its own file: in a report's `date` (line 3), in its `end_date`
/// (line 4), in a translation's `date` (line 3). Returns the diagnostic each must give:
/// its headline and source excerpt, caret included, exactly as printed.
fn write_bad_dates(site: &TestSite) -> Vec<String> {
    let all = LENIENT.iter().map(|(written, quoted)| (*written, *quoted, "")).chain(NO_SUCH_DAY.iter().copied());
    let mut expected = Vec::new();
    for (i, (written, quoted, why)) in all.enumerate() {
        let message = format!("\"{quoted}\" is not a date written YYYY-MM-DD{why}");
        let date = format!("content/reports/d{i:02}.md");
        site.write(&date, &format!("---\ntitle: D\ndate: {written}\n---\nText.\n"));
        expected.push(format!("{date}:3:7: error: date: {message}\n  |\n3 | date: {written}\n  |       ^\n"));
        let end = format!("content/reports/e{i:02}.md");
        site.write(&end, &format!("---\ntitle: E\ndate: 2019-04-02\nend_date: {written}\n---\nText.\n"));
        expected
            .push(format!("{end}:4:11: error: end_date: {message}\n  |\n4 | end_date: {written}\n  |           ^\n"));
        site.write(&format!("content/reports/t{i:02}.md"), "---\ntitle: T\ndate: 2019-04-02\n---\nText.\n");
        let translation = format!("content/reports/t{i:02}.ru.md");
        site.write(&translation, &format!("---\ntitle: Т\ndate: {written}\n---\nТекст.\n"));
        expected.push(format!("{translation}:3:7: error: date: {message}\n  |\n3 | date: {written}\n  |       ^\n"));
    }
    expected
}

#[test]
fn every_other_form_is_an_error_at_its_line_and_column_and_the_output_stays() {
    let site = site();
    site.build(&[]).success();
    let before = snapshot(&site.output());
    let expected = write_bad_dates(&site);

    let build = site.build(&[]).exit(1);
    let check = site.check().exit(1);
    for (command, run) in [("build", &build), ("check", &check)] {
        let missing: Vec<&String> = expected.iter().filter(|d| !run.stderr.contains(d.as_str())).collect();
        assert!(missing.is_empty(), "{command} did not print:\n{missing:#?}\nstderr:\n{}", run.stderr);
        let errors = run.stderr.lines().filter(|l| l.contains(": error: ")).count();
        assert_eq!(errors, expected.len(), "{command} printed other errors:\n{}", run.stderr);
    }
    assert_eq!(snapshot(&site.output()), before, "a build that failed on a date changed the output");
}

#[test]
fn a_date_reads_the_same_quoted_or_not() {
    let site = site()
        .file("content/reports/b.md", "---\ntitle: B\ndate: \"2020-07-23\"\nend_date: '2020-07-26'\n---\nText.\n")
        .file("content/reports/a.ru.md", "---\ntitle: А\ndate: '2019-04-02'\n---\nТекст.\n");
    // The translation's quoted date is the original's unquoted one, or this would fail.
    site.build(&[]).success();
    let page = site.page("reports/b/index.html");
    assert_eq!(page.attrs(".report .meta time", "datetime"), ["2020-07-23"]);
    assert_eq!(page.text(".report .meta time"), "23–26 July 2020");
}
