//! Rendering: the resolved [`Site`] -> every output file, in memory and in a fixed order.
//!
//! Markdown is rendered once per body, then every route is rendered through its template
//! in parallel. The result is an [`Output`] keyed by output path (a `BTreeMap`), so writing
//! it is deterministic.

pub mod alternates;
pub mod chart;
pub mod describe;
pub mod exports;
pub mod feeds;
pub mod figure_texts;
pub mod i18n;
pub mod images;
pub mod item_view;
pub mod jsonld;
pub mod maps;
pub mod markdown;
pub mod mentions;
pub mod menu;
pub mod name_search;
pub mod pages;
pub mod picture;
pub mod route;
pub mod search;
#[cfg(feature = "search")]
pub mod search_bundle;
#[cfg(feature = "search")]
pub mod search_index;
pub mod search_record;
#[cfg(feature = "search")]
pub mod search_words;
pub mod share;
pub mod theme;
pub mod view;

pub use pages::Route;

// The output types live in a base module (writing depends on them, not on rendering);
// re-exported here, where rendering makes them.
pub use crate::output::{MemorySink, Output, OutputFile, Sink};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, msg};
use crate::model::{CityId, PersonId, ReportId, Site};
use crate::progress::Progress;
use markdown::{Autolinks, BodyContext, RenderedBody};
use theme::Theme;
use view::{Bodies, Linker};

/// Renders every Markdown body of the site once. Broken `@/` links become diagnostics.
///
/// Given the `previous` site and its bodies (`serve` keeps them between rebuilds; `build`
/// has none), a report whose Markdown, start line and links (its names to autolink, and
/// where `@/` links lead when it has any; links are written from the site's root, so the
/// report's own slug does not matter) and, when it shows a picture, the published photos
/// are as there gets its body from there: after
/// a front-matter edit, a new report or a new slug only the bodies that can have changed
/// are rendered again. Bios and descriptions are kept the same way (`EarlierTexts`).
/// The bodies of a good state carry no diagnostics (Markdown only raises errors), so
/// reusing one loses none.
pub fn render_bodies(site: &Site, previous: Option<(&Site, &Bodies)>, diags: &mut Diagnostics) -> Bodies {
    // Kept when reports or pages did not come, go or move (most edits move none); made
    // only once a body links to one (most sites have few such links, or none).
    let targets = match previous {
        Some((old, bodies)) if bodies.link_targets.made().is_some() && same_link_targets(old, site) => {
            bodies.link_targets.clone()
        }
        _ => std::sync::Arc::default(),
    };
    let lookup = LinkLookup::Lazy(&targets, site);
    let mut bodies = Bodies::default();
    for (body, body_diags) in report_bodies(site, &targets, previous) {
        bodies.reports.push(body);
        diags.extend(body_diags);
    }
    let pages: Vec<(RenderedBody, Vec<Diagnostic>)> = site
        .pages
        .par_iter()
        .map(|p| {
            let source = site.page_body_source(p);
            markdown::render(&p.body, &body_context(site, lookup, source, p.body_line, &p.path, None))
        })
        .collect();
    for (body, body_diags) in pages {
        bodies.pages.push(body);
        diags.extend(body_diags);
    }
    let earlier = EarlierTexts::of(site, previous, &targets);
    for (i, person) in site.people.iter().enumerate() {
        let id = PersonId(i as u32);
        let Some(bio) = &person.bio else { continue };
        let path = route::person(site, id);
        let kept = earlier.as_ref().and_then(|e| e.kept(&e.bios, &path, bio));
        let html = kept.unwrap_or_else(|| registry_text(site, lookup, bio, &person.origin, &path, diags));
        bodies.bios.insert(id, html);
    }
    for (i, city) in site.cities.iter().enumerate() {
        let id = CityId(i as u32);
        let Some(description) = &city.description else { continue };
        let path = route::city(site, id);
        let kept = earlier.as_ref().and_then(|e| e.kept(&e.descriptions, &path, description));
        let html = kept.unwrap_or_else(|| registry_text(site, lookup, description, &city.origin, &path, diags));
        bodies.descriptions.insert(id, html);
    }
    bodies.link_targets = targets;
    bodies
}

/// The bios and descriptions of the site before an edit, by the page that shows each,
/// with their Markdown: after an edit that resolves the site, a registry text on the same
/// page, in the same words, is the same HTML (it is not autolinked), unless it links by
/// source path and those links moved, or shows a picture and the photos changed. A site
/// with a bio for each of thousands of people rendered them all again on every such edit.
struct EarlierTexts<'a> {
    bios: HashMap<String, (&'a str, &'a str)>,
    descriptions: HashMap<String, (&'a str, &'a str)>,
    same_link_targets: bool,
    same_media: bool,
}

impl<'a> EarlierTexts<'a> {
    /// Those of `previous`, when it was rendered with the same configuration and the same
    /// sources left out (a link to one is written as text).
    fn of(site: &Site, previous: Option<(&'a Site, &'a Bodies)>, targets: &Arc<LinkTargets>) -> Option<Self> {
        let same = |old: &Site| old.config == site.config && old.withheld_sources == site.withheld_sources;
        let (old, bodies) = previous.filter(|(old, _)| same(old))?;
        let bios = by_page(&old.people, &bodies.bios, PersonId, |p| p.bio.as_deref(), |id| route::person(old, id));
        let descriptions =
            by_page(&old.cities, &bodies.descriptions, CityId, |c| c.description.as_deref(), |id| route::city(old, id));
        let same_link_targets = Arc::ptr_eq(&bodies.link_targets, targets);
        Some(EarlierTexts { bios, descriptions, same_link_targets, same_media: old.media == site.media })
    }

