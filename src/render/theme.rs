//! Themes: the embedded default theme, `themes/<name>/` on disk and the site's own
//! `templates/` overrides, compiled once into one `tera::Tera` with communique's filters
//! and functions (`url_for`, `t`, `plural_forms`, `format_figure`, `format_number`,
//! `date`); the theme's and the site's `i18n/<code>.yaml` string files are read here and
//! looked up by `t` and `plural_forms` through [`super::i18n`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use tera::{Kwargs, State, Tera, Value};

use super::i18n::{Arguments, Catalogues, I18N, Strings};
use super::mentions::Mentions;
use super::route::relative_url;
use crate::diag::{Diagnostic, Diagnostics, Message, msg};
use crate::locale::Locale;
use crate::model::figure::{Qualifier, format_figure};
use crate::project::{Project, sources};

/// The default theme, compiled into the binary so a site without `themes/` builds.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates every theme must provide (SPEC §5).
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "report.html",
    "page.html",
    "person.html",
    "people.html",
    "city.html",
    "cities.html",
    "country.html",
    "countries.html",
    "topic.html",
    "topics.html",
    "figures.html",
    "404.html",
];

/// The search page's template: required while search is on (`search:` in site.yaml).
pub const SEARCH_TEMPLATE: &str = "search.html";

pub use crate::output::StaticSource;

/// A compiled theme and the static files it ships.
pub struct Theme {
    pub tera: Tera,
    /// Output path -> source, theme files first, overridden by the site's static/.
    pub static_files: BTreeMap<String, StaticSource>,
    /// Template name -> root-relative file it came from, for error messages.
    pub origins: BTreeMap<String, String>,
    /// Every word the templates contain, so views can skip values no template shows.
    pub mentions: Mentions,
    /// The words of each of the site's languages (`language` and every one of
    /// `languages:`), which `t` looks up in the page's language.
    pub strings: Arc<BTreeMap<String, Strings>>,
    /// The CLDR rules of each of the site's languages, by tag.
    pub locales: Arc<Locales>,
    /// The figures written in each language so far, when remembered (`serve`).
    pub figure_texts: super::figure_texts::FigureTexts,
}

impl Theme {
    /// A figure as a reader of `language` sees it: its value and unit by CLDR's rules
    /// (`5,8 млрд $`, `US$58亿`), after the qualifier in the theme's words (`более`).
    fn figure_text(&self, language: &str, value: f64, unit: Option<&str>, qualifier: Option<Qualifier>) -> String {
        match (self.locales.get(language), self.strings.get(language)) {
            (Some(locale), Some(strings)) => figure_text(locale, strings, value, unit, qualifier),
            _ => format_figure(value, unit, qualifier),
        }
    }

    /// Sets each figure's `display` to its [`Theme::figure_text`], from the theme's memory
    /// of texts written before where it keeps one (`serve`).
    pub fn write_figures(&self, language: &str, figures: &mut [&mut crate::model::Figure]) {
        self.figure_texts
            .fill(language, figures, |f| self.figure_text(language, f.value, f.unit.as_deref(), f.qualifier))
    }

