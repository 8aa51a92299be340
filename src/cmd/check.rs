//! `communique check`: run the whole pipeline, report every problem, write nothing.

use std::process::ExitCode;

use communique::{BuildOptions, Diagnostics, NoProgress, Project};

use super::shared::{plural, print_diagnostics};
use crate::cli::{CheckArgs, DiagnosticFormat};

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut diags = Diagnostics::new();
    let options = BuildOptions { drafts: args.drafts, ..BuildOptions::default() };
    let project = Project::load(&args.root, options, &mut diags)?;
    let built = communique::build(&project, &NoProgress, &mut diags);
    // Only check looks at every link of every page: it costs about as much as rendering.
    if let Some(built) = &built {
        diags.extend(communique::linkcheck::broken_links(&built.output));
    }
    print_diagnostics(&project.root, &diags, args.format);
    let Some(built) = built.filter(|_| !diags.has_errors()) else { return Ok(ExitCode::FAILURE) };
    // With --format json, stdout carries only diagnostics.
    if args.format == DiagnosticFormat::Human {
        println!(
            "checked {}, {}, {}: no errors",
            plural(built.site.reports.len(), "report"),
            plural(built.site.people.len(), "person"),
            plural(built.site.cities.len(), "city")
        );
    }
    Ok(ExitCode::SUCCESS)
}
