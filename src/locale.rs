//! The rules of a language from CLDR, through ICU4X with its compiled data: long dates and
//! date ranges, numbers, figure magnitudes in the language's own words (`5.8 billion`,
//! `5,8 млрд`, `58亿`), figure amounts with their currency or unit (`5,8 млрд $`,
//! `US$58亿`, `12,5 %`), the language's alphabetical order, its plural categories and its
//! writing direction. A [`Locale`] is made once per language of a build (its formatters
//! are made in [`Locale::new`] and kept) and shared by the threads that render.
//!
//! No month names, separators, currency symbols or word lists are kept here: every string
//! comes from CLDR's data as ICU4X compiles it into the binary (currencies and percentages
//! from `icu_experimental`), except the dash that joins the two ends of a date range (see
//! [`Locale::date_range`]) and English figure amounts, which are communique's own format
//! ([`Locale::amount`]). The site's language writes the theme's `date` and `date_range`
//! filters (render/theme.rs) and orders the A–Z lists of non-English sites
//! (render/view.rs); the theme strings choose their plural forms by [`category_name`]
//! (render/i18n.rs), and [`is_right_to_left`] gives the site its `dir` (project.rs).
//! Nothing writes [`Locale::amount`] into pages yet.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Mutex;

use chrono::{Datelike, NaiveDate};
use icu_calendar::{Date, Gregorian};
use icu_collator::{Collator, CollatorBorrowed};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{D, MD, YM, YMD};
use icu_datetime::parts;
use icu_decimal::input::{Decimal, FloatPrecision};
use icu_decimal::parts as number_parts;
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale::{LanguageIdentifier, LocaleDirectionality, LocaleExpander, TransformResult};
use icu_plurals::{PluralCategory, PluralRules};
use writeable::{Part, PartsWrite, Writeable};

use crate::figure;

/// Joins the two days of a range within one month: `23–26 July 2020`.
const DAY_DASH: &str = "\u{2013}";
/// Joins the two ends of a range whose months or years differ, with thin spaces as CLDR's
/// English and German interval patterns have them: `23 July – 2 August 2020`.
const WIDE_DASH: &str = "\u{2009}\u{2013}\u{2009}";

/// A language tag that is malformed, or names a language CLDR does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// The tag as it was written.
    pub tag: String,
    /// Why it was refused, for the diagnostic.
    pub reason: String,
}

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown language `{}`: {}", self.tag, self.reason)
    }
}

impl std::error::Error for UnknownLanguage {}

/// The long or short words of [`Locale::magnitude`]: `5.8 billion` or `5.8B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compact {
    Long,
    Short,
}

/// The CLDR rules of one language, with every formatter made once.
pub struct Locale {
    tag: String,
    /// The parsed tag, for the currency formatters [`Locale::amount`] makes per currency.
    locale: icu_locale::Locale,
    /// English keeps communique's own figure format ([`figure::format_figure`]).
    english: bool,
    date: DateTimeFormatter<YMD>,
    month: DateTimeFormatter<YM>,
    month_day: DateTimeFormatter<MD>,
    day: DateTimeFormatter<D>,
    decimal: DecimalFormatter,
    compact_long: CompactDecimalFormatter,
    compact_short: CompactDecimalFormatter,
    collator: CollatorBorrowed<'static>,
    plurals: PluralRules,
    percent: PercentFormatter<DecimalFormatter>,
    rtl: bool,
    /// The long dates written so far ([`Locale::date`]): a site writes each report's date
    /// on every list that shows it, six to eight times over, and formatting them all
    /// took 1.5% of a build's time.
    long_dates: Mutex<HashMap<NaiveDate, String>>,
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locale").field("tag", &self.tag).finish_non_exhaustive()
    }
}