    /// Loads and compiles the theme of `project`. Template errors are pushed into `diags`.
    pub fn load(project: &Project, diags: &mut Diagnostics) -> Option<Theme> {
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let theme_dir = project.theme_dir();
        let is_default = project.config.theme == "default";
        if !project.is_inside(&theme_dir) {
            return None; // Reported by Project::load.
        }
        if is_default {
            add_embedded(&DEFAULT_THEME, &mut templates, &mut static_files);
        } else if !theme_dir.is_dir() {
            diags.push(Diagnostic::error(
                "site.yaml",
                0,
                0,
                msg!(
                    "theme \"{}\" not found: expected a folder themes/{}/",
                    project.config.theme,
                    project.config.theme
                ),
            ));
            return None;
        }
        add_disk_templates(project, &theme_dir.join(sources::TEMPLATES), &mut templates, diags);
        add_disk_static(project, &theme_dir.join(sources::STATIC), &mut static_files, diags);
        add_disk_templates(project, &project.templates_dir(), &mut templates, diags);
        add_disk_static(project, &project.static_dir(), &mut static_files, diags);
        check_required_templates(project, &templates, diags);
        let origins: BTreeMap<String, String> =
            templates.iter().map(|(n, (origin, _))| (n.clone(), origin.clone())).collect();
        let catalogues = load_catalogues(project, is_default, &theme_dir, diags);
        let languages = site_languages(project);
        let strings: BTreeMap<String, Strings> =
            languages.iter().map(|code| (code.clone(), catalogues.strings(code, diags))).collect();
        let strings = Arc::new(strings);
        let locales: Arc<Locales> =
            Arc::new(languages.iter().map(|code| (code.clone(), language_locale(code, diags))).collect());
        let mut tera = Tera::default();
        let shared = Arc::new(static_files.keys().cloned().collect());
        register_helpers(&mut tera, project.config.offline, Arc::clone(&locales), Arc::clone(&strings), shared);
        register_strings(&mut tera, Arc::clone(&strings));
        if let Err(e) = tera.add_raw_templates(templates.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())))
        {
            diags.extend(template_errors(&origins, &e));
            return None;
        }
        if diags.has_errors() {
            return None;
        }
        let mentions = Mentions::of(templates.values().map(|(_, text)| text.as_str()));
        Some(Theme { tera, static_files, origins, mentions, strings, locales, figure_texts: Default::default() })
    }
}

/// Reports each template the theme must have and lacks (SPEC §5; `search.html` while
/// search is on).
fn check_required_templates(
    project: &Project,
    templates: &BTreeMap<String, (String, String)>,
    diags: &mut Diagnostics,
) {
    let folder = sources::theme_folder(&project.config.theme, sources::TEMPLATES);
    for name in REQUIRED_TEMPLATES {
        if !templates.contains_key(*name) {
            diags.push(Diagnostic::error(&folder, 0, 0, msg!("the theme has no {name} template")));
        }
    }
    if project.config.search && cfg!(feature = "search") && !templates.contains_key(SEARCH_TEMPLATE) {
        diags.push(
            Diagnostic::error(
                &folder,
                0,
                0,
                msg!("the theme has no {SEARCH_TEMPLATE} template, which the search page needs"),
            )
            .with_hint("add one, or set `search: false` in site.yaml"),
        );
    }
}

/// A Tera error as a diagnostic at the template file, line and column it points at (the
/// first, when Tera found several: see [`template_errors`]).
pub fn template_error(origins: &BTreeMap<String, String>, error: &tera::Error) -> Diagnostic {
    template_errors(origins, error).swap_remove(0)
}

/// Every problem a Tera error holds, each at its template file, line and column.
pub fn template_errors(origins: &BTreeMap<String, String>, error: &tera::Error) -> Vec<Diagnostic> {
    let origin = |name: &str| origins.get(name).cloned().unwrap_or_else(|| name.to_string());
    if let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) = error.kind() {
        let span = report.span();
        return vec![Diagnostic::error(
            origin(report.filename()),
            span.start_line,
            span.start_col + 1,
            Message::from_error(report.message()),
        )];
    }
    // Unknown filters, tests and functions come as reports already written out
    // ("error: Unknown filter `x`\n --> report.html:1:63\n ..."), one per use.
    if let tera::ErrorKind::Msg(text) = error.kind() {
        let reports: Vec<Diagnostic> = (written_reports(text).into_iter())
            .map(|(message, name, line, col)| Diagnostic::error(origin(name), line, col, Message::from_error(message)))
            .collect();
        if !reports.is_empty() {
            return reports;
        }
    }
    vec![unlocated_template_error(origins, error)]
}

/// The message, template name, line and column of each report Tera wrote out in `text`.
fn written_reports(text: &str) -> Vec<(&str, &str, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .filter_map(|pair| {
            let message = pair[0].strip_prefix("error: ")?;
            let (name, position) = pair[1].trim_start().strip_prefix("--> ")?.split_once(':')?;
            let (line, col) = position.split_once(':')?;
            Some((message, name, line.parse().ok()?, col.parse().ok()?))
        })
        .collect()
}

