//! The generated data model, used the way a caller uses it: the seed shapes of the three
//! services built with their builders and inspected, enums and unions with values this SDK
//! version does not know, redaction, recursion.

use awsgen_runtime::{DateTime, UnknownValue};

#[test]
fn qconnect_import_job_data() {
    use awsgen_qconnect::types::*;
    let job = ImportJobData::builder()
        .import_job_id("job-1")
        .knowledge_base_id("kb-1")
        .upload_id("upload-1")
        .import_job_type(ImportJobType::QuickResponses)
        .status("COMPLETE")
        .created_time(DateTime::from_secs(1_700_000_000))
        .metadata("team", "support")
        .metadata("tier", "gold")
        .external_source_configuration(
            ExternalSourceConfiguration::builder()
                .source(ExternalSource::AmazonConnect)
                .configuration(Configuration::ConnectConfiguration(
                    ConnectConfiguration::builder()
                        .instance_id("instance-1")
                        .build(),
                ))
                .build(),
        )
        .build();

    assert_eq!(job.import_job_id.as_deref(), Some("job-1"));
    assert_eq!(job.import_job_type, Some(ImportJobType::QuickResponses));
    assert_eq!(
        job.import_job_type.as_ref().unwrap().as_str(),
        "QUICK_RESPONSES"
    );
    // A string the model knows becomes the known variant, never `Unknown`.
    assert_eq!(job.status, Some(ImportJobStatus::Complete));
    assert_eq!(job.created_time.unwrap().secs(), 1_700_000_000);
    let metadata = job.metadata.as_ref().unwrap();
    assert_eq!(metadata.len(), 2);
    assert_eq!(metadata["tier"], "gold");
    let external = job.external_source_configuration.as_ref().unwrap();
    match external.configuration.as_ref().unwrap() {
        Configuration::ConnectConfiguration(connect) => {
            assert_eq!(connect.instance_id.as_deref(), Some("instance-1"))
        }
        other => panic!("expected connectConfiguration, got {other:?}"),
    }
    // Unset members stay unset.
    assert_eq!(job.url, None);
    assert_eq!(job.failed_record_report, None);

    // `set_*` replaces or clears.
    let cleared = ImportJobData::builder()
        .knowledge_base_id("kb-1")
        .set_knowledge_base_id(None)
        .build();
    assert_eq!(cleared, ImportJobData::default());
}

#[test]
fn personalize_dataset_import_job_summary() {
    use awsgen_personalize::types::*;
    let summary = DatasetImportJobSummary::builder()
        .dataset_import_job_arn("arn:aws:personalize:us-west-2:123456789012:dataset-import-job/x")
        .job_name("nightly")
        .status("ACTIVE")
        .creation_date_time(DateTime::from_fractional_secs(1_700_000_000.25).unwrap())
        .import_mode(ImportMode::Incremental)
        .build();
    assert_eq!(summary.job_name.as_deref(), Some("nightly"));
    // Personalize's status is a plain string in the model.
    assert_eq!(summary.status.as_deref(), Some("ACTIVE"));
    assert_eq!(
        summary.creation_date_time.unwrap().subsec_nanos(),
        250_000_000
    );
    assert_eq!(
        summary.import_mode.as_ref().map(ImportMode::as_str),
        Some("INCREMENTAL")
    );
    assert_eq!(summary.failure_reason, None);
}

#[test]
fn qbusiness_data_source_sync_job() {
    use awsgen_qbusiness::types::*;
    let job = DataSourceSyncJob::builder()
        .execution_id("exec-1")
        .status(DataSourceSyncJobStatus::SyncingIndexing)
        .start_time(DateTime::parse_iso8601("2024-05-01T10:00:00Z").unwrap())
        .error(
            ErrorDetail::builder()
                .error_code(ErrorCode::InternalError)
                .error_message("boom")
                .build(),
        )
        .metrics(
            DataSourceSyncJobMetrics::builder()
                .documents_added("12")
                .build(),
        )
        .build();
    assert_eq!(job.status.as_ref().unwrap().as_str(), "SYNCING_INDEXING");
    assert_eq!(job.start_time.unwrap().to_iso8601(), "2024-05-01T10:00:00Z");
    assert_eq!(
        job.error.as_ref().unwrap().error_code,
        Some(ErrorCode::InternalError)
    );
    assert_eq!(
        job.metrics.as_ref().unwrap().documents_added.as_deref(),
        Some("12")
    );
    assert_eq!(job.end_time, None);
}

#[test]
fn unknown_enum_values_are_kept_as_received() {
    use awsgen_qconnect::types::ImportJobStatus;
    let status = ImportJobStatus::from("PAUSED_BY_A_NEWER_API");
    assert!(matches!(status, ImportJobStatus::Unknown(_)));
    assert_eq!(status.as_str(), "PAUSED_BY_A_NEWER_API");
    assert_eq!(status.to_string(), "PAUSED_BY_A_NEWER_API");
    // Case matters on the wire: "complete" is not "COMPLETE".
    assert!(matches!(
        ImportJobStatus::from("complete"),
        ImportJobStatus::Unknown(_)
    ));
    // Every known value round-trips through its variant.
    for value in ImportJobStatus::VALUES {
        let parsed: ImportJobStatus = value.parse().unwrap();
        assert!(!matches!(parsed, ImportJobStatus::Unknown(_)), "{value}");
        assert_eq!(parsed.as_str(), *value);
    }
}

