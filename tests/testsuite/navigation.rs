//! The main navigation: `menu:` in site.yaml (sections, plain pages, labelled links),
//! rendered by both themes, its mistakes reported at their lines, and a default that
//! leaves no page of the site reachable only from the sitemap (a crawl from the home page,
//! following links and the search box's form, reaches every page).

use std::collections::{BTreeSet, VecDeque};

use crate::support::{TestSite, resolve};

/// Every HTML page reached from `index.html` by following `<a href>` links.
fn crawl(site: &TestSite) -> BTreeSet<String> {
    let mut seen = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let parsed = site.page(&page);
        // A search box's form leads to the search page as a link would.
        let forms = parsed.attrs("form[action]:not([method=post])", "action");
        for href in parsed.attrs("a[href]", "href").into_iter().chain(forms) {
            if href.contains(':') || href.starts_with("//") {
                continue; // elsewhere (https:, mailto:)
            }
            let Some(target) = resolve(&page, &href) else { continue };
            if target.ends_with(".html") && site.has(&target) && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    seen
}

#[test]
fn every_page_is_reachable_from_the_home_page_in_both_themes() {
    let site = TestSite::example();
    for theme in ["default", "minimal"] {
        if theme == "minimal" {
            site.use_minimal_theme();
        }
        site.build(&[]).success();
        let reached = crawl(&site);
        let orphans: Vec<String> = site
            .html_files()
            .into_iter()
            .filter(|page| !page.ends_with("404.html") && !reached.contains(page))
            .collect();
        assert!(orphans.is_empty(), "{theme}: reachable from no page: {orphans:?}");
        assert!(reached.contains("about/index.html") && reached.contains("ru/about/index.html"), "{theme}");
    }
}

/// The labels and `href`s of the main navigation of `page` (default theme).
fn menu_of(site: &TestSite, page: &str) -> Vec<(String, String)> {
    let page = site.page(page);
    let links = page.select("nav.site-nav a");
    links.iter().map(|a| (crate::support::text_of(*a), a.attr("href").unwrap().to_string())).collect()
}

#[test]
fn a_menu_in_site_yaml_orders_sections_pages_and_links_in_each_language() {
    let site = TestSite::example();
    let menu = "menu:\n  - about.md\n  - people\n  - { label: { en: Press office, ru: Пресс-служба }, url: \"https://sco.int/\" }\n  - { label: Feed, url: /feed.xml }\n";
    site.write("site.yaml", &format!("{}\n{menu}", site.read("site.yaml")));
    site.build(&[]).success();
    assert_eq!(
        menu_of(&site, "people/index.html"),
        [
            ("About".to_string(), "../about/".to_string()),
            ("People".to_string(), "../people/".to_string()),
            ("Press office".to_string(), "https://sco.int/".to_string()),
            ("Feed".to_string(), "../feed.xml".to_string()),
        ]
    );
    let current = site.page("people/index.html").attrs("nav.site-nav a[aria-current=page]", "href");
    assert_eq!(current, ["../people/"]);
    let russian: Vec<String> = menu_of(&site, "ru/index.html").into_iter().map(|(label, _)| label).collect();
    assert_eq!(russian, ["О сайте", "Персоны", "Пресс-служба", "Feed"]);
    // A site path is the same file in every language.
    assert_eq!(menu_of(&site, "ru/index.html")[3].1, "../feed.xml");
    // Chinese has no label of its own: the default language's.
    assert_eq!(menu_of(&site, "zh/index.html")[2].0, "Press office");
}

#[test]
fn menu_entries_that_lead_nowhere_are_errors_at_their_lines() {
    let site = TestSite::example();
    let menu = "menu:\n  - people\n  - persons\n  - missing.md\n  - reports/2019-04-02-weihai-city-committee/index.md\n  - { label: '', url: /x/ }\n";
    let config = format!("{}\n{menu}", site.read("site.yaml"));
    let first = config.lines().position(|l| l == "menu:").unwrap() + 1;
    site.write("site.yaml", &config);
    let run = site.check();
    let lines = [first + 2, first + 3, first + 4, first + 5];
    for (line, says) in
        lines.iter().zip(["\"persons\" is neither a section", "no content/missing.md", "not a page", "needs a `label`"])
    {
        run.stderr_has(&format!("site.yaml:{line}:3: error: menu: "));
        run.stderr_has(says);
    }
    assert_eq!(run.stderr.matches("error: menu:").count(), 4, "{}", run.stderr);
}
