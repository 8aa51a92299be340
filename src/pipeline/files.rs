//! The files a pipeline with a memory serves, brought up to date piece by piece: pages
//! rendered into an [`Overlay`] of them, pages the site no longer has dropped, the static
//! files and the feeds, sitemap and exports refreshed.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::StaticChanges;
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::model::images::MediaIndex;
use crate::output::{Files, OutputFile, Overlay, StaticSource};
use crate::render::theme::Theme;
use crate::render::view::{Bodies, ItemEntries};
use crate::render::{self, Plan, Route, route};

/// The render stage for `serve`: renders `routes` over `base` (a copy of the files served,
/// thrown away on errors). Returns the files and the paths whose bytes changed; `None`
/// when a page failed (the problems are in `diags`).
pub(super) fn render_pages(
    site: &Site,
    theme: &Theme,
    bodies: &Bodies,
    routes: &[Route],
    base: Files,
    diags: &mut Diagnostics,
) -> Option<(Files, Vec<String>)> {
    render_pages_sharing((site, bodies, routes, None), theme, base, diags)
}

/// [`render_pages`], going on with the report `items` an earlier render of the site made.
fn render_pages_sharing(
    (site, bodies, routes, items): (&Site, &Bodies, &[Route], Option<&ItemEntries>),
    theme: &Theme,
    base: Files,
    diags: &mut Diagnostics,
) -> Option<(Files, Vec<String>)> {
    let overlay = Overlay::new(base);
    let plan = Plan { routes, whole_site: false, items };
    render::render_into(site, theme, bodies, plan, &crate::NoProgress, diags, &overlay).then(|| overlay.into_parts())
}

/// [`render_pages`] for the pages of several sites in turn (a site and its editions), over
/// one copy of the files: the files and every path whose bytes changed, or `None` as soon
/// as a page fails. `items` are the report items earlier renders of each site made (by
/// position; none when shorter).
pub(super) fn render_sites<'a>(
    pages: impl IntoIterator<Item = (&'a Site, &'a Bodies, &'a [Route])>,
    theme: &Theme,
    (base, items): (Files, &[ItemEntries]),
    diags: &mut Diagnostics,
) -> Option<(Files, Vec<String>)> {
    let (mut files, mut changed) = (base, Vec::new());
    for (i, (site, bodies, routes)) in pages.into_iter().enumerate() {
        if routes.is_empty() {
            continue;
        }
        let (rendered, more) = render_pages_sharing((site, bodies, routes, items.get(i)), theme, files, diags)?;
        files = rendered;
        changed.extend(more);
    }
    Some((files, changed))
}

/// Adds the theme's static files to `files`, but where a file the site makes (in `files`,
/// or a page in `pages` still to be rendered) has the same path, and but the photos the
/// media stage published resized instead (`replaced`).
fn add_statics(files: &mut Files, theme: &Theme, pages: &HashSet<String>, replaced: &HashSet<String>) {
    let made = |p: &str| files.contains_key(p) || pages.contains(p) || replaced.contains(p);
    let statics: Vec<(String, OutputFile)> = crate::output::unshadowed_statics(&theme.static_files, made).collect();
    files.extend(statics);
}

/// Puts the files the media stage `made` into `files`, dropping those of the `old` index
/// it no longer made. Returns the paths that changed.
pub(super) fn refresh_media(files: &mut Files, old: Option<&MediaIndex>, made: Files) -> Vec<String> {
    let mut changed = Vec::new();
    let old_paths = old.into_iter().flat_map(|index| index.images.values().flatten().map(|f| &f.path));
    for path in old_paths {
        if !made.contains_key(path) && files.remove(path).is_some() {
            changed.push(path.clone());
        }
    }
    for (path, file) in made {
        if files.get(&path) != Some(&file) {
            files.insert(path.clone(), file);
            changed.push(path);
        }
    }
    changed
}

/// The feeds, sitemap, robots.txt and exports of `sites` (the default language's first,
/// then its editions) made again: every one when `stale.all` but the feeds `memory` (with
/// the files served) knows are served as they would be made, else those that edits in
/// place left `stale` ([`render::extra_files_after_edits_in_place`]). `None` when `stop`
/// said to stop.
pub(super) fn made_extras(
    sites: &[(&Site, &Bodies)],
    stale: &super::Stale,
    memory: Option<(&FeedMemory, &Files)>,
    stop: render::Stop,
) -> Option<MadeExtras> {
    let original = sites.first()?.0;
    let is_served = |path: &str, print: u64| memory.is_some_and(|(m, files)| m.is_served(files, path, print));
    let served: Option<render::feeds::Served> = memory.map(|_| &is_served as render::feeds::Served);
    let mut made = MadeExtras::default();
    for &(site, bodies) in sites {
        let of_site = if stale.all {
            // Their warnings were reported with the pages (`render::feeds::warnings`).
            render::extra_files(site, bodies, served, stop).map(|extras| {
                made.feeds.made.extend(extras.spared.made);
                made.feeds.kept.extend(extras.spared.kept);
                extras.files
            })
        } else {
            let reports = original.same_reports_in(site, &stale.bodies);
            let shown = (stale.summaries, stale.sitemap);
            render::extra_files_after_edits_in_place(site, bodies, &reports, shown, stop)
        };
        match of_site {
            Some(files) => made.files.extend(files),
            None => {
                render::drop_aside(made.files);
                return None;
            }
        }
    }
    Some(made)
}

