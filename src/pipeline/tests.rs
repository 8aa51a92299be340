//! The pipeline's tests: whatever edits `serve` applies, what it serves equals a full
//! build of the same files.

use super::*;
use crate::output::OutputFile;
use std::collections::{BTreeMap, HashSet};

/// A tiny deterministic generator, so a failure names a reproducible seed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const PEOPLE: &[&str] = &["Wang Luming", "Vladimir Norov", "Zhang Ming", "Aliya Seitova", "Mr Wang Luming"];
const CITIES: &[&str] = &["Weihai", "Qingdao", "Tashkent", "Astana"];
const COUNTRIES: &[&str] = &["China", "Uzbekistan", "Kazakhstan"];

fn random_report(rng: &mut Lcg, i: usize) -> String {
    let person = |rng: &mut Lcg| PEOPLE[rng.next(PEOPLE.len())];
    let city = CITIES[rng.next(CITIES.len())];
    let country = COUNTRIES[rng.next(COUNTRIES.len())];
    let draft = if rng.next(8) == 0 { "\ndraft: true" } else { "" };
    let summary = if rng.next(3) == 0 { "\nsummary: A written summary." } else { "" };
    // A third of the reports quote no figure, which keeps them off the figures page.
    let figures = if rng.next(3) == 0 {
        String::new()
    } else {
        format!(
            "figures:\n  - label: Trade\n    value: {} million\n    unit: USD\n    city: {city}\n",
            1 + rng.next(20)
        )
    };
    format!(
        "---\ntitle: Meeting {}\ndate: 2021-0{}-1{}{draft}{summary}\ncities:\n  - name: {city}\n    country: {}\n\
         officials:\n  - name: {}\n    role: Role {}\n    country: {country}\n  - {}\n\
         {figures}topics: [t{}]\n---\n\
         First paragraph {} with {}.\n\nSecond paragraph.\n",
        rng.next(50),
        1 + rng.next(9),
        rng.next(10),
        COUNTRIES[rng.next(COUNTRIES.len())],
        person(rng),
        rng.next(3),
        person(rng),
        rng.next(3),
        rng.next(4),
        PEOPLE[i % PEOPLE.len()]
    )
}

fn pages(files: &Files) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter_map(|(k, v)| match v {
            OutputFile::Bytes(bytes) => Some((k.clone(), bytes.to_vec())),
            OutputFile::Static(_) => None,
        })
        .collect()
}

fn full_build(root: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut diags = Diagnostics::new();
    let project = Project::load(root, BuildOptions::default(), &mut diags).unwrap();
    let built = crate::build(&project, &crate::NoProgress, &mut diags)?;
    Some(
        built
            .output
            .files
            .into_iter()
            // serve indexes for search on a thread of its own (serve::search), in each
            // language's folder (`ru/pagefind/`).
            .filter(|(k, _)| {
                let in_language = k.split_once('/').map_or("", |(_, rest)| rest);
                let bundle = crate::render::search::BUNDLE_DIR;
                !k.starts_with(bundle) && !in_language.starts_with(bundle)
            })
            .filter_map(|(k, v)| match v {
                OutputFile::Bytes(bytes) => Some((k, bytes.to_vec())),
                OutputFile::Static(_) => None,
            })
            .collect(),
    )
}

/// Asserts that the pages of `served` are those of a full build, `expected`.
fn assert_same_pages(at: &str, served: &Files, expected: &BTreeMap<String, Vec<u8>>) {
    let got = pages(served);
    let differing: BTreeSet<&String> =
        expected.keys().chain(got.keys()).filter(|k| expected.get(*k) != got.get(*k)).collect();
    assert!(differing.is_empty(), "{at}: pages differ: {differing:?}");
}

/// Random edits, one file at a time, each followed by a comparison of what is served
/// with a full build of the same files (or, when the edit breaks the site, with the
/// last good build), whatever the outcome.
#[test]
fn random_edits_always_equal_a_full_build() {
    let (mut in_place, mut unchanged, mut carried) = (0, 0, 0);
    for seed in 1..=4u64 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: Test\npaginate: 3\nbase_url: https://example.org/sub/\n")
            .unwrap();
        std::fs::create_dir_all(root.join("content/reports")).unwrap();
        std::fs::create_dir_all(root.join("data")).unwrap();
        let mut rng = Lcg(seed);
        for i in 0..10 {
            std::fs::write(report_path(root, i), random_report(&mut rng, i)).unwrap();
        }
        let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
        assert!(matches!(rebuilder.build(), Outcome::Built(_)));
        let mut last_good = full_build(root).expect("the first build succeeds");
        for step in 0..40 {
            let changes = random_edit(&mut rng, root, step);
            let expected = full_build(root);
            let at = format!("seed {seed} step {step}");
            if step % 4 == 1 {
                // Saved again after the first batch: compared after the next edit.
                carried += usize::from(rebuild_saved_again_meanwhile(&mut rebuilder, &changes));
                last_good = expected.unwrap_or(last_good);
                continue;
            }
            let outcome = rebuilder.rebuild(&changes);
            in_place += matches!(&outcome, Outcome::Built(b) if !b.resolved) as usize;
            unchanged += matches!(&outcome, Outcome::Unchanged) as usize;
            assert_served_as_built(&at, &mut rebuilder, outcome, &changes, expected.as_ref(), &last_good);
            last_good = expected.unwrap_or(last_good);
        }
    }
    assert!(in_place > 12, "only {in_place} edits were rebuilt in place");
    assert!(unchanged > 0, "no edit left the site unchanged");
    assert!(carried > 5, "only {carried} edits left pages to follow the next");
}

/// Rebuilds the pages of `changes` and renders those that follow the reload message up
/// to the first batch, as serve does when the author saves again meanwhile: whether
/// pages were left to follow the next rebuild.
fn rebuild_saved_again_meanwhile(rebuilder: &mut Pipeline, changes: &ChangeSet) -> bool {
    let _ = rebuilder.rebuild_pages(changes);
    // A tab shows the home page in each language: it goes first, before the pages the
    // edit touches are known when it resolved the site.
    let asked = || HashSet::from(["index.html".to_string(), "ru/index.html".to_string()]);
    let rest = rebuilder.render_following_until(|_| {}, asked, &|| true);
    matches!(rest, Some(Outcome::Built(rest)) if !rest.following.is_empty())
}

/// The same in two languages: random edits of reports and of their Russian translations
/// (a translation added, removed, retitled, moved to another slug or given another text,
/// a report edited, written anew, or removed with its translation) and of the registries'
/// words in both languages, each followed by a comparison with a full build: the pages of
/// both languages, their language switchers and `hreflang` links included.
#[test]
fn random_edits_in_two_languages_always_equal_a_full_build() {
    let (mut russian, mut registry_first, mut carried) = (0, 0, 0);
    for seed in 1..=4u64 {
        let counts = random_edits_in_two_languages(seed);
        russian += counts.russian;
        registry_first += counts.registry_first;
        carried += counts.carried;
    }
    assert!(russian > 50, "only {russian} of 96 edits compared left a site with Russian reports");
    assert!(registry_first > 5, "only {registry_first} registry edits rendered their entries' pages first");
    assert!(carried > 5, "only {carried} edits left pages to follow the next");
}

/// What [`random_edits_in_two_languages`] saw.
struct TwoLanguageCounts {
    /// Edits compared that left Russian report pages to compare.
    russian: usize,
    /// Registry edits whose entries' pages went before the reload alone, the editions after.
    registry_first: usize,
    /// Edits that left pages to follow the next edit.
    carried: usize,
}

/// Thirty random edits of a two-language site made from `seed`, each compared with a
/// full build (every fourth, saved again after its first batch, after the next edit).
fn random_edits_in_two_languages(seed: u64) -> TwoLanguageCounts {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = "title: Test\npaginate: 3\nbase_url: https://example.org/\nlanguages:\n  ru: { title: Тест }\n";
    std::fs::write(root.join("site.yaml"), config).unwrap();
    std::fs::create_dir_all(root.join("content/reports")).unwrap();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("data/people.yaml"), "- name: Zhang Ming\n  names: { ru: Чжан Мин }\n").unwrap();
    let mut rng = Lcg(seed);
    for i in 0..8 {
        std::fs::write(report_path(root, i), random_report(&mut rng, i)).unwrap();
        if rng.next(2) == 0 {
            std::fs::write(translation_path(root, i), random_translation(&mut rng, i, 0)).unwrap();
        }
    }
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let mut last_good = full_build(root).expect("the first build succeeds");
    let mut counts = TwoLanguageCounts { russian: 0, registry_first: 0, carried: 0 };
    for step in 1..=30 {
        let changes = random_translated_edit(&mut rng, root, step);
        let expected = full_build(root);
        let at = format!("seed {seed} step {step}");
        if step % 4 == 2 {
            counts.carried += usize::from(rebuild_saved_again_meanwhile(&mut rebuilder, &changes));
            last_good = expected.unwrap_or(last_good);
            continue;
        }
        let (outcome, editions_later) = rebuild_noting_editions_later(&mut rebuilder, &changes);
        counts.registry_first += usize::from(changes.registries && editions_later);
        assert_served_as_built(&at, &mut rebuilder, outcome, &changes, expected.as_ref(), &last_good);
        last_good = expected.unwrap_or(last_good);
        counts.russian += usize::from(last_good.keys().any(|page| page.starts_with("ru/reports/")));
    }
    counts
}

