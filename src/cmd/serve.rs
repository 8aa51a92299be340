//! `communique serve`: prints what the server reports; the work is in `communique::serve`.

use std::net::IpAddr;
use std::process::ExitCode;

use communique::BuildOptions;
use communique::serve::{ServeEvent, ServeOptions};

use super::shared::{plural, print_diagnostics};
use crate::cli::{DiagnosticFormat, ServeArgs};

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = std::path::absolute(&args.root)?;
    let options = ServeOptions {
        root: root.clone(),
        build: BuildOptions {
            drafts: args.drafts,
            reports_per_shard: super::shared::reports_per_shard_from_env(),
            ..BuildOptions::default()
        },
        bind: args.bind,
        port: args.port,
        allowed_hosts: args.allow_host,
    };
    let (open, exposed) = (args.open, exposure_warning(args.bind));
    // Warnings are printed when they change, not after every rebuild.
    let mut shown_warnings: Vec<String> = Vec::new();
    let result = communique::serve::run(options, |event| match event {
        ServeEvent::Listening(url) => {
            if let Some(warning) = &exposed {
                eprintln!("{warning}");
            }
            println!("serving at {url} (Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        }
        ServeEvent::Built { first, pages, changed, reports, took, reloaded_after, warnings, timings, cpu } => {
            let current: Vec<String> = warnings.sorted().iter().map(|d| d.location() + &d.message).collect();
            if current != shown_warnings {
                print_diagnostics(&root, warnings, DiagnosticFormat::Human);
                shown_warnings = current;
            }
            println!("{}", built_line(first, pages, changed, reports, took, reloaded_after));
            if !timings.is_empty() && std::env::var_os("COMMUNIQUE_TIMINGS").is_some() {
                eprintln!("  {}", stages_line(timings));
                if let Some(cpu) = cpu {
                    eprintln!("  {}", cpu_line(cpu));
                }
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

/// `built 2 reports in 40 ms` after the first build, then `rebuilt 3 pages, 2 files
/// changed, in 12.5 ms (tabs reloaded after 8.1 ms)`.
fn built_line(
    first: bool,
    pages: usize,
    changed: usize,
    reports: usize,
    took: std::time::Duration,
    reloaded_after: Option<std::time::Duration>,
) -> String {
    let ms = took.as_secs_f64() * 1000.0;
    if first {
        return format!("built {} in {ms:.0} ms", plural(reports, "report"));
    }
    let reload = match reloaded_after {
        Some(after) => format!(" (tabs reloaded after {:.1} ms)", after.as_secs_f64() * 1000.0),
        None => String::new(),
    };
    format!("rebuilt {}, {} changed, in {ms:.1} ms{reload}", plural(pages, "page"), plural(changed, "file"))
}

/// `resolve 40.1 ms, media 4.9 ms, ...`: where a rebuild's time went, for
/// `COMMUNIQUE_TIMINGS`.
fn stages_line(timings: &[(&'static str, std::time::Duration)]) -> String {
    let stages: Vec<String> =
        timings.iter().map(|(stage, time)| format!("{stage} {:.1} ms", time.as_secs_f64() * 1000.0)).collect();
    stages.join(", ")
}

/// `cpu: user 61.2 ms, system 8.1 ms, page faults 1502`: what the process used until the
/// reload message, every thread together, for `COMMUNIQUE_TIMINGS`.
fn cpu_line(cpu: communique::serve::cpu_use::CpuUse) -> String {
    let ms = |time: std::time::Duration| time.as_secs_f64() * 1000.0;
    format!("cpu: user {:.1} ms, system {:.1} ms, page faults {}", ms(cpu.user), ms(cpu.system), cpu.page_faults)
}

/// The warning for listening on `bind`, unless it is a loopback address (reachable from
/// this computer only).
fn exposure_warning(bind: IpAddr) -> Option<String> {
    // `::ffff:127.0.0.1` is loopback too.
    let canonical = match bind {
        IpAddr::V6(v6) => v6.to_canonical(),
        v4 => v4,
    };
    if canonical.is_loopback() {
        return None;
    }
    let place = if canonical.is_unspecified() { format!("all interfaces ({bind})") } else { bind.to_string() };
    Some(format!(
        "warning: listening on {place}, not only on this computer: anyone who can reach it can read \
         the preview, drafts included"
    ))
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::exposure_warning;
    use crate::cli::{Cli, Command};

    /// The address `communique serve --bind <bind>` listens on.
    fn bind_of(bind: &str) -> std::net::IpAddr {
        match Cli::try_parse_from(["communique", "serve", "--bind", bind]).expect("a valid command line").command {
            Command::Serve(args) => args.bind,
            _ => unreachable!("parsed as serve"),
        }
    }

    #[test]
    fn any_address_but_loopback_warns() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            assert_eq!(exposure_warning(bind_of(quiet)), None, "{quiet}");
        }
        let all = exposure_warning(bind_of("0.0.0.0")).expect("0.0.0.0 warns");
        assert!(all.starts_with("warning: listening on all interfaces (0.0.0.0), not only on this computer"), "{all}");
        assert!(exposure_warning(bind_of("::")).expect(":: warns").contains("all interfaces (::)"));
        for exposed in ["192.168.1.5", "10.0.0.1", "fd00::2", "fe80::1", "::ffff:192.168.1.5"] {
            let warning = exposure_warning(bind_of(exposed)).unwrap_or_else(|| panic!("{exposed} does not warn"));
            assert!(warning.starts_with(&format!("warning: listening on {exposed}, ")), "{warning}");
        }
    }
}
