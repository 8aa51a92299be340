//! The command line: which output folders `build` accepts, `check`, and the summary line.

use crate::support::{TestSite, run, snapshot};

/// A small valid site with one report.
fn one_report_site() -> TestSite {
    TestSite::new().file("content/reports/a.md", "---\ntitle: A\ndate: 2019-01-01\n---\nA.\n")
}

#[test]
fn build_refuses_output_folders_that_hold_the_site() {
    let site = one_report_site();
    let before = snapshot(site.root());
    let root = site.root().to_str().unwrap().to_string();
    for output in [root.clone(), format!("{root}/content/x"), format!("{root}/.."), format!("{root}/data")] {
        let run = site.build(&["--output", &output]);
        assert_ne!(run.code, 0, "--output {output} was accepted");
        run.stderr_has("refusing");
    }
    assert_eq!(snapshot(site.root()), before, "a refused build changed the site");
}

#[test]
fn build_writes_outside_the_root_only_into_a_named_new_or_empty_folder() {
    let site = one_report_site();
    let elsewhere = crate::support::tempdir();

    let new = elsewhere.path().join("new");
    site.build(&["--output", new.to_str().unwrap()]).success();
    assert!(new.join("reports/a/index.html").is_file());
    assert!(!site.output().exists(), "wrote the default output too");

    let empty = elsewhere.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    site.build(&["--output", empty.to_str().unwrap()]).success();
    assert!(empty.join("index.html").is_file());

    let mine = elsewhere.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    site.build(&["--output", mine.to_str().unwrap()]).exit(1).stderr_has("refusing");
    assert_eq!(std::fs::read_to_string(mine.join("notes.txt")).unwrap(), "keep me");
    assert!(!mine.join("index.html").exists());
}

/// A folder holding a built site (`index.html`) with the site's sources in `parent/site/`,
/// and an unrelated sibling folder `x/`.
fn site_inside_a_built_folder() -> TestSite {
    TestSite::new()
        .file("parent/index.html", "<p>an old build</p>\n")
        .file("parent/site/content/reports/a.md", "---\ntitle: A\ndate: 2019-01-01\n---\nA.\n")
        .file("x/keep.txt", "x\n")
}

/// Names of hidden entries (such as `.output.tmp-*`) in `dir`.
fn hidden_entries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]

fn build_refuses_the_parent_of_the_root_spelled_with_dot_dot() {
    let t = site_inside_a_built_folder();
    let root = t.path("parent/site");
    let output = format!("{}/..", root.display());
    let run = run(&["build", "--root", root.to_str().unwrap(), "--output", &output]);
    assert_ne!(run.code, 0, "--output {output} was accepted:\n{}", run.stdout);
    run.stderr_has("refusing");
    assert_eq!(hidden_entries(&root), Vec::<String>::new(), "left behind in the site root");
    assert_eq!(t.read("parent/index.html"), "<p>an old build</p>\n");
}

#[test]

fn build_never_replaces_a_folder_holding_the_root() {
    let t = site_inside_a_built_folder();
    let root = t.path("parent/site");
    let output = t.path("x/../parent");
    let run = run(&["build", "--root", root.to_str().unwrap(), "--output", output.to_str().unwrap()]);
    assert!(t.path("parent/site/content/reports/a.md").is_file(), "the build deleted the site's sources");
    assert_ne!(run.code, 0, "--output {} was accepted:\n{}", output.display(), run.stdout);
    run.stderr_has("refusing");
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::example();
    // The image cache is the one thing check may write: it processes the photos too.
    let sources = || snapshot(site.root()).into_iter().filter(|(path, _)| !path.starts_with(".communique-cache/"));
    let before: Vec<_> = sources().collect();
    let run = site.check().success();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(!site.output().exists(), "check created output/");
    assert_eq!(sources().collect::<Vec<_>>(), before, "check changed the site folder");
}

