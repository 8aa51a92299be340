//! `site.yaml`: the site configuration. Every key is optional and has a documented default;
//! unknown keys are errors (with a did-you-mean hint) so typos never pass silently.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in the header and in page titles; not blank.
    #[serde(deserialize_with = "crate::load::raw::words")]
    pub title: String,
    /// One-line description for the home page and meta tags.
    pub description: String,
    /// Absolute URL where the site is published (`https://example.org/reports/`); used only
    /// for feeds, sitemap and canonical links. Internal links are always relative.
    pub base_url: String,
    /// BCP 47 language tag of the default language: its pages live at the site root.
    pub language: String,
    /// Every other language the site is published in, by tag (`ru`, `zh`): translations
    /// are sibling files (`a.ru.md` beside `a.md`), checked against their originals.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// Theme folder under `themes/`; `default` falls back to the theme embedded in the binary.
    pub theme: String,
    /// Reports per page on the home page (`/`, `/page/2/`, ...).
    pub paginate: usize,
    /// Figures per page of `/figures/` (`/figures/page/2/`, ...): a report's figures stay
    /// on one page, so a page may hold a few more.
    pub paginate_figures: usize,
    /// Reports per page of a person's, city's, country's or topic's page
    /// (`/cities/beijing/page/2/`, ...).
    pub paginate_entities: usize,
    /// Links name `index.html` explicitly so the output works from `file://`.
    pub offline: bool,
    /// Link the first mention of each person and city in a report body to its page.
    pub autolink: bool,
    /// Build a search index (Pagefind) and the `/search/` page.
    pub search: bool,
    /// Markdown rendering options.
    pub markdown: MarkdownConfig,
    /// How photos are published: the widths they are resized to and the WebP quality.
    pub images: crate::media::ImageSettings,
    /// The picture shared with links to pages that have none of their own (`og:image`):
    /// a site path (`/images/share.jpg` is `static/images/share.jpg`).
    pub image: Option<String>,
    /// Top-level entries of the output folder that every build keeps as they are (a
    /// gh-pages worktree's `.git`, `CNAME`, `.nojekyll`); the build never writes them.
    pub output_keep: Vec<String>,
    /// The main navigation, in order: section names (`people`), plain pages by their
    /// file under content/ (`about.md`) and links with labels. `None` (no `menu:`): the
    /// sections, then every plain page.
    pub menu: Option<Vec<MenuEntry>>,
    /// Free-form values passed to templates as `site.extra`.
    pub extra: serde_yaml::Value,
    /// Not a site.yaml key: whether `language` is written right to left, worked out once
    /// when the project is loaded (`dir="rtl"` on every page).
    #[serde(skip)]
    pub right_to_left: bool,
    /// Not a site.yaml key: [`crate::project::BuildOptions::reports_per_shard`], carried
    /// here to the stages that read the site.
    #[serde(skip)]
    pub reports_per_shard: Option<std::num::NonZeroUsize>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Cooperation Reports".to_string(),
            description: String::new(),
            base_url: String::new(),
            language: "en".to_string(),
            languages: BTreeMap::new(),
            theme: "default".to_string(),
            paginate: 20,
            paginate_figures: 1000,
            paginate_entities: 400,
            offline: false,
            autolink: true,
            search: true,
            markdown: MarkdownConfig::default(),
            images: crate::media::ImageSettings::default(),
            image: None,
            output_keep: Vec::new(),
            menu: None,
            extra: serde_yaml::Value::Mapping(Default::default()),
            right_to_left: false,
            reports_per_shard: None,
        }
    }
}

/// One entry of `languages:` in site.yaml: the site-level text in that language (the
/// default language's where left out).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    #[serde(deserialize_with = "crate::load::raw::optional_words")]
    pub title: Option<String>,
    pub description: Option<String>,
}

/// One entry of `menu:` in site.yaml.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum MenuEntry {
    /// A section of the site (`reports`, `people`, ... [`MENU_SECTIONS`]) or a plain page
    /// by its file under content/ (`about.md`).
    Named(String),
    /// A link with its own label: `{ label: Press office, url: "https://sco.int/" }`;
    /// a `url` starting with `/` is a site path.
    Link(MenuLink),
}

/// A `menu:` entry with its own label.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuLink {
    /// One label, or one per language (`{ en: Press office, ru: Пресс-служба }`).
    pub label: MenuLabel,
    pub url: String,
}

/// A menu link's label: the same in every language, or per language.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum MenuLabel {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

/// The sections a `menu:` entry may name, in the order of the default menu.
pub const MENU_SECTIONS: &[&str] = &["reports", "people", "cities", "countries", "topics", "figures", "search"];

