//! schema.org structured data (JSON-LD) for report, person and city pages, so search
//! engines know a page is a news article about these people and places. URLs are
//! absolute (from `base_url`) or left out when the site has none.
//!
//! The JSON is written to sit inside a `<script>` element, where the HTML parser, not a
//! JSON parser, decides where the element ends: see [`script_safe`].

use serde_json::{Value, json};

use super::pages::Route;
use super::route;
use super::view::{self, Bodies};
use crate::model::{CityId, PersonId, ReportId, Site};

/// The JSON-LD of the page at `route`, ready to sit inside a `<script>` element; `None`
/// for pages without structured data.
pub fn json_ld(site: &Site, bodies: &Bodies, route: Route) -> Option<String> {
    let value = match route {
        Route::Report(id) => report(site, bodies, id),
        Route::Person(id, _) => person(site, id),
        Route::City(id, _) => city(site, id),
        _ => return None,
    };
    Some(script_safe(&value))
}

/// `value` as JSON that cannot end or change the `<script>` element holding it: `<`,
/// `>` and `&` are written as `\u003c`, `\u003e` and `\u0026` (as Go's `encoding/json`
/// does), so no text (`</script`, `<!--`, `<script`) can close the element or switch the
/// HTML parser into the states where `<!-- <script>` swallows the rest of the page. U+2028
/// and U+2029 are escaped too, for parsers that read the JSON as JavaScript. These
/// characters only occur inside JSON strings, where the escapes mean the same characters.
fn script_safe(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The absolute URL of a site path, when the site has a `base_url`.
fn url(site: &Site, path: &str) -> Option<String> {
    let base = site.config.base_url.trim();
    (!base.is_empty()).then(|| format!("{}/{}", base.trim_end_matches('/'), path))
}

/// Adds `"url"` to `value` when the site has a `base_url`.
fn with_url(mut value: Value, site: &Site, path: &str) -> Value {
    if let (Some(url), Some(map)) = (url(site, path), value.as_object_mut()) {
        map.insert("url".into(), Value::String(url));
    }
    value
}

fn person_ref(site: &Site, id: PersonId) -> Value {
    with_url(json!({ "@type": "Person", "name": site.person(id).name }), site, &route::person(site, id))
}

fn city_ref(site: &Site, id: CityId) -> Value {
    with_url(json!({ "@type": "City", "name": site.city(id).name }), site, &route::city(site, id))
}

fn report(site: &Site, bodies: &Bodies, id: ReportId) -> Value {
    let r = site.report(id);
    let summary = r.summary.as_deref().unwrap_or(&bodies.reports[id.index()].first_paragraph);
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": r.title,
        "inLanguage": site.config.language,
        "datePublished": r.date.to_string(),
        "dateCreated": r.date.to_string(),
        "about": r.cities.iter().map(|c| city_ref(site, *c)).collect::<Vec<_>>(),
        "mentions": r.officials.iter().map(|a| person_ref(site, a.person)).collect::<Vec<_>>(),
    });
    if !summary.is_empty() {
        value["description"] = Value::String(summary.to_string());
    }
    if let Some(org) = &r.organisation {
        value["publisher"] = json!({ "@type": "Organization", "name": org });
    }
    // Article rich results ask for an author: the organisation reporting, else the site.
    let author = r.organisation.as_deref().unwrap_or(&site.config.title);
    value["author"] = json!({ "@type": "Organization", "name": author });
    let images = report_images(site, id);
    if !images.is_empty() {
        value["image"] = json!(images);
    }
    with_url(value, site, &route::report(site, id))
}

/// Absolute addresses (with `base_url`) of the widest file of a report's featured image
/// and gallery photos, as search engines take them for a rich result.
fn report_images(site: &Site, id: ReportId) -> Vec<String> {
    let r = site.report(id);
    let widest = r.image.iter().chain(&r.gallery).filter_map(|i| site.media.images.get(&i.file)?.last());
    widest.filter_map(|file| url(site, &file.path)).collect()
}

fn person(site: &Site, id: PersonId) -> Value {
    let p = site.person(id);
    let mut value = json!({ "@context": "https://schema.org", "@type": "Person", "name": p.name });
    if let Some(role) = view::latest_role(site, id) {
        value["jobTitle"] = Value::String(role.to_string());
    }
    let organisation = p.reports.iter().find_map(|r| {
        site.report(*r)
            .officials
            .iter()
            .find(|a| a.person == id && a.role.is_some())
            .and_then(|a| a.organisation.as_ref())
    });
    if let Some(org) = organisation {
        value["affiliation"] = json!({ "@type": "Organization", "name": org });
    }
    if let Some(country) = p.country {
        value["nationality"] = json!({ "@type": "Country", "name": site.country(country).name });
    }
    if !p.aliases.is_empty() {
        value["alternateName"] = json!(p.aliases);
    }
    with_url(value, site, &route::person(site, id))
}

fn city(site: &Site, id: CityId) -> Value {
    let c = site.city(id);
    let mut value = json!({ "@context": "https://schema.org", "@type": "City", "name": c.name });
    if let (Some(lat), Some(lon)) = (c.lat, c.lon) {
        value["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
    }
    if let Some(country) = c.country {
        value["containedInPlace"] = json!({ "@type": "Country", "name": site.country(country).name });
    }
    if !c.aliases.is_empty() {
        value["alternateName"] = json!(c.aliases);
    }
    with_url(value, site, &route::city(site, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_has_no_angle_brackets_and_reads_back_the_same() {
        let title = "a <!-- <script> </script> & \\<b> \u{2028}";
        let value = json!({ "headline": title });
        let json = script_safe(&value);
        assert!(!json.contains(['<', '>', '&', '\u{2028}']), "{json}");
        assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), value);
    }
}