/// A Tera error that points at no line: at the template its message names, if any.
fn unlocated_template_error(origins: &BTreeMap<String, String>, error: &tera::Error) -> Diagnostic {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let path = origins
        .iter()
        .filter(|(name, _)| message.contains(name.as_str()))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, origin)| origin.clone())
        .unwrap_or_else(|| sources::TEMPLATES.to_string());
    Diagnostic::error(path, 0, 0, Message::from_error(message.trim_end()))
}

/// Every string file: the built-in theme's (for `theme: default`), the theme folder's,
/// then the site's own `i18n/`, each overriding the keys of the ones before.
fn load_catalogues(project: &Project, is_default: bool, theme_dir: &Path, diags: &mut Diagnostics) -> Catalogues {
    let mut catalogues = Catalogues::default();
    if is_default {
        for file in all_files(&DEFAULT_THEME) {
            let path = file.path().to_string_lossy().replace('\\', "/");
            let in_i18n = path.strip_prefix(I18N).and_then(|rest| rest.strip_prefix('/'));
            let Some(code) = in_i18n.and_then(|name| name.strip_suffix(".yaml")) else { continue };
            let text = String::from_utf8_lossy(file.contents());
            catalogues.add(code, format!("(built-in default theme)/{path}"), &text, diags);
        }
    }
    add_disk_catalogues(project, &theme_dir.join(I18N), &mut catalogues, diags);
    add_disk_catalogues(project, &project.root.join(I18N), &mut catalogues, diags);
    catalogues
}

/// The `<code>.yaml` files directly in `dir`, unless `dir` leads outside the site (which
/// `Project::load` reports).
fn add_disk_catalogues(project: &Project, dir: &Path, catalogues: &mut Catalogues, diags: &mut Diagnostics) {
    if !project.is_inside(dir) || !dir.is_dir() {
        return;
    }
    for (name, path) in files_under(project, dir, diags) {
        let Some(code) = name.strip_suffix(".yaml").filter(|code| !code.contains('/')) else { continue };
        let origin = project.relative(&path);
        match std::fs::read(&path).map(|bytes| crate::text::decode_text(&bytes)) {
            Ok(Ok(text)) => catalogues.add(code, origin, &text, diags),
            Ok(Err(invalid)) => diags.push(invalid.diagnostic(origin)),
            Err(e) => diags.push(Diagnostic::error(origin, 0, 0, msg!("cannot read the strings: {e}"))),
        }
    }
}

fn add_embedded(
    dir: &'static Dir<'static>,
    templates: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, StaticSource>,
) {
    for file in all_files(dir) {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            templates.insert(name.to_string(), (format!("(built-in default theme)/templates/{name}"), text));
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), StaticSource::Embedded(file.contents()));
        }
    }
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

fn add_disk_templates(
    project: &Project,
    dir: &Path,
    templates: &mut BTreeMap<String, (String, String)>,
    diags: &mut Diagnostics,
) {
    if !project.is_inside(dir) {
        return;
    }
    for (name, path) in files_under(project, dir, diags) {
        if name.ends_with(".md") || name.contains("README") {
            continue;
        }
        let rel = project.relative(&path);
        match std::fs::read(&path) {
            Ok(bytes) => match crate::text::decode_text(&bytes) {
                Ok(text) => {
                    templates.insert(name, (rel, text));
                }
                Err(invalid) => diags.push(invalid.diagnostic(rel)),
            },
            Err(e) => diags.push(Diagnostic::error(rel, 0, 0, msg!("cannot read template: {e}"))),
        }
    }
}

fn add_disk_static(
    project: &Project,
    dir: &Path,
    statics: &mut BTreeMap<String, StaticSource>,
    diags: &mut Diagnostics,
) {
    if !project.is_inside(dir) {
        return;
    }
    for (name, path) in files_under(project, dir, diags) {
        statics.insert(name, StaticSource::Disk(path));
    }
}

/// Regular files under `dir` (not following symlinks out of it), keyed by `/`-separated
/// relative path, sorted; hidden files are skipped. A name that is not valid UTF-8 cannot
/// be part of a web address (and two such names could read alike), so it is an error
/// naming its folder, and the file is left out.
fn files_under(project: &Project, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() > 0 && entry.file_name().to_str().is_none() {
            diags.push(crate::load::name_not_utf8(project, &entry));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        files.push((name, entry.into_path()));
    }
    files
}

