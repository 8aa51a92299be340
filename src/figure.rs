//! Figures quoted in reports: parsing values such as `360 billion` and formatting them for
//! readers (`¥360 billion`, `$14.75 million`, `over 200`, `1,014 companies`).

use serde::{Deserialize, Serialize};

/// How a figure's value is hedged in the text ("over 200 countries").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Qualifier {
    #[serde(rename = "over")]
    Over,
    #[serde(rename = "under")]
    Under,
    #[serde(rename = "about")]
    About,
    #[serde(rename = "exceeding")]
    Exceeding,
    #[serde(rename = "up to")]
    UpTo,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::About => "about",
            Qualifier::Exceeding => "exceeding",
            Qualifier::UpTo => "up to",
        }
    }

    pub fn parse(text: &str) -> Option<Qualifier> {
        [Qualifier::Over, Qualifier::Under, Qualifier::About, Qualifier::Exceeding, Qualifier::UpTo]
            .into_iter()
            .find(|q| q.as_str() == text)
    }
}

const MAGNITUDES: &[(&str, f64)] = &[("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)];

/// Parses `1014`, `1,014`, `5.8 billion`, `360 Billion` into a number.
pub fn parse_value(text: &str) -> Option<f64> {
    let text = text.trim().to_lowercase();
    let (number, factor) = match text.rsplit_once(char::is_whitespace) {
        Some((number, word)) => {
            let factor = MAGNITUDES.iter().find(|(w, _)| *w == word)?.1;
            (number.trim(), factor)
        }
        None => (text.as_str(), 1.0),
    };
    if !valid_grouping(number) {
        return None;
    }
    let digits: String = number.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    Some(value * factor)
}

/// Thousands separators, when present, must group the integer part in threes.
fn valid_grouping(number: &str) -> bool {
    if !number.contains(',') {
        return true;
    }
    let integer = number.split('.').next().unwrap_or("").trim_start_matches('-');
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

/// ISO 4217 codes rendered with a symbol before the number.
const SYMBOLS: &[(&str, &str)] = &[
    ("CNY", "¥"),
    ("RMB", "¥"),
    ("USD", "$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥"),
    ("RUB", "₽"),
    ("INR", "₹"),
    ("KZT", "₸"),
    ("KRW", "₩"),
    ("TRY", "₺"),
    ("UAH", "₴"),
    ("ILS", "₪"),
    ("NGN", "₦"),
    ("PHP", "₱"),
    ("VND", "₫"),
    ("THB", "฿"),
    ("MNT", "₮"),
];

/// Active ISO 4217 codes without a common symbol: printed as the code before the number.
const ISO_CODES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP \
BYN BZD CAD CDF CHF CLP COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB FJD FKP GEL GHS GIP GMD GNF GTQ GYD HKD HNL \
HTG HUF IDR IQD IRR ISK JMD JOD KES KGS KHR KMF KPW KWD KYD LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MOP MRU MUR \
MVR MWK MXN MYR MZN NAD NIO NOK NPR NZD OMR PAB PEN PGK PKR PLN PYG QAR RON RSD RWF SAR SBD SCR SDG SEK SGD SHP SLE \
SOS SRD SSP STN SYP SZL TJS TMT TND TOP TTD TWD TZS UGX UYU UZS VES VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";

/// How a unit is written next to a number.
enum UnitStyle<'a> {
    Symbol(&'a str),
    Code(&'a str),
    Percent,
    Word(&'a str),
    None,
}

fn unit_style(unit: Option<&str>) -> UnitStyle<'_> {
    let Some(unit) = unit.map(str::trim).filter(|u| !u.is_empty()) else {
        return UnitStyle::None;
    };
    if let Some((_, symbol)) = SYMBOLS.iter().find(|(code, _)| *code == unit) {
        return UnitStyle::Symbol(symbol);
    }
    if unit == "%" {
        return UnitStyle::Percent;
    }
    // Every code is three capital letters: most units ("companies") need no search.
    let code_like = unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase());
    // The list is codes of three letters each followed by a space: compared four bytes apart.
    if code_like && ISO_CODES.as_bytes().chunks(4).any(|code| &code[..3] == unit.as_bytes()) {
        return UnitStyle::Code(unit);
    }
    UnitStyle::Word(unit)
}

/// Whether `unit` is an ISO 4217 currency code.
pub fn is_currency(unit: &str) -> bool {
    matches!(unit_style(Some(unit)), UnitStyle::Symbol(_) | UnitStyle::Code(_))
}

/// A number for readers: a magnitude word from a million up (`14.75 million`), thousands
/// separators below (`20,000`), at most two decimals.
pub fn format_number(value: f64) -> String {
    let magnitude = value.abs();
    for (word, factor) in MAGNITUDES.iter().rev().filter(|(_, f)| *f >= 1e6) {
        if magnitude >= *factor {
            return format!("{} {word}", trim_decimals(value / factor));
        }
    }
    group_thousands(&trim_decimals(value))
}

/// `value` rounded to at most two decimals, without trailing zeros (`3.5`, `-0.01`, `12`).
fn trim_decimals(value: f64) -> String {
    let cents = (value * 100.0).round();
    // Below 10^15 cents the nearest double to `cents / 100` prints as those digits, so
    // integer arithmetic gives what float formatting would, several times faster (every
    // figure of a site is formatted on every resolve).
    if cents.abs() >= 1e15 || cents.is_nan() {
        return trim_decimals_by_formatting(value);
    }
    let cents = cents as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let (whole, fraction) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    match fraction {
        0 => format!("{sign}{whole}"),
        tenths if tenths % 10 == 0 => format!("{sign}{whole}.{}", tenths / 10),
        hundredths => format!("{sign}{whole}.{hundredths:02}"),
    }
}

/// [`trim_decimals`] through float formatting, for magnitudes beyond its integer path.
fn trim_decimals_by_formatting(value: f64) -> String {
    let text = format!("{:.2}", (value * 100.0).round() / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

/// `12345.5` -> `12,345.5`: commas between groups of three integer digits.
pub fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (integer, fraction) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A figure as a reader sees it: `exceeding $20,000`, `¥360 billion`, `1,014 companies`.
pub fn format_figure(value: f64, unit: Option<&str>, qualifier: Option<Qualifier>) -> String {
    let number = format_number(value);
    let amount = match unit_style(unit) {
        UnitStyle::Symbol(symbol) => match number.strip_prefix('-') {
            Some(positive) => format!("-{symbol}{positive}"),
            None => format!("{symbol}{number}"),
        },
        UnitStyle::Code(code) => format!("{code} {number}"),
        UnitStyle::Percent => format!("{number}%"),
        UnitStyle::Word(word) => format!("{number} {word}"),
        UnitStyle::None => number,
    };
    match qualifier {
        Some(q) => format!("{} {amount}", q.as_str()),
        None => amount,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_grouped_and_magnitude_values() {
        assert_eq!(parse_value("1014"), Some(1014.0));
        assert_eq!(parse_value("1,014"), Some(1014.0));
        assert_eq!(parse_value("360 billion"), Some(360e9));
        assert_eq!(parse_value("5.8 Billion"), Some(5.8e9));
        assert_eq!(parse_value("14.75 million"), Some(14_750_000.0));
        assert_eq!(parse_value("2 trillion"), Some(2e12));
        assert_eq!(parse_value("20 thousand"), Some(20_000.0));
    }

    #[test]
    fn rejects_words_and_bad_grouping() {
        assert_eq!(parse_value("lots"), None);
        assert_eq!(parse_value("5 gazillion"), None);
        assert_eq!(parse_value("1,01,4"), None);
        assert_eq!(parse_value(""), None);
        assert_eq!(parse_value("billion"), None);
    }

    #[test]
    fn formats_numbers_for_readers() {
        assert_eq!(format_number(20000.0), "20,000");
        assert_eq!(format_number(1014.0), "1,014");
        assert_eq!(format_number(396.0), "396");
        assert_eq!(format_number(3.456), "3.46");
        assert_eq!(format_number(14_750_000.0), "14.75 million");
        assert_eq!(format_number(360e9), "360 billion");
        assert_eq!(format_number(1_000_000.0), "1 million");
        assert_eq!(format_number(-1234.5), "-1,234.5");
    }

    #[test]
    fn formats_figures_as_in_the_spec() {
        assert_eq!(format_figure(360e9, Some("CNY"), None), "¥360 billion");
        assert_eq!(format_figure(5.8e9, Some("USD"), None), "$5.8 billion");
        assert_eq!(format_figure(14.75e6, Some("USD"), None), "$14.75 million");
        assert_eq!(format_figure(20000.0, Some("USD"), Some(Qualifier::Exceeding)), "exceeding $20,000");
        assert_eq!(format_figure(200.0, None, Some(Qualifier::Over)), "over 200");
        assert_eq!(format_figure(1014.0, Some("companies"), None), "1,014 companies");
        assert_eq!(format_figure(5e9, Some("UZS"), Some(Qualifier::UpTo)), "up to UZS 5 billion");
        assert_eq!(format_figure(7.5, Some("%"), None), "7.5%");
        assert_eq!(format_figure(40000.0, Some("TEU"), None), "40,000 TEU");
    }

    #[test]
    fn rounding_by_integers_prints_what_float_formatting_prints() {
        let mut values = vec![0.0, -0.0, 0.004, -0.004, 0.005, -0.005, 0.015, 1.005, 2.675, 1e13, 9.99e12, 1e15, -1e16];
        values.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE]);
        // A fixed pseudo-random walk over many magnitudes, and the neighbours of each value.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (state % 34) as i32 - 6;
            let value = mantissa * 10f64.powi(exponent) * if state & 1 == 0 { 1.0 } else { -1.0 };
            values.extend([value, (value * 100.0).round() / 100.0, value.next_up(), value.next_down()]);
        }
        for value in values {
            assert_eq!(trim_decimals(value), trim_decimals_by_formatting(value), "{value:e}");
        }
    }

    #[test]
    fn currency_codes_are_recognised() {
        assert!(is_currency("USD"));
        assert!(is_currency("UZS"));
        assert!(!is_currency("TEU"));
        assert!(!is_currency("companies"));
        assert!(is_currency("AED") && is_currency("ZWL"), "the first and last codes of the list");
        assert!(!is_currency("ZWX") && !is_currency("AE "));
    }
}
