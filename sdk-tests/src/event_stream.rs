//! An HTTP/2 server over TLS for event-stream tests, and an event-stream codec and SigV4 chain
//! check written independently of the runtime's (so that a bug there cannot hide itself).
//!
//! TLS rather than h2c: the default client reaches HTTP/2 through ALPN `h2` exactly as it does
//! against AWS, so the test covers that path too. The server's certificate (for `localhost`) is
//! made with rcgen when the server starts; [`H2Server::client_tls`] trusts it.
//!
//! Each request the server receives becomes an [`Exchange`]: the test reads the request head
//! and body frames as they stream in, and answers with a head and frames of its own, at any
//! time and interleaved, or breaks the connection.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use http_body::Frame;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

/// A typed event-stream header value (the test's own copy of the format).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    Bytes(Vec<u8>),
    String(String),
    Timestamp(i64),
    Uuid([u8; 16]),
}

/// One message: headers in order, payload.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestMessage {
    pub headers: Vec<(String, Value)>,
    pub payload: Vec<u8>,
}

impl TestMessage {
    /// An event of `event_type` with a payload and content type.
    pub fn event(event_type: &str, content_type: &str, payload: &[u8]) -> Self {
        TestMessage {
            headers: vec![
                (":message-type".into(), Value::String("event".into())),
                (":event-type".into(), Value::String(event_type.into())),
                (":content-type".into(), Value::String(content_type.into())),
            ],
            payload: payload.to_vec(),
        }
    }