    /// The earlier HTML of `markdown` shown on the page at `path`, if it is still right.
    fn kept(&self, texts: &HashMap<String, (&'a str, &'a str)>, path: &str, markdown: &str) -> Option<String> {
        let &(before, html) = texts.get(path)?;
        let links_stay = self.same_link_targets || !markdown.contains("@/");
        let pictures_stay = self.same_media || !markdown.contains("![");
        (before == markdown && links_stay && pictures_stay).then(|| html.to_string())
    }
}

/// The Markdown (`text`) and HTML of each of `entries` that has both, by the page that
/// shows it.
fn by_page<'a, T, Id: Copy + Eq + std::hash::Hash>(
    entries: &'a [T],
    html: &'a HashMap<Id, String>,
    id: impl Fn(u32) -> Id,
    text: impl Fn(&'a T) -> Option<&'a str>,
    page: impl Fn(Id) -> String,
) -> HashMap<String, (&'a str, &'a str)> {
    (entries.iter().enumerate())
        .filter_map(|(i, entry)| {
            let id = id(i as u32);
            Some((page(id), (text(entry)?, html.get(&id)?.as_str())))
        })
        .collect()
}

/// Whether [`link_targets`] of `site` are those of `old`: the same pages, and the same
/// reports on the same slugs, in the same language.
fn same_link_targets(old: &Site, site: &Site) -> bool {
    let same_pages =
        (old.pages.iter().map(|p| (&p.source, &p.path))).eq(site.pages.iter().map(|p| (&p.source, &p.path)));
    let same_reports = || {
        let places = crate::model::EarlierPlaces::of(old);
        let same_slug = |i: usize| places.find(site, i).is_some_and(|j| old.reports[j].slug == site.reports[i].slug);
        (0..site.reports.len()).all(same_slug)
    };
    old.edition.prefix == site.edition.prefix
        && old.edition.original_targets == site.edition.original_targets
        && old.reports.len() == site.reports.len()
        && same_pages
        && same_reports()
}

/// The Markdown of a registry entry (a bio, a description) written at `origin`, as HTML
/// for the page at `path`.
fn registry_text(
    site: &Site,
    targets: LinkLookup,
    markdown: &str,
    origin: &crate::model::Origin,
    path: &str,
    diags: &mut Diagnostics,
) -> String {
    let (body, body_diags) =
        markdown::render(markdown, &body_context(site, targets, &origin.path, origin.line, path, None));
    diags.extend(body_diags);
    body.html.to_string()
}

/// Every report's body, in parallel: from `previous` where still valid (see
/// [`render_bodies`]), rendered otherwise.
fn report_bodies(
    site: &Site,
    targets: &std::sync::Arc<LinkTargets>,
    previous: Option<(&Site, &Bodies)>,
) -> Vec<(RenderedBody, Vec<Diagnostic>)> {
    let previous =
        previous.filter(|(old, _)| old.config == site.config && old.withheld_sources == site.withheld_sources);
    // A report or page added, removed or moved changes where `@/` links lead: only bodies
    // with such links need rendering again (most have none, and then the targets, one per
    // report, need not be compared).
    let linking = || site.reports.iter().any(|r| r.body.may_link_by_source());
    let targets_moved = previous.is_some_and(|(old, bodies)| {
        !std::sync::Arc::ptr_eq(&bodies.link_targets, targets)
            && linking()
            && bodies.link_targets.of(old) != targets.of(site)
    });
    // A photo published anew (another size, another file) changes the pictures of the
    // bodies that show one (`![alt](photo.jpg)`, or by reference `![alt][photo]`).
    let media_moved = previous.is_some_and(|(old, _)| old.media != site.media);
    let places = previous.map(|(old, _)| crate::model::EarlierPlaces::of(old));
    let kept = previous.map(|(old, _)| KeptNames::between(old, site));
    (0..site.reports.len())
        .into_par_iter()
        .map(|i| {
            let (id, report) = (ReportId(i as u32), &site.reports[i]);
            let was = places.as_ref().and_then(|places| places.find(site, i));
            let reusable = previous.zip(was).filter(|((old, _), j)| {
                let before = &old.reports[*j];
                before.body == report.body
                    && before.body_line == report.body_line
                    && !(targets_moved && report.body.may_link_by_source())
                    && !(media_moved && report.body.may_show_pictures())
                    && kept.as_ref().is_some_and(|kept| same_autolinks(old, ReportId(*j as u32), site, id, kept))
            });
            match reusable {
                Some(((_, bodies), j)) => (bodies.reports[j].clone(), Vec::new()),
                None => render_report_body(site, targets, id),
            }
        })
        .collect()
}

/// Renders report `id`'s body: what [`render_bodies`] does for each report that changed,
/// and `serve` for a report edited in place. `targets` are the same site's.
pub fn render_report_body(site: &Site, targets: &LinkTargets, id: ReportId) -> (RenderedBody, Vec<Diagnostic>) {
    let r = site.report(id);
    let path = route::report(site, id);
    let autolinks = site.config.autolink.then(|| report_autolinks(site, id));
    let source = site.body_source(r);
    let targets = LinkLookup::Lazy(targets, site);
    markdown::render(&r.body, &body_context(site, targets, source, r.body_line, &path, autolinks.as_ref()))
}

fn body_context<'a>(
    site: &'a Site,
    targets: LinkLookup<'a>,
    source: &'a str,
    body_line: usize,
    page_path: &'a str,
    autolinks: Option<&'a Autolinks>,
) -> BodyContext<'a> {
    BodyContext {
        source,
        body_line,
        page_path,
        offline: site.config.offline,
        unsafe_html: site.config.markdown.unsafe_html,
        link_targets: targets,
        withheld: &site.withheld_sources,
        autolinks,
        media: &site.media,
    }
}

