//! JSON Schema (draft-07) of what authors write: report and translation front matter,
//! plain pages' front matter, `site.yaml`, `data/people.yaml` and `data/cities.yaml`, for
//! editors (yaml-language-server) to complete keys and flag mistakes while typing.
//! `communique schema` prints or writes them; docs/editors.md says how editors find them.
//!
//! The loader (src/load/raw.rs, src/config.rs) stays the truth: a schema may be looser
//! than it (a check that needs the whole site, such as a translation agreeing with its
//! original, is left to `communique check`) but never stricter, so an editor never flags
//! what the build accepts. Objects the loader closes (`deny_unknown_fields`) have
//! `additionalProperties: false`; the tests compare every object's `properties` with the
//! keys the loader accepts.
//!
//! Draft-07, not 2020-12: yaml-language-server (VS Code's YAML extension, Zed, Neovim's
//! yamlls) validates documents as draft-07 (its issue #856), and every keyword used here
//! means the same in both.

use serde_json::{Value, json};

/// One schema `communique schema` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A report's front matter (`content/reports/**.md`).
    Report,
    /// A report translation's front matter (`content/reports/a.ru.md`).
    Translation,
    /// A plain page's front matter (any other `content/**.md`), translations too.
    Page,
    /// `site.yaml`.
    Site,
    /// `data/people.yaml`.
    People,
    /// `data/cities.yaml`.
    Cities,
}

impl Kind {
    /// Every kind, in the order `schema --out` writes them.
    pub const ALL: [Kind; 6] = [Kind::Report, Kind::Translation, Kind::Page, Kind::Site, Kind::People, Kind::Cities];

    /// The name on the command line: `report`, `site`, ...
    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Translation => "translation",
            Kind::Page => "page",
            Kind::Site => "site",
            Kind::People => "people",
            Kind::Cities => "cities",
        }
    }

    /// The kind named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The file `schema --out` writes it to: `report.schema.json`.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}

/// The JSON Schema of `kind`.
pub fn schema(kind: Kind) -> Value {
    let (title, body) = match kind {
        Kind::Report => ("communique report front matter", report(true)),
        Kind::Translation => ("communique report translation front matter", report(false)),
        Kind::Page => ("communique page front matter", page()),
        Kind::Site => ("communique site.yaml", site()),
        Kind::People => ("communique data/people.yaml", registry(person(), "A person named in reports.")),
        Kind::Cities => ("communique data/cities.yaml", registry(city(), "A city reports are set in.")),
    };
    let mut schema = json!({ "$schema": "http://json-schema.org/draft-07/schema#", "title": title });
    if let (Some(into), Value::Object(body)) = (schema.as_object_mut(), body) {
        into.extend(body);
    }
    schema
}

/// A string property; left empty (`key:`), the loader reads `""` or nothing.
fn text(description: &str) -> Value {
    json!({ "type": ["string", "null"], "description": description })
}

/// A boolean property.
fn flag(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

/// A list of strings; left empty, the loader reads an empty list.
fn texts(description: &str) -> Value {
    json!({ "type": ["array", "null"], "items": { "type": "string" }, "description": description })
}

/// `schema` that also takes a key left empty (`key:`, YAML's null), as the loader does for
/// optional values, lists and maps (not for booleans and numbers it needs).
fn or_null(mut schema: Value) -> Value {
    if let Some(Value::String(one)) = schema.get("type") {
        schema["type"] = json!([one, "null"]);
    } else if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.push(Value::Null);
    } else if let Some(Value::Array(options)) = schema.get_mut("anyOf") {
        options.push(json!({ "type": "null" }));
    }
    schema
}

/// A date written `YYYY-MM-DD`.
fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": description })
}

/// A value no one checks (`extra`).
fn free(description: &str) -> Value {
    json!({ "description": description })
}

/// A language tag as `config::is_language_tag` takes it: `ru`, `zh-Hant`, `pt-BR`.
const LANGUAGE_TAG: &str = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";

/// A closed object of `properties`, of which `required` must be given.
fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    let mut object = json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        object["required"] = json!(required);
    }
    object
}

