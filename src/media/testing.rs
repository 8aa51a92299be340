//! Test fixtures made in memory: JPEGs with an EXIF segment written by hand (orientation
//! and GPS position), PNGs whose header claims any size, and readers of WebP output.

use image::{ImageEncoder, Rgb, RgbImage};

/// The four quadrant colours of [`quadrants`]: top-left, top-right, bottom-left, bottom-right.
pub const QUADRANT_COLOURS: [[u8; 3]; 4] = [[220, 20, 20], [20, 200, 20], [20, 20, 220], [240, 240, 240]];

/// A `width` × `height` image whose quadrants have the four [`QUADRANT_COLOURS`].
pub fn quadrants(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let index = usize::from(x >= width / 2) + 2 * usize::from(y >= height / 2);
        Rgb(QUADRANT_COLOURS[index])
    })
}

/// A photo-like image: smooth gradients with some texture, so JPEG and WebP have work.
pub fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).rotate_left(7) % 32;
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, (96 + noise) as u8])
    })
}

pub fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// The latitude 55° 45′ 21.27″ as the three EXIF rationals of a GPSLatitude tag: bytes
/// that must not survive processing.
pub const GPS_LATITUDE: [u8; 24] = [55, 0, 0, 0, 1, 0, 0, 0, 45, 0, 0, 0, 1, 0, 0, 0, 0x4F, 0x08, 0, 0, 100, 0, 0, 0];

/// `jpeg` with an APP1 EXIF segment inserted after its SOI marker: IFD0 with the
/// Orientation tag and a GPS IFD holding GPSLatitudeRef `N` and [`GPS_LATITUDE`].
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"II\x2A\x00\x08\x00\x00\x00".to_vec();
    ifd(&mut tiff, &[(0x0112, 3, 1, u32::from(orientation)), (0x8825, 4, 1, 38)]);
    ifd(&mut tiff, &[(0x0001, 2, 2, u32::from(b'N')), (0x0002, 5, 3, 68)]);
    tiff.extend_from_slice(&GPS_LATITUDE);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    [&jpeg[..2], &segment, &jpeg[2..]].concat()
}

/// An IFD of (tag, type, count, value or offset) entries, with no next IFD.
fn ifd(out: &mut Vec<u8>, entries: &[(u16, u16, u32, u32)]) {
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for &(tag, kind, count, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
}

/// A PNG whose header claims `width` × `height` pixels, with a few bytes of image data.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut png, b"IHDR", &header);
    png_chunk(&mut png, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// The four-character chunk names of a WebP file, in order.
pub fn webp_chunks(webp: &[u8]) -> Vec<String> {
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..12], b"WEBP");
    assert_eq!(u32::from_le_bytes(webp[4..8].try_into().unwrap()) as usize, webp.len() - 8);
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= webp.len() {
        chunks.push(String::from_utf8_lossy(&webp[at..at + 4]).into_owned());
        let length = u32::from_le_bytes(webp[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + length + length % 2;
    }
    assert_eq!(at, webp.len(), "chunks run to the end of the file");
    chunks
}

/// The index in [`QUADRANT_COLOURS`] of the colour nearest to `pixel`.
pub fn nearest_quadrant_colour(pixel: [u8; 3]) -> usize {
    let distance =
        |colour: &[u8; 3]| -> i32 { (0..3).map(|i| (i32::from(colour[i]) - i32::from(pixel[i])).pow(2)).sum() };
    (0..4).min_by_key(|&i| distance(&QUADRANT_COLOURS[i])).unwrap()
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}
