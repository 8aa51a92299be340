//! The images copied as they are (GIF and SVG): their size, for the `width` and `height`
//! attributes that keep a page from shifting as it loads (a GIF's from its header, an
//! SVG's from its root element's `width` and `height` in pixels, or else its `viewBox`,
//! read with an XML parser), and the check that refuses an SVG that can run code
//! ([`check_svg`], which returns the size from the same parse).

use super::error::ImageError;
use super::kinds::{ImageKind, image_kind};
use crate::diag::msg;

/// Refuses an SVG that could run code when opened on its own, at the site's address,
/// where a page's `<img>` would not run it: a `<script>`, an `on...` event attribute, a
/// link or animated value with a `javascript:` address, `<foreignObject>` (HTML inside),
/// or an `xml-stylesheet` instruction. A file that is not well-formed XML is refused too,
/// since browsers would not draw it either. Returns its size, read from the same parse
/// (see [`copied_dimensions`]).
pub fn check_svg(bytes: &[u8]) -> Result<Option<(u32, u32)>, ImageError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImageError::new(super::ImageErrorKind::Corrupt, msg!("the SVG is not UTF-8 text")))?;
    let document = parse_svg(text)
        .map_err(|e| ImageError::new(super::ImageErrorKind::Corrupt, msg!("the SVG is not well-formed XML ({e})")))?;
    for node in document.descendants() {
        if node.pi().is_some_and(|pi| pi.target.eq_ignore_ascii_case("xml-stylesheet")) {
            // An XSL style sheet can write a script into the drawing it transforms.
            return Err(ImageError::active("an xml-stylesheet instruction"));
        }
        if node.is_element() {
            refuse_active_element(node)?;
        }
    }
    Ok(svg_size(document.root_element()))
}

/// The error for an element that runs code, or carries an attribute that does.
fn refuse_active_element(node: roxmltree::Node) -> Result<(), ImageError> {
    let name = node.tag_name().name();
    if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("foreignObject") {
        return Err(ImageError::active(&format!("a <{name}> element")));
    }
    for attribute in node.attributes() {
        if attribute.name().len() > 2 && attribute.name()[..2].eq_ignore_ascii_case("on") {
            return Err(ImageError::active(&format!("an event attribute ({})", attribute.name())));
        }
        if runs_script(attribute.value()) {
            return Err(ImageError::active(&format!("a javascript: address (in {})", attribute.name())));
        }
    }
    Ok(())
}

/// An SVG's XML (a DTD allowed: drawing programs write one).
fn parse_svg(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options)
}

/// Whether an attribute value holds a `javascript:` address, as browsers read it (case
/// and spaces or control characters in the scheme ignored).
fn runs_script(value: &str) -> bool {
    let squeezed: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    squeezed.to_ascii_lowercase().contains("javascript:")
}

/// The size in CSS pixels of a GIF or SVG, `None` when it is not one of them or its size
/// is not simple to tell (an SVG sized in `%` or `em` with no `viewBox`).
pub fn copied_dimensions(bytes: &[u8], path: &str) -> Option<(u32, u32)> {
    if image_kind(path) != Some(ImageKind::Copied) {
        return None;
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return gif_dimensions(bytes);
    }
    svg_size(parse_svg(std::str::from_utf8(bytes).ok()?).ok()?.root_element())
}

/// The logical screen size: two little-endian 16-bit numbers after the signature.
fn gif_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let size = bytes.get(6..10)?;
    let width = u32::from(u16::from_le_bytes([size[0], size[1]]));
    let height = u32::from(u16::from_le_bytes([size[2], size[3]]));
    (width > 0 && height > 0).then_some((width, height))
}

/// The size of a root `<svg>` element: its `width` and `height` in pixels, or else its
/// `viewBox`.
fn svg_size(root: roxmltree::Node) -> Option<(u32, u32)> {
    if root.tag_name().name() != "svg" {
        return None;
    }
    let length = |name| root.attribute(name).and_then(pixels);
    if let (Some(width), Some(height)) = (length("width"), length("height")) {
        return Some((width, height));
    }
    view_box_size(root.attribute("viewBox")?)
}

