//! Editions made after the reload message. In a site in several languages, an edit that
//! resolves the site (a date, a new official or city, a new or deleted report) makes
//! every edition again: at 10,000 reports in three languages that took as long as the
//! resolve itself. When the edited reports are originals in the default language (or the
//! edit changed registry entries), their own pages in that language (the entries' people
//! and cities) go before the reload alone, with their links to the other languages worked
//! out from the translations (`render::pages::own_language_pages`);
//! the editions follow it, their Markdown and the edit's own pages in each edition
//! first ([`Pipeline::render_following`]'s first step, served at once: a tab showing the
//! report in another language waits for no more), then every page the edit touches in
//! every language. Meanwhile a request for any of those pages waits. An edition whose
//! Markdown fails takes the whole edit back, as a page that fails to render after the
//! reload does.

use std::sync::Arc;

use super::{
    Diagnostics, Edited, Following, Later, Outcome, OwnPages, Pipeline, Rebuilt, Site, StaticChanges, Undo,
    edition_bodies, files, gone_pages, own_routes, pending_pages, registries_edited, warnings_only,
};
use crate::output::Files;
use crate::render;

/// What making the editions after the reload needs to know of the edit.
pub(super) struct LaterEditions {
    /// The site paths of the files the save edited.
    edited: Vec<String>,
    /// Whether the editions before the edit hold figures written by the theme (see
    /// `render::language_sites`), as the pipeline's memory said before the edit.
    earlier_current: bool,
}

impl LaterEditions {
    pub(super) fn of(edited: &[String], earlier_current: bool) -> LaterEditions {
        LaterEditions { edited: edited.to_vec(), earlier_current }
    }
}

impl Pipeline {
    /// The own pages of an edit in the default language, when they alone go before the
    /// reload message and the editions after it: in a site in several languages that
    /// has a last good state to compare with, in the same languages and with the same
    /// photos, after an edit that edited a report in the default language, deleted one,
    /// or changed an entry of a registry (its person's or city's first page goes first).
    pub(super) fn own_pages_in_default_language(
        &self,
        everything: bool,
        edited: &[String],
        site: &Site,
    ) -> Option<OwnPages> {
        let good = self.good.as_ref().filter(|_| !everything)?;
        let languages = |s: &Site| (s.config.language.clone(), s.config.languages.keys().cloned().collect::<Vec<_>>());
        let same_languages =
            languages(&good.site) == languages(site) && good.editions.len() == site.config.languages.len();
        if site.config.languages.is_empty() || !same_languages || good.site.media != site.media {
            return None;
        }
        let registries = registries_edited(edited);
        let edited = Edited::new(edited);
        let routes = own_routes(site, &good.site, &edited, registries);
        let gone = gone_pages(&good.site, site, &edited);
        (!routes.is_empty() || !gone.is_empty()).then(|| OwnPages { routes: vec![routes], gone })
    }

    /// The rest of a resolve when the `own` pages go before the reload in the default
    /// language alone: the site's figures written, its Markdown, its own pages rendered
    /// with their links to the other languages; the editions are left for `later`.
    pub(super) fn render_default_first(
        &mut self,
        (mut site, own, later): (Site, OwnPages, LaterEditions),
        (statics, media, photos): (&StaticChanges, Files, Vec<render::images::DeferredPhoto>),
        mut diags: Diagnostics,
        mut laps: super::Laps,
    ) -> super::Outcome {
        let theme = self.theme.as_ref().expect("checked by source_errors");
        render::localise_figures(&mut site, theme);
        site.edition.languages = Arc::new(render::pages::own_language_pages(&site, &own.routes[0]));
        laps.lap("languages");
        let bodies = self.markdown(&site, &mut diags);
        laps.lap("markdown");
        if diags.has_errors() {
            return self.fail(diags);
        }
        let plans = vec![(&site, &bodies, own.routes[0].clone())];
        laps.lap("plan");
        let Some((files, changed)) = self.render_resolved(&plans, statics, media, Some(&own), &mut diags) else {
            return self.fail(diags);
        };
        laps.lap("render");
        let rendered = own.routes[0].len();
        // Every page but these own ones waits: the state before is kept to compare with.
        let after = (Later::TouchedBut(own), photos, Some(later));
        self.keep_resolved((site, bodies, Vec::new()), (files, changed, rendered), diags, after, laps)
    }

