//! Stage 1: read botocore's JSON model files into raw, typed structs.
//!
//! These types mirror botocore's file format one to one and say nothing about Rust; checking
//! what the fields mean (dangling references, kinds, traits) is the job of [`crate::lower`].
//! Keys this reader does not know are kept in `unknown` maps so that lowering can report every
//! unsupported trait in one run instead of stopping at the first.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde_json::Value;

/// Everything botocore keeps for one service version, read from disk (or given in memory).
#[derive(Debug, Clone)]
pub struct ServiceFiles {
    /// The short service name used for the crate and module names, e.g. `qconnect`.
    pub name: String,
    /// `service-2.json`.
    pub service: SourceFile<RawService>,
    /// `paginators-1.json` with `paginators-1.sdk-extras.json` merged in, as botocore's loader
    /// does; `None` when the service has no paginators file.
    pub paginators: Option<SourceFile<RawPaginators>>,
    /// `endpoint-rule-set-1.json`, kept as JSON: the runtime interprets it.
    pub endpoint_rule_set: Option<SourceFile<Value>>,
    /// `paginators-1.sdk-extras.json`, when one was merged into [`ServiceFiles::paginators`].
    pub paginator_extras: Option<PathBuf>,
}

impl ServiceFiles {
    /// Every file these models were read from, in reading order: what a build script tells
    /// cargo to watch (`cargo:rerun-if-changed`).
    pub fn files_read(&self) -> Vec<&Path> {
        let mut files = vec![self.service.path.as_path()];
        if let Some(paginators) = &self.paginators {
            files.push(&paginators.path);
        }
        if let Some(extras) = &self.paginator_extras {
            files.push(extras);
        }
        if let Some(rule_set) = &self.endpoint_rule_set {
            files.push(&rule_set.path);
        }
        files
    }
}

/// A parsed file together with the path it came from, so that later stages can name it.
#[derive(Debug, Clone)]
pub struct SourceFile<T> {
    /// Where the content was read from (as given, not canonicalised, so messages stay short).
    pub path: PathBuf,
    /// The parsed content.
    pub content: T,
}

/// A model file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid JSON of the expected form; `json_path` says where.
    #[error("{path}: {json_path}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Where in the document, e.g. `shapes.ImportJobData.members.status.shape`.
        json_path: String,
        /// What is wrong there.
        message: String,
    },
    /// A required file is missing from a model directory.
    #[error("{dir}: no {file} (looked for {file} and {file}.gz)")]
    Missing {
        /// The directory searched.
        dir: PathBuf,
        /// The file name looked for.
        file: &'static str,
    },
}

/// Reads one service from a directory holding botocore's files for one API version.
///
/// Each file may be plain (`service-2.json`) or gzipped (`service-2.json.gz`), as in botocore's
/// own data directory. `name` becomes the crate and module name of the service.
pub fn read_service_dir(name: &str, dir: &Path) -> Result<ServiceFiles, ReadError> {
    let service_path = find(dir, "service-2.json").ok_or(ReadError::Missing {
        dir: dir.to_path_buf(),
        file: "service-2.json",
    })?;
    let service = read_json_file(&service_path)?;

    let mut paginator_extras = None;
    let paginators = match find(dir, "paginators-1.json") {
        None => None,
        Some(path) => {
            let mut paginators: SourceFile<RawPaginators> = read_json_file(&path)?;
            if let Some(extras_path) = find(dir, "paginators-1.sdk-extras.json") {
                let extras: SourceFile<RawPaginatorExtras> = read_json_file(&extras_path)?;
                merge_paginator_extras(&mut paginators.content, extras.content);
                paginator_extras = Some(extras_path);
            }
            Some(paginators)
        }
    };
    let endpoint_rule_set = find(dir, "endpoint-rule-set-1.json")
        .map(|path| read_json_file(&path))
        .transpose()?;
    Ok(ServiceFiles {
        name: name.to_string(),
        service,
        paginators,
        endpoint_rule_set,
        paginator_extras,
    })
}

/// `file` or `file.gz` in `dir`, preferring the plain file.
fn find(dir: &Path, file: &str) -> Option<PathBuf> {
    [dir.join(file), dir.join(format!("{file}.gz"))]
        .into_iter()
        .find(|path| path.is_file())
}

/// Reads and parses a `.json` or `.json.gz` file; errors name the file and the JSON path.
pub fn read_json_file<T: DeserializeOwned>(path: &Path) -> Result<SourceFile<T>, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let raw = std::fs::read(path).map_err(io_error)?;
    let bytes = if path.extension().is_some_and(|ext| ext == "gz") {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut text)
            .map_err(io_error)?;
        text
    } else {
        raw
    };
    parse_json(path, &bytes)
}

/// Parses model JSON held in memory; `path` is only used to name it in errors.
pub fn parse_json<T: DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<SourceFile<T>, ReadError> {
    let json_error = |json_path: String, error: serde_json::Error| ReadError::Json {
        path: path.to_path_buf(),
        json_path: if json_path == "." {
            "(document)".to_string()
        } else {
            json_path
        },
        message: error.to_string(),
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let content = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| json_error(error.path().to_string(), error.into_inner()))?;
    deserializer
        .end()
        .map_err(|error| json_error(".".to_string(), error))?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        content,
    })
}

