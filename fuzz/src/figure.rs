//! Fuzz target: figure values and units. The input is `value|unit|qualifier`; the value
//! goes through the same deserializer a report's `figures[].value` does (a string such
//! as `360 billion` or `1,014`), the unit and qualifier as written, and a value that
//! parses is formatted for readers as the resolver does (`¥360 billion`). Eight more
//! bytes, when present, are a raw `f64` (any finite YAML number is accepted). Checks that
//! a formatted number reads back as (nearly) the same value, so no figure is misprinted.

use communique::load::raw::RawFigure;
use communique::model::figure::{self, Qualifier};
use serde_yaml::{Mapping, Value};

/// Runs the target on one input: returns when it passes, panics on a finding.
pub fn run(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let mut fields = text.splitn(3, '|');
    let value = fields.next().unwrap_or("");
    let unit = fields.next();
    let qualifier = fields.next();
    let _ = figure::is_currency(unit.unwrap_or(""));
    let _ = qualifier.map(Qualifier::parse);
    let mut yaml = Mapping::new();
    yaml.insert("label".into(), "Figure".into());
    yaml.insert("value".into(), value.into());
    yaml.insert("unit".into(), unit.map_or(Value::Null, Value::from));
    yaml.insert("qualifier".into(), qualifier.map_or(Value::Null, Value::from));
    if let Ok(raw) = serde_yaml::from_value::<RawFigure>(Value::Mapping(yaml)) {
        check_formatting(raw.value.0, raw.unit.as_deref(), raw.qualifier);
    }
    if let Some(raw) = bytes.last_chunk::<8>() {
        let number = f64::from_le_bytes(*raw);
        if number.is_finite() {
            check_formatting(number, unit, Qualifier::parse(qualifier.unwrap_or("")));
        }
    }
}

/// Formats `value` as the resolver does, and reads the number back.
fn check_formatting(value: f64, unit: Option<&str>, qualifier: Option<Qualifier>) {
    let unit = unit.filter(|u| !u.trim().is_empty());
    let _ = figure::format_figure(value, unit, qualifier);
    let printed = figure::format_number(value);
    let read_back = figure::parse_value(&printed).unwrap_or_else(|| panic!("{value} printed as {printed:?}"));
    // Two decimals of the number or of its millions, billions, trillions: off by at most
    // half a hundredth of it (or 0.005 below one).
    let tolerance = 0.0051 * value.abs().max(1.0);
    assert!((read_back - value).abs() <= tolerance, "{value} printed as {printed:?}, read back as {read_back}");
}
