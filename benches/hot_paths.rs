//! Criterion benchmarks of the hot functions of a build, on one typical report of the
//! generated benchmark corpus (`fixtures/site/`, `gen_corpus.py --n 20 --seed 42`):
//!
//! - `front_matter/parse_report`: splitting the front matter off and parsing it
//!   (`communique::load::parse_report`).
//! - `markdown/*`: rendering the body with `communique::render::markdown::render`,
//!   without autolinks and with the report's own officials and cities (what a build does).
//! - `autolinks/2000_names`: the same body with 2,000 person names to link, for
//!   matchers that grow with the site rather than with the report.
//!
//! - `search_index/*`: the search index of 100 report pages
//!   (`communique::render::search_index::bundle`), in English (the fixture report's body)
//!   and in Chinese (the example site's Chinese translations, segmented into words with
//!   their pairs of characters as Pagefind's `extended` build does): every file gzipped,
//!   as a build writes it.
//!
//! - `related/zipf_20000_reports`: the five related reports of each of 20,000 reports
//!   (`communique::model::related::related_reports`) whose people and cities are picked
//!   as skewed as in the generated corpus (one person in half the reports, one city in a
//!   quarter): the quadratic step of resolving a site.
//! - `resolve/zipf_10000_reports`: resolving 10,000 such reports, two figures each
//!   (`communique::model::resolve::resolve`), which `serve` does for every edit that
//!   moves a report or names a new person or city.
//! - `resolve/zipf_10000_reports_after_a_date_edit`: the same, as `serve` does it after
//!   one report's date changed: with the memory and the site of the resolve before
//!   (`communique::model::resolve::resolve_remembering`), the report's date switching
//!   between two days from one resolve to the next; the unchanged reports keep their
//!   figures, as in `serve`. `resolve/zipf_10000_reports_in_three_languages_after_a_date_edit`:
//!   the same with every report translated into Russian and Chinese.
//!   `resolve/zipf_10000_reports_after_a_new_official`: the same after each save names a
//!   new official in one report (replacing the one the save before named), whose name
//!   the look-alike check compares with all 2,000 others.
//! - `editions/zipf_10000_reports_in_three_languages_after_a_date_edit`: the Russian and
//!   Chinese editions of those reports, every one translated, made as `serve` makes them
//!   after a date edit (`communique::render::language_sites`, with the editions before).
//!
//! - `lint/zipf_10000_reports_after_a_new_official`: the warnings of such a site, as
//!   `serve` lints it after a save that names a new official (`communique::model::lint::warnings`,
//!   with what the lint before kept): the new name is compared with the 2,000 others.
//!
//! - `feeds/escape_a_report_body`: the report's body as rendered HTML (autolinks and all)
//!   escaped as the text of an Atom feed's `<content>` (`communique::render::feeds::escape`),
//!   which a build does once per report in a feed: a feed is mostly escaped bodies.
//!
//! - `dates/long_dates_of_10000_reports_seven_times`: the long date of 10,000 reports
//!   (one a day, in Russian) written seven times each, as the lists of a site show them
//!   (`communique::locale::Locale::date`), by a locale made anew for each run.
//!
//! - `names/keys_and_display_names_of_6000_names`: the identity key and the displayed
//!   form of 6,000 names of people in Latin, Cyrillic and Chinese script, one in fifty with
//!   an honorific (`communique::model::names::name_key` and `display_name`), which a
//!   resolve makes for every name and alias of the registries, every time.
//!
//! `cargo bench --bench hot_paths`; one group: `cargo bench --bench hot_paths -- markdown`.

use std::collections::{BTreeSet, HashMap};
use std::hint::black_box;
use std::time::Duration;

use communique::render::markdown::{Autolinks, BodyContext, render};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// The allocator of the `communique` binary (src/main.rs), so that what allocates is
/// timed as it runs there: under glibc's malloc, allocating and freeing were about a
/// fifth of `resolve/zipf_10000_reports_in_three_languages_after_a_date_edit`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const REPORT_PATH: &str = "content/reports/ambassador-of-georgia-to-china-meets-consul-general-of-czech-000017.md";
const REPORT: &str = include_str!(
    "fixtures/site/content/reports/ambassador-of-georgia-to-china-meets-consul-general-of-czech-000017.md"
);

