//! What the site does with an image file ([`image_kind`]), the settings that change a
//! photo's output ([`ImageSettings`]) and the limits of what is decoded.

/// The largest image decoded, in pixels: 64 megapixels covers every full-frame and APS-C
/// camera sold (the largest, 61 MP, is 9504 × 6336), and bounds the memory of one image in
/// flight to about 0.8 GB (its 8-bit pixels plus the 16-bit linear copy resized from).
/// Larger files (medium-format, stitched panoramas) are to be downsized before publishing.
pub const MAX_PIXELS: u64 = 64_000_000;

/// The longest side decoded, in pixels: WebP's own limit is 16,383 per side, and a side
/// this long already allows a 4:1 panorama within [`MAX_PIXELS`]. Checked from the header
/// (through `image::Limits`) before anything is allocated.
pub const MAX_SIDE: u32 = 16_384;

/// The settings that change the output: part of the cache key. Also `images:` in
/// site.yaml, which project.rs checks (widths 1–8192, quality 1–100).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImageSettings {
    /// The widths of the variants, in pixels; order and repeats do not matter.
    pub widths: Vec<u32>,
    /// WebP quality, 0–100.
    pub quality: u8,
}

impl Default for ImageSettings {
    /// Widths 480 (phones and report cards at 1×), 960 (phones at 2×, the text column at
    /// 1×) and 1600 (the text column and featured images on 2× screens), as SPEC §7 says.
    /// Quality 80 rather than libwebp's 75: press photos show faces and text on banners,
    /// where 75 starts to blur detail, for about 10% more bytes.
    fn default() -> Self {
        ImageSettings { widths: vec![480, 960, 1600], quality: 80 }
    }
}

/// What the site does with an image file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG, PNG, WebP: resized and written as WebP variants by [`super::process`].
    Processed,
    /// SVG (already scalable) and GIF (possibly animated): copied unchanged.
    Copied,
}

/// The kind of image a path names, by its extension (any case); `None` when it is not an
/// image the site knows.
pub fn image_kind(path: &str) -> Option<ImageKind> {
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (_, extension) = file_name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "png" | "webp" => Some(ImageKind::Processed),
        "svg" | "gif" => Some(ImageKind::Copied),
        _ => None,
    }
}
