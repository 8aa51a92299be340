//! `communique serve`: build the site, serve it from memory over HTTP, watch the sources
//! and rebuild incrementally, telling open tabs to reload (or swap a stylesheet, or show
//! an error overlay) over a WebSocket.
//!
//! Three parts connected by channels: the watcher (notify, on its own thread) sends file
//! events; the rebuild loop (the calling thread) gathers each burst of them
//! ([`settled_burst`]), turns the paths it names into a [`watch::ChangeSet`], runs the
//! [`crate::pipeline::Pipeline`] and swaps the new files in at once; the HTTP server
//! (tokio) answers from whatever files are current, to the hosts and pages that
//! [`access`] admits. Progress goes to a caller-supplied callback, so the library itself
//! prints nothing.

pub mod access;
pub mod cpu_use;
pub mod http;
pub mod search;
pub mod shared;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diag::Diagnostics;
use crate::pipeline::{Outcome, Pending, Pipeline};
use crate::project::BuildOptions;
pub use shared::{LiveReload, Shared};
use watch::ChangeSet;

/// How long the rebuild loop waits after a file event for another before it rebuilds.
/// An editor's save (truncate and write, or write a copy and rename it) is one burst of
/// well under a millisecond, so a save waits this long once its last event is in. (A
/// debouncer with a timer, as notify-debouncer-full has, waited its period plus up to a
/// quarter more, 5 to 6.25 ms at 5 ms, and woke every 1.25 ms while nothing happened.)
/// A file caught half written fails to parse, and a failed rebuild waits
/// [`SETTLE_AFTER_FAILURE`] for more.
pub const SETTLE: Duration = Duration::from_millis(2);

/// The longest a burst of events is gathered (a checkout writes files for longer than
/// that): the rebuild takes what came, and the next one the rest.
const LONGEST_BURST: Duration = Duration::from_millis(100);

/// One file event, or the watcher's problem, as notify reports it.
type FileEvent = notify::Result<notify::Event>;

/// How long a burst that made a folder waits for quiet. The watch on a new folder is
/// added only once its creation is seen, so a file written into it at once (a copied
/// folder, `mkdir` then save) may have been created unseen and not yet written: a
/// rebuild after [`SETTLE`] would read it empty and show that page, then the real one.
const QUIET_AFTER_NEW_FOLDER: Duration = Duration::from_millis(50);

/// How long a failed rebuild waits for further events before its errors are shown.
const SETTLE_AFTER_FAILURE: Duration = Duration::from_millis(100);

/// How long the sources must be left alone after a rebuild before the search index is
/// made again. Indexing between saves took a second of CPU per save in a site of 10,000
/// reports in three languages, an index the next save threw away, and slowed that save's
/// rebuild (docs/performance.md); an author who searches the preview has stopped saving.
const QUIET_BEFORE_INDEXING: Duration = Duration::from_secs(2);

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub build: BuildOptions,
    pub bind: IpAddr,
    pub port: u16,
    /// Host names the preview answers to besides `localhost` and IP addresses.
    pub allowed_hosts: Vec<access::AllowedHost>,
}

/// What the server reports to its caller (the CLI prints these).
pub enum ServeEvent<'a> {
    /// Listening at this URL (`http://127.0.0.1:1111/`).
    Listening(String),
    /// A build or rebuild succeeded.
    Built {
        first: bool,
        pages: usize,
        changed: usize,
        reports: usize,
        took: Duration,
        /// When open tabs were told to reload, if some pages were rendered after that
        /// (requests for them wait until they are).
        reloaded_after: Option<Duration>,
        warnings: &'a Diagnostics,
        /// The time of each stage before the reload message, when the rebuild resolved the
        /// site (otherwise empty).
        timings: &'a [(&'static str, Duration)],
        /// What the process used from the save until the reload message (a rebuild's, where
        /// the system says).
        cpu: Option<cpu_use::CpuUse>,
    },
    /// A build or rebuild failed; the previous site stays served.
    Failed { diagnostics: &'a Diagnostics, took: Duration },
    /// The watcher reported a problem (a folder could not be watched, events were lost).
    WatchProblem(String),
}