/// Asked now and then while work no open page waits for is done (feeds, exports, search
/// records): true to stop it (`serve`, when the author saved again: the files would be
/// thrown away). Once true, it must stay true for the rest of the call. A build never
/// stops (`&|| false`).
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// Frees what a stopped piece of work had made on a thread of its own: freeing a few
/// hundred megabytes of feeds or search records takes tens of milliseconds, which the
/// save that stopped it would otherwise wait for. (Not on rayon's pool: the rebuild of
/// that save runs there.)
pub fn drop_aside<T: Send + 'static>(made: T) {
    // No thread to be had: `spawn` frees it at once.
    let _ = std::thread::Builder::new().name("drop".into()).spawn(move || drop(made));
}

/// Where the `@/` links of a site's bodies lead ([`link_targets`] of the site), made the
/// first time one is asked for: after an edit that moves reports, making them again for
/// 10,000 reports took a few milliseconds that most sites, without such links, never use.
#[derive(Default)]
pub struct LinkTargets(std::sync::OnceLock<HashMap<String, String>>);

impl LinkTargets {
    /// The targets, made from `site` (the one these targets are of) if not made yet.
    pub fn of(&self, site: &Site) -> &HashMap<String, String> {
        self.0.get_or_init(|| link_targets(site))
    }

    /// The targets, if they were made.
    pub fn made(&self) -> Option<&HashMap<String, String>> {
        self.0.get()
    }
}

/// How a body finds where its `@/` links lead: targets made already, or a site's
/// [`LinkTargets`], made when the first link is met.
#[derive(Clone, Copy)]
pub enum LinkLookup<'a> {
    Made(&'a HashMap<String, String>),
    Lazy(&'a LinkTargets, &'a Site),
}

impl<'a> LinkLookup<'a> {
    /// Source path -> site path, made now if it was not.
    pub fn map(self) -> &'a HashMap<String, String> {
        match self {
            LinkLookup::Made(map) => map,
            LinkLookup::Lazy(targets, site) => targets.of(site),
        }
    }
}

/// Source path -> site path of every report and page, for `@/` links. In the pages of a
/// language other than the default, a link to what is not translated into it leads to
/// the default language's page.
pub fn link_targets(site: &Site) -> HashMap<String, String> {
    let reports =
        site.reports.iter().enumerate().map(|(i, r)| (r.source.clone(), route::report(site, ReportId(i as u32))));
    let pages = site.pages.iter().map(|p| (p.source.clone(), p.path.clone()));
    let mut targets = (*site.edition.original_targets).clone();
    targets.extend(reports.chain(pages));
    targets
}

/// Writes every figure's `display` in the site's language, by its CLDR rules and the
/// theme's words (`5,8 млрд $`, `более 20 000 $`): resolve leaves them empty, before
/// the theme is known.
pub fn localise_figures(site: &mut Site, theme: &Theme) {
    let language = site.config.language.clone();
    // On every core: 20 ms for the 30,000 figures of 10,000 reports, on the way of every
    // serve edit that resolves the site (where the theme remembers the texts written).
    site.reports.par_chunks_mut(256).for_each(|reports| localise_reports(reports, theme, &language));
}

/// [`localise_figures`] for some reports of a site in `language`, as one batch. Figures
/// made by the resolve are each report's own; those a report shares are the ones it kept
/// from the site before an edit, written then by this theme in this language (the
/// resolve keeps them only then: `Memory::set_figures_current`), and are left as they are.
pub fn localise_reports(reports: &mut [crate::model::Report], theme: &Theme, language: &str) {
    let own = reports.iter_mut().filter_map(|r| std::sync::Arc::get_mut(&mut r.figures));
    let mut figures: Vec<&mut crate::model::Figure> = own.flatten().collect();
    theme.write_figures(language, &mut figures);
}

/// The sites the render stage renders for a resolved `site`, made ready for `theme`: the
/// site's editions in its other languages (`languages:` in site.yaml), each a site of its
/// own (see [`crate::model::editions`]; none for a site in one language), with `site` and
/// each of them told where every page is in every language, and their figures written in
/// their languages ([`localise_figures`]; not without a theme, whose errors stop the
/// build after the Markdown of every language is checked). `earlier` are the editions
/// `serve` made before, given only when their figures were written by `theme`: figures
/// the same there are kept, not made and written again (none for a build).
pub fn language_sites(site: &mut Site, theme: Option<&Theme>, earlier: &[&Site]) -> Vec<Site> {
    if let Some(theme) = theme {
        localise_figures(site, theme);
    }
    editions_of(site, theme, earlier)
}

/// The editions of `site` as [`language_sites`] makes them, once the site's own figures
/// are written: `serve` makes them after the reload message, when an edit's own pages in
/// the default language go before it alone (`pipeline`'s `later_editions`).
pub fn editions_of(site: &mut Site, theme: Option<&Theme>, earlier: &[&Site]) -> Vec<Site> {
    let mut editions = language_editions(site, earlier);
    if let Some(theme) = theme {
        editions.iter_mut().for_each(|s| localise_figures(s, theme));
    }
    editions
}

fn language_editions(site: &mut Site, earlier: &[&Site]) -> Vec<Site> {
    if site.config.languages.is_empty() {
        return Vec::new();
    }
    let targets = std::sync::Arc::new(link_targets(site));
    let languages: Vec<String> = site.config.languages.keys().cloned().collect();
    let mut editions: Vec<Site> = (languages.par_iter())
        .map(|language| {
            let earlier = earlier.iter().find(|e| e.config.language == *language).copied();
            crate::model::editions::edition(site, language, targets.clone(), earlier)
        })
        .collect();
    let sites: Vec<&Site> = std::iter::once(&*site).chain(&editions).collect();
    let all: Vec<crate::model::LanguagePages> = sites.par_iter().map(|s| pages::language_pages(s)).collect();
    let all = std::sync::Arc::new(all);
    for s in std::iter::once(site).chain(editions.iter_mut()) {
        s.edition.languages = all.clone();
    }
    editions
}

