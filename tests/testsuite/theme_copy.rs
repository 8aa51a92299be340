//! `communique theme list` and `communique theme copy` (issue #22 item 2): the built-in
//! theme copied into a site without the communique source tree. A copied template, once
//! edited, changes the pages; a copy of the whole theme builds the very same site; a
//! user's file is never replaced without `--force`, nothing is written outside the site
//! root, and unknown names are errors that list the known ones.

use crate::support::{Run, TestSite, repo_root, run, snapshot};

const REPORT_PAGE: &str = "reports/weihai-city-committee/index.html";

/// Runs `communique theme <args> --root <site>`.
fn theme(site: &TestSite, args: &[&str]) -> Run {
    let mut all = vec!["theme"];
    all.extend_from_slice(args);
    all.extend(["--root", site.root().to_str().expect("a UTF-8 temp path")]);
    run(&all)
}

/// The site's files outside its output and cache.
fn sources(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(site.root());
    files.retain(|path, _| !path.starts_with("output/") && !path.starts_with(".communique-cache/"));
    files
}

#[test]
fn a_copied_template_changes_nothing_until_it_is_edited_and_then_changes_its_pages() {
    let site = TestSite::example();
    site.build(&[]).success();
    let before = snapshot(&site.output());

    let copied = theme(&site, &["copy", "report.html"]).success();
    assert!(copied.stdout.contains("templates/report.html"), "{}", copied.stdout);
    assert!(copied.stdout.contains("it replaces the built-in report.html"), "no next step:\n{}", copied.stdout);
    let built_in = std::fs::read(repo_root().join("themes/default/templates/report.html")).unwrap();
    assert_eq!(std::fs::read(site.path("templates/report.html")).unwrap(), built_in);
    site.build(&[]).success();
    assert!(snapshot(&site.output()) == before, "a copy of report.html, unedited, changed the output");

    let text = site.read("templates/report.html");
    let heading = "<h1>{{ report.title }}</h1>";
    assert!(text.contains(heading), "report.html has no {heading} to edit");
    let edited = text.replacen(heading, &format!("{heading}<p class=\"edited\">Edited copy</p>"), 1);
    site.write("templates/report.html", &edited);
    site.build(&[]).success();
    let report = site.page(REPORT_PAGE);
    assert_eq!(report.text("main p.edited"), "Edited copy");
    assert!(!report.select("main h1").is_empty(), "the rest of the report page is gone");
    assert!(site.page("people/wang-luming/index.html").select("p.edited").is_empty(), "a person page changed");
    let listed = theme(&site, &["list"]).success();
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.starts_with("report.html ") && l.ends_with("overridden by templates/report.html"))
    );
}

#[test]
fn a_copy_of_the_whole_theme_builds_the_same_site_and_its_files_are_then_the_theme() {
    let site = TestSite::example();
    site.build(&[]).success();
    let before = snapshot(&site.output());

    let copied = theme(&site, &["copy"]).success();
    assert!(copied.stdout.contains("into "), "{}", copied.stdout);
    // Exactly the theme of the repository, from which the built-in one is made.
    assert_eq!(snapshot(&site.path("themes/default")), snapshot(&repo_root().join("themes/default")));
    site.build(&[]).success();
    let after = snapshot(&site.output());
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    assert!(after == before, "the copied theme built different files");

    // The copy is what the site is built with: an edit shows, a deleted file falls back.
    let css = site.read("themes/default/static/assets/style.css");
    site.write("themes/default/static/assets/style.css", &format!("{css}\n.edited-copy {{ color: red; }}\n"));
    std::fs::remove_file(site.path("themes/default/templates/person.html")).unwrap();
    site.build(&[]).success();
    let published = std::fs::read_to_string(site.output().join("assets/style.css")).unwrap();
    assert!(published.contains(".edited-copy"));
    assert_eq!(site.page("people/wang-luming/index.html").text("main h1"), "Wang Luming");

    // Run again, it changes nothing and says so; the edited file is refused.
    let again = theme(&site, &["copy"]).exit(1);
    again.stderr_has("refusing to overwrite themes/default/static/assets/style.css: it differs");
    again.stderr_has("Nothing was written.");
    assert!(!site.path("themes/default/templates/person.html").exists(), "a refused copy wrote a file");
}

#[test]
fn a_users_file_is_replaced_only_with_force_and_nothing_is_written_before_that() {
    let site = TestSite::example().file("templates/report.html", "mine\n").file("templates/404.html", "mine too\n");
    let before = sources(&site);
    let refused = theme(&site, &["copy", "base.html", "report.html", "404.html"]).exit(1);
    refused.stderr_has("refusing to overwrite templates/report.html, templates/404.html: they differ");
    refused.stderr_has("pass --force");
    assert!(sources(&site) == before, "a refused copy changed the site");

    // A link in the place of a template (to a file inside the site) is replaced, not written through.
    site.write("notes/kept.html", "kept\n");
    std::fs::remove_file(site.path("templates/report.html")).unwrap();
    std::os::unix::fs::symlink(site.path("notes/kept.html"), site.path("templates/report.html")).unwrap();
    let forced = theme(&site, &["copy", "base.html", "report.html", "--force"]).success();
    assert_eq!(site.read("notes/kept.html"), "kept\n", "the copy was written through a link");
    assert!(!site.path("templates/report.html").is_symlink());
    assert!(forced.stdout.contains("templates/report.html   (replaced)"), "{}", forced.stdout);
    let built_in = |name: &str| std::fs::read(repo_root().join("themes/default/templates").join(name)).unwrap();
    assert_eq!(std::fs::read(site.path("templates/report.html")).unwrap(), built_in("report.html"));
    assert_eq!(std::fs::read(site.path("templates/base.html")).unwrap(), built_in("base.html"));
    assert_eq!(site.read("templates/404.html"), "mine too\n", "a file not named was replaced");
}

