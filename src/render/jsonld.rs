//! schema.org structured data (JSON-LD) for report, person and city pages, so search
//! engines know a page is a news article about these people and places. URLs are
//! absolute (from `base_url`) or left out when the site has none.

use serde_json::{Value, json};

use super::Route;
use super::route;
use super::view::{self, Bodies};
use crate::model::{CityId, PersonId, ReportId, Site};

/// The JSON-LD of the page at `route`, ready to sit inside a `<script>` element; `None`
/// for pages without structured data.
pub fn json_ld(site: &Site, bodies: &Bodies, route: Route) -> Option<String> {
    let value = match route {
        Route::Report(id) => report(site, bodies, id),
        Route::Person(id) => person(site, id),
        Route::City(id) => city(site, id),
        _ => return None,
    };
    // `</script>` inside a string would end the element early.
    Some(value.to_string().replace("</", "<\\/"))
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
    with_url(value, site, &route::report(site, id))
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