#[test]
fn check_reports_errors_like_build() {
    let site =
        one_report_site().file("content/reports/b.md", "---\ntitle: B\ndate: 2019-01-02\ncitys: [Weihai]\n---\nB.\n");
    let check = site.check().exit(1);
    check.stderr_has("content/reports/b.md:4:1:").stderr_has("did you mean");
    let build = site.build(&[]).exit(1);
    // The same diagnostics and count line; build then adds that it left the output alone.
    assert!(
        build.stderr.starts_with(&check.stderr),
        "check and build report differently:\ncheck:\n{}\nbuild:\n{}",
        check.stderr,
        build.stderr
    );
    assert!(!site.output().exists());
}

/// Whether `text` is a number with optional thousands separators (`2,300`).
fn is_count(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ',') && !text.starts_with(',')
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = TestSite::example();
    let run = site.build(&[]).success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    // built 2 reports, N people, 2 cities, 7 photos (all from the cache) in X s
    let line = lines[0];
    let rest = line.strip_prefix("built 2 reports, ").unwrap_or_else(|| panic!("{line:?}"));
    let (people, rest) = rest.split_once(" people, ").unwrap_or_else(|| panic!("{line:?}"));
    // The example's photos were processed by an earlier build (TestSite::example).
    let seconds = (rest.strip_prefix("2 cities, 7 photos (all from the cache) in "))
        .and_then(|r| r.strip_suffix(" s"))
        .unwrap_or_else(|| panic!("{line:?}"));
    assert!(is_count(people), "{line:?}");
    assert!(seconds.parse::<f64>().is_ok_and(|s| s >= 0.0), "{line:?}");
    let people_pages = site
        .html_files()
        .iter()
        .filter(|p| p.starts_with("people/") && p.ends_with("/index.html") && *p != "people/index.html")
        .count();
    assert_eq!(people.replace(',', "").parse::<usize>().unwrap(), people_pages, "{line:?}");
}

#[test]
fn check_prints_json_lines_with_format_json() {
    let site =
        one_report_site().file("content/reports/b.md", "---\ntitle: B\ndate: 2019-01-02\ncitys: [Weihai]\n---\nB.\n");
    let run = crate::support::run(&["check", "--root", site.root().to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let all: Vec<serde_json::Value> =
        run.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let lines: Vec<&serde_json::Value> = all.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let d = &lines[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "content/reports/b.md");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(1)));
    assert!(d["message"].as_str().unwrap().contains("citys"), "{d}");
    assert_eq!(d["hint"], "did you mean \"cities\"?");
}

#[test]
fn check_finds_links_that_templates_and_markdown_build_by_hand() {
    let site = one_report_site()
        .file(
            "templates/report.html",
            "{% extends \"base.html\" %}{% block content %}<a href=\"../../people/nobody/\">x</a>{{ report.content | safe }}{% endblock content %}",
        )
        .file("content/about.md", "---\ntitle: About\n---\nSee [the list](/cities/atlantis/).\n");
    let check = site.check().exit(1);
    check
        .stderr_has("(output)/about/index.html: error: broken link \"../cities/atlantis/\"")
        .stderr_has("(output)/reports/a/index.html: error: broken link \"../../people/nobody/\"");
    site.build(&[]).success();
}

#[test]
fn every_unknown_filter_or_function_in_a_template_is_an_error_at_its_own_line() {
    let template = "{% extends \"base.html\" %}{% block content %}{{ report.title | no_such_filter }}\n\
                    <p>{{ no_such_function() }}</p>{% endblock content %}";
    let site = one_report_site().file("templates/report.html", template);
    let run = crate::support::run(&["check", "--root", site.root().to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let errors: Vec<serde_json::Value> = (run.stdout.lines())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["severity"] == "error")
        .collect();
    let found: Vec<(String, u64, u64, String)> = errors
        .iter()
        .map(|d| {
            let at = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
            (d["path"].as_str().unwrap().to_string(), at.0, at.1, d["message"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("templates/report.html".to_string(), 1, 63, "Unknown filter `no_such_filter`".to_string()),
            ("templates/report.html".to_string(), 2, 7, "Unknown function `no_such_function`".to_string()),
        ],
        "{}",
        run.stdout
    );
}