/// The names and aliases of a report's people and cities, linked on first mention.
fn report_autolinks(site: &Site, id: ReportId) -> Autolinks {
    let report = site.report(id);
    let mut links = Autolinks::default();
    for a in &report.officials {
        let person = site.person(a.person);
        let entity = links.targets.len();
        links.targets.push(route::person(site, a.person));
        for name in std::iter::once(&person.name).chain(&person.aliases) {
            links.patterns.push((name.clone(), entity));
        }
    }
    for c in &report.cities {
        let city = site.city(*c);
        let entity = links.targets.len();
        links.targets.push(route::city(site, *c));
        for name in std::iter::once(&city.name).chain(&city.aliases) {
            links.patterns.push((name.clone(), entity));
        }
    }
    links.patterns.retain(|(p, _)| !p.trim().is_empty());
    links
}

/// Whether report `a` of `old` and report `b` of `new` have the same
/// [`report_autolinks`], found without making them (`serve` asks for every report after
/// each structural edit): with `kept`, two people or cities of one id are compared once.
fn same_autolinks(old: &Site, a: ReportId, new: &Site, b: ReportId, kept: &KeptNames) -> bool {
    let (x, y) = (old.report(a), new.report(b));
    let same_people = x.officials.iter().zip(&y.officials).all(|(p, q)| {
        (p.person == q.person && kept.people[q.person.index()])
            || same_names(person_names(old.person(p.person)), person_names(new.person(q.person)))
    });
    let same_cities = x.cities.iter().zip(&y.cities).all(|(c, d)| {
        (c == d && kept.cities[d.index()]) || same_names(city_names(old.city(*c)), city_names(new.city(*d)))
    });
    x.officials.len() == y.officials.len() && x.cities.len() == y.cities.len() && same_people && same_cities
}

/// For each person and city of a site, whether the one of the same id in an earlier site
/// has the same slug and names (so a report linking them links the same words the same
/// way).
struct KeptNames {
    people: Vec<bool>,
    cities: Vec<bool>,
}

impl KeptNames {
    fn between(old: &Site, new: &Site) -> KeptNames {
        let kept = |old: Option<LinkNames>, new: LinkNames| old.is_some_and(|old| same_names(old, new));
        let people = new.people.iter().enumerate();
        let cities = new.cities.iter().enumerate();
        KeptNames {
            people: people.map(|(i, p)| kept(old.people.get(i).map(person_names), person_names(p))).collect(),
            cities: cities.map(|(i, c)| kept(old.cities.get(i).map(city_names), city_names(c))).collect(),
        }
    }
}

/// A person's or city's slug, name and aliases: what autolinks link, and to where.
type LinkNames<'s> = (&'s str, &'s String, &'s [String]);

fn person_names(p: &crate::model::Person) -> LinkNames<'_> {
    (&p.slug, &p.name, &p.aliases)
}

fn city_names(c: &crate::model::City) -> LinkNames<'_> {
    (&c.slug, &c.name, &c.aliases)
}

fn same_names((a_slug, a_name, a_aliases): LinkNames, (b_slug, b_name, b_aliases): LinkNames) -> bool {
    fn names<'s>(name: &'s String, aliases: &'s [String]) -> impl Iterator<Item = &'s String> {
        std::iter::once(name).chain(aliases).filter(|n| !n.trim().is_empty())
    }
    a_slug == b_slug && names(a_name, a_aliases).eq(names(b_name, b_aliases))
}

/// What [`render_into`] makes: these pages and, for the whole site (`build`), also the
/// feeds, sitemap, data exports, search index and static files. `serve` renders pages
/// alone, and the rest when no open page waits for it.
#[derive(Clone, Copy)]
pub struct Plan<'a> {
    pub routes: &'a [Route],
    pub whole_site: bool,
    /// The report items an earlier render of this site's pages made, to go on with
    /// (see [`view::ItemEntries`]); `None` for items of this render's own.
    pub items: Option<&'a view::ItemEntries>,
}

/// Renders what `plan` says, handing each file to `sink` as soon as it is made. False when
/// anything failed (the problems are in `diags`; what reached `sink` is incomplete).
pub fn render_into(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    plan: Plan,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
    sink: &dyn Sink,
) -> bool {
    if !plan.whole_site {
        let errors = render_routes_into(site, theme, bodies, (plan.routes, plan.items), progress, sink);
        let ok = errors.is_empty();
        diags.extend(errors);
        return ok;
    }
    let routes = plan.routes;
    // Feeds, exports and the search index do not depend on the pages: build them alongside.
    // The search index is built on a thread of its own, outside rayon's pool: its shards
    // run on threads that a pool worker would sit blocked on, leaving the pages one core.
    // Its records are made on the pool, which takes them up only as the pages run out, so
    // in practice the shards are indexed after the pages: on a machine the pages keep busy
    // that costs no time, and the index's memory does not come on top of the pages'.
    let (search, (page_errors, (extras, extra_problems))) = std::thread::scope(|scope| {
        let search = scope.spawn(|| search_files(site, bodies));
        let rest = rayon::join(
            || render_routes_into(site, theme, bodies, (routes, None), progress, sink),
            || extra_files_into(site, bodies, sink),
        );
        let search = search.join().unwrap_or_else(|_| Err(search_index_failure("the indexer stopped unexpectedly")));
        (search, rest)
    });
    // An error writing an extra file fails the build through `diags`, as any error does.
    diags.extend(extra_problems);
    let failed = !page_errors.is_empty();
    diags.extend(page_errors);
    let mut files: Vec<(String, OutputFile)> = Vec::new();
    match search {
        Ok(index) => files.extend(index.into_iter().map(|(path, bytes)| (path, OutputFile::bytes(bytes)))),
        Err(d) => diags.push(d),
    }
    // Static files last, leaving out those a made file overrides; once, with the default
    // language's pages: every language shares them.
    if site.edition.prefix.is_empty() {
        let made: HashSet<String> = (routes.iter().map(|r| route::output_file(&r.path(site))))
            .chain(files.iter().map(|(p, _)| p.clone()))
            .chain(extras)
            .chain(site.media.replaced.iter().cloned())
            .collect();
        files.extend(crate::output::unshadowed_statics(&theme.static_files, |p| made.contains(p)));
    }
    let written = put_all(sink, files, diags);
    !failed && written && !diags.has_errors()
}

