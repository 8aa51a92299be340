//! The project: where the site lives, its configuration and the options of this run.
//!
//! `Project::load` finds the root, parses `site.yaml` and applies command-line overrides.
//! Everything later reads paths from here, so no other module guesses at directory names.
//! It also refuses sources that lead outside the root (a symlinked `content/`, a `theme:`
//! naming `../x`): they are reported, and [`Project::is_inside`] keeps readers off them.

use std::path::{Path, PathBuf};

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics, Message, msg};

/// Options of one build that come from the command line, not from site.yaml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include reports and pages marked `draft: true`.
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Forces offline links (`index.html` named explicitly).
    pub offline: bool,
    /// Reports per search index shard, instead of
    /// [`crate::render::search::REPORTS_PER_SHARD`]: lets a small site get a sharded index.
    pub reports_per_shard: Option<std::num::NonZeroUsize>,
}

/// A site on disk plus the options of this run.
#[derive(Debug, Clone)]
pub struct Project {
    /// The site root (holds site.yaml, content/, data/, ...), made absolute.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub options: BuildOptions,
    /// Source folders and files that lead outside the root (reported when loaded); nothing
    /// is read from them.
    pub outside: Vec<PathBuf>,
}

impl Project {
    /// Loads site.yaml from `root` (a missing file means all defaults) and applies `options`.
    /// Errors in site.yaml are pushed into `diags`; the defaults are used in their place.
    pub fn load(root: &Path, options: BuildOptions, diags: &mut Diagnostics) -> anyhow::Result<Project> {
        if !root.is_dir() {
            return Err(anyhow::anyhow!(msg!("site root {} is not a folder", root.display())));
        }
        let root = crate::paths::resolve_path(root)?;
        if !root.join(sources::CONFIG).is_file() && !root.join(sources::CONTENT).is_dir() {
            return Err(anyhow::anyhow!(msg!(
                "no site found at {} (expected site.yaml or a content/ folder; use --root DIR)",
                root.display()
            )));
        }
        let mut outside = sources_outside(&root, &every_source(), diags);
        let mut config = if outside.contains(&root.join(sources::CONFIG)) {
            SiteConfig::default()
        } else {
            read_config(&root, diags)
        };
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        if options.offline {
            config.offline = true;
        }
        config.reports_per_shard = options.reports_per_shard;
        check_languages(&root, &mut config, diags);
        check_images(&root, &mut config, diags);
        check_menu(&root, &mut config, diags);
        config.right_to_left = crate::locale::is_right_to_left(&config.language);
        if let Err(diagnostic) = check_theme_name(&root, &config.theme) {
            diags.push(diagnostic);
            config.theme = SiteConfig::default().theme;
        }
        let theme = format!("{}/{}", sources::THEMES, config.theme);
        let theme_sources = [
            theme.clone(),
            sources::theme_folder(&config.theme, sources::TEMPLATES),
            sources::theme_folder(&config.theme, sources::STATIC),
            sources::theme_folder(&config.theme, sources::I18N),
        ];
        outside.extend(sources_outside(&root, &theme_sources, diags));
        Ok(Project { root, config, options, outside })
    }

    /// Whether `path` may be read: it is not, and is not inside, a source that leads
    /// outside the root.
    pub fn is_inside(&self, path: &Path) -> bool {
        !self.outside.iter().any(|refused| path.starts_with(refused))
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(sources::CONTENT)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join(sources::DATA)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(sources::STATIC)
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(sources::TEMPLATES)
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join(sources::THEMES).join(&self.config.theme)
    }

    /// The default output folder, `<root>/output`.
    pub fn default_output(&self) -> PathBuf {
        self.root.join("output")
    }

    /// A root-relative display path (`content/reports/a.md`) for diagnostics.
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    }
}

/// The names of a site's sources, relative to the root: the one place that knows them
/// (the rest of the code asks here, or a [`Project`] for the folders).
pub mod sources {
    pub const CONFIG: &str = "site.yaml";
    pub const CONTENT: &str = "content";
    /// Content files under this folder are reports; every other content file is a page.
    pub const REPORTS: &str = "reports";
    pub const DATA: &str = "data";
    pub const PEOPLE: &str = "people.yaml";
    pub const CITIES: &str = "cities.yaml";
    pub const STATIC: &str = "static";
    pub const TEMPLATES: &str = "templates";
    pub const THEMES: &str = "themes";
    /// The theme's strings by language (`i18n/ru.yaml`), in a theme or at the site root.
    pub const I18N: &str = "i18n";
    /// Every source folder (a theme's folders are inside `themes/`).
    pub const FOLDERS: [&str; 6] = [CONTENT, DATA, STATIC, TEMPLATES, THEMES, I18N];

