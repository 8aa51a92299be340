//! The built-in default theme's files as `communique theme list` names them and
//! `communique theme copy` puts them into a site, so a theme can be started from the
//! built-in one without the communique source tree.
//!
//! Where a copy goes follows the override model of docs/themes.md §1.2–1.3, so a copy
//! changes nothing until it is edited:
//! - the whole theme goes to `themes/default/`, which a site with `theme: default` lays
//!   over the built-in theme file by file;
//! - a single file goes to the site's own override folder of the same name: the template
//!   `templates/report.html` to `templates/report.html`, `static/assets/style.css` to
//!   `static/assets/style.css`, `i18n/ru.yaml` to `i18n/ru.yaml`.
//!
//! A copy never writes outside the site root (a folder on the way that is a symbolic
//! link leading out of it is refused, as [`crate::project::Project`] refuses such
//! sources), and [`plan`] tells a file the site already has apart from one it lacks, so
//! the command can refuse to replace a file without `--force`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, bail};
use include_dir::Dir;

use crate::project::{Project, sources};
use crate::render::theme::DEFAULT_THEME;

/// The theme's folders a copy takes files from, each the name of the site folder that
/// overrides it.
const FOLDERS: [&str; 3] = [sources::TEMPLATES, sources::STATIC, sources::I18N];

/// One file of the built-in theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Its path in the theme, `/`-separated: `templates/report.html`,
    /// `static/assets/style.css`.
    pub path: String,
    pub contents: &'static [u8],
}

impl ThemeFile {
    /// The name `theme copy` takes and `theme list` shows: a template by its template
    /// name (`report.html`, `partials/report_list.html`), any other file by its path in the
    /// theme (`static/assets/style.css`, `i18n/en.yaml`).
    pub fn name(&self) -> &str {
        self.template_name().unwrap_or(&self.path)
    }

    /// The template name, for a file below `templates/`.
    pub fn template_name(&self) -> Option<&str> {
        self.path.strip_prefix(sources::TEMPLATES).and_then(|rest| rest.strip_prefix('/'))
    }
}

/// Every file of the built-in theme below `templates/`, `static/` and `i18n/`, in that
/// order of folders, each sorted by path.
pub fn built_in_files() -> Vec<ThemeFile> {
    let mut files = Vec::new();
    let mut folders: Vec<&'static Dir<'static>> = vec![&DEFAULT_THEME];
    while let Some(folder) = folders.pop() {
        folders.extend(folder.dirs());
        for file in folder.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            let folder = FOLDERS.iter().position(|f| path.strip_prefix(f).is_some_and(|rest| rest.starts_with('/')));
            if let Some(folder) = folder {
                files.push((folder, ThemeFile { path, contents: file.contents() }));
            }
        }
    }
    files.sort_by(|(a, x), (b, y)| (a, &x.path).cmp(&(b, &y.path)));
    files.into_iter().map(|(_, file)| file).collect()
}

/// The files `names` name (see [`ThemeFile::name`]; a template may also be named by its
/// path, `templates/report.html`), in the order given, each once. An unknown name is an
/// error that says which name was meant, if one is close, and lists every name.
pub fn select(names: &[String]) -> anyhow::Result<Vec<ThemeFile>> {
    let all = built_in_files();
    let mut chosen: Vec<ThemeFile> = Vec::new();
    for name in names {
        let name = name.trim_start_matches("./");
        let Some(file) = all.iter().find(|f| f.name() == name || f.path == name) else {
            bail!("{}", unknown_name(name, &all));
        };
        if !chosen.iter().any(|c| c.path == file.path) {
            chosen.push(file.clone());
        }
    }
    Ok(chosen)
}

