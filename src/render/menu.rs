//! The main navigation (`menu` in every page's context): site.yaml's `menu:` (sections,
//! plain pages, labelled links) made into labels and addresses in the page's language,
//! or, without `menu:`, the sections and then every plain page, so that no page of the
//! site is reachable only from the sitemap.

use serde::Serialize;

use super::Route;
use super::i18n::Arguments;
use super::view::Linker;
use crate::config::{MENU_SECTIONS, MenuEntry, MenuLabel};
use crate::model::Site;

/// One entry of the main navigation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MenuItem {
    /// In the page's language: the theme's `nav.<section>` text, a page's title, or the
    /// label site.yaml gives.
    pub label: String,
    /// A site path for `url_for` (`people/`, `about/`), or `null` for a link elsewhere.
    pub path: Option<String>,
    /// The address of a link site.yaml gives: elsewhere (`https://sco.int/`) as it is, a
    /// site path (`/feed.xml`) relative to the page; else `null`.
    pub url: Option<String>,
    /// Whether the page being rendered is this entry's (or in its section).
    pub current: bool,
}

/// The menu of the page `route`.
pub fn menu(l: &Linker, route: Route) -> Vec<MenuItem> {
    let site = l.site;
    match &site.config.menu {
        Some(entries) => entries.iter().filter_map(|entry| item(l, route, entry)).collect(),
        None => {
            let sections = MENU_SECTIONS.iter().filter(|s| **s != "search").filter_map(|s| section(l, route, s));
            sections.chain((0..site.pages.len()).map(|i| page(site, route, i))).collect()
        }
    }
}

/// The item of one `menu:` entry; `None` for a page that is not published (a draft) or
/// the search section of a site without search.
fn item(l: &Linker, route: Route, entry: &MenuEntry) -> Option<MenuItem> {
    let site = l.site;
    match entry {
        MenuEntry::Named(name) if MENU_SECTIONS.contains(&name.as_str()) => section(l, route, name),
        MenuEntry::Named(file) => {
            let source = format!("{}/{file}", crate::project::sources::CONTENT);
            site.pages.iter().position(|p| p.source == source).map(|i| page(site, route, i))
        }
        MenuEntry::Link(link) => {
            let label = match &link.label {
                MenuLabel::One(label) => label.clone(),
                MenuLabel::PerLanguage(labels) => (labels.get(&site.config.language))
                    .or_else(|| site.edition.languages.first().and_then(|default| labels.get(&default.code)))
                    .or_else(|| labels.values().next())?
                    .clone(),
            };
            // A site path is the same file in every language: linked as it is, not put
            // under the language's folder as `url_for` would.
            let url = link.url.trim();
            let url = match url.strip_prefix('/') {
                Some(path) if !path.starts_with('/') => l.url(path),
                _ => url.to_string(),
            };
            Some(MenuItem { label, path: None, url: Some(url), current: false })
        }
    }
}

/// A section's entry, labelled with the theme's `nav.<name>`.
fn section(l: &Linker, route: Route, name: &str) -> Option<MenuItem> {
    if name == "search" && !super::search::enabled(l.site) {
        return None;
    }
    let label = (l.strings())
        .and_then(|s| s.format(&format!("nav.{name}"), &Arguments::default()).ok())
        .unwrap_or_else(|| capitalised(name));
    let path = match name {
        "reports" => String::new(),
        other => format!("{other}/"),
    };
    Some(MenuItem { label, path: Some(path), url: None, current: route.section() == name })
}

/// Plain page `index`'s entry, labelled with its title.
fn page(site: &Site, route: Route, index: usize) -> MenuItem {
    let path = Route::Page(index).path(site);
    let path = path.strip_prefix(site.edition.prefix.as_str()).unwrap_or(&path).to_string();
    MenuItem {
        label: site.pages[index].title.clone(),
        path: Some(path),
        url: None,
        current: route == Route::Page(index),
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
