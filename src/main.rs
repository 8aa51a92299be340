//! The `communique` binary: parse the command line, run the subcommand, map to an exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read by jemalloc as it starts (its `malloc_conf`, under the prefix
/// tikv-jemalloc-sys gives its symbols; `_RJEM_MALLOC_CONF` in the environment still
/// overrides them). By default freed pages go back to the system only after 10 s, longer
/// than most builds: a 10,000-report build peaked at 450-510 MB. Handed back after 250 ms
/// by a thread of jemalloc's own, it peaks at about 400 MB in the same time (returning them
/// at once costs a third more time). Measured in docs/performance.md.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_OPTIONS: AllocatorOptions = AllocatorOptions(c"background_thread:true,dirty_decay_ms:250".as_ptr());

/// A C string for jemalloc to read: `const char *malloc_conf`.
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct AllocatorOptions(*const std::ffi::c_char);

// SAFETY: the pointer is to a constant string in the binary, never written.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for AllocatorOptions {}

/// How long freed pages stay with the process in `serve`: jemalloc's default, 10 s, in
/// place of the build's 250 ms. A rebuild frees much of what the one before made; handed
/// back at once, those pages were faulted in again by the next rebuild, and the thread
/// handing them back ran beside it (10,000 reports in three languages, a save every 1.5
/// s: about 16 ms of a 175 ms rebuild, for 0.9 GB more at the peak; see
/// docs/performance.md). The memory still goes back within 10 s of the last save.
const SERVE_DECAY_MS: isize = 10_000;

/// Sets [`SERVE_DECAY_MS`] for every arena, made and to come. Best effort: the defaults
/// would do.
#[cfg(not(target_env = "msvc"))]
fn keep_freed_pages_for_serve() {
    use tikv_jemalloc_ctl::{Access, AsName};
    // jemalloc refuses a decay for every arena at once (`arena.4096`, MALLCTL_ARENAS_ALL):
    // until 2026-12-07 that left the first arena, the rebuild loop's, at 250 ms, and a
    // resolving save in three languages faulted in 580-660 fresh pages before its reload.
    let made = tikv_jemalloc_ctl::arenas::narenas::read().unwrap_or(0);
    // Muzzy pages (lazily freed) follow the same delay.
    for kind in ["dirty", "muzzy"] {
        let _ = format!("arenas.{kind}_decay_ms\0").as_bytes().name().write(SERVE_DECAY_MS);
        for arena in 0..made {
            // An arena not made yet refuses; it takes `arenas.` when it is.
            let _ = format!("arena.{arena}.{kind}_decay_ms\0").as_bytes().name().write(SERVE_DECAY_MS);
        }
    }
}

#[cfg(target_env = "msvc")]
fn keep_freed_pages_for_serve() {}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if matches!(cli.command, cli::Command::Serve(_)) {
        keep_freed_pages_for_serve();
    }
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(all(test, not(target_env = "msvc")))]
mod tests {
    use super::*;
    use tikv_jemalloc_ctl::{Access, AsName};

    #[test]
    fn serve_keeps_freed_pages_in_the_first_arena_and_in_those_to_come() {
        keep_freed_pages_for_serve();
        for key in [b"arena.0.dirty_decay_ms\0".as_slice(), b"arena.0.muzzy_decay_ms\0", b"arenas.dirty_decay_ms\0"] {
            let decay: isize = key.name().read().unwrap();
            assert_eq!(decay, SERVE_DECAY_MS, "{}", String::from_utf8_lossy(key));
        }
    }
}
