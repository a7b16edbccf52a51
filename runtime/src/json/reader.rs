//! The pull reader: a byte-level JSON tokenizer that generated code walks shape by shape.

use std::borrow::Cow;
use std::fmt;

use super::scan::find_special;
use super::{DeserializeJson, TimestampFormat, timestamp};
use crate::DateTime;

/// Objects and arrays nest at most this deep; deeper input is an error, never a stack overflow.
pub(crate) const MAX_DEPTH: u32 = 128;

/// Malformed or unexpected JSON, with the byte offset where it was noticed.
pub struct JsonError {
    // Boxed: keeps `Result<T, JsonError>` two words wide on the hot paths.
    inner: Box<ErrorInner>,
}

struct ErrorInner {
    message: String,
    offset: usize,
}

impl JsonError {
    /// An error with the given message at the given byte offset.
    pub fn new(message: impl Into<String>, offset: usize) -> Self {
        JsonError {
            inner: Box::new(ErrorInner {
                message: message.into(),
                offset,
            }),
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The byte offset into the document.
    pub fn offset(&self) -> usize {
        self.inner.offset
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.inner.message, self.inner.offset)
    }
}

impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonError")
            .field("message", &self.inner.message)
            .field("offset", &self.inner.offset)
            .finish()
    }
}

impl std::error::Error for JsonError {}

/// A number token: where it is, and its value when it is an integer that fits in a `u64`.
struct NumberToken {
    start: usize,
    end: usize,
    negative: bool,
    /// Neither a fraction nor an exponent.
    integer: bool,
    /// The absolute value when `integer` and it fits in a `u64`.
    magnitude: Option<u64>,
}

