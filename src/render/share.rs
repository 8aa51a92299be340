//! The picture a link to a page shows in previews (`og:image`, `twitter:card`): the
//! report's featured image, the person's photo, or else site.yaml's `image:`, as an
//! absolute address.

use serde::Serialize;

use super::Route;
use super::picture::{ImageView, given_image};
use super::view::Linker;

/// The picture shared with a link to a page (`og:image`, `twitter:card`): the report's
/// featured image, the person's photo, or else site.yaml's `image:`.
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    /// Absolute (with `base_url`), as link previews need.
    pub url: String,
    pub alt: String,
    /// 0 when not known (an SVG without a size, a web address).
    pub width: u32,
    pub height: u32,
}

/// The [`ShareImage`] of the page `route`, if the site has `base_url` and a picture for it.
pub fn share_image(l: &Linker, route: Route) -> Option<ShareImage> {
    let site = l.site;
    let base = site.config.base_url.trim().trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let own = match route {
        Route::Report(id) => site.report(id).image.as_ref().and_then(|i| l.image(i)),
        Route::Person(id, _) => l.person_photo(id),
        _ => None,
    };
    let view = own.or_else(|| site_image(l))?;
    let url =
        if crate::model::images::is_web_address(&view.path) { view.path } else { format!("{base}/{}", view.path) };
    Some(ShareImage { url, alt: view.alt, width: view.width, height: view.height })
}

/// site.yaml's `image:` as published (or as written, for a web address).
fn site_image(l: &Linker) -> Option<ImageView> {
    given_image(l.site, l.from, l.site.config.image.as_deref()?, l.site.config.title.clone())
}
