//! What one resolve keeps for the next: `serve` resolves the whole site again after every
//! edit that moves a report or changes the entities it names, and most of that work is
//! the same as the last time. The [`Memory`] keeps, for each report file still as it was
//! read (the same parsed file, by identity), its slug, the names it gives as interned
//! numbers and the lines they are on; for each name, the forms an entity made of it
//! takes (its key, the name shown, its slug); and the lint's spellings and look-alike
//! groups ([`super::lint::LintMemory`]); and the emptied buffer of an earlier site's
//! reports ([`SpareReports`]). A resolve with a memory gives exactly the site a resolve
//! without one gives: the memory only spares recomputing what is known.

use std::sync::{Arc, Mutex};

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

/// Every name text met so far, numbered (the numbers of names no longer written are not
/// reused: a session that renames thousands of entities keeps their texts).
#[derive(Default)]
pub struct Interner {
    numbers: ahash::AHashMap<Arc<str>, Written>,
    count: u32,
    /// The forms of each name, once an entity has been made of it.
    forms: Vec<Option<Box<Forms>>>,
}

/// What making a person or city of a name as written takes, worked out once per text.
pub struct Forms {
    /// Its identity ([`super::names::name_key`]).
    pub key: String,
    /// The name shown ([`super::names::display_name`]) and the slug made of it.
    pub shown: String,
    pub slug: String,
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

    /// The forms of name `written`, whose text (`text`, read only the first time) is
    /// that of the report being resolved.
    pub fn forms<'t>(&mut self, written: Written, text: impl FnOnce() -> &'t str) -> &Forms {
        if self.forms.len() <= written.index() {
            self.forms.resize_with(written.index() + 1, || None);
        }
        self.forms[written.index()].get_or_insert_with(|| {
            let text = text();
            let shown = super::names::display_name(text);
            Box::new(Forms { key: super::names::name_key(text), slug: super::names::slugify(&shown), shown })
        })
    }
}

/// The names report front matter gives, interned, in the order of its lists: each
/// city with its country, each official with theirs, each topic, each figure's city.
/// Resolving reads these instead of the front matter, whose text is scattered over
/// memory: the front matter is read only where a name is new to a resolve.
#[derive(Debug, PartialEq)]
pub struct ReportNames {
    pub cities: Vec<NamedCity>,
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
        let cities = (meta.cities.iter().zip(city_countries))
            .map(|(c, country)| NamedCity { name: interner.intern(&c.name), country, province: c.province.is_some() })
            .collect();
        let officials = meta.officials.iter().zip(official_countries).map(|(o, k)| (interner.intern(&o.name), k));
        ReportNames {
            cities,
            officials: officials.collect(),
            topics: meta.topics.iter().map(|t| interner.intern(t)).collect(),
            figure_cities: meta.figures.iter().map(|f| f.city.as_deref().map(|c| interner.intern(c))).collect(),
        }
    }
}

/// A city as a report names it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NamedCity {
    pub name: Written,
    pub country: Option<Written>,
    /// Whether the report gives its province.
    pub province: bool,
}

/// What is known of one report file as it was parsed.
struct Known {
    /// Held so that the file's address (the key) stays its own while it is known.
    _parsed: Arc<Parsed<RawReport>>,
    slug: Result<String, Diagnostic>,
    names: Option<Arc<ReportNames>>,
    /// The line each name first made into an entity here is on.
    lines: Vec<(Written, usize)>,
    /// The last resolve that met the file.
    met: u64,
}

/// What a resolve keeps for the next one (see the module's header).
#[derive(Default)]
pub struct Memory {
    /// By the address of the parsed file: an edited file is parsed into a new one.
    reports: ahash::AHashMap<usize, Known>,
    /// Resolves so far: what the last did not meet (files deleted or edited) is
    /// forgotten as it ends.
    resolves: u64,
    pub interner: Interner,
    pub lint: super::lint::LintMemory,
    /// Keep nothing of the reports between resolves (a `build`, which resolves once): the
    /// memory then only numbers names.
    forgets: bool,
    /// Whether the figures of the site a resolve is given as `before` were written (their
    /// `display`) by the theme that will write those of the site it makes: only then may
    /// a report of an unchanged file keep its figures. See [`Self::set_figures_current`].
    figures_current: bool,
    pub spare_reports: SpareReports,
}