/// A value written as a name alone (`name`, a string schema) or as an object whose
/// `name`-like key is required.
fn name_or_object(description: &str, name: Value, object: Value) -> Value {
    json!({ "description": description, "anyOf": [name, object] })
}

/// A title or a name: text with something in it, which the loader insists on.
fn words(description: &str) -> Value {
    json!({ "type": "string", "pattern": "\\S", "description": description })
}

/// A report's front matter; a translation's (`original` false) requires only `title`.
fn report(original: bool) -> Value {
    let mut properties = report_words();
    if let (Some(into), Value::Object(facts)) = (properties.as_object_mut(), report_facts()) {
        into.extend(facts);
    }
    if original {
        object("The front matter of a report (content/reports/**.md).", properties, &["title", "date"])
    } else {
        properties["date"] = or_null(properties["date"].take());
        let description = "The front matter of a report's translation (a.ru.md beside a.md): its own title, \
                           summary, slug and draft; the facts it repeats (to translate a role, a label, an \
                           alt text) must agree with the original's, which `communique check` checks.";
        object(description, properties, &["title"])
    }
}

/// The keys of a report that are words of its own.
fn report_words() -> Value {
    json!({
        "title": words("The report's title, plain text."),
        "summary": text("One or two sentences for lists and page metadata [default: the body's first paragraph]."),
        "slug": {
            "type": ["string", "null"],
            "description": "The report's URL, /reports/<slug>/: lowercase ASCII letters, digits and hyphens \
                            [default: the file name without .md and a leading YYYY-MM-DD-].",
        },
        "draft": flag("Leave the report out unless the build is run with --drafts."),
        "extra": free("Free-form values passed to templates untouched; not checked."),
    })
}

/// The keys of a report that are facts (a translation may repeat them in its words).
fn report_facts() -> Value {
    json!({
        "date": date("The day of the event, YYYY-MM-DD (unquoted). Reports are listed newest first."),
        "end_date": or_null(date("The last day, for events over several days, YYYY-MM-DD.")),
        "organisation": text("The body whose activity the report records."),
        "cities": {
            "type": ["array", "null"],
            "maxItems": 100,
            "description": "The cities the report is set in (at most 100).",
            "items": report_city(),
        },
        "officials": {
            "type": ["array", "null"],
            "maxItems": 200,
            "description": "The people the report names (at most 200).",
            "items": official(),
        },
        "figures": { "type": ["array", "null"], "description": "Figures quoted in the report.", "items": figure() },
        "topics": {
            "type": ["array", "null"],
            "maxItems": 100,
            "items": { "type": "string" },
            "description": "Free topics (at most 100); each gets a page at /topics/<slug>/.",
        },
        "image": or_null(image("The featured image.")),
        "gallery": { "type": ["array", "null"], "description": "More photos of the report, in order.", "items": image("A photo.") },
    })
}

/// A city in a report: its name, or `{ name, province, country }`.
fn report_city() -> Value {
    let properties = json!({
        "name": words("The city's name, as in data/cities.yaml or new."),
        "province": text("Province, region or state."),
        "country": text("The city's country."),
    });
    let description = "A city name, or { name, province, country }.";
    name_or_object(description, words("The name alone."), object("A city.", properties, &["name"]))
}

/// An official in a report: a name, or `{ name, role, organisation, country }`.
fn official() -> Value {
    let properties = json!({
        "name": words("The person's name, as written in the report."),
        "role": text("The role the person held at the time of this report."),
        "organisation": text("The organisation the role belongs to."),
        "country": text("The country the person represents."),
    });
    let description = "A person's name, or { name, role, organisation, country }.";
    name_or_object(description, words("The name alone."), object("An official.", properties, &["name"]))
}

