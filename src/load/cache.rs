//! The load stage's memory: every content file as last parsed and the registries, kept by
//! the [`crate::pipeline`] between runs so that `serve` reads again only the files a change
//! names, and can tell a body edit from a front-matter edit. `build` reads everything
//! once through the same [`SourceCache::read`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::raw::{RawCityEntry, RawPerson, RawReport, RawTranslation};
use super::{ContentFile, Located, Parsed, Sources, Translated};
use crate::diag::{Diagnostic, Diagnostics};
use crate::project::Project;

/// One content file as last read from disk.
struct Cached {
    rel: String,
    parsed: Option<ContentFile>,
    diags: Vec<Diagnostic>,
}

/// What re-reading one changed content path found.
#[derive(Debug)]
pub enum ContentUpdate {
    Nothing,
    /// Only the body of this report changed (same path, same front matter text).
    Body(String),
    /// This report's front matter changed (its body may have too), with no new problem:
    /// the report as it was, for the resolve stage to judge whether the edit stays within
    /// the report (`model::resolve::edit_stays_in_report`).
    FrontMatter {
        rel: String,
        before: Arc<Parsed<RawReport>>,
    },
    /// Only the body of this translation of a report changed (same path, same front
    /// matter text).
    TranslationBody(String),
    /// Files appeared, disappeared or changed front matter.
    Structure,
}

/// Every content file (keyed by absolute path, in the build's walk order) and registry.
#[derive(Default)]
pub struct SourceCache {
    files: BTreeMap<PathBuf, Cached>,
    people: std::sync::Arc<[Located<RawPerson>]>,
    cities: std::sync::Arc<[Located<RawCityEntry>]>,
    registry_diags: Vec<Diagnostic>,
    /// Each registry entry as last parsed: a save parses again only those it changed.
    registry_memory: super::RegistryMemory,
    /// Problems of the walk itself (file names that are not UTF-8).
    walk_diags: Vec<Diagnostic>,
    /// The files under content/ that are not Markdown (photos beside reports), as site
    /// paths: the media stage publishes those in report folders without listing the
    /// folders again.
    others: BTreeSet<String>,
}

impl SourceCache {
    /// Reads and parses every content file (in parallel) and registry of `project`.
    pub fn read(project: &Project) -> SourceCache {
        let mut walk = Diagnostics::new();
        let (paths, others) = super::content_files_under(project, &project.content_dir(), &mut walk);
        let parsed: Vec<(Option<ContentFile>, Vec<Diagnostic>)> =
            paths.par_iter().map(|path| super::read_content_file(project, path)).collect();
        let files = (paths.into_iter().zip(parsed))
            .map(|(path, (parsed, diags))| {
                let rel = project.relative(&path);
                (path, Cached { rel, parsed, diags })
            })
            .collect();
        let mut cache = SourceCache {
            files,
            walk_diags: walk.iter().cloned().collect(),
            others: others.iter().map(|path| project.relative(path)).collect(),
            ..SourceCache::default()
        };
        cache.read_registries(project);
        cache
    }

    /// Reads data/people.yaml and data/cities.yaml again.
    pub fn read_registries(&mut self, project: &Project) {
        let mut diags = Diagnostics::new();
        let (people, cities) = super::read_registries(project, &mut self.registry_memory, &mut diags);
        (self.people, self.cities) = (people.into(), cities.into());
        self.registry_diags = diags.iter().cloned().collect();
    }

