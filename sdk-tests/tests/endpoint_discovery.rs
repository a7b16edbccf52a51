//! Endpoint discovery (Timestream's `endpointdiscovery: {required: true}`), with the snapshot
//! service `endpoint-discovery` and two local servers: the configured endpoint, which answers
//! `DescribeEndpoints`, and the discovered one (its own `http://127.0.0.1:<port>` address),
//! which answers the operations. The cache's expiry and failure rules are unit-tested with an
//! injectable clock in the runtime (`discovery::tests`).

use std::path::PathBuf;

use awsgen_runtime::discovery::{DISCOVERY_REQUIRED, EndpointDiscoveryMode, REFRESH_FAILED};
use awsgen_runtime::endpoint::EndpointErrorKind;
use awsgen_runtime::error::SdkError;
use awsgen_runtime::{Config, ConfigBuilder, EnvSource, RetryConfig};
use sdk_tests::{CannedResponse, RecordedRequest, TestServer};
use snapshot_endpoint_discovery::Client;
use snapshot_endpoint_discovery::types::RecordTarget;

fn empty_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsgen-discovery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Quick retries; region and credentials and the configured endpoint from a fixed environment
/// (an endpoint set in code would turn discovery off, as in botocore).
fn config(name: &str, configured: &TestServer, builder: ConfigBuilder) -> Config {
    builder
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1))
                .with_max_backoff(std::time::Duration::from_millis(5)),
        )
        .build_with_env(&EnvSource::from_vars([
            ("HOME", empty_home(name).display().to_string()),
            ("AWS_REGION", "us-west-2".to_owned()),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "secret".to_owned()),
            ("AWS_ENDPOINT_URL_DISCOVERED_RECORDS", configured.endpoint()),
        ]))
}