/// Registers communique's template filters and functions.
/// The CLDR rules of each language, by code.
pub type Locales = BTreeMap<String, Locale>;

/// The theme string key of a figure's qualifier: `figure.qualifier.up_to`.
fn qualifier_key(qualifier: Qualifier) -> String {
    format!("figure.qualifier.{}", qualifier.as_str().replace(' ', "_"))
}

/// A figure in the words of `strings` and the rules of `locale` (see [`Theme::figure_text`]).
fn figure_text(
    locale: &Locale,
    strings: &Strings,
    value: f64,
    unit: Option<&str>,
    qualifier: Option<Qualifier>,
) -> String {
    let amount = locale.amount(value, unit);
    let Some(qualifier) = qualifier else { return amount };
    let args = Arguments { count: None, named: vec![("amount", amount.clone())] };
    strings.format(&qualifier_key(qualifier), &args).unwrap_or_else(|_| format!("{} {amount}", qualifier.as_str()))
}

/// Every language pages are written in: the site's `language`, then `languages:`.
fn site_languages(project: &Project) -> Vec<String> {
    let config = &project.config;
    std::iter::once(config.language.clone()).chain(config.languages.keys().cloned()).collect()
}

/// The context variable that holds the folder of the page's language (`ru/`; empty for
/// the default language), under which `url_for` finds pages.
pub const LANGUAGE_FOLDER: &str = "language_folder";

/// The context variable that names the language of the page being rendered, by which
/// `t`, `date` and `date_range` choose their words and rules.
pub const PAGE_LANGUAGE: &str = "lang";

/// What in `map` belongs to the language of the page being rendered (`lang`, which every
/// page has; a template rendered outside a page, as in tests, gets the only language of
/// a site in one language).
fn of_page<'m, T>(map: &'m BTreeMap<String, T>, state: &State) -> tera::TeraResult<&'m T> {
    let code = state.get::<Value>(PAGE_LANGUAGE)?;
    let found = match code.as_ref().and_then(Value::as_str) {
        Some(code) => map.get(code),
        None if map.len() == 1 => map.values().next(),
        None => None,
    };
    found.ok_or_else(|| tera::Error::message(msg!("no words or rules for the page's language ({code:?})")))
}

fn register_helpers(
    tera: &mut Tera,
    offline: bool,
    locales: Arc<Locales>,
    strings: Arc<BTreeMap<String, Strings>>,
    shared: Arc<HashSet<String>>,
) {
    tera.global_context().insert("offline", &offline);
    tera.register_function("url_for", move |kwargs: Kwargs, state: &State| url_for(kwargs, state, &shared));
    let (figure_locales, number_locales) = (Arc::clone(&locales), Arc::clone(&locales));
    tera.register_filter("format_figure", move |figure: &Value, _: Kwargs, state: &State| {
        format_figure_filter(of_page(&figure_locales, state)?, of_page(&strings, state)?, figure)
    });
    tera.register_filter("format_number", move |v: f64, _: Kwargs, state: &State| {
        Ok::<_, tera::Error>(of_page(&number_locales, state)?.amount(v, None))
    });
    let range_locales = Arc::clone(&locales);
    tera.register_filter("date", move |value: &str, kwargs: Kwargs, state: &State| {
        date_filter(of_page(&locales, state)?, value, kwargs)
    });
    tera.register_filter("date_range", move |value: &str, kwargs: Kwargs, state: &State| {
        date_range_filter(of_page(&range_locales, state)?, value, kwargs)
    });
}

/// The CLDR rules of `language`, for dates. Plain `en` keeps the day-month-year of
/// British English (`2 April 2019`, as communique always wrote it); `en-US` writes
/// `April 2, 2019`. A language CLDR does not know is a warning, and English is used.
fn language_locale(language: &str, diags: &mut Diagnostics) -> Locale {
    let tag = if language == "en" { "en-GB" } else { language };
    Locale::new(tag).unwrap_or_else(|unknown| {
        let message = msg!("{unknown}: dates are written in English");
        diags.push(Diagnostic::warning(sources::CONFIG, 0, 0, message));
        Locale::new("en-GB").expect("CLDR has British English")
    })
}

