//! Why an image could not be processed, in words for the person who placed it; the caller
//! names the file.

use std::fmt;

use crate::diag::{Message, msg};

/// An image that could not be processed. Its `Display` is one plain sentence without the
/// file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    kind: ImageErrorKind,
    message: Message,
}

/// What went wrong, for callers and tests that act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageErrorKind {
    /// A file of zero bytes.
    Empty,
    /// Not a JPEG, PNG or WebP file.
    NotAnImage,
    /// The data ends before the image does.
    Truncated,
    /// Damaged data (or a feature of the format the decoder does not support).
    Corrupt,
    /// More pixels or a longer side than the limits allow.
    TooLarge,
    /// The WebP encoder refused the pixels (not expected for a decoded image).
    Encoder,
    /// An SVG that can run code when opened (a script, an event handler, a `javascript:`
    /// link, embedded HTML).
    Active,
}

impl ImageError {
    pub(super) fn new(kind: ImageErrorKind, message: Message) -> ImageError {
        ImageError { kind, message }
    }

    pub fn kind(&self) -> ImageErrorKind {
        self.kind
    }

    /// A decoder's error, sorted into a kind with its detail in parentheses.
    pub(super) fn from_decoder(error: image::ImageError) -> ImageError {
        use image::ImageError as E;
        match error {
            E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => ImageError::truncated(&io.to_string()),
            E::Limits(limit) => {
                ImageError::new(ImageErrorKind::TooLarge, msg!("the image is too large to decode ({limit})"))
            }
            E::Unsupported(unsupported) => ImageError::new(
                ImageErrorKind::Corrupt,
                msg!("the image uses a feature that cannot be read ({unsupported})"),
            ),
            other => ImageError::new(ImageErrorKind::Corrupt, msg!("the image is damaged ({other})")),
        }
    }

    pub(super) fn truncated(detail: &str) -> ImageError {
        ImageError::new(ImageErrorKind::Truncated, msg!("the image is truncated ({detail})"))
    }
}

impl ImageError {
    pub(super) fn active(what: &str) -> ImageError {
        ImageError::new(
            ImageErrorKind::Active,
            msg!(
                "the SVG holds {what}, which would run on the site's address when the file is opened; remove it (export the drawing again without interactivity)"
            ),
        )
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message.fmt(f)
    }
}

impl std::error::Error for ImageError {}
