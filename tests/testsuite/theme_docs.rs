//! docs/themes.md against the real template context.
//!
//! The test reads the variable tables of docs/themes.md (§3 for every template, §4 for
//! each template, §5 for shared structures), writes a `templates/` override for every
//! page template that walks every documented variable, and builds a fixture site whose
//! data gives every optional field a value somewhere. Each override prints marker lines:
//!
//! ```text
//! @@keys ReportView title,slug,url,...   the keys the code really provides
//! @@value ReportView.end_date            the field held a value (not null, not empty)
//! @@null ReportView.end_date             the field was null
//! @@wrong ReportView.year                the value is not of the documented type
//! @@section person.html people           the value of `section` on a page
//! ```
//!
//! so a documented variable the code lacks, a variable the docs omit, a wrong type or a
//! `null` in a field documented as never null all fail, with the structure and field named;
//! and the values §3 lists for `section` must be those the pages get, and the only ones
//! the shipped themes' templates compare it with.

use std::collections::{BTreeMap, BTreeSet};

use communique::BuildOptions;
use communique::render::OutputFile;
use communique::render::theme::{REQUIRED_TEMPLATES, SEARCH_TEMPLATE};

use crate::library;
use crate::support::{TestSite, files_under, repo_root};

/// A documented type, as written in the Type column.
#[derive(Debug, Clone)]
enum Type {
    /// `string`, `integer`, `number`, `boolean`, `map`: the Tera test that recognises it.
    Scalar(&'static str),
    /// `list of T`.
    List(Box<Type>),
    /// `[Name](#name)`: a structure documented under that name.
    Struct(String),
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    ty: Type,
    /// Written `T?`: may be `null`.
    optional: bool,
    /// A variable of §3 that only the 404 page receives.
    only_on_404: bool,
}

/// What docs/themes.md documents.
#[derive(Debug, Default)]
struct Docs {
    /// Structure name (`SiteView`, `ReportView`, `Link`, ...) -> its fields.
    structs: BTreeMap<String, Vec<Field>>,
    /// §3: the variables every template receives.
    common: Vec<Field>,
    /// §4: page template -> the variables of its own (none for 404.html; `cities_map`
    /// besides `countries` for cities.html).
    templates: BTreeMap<String, Vec<Field>>,
    /// §1.4: the templates a theme must provide.
    required: Vec<String>,
}

fn read_docs() -> Docs {
    let text = std::fs::read_to_string(repo_root().join("docs/themes.md")).expect("read docs/themes.md");
    parse_docs(&text)
}

/// Reads the tables of docs/themes.md. A table of fields belongs to the structure last
/// named in bold (`a **ReportView**`) under the current heading, else to the heading.
fn parse_docs(text: &str) -> Docs {
    let mut docs = Docs::default();
    let mut chapter = String::new();
    let mut heading = String::new();
    let mut bold_name: Option<String> = None;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            chapter = title.split('.').next().unwrap_or("").to_string();
            heading.clear();
            bold_name = None;
        } else if let Some(title) = line.strip_prefix("### ") {
            heading = title.trim().to_string();
            bold_name = None;
            if chapter == "4" && heading.ends_with(".html") {
                docs.templates.insert(heading.clone(), Vec::new());
            }
        } else if line.starts_with('|') {
            let header = cells(line);
            lines.next(); // the | --- | row
            let mut rows = Vec::new();
            while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
                rows.push(cells(row));
            }
            match header.first().map(String::as_str) {
                Some("Template") if chapter == "1" => docs.required = rows.iter().map(|r| unquote(&r[0])).collect(),
                Some("Variable") => docs.common = rows.iter().map(|r| field(r)).collect(),
                Some("Field") => {
                    let owner = bold_name.clone().unwrap_or_else(|| heading.clone());
                    let fields = rows.iter().map(|r| field(r)).collect();
                    assert!(docs.structs.insert(owner.clone(), fields).is_none(), "{owner} is documented twice");
                }
                _ => {}
            }
        } else {
            if let Some(name) = last_bold_identifier(line) {
                bold_name = Some(name);
            }
            if chapter == "4"
                && let Some(variable) = line.strip_prefix("Variable: ")
            {
                let own = template_variable(variable);
                docs.templates.entry(heading.clone()).or_default().push(own);
            }
        }
    }
    docs
}

