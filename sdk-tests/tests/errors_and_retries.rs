//! Errors, retries and validation through the generated clients, against a real local server:
//! every source botocore takes an error code from, modelled members, unmodelled codes, generic
//! 5xx bodies, malformed and truncated bodies, connection resets, retry counts, and input
//! validation that sends nothing.

use awsgen_qconnect::operation::GetImportJobError;
use awsgen_runtime::SdkError;
use sdk_tests::{CannedResponse, TestServer, test_config};

fn qconnect(server: &TestServer) -> awsgen_qconnect::Client {
    awsgen_qconnect::Client::new(&test_config(server))
}

async fn get_import_job(server: &TestServer) -> Result<(), SdkError<GetImportJobError>> {
    qconnect(server)
        .get_import_job()
        .knowledge_base_id("kb")
        .import_job_id("job")
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn rest_json_code_from_the_error_type_header_with_modelled_members() {
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(404, r#"{"message": "no such job", "resourceName": "job"}"#)
            .with_header(
                "x-amzn-errortype",
                "ResourceNotFoundException:http://internal.amazon.com/coral/",
            )
            .with_header("x-amzn-requestid", "req-404"),
    );
    let error = get_import_job(&server).await.unwrap_err();
    let details = error.as_service_error().expect("a service error");
    assert_eq!(
        (details.code(), details.status(), details.request_id()),
        ("ResourceNotFoundException", 404, Some("req-404"))
    );
    match details.error() {
        GetImportJobError::ResourceNotFoundException(e) => {
            assert_eq!(e.message.as_deref(), Some("no such job"));
            assert_eq!(e.resource_name.as_deref(), Some("job"));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "ResourceNotFoundException: no such job (request id req-404)"
    );
    // A 4xx that is not throttling is not retried.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn rest_json_code_from_body_code_then_code_then_type() {
    for (body, expected) in [
        (
            r#"{"code": "AccessDeniedException", "message": "nope"}"#,
            "AccessDeniedException",
        ),
        (
            r#"{"Code": "AccessDeniedException", "Message": "nope"}"#,
            "AccessDeniedException",
        ),
        (
            r#"{"__type": "com.amazon.wisdom#ValidationException", "message": "bad"}"#,
            "ValidationException",
        ),
    ] {
        let server = TestServer::start().await;
        server.respond(CannedResponse::json(403, body));
        let error = get_import_job(&server).await.unwrap_err();
        let service = error
            .as_service()
            .unwrap_or_else(|| panic!("{body}: {error:?}"));
        assert_eq!(service.code(), expected, "{body}");
        assert!(
            !matches!(service, GetImportJobError::Unhandled(_)),
            "{body}: modelled error expected"
        );
    }
}

#[tokio::test]
async fn aws_json_code_from_type_only() {
    use awsgen_personalize::operation::ListDatasetImportJobsError;
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(400, r#"{"__type": "com.amazonaws.personalize#InvalidInputException", "message": "bad arn"}"#)
            .with_header("x-amzn-requestid", "p-1"),
    );
    let client = awsgen_personalize::Client::new(&test_config(&server));
    let error = client.list_dataset_import_jobs().send().await.unwrap_err();
    match error.as_service() {
        Some(ListDatasetImportJobsError::InvalidInputException(e)) => {
            assert_eq!(e.message.as_deref(), Some("bad arn"))
        }
        other => panic!("{other:?}"),
    }
    // awsJson ignores `code` in the body and the error-type header: botocore reads `__type` only.
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(400, r#"{"code": "InvalidInputException", "message": "m"}"#)
            .with_header("x-amzn-errortype", "InvalidInputException"),
    );
    let client = awsgen_personalize::Client::new(&test_config(&server));
    let error = client.list_dataset_import_jobs().send().await.unwrap_err();
    match error.as_service() {
        Some(ListDatasetImportJobsError::Unhandled(e)) => {
            assert_eq!((e.code.as_str(), e.status), ("400", 400))
        }
        other => panic!("{other:?}"),
    }
}

/// botocore parses any of the service's exceptions by code (`shape_for_error_code`), listed for
/// the operation or not; ours comes back inside `Unhandled`, as its generated type.
#[tokio::test]
async fn an_exception_the_operation_does_not_list_is_parsed_into_its_type() {
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(409, r#"{"message": "already importing"}"#)
            .with_header("x-amzn-errortype", "ConflictException"),
    );
    let error = get_import_job(&server).await.unwrap_err();
    match error.as_service() {
        Some(GetImportJobError::Unhandled(e)) => {
            assert_eq!((e.code.as_str(), e.status), ("ConflictException", 409));
            assert!(e.is_modeled());
            let conflict = e
                .modeled::<awsgen_qconnect::types::ConflictException>()
                .expect("parsed as the service's ConflictException");
            assert_eq!(conflict.message.as_deref(), Some("already importing"));
            assert!(
                e.modeled::<awsgen_qconnect::types::AccessDeniedException>()
                    .is_none()
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unmodelled_codes_fall_back_with_code_message_status_and_request_id() {
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(409, r#"{"message": "something new"}"#)
            .with_header("x-amzn-errortype", "BrandNewException")
            .with_header("x-amzn-requestid", "req-9"),
    );
    let error = get_import_job(&server).await.unwrap_err();
    match error.as_service() {
        Some(GetImportJobError::Unhandled(e)) => {
            assert_eq!(e.code, "BrandNewException");
            assert!(!e.is_modeled());
            assert_eq!(e.message, "something new");
            assert_eq!((e.status, e.request_id.as_deref()), (409, Some("req-9")));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "BrandNewException: something new (request id req-9)"
    );
}

#[tokio::test]
async fn a_5xx_html_body_has_the_status_as_code_and_is_retried() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(CannedResponse {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html><body>Bad Gateway</body></html>".to_vec(),
            hang_up: false,
        });
    }
    let error = get_import_job(&server).await.unwrap_err();
    match error.as_service() {
        Some(GetImportJobError::Unhandled(e)) => {
            assert_eq!((e.code.as_str(), e.status), ("502", 502))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.requests().len(),
        3,
        "502 is retried up to 3 attempts"
    );
}

#[tokio::test]
async fn malformed_and_truncated_success_bodies_are_error_values() {
    for body in [
        r#"{"importJob": {"importJobId": "x""#,
        r#"{"importJob": {"importJobId": 42}}"#,
        "not json at all",
        r#"{"importJob": {"status": "COMPLETE"}} trailing"#,
    ] {
        let server = TestServer::start().await;
        server.respond(CannedResponse::json(200, body).with_header("x-amzn-requestid", "req-m"));
        match get_import_job(&server).await {
            Err(SdkError::Response {
                message,
                status,
                request_id,
            }) => {
                assert!(
                    message.starts_with("malformed response"),
                    "{body}: {message}"
                );
                assert_eq!(
                    (status, request_id.as_deref()),
                    (200, Some("req-m")),
                    "{body}"
                );
            }
            other => panic!("{body}: expected a response error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_malformed_error_body_of_a_modelled_error_is_an_error_value() {
    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(404, r#"{"message": 12}"#)
            .with_header("x-amzn-errortype", "ResourceNotFoundException"),
    );
    assert!(matches!(
        get_import_job(&server).await,
        Err(SdkError::Response { status: 404, .. })
    ));
}

#[tokio::test]
async fn connection_resets_are_retried_then_reported() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(CannedResponse::hang_up());
    }
    let error = get_import_job(&server).await.unwrap_err();
    assert!(matches!(error, SdkError::Dispatch(_)), "{error:?}");
    assert_eq!(server.requests().len(), 3);

    // A reset followed by an answer succeeds on the second attempt.
    let server = TestServer::start().await;
    server.respond(CannedResponse::hang_up());
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"importJobId": "x"}}"#,
    ));
    get_import_job(&server)
        .await
        .expect("second attempt succeeds");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_503_and_throttling_but_not_validation_errors() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(503, "{}"));
    server.respond(CannedResponse::json(200, "{}"));
    get_import_job(&server).await.expect("503 then 200");
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(400, r#"{"message": "slow down"}"#)
            .with_header("x-amzn-errortype", "ThrottlingException"),
    );
    server.respond(CannedResponse::json(200, "{}"));
    get_import_job(&server).await.expect("throttling then 200");
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::start().await;
    server.respond(
        CannedResponse::json(400, r#"{"message": "bad"}"#)
            .with_header("x-amzn-errortype", "ValidationException"),
    );
    server.respond(CannedResponse::json(200, "{}"));
    let error = get_import_job(&server).await.unwrap_err();
    assert!(matches!(
        error.as_service(),
        Some(GetImportJobError::ValidationException(_))
    ));
    assert_eq!(
        server.requests().len(),
        1,
        "a validation error is never retried"
    );

    // Retried requests are signed afresh and identical otherwise.
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(500, "{}"));
    get_import_job(&server).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].path_and_query, requests[1].path_and_query);
    assert!(requests[1].header("authorization").is_some());
}

