//! Markdown bodies -> HTML: pulldown-cmark, then the communique extras.
//!
//! - `[text](@/reports/file.md)` links resolve to the target's page and are checked.
//! - Root-relative links (`/people/`) become relative to the page, like every other link.
//! - The first mention of each of a report's people and cities is linked to its page
//!   (never inside headings, links, images or code).
//! - Raw HTML is sanitised with ammonia unless the site allows it.

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::name_search::NameSearch;
use super::route::relative_url;
use crate::diag::{Diagnostic, msg};
use crate::model::images::{MediaIndex, PublishedFile};

/// A rendered body and the plain text of its first paragraph (the default summary).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedBody {
    /// Shared, so that reusing an unchanged body in `serve` copies no text.
    pub html: std::sync::Arc<str>,
    pub first_paragraph: std::sync::Arc<str>,
    /// A hash of both, made once: `serve` compares every report's fingerprint after each
    /// structural edit, and hashing every body's HTML each time was most of that.
    pub content_hash: u64,
}

impl RenderedBody {
    pub fn new(html: String, first_paragraph: String) -> Self {
        let hasher = ahash::RandomState::with_seeds(0x626f_6479, 0x6861_7368, 0x636f_6d6d, 0x756e_6971);
        let content_hash = hasher.hash_one((html.as_str(), first_paragraph.as_str()));
        Self { html: html.into(), first_paragraph: first_paragraph.into(), content_hash }
    }
}

impl Default for RenderedBody {
    fn default() -> Self {
        Self::new(String::new(), String::new())
    }
}

/// Names to link on first mention: each pattern belongs to an entity, and each entity is
/// linked once.
#[derive(Debug, Default, PartialEq)]
pub struct Autolinks {
    /// (name or alias, entity index)
    pub patterns: Vec<(String, usize)>,
    /// Site path of each entity.
    pub targets: Vec<String>,
}

/// What a body needs to know about the page it sits on.
pub struct BodyContext<'a> {
    /// Root-relative source path, for diagnostics.
    pub source: &'a str,
    /// File line where the body starts.
    pub body_line: usize,
    /// Site path of the page holding the body.
    pub page_path: &'a str,
    pub offline: bool,
    pub unsafe_html: bool,
    /// `content/...md` source path -> site path, for `@/` links.
    pub link_targets: super::LinkLookup<'a>,
    /// Sources that exist but failed on their own errors: links to them are not reported.
    pub withheld: &'a std::collections::BTreeSet<String>,
    pub autolinks: Option<&'a Autolinks>,
    /// Where the site's images are published, for the body's pictures.
    pub media: &'a MediaIndex,
}

/// An image of a body that the site publishes (not a web address): its `src` as written,
/// its alt text and where it is in the body (line 1 is the body's first line).
#[derive(Debug, Clone, PartialEq)]
pub struct BodyImage {
    pub src: String,
    pub alt: String,
    pub line: usize,
    pub col: usize,
}

/// The images of a body that name files of the site (`![alt](photo.jpg)`), in order. Only
/// a body with `![` in it is parsed for them.
pub fn body_images(markdown: &str) -> Vec<BodyImage> {
    if !markdown.contains("![") {
        return Vec::new();
    }
    let mut images: Vec<BodyImage> = Vec::new();
    let mut open: Option<BodyImage> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if is_site_file(&dest_url) => {
                let (line, col) = line_col(markdown, range.start);
                open = Some(BodyImage { src: dest_url.to_string(), alt: String::new(), line, col });
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(image) = open.as_mut() {
                    image.alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => images.extend(open.take()),
            _ => {}
        }
    }
    images
}

/// Gathers the events of a picture the media stage published (`![alt](photo.jpg)`) into
/// one `<img>` with every width, pushed to `events`; gives back every other event.
fn picture_event<'e>(
    picture: &mut Option<Picture>,
    event: Event<'e>,
    ctx: &BodyContext,
    events: &mut Vec<Event<'e>>,
) -> Option<Event<'e>> {
    match (picture.as_mut(), event) {
        (None, Event::Start(Tag::Image { dest_url, title, link_type, id })) => match published(ctx, &dest_url) {
            Some(files) => {
                *picture = Some(Picture { files: files.to_vec(), title: title.to_string(), alt: String::new() });
                None
            }
            None => Some(Event::Start(Tag::Image { dest_url, title, link_type, id })),
        },
        (None, event) => Some(event),
        (Some(open), Event::Text(text) | Event::Code(text)) => {
            open.alt.push_str(&text);
            None
        }
        (Some(open), Event::End(TagEnd::Image)) => {
            events.push(Event::InlineHtml(open.img(ctx.page_path).into()));
            *picture = None;
            None
        }
        (Some(_), _) => None,
    }
}

