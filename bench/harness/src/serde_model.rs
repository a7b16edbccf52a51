//! Minimal hand-written serde structs for the `ListImportJobs` response: what plain serde_json
//! can do with the body, the practical limit for a parser that builds owned Rust values.
//! Strings stay strings and timestamps stay `f64` (the SDKs convert both), maps are `BTreeMap`s
//! as in awsgen's types.
#![allow(
    dead_code,
    reason = "every field is parsed and kept; the benchmark measures that, not reading them"
)]

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListImportJobsResponse {
    pub import_job_summaries: Vec<ImportJobSummary>,
    pub next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportJobSummary {
    pub import_job_id: String,
    pub knowledge_base_id: String,
    pub upload_id: String,
    pub knowledge_base_arn: String,
    pub import_job_type: String,
    pub status: String,
    pub created_time: f64,
    pub last_modified_time: f64,
    pub metadata: Option<BTreeMap<String, String>>,
    pub external_source_configuration: Option<ExternalSourceConfiguration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSourceConfiguration {
    pub source: String,
    pub configuration: Configuration,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    pub connect_configuration: Option<ConnectConfiguration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectConfiguration {
    pub instance_id: Option<String>,
}
