//! Incremental rebuilds for `serve`: the [`Rebuilder`] keeps every parsed source, the
//! compiled theme and the last good site between builds, and redoes only what a
//! [`ChangeSet`] needs.
//!
//! - Editing only the body of a report (the usual case while writing) re-renders that
//!   report's Markdown and its page, plus the lists that show its summary if that changed.
//! - Any other content or registry change re-parses the changed files only, resolves the
//!   site again and re-renders the pages [`deps::affected_routes`] names.
//! - Template changes re-render every page; a change to site.yaml rebuilds from scratch.
//!
//! A failed rebuild changes nothing that is served: the last good state stays until a
//! rebuild succeeds, and the result always equals what `build` would write.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::deps::{self, SiteState};
use super::watch::ChangeSet;
use super::{Files, Served};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::raw::{RawCityEntry, RawPerson};
use crate::load::{self, ContentFile, Located, Sources};
use crate::model::{Site, resolve::resolve};
use crate::project::{BuildOptions, Project};
use crate::render::theme::Theme;
use crate::render::view::Bodies;
use crate::render::{self, Route, route};

/// The result of one (re)build.
pub enum Outcome {
    /// The changes named no source whose content differs (a file saved unchanged).
    Unchanged,
    /// The new site is ready to serve.
    Built(Rebuilt),
    /// Errors (and any warnings) of the sources as they are now; nothing was swapped in.
    Failed(Diagnostics),
}

/// A successful (re)build.
pub struct Rebuilt {
    pub files: Arc<Files>,
    /// Output paths whose content changed, appeared or disappeared.
    pub changed: Vec<String>,
    /// How many pages were rendered.
    pub rendered: usize,
    pub reports: usize,
    pub warnings: Diagnostics,
}

/// One content file as last read from disk.
struct Cached {
    rel: String,
    parsed: Option<ContentFile>,
    diags: Vec<Diagnostic>,
}

/// The last site that built without errors, and what is served for it.
struct Good {
    site: Site,
    bodies: Bodies,
    files: Arc<Files>,
    /// `@/` link targets of `site`, kept for re-rendering single bodies.
    link_targets: HashMap<String, String>,
    /// The warnings of the build that made `site`; a body-only edit cannot change them.
    warnings: Diagnostics,
    /// Output paths of the feeds, sitemap and robots.txt (see `render::feeds`).
    extras: BTreeSet<String>,
    /// Whether the feeds, sitemap and data exports in `files` are those of an earlier
    /// site; [`Rebuilder::refresh_derived`] brings them up to date.
    extras_stale: bool,
}

pub struct Rebuilder {
    project: Project,
    /// Every content file, keyed by absolute path (component order = the build's walk order).
    files: BTreeMap<PathBuf, Cached>,
    people: Vec<Located<RawPerson>>,
    cities: Vec<Located<RawCityEntry>>,
    registry_diags: Vec<Diagnostic>,
    theme: Option<Theme>,
    theme_diags: Vec<Diagnostic>,
    config_diags: Vec<Diagnostic>,
    good: Option<Good>,
    /// Whether `good` was built from exactly the cached sources (no failed edit since).
    clean: bool,
}

/// What re-reading one changed content path found.
#[derive(PartialEq, Eq)]
enum ContentUpdate {
    Nothing,
    /// Only the body of this report changed (same path, same front matter text).
    Body(String),
    /// Files appeared, disappeared or changed front matter.
    Structure,
}

impl Rebuilder {
    /// Reads every source of the site at `root`. Nothing is built until [`Rebuilder::build`].
    pub fn new(root: &Path, options: BuildOptions) -> anyhow::Result<Rebuilder> {
        let mut config_diags = Diagnostics::new();
        let project = Project::load(root, options, &mut config_diags)?;
        let mut rebuilder = Rebuilder {
            project,
            files: BTreeMap::new(),
            people: Vec::new(),
            cities: Vec::new(),
            registry_diags: Vec::new(),
            theme: None,
            theme_diags: Vec::new(),
            config_diags: config_diags.iter().cloned().collect(),
            good: None,
            clean: false,
        };
        rebuilder.read_everything();
        Ok(rebuilder)
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The search records of the last good site and its language, or `None` when the
    /// site has no search (or no good build yet).
    pub fn search_records(&self) -> Option<(Vec<render::search::Record>, usize, String)> {
        let good = self.good.as_ref()?;
        render::search::enabled(&good.site).then(|| {
            let records = render::search::records(&good.site, &good.bodies);
            (records, good.site.reports.len(), good.site.config.language.clone())
        })
    }

    /// Builds the whole site from the cached sources.
    pub fn build(&mut self) -> Outcome {
        let outcome = self.build_pages();
        self.with_derived(outcome)
    }

    /// Applies one batch of changes: pages, feeds, sitemap and data exports.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> Outcome {
        let outcome = self.rebuild_pages(changes);
        self.with_derived(outcome)
    }

