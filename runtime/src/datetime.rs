//! A point in time, with exactly the conversions the AWS JSON protocols need.
//!
//! Hand-written rather than taken from `chrono` or `time`: the wire formats are a fixed handful
//! (epoch seconds, ISO-8601 / RFC 3339 in UTC, the HTTP date of RFC 7231) and must follow
//! botocore's precision rules to the letter; the civil-calendar arithmetic they need is a few
//! lines (Howard Hinnant's `days_from_civil`), whereas a calendar crate would add compile time to
//! every generated SDK.

use std::fmt;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A UTC instant with nanosecond precision, for members the model types as `timestamp`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    seconds: i64,
    /// Always in `0..1_000_000_000`, also for instants before the epoch.
    subsec_nanos: u32,
}

/// A timestamp that could not be parsed or represented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    fn new(message: impl Into<String>) -> Self {
        DateTimeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// The instant `seconds` after the Unix epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// The instant `seconds` plus `subsec_nanos` after the Unix epoch; nanoseconds of a second
    /// or more carry into the seconds.
    pub const fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Self {
        DateTime {
            seconds: seconds + (subsec_nanos as i64) / NANOS_PER_SECOND,
            subsec_nanos: subsec_nanos % (NANOS_PER_SECOND as u32),
        }
    }

    /// The instant `millis` milliseconds after the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            seconds: millis.div_euclid(1000),
            subsec_nanos: (millis.rem_euclid(1000) * 1_000_000) as u32,
        }
    }

    /// The instant for fractional epoch seconds, as the JSON protocols send them
    /// (`1.5e9`, `1700000000.123`). Rounded to the microsecond, the precision botocore keeps.
    pub fn from_fractional_secs(seconds: f64) -> Result<Self, DateTimeError> {
        if !seconds.is_finite() || seconds.abs() > 1e15 {
            return Err(DateTimeError::new(format!(
                "timestamp {seconds} is out of range"
            )));
        }
        let micros = (seconds * 1e6).round() as i64;
        Ok(DateTime {
            seconds: micros.div_euclid(1_000_000),
            subsec_nanos: (micros.rem_euclid(1_000_000) * 1000) as u32,
        })
    }

    /// The current time.
    pub fn now() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        DateTime {
            seconds: since_epoch.as_secs() as i64,
            subsec_nanos: since_epoch.subsec_nanos(),
        }
    }

    /// Whole seconds since the Unix epoch (rounded towards negative infinity).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the Unix epoch as a float.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / 1e9
    }

    /// ISO-8601 in UTC the way botocore writes it: `2024-01-02T03:04:05Z`, with `.ffffff`
    /// microseconds only when they are non-zero.
    pub fn to_iso8601(self) -> String {
        let (year, month, day, hour, minute, second) = self.civil();
        let micros = self.subsec_nanos / 1000;
        if micros == 0 {
            format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
        } else {
            format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{micros:06}Z")
        }
    }

    /// The HTTP date of RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`), for header bindings.
    pub fn to_http_date(self) -> String {
        const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (year, month, day, hour, minute, second) = self.civil();
        let weekday = WEEKDAYS[self.seconds.div_euclid(86_400).rem_euclid(7) as usize];
        let month = MONTHS[(month - 1) as usize];
        format!("{weekday}, {day:02} {month} {year:04} {hour:02}:{minute:02}:{second:02} GMT")
    }

    /// Parses RFC 3339 / ISO-8601 date-times: `2024-01-02T03:04:05Z`, with optional fractional
    /// seconds and a `Z` or `±hh:mm` offset; a lower-case `t`/`z` or a space separator is
    /// accepted as RFC 3339 allows.
    pub fn parse_iso8601(text: &str) -> Result<Self, DateTimeError> {
        let error = || DateTimeError::new(format!("invalid ISO-8601 timestamp: {text:?}"));
        let bytes = text.as_bytes();
        if bytes.len() < 19
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || !matches!(bytes[10], b'T' | b't' | b' ')
            || bytes[13] != b':'
            || bytes[16] != b':'
        {
            return Err(error());
        }
        let year = digits(&bytes[0..4]).ok_or_else(error)?;
        let month = digits(&bytes[5..7]).ok_or_else(error)?;
        let day = digits(&bytes[8..10]).ok_or_else(error)?;
        let hour = digits(&bytes[11..13]).ok_or_else(error)?;
        let minute = digits(&bytes[14..16]).ok_or_else(error)?;
        let second = digits(&bytes[17..19]).ok_or_else(error)?;
        let mut rest = &bytes[19..];
        let mut nanos = 0u32;
        if let [b'.', fraction @ ..] = rest {
            let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if len == 0 {
                return Err(error());
            }
            // Keep nanosecond precision, ignore further digits.
            for (i, digit) in fraction[..len].iter().enumerate().take(9) {
                nanos += u32::from(digit - b'0') * 10u32.pow(8 - i as u32);
            }
            rest = &fraction[len..];
        }
        let offset_seconds = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let hours = digits(&[*h1, *h2]).ok_or_else(error)?;
                let minutes = digits(&[*m1, *m2]).ok_or_else(error)?;
                let magnitude = hours * 3600 + minutes * 60;
                if *sign == b'+' { magnitude } else { -magnitude }
            }
            _ => return Err(error()),
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return Err(error());
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
        Ok(DateTime {
            seconds,
            subsec_nanos: nanos,
        })
    }

    /// Parses any form botocore accepts in a response (`parse_timestamp`): epoch seconds as
    /// text, ISO-8601, or an HTTP date.
    pub fn parse_any(text: &str) -> Result<Self, DateTimeError> {
        crate::json::timestamp::parse_text(text).map_err(DateTimeError::new)
    }

    /// Parses the HTTP date of RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`).
    pub fn parse_http_date(text: &str) -> Result<Self, DateTimeError> {
        let error = || DateTimeError::new(format!("invalid HTTP date: {text:?}"));
        let mut parts = text.split_ascii_whitespace();
        let (_weekday, day, month, year, time, zone) = (
            parts.next().ok_or_else(error)?,
            parts.next().ok_or_else(error)?,
            parts.next().ok_or_else(error)?,
            parts.next().ok_or_else(error)?,
            parts.next().ok_or_else(error)?,
            parts.next().ok_or_else(error)?,
        );
        if parts.next().is_some() || zone != "GMT" {
            return Err(error());
        }
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == month)
        .ok_or_else(error)? as i64
            + 1;
        let iso = format!("{year}-{month:02}-{day:0>2}T{time}Z");
        DateTime::parse_iso8601(&iso).map_err(|_| error())
    }

    fn civil(&self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.seconds.div_euclid(86_400);
        let second_of_day = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        (
            year,
            month,
            day,
            second_of_day / 3600,
            second_of_day % 3600 / 60,
            second_of_day % 60,
        )
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({})", self.to_rfc3339_nanos())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339_nanos())
    }
}