/// The cells of a table row, split at `|` but not at `\|` (an escaped pipe in code).
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cells.last_mut().unwrap().push(chars.next().unwrap()),
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.pop(); // after the closing |
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

fn unquote(cell: &str) -> String {
    cell.trim_matches('`').to_string()
}

/// A row `| name | type | meaning |`.
fn field(row: &[String]) -> Field {
    let (ty, optional) = parse_type(&row[1]);
    Field { name: unquote(&row[0]), ty, optional, only_on_404: row[2].starts_with("Only on the 404 page") }
}

fn parse_type(text: &str) -> (Type, bool) {
    match text.strip_suffix('?') {
        Some(inner) => (parse_base_type(inner), true),
        None => (parse_base_type(text), false),
    }
}

fn parse_base_type(text: &str) -> Type {
    if let Some(item) = text.strip_prefix("list of ") {
        return Type::List(Box::new(parse_base_type(item)));
    }
    if let Some(link) = text.strip_prefix('[') {
        return Type::Struct(link.split(']').next().unwrap().to_string());
    }
    Type::Scalar(match text {
        "string" | "strings" => "string",
        "integer" => "integer",
        "number" => "number",
        "boolean" => "bool",
        "map" => "map",
        other => panic!(
            "docs/themes.md: unknown type {other:?} (use string, integer, number, boolean, map, list of T or [Structure](#structure))"
        ),
    })
}

/// `**ReportView**` in a line of prose: the last bold word that is a type name.
fn last_bold_identifier(line: &str) -> Option<String> {
    line.split("**")
        .skip(1)
        .step_by(2)
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()) && word.chars().all(char::is_alphanumeric))
        .last()
        .map(str::to_string)
}

/// "`report`, a **ReportView**:" or "`countries`, a list of [CountryGroup](#countrygroup): ...",
/// the type followed by `?` for a variable that may be `null`.
fn template_variable(text: &str) -> Field {
    let (name, rest) = text.trim_start_matches('`').split_once('`').expect("Variable: `name`, a Type");
    let rest = rest.trim_start_matches(", a ").trim_start_matches(", an ");
    let (rest, list) = match rest.strip_prefix("list of ") {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let (type_name, after) = if let Some(bold) = rest.strip_prefix("**") {
        bold.split_once("**").unwrap()
    } else if let Some(link) = rest.strip_prefix('[') {
        let (name, after) = link.split_once(']').unwrap();
        (name, after.split_once(')').map_or(after, |(_, after)| after))
    } else {
        panic!("docs/themes.md: cannot read the type in \"Variable: {text}\"")
    };
    let ty = Type::Struct(type_name.to_string());
    Field {
        name: name.to_string(),
        ty: if list { Type::List(Box::new(ty)) } else { ty },
        optional: after.starts_with('?'),
        only_on_404: false,
    }
}

/// Writes a template that prints the markers for one page template.
struct Probe<'a> {
    docs: &'a Docs,
    out: String,
    depth: usize,
}

impl Probe<'_> {
    fn template(docs: &Docs, template: &str) -> String {
        let mut probe = Probe { docs, out: String::new(), depth: 0 };
        // The context's keys first, before any loop or `set` adds names of its own.
        probe.out.push_str(&format!("@@keys context:{template} {{{{ __tera_context | keys | join(sep=\",\") }}}}\n"));
        probe.out.push_str(&format!("@@section {template} {{{{ section }}}}\n"));
        for field in context_fields(docs, template) {
            probe.field("context", &field, &field.name);
        }
        probe.out
    }

    fn field(&mut self, owner: &str, field: &Field, expr: &str) {
        let label = format!("{owner}.{}", field.name);
        self.out.push_str(&format!("{{% if {expr} is none %}}@@null {label}\n{{% else %}}"));
        match &field.ty {
            Type::List(_) => self
                .out
                .push_str(&format!("{{% if {expr} is array and {expr} | length > 0 %}}@@value {label}\n{{% endif %}}")),
            _ => self.out.push_str(&format!("@@value {label}\n")),
        }
        self.value(&label, &field.ty, expr);
        self.out.push_str("{% endif %}");
    }

    /// Checks that `expr` is of type `ty`, and walks into it.
    fn value(&mut self, label: &str, ty: &Type, expr: &str) {
        match ty {
            Type::Scalar(test) => {
                self.out.push_str(&format!("{{% if {expr} is not {test} %}}@@wrong {label}\n{{% endif %}}"))
            }
            Type::Struct(name) => {
                self.out.push_str(&format!("{{% if {expr} is map %}}"));
                self.structure(name, expr);
                self.out.push_str(&format!("{{% else %}}@@wrong {label}\n{{% endif %}}"));
            }
            Type::List(item) => {
                self.depth += 1;
                let var = format!("item{}", self.depth);
                self.out.push_str(&format!("{{% if {expr} is array %}}{{% for {var} in {expr} %}}"));
                self.value(&format!("{label}[]"), item, &var);
                self.out.push_str(&format!("{{% endfor %}}{{% else %}}@@wrong {label}\n{{% endif %}}"));
                self.depth -= 1;
            }
        }
    }

    fn structure(&mut self, name: &str, expr: &str) {
        let fields =
            self.docs.structs.get(name).unwrap_or_else(|| panic!("docs/themes.md links to {name}, which has no table"));
        self.out.push_str(&format!("@@keys {name} {{{{ {expr} | keys | join(sep=\",\") }}}}\n"));
        for field in fields {
            self.field(name, field, &format!("{expr}.{}", field.name));
        }
    }
}

