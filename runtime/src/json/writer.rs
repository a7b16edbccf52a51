//! The writer: appends compact JSON to a byte buffer.

use std::io::Write as _;

use super::scan::find_special;
use super::{SerializeJson, TimestampFormat};
use crate::DateTime;

/// Writes one JSON document, compactly, into a growing buffer.
///
/// Commas are written where needed: call [`key`](Self::key) before each member value and
/// nothing between array elements. Output is UTF-8 with non-ASCII characters written raw (botocore
/// escapes them as `\uXXXX`; both are the same JSON). Numbers are written as Python writes them,
/// so bodies match botocore's byte for byte apart from spacing and that escaping.
#[derive(Debug, Default, Clone)]
pub struct JsonWriter {
    buf: Vec<u8>,
    /// A value was just completed: the next key or element needs a comma first.
    need_comma: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        JsonWriter {
            buf: Vec::with_capacity(128),
            need_comma: false,
        }
    }

    /// The document written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    #[inline(always)]
    fn separate(&mut self) {
        if self.need_comma {
            self.buf.push(b',');
        }
    }

    /// Starts an object (`{`).
    #[inline]
    pub fn begin_object(&mut self) {
        self.separate();
        self.buf.push(b'{');
        self.need_comma = false;
    }

    /// Ends an object (`}`).
    #[inline]
    pub fn end_object(&mut self) {
        self.buf.push(b'}');
        self.need_comma = true;
    }

    /// Starts an array (`[`).
    #[inline]
    pub fn begin_array(&mut self) {
        self.separate();
        self.buf.push(b'[');
        self.need_comma = false;
    }

    /// Ends an array (`]`).
    #[inline]
    pub fn end_array(&mut self) {
        self.buf.push(b']');
        self.need_comma = true;
    }

    /// Writes a member key: the separating comma when needed, then `"key":`.
    #[inline]
    pub fn key(&mut self, key: &str) {
        self.separate();
        self.quoted(key);
        self.buf.push(b':');
        self.need_comma = false;
    }

    /// A string value, escaped.
    #[inline]
    pub fn string(&mut self, value: &str) {
        self.separate();
        self.quoted(value);
        self.need_comma = true;
    }

    /// Writes `"value"`, escaping `"`, `\` and control characters as Python's `json.dumps`
    /// does (`\n`, `\u001f`, ...).
    fn quoted(&mut self, value: &str) {
        let bytes = value.as_bytes();
        self.buf.reserve(bytes.len() + 2);
        self.buf.push(b'"');
        let mut start = 0;
        loop {
            let end = find_special(bytes, start);
            self.buf
                .extend_from_slice(bytes.get(start..end).unwrap_or_default());
            let Some(&b) = bytes.get(end) else { break };
            match b {
                b'"' => self.buf.extend_from_slice(b"\\\""),
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                0x08 => self.buf.extend_from_slice(b"\\b"),
                0x0c => self.buf.extend_from_slice(b"\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.buf.extend_from_slice(b"\\u00");
                    self.buf.push(HEX[usize::from(b >> 4)]);
                    self.buf.push(HEX[usize::from(b & 0xf)]);
                }
            }
            start = end + 1;
        }
        self.buf.push(b'"');
    }

    /// `true` or `false`.
    #[inline]
    pub fn boolean(&mut self, value: bool) {
        self.separate();
        self.buf
            .extend_from_slice(if value { b"true" } else { b"false" });
        self.need_comma = true;
    }

    /// An integer.
    #[inline]
    pub fn integer(&mut self, value: i64) {
        self.separate();
        if value < 0 {
            self.buf.push(b'-');
        }
        self.digits(value.unsigned_abs());
        self.need_comma = true;
    }

    fn unsigned(&mut self, value: u64) {
        self.separate();
        self.digits(value);
        self.need_comma = true;
    }

    fn digits(&mut self, mut value: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[at..]);
    }

    /// A float as Python's `repr` writes it: the shortest text that reads back to the same
    /// value, keeping `.0` on whole numbers, exponent form below 1e-4 and from 1e16 (`1e+16`,
    /// `1.5e-05`). NaN and infinities become the strings `"NaN"`, `"Infinity"` and
    /// `"-Infinity"`, as botocore's `_handle_float` and Smithy require.
    pub fn float(&mut self, value: f64) {
        self.separate();
        if value.is_finite() {
            let start = self.buf.len();
            // Rust's `Debug` is the shortest round-trip form with Python's thresholds.
            let _ = write!(self.buf, "{value:?}");
            self.pythonize_exponent(start);
        } else {
            self.non_finite(value.is_nan(), value > 0.0);
        }
        self.need_comma = true;
    }

    /// An `f32` in its own shortest form (`0.1`, not `0.10000000149011612`).
    pub(crate) fn float32(&mut self, value: f32) {
        self.separate();
        if value.is_finite() {
            let start = self.buf.len();
            let _ = write!(self.buf, "{value:?}");
            self.pythonize_exponent(start);
        } else {
            self.non_finite(value.is_nan(), value > 0.0);
        }
        self.need_comma = true;
    }

    fn non_finite(&mut self, nan: bool, positive: bool) {
        self.buf.extend_from_slice(match (nan, positive) {
            (true, _) => b"\"NaN\"",
            (false, true) => b"\"Infinity\"",
            (false, false) => b"\"-Infinity\"",
        });
    }

    /// Rust writes `1e16` and `1e-5` where Python writes `1e+16` and `1e-05`.
    fn pythonize_exponent(&mut self, start: usize) {
        let Some(e) = self.buf[start..].iter().position(|&b| b == b'e') else {
            return;
        };
        let exponent = self.buf.split_off(start + e + 1);
        let (sign, digits) = match exponent.split_first() {
            Some((b'-', digits)) => (b'-', digits),
            _ => (b'+', &exponent[..]),
        };
        self.buf.push(sign);
        if digits.len() < 2 {
            self.buf.push(b'0');
        }
        self.buf.extend_from_slice(digits);
    }

    /// `null`.
    #[inline]
    pub fn null(&mut self) {
        self.separate();
        self.buf.extend_from_slice(b"null");
        self.need_comma = true;
    }

    /// A nested value: an array element, or a member value after [`key`](Self::key).
    #[inline]
    pub fn value<T: SerializeJson + ?Sized>(&mut self, value: &T) {
        value.serialize_json(self);
    }

    /// A member: `"key":value`, or nothing at all for `None`.
    #[inline]
    pub fn member<T: SerializeJson + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.key(key);
            value.serialize_json(self);
        }
    }

    /// A timestamp member in the given format, or nothing for `None`.
    pub fn timestamp_member(
        &mut self,
        key: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) {
        if let Some(value) = value {
            self.key(key);
            self.timestamp(value, format);
        }
    }

    /// A timestamp value in the given format.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        match format {
            // botocore: int(calendar.timegm(value.timetuple())), the floor of the instant.
            TimestampFormat::EpochSeconds => self.integer(value.secs()),
            TimestampFormat::Iso8601 => self.string(&value.to_iso8601()),
            TimestampFormat::HttpDate => self.string(&value.to_http_date()),
        }
    }

    /// A document value, as is. Integers stay integers and floats keep their `.0`.
    pub fn raw_document(&mut self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => self.boolean(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.integer(i);
                } else if let Some(u) = n.as_u64() {
                    self.unsigned(u);
                } else {
                    self.float(n.as_f64().unwrap_or(f64::NAN));
                }
            }
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.raw_document(item);
                }
                self.end_array();
            }
            Value::Object(map) => {
                self.begin_object();
                for (key, item) in map {
                    self.key(key);
                    self.raw_document(item);
                }
                self.end_object();
            }
        }
    }
}
