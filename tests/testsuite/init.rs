//! `communique init DIR`: the new site builds cleanly at once, its site.yaml names every
//! key, and existing files are never touched.

use std::path::Path;

use communique::BuildOptions;
use communique::config::{self, SiteConfig};

use crate::library::{self, output_text};
use crate::support::{TestSite, run, snapshot};

fn init(dir: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["init", dir.to_str().expect("a UTF-8 temp path")];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_new_site_builds_with_no_errors_and_no_warnings() {
    let parent = TestSite::new();
    let dir = parent.path("my-site");
    let made = init(&dir, &[]).success();
    for file in ["site.yaml", "content/about.md", "data/people.yaml", "data/cities.yaml", "templates/README.md"] {
        assert!(dir.join(file).is_file(), "init did not write {file}");
        assert!(made.stdout.contains(file), "init did not list {file}:\n{}", made.stdout);
    }
    assert!(made.stdout.contains("&& communique serve"), "no next step:\n{}", made.stdout);

    let built = library::build(&dir, BuildOptions::default()).clean();
    assert_eq!(built.site.reports.len(), 1, "one example report");
    let report = &built.site.reports[0];
    assert!(!report.officials.is_empty() && !report.cities.is_empty() && !report.figures.is_empty());
    assert!(output_text(&built, &format!("reports/{}/index.html", report.slug)).contains(&report.title));
    assert!(built.output.files.contains_key("about/index.html"), "no About page");
    // Registry entries are used: their bios and descriptions reach the pages.
    assert!(built.site.people.iter().all(|p| p.bio.is_some() && !p.reports.is_empty()));

    // `check` also follows every link of every page.
    let checked = run(&["check", "--root", dir.to_str().unwrap()]).success();
    assert_eq!(checked.stderr, "", "check printed diagnostics");
}

#[test]
fn site_yaml_names_every_key_with_a_comment_and_the_defaults() {
    let parent = TestSite::new();
    let dir = parent.path("site");
    init(&dir, &[]).success();
    let text = std::fs::read_to_string(dir.join("site.yaml")).unwrap();

    let mapping: serde_yaml::Mapping = serde_yaml::from_str(&text).unwrap();
    let keys: Vec<&str> = mapping.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, config::KEYS, "site.yaml should list every key of SiteConfig in order");

    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.contains(':') && !l.starts_with(['#', ' '])) {
        let comment = lines[..i].iter().rev().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim().starts_with('#'));
        assert!(comment || line.starts_with("markdown:"), "no comment explains `{line}`");
    }

    // Apart from what describes the site itself, the values are the defaults.
    let parsed: SiteConfig = serde_yaml::from_str(&text).unwrap();
    let defaults = SiteConfig::default();
    assert_eq!(
        SiteConfig { title: defaults.title.clone(), description: String::new(), base_url: String::new(), ..parsed },
        defaults
    );
}

#[test]
fn a_folder_with_files_is_refused_unless_forced() {
    let site = TestSite::new().file("notes.txt", "mine\n");
    let before = snapshot(site.root());
    init(site.root(), &[]).exit(1).stderr_has("is not empty; pass --force");
    assert_eq!(snapshot(site.root()), before, "a refused init changed the folder");

    init(site.root(), &["--force"]).success();
    assert_eq!(site.read("notes.txt"), "mine\n");
    assert!(site.path("site.yaml").is_file() && site.path("content/about.md").is_file());
}

#[test]
fn force_never_overwrites_and_then_writes_nothing() {
    let site = TestSite::new().file("site.yaml", "title: Mine\n").file("content/about.md", "My page.\n");
    let before = snapshot(site.root());
    let refused = init(site.root(), &["--force"]).exit(1);
    refused.stderr_has("refusing to overwrite").stderr_has("site.yaml").stderr_has("content/about.md");
    refused.stderr_has("nothing was written");
    assert_eq!(snapshot(site.root()), before, "a refused init changed the folder");
}

#[test]
fn a_folder_with_only_hidden_entries_counts_as_empty() {
    let site = TestSite::new().file(".git/HEAD", "ref: refs/heads/main\n");
    init(site.root(), &[]).success();
    assert_eq!(site.read(".git/HEAD"), "ref: refs/heads/main\n");
    assert!(site.read(".gitignore").contains("/output/"), "output/ should be ignored by git");
}

#[test]
fn a_file_in_place_of_the_folder_is_an_error() {
    let site = TestSite::new().file("taken", "x\n");
    init(&site.path("taken"), &["--force"]).exit(1).stderr_has("is not a folder");
    assert_eq!(site.read("taken"), "x\n");
}
