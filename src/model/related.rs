//! Related reports: for each report, the few others sharing the most people and cities,
//! ties going to the newest (the lowest id, as reports are ordered newest first).
//!
//! A report's score against another is the number of its officials and cities (as
//! listed) whose report lists contain the other. Scoring by walking every list of every
//! report costs the sum of the squared list lengths, which is quadratic in the archive:
//! the capital everybody visits is in thousands of reports. So lists are split by length:
//!
//! - *short* lists (at most [`SHORT_LIST`] reports) are walked, as before;
//! - *long* lists are kept as bitsets over report ids. A report scored by its short
//!   lists gets its count from the long ones by testing bits. The best of the others
//!   are found by walking the report's long lists shortest first, as long as at most
//!   one of them is longer than a bitset has words, and otherwise by adding its long
//!   bitsets 512 reports at a time (bit-sliced counting, vectorised) and taking the first
//!   reports with the highest counts, which stops early when enough reports share every
//!   list. That is a few machine words per 64 reports instead of a walk over thousands of
//!   list entries; in a large archive where most reports name several people in
//!   thousands of reports, it is still the square of the archive over 64.
//!
//! The result is exactly that of walking every list (a test compares the two).

use rayon::prelude::*;

use super::{ReportId, Site};

/// Lists of up to this many reports are walked for every report on them.
const SHORT_LIST: usize = 64;

/// The `limit` best related reports of every report of `site`, best first.
pub fn related_reports(site: &Site, limit: usize) -> Vec<Vec<ReportId>> {
    EntityLists::of(site).best_for_every_report(limit)
}

/// [`related_reports`] of `site`, made from those of `before` (the site the last resolve
/// made, before some reports were edited, added or removed) wherever the edit cannot
/// have changed them. A report's scores against others depend only on the people and
/// cities both name, and ties go by the order of reports, which the edit keeps for
/// every report it leaves alone; so only reports sharing a person or city with a report
/// the edit moved or changed can have other related reports, and of those only the ones
/// whose list showed such a report, or that the changed report now outranks the last of
/// (or a list that was not full). Those are ranked again; the rest keep their lists.
pub fn related_reports_after(site: &Site, before: &Site, limit: usize) -> Vec<Vec<ReportId>> {
    match Edit::between(site, before).filter(|_| limit > 0) {
        Some(edit) => edit.related(site, before, limit),
        None => related_reports(site, limit),
    }
}

/// Past this share of reports changed, ranking every report again is as quick.
const MOST_CHANGED: usize = 8;

/// How the reports of a site differ from those of the site before an edit.
struct Edit {
    /// The entity (as in [`EntityLists`]: people, then cities) each of `before`'s people
    /// and cities is in `site`, matched by slug; `None` where it is gone.
    entity_now: Vec<Option<u32>>,
    /// For each report of `site`, the same report of `before`, where it did not change
    /// (the same file, date, slug, people and cities).
    old_of_new: Vec<Option<u32>>,
    new_of_old: Vec<Option<u32>>,
    /// Reports of `site` that are new or changed.
    changed: Vec<u32>,
    /// Reports of `before` that are gone or changed.
    gone: Vec<u32>,
}

/// The people and then cities report `r` mentions, as [`EntityLists`] numbers them.
fn mentions(site: &Site, r: usize) -> impl Iterator<Item = u32> + '_ {
    let report = &site.reports[r];
    let people = site.people.len() as u32;
    report.officials.iter().map(|a| a.person.0).chain(report.cities.iter().map(move |c| people + c.0))
}

/// The report list of entity `e` (as [`EntityLists`] numbers them) in `site`.
fn list(site: &Site, e: u32) -> &[ReportId] {
    match site.people.get(e as usize) {
        Some(person) => &person.reports,
        None => &site.cities[e as usize - site.people.len()].reports,
    }
}

/// How many of `a`'s mentions (counted as often as `a` lists them) `b` mentions too:
/// `a`'s score against `b`.
fn score(a: &[u32], b: &[u32]) -> u32 {
    a.iter().filter(|e| b.contains(e)).count() as u32
}

