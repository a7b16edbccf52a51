//! JSON for the `json` and `rest-json` protocols: a writer, a pull reader, and the two traits
//! that generated shapes implement with them.
//!
//! Why hand-written: generated SDK crates must compile fast. With serde, every shape would carry
//! a derived `Serialize`/`Deserialize` whose expansion and monomorphised visitors dominate compile
//! time; instead each generated shape gets a small, non-generic [`SerializeJson`] /
//! [`DeserializeJson`] impl that drives [`JsonWriter`] / [`JsonReader`], and everything generic
//! lives here once. `serde_json` exposes no public tokenizer to pull from, and no maintained,
//! dependency-light crate offers a pull reader with the error, depth and UTF-8 guarantees we need,
//! so the 1,600 or so lines are written here. `serde_json` is still used for [`Document`] values.
//!
//! Behaviour follows botocore 1.43.11 (`serialize.py`, `parsers.py`): floats NaN/±Infinity travel
//! as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; timestamps in bodies are integer epoch
//! seconds by default; responses accept the timestamp forms `botocore.utils.parse_timestamp`
//! accepts (short of `dateutil`'s free-form guessing); blobs are base64, decoded exactly as leniently as Python's `base64.b64decode`.
//!
//! [`Document`]: crate::Document

pub(crate) mod base64;
mod impls;
mod reader;
mod scan;
#[cfg(test)]
mod tests;
pub(crate) mod timestamp;
mod writer;

pub use reader::{JsonError, JsonReader};
pub use writer::JsonWriter;

/// How a timestamp member is written; the model's `timestampFormat` trait, or the protocol
/// default ([`EpochSeconds`](Self::EpochSeconds) for JSON bodies).
///
/// Only serialization depends on it: when reading, every format botocore accepts is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// Whole seconds since the epoch as a JSON integer (the fraction is truncated, as botocore's
    /// `int(calendar.timegm(value.timetuple()))`).
    EpochSeconds,
    /// An ISO-8601 string in UTC, with microseconds only when non-zero
    /// (`2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.250000Z`).
    Iso8601,
    /// The HTTP date of RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`).
    HttpDate,
}

/// A value that can write itself as JSON.
pub trait SerializeJson {
    /// Writes `self` as one JSON value.
    fn serialize_json(&self, writer: &mut JsonWriter);
}

/// A value that can read itself from JSON.
pub trait DeserializeJson: Sized {
    /// Reads one JSON value; `null` is handled by the caller (see [`JsonReader::optional`]).
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError>;
}

/// A type usable as the key of a JSON map: strings, and the generated string enums.
pub trait JsonKey: Sized {
    /// The key as written.
    fn as_json_key(&self) -> &str;
    /// The key as read.
    fn from_json_key(key: &str) -> Self;
}
