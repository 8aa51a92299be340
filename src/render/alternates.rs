//! The links between the languages of a page: the `<link rel="alternate" hreflang>`
//! elements search engines read, and the language switcher readers use (SPEC §6).

use serde::Serialize;

use super::theme::Theme;
use super::view::Linker;

/// The text key of a language's own name in its theme strings (`Русский`), for the
/// switcher: shown in that language whatever the page's language is.
pub const LANGUAGE_NAME_KEY: &str = "language_name";

/// One language in the switcher.
#[derive(Serialize)]
pub struct LanguageLink {
    /// The language tag (`ru`), for `lang` and `hreflang`.
    pub code: String,
    /// The language's name in itself (`Русский`).
    pub name: String,
    /// The page in that language, or that language's home page when the page is not
    /// translated into it.
    pub url: String,
    /// Whether this is the language of the page being shown.
    pub current: bool,
    /// Whether `url` leads to this very page in that language (not its home page).
    pub translated: bool,
}

/// One `<link rel="alternate">`: the page in a language, and `x-default`.
#[derive(Serialize)]
pub struct Alternate {
    pub hreflang: String,
    /// Absolute with `base_url`, else relative to the page.
    pub url: String,
}

/// The switcher of a page that is in the languages `here` (language, site path, as
/// `pages::alternates` gives them): every language of the site, in the order of site.yaml
/// (none for a site in one language).
pub fn language_links(l: &Linker, theme: &Theme, here: &[(&str, &str)]) -> Vec<LanguageLink> {
    let site = l.site;
    (site.edition.languages.iter())
        .map(|language| {
            let page = here.iter().find(|(code, _)| *code == language.code).map(|(_, path)| *path);
            LanguageLink {
                code: language.code.clone(),
                name: own_name(theme, &language.code),
                url: l.url(page.unwrap_or(&language.prefix)),
                current: language.code == site.config.language,
                translated: page.is_some(),
            }
        })
        .collect()
}

/// The alternates of a page that is in the languages `here`: each of them, then
/// `x-default` (the default language's page), when it is in more than one.
pub fn alternate_links(l: &Linker, here: &[(&str, &str)]) -> Vec<Alternate> {
    let site = l.site;
    if here.len() < 2 {
        return Vec::new();
    }
    let base = site.config.base_url.trim().trim_end_matches('/');
    let url = |path: &str| if base.is_empty() { l.url(path) } else { format!("{base}/{path}") };
    let mut links: Vec<Alternate> =
        here.iter().map(|(code, path)| Alternate { hreflang: code.to_string(), url: url(path) }).collect();
    let default = site.edition.languages.first().map(|l| l.code.as_str());
    if let Some((_, path)) = here.iter().find(|(code, _)| Some(*code) == default) {
        links.push(Alternate { hreflang: "x-default".into(), url: url(path) });
    }
    links
}

/// A language's name in itself, from its theme strings; its tag when they have none.
fn own_name(theme: &Theme, code: &str) -> String {
    theme.strings.get(code).and_then(|s| s.own_text(LANGUAGE_NAME_KEY)).unwrap_or(code).to_string()
}