impl Edit {
    /// The difference, or `None` when too much changed (or slugs are not unique, as they
    /// are in every site without errors) to be worth it.
    fn between(site: &Site, before: &Site) -> Option<Edit> {
        let entity_now = Self::entities_now(site, before)?;
        let translated = |o: usize| mentions(before, o).map(|e| entity_now[e as usize]);
        let places = super::EarlierPlaces::of(before);
        // Unchanged: the same file, date and slug (so the same place among the others),
        // naming the same people and cities.
        let unchanged = |i: usize| {
            let (report, o) = (&site.reports[i], places.find(site, i)?);
            let was = &before.reports[o];
            let same = was.date == report.date && was.slug == report.slug;
            (same && translated(o).eq(mentions(site, i).map(Some))).then_some(o as u32)
        };
        // Side by side: each report and its earlier self are read from all over memory.
        let old_of_new: Vec<Option<u32>> = (0..site.reports.len()).into_par_iter().map(unchanged).collect();
        let mut new_of_old = vec![None; before.reports.len()];
        for (i, o) in old_of_new.iter().enumerate() {
            if let Some(o) = o {
                new_of_old[*o as usize] = Some(i as u32);
            }
        }
        let changed: Vec<u32> = (0..site.reports.len() as u32).filter(|i| old_of_new[*i as usize].is_none()).collect();
        let gone: Vec<u32> = (0..before.reports.len() as u32).filter(|o| new_of_old[*o as usize].is_none()).collect();
        let changes = changed.len() + gone.len();
        let edit = Edit { entity_now, old_of_new, new_of_old, changed, gone };
        (changes * MOST_CHANGED <= site.reports.len()).then_some(edit)
    }

    /// [`Self::entity_now`], or `None` when two people or cities share a slug.
    fn entities_now(site: &Site, before: &Site) -> Option<Vec<Option<u32>>> {
        let same_slugs = |a: &Site, b: &Site| {
            (a.people.iter().map(|p| &p.slug)).eq(b.people.iter().map(|p| &p.slug))
                && (a.cities.iter().map(|c| &c.slug)).eq(b.cities.iter().map(|c| &c.slug))
        };
        // Most edits make the same people and cities in the same order: each is itself.
        // (Two on one slug are an error, for which the site is not published.)
        if same_slugs(site, before) {
            return Some((0..(site.people.len() + site.cities.len()) as u32).map(Some).collect());
        }
        let people = site.people.len() as u32;
        let mut by_slug: ahash::AHashMap<(bool, &str), u32> = ahash::AHashMap::new();
        let now_people = site.people.iter().enumerate().map(|(p, person)| ((false, person.slug.as_str()), p as u32));
        let now_cities =
            site.cities.iter().enumerate().map(|(c, city)| ((true, city.slug.as_str()), people + c as u32));
        for (key, e) in now_people.chain(now_cities) {
            if by_slug.insert(key, e).is_some() {
                return None;
            }
        }
        let was_people = before.people.iter().map(|p| (false, p.slug.as_str()));
        let was_cities = before.cities.iter().map(|c| (true, c.slug.as_str()));
        Some(was_people.chain(was_cities).map(|key| by_slug.get(&key).copied()).collect())
    }

    fn related(&self, site: &Site, before: &Site, limit: usize) -> Vec<Vec<ReportId>> {
        let again = self.to_rank_again(site, before, limit);
        let lists = EntityLists::of(site);
        let ranked: Vec<(usize, Vec<ReportId>)> = (again.par_iter())
            .map_init(
                || (vec![0u32; site.reports.len()], Vec::<u32>::new()),
                |(scores, touched), &i| {
                    let best = lists.best_for(i as usize, scores, touched, limit);
                    (i as usize, best.into_iter().map(ReportId).collect())
                },
            )
            .collect();
        let mut related: Vec<Vec<ReportId>> = (0..site.reports.len())
            .map(|i| match self.old_of_new[i] {
                Some(o) => self.kept(&before.reports[o as usize].related).unwrap_or_default(),
                None => Vec::new(),
            })
            .collect();
        for (i, best) in ranked {
            related[i] = best;
        }
        related
    }

