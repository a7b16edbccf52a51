//! What `ServiceClient::send` puts on the wire, and the errors it reports before sending,
//! against a real HTTP server on 127.0.0.1.

mod common;

use std::time::{Duration, SystemTime};

use awsgen_runtime::client::ServiceMeta;
use awsgen_runtime::sign::{SigningParams, sign};
use awsgen_runtime::{
    Config, Credentials, DateTime, EnvSource, OperationRequest, Protocol, SdkError, ServiceClient,
};
use bytes::Bytes;
use common::{PERSONALIZE, QCONNECT, Recorded, Reply, TestServer, config_for, temp_dir};
use http::{HeaderName, HeaderValue, Method};

fn search_content() -> OperationRequest {
    OperationRequest::new(
        "SearchContent",
        Method::POST,
        "/knowledgeBases/kb-1/search?maxResults=10&nextToken=a%20b%2Fc",
    )
    .with_header(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )
    .with_body(r#"{"searchExpression":{"filters":[]}}"#)
}

fn list_assistants() -> OperationRequest {
    OperationRequest::new("ListAssistants", Method::GET, "/assistants")
}

/// Checks the recorded request's signature by signing what the server received again, at the
/// time of its `x-amz-date`, with only the headers it says are signed.
fn assert_signature_valid(
    recorded: &Recorded,
    base_url: &str,
    credentials: &Credentials,
    region: &str,
    name: &str,
) {
    let authorization = recorded.header("authorization").expect("signed");
    let date = recorded.header("x-amz-date").unwrap();
    let prefix = format!(
        "AWS4-HMAC-SHA256 Credential={}/{}/{region}/{name}/aws4_request, SignedHeaders=",
        credentials.access_key_id,
        &date[..8]
    );
    assert!(authorization.starts_with(&prefix), "{authorization}");
    let signed_headers = authorization[prefix.len()..].split(',').next().unwrap();
    let signature = authorization.rsplit("Signature=").next().unwrap();
    assert_eq!(signature.len(), 64);
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
    for required in ["host", "x-amz-date"] {
        assert!(
            signed_headers.split(';').any(|h| h == required),
            "{signed_headers}"
        );
    }
    assert!(!signed_headers.contains("user-agent"));
    assert!(!signed_headers.contains("content-length"));

    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &date[0..4],
        &date[4..6],
        &date[6..8],
        &date[9..11],
        &date[11..13],
        &date[13..15]
    );
    let secs = DateTime::parse_iso8601(&iso).unwrap().secs();
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64);
    let mut request = http::Request::builder()
        .method(recorded.method.as_str())
        .uri(format!("{base_url}{}", recorded.target));
    for name in signed_headers.split(';') {
        if name == "x-amz-date" {
            continue;
        }
        for (k, v) in &recorded.headers {
            if k == name {
                request = request.header(k.as_str(), v.as_str());
            }
        }
    }
    let mut request = request.body(Bytes::from(recorded.body.clone())).unwrap();
    sign(
        &mut request,
        credentials,
        &SigningParams::new(region, name, time),
    )
    .unwrap();
    assert_eq!(
        request.headers()["authorization"].to_str().unwrap(),
        authorization,
        "the signature covers what the server received"
    );
}

#[tokio::test]
async fn request_on_the_wire() {
    let server = TestServer::start(vec![]).await;
    let credentials = Credentials::new("AKIDTEST", "secret", Some("session-token".into()), None);
    let config = config_for(&server).credentials(credentials.clone()).build();
    let client = ServiceClient::new(config, &QCONNECT);
    let response = client.send(search_content()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-amzn-requestid"], "req-0");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.target,
        "/knowledgeBases/kb-1/search?maxResults=10&nextToken=a%20b%2Fc"
    );
    assert_eq!(r.header("host").unwrap(), server.addr.to_string());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.header("content-length"),
        Some(r#"{"searchExpression":{"filters":[]}}"#.len().to_string().as_str())
    );
    assert!(r.header("user-agent").unwrap().starts_with("awsgen/"));
    assert!(r.header("user-agent").unwrap().contains("api/qconnect"));
    assert_eq!(r.header("amz-sdk-request"), Some("attempt=1"));
    assert_eq!(r.header("amz-sdk-invocation-id").unwrap().len(), 36);
    assert_eq!(r.header("x-amz-security-token"), Some("session-token"));
    assert!(r.header("x-amz-content-sha256").is_none());
    assert_signature_valid(r, &server.url(), &credentials, "us-west-2", "wisdom");
}

