//! Files for machines: Atom feeds, sitemap.xml, robots.txt, canonical and OpenGraph tags.
//! Feeds and sitemaps are read with a real XML parser.

use crate::support::{TestSite, resolve};

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn entries<'a>(doc: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.root_element().children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect()
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children().find(|n| n.has_tag_name((ATOM, name))).and_then(|n| n.text()).unwrap_or_default()
}

#[test]
fn the_site_people_and_cities_have_atom_feeds() {
    let site = TestSite::example();
    site.build(&[]).success();
    let text = site.read("output/feed.xml");
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is well-formed XML");
    assert!(doc.root_element().has_tag_name((ATOM, "feed")));
    assert_eq!(child_text(doc.root_element(), "id"), "https://example.org/");
    let items = entries(&doc);
    assert_eq!(items.len(), 2);
    assert_eq!(child_text(items[0], "title"), "SCO Secretariat delegation visits Qingdao", "newest first");
    assert_eq!(child_text(items[0], "id"), "https://example.org/reports/qingdao-delegation/");
    assert_eq!(child_text(items[0], "published"), "2020-07-23T00:00:00Z");
    assert!(!child_text(items[0], "summary").is_empty());

    let person = site.read("output/people/wang-luming/feed.xml");
    let doc = roxmltree::Document::parse(&person).unwrap();
    let titles: Vec<&str> = entries(&doc).iter().map(|e| child_text(*e, "title")).collect();
    assert_eq!(titles, ["SCO Secretary-General meets the Secretary of the Weihai City Committee"]);
    let city = site.read("output/cities/weihai/feed.xml");
    assert_eq!(entries(&roxmltree::Document::parse(&city).unwrap()).len(), 1);

    // Each feed is advertised on its page, with a link that resolves to it.
    for page in ["index.html", "people/wang-luming/index.html", "cities/weihai/index.html"] {
        let hrefs = site.page(page).attrs("link[rel=alternate][type='application/atom+xml']", "href");
        assert_eq!(hrefs.len(), 1, "{page}");
        let target = resolve(page, &hrefs[0]).unwrap();
        assert!(target.ends_with("feed.xml") && site.has(&target), "{page} -> {target}");
    }
}

#[test]
fn the_sitemap_lists_every_page_and_robots_points_at_it() {
    let site = TestSite::example();
    site.build(&[]).success();
    let text = site.read("output/sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().trim_start_matches("https://example.org/").to_string())
        .collect();
    let pages: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    let mut expected = pages.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    let report = doc
        .descendants()
        .find(|n| n.has_tag_name((ns, "loc")) && n.text() == Some("https://example.org/reports/weihai-city-committee/"))
        .unwrap();
    let lastmod = report.next_sibling_element().unwrap();
    assert_eq!(lastmod.text(), Some("2019-04-02"));
    assert!(site.read("output/robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn pages_carry_canonical_and_opengraph_tags() {
    let site = TestSite::example();
    site.build(&[]).success();
    let page = site.page("reports/weihai-city-committee/index.html");
    assert_eq!(page.attrs("link[rel=canonical]", "href"), ["https://example.org/reports/weihai-city-committee/"]);
    assert_eq!(page.attrs("meta[property='og:type']", "content"), ["article"]);
    assert_eq!(
        page.attrs("meta[property='og:title']", "content"),
        ["SCO Secretary-General meets the Secretary of the Weihai City Committee"]
    );
    assert_eq!(page.attrs("meta[property='og:url']", "content"), page.attrs("link[rel=canonical]", "href"));
}

#[test]
fn without_base_url_feeds_are_skipped_with_a_warning() {
    let site = TestSite::example();
    let config = site.read("site.yaml").replace("base_url: https://example.org/", "");
    site.write("site.yaml", &config);
    let run = site.build(&[]).success();
    run.stderr_has("site.yaml: warning: base_url is not set: feeds, sitemap.xml and robots.txt are not written");
    assert!(!site.has("feed.xml") && !site.has("sitemap.xml"));
    assert!(site.page("index.html").select("link[rel=canonical]").is_empty());
    let with_flag = site.build(&["--base-url", "https://example.net/news/"]).success();
    assert!(!with_flag.stderr.contains("base_url is not set"));
    assert!(site.read("output/feed.xml").contains("<id>https://example.net/news/</id>"));
}
