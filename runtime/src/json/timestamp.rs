//! Timestamps in responses, as botocore's `DEFAULT_TIMESTAMP_PARSER`
//! (`botocore.utils.parse_timestamp`) reads them: a number is epoch seconds; a string is tried
//! as a number (Python's `float(...)`), then as a date. Python's `datetime` keeps microseconds
//! (rounding epoch floats half-to-even, truncating longer ISO fractions) and years 1 to 9999.
//!
//! Not reproduced: `dateutil.parser.parse`'s guesswork on free-form text ("Jan 5" completed
//! with today's date, compact `20240102T030405`, ...). Accepted are RFC 3339 / ISO-8601 with or
//! without a zone (no zone means UTC), `±hhmm`, `±hh` and `±h` offsets, a bare date, and the HTTP date
//! with `GMT`, `UTC` or `+0000`.

use crate::DateTime;

/// `0001-01-01T00:00:00Z`, the earliest instant Python's `datetime` holds.
const MIN_SECONDS: i64 = -62_135_596_800;
/// `9999-12-31T23:59:59Z`, the latest whole second Python's `datetime` holds.
const MAX_SECONDS: i64 = 253_402_300_799;

/// An integer number of epoch seconds (a JSON integer).
pub(crate) fn from_epoch_integer(seconds: i64) -> Result<DateTime, String> {
    if (MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        Ok(DateTime::from_secs(seconds))
    } else {
        Err(format!("timestamp {seconds} is out of range"))
    }
}

/// Fractional epoch seconds, rounded to the microsecond as `datetime.fromtimestamp` does
/// (CPython's `_PyTime_DoubleToDenominator` with `ROUND_HALF_EVEN`: the exact fractional part is
/// scaled and rounded, not the whole value).
pub(crate) fn from_epoch_float(seconds: f64) -> Result<DateTime, String> {
    let out_of_range = || format!("timestamp {seconds} is out of range");
    if !seconds.is_finite() || seconds.abs() > 1e12 {
        return Err(out_of_range());
    }
    let mut whole = seconds.trunc();
    let mut micros = ((seconds - whole) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        whole += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        whole -= 1.0;
    }
    // `whole` is integral and below 1e12 in magnitude, so the conversion is exact.
    let whole = whole as i64;
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&whole) {
        return Err(out_of_range());
    }
    Ok(DateTime::from_secs_and_nanos(whole, micros as u32 * 1000))
}

/// A timestamp sent as a JSON string.
pub(crate) fn parse_text(text: &str) -> Result<DateTime, String> {
    if let Some(seconds) = python_float(text) {
        return from_epoch_float(seconds);
    }
    let date = DateTime::parse_iso8601(text)
        .or_else(|_| {
            normalize_iso8601(text)
                .ok_or(())
                .and_then(|normalized| DateTime::parse_iso8601(&normalized).map_err(|_| ()))
        })
        .or_else(|_| parse_http_date(text))
        .map_err(|_| format!("invalid timestamp {text:?}"))?;
    // Python's datetime keeps microseconds; dateutil truncates longer fractions.
    let date = DateTime::from_secs_and_nanos(date.secs(), date.subsec_nanos() / 1000 * 1000);
    if (MIN_SECONDS..=MAX_SECONDS).contains(&date.secs()) {
        Ok(date)
    } else {
        Err(format!("timestamp {text:?} is out of range"))
    }
}