    /// `list` (of `before`'s reports) as reports of `site`, if none of them changed.
    fn kept(&self, list: &[ReportId]) -> Option<Vec<ReportId>> {
        list.iter().map(|o| self.new_of_old[o.index()].map(ReportId)).collect()
    }

    /// The reports of `site` whose related reports may differ from their lists in
    /// `before`, in id order.
    fn to_rank_again(&self, site: &Site, before: &Site, limit: usize) -> Vec<u32> {
        let mut near = vec![false; site.reports.len()];
        let touched = self.changed.iter().flat_map(|&i| mentions(site, i as usize).collect::<Vec<_>>());
        let touched_before =
            self.gone.iter().flat_map(|&o| mentions(before, o as usize).filter_map(|e| self.entity_now[e as usize]));
        for e in touched.chain(touched_before) {
            list(site, e).iter().for_each(|r| near[r.index()] = true);
        }
        let changed: Vec<(u32, Vec<u32>)> =
            self.changed.iter().map(|&i| (i, mentions(site, i as usize).collect())).collect();
        (0..site.reports.len() as u32)
            .filter(|&i| match self.old_of_new[i as usize] {
                None => true,
                Some(_) if !near[i as usize] => false,
                Some(o) => self.may_differ(site, (i, &before.reports[o as usize].related), &changed, limit),
            })
            .collect()
    }

    /// Whether report `i` of `site`, whose list in `before` was `was` and which did not
    /// change itself, may now have other related reports: its list showed a report that
    /// changed, or a changed report (with its mentions) now outranks its last (or enters
    /// a list that was not full).
    fn may_differ(&self, site: &Site, (i, was): (u32, &[ReportId]), changed: &[(u32, Vec<u32>)], limit: usize) -> bool {
        let Some(kept) = self.kept(was) else { return true };
        let own: Vec<u32> = mentions(site, i as usize).collect();
        let last = kept.last().filter(|_| kept.len() >= limit).map(|j| {
            let theirs: Vec<u32> = mentions(site, j.index()).collect();
            (score(&own, &theirs), j.0)
        });
        changed.iter().any(|(j, theirs)| {
            let entry = (score(&own, theirs), *j);
            entry.0 > 0 && last.is_none_or(|last| by_rank(&entry, &last).is_lt())
        })
    }
}

/// The report lists of every person and city, and which of them each report mentions.
struct EntityLists<'a> {
    /// Report list of each entity: people first, then cities.
    lists: Vec<&'a [ReportId]>,
    /// For each report, the entities of its officials then its cities, as listed.
    mentions: Vec<Vec<u32>>,
    /// For each entity, its index among the long lists, if its list is long.
    long_id: Vec<Option<u32>>,
    /// One bitset over report ids per long list.
    long_bits: Vec<Vec<u64>>,
    /// The reports of each long list, in id order.
    long_lists: Vec<&'a [ReportId]>,
    /// How long a list may be and be walked (see [`Self::best_by_long_lists`]): where
    /// walking a list and counting 64 reports at a time cost about the same, the number
    /// of words of a bitset; tests try others.
    walked: usize,
}

impl<'a> EntityLists<'a> {
    fn of(site: &'a Site) -> Self {
        let people = site.people.len() as u32;
        let lists: Vec<&[ReportId]> = site
            .people
            .iter()
            .map(|p| p.reports.as_slice())
            .chain(site.cities.iter().map(|c| c.reports.as_slice()))
            .collect();
        let mentions = site
            .reports
            .iter()
            .map(|r| {
                let officials = r.officials.iter().map(|a| a.person.0);
                officials.chain(r.cities.iter().map(|c| people + c.0)).collect()
            })
            .collect();
        let long_entities: Vec<u32> =
            (0..lists.len() as u32).filter(|e| lists[*e as usize].len() > SHORT_LIST).collect();
        let mut long_id = vec![None; lists.len()];
        for (l, e) in long_entities.iter().enumerate() {
            long_id[*e as usize] = Some(l as u32);
        }
        let words = site.reports.len().div_ceil(64);
        let long_bits = long_entities
            .par_iter()
            .map(|e| {
                let mut bits = vec![0u64; words];
                for id in lists[*e as usize] {
                    bits[id.index() / 64] |= 1 << (id.index() % 64);
                }
                bits
            })
            .collect();
        let long_lists = long_entities.iter().map(|e| lists[*e as usize]).collect();
        EntityLists { lists, mentions, long_id, long_bits, long_lists, walked: words }
    }

