//! Reports with photos: a report that is a folder (a page bundle) publishes its files at
//! its address, photos go out resized to WebP without their metadata, pages show them with
//! every width and their size, link previews and structured data name them, and every
//! missing file, missing `alt` or broken photo is an error at its line in one run.

use crate::support::{Page, TestSite, snapshot};

/// A JPEG of `width` × `height` with an EXIF block holding a GPS position, as a phone
/// writes it.
fn photo_with_gps(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&pixels).unwrap();
    with_gps_exif(&jpeg)
}

/// `jpeg` with an APP1 EXIF segment after its SOI: a TIFF header, IFD0 with a GPS IFD
/// pointer, and a GPS IFD with latitude 37° 30′ N.
fn with_gps_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0: one entry, GPSInfo (0x8825, LONG) -> offset 26.
    tiff.extend([0x00, 0x01, 0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a]);
    tiff.extend([0, 0, 0, 0]);
    // GPS IFD: GPSLatitudeRef "N", GPSLatitude 3 RATIONALs at offset 56.
    tiff.extend([0x00, 0x02]);
    tiff.extend([0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, b'N', 0, 0, 0]);
    tiff.extend([0x00, 0x02, 0x00, 0x05, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x38]);
    tiff.extend([0, 0, 0, 0]);
    for (n, d) in [(37u32, 1u32), (30, 1), (0, 1)] {
        tiff.extend(n.to_be_bytes());
        tiff.extend(d.to_be_bytes());
    }
    let mut segment = b"Exif\x00\x00".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((segment.len() + 2) as u16).to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

fn put_bytes(site: &TestSite, rel: &str, bytes: &[u8]) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const BUNDLE: &str = "content/reports/2019-04-02-weihai";

/// A site with one report that is a folder: a featured photo, a gallery of two, a photo
/// in the body, an agenda (PDF) beside them; and a second report linking to it.
fn site_with_photos() -> TestSite {
    let site = TestSite::new()
        .file("site.yaml", "title: Visits\nbase_url: https://example.org\nsearch: false\n")
        .file(
            &format!("{BUNDLE}/index.md"),
            "---\ntitle: Talks in Weihai\ndate: 2019-04-02\ncities: [Weihai]\nimage:\n  src: meeting.jpg\n  alt: The two delegations at the table\n  caption: Talks in the city hall\n  credit: \"Photo: City press office\"\ngallery:\n  - { src: harbour.jpg, alt: The harbour at dusk }\n  - { src: photos/signing.png, alt: Signing the agreement }\n---\nThe delegations met.\n\n![The port's new cranes](cranes.jpg)\n",
        )
        .file(
            "content/reports/2019-05-01-later.md",
            "---\ntitle: Later\ndate: 2019-05-01\n---\nSee [the talks](@/reports/2019-04-02-weihai/index.md).\n",
        )
        .file(&format!("{BUNDLE}/agenda.pdf"), "%PDF-1.4 agenda");
    put_bytes(&site, &format!("{BUNDLE}/meeting.jpg"), &photo_with_gps(2000, 1000));
    put_bytes(&site, &format!("{BUNDLE}/harbour.jpg"), &photo_with_gps(1200, 800));
    put_bytes(&site, &format!("{BUNDLE}/cranes.jpg"), &photo_with_gps(640, 480));
    let png = image::RgbImage::from_pixel(300, 200, image::Rgb([10, 120, 200]));
    let mut png_bytes = Vec::new();
    png.write_to(&mut std::io::Cursor::new(&mut png_bytes), image::ImageFormat::Png).unwrap();
    put_bytes(&site, &format!("{BUNDLE}/photos/signing.png"), &png_bytes);
    site
}

/// [`site_with_photos`], built once for the tests that only read its output (photos take
/// seconds each in an unoptimised build).
fn built() -> &'static TestSite {
    static BUILT: std::sync::OnceLock<TestSite> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let site = site_with_photos().kept_for_the_run();
        site.build(&[]).success();
        site
    })
}

/// The width and height of the WebP at `rel` in the output.
fn webp_size(site: &TestSite, rel: &str) -> (u32, u32) {
    let bytes = std::fs::read(site.output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::WebP).unwrap();
    (decoded.width(), decoded.height())
}