/// The variables `template` receives, according to the docs.
fn context_fields(docs: &Docs, template: &str) -> Vec<Field> {
    let common = docs.common.iter().filter(|f| !f.only_on_404 || template == "404.html").cloned();
    common.chain(docs.templates[template].clone()).collect()
}

/// A site in which every documented field has a value somewhere: two reports in one city
/// in different years (for charts), a visit over several days, registry entries with
/// aliases, bio, photo and coordinates, a city without a country, one report per home
/// page (so page 2 has both neighbours), `base_url` (for feeds and the 404 page), and a
/// report translated into a second language (for the language switcher and alternates).
fn fixture() -> TestSite {
    let site = fixture_sources();
    for name in ["talks.png", "norov.jpg"] {
        let path = site.path(&format!("static/images/{name}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        image::RgbImage::from_pixel(640, 400, image::Rgb([90, 120, 160])).save(path).unwrap();
    }
    site
}

/// The text files of [`fixture`].
fn fixture_sources() -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            "title: Fixture\ndescription: Every variable.\nbase_url: https://example.org/\npaginate: 1\npaginate_figures: 1\npaginate_entities: 1\n\
             extra: { motto: x }\nlanguages: { ru: { title: Доклады } }\n\
             menu: [reports, people, { label: Press office, url: \"https://example.org/press/\" }]\n",
        )
        .file("content/reports/2021-05-01-samarkand.ru.md", "---\ntitle: Форум в Самарканде\n---\nФорум.\n")
        .file(
            "content/reports/2019-04-02-weihai.md",
            "---\ntitle: Weihai meeting\ndate: 2019-04-02\nend_date: 2019-04-03\norganisation: SCO Secretariat\n\
             cities: [{ name: Weihai, province: Shandong, country: China }]\n\
             officials:\n  - { name: Vladimir Norov, role: SCO Secretary-General, organisation: SCO, country: Uzbekistan }\n  - { name: Wang Luming, role: Party Secretary, country: China }\n\
             figures:\n  - { label: GDP, value: 360 billion, unit: CNY, qualifier: about, year: 2018 }\n\
             topics: [trade]\nextra: { source: https://example.org/1 }\n\
             image: { src: /images/talks.png, alt: The talks, caption: In the hall, credit: Press office }\n\
             gallery: [{ src: /images/talks.png, alt: The talks again }]\n---\nVladimir Norov met Wang Luming in Weihai.\n",
        )
        .file(
            "content/reports/2020-07-23-qingdao.md",
            "---\ntitle: Qingdao visit\ndate: 2020-07-23\nsummary: A visit.\n\
             cities: [{ name: Qingdao, province: Shandong, country: China }, Weihai]\n\
             officials: [{ name: Vladimir Norov, role: SCO Secretary-General, organisation: SCO }, Sherali Jonon]\n\
             figures:\n  - { label: GDP, value: 380 billion, unit: CNY, year: 2019, city: Weihai }\n\
             topics: [trade, tourism]\n---\nA visit.\n",
        )
        .file(
            "content/reports/2021-05-01-samarkand.md",
            "---\ntitle: Samarkand forum\ndate: 2021-05-01\ncities: [Samarkand]\nofficials: [Sherali Jonon]\n---\nA forum.\n",
        )
        .file("content/about.md", "---\ntitle: About\nextra: { menu: true }\n---\nAbout this site.\n")
        .file(
            "data/people.yaml",
            "- name: Vladimir Norov\n  aliases: [Владимир Норов]\n  country: Uzbekistan\n  bio: A diplomat.\n  photo: /images/norov.jpg\n",
        )
        .file(
            "data/cities.yaml",
            "- name: Weihai\n  aliases: [威海]\n  province: Shandong\n  country: China\n  lat: 37.51\n  lon: 122.12\n  description: A coastal city.\n",
        )
}

