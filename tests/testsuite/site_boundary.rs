//! Nothing outside the site is read or published: sources that are symbolic links leading
//! out of the root, and a `theme:` that is not a folder of `themes/`, are errors, and no
//! diagnostic shows a line of a file outside the site.

use std::path::Path;

use crate::support::{TestSite, snapshot};

const SECRET: &str = "SECRET-7f3a";

/// A valid site with one report, built once so an output exists.
fn built_site() -> TestSite {
    let site = TestSite::new()
        .file("site.yaml", "title: Inside\n")
        .file("content/reports/a.md", "---\ntitle: A\ndate: 2019-01-01\ncities: [Tashkent]\n---\nA.\n");
    site.build(&[]).success();
    site
}

/// Files outside any site that a hostile link could point at: a content folder, a data
/// folder and registries, a static folder, templates, string files, a whole theme and a site.yaml,
/// each holding the secret.
fn outside_tree() -> tempfile::TempDir {
    let dir = crate::support::tempdir();
    let put = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    put("content/reports/s.md", &format!("---\ntitle: {SECRET}\ndate: 2020-01-01\n---\n{SECRET}\n"));
    put("data/people.yaml", &format!("- name: {SECRET}\n  bio: {SECRET} {SECRET}\n"));
    put("data/cities.yaml", &format!("- name: {SECRET}\n  country: {SECRET}\n"));
    put("static/secret.txt", SECRET);
    put("templates/report.html", &format!("{SECRET} {{{{ nope }}"));
    put("theme/templates/base.html", &format!("{SECRET} {{% block x %}}"));
    put("theme/static/secret.txt", SECRET);
    put("themes/mine/templates/base.html", &format!("{SECRET} {{% block x %}}"));
    put("site.yaml", &format!("title: {SECRET}\nbogus: {SECRET}\n"));
    put("i18n/en.yaml", &format!("nav.people: {SECRET}\nbroken: [{SECRET}\n"));
    put("theme/i18n/en.yaml", &format!("nav.people: {SECRET}\nbroken: [{SECRET}\n"));
    dir
}

fn link(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    if link.is_dir() {
        std::fs::remove_dir_all(link).unwrap();
    } else if link.exists() {
        std::fs::remove_file(link).unwrap();
    }
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[test]
fn every_kind_of_source_linked_outside_the_site_is_an_error_and_never_read() {
    let outside = outside_tree();
    let o = |rel: &str| outside.path().join(rel);
    let cases: &[(&str, &str, &str)] = &[
        ("content", "content", ""),
        ("data", "data", ""),
        ("data/people.yaml", "data/people.yaml", ""),
        ("data/cities.yaml", "data/cities.yaml", ""),
        ("static", "static", ""),
        ("templates", "templates", ""),
        ("site.yaml", "site.yaml", ""),
        ("themes", "themes", "theme: mine\n"),
        ("themes/mine", "theme", "theme: mine\n"),
        ("themes/mine/templates", "theme/templates", "theme: mine\n"),
        ("themes/mine/static", "theme/static", "theme: mine\n"),
        ("i18n", "i18n", ""),
        ("themes/mine/i18n", "theme/i18n", "theme: mine\n"),
    ];
    for (source, target, config) in cases {
        let site = built_site();
        if !config.is_empty() {
            std::fs::create_dir_all(site.path("themes/mine/templates")).unwrap();
            site.write("site.yaml", &format!("title: Inside\n{config}"));
        }
        link(&o(target), &site.path(source));
        let before = snapshot(&site.output());
        for run in [site.build(&[]), site.check()] {
            assert_eq!(run.code, 1, "{source}: {}", run.stderr);
            run.stderr_has(&format!("{source}: error: leads outside the site"));
            assert!(!run.stderr.contains(SECRET), "{source}: a diagnostic showed the outside file:\n{}", run.stderr);
        }
        assert_eq!(snapshot(&site.output()), before, "{source}: the output changed");
    }
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = built_site().file("shared/static/logo.txt", "logo").file("shared/data/people.yaml", "- name: Ann Lee\n");
    std::os::unix::fs::symlink(site.path("shared/static"), site.path("static")).unwrap();
    std::os::unix::fs::symlink(site.path("shared/data"), site.path("data")).unwrap();
    site.build(&[]).success();
    assert_eq!(std::fs::read_to_string(site.output().join("logo.txt")).unwrap(), "logo");
}

#[test]
fn a_theme_that_is_not_a_folder_of_themes_is_an_error_at_its_line() {
    let outside = outside_tree();
    for theme in ["../../x", "/etc", "..", ".hidden", "a/b", "a\\\\b"] {
        let site = built_site().file("site.yaml", &format!("title: T\ntheme: \"{theme}\"\n"));
        std::fs::create_dir_all(site.path("themes")).unwrap();
        // `themes/../../x` would lead here, beside the site root.
        std::os::unix::fs::symlink(outside.path().join("theme"), site.root().parent().unwrap().join("x")).ok();
        let run = site.build(&[]).exit(1);
        run.stderr_has("site.yaml:2:8: error: theme \"");
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    }
}

/// `dir/<prefix><byte><suffix>`: a file name that is not valid UTF-8.
fn bad_name(dir: &Path, prefix: &str, byte: u8, suffix: &str) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let mut name = prefix.as_bytes().to_vec();
    name.push(byte);
    name.extend_from_slice(suffix.as_bytes());
    dir.join(std::ffi::OsStr::from_bytes(&name))
}

#[test]
fn names_that_differ_only_in_invalid_utf8_are_errors_never_merged() {
    let site = built_site();
    std::fs::create_dir_all(site.path("static/photos")).unwrap();
    std::fs::write(bad_name(&site.path("static/photos"), "a", 0xFF, ".txt"), "first").unwrap();
    std::fs::write(bad_name(&site.path("static/photos"), "a", 0xFE, ".txt"), "second").unwrap();
    std::fs::write(bad_name(&site.path("content/reports"), "b", 0xFF, ".md"), "---\ntitle: B\ndate: 2020-01-01\n---\n")
        .unwrap();
    let before = snapshot(&site.output());
    for run in [site.build(&[]), site.check()] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        let named = |folder: &str| {
            run.stderr.lines().filter(|l| l.starts_with(&format!("{folder}: error: a file here is named"))).count()
        };
        assert_eq!(named("static/photos"), 2, "{}", run.stderr);
        assert_eq!(named("content/reports"), 1, "{}", run.stderr);
    }
    assert_eq!(snapshot(&site.output()), before);
}
