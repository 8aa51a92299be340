//! Tests of [`process`] as a user sees it: sizes, orientation, metadata, bad files,
//! determinism.

use super::testing::*;
use super::*;

fn settings(widths: &[u32]) -> ImageSettings {
    ImageSettings { widths: widths.to_vec(), quality: 80 }
}

fn decode_webp(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::WebP).unwrap().into_rgb8()
}

#[test]
fn widths_are_never_upscaled_and_keep_the_aspect_ratio() {
    // A width asking for more than the image has gets the image's own width instead.
    assert_eq!(variant_sizes(1000, 500, &[1600, 480, 960, 480]), [(480, 240), (960, 480), (1000, 500)]);
    assert_eq!(variant_sizes(2000, 1000, &[480, 960, 1600]), [(480, 240), (960, 480), (1600, 800)]);
    assert_eq!(variant_sizes(1001, 333, &[480]), [(480, 160)]);
    assert_eq!(variant_sizes(960, 640, &[480, 960, 1600]), [(480, 320), (960, 640)]);
    assert_eq!(variant_sizes(1600, 900, &[480, 960, 1600]), [(480, 270), (960, 540), (1600, 900)]);
    assert_eq!(variant_sizes(300, 200, &[480, 960]), [(300, 200)]);
    assert_eq!(variant_sizes(4000, 10, &[480]), [(480, 1)]);
}

#[test]
fn variants_are_webp_at_each_fitting_width() {
    let processed = process(&jpeg(&photo(1000, 600)), &settings(&[1600, 480, 960])).unwrap();
    assert_eq!((processed.width, processed.height), (1000, 600));
    let sizes: Vec<_> = processed.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(sizes, [(480, 288), (960, 576), (1000, 600)]);
    for variant in &processed.variants {
        assert_eq!(webp_chunks(&variant.bytes), ["VP8 "], "lossy WebP, nothing else");
        assert_eq!(decode_webp(&variant.bytes).dimensions(), (variant.width, variant.height));
    }
}

#[test]
fn an_image_narrower_than_every_width_gets_one_variant_at_its_own_size() {
    let processed = process(&png(&photo(200, 120)), &settings(&[480, 960])).unwrap();
    let sizes: Vec<_> = processed.variants.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(sizes, [(200, 120)]);
}

#[test]
fn resizing_averages_light_not_srgb_numbers() {
    // Alternate black and white columns: in linear light their average is half the light,
    // sRGB 188; averaging the sRGB numbers would give 128.
    let stripes = image::RgbImage::from_fn(64, 16, |x, _| image::Rgb(if x % 2 == 0 { [0; 3] } else { [255; 3] }));
    let processed = process(&png(&stripes), &ImageSettings { widths: vec![8], quality: 100 }).unwrap();
    let grey = decode_webp(&processed.variants[0].bytes).get_pixel(4, 1).0[1];
    assert!((175..=200).contains(&grey), "grey {grey}");
}

#[test]
fn exif_orientation_is_applied_and_gps_is_stripped() {
    // Where the top-left (red) and top-right (green) quadrants are seen, for orientations 1–8.
    const EXPECTED: [(usize, usize); 8] = [(0, 1), (1, 0), (3, 2), (2, 3), (0, 2), (1, 3), (3, 1), (2, 0)];
    let source = jpeg(&quadrants(64, 32));
    for (orientation, (red_at, green_at)) in (1..=8).zip(EXPECTED) {
        let with_gps = with_exif(&source, orientation);
        assert!(contains(&with_gps, &GPS_LATITUDE));
        let processed = process(&with_gps, &settings(&[480])).unwrap();
        let swapped = orientation >= 5;
        let expected_size = if swapped { (32, 64) } else { (64, 32) };
        assert_eq!((processed.width, processed.height), expected_size, "orientation {orientation}");
        let variant = &processed.variants[0];
        assert_eq!((variant.width, variant.height), expected_size);
        assert_eq!(webp_chunks(&variant.bytes), ["VP8 "], "no EXIF, XMP or ICCP chunk");
        assert!(!contains(&variant.bytes, &GPS_LATITUDE) && !contains(&variant.bytes, b"Exif"));
        let seen = quadrant_colours_seen(&decode_webp(&variant.bytes));
        assert_eq!((seen[red_at], seen[green_at]), (0, 1), "orientation {orientation}: {seen:?}");
    }
}

/// The colour index seen at the centre of each quadrant: top-left, top-right, bottom-left,
/// bottom-right.
fn quadrant_colours_seen(image: &image::RgbImage) -> [usize; 4] {
    let (w, h) = image.dimensions();
    [(w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4)]
        .map(|(x, y)| nearest_quadrant_colour(image.get_pixel(x, y).0))
}

#[test]
fn output_is_the_same_run_after_run_and_thread_to_thread() {
    let source = with_exif(&jpeg(&photo(700, 500)), 6);
    let settings = settings(&[200, 480]);
    let first = process(&source, &settings).unwrap();
    let others: Vec<Processed> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3).map(|_| scope.spawn(|| process(&source, &settings).unwrap())).collect();
        handles.into_iter().map(|handle| handle.join().unwrap()).collect()
    });
    for other in others {
        assert_eq!(other, first);
    }
}

fn error_of(bytes: &[u8]) -> ImageError {
    process(bytes, &ImageSettings::default()).unwrap_err()
}