fn unknown_name(name: &str, all: &[ThemeFile]) -> String {
    let names: Vec<&str> = all.iter().map(ThemeFile::name).collect();
    // `assets/style.css` for `static/assets/style.css`: the path below the folder.
    let below_folder = all.iter().find(|f| f.path.split_once('/').is_some_and(|(_, rest)| rest == name));
    let hint = below_folder
        .map(ThemeFile::name)
        .or_else(|| crate::diag::did_you_mean(name, names.iter().copied()))
        .map_or(String::new(), |close| format!("; did you mean \"{close}\"?"));
    format!(
        "the built-in theme has no file \"{name}\"{hint}\nits files (`communique theme list`): {}",
        names.join(", ")
    )
}

/// Where copied files go in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// `themes/default/<path>`: the whole theme, laid over the built-in one.
    ThemeFolder,
    /// The site's override folders: `templates/`, `static/`, `i18n/` (`<path>` itself).
    Overrides,
}

/// The site's path of the `default` theme's folder, `themes/default`.
pub fn theme_folder() -> String {
    format!("{}/default", sources::THEMES)
}

impl Destination {
    /// The root-relative path `file` is copied to.
    pub fn of(self, file: &ThemeFile) -> String {
        match self {
            Destination::ThemeFolder => format!("{}/{}", theme_folder(), file.path),
            Destination::Overrides => file.path.to_string(),
        }
    }
}

/// What the site holds now where a file is to be copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing: the file is new.
    Nothing,
    /// A file with the same bytes: there is nothing to write.
    Same,
    /// A file of the user's, which only `--force` replaces.
    Different,
}

/// One file to copy: its root-relative destination, its bytes, and what is there now.
#[derive(Debug, Clone)]
pub struct Planned {
    pub rel: String,
    pub contents: &'static [u8],
    pub found: Found,
}

/// What copying `files` to `destination` in the site at `root` would do. Refused, with
/// the path named: a destination that leads outside the root through a symbolic link (a
/// folder on the way or the file itself), and one whose place is taken by a folder or
/// whose folder is a file.
pub fn plan(root: &Path, files: &[ThemeFile], destination: Destination) -> anyhow::Result<Vec<Planned>> {
    let root = crate::paths::resolve_path(root)?;
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let rel = destination.of(file);
        refuse_outside(&root, &rel)?;
        let path = root.join(&rel);
        let found = match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::Nothing,
            Err(e) => return Err(e).with_context(|| format!("reading {rel}")),
            Ok(meta) if meta.is_dir() => bail!("{rel} is a folder; it cannot be replaced by a file"),
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) if bytes == file.contents => Found::Same,
                _ => Found::Different,
            },
        };
        planned.push(Planned { rel, contents: file.contents, found });
    }
    Ok(planned)
}

/// Refuses `rel` when the root-relative path, or a folder on its way, exists and resolves
/// (through symbolic links) to a place outside `root`, or a folder on its way is a file.
fn refuse_outside(root: &Path, rel: &str) -> anyhow::Result<()> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&path) else { return Ok(()) };
        let shown = parts[..=i].join("/");
        let target = path.canonicalize().unwrap_or_else(|_| path.clone());
        if meta.is_symlink() && !target.starts_with(root) {
            bail!("{shown} leads outside the site (to {}); nothing is written outside the site root", target.display());
        }
        if i + 1 < parts.len() && !target.is_dir() {
            bail!("{shown} is not a folder, where {rel} needs one");
        }
    }
    Ok(())
}

/// Writes every planned file that is new, and with `force` every one that differs, then
/// says what became of each. A new file is created only if it still does not exist; a
/// replaced one is written beside it and renamed over it, so a symbolic link in its place
/// is replaced, never written through.
pub fn write(root: &Path, planned: &[Planned], force: bool) -> anyhow::Result<Vec<(String, Outcome)>> {
    let mut outcomes = Vec::with_capacity(planned.len());
    for file in planned {
        let path = root.join(&file.rel);
        let outcome = match file.found {
            Found::Same => Ok(Outcome::Unchanged),
            Found::Nothing => create_new(&path, file.contents).map(|()| Outcome::Written),
            Found::Different if force => replace(&path, file.contents).map(|()| Outcome::Replaced),
            Found::Different => bail!("{} exists; pass --force to replace it", file.rel),
        };
        outcomes.push((file.rel.clone(), outcome.with_context(|| format!("writing {}", file.rel))?));
    }
    Ok(outcomes)
}