/// The buffer of the reports of a site no longer needed (`serve`'s state before an edit,
/// once nothing can take the edit back), emptied, for the next resolve to write its
/// reports into. A fresh buffer (5 MB for 10,000 reports) is memory new to the process,
/// which the kernel zeroes page by page as it is first written: about a third of the page
/// faults of a resolve in `serve`, and on a busy virtual machine tens of microseconds
/// each. Shared, so that a site can be emptied away from the thread that resolves.
#[derive(Clone, Default)]
pub struct SpareReports(Arc<Mutex<Vec<super::Report>>>);

impl SpareReports {
    /// Keeps the buffer of `reports`, emptied here (their contents are freed), unless
    /// the one kept is as large.
    pub fn keep(&self, mut reports: Vec<super::Report>) {
        reports.clear();
        let mut spare = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if reports.capacity() > spare.capacity() {
            *spare = reports;
        }
    }

    /// The buffer kept, empty; a new empty vector when none is kept or it is being
    /// handed over.
    pub fn take(&self) -> Vec<super::Report> {
        self.0.try_lock().map(|mut spare| std::mem::take(&mut *spare)).unwrap_or_default()
    }
}

fn address(parsed: &Parsed<RawReport>) -> usize {
    parsed as *const Parsed<RawReport> as usize
}

impl Memory {
    /// A memory for one resolve, which keeps nothing for a next.
    pub fn forgetful() -> Self {
        Memory { forgets: true, lint: super::lint::LintMemory::forgetful(), ..Memory::default() }
    }

    /// Says whether the figures of the next resolve's `before` site were written by the
    /// theme that writes the figures of its site: `serve` says yes once a resolved site
    /// is written and kept, no when it loads the theme again (new words, new number
    /// formats). No until told.
    pub fn set_figures_current(&mut self, current: bool) {
        self.figures_current = current;
    }

    /// Whether the figures of the `before` site may be kept (see
    /// [`Self::set_figures_current`]).
    pub fn figures_current(&self) -> bool {
        self.figures_current && !self.forgets
    }

    /// The slug of `parsed`, made by `make` when the file is new to the memory.
    pub fn slug(
        &mut self,
        parsed: &Arc<Parsed<RawReport>>,
        make: impl FnOnce(&Parsed<RawReport>) -> Result<String, Diagnostic>,
    ) -> Result<String, Diagnostic> {
        if self.forgets {
            return make(parsed);
        }
        let known = self.reports.entry(address(parsed)).or_insert_with(|| Known {
            _parsed: parsed.clone(),
            slug: make(parsed),
            names: None,
            lines: Vec::new(),
            met: 0,
        });
        known.met = self.resolves;
        known.slug.clone()
    }

    /// The names `parsed` (a file [`Self::slug`] met) gives, interned (once per file).
    pub fn names(&mut self, parsed: &Parsed<RawReport>) -> Arc<ReportNames> {
        if self.forgets {
            return Arc::new(ReportNames::of(parsed, &mut self.interner));
        }
        let known = self.reports.get_mut(&address(parsed)).expect("slugs are made first");
        known.names.get_or_insert_with(|| Arc::new(ReportNames::of(parsed, &mut self.interner))).clone()
    }

    /// The line of `parsed` (a file [`Self::slug`] met) its name `written` is on, found
    /// by `locate` the first time.
    pub fn line(&mut self, parsed: &Parsed<RawReport>, written: Written, locate: impl FnOnce() -> usize) -> usize {
        if self.forgets {
            return locate();
        }
        let known = self.reports.get_mut(&address(parsed)).expect("slugs are made first");
        match known.lines.iter().find(|(w, _)| *w == written) {
            Some((_, line)) => *line,
            None => {
                let line = locate();
                known.lines.push((written, line));
                line
            }
        }
    }

    /// Ends a resolve: what it did not meet is forgotten.
    pub fn finish(&mut self) {
        let resolve = self.resolves;
        self.reports.retain(|_, known| known.met == resolve);
        self.resolves += 1;
    }
}
