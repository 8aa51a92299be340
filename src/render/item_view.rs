//! The theme's view of a report in lists (`partials/report_item.html`): rendered once per
//! report, page depth and language, and handed to list templates as `item.html`.
//!
//! A report is listed on many pages (its people's, its cities', its country's, its
//! topics', the home pages, its neighbours' related lists): at 10,000 reports about
//! 200,000 entries, of which only some 30,000 differ (links depend only on the depth of
//! the page, see [`super::route::relative_url`]). Rendering the entry once per depth,
//! as Hugo renders a content view (`.Render "li"`) once per page, spares the rest. The
//! view sees `item`, `site`, the page's language and the theme's functions and filters;
//! nothing of the page that lists it, which is what makes it the same on every page.

use tera::Value;

use super::theme::{self, Theme};
use crate::diag::Diagnostic;
use crate::model::Site;

/// The template of the view, looked up in the theme (the site's own templates first).
pub const ITEM_VIEW_TEMPLATE: &str = "partials/report_item.html";

/// The attribute of a report item that holds its rendered view.
const HTML: &str = "html";

/// The theme's report-item view and what it is rendered with in one language.
pub struct ItemView<'t> {
    theme: &'t Theme,
    /// `site` and the page's language: everything the view sees but `item`.
    context: tera::Context,
}

impl<'t> ItemView<'t> {
    /// The view of `theme` for the pages of one language, seen with `context` (`site` and
    /// the language: see [`ItemView::context`]), if the theme has one and some template
    /// reads `item.html` (a theme that only includes its partial gains nothing).
    pub fn of(theme: &'t Theme, context: impl FnOnce() -> tera::Context) -> Option<Self> {
        if !theme.tera.contains_template(ITEM_VIEW_TEMPLATE) || !theme.mentions.has_attribute(HTML) {
            return None;
        }
        Some(ItemView { theme, context: context() })
    }

    /// What a view sees besides `item`: `site` (its template value) and the language of
    /// `site`, the one `t`, `date_range` and `url_for` work in.
    pub fn context(site: &Site, site_value: &impl serde::Serialize) -> tera::Context {
        let mut context = tera::Context::new();
        context.insert("site", site_value);
        context.insert(theme::PAGE_LANGUAGE, &site.config.language);
        context.insert(theme::LANGUAGE_FOLDER, &site.edition.prefix);
        context
    }

    /// `item` with its view rendered for pages at the depth of `from` (`url_for` makes
    /// links relative to it), as `item.html`: a safe string, printed as it is.
    pub fn add_to(&self, item: Value, from: &str) -> Result<Value, Diagnostic> {
        let mut context = self.context.clone();
        context.insert_value("item", item.clone());
        context.insert("current_path", &placeholder_path(from));
        let html = (self.theme.tera.render(ITEM_VIEW_TEMPLATE, &context))
            .map_err(|e| theme::template_error(&self.theme.origins, &e))?;
        // Dropped first, so that the item's map is no longer shared and is not copied.
        drop(context);
        if item.as_map().is_none() {
            return Ok(item);
        }
        let mut map = item.into_map().unwrap_or_default();
        map.insert(HTML.into(), Value::safe_string(&html));
        Ok(Value::from(map))
    }
}

/// A path as deep as `from` (`_/_/` for `people/wang-luming/`), for `url_for`, which makes
/// links relative to `current_path`. Not `from` itself: the view is rendered for whichever
/// page of that depth lists the report first, which varies from run to run, and a view
/// that printed `current_path` would make the output vary with it.
fn placeholder_path(from: &str) -> String {
    "_/".repeat(from.bytes().filter(|b| *b == b'/').count())
}

#[cfg(test)]
mod tests {
    use super::placeholder_path;

    #[test]
    fn the_placeholder_path_is_as_deep_as_the_page() {
        assert_eq!(placeholder_path(""), "");
        assert_eq!(placeholder_path("404.html"), "");
        assert_eq!(placeholder_path("people/wang-luming/"), "_/_/");
        assert_eq!(placeholder_path("ru/people/wang-luming/page/2/"), "_/_/_/_/_/");
    }
}
