//! Data exports for journalists and other programs: the resolved graph as JSON
//! (`data/reports.json`, `data/people.json`, `data/cities.json`) and every figure as CSV
//! (`data/figures.csv`, RFC 4180). Entities refer to each other by slug; `path` is the
//! page's site path (relative to the site root, no leading slash). A site of several
//! languages writes them per language (`ru/data/reports.json`), each record naming its
//! language. docs/data.md is the schema.
//!
//! The CSV is opened in spreadsheets, which run a cell that starts like a formula: such
//! text cells are neutralised as OWASP advises (see [`csv_cell`]); numbers stay numbers.

use rayon::prelude::*;
use serde::Serialize;

use super::view::{self, Bodies};
use super::{Stop, route};
use crate::model::{CityId, PersonId, ReportId, Site};

#[derive(Serialize)]
struct ReportRecord<'a> {
    /// The record's language, in a site of several languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    slug: &'a str,
    path: String,
    source: &'a str,
    title: &'a str,
    date: String,
    end_date: Option<String>,
    summary: &'a str,
    organisation: Option<&'a str>,
    cities: Vec<&'a str>,
    officials: Vec<OfficialRecord<'a>>,
    figures: Vec<FigureRecord<'a>>,
    topics: Vec<&'a str>,
    related: Vec<&'a str>,
}

#[derive(Serialize)]
struct OfficialRecord<'a> {
    person: &'a str,
    role: Option<&'a str>,
    organisation: Option<&'a str>,
    country: Option<&'a str>,
}

#[derive(Serialize)]
struct FigureRecord<'a> {
    label: &'a str,
    value: f64,
    unit: Option<&'a str>,
    qualifier: Option<&'static str>,
    year: Option<i32>,
    city: Option<&'a str>,
    display: String,
}

#[derive(Serialize)]
struct PersonRecord<'a> {
    /// The record's language, in a site of several languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    slug: &'a str,
    path: String,
    name: &'a str,
    aliases: &'a [String],
    country: Option<&'a str>,
    latest_role: Option<&'a str>,
    reports: Vec<&'a str>,
}

#[derive(Serialize)]
struct CityRecord<'a> {
    /// The record's language, in a site of several languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    slug: &'a str,
    path: String,
    name: &'a str,
    aliases: &'a [String],
    province: Option<&'a str>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    reports: Vec<&'a str>,
}

/// The four export files (output path, bytes); `None` once `stop` says to stop. It is
/// asked before each record: `serve` makes the exports of every language after each
/// structural edit, a few hundred milliseconds of work that the next save must not wait
/// for.
pub fn exports(site: &Site, bodies: &Bodies, stop: Stop) -> Option<Vec<(String, Vec<u8>)>> {
    let path = |file: &str| route::in_language(site, file);
    Some(vec![
        (path("data/reports.json"), pretty_array(site.reports.len(), |i| report_record(site, bodies, i), stop)?),
        (path("data/people.json"), pretty_array(site.people.len(), |i| person_record(site, i), stop)?),
        (path("data/cities.json"), pretty_array(site.cities.len(), |i| city_record(site, i), stop)?),
        (path("data/figures.csv"), figures_csv(site, stop)?.into_bytes()),
    ])
}

/// How many records each share of a JSON array holds (see [`pretty_array`]).
const RECORDS_PER_SHARE: usize = 256;

/// A JSON array of `len` records, each made as it is written (`record(i)`), as
/// `serde_json::to_vec_pretty` writes the vector of its records, with a final newline;
/// `None` once `stop` says to stop (asked before each record).
///
/// Written in shares of [`RECORDS_PER_SHARE`] records on every core and then joined, in
/// order, into one buffer of its final size: serialised into one growing buffer, 30 MB of
/// records (`reports.json` of 10,000 reports) took one core and left the other idle, and
/// `serve` makes the exports of every language after each edit that moves a report. The
/// memory is no less fresh for it (the shares and the array are about twice the array):
/// docs/performance.md has the page faults.
fn pretty_array<R: Serialize>(len: usize, record: impl Fn(usize) -> R + Sync, stop: Stop) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(b"[]\n".to_vec());
    }
    let share = |k: usize| -> Option<Vec<u8>> {
        let (mut bytes, mut scratch) = (Vec::new(), Vec::new());
        for i in k * RECORDS_PER_SHARE..((k + 1) * RECORDS_PER_SHARE).min(len) {
            if stop() {
                return None;
            }
            bytes.extend_from_slice(if i == 0 { b"[\n  " } else { b",\n  " });
            scratch.clear();
            serde_json::to_writer_pretty(&mut scratch, &record(i)).expect("plain data serialises");
            indent_into(&mut bytes, &scratch);
        }
        Some(bytes)
    };
    let shares: Vec<Vec<u8>> =
        (0..len.div_ceil(RECORDS_PER_SHARE)).into_par_iter().map(share).collect::<Option<_>>()?;
    let mut bytes = Vec::with_capacity(shares.iter().map(Vec::len).sum::<usize>() + 3);
    shares.iter().for_each(|share| bytes.extend_from_slice(share));
    bytes.extend_from_slice(b"\n]\n");
    Some(bytes)
}

