//! The build-script-generated client against the local test server: requests as botocore
//! sends them, responses parsed, the paginator following tokens.

use example_build_rs_qconnect::qconnect::{self, types::*};
use sdk_tests::{CannedResponse, TestServer, test_config};

const KB: &str = "8c1f3a52-4b6d-4e8f-9a0b-1c2d3e4f5a6b";

#[tokio::test]
async fn start_import_job() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"importJobId": "job-1", "status": "START_IN_PROGRESS", "importJobType": "QUICK_RESPONSES"}}"#,
    ));
    let client = qconnect::Client::new(&test_config(&server));
    let output = client
        .start_import_job()
        .knowledge_base_id(KB)
        .upload_id("upload-1")
        .import_job_type(ImportJobType::QuickResponses)
        .client_token("token-1")
        .metadata("team", "support")
        .send()
        .await
        .expect("StartImportJob succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].path(),
        format!("/knowledgeBases/{KB}/importJobs")
    );
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "uploadId": "upload-1",
            "importJobType": "QUICK_RESPONSES",
            "clientToken": "token-1",
            "metadata": {"team": "support"},
        })
    );
    let job = output.import_job.expect("importJob parsed");
    assert_eq!(job.import_job_id.as_deref(), Some("job-1"));
    assert_eq!(job.status, Some(ImportJobStatus::StartInProgress));
    assert_eq!(job.import_job_type, Some(ImportJobType::QuickResponses));
}

#[tokio::test]
async fn get_import_job() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"importJobId": "job-2", "status": "COMPLETE", "url": "https://example.com/x"}}"#,
    ));
    let client = qconnect::Client::new(&test_config(&server));
    let output = client
        .get_import_job()
        .knowledge_base_id(KB)
        .import_job_id("job-2")
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(
        requests[0].path(),
        format!("/knowledgeBases/{KB}/importJobs/job-2")
    );
    let job = output.import_job.unwrap();
    assert_eq!(job.status, Some(ImportJobStatus::Complete));
    assert_eq!(job.url.as_deref(), Some("https://example.com/x"));
}

#[tokio::test]
async fn get_import_job_error() {
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(404, r#"{"message": "no such job"}"#)
            .with_header("x-amzn-errortype", "ResourceNotFoundException"),
    );
    let client = qconnect::Client::new(&test_config(&server));
    let error = client
        .get_import_job()
        .knowledge_base_id(KB)
        .import_job_id("missing")
        .send()
        .await
        .unwrap_err();
    let qconnect::SdkError::Service(error) = error else {
        panic!("{error:?}");
    };
    assert_eq!(error.code(), "ResourceNotFoundException");
    assert_eq!(error.message(), "no such job");
}

#[tokio::test]
async fn list_import_jobs_paginator() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJobSummaries": [{"importJobId": "a"}, {"importJobId": "b"}], "nextToken": "t2"}"#,
    ));
    server.respond(CannedResponse::json(
        200,
        r#"{"importJobSummaries": [{"importJobId": "c"}]}"#,
    ));
    let client = qconnect::Client::new(&test_config(&server));
    let mut items = client
        .list_import_jobs()
        .knowledge_base_id(KB)
        .into_paginator()
        .page_size(2)
        .items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(item.unwrap().import_job_id.unwrap());
    }
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.path(), format!("/knowledgeBases/{KB}/importJobs"));
    }
    assert_eq!(requests[0].query(), "maxResults=2");
    let second: Vec<&str> = requests[1].query().split('&').collect();
    assert!(second.contains(&"maxResults=2"), "{second:?}");
    assert!(second.contains(&"nextToken=t2"), "{second:?}");
}
