//! What the default theme shows a reader, read through CSS selectors: the page frame
//! (language, skip link, landmarks, navigation, footer), the person timeline, the index
//! pages' jump links and groups. Accessibility in a real browser is in [`crate::a11y`].

use crate::support::{Page, TestSite, select_in, text_of};

fn report(front_matter: &str) -> String {
    format!("---\n{front_matter}\n---\nText.\n")
}

/// A site with one person in two roles over three reports in two years, and cities in
/// two countries plus one without a country.
fn timeline_site() -> TestSite {
    TestSite::new()
        .file(
            "content/reports/a.md",
            &report(
                "title: First visit\ndate: 2019-03-01\ncities: [{name: Weihai, country: China}]\n\
                 officials: [{name: Ana Lima, role: Consul, country: Brazil}]",
            ),
        )
        .file(
            "content/reports/b.md",
            &report(
                "title: Second visit\ndate: 2019-11-20\ncities: [{name: Almaty, country: Kazakhstan}]\n\
                 officials: [{name: Ana Lima, role: Consul, country: Brazil}]",
            ),
        )
        .file(
            "content/reports/c.md",
            &report(
                "title: Third visit\ndate: 2021-06-05\ncities: [Springfield]\n\
                 officials: [{name: Ana Lima, role: Ambassador, country: Brazil}, {name: Bo Chen}]",
            ),
        )
}

#[test]
fn every_page_has_a_language_a_skip_link_landmarks_and_one_heading() {
    let site = TestSite::example();
    site.build(&[]).success();
    for path in site.html_files() {
        let page = site.page(&path);
        // The example site is in English, with Russian and Chinese under their folders.
        let (language, main_label) = [("ru", "Основная навигация"), ("zh", "主导航")]
            .into_iter()
            .find(|(tag, _)| path.starts_with(&format!("{tag}/")))
            .unwrap_or(("en", "Main"));
        assert_eq!(page.attrs("html", "lang"), [language], "{path}: <html lang>");
        let skip = page.select("body > a.skip-link");
        assert_eq!(skip.len(), 1, "{path}: one skip link");
        let target = skip[0].attr("href").unwrap_or_default();
        let main = page.select("main");
        assert_eq!(main.len(), 1, "{path}: one <main>");
        // The 404 page links absolutely (it is served at any address), so compare the fragment.
        let fragment = target.rsplit('#').next().unwrap_or_default();
        assert_eq!(main[0].attr("id"), Some(fragment), "{path}: the skip link leads to <main>");
        assert_eq!(page.select("body > header.site-header").len(), 1, "{path}: a banner");
        assert_eq!(page.select("body > footer.site-footer").len(), 1, "{path}: a content info");
        assert_eq!(page.attrs("header nav.site-nav", "aria-label"), [main_label], "{path}: the main navigation");
        assert_eq!(page.select("h1").len(), 1, "{path}: exactly one <h1>");
        assert!(page.select("img:not([alt])").is_empty(), "{path}: an image without alt");
    }
}

#[test]
fn the_navigation_names_every_section_and_marks_the_current_one() {
    let site = TestSite::example();
    site.build(&[]).success();
    let nav = "header nav[aria-label=Main] a";
    for (path, current) in [
        ("index.html", "Reports"),
        ("reports/weihai-city-committee/index.html", "Reports"),
        ("people/index.html", "People"),
        ("people/wang-luming/index.html", "People"),
        ("cities/weihai/index.html", "Cities"),
        ("countries/index.html", "Countries"),
        ("topics/index.html", "Topics"),
        ("figures/index.html", "Figures"),
        ("about/index.html", "About"),
    ] {
        let page = site.page(path);
        // The sections, then the plain pages (search has its own box in the header).
        assert_eq!(
            page.texts(nav),
            ["Reports", "People", "Cities", "Countries", "Topics", "Figures", "About"],
            "{path}"
        );
        assert_eq!(page.texts(&format!("{nav}[aria-current=page]")), [current], "{path}");
    }
    assert!(site.page("search/index.html").select(&format!("{nav}[aria-current]")).is_empty());
    // One search entry in the header: the box (on every page but the search page itself).
    assert_eq!(site.page("index.html").select("header form[role=search]").len(), 1);
    assert!(site.page("index.html").select("header a[href$='search/']").is_empty());
}