/// The report's officials and cities (its front matter), as the build links them.
const NAMES: &[(&str, &str)] = &[
    ("Salome Zurabishvili", "people/salome-zurabishvili/"),
    ("Jiří Fico", "people/jiri-fico/"),
    ("Sun Ping", "people/sun-ping/"),
    ("Thabo Traoré", "people/thabo-traore/"),
    ("Beijing", "cities/beijing/"),
    ("Shanghai", "cities/shanghai/"),
    ("Tashkent", "cities/tashkent/"),
];

/// The body below the closing `---` of the front matter, and its first line number.
fn body() -> (&'static str, usize) {
    let end = REPORT[4..].find("\n---\n").expect("the fixture has front matter") + 4;
    let body_line = REPORT[..end].lines().count() + 2;
    (&REPORT[end + 5..], body_line)
}

fn autolinks(names: impl IntoIterator<Item = (String, String)>) -> Autolinks {
    let mut links = Autolinks::default();
    for (i, (name, target)) in names.into_iter().enumerate() {
        links.patterns.push((name, i));
        links.targets.push(target);
    }
    links
}

/// 2,000 distinct person names: the report's four officials among 1,996 made-up ones.
fn many_names() -> Autolinks {
    const FIRST: &[&str] = &[
        "Abiy",
        "Aisha",
        "Askar",
        "Badr",
        "Chen",
        "Dilnoza",
        "Emma",
        "Farid",
        "Fawzia",
        "Giorgi",
        "Hana",
        "Ishaq",
        "Ivan",
        "Jamal",
        "Kenji",
        "Lars",
        "Li",
        "Luis",
        "Mehmet",
        "Nadia",
        "Nursultan",
        "Olga",
        "Pedro",
        "Péter",
        "Qiang",
        "Ramesh",
        "Rustam",
        "Sameh",
        "Sofia",
        "Tariq",
        "Ulugbek",
        "Vera",
        "Wang",
        "Xu",
        "Yusuf",
        "Zarina",
        "Ahsan",
        "Bakhyt",
        "Daniyar",
        "Elena",
    ];
    const LAST: &[&str] = &[
        "Abdelatty",
        "Atmar",
        "Bekov",
        "Chen",
        "Dvořák",
        "Ermekov",
        "Fischer",
        "Garcia",
        "Haddad",
        "Ivanov",
        "Jurayev",
        "Kakar",
        "Kulibayev",
        "Leroy",
        "Mukherjee",
        "Norov",
        "Okafor",
        "Petrov",
        "Qureshi",
        "Rodríguez",
        "Sall",
        "Sharif",
        "Tkachenko",
        "Usmonov",
        "Volkov",
        "Wiśniewski",
        "Xiong",
        "Yusupov",
        "Zhao",
        "Zhang",
        "Alimov",
        "Baker",
        "Çetin",
        "Demir",
        "Ekrem",
        "Fofana",
        "Gupta",
        "Hossain",
        "Ismailov",
        "Jensen",
        "Karimov",
        "Lindqvist",
        "Mensah",
        "Nazarov",
        "Oyelaran",
        "Pak",
        "Rahimov",
        "Suleimenov",
        "Tanaka",
        "Umarov",
    ];
    let officials = NAMES.iter().take(4).map(|(n, t)| (n.to_string(), t.to_string()));
    let made_up = FIRST
        .iter()
        .flat_map(|f| LAST.iter().map(move |l| format!("{f} {l}")))
        .map(|name| {
            let slug = communique_slug(&name);
            (name, format!("people/{slug}/"))
        })
        .take(2000 - 4);
    autolinks(officials.chain(made_up))
}

/// Good enough for targets that are only compared, never resolved.
fn communique_slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

fn front_matter(c: &mut Criterion) {
    assert!(communique::load::parse_report(REPORT_PATH, REPORT).is_ok(), "the fixture parses");
    let mut group = c.benchmark_group("front_matter");
    group.throughput(Throughput::Bytes(REPORT.len() as u64));
    group.bench_function("parse_report", |b| {
        b.iter(|| communique::load::parse_report(black_box(REPORT_PATH), black_box(REPORT)))
    });
    group.finish();
}

/// What the fixture report's body is rendered with: no `@/` links, nothing withheld, no
/// images.
#[derive(Default)]
struct BodyFixture {
    link_targets: HashMap<String, String>,
    withheld: BTreeSet<String>,
    media: communique::model::images::MediaIndex,
}

