//! The local HTTP/1.1 server both SDKs call in the socket scenarios. It runs in a child process
//! (this binary, re-executed with [`SERVER_ENV`] set) so that the CPU time measured in the
//! parent is the clients' alone.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use crate::data::{Bodies, RESPONSE_HEADERS};

pub const SERVER_ENV: &str = "AWSGEN_BENCH_SERVER";
const DATA_DIR_ENV: &str = "AWSGEN_BENCH_DATA_DIR";

/// The child's `main`: serve on an ephemeral port of 127.0.0.1, print it, run until the parent
/// closes our stdin.
pub fn run() -> Result<(), String> {
    let dir = std::env::var_os(DATA_DIR_ENV).ok_or("the data folder is not passed")?;
    let bodies = Arc::new(Bodies::load(Path::new(&dir))?);
    // The parent closes our stdin when it ends, even if it panics: exit then.
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("bind 127.0.0.1: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{port}")
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("write the port: {e}"))?;
        loop {
            let (stream, _) = listener
                .accept()
                .await
                .map_err(|e| format!("accept: {e}"))?;
            let _ = stream.set_nodelay(true);
            let bodies = bodies.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| answer(bodies.clone(), request));
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

async fn answer(
    bodies: Arc<Bodies>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    // Read the whole request, as a real service does.
    body.collect().await?;
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok());
    let mut response = Response::builder();
    for (name, value) in RESPONSE_HEADERS {
        response = response.header(name, value);
    }
    let response = match bodies.answer(parts.method.as_str(), path, target) {
        Some(body) => response.status(200).body(Full::new(body)),
        None => response.status(404).body(Full::new(Bytes::from_static(
            br#"{"__type":"ResourceNotFoundException","message":"no such bench route"}"#,
        ))),
    };
    Ok(response.expect("a valid response"))
}

/// The server child; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub port: u16,
}

impl ServerProcess {
    pub fn start(data_dir: &Path) -> Result<ServerProcess, String> {
        let exe = std::env::current_exe().map_err(|e| format!("the harness's path: {e}"))?;
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .env(DATA_DIR_ENV, data_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("start the server process: {e}"))?;
        let mut line = String::new();
        let read =
            BufReader::new(child.stdout.as_mut().expect("piped stdout")).read_line(&mut line);
        match (read, line.trim().parse()) {
            (Ok(_), Ok(port)) => Ok(ServerProcess { child, port }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the server process did not print its port (got {line:?})"
                ))
            }
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