impl Locale {
    /// The rules of the language a BCP 47 tag names (`en`, `ru`, `zh`, `zh-Hant`, `fa`,
    /// `en-GB`, `fa-u-ca-gregory`). The language subtag must be one CLDR has likely
    /// subtags for (its "common" set, the languages it has locale data for); a malformed
    /// tag, `und` or an unknown language is an [`UnknownLanguage`] naming the tag.
    pub fn new(code: &str) -> Result<Locale, UnknownLanguage> {
        let refuse = |reason: String| UnknownLanguage { tag: code.to_string(), reason };
        let locale: icu_locale::Locale =
            code.parse().map_err(|e| refuse(format!("not a BCP 47 language tag ({e})")))?;
        if !is_known_language(&locale.id) {
            return Err(refuse("CLDR has no data for this language".to_string()));
        }
        let failed = |what: &str, e: &dyn fmt::Display| refuse(format!("no CLDR {what} ({e})"));
        Ok(Locale {
            tag: locale.to_string(),
            english: locale.id.language == icu_locale::subtags::language!("en"),
            date: DateTimeFormatter::try_new((&locale).into(), YMD::long()).map_err(|e| failed("dates", &e))?,
            month: DateTimeFormatter::try_new((&locale).into(), YM::long()).map_err(|e| failed("dates", &e))?,
            month_day: DateTimeFormatter::try_new((&locale).into(), MD::long()).map_err(|e| failed("dates", &e))?,
            day: DateTimeFormatter::try_new((&locale).into(), D::long()).map_err(|e| failed("dates", &e))?,
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default())
                .map_err(|e| failed("numbers", &e))?,
            compact_long: CompactDecimalFormatter::try_new_long((&locale).into(), Default::default())
                .map_err(|e| failed("compact numbers", &e))?,
            compact_short: CompactDecimalFormatter::try_new_short((&locale).into(), Default::default())
                .map_err(|e| failed("compact numbers", &e))?,
            collator: Collator::try_new((&locale).into(), Default::default()).map_err(|e| failed("collation", &e))?,
            plurals: PluralRules::try_new_cardinal((&locale).into()).map_err(|e| failed("plural rules", &e))?,
            percent: PercentFormatter::try_new((&locale).into(), Default::default())
                .map_err(|e| failed("percentages", &e))?,
            rtl: LocaleDirectionality::new_common().is_right_to_left(&locale.id),
            locale,
            long_dates: Mutex::default(),
        })
    }

    /// The tag in its canonical form (`zh-Hant`, `en-GB`), for `<html lang>` and `hreflang`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The language's long date in its default calendar: `April 2, 2019` for `en`, which is
    /// CLDR's American English (`en-GB` and `en-001` give `2 April 2019`),
    /// `2 апреля 2019 г.`, `2019年4月2日`, and for `fa` the Solar Hijri date
    /// `۱۳ فروردین ۱۳۹۸` (`fa-u-ca-gregory` keeps the Gregorian calendar).
    pub fn date(&self, date: NaiveDate) -> String {
        let written = |dates: &HashMap<NaiveDate, String>| dates.get(&date).cloned();
        let lock = || self.long_dates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = written(&lock()) {
            return text;
        }
        let text = match gregorian(date) {
            Some(d) => self.date.format(&d).to_string(),
            None => date.to_string(),
        };
        lock().insert(date, text.clone());
        text
    }

    /// The month and year of `date` as the language writes them alone: `April 2019`,
    /// `апрель 2019 г.`, `2019年4月`.
    pub fn month(&self, date: NaiveDate) -> String {
        match gregorian(date) {
            Some(d) => self.month.format(&d).to_string(),
            None => date.format("%Y-%m").to_string(),
        }
    }

    /// Two dates as one range, the parts they share written once: `23–26 July 2020`
    /// (en-GB), `July 23 – August 2, 2020` (en), `23–26 июля 2020 г.`,
    /// `2020年7月23日–26日`. Ends in the wrong order are swapped.
    ///
    /// ICU4X 2.4's range formatter (`icu_datetime::range`, unstable) panics on long month
    /// names, so the range is built from the long date of `to`, in which the fields that
    /// differ (the day; or the month and day) are replaced by the same fields of `from`
    /// formatted alone by CLDR's day or month-day pattern, a dash, and those of `to`.
    /// Which fields differ is read from the formatted dates, so months are those of the
    /// language's calendar. Dates of different years are both written in full. The dashes
    /// are an en dash between days and an en dash between thin spaces otherwise (CLDR's
    /// English form) in every language, not CLDR's per-language interval glue (`至` in
    /// Chinese, `—` in Russian, `تا` in Persian).
    pub fn date_range(&self, from: NaiveDate, to: NaiveDate) -> String {
        let (from, to) = if to < from { (to, from) } else { (from, to) };
        let (Some(start), Some(end)) = (gregorian(from), gregorian(to)) else {
            return format!("{from}{WIDE_DASH}{to}");
        };
        let (a, b) = (FieldSpans::of(&self.date.format(&start)), FieldSpans::of(&self.date.format(&end)));
        if a.text == b.text {
            return b.text;
        }
        let shared = |part| a.field(part).is_some() && a.field(part) == b.field(part);
        if !shared(parts::YEAR) {
            return format!("{}{WIDE_DASH}{}", a.text, b.text);
        }
        let (span, from_alone, dash) = if shared(parts::MONTH) {
            (b.span(&[parts::DAY]), self.day.format(&start).to_string(), DAY_DASH)
        } else {
            (b.span(&[parts::MONTH, parts::DAY]), self.month_day.format(&start).to_string(), WIDE_DASH)
        };
        match span {
            Some(span) => {
                let mut text = b.text.clone();
                text.replace_range(span.clone(), &format!("{from_alone}{dash}{}", &b.text[span]));
                text
            }
            None => format!("{}{WIDE_DASH}{}", a.text, b.text),
        }
    }

    /// A number with the language's digits and grouping and decimal separators: `1,014`,
    /// `1 014` (with U+00A0) for `ru`, `۱٬۰۱۴` for `fa`. All its digits are written.
    pub fn number(&self, value: f64) -> String {
        match decimal(value) {
            Some(d) => self.decimal.format(&d).to_string(),
            None => value.to_string(),
        }
    }

    /// A figure's value in the language's own words, from CLDR's compact decimal forms:
    /// `5.8 billion` / `5.8B`, `5,8 миллиарда` / `5,8 млрд`, `58亿`, `۵٫۸ میلیارد`. The
    /// power of ten is the language's (Chinese counts in 万 and 亿), and every digit of
    /// the value is kept (`14.75 million`, not CLDR's rounded `15 million`). Values below
    /// the language's first compact form are written as [`Locale::number`] does. Units
    /// and currencies are not added.
    pub fn magnitude(&self, value: f64, style: Compact) -> String {
        let formatter = match style {
            Compact::Long => &self.compact_long,
            Compact::Short => &self.compact_short,
        };
        let Some(full) = decimal(value) else { return value.to_string() };
        let exponent = formatter.compact_exponent_for_magnitude(full.absolute.nonzero_magnitude_start());
        let mut significand = full;
        significand.absolute.multiply_pow10(-i16::from(exponent));
        significand.absolute.trim_end();
        match formatter.format_with_exponent(&significand, exponent) {
            Ok(text) => text.to_string(),
            Err(_) => self.number(value),
        }
    }

    /// A figure's value with its unit as a reader of the language writes it, without the
    /// qualifier (`over`, `about`: the theme's strings add those):
    ///
    /// - a currency (an ISO 4217 code, [`figure::is_currency`]) with CLDR's symbol for it in
    ///   the language, placed by CLDR's currency pattern around the number:
    ///   `5,8 млрд $`, `US$58亿`, `¥3600亿`, `$۵٫۸ میلیارد` (after a left-to-right mark);
    ///   a currency CLDR has no symbol for in the language is written by its code
    ///   (`RUB 58亿`), as CLDR does;
    /// - `%` by CLDR's percent pattern: `12,5 %` (with a no-break space) in `ru`;
    /// - any other unit is a word (`companies`, `TEU`), written after the number and a space
    ///   as the author wrote it (a translation gives its own word);
    /// - no unit: the number alone (`5,8 млрд`, `58亿`).
    ///
    /// The number is written in full below a million (`1 014`, `200 $`) and from a million
    /// up by the language's short compact form ([`Locale::magnitude`]: `млрд`, `亿`), every
    /// digit kept (`14,75 млн ₽`), put where CLDR's currency format puts its digits.
    /// English (`en`, `en-GB`, ...) is communique's own format, byte for byte what
    /// [`figure::format_figure`] writes: `$5.8 billion`, `¥360 billion`, `UZS 5 billion`.
    pub fn amount(&self, value: f64, unit: Option<&str>) -> String {
        if self.english {
            return figure::format_figure(value, unit, None);
        }
        match unit.map(str::trim).filter(|u| !u.is_empty()) {
            None => self.figure_number(value),
            Some("%") => match decimal(value) {
                Some(d) => self.percent.format(&d).to_string(),
                None => format!("{value}%"),
            },
            Some(code) if figure::is_currency(code) => self.money(value, code),
            Some(word) => format!("{} {word}", self.figure_number(value)),
        }
    }

    /// A figure's number: in full below a million (`1 014`, `40,000`), as English figures
    /// are, and from a million up in the language's short compact form (`14,75 млн`,
    /// `1475万`), where a row of zeros is harder to read than the language's word.
    fn figure_number(&self, value: f64) -> String {
        if value.abs() < 1e6 { self.number(value) } else { self.magnitude(value, Compact::Short) }
    }

    /// `value` in the currency `code` by CLDR's symbol and currency pattern, the digits
    /// replaced by the figure's number. The formatter is made per call because it is made
    /// for one currency; making one takes under a microsecond.
    fn money(&self, value: f64, code: &str) -> String {
        let number = self.figure_number(value.abs());
        let formatter = CurrencyType::try_from_str(&code.to_ascii_lowercase()).ok().and_then(|currency| {
            CurrencyFormatter::try_new_symbol((&self.locale).into(), currency, Default::default()).ok()
        });
        let (Some(formatter), Some(full)) = (formatter, decimal(value)) else {
            return format!("{} {code}", self.figure_number(value));
        };
        let formatted = FieldSpans::of(&formatter.format_fixed_decimal(&full));
        match formatted.covering(&[number_parts::INTEGER, number_parts::DECIMAL, number_parts::FRACTION]) {
            Some(digits) => {
                let mut text = formatted.text.clone();
                text.replace_range(digits, &number);
                text
            }
            None => formatted.text,
        }
    }

    /// The order of two strings in the language's alphabet (CLDR's default collation:
    /// Cyrillic before Latin in `ru`, pinyin order and Han first in `zh`, stroke order in
    /// `zh-Hant`), for sorting A–Z lists with `sort_by`.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }

    /// Whether the language is written right to left (`fa`, `ar`, `he`): `dir="rtl"`.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// CLDR's plural category of a count in the language (`zero`, `one`, `two`, `few`,
    /// `many` or `other`): for `ru`, 1 and 21 are `one`, 2 is `few`, 5 and 11 are `many`.
    pub fn plural_category(&self, count: f64) -> &'static str {
        category_name(match decimal(count) {
            Some(d) => self.plurals.category_for(&d),
            None => PluralCategory::Other,
        })
    }
}

