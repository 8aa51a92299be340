//! `serve` against `build`, field by field: for an edit of every key an author can write
//! (front matter of reports, pages and their translations, entries of data/people.yaml and
//! data/cities.yaml, nested keys included), the pages `serve` holds after its incremental rebuild are byte
//! for byte those a full build of the same files writes.
//!
//! The keys come from the raw input types themselves (`communique::load::raw`), walked
//! through their `Deserialize` implementations, so a key added to one of them without an
//! edit in [`EDITS`] fails [`every_key_of_every_source_type_has_an_edit`].
//!
//! Only pages are compared: static files are copied, not rendered, and the search index
//! (`pagefind/`) is built by `serve` on a thread of its own (the fixture has search off,
//! which keeps its builds quick).

use std::collections::{BTreeMap, BTreeSet};

use communique::load::raw::{RawCityEntry, RawPage, RawPerson, RawReport, RawTranslation};
use communique::pipeline::ChangeSet;
use communique::pipeline::{Outcome, Pipeline};
use communique::{BuildOptions, Diagnostics, NoProgress, Project};

use crate::support::{TestSite, repo_root};

/// Output path -> bytes, of the rendered pages only.
type Pages = BTreeMap<String, Vec<u8>>;

/// The pages `rebuilder` serves now. The one place that knows the type of
/// `Pipeline::files()`.
fn served_pages(rebuilder: &Pipeline) -> Pages {
    let files = rebuilder.files().expect("serve has a good state");
    files
        .iter()
        .filter_map(|(path, file)| made_bytes(file).map(|bytes| (path.clone(), bytes)))
        .filter(|(path, _)| !is_search_index(path))
        .collect()
}

/// The pages a full build of the site at `site` writes, or its errors.
fn built_pages(site: &TestSite) -> Result<Pages, String> {
    let mut diags = Diagnostics::new();
    let project = Project::load(site.root(), BuildOptions::default(), &mut diags).expect("a site root");
    let Some(built) = communique::build(&project, &NoProgress, &mut diags) else {
        return Err(diags.sorted().iter().map(|d| d.render(&project.root)).collect());
    };
    Ok(built
        .output
        .files
        .into_iter()
        .filter_map(|(path, file)| made_bytes(&file).map(|bytes| (path, bytes)))
        .filter(|(path, _)| !is_search_index(path))
        .collect())
}

/// The bytes of a file the site made (a page, or a photo from the image cache), or
/// `None` for one of the theme's static files.
fn made_bytes(file: &communique::output::OutputFile) -> Option<Vec<u8>> {
    use communique::output::{OutputFile, StaticSource};
    match file {
        OutputFile::Bytes(bytes) => Some(bytes.to_vec()),
        OutputFile::Static(StaticSource::Cached(path)) => Some(std::fs::read(path).expect("a cached photo")),
        OutputFile::Static(_) => None,
    }
}

fn is_search_index(path: &str) -> bool {
    path.starts_with(communique::render::search::BUNDLE_DIR)
}

const FULL: &str = "content/reports/full.md";
const CALL: &str = "content/reports/call.md";
const EARLIER: &str = "content/reports/earlier.md";
const PLANNED: &str = "content/reports/planned.md";
const ABOUT: &str = "content/about.md";
const VISIT: &str = "content/reports/visit.md";
const VISIT_RU: &str = "content/reports/visit.ru.md";
const ABOUT_RU: &str = "content/about.ru.md";
const PEOPLE: &str = "data/people.yaml";
const CITIES: &str = "data/cities.yaml";

/// A report that sets every key, nested ones included.
const FULL_REPORT: &str = "---
title: Trade talks in Weihai
date: 2021-03-10
end_date: 2021-03-12
slug: trade-talks
summary: Talks on trade and logistics.
draft: false
organisation: SCO Secretariat
cities:
  - Weihai
  - name: Qingdao
    province: Shandong
    country: China
officials:
  - name: Zhang Ming
    role: Deputy Mayor
    organisation: Weihai People's Government
    country: China
  - Wang Luming
  - Vladimir Norov
figures:
  - label: Trade volume
    value: 360 billion
    unit: USD
    qualifier: over
    year: 2020
    city: Weihai
topics: [trade, logistics]
image:
  src: /images/talks.png
  alt: The delegations at the table
  caption: Talks in the city hall
  credit: Weihai press office
gallery:
  - src: /images/port.png
    alt: The port
    caption: The container terminal
    credit: Port authority
extra:
  source: https://example.org/news/1
---
Wang Luming and Zhang Ming welcomed Vladimir Norov to Weihai and spoke of Qingdao.

A second paragraph.
";

/// The `figures:` of [`FULL_REPORT`], as written there.
const FIGURES_OF_FULL: &str = "figures:\n  - label: Trade volume\n    value: 360 billion\n    unit: USD\n    qualifier: over\n    year: 2020\n    city: Weihai\n";

/// A report that sets as little as it can, for edits that add a key.
const CALL_REPORT: &str = "---
title: A courtesy call
date: 2021-05-04
cities: [Tashkent]
officials: [Aziz Karimov]
---
Aziz Karimov received the delegation in Tashkent, as at [the earlier meeting](@/reports/earlier.md).
";

/// A report others link to (`@/`).
const EARLIER_REPORT: &str = "---
title: An earlier meeting
date: 2019-04-02
slug: ambassadors-club
officials: [Wang Luming]
---
Wang Luming met the Ambassadors Club.
";

const PLANNED_REPORT: &str = "---
title: A planned visit
date: 2021-06-01
draft: true
topics: [trade]
---
The visit is planned.
";

/// A report translated into Russian (its people and city are in no other report, so edits
/// of the other reports leave its facts alone).
const VISIT_REPORT: &str = "---
title: A visit to Almaty
date: 2020-09-01
cities: [Almaty]
officials:
  - name: Aliya Seitova
    role: Ambassador
    organisation: Ministry of Foreign Affairs
