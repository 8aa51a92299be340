//! The command line: one clap-derive `*Args` struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "communique", version, about = "A static site generator for cooperation reports")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Validate everything and report every error, writing nothing.
    Check(CheckArgs),
    /// Build, serve on loopback, and rebuild and reload open tabs on every change.
    Serve(ServeArgs),
    /// Create a new site in DIR that builds and serves at once.
    Init(InitArgs),
    /// Create new content from a skeleton, such as `new report "Title"`.
    New(NewArgs),
    /// Print the JSON Schema of front matter, site.yaml or a registry, for editors.
    Schema(SchemaArgs),
    /// List the built-in theme's files, or copy them into the site to edit them.
    Theme(ThemeArgs),
}

#[derive(Debug, Args)]
pub struct ThemeArgs {
    #[command(subcommand)]
    pub action: ThemeAction,
}

#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// List the files of the built-in default theme by the names `theme copy` takes, with
    /// the site's files that replace them.
    List(ThemeListArgs),
    /// Copy the built-in default theme into the site to edit it: the whole theme into
    /// themes/default/, or the named files into templates/, static/ and i18n/.
    Copy(ThemeCopyArgs),
}

#[derive(Debug, Args)]
pub struct ThemeListArgs {
    /// The site root; its files that replace built-in ones are named beside them.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct ThemeCopyArgs {
    /// Templates by name (report.html, partials/report_list.html) or other files by their
    /// path in the theme (static/assets/style.css, i18n/ru.yaml), each copied to the same
    /// path in the site, where it replaces the built-in file. Without any, the whole theme
    /// is copied into themes/default/.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Replace files the site has already that differ from the built-in ones (without it,
    /// they are named and nothing is written).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// What the schema describes: report (front matter), translation (a report's
    /// translation), page (a plain page), site (site.yaml), people (data/people.yaml),
    /// cities (data/cities.yaml). Printed on stdout; with --out, all when left out.
    #[arg(value_parser = schema_kind(), required_unless_present = "out")]
    pub kind: Option<communique::schema::Kind>,
    /// Write the schema (every schema, without KIND) to DIR as KIND.schema.json instead,
    /// replacing files of those names; DIR is created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder for the new site; created if missing. Must be empty (hidden files such as
    /// .git aside) unless --force.
    pub dir: PathBuf,
    /// Also write into a folder that is not empty. Existing files are never overwritten:
    /// if any file of the new site exists already, nothing is written.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub kind: NewKind,
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A draft report: content/reports/<date>-<slug>.md with a front-matter skeleton.
    Report(NewReportArgs),
    /// A draft translation of a report or page: its text, to translate in place, in the
    /// sibling file of the language (`x.md` -> `x.ru.md`).
    Translation(NewTranslationArgs),
}

#[derive(Debug, Args)]
pub struct NewTranslationArgs {
    /// The original, a report or page under content/ (`content/reports/2019-04-02-weihai.md`).
    pub original: PathBuf,
    /// The language to translate into, one of `languages:` in site.yaml (`ru`).
    pub language: String,
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewReportArgs {
    /// The report's title; the file name's slug is made from it (`Норов` -> `norov`).
    pub title: String,
    /// The report's date, YYYY-MM-DD [default: today].
    // The function that reads front-matter dates, so both take and refuse the same text.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = communique::date::parse_iso_date)]
    pub date: Option<chrono::NaiveDate>,
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The names of [`communique::schema::Kind`], listed by `--help` and in errors.
fn schema_kind() -> impl clap::builder::TypedValueParser<Value = communique::schema::Kind> {
    use clap::builder::TypedValueParser as _;
    let names = communique::schema::Kind::ALL.map(|kind| kind.name());
    clap::builder::PossibleValuesParser::new(names)
        .map(|name| communique::schema::Kind::from_name(&name).expect("one of the possible values"))
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on. Only loopback by default; any other address (0.0.0.0: all of
    /// them) exposes the preview to your network, with a warning.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also answer requests for this host name (repeatable). Without it, only localhost,
    /// *.localhost and IP addresses are answered, which defeats DNS rebinding: give the
    /// name of a reverse proxy or of this machine on your network here.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = str::parse::<communique::serve::access::AllowedHost>)]
    pub allow_host: Vec<communique::serve::access::AllowedHost>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Include reports and pages marked `draft: true`, as `build --drafts` does.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.yaml (used by feeds, sitemap and canonical links).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include reports and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Make links name index.html so the output works opened from disk (file://).
    #[arg(long)]
    pub offline: bool,
    /// How to print errors and warnings: `human` (stderr) or `json` (one object per line
    /// on stdout, for editors and CI).
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// `path:line:col: error: message`, the source line and a caret, on stderr.
    Human,
    /// JSON lines on stdout: severity, path, line, column, message, hint.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site root (holds site.yaml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// How to print errors and warnings: `human` (stderr) or `json` (one object per line
    /// on stdout, for editors and CI).
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_app() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