/// CLDR's name of a plural category (`one`, `few`, ...), as string files key plural forms.
pub fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Whether CLDR knows the tag's language: it has likely subtags for it (`ru` →
/// `ru-Cyrl-RU`). `und` is refused: it names no language.
/// Whether the language `tag` names is written right to left, without making a whole
/// [`Locale`] (a malformed or unknown tag is taken as left to right).
pub fn is_right_to_left(tag: &str) -> bool {
    tag.parse::<icu_locale::Locale>()
        .is_ok_and(|locale| LocaleDirectionality::new_common().is_right_to_left(&locale.id))
}

fn is_known_language(id: &LanguageIdentifier) -> bool {
    if id.language.is_unknown() {
        return false;
    }
    let mut language_alone = LanguageIdentifier::from(id.language);
    matches!(LocaleExpander::new_common().maximize(&mut language_alone), TransformResult::Modified)
}

fn gregorian(date: NaiveDate) -> Option<Date<Gregorian>> {
    let (month, day) = (u8::try_from(date.month()).ok()?, u8::try_from(date.day()).ok()?);
    Date::try_new_gregorian(date.year(), month, day).ok()
}

/// A float as a decimal with the shortest digits that read back as the same float.
fn decimal(value: f64) -> Option<Decimal> {
    Decimal::try_from_f64(value, FloatPrecision::RoundTrip).ok()
}

