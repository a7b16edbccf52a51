//! Retries of `ServiceClient::send` against a real HTTP server on 127.0.0.1.

mod common;

use std::time::Duration;

use awsgen_runtime::config::TimeoutConfig;
use awsgen_runtime::error::TimeoutKind;
use awsgen_runtime::http::HttpErrorKind;
use awsgen_runtime::{OperationRequest, SdkError, ServiceClient};
use common::{PERSONALIZE, QCONNECT, Reply, TestServer, config_for, fast_retries};
use http::Method;

fn list_assistants() -> OperationRequest {
    OperationRequest::new("ListAssistants", Method::GET, "/assistants?maxResults=5")
}

fn describe_dataset() -> OperationRequest {
    OperationRequest::new("DescribeDataset", Method::POST, "/")
        .with_header(
            http::HeaderName::from_static("x-amz-target"),
            http::HeaderValue::from_static("AmazonPersonalize.DescribeDataset"),
        )
        .with_header(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-amz-json-1.1"),
        )
        .with_body(r#"{"datasetArn":"arn:aws:personalize:us-west-2:1:dataset/x"}"#)
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = TestServer::start(vec![Reply::with_headers(
        503,
        vec![("date", "Sat, 09 Mar 2024 21:07:45 GMT")],
        "",
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests().len(), 2);
    // Each attempt is signed once, afresh.
    for r in server.requests() {
        let count = r
            .headers
            .iter()
            .filter(|(k, _)| k == "authorization")
            .count();
        assert_eq!(count, 1);
    }
    let attempts: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap().to_owned())
        .collect();
    // botocore's format: `max` from the second attempt, `ttl` = the last `Date` + read timeout.
    assert_eq!(
        attempts,
        ["attempt=1", "ttl=20240309T210845Z; attempt=2; max=3"]
    );
    // One invocation id for both attempts.
    let ids: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap().to_owned())
        .collect();
    assert_eq!(ids[0], ids[1]);
    // The retry cost 5 and the success refunded it.
    assert_eq!(client.retry_quota().available(), 500);
}

#[tokio::test]
async fn retries_throttling_from_aws_json_type() {
    let server = TestServer::start(vec![Reply::status(
        400,
        r#"{"__type":"com.amazonaws.personalize#ThrottlingException","message":"Rate exceeded"}"#,
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &PERSONALIZE);
    let response = client.send(describe_dataset()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests().len(), 2);
    // The body is resent unchanged.
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn retries_throttling_from_rest_json_header() {
    let server = TestServer::start(vec![Reply::with_headers(
        400,
        vec![(
            "X-Amzn-ErrorType",
            "ThrottlingException:http://internal.amazon.com/",
        )],
        r#"{"message":"Rate exceeded"}"#,
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_transient_error_codes() {
    let server = TestServer::start(vec![Reply::status(
        400,
        r#"{"__type":"RequestTimeoutException"}"#,
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &PERSONALIZE);
    assert_eq!(client.send(describe_dataset()).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn does_not_retry_a_validation_error() {
    let server = TestServer::start(vec![Reply::status(
        400,
        r#"{"__type":"ValidationException","message":"bad"}"#,
    )])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &PERSONALIZE);
    let response = client.send(describe_dataset()).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        r#"{"__type":"ValidationException","message":"bad"}"#
    );
    assert_eq!(server.requests().len(), 1);
    // A 429 without a throttling code is not retried either (botocore looks at codes).
    let server = TestServer::start(vec![Reply::status(429, "{}")]).await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    assert_eq!(client.send(list_assistants()).await.unwrap().status(), 429);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn gives_up_after_max_attempts_and_returns_the_last_response() {
    let server = TestServer::start(vec![
        Reply::status(500, r#"{"message":"one"}"#),
        Reply::status(500, r#"{"message":"two"}"#),
        Reply::status(500, r#"{"message":"three"}"#),
    ])
    .await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(response.body().as_ref(), br#"{"message":"three"}"#);
    assert_eq!(server.requests().len(), 3);
    // Two retries, no success: 10 tokens gone.
    assert_eq!(client.retry_quota().available(), 490);
    // A later call that succeeds at once gives back 1.
    client.send(list_assistants()).await.unwrap();
    assert_eq!(client.retry_quota().available(), 491);
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let server = TestServer::start(vec![Reply::status(502, ""); 4]).await;
    let config = config_for(&server).max_attempts(5).build();
    let client = ServiceClient::new(config, &QCONNECT);
    assert_eq!(client.send(list_assistants()).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 5);

    let server = TestServer::start(vec![Reply::status(503, "")]).await;
    let config = config_for(&server).max_attempts(1).build();
    let client = ServiceClient::new(config, &QCONNECT);
    assert_eq!(client.send(list_assistants()).await.unwrap().status(), 503);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_a_connection_closed_without_response() {
    let server = TestServer::start(vec![Reply::Close]).await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.accepts(), 2, "the broken connection is not reused");
}

#[tokio::test]
async fn connection_failures_end_as_dispatch_errors_after_retries() {
    let server = TestServer::start(vec![Reply::Close, Reply::Close, Reply::Close]).await;
    let client = ServiceClient::new(config_for(&server).build(), &QCONNECT);
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Dispatch(e) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(e.kind(), HttpErrorKind::Io);
    assert_eq!(e.attempts(), 3);
    assert!(
        err.to_string().contains("gave up after 3 attempts"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 3);

    // Nothing listening: connection refused, retried, then a Connect error.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = awsgen_runtime::Config::builder()
        .region("us-west-2")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(awsgen_runtime::Credentials::new("A", "B", None, None))
        .retry_config(fast_retries())
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Dispatch(e) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(e.kind(), HttpErrorKind::Connect);
    assert_eq!(e.attempts(), 3);
    assert!(err.to_string().contains("could not connect"), "{err}");
}

#[tokio::test]
async fn per_attempt_timeout_is_retried_then_reported() {
    let server = TestServer::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let config = config_for(&server)
        .timeout_config(
            TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(200))),
        )
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let started = std::time::Instant::now();
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Timeout(t) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt);
    assert_eq!(t.attempts(), 3);
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(server.requests().len(), 3);
    // Timeouts cost 10 tokens per retry.
    assert_eq!(client.retry_quota().available(), 480);
    assert!(
        err.to_string().contains("per-attempt timeout of 200ms"),
        "{err}"
    );
}

#[tokio::test]
async fn per_attempt_timeout_then_success() {
    let server = TestServer::start(vec![Reply::Hang]).await;
    let config = config_for(&server)
        .timeout_config(
            TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(150))),
        )
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    assert_eq!(client.send(list_assistants()).await.unwrap().status(), 200);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn read_timeout_of_the_default_client() {
    let server = TestServer::start(vec![Reply::Hang, Reply::Hang, Reply::Hang]).await;
    let config = config_for(&server)
        .timeout_config(
            TimeoutConfig::default()
                .with_connect_timeout(Duration::from_millis(100))
                .with_read_timeout(Duration::from_millis(100)),
        )
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Dispatch(e) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(e.kind(), HttpErrorKind::Timeout);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn operation_timeout_covers_all_attempts() {
    let server = TestServer::start(vec![Reply::Hang; 3]).await;
    let config = config_for(&server)
        .timeout_config(
            TimeoutConfig::default().with_operation_timeout(Some(Duration::from_millis(300))),
        )
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let started = std::time::Instant::now();
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Timeout(t) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(t.kind(), TimeoutKind::Operation);
    assert_eq!(t.attempts(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_empty_retry_quota_stops_retrying() {
    // 500 tokens at 5 per retry: 100 retries, then the 503 is returned as is.
    let server = TestServer::start(vec![Reply::status(503, ""); 150]).await;
    let config = config_for(&server)
        .retry_config(
            fast_retries()
                .with_max_attempts(1000)
                .with_jitter(awsgen_runtime::retry::Jitter::fixed(0.0)),
        )
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(server.requests().len(), 101);
    assert_eq!(client.retry_quota().available(), 0);
    // The next failure is not retried at all.
    let response = client.send(list_assistants()).await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(server.requests().len(), 102);
}

#[tokio::test]
async fn tls_handshake_failure_is_a_connect_error() {
    // A server that answers a TLS ClientHello with plain HTTP and hangs up: the rustls
    // connector fails, the failure is retried as a connection error, then reported.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepts.clone();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let config = awsgen_runtime::Config::builder()
        .region("us-west-2")
        .endpoint_url(format!("https://127.0.0.1:{port}"))
        .credentials(awsgen_runtime::Credentials::new("A", "B", None, None))
        .retry_config(fast_retries())
        .timeout_config(TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_secs(5))))
        .build();
    let client = ServiceClient::new(config, &QCONNECT);
    let err = client.send(list_assistants()).await.unwrap_err();
    let SdkError::Dispatch(e) = &err else {
        panic!("expected a dispatch error, got {err:?}");
    };
    assert_eq!(e.kind(), HttpErrorKind::Connect, "{err}");
    assert_eq!(e.attempts(), 3);
    assert_eq!(accepts.load(std::sync::atomic::Ordering::SeqCst), 3);
}