/// A figure: `{ label, value, unit, year, city, qualifier }`.
fn figure() -> Value {
    let properties = json!({
        "label": text("What is counted or measured."),
        "value": {
            "description": "A number, or a number with thousands separators and a magnitude word: \
                            1014, \"1,014\", \"5.8 billion\" (thousand, million, billion, trillion).",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^\\s*-?[0-9.,]+(\\s+[A-Za-z]+)?\\s*$" },
            ],
        },
        "unit": text("An ISO 4217 currency code (CNY, USD, EUR, ...), or any other word or phrase."),
        "year": { "type": ["integer", "null"], "description": "The year the figure refers to." },
        "city": text("The city the figure is about."),
        "qualifier": {
            "enum": ["over", "under", "about", "exceeding", "up to", null],
            "description": "Printed before the value.",
        },
    });
    object("A figure quoted in the report.", properties, &["label", "value"])
}

/// An image: its path, or `{ src, alt, caption, credit }`.
fn image(description: &str) -> Value {
    let properties = json!({
        "src": text("Relative to the report's folder, or a site path (/images/a.jpg is static/images/a.jpg)."),
        "alt": text("What the picture shows, for readers who cannot see it; \"\" marks it decorative."),
        "caption": text("Shown under the picture."),
        "credit": text("Who took it or owns it (Photo: Xinhua)."),
    });
    let description = format!("{description} A path, or {{ src, alt, caption, credit }} (alt is needed).");
    name_or_object(&description, json!({ "type": "string" }), object("An image.", properties, &["src"]))
}

/// A plain page's front matter.
fn page() -> Value {
    let properties = json!({
        "title": or_null(words("The page's title [default: made from the file name].")),
        "summary": text("For lists and page metadata [default: the body's first paragraph]."),
        "draft": flag("Leave the page out unless the build is run with --drafts."),
        "extra": free("Free-form values passed to templates untouched; not checked."),
    });
    object("The front matter of a plain page (content/**.md outside content/reports/).", properties, &[])
}

/// A registry file: a list of entries.
fn registry(entry: Value, description: &str) -> Value {
    let mut entry = entry;
    entry["description"] = json!(description);
    json!({ "type": "array", "description": "A YAML list of entries.", "items": entry })
}

/// A text in the default language, or a map of language tag to text.
fn localized(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            { "type": "string" },
            { "type": "object", "propertyNames": { "pattern": LANGUAGE_TAG }, "additionalProperties": { "type": "string" } },
            { "type": "null" },
        ],
    })
}

/// The name in each other language: a map of language tag to string.
fn names() -> Value {
    json!({
        "type": ["object", "null"],
        "description": "The name in the site's other languages ({ ru: Владимир Норов }), also matched as aliases.",
        "additionalProperties": { "type": "string" },
    })
}

/// An entry of data/people.yaml.
fn person() -> Value {
    let properties = json!({
        "name": words("The name shown on the site and used for the slug."),
        "aliases": texts("Other spellings and scripts that denote the same person."),
        "names": names(),
        "country": text("The person's country."),
        "bio": localized("Markdown shown on the person's page, or a map of language tag to Markdown."),
        "photo": text("A URL, or a site path such as /images/norov.jpg (static/images/norov.jpg)."),
    });
    object("", properties, &["name"])
}

/// An entry of data/cities.yaml.
fn city() -> Value {
    let properties = json!({
        "name": words("The name shown on the site and used for the slug."),
        "aliases": texts("Other spellings and scripts that denote the same city."),
        "names": names(),
        "province": text("Province, region or state."),
        "country": text("Country; cities are grouped by it on /cities/."),
        "lat": { "type": ["number", "null"], "description": "Latitude in decimal degrees (WGS 84), −90 to 90; places the city on maps." },
        "lon": { "type": ["number", "null"], "description": "Longitude in decimal degrees (WGS 84), −180 to 180, east positive." },
        "description": localized("Markdown shown on the city's page, or a map of language tag to Markdown."),
    });
    object("", properties, &["name"])
}