/// A formatted date and where each of its fields (day, month, year) is in it.
struct FieldSpans {
    text: String,
    spans: Vec<(Part, Range<usize>)>,
}

impl FieldSpans {
    fn of(formatted: &impl Writeable) -> FieldSpans {
        let mut spans = FieldSpans { text: String::new(), spans: Vec::new() };
        // Writing into a String cannot fail.
        let _ = formatted.write_to_parts(&mut spans);
        spans
    }

    fn field(&self, part: Part) -> Option<&str> {
        self.spans.iter().find(|(p, _)| *p == part).map(|(_, r)| &self.text[r.clone()])
    }

    /// The smallest range that holds every one of `fields`; `None` if one is missing.
    fn span(&self, fields: &[Part]) -> Option<Range<usize>> {
        if fields.iter().all(|f| self.field(*f).is_some()) { self.covering(fields) } else { None }
    }

    /// The smallest range that holds every span of the `fields` present; `None` if none is.
    fn covering(&self, fields: &[Part]) -> Option<Range<usize>> {
        let ranges = self.spans.iter().filter(|(p, _)| fields.contains(p)).map(|(_, r)| r.clone());
        ranges.reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
    }
}

impl fmt::Write for FieldSpans {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for FieldSpans {
    type SubPartsWrite = FieldSpans;