/// [`Pipeline::rebuild`], and whether its pages before the reload left the editions for
/// after it ([`later_editions`]).
fn rebuild_noting_editions_later(rebuilder: &mut Pipeline, changes: &ChangeSet) -> (Outcome, bool) {
    let outcome = rebuilder.rebuild_pages(changes);
    let editions_later = rebuilder.following.as_ref().is_some_and(|f| f.editions.is_some());
    let outcome = match rebuilder.render_all_following(|_| {}, HashSet::new) {
        Some(rest) => outcome.followed_by(rest),
        None => outcome,
    };
    (rebuilder.with_derived(outcome), editions_later)
}

/// The people's registry of the two-language site: Zhang Ming's Russian name (which
/// translations' texts link by) sometimes another, his biography in neither, one or both
/// languages.
fn random_translated_registry(rng: &mut Lcg, step: usize) -> String {
    let name = ["Чжан Мин", "Чжан Мин", "Чжан Минь"][rng.next(3)];
    let bio = match rng.next(4) {
        0 => String::new(),
        1 => format!("\n  bio: Biography {step}."),
        2 => format!("\n  bio: {{ ru: Биография {step}. }}"),
        _ => format!("\n  bio: {{ en: Biography {step}., ru: Биография {step}. }}"),
    };
    format!("- name: Zhang Ming\n  names: {{ ru: {name} }}{bio}\n")
}

/// The cities' registry of the two-language site: Weihai (named in reports and in their
/// figures) with its Russian name and a description in one language or both, sometimes
/// moved.
fn random_translated_city(rng: &mut Lcg, step: usize) -> String {
    let description = match rng.next(3) {
        0 => format!("description: About {step}."),
        1 => format!("description: {{ ru: О городе {step}. }}"),
        _ => format!("description: {{ en: About {step}., ru: О городе {step}. }}"),
    };
    format!("- name: Weihai\n  names: {{ ru: Вэйхай }}\n  lat: 37.5\n  lon: {}\n  {description}\n", 122 + rng.next(2))
}

fn translation_path(root: &Path, i: usize) -> std::path::PathBuf {
    root.join(format!("content/reports/r{i:02}.ru.md"))
}

/// A Russian translation of report `i`: words only, sometimes a slug of its own (one of
/// two, never another report's).
fn random_translation(rng: &mut Lcg, i: usize, step: usize) -> String {
    let slug = if rng.next(3) == 0 { format!("\nslug: perevod-{i}-{}", rng.next(2)) } else { String::new() };
    format!("---\ntitle: Встреча {}{slug}\n---\nПервый абзац {step}, Чжан Мин.\n\nВторой абзац.\n", rng.next(50))
}

/// One random edit of a report or its translation, or of a registry entry's words in
/// either language, in the site in `root`, and what changed.
fn random_translated_edit(rng: &mut Lcg, root: &Path, step: usize) -> ChangeSet {
    let i = rng.next(9);
    let (report, translation) = (report_path(root, i), translation_path(root, i));
    let mut changes = ChangeSet::default();
    if rng.next(4) == 0 {
        std::fs::write(root.join("data/people.yaml"), random_translated_registry(rng, step)).unwrap();
        std::fs::write(root.join("data/cities.yaml"), random_translated_city(rng, step)).unwrap();
        changes.registries = true;
        return changes;
    }
    // Only the files written are named, as the watcher names them: an edit of a
    // translation alone must reach the original's pages by itself.
    let touched = match rng.next(6) {
        0 if translation.exists() => {
            std::fs::remove_file(&translation).unwrap();
            vec![translation]
        }
        1 if translation.exists() => {
            let text = std::fs::read_to_string(&translation).unwrap();
            let (front, _) = text.rsplit_once("---\n").unwrap();
            std::fs::write(&translation, format!("{front}---\nИзменено {step}.\n")).unwrap();
            vec![translation]
        }
        2 => {
            std::fs::write(&translation, random_translation(rng, i, step)).unwrap();
            vec![translation]
        }
        3 if report.exists() => {
            let text = std::fs::read_to_string(&report).unwrap();
            std::fs::write(&report, random_front_matter_edit(rng, &text, step)).unwrap();
            vec![report]
        }
        4 if report.exists() => {
            std::fs::remove_file(&report).unwrap();
            let _ = std::fs::remove_file(&translation);
            vec![report, translation]
        }
        _ => {
            std::fs::write(&report, random_report(rng, i)).unwrap();
            vec![report]
        }
    };
    changes.content.extend(touched);
    changes
}

fn report_path(root: &Path, i: usize) -> std::path::PathBuf {
    root.join(format!("content/reports/r{i:02}.md"))
}

/// Makes one random edit to the site in `root` (a report removed, its body or front
/// matter edited, the registry rewritten, a report written anew) and says what changed.
fn random_edit(rng: &mut Lcg, root: &Path, step: usize) -> ChangeSet {
    let i = rng.next(12);
    let path = report_path(root, i);
    let mut changes = ChangeSet::default();
    match rng.next(7) {
        0 if path.exists() => std::fs::remove_file(&path).unwrap(),
        1 if path.exists() => {
            let text = std::fs::read_to_string(&path).unwrap();
            let body = format!("Edited {step} with Zhang Ming.\n\nMore.\n");
            let (front, _) = text.rsplit_once("---\n").unwrap();
            std::fs::write(&path, format!("{front}---\n{body}")).unwrap();
        }
        2 if path.exists() => {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, random_front_matter_edit(rng, &text, step)).unwrap();
        }
        3 => {
            let registry = format!(
                "- name: Zhang Ming\n  aliases: [Mr Zhang]\n  country: {}\n",
                COUNTRIES[rng.next(COUNTRIES.len())]
            );
            std::fs::write(root.join("data/people.yaml"), registry).unwrap();
            changes.registries = true;
        }
        _ => std::fs::write(&path, random_report(rng, i)).unwrap(),
    }
    changes.content.insert(path);
    changes
}

/// `text` with one piece of its front matter changed.
fn random_front_matter_edit(rng: &mut Lcg, text: &str, step: usize) -> String {
    match rng.next(5) {
        0 => text.replace("title: Meeting", &format!("title: Retitled {step}")),
        1 => text.replace("role: Role ", &format!("role: Role {step}")),
        2 => text.replace(" million", &format!("{step} million")),
        // In place when it has a summary; else a new line moves the names.
        3 if text.contains("summary: A written") => {
            text.replace("summary: A written", &format!("summary: Rewritten {step}"))
        }
        3 => text.replace("\nofficials:", "\nsummary: Summed up.\nofficials:"),
        // Not one of the report's cities: an error of its own.
        _ => text.replace("    city: ", "    city: X"),
    }
}

/// Asserts that what `rebuilder` serves after `outcome` is what a full build gives
/// (`expected`), or, when the sources are broken, the last good build.
fn assert_served_as_built(
    at: &str,
    rebuilder: &mut Pipeline,
    outcome: Outcome,
    changes: &ChangeSet,
    expected: Option<&BTreeMap<String, Vec<u8>>>,
    last_good: &BTreeMap<String, Vec<u8>>,
) {
    let served = rebuilder.files().expect("a good state is served");
    match (outcome, expected) {
        (Outcome::Built(built), Some(expected)) => {
            assert!(Arc::ptr_eq(&built.files, &served), "{at}: the outcome's files are not served");
            assert_same_pages(at, &served, expected);
            // Saved again with the same text, as editors do: nothing to rebuild.
            let again = ChangeSet { content: changes.content.clone(), ..ChangeSet::default() };
            assert!(matches!(rebuilder.rebuild(&again), Outcome::Unchanged), "{at}: saved again, rebuilt");
            assert_same_pages(at, &rebuilder.files().unwrap(), expected);
        }
        // An edit that changed no text (a replace that found nothing).
        (Outcome::Unchanged, Some(expected)) => assert_same_pages(at, &served, expected),
        // A failed rebuild keeps serving the last good site.
        (Outcome::Failed(_), None) => assert_same_pages(at, &served, last_good),
        (Outcome::Failed(d), Some(_)) => panic!("{at}: serve failed, build did not: {:?}", d.sorted()),
        (_, None) => panic!("{at}: build failed, serve did not"),
    }
}

