//! The search index in `serve`: rebuilt on a thread of its own after each successful
//! rebuild, once the tabs have been told to reload, so indexing never delays the preview.
//!
//! Jobs go into a one-place mailbox: a newer job replaces one still waiting, and an index
//! finished while a newer job waits is thrown away, so the index served is always that of
//! the latest good site (or, briefly after an edit, of the one before it).
//!
//! Indexing a large site takes seconds of CPU. So that it never competes with the next
//! rebuild, it runs at the lowest scheduling priority (Linux) in a thread pool of its own
//! (Pagefind's parallel steps would otherwise queue in the rebuild's pool).

use std::sync::{Arc, Condvar, Mutex};

use super::shared::Shared;
use crate::output::{Files, OutputFile};
use crate::pipeline::SearchRecords;
use crate::render::search;

/// A running indexer thread; dropping every handle lets the thread end.
#[derive(Clone)]
pub struct Indexer {
    mailbox: Arc<(Mutex<Mailbox>, Condvar)>,
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
        let worker = mailbox.clone();
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
                    Ok(pool) => pool.install(|| run(&worker, &shared)),
                    Err(_) => run(&worker, &shared),
                }
            })
            .expect("start the search indexer thread");
        Indexer { mailbox }
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
            let (lock, signal) = &*self.mailbox;
            lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
            signal.notify_one();
        }
    }
}

/// The files of every language's index, each made with (and kept in) its own memory.
fn index_each(indexes: SearchRecords, kept: &mut [search::IndexMemory]) -> Result<Files, String> {
    let mut files = Files::new();
    for ((records, settings), memory) in indexes.into_iter().zip(kept) {
        let (made, _) = search::index_files(records, &settings, Some(memory))?;
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

fn run(mailbox: &(Mutex<Mailbox>, Condvar), shared: &Shared) {
    // The shards of the last index of each language: an edit usually changes one, and
    // only that one is indexed again.
    let mut kept: Vec<search::IndexMemory> = Vec::new();
    while let Some(job) = next_job(mailbox) {
        kept.resize_with(job.len(), Default::default);
        let files = match index_each(job, &mut kept) {
            Ok(files) => files,
            // Indexing in memory does not fail in practice; keep the previous index.
            Err(_) => continue,
        };
        let superseded = mailbox.0.lock().unwrap_or_else(|e| e.into_inner()).job.is_some();
        if !superseded {
            shared.set_search(Arc::new(files));
        }
    }
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
