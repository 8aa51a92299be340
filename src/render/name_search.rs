//! Finding the names a report's body links on first mention ([`super::markdown`]): the
//! leftmost-longest, non-overlapping occurrences of a report's names in a piece of text,
//! as Aho-Corasick's `LeftmostLongest` search finds them.
//!
//! A body is searched for its own report's names only: a handful of officials and cities,
//! in every language they are written in. Building an Aho-Corasick automaton for so few
//! names cost more than the search itself (about half of all Markdown time in a build of
//! 10,000 reports, more in several languages), so up to [`FEW`] names are searched one by
//! one with `memchr`'s substring finder, each name's next occurrence remembered until the
//! search passes it. More names than that (a registry-sized list) still get an automaton.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::memmem::Finder;

/// Up to this many names are searched one by one; more get an automaton.
pub const FEW: usize = 32;

/// One occurrence: which name (its index in the list given) and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMatch {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

/// The names of one body, ready to search text for.
pub enum NameSearch {
    Few(Vec<Option<Finder<'static>>>),
    Many(AhoCorasick),
}

impl NameSearch {
    /// A search for `names`; `None` when the automaton cannot be built (it can for any
    /// list of names a site holds). Empty names never match.
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Option<Self> {
        let names: Vec<&str> = names.into_iter().collect();
        if names.len() <= FEW {
            let finders =
                names.iter().map(|n| (!n.is_empty()).then(|| Finder::new(n.as_bytes()).into_owned())).collect();
            return Some(Self::Few(finders));
        }
        Self::automaton(&names)
    }

    /// The automaton: a non-contiguous NFA, the cheapest to build, with an empty name
    /// made a pattern that cannot occur in UTF-8 text (a byte 0xFF), so that the others
    /// keep their indices.
    fn automaton(names: &[&str]) -> Option<Self> {
        let never = [0xFF_u8];
        let patterns = names.iter().map(|n| if n.is_empty() { &never[..] } else { n.as_bytes() });
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(patterns)
            .ok()
            .map(Self::Many)
    }

    /// The occurrences in `text`, left to right: at each point the one that starts first
    /// and, of those, the longest (the first listed of equal ones); the search goes on
    /// after its end.
    pub fn find_iter<'s>(&'s self, text: &'s str) -> Box<dyn Iterator<Item = NameMatch> + 's> {
        match self {
            Self::Few(finders) => {
                Box::new(FewMatches { finders, text: text.as_bytes(), from: 0, next: vec![None; finders.len()] })
            }
            Self::Many(automaton) => Box::new(automaton.find_iter(text).map(|m| NameMatch {
                pattern: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })),
        }
    }
}

/// [`NameSearch::find_iter`] over a few names.
struct FewMatches<'s> {
    finders: &'s [Option<Finder<'static>>],
    text: &'s [u8],
    /// Where the search goes on: the end of the last occurrence found.
    from: usize,
    /// Each name's first occurrence at or after some earlier `from`, once looked for:
    /// `Some(None)` when there is none left.
    next: Vec<Option<Option<usize>>>,
}

impl FewMatches<'_> {
    /// Where name `i` next occurs at or after `from`.
    fn next_of(&mut self, i: usize) -> Option<usize> {
        let finder = self.finders[i].as_ref()?;
        match self.next[i] {
            Some(None) => None,
            Some(Some(at)) if at >= self.from => Some(at),
            _ => {
                let at = finder.find(&self.text[self.from..]).map(|offset| self.from + offset);
                self.next[i] = Some(at);
                at
            }
        }
    }
}

impl Iterator for FewMatches<'_> {
    type Item = NameMatch;

    fn next(&mut self) -> Option<NameMatch> {
        let mut best: Option<NameMatch> = None;
        for i in 0..self.finders.len() {
            let Some(start) = self.next_of(i) else { continue };
            let end = start + self.finders[i].as_ref().map_or(0, |f| f.needle().len());
            if best.is_none_or(|b| start < b.start || (start == b.start && end > b.end)) {
                best = Some(NameMatch { pattern: i, start, end });
            }
        }
        let found = best?;
        self.from = found.end;
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(names: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let search = NameSearch::new(names.iter().copied()).expect("names make a search");
        search.find_iter(text).map(|m| (m.pattern, m.start, m.end)).collect()
    }

    fn by_automaton(names: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        let search = NameSearch::automaton(names).expect("names make an automaton");
        search.find_iter(text).map(|m| (m.pattern, m.start, m.end)).collect()
    }

    #[test]
    fn the_longest_of_names_starting_together_wins_and_the_search_goes_on_after_it() {
        let names = ["Wang", "Wang Luming", "Luming", "Weihai"];
        assert_eq!(found(&names, "Wang Luming in Weihai"), vec![(1, 0, 11), (3, 15, 21)]);
    }

    #[test]
    fn a_name_overlapping_a_found_one_is_found_where_it_occurs_again_after_it() {
        // "aba" at 1 lies under "xa"; its next occurrence, at 3, is still found.
        assert_eq!(found(&["xa", "aba"], "xababa"), vec![(0, 0, 2), (1, 3, 6)]);
    }

    #[test]
    fn of_two_equal_names_the_first_listed_is_found_and_empty_names_never_are() {
        assert_eq!(found(&["", "Tashkent", "Tashkent"], "to Tashkent"), vec![(1, 3, 11)]);
        assert_eq!(by_automaton(&["", "Tashkent", "Tashkent"], "to Tashkent"), vec![(1, 3, 11)]);
    }

    #[test]
    fn a_few_names_are_found_where_the_automaton_finds_them() {
        // Short names over a small alphabet make every kind of overlap and tie.
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let letters = ["a", "b", "ä", "威", " "];
        let word = |len: usize, next: &mut dyn FnMut(usize) -> usize| {
            (0..len).map(|_| letters[next(letters.len())]).collect::<String>()
        };
        for _ in 0..3000 {
            let count = 1 + next(6);
            let names: Vec<String> = (0..count)
                .map(|_| {
                    let len = 1 + next(3);
                    word(len, &mut next)
                })
                .collect();
            let len = next(30);
            let text = word(len, &mut next);
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            assert_eq!(found(&names, &text), by_automaton(&names, &text), "names {names:?} in {text:?}");
        }
    }

    #[test]
    fn many_names_are_searched_by_the_automaton() {
        let names: Vec<String> = (0..FEW + 1).map(|i| format!("Name {i}")).collect();
        let search = NameSearch::new(names.iter().map(String::as_str)).expect("names make a search");
        assert!(matches!(search, NameSearch::Many(_)));
        let hits: Vec<usize> = search.find_iter("Name 3 and Name 32").map(|m| m.pattern).collect();
        assert_eq!(hits, vec![3, 32]);
    }
}
