//! The binary framing of `application/vnd.amazon.eventstream`: messages of typed headers and a
//! payload, each in a frame with a CRC32-checked prelude and a CRC32 over the whole frame.
//!
//! ```text
//! | total length u32 | headers length u32 | prelude CRC32 u32 | headers ... | payload ... | message CRC32 u32 |
//! header: | name length u8 | name (UTF-8) | type u8 | value (by type) |
//! ```
//!
//! Written by hand on `crc32fast` rather than taken from `aws-smithy-eventstream`, although
//! that crate is in the build anyway (aws-sigv4's `sign-eventstream` needs it): its streaming
//! decoder buffers a whole frame before it checks the prelude CRC and has no size limit, so a
//! corrupt or hostile length field makes it wait for (and buffer) up to 4 GiB; its encoder can
//! panic on header values it does not know. Here the prelude is checked as soon as its 12 bytes
//! are in, frames over [`MAX_MESSAGE_LEN`] are refused before anything is buffered, and every
//! problem is a [`FrameError`] value: the decoder is fuzzed (`fuzz/`) to never panic.

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// The largest frame accepted or produced: 16 MiB, the limit AWS services apply.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The largest headers section accepted or produced: 128 KiB, the limit AWS services apply.
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

const PRELUDE_LEN: usize = 12;
/// Prelude plus the trailing message CRC: the size of a frame with no headers and no payload.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;

/// A typed header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Type 0 (true) or 1 (false).
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6, at most 65535 bytes.
    ByteArray(Bytes),
    /// Type 7, UTF-8, at most 65535 bytes.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9.
    Uuid([u8; 16]),
}

impl HeaderValue {
    fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "boolean",
            HeaderValue::Byte(_) => "byte",
            HeaderValue::Int16(_) => "short",
            HeaderValue::Int32(_) => "integer",
            HeaderValue::Int64(_) => "long",
            HeaderValue::ByteArray(_) => "byte array",
            HeaderValue::String(_) => "string",
            HeaderValue::Timestamp(_) => "timestamp",
            HeaderValue::Uuid(_) => "uuid",
        }
    }

    /// The string value, or an error naming the type found.
    pub fn as_str(&self) -> Result<&str, String> {
        match self {
            HeaderValue::String(s) => Ok(s),
            other => Err(format!("expected a string, found a {}", other.type_name())),
        }
    }

    /// The byte-array value (a string's bytes are accepted too).
    pub fn as_bytes(&self) -> Result<&[u8], String> {
        match self {
            HeaderValue::ByteArray(b) => Ok(b),
            HeaderValue::String(s) => Ok(s.as_bytes()),
            other => Err(format!(
                "expected a byte array, found a {}",
                other.type_name()
            )),
        }
    }

    /// The boolean value.
    pub fn as_bool(&self) -> Result<bool, String> {
        match self {
            HeaderValue::Bool(b) => Ok(*b),
            other => Err(format!("expected a boolean, found a {}", other.type_name())),
        }
    }

    /// Any integer value, widened.
    pub fn as_i64(&self) -> Result<i64, String> {
        match self {
            HeaderValue::Byte(v) => Ok(i64::from(*v)),
            HeaderValue::Int16(v) => Ok(i64::from(*v)),
            HeaderValue::Int32(v) => Ok(i64::from(*v)),
            HeaderValue::Int64(v) => Ok(*v),
            other => Err(format!(
                "expected an integer, found a {}",
                other.type_name()
            )),
        }
    }

    /// An integer value that fits `T`.
    pub fn as_int<T: TryFrom<i64>>(&self) -> Result<T, String> {
        let wide = self.as_i64()?;
        T::try_from(wide).map_err(|_| format!("integer {wide} is out of range"))
    }

    /// The timestamp value.
    pub fn as_timestamp(&self) -> Result<crate::DateTime, String> {
        match self {
            HeaderValue::Timestamp(millis) => Ok(crate::DateTime::from_millis(*millis)),
            other => Err(format!(
                "expected a timestamp, found a {}",
                other.type_name()
            )),
        }
    }

    /// A timestamp header value from a [`DateTime`](crate::DateTime) (millisecond precision).
    pub fn timestamp(value: &crate::DateTime) -> HeaderValue {
        let millis = value
            .secs()
            .saturating_mul(1000)
            .saturating_add(i64::from(value.subsec_nanos() / 1_000_000));
        HeaderValue::Timestamp(millis)
    }
}

