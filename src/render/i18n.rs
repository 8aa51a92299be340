//! The theme's words in each language: the `i18n/<code>.yaml` files of the theme (built in
//! for the default theme) and of the site, merged into one [`Strings`] per language, and
//! the lookups behind the templates' `t` function (plural forms chosen by the CLDR rules
//! of the language through ICU4X's `icu_plurals`, `{name}` placeholders filled in) and
//! `plural_forms` (every form, unfilled, for a script to choose from). A key missing in
//! a language is a warning and shows the default language's text (SPEC §6).

use std::collections::BTreeMap;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

use crate::diag::{self, Diagnostic, Diagnostics, msg};

/// The language whose text is shown where another language lacks a key.
pub const DEFAULT_LANGUAGE: &str = "en";

use crate::locale::category_name;
pub use crate::project::sources::I18N;

/// The CLDR plural categories a plural message may give (`other` is required).
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One message of a string file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Message {
    Text(String),
    /// Forms by CLDR plural category, chosen by the `count` the template gives.
    Plural(BTreeMap<String, String>),
}

/// One `i18n/<code>.yaml` file: where it came from (for messages) and its messages.
struct Catalogue {
    origin: String,
    messages: BTreeMap<String, Message>,
}

/// Every string file found, by language code, lowest layer first (theme, then site).
#[derive(Default)]
pub struct Catalogues {
    by_language: BTreeMap<String, Vec<Catalogue>>,
}

impl Catalogues {
    /// Adds the file `origin` of language `code`; a file that is not a map of keys to texts
    /// or to plural forms is an error at its line, and is left out.
    pub fn add(&mut self, code: &str, origin: String, text: &str, diags: &mut Diagnostics) {
        let messages: BTreeMap<String, Message> = match crate::text::parse_yaml(&origin, text, 0, &[]) {
            Ok(Some(messages)) => messages,
            Ok(None) => BTreeMap::new(), // an empty file
            Err(diagnostic) => return diags.push(diagnostic.with_hint(FORMAT_HINT)),
        };
        let mut valid = true;
        for (key, message) in &messages {
            if let Message::Plural(forms) = message
                && let Some(problem) = plural_problem(forms)
            {
                diags.push(Diagnostic::error(&origin, key_line(text, key), 1, problem.about(&format!("\"{key}\""))));
                valid = false;
            }
        }
        if valid {
            self.by_language.entry(code.to_string()).or_default().push(Catalogue { origin, messages });
        }
    }

    /// The strings of `language`, warning about each key the default language has and it
    /// lacks, or once when there is no file for it at all.
    pub fn strings(&self, language: &str, diags: &mut Diagnostics) -> Strings {
        let default = self.layered(DEFAULT_LANGUAGE);
        let Some(files) = self.by_language.get(language).filter(|_| language != DEFAULT_LANGUAGE) else {
            if language != DEFAULT_LANGUAGE && !default.messages.is_empty() {
                diags.push(no_strings_for(language));
            }
            return Strings { language: language.to_string(), digits: digits(language), own: default, fallback: None };
        };
        let own = self.layered(language);
        let topmost = &files.last().expect("a language has a file").origin;
        for key in default.messages.keys().filter(|key| !own.messages.contains_key(*key)) {
            diags.push(missing_key(topmost, language, key));
        }
        Strings { language: language.to_string(), digits: digits(language), own, fallback: Some(default) }
    }

    /// The messages of `language`, each key from the highest layer that gives it.
    fn layered(&self, language: &str) -> Layered {
        let mut messages = BTreeMap::new();
        for catalogue in self.by_language.get(language).into_iter().flatten() {
            messages.extend(catalogue.messages.iter().map(|(k, m)| (k.clone(), (m.clone(), catalogue.origin.clone()))));
        }
        Layered { language: language.to_string(), rules: plural_rules(language), messages }
    }
}

const FORMAT_HINT: &str =
    "write one `key: text` per line, or `key: { one: ..., other: ... }` for a text that depends on a count";

