//! `site.yaml`: the site configuration. Every key is optional and has a documented default;
//! unknown keys are errors (with a did-you-mean hint) so typos never pass silently.

use serde::Deserialize;

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title, shown in the header and in page titles.
    pub title: String,
    /// One-line description for the home page and meta tags.
    pub description: String,
    /// Absolute URL where the site is published (`https://example.org/reports/`); used only
    /// for feeds, sitemap and canonical links. Internal links are always relative.
    pub base_url: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Theme folder under `themes/`; `default` falls back to the theme embedded in the binary.
    pub theme: String,
    /// Reports per page on the home page (`/`, `/page/2/`, ...).
    pub paginate: usize,
    /// Links name `index.html` explicitly so the output works from `file://`.
    pub offline: bool,
    /// Link the first mention of each person and city in a report body to its page.
    pub autolink: bool,
    /// Build a search index (Pagefind) and the `/search/` page.
    pub search: bool,
    /// Markdown rendering options.
    pub markdown: MarkdownConfig,
    /// Top-level entries of the output folder that every build keeps as they are (a
    /// gh-pages worktree's `.git`, `CNAME`, `.nojekyll`); the build never writes them.
    pub output_keep: Vec<String>,
    /// Free-form values passed to templates as `site.extra`.
    pub extra: serde_yaml::Value,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Cooperation Reports".to_string(),
            description: String::new(),
            base_url: String::new(),
            language: "en".to_string(),
            theme: "default".to_string(),
            paginate: 20,
            offline: false,
            autolink: true,
            search: true,
            markdown: MarkdownConfig::default(),
            output_keep: Vec::new(),
            extra: serde_yaml::Value::Mapping(Default::default()),
        }
    }
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
    "theme",
    "paginate",
    "offline",
    "autolink",
    "search",
    "markdown",
    "output_keep",
    "extra",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let config: SiteConfig = serde_yaml::from_str("{}").unwrap();
        assert_eq!(config, SiteConfig::default());
        assert_eq!(config.paginate, 20);
        assert!(config.autolink);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = serde_yaml::from_str::<SiteConfig>("titel: x").unwrap_err();
        assert!(err.to_string().contains("unknown field `titel`"), "{err}");
    }
}