    /// Builds every page, leaving the feeds, sitemap and exports for [`Self::refresh_derived`].
    pub fn build_pages(&mut self) -> Outcome {
        if let Some(failed) = self.source_errors() {
            return failed;
        }
        self.resolve_and_render(true, &BTreeSet::new())
    }

    /// Brings the feeds, sitemap and data exports up to date with the last good site, if
    /// a rebuild left them behind. Returns the files to serve and the paths that changed.
    /// `serve` calls this after telling open tabs to reload: these files take a few
    /// hundred milliseconds on a large site and no open page shows them.
    pub fn refresh_derived(&mut self) -> Option<(Arc<Files>, Vec<String>)> {
        let good = self.good.as_mut().filter(|g| g.extras_stale)?;
        good.extras_stale = false;
        let mut files = (*good.files).clone();
        let (keys, changed, _) = refresh_extras(&mut files, &good.site, &good.bodies, &good.extras);
        good.extras = keys;
        if changed.is_empty() {
            return None;
        }
        let files = Arc::new(files);
        good.files = files.clone();
        Some((files, changed))
    }

    fn with_derived(&mut self, mut outcome: Outcome) -> Outcome {
        if let Outcome::Built(built) = &mut outcome
            && let Some((files, changed)) = self.refresh_derived()
        {
            built.files = files;
            built.changed.extend(changed);
        }
        outcome
    }

    /// Applies one batch of changes to the pages, leaving the feeds, sitemap and exports
    /// for [`Self::refresh_derived`].
    pub fn rebuild_pages(&mut self, changes: &ChangeSet) -> Outcome {
        if changes.config {
            return match self.reload_config() {
                Ok(()) => self.build_pages(),
                Err(d) => {
                    let mut diags = Diagnostics::new();
                    diags.push(d);
                    self.fail(diags)
                }
            };
        }
        let mut bodies = Vec::new();
        let mut structure = false;
        for path in &changes.content {
            match self.update_content(path) {
                ContentUpdate::Nothing => {}
                ContentUpdate::Body(rel) => bodies.push(rel),
                ContentUpdate::Structure => structure = true,
            }
        }
        if changes.registries {
            self.read_registries();
            structure = true;
        }
        if bodies.is_empty() && !structure && !changes.templates && changes.statics.is_empty() && self.clean {
            return Outcome::Unchanged;
        }
        let theme_changed = changes.templates || !changes.statics.is_empty();
        if theme_changed {
            self.load_theme();
        }
        if let Some(failed) = self.source_errors() {
            return failed;
        }
        let everything = changes.templates || self.good.is_none();
        if everything || structure || !self.clean {
            return self.resolve_and_render(everything, &changes.statics);
        }
        self.rebuild_bodies(&bodies, &changes.statics)
    }

    fn read_everything(&mut self) {
        let mut diags = Diagnostics::new();
        let paths = load::markdown_files(&self.project, &mut diags);
        self.files.clear();
        for path in paths {
            self.read_file(path);
        }
        self.config_diags.extend(diags.iter().cloned());
        self.read_registries();
        self.load_theme();
    }

    fn reload_config(&mut self) -> Result<(), Diagnostic> {
        let mut diags = Diagnostics::new();
        let options = self.project.options.clone();
        match Project::load(&self.project.root, options, &mut diags) {
            Ok(project) => {
                self.project = project;
                self.config_diags = diags.iter().cloned().collect();
                self.good = None;
                self.read_everything();
                Ok(())
            }
            Err(e) => Err(Diagnostic::error("site.yaml", 0, 0, e.to_string())),
        }
    }

    fn read_file(&mut self, path: PathBuf) -> &Cached {
        let (parsed, diags) = load::read_content_file(&self.project, &path);
        let rel = self.project.relative(&path);
        self.files.insert(path.clone(), Cached { rel, parsed, diags });
        &self.files[&path]
    }

    fn read_registries(&mut self) {
        let mut diags = Diagnostics::new();
        (self.people, self.cities) = load::read_registries(&self.project, &mut diags);
        self.registry_diags = diags.iter().cloned().collect();
    }

