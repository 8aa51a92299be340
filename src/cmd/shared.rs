//! What the subcommands print alike (diagnostics, counts) and read alike (options from
//! the environment).

use std::io::IsTerminal;
use std::path::Path;

use communique::Diagnostics;

use crate::cli::DiagnosticFormat;

/// `COMMUNIQUE_REPORTS_PER_SHARD` from the environment (a positive number), for trying a
/// sharded search index on a small site; `None` keeps the default.
pub fn reports_per_shard_from_env() -> Option<std::num::NonZeroUsize> {
    std::env::var("COMMUNIQUE_REPORTS_PER_SHARD").ok()?.trim().parse().ok()
}

/// Prints every diagnostic, sorted: as text on stderr (coloured on a terminal unless
/// `NO_COLOR` is set) followed by a count, or as JSON lines on stdout.
pub fn print_diagnostics(root: &Path, diags: &Diagnostics, format: DiagnosticFormat) {
    if format == DiagnosticFormat::Json {
        for d in diags.sorted() {
            println!("{}", d.to_json());
        }
        return;
    }
    let colour = stderr_is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut sources = communique::diag::SourceCache::new(root);
    for d in diags.sorted() {
        eprint!("{}", d.render_styled(&mut sources, colour));
    }
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    if errors > 0 {
        eprintln!("{}, {}", plural(errors, "error"), plural(warnings, "warning"));
    } else if warnings > 0 {
        eprintln!("{}", plural(warnings, "warning"));
    }
}

pub fn plural(n: usize, word: &str) -> String {
    let number = communique::model::figure::group_thousands(&n.to_string());
    match (n, word) {
        (1, _) => format!("{number} {word}"),
        (_, "person") => format!("{number} people"),
        (_, w) if w.ends_with('y') => format!("{number} {}ies", &w[..w.len() - 1]),
        _ => format!("{number} {word}s"),
    }
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(plural(10000, "report"), "10,000 reports");
        assert_eq!(plural(1, "person"), "1 person");
        assert_eq!(plural(2300, "person"), "2,300 people");
        assert_eq!(plural(300, "city"), "300 cities");
    }
}
