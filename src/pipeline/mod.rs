//! Incremental rebuilds for `serve`: the [`Rebuilder`] keeps every parsed source, the
//! compiled theme and the last good site between builds, and redoes only what a
//! [`ChangeSet`] needs.
//!
//! - Editing only the body of a report (the usual case while writing) re-renders that
//!   report's Markdown and its page, plus the lists that show its summary if that changed.
//! - Editing a report's front matter in a way that leaves its place in every list and the
//!   entities it names as they were (a title, a role, a figure: see
//!   `model::resolve::edit_stays_in_report`) re-resolves that report alone and re-renders
//!   the pages that show what changed.
//! - Any other content or registry change re-parses the changed files only, resolves the
//!   site again and re-renders the pages [`deps::affected_routes`] names (every page when
//!   the site's counts of reports, people, cities, countries or topics changed).
//! - Template changes re-render every page; a change to site.yaml rebuilds from scratch.
//!
//! After a content edit only the edited reports' own pages are rendered before the reload
//! message; the others follow it ([`Rebuilt::following`]).
//!
//! A failed rebuild changes nothing that is served: the last good state stays until a
//! rebuild succeeds, and the result always equals what `build` would write.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod changes;
pub mod deps;

use changes::{ChangeSet, StaticChanges};
use deps::SiteState;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::raw::{RawCityEntry, RawPerson};
use crate::load::{self, ContentFile, Located, Sources};
use crate::model::resolve;
use crate::model::{Report, ReportId, Site};
use crate::output::{Files, OutputFile};
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

impl Outcome {
    /// This outcome of [`Rebuilder::rebuild_pages`] with that of the
    /// [`Rebuilder::render_following`] after it, as one.
    pub fn followed_by(self, rest: Outcome) -> Outcome {
        match (self, rest) {
            (Outcome::Built(mut built), Outcome::Built(rest)) => {
                built.files = rest.files;
                built.changed.extend(rest.changed);
                built.rendered += rest.rendered;
                built.following.clear();
                Outcome::Built(built)
            }
            (Outcome::Built(_), failed) => failed,
            (outcome, _) => outcome,
        }
    }
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
    /// Whether the whole site was resolved again (not only edited reports in place).
    pub resolved: bool,
    /// Output paths of pages this rebuild left for [`Rebuilder::render_following`]: `files`
    /// holds their previous bytes until then, which must not be served meanwhile.
    pub following: Vec<String>,
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
    /// Pages the last rebuild left to render after the reload message.
    following: Option<Following>,
}

/// Pages a rebuild renders after the reload message: all the edit touches but the edited
/// reports' own pages (lists, entity pages, the figures page), with what is needed to take
/// the edit back if one of them fails to render.
struct Following {
    routes: Vec<Route>,
    undo: Undo,
    warnings: Diagnostics,
}

/// How to take back an edit whose following pages failed.
enum Undo {
    /// Put back the reports and bodies an in-place rebuild changed, and the files.
    InPlace { reports: Vec<(ReportId, Report, render::markdown::RenderedBody)>, files: Arc<Files>, extras_stale: bool },
    /// Go back to the whole state before a resolve.
    Resolve(Box<Good>),
}

