//! What one resolve keeps for the next: `serve` resolves the whole site again after every
//! edit that moves a report or changes the entities it names, and most of that work is
//! the same as the last time. The [`Memory`] keeps, for each report file still as it was
//! read (the same parsed file, by identity), its slug and the names it gives as
//! interned numbers; the lint's spellings of every name and its last look-alike pairs
//! ([`super::lint::LintMemory`]). A resolve with a memory gives exactly the site a
//! resolve without one gives: the memory only spares recomputing what is known.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::load::Parsed;
use crate::load::raw::RawReport;

/// A name as written in a report (an official's, a city's, a country's or a topic's),
/// interned: one text has one number for as long as the memory lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Written(pub u32);

impl Written {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Every name text met so far, numbered.
#[derive(Default)]
pub struct Interner {
    numbers: ahash::AHashMap<Arc<str>, Written>,
    count: u32,
}

impl Interner {
    /// The number of `text`, given it when new.
    pub fn intern(&mut self, text: &str) -> Written {
        if let Some(written) = self.numbers.get(text) {
            return *written;
        }
        let written = Written(self.count);
        self.count += 1;
        self.numbers.insert(Arc::from(text), written);
        written
    }

    /// How many texts have numbers (every number is below it).
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The names report front matter gives, interned, in the order of its lists: each
/// city with its country, each official with theirs, each topic, each figure's city.
#[derive(Debug, PartialEq)]
pub struct ReportNames {
    pub cities: Vec<(Written, Option<Written>)>,
    pub officials: Vec<(Written, Option<Written>)>,
    pub topics: Vec<Written>,
    pub figure_cities: Vec<Option<Written>>,
}

impl ReportNames {
    fn of(parsed: &Parsed<RawReport>, interner: &mut Interner) -> ReportNames {
        let meta = &parsed.meta;
        let mut country = |c: &Option<String>| c.as_deref().map(|c| interner.intern(c));
        let city_countries: Vec<Option<Written>> = meta.cities.iter().map(|c| country(&c.country)).collect();
        let official_countries: Vec<Option<Written>> = meta.officials.iter().map(|o| country(&o.country)).collect();
        let cities = meta.cities.iter().zip(city_countries).map(|(c, k)| (interner.intern(&c.name), k)).collect();
        let officials = meta.officials.iter().zip(official_countries).map(|(o, k)| (interner.intern(&o.name), k));
        ReportNames {
            cities,
            officials: officials.collect(),
            topics: meta.topics.iter().map(|t| interner.intern(t)).collect(),
            figure_cities: meta.figures.iter().map(|f| f.city.as_deref().map(|c| interner.intern(c))).collect(),
        }
    }
}

/// What is known of one report file as it was parsed.
struct Known {
    /// Held so that the file's address (the key) stays its own while it is known.
    _parsed: Arc<Parsed<RawReport>>,
    slug: Result<String, Diagnostic>,
    names: Option<Arc<ReportNames>>,
}

/// What a resolve keeps for the next one (see the module's header).
#[derive(Default)]
pub struct Memory {
    /// By the address of the parsed file: an edited file is parsed into a new one.
    reports: ahash::AHashMap<usize, Known>,
    /// The reports of the resolve under way, moved here from `reports` as it meets them;
    /// what it did not meet (files deleted or edited) is forgotten when it ends.
    met: ahash::AHashMap<usize, Known>,
    pub interner: Interner,
    pub lint: super::lint::LintMemory,
}

fn address(parsed: &Arc<Parsed<RawReport>>) -> usize {
    Arc::as_ptr(parsed) as usize
}

impl Memory {
    /// The slug of `parsed`, made by `make` when the file is new to the memory.
    pub fn slug(
        &mut self,
        parsed: &Arc<Parsed<RawReport>>,
        make: impl FnOnce(&Parsed<RawReport>) -> Result<String, Diagnostic>,
    ) -> Result<String, Diagnostic> {
        let key = address(parsed);
        let known = match self.reports.remove(&key) {
            Some(known) => known,
            None => Known { _parsed: parsed.clone(), slug: make(parsed), names: None },
        };
        let slug = known.slug.clone();
        self.met.insert(key, known);
        slug
    }

    /// The names `parsed` gives, interned (once per file).
    pub fn names(&mut self, parsed: &Arc<Parsed<RawReport>>) -> Arc<ReportNames> {
        let key = address(parsed);
        if let Some(names) = self.met.get(&key).and_then(|k| k.names.clone()) {
            return names;
        }
        let names = Arc::new(ReportNames::of(parsed, &mut self.interner));
        if let Some(known) = self.met.get_mut(&key) {
            known.names = Some(names.clone());
        }
        names
    }

    /// Ends a resolve: what it did not meet is forgotten.
    pub fn finish(&mut self) {
        self.reports = std::mem::take(&mut self.met);
    }
}