/// Why serving could not start.
#[derive(Debug)]
pub enum ServeError {
    PortInUse(SocketAddr),
    Other(anyhow::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(
                f,
                "port {} is already in use on {}; stop the other server or pick another port with --port",
                addr.port(),
                addr.ip()
            ),
            ServeError::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<anyhow::Error> for ServeError {
    fn from(e: anyhow::Error) -> Self {
        ServeError::Other(e)
    }
}

/// Builds, serves and watches until the process is stopped. Returns only on a startup
/// error (unreadable root, busy port); content errors never stop it.
pub fn run(options: ServeOptions, mut report: impl FnMut(ServeEvent)) -> Result<(), ServeError> {
    let pipeline = Pipeline::open(&options.root, options.build.clone())?;
    let (listener, local) = listen(SocketAddr::new(options.bind, options.port))?;
    // Watch before the first build, so an edit saved during it is not missed.
    let (events_tx, events) = std::sync::mpsc::channel::<FileEvent>();
    // Set on the watcher's thread as soon as a source changes, so that work no open page
    // waits for (feeds, the search index) stops for the next save.
    let saved_again = Arc::new(AtomicBool::new(false));
    let note_save = saved_again.clone();
    let shared = Arc::new(Shared::new());
    let indexer = search::Indexer::start(shared.clone());
    // The search index waits from the save until its pages are served.
    let index_gate = indexer.gate().clone();
    let handler = move |event: FileEvent| {
        if event.as_ref().is_ok_and(|event| changes_content(&event.kind)) {
            index_gate.close();
            note_save.store(true, Ordering::Relaxed);
        }
        let _ = events_tx.send(event);
    };
    let mut watcher = notify::recommended_watcher(handler).map_err(|e| ServeError::Other(e.into()))?;
    let root = pipeline.project().root.clone();
    let mut watched = Vec::new();
    watch_sources(&mut watcher, &root, &mut watched, &mut report);

    let mut session = Session::new(pipeline, shared, indexer, saved_again);
    session.build_first(&mut report);

    // The runtime answers requests for as long as it lives: to the end of this function.
    let _runtime = start_http(listener, session.shared.clone(), &options)?;
    report(ServeEvent::Listening(format!("http://{}/", display_addr(local))));

    let mut held_back = None;
    while let Some(first) = held_back.take().or_else(|| session.next_event(&events)) {
        let burst = settled_burst(first, &events);
        // Closed by the watcher already, unless its event came before the loop looked:
        // the rebuild of every burst goes with the indexer waiting.
        session.indexer.gate().close();
        // What was saved until now is in the burst: only a later save is another one.
        session.saved_again.store(false, Ordering::Relaxed);
        let paths = changed_paths(burst, &mut report);
        let theme = session.pipeline.project().config.theme.clone();
        let changes: ChangeSet = watch::classify(&session.root, &theme, &paths);
        if paths.iter().any(|p| p.parent() == Some(session.root.as_path())) {
            watch_sources(&mut watcher, &session.root, &mut watched, &mut report);
        }
        if !changes.is_empty() {
            held_back = session.apply(&changes, &events, &mut report);
        } else {
            session.resume();
        }
    }
    Ok(())
}

/// Binds the preview's address (non-blocking, for tokio).
fn listen(address: SocketAddr) -> Result<(std::net::TcpListener, SocketAddr), ServeError> {
    let listener = std::net::TcpListener::bind(address).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse(address),
        _ => ServeError::Other(anyhow::anyhow!("cannot listen on {address}: {e}")),
    })?;
    listener.set_nonblocking(true).map_err(|e| ServeError::Other(e.into()))?;
    let local = listener.local_addr().map_err(|e| ServeError::Other(e.into()))?;
    Ok((listener, local))
}

/// Starts the HTTP server on a runtime of its own; it serves until the runtime is dropped.
fn start_http(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    options: &ServeOptions,
) -> Result<tokio::runtime::Runtime, ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Other(e.into()))?;
    let router = http::router(shared, access::Access::new(options.allowed_hosts.clone()));
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("a non-blocking std listener");
        let _ = axum::serve(listener, router).await;
    });
    Ok(runtime)
}

/// The event `first` and those that follow it, until none comes for [`SETTLE`] (for
/// [`QUIET_AFTER_NEW_FOLDER`] once a folder was made) and every file written in the burst
/// is closed, or the burst has lasted [`LONGEST_BURST`]: a writer held up between
/// creating a file and writing it (a busy machine) would have it read empty. Waiting on
/// the channel wakes nobody while the sources are left alone.
fn settled_burst(first: FileEvent, events: &Receiver<FileEvent>) -> Vec<FileEvent> {
    let started = Instant::now();
    let mut writing = std::collections::HashSet::new();
    note_writes(&mut writing, &first);
    let mut quiet = quiet_after(&first, SETTLE);
    let mut burst = vec![first];
    while let Some(left) = LONGEST_BURST.checked_sub(started.elapsed()) {
        let wait = if writing.is_empty() { quiet.min(left) } else { left };
        match events.recv_timeout(wait) {
            Ok(event) => {
                note_writes(&mut writing, &event);
                quiet = quiet_after(&event, quiet);
                burst.push(event);
            }
            Err(_) => break,
        }
    }
    burst
}

/// How long the burst waits for quiet once `event` is in, having waited `quiet` so far.
fn quiet_after(event: &FileEvent, quiet: Duration) -> Duration {
    use notify::event::{CreateKind, EventKind};
    match event {
        Ok(event) if event.kind == EventKind::Create(CreateKind::Folder) => QUIET_AFTER_NEW_FOLDER,
        _ => quiet,
    }
}

/// Keeps `writing` (the files opened for writing and not closed yet) up to date with
/// `event`. Only Linux (inotify) reports a file closed after writing; elsewhere nothing
/// is waited for but quiet.
fn note_writes(writing: &mut std::collections::HashSet<PathBuf>, event: &FileEvent) {
    use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
    let Ok(event) = event else { return };
    match event.kind {
        EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) if cfg!(target_os = "linux") => {
            writing.extend(event.paths.iter().cloned())
        }
        EventKind::Access(AccessKind::Close(AccessMode::Write)) | EventKind::Remove(_) => {
            for path in &event.paths {
                writing.remove(path);
            }
        }
        _ => {}
    }
}

