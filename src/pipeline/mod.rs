//! The one pipeline of `build` and `serve`: load → resolve → media → theme → markdown → render,
//! each stage pushing problems into one [`Diagnostics`].
//!
//! A [`Pipeline`] runs the stages and remembers what they made: `build` runs it once
//! ([`Pipeline::build_into`], which keeps nothing), `serve` keeps one between saves and
//! each stage takes from that memory what is still valid:
//!
//! - load: the [`SourceCache`] reads again only the files a [`ChangeSet`] names;
//! - resolve: edits that leave a report's place in every list and the entities it names
//!   as they were (a title, a role, a figure: `model::resolve::edit_stays_in_report`)
//!   re-resolve that report alone, in place; a translation edited in its body alone goes
//!   into its language's edition in place (`translation_edits`); anything else
//!   resolves the site again;
//! - theme: loaded again only when templates or static files changed;
//! - markdown: `render::render_bodies` reuses every body whose Markdown and links did not
//!   change (an edited body alone is rendered again in place);
//! - render: only the pages [`deps`] finds affected, into an [`Overlay`] of the files
//!   served; the edited reports' own pages before the reload message, the others after it
//!   ([`Rebuilt::following`]); the feeds, sitemap and exports after those
//!   ([`Pipeline::refresh_derived`]), the search index on `serve`'s own thread.
//!
//! A failed run changes nothing that is served: the last good state stays until a run
//! succeeds, and the result always equals what `build` would write.

mod asked;
mod carried;
pub mod changes;
pub mod deps;
mod files;
mod later_editions;
mod photos;
mod translation_edits;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, Message, msg};
use crate::load::cache::{ContentUpdate, SourceCache};
use crate::model::resolve;
use crate::model::{Report, ReportId, Site};
use crate::output::{Files, Sink};
use crate::progress::Progress;
use crate::project::{BuildOptions, Project, sources};
use crate::render::theme::Theme;
use crate::render::view::Bodies;
use crate::render::{self, Plan, Route, route};
pub use changes::{ChangeSet, StaticChanges};
use deps::SiteState;

/// A build whose files went to a [`Sink`]: the site model and how long each stage took.
pub struct Rendered {
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
    /// How many photos the site has, and how many of them were processed (not in the
    /// image cache).
    pub photos: (usize, usize),
}

/// The result of one run of a pipeline with a memory.
pub enum Outcome {
    /// The changes named no source whose content differs (a file saved unchanged).
    Unchanged,
    /// The new site is ready to serve.
    Built(Rebuilt),
    /// Errors (and any warnings) of the sources as they are now; nothing was swapped in.
    Failed(Diagnostics),
}

impl Outcome {
    /// This outcome of [`Pipeline::rebuild_pages`] with that of the
    /// [`Pipeline::render_following`] after it, as one.
    pub fn followed_by(self, rest: Outcome) -> Outcome {
        match (self, rest) {
            (Outcome::Built(mut built), Outcome::Built(rest)) => {
                built.files = rest.files;
                built.changed.extend(rest.changed);
                built.rendered += rest.rendered;
                // What is left after the last step: nothing, unless it stopped for a save.
                built.following = rest.following;
                // The same warnings, or more: those of the editions made after the reload.
                built.warnings = rest.warnings;
                Outcome::Built(built)
            }
            (Outcome::Built(_), failed) => failed,
            (outcome, _) => outcome,
        }
    }
}

/// A successful run of a pipeline with a memory.
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
    /// Pages this rebuild left for [`Pipeline::render_following`]: `files` holds their
    /// previous bytes until then, which must not be served meanwhile.
    pub following: Pending,
    /// The wall time of each stage of a rebuild that resolved the site, as `serve` reports
    /// it with `COMMUNIQUE_TIMINGS` (empty for the other paths).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Rebuilt {
    /// A rebuild that resolved nothing (an edit in place, or what follows the reload
    /// message): `rendered` pages of a site of `reports` reports, with no stage timings.
    fn unresolved(
        (files, changed): (Arc<Files>, Vec<String>),
        (rendered, reports): (usize, usize),
        warnings: Diagnostics,
        following: Pending,
    ) -> Rebuilt {
        Rebuilt { files, changed, rendered, reports, warnings, resolved: false, following, timings: Vec::new() }
    }
}

/// The files a rebuild left for after the reload message, as output paths (sets: serve
/// asks it of every request while they are made): pages for
/// [`Pipeline::render_following`], photos' variants for [`Pipeline::make_photos`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pending {
    pages: PendingPages,
    photos: HashSet<String>,
}

/// The pages left for [`Pipeline::render_following`].
#[derive(Debug, Clone, PartialEq)]
enum PendingPages {
    /// These output paths: a persistent set, since each batch of them hands `serve` a
    /// copy of those left (tens of thousands when reports come or go).
    These(imbl::HashSet<String>),
    /// Every page (`.html` file) but these, the edited reports' own: which pages the
    /// change touches is worked out after the reload message.
    AllBut(HashSet<String>),
}

impl Default for PendingPages {
    fn default() -> Self {
        PendingPages::These(imbl::HashSet::new())
    }
}

impl Pending {
    /// These pages (output paths).
    pub fn pages(paths: impl IntoIterator<Item = String>) -> Pending {
        Pending { pages: PendingPages::These(paths.into_iter().collect()), photos: HashSet::new() }
    }

    /// Every page but these (output paths).
    pub fn all_pages_but(own: HashSet<String>) -> Pending {
        Pending { pages: PendingPages::AllBut(own), photos: HashSet::new() }
    }

    /// These and the variants of photos at `photos` (output paths).
    pub fn with_photos(self, photos: impl IntoIterator<Item = String>) -> Pending {
        Pending { photos: photos.into_iter().collect(), ..self }
    }

    /// The same, less the pages just made at output paths `made`; `None` when these
    /// are every page but some (the pages left are not known yet).
    fn less_pages(mut self, made: impl Iterator<Item = String>) -> Option<Pending> {
        let PendingPages::These(paths) = &mut self.pages else { return None };
        made.for_each(|path| {
            paths.remove(&path);
        });
        Some(self)
    }

    /// Whether nothing is left to make.
    pub fn is_empty(&self) -> bool {
        matches!(&self.pages, PendingPages::These(paths) if paths.is_empty()) && self.photos.is_empty()
    }

    /// Whether the file at output path `path` may be left to make.
    pub fn holds(&self, path: &str) -> bool {
        self.photos.contains(path)
            || match &self.pages {
                PendingPages::These(paths) => paths.contains(path),
                PendingPages::AllBut(own) => path.ends_with(".html") && !own.contains(path),
            }
    }
}

/// The last site that built without errors, and what is served for it.
struct Good {
    site: Site,
    bodies: Bodies,
    /// The site's editions in its other languages (`render::language_sites`), with
    /// their bodies.
    editions: Vec<(Site, Bodies)>,
    files: Arc<Files>,
    /// The warnings of the build that made `site`; a body-only edit cannot change them.
    warnings: Diagnostics,
    /// Output paths of the feeds, sitemap and robots.txt (see `render::feeds`).
    extras: BTreeSet<String>,
    /// What of the feeds, sitemap and data exports in `files` is of an earlier site;
    /// [`Pipeline::refresh_derived`] brings it up to date.
    stale: Stale,
    /// What the comparison with the state before hashed of each site (as [`Good::sites`]
    /// come), once made ([`touched_pages`]): the next comparison, whose state before this
    /// is, need not hash it again. Forgotten whenever a site or its bodies change in place.
    prints: Vec<Option<deps::Prints>>,
}

/// What of the feeds, sitemap and data exports a rebuild left behind.
#[derive(Debug, Clone, Default)]
struct Stale {
    /// Everything: made again whole.
    all: bool,
    /// The feeds showing these reports, edited in place (their bodies, or front matter
    /// that leaves them in the same feeds).
    bodies: BTreeSet<ReportId>,
    /// The data exports, which carry summaries and front matter.
    summaries: bool,
    /// The sitemap, whose `lastmod` is the last day of the reports a page shows.
    sitemap: bool,
}

