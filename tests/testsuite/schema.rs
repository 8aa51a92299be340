//! `communique schema`: the JSON Schema it prints is JSON, `--out` writes the same, and
//! what the loader accepts the schema accepts: the example site, a new site and a new
//! report, and every key left empty (`key:`) where the loader takes that.
//!
//! The schemas are checked by [`check`], a small validator of exactly the keywords
//! src/schema.rs emits (it panics on any other, so a new keyword is not silently
//! ignored); no dev-dependency is needed for that.

use std::path::Path;

use regex::Regex;
use serde_json::Value;

use crate::support::{TestSite, files_under, repo_root, run};

const KINDS: [&str; 6] = ["report", "translation", "page", "site", "people", "cities"];

/// The schema `communique schema KIND` prints.
fn schema(kind: &str) -> Value {
    let printed = run(&["schema", kind]).success().stdout;
    serde_json::from_str(&printed).unwrap_or_else(|e| panic!("schema {kind} is not JSON: {e}\n{printed}"))
}

/// Every way `value` breaks `schema`, each as `path: problem`; empty when it is valid.
fn check(schema: &Value, value: &Value, path: &str) -> Vec<String> {
    let Some(keywords) = schema.as_object() else { panic!("{path}: a schema is an object: {schema}") };
    let mut problems = Vec::new();
    for (keyword, expected) in keywords {
        match keyword.as_str() {
            "$schema" | "title" | "description" | "format" => {}
            "type" => check_type(expected, value, path, &mut problems),
            "enum" => {
                if !expected.as_array().is_some_and(|values| values.contains(value)) {
                    problems.push(format!("{path}: {value} is not one of {expected}"));
                }
            }
            "pattern" => {
                let pattern = Regex::new(expected.as_str().expect("a pattern is a string")).expect("a valid pattern");
                if value.as_str().is_some_and(|text| !pattern.is_match(text)) {
                    problems.push(format!("{path}: {value} does not match {pattern}"));
                }
            }
            "minimum" | "maximum" => check_bound(keyword, expected, value, path, &mut problems),
            "minItems" | "maxItems" => check_length(keyword, expected, value, path, &mut problems),
            "anyOf" => {
                let options = expected.as_array().expect("anyOf is a list");
                if options.iter().all(|option| !check(option, value, path).is_empty()) {
                    problems.push(format!("{path}: {value} matches none of anyOf"));
                }
            }
            "items" => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    problems.extend(check(expected, item, &format!("{path}[{i}]")));
                }
            }
            "properties" | "additionalProperties" | "required" | "propertyNames" => {
                check_object(keyword, expected, keywords, value, path, &mut problems)
            }
            other => panic!("{path}: the test's checker does not know the keyword {other:?}: teach it"),
        }
    }
    problems
}

fn check_type(expected: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let types: Vec<&str> = match expected {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().map(|t| t.as_str().expect("a type name")).collect(),
        other => panic!("{path}: type {other}"),
    };
    let is = |name: &str| match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        other => panic!("{path}: unknown type {other}"),
    };
    if !types.iter().any(|name| is(name)) {
        problems.push(format!("{path}: {value} is not of type {expected}"));
    }
}

fn check_bound(keyword: &str, expected: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let (Some(bound), Some(number)) = (expected.as_f64(), value.as_f64()) else { return };
    if (keyword == "minimum" && number < bound) || (keyword == "maximum" && number > bound) {
        problems.push(format!("{path}: {number} breaks {keyword} {bound}"));
    }
}

fn check_length(keyword: &str, expected: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let (Some(bound), Some(items)) = (expected.as_u64(), value.as_array()) else { return };
    let length = items.len() as u64;
    if (keyword == "minItems" && length < bound) || (keyword == "maxItems" && length > bound) {
        problems.push(format!("{path}: {length} items break {keyword} {bound}"));
    }
}