impl BodyFixture {
    /// The context of the fixture report's page, linking `autolinks`.
    fn context<'a>(&'a self, autolinks: Option<&'a Autolinks>) -> BodyContext<'a> {
        BodyContext {
            source: REPORT_PATH,
            body_line: body().1,
            page_path: "reports/ambassador-of-georgia-to-china-meets-consul-general-of-czech-000017/",
            offline: false,
            unsafe_html: false,
            link_targets: communique::render::LinkLookup::Made(&self.link_targets),
            withheld: &self.withheld,
            autolinks,
            media: &self.media,
        }
    }
}

fn markdown(c: &mut Criterion) {
    let body = body().0;
    let fixture = BodyFixture::default();
    let own = autolinks(NAMES.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    let many = many_names();
    let context = |autolinks| fixture.context(autolinks);
    let (plain, diags) = render(body, &context(None));
    assert!(diags.is_empty() && plain.html.contains("<table>"), "the body renders");
    let (linked, _) = render(body, &context(Some(&own)));
    assert_eq!(linked.html.matches("class=\"autolink\"").count(), NAMES.len(), "each name is linked once");
    let (linked, _) = render(body, &context(Some(&many)));
    assert_eq!(linked.html.matches("class=\"autolink\"").count(), 4, "the four officials are linked");

    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("no_autolinks", |b| b.iter(|| render(black_box(body), &context(None))));
    group.bench_function("report_names", |b| b.iter(|| render(black_box(body), &context(Some(&own)))));
    group.finish();

    let mut group = c.benchmark_group("autolinks");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("2000_names", |b| b.iter(|| render(black_box(body), &context(Some(&many)))));
    group.finish();
}

/// Escaping a rendered body for an Atom feed.
fn feeds(c: &mut Criterion) {
    let own = autolinks(NAMES.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    let html = render(body().0, &BodyFixture::default().context(Some(&own))).0.html;
    let escaped = communique::render::feeds::escape(&html);
    assert!(escaped.contains("&lt;table&gt;") && !escaped.contains('<'), "the body is escaped");
    let mut group = c.benchmark_group("feeds");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.bench_function("escape_a_report_body", |b| b.iter(|| communique::render::feeds::escape(black_box(&html))));
    // Every feed of a site of 2,000 reports, each with the example report's body: the
    // site's, each person's and each city's, of up to 20 whole bodies each.
    let mut site = zipf_site(2_000);
    site.config.base_url = "https://example.org/".to_string();
    let bodies = same_bodies(&site, &html, "First paragraph.");
    let files = communique::render::feeds::extras(&site, &bodies, None, &|| false).expect("not stopped").files;
    let feeds = files.iter().filter(|(path, _)| path.ends_with("feed.xml"));
    assert!(feeds.count() == 1 + site.people.len() + site.cities.len(), "a feed for the site, each person and city");
    group.throughput(Throughput::Elements(site.reports.len() as u64));
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("every_feed_of_2000_reports", |b| {
        b.iter_with_large_drop(|| communique::render::feeds::extras(black_box(&site), &bodies, None, &|| false))
    });
    group.finish();
}

/// The data exports of a site of 10,000 reports (`reports.json` and the others), as a
/// build and `serve` make them after each edit that moves a report: about 30 MB of JSON.
fn exports(c: &mut Criterion) {
    let site = zipf_site(10_000);
    let first = "The delegation discussed trade, logistics and the new rail link with the city's officials.";
    let bodies = same_bodies(&site, "<p>Talks on trade.</p>", first);
    let files = communique::render::exports::exports(&site, &bodies, &|| false).expect("not stopped");
    assert!(files.iter().any(|(path, bytes)| path == "data/reports.json" && bytes.len() > 1_000_000), "the exports");
    let mut group = c.benchmark_group("exports");
    group.throughput(Throughput::Elements(site.reports.len() as u64));
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("zipf_10000_reports", |b| {
        b.iter_with_large_drop(|| communique::render::exports::exports(black_box(&site), &bodies, &|| false))
    });
    group.finish();
}

/// The rendered bodies of `site` if every report had the body `html`, whose first
/// paragraph is `first`.
fn same_bodies(site: &communique::model::Site, html: &str, first: &str) -> communique::render::view::Bodies {
    let body = communique::render::markdown::RenderedBody::new(html.to_string(), first.to_string());
    communique::render::view::Bodies {
        reports: vec![body; site.reports.len()],
        pages: Vec::new(),
        bios: Default::default(),
        descriptions: Default::default(),
        link_targets: Default::default(),
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

/// The Chinese translations of the example site's two reports, front matter cut off.
#[cfg(feature = "search")]
const CHINESE: [&str; 2] = [
    include_str!("../content/reports/2019-04-02-weihai-city-committee/index.zh.md"),
    include_str!("../content/reports/2020-07-23-qingdao-delegation/index.zh.md"),
];

/// 100 report pages of `text` (each with its own address and a number that makes its
/// text its own), as the build makes search records.
#[cfg(feature = "search")]
fn records(texts: &[&str]) -> Vec<communique::render::search_record::Record> {
    (0..100)
        .map(|i| {
            let text = texts[i % texts.len()];
            let body = text.rsplit("\n---\n").next().unwrap_or(text);
            communique::render::search_record::Record {
                url: format!("reports/r{i}/"),
                content: format!("{body} {i}"),
                meta: [("title".to_string(), format!("Report {i}")), ("kind".to_string(), "report".to_string())]
                    .into_iter()
                    .collect(),
                filters: [("kind".to_string(), vec!["report".to_string()])].into_iter().collect(),
                sort: [("date".to_string(), format!("2020-01-{:02}", i % 28 + 1))].into_iter().collect(),
            }
        })
        .collect()
}

/// Without the `search` feature there is no index writer to measure.
#[cfg(not(feature = "search"))]
fn search_index(_: &mut Criterion) {}

#[cfg(feature = "search")]
fn search_index(c: &mut Criterion) {
    use communique::render::search_index::bundle;
    let english = records(&[body().0]);
    let chinese = records(&CHINESE);
    for (language, records) in [("en", &english), ("zh", &chinese)] {
        let files = bundle(records, language);
        assert!(files.iter().filter(|(name, _)| name.starts_with("fragment/")).count() == 100, "one fragment a page");
    }
    let mut group = c.benchmark_group("search_index");
    for (name, language, records) in [("en_100_reports", "en", &english), ("zh_100_reports", "zh", &chinese)] {
        group.throughput(Throughput::Bytes(records.iter().map(|r| r.content.len() as u64).sum()));
        group.bench_function(name, |b| b.iter(|| bundle(black_box(records), language)));
    }
    group.finish();
}

/// The sources of a site of `n` reports whose cities and officials are drawn with
/// Zipf-like weights (the k-th of `m` about 1/k as often as the first), as `gen_corpus.py`
/// draws them, each with two figures in one of its cities and a line of text (`serve`
/// finds an unchanged report's earlier self by its text as read, which an empty body
/// cannot be).
fn zipf_sources(n: usize) -> communique::load::Sources {
    let mut state = 42u64;
    let mut pick = move |m: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64;
        (((m as f64).powf(u) - 1.0) as usize).min(m - 1)
    };
    let mut sources = communique::load::Sources::default();
    for i in 0..n {
        let cities: Vec<String> = (0..1 + i % 2).map(|_| format!("City {}", pick(321))).collect();
        let people: Vec<String> = (0..2 + i % 3).map(|_| format!("Person {}", pick(2000))).collect();
        let figures = format!(
            "figures:\n  - {{ label: Trade, value: {}.5 billion, unit: USD, city: {} }}\n  - {{ label: Jobs, value: {}, unit: jobs, year: 2019 }}\n",
            i % 97,
            cities[0],
            1000 + i
        );
        let text = format!(
            "---\ntitle: R{i}\ndate: 2019-{:02}-{:02}\ncities: [{}]\nofficials: [{}]\n{figures}---\nTalks {i}.\n",
            1 + i % 12,
            1 + i % 28,
            cities.join(", "),
            people.join(", ")
        );
        let path = format!("content/reports/r{i}.md");
        sources.reports.push(communique::load::parse_report(&path, &text).expect("a report").into());
    }
    sources
}

/// `sources` resolved again and again as `serve` resolves them, with the memory and the
/// site of the resolve before, after the date of report 5000 changed by a day (back and
/// forth, the rest of its file as it was).
fn after_a_date_edit(
    b: &mut criterion::Bencher,
    sources: &communique::load::Sources,
    config: &communique::config::SiteConfig,
) {
    after_edits(b, [dated(sources, 18), dated(sources, 19)], config)
}

/// The two `editions` of a site's sources resolved one after the other again and again
/// as `serve` resolves them, with the memory and the site of the resolve before.
fn after_edits(
    b: &mut criterion::Bencher,
    editions: [communique::load::Sources; 2],
    config: &communique::config::SiteConfig,
) {
    let mut memory = communique::model::memory::Memory::default();
    let options = communique::model::resolve::Options { config, include_drafts: false };
    let mut before: Option<communique::model::Site> = None;
    let mut k = 0;
    b.iter_custom(|iterations| {
        let mut resolving = Duration::ZERO;
        for _ in 0..iterations {
            k += 1;
            let mut diags = communique::diag::Diagnostics::new();
            let sources = black_box(editions[k % 2].clone());
            let resolve = communique::model::resolve::resolve_remembering;
            let started = std::time::Instant::now();
            let site = resolve(sources, options, &mut memory, before.as_ref(), &mut diags);
            resolving += started.elapsed();
            assert!(!diags.has_errors(), "the edited sources have errors: {:?}", diags.sorted().first());
            // As serve says once the site is kept: its figures' texts are current.
            memory.set_figures_current(true);
            // The site before is let go of after the clock, as serve lets go of it once
            // the pages that follow the reload are made (`Pipeline`'s `retire`): its
            // reports' buffer, emptied, kept for the next resolve to write into.
            if let Some(mut retired) = before.replace(site) {
                memory.spare_reports.keep(std::mem::take(&mut retired.reports));
            }
        }
        resolving
    })
}

/// `sources` with report 5000 (of 17 September 2019) dated `day` September 2019, the rest
/// of its file as it was. Only the date changes, by a day or two, as when an author
/// corrects it: the report moves past the thirty or so of those days, a translation that
/// repeats the original's officials and figures still agrees with it, and the cities are
/// first named in the same order, so unchanged reports keep their figures. (Until
/// 2026-12-06 the report moved from 2001 to 2031 and back: from the oldest to the newest,
/// it changed the order cities are first named in, and so their ids, and no report kept
/// its figures.)
fn dated(sources: &communique::load::Sources, day: u32) -> communique::load::Sources {
    let mut sources = sources.clone();
    let original = &sources.reports[5000];
    let yaml: Vec<String> = (original.yaml.lines())
        .map(|line| if line.starts_with("date:") { format!("date: 2019-09-{day:02}") } else { line.to_string() })
        .collect();
    let text = format!("---\n{}\n---\n{}", yaml.join("\n"), &*original.body);
    sources.reports[5000] = communique::load::parse_report(&original.path, &text).unwrap().into();
    sources
}

/// `sources` with report 5000 naming one more official, `name`, whom no other report
/// names: as `serve_latency --kind official` saves, the official replacing the one the
/// last save added, so that each resolve meets a person it has not seen (and compares
/// their name with every other for look-alikes).
fn with_new_official(sources: &communique::load::Sources, name: &str) -> communique::load::Sources {
    let mut sources = sources.clone();
    let original = &sources.reports[5000];
    let yaml: Vec<String> = (original.yaml.lines())
        .map(|line| match line.strip_prefix("officials: [") {
            Some(rest) => format!("officials: [{name}, {rest}"),
            None => line.to_string(),
        })
        .collect();
    let text = format!("---\n{}\n---\n{}", yaml.join("\n"), &*original.body);
    sources.reports[5000] = communique::load::parse_report(&original.path, &text).unwrap().into();
    sources
}

/// `sources` with a translation of every report into each of `languages`: a title, its
/// officials' roles and its figures (the same facts, labels of their own), which the
/// resolve checks against the original.
fn with_translations(mut sources: communique::load::Sources, languages: &[&str]) -> communique::load::Sources {
    for (i, report) in sources.reports.clone().iter().enumerate() {
        let meta = &report.meta;
        let officials: Vec<String> =
            meta.officials.iter().map(|o| format!("{{ name: {}, role: Role }}", o.name)).collect();
        let figures: Vec<String> = (meta.figures.iter())
            .map(|f| {
                let unit = f.unit.as_ref().map(|u| format!(", unit: {u}")).unwrap_or_default();
                let year = f.year.map(|y| format!(", year: {y}")).unwrap_or_default();
                let city = f.city.as_ref().map(|c| format!(", city: {c}")).unwrap_or_default();
                format!("{{ label: L{}, value: {}{unit}{year}{city} }}", f.label, f.value.0)
            })
            .collect();
        for language in languages {
            let text = format!(
                "---\ntitle: R{i} {language}\nofficials: [{}]\nfigures: [{}]\n---\nText.\n",
                officials.join(", "),
                figures.join(", ")
            );
            let path = format!("content/reports/r{i}.{language}.md");
            let parsed = communique::load::parse_translation(&path, &text).expect("a translation");
            let original = format!("content/reports/r{i}.md");
            let translated = communique::load::Translated { language: language.to_string(), original, parsed };
            sources.report_translations.push(translated.into());
        }
    }
    sources
}

/// [`zipf_sources`] resolved.
fn zipf_site(n: usize) -> communique::model::Site {
    resolve_sources(zipf_sources(n))
}

fn resolve_sources(sources: communique::load::Sources) -> communique::model::Site {
    let config = communique::config::SiteConfig::default();
    let mut diags = communique::diag::Diagnostics::new();
    let site = communique::model::resolve::resolve(sources, &config, false, &mut diags);
    assert!(!diags.has_errors(), "the generated sources have errors");
    site
}

fn resolve(c: &mut Criterion) {
    let sources = zipf_sources(10_000);
    let mut group = c.benchmark_group("resolve");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    // The reports are shared (`Arc`), as serve's memory shares them with every resolve.
    group.bench_function("zipf_10000_reports", |b| b.iter(|| resolve_sources(black_box(sources.clone()))));
    let config = communique::config::SiteConfig::default();
    group.bench_function("zipf_10000_reports_after_a_date_edit", |b| after_a_date_edit(b, &sources, &config));
    group.bench_function("zipf_10000_reports_after_a_new_official", |b| {
        let officials = ["Ilhom Karimov", "Dilnoza Rashidova"];
        after_edits(b, officials.map(|name| with_new_official(&sources, name)), &config)
    });
    // Every report translated into Russian and Chinese: serve's resolve takes the
    // translations of unchanged reports as they were (`model::translations::kept`).
    let translated = with_translations(sources.clone(), &["ru", "zh"]);
    let languages = ["ru", "zh"].into_iter().map(|l| (l.to_string(), Default::default())).collect();
    let config = communique::config::SiteConfig { languages, ..Default::default() };
    group.bench_function("zipf_10000_reports_in_three_languages_after_a_date_edit", |b| {
        after_a_date_edit(b, &translated, &config)
    });
    group.finish();
}

/// The editions of a site in three languages (`communique::render::language_sites`, no
/// theme: figures are not written) as `serve` makes them after a date edit, with the
/// editions made before: each report's translation found, its entities' ids mapped, its
/// figures kept from the edition before when they are the same, and each language's
/// pages listed for the others' links.
fn editions(c: &mut Criterion) {
    let languages = ["ru", "zh"].into_iter().map(|l| (l.to_string(), Default::default())).collect();
    let config = communique::config::SiteConfig { languages, ..Default::default() };
    let translated = with_translations(zipf_sources(10_000), &["ru", "zh"]);
    let (mut memory, mut diags) = (Default::default(), communique::diag::Diagnostics::new());
    let options = communique::model::resolve::Options { config: &config, include_drafts: false };
    let resolve = communique::model::resolve::resolve_remembering;
    let mut before = resolve(dated(&translated, 18), options, &mut memory, None, &mut diags);
    let earlier = communique::render::language_sites(&mut before, None, &[]);
    memory.set_figures_current(true);
    let after = resolve(dated(&translated, 19), options, &mut memory, Some(&before), &mut diags);
    assert!(!diags.has_errors(), "the edited sources have errors: {:?}", diags.sorted().first());
    let earlier: Vec<&communique::model::Site> = earlier.iter().collect();
    let mut group = c.benchmark_group("editions");
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    group.bench_function("zipf_10000_reports_in_three_languages_after_a_date_edit", |b| {
        let language_sites = communique::render::language_sites;
        b.iter_batched_ref(|| after.clone(), |site| language_sites(site, None, &earlier), BatchSize::LargeInput)
    });
    group.finish();
}

/// The Markdown stage of `serve` after an edit that moves a report (a new slug): every
/// unchanged body is reused, and where `@/` links lead is made only if a body has one
/// (here none has, as in most sites).
fn markdown_stage(c: &mut Criterion) {
    let sources = zipf_sources(10_000);
    let before = resolve_sources(sources.clone());
    let mut moved = sources;
    let text =
        "---\ntitle: Moved\nslug: moved\ndate: 2019-06-15\ncities: [City 1]\nofficials: [Person 1]\n---\nText.\n";
    moved.reports[5000] = communique::load::parse_report("content/reports/r5000.md", text).unwrap().into();
    let after = resolve_sources(moved);
    let render = communique::render::render_bodies;
    let bodies = render(&before, None, &mut communique::diag::Diagnostics::new());
    let mut group = c.benchmark_group("markdown_stage");
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    group.bench_function("zipf_10000_reports_after_a_new_slug", |b| {
        b.iter_with_large_drop(|| render(black_box(&after), Some((&before, &bodies)), &mut Default::default()))
    });
    group.finish();
}

fn related(c: &mut Criterion) {
    let site = zipf_site(20_000);
    let mut group = c.benchmark_group("related");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("zipf_20000_reports", |b| {
        b.iter(|| communique::model::related::related_reports(black_box(&site), 5))
    });
    group.finish();
}

/// The warnings of a site (`communique::model::lint::warnings`) as `serve` lints it after
/// each save that names a new official: with what the lint before kept, a name it has
/// not seen among the 2,000 it has.
fn lint(c: &mut Criterion) {
    let sources = zipf_sources(10_000);
    let sites = ["Ilhom Karimov", "Dilnoza Rashidova"].map(|name| resolve_sources(with_new_official(&sources, name)));
    let mut memory = Default::default();
    let mut group = c.benchmark_group("lint");
    group.sample_size(20);
    let mut k = 0;
    group.bench_function("zipf_10000_reports_after_a_new_official", |b| {
        b.iter(|| {
            k += 1;
            communique::model::lint::warnings(black_box(&sites[k % 2]), &[], &mut memory)
        })
    });
    group.finish();
}

fn names(c: &mut Criterion) {
    use communique::model::names::{display_name, name_key};
    let first = ["Salome", "Jiří", "Sun", "Thabo", "Vladimir", "Fawzia", "Wang", "Ji"];
    let last = ["Zurabishvili", "Fico", "Ping", "Traoré", "Norov", "Atmar", "Luming", "Caiyun"];
    let (first_ru, last_ru) = (["Владимир", "Саломе", "Фавзия", "Ван"], ["Норов", "Зурабишвили", "Атмар", "Лумин"]);
    let zh = ["王鲁明", "季才云", "孙平", "诺罗夫"];
    let mut names = Vec::new();
    for i in 0..2000 {
        names.push(format!("{} {}", first[i % 8], last[i / 8 % 8]));
        names.push(format!("{} {}", first_ru[i % 4], last_ru[i / 4 % 4]));
        names.push(zh[i % 4].to_string());
    }
    for name in names.iter_mut().step_by(50) {
        name.insert_str(0, "Mr ");
    }
    let mut group = c.benchmark_group("names");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("keys_and_display_names_of_6000_names", |b| {
        b.iter(|| {
            for name in &names {
                black_box(name_key(black_box(name)));
                black_box(display_name(black_box(name)));
            }
        })
    });
    group.finish();
}

fn dates(c: &mut Criterion) {
    let first = chrono::NaiveDate::from_ymd_opt(1996, 6, 15).expect("a date");
    let days: Vec<chrono::NaiveDate> = (0..10_000).map(|i| first + chrono::Days::new(i)).collect();
    let mut group = c.benchmark_group("dates");
    group.throughput(Throughput::Elements(7 * days.len() as u64));
    group.bench_function("long_dates_of_10000_reports_seven_times", |b| {
        b.iter_batched(
            || communique::locale::Locale::new("ru").expect("CLDR has Russian"),
            |locale| {
                for _ in 0..7 {
                    days.iter().for_each(|day| drop(black_box(locale.date(*day))));
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group! { name = benches; config = config(); targets = front_matter, markdown, feeds, exports, search_index, related, resolve, editions, markdown_stage, lint, dates, names }
criterion_main!(benches);
