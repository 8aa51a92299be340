//! Progress of long stages: the CLI draws a bar, tests and libraries pass [`NoProgress`].

/// Receives progress from long stages; the CLI draws a bar, tests ignore it.
pub trait Progress: Sync {
    fn start(&self, _stage: &str, _total: usize) {}
    fn advance(&self, _n: usize) {}
    fn finish(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}
