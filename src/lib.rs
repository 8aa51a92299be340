//! communique: a static site generator for cooperation reports.
//!
//! The pipeline, each stage pushing problems into one [`Diagnostics`] so a run reports
//! every error at once:
//!
//! ```text
//! Project ─load─▶ Sources ─resolve─▶ Site ─render_bodies─▶ Bodies ─render─▶ Output ─write::commit─▶ output/
//! ```
//!
//! Library code returns values; only `cmd/` prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diag;
pub mod linkcheck;
pub mod load;
pub mod model;
pub mod project;
pub mod render;
pub mod serve;
pub mod write;

use std::time::{Duration, Instant};

pub use diag::{Diagnostic, Diagnostics};
pub use model::Site;
pub use project::{BuildOptions, Project};
pub use render::Output;

/// Receives progress from long stages; the CLI draws a bar, tests ignore it.
pub trait Progress: Sync {
    fn start(&self, _stage: &str, _total: usize) {}
    fn advance(&self, _n: usize) {}
    fn finish(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// A finished build: the site model, every output file and how long each stage took.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A build whose files went to a [`render::Sink`]: the site model and the stage times.
pub struct Rendered {
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline in memory, writing nothing. `None` when any stage found errors
/// (they are in `diags`).
pub fn build(project: &Project, progress: &dyn Progress, diags: &mut Diagnostics) -> Option<Built> {
    let sink = render::MemorySink::default();
    let Rendered { site, timings } = build_into(project, progress, diags, &sink)?;
    Some(Built { site, output: sink.into_output(), timings })
}

/// Runs the whole pipeline, handing every output file to `sink` as soon as it is made
/// (`write::Staging` writes it to disk), so no more than the pages being rendered are in
/// memory at once. `None` when any stage found errors; `sink` then holds an incomplete site.
pub fn build_into(
    project: &Project,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
    sink: &dyn render::Sink,
) -> Option<Rendered> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<_>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let sources = load::load(project, diags);
    lap("load", &mut timings);
    let site = model::resolve::resolve(sources, &project.config, project.options.drafts, diags);
    lap("resolve", &mut timings);
    let theme = render::theme::Theme::load(project, diags);
    lap("theme", &mut timings);
    let bodies = render::render_bodies(&site, diags);
    lap("markdown", &mut timings);
    if diags.has_errors() {
        return None;
    }
    let rendered = render::render_into(&site, &theme?, &bodies, progress, diags, sink);
    lap("render", &mut timings);
    rendered.then_some(Rendered { site, timings })
}