/// What Python's `float(text)` accepts: surrounding whitespace, `_` between digits, and the
/// forms Rust's parser also takes (`1e9`, `.5`, `+1`, `inf`, `nan`).
fn python_float(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.contains('_') {
        let bytes = text.as_bytes();
        let between_digits = bytes.iter().enumerate().all(|(i, &b)| {
            b != b'_'
                || (i > 0
                    && bytes[i - 1].is_ascii_digit()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        });
        if !between_digits {
            return None;
        }
        return text.replace('_', "").parse().ok();
    }
    text.parse().ok()
}

/// Rewrites the ISO-8601 variants that `dateutil` reads but RFC 3339 lacks into RFC 3339:
/// no zone (UTC), `+hhmm`, `+hh`, `+h`, and a bare date.
fn normalize_iso8601(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.len() == 10 {
        return Some(format!("{text}T00:00:00Z"));
    }
    if bytes.len() < 19 || !text.is_ascii() {
        return None;
    }
    let mut zone_at = 19;
    if bytes[19..].first() == Some(&b'.') {
        zone_at += 1 + bytes[20..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    let (date_time, zone) = text.split_at(zone_at);
    let zone = match zone.as_bytes() {
        [] => "Z".to_owned(),
        [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            format!(
                "{}{}{}:{}{}",
                *sign as char, *h1 as char, *h2 as char, *m1 as char, *m2 as char
            )
        }
        [b'+' | b'-', _, _] => format!("{zone}:00"),
        [sign @ (b'+' | b'-'), h] => format!("{}0{}:00", *sign as char, *h as char),
        _ => return None,
    };
    Some(format!("{date_time}{zone}"))
}

fn parse_http_date(text: &str) -> Result<DateTime, ()> {
    if let Ok(date) = DateTime::parse_http_date(text) {
        return Ok(date);
    }
    let trimmed = text.trim_end();
    for alias in [" UTC", " +0000"] {
        if let Some(rest) = trimmed.strip_suffix(alias) {
            return DateTime::parse_http_date(&format!("{rest} GMT")).map_err(|_| ());
        }
    }
    Err(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, expected seconds, expected microseconds), from botocore's `parse_timestamp`
    /// under Python 3.11 (`.timestamp()` and `.microsecond` of its result).
    #[test]
    fn json_timestamp_text_like_botocore() {
        let cases: &[(&str, i64, u32)] = &[
            ("1700000000", 1_700_000_000, 0),
            ("1.5e9", 1_500_000_000, 0),
            (" 12 ", 12, 0),
            ("1_000", 1000, 0),
            ("-1.5", -2, 500_000),
            ("-0.0000005", 0, 0),
            ("0.0000015", 0, 2),
            ("1700000000.1234565", 1_700_000_000, 123_456),
            ("2024-01-02T03:04:05Z", 1_704_164_645, 0),
            ("2024-01-02T03:04:05.1234567Z", 1_704_164_645, 123_456),
            ("2024-01-02T03:04:05.999999999Z", 1_704_164_645, 999_999),
            ("2024-01-02T03:04:05+0100", 1_704_161_045, 0),
            ("2024-01-02T03:04:05+01", 1_704_161_045, 0),
            ("2024-01-02T03:04:05+01:00", 1_704_161_045, 0),
            ("2024-01-02T03:04:05+1", 1_704_161_045, 0),
            ("2024-01-02T03:04:05.5-08:00", 1_704_193_445, 500_000),
            ("2024-01-02T03:04:05", 1_704_164_645, 0),
            ("2024-01-02 03:04:05Z", 1_704_164_645, 0),
            ("2024-01-02", 1_704_153_600, 0),
            ("1970-01-01T00:00:00.000Z", 0, 0),
            ("Tue, 02 Jan 2024 03:04:05 GMT", 1_704_164_645, 0),
            ("Tue, 02 Jan 2024 03:04:05 +0000", 1_704_164_645, 0),
            ("Tue, 02 Jan 2024 03:04:05 UTC", 1_704_164_645, 0),
        ];
        for &(text, seconds, micros) in cases {
            let date = parse_text(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(
                (date.secs(), date.subsec_nanos()),
                (seconds, micros * 1000),
                "{text:?}"
            );
        }
        for text in [
            "garbage",
            "",
            "nan",
            "inf",
            "-Infinity",
            "1e12",
            "1__0",
            "_1",
            "2024-13-02T03:04:05Z",
            "Tue, 02 Foo 2024 03:04:05 GMT",
            "0000-01-01T00:00:00Z",
        ] {
            assert!(parse_text(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn json_timestamp_epoch_numbers_like_python() {
        let f = |v: f64| {
            let d = from_epoch_float(v).unwrap();
            (d.secs(), d.subsec_nanos() / 1000)
        };
        assert_eq!(f(1_724_725_732.458), (1_724_725_732, 458_000));
        assert_eq!(f(-1.5), (-2, 500_000));
        assert_eq!(f(0.0000005), (0, 0));
        assert_eq!(f(0.0000025), (0, 2));
        assert_eq!(f(0.9999996), (1, 0));
        assert_eq!(f(-0.9999996), (-1, 0));
        assert_eq!(f(253_402_300_799.0), (253_402_300_799, 0));
        assert!(from_epoch_float(253_402_300_800.0).is_err());
        assert!(from_epoch_float(-62_135_596_801.0).is_err());
        assert!(from_epoch_float(f64::NAN).is_err());
        assert!(from_epoch_integer(MAX_SECONDS + 1).is_err());
        assert!(from_epoch_integer(MIN_SECONDS - 1).is_err());
        assert_eq!(from_epoch_integer(0).unwrap(), DateTime::from_secs(0));
    }
}
