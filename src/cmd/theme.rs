//! `communique theme list` and `communique theme copy [NAME...]`: the built-in default
//! theme's files, listed by the names `copy` takes, and copied into a site to be edited.
//! [`communique::theme_copy`] decides where each goes and what the site has there
//! already; this refuses, writes and prints.
//!
//! Like `init`, `copy` checks everything before it writes anything: one file the site has
//! already, and that differs from the built-in one, stops the copy (naming every such
//! file) unless `--force`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use communique::theme_copy::{self, Destination, Found, Outcome};
use communique::{BuildOptions, Diagnostics, Project};

use super::init::{is_current_folder, shell_word};
use super::new::shown_path;
use crate::cli::{ThemeAction, ThemeArgs, ThemeCopyArgs, ThemeListArgs};

pub fn run(args: ThemeArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        ThemeAction::List(args) => list(args),
        ThemeAction::Copy(args) => copy(args),
    }
}

/// Prints every name `copy` takes, one a line, with the site file that overrides it when
/// there is one. Outside a site (and without `--root`) the names alone.
fn list(args: ThemeListArgs) -> anyhow::Result<ExitCode> {
    let project = match Project::load(&args.root, BuildOptions::default(), &mut Diagnostics::new()) {
        Ok(project) => Some(project),
        Err(_) if args.root == Path::new(".") => None,
        Err(e) => return Err(e),
    };
    let overridden = project.as_ref().map(theme_copy::replaced_in).unwrap_or_default();
    let files = theme_copy::built_in_files();
    let width = files.iter().map(|f| f.name().chars().count()).max().unwrap_or(0);
    for file in &files {
        match overridden.get(&file.path) {
            Some(rel) => println!("{:<width$}  overridden by {rel}", file.name()),
            None => println!("{}", file.name()),
        }
    }
    if let Some(theme) = project.map(|p| p.config.theme).filter(|theme| theme != "default") {
        eprintln!("note: this site uses theme \"{theme}\", which takes nothing from the built-in theme");
    }
    eprintln!("copy one into the site with `communique theme copy NAME`, the whole theme with `communique theme copy`");
    Ok(ExitCode::SUCCESS)
}

fn copy(args: ThemeCopyArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&args.root, BuildOptions::default(), &mut Diagnostics::new())?;
    let theme = project.config.theme.as_str();
    let whole = args.names.is_empty();
    if !whole && theme != "default" {
        bail!(
            "this site uses theme \"{theme}\", not the built-in default theme: a file copied from the built-in \
             theme would replace the one of themes/{theme}/; edit that theme's own files instead, or copy the \
             whole built-in theme into themes/default/ with `communique theme copy`"
        );
    }
    let (files, destination) = match whole {
        true => (theme_copy::built_in_files(), Destination::ThemeFolder),
        false => (theme_copy::select(&args.names)?, Destination::Overrides),
    };
    let planned = theme_copy::plan(&project.root, &files, destination)?;
    let taken: Vec<&str> = planned.iter().filter(|p| p.found == Found::Different).map(|p| p.rel.as_str()).collect();
    if !taken.is_empty() && !args.force {
        let (which, them) = if taken.len() == 1 { ("it differs", "it") } else { ("they differ", "them") };
        bail!(
            "refusing to overwrite {}: {which} from the built-in theme's file; pass --force to replace {them}. \
             Nothing was written.",
            taken.join(", ")
        );
    }
    let outcomes = theme_copy::write(&project.root, &planned, args.force)?;
    print_copied(&args.root, &outcomes, whole);
    print_next(&args.root, &outcomes, whole, theme);
    Ok(ExitCode::SUCCESS)
}

fn print_copied(root: &Path, outcomes: &[(String, Outcome)], whole: bool) {
    let into = if whole {
        format!(" into {}/", shown_path(root, Path::new(&theme_copy::theme_folder())).display())
    } else {
        String::new()
    };
    if outcomes.iter().all(|(_, outcome)| *outcome == Outcome::Unchanged) {
        println!("nothing to copy: the site has these files already, the same as the built-in ones:");
    } else {
        println!("copied from the built-in default theme{into}:");
    }
    for (rel, outcome) in outcomes {
        let note = match outcome {
            Outcome::Written => "",
            Outcome::Replaced => "   (replaced)",
            Outcome::Unchanged => "   (unchanged: already the same)",
        };
        println!("  {}{note}", shown_path(root, Path::new(rel)).display());
    }
}

fn print_next(root: &Path, outcomes: &[(String, Outcome)], whole: bool, theme: &str) {
    println!();
    println!("next:");
    if whole && theme != "default" {
        println!("  this site uses theme \"{theme}\": set `theme: default` in site.yaml to use this copy");
    }
    println!("  {}", edit_step(root, outcomes, whole));
    let at = if is_current_folder(root) { String::new() } else { format!(" --root {}", shell_word(root)) };
    let steps = [
        (format!("communique serve{at}"), "preview every change as you save"),
        (format!("communique check{at}"), "render every page and report template errors with their file and line"),
    ];
    let width = steps.iter().map(|(command, _)| command.len()).max().unwrap_or(0);
    for (command, what) in steps {
        println!("  {command:<width$}   # {what}");
    }
}

/// What to do with the copied files, which depends on the layer they went to.
fn edit_step(root: &Path, outcomes: &[(String, Outcome)], whole: bool) -> String {
    let shown = |rel: &str| shown_path(root, Path::new(rel)).display().to_string();
    match outcomes {
        _ if whole => format!(
            "edit the files in {}/: each replaces the built-in file of the same name; delete one to use the built-in \
             file again",
            shown(&theme_copy::theme_folder())
        ),
        [(rel, _)] if rel.starts_with("i18n/") => format!(
            "edit {}: each text in it replaces the built-in one of the same key; keep only the keys you change, and \
             the others are taken from the built-in file",
            shown(rel)
        ),
        [(rel, _)] => format!(
            "edit {}: it replaces the built-in {}; delete it to use the built-in one again",
            shown(rel),
            rel.split_once('/').map_or(rel.as_str(), |(_, name)| name)
        ),
        _ => {
            "edit these files: each replaces the built-in file of the same name (a string file, each text of the same \
              key); delete one to use the built-in one again"
                .to_string()
        }
    }
}