/// The paths that a `burst` of events names as changed; the watcher's own problems are
/// reported.
fn changed_paths(burst: Vec<FileEvent>, report: &mut impl FnMut(ServeEvent)) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for event in burst {
        match event {
            Ok(event) if changes_content(&event.kind) => paths.extend(event.paths),
            Ok(_) => {}
            Err(e) => report(ServeEvent::WatchProblem(e.to_string())),
        }
    }
    paths
}

/// The rebuild loop's state: the pipeline and what the server and indexer share.
struct Session {
    pipeline: Pipeline,
    shared: Arc<Shared>,
    indexer: search::Indexer,
    root: PathBuf,
    /// The search index is behind the site served: made once the sources are left alone.
    index_due: bool,
    /// When the last rebuild of a change ended.
    rebuilt_at: Instant,
    /// [`QUIET_BEFORE_INDEXING`], shorter in tests.
    quiet_before_indexing: Duration,
    /// Whether a source changed since the rebuild under way started (set by the watcher).
    saved_again: Arc<AtomicBool>,
}

impl Session {
    fn new(pipeline: Pipeline, shared: Arc<Shared>, indexer: search::Indexer, saved_again: Arc<AtomicBool>) -> Self {
        let root = pipeline.project().root.clone();
        Session {
            pipeline,
            shared,
            indexer,
            root,
            index_due: false,
            rebuilt_at: Instant::now(),
            quiet_before_indexing: QUIET_BEFORE_INDEXING,
            saved_again,
        }
    }

    /// Builds the whole site and serves it, with its feeds, exports and search index (at
    /// once: nothing was saved yet).
    fn build_first(&mut self, report: &mut impl FnMut(ServeEvent)) {
        let started = Instant::now();
        let outcome = self.pipeline.build();
        show(&self.shared, &outcome, &self.root);
        tell(&outcome, true, started.elapsed(), None, None, report);
        self.index_due = needs_indexing(&outcome);
        self.catch_up();
        self.submit_index();
    }