/// A length in pixels (`640` or `640px`, rounded); other units give `None`.
fn pixels(value: &str) -> Option<u32> {
    let number = value.trim().strip_suffix("px").unwrap_or(value.trim());
    positive_rounded(number.parse().ok()?)
}

fn view_box_size(value: &str) -> Option<(u32, u32)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, width, height] => Some((positive_rounded(width)?, positive_rounded(height)?)),
        _ => None,
    }
}

fn positive_rounded(value: f64) -> Option<u32> {
    let rounded = value.round();
    (value.is_finite() && rounded >= 1.0 && rounded <= f64::from(u32::MAX)).then_some(rounded as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_that_can_run_code_is_refused_and_a_drawing_is_not() {
        let svg = |inner: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">{inner}</svg>"
            )
        };
        let drawing = svg(
            "<title>Map</title><a href=\"https://example.org/\"><circle r=\"4\" fill=\"red\"/></a><use xlink:href=\"#c\"/>",
        );
        assert_eq!(check_svg(drawing.as_bytes()), Ok(Some((10, 10))));
        let active = [
            "<script>alert(1)</script>",
            "<SCRIPT>alert(1)</SCRIPT>",
            "<circle r=\"4\" onload=\"alert(1)\"/>",
            "<circle r=\"4\" ONclick=\"alert(1)\"/>",
            "<a href=\" java&#x09;script:alert(1)\"><circle r=\"4\"/></a>",
            "<a xlink:href=\"JavaScript:alert(1)\"><circle r=\"4\"/></a>",
            "<a><set attributeName=\"href\" to=\"javascript:alert(1)\"/><circle r=\"4\"/></a>",
            "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>",
        ];
        let styled = format!("<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>{drawing}");
        assert_eq!(check_svg(styled.as_bytes()).unwrap_err().kind(), super::super::ImageErrorKind::Active);
        for inner in active {
            let error = check_svg(svg(inner).as_bytes()).expect_err(inner);
            assert_eq!(error.kind(), super::super::ImageErrorKind::Active, "{inner}: {error}");
        }
        let broken = check_svg(b"<svg><circle></svg>").unwrap_err();
        assert_eq!(broken.kind(), super::super::ImageErrorKind::Corrupt);
        assert!(check_svg(b"\xff\xfe<svg/>").is_err());
    }

    #[test]
    fn gif_size_from_its_header() {
        let mut gif = b"GIF89a".to_vec();
        gif.extend_from_slice(&[0x40, 0x01, 0xF0, 0x00]); // 320 × 240
        gif.extend_from_slice(&[0; 10]);
        assert_eq!(copied_dimensions(&gif, "anim.gif"), Some((320, 240)));
        assert_eq!(copied_dimensions(&gif[..8], "anim.gif"), None);
        assert_eq!(copied_dimensions(b"GIF89a\0\0\x10\0", "anim.gif"), None);
    }

    #[test]
    fn svg_size_from_width_and_height() {
        let svg = br#"<?xml version="1.0"?>
<!-- made by hand <svg width="1"> -->
<!DOCTYPE svg>
<svg xmlns="http://www.w3.org/2000/svg" width="640px" height='480.4' viewBox="0 0 10 10"><rect/></svg>"#;
        assert_eq!(copied_dimensions(svg, "map.svg"), Some((640, 480)));
    }

    #[test]
    fn svg_size_from_view_box_when_lengths_are_relative() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="-5,-5 200.6 100"/>"#;
        assert_eq!(copied_dimensions(svg, "map.svg"), Some((201, 100)));
    }

    #[test]
    fn unknown_svg_sizes_are_none() {
        assert_eq!(copied_dimensions(br#"<svg width="10em" height="5em"/>"#, "a.svg"), None);
        assert_eq!(copied_dimensions(br#"<svg viewBox="0 0 0 10"/>"#, "a.svg"), None);
        assert_eq!(copied_dimensions(br#"<svgx width="10" height="5"/>"#, "a.svg"), None);
        assert_eq!(copied_dimensions(br#"<html><svg width="10" height="5"/></html>"#, "a.svg"), None);
        assert_eq!(copied_dimensions(b"\xff\xfe", "a.svg"), None);
        assert_eq!(copied_dimensions(br#"<svg width="10" height="5"/>"#, "a.png"), None);
    }
}