#[test]
fn an_empty_file_is_an_error() {
    let error = error_of(b"");
    assert_eq!(error.kind(), ImageErrorKind::Empty);
    assert_eq!(error.to_string(), "the file is empty");
}

#[test]
fn a_file_that_is_not_a_photo_is_an_error() {
    for bytes in [&b"just some text, no image"[..], b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", b"<svg/>"] {
        let error = error_of(bytes);
        assert_eq!(error.kind(), ImageErrorKind::NotAnImage);
        assert_eq!(error.to_string(), "not a JPEG, PNG or WebP image");
    }
}

#[test]
fn a_truncated_jpeg_is_an_error() {
    let whole = with_exif(&jpeg(&photo(300, 200)), 1);
    for cut in [whole.len() - 2, whole.len() / 2, 200, 20, 3] {
        let error = error_of(&whole[..cut]);
        assert_eq!(error.kind(), ImageErrorKind::Truncated, "cut at {cut}: {error}");
        assert!(error.to_string().starts_with("the image is truncated ("), "{error}");
    }
}

#[test]
fn a_jpeg_with_data_after_its_end_is_read() {
    let mut motion_photo = jpeg(&photo(300, 200));
    motion_photo.extend_from_slice(b"\0\0\0\x18ftypmp42 a video follows");
    assert_eq!(process(&motion_photo, &ImageSettings::default()).unwrap().width, 300);
}

#[test]
fn truncated_or_damaged_png_and_webp_are_errors() {
    let png = png(&photo(300, 200));
    let webp = process(&png, &settings(&[300])).unwrap().variants.remove(0).bytes;
    for bytes in [&png[..png.len() / 2], &png[..40], &webp[..webp.len() / 2], &webp[..20]] {
        let error = error_of(bytes);
        assert!(matches!(error.kind(), ImageErrorKind::Truncated | ImageErrorKind::Corrupt), "{error}");
    }
    let mut damaged = png.clone();
    damaged[60] ^= 0xFF;
    assert!(process(&damaged, &ImageSettings::default()).is_err());
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let started = std::time::Instant::now();
    let error = error_of(&png_claiming(100_000, 100_000));
    assert_eq!(error.kind(), ImageErrorKind::TooLarge);
    assert_eq!(
        error.to_string(),
        "claims 100000 × 100000 pixels; the limit is 64 megapixels and 16384 pixels a side (a decompression bomb?)"
    );
    // Within the side limit but over the pixel limit.
    assert_eq!(error_of(&png_claiming(10_000, 10_000)).kind(), ImageErrorKind::TooLarge);
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "nothing was decoded");
}

#[test]
fn a_huge_webp_is_refused() {
    let mut webp = process(&png(&photo(16, 16)), &settings(&[16])).unwrap().variants.remove(0).bytes;
    // The VP8 frame header's 14-bit width and height, after the frame tag and start code.
    assert_eq!(&webp[23..26], [0x9D, 0x01, 0x2A]);
    webp[26..30].copy_from_slice(&[0xFF, 0x3F, 0xFF, 0x3F]); // 16383 × 16383
    let error = error_of(&webp);
    assert_eq!(error.kind(), ImageErrorKind::TooLarge, "{error}");
    assert!(error.to_string().starts_with("claims 16383 × 16383 pixels"), "{error}");
}

#[test]
fn transparency_is_kept() {
    let image = image::RgbaImage::from_fn(40, 40, |x, _| image::Rgba([200, 100, 50, if x < 20 { 0 } else { 255 }]));
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        image.as_raw(),
        40,
        40,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
    let variant = process(&png, &settings(&[20])).unwrap().variants.remove(0);
    assert_eq!(webp_chunks(&variant.bytes), ["VP8X", "ALPH", "VP8 "]);
    let decoded = image::load_from_memory(&variant.bytes).unwrap().into_rgba8();
    assert_eq!((decoded.get_pixel(2, 10).0[3], decoded.get_pixel(17, 10).0[3]), (0, 255));
}

/// The colour of a uniform PNG of `colour` with `profile` embedded, after processing.
fn processed_colour(colour: [u8; 3], profile: &moxcms::ColorProfile) -> [u8; 3] {
    let flat = image::RgbImage::from_pixel(16, 16, image::Rgb(colour));
    let mut png = Vec::new();
    let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
    image::ImageEncoder::set_icc_profile(&mut encoder, profile.encode().unwrap()).unwrap();
    image::ImageEncoder::write_image(encoder, flat.as_raw(), 16, 16, image::ExtendedColorType::Rgb8).unwrap();
    let variant = process(&png, &ImageSettings { widths: vec![16], quality: 100 }).unwrap().variants.remove(0);
    decode_webp(&variant.bytes).get_pixel(8, 8).0
}

#[test]
fn an_embedded_profile_is_converted_to_srgb() {
    let colour: [u8; 3] = [100, 180, 100];
    let differences = |seen: [u8; 3]| colour.iter().zip(seen).map(|(&a, b)| a.abs_diff(b)).max().unwrap();
    // An sRGB profile changes nothing (beyond WebP's rounding of colours).
    assert!(differences(processed_colour(colour, &moxcms::ColorProfile::new_srgb())) <= 3);
    // Adobe RGB's green is more saturated than sRGB's: the same numbers mean another colour.
    let adobe = processed_colour(colour, &moxcms::ColorProfile::new_adobe_rgb());
    assert!(differences(adobe) >= 10, "{adobe:?}");
    assert!(adobe[1] > colour[1] && adobe[0] < colour[0], "{adobe:?}");
}
