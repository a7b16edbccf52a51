//! The HTTP transport: the [`HttpClient`] trait the pipeline sends through, and the default
//! implementation on hyper 1 + rustls (ring).
//!
//! Requests and responses are whole: `http::Request<Bytes>` in, `http::Response<Bytes>` out. The
//! JSON protocols this runtime serves send and receive small documents, and a collected body is
//! what retries (which resend it) and error parsing (which reads it) need.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::config::TimeoutConfig;

/// The future [`HttpClient::call`] returns.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, HttpError>> + Send + 'a>>;

/// Sends one HTTP request and returns the whole response.
///
/// Implement it to plug in another transport (a proxy-aware client, a recording client, ...) and
/// hand it to [`ConfigBuilder::http_client`](crate::config::ConfigBuilder::http_client). Any
/// response, whatever its status, is `Ok`; `Err` is for requests that got no (complete)
/// response, with an [`HttpErrorKind`] the retry logic classifies.
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` (whose URI is absolute) and collects the response.
    fn call(&self, request: http::Request<Bytes>) -> HttpFuture<'_>;

    /// Sends a request whose body streams (an event stream) and returns the response as soon
    /// as its head arrives, its body still streaming; the request body keeps streaming while
    /// the response does. A request whose version is `HTTP/2.0` must go over HTTP/2 (ALPN `h2`
    /// for `https`, prior knowledge for `http`).
    ///
    /// The default refuses: only clients that can stream both ways support event-stream
    /// operations.
    fn call_streaming(&self, request: http::Request<StreamingBody>) -> StreamingFuture<'_> {
        let uri = request.uri().clone();
        Box::pin(async move {
            Err(HttpError::new(
                HttpErrorKind::Other,
                format!(
                    "this HTTP client cannot stream request and response bodies (for the event stream to \"{uri}\")"
                ),
            ))
        })
    }
}

/// A streaming request or response body.
pub type StreamingBody = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;

/// Any error, boxed.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The future [`HttpClient::call_streaming`] returns.
pub type StreamingFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<StreamingBody>, HttpError>> + Send + 'a>>;

/// What kind of transport failure an [`HttpError`] is; decides whether it is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// No connection could be made (refused, DNS failure, TLS handshake failure). Retried.
    Connect,
    /// A connect or read timeout expired. Retried (and costs more retry quota).
    Timeout,
    /// The connection broke while sending the request or reading the response (reset, closed
    /// early, malformed HTTP). Retried.
    Io,
    /// Anything else, e.g. a request the client cannot send. Not retried.
    Other,
}

impl fmt::Display for HttpErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HttpErrorKind::Connect => "connection error",
            HttpErrorKind::Timeout => "timeout",
            HttpErrorKind::Io => "connection broken",
            HttpErrorKind::Other => "HTTP client error",
        })
    }
}

/// A request that got no (complete) response.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    attempts: u32,
}

impl HttpError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: HttpErrorKind, message: impl Into<String>) -> Self {
        HttpError {
            kind,
            message: message.into(),
            source: None,
            attempts: 1,
        }
    }

    /// An error of `kind` described by `message`, caused by `source`.
    pub fn with_source(
        kind: HttpErrorKind,
        message: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        HttpError {
            source: Some(source.into()),
            ..HttpError::new(kind, message)
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// The description, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether botocore's standard retry mode retries this failure (everything but
    /// [`HttpErrorKind::Other`]).
    pub fn is_retryable(&self) -> bool {
        self.kind != HttpErrorKind::Other
    }

    /// How many attempts ended in failure before the pipeline gave up (1 unless retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)?;
        if self.attempts > 1 {
            write!(f, " (gave up after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for HttpError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

type HyperClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The default [`HttpClient`]: hyper 1 with hyper-util's pooled client and rustls on `ring`.
///
/// HTTP/1.1 and HTTP/2 (chosen by ALPN on `https://`), plain `http://` allowed, connections kept
/// alive and reused (at most 10 idle per host, as botocore's `max_pool_connections`). Server
/// certificates are checked against the Mozilla root list compiled in (`webpki-roots`), the
/// same list botocore uses through `certifi`. Clones share the connection pool.
///
/// Timeouts follow botocore's `connect_timeout` and `read_timeout`: connecting (TCP) is bounded
/// by the connect timeout; waiting for the response head by connect + read timeout (the wait
/// includes setting up a connection when none is pooled), and each wait for more of the body
/// by the read timeout.
#[derive(Clone)]
pub struct DefaultHttpClient {
    client: HyperClient,
    /// For event streams: request bodies that stream; HTTP/2 only (ALPN `h2`, or prior
    /// knowledge for `http://`), and HTTP/1.1 or HTTP/2 by ALPN.
    #[cfg(feature = "event-stream")]
    streaming_h2: StreamingClient,
    #[cfg(feature = "event-stream")]
    streaming_any: StreamingClient,
    read_timeout: Duration,
    head_timeout: Duration,
}