/// The files a body's image `dest` is published as, when the media stage published it.
fn published<'c>(ctx: &BodyContext<'c>, dest: &str) -> Option<&'c [PublishedFile]> {
    if !is_site_file(dest) {
        return None;
    }
    let file = crate::model::images::image_file(ctx.source, dest).ok()?;
    ctx.media.images.get(&file).map(Vec::as_slice)
}

/// A body's picture, written as an `<img>` of its published files.
#[derive(Default)]
struct Picture {
    files: Vec<PublishedFile>,
    title: String,
    alt: String,
}

impl Picture {
    fn img(&self, page_path: &str) -> String {
        let mut html = super::picture::img_tag(&self.files, page_path, &self.alt, BODY_IMAGE_SIZES, true);
        if !self.title.is_empty() {
            let mut title = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut title, &self.title);
            html.insert_str(html.len() - 1, &format!(" title=\"{title}\""));
        }
        html
    }
}

/// How wide a body's picture is drawn, for the browser's choice among its widths: the
/// width of the default theme's text column, or the screen on a narrower one.
const BODY_IMAGE_SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

/// Whether an image address names a file of the site rather than one elsewhere (or an
/// `@/` page, which is no picture).
fn is_site_file(dest: &str) -> bool {
    let dest = dest.trim();
    !(dest.is_empty()
        || dest.contains(':')
        || dest.starts_with("//")
        || dest.starts_with('#')
        || dest.starts_with("@/"))
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`; broken `@/` links come back as diagnostics.
pub fn render(markdown: &str, ctx: &BodyContext) -> (RenderedBody, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut state = WalkState::default();
    let mut matcher = name_matcher(ctx);
    let mut events: Vec<Event> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        state.observe_summary(&event);
        let Some(event) = picture_event(&mut state.picture, event, ctx, &mut events) else { continue };
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                state.link_depth += 1;
                let dest_url = link_address(dest_url, false, ctx, range.start, markdown, &mut diags);
                events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                state.link_depth += 1;
                let dest_url = link_address(dest_url, true, ctx, range.start, markdown, &mut diags);
                events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                state.link_depth -= 1;
                events.push(event);
            }
            Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                state.no_link_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                state.no_link_depth -= 1;
                events.push(event);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                state.raw_html = true;
                state.html_depth.observe(html, range.start);
                events.push(event);
            }
            Event::Text(text) if state.link_depth == 0 && state.no_link_depth == 0 => match matcher.as_mut() {
                // Once every name is linked, the rest of the body needs no search.
                Some((ac, autolinks, linked)) if linked.contains(&false) => {
                    autolink_text(text, ac, autolinks, linked, ctx, &mut events)
                }
                _ => events.push(Event::Text(text)),
            },
            other => events.push(other),
        }
    }
    if let Some(offset) = state.html_depth.too_deep_at {
        let (line, col) = line_col(markdown, offset);
        let message = msg!("raw HTML nested more than {MAX_HTML_DEPTH} elements deep");
        diags.push(Diagnostic::error(ctx.source, ctx.body_line + line - 1, col, message));
        return (RenderedBody::default(), diags);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if state.raw_html && !ctx.unsafe_html {
        html = sanitizer().clean(&html).to_string();
    }
    (RenderedBody::new(html, state.summary.trim().to_string()), diags)
}

/// The matcher of a report's people and cities for autolinking, with the targets and
/// which of them are linked already; `None` when there is nothing to link.
fn name_matcher<'c>(ctx: &BodyContext<'c>) -> Option<(NameSearch, &'c Autolinks, Vec<bool>)> {
    ctx.autolinks.filter(|a| !a.patterns.is_empty()).and_then(|a| {
        NameSearch::new(a.patterns.iter().map(|(p, _)| p.as_str())).map(|m| (m, a, vec![false; a.targets.len()]))
    })
}

#[derive(Default)]
struct WalkState {
    /// The published picture whose alt text is being read.
    picture: Option<Picture>,
    link_depth: usize,
    no_link_depth: usize,
    raw_html: bool,
    html_depth: HtmlDepth,
    /// 0: before the first paragraph, 1: inside it, 2: done.
    summary_phase: u8,
    summary: String,
}

/// Raw HTML may open at most this many elements inside each other. The HTML parser behind
/// the sanitiser looks through every open element at each tag, so 100,000 nested `<div>`s
/// took a minute; real pages stay far below (browsers give up at 512).
pub const MAX_HTML_DEPTH: usize = 256;

/// How deeply the raw HTML of a body nests elements, tag by tag across fragments. Void
/// elements and those whose end tag may be left out (`<p>`, `<li>`, `<td>`, ...) do not
/// count: they do not deepen the parser's stack. Comments and the insides of `<script>`
/// and `<style>` are skipped (`a<b` in a script is not a tag).
#[derive(Default)]
struct HtmlDepth {
    depth: usize,
    /// Inside a comment, script or style: what ends it (`-->`, `</script`, `</style`).
    skipping_to: Option<&'static str>,
    /// Body offset of the fragment where the depth first went over [`MAX_HTML_DEPTH`].
    too_deep_at: Option<usize>,
}

impl HtmlDepth {
    fn observe(&mut self, html: &str, offset: usize) {
        let mut rest = html;
        while self.too_deep_at.is_none() {
            if let Some(end) = self.skipping_to {
                let Some(at) = find_ignoring_case(rest, end) else { return };
                rest = &rest[at + end.len()..];
                self.skipping_to = None;
            }
            let Some(open) = rest.find('<') else { return };
            rest = &rest[open + 1..];
            if rest.starts_with("!--") {
                self.skipping_to = Some("-->");
                rest = &rest[3..];
                continue;
            }
            let closing = rest.starts_with('/');
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || !nests(&name) {
                continue;
            }
            let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
            if closing {
                self.depth = self.depth.saturating_sub(1);
            } else if !self_closing {
                match name.as_str() {
                    "script" => self.skipping_to = Some("</script"),
                    "style" => self.skipping_to = Some("</style"),
                    _ => {
                        self.depth += 1;
                        if self.depth > MAX_HTML_DEPTH {
                            self.too_deep_at = Some(offset);
                        }
                    }
                }
            }
        }
    }
}

/// Byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an element opened by `<name>` stays open until its end tag.
fn nests(name: &str) -> bool {
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "rt",
        "rp",
    ];
    !FLAT.contains(&name)
}

impl WalkState {
    fn observe_summary(&mut self, event: &Event) {
        match (self.summary_phase, event) {
            (0, Event::Start(Tag::Paragraph)) => self.summary_phase = 1,
            (1, Event::End(TagEnd::Paragraph)) => self.summary_phase = 2,
            (1, Event::Text(t) | Event::Code(t)) => self.summary.push_str(t),
            (1, Event::SoftBreak | Event::HardBreak) => self.summary.push(' '),
            _ => {}
        }
    }
}

/// `@/x.md` -> the page of content/x.md; `/x/` -> relative; everything else unchanged.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    ctx: &BodyContext,
    offset: usize,
    markdown: &str,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, fragment) = split_fragment(target);
        let source = crate::project::sources::content_path(path);
        return match ctx.link_targets.map().get(&source) {
            Some(site_path) => format!("{}{fragment}", relative_url(ctx.page_path, site_path, ctx.offline)).into(),
            // The build fails on the target's own error; a second error here would mislead.
            None if ctx.withheld.contains(&source) => dest,
            None => {
                let (line, col) = line_col(markdown, offset);
                diags.push(Diagnostic::error(
                    ctx.source,
                    ctx.body_line + line - 1,
                    col,
                    msg!("link target @/{path} does not exist (or is a draft): expected a file content/{path}"),
                ));
                dest
            }
        };
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        let (path, fragment) = split_fragment(&dest[1..]);
        return format!("{}{fragment}", relative_url(ctx.page_path, path, ctx.offline)).into();
    }
    dest
}

/// A link's or image's address as written to the page: `@/` and root-relative addresses
/// made relative to the page. One that would run code in a reader's browser
/// (`javascript:`, `vbscript:`, `file:`, `data:` other than an image's picture) is an
/// error and left empty, unless the site allows raw HTML: Markdown is escaped, but an
/// address is not text, and sanitising covers only raw HTML.
fn link_address<'a>(
    dest: CowStr<'a>,
    image: bool,
    ctx: &BodyContext,
    offset: usize,
    markdown: &str,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let Some(scheme) = (!ctx.unsafe_html).then(|| script_scheme(&dest, image)).flatten() else {
        return rewrite_link(dest, ctx, offset, markdown, diags);
    };
    let (line, col) = line_col(markdown, offset);
    diags.push(
        Diagnostic::error(
            ctx.source,
            ctx.body_line + line - 1,
            col,
            msg!("a link to a `{scheme}:` address could run code in readers' browsers"),
        )
        .with_hint("link to an http(s) address; `markdown: { unsafe_html: true }` allows it for text you trust"),
    );
    CowStr::Borrowed("")
}

/// The scheme of `url` when it is one browsers run code from, read the way browsers do:
/// ignoring case, leading spaces and control characters, and tabs and line breaks anywhere.
fn script_scheme(url: &str, image: bool) -> Option<&'static str> {
    let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let lower = cleaned.trim_start_matches(|c: char| c <= ' ').to_ascii_lowercase();
    let (scheme, rest) = lower.split_once(':')?;
    let picture = ["image/png", "image/gif", "image/jpeg", "image/webp"].iter().any(|t| rest.starts_with(t));
    match scheme {
        "javascript" => Some("javascript"),
        "vbscript" => Some("vbscript"),
        "file" => Some("file"),
        "data" if !(image && picture) => Some("data"),
        _ => None,
    }
}

/// Splits `a/b/#frag` or `a?q` into the path and the rest (kept verbatim).
fn split_fragment(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(at) => (&target[..at], &target[at..]),
        None => (target, ""),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Splits a text event around the first mention of each not-yet-linked entity.
fn autolink_text<'a>(
    text: CowStr<'a>,
    matcher: &NameSearch,
    autolinks: &Autolinks,
    linked: &mut [bool],
    ctx: &BodyContext,
    events: &mut Vec<Event<'a>>,
) {
    let mut last = 0;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    for m in matcher.find_iter(text.as_ref()) {
        let entity = autolinks.patterns[m.pattern].1;
        if linked[entity] || !at_word_boundary(&text, m.start, m.end) {
            continue;
        }
        linked[entity] = true;
        if m.start > last {
            pieces.push(Event::Text(text[last..m.start].to_string().into()));
        }
        let url = relative_url(ctx.page_path, &autolinks.targets[entity], ctx.offline);
        let mut html = String::new();
        html.push_str("<a class=\"autolink\" href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut html, &url);
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html(&mut html, &text[m.start..m.end]);
        html.push_str("</a>");
        pieces.push(Event::InlineHtml(html.into()));
        last = m.end;
    }
    if pieces.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    if last < text.len() {
        pieces.push(Event::Text(text[last..].to_string().into()));
    }
    events.extend(pieces);
}

/// A Latin/Cyrillic name must not start or end inside a word; ideographic names need no
/// spaces around them.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let joins = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => is_word_char(a) && is_word_char(b),
        _ => false,
    };
    let before = text[..start].chars().next_back();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let after = text[end..].chars().next();
    !joins(before, first) && !joins(last, after)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_ideographic(c)
}