    /// The `limit` best related reports of every report, best first.
    fn best_for_every_report(&self, limit: usize) -> Vec<Vec<ReportId>> {
        let n = self.mentions.len();
        if limit == 0 {
            return vec![Vec::new(); n];
        }
        (0..n)
            .into_par_iter()
            .map_init(
                || (vec![0u32; n], Vec::<u32>::new()),
                |(scores, touched), i| self.best_for(i, scores, touched, limit).into_iter().map(ReportId).collect(),
            )
            .collect()
    }

    /// The long lists report `i` mentions, sorted (a multiset: a mention listed twice counts twice).
    fn long_lists_of(&self, i: usize) -> Vec<u32> {
        let mut set: Vec<u32> = self.mentions[i].iter().filter_map(|e| self.long_id[*e as usize]).collect();
        set.sort_unstable();
        set
    }

    /// `best` (reports ranked so far, in any order) with the reports `wanted` accepts
    /// that outrank them by the number of lists of `set` they are on (then by id): the
    /// best `limit` of all, ranked. A report on `t` of the `k` lists of `set` is on at
    /// least one of any `k - t + 1` of them, so walking the lists shortest first, once
    /// `w` are walked every report on `k - w + 1` lists or more has been met: as soon as
    /// `limit` reports ranked so far are on that many, no report left can outrank them.
    /// The reports met only on the last list are on it alone and rank by id: its first
    /// ones. Walking a list costs more than counting 64 reports at a time
    /// ([`Self::best_by_counting`]) once it is longer than a bitset has words: with two
    /// lists longer than `walked`, the reports are counted instead.
    fn best_by_long_lists(
        &self,
        set: &[u32],
        limit: usize,
        mut ranked: Vec<(u32, u32)>,
        wanted: impl Fn(u32) -> bool,
    ) -> Vec<(u32, u32)> {
        let mut order = set.to_vec();
        order.sort_by_key(|l| self.long_lists[*l as usize].len());
        let k = order.len();
        if k >= 2 && self.long_lists[order[k - 2] as usize].len() > self.walked {
            return self.best_by_counting(set, limit, ranked, wanted);
        }
        for walked in 0..k {
            let (earlier, list) = (&order[..walked], self.long_lists[order[walked] as usize]);
            let new = list.iter().map(|id| id.0).filter(|&j| !self.on_any(earlier, j) && wanted(j));
            if walked + 1 == k {
                ranked.extend(new.take(limit).map(|j| (self.long_score(set, j), j)));
                break;
            }
            for j in new {
                ranked.push((self.long_score(set, j), j));
                keep_best(&mut ranked, limit);
            }
            let least = (k - walked - 1) as u32;
            if ranked.iter().filter(|(count, _)| *count > least).count() >= limit {
                break;
            }
        }
        top(ranked, limit)
    }