    /// Whether `source` (a root-relative content path such as `content/reports/a.md`)
    /// is a report.
    pub fn is_report(source: &str) -> bool {
        source
            .strip_prefix(CONTENT)
            .and_then(|s| s.strip_prefix('/'))
            .and_then(|s| s.strip_prefix(REPORTS))
            .is_some_and(|s| s.starts_with('/'))
    }

    /// `source` (root-relative, `content/a/b.md`) relative to the content folder (`a/b.md`).
    pub fn in_content(source: &str) -> &str {
        source.strip_prefix(CONTENT).and_then(|s| s.strip_prefix('/')).unwrap_or(source)
    }

    /// The root-relative path of `path`, given relative to the content folder (`@/` links).
    pub fn content_path(path: &str) -> String {
        format!("{CONTENT}/{path}")
    }

    /// The root-relative path of a registry (`data/people.yaml`).
    pub fn registry(name: &str) -> String {
        format!("{DATA}/{name}")
    }

    /// The root-relative folder of theme `name`'s templates or static files.
    pub fn theme_folder(name: &str, folder: &str) -> String {
        format!("{THEMES}/{name}/{folder}")
    }
}

/// The sources every site may have, relative to the root (the theme's are added by name).
fn every_source() -> Vec<String> {
    let mut all: Vec<String> = [sources::CONFIG].into_iter().chain(sources::FOLDERS).map(str::to_string).collect();
    all.extend([sources::PEOPLE, sources::CITIES].map(sources::registry));
    all
}

/// Those of `sources` (root-relative) that exist and resolve, through symbolic links,
/// to a place outside `root`, each reported as an error.
fn sources_outside(root: &Path, sources: &[String], diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut outside = Vec::new();
    for source in sources {
        let path = root.join(source);
        if path.symlink_metadata().is_err() {
            continue;
        }
        let target = path.canonicalize().unwrap_or_else(|_| path.clone());
        if !target.starts_with(root) {
            diags.push(
                Diagnostic::error(
                    source.as_str(),
                    0,
                    0,
                    msg!("leads outside the site (to {}); nothing outside the site root is read", target.display()),
                )
                .with_hint(format!(
                    "copy it into the site instead of linking it: replace the link {source} with the real files"
                )),
            );
            outside.push(path);
        }
    }
    outside
}

/// A `theme:` must name a folder directly inside `themes/` (`default` needs none).
fn check_theme_name(root: &Path, theme: &str) -> Result<(), Diagnostic> {
    let plain = !theme.is_empty() && !theme.starts_with('.') && !theme.contains(['/', '\\', '\0', ':']);
    if plain {
        return Ok(());
    }
    let (line, col) = key_position(root, "theme");
    Err(Diagnostic::error(
        "site.yaml",
        line,
        col,
        msg!("theme \"{theme}\" is not a folder name: a theme is a folder directly inside themes/"),
    )
    .with_hint("write the name of a folder in themes/, such as `theme: minimal`, or `default`"))
}

/// `language:` and each tag of `languages:` must be language tags, the latter other than
/// the default `language`; one that is not is reported at its line, and left out (the
/// default language is then English).
fn check_languages(root: &Path, config: &mut SiteConfig, diags: &mut Diagnostics) {
    if !crate::config::is_language_tag(&config.language) {
        let (line, col) = key_position(root, "language");
        diags.push(Diagnostic::error(sources::CONFIG, line, col, not_a_language_tag(&config.language)));
        config.language = SiteConfig::default().language;
    }
    let default = config.language.clone();
    config.languages.retain(|tag, _| {
        let problem = if !crate::config::is_language_tag(tag) {
            not_a_language_tag(tag)
        } else if *tag == default {
            msg!("\"{tag}\" is the default language (`language: {default}`); list only the others here")
        } else {
            return true;
        };
        let (line, col) = language_position(root, tag);
        diags.push(Diagnostic::error(sources::CONFIG, line, col, problem));
        false
    });
}

