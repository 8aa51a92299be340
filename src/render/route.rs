//! Site paths and relative links.
//!
//! A *site path* names a page by its folder (`reports/weihai/`, `` for home) or a file by
//! its path (`assets/style.css`). The pages of a language other than the default live under
//! its folder (`ru/reports/weihai/`); static files are shared by every language. Every link in the output is computed from the path of the
//! page holding it, so the site works at a domain root, under a sub-path and from `file://`.

use crate::model::{CityId, CountryId, PersonId, ReportId, Site, TopicId};

// Paths are concatenated, not formatted (`concat` sizes the string once): `serve` makes
// the path of every page of every language after each edit that resolves the site, and
// `format!` took over half of that time.

/// Site path of a report page.
pub fn report(site: &Site, id: ReportId) -> String {
    report_at(&site.edition.prefix, &site.report(id).slug)
}
/// The site path of the report of `slug` in the language whose folder is `prefix`.
pub fn report_at(prefix: &str, slug: &str) -> String {
    [prefix, "reports/", slug, "/"].concat()
}
pub fn person(site: &Site, id: PersonId) -> String {
    [&site.edition.prefix, "people/", &site.person(id).slug, "/"].concat()
}
pub fn city(site: &Site, id: CityId) -> String {
    [&site.edition.prefix, "cities/", &site.city(id).slug, "/"].concat()
}
pub fn country(site: &Site, id: CountryId) -> String {
    [&site.edition.prefix, "countries/", &site.country(id).slug, "/"].concat()
}
pub fn topic(site: &Site, id: TopicId) -> String {
    [&site.edition.prefix, "topics/", &site.topic(id).slug, "/"].concat()
}

/// Home page `n` (1-based): `` then `page/2/`, `page/3/`, ... (in an edition, under
/// its language's folder: `ru/`, `ru/page/2/`).
pub fn home(site: &Site, n: usize) -> String {
    paged(site.edition.prefix.clone(), n)
}

/// The site path of page `n` of the figures (`figures/`, then `figures/page/2/`, ...).
pub fn figures(site: &Site, n: usize) -> String {
    paged(in_language(site, "figures/"), n)
}

/// Page `n` (1-based) of the paged list at site path `first` (a folder): `first` itself,
/// then `first` + `page/2/`, `page/3/`, ...
pub fn paged(first: String, n: usize) -> String {
    if n <= 1 { first } else { format!("{first}page/{n}/") }
}

/// The site path of `path` in the language of `site`'s pages (`people/` -> `ru/people/`).
pub fn in_language(site: &Site, path: &str) -> String {
    [&site.edition.prefix, path].concat()
}

/// The output file for a site path: folders get `index.html`.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
}

/// The link from the page at site path `from` to site path `to`: up to the site root,
/// then down to `to` (`../../people/wang-luming/`). With `offline`, links to folders name
/// `index.html` so they also work from `file://`.
///
/// Links always climb to the root rather than stopping at a common folder (`../y/` from
/// `people/x/`): then every link from a page depends only on how deep the page is, so
/// lists shared by many pages are rendered once per depth (see `view::ItemCache`).
pub fn relative_url(from: &str, to: &str, offline: bool) -> String {
    // A page's folder depth: `reports/a/` is 2 deep, `404.html` 0, `data/x.json` 1.
    let depth = from.bytes().filter(|b| *b == b'/').count();
    let mut url = String::with_capacity(3 * depth + to.len() + 10);
    for _ in 0..depth {
        url.push_str("../");
    }
    url.push_str(to);
    if to.is_empty() || to.ends_with('/') {
        if offline {
            url.push_str("index.html");
        } else if url.is_empty() {
            url.push_str("./");
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_between_pages_are_relative() {
        assert_eq!(relative_url("reports/weihai/", "people/wang-luming/", false), "../../people/wang-luming/");
        assert_eq!(relative_url("", "people/", false), "people/");
        assert_eq!(relative_url("people/", "", false), "../");
        assert_eq!(relative_url("people/x/", "people/y/", false), "../../people/y/");
        assert_eq!(relative_url("people/x/", "people/x/", false), "../../people/x/");
        assert_eq!(relative_url("", "", false), "./");
        assert_eq!(relative_url("page/2/", "assets/style.css", false), "../../assets/style.css");
    }

    #[test]
    fn offline_links_name_index_html() {
        assert_eq!(relative_url("reports/weihai/", "people/x/", true), "../../people/x/index.html");
        assert_eq!(relative_url("people/", "", true), "../index.html");
        assert_eq!(relative_url("", "", true), "index.html");
        assert_eq!(relative_url("", "assets/style.css", true), "assets/style.css");
    }

    #[test]
    fn links_from_files_use_their_folder() {
        assert_eq!(relative_url("404.html", "people/", false), "people/");
        assert_eq!(relative_url("data/x.json", "people/", false), "../people/");
    }

    #[test]
    fn output_files() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("reports/a/"), "reports/a/index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }
}