#[tokio::test]
async fn aws_json_request_and_signing_name() {
    let server = TestServer::start(vec![]).await;
    let credentials = Credentials::new("AKIDTEST", "secret", None, None);
    let config = config_for(&server)
        .region("eu-central-1")
        .credentials(credentials.clone())
        .build();
    let client = ServiceClient::new(config, &PERSONALIZE);
    let request = OperationRequest::new("ListDatasets", Method::POST, "/")
        .with_header(
            HeaderName::from_static("x-amz-target"),
            HeaderValue::from_static("AmazonPersonalize.ListDatasets"),
        )
        .with_header(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.1"),
        )
        .with_body("{}");
    client.send(request).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.target, "/");
    assert_eq!(
        r.header("x-amz-target"),
        Some("AmazonPersonalize.ListDatasets")
    );
    assert!(r.header("x-amz-security-token").is_none());
    assert_signature_valid(
        r,
        &server.url(),
        &credentials,
        "eu-central-1",
        "personalize",
    );
}

#[tokio::test]
async fn content_length_as_botocore() {
    let server = TestServer::start(vec![]).await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    client.send(list_assistants()).await.unwrap();
    client
        .send(OperationRequest::new(
            "DeleteAssistant",
            Method::DELETE,
            "/assistants/a",
        ))
        .await
        .unwrap();
    client
        .send(OperationRequest::new("Tag", Method::POST, "/tags/x"))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("content-length"),
        None,
        "GET without body"
    );
    assert_eq!(requests[1].header("content-length"), Some("0"));
    assert_eq!(requests[2].header("content-length"), Some("0"));
}

#[tokio::test]
async fn endpoint_override_path_is_joined() {
    let server = TestServer::start(vec![]).await;
    let config = config_for(&server)
        .endpoint_url(format!("{}/prefix/", server.url()))
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    client
        .send(OperationRequest::new(
            "ListAssistants",
            Method::GET,
            "/assistants?maxResults=5",
        ))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/prefix/assistants?maxResults=5"
    );
}

#[tokio::test]
async fn endpoint_from_environment_per_service() {
    let server = TestServer::start(vec![]).await;
    let env = EnvSource::from_vars([
        ("AWS_REGION", "us-west-2".to_owned()),
        ("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "secret".to_owned()),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1".to_owned()),
        ("AWS_ENDPOINT_URL_QCONNECT", server.url()),
    ]);
    let client = ServiceClient::new(Config::from_env_with(&env), &QCONNECT);
    client.send(list_assistants()).await.unwrap();
    let r = &server.requests()[0];
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("Credential=AKIDENV/")
    );
    // Another service gets the global one.
    let other = ServiceClient::new(Config::from_env_with(&env), &PERSONALIZE);
    assert_eq!(other.resolve_endpoint().unwrap().url, "http://127.0.0.1:1");
}

#[tokio::test]
async fn default_endpoint_from_the_rule_set() {
    let config = Config::builder().region("us-west-2").build();
    let client = ServiceClient::new(config.clone(), &QCONNECT);
    assert_eq!(
        client.resolve_endpoint().unwrap().url,
        "https://wisdom.us-west-2.amazonaws.com"
    );
    let fips = ServiceClient::new(config.to_builder().use_fips(true).build(), &QCONNECT);
    assert_eq!(
        fips.resolve_endpoint().unwrap().url,
        "https://wisdom-fips.us-west-2.amazonaws.com"
    );
    let personalize = ServiceClient::new(config, &PERSONALIZE);
    assert_eq!(
        personalize.resolve_endpoint().unwrap().url,
        "https://personalize.us-west-2.amazonaws.com"
    );
}

#[tokio::test]
async fn connection_reuse() {
    let server = TestServer::start(vec![]).await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    client.send(list_assistants()).await.unwrap();
    client.send(search_content()).await.unwrap();
    // A clone shares the pool.
    client.clone().send(list_assistants()).await.unwrap();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.accepts(),
        1,
        "one TCP connection for sequential calls"
    );
    assert!(server.requests().iter().all(|r| r.connection == 0));
}

/// A body that arrives in several pieces (chunked, flushed apart) is put back together in
/// order; one that arrives whole is kept as it came.
#[tokio::test]
async fn bodies_in_several_pieces_are_joined() {
    let server = TestServer::start(vec![
        Reply::Chunked(vec![
            "{\"assistantSummaries\": [",
            "{\"name\": \"a\"}",
            "]}",
        ]),
        Reply::Chunked(vec!["{\"whole\": true}"]),
    ])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(
        response.body().as_ref(),
        b"{\"assistantSummaries\": [{\"name\": \"a\"}]}"
    );
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.body().as_ref(), b"{\"whole\": true}");
}