/// botocore's loader merges `paginators-1.sdk-extras.json` into each named paginator, key by
/// key (`botocore.loaders.Loader.load_service_model` → `_merge_extras`), so do we.
fn merge_paginator_extras(paginators: &mut RawPaginators, extras: RawPaginatorExtras) {
    let Some(extra_paginators) = extras.merge.pagination else {
        return;
    };
    for (name, extra) in extra_paginators.0 {
        let existing = paginators.pagination.0.iter().position(|(n, _)| *n == name);
        match existing {
            Some(index) => paginators.pagination.0[index].1.extend(extra),
            None => paginators.pagination.push(name, extra),
        }
    }
}

/// `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct RawService {
    /// Service-wide facts: protocol, names, signing.
    pub metadata: RawMetadata,
    /// Operations by name, in file order.
    pub operations: OrderedMap<RawOperation>,
    /// Shapes by name, in file order.
    pub shapes: OrderedMap<RawShape>,
    /// Service documentation (HTML).
    #[serde(default)]
    pub documentation: Option<String>,
    /// Whole-service deprecation, when present.
    #[serde(default)]
    pub deprecated: bool,
    /// Keys this reader does not know, reported by lowering.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// `service-2.json` → `metadata`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMetadata {
    pub api_version: String,
    pub endpoint_prefix: String,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Option<Vec<String>>,
    #[serde(default)]
    pub json_version: Option<String>,
    #[serde(default)]
    pub target_prefix: Option<String>,
    pub service_full_name: String,
    #[serde(default)]
    pub service_abbreviation: Option<String>,
    pub service_id: String,
    #[serde(default)]
    pub signing_name: Option<String>,
    pub signature_version: String,
    pub uid: Option<String>,
    #[serde(default)]
    pub protocol_settings: BTreeMap<String, String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// One operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawOperation {
    pub name: String,
    /// Absent in some awsJson models, which always `POST /`.
    #[serde(default)]
    pub http: RawHttp,
    #[serde(default)]
    pub input: Option<RawShapeRef>,
    #[serde(default)]
    pub output: Option<RawShapeRef>,
    #[serde(default)]
    pub errors: Vec<RawShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub deprecated_since: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// An operation's `http` block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawHttp {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub request_uri: Option<String>,
    #[serde(default)]
    pub response_code: Option<u16>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A reference to a shape (`{"shape": "Name"}`) with the few keys that may sit beside it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawShapeRef {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// One shape; which keys apply depends on `type`, which lowering checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawShape {
    #[serde(rename = "type")]
    pub shape_type: String,
    #[serde(default)]
    pub members: Option<OrderedMap<RawMember>>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub member: Option<RawMember>,
    #[serde(default)]
    pub key: Option<RawMember>,
    #[serde(default)]
    pub value: Option<RawMember>,
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<String>>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub error: Option<RawErrorTrait>,
    #[serde(default)]
    pub retryable: Option<Value>,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub event: bool,
    #[serde(default)]
    pub eventstream: bool,
    #[serde(default)]
    pub payload: Option<String>,
    #[serde(rename = "box", default)]
    pub boxed: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub requires_length: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub deprecated_since: Option<String>,
    #[serde(default)]
    pub sparse: bool,
    #[serde(default)]
    pub synthetic: bool,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A shape's `error` trait.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawErrorTrait {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// A structure member, or the `member` / `key` / `value` of a list or map.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawMember {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub deprecated_since: Option<String>,
    #[serde(rename = "box", default)]
    pub boxed: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub eventheader: bool,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub context_param: Option<Value>,
    #[serde(flatten)]
    pub unknown: BTreeMap<String, Value>,
}

/// `paginators-1.json` (after merging the sdk-extras file).
#[derive(Debug, Clone, Deserialize)]
pub struct RawPaginators {
    /// Paginator definitions by operation name. Kept as JSON objects: their keys hold strings or
    /// lists of strings, which lowering checks against the shapes.
    pub pagination: OrderedMap<BTreeMap<String, Value>>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawPaginatorExtras {
    merge: RawPaginatorExtrasMerge,
}

#[derive(Debug, Clone, Deserialize)]
struct RawPaginatorExtrasMerge {
    #[serde(default)]
    pagination: Option<OrderedMap<BTreeMap<String, Value>>>,
}

/// A JSON object read in file order, keeping duplicate keys so that validation can report them
/// (a `BTreeMap` would silently keep the last one, and file order matters: botocore serializes
/// members in model order).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    /// The first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Iterates entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    fn push(&mut self, key: String, value: V) {
        self.0.push((key, value));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedMapVisitor<V>(std::marker::PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedMapVisitor<V> {
            type Value = OrderedMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<String>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(OrderedMap(entries))
            }
        }

        deserializer.deserialize_map(OrderedMapVisitor(std::marker::PhantomData))
    }
}
