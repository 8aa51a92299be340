//! The input of the search index writer ([`super::search_index`]): one searchable page
//! as a [`Record`]. Apart from the writer, which only a build with the `search` feature
//! has, so records are made (and compared, by `serve`) in every build.

use std::collections::BTreeMap;

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Site path of the page, as links in the output name it (`reports/weihai/`, or
    /// `reports/weihai/index.html` offline).
    pub url: String,
    /// Plain text Pagefind indexes and takes excerpts from. Pagefind's JavaScript escapes
    /// `<` and `>` in it before marking the matches in an excerpt, which interfaces then
    /// insert as HTML, so no text can become markup there.
    pub content: String,
    /// `title`, `date` (ISO, reports only) and `kind` for the result list, as plain text:
    /// Pagefind's interface inserts them as text (and `image`, which records never have,
    /// as an attribute).
    pub meta: BTreeMap<String, String>,
    /// Filter name -> values (`city` -> [`Weihai`, `Qingdao`]), HTML-escaped (`&amp;`,
    /// `&lt;`, `&gt;`, `&quot;`, `&#39;`): Pagefind's interface inserts each value into its
    /// label as HTML, and the escaped value is also what a search filters by.
    pub filters: BTreeMap<String, Vec<String>>,
    /// `date` for reports, so filter-only listings can be sorted newest first.
    pub sort: BTreeMap<String, String>,
}
