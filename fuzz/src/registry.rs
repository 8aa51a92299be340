//! Fuzz target: the registries. The input is `people.yaml`, a NUL byte, then
//! `cities.yaml`; both are parsed by `load::parse_registry` as a build reads
//! `data/*.yaml`, resolved with the example site's reports (which name Weihai, Qingdao,
//! Wang Luming and others, so registry names, aliases and countries are matched against
//! them), and every bio, description and report body is rendered, with the registry's
//! names and aliases as the autolinks. Checks that each entry and error points inside
//! its file.

use super::assert_located_in;
use communique::config::SiteConfig;
use communique::load::raw::{CITY_KEYS, PERSON_KEYS, RawCityEntry, RawPerson};
use communique::load::{self, Located};
use communique::{Diagnostics, model, render};

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let (people_bytes, cities_bytes) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &[][..]),
    };
    let (Ok(people_text), Ok(cities_text)) = (load::decode_text(people_bytes), load::decode_text(cities_bytes)) else {
        return;
    };
    let mut diags = Diagnostics::new();
    let people = parsed::<RawPerson>("data/people.yaml", &people_text, PERSON_KEYS, &mut diags);
    let cities = parsed::<RawCityEntry>("data/cities.yaml", &cities_text, CITY_KEYS, &mut diags);
    let sources = super::example_sources(people, cities);
    let site = model::resolve::resolve(sources, &SiteConfig::default(), false, &mut diags);
    let _ = render::render_bodies(&site, None, &mut diags);
    for diagnostic in diags.iter() {
        match diagnostic.path.as_str() {
            "data/people.yaml" => assert_located_in(diagnostic, &people_text),
            "data/cities.yaml" => assert_located_in(diagnostic, &cities_text),
            _ => {}
        }
    }
}

/// The registry's entries (each located inside the text), or none with the error in `diags`.
fn parsed<T: serde::de::DeserializeOwned + Clone + Send + Sync>(
    path: &str,
    text: &str,
    keys: &[&str],
    diags: &mut Diagnostics,
) -> Vec<Located<T>> {
    match load::parse_registry::<T>(path, text, keys) {
        Ok(entries) => {
            for entry in &entries {
                assert!((1..=text.lines().count()).contains(&entry.line), "entry at line {}", entry.line);
            }
            entries
        }
        Err(diagnostic) => {
            assert_located_in(&diagnostic, text);
            diags.push(diagnostic);
            Vec::new()
        }
    }
}
