//! A small scripted HTTP/1.1 server on 127.0.0.1 for the client tests, and helpers.
//!
//! The server answers each request with the next [`Reply`] of its script (then `200 {}`), keeps
//! connections alive, and records the requests it read and the connections it accepted.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awsgen_runtime::client::ServiceMeta;
use awsgen_runtime::retry::RetryConfig;
use awsgen_runtime::{Config, ConfigBuilder, Credentials, Protocol};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Amazon Q Connect (signing name `wisdom`), rest-json, with its real endpoint rule set.
pub static QCONNECT: ServiceMeta = ServiceMeta {
    service_id: "QConnect",
    signing_name: "wisdom",
    endpoint_prefix: "wisdom",
    protocol: Protocol::RestJson,
    endpoint_rule_set: include_str!("../../../models/qconnect/endpoint-rule-set-1.json"),
    modeled_exception: None,
};

/// Amazon Personalize, awsJson 1.1, with its real endpoint rule set.
pub static PERSONALIZE: ServiceMeta = ServiceMeta {
    service_id: "Personalize",
    signing_name: "personalize",
    endpoint_prefix: "personalize",
    protocol: Protocol::AwsJson {
        version: "1.1",
        target_prefix: "AmazonPersonalize",
    },
    endpoint_rule_set: include_str!("../../../models/personalize/endpoint-rule-set-1.json"),
    modeled_exception: None,
};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answers with this status, extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(&'static str, &'static str)>,
        body: &'static str,
    },
    /// Answers 200 with a chunked body, flushing each chunk separately (a short pause between
    /// them), so that the client receives the body in several pieces.
    Chunked(Vec<&'static str>),
    /// Reads the request, then closes the connection without answering.
    Close,
    /// Reads the request and never answers (keeps the connection open).
    Hang,
}

impl Reply {
    pub fn status(status: u16, body: &'static str) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body,
        }
    }

    pub fn with_headers(
        status: u16,
        headers: Vec<(&'static str, &'static str)>,
        body: &'static str,
    ) -> Reply {
        Reply::Respond {
            status,
            headers,
            body,
        }
    }
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which accepted connection (0-based) it came on.
    pub connection: usize,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    accepts: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    tasks: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

impl TestServer {
    /// Starts a server that answers with `script`, then `200 {}`.
    pub async fn start(script: Vec<Reply>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepts = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let tasks: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let accept_task = {
            let (accepts, requests, tasks) = (accepts.clone(), requests.clone(), tasks.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let connection = accepts.fetch_add(1, Ordering::SeqCst);
                    let handle =
                        tokio::spawn(serve(stream, connection, script.clone(), requests.clone()));
                    tasks.lock().unwrap().push(handle.abort_handle());
                }
            })
        };
        tasks.lock().unwrap().push(accept_task.abort_handle());
        TestServer {
            addr,
            accepts,
            requests,
            tasks,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    script: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<Recorded>>>,
) {
    let mut buffer: Vec<u8> = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(i) = find(&buffer, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        buffer.drain(..head_end + 4);
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let target = request_line.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Vec<u8> = buffer.drain(..length).collect();
        requests.lock().unwrap().push(Recorded {
            method,
            target,
            headers,
            body,
            connection,
        });
        let reply = script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Reply::status(200, "{}"));
        match reply {
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let mut response = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\ncontent-type: application/json\r\n\
                     x-amzn-requestid: req-{connection}\r\n",
                    http::StatusCode::from_u16(status)
                        .ok()
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("Whatever"),
                    body.len()
                );
                for (k, v) in headers {
                    response.push_str(&format!("{k}: {v}\r\n"));
                }
                response.push_str("\r\n");
                response.push_str(body);
                if stream.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
            Reply::Chunked(chunks) => {
                let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\
                            content-type: application/json\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in chunks {
                    let piece = format!("{:x}\r\n{chunk}\r\n", chunk.len());
                    if stream.write_all(piece.as_bytes()).await.is_err() {
                        return;
                    }
                    let _ = stream.flush().await;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                if stream.write_all(b"0\r\n\r\n").await.is_err() {
                    return;
                }
            }
            Reply::Close => return,
            Reply::Hang => {
                std::future::pending::<()>().await;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Region, static credentials, the server as endpoint, and tiny backoff.
pub fn config_for(server: &TestServer) -> ConfigBuilder {
    Config::builder()
        .region("us-west-2")
        .endpoint_url(server.url())
        .credentials(Credentials::new("AKIDTEST", "secret", None, None))
        .retry_config(fast_retries())
}

/// botocore's standard retries with a 1 ms backoff base instead of 1 s.
pub fn fast_retries() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(1))
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "awsgen-runtime-test-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
