//! The search index in `serve`: rebuilt on a thread of its own after each successful
//! rebuild, once the tabs have been told to reload, so indexing never delays the preview.
//!
//! Jobs go into a one-place mailbox: a newer job replaces one still waiting, and an index
//! finished while a newer job waits is thrown away, so the index served is always that of
//! the latest good site (or, briefly after an edit, of the one before it).

use std::sync::{Arc, Condvar, Mutex};

use super::{Files, Served, Shared};
use crate::render::search::{self, Record};

/// What to index: the records of the latest good site, or nothing when search is off.
pub enum Job {
    Index { records: Vec<Record>, language: String },
    Clear,
}

/// A running indexer thread; dropping every handle lets the thread end.
#[derive(Clone)]
pub struct Indexer {
    mailbox: Arc<(Mutex<Mailbox>, Condvar)>,
}

#[derive(Default)]
struct Mailbox {
    job: Option<Job>,
    closed: bool,
}

impl Indexer {
    /// Starts the thread that puts finished indexes into `shared`.
    pub fn start(shared: Arc<Shared>) -> Indexer {
        let mailbox: Arc<(Mutex<Mailbox>, Condvar)> = Arc::default();
        let worker = mailbox.clone();
        std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || run(&worker, &shared))
            .expect("start the search indexer thread");
        Indexer { mailbox }
    }

    /// Asks for `job`, replacing any job not started yet.
    pub fn submit(&self, job: Job) {
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

fn run(mailbox: &(Mutex<Mailbox>, Condvar), shared: &Shared) {
    while let Some(job) = next_job(mailbox) {
        let files = match job {
            Job::Clear => Files::new(),
            Job::Index { records, language } => match search::index_files(records, &language) {
                Ok(files) => files.into_iter().map(|(path, bytes)| (path, Served::Page(bytes.into()))).collect(),
                // Indexing in memory does not fail in practice; keep the previous index.
                Err(_) => continue,
            },
        };
        let superseded = mailbox.0.lock().unwrap_or_else(|e| e.into_inner()).job.is_some();
        if !superseded {
            shared.set_search(Arc::new(files));
        }
    }
}

/// Waits for a job; `None` once the mailbox is closed.
fn next_job(mailbox: &(Mutex<Mailbox>, Condvar)) -> Option<Job> {
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