    /// The first step of the pages that follow the reload message when the editions
    /// were left for it ([`Self::render_default_first`]): the editions made, then the
    /// edit's own pages in each of them rendered (and a deleted report's removed) and
    /// served at once; the pages the edit touches are left for the next step, and wait.
    /// `photos` is what [`Self::make_photos`] made before. An edition that fails takes
    /// the whole edit back.
    pub(super) fn render_editions_first(&mut self, mut following: Following, photos: Option<Outcome>) -> Outcome {
        let later = following.editions.take().expect("called for editions left to make");
        if let Err(diags) = self.make_later_editions(&mut following, later.earlier_current) {
            self.give_up(following);
            return self.fail(diags);
        }
        let Later::TouchedBut(own) = &mut following.later else { unreachable!("editions follow their own pages") };
        let Undo::Resolve(before) = &following.undo else { unreachable!("editions are left only by a resolve") };
        let good = self.good.as_mut().expect("following pages belong to a good state");
        let (edited, registries) = (Edited::new(&later.edited), registries_edited(&later.edited));
        let mut files = (*good.files).clone();
        let mut changed = Vec::new();
        for ((edition, _), (old, _)) in good.editions.iter().zip(&before.editions) {
            own.routes.push(own_routes(edition, old, &edited, registries));
            let gone = gone_pages(old, edition, &edited);
            changed.extend(gone.iter().filter(|p| files.remove(*p).is_some()).cloned());
            own.gone.extend(gone);
        }
        let pages = good.editions.iter().zip(&own.routes[1..]).map(|((s, b), routes)| (s, b, &routes[..]));
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let mut diags = following.warnings.clone();
        let Some((files, rendered)) = files::render_sites(pages, theme, (files, &[]), &mut diags) else {
            self.give_up(following);
            return self.fail(diags);
        };
        changed.extend(rendered);
        if let Some(Outcome::Built(photos)) = photos {
            changed.extend(photos.changed);
        }
        let rendered = own.routes[1..].iter().map(Vec::len).sum();
        following.pending = pending_pages(&good.site, &good.editions, &following.later);
        let (files, pending) = (Arc::new(files), following.pending.clone());
        good.files = files.clone();
        let (reports, warnings) = (good.site.reports.len(), following.warnings.clone());
        self.following = Some(following);
        Outcome::Built(Rebuilt::unresolved((files, changed), (rendered, reports), warnings, pending))
    }

    /// Makes the editions `following` left for after the reload message: each edition
    /// of the site made and its Markdown rendered, reusing the figures (when
    /// `earlier_current`) and bodies of the editions before the edit, and every
    /// language's pages known to every site. Returns the errors of the editions'
    /// Markdown, with the warnings, when there are any.
    fn make_later_editions(&mut self, following: &mut Following, earlier_current: bool) -> Result<(), Diagnostics> {
        let Undo::Resolve(before) = &following.undo else { unreachable!("editions are left only by a resolve") };
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let good = self.good.as_mut().expect("following pages belong to a good state");
        good.prints.clear();
        let earlier: Vec<&Site> = before.editions.iter().filter(|_| earlier_current).map(|(s, _)| s).collect();
        let editions = render::editions_of(&mut good.site, Some(theme), &earlier);
        let mut diags = following.warnings.clone();
        good.editions = edition_bodies(editions, &before.editions, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        following.warnings = warnings_only(diags);
        good.warnings = following.warnings.clone();
        Ok(())
    }
}