    /// Every problem of the sources as they are: the walk's, each file's, the registries'.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        let files = self.files.values().flat_map(|f| f.diags.iter());
        self.walk_diags.iter().chain(files).chain(&self.registry_diags)
    }

    /// The sources, for resolving (the parsed reports are shared, not copied).
    pub fn sources(&self) -> Sources {
        let mut sources = Sources::default();
        for cached in self.files.values() {
            sources.add(&cached.rel, cached.parsed.clone());
        }
        sources.people = self.people.clone();
        sources.cities = self.cities.clone();
        sources
    }

    /// The sources, giving up the cache (a build keeps nothing for a next run).
    pub fn into_sources(self) -> Sources {
        let mut sources = Sources { people: self.people, cities: self.cities, ..Sources::default() };
        for cached in self.files.into_values() {
            sources.add(&cached.rel, cached.parsed);
        }
        sources
    }

    /// The report parsed from the content file at site path `rel`, if it parsed.
    pub fn report(&self, project: &Project, rel: &str) -> Option<&Parsed<RawReport>> {
        match self.files.get(&project.root.join(rel))?.parsed.as_ref()? {
            ContentFile::Report(parsed) => Some(parsed),
            _ => None,
        }
    }

    /// The translation of a report at site path `rel`, as last read, if it parsed.
    pub fn translation(&self, project: &Project, rel: &str) -> Option<&Translated<RawTranslation>> {
        match self.files.get(&project.root.join(rel))?.parsed.as_ref()? {
            ContentFile::ReportTranslation(translated) => Some(translated),
            _ => None,
        }
    }

    /// The files under content/ that are not Markdown, as site paths, sorted.
    pub fn other_files(&self) -> &BTreeSet<String> {
        &self.others
    }

    /// The site path of the content file at absolute `path`, if it is known.
    pub fn site_path(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|c| c.rel.as_str())
    }

    /// Re-examines `path` (a file or folder under content/, present or gone).
    pub fn update(&mut self, project: &Project, path: &Path) -> ContentUpdate {
        let mut update = self.forget_gone(project, path);
        if path.is_dir() {
            let mut diags = Diagnostics::new();
            let (markdown, others) = super::content_files_under(project, path, &mut diags);
            for file in markdown {
                if super::is_content_file(project, &file) && !self.files.contains_key(&file) {
                    self.read_file(project, file);
                    update = ContentUpdate::Structure;
                }
            }
            self.note_others(project, others);
        } else if path.is_file() && super::is_bundle_file(project, path) && !path.is_symlink() {
            self.note_others(project, [path.to_path_buf()]);
        } else if path.is_file() && super::is_content_file(project, path) {
            let before = self.files.remove(path);
            let after = self.read_file(project, path.to_path_buf());
            return compare(before.as_ref(), after);
        }
        update
    }

    /// Adds files under content/ that are not Markdown, hidden or links (the media
    /// stage's news: the caller resolves again).
    fn note_others(&mut self, project: &Project, paths: impl IntoIterator<Item = PathBuf>) {
        self.others.extend(paths.into_iter().map(|path| project.relative(&path)));
    }

    /// Drops the files at or under `path` that are gone.
    fn forget_gone(&mut self, project: &Project, path: &Path) -> ContentUpdate {
        let rel = project.relative(path);
        let is_plain_file =
            |other: &str| std::fs::symlink_metadata(project.root.join(other)).is_ok_and(|m| m.is_file());
        self.others.retain(|other| !Path::new(other).starts_with(&rel) || is_plain_file(other));
        // Paths order by component, so everything under `path` follows it directly.
        let gone: Vec<PathBuf> = (self.files.range(path.to_path_buf()..).map(|(known, _)| known))
            .take_while(|known| known.starts_with(path))
            .filter(|known| !known.is_file())
            .cloned()
            .collect();
        for known in &gone {
            self.files.remove(known);
        }
        if gone.is_empty() { ContentUpdate::Nothing } else { ContentUpdate::Structure }
    }

    fn read_file(&mut self, project: &Project, path: PathBuf) -> &Cached {
        let (parsed, diags) = super::read_content_file(project, &path);
        let rel = project.relative(&path);
        self.files.insert(path.clone(), Cached { rel, parsed, diags });
        &self.files[&path]
    }
}

/// What changed between two readings of one content file.
fn compare(before: Option<&Cached>, after: &Cached) -> ContentUpdate {
    let same_diags = before.is_some_and(|b| b.diags == after.diags);
    match (before.and_then(|b| b.parsed.as_ref()), after.parsed.as_ref()) {
        (Some(ContentFile::Report(a)), Some(ContentFile::Report(b))) if a.yaml == b.yaml => {
            if a.body == b.body {
                ContentUpdate::Nothing
            } else {
                ContentUpdate::Body(after.rel.clone())
            }
        }
        (Some(ContentFile::Report(a)), Some(ContentFile::Report(_))) if same_diags => {
            ContentUpdate::FrontMatter { rel: after.rel.clone(), before: a.clone() }
        }
        (Some(ContentFile::ReportTranslation(a)), Some(ContentFile::ReportTranslation(b)))
            if a.parsed.yaml == b.parsed.yaml && same_diags =>
        {
            if a.parsed.body == b.parsed.body {
                ContentUpdate::Nothing
            } else {
                ContentUpdate::TranslationBody(after.rel.clone())
            }
        }
        _ => ContentUpdate::Structure,
    }
}
