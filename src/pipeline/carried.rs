//! Pages carried from one edit to the next. When the author saves again while the pages
//! that follow an edit's reload message are rendered, `serve` stops between two batches
//! ([`Pipeline::render_following_until`]) rather than make the new save wait for all of
//! them. The next rebuild takes the pages still to render as output paths ([`Owed`]): they
//! keep waiting (requests for them are held) through its reload message, and after it
//! they are rendered from the new state with the pages the new edit touches. A following
//! that fails takes its own edit back and leaves the pages it owed for the next rebuild
//! that succeeds ([`Pipeline::give_up`]); so does a save that fails after changing the
//! theme or the configuration ([`Pipeline::carry`]: the theme those pages were to be
//! rendered with is gone). A save that fails otherwise, or changes nothing, leaves the
//! stopped following as it was, to go on.
//!
//! Only a following whose pages are known as routes may wait: not before the editions of
//! a resolve are made, the pages it touches worked out, or its photos made.

use std::collections::HashSet;

use super::{Following, Good, Later, Outcome, Pending, PendingPages, Pipeline, Rebuilt, Undo, files, output_path};
use crate::output::Files;
use crate::render::Route;

/// Output paths whose served bytes are of a state before the current one: pages an
/// earlier edit left to follow, or that a failed following left behind.
#[derive(Default)]
pub(super) struct Owed {
    pub(super) paths: HashSet<String>,
    /// Whether they are among the following's routes yet ([`place_owed`]).
    pub(super) placed: bool,
}

impl Following {
    /// Whether its pages may wait for the next rebuild: they are routes known as output
    /// paths, with no edition, photo or comparison of states left to make first.
    pub(super) fn may_wait(&self) -> bool {
        self.editions.is_none()
            && self.photos.is_empty()
            && self.pending.photos.is_empty()
            && matches!(self.later, Later::Routes(_))
            && matches!(self.pending.pages, PendingPages::These(_))
    }

    /// A following of owed pages alone, after a rebuild (`built`) that left nothing to
    /// follow of its own: failing, it has nothing to take back.
    fn owed_only(good: &Good, built: &Rebuilt) -> Following {
        let undo = Undo::InPlace { reports: Vec::new(), files: good.files.clone(), stale: good.stale.clone() };
        Following::new(
            (Later::Routes(Vec::new()), undo, built.warnings.clone()),
            (Vec::new(), Pending::default()),
            None,
        )
    }
}

impl Pending {
    /// Adds pages (output paths) to wait for; every page but some already waits.
    fn add_pages(&mut self, paths: &HashSet<String>) {
        if let PendingPages::These(pending) = &mut self.pages {
            pending.extend(paths.iter().cloned());
        }
    }

    /// No longer waits for these pages (output paths): the site has them no more.
    fn drop_pages(&mut self, paths: &[String]) {
        if let PendingPages::These(pending) = &mut self.pages {
            paths.iter().for_each(|path| {
                pending.remove(path);
            });
        }
    }
}

impl Pipeline {
    /// The output paths of the pages `stopped` has yet to render (see
    /// [`Following::may_wait`]), letting go of what could take back its edit (freed away
    /// from the rebuild whose reload message waits: [`Self::retire`]).
    fn pages_left(&self, stopped: Following) -> HashSet<String> {
        self.retire(stopped.undo);
        match stopped.pending.pages {
            PendingPages::These(paths) => paths.into_iter().collect(),
            PendingPages::AllBut(_) => unreachable!("only a following that may wait is carried"),
        }
    }

    /// Takes the pages still to follow the last rebuild when they may wait for the next
    /// one ([`Following::may_wait`]); [`Self::carry`] gives them to it.
    pub(super) fn stop_following(&mut self) -> Option<Following> {
        self.following.take_if(|following| following.may_wait())
    }

    /// `outcome`, the rebuild after `stopped` (what [`Self::stop_following`] took), with
    /// the pages owed by that and by earlier failed followings added to what follows it.
    /// When nothing was kept (a failure, nothing changed), `stopped` follows as it was,
    /// unless the `theme_changed` (or the configuration): its pages then wait for the next
    /// rebuild that succeeds, the theme they were to be rendered with being gone.
    pub(super) fn carry(
        &mut self,
        (stopped, theme_changed): (Option<Following>, bool),
        mut outcome: Outcome,
    ) -> Outcome {
        let Outcome::Built(built) = &mut outcome else {
            if let Some(mut stopped) = stopped {
                if theme_changed || self.good.is_none() {
                    let left = self.pages_left(stopped);
                    self.owed.extend(left);
                } else {
                    // The site is as it was; its items are made again all the same.
                    stopped.items.clear();
                    self.following = Some(stopped);
                }
            }
            return outcome;
        };
        let mut owed = std::mem::take(&mut self.owed);
        if let Some(stopped) = stopped {
            owed.extend(self.pages_left(stopped));
        }
        if owed.is_empty() {
            return outcome;
        }
        let good = self.good.as_ref().expect("a built outcome keeps a good state");
        let following = self.following.get_or_insert_with(|| Following::owed_only(good, built));
        following.pending.add_pages(&owed);
        following.owed = Owed { paths: owed, placed: false };
        built.following = following.pending.clone();
        outcome
    }

    /// Takes back the edit of `following`, one of whose files failed, keeping what it owed
    /// for the next rebuild: those pages are still of an earlier state.
    pub(super) fn give_up(&mut self, following: Following) {
        self.take_back(following.undo);
        self.owed.extend(following.owed.paths);
    }
}

/// Puts the pages `following` owes among its `routes` (each site's, as the sites of `good`
/// come), once; an owed page the site no longer has is removed from `files` instead, and
/// waited for no more. Returns the paths removed.
pub(super) fn place_owed(
    good: &Good,
    routes: &mut Vec<Vec<Route>>,
    following: &mut Following,
    files: &mut Files,
) -> Vec<String> {
    let owed = &mut following.owed;
    if std::mem::replace(&mut owed.placed, true) || owed.paths.is_empty() {
        return Vec::new();
    }
    let sites: Vec<_> = good.sites().map(|(site, _)| site).collect();
    routes.resize_with(sites.len(), Vec::new);
    let mut placed = HashSet::new();
    for (site, routes) in sites.into_iter().zip(routes.iter_mut()) {
        let listed: HashSet<String> = routes.iter().map(|route| output_path(site, *route)).collect();
        for (route, path) in super::asked::routes_at(site, &owed.paths) {
            if placed.insert(path.clone()) && !listed.contains(&path) {
                routes.push(route);
            }
        }
    }
    let gone: Vec<String> = owed.paths.iter().filter(|path| !placed.contains(*path)).cloned().collect();
    files::remove_pages(files, &gone);
    following.pending.drop_pages(&gone);
    gone
}