fn no_strings_for(language: &str) -> Diagnostic {
    Diagnostic::warning(
        "site.yaml",
        0,
        0,
        msg!(
            "the theme has no strings for language \"{language}\" (no {I18N}/{language}.yaml): its text is shown in {DEFAULT_LANGUAGE}"
        ),
    )
    .with_hint(format!("translate the theme's {I18N}/{DEFAULT_LANGUAGE}.yaml into {I18N}/{language}.yaml at the site root"))
}

fn missing_key(origin: &str, language: &str, key: &str) -> Diagnostic {
    Diagnostic::warning(
        origin,
        0,
        0,
        msg!("no text for \"{key}\" in language \"{language}\": the {DEFAULT_LANGUAGE} text is shown"),
    )
    .with_hint(format!("add `{key}:` to {I18N}/{language}.yaml at the site root"))
}

/// What is wrong with a plural message, if anything.
fn plural_problem(forms: &BTreeMap<String, String>) -> Option<diag::Message> {
    if let Some(unknown) = forms.keys().find(|c| !CATEGORIES.contains(&c.as_str())) {
        return Some(msg!("unknown plural form \"{unknown}\" (use {})", CATEGORIES.join(", ")));
    }
    (!forms.contains_key("other")).then(|| msg!("a text with plural forms needs an `other` form"))
}

/// The line of top-level `key:` in a string file, or 0 when not found.
fn key_line(text: &str, key: &str) -> usize {
    let quoted = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")];
    text.lines().position(|line| quoted.iter().any(|q| line.starts_with(q.as_str()))).map_or(0, |i| i + 1)
}