/// A site of three reports in a temp dir, built by a [`Pipeline`].
fn small_site() -> (tempfile::TempDir, Pipeline) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.yaml"), "title: Test\nbase_url: https://example.org/\n").unwrap();
    std::fs::create_dir_all(root.join("content/reports")).unwrap();
    let mut rng = Lcg(7);
    for i in 0..3 {
        std::fs::write(root.join(format!("content/reports/r{i}.md")), random_report(&mut rng, i)).unwrap();
    }
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    (dir, rebuilder)
}

/// Edits report r1 with `edit` and rebuilds; the pages must equal a full build.
fn edit_r1(edit: impl Fn(&str) -> String) -> Rebuilt {
    let (dir, mut rebuilder) = small_site();
    let path = dir.path().join("content/reports/r1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&path, edited).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
    assert_eq!(pages(&built.files), full_build(dir.path()).expect("the full build failed"));
    built
}

#[test]
fn front_matter_edits_within_a_report_do_not_resolve_the_site_again() {
    let retitled = edit_r1(|t| t.replacen("title: Meeting", "title: Talks", 1));
    assert!(!retitled.resolved, "a new title resolved the whole site");
    let new_role = edit_r1(|t| t.replacen("role: Role ", "role: Chair ", 1));
    assert!(!new_role.resolved, "a new role resolved the whole site");
    let new_city = edit_r1(|t| t.replacen("  - name: ", "  - name: Samarkand\n    country: Uzbekistan\n  - name: ", 1));
    assert!(new_city.resolved, "a city added to a report was not resolved across the site");
    let new_date = edit_r1(|t| t.replacen("date: 2021-0", "date: 2020-0", 1));
    assert!(new_date.resolved, "a new date, which moves the report in every list, was not resolved");
}

/// A report's last day is the sitemap's `lastmod` of its page and of every list showing
/// it: a new end date, which changes no list, must still reach the sitemap.
#[test]
fn an_end_date_edited_in_place_reaches_the_sitemap() {
    let (dir, mut rebuilder) = small_site();
    let path = dir.path().join("content/reports/r1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let changes = ChangeSet { content: [path.clone()].into_iter().collect(), ..ChangeSet::default() };
    for end in ["2022-12-30", "2022-12-31"] {
        std::fs::write(&path, text.replacen("\ncities:", &format!("\nend_date: {end}\ncities:"), 1)).unwrap();
        let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
        let sitemap = String::from_utf8(pages(&built.files)["sitemap.xml"].clone()).unwrap();
        assert!(sitemap.contains(&format!("<lastmod>{end}</lastmod>")), "{end} is not in the sitemap:\n{sitemap}");
        assert_same_pages(end, &built.files, &full_build(dir.path()).expect("the full build failed"));
    }
}

#[test]
fn bodies_whose_links_move_are_rendered_again_and_no_others() {
    // r1 links to its own page from the site root; r2 links to r1 with `@/`.
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let append = |file: &str, line: &str| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{line}\n")).unwrap();
        path
    };
    let mut changes = ChangeSet::default();
    changes.content.insert(append("content/reports/r1.md", "[This page](/reports/r1/)."));
    changes.content.insert(append("content/reports/r2.md", "[The other meeting](@/reports/r1.md)."));
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
    let body_of = |rebuilder: &Pipeline, file: &str| {
        let good = rebuilder.good.as_ref().unwrap();
        let id = good.site.report_by_source(&format!("content/reports/{file}")).unwrap();
        good.bodies.reports[id.index()].html.clone()
    };
    let (r0, r2) = (body_of(&rebuilder, "r0.md"), body_of(&rebuilder, "r2.md"));
    // A slug for r1 moves its page: r2's link leads elsewhere; r0's body and r1's own
    // link (written from the site's root) stay as they were.
    let path = root.join("content/reports/r1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\ndate: ", "\nslug: moved\ndate: ", 1)).unwrap();
    let changes = ChangeSet { content: [path].into_iter().collect(), ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
    let served = pages(&built.files);
    assert_eq!(served, full_build(root).expect("the full build failed"));
    let r2_page = String::from_utf8_lossy(&served["reports/r2/index.html"]).into_owned();
    assert!(r2_page.contains("href=\"../../reports/moved/\""), "r2 links to r1's old page: {r2_page}");
    assert!(!Arc::ptr_eq(&r2, &body_of(&rebuilder, "r2.md")), "r2's body was not rendered again");
    assert!(Arc::ptr_eq(&r0, &body_of(&rebuilder, "r0.md")), "r0's body, without links, was rendered again");
}

#[test]
fn a_page_failing_after_the_reload_takes_the_whole_edit_back() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let path = root.join("content/reports/r1.md");
    let original = std::fs::read_to_string(&path).unwrap();
    // A person page that fails for a report titled "Boom": a page that follows the
    // reload message, since only the report's own page comes before it.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let person = "{% for y in person.years %}{% for r in y.reports %}{% if r.title == \"Boom\" %}\
                  {{ r.no_such_value.inside }}{% endif %}{% endfor %}{% endfor %}<p>person</p>";
    std::fs::write(root.join("templates/person.html"), person).unwrap();
    let mut changes = ChangeSet { templates: true, ..ChangeSet::default() };
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
    let before = pages(&rebuilder.files().unwrap());

    let (front, body) = original.split_once("\n---\n").unwrap();
    let retitled = front.lines().map(|l| if l.starts_with("title:") { "title: Boom" } else { l }).collect::<Vec<_>>();
    std::fs::write(&path, format!("{}\n---\n{body}", retitled.join("\n"))).unwrap();
    changes = ChangeSet::default();
    changes.content.insert(path.clone());
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the failing person page went unnoticed");
    assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");

    std::fs::write(&path, &original).unwrap();
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed edit failed") };
    assert_eq!(pages(&built.files), full_build(root).expect("the full build failed"));
}

/// Adds the official `name` to report r1 of `rebuilder`'s site in `root`.
fn add_official(root: &Path, name: &str) -> ChangeSet {
    let path = root.join("content/reports/r1.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("officials:\n", &format!("officials:\n  - name: {name}\n    role: Envoy\n"), 1),
    )
    .unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    changes
}

#[test]
fn a_new_official_renders_the_report_before_the_reload_and_every_other_page_after_it() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let changes = add_official(root, "Aziz Newcomer");
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved, "a new person was not resolved across the site");
    assert_eq!(built.rendered, 1, "more than the report's own page came before the reload");
    let report = String::from_utf8(pages(&built.files)["reports/r1/index.html"].clone()).unwrap();
    assert!(report.contains("Aziz Newcomer"), "the report's page does not show the new official");
    // The site now counts one person more, which any page may show.
    for page in ["people/aziz-newcomer/index.html", "index.html", "people/index.html"] {
        assert!(built.following.holds(page), "{page} does not follow the reload");
    }
    let Some(Outcome::Built(rest)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the following pages failed")
    };
    assert!(rebuilder.render_following().is_none(), "pages were left to follow twice");
    // The feeds and exports come last, as serve brings them up to date.
    let files = rebuilder.refresh_derived(&|| false).map_or(rest.files, |(files, _)| files);
    let (served, built) = (pages(&files), full_build(root).expect("the full build failed"));
    let differing: Vec<&String> = built.keys().filter(|k| served.get(*k) != built.get(*k)).collect();
    assert!(differing.is_empty() && served.len() == built.len(), "pages differ from a full build: {differing:?}");
}

#[test]
fn a_page_failing_after_the_reload_of_a_resolved_edit_takes_it_back() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let person = "{% if person.name == \"Boom Person\" %}{{ person.no_such_value.inside }}{% endif %}<p>person</p>";
    std::fs::write(root.join("templates/person.html"), person).unwrap();
    let changes = ChangeSet { templates: true, ..ChangeSet::default() };
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
    let before = pages(&rebuilder.files().unwrap());
    let original = std::fs::read_to_string(root.join("content/reports/r1.md")).unwrap();

    let changes = add_official(root, "Boom Person");
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the failing person page went unnoticed");
    assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");

    std::fs::write(root.join("content/reports/r1.md"), original).unwrap();
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed edit failed") };
    assert_eq!(pages(&built.files), full_build(root).expect("the full build failed"));
}

/// Saves a new official in report r1 of the site in `root` and renders the pages that
/// follow until the first batch, as serve does when the author saves again meanwhile;
/// returns the pages left for the next rebuild (output paths of the files served).
fn new_official_saved_again_meanwhile(rebuilder: &mut Pipeline, root: &Path) -> Vec<String> {
    let Outcome::Built(_) = rebuilder.rebuild_pages(&add_official(root, "Aziz Newcomer")) else {
        panic!("the new official failed")
    };
    let first = rebuilder.render_following_until(|_| {}, HashSet::new, &|| true);
    let Some(Outcome::Built(first)) = first else { panic!("the first batch failed") };
    let left: Vec<String> = pages(&first.files).into_keys().filter(|page| first.following.holds(page)).collect();
    assert!(!left.is_empty(), "no page was left for the next save");
    left
}