/// Appends `element`, pretty JSON written at the top level, as an element of an array:
/// every line after its first indented by two more spaces. Every newline of pretty JSON
/// is the formatter's (a newline in a string is escaped), so each one starts a line.
fn indent_into(bytes: &mut Vec<u8>, element: &[u8]) {
    let mut lines = element.split(|b| *b == b'\n');
    bytes.extend_from_slice(lines.next().unwrap_or_default());
    for line in lines {
        bytes.extend_from_slice(b"\n  ");
        bytes.extend_from_slice(line);
    }
}

/// The language records are written in: named in a site of several languages, where each
/// language has its own exports (`data/…`, `ru/data/…`).
fn record_language(site: &Site) -> Option<&str> {
    (!site.config.languages.is_empty()).then_some(site.config.language.as_str())
}

fn report_slugs<'a>(site: &'a Site, ids: &[ReportId]) -> Vec<&'a str> {
    let mut slugs: Vec<&str> = ids.iter().map(|id| site.report(*id).slug.as_str()).collect();
    slugs.sort_unstable();
    slugs
}

fn report_record<'a>(site: &'a Site, bodies: &'a Bodies, i: usize) -> ReportRecord<'a> {
    let (r, id) = (&site.reports[i], ReportId(i as u32));
    ReportRecord {
        language: record_language(site),
        slug: &r.slug,
        path: route::report(site, id),
        source: &r.source,
        title: &r.title,
        date: r.date.to_string(),
        end_date: r.end_date.map(|d| d.to_string()),
        summary: r.summary.as_deref().unwrap_or(&bodies.reports[i].first_paragraph),
        organisation: r.organisation.as_deref(),
        cities: r.cities.iter().map(|c| site.city(*c).slug.as_str()).collect(),
        officials: r
            .officials
            .iter()
            .map(|a| OfficialRecord {
                person: &site.person(a.person).slug,
                role: a.role.as_deref(),
                organisation: a.organisation.as_deref(),
                country: a.country.or(site.person(a.person).country).map(|c| site.country(c).slug.as_str()),
            })
            .collect(),
        figures: r
            .figures
            .iter()
            .map(|f| FigureRecord {
                label: &f.label,
                value: f.value,
                unit: f.unit.as_deref(),
                qualifier: f.qualifier.map(|q| q.as_str()),
                year: f.year,
                city: f.city.map(|c| site.city(c).slug.as_str()),
                display: f.display.to_string(),
            })
            .collect(),
        topics: r.topics.iter().map(|t| site.topic(*t).slug.as_str()).collect(),
        related: r.related.iter().map(|id| site.report(*id).slug.as_str()).collect(),
    }
}

fn person_record(site: &Site, i: usize) -> PersonRecord<'_> {
    let (p, id) = (&site.people[i], PersonId(i as u32));
    PersonRecord {
        language: record_language(site),
        slug: &p.slug,
        path: route::person(site, id),
        name: &p.name,
        aliases: &p.aliases,
        country: p.country.map(|c| site.country(c).slug.as_str()),
        latest_role: view::latest_role(site, id),
        reports: report_slugs(site, &p.reports),
    }
}

fn city_record(site: &Site, i: usize) -> CityRecord<'_> {
    let c = &site.cities[i];
    CityRecord {
        language: record_language(site),
        slug: &c.slug,
        path: route::city(site, CityId(i as u32)),
        name: &c.name,
        aliases: &c.aliases,
        province: c.province.as_deref(),
        country: c.country.map(|k| site.country(k).slug.as_str()),
        lat: c.lat,
        lon: c.lon,
        reports: report_slugs(site, &c.reports),
    }
}

/// One CSV cell. A plain number is written as it is. Text that a spreadsheet would take
/// for a formula or run as one (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a `'` in front and is quoted, as OWASP's advice on CSV injection has it:
/// the spreadsheet shows the text instead of evaluating it. Other text is quoted when it
/// holds a comma, quote or line break (RFC 4180); quotes inside are doubled.
fn csv_cell(text: &str) -> String {
    let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    if is_plain_number(text) {
        text.to_string()
    } else if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        quoted(&format!("'{text}"))
    } else if text.contains([',', '"', '\n', '\r']) {
        quoted(text)
    } else {
        text.to_string()
    }
}

