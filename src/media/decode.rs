//! Decoding a JPEG, PNG or WebP into upright sRGB pixels: the format sniffed from the
//! bytes, the size checked against [`MAX_SIDE`] and [`MAX_PIXELS`] from the header before
//! any pixel is allocated, a JPEG checked for truncation (the decoder itself fills a cut
//! file with grey), an embedded ICC profile converted to sRGB, and the EXIF orientation
//! applied. Nothing of the file's metadata leaves this module but the pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::error::{ImageError, ImageErrorKind};
use super::kinds::{MAX_PIXELS, MAX_SIDE};
use crate::diag::msg;

/// Upright sRGB pixels, 3 bytes a pixel (RGB) or 4 when the image has an alpha channel.
pub(super) struct Decoded {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub pixels: Vec<u8>,
}

pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, ImageError> {
    let format = sniff_format(bytes)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(ImageError::truncated("the JPEG data ends before its end marker"));
    }
    let mut decoder = open(bytes, format)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(ImageError::from_decoder)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let mut pixels = if alpha { image.into_rgba8().into_raw() } else { image.into_rgb8().into_raw() };
    if let Some(icc) = icc {
        to_srgb(&icc, &mut pixels, alpha);
    }
    let (width, height) = if orientation_swaps_sides(orientation) { (height, width) } else { (width, height) };
    Ok(Decoded { width, height, alpha, pixels })
}

/// The format from the bytes themselves (a `.jpg` that is a PNG is still read).
fn sniff_format(bytes: &[u8]) -> Result<ImageFormat, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::new(ImageErrorKind::Empty, msg!("the file is empty")));
    }
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        _ => Err(ImageError::new(ImageErrorKind::NotAnImage, msg!("not a JPEG, PNG or WebP image"))),
    }
}

/// A decoder that has read the header and refuses a side over [`MAX_SIDE`]; the error
/// then says the size the header claims.
fn open(bytes: &[u8], format: ImageFormat) -> Result<impl ImageDecoder + '_, ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    reader.into_decoder().map_err(|error| match error {
        image::ImageError::Limits(_) => match ImageReader::with_format(Cursor::new(bytes), format).into_dimensions() {
            Ok((width, height)) => too_large(width, height),
            Err(_) => ImageError::from_decoder(error),
        },
        other => ImageError::from_decoder(other),
    })
}

fn check_size(width: u32, height: u32) -> Result<(), ImageError> {
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large(width, height));
    }
    Ok(())
}

fn too_large(width: u32, height: u32) -> ImageError {
    ImageError::new(
        ImageErrorKind::TooLarge,
        msg!(
            "claims {width} × {height} pixels; the limit is {} megapixels and {MAX_SIDE} pixels a side \
             (a decompression bomb?)",
            MAX_PIXELS / 1_000_000
        ),
    )
}

fn orientation_swaps_sides(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation as O;
    matches!(orientation, O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH)
}

/// Converts RGB(A) pixels from an embedded RGB ICC profile (Adobe RGB, Display P3, ...)
/// to sRGB, which is what browsers assume of a WebP without one. A profile that cannot
/// be read, or that is not RGB (a CMYK JPEG is already converted by the decoder; a grey
/// one is close to sRGB's curve), leaves the pixels as they are.
fn to_srgb(icc: &[u8], pixels: &mut [u8], alpha: bool) {
    let Ok(profile) = moxcms::ColorProfile::new_from_slice(icc) else { return };
    if profile.color_space != moxcms::DataColorSpace::Rgb {
        return;
    }
    let layout = if alpha { moxcms::Layout::Rgba } else { moxcms::Layout::Rgb };
    let srgb = moxcms::ColorProfile::new_srgb();
    let Ok(transform) = profile.create_transform_8bit(layout, &srgb, layout, moxcms::TransformOptions::default())
    else {
        return;
    };
    // In slices, so that no second copy of the whole image is made.
    let slice_len = 4096 * if alpha { 4 } else { 3 };
    let mut source = Vec::with_capacity(slice_len);
    for slice in pixels.chunks_mut(slice_len) {
        source.clear();
        source.extend_from_slice(slice);
        if transform.transform(&source, slice).is_err() {
            slice.copy_from_slice(&source);
        }
    }
}

/// Whether a JPEG's segments and entropy-coded data run to its end-of-image marker.
/// The segments are walked by their lengths, so the end marker of an EXIF thumbnail does
/// not count, and data after the end (a phone's motion-photo video) is allowed.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xD9 => return true,
            0xFF => at += 1, // fill byte
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let Some(length) = bytes.get(at + 2..at + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                else {
                    return false;
                };
                at += 2 + length;
                if marker == 0xDA {
                    at = skip_entropy_coded_data(bytes, at);
                }
            }
        }
    }
    false
}

/// The position of the first marker after entropy-coded data (`FF` followed by neither
/// a stuffed `00` nor a restart marker), or the end of the bytes.
fn skip_entropy_coded_data(bytes: &[u8], mut at: usize) -> usize {
    while at + 1 < bytes.len() {
        if bytes[at] == 0xFF && !matches!(bytes[at + 1], 0x00 | 0xD0..=0xD7 | 0xFF) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}
