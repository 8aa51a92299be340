//! Making the variants of a photo: the widths it gets ([`variant_sizes`]) and [`process`]
//! (or [`prepare`], then each [`Prepared::variant`] when they are made apart), which
//! decodes it once, resizes it to each width with a Lanczos3 filter in linear light
//! (sRGB decoded to 16-bit linear values once, each variant encoded back to sRGB, so that
//! dark and bright detail average as light does, not as sRGB numbers do) and encodes each
//! variant as lossy WebP.

use std::sync::OnceLock;

use rayon::prelude::*;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelComponentMapper, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::decode::{Decoded, decode};
use super::error::{ImageError, ImageErrorKind};
use super::kinds::ImageSettings;
use super::webp;
use crate::diag::msg;

/// One resized copy of an image, as WebP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// A complete WebP file with no metadata chunk.
    pub bytes: Vec<u8>,
}

/// A processed image: the size of the source as shown (after its EXIF orientation) and its
/// variants, ascending by width (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// Decodes a JPEG, PNG or WebP and makes its WebP variants. The same bytes and settings
/// give the same output, byte for byte.
pub fn process(bytes: &[u8], settings: &ImageSettings) -> Result<Processed, ImageError> {
    prepare(bytes, settings)?.into_processed()
}

/// Decodes a JPEG, PNG or WebP for [`Prepared::variant`]: what can fail on a bad file
/// fails here, and the sizes of its variants are known.
pub fn prepare(bytes: &[u8], settings: &ImageSettings) -> Result<Prepared, ImageError> {
    let decoded = decode(bytes)?;
    let sizes = variant_sizes(decoded.width, decoded.height, &settings.widths);
    let (srgb_type, linear_type) = pixel_types(decoded.alpha);
    let needs_resizing = sizes.iter().any(|&size| size != (decoded.width, decoded.height));
    let linear = if needs_resizing {
        let source = ImageRef::new(decoded.width, decoded.height, &decoded.pixels, srgb_type).map_err(internal)?;
        let mut linear = Image::new(decoded.width, decoded.height, linear_type);
        srgb_mapper().forward_map(&source, &mut linear).map_err(internal)?;
        Some(linear)
    } else {
        None
    };
    Ok(Prepared { decoded, linear, sizes, quality: settings.quality })
}

/// A photo decoded, with its pixels in linear light when it is to be resized: each
/// variant is made from it alone ([`Prepared::variant`]), so they can be made in any
/// order, side by side, and give the same bytes as [`process`].
pub struct Prepared {
    decoded: Decoded,
    linear: Option<Image<'static>>,
    sizes: Vec<(u32, u32)>,
    quality: u8,
}

impl Prepared {
    /// The size of the photo as shown (after its EXIF orientation).
    pub fn size(&self) -> (u32, u32) {
        (self.decoded.width, self.decoded.height)
    }

    /// The bytes its pixels take (the decoded ones and their copy in linear light).
    pub fn memory(&self) -> usize {
        self.decoded.pixels.len() + self.linear.as_ref().map_or(0, |linear| linear.buffer().len())
    }

    /// The sizes of its variants, ascending by width (never empty).
    pub fn sizes(&self) -> &[(u32, u32)] {
        &self.sizes
    }

    /// The variant of the size `sizes()[index]`, resized and encoded.
    pub fn variant(&self, index: usize) -> Result<Variant, ImageError> {
        let (width, height) = self.sizes[index];
        let decoded = &self.decoded;
        let (srgb_type, linear_type) = pixel_types(decoded.alpha);
        let bytes = match &self.linear {
            Some(linear) if (width, height) != (decoded.width, decoded.height) => {
                let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
                let mut resized = Image::new(width, height, linear_type);
                Resizer::new().resize(linear, &mut resized, &options).map_err(internal)?;
                let mut srgb = Image::new(width, height, srgb_type);
                srgb_mapper().backward_map(&resized, &mut srgb).map_err(internal)?;
                webp::encode(srgb.buffer(), width, height, decoded.alpha, self.quality)?
            }
            _ => webp::encode(&decoded.pixels, width, height, decoded.alpha, self.quality)?,
        };
        Ok(Variant { width, height, bytes })
    }

    /// Every variant, each on a core of its own: `serve` waits for a replaced photo's
    /// copies, and a build with few photos has cores to spare.
    pub fn into_processed(self) -> Result<Processed, ImageError> {
        // The widest first: it takes longest, and the others share the other cores.
        let indexes: Vec<usize> = (0..self.sizes.len()).rev().collect();
        let mut variants: Vec<Variant> = indexes.par_iter().map(|&i| self.variant(i)).collect::<Result<_, _>>()?;
        variants.reverse();
        Ok(Processed { width: self.decoded.width, height: self.decoded.height, variants })
    }
}

/// The sizes of the variants of a `width` × `height` image: each of `widths` (sorted, each
/// once) that is not wider than the image, with the height that keeps the aspect ratio
/// (rounded, at least 1), and the image's own size when a width asks for more than it
/// has: a 640-pixel photo with widths 480, 960 and 1600 gets 480 and 640, so a wide
/// screen still gets all of it. Never upscaled.
pub fn variant_sizes(width: u32, height: u32, widths: &[u32]) -> Vec<(u32, u32)> {
    let mut fitting: Vec<u32> = widths.iter().copied().filter(|&w| w > 0 && w <= width).collect();
    if widths.iter().any(|&w| w > width) {
        fitting.push(width);
    }
    fitting.sort_unstable();
    fitting.dedup();
    fitting.into_iter().map(|w| (w, scaled_height(width, height, w))).collect()
}

fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(new_width) * 2 + u64::from(width)) / (u64::from(width) * 2);
    scaled.max(1) as u32
}

/// The pixel types of the decoded image (8-bit sRGB) and of the linear copy (16-bit).
fn pixel_types(alpha: bool) -> (PixelType, PixelType) {
    if alpha { (PixelType::U8x4, PixelType::U16x4) } else { (PixelType::U8x3, PixelType::U16x3) }
}

/// sRGB ⇄ linear tables, built once (they cover every 16-bit value).
fn srgb_mapper() -> &'static PixelComponentMapper {
    static MAPPER: OnceLock<PixelComponentMapper> = OnceLock::new();
    MAPPER.get_or_init(fast_image_resize::create_srgb_mapper)
}

/// An error of the resizer, which only happens when this module gets its sizes wrong.
fn internal(error: impl std::fmt::Display) -> ImageError {
    ImageError::new(ImageErrorKind::Encoder, msg!("the image could not be resized ({error})"))
}