/// Replaces the body of report `name` (`r2`) in `root` with `body`.
fn edit_body(root: &Path, name: &str, body: &str) -> ChangeSet {
    let path = root.join(format!("content/reports/{name}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let (front, _) = text.rsplit_once("---\n").unwrap();
    std::fs::write(&path, format!("{front}---\n{body}")).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    changes
}

#[test]
fn pages_left_to_follow_when_the_author_saves_again_follow_the_next_edit() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let left = new_official_saved_again_meanwhile(&mut rebuilder, root);
    // The next save: another report's body, an edit in place that leaves nothing of its
    // own to follow.
    let Outcome::Built(second) = rebuilder.rebuild_pages(&edit_body(root, "r2", "Saved again.\n")) else {
        panic!("the second save failed")
    };
    for page in &left {
        assert!(second.following.holds(page), "{page} is served before it is rendered");
    }
    let Some(Outcome::Built(rest)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the pages that follow failed")
    };
    assert!(rest.following.is_empty() && rebuilder.render_following().is_none(), "pages are left to follow");
    let files = rebuilder.refresh_derived(&|| false).map_or(rest.files, |(files, _)| files);
    assert_same_pages("after both saves", &files, &full_build(root).expect("the full build failed"));
}

#[test]
fn pages_left_by_an_edit_taken_back_after_the_reload_follow_the_next_edit() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let person = "{% if person.name == \"Boom Person\" %}{{ person.no_such_value.inside }}{% endif %}<p>person</p>";
    std::fs::write(root.join("templates/person.html"), person).unwrap();
    assert!(matches!(rebuilder.rebuild(&ChangeSet { templates: true, ..ChangeSet::default() }), Outcome::Built(_)));
    new_official_saved_again_meanwhile(&mut rebuilder, root);
    let with_newcomer = std::fs::read_to_string(root.join("content/reports/r1.md")).unwrap();
    // The next save fails after its reload: it is taken back, the pages the first left
    // are still to render.
    let changes = add_official(root, "Boom Person");
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the failing person page went unnoticed");
    std::fs::write(root.join("content/reports/r1.md"), with_newcomer).unwrap();
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed edit failed") };
    assert_same_pages("after the fix", &built.files, &full_build(root).expect("the full build failed"));
}

#[test]
fn pages_left_before_a_template_that_fails_follow_its_fix() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    new_official_saved_again_meanwhile(&mut rebuilder, root);
    // The next save breaks a template: nothing can render the pages left meanwhile.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/person.html"), "{% if %}").unwrap();
    let changes = ChangeSet { templates: true, ..ChangeSet::default() };
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Failed(_)), "the broken template went unnoticed");
    std::fs::write(root.join("templates/person.html"), "<p>{{ person.name }}</p>").unwrap();
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the fixed template failed") };
    assert_same_pages("after the fix", &built.files, &full_build(root).expect("the full build failed"));
}

/// Writes the reports `r<i>` of the site in `root` with these texts and rebuilds as serve
/// does, the pages that follow included; the rebuild must succeed.
fn save_reports(rebuilder: &mut Pipeline, root: &Path, texts: &[(usize, &str)]) -> Rebuilt {
    let mut changes = ChangeSet::default();
    for (i, text) in texts {
        let path = root.join(format!("content/reports/r{i}.md"));
        std::fs::write(&path, text).unwrap();
        changes.content.insert(path);
    }
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
    built
}

/// A report `r<i>` of a site whose reports share no one and nothing.
fn apart(i: usize, title: &str, date: &str, person: &str, city: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\ncities:\n  - name: {city}\n    country: Kazakhstan\n\
         officials:\n  - name: {person}\n    role: Envoy\n---\nReport {i} with {person}.\n"
    )
}

#[test]
fn a_report_edited_in_place_between_two_resolves_is_compared_as_it_was_served() {
    let dir = site_dir("title: Test\npaginate: 1\n");
    let root = dir.path();
    let r0 = apart(0, "Gamma talks", "2020-05-01", "Zhang Ming", "Weihai");
    let r2 = apart(2, "Beta talks", "2010-01-01", "Bola Apart", "Lagos");
    for (i, text) in [(0, &r0), (2, &r2)] {
        std::fs::write(root.join(format!("content/reports/r{i}.md")), text).unwrap();
    }
    std::fs::write(root.join("content/reports/r1.md"), apart(1, "Alpha talks", "2019-03-01", "Aziz Alone", "Astana"))
        .unwrap();
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    // A new date: the site is resolved, and what the comparison hashed of it is kept.
    let dated = apart(1, "Alpha talks", "2019-03-02", "Aziz Alone", "Astana");
    assert!(save_reports(&mut rebuilder, root, &[(1, &dated)]).resolved, "a new date was not resolved");
    assert!(rebuilder.good.as_ref().unwrap().prints.iter().any(Option::is_some), "nothing of the comparison was kept");
    // A new title, in place: what was kept is of the site before it.
    let retitled = apart(1, "Renamed talks", "2019-03-02", "Aziz Alone", "Astana");
    assert!(!save_reports(&mut rebuilder, root, &[(1, &retitled)]).resolved, "the title was not edited in place");
    // The title back as it was when the site was hashed, with another report's new date
    // (which moves it in no list): the pages that show the title changed.
    let later = apart(2, "Beta talks", "2010-01-02", "Bola Apart", "Lagos");
    let built = save_reports(&mut rebuilder, root, &[(1, &dated), (2, &later)]);
    assert!(built.resolved, "a new date was not resolved");
    assert_same_pages("after the title went back", &built.files, &full_build(root).expect("the full build failed"));
}

#[test]
fn feeds_stay_served_while_every_page_is_rendered_again() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    assert!(rebuilder.files().unwrap().contains_key("feed.xml"), "the small site has no feed");
    // A template no page uses: every page is rendered again, and none changes.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/unused.html"), "<p>unused</p>").unwrap();
    let changes = ChangeSet { templates: true, ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.files.contains_key("feed.xml"), "the feed is gone until the exports follow");
    assert_eq!(built.changed, Vec::<String>::new(), "files changed though no page did");
}

/// The feeds of `files` (output path, the address of its bytes and the bytes).
fn feeds_of(files: &Files) -> BTreeMap<String, (usize, Vec<u8>)> {
    (files.iter())
        .filter(|(path, _)| path.ends_with("feed.xml"))
        .filter_map(|(path, file)| match file {
            OutputFile::Bytes(bytes) => Some((path.clone(), (bytes.as_ptr() as usize, bytes.to_vec()))),
            OutputFile::Static(_) => None,
        })
        .collect()
}

/// Saves report `name` of the site in `root` as `edit` makes its text; the change set.
fn edit_report(root: &Path, name: &str, edit: impl Fn(&str) -> String) -> ChangeSet {
    let path = root.join(format!("content/reports/{name}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    ChangeSet { content: [path].into_iter().collect(), ..ChangeSet::default() }
}

/// After an edit that resolves the site (ids move), the feeds showing the edited report
/// are new and as a full build makes them, and every other feed is served as the very
/// bytes it was (which feeds are made again at all: `render::feeds`' tests; the memory
/// that spares the others must not spare these).
#[test]
fn after_a_resolving_edit_the_feeds_showing_the_report_are_new_and_the_others_stay() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let before = feeds_of(&rebuilder.files().unwrap());
    let changes = edit_report(root, "r1", |text| text.replacen("date: 2021-0", "date: 2020-0", 1));
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved, "a new date did not resolve the site");
    assert_same_pages("after a new date", &built.files, &full_build(root).expect("the full build failed"));
    let after = feeds_of(&built.files);
    let r1 = "https://example.org/reports/r1/";
    let showing_r1 = |bytes: &[u8]| String::from_utf8_lossy(bytes).contains(&format!("<id>{r1}</id>"));
    let (mut kept, mut made) = (0, 0);
    for (path, (address, bytes)) in &after {
        let (address_before, _) = before.get(path).expect("no feed came or went");
        if showing_r1(bytes) {
            assert_ne!(address, address_before, "{path}, which shows the edited report, was not made again");
            made += 1;
        } else {
            assert_eq!(address, address_before, "{path}, which does not show the edited report, was made again");
            kept += 1;
        }
    }
    assert!(kept > 0 && made > 0, "the edit left {kept} feeds and made {made} again");
}

