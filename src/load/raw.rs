//! Serde input types for front matter and registries, exactly as authors write them.
//!
//! Every struct denies unknown keys. Fields that accept two shapes (a name or an object;
//! a number or "360 billion") use hand-written visitors instead of `#[serde(untagged)]`,
//! so errors keep the YAML location and say what was wrong.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::diag::msg;
use crate::figure::{Qualifier, parse_value};

/// Front matter of a report (`content/reports/**.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    #[serde(deserialize_with = "words")]
    pub title: String,
    pub date: IsoDate,
    #[serde(default)]
    pub end_date: Option<IsoDate>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub cities: Vec<RawCity>,
    #[serde(default)]
    pub officials: Vec<RawOfficial>,
    #[serde(default)]
    pub figures: Vec<RawFigure>,
    #[serde(default)]
    pub topics: Vec<String>,
    /// The featured image.
    #[serde(default)]
    pub image: Option<RawImage>,
    /// More photos of the report, in order.
    #[serde(default)]
    pub gallery: Vec<RawImage>,
    #[serde(default)]
    pub extra: Option<serde_yaml::Value>,
}

/// Every key of a report's front matter, for did-you-mean hints.
pub const REPORT_KEYS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "slug",
    "summary",
    "draft",
    "organisation",
    "cities",
    "officials",
    "figures",
    "topics",
    "image",
    "gallery",
    "extra",
];

/// Front matter of a report's translation (`content/reports/a.ru.md` beside `a.md`): the
/// words are its own, the facts the original's. It gives `title` and may give `summary`,
/// `slug` and `draft`; the facts it may repeat (to translate a role, a figure label, a
/// unit word) must agree with the original's, which resolve checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    #[serde(deserialize_with = "words")]
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub date: Option<IsoDate>,
    #[serde(default)]
    pub end_date: Option<IsoDate>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub cities: Option<Vec<RawCity>>,
    #[serde(default)]
    pub officials: Option<Vec<RawOfficial>>,
    #[serde(default)]
    pub figures: Option<Vec<RawFigure>>,
    #[serde(default)]
    pub topics: Option<Vec<String>>,
    /// The original's featured image (the same `src`) in this language's words.
    #[serde(default)]
    pub image: Option<RawImage>,
    /// Images of the original's gallery, each named by its `src`, in this language's words.
    #[serde(default)]
    pub gallery: Option<Vec<RawImage>>,
    #[serde(default)]
    pub extra: Option<serde_yaml::Value>,
}

/// Every key of a translation's front matter, for did-you-mean hints.
pub const TRANSLATION_KEYS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "draft",
    "date",
    "end_date",
    "organisation",
    "cities",
    "officials",
    "figures",
    "topics",
    "image",
    "gallery",
    "extra",
];

/// Front matter of a plain page (any other `content/**.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    #[serde(default, deserialize_with = "optional_words")]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub extra: Option<serde_yaml::Value>,
}

pub const PAGE_KEYS: &[&str] = &["title", "summary", "draft", "extra"];

/// A `title` or `name`, refused when blank: a report would get an empty heading and
/// `<title>`, a person or city a page without a name.
pub(crate) fn words<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    // A visitor, so the error is raised while the scalar's location is known.
    deserializer.deserialize_str(WordsVisitor)
}

/// [`words`] for a key that may be left out or empty (`title:` of a page).
pub(crate) fn optional_words<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Words(String);
    impl<'de> Deserialize<'de> for Words {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            words(deserializer).map(Words)
        }
    }
    Ok(Option::<Words>::deserialize(deserializer)?.map(|words| words.0))
}

struct WordsVisitor;

impl Visitor<'_> for WordsVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
        match text.trim().is_empty() {
            true => Err(E::custom(msg!("must not be empty"))),
            false => Ok(text.to_string()),
        }
    }
}

/// A calendar date written as `YYYY-MM-DD`, quoted or not ([`crate::date::parse_iso_date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(pub NaiveDate);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor, so the error is raised while the scalar's location is known.
        deserializer.deserialize_str(IsoDateVisitor)
    }
}

struct IsoDateVisitor;

impl Visitor<'_> for IsoDateVisitor {
    type Value = IsoDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    // The YAML reader hands every scalar over as text, `2019-04-02` as written whether
    // quoted or not (it makes no timestamps), so this one check sees exactly what the
    // author wrote.
    fn visit_str<E: de::Error>(self, text: &str) -> Result<IsoDate, E> {
        crate::date::parse_iso_date(text).map(IsoDate).map_err(E::custom)
    }
}

/// An image in front matter: `{ src, alt, caption, credit }`, or its path alone (which
/// resolve then reports for its missing `alt`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawImage {
    /// Relative to the report's folder, or a site path (`/images/a.jpg`: static/images/a.jpg).
    pub src: String,
    /// What the picture shows, for readers who cannot see it; `""` marks it decorative.
    pub alt: Option<String>,
    pub caption: Option<String>,
    /// Who took it or owns it (`Photo: Xinhua`).
    pub credit: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImageObject {
    src: String,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
}

