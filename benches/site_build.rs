//! Criterion benchmark of a whole build of a 20-report site (`fixtures/site/`, made by
//! `gen_corpus.py --n 20 --seed 42`): `communique::build`, which loads, resolves, renders
//! every Markdown body and every page in memory, without writing.
//!
//! The library has no stable entry point that renders a single page (the render stage is
//! being rewritten), so "one page render" is measured as this small build, reported by
//! criterion per output file (`thrpt` in files/s): the build's time divided by its files,
//! fixed costs (theme compilation, resolving) included. Two variants:
//!
//! - `default_theme`: the fixture as it is, with every output of the built-in theme
//!   (feeds, sitemap and JSON-LD included, as `base_url` is set).
//! - `bench_theme`: a copy with `themes/bench` (the pages of the Hugo benchmark layouts),
//!   no `base_url` and `paginate: 50`, as scripts/bench.sh runs it.
//!
//! And `site_build_1000_reports/default_theme_no_search`: 1,000 reports made by
//! `scripts/gen_corpus.py --n 1000 --seed 42` when the bench starts (skipped, saying so,
//! where `python3` cannot run it), with `search: false`: the pages, feeds and exports of a
//! site large enough for its lists to matter. Each report is listed about twenty times
//! (its people's, cities', country's and topics' pages, the home pages, related lists),
//! which 20 reports do not show: the list entries rendered once per report and depth
//! (`partials/report_item.html`, docs/themes.md §1.9) are measured here.
//!
//! And `serve_following_1000_reports/after_a_new_official`: in the same site, the pages
//! that `serve` renders after the reload message when a report names a newcomer instead
//! of the last save's (a person's page comes, another goes, and the pages listing the
//! report or those people change), in batches
//! (`communique::pipeline::Pipeline::render_all_following`), the save before the clock;
//! 28 ms on 2026-12-07.
//!
//! `cargo bench --bench site_build`

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use communique::{BuildOptions, Diagnostics, NoProgress, Project};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The allocator of the `communique` binary (src/main.rs): builds allocate many small
/// strings and values from both cores at once, and are timed as the binary runs them.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Builds the site at `root`; the number of output files.
fn build(root: &Path) -> usize {
    let mut diags = Diagnostics::new();
    let project = Project::load(root, BuildOptions::default(), &mut diags).expect("a site root");
    let built = communique::build(&project, &NoProgress, &mut diags);
    assert!(!diags.has_errors(), "the fixture site has errors");
    built.expect("a build without errors").output.files.len()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("a folder entry");
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a file");
        }
    }
}

fn site_build(c: &mut Criterion) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = repo.join("benches/fixtures/site");
    let bench_site = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&fixture.join("content"), &bench_site.path().join("content"));
    copy_dir(&repo.join("themes/bench"), &bench_site.path().join("themes/bench"));
    std::fs::write(
        bench_site.path().join("site.yaml"),
        "title: Cooperation Reports\ntheme: bench\npaginate: 50\nsearch: false\n",
    )
    .expect("write site.yaml");

    let mut group = c.benchmark_group("site_build_20_reports");
    for (name, root) in [("default_theme", fixture.as_path()), ("bench_theme", bench_site.path())] {
        group.throughput(Throughput::Elements(build(root) as u64));
        group.bench_function(name, |b| b.iter(|| build(root)));
    }
    group.finish();
    match generated_site(1000) {
        Ok((_folder, site)) => {
            let mut group = c.benchmark_group("site_build_1000_reports");
            group.sample_size(10).measurement_time(Duration::from_secs(8));
            group.throughput(Throughput::Elements(build(&site) as u64));
            group.bench_function("default_theme_no_search", |b| b.iter(|| build(&site)));
            group.finish();
            following(c, &site);
        }
        Err(why) => eprintln!("site_build_1000_reports skipped: {why}"),
    }
}

/// The pages that follow a new official's save in `serve`, in the site at `root`.
fn following(c: &mut Criterion, root: &Path) {
    use communique::pipeline::{ChangeSet, Outcome, Pipeline};
    let mut pipeline = Pipeline::open(root, BuildOptions::default()).expect("a site root");
    assert!(matches!(pipeline.build(), Outcome::Built(_)), "the site does not build");
    let reports = root.join("content/reports");
    let mut files: Vec<_> = std::fs::read_dir(&reports).expect("the reports").flatten().map(|e| e.path()).collect();
    files.sort();
    let report = files.into_iter().find(|p| p.extension().is_some_and(|e| e == "md")).expect("a report");
    let original = std::fs::read_to_string(&report).expect("a report's text");
    let mut saves = 0;
    let mut group = c.benchmark_group("serve_following_1000_reports");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("after_a_new_official", |b| {
        b.iter_custom(|iterations| {
            let mut took = Duration::ZERO;
            for _ in 0..iterations {
                // Another newcomer each save, replacing the last one.
                saves += 1;
                let official = format!("officials:\n  - name: Bench Newcomer {}\n    role: Envoy\n", saves % 2);
                std::fs::write(&report, original.replacen("officials:\n", &official, 1)).expect("save the report");
                let changes = ChangeSet { content: [report.clone()].into(), ..ChangeSet::default() };
                assert!(matches!(pipeline.rebuild_pages(&changes), Outcome::Built(_)), "the save failed");
                let started = Instant::now();
                let rest = pipeline.render_all_following(|_| {}, HashSet::new);
                took += started.elapsed();
                assert!(matches!(rest, Some(Outcome::Built(_))), "the pages that follow failed");
            }
            took
        })
    });
    group.finish();
    std::fs::write(&report, original).expect("restore the report");
}

/// A site of `n` reports from `scripts/gen_corpus.py` (its `ours` flavour) with search
/// off: the temporary folder holding it, and its root.
fn generated_site(n: usize) -> Result<(tempfile::TempDir, std::path::PathBuf), String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let status = std::process::Command::new("python3")
        .arg(repo.join("scripts/gen_corpus.py"))
        .args(["--n", &n.to_string(), "--seed", "42", "--flavours", "ours", "--out"])
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("python3 could not run scripts/gen_corpus.py: {e}"))?;
    if !status.success() {
        return Err(format!("scripts/gen_corpus.py failed ({status})"));
    }
    let site = out.path().join("ours");
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
    std::fs::write(&config, format!("{text}\nsearch: false\n")).map_err(|e| e.to_string())?;
    Ok((out, site))
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = site_build }
criterion_main!(benches);
