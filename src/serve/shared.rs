//! What the rebuild loop shares with the HTTP handlers and the indexer: the files being
//! served, the search index, the last error, the live-reload channel and the pages still
//! being rendered after a reload message.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::broadcast;

use crate::output::Files;
use crate::pipeline::Pending;

/// The longest a request waits for its page to be rendered after a reload message.
const FOLLOWING_WAIT: Duration = Duration::from_secs(30);

/// State shared between the rebuild loop and the HTTP handlers.
pub struct Shared {
    files: RwLock<Arc<Files>>,
    /// The search index (`pagefind/...`), kept apart because it is built in the background
    /// after the pages (see [`search`]).
    search: RwLock<Arc<Files>>,
    error: RwLock<Option<String>>,
    messages: broadcast::Sender<LiveReload>,
    /// Output paths whose new bytes are still being rendered after a reload message
    /// (see [`crate::pipeline::Rebuilt::following`]); requests for them wait.
    following: tokio::sync::watch::Sender<Arc<Pending>>,
    /// Output paths of pages still to follow that requests wait for: rendered first
    /// ([`crate::pipeline::Pipeline::render_all_following`]).
    asked: std::sync::Mutex<HashSet<String>>,
}

impl Shared {
    pub(super) fn new() -> Self {
        Shared {
            files: RwLock::new(Arc::default()),
            search: RwLock::new(Arc::default()),
            error: RwLock::new(None),
            messages: broadcast::channel(64).0,
            following: tokio::sync::watch::Sender::new(Arc::default()),
            asked: Default::default(),
        }
    }

    /// Waits while the page at output path `name` is still being rendered, up to
    /// [`FOLLOWING_WAIT`], asking for it to be rendered next; returns at once for any
    /// other path.
    pub async fn current(&self, name: &str) {
        let mut following = self.following.subscribe();
        if following.borrow().holds(name) {
            self.asked.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string());
        }
        let wait = following.wait_for(|waiting| !waiting.holds(name));
        let _ = tokio::time::timeout(FOLLOWING_WAIT, wait).await;
    }

    /// Whether a request for the page at output path `name` waits now.
    #[cfg(test)]
    pub(super) fn waits_for(&self, name: &str) -> bool {
        self.following.borrow().holds(name)
    }

    /// The pages still to follow that requests wait for (see [`Self::current`]).
    pub(super) fn asked(&self) -> HashSet<String> {
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Tells requests what is still to follow; those for anything else go on.
    pub(super) fn set_following(&self, pending: &Pending) {
        self.following.send_replace(Arc::new(pending.clone()));
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).retain(|path| pending.holds(path));
    }

    /// The files being served now.
    pub fn files(&self) -> Arc<Files> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The search index files being served now (keys start with `pagefind/`).
    pub fn search(&self) -> Arc<Files> {
        self.search.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn set_search(&self, files: Arc<Files>) {
        *self.search.write().unwrap_or_else(|e| e.into_inner()) = files;
    }

    /// The errors of the last failed rebuild, while they last.
    pub fn error(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `files` from now on; returns the previous set, for the caller to drop when
    /// it is not in a hurry (freeing a large site takes a few milliseconds).
    pub(super) fn swap_in(&self, files: Arc<Files>) -> Arc<Files> {
        std::mem::replace(&mut *self.files.write().unwrap_or_else(|e| e.into_inner()), files)
    }

    pub(super) fn set_error(&self, error: Option<String>) {
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = error;
    }

    /// A new receiver of the live-reload messages sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveReload> {
        self.messages.subscribe()
    }

    pub(super) fn send(&self, message: LiveReload) {
        // No receivers just means no tab is open.
        let _ = self.messages.send(message);
    }
}

/// A message to open tabs over the live-reload WebSocket, sent as JSON
/// (`{"type":"css","paths":["assets/style.css"]}`); [`LiveReload::to_json`] is the one
/// place that writes them, and `livereload.js` (served by [`http`]) the one that reads them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum LiveReload {
    /// Sent first on every connection.
    Hello,
    /// Pages changed: reload.
    Reload,
    /// Only these stylesheets (output paths) changed: swap them in place.
    Css { paths: Vec<String> },
    /// The rebuild failed: show this text in the error overlay.
    Error { text: String },
    /// A rebuild after a failure changed nothing: hide the overlay.
    Ok,
}

impl LiveReload {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a message of strings serialises")
    }
}
