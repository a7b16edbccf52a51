//! Opening an event stream: the pipeline of [`ServiceClient::send`] for one attempt, with the
//! request body streaming and the response handed over as soon as its head arrives.

use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderValue, Method};
use http_body_util::BodyExt;
use tokio::sync::oneshot;

use super::sender::{self, InputFailure, MessageSender};
use super::sign::MessageSigner;
use crate::client::{NO_CREDENTIALS_PROVIDER, OperationRequest, ServiceClient};
use crate::error::SdkError;
use crate::http::{HttpError, HttpErrorKind, StreamingBody};
use crate::protocol::Protocol;
use crate::sign::{self, SigningParams};

/// An event-stream operation's request.
#[derive(Clone, Debug)]
pub struct EventStreamRequest {
    /// The serialized request; its body is ignored when [`input_stream`](Self::input_stream)
    /// is set (the events are the body).
    pub request: OperationRequest,
    /// The input has an event stream: the body is `application/vnd.amazon.eventstream`, signed
    /// message by message.
    pub input_stream: bool,
    /// The service requires HTTP/2 for event streams (`protocolSettings.h2 = eventstream`).
    pub http2: bool,
}

/// An open event stream before generated code types it: the input's message sender (closed
/// when the operation has no input stream) and the pending response.
#[derive(Debug)]
pub struct RawEventStream {
    /// Sends input messages.
    pub input: MessageSender,
    /// The response.
    pub output: RawResponse,
}

/// The response of an event-stream call, arriving: its head, then its body.
pub struct RawResponse {
    pub(crate) head: oneshot::Receiver<Result<http::Response<StreamingBody>, HttpError>>,
    pub(crate) input_failure: InputFailure,
    /// Set when the output ended with an error; the input's senders then refuse events.
    pub(crate) output_failed: Arc<AtomicBool>,
    /// The service, whose exceptions an error event may name.
    pub(crate) service: &'static crate::client::ServiceMeta,
    pub(crate) operation: &'static str,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl ServiceClient {
    /// Opens an event stream: resolves the endpoint, gets credentials, signs the request (for
    /// an input stream with the payload hash `STREAMING-AWS4-HMAC-SHA256-EVENTS`, its signature
    /// seeding the messages' chain), and starts sending it on a task of its own.
    ///
    /// Returns without waiting for the response: a service may wait for the first events
    /// before it answers, so the caller must be able to send them first. The response (or the
    /// failure to get one) arrives through [`RawEventStream::output`].
    pub async fn open_event_stream(
        &self,
        request: EventStreamRequest,
    ) -> Result<RawEventStream, SdkError<Infallible>> {
        let config = self.config();
        let meta = self.meta();
        let operation = request.request.operation;
        let endpoint = self.resolve_endpoint_with(&request.request.endpoint_params)?;
        let region = config.region().unwrap_or_default();
        let uri = crate::client::join_url(&endpoint.url, &request.request.path_and_query)
            .map_err(SdkError::Config)?;
        let (signing_region, signing_name, double_uri_encode) =
            crate::client::signing_scheme(&endpoint, region, meta.signing_name)
                .map_err(SdkError::Config)?;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| SdkError::Config(NO_CREDENTIALS_PROVIDER.to_owned()))?;
        let http = config
            .http_client()
            .map_err(|e| SdkError::Config(format!("cannot create the HTTP client: {e}")))?;
        let mut headers = self.request_headers(&request.request, &endpoint, &uri)?;
        headers.insert(
            http::HeaderName::from_static("amz-sdk-request"),
            HeaderValue::from_static("attempt=1; max=1"),
        );
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(|e| SdkError::Config(e.to_string()))?;
        let params = SigningParams {
            region: &signing_region,
            signing_name: &signing_name,
            time: SystemTime::now(),
            double_uri_encode,
        };
        let version = if request.http2 {
            http::Version::HTTP_2
        } else {
            http::Version::HTTP_11
        };
        let input_failure: InputFailure = Arc::new(Mutex::new(None));
        let output_failed = Arc::new(AtomicBool::new(false));
        let (input, body) = if request.input_stream {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(super::CONTENT_TYPE),
            );
            let mut head = http::Request::new(());
            *head.method_mut() = request.request.method.clone();
            *head.uri_mut() = uri.clone();
            *head.headers_mut() = headers;
            let seed = sign::sign_event_stream_request(&mut head, &credentials, &params)
                .map_err(|e| SdkError::Config(e.to_string()))?;
            let signer = MessageSigner::new(&credentials, &signing_region, &signing_name, &seed);
            let (sender, body) =
                sender::channel(signer, input_failure.clone(), output_failed.clone());
            if matches!(meta.protocol, Protocol::AwsJson { .. }) {
                // The `json` protocol sends the input's other members as a first
                // `initial-request` event (rest-json binds them to the URI, query and headers).
                let mut initial = super::Message::event("initial-request");
                let content_type = request
                    .request
                    .headers
                    .iter()
                    .find(|(name, _)| name == http::header::CONTENT_TYPE)
                    .and_then(|(_, value)| value.to_str().ok())
                    .unwrap_or("application/json")
                    .to_owned();
                initial.set_payload(request.request.body.clone(), &content_type);
                sender.try_queue(initial);
            }
            let (parts, ()) = head.into_parts();
            let request = http::Request::from_parts(parts, body.boxed_unsync());
            (sender, request)
        } else {
            let mut whole = http::Request::new(request.request.body.clone());
            *whole.method_mut() = request.request.method.clone();
            *whole.uri_mut() = uri.clone();
            *whole.headers_mut() = headers;
            sign::sign(&mut whole, &credentials, &params)
                .map_err(|e| SdkError::Config(e.to_string()))?;
            if request.request.method != Method::GET {
                let length = HeaderValue::from(whole.body().len());
                whole
                    .headers_mut()
                    .insert(http::header::CONTENT_LENGTH, length);
            }
            let (closed, _) = sender::channel(
                MessageSigner::new(&credentials, &signing_region, &signing_name, ""),
                input_failure.clone(),
                output_failed.clone(),
            );
            let request = whole.map(|bytes: Bytes| {
                http_body_util::Full::new(bytes)
                    .map_err(|never| match never {})
                    .boxed_unsync()
            });
            (closed, request)
        };
        let mut body = body;
        *body.version_mut() = version;
        let (tx, head) = oneshot::channel();
        tokio::spawn(async move {
            let result = http.call_streaming(body).await;
            // The receiver may be gone (the caller dropped the stream): nothing to report to.
            let _ = tx.send(result);
        });
        Ok(RawEventStream {
            input,
            output: RawResponse {
                head,
                input_failure,
                output_failed,
                service: meta,
                operation,
            },
        })
    }
}

impl RawResponse {
    /// The error for a head that never came.
    pub(crate) fn lost(&self) -> HttpError {
        HttpError::new(
            HttpErrorKind::Io,
            format!(
                "the {} event stream's request task ended without a response",
                self.operation
            ),
        )
    }
}
