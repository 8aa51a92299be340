//! Fuzz target: arbitrary bytes as a report, a plain page and a people registry, through
//! decoding, front-matter splitting, YAML parsing, model resolution, Markdown rendering
//! and the text the search index is made from. Any panic, hang or runaway allocation is a bug: hostile input must become
//! a diagnostic.

use communique::config::SiteConfig;
use communique::load::{self, Sources};
use communique::{Diagnostics, model, render};

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let Ok(text) = load::decode_text(bytes) else { return };
    let mut sources = Sources::default();
    if let Ok(report) = load::parse_report("content/reports/a.md", &text) {
        sources.reports.push(report.into());
    }
    if let Ok(page) = load::parse_page("content/about.md", &text) {
        sources.pages.push(page);
    }
    if let Ok(people) = load::parse_yaml::<Vec<load::raw::RawPerson>>("data/people.yaml", &text, 0, &[]) {
        sources.people =
            people.into_iter().map(|value| load::Located { path: "data/people.yaml".into(), line: 1, value }).collect();
    }
    let mut diags = Diagnostics::new();
    let site = model::resolve::resolve(sources, &SiteConfig::default(), true, &mut diags);
    let bodies = render::render_bodies(&site, None, &mut diags);
    let _ = render::search::records(&site, &bodies, &|| false);
}