#[test]
fn the_pages_that_follow_come_in_batches_a_page_asked_for_first() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let changes = add_official(root, "Aziz Newcomer");
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    let asked = "people/aziz-newcomer/index.html";
    assert!(built.following.holds(asked) && built.following.holds("index.html"), "the pages do not follow");
    let expected = full_build(root).expect("the full build failed");
    // A page a request waits for goes alone, before any other.
    let first = rebuilder.render_following_asked(&|| HashSet::from([asked.to_string()]));
    let Some(Outcome::Built(first)) = first else { panic!("the asked page failed") };
    assert_eq!(first.rendered, 1, "not the asked page alone");
    assert_eq!(pages(&first.files).get(asked), expected.get(asked), "the asked page is not as built");
    assert!(!first.following.holds(asked), "a request for the asked page still waits");
    assert!(first.following.holds("index.html"), "pages not rendered yet are not waited for");
    // Then the rest in order: FIRST_BATCH pages, then at most twice as many each batch.
    let mut sizes = Vec::new();
    while let Some(step) = rebuilder.render_following() {
        let Outcome::Built(step) = step else { panic!("a batch failed") };
        sizes.push(step.rendered);
        if step.following.is_empty() {
            break;
        }
    }
    assert!(sizes.len() >= 3, "the pages came in {} batches: {sizes:?}", sizes.len());
    assert_eq!(sizes[0], FIRST_BATCH, "batches: {sizes:?}");
    assert!(sizes.windows(2).all(|w| w[1] <= 2 * w[0]), "a batch more than doubled: {sizes:?}");
    let files = rebuilder.refresh_derived(&|| false).map_or_else(|| rebuilder.files().unwrap(), |(files, _)| files);
    assert_same_pages("in batches", &files, &expected);
}

#[test]
fn a_page_asked_for_goes_before_the_pages_the_edit_touches_are_worked_out() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let before = pages(&rebuilder.files().unwrap());
    // Ten days later, in the same month: no site-wide value changes with it.
    let changes = edit_report(root, "r1", |text| {
        let date = text.lines().find(|line| line.starts_with("date: ")).unwrap();
        text.replacen(date, &date.replacen("-1", "-2", 1), 1)
    });
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved, "a new date did not resolve the site");
    let expected = full_build(root).expect("the full build failed");
    let asked = "index.html";
    assert!(built.following.holds(asked), "the home page does not follow");
    // Pages the edit leaves as they were: waited for until the comparison says so.
    let untouched: Vec<&String> = expected
        .iter()
        .filter(|(p, bytes)| p.ends_with(".html") && before.get(*p) == Some(*bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(!untouched.is_empty(), "the edit touched every page");
    let first = rebuilder.render_following_asked(&|| HashSet::from([asked.to_string()]));
    let Some(Outcome::Built(first)) = first else { panic!("the asked page failed") };
    assert_eq!(first.rendered, 1, "not the asked page alone");
    assert_eq!(pages(&first.files).get(asked), expected.get(asked), "the asked page is not as built");
    assert!(!first.following.holds(asked), "a request for the asked page still waits");
    let compared = untouched.iter().filter(|p| !first.following.holds(p)).count();
    assert_eq!(compared, 0, "the pages the edit touches were worked out before the asked page");
    let rest = rebuilder.render_all_following(|_| {}, || HashSet::from([asked.to_string()]));
    let Some(Outcome::Built(rest)) = rest else { panic!("the pages that follow failed") };
    assert!(rest.rendered > 1 && rest.following.is_empty(), "the other pages did not follow");
    let files = rebuilder.refresh_derived(&|| false).map_or_else(|| rebuilder.files().unwrap(), |(files, _)| files);
    assert_same_pages("after the asked page", &files, &expected);
}

#[test]
fn each_batch_is_sized_to_render_in_about_the_batch_time() {
    let ms = Duration::from_millis;
    // 100 pages in 100 ms: 50 fit in the batch time.
    assert_eq!(next_batch_size(100, ms(100)), 50);
    // Cheap pages: twice as many as the batch had, not all that would fit.
    assert_eq!(next_batch_size(100, ms(1)), 200);
    assert_eq!(next_batch_size(3000, ms(1)), LARGEST_BATCH);
    // Slow pages: never fewer than the smallest batch, nor nothing when no time passed.
    assert_eq!(next_batch_size(10, Duration::from_secs(10)), SMALLEST_BATCH);
    assert_eq!(next_batch_size(10, Duration::ZERO), 20);
}

#[test]
fn a_registry_edit_renders_the_persons_page_before_the_reload_and_every_other_page_after_it() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let served = rebuilder.files().expect("a first build");
    let page_of = |name: &str| format!("people/{}/index.html", crate::model::names::slugify(name));
    let person = PEOPLE.iter().find(|p| served.contains_key(&page_of(p))).expect("someone the site names");
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::fs::write(root.join("data/people.yaml"), format!("- name: {person}\n  bio: Served as envoy in Weihai.\n"))
        .unwrap();
    let changes = ChangeSet { registries: true, ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved, "a registry edit was not resolved across the site");
    assert_eq!(built.rendered, 1, "more than the person's page came before the reload");
    let page = String::from_utf8(pages(&built.files)[&page_of(person)].clone()).unwrap();
    assert!(page.contains("Served as envoy in Weihai."), "the person's page does not show the new bio");
    assert!(built.following.holds("index.html") && !built.following.holds(&page_of(person)));
    let Some(Outcome::Built(rest)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the following pages failed")
    };
    let files = rebuilder.refresh_derived(&|| false).map_or(rest.files, |(files, _)| files);
    let (served, built) = (pages(&files), full_build(root).expect("the full build failed"));
    let differing: Vec<&String> = built.keys().filter(|k| served.get(*k) != built.get(*k)).collect();
    assert!(differing.is_empty() && served.len() == built.len(), "pages differ from a full build: {differing:?}");
}

/// The figures a resolve keeps from the site before an edit (and an edition from the
/// edition before) carry the texts the theme wrote then: new words for a qualifier (a
/// site's i18n files, which load the theme again) must reach every figure in every
/// language, then and after the next edit that keeps them.
#[test]
fn figures_kept_across_edits_are_written_again_when_the_theme_words_change() {
    let dir = site_dir("title: Test\nlanguages:\n  ru: { title: Тест }\n");
    let root = dir.path();
    for (i, date) in ["2020-01-02", "2020-03-04", "2020-05-06"].iter().enumerate() {
        let report = format!(
            "---\ntitle: R{i}\ndate: {date}\ncities: [Weihai]\nofficials: [Wang Luming]\n\
             figures: [{{label: Trade, value: {}, unit: USD, qualifier: up to}}]\n---\nText.\n",
            1000 + i
        );
        std::fs::write(root.join(format!("content/reports/r{i}.md")), report).unwrap();
        write(root, &format!("content/reports/r{i}.ru.md"), &format!("---\ntitle: Р{i}\n---\nТекст.\n"));
    }
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let served = |rebuilder: &Pipeline, page: &str| {
        let page = &pages(&rebuilder.files().unwrap())[page];
        String::from_utf8(page.clone()).unwrap()
    };
    let (english, russian) = ("reports/r0/index.html", "ru/reports/r0/index.html");
    assert!(served(&rebuilder, english).contains("up to"), "{}", served(&rebuilder, english));

    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/en.yaml"), "figure.qualifier.up_to: at most {amount}\n").unwrap();
    std::fs::write(root.join("i18n/ru.yaml"), "figure.qualifier.up_to: не более {amount}\n").unwrap();
    let changes = ChangeSet { templates: true, ..ChangeSet::default() };
    assert!(matches!(rebuilder.rebuild(&changes), Outcome::Built(_)));
    assert!(served(&rebuilder, english).contains("at most"), "new words did not reach a figure");
    assert!(served(&rebuilder, russian).contains("не более"), "new words did not reach a Russian figure");
    assert_same_pages("new words", &rebuilder.files().unwrap(), &full_build(root).unwrap());

    // A date edit resolves the site again, keeping the figures of the unchanged reports.
    let path = root.join("content/reports/r2.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("date: 2020-05-06", "date: 2019-05-06")).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the date edit failed") };
    assert!(built.resolved, "a date edit did not resolve the site");
    assert_same_pages("date edit", &rebuilder.files().unwrap(), &full_build(root).unwrap());
    assert!(served(&rebuilder, english).contains("at most") && served(&rebuilder, russian).contains("не более"));
}

/// A deleted report's page is gone before the reload message, so a tab showing it gets
/// its 404 at once; the pages that listed it follow the reload.
#[test]
fn a_deleted_reports_page_is_gone_before_the_reload_and_the_rest_follows() {
    let (dir, mut rebuilder) = small_site();
    let root = dir.path();
    let path = root.join("content/reports/r1.md");
    std::fs::remove_file(&path).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved, "a deleted report did not resolve the site");
    assert_eq!(built.rendered, 0, "pages were rendered before the reload");
    assert!(!pages(&built.files).contains_key("reports/r1/index.html"), "the deleted report's page is served");
    assert!(built.changed.contains(&"reports/r1/index.html".to_string()), "its removal is not a change");
    assert!(!built.following.holds("reports/r1/index.html"), "a request for it waits for the following pages");
    assert!(built.following.holds("index.html"), "the home page, which listed it, does not follow");
    assert!(rebuilder.render_all_following(|_| {}, HashSet::new).is_some(), "no pages followed the reload");
    let files = rebuilder.refresh_derived(&|| false).map_or_else(|| rebuilder.files().unwrap(), |(files, _)| files);
    assert_same_pages("deleted", &files, &full_build(root).expect("the full build failed"));
}