    /// An `exception` message.
    pub fn exception(exception_type: &str, payload: &[u8]) -> Self {
        TestMessage {
            headers: vec![
                (":message-type".into(), Value::String("exception".into())),
                (
                    ":exception-type".into(),
                    Value::String(exception_type.into()),
                ),
                (
                    ":content-type".into(),
                    Value::String("application/json".into()),
                ),
            ],
            payload: payload.to_vec(),
        }
    }

    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&Value> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The first header named `name`, as a string.
    pub fn string(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The frame: prelude, prelude CRC, headers, payload, message CRC.
    pub fn encode(&self) -> Vec<u8> {
        let headers = encode_headers(&self.headers);
        let total = 16 + headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    /// Decodes one whole frame (panics on anything malformed: this is test code).
    pub fn decode(frame: &[u8]) -> TestMessage {
        let total = u32::from_be_bytes(frame[0..4].try_into().unwrap()) as usize;
        let headers_len = u32::from_be_bytes(frame[4..8].try_into().unwrap()) as usize;
        assert_eq!(total, frame.len(), "frame length");
        assert_eq!(
            crc32fast::hash(&frame[..8]),
            u32::from_be_bytes(frame[8..12].try_into().unwrap()),
            "prelude CRC"
        );
        assert_eq!(
            crc32fast::hash(&frame[..total - 4]),
            u32::from_be_bytes(frame[total - 4..].try_into().unwrap()),
            "message CRC"
        );
        let mut h = &frame[12..12 + headers_len];
        let mut headers = Vec::new();
        while h.has_remaining() {
            let n = h.get_u8() as usize;
            let name = String::from_utf8(h[..n].to_vec()).unwrap();
            h.advance(n);
            let value = match h.get_u8() {
                0 => Value::Bool(true),
                1 => Value::Bool(false),
                2 => Value::Byte(h.get_i8()),
                3 => Value::Short(h.get_i16()),
                4 => Value::Int(h.get_i32()),
                5 => Value::Long(h.get_i64()),
                6 => {
                    let n = h.get_u16() as usize;
                    let v = h[..n].to_vec();
                    h.advance(n);
                    Value::Bytes(v)
                }
                7 => {
                    let n = h.get_u16() as usize;
                    let v = String::from_utf8(h[..n].to_vec()).unwrap();
                    h.advance(n);
                    Value::String(v)
                }
                8 => Value::Timestamp(h.get_i64()),
                9 => {
                    let mut v = [0; 16];
                    h.copy_to_slice(&mut v);
                    Value::Uuid(v)
                }
                other => panic!("unknown header type {other}"),
            };
            headers.push((name, value));
        }
        TestMessage {
            headers,
            payload: frame[12 + headers_len..total - 4].to_vec(),
        }
    }
}

/// The headers section of a frame.
pub fn encode_headers(headers: &[(String, Value)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in headers {
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        match value {
            Value::Bool(true) => out.push(0),
            Value::Bool(false) => out.push(1),
            Value::Byte(v) => {
                out.push(2);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Short(v) => {
                out.push(3);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Int(v) => {
                out.push(4);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Long(v) => {
                out.push(5);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Bytes(v) => {
                out.push(6);
                out.extend_from_slice(&(v.len() as u16).to_be_bytes());
                out.extend_from_slice(v);
            }
            Value::String(v) => {
                out.push(7);
                out.extend_from_slice(&(v.len() as u16).to_be_bytes());
                out.extend_from_slice(v.as_bytes());
            }
            Value::Timestamp(v) => {
                out.push(8);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Uuid(v) => {
                out.push(9);
                out.extend_from_slice(v);
            }
        }
    }
    out
}

/// Checks the SigV4 event-stream signature chain, computed here with HMAC-SHA256 from the
/// specification (`AWS4-HMAC-SHA256-PAYLOAD` string to sign) rather than through aws-sigv4.
pub struct ChainVerifier {
    secret: String,
    region: String,
    service: String,
    previous: String,
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}

/// `YYYYMMDDTHHMMSSZ` of a Unix time in seconds (civil-from-days, proleptic Gregorian).
pub fn amz_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl ChainVerifier {
    /// A verifier seeded with the request's signature (from its `Authorization` header).
    pub fn new(secret: &str, region: &str, service: &str, authorization: &str) -> Self {
        let seed = authorization
            .split("Signature=")
            .nth(1)
            .expect("Authorization has a Signature")
            .trim()
            .to_owned();
        ChainVerifier {
            secret: secret.into(),
            region: region.into(),
            service: service.into(),
            previous: seed,
        }
    }

    /// Checks one signed wrapper message (`:date`, `:chunk-signature`, payload = the encoded
    /// event or nothing) and moves the chain on.
    pub fn verify(&mut self, wrapper: &TestMessage) -> Result<(), String> {
        let Some(Value::Timestamp(millis)) = wrapper.header(":date") else {
            return Err(format!("no :date timestamp header in {wrapper:?}"));
        };
        let Some(Value::Bytes(signature)) = wrapper.header(":chunk-signature") else {
            return Err(format!("no :chunk-signature header in {wrapper:?}"));
        };
        let datetime = amz_date(millis.div_euclid(1000));
        let date = &datetime[..8];
        let scope = format!("{date}/{}/{}/aws4_request", self.region, self.service);
        let date_header = encode_headers(&[(":date".into(), Value::Timestamp(*millis))]);
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{datetime}\n{scope}\n{}\n{}\n{}",
            self.previous,
            sha256_hex(&date_header),
            sha256_hex(&wrapper.payload)
        );
        let mut key = hmac(format!("AWS4{}", self.secret).as_bytes(), date.as_bytes());
        key = hmac(&key, self.region.as_bytes());
        key = hmac(&key, self.service.as_bytes());
        key = hmac(&key, b"aws4_request");
        let expected = hmac(&key, string_to_sign.as_bytes());
        if &expected != signature {
            return Err(format!(
                "signature mismatch: expected {}, got {}",
                hex(&expected),
                hex(signature)
            ));
        }
        self.previous = hex(&expected);
        Ok(())
    }
}

type ResponseBody = ChannelBody;

/// One request received, waiting for the test to answer.
pub struct Exchange {
    /// Method, URI, version and headers.
    pub request: http::request::Parts,
    body: Incoming,
    buffer: BytesMut,
    respond: Option<oneshot::Sender<http::Response<ResponseBody>>>,
}

impl Exchange {
    /// The next whole frame of the request body, or `None` at its end.
    pub async fn next_frame(&mut self) -> Option<Vec<u8>> {
        loop {
            if self.buffer.len() >= 4 {
                let total = u32::from_be_bytes(self.buffer[..4].try_into().unwrap()) as usize;
                if self.buffer.len() >= total {
                    return Some(self.buffer.split_to(total).to_vec());
                }
            }
            match self.body.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.extend_from_slice(&data);
                    }
                }
                Some(Err(e)) => panic!("request body failed: {e}"),
                None => {
                    assert!(self.buffer.is_empty(), "request body ended inside a frame");
                    return None;
                }
            }
        }
    }

    /// Answers with `status` and `headers`; the body is written through the returned writer.
    pub fn respond(&mut self, status: u16, headers: &[(&str, &str)]) -> ResponseWriter {
        let (tx, rx) = mpsc::channel(16);
        let mut response = http::Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(*name, *value);
        }
        let response = response.body(ChannelBody { rx }).unwrap();
        let _ = self.respond.take().expect("answered once").send(response);
        ResponseWriter { tx }
    }
}

/// Writes the response body of an [`Exchange`]; dropping it ends the body.
pub struct ResponseWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl ResponseWriter {
    /// Sends raw bytes.
    pub async fn raw(&self, bytes: impl Into<Bytes>) {
        let _ = self.tx.send(Ok(bytes.into())).await;
    }

    /// Sends one message.
    pub async fn message(&self, message: &TestMessage) {
        self.raw(message.encode()).await;
    }

    /// Breaks the stream: HTTP/2 resets it, as a dropped connection would look to the client.
    pub async fn break_stream(self) {
        let _ = self
            .tx
            .send(Err(std::io::Error::other("connection dropped")))
            .await;
    }
}

/// A response body fed by a channel.
pub struct ChannelBody {
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        self.get_mut()
            .rx
            .poll_recv(cx)
            .map(|item| item.map(|r| r.map(Frame::data)))
    }
}

/// The server: HTTP/2 only, over TLS with ALPN `h2`.
pub struct H2Server {
    address: SocketAddr,
    tls: bool,
    certificate: rustls::pki_types::CertificateDer<'static>,
    exchanges: mpsc::UnboundedReceiver<Exchange>,
    /// The ALPN protocol of each connection accepted.
    alpn: Arc<std::sync::Mutex<Vec<Option<Vec<u8>>>>>,
}

impl H2Server {
    /// Starts the server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> H2Server {
        Self::start_with(true).await
    }

    /// Starts a server that speaks HTTP/2 without TLS (h2c, prior knowledge), for programs
    /// that cannot be told to trust the test certificate (the example binary, which builds its
    /// client from the environment).
    pub async fn start_h2c() -> H2Server {
        Self::start_with(false).await
    }

    async fn start_with(use_tls: bool) -> H2Server {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .expect("a self-signed certificate");
        let certificate = certified.cert.der().clone();
        let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate.clone()], key.into())
            .expect("server TLS config");
        tls.alpn_protocols = vec![b"h2".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().unwrap();
        let (tx, exchanges) = mpsc::unbounded_channel();
        let alpn = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = alpn.clone();
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let stream = if use_tls {
                        let Ok(stream) = acceptor.accept(tcp).await else {
                            return;
                        };
                        seen.lock()
                            .unwrap()
                            .push(stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec));
                        Either::Tls(Box::new(stream))
                    } else {
                        seen.lock().unwrap().push(None);
                        Either::Plain(tcp)
                    };
                    let service = service_fn(move |request: http::Request<Incoming>| {
                        let tx = tx.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let (respond, answer) = oneshot::channel();
                            let _ = tx.send(Exchange {
                                request: parts,
                                body,
                                buffer: BytesMut::new(),
                                respond: Some(respond),
                            });
                            match answer.await {
                                Ok(response) => Ok::<_, std::io::Error>(response),
                                Err(_) => Err(std::io::Error::other("the test did not answer")),
                            }
                        }
                    });
                    // Small flow-control windows (64 KiB, HTTP/2's initial size) so that
                    // backpressure shows after a few events.
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .initial_stream_window_size(65_535)
                        .initial_connection_window_size(65_535)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        H2Server {
            address,
            tls: use_tls,
            certificate,
            exchanges,
            alpn,
        }
    }

    /// The endpoint URL (`https://localhost:<port>`, or `http://127.0.0.1:<port>` for h2c).
    pub fn endpoint(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.address.port())
        } else {
            format!("http://{}", self.address)
        }
    }

    /// A client TLS configuration that trusts this server's certificate (and nothing else).
    pub fn client_tls(&self) -> rustls::ClientConfig {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.certificate.clone()).unwrap();
        rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth()
    }

    /// A client configuration for this server: fixed credentials and region, the default HTTP
    /// client with [`client_tls`](Self::client_tls).
    pub fn config(&self) -> awsgen_runtime::Config {
        let client = awsgen_runtime::http::DefaultHttpClient::with_tls_config(
            &awsgen_runtime::TimeoutConfig::default(),
            self.client_tls(),
        );
        awsgen_runtime::Config::builder()
            .region("us-west-2")
            .endpoint_url(self.endpoint())
            .credentials(awsgen_runtime::Credentials::new(
                "AKIDEXAMPLE",
                SECRET,
                None,
                None,
            ))
            .http_client(client)
            .build()
    }

    /// The next request.
    pub async fn exchange(&mut self) -> Exchange {
        self.exchanges.recv().await.expect("server running")
    }

    /// The ALPN protocol of every connection so far.
    pub fn alpn(&self) -> Vec<Option<Vec<u8>>> {
        self.alpn.lock().unwrap().clone()
    }
}

/// The secret key of [`H2Server::config`]'s credentials.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A TLS or plain TCP stream.
enum Either {
    Tls(Box<tokio_rustls::server::TlsStream<tokio::net::TcpStream>>),
    Plain(tokio::net::TcpStream),
}

impl tokio::io::AsyncRead for Either {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Either::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Either::Plain(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Either {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Either::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Either::Plain(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Either::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Either::Plain(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Either::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Either::Plain(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}
