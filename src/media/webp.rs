//! Lossy WebP encoding through libwebp (the `libwebp-sys` crate builds it from source).
//! The output is a bare `VP8 ` stream (`VP8X` + `ALPH` when there is transparency): libwebp
//! writes no EXIF, XMP or ICC chunk of its own, and none is added here. The settings are
//! fixed (photo preset, method 4, one thread) so the same pixels give the same bytes.

use std::ffi::c_void;

use libwebp_sys as sys;

use super::error::{ImageError, ImageErrorKind};
use crate::diag::msg;

/// Encodes tightly packed 8-bit RGB (or RGBA when `alpha`) pixels as a WebP file.
pub(super) fn encode(pixels: &[u8], width: u32, height: u32, alpha: bool, quality: u8) -> Result<Vec<u8>, ImageError> {
    let channels = if alpha { 4 } else { 3 };
    let stride = width as usize * channels;
    if pixels.len() != stride * height as usize || width == 0 || height == 0 {
        return Err(encoder_error("the pixels do not match the size"));
    }
    let config = config(quality)?;
    let mut picture = Picture::new(width, height)?;
    let imported = unsafe {
        // SAFETY: `pixels` holds `height` rows of `stride` bytes (checked above); libwebp
        // copies them into the picture's own buffers.
        let import = if alpha { sys::WebPPictureImportRGBA } else { sys::WebPPictureImportRGB };
        import(&mut picture.inner, pixels.as_ptr(), stride as i32)
    };
    if imported == 0 {
        return Err(encoder_error("out of memory"));
    }
    picture.encode(&config)
}

/// libwebp's effort, 0–6: 4 is its default (and cwebp's). Measured on a 2-megapixel photo
/// with the default widths, methods 3 and 2 take about 75% and 55% of the time for files
/// within 3% of the size; changing it changes the output, so it is in the cache key.
const METHOD: i32 = 4;

fn config(quality: u8) -> Result<sys::WebPConfig, ImageError> {
    let mut config = sys::WebPConfig::new_with_preset(sys::WebPPreset::WEBP_PRESET_PHOTO, f32::from(quality.min(100)))
        .map_err(|()| encoder_error("libwebp refused its configuration"))?;
    config.method = METHOD;
    config.thread_level = 0;
    Ok(config)
}

/// A `WebPPicture` writing to a `WebPMemoryWriter`, both freed on drop.
struct Picture {
    inner: sys::WebPPicture,
    /// From `Box::into_raw`: libwebp writes through it while the picture lives.
    writer: *mut sys::WebPMemoryWriter,
}

impl Picture {
    fn new(width: u32, height: u32) -> Result<Picture, ImageError> {
        let mut inner = sys::WebPPicture::new().map_err(|()| encoder_error("libwebp version mismatch"))?;
        inner.width = width as i32;
        inner.height = height as i32;
        inner.use_argb = 0;
        let writer = Box::into_raw(Box::new(unsafe {
            // SAFETY: WebPMemoryWriterInit fully initialises the plain C struct.
            let mut writer = std::mem::MaybeUninit::<sys::WebPMemoryWriter>::uninit();
            sys::WebPMemoryWriterInit(writer.as_mut_ptr());
            writer.assume_init()
        }));
        inner.writer = Some(sys::WebPMemoryWrite);
        inner.custom_ptr = writer.cast::<c_void>();
        Ok(Picture { inner, writer })
    }

    fn encode(&mut self, config: &sys::WebPConfig) -> Result<Vec<u8>, ImageError> {
        // SAFETY: the picture holds imported pixels and points at `self.writer`, which
        // lives as long as the picture.
        let encoded = unsafe { sys::WebPEncode(config, &mut self.inner) };
        if encoded == 0 {
            return Err(encoder_error(&format!("libwebp error {:?}", self.inner.error_code)));
        }
        // SAFETY: after a successful WebPEncode, `mem` holds `size` bytes.
        let (mem, size) = unsafe { ((*self.writer).mem, (*self.writer).size) };
        if mem.is_null() {
            return Err(encoder_error("libwebp wrote nothing"));
        }
        // SAFETY: libwebp wrote `size` bytes at `mem`, freed only on drop.
        let bytes = unsafe { std::slice::from_raw_parts(mem, size) };
        Ok(bytes.to_vec())
    }
}

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: both were initialised by libwebp in `Picture::new` and are freed once.
        unsafe {
            sys::WebPPictureFree(&mut self.inner);
            sys::WebPMemoryWriterClear(self.writer);
            drop(Box::from_raw(self.writer));
        }
    }
}

/// libwebp's version and the method, part of the cache key: another encoder or another
/// effort makes other bytes.
pub(super) fn encoder_version() -> u64 {
    // SAFETY: a pure function of the linked library.
    let library = unsafe { sys::WebPGetEncoderVersion() } as u32;
    u64::from(library) << 8 | METHOD as u64
}

fn encoder_error(detail: &str) -> ImageError {
    ImageError::new(ImageErrorKind::Encoder, msg!("the WebP encoder failed ({detail})"))
}