    /// `best` (the best reports so far, at most `limit`, in any order) with the reports
    /// `wanted` accepts that outrank them by the number of lists of `set` they are on
    /// (then by id): the best `limit` of all, ranked. One pass over the bitsets in id
    /// order, [`LANES`] words of 64 reports at a time: it counts how many lists each
    /// report is on (as binary digits in `planes`, one lane per word, which the compiler
    /// turns into vector instructions), then takes, word by word, the reports with the
    /// counts that could still enter: a later report must be on more lists than the
    /// `limit`-th best so far, as it loses ties to lower ids. Once that is more than every
    /// list of `set`, no later report can, and the pass stops; once only reports on every
    /// list can, each word is just their intersection.
    fn best_by_counting(
        &self,
        set: &[u32],
        limit: usize,
        mut best: Vec<(u32, u32)>,
        wanted: impl Fn(u32) -> bool,
    ) -> Vec<(u32, u32)> {
        best = top(best, limit);
        let (k, words) = (set.len(), self.long_bits.first().map_or(0, Vec::len));
        let digits = (usize::BITS - k.leading_zeros()) as usize;
        let mut planes = [[0u64; LANES]; 32];
        for start in (0..words).step_by(LANES) {
            let block = start..words.min(start + LANES);
            match lowest_count(&best, limit, (start * 64) as u32) {
                lowest if lowest > k => break,
                lowest if lowest == k => {
                    for w in block {
                        let all = set.iter().fold(!0u64, |acc, &l| acc & self.long_bits[l as usize][w]);
                        take(&mut best, limit, k as u32, (w * 64) as u32, all, &wanted);
                    }
                    continue;
                }
                _ => {}
            }
            self.count_block(set, block.clone(), &mut planes[..digits]);
            for (lane, w) in block.enumerate() {
                let lowest = lowest_count(&best, limit, (w * 64) as u32);
                let any = planes[..digits].iter().fold(0, |acc, p| acc | p[lane]);
                for count in (lowest..=k).rev().filter(|_| any != 0) {
                    let mut mask = any;
                    for (d, plane) in planes[..digits].iter().enumerate() {
                        mask &= if count >> d & 1 == 1 { plane[lane] } else { !plane[lane] };
                    }
                    take(&mut best, limit, count as u32, (w * 64) as u32, mask, &wanted);
                }
            }
        }
        best
    }

    /// How many lists of `set` each report of the words `block` is on, as binary digits:
    /// bit `b` of lane `i` of `planes[d]` is digit `d` of the count of report
    /// `64 * (block.start + i) + b`.
    fn count_block(&self, set: &[u32], block: std::ops::Range<usize>, planes: &mut [[u64; LANES]]) {
        planes.iter_mut().for_each(|p| *p = [0; LANES]);
        for &l in set {
            let mut carry = [0u64; LANES];
            carry[..block.len()].copy_from_slice(&self.long_bits[l as usize][block.clone()]);
            for plane in planes.iter_mut() {
                for (p, c) in plane.iter_mut().zip(carry.iter_mut()) {
                    let sum = *p ^ *c;
                    *c &= *p;
                    *p = sum;
                }
            }
        }
    }

    /// Whether report `j` is on any of the long lists `lists`.
    fn on_any(&self, lists: &[u32], j: u32) -> bool {
        let (word, bit) = (j as usize / 64, j % 64);
        lists.iter().any(|&l| (self.long_bits[l as usize][word] >> bit) & 1 == 1)
    }

    fn long_score(&self, set: &[u32], j: u32) -> u32 {
        let (word, bit) = (j as usize / 64, j % 64);
        set.iter().map(|&l| ((self.long_bits[l as usize][word] >> bit) & 1) as u32).sum()
    }

    /// The `limit` best reports for report `i` (`limit` at least 1); `scores` and
    /// `touched` are scratch space, left as found (all zero, empty).
    fn best_for(&self, i: usize, scores: &mut [u32], touched: &mut Vec<u32>, limit: usize) -> Vec<u32> {
        let long = self.long_lists_of(i);
        let long = long.as_slice();
        for e in self.mentions[i].iter().filter(|e| self.long_id[**e as usize].is_none()) {
            for other in self.lists[*e as usize] {
                let j = other.index();
                if j != i {
                    if scores[j] == 0 {
                        touched.push(j as u32);
                    }
                    scores[j] += 1;
                }
            }
        }
        let mut ranked: Vec<(u32, u32)> =
            touched.iter().map(|&j| (scores[j as usize] + self.long_score(long, j), j)).collect();
        // Reports only the long lists share, where they outrank those scored above.
        if !long.is_empty() {
            let untouched = |j: u32| j as usize != i && scores[j as usize] == 0;
            ranked = self.best_by_long_lists(long, limit, ranked, untouched);
        }
        for &j in touched.iter() {
            scores[j as usize] = 0;
        }
        touched.clear();
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit, by_rank);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(by_rank);
        ranked.into_iter().map(|(_, j)| j).collect()
    }
}