/// site.yaml.
fn site() -> Value {
    let properties = json!({
        "title": words("Name of the site, shown in page headers and titles [default: Cooperation Reports]."),
        "description": text("One-line description, shown on the home page and in its metadata."),
        "base_url": text("Absolute address where the site is published (https://example.org/reports/); used for feeds, sitemap, canonical and OpenGraph links."),
        "language": text("The default language's tag (en, ru, zh-Hant): its pages live at the site root [default: en]."),
        "languages": {
            "type": ["object", "null"],
            "description": "Every other language of the site, by tag, with its site title and description.",
            "propertyNames": { "pattern": LANGUAGE_TAG },
            "additionalProperties": object(
                "The site's words in this language [default: the default language's].",
                json!({ "title": words("The site's title in this language."), "description": text("The site's description in this language.") }),
                &[],
            ),
        },
        "theme": text("A folder themes/<name>/, or the built-in default [default: default]."),
        "paginate": { "type": "integer", "minimum": 0, "description": "Reports per page on the home page [default: 20]." },
        "paginate_entities": { "type": "integer", "minimum": 0, "description": "Reports per page of a person's, city's, country's or topic's page [default: 400]." },
        "paginate_figures": { "type": "integer", "minimum": 0, "description": "Figures per page of /figures/; a report's figures stay on one page [default: 1000]." },
        "offline": flag("Links name index.html so the output works opened from disk [default: false]."),
        "autolink": flag("Link the first mention of a report's people and cities in its body [default: true]."),
        "search": flag("Build the search index and the /search/ page [default: true]."),
        "markdown": or_null(object(
            "Markdown options.",
            json!({ "unsafe_html": flag("Pass raw HTML in Markdown through unchanged instead of sanitising it [default: false].") }),
            &[],
        )),
        "images": or_null(site_images()),
        "image": text("The picture link previews show for pages without their own: a site path (/images/share.jpg)."),
        "output_keep": texts("Entries of the output folder every build keeps as they are (.git, CNAME, .nojekyll)."),
        "menu": site_menu(),
        "extra": free("Free-form values passed to templates as site.extra."),
    });
    object("The site configuration. Every key is optional.", properties, &[])
}

/// `menu:` of site.yaml: sections, plain pages by file, and labelled links.
fn site_menu() -> Value {
    let named = json!({
        "description": "A section, or a plain page by its file under content/ (about.md).",
        "anyOf": [
            { "type": "string", "enum": crate::config::MENU_SECTIONS },
            { "type": "string", "pattern": "\\.md$" },
        ],
    });
    let label = json!({
        "description": "The link's text, or its text per language ({ en: Press office, ru: Пресс-служба }).",
        "anyOf": [
            { "type": "string" },
            { "type": "object", "propertyNames": { "pattern": LANGUAGE_TAG }, "additionalProperties": { "type": "string" } },
        ],
    });
    let link = object(
        "A link with its own label.",
        json!({ "label": label, "url": text("An address elsewhere (https://...) or a site path (/feed.xml).") }),
        &["label", "url"],
    );
    json!({
        "type": ["array", "null"],
        "description": "The main navigation, in order [default: the sections, then every plain page].",
        "items": { "anyOf": [named, link] },
    })
}

