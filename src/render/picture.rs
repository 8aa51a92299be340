//! A published image as pages show it: the `<img>` of a body's picture and the
//! [`ImageView`] templates receive, both from the files the media stage published
//! ([`crate::render::images`]): the widest as `src`, every width in `srcset`, and the
//! size (`width`, `height`) so the page does not move when the picture arrives.

use serde::Serialize;

use super::route::relative_url;
use crate::model::images::PublishedFile;
use crate::model::{Image, Site};

/// An image in a template's context (a report's `image` and `gallery`, a person's `photo`).
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// The widest file, relative to the page.
    pub src: String,
    /// Every width: `a-480.webp 480w, a-960.webp 960w` (empty for an SVG or GIF).
    pub srcset: String,
    /// The widest file's size in pixels (0 when an SVG does not say).
    pub width: u32,
    pub height: u32,
    /// What the picture shows; empty for a decorative image.
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The widest file as a site path, for absolute addresses (`og:image`).
    pub path: String,
    /// The narrowest file, for a picture drawn small (a card's thumbnail).
    pub small: SmallImage,
}

/// One file of an image with its size: the narrowest, which is enough for a picture drawn
/// at a third of its width or less (three device pixels to the CSS pixel), and saves
/// every list page a `srcset`.
#[derive(Debug, Clone, Serialize)]
pub struct SmallImage {
    /// Relative to the page.
    pub src: String,
    pub width: u32,
    pub height: u32,
}

/// The view of `image` on the page at `page_path`, or `None` when it was not published
/// (its error is reported).
pub fn image_view(image: &Image, files: Option<&[PublishedFile]>, page_path: &str) -> Option<ImageView> {
    let files = files.filter(|f| !f.is_empty())?;
    let (narrowest, widest) = (files.first()?, files.last()?);
    let small = SmallImage {
        src: relative_url(page_path, &narrowest.path, false),
        width: narrowest.width,
        height: narrowest.height,
    };
    Some(ImageView {
        src: relative_url(page_path, &widest.path, false),
        srcset: srcset(files, page_path),
        width: widest.width,
        height: widest.height,
        alt: image.alt.clone(),
        caption: image.caption.clone(),
        credit: image.credit.clone(),
        path: widest.path.clone(),
        small,
    })
}

/// The view of `image` as the media stage published it for `site`, on the page at
/// `page_path`; `None` when it was not published (its error is reported).
pub fn image_of(site: &Site, image: &Image, page_path: &str) -> Option<ImageView> {
    image_view(image, site.media.images.get(&image.file).map(Vec::as_slice), page_path)
}

/// An image given by address in site.yaml or a registry (`photo:`): a web address as it
/// is, a site path (`/images/a.jpg`, static/images/a.jpg) as the media stage published it.
pub fn given_image(site: &Site, page_path: &str, address: &str, alt: String) -> Option<ImageView> {
    match crate::model::images::given_image_file(address) {
        Some(file) => image_of(site, &Image { file, alt, caption: None, credit: None, line: 0, col: 0 }, page_path),
        None => Some(web_image(address, alt)),
    }
}

/// An image elsewhere on the web, linked as it is (its size unknown).
fn web_image(url: &str, alt: String) -> ImageView {
    let url = url.to_string();
    ImageView {
        small: SmallImage { src: url.clone(), width: 0, height: 0 },
        src: url.clone(),
        srcset: String::new(),
        width: 0,
        height: 0,
        alt,
        caption: None,
        credit: None,
        path: url,
    }
}

/// `a-480.webp 480w, a-960.webp 960w`, relative to the page; empty for one file.
pub fn srcset(files: &[PublishedFile], page_path: &str) -> String {
    if files.len() < 2 {
        return String::new();
    }
    let entries = files.iter().map(|f| format!("{} {}w", relative_url(page_path, &f.path, false), f.width));
    entries.collect::<Vec<_>>().join(", ")
}

/// The `<img>` of a picture published as `files` on the page at `page_path`, its text
/// escaped; `lazy` for a picture below the first screen.
pub fn img_tag(files: &[PublishedFile], page_path: &str, alt: &str, sizes: &str, lazy: bool) -> String {
    let escape = |text: &str| {
        let mut out = String::with_capacity(text.len());
        let _ = pulldown_cmark_escape::escape_html(&mut out, text);
        out
    };
    let Some(widest) = files.last() else { return String::new() };
    let mut html = format!("<img src=\"{}\"", escape(&relative_url(page_path, &widest.path, false)));
    let srcset = srcset(files, page_path);
    if !srcset.is_empty() {
        html.push_str(&format!(" srcset=\"{}\" sizes=\"{}\"", escape(&srcset), escape(sizes)));
    }
    if widest.width > 0 && widest.height > 0 {
        html.push_str(&format!(" width=\"{}\" height=\"{}\"", widest.width, widest.height));
    }
    html.push_str(&format!(" alt=\"{}\"", escape(alt)));
    if lazy {
        html.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    html.push('>');
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<PublishedFile> {
        vec![
            PublishedFile { path: "reports/weihai/meeting-480.webp".into(), width: 480, height: 320 },
            PublishedFile { path: "reports/weihai/meeting-960.webp".into(), width: 960, height: 640 },
        ]
    }

    #[test]
    fn the_img_names_every_width_relative_to_the_page_and_its_size() {
        let html = img_tag(&files(), "reports/weihai/", "Talks \"at\" <Weihai>", "100vw", true);
        assert_eq!(
            html,
            "<img src=\"../../reports/weihai/meeting-960.webp\" srcset=\"../../reports/weihai/meeting-480.webp 480w, \
             ../../reports/weihai/meeting-960.webp 960w\" sizes=\"100vw\" width=\"960\" height=\"640\" \
             alt=\"Talks &quot;at&quot; &lt;Weihai&gt;\" loading=\"lazy\" decoding=\"async\">"
        );
        let from_elsewhere = img_tag(&files()[..1], "people/ma-lixin/", "", "100vw", false);
        assert_eq!(
            from_elsewhere,
            "<img src=\"../../reports/weihai/meeting-480.webp\" width=\"480\" height=\"320\" alt=\"\">"
        );
    }
}