/// Whether `text` is a decimal number as [`plain_number`] writes one (`-5`, `2.5`,
/// `-1.5e3`): a spreadsheet reads it as that number, never as a formula.
fn is_plain_number(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = unsigned.split_once(['e', 'E']).unwrap_or((unsigned, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
    digits(whole) && digits(fraction) && digits(exponent)
}

/// `value` as a plain number: no exponent, no thousands separators, no trailing `.0`.
fn plain_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// Every figure as CSV; `None` once `stop` says to stop (asked before each report's).
fn figures_csv(site: &Site, stop: Stop) -> Option<String> {
    let language = record_language(site);
    let mut csv = String::from("report,date,city,label,value,unit,qualifier,year");
    csv.push_str(if language.is_some() { ",language\r\n" } else { "\r\n" });
    for r in &site.reports {
        if stop() {
            return None;
        }
        for f in r.figures.iter() {
            let row = [
                r.slug.clone(),
                r.date.to_string(),
                f.city.map(|c| site.city(c).name.clone()).unwrap_or_default(),
                f.label.to_string(),
                plain_number(f.value),
                f.unit.as_deref().unwrap_or_default().to_string(),
                f.qualifier.map(|q| q.as_str().to_string()).unwrap_or_default(),
                f.year.map(|y| y.to_string()).unwrap_or_default(),
            ];
            let fields: Vec<String> = row.iter().map(String::as_str).chain(language).map(csv_cell).collect();
            csv.push_str(&fields.join(","));
            csv.push_str("\r\n");
        }
    }
    Some(csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with what pretty JSON indents: nested objects and arrays, empty ones, and
    /// strings with newlines and quotes.
    #[derive(Serialize)]
    struct Nested {
        slug: String,
        text: String,
        cities: Vec<&'static str>,
        none: Vec<u8>,
        figures: Vec<FigureRecord<'static>>,
        end: Option<i32>,
    }

    fn nested(i: usize) -> Nested {
        let figure = FigureRecord {
            label: "Trade \"total\"",
            value: i as f64 * 1.5,
            unit: Some("USD"),
            qualifier: None,
            year: Some(2020),
            city: None,
            display: format!("{i}\n{i}"),
        };
        Nested {
            slug: format!("r{i}"),
            text: format!("line one\nline two {i}\r\n\t\"quoted\""),
            cities: if i.is_multiple_of(3) { Vec::new() } else { vec!["weihai", "qingdao"] },
            none: Vec::new(),
            figures: if i.is_multiple_of(2) { vec![figure] } else { Vec::new() },
            end: i.is_multiple_of(5).then_some(7),
        }
    }

    /// The array written in shares is byte for byte what serde_json writes for the vector
    /// of its records: with no records, fewer than a share, exactly one, and several
    /// shares with a part share at the end.
    #[test]
    fn arrays_written_in_shares_are_serde_json_pretty_arrays() {
        for len in [0, 1, 2, RECORDS_PER_SHARE, RECORDS_PER_SHARE + 1, 3 * RECORDS_PER_SHARE + 17] {
            let records: Vec<Nested> = (0..len).map(nested).collect();
            let mut expected = serde_json::to_vec_pretty(&records).unwrap();
            expected.push(b'\n');
            let written = pretty_array(len, nested, &|| false).expect("not stopped");
            assert!(written == expected, "{len} records:\n{}", String::from_utf8_lossy(&written));
        }
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("GDP"), "GDP");
        assert_eq!(csv_cell("Trade, total"), "\"Trade, total\"");
        assert_eq!(csv_cell("the \"zone\""), "\"the \"\"zone\"\"\"");
        assert_eq!(plain_number(360e9), "360000000000");
        assert_eq!(plain_number(14.75e6), "14750000");
        assert_eq!(plain_number(2.5), "2.5");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised_and_numbers_are_not() {
        assert_eq!(csv_cell("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("+1-1"), "\"'+1-1\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_cell("\t=x"), "\"'\t=x\"");
        assert_eq!(csv_cell("\r=x"), "\"'\r=x\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for number in ["-5", "-1.5e3", "2.5", "1E-7", "360000000000", "0"] {
            assert_eq!(csv_cell(number), number);
        }
        for text in ["-", "-e3", "1.", ".5", "-1.5e", "--1", "1e3e3"] {
            assert!(!is_plain_number(text), "{text}");
        }
        assert_eq!(plain_number(-5.0), "-5");
        assert_eq!(plain_number(-1.5e3), "-1500");
    }
}
