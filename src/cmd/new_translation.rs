//! `communique new translation FILE LANGUAGE`: writes a draft translation of a report or
//! page beside it (`x.md` -> `x.ru.md`, `index.md` -> `index.ru.md`): the original's
//! text, to translate in place, with a comment saying what may change and `draft: true`
//! so that it stays out of the site until done. Never over an existing file; prints its
//! path. Copying the whole text keeps every fact the original's, so the new file passes
//! `check` at once and the translator only changes words.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use communique::load::split::{SplitError, split_front_matter};
use communique::load::{decode_text, is_hidden};
use communique::project::sources;
use communique::{BuildOptions, Diagnostics, Project};

use super::new::{create_new, shown_path};
use super::shared::print_diagnostics;
use crate::cli::{DiagnosticFormat, NewTranslationArgs};

pub fn run(args: NewTranslationArgs) -> anyhow::Result<ExitCode> {
    let mut diags = Diagnostics::new();
    let project = Project::load(&args.root, BuildOptions::default(), &mut diags)?;
    // A broken site.yaml is read as the defaults, which list no languages; a source
    // folder that leads out of the site is not read at all.
    if diags.has_errors() {
        print_diagnostics(&project.root, &diags, DiagnosticFormat::Human);
        bail!("the site has the errors above; fix them first");
    }
    check_language(&project, &args.language)?;
    let (original, is_report) = original_file(&project, &args.root, &args.original)?;
    let target = sibling(&original, &args.language);
    let text = decode_text(&std::fs::read(&original).with_context(|| format!("reading {}", original.display()))?)
        .map_err(|invalid| anyhow::anyhow!("{}: {invalid}", original.display()))?;
    let name = original.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let header = if is_report { report_header(&args.language, &name) } else { page_header(&args.language, &name) };
    let translation =
        translation_text(&text, &header).map_err(|problem| anyhow::anyhow!("{}: {problem}", original.display()))?;
    let shown = shown_path(&args.root, Path::new(&project.relative(&target)));
    match create_new(&target, &translation) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} already exists; `communique new` never overwrites a file", shown.display())
        }
        result => result.with_context(|| format!("writing {}", shown.display()))?,
    }
    println!("{}", shown.display());
    eprintln!(
        "created a draft translation: translate its words, then delete `draft: true` to publish it \
         (`communique serve --drafts` previews it meanwhile)"
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuses a language the site does not publish.
fn check_language(project: &Project, language: &str) -> anyhow::Result<()> {
    let languages = &project.config.languages;
    if languages.is_empty() {
        bail!(
            "this site is in one language: list the others under `languages:` in site.yaml first (docs/languages.md)"
        );
    }
    if language == project.config.language {
        bail!("\"{language}\" is the site's default language, the originals' own");
    }
    if !languages.contains_key(language) {
        let known: Vec<&str> = languages.keys().map(String::as_str).collect();
        bail!(
            "\"{language}\" is not one of the site's languages ({}); add it under `languages:` in site.yaml",
            known.join(", ")
        );
    }
    Ok(())
}

/// The original's file: `given` as typed, from the site root (`--root`) or else from the
/// current folder, a Markdown file under the site's content/ that is not itself a
/// translation; and whether it is a report (under content/reports/).
fn original_file(project: &Project, root: &Path, given: &Path) -> anyhow::Result<(PathBuf, bool)> {
    let found = [root.join(given), given.to_path_buf()].into_iter().find(|p| p.is_file());
    let Some(found) = found else { bail!("{} is not a file", given.display()) };
    let path = found.canonicalize().with_context(|| format!("reading {}", given.display()))?;
    let refused = || {
        anyhow::anyhow!(
            "{} is not a report or page of the site: translations are made of Markdown files under content/ \
             (not hidden, not reached through a link out of the site)",
            given.display()
        )
    };
    // The link `given` may be is read by no build when its own name is hidden.
    if given.file_name().is_some_and(is_hidden) {
        return Err(refused());
    }
    // Where the file really is must be under where content/ really is: links inside
    // the site are followed as the build follows them (Project::load refused any that
    // lead out), and the parts in between must not be hidden.
    let content = project.content_dir().canonicalize().context("the site has no content/ folder")?;
    let inside = path.strip_prefix(&content).map_err(|_| refused())?.to_path_buf();
    if path.extension().is_none_or(|e| e != "md") || inside.iter().any(is_hidden) {
        return Err(refused());
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some((_, suffix)) = stem.rsplit_once('.') {
        if project.config.languages.contains_key(suffix) || suffix == project.config.language {
            bail!("{} is a translation already: give its original", given.display());
        }
        if suffix.len() == 2 && communique::config::is_language_tag(suffix) {
            bail!("{} is named like a translation into \"{suffix}\", which the site does not publish", given.display());
        }
    }
    let is_report = inside.starts_with(sources::REPORTS);
    Ok((path, is_report))
}

/// `x.md` -> `x.<language>.md` in the same folder.
fn sibling(original: &Path, language: &str) -> PathBuf {
    let stem = original.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    original.with_file_name(format!("{stem}.{language}.md"))
}

/// The translation's text: the original's, its front matter opened by the comment
/// `header` and `draft: true` in place of any `draft:` of its own.
fn translation_text(original: &str, header: &str) -> Result<String, &'static str> {
    let (yaml, body) = match split_front_matter(original) {
        Ok(fm) => (fm.yaml, fm.body),
        Err(SplitError::Missing) => ("", original),
        Err(SplitError::Unclosed) => return Err("its front matter opened with `---` is never closed; fix it first"),
    };
    if header.len() + yaml.len() + "draft: true\n".len() > communique::load::MAX_FRONT_MATTER_BYTES {
        return Err("its front matter is too near the size limit to take the translation's comment");
    }
    let Some(original_keys) = read_mapping(yaml) else {
        return Err("its front matter is not YAML that communique reads (`communique check` says where); fix it first");
    };
    // An anchor on the line taken out could leave its aliases meaning an earlier
    // anchor, which may read the same to the parser and be other text.
    if yaml.lines().any(|line| is_draft_key(line) && line.contains('&')) {
        return Err("its `draft:` key carries an anchor (`&`): copy the file by hand");
    }
    let mut text = String::from("---\n");
    text.push_str(header);
    text.push_str("draft: true\n");
    for line in yaml.lines().filter(|line| !is_draft_key(line)) {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str("---\n");
    text.push_str(body);
    if !reads_as_original(original_keys, &text) {
        return Err("its front matter cannot take `draft: true` as it is written (a `draft:` key quoted or over \
                    several lines, or front matter in braces): copy the file by hand");
    }
    Ok(text)
}

/// Front matter as the parser reads it (empty front matter is an empty mapping).
fn read_mapping(yaml: &str) -> Option<serde_yaml::Mapping> {
    serde_yaml::from_str::<Option<serde_yaml::Mapping>>(yaml).ok().map(Option::unwrap_or_default)
}

/// Whether the front matter of `translation` reads as the original's (`original`) does
/// but for its `draft: true`: taking the original's `draft:` line out and putting ours in
/// must change nothing else of what the parser reads.
fn reads_as_original(mut original: serde_yaml::Mapping, translation: &str) -> bool {
    let Some(mut copy) = split_front_matter(translation).ok().and_then(|fm| read_mapping(fm.yaml)) else {
        return false;
    };
    original.remove("draft");
    copy.remove("draft") == Some(serde_yaml::Value::Bool(true)) && copy == original
}

/// Whether `line` is the front matter's own top-level `draft:` key.
fn is_draft_key(line: &str) -> bool {
    line.strip_prefix("draft").is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The comment opening a report's translation: what to translate, what `check` keeps
/// equal to the original.
fn report_header(language: &str, name: &str) -> String {
    format!(
        "# The translation into {language} of {name}, checked against it by `communique check`.\n\
         # Translate the words: the title, summary, organisation, officials' roles, figures'\n\
         # labels, topics, captions and the text below. Keep the facts as they are: the date,\n\
         # the cities, officials' names, and figures' values, money units, years and cities (a\n\
         # name may be written as data/people.yaml or data/cities.yaml names it in {language}).\n\
         # docs/languages.md says what may change. Until `draft: true` is deleted, this\n\
         # translation is left out of the site.\n"
    )
}

/// The comment opening a page's translation.
fn page_header(language: &str, name: &str) -> String {
    format!(
        "# The translation into {language} of {name}: translate its title and the text below.\n\
         # Until `draft: true` is deleted, this translation is left out of the site.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_the_originals_with_its_draft_line_replaced() {
        let original = "---\ntitle: T\ndraft: false\ndate: 2020-01-01\n---\nBody\n\nmore\n";
        let text = translation_text(original, &report_header("ru", "a.md")).unwrap();
        let fm = split_front_matter(&text).unwrap();
        assert_eq!(fm.body, "Body\n\nmore\n");
        let yaml: serde_yaml::Value = serde_yaml::from_str(fm.yaml).unwrap();
        assert_eq!(yaml["draft"].as_bool(), Some(true));
        assert_eq!((yaml["title"].as_str(), yaml["date"].as_str()), (Some("T"), Some("2020-01-01")));
        assert!(fm.yaml.contains("# The translation into ru of a.md"), "{text}");
        assert_eq!(fm.yaml.matches("draft").count(), 2, "the header's mention and the key:\n{text}");
    }

    #[test]
    fn a_page_without_front_matter_gets_one() {
        let text = translation_text("# About\n\nText.\n", &page_header("zh", "about.md")).unwrap();
        let fm = split_front_matter(&text).unwrap();
        assert_eq!(fm.body, "# About\n\nText.\n");
        assert!(fm.yaml.ends_with("draft: true\n"), "{text}");
        assert!(translation_text("---\ntitle: T\n", "").is_err());
    }

    #[test]
    fn a_draft_key_that_cannot_be_replaced_line_by_line_is_refused() {
        let header = report_header("ru", "a.md");
        for original in [
            "---\ntitle: T\n\"draft\": false\n---\n",
            "---\ntitle: T\ndraft:\n  false\n---\n",
            "---\n{title: T, draft: false}\n---\n",
        ] {
            assert!(translation_text(original, &header).is_err(), "{original}");
        }
        assert!(translation_text("---\ntitle: [T\n---\n", &header).is_err(), "not YAML");
        let anchored = "---\norganisation: &d FALSE\ndraft: &d false\nsummary: *d\ntitle: T\n---\n";
        assert!(translation_text(anchored, &header).is_err(), "an anchor on the draft line");
        let limit = communique::load::MAX_FRONT_MATTER_BYTES;
        let near_the_limit = format!("---\ntitle: T\nsummary: {}\n---\n", "x".repeat(limit - 30));
        assert!(translation_text(&near_the_limit, &header).is_err(), "the copy would be over the limit");
        assert!(translation_text("---\ntitle: T\ndraft: false # done\n---\n", &header).is_ok());
    }

    #[test]
    fn only_the_top_level_draft_key_is_replaced() {
        assert!(is_draft_key("draft: true") && is_draft_key("draft : false"));
        assert!(!is_draft_key("drafted: x") && !is_draft_key("  draft: true") && !is_draft_key("# draft: true"));
    }
}