/// One object keyword; `additionalProperties` reads `properties` beside it.
fn check_object(
    keyword: &str,
    expected: &Value,
    keywords: &serde_json::Map<String, Value>,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else { return };
    let declared = keywords.get("properties").and_then(Value::as_object);
    for (key, item) in object {
        let at = format!("{path}.{key}");
        match keyword {
            "properties" => {
                if let Some(property) = expected.get(key) {
                    problems.extend(check(property, item, &at));
                }
            }
            "additionalProperties" if declared.is_none_or(|d| !d.contains_key(key)) => match expected {
                Value::Bool(false) => problems.push(format!("{at}: unknown key")),
                Value::Bool(true) => {}
                schema => problems.extend(check(schema, item, &at)),
            },
            "propertyNames" => problems.extend(check(expected, &Value::String(key.clone()), &at)),
            _ => {}
        }
    }
    if keyword == "required" {
        for key in expected.as_array().expect("required is a list") {
            if !object.contains_key(key.as_str().expect("a key")) {
                problems.push(format!("{path}: {key} is required"));
            }
        }
    }
}

/// A YAML text as JSON, as yaml-language-server reads it (dates stay strings).
fn yaml_as_json(yaml: &str) -> Value {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}: {yaml}"));
    serde_json::to_value(value).expect("YAML with string keys")
}

/// The front matter of a Markdown file, as JSON.
fn front_matter(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let split = communique::load::split::split_front_matter(&text).expect("front matter");
    yaml_as_json(split.yaml)
}

/// The kind of schema for the Markdown file `rel` under content/.
fn kind_of(rel: &str) -> &'static str {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let translated = file.trim_end_matches(".md").contains('.');
    match (rel.starts_with("reports/"), translated) {
        (true, false) => "report",
        (true, true) => "translation",
        (false, _) => "page",
    }
}

/// Every problem the schemas find in the site at `root`, and how many files were checked.
fn site_problems(root: &Path) -> (Vec<String>, usize) {
    let mut files = vec![("site.yaml".to_string(), "site"), ("data/people.yaml".into(), "people")];
    files.push(("data/cities.yaml".into(), "cities"));
    let content = root.join("content");
    for entry in files_under(&content).into_iter().filter(|p| p.extension().is_some_and(|x| x == "md")) {
        let rel = entry.strip_prefix(&content).unwrap().to_string_lossy().replace('\\', "/");
        files.push((format!("content/{rel}"), kind_of(&rel)));
    }
    let mut problems = Vec::new();
    for (rel, kind) in &files {
        let path = root.join(rel);
        let value = if rel.ends_with(".md") {
            front_matter(&path)
        } else {
            yaml_as_json(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}")))
        };
        problems.extend(check(&schema(kind), &value, rel));
    }
    (problems, files.len())
}

#[test]
fn every_schema_is_json_and_out_writes_the_same() {
    let dir = TestSite::new();
    let out = dir.path("schemas");
    let written = run(&["schema", "--out", out.to_str().unwrap()]).success();
    assert_eq!(written.stdout.lines().count(), KINDS.len(), "{}", written.stdout);
    for kind in KINDS {
        let schema = schema(kind);
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#", "{kind}");
        let file = std::fs::read_to_string(out.join(format!("{kind}.schema.json"))).expect("written");
        assert_eq!(serde_json::from_str::<Value>(&file).expect("JSON"), schema, "{kind}");
    }
    run(&["schema", "--out", out.to_str().unwrap(), "site"]).success();
    run(&["schema"]).exit(2).stderr_has("<KIND>");
    run(&["schema", "reports"]).exit(2).stderr_has("possible values: report, translation, page, site, people, cities");
}