fn is_ideographic(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder.link_rel(None).add_generic_attributes(["id", "class"]).url_relative(ammonia::UrlRelative::PassThrough);
        // The published pictures' attributes (srcset lists addresses that only load images).
        builder.add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding", "title"]);
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn addresses_that_run_code_are_refused_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:x",
            "file:///etc/passwd",
            "data:text/html,<script>x</script>",
        ] {
            assert!(script_scheme(url, false).is_some(), "{url:?}");
        }
        for url in ["https://example.org/", "mailto:a@b.org", "/people/a/", "a:b/c", "../x", "#top", "tel:+123"] {
            assert_eq!(script_scheme(url, false), None, "{url:?}");
        }
        assert_eq!(script_scheme("data:image/png;base64,AAAA", true), None);
        assert_eq!(script_scheme("data:image/png;base64,AAAA", false), Some("data"));
        assert_eq!(script_scheme("data:image/svg+xml,<svg onload=x>", true), Some("data"));
    }

    fn ctx<'a>(targets: &'a HashMap<String, String>, autolinks: Option<&'a Autolinks>) -> BodyContext<'a> {
        BodyContext {
            source: "content/reports/a.md",
            body_line: 10,
            page_path: "reports/a/",
            offline: false,
            unsafe_html: false,
            link_targets: crate::render::LinkLookup::Made(targets),
            withheld: &NOTHING_WITHHELD,
            autolinks,
            media: &NO_MEDIA,
        }
    }

    static NOTHING_WITHHELD: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    static NO_MEDIA: std::sync::LazyLock<MediaIndex> = std::sync::LazyLock::new(MediaIndex::default);

    fn weihai_links() -> Autolinks {
        Autolinks {
            patterns: vec![("Wang Luming".into(), 0), ("Weihai".into(), 1), ("威海".into(), 1)],
            targets: vec!["people/wang-luming/".into(), "cities/weihai/".into()],
        }
    }

    fn autolinked(markdown: &str) -> String {
        let targets = HashMap::new();
        let links = weihai_links();
        render(markdown, &ctx(&targets, Some(&links))).0.html.to_string()
    }

    fn render_errors(markdown: &str) -> Vec<String> {
        let targets = HashMap::new();
        render(markdown, &ctx(&targets, None))
            .1
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn deeply_nested_raw_html_is_an_error_at_its_line() {
        let deep = format!("Intro.\n\n{}x{}\n", "<div>".repeat(300), "</div>".repeat(300));
        assert_eq!(render_errors(&deep), ["12:1: raw HTML nested more than 256 elements deep"]);
        let after_script = format!("<script>a<b</script>\n\n{}\n", "<div>".repeat(300));
        assert_eq!(render_errors(&after_script), ["12:1: raw HTML nested more than 256 elements deep"]);
        let inline = format!("Some {} text\n", "<span>".repeat(300));
        assert_eq!(
            render_errors(&inline),
            [format!("10:{}: raw HTML nested more than 256 elements deep", 6 + 6 * 256)]
        );
    }

    #[test]
    fn html_that_does_not_nest_deeply_is_fine() {
        let nested = format!("{}x{}\n", "<div>".repeat(200), "</div>".repeat(200));
        let flat = format!("<div>\n{}\n</div>\n", "<p>para <br> <img src=\"a.png\"> <hr/>".repeat(1000));
        let siblings = "<section><b>x</b></section>".repeat(1000);
        let script =
            format!("<script>\n{}\n</SCRIPT>\n\n<style>{}</style>\n", "if (a<b) {}\n".repeat(400), "<i>".repeat(400));
        let comment = format!("<!--\n{}\n-->\n", "<div>".repeat(400));
        for html in [nested, flat, siblings, script, comment, "a < b and <3\n".to_string()] {
            assert_eq!(render_errors(&html), Vec::<String>::new(), "{html:.80}");
        }
    }

    #[test]
    fn links_first_mention_only() {
        let html = autolinked("Wang Luming met guests in Weihai. Wang Luming spoke.\n");
        assert_eq!(
            html,
            "<p><a class=\"autolink\" href=\"../../people/wang-luming/\">Wang Luming</a> met guests in \
             <a class=\"autolink\" href=\"../../cities/weihai/\">Weihai</a>. Wang Luming spoke.</p>\n"
        );
    }

    #[test]
    fn never_links_in_headings_links_or_code() {
        let html =
            autolinked("## Weihai\n\n[Wang Luming](https://x.org) and `Weihai`\n\n```\nWeihai\n```\n\nthen Weihai\n");
        assert_eq!(html.matches("class=\"autolink\"").count(), 1, "{html}");
        assert!(html.contains("then <a class=\"autolink\" href=\"../../cities/weihai/\">Weihai</a>"), "{html}");
    }

    #[test]
    fn respects_word_boundaries_but_not_for_ideographs() {
        assert!(!autolinked("Weihaiport\n").contains("autolink"));
        assert!(autolinked("在威海市\n").contains(">威海</a>"));
    }

    #[test]
    fn at_links_resolve_or_fail_with_the_file_line() {
        let mut targets = HashMap::new();
        targets.insert("content/reports/b.md".to_string(), "reports/b/".to_string());
        let (body, diags) = render("See [b](@/reports/b.md#figures).\n\n[c](@/reports/c.md)\n", &ctx(&targets, None));
        assert!(body.html.contains("href=\"../../reports/b/#figures\""), "{}", body.html);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].col), (12, 1));
    }

    #[test]
    fn root_relative_links_become_relative() {
        let targets = HashMap::new();
        let (body, _) = render("[p](/people/) [x](//cdn.example/x) [e](https://e.org/)\n", &ctx(&targets, None));
        assert!(body.html.contains("href=\"../../people/\""));
        assert!(body.html.contains("href=\"//cdn.example/x\""));
    }

    #[test]
    fn raw_html_is_sanitised() {
        let targets = HashMap::new();
        let (body, _) = render("<script>alert(1)</script>\n\nHi <b onclick=\"x\">there</b>\n", &ctx(&targets, None));
        assert!(!body.html.contains("<script"), "{}", body.html);
        assert!(!body.html.contains("onclick"));
        assert!(body.html.contains("<b>there</b>"));
    }

    #[test]
    fn first_paragraph_is_the_summary() {
        let targets = HashMap::new();
        let (body, _) = render("## Talks\n\nOn 2 April, *they* met\nin `Weihai`.\n\nMore.\n", &ctx(&targets, None));
        assert_eq!(&*body.first_paragraph, "On 2 April, they met in Weihai.");
    }
}