/// Adds to `best` (ranked, at most `limit`) the reports of `mask` (bits of the word
/// starting at report `first_id`), each on `count` lists, that `wanted` accepts and
/// that outrank its last.
fn take(
    best: &mut Vec<(u32, u32)>,
    limit: usize,
    count: u32,
    first_id: u32,
    mut mask: u64,
    wanted: &impl Fn(u32) -> bool,
) {
    while mask != 0 {
        let entry = (count, first_id + mask.trailing_zeros());
        mask &= mask - 1;
        let outranks = best.len() < limit || by_rank(&entry, &best[limit - 1]).is_lt();
        if outranks && wanted(entry.1) {
            let at = best.partition_point(|b| by_rank(b, &entry).is_lt());
            best.insert(at, entry);
            best.truncate(limit);
        } else if !outranks {
            // The rest of the word: higher ids, no more lists.
            break;
        }
    }
}

/// Words of 64 reports counted at once by [`EntityLists::best_by_counting`].
const LANES: usize = 8;

/// The fewest lists a report from `first_id` on must be on to enter `best` (the best so
/// far, ranked): one more than the `limit`-th best when that one has a lower id.
fn lowest_count(best: &[(u32, u32)], limit: usize, first_id: u32) -> usize {
    match best.get(limit - 1) {
        Some(&(count, id)) if id < first_id => count as usize + 1,
        Some(&(count, _)) => (count as usize).max(1),
        None => 1,
    }
}

/// The best `limit` of `ranked`, best first.
fn top(mut ranked: Vec<(u32, u32)>, limit: usize) -> Vec<(u32, u32)> {
    ranked.sort_unstable_by(by_rank);
    ranked.truncate(limit);
    ranked
}

/// Cuts `ranked` down to its best `limit` when it has grown well past them: what ranks
/// below them now never ranks above them later.
fn keep_best(ranked: &mut Vec<(u32, u32)>, limit: usize) {
    if ranked.len() > 8 * limit {
        ranked.select_nth_unstable_by(limit - 1, by_rank);
        ranked.truncate(limit);
    }
}