/// A resolve takes the translations of reports whose files and facts are unchanged from
/// the site before it, unchecked (`model::translations`). Facts change without their
/// files: a registry edit that takes away the Russian name a translation gives an
/// official, and a new city elsewhere that has the key of a figure's city a translation
/// names; serve must then find the errors a build finds, and lose them when put back.
#[test]
fn translations_are_checked_again_when_the_facts_they_name_change_elsewhere() {
    let dir = english_and_russian();
    let root = dir.path();
    let registry = "- name: Vladimir Norov\n  names: { ru: Владимир Норов }\n";
    std::fs::write(root.join("data/people.yaml"), registry).unwrap();
    let original = "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai, Qingdao]\n\
        officials:\n  - name: Vladimir Norov\n    role: Secretary-General\n\
        figures:\n  - label: Trade\n    value: 3 million\n    unit: USD\n---\nTalks were held.\n";
    std::fs::write(report_path(root, 1), original).unwrap();
    let translation = "---\ntitle: Переговоры\nofficials:\n  - name: Владимир Норов\n    role: Генсек\n\
        figures:\n  - label: Торговля\n    value: 3 million\n    unit: USD\n    city: Astana\n---\nПереговоры.\n";
    std::fs::write(translation_path(root, 1), translation).unwrap();
    let other = |city: &str| format!("---\ntitle: Visit\ndate: 2021-05-06\ncities: [{city}]\n---\nA visit.\n");
    std::fs::write(report_path(root, 2), other("Tashkent")).unwrap();
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let mut last_good = full_build(root).expect("the first build succeeds");
    let registry_edit = ChangeSet { registries: true, ..ChangeSet::default() };
    let mut content_edit = ChangeSet::default();
    content_edit.content.insert(report_path(root, 2));
    let people = "data/people.yaml";
    let steps = [
        ("the Russian name taken away", people, "- name: Vladimir Norov\n".to_string(), &registry_edit, false),
        ("the Russian name put back", people, registry.to_string(), &registry_edit, true),
        ("a city of the figure's key", "content/reports/r02.md", other("Astana"), &content_edit, false),
        ("that city gone", "content/reports/r02.md", other("Tashkent"), &content_edit, true),
    ];
    for (at, rel, text, changes, good) in steps {
        write(root, rel, &text);
        let expected = full_build(root);
        assert_eq!(expected.is_some(), good, "{at}: the build's outcome is not the one this test is about");
        let outcome = rebuilder.rebuild(changes);
        assert_served_as_built(at, &mut rebuilder, outcome, changes, expected.as_ref(), &last_good);
        last_good = expected.unwrap_or(last_good);
    }
    // And otherwise they are taken as they were: a new official in another report.
    let translations = |rebuilder: &Pipeline| {
        let site = &rebuilder.good.as_ref().expect("a good site").site;
        site.report(site.report_by_source("content/reports/r01.md").unwrap()).translations.clone()
    };
    let before = translations(&rebuilder);
    let official = format!("{}officials: [Zhang Ming]\n---\n", other("Tashkent").trim_end_matches("---\nA visit.\n"));
    write(root, "content/reports/r02.md", &format!("{official}A visit.\n"));
    let outcome = rebuilder.rebuild(&content_edit);
    assert!(matches!(&outcome, Outcome::Built(built) if built.resolved), "a new official did not resolve the site");
    assert!(Arc::ptr_eq(&before, &translations(&rebuilder)), "unchanged translations were checked again");
}

/// An empty site in English and Russian in a temp dir, with its content and data folders.
fn english_and_russian() -> tempfile::TempDir {
    site_dir("title: Test\nbase_url: https://example.org/\nlanguages:\n  ru: { title: Тест }\n")
}

/// An empty site configured by `config` in a temp dir, with its content and data folders.
fn site_dir(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.yaml", config);
    std::fs::create_dir_all(dir.path().join("content/reports")).unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// Saves `text` as the file `rel` of the site in `root` and rebuilds, as `serve` does.
fn save_and_rebuild(rebuilder: &mut Pipeline, root: &Path, rel: &str, text: &str) -> Rebuilt {
    write(root, rel, text);
    let changes = ChangeSet { content: [root.join(rel)].into(), ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("saving {rel} failed") };
    built
}

/// An edition keeps a report's figures from the edition before (written in its language
/// already) only when they are the same: a figure moved to another city of its report,
/// the translation unchanged, shows the new city in both languages; an edit elsewhere
/// keeps them.
#[test]
fn edition_figures_follow_their_originals_and_are_kept_otherwise() {
    let dir = english_and_russian();
    let root = dir.path();
    let report = |city: &str| {
        format!(
            "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai, Qingdao]\nfigures:\n  - label: Trade\n    \
             value: 3 million\n    unit: USD\n    city: {city}\n---\nTalks were held.\n"
        )
    };
    write(root, "content/reports/r01.md", &report("Weihai"));
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\n---\nПереговоры.\n");
    let other =
        |official: &str| format!("---\ntitle: Visit\ndate: 2021-05-06\ncities: [Tashkent]\n{official}---\nA visit.\n");
    write(root, "content/reports/r02.md", &other(""));
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let last_good = full_build(root).expect("the first build succeeds");
    let moved = ("content/reports/r01.md", report("Qingdao"));
    save_resolving(&mut rebuilder, root, (moved.0, &moved.1), "a figure's city", &last_good);
    let (_, before) = talks_figures(&rebuilder);
    let mut changes = ChangeSet::default();
    changes.content.insert(root.join("content/reports/r02.md"));
    write(root, "content/reports/r02.md", &other("officials: [Zhang Ming]\n"));
    let outcome = rebuilder.rebuild(&changes);
    assert!(matches!(&outcome, Outcome::Built(built) if built.resolved), "a new official did not resolve the site");
    assert!(Arc::ptr_eq(&before, &talks_figures(&rebuilder).1), "the edition's unchanged figures were made again");
}

/// Saves `text` as the content file `rel` and rebuilds: the save (`what`) must resolve the
/// site, and the pages served must equal a build's.
fn save_resolving(
    rebuilder: &mut Pipeline,
    root: &Path,
    (rel, text): (&str, &str),
    what: &str,
    last_good: &BTreeMap<String, Vec<u8>>,
) {
    let mut changes = ChangeSet::default();
    changes.content.insert(root.join(rel));
    write(root, rel, text);
    let expected = full_build(root);
    let outcome = rebuilder.rebuild(&changes);
    assert!(matches!(&outcome, Outcome::Built(built) if built.resolved), "{what} did not resolve the site");
    assert_served_as_built(what, rebuilder, outcome, &changes, expected.as_ref(), last_good);
}

/// The figures of `content/reports/r01.md` in the site served and in its first edition.
fn talks_figures(rebuilder: &Pipeline) -> (Arc<[crate::model::Figure]>, Arc<[crate::model::Figure]>) {
    let good = rebuilder.good.as_ref().expect("a good site");
    let (edition, _) = &good.editions[0];
    let of = |site: &Site| site.report(site.report_by_source("content/reports/r01.md").unwrap()).figures.clone();
    (of(&good.site), of(edition))
}

/// A save naming a city no report named before leaves every other report its figures,
/// in the site and in its edition: the new city comes after the others, which keep their
/// ids. The pages equal a build's.
#[test]
fn a_new_city_leaves_the_other_reports_their_figures_in_every_language() {
    let dir = english_and_russian();
    let root = dir.path();
    let talks = "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai, Qingdao]\nfigures:\n  - label: Trade\n    \
                 value: 3 million\n    unit: USD\n    city: Qingdao\n---\nTalks were held.\n";
    write(root, "content/reports/r01.md", talks);
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\n---\nПереговоры.\n");
    let visit = |cities: &str| format!("---\ntitle: Visit\ndate: 2021-05-06\ncities: [{cities}]\n---\nA visit.\n");
    write(root, "content/reports/r02.md", &visit("Tashkent"));
    // Translated too, so that the edition holds the new city.
    write(root, "content/reports/r02.ru.md", "---\ntitle: Визит\n---\nВизит.\n");
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let last_good = full_build(root).expect("the first build succeeds");
    let (original, russian) = talks_figures(&rebuilder);
    let new_city = visit("Tashkent, Samarkand");
    save_resolving(&mut rebuilder, root, ("content/reports/r02.md", &new_city), "a new city", &last_good);
    let (original_after, russian_after) = talks_figures(&rebuilder);
    assert!(Arc::ptr_eq(&original, &original_after), "the unchanged report's figures were made again");
    assert!(Arc::ptr_eq(&russian, &russian_after), "the edition's unchanged figures were made again");
}

/// A site of one report in a folder, `content/reports/bay/`, whose picture is `bay.jpg`
/// (`jpeg`), built by a [`Pipeline`] as serve starts.
fn site_with_a_photo(jpeg: &[u8]) -> (tempfile::TempDir, Pipeline) {
    site_with_photos(&["bay"], jpeg)
}

/// A site of a report in each of `folders` (`content/reports/<folder>/`), whose picture is
/// `<folder>.jpg` (`jpeg`), built by a [`Pipeline`] as serve starts.
fn site_with_photos(folders: &[&str], jpeg: &[u8]) -> (tempfile::TempDir, Pipeline) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: Test\nbase_url: https://example.org/\n");
    for (i, folder) in folders.iter().enumerate() {
        std::fs::create_dir_all(root.join(format!("content/reports/{folder}"))).unwrap();
        let report = format!(
            "---\ntitle: The {folder}\ndate: 2021-05-0{}\nimage:\n  src: {folder}.jpg\n  alt: The {folder} at dusk\n---\nText.\n",
            i + 1
        );
        write(root, &format!("content/reports/{folder}/index.md"), &report);
        std::fs::write(root.join(format!("content/reports/{folder}/{folder}.jpg")), jpeg).unwrap();
    }
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    (dir, rebuilder)
}

