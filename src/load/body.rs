//! A Markdown body as read (`Body`): its text, shared between the parsed file, the model
//! and `serve`'s cache, and what it may hold that later stages look for in every body,
//! noted once when the file is read, while its text is still in the processor's cache.

use std::sync::Arc;

/// The Markdown after a file's front matter. Derefs to its text.
#[derive(Clone, Default)]
pub struct Body {
    text: Arc<str>,
    /// `![` is in the text: it may show a picture the media stage publishes.
    may_show_pictures: bool,
    /// `@/` is in the text: it may link to another report or page by its source path.
    may_link_by_source: bool,
}

impl Body {
    pub fn new(text: Arc<str>) -> Body {
        // A build looks for pictures in every body, and `serve` after every edit that
        // resolves the site: scanning 10,000 bodies again each time took milliseconds.
        // One pass for both, from one rare byte to the next.
        let bytes = text.as_bytes();
        let (mut pictures, mut links) = (false, false);
        for at in memchr::memchr2_iter(b'!', b'@', bytes) {
            match (bytes[at], bytes.get(at + 1)) {
                (b'!', Some(b'[')) => pictures = true,
                (b'@', Some(b'/')) => links = true,
                _ => {}
            }
            if pictures && links {
                break;
            }
        }
        Body { may_show_pictures: pictures, may_link_by_source: links, text }
    }

    /// Whether the body may show a picture (`![alt](photo.jpg)`): false means it shows none.
    pub fn may_show_pictures(&self) -> bool {
        self.may_show_pictures
    }

    /// Whether the body may link by source path (`[a](@/reports/a.md)`): false means it
    /// does not.
    pub fn may_link_by_source(&self) -> bool {
        self.may_link_by_source
    }

    /// Whether both are the one body read from one file (not two equal texts): a
    /// report that holds it was made from that file as read. Empty bodies never are (an
    /// empty text may be one allocation shared by all).
    pub fn is_shared_with(&self, other: &Body) -> bool {
        !self.text.is_empty() && Arc::ptr_eq(&self.text, &other.text)
    }
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        // Most comparisons are of a body with itself, shared: no need to read the text.
        Arc::ptr_eq(&self.text, &other.text) || self.text == other.text
    }
}

impl Eq for Body {}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text, f)
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body::new(text.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Not;

    #[test]
    fn a_body_notes_pictures_and_links_by_source_only_when_their_syntax_is_there() {
        let plain = Body::from("Talks in Weihai! See @ the end.");
        assert!(!plain.may_show_pictures() && !plain.may_link_by_source());
        let picture = Body::from("Before.\n\n![The delegations](meeting.jpg)\n");
        assert!(picture.may_show_pictures() && !picture.may_link_by_source());
        let both = Body::from("Hello! An email@example.org. ![A](a.jpg) [B](@/b.md)");
        assert!(both.may_show_pictures() && both.may_link_by_source());
        assert!(Body::from("Ends with !").may_show_pictures().not() && Body::from("@").may_link_by_source().not());
        let link = Body::from("See [the visit](@/reports/weihai.md).");
        assert!(link.may_link_by_source() && !link.may_show_pictures());
        assert_eq!(&*link, "See [the visit](@/reports/weihai.md).");
    }

    #[test]
    fn bodies_are_equal_by_text_shared_or_not() {
        let a = Body::from("Same text.");
        assert_eq!(a, a.clone());
        assert_eq!(a, Body::from("Same text."));
        assert_ne!(a, Body::from("Other text."));
    }

    #[test]
    fn a_body_is_shared_with_its_clones_only_and_never_when_empty() {
        let a = Body::from("Same text.");
        assert!(a.is_shared_with(&a.clone()));
        assert!(!a.is_shared_with(&Body::from("Same text.")));
        let empty = Body::default();
        assert!(!empty.is_shared_with(&empty.clone()));
    }
}
