//! Every output context escapes what it carries: sites whose titles and names hold markup
//! are built, and each output is read the way its consumer reads it. Inline JSON-LD parses
//! back to the exact text and leaves the page whole (both shipped themes with JSON-LD).

use serde_json::Value;

use crate::support::{Page, TestSite, copy_dir, repo_root};

/// A string as a YAML double-quoted scalar that reads back as exactly `text`, whatever
/// characters it holds (YAML cannot hold most control characters, U+FFFE or U+FFFF raw).
fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' || ('\u{7F}'..='\u{9F}').contains(&c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `site` using `theme` from the repository's `themes/` (`None`: the built-in default).
fn with_theme(site: TestSite, theme: Option<&str>) -> TestSite {
    if let Some(theme) = theme {
        copy_dir(&repo_root().join("themes").join(theme), &site.path(&format!("themes/{theme}")));
        site.write("site.yaml", &format!("{}theme: {theme}\n", site.read("site.yaml")));
    }
    site
}

/// Text that ends a `<script>` element or makes the HTML parser swallow the rest of the
/// page if it reaches the page unescaped.
const SCRIPT_BREAKERS: &str = "<!-- <script> </script> </script <img src=x> & \"q\" 'a' ]]>";

/// One report by one person in one city, all three named with [`SCRIPT_BREAKERS`].
fn site_named_to_break_scripts() -> TestSite {
    let title = format!("Talks {SCRIPT_BREAKERS}");
    let person = format!("{SCRIPT_BREAKERS} Okafor");
    let city = format!("{SCRIPT_BREAKERS} Town");
    TestSite::new()
        .file("site.yaml", "title: Reports\nbase_url: https://example.org/\n")
        .file("data/people.yaml", &format!("- name: {}\n", yaml(&person)))
        .file("data/cities.yaml", &format!("- name: {}\n", yaml(&city)))
        .file(
            "content/reports/2021-01-05-talks.md",
            &format!(
                "---\ntitle: {}\ndate: 2021-01-05\ncities: [{}]\nofficials:\n  - {{ name: {} }}\n---\n\
                 The report body follows the structured data.\n",
                yaml(&title),
                yaml(&city),
                yaml(&person)
            ),
        )
}

/// The page's one JSON-LD object, parsed.
#[track_caller]
fn json_ld(page: &Page) -> Value {
    let scripts = page.select("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{}: expected one JSON-LD script", page.path);
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: the JSON-LD does not parse ({e}):\n{text}", page.path))
}

/// The page ended where its template ends: `h1` says `heading`, and the footer is there.
#[track_caller]
fn assert_whole(page: &Page, heading: &str) {
    assert_eq!(page.texts("main h1"), [heading], "{}: the heading is not where it belongs", page.path);
    assert_eq!(page.select("body > footer").len(), 1, "{}: the footer is not an element of the body", page.path);
}

#[test]
fn inline_json_ld_reads_back_exactly_and_leaves_the_page_whole_in_both_themes() {
    for theme in [None, Some("minimal")] {
        let site = with_theme(site_named_to_break_scripts(), theme);
        site.build(&[]).success();
        let report = site.page("reports/talks/index.html");
        let title = format!("Talks {SCRIPT_BREAKERS}");
        let data = json_ld(&report);
        assert_eq!(data["headline"], title.as_str(), "{theme:?}");
        assert_eq!(data["mentions"][0]["name"], format!("{SCRIPT_BREAKERS} Okafor").as_str());
        assert_eq!(data["about"][0]["name"], format!("{SCRIPT_BREAKERS} Town").as_str());
        assert_whole(&report, &title);
        let body = report.texts("main p");
        assert!(body.iter().any(|p| p == "The report body follows the structured data."), "{theme:?}: {body:?}");

        for (folder, name) in
            [("people", format!("{SCRIPT_BREAKERS} Okafor")), ("cities", format!("{SCRIPT_BREAKERS} Town"))]
        {
            let pages: Vec<String> = site
                .html_files()
                .into_iter()
                .filter(|p| p.starts_with(&format!("{folder}/")) && p.matches('/').count() == 2)
                .collect();
            assert_eq!(pages.len(), 1, "{theme:?}: {pages:?}");
            let page = site.page(&pages[0]);
            assert_eq!(json_ld(&page)["name"], name.as_str(), "{theme:?} {}", page.path);
            assert_whole(&page, &name);
        }
    }
}
