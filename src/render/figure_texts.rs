//! Figures as written in each language, remembered across resolves by `serve`: every
//! resolve writes every figure of the site again ([`super::localise_figures`]) through
//! CLDR's rules, and most are the figures the last resolve wrote. The memory belongs to
//! a [`super::theme::Theme`], so a change of the theme's words (a new theme) starts
//! afresh; a `build` writes each figure once and keeps no memory.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::model::figure::Qualifier;

/// What a figure's text is made from, in one language: its value (as bits: the same
/// number prints the same), unit and qualifier.
type FigureKey = (u64, Option<String>, Option<Qualifier>);

/// The texts of figures written before, by language; off unless [`FigureTexts::remembering`].
#[derive(Default)]
pub struct FigureTexts(Option<RwLock<HashMap<String, HashMap<FigureKey, String>>>>);

impl FigureTexts {
    /// A memory that keeps every text written through it.
    pub fn remembering() -> Self {
        Self(Some(RwLock::default()))
    }

    /// The text of a figure in `language`: remembered, or made by `write` (and remembered
    /// when this memory is on).
    pub fn get_or_write(
        &self,
        language: &str,
        (value, unit, qualifier): (f64, Option<&str>, Option<Qualifier>),
        write: impl FnOnce() -> String,
    ) -> String {
        let Some(memory) = &self.0 else { return write() };
        let key = (value.to_bits(), unit.map(str::to_string), qualifier);
        // A poisoned lock only means another thread panicked mid-insert: the map is whole.
        let remembered =
            memory.read().unwrap_or_else(|e| e.into_inner()).get(language).and_then(|m| m.get(&key)).cloned();
        if let Some(text) = remembered {
            return text;
        }
        let text = write();
        let mut memory = memory.write().unwrap_or_else(|e| e.into_inner());
        memory.entry(language.to_string()).or_default().insert(key, text.clone());
        text
    }

    /// How many texts are remembered (for tests).
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.read().unwrap_or_else(|e| e.into_inner()).values().map(HashMap::len).sum())
    }

    /// Whether no text is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_text_is_not_written_again_and_a_build_remembers_nothing() {
        let memory = FigureTexts::remembering();
        let figure = (5.8e9, Some("USD"), None);
        assert_eq!(memory.get_or_write("ru", figure, || "5,8 млрд $".into()), "5,8 млрд $");
        assert_eq!(memory.get_or_write("ru", figure, || unreachable!("remembered")), "5,8 млрд $");
        // Another language, unit or qualifier is another text.
        assert_eq!(memory.get_or_write("en", figure, || "$5.8 billion".into()), "$5.8 billion");
        assert_eq!(memory.get_or_write("en", (5.8e9, None, None), || "5.8 billion".into()), "5.8 billion");
        let over = (5.8e9, None, Some(Qualifier::Over));
        assert_eq!(memory.get_or_write("en", over, || "over 5.8 billion".into()), "over 5.8 billion");
        assert_eq!(memory.len(), 4);

        let build = FigureTexts::default();
        let mut writes = 0;
        for _ in 0..2 {
            build.get_or_write("en", figure, || {
                writes += 1;
                "$5.8 billion".into()
            });
        }
        assert_eq!((writes, build.is_empty()), (2, true));
    }
}
