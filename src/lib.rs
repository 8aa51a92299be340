//! communique: a static site generator for cooperation reports.
//!
//! The pipeline, each stage pushing problems into one [`Diagnostics`] so a run reports
//! every error at once ([`build_into`] runs it through [`pipeline::Pipeline::build_into`];
//! `serve` runs the same stages with a memory, see [`pipeline`]; the functions named are
//! those called):
//!
//! ```text
//! Project::load ─▶ load::cache::SourceCache::read ─▶ Sources ─▶ model::resolve::resolve ─▶ Site
//!   render::images::publish(Site) ─▶ photos and report-folder files to the sink, Site::media
//!   render::theme::Theme::load ─▶ Theme        render::render_bodies ─▶ Bodies
//!   render::render_into(Site, Theme, Bodies, Plan) ─▶ each file to an output::Sink:
//!     write::Staging on disk (`build`: Staging::commit puts it in place of output/),
//!     output::MemorySink (library users, tests), output::Overlay (`serve`)
//! ```
//!
//! Library code returns values; only `cmd/` prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod date;
pub mod diag;
pub mod figure;
pub mod linkcheck;
pub mod load;
pub mod locale;
pub mod media;
pub mod model;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod render;
pub mod schema;
pub mod serve;
pub mod text;
pub mod theme_copy;
pub mod write;

use std::time::Duration;

pub use diag::{Diagnostic, Diagnostics};
pub use model::Site;
pub use output::Output;
pub use progress::{NoProgress, Progress};
pub use project::{BuildOptions, Project};

/// A finished build: the site model, every output file and how long each stage took.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub timings: Vec<(&'static str, Duration)>,
}

pub use pipeline::Rendered;

/// Runs the whole pipeline in memory, writing nothing. `None` when any stage found errors
/// (they are in `diags`).
pub fn build(project: &Project, progress: &dyn Progress, diags: &mut Diagnostics) -> Option<Built> {
    let sink = output::MemorySink::default();
    let Rendered { site, timings, .. } = build_into(project, progress, diags, &sink)?;
    Some(Built { site, output: sink.into_output(), timings })
}

/// Runs the whole pipeline, handing every output file to `sink` as soon as it is made
/// (`write::Staging` writes it to disk), so no more than the pages being rendered are in
/// memory at once. `None` when any stage found errors; `sink` then holds an incomplete site.
pub fn build_into(
    project: &Project,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
    sink: &dyn output::Sink,
) -> Option<Rendered> {
    pipeline::Pipeline::new(project.clone()).build_into(progress, diags, sink)
}
