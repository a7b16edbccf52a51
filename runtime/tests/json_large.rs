//! The JSON reader on the shared 6.2 MB `ListImportJobs` response (`bench-data/list_large.json`,
//! written by `bench-data/gen_data.py`): skipped, walked into `serde_json::Value`, and walked into
//! structs the way generated code does; plus an `#[ignore]`d throughput measurement:
//!
//! ```text
//! cargo test --release -p awsgen-runtime --test json_large -- --ignored --nocapture
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use awsgen_runtime::json::{DeserializeJson, JsonError, JsonReader, TimestampFormat};
use awsgen_runtime::{DateTime, UnknownValue};

/// `$AWSGEN_SHARED_DIR`, or `/work/shared` next to the workspace.
fn list_large() -> Vec<u8> {
    let shared = std::env::var_os("AWSGEN_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let path = shared.join("bench-data/list_large.json");
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; set AWSGEN_SHARED_DIR to the directory holding bench-data/",
            path.display()
        )
    })
}

// What the generator emits for qconnect's ListImportJobs output, written out by hand.

#[derive(Debug, Default, PartialEq)]
struct ListImportJobsOutput {
    import_job_summaries: Option<Vec<ImportJobSummary>>,
    next_token: Option<String>,
}

#[derive(Debug, Default, PartialEq)]
struct ImportJobSummary {
    import_job_id: Option<String>,
    knowledge_base_id: Option<String>,
    upload_id: Option<String>,
    knowledge_base_arn: Option<String>,
    import_job_type: Option<ImportJobType>,
    status: Option<ImportJobStatus>,
    created_time: Option<DateTime>,
    last_modified_time: Option<DateTime>,
    metadata: Option<BTreeMap<String, String>>,
    external_source_configuration: Option<ExternalSourceConfiguration>,
}

#[derive(Debug, PartialEq)]
enum ImportJobType {
    QuickResponses,
    Unknown(UnknownValue),
}

#[derive(Debug, PartialEq)]
enum ImportJobStatus {
    StartInProgress,
    Failed,
    Complete,
    DeleteInProgress,
    DeleteFailed,
    Deleted,
    Unknown(UnknownValue),
}

#[derive(Debug, Default, PartialEq)]
struct ExternalSourceConfiguration {
    source: Option<String>,
    configuration: Option<Configuration>,
}

#[derive(Debug, PartialEq)]
enum Configuration {
    ConnectConfiguration(ConnectConfiguration),
    Unknown(UnknownValue),
}

#[derive(Debug, Default, PartialEq)]
struct ConnectConfiguration {
    instance_id: Option<String>,
}

impl DeserializeJson for ListImportJobsOutput {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "importJobSummaries" => out.import_job_summaries = r.optional()?,
                "nextToken" => out.next_token = r.optional()?,
                _ => r.skip_value()?,
            }
        }
        Ok(out)
    }
}

impl DeserializeJson for ImportJobSummary {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "importJobId" => out.import_job_id = r.optional()?,
                "knowledgeBaseId" => out.knowledge_base_id = r.optional()?,
                "uploadId" => out.upload_id = r.optional()?,
                "knowledgeBaseArn" => out.knowledge_base_arn = r.optional()?,
                "importJobType" => out.import_job_type = r.optional()?,
                "status" => out.status = r.optional()?,
                "createdTime" => {
                    out.created_time = if r.take_null()? {
                        None
                    } else {
                        Some(r.timestamp(TimestampFormat::EpochSeconds)?)
                    }
                }
                "lastModifiedTime" => {
                    out.last_modified_time = if r.take_null()? {
                        None
                    } else {
                        Some(r.timestamp(TimestampFormat::EpochSeconds)?)
                    }
                }
                "metadata" => out.metadata = r.optional()?,
                "externalSourceConfiguration" => {
                    out.external_source_configuration = r.optional()?
                }
                _ => r.skip_value()?,
            }
        }
        Ok(out)
    }
}

impl DeserializeJson for ImportJobType {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let value = r.string()?;
        Ok(match &*value {
            "QUICK_RESPONSES" => Self::QuickResponses,
            other => Self::Unknown(UnknownValue::new(other)),
        })
    }
}

impl DeserializeJson for ImportJobStatus {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let value = r.string()?;
        Ok(match &*value {
            "START_IN_PROGRESS" => Self::StartInProgress,
            "FAILED" => Self::Failed,
            "COMPLETE" => Self::Complete,
            "DELETE_IN_PROGRESS" => Self::DeleteInProgress,
            "DELETE_FAILED" => Self::DeleteFailed,
            "DELETED" => Self::Deleted,
            other => Self::Unknown(UnknownValue::new(other)),
        })
    }
}

impl DeserializeJson for ExternalSourceConfiguration {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "source" => out.source = r.optional()?,
                "configuration" => out.configuration = r.optional()?,
                _ => r.skip_value()?,
            }
        }
        Ok(out)
    }
}

impl DeserializeJson for Configuration {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut out = None;
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "connectConfiguration" => {
                    if let Some(value) = r.optional()? {
                        out = Some(Self::ConnectConfiguration(value));
                    }
                }
                other => {
                    if !r.take_null()? {
                        r.skip_value()?;
                        out = Some(Self::Unknown(UnknownValue::new(other)));
                    }
                }
            }
        }
        out.ok_or_else(|| r.error("union with no member set"))
    }
}