fn endpoints(address: &str, minutes: i64) -> CannedResponse {
    CannedResponse::json(
        200,
        &format!(r#"{{"Endpoints":[{{"Address":"{address}","CachePeriodInMinutes":{minutes}}}]}}"#),
    )
}

fn target(request: &RecordedRequest) -> &str {
    request.header("x-amz-target").unwrap_or_default()
}

fn body(request: &RecordedRequest) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn the_first_call_discovers_and_later_calls_use_the_cache() {
    let configured = TestServer::start().await;
    let discovered = TestServer::start().await;
    for _ in 0..3 {
        configured.respond(endpoints(&discovered.endpoint(), 10));
    }
    discovered.respond(CannedResponse::json(200, r#"{"Value":"v1"}"#));
    let client = Client::new(&config("cache", &configured, Config::builder()));
    let output = client
        .get_record()
        .table_name("t1")
        .key("k")
        .send()
        .await
        .unwrap();
    assert_eq!(output.value.as_deref(), Some("v1"));
    client
        .get_record()
        .table_name("t1")
        .key("k2")
        .send()
        .await
        .unwrap();
    // A clone shares the cache.
    client
        .clone()
        .get_record()
        .table_name("t1")
        .send()
        .await
        .unwrap();

    let describes = configured.requests();
    assert_eq!(describes.len(), 1, "{describes:?}");
    let describe = &describes[0];
    assert_eq!(target(describe), "Records_20181101.DescribeEndpoints");
    assert!(
        describe
            .header("authorization")
            .unwrap()
            .starts_with("AWS4-HMAC-SHA256 "),
        "DescribeEndpoints goes through the normal, signed pipeline"
    );
    // The identifiers (`endpointdiscoveryid` members) and the operation name are sent.
    assert_eq!(
        body(describe),
        serde_json::json!({"Operation": "GetRecord", "Identifiers": {"TableName": "t1"}})
    );

    let calls = discovered.requests();
    assert_eq!(calls.len(), 3);
    let host = discovered
        .endpoint()
        .trim_start_matches("http://")
        .to_owned();
    for call in &calls {
        assert_eq!(target(call), "Records_20181101.GetRecord");
        assert_eq!(call.header("host"), Some(host.as_str()));
        assert!(
            call.header("authorization")
                .unwrap()
                .contains("/discovered/aws4_request")
        );
    }

    // Another table is another cache key; an operation without identifiers sends neither
    // Operation nor Identifiers (botocore's `discovery_operation_kwargs`).
    client.get_record().table_name("t2").send().await.unwrap();
    client.list_records().send().await.unwrap();
    let describes = configured.requests();
    assert_eq!(describes.len(), 3);
    assert_eq!(
        body(&describes[1]),
        serde_json::json!({"Operation": "GetRecord", "Identifiers": {"TableName": "t2"}})
    );
    assert_eq!(body(&describes[2]), serde_json::json!({}));
    assert_eq!(
        target(&discovered.requests()[4]),
        "Records_20181101.ListRecords"
    );
}

#[tokio::test]
async fn an_expired_entry_is_rediscovered() {
    let configured = TestServer::start().await;
    let discovered = TestServer::start().await;
    // CachePeriodInMinutes 0: expired as soon as it is cached (`now < expiration` fails).
    configured.respond(endpoints(&discovered.endpoint(), 0));
    configured.respond(endpoints(&discovered.endpoint(), 0));
    let client = Client::new(&config("expiry", &configured, Config::builder()));
    client.list_records().send().await.unwrap();
    client.list_records().send().await.unwrap();
    assert_eq!(configured.requests().len(), 2);
    assert_eq!(discovered.requests().len(), 2);
}

#[tokio::test]
async fn invalid_endpoint_evicts_and_retries_with_a_fresh_discovery() {
    let configured = TestServer::start().await;
    let stale = TestServer::start().await;
    let fresh = TestServer::start().await;
    configured.respond(endpoints(&stale.endpoint(), 10));
    configured.respond(endpoints(&fresh.endpoint(), 10));
    stale.respond(CannedResponse::json(
        421,
        r#"{"__type":"InvalidEndpointException","Message":"moved"}"#,
    ));
    fresh.respond(CannedResponse::json(200, r#"{"Value":"ok"}"#));
    let client = Client::new(&config("invalid", &configured, Config::builder()));
    let output = client.get_record().table_name("t").send().await.unwrap();
    assert_eq!(output.value.as_deref(), Some("ok"));
    assert_eq!(configured.requests().len(), 2);
    assert_eq!(stale.requests().len(), 1);
    assert_eq!(fresh.requests().len(), 1);
    // The retry is the operation's second attempt (the `ttl=` part comes from the 421's Date).
    let attempt = fresh.requests()[0]
        .header("amz-sdk-request")
        .unwrap()
        .to_owned();
    assert!(attempt.ends_with("attempt=2; max=3"), "{attempt}");
}

#[tokio::test]
async fn an_endpoint_url_set_in_code_turns_discovery_off() {
    let server = TestServer::start().await;
    let client = Client::new(&config(
        "explicit",
        &server,
        Config::builder().endpoint_url(server.endpoint()),
    ));
    client.get_record().table_name("t").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(target(&requests[0]), "Records_20181101.GetRecord");
}

#[tokio::test]
async fn disabled_discovery_refuses_required_operations_only() {
    let configured = TestServer::start().await;
    let client = Client::new(&config(
        "disabled",
        &configured,
        Config::builder().endpoint_discovery(EndpointDiscoveryMode::Disabled),
    ));
    let error = client
        .get_record()
        .table_name("t")
        .send()
        .await
        .unwrap_err();
    let SdkError::Config(message) = &error else {
        panic!("expected a configuration error, got {error:?}");
    };
    assert!(message.starts_with(DISCOVERY_REQUIRED), "{message}");
    assert!(configured.requests().is_empty(), "nothing may be sent");
    // Optional discovery: the configured endpoint.
    client.put_record().value("v").send().await.unwrap();
    let requests = configured.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(target(&requests[0]), "Records_20181101.PutRecord");

    // The setting from the environment, as botocore's AWS_ENDPOINT_DISCOVERY_ENABLED.
    let from_env = Config::from_env_with(&EnvSource::from_vars([
        ("HOME", empty_home("disabled-env").display().to_string()),
        ("AWS_ENDPOINT_DISCOVERY_ENABLED", "False".to_owned()),
    ]));
    assert_eq!(
        from_env.endpoint_discovery(),
        EndpointDiscoveryMode::Disabled
    );
    let invalid = Config::from_env_with(&EnvSource::from_vars([
        ("HOME", empty_home("invalid-env").display().to_string()),
        ("AWS_ENDPOINT_DISCOVERY_ENABLED", "sometimes".to_owned()),
    ]));
    assert!(
        invalid
            .load_error()
            .unwrap()
            .contains("Unsupported configuration value for endpoint_discovery_enabled"),
        "{:?}",
        invalid.load_error()
    );
}

#[tokio::test]
async fn optional_discovery_is_used_only_when_enabled() {
    let configured = TestServer::start().await;
    let discovered = TestServer::start().await;
    // Auto (the default): PutRecord goes to the configured endpoint, no DescribeEndpoints.
    let auto = Client::new(&config("auto", &configured, Config::builder()));
    auto.put_record()
        .target(RecordTarget::builder().table_name("t9").build())
        .send()
        .await
        .unwrap();
    assert_eq!(configured.requests().len(), 1);
    assert_eq!(
        target(&configured.requests()[0]),
        "Records_20181101.PutRecord"
    );

    // Enabled: discovered, with the identifier inside the `Target` structure.
    configured.respond(endpoints(&discovered.endpoint(), 10));
    let enabled = Client::new(&config(
        "enabled",
        &configured,
        Config::builder().endpoint_discovery(EndpointDiscoveryMode::Enabled),
    ));
    enabled
        .put_record()
        .target(RecordTarget::builder().table_name("t9").build())
        .send()
        .await
        .unwrap();
    let describes = configured.requests();
    assert_eq!(describes.len(), 2);
    assert_eq!(
        body(&describes[1]),
        serde_json::json!({"Operation": "PutRecord", "Identifiers": {"TableName": "t9"}})
    );
    assert_eq!(
        target(&discovered.requests()[0]),
        "Records_20181101.PutRecord"
    );
}

#[tokio::test]
async fn a_failed_discovery_of_a_required_operation_is_an_error() {
    // An error response of DescribeEndpoints is the call's error.
    let configured = TestServer::start().await;
    configured.respond(CannedResponse::json(
        400,
        r#"{"__type":"AccessDeniedException","message":"not allowed"}"#,
    ));
    let client = Client::new(&config("denied", &configured, Config::builder()));
    let error = client.list_records().send().await.unwrap_err();
    let SdkError::Endpoint(endpoint_error) = &error else {
        panic!("expected an endpoint error, got {error:?}");
    };
    assert_eq!(endpoint_error.kind(), EndpointErrorKind::Discovery);
    assert!(
        endpoint_error.message().contains("AccessDeniedException"),
        "{error}"
    );
    assert_eq!(configured.requests().len(), 1);

    // A connection failure (nothing listens at the configured endpoint any more): botocore's
    // EndpointDiscoveryRefreshFailed, with the cause.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = Client::new(&Config::builder().max_attempts(1).build_with_env(
        &EnvSource::from_vars([
            ("HOME", empty_home("refused").display().to_string()),
            ("AWS_REGION", "us-west-2".to_owned()),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "secret".to_owned()),
            ("AWS_ENDPOINT_URL", closed),
        ]),
    ));
    let error = client.list_records().send().await.unwrap_err();
    let SdkError::Endpoint(endpoint_error) = &error else {
        panic!("expected an endpoint error, got {error:?}");
    };
    assert!(
        endpoint_error.message().starts_with(REFRESH_FAILED),
        "{error}"
    );
    assert!(
        endpoint_error.message().contains("request failed"),
        "{error}"
    );
}
