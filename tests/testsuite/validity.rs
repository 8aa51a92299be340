//! The published HTML is valid: every page of the example site and of a generated
//! 200-report site, in both shipped themes, passes the Nu HTML Checker (the W3C's
//! validator, `vnu.jar` from `npm ci --prefix tests/browser`, run with Java) with no error.
//!
//! Without Java or the checker these tests are ignored (build.rs sets `cfg(no_vnu)`);
//! under `COMMUNIQUE_REQUIRE_BROWSER=1` they run and fail, naming what is missing.

use std::path::Path;
use std::process::Command;

use crate::support::{TestSite, copy_dir, repo_root};

/// Where `npm ci --prefix tests/browser` puts the checker (as build.rs looks for it).
const VNU: &str = "tests/browser/node_modules/vnu-jar/build/dist/vnu.jar";

/// Every error the Nu HTML Checker finds in the HTML files under `dir`, as
/// `file:line: message`.
fn html_errors(dir: &Path) -> Vec<String> {
    let Some(java) = option_env!("COMMUNIQUE_JAVA") else {
        panic!("no `java` on PATH or no vnu.jar: apt-get install default-jre-headless; npm ci --prefix tests/browser")
    };
    let jar = repo_root().join(VNU);
    assert!(jar.is_file(), "{} is missing: npm ci --prefix tests/browser", jar.display());
    let output = Command::new(java)
        .args(["-Xss4m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .output()
        .expect("java runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!("the checker's report is not JSON ({e}): {}", String::from_utf8_lossy(&output.stderr))
    });
    let messages = report["messages"].as_array().expect("a list of messages");
    let prefix = format!("file:{}/", dir.canonicalize().unwrap().display());
    messages
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let file = url.strip_prefix(&prefix).unwrap_or(url);
            format!("{file}:{}: {}", m["lastLine"], m["message"].as_str().unwrap_or_default())
        })
        .collect()
}

/// Fails with the errors found (the first 30 of them, and how many there were).
fn assert_valid(what: &str, site: &TestSite) {
    let errors = html_errors(&site.output());
    let shown: Vec<&String> = errors.iter().take(30).collect();
    assert!(errors.is_empty(), "{what}: {} errors of the Nu HTML Checker:\n{shown:#?}", errors.len());
}

/// A site of `n` reports from the benchmark's corpus generator (scripts/gen_corpus.py).
fn generated_site(n: usize) -> TestSite {
    let site = TestSite::new();
    let corpus = site.path("corpus");
    let status = Command::new("python3")
        .arg(repo_root().join("scripts/gen_corpus.py"))
        .args(["--n", &n.to_string(), "--seed", "7", "--flavours", "ours", "--out"])
        .arg(&corpus)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs scripts/gen_corpus.py");
    assert!(status.success());
    copy_dir(&corpus.join("ours"), site.root());
    std::fs::remove_dir_all(&corpus).unwrap();
    site
}

#[test]
#[cfg_attr(
    no_vnu,
    ignore = "needs java and the Nu HTML Checker: apt-get install default-jre-headless; npm ci --prefix tests/browser"
)]
fn every_page_of_the_example_site_is_valid_html_in_both_themes() {
    let site = TestSite::example();
    site.build(&[]).success();
    assert_valid("the example site, default theme", &site);
    site.use_minimal_theme();
    site.build(&[]).success();
    assert_valid("the example site, minimal theme", &site);
}

#[test]
#[cfg_attr(
    no_vnu,
    ignore = "needs java and the Nu HTML Checker: apt-get install default-jre-headless; npm ci --prefix tests/browser"
)]
fn every_page_of_a_generated_200_report_site_is_valid_html_in_both_themes() {
    let site = generated_site(200);
    site.build(&[]).success();
    assert!(site.html_files().len() > 500, "{} pages", site.html_files().len());
    assert_valid("a generated site, default theme", &site);
    site.use_minimal_theme();
    site.build(&[]).success();
    assert_valid("a generated site, minimal theme", &site);
}
