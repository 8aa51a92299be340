//! The maps of the default theme (docs/media.md, Maps): the cities index, country, person
//! and city pages show an SVG map whose markers link to the cities' pages with accessible
//! names; cities without coordinates are listed but not drawn; no city to draw, no map.

use crate::support::{Page, TestSite, select_in, text_of};

const CITIES: &str = "\
- { name: Weihai, country: China, lat: 37.51, lon: 122.12 }
- { name: Qingdao, country: China, lat: 36.07, lon: 120.38 }
- { name: Tashkent, country: Uzbekistan }
- { name: Anadyr, country: Russia, lat: 64.73, lon: 177.51 }
";

fn report(name: &str, date: &str, cities: &str) -> (String, String) {
    let text =
        format!("---\ntitle: {name}\ndate: {date}\ncities: [{cities}]\nofficials: [Vladimir Norov]\n---\nA visit.\n");
    (format!("content/reports/{date}-{name}.md"), text)
}

/// Norov visits Weihai and Qingdao, Qingdao again, then Tashkent; Anadyr has no report.
fn site() -> TestSite {
    let mut site = TestSite::new().file("site.yaml", "title: Maps\n").file("data/cities.yaml", CITIES);
    for (name, date, cities) in [
        ("weihai", "2019-04-02", "Weihai, Qingdao"),
        ("qingdao", "2020-07-23", "Qingdao"),
        ("tashkent", "2021-05-01", "Tashkent"),
    ] {
        let (path, text) = report(name, date, cities);
        site = site.file(&path, &text);
    }
    site.build(&[]).success();
    site
}

/// A map's markers as (accessible name, page linked to, radius), in the order drawn.
fn markers(page: &Page) -> Vec<(String, String, f64)> {
    let maps = page.select("svg.map");
    assert_eq!(maps.len(), 1, "{}: expected one map", page.path);
    select_in(maps[0], "a")
        .into_iter()
        .map(|a| {
            let circle = select_in(a, "circle");
            let radius = circle[0].attr("r").expect("a radius").parse().expect("a number");
            (a.attr("aria-label").expect("a name").to_string(), page.target(a.attr("href").expect("a link")), radius)
        })
        .collect()
}

/// Asserts each marker links to the page of the city it names (`Weihai, 1 report`).
#[track_caller]
fn assert_linked_by_name(site: &TestSite, markers: &[(String, String, f64)]) {
    for (name, target, _) in markers {
        let slug = name.split(',').next().unwrap().to_lowercase();
        assert_eq!(target, &format!("cities/{slug}/index.html"), "{name}");
        assert!(site.has(target), "{target}");
    }
}

fn names(markers: &[(String, String, f64)]) -> Vec<&str> {
    let mut names: Vec<&str> = markers.iter().map(|m| m.0.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn the_cities_index_marks_every_city_with_coordinates_linked_to_its_page() {
    let site = site();
    let page = site.page("cities/index.html");
    let found = markers(&page);
    assert_eq!(names(&found), ["Anadyr, 0 reports", "Qingdao, 2 reports", "Weihai, 1 report"]);
    assert_linked_by_name(&site, &found);
    // The map is a named group of links in a figure; the list still names every city.
    let figure = page.select("figure.map-figure");
    assert_eq!(figure.len(), 1);
    assert_eq!(select_in(figure[0], "svg")[0].attr("role"), Some("group"));
    let caption = text_of(select_in(figure[0], "figcaption")[0]);
    assert!(caption.contains("1 city has no coordinates"), "{caption}");
    assert!(page.texts(".entity-list a").contains(&"Tashkent".to_string()));
}

#[test]
fn markers_grow_with_the_number_of_reports() {
    let found = markers(&site().page("cities/index.html"));
    let radius = |city: &str| found.iter().find(|m| m.0.starts_with(city)).unwrap().2;
    // Areas in proportion to the reports: twice the reports, √2 times the radius.
    let ratio = radius("Qingdao") / radius("Weihai");
    assert!((ratio - 2f64.sqrt()).abs() < 0.02, "{ratio}: {found:?}");
    // A city without reports still gets a marker big enough to see and to select.
    assert!(radius("Anadyr") >= 3.0 && radius("Anadyr") < radius("Weihai"), "{found:?}");
}

#[test]
fn country_person_and_city_pages_map_their_own_cities() {
    let site = site();
    let china = markers(&site.page("countries/china/index.html"));
    assert_eq!(names(&china), ["Qingdao, 2 reports", "Weihai, 1 report"]);
    assert_linked_by_name(&site, &china);
    // The person's cities, sized by the person's reports there; Tashkent is listed only.
    let person = site.page("people/vladimir-norov/index.html");
    let visited = markers(&person);
    assert_eq!(names(&visited), ["Qingdao, 2 reports", "Weihai, 1 report"]);
    assert_linked_by_name(&site, &visited);
    assert!(person.texts("#cities-h ~ ul a, #cities-h ~ * a").iter().any(|t| t == "Tashkent"));
    // A city page has a small locator map marking the city itself.
    let weihai = site.page("cities/weihai/index.html");
    assert_eq!(weihai.select("svg.map-locator").len(), 1);
    let marked = markers(&weihai);
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].1, "cities/weihai/index.html");
}

#[test]
fn pages_whose_cities_have_no_coordinates_show_no_map() {
    let site = site();
    for page in ["countries/uzbekistan/index.html", "cities/tashkent/index.html"] {
        let page = site.page(page);
        assert!(page.select("svg").is_empty() && page.select("figure.map-figure").is_empty(), "{}", page.path);
    }
    let without = TestSite::new().file("site.yaml", "title: Maps\n").file(
        "data/cities.yaml",
        "- { name: Tashkent, country: Uzbekistan }\n- { name: Bukhara, lat: .nan, lon: 64.4 }\n",
    );
    let (path, text) = report("tashkent", "2021-05-01", "Tashkent, Bukhara");
    let without = without.file(&path, &text);
    without.build(&[]).success();
    for page in ["cities/index.html", "people/vladimir-norov/index.html", "cities/bukhara/index.html"] {
        let page = without.page(page);
        assert!(page.select("svg").is_empty(), "{}: a map without a city to draw", page.path);
        assert!(page.texts("a").iter().any(|t| t == "Bukhara"), "{}: Bukhara is still listed", page.path);
    }
}

#[test]
fn a_city_name_full_of_markup_is_only_text_in_the_map() {
    let name = r#"Fort <b>&" 'x'"#;
    let site = TestSite::new()
        .file("site.yaml", "title: Maps\n")
        .file("data/cities.yaml", &format!("- {{ name: '{}', lat: 10, lon: 10 }}\n", name.replace('\'', "''")));
    let (path, text) = report("fort", "2021-05-01", &format!("'{}'", name.replace('\'', "''")));
    let site = site.file(&path, &text);
    site.build(&[]).success();
    let page = site.page("cities/index.html");
    let found = markers(&page);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, format!("{name}, 1 report"));
    assert!(page.select("svg b").is_empty(), "markup from a name became an element");
    assert_eq!(page.texts("svg title"), [format!("{name}, 1 report")]);
}