impl<'de> Deserialize<'de> for RawImage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NameOrObject::<RawImageObject>::new("an image path or { src, alt, caption, credit }"))
            .map(|either| match either {
                Either::Name(src) => RawImage { src, ..RawImage::default() },
                Either::Object(o) => RawImage { src: o.src, alt: o.alt, caption: o.caption, credit: o.credit },
            })
    }
}

/// A city in a report: a name, or an object that also gives province and country.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCity {
    pub name: String,
    pub province: Option<String>,
    pub country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCityObject {
    #[serde(deserialize_with = "words")]
    name: String,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

impl<'de> Deserialize<'de> for RawCity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NameOrObject::<RawCityObject>::new("a city name or { name, province, country }"))
            .map(|either| match either {
                Either::Name(name) => RawCity { name, province: None, country: None },
                Either::Object(o) => RawCity { name: o.name, province: o.province, country: o.country },
            })
    }
}

/// An official in a report: a name, or an object with role, organisation and country.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOfficial {
    pub name: String,
    /// Shared with the resolved reports (`model::Appearance`): a resolve copies no text.
    pub role: Option<std::sync::Arc<str>>,
    pub organisation: Option<std::sync::Arc<str>>,
    pub country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOfficialObject {
    #[serde(deserialize_with = "words")]
    name: String,
    #[serde(default)]
    role: Option<std::sync::Arc<str>>,
    #[serde(default)]
    organisation: Option<std::sync::Arc<str>>,
    #[serde(default)]
    country: Option<String>,
}

impl<'de> Deserialize<'de> for RawOfficial {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NameOrObject::<RawOfficialObject>::new(
                "a person's name or { name, role, organisation, country }",
            ))
            .map(|either| match either {
                Either::Name(name) => RawOfficial { name, role: None, organisation: None, country: None },
                Either::Object(o) => {
                    RawOfficial { name: o.name, role: o.role, organisation: o.organisation, country: o.country }
                }
            })
    }
}

enum Either<T> {
    Name(String),
    Object(T),
}

/// Accepts a string or a map; the map goes through `T`'s own derived Deserialize, so its
/// unknown-field errors keep their location.
struct NameOrObject<T> {
    expecting: &'static str,
    marker: std::marker::PhantomData<T>,
}

impl<T> NameOrObject<T> {
    fn new(expecting: &'static str) -> Self {
        NameOrObject { expecting, marker: std::marker::PhantomData }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for NameOrObject<T> {
    type Value = Either<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        WordsVisitor.visit_str(v).map(Either::Name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Either::Object)
    }
}

/// A figure quoted in a report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    /// Shared (`Arc`) with the resolved figures: 10,000 reports have 40,000 of them,
    /// made again by each resolve of `serve`.
    pub label: std::sync::Arc<str>,
    pub value: FigureValue,
    #[serde(default)]
    pub unit: Option<std::sync::Arc<str>>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
}

/// A registry text (a bio, a description): in the default language, or a map of language
/// tag to text (`{ en: ..., ru: ... }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Localized {
    One(String),
    ByLanguage(BTreeMap<String, String>),
}

impl Localized {
    /// The text in `language`, where `default` is the site's default language: a text
    /// given without languages is the default language's.
    pub fn get(&self, language: &str, default: &str) -> Option<&str> {
        match self {
            Localized::One(text) => (language == default).then_some(text.as_str()),
            Localized::ByLanguage(texts) => texts.get(language).map(String::as_str),
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocalizedVisitor)
    }
}

struct LocalizedVisitor;

impl<'de> Visitor<'de> for LocalizedVisitor {
    type Value = Localized;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text, or a map of language to text ({ en: ..., ru: ... })")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Localized, E> {
        Ok(Localized::One(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Localized, A::Error> {
        let mut texts = BTreeMap::new();
        while let Some((language, text)) = map.next_entry::<String, String>()? {
            texts.insert(language, text);
        }
        Ok(Localized::ByLanguage(texts))
    }
}

/// A figure's value: a YAML number, or a string such as `360 billion` or `1,014`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureValue(pub f64);

impl<'de> Deserialize<'de> for FigureValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FigureValueVisitor)
    }
}

struct FigureValueVisitor;

