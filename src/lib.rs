//! communique: a static site generator for cooperation reports.
//!
//! The pipeline, each stage pushing problems into one [`Diagnostics`] so a run reports
//! every error at once ([`build_into`] runs it; the functions named are those called):
//!
//! ```text
//! Project::load ─▶ load::load ─▶ Sources ─▶ model::resolve::resolve ─▶ Site
//!   render::theme::Theme::load ─▶ Theme        render::render_bodies ─▶ Bodies
//!   render::render_into(Site, Theme, Bodies) ─▶ each file to an output::Sink:
//!     write::Staging on disk (`build`: Staging::commit puts it in place of output/),
//!     or output::MemorySink (library users, tests)
//! ```
//!
//! Library code returns values; only `cmd/` prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod diag;
pub mod figure;
pub mod linkcheck;
pub mod load;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod render;
pub mod serve;
pub mod text;
pub mod write;

use std::time::{Duration, Instant};

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

/// A build whose files went to a [`output::Sink`]: the site model and the stage times.
pub struct Rendered {
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline in memory, writing nothing. `None` when any stage found errors
/// (they are in `diags`).
pub fn build(project: &Project, progress: &dyn Progress, diags: &mut Diagnostics) -> Option<Built> {
    let sink = output::MemorySink::default();
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
    sink: &dyn output::Sink,
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
    let bodies = render::render_bodies(&site, None, diags);
    lap("markdown", &mut timings);
    if diags.has_errors() {
        return None;
    }
    let rendered = render::render_into(&site, &theme?, &bodies, progress, diags, sink);
    lap("render", &mut timings);
    rendered.then_some(Rendered { site, timings })
}
