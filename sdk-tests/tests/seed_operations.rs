//! The five seed operations, called with the generated clients against a real local server:
//! the request equals botocore's for the same parameters, and the response is parsed.

use awsgen_runtime::DateTime;
use sdk_tests::{CannedResponse, TestServer, assert_botocore_request, test_config};

#[tokio::test]
async fn qconnect_start_import_job() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"importJobId": "job-1", "status": "START_IN_PROGRESS", "importJobType": "QUICK_RESPONSES",
            "createdTime": 1714979289.5, "metadata": {"team": "support"}, "futureField": [1, {"x": null}],
            "externalSourceConfiguration": {"source": "AMAZON_CONNECT", "configuration": {"connectConfiguration": {"instanceId": "i-1"}}}}}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let output = client
        .start_import_job()
        .knowledge_base_id("8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b")
        .upload_id("upload-0001/quick-responses.csv")
        .import_job_type(ImportJobType::QuickResponses)
        .client_token("start-import-job-token-0001")
        .metadata("owner", "alice")
        .metadata("source file", "qr é.csv")
        .metadata("team", "support")
        .external_source_configuration(
            ExternalSourceConfiguration::builder()
                .source(ExternalSource::AmazonConnect)
                .configuration(Configuration::ConnectConfiguration(
                    ConnectConfiguration::builder()
                        .instance_id("arn:aws:connect:us-west-2:123456789012:instance/abcd1234")
                        .build(),
                ))
                .build(),
        )
        .send()
        .await
        .expect("StartImportJob succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_botocore_request(
        "qconnect_StartImportJob_external_source_metadata",
        &requests[0],
    );
    // Signed for the model's signing name, not the service id.
    let authorization = requests[0].header("authorization").unwrap();
    assert!(
        authorization.contains("/us-west-2/wisdom/aws4_request"),
        "{authorization}"
    );

    let job = output.import_job.expect("importJob parsed");
    assert_eq!(job.import_job_id.as_deref(), Some("job-1"));
    assert_eq!(job.status, Some(ImportJobStatus::StartInProgress));
    assert_eq!(
        job.created_time,
        Some(DateTime::from_secs_and_nanos(1_714_979_289, 500_000_000))
    );
    assert_eq!(job.metadata.unwrap()["team"], "support");
    match job
        .external_source_configuration
        .unwrap()
        .configuration
        .unwrap()
    {
        Configuration::ConnectConfiguration(c) => assert_eq!(c.instance_id.as_deref(), Some("i-1")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn qconnect_get_import_job() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"importJobId": "0f9e8d7c", "status": "SOMETHING_NEW"}}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let output = client
        .get_import_job()
        .knowledge_base_id("8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b")
        .import_job_id("0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c")
        .send()
        .await
        .unwrap();
    assert_botocore_request("qconnect_GetImportJob_labels", &server.requests()[0]);
    let status = output.import_job.unwrap().status.unwrap();
    assert_eq!(status.as_str(), "SOMETHING_NEW");
    assert!(matches!(
        status,
        awsgen_qconnect::types::ImportJobStatus::Unknown(_)
    ));
}

#[tokio::test]
async fn qconnect_list_import_jobs() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJobSummaries": [{"importJobId": "a", "importJobType": "QUICK_RESPONSES"}, {"importJobId": "b"}], "nextToken": "t2"}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let output = client
        .list_import_jobs()
        .knowledge_base_id("8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b")
        .max_results(25)
        .next_token("eyJwYWdlIjoyfQ==/next+page~2 é")
        .send()
        .await
        .unwrap();
    assert_botocore_request(
        "qconnect_ListImportJobs_pagination_query",
        &server.requests()[0],
    );
    let summaries = output.import_job_summaries.unwrap();
    assert_eq!(summaries.len(), 2);
    assert_eq!(summaries[1].import_job_id.as_deref(), Some("b"));
    assert_eq!(output.next_token.as_deref(), Some("t2"));
}

#[tokio::test]
async fn personalize_list_dataset_import_jobs() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"datasetImportJobs": [{"datasetImportJobArn": "arn:1", "jobName": "nightly", "status": "ACTIVE",
            "creationDateTime": 1.7e9, "importMode": "FULL"}], "nextToken": "n"}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    let output = client
        .list_dataset_import_jobs()
        .dataset_arn("arn:aws:personalize:us-west-2:123456789012:dataset/movies/INTERACTIONS")
        .max_results(20)
        .next_token("next/token+1==")
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_botocore_request(
        "personalize_ListDatasetImportJobs_filter_pagination",
        request,
    );
    assert!(
        request
            .header("authorization")
            .unwrap()
            .contains("/us-west-2/personalize/aws4_request")
    );
    let jobs = output.dataset_import_jobs.unwrap();
    assert_eq!(
        jobs[0].creation_date_time,
        Some(DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(
        jobs[0].import_mode,
        Some(awsgen_personalize::types::ImportMode::Full)
    );
}

#[tokio::test]
async fn qbusiness_list_data_source_sync_jobs() {
    use awsgen_qbusiness::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"history": [{"executionId": "e1", "startTime": "2024-01-02T03:04:05.25Z", "status": "FAILED",
            "error": {"errorMessage": "boom", "errorCode": "InternalError"}}]}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    let output = client
        .list_data_source_sync_jobs()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .start_time(DateTime::parse_iso8601("2024-01-01T00:00:00Z").unwrap())
        .end_time(DateTime::parse_iso8601("2024-01-31T23:59:59.5Z").unwrap())
        .max_results(10)
        .status_filter(DataSourceSyncJobStatus::Failed)
        .send()
        .await
        .unwrap();
    assert_botocore_request(
        "qbusiness_ListDataSourceSyncJobs_timestamp_query",
        &server.requests()[0],
    );
    let job = &output.history.unwrap()[0];
    assert_eq!(
        job.start_time.unwrap().to_iso8601(),
        "2024-01-02T03:04:05.250000Z"
    );
    assert_eq!(
        job.error.as_ref().unwrap().error_code,
        Some(ErrorCode::InternalError)
    );
}
