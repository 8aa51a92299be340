//! `communique build`: build the site and swap it into the output folder.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use communique::{BuildOptions, Diagnostics, NoProgress, Progress, Project};
use indicatif::{ProgressBar, ProgressStyle};

use super::shared::{plural, print_diagnostics, stderr_is_terminal};
use crate::cli::{BuildArgs, DiagnosticFormat};

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        offline: args.offline,
        reports_per_shard: super::shared::reports_per_shard_from_env(),
    };
    let project = Project::load(&args.root, options, &mut diags)?;
    let explicit = args.output.is_some();
    let output_dir = match &args.output {
        Some(dir) => communique::paths::resolve_path(dir)?,
        None => project.default_output(),
    };
    let keep = &project.config.output_keep;
    communique::write::check_output_dir(&project.root, &output_dir, explicit, keep)?;
    // Reading every entry of a large output takes a moment: it runs beside the build,
    // which replaces nothing before it is done.
    let ownership = std::thread::spawn({
        let (dir, keep) = (output_dir.clone(), keep.clone());
        move || communique::write::check_ownership(&dir, &keep)
    });
    let progress: Box<dyn Progress> = if stderr_is_terminal() { Box::new(Bar::new()) } else { Box::new(NoProgress) };
    // Pages go to disk as they are rendered, into a folder that replaces the output only
    // once everything is written.
    let staging = communique::write::Staging::begin(&output_dir, keep)
        .with_context(|| format!("preparing {}", output_dir.display()))?;
    let built = communique::build_into(&project, progress.as_ref(), &mut diags, &staging);
    print_diagnostics(&project.root, &diags, args.format);
    ownership.join().expect("the ownership check does not panic")?;
    let Some(built) = built else {
        drop(staging);
        eprintln!("error: build failed; {} was left untouched", output_dir.display());
        return Ok(ExitCode::FAILURE);
    };
    let committed = Instant::now();
    let leftovers = staging.commit().with_context(|| format!("writing {}", output_dir.display()))?;
    for leftover in leftovers {
        // The new site is in place, so this is not a failure; the next build retries.
        eprintln!("warning: the previous output could not all be removed ({leftover}); the next build removes it");
    }
    let mut timings = built.timings;
    timings.push(("swap", committed.elapsed()));
    print_summary(&built.site, built.photos, started, &timings, args.format);
    Ok(ExitCode::SUCCESS)
}

/// `built 10,000 reports, ... in 1.2 s`, and each stage's time with COMMUNIQUE_TIMINGS.
fn print_summary(
    site: &communique::Site,
    photos: (usize, usize),
    started: Instant,
    timings: &[(&'static str, std::time::Duration)],
    format: DiagnosticFormat,
) {
    let summary = format!(
        "built {}, {}, {}{} in {:.2} s",
        plural(site.reports.len(), "report"),
        plural(site.people.len(), "person"),
        plural(site.cities.len(), "city"),
        photos_summary(photos.0, photos.1),
        started.elapsed().as_secs_f64()
    );
    // With --format json, stdout carries only diagnostics.
    match format {
        DiagnosticFormat::Human => println!("{summary}"),
        DiagnosticFormat::Json => eprintln!("{summary}"),
    }
    if std::env::var_os("COMMUNIQUE_TIMINGS").is_some() {
        for (stage, time) in timings {
            eprintln!("  {stage:<10} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}

/// `, 12 photos (2 processed, 10 from the cache)`, or nothing for a site without photos.
fn photos_summary(photos: usize, processed: usize) -> String {
    match (photos, processed) {
        (0, _) => String::new(),
        (_, 0) => format!(", {} (all from the cache)", plural(photos, "photo")),
        _ if processed == photos => format!(", {} (processed)", plural(photos, "photo")),
        _ => format!(", {} ({processed} processed, {} from the cache)", plural(photos, "photo"), photos - processed),
    }
}

/// A progress bar on stderr; indicatif limits redraws, so updates stay cheap.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::hidden();
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&self, stage: &str, total: usize) {
        // A few redraws a second are enough to read, and cost the build nothing.
        self.0.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
        self.0.set_length(total as u64);
        self.0.set_position(0);
        self.0.set_message(stage.to_string());
    }
    fn advance(&self, n: usize) {
        self.0.inc(n as u64);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