/// Registers `t(key="nav.people")`, which looks words up in the page's language, and
/// `plural_forms(key="search.status.results")`, every form of a key for a script to
/// choose from (a list of `{category, text}`, the text unfilled).
fn register_strings(tera: &mut Tera, strings: Arc<BTreeMap<String, Strings>>) {
    let forms_strings = Arc::clone(&strings);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| translate(of_page(&strings, state)?, &kwargs));
    tera.register_function("plural_forms", move |kwargs: Kwargs, state: &State| {
        let forms = of_page(&forms_strings, state)?.forms(kwargs.must_get("key")?).map_err(tera::Error::message)?;
        let forms = forms
            .into_iter()
            .map(|(category, text)| BTreeMap::from([("category", category.to_string()), ("text", text)]));
        Ok(Value::from(forms.collect::<Vec<_>>()))
    });
}

/// `t(key="count.reports", count=3, name=...)`: the text of `key`, its plural form chosen
/// by `count`, its `{name}` placeholders filled from the other arguments. A key ending in
/// `_html` is markup written by the theme: it is not escaped, its arguments are.
fn translate(strings: &Strings, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let is_html = key.ends_with("_html");
    let mut args = Arguments::default();
    for (name, value) in kwargs.iter() {
        match name.as_str() {
            Some("key") | None => {}
            Some("count") => {
                let count = value.as_number().and_then(|n| n.as_integer()).and_then(|n| i64::try_from(n).ok());
                args.count = Some(
                    count
                        .ok_or_else(|| tera::Error::message(msg!("t: `count` must be a whole number, not {value}")))?,
                );
            }
            Some(name) => args.named.push((name, argument_text(value, is_html))),
        }
    }
    let text = strings.format(key, &args).map_err(tera::Error::message)?;
    Ok(if is_html { Value::safe_string(&text) } else { Value::from(text) })
}

/// An argument as text, HTML-escaped for a markup message unless it is safe already.
fn argument_text(value: &Value, is_html: bool) -> String {
    let text = value.to_string();
    if !is_html || value.is_safe() {
        return text;
    }
    let mut escaped = Vec::with_capacity(text.len());
    tera::escape_html(&text, &mut escaped).expect("writing to a Vec");
    String::from_utf8(escaped).expect("escaping keeps UTF-8")
}

