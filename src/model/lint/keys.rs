//! Keys hashed once, when a name's spellings are worked out, and [`Filed`], the table of
//! names by key that the look-alike check of [`super`] makes: `serve` checks every name
//! again after each edit that names someone new, and hashing every spelling of 2,000
//! names again, with a list made for each, was most of that check's time.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::LazyLock;

/// A text and its hash.
pub struct Key {
    hash: u64,
    text: Box<str>,
}

/// The hasher of every [`Key`]: seeded at random once a process (as std's maps are, so
/// that a hostile registry cannot choose names that collide), the same for each resolve.
static HASHER: LazyLock<ahash::RandomState> = LazyLock::new(ahash::RandomState::new);

impl Key {
    pub fn new(text: String) -> Key {
        Key { hash: HASHER.hash_one(text.as_str()), text: text.into_boxed_str() }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// A [`Key`] in a table: hashed by the hash it carries, equal by its text.
#[derive(Clone, Copy)]
struct ByKey<'a>(&'a Key);

impl Hash for ByKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl PartialEq for ByKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.hash == other.0.hash && self.0.text == other.0.text
    }
}

impl Eq for ByKey<'_> {}

/// Takes the hash a [`ByKey`] gives as it is.
#[derive(Default)]
struct CarriedHash(u64);

impl Hasher for CarriedHash {
    fn write(&mut self, bytes: &[u8]) {
        // Only write_u64 is called (by ByKey); anything else is still hashed, if poorly.
        bytes.iter().for_each(|b| self.0 = self.0.rotate_left(8) ^ u64::from(*b));
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Names (by index) filed by key, each key's names in the order filed. A list is made
/// only for a key that more than one name has: most keys are one name's.
pub struct Filed<'a> {
    /// Each key's first name, and its list in `shared` ([`Filed::ALONE`]: none).
    first: HashMap<ByKey<'a>, (usize, u32), BuildHasherDefault<CarriedHash>>,
    shared: Vec<Vec<usize>>,
}

impl<'a> Filed<'a> {
    const ALONE: u32 = u32::MAX;

    /// A table for about `keys` keys.
    pub fn with_capacity(keys: usize) -> Filed<'a> {
        Filed { first: HashMap::with_capacity_and_hasher(keys, Default::default()), shared: Vec::new() }
    }

    /// Files name `i` under `key`.
    pub fn file(&mut self, key: &'a Key, i: usize) {
        match self.first.entry(ByKey(key)) {
            Entry::Vacant(entry) => {
                entry.insert((i, Self::ALONE));
            }
            Entry::Occupied(mut entry) => {
                let (first, list) = entry.get_mut();
                if *list == Self::ALONE {
                    *list = self.shared.len() as u32;
                    self.shared.push(vec![*first]);
                }
                self.shared[*list as usize].push(i);
            }
        }
    }

    /// The names filed under `key`, in the order filed (none if none is): the first
    /// stands for the key.
    pub fn names(&self, key: &'a Key) -> &[usize] {
        match self.first.get(&ByKey(key)) {
            None => &[],
            Some((first, Self::ALONE)) => std::slice::from_ref(first),
            Some((_, list)) => &self.shared[*list as usize],
        }
    }

    /// The lists of the keys that more than one name has.
    pub fn shared(self) -> Vec<Vec<usize>> {
        self.shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_filed_under_equal_texts_only_and_in_order() {
        let keys: Vec<Key> = ["wang", "li", "wang", "zhang", "wang", "li"].map(|k| Key::new(k.into())).into();
        let mut filed = Filed::with_capacity(keys.len());
        keys.iter().enumerate().for_each(|(i, key)| filed.file(key, i));
        assert_eq!(filed.names(&Key::new("wang".into())), [0, 2, 4]);
        assert_eq!(filed.names(&Key::new("zhang".into())), [3]);
        assert!(filed.names(&Key::new("hu".into())).is_empty());
        assert_eq!(filed.shared(), vec![vec![0, 2, 4], vec![1, 5]]);
    }
}
