//! The project: where the site lives, its configuration and the options of this run.
//!
//! `Project::load` finds the root, parses `site.yaml` and applies command-line overrides.
//! Everything later reads paths from here, so no other module guesses at directory names.

use std::path::{Path, PathBuf};

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics};

/// Options of one build that come from the command line, not from site.yaml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include reports and pages marked `draft: true`.
    pub drafts: bool,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Forces offline links (`index.html` named explicitly).
    pub offline: bool,
}

/// A site on disk plus the options of this run.
#[derive(Debug, Clone)]
pub struct Project {
    /// The site root (holds site.yaml, content/, data/, ...), made absolute.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub options: BuildOptions,
}

impl Project {
    /// Loads site.yaml from `root` (a missing file means all defaults) and applies `options`.
    /// Errors in site.yaml are pushed into `diags`; the defaults are used in their place.
    pub fn load(root: &Path, options: BuildOptions, diags: &mut Diagnostics) -> anyhow::Result<Project> {
        if !root.is_dir() {
            anyhow::bail!("site root {} is not a folder", root.display());
        }
        let root = crate::write::resolve_path(root)?;
        if !root.join("site.yaml").is_file() && !root.join("content").is_dir() {
            anyhow::bail!(
                "no site found at {} (expected site.yaml or a content/ folder; use --root DIR)",
                root.display()
            );
        }
        let mut config = read_config(&root, diags);
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        if options.offline {
            config.offline = true;
        }
        Ok(Project { root, config, options })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.config.theme)
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

fn read_config(root: &Path, diags: &mut Diagnostics) -> SiteConfig {
    let path = root.join("site.yaml");
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SiteConfig::default(),
        Err(e) => {
            diags.push(Diagnostic::error("site.yaml", 0, 0, format!("cannot read: {e}")));
            return SiteConfig::default();
        }
    };
    let text = match crate::load::decode_text(&text) {
        Ok(text) => text,
        Err(message) => {
            diags.push(Diagnostic::error("site.yaml", 1, 1, message));
            return SiteConfig::default();
        }
    };
    if text.trim().is_empty() {
        return SiteConfig::default();
    }
    match crate::load::parse_yaml::<SiteConfig>("site.yaml", &text, 0, config::KEYS) {
        Ok(config) => config,
        Err(d) => {
            diags.push(d);
            SiteConfig::default()
        }
    }
}
