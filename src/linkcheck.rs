//! Internal link checking for `check`: every `href`/`src` of every built page must name a
//! file of the site. Catches templates (a site's own or a theme's) that build URLs by
//! hand, and links written into Markdown as site paths (`/people/nobody/`).
//!
//! Links are found with a plain attribute scan rather than an HTML parser: the pages are
//! our own output, attributes are always quoted, and scanning 10,000 pages must stay fast.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use crate::diag::{Diagnostic, msg};
use crate::output::{Output, OutputFile};

/// One diagnostic per page and broken target; the page is named as `(output)/path`.
pub fn broken_links(output: &Output) -> Vec<Diagnostic> {
    let files: HashSet<&str> = output.files.keys().map(String::as_str).collect();
    // The files in a list first: the map (a persistent one, see `output::Files`) is
    // walked on one thread.
    let pages: Vec<(&String, &OutputFile)> = output.files.iter().collect();
    let broken: BTreeSet<(&str, String)> = pages
        .into_par_iter()
        .filter_map(|(page, file)| match file {
            OutputFile::Bytes(bytes) if page.ends_with(".html") => Some((page.as_str(), bytes)),
            _ => None,
        })
        .flat_map_iter(|(page, bytes)| {
            // 404.html lies at the root (its links are absolute with base_url, else
            // relative to the root), so its links start from there.
            let from = if page == "404.html" { "" } else { page };
            attribute_values(bytes)
                .into_iter()
                .filter(|link| internal_target(from, link).is_some_and(|target| !exists(&files, &target)))
                .map(move |link| (page, link))
                .collect::<Vec<_>>()
        })
        .collect();
    broken
        .into_iter()
        .map(|(page, link)| {
            Diagnostic::error(
                format!("(output)/{page}"),
                0,
                0,
                msg!("broken link \"{link}\": no such page or file in the site"),
            )
            .with_hint("check the template or Markdown that writes this link; use url_for or an entity's url")
        })
        .collect()
}

/// Values of `href="..."` and `src="..."` attributes, found in one pass.
fn attribute_values(html: &[u8]) -> Vec<String> {
    static ATTRIBUTES: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new([" href=\"", " src=\""]).expect("valid patterns"));
    ATTRIBUTES
        .find_iter(html)
        .filter_map(|m| {
            let rest = &html[m.end()..];
            let end = rest.iter().position(|b| *b == b'"')?;
            Some(String::from_utf8_lossy(&rest[..end]).replace("&amp;", "&"))
        })
        .collect()
}

/// The output file a link on page `from` points at, or `None` for links that leave the
/// site (schemes, `//host`, `#fragment`, `mailto:`) or are empty.
fn internal_target(from: &str, link: &str) -> Option<String> {
    let path = link.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.contains(':') || path.starts_with("//") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    let mut parts: Vec<&str> = if decoded.starts_with('/') {
        Vec::new()
    } else {
        let folder = from.rsplit_once('/').map_or("", |(dir, _)| dir);
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut target = parts.join("/");
    if decoded.ends_with('/') || decoded == "." || decoded.ends_with("/.") || decoded.ends_with("..") {
        if !target.is_empty() {
            target.push('/');
        }
        target.push_str("index.html");
    }
    Some(target)
}

fn exists(files: &HashSet<&str>, target: &str) -> bool {
    files.contains(target) || files.contains(format!("{target}/index.html").as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(pages: &[(&str, &str)]) -> Output {
        let mut output = Output::default();
        for (path, html) in pages {
            output.files.insert(path.to_string(), OutputFile::bytes(html.as_bytes().to_vec()));
        }
        output
    }

    #[test]
    fn relative_links_resolve_against_their_page() {
        assert_eq!(internal_target("reports/a/index.html", "../../people/x/").as_deref(), Some("people/x/index.html"));
        assert_eq!(internal_target("index.html", "./").as_deref(), Some("index.html"));
        assert_eq!(
            internal_target("reports/a/index.html", "../../assets/style.css?v=1").as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(internal_target("a/index.html", "https://example.org/"), None);
        assert_eq!(internal_target("a/index.html", "#main"), None);
        assert_eq!(internal_target("a/index.html", "mailto:x@y"), None);
        assert_eq!(internal_target("index.html", "caf%C3%A9/").as_deref(), Some("café/index.html"));
    }

    #[test]
    fn broken_links_are_reported_once_per_page() {
        let site = output(&[
            ("index.html", r#"<a href="people/">P</a> <a href="people/nobody/">N</a> <a href="people/nobody/">N</a>"#),
            ("people/index.html", r#"<a href="../">Home</a><img src="../photo.jpg">"#),
            ("404.html", r#"<a href="people/">P</a>"#),
        ]);
        let found: Vec<String> =
            broken_links(&site).into_iter().map(|d| format!("{}: {}", d.path, d.message)).collect();
        assert_eq!(
            found,
            [
                "(output)/index.html: broken link \"people/nobody/\": no such page or file in the site",
                "(output)/people/index.html: broken link \"../photo.jpg\": no such page or file in the site",
            ]
        );
    }
}
