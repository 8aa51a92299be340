//! Fuzz target: arbitrary bytes as a content file, through UTF-8 decoding (BOM, CRLF),
//! front-matter splitting and the YAML parse of a report and of a plain page, as
//! `load::read_content_file` does. Fast (no resolving, no rendering), so it reaches far
//! more YAML shapes per second than `report`. Checks that the split's line numbers match
//! the text and that every error points inside the file (the errors found after the
//! first, in front matter with parts blanked out, too).

use super::assert_located_in;
use communique::load::{self, split};

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let Ok(text) = load::decode_text(bytes) else { return };
    if let Ok(fm) = split::split_front_matter(&text) {
        // The body starts on the line after the closing fence: diagnostics in Markdown
        // bodies are located by adding their line in the body to `body_line`.
        if !fm.body.is_empty() {
            let body_start = text.len() - fm.body.len();
            assert_eq!(text[..body_start].matches('\n').count() + 1, fm.body_line);
        }
        assert_eq!(fm.yaml_line, 2);
    }
    match load::parse_report("content/reports/a.md", &text) {
        Ok(report) => assert!(report.body_line >= report.yaml_line),
        Err(all) => all.iter().for_each(|diagnostic| assert_located_in(diagnostic, &text)),
    }
    match load::parse_page("content/a.md", &text) {
        Ok(page) => assert!(page.body_line >= 1),
        Err(all) => all.iter().for_each(|diagnostic| assert_located_in(diagnostic, &text)),
    }
}