#[test]
fn the_example_site_is_valid() {
    let (problems, files) = site_problems(repo_root());
    assert!(files >= 12, "only {files} files checked");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_new_site_and_a_new_report_are_valid() {
    let site = TestSite::new();
    let root = site.path("site");
    run(&["init", root.to_str().unwrap()]).success();
    run(&["new", "report", "Delegation visits Weihai", "--date", "2021-05-06", "--root", root.to_str().unwrap()])
        .success();
    let (problems, files) = site_problems(&root);
    assert!(files >= 6, "only {files} files checked");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Whether the loader takes `yaml` as the `kind` of file (the checks of one file alone).
fn loader_accepts(kind: &str, yaml: &str) -> bool {
    use communique::load::{self, raw};
    let markdown = format!("---\n{yaml}---\nBody.\n");
    match kind {
        "report" => load::parse_report("content/reports/a.md", &markdown).is_ok(),
        "translation" => load::parse_translation("content/reports/a.ru.md", &markdown).is_ok(),
        "page" => load::parse_page("content/a.md", &markdown).is_ok(),
        "site" => serde_yaml::from_str::<communique::config::SiteConfig>(yaml).is_ok(),
        "people" => load::parse_registry::<raw::RawPerson>("data/people.yaml", yaml, raw::PERSON_KEYS).is_ok(),
        "cities" => load::parse_registry::<raw::RawCityEntry>("data/cities.yaml", yaml, raw::CITY_KEYS).is_ok(),
        other => panic!("no loader for {other}"),
    }
}

/// Whether the schema of `kind` takes `yaml`, with its problems.
fn schema_problems(schema: &Value, yaml: &str) -> Vec<String> {
    check(schema, &yaml_as_json(yaml), "")
}

/// The smallest file of each kind the loader takes, as `key: value` lines.
fn smallest(kind: &str) -> &'static [(&'static str, &'static str)] {
    match kind {
        "report" => &[("title", "T"), ("date", "2020-01-01")],
        "people" | "cities" => &[("name", "A")],
        _ => &[("title", "T")],
    }
}

/// The smallest file of `kind` with `key` written empty (`key:`), as YAML.
fn with_empty(kind: &str, key: &str) -> String {
    let mut lines: Vec<String> =
        smallest(kind).iter().filter(|(k, _)| *k != key).map(|(k, v)| format!("{k}: {v}")).collect();
    lines.push(format!("{key}:"));
    let registry = matches!(kind, "people" | "cities");
    let indent = |(i, line): (usize, String)| match (registry, i) {
        (false, _) => format!("{line}\n"),
        (true, 0) => format!("- {line}\n"),
        (true, _) => format!("  {line}\n"),
    };
    lines.into_iter().enumerate().map(indent).collect()
}

#[test]
fn a_key_written_empty_is_flagged_exactly_when_the_loader_refuses_it() {
    let mut disagreements = Vec::new();
    for kind in KINDS {
        let schema = schema(kind);
        let object = if matches!(kind, "people" | "cities") { &schema["items"] } else { &schema };
        for key in object["properties"].as_object().expect("properties").keys() {
            let yaml = with_empty(kind, key);
            let (loader, problems) = (loader_accepts(kind, &yaml), schema_problems(&schema, &yaml));
            if loader != problems.is_empty() {
                disagreements.push(format!("{kind} `{key}:`: loader {loader}, schema {problems:?}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn mistakes_the_loader_refuses_are_flagged() {
    let mistakes = [
        ("report", "title: T\n"),
        ("report", "title: \"  \"\ndate: 2020-01-01\n"),
        ("report", "title: T\ndate: 2020-01-01\nofficials: [\"\"]\n"),
        ("report", "title: T\ndate: 2020-01-01\ncities: [{ name: \" \" }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nofficals: [A]\n"),
        ("report", "title: T\ndate: 2 April 2019\n"),
        ("report", "title: T\ndate: 21-1-1\n"),
        ("report", "title: T\ndate: 2019-1-5\n"),
        ("report", "title: T\ndate: \"+2021-01-06\"\n"),
        ("report", "title: T\ndate: 2021-01-05T10:00:00\n"),
        ("report", "title: T\ndate: 2021-01-05\nend_date: 2021-01-5\n"),
        ("translation", "title: T\ndate: 2019-1-5\n"),
        ("report", "title: T\ndate: 2020-01-01\ndraft: maybe\n"),
        ("report", "title: T\ndate: 2020-01-01\nofficials: [{ name: A, rol: B }]\n"),
        ("report", "title: T\ndate: 2020-01-01\ncities: [{ province: Shandong }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nfigures: [{ label: GDP, value: lots }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nfigures: [{ label: GDP, value: 1, qualifier: around }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nfigures: [{ label: GDP, value: 1, year: soon }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nimage: { alt: A hall }\n"),
        ("report", "title: T\ndate: 2020-01-01\ngallery: [{ src: a.jpg, title: x }]\n"),
        ("translation", "summary: S\n"),
        ("translation", "title: T\nweight: 3\n"),
        ("translation", "title: \"\"\n"),
        ("page", "title: \" \"\n"),
        ("page", "title: T\ndate: 2020-01-01\n"),
        ("site", "titel: T\n"),
        ("site", "title: \"\"\n"),
        ("site", "languages: { ru: { title: \" \" } }\n"),
        ("site", "paginate: many\n"),
        ("site", "markdown: { unsafe: true }\n"),
        ("site", "languages: { ru: { name: Русский } }\n"),
        ("site", "images: { widths: [480], format: avif }\n"),
        ("people", "- aliases: [A]\n"),
        ("people", "- name: A\n  born: 1950\n"),
        ("people", "- name: \"\"\n"),
        ("cities", "- name: \" \"\n"),
        ("cities", "- name: A\n  lat: north\n"),
        ("cities", "- name: A\n  description: { en: [a, b] }\n"),
    ];
    for (kind, yaml) in mistakes {
        assert!(!loader_accepts(kind, yaml), "the loader takes this {kind}, so it is no mistake:\n{yaml}");
        assert!(!schema_problems(&schema(kind), yaml).is_empty(), "the {kind} schema takes:\n{yaml}");
    }
}

#[test]
fn what_the_loader_takes_in_each_shape_is_valid() {
    let good = [
        ("report", "title: T\ndate: 2020-01-01\ncities: [Weihai, { name: Qingdao, province: Shandong }]\n"),
        ("report", "title: T\ndate: 2020-01-01\nofficials: [Wang Luming, { name: A, role: B, country: C }]\n"),
        (
            "report",
            "title: T\ndate: 2020-01-01\nfigures: [{ label: a, value: 360 billion }, { label: b, value: \"1,014\", qualifier: up to }, { label: c, value: 5.8, year: 2018 }]\n",
        ),
        (
            "report",
            "title: T\ndate: 2020-01-01\nimage: a.jpg\ngallery: [b.jpg, { src: c.jpg, alt: \"\", credit: X }]\nextra: [1, { a: b }]\n",
        ),
        (
            "report",
            "title: T\ndate: 2020-01-01\nfigures:\n  - label: a\n    value: 1\n    unit:\n    year:\n    city:\n    qualifier:\nimage:\n  src: a.jpg\n  alt:\n",
        ),
        ("translation", "title: T\nofficials: [{ name: A, role: Роль }]\n"),
        ("site", "languages: { zh-Hant: { title: T } }\nimages: { widths: [320], quality: 90 }\nextra: { a: 1 }\n"),
        ("people", "- name: A\n  names: { ru: А }\n  bio: { en: Text, ru: Текст }\n- name: B\n  bio: Text\n"),
        ("cities", "- name: A\n  lat: 37.5\n  lon: -122\n  description: Text\n"),
    ];
    for (kind, yaml) in good {
        assert!(loader_accepts(kind, yaml), "the loader refuses this {kind}:\n{yaml}");
        assert_eq!(schema_problems(&schema(kind), yaml), Vec::<String>::new(), "{kind}:\n{yaml}");
    }
}