    /// The next file event (`None` once the watcher is gone). While the search index is
    /// behind, it is made meanwhile, once no change has been rebuilt for
    /// [`Self::quiet_before_indexing`]; an event that comes first is returned at once.
    fn next_event(&mut self, events: &Receiver<FileEvent>) -> Option<FileEvent> {
        use std::sync::mpsc::RecvTimeoutError;
        while self.index_due {
            let left = self.quiet_before_indexing.saturating_sub(self.rebuilt_at.elapsed());
            match events.recv_timeout(left) {
                Ok(event) => return Some(event),
                Err(RecvTimeoutError::Timeout) => self.submit_index(),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        events.recv().ok()
    }

    /// Applies one batch of changes: pages first; once open tabs are told to reload, the
    /// pages that follow, then the feeds, sitemap and exports (which no open page shows);
    /// the search index is left for a pause in the saves ([`Self::next_event`]). When
    /// the author saves again meanwhile, the pages still to follow ([`Self::follow`]) and
    /// the feeds wait for the rebuild of that save ([`Self::catch_up`]): in a large site
    /// in several languages they take seconds, which the next save would wait for.
    /// Returns the events that arrived while a failed rebuild settled, for the next round.
    fn apply(
        &mut self,
        changes: &ChangeSet,
        events: &Receiver<FileEvent>,
        report: &mut impl FnMut(ServeEvent),
    ) -> Option<FileEvent> {
        let started = Instant::now();
        let cpu_before = cpu_use::CpuUse::so_far();
        let outcome = self.pipeline.rebuild_pages(changes);
        // A file caught half-written (a checkout, a copy) fails to parse; if more events
        // follow at once, that was not the author's last word: rebuild with them before
        // showing an error. Successes are shown without waiting.
        let mut held_back = None;
        if matches!(outcome, Outcome::Failed(_))
            && let Ok(more) = events.recv_timeout(SETTLE_AFTER_FAILURE)
        {
            let edits_more = more.as_ref().is_ok_and(|event| changes_content(&event.kind));
            if edits_more {
                return Some(more);
            }
            held_back = Some(more);
        }
        let reloaded_after = started.elapsed();
        let cpu = cpu_before.zip(cpu_use::CpuUse::so_far()).map(|(before, now)| now.since(before));
        show(&self.shared, &outcome, &self.root);
        let (outcome, photos_made) = self.make_photos(outcome);
        let (outcome, reloaded_after) = match self.follow() {
            Some(rest) => (self.show_following(outcome.followed_by(rest)), Some(reloaded_after)),
            None => {
                // Nothing follows, so no request waits: a save that failed after a theme
                // change leaves the pages a stopped edit had left to the next that builds.
                self.shared.set_following(&Pending::default());
                (outcome, photos_made.then_some(reloaded_after))
            }
        };
        tell(&outcome, false, started.elapsed(), reloaded_after, cpu, report);
        self.index_due |= needs_indexing(&outcome);
        self.rebuilt_at = Instant::now();
        self.catch_up();
        held_back
    }

    /// Renders the pages left for after the reload message, serving each batch as it is
    /// ready; stops between batches when the author saves again, leaving the rest to
    /// follow the next rebuild (they keep waiting meanwhile).
    fn follow(&mut self) -> Option<Outcome> {
        let shared = &self.shared;
        // The new files first: until the next step is told, its pages still wait.
        let step = |built: &crate::pipeline::Rebuilt| {
            drop(shared.swap_in(built.files.clone()));
            shared.set_following(&built.following);
        };
        let saved_again = &*self.saved_again;
        let stop = || saved_again.load(Ordering::Relaxed);
        self.pipeline.render_following_until(step, || shared.asked(), &stop)
    }

    /// Goes on with the pages a rebuild left to follow when its save brought nothing to
    /// rebuild (a file serve does not read), then with the feeds and the search index.
    fn resume(&mut self) {
        if let Some(rest) = self.follow() {
            self.show_following(rest);
        }
        self.catch_up();
    }

    /// Lets the indexer go on once what was saved is served, unless a source was saved
    /// again meanwhile (its rebuild comes next, the gate still closed), or the index it
    /// may be making is of a site older than the one served: that one goes on only to be
    /// abandoned for the next job ([`Self::submit_index`] opens the gate).
    fn open_index_gate(&self) {
        if !self.index_due && !self.saved_again.load(Ordering::SeqCst) {
            self.indexer.gate().open();
        }
    }

    /// Brings the feeds, sitemap and exports up to date with the site served, if a
    /// rebuild left them behind; stops as soon as the author saves again (the next round
    /// catches up).
    fn catch_up(&mut self) {
        self.open_index_gate();
        let saved_again = &*self.saved_again;
        let stop = || saved_again.load(Ordering::Relaxed);
        if let Some((files, _)) = self.pipeline.refresh_derived(&stop) {
            drop(self.shared.swap_in(files));
        }
    }

    /// Hands the search records of the site served to the indexer thread, if the index
    /// is behind; stops as soon as the author saves again (still due, for later).
    fn submit_index(&mut self) {
        if !self.index_due {
            return;
        }
        let saved_again = &*self.saved_again;
        let stop = || saved_again.load(Ordering::Relaxed);
        if let Some(indexes) = self.pipeline.search_records(&stop) {
            self.indexer.submit(indexes);
            self.index_due = false;
            self.open_index_gate();
        }
    }

    /// Makes the photos' variants left for after the reload message, serving each as soon
    /// as it is made (a tab reloaded asks for one of them); and whether there were any.
    fn make_photos(&mut self, outcome: Outcome) -> (Outcome, bool) {
        let shared = &self.shared;
        let made = self.pipeline.make_photos(|files, pending| {
            // The file first: a request let go by the second must find it.
            drop(shared.swap_in(files));
            shared.set_following(pending);
        });
        match made {
            Some(made @ Outcome::Built(_)) => (outcome.followed_by(made), true),
            Some(failed) => (self.show_following(outcome.followed_by(failed)), true),
            None => (outcome, false),
        }
    }

    /// Serves the pages rendered after the reload message (those left for the next
    /// rebuild still wait), or, when one failed, the site as it was before the edit, with
    /// the error.
    fn show_following(&self, outcome: Outcome) -> Outcome {
        match &outcome {
            Outcome::Built(built) => {
                drop(self.shared.swap_in(built.files.clone()));
                self.shared.set_following(&built.following);
            }
            _ => {
                if let Some(files) = self.pipeline.files() {
                    drop(self.shared.swap_in(files));
                }
                show(&self.shared, &outcome, &self.root);
                self.shared.set_following(&Pending::default());
            }
        }
        outcome
    }
}

/// Whether the search index needs making again after `outcome`: after every successful
/// rebuild but one that changed style sheets alone.
fn needs_indexing(outcome: &Outcome) -> bool {
    let Outcome::Built(built) = outcome else { return false };
    built.changed.is_empty() || !built.changed.iter().all(|p| p.ends_with(".css"))
}

/// Whether an event can mean changed content. Reading files (our own rebuilds, editors,
/// indexers) produces access events; acting on them would rebuild in a loop.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches the root (for site.yaml and folders created later) and every source folder
/// that exists and is not watched yet.
fn watch_sources(
    watcher: &mut notify::RecommendedWatcher,
    root: &std::path::Path,
    watched: &mut Vec<PathBuf>,
    report: &mut impl FnMut(ServeEvent),
) {
    let wanted = std::iter::once((root.to_path_buf(), RecursiveMode::NonRecursive))
        .chain(watch::watched_folders(root).into_iter().map(|f| (f, RecursiveMode::Recursive)));
    for (folder, mode) in wanted {
        if watched.contains(&folder) || !folder.is_dir() {
            continue;
        }
        match watcher.watch(&folder, mode) {
            Ok(()) => watched.push(folder),
            Err(e) => report(ServeEvent::WatchProblem(format!("cannot watch {}: {e}", folder.display()))),
        }
    }
    // A source folder that was removed is watched again if it comes back.
    watched.retain(|f| f.is_dir());
}

/// Swaps in a successful build and tells the tabs; or keeps the old site and shows errors.
fn show(shared: &Shared, outcome: &Outcome, root: &std::path::Path) {
    match outcome {
        Outcome::Unchanged => {}
        Outcome::Built(built) => {
            // Before the new files: a request must not take a following page's old bytes.
            if !built.following.is_empty() {
                shared.set_following(&built.following);
            }
            let previous = shared.swap_in(built.files.clone());
            let had_error = shared.error().is_some();
            shared.set_error(None);
            let css_only = !built.changed.is_empty() && built.changed.iter().all(|p| p.ends_with(".css"));
            if built.changed.is_empty() && built.following.is_empty() {
                if had_error {
                    shared.send(LiveReload::Ok);
                }
            } else if css_only && built.following.is_empty() && !had_error {
                shared.send(LiveReload::Css { paths: built.changed.clone() });
            } else {
                shared.send(LiveReload::Reload);
            }
            drop(previous);
        }
        Outcome::Failed(diagnostics) => {
            let text = overlay_text(diagnostics, root);
            shared.set_error(Some(text.clone()));
            shared.send(LiveReload::Error { text });
        }
    }
}

/// At most this many problems are shown in the error overlay; the terminal prints every
/// one. A save that breaks a whole archive (a registry that no longer names the officials
/// of 20,000 translations) would otherwise send each tab 17 MB of text to lay out.
const OVERLAY_LIMIT: usize = 200;

/// The error overlay's text for `diagnostics`: the first [`OVERLAY_LIMIT`] as the
/// terminal shows them (in order of file and line), and how many more there are.
fn overlay_text(diagnostics: &Diagnostics, root: &std::path::Path) -> String {
    let sorted = diagnostics.sorted();
    let mut sources = crate::diag::SourceCache::new(root);
    let shown = sorted.iter().take(OVERLAY_LIMIT);
    let mut text: String = shown.map(|d| d.render_styled(&mut sources, false)).collect();
    if let Some(more) = sorted.len().checked_sub(OVERLAY_LIMIT).filter(|more| *more > 0) {
        text.push_str(&format!("... and {more} more: the terminal shows every one\n"));
    }
    text
}

/// Reports an outcome to the caller; `reloaded_after` is when tabs were told to reload,
/// if pages followed the message, and `cpu` what the process used until then.
fn tell(
    outcome: &Outcome,
    first: bool,
    took: Duration,
    reloaded_after: Option<Duration>,
    cpu: Option<cpu_use::CpuUse>,
    report: &mut impl FnMut(ServeEvent),
) {
    match outcome {
        Outcome::Unchanged => {}
        Outcome::Built(built) => report(ServeEvent::Built {
            first,
            pages: built.rendered,
            changed: built.changed.len(),
            reports: built.reports,
            took,
            reloaded_after,
            warnings: &built.warnings,
            timings: &built.timings,
            cpu,
        }),
        Outcome::Failed(diagnostics) => report(ServeEvent::Failed { diagnostics, took }),
    }
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        _ => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Files, OutputFile};
    use serde_json::json;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// `n` errors at lines 1..=n of a file that is not there (so without snippets).
    fn errors(n: usize) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        for line in 1..=n {
            diagnostics.push(crate::diag::Diagnostic::error(
                "content/x.md",
                line,
                1,
                crate::diag::msg!("problem {line}"),
            ));
        }
        diagnostics
    }