impl DeserializeJson for ConnectConfiguration {
    fn deserialize_json(r: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut out = Self::default();
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "instanceId" => out.instance_id = r.optional()?,
                _ => r.skip_value()?,
            }
        }
        Ok(out)
    }
}

fn typed(bytes: &[u8]) -> Result<ListImportJobsOutput, JsonError> {
    let mut reader = JsonReader::new(bytes);
    let output = reader.value()?;
    reader.end()?;
    Ok(output)
}

fn skipped(bytes: &[u8]) -> Result<(), JsonError> {
    let mut reader = JsonReader::new(bytes);
    reader.skip_value()?;
    reader.end()
}

fn document(bytes: &[u8]) -> Result<serde_json::Value, JsonError> {
    let mut reader = JsonReader::new(bytes);
    let value = reader.value()?;
    reader.end()?;
    Ok(value)
}

#[test]
fn json_large_skip_value() {
    let bytes = list_large();
    assert!(bytes.len() > 6_000_000);
    skipped(&bytes).unwrap();
    // Truncated, it fails.
    assert!(skipped(&bytes[..bytes.len() - 1]).is_err());
}

#[test]
fn json_large_document_equals_serde_json() {
    let bytes = list_large();
    let ours = document(&bytes).unwrap();
    let theirs: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours["importJobSummaries"].as_array().unwrap().len(), 10_000);
}

#[test]
fn json_large_typed_walk_matches_serde_json() {
    let bytes = list_large();
    let output = typed(&bytes).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let expected = value["importJobSummaries"].as_array().unwrap();
    let summaries = output.import_job_summaries.as_ref().unwrap();
    assert_eq!(summaries.len(), expected.len());
    assert_eq!(output.next_token, None);
    for (summary, json) in summaries.iter().zip(expected) {
        let text = |key: &str| json[key].as_str().map(str::to_owned);
        assert_eq!(summary.import_job_id, text("importJobId"));
        assert_eq!(summary.knowledge_base_id, text("knowledgeBaseId"));
        assert_eq!(summary.upload_id, text("uploadId"));
        assert_eq!(summary.knowledge_base_arn, text("knowledgeBaseArn"));
        assert_eq!(summary.import_job_type, Some(ImportJobType::QuickResponses));
        assert!(!matches!(
            summary.status,
            None | Some(ImportJobStatus::Unknown(_))
        ));
        // Epoch seconds with milliseconds: botocore keeps them exactly (microsecond precision).
        let created = json["createdTime"].as_f64().unwrap();
        let date = summary.created_time.unwrap();
        let millis = (created * 1000.0).round() as i64;
        assert_eq!(date, DateTime::from_millis(millis), "{created}");
        assert!(summary.last_modified_time.unwrap() >= date);
        let metadata = summary.metadata.as_ref().unwrap();
        assert_eq!(
            metadata.get("source").map(String::as_str),
            Some("crm-export")
        );
        assert_eq!(
            metadata.get("team").map(String::as_str),
            json["metadata"]["team"].as_str()
        );
        let external = summary.external_source_configuration.as_ref().unwrap();
        assert_eq!(external.source.as_deref(), Some("AMAZON_CONNECT"));
        let instance = json["externalSourceConfiguration"]["configuration"]["connectConfiguration"]
            ["instanceId"]
            .as_str();
        assert_eq!(
            external.configuration,
            Some(Configuration::ConnectConfiguration(ConnectConfiguration {
                instance_id: instance.map(str::to_owned)
            }))
        );
    }
}

/// Best time of `runs` runs of `f`.
fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
#[ignore = "throughput measurement; run in release with --ignored --nocapture"]
fn json_large_throughput() {
    let bytes = list_large();
    let megabytes = bytes.len() as f64 / 1e6;
    let runs = 20;
    let report = |name: &str, time: Duration| {
        println!(
            "{name:<44} {:>8.1} MB/s  ({:.2} ms)",
            megabytes / time.as_secs_f64(),
            time.as_secs_f64() * 1e3
        );
    };
    report(
        "JsonReader: typed walk (generated-style)",
        best_of(runs, || {
            std::hint::black_box(typed(std::hint::black_box(&bytes)).unwrap());
        }),
    );
    report(
        "JsonReader: skip_value",
        best_of(runs, || skipped(std::hint::black_box(&bytes)).unwrap()),
    );
    report(
        "JsonReader: into serde_json::Value",
        best_of(runs, || {
            std::hint::black_box(document(std::hint::black_box(&bytes)).unwrap());
        }),
    );
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    report(
        "JsonWriter: raw_document (write)",
        best_of(runs, || {
            let mut writer = awsgen_runtime::json::JsonWriter::new();
            writer.raw_document(std::hint::black_box(&value));
            std::hint::black_box(writer.into_bytes());
        }),
    );
    report(
        "serde_json::to_vec (write)",
        best_of(runs, || {
            std::hint::black_box(serde_json::to_vec(std::hint::black_box(&value)).unwrap());
        }),
    );
    report(
        "serde_json::from_slice::<Value>",
        best_of(runs, || {
            std::hint::black_box(
                serde_json::from_slice::<serde_json::Value>(std::hint::black_box(&bytes)).unwrap(),
            );
        }),
    );
}