/// One header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The name, 1 to 255 bytes of UTF-8.
    pub name: String,
    /// The value.
    pub value: HeaderValue,
}

/// One event-stream message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Headers in wire order.
    pub headers: Vec<Header>,
    /// The payload.
    pub payload: Bytes,
}

impl Message {
    /// An event message: `:message-type` `event` and `:event-type` `event_type`.
    pub fn event(event_type: &str) -> Message {
        Message::default()
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String(event_type.into()))
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: HeaderValue) -> Message {
        self.headers.push(Header {
            name: name.to_owned(),
            value,
        });
        self
    }

    /// Adds a header.
    pub fn add_header(&mut self, name: &str, value: HeaderValue) {
        self.headers.push(Header {
            name: name.to_owned(),
            value,
        });
    }

    /// Sets the payload and its `:content-type`.
    pub fn set_payload(&mut self, payload: impl Into<Bytes>, content_type: &str) {
        self.payload = payload.into();
        self.add_header(":content-type", HeaderValue::String(content_type.into()));
    }

    /// Sets a JSON payload (`application/json`) written by `value`.
    pub fn set_json_payload(&mut self, value: &dyn crate::json::SerializeJson) {
        let mut writer = crate::json::JsonWriter::new();
        value.serialize_json(&mut writer);
        self.set_payload(writer.into_bytes(), "application/json");
    }

    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The first header named `name` if it is a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(HeaderValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The payload as JSON: a generated type's reader (an empty payload reads as `{}`).
    pub fn json_payload<T: crate::json::DeserializeJson + Default>(&self) -> Result<T, String> {
        json_payload_of(&self.payload)
    }

    /// The payload as UTF-8 text.
    pub fn text_payload(&self) -> Result<String, String> {
        String::from_utf8(self.payload.to_vec())
            .map_err(|e| format!("the payload is not UTF-8: {e}"))
    }

    /// Writes the frame of this message to `out`.
    pub fn encode_into(&self, out: &mut BytesMut) -> Result<(), FrameError> {
        let mut headers = BytesMut::new();
        for header in &self.headers {
            encode_header(header, &mut headers)?;
        }
        if headers.len() > MAX_HEADERS_LEN {
            return Err(FrameError::new(
                FrameErrorKind::TooLarge,
                format!(
                    "headers of {} bytes exceed the limit of {MAX_HEADERS_LEN}",
                    headers.len()
                ),
            ));
        }
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        if total > MAX_MESSAGE_LEN {
            return Err(FrameError::new(
                FrameErrorKind::TooLarge,
                format!("a message of {total} bytes exceeds the limit of {MAX_MESSAGE_LEN}"),
            ));
        }
        let start = out.len();
        out.reserve(total);
        // Both fit in u32: bounded by MAX_MESSAGE_LEN above.
        out.put_u32(total as u32);
        out.put_u32(headers.len() as u32);
        let prelude_crc = crc32fast::hash(&out[start..start + 8]);
        out.put_u32(prelude_crc);
        out.put_slice(&headers);
        out.put_slice(&self.payload);
        let message_crc = crc32fast::hash(&out[start..]);
        out.put_u32(message_crc);
        Ok(())
    }

    /// The frame of this message.
    pub fn encode(&self) -> Result<Bytes, FrameError> {
        let mut out = BytesMut::new();
        self.encode_into(&mut out)?;
        Ok(out.freeze())
    }
}

