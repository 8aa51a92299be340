//! Calendar dates as communique reads them: `YYYY-MM-DD` and nothing else. The one
//! place that decides what a valid date is, for front matter (`date`, `end_date`, in
//! reports and their translations), `communique new report --date` and the `date`
//! filters of templates, so all of them take and refuse the same text.

use std::fmt;

use crate::diag::msg;
use chrono::NaiveDate;

/// `text` as a date if it is exactly `YYYY-MM-DD` (four-digit year, two-digit month and
/// day, no sign, space or time) and a day of the calendar. chrono's `%Y-%m-%d` alone
/// would also take `21-1-1` (the year 21), `2021-1-5`, `+2021-01-06` and a leading space.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, InvalidDate> {
    let invalid = |problem| InvalidDate { text: text.to_string(), problem };
    let bytes = text.as_bytes();
    let written = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !written {
        return Err(invalid(Problem::Form));
    }
    // Every one of these is ASCII digits, so the slicing and parsing cannot fail.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or_default();
    let (year, month, day) = (number(0..4) as i32, number(5..7), number(8..10));
    if !(1..=12).contains(&month) {
        return Err(invalid(Problem::NoMonth(month)));
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| invalid(Problem::NoDay { year, month, day, days: days_in_month(year, month) }))
}

/// The number of days of `month` (1 to 12) in `year`.
fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31).rev().find(|day| NaiveDate::from_ymd_opt(year, month, *day).is_some()).unwrap_or(28)
}

/// Text that is not a date communique takes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDate {
    /// The text as written.
    pub text: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not written `YYYY-MM-DD`: `21-1-1`, `2021-1-5`, `+2021-01-06`, `2021-01-05T10:00`.
    Form,
    /// Written `YYYY-MM-DD`, with a month that is not 01 to 12.
    NoMonth(u32),
    /// Written `YYYY-MM-DD`, with a day the month does not have (`2021-02-30`, `2021-02-00`).
    NoDay { year: i32, month: u32, day: u32, days: u32 },
}

impl InvalidDate {
    /// What is wrong with the date, in words (made with `msg!`, so errors.md's test sees them).
    pub fn message(&self) -> crate::diag::Message {
        let text = &self.text;
        match self.problem {
            Problem::Form => msg!("\"{text}\" is not a date written YYYY-MM-DD"),
            Problem::NoMonth(month) => {
                msg!("\"{text}\" is not a date written YYYY-MM-DD: there is no month {month:02}")
            }
            Problem::NoDay { day: 0, .. } => msg!("\"{text}\" is not a date written YYYY-MM-DD: there is no day 00"),
            Problem::NoDay { year, month, days, .. } => {
                let name = chrono::Month::try_from(month as u8).map_or("the month", |m| m.name());
                msg!("\"{text}\" is not a date written YYYY-MM-DD: {name} {year:04} has {days} days")
            }
        }
    }
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for InvalidDate {}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        parse_iso_date(text).unwrap_err().to_string()
    }

    #[test]
    fn takes_dates_written_yyyy_mm_dd() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_iso_date("2019-04-02"), Ok(date(2019, 4, 2)));
        assert_eq!(parse_iso_date("2020-02-29"), Ok(date(2020, 2, 29)));
        assert_eq!(parse_iso_date("0021-01-01"), Ok(date(21, 1, 1)));
        assert_eq!(parse_iso_date("9999-12-31"), Ok(date(9999, 12, 31)));
    }

    #[test]
    fn refuses_every_other_form() {
        for text in [
            "21-1-1",
            "2021-1-5",
            "2021-01-5",
            "2021-1-05",
            "2019-1-5",
            "+2021-01-06",
            "-2021-01-06",
            "20210-01-05",
            "2021-01-05x",
            "2021-01-05 ",
            " 2021-01-05",
            "2021-01-05T10:00:00",
            "2021-01-05 10:00",
            "2021/01/05",
            "20210105",
            "05.01.2021",
            "２０２１-01-05",
            "2021-01-0٥",
            "",
            "~",
        ] {
            assert_eq!(
                parse_iso_date(text),
                Err(InvalidDate { text: text.to_string(), problem: Problem::Form }),
                "{text:?} was taken"
            );
            assert_eq!(message(text), format!("\"{text}\" is not a date written YYYY-MM-DD"));
        }
    }

    #[test]
    fn refuses_days_the_calendar_does_not_have() {
        assert_eq!(message("2021-02-30"), "\"2021-02-30\" is not a date written YYYY-MM-DD: February 2021 has 28 days");
        assert_eq!(message("2019-02-29"), "\"2019-02-29\" is not a date written YYYY-MM-DD: February 2019 has 28 days");
        assert_eq!(message("2020-04-31"), "\"2020-04-31\" is not a date written YYYY-MM-DD: April 2020 has 30 days");
        assert_eq!(message("2020-01-00"), "\"2020-01-00\" is not a date written YYYY-MM-DD: there is no day 00");
        assert_eq!(message("2019-13-45"), "\"2019-13-45\" is not a date written YYYY-MM-DD: there is no month 13");
        assert_eq!(message("2019-00-05"), "\"2019-00-05\" is not a date written YYYY-MM-DD: there is no month 00");
    }
}
