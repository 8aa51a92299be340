//! The names every report gives (interned, as [`super::memory::ReportNames`]), gathered
//! side by side for the names pass of [`super::resolve`].
//!
//! That pass must go report after report on one core (an entity is made where it is
//! first named), and most of its time went on reaching each report's names, scattered
//! over memory in lists of their own. Gathering them is independent for each report, so
//! it is done first on every core, into a few long lists the pass then reads in order.

use std::sync::Arc;

use rayon::prelude::*;

use super::memory::{NamedCity, ReportNames, Written};

/// How many cities, officials and topics a report may name; the pass reports the rest.
#[derive(Clone, Copy)]
pub struct Limits {
    pub cities: usize,
    pub officials: usize,
    pub topics: usize,
}

/// The names of every report, in the order of the reports given to [`Self::gather`].
#[derive(Default)]
pub struct GatheredNames {
    cities: Vec<NamedCity>,
    officials: Vec<(Written, Option<Written>)>,
    topics: Vec<Written>,
    /// Where each report's cities, officials and topics start in the lists above, and
    /// one more entry where they end.
    starts: Vec<[u32; 3]>,
    /// Which of each report's lists were cut at their limit (bits 0, 1, 2: cities,
    /// officials, topics).
    over: Vec<u8>,
}

/// One report's names, each list cut at its limit.
pub struct NamesOf<'a> {
    pub cities: &'a [NamedCity],
    pub officials: &'a [(Written, Option<Written>)],
    pub topics: &'a [Written],
    /// Whether the cities, officials and topics went over their limits.
    pub over: [bool; 3],
}

/// Reports gathered by each task: enough to keep both cores busy and the lists long.
const CHUNK: usize = 512;

impl GatheredNames {
    /// Gathers the names of `reports`, each list cut at its limit in `limits`.
    pub fn gather(reports: &[Arc<ReportNames>], limits: Limits) -> GatheredNames {
        let chunks: Vec<GatheredNames> =
            reports.par_chunks(CHUNK).map(|chunk| GatheredNames::gather_one_by_one(chunk, limits)).collect();
        let mut all = GatheredNames::default();
        for chunk in chunks {
            all.append(chunk);
        }
        all.starts.push(all.ends());
        all
    }

    fn gather_one_by_one(reports: &[Arc<ReportNames>], limits: Limits) -> GatheredNames {
        let mut gathered = GatheredNames::default();
        for names in reports {
            gathered.starts.push(gathered.ends());
            let (cities, officials, topics) = (&names.cities, &names.officials, &names.topics);
            gathered.cities.extend_from_slice(&cities[..cities.len().min(limits.cities)]);
            gathered.officials.extend_from_slice(&officials[..officials.len().min(limits.officials)]);
            gathered.topics.extend_from_slice(&topics[..topics.len().min(limits.topics)]);
            let over = [cities.len() > limits.cities, officials.len() > limits.officials, topics.len() > limits.topics];
            gathered.over.push(over.iter().enumerate().map(|(bit, over)| u8::from(*over) << bit).sum());
        }
        gathered
    }

    /// The lengths of the three lists, where the next report's names would start.
    fn ends(&self) -> [u32; 3] {
        [self.cities.len() as u32, self.officials.len() as u32, self.topics.len() as u32]
    }

    /// Puts the reports of `more` after these.
    fn append(&mut self, more: GatheredNames) {
        let offset = self.ends();
        self.starts.extend(more.starts.iter().map(|s| [s[0] + offset[0], s[1] + offset[1], s[2] + offset[2]]));
        self.cities.extend(more.cities);
        self.officials.extend(more.officials);
        self.topics.extend(more.topics);
        self.over.extend(more.over);
    }

    /// The names of report `i` (its place in the list gathered).
    pub fn of(&self, i: usize) -> NamesOf<'_> {
        let ([c, o, t], [c_end, o_end, t_end]) = (self.starts[i], self.starts[i + 1]);
        let over = self.over[i];
        NamesOf {
            cities: &self.cities[c as usize..c_end as usize],
            officials: &self.officials[o as usize..o_end as usize],
            topics: &self.topics[t as usize..t_end as usize],
            over: [over & 1 != 0, over & 2 != 0, over & 4 != 0],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cities: u32, officials: u32, topics: u32, first: u32) -> Arc<ReportNames> {
        let city = |i| NamedCity { name: Written(first + i), country: None, province: false };
        Arc::new(ReportNames {
            cities: (0..cities).map(city).collect(),
            officials: (0..officials).map(|i| (Written(first + 100 + i), None)).collect(),
            topics: (0..topics).map(|i| Written(first + 200 + i)).collect(),
            figure_cities: Vec::new(),
        })
    }

    #[test]
    fn each_report_gets_its_own_names_across_chunks_cut_at_the_limits() {
        let limits = Limits { cities: 2, officials: 3, topics: 1 };
        let reports: Vec<Arc<ReportNames>> =
            (0..CHUNK as u32 * 2 + 7).map(|i| names(i % 4, i % 5, i % 3, i * 1000)).collect();
        let gathered = GatheredNames::gather(&reports, limits);
        for (i, report) in reports.iter().enumerate() {
            let of = gathered.of(i);
            let cut = |len: usize, limit: usize| len.min(limit);
            assert_eq!(of.cities, &report.cities[..cut(report.cities.len(), 2)], "report {i}");
            assert_eq!(of.officials, &report.officials[..cut(report.officials.len(), 3)], "report {i}");
            assert_eq!(of.topics, &report.topics[..cut(report.topics.len(), 1)], "report {i}");
            let over = [report.cities.len() > 2, report.officials.len() > 3, report.topics.len() > 1];
            assert_eq!(of.over, over, "report {i}");
        }
    }
}