/// The CLDR cardinal plural rules of `language`; `None` when the code is not a locale,
/// then every count takes the `other` form.
fn plural_rules(language: &str) -> Option<PluralRules> {
    let locale = icu_locale_core::Locale::try_from_str(language).ok()?;
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

/// How `language` writes whole numbers (its digits and grouping: `1,579`, `1 579`,
/// `۱٬۵۷۹`); `None` when the code is not a locale, then counts are written as Rust does.
fn digits(language: &str) -> Option<DecimalFormatter> {
    let locale = icu_locale_core::Locale::try_from_str(language).ok()?;
    DecimalFormatter::try_new((&locale).into(), Default::default()).ok()
}

/// One language's messages (key -> message and the file it came from) and plural rules.
struct Layered {
    language: String,
    rules: Option<PluralRules>,
    messages: BTreeMap<String, (Message, String)>,
}

/// The strings a page in one language shows: its own, then the default language's.
pub struct Strings {
    language: String,
    /// Writes `{count}` in the language's digits.
    digits: Option<DecimalFormatter>,
    own: Layered,
    fallback: Option<Layered>,
}

/// What a template gives `t` besides the key.
#[derive(Default)]
pub struct Arguments<'a> {
    /// Chooses the plural form and fills `{count}`, in the language's digits and grouping.
    pub count: Option<i64>,
    /// Fill the `{name}` placeholders.
    pub named: Vec<(&'a str, String)>,
}

impl Strings {
    /// The language these strings are for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The plain text of `key` in this language itself, not the default language's (a
    /// language without string files has the default language's as its own layer: none).
    pub fn own_text(&self, key: &str) -> Option<&str> {
        match self.own.messages.get(key) {
            Some((Message::Text(text), _)) if self.own.language == self.language => Some(text),
            _ => None,
        }
    }

    /// The text of `key` with its placeholders filled; an error names what is missing.
    pub fn format(&self, key: &str, args: &Arguments) -> Result<String, diag::Message> {
        let (layer, (message, origin)) = [Some(&self.own), self.fallback.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|layer| layer.messages.get(key).map(|found| (layer, found)))
            .ok_or_else(|| self.unknown_key(key))?;
        let text = match message {
            Message::Text(text) => text,
            Message::Plural(forms) => {
                let count = args
                    .count
                    .ok_or_else(|| msg!("\"{key}\" has plural forms ({origin}): give `count=` to choose one"))?;
                let category = layer.rules.as_ref().map_or(PluralCategory::Other, |r| r.category_for(count));
                forms.get(category_name(category)).or_else(|| forms.get("other")).expect("checked on load")
            }
        };
        let count = args.count.map(|n| match &self.digits {
            Some(digits) => digits.format(&Decimal::from(n)).to_string(),
            None => n.to_string(),
        });
        fill(text, count.as_deref(), &args.named).map_err(|name| {
            msg!(
                "the text of \"{key}\" in {origin} ({}) has {{{name}}}, which the template does not give",
                layer.language
            )
        })
    }

    /// Every form of `key` as (CLDR plural category, text), in CLDR order, its
    /// placeholders left as written, for a script that chooses the form itself
    /// (`Intl.PluralRules`) and fills the numbers in. A text without plural forms is the
    /// one form `other`. Like [`Strings::format`], the language's own text, else the
    /// default language's.
    pub fn forms(&self, key: &str) -> Result<Vec<(&'static str, String)>, diag::Message> {
        let (message, _) = [Some(&self.own), self.fallback.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|layer| layer.messages.get(key))
            .ok_or_else(|| self.unknown_key(key))?;
        Ok(match message {
            Message::Text(text) => vec![("other", text.clone())],
            Message::Plural(forms) => CATEGORIES.iter().filter_map(|c| Some((*c, forms.get(*c)?.clone()))).collect(),
        })
    }

    fn unknown_key(&self, key: &str) -> diag::Message {
        let mut files: Vec<&str> = [Some(&self.own), self.fallback.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|layer| layer.messages.values().map(|(_, origin)| origin.as_str()))
            .collect();
        files.sort_unstable();
        files.dedup();
        match files.is_empty() {
            true => msg!("no text for \"{key}\": the theme has no {I18N}/{}.yaml", self.language),
            false => msg!("no text for \"{key}\" in {}", files.join(", ")),
        }
    }
}

/// `text` with each `{name}` replaced by its argument (`{count}` by the count); the name
/// of a placeholder no argument fills is the error. Braces around anything other than a
/// name are kept as written.
fn fill(text: &str, count: Option<&str>, named: &[(&str, String)]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        if name_len == 0 || !after[name_len..].starts_with('}') {
            out.push('{');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        match (name, count) {
            ("count", Some(count)) => out.push_str(count),
            _ => out.push_str(&named.iter().find(|(n, _)| *n == name).ok_or_else(|| name.to_string())?.1),
        }
        rest = &after[name_len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogues(files: &[(&str, &str)]) -> (Catalogues, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut all = Catalogues::default();
        for (code, text) in files {
            all.add(code, format!("i18n/{code}.yaml"), text, &mut diags);
        }
        (all, diags)
    }

    const EN: &str = "nav.people: People\ncount.reports: { one: \"{count} report\", other: \"{count} reports\" }\n";
    const RU: &str = "nav.people: Люди\ncount.reports:\n  one: \"{count} доклад\"\n  few: \"{count} доклада\"\n  many: \"{count} докладов\"\n  other: \"{count} доклада\"\n";

    fn count(n: i64) -> Arguments<'static> {
        Arguments { count: Some(n), named: Vec::new() }
    }

    #[test]
    fn russian_counts_take_the_cldr_plural_forms() {
        let (all, _) = catalogues(&[("en", EN), ("ru", RU)]);
        let ru = all.strings("ru", &mut Diagnostics::new());
        let forms: Vec<String> = [1, 3, 5, 21, 22, 11].map(|n| ru.format("count.reports", &count(n)).unwrap()).into();
        assert_eq!(forms, ["1 доклад", "3 доклада", "5 докладов", "21 доклад", "22 доклада", "11 докладов"]);
        let en = all.strings("en", &mut Diagnostics::new());
        assert_eq!(en.format("count.reports", &count(1)).unwrap(), "1 report");
        assert_eq!(en.format("count.reports", &count(0)).unwrap(), "0 reports");
    }

    #[test]
    fn counts_are_written_with_the_languages_grouping() {
        let (all, _) = catalogues(&[("en", EN), ("ru", RU)]);
        let ru = all.strings("ru", &mut Diagnostics::new());
        assert_eq!(ru.format("count.reports", &count(1579)).unwrap(), "1\u{a0}579 докладов");
        let en = all.strings("en", &mut Diagnostics::new());
        assert_eq!(en.format("count.reports", &count(1579)).unwrap(), "1,579 reports");
        let fa = all.strings("fa", &mut Diagnostics::new());
        assert_eq!(fa.format("count.reports", &count(1579)).unwrap(), "۱٬۵۷۹ reports", "English words, Persian digits");
    }

    #[test]
    fn a_missing_key_warns_and_shows_the_default_language() {
        let (all, _) = catalogues(&[("en", EN), ("ru", "nav.people: Люди\n")]);
        let mut diags = Diagnostics::new();
        let ru = all.strings("ru", &mut diags);
        assert_eq!(diags.warning_count(), 1);
        assert!(diags.iter().next().unwrap().message.contains("count.reports"));
        assert_eq!(ru.format("count.reports", &count(2)).unwrap(), "2 reports");
        assert!(ru.format("nav.nothing", &Arguments::default()).unwrap_err().as_str().contains("nav.nothing"));
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_refused() {
        let (all, _) = catalogues(&[("en", "a: \"Page {number} of {total}\"\nb: \"{x}\"\nc: \"{ not a name }\"\n")]);
        let en = all.strings("en", &mut Diagnostics::new());
        let named = Arguments { count: None, named: vec![("number", "2".into()), ("total", "5".into())] };
        assert_eq!(en.format("a", &named).unwrap(), "Page 2 of 5");
        assert!(en.format("b", &named).unwrap_err().as_str().contains("{x}"));
        assert_eq!(en.format("c", &named).unwrap(), "{ not a name }");
    }

    #[test]
    fn forms_hands_every_plural_form_unfilled_in_the_language_or_the_default() {
        let (all, _) = catalogues(&[("en", EN), ("ru", RU), ("zh", "nav.people: 人物\n")]);
        let strings = |code: &str| all.strings(code, &mut Diagnostics::new());
        let forms = |items: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            items.iter().map(|(c, t)| (*c, t.to_string())).collect()
        };
        assert_eq!(
            strings("ru").forms("count.reports").unwrap(),
            forms(&[
                ("one", "{count} доклад"),
                ("few", "{count} доклада"),
                ("many", "{count} докладов"),
                ("other", "{count} доклада")
            ])
        );
        let english = forms(&[("one", "{count} report"), ("other", "{count} reports")]);
        assert_eq!(strings("en").forms("count.reports").unwrap(), english);
        assert_eq!(strings("zh").forms("count.reports").unwrap(), english, "a missing key hands the default's forms");
        assert_eq!(strings("zh").forms("nav.people").unwrap(), forms(&[("other", "人物")]));
        assert!(strings("zh").forms("nav.nothing").unwrap_err().as_str().contains("nav.nothing"));
    }

    #[test]
    fn bad_files_are_errors_at_their_line() {
        let (_, diags) = catalogues(&[("en", "a: ok\nb: { one: x }\n"), ("ru", "a: [1, 2]\n")]);
        let found: Vec<(String, usize)> = diags.iter().map(|d| (d.path.clone(), d.line)).collect();
        assert_eq!(found, [("i18n/en.yaml".to_string(), 2), ("i18n/ru.yaml".to_string(), 1)]);
    }

    #[test]
    fn a_language_without_files_warns_once_and_speaks_the_default() {
        let (all, _) = catalogues(&[("en", EN)]);
        let mut diags = Diagnostics::new();
        let xx = all.strings("fa", &mut diags);
        assert_eq!(diags.warning_count(), 1);
        assert_eq!(xx.format("nav.people", &Arguments::default()).unwrap(), "People");
    }
}
