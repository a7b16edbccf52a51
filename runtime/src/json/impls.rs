//! [`SerializeJson`] / [`DeserializeJson`] for the types generated shapes are built from.

use std::collections::BTreeMap;

use super::{
    DeserializeJson, JsonError, JsonKey, JsonReader, JsonWriter, SerializeJson, TimestampFormat,
    base64,
};
use crate::{Blob, DateTime};

impl SerializeJson for str {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.string(self);
    }
}

impl SerializeJson for String {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.string(self);
    }
}

impl DeserializeJson for String {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.string().map(|s| s.into_owned())
    }
}

impl SerializeJson for bool {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.boolean(*self);
    }
}

impl DeserializeJson for bool {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.boolean()
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl SerializeJson for $t {
            fn serialize_json(&self, writer: &mut JsonWriter) {
                writer.integer(i64::from(*self));
            }
        }

        impl DeserializeJson for $t {
            fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
                let offset = reader.value_offset();
                let value = reader.integer()?;
                <$t>::try_from(value).map_err(|_| {
                    reader.error_at(
                        offset,
                        format!("integer {value} out of range for {}", stringify!($t)),
                    )
                })
            }
        }
    )*};
}

integers!(i8, i16, i32, i64);

impl SerializeJson for f64 {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.float(*self);
    }
}

impl DeserializeJson for f64 {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.float()
    }
}

impl SerializeJson for f32 {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.float32(*self);
    }
}

impl DeserializeJson for f32 {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.float().map(|value| value as f32)
    }
}

impl<T: SerializeJson + ?Sized> SerializeJson for Box<T> {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        (**self).serialize_json(writer);
    }
}

impl<T: DeserializeJson> DeserializeJson for Box<T> {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        T::deserialize_json(reader).map(Box::new)
    }
}

impl<T: SerializeJson> SerializeJson for [T] {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.begin_array();
        for item in self {
            item.serialize_json(writer);
        }
        writer.end_array();
    }
}

impl<T: SerializeJson> SerializeJson for Vec<T> {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        self.as_slice().serialize_json(writer);
    }
}

/// `null` elements (and union elements with no member set) are skipped: botocore keeps them as
/// `None`, which a `Vec<T>` cannot hold.
impl<T: DeserializeJson> DeserializeJson for Vec<T> {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut items = Vec::new();
        reader.array(&mut |reader| {
            if let Some(item) = reader.optional()? {
                items.push(item);
            }
            Ok(())
        })?;
        Ok(items)
    }
}

impl JsonKey for String {
    fn as_json_key(&self) -> &str {
        self
    }

    fn from_json_key(key: &str) -> Self {
        key.to_owned()
    }
}

impl<K: JsonKey, V: SerializeJson> SerializeJson for BTreeMap<K, V> {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.begin_object();
        for (key, value) in self {
            writer.key(key.as_json_key());
            value.serialize_json(writer);
        }
        writer.end_object();
    }
}

/// A repeated key replaces the earlier value (`json.loads`: last wins); a `null` value leaves
/// the key out (and so removes an earlier value of the same key).
impl<K: JsonKey + Ord, V: DeserializeJson> DeserializeJson for BTreeMap<K, V> {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.begin_object()?;
        let mut map = BTreeMap::new();
        while let Some(key) = reader.next_key()? {
            let key = K::from_json_key(&key);
            match reader.optional()? {
                Some(value) => {
                    map.insert(key, value);
                }
                None => {
                    map.remove(&key);
                }
            }
        }
        Ok(map)
    }
}

/// Epoch seconds as an integer, botocore's default for JSON bodies.
impl SerializeJson for DateTime {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.timestamp(self, TimestampFormat::EpochSeconds);
    }
}

impl DeserializeJson for DateTime {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.timestamp(TimestampFormat::EpochSeconds)
    }
}

/// Standard, padded base64.
impl SerializeJson for Blob {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.string(&base64::encode(self.as_bytes()));
    }
}

/// Base64, decoded as leniently as Python's `base64.b64decode`.
impl DeserializeJson for Blob {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let offset = reader.value_offset();
        let text = reader.string()?;
        base64::decode(&text)
            .map(Blob::new)
            .map_err(|message| reader.error_at(offset, message))
    }
}

/// Documents (`crate::Document`) are written as they are.
impl SerializeJson for serde_json::Value {
    fn serialize_json(&self, writer: &mut JsonWriter) {
        writer.raw_document(self);
    }
}

/// Any JSON value; integers and floats stay apart.
impl DeserializeJson for serde_json::Value {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.document()
    }
}