/// What [`write`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    /// An existing, different file was replaced (`--force`).
    Replaced,
    /// The site had the same bytes already.
    Unchanged,
}

fn create_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(contents)
}

fn replace(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.communique-copy"));
    let _ = std::fs::remove_file(&temporary);
    create_new(&temporary, contents)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// For each file of the built-in theme that the site at `project` replaces, the
/// root-relative file that takes its place in a build: the site's own override
/// (`templates/report.html`) before the `themes/default/` copy. Empty when the site's
/// theme is not `default`, which takes nothing from the built-in theme.
pub fn replaced_in(project: &Project) -> BTreeMap<String, String> {
    let mut replaced = BTreeMap::new();
    if project.config.theme != "default" {
        return replaced;
    }
    for file in built_in_files() {
        let layers = [Destination::Overrides, Destination::ThemeFolder].map(|d| d.of(&file));
        let taken = layers.into_iter().find(|rel| is_readable_file(project, &project.root.join(rel)));
        if let Some(rel) = taken {
            replaced.insert(file.path.clone(), rel);
        }
    }
    replaced
}

fn is_readable_file(project: &Project, path: &Path) -> bool {
    project.is_inside(path) && path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_built_in_theme_has_a_name_and_templates_have_short_ones() {
        let files = built_in_files();
        let names: Vec<&str> = files.iter().map(ThemeFile::name).collect();
        for expected in ["report.html", "partials/report_list.html", "static/assets/style.css", "i18n/en.yaml"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        for required in crate::render::theme::REQUIRED_TEMPLATES {
            assert!(names.contains(required), "{required} missing");
        }
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len(), "two files share a name");
    }

    #[test]
    fn names_are_found_by_template_name_or_theme_path_and_typos_get_a_hint() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let chosen = select(&names(&["report.html", "templates/report.html", "static/assets/style.css"])).unwrap();
        let paths: Vec<&str> = chosen.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["templates/report.html", "static/assets/style.css"]);

        let error = select(&names(&["reprot.html"])).unwrap_err().to_string();
        assert!(error.contains("no file \"reprot.html\"; did you mean \"report.html\"?"), "{error}");
        assert!(error.contains("404.html, base.html"), "the names are not listed: {error}");
        let error = select(&names(&["assets/style.css"])).unwrap_err().to_string();
        assert!(error.contains("did you mean \"static/assets/style.css\"?"), "{error}");
    }

    #[test]
    fn destinations_follow_the_override_model() {
        let file = select(&["partials/counted.html".to_string()]).unwrap().remove(0);
        assert_eq!(Destination::Overrides.of(&file), "templates/partials/counted.html");
        assert_eq!(Destination::ThemeFolder.of(&file), "themes/default/templates/partials/counted.html");
    }

    #[test]
    fn a_plan_tells_new_same_and_different_files_apart() {
        let site = tempfile::tempdir().unwrap();
        let files = select(&["report.html".into(), "page.html".into(), "404.html".into()]).unwrap();
        std::fs::create_dir_all(site.path().join("templates")).unwrap();
        std::fs::write(site.path().join("templates/page.html"), files[1].contents).unwrap();
        std::fs::write(site.path().join("templates/404.html"), "mine").unwrap();
        let planned = plan(site.path(), &files, Destination::Overrides).unwrap();
        let found: Vec<Found> = planned.iter().map(|p| p.found).collect();
        assert_eq!(found, [Found::Nothing, Found::Same, Found::Different]);
    }
}