    fn with_part(&mut self, part: Part, mut write: impl FnMut(&mut FieldSpans) -> fmt::Result) -> fmt::Result {
        let start = self.text.len();
        write(self)?;
        self.spans.push((part, start..self.text.len()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        Locale::new(tag).unwrap()
    }

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn months_alone_are_each_languages_own() {
        assert_eq!(locale("en-GB").month(day(2019, 4, 2)), "April 2019");
        // Alone, the month is in the nominative (апрель), not the genitive of a date.
        assert_eq!(locale("ru").month(day(2019, 4, 2)), "апрель 2019\u{202f}г.");
        assert_eq!(locale("zh").month(day(2019, 4, 2)), "2019年4月");
    }

    #[test]
    fn long_dates_are_each_languages_own() {
        assert_eq!(locale("en").date(day(2019, 4, 2)), "April 2, 2019");
        assert_eq!(locale("en-GB").date(day(2019, 4, 2)), "2 April 2019");
        // CLDR puts a narrow no-break space before the abbreviation of «года».
        assert_eq!(locale("ru").date(day(2019, 4, 2)), "2 апреля 2019\u{202f}г.");
        assert_eq!(locale("zh").date(day(2019, 4, 2)), "2019年4月2日");
        // Persian's default calendar is the Solar Hijri one: 2 April 2019 is 13 Farvardin 1398.
        assert_eq!(locale("fa").date(day(2019, 4, 2)), "۱۳ فروردین ۱۳۹۸");
        assert_eq!(locale("fa-u-ca-gregory").date(day(2019, 4, 2)), "۲ آوریل ۲۰۱۹");
    }

    #[test]
    fn a_long_date_written_again_is_the_same_text_and_another_day_another() {
        // The second time, the date comes from what the locale wrote before.
        for tag in ["en-GB", "ru", "zh", "fa"] {
            let l = locale(tag);
            let first = l.date(day(2019, 4, 2));
            assert_eq!(l.date(day(2019, 4, 2)), first, "{tag}");
            assert_ne!(l.date(day(2019, 4, 3)), first, "{tag}: the next day written as the first");
            assert_eq!(l.date(day(2019, 4, 3)), locale(tag).date(day(2019, 4, 3)), "{tag}");
        }
    }

    #[test]
    fn date_ranges_write_what_both_ends_share_once() {
        let (start, same_month, next_month) = (day(2020, 7, 23), day(2020, 7, 26), day(2020, 8, 2));
        let (december, january) = (day(2020, 12, 30), day(2021, 1, 2));
        let en = locale("en");
        assert_eq!(en.date_range(start, same_month), "July 23–26, 2020");
        assert_eq!(en.date_range(start, next_month), "July 23\u{2009}–\u{2009}August 2, 2020");
        assert_eq!(en.date_range(december, january), "December 30, 2020\u{2009}–\u{2009}January 2, 2021");
        assert_eq!(en.date_range(start, start), "July 23, 2020");
        assert_eq!(en.date_range(same_month, start), "July 23–26, 2020", "ends in the wrong order are swapped");
        assert_eq!(locale("en-GB").date_range(start, same_month), "23–26 July 2020");
        let ru = locale("ru");
        assert_eq!(ru.date_range(start, same_month), "23–26 июля 2020\u{202f}г.");
        assert_eq!(ru.date_range(start, next_month), "23 июля\u{2009}–\u{2009}2 августа 2020\u{202f}г.");
        let zh = locale("zh");
        assert_eq!(zh.date_range(start, same_month), "2020年7月23日–26日");
        assert_eq!(zh.date_range(start, next_month), "2020年7月23日\u{2009}–\u{2009}8月2日");
        assert_eq!(zh.date_range(december, january), "2020年12月30日\u{2009}–\u{2009}2021年1月2日");
        let fa = locale("fa");
        assert_eq!(fa.date_range(start, same_month), "۲–۵ مرداد ۱۳۹۹");
        // One Persian month (Dey 1399) although the Gregorian year changes.
        assert_eq!(fa.date_range(december, january), "۱۰–۱۳ دی ۱۳۹۹");
    }

    #[test]
    fn numbers_have_the_languages_digits_and_separators() {
        assert_eq!(locale("en").number(1014.0), "1,014");
        assert_eq!(locale("en").number(1_234_567.5), "1,234,567.5");
        assert_eq!(locale("ru").number(1014.0), "1\u{a0}014");
        assert_eq!(locale("ru").number(1_234_567.5), "1\u{a0}234\u{a0}567,5");
        assert_eq!(locale("zh").number(1_234_567.5), "1,234,567.5");
        assert_eq!(locale("fa").number(1_234_567.5), "۱٬۲۳۴٬۵۶۷٫۵");
        assert_eq!(locale("en").number(f64::NAN), "NaN", "a value ICU4X cannot take is written as Rust does");
    }

    /// Figures as English writes them today, with and without units.
    const FIGURES: &[(f64, Option<&str>)] = &[
        (360e9, Some("CNY")),
        (5.8e9, Some("USD")),
        (14.75e6, Some("USD")),
        (20000.0, Some("USD")),
        (-1234.5, Some("EUR")),
        (5e9, Some("UZS")),
        (5e9, Some("RMB")),
        (7.5, Some("%")),
        (12.5, Some("%")),
        (1014.0, Some("companies")),
        (40000.0, Some("TEU")),
        (200.0, None),
        (3.456, None),
        (-2e6, None),
    ];

    #[test]
    fn english_amounts_are_communiques_own_figure_format() {
        for tag in ["en", "en-GB", "en-US"] {
            let en = locale(tag);
            for &(value, unit) in FIGURES {
                let expected = crate::figure::format_figure(value, unit, None);
                assert_eq!(en.amount(value, unit), expected, "{tag} {value} {unit:?}");
            }
        }
        assert_eq!(locale("en").amount(360e9, Some("CNY")), "¥360 billion");
        assert_eq!(locale("en").amount(12.5, Some("%")), "12.5%");
    }

    #[test]
    fn russian_amounts_place_the_currency_by_cldr() {
        let ru = locale("ru");
        assert_eq!(ru.amount(5.8e9, Some("USD")), "5,8\u{a0}млрд\u{a0}$");
        assert_eq!(ru.amount(360e9, Some("CNY")), "360\u{a0}млрд\u{a0}CN¥");
        assert_eq!(ru.amount(14.75e6, Some("RUB")), "14,75\u{a0}млн\u{a0}₽");
        assert_eq!(ru.amount(-2e6, Some("EUR")), "-2\u{a0}млн\u{a0}€");
        assert_eq!(ru.amount(200.0, Some("USD")), "200\u{a0}$", "no currency decimals are added");
        assert_eq!(ru.amount(3.456, Some("USD")), "3,456\u{a0}$", "every digit is kept");
        assert_eq!(ru.amount(20000.0, Some("USD")), "20\u{a0}000\u{a0}$", "in full below a million");
        assert_eq!(ru.amount(5e9, Some("UZS")), "5\u{a0}млрд\u{a0}UZS", "no Russian symbol: the code");
        assert_eq!(ru.amount(12.5, Some("%")), "12,5\u{a0}%");
        assert_eq!(ru.amount(-3.0, Some("%")), "-3\u{a0}%");
        assert_eq!(ru.amount(1014.0, Some("компаний")), "1\u{a0}014 компаний");
        assert_eq!(ru.amount(2.5e6, Some("TEU")), "2,5\u{a0}млн TEU");
        assert_eq!(ru.amount(360e9, None), "360\u{a0}млрд");
        assert_eq!(ru.amount(-7.0, None), "-7");
    }

    #[test]
    fn chinese_amounts_count_in_wan_and_yi() {
        let zh = locale("zh");
        assert_eq!(zh.amount(5.8e9, Some("USD")), "US$58亿");
        assert_eq!(zh.amount(360e9, Some("CNY")), "¥3600亿");
        assert_eq!(zh.amount(14.75e6, Some("USD")), "US$1475万");
        assert_eq!(zh.amount(-2e6, Some("EUR")), "-€200万");
        assert_eq!(zh.amount(5.8e9, Some("RUB")), "RUB\u{a0}58亿", "no Chinese symbol: the code");
        assert_eq!(zh.amount(200.0, Some("USD")), "US$200");
        assert_eq!(zh.amount(12.5, Some("%")), "12.5%");
        assert_eq!(zh.amount(1014.0, Some("家公司")), "1,014 家公司");
        assert_eq!(zh.amount(360e9, None), "3600亿");
    }

    #[test]
    fn persian_amounts_have_persian_digits_and_marks() {
        let fa = locale("fa");
        assert_eq!(fa.amount(5.8e9, Some("USD")), "\u{200e}$۵٫۸\u{a0}میلیارد");
        assert_eq!(fa.amount(360e9, Some("CNY")), "\u{200e}¥CN\u{a0}۳۶۰\u{a0}میلیارد");
        assert_eq!(fa.amount(14.75e6, Some("EUR")), "\u{200e}€۱۴٫۷۵\u{a0}میلیون");
        assert_eq!(fa.amount(-2e6, Some("RUB")), "\u{200e}−\u{200e}RUB\u{a0}۲\u{a0}میلیون");
        assert_eq!(fa.amount(200.0, Some("USD")), "\u{200e}$۲۰۰");
        assert_eq!(fa.amount(12.5, Some("%")), "۱۲٫۵%");
        assert_eq!(fa.amount(1014.0, Some("شرکت")), "۱٬۰۱۴ شرکت");
        assert_eq!(fa.amount(-7.0, None), "\u{200e}−۷");
    }

    #[test]
    fn magnitudes_are_in_the_languages_words_with_every_digit() {
        let (en, ru, zh, fa) = (locale("en"), locale("ru"), locale("zh"), locale("fa"));
        assert_eq!(en.magnitude(5.8e9, Compact::Long), "5.8 billion");
        assert_eq!(en.magnitude(5.8e9, Compact::Short), "5.8B");
        assert_eq!(en.magnitude(14.75e6, Compact::Long), "14.75 million");
        assert_eq!(en.magnitude(-2e6, Compact::Long), "-2 million");
        assert_eq!(en.magnitude(200.0, Compact::Long), "200");
        assert_eq!(ru.magnitude(5.8e9, Compact::Long), "5,8 миллиарда");
        assert_eq!(ru.magnitude(5.8e9, Compact::Short), "5,8\u{a0}млрд");
        assert_eq!(ru.magnitude(360e9, Compact::Long), "360 миллиардов");
        assert_eq!(ru.magnitude(1e6, Compact::Long), "1 миллион");
        assert_eq!(zh.magnitude(5.8e9, Compact::Long), "58亿");
        assert_eq!(zh.magnitude(360e9, Compact::Short), "3600亿");
        assert_eq!(zh.magnitude(14.75e6, Compact::Long), "1475万");
        assert_eq!(fa.magnitude(5.8e9, Compact::Long), "۵٫۸ میلیارد");
    }

    fn sorted(locale: &Locale, words: &[&'static str]) -> Vec<&'static str> {
        let mut words = words.to_vec();
        words.sort_by(|a, b| locale.compare(a, b));
        words
    }

    #[test]
    fn lists_sort_in_the_languages_alphabet() {
        let words = ["Zoë", "Émile", "Eve", "apple", "Жуков", "Ёлкин", "Егоров", "Абрамов"];
        assert_eq!(
            sorted(&locale("en"), &words),
            ["apple", "Émile", "Eve", "Zoë", "Абрамов", "Егоров", "Ёлкин", "Жуков"]
        );
        assert_eq!(
            sorted(&locale("ru"), &words),
            ["Абрамов", "Егоров", "Ёлкин", "Жуков", "apple", "Émile", "Eve", "Zoë"]
        );
        // Pinyin: ā (阿), lǐ (李), wáng (王), zhāng (张); Han before Latin.
        assert_eq!(sorted(&locale("zh"), &["张", "Li", "王", "李", "阿"]), ["阿", "李", "王", "张", "Li"]);
        // آ (alef with madda) before ا, then ب; Arabic script before Latin.
        assert_eq!(sorted(&locale("fa"), &["بابک", "Iran", "ایران", "آذر"]), ["آذر", "ایران", "بابک", "Iran"]);
    }

    #[test]
    fn right_to_left_languages_are_known() {
        for tag in ["fa", "ar", "he"] {
            assert!(locale(tag).is_rtl() && is_right_to_left(tag), "{tag}");
        }
        for tag in ["en", "ru", "zh", "zh-Hant"] {
            assert!(!locale(tag).is_rtl() && !is_right_to_left(tag), "{tag}");
        }
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let ru = locale("ru");
        let counts = [1.0, 2.0, 5.0, 11.0, 21.0, 1.5];
        assert_eq!(counts.map(|n| ru.plural_category(n)), ["one", "few", "many", "many", "one", "other"]);
        assert_eq!(
            counts.map(|n| locale("en").plural_category(n)),
            ["one", "other", "other", "other", "other", "other"]
        );
        assert_eq!(locale("zh").plural_category(1.0), "other");
        assert_eq!(locale("fa").plural_category(1.0), "one");
    }

    #[test]
    fn unknown_or_malformed_tags_are_errors_naming_the_tag() {
        for tag in ["xx", "und", "zz-Hans", "en_US", "", "english"] {
            let error = Locale::new(tag).expect_err(tag);
            assert_eq!(error.tag, tag);
            assert!(error.to_string().starts_with(&format!("unknown language `{tag}`: ")), "{error}");
        }
        assert_eq!(locale("zh-hant").tag(), "zh-Hant", "tags are kept in canonical form");
    }

    #[test]
    fn a_locale_is_shared_by_the_rendering_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Locale>();
    }
}