fn not_a_language_tag(tag: &str) -> Message {
    msg!("\"{tag}\" is not a language tag such as `ru`, `zh` or `pt-BR`")
}

/// The most pixels a width in `images.widths` may have: wider than any screen shows.
const MAX_IMAGE_WIDTH: u32 = 8192;

/// Checks `images:` (widths between 1 and [`MAX_IMAGE_WIDTH`], at least one, a quality of
/// 1 to 100), putting the defaults in place of what is wrong. Widths are sorted and made
/// unique: their order means nothing.
fn check_images(root: &Path, config: &mut SiteConfig, diags: &mut Diagnostics) {
    let images = &mut config.images;
    let defaults = crate::media::ImageSettings::default();
    let (line, col) = key_position(root, "images");
    let mut problem = |message: Message| diags.push(Diagnostic::error(sources::CONFIG, line, col, message));
    if images.widths.is_empty() || images.widths.iter().any(|w| !(1..=MAX_IMAGE_WIDTH).contains(w)) {
        problem(msg!("images.widths must list widths from 1 to {MAX_IMAGE_WIDTH} pixels, such as [480, 960, 1600]"));
        images.widths = defaults.widths;
    }
    if !(1..=100).contains(&images.quality) {
        problem(msg!("images.quality must be from 1 to 100 (WebP quality; {} is the default)", defaults.quality));
        images.quality = defaults.quality;
    }
    images.widths.sort_unstable();
    images.widths.dedup();
}

/// Each entry of `menu:` must name a section, a plain page that exists, or give a label
/// and a URL; one that does not is reported at its line and left out.
fn check_menu(root: &Path, config: &mut SiteConfig, diags: &mut Diagnostics) {
    use crate::config::{MENU_SECTIONS, MenuEntry, MenuLabel};
    let Some(menu) = config.menu.as_mut() else { return };
    let (menu_line, _) = key_position(root, "menu");
    let mut index = 0;
    menu.retain(|entry| {
        index += 1;
        let problem = match entry {
            MenuEntry::Named(name) if MENU_SECTIONS.contains(&name.as_str()) => return true,
            MenuEntry::Named(name) if name.ends_with(".md") => match is_plain_page(root, name) {
                true => return true,
                false => msg!("menu: \"{name}\" is not a page: no content/{name} (a report cannot be a menu entry)"),
            },
            MenuEntry::Named(name) => {
                msg!(
                    "menu: \"{name}\" is neither a section ({}) nor a page file such as `about.md`",
                    MENU_SECTIONS.join(", ")
                )
            }
            MenuEntry::Link(link) if link.url.trim().is_empty() => msg!("menu: a link needs a `url`"),
            MenuEntry::Link(link) => match &link.label {
                MenuLabel::One(label) if label.trim().is_empty() => msg!("menu: a link needs a `label`"),
                MenuLabel::PerLanguage(labels) if labels.is_empty() => msg!("menu: a link needs a `label`"),
                _ => return true,
            },
        };
        let line = entry_line(root, menu_line, index);
        diags.push(Diagnostic::error(sources::CONFIG, line, if line == 0 { 0 } else { 3 }, problem));
        false
    });
}

/// Whether content/`name` is a plain page: a Markdown file outside content/reports/,
/// inside content/ (no `..`, not absolute).
fn is_plain_page(root: &Path, name: &str) -> bool {
    let inside = Path::new(name).components().all(|c| matches!(c, std::path::Component::Normal(_)));
    let report = name.starts_with("reports/");
    inside && !report && root.join(sources::CONTENT).join(name).is_file()
}

/// The line of the `index`-th (from 1) `- ` entry after the line `menu_line` of site.yaml,
/// or `menu_line` itself when entries are not one per line.
fn entry_line(root: &Path, menu_line: usize, index: usize) -> usize {
    let text = std::fs::read_to_string(root.join(sources::CONFIG)).unwrap_or_default();
    let entries = (text.lines().enumerate().skip(menu_line))
        .take_while(|(_, line)| line.is_empty() || line.starts_with([' ', '\t', '-']))
        .filter(|(_, line)| line.trim_start().starts_with("- "));
    entries.map(|(i, _)| i + 1).nth(index - 1).unwrap_or(menu_line)
}