/// Every marker line of every page, in the order printed.
fn markers(output: &communique::Output) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, file) in &output.files {
        let OutputFile::Bytes(bytes) = file else { continue };
        if !path.ends_with(".html") {
            continue;
        }
        for line in String::from_utf8_lossy(bytes).lines() {
            if let Some(marker) = line.trim().strip_prefix("@@") {
                let (kind, rest) = marker.split_once(' ').unwrap_or((marker, ""));
                found.push((kind.to_string(), rest.to_string()));
            }
        }
    }
    found
}

#[test]
fn the_docs_list_every_required_template_and_document_each_page_template() {
    let docs = read_docs();
    let required: BTreeSet<&str> = REQUIRED_TEMPLATES.iter().copied().collect();
    assert_eq!(docs.required.iter().map(String::as_str).collect::<BTreeSet<_>>(), required, "§1.4 table");
    let mut documented: BTreeSet<&str> = docs.templates.keys().map(String::as_str).collect();
    documented.insert("base.html"); // renders nothing by itself
    let mut page_templates = required.clone();
    page_templates.insert(SEARCH_TEMPLATE); // required while search is on, as it is by default
    assert_eq!(documented, page_templates, "§4 should have a section for each page template");
}

/// Fields that hold a value only on sites too large for a quick fixture; each has a test
/// of its own where it does (`search::a_sharded_index_is_searched_as_one`).
const EMPTY_ON_SMALL_SITES: &[&str] = &["SearchView.shard_urls"];

/// The markers of the fixture site built with a probe in place of every page template.
fn probed_markers(docs: &Docs) -> Vec<(String, String)> {
    let site = fixture();
    for template in docs.templates.keys() {
        site.write(&format!("templates/{template}"), &Probe::template(docs, template));
    }
    let build = library::build(site.root(), BuildOptions::default());
    let Some(built) = build.built else { panic!("the probe templates failed to render:\n{}", build.report) };
    markers(&built.output)
}

