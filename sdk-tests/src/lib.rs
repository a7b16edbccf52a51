//! Support for tests that exercise the generated SDK crates: a real HTTP/1.1 server on
//! 127.0.0.1 (hyper) that records every request it receives and answers from a queue of canned
//! responses. Tests point a generated client at it with an endpoint override.

pub mod event_stream;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query exactly as sent.
    pub path_and_query: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(&self.path_and_query, |(p, _)| p)
    }

    /// The raw query string ("" when there is none).
    pub fn query(&self) -> &str {
        self.path_and_query.split_once('?').map_or("", |(_, q)| q)
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response for the server to give.
#[derive(Clone, Debug)]
pub struct CannedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Close the connection without answering (a connection reset, to the client).
    pub hang_up: bool,
}

impl CannedResponse {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &str) -> Self {
        CannedResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            hang_up: false,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A connection closed without a response.
    pub fn hang_up() -> Self {
        CannedResponse {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            hang_up: true,
        }
    }
}

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    responses: VecDeque<CannedResponse>,
    connections: usize,
}

/// The server. It runs until the test's runtime shuts down.
pub struct TestServer {
    address: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl TestServer {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let server_state = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                server_state.lock().unwrap().connections += 1;
                let state = server_state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| handle(state.clone(), request));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TestServer { address, state }
    }

    /// The URL to use as the client's endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Queues a response; when the queue is empty the server answers `200 {}`.
    pub fn respond(&self, response: CannedResponse) {
        self.state.lock().unwrap().responses.push_back(response);
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// How many TCP connections were accepted.
    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    let canned = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded);
        state.responses.pop_front()
    };
    let canned = canned.unwrap_or_else(|| CannedResponse::json(200, "{}"));
    if canned.hang_up {
        // An error from the service makes hyper close the connection without a response.
        return Err(std::io::Error::other("hang up"));
    }
    let mut response = Response::builder().status(canned.status);
    for (name, value) in &canned.headers {
        response = response.header(name, value);
    }
    Ok(response
        .body(Full::new(Bytes::from(canned.body)))
        .expect("valid canned response"))
}

/// A client configuration pointing at `server`, with fixed credentials and region and quick
/// retries, reading nothing from the environment.
pub fn test_config(server: &TestServer) -> awsgen_runtime::Config {
    awsgen_runtime::Config::builder()
        .region("us-west-2")
        .endpoint_url(server.endpoint())
        .credentials(awsgen_runtime::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
        ))
        .retry_config(
            awsgen_runtime::RetryConfig::standard()
                .with_initial_backoff(std::time::Duration::from_millis(1))
                .with_max_backoff(std::time::Duration::from_millis(5)),
        )
        .build()
}

/// The expected requests botocore 1.43.11 builds, from `fixtures/botocore_requests.json`
/// (made by `fixtures/make_botocore_requests.py`).
pub fn botocore_case(name: &str) -> serde_json::Value {
    static CASES: std::sync::OnceLock<Vec<serde_json::Value>> = std::sync::OnceLock::new();
    let cases = CASES.get_or_init(|| {
        let text = include_str!("../fixtures/botocore_requests.json");
        serde_json::from_str(text).expect("botocore_requests.json is valid JSON")
    });
    cases
        .iter()
        .find(|case| case["name"] == name)
        .unwrap_or_else(|| panic!("no botocore case named {name}"))
        .clone()
}

/// Asserts that `request` is the request botocore sends for case `name`: method, exact path
/// and query, the headers botocore's fixture records (Content-Type, X-Amz-Target, bound
/// headers), no Content-Type when botocore sends none, and the body as JSON (numbers compared
/// by value, `<uuid4>` placeholders matched by shape) or exactly empty.
pub fn assert_botocore_request(name: &str, request: &RecordedRequest) {
    let case = botocore_case(name);
    let expected = &case["request"];
    assert_eq!(
        request.method,
        expected["method"].as_str().unwrap(),
        "{name}: method"
    );
    assert_eq!(
        request.path(),
        expected["path"].as_str().unwrap(),
        "{name}: path"
    );
    assert_eq!(
        request.query(),
        expected["query"].as_str().unwrap(),
        "{name}: query"
    );
    let expected_headers = expected["headers"].as_object().unwrap();
    for (header, value) in expected_headers {
        assert_eq!(
            request.header(header),
            value.as_str(),
            "{name}: header {header}"
        );
    }
    if !expected_headers.contains_key("content-type") {
        assert_eq!(
            request.header("content-type"),
            None,
            "{name}: botocore sends no content-type"
        );
    }
    match &expected["body"] {
        serde_json::Value::Null => assert!(
            request.body.is_empty(),
            "{name}: botocore sends no body, we sent {:?}",
            String::from_utf8_lossy(&request.body)
        ),
        serde_json::Value::String(raw) => {
            assert_eq!(String::from_utf8_lossy(&request.body), *raw, "{name}: body")
        }
        body => {
            let actual: serde_json::Value =
                serde_json::from_slice(&request.body).unwrap_or_else(|e| {
                    panic!(
                        "{name}: body is not JSON ({e}): {:?}",
                        String::from_utf8_lossy(&request.body)
                    )
                });
            assert_json_eq(name, "body", body, &actual);
        }
    }
}

fn assert_json_eq(
    name: &str,
    path: &str,
    expected: &serde_json::Value,
    actual: &serde_json::Value,
) {
    use serde_json::Value;
    match (expected, actual) {
        // Integers compare exactly (f64 would equate 2^53 + 1 and 2^53); a float and an integer
        // compare by value, since botocore writes a double 1.0 where others may write 1.
        (Value::Number(e), Value::Number(a)) => match (e.as_i64(), a.as_i64()) {
            (Some(e), Some(a)) => assert_eq!(e, a, "{name}: {path}"),
            _ => assert_eq!(
                e.as_f64(),
                a.as_f64(),
                "{name}: {path}: expected {e}, got {a}"
            ),
        },
        (Value::String(e), Value::String(a)) if e == "<uuid4>" => {
            assert!(is_uuid_v4(a), "{name}: {path}: expected a UUID v4, got {a}")
        }
        (Value::Object(e), Value::Object(a)) => {
            let mut expected_keys: Vec<_> = e.keys().collect();
            let mut actual_keys: Vec<_> = a.keys().collect();
            expected_keys.sort();
            actual_keys.sort();
            assert_eq!(expected_keys, actual_keys, "{name}: {path}: keys");
            for (key, value) in e {
                assert_json_eq(name, &format!("{path}.{key}"), value, &a[key]);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{name}: {path}: length");
            for (index, (e, a)) in e.iter().zip(a).enumerate() {
                assert_json_eq(name, &format!("{path}[{index}]"), e, a);
            }
        }
        (e, a) => assert_eq!(e, a, "{name}: {path}"),
    }
}

/// `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx` in lower-case hex, as Python's `uuid4()` prints.
pub fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            14 => *b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}