figures:
  - label: Joint ventures
    value: 12
    unit: companies
topics: [investment]
image:
  src: /images/talks.png
  alt: The ambassador arrives
gallery:
  - src: /images/port.png
    alt: The trade fair
---
Aliya Seitova visited Almaty.
";

/// The Russian translation of [`VISIT_REPORT`], giving every word a translation may give.
const VISIT_TRANSLATION: &str = "---
title: Визит в Алматы
summary: Краткий визит.
slug: vizit
draft: false
organisation: Секретариат ШОС
officials:
  - name: Aliya Seitova
    role: Посол
    organisation: МИД
figures:
  - label: Инвестиции
    value: 12
    unit: компаний
topics: [инвестиции]
image:
  src: /images/talks.png
  alt: Посол прибывает
  caption: В аэропорту
  credit: Пресс-служба
gallery:
  - src: /images/port.png
    alt: Ярмарка
    caption: Павильон
    credit: Организаторы
extra:
  source: https://example.org/ru/1
---
Алия Сеитова посетила Алматы, как и на [встрече](@/reports/earlier.md).
";

/// The Russian translation of [`ABOUT_PAGE`].
const ABOUT_TRANSLATION: &str = "---
title: О нас
summary: О чём эти доклады.
extra:
  contact: press@example.ru
---
О докладах.
";

/// The keys of a translation that only repeat the original's facts (a figure's `unit` is a
/// word of the language when the original's is: an edit of it is below): a translation may
/// leave them out, and where it gives them they must equal the original's (an edit is an
/// error, which `languages::every_way_a_translation_drifts_from_its_original_is_an_error_at_its_line`
/// covers), so no edit of them can change a page.
const FACTS_OF_TRANSLATIONS: &[&str] = &[
    "translation.date",
    "translation.end_date",
    "translation.cities",
    "translation.cities[].name",
    "translation.cities[].province",
    "translation.cities[].country",
    "translation.officials[].name",
    "translation.officials[].country",
    "translation.figures[].value",
    "translation.figures[].qualifier",
    "translation.figures[].year",
    "translation.figures[].city",
    "translation.image.src",
    "translation.gallery[].src",
];

/// A plain page that sets every key.
const ABOUT_PAGE: &str = "---
title: About us
summary: What these reports are.
draft: false
extra:
  contact: press@example.org
---
About the reports, such as [the earlier meeting](@/reports/earlier.md).
";

/// A person who sets every key, and one who sets only a name and a country.
const PEOPLE_REGISTRY: &str = "- name: Wang Luming
  aliases: [王鲁明, Mr Wang]
  names: { ru: Ван Лумин }
  country: China
  bio: Party Secretary of **Weihai**.
  photo: https://example.org/wang.jpg
- name: Vladimir Norov
  country: Uzbekistan
";

/// A city that sets every key, and one that sets only a name and a country.
const CITIES_REGISTRY: &str = "- name: Weihai
  aliases: [威海]
  names: { ru: Вэйхай }
  province: Shandong
  country: China
  lat: 37.51
  lon: 122.12
  description: Coastal city in **Shandong**.
- name: Tashkent
  country: Uzbekistan
";

/// A copy of the fixture site ([`fixture_sources`]) with its photos already processed
/// into its `.communique-cache/`: the fixture is made and built once per run. Each edit
/// builds its own copy three times, and processing the three photos anew in each of
/// those 369 unoptimised builds was most of this file's time.
fn fixture() -> TestSite {
    static BUILT: std::sync::OnceLock<TestSite> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let site = fixture_sources().kept_for_the_run();
        built_pages(&site).unwrap_or_else(|errors| panic!("the fixture does not build:\n{errors}"));
        assert!(site.path(".communique-cache").is_dir(), "building the fixture caches its photos");
        site
    });
    built.copy()
}