/// Hands `files` to `sink` in parallel; false (with the problems in `diags`) if any failed.
fn put_all(sink: &dyn Sink, files: Vec<(String, OutputFile)>, diags: &mut Diagnostics) -> bool {
    let errors: Vec<Diagnostic> = files
        .into_par_iter()
        .filter_map(|(path, file)| sink.put(&path, file).err().map(|e| cannot_write(&path, &e)))
        .collect();
    let ok = errors.is_empty();
    diags.extend(errors);
    ok
}

fn cannot_write(path: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, 0, 0, msg!("cannot write: {error}"))
}

/// Renders `routes` in parallel, handing each page to `sink`; returns the problems.
fn render_routes_into(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    (routes, items): (&[Route], Option<&view::ItemEntries>),
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let put = |file: String, result: Result<Vec<u8>, Diagnostic>| {
        result.and_then(|bytes| sink.put(&file, OutputFile::bytes(bytes)).map_err(|e| cannot_write(&file, &e))).err()
    };
    each_page(site, theme, bodies, (routes, items), progress, put).into_iter().flatten().collect()
}

/// Renders `routes` in parallel and hands each page (its output file and bytes or error)
/// to `then`, collecting what it returns, in route order; the report items listed are
/// made once, or taken from `items` (an earlier render's) when given.
fn each_page<T: Send>(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    (routes, items): (&[Route], Option<&view::ItemEntries>),
    progress: &dyn Progress,
    then: impl Fn(String, Result<Vec<u8>, Diagnostic>) -> T + Sync,
) -> Vec<T> {
    progress.start("rendering", routes.len());
    let items = view::ItemCache::sharing(site, theme, items.cloned().unwrap_or_default());
    let results = routes
        .par_iter()
        .map(|route| {
            let path = route.path(site);
            let result = render_route(site, theme, bodies, &items, *route, &path);
            progress.advance(1);
            then(route::output_file(&path), result)
        })
        .collect();
    progress.finish();
    results
}

/// Files that are not pages: feeds, sitemap and robots.txt (with `base_url`) and the
/// data exports (their warnings are [`feeds::warnings`]'); the feeds `served` says are
/// served as they would be made are not made again ([`feeds::extras`]). `None` when
/// `stop` said to stop ([`Stop`]).
pub fn extra_files(site: &Site, bodies: &Bodies, served: Option<feeds::Served>, stop: Stop) -> Option<feeds::Extras> {
    match rayon::join(|| feeds::extras(site, bodies, served, stop), || exports::exports(site, bodies, stop)) {
        (Some(mut extras), Some(exports)) => {
            extras.files.extend(exports);
            Some(extras)
        }
        stopped => {
            drop_aside(stopped);
            None
        }
    }
}

/// The extra files that edits in place of `reports` change (their bodies, or front matter
/// that keeps them in the same feeds): the feeds showing them, the data exports when
/// `summaries` (they carry summaries and front matter) and the sitemap when `sitemap`
/// (a report's last day changed); `None` once `stop` says to stop.
pub fn extra_files_after_edits_in_place(
    site: &Site,
    bodies: &Bodies,
    reports: &std::collections::BTreeSet<crate::model::ReportId>,
    (summaries, sitemap): (bool, bool),
    stop: Stop,
) -> Option<Vec<(String, Vec<u8>)>> {
    let mut files = feeds::feeds_showing(site, bodies, reports);
    if summaries {
        files.extend(exports::exports(site, bodies, stop)?);
    }
    if sitemap {
        files.extend(feeds::sitemap_file(site, stop));
    }
    (!stop()).then_some(files)
}

/// Hands the files [`extra_files`] makes to `sink` as each is made: the paths written,
/// and the problems (the warnings, and an error for each file that could not be written).
fn extra_files_into(site: &Site, bodies: &Bodies, sink: &dyn Sink) -> (Vec<String>, Vec<Diagnostic>) {
    let written = std::sync::Mutex::new((Vec::new(), Vec::new()));
    let put = |path: String, bytes: Vec<u8>| {
        let result = sink.put(&path, OutputFile::bytes(bytes));
        let mut written = written.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(()) => written.0.push(path),
            Err(e) => written.1.push(cannot_write(&path, &e)),
        }
    };
    let (warnings, exports) =
        rayon::join(|| feeds::extras_each(site, bodies, &put, &|| false), || exports::exports(site, bodies, &|| false));
    let exports = exports.expect("a build never stops");
    exports.into_par_iter().for_each(|(path, bytes)| put(path, bytes));
    let (paths, mut problems) = written.into_inner().unwrap_or_else(|e| e.into_inner());
    problems.extend(warnings);
    (paths, problems)
}

/// The search index files of `site` (none when search is off).
pub fn search_files(site: &Site, bodies: &Bodies) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    if !search::enabled(site) {
        return Ok(Vec::new());
    }
    let records = search::records(site, bodies, &|| false).unwrap_or_default();
    search::index_files(records, &search::IndexSettings::of(site), None, &|| true)
        .map(|(files, _)| files)
        .map_err(|message| search_index_failure(&message))
}

/// Where a failure of the search index is reported: no source file is to blame (site.yaml
/// only turns search on), so the location names the index itself.
const SEARCH_INDEX_LOCATION: &str = "(search index)";

