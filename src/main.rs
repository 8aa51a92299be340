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

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
