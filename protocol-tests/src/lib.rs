//! Support for running botocore's protocol conformance suites against generated clients.
//!
//! The build script turns every suite of `../shared/protocol-tests` into a generated client
//! module plus one function per case; those functions call into this crate to
//!
//! * capture the request a client sends ([`Capture`], an [`HttpClient`] that answers from
//!   memory, so a case sees exactly the request the whole pipeline produced: endpoint, host
//!   prefix, headers, signing),
//! * compare it with the case's `serialized` description the way botocore's runner does
//!   ([`check_request`]),
//! * turn parsed outputs and errors into the JSON shape botocore's parser produces
//!   ([`ToBotocore`]) and compare that with the case's `result` ([`check_output`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use awsgen_runtime::http::{HttpClient, HttpFuture};
use awsgen_runtime::{Blob, Config, Credentials, DateTime, Document};
use bytes::Bytes;
use serde_json::{Map, Value};

/// The endpoint a case's client talks to when the suite names none.
pub const DEFAULT_ENDPOINT: &str = "https://example.com";

/// An [`HttpClient`] that keeps every request and answers `200 {}`.
#[derive(Clone, Debug, Default)]
pub struct Capture {
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Capture {
    /// The requests sent so far.
    pub fn requests(&self) -> Vec<http::Request<Bytes>> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

impl HttpClient for Capture {
    fn call(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        self.requests.lock().expect("not poisoned").push(request);
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(Bytes::from_static(b"{}"))
                .expect("a valid response"))
        })
    }
}

/// An [`HttpClient`] that answers an event-stream call with a canned response whose body is
/// the case's event-stream bytes (base64 in the suite).
#[derive(Clone, Debug)]
pub struct Replay {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl Replay {
    /// A replay of `status`, `headers` and the base64-encoded `body`.
    pub fn new(status: u16, headers: &[(&str, &str)], body_base64: &str) -> Replay {
        Replay {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: Bytes::from(base64_decode(body_base64)),
        }
    }
}

impl HttpClient for Replay {
    fn call(&self, _: http::Request<Bytes>) -> HttpFuture<'_> {
        Box::pin(async {
            Err(awsgen_runtime::http::HttpError::new(
                awsgen_runtime::http::HttpErrorKind::Other,
                "Replay only answers event-stream calls",
            ))
        })
    }