/// The error for a search index that could not be built.
fn search_index_failure(message: &str) -> Diagnostic {
    Diagnostic::error(SEARCH_INDEX_LOCATION, 0, 0, msg!("the search index could not be built: {message}"))
        .with_hint("to build the site without search meanwhile, set `search: false` in site.yaml")
}

fn render_route(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    items: &view::ItemCache,
    route: Route,
    path: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let l =
        Linker::new(site, bodies, path, items, &theme.mentions).with_strings(theme.strings.get(&site.config.language));
    let mut ctx = tera::Context::new();
    ctx.insert("site", &view::site_view(site));
    ctx.insert("current_path", path);
    insert_languages(&mut ctx, &l, theme, route);
    ctx.insert("section", route.section());
    let base = site.config.base_url.trim();
    let canonical =
        (!base.is_empty() && route != Route::NotFound).then(|| format!("{}/{}", base.trim_end_matches('/'), path));
    ctx.insert("canonical_url", &canonical);
    let feed = feed_path(site, route, path);
    let feed_url = feed.filter(|_| feeds::has_feeds(site)).map(|f| l.url(&f));
    ctx.insert("feed_url", &feed_url);
    // Structured data is costly to make; only for themes that print it.
    let json_ld = if theme.mentions.has("json_ld") { jsonld::json_ld(site, bodies, route) } else { None };
    ctx.insert("json_ld", &json_ld);
    ctx.insert("share_image", &share::share_image(&l, route));
    ctx.insert("description", &describe::description(&l, route));
    ctx.insert("menu", &menu::menu(&l, route));
    if route == Route::NotFound && !base.is_empty() {
        ctx.insert("absolute_base", base);
    }
    insert_page_variables(&mut ctx, &l, route);
    if let Some(failure) = items.failure() {
        return Err(failure.clone());
    }
    let template = route.template();
    let mut out = Vec::with_capacity(16 * 1024);
    theme.tera.render_to(template, &ctx, &mut out).map_err(|e| theme::template_error(&theme.origins, &e))?;
    Ok(out)
}

/// The site path of the feed a page offers: the site's on the first home page, a
/// person's or city's own on every page of theirs.
fn feed_path(site: &Site, route: Route, path: &str) -> Option<String> {
    match route {
        Route::Home(1) => Some(format!("{path}feed.xml")),
        Route::Person(id, _) => Some(format!("{}feed.xml", route::person(site, id))),
        Route::City(id, _) => Some(format!("{}feed.xml", route::city(site, id))),
        _ => None,
    }
}

/// The variables of the page `route` itself (`report`, `person`, `paginator`, ...).
fn insert_page_variables(ctx: &mut tera::Context, l: &Linker, route: Route) {
    let site = l.site;
    match route {
        Route::Home(n) => insert(ctx, "paginator", &view::paginator(l, n, site.config.paginate.max(1))),
        Route::Report(id) => insert(ctx, "report", &view::report_view(l, id)),
        Route::People => insert(ctx, "letters", &view::people_by_letter(l)),
        Route::Person(id, n) => insert(ctx, "person", &view::person_view(l, id, n)),
        Route::Cities => {
            insert(ctx, "countries", &view::cities_by_country(l));
            insert(ctx, "cities_map", &view::cities_map(l));
        }
        Route::City(id, n) => insert(ctx, "city", &view::city_view(l, id, n)),
        Route::Countries => insert(ctx, "countries", &view::country_entries(l)),
        Route::Country(id, n) => insert(ctx, "country", &view::country_view(l, id, n)),
        Route::Topics => insert(ctx, "topics", &view::topic_entries(l)),
        Route::Topic(id, n) => insert(ctx, "topic", &view::topic_view(l, id, n)),
        Route::Figures(n) => insert_figures(ctx, l, n),
        Route::Search => insert(ctx, "search", &search::search_view(l)),
        Route::Page(i) => insert(ctx, "page", &view::page_view(l, i)),
        Route::NotFound => {}
    }
    if let Some(paginator) = view::entity_paginator(l, route) {
        insert(ctx, "paginator", &paginator);
    }
}

/// The variables of page `n` of the figures: its figures and where it is among the pages.
fn insert_figures(ctx: &mut tera::Context, l: &view::Linker, n: usize) {
    let pages = pages::figure_pages(l.site);
    let reports = pages.get(n - 1).cloned().unwrap_or_default();
    insert(ctx, "figures", &view::figures_of(l, reports));
    insert(ctx, "paginator", &view::figures_paginator(l, n, pages.len()));
}

/// What a page needs to speak its language and lead to the others: `lang` (read by `t`
/// and `date`), the folder `url_for` puts pages under, the switcher and the alternates.
fn insert_languages(ctx: &mut tera::Context, l: &Linker, theme: &Theme, route: Route) {
    ctx.insert(theme::PAGE_LANGUAGE, &l.site.config.language);
    ctx.insert(theme::LANGUAGE_FOLDER, &l.site.edition.prefix);
    let here = pages::alternates(l.site, route);
    ctx.insert("languages", &alternates::language_links(l, theme, &here));
    ctx.insert("alternates", &alternates::alternate_links(l, &here));
}