#[inline(never)]
fn json_payload_of<T: crate::json::DeserializeJson + Default>(payload: &[u8]) -> Result<T, String> {
    let payload = if payload.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        payload
    };
    let mut reader = crate::json::JsonReader::new(payload);
    let value = reader.optional::<T>().map_err(|e| e.to_string())?;
    reader.end().map_err(|e| e.to_string())?;
    Ok(value.unwrap_or_default())
}

fn encode_header(header: &Header, out: &mut BytesMut) -> Result<(), FrameError> {
    let name = header.name.as_bytes();
    if name.is_empty() || name.len() > 255 {
        return Err(FrameError::new(
            FrameErrorKind::InvalidHeader,
            format!("header name {:?} must be 1 to 255 bytes long", header.name),
        ));
    }
    out.put_u8(name.len() as u8);
    out.put_slice(name);
    let variable = |out: &mut BytesMut, kind: u8, bytes: &[u8]| -> Result<(), FrameError> {
        let len = u16::try_from(bytes.len()).map_err(|_| {
            FrameError::new(
                FrameErrorKind::InvalidHeader,
                format!(
                    "the value of header {:?} is {} bytes long; the limit is 65535",
                    header.name,
                    bytes.len()
                ),
            )
        })?;
        out.put_u8(kind);
        out.put_u16(len);
        out.put_slice(bytes);
        Ok(())
    };
    match &header.value {
        HeaderValue::Bool(true) => out.put_u8(0),
        HeaderValue::Bool(false) => out.put_u8(1),
        HeaderValue::Byte(v) => {
            out.put_u8(2);
            out.put_i8(*v);
        }
        HeaderValue::Int16(v) => {
            out.put_u8(3);
            out.put_i16(*v);
        }
        HeaderValue::Int32(v) => {
            out.put_u8(4);
            out.put_i32(*v);
        }
        HeaderValue::Int64(v) => {
            out.put_u8(5);
            out.put_i64(*v);
        }
        HeaderValue::ByteArray(b) => variable(out, 6, b)?,
        HeaderValue::String(s) => variable(out, 7, s.as_bytes())?,
        HeaderValue::Timestamp(v) => {
            out.put_u8(8);
            out.put_i64(*v);
        }
        HeaderValue::Uuid(v) => {
            out.put_u8(9);
            out.put_slice(v);
        }
    }
    Ok(())
}

/// What was wrong with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// The prelude's CRC32 does not match.
    PreludeCrc,
    /// The message's CRC32 does not match.
    MessageCrc,
    /// The stream ended inside a frame.
    Truncated,
    /// A length in the prelude is impossible (smaller than a frame, headers longer than the
    /// frame).
    InvalidLength,
    /// The frame or its headers exceed the limits.
    TooLarge,
    /// A header is malformed: bad name, unknown value type, value running past the headers.
    InvalidHeader,
}

/// A malformed frame, with what was wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameError {
    kind: FrameErrorKind,
    message: String,
}

impl FrameError {
    fn new(kind: FrameErrorKind, message: impl Into<String>) -> Self {
        FrameError {
            kind,
            message: message.into(),
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> FrameErrorKind {
        self.kind
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FrameError {}

/// Decodes frames from a byte stream that arrives in pieces of any size.
///
/// [`push`](Self::push) what arrived, then call [`next_message`](Self::next_message) until it
/// returns `Ok(None)`; at the end of the stream [`finish`](Self::finish) reports a frame cut
/// short. After an error the decoder stays failed: a stream cannot be resynchronised.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    failed: Option<FrameError>,
    /// Offset of the stream at the start of `buffer`, for error messages.
    offset: u64,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends bytes received.
    pub fn push(&mut self, data: &[u8]) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(data);
        }
    }

    /// Bytes received but not yet decoded.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next complete message, `Ok(None)` when more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match decode_frame(&self.buffer) {
            Ok(None) => Ok(None),
            Ok(Some((message, len))) => {
                self.buffer.advance(len);
                self.offset += len as u64;
                Ok(Some(message))
            }
            Err(error) => {
                let error = FrameError::new(
                    error.kind,
                    format!("frame at byte {}: {}", self.offset, error.message),
                );
                self.failed = Some(error.clone());
                self.buffer = BytesMut::new();
                Err(error)
            }
        }
    }

    /// At the end of the stream: an error if a frame was cut short.
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.buffer.is_empty() {
            Ok(())
        } else {
            Err(FrameError::new(
                FrameErrorKind::Truncated,
                format!(
                    "the stream ended inside the frame at byte {} ({} bytes of it received)",
                    self.offset,
                    self.buffer.len()
                ),
            ))
        }
    }
}

