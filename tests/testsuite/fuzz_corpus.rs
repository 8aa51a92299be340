//! The fuzz targets of `fuzz/` replayed on their committed corpus, without libFuzzer:
//! the targets' code (`fuzz/src/`) is compiled here against the library as it is now, and
//! every input of `fuzz/corpus/<target>/` (the seeds, and each input that once found a
//! bug) still passes that target's checks. cargo-fuzz itself needs a nightly toolchain
//! and is run by hand (fuzz/README.md).

use std::path::Path;

use crate::support::{files_under, repo_root};

#[path = "../../fuzz/src/lib.rs"]
mod targets;

/// Runs `run` on every input of the target's corpus folder: the inputs that panicked,
/// each with its panic message.
fn findings(target: &str, run: fn(&[u8])) -> Vec<String> {
    let folder = repo_root().join("fuzz/corpus").join(target);
    let inputs = files_under(&folder);
    assert!(!inputs.is_empty(), "no corpus in {}", folder.display());
    inputs.iter().filter_map(|input| finding(input, run)).collect()
}

/// The panic of `run` on the bytes of `input`, if it panics.
fn finding(input: &Path, run: fn(&[u8])) -> Option<String> {
    let bytes = std::fs::read(input).unwrap_or_else(|e| panic!("read {}: {e}", input.display()));
    let panic = std::panic::catch_unwind(|| run(&bytes)).err()?;
    let message =
        panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
    Some(format!("{}: {}", input.display(), message.unwrap_or_default()))
}

#[track_caller]
fn assert_passes(target: &str, run: fn(&[u8])) {
    let found = findings(target, run);
    assert!(found.is_empty(), "the {target} target fails on its corpus:\n{}", found.join("\n"));
}

#[test]
fn the_report_target_passes_its_corpus() {
    assert_passes("report", targets::report::run);
}

#[test]
fn the_front_matter_target_passes_its_corpus() {
    assert_passes("front_matter", targets::front_matter::run);
}

#[test]
fn the_markdown_target_passes_its_corpus() {
    assert_passes("markdown", targets::markdown::run);
}

#[test]
fn the_figure_target_passes_its_corpus() {
    assert_passes("figure", targets::figure::run);
}

#[test]
fn the_names_target_passes_its_corpus() {
    assert_passes("names", targets::names::run);
}

#[test]
fn the_registry_target_passes_its_corpus() {
    assert_passes("registry", targets::registry::run);
}

/// The replay finds what the targets check: an input that breaks a check is a finding,
/// named by its file.
#[test]
fn an_input_that_fails_a_check_is_reported_with_its_file() {
    let site = crate::support::TestSite::new().file("bad-figure", "1|USD");
    let failing: fn(&[u8]) = |bytes| assert!(!bytes.contains(&b'|'), "a separator in {bytes:?}");
    let found = finding(&site.path("bad-figure"), failing).expect("a finding");
    assert!(found.contains("bad-figure") && found.contains("a separator in"), "{found}");
    assert_eq!(finding(&site.path("bad-figure"), targets::figure::run), None);
}