    fn load_theme(&mut self) {
        let mut diags = Diagnostics::new();
        self.theme = Theme::load(&self.project, &mut diags);
        self.theme_diags = diags.iter().cloned().collect();
    }

    /// Re-examines `path` (a file or folder under content/, present or gone).
    fn update_content(&mut self, path: &Path) -> ContentUpdate {
        // Paths order by component, so everything under `path` follows it directly.
        let gone: Vec<PathBuf> = self
            .files
            .range(path.to_path_buf()..)
            .map(|(known, _)| known)
            .take_while(|known| known.starts_with(path))
            .filter(|known| !known.is_file())
            .cloned()
            .collect();
        let mut update = if gone.is_empty() { ContentUpdate::Nothing } else { ContentUpdate::Structure };
        for known in gone {
            self.files.remove(&known);
        }
        if path.is_dir() {
            let mut diags = Diagnostics::new();
            for file in load::markdown_files_under(&self.project, path, &mut diags) {
                if load::is_content_file(&self.project, &file) && !self.files.contains_key(&file) {
                    self.read_file(file);
                    update = ContentUpdate::Structure;
                }
            }
        } else if path.is_file() && load::is_content_file(&self.project, path) {
            let before = self.files.remove(path);
            let after = self.read_file(path.to_path_buf());
            return match (before.as_ref().and_then(|b| b.parsed.as_ref()), after.parsed.as_ref()) {
                (Some(ContentFile::Report(a)), Some(ContentFile::Report(b))) if a.yaml == b.yaml => {
                    if a.body == b.body { ContentUpdate::Nothing } else { ContentUpdate::Body(after.rel.clone()) }
                }
                _ => ContentUpdate::Structure,
            };
        }
        update
    }

    /// Every error (and warning) the cached sources have, when there is an error.
    fn source_errors(&mut self) -> Option<Outcome> {
        let mut diags = self.source_diagnostics();
        if self.theme.is_none() && !diags.has_errors() {
            diags.push(Diagnostic::error("themes", 0, 0, "the theme could not be loaded"));
        }
        diags.has_errors().then(|| self.fail(diags))
    }