/// The line and column of `tag:` inside `languages:` in site.yaml, or of `languages:`.
fn language_position(root: &Path, tag: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(sources::CONFIG)).unwrap_or_default();
    let Some(start) = text.lines().position(|line| line.starts_with("languages:")) else { return (0, 0) };
    let entry = (text.lines().enumerate().skip(start + 1))
        .take_while(|(_, line)| line.is_empty() || line.starts_with([' ', '\t']))
        .find(|(_, line)| {
            let key = line.trim_start().trim_start_matches(['\'', '"']);
            key.strip_prefix(tag).is_some_and(|rest| rest.starts_with([':', '\'', '"']))
        });
    match entry {
        Some((i, line)) => (i + 1, line.len() - line.trim_start().len() + 1),
        None => (start + 1, 1),
    }
}

/// The line and column of a top-level `key:` in site.yaml, or (0, 0) when not found.
fn key_position(root: &Path, key: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
    let prefix = format!("{key}:");
    text.lines().position(|line| line.starts_with(&prefix)).map_or((0, 0), |i| (i + 1, prefix.len() + 2))
}

fn read_config(root: &Path, diags: &mut Diagnostics) -> SiteConfig {
    let path = root.join("site.yaml");
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SiteConfig::default(),
        Err(e) => {
            diags.push(Diagnostic::error("site.yaml", 0, 0, msg!("cannot read: {e}")));
            return SiteConfig::default();
        }
    };
    let text = match crate::text::decode_text(&text) {
        Ok(text) => text,
        Err(invalid) => {
            diags.push(invalid.diagnostic("site.yaml"));
            return SiteConfig::default();
        }
    };
    if text.trim().is_empty() {
        return SiteConfig::default();
    }
    match crate::text::parse_yaml_reporting_all::<SiteConfig>("site.yaml", &text, 0, config::KEYS) {
        Ok(config) => config,
        Err(all) => {
            diags.extend(all);
            SiteConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_are_sorted_into_reports_and_pages() {
        assert!(sources::is_report("content/reports/a.md"));
        assert!(sources::is_report("content/reports/2019/a.md"));
        assert!(!sources::is_report("content/reportsx/a.md"));
        assert!(!sources::is_report("content/about.md"));
        assert!(!sources::is_report("reports/a.md"));
        assert_eq!(sources::in_content("content/a/b.md"), "a/b.md");
        assert_eq!(sources::content_path("reports/a.md"), "content/reports/a.md");
    }

    #[test]
    fn languages_that_are_not_tags_or_repeat_the_default_are_errors_at_their_lines() {
        let site = tempfile::tempdir().unwrap();
        let yaml = "title: T\nlanguage: en\nlanguages:\n  ru: { title: Доклады }\n  english: {}\n  en: {}\n  zh: {}\n";
        std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
        let mut diags = Diagnostics::new();
        let project = Project::load(site.path(), BuildOptions::default(), &mut diags).unwrap();
        let errors = diags.sorted().into_iter().filter(|d| d.severity == crate::diag::Severity::Error);
        let found: Vec<(usize, usize, bool)> =
            errors.map(|d| (d.line, d.col, d.message.contains("default language"))).collect();
        assert_eq!(found, vec![(5, 3, false), (6, 3, true)], "{:?}", diags.sorted());
        let kept: Vec<&String> = project.config.languages.keys().collect();
        assert_eq!(kept, ["ru", "zh"]);
        assert_eq!(project.config.languages["ru"].title.as_deref(), Some("Доклады"));
    }

    #[test]
    fn a_language_that_is_not_a_tag_is_an_error_at_its_line_and_english_is_used() {
        let site = tempfile::tempdir().unwrap();
        let yaml = "title: T\nlanguage: English\nlanguages:\n  en: {}\n";
        std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
        let mut diags = Diagnostics::new();
        let project = Project::load(site.path(), BuildOptions::default(), &mut diags).unwrap();
        let found: Vec<(usize, usize, String)> =
            diags.sorted().into_iter().map(|d| (d.line, d.col, d.message)).collect();
        assert_eq!(
            found,
            [
                (2, 11, "\"English\" is not a language tag such as `ru`, `zh` or `pt-BR`".to_string()),
                (4, 3, "\"en\" is the default language (`language: en`); list only the others here".to_string()),
            ]
        );
        assert_eq!(project.config.language, "en");
    }
}