#[test]
fn every_documented_template_variable_exists_with_its_type_and_no_other() {
    let docs = read_docs();

    let mut problems = BTreeSet::new();
    let mut seen_structs = BTreeSet::new();
    let mut with_value = BTreeSet::new();
    for (kind, rest) in probed_markers(&docs) {
        match kind.as_str() {
            "keys" => {
                let (owner, keys) = rest.split_once(' ').unwrap_or((&rest, ""));
                let provided: BTreeSet<&str> = keys.split(',').filter(|k| !k.is_empty()).collect();
                let expected: Vec<Field> = match owner.strip_prefix("context:") {
                    Some(template) => context_fields(&docs, template),
                    None => docs.structs[owner].clone(),
                };
                let expected: BTreeSet<&str> = expected.iter().map(|f| f.name.as_str()).collect();
                for missing in expected.difference(&provided) {
                    problems.insert(format!("{owner}.{missing} is documented but templates do not receive it"));
                }
                for extra in provided.difference(&expected) {
                    problems.insert(format!("{owner}.{extra} reaches templates but is not documented"));
                }
                seen_structs.insert(owner.to_string());
            }
            "value" => {
                with_value.insert(rest);
            }
            "null" if !is_optional(&docs, &rest) => {
                problems.insert(format!("{rest} was null but is not documented as `T?`"));
            }
            "wrong" => {
                problems.insert(format!("{rest} does not hold the documented type"));
            }
            _ => {}
        }
    }
    // Without these, a structure or field could be wrong and never looked at.
    for template in docs.templates.keys() {
        assert!(seen_structs.contains(&format!("context:{template}")), "no page was rendered with {template}");
    }
    for (name, fields) in &docs.structs {
        if !seen_structs.contains(name) {
            problems.insert(format!("{name} never appeared in the fixture site: is it used anywhere?"));
        }
        for field in fields
            .iter()
            .filter(|f| !with_value.contains(&format!("{name}.{}", f.name)))
            .filter(|f| !EMPTY_ON_SMALL_SITES.contains(&format!("{name}.{}", f.name).as_str()))
        {
            problems.insert(format!("{name}.{} never held a value in the fixture site", field.name));
        }
    }
    for field in &docs.common {
        if !with_value.contains(&format!("context.{}", field.name)) {
            problems.insert(format!("the variable {} never held a value in the fixture site", field.name));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/themes.md and the template context differ:\n{}",
        Vec::from_iter(problems).join("\n")
    );
}

/// The values of `section` that §3 lists: the code spans of its row (`""` is the empty
/// value).
fn documented_sections(text: &str) -> BTreeSet<String> {
    let row = text.lines().find(|line| line.starts_with("| `section` |")).expect("§3 documents `section`");
    let meaning = &cells(row)[2];
    meaning.split('`').skip(1).step_by(2).map(|value| value.trim_matches('"').to_string()).collect()
}

/// Every value the templates of themes/ compare `section` with (`section == "search"`).
fn compared_sections() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for theme in std::fs::read_dir(repo_root().join("themes")).unwrap() {
        let templates = theme.unwrap().path().join("templates");
        for file in files_under(&templates) {
            let text = std::fs::read_to_string(&file).unwrap();
            for operator in ["section == ", "section != "] {
                for (at, _) in text.match_indices(operator) {
                    let rest = &text[at + operator.len()..];
                    let value = match rest.chars().next() {
                        Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or_default(),
                        _ => rest.split_whitespace().next().unwrap_or_default(),
                    };
                    found.insert((value.to_string(), file.strip_prefix(repo_root()).unwrap().display().to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn the_documented_sections_are_those_pages_get_and_templates_compare() {
    let text = std::fs::read_to_string(repo_root().join("docs/themes.md")).unwrap();
    let documented = documented_sections(&text);
    let given: BTreeSet<String> = (probed_markers(&read_docs()).into_iter())
        .filter(|(kind, _)| kind == "section")
        .map(|(_, rest)| rest.split_once(' ').map_or("", |(_, value)| value).to_string())
        .collect();
    assert_eq!(documented, given, "the values of `section` in docs/themes.md §3, and those the pages get");
    for (value, file) in compared_sections() {
        assert!(documented.contains(&value), "{file} compares `section` with {value:?}, which §3 does not list");
    }
}

fn is_optional(docs: &Docs, label: &str) -> bool {
    let (owner, name) = label.split_once('.').expect("owner.field");
    let mut fields: Box<dyn Iterator<Item = &Field>> = if owner == "context" {
        Box::new(docs.common.iter().chain(docs.templates.values().flatten()))
    } else {
        Box::new(docs.structs[owner].iter())
    };
    fields.any(|f| f.name == name && f.optional)
}

#[test]
fn the_docs_parser_reads_the_table_forms_in_use() {
    let docs = parse_docs(
        "## 1. x\n| Template | Renders |\n| --- | --- |\n| `a.html` | a |\n\
         ## 3. y\n| Variable | Type | Meaning |\n| --- | --- | --- |\n| `site` | [SiteView](#siteview) | s \\| t |\n\
         ### SiteView\n| Field | Type | Meaning |\n| --- | --- | --- |\n| `tags` | list of strings | t |\n\
         ## 4. z\n### a.html\nVariable: `items`, a list of **Item**, A–Z.\n\n**Item**\n\n\
         | Field | Type | Meaning |\n| --- | --- | --- |\n| `when` | string? | w |\n",
    );
    assert_eq!(docs.required, ["a.html"]);
    assert_eq!(docs.common[0].name, "site");
    assert!(matches!(&docs.common[0].ty, Type::Struct(s) if s == "SiteView"));
    assert!(matches!(&docs.structs["SiteView"][0].ty, Type::List(t) if matches!(**t, Type::Scalar("string"))));
    let own = &docs.templates["a.html"][0];
    assert!(own.name == "items" && matches!(&own.ty, Type::List(t) if matches!(&**t, Type::Struct(s) if s == "Item")));
    assert!(!own.optional);
    let map = template_variable("`map`, a [MapView](#mapview)? (`null` without coordinates).");
    assert!(map.optional && matches!(&map.ty, Type::Struct(s) if s == "MapView"));
    assert!(docs.structs["Item"][0].optional);
}
