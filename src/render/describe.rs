//! The description of every page (`description` in the template context, printed as
//! `<meta name="description">` and `og:description`): the page's own text where it has
//! some (a report's summary, whole, or its first paragraph, a person's bio, a city's description, a
//! plain page's summary); for the home page site.yaml's `description`; else a sentence
//! made from what the page shows, in the theme's words (`describe.*` keys of its i18n
//! files) in the page's language; else site.yaml's `description` or the site's title. Search engines show it under the
//! page's title; Lighthouse counts a page without one as an SEO fault.

use super::Route;
use super::i18n::Arguments;
use super::search::html_to_text;
use super::view::{Linker, latest_role};

/// About as much as a search result shows; longer text is cut at a word.
const MAX_CHARS: usize = 160;

/// The description of the page `route`, never empty.
pub fn description(l: &Linker, route: Route) -> String {
    // A summary the author wrote is theirs to size; only derived text is cut.
    if let Some(summary) = written_summary(l, route).filter(|s| !s.trim().is_empty()) {
        return summary.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let home = matches!(route, Route::Home(_));
    let text = own_text(l, route)
        .filter(|text| !text.trim().is_empty())
        .or_else(|| if home { site_description(l) } else { None })
        .or_else(|| made_from_the_page(l, route))
        .or_else(|| site_description(l))
        .unwrap_or_else(|| l.site.config.title.clone());
    shortened(&text, MAX_CHARS)
}

/// The `summary:` of a report or plain page, when its front matter has one.
fn written_summary<'a>(l: &Linker<'a>, route: Route) -> Option<&'a str> {
    match route {
        Route::Report(id) => l.site.report(id).summary.as_deref(),
        Route::Page(i) => l.site.pages[i].summary.as_deref(),
        _ => None,
    }
}

/// The text a page has of its own, as plain text.
fn own_text(l: &Linker, route: Route) -> Option<String> {
    match route {
        // (A written summary was taken already: see `description`.)
        Route::Report(id) => Some(l.bodies.reports[id.index()].first_paragraph.to_string()),
        Route::Page(i) => Some(l.bodies.pages[i].first_paragraph.to_string()),
        Route::Person(id, _) => l.bodies.bios.get(&id).map(|html| first_block(&html_to_text(html))),
        Route::City(id, _) => l.bodies.descriptions.get(&id).map(|html| first_block(&html_to_text(html))),
        _ => None,
    }
}

/// site.yaml's `description`, for the home page (and, where the theme has no sentence for
/// them, the other pages).
fn site_description(l: &Linker) -> Option<String> {
    let description = l.site.config.description.trim();
    (!description.is_empty()).then(|| description.to_string())
}

/// A sentence about what the page shows, from the theme's `describe.<kind>` text.
fn made_from_the_page(l: &Linker, route: Route) -> Option<String> {
    let site = l.site;
    let (key, count, name) = match route {
        Route::Home(_) => ("describe.home", site.reports.len(), None),
        Route::People => ("describe.people", site.people.len(), None),
        Route::Cities => ("describe.cities", site.cities.len(), None),
        Route::Countries => ("describe.countries", site.countries.len(), None),
        Route::Topics => ("describe.topics", site.topics.len(), None),
        Route::Figures(_) => ("describe.figures", site.reports.len(), None),
        Route::Search => ("describe.search", site.reports.len(), None),
        Route::NotFound => ("describe.not_found", 0, None),
        Route::Person(id, _) => return person_sentence(l, id),
        Route::City(id, _) => ("describe.city", site.city(id).reports.len(), Some(site.city(id).name.clone())),
        Route::Country(id, _) => {
            ("describe.country", site.country(id).reports.len(), Some(site.country(id).name.clone()))
        }
        Route::Topic(id, _) => ("describe.topic", site.topic(id).reports.len(), Some(site.topic(id).name.clone())),
        Route::Report(_) | Route::Page(_) => return None,
    };
    let mut named = vec![("site", site.config.title.clone())];
    named.extend(name.map(|name| ("name", name)));
    l.strings()?.format(key, &Arguments { count: Some(count as i64), named }).ok()
}

/// "Name, role: named in 3 reports", for a person without a bio.
fn person_sentence(l: &Linker, id: crate::model::PersonId) -> Option<String> {
    let site = l.site;
    let person = site.person(id);
    let mut named = vec![("site", site.config.title.clone()), ("name", person.name.clone())];
    let key = match latest_role(site, id) {
        Some(role) => {
            named.push(("role", role.to_string()));
            "describe.person_with_role"
        }
        None => "describe.person",
    };
    l.strings()?.format(key, &Arguments { count: Some(person.reports.len() as i64), named }).ok()
}

/// The first paragraph of plain text (a bio's first lines, not all of it).
fn first_block(text: &str) -> String {
    text.split("\n").map(str::trim).find(|line| !line.is_empty()).unwrap_or_default().to_string()
}

/// `text` on one line, cut after at most `max` characters at a word, with `…` where cut.
fn shortened(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max - 1).collect();
    // Cut at the last space when there is one in the second half (text without spaces,
    // such as Chinese, is cut at a character).
    let at_word = cut.rfind(' ').filter(|at| *at > cut.len() / 2).map_or(cut.as_str(), |at| &cut[..at]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn long_text_is_cut_at_a_word_and_short_text_is_kept() {
        assert_eq!(shortened("  Norov   met\nthe mayor. ", 160), "Norov met the mayor.");
        assert_eq!(shortened("one two three four five", 12), "one two…");
        assert_eq!(shortened("威海市委书记会见上合组织秘书长", 8), "威海市委书记会…");
        assert_eq!(shortened("a, b, c, d, e, f", 10), "a, b, c…");
    }
}