#[tokio::test]
async fn missing_required_members_name_operation_and_member_and_send_nothing() {
    let server = TestServer::start().await;
    let error = qconnect(&server)
        .get_import_job()
        .knowledge_base_id("kb")
        .send()
        .await
        .unwrap_err();
    match &error {
        SdkError::Validation(e) => {
            assert_eq!(e.operation, "GetImportJob");
            assert_eq!(e.member, "importJobId");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "invalid input for GetImportJob: importJobId is required but was not set"
    );

    // botocore's `min` checks: an empty name is too short; every problem is listed.
    let error = qconnect(&server)
        .create_assistant()
        .name("")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid input for CreateAssistant: type is required but was not set; name has length 0, less than the minimum 1"
    );

    // Nested members are checked too, with their path.
    use awsgen_qconnect::types::*;
    let error = qconnect(&server)
        .start_import_job()
        .knowledge_base_id("kb")
        .upload_id("u")
        .import_job_type(ImportJobType::QuickResponses)
        .external_source_configuration(ExternalSourceConfiguration::builder().build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid input for StartImportJob: externalSourceConfiguration.source is required but was not set; \
         externalSourceConfiguration.configuration is required but was not set"
    );
    assert!(
        server.requests().is_empty(),
        "nothing may be sent for invalid input"
    );
}