#[test]
fn the_footer_links_the_feed_and_the_data_exports() {
    let site = TestSite::example();
    site.build(&[]).success();
    let page = site.page("people/wang-luming/index.html");
    let targets: Vec<String> =
        page.attrs("footer.site-footer a[href]", "href").iter().map(|href| page.target(href)).collect();
    assert_eq!(targets, ["feed.xml", "data/reports.json", "data/figures.csv"]);
    assert!(targets.iter().all(|t| site.output().join(t).is_file()), "{targets:?}");

    // Without base_url there is no feed, and no link to one.
    let plain = TestSite::new().file("content/reports/a.md", &report("title: A\ndate: 2019-04-02"));
    plain.build(&[]).success();
    let page = plain.page("index.html");
    assert_eq!(page.texts("footer.site-footer a"), ["Reports as JSON", "Figures as CSV"]);
}

#[test]
fn a_person_page_shows_roles_and_reports_over_time() {
    let site = timeline_site();
    site.build(&[]).success();
    let page = site.page("people/ana-lima/index.html");
    let roles: Vec<String> = page.select("ol.timeline > li").into_iter().map(text_of).collect();
    assert_eq!(roles, ["March 2019 – November 2019 Consul", "June 2021 Ambassador"]);
    assert_eq!(page.texts(".years > h3"), ["2021", "2019"], "reports by year, newest first");
    let by_year: Vec<Vec<String>> = page
        .select(".years > ul.report-list")
        .into_iter()
        .map(|list| select_in(list, "a.report-title").into_iter().map(text_of).collect())
        .collect();
    assert_eq!(by_year, [vec!["Third visit"], vec!["Second visit", "First visit"]]);
    assert_eq!(page.text("#reports-h"), "Reports (3)");
}

/// The element a `#fragment` link on `page` leads to, by id.
fn fragment_target<'a>(page: &'a Page, href: &str) -> Option<scraper::ElementRef<'a>> {
    let id = href.strip_prefix('#')?;
    page.select("[id]").into_iter().find(|e| e.attr("id") == Some(id))
}

#[test]
fn the_people_index_jumps_to_each_letter_and_counts_its_people() {
    let site = timeline_site();
    site.build(&[]).success();
    let page = site.page("people/index.html");
    let jumps = page.select("nav.letters a");
    assert_eq!(jumps.iter().map(|a| text_of(*a)).collect::<Vec<_>>(), ["A (1)", "B (1)"]);
    for a in &jumps {
        let href = a.attr("href").unwrap();
        let target = fragment_target(&page, href).unwrap_or_else(|| panic!("{href} leads nowhere"));
        assert_eq!(target.value().name(), "h2", "{href}");
    }
    assert_eq!(page.texts("main section h2"), ["A 1 person", "B 1 person"]);
    assert_eq!(page.texts("main section .entity-list a"), ["Ana Lima", "Bo Chen"]);
}

#[test]
fn the_cities_index_groups_cities_by_country_with_jump_links() {
    let site = timeline_site();
    site.build(&[]).success();
    let page = site.page("cities/index.html");
    let headings = page.texts("main section > h2");
    assert_eq!(
        headings,
        ["China 1 city · 1 report", "Kazakhstan 1 city · 1 report", "Country not given 1 city · 1 report"]
    );
    let jumps = page.select("nav.jump a");
    assert_eq!(jumps.iter().map(|a| text_of(*a)).collect::<Vec<_>>(), ["China", "Kazakhstan", "Country not given"]);
    for (a, section) in jumps.iter().zip(page.select("main section")) {
        let href = a.attr("href").unwrap();
        let target = fragment_target(&page, href).unwrap_or_else(|| panic!("{href} leads nowhere"));
        assert_eq!(select_in(section, "h2")[0].id(), target.id(), "{href} leads to its group");
    }
    let in_china: Vec<String> =
        select_in(page.select("main section")[0], ".entity-list a").into_iter().map(text_of).collect();
    assert_eq!(in_china, ["Weihai"]);
}

#[test]
fn tables_that_may_scroll_sideways_can_be_reached_by_keyboard() {
    let site = TestSite::example();
    site.build(&[]).success();
    for path in ["figures/index.html", "cities/weihai/index.html", "reports/weihai-city-committee/index.html"] {
        let page = site.page(path);
        let regions = page.select(".table-scroll");
        assert!(!regions.is_empty(), "{path}");
        for region in regions {
            assert_eq!(region.attr("tabindex"), Some("0"), "{path}");
            assert_eq!(region.attr("role"), Some("region"), "{path}");
            assert!(region.attr("aria-label").is_some() || region.attr("aria-labelledby").is_some(), "{path}");
        }
    }
}
