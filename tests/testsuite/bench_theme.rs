//! `themes/bench`, the theme of scripts/bench.sh: on a small site shaped like the
//! generated benchmark corpus (../shared/bench/gen_corpus.py), report pages link their
//! officials and cities, entity pages list their reports, and no link is broken. Its
//! templates name few costly values; a template that reads one by key or as part of a whole
//! object still gets it (docs/themes.md §1.7).

use crate::support::{TestSite, copy_dir, repo_root};

/// One report in the corpus's form: cities, officials with role and country, figures.
fn report(title: &str, date: &str, cities: &[&str], officials: &[(&str, &str)], body: &str) -> String {
    let cities: String = cities.iter().map(|c| format!("  - {c}\n")).collect();
    let officials: String = officials
        .iter()
        .map(|(name, country)| format!("  - name: {name}\n    role: Governor of a Province\n    country: {country}\n"))
        .collect();
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"Talks on trade.\"\ncities:\n{cities}officials:\n{officials}\
         figures:\n  - label: GDP\n    value: 120181672964\n    unit: USD\n    year: 2021\n\
         topics: [\"investment\", \"culture\"]\n---\n{body}\n"
    )
}

/// Three reports sharing Datong and Abiy Sall, with `themes/bench` as the corpus copy of
/// bench.sh has it (no base_url, paginate 50, no search).
fn bench_site() -> TestSite {
    let site = TestSite::new()
        .file("site.yaml", "title: Cooperation Reports\ntheme: bench\npaginate: 50\nsearch: false\n")
        .file(
            "content/reports/abiy-sall-visits-datong-000001.md",
            &report(
                "Abiy Sall visits Datong",
                "2022-04-01",
                &["Datong", "Nairobi"],
                &[("Abiy Sall", "Zambia"), ("Zhao Wenjun", "China")],
                "On 1 April 2022, **Abiy Sall** met with Zhao Wenjun in Datong.",
            ),
        )
        .file(
            "content/reports/datong-hosts-talks-on-trade-000002.md",
            &report(
                "Datong hosts talks on trade",
                "2021-06-15",
                &["Datong"],
                &[("Abiy Sall", "Zambia")],
                "Trade grew by 8 percent.\n\n| Indicator | Value |\n| --- | ---: |\n| GDP | 5 |",
            ),
        )
        .file(
            "content/reports/zhao-wenjun-visits-nairobi-000003.md",
            &report(
                "Zhao Wenjun visits Nairobi",
                "2020-01-10",
                &["Nairobi"],
                &[("Zhao Wenjun", "China")],
                "Zhao Wenjun arrived in Nairobi.",
            ),
        );
    copy_dir(&repo_root().join("themes/bench"), &site.path("themes/bench"));
    site
}

#[test]
fn bench_theme_report_pages_link_officials_and_cities() {
    let site = bench_site();
    site.build(&[]).success();
    let page = site.page("reports/abiy-sall-visits-datong-000001/index.html");
    assert_eq!(page.text("article h1"), "Abiy Sall visits Datong");
    assert_eq!(page.text("article time"), "1 April 2022");
    assert_eq!(page.text("p.summary"), "Talks on trade.");
    assert_eq!(
        page.texts("section.officials li"),
        ["Abiy Sall, Governor of a Province (Zambia)", "Zhao Wenjun, Governor of a Province (China)"]
    );
    assert_eq!(page.follow("section.officials", "Abiy Sall"), "people/abiy-sall/index.html");
    assert_eq!(page.follow("section.officials", "Zhao Wenjun"), "people/zhao-wenjun/index.html");
    assert_eq!(page.follow("section.cities", "Datong"), "cities/datong/index.html");
    assert_eq!(page.follow("section.cities", "Nairobi"), "cities/nairobi/index.html");
    assert_eq!(page.texts("table.figures tbody td"), ["GDP", "120181672964", "USD", "2021", ""]);
    assert!(page.text("div.body").contains("met with Zhao Wenjun in Datong"));
    assert_eq!(page.follow("p.topics", "investment"), "topics/investment/index.html");
    for target in ["people/abiy-sall/index.html", "cities/datong/index.html", "topics/investment/index.html"] {
        assert!(site.has(target), "{target} was not written");
    }
}

