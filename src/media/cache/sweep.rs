//! Keeping the cache from growing without end. A photo replaced or removed leaves its
//! entry behind; at most once a day, a run removes the entries that no photo has used for
//! [`KEEP_UNUSED`] (an entry's time is refreshed when a build uses it, at most daily), the
//! variants whose record never got written and the temporary files of killed builds. An
//! entry kept for a month costs disk space only; switching between branches with other
//! photos does not make them processed again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::entry::TEMPORARY_PREFIX;

/// How long an entry no build used stays.
pub(super) const KEEP_UNUSED: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// How often the cache is swept, and how stale a used entry's time may get.
pub(super) const DAILY: Duration = Duration::from_secs(24 * 60 * 60);
/// How old a half-written file must be before it is taken for the leftover of a killed
/// build (a build running now may be writing it).
const HALF_WRITTEN: Duration = Duration::from_secs(60 * 60);
/// The file whose time says when the cache was last swept.
pub(super) const MARKER: &str = "swept";

/// Whether `time` is more than `age` ago.
pub(super) fn older_than(time: SystemTime, age: Duration) -> bool {
    SystemTime::now().duration_since(time).is_ok_and(|elapsed| elapsed > age)
}

/// Whether the cache in `dir` exists and was not swept in the last day.
pub(super) fn due(dir: &Path) -> bool {
    match fs::metadata(dir.join(MARKER)).and_then(|meta| meta.modified()) {
        Ok(swept) => older_than(swept, DAILY),
        Err(_) => dir.is_dir(),
    }
}

/// Removes from `dir` what no build needs (see the module header) but the entries named
/// in `used`, and marks the time. How many files were removed.
pub(super) fn sweep(dir: &Path, used: &HashSet<String>) -> std::io::Result<usize> {
    let mut files = Vec::new();
    for found in fs::read_dir(dir)? {
        let found = found?;
        let age = found.metadata().and_then(|meta| meta.modified()).unwrap_or_else(|_| SystemTime::now());
        files.push((found.file_name().to_string_lossy().into_owned(), age));
    }
    let records: HashMap<String, SystemTime> =
        files.iter().filter_map(|(name, age)| Some((name.strip_suffix(".entry")?.to_string(), *age))).collect();
    let mut removed = 0;
    for (name, age) in &files {
        if is_removable(name, *age, used, &records) && fs::remove_file(dir.join(name)).is_ok() {
            removed += 1;
        }
    }
    fs::write(dir.join(MARKER), "")?;
    Ok(removed)
}

/// Whether the cache file `name`, last modified at `age`, goes: a record unused for a
/// month and its variants, a variant whose record never got written, a stale temporary
/// file. `records` holds the time of every record.
fn is_removable(name: &str, age: SystemTime, used: &HashSet<String>, records: &HashMap<String, SystemTime>) -> bool {
    if name.starts_with(TEMPORARY_PREFIX) {
        return older_than(age, HALF_WRITTEN);
    }
    let key = name.strip_suffix(".entry").or_else(|| Some(name.strip_suffix(".webp")?.rsplit_once('-')?.0));
    let Some(key) = key.filter(|key| !used.contains(*key)) else { return false };
    match records.get(key) {
        Some(&record_age) => older_than(record_age, KEEP_UNUSED),
        None => older_than(age, HALF_WRITTEN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aged(dir: &Path, name: &str, age: Duration) {
        let file = fs::File::create(dir.join(name)).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
    }

    #[test]
    fn unused_old_entries_half_written_variants_and_leftovers_go_the_rest_stays() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let month = KEEP_UNUSED + DAILY;
        let names = [
            ("old.entry", month),
            ("old-480.webp", month), // unused for a month: goes
            ("used.entry", month),
            ("used-480.webp", month), // old, but this run used it
            ("recent.entry", DAILY),
            ("recent-480.webp", month),         // a variant of a kept record
            ("orphan-480.webp", DAILY),         // its record never came
            ("fresh-480.webp", Duration::ZERO), // being written now
            (".tmp-1-1", DAILY),
            (".tmp-2-2", Duration::ZERO),
            ("stamps", month),
        ];
        for (name, age) in names {
            aged(dir, name, age);
        }
        let used = HashSet::from(["used".to_string()]);
        assert!(due(dir), "never swept");
        assert_eq!(sweep(dir, &used).unwrap(), 4);
        let mut left: Vec<_> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        let kept = [
            ".tmp-2-2",
            "fresh-480.webp",
            "recent-480.webp",
            "recent.entry",
            "stamps",
            "swept",
            "used-480.webp",
            "used.entry",
        ];
        assert_eq!(left, kept);
        assert!(!due(dir), "swept a moment ago");
        assert!(!due(&dir.join("missing")), "no cache, nothing to sweep");
    }
}
