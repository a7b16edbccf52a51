//! Paginators against a real local server serving several pages, checked against what boto3's
//! own paginator does over the same pages (`fixtures/boto3_paginator_tokens.json`, made by
//! `fixtures/make_boto3_paginator_tokens.py`): the same items, the same requests, and resume
//! tokens identical to boto3's byte for byte, in both directions.

use awsgen_runtime::SdkError;
use sdk_tests::{CannedResponse, RecordedRequest, TestServer, test_config};
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("../fixtures/boto3_paginator_tokens.json")).unwrap()
}

fn page_body(ids: &[Value], token: &Value) -> String {
    let summaries: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"importJobId": {id}, "status": "COMPLETE", "importJobType": "QUICK_RESPONSES"}}"#))
        .collect();
    let token = match token {
        Value::String(t) => format!(r#", "nextToken": "{t}""#),
        _ => String::new(),
    };
    format!(
        r#"{{"importJobSummaries": [{}]{token}}}"#,
        summaries.join(", ")
    )
}

/// Queues the fixture's pages from the one a request with `token` asks for.
fn serve_pages(server: &TestServer, fixture: &Value, from_token: Option<&str>) {
    let pages = fixture["pages"].as_array().unwrap();
    let start = match from_token {
        None => 0,
        Some(token) => pages.iter().position(|p| p["nextToken"] == token).unwrap() + 1,
    };
    for page in &pages[start..] {
        server.respond(CannedResponse::json(
            200,
            &page_body(page["ids"].as_array().unwrap(), &page["nextToken"]),
        ));
    }
}

fn request_token(request: &RecordedRequest) -> Value {
    request
        .query()
        .split('&')
        .find_map(|pair| pair.strip_prefix("nextToken="))
        .map_or(Value::Null, |token| Value::String(token.to_string()))
}

fn first_token(scenario: &Value) -> Option<&str> {
    scenario["request_tokens"][0].as_str()
}

/// Runs a boto3 scenario with our paginator and compares everything boto3 recorded.
async fn replay(name: &str) {
    let fixture = fixture();
    let scenario = &fixture["scenarios"][name];
    let config = &scenario["config"];
    let server = TestServer::start().await;
    serve_pages(&server, &fixture, first_token(scenario));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let mut paginator = client
        .list_import_jobs()
        .knowledge_base_id("kb-1")
        .into_paginator();
    if let Some(size) = config["PageSize"].as_i64() {
        paginator = paginator.page_size(size as i32);
    }
    if let Some(max) = config["MaxItems"].as_u64() {
        paginator = paginator.max_items(max as usize);
    }
    if let Some(token) = config["StartingToken"].as_str() {
        paginator = paginator.starting_token(token);
    }
    let mut items = paginator.items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        ids.push(Value::String(
            item.unwrap_or_else(|e| panic!("{name}: {e}"))
                .import_job_id
                .unwrap(),
        ));
    }
    assert_eq!(Value::Array(ids), scenario["items"], "{name}: items");
    let requests = server.requests();
    let tokens: Vec<Value> = requests.iter().map(request_token).collect();
    assert_eq!(
        Value::Array(tokens),
        scenario["request_tokens"],
        "{name}: tokens sent"
    );
    assert_eq!(
        items
            .resume_token()
            .map(|t| Value::String(t.into()))
            .unwrap_or(Value::Null),
        scenario["resume_token"],
        "{name}: resume token"
    );
    if let Some(size) = config["PageSize"].as_i64() {
        for request in &requests {
            assert!(
                request.query().contains(&format!("maxResults={size}")),
                "{name}: {}",
                request.path_and_query
            );
        }
    } else {
        assert!(
            requests.iter().all(|r| !r.query().contains("maxResults")),
            "{name}: no page size sent"
        );
    }
}

#[tokio::test]
async fn all_pages() {
    replay("all").await;
}

#[tokio::test]
async fn page_size_is_the_limit_key_on_the_wire() {
    replay("page_size").await;
}

#[tokio::test]
async fn max_items_inside_a_page_resumes_at_the_next_item() {
    replay("max_items_mid_page").await;
    replay("max_items_first_item").await;
}

#[tokio::test]
async fn max_items_on_a_page_boundary_resumes_with_the_next_pages_token() {
    replay("max_items_on_boundary").await;
}

#[tokio::test]
async fn boto3_tokens_resume_here() {
    for name in [
        "resume_mid_page",
        "resume_mid_page_max_1",
        "resume_chained",
        "resume_boundary",
        "resume_first_item",
    ] {
        replay(name).await;
    }
}

#[tokio::test]
async fn build_full_result_as_boto3() {
    let fixture = fixture();
    for name in ["all", "max_items_mid_page", "max_items_on_boundary"] {
        let scenario = &fixture["scenarios"][name];
        let server = TestServer::start().await;
        serve_pages(&server, &fixture, None);
        let client = awsgen_qconnect::Client::new(&test_config(&server));
        let mut paginator = client
            .list_import_jobs()
            .knowledge_base_id("kb-1")
            .into_paginator();
        if let Some(max) = scenario["config"]["MaxItems"].as_u64() {
            paginator = paginator.max_items(max as usize);
        }
        let full = paginator.build_full_result().await.unwrap();
        let ids: Vec<Value> = full
            .output
            .import_job_summaries
            .unwrap_or_default()
            .into_iter()
            .map(|s| Value::String(s.import_job_id.unwrap()))
            .collect();
        assert_eq!(Value::Array(ids), scenario["full_result"]["ids"], "{name}");
        assert_eq!(
            full.next_token.map(Value::String).unwrap_or(Value::Null),
            scenario["full_result"]["NextToken"],
            "{name}"
        );
        // The per-page token is not part of a full result.
        assert_eq!(full.output.next_token, None, "{name}");
    }
}

