//! Fuzz target: arbitrary Markdown as the body of one of the example site's reports,
//! rendered by `render::render_report_body` as a build renders every report body:
//! the report's people and cities (names and aliases, Latin, Cyrillic and Chinese) are
//! linked on first mention, `@/` and root-relative links are rewritten, raw HTML is
//! sanitised (or kept, with `markdown.unsafe_html`). The first byte picks the report and
//! the site options; the rest is the body. Checks that errors point inside the body and
//! that nothing executable survives the sanitiser.

use std::sync::OnceLock;

use communique::Site;
use communique::config::SiteConfig;
use communique::model::ReportId;
use communique::render;

/// The example site with each combination of `offline` and `markdown.unsafe_html`.
fn sites() -> &'static [Site; 4] {
    static SITES: OnceLock<[Site; 4]> = OnceLock::new();
    SITES.get_or_init(|| {
        std::array::from_fn(|options| {
            let mut config = SiteConfig { offline: options & 1 != 0, ..SiteConfig::default() };
            config.markdown.unsafe_html = options & 2 != 0;
            super::example_site(&config)
        })
    })
}

/// Tags the sanitiser removes with their content; none may be in a sanitised body.
const EXECUTABLE: &[&str] = &["<script", "<iframe", "<object", "<embed", "<style"];

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let Some((&options, body)) = bytes.split_first() else { return };
    let Ok(body) = std::str::from_utf8(body) else { return };
    let mut site = sites()[usize::from(options & 3)].clone();
    let id = ReportId(u32::from(options >> 2) % site.reports.len() as u32);
    site.reports[id.index()].body = body.into();
    let site = &site;
    let targets = render::LinkTargets::default();
    let (rendered, diagnostics) = render::render_report_body(site, &targets, id);
    let body_line = site.report(id).body_line;
    for diagnostic in &diagnostics {
        let lines = body_line..=body_line + body.lines().count();
        assert!(lines.contains(&diagnostic.line), "{diagnostic:?} is outside the body, lines {lines:?}");
    }
    if !site.config.markdown.unsafe_html {
        let html = rendered.html.to_ascii_lowercase();
        for tag in EXECUTABLE {
            assert!(!html.contains(tag), "{tag} survived sanitising: {html}");
        }
    }
}