impl Stale {
    fn everything() -> Stale {
        Stale { all: true, ..Stale::default() }
    }

    fn is_fresh(&self) -> bool {
        !self.all && self.bodies.is_empty() && !self.summaries && !self.sitemap
    }
}

/// Pages of one site (the default language's or an edition) to render, with its bodies.
type SitePages<'s> = (&'s Site, &'s Bodies, Vec<Route>);

/// The stages and their memory (see the module header).
pub struct Pipeline {
    project: Project,
    /// Whether what a run makes is kept for the next (`serve`) or given up (`build`).
    remembers: bool,
    /// The load stage's memory: every content file and registry as last read.
    sources: SourceCache,
    config_diags: Vec<Diagnostic>,
    theme: Option<Theme>,
    theme_diags: Vec<Diagnostic>,
    good: Option<Good>,
    /// Whether `good` was built from exactly the cached sources (no failed edit since).
    clean: bool,
    /// Pages the last rebuild left to render after the reload message.
    following: Option<Following>,
    /// The processed photos of earlier builds (`.communique-cache/`).
    media_cache: crate::media::Cache,
    /// The resolve stage's memory: each report's slug and names, the lint's spellings.
    resolved: crate::model::memory::Memory,
    /// The feeds served and what each is made of: after a save that resolves the site,
    /// those made of the same are not made again.
    feeds: files::FeedMemory,
    /// Pages served as an earlier state made them, which a following that failed left
    /// behind: the next rebuild that succeeds renders them ([`carried`]).
    owed: HashSet<String>,
}

/// Pages a rebuild renders after the reload message: all the edit touches but the edited
/// reports' own pages (lists, entity pages, the figures page), with what is needed to take
/// the edit back if one of them fails to render.
struct Following {
    later: Later,
    undo: Undo,
    warnings: Diagnostics,
    /// Photos whose variants are made after the reload ([`Pipeline::make_photos`]).
    photos: Vec<render::images::DeferredPhoto>,
    /// What a request waits for meanwhile, as serve was told.
    pending: Pending,
    /// The editions to make first, when the edit's own pages went before the reload in
    /// the default language alone ([`later_editions`]).
    editions: Option<later_editions::LaterEditions>,
    /// How many pages the next batch renders ([`next_batch_size`]).
    batch_size: usize,
    /// Pages of an earlier state than the edit's, rendered with its own ([`carried`]).
    owed: carried::Owed,
    /// The report items the batches made so far, for the next (by site, as `Good::sites`).
    items: Vec<render::view::ItemEntries>,
}

impl Following {
    /// The pages `later` than the reload message of an edit taken back by `undo`, with its
    /// `warnings`, its deferred `photos`, what a request waits for meanwhile (`pending`)
    /// and the `editions` to make first; no batch rendered yet, nothing owed.
    fn new(
        (later, undo, warnings): (Later, Undo, Diagnostics),
        (photos, pending): (Vec<render::images::DeferredPhoto>, Pending),
        editions: Option<later_editions::LaterEditions>,
    ) -> Following {
        let (owed, items, batch_size) = (carried::Owed::default(), Vec::new(), FIRST_BATCH);
        Following { later, undo, warnings, photos, pending, editions, batch_size, owed, items }
    }
}

/// Which pages of each site (the default language's first, then each edition's) follow.
enum Later {
    /// These.
    Routes(Vec<Vec<Route>>),
    /// Those the change touches, worked out against the state before it (which
    /// [`Undo::Resolve`] holds), less these own pages rendered (or removed) before the
    /// reload.
    TouchedBut(OwnPages),
}

/// The pages that go before the reload message alone when an edit resolves the site
/// (see [`Pipeline::own_pages_alone`]).
#[derive(Clone)]
struct OwnPages {
    /// In each site (the default language's first), the pages to render.
    routes: Vec<Vec<Route>>,
    /// The output paths of the edited reports' pages that are gone (a deleted report's),
    /// removed before the reload so that a tab showing one gets its 404 at once.
    gone: Vec<String>,
}

/// How to take back an edit whose following pages failed.
enum Undo {
    /// Put back the reports and bodies an in-place rebuild changed, and the files.
    InPlace { reports: Vec<(ReportId, Report, render::markdown::RenderedBody)>, files: Arc<Files>, stale: Stale },
    /// Go back to the whole state before a resolve.
    Resolve(Box<Good>),
}

/// What the content paths of a change set were found to be.
#[derive(Default)]
struct ContentChanges {
    /// Reports edited where they are (body only, or front matter within the report).
    in_place: Vec<InPlaceEdit>,
    /// Translations of reports edited in their body alone (site paths).
    translation_bodies: Vec<String>,
    /// Files appeared, disappeared, or changed beyond their own report.
    structure: bool,
    /// Site paths of the content files named.
    edited: Vec<String>,
}

/// A report edited where it is: its file, and whether its front matter changed.
struct InPlaceEdit {
    rel: String,
    front_matter: bool,
    /// A front-matter edit of the words translations give in their own alone (the title,
    /// the summary): no page in another language shows it.
    translated_words_only: bool,
}

/// The registries, by file name in `data/`: an edit of either is named in
/// [`ContentChanges::edited`] by both their site paths.
const REGISTRIES: [&str; 2] = [sources::PEOPLE, sources::CITIES];

/// An [`InPlaceEdit`] worked out: the report as it is now, and for a front-matter edit
/// what pages showed of it and its entities before.
struct PlannedEdit {
    id: ReportId,
    report: Report,
    before: Option<deps::Before>,
}

/// The search records of each language's site and the settings of its index.
pub type SearchRecords = Vec<(Vec<render::search::Record>, render::search::IndexSettings)>;

/// The wall time of each stage, as `build` and `serve` report it (`COMMUNIQUE_TIMINGS`).
struct Laps {
    timings: Vec<(&'static str, Duration)>,
    clock: Instant,
}

impl Laps {
    fn start() -> Laps {
        Laps { timings: Vec::new(), clock: Instant::now() }
    }