/// The fixture site: four reports (one a draft) over two home pages, a plain page, both
/// registries, feeds (`base_url`) and autolinks. The theme is the default one, but for
/// two templates that also show what it leaves out: a report's and a page's `extra`, and
/// a page's summary (the theme's own templates with one line more).
fn fixture_sources() -> TestSite {
    let theme = repo_root().join("themes/default/templates");
    let read = |rel: &str| std::fs::read_to_string(theme.join(rel)).expect("a template of the default theme");
    let extra = |of: &str| {
        format!(
            "<dl class=\"extra\">{{% for k, v in {of}.extra %}}<dt>{{{{ k }}}}</dt><dd>{{{{ v }}}}</dd>{{% endfor %}}</dl>"
        )
    };
    let (report, page) = (read("report.html"), read("page.html"));
    let report_with_extra = report.replacen("</h1>", &format!("</h1>\n    {}", extra("report")), 1);
    let page_with_more = page.replacen(
        "</h1>",
        &format!("</h1>\n  <p class=\"summary\">{{{{ page.summary }}}}</p>{}", extra("page")),
        1,
    );
    assert!(report_with_extra != report && page_with_more != page, "the default theme's templates changed shape");
    let site = TestSite::new()
        .file(
            "site.yaml",
            "title: Field edits\nbase_url: https://example.org/sub/\npaginate: 2\npaginate_figures: 2\npaginate_entities: 2\nautolink: true\nsearch: false\n\
             languages: { ru: { title: Правки } }\n",
        )
        .file(VISIT, VISIT_REPORT)
        .file(VISIT_RU, VISIT_TRANSLATION)
        .file(ABOUT_RU, ABOUT_TRANSLATION)
        .file(FULL, FULL_REPORT)
        .file(CALL, CALL_REPORT)
        .file(EARLIER, EARLIER_REPORT)
        .file(PLANNED, PLANNED_REPORT)
        .file(ABOUT, ABOUT_PAGE)
        .file(PEOPLE, PEOPLE_REGISTRY)
        .file(CITIES, CITIES_REGISTRY)
        .file("templates/report.html", &report_with_extra)
        .file("templates/page.html", &page_with_more);
    for (name, colour) in [("talks", [200, 40, 40]), ("port", [40, 40, 200]), ("hall", [40, 160, 40])] {
        let pixels = image::RgbImage::from_pixel(600, 400, image::Rgb(colour));
        let path = site.path(&format!("static/images/{name}.png"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        pixels.save(path).unwrap();
    }
    site
}

/// Every key path of the source types, as `report.officials[].role`: the fields of each
/// struct that `T`'s `Deserialize` asks for, below `root`.
///
/// The walk feeds `T::deserialize` a [`Probe`] that answers every struct with its fields
/// as keys and every sequence with one element, one unexplored path per pass (a leaf
/// fails, which ends the pass), until a pass finds nothing new. Types that accept a name
/// or an object (`cities`, `officials`) deserialize the object through a private struct:
/// the probe offers them an unknown key, and the error `deny_unknown_fields` raises lists
/// that struct's fields.
fn key_paths<T: serde::de::DeserializeOwned>(root: &str) -> BTreeSet<String> {
    let walk = std::cell::RefCell::new(Walk::default());
    for _ in 0..1000 {
        let explored = walk.borrow().explored.len();
        let _ = T::deserialize(Probe { path: root.to_string(), walk: &walk });
        if walk.borrow().explored.len() == explored {
            break;
        }
    }
    let walk = walk.into_inner();
    walk.structs.iter().flat_map(|(path, fields)| fields.iter().map(move |f| format!("{path}.{f}"))).collect()
}

#[derive(Default)]
struct Walk {
    /// The fields of every struct found, by the struct's path.
    structs: BTreeMap<String, &'static [&'static str]>,
    /// Paths whose values need no further walking.
    explored: BTreeSet<String>,
}

/// The deserializer of [`key_paths`]: a value at `path`.
struct Probe<'a> {
    path: String,
    walk: &'a std::cell::RefCell<Walk>,
}

/// Deserializes the value at `path` with `deserialize`, and marks the path explored when
/// that succeeded or failed without exploring anything deeper (so a struct whose first
/// field failed is walked again for its other fields).
fn walk_value<T>(
    walk: &std::cell::RefCell<Walk>,
    path: String,
    deserialize: impl FnOnce(Probe) -> Result<T, ProbeError>,
) -> Result<T, ProbeError> {
    let explored = walk.borrow().explored.len();
    let result = deserialize(Probe { path: path.clone(), walk });
    let mut walk = walk.borrow_mut();
    if result.is_ok() || walk.explored.len() == explored {
        walk.explored.insert(path);
    }
    result
}

/// Why a probed value did not deserialize; `fields` when it was a struct refusing a key.
#[derive(Debug)]
struct ProbeError {
    fields: Option<&'static [&'static str]>,
}

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "probed: {:?}", self.fields)
    }
}

impl std::error::Error for ProbeError {}

impl serde::de::Error for ProbeError {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        ProbeError { fields: None }
    }

    fn unknown_field(_: &str, expected: &'static [&'static str]) -> Self {
        ProbeError { fields: Some(expected) }
    }
}

impl<'de> serde::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    /// A value of a type that decides by what it is given: offered a map with an unknown
    /// key, which a struct with `deny_unknown_fields` refuses by listing its fields.
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        let result = visitor.visit_map(UnknownKey { given: false });
        if let Err(ProbeError { fields: Some(fields) }) = &result {
            self.walk.borrow_mut().structs.insert(self.path, fields);
        }
        result
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_seq(OneElement { path: format!("{}[]", self.path), walk: self.walk, given: false })
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.walk.borrow_mut().structs.insert(self.path.clone(), fields);
        visitor.visit_map(Fields { path: self.path, fields: fields.iter(), walk: self.walk, current: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple tuple_struct map enum identifier ignored_any
    }
}

/// A struct's unexplored fields as a map, each value a [`Probe`].
struct Fields<'a> {
    path: String,
    fields: std::slice::Iter<'static, &'static str>,
    walk: &'a std::cell::RefCell<Walk>,
    current: Option<String>,
}

impl<'de> serde::de::MapAccess<'de> for Fields<'_> {
    type Error = ProbeError;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ProbeError> {
        for field in self.fields.by_ref() {
            let path = format!("{}.{field}", self.path);
            if !self.walk.borrow().explored.contains(&path) {
                self.current = Some(path);
                return seed.deserialize(serde::de::value::StrDeserializer::new(field)).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<S: serde::de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, ProbeError> {
        let path = self.current.take().expect("a key before its value");
        walk_value(self.walk, path, |probe| seed.deserialize(probe))
    }
}

/// A sequence of one [`Probe`], or none once that element is explored.
struct OneElement<'a> {
    path: String,
    walk: &'a std::cell::RefCell<Walk>,
    given: bool,
}

impl<'de> serde::de::SeqAccess<'de> for OneElement<'_> {
    type Error = ProbeError;

    fn next_element_seed<S: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ProbeError> {
        if self.given || self.walk.borrow().explored.contains(&self.path) {
            return Ok(None);
        }
        self.given = true;
        walk_value(self.walk, self.path.clone(), |probe| seed.deserialize(probe)).map(Some)
    }
}

/// A map of one key no struct has (`deny_unknown_fields` refuses it), whose value is null.
struct UnknownKey {
    given: bool,
}

impl<'de> serde::de::MapAccess<'de> for UnknownKey {
    type Error = ProbeError;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ProbeError> {
        if std::mem::replace(&mut self.given, true) {
            return Ok(None);
        }
        seed.deserialize(serde::de::value::StrDeserializer::new("\u{1}not a key")).map(Some)
    }