/// A pull reader over one JSON document.
///
/// Generated code calls [`begin_object`](Self::begin_object), then
/// [`next_key`](Self::next_key) until it returns `None`, reading or
/// [skipping](Self::skip_value) each member's value; arrays likewise with
/// [`begin_array`](Self::begin_array) and [`next_element`](Self::next_element). The reader
/// handles commas, colons and whitespace, validates everything it passes over (also what it
/// skips: invalid UTF-8, bad escapes or unbalanced brackets anywhere are errors, as for
/// Python's `json.loads`), limits nesting to 128 levels, and never panics.
///
/// Like `json.loads`, it accepts the bare tokens `NaN`, `Infinity` and `-Infinity` as numbers.
pub struct JsonReader<'a> {
    /// The input up to its first byte that is not UTF-8: all of it, normally. Strings are
    /// sliced from it, so they need no UTF-8 check of their own.
    text: &'a str,
    /// `text` as bytes, what the tokenizer walks.
    bytes: &'a [u8],
    /// Where the input stops being UTF-8, if it does. Every error then reports that, as Python
    /// decodes the whole body before `json.loads` sees it.
    invalid_utf8: Option<usize>,
    pos: usize,
    depth: u32,
    /// Bit `d` is set when the container at nesting level `d` (0-based) is an object.
    objects: u128,
    /// Right after `{` or `[`: the next key or element takes no comma.
    first: bool,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        // One pass over the whole input (std's validation is word-at-a-time on ASCII) is
        // cheaper than checking each string separately.
        let (text, invalid_utf8) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                (
                    std::str::from_utf8(valid).unwrap_or_default(),
                    Some(e.valid_up_to()),
                )
            }
        };
        JsonReader {
            text,
            bytes: text.as_bytes(),
            invalid_utf8,
            pos: 0,
            depth: 0,
            objects: 0,
            first: false,
        }
    }

    /// The current byte offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// The offset of the next value (after whitespace), for error messages.
    pub(crate) fn value_offset(&mut self) -> usize {
        self.skip_whitespace();
        self.pos
    }

    /// Whether the rest of the input is only whitespace (rest-json responses may have an empty
    /// body, which botocore reads as `{}`).
    pub fn is_empty_document(&self) -> bool {
        self.invalid_utf8.is_none()
            && self.bytes[self.pos.min(self.bytes.len())..]
                .iter()
                .all(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    }

    /// An error at the current offset.
    #[cold]
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        self.error_at(self.pos, message)
    }

    /// An error at the given offset; when the input is not UTF-8, that error instead.
    #[cold]
    #[inline(never)]
    pub(crate) fn error_at(&self, offset: usize, message: impl Into<String>) -> JsonError {
        match self.invalid_utf8 {
            Some(at) => JsonError::new("invalid UTF-8", at),
            None => JsonError::new(message, offset),
        }
    }

    /// "expected X, found Y" at the current offset.
    #[cold]
    #[inline(never)]
    fn unexpected(&self, expected: &str) -> JsonError {
        let message = match self.bytes.get(self.pos) {
            None => format!("unexpected end of input, expected {expected}"),
            Some(&b) if b.is_ascii_graphic() => {
                format!("expected {expected}, found `{}`", char::from(b))
            }
            Some(&b) => format!("expected {expected}, found byte {b:#04x}"),
        };
        self.error_at(self.pos, message)
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The next byte that is not whitespace, not consumed.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn push(&mut self, object: bool) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let bit = 1u128 << self.depth;
        if object {
            self.objects |= bit;
        } else {
            self.objects &= !bit;
        }
        self.depth += 1;
        self.first = true;
        self.pos += 1;
        Ok(())
    }

    #[inline(always)]
    fn in_object(&self) -> bool {
        self.depth > 0 && (self.objects >> (self.depth - 1)) & 1 == 1
    }

    /// Consumes the `{` of an object.
    #[inline]
    pub fn begin_object(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'{') => self.push(true),
            _ => Err(self.unexpected("an object")),
        }
    }

    /// The next key of the current object, having consumed the comma before it and the colon
    /// after it; `None` once the closing `}` is consumed.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, JsonError> {
        if !self.in_object() {
            return Err(self.error("next_key called outside an object"));
        }
        let mut next = self.peek();
        if next == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            self.first = false;
            return Ok(None);
        }
        if self.first {
            self.first = false;
        } else if next == Some(b',') {
            self.pos += 1;
            next = self.peek();
        } else {
            return Err(self.unexpected("`,` or `}`"));
        }
        if next != Some(b'"') {
            return Err(self.unexpected("a string key"));
        }
        let key = self.read_string()?;
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:`"));
        }
        self.pos += 1;
        Ok(Some(key))
    }

    /// The index in `fields` of the next member of the current object whose key is one of
    /// `fields`, having consumed the key and colon; members with other keys are skipped.
    /// `None` once the closing `}` is consumed.
    ///
    /// Generated structure readers match on the index instead of on the key: one shared key
    /// lookup instead of a chain of string comparisons compiled into every structure's reader
    /// (which was most of their machine code).
    pub fn next_field(&mut self, fields: &[&str]) -> Result<Option<usize>, JsonError> {
        while let Some(key) = self.next_key()? {
            if let Some(index) = fields.iter().position(|field| *field == key) {
                return Ok(Some(index));
            }
            self.skip_value()?;
        }
        Ok(None)
    }

    /// Consumes the `[` of an array.
    #[inline]
    pub fn begin_array(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'[') => self.push(false),
            _ => Err(self.unexpected("an array")),
        }
    }

    /// Whether the current array has another element (consuming the comma before it); `false`
    /// once the closing `]` is consumed.
    #[inline]
    pub fn next_element(&mut self) -> Result<bool, JsonError> {
        if self.depth == 0 || self.in_object() {
            return Err(self.error("next_element called outside an array"));
        }
        let next = self.peek();
        if next == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            self.first = false;
            return Ok(false);
        }
        if self.first {
            self.first = false;
        } else if next == Some(b',') {
            self.pos += 1;
        } else {
            return Err(self.unexpected("`,` or `]`"));
        }
        Ok(true)
    }

    /// Consumes a `null` if that is the next value.
    #[inline]
    pub fn take_null(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'n') {
            self.null_literal()
        } else {
            Ok(false)
        }
    }

    /// Kept out of line: `take_null` is inlined into every member read of every generated
    /// type, and the literal check with its error path would be copied with it.
    #[inline(never)]
    fn null_literal(&mut self) -> Result<bool, JsonError> {
        self.literal(b"null").map(|()| true)
    }

    /// Reads an array, calling `item` for each element (a non-generic loop shared by every
    /// list type; only `item` differs).
    pub fn array(
        &mut self,
        item: &mut dyn FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.begin_array()?;
        while self.next_element()? {
            item(self)?;
        }
        Ok(())
    }

    #[inline]
    fn literal(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error_at(self.pos, "invalid literal"))
        }
    }

    /// A string value; borrowed from the input unless it contains escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string"));
        }
        self.read_string()
    }

    /// Reads the string starting at the `"` at the current offset.
    #[inline(always)]
    fn read_string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let bytes = self.bytes;
        let start = self.pos + 1;
        let end = find_special(bytes, start);
        if bytes.get(end) == Some(&b'"') {
            let text = self.utf8(start, end)?;
            self.pos = end + 1;
            Ok(Cow::Borrowed(text))
        } else {
            self.read_string_slow(start, end, true).map(Cow::Owned)
        }
    }

    /// Validates (and keeps, if asked) a string without allocating when it has no escapes.
    #[inline(always)]
    fn skip_string(&mut self) -> Result<(), JsonError> {
        let bytes = self.bytes;
        let start = self.pos + 1;
        let end = find_special(bytes, start);
        if bytes.get(end) == Some(&b'"') {
            self.utf8(start, end)?;
            self.pos = end + 1;
            Ok(())
        } else {
            self.read_string_slow(start, end, false).map(drop)
        }
    }

    /// The text from `start` to `end`, both next to ASCII delimiters and so on character
    /// boundaries.
    #[inline(always)]
    fn utf8(&self, start: usize, end: usize) -> Result<&'a str, JsonError> {
        let text: &'a str = self.text;
        text.get(start..end)
            .ok_or_else(|| self.error_at(start, "invalid UTF-8 in string"))
    }

    /// The rest of a string from `start` (just after the `"`), where `end` is the first byte
    /// that is not plain text: an escape, a control character, or the end of input.
    #[inline(never)]
    fn read_string_slow(
        &mut self,
        start: usize,
        mut end: usize,
        build: bool,
    ) -> Result<String, JsonError> {
        let bytes = self.bytes;
        let mut out = String::new();
        let mut run_start = start;
        loop {
            // Runs end only at ASCII bytes, so they never split a UTF-8 sequence.
            let run = self.utf8(run_start, end)?;
            if build {
                out.push_str(run);
            }
            match bytes.get(end) {
                Some(b'"') => {
                    self.pos = end + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let (ch, len) = self.escape(end)?;
                    if build {
                        out.push(ch);
                    }
                    run_start = end + len;
                }
                Some(_) => return Err(self.error_at(end, "control character in string")),
                None => return Err(self.error_at(start - 1, "unterminated string")),
            }
            end = find_special(bytes, run_start);
        }
    }

    /// The escape sequence at `at` (a `\`): the character and the sequence's length.
    fn escape(&self, at: usize) -> Result<(char, usize), JsonError> {
        let ch = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            None => return Err(self.error_at(at, "unterminated string")),
            Some(_) => return Err(self.error_at(at, "invalid escape in string")),
        };
        Ok((ch, 2))
    }

    fn unicode_escape(&self, at: usize) -> Result<(char, usize), JsonError> {
        let high = self.hex4(at + 2)?;
        let code = match high {
            0xD800..=0xDBFF => {
                let low = if self.bytes.get(at + 6..at + 8) == Some(b"\\u") {
                    self.hex4(at + 8)?
                } else {
                    0
                };
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error_at(at, "unpaired surrogate in string"));
                }
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code)
                    .map(|ch| (ch, 12))
                    .ok_or_else(|| self.error_at(at, "invalid \\u escape"));
            }
            0xDC00..=0xDFFF => return Err(self.error_at(at, "unpaired surrogate in string")),
            code => code,
        };
        char::from_u32(code)
            .map(|ch| (ch, 6))
            .ok_or_else(|| self.error_at(at, "invalid \\u escape"))
    }

    fn hex4(&self, at: usize) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(at..at + 4)
            .ok_or_else(|| self.error_at(at - 2, "truncated \\u escape"))?;
        let mut code = 0;
        for &d in digits {
            let value = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error_at(at - 2, "invalid \\u escape")),
            };
            code = code << 4 | u32::from(value);
        }
        Ok(code)
    }

    /// Scans the number at the current offset (JSON grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`).
    #[inline(always)]
    fn number_token(&mut self) -> Result<NumberToken, JsonError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        let negative = bytes.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let mut magnitude = Some(0u64);
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d) = bytes.get(i) {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    magnitude = magnitude
                        .and_then(|m| m.checked_mul(10))
                        .and_then(|m| m.checked_add(u64::from(d - b'0')));
                    i += 1;
                }
            }
            _ => return Err(self.error_at(start, "invalid number")),
        }
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            i = self.digits(i, start)?;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = self.digits(i, start)?;
        }
        self.pos = i;
        Ok(NumberToken {
            start,
            end: i,
            negative,
            integer,
            magnitude: if integer { magnitude } else { None },
        })
    }

    /// One or more digits from `i`; the index after them.
    #[inline(always)]
    fn digits(&self, mut i: usize, start: usize) -> Result<usize, JsonError> {
        let first = i;
        while self.bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == first {
            return Err(self.error_at(start, "invalid number"));
        }
        Ok(i)
    }

    /// A number token as `f64` (correctly rounded; overflow gives ±infinity as in Python).
    fn token_f64(&self, token: &NumberToken) -> Result<f64, JsonError> {
        if let Some(magnitude) = token.magnitude {
            let value = magnitude as f64;
            return Ok(if token.negative { -value } else { value });
        }
        let text = self.utf8(token.start, token.end)?;
        text.parse()
            .map_err(|_| self.error_at(token.start, "invalid number"))
    }

    /// A token that is an integer, as `i64`.
    fn token_i64(token: &NumberToken) -> Option<i64> {
        match (token.magnitude, token.negative) {
            (Some(m), false) => i64::try_from(m).ok(),
            (Some(m), true) if m <= 1 << 63 => Some((m as i64).wrapping_neg()),
            _ => None,
        }
    }

    /// An integer. A number with a fraction or exponent is accepted when its value is a whole
    /// number in range (`1.0`, `1e3`); anything else is an error.
    pub fn integer(&mut self) -> Result<i64, JsonError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected("an integer"));
        }
        let token = self.number_token()?;
        if let Some(value) = Self::token_i64(&token) {
            return Ok(value);
        }
        if !token.integer {
            let value = self.token_f64(&token)?;
            if value.fract() == 0.0
                && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value)
            {
                return Ok(value as i64);
            }
            return Err(self.error_at(
                token.start,
                "expected an integer, found a fractional number",
            ));
        }
        Err(self.error_at(token.start, "integer out of range"))
    }

    /// A float: any JSON number, the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, and (as
    /// Python's `json.loads` reads them) the bare tokens `NaN`, `Infinity` and `-Infinity`.
    pub fn float(&mut self) -> Result<f64, JsonError> {
        match self.peek() {
            Some(b'-') if self.bytes.get(self.pos + 1) == Some(&b'I') => {
                self.pos += 1;
                self.literal(b"Infinity")
                    .map_err(|e| self.error_at(e.offset() - 1, "invalid literal"))?;
                Ok(f64::NEG_INFINITY)
            }
            Some(b'-' | b'0'..=b'9') => {
                let token = self.number_token()?;
                self.token_f64(&token)
            }
            Some(b'"') => {
                let start = self.pos;
                match &*self.read_string()? {
                    "NaN" => Ok(f64::NAN),
                    "Infinity" => Ok(f64::INFINITY),
                    "-Infinity" => Ok(f64::NEG_INFINITY),
                    _ => Err(self.error_at(
                        start,
                        "expected a number, or \"NaN\", \"Infinity\" or \"-Infinity\"",
                    )),
                }
            }
            Some(b'N') => self.literal(b"NaN").map(|()| f64::NAN),
            Some(b'I') => self.literal(b"Infinity").map(|()| f64::INFINITY),
            _ => Err(self.unexpected("a number")),
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// Skips one value of any kind, nested containers included, validating it.
    pub fn skip_value(&mut self) -> Result<(), JsonError> {
        let base = self.depth;
        loop {
            // At a value.
            match self.peek() {
                Some(b'{') => {
                    self.push(true)?;
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            self.depth -= 1;
                        }
                        Some(b'"') => {
                            self.skip_key()?;
                            continue;
                        }
                        _ => return Err(self.unexpected("a string key or `}`")),
                    }
                }
                Some(b'[') => {
                    self.push(false)?;
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        self.depth -= 1;
                    } else {
                        continue;
                    }
                }
                Some(b'"') => self.skip_string()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'N' | b'I') => {
                    self.float()?;
                }
                Some(b'-') if self.bytes.get(self.pos + 1) == Some(&b'I') => {
                    self.float()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number_token()?;
                }
                _ => return Err(self.unexpected("a value")),
            }
            // After a value: close containers until one continues with another value.
            loop {
                if self.depth == base {
                    self.first = false;
                    return Ok(());
                }
                let object = self.in_object();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if object {
                            if self.peek() != Some(b'"') {
                                return Err(self.unexpected("a string key"));
                            }
                            self.skip_key()?;
                        }
                        break;
                    }
                    Some(b'}') if object => {
                        self.pos += 1;
                        self.depth -= 1;
                    }
                    Some(b']') if !object => {
                        self.pos += 1;
                        self.depth -= 1;
                    }
                    _ if object => return Err(self.unexpected("`,` or `}`")),
                    _ => return Err(self.unexpected("`,` or `]`")),
                }
            }
        }
    }

    /// Skips `"key":` at the current offset.
    fn skip_key(&mut self) -> Result<(), JsonError> {
        self.skip_string()?;
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:`"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads a value of type `T`.
    #[inline]
    pub fn value<T: DeserializeJson>(&mut self) -> Result<T, JsonError> {
        T::deserialize_json(self)
    }

    /// `None` for `null`, otherwise [`T::deserialize_json`](DeserializeJson::deserialize_json).
    ///
    /// Inlined, because it is only a null check and a call; the readers it calls (`string`,
    /// `next_key`, the number parsers) are deliberately not `#[inline]`: generated code reads
    /// every member of every type through here, and inlining those multiplied the SDK crates'
    /// machine code and compile time.
    #[inline]
    pub fn optional<T: DeserializeJson>(&mut self) -> Result<Option<T>, JsonError> {
        if self.take_null()? {
            Ok(None)
        } else {
            T::deserialize_json(self).map(Some)
        }
    }

    /// Reads a member's value into `slot`: `None` for `null`, otherwise
    /// [`T::deserialize_json`](DeserializeJson::deserialize_json); a repeated key replaces the
    /// earlier value (`json.loads`: last wins).
    ///
    /// Never inlined, on purpose: generated readers call this once per member, and one copy
    /// per member *type* (null check, call, drop of the earlier value, store) is much less
    /// machine code than that sequence inlined at every member of every structure.
    #[inline(never)]
    pub fn read<T: DeserializeJson>(&mut self, slot: &mut Option<T>) -> Result<(), JsonError> {
        *slot = if self.take_null()? {
            None
        } else {
            Some(T::deserialize_json(self)?)
        };
        Ok(())
    }

    /// A timestamp, in any form botocore's `parse_timestamp` accepts: a JSON number of epoch
    /// seconds (integer, decimal or E-notation), or a string holding such a number, an ISO-8601
    /// date-time or an HTTP date. Microsecond precision, as Python's `datetime`.
    ///
    /// `format` is the member's serialization format; it does not restrict parsing.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, JsonError> {
        let _ = format;
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let token = self.number_token()?;
                let date = match Self::token_i64(&token) {
                    Some(seconds) => timestamp::from_epoch_integer(seconds),
                    None if token.integer => Err("timestamp is out of range".to_owned()),
                    None => timestamp::from_epoch_float(self.token_f64(&token)?),
                };
                date.map_err(|message| self.error_at(start, message))
            }
            Some(b'"') => {
                let start = self.pos;
                let text = self.read_string()?;
                timestamp::parse_text(&text).map_err(|message| self.error_at(start, message))
            }
            _ => Err(self.unexpected("a timestamp")),
        }
    }

    /// Checks that only whitespace follows.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None if self.invalid_utf8.is_none() => Ok(()),
            _ => Err(self.error("trailing characters after the JSON document")),
        }
    }

    /// Reads any value into a [`serde_json::Value`], keeping integers and floats apart as
    /// `serde_json` does (`u64`/`i64` when they fit, otherwise `f64`).
    pub(crate) fn document(&mut self) -> Result<serde_json::Value, JsonError> {
        use serde_json::Value;
        Ok(match self.peek() {
            Some(b'{') => {
                self.begin_object()?;
                let mut map = serde_json::Map::new();
                while let Some(key) = self.next_key()? {
                    let value = self.document()?;
                    map.insert(key.into_owned(), value);
                }
                Value::Object(map)
            }
            Some(b'[') => {
                self.begin_array()?;
                let mut items = Vec::new();
                while self.next_element()? {
                    items.push(self.document()?);
                }
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.read_string()?.into_owned()),
            Some(b't' | b'f') => Value::Bool(self.boolean()?),
            Some(b'n') => {
                self.literal(b"null")?;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') if self.bytes.get(self.pos + 1) != Some(&b'I') => {
                let token = self.number_token()?;
                match (token.magnitude, token.negative) {
                    (Some(m), false) => Value::from(m),
                    (Some(m), true) if m <= 1 << 63 => Value::from((m as i64).wrapping_neg()),
                    _ => {
                        let value = self.token_f64(&token)?;
                        serde_json::Number::from_f64(value)
                            .map(Value::Number)
                            .ok_or_else(|| {
                                self.error_at(token.start, "number out of range for a document")
                            })?
                    }
                }
            }
            Some(b'N' | b'I' | b'-') => {
                return Err(self.error("NaN and Infinity cannot be held in a document"));
            }
            _ => return Err(self.unexpected("a value")),
        })
    }
}
