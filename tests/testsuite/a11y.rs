//! Accessibility of the default theme in a real browser: the example site is built, served
//! over HTTP on loopback, opened in headless Chromium, and checked with axe-core (every
//! rule axe runs by default: WCAG 2 A and AA, including colour contrast, and best
//! practices) in the light and the dark colour scheme, and at phone width. Any violation fails the test with
//! its rule, help text and the selectors of the offending elements.
//!
//! axe-core comes from npm (`npm ci --prefix tests/browser`, pinned in
//! tests/browser/package-lock.json). Without it, or without Chromium, the tests show as
//! ignored (build.rs looks for both); under `COMMUNIQUE_REQUIRE_BROWSER=1` (as in CI)
//! they run and fail instead.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::static_server::StaticServer;
use crate::support::{TestSite, repo_root};
use crate::webdriver::Browser;

/// The axe-core script that `npm ci --prefix tests/browser` installs (build.rs marks the
/// test ignored without it, unless `COMMUNIQUE_REQUIRE_BROWSER=1`).
fn axe_script() -> PathBuf {
    let path = repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    assert!(path.is_file(), "{} is missing: run npm ci --prefix tests/browser", path.display());
    path
}

/// The pages checked: every kind of page the default theme renders.
const PAGES: &[&str] = &[
    "",
    "reports/weihai-city-committee/",
    "reports/qingdao-delegation/",
    "people/",
    "people/wang-luming/",
    "cities/",
    "cities/weihai/",
    "countries/",
    "countries/china/",
    "topics/",
    "topics/trade/",
    "figures/",
    "about/",
    "search/",
    "search/?q=Norov&type=Report",
];

/// Loads axe-core into the open page (from the test server) and resolves to `true`.
const INJECT_AXE: &str = "if (window.axe) { return true; }
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = '/__axe.js';
      s.onload = function () { resolve(true); };
      s.onerror = function () { reject(new Error('could not load /__axe.js')); };
      document.head.appendChild(s);
    });";

/// Runs axe with its default rules and returns the violations, simplified, and the
/// number of rules that passed.
const RUN_AXE: &str = "return axe.run(document).then(function (r) {
      return {
        passes: r.passes.length,
        violations: r.violations.map(function (v) {
          return {
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(function (n) {
              return { target: n.target.map(String), summary: n.failureSummary || '' };
            })
          };
        })
      };
    });";

/// One violation as a reader of a failing test wants it: where, which rule, which elements.
fn describe(page: &str, scheme: &str, violation: &Value) -> String {
    let mut out = format!(
        "/{page} ({scheme}): {} [{}] {}\n  {}\n",
        violation["id"].as_str().unwrap_or("?"),
        violation["impact"].as_str().unwrap_or("?"),
        violation["help"].as_str().unwrap_or(""),
        violation["helpUrl"].as_str().unwrap_or(""),
    );
    for node in violation["nodes"].as_array().into_iter().flatten() {
        let targets: Vec<&str> = node["target"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        out.push_str(&format!("  - {}\n", targets.join(" ")));
        for line in node["summary"].as_str().unwrap_or("").lines() {
            out.push_str(&format!("      {line}\n"));
        }
    }
    out
}

/// Relative luminance (0 black .. 1 white) of a CSS `rgb(r, g, b)` colour.
fn luminance(css: &str) -> f64 {
    let channels: Vec<f64> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|c| c.trim().parse::<f64>().unwrap_or_else(|_| panic!("not an rgb() colour: {css}")) / 255.0)
        .map(|c| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
        .collect();
    0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
#[cfg_attr(all(no_axe, not(no_browser)), ignore = "needs axe-core: npm ci --prefix tests/browser")]
fn the_default_theme_has_no_axe_violations_in_light_and_dark_mode() {
    let axe = axe_script();
    let browser = Browser::start();
    let site = TestSite::example();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), Some(&axe));

    let mut report = String::new();
    let mut checked = 0;
    // Both colour schemes at desktop width, and the phone layout (390 px) in light.
    let modes = [("light", None), ("dark", None), ("light", Some(390))];
    for (scheme, phone) in modes {
        browser.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        match phone {
            Some(width) => browser.cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
            ),
            None => browser.cdp("Emulation.clearDeviceMetricsOverride", json!({})),
        };
        let scheme_name = match phone {
            Some(width) => format!("{scheme}, {width} px"),
            None => scheme.to_string(),
        };
        for page in PAGES {
            browser.goto(&server.url(page));
            let title = browser.eval("return document.title;");
            assert!(title.as_str().is_some_and(|t| !t.is_empty()), "/{page} did not load: {title}");
            // The emulation really switched the scheme, and the theme followed it.
            let dark = browser.eval("return matchMedia('(prefers-color-scheme: dark)').matches;");
            assert_eq!(dark, scheme == "dark", "/{page}: prefers-color-scheme is not {scheme}");
            let background = browser.eval("return getComputedStyle(document.body).backgroundColor;");
            let lum = luminance(background.as_str().unwrap_or_default());
            assert!(
                if scheme == "dark" { lum < 0.05 } else { lum > 0.9 },
                "/{page} in {scheme}: body background {background}"
            );

            if page.starts_with("search/") {
                // Check the page as a reader sees it: index loaded, results listed.
                let settled = "var s = document.getElementById('search-status').textContent; \
                               return s !== '' && !/Loading|Searching/.test(s);";
                assert!(browser.wait_until(settled, std::time::Duration::from_secs(20)), "/{page} never settled");
            }
            assert_eq!(browser.eval(INJECT_AXE), true, "axe-core did not load into /{page}");
            let result = browser.eval(RUN_AXE);
            let passes = result["passes"].as_u64().unwrap_or(0);
            assert!(passes >= 10, "/{page} ({scheme_name}): axe ran only {passes} passing rules: {result}");
            for violation in result["violations"].as_array().into_iter().flatten() {
                report.push_str(&describe(page, &scheme_name, violation));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, PAGES.len() * modes.len());
    assert!(report.is_empty(), "axe-core found accessibility violations:\n{report}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromium-driver")]
fn the_skip_link_is_the_first_stop_and_shows_when_focused() {
    let browser = Browser::start();
    let site = TestSite::example();
    site.build(&[]).success();
    let server = StaticServer::start(&site.output(), None);
    browser.goto(&server.url("reports/weihai-city-committee/"));
    // A headless window may not have the system focus (Chromium 148 from Debian does not),
    // and without it no element matches :focus; emulate a focused page as a reader's is.
    browser.cdp("Emulation.setFocusEmulationEnabled", json!({ "enabled": true }));
    let hidden =
        "var r = document.querySelector('.skip-link').getBoundingClientRect(); return r.bottom <= 0 || r.right <= 0;";
    assert_eq!(browser.eval(hidden), true, "the skip link shows before it is focused");
    // The first element in tab order is the skip link; focusing it brings it into view.
    let first = "var all = Array.from(document.querySelectorAll('a[href], button, input, [tabindex]'))
                   .filter(function (e) { return e.tabIndex >= 0; });
                 return all[0].className;";
    assert_eq!(browser.eval(first), "skip-link");
    browser.eval("document.querySelector('.skip-link').focus(); return true;");
    assert_eq!(browser.eval(hidden), false, "the focused skip link is off screen");
    let outline = browser.eval("return getComputedStyle(document.activeElement).outlineStyle;");
    assert_eq!(browser.eval("return document.activeElement.className;"), "skip-link");
    assert!(outline.as_str().is_some_and(|o| o != "none"), "no focus outline on the skip link: {outline}");
}