    fn next_value_seed<S: serde::de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, ProbeError> {
        seed.deserialize(serde::de::value::UnitDeserializer::new())
    }
}

/// Every key path of every source an author writes.
fn source_keys() -> BTreeSet<String> {
    let mut keys = key_paths::<RawReport>("report");
    keys.extend(key_paths::<RawPage>("page"));
    keys.extend(key_paths::<RawPerson>("person"));
    keys.extend(key_paths::<RawCityEntry>("city"));
    keys.extend(
        key_paths::<RawTranslation>("translation").into_iter().filter(|k| !FACTS_OF_TRANSLATIONS.contains(&k.as_str())),
    );
    keys
}

/// What an edit does to its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Change,
    Add,
    Remove,
}
use Kind::{Add, Change, Remove};

/// One edit of the fixture: in `file`, the only occurrence of `from` becomes `to`.
#[derive(Debug)]
struct Edit {
    key: &'static str,
    kind: Kind,
    file: &'static str,
    from: &'static str,
    to: &'static str,
}

const fn edit(key: &'static str, kind: Kind, file: &'static str, from: &'static str, to: &'static str) -> Edit {
    Edit { key, kind, file, from, to }
}

/// An edit of every key: a new value for each, and where an author may leave the key
/// out, adding it where it was not and removing it where it was.
const EDITS: &[Edit] = &[
    // Reports: the top-level keys.
    edit("report.title", Change, FULL, "title: Trade talks in Weihai", "title: Energy talks in Weihai"),
    edit("report.date", Change, FULL, "date: 2021-03-10", "date: 2018-03-10"),
    edit("report.end_date", Change, FULL, "end_date: 2021-03-12", "end_date: 2021-03-14"),
    edit("report.end_date", Remove, FULL, "end_date: 2021-03-12\n", ""),
    edit("report.end_date", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\nend_date: 2021-05-06\n"),
    edit("report.slug", Change, FULL, "slug: trade-talks", "slug: weihai-talks"),
    edit("report.slug", Change, EARLIER, "slug: ambassadors-club", "slug: club"),
    edit("report.slug", Remove, FULL, "slug: trade-talks\n", ""),
    edit("report.slug", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\nslug: courtesy\n"),
    edit("report.summary", Change, FULL, "summary: Talks on trade", "summary: Talks on energy"),
    edit("report.summary", Remove, FULL, "summary: Talks on trade and logistics.\n", ""),
    edit("report.summary", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\nsummary: A short call.\n"),
    edit("report.draft", Change, FULL, "draft: false", "draft: true"),
    edit("report.draft", Remove, PLANNED, "draft: true\n", ""),
    edit("report.draft", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\ndraft: true\n"),
    edit("report.organisation", Change, FULL, "organisation: SCO Secretariat", "organisation: SCO Business Council"),
    edit("report.organisation", Remove, FULL, "organisation: SCO Secretariat\n", ""),
    edit("report.organisation", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\norganisation: SCO Secretariat\n"),
    edit("report.cities", Change, CALL, "cities: [Tashkent]", "cities: [Samarkand]"),
    edit("report.cities", Remove, CALL, "cities: [Tashkent]\n", ""),
    edit("report.cities", Add, EARLIER, "officials:", "cities: [Astana]\nofficials:"),
    edit("report.officials", Change, CALL, "officials: [Aziz Karimov]", "officials: [Sherali Jonon]"),
    edit("report.officials", Remove, CALL, "officials: [Aziz Karimov]\n", ""),
    edit("report.officials", Add, FULL, "  - Vladimir Norov\n", "  - Vladimir Norov\n  - Sherali Jonon\n"),
    edit(
        "report.figures",
        Change,
        FULL,
        FIGURES_OF_FULL,
        "figures:\n  - {label: Investment, value: 5 million, city: Qingdao}\n",
    ),
    edit("report.figures", Remove, FULL, FIGURES_OF_FULL, ""),
    edit(
        "report.figures",
        Add,
        CALL,
        "officials:",
        "figures:\n  - {label: Joint ventures, value: \"1,014\"}\nofficials:",
    ),
    edit("report.topics", Change, FULL, "topics: [trade, logistics]", "topics: [trade, energy]"),
    edit("report.topics", Remove, FULL, "topics: [trade, logistics]\n", ""),
    edit("report.topics", Add, CALL, "date: 2021-05-04\n", "date: 2021-05-04\ntopics: [logistics]\n"),
    edit(
        "report.image",
        Change,
        FULL,
        "image:\n  src: /images/talks.png\n  alt: The delegations at the table\n  caption: Talks in the city hall\n  credit: Weihai press office\n",
        "image: { src: /images/hall.png, alt: The hall }\n",
    ),
    edit(
        "report.gallery",
        Change,
        FULL,
        "gallery:\n  - src: /images/port.png\n    alt: The port\n    caption: The container terminal\n    credit: Port authority\n",
        "gallery: [{ src: /images/hall.png, alt: The hall }, { src: /images/port.png, alt: The port }]\n",
    ),
    edit(
        "report.image",
        Remove,
        FULL,
        "image:\n  src: /images/talks.png\n  alt: The delegations at the table\n  caption: Talks in the city hall\n  credit: Weihai press office\n",
        "",
    ),
    edit(
        "report.image",
        Add,
        CALL,
        "date: 2021-05-04\n",
        "date: 2021-05-04\nimage: { src: /images/hall.png, alt: The hall }\n",
    ),
    edit("report.image.src", Change, FULL, "src: /images/talks.png", "src: /images/hall.png"),
    edit("report.image.alt", Change, FULL, "alt: The delegations at the table", "alt: The two delegations"),
    edit("report.image.caption", Change, FULL, "caption: Talks in the city hall", "caption: Talks in Weihai"),
    edit("report.image.caption", Remove, FULL, "  caption: Talks in the city hall\n", ""),
    edit("report.image.credit", Change, FULL, "credit: Weihai press office", "credit: City press office"),
    edit("report.image.credit", Remove, FULL, "  credit: Weihai press office\n", ""),
    edit(
        "report.gallery",
        Remove,
        FULL,
        "gallery:\n  - src: /images/port.png\n    alt: The port\n    caption: The container terminal\n    credit: Port authority\n",
        "",
    ),
    edit(
        "report.gallery",
        Add,
        CALL,
        "date: 2021-05-04\n",
        "date: 2021-05-04\ngallery: [{ src: /images/port.png, alt: The port }]\n",
    ),
    edit("report.gallery[].src", Change, FULL, "  - src: /images/port.png", "  - src: /images/hall.png"),
    edit("report.gallery[].alt", Change, FULL, "    alt: The port", "    alt: The harbour"),
    edit("report.gallery[].caption", Change, FULL, "caption: The container terminal", "caption: The new terminal"),
    edit("report.gallery[].caption", Remove, FULL, "    caption: The container terminal\n", ""),
    edit("report.gallery[].credit", Change, FULL, "credit: Port authority", "credit: Harbour office"),
    edit("report.gallery[].credit", Remove, FULL, "    credit: Port authority\n", ""),
    edit("report.extra", Change, FULL, "source: https://example.org/news/1", "source: https://example.org/news/2"),
    edit("report.extra", Remove, FULL, "extra:\n  source: https://example.org/news/1\n", ""),
    edit(
        "report.extra",
        Add,
        CALL,
        "date: 2021-05-04\n",
        "date: 2021-05-04\nextra: {source: https://example.org/call}\n",
    ),
    // A report's cities, as objects.
    edit("report.cities[].name", Change, FULL, "  - name: Qingdao", "  - name: Yantai"),
    edit("report.cities[].province", Change, FULL, "    province: Shandong", "    province: Shandong Province"),
    edit("report.cities[].province", Remove, FULL, "    province: Shandong\n", ""),
    edit(
        "report.cities[].country",
        Change,
        FULL,
        "    province: Shandong\n    country: China",
        "    province: Shandong\n    country: People's Republic of China",
    ),
    edit(
        "report.cities[].country",
        Remove,
        FULL,
        "    province: Shandong\n    country: China\n",
        "    province: Shandong\n",
    ),
    edit(
        "report.cities[].country",
        Add,
        CALL,
        "cities: [Tashkent]",
        "cities: [{name: Samarkand, country: Uzbekistan}]",
    ),
    // A report's officials, as objects.
    edit("report.officials[].name", Change, FULL, "  - name: Zhang Ming", "  - name: Li Keqiang"),
    edit("report.officials[].role", Change, FULL, "role: Deputy Mayor", "role: Mayor"),
    edit("report.officials[].role", Remove, FULL, "    role: Deputy Mayor\n", ""),
    edit(
        "report.officials[].role",
        Add,
        CALL,
        "officials: [Aziz Karimov]",
        "officials: [{name: Aziz Karimov, role: Hokim}]",
    ),
    edit(
        "report.officials[].organisation",
        Change,
        FULL,
        "organisation: Weihai People's Government",
        "organisation: Weihai City Committee",
    ),
    edit("report.officials[].organisation", Remove, FULL, "    organisation: Weihai People's Government\n", ""),
    edit(
        "report.officials[].country",
        Change,
        FULL,
        "Government\n    country: China",
        "Government\n    country: Kazakhstan",
    ),
    edit("report.officials[].country", Remove, FULL, "Government\n    country: China\n", "Government\n"),
    edit(
        "report.officials[].country",
        Add,
        CALL,
        "officials: [Aziz Karimov]",
        "officials: [{name: Aziz Karimov, country: Uzbekistan}]",
    ),
    // A report's figures.
    edit("report.figures[].label", Change, FULL, "label: Trade volume", "label: Trade turnover"),
    edit("report.figures[].value", Change, FULL, "value: 360 billion", "value: 1,014"),
    edit("report.figures[].unit", Change, FULL, "unit: USD", "unit: CNY"),
    edit("report.figures[].unit", Remove, FULL, "    unit: USD\n", ""),
    edit("report.figures[].qualifier", Change, FULL, "qualifier: over", "qualifier: up to"),
    edit("report.figures[].qualifier", Remove, FULL, "    qualifier: over\n", ""),
    edit("report.figures[].year", Change, FULL, "year: 2020", "year: 2019"),
    edit("report.figures[].year", Remove, FULL, "    year: 2020\n", ""),
    edit("report.figures[].city", Change, FULL, "    city: Weihai", "    city: Qingdao"),
    edit("report.figures[].city", Remove, FULL, "    city: Weihai\n", ""),
    // Plain pages.
    edit("page.title", Change, ABOUT, "title: About us", "title: About these reports"),
    edit("page.title", Remove, ABOUT, "title: About us\n", ""),
    edit("page.summary", Change, ABOUT, "summary: What these reports are.", "summary: Who writes them."),
    edit("page.summary", Remove, ABOUT, "summary: What these reports are.\n", ""),
    edit("page.draft", Change, ABOUT, "draft: false", "draft: true"),
    edit("page.extra", Change, ABOUT, "contact: press@example.org", "contact: office@example.org"),
    edit("page.extra", Remove, ABOUT, "extra:\n  contact: press@example.org\n", ""),
    // data/people.yaml
    edit("person.name", Change, PEOPLE, "- name: Vladimir Norov", "- name: Vladimir I. Norov"),
    edit("person.aliases", Change, PEOPLE, "aliases: [王鲁明, Mr Wang]", "aliases: [王鲁明, Secretary Wang]"),
    edit("person.aliases", Remove, PEOPLE, "  aliases: [王鲁明, Mr Wang]\n", ""),
    edit(
        "person.aliases",
        Add,
        PEOPLE,
        "- name: Vladimir Norov\n",
        "- name: Vladimir Norov\n  aliases: [Владимир Норов]\n",
    ),
    // A name in another language is matched as an alias: here it takes in Aziz Karimov.
    edit("person.names", Change, PEOPLE, "names: { ru: Ван Лумин }", "names: { ru: Aziz Karimov }"),
    edit("person.country", Change, PEOPLE, "  country: Uzbekistan", "  country: Tajikistan"),
    edit("person.country", Remove, PEOPLE, "  country: Uzbekistan\n", ""),
    edit("person.bio", Change, PEOPLE, "bio: Party Secretary of **Weihai**.", "bio: Party Secretary of *Weihai*."),
    edit("person.bio", Remove, PEOPLE, "  bio: Party Secretary of **Weihai**.\n", ""),
    // A bio by language: the default language's shows.
    edit(
        "person.bio",
        Change,
        PEOPLE,
        "bio: Party Secretary of **Weihai**.",
        "bio: { en: Party Secretary., ru: Секретарь. }",
    ),
    edit("person.bio", Add, PEOPLE, "  country: Uzbekistan\n", "  country: Uzbekistan\n  bio: Uzbek diplomat.\n"),
    edit(
        "person.photo",
        Change,
        PEOPLE,
        "photo: https://example.org/wang.jpg",
        "photo: https://example.org/wang-2019.jpg",
    ),
    edit("person.photo", Remove, PEOPLE, "  photo: https://example.org/wang.jpg\n", ""),
    edit(
        "person.photo",
        Add,
        PEOPLE,
        "  country: Uzbekistan\n",
        "  country: Uzbekistan\n  photo: https://example.org/norov.jpg\n",
    ),
    // data/cities.yaml
    edit("city.name", Change, CITIES, "- name: Tashkent", "- name: Toshkent"),
    edit("city.aliases", Change, CITIES, "aliases: [威海]", "aliases: [威海, Weihai City]"),
    edit("city.aliases", Remove, CITIES, "  aliases: [威海]\n", ""),
    // A name in another language is matched as an alias: here it takes in Qingdao.
    edit("city.names", Change, CITIES, "names: { ru: Вэйхай }", "names: { ru: Qingdao }"),
    edit("city.province", Change, CITIES, "province: Shandong", "province: Shandong Province"),
    edit("city.province", Remove, CITIES, "  province: Shandong\n", ""),
    edit("city.province", Add, CITIES, "- name: Tashkent\n", "- name: Tashkent\n  province: Tashkent Region\n"),
    edit("city.country", Change, CITIES, "  country: Uzbekistan", "  country: Kazakhstan"),
    edit("city.country", Remove, CITIES, "  country: Uzbekistan\n", ""),
    edit("city.lat", Change, CITIES, "lat: 37.51", "lat: 37.5"),
    edit("city.lat", Remove, CITIES, "  lat: 37.51\n", ""),
    edit("city.lat", Add, CITIES, "- name: Tashkent\n", "- name: Tashkent\n  lat: 41.3\n"),
    edit("city.lon", Change, CITIES, "lon: 122.12", "lon: 122.1"),
    edit("city.lon", Remove, CITIES, "  lon: 122.12\n", ""),
    edit(
        "city.description",
        Change,
        CITIES,
        "description: Coastal city in **Shandong**.",
        "description: Port city in **Shandong**.",
    ),
    edit("city.description", Remove, CITIES, "  description: Coastal city in **Shandong**.\n", ""),
    edit(
        "city.description",
        Add,
        CITIES,
        "- name: Tashkent\n",
        "- name: Tashkent\n  description: Capital of Uzbekistan.\n",
    ),
    // Translations: the words they give (their facts are the original's).
    edit("translation.title", Change, VISIT_RU, "title: Визит в Алматы", "title: Поездка в Алматы"),
    edit("translation.summary", Change, VISIT_RU, "summary: Краткий визит.", "summary: Короткий визит."),
    edit("translation.summary", Remove, VISIT_RU, "summary: Краткий визит.\n", ""),
    edit("translation.slug", Change, VISIT_RU, "slug: vizit", "slug: poezdka"),
    edit("translation.slug", Remove, VISIT_RU, "slug: vizit\n", ""),
    edit("translation.draft", Change, VISIT_RU, "draft: false", "draft: true"),
    edit("translation.organisation", Change, VISIT_RU, "organisation: Секретариат ШОС", "organisation: ШОС"),
    edit("translation.organisation", Remove, VISIT_RU, "organisation: Секретариат ШОС\n", ""),
    edit("translation.officials", Change, VISIT_RU, "    role: Посол\n    organisation: МИД\n", ""),
    edit("translation.officials[].role", Change, VISIT_RU, "role: Посол", "role: Чрезвычайный посол"),
    edit("translation.officials[].role", Remove, VISIT_RU, "    role: Посол\n", ""),
    edit("translation.officials[].organisation", Change, VISIT_RU, "organisation: МИД", "organisation: МИД РК"),
    edit("translation.officials[].organisation", Remove, VISIT_RU, "    organisation: МИД\n", ""),
    edit(
        "translation.figures",
        Change,
        VISIT_RU,
        "figures:\n  - label: Инвестиции\n",
        "figures:\n  - label: Вложения\n",
    ),
    edit(
        "translation.figures",
        Remove,
        VISIT_RU,
        "figures:\n  - label: Инвестиции\n    value: 12\n    unit: компаний\n",
        "",
    ),
    edit("translation.figures[].label", Change, VISIT_RU, "label: Инвестиции", "label: Капиталовложения"),
    edit("translation.figures[].unit", Change, VISIT_RU, "unit: компаний", "unit: фирм"),
    edit("translation.figures[].unit", Remove, VISIT_RU, "    unit: компаний\n", ""),
    edit("translation.topics", Change, VISIT_RU, "topics: [инвестиции]", "topics: [вложения]"),
    edit("translation.topics", Remove, VISIT_RU, "topics: [инвестиции]\n", ""),
    edit(
        "translation.image",
        Change,
        VISIT_RU,
        "image:\n  src: /images/talks.png\n  alt: Посол прибывает\n  caption: В аэропорту\n  credit: Пресс-служба\n",
        "image: /images/talks.png\n",
    ),
    edit(
        "translation.gallery",
        Change,
        VISIT_RU,
        "gallery:\n  - src: /images/port.png\n    alt: Ярмарка\n    caption: Павильон\n    credit: Организаторы\n",
        "gallery:\n  - { src: /images/port.png, alt: Выставка }\n",
    ),
    edit(
        "translation.image",
        Remove,
        VISIT_RU,
        "image:\n  src: /images/talks.png\n  alt: Посол прибывает\n  caption: В аэропорту\n  credit: Пресс-служба\n",
        "",
    ),
    edit("translation.image.alt", Change, VISIT_RU, "alt: Посол прибывает", "alt: Прибытие посла"),
    edit("translation.image.alt", Remove, VISIT_RU, "  alt: Посол прибывает\n", ""),
    edit("translation.image.caption", Change, VISIT_RU, "caption: В аэропорту", "caption: На вокзале"),
    edit("translation.image.caption", Remove, VISIT_RU, "  caption: В аэропорту\n", ""),
    edit("translation.image.credit", Change, VISIT_RU, "credit: Пресс-служба", "credit: Фотослужба"),
    edit(
        "translation.gallery",
        Remove,
        VISIT_RU,
        "gallery:\n  - src: /images/port.png\n    alt: Ярмарка\n    caption: Павильон\n    credit: Организаторы\n",
        "",
    ),
    edit("translation.gallery[].alt", Change, VISIT_RU, "alt: Ярмарка", "alt: Выставка"),
    edit("translation.gallery[].caption", Change, VISIT_RU, "caption: Павильон", "caption: Зал"),
    edit("translation.gallery[].credit", Change, VISIT_RU, "credit: Организаторы", "credit: Устроители"),
    edit("translation.extra", Change, VISIT_RU, "source: https://example.org/ru/1", "source: https://example.org/ru/2"),
    edit("translation.extra", Remove, VISIT_RU, "extra:\n  source: https://example.org/ru/1\n", ""),
    edit("page.title", Change, ABOUT_RU, "title: О нас", "title: Об этом сайте"),
    edit("page.summary", Change, ABOUT_RU, "summary: О чём эти доклады.", "summary: Что здесь."),
    edit("page.extra", Change, ABOUT_RU, "contact: press@example.ru", "contact: info@example.ru"),
];

#[test]
fn every_key_of_every_source_type_has_an_edit() {
    let keys = source_keys();
    let changed: BTreeSet<&str> = EDITS.iter().filter(|e| e.kind == Change).map(|e| e.key).collect();
    let missing: Vec<&String> = keys.iter().filter(|k| !changed.contains(k.as_str())).collect();
    assert!(missing.is_empty(), "keys of the source types without an edit that changes them in EDITS: {missing:?}");
    let unknown: Vec<&str> = EDITS.iter().map(|e| e.key).filter(|k| !keys.contains(*k)).collect();
    assert!(unknown.is_empty(), "EDITS names keys no source type has: {unknown:?} (the types have {keys:?})");
}

/// Applies `edit` to a fresh fixture served by a fresh [`Pipeline`], and says how the
/// pages served after the rebuild differ from those of a full build, if they do.
fn serve_differs_from_build(edit: &Edit, before: &Pages) -> Option<String> {
    let site = fixture();
    let mut rebuilder = Pipeline::open(site.root(), BuildOptions::default()).expect("a site root");
    assert!(matches!(rebuilder.build(), Outcome::Built(_)), "the fixture does not build in serve");
    let text = site.read(edit.file);
    assert_eq!(text.matches(edit.from).count(), 1, "{edit:?}: the file does not hold `from` exactly once");
    site.write(edit.file, &text.replacen(edit.from, edit.to, 1));
    let mut changes = ChangeSet::default();
    if edit.file.starts_with("data/") {
        changes.registries = true;
    } else {
        changes.content.insert(site.path(edit.file));
    }
    let built =
        built_pages(&site).unwrap_or_else(|errors| panic!("{edit:?}: the edited site does not build:\n{errors}"));
    assert!(&built != before, "{edit:?} changes no page, so it proves nothing");
    match rebuilder.rebuild(&changes) {
        Outcome::Built(_) => {}
        Outcome::Unchanged => return Some("serve saw no change".to_string()),
        Outcome::Failed(diags) => return Some(format!("serve failed: {:?}", diags.sorted())),
    }
    let served = served_pages(&rebuilder);
    let differing: Vec<&String> = built
        .keys()
        .chain(served.keys())
        .filter(|k| built.get(*k) != served.get(*k))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    (!differing.is_empty()).then(|| format!("pages differ from a full build: {differing:?}"))
}

#[test]
fn an_edit_of_every_key_serves_what_a_full_build_writes() {
    let before = built_pages(&fixture()).unwrap_or_else(|errors| panic!("the fixture does not build:\n{errors}"));
    let differences = on_every_edit(|edit| serve_differs_from_build(edit, &before));
    let failures: Vec<String> = EDITS
        .iter()
        .zip(differences)
        .filter_map(|(edit, difference)| {
            Some(format!("{} ({:?}) in {}: {}", edit.key, edit.kind, edit.file, difference?))
        })
        .collect();
    assert!(failures.is_empty(), "serve differs from build:\n{}", failures.join("\n"));
}

/// `check` of every edit of [`EDITS`], in order, on two threads: each edit builds its own
/// site three times, and the test should stay quick on CI's two cores.
fn on_every_edit<T: Send>(check: impl Fn(&Edit) -> T + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let worker = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(edit) = EDITS.get(i) else { return done };
                done.push((i, check(edit)));
            }
        };
        let workers = [scope.spawn(worker), scope.spawn(worker)];
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Serves the fixture with `translation` as the Russian translation of the visit, then
/// saves it with its body's first line replaced by `line` and a paragraph added: the
/// outcome, and whether the pages served then equal a full build's and those before.
fn edit_translation_body(translation: &str, line: &str) -> (Outcome, bool, bool) {
    let site = fixture().file(VISIT_RU, translation);
    let mut rebuilder = Pipeline::open(site.root(), BuildOptions::default()).expect("a site root");
    assert!(matches!(rebuilder.build(), Outcome::Built(_)), "the fixture does not build in serve");
    let before = served_pages(&rebuilder);
    let first = "Алия Сеитова посетила Алматы, как и на [встрече](@/reports/earlier.md).";
    let edited = translation.replacen(first, &format!("{line}\n\nЕщё один абзац."), 1);
    assert_ne!(edited, translation);
    site.write(VISIT_RU, &edited);
    let changes = ChangeSet { content: [site.path(VISIT_RU)].into_iter().collect(), ..ChangeSet::default() };
    let outcome = rebuilder.rebuild(&changes);
    let served = served_pages(&rebuilder);
    (outcome, built_pages(&site).is_ok_and(|built| built == served), served == before)
}

#[test]
fn a_translations_body_is_edited_in_place_and_serves_what_a_full_build_writes() {
    let unsummarised = VISIT_TRANSLATION.replacen("summary: Краткий визит.\n", "", 1);
    for (translation, line) in [
        (VISIT_TRANSLATION, "Алия Сеитова прибыла в Алматы."),
        // Without a summary, lists show the first paragraph: they change too.
        (unsummarised.as_str(), "Алия Сеитова прибыла в Алматы, как и на [встрече](@/reports/earlier.md)."),
    ] {
        let (outcome, same, _) = edit_translation_body(translation, line);
        let Outcome::Built(built) = outcome else { panic!("the edit failed") };
        assert!(!built.resolved, "a translation's body edit resolved the whole site");
        assert!(same, "serve differs from a full build after a translation's body edit");
    }
    // A link to nothing fails, and the site as it was is still served.
    let (outcome, _, unchanged) = edit_translation_body(VISIT_TRANSLATION, "См. [ничто](@/reports/nothing.md).");
    let Outcome::Failed(diags) = outcome else { panic!("a broken link in a translation's body was served") };
    assert!(diags.sorted().iter().any(|d| d.render(std::path::Path::new("")).contains("nothing.md")));
    assert!(unchanged, "a failed edit of a translation's body changed what is served");
}

/// After an edit that resolves the site, the edited report's page in the default
/// language goes before the reload alone; its page in each other language comes next,
/// once the editions are made; every other page of every language after that.
#[test]
fn after_a_resolve_the_edited_reports_page_goes_first_then_its_other_languages_then_the_rest() {
    let site = fixture();
    let mut rebuilder = Pipeline::open(site.root(), BuildOptions::default()).expect("a site root");
    assert!(matches!(rebuilder.build(), Outcome::Built(_)), "the fixture does not build in serve");
    // A new official: a new person, so a resolve, and pages to render in both languages.
    let text = site.read(VISIT);
    site.write(VISIT, &text.replacen("officials:\n", "officials:\n  - name: Daniyar Abenov\n", 1));
    let changes = ChangeSet { content: [site.path(VISIT)].into_iter().collect(), ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the edit failed") };
    let own = ["reports/visit/index.html", "ru/reports/vizit/index.html"];
    let shows_the_edit = |rebuilder: &Pipeline, page: &str| {
        String::from_utf8_lossy(&served_pages(rebuilder)[page]).contains("Daniyar Abenov")
    };
    assert!(!built.following.holds(own[0]), "{} waits for after the reload", own[0]);
    assert!(shows_the_edit(&rebuilder, own[0]), "{} is served without the edit before the reload", own[0]);
    assert!(built.following.holds(own[1]), "{} does not wait for the editions", own[1]);
    let Some(Outcome::Built(editions)) = rebuilder.render_following() else { panic!("the editions failed") };
    assert!(!editions.following.holds(own[1]), "{} waits for the pages the edit touches", own[1]);
    assert!(shows_the_edit(&rebuilder, own[1]), "{} is served without the edit", own[1]);
    for page in ["ru/people/daniyar-abenov/index.html", "people/daniyar-abenov/index.html", "ru/index.html"] {
        assert!(editions.following.holds(page), "{page} does not follow: {:?}", editions.following);
    }
    assert!(matches!(rebuilder.render_following(), Some(Outcome::Built(_))));
    let _ = rebuilder.refresh_derived(&|| false);
    let (served, built) = (served_pages(&rebuilder), built_pages(&site).expect("the edited site builds"));
    let differing: Vec<&String> =
        built.keys().chain(served.keys()).filter(|k| built.get(*k) != served.get(*k)).collect();
    assert!(differing.is_empty(), "pages differ from a full build: {differing:?}");
    // A translation's new title: its page in its language goes first, the lists follow.
    site.write(VISIT_RU, &site.read(VISIT_RU).replacen("title: Визит в Алматы", "title: Поездка в Алматы", 1));
    let changes = ChangeSet { content: [site.path(VISIT_RU)].into_iter().collect(), ..ChangeSet::default() };
    let Outcome::Built(built) = rebuilder.rebuild_pages(&changes) else { panic!("the edit failed") };
    assert!(!built.following.holds(own[1]), "the translation's page waits: {:?}", built.following);
    assert!(built.following.holds("ru/index.html"), "{:?}", built.following);
}