    fn lap(&mut self, stage: &'static str) {
        self.timings.push((stage, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

impl Pipeline {
    /// A pipeline for one `build` of `project`: it reads nothing until it runs and keeps
    /// nothing after.
    pub fn new(project: Project) -> Pipeline {
        Pipeline {
            remembers: false,
            sources: SourceCache::default(),
            config_diags: Vec::new(),
            theme: None,
            theme_diags: Vec::new(),
            good: None,
            clean: false,
            following: None,
            owed: HashSet::new(),
            media_cache: render::images::cache_of(&project.root),
            resolved: Default::default(),
            feeds: Default::default(),
            project,
        }
    }

    /// A pipeline with a memory for the site at `root` (`serve`): reads every source now;
    /// nothing is built until [`Pipeline::build`].
    pub fn open(root: &Path, options: BuildOptions) -> anyhow::Result<Pipeline> {
        let mut config_diags = Diagnostics::new();
        let project = Project::load(root, options, &mut config_diags)?;
        let mut pipeline = Pipeline::new(project);
        pipeline.remembers = true;
        pipeline.config_diags = config_diags.iter().cloned().collect();
        pipeline.read_everything();
        Ok(pipeline)
    }

    /// Runs every stage once, handing every output file to `sink` as soon as it is made
    /// (`write::Staging` writes it to disk), so no more than the pages being rendered are
    /// in memory at once. `None` when any stage found errors (they are in `diags`); `sink`
    /// then holds an incomplete site.
    pub fn build_into(mut self, progress: &dyn Progress, diags: &mut Diagnostics, sink: &dyn Sink) -> Option<Rendered> {
        let mut laps = Laps::start();
        self.sources = SourceCache::read(&self.project);
        diags.extend(self.sources.diagnostics().cloned());
        laps.lap("load");
        let others = self.sources.other_files().clone();
        let mut site = self.resolve(diags);
        laps.lap("resolve");
        let others = (&others, render::images::Variants::Now);
        let published = render::images::publish(&self.project, &site, others, &self.media_cache, sink);
        diags.extend(published.diagnostics);
        site.media = Arc::new(published.index);
        let photos = (published.photos, published.processed);
        laps.lap("media");
        self.load_theme();
        diags.extend(self.theme_diags.iter().cloned());
        let editions = render::language_sites(&mut site, self.theme.as_ref(), &[]);
        laps.lap("theme");
        let bodies = self.markdown(&site, diags);
        let editions = self.edition_bodies(editions, diags);
        laps.lap("markdown");
        if diags.has_errors() {
            return None;
        }
        let theme = self.theme.as_ref()?;
        let mut rendered = true;
        for (site, bodies) in std::iter::once((&site, &bodies)).chain(editions.iter().map(|(s, b)| (s, b))) {
            let routes = Route::all(site);
            let plan = Plan { routes: &routes, whole_site: true, items: None };
            rendered &= render::render_into(site, theme, bodies, plan, progress, diags, sink);
        }
        laps.lap("render");
        rendered.then_some(Rendered { site, timings: laps.timings, photos })
    }

    /// The resolve stage: the site from the sources in memory, which a pipeline without a
    /// memory gives up to it.
    fn resolve(&mut self, diags: &mut Diagnostics) -> Site {
        let options = resolve::Options { config: &self.project.config, include_drafts: self.project.options.drafts };
        if !self.remembers {
            return resolve::resolve(
                std::mem::take(&mut self.sources).into_sources(),
                options.config,
                options.include_drafts,
                diags,
            );
        }
        let before = self.good.as_ref().map(|g| &g.site);
        resolve::resolve_remembering(self.sources.sources(), options, &mut self.resolved, before, diags)
    }

    /// The editions of the last good site, when the theme wrote their figures (see
    /// `render::language_sites`).
    fn earlier_editions(&self) -> Vec<&Site> {
        let current = self.resolved.figures_current();
        self.good.iter().filter(|_| current).flat_map(|g| g.editions.iter().map(|(site, _)| site)).collect()
    }

    /// The markdown stage, reusing the bodies of the last good site that are still valid.
    fn markdown(&self, site: &Site, diags: &mut Diagnostics) -> Bodies {
        render::render_bodies(site, self.good.as_ref().map(|g| (&g.site, &g.bodies)), diags)
    }

    fn load_theme(&mut self) {
        // The figures of the last site were written by the theme before.
        self.resolved.set_figures_current(false);
        let mut diags = Diagnostics::new();
        self.theme = Theme::load(&self.project, &mut diags);
        // Each resolve writes every figure again: serve remembers their texts.
        if let Some(theme) = self.theme.as_mut().filter(|_| self.remembers) {
            theme.figure_texts = render::figure_texts::FigureTexts::remembering();
        }
        self.theme_diags = diags.iter().cloned().collect();
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The search records of the last good site and the settings of its index, one per
    /// language (none when the site has no search); `None` when there is no good build
    /// yet or `stop` said to stop (`serve`: the author saved again).
    pub fn search_records(&self, stop: render::Stop) -> Option<SearchRecords> {
        let good = self.good.as_ref()?;
        if !render::search::enabled(&good.site) {
            return Some(Vec::new());
        }
        let mut records = Vec::new();
        for (site, bodies) in good.sites() {
            let Some(of_site) = render::search::records(site, bodies, stop) else {
                render::drop_aside(records);
                return None;
            };
            records.push((of_site, render::search::IndexSettings::of(site)));
        }
        Some(records)
    }

    /// Builds the whole site from the cached sources.
    pub fn build(&mut self) -> Outcome {
        let outcome = self.build_pages();
        self.with_derived(outcome)
    }

    /// Applies one batch of changes: pages, feeds, sitemap and data exports.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> Outcome {
        let outcome = self.rebuild_pages(changes);
        let outcome = match self.render_all_following(|_| {}, HashSet::new) {
            Some(rest) => outcome.followed_by(rest),
            None => outcome,
        };
        self.with_derived(outcome)
    }

    /// Makes the variants of the photos the last rebuild left for after the reload
    /// message (see [`Rebuilt::following`]), handing `shown` the files to serve and what
    /// is still pending as they are made (`photos::Releases`), so that a request for
    /// one waits no longer than it must. A photo that fails takes the whole edit back: the outcome is then
    /// `Failed`, and [`Self::files`] are those before the edit again. `None` when no
    /// photo was left.
    pub fn make_photos(&mut self, shown: impl FnMut(Arc<Files>, &Pending)) -> Option<Outcome> {
        let following = self.following.as_mut().filter(|f| !f.photos.is_empty())?;
        let good = self.good.as_mut().expect("following photos belong to a good state");
        let photos = std::mem::take(&mut following.photos);
        let mut releases = photos::Releases::new(&mut good.files, &mut following.pending, shown);
        let failed = render::images::make_deferred(photos, &self.media_cache, |path, file| releases.made(path, file));
        releases.serve();
        let changed = releases.changed;
        if !failed.is_empty() {
            let following = self.following.take().expect("taken only here and in render_following");
            let mut diags = following.warnings.clone();
            diags.extend(failed);
            self.give_up(following);
            return Some(self.fail(diags));
        }
        let (counts, warnings) = ((0, good.site.reports.len()), following.warnings.clone());
        let rebuilt = Rebuilt::unresolved((good.files.clone(), changed), counts, warnings, following.pending.clone());
        if let Some(done) = self.following.take_if(|f| f.pending.is_empty()) {
            self.retire(done.undo);
        }
        Some(Outcome::Built(rebuilt))
    }

    /// Renders the pages the last rebuild left for after the reload message (see
    /// [`Rebuilt::following`]), after the photos [`Self::make_photos`] has not made, as
    /// [`Self::render_following_asked`] with no page asked for.
    pub fn render_following(&mut self) -> Option<Outcome> {
        self.render_following_asked(&HashSet::new)
    }

    /// Renders the next batch of the pages the last rebuild left for after the reload
    /// message (see [`Rebuilt::following`]), after the photos [`Self::make_photos`] has
    /// not made: the pages among them that `asked` gives (output paths requests wait for),
    /// alone, even before which pages the edit touches is worked out ([`asked`]), or
    /// else the next [`FIRST_BATCH`]
    /// pages, then as many as render in about [`BATCH_TIME`] ([`next_batch_size`]). The outcome's
    /// [`Rebuilt::following`] holds what is left for the next call. Many pages can follow
    /// an edit (every page of every language when a report comes or goes), and a tab
    /// reloaded asks for its page while they are made: in batches, it is served after its
    /// own batch rather than after all of them. A page that fails takes the whole edit
    /// back: the outcome is then `Failed`, and [`Self::files`] are those before the edit
    /// again.
    pub fn render_following_asked(&mut self, asked: &dyn Fn() -> HashSet<String>) -> Option<Outcome> {
        let photos = self.make_photos(|_, _| {});
        if let Some(Outcome::Failed(_)) = photos {
            return photos;
        }
        let Some(mut following) = self.following.take() else { return photos };
        if following.editions.is_some() {
            return Some(self.render_editions_first(following, photos));
        }
        let good = self.good.as_ref().expect("following pages belong to a good state");
        if let Some(routes) = asked::asked_routes(good, &following, &asked()) {
            return Some(self.render_asked_first(following, routes, photos));
        }
        let good = self.good.as_mut().expect("following pages belong to a good state");
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let mut diags = following.warnings.clone();
        let mut files = (*good.files).clone();
        let later = std::mem::replace(&mut following.later, Later::Routes(Vec::new()));
        let (mut routes, mut changed) = match (later, &following.undo) {
            (Later::Routes(routes), _) => (routes, Vec::new()),
            (Later::TouchedBut(own), Undo::Resolve(before)) => touched_pages(before, good, &own.routes, &mut files),
            (Later::TouchedBut(_), Undo::InPlace { .. }) => unreachable!("own pages go first alone after a resolve"),
        };
        changed.extend(carried::place_owed(good, &mut routes, &mut following, &mut files));
        if let Some(Outcome::Built(photos)) = photos {
            changed.extend(photos.changed);
        }
        let (batch, rest, asked_alone) = next_batch(good, routes, &asked(), following.batch_size);
        let pages = good.sites().zip(&batch).map(|((site, bodies), routes)| (site, bodies, &routes[..]));
        let started = Instant::now();
        following.items.resize_with(good.editions.len() + 1, Default::default);
        let Some((files, rendered)) = files::render_sites(pages, theme, (files, &following.items), &mut diags) else {
            self.give_up(following);
            return Some(self.fail(diags));
        };
        if !asked_alone {
            following.batch_size = next_batch_size(batch.iter().map(Vec::len).sum(), started.elapsed());
        }
        changed.extend(rendered);
        let files = Arc::new(files);
        good.files = files.clone();
        let counts = (batch.iter().map(Vec::len).sum(), good.site.reports.len());
        let warnings = following.warnings.clone();
        if rest.iter().all(Vec::is_empty) {
            self.retire(following.undo);
            return Some(Outcome::Built(Rebuilt::unresolved((files, changed), counts, warnings, Pending::default())));
        }
        following.later = Later::Routes(rest);
        // Worked out once, then less each batch: there may be tens of thousands.
        let made = good.sites().zip(&batch).flat_map(|((site, _), routes)| output_paths(site, routes));
        let pending = std::mem::take(&mut following.pending).less_pages(made);
        following.pending = pending.unwrap_or_else(|| pending_pages(&good.site, &good.editions, &following.later));
        let pending = following.pending.clone();
        self.following = Some(following);
        Some(Outcome::Built(Rebuilt::unresolved((files, changed), counts, warnings, pending)))
    }

    /// Renders everything the last rebuild left for after the reload message, as one
    /// outcome: [`Self::render_following_asked`] again while a step leaves more to follow
    /// (the editions' own pages go before the other pages an edit touches, see
    /// [`later_editions`]; the pages follow in batches), each such step handed to `shown`
    /// (`serve` serves its files). Before each step `asked` gives the output paths that
    /// requests wait for (`serve`'s requests for pages still to follow), which go first.
    pub fn render_all_following(
        &mut self,
        shown: impl FnMut(&Rebuilt),
        asked: impl Fn() -> HashSet<String>,
    ) -> Option<Outcome> {
        self.render_following_until(shown, asked, &|| false)
    }

    /// [`Self::render_all_following`], stopping between two steps once `stop` says so
    /// (`serve`: the author saved again) if the pages left may wait for the next rebuild
    /// ([`carried`]); the outcome's [`Rebuilt::following`] then holds them, and
    /// [`Self::rebuild_pages`] renders them with the pages of the next edit, after its
    /// reload message.
    pub fn render_following_until(
        &mut self,
        mut shown: impl FnMut(&Rebuilt),
        asked: impl Fn() -> HashSet<String>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Outcome> {
        let mut outcome: Option<Outcome> = None;
        while let Some(step) = self.render_following_asked(&asked) {
            let built_with_more = match &step {
                Outcome::Built(built) if !built.following.is_empty() => Some(built),
                _ => None,
            };
            let more = built_with_more.map(&mut shown).is_some();
            outcome = Some(match outcome {
                Some(outcome) => outcome.followed_by(step),
                None => step,
            });
            if !more || (stop() && self.following.as_ref().is_some_and(Following::may_wait)) {
                break;
            }
        }
        outcome
    }

    /// Lets go of what could take back an edit whose pages are all made: the state before
    /// a resolve is freed on rayon's pool rather than on the way of what this thread does
    /// next (a trilingual site takes milliseconds to free), its reports' buffer kept for
    /// the next resolve ([`crate::model::memory::SpareReports`]).
    fn retire(&self, undo: Undo) {
        let Undo::Resolve(before) = undo else { return };
        let spare = self.resolved.spare_reports.clone();
        rayon::spawn(move || {
            let mut before = *before;
            spare.keep(std::mem::take(&mut before.site.reports));
        });
    }

    /// Takes back the edit that left files to make after the reload message: one of
    /// them failed.
    fn take_back(&mut self, undo: Undo) {
        let good = self.good.as_mut().expect("following files belong to a good state");
        match undo {
            Undo::InPlace { reports, files, stale } => {
                good.undo(reports);
                good.files = files;
                good.stale = stale;
            }
            Undo::Resolve(before) => *good = *before,
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
        self.resolve_and_render(Laps::start(), true, &StaticChanges::default(), &[])
    }

    /// Brings the feeds, sitemap and data exports up to date with the last good site, if
    /// a rebuild left them behind. Returns the files to serve and the paths that changed.
    /// `serve` calls this after telling open tabs to reload: these files take a few
    /// hundred milliseconds on a large site and no open page shows them, and stops
    /// making them when the author saves again (`stop`: they stay behind, for the next
    /// call).
    pub fn refresh_derived(&mut self, stop: render::Stop) -> Option<(Arc<Files>, Vec<String>)> {
        let good = self.good.as_mut().filter(|g| !g.stale.is_fresh())?;
        let sites: Vec<(&Site, &Bodies)> = good.sites().collect();
        // Made before the files served are copied: stopped, nothing is left to drop.
        // Only a pipeline that remembers (serve) works out what each feed is made of.
        let memory = self.remembers.then_some((&self.feeds, &*good.files));
        let made = files::made_extras(&sites, &good.stale, memory, stop)?;
        let stale = std::mem::take(&mut good.stale);
        let mut files = (*good.files).clone();
        let changed = if stale.all {
            let made_paths = made.files.iter().map(|(path, _)| path.clone());
            let keys: BTreeSet<String> = made_paths.chain(made.feeds.kept.iter().cloned()).collect();
            let changed = files::put_extras(&mut files, made.files, good.extras.difference(&keys));
            good.extras = keys;
            if self.remembers {
                self.feeds.remember(&files, made.feeds);
            }
            changed
        } else {
            // Edits in place spare the feeds that do not show the edited reports.
            files::put_extras(&mut files, made.files, [])
        };
        if changed.is_empty() {
            return None;
        }
        let files = Arc::new(files);
        good.files = files.clone();
        Some((files, changed))
    }

    fn with_derived(&mut self, mut outcome: Outcome) -> Outcome {
        // After a failure too: pages an earlier edit left to follow may have come since.
        let derived = self.refresh_derived(&|| false);
        if let (Outcome::Built(built), Some((files, changed))) = (&mut outcome, derived) {
            built.files = files;
            built.changed.extend(changed);
        }
        outcome
    }

    /// Applies one batch of changes to the pages, leaving the feeds, sitemap and exports
    /// for [`Self::refresh_derived`].
    pub fn rebuild_pages(&mut self, changes: &ChangeSet) -> Outcome {
        // Pages still to follow the last edit that may wait go with this one's after its
        // reload message; any other following is rendered first, which keeps the state whole.
        let stopped = self.stop_following();
        let _ = self.render_all_following(|_| {}, HashSet::new);
        let outcome = self.apply_changes(changes);
        let theme_changed = changes.config || changes.templates || !changes.statics.is_empty();
        self.carry((stopped, theme_changed), outcome)
    }

    /// [`Self::rebuild_pages`] with nothing left to follow the last rebuild.
    fn apply_changes(&mut self, changes: &ChangeSet) -> Outcome {
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
        let mut laps = Laps::start();
        let content = self.read_changes(changes);
        let nothing = content.in_place.is_empty() && content.translation_bodies.is_empty() && !content.structure;
        if nothing && !changes.templates && changes.statics.is_empty() && self.clean {
            return Outcome::Unchanged;
        }
        if changes.templates || !changes.statics.is_empty() {
            self.load_theme();
        }
        if let Some(failed) = self.source_errors() {
            return failed;
        }
        // Reading the files saved and the sources' diagnostics: before any stage of a resolve.
        laps.lap("read");
        let everything = changes.templates || self.good.is_none();
        // A photo in static/ is published resized by the media stage, which runs with a resolve.
        let static_images = match &changes.statics {
            StaticChanges::All => true,
            StaticChanges::Files(files) => files.iter().any(|f| crate::media::image_kind(f).is_some()),
        };
        // Translations and their originals edited together: resolved as one.
        let mixed = !content.in_place.is_empty() && !content.translation_bodies.is_empty();
        if everything || content.structure || !self.clean || static_images || mixed {
            return self.resolve_and_render(laps, everything, &changes.statics, &content.edited);
        }
        if !content.translation_bodies.is_empty() {
            return self.rebuild_translation_bodies(&content.translation_bodies, &changes.statics);
        }
        self.rebuild_in_place(&content.in_place, &changes.statics)
    }

    /// The load stage with a memory: reads again what `changes` names, and says what it is.
    fn read_changes(&mut self, changes: &ChangeSet) -> ContentChanges {
        let mut found = ContentChanges::default();
        for path in &changes.content {
            // A deleted file's site path is known only before the update forgets it.
            let known = self.sources.site_path(path).map(str::to_string);
            match self.sources.update(&self.project, path) {
                ContentUpdate::Nothing => {}
                ContentUpdate::Body(rel) => {
                    found.in_place.push(InPlaceEdit { rel, front_matter: false, translated_words_only: false })
                }
                ContentUpdate::FrontMatter { rel, before } => {
                    let after = self.sources.report(&self.project, &rel).expect("just read as a report");
                    if resolve::edit_stays_in_report(&before, after) {
                        let translated_words_only = resolve::edit_changes_only_translated_words(&before, after);
                        found.in_place.push(InPlaceEdit { rel, front_matter: true, translated_words_only });
                    } else {
                        found.structure = true;
                    }
                }
                ContentUpdate::TranslationBody(rel) => found.translation_bodies.push(rel),
                ContentUpdate::Structure => found.structure = true,
            }
            // Any other file of content/ (a photo in a report's folder) is the media
            // stage's, which runs with a resolve.
            if crate::load::is_bundle_file(&self.project, path) {
                found.structure = true;
            }
            found.edited.extend(self.sources.site_path(path).map(str::to_string).or(known));
        }
        if changes.registries {
            self.sources.read_registries(&self.project);
            found.structure = true;
            found.edited.extend(REGISTRIES.iter().map(|r| sources::registry(r)));
        }
        found
    }

    fn read_everything(&mut self) {
        self.sources = SourceCache::read(&self.project);
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
                self.resolved = Default::default();
                self.read_everything();
                Ok(())
            }
            Err(e) => Err(Diagnostic::error(crate::project::sources::CONFIG, 0, 0, Message::from_error(e))),
        }
    }

    /// Every error (and warning) the cached sources have, when there is an error.
    fn source_errors(&mut self) -> Option<Outcome> {
        let mut diags = self.source_diagnostics();
        if self.theme.is_none() && !diags.has_errors() {
            diags.push(Diagnostic::error(crate::project::sources::THEMES, 0, 0, msg!("the theme could not be loaded")));
        }
        diags.has_errors().then(|| self.fail(diags))
    }

    fn source_diagnostics(&self) -> Diagnostics {
        let mut diags = Diagnostics::new();
        diags.extend(self.config_diags.iter().cloned());
        diags.extend(self.sources.diagnostics().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        diags
    }

    fn fail(&mut self, diags: Diagnostics) -> Outcome {
        self.clean = false;
        Outcome::Failed(diags)
    }

    /// The fast paths: only report bodies changed, or front matter in ways that stay within
    /// each report, and `good` matches every other source. The resolve and markdown stages
    /// change the reports in place in `good`, and put them back if anything fails.
    fn rebuild_in_place(&mut self, edits: &[InPlaceEdit], statics: &StaticChanges) -> Outcome {
        let Some(planned) = self.plan_in_place(edits) else {
            // An edited report has errors of its own: a whole resolve reports them.
            let edited: Vec<String> = edits.iter().map(|e| e.rel.clone()).collect();
            return self.resolve_and_render(Laps::start(), false, statics, &edited);
        };
        let good = self.good.as_mut().expect("checked by the caller");
        let stale_before = good.stale.clone();
        let mut diags = good.warnings.clone();
        let undo = good.apply(&planned, &mut diags);
        if diags.has_errors() {
            good.undo(undo);
            return self.fail(diags);
        }
        let routes = good.routes_after(&planned, &undo);
        let (now, later) = own_pages_first(routes, |id| planned.iter().any(|e| e.id == id));
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let rendered = files::render_pages(&good.site, theme, &good.bodies, &now, (*good.files).clone(), &mut diags);
        let Some((mut files, mut changed)) = rendered else {
            good.undo(undo);
            good.stale = stale_before;
            return self.fail(diags);
        };
        changed.extend(files::refresh_statics(&mut files, theme, statics, &good.site));
        let files_before = std::mem::replace(&mut good.files, Arc::new(files));
        let (files, reports) = (good.files.clone(), good.site.reports.len());
        let following = output_paths(&good.site, &later);
        let warnings = warnings_only(diags);
        let following = Pending::pages(following);
        if !later.is_empty() {
            let undo = Undo::InPlace { reports: undo, files: files_before, stale: stale_before };
            let (later, warnings, pending) = (Later::Routes(vec![later]), warnings.clone(), following.clone());
            self.following = Some(Following::new((later, undo, warnings), (Vec::new(), pending), None));
        }
        Outcome::Built(Rebuilt::unresolved((files, changed), (now.len(), reports), warnings, following))
    }

    /// Each edited report as it is now, with what pages showed of it before a front-matter
    /// edit; `None` when one of them has errors of its own or translations to check.
    fn plan_in_place(&self, edits: &[InPlaceEdit]) -> Option<Vec<PlannedEdit>> {
        let good = self.good.as_ref().expect("checked by the caller");
        let state = || SiteState { site: &good.site, bodies: &good.bodies };
        let mut planned = Vec::new();
        for edit in edits {
            let Some(id) = good.site.report_by_source(&edit.rel) else { continue }; // a draft left out
            let Some(parsed) = self.sources.report(&self.project, &edit.rel) else { continue };
            // Translations are checked against the original's facts by a whole resolve, and
            // their pages show those facts.
            if edit.front_matter && !edit.translated_words_only && !good.site.report(id).translations.is_empty() {
                return None;
            }
            let (report, before) = if edit.front_matter {
                let mut report = resolve::re_resolve_report(&good.site, id, parsed)?;
                let theme = self.theme.as_ref().expect("checked by source_errors");
                render::localise_reports(std::slice::from_mut(&mut report), theme, &good.site.config.language);
                (report, Some(deps::before_edit(state(), id)))
            } else {
                (Report { body: parsed.body.clone(), ..good.site.report(id).clone() }, None)
            };
            // A picture the media stage has not published needs it to run: a whole rebuild.
            if !render::images::bodies_published(&good.site, &edit.rel, &report.body) {
                return None;
            }
            planned.push(PlannedEdit { id, report, before });
        }
        Some(planned)
    }

    /// Resolves the whole site from the cached sources and renders what changed: every
    /// page when `everything`, otherwise the pages the change touches, the reports of the
    /// `edited` files (site paths of content) first and the rest after the reload.
    /// `laps` holds the times of what came before (reading the saved files).
    fn resolve_and_render(
        &mut self,
        mut laps: Laps,
        everything: bool,
        statics: &StaticChanges,
        edited: &[String],
    ) -> Outcome {
        let mut diags = self.source_diagnostics();
        let mut site = self.resolve(&mut diags);
        laps.lap("resolve");
        let (media, photos) = self.publish_media(&mut site, &mut diags);
        laps.lap("media");
        if let Some(own) = self.own_pages_in_default_language(everything, edited, &site) {
            let later = later_editions::LaterEditions::of(edited, self.resolved.figures_current());
            return self.render_default_first((site, own, later), (statics, media, photos), diags, laps);
        }
        let editions = render::language_sites(&mut site, self.theme.as_ref(), &self.earlier_editions());
        laps.lap("languages");
        let bodies = self.markdown(&site, &mut diags);
        let editions = self.edition_bodies(editions, &mut diags);
        laps.lap("markdown");
        if diags.has_errors() {
            return self.fail(diags);
        }
        // A language come or gone changes every page's switcher; a photo published anew
        // (another size) may be on any page. Pages come, gone or moved in a language
        // change only their own switchers (`deps::alternates_changed`).
        let relinked =
            self.good.as_ref().is_some_and(|g| !same_languages(&g.site, &site) || g.site.media != site.media);
        let own = self.own_pages_alone((everything, relinked), edited, &site, &editions);
        let (plans, later) = match &own {
            Some(own) => (own_plans((&site, &bodies), &editions, &own.routes), Later::TouchedBut(own.clone())),
            None => {
                let (plans, later) = self.plan_pages((everything, relinked), edited, (&site, &bodies), &editions);
                (plans, Later::Routes(later))
            }
        };
        laps.lap("plan");
        let Some((files, changed)) = self.render_resolved(&plans, statics, media, own.as_ref(), &mut diags) else {
            return self.fail(diags);
        };
        laps.lap("render");
        let rendered = plans.iter().map(|(_, _, routes)| routes.len()).sum();
        self.keep_resolved((site, bodies, editions), (files, changed, rendered), diags, (later, photos, None), laps)
    }

    /// The end of a resolve whose pages before the reload message are rendered (`files`,
    /// the paths `changed`, `rendered` of them): its sites kept as the last good state,
    /// with what follows the reload (the `later` pages, the deferred `photos`, the
    /// `editions` when they were left for after it) and the state before, to take the
    /// edit back should that fail.
    fn keep_resolved(
        &mut self,
        (site, bodies, editions): (Site, Bodies, Vec<(Site, Bodies)>),
        (files, changed, rendered): (Files, Vec<String>, usize),
        mut diags: Diagnostics,
        (later, photos, later_editions): (
            Later,
            Vec<render::images::DeferredPhoto>,
            Option<later_editions::LaterEditions>,
        ),
        mut laps: Laps,
    ) -> Outcome {
        // Feeds and exports follow in refresh_derived; their warnings are known now.
        diags.extend(render::feeds::warnings(&site));
        let warnings = warnings_only(diags);
        let following =
            pending_pages(&site, &editions, &later).with_photos(photos.iter().flat_map(|p| p.paths()).cloned());
        let (reports, files) = (site.reports.len(), Arc::new(files));
        let extras = self.good.as_ref().map(|g| g.extras.clone()).unwrap_or_default();
        let (stale, warnings_kept) = (Stale::everything(), warnings.clone());
        let prints = Vec::new();
        let good =
            Good { site, bodies, editions, files: files.clone(), warnings: warnings_kept, extras, stale, prints };
        let before = self.good.replace(good);
        // The figures of the site kept are written by the theme: the next resolve may keep them.
        self.resolved.set_figures_current(true);
        self.clean = true;
        match (following.is_empty(), before) {
            (false, Some(before)) => {
                let (undo, pending, editions) = (Undo::Resolve(Box::new(before)), following.clone(), later_editions);
                let warnings = warnings.clone();
                self.following = Some(Following::new((later, undo, warnings), (photos, pending), editions));
            }
            (true, Some(before)) => self.retire(Undo::Resolve(Box::new(before))),
            (_, None) => {}
        }
        laps.lap("keep");
        let timings = laps.timings;
        Outcome::Built(Rebuilt { files, changed, rendered, reports, warnings, resolved: true, following, timings })
    }

    /// The media stage of a resolve: publishes the photos of `site` (their files, returned,
    /// join the others when the pages are rendered) and gives it their index. After the
    /// first build, the variants of a photo not in the cache (a new or replaced one) are
    /// left for after the reload message (returned too): the photo is decoded before it,
    /// so its sizes are known and a bad file is an error of this rebuild.
    fn publish_media(&self, site: &mut Site, diags: &mut Diagnostics) -> (Files, Vec<render::images::DeferredPhoto>) {
        let media = crate::output::MemorySink::default();
        let variants = match self.good {
            Some(_) => render::images::Variants::Deferred,
            None => render::images::Variants::Now,
        };
        let others = (self.sources.other_files(), variants);
        let published = render::images::publish(&self.project, site, others, &self.media_cache, &media);
        diags.extend(published.diagnostics);
        site.media = Arc::new(published.index);
        (media.into_output().files, published.deferred)
    }

    /// The pages of `site` and its `editions` to render after a resolve, in the plan
    /// [`Self::render_resolved`] takes (each site's pages before the reload message), and
    /// those that follow it, site by site: the pages the change touches, the edited
    /// reports' own pages in every language first ([`own_pages_first`]). Every page when
    /// `everything` (a first build, new templates), all at once; every page, the edited
    /// reports' own first, when `relinked` (pages came or went in a language, or photos
    /// were published anew).
    fn plan_pages<'s>(
        &self,
        (everything, relinked): (bool, bool),
        edited: &[String],
        (site, bodies): (&'s Site, &'s Bodies),
        editions: &'s [(Site, Bodies)],
    ) -> (Vec<SitePages<'s>>, Vec<Vec<Route>>) {
        let good = self.good.as_ref().filter(|_| !everything);
        let olds = std::iter::once(good.map(|g| (&g.site, &g.bodies)))
            .chain((0..editions.len()).map(|i| good.and_then(|g| g.editions.get(i)).map(|(s, b)| (s, b))));
        let sites = std::iter::once((site, bodies)).chain(editions.iter().map(|(s, b)| (s, b)));
        let relinked_pages = match good {
            Some(good) if !relinked => deps::alternates_changed(&good.site, site),
            _ => HashSet::new(),
        };
        let edited = Edited::new(edited);
        let (mut plans, mut later) = (Vec::new(), Vec::new());
        for ((site, bodies), old) in sites.zip(olds) {
            let (routes, split) = match old {
                None => (Route::all(site), false),
                Some(_) if relinked => (Route::all(site), true),
                Some((old_site, old_bodies)) => {
                    let old = SiteState { site: old_site, bodies: old_bodies };
                    routes_between(old, SiteState { site, bodies }, &relinked_pages)
                }
            };
            let (now, rest) = match split {
                true => own_pages_first(routes, |id| is_edited(site, site.report(id), &edited)),
                false => (routes, Vec::new()),
            };
            plans.push((site, bodies, now));
            later.push(rest);
        }
        (plans, later)
    }

    /// The edited reports' own pages in each site (the default language's first), those
    /// of the people and cities whose registry entries changed when a registry was edited,
    /// and the pages of deleted reports (removed), when they alone go before the reload
    /// message and the pages the change touches are worked out after it
    /// ([`Later::TouchedBut`]): when each site has a last version to compare with, and
    /// the change is not one that renders every page (a first build, new templates, pages
    /// that came or went in a language, photos published anew).
    fn own_pages_alone(
        &self,
        (everything, relinked): (bool, bool),
        edited: &[String],
        site: &Site,
        editions: &[(Site, Bodies)],
    ) -> Option<OwnPages> {
        let good = self.good.as_ref().filter(|g| !everything && !relinked && g.editions.len() == editions.len())?;
        let sites = std::iter::once(site).chain(editions.iter().map(|(s, _)| s));
        let registries = registries_edited(edited);
        let edited = &Edited::new(edited);
        let own_routes = |s: &Site, old: &Site| own_routes(s, old, edited, registries);
        let routes: Vec<Vec<Route>> = sites.clone().zip(good.sites()).map(|(s, (old, _))| own_routes(s, old)).collect();
        let gone: Vec<String> = sites.zip(good.sites()).flat_map(|(s, (old, _))| gone_pages(old, s, edited)).collect();
        let any = routes.iter().any(|routes| !routes.is_empty()) || !gone.is_empty();
        any.then_some(OwnPages { routes, gone })
    }

    /// The markdown stage of each edition, reusing the bodies of the same language's last
    /// good edition that are still valid.
    fn edition_bodies(&self, editions: Vec<Site>, diags: &mut Diagnostics) -> Vec<(Site, Bodies)> {
        let previous = self.good.as_ref().map_or(&[][..], |g| &g.editions[..]);
        edition_bodies(editions, previous, diags)
    }

    /// The render stage after a resolve: the files served, less the pages the sites no
    /// longer have (only the `own` gone pages when the own pages go alone), with the static files brought up to date and each site's pages in
    /// `plans` rendered (the default language's site first, then its editions).
    fn render_resolved(
        &self,
        plans: &[SitePages],
        statics: &StaticChanges,
        media: Files,
        own: Option<&OwnPages>,
        diags: &mut Diagnostics,
    ) -> Option<(Files, Vec<String>)> {
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let (mut files, mut changed, statics) = match &self.good {
            Some(good) => {
                let mut files = (*good.files).clone();
                let mut stale = Vec::new();
                match own {
                    // The other pages gone are removed after the reload (`touched_pages`).
                    Some(own) => stale.extend(own.gone.iter().filter(|p| files.remove(*p).is_some()).cloned()),
                    None => {
                        for ((old, _), (new, _, _)) in good.sites().zip(plans) {
                            stale.extend(files::stale_pages(old, new));
                        }
                        files::remove_pages(&mut files, &stale);
                    }
                }
                (files, stale, statics.clone())
            }
            None => (Files::new(), Vec::new(), StaticChanges::All),
        };
        let old_media = self.good.as_ref().map(|g| &*g.site.media);
        changed.extend(files::refresh_media(&mut files, old_media, media));
        changed.extend(files::refresh_statics(&mut files, theme, &statics, plans[0].0));
        let pages = plans.iter().map(|(site, bodies, routes)| (*site, *bodies, &routes[..]));
        let (files, rendered) = files::render_sites(pages, theme, (files, &[]), diags)?;
        changed.extend(rendered);
        Some((files, changed))
    }
}

/// The site paths of the files a save edited, asked of every report of a site. A few
/// are compared one by one (by length first, as `==` does, so the sources of most of the
/// other reports are never read); a checkout's many go into a hash set, so that one walk
/// through the site does whatever their number.
struct Edited<'a> {
    paths: &'a [String],
    many: Option<ahash::AHashSet<&'a str>>,
}

impl<'a> Edited<'a> {
    /// More than this many paths are looked up by hash.
    const FEW: usize = 8;

    fn new(paths: &'a [String]) -> Self {
        let many = (paths.len() > Self::FEW).then(|| paths.iter().map(String::as_str).collect());
        Edited { paths, many }
    }

    fn contains(&self, path: &str) -> bool {
        match &self.many {
            Some(set) => set.contains(path),
            None => self.paths.iter().any(|p| p == path),
        }
    }
}

/// The output paths in `old` of the pages of edited reports (by site path, among
/// `edited`) that `new` no longer has: a deleted report's.
fn gone_pages(old: &Site, new: &Site, edited: &Edited) -> Vec<String> {
    let still: ahash::AHashSet<&str> =
        new.reports.iter().map(|r| r.source.as_str()).filter(|s| edited.contains(s)).collect();
    let gone = (old.reports.iter().enumerate())
        .filter(|(_, r)| edited.contains(r.source.as_str()) && !still.contains(r.source.as_str()));
    let routes: Vec<Route> = gone.map(|(j, _)| Route::Report(ReportId(j as u32))).collect();
    output_paths(old, &routes)
}

/// The output paths of the pages that follow the reload message after a resolve, as
/// serve asks it of each request meanwhile.
fn pending_pages(site: &Site, editions: &[(Site, Bodies)], later: &Later) -> Pending {
    let sites = std::iter::once(site).chain(editions.iter().map(|(s, _)| s));
    match later {
        Later::Routes(routes) => Pending::pages(sites.zip(routes).flat_map(|(s, r)| output_paths(s, r))),
        Later::TouchedBut(own) => {
            let rendered = sites.zip(&own.routes).flat_map(|(s, r)| output_paths(s, r));
            Pending::all_pages_but(rendered.chain(own.gone.iter().cloned()).collect())
        }
    }
}

/// The plan [`Pipeline::render_resolved`] takes when the `own` pages of each site go alone.
fn own_plans<'s>(
    (site, bodies): (&'s Site, &'s Bodies),
    editions: &'s [(Site, Bodies)],
    own: &[Vec<Route>],
) -> Vec<SitePages<'s>> {
    let sites = std::iter::once((site, bodies)).chain(editions.iter().map(|(s, b)| (s, b)));
    sites.zip(own).map(|((site, bodies), routes)| (site, bodies, routes.clone())).collect()
}

/// Pages in the first batch that follows a reload message ([`Pipeline::render_following_asked`]):
/// a few dozen milliseconds of rendering, so that a page asked for meanwhile waits little.
const FIRST_BATCH: usize = if cfg!(test) { 3 } else { 64 };

/// About how long a batch of the pages that follow a reload message takes: a page asked
/// for waits for the batch under way, and so does a new save (serve stops between
/// batches, see [`carried`]).
const BATCH_TIME: Duration = Duration::from_millis(50);

/// The fewest pages in a batch but the last, however slow they render.
const SMALLEST_BATCH: usize = if cfg!(test) { 1 } else { 16 };

/// The most pages in one batch: each batch hands `serve` what is still pending, a copy
/// of a set of paths as long as the pages left.
const LARGEST_BATCH: usize = 4096;

/// The size of the batch after one that rendered `pages` pages in `took`: as many as
/// render in [`BATCH_TIME`] at its pace, but at most twice as many as it had (a batch of
/// report pages says little of the entity pages after it, which take several times as
/// long), and within [`SMALLEST_BATCH`] and [`LARGEST_BATCH`].
fn next_batch_size(pages: usize, took: Duration) -> usize {
    let per_page = took.as_secs_f64() / pages.max(1) as f64;
    let fitting = if per_page > 0.0 { (BATCH_TIME.as_secs_f64() / per_page) as usize } else { usize::MAX };
    fitting.min(pages.saturating_mul(2)).clamp(SMALLEST_BATCH, LARGEST_BATCH)
}

/// The pages of `routes` (each site's, as the sites of `good` come) to render in the next
/// batch, those left for the batches after it, and whether the batch is the `asked`
/// pages: those alone when requests wait for some of them, or else the next `size`
/// pages in order.
fn next_batch(
    good: &Good,
    mut routes: Vec<Vec<Route>>,
    asked: &HashSet<String>,
    size: usize,
) -> (Vec<Vec<Route>>, Vec<Vec<Route>>, bool) {
    if !asked.is_empty() {
        let split = good.sites().zip(routes).map(|((site, _), routes)| -> (Vec<Route>, Vec<Route>) {
            routes.into_iter().partition(|route| asked.contains(&output_path(site, *route)))
        });
        let (batch, rest): (Vec<Vec<Route>>, Vec<Vec<Route>>) = split.unzip();
        if batch.iter().any(|routes| !routes.is_empty()) {
            return (batch, rest, true);
        }
        routes = rest;
    }
    let mut room = size;
    let batch = (routes.iter_mut())
        .map(|routes| {
            let taken = room.min(routes.len());
            room -= taken;
            routes.drain(..taken).collect()
        })
        .collect();
    (batch, routes, false)
}

/// The pages of each site of `now` that the change from `before` touches, less the `own`
/// pages rendered before the reload message; the pages the sites no longer have are
/// removed from `files`. Returns the routes and the removed paths. The languages are
/// worked out side by side: a tab waits for this before its page (see
/// [`Pipeline::render_following_asked`]).
fn touched_pages(
    before: &Good,
    now: &mut Good,
    own: &[Vec<Route>],
    files: &mut Files,
) -> (Vec<Vec<Route>>, Vec<String>) {
    use rayon::prelude::*;
    let relinked = deps::alternates_changed(&before.site, &now.site);
    let old_prints = (0..).map(|i| before.prints.get(i).and_then(Option::as_ref));
    let sites: Vec<_> = before.sites().zip(old_prints).zip(now.sites()).zip(own).collect();
    let touched: Vec<(Vec<Route>, Vec<String>, Option<deps::Prints>)> = sites
        .into_par_iter()
        .map(|((((old_site, old_bodies), old_prints), (site, bodies)), own)| {
            let old = SiteState { site: old_site, bodies: old_bodies };
            let (((routes, _), prints), stale) = rayon::join(
                || routes_between_printed((old, old_prints), SiteState { site, bodies }, &relinked),
                || files::stale_pages(old_site, site),
            );
            (routes.into_iter().filter(|route| !own.contains(route)).collect(), stale, prints)
        })
        .collect();
    let mut routes = Vec::with_capacity(touched.len());
    let mut removed = Vec::new();
    // Kept for the next change, whose site before is this one.
    now.prints.clear();
    for (site_routes, stale, prints) in touched {
        routes.push(site_routes);
        removed.extend(stale);
        now.prints.push(prints);
    }
    files::remove_pages(files, &removed);
    (routes, removed)
}

/// Whether `old` and `new` are in the same languages, in the same order under the same
/// folders (so every page's switcher lists the same languages).
fn same_languages(old: &Site, new: &Site) -> bool {
    let (a, b) = (&old.edition.languages, &new.edition.languages);
    a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.code == y.code && x.prefix == y.prefix)
}

/// The pages of `new` to render after a resolve, compared with `old`: those the change
/// touches (with the pages of the `relinked` identities, whose links to the other
/// languages changed: [`deps::alternates_changed`]), or all of them; and whether the
/// change was worked out page by page (so the edited reports' own pages may go first),
/// which a change of site-wide values is not.
fn routes_between(old: SiteState, new: SiteState, relinked: &HashSet<String>) -> (Vec<Route>, bool) {
    routes_between_printed((old, None), new, relinked).0
}

/// [`routes_between`], with the prints of `old` when they were kept
/// ([`deps::affected_routes_printed`]), and the prints of `new` when it made them.
fn routes_between_printed(
    (old, old_prints): (SiteState, Option<&deps::Prints>),
    new: SiteState,
    relinked: &HashSet<String>,
) -> ((Vec<Route>, bool), Option<deps::Prints>) {
    let (old_site, new_site) = (old.site, new.site);
    // New counts are on every page: no need to work out which pages the change touches
    // (when reports come or go, that is most of them, and takes longer than the resolve).
    if deps::counts_changed(old_site, new_site) {
        return ((Route::all(new_site), deps::same_site_values(old_site, new_site)), None);
    }
    match deps::affected_routes_printed((old, old_prints), new) {
        (None, _) => ((Route::all(new_site), false), None),
        (Some(mut routes), prints) => {
            routes.extend(deps::pages_of_identities(new_site, relinked, &routes));
            ((routes, true), prints)
        }
    }
}

/// The markdown stage of each edition, reusing the bodies of the `previous` edition in
/// the same language (the same place) that are still valid.
fn edition_bodies(editions: Vec<Site>, previous: &[(Site, Bodies)], diags: &mut Diagnostics) -> Vec<(Site, Bodies)> {
    (editions.into_iter().enumerate())
        .map(|(i, edition)| {
            let bodies = render::render_bodies(&edition, previous.get(i).map(|(s, b)| (s, b)), diags);
            (edition, bodies)
        })
        .collect()
}

/// Whether a registry (data/people.yaml, data/cities.yaml) is among the `edited` files.
fn registries_edited(edited: &[String]) -> bool {
    edited.iter().any(|e| REGISTRIES.iter().any(|r| *e == sources::registry(r)))
}

/// The own pages of an edit in `site` (the default language's or an edition), which was
/// `old` before it: the pages of the reports that show an edit of the `edited` files and,
/// when a registry was edited, those of its entries that changed.
fn own_routes(site: &Site, old: &Site, edited: &Edited, registries: bool) -> Vec<Route> {
    let ids = (0..site.reports.len() as u32).map(ReportId);
    let reports = ids.filter(|id| is_edited(site, site.report(*id), edited)).map(Route::Report);
    let entries = if registries { deps::registry_entry_pages(old, site) } else { Vec::new() };
    reports.chain(entries).collect()
}

/// Whether `report` of `site` shows an edit of the `edited` files (site paths): its
/// original's (whose facts show in every language), or its translation's into the
/// site's language.
fn is_edited(site: &Site, report: &Report, edited: &Edited) -> bool {
    let language = &site.config.language;
    edited.contains(&report.source)
        || report.translations.iter().any(|t| &t.language == language && edited.contains(&t.source))
}

impl Good {
    /// The default language's site and then each edition, with their bodies.
    fn sites(&self) -> impl Iterator<Item = (&Site, &Bodies)> {
        std::iter::once((&self.site, &self.bodies)).chain(self.editions.iter().map(|(s, b)| (s, b)))
    }

