//! Theme switching and the override rules of docs/themes.md §1.2–1.4, shown with the
//! second theme of the repository, `themes/minimal`: `theme:` picks it, it takes nothing
//! from the built-in theme, a site's `templates/` overrides single templates of it, every
//! required template must exist after the layers are combined, and its pages have no
//! broken links.

use crate::support::{TestSite, copy_dir, repo_root};

/// The example site (content and registries) with `themes/minimal` and `theme: minimal`.
fn example_with_minimal_theme() -> TestSite {
    let site = TestSite::example();
    site.use_minimal_theme();
    site
}

const REPORT_PAGE: &str = "reports/weihai-city-committee/index.html";

#[test]
fn theme_minimal_renders_every_page_and_takes_nothing_from_the_built_in_theme() {
    let site = example_with_minimal_theme();
    site.build(&[]).success();
    let pages = site.html_files();
    assert!(pages.len() > 30, "too few pages: {pages:?}");
    for page in &pages {
        assert_eq!(site.page(page).select("body.theme-minimal").len(), 1, "{page} was not rendered by minimal");
    }
    assert!(site.has("assets/minimal.css"));
    assert!(!site.has("assets/style.css"), "the built-in theme's stylesheet leaked into a minimal site");
    let report = site.page(REPORT_PAGE);
    assert_eq!(report.attrs("link[rel=stylesheet]", "href"), ["../../assets/minimal.css"]);
    assert!(report.texts("main table td").contains(&"¥360 billion".to_string()), "figures table missing");
}

#[test]
fn without_theme_key_the_built_in_theme_is_used() {
    let site = TestSite::example();
    copy_dir(&repo_root().join("themes/minimal"), &site.path("themes/minimal"));
    site.build(&[]).success();
    assert!(site.page(REPORT_PAGE).select("body.theme-minimal").is_empty());
    assert!(site.has("assets/style.css") && !site.has("assets/minimal.css"));
}

#[test]
fn a_site_template_overrides_one_template_of_the_chosen_theme() {
    let site = example_with_minimal_theme().file(
        "templates/report.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1 class=\"mine\">{{ report.title }}</h1>{% endblock content %}\n",
    );
    site.build(&[]).success();
    let report = site.page(REPORT_PAGE);
    assert_eq!(report.text("h1.mine"), "SCO Secretary-General meets the Secretary of the Weihai City Committee");
    assert!(report.select("main table").is_empty(), "the theme's report.html was used");
    assert_eq!(report.select("body.theme-minimal").len(), 1, "base.html should still come from minimal");
    let person = site.page("people/wang-luming/index.html");
    assert!(person.select("h1.mine").is_empty());
    assert_eq!(person.text("main h1"), "Wang Luming");
}

#[test]
fn a_theme_without_a_required_template_is_an_error_until_the_site_provides_it() {
    let site = TestSite::example();
    copy_dir(&repo_root().join("themes/minimal"), &site.path("themes/bare"));
    std::fs::remove_file(site.path("themes/bare/templates/city.html")).unwrap();
    site.write("site.yaml", &format!("{}\ntheme: bare\n", site.read("site.yaml")));
    site.build(&[]).exit(1).stderr_has("themes/bare/templates: error: the theme has no city.html template");
    assert!(!site.output().exists());

    // Layers are combined before the check: the site's own templates/ may fill the gap.
    site.write(
        "templates/city.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ city.name }}</h1>{% endblock content %}",
    );
    site.build(&[]).success();
    assert_eq!(site.page("cities/weihai/index.html").text("main h1"), "Weihai");
}

#[test]
fn check_finds_no_broken_links_in_the_minimal_theme_online_or_offline() {
    let site = example_with_minimal_theme();
    let online = site.check().success();
    assert!(!online.stderr.contains("broken link"), "{}", online.stderr);

    // Offline, and without base_url, so that 404.html's links are relative and checked too;
    // in one language, since this site.yaml has no `languages:`.
    let site = TestSite::example_in_one_language();
    copy_dir(&repo_root().join("themes/minimal"), &site.path("themes/minimal"));
    site.write("site.yaml", "title: Offline copy\ntheme: minimal\noffline: true\n");
    let offline = site.check().success();
    assert!(!offline.stderr.contains("broken link"), "{}", offline.stderr);
    site.build(&[]).success();
    let hrefs = site.page("reports/weihai-city-committee/index.html").attrs("a[href]", "href");
    assert!(hrefs.iter().any(|h| h == "../../people/index.html"), "offline links should name index.html: {hrefs:?}");
}
