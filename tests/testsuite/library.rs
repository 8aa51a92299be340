//! Builds a site through the library (`communique::build`) instead of the binary, for
//! tests that need every diagnostic of a run, warnings included, or the built model.

use std::path::Path;

use communique::{BuildOptions, Built, Diagnostics, NoProgress, Project};

/// The result of one library build: `built` is `None` when the run had errors.
pub struct LibraryBuild {
    pub built: Option<Built>,
    pub diags: Diagnostics,
    /// Every diagnostic rendered as `communique build` prints it, for assertion messages.
    pub report: String,
}

/// Runs the whole pipeline on the site at `root`, writing nothing.
pub fn build(root: &Path, options: BuildOptions) -> LibraryBuild {
    let mut diags = Diagnostics::new();
    let project = Project::load(root, options, &mut diags).expect("a site root");
    let built = communique::build(&project, &NoProgress, &mut diags);
    let report = diags.sorted().iter().map(|d| d.render(&project.root)).collect();
    LibraryBuild { built, diags, report }
}

impl LibraryBuild {
    /// Asserts a build without errors and without warnings, and returns what it built.
    #[track_caller]
    pub fn clean(self) -> Built {
        assert!(self.diags.is_empty(), "expected no errors or warnings, got:\n{}", self.report);
        self.built.expect("a build without errors")
    }
}

/// The text of the rendered output file `path` (`reports/a/index.html`).
#[track_caller]
pub fn output_text(built: &Built, path: &str) -> String {
    match built.output.files.get(path) {
        Some(communique::render::OutputFile::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("{path} is not a rendered file of the build: {other:?}"),
    }
}