#[cfg(feature = "event-stream")]
type StreamingClient = Client<HttpsConnector<HttpConnector>, StreamingBody>;

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultHttpClient")
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// Builds a client with the connect and read timeouts of `timeouts`.
    ///
    /// Needs no async runtime to build; sending needs a Tokio runtime with the time driver.
    pub fn new(timeouts: &TimeoutConfig) -> Result<Self, HttpError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                HttpError::with_source(HttpErrorKind::Other, format!("cannot set up TLS: {e}"), e)
            })?
            .with_root_certificates(rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            })
            .with_no_client_auth();
        Ok(Self::with_tls_config(timeouts, tls))
    }

    /// A client that uses `tls` (its roots, client certificate, ...) for `https://`; its ALPN
    /// protocols are replaced by the ones each connection offers.
    ///
    /// Operations are sent over HTTP/1.1, as botocore sends them. With the `event-stream`
    /// feature, event streams go over HTTP/2 when the operation asks for it.
    pub fn with_tls_config(timeouts: &TimeoutConfig, tls: rustls::ClientConfig) -> Self {
        let http = || {
            let mut http = HttpConnector::new();
            http.enforce_http(false);
            http.set_nodelay(true);
            http.set_connect_timeout(Some(timeouts.connect_timeout()));
            http
        };
        let connector = || {
            hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls.clone())
                .https_or_http()
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(10)
            .build(connector().enable_http1().wrap_connector(http()));
        DefaultHttpClient {
            client,
            #[cfg(feature = "event-stream")]
            streaming_h2: Client::builder(TokioExecutor::new())
                .http2_only(true)
                .build(connector().enable_http2().wrap_connector(http())),
            #[cfg(feature = "event-stream")]
            streaming_any: Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(10)
                .build(
                    connector()
                        .enable_http1()
                        .enable_http2()
                        .wrap_connector(http()),
                ),
            read_timeout: timeouts.read_timeout(),
            head_timeout: timeouts.connect_timeout() + timeouts.read_timeout(),
        }
    }

    #[cfg(feature = "event-stream")]
    async fn send_streaming(
        &self,
        request: http::Request<StreamingBody>,
    ) -> Result<http::Response<StreamingBody>, HttpError> {
        let uri = request.uri().clone();
        let client = if request.version() == http::Version::HTTP_2 {
            &self.streaming_h2
        } else {
            &self.streaming_any
        };
        let response = match tokio::time::timeout(self.head_timeout, client.request(request)).await
        {
            Err(_) => return Err(head_timeout(&uri, self.head_timeout)),
            Ok(Err(e)) => return Err(classify_client_error(&uri, e)),
            Ok(Ok(response)) => response,
        };
        Ok(response.map(|body| {
            http_body_util::BodyExt::map_err(body, |e| Box::new(e) as BoxError).boxed_unsync()
        }))
    }

    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, HttpError> {
        let uri = request.uri().clone();
        let request = request.map(Full::new);
        let response =
            match tokio::time::timeout(self.head_timeout, self.client.request(request)).await {
                Err(_) => return Err(head_timeout(&uri, self.head_timeout)),
                Ok(Err(e)) => return Err(classify_client_error(&uri, e)),
                Ok(Ok(response)) => response,
            };
        let (parts, mut body) = response.into_parts();
        // Sized from Content-Length when there is one (capped: the header is the server's
        // word, not yet the bytes), so the body is copied once instead of regrown.
        let expected = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<usize>().ok())
            .map_or(0, |length| length.min(MAX_PRESIZE));
        let mut collected = Collected::with_capacity(expected);
        loop {
            let frame = match tokio::time::timeout(self.read_timeout, body.frame()).await {
                Ok(frame) => frame,
                Err(_) => {
                    return Err(HttpError::new(
                        HttpErrorKind::Timeout,
                        format!(
                            "read timeout on endpoint URL \"{uri}\": no more of the response body within {:?}",
                            self.read_timeout
                        ),
                    ));
                }
            };
            match frame {
                None => break,
                Some(Err(e)) => {
                    return Err(HttpError::with_source(
                        HttpErrorKind::Io,
                        format!("reading the response from \"{uri}\" failed: {}", chain(&e)),
                        e,
                    ));
                }
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        collected.push(data);
                    }
                }
            }
        }
        Ok(http::Response::from_parts(parts, collected.into_bytes()))
    }
}