fn insert<T: Serialize>(ctx: &mut tera::Context, key: &'static str, value: &T) {
    ctx.insert(key, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::load::{Sources, parse_report};

    fn site_of(files: &[(&str, &str)]) -> Site {
        let mut sources = Sources::default();
        for (path, text) in files {
            sources.reports.push(parse_report(path, text).unwrap().into());
        }
        crate::model::resolve::resolve(sources, &SiteConfig::default(), false, &mut Diagnostics::new())
    }

    const A: &str = "---\ntitle: A\ndate: 2020-01-02\ncities: [Weihai]\n---\nIn Weihai, see [b](@/reports/b.md).\n";
    const B: &str = "---\ntitle: B\ndate: 2020-01-01\n---\nText of B.\n";

    /// Whether the body of `source` in `new` is the very text of `old` (the same shared
    /// `Arc`: reused, not rendered again, however equal a fresh render would be).
    fn reused(site: &Site, new: &Bodies, before: &Site, old: &Bodies, source: &str) -> bool {
        let (a, b) = (site.report_by_source(source).unwrap(), before.report_by_source(source).unwrap());
        std::sync::Arc::ptr_eq(&new.reports[a.index()].html, &old.reports[b.index()].html)
    }

    #[test]
    fn a_failed_search_index_is_reported_as_itself_not_as_site_yaml() {
        let failure = search_index_failure("the indexer stopped unexpectedly");
        let shown = failure.render(std::path::Path::new("/nonexistent"));
        assert!(matches!(failure.severity, crate::diag::Severity::Error));
        assert_eq!(failure.location(), "(search index)");
        let first_line = shown.lines().next().unwrap();
        assert_eq!(
            first_line,
            "(search index): error: the search index could not be built: the indexer stopped unexpectedly"
        );
    }

    #[test]
    fn unchanged_bodies_are_reused_and_changed_links_rendered_again() {
        let before = site_of(&[("content/reports/a.md", A), ("content/reports/b.md", B)]);
        let old_bodies = render_bodies(&before, None, &mut Diagnostics::new());
        let (a, b) = ("content/reports/a.md", "content/reports/b.md");
        // A render of the same site makes new text: the check below can tell reuse apart.
        let again = render_bodies(&before, None, &mut Diagnostics::new());
        assert!(!reused(&before, &again, &before, &old_bodies, a) && !reused(&before, &again, &before, &old_bodies, b));

        // A new title changes no body: both are reused, equal to a fresh render.
        let retitled =
            site_of(&[("content/reports/a.md", &A.replace("title: A", "title: A2")), ("content/reports/b.md", B)]);
        let reused_bodies = render_bodies(&retitled, Some((&before, &old_bodies)), &mut Diagnostics::new());
        assert!(reused(&retitled, &reused_bodies, &before, &old_bodies, a), "A was rendered again");
        assert!(reused(&retitled, &reused_bodies, &before, &old_bodies, b), "B was rendered again");
        assert_eq!(reused_bodies.reports, render_bodies(&retitled, None, &mut Diagnostics::new()).reports);

        // B's new slug changes the link in A's body, which must be rendered again.
        let moved = site_of(&[
            ("content/reports/a.md", A),
            ("content/reports/b.md", &B.replace("title: B", "title: B\nslug: bee")),
        ]);
        let reused_bodies = render_bodies(&moved, Some((&before, &old_bodies)), &mut Diagnostics::new());
        assert!(!reused(&moved, &reused_bodies, &before, &old_bodies, a), "A kept its link to the old slug");
        let a_body = &reused_bodies.reports[moved.report_by_source(a).unwrap().index()].html;
        assert!(a_body.contains("reports/bee/"), "{a_body}");
        assert_eq!(reused_bodies.reports, render_bodies(&moved, None, &mut Diagnostics::new()).reports);

        // A city renamed by a new alias in front matter changes A's autolinks, not B's body.
        let renamed = site_of(&[
            ("content/reports/a.md", &A.replace("[Weihai]", "[{ name: Weihai City }]")),
            ("content/reports/b.md", B),
        ]);
        let reused_bodies = render_bodies(&renamed, Some((&before, &old_bodies)), &mut Diagnostics::new());
        assert!(!reused(&renamed, &reused_bodies, &before, &old_bodies, a), "A kept its old autolinks");
        assert!(reused(&renamed, &reused_bodies, &before, &old_bodies, b), "B was rendered again");
        assert_eq!(reused_bodies.reports, render_bodies(&renamed, None, &mut Diagnostics::new()).reports);
    }

    /// A site of report B whose registry gives Wang Luming (or `wang`) and Ji Caiyun these
    /// bios.
    fn site_with_bios(wang: &str, bios: [&str; 2]) -> Site {
        let mut sources = Sources::default();
        sources.reports.push(parse_report("content/reports/b.md", B).unwrap().into());
        let yaml = format!("- name: {wang}\n  bio: \"{}\"\n- name: Ji Caiyun\n  bio: \"{}\"\n", bios[0], bios[1]);
        let keys = crate::load::raw::PERSON_KEYS;
        let people: Vec<crate::load::Located<crate::load::raw::RawPerson>> =
            crate::load::parse_registry("data/people.yaml", &yaml, keys).unwrap();
        sources.people = people.into();
        crate::model::resolve::resolve(sources, &SiteConfig::default(), false, &mut Diagnostics::new())
    }

    fn bio_of(site: &Site, bodies: &Bodies, name: &str) -> String {
        let id = site.people.iter().position(|p| p.name == name).expect("a person of that name");
        bodies.bios[&PersonId(id as u32)].clone()
    }

    #[test]
    fn bios_on_the_same_page_in_the_same_words_are_kept_and_the_others_rendered_again() {
        let before = site_with_bios("Wang Luming", ["Mayor of *Weihai*.", "Consul general."]);
        let mut old_bodies = render_bodies(&before, None, &mut Diagnostics::new());
        // Marked, so that a kept bio is told apart from one rendered again.
        for html in old_bodies.bios.values_mut() {
            html.push_str("<!-- kept -->");
        }
        let after = site_with_bios("Wang Luming", ["Mayor of *Weihai*.", "Consul general in Shanghai."]);
        let bodies = render_bodies(&after, Some((&before, &old_bodies)), &mut Diagnostics::new());
        let fresh = render_bodies(&after, None, &mut Diagnostics::new());
        let wang = bio_of(&after, &bodies, "Wang Luming");
        assert_eq!(
            wang,
            bio_of(&after, &fresh, "Wang Luming") + "<!-- kept -->",
            "an unchanged bio was rendered again"
        );
        assert_eq!(bio_of(&after, &bodies, "Ji Caiyun"), bio_of(&after, &fresh, "Ji Caiyun"));
        assert!(bio_of(&after, &bodies, "Ji Caiyun").contains("Shanghai"));

        // The same words on another page (the person renamed, so another slug).
        let renamed = site_with_bios("Wang Lu", ["Mayor of *Weihai*.", "Consul general."]);
        let bodies = render_bodies(&renamed, Some((&before, &old_bodies)), &mut Diagnostics::new());
        assert!(!bio_of(&renamed, &bodies, "Wang Lu").contains("kept"), "a bio kept from another page");
        assert!(bio_of(&renamed, &bodies, "Ji Caiyun").contains("kept"));
    }

    /// Where `@/` links lead is worked out only for a site with such a link (most have
    /// none: after an edit that moves reports, making it for 10,000 took milliseconds).
    #[test]
    fn link_targets_are_made_only_when_a_body_links_by_source() {
        let plain =
            site_of(&[("content/reports/b.md", B), ("content/reports/c.md", &B.replace("title: B", "title: C"))]);
        assert!(render_bodies(&plain, None, &mut Diagnostics::new()).link_targets.made().is_none());
        let linking = site_of(&[("content/reports/a.md", A), ("content/reports/b.md", B)]);
        let bodies = render_bodies(&linking, None, &mut Diagnostics::new());
        assert_eq!(bodies.link_targets.made().map(|t| t.len()), Some(2));
    }

    #[test]
    fn autolinks_are_compared_as_if_they_were_made() {
        const C: &str = "---\ntitle: C\ndate: 2020-01-03\ncities: [Weihai, Qingdao]\nofficials:\n  - name: Ma Lixin\n  - name: Lin Jiadong\n---\nText.\n";
        let base = [("content/reports/a.md", A.to_string()), ("content/reports/c.md", C.to_string())];
        let variants = [
            C.to_string(),
            C.replace("Ma Lixin", "Ma Li"),
            C.replace("  - name: Lin Jiadong\n", ""),
            C.replace("[Weihai, Qingdao]", "[Qingdao, Weihai]"),
            C.replace("[Weihai, Qingdao]", "[{ name: Weihai, country: China }, Qingdao]"),
            C.replace("  - name: Ma Lixin\n", "  - name: Ma Lixin\n  - name: Ma Lixin\n"),
        ];
        let sites: Vec<Site> = variants
            .iter()
            .map(|c| site_of(&[(base[0].0, base[0].1.as_str()), ("content/reports/c.md", c.as_str())]))
            .collect();
        let mut outcomes = std::collections::HashSet::new();
        for old in &sites {
            for new in &sites {
                for source in ["content/reports/a.md", "content/reports/c.md"] {
                    let (a, b) = (old.report_by_source(source).unwrap(), new.report_by_source(source).unwrap());
                    let made = report_autolinks(old, a) == report_autolinks(new, b);
                    let kept = KeptNames::between(old, new);
                    assert_eq!(same_autolinks(old, a, new, b, &kept), made, "{source}");
                    outcomes.insert(made);
                }
            }
        }
        assert_eq!(outcomes.len(), 2, "the variants never (or always) change the autolinks");
    }

    /// A [`Stop`] that says to stop from its `n`-th question on, counting the questions.
    struct StopAfter {
        n: usize,
        asked: std::sync::atomic::AtomicUsize,
    }

    impl StopAfter {
        fn new(n: usize) -> Self {
            StopAfter { n, asked: Default::default() }
        }
        fn says(&self) -> bool {
            self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= self.n
        }
        fn asked(&self) -> usize {
            self.asked.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    /// Whether `make` asks its stop before each of at least `items` pieces of work, and
    /// gives nothing once told to stop, at whichever question that is.
    fn stops_at_every_question<T>(items: usize, make: impl Fn(Stop) -> Option<T>) -> Result<(), String> {
        let never = StopAfter::new(usize::MAX);
        make(&|| never.says()).ok_or("stopped without being told")?;
        let asked = never.asked();
        if asked < items {
            return Err(format!("asked {asked} times for {items} pieces of work"));
        }
        let goes_on = |n: usize| {
            let stop = StopAfter::new(n);
            make(&|| stop.says()).is_some()
        };
        match (1..=asked).find(|n| goes_on(*n)) {
            Some(n) => Err(format!("went on after being told to stop at question {n}")),
            None => Ok(()),
        }
    }

    #[test]
    fn the_exports_and_the_sitemap_stop_at_the_next_record_or_page_once_told() {
        // A save in serve stops them: the rebuild of that save waits for no more than one
        // record or page (a whole export took 110 ms of a trilingual site of 10,000 reports).
        let reports: Vec<(String, String)> = (1..=6)
            .map(|i| {
                let text = format!(
                    "---\ntitle: T{i}\ndate: 2020-01-0{i}\ncities: [C{i}]\nofficials:\n  - name: P{i}\n---\nText.\n"
                );
                (format!("content/reports/r{i}.md"), text)
            })
            .collect();
        let files: Vec<(&str, &str)> = reports.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let mut site = site_of(&files);
        site.config.base_url = "https://example.org/".into();
        let bodies = render_bodies(&site, None, &mut Diagnostics::new());
        let records = site.reports.len() + site.people.len() + site.cities.len();
        assert_eq!(records, 18);
        stops_at_every_question(records, |stop| exports::exports(&site, &bodies, stop)).unwrap();
        let pages = Route::all(&site).len();
        stops_at_every_question(pages, |stop| feeds::sitemap_file(&site, stop)).unwrap();
        // What a stop that never says so lets through is what a build writes.
        let built = exports::exports(&site, &bodies, &|| false).unwrap();
        assert_eq!(built.len(), 4);
        assert!(built.iter().all(|(_, bytes)| !bytes.is_empty()));
    }
}
