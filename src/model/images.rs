//! Images named in front matter (`image:`, `gallery:`) and in bodies (`![alt](src)`):
//! where each file is (relative to the report's folder, or a site path under static/) and
//! the rules resolve checks without reading it (an `alt`, a file of an image type inside
//! the site). Reading, processing and publishing the files is the media stage's
//! ([`crate::render::images`]).

use crate::diag::{Diagnostic, Message, msg};
use crate::load::Parsed;
use crate::load::raw::{RawImage, RawReport};
use crate::media::image_kind;
use crate::project::sources;

/// An image a page shows, as front matter gives it .
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Root-relative path of the file (`content/reports/2019-04-02-weihai/meeting.jpg`,
    /// `static/images/x.jpg`).
    pub file: String,
    /// Empty for a decorative image (`alt: ""`).
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where `src` is written in the source, for the errors found when the file is read.
    pub line: usize,
    pub col: usize,
}

/// A report's featured image and gallery, resolved.
#[derive(Debug, Default)]
pub struct ReportImages {
    pub image: Option<Image>,
    pub gallery: Vec<Image>,
}

/// One file an image is published as: its site path and size in pixels (0 × 0 for an
/// SVG whose size is not written in it).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFile {
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// Where each image the site's pages show is published, by root-relative source path.
#[derive(Debug, Default, PartialEq)]
pub struct MediaIndex {
    /// The files of each image, narrowest first: the widths of `images.widths` as WebP
    /// for a photo, the file itself for an SVG or GIF.
    pub images: std::collections::HashMap<String, Vec<PublishedFile>>,
    /// Images whose files could not be published (missing, broken: reported already),
    /// so that pages naming them are not reported a second time.
    pub failed: std::collections::HashSet<String>,
    /// Output paths of static files published resized instead of as they are (a photo in
    /// static/ keeps its metadata there): the static files copied leave them out.
    pub replaced: std::collections::HashSet<String>,
}

/// The featured image and gallery of a report, with an error (at the line of its `src`)
/// for each image without an `alt` or whose `src` cannot name an image of the site.
pub fn report_images(parsed: &Parsed<RawReport>, diags: &mut Vec<Diagnostic>) -> ReportImages {
    let mut resolve = |raw: &RawImage, key: &str| front_matter_image(parsed, raw, key).map_err(|d| diags.push(d)).ok();
    let image = parsed.meta.image.as_ref().and_then(|raw| resolve(raw, "image"));
    let gallery = parsed.meta.gallery.iter().filter_map(|raw| resolve(raw, "gallery")).collect();
    ReportImages { image, gallery }
}

fn front_matter_image(parsed: &Parsed<RawReport>, raw: &RawImage, key: &str) -> Result<Image, Diagnostic> {
    let (line, col) = src_position(parsed, &raw.src, key);
    let error = |message: Message| Diagnostic::error(&parsed.path, line, col, message);
    let file = image_file(&parsed.path, &raw.src).map_err(error)?;
    let Some(alt) = raw.alt.clone() else {
        return Err(error(msg!("the image \"{}\" has no `alt`", raw.src)).with_hint(
            "say what the picture shows for readers who cannot see it: `alt: Delegations at the table`; \
             `alt: \"\"` marks a decorative image",
        ));
    };
    Ok(Image {
        file,
        alt: alt.trim().to_string(),
        caption: non_empty(&raw.caption),
        credit: non_empty(&raw.credit),
        line,
        col,
    })
}

fn non_empty(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// Where an image's `src` is written: the line naming it after `key:` (or `key:` itself).
fn src_position(parsed: &Parsed<RawReport>, src: &str, key: &str) -> (usize, usize) {
    let (key_line, _) = crate::load::locate(parsed, &format!("{key}:"));
    let mut after_key = parsed.yaml.lines().enumerate().skip(key_line.saturating_sub(parsed.yaml_line));
    after_key
        .find_map(|(i, line)| line.find(src).map(|col| (parsed.yaml_line + i, line[..col].chars().count() + 1)))
        .unwrap_or_else(|| crate::load::locate(parsed, &format!("{key}:")))
}

/// The root-relative path of the image `src` names on the page whose source is `page`
/// (`content/reports/x/index.md`): a site path (`/images/a.jpg`) is under static/,
/// anything else is relative to the page's folder. An error (a sentence) for a web
/// address, a path leaving the site's content or static folders, or a file that is not an
/// image.
pub fn image_file(page: &str, src: &str) -> Result<String, Message> {
    let src = src.trim();
    if src.is_empty() {
        return Err(msg!("the image has an empty `src`"));
    }
    if is_web_address(src) {
        return Err(msg!(
            "the image \"{src}\" is on another site; save it in the report's folder so it is published with the report"
        ));
    }
    let joined = match src.strip_prefix('/') {
        Some(site_path) => format!("{}/{site_path}", sources::STATIC),
        None => format!("{}/{src}", page.rsplit_once('/').map_or("", |(folder, _)| folder)),
    };
    let file = normalise(&joined)
        .filter(|f| f.starts_with(&format!("{}/", sources::CONTENT)) || f.starts_with(&format!("{}/", sources::STATIC)))
        .ok_or_else(|| msg!("the image \"{src}\" is outside the site's content/ and static/ folders"))?;
    if image_kind(&file).is_none() {
        return Err(msg!("\"{src}\" is not an image: a JPEG, PNG, WebP, GIF or SVG file is expected"));
    }
    Ok(file)
}

/// The file an address in site.yaml or a registry (`photo:`) names: a site path
/// (`/images/a.jpg` or `images/a.jpg`) is under static/; `None` for a web address, which
/// is linked as it is.
pub fn given_image_file(address: &str) -> Option<String> {
    (!is_web_address(address)).then(|| format!("{}/{}", sources::STATIC, address.trim().trim_start_matches('/')))
}

/// Whether an image address is on the web (or inline) rather than a file of the site.
pub fn is_web_address(address: &str) -> bool {
    address.contains("://") || address.starts_with("//") || address.starts_with("data:")
}

/// `a/b/../c/./d` -> `a/c/d`; `None` when `..` climbs above the start or a part is hidden
/// (`.git`) or empty.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            "" => return None,
            p if p.starts_with('.') || p.contains('\\') => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_found_beside_the_report_or_under_static() {
        let page = "content/reports/2019-04-02-weihai/index.md";
        assert_eq!(image_file(page, "meeting.jpg").unwrap(), "content/reports/2019-04-02-weihai/meeting.jpg");
        assert_eq!(image_file(page, "./photos/a.PNG").unwrap(), "content/reports/2019-04-02-weihai/photos/a.PNG");
        assert_eq!(image_file(page, "../shared/map.svg").unwrap(), "content/reports/shared/map.svg");
        assert_eq!(image_file(page, "/images/x.webp").unwrap(), "static/images/x.webp");
        assert_eq!(image_file("content/reports/a.md", "a.gif").unwrap(), "content/reports/a.gif");
    }

    #[test]
    fn sources_outside_the_site_or_not_images_are_refused() {
        let page = "content/reports/x/index.md";
        for bad in ["../../../site.yaml", "../../../../etc/passwd.jpg", "/../data/a.jpg", "https://e.org/a.jpg"] {
            assert!(image_file(page, bad).is_err(), "{bad} accepted");
        }
        assert!(image_file(page, "notes.txt").unwrap_err().as_str().contains("not an image"));
        assert!(image_file(page, ".hidden/a.jpg").is_err());
        assert!(image_file(page, "  ").is_err());
    }
}
