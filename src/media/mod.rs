//! Photos: what the site does with each image file a page shows. JPEG, PNG and WebP are
//! decoded, turned upright by their EXIF orientation, converted to sRGB, resized to the
//! configured widths in linear light and written as lossy WebP with no metadata
//! ([`process`]); SVG and GIF are copied as they are ([`ImageKind::Copied`], with their
//! size from [`copied_dimensions`]). [`Cache`] keeps processed images between builds in
//! `.communique-cache/images/` so that an unchanged photo is never decoded twice.
//!
//! The library only returns values: the caller names the file in its diagnostics, and
//! decides where the variants are written.

mod cache;
mod copied;
mod decode;
mod error;
mod kinds;
mod resize;
mod webp;

pub use cache::{
    CACHE_DIR, Cache, Fetch, FetchError, Fetched, FetchedVariant, FileStamp, NewEntry, RunSummary, VariantContent,
};
pub use copied::{check_svg, copied_dimensions};
pub use error::{ImageError, ImageErrorKind};
pub use kinds::{ImageKind, ImageSettings, MAX_PIXELS, MAX_SIDE, image_kind};
pub use resize::{Prepared, Processed, Variant, prepare, process, variant_sizes};

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn kinds_by_extension_in_any_case() {
        assert_eq!(image_kind("meeting.jpg"), Some(ImageKind::Processed));
        assert_eq!(image_kind("reports/a/Meeting.JPEG"), Some(ImageKind::Processed));
        assert_eq!(image_kind("x.Png"), Some(ImageKind::Processed));
        assert_eq!(image_kind("/images/x.webp"), Some(ImageKind::Processed));
        assert_eq!(image_kind("map.SVG"), Some(ImageKind::Copied));
        assert_eq!(image_kind("anim.gif"), Some(ImageKind::Copied));
        assert_eq!(image_kind("notes.txt"), None);
        assert_eq!(image_kind("jpg"), None);
        assert_eq!(image_kind("dir.jpg/readme"), None);
        assert_eq!(image_kind("photo.jpg.bak"), None);
    }

    #[test]
    fn default_settings_are_the_spec_widths() {
        let settings = ImageSettings::default();
        assert_eq!(settings.widths, [480, 960, 1600]);
        assert_eq!(settings.quality, 80);
    }
}