/// Saves `jpeg` over the photo of the report in `folder`; the change set that says so.
fn replace_photo_of(root: &Path, folder: &str, jpeg: &[u8]) -> ChangeSet {
    let path = root.join(format!("content/reports/{folder}/{folder}.jpg"));
    std::fs::write(&path, jpeg).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(path);
    changes
}

/// Saves `jpeg` over the photo of the site of [`site_with_a_photo`].
fn replace_the_photo(root: &Path, jpeg: &[u8]) -> ChangeSet {
    replace_photo_of(root, "bay", jpeg)
}

/// The bytes of a file made in memory.
fn bytes_of(file: &OutputFile) -> Vec<u8> {
    match file {
        OutputFile::Bytes(bytes) => bytes.to_vec(),
        OutputFile::Static(_) => panic!("a copy made by this rebuild is read from a file"),
    }
}

#[test]
fn a_replaced_photo_reloads_once_decoded_and_each_copy_is_served_as_it_is_made() {
    use crate::media::testing::{jpeg, photo};
    let (dir, mut rebuilder) = site_with_a_photo(&jpeg(&photo(1000, 600)));
    // The same size, other pixels: no page changes, every copy does.
    let mut other = photo(1000, 600);
    other.pixels_mut().for_each(|p| p.0[0] = 255 - p.0[0]);
    let replaced = jpeg(&other);
    let Outcome::Built(built) = rebuilder.rebuild_pages(&replace_the_photo(dir.path(), &replaced)) else {
        panic!("the rebuild failed")
    };
    let copies = ["reports/bay/bay-480.webp", "reports/bay/bay-960.webp", "reports/bay/bay-1000.webp"];
    for copy in copies {
        assert!(built.following.holds(copy), "{copy} does not wait to be made");
        assert!(!built.files.contains_key(copy), "the copy {copy} of the photo before is still served");
    }
    assert!(!built.following.holds("reports/bay/index.html"), "the page waits for its photo");
    let mut shown = Vec::new();
    let made = rebuilder.make_photos(|files, pending| {
        let (served, waiting): (Vec<&str>, Vec<&str>) = copies.iter().partition(|c| files.contains_key(**c));
        assert!(served.iter().all(|c| !pending.holds(c)), "a copy served still waits: {served:?}");
        assert!(waiting.iter().all(|c| pending.holds(c)), "a copy not made is let go: {waiting:?}");
        shown.push(served.len());
    });
    let Some(Outcome::Built(made)) = made else { panic!("the copies failed") };
    // One by one, but for copies made within moments of each other.
    assert!(shown.len() >= 2 && shown.windows(2).all(|w| w[0] < w[1]), "not served as made: {shown:?}");
    assert_eq!(shown.last(), Some(&3), "not every copy was served");
    assert!(made.following.is_empty() && rebuilder.render_following().is_none(), "something is left to make");
    let expected = crate::media::process(&replaced, &crate::media::ImageSettings::default()).unwrap();
    for (copy, variant) in copies.iter().zip(&expected.variants) {
        assert_eq!(bytes_of(&made.files[*copy]), variant.bytes, "{copy} is not the new photo's copy");
    }
    // Stored in the cache: a build takes them from there.
    let mut diags = Diagnostics::new();
    let project = Project::load(dir.path(), BuildOptions::default(), &mut diags).unwrap();
    let rendered = crate::build_into(&project, &crate::NoProgress, &mut diags, &crate::output::MemorySink::default());
    assert_eq!(rendered.expect("the build failed").photos, (1, 0), "the build processed the photo again");
}

#[test]
fn a_replaced_photo_that_cannot_be_decoded_fails_before_the_reload() {
    use crate::media::testing::{jpeg, photo};
    let (dir, mut rebuilder) = site_with_a_photo(&jpeg(&photo(1000, 600)));
    let before = pages(&rebuilder.files().unwrap());
    let mut cut = jpeg(&photo(1000, 600));
    cut.truncate(cut.len() / 2);
    let outcome = rebuilder.rebuild_pages(&replace_the_photo(dir.path(), &cut));
    let Outcome::Failed(diags) = outcome else { panic!("a photo cut in half went unnoticed") };
    assert!(diags.iter().any(|d| d.path == "content/reports/bay/index.md"), "{:?}", diags.sorted());
    assert!(rebuilder.make_photos(|_, _| panic!("a copy of a broken photo was served")).is_none());
    assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");
}

#[test]
fn photos_beyond_the_memory_for_deferred_ones_are_made_before_the_reload() {
    use crate::media::testing::{jpeg, photo};
    // Each decoded photo takes 5.4 MB; tests leave 8 MiB for deferred photos.
    let (dir, mut rebuilder) = site_with_photos(&["bay", "port"], &jpeg(&photo(1000, 600)));
    let mut other = photo(1000, 600);
    other.pixels_mut().for_each(|p| p.0[1] = 255 - p.0[1]);
    let replaced = jpeg(&other);
    let mut changes = replace_photo_of(dir.path(), "bay", &replaced);
    changes.content.extend(replace_photo_of(dir.path(), "port", &replaced).content);
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    let copies = |folder: &str| ["480", "960", "1000"].map(|w| format!("reports/{folder}/{folder}-{w}.webp"));
    let deferred: Vec<bool> = ["bay", "port"].map(|f| copies(f).iter().all(|c| built.following.holds(c))).into();
    assert_eq!(deferred.iter().filter(|d| **d).count(), 1, "not one photo deferred: {deferred:?}");
    let made_now = if deferred[0] { "port" } else { "bay" };
    let expected = crate::media::process(&replaced, &crate::media::ImageSettings::default()).unwrap();
    for (copy, variant) in copies(made_now).iter().zip(&expected.variants) {
        assert!(!built.following.holds(copy), "{copy} waits though it was made");
        assert_eq!(bytes_of(&built.files[copy]), variant.bytes, "{copy} is not the new photo's copy");
    }
    assert!(matches!(rebuilder.render_following(), Some(Outcome::Built(_))), "the deferred photo failed");
}

#[test]
fn edited_paths_are_found_alike_among_a_few_and_among_many() {
    let few: Vec<String> = vec!["content/reports/talks.md".into(), "content/reports/visit.ru.md".into()];
    let many: Vec<String> = (0..20).map(|i| format!("content/reports/r{i}.md")).chain(few.clone()).collect();
    for paths in [&few, &many] {
        let edited = Edited::new(paths);
        assert!(paths.iter().all(|p| edited.contains(p)), "an edited path not found");
        for other in ["content/reports/talk.md", "content/reports/talks.mdx", "content/reports/visit.md", ""] {
            assert!(!edited.contains(other), "{other:?} taken for an edited path");
        }
    }
}

