//! The output side: the response head (the initial output, or an error response), then frames
//! decoded as they arrive into typed events, exceptions into the operation's error.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Bytes, BytesMut};
use http_body::Body;

use super::call::RawResponse;
use super::frame::{FrameError, MAX_MESSAGE_LEN, Message, MessageDecoder};
use crate::HttpResponse;
use crate::error::{SdkError, UnhandledError};
use crate::http::{HttpError, HttpErrorKind, StreamingBody};
use crate::protocol;
use crate::response::ErrorResponse;

/// What generated code supplies to type an operation's output stream; plain function pointers,
/// so the receiver is compiled once per operation and not once per event type.
pub struct OutputSpec<T, O, E> {
    /// Reads the initial output from a successful response (its headers; or, with
    /// [`initial_response_event`](Self::initial_response_event), the `initial-response`
    /// event's payload as the body), or an error response into the operation's error.
    pub initial: fn(HttpResponse) -> Result<O, SdkError<E>>,
    /// Classifies an exception (code, message and payload) into the operation's error.
    pub error: fn(&ErrorResponse<'_>) -> SdkError<E>,
    /// Reads one `event` message; `Ok(None)` for an event type this SDK does not know.
    pub event: fn(&Message) -> Result<Option<T>, String>,
    /// The initial output arrives as a first `initial-response` event (the `json` protocol)
    /// rather than in the response's headers (`rest-json`).
    pub initial_response_event: bool,
}

impl<T, O, E> Clone for OutputSpec<T, O, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, O, E> Copy for OutputSpec<T, O, E> {}

/// For operations with an input stream but no output stream: every event is skipped.
pub fn no_events(_: &Message) -> Result<Option<()>, String> {
    Ok(None)
}

enum State {
    Head(tokio::sync::oneshot::Receiver<Result<http::Response<StreamingBody>, HttpError>>),
    ErrorBody {
        head: http::response::Parts,
        body: StreamingBody,
        collected: BytesMut,
    },
    Streaming(StreamingBody),
    Done,
}

/// Receives the events of an output stream; a `futures_core::Stream` of
/// `Result<T, SdkError<E>>`, or call [`recv`](Self::recv).
///
/// The first error ends the stream: an error response, an exception or error message, a
/// malformed frame, or the connection breaking. Unknown event types are skipped.
pub struct EventReceiver<T, O, E> {
    state: State,
    decoder: MessageDecoder,
    spec: OutputSpec<T, O, E>,
    raw: RawResponse,
    status: u16,
    headers: http::HeaderMap,
    request_id: Option<String>,
    initial: Option<O>,
    /// A message read while waiting for the initial response, not yet returned.
    pending: Option<Message>,
}

impl<T, O, E> Unpin for EventReceiver<T, O, E> {}

impl<T, O, E> fmt::Debug for EventReceiver<T, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Head(_) => "waiting for the response",
            State::ErrorBody { .. } => "reading an error response",
            State::Streaming(_) => "streaming",
            State::Done => "ended",
        };
        f.debug_struct("EventReceiver")
            .field("operation", &self.raw.operation)
            .field("state", &state)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl<T, O, E> EventReceiver<T, O, E> {
    /// The receiver of `raw`, typed by `spec` (generated code).
    pub fn new(raw: RawResponse, spec: OutputSpec<T, O, E>) -> Self {
        let RawResponse {
            head,
            input_failure,
            output_failed,
            service,
            operation,
        } = raw;
        let (_, dummy) = tokio::sync::oneshot::channel();
        EventReceiver {
            state: State::Head(head),
            decoder: MessageDecoder::new(),
            spec,
            raw: RawResponse {
                head: dummy,
                input_failure,
                output_failed,
                service,
                operation,
            },
            status: 200,
            headers: http::HeaderMap::new(),
            request_id: None,
            initial: None,
            pending: None,
        }
    }

    /// The next event; `Ok(None)` once the stream has ended (after an error, too).
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<E>> {
        poll_fn(|cx| self.poll_recv(cx)).await.transpose()
    }

    /// The operation's initial output: the members the response carries besides the stream
    /// (waits for the response head, or for the `initial-response` event).
    pub async fn initial_response(&mut self) -> Result<O, SdkError<E>>
    where
        O: Clone,
    {
        poll_fn(|cx| self.poll_initial(cx)).await?;
        match &self.initial {
            Some(initial) => Ok(initial.clone()),
            None => Err(self.fail("the stream ended before its initial response")),
        }
    }

    /// The request id of the response, once its head has arrived.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Polls for the next event (what `Stream::poll_next` does).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<E>>>> {
        loop {
            let message = match self.pending.take() {
                Some(message) => message,
                None => match ready!(self.poll_message(cx)) {
                    Ok(Some(message)) => message,
                    Ok(None) => return Poll::Ready(None),
                    Err(e) => return Poll::Ready(Some(Err(e))),
                },
            };
            match self.handle(message) {
                Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                Ok(None) => continue,
                Err(e) => {
                    self.end_with_error();
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn poll_initial(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), SdkError<E>>> {
        while self.initial.is_none() {
            if self.spec.initial_response_event && !matches!(self.state, State::Head(_)) {
                match ready!(self.poll_message(cx)) {
                    Ok(Some(message)) => {
                        if message.header_str(":message-type") == Some("event")
                            && message.header_str(":event-type") == Some("initial-response")
                        {
                            self.read_initial(message.payload.clone())?;
                        } else {
                            self.read_initial(Bytes::new())?;
                            self.pending = Some(message);
                        }
                    }
                    Ok(None) => return Poll::Ready(Ok(())),
                    Err(e) => return Poll::Ready(Err(e)),
                }
            } else {
                match ready!(self.poll_head(cx)) {
                    Ok(()) if matches!(self.state, State::Done) => return Poll::Ready(Ok(())),
                    Ok(()) => {}
                    Err(e) => return Poll::Ready(Err(e)),
                }
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Parses the initial output from `body` (the `initial-response` payload, or empty).
    fn read_initial(&mut self, body: Bytes) -> Result<(), SdkError<E>> {
        let mut response = http::Response::new(body);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::OK);
        *response.headers_mut() = self.headers.clone();
        match (self.spec.initial)(response) {
            Ok(initial) => {
                self.initial = Some(initial);
                Ok(())
            }
            Err(e) => {
                self.end_with_error();
                Err(e)
            }
        }
    }

    /// Drives the response until its head is read (and, for an error response, its body).
    fn poll_head(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), SdkError<E>>> {
        loop {
            match &mut self.state {
                State::Head(head) => {
                    let result = ready!(Pin::new(head).poll(cx));
                    let response = match result {
                        Ok(Ok(response)) => response,
                        Ok(Err(e)) => return Poll::Ready(Err(self.dispatch(e))),
                        Err(_) => {
                            let lost = self.raw.lost();
                            return Poll::Ready(Err(self.dispatch(lost)));
                        }
                    };
                    let (head, body) = response.into_parts();
                    self.status = head.status.as_u16();
                    self.headers = head.headers.clone();
                    self.request_id = protocol::request_id(&head.headers);
                    if head.status.is_success() {
                        self.state = State::Streaming(body);
                        if !self.spec.initial_response_event {
                            self.read_initial(Bytes::new())?;
                        }
                        return Poll::Ready(Ok(()));
                    }
                    self.state = State::ErrorBody {
                        head,
                        body,
                        collected: BytesMut::new(),
                    };
                }
                State::ErrorBody {
                    head,
                    body,
                    collected,
                } => {
                    match ready!(Pin::new(body).poll_frame(cx)) {
                        Some(Ok(frame)) => {
                            if let Ok(data) = frame.into_data()
                                && collected.len() < MAX_MESSAGE_LEN
                            {
                                collected.extend_from_slice(&data);
                            }
                            continue;
                        }
                        Some(Err(e)) => {
                            let error = HttpError::new(
                                HttpErrorKind::Io,
                                format!("reading the error response failed: {e}"),
                            );
                            return Poll::Ready(Err(self.dispatch(error)));
                        }
                        None => {}
                    }
                    let mut response = http::Response::new(std::mem::take(collected).freeze());
                    *response.status_mut() = head.status;
                    *response.headers_mut() = std::mem::take(&mut head.headers);
                    self.end_with_error();
                    let error = match (self.spec.initial)(response) {
                        Err(e) => e,
                        Ok(_) => SdkError::response(
                            "the service answered with an error status",
                            self.status,
                            self.request_id.clone(),
                        ),
                    };
                    return Poll::Ready(Err(error));
                }
                State::Streaming(_) | State::Done => return Poll::Ready(Ok(())),
            }
        }
    }

    /// The next message off the wire; `Ok(None)` at a clean end of the stream.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Message>, SdkError<E>>> {
        ready!(self.poll_head(cx))?;
        loop {
            match self.decoder.next_message() {
                Ok(Some(message)) => return Poll::Ready(Ok(Some(message))),
                Ok(None) => {}
                Err(e) => return Poll::Ready(Err(self.malformed(&e))),
            }
            let State::Streaming(body) = &mut self.state else {
                return Poll::Ready(Ok(None));
            };
            match ready!(Pin::new(body).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        self.decoder.push(&data);
                    }
                }
                Some(Err(e)) => {
                    let error = HttpError::new(
                        HttpErrorKind::Io,
                        format!(
                            "the {} event stream broke: {}",
                            self.raw.operation,
                            crate::http::chain(&*e)
                        ),
                    );
                    return Poll::Ready(Err(self.dispatch(error)));
                }
                None => {
                    self.state = State::Done;
                    return Poll::Ready(match self.decoder.finish() {
                        Ok(()) => Ok(None),
                        Err(e) => Err(self.malformed(&e)),
                    });
                }
            }
        }
    }

    /// One message: an event (or `None` to skip it), or the error it carries.
    fn handle(&mut self, message: Message) -> Result<Option<T>, SdkError<E>> {
        match message.header_str(":message-type") {
            Some("event") => {
                let Some(event_type) = message.header_str(":event-type") else {
                    return Err(self.fail("an event message has no :event-type header"));
                };
                if event_type == "initial-response" {
                    if self.spec.initial_response_event && self.initial.is_none() {
                        self.read_initial(message.payload.clone())?;
                    }
                    return Ok(None);
                }
                if self.spec.initial_response_event && self.initial.is_none() {
                    self.read_initial(Bytes::new())?;
                }
                (self.spec.event)(&message)
                    .map_err(|e| self.fail(&format!("cannot read the {event_type:?} event: {e}")))
            }
            Some("exception") => {
                let code = message
                    .header_str(":exception-type")
                    .unwrap_or("UnknownException")
                    .to_owned();
                let text = protocol::error_message(&message.payload).unwrap_or_default();
                Err(self.service_error(code, text, message.payload))
            }
            Some("error") => {
                let code = message
                    .header_str(":error-code")
                    .unwrap_or("UnknownError")
                    .to_owned();
                let text = message
                    .header_str(":error-message")
                    .unwrap_or_default()
                    .to_owned();
                Err(self.service_error(code, text, Bytes::new()))
            }
            Some(other) => Err(self.fail(&format!("unknown :message-type {other:?}"))),
            None => Err(self.fail("a message has no :message-type header")),
        }
    }

    fn service_error(&mut self, code: String, message: String, payload: Bytes) -> SdkError<E> {
        self.end_with_error();
        let mut response = http::Response::new(payload);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::OK);
        let unhandled = UnhandledError::new(code, message, self.status, self.request_id.clone());
        (self.spec.error)(&ErrorResponse::from_parts(
            self.raw.service,
            &response,
            unhandled,
        ))
    }

    /// The stream ends with an error: the input is closed too (`send` then fails), since the
    /// service will not read it any more.
    fn end_with_error(&mut self) {
        self.state = State::Done;
        self.raw
            .output_failed
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn fail(&mut self, message: &str) -> SdkError<E> {
        self.end_with_error();
        SdkError::response(
            format!("malformed {} event stream: {message}", self.raw.operation),
            self.status,
            self.request_id.clone(),
        )
    }

    fn malformed(&mut self, error: &FrameError) -> SdkError<E> {
        self.fail(&error.to_string())
    }

    fn dispatch(&mut self, mut error: HttpError) -> SdkError<E> {
        self.end_with_error();
        let input = self
            .raw
            .input_failure
            .lock()
            .ok()
            .and_then(|slot| slot.clone());
        if let Some(input) = input {
            error = HttpError::new(
                error.kind(),
                format!("{} (the input failed: {input})", error.message()),
            );
        }
        SdkError::Dispatch(error)
    }
}

impl<T, O, E> futures_core::Stream for EventReceiver<T, O, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}
