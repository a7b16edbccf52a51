//! Bring-your-own HTTP clients that answer from memory, one per SDK, so that the client's own
//! cost is measured without sockets, a server or scheduler wake-ups. Both hand out the same
//! `Bytes` (a reference-count increment, no copy) from [`Bodies::answer`].

use std::sync::Arc;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use awsgen_runtime::http::{HttpError, HttpErrorKind, HttpFuture};
use bytes::Bytes;

use crate::data::{Bodies, RESPONSE_HEADERS};

/// The path and query of an absolute or origin-form URI.
fn path_and_query(uri: &str) -> &str {
    match uri.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => uri,
    }
}

/// For awsgen: `awsgen_runtime::http::HttpClient`.
#[derive(Clone)]
pub struct OursMemoryClient(pub Arc<Bodies>);

impl std::fmt::Debug for OursMemoryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OursMemoryClient")
    }
}

impl awsgen_runtime::http::HttpClient for OursMemoryClient {
    fn call(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        let target = request
            .headers()
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok());
        let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let answer = self.0.answer(request.method().as_str(), path, target);
        Box::pin(async move {
            let body = answer.ok_or_else(|| {
                HttpError::new(HttpErrorKind::Other, "no canned body for this request")
            })?;
            let mut response = http::Response::builder().status(200);
            for (name, value) in RESPONSE_HEADERS {
                response = response.header(name, value);
            }
            response
                .body(body)
                .map_err(|e| HttpError::new(HttpErrorKind::Other, e.to_string()))
        })
    }
}

/// For aws-sdk-rust: an `HttpClient` handing out one connector that answers from memory (built
/// once, as the trait asks clients to cache their connectors).
#[derive(Clone, Debug)]
pub struct PeerMemoryClient(SharedHttpConnector);

impl PeerMemoryClient {
    pub fn new(bodies: Arc<Bodies>) -> Self {
        PeerMemoryClient(SharedHttpConnector::new(PeerMemoryConnector(bodies)))
    }
}

struct PeerMemoryConnector(Arc<Bodies>);

impl std::fmt::Debug for PeerMemoryConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PeerMemoryConnector")
    }
}

impl HttpConnector for PeerMemoryConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request.headers().get("x-amz-target");
        let answer = self
            .0
            .answer(request.method(), path_and_query(request.uri()), target);
        let Some(body) = answer else {
            return HttpConnectorFuture::ready(Err(
                aws_smithy_runtime_api::client::result::ConnectorError::other(
                    "no canned body for this request".into(),
                    None,
                ),
            ));
        };
        let mut response = HttpResponse::new(
            StatusCode::try_from(200).expect("200 is a status code"),
            SdkBody::from(body),
        );
        for (name, value) in RESPONSE_HEADERS {
            response.headers_mut().insert(name, value);
        }
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for PeerMemoryClient {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.clone()
    }
}