/// What [`made_extras`] made: the files (output path, bytes), and which feeds of the
/// sites were made again (with their prints) and which kept as served.
#[derive(Default)]
pub(super) struct MadeExtras {
    pub files: Vec<(String, Vec<u8>)>,
    pub feeds: render::feeds::Spared,
}

/// What `serve` remembers of the feeds it serves: each one's print
/// ([`render::feeds::Spared`]) and the bytes made of it, held so that their address stays
/// theirs. A feed is served as it would be made when its print is the same and the files
/// served hold those very bytes: an edit in place that makes a feed again puts other
/// bytes there, and a failed edit taken back puts back the files from before it.
#[derive(Default)]
pub(super) struct FeedMemory(HashMap<String, (u64, bytes::Bytes)>);

impl FeedMemory {
    fn is_served(&self, files: &Files, path: &str, print: u64) -> bool {
        let Some((known, bytes)) = self.0.get(path) else { return false };
        let same = |now: &bytes::Bytes| now.as_ptr() == bytes.as_ptr() && now.len() == bytes.len();
        *known == print && matches!(files.get(path), Some(OutputFile::Bytes(now)) if same(now))
    }

    /// Remembers the feeds `made` (output path, print) as `files` serve them, and forgets
    /// every feed not among them or `kept`.
    pub(super) fn remember(&mut self, files: &Files, spared: render::feeds::Spared) {
        let kept: HashSet<String> = spared.kept.into_iter().collect();
        self.0.retain(|path, _| kept.contains(path));
        for (path, print) in spared.made {
            if let Some(OutputFile::Bytes(bytes)) = files.get(&path) {
                self.0.insert(path, (print, bytes.clone()));
            }
        }
    }
}

/// Puts the `made` extra files into `files` and drops those `gone` (extras the site no
/// longer has). Returns the paths that changed.
pub(super) fn put_extras<'g>(
    files: &mut Files,
    made: Vec<(String, Vec<u8>)>,
    gone: impl IntoIterator<Item = &'g String>,
) -> Vec<String> {
    let mut changed = Vec::new();
    for gone in gone {
        files.remove(gone);
        changed.push(gone.clone());
    }
    for (path, bytes) in made {
        let same = matches!(files.get(&path), Some(OutputFile::Bytes(before)) if **before == *bytes);
        if !same {
            files.insert(path.clone(), OutputFile::bytes(bytes));
            changed.push(path);
        }
    }
    changed
}

/// Output files of `site`'s pages.
fn page_files(site: &Site) -> HashSet<String> {
    Route::all(site).into_iter().map(|r| route::output_file(&r.path(site))).collect()
}

/// The pages of `old` that `new` no longer has (a renamed or deleted report, a person no
/// longer named anywhere): dropped, their URLs answer 404 as after a full build.
pub(super) fn stale_pages(old: &Site, new: &Site) -> Vec<String> {
    let (keep, had) = rayon::join(|| page_files(new), || page_files(old));
    had.into_iter().filter(|p| !keep.contains(p)).collect()
}

/// Drops the pages at output `paths` from `files` (those [`stale_pages`] found).
pub(super) fn remove_pages(files: &mut Files, paths: &[String]) {
    for path in paths {
        files.remove(path);
    }
}

/// Whether an output file is one of the theme's or site's static files (a photo from the
/// image cache is the media stage's).
fn is_theme_static(file: &OutputFile) -> bool {
    matches!(file, OutputFile::Static(StaticSource::Embedded(_) | StaticSource::Disk(_)))
}

/// Brings the static files in `files` in line with `theme`; pages keep precedence, as in a
/// full build. Returns the static paths that changed (`changed` is what the watcher saw).
pub(super) fn refresh_statics(files: &mut Files, theme: &Theme, changed: &StaticChanges, site: &Site) -> Vec<String> {
    if changed.is_empty() {
        return Vec::new();
    }
    let before: Files = files.iter().filter(|(_, v)| is_theme_static(v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    for path in before.keys() {
        files.remove(path);
    }
    add_statics(files, theme, &page_files(site), &site.media.replaced);
    let now = files.iter().filter(|(_, v)| is_theme_static(v));
    let mut touched: BTreeSet<String> = before.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
    touched.extend(now.filter(|(k, v)| before.get(*k) != Some(*v) || changed.contains(k)).map(|(k, _)| k.clone()));
    touched.into_iter().collect()
}
