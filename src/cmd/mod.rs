//! Subcommands: the only code that prints. Each returns the process exit code; what
//! they print alike is in [`shared`].

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod new_translation;
pub mod schema;
pub mod serve;
pub mod shared;
pub mod theme;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Theme(args) => theme::run(args),
    }
}