    fn source_diagnostics(&self) -> Diagnostics {
        let mut diags = Diagnostics::new();
        diags.extend(self.config_diags.iter().cloned());
        diags.extend(self.files.values().flat_map(|f| f.diags.iter().cloned()));
        diags.extend(self.registry_diags.iter().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        diags
    }

    fn fail(&mut self, diags: Diagnostics) -> Outcome {
        self.clean = false;
        Outcome::Failed(diags)
    }

    /// The fast path: only report bodies changed, and `good` matches every other source.
    fn rebuild_bodies(&mut self, changed: &[String], statics: &BTreeSet<String>) -> Outcome {
        let good = self.good.as_mut().expect("checked by the caller");
        let mut warnings = good.warnings.clone();
        let mut updates = Vec::new();
        for rel in changed {
            let Some(id) = good.site.report_by_source(rel) else { continue }; // a draft left out
            let Some(Cached { parsed: Some(ContentFile::Report(parsed)), .. }) =
                self.files.get(&self.project.root.join(rel))
            else {
                continue;
            };
            let (body, diags) = render::render_report_body_with(&good.site, &good.link_targets, id, &parsed.body);
            warnings.extend(diags);
            updates.push((id, parsed.body.clone(), body));
        }
        if warnings.has_errors() {
            return self.fail(warnings);
        }
        let mut routes = HashSet::new();
        let mut any_summary_changed = false;
        for (id, text, body) in updates {
            let report = &mut good.site.reports[id.index()];
            report.body = text;
            let summary_changed =
                report.summary.is_none() && good.bodies.reports[id.index()].first_paragraph != body.first_paragraph;
            good.bodies.reports[id.index()] = body;
            routes.insert(Route::Report(id));
            if summary_changed {
                any_summary_changed = true;
                routes.extend(deps::routes_listing(&good.site, id));
            }
        }
        let routes: Vec<Route> = routes.into_iter().collect();
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let rendered = render::render_routes(&good.site, theme, &good.bodies, &routes, &crate::NoProgress);
        let mut files = (*good.files).clone();
        let mut changed = match merge_pages(&mut files, rendered) {
            Ok(changed) => changed,
            Err(diags) => return self.fail(diags),
        };
        changed.extend(refresh_statics(&mut files, theme, statics, &good.site));
        // Feeds and data exports carry summaries.
        good.extras_stale |= any_summary_changed;
        let files = Arc::new(files);
        good.files = files.clone();
        Outcome::Built(Rebuilt {
            files,
            changed,
            rendered: routes.len(),
            reports: good.site.reports.len(),
            warnings: warnings_only(warnings),
        })
    }

    /// Resolves the cached sources and renders what changed (or everything).
    fn resolve_and_render(&mut self, everything: bool, statics: &BTreeSet<String>) -> Outcome {
        let mut diags = self.source_diagnostics();
        let mut sources = Sources::default();
        for cached in self.files.values() {
            sources.add(cached.rel.clone(), cached.parsed.clone());
        }
        sources.people = self.people.clone();
        sources.cities = self.cities.clone();
        let site = resolve(sources, &self.project.config, self.project.options.drafts, &mut diags);
        // Bodies whose Markdown and links are unchanged come from the last good state.
        let previous = self.good.as_ref().map(|g| (&g.site, &g.bodies));
        let bodies = render::render_bodies_reusing(&site, previous, &mut diags);
        if diags.has_errors() {
            return self.fail(diags);
        }
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let routes = match (&self.good, everything) {
            (Some(good), false) => deps::affected_routes(
                SiteState { site: &good.site, bodies: &good.bodies },
                SiteState { site: &site, bodies: &bodies },
            ),
            _ => None,
        };
        let previous_extras = self.good.as_ref().map(|g| g.extras.clone()).unwrap_or_default();
        let (files, changed, rendered) = match routes {
            None => {
                let all = Route::all(&site);
                let pages = render::render_routes(&site, theme, &bodies, &all, &crate::NoProgress);
                match full_files(theme, pages) {
                    Ok(files) => {
                        let changed = diff(self.good.as_ref().map(|g| g.files.as_ref()), &files, statics);
                        (files, changed, all.len())
                    }
                    Err(d) => return self.fail(merged(diags, d)),
                }
            }
            Some(routes) => {
                let good = self.good.as_ref().expect("routes come from a good state");
                let mut files = (*good.files).clone();
                let mut changed = remove_stale_pages(&mut files, &good.site, &site);
                let pages = render::render_routes(&site, theme, &bodies, &routes, &crate::NoProgress);
                let more = match merge_pages(&mut files, pages) {
                    Ok(more) => more,
                    Err(d) => return self.fail(merged(diags, d)),
                };
                changed.extend(more);
                changed.extend(refresh_statics(&mut files, theme, statics, &site));
                (files, changed, routes.len())
            }
        };
        // Feeds and exports follow in refresh_derived; their warnings are known now.
        diags.extend(render::feeds::warnings(&site));
        let files = Arc::new(files);
        let reports = site.reports.len();
        let link_targets = render::link_targets(&site);
        let warnings = warnings_only(diags);
        self.good = Some(Good {
            site,
            bodies,
            files: files.clone(),
            link_targets,
            warnings: warnings.clone(),
            extras: previous_extras,
            extras_stale: true,
        });
        self.clean = true;
        Outcome::Built(Rebuilt { files, changed, rendered, reports, warnings })
    }
}

fn merged(mut a: Diagnostics, b: Diagnostics) -> Diagnostics {
    a.extend(b.iter().cloned());
    a
}

fn warnings_only(diags: Diagnostics) -> Diagnostics {
    debug_assert!(!diags.has_errors());
    diags
}

/// Every file of a full build: the theme's static files, then the pages over them.
fn full_files(theme: &Theme, pages: Vec<render::RenderedPage>) -> Result<Files, Diagnostics> {
    let mut files: Files = theme.static_files.iter().map(|(k, v)| (k.clone(), Served::Static(v.clone()))).collect();
    let mut errors = Diagnostics::new();
    for (path, result) in pages {
        match result {
            Ok(bytes) => {
                files.insert(path, Served::Page(bytes.into()));
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.has_errors() { Err(errors) } else { Ok(files) }
}

/// Puts `pages` into `files` (a copy of the served files: it is thrown away on errors);
/// returns the pages whose bytes changed.
fn merge_pages(files: &mut Files, pages: Vec<render::RenderedPage>) -> Result<Vec<String>, Diagnostics> {
    let mut changed = Vec::new();
    let mut errors = Diagnostics::new();
    for (path, result) in pages {
        match result {
            Ok(bytes) => {
                let same = matches!(files.get(&path), Some(Served::Page(before)) if **before == *bytes);
                if !same {
                    changed.push(path.clone());
                    files.insert(path, Served::Page(bytes.into()));
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.has_errors() { Err(errors) } else { Ok(changed) }
}

/// Puts the feeds, sitemap and robots.txt of `site` into `files` (dropping those of
/// `previous` it no longer has). Returns their paths, the paths that changed, and warnings.
fn refresh_extras(
    files: &mut Files,
    site: &Site,
    bodies: &Bodies,
    previous: &BTreeSet<String>,
) -> (BTreeSet<String>, Vec<String>, Vec<Diagnostic>) {
    let (extras, warnings) = render::extra_files(site, bodies);
    let keys: BTreeSet<String> = extras.iter().map(|(k, _)| k.clone()).collect();
    let mut changed = Vec::new();
    for gone in previous.difference(&keys) {
        files.remove(gone);
        changed.push(gone.clone());
    }
    for (path, bytes) in extras {
        let same = matches!(files.get(&path), Some(Served::Page(before)) if **before == *bytes);
        if !same {
            files.insert(path.clone(), Served::Page(bytes.into()));
            changed.push(path);
        }
    }
    (keys, changed, warnings)
}

/// Output files of `site`'s pages.
fn page_files(site: &Site) -> HashSet<String> {
    Route::all(site).into_iter().map(|r| route::output_file(&r.path(site))).collect()
}

/// Drops the pages of `old` that `new` no longer has (a renamed or deleted report, a person
/// no longer named anywhere), so their URLs answer 404 as after a full build.
fn remove_stale_pages(files: &mut Files, old: &Site, new: &Site) -> Vec<String> {
    let keep = page_files(new);
    let stale: Vec<String> = page_files(old).into_iter().filter(|p| !keep.contains(p)).collect();
    for path in &stale {
        files.remove(path);
    }
    stale
}

/// Brings the static files in `files` in line with `theme`; pages keep precedence, as in a
/// full build. Returns the static paths that changed (`changed` holds output paths from
/// the watcher; an empty string means "anything").
fn refresh_statics(files: &mut Files, theme: &Theme, changed: &BTreeSet<String>, site: &Site) -> Vec<String> {
    if changed.is_empty() {
        return Vec::new();
    }
    let pages = page_files(site);
    let before: Vec<String> =
        files.iter().filter(|(_, v)| matches!(v, Served::Static(_))).map(|(k, _)| k.clone()).collect();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    for path in before {
        if !theme.static_files.contains_key(&path) {
            files.remove(&path);
            touched.insert(path);
        }
    }
    for (path, source) in &theme.static_files {
        if pages.contains(path) {
            continue;
        }
        let is_new = files.insert(path.clone(), Served::Static(source.clone())).is_none_or(|old| match old {
            Served::Static(old) => &old != source,
            Served::Page(_) => true,
        });
        if is_new || changed.contains(path) || changed.contains("") {
            touched.insert(path.clone());
        }
    }
    touched.into_iter().collect()
}

/// Output paths that differ between two complete file sets (statics named by the watcher
/// count as changed, since their bytes live on disk).
fn diff(old: Option<&Files>, new: &Files, statics: &BTreeSet<String>) -> Vec<String> {
    let Some(old) = old else { return new.keys().cloned().collect() };
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v) || statics.contains(*k) || statics.contains(""))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;

    /// A tiny deterministic generator, so a failure names a reproducible seed.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    const PEOPLE: &[&str] = &["Wang Luming", "Vladimir Norov", "Zhang Ming", "Aliya Seitova", "Mr Wang Luming"];
    const CITIES: &[&str] = &["Weihai", "Qingdao", "Tashkent", "Astana"];
    const COUNTRIES: &[&str] = &["China", "Uzbekistan", "Kazakhstan"];

    fn random_report(rng: &mut Lcg, i: usize) -> String {
        let person = |rng: &mut Lcg| PEOPLE[rng.next(PEOPLE.len())];
        let city = CITIES[rng.next(CITIES.len())];
        let country = COUNTRIES[rng.next(COUNTRIES.len())];
        let draft = if rng.next(8) == 0 { "\ndraft: true" } else { "" };
        let summary = if rng.next(3) == 0 { "\nsummary: A written summary." } else { "" };
        // A third of the reports quote no figure, which keeps them off the figures page.
        let figures = if rng.next(3) == 0 {
            String::new()
        } else {
            format!(
                "figures:\n  - label: Trade\n    value: {} million\n    unit: USD\n    city: {city}\n",
                1 + rng.next(20)
            )
        };
        format!(
            "---\ntitle: Meeting {}\ndate: 2021-0{}-1{}{draft}{summary}\ncities:\n  - name: {city}\n    country: {}\n\
             officials:\n  - name: {}\n    role: Role {}\n    country: {country}\n  - {}\n\
             {figures}topics: [t{}]\n---\n\
             First paragraph {} with {}.\n\nSecond paragraph.\n",
            rng.next(50),
            1 + rng.next(9),
            rng.next(10),
            COUNTRIES[rng.next(COUNTRIES.len())],
            person(rng),
            rng.next(3),
            person(rng),
            rng.next(3),
            rng.next(4),
            PEOPLE[i % PEOPLE.len()]
        )
    }

    fn pages(files: &Files) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .filter_map(|(k, v)| match v {
                Served::Page(bytes) => Some((k.clone(), bytes.to_vec())),
                Served::Static(_) => None,
            })
            .collect()
    }

    fn full_build(root: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
        let mut diags = Diagnostics::new();
        let project = Project::load(root, BuildOptions::default(), &mut diags).unwrap();
        let built = crate::build(&project, &crate::NoProgress, &mut diags)?;
        Some(
            built
                .output
                .files
                .into_iter()
                // serve indexes for search on a thread of its own (serve::search).
                .filter(|(k, _)| !k.starts_with(crate::render::search::BUNDLE_DIR))
                .filter_map(|(k, v)| match v {
                    OutputFile::Bytes(bytes) => Some((k, bytes)),
                    OutputFile::Static(_) => None,
                })
                .collect(),
        )
    }

    /// Random edits, one file at a time, each followed by a comparison of the incremental
    /// result with a full build of the same files.
    #[test]
    fn random_edits_always_equal_a_full_build() {
        for seed in 1..=4u64 {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path();
            std::fs::write(root.join("site.yaml"), "title: Test\npaginate: 3\nbase_url: https://example.org/sub/\n")
                .unwrap();
            std::fs::create_dir_all(root.join("content/reports")).unwrap();
            std::fs::create_dir_all(root.join("data")).unwrap();
            let mut rng = Lcg(seed);
            let path = |i: usize| root.join(format!("content/reports/r{i:02}.md"));
            for i in 0..10 {
                std::fs::write(path(i), random_report(&mut rng, i)).unwrap();
            }
            let mut rebuilder = Rebuilder::new(root, BuildOptions::default()).unwrap();
            assert!(matches!(rebuilder.build(), Outcome::Built(_)));
            for step in 0..40 {
                let i = rng.next(12);
                let mut changes = ChangeSet::default();
                match rng.next(6) {
                    0 if path(i).exists() => std::fs::remove_file(path(i)).unwrap(),
                    1 if path(i).exists() => {
                        let text = std::fs::read_to_string(path(i)).unwrap();
                        let body = format!("Edited {step} with Zhang Ming.\n\nMore.\n");
                        let (front, _) = text.rsplit_once("---\n").unwrap();
                        std::fs::write(path(i), format!("{front}---\n{body}")).unwrap();
                    }
                    2 => {
                        let registry = format!(
                            "- name: Zhang Ming\n  aliases: [Mr Zhang]\n  country: {}\n",
                            COUNTRIES[rng.next(COUNTRIES.len())]
                        );
                        std::fs::write(root.join("data/people.yaml"), registry).unwrap();
                        changes.registries = true;
                    }
                    _ => std::fs::write(path(i), random_report(&mut rng, i)).unwrap(),
                }
                changes.content.insert(path(i));
                let outcome = rebuilder.rebuild(&changes);
                let expected = full_build(root);
                match (outcome, expected) {
                    (Outcome::Built(built), Some(expected)) => {
                        let got = pages(&built.files);
                        let differing: Vec<&String> =
                            expected.keys().chain(got.keys()).filter(|k| expected.get(*k) != got.get(*k)).collect();
                        assert!(differing.is_empty(), "seed {seed} step {step}: pages differ: {differing:?}");
                    }
                    (Outcome::Unchanged, Some(_)) => {}
                    (Outcome::Failed(_), None) => {}
                    (Outcome::Failed(d), Some(_)) => {
                        panic!("seed {seed} step {step}: serve failed, build did not: {:?}", d.sorted())
                    }
                    (_, None) => panic!("seed {seed} step {step}: build failed, serve did not"),
                }
            }
        }
    }
}
