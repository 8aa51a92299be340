//! The search index in `serve`: rebuilt on a thread of its own once the sources have been
//! left alone after a successful rebuild (the rebuild loop submits the job, see
//! `QUIET_BEFORE_INDEXING` in `serve`), so indexing never delays the preview.
//!
//! Jobs go into a one-place mailbox: a newer job replaces one still waiting, and an index
//! being made when a newer job arrives is abandoned at its next page or chunk, so the
//! index served is always that of the latest good site of the last pause in the saves.
//!
//! Indexing a large site takes seconds of CPU. So that it never competes with the next
//! rebuild, it runs at the lowest scheduling priority (Linux) in a thread pool of its own
//! (Pagefind's parallel steps would otherwise queue in the rebuild's pool), and it waits
//! at its [`Gate`] from the moment a source is saved until that save's pages are served
//! (or, when the save changed the site, until the next job is submitted): even at the
//! lowest priority, indexing on the other core slowed a trilingual rebuild by a third
//! (the cores share caches and, on a virtual machine, perhaps more).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::shared::Shared;
use crate::output::{Files, OutputFile};
use crate::pipeline::SearchRecords;
use crate::render::search;

/// A running indexer thread; dropping every handle lets the thread end.
#[derive(Clone)]
pub struct Indexer {
    mailbox: Arc<(Mutex<Mailbox>, Condvar)>,
    gate: Arc<Gate>,
}

/// Where the indexer waits while a rebuild runs: closed by the file watcher when a source
/// changes, opened by the rebuild loop once that change is served and the index is not
/// behind it, or once the next job is submitted. The indexer asks it before each page and
/// each index chunk it makes.
#[derive(Default)]
pub struct Gate {
    closed: AtomicBool,
    lock: Mutex<()>,
    opened: Condvar,
}

impl Gate {
    /// Stops the indexer at its next page or chunk.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    /// Lets the indexer go on.
    pub fn open(&self) {
        // Under the lock: a waiter between its check and its wait would miss the signal.
        let _held = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.closed.store(false, Ordering::SeqCst);
        self.opened.notify_all();
    }

    #[cfg(test)]
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Returns at once when open; otherwise once opened.
    fn wait_open(&self) {
        if !self.closed.load(Ordering::SeqCst) {
            return;
        }
        let mut held = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        while self.closed.load(Ordering::SeqCst) {
            // Timed, so that nothing can leave the indexer asleep for good.
            held = self.opened.wait_timeout(held, Duration::from_millis(250)).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

#[derive(Default)]
struct Mailbox {
    job: Option<SearchRecords>,
    closed: bool,
}

impl Indexer {
    /// Starts the thread that puts finished indexes into `shared`.
    pub fn start(shared: Arc<Shared>) -> Indexer {
        let mailbox: Arc<(Mutex<Mailbox>, Condvar)> = Arc::default();
        let gate: Arc<Gate> = Arc::default();
        let (worker, worker_gate) = (mailbox.clone(), gate.clone());
        std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || {
                lower_priority();
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .thread_name(|_| "search-index-worker".into())
                    .start_handler(|_| lower_priority())
                    .build();
                match pool {
                    Ok(pool) => pool.install(|| run(&worker, &shared, &worker_gate)),
                    Err(_) => run(&worker, &shared, &worker_gate),
                }
            })
            .expect("start the search indexer thread");
        Indexer { mailbox, gate }
    }

    /// The gate the indexer waits at.
    pub fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    /// Asks for an index of `job`, the records of the latest good site and the settings
    /// of its index, one per language (none when search is off: the index served is then
    /// emptied), replacing any job not started yet.
    pub fn submit(&self, job: SearchRecords) {
        let (lock, signal) = &*self.mailbox;
        lock.lock().unwrap_or_else(|e| e.into_inner()).job = Some(job);
        signal.notify_one();
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        // The worker holds one more reference; the last handle closes the mailbox.
        if Arc::strong_count(&self.mailbox) == 2 {
            // A job waiting at the gate is let through to end with the rest.
            self.gate.open();
            let (lock, signal) = &*self.mailbox;
            lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
            signal.notify_one();
        }
    }
}

/// The files of every language's index, each made with (and kept in) its own memory;
/// abandoned (an error) when `pause` says so.
fn index_each(indexes: SearchRecords, kept: &mut [search::IndexMemory], pause: search::Pause) -> Result<Files, String> {
    let mut files = Files::new();
    for ((records, settings), memory) in indexes.into_iter().zip(kept) {
        let (made, _) = search::index_files(records, &settings, Some(memory), pause)?;
        files.extend(made.into_iter().map(|(path, bytes)| (path, OutputFile::bytes(bytes))));
    }
    Ok(files)
}

/// Makes the calling thread yield the CPU to every other thread of the process.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls with no pointers; on Linux, PRIO_PROCESS with a thread id
    // sets that one thread's nice value (threads are tasks there).
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 19);
    }
}