#[test]
fn unknown_names_are_errors_that_list_the_known_ones_and_other_files_go_by_their_path() {
    let site = TestSite::example();
    let before = sources(&site);
    let typo = theme(&site, &["copy", "reprot.html"]).exit(1);
    typo.stderr_has("the built-in theme has no file \"reprot.html\"; did you mean \"report.html\"?");
    typo.stderr_has("404.html, base.html, cities.html");
    typo.stderr_has("static/assets/style.css");
    theme(&site, &["copy", "assets/style.css"]).exit(1).stderr_has("did you mean \"static/assets/style.css\"?");
    assert!(sources(&site) == before);

    // Other files by their path in the theme, to the site folder of the same name, where
    // they change nothing either until edited.
    site.build(&[]).success();
    let built = snapshot(&site.output());
    theme(&site, &["copy", "static/assets/style.css", "i18n/ru.yaml"]).success();
    assert!(site.path("static/assets/style.css").is_file() && site.path("i18n/ru.yaml").is_file());
    let run = site.build(&[]).success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(snapshot(&site.output()) == built, "copies of a stylesheet and a string file changed the output");
}

#[test]
fn nothing_is_written_outside_the_site_root() {
    let outside = crate::support::tempdir();
    std::fs::write(outside.path().join("report.html"), "outside\n").unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("templates", &["copy", "base.html"]),
        ("templates/partials", &["copy", "partials/counted.html"]),
        ("templates/report.html", &["copy", "report.html", "--force"]),
        ("static", &["copy", "static/assets/style.css"]),
        ("themes", &["copy"]),
        ("themes/default", &["copy", "--force"]),
    ];
    for (linked, args) in cases {
        let site = TestSite::example();
        let target = if linked.ends_with(".html") { outside.path().join("report.html") } else { outside.path().into() };
        std::fs::create_dir_all(site.path(linked).parent().unwrap()).unwrap();
        if site.path(linked).is_dir() {
            std::fs::remove_dir_all(site.path(linked)).unwrap();
        }
        std::os::unix::fs::symlink(&target, site.path(linked)).unwrap();
        let refused = theme(&site, args).exit(1);
        refused.stderr_has(&format!("{linked} leads outside the site"));
        let left: Vec<String> = snapshot(outside.path()).into_keys().collect();
        assert_eq!(left, ["report.html"], "{linked}: a file was written outside the site");
        assert_eq!(std::fs::read_to_string(outside.path().join("report.html")).unwrap(), "outside\n");
    }
}

#[test]
fn a_site_with_another_theme_gets_no_single_files_of_the_built_in_one() {
    let site = TestSite::example();
    site.use_minimal_theme();
    let refused = theme(&site, &["copy", "report.html"]).exit(1);
    refused.stderr_has("this site uses theme \"minimal\", not the built-in default theme");
    assert!(!site.path("templates").exists());
    let whole = theme(&site, &["copy"]).success();
    assert!(whole.stdout.contains("set `theme: default` in site.yaml to use this copy"), "{}", whole.stdout);
    let listed = theme(&site, &["list"]).success();
    assert!(!listed.stdout.contains("overridden by"), "{}", listed.stdout);
    listed.stderr_has("takes nothing from the built-in theme");
}

#[test]
fn theme_list_names_every_file_and_what_overrides_it() {
    let outside_a_site = TestSite::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["theme", "list"])
        .current_dir(outside_a_site.root())
        .output()
        .expect("run communique");
    assert!(out.status.success(), "{out:?}");
    let plain = Run { code: 0, stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::new() };
    for required in ["base.html", "report.html", "partials/report_list.html", "static/assets/style.css", "i18n/ru.yaml"]
    {
        assert!(plain.stdout.lines().any(|l| l == required), "{required} not listed:\n{}", plain.stdout);
    }
    theme(&outside_a_site, &["list"]).exit(1).stderr_has("no site found");
    theme(&outside_a_site, &["copy"]).exit(1).stderr_has("no site found");

    let site = TestSite::example()
        .file("static/assets/style.css", "body {}\n")
        .file("themes/default/templates/base.html", "x");
    let listed = theme(&site, &["list"]).success();
    let line =
        |name: &str| listed.stdout.lines().find(|l| l.split_whitespace().next() == Some(name)).unwrap().to_string();
    assert!(line("static/assets/style.css").ends_with("overridden by static/assets/style.css"));
    assert!(line("base.html").ends_with("overridden by themes/default/templates/base.html"));
    assert_eq!(line("report.html"), "report.html");
}