#[test]
fn bench_theme_entity_pages_list_their_reports_newest_first() {
    let site = bench_site();
    site.build(&[]).success();
    let city = site.page("cities/datong/index.html");
    assert_eq!(city.text("main h1"), "Cities: Datong");
    assert_eq!(city.text("main p"), "2 reports");
    assert_eq!(city.texts("main li a"), ["Abiy Sall visits Datong", "Datong hosts talks on trade"]);
    assert_eq!(city.texts("main li time"), ["2022-04-01", "2021-06-15"]);
    assert_eq!(
        city.follow("main li", "Datong hosts talks on trade"),
        "reports/datong-hosts-talks-on-trade-000002/index.html"
    );

    let person = site.page("people/zhao-wenjun/index.html");
    assert_eq!(person.texts("main li a"), ["Abiy Sall visits Datong", "Zhao Wenjun visits Nairobi"]);
    let topic = site.page("topics/culture/index.html");
    assert_eq!(topic.select("main li a").len(), 3);

    // Index pages with counts, and the home page with the latest reports.
    assert_eq!(site.page("cities/index.html").texts("main li"), ["Datong (2)", "Nairobi (2)"]);
    assert_eq!(site.page("people/index.html").texts("main li"), ["Abiy Sall (2)", "Zhao Wenjun (2)"]);
    let home = site.page("index.html");
    assert_eq!(
        home.texts("main li a"),
        ["Abiy Sall visits Datong", "Datong hosts talks on trade", "Zhao Wenjun visits Nairobi"]
    );
    for page in ["countries/index.html", "countries/china/index.html", "figures/index.html", "404.html"] {
        assert!(site.has(page), "{page} was not written");
    }
}

#[test]
fn bench_theme_has_every_template_and_no_broken_links() {
    let run = bench_site().check().success();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
}

/// The figure labels of the first report's page, built with `template` as its report.html.
fn figure_labels_with_report_template(template: &str) -> Vec<String> {
    let site = bench_site().file("templates/report.html", template);
    site.build(&[]).success();
    site.page("reports/abiy-sall-visits-datong-000001/index.html").texts("li.figure")
}

#[test]
fn a_template_reading_figures_by_key_gets_them() {
    let template = r#"<ul>{% for f in report["figures"] %}<li class="figure">{{ f.label }}</li>{% endfor %}</ul>"#;
    assert_eq!(figure_labels_with_report_template(template), ["GDP"]);
}

#[test]
fn a_template_going_through_the_whole_report_gets_its_figures() {
    let template = r#"<ul>{% for key, value in report %}{% if key == "figures" %}{% for f in value %}<li class="figure">{{ f.label }}</li>{% endfor %}{% endif %}{% endfor %}</ul>"#;
    assert_eq!(figure_labels_with_report_template(template), ["GDP"]);
}

#[test]
fn a_template_printing_the_whole_report_prints_its_figures() {
    let site = bench_site().file("templates/report.html", "<pre id=\"dump\">{{ report }}</pre>");
    site.build(&[]).success();
    let dump = site.page("reports/abiy-sall-visits-datong-000001/index.html").text("#dump");
    // Tera prints a map like JSON, with nothing for null: not parseable, so find the key.
    let (_, figures) = dump.split_once(r#""figures": "#).expect("the dump has the report's figures");
    assert!(figures.starts_with(r#"[{"label": "GDP", "value": 120181672964,"#), "{dump}");
}

#[test]
fn a_template_listing_the_report_as_pairs_gets_its_figures() {
    let template = r#"<ul>{% for pair in report | pairs %}{% if pair[0] == "figures" %}{% for f in pair[1] %}<li class="figure">{{ f.label }}</li>{% endfor %}{% endif %}{% endfor %}</ul>"#;
    assert_eq!(figure_labels_with_report_template(template), ["GDP"]);
}