/// What re-reading one changed content path found.
#[derive(PartialEq, Eq)]
enum ContentUpdate {
    Nothing,
    /// Only the body of this report changed (same path, same front matter text).
    Body(String),
    /// This report's front matter changed (its body may have too) and nothing outside the
    /// report can change with it.
    InPlace(String),
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
            following: None,
        };
        rebuilder.read_everything();
        Ok(rebuilder)
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The search records of the last good site and the settings of its index, or `None`
    /// when the site has no search (or no good build yet).
    pub fn search_records(&self) -> Option<(Vec<render::search::Record>, render::search::IndexSettings)> {
        let good = self.good.as_ref()?;
        render::search::enabled(&good.site).then(|| {
            let records = render::search::records(&good.site, &good.bodies);
            (records, render::search::IndexSettings::of(&good.site))
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
        let outcome = match self.render_following() {
            Some(rest) => outcome.followed_by(rest),
            None => outcome,
        };
        self.with_derived(outcome)
    }

    /// Renders the pages the last rebuild left for after the reload message (see
    /// [`Rebuilt::following`]). A page that fails takes the whole edit back: the outcome
    /// is then `Failed`, and [`Self::files`] are those before the edit again.
    pub fn render_following(&mut self) -> Option<Outcome> {
        let following = self.following.take()?;
        let good = self.good.as_mut().expect("following pages belong to a good state");
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let pages = render::render_routes(&good.site, theme, &good.bodies, &following.routes, &crate::NoProgress);
        let mut files = (*good.files).clone();
        match merge_pages(&mut files, pages) {
            Ok(changed) => {
                let files = Arc::new(files);
                good.files = files.clone();
                Some(Outcome::Built(Rebuilt {
                    files,
                    changed,
                    rendered: following.routes.len(),
                    reports: good.site.reports.len(),
                    warnings: following.warnings,
                    resolved: false,
                    following: Vec::new(),
                }))
            }
            Err(diags) => {
                match following.undo {
                    Undo::InPlace { reports, files, extras_stale } => {
                        good.undo(reports);
                        good.files = files;
                        good.extras_stale = extras_stale;
                    }
                    Undo::Resolve(before) => *good = *before,
                }
                let diags = merged(following.warnings, diags);
                Some(self.fail(diags))
            }
        }
    }

    /// The files of the last good state.
    pub fn files(&self) -> Option<Arc<Files>> {
        self.good.as_ref().map(|g| g.files.clone())
    }

    /// Builds every page, leaving the feeds, sitemap and exports for [`Self::refresh_derived`].
    pub fn build_pages(&mut self) -> Outcome {
        if let Some(failed) = self.source_errors() {
            return failed;
        }
        self.resolve_and_render(true, &StaticChanges::default(), &[])
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
        // serve renders them before the next batch; this keeps the state whole regardless.
        let _ = self.render_following();
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
        let mut edits = Vec::new();
        let mut structure = false;
        let mut edited = Vec::new();
        for path in &changes.content {
            match self.update_content(path) {
                ContentUpdate::Nothing => {}
                ContentUpdate::Body(rel) => edits.push(InPlaceEdit { rel, front_matter: false }),
                ContentUpdate::InPlace(rel) => edits.push(InPlaceEdit { rel, front_matter: true }),
                ContentUpdate::Structure => structure = true,
            }
            edited.extend(self.files.get(path).map(|c| c.rel.clone()));
        }
        if changes.registries {
            self.read_registries();
            structure = true;
        }
        if edits.is_empty() && !structure && !changes.templates && changes.statics.is_empty() && self.clean {
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
            return self.resolve_and_render(everything, &changes.statics, &edited);
        }
        self.rebuild_in_place(&edits, &changes.statics)
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
            let same_diags = before.as_ref().is_some_and(|b| b.diags == after.diags);
            return match (before.as_ref().and_then(|b| b.parsed.as_ref()), after.parsed.as_ref()) {
                (Some(ContentFile::Report(a)), Some(ContentFile::Report(b))) if a.yaml == b.yaml => {
                    if a.body == b.body { ContentUpdate::Nothing } else { ContentUpdate::Body(after.rel.clone()) }
                }
                (Some(ContentFile::Report(a)), Some(ContentFile::Report(b)))
                    if same_diags && resolve::edit_stays_in_report(a, b) =>
                {
                    ContentUpdate::InPlace(after.rel.clone())
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

    /// The fast paths: only report bodies changed, or front matter in ways that stay within
    /// each report, and `good` matches every other source. The reports are changed in
    /// place in `good` and put back if anything fails.
    fn rebuild_in_place(&mut self, edits: &[InPlaceEdit], statics: &StaticChanges) -> Outcome {
        let Some(planned) = self.plan_in_place(edits) else {
            // An edited report has errors of its own: a whole resolve reports them.
            let edited: Vec<String> = edits.iter().map(|e| e.rel.clone()).collect();
            return self.resolve_and_render(false, statics, &edited);
        };
        let good = self.good.as_mut().expect("checked by the caller");
        let extras_stale_before = good.extras_stale;
        let mut warnings = good.warnings.clone();
        let mut undo = Vec::new();
        for edit in &planned {
            let old_report = std::mem::replace(&mut good.site.reports[edit.id.index()], edit.report.clone());
            let old_body = good.bodies.reports[edit.id.index()].clone();
            if old_report.body != edit.report.body || old_report.body_line != edit.report.body_line {
                let (body, diags) = render::render_report_body(&good.site, &good.link_targets, edit.id);
                warnings.extend(diags);
                good.bodies.reports[edit.id.index()] = body;
            }
            undo.push((edit.id, old_report, old_body));
        }
        if warnings.has_errors() {
            good.undo(undo);
            return self.fail(warnings);
        }
        let front_matter: Vec<(ReportId, &deps::Before)> =
            planned.iter().filter_map(|e| e.before.as_ref().map(|b| (e.id, b))).collect();
        let mut routes: HashSet<Route> =
            deps::routes_after_edits_in_place(SiteState { site: &good.site, bodies: &good.bodies }, &front_matter)
                .into_iter()
                .collect();
        // Feeds and data exports show front matter.
        good.extras_stale |= !front_matter.is_empty();
        for (edit, (_, old_report, old_body)) in planned.iter().zip(&undo).filter(|(e, _)| e.before.is_none()) {
            routes.insert(Route::Report(edit.id));
            let body = &good.bodies.reports[edit.id.index()];
            if old_report.summary.is_none() && old_body.first_paragraph != body.first_paragraph {
                routes.extend(deps::routes_listing(&good.site, edit.id));
                // Feeds and data exports carry summaries.
                good.extras_stale = true;
            }
        }
        let (now, later) = own_pages_first(routes, |id| planned.iter().any(|e| e.id == id));
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let rendered = render::render_routes(&good.site, theme, &good.bodies, &now, &crate::NoProgress);
        let files_before = good.files.clone();
        let mut files = (*good.files).clone();
        let mut changed = match merge_pages(&mut files, rendered) {
            Ok(changed) => changed,
            Err(diags) => {
                good.undo(undo);
                good.extras_stale = extras_stale_before;
                return self.fail(merged(warnings, diags));
            }
        };
        changed.extend(refresh_statics(&mut files, theme, statics, &good.site));
        let files = Arc::new(files);
        good.files = files.clone();
        let following: Vec<String> = later.iter().map(|r| route::output_file(&r.path(&good.site))).collect();
        let warnings = warnings_only(warnings);
        if !later.is_empty() {
            let undo = Undo::InPlace { reports: undo, files: files_before, extras_stale: extras_stale_before };
            self.following = Some(Following { routes: later, undo, warnings: warnings.clone() });
        }
        Outcome::Built(Rebuilt {
            files,
            changed,
            rendered: now.len(),
            reports: good.site.reports.len(),
            warnings,
            resolved: false,
            following,
        })
    }

    /// Each edited report as it is now, with what pages showed of it before a front-matter
    /// edit; `None` when one of them has errors of its own.
    fn plan_in_place(&self, edits: &[InPlaceEdit]) -> Option<Vec<PlannedEdit>> {
        let good = self.good.as_ref().expect("checked by the caller");
        let state = || SiteState { site: &good.site, bodies: &good.bodies };
        let mut planned = Vec::new();
        for edit in edits {
            let Some(id) = good.site.report_by_source(&edit.rel) else { continue }; // a draft left out
            let Some(Cached { parsed: Some(ContentFile::Report(parsed)), .. }) =
                self.files.get(&self.project.root.join(&edit.rel))
            else {
                continue;
            };
            let (report, before) = if edit.front_matter {
                let report = resolve::re_resolve_report(&good.site, id, parsed)?;
                (report, Some(deps::before_edit(state(), id)))
            } else {
                (Report { body: parsed.body.clone(), ..good.site.report(id).clone() }, None)
            };
            planned.push(PlannedEdit { id, report, before });
        }
        Some(planned)
    }

    /// Resolves the whole site from the cached sources and renders what changed: every
    /// page when `everything`, otherwise the pages the change touches, the reports of the
    /// `edited` files (site paths of content) first and the rest after the reload.
    fn resolve_and_render(&mut self, everything: bool, statics: &StaticChanges, edited: &[String]) -> Outcome {
        let mut diags = self.source_diagnostics();
        let mut sources = Sources::default();
        for cached in self.files.values() {
            sources.add(cached.rel.clone(), cached.parsed.clone());
        }
        sources.people = self.people.clone();
        sources.cities = self.cities.clone();
        let site = resolve::resolve(sources, &self.project.config, self.project.options.drafts, &mut diags);
        // Bodies whose Markdown and links are unchanged come from the last good state.
        let previous = self.good.as_ref().map(|g| (&g.site, &g.bodies));
        let bodies = render::render_bodies(&site, previous, &mut diags);
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
        let (files, changed, rendered, later) = match routes {
            None => {
                let all = Route::all(&site);
                let pages = render::render_routes(&site, theme, &bodies, &all, &crate::NoProgress);
                let mut files = Files::new();
                if let Err(d) = merge_pages(&mut files, pages) {
                    return self.fail(merged(diags, d));
                }
                // The feeds, sitemap and exports follow (`refresh_derived`); until then the
                // last ones stay served rather than answering 404.
                if let Some(good) = &self.good {
                    files.extend(good.extras.iter().filter_map(|k| good.files.get(k).map(|f| (k.clone(), f.clone()))));
                }
                add_statics(&mut files, theme, &HashSet::new());
                let changed = diff(self.good.as_ref().map(|g| g.files.as_ref()), &files, statics);
                (files, changed, all.len(), Vec::new())
            }
            Some(routes) => {
                let good = self.good.as_ref().expect("routes come from a good state");
                let routes = if deps::counts_changed(&good.site, &site) { Route::all(&site) } else { routes };
                let (now, later) = own_pages_first(routes, |id| edited.contains(&site.reports[id.index()].source));
                let mut files = (*good.files).clone();
                let mut changed = remove_stale_pages(&mut files, &good.site, &site);
                let pages = render::render_routes(&site, theme, &bodies, &now, &crate::NoProgress);
                let more = match merge_pages(&mut files, pages) {
                    Ok(more) => more,
                    Err(d) => return self.fail(merged(diags, d)),
                };
                changed.extend(more);
                changed.extend(refresh_statics(&mut files, theme, statics, &site));
                (files, changed, now.len(), later)
            }
        };
        // Feeds and exports follow in refresh_derived; their warnings are known now.
        diags.extend(render::feeds::warnings(&site));
        let files = Arc::new(files);
        let reports = site.reports.len();
        let link_targets = render::link_targets(&site);
        let warnings = warnings_only(diags);
        let following: Vec<String> = later.iter().map(|r| route::output_file(&r.path(&site))).collect();
        let before = self.good.replace(Good {
            site,
            bodies,
            files: files.clone(),
            link_targets,
            warnings: warnings.clone(),
            extras: previous_extras,
            extras_stale: true,
        });
        self.clean = true;
        if let (false, Some(before)) = (later.is_empty(), before) {
            let undo = Undo::Resolve(Box::new(before));
            self.following = Some(Following { routes: later, undo, warnings: warnings.clone() });
        }
        Outcome::Built(Rebuilt { files, changed, rendered, reports, warnings, resolved: true, following })
    }
}

/// A report edited where it is: its file, and whether its front matter changed.
struct InPlaceEdit {
    rel: String,
    front_matter: bool,
}

/// An [`InPlaceEdit`] worked out: the report as it is now, and for a front-matter edit
/// what pages showed of it and its entities before.
struct PlannedEdit {
    id: ReportId,
    report: Report,
    before: Option<deps::Before>,
}

impl Good {
    /// Puts back reports and bodies changed in place by a rebuild that then failed.
    fn undo(&mut self, undo: Vec<(ReportId, Report, render::markdown::RenderedBody)>) {
        for (id, report, body) in undo.into_iter().rev() {
            self.site.reports[id.index()] = report;
            self.bodies.reports[id.index()] = body;
        }
    }
}

/// `routes` split into the pages of the edited reports (the ones being written and looked
/// at), rendered before the reload message, and the rest, rendered right after it while
/// requests for them wait.
fn own_pages_first(
    routes: impl IntoIterator<Item = Route>,
    edited: impl Fn(ReportId) -> bool,
) -> (Vec<Route>, Vec<Route>) {
    routes.into_iter().partition(|r| matches!(r, Route::Report(id) if edited(*id)))
}

fn merged(mut a: Diagnostics, b: Diagnostics) -> Diagnostics {
    a.extend(b.iter().cloned());
    a
}

fn warnings_only(diags: Diagnostics) -> Diagnostics {
    debug_assert!(!diags.has_errors());
    diags
}

/// Adds the theme's static files to `files`, but where a file the site makes (in `files`,
/// or a page in `pages` still to be rendered) has the same path.
fn add_statics(files: &mut Files, theme: &Theme, pages: &HashSet<String>) {
    let statics: Vec<(String, OutputFile)> =
        crate::output::unshadowed_statics(&theme.static_files, |p| files.contains_key(p) || pages.contains(p))
            .collect();
    files.extend(statics);
}

/// Puts `pages` into `files` (a copy of the served files: it is thrown away on errors);
/// returns the pages whose bytes changed.
fn merge_pages(files: &mut Files, pages: Vec<render::RenderedPage>) -> Result<Vec<String>, Diagnostics> {
    let mut changed = Vec::new();
    let mut errors = Diagnostics::new();
    for (path, result) in pages {
        match result {
            Ok(bytes) => {
                let same = matches!(files.get(&path), Some(OutputFile::Bytes(before)) if **before == *bytes);
                if !same {
                    changed.push(path.clone());
                    files.insert(path, OutputFile::bytes(bytes));
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
        let same = matches!(files.get(&path), Some(OutputFile::Bytes(before)) if **before == *bytes);
        if !same {
            files.insert(path.clone(), OutputFile::bytes(bytes));
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
/// full build. Returns the static paths that changed (`changed` is what the watcher saw).
fn refresh_statics(files: &mut Files, theme: &Theme, changed: &StaticChanges, site: &Site) -> Vec<String> {
    if changed.is_empty() {
        return Vec::new();
    }
    let before: Files =
        files.iter().filter(|(_, v)| matches!(v, OutputFile::Static(_))).map(|(k, v)| (k.clone(), v.clone())).collect();
    files.retain(|_, v| !matches!(v, OutputFile::Static(_)));
    add_statics(files, theme, &page_files(site));
    let now = files.iter().filter(|(_, v)| matches!(v, OutputFile::Static(_)));
    let mut touched: BTreeSet<String> = before.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
    touched.extend(now.filter(|(k, v)| before.get(*k) != Some(*v) || changed.contains(k)).map(|(k, _)| k.clone()));
    touched.into_iter().collect()
}

/// Output paths that differ between two complete file sets (statics named by the watcher
/// count as changed, since their bytes live on disk).
fn diff(old: Option<&Files>, new: &Files, statics: &StaticChanges) -> Vec<String> {
    let Some(old) = old else { return new.keys().cloned().collect() };
    let mut changed: Vec<String> =
        new.iter().filter(|(k, v)| old.get(*k) != Some(*v) || statics.contains(k)).map(|(k, _)| k.clone()).collect();
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

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
                OutputFile::Bytes(bytes) => Some((k.clone(), bytes.to_vec())),
                OutputFile::Static(_) => None,
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
                    OutputFile::Bytes(bytes) => Some((k, bytes.to_vec())),
                    OutputFile::Static(_) => None,
                })
                .collect(),
        )
    }

    /// Asserts that the pages of `served` are those of a full build, `expected`.
    fn assert_same_pages(at: &str, served: &Files, expected: &BTreeMap<String, Vec<u8>>) {
        let got = pages(served);
        let differing: BTreeSet<&String> =
            expected.keys().chain(got.keys()).filter(|k| expected.get(*k) != got.get(*k)).collect();
        assert!(differing.is_empty(), "{at}: pages differ: {differing:?}");
    }

    /// Random edits, one file at a time, each followed by a comparison of what is served
    /// with a full build of the same files (or, when the edit breaks the site, with the
    /// last good build), whatever the outcome.
    #[test]
    fn random_edits_always_equal_a_full_build() {
        let (mut in_place, mut unchanged) = (0, 0);
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
            let mut last_good = full_build(root).expect("the first build succeeds");
            for step in 0..40 {
                let i = rng.next(12);
                let mut changes = ChangeSet::default();
                match rng.next(7) {
                    0 if path(i).exists() => std::fs::remove_file(path(i)).unwrap(),
                    1 if path(i).exists() => {
                        let text = std::fs::read_to_string(path(i)).unwrap();
                        let body = format!("Edited {step} with Zhang Ming.\n\nMore.\n");
                        let (front, _) = text.rsplit_once("---\n").unwrap();
                        std::fs::write(path(i), format!("{front}---\n{body}")).unwrap();
                    }
                    2 if path(i).exists() => {
                        let text = std::fs::read_to_string(path(i)).unwrap();
                        let edited = match rng.next(5) {
                            0 => text.replace("title: Meeting", &format!("title: Retitled {step}")),
                            1 => text.replace("role: Role ", &format!("role: Role {step}")),
                            2 => text.replace(" million", &format!("{step} million")),
                            // In place when it has a summary; else a new line moves the names.
                            3 if text.contains("summary: A written") => {
                                text.replace("summary: A written", &format!("summary: Rewritten {step}"))
                            }
                            3 => text.replace("\nofficials:", "\nsummary: Summed up.\nofficials:"),
                            // Not one of the report's cities: an error of its own.
                            _ => text.replace("    city: ", "    city: X"),
                        };
                        std::fs::write(path(i), edited).unwrap();
                    }
                    3 => {
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
                let expected = full_build(root);
                let at = format!("seed {seed} step {step}");
                let outcome = rebuilder.rebuild(&changes);
                in_place += matches!(&outcome, Outcome::Built(b) if !b.resolved) as usize;
                let served = rebuilder.files().expect("a good state is served");
                match (outcome, &expected) {
                    (Outcome::Built(built), Some(expected)) => {
                        assert!(Arc::ptr_eq(&built.files, &served), "{at}: the outcome's files are not served");
                        assert_same_pages(&at, &served, expected);
                        // Saved again with the same text, as editors do: nothing to rebuild.
                        let again = ChangeSet { content: changes.content.clone(), ..ChangeSet::default() };
                        assert!(matches!(rebuilder.rebuild(&again), Outcome::Unchanged), "{at}: saved again, rebuilt");
                        assert_same_pages(&at, &rebuilder.files().unwrap(), expected);
                    }
                    // An edit that changed no text (a replace that found nothing).
                    (Outcome::Unchanged, Some(expected)) => {
                        unchanged += 1;
                        assert_same_pages(&at, &served, expected);
                    }
                    // A failed rebuild keeps serving the last good site.
                    (Outcome::Failed(_), None) => assert_same_pages(&at, &served, &last_good),
                    (Outcome::Failed(d), Some(_)) => panic!("{at}: serve failed, build did not: {:?}", d.sorted()),
                    (_, None) => panic!("{at}: build failed, serve did not"),
                }
                last_good = expected.unwrap_or(last_good);
            }
        }
        assert!(in_place > 20, "only {in_place} edits were rebuilt in place");
        assert!(unchanged > 0, "no edit left the site unchanged");
    }

    /// A site of three reports in a temp dir, built by a [`Rebuilder`].
    fn small_site() -> (tempfile::TempDir, Rebuilder) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: Test\nbase_url: https://example.org/\n").unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        let mut rng = Lcg(7);
        for i in 0..3 {
            std::fs::write(root.join(format!("content/reports/r{i}.md")), random_report(&mut rng, i)).unwrap();
        }
        let mut rebuilder = Rebuilder::new(root, BuildOptions::default()).unwrap();
        assert!(matches!(rebuilder.build(), Outcome::Built(_)));
        (dir, rebuilder)
    }

    /// Edits report r1 with `edit` and rebuilds; the pages must equal a full build.
    fn edit_r1(edit: impl Fn(&str) -> String) -> Rebuilt {
        let (dir, mut rebuilder) = small_site();
        let path = dir.path().join("content/reports/r1.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = edit(&text);
        assert_ne!(edited, text, "the edit changed nothing");
        std::fs::write(&path, edited).unwrap();
        let mut changes = ChangeSet::default();
        changes.content.insert(path);
        let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
        assert_eq!(pages(&built.files), full_build(dir.path()).expect("the full build failed"));
        built
    }

    #[test]
    fn front_matter_edits_within_a_report_do_not_resolve_the_site_again() {
        let retitled = edit_r1(|t| t.replacen("title: Meeting", "title: Talks", 1));
        assert!(!retitled.resolved, "a new title resolved the whole site");
        let new_role = edit_r1(|t| t.replacen("role: Role ", "role: Chair ", 1));
        assert!(!new_role.resolved, "a new role resolved the whole site");
        let new_city =
            edit_r1(|t| t.replacen("  - name: ", "  - name: Samarkand\n    country: Uzbekistan\n  - name: ", 1));
        assert!(new_city.resolved, "a city added to a report was not resolved across the site");
        let new_date = edit_r1(|t| t.replacen("date: 2021-0", "date: 2020-0", 1));
        assert!(new_date.resolved, "a new date, which moves the report in every list, was not resolved");
    }

    #[test]
    fn a_page_failing_after_the_reload_takes_the_whole_edit_back() {
        let (dir, mut rebuilder) = small_site();
        let root = dir.path();
        let path = root.join("content/reports/r1.md");
        let original = std::fs::read_to_string(&path).unwrap();
        // A person page that fails for a report titled "Boom": a page that follows the
        // reload message, since only the report's own page comes before it.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let person = "{% for y in person.years %}{% for r in y.reports %}{% if r.title == \"Boom\" %}\
                      {{ r.no_such_value.inside }}{% endif %}{% endfor %}{% endfor %}<p>person</p>";
        std::fs::write(root.join("templates/person.html"), person).unwrap();
        let mut changes = ChangeSet { templates: true, ..ChangeSet::default() };
        assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
        let before = pages(&rebuilder.files().unwrap());

        let (front, body) = original.split_once("\n---\n").unwrap();
        let retitled =
            front.lines().map(|l| if l.starts_with("title:") { "title: Boom" } else { l }).collect::<Vec<_>>();
        std::fs::write(&path, format!("{}\n---\n{body}", retitled.join("\n"))).unwrap();
        changes = ChangeSet::default();
        changes.content.insert(path.clone());
        assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the failing person page went unnoticed");
        assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");

        std::fs::write(&path, &original).unwrap();
        let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed edit failed") };
        assert_eq!(pages(&built.files), full_build(root).expect("the full build failed"));
    }

    /// Adds the official `name` to report r1 of `rebuilder`'s site in `root`.
    fn add_official(root: &Path, name: &str) -> ChangeSet {
        let path = root.join("content/reports/r1.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("officials:\n", &format!("officials:\n  - name: {name}\n    role: Envoy\n"), 1),
        )
        .unwrap();
        let mut changes = ChangeSet::default();
        changes.content.insert(path);
        changes
    }

    #[test]
    fn a_new_official_renders_the_report_before_the_reload_and_every_other_page_after_it() {
        let (dir, mut rebuilder) = small_site();
        let root = dir.path();
        let changes = add_official(root, "Aziz Newcomer");
        let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
        assert!(built.resolved, "a new person was not resolved across the site");
        assert_eq!(built.rendered, 1, "more than the report's own page came before the reload");
        let report = String::from_utf8(pages(&built.files)["reports/r1/index.html"].clone()).unwrap();
        assert!(report.contains("Aziz Newcomer"), "the report's page does not show the new official");
        // The site now counts one person more, which any page may show.
        for page in ["people/aziz-newcomer/index.html", "index.html", "people/index.html"] {
            assert!(built.following.iter().any(|f| f == page), "{page} does not follow the reload");
        }
        let Some(Outcome::Built(rest)) = rebuilder.render_following() else { panic!("the following pages failed") };
        assert!(rebuilder.render_following().is_none(), "pages were left to follow twice");
        // The feeds and exports come last, as serve brings them up to date.
        let files = rebuilder.refresh_derived().map_or(rest.files, |(files, _)| files);
        let (served, built) = (pages(&files), full_build(root).expect("the full build failed"));
        let differing: Vec<&String> = built.keys().filter(|k| served.get(*k) != built.get(*k)).collect();
        assert!(differing.is_empty() && served.len() == built.len(), "pages differ from a full build: {differing:?}");
    }

    #[test]
    fn a_page_failing_after_the_reload_of_a_resolved_edit_takes_it_back() {
        let (dir, mut rebuilder) = small_site();
        let root = dir.path();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let person = "{% if person.name == \"Boom Person\" %}{{ person.no_such_value.inside }}{% endif %}<p>person</p>";
        std::fs::write(root.join("templates/person.html"), person).unwrap();
        let changes = ChangeSet { templates: true, ..ChangeSet::default() };
        assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
        let before = pages(&rebuilder.files().unwrap());
        let original = std::fs::read_to_string(root.join("content/reports/r1.md")).unwrap();

        let changes = add_official(root, "Boom Person");
        assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the failing person page went unnoticed");
        assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");

        std::fs::write(root.join("content/reports/r1.md"), original).unwrap();
        let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed edit failed") };
        assert_eq!(pages(&built.files), full_build(root).expect("the full build failed"));
    }

    #[test]
    fn feeds_stay_served_while_every_page_is_rendered_again() {
        let (dir, mut rebuilder) = small_site();
        let root = dir.path();
        assert!(rebuilder.files().unwrap().contains_key("feed.xml"), "the small site has no feed");
        // A template no page uses: every page is rendered again, and none changes.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/unused.html"), "<p>unused</p>").unwrap();
        let changes = ChangeSet { templates: true, ..ChangeSet::default() };
        let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
        assert!(built.files.contains_key("feed.xml"), "the feed is gone until the exports follow");
        assert_eq!(built.changed, Vec::<String>::new(), "files changed though no page did");
    }
}
