//! `communique new report "Title"`: writes a draft report with a commented front-matter
//! skeleton to `content/reports/<date>-<slug>.md`, never over an existing file, and
//! prints its path. `new translation` is [`super::new_translation`].

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use communique::model::names::slugify;
use communique::project::sources;
use communique::{BuildOptions, Diagnostics, Project};

use crate::cli::{NewArgs, NewKind, NewReportArgs};

/// The file `new report` writes; `{title}` and `{date}` are filled in.
const REPORT_SKELETON: &str = include_str!("new_report.md");

/// Slugs longer than this are cut at a hyphen, so a long title still makes a file name
/// that every file system and URL bar handles comfortably.
const MAX_SLUG_LEN: usize = 80;

pub fn run(args: NewArgs) -> anyhow::Result<ExitCode> {
    match args.kind {
        NewKind::Report(args) => new_report(args),
        NewKind::Translation(args) => super::new_translation::run(args),
    }
}

fn new_report(args: NewReportArgs) -> anyhow::Result<ExitCode> {
    let title = one_line(&args.title);
    if title.is_empty() {
        bail!("the title is empty");
    }
    let slug = file_slug(&title);
    if slug.is_empty() {
        bail!(
            "cannot make a file name from the title \"{title}\": it has no letters or digits; give a title with words"
        );
    }
    // Only to refuse a folder that is not a site; the configuration itself is not needed.
    Project::load(&args.root, BuildOptions::default(), &mut Diagnostics::new())?;
    let date = args.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let relative = report_path(date, &slug);
    let path = args.root.join(&relative);
    let shown = shown_path(&args.root, &relative);
    match create_new(&path, &report_text(&title, date)) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} already exists; `communique new` never overwrites a file", shown.display())
        }
        result => result.with_context(|| format!("writing {}", shown.display()))?,
    }
    println!("{}", shown.display());
    eprintln!("created a draft: preview it with `communique serve --drafts`; delete `draft: true` to publish it");
    Ok(ExitCode::SUCCESS)
}

/// The title on one line with single spaces, as YAML and page titles want it.
fn one_line(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The slug the build will make from the file name: transliterated ASCII, as for every
/// other slug, cut at a word boundary when very long.
fn file_slug(title: &str) -> String {
    let slug = slugify(title);
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    let cut = &slug[..MAX_SLUG_LEN];
    cut.rfind('-').map_or(cut, |hyphen| &cut[..hyphen]).to_string()
}

/// `content/reports/2019-04-02-weihai-meeting.md`: the date prefix keeps the folder in
/// date order and is not part of the URL.
fn report_path(date: NaiveDate, slug: &str) -> PathBuf {
    Path::new(sources::CONTENT).join(sources::REPORTS).join(format!("{}-{slug}.md", date.format("%Y-%m-%d")))
}

/// The path as the user would type it: relative to the folder they ran the command in.
pub fn shown_path(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") { relative.to_path_buf() } else { root.join(relative) }
}

fn report_text(title: &str, date: NaiveDate) -> String {
    REPORT_SKELETON.replace("{title}", &yaml_string(title)).replace("{date}", &date.format("%Y-%m-%d").to_string())
}

/// `title` as a YAML scalar: plain when it can be, quoted when it holds `:`, `#` or
/// anything else YAML would read differently.
fn yaml_string(text: &str) -> String {
    serde_yaml::to_string(text).map_or_else(|_| serde_json::to_string(text).expect("a string"), |s| s.trim_end().into())
}

/// Writes `text` to a new file at `path`, creating folders. An existing file is an
/// `AlreadyExists` error and stays as it was (checked by the open itself, so no race).
pub fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_cut_at_a_word() {
        assert_eq!(file_slug("SCO delegation visits Qingdao"), "sco-delegation-visits-qingdao");
        assert_eq!(file_slug("Встреча в Ташкенте"), "vstrecha-v-tashkente");
        assert_eq!(file_slug("威海会见"), "wei-hai-hui-jian");
        assert_eq!(file_slug("!!!"), "");
        let long = file_slug(&"delegation ".repeat(20));
        assert!(long.len() <= MAX_SLUG_LEN && long.ends_with("delegation"), "{long}");
    }

    #[test]
    fn titles_become_yaml_that_reads_back_the_same() {
        for title in ["Plain title", "SCO: a meeting", "#1 priority", "'quoted'", "yes", "Норов в Пекине", "a \"b\""]
        {
            let yaml = format!("title: {}\n", yaml_string(title));
            let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(value["title"].as_str(), Some(title), "{yaml}");
        }
    }
}
