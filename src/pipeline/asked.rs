//! Pages a tab asks for before the pages an edit touches are known. After an edit that
//! resolves the site, every page but the edit's own waits ([`PendingPages::AllBut`])
//! until [`super::touched_pages`] has compared each language's site with the one before,
//! which takes tens of milliseconds a language; a tab reloaded meanwhile asks for the page
//! it shows. Such a page is found by its output path among the routes of the new site and
//! rendered alone first, from the new state: touched by the edit or not, that is the page
//! a full build writes. It then counts among the edit's own pages, which the comparison
//! leaves out of those that follow.

use std::collections::HashSet;
use std::sync::Arc;

use super::{Following, Good, Later, Outcome, Pending, PendingPages, Pipeline, Rebuilt, files, output_path};
use crate::render::Route;

/// The routes of `site` whose output paths are among `paths`, with those paths.
pub(super) fn routes_at(site: &crate::model::Site, paths: &HashSet<String>) -> Vec<(Route, String)> {
    let with_paths = Route::all(site).into_iter().map(|route| (route, output_path(site, route)));
    with_paths.filter(|(_, path)| paths.contains(path)).collect()
}

/// The pages among `asked` (output paths) that `following` still holds back, as routes
/// of each site of `good`: `None` unless the pages the edit touches are still to be
/// compared (its editions made) and a site has one of them. The sites' routes are listed
/// only for pages still held: not for the edit's own, nor for those rendered first.
pub(super) fn asked_routes(good: &Good, following: &Following, asked: &HashSet<String>) -> Option<Vec<Vec<Route>>> {
    let Later::TouchedBut(_) = &following.later else { return None };
    let held: HashSet<String> = asked.iter().filter(|path| following.pending.holds(path)).cloned().collect();
    if held.is_empty() {
        return None;
    }
    let routes: Vec<Vec<Route>> =
        good.sites().map(|(site, _)| routes_at(site, &held).into_iter().map(|(route, _)| route).collect()).collect();
    routes.iter().any(|routes| !routes.is_empty()).then_some(routes)
}

impl Pending {
    /// No longer waits for these pages (output paths), rendered before the pages an edit
    /// touches are known.
    fn rendered_first(&mut self, paths: impl IntoIterator<Item = String>) {
        if let PendingPages::AllBut(own) = &mut self.pages {
            own.extend(paths);
        }
    }
}

impl Pipeline {
    /// Renders the `asked` pages (routes of each site, from [`asked_routes`]) alone, and
    /// serves them, before the pages the edit of `following` touches are worked out; they
    /// join its own pages. `photos` is what [`Self::make_photos`] made before. A page that
    /// fails takes the whole edit back.
    pub(super) fn render_asked_first(
        &mut self,
        mut following: Following,
        asked: Vec<Vec<Route>>,
        photos: Option<Outcome>,
    ) -> Outcome {
        let good = self.good.as_mut().expect("following pages belong to a good state");
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let mut diags = following.warnings.clone();
        following.items.resize_with(good.editions.len() + 1, Default::default);
        let pages = good.sites().zip(&asked).map(|((site, bodies), routes)| (site, bodies, &routes[..]));
        let files = (*good.files).clone();
        let Some((files, mut changed)) = files::render_sites(pages, theme, (files, &following.items), &mut diags)
        else {
            self.give_up(following);
            return self.fail(diags);
        };
        if let Some(Outcome::Built(photos)) = photos {
            changed.extend(photos.changed);
        }
        let made: Vec<String> = (good.sites().zip(&asked))
            .flat_map(|((site, _), routes)| routes.iter().map(|route| output_path(site, *route)))
            .collect();
        let rendered = made.len();
        following.pending.rendered_first(made);
        let Later::TouchedBut(own) = &mut following.later else { unreachable!("asked only before the comparison") };
        own.routes.iter_mut().zip(asked).for_each(|(own, asked)| own.extend(asked));
        let files = Arc::new(files);
        good.files = files.clone();
        let counts = (rendered, good.site.reports.len());
        let (warnings, pending) = (following.warnings.clone(), following.pending.clone());
        self.following = Some(following);
        Outcome::Built(Rebuilt::unresolved((files, changed), counts, warnings, pending))
    }
}