/// `images:` of site.yaml.
fn site_images() -> Value {
    let properties = json!({
        "widths": {
            "type": "array",
            "items": { "type": "integer", "minimum": 1, "maximum": 8192 },
            "minItems": 1,
            "description": "Widths in pixels photos are resized to as WebP, never enlarged [default: [480, 960, 1600]].",
        },
        "quality": { "type": "integer", "minimum": 1, "maximum": 100, "description": "WebP quality [default: 80]." },
    });
    object("How photos are published.", properties, &[])
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde::de::DeserializeOwned;

    use super::*;
    use crate::config::{LanguageConfig, MarkdownConfig, SiteConfig};
    use crate::load::raw::{self, RawFigure, RawImage, RawOfficial, RawPage, RawPerson, RawReport, RawTranslation};
    use crate::media::ImageSettings;

    /// The keys `schema.properties` lists.
    fn properties(schema: &Value) -> BTreeSet<String> {
        let properties = schema["properties"].as_object().unwrap_or_else(|| panic!("no properties in {schema}"));
        properties.keys().cloned().collect()
    }

    /// The object of a `name_or_object` value.
    fn object_of(schema: &Value) -> &Value {
        &schema["anyOf"][1]
    }

    /// The keys a Deserialize accepts, from serde's own "unknown field" error, which
    /// lists every field the type expects.
    fn accepted<T: DeserializeOwned + std::fmt::Debug>() -> BTreeSet<String> {
        expected::<T>("not_a_key_anywhere: 1")
    }

    /// What serde's error for `yaml` says the type expects (fields or enum variants).
    fn expected<T: DeserializeOwned + std::fmt::Debug>(yaml: &str) -> BTreeSet<String> {
        let err = serde_yaml::from_str::<T>(yaml).unwrap_err().to_string();
        let expected = err.split("expected").nth(1).unwrap_or_else(|| panic!("no field list in {err}"));
        let keys: BTreeSet<String> = expected.split('`').skip(1).step_by(2).map(str::to_string).collect();
        assert!(!keys.is_empty(), "no field list in {err}");
        keys
    }

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|key| key.to_string()).collect()
    }

    #[test]
    fn top_level_properties_are_the_keys_the_loader_accepts() {
        let cases: [(Kind, &[&str]); 6] = [
            (Kind::Report, raw::REPORT_KEYS),
            (Kind::Translation, raw::TRANSLATION_KEYS),
            (Kind::Page, raw::PAGE_KEYS),
            (Kind::Site, crate::config::KEYS),
            (Kind::People, raw::PERSON_KEYS),
            (Kind::Cities, raw::CITY_KEYS),
        ];
        for (kind, keys) in cases {
            let schema = schema(kind);
            let object = if matches!(kind, Kind::People | Kind::Cities) { &schema["items"] } else { &schema };
            assert_eq!(properties(object), set(keys), "{} schema", kind.name());
            assert_eq!(object["additionalProperties"], json!(false), "{} schema", kind.name());
        }
    }

    #[test]
    fn every_object_lists_what_its_deserializer_accepts() {
        let report = schema(Kind::Report);
        let site = schema(Kind::Site);
        let (translation, page) = (schema(Kind::Translation), schema(Kind::Page));
        let (people, cities) = (schema(Kind::People), schema(Kind::Cities));
        let facts = &report["properties"];
        let cases: Vec<(&str, &Value, BTreeSet<String>)> = vec![
            ("report", &report, accepted::<RawReport>()),
            ("translation", &translation, accepted::<RawTranslation>()),
            ("page", &page, accepted::<RawPage>()),
            ("person", &people["items"], accepted::<RawPerson>()),
            ("city entry", &cities["items"], accepted::<raw::RawCityEntry>()),
            ("report city", object_of(&facts["cities"]["items"]), accepted::<raw::RawCity>()),
            ("official", object_of(&facts["officials"]["items"]), accepted::<RawOfficial>()),
            ("figure", &facts["figures"]["items"], accepted::<RawFigure>()),
            ("image", object_of(&facts["image"]), accepted::<RawImage>()),
            ("gallery image", object_of(&facts["gallery"]["items"]), accepted::<RawImage>()),
            ("site", &site, accepted::<SiteConfig>()),
            ("languages entry", &site["properties"]["languages"]["additionalProperties"], accepted::<LanguageConfig>()),
            ("markdown", &site["properties"]["markdown"], accepted::<MarkdownConfig>()),
            ("images", &site["properties"]["images"], accepted::<ImageSettings>()),
            ("menu link", &site["properties"]["menu"]["items"]["anyOf"][1], accepted::<crate::config::MenuLink>()),
        ];
        for (name, object, keys) in cases {
            assert_eq!(properties(object), keys, "{name}");
        }
    }

    #[test]
    fn qualifiers_are_the_loaders() {
        let report = schema(Kind::Report);
        let listed = report["properties"]["figures"]["items"]["properties"]["qualifier"]["enum"].as_array();
        let listed: BTreeSet<String> =
            listed.expect("an enum").iter().filter_map(|q| q.as_str().map(str::to_string)).collect();
        assert_eq!(listed, expected::<crate::figure::Qualifier>("not a qualifier"));
    }

    #[test]
    fn kinds_are_named_once() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Kind::from_name("reports"), None);
    }
}