#[tokio::test]
async fn a_union_member_this_sdk_does_not_know_cannot_be_sent() {
    use awsgen_qconnect::types::*;
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"importJob": {"externalSourceConfiguration": {"source": "AMAZON_CONNECT", "configuration": {"salesforceConfiguration": {"x": 1}}}}}"#,
    ));
    let job = qconnect(&server)
        .get_import_job()
        .knowledge_base_id("kb")
        .import_job_id("job")
        .send()
        .await
        .unwrap()
        .import_job
        .unwrap();
    let received = job.external_source_configuration.unwrap();
    // Received: kept as Unknown with its tag (boto3's SDK_UNKNOWN_MEMBER).
    match received.configuration.as_ref().unwrap() {
        Configuration::Unknown(tag) => assert_eq!(tag.as_str(), "salesforceConfiguration"),
        other => panic!("{other:?}"),
    }
    // Sent back: refused before anything goes out.
    let error = qconnect(&server)
        .start_import_job()
        .knowledge_base_id("kb")
        .upload_id("u")
        .import_job_type(ImportJobType::QuickResponses)
        .external_source_configuration(received)
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("externalSourceConfiguration.configuration is a union member this SDK version does not know (`salesforceConfiguration`)"),
        "{error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "only the GetImportJob call was sent"
    );
}

#[tokio::test]
async fn unions_with_no_or_two_members_are_malformed_responses() {
    for configuration in [r#"{}"#, r#"{"connectConfiguration": {}, "other": {}}"#] {
        let server = TestServer::start().await;
        let body = format!(
            r#"{{"importJob": {{"externalSourceConfiguration": {{"configuration": {configuration}}}}}}}"#
        );
        server.respond(CannedResponse::json(200, &body));
        let error = get_import_job(&server).await.unwrap_err();
        assert!(
            error
                .to_string()
                .contains("Configuration must have one and only one member set"),
            "{configuration}: {error}"
        );
    }
}
