//! The HTTP side of `serve`: answers requests from the latest good files in memory and
//! runs the `/__livereload` WebSocket, for the hosts and pages that [`super::access`]
//! admits (403 for the others).
//!
//! Requests are looked up by key in the served file map, never joined onto a folder, so a
//! path cannot leave the site: `..`, `.` and empty segments, backslashes and encoded
//! slashes are refused outright (404), and symlinks never enter the map. There are no
//! directory listings: a folder answers with its `index.html` or 404.

use std::sync::Arc;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tower_http::set_header::SetResponseHeaderLayer;

use super::access::Access;
use super::shared::{LiveReload, Shared};
use crate::output::StaticSource;
use crate::output::{Files, OutputFile};

/// The path of the live-reload WebSocket, relative to the site root.
pub const LIVERELOAD_PATH: &str = "__livereload";

const CLIENT_JS: &str = include_str!("livereload.js");

pub fn router(shared: Arc<Shared>, access: Access) -> Router {
    Router::new()
        .route(&format!("/{LIVERELOAD_PATH}"), get(livereload))
        .fallback(get(serve_file))
        .layer(axum::middleware::from_fn_with_state(Arc::new(access), guard))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        // Pages of other sites may not even embed the preview's files (`<img>`, `<script>`):
        // that would tell them which drafts exist.
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(shared)
}

/// Answers only requests that [`Access`] admits; the others get 403 and a short text that
/// names the option to use.
async fn guard(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let websocket = request.uri().path().strip_prefix('/') == Some(LIVERELOAD_PATH);
    match access.admits(request.headers(), websocket) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ];
            (StatusCode::FORBIDDEN, headers, format!("{refusal}\n")).into_response()
        }
    }
}

/// Whether a request path is in a search index: `/pagefind/...`, or in the index of a
/// language's pages (`/ru/pagefind/...`).
fn is_search_index(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let in_language = path.split_once('/').filter(|(folder, _)| crate::config::is_language_tag(folder));
    [Some(path), in_language.map(|(_, rest)| rest)]
        .into_iter()
        .flatten()
        .any(|p| p.starts_with(crate::render::search::BUNDLE_DIR))
}

async fn serve_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let pages = shared.files();
    // The search index is built in the background and kept apart from the pages.
    let search = is_search_index(uri.path());
    let current_files = || if search { shared.search() } else { shared.files() };
    let depth = uri.path().matches('/').count().saturating_sub(1);
    let Some(key) = safe_key(uri.path()) else { return not_found(&pages, depth).await };
    // A page still being rendered after a reload message is answered once it is, a page
    // the edit makes (not among the files yet) too; a file that is there is not also
    // asked after as a folder (`style.css/index.html`).
    let names: Vec<String> = candidate_names(&key).collect();
    let there = current_files().contains_key(&names[0]);
    for name in names.iter().take(if there { 1 } else { 2 }) {
        shared.current(name).await;
    }
    match lookup(&current_files(), &key) {
        Lookup::File(name) => match current_files().get(&name) {
            Some(file) => respond(file, &name, depth, StatusCode::OK).await,
            None => not_found(&pages, depth).await,
        },
        Lookup::Folder(last) => {
            // `/people` -> `people/`: relative, so it also works behind a sub-path proxy.
            let location = format!("{last}/");
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
        }
        Lookup::Missing => not_found(&pages, depth).await,
    }
}

enum Lookup {
    File(String),
    /// A folder named without its trailing slash; holds its last segment.
    Folder(String),
    Missing,
}

/// The output paths a request for `key` may be answered from: the file it names (a
/// folder's `index.html`), and for a name without a trailing slash that folder's.
fn candidate_names(key: &str) -> impl Iterator<Item = String> + '_ {
    let file = if key.is_empty() || key.ends_with('/') { format!("{key}index.html") } else { key.to_string() };
    let folder = (!key.is_empty() && !key.ends_with('/')).then(|| format!("{key}/index.html"));
    std::iter::once(file).chain(folder)
}

fn lookup(files: &Files, key: &str) -> Lookup {
    let mut names = candidate_names(key);
    let file = names.next().expect("a file name first");
    if files.contains_key(&file) {
        return Lookup::File(file);
    }
    if names.next().is_some_and(|folder| files.contains_key(&folder)) {
        return Lookup::Folder(key.rsplit('/').next().unwrap_or(key).to_string());
    }
    Lookup::Missing
}

/// The output key a request path names, or `None` when it tries to leave the site or
/// cannot name a file: `..`/`.`/empty segments, backslashes, NUL and encoded `/` or `\`.
pub fn safe_key(path: &str) -> Option<String> {
    let path = path.strip_prefix('/')?;
    if path.is_empty() {
        return Some(String::new());
    }
    let (dirs, trailing_slash) = match path.strip_suffix('/') {
        Some(dirs) => (dirs, true),
        None => (path, false),
    };
    let mut segments = Vec::new();
    for raw in dirs.split('/') {
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
        let bad = decoded.is_empty()
            || decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '\0'])
            || raw.contains('\\');
        if bad {
            return None;
        }
        segments.push(decoded.into_owned());
    }
    let mut key = segments.join("/");
    if trailing_slash {
        key.push('/');
    }
    Some(key)
}