/// Whether `tag` is written as a language tag: a language of two or three lower-case
/// letters, then optional subtags of two to eight letters or digits (`ru`, `zh-Hant`,
/// `pt-BR`). Which languages exist is left to the locale data.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let language_ok = (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase());
    language_ok && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `markdown:` in site.yaml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written instead of sanitising it.
    pub unsafe_html: bool,
}

/// Every top-level key of site.yaml, for did-you-mean hints.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "theme",
    "paginate",
    "paginate_figures",
    "paginate_entities",
    "offline",
    "autolink",
    "search",
    "markdown",
    "images",
    "image",
    "output_keep",
    "menu",
    "extra",
];

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::diag::Diagnostics;
    use crate::project::{BuildOptions, Project};

    /// The Default column of the key table in docs/content.md §2, by key.
    fn documented_defaults() -> BTreeMap<String, String> {
        let docs = include_str!("../docs/content.md");
        let section = docs.split("\n## 2. Site configuration").nth(1).expect("docs/content.md has §2");
        let section = section.split("\n## ").next().unwrap_or_default();
        section
            .lines()
            .filter(|line| line.starts_with("| `"))
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                (cells[1].trim_matches('`').to_string(), cells[3].to_string())
            })
            .collect()
    }

    /// The value of `key` in `config`, written as the docs write defaults.
    fn as_documented(config: &SiteConfig, key: &str) -> String {
        let text = |value: &str| if value.is_empty() { "empty".to_string() } else { format!("`{value}`") };
        match key {
            "title" => text(&config.title),
            "description" => text(&config.description),
            "base_url" => text(&config.base_url),
            "language" => text(&config.language),
            "languages" if config.languages.is_empty() => "`{}`".to_string(),
            "languages" => format!("{:?}", config.languages),
            "theme" => text(&config.theme),
            "paginate" => format!("`{}`", config.paginate),
            "paginate_figures" => format!("`{}`", config.paginate_figures),
            "paginate_entities" => format!("`{}`", config.paginate_entities),
            "offline" => format!("`{}`", config.offline),
            "autolink" => format!("`{}`", config.autolink),
            "search" => format!("`{}`", config.search),
            "markdown" => format!("`{{ unsafe_html: {} }}`", config.markdown.unsafe_html),
            "images" => format!("`{{ widths: {:?}, quality: {} }}`", config.images.widths, config.images.quality),
            "image" => config.image.clone().unwrap_or_else(|| "none".to_string()),
            "output_keep" => format!("`{:?}`", config.output_keep),
            "menu" if config.menu.is_none() => "the sections, then every plain page".to_string(),
            "menu" => format!("{:?}", config.menu),
            "extra" => match &config.extra {
                serde_yaml::Value::Mapping(map) if map.is_empty() => "`{}`".to_string(),
                other => format!("{other:?}"),
            },
            _ => panic!("no way to show the site.yaml key {key:?}: add it here"),
        }
    }

    #[test]
    fn an_empty_site_yaml_gives_the_documented_defaults() {
        let documented = documented_defaults();
        let keys: BTreeSet<&str> = documented.keys().map(String::as_str).collect();
        assert_eq!(keys, KEYS.iter().copied().collect(), "docs/content.md §2 documents other keys than site.yaml has");
        // No file, and files with nothing in them as people write them.
        let files = [None, Some(""), Some("\n  \n\t\n"), Some("# nothing yet\n# title: Mine\n"), Some("\u{feff}\r\n")];
        for file in files {
            let site = tempfile::tempdir().unwrap();
            std::fs::create_dir(site.path().join("content")).unwrap();
            if let Some(text) = file {
                std::fs::write(site.path().join("site.yaml"), text).unwrap();
            }
            let mut diags = Diagnostics::new();
            let project = Project::load(site.path(), BuildOptions::default(), &mut diags).unwrap();
            assert!(diags.is_empty(), "site.yaml {file:?}: {:?}", diags.sorted());
            for (key, default) in &documented {
                assert_eq!(&as_documented(&project.config, key), default, "{key} from site.yaml {file:?}");
            }
        }
    }

    #[test]
    fn language_tags_are_recognised_by_their_shape() {
        for tag in ["en", "ru", "zh", "fil", "zh-Hant", "pt-BR", "sr-Latn-RS"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in ["", "e", "english", "RU", "ru_RU", "ru-", "zh-Hantxxxxx", "v2", "r1"] {
            assert!(!is_language_tag(tag), "{tag}");
        }
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = serde_yaml::from_str::<SiteConfig>("titel: x").unwrap_err();
        assert!(err.to_string().contains("unknown field `titel`"), "{err}");
    }
}