/// Decodes one frame from the start of `data`: `Ok(None)` when `data` holds less than a whole
/// (valid so far) frame, else the message and the frame's length.
pub fn decode_frame(data: &[u8]) -> Result<Option<(Message, usize)>, FrameError> {
    if data.len() < PRELUDE_LEN {
        return Ok(None);
    }
    let mut prelude = &data[..PRELUDE_LEN];
    let total = prelude.get_u32() as usize;
    let headers_len = prelude.get_u32() as usize;
    let prelude_crc = prelude.get_u32();
    let computed = crc32fast::hash(&data[..8]);
    if computed != prelude_crc {
        return Err(FrameError::new(
            FrameErrorKind::PreludeCrc,
            format!(
                "prelude CRC32 mismatch: the frame says {prelude_crc:#010x}, the prelude's is {computed:#010x}"
            ),
        ));
    }
    if total < MIN_MESSAGE_LEN {
        return Err(FrameError::new(
            FrameErrorKind::InvalidLength,
            format!("total length {total} is less than the minimum {MIN_MESSAGE_LEN}"),
        ));
    }
    if total > MAX_MESSAGE_LEN {
        return Err(FrameError::new(
            FrameErrorKind::TooLarge,
            format!("a message of {total} bytes exceeds the limit of {MAX_MESSAGE_LEN}"),
        ));
    }
    if headers_len > total - MIN_MESSAGE_LEN {
        return Err(FrameError::new(
            FrameErrorKind::InvalidLength,
            format!("headers length {headers_len} does not fit in a frame of {total} bytes"),
        ));
    }
    if headers_len > MAX_HEADERS_LEN {
        return Err(FrameError::new(
            FrameErrorKind::TooLarge,
            format!("headers of {headers_len} bytes exceed the limit of {MAX_HEADERS_LEN}"),
        ));
    }
    if data.len() < total {
        return Ok(None);
    }
    let frame = &data[..total];
    let mut tail = &frame[total - 4..];
    let message_crc = tail.get_u32();
    let computed = crc32fast::hash(&frame[..total - 4]);
    if computed != message_crc {
        return Err(FrameError::new(
            FrameErrorKind::MessageCrc,
            format!(
                "message CRC32 mismatch: the frame says {message_crc:#010x}, its bytes give {computed:#010x}"
            ),
        ));
    }
    let headers = decode_headers(&frame[PRELUDE_LEN..PRELUDE_LEN + headers_len])?;
    let payload = Bytes::copy_from_slice(&frame[PRELUDE_LEN + headers_len..total - 4]);
    Ok(Some((Message { headers, payload }, total)))
}

