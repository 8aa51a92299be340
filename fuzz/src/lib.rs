//! What the fuzz targets share: the repository's example site (its two reports, its
//! people and cities registries), parsed and resolved by the library's own functions
//! exactly as a build does, so each target varies one input against a realistic site.
//! Also the checks every target makes of the diagnostics it gets back, and each target's
//! code (`fuzz_targets/` only hands libFuzzer's input to its `run`), so that the test
//! suite compiles this file and replays the committed corpus through every target
//! (tests/testsuite/fuzz_corpus.rs) without libFuzzer.

use communique::config::SiteConfig;
use std::sync::OnceLock;

use communique::load::raw::{CITY_KEYS, PERSON_KEYS, RawCityEntry, RawPerson};
use communique::load::{self, Located, Sources};
use communique::{Diagnostic, Diagnostics, Site, model};

// Paths given, so that the test suite can include this file as a module of its own.
#[path = "figure.rs"]
pub mod figure;
#[path = "front_matter.rs"]
pub mod front_matter;
#[path = "markdown.rs"]
pub mod markdown;
#[path = "names.rs"]
pub mod names;
#[path = "registry.rs"]
pub mod registry;
#[path = "report.rs"]
pub mod report;

/// The example site's files, embedded so the targets read nothing at run time.
pub const REPORTS: &[(&str, &str)] = &[
    (
        "content/reports/2019-04-02-weihai-city-committee/index.md",
        include_str!("../../content/reports/2019-04-02-weihai-city-committee/index.md"),
    ),
    (
        "content/reports/2020-07-23-qingdao-delegation/index.md",
        include_str!("../../content/reports/2020-07-23-qingdao-delegation/index.md"),
    ),
];
pub const PAGE: (&str, &str) = ("content/about.md", include_str!("../../content/about.md"));
pub const PEOPLE_YAML: &str = include_str!("../../data/people.yaml");
pub const CITIES_YAML: &str = include_str!("../../data/cities.yaml");

/// The example site's reports and page, parsed, with the given registries.
pub fn example_sources(people: Vec<Located<RawPerson>>, cities: Vec<Located<RawCityEntry>>) -> Sources {
    // Parsed once: the targets that resolve a site with new registries would otherwise
    // spend most of each run parsing the same reports again.
    static PARSED: OnceLock<Sources> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        let mut sources = Sources::default();
        for (path, text) in REPORTS {
            let report = load::parse_report(path, text).expect("the example reports parse");
            sources.reports.push(report.into());
        }
        sources.pages.push(load::parse_page(PAGE.0, PAGE.1).expect("the example page parses"));
        sources
    });
    Sources { people: people.into(), cities: cities.into(), ..parsed.clone() }
}

/// The example registries, parsed as a build parses them.
pub fn example_registries() -> (Vec<Located<RawPerson>>, Vec<Located<RawCityEntry>>) {
    let people = load::parse_registry("data/people.yaml", PEOPLE_YAML, PERSON_KEYS).expect("people.yaml parses");
    let cities = load::parse_registry("data/cities.yaml", CITIES_YAML, CITY_KEYS).expect("cities.yaml parses");
    (people, cities)
}

/// The whole example site, resolved with `config`; it must have no errors.
pub fn example_site(config: &SiteConfig) -> Site {
    let (people, cities) = example_registries();
    let mut diags = Diagnostics::new();
    let site = model::resolve::resolve(example_sources(people, cities), config, false, &mut diags);
    assert!(!diags.has_errors(), "the example site resolves: {:?}", diags.sorted());
    site
}

/// A diagnostic about `text` (a file of the site) points at one of its lines, at the
/// line just after its end (an unclosed construct) or at the whole file (line 0), never
/// past its end.
pub fn assert_located_in(diagnostic: &Diagnostic, text: &str) {
    let last_line = text.lines().count() + 1;
    assert!(
        (0..=last_line).contains(&diagnostic.line),
        "{} points at line {} of a file of {} lines",
        diagnostic.location(),
        diagnostic.line,
        last_line - 1
    );
}