/// Higher score first, then the lower (newer) report id.
fn by_rank(a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::diag::Diagnostics;
    use crate::load::{Sources, parse_report};

    /// The definition: walk every list of every report.
    fn walking_every_list(site: &Site, limit: usize) -> Vec<Vec<ReportId>> {
        let n = site.reports.len();
        (0..n)
            .map(|i| {
                let mut scores = vec![0u32; n];
                let r = &site.reports[i];
                let people = r.officials.iter().map(|a| &site.people[a.person.index()].reports);
                let cities = r.cities.iter().map(|c| &site.cities[c.index()].reports);
                for list in people.chain(cities) {
                    for other in list {
                        if other.index() != i {
                            scores[other.index()] += 1;
                        }
                    }
                }
                let mut ranked: Vec<(u32, u32)> =
                    scores.iter().enumerate().filter(|(_, s)| **s > 0).map(|(j, s)| (*s, j as u32)).collect();
                ranked.sort_by(by_rank);
                ranked.into_iter().take(limit).map(|(_, j)| ReportId(j)).collect()
            })
            .collect()
    }

    /// A tiny deterministic generator.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, m: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % m
        }

        /// Log-uniform: the first of `m` are picked far more often than the last.
        fn pick(&mut self, m: usize) -> usize {
            ((m as f64).powf(self.next(1000) as f64 / 1000.0) as usize - 1).min(m - 1)
        }

        /// Report `i` (its text varies with the generator) naming one of `cities` and
        /// up to three of `people`.
        fn report(&mut self, i: usize, (people, cities): (usize, usize)) -> String {
            let city = self.pick(cities);
            let count = 1 + self.pick(3);
            let people: Vec<String> = (0..count).map(|_| format!("Person {}", self.pick(people))).collect();
            format!(
                "---\ntitle: R{i}\ndate: 2019-{:02}-{:02}\ncities: [City {city}]\nofficials: [{}]\n---\n",
                1 + self.next(12),
                1 + self.next(28),
                people.join(", ")
            )
        }
    }

    fn site_of(reports: &[(String, String)]) -> Site {
        let mut sources = Sources::default();
        for (path, text) in reports {
            sources.reports.push(parse_report(path, text).unwrap().into());
        }
        let mut diags = Diagnostics::new();
        crate::model::resolve::resolve(sources, &SiteConfig::default(), false, &mut diags)
    }

    /// The files of a pseudo-random site where a few people and cities are in most
    /// reports (long lists) and many in a handful (short lists).
    fn skewed_reports(seed: u64, n: usize) -> Vec<(String, String)> {
        let mut rng = Lcg(seed);
        (0..n).map(|i| (format!("content/reports/r{i}.md"), rng.report(i, (300, 40)))).collect()
    }

    fn skewed_site(seed: u64, n: usize) -> Site {
        site_of(&skewed_reports(seed, n))
    }

    /// Each time, a few reports of `reports` rewritten (another date, other people and
    /// cities, people new to the site), moved to another date alone, removed or added,
    /// as `serve` sees edits.
    fn edited(rng: &mut Lcg, reports: &mut Vec<(String, String)>, round: usize) {
        for _ in 0..1 + rng.next(3) {
            let at = rng.next(reports.len());
            match rng.next(5) {
                0 => {
                    reports.remove(at);
                }
                1 => reports.push((format!("content/reports/new-{round}.md"), rng.report(at, (400, 50)))),
                2 => {
                    let date = format!("date: 20{:02}-06-15", 10 + rng.next(20));
                    let text = &reports[at].1;
                    let old = text.lines().find(|l| l.starts_with("date: ")).expect("a date").to_string();
                    reports[at].1 = text.replacen(&old, &date, 1);
                }
                _ => reports[at].1 = rng.report(at, (400, 50)),
            }
        }
    }

    #[test]
    fn related_reports_after_an_edit_are_those_of_ranking_every_report_again() {
        let mut rng = Lcg(7);
        for seed in 1..=3 {
            let mut reports = skewed_reports(seed, 400);
            let mut before = site_of(&reports);
            let mut reused = 0;
            for round in 0..25 {
                edited(&mut rng, &mut reports, round);
                let site = site_of(&reports);
                // `before`'s lists are as long as a resolve makes them.
                let limit = crate::model::resolve::RELATED_LIMIT;
                let expected = walking_every_list(&site, limit);
                let after = related_reports_after(&site, &before, limit);
                let wrong = (0..expected.len()).find(|&i| after[i] != expected[i]);
                assert!(wrong.is_none(), "seed {seed}, round {round}: report {wrong:?} differs");
                let edit = Edit::between(&site, &before).expect("a few reports changed");
                reused += site.reports.len() - edit.to_rank_again(&site, &before, limit).len();
                before = site;
            }
            assert!(reused > 25 * 300, "seed {seed}: only {reused} lists kept over 25 edits");
        }
    }

    #[test]
    fn splitting_long_and_short_lists_ranks_exactly_like_walking_every_list() {
        for seed in 1..=4 {
            let site = skewed_site(seed, 700);
            let long = site.cities.iter().filter(|c| c.reports.len() > SHORT_LIST).count()
                + site.people.iter().filter(|p| p.reports.len() > SHORT_LIST).count();
            assert!(long >= 3, "seed {seed}: the site has too few long lists to test them");
            for limit in [1, 5, 12] {
                let expected = walking_every_list(&site, limit);
                assert_eq!(related_reports(&site, limit), expected, "seed {seed}, limit {limit}");
                // Long lists walked whatever their length, and never (but for the longest).
                for walked in [usize::MAX, 0] {
                    let got = EntityLists { walked, ..EntityLists::of(&site) }.best_for_every_report(limit);
                    assert_eq!(got, expected, "seed {seed}, limit {limit}, walking lists up to {walked}");
                }
            }
        }
    }
}
