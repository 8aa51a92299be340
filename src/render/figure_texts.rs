//! Figures as written in each language, remembered across resolves by `serve`: every
//! resolve writes every figure of the site again ([`super::localise_figures`]) through
//! CLDR's rules, and most are the figures the last resolve wrote. The memory belongs to
//! a [`super::theme::Theme`], so a change of the theme's words (a new theme) starts
//! afresh; a `build` writes each figure once and keeps no memory.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use ahash::AHashMap;

use crate::model::Figure;
use crate::model::figure::Qualifier;

/// What a figure's text is made from, in one language: its value (as bits: the same
/// number prints the same), unit and qualifier.
type FigureKey = (u64, Option<Arc<str>>, Option<Qualifier>);

fn key_of(figure: &Figure) -> FigureKey {
    (figure.value.to_bits(), figure.unit.clone(), figure.qualifier)
}

/// The texts of figures written before, by language; off unless [`FigureTexts::remembering`].
#[derive(Default)]
pub struct FigureTexts(Option<RwLock<HashMap<String, Texts>>>);

/// The texts of one language, shared with the figures they were given to.
type Texts = AHashMap<FigureKey, Arc<str>>;

impl FigureTexts {
    /// A memory that keeps every text written through it.
    pub fn remembering() -> Self {
        Self(Some(RwLock::default()))
    }

    /// Sets the `display` of each of `figures` to its text in `language`: remembered, or
    /// made by `write` (and remembered when this memory is on). The memory is read once
    /// for the whole batch and written once for what was new: taken figure by figure from
    /// every core, the lock itself was most of the time.
    pub fn fill(&self, language: &str, figures: &mut [&mut Figure], write: impl Fn(&Figure) -> String) {
        let Some(memory) = &self.0 else {
            figures.iter_mut().for_each(|f| f.display = write(f).into());
            return;
        };
        let mut missing = Vec::new();
        {
            // A poisoned lock only means another thread panicked mid-insert: the map is whole.
            let memory = memory.read().unwrap_or_else(|e| e.into_inner());
            let texts = memory.get(language);
            for (i, figure) in figures.iter_mut().enumerate() {
                match texts.and_then(|t| t.get(&key_of(figure))) {
                    Some(text) => figure.display.clone_from(text),
                    None => missing.push(i),
                }
            }
        }
        if missing.is_empty() {
            return;
        }
        let written: Vec<(FigureKey, Arc<str>)> = (missing.into_iter())
            .map(|i| {
                figures[i].display = write(figures[i]).into();
                (key_of(figures[i]), figures[i].display.clone())
            })
            .collect();
        let mut memory = memory.write().unwrap_or_else(|e| e.into_inner());
        memory.entry(language.to_string()).or_default().extend(written);
    }

    /// How many texts are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0
            .as_ref()
            .map_or(0, |m| m.read().unwrap_or_else(|e| e.into_inner()).values().map(|texts| texts.len()).sum())
    }

    /// Whether no text is remembered.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value: f64, unit: Option<&str>, qualifier: Option<Qualifier>) -> Figure {
        Figure {
            label: "Trade".into(),
            value,
            unit: unit.map(Arc::from),
            qualifier,
            year: None,
            city: None,
            display: Default::default(),
        }
    }

    /// The texts `memory` gives `figures` in `language`, and how many it had to write.
    fn fill(memory: &FigureTexts, language: &str, figures: &mut [Figure]) -> (Vec<String>, usize) {
        let writes = std::sync::atomic::AtomicUsize::new(0);
        let mut batch: Vec<&mut Figure> = figures.iter_mut().collect();
        memory.fill(language, &mut batch, |f| {
            writes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            format!("{language}:{}:{:?}:{:?}", f.value, f.unit, f.qualifier)
        });
        (figures.iter().map(|f| f.display.to_string()).collect(), writes.into_inner())
    }

    #[test]
    fn a_remembered_text_is_not_written_again_and_a_build_remembers_nothing() {
        let memory = FigureTexts::remembering();
        let usd = figure(5.8e9, Some("USD"), None);
        let mut figures = vec![usd.clone(), figure(5.8e9, None, None), figure(5.8e9, None, Some(Qualifier::Over))];
        let (first, writes) = fill(&memory, "ru", &mut figures);
        assert_eq!((writes, memory.len()), (3, 3), "another unit or qualifier is another text");
        assert_eq!(first[0], "ru:5800000000:Some(\"USD\"):None");
        // The same figures again, in another report: remembered; another language is not.
        let mut again = vec![usd.clone(), figure(5.8e9, None, Some(Qualifier::Over))];
        assert_eq!(fill(&memory, "ru", &mut again), (vec![first[0].clone(), first[2].clone()], 0));
        let (english, writes) = fill(&memory, "en", &mut [usd.clone()]);
        assert_eq!((english[0].as_str(), writes, memory.len()), ("en:5800000000:Some(\"USD\"):None", 1, 4));

        let build = FigureTexts::default();
        for _ in 0..2 {
            assert_eq!(fill(&build, "en", &mut [usd.clone()]).1, 1, "a build wrote a figure from memory");
        }
        assert!(build.is_empty());
    }
}
