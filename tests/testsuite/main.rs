//! Integration tests for communique: one test binary (as in mdBook and Zola) that runs the
//! real `communique` executable on small sites in temporary folders and reads the HTML it
//! writes the way a visitor would, through CSS selectors.
//!
//! - [`support`]: the [`support::TestSite`] helper and HTML selection helpers.
//! - [`bad_input`]: the broken sites of tests/fixtures/bad/ and what they must print.
//! - [`build`]: what `communique build` produces: links, identities, pages, errors.
//! - [`serve`]: `communique serve` over HTTP: edits, errors, safety.
//! - [`serve_private`]: `serve` answers only its own hosts and pages (Host, Origin).
//! - [`livereload`]: the `/__livereload` protocol, message by message, without a browser.
//! - [`serve_fields`]: an edit of every source key, rebuilt by `serve`, equals a full build.
//! - [`serve_browser`]: `serve` in headless Chromium: live reload, overlay, CSS swap.
//! - [`webdriver`]: a minimal WebDriver client for Chromium through chromedriver.
//! - [`server`]: a running `serve` for tests, with raw HTTP requests.
//! - [`feeds`]: Atom feeds, sitemap.xml, robots.txt, canonical and OpenGraph tags.
//! - [`fuzz_corpus`]: the fuzz targets of `fuzz/` compiled and replayed on their corpus.
//! - [`cli`]: command-line behaviour: output folder safety, `check`, the summary line.
//! - [`dates`]: front-matter dates are `YYYY-MM-DD`, quoted or not; any other form is an
//!   error at its line and column.
//! - [`output_folder`]: what `build` replaces in its output folder, kept entries, mount points.
//! - [`site_boundary`]: nothing outside the site root is read (symlinks, `theme:`).
//! - [`escaping`]: every output context escapes: inline JSON-LD, search results and filters
//!   in a browser, CSV cells, feeds and sitemap.
//! - [`init`]: `communique init`: a new site that builds cleanly; existing files are kept.
//! - [`new_report`]: `communique new report`: a draft skeleton with the build's slug.
//! - [`library`]: builds through `communique::build`, with every diagnostic.
//! - [`language_pages`]: every page per language under its folder, alternates and the switcher.
//! - [`i18n`]: the theme's words in the site's language: `t`, plural forms, overrides, fallbacks.
//! - [`themes`]: `theme:` switching and override rules, with `themes/minimal`.
//! - [`bench_theme`]: `themes/bench`, the theme of scripts/bench.sh, on a corpus-like site.
//! - [`theme_copy`]: `communique theme list` and `theme copy`: the built-in theme copied into
//!   a site, edited, or built unchanged; users' files and the site boundary kept.
//! - [`theme_docs`]: every variable docs/themes.md documents, and only those, reach templates.
//! - [`architecture_docs`]: every item docs/architecture.md names exists in src/.
//! - [`errors_docs`]: docs/errors.md shows every message written in src/ (each `msg!`).
//! - [`theme`]: what the default theme shows: page frame, navigation, timelines, indexes.
//! - [`schema`]: `communique schema`: JSON, `--out`, and the loader's truth: what it takes
//!   is valid, what it refuses is flagged.
//! - [`search`]: the Pagefind index, the search page, and searching in a browser.
//! - [`search_languages`]: search per language in a browser: its own index, messages in
//!   the page's language with plural forms; the language switcher of both themes.
//! - [`static_server`]: a static file server for built sites, for browser tests.
//! - [`a11y`]: axe-core in headless Chromium over the example site, light and dark.
//! - [`maps`]: the SVG maps of the cities: markers, links, names, cities without coordinates.

mod a11y;
mod architecture_docs;
mod bad_input;
mod bench_theme;
mod build;
mod cli;
mod dates;
mod errors_docs;
mod escaping;
mod feeds;
mod fuzz_corpus;
mod i18n;
mod init;
mod item_view;
mod language_pages;
mod languages;
mod library;
mod livereload;
mod maps;
mod media;
mod navigation;
mod new_report;
mod new_translation;
mod output_folder;
mod schema;
mod search;
mod search_languages;
mod serve;
mod serve_browser;
mod serve_fields;
mod serve_private;
mod server;
mod site_boundary;
mod static_server;
mod support;
mod theme;
mod theme_copy;
mod theme_docs;
mod themes;
mod validity;
mod webdriver;