/// The `srcset` of an `<img>` as (path relative to the page, width) pairs.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(',')
        .map(|entry| {
            let (url, width) = entry.trim().rsplit_once(' ').unwrap();
            (url.to_string(), width.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

#[test]
fn a_report_folder_is_published_at_the_reports_address_with_its_files() {
    let site = built();
    let page = site.page("reports/weihai/index.html");
    assert_eq!(page.text("h1"), "Talks in Weihai");
    assert_eq!(site.read("output/reports/weihai/agenda.pdf"), "%PDF-1.4 agenda");
    let later = site.page("reports/later/index.html");
    assert_eq!(later.target(&later.attrs(".body a", "href")[0]), "reports/weihai/index.html");
    for original in ["meeting.jpg", "harbour.jpg", "cranes.jpg", "photos/signing.png"] {
        assert!(!site.has(&format!("reports/weihai/{original}")), "{original} was published as it is");
    }
}

#[test]
fn the_featured_photo_has_every_width_never_enlarged_and_its_size() {
    let site = built();
    let page = site.page("reports/weihai/index.html");
    let img = &page.select(".featured img")[0];
    let widths = srcset(img.value().attr("srcset").unwrap());
    assert_eq!(widths.iter().map(|(_, w)| *w).collect::<Vec<_>>(), [480, 960, 1600]);
    for (url, width) in &widths {
        let file = page.target(url);
        assert_eq!(webp_size(site, &file), (*width, width / 2), "{file}");
    }
    assert_eq!(img.value().attr("width"), Some("1600"));
    assert_eq!(img.value().attr("height"), Some("800"));
    assert_eq!(img.value().attr("alt"), Some("The two delegations at the table"));
    assert_eq!(page.text(".featured figcaption .credit"), "Photo: City press office");
    // The 640-pixel photo in the body: the widths below its own, then its own.
    let body_img = &page.select(".body img")[0];
    let body_widths: Vec<u32> = srcset(body_img.value().attr("srcset").unwrap()).iter().map(|(_, w)| *w).collect();
    assert_eq!(body_widths, [480, 640]);
    assert_eq!(body_img.value().attr("width"), Some("640"));
    assert_eq!(body_img.value().attr("alt"), Some("The port's new cranes"));
    assert_eq!(body_img.value().attr("loading"), Some("lazy"));
    assert_eq!(webp_size(site, &page.target(body_img.value().attr("src").unwrap())), (640, 480));
    let gallery: Vec<String> =
        page.select(".gallery img").iter().map(|i| i.value().attr("alt").unwrap().into()).collect();
    assert_eq!(gallery, ["The harbour at dusk", "Signing the agreement"]);
}

#[test]
fn no_published_file_keeps_the_gps_position_of_a_photo() {
    let site = built();
    let webps: Vec<(String, Vec<u8>)> =
        snapshot(&site.output()).into_iter().filter(|(p, _)| p.ends_with(".webp")).collect();
    assert!(webps.len() >= 6, "{:?}", webps.iter().map(|(p, _)| p).collect::<Vec<_>>());
    for (path, bytes) in webps {
        let chunks = riff_chunks(&bytes);
        assert!(!chunks.iter().any(|c| c == "EXIF" || c == "XMP " || c == "ICCP"), "{path} keeps {chunks:?}");
        assert!(!bytes.windows(4).any(|w| w == b"MM\x00\x2a"), "{path} holds a TIFF (EXIF) block");
    }
}

/// The chunk names of a RIFF (WebP) file.
fn riff_chunks(bytes: &[u8]) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + size + size % 2;
    }
    chunks
}

#[test]
fn link_previews_and_structured_data_name_the_featured_photo() {
    let site = built();
    let page = site.page("reports/weihai/index.html");
    let og = page.attrs("meta[property='og:image']", "content");
    assert_eq!(og, ["https://example.org/reports/weihai/meeting-1600.webp"]);
    assert_eq!(page.attrs("meta[name='twitter:card']", "content"), ["summary_large_image"]);
    let json: serde_json::Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    let images: Vec<&str> = json["image"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(images[0], "https://example.org/reports/weihai/meeting-1600.webp");
    assert_eq!(images.len(), 3, "the featured photo and the two of the gallery: {images:?}");
    assert_eq!(json["author"]["name"], "Visits");
    let later = site.page("reports/later/index.html");
    assert_eq!(later.attrs("meta[name='twitter:card']", "content"), ["summary"]);
    assert!(later.attrs("meta[property='og:image']", "content").is_empty());
}

#[test]
fn the_report_list_shows_the_featured_photo_small() {
    let site = built();
    let home = site.page("index.html");
    let cards: Vec<(String, String)> = home
        .select(".report-list > li")
        .iter()
        .map(|li| {
            let title = crate::support::text_of(crate::support::select_in(*li, ".report-title")[0]);
            let img = crate::support::select_in(*li, "img").first().map(|i| i.value().attr("alt").unwrap().to_string());
            (title, img.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        cards,
        [
            ("Later".to_string(), String::new()),
            ("Talks in Weihai".to_string(), "The two delegations at the table".to_string())
        ]
    );
}

#[test]
fn the_same_site_builds_byte_for_byte_with_or_without_the_cache() {
    let first = snapshot(&built().output());
    assert!(built().path(".communique-cache").is_dir(), "the first build fills the cache");
    let site = site_with_photos();
    crate::support::copy_dir(&built().path(".communique-cache"), &site.path(".communique-cache"));
    site.build(&[]).success();
    assert_eq!(snapshot(&site.output()), first, "a build from the cache differs");
    std::fs::remove_dir_all(site.path(".communique-cache")).unwrap();
    site.build(&[]).success();
    assert_eq!(snapshot(&site.output()), first, "a build without the cache differs");
}

/// The output files of `site` that are WebP photos, with their bytes.
fn published_photos(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    snapshot(&site.output()).into_iter().filter(|(path, _)| path.ends_with(".webp")).collect()
}

#[test]
fn a_build_from_the_cache_links_the_photos_and_says_so() {
    let site = site_with_photos();
    crate::support::copy_dir(&built().path(".communique-cache"), &site.path(".communique-cache"));
    let first = site.build(&[]).success();
    assert!(first.stdout.contains(", 4 photos (all from the cache) in "), "{}", first.stdout);
    let second = site.build(&[]).success();
    assert!(second.stdout.contains(", 4 photos (all from the cache) in "), "{}", second.stdout);
    let photos = published_photos(&site);
    assert!(!photos.is_empty());
    for (path, _) in &photos {
        let meta = std::fs::metadata(site.output().join(path)).unwrap();
        // A link to the cache's file: the build wrote none of the photo's bytes.
        assert!(std::os::unix::fs::MetadataExt::nlink(&meta) >= 2, "{path} was written, not linked");
    }
    assert_eq!(photos, published_photos(built()), "the linked photos differ from the processed ones");
}

#[test]
fn a_cached_photo_removed_from_the_cache_is_made_again() {
    let site = site_with_photos();
    crate::support::copy_dir(&built().path(".communique-cache"), &site.path(".communique-cache"));
    site.build(&[]).success();
    // The last build recorded every photo as cached; now a variant is gone.
    let cache = site.path(".communique-cache/images");
    let variants: Vec<_> = (std::fs::read_dir(&cache).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|x| x == "webp"))
        .collect();
    let gone = variants.iter().find(|path| path.to_string_lossy().ends_with("-480.webp")).unwrap();
    std::fs::remove_file(gone).unwrap();
    let run = site.build(&[]).success();
    assert!(run.stdout.contains(", 4 photos (1 processed, 3 from the cache) in "), "{}", run.stdout);
    assert_eq!(published_photos(&site), published_photos(built()));
}

/// The `alt` of each picture of the report page `rel` (featured image first), and the
/// text of each caption.
fn pictures_of(site: &TestSite, rel: &str) -> (Vec<String>, Vec<String>) {
    let page = site.page(rel);
    let alts = page.select("main figure img").iter().map(|img| img.value().attr("alt").unwrap().to_string()).collect();
    let captions = page.select("main figcaption").iter().map(|c| crate::support::text_of(*c)).collect();
    (alts, captions)
}

#[test]
fn a_translation_words_the_originals_pictures_in_its_language() {
    let site = site_with_photos()
        .file("site.yaml", "title: Visits\nsearch: false\nlanguage: en\nlanguages:\n  ru: { title: Визиты }\n")
        .file(
            &format!("{BUNDLE}/index.ru.md"),
            "---\ntitle: Переговоры в Вэйхае\nimage:\n  src: meeting.jpg\n  alt: Делегации за столом\n  caption: Переговоры в мэрии\ngallery:\n  - { src: photos/signing.png, alt: Подписание соглашения, credit: \"Фото: пресс-служба\" }\n---\nДелегации встретились.\n",
        );
    crate::support::copy_dir(&built().path(".communique-cache"), &site.path(".communique-cache"));
    site.build(&[]).success();
    let (alts, captions) = pictures_of(&site, "ru/reports/weihai/index.html");
    // The harbour is not worded: it keeps the original's words.
    assert_eq!(alts, ["Делегации за столом", "The harbour at dusk", "Подписание соглашения"]);
    assert!(
        captions[0].contains("Переговоры в мэрии") && captions[0].contains("Photo: City press office"),
        "{captions:?}"
    );
    assert!(captions.iter().any(|c| c.contains("Фото: пресс-служба")), "{captions:?}");
    let (english, _) = pictures_of(&site, "reports/weihai/index.html");
    assert_eq!(english, ["The two delegations at the table", "The harbour at dusk", "Signing the agreement"]);
    // Every language shows the same files.
    let srcs = |rel: &str| -> Vec<String> {
        let page = site.page(rel);
        page.select("main figure img").iter().map(|img| page.target(img.value().attr("src").unwrap())).collect()
    };
    assert_eq!(srcs("ru/reports/weihai/index.html"), srcs("reports/weihai/index.html"));
}

#[test]
fn a_translation_cannot_swap_the_originals_pictures() {
    let site = site_with_photos()
        .file("site.yaml", "title: Visits\nsearch: false\nlanguage: en\nlanguages:\n  ru: { title: Визиты }\n")
        .file(
            &format!("{BUNDLE}/index.ru.md"),
            "---\ntitle: Переговоры\nimage:\n  src: harbour.jpg\n  alt: Гавань\ngallery:\n  - { src: cranes.jpg, alt: Краны }\n---\nТекст.\n",
        );
    let run = site.build(&[]).exit(1);
    let ru = format!("{BUNDLE}/index.ru.md");
    run.stderr_has(&format!("{ru}:4:8: error: \"harbour.jpg\" is not the original's featured image"));
    run.stderr_has(&format!("{ru}:7:12: error: \"cranes.jpg\" is not in the original's gallery"));
}

/// A GIF of `width` × `height`: its header and an empty image, enough for a browser.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend(width.to_le_bytes());
    gif.extend(height.to_le_bytes());
    gif.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    gif.extend([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
    gif
}

#[test]
fn svg_and_gif_are_published_as_they_are_with_their_size_and_an_svg_that_runs_code_is_refused() {
    let map = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"150\"><rect width=\"300\" height=\"150\" fill=\"teal\"/></svg>";
    let site = TestSite::new()
        .file("site.yaml", "title: Visits\nsearch: false\n")
        .file(
            &format!("{BUNDLE}/index.md"),
            "---\ntitle: Talks\ndate: 2019-04-02\nimage: { src: route.svg, alt: The route }\ngallery:\n  - { src: loop.gif, alt: The loop }\n---\nText.\n",
        )
        .file(&format!("{BUNDLE}/route.svg"), map);
    put_bytes(&site, &format!("{BUNDLE}/loop.gif"), &gif(40, 30));
    site.build(&[]).success();
    assert_eq!(site.read("output/reports/weihai/route.svg"), map, "the SVG was changed");
    assert_eq!(std::fs::read(site.output().join("reports/weihai/loop.gif")).unwrap(), gif(40, 30));
    let page = site.page("reports/weihai/index.html");
    let sizes: Vec<(String, String, String)> = (page.select("main figure img").iter())
        .map(|img| {
            let attr = |name| img.value().attr(name).unwrap_or_default().to_string();
            (page.target(&attr("src")), attr("width"), attr("height"))
        })
        .collect();
    let expected = [("reports/weihai/route.svg", "300", "150"), ("reports/weihai/loop.gif", "40", "30")];
    assert_eq!(sizes, expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));

    let scripted = map.replace("<rect", "<script>fetch('/steal')</script><rect");
    site.write(&format!("{BUNDLE}/route.svg"), &scripted);
    let run = site.build(&[]).exit(1);
    run.stderr_has(&format!("{BUNDLE}/index.md:4:15: error: {BUNDLE}/route.svg: the SVG holds a <script> element"));
    assert_eq!(site.read("output/reports/weihai/route.svg"), map, "the last good output was replaced");
}

#[test]
fn every_missing_photo_missing_alt_and_broken_photo_is_an_error_at_its_line() {
    let site = TestSite::new()
        .file("site.yaml", "title: Visits\n")
        .file(
            &format!("{BUNDLE}/index.md"),
            "---\ntitle: Talks\ndate: 2019-04-02\nimage:\n  src: missing.jpg\n  alt: Nothing\ngallery:\n  - src: no-alt.jpg\n  - { src: broken.jpg, alt: Broken }\n  - { src: ../../../../secret.jpg, alt: Outside }\n---\nText.\n\n![](no-alt.jpg) and ![A gone photo](gone.png)\n",
        );
    put_bytes(&site, &format!("{BUNDLE}/no-alt.jpg"), &photo_with_gps(64, 64));
    put_bytes(&site, &format!("{BUNDLE}/broken.jpg"), &photo_with_gps(64, 64)[..300]);
    let index = format!("{BUNDLE}/index.md");
    for run in [site.build(&[]), site.check()] {
        let run = run.exit(1);
        run.stderr_has(&format!("{index}:5:8: error: {BUNDLE}/missing.jpg: no such file"));
        run.stderr_has(&format!("{index}:8:10: error: the image \"no-alt.jpg\" has no `alt`"));
        run.stderr_has(&format!("{index}:9:12: error: {BUNDLE}/broken.jpg:"));
        run.stderr_has(&format!("{index}:10:12: error: the image \"../../../../secret.jpg\" is outside"));
        run.stderr_has(&format!("{index}:14:1: error: the image \"no-alt.jpg\" has no alt text"));
        run.stderr_has(&format!("{index}:14:21: error: {BUNDLE}/gone.png: no such file"));
    }
    assert!(!site.output().exists(), "a failed build wrote an output");
}

#[test]
fn a_tiny_file_claiming_a_huge_picture_is_refused() {
    let site = TestSite::new().file("site.yaml", "title: Visits\n").file(
        &format!("{BUNDLE}/index.md"),
        "---\ntitle: Talks\ndate: 2019-04-02\nimage: { src: bomb.png, alt: Bomb }\n---\n",
    );
    put_bytes(&site, &format!("{BUNDLE}/bomb.png"), &png_claiming(100_000, 100_000));
    let run = site.build(&[]).exit(1);
    run.stderr_has(&format!("{BUNDLE}/index.md:4:15: error: {BUNDLE}/bomb.png:"));
    run.stderr_has("too large");
}

/// A PNG header claiming `width` × `height` pixels, with a few bytes of data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let crc = crc32(&ihdr);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc.to_be_bytes());
    png.extend([0, 0, 0, 0]);
    png.extend(b"IEND");
    png.extend(crc32(b"IEND").to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn a_persons_photo_in_static_is_published_resized_not_as_it_is() {
    let site = TestSite::new()
        .file("site.yaml", "title: Visits\n")
        .file("data/people.yaml", "- name: Ma Lixin\n  photo: /images/ma.jpg\n")
        .file("content/reports/a.md", "---\ntitle: A\ndate: 2019-04-02\nofficials: [Ma Lixin]\n---\n");
    put_bytes(&site, "static/images/ma.jpg", &photo_with_gps(800, 1000));
    site.build(&[]).success();
    let page: Page = site.page("people/ma-lixin/index.html");
    let img = &page.select(".portrait img")[0];
    assert_eq!(img.value().attr("alt"), Some("Ma Lixin"));
    assert_eq!(page.target(img.value().attr("src").unwrap()), "images/ma-800.webp");
    assert_eq!(webp_size(&site, "images/ma-800.webp"), (800, 1000));
    assert_eq!(webp_size(&site, "images/ma-480.webp"), (480, 600));
    assert!(!site.has("images/ma.jpg"), "the original, with its GPS position, was published");
    // The photo is on the person's cards too, as its narrowest file: the A–Z list and the
    // report's officials.
    for (rel, scope) in [("people/index.html", ".entity-list li"), ("reports/a/index.html", ".officials li")] {
        let page = site.page(rel);
        let card = &page.select(scope)[0];
        let img = crate::support::select_in(*card, "img");
        assert_eq!(img.len(), 1, "{rel}: no photo on the card");
        assert_eq!(img[0].value().attr("alt"), Some("Ma Lixin"));
        assert_eq!(page.target(img[0].value().attr("src").unwrap()), "images/ma-480.webp", "{rel}");
        assert_eq!((img[0].value().attr("width"), img[0].value().attr("height")), (Some("480"), Some("600")), "{rel}");
        assert_eq!(img[0].value().attr("srcset"), None, "{rel}: a thumbnail needs no srcset");
    }
}