#[tokio::test]
async fn missing_region_is_a_clear_error_and_nothing_is_sent() {
    let server = TestServer::start(vec![]).await;
    let config = Config::builder()
        .endpoint_url(server.url())
        .credentials(Credentials::new("A", "B", None, None))
        .build();
    let err = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Config(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("no AWS region configured"),
        "{err}"
    );
    assert!(err.to_string().contains("AWS_REGION"), "{err}");
    assert!(server.requests().is_empty());
    assert_eq!(server.accepts(), 0);
}

#[tokio::test]
async fn missing_credentials_is_a_clear_error_and_nothing_is_sent() {
    let server = TestServer::start(vec![]).await;
    // From an environment without credentials and an empty home directory.
    let home = temp_dir("no-credentials");
    let env = EnvSource::from_vars([
        ("AWS_REGION", "us-west-2".to_owned()),
        ("AWS_ENDPOINT_URL", server.url()),
    ])
    .with_home(&home);
    let client = ServiceClient::new(Config::from_env_with(&env), &QCONNECT);
    let err = client.send(list_assistants()).await.unwrap_err();
    assert!(matches!(err, SdkError::Config(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(
            "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ),
        "{message}"
    );
    assert!(message.contains("profile \"default\""), "{message}");
    assert!(message.contains(".aws/credentials"), "{message}");

    // A configuration built in code without credentials.
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url(server.url())
        .build();
    let err = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("no AWS credentials found"),
        "{err}"
    );
    assert!(server.requests().is_empty());
    assert_eq!(server.accepts(), 0);
    std::fs::remove_dir_all(home).unwrap();
}

#[tokio::test]
async fn loading_problems_surface_at_call_time() {
    let server = TestServer::start(vec![]).await;
    let home = temp_dir("missing-profile");
    let env = EnvSource::from_vars([
        ("AWS_PROFILE", "nope".to_owned()),
        ("AWS_REGION", "us-west-2".to_owned()),
        ("AWS_ENDPOINT_URL", server.url()),
        ("AWS_ACCESS_KEY_ID", "A".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "B".to_owned()),
    ])
    .with_home(&home);
    let config = Config::from_env_with(&env);
    let err = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("The config profile (nope) could not be found"),
        "{err}"
    );
    assert!(server.requests().is_empty());
    std::fs::remove_dir_all(home).unwrap();
}

#[tokio::test]
async fn fips_with_custom_endpoint_is_an_endpoint_error() {
    let server = TestServer::start(vec![]).await;
    let config = config_for(&server).use_fips(true).build();
    let err = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "endpoint resolution failed: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_broken_rule_set_is_a_config_error_at_call_time() {
    static BROKEN: ServiceMeta = ServiceMeta {
        service_id: "Broken",
        signing_name: "broken",
        endpoint_prefix: "broken",
        protocol: Protocol::RestJson,
        endpoint_rule_set: "{ not json",
        modeled_exception: None,
    };
    let server = TestServer::start(vec![]).await;
    let client = ServiceClient::new(config_for(&server).build(), &BROKEN);
    let err = client.send(list_assistants()).await.unwrap_err();
    assert!(matches!(err, SdkError::Config(_)), "{err:?}");
    assert!(
        err.to_string().contains("endpoint rule set of Broken"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn invalid_endpoint_url_is_a_clear_error() {
    let config = Config::builder()
        .region("us-west-2")
        .endpoint_url("localhost:8000")
        .credentials(Credentials::new("A", "B", None, None))
        .build();
    let err = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err();
    // The rule set's parseURL rejects it, or our URL check does; either way nothing is sent.
    assert!(
        matches!(err, SdkError::Endpoint(_) | SdkError::Config(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_widens_to_an_operation_error_type() {
    #[derive(Debug)]
    struct OpError;
    impl std::fmt::Display for OpError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("op")
        }
    }
    impl std::error::Error for OpError {}

    let config = Config::builder().build();
    let err: SdkError<OpError> = ServiceClient::new(config, &QCONNECT)
        .send(list_assistants())
        .await
        .unwrap_err()
        .into_error_type();
    assert!(matches!(err, SdkError::Config(_)));
    let _: &dyn std::error::Error = &err;
}

#[tokio::test]
async fn server_sees_the_response_cycle_for_reply_helpers() {
    // The test server itself: an error response carries what the client needs.
    let server = TestServer::start(vec![Reply::with_headers(
        404,
        vec![("x-amzn-errortype", "ResourceNotFoundException")],
        r#"{"message":"no such assistant"}"#,
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 404);
    let error = awsgen_runtime::protocol::unhandled_error(
        &Protocol::RestJson,
        response.status().as_u16(),
        response.headers(),
        response.body(),
    );
    assert_eq!(
        error.to_string(),
        "ResourceNotFoundException: no such assistant"
    );
    assert_eq!(error.request_id.as_deref(), Some("req-0"));
}