    #[test]
    fn the_overlay_shows_the_first_problems_and_counts_the_rest() {
        let root = std::path::Path::new("/nonexistent-site");
        let text = overlay_text(&errors(OVERLAY_LIMIT + 5), root);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), OVERLAY_LIMIT + 1, "{text}");
        assert_eq!(lines[0], "content/x.md:1:1: error: problem 1");
        assert_eq!(lines[OVERLAY_LIMIT - 1], format!("content/x.md:{OVERLAY_LIMIT}:1: error: problem {OVERLAY_LIMIT}"));
        assert_eq!(lines[OVERLAY_LIMIT], "... and 5 more: the terminal shows every one");
        let all = overlay_text(&errors(OVERLAY_LIMIT), root);
        assert_eq!(all.lines().count(), OVERLAY_LIMIT, "no count when every problem is shown");
        assert!(all.lines().last().is_some_and(|l| l.ends_with(&format!("problem {OVERLAY_LIMIT}"))));
    }

    fn event(kind: notify::EventKind, path: &str) -> FileEvent {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    /// Sends `later` after `pause` on another thread, and gathers the burst that starts
    /// with `first`: how many events it holds.
    fn burst_of(first: FileEvent, pause: Duration, later: FileEvent) -> usize {
        let (tx, rx) = std::sync::mpsc::channel();
        // The sender is returned, so the channel stays open as the watcher's does.
        let sender = std::thread::spawn(move || {
            std::thread::sleep(pause);
            let _ = tx.send(later);
            tx
        });
        let burst = settled_burst(first, &rx);
        sender.join().unwrap();
        burst.len()
    }

    #[test]
    fn a_burst_ends_when_quiet_but_not_while_a_file_is_being_written() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RemoveKind};
        let (created, closed) =
            (EventKind::Create(CreateKind::File), EventKind::Access(AccessKind::Close(AccessMode::Write)));
        let pause = SETTLE * 10;
        // A file closed, then another event well after the quiet period: two bursts.
        assert_eq!(burst_of(event(closed, "a.md"), pause, event(EventKind::Remove(RemoveKind::File), "b.md")), 1);
        // A file created (its writer held up) is waited for until it is closed.
        let waited = if cfg!(target_os = "linux") { 2 } else { 1 };
        assert_eq!(burst_of(event(created, "a.md"), pause, event(closed, "a.md")), waited);
        let written = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Content));
        assert_eq!(burst_of(event(written, "a.md"), pause, event(closed, "a.md")), waited);
        // Another file's close does not end the wait; the burst's longest span does.
        let started = Instant::now();
        assert_eq!(burst_of(event(created, "a.md"), pause, event(closed, "b.md")), waited);
        assert!(!cfg!(target_os = "linux") || started.elapsed() >= LONGEST_BURST);
    }

    #[test]
    fn a_burst_that_made_a_folder_waits_for_the_files_written_into_it() {
        use notify::event::{CreateKind, EventKind, ModifyKind};
        let folder = EventKind::Create(CreateKind::Folder);
        let written = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Content));
        // A file's first event, 20 ms after its folder was made, joins the folder's burst...
        assert_eq!(burst_of(event(folder, "templates"), SETTLE * 10, event(written, "templates/a.html")), 2);
        // ...but not when nothing came for the longer quiet time.
        let later = QUIET_AFTER_NEW_FOLDER + SETTLE * 10;
        assert_eq!(burst_of(event(folder, "templates"), later, event(written, "templates/a.html")), 1);
    }

    fn page(text: &str) -> Arc<Files> {
        let mut files = Files::new();
        files.insert("index.html".into(), OutputFile::bytes(&b"home"[..]));
        files.insert("people/a/index.html".into(), OutputFile::bytes(text.as_bytes().to_vec()));
        Arc::new(files)
    }

    /// `shared` served on a free port of 127.0.0.1: the address and the server's task.
    async fn serving(shared: &Arc<Shared>) -> (SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = http::router(shared.clone(), access::Access::default());
        (addr, tokio::spawn(axum::serve(listener, router).into_future()))
    }

    async fn get(addr: SocketAddr, path: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response
    }

    #[test]
    fn a_page_still_rendering_after_the_reload_is_answered_once_it_is_rendered() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let shared = Arc::new(Shared::new());
            shared.swap_in(page("before the edit"));
            let (addr, server) = serving(&shared).await;
            shared.set_following(&Pending::pages(["people/a/index.html".to_string()]));

            let other = tokio::time::timeout(Duration::from_secs(5), get(addr, "/")).await;
            assert!(other.expect("a page that is not following waited").contains("home"));
            let waiting = tokio::spawn(get(addr, "/people/a/"));
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(!waiting.is_finished(), "the page was answered before it was rendered");
            shared.swap_in(page("after the edit"));
            shared.set_following(&Pending::default());
            let answer = tokio::time::timeout(Duration::from_secs(5), waiting).await;
            let answer = answer.expect("still waiting after the page was rendered").unwrap();
            assert!(answer.contains("after the edit"), "{answer}");
            server.abort();
        });
    }

    #[test]
    fn a_request_for_a_page_still_to_follow_asks_for_it_until_it_is_rendered() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let shared = Arc::new(Shared::new());
            shared.swap_in(page("before the edit"));
            let (addr, server) = serving(&shared).await;
            let (a, b) = ("people/a/index.html".to_string(), "people/b/index.html".to_string());
            shared.set_following(&Pending::pages([a.clone(), b.clone()]));
            let other = tokio::time::timeout(Duration::from_secs(5), get(addr, "/")).await;
            assert!(other.is_ok() && shared.asked().is_empty(), "a page that does not follow was asked for");
            let waiting = tokio::spawn(get(addr, "/people/a/"));
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(shared.asked(), [a.clone()].into(), "the page a request waits for is not asked for");
            // A batch that leaves it pending keeps asking for it.
            shared.set_following(&Pending::pages([a.clone()]));
            assert_eq!(shared.asked(), [a].into(), "the page was forgotten before it was rendered");
            shared.set_following(&Pending::pages([b]));
            assert!(shared.asked().is_empty(), "a rendered page is still asked for");
            let answer = tokio::time::timeout(Duration::from_secs(5), waiting).await;
            assert!(answer.expect("still waiting after the page was rendered").is_ok());
            server.abort();
        });
    }

    #[test]
    fn after_a_resolve_every_page_but_the_edited_one_waits_for_the_pages_that_follow() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let shared = Arc::new(Shared::new());
            let mut files = (*page("before the edit")).clone();
            files.insert("reports/edited/index.html".into(), OutputFile::bytes(&b"the edited report"[..]));
            files.insert("style.css".into(), OutputFile::bytes(&b"body {}"[..]));
            shared.swap_in(Arc::new(files.clone()));
            let (addr, server) = serving(&shared).await;
            shared.set_following(&Pending::all_pages_but(["reports/edited/index.html".to_string()].into()));

            // The edited report's page and the files it loads are answered at once.
            for (path, text) in [("/reports/edited/", "the edited report"), ("/style.css", "body {}")] {
                let answer = tokio::time::timeout(Duration::from_secs(5), get(addr, path)).await;
                assert!(answer.unwrap_or_else(|_| panic!("{path} waited")).contains(text));
            }
            // Any other page waits, even one that does not exist yet (a new person's).
            let home = tokio::spawn(get(addr, "/"));
            let new_person = tokio::spawn(get(addr, "/people/new/"));
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(!home.is_finished() && !new_person.is_finished(), "a page was answered before it was rendered");
            files.insert("index.html".into(), OutputFile::bytes(&b"home after the edit"[..]));
            files.insert("people/new/index.html".into(), OutputFile::bytes(&b"a new person"[..]));
            shared.swap_in(Arc::new(files));
            shared.set_following(&Pending::default());
            for (answer, text) in [(home, "home after the edit"), (new_person, "a new person")] {
                let answer = tokio::time::timeout(Duration::from_secs(5), answer).await;
                assert!(answer.expect("still waiting after the pages were rendered").unwrap().contains(text));
            }
            server.abort();
        });
    }

    /// The site's feed as served.
    fn served_feed(shared: &Shared) -> String {
        let files = shared.files();
        let Some(OutputFile::Bytes(bytes)) = files.get("feed.xml") else { panic!("no feed served") };
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// A serve session of the site in `root`, built and served, with what it serves.
    fn session_built(root: &std::path::Path) -> (Session, Arc<Shared>) {
        let pipeline = Pipeline::open(root, crate::BuildOptions::default()).unwrap();
        let shared = Arc::new(Shared::new());
        let indexer = search::Indexer::start(shared.clone());
        let saved_again = Arc::new(AtomicBool::new(false));
        let mut session = Session::new(pipeline, shared.clone(), indexer, saved_again);
        assert!(matches!(session.pipeline.build(), Outcome::Built(_)));
        shared.swap_in(session.pipeline.files().unwrap());
        (session, shared)
    }

    /// The pages (`.html` files) of `files`, with their bytes.
    fn html_pages(files: &crate::output::Files) -> std::collections::BTreeMap<String, Vec<u8>> {
        let html = files.iter().filter(|(path, _)| path.ends_with(".html"));
        html.filter_map(|(path, file)| match file {
            OutputFile::Bytes(bytes) => Some((path.clone(), bytes.to_vec())),
            OutputFile::Static(_) => None,
        })
        .collect()
    }

    #[test]
    fn pages_left_when_the_author_saves_again_wait_and_follow_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: Test\nbase_url: https://example.org/\npaginate: 2\n").unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        let report = |i: usize| root.join(format!("content/reports/talks-{i}.md"));
        let write = |i: usize, day: usize, body: &str| {
            let front = format!(
                "title: Talks {i}\ndate: 2020-07-{day:02}\ncities:\n  - name: City {}\n\
                 officials:\n  - name: Person {i}\n    role: Envoy\n  - Person {}\n",
                i % 3,
                (i + 1) % 8
            );
            std::fs::write(report(i), format!("---\n{front}---\n{body}\n")).unwrap();
            ChangeSet { content: [report(i)].into(), ..ChangeSet::default() }
        };
        for i in 0..8 {
            write(i, 10 + i, "The talks.");
        }
        let (mut session, shared) = session_built(root);
        let (_events_tx, events) = std::sync::mpsc::channel();

        // The oldest report becomes the newest: every list moves, in batches after the
        // reload; the author saves again during the first.
        session.saved_again.store(true, Ordering::Relaxed);
        assert!(session.apply(&write(0, 28, "The talks."), &events, &mut |_| {}).is_none());
        let served = shared.files();
        let waiting: Vec<&String> = served.keys().filter(|page| shared.waits_for(page)).collect();
        assert!(!waiting.is_empty(), "every page followed the save though the author saved again");
        assert!(shared.waits_for("index.html"), "the home page, not rendered yet, is answered");

        // The next save, a body: the pages left follow it, and nothing waits after it.
        session.saved_again.store(false, Ordering::Relaxed);
        assert!(session.apply(&write(3, 13, "Saved again."), &events, &mut |_| {}).is_none());
        let served = shared.files();
        assert!(!served.keys().any(|page| shared.waits_for(page)), "pages still wait after the next save");
        let mut fresh = Pipeline::open(root, crate::BuildOptions::default()).unwrap();
        let Outcome::Built(built) = fresh.build() else { panic!("the full build failed") };
        assert_eq!(html_pages(&served), html_pages(&built.files), "the pages served are not as built");
    }

    /// A site with feeds in `root`, with no report yet; the path of its one report.
    fn site_of_talks(root: &std::path::Path) -> PathBuf {
        std::fs::write(root.join("site.yaml"), "title: Test\nbase_url: https://example.org/\n").unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        root.join("content/reports/talks.md")
    }

    #[test]
    fn a_save_during_a_rebuild_goes_before_the_feeds_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let report = site_of_talks(root);
        let write = |title: &str, date: &str| {
            std::fs::write(&report, format!("---\ntitle: {title}\ndate: {date}\n---\nThe talks.\n")).unwrap()
        };
        write("First talks", "2020-07-23");
        let (mut session, shared) = session_built(root);
        let save = |title: &str, date: &str| {
            write(title, date);
            ChangeSet { content: [report.clone()].into(), ..ChangeSet::default() }
        };
        let (_events_tx, events) = std::sync::mpsc::channel();

        // A new date (every feed is made again), and another save reported by the watcher
        // while the pages were rebuilt: the feeds and the index wait for it.
        let edit = save("Second talks", "2020-07-24");
        let gate = session.indexer.gate().clone();
        // The watcher closes the indexer's gate at each save.
        gate.close();
        session.saved_again.store(true, Ordering::Relaxed);
        assert!(session.apply(&edit, &events, &mut |_| {}).is_none());
        assert!(served_feed(&shared).contains("First talks"), "the feed was made while the author saved again");
        assert!(session.index_due, "the search index was not left for later");
        assert!(gate.is_closed(), "the indexer was let go before the next save's rebuild");
        // Still saving: catching up stops at once.
        session.catch_up();
        assert!(served_feed(&shared).contains("First talks") && session.index_due, "caught up while saving");
        // The next round: the feed follows, and the index once the sources are left alone;
        // until then, an index the indexer may be making is of an older site, and waits.
        session.saved_again.store(false, Ordering::Relaxed);
        session.catch_up();
        assert!(served_feed(&shared).contains("Second talks"), "catching up left the feed behind");
        assert!(session.index_due, "the index was made before the sources were left alone");
        assert!(gate.is_closed(), "an index of the site before the save went on");
        session.submit_index();
        assert!(!session.index_due && !gate.is_closed(), "the indexer still waits once the index is asked for");

        // With no save coming, the feed follows each edit at once.
        assert!(session.apply(&save("Third talks", "2020-07-25"), &events, &mut |_| {}).is_none());
        assert!(served_feed(&shared).contains("Third talks"));
        assert!(session.apply(&save("Fourth talks", "2020-07-25"), &events, &mut |_| {}).is_none());
        assert!(served_feed(&shared).contains("Fourth talks"));
    }

    #[test]
    fn the_search_index_is_made_once_no_save_came_for_a_while() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let report = site_of_talks(root);
        std::fs::write(&report, "---\ntitle: Talks\ndate: 2020-07-23\n---\nThe talks in Weihai.\n").unwrap();
        let (mut session, _shared) = session_built(root);
        session.quiet_before_indexing = Duration::from_millis(300);
        let (events_tx, events) = std::sync::mpsc::channel();
        std::fs::write(&report, "---\ntitle: Talks\ndate: 2020-07-24\n---\nThe talks in Qingdao.\n").unwrap();
        let edit = ChangeSet { content: [report.clone()].into(), ..ChangeSet::default() };
        assert!(session.apply(&edit, &events, &mut |_| {}).is_none());
        assert!(session.index_due, "the index was made right after the save");

        // An event after `wait`, from the watcher's thread.
        let event_after = |wait: u64| {
            let events_tx = events_tx.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(wait));
                events_tx.send(Ok(notify::Event::new(notify::EventKind::Any))).unwrap();
            })
        };
        // A save within the quiet time: returned, the index still due.
        let soon = event_after(50);
        assert!(session.next_event(&events).is_some());
        assert!(session.index_due, "indexed before the quiet time was over");
        soon.join().unwrap();

        // Left alone: the index is made once the quiet time has passed since the rebuild,
        // before the save that comes a while later.
        let later = event_after(1500);
        assert!(session.next_event(&events).is_some());
        assert!(!session.index_due, "no index once the sources were left alone");
        later.join().unwrap();
    }

    #[test]
    fn live_reload_messages_are_json_objects_with_a_type() {
        let table = [
            (LiveReload::Hello, json!({ "type": "hello" })),
            (LiveReload::Reload, json!({ "type": "reload" })),
            (LiveReload::Css { paths: vec!["a.css".into()] }, json!({ "type": "css", "paths": ["a.css"] })),
            (LiveReload::Error { text: "<b>x</b>".into() }, json!({ "type": "error", "text": "<b>x</b>" })),
            (LiveReload::Ok, json!({ "type": "ok" })),
        ];
        for (message, expected) in table {
            let sent: serde_json::Value = serde_json::from_str(&message.to_json()).unwrap();
            assert_eq!(sent, expected, "{message:?}");
        }
    }
}