/// `url_for(path="people/")`: the link from the current page to a site path: to the
/// page in the current page's language (`ru/people/` from a Russian page), or to a static
/// file, which every language shares (`assets/style.css`, in `shared`).
fn url_for(kwargs: Kwargs, state: &State, shared: &HashSet<String>) -> tera::TeraResult<String> {
    let path = kwargs.must_get::<&str>("path")?.trim_start_matches('/');
    let folder = state.get::<Value>(LANGUAGE_FOLDER)?;
    let path = match folder.as_ref().and_then(Value::as_str).filter(|f| !f.is_empty() && !shared.contains(path)) {
        Some(folder) => format!("{folder}{path}"),
        None => path.to_string(),
    };
    // The 404 page is shown at any missing address, so relative links cannot work there:
    // it gets absolute ones when the site has a base_url.
    if let Some(base) = state.get::<String>("absolute_base")?.filter(|b| !b.is_empty()) {
        return Ok(format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/')));
    }
    let current: String = state.get::<String>("current_path")?.unwrap_or_default();
    let offline = state.get::<bool>("offline")?.unwrap_or(false);
    Ok(relative_url(&current, path.trim_start_matches('/'), offline))
}

/// `{{ figure | format_figure }}` for any map with `value`, `unit` and `qualifier`, in
/// the page's language.
fn format_figure_filter(locale: &Locale, strings: &Strings, figure: &Value) -> tera::TeraResult<String> {
    let map = figure
        .as_map()
        .ok_or_else(|| tera::Error::message(msg!("format_figure expects a figure (a map with `value`)")))?;
    let get = |key: &'static str| map.get(&tera::value::Key::Str(key));
    let value = get("value")
        .and_then(Value::as_number)
        .map(|n| n.as_float())
        .ok_or_else(|| tera::Error::message(msg!("format_figure: the figure has no numeric `value`")))?;
    let unit = get("unit").and_then(Value::as_str);
    let qualifier = match get("qualifier").and_then(Value::as_str) {
        None | Some("") => None,
        Some(word) => Some(Qualifier::parse(word).ok_or_else(|| {
            tera::Error::message(msg!(
                "format_figure: unknown qualifier \"{word}\" (use over, under, about, exceeding or up to)"
            ))
        })?),
    };
    Ok(figure_text(locale, strings, value, unit, qualifier))
}

/// `{{ report.date | date }}` for `YYYY-MM-DD` strings: the long date of the page's
/// language (`2 April 2019`, `2 апреля 2019 г.`, `2019年4月2日`); with `style="month"`, its
/// month and year (`April 2019`, `апрель 2019 г.`, `2019年4月`); with `format="%B %Y"`,
/// chrono's format with English names.
fn date_filter(locale: &Locale, value: &str, kwargs: Kwargs) -> tera::TeraResult<String> {
    let date = crate::date::parse_iso_date(value)
        .map_err(|_| tera::Error::message(msg!("date filter: \"{value}\" is not a YYYY-MM-DD date")))?;
    match kwargs.get::<&str>("style")? {
        None | Some("long") => {}
        Some("month") => return Ok(locale.month(date)),
        Some(other) => {
            return Err(tera::Error::message(msg!("date filter: unknown style \"{other}\" (use long or month)")));
        }
    }
    let Some(format) = kwargs.get::<&str>("format")? else { return Ok(locale.date(date)) };
    let items: Vec<chrono::format::Item> = chrono::format::StrftimeItems::new(format).collect();
    if items.iter().any(|i| matches!(i, chrono::format::Item::Error)) {
        return Err(tera::Error::message(msg!("date filter: invalid format \"{format}\"")));
    }
    Ok(date.format_with_items(items.into_iter()).to_string())
}

/// `{{ report.date | date_range(end=report.end_date) }}`: the two dates as one range in
/// the site's language, what they share written once (`23–26 July 2020`,
/// `23–26 июля 2020 г.`); the start date alone when `end` is empty or the same day.
fn date_range_filter(locale: &Locale, value: &str, kwargs: Kwargs) -> tera::TeraResult<String> {
    let parse = |text: &str| {
        crate::date::parse_iso_date(text)
            .map_err(|_| tera::Error::message(msg!("date_range filter: \"{text}\" is not a YYYY-MM-DD date")))
    };
    let from = parse(value)?;
    // `end` may be null: a report without an end date.
    let end = kwargs.get::<Value>("end")?;
    match end.as_ref().and_then(|v| v.as_str()).filter(|end| !end.is_empty()) {
        Some(end) if parse(end)? != from => Ok(locale.date_range(from, parse(end)?)),
        _ => Ok(locale.date(from)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The helpers of a theme in English without strings of its own, with one static file.
    fn helpers(tera: &mut Tera, offline: bool) {
        let locales = BTreeMap::from([("en".to_string(), Locale::new("en-GB").unwrap())]);
        let strings = Catalogues::default().strings("en", &mut Diagnostics::new());
        let strings = Arc::new(BTreeMap::from([("en".to_string(), strings)]));
        let shared = Arc::new(HashSet::from(["assets/style.css".into()]));
        register_helpers(tera, offline, Arc::new(locales), strings, shared);
    }

    fn render(template: &str, current_path: &str, offline: bool) -> Result<String, tera::Error> {
        let mut tera = Tera::default();
        helpers(&mut tera, offline);
        let mut ctx = tera::Context::new();
        ctx.insert("current_path", current_path);
        ctx.insert("nothing", &serde_json::Value::Null);
        ctx.insert("figure", &serde_json::json!({"value": 360e9, "unit": "CNY", "qualifier": null}));
        ctx.insert("hedged", &serde_json::json!({"value": 20000, "unit": "USD", "qualifier": "exceeding"}));
        tera.render_str(template, &ctx, true)
    }

    #[test]
    fn url_for_is_relative_to_the_current_page() {
        assert_eq!(render("{{ url_for(path='people/') }}", "reports/a/", false).unwrap(), "../../people/");
        assert_eq!(render("{{ url_for(path='/assets/style.css') }}", "", false).unwrap(), "assets/style.css");
        assert_eq!(render("{{ url_for(path='') }}", "people/", true).unwrap(), "../index.html");
    }

    #[test]
    fn url_for_leads_to_pages_in_the_page_language_and_to_shared_static_files() {
        let mut tera = Tera::default();
        helpers(&mut tera, false);
        let mut ctx = tera::Context::new();
        ctx.insert("current_path", "ru/reports/a/");
        ctx.insert(LANGUAGE_FOLDER, "ru/");
        let url = |path: &str| tera.render_str(&format!("{{{{ url_for(path='{path}') }}}}"), &ctx, true).unwrap();
        assert_eq!(url("people/"), "../../../ru/people/");
        assert_eq!(url(""), "../../../ru/");
        assert_eq!(url("assets/style.css"), "../../../assets/style.css");
        assert_eq!(url("/assets/style.css"), "../../../assets/style.css");
    }

    #[test]
    fn figure_and_number_filters() {
        assert_eq!(render("{{ figure | format_figure }}", "", false).unwrap(), "¥360 billion");
        assert_eq!(render("{{ hedged | format_figure }}", "", false).unwrap(), "exceeding $20,000");
        assert_eq!(render("{{ 1014 | format_number }}", "", false).unwrap(), "1,014");
        assert!(render("{{ 'x' | format_figure }}", "", false).is_err());
    }

    #[test]
    fn date_range_filter_writes_shared_parts_once() {
        let range = |template: &str| render(template, "", false).unwrap();
        assert_eq!(range("{{ '2020-07-23' | date_range(end='2020-07-26') }}"), "23–26 July 2020");
        assert_eq!(range("{{ '2020-07-23' | date_range(end='') }}"), "23 July 2020");
        assert_eq!(range("{{ '2020-07-23' | date_range(end='2020-07-23') }}"), "23 July 2020");
        assert_eq!(range("{{ '2020-07-23' | date_range }}"), "23 July 2020");
        assert_eq!(range("{{ '2020-07-23' | date_range(end=nothing) }}"), "23 July 2020");
        assert!(render("{{ '2020-07-23' | date_range(end='soon') }}", "", false).is_err());
        // The dates front matter refuses, refused here too.
        assert!(render("{{ '2020-7-23' | date_range(end='2020-07-26') }}", "", false).is_err());
        assert!(render("{{ '2020-07-23' | date_range(end='+2020-07-26') }}", "", false).is_err());
    }

    #[test]
    fn date_filter_formats_iso_dates_and_rejects_bad_input() {
        assert_eq!(render("{{ '2019-04-02' | date }}", "", false).unwrap(), "2 April 2019");
        assert_eq!(render("{{ '2019-04-02' | date(format='%B %Y') }}", "", false).unwrap(), "April 2019");
        assert_eq!(render("{{ '2019-04-02' | date(style='month') }}", "", false).unwrap(), "April 2019");
        assert!(render("{{ '2019-04-02' | date(style='weekday') }}", "", false).is_err());
        assert!(render("{{ 'April' | date }}", "", false).is_err());
        // The dates front matter refuses, refused here too: not the year 21, not padded.
        for lenient in ["21-1-1", "2021-1-5", "+2021-01-06", "2021-01-05T10:00:00", "2021-02-30"] {
            let error = render(&format!("{{{{ '{lenient}' | date }}}}"), "", false).unwrap_err();
            let text = error.to_string();
            assert!(text.contains(&format!("date filter: \"{lenient}\" is not a YYYY-MM-DD date")), "{text}");
        }
        assert!(render("{{ '2019-04-02' | date(format='%Q') }}", "", false).is_err());
    }

    #[test]
    fn embedded_theme_has_every_required_template() {
        let names: Vec<String> =
            all_files(&DEFAULT_THEME).iter().map(|f| f.path().to_string_lossy().into_owned()).collect();
        for required in REQUIRED_TEMPLATES {
            assert!(names.contains(&format!("templates/{required}")), "missing {required}");
        }
        assert!(names.contains(&"static/assets/style.css".to_string()));
    }
}