/// In a site in two languages, a save that resolves the site (a new official) renders
/// the edited report's English page alone before the reload, leading to its Russian
/// page at the translation's own slug, while the Russian pages wait; the editions follow
/// it, the report's Russian page (showing the new official) served first, then the pages
/// the edit touches; and the pages equal a build's.
#[test]
fn a_resolving_edit_in_two_languages_goes_before_the_reload_in_the_default_language_alone() {
    let dir = english_and_russian();
    let root = dir.path();
    let talks =
        "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai]\nofficials:\n  - name: Zhang Ming\n---\nTalks.\n";
    write(root, "content/reports/r01.md", talks);
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\nslug: peregovory\n---\nПереговоры.\n");
    write(root, "content/reports/r02.md", "---\ntitle: Visit\ndate: 2021-05-06\ncities: [Tashkent]\n---\nA visit.\n");
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    write(root, "content/reports/r01.md", &talks.replace("officials:\n", "officials:\n  - name: Aziz Newcomer\n"));
    let mut changes = ChangeSet::default();
    changes.content.insert(root.join("content/reports/r01.md"));
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved && built.rendered == 1, "not the English page alone before the reload");
    let (english, russian) = ("reports/r01/index.html", "ru/reports/peregovory/index.html");
    assert!(!built.following.holds(english) && built.following.holds(russian), "the wrong page waits");
    let page = scraper::Html::parse_document(&String::from_utf8(pages(&built.files)[english].clone()).unwrap());
    let link = scraper::Selector::parse(r#"link[rel="alternate"][hreflang="ru"]"#).unwrap();
    let href = page.select(&link).next().and_then(|l| l.value().attr("href")).expect("no Russian alternate");
    assert_eq!(href, "https://example.org/ru/reports/peregovory/");
    // The editions next, with the report's Russian page, served before the pages it touches.
    let Some(Outcome::Built(editions)) = rebuilder.render_following() else { panic!("the editions failed") };
    assert!(!editions.following.holds(russian) && editions.following.holds("ru/index.html"), "the wrong page waits");
    let ru = scraper::Html::parse_document(&String::from_utf8(pages(&editions.files)[russian].clone()).unwrap());
    let text: String = ru.root_element().text().collect();
    assert!(text.contains("Aziz Newcomer"), "the Russian page does not show the new official");
    let Some(Outcome::Built(rest)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the touched pages failed")
    };
    assert!(rest.following.is_empty() && rebuilder.render_following().is_none(), "pages were left to follow");
    let files = rebuilder.refresh_derived(&|| false).map_or(rest.files, |(files, _)| files);
    assert_same_pages("the new official", &files, &full_build(root).expect("the full build failed"));
}

/// In a site in two languages, a registry edit (a biography in both languages) renders
/// the person's English page alone before the reload, its switcher leading to the
/// Russian page, which a translated report names him on; a person whose reports are not
/// translated leads to the Russian home. The editions follow, the person's Russian page
/// (with the Russian biography) served first, then every page the edit touches.
#[test]
fn a_registry_edit_in_two_languages_renders_the_entrys_pages_first_in_each_language() {
    let dir = english_and_russian();
    let root = dir.path();
    let talks = "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai]\nofficials: [Zhang Ming]\n---\nTalks.\n";
    write(root, "content/reports/r01.md", talks);
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\n---\nПереговоры.\n");
    write(
        root,
        "content/reports/r02.md",
        "---\ntitle: Visit\ndate: 2021-05-06\nofficials: [Aliya Seitova]\n---\nA visit.\n",
    );
    let people = "- name: Zhang Ming\n  names: { ru: Чжан Мин }\n- name: Aliya Seitova\n";
    write(root, "data/people.yaml", people);
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let bios = "- name: Zhang Ming\n  names: { ru: Чжан Мин }\n  bio: { en: Envoy in Weihai., ru: Посланник в Вэйхае. }\n\
                - name: Aliya Seitova\n  bio: Envoy in Astana.\n";
    write(root, "data/people.yaml", bios);
    let changes = ChangeSet { registries: true, ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the rebuild failed") };
    assert!(built.resolved && built.rendered == 2, "not the two English pages alone before the reload");
    let (zhang, aliya) = ("people/zhang-ming/index.html", "people/aliya-seitova/index.html");
    let russian = "ru/people/zhang-ming/index.html";
    assert!(!built.following.holds(zhang) && built.following.holds(russian), "the wrong page waits");
    assert_eq!(switcher_link(&built.files, zhang, "ru"), "../../ru/people/zhang-ming/");
    assert_eq!(switcher_link(&built.files, aliya, "ru"), "../../ru/");
    let Some(Outcome::Built(editions)) = rebuilder.render_following() else { panic!("the editions failed") };
    assert!(!editions.following.holds(russian) && editions.following.holds("ru/index.html"), "the wrong page waits");
    let ru = String::from_utf8(pages(&editions.files)[russian].clone()).unwrap();
    assert!(ru.contains("Посланник в Вэйхае."), "the Russian page does not show the Russian biography");
    let Some(Outcome::Built(rest)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the touched pages failed")
    };
    let files = rebuilder.refresh_derived(&|| false).map_or(rest.files, |(files, _)| files);
    assert_same_pages("the biographies", &files, &full_build(root).expect("the full build failed"));
}

/// Where the language switcher of `page` in `files` leads for `language`.
fn switcher_link(files: &Files, page: &str, language: &str) -> String {
    let html = scraper::Html::parse_document(&String::from_utf8(pages(files)[page].clone()).unwrap());
    let link = scraper::Selector::parse(&format!(r#".language-switcher a[hreflang="{language}"]"#)).unwrap();
    let found = html.select(&link).next().and_then(|l| l.value().attr("href")).map(str::to_string);
    found.unwrap_or_else(|| panic!("{page} has no link to {language}"))
}

/// In a site in two languages, a new title of a translated report (a word its
/// translation gives in its own) is applied in place, its Russian page left as it was;
/// a new role (which the translation, giving none, falls back to) resolves the site and
/// reaches the Russian page. Both equal a full build.
#[test]
fn a_translated_reports_title_is_edited_in_place_and_its_facts_in_every_language() {
    let dir = english_and_russian();
    let root = dir.path();
    let talks = "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai]\nofficials:\n  - name: Zhang Ming\n    \
                 role: Mayor\n---\nTalks.\n";
    write(root, "content/reports/r01.md", talks);
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\n---\nПереговоры.\n");
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let russian = "ru/reports/r01/index.html";
    let before = pages(&rebuilder.files().unwrap())[russian].clone();
    let retitled = talks.replace("title: Talks", "title: Talks on trade");
    let built = save_and_rebuild(&mut rebuilder, root, "content/reports/r01.md", &retitled);
    assert!(!built.resolved, "a new title of a translated report resolved the site");
    let served = pages(&built.files);
    assert!(String::from_utf8_lossy(&served["reports/r01/index.html"]).contains("Talks on trade"));
    assert_eq!(served[russian], before, "the Russian page changed with the English title");
    assert_same_pages("the new title", &built.files, &full_build(root).expect("the full build failed"));
    let new_role = retitled.replace("role: Mayor", "role: Party Secretary");
    let built = save_and_rebuild(&mut rebuilder, root, "content/reports/r01.md", &new_role);
    assert!(built.resolved, "a new role of a translated report was applied in place");
    assert!(String::from_utf8_lossy(&pages(&built.files)[russian]).contains("Party Secretary"));
    assert_same_pages("the new role", &built.files, &full_build(root).expect("the full build failed"));
}

/// A title that comes to name the report's city (`Talks in Weihai`) is still an edit of
/// the title alone: where the city is named is its line in `cities:`, not the title's.
#[test]
fn a_title_naming_the_reports_city_is_edited_in_place() {
    let dir = english_and_russian();
    let root = dir.path();
    let talks = "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai]\nofficials: [Zhang Ming]\n---\nTalks.\n";
    write(root, "content/reports/r01.md", talks);
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let retitled = talks.replace("title: Talks", "title: Zhang Ming's talks in Weihai");
    let built = save_and_rebuild(&mut rebuilder, root, "content/reports/r01.md", &retitled);
    assert!(!built.resolved, "a title naming the report's city and official resolved the site");
    assert_same_pages("the new title", &built.files, &full_build(root).expect("the full build failed"));
}

/// When the editions made after the reload fail (a Russian body linking to the report
/// a save deleted), the whole save is taken back: what is served is the site before it.
#[test]
fn an_edition_failing_after_the_reload_takes_the_edit_back() {
    let dir = english_and_russian();
    let root = dir.path();
    let visit = "---\ntitle: Visit\ndate: 2021-05-06\ncities: [Tashkent]\n---\nA visit.\n";
    write(root, "content/reports/r01.md", "---\ntitle: Talks\ndate: 2021-03-04\ncities: [Weihai]\n---\nTalks.\n");
    write(root, "content/reports/r01.ru.md", "---\ntitle: Переговоры\n---\nСм. [визит](@/reports/r02.md).\n");
    write(root, "content/reports/r02.md", visit);
    let mut rebuilder = Pipeline::open(root, BuildOptions::default()).unwrap();
    assert!(matches!(rebuilder.build(), Outcome::Built(_)));
    let before = pages(&rebuilder.files().unwrap());
    std::fs::remove_file(root.join("content/reports/r02.md")).unwrap();
    let mut changes = ChangeSet::default();
    changes.content.insert(root.join("content/reports/r02.md"));
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the English pages failed") };
    assert!(built.following.holds("ru/reports/r01/index.html"), "the Russian pages do not wait for the editions");
    let Some(Outcome::Failed(diags)) = rebuilder.render_all_following(|_| {}, HashSet::new) else {
        panic!("the broken link went unnoticed")
    };
    assert!(diags.sorted().iter().any(|d| d.path == "content/reports/r01.ru.md"), "the error is not the translation's");
    assert_eq!(pages(&rebuilder.files().unwrap()), before, "a failed edit changed what is served");
    write(root, "content/reports/r02.md", visit);
    let Outcome::Built(built) = rebuilder.rebuild(&changes) else { panic!("the restored report failed") };
    assert_same_pages("the report restored", &built.files, &full_build(root).expect("the full build failed"));
}