#[test]
fn unknown_union_members_keep_their_tag() {
    use awsgen_qconnect::types::Configuration;
    // What the deserializer produces for a member this SDK version does not know.
    let configuration = Configuration::Unknown(UnknownValue::new("salesforceConfiguration"));
    match &configuration {
        Configuration::Unknown(tag) => assert_eq!(tag.as_str(), "salesforceConfiguration"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(
        format!("{configuration:?}"),
        r#"Unknown("salesforceConfiguration")"#
    );
}

#[test]
fn debug_redacts_sensitive_members() {
    use snapshot_hard_names::types::*;
    let value = ResultValue::builder()
        .secret("hunter2")
        .secrets("a")
        .secrets("b")
        .foo_bar("visible")
        .build();
    let debug = format!("{value:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains(r#"secret: Some(*** Sensitive Data Redacted ***)"#),
        "{debug}"
    );
    assert!(
        debug.contains(r#"secrets: Some(*** Sensitive Data Redacted ***)"#),
        "{debug}"
    );
    assert!(debug.contains(r#"foo_bar: Some("visible")"#), "{debug}");
    // Unset sensitive members show as None, so absence is still visible.
    assert!(format!("{:?}", ResultValue::default()).contains("secret: None"));

    let pin = Choice::Pin("1234".into());
    assert_eq!(format!("{pin:?}"), "Pin(*** Sensitive Data Redacted ***)");
    assert_eq!(format!("{:?}", Choice::Leaf("x".into())), r#"Leaf("x")"#);
}

#[test]
fn hard_names_and_recursion() {
    use snapshot_hard_names::types::*;
    // Recursive shapes are boxed where the cycle closes; builders box for the caller.
    let tree = Tree::builder()
        .left(Tree::builder().value(Choice::Leaf("l".into())).build())
        .children(Tree::default())
        .value(Choice::Tree(Tree::default()))
        .build();
    assert_eq!(
        tree.left.as_ref().unwrap().value.as_deref(),
        Some(&Choice::Leaf("l".into()))
    );
    assert_eq!(tree.children.as_ref().unwrap().len(), 1);

    // Enum values differing only in case or punctuation get distinct variants.
    assert_eq!(ClientValue::from("ASC"), ClientValue::Asc);
    assert_eq!(ClientValue::from("Asc"), ClientValue::Asc2);
    assert_eq!(ClientValue::from("1.0"), ClientValue::V1_0);
    assert_eq!(ClientValue::from("10"), ClientValue::V10);
    // The model's own "UNKNOWN" value is not the catch-all.
    assert_eq!(ClientValue::from("UNKNOWN"), ClientValue::UnknownValue);
    assert_eq!(ClientValue::from(">=").as_str(), ">=");

    // Keyword and colliding member names, and a map keyed by an enum.
    let value = ResultValue::builder()
        .r#type(ClientValue::SelfValue)
        .self_value("me")
        .foo_bar("text")
        .foo_bar_value(3)
        .build_value(true)
        .labels(ClientValue::Asc, vec![Tree::default()])
        .build();
    assert_eq!(value.r#type.as_ref().map(ClientValue::as_str), Some("Self"));
    assert_eq!(
        (value.foo_bar.as_deref(), value.foo_bar_value),
        (Some("text"), Some(3))
    );
    assert_eq!(value.build_value, Some(true));
    assert_eq!(value.labels.as_ref().unwrap()[&ClientValue::Asc].len(), 1);
}

/// A union member the model names `unknown` gets its own variant; only a member this SDK
/// version does not know becomes the catch-all `Unknown`, with its name.
#[tokio::test]
#[allow(deprecated)] // the model deprecates its only operation
async fn a_union_member_named_unknown_is_not_the_catch_all() {
    use sdk_tests::{CannedResponse, TestServer, test_config};
    use snapshot_hard_names::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"choice": {"unknown": 5}}"#));
    server.respond(CannedResponse::json(
        200,
        r#"{"choice": {"somethingNew": {"x": 1}}}"#,
    ));
    let client = snapshot_hard_names::Client::new(&test_config(&server));
    let call = || client.r#match().r#type(ClientValue::Asc).send();
    let first = call().await.expect("first call");
    assert_eq!(first.choice, Some(Choice::UnknownValue(5)));
    let second = call().await.expect("second call");
    match second.choice {
        Some(Choice::Unknown(tag)) => assert_eq!(tag.as_str(), "somethingNew"),
        other => panic!("expected the catch-all, got {other:?}"),
    }
}

/// The hard-names model has two exceptions with the code `NotFound` (`Gone`, then `NotFound`):
/// botocore's `shape_for_error_code` keeps the later one, and so do we. It also has a shape
/// `TreeBuilder` beside the builder of `Tree`, which must not shadow it.
#[tokio::test]
#[allow(deprecated)] // the model deprecates its only operation
async fn same_error_code_twice_parses_as_the_later_exception() {
    use sdk_tests::{CannedResponse, TestServer, test_config};
    use snapshot_hard_names::operation::MatchError;
    use snapshot_hard_names::types::*;
    let server = TestServer::start().await;
    // awsJson: the code is the body's `__type`.
    server.respond(CannedResponse::json(
        404,
        r#"{"__type": "NotFound", "message": "no such tree"}"#,
    ));
    let client = snapshot_hard_names::Client::new(&test_config(&server));
    let tree_builder = TreeBuilder::builder().tree(Tree::builder().build()).build();
    let error = client
        .r#match()
        .r#type(ClientValue::Asc)
        .tree_builder(tree_builder)
        .send()
        .await
        .unwrap_err();
    match error.as_service() {
        Some(MatchError::Unhandled(e)) => {
            let found = e.modeled::<NotFound>().expect("parsed as NotFound");
            assert_eq!(found.message.as_deref(), Some("no such tree"));
            assert!(e.modeled::<Gone>().is_none());
        }
        other => panic!("{other:?}"),
    }
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent["tree_builder"], serde_json::json!({"tree": {}}));
}