async fn respond(file: &OutputFile, name: &str, depth: usize, status: StatusCode) -> Response {
    let bytes: Vec<u8> = match file {
        OutputFile::Bytes(bytes) => bytes.to_vec(),
        OutputFile::Static(StaticSource::Embedded(bytes)) => bytes.to_vec(),
        OutputFile::Static(StaticSource::Disk(path) | StaticSource::Cached(path)) => {
            match tokio::fs::read(path).await {
                Ok(bytes) => bytes,
                Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
            }
        }
    };
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => "text/javascript; charset=utf-8".to_string(),
        _ => mime.essence_str().to_string(),
    };
    let body = if is_html { inject_client(bytes, depth) } else { bytes };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The site's 404.html with status 404 (a bare page before the first good build).
async fn not_found(files: &Files, depth: usize) -> Response {
    const BARE: &[u8] = b"<!DOCTYPE html><meta charset=utf-8><title>Not found</title><h1>Not found</h1>";
    let page = files.get("404.html").cloned().unwrap_or_else(|| OutputFile::bytes(BARE));
    respond(&page, "404.html", depth, StatusCode::NOT_FOUND).await
}

/// Adds the live-reload client before `</body>` (or at the end). `depth` is how many
/// folders the request path is below the site root, so the client finds the WebSocket
/// relative to the page, also when a proxy serves the site under a sub-path.
pub fn inject_client(mut html: Vec<u8>, depth: usize) -> Vec<u8> {
    let root = if depth == 0 { "./".to_string() } else { "../".repeat(depth) };
    let tag = format!("<script data-root=\"{root}\">{CLIENT_JS}</script>\n");
    let at = find_last_ci(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

fn find_last_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

async fn livereload(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    let messages = shared.subscribe();
    upgrade.on_upgrade(move |socket| talk(socket, shared, messages))
}

/// Greets a tab (with the current error, if any), then forwards every message until the
/// tab goes away.
async fn talk(mut socket: WebSocket, shared: Arc<Shared>, mut messages: broadcast::Receiver<LiveReload>) {
    let mut greeting = vec![LiveReload::Hello];
    if let Some(text) = shared.error() {
        greeting.push(LiveReload::Error { text });
    }
    for message in greeting {
        if socket.send(Message::Text(message.to_json().into())).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Ok(message) => {
                    if socket.send(Message::Text(message.to_json().into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if socket.send(Message::Text(LiveReload::Reload.to_json().into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_index_paths_are_those_of_every_language() {
        for path in ["/pagefind/pagefind.js", "/ru/pagefind/pagefind.js", "/zh-Hant/pagefind/x"] {
            assert!(is_search_index(path), "{path}");
        }
        for path in ["/", "/reports/pagefind/", "/ru/reports/a/", "/pagefinder/", "/a/b/pagefind/x"] {
            assert!(!is_search_index(path), "{path}");
        }
    }

    #[test]
    fn request_paths_map_to_keys_or_are_refused() {
        let table: &[(&str, Option<&str>)] = &[
            ("/", Some("")),
            ("/reports/a/", Some("reports/a/")),
            ("/assets/style.css", Some("assets/style.css")),
            ("/people/wang-luming", Some("people/wang-luming")),
            ("/caf%C3%A9/", Some("café/")),
            ("/a%20b.txt", Some("a b.txt")),
            ("/../etc/passwd", None),
            ("/reports/../../etc/passwd", None),
            ("/%2e%2e/etc/passwd", None),
            ("/%2E%2E/%2E%2E/etc/passwd", None),
            ("/reports/%2e%2e%2f%2e%2e%2fetc/passwd", None),
            ("/..%2f..%2fetc/passwd", None),
            ("/reports%5c..%5c..%5cetc", None),
            ("/reports\\..\\etc", None),
            ("/./index.html", None),
            ("//etc/passwd", None),
            ("/a//b", None),
            ("/a%00b", None),
            ("/%ff", None),
            ("relative", None),
        ];
        for (path, expected) in table {
            assert_eq!(safe_key(path).as_deref(), *expected, "{path}");
        }
    }

    #[test]
    fn folders_answer_with_their_index_or_redirect() {
        let mut files = Files::new();
        files.insert("index.html".into(), OutputFile::bytes(&b"home"[..]));
        files.insert("people/index.html".into(), OutputFile::bytes(&b"people"[..]));
        assert!(matches!(lookup(&files, ""), Lookup::File(f) if f == "index.html"));
        assert!(matches!(lookup(&files, "people/"), Lookup::File(f) if f == "people/index.html"));
        assert!(matches!(lookup(&files, "people"), Lookup::Folder(f) if f == "people"));
        assert!(matches!(lookup(&files, "cities/"), Lookup::Missing));
        assert!(matches!(lookup(&files, "people/index.html"), Lookup::File(_)));
    }

    #[test]
    fn the_client_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject_client(html, 2)).unwrap();
        let script = out.find("<script data-root=\"../../\">").unwrap();
        assert!(script > out.find("<p>").unwrap() && script < out.find("</BODY>").unwrap(), "{out}");
        let bare = String::from_utf8(inject_client(b"plain".to_vec(), 0)).unwrap();
        assert!(bare.starts_with("plain<script data-root=\"./\">"), "{bare}");
    }
}