impl DateTime {
    /// RFC 3339 with as many fractional digits as are needed, for `Debug` and `Display`.
    fn to_rfc3339_nanos(self) -> String {
        let (year, month, day, hour, minute, second) = self.civil();
        let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
        if self.subsec_nanos != 0 {
            let fraction = format!("{:09}", self.subsec_nanos);
            text.push('.');
            text.push_str(fraction.trim_end_matches('0'));
        }
        text.push('Z');
        text
    }
}

impl From<std::time::SystemTime> for DateTime {
    fn from(time: std::time::SystemTime) -> Self {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => DateTime {
                seconds: after.as_secs() as i64,
                subsec_nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let mut seconds = -(before.as_secs() as i64);
                let mut nanos = before.subsec_nanos();
                if nanos > 0 {
                    seconds -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                DateTime {
                    seconds,
                    subsec_nanos: nanos,
                }
            }
        }
    }
}

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + i64::from(byte - b'0'))
    })
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms").
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_botocore() {
        let t = DateTime::from_secs(1_400_000_000);
        assert_eq!(t.to_iso8601(), "2014-05-13T16:53:20Z");
        assert_eq!(t.to_http_date(), "Tue, 13 May 2014 16:53:20 GMT");
        let t = DateTime::from_secs_and_nanos(1_400_000_000, 123_456_789);
        assert_eq!(t.to_iso8601(), "2014-05-13T16:53:20.123456Z");
        assert_eq!(DateTime::from_secs(0).to_iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(DateTime::from_secs(-1).to_iso8601(), "1969-12-31T23:59:59Z");
        assert_eq!(
            DateTime::from_secs(951_782_400).to_iso8601(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn parses_iso8601_variants() {
        let expected = DateTime::from_secs(1_400_000_000);
        for text in [
            "2014-05-13T16:53:20Z",
            "2014-05-13t16:53:20z",
            "2014-05-13 16:53:20Z",
            "2014-05-13T18:53:20+02:00",
            "2014-05-13T15:53:20-01:00",
        ] {
            assert_eq!(DateTime::parse_iso8601(text), Ok(expected), "{text}");
        }
        assert_eq!(
            DateTime::parse_iso8601("2014-05-13T16:53:20.5Z"),
            Ok(DateTime::from_secs_and_nanos(1_400_000_000, 500_000_000))
        );
        for bad in [
            "",
            "2014-05-13",
            "2014-13-01T00:00:00Z",
            "2014-02-30T00:00:00Z",
            "2014-05-13T16:53:20",
            "2014-05-13T16:53:20.Z",
            "2014-05-13T16:53:20+0200",
            "２０１４-05-13T16:53:20Z",
        ] {
            assert!(DateTime::parse_iso8601(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(
            DateTime::parse_http_date("Tue, 13 May 2014 16:53:20 GMT"),
            Ok(DateTime::from_secs(1_400_000_000))
        );
        assert!(DateTime::parse_http_date("Tue, 13 May 2014 16:53:20 PST").is_err());
        assert!(DateTime::parse_http_date("13 May 2014").is_err());
    }

    #[test]
    fn fractional_seconds_round_to_microseconds() {
        let t = DateTime::from_fractional_secs(1_400_000_000.123_456_7).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_400_000_000, 123_457_000));
        let t = DateTime::from_fractional_secs(-1.5).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert!(DateTime::from_fractional_secs(f64::NAN).is_err());
        assert!(DateTime::from_fractional_secs(1e300).is_err());
    }

    #[test]
    fn round_trips_through_civil_dates() {
        for seconds in [
            -62_135_596_800,
            -1,
            0,
            68_169_600,
            951_868_800,
            4_102_444_800,
            253_402_300_799,
        ] {
            let t = DateTime::from_secs(seconds);
            assert_eq!(DateTime::parse_iso8601(&t.to_iso8601()), Ok(t));
            assert_eq!(DateTime::parse_http_date(&t.to_http_date()), Ok(t));
        }
    }
}