fn run(mailbox: &(Mutex<Mailbox>, Condvar), shared: &Shared, gate: &Gate) {
    // The shards of the last index of each language: an edit usually changes one, and
    // only that one is indexed again.
    let mut kept: Vec<search::IndexMemory> = Vec::new();
    while let Some(job) = next_job(mailbox) {
        kept.resize_with(job.len(), Default::default);
        let files = match index_each(job, &mut kept, &|| go_on(gate, mailbox)) {
            Ok(files) => files,
            // Abandoned for the newer job (indexing in memory does not fail otherwise):
            // the previous index stays until that one is made.
            Err(_) => continue,
        };
        if !newer_waiting(mailbox) {
            shared.set_search(Arc::new(files));
        }
    }
}

/// The indexer's [`search::Pause`]: waits at the gate, then goes on unless a newer site
/// waits to be indexed.
fn go_on(gate: &Gate, mailbox: &(Mutex<Mailbox>, Condvar)) -> bool {
    gate.wait_open();
    !newer_waiting(mailbox)
}

/// Whether a job waits in the mailbox: the index being made is of an older site.
fn newer_waiting(mailbox: &(Mutex<Mailbox>, Condvar)) -> bool {
    mailbox.0.lock().unwrap_or_else(|e| e.into_inner()).job.is_some()
}

/// Waits for a job; `None` once the mailbox is closed.
fn next_job(mailbox: &(Mutex<Mailbox>, Condvar)) -> Option<SearchRecords> {
    let (lock, signal) = mailbox;
    let mut inbox = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(job) = inbox.job.take() {
            return Some(job);
        }
        if inbox.closed {
            return None;
        }
        inbox = signal.wait(inbox).unwrap_or_else(|e| e.into_inner());
    }
}

#[cfg(all(test, feature = "search"))]
mod tests {
    use super::*;
    use crate::render::search::{BUNDLE_DIR, IndexSettings, REPORTS_PER_SHARD, Record};
    use std::time::Instant;

    /// A site of one report, in English.
    fn one_report() -> SearchRecords {
        let record = Record {
            url: "reports/talks/".into(),
            content: "Talks on the port of Weihai".into(),
            meta: [("title".to_string(), "Talks".to_string())].into(),
            filters: Default::default(),
            sort: Default::default(),
        };
        let settings = IndexSettings {
            reports: 1,
            reports_per_shard: REPORTS_PER_SHARD,
            language: "en".into(),
            folder: BUNDLE_DIR.into(),
        };
        vec![(vec![record], settings)]
    }

    /// Whether an index is served within `time`.
    fn indexed_within(shared: &Shared, time: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < time {
            if shared.search().iter().any(|(path, _)| path.ends_with(".pf_meta")) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn an_index_goes_on_once_the_gate_opens_unless_a_newer_job_waits() {
        // The indexer's mailbox and gate, without its thread (which would take the job).
        let mailbox: (Mutex<Mailbox>, Condvar) = Default::default();
        let gate: Arc<Gate> = Arc::default();
        assert!(go_on(&gate, &mailbox), "an index with nothing newer waiting was stopped");

        gate.close();
        let opener = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                gate.open();
            })
        };
        let waited = Instant::now();
        assert!(go_on(&gate, &mailbox));
        assert!(waited.elapsed() >= Duration::from_millis(300), "went on while the gate was closed");
        opener.join().unwrap();

        // A newer job in the mailbox, as while the indexer makes an older one.
        mailbox.0.lock().unwrap().job = Some(one_report());
        assert!(!go_on(&gate, &mailbox), "an index of an older site went on");
    }

    #[test]
    fn the_index_waits_while_the_gate_is_closed_and_is_made_once_it_opens() {
        let shared = Arc::new(Shared::new());
        let indexer = Indexer::start(shared.clone());
        indexer.gate().close();
        indexer.submit(one_report());
        assert!(!indexed_within(&shared, Duration::from_millis(700)), "indexed while a rebuild held the gate");
        indexer.gate().open();
        assert!(indexed_within(&shared, Duration::from_secs(30)), "no index once the gate opened");
    }
}
