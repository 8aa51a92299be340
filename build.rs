//! Build-time setup:
//!
//! - Rebuild when the embedded default theme or the `init` skeleton changes (include_dir
//!   does not track new files).
//! - Find what the browser tests need (tests/testsuite/webdriver.rs, a11y.rs): Chromium and
//!   chromedriver on `PATH`, and axe-core from `npm ci --prefix tests/browser`. Their paths
//!   reach the tests as `COMMUNIQUE_CHROMIUM`, `COMMUNIQUE_CHROMEDRIVER` (compile-time
//!   environment). When something is missing the tests get `cfg(no_browser)` or
//!   `cfg(no_axe)` and are marked ignored, so `cargo test` lists them as ignored instead of
//!   counting them as passed. Under `COMMUNIQUE_REQUIRE_BROWSER=1` (as in CI) neither cfg is
//!   set: the tests run and fail, naming what is missing.
//!
//! - Likewise `strace`, with which tests/testsuite/output_folder.rs kills builds at chosen
//!   system calls: without it those tests get `cfg(no_strace)` and are ignored.
//! - And the Nu HTML Checker (tests/testsuite/validity.rs): `vnu.jar` from
//!   `npm ci --prefix tests/browser` and `java` on `PATH` (its path reaches the tests as
//!   `COMMUNIQUE_JAVA`); without them `cfg(no_vnu)`.
//!
//! `COMMUNIQUE_BROWSER_PATH`, when set, is searched instead of `PATH` (set it to an empty
//! folder to see the tests ignored on a machine that has Chromium). The probe runs again
//! when `PATH`, either variable or tests/browser/ changes; after installing Chromium on an
//! unchanged `PATH`, `touch build.rs`.

use std::path::{Path, PathBuf};

/// Program names tried for each tool, in order (Debian, Ubuntu, Google's package).
const CHROMIUM: &[&str] = &["chromium", "chromium-browser", "google-chrome"];
const CHROMEDRIVER: &[&str] = &["chromedriver"];
/// Where `npm ci --prefix tests/browser` puts axe-core.
const AXE: &str = "tests/browser/node_modules/axe-core/axe.min.js";
/// Where `npm ci --prefix tests/browser` puts the Nu HTML Checker.
const VNU: &str = "tests/browser/node_modules/vnu-jar/build/dist/vnu.jar";

fn main() {
    println!("cargo::rerun-if-changed=themes/default");
    println!("cargo::rerun-if-changed=skeleton");
    probe_browser_tools();
}

fn probe_browser_tools() {
    for variable in ["PATH", "COMMUNIQUE_BROWSER_PATH", "COMMUNIQUE_REQUIRE_BROWSER"] {
        println!("cargo::rerun-if-env-changed={variable}");
    }
    println!("cargo::rerun-if-changed=tests/browser");
    println!("cargo::rustc-check-cfg=cfg(no_browser)");
    println!("cargo::rustc-check-cfg=cfg(no_axe)");
    println!("cargo::rustc-check-cfg=cfg(no_strace)");
    println!("cargo::rustc-check-cfg=cfg(no_vnu)");
    let required = std::env::var("COMMUNIQUE_REQUIRE_BROWSER").as_deref() == Ok("1");
    let search = std::env::var_os("COMMUNIQUE_BROWSER_PATH").or_else(|| std::env::var_os("PATH")).unwrap_or_default();
    let chromium = find_program(&search, CHROMIUM);
    let driver = find_program(&search, CHROMEDRIVER);
    if let (Some(chromium), Some(driver)) = (&chromium, &driver) {
        println!("cargo::rustc-env=COMMUNIQUE_CHROMIUM={}", chromium.display());
        println!("cargo::rustc-env=COMMUNIQUE_CHROMEDRIVER={}", driver.display());
    } else if !required {
        println!("cargo::rustc-cfg=no_browser");
    }
    if !Path::new(AXE).is_file() && !required {
        println!("cargo::rustc-cfg=no_axe");
    }
    if find_program(&search, &["strace"]).is_none() && !required {
        println!("cargo::rustc-cfg=no_strace");
    }
    match find_program(&search, &["java"]) {
        Some(java) if Path::new(VNU).is_file() => println!("cargo::rustc-env=COMMUNIQUE_JAVA={}", java.display()),
        _ if !required => println!("cargo::rustc-cfg=no_vnu"),
        _ => {}
    }
}

/// The first of `names` found in the folders of the PATH-like list `search`.
fn find_program(search: &std::ffi::OsStr, names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|name| std::env::split_paths(search).map(|dir| dir.join(name)).find(|p| p.is_file()))
}
