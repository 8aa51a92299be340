//! What changed since the pipeline's last run, as `serve`'s watcher saw it: a
//! [`ChangeSet`] names the paths to read again and what else must be redone.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// What a batch of file events touched, grouped by what must be redone.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// site.yaml: reload the configuration and rebuild everything.
    pub config: bool,
    /// Paths under content/ (files or folders, existing or gone) to re-examine.
    pub content: BTreeSet<PathBuf>,
    /// data/people.yaml or data/cities.yaml.
    pub registries: bool,
    /// A template of the site or of the theme in use.
    pub templates: bool,
    /// Static files of the site or theme.
    pub statics: StaticChanges,
}

/// Which static files (of the site or the theme in use) a batch of events touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticChanges {
    /// These files, as output paths (`assets/style.css`); none when the set is empty.
    Files(BTreeSet<String>),
    /// A static folder itself was created, removed or renamed: any file may have changed.
    All,
}

impl Default for StaticChanges {
    fn default() -> Self {
        StaticChanges::Files(BTreeSet::new())
    }
}

impl StaticChanges {
    pub fn is_empty(&self) -> bool {
        matches!(self, StaticChanges::Files(files) if files.is_empty())
    }

    /// Whether the static file at output path `path` may have changed.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            StaticChanges::Files(files) => files.contains(path),
            StaticChanges::All => true,
        }
    }

    pub fn add(&mut self, path: String) {
        if let StaticChanges::Files(files) = self {
            files.insert(path);
        }
    }

    /// Adds the changes of another batch.
    pub fn merge(&mut self, other: StaticChanges) {
        match other {
            StaticChanges::Files(files) => files.into_iter().for_each(|f| self.add(f)),
            StaticChanges::All => *self = StaticChanges::All,
        }
    }
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        *self == ChangeSet::default()
    }

    /// Adds another batch (events that arrived while a rebuild ran).
    pub fn merge(&mut self, other: ChangeSet) {
        self.config |= other.config;
        self.content.extend(other.content);
        self.registries |= other.registries;
        self.templates |= other.templates;
        self.statics.merge(other.statics);
    }
}