impl Visitor<'_> for FigureValueVisitor {
    type Value = FigureValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, or a number with thousand/million/billion/trillion")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FigureValue, E> {
        Ok(FigureValue(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FigureValue, E> {
        Ok(FigureValue(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FigureValue, E> {
        finite(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FigureValue, E> {
        match parse_value(v) {
            Some(n) => finite(n),
            None => Err(E::custom(msg!("value \"{v}\" is not a number (write e.g. 1014, \"1,014\", \"5.8 billion\")"))),
        }
    }
}

fn finite<E: de::Error>(v: f64) -> Result<FigureValue, E> {
    if v.is_finite() { Ok(FigureValue(v)) } else { Err(E::custom(msg!("value must be a finite number"))) }
}

/// An entry of `data/people.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    #[serde(deserialize_with = "words")]
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The name in each of the site's other languages (also matched as aliases).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub bio: Option<Localized>,
    #[serde(default)]
    pub photo: Option<String>,
}

pub const PERSON_KEYS: &[&str] = &["name", "aliases", "names", "country", "bio", "photo"];

/// An entry of `data/cities.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCityEntry {
    #[serde(deserialize_with = "words")]
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The name in each of the site's other languages (also matched as aliases).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub description: Option<Localized>,
}

pub const CITY_KEYS: &[&str] = &["name", "aliases", "names", "province", "country", "lat", "lon", "description"];

#[cfg(test)]
mod tests {
    use super::*;

    fn report(yaml: &str) -> Result<RawReport, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn cities_and_officials_accept_names_and_objects() {
        let r = report(
            "title: T\ndate: 2019-04-02\ncities: [Weihai, {name: Qingdao, province: Shandong}]\n\
             officials:\n  - {name: Vladimir Norov, role: SCO Secretary-General}\n  - Zhang Xiaobing\n",
        )
        .unwrap();
        assert_eq!(r.cities[1].province.as_deref(), Some("Shandong"));
        assert_eq!(r.officials[0].role.as_deref(), Some("SCO Secretary-General"));
        assert_eq!(r.officials[1].name, "Zhang Xiaobing");
    }

    #[test]
    fn figure_values_parse_numbers_and_magnitudes() {
        let r = report(
            "title: T\ndate: 2019-04-02\nfigures:\n  - {label: GDP, value: 360 billion}\n  - {label: JV, value: \"1,014\"}\n  - {label: X, value: 5.8}\n",
        )
        .unwrap();
        let values: Vec<f64> = r.figures.iter().map(|f| f.value.0).collect();
        assert_eq!(values, [360e9, 1014.0, 5.8]);
    }

    #[test]
    fn errors_keep_their_location_and_field_path() {
        let err = report("title: T\ndate: 2019-04-02\nofficials:\n  - name: A\n  - name: B\n    rol: x\n").unwrap_err();
        let loc = err.location().unwrap();
        assert_eq!(loc.line(), 6);
        assert!(err.to_string().contains("officials[1]: unknown field `rol`"), "{err}");

        let err = report("title: T\ndate: 2019-04-02\nfigures:\n  - label: GDP\n    value: lots\n").unwrap_err();
        assert_eq!(err.location().unwrap().line(), 5);
        assert!(err.to_string().contains("value \"lots\" is not a number"), "{err}");

        let err = report("title: T\ndate: 2019-02-30\n").unwrap_err();
        assert_eq!(err.location().unwrap().line(), 2);
    }

    #[test]
    fn dates_are_yyyy_mm_dd_quoted_or_not_and_nothing_else() {
        for written in ["2019-01-05", "\"2019-01-05\"", "'2019-01-05'", "2019-01-05 # a comment"] {
            let r = report(&format!("title: T\ndate: {written}\nend_date: {written}\n")).unwrap();
            assert_eq!(
                (r.date.0.to_string(), r.end_date.unwrap().0.to_string()),
                ("2019-01-05".into(), "2019-01-05".into())
            );
            let t: RawTranslation = serde_yaml::from_str(&format!("title: T\ndate: {written}\n")).unwrap();
            assert_eq!(t.date.unwrap().0.to_string(), "2019-01-05");
        }
        for lenient in ["2019-1-5", "\"2019-1-5\"", "21-1-1", "+2021-01-06", "2021-01-5", "20210-01-05", "2021-01-05x"]
        {
            let err = report(&format!("title: T\ndate: {lenient}\n")).unwrap_err();
            assert_eq!(err.location().map(|l| (l.line(), l.column())), Some((2, 7)), "{lenient}");
            assert!(err.to_string().starts_with("date: \""), "{err}");
            assert!(err.to_string().contains("is not a date written YYYY-MM-DD"), "{err}");
            let err = report(&format!("title: T\ndate: 2019-01-05\nend_date: {lenient}\n")).unwrap_err();
            assert!(err.to_string().starts_with("end_date: \""), "{err}");
            let err = serde_yaml::from_str::<RawTranslation>(&format!("title: T\ndate: {lenient}\n")).unwrap_err();
            assert!(err.to_string().contains("is not a date written YYYY-MM-DD"), "{err}");
        }
    }

    #[test]
    fn qualifiers_include_up_to() {
        let r = report("title: T\ndate: 2019-04-02\nfigures: [{label: a, value: 1, qualifier: up to}]\n").unwrap();
        assert_eq!(r.figures[0].qualifier, Some(Qualifier::UpTo));
        assert!(report("title: T\ndate: 2019-04-02\nfigures: [{label: a, value: 1, qualifier: around}]\n").is_err());
    }
}