fn decode_headers(mut data: &[u8]) -> Result<Vec<Header>, FrameError> {
    let invalid = |message: String| FrameError::new(FrameErrorKind::InvalidHeader, message);
    let mut headers = Vec::new();
    while !data.is_empty() {
        let name_len = usize::from(data.get_u8());
        if name_len == 0 {
            return Err(invalid("a header has an empty name".into()));
        }
        if data.len() < name_len + 1 {
            return Err(invalid(format!(
                "header {} runs past the end of the headers",
                headers.len() + 1
            )));
        }
        let name = std::str::from_utf8(&data[..name_len])
            .map_err(|_| invalid("a header name is not UTF-8".into()))?
            .to_owned();
        data.advance(name_len);
        let kind = data.get_u8();
        let need = |data: &[u8], n: usize| -> Result<(), FrameError> {
            if data.len() < n {
                Err(invalid(format!(
                    "the value of header {name:?} runs past the end of the headers"
                )))
            } else {
                Ok(())
            }
        };
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => {
                need(data, 1)?;
                HeaderValue::Byte(data.get_i8())
            }
            3 => {
                need(data, 2)?;
                HeaderValue::Int16(data.get_i16())
            }
            4 => {
                need(data, 4)?;
                HeaderValue::Int32(data.get_i32())
            }
            5 => {
                need(data, 8)?;
                HeaderValue::Int64(data.get_i64())
            }
            6 | 7 => {
                need(data, 2)?;
                let len = usize::from(data.get_u16());
                need(data, len)?;
                let bytes = &data[..len];
                let value = if kind == 6 {
                    HeaderValue::ByteArray(Bytes::copy_from_slice(bytes))
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(bytes)
                            .map_err(|_| {
                                invalid(format!("the value of header {name:?} is not UTF-8"))
                            })?
                            .to_owned(),
                    )
                };
                data.advance(len);
                value
            }
            8 => {
                need(data, 8)?;
                HeaderValue::Timestamp(data.get_i64())
            }
            9 => {
                need(data, 16)?;
                let mut uuid = [0u8; 16];
                data.copy_to_slice(&mut uuid);
                HeaderValue::Uuid(uuid)
            }
            other => {
                return Err(invalid(format!(
                    "header {name:?} has unknown value type {other}"
                )));
            }
        };
        headers.push(Header { name, value });
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_types() -> Message {
        let mut message = Message::event("e");
        for (name, value) in [
            ("t", HeaderValue::Bool(true)),
            ("f", HeaderValue::Bool(false)),
            ("b", HeaderValue::Byte(-1)),
            ("s", HeaderValue::Int16(i16::MIN)),
            ("i", HeaderValue::Int32(i32::MAX)),
            ("l", HeaderValue::Int64(-5)),
            ("a", HeaderValue::ByteArray(Bytes::from_static(&[0, 1, 2]))),
            ("str", HeaderValue::String("ü".into())),
            ("ts", HeaderValue::Timestamp(1_700_000_000_123)),
            ("u", HeaderValue::Uuid([7; 16])),
        ] {
            message.add_header(name, value);
        }
        message.payload = Bytes::from_static(b"payload");
        message
    }

    #[test]
    fn every_header_type_round_trips_in_pieces() {
        let message = all_types();
        let bytes = message.encode().unwrap();
        let mut stream = bytes.to_vec();
        stream.extend_from_slice(&bytes);
        let mut decoder = MessageDecoder::new();
        let mut decoded = Vec::new();
        for piece in stream.chunks(5) {
            decoder.push(piece);
            while let Some(m) = decoder.next_message().unwrap() {
                decoded.push(m);
            }
        }
        decoder.finish().unwrap();
        assert_eq!(decoded, [message.clone(), message]);
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn corrupt_length_is_caught_by_the_prelude_crc_without_waiting() {
        let mut bytes = all_types().encode().unwrap().to_vec();
        bytes[1] = 0x7f; // total length now ~2 GiB
        let error = decode_frame(&bytes[..12]).unwrap_err();
        assert_eq!(error.kind(), FrameErrorKind::PreludeCrc);
    }

    #[test]
    fn message_crc_truncation_and_limits() {
        let good = all_types().encode().unwrap().to_vec();
        let mut bad = good.clone();
        bad[20] ^= 1;
        assert_eq!(
            decode_frame(&bad).unwrap_err().kind(),
            FrameErrorKind::MessageCrc
        );
        let mut decoder = MessageDecoder::new();
        decoder.push(&good[..good.len() - 1]);
        assert_eq!(decoder.next_message().unwrap(), None);
        assert_eq!(
            decoder.finish().unwrap_err().kind(),
            FrameErrorKind::Truncated
        );

        let prelude = |total: u32, headers: u32| {
            let mut p = Vec::new();
            p.extend_from_slice(&total.to_be_bytes());
            p.extend_from_slice(&headers.to_be_bytes());
            let crc = crc32fast::hash(&p);
            p.extend_from_slice(&crc.to_be_bytes());
            p
        };
        let too_big = prelude(MAX_MESSAGE_LEN as u32 + 1, 0);
        assert_eq!(
            decode_frame(&too_big).unwrap_err().kind(),
            FrameErrorKind::TooLarge
        );
        assert_eq!(
            decode_frame(&prelude(15, 0)).unwrap_err().kind(),
            FrameErrorKind::InvalidLength
        );
        assert_eq!(
            decode_frame(&prelude(100, 90)).unwrap_err().kind(),
            FrameErrorKind::InvalidLength
        );
        // A failed decoder stays failed.
        let mut decoder = MessageDecoder::new();
        decoder.push(&too_big);
        assert!(decoder.next_message().is_err());
        decoder.push(&good);
        assert!(decoder.next_message().is_err());

        let huge = Message {
            headers: Vec::new(),
            payload: Bytes::from(vec![0; MAX_MESSAGE_LEN]),
        };
        assert_eq!(huge.encode().unwrap_err().kind(), FrameErrorKind::TooLarge);
        let long_value =
            Message::default().with_header("x", HeaderValue::String("y".repeat(70_000)));
        assert_eq!(
            long_value.encode().unwrap_err().kind(),
            FrameErrorKind::InvalidHeader
        );
        let long_name = Message::default().with_header(&"n".repeat(256), HeaderValue::Bool(true));
        assert!(long_name.encode().is_err());
    }

    #[test]
    fn malformed_headers() {
        let frame = |headers: &[u8]| {
            let total = 16 + headers.len();
            let mut out = Vec::new();
            out.extend_from_slice(&(total as u32).to_be_bytes());
            out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
            let crc = crc32fast::hash(&out);
            out.extend_from_slice(&crc.to_be_bytes());
            out.extend_from_slice(headers);
            let crc = crc32fast::hash(&out);
            out.extend_from_slice(&crc.to_be_bytes());
            out
        };
        for (headers, expected) in [
            (&[1, b'a', 10][..], "unknown value type 10"),
            (&[1, b'a', 4, 0, 0][..], "runs past the end"),
            (&[1, b'a', 7, 0, 9, b'x'][..], "runs past the end"),
            (&[1, b'a', 7, 0, 1, 0xff][..], "not UTF-8"),
            (&[0, 0][..], "empty name"),
            (&[5, b'a'][..], "runs past the end"),
        ] {
            let error = decode_frame(&frame(headers)).unwrap_err();
            assert_eq!(error.kind(), FrameErrorKind::InvalidHeader, "{headers:?}");
            assert!(
                error.to_string().contains(expected),
                "{error} for {headers:?}"
            );
        }
    }

    /// A deterministic random-input check that complements the cargo-fuzz target
    /// (`fuzz/fuzz_targets/decode.rs`): random bytes, and valid frames with random bytes
    /// flipped or cut, never panic and always end in a message, "need more" or an error.
    #[test]
    fn random_input_never_panics() {
        let good = all_types().encode().unwrap().to_vec();
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..20_000 {
            let mut input = if round % 2 == 0 {
                let len = rng.usize(0..200);
                (0..len).map(|_| rng.u8(..)).collect::<Vec<u8>>()
            } else {
                let mut bytes = good.clone();
                for _ in 0..rng.usize(1..4) {
                    let at = rng.usize(..bytes.len());
                    bytes[at] = rng.u8(..);
                }
                bytes
            };
            if round % 3 == 0 {
                let cut = rng.usize(..=input.len());
                input.truncate(cut);
            }
            let mut decoder = MessageDecoder::new();
            for piece in input.chunks(rng.usize(1..32)) {
                decoder.push(piece);
                while let Ok(Some(_)) = decoder.next_message() {}
            }
            let _ = decoder.finish();
        }
    }
}