    fn call_streaming(
        &self,
        _: http::Request<awsgen_runtime::http::StreamingBody>,
    ) -> awsgen_runtime::http::StreamingFuture<'_> {
        use http_body_util::BodyExt as _;
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let body = http_body_util::Full::new(self.body.clone())
            .map_err(|never| match never {})
            .boxed_unsync();
        let response = builder.body(body).expect("case responses are valid HTTP");
        Box::pin(async move { Ok(response) })
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes().filter(|c| !matches!(c, b'=' | b'\n' | b'\r')) {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c)
            .expect("the case body is base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// A client configuration for a case: fixed region and credentials, one attempt, requests
/// sent to `client`.
pub fn config<C: HttpClient + Clone>(client: &C, endpoint: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(Credentials::new("AKID", "SECRET", None, None))
        .max_attempts(1)
        .http_client(client.clone())
        .build()
}

/// A timestamp from a case's epoch seconds.
pub fn timestamp(seconds: f64) -> DateTime {
    DateTime::from_fractional_secs(seconds).expect("case timestamps are in range")
}

/// A document from its JSON text.
pub fn document(json: &str) -> Document {
    serde_json::from_str(json).expect("case documents are JSON")
}

/// A response for an output case.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Bytes::copy_from_slice(body.as_bytes()))
        .expect("case responses are valid HTTP")
}

/// Checks the one request `capture` saw against a case's `serialized` (JSON text), the way
/// botocore's `test_protocols.py` compares: method; URI byte for byte; each expected header
/// present with that value (names case-insensitive, list values compared without the space
/// after commas); forbidden headers absent; required headers present; `host`; the body as JSON
/// when the expected body is JSON, as bytes otherwise, `""` meaning no body.
///
/// `send` describes what `send()` returned, for the failure message.
pub fn check_request(
    capture: &Capture,
    serialized: &str,
    rest_json: bool,
    normalize_tokens: bool,
    send: &dyn std::fmt::Debug,
) -> Result<(), String> {
    let expected: Value = serde_json::from_str(serialized).expect("the case's serialized is JSON");
    let requests = capture.requests();
    let request = match requests.as_slice() {
        [request] => request,
        [] => return Err(format!("no request was sent; send() returned {send:?}")),
        more => return Err(format!("{} requests were sent, expected one", more.len())),
    };
    let mut problems = Vec::new();
    if let Some(method) = expected.get("method").and_then(Value::as_str)
        && request.method().as_str() != method
    {
        problems.push(format!(
            "method: expected {method}, sent {}",
            request.method()
        ));
    }
    let mut uri = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let mut sent_body = String::from_utf8_lossy(request.body()).into_owned();
    if normalize_tokens {
        uri = zero_uuids(&uri);
        sent_body = zero_uuids(&sent_body);
    }
    if let Some(expected_uri) = expected.get("uri").and_then(Value::as_str)
        && uri != expected_uri
    {
        problems.push(format!("uri: expected {expected_uri:?}, sent {uri:?}"));
    }
    let header = |name: &str| -> Option<String> {
        let values: Vec<_> = request
            .headers()
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    let normalize_list = |value: &str| value.replace(", ", ",");
    for (name, value) in expected
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let value = value.as_str().unwrap_or_default();
        // botocore's runner drops an expected rest-json Content-Type other than
        // application/json (botocore sets none on blob and string payloads).
        if rest_json && name.eq_ignore_ascii_case("content-type") && value != "application/json" {
            continue;
        }
        match header(name) {
            Some(sent) if normalize_list(&sent) == normalize_list(value) => {}
            Some(sent) => {
                problems.push(format!("header {name}: expected {value:?}, sent {sent:?}"))
            }
            None => problems.push(format!("header {name}: expected {value:?}, not sent")),
        }
    }
    for name in expected
        .get("forbidHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        // botocore's serializer leaves Content-Length to the HTTP layer, which sets it (`0` for
        // an empty POST body) on the wire, as our pipeline does: the runner's check is of the
        // serializer's output, ours of the request sent.
        .filter(|name| !name.eq_ignore_ascii_case("content-length"))
    {
        if let Some(sent) = header(name) {
            problems.push(format!("header {name} is forbidden, sent {sent:?}"));
        }
    }
    for name in expected
        .get("requireHeaders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if header(name).is_none() {
            problems.push(format!("header {name} is required, not sent"));
        }
    }
    if let Some(host) = expected.get("host").and_then(Value::as_str) {
        let sent = request.uri().authority().map_or("", |a| a.as_str());
        if sent != host {
            problems.push(format!("host: expected {host:?}, sent {sent:?}"));
        }
    }
    if let Some(body) = expected.get("body").and_then(Value::as_str) {
        let sent = sent_body.as_bytes();
        let matches = if body.is_empty() {
            sent.is_empty()
        } else {
            match (
                serde_json::from_str::<Value>(body),
                serde_json::from_slice::<Value>(sent),
            ) {
                (Ok(expected), Ok(sent)) => json_equal(&expected, &sent),
                (Ok(_), Err(_)) => false,
                (Err(_), _) => sent == body.as_bytes(),
            }
        };
        if !matches {
            problems.push(format!(
                "body: expected {body:?}, sent {:?}",
                String::from_utf8_lossy(sent)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Replaces every UUID v4 in `text` with the all-zero one the Smithy suites expect for
/// auto-filled idempotency tokens (botocore's real client fills them with `uuid4()`, as ours
/// does; the suites assume a fixed test generator).
fn zero_uuids(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < bytes.len() {
        if index + 36 <= bytes.len() && is_uuid_v4(&text[index..index + 36]) {
            out.push_str("00000000-0000-4000-8000-000000000000");
            index += 36;
        } else {
            let c = text[index..].chars().next().expect("in bounds");
            out.push(c);
            index += c.len_utf8();
        }
    }
    out
}

fn is_uuid_v4(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            14 => b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
        })
}

/// JSON equality where numbers compare by value (`1` equals `1.0`), as Python's `==` on parsed
/// JSON does.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Compares a parsed output (as [`ToBotocore`] gives it) with the case's expected result (JSON
/// text).
pub fn check_output(actual: &Value, expected: &str) -> Result<(), String> {
    let expected: Value = serde_json::from_str(expected).expect("the case's result is JSON");
    if json_equal(&expected, actual) {
        Ok(())
    } else {
        Err(format!("expected {expected}\n  parsed {actual}"))
    }
}

/// The value botocore's runner expects for an error: `{"Error": {"Code", "Message"}}`, to which
/// the modelled members are added with [`merge`].
pub fn error_value(code: &str, message: &str) -> Value {
    let mut error = Map::new();
    error.insert("Code".into(), Value::String(code.into()));
    error.insert("Message".into(), Value::String(message.into()));
    let mut value = Map::new();
    value.insert("Error".into(), Value::Object(error));
    Value::Object(value)
}

/// Adds the members of `members` (an object) to `value` (an object), as botocore's
/// `parsed.update(error_parse)`.
pub fn merge(value: &mut Value, members: Value) {
    if let (Value::Object(target), Value::Object(source)) = (value, members) {
        target.extend(source);
    }
}

/// A parsed value in the form botocore's parser (after the runner's fix-ups) gives it: member
/// names as in the model, blobs as UTF-8 text, timestamps as epoch seconds, special floats as
/// the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, unknown union members as
/// `{"SDK_UNKNOWN_MEMBER": {"name": tag}}`. Generated for every structure, union and enum of a
/// case's client by the build script.
pub trait ToBotocore {
    /// The botocore form.
    fn to_botocore(&self) -> Value;
}

impl ToBotocore for String {
    fn to_botocore(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToBotocore for bool {
    fn to_botocore(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToBotocore for $t {
            fn to_botocore(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
integers!(i8, i16, i32, i64);

fn float(value: f64) -> Value {
    if value.is_nan() {
        Value::String("NaN".into())
    } else if value == f64::INFINITY {
        Value::String("Infinity".into())
    } else if value == f64::NEG_INFINITY {
        Value::String("-Infinity".into())
    } else {
        Value::from(value)
    }
}

impl ToBotocore for f32 {
    fn to_botocore(&self) -> Value {
        // Through the shortest decimal text, so that `1.1f32` compares equal to Python's 1.1.
        float(self.to_string().parse().unwrap_or(f64::NAN))
    }
}

impl ToBotocore for f64 {
    fn to_botocore(&self) -> Value {
        float(*self)
    }
}

impl ToBotocore for Blob {
    fn to_botocore(&self) -> Value {
        Value::String(String::from_utf8_lossy(self.as_bytes()).into_owned())
    }
}

impl ToBotocore for DateTime {
    fn to_botocore(&self) -> Value {
        Value::from(self.as_secs_f64())
    }
}

impl ToBotocore for Document {
    fn to_botocore(&self) -> Value {
        self.clone()
    }
}

impl<T: ToBotocore> ToBotocore for Box<T> {
    fn to_botocore(&self) -> Value {
        (**self).to_botocore()
    }
}

impl<T: ToBotocore> ToBotocore for Vec<T> {
    fn to_botocore(&self) -> Value {
        Value::Array(self.iter().map(ToBotocore::to_botocore).collect())
    }
}

impl<K: ToBotocore, V: ToBotocore> ToBotocore for BTreeMap<K, V> {
    fn to_botocore(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(k, v)| match k.to_botocore() {
                    Value::String(key) => (key, v.to_botocore()),
                    other => (other.to_string(), v.to_botocore()),
                })
                .collect(),
        )
    }
}

impl ToBotocore for () {
    fn to_botocore(&self) -> Value {
        Value::Object(Map::new())
    }
}

/// One case of a suite, as the build script generates it.
pub struct Case {
    /// The suite file, relative to the suites directory (`input/json.json`).
    pub file: &'static str,
    /// `<file> :: <suite description> :: <case id, or "case N">`.
    pub name: &'static str,
    /// botocore's own runner runs this case (its ignore list names neither the case nor its
    /// suite, and the case has params or a response).
    pub botocore_runs: bool,
    /// Why this case is not run here, when it is not.
    pub ignored: Option<&'static str>,
    /// Runs the case: `Err` describes every difference found.
    pub run: fn() -> Result<(), String>,
}

/// Runs a case's future to completion on a fresh single-threaded runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime starts")
        .block_on(future)
}

/// `{key: value}`.
pub fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.into(), value);
    Value::Object(map)
}
