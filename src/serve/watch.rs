//! File watching: which folders `serve` watches, and the pure translation of the paths a
//! batch of file events names into a [`ChangeSet`] that says what to rebuild.
//!
//! Event kinds are deliberately ignored: editors save by writing in place, by writing a
//! temporary file and renaming it over the original, or by deleting and recreating, and
//! git checkouts touch hundreds of files at once. Whatever the pattern, the paths named
//! are re-examined on disk, so only *which* paths changed matters here.

use std::path::{Path, PathBuf};

pub use crate::pipeline::changes::{ChangeSet, StaticChanges};
use crate::project::sources::{self, CITIES, CONFIG, CONTENT, DATA, I18N, PEOPLE, STATIC, TEMPLATES, THEMES};

/// The folders to watch recursively, and the root itself (not recursively) for site.yaml
/// and for source folders that appear later. The output folder and `target/` are never
/// watched, so writing the site cannot trigger a rebuild.
pub fn watched_folders(root: &Path) -> Vec<PathBuf> {
    sources::FOLDERS.iter().map(|f| root.join(f)).collect()
}

/// Classifies the `paths` named by one batch of events for a site at `root` using the
/// theme `theme`. Paths outside the sources (output/, editor droppings at the root) are
/// dropped.
pub fn classify(root: &Path, theme: &str, paths: &[PathBuf]) -> ChangeSet {
    let mut changes = ChangeSet::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap_or("")).collect();
        match parts.as_slice() {
            [CONFIG] => changes.config = true,
            // A source folder itself created, removed or renamed: re-examine all of it.
            [CONTENT] | [CONTENT, ..] => {
                changes.content.insert(path.clone());
            }
            [DATA] => changes.registries = true,
            [DATA, file] if *file == PEOPLE || *file == CITIES => changes.registries = true,
            [TEMPLATES, ..] | [I18N, ..] => changes.templates = true,
            [THEMES] => changes.templates = true,
            [THEMES, name, rest @ ..] if *name == theme => match rest {
                [] | [STATIC] => {
                    changes.templates = true;
                    changes.statics = StaticChanges::All;
                }
                [STATIC, file @ ..] => add_static(&mut changes, file),
                _ => changes.templates = true,
            },
            [STATIC] => changes.statics = StaticChanges::All,
            [STATIC, file @ ..] => add_static(&mut changes, file),
            _ => {}
        }
    }
    changes
}

/// Records a static file by output path; hidden and editor-temporary files are skipped,
/// as the build skips them.
fn add_static(changes: &mut ChangeSet, parts: &[&str]) {
    if parts.iter().any(|p| p.starts_with('.')) || parts.last().is_some_and(|p| p.ends_with('~')) {
        return;
    }
    changes.statics.add(parts.join("/"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn classify_one(rel: &str) -> ChangeSet {
        classify(Path::new("/site"), "default", &[Path::new("/site").join(rel)])
    }

    #[test]
    fn events_map_to_what_must_be_rebuilt() {
        let content = |rel: &str| ChangeSet { content: [Path::new("/site").join(rel)].into(), ..Default::default() };
        let statics =
            |out: &str| ChangeSet { statics: StaticChanges::Files([out.to_string()].into()), ..Default::default() };
        let config = ChangeSet { config: true, ..Default::default() };
        let registries = ChangeSet { registries: true, ..Default::default() };
        let templates = ChangeSet { templates: true, ..Default::default() };
        let nothing = ChangeSet::default();
        let table: &[(&str, ChangeSet)] = &[
            ("site.yaml", config),
            ("content/reports/a.md", content("content/reports/a.md")),
            ("content/reports/.a.md.swp", content("content/reports/.a.md.swp")),
            ("content/reports/2019", content("content/reports/2019")),
            ("content", content("content")),
            ("data/people.yaml", registries.clone()),
            ("data/cities.yaml", registries.clone()),
            ("data", registries),
            ("data/notes.txt", nothing.clone()),
            ("templates/report.html", templates.clone()),
            ("templates/partials/x.html", templates.clone()),
            ("i18n/ru.yaml", templates.clone()),
            ("i18n", templates.clone()),
            ("themes/default/templates/base.html", templates.clone()),
            ("themes/other/templates/base.html", nothing.clone()),
            ("themes/default/static/assets/style.css", statics("assets/style.css")),
            ("static/images/a.jpg", statics("images/a.jpg")),
            ("static/.DS_Store", nothing.clone()),
            ("static/style.css~", nothing.clone()),
            ("output/index.html", nothing.clone()),
            ("target/debug/x", nothing.clone()),
            ("README.md", nothing.clone()),
            ("site.yaml.swp", nothing),
        ];
        for (path, expected) in table {
            assert_eq!(&classify_one(path), expected, "{path}");
        }
    }

    #[test]
    fn a_static_folder_means_rescan_all_statics() {
        assert_eq!(classify_one("static").statics, StaticChanges::All);
        let theme = classify_one("themes/default");
        assert!(theme.templates && theme.statics == StaticChanges::All);
    }

    #[test]
    fn paths_outside_the_root_are_ignored() {
        assert!(classify(Path::new("/site"), "default", &[PathBuf::from("/elsewhere/site.yaml")]).is_empty());
    }

    #[test]
    fn batches_merge() {
        let mut a = classify_one("content/reports/a.md");
        a.merge(classify_one("static/x.css"));
        a.merge(classify_one("site.yaml"));
        assert!(a.config);
        assert_eq!(a.content.len(), 1);
        assert_eq!(a.statics, StaticChanges::Files(BTreeSet::from(["x.css".to_string()])));
    }

    #[test]
    fn all_statics_absorb_single_files_in_either_order() {
        let mut a = classify_one("static/x.css");
        a.merge(classify_one("static"));
        assert_eq!(a.statics, StaticChanges::All);
        let mut b = classify_one("static");
        b.merge(classify_one("static/x.css"));
        assert_eq!(b.statics, StaticChanges::All);
        assert!(b.statics.contains("anything.css") && !ChangeSet::default().statics.contains("x.css"));
    }
}