#[tokio::test]
async fn pages_are_typed_outputs_and_stop_without_a_token() {
    let fixture = fixture();
    let server = TestServer::start().await;
    serve_pages(&server, &fixture, None);
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let mut pages = client
        .list_import_jobs()
        .knowledge_base_id("kb-1")
        .into_paginator()
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.import_job_summaries.unwrap().len());
    }
    assert_eq!(sizes, [2, 2, 2]);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(pages.resume_token(), None);
}

#[tokio::test]
async fn the_same_token_twice_is_an_error_not_a_loop() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(CannedResponse::json(
            200,
            r#"{"importJobSummaries": [{"importJobId": "x"}], "nextToken": "again"}"#,
        ));
    }
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let mut pages = client
        .list_import_jobs()
        .knowledge_base_id("kb-1")
        .into_paginator()
        .send();
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("The same next token was received twice: {\"nextToken\": \"again\"}"),
        "{error}"
    );
    assert!(pages.next().await.is_none(), "the run ends after the error");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_empty_token_ends_iteration() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJobSummaries": [{"importJobId": "x"}], "nextToken": ""}"#,
    ));
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let mut items = client
        .list_import_jobs()
        .knowledge_base_id("kb-1")
        .into_paginator()
        .items();
    assert!(items.next().await.unwrap().is_ok());
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_bad_starting_token_is_an_error_and_sends_nothing() {
    let server = TestServer::start().await;
    let client = awsgen_qconnect::Client::new(&test_config(&server));
    let mut pages = client
        .list_import_jobs()
        .knowledge_base_id("kb-1")
        .into_paginator()
        .starting_token("not a token")
        .send();
    assert!(matches!(
        pages.next().await,
        Some(Err(SdkError::Validation(_)))
    ));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn personalize_list_dataset_import_jobs_pages_and_page_size() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"datasetImportJobs": [{"jobName": "a"}, {"jobName": "b"}], "nextToken": "n1"}"#,
    ));
    server.respond(CannedResponse::json(
        200,
        r#"{"datasetImportJobs": [{"jobName": "c"}]}"#,
    ));
    let client = awsgen_personalize::Client::new(&test_config(&server));
    let mut items = client
        .list_dataset_import_jobs()
        .dataset_arn("arn:d")
        .into_paginator()
        .page_size(2)
        .items();
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.unwrap().job_name.unwrap());
    }
    assert_eq!(names, ["a", "b", "c"]);
    let bodies: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies[0],
        serde_json::json!({"datasetArn": "arn:d", "maxResults": 2})
    );
    assert_eq!(
        bodies[1],
        serde_json::json!({"datasetArn": "arn:d", "maxResults": 2, "nextToken": "n1"})
    );
}

#[tokio::test]
async fn qbusiness_list_data_source_sync_jobs_pages() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"history": [{"executionId": "e1"}, {"executionId": "e2"}], "nextToken": "p2"}"#,
    ));
    server.respond(CannedResponse::json(
        200,
        r#"{"history": [{"executionId": "e3"}]}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    let mut pages = client
        .list_data_source_sync_jobs()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .index_id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
        .data_source_id("d5c4b3a2-1f0e-4d9c-8b7a-6f5e4d3c2b1a")
        .into_paginator()
        .page_size(2)
        .max_items(3)
        .send();
    let mut executions = Vec::new();
    while let Some(page) = pages.next().await {
        executions.extend(
            page.unwrap()
                .history
                .unwrap()
                .into_iter()
                .map(|j| j.execution_id.unwrap()),
        );
    }
    assert_eq!(executions, ["e1", "e2", "e3"]);
    let requests = server.requests();
    assert_eq!(requests[0].query(), "maxResults=2");
    assert_eq!(requests[1].query(), "nextToken=p2&maxResults=2");
    // Three items, the last page ends the run: nothing to resume.
    assert_eq!(pages.resume_token(), None);
}

#[tokio::test]
async fn non_aggregate_keys_are_on_each_page_and_kept_from_the_first_in_the_full_result() {
    // qbusiness GetChatControlsConfiguration: `non_aggregate_keys` come from
    // paginators-1.sdk-extras.json, merged as botocore's loader does.
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"responseScope": "ENTERPRISE_CONTENT_ONLY", "blockedPhrases": {"blockedPhrases": ["x"]},
            "topicConfigurations": [{"name": "t1", "rules": []}], "nextToken": "n"}"#,
    ));
    server.respond(CannedResponse::json(
        200,
        r#"{"responseScope": "EXTENDED_KNOWLEDGE_ENABLED", "topicConfigurations": [{"name": "t2", "rules": []}]}"#,
    ));
    let client = awsgen_qbusiness::Client::new(&test_config(&server));
    let full = client
        .get_chat_controls_configuration()
        .application_id("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
        .into_paginator()
        .build_full_result()
        .await
        .unwrap();
    let names: Vec<_> = full
        .output
        .topic_configurations
        .unwrap()
        .into_iter()
        .map(|t| t.name.unwrap())
        .collect();
    assert_eq!(names, ["t1", "t2"]);
    assert_eq!(
        full.output.response_scope.unwrap().as_str(),
        "ENTERPRISE_CONTENT_ONLY"
    );
    assert_eq!(
        full.output
            .blocked_phrases
            .unwrap()
            .blocked_phrases
            .unwrap(),
        ["x"]
    );
    assert_eq!(full.next_token, None);
}