impl HttpClient for DefaultHttpClient {
    fn call(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        Box::pin(self.send(request))
    }

    #[cfg(feature = "event-stream")]
    fn call_streaming(&self, request: http::Request<StreamingBody>) -> StreamingFuture<'_> {
        Box::pin(self.send_streaming(request))
    }
}

/// At most this much is reserved up front from a response's Content-Length.
const MAX_PRESIZE: usize = 8 << 20;

/// A response body being collected: a body that arrives as one chunk is kept as it is (no
/// copy); more chunks are copied into one buffer.
enum Collected {
    Empty(usize),
    One(Bytes, usize),
    Many(BytesMut),
}

impl Collected {
    fn with_capacity(capacity: usize) -> Self {
        Collected::Empty(capacity)
    }

    fn push(&mut self, data: Bytes) {
        *self = match std::mem::replace(self, Collected::Empty(0)) {
            Collected::Empty(capacity) => Collected::One(data, capacity),
            Collected::One(first, capacity) => {
                let mut buffer = BytesMut::with_capacity(capacity.max(first.len() + data.len()));
                buffer.extend_from_slice(&first);
                buffer.extend_from_slice(&data);
                Collected::Many(buffer)
            }
            Collected::Many(mut buffer) => {
                buffer.extend_from_slice(&data);
                Collected::Many(buffer)
            }
        };
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Collected::Empty(_) => Bytes::new(),
            Collected::One(data, _) => data,
            Collected::Many(buffer) => buffer.freeze(),
        }
    }
}

/// No response head within the read timeout: the same error for whole and streaming calls.
fn head_timeout(uri: &http::Uri, limit: Duration) -> HttpError {
    HttpError::new(
        HttpErrorKind::Timeout,
        format!("read timeout on endpoint URL \"{uri}\": no response within {limit:?}"),
    )
}

/// `error: cause: cause ...`, the whole source chain on one line.
pub(crate) fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        let s = e.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        next = e.source();
    }
    text
}

fn classify_client_error(uri: &http::Uri, error: hyper_util::client::legacy::Error) -> HttpError {
    let description = chain(&error);
    let mut timed_out = false;
    let mut hyper_user_error = false;
    let mut has_hyper_error = false;
    let mut next: Option<&(dyn StdError + 'static)> = Some(&error);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            timed_out = true;
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            has_hyper_error = true;
            hyper_user_error |= h.is_user();
            timed_out |= h.is_timeout();
        }
        next = e.source();
    }
    let (kind, message) = if error.is_connect() {
        if timed_out {
            (
                HttpErrorKind::Timeout,
                format!("connect timeout on endpoint URL \"{uri}\": {description}"),
            )
        } else {
            (
                HttpErrorKind::Connect,
                format!("could not connect to the endpoint URL \"{uri}\": {description}"),
            )
        }
    } else if timed_out {
        (
            HttpErrorKind::Timeout,
            format!("read timeout on endpoint URL \"{uri}\": {description}"),
        )
    } else if has_hyper_error && !hyper_user_error {
        (
            HttpErrorKind::Io,
            format!("connection to \"{uri}\" failed: {description}"),
        )
    } else {
        (
            HttpErrorKind::Other,
            format!("cannot send the request to \"{uri}\": {description}"),
        )
    };
    HttpError::with_source(kind, message, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_and_retryability() {
        let mut e = HttpError::new(HttpErrorKind::Io, "connection reset by peer");
        assert!(e.is_retryable());
        assert_eq!(e.to_string(), "connection broken: connection reset by peer");
        e.set_attempts(3);
        assert_eq!(
            e.to_string(),
            "connection broken: connection reset by peer (gave up after 3 attempts)"
        );
        assert!(!HttpError::new(HttpErrorKind::Other, "x").is_retryable());
    }

    #[test]
    fn default_client_builds_without_a_runtime() {
        let client = DefaultHttpClient::new(&TimeoutConfig::default()).unwrap();
        assert!(format!("{client:?}").contains("DefaultHttpClient"));
    }
}