    /// The resolve and markdown stages in place: puts each planned report into the site,
    /// rendering its body again if that changed. Returns what to put back on failure.
    fn apply(
        &mut self,
        planned: &[PlannedEdit],
        diags: &mut Diagnostics,
    ) -> Vec<(ReportId, Report, render::markdown::RenderedBody)> {
        self.prints.clear();
        let mut undo = Vec::new();
        for edit in planned {
            let old_report = std::mem::replace(&mut self.site.reports[edit.id.index()], edit.report.clone());
            let old_body = self.bodies.reports[edit.id.index()].clone();
            if old_report.body != edit.report.body || old_report.body_line != edit.report.body_line {
                let (body, body_diags) = render::render_report_body(&self.site, &self.bodies.link_targets, edit.id);
                diags.extend(body_diags);
                self.bodies.reports[edit.id.index()] = body;
            }
            undo.push((edit.id, old_report, old_body));
        }
        undo
    }

    /// The pages to render after the `planned` edits were applied (`undo` holds the
    /// reports as they were); marks the feeds and exports stale when they show what changed.
    fn routes_after(
        &mut self,
        planned: &[PlannedEdit],
        undo: &[(ReportId, Report, render::markdown::RenderedBody)],
    ) -> HashSet<Route> {
        let front_matter: Vec<(ReportId, &deps::Before)> =
            planned.iter().filter_map(|e| e.before.as_ref().map(|b| (e.id, b))).collect();
        let state = SiteState { site: &self.site, bodies: &self.bodies };
        let mut routes: HashSet<Route> = deps::routes_after_edits_in_place(state, &front_matter).into_iter().collect();
        // Feeds and data exports show front matter. An edit in place keeps the report's
        // date, people and cities, so the same feeds show it.
        for (id, _) in &front_matter {
            self.stale.bodies.insert(*id);
            self.stale.summaries = true;
        }
        let ended_otherwise = |(id, old, _): &(ReportId, Report, _)| self.site.report(*id).end_date != old.end_date;
        self.stale.sitemap |= undo.iter().any(ended_otherwise);
        for (edit, (_, old_report, old_body)) in planned.iter().zip(undo).filter(|(e, _)| e.before.is_none()) {
            routes.insert(Route::Report(edit.id));
            let body = &self.bodies.reports[edit.id.index()];
            // Feeds carry each report's body.
            if old_body.content_hash != body.content_hash {
                self.stale.bodies.insert(edit.id);
            }
            if old_report.summary.is_none() && old_body.first_paragraph != body.first_paragraph {
                routes.extend(deps::routes_listing(&self.site, edit.id));
                // Data exports carry summaries.
                self.stale.summaries = true;
            }
        }
        routes
    }

    /// Puts back reports and bodies changed in place by a rebuild that then failed.
    fn undo(&mut self, undo: Vec<(ReportId, Report, render::markdown::RenderedBody)>) {
        self.prints.clear();
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

/// The output files of `routes` of `site`.
fn output_paths(site: &Site, routes: &[Route]) -> Vec<String> {
    routes.iter().map(|r| output_path(site, *r)).collect()
}

/// The output file of `route` of `site` (`people/a/index.html`).
fn output_path(site: &Site, route: Route) -> String {
    route::output_file(&route.path(site))
}

fn warnings_only(diags: Diagnostics) -> Diagnostics {
    debug_assert!(!diags.has_errors());
    diags
}

#[cfg(test)]
mod tests;
