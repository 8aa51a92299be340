//! `serve`'s fast path for translations of reports edited in their body alone: the
//! edition of their language takes the new text in place, renders that body and the
//! report's page in the language (and the lists showing its first paragraph, when that
//! changed), and nothing is resolved again. The translation's front matter is as it was,
//! so it agrees with its original as before (model::translations).

use std::sync::Arc;

use super::{Outcome, Pipeline, Rebuilt, StaticChanges, files};
use crate::diag::Diagnostics;
use crate::model::{ReportId, Site};
use crate::render::markdown::RenderedBody;
use crate::render::{self, Route};

/// A translation edited in its body: where its text lives in the site and its edition,
/// and its new text.
struct TranslationEdit {
    /// The original report, and the translation's place among its translations.
    original: ReportId,
    translation: usize,
    /// The edition of the translation's language, and the report's id there.
    edition: usize,
    report: ReportId,
    body: crate::load::body::Body,
    body_line: usize,
}

/// What an applied [`TranslationEdit`] replaced, to put back if rendering fails.
struct Replaced {
    body: crate::load::body::Body,
    body_line: usize,
    rendered: RenderedBody,
}

impl Pipeline {
    /// Applies edits of translations' bodies (site paths `rels`) in place, or resolves the
    /// whole site when one of them is not where the last good site has it.
    pub(super) fn rebuild_translation_bodies(&mut self, rels: &[String], statics: &StaticChanges) -> Outcome {
        let Some(edits) = self.plan_translation_edits(rels) else {
            return self.resolve_and_render(super::Laps::start(), false, statics, rels);
        };
        let good = self.good.as_mut().expect("checked by the caller");
        let theme = self.theme.as_ref().expect("checked by source_errors");
        let (mut diags, stale_before) = (good.warnings.clone(), good.stale.clone());
        let (replaced, routes): (Vec<Replaced>, Vec<Vec<Route>>) =
            edits.iter().map(|edit| good.apply_translation(edit, &mut diags)).unzip();
        let rendered = (!diags.has_errors()).then(|| {
            let pages = edits.iter().zip(&routes).map(|(edit, routes)| {
                let (site, bodies) = &good.editions[edit.edition];
                (site, bodies, &routes[..])
            });
            files::render_sites(pages, theme, ((*good.files).clone(), &[]), &mut diags)
        });
        let Some((mut files, mut changed)) = rendered.flatten() else {
            for (edit, was) in edits.iter().zip(replaced).rev() {
                good.put_back_translation(edit, was);
            }
            good.stale = stale_before;
            return self.fail(diags);
        };
        changed.extend(files::refresh_statics(&mut files, theme, statics, &good.site));
        good.files = Arc::new(files);
        let (files, reports, rendered) =
            (good.files.clone(), good.site.reports.len(), routes.iter().map(Vec::len).sum());
        let warnings = super::warnings_only(diags);
        Outcome::Built(Rebuilt::unresolved((files, changed), (rendered, reports), warnings, Default::default()))
    }

    /// Where each translation of `rels` lives in the last good site and its editions, with
    /// its new text; `None` when one of them is not there (a draft's, one that failed).
    fn plan_translation_edits(&self, rels: &[String]) -> Option<Vec<TranslationEdit>> {
        let good = self.good.as_ref().expect("checked by the caller");
        let plan = |rel: &String| {
            let translated = self.sources.translation(&self.project, rel)?;
            let original = good.site.report_by_source(&translated.original)?;
            let translations = &good.site.report(original).translations;
            let translation = translations.iter().position(|t| t.source == *rel)?;
            let edition = good.editions.iter().position(|(s, _)| s.config.language == translated.language)?;
            let report = good.editions[edition].0.report_by_source(&translated.original)?;
            let (body, body_line) = (translated.parsed.body.clone(), translated.parsed.body_line);
            Some(TranslationEdit { original, translation, edition, report, body, body_line })
        };
        rels.iter().map(plan).collect()
    }
}

impl super::Good {
    /// Puts `edit`'s text into the site and its edition and renders the body there.
    /// Returns what it replaced and the edition's pages to render: the report's own, and
    /// those listing it when its first paragraph (its summary there) changed.
    fn apply_translation(&mut self, edit: &TranslationEdit, diags: &mut Diagnostics) -> (Replaced, Vec<Route>) {
        self.prints.clear();
        let t =
            &mut std::sync::Arc::make_mut(&mut self.site.reports[edit.original.index()].translations)[edit.translation];
        (t.body, t.body_line) = (edit.body.clone(), edit.body_line);
        let (site, bodies) = &mut self.editions[edit.edition];
        let report = &mut site.reports[edit.report.index()];
        let body = std::mem::replace(&mut report.body, edit.body.clone());
        let body_line = std::mem::replace(&mut report.body_line, edit.body_line);
        let (rendered, body_diags) = render::render_report_body(site, &bodies.link_targets, edit.report);
        diags.extend(body_diags);
        let rendered = std::mem::replace(&mut bodies.reports[edit.report.index()], rendered);
        let mut routes = vec![Route::Report(edit.report)];
        let new = &bodies.reports[edit.report.index()];
        if site.report(edit.report).summary.is_none() && rendered.first_paragraph != new.first_paragraph {
            routes.extend(super::deps::routes_listing(site, edit.report));
            // Data exports carry summaries.
            self.stale.summaries = true;
        }
        // Feeds carry each report's body: those showing it, in each language, are made again.
        self.stale.bodies.insert(edit.original);
        (Replaced { body, body_line, rendered }, routes)
    }

    /// Takes back [`Self::apply_translation`].
    fn put_back_translation(&mut self, edit: &TranslationEdit, was: Replaced) {
        self.prints.clear();
        let (site, bodies): &mut (Site, _) = &mut self.editions[edit.edition];
        let report = &mut site.reports[edit.report.index()];
        let t =
            &mut std::sync::Arc::make_mut(&mut self.site.reports[edit.original.index()].translations)[edit.translation];
        (t.body, t.body_line) = (was.body.clone(), was.body_line);
        (report.body, report.body_line) = (was.body, was.body_line);
        bodies.reports[edit.report.index()] = was.rendered;
    }
}
