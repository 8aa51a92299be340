//! `communique serve`: prints what the server reports; the work is in `communique::serve`.

use std::process::ExitCode;

use communique::BuildOptions;
use communique::serve::{ServeEvent, ServeOptions};

use super::{plural, print_diagnostics};
use crate::cli::{DiagnosticFormat, ServeArgs};

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    if args.bind.is_unspecified() {
        eprintln!("warning: listening on all interfaces ({}): anyone on your network can read the preview", args.bind);
    }
    let root = std::path::absolute(&args.root)?;
    let options = ServeOptions {
        root: root.clone(),
        build: BuildOptions { drafts: args.drafts, base_url: None, offline: false },
        bind: args.bind,
        port: args.port,
    };
    let open = args.open;
    // Warnings are printed when they change, not after every rebuild.
    let mut shown_warnings: Vec<String> = Vec::new();
    let result = communique::serve::run(options, |event| match event {
        ServeEvent::Listening(url) => {
            println!("serving at {url} (Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        }
        ServeEvent::Built { first, pages, changed, reports, took, reloaded_after, warnings } => {
            let current: Vec<String> = warnings.sorted().iter().map(|d| d.location() + &d.message).collect();
            if current != shown_warnings {
                print_diagnostics(&root, warnings, DiagnosticFormat::Human);
                shown_warnings = current;
            }
            let ms = took.as_secs_f64() * 1000.0;
            if first {
                println!("built {} in {ms:.0} ms", plural(reports, "report"));
            } else {
                let reload = match reloaded_after {
                    Some(after) => format!(" (tabs reloaded after {:.1} ms)", after.as_secs_f64() * 1000.0),
                    None => String::new(),
                };
                println!(
                    "rebuilt {}, {} changed, in {ms:.1} ms{reload}",
                    plural(pages, "page"),
                    plural(changed, "file")
                );
            }
        }
        ServeEvent::Failed { diagnostics, took } => {
            print_diagnostics(&root, diagnostics, DiagnosticFormat::Human);
            eprintln!("rebuild failed in {:.1} ms; still serving the last good site", took.as_secs_f64() * 1000.0);
        }
        ServeEvent::WatchProblem(problem) => eprintln!("warning: {problem}"),
    });
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Opens `url` with the platform's opener; failing to open is only worth a note.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: could not open a browser ({opener}: {e}); visit {url}");
    }
}
