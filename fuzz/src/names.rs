//! Fuzz target: name normalisation. Each line of the input is a name: its identity key,
//! display form and slug are made (checking the slug is a safe path segment or empty, as
//! `model::names` promises), then the lines become the people (even lines) and cities
//! (odd lines) of registries beside the example site's reports, and the site is
//! resolved: identities merge by key, slugs are checked for clashes and length, and the
//! lint looks for lookalike names (`Wang Lu-ming` / `Wang Luming`, one letter apart).

use communique::config::SiteConfig;
use communique::load::Located;
use communique::load::raw::{RawCityEntry, RawPerson};
use communique::model::names;
use communique::{Diagnostics, model};

/// More names than this add nothing a shorter input does not reach.
const MAX_NAMES: usize = 64;

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let mut people = Vec::new();
    let mut cities = Vec::new();
    for (index, name) in text.lines().take(MAX_NAMES).enumerate() {
        let _ = names::name_key(name);
        let _ = names::display_name(name);
        let slug = names::slugify(name);
        assert!(slug.is_empty() || names::is_valid_slug(&slug), "{name:?} made the unsafe slug {slug:?}");
        let line = index + 1;
        if index % 2 == 0 {
            let value = RawPerson {
                name: name.to_string(),
                aliases: vec![],
                names: Default::default(),
                country: None,
                bio: None,
                photo: None,
            };
            people.push(Located { path: "data/people.yaml".into(), line, value });
        } else {
            let value = RawCityEntry {
                name: name.to_string(),
                aliases: vec![],
                names: Default::default(),
                province: None,
                country: None,
                lat: None,
                lon: None,
                description: None,
            };
            cities.push(Located { path: "data/cities.yaml".into(), line, value });
        }
    }
    let sources = super::example_sources(people, cities);
    let mut diags = Diagnostics::new();
    let site = model::resolve::resolve(sources, &SiteConfig::default(), false, &mut diags);
    for entity_slug in site.people.iter().map(|p| &p.slug).chain(site.cities.iter().map(|c| &c.slug)) {
        // A name with nothing to make a slug from is an error, never a page at the root.
        let safe = names::is_valid_slug(entity_slug) || entity_slug.is_empty() && diags.has_errors();
        assert!(safe, "an entity got the unsafe slug {entity_slug:?}");
    }
}
