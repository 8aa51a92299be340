//! Serving photos' variants as they are made after the reload message
//! ([`super::Pipeline::make_photos`]): each goes into the files served and out of what
//! requests wait for. Serving costs a copy of the map of files served (the served one is
//! shared with the server), a few milliseconds in a large site, so variants made while the
//! last copy is recent are served together: at most about a tenth of the time goes to it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Pending;
use crate::output::{Files, OutputFile};

/// How much longer than the last copy of the files took to wait before the next.
const SPACING: u32 = 10;

/// Variants made and not yet served, and what serving the last ones took.
pub(super) struct Releases<'a, F: FnMut(Arc<Files>, &Pending)> {
    files: &'a mut Arc<Files>,
    pending: &'a mut Pending,
    shown: F,
    waiting: Vec<(String, OutputFile)>,
    /// The output paths served, in order.
    pub(super) changed: Vec<String>,
    last: Instant,
    cost: Duration,
}

impl<'a, F: FnMut(Arc<Files>, &Pending)> Releases<'a, F> {
    /// Serving into `files`, letting requests for them go from `pending`, through `shown`.
    pub(super) fn new(files: &'a mut Arc<Files>, pending: &'a mut Pending, shown: F) -> Self {
        let (changed, waiting) = (Vec::new(), Vec::new());
        Releases { files, pending, shown, waiting, changed, last: Instant::now(), cost: Duration::ZERO }
    }

    /// A variant made: served now, with any waiting, unless the last were served too
    /// recently for the cost of serving.
    pub(super) fn made(&mut self, path: &str, file: OutputFile) {
        self.waiting.push((path.to_string(), file));
        if self.last.elapsed() >= self.cost * SPACING {
            self.serve();
        }
    }

    /// Serves every variant made and waiting.
    pub(super) fn serve(&mut self) {
        if self.waiting.is_empty() {
            return;
        }
        let started = Instant::now();
        let files = Arc::make_mut(self.files);
        for (path, file) in self.waiting.drain(..) {
            self.pending.photos.remove(&path);
            files.insert(path.clone(), file);
            self.changed.push(path);
        }
        (self.shown)(self.files.clone(), self.pending);
        (self.last, self.cost) = (Instant::now(), started.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_made_soon_after_a_costly_serving_wait_for_the_next() {
        let (a, b) = ("reports/x/a-480.webp".to_string(), "reports/x/a-960.webp".to_string());
        let mut files = Arc::new(Files::new());
        let mut pending = Pending::default().with_photos([a.clone(), b.clone()]);
        let served = std::cell::RefCell::new(Vec::new());
        let shown = |files: Arc<Files>, pending: &Pending| {
            // A large site: copying its files takes a while.
            std::thread::sleep(Duration::from_millis(20));
            served.borrow_mut().push((files.len(), pending.holds(&a), pending.holds(&b)));
        };
        let mut releases = Releases::new(&mut files, &mut pending, shown);
        releases.made(&a, OutputFile::bytes(vec![1]));
        assert_eq!(*served.borrow(), [(1, false, true)], "the first variant made was not served at once");
        releases.made(&b, OutputFile::bytes(vec![2]));
        assert_eq!(served.borrow().len(), 1, "served again within moments of a costly serving");
        releases.serve();
        let changed = releases.changed;
        assert_eq!(served.borrow()[1], (2, false, false), "the waiting variant is not served at the end");
        assert_eq!(changed, [a, b]);
        assert!(pending.is_empty() && files.len() == 2);
    }
}
