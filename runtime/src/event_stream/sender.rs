//! The input side: typed events are marshalled and validated in the caller's task, queued in a
//! bounded channel, and signed and framed as the HTTP/2 body is polled (so each signature's
//! `:date` is the time it is sent, and the chain follows the order on the wire).

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::Frame;
use tokio::sync::mpsc;

use super::frame::{FrameError, Message};
use super::sign::MessageSigner;
use crate::error::ValidationError;
use crate::http::BoxError;

/// How many messages the input queue holds before [`EventSender::send`] waits: the queue is
/// small because HTTP/2 flow control holds more, and an unbounded one would hide a service
/// that stopped reading.
pub const INPUT_BUFFER: usize = 8;

/// Why an event was not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum SendError {
    /// The event failed validation (a required member unset, an `Unknown` variant, ...).
    Invalid(ValidationError),
    /// The event cannot be framed (a header value over 65535 bytes, a message over 16 MiB).
    Encoding(FrameError),
    /// The stream is closed: the connection ended or the output ended with an error. The
    /// [`EventReceiver`](super::EventReceiver) reports why.
    Closed,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Invalid(e) => write!(f, "{e}"),
            SendError::Encoding(e) => write!(f, "cannot frame the event: {e}"),
            SendError::Closed => f.write_str(
                "the event stream is closed (the connection ended or the output ended with an \
                 error; the output stream says why)",
            ),
        }
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SendError::Invalid(e) => Some(e),
            SendError::Encoding(e) => Some(e),
            SendError::Closed => None,
        }
    }
}

/// The untyped input of an open stream: messages in, signed frames out on the body.
#[derive(Debug, Clone)]
pub struct MessageSender {
    tx: mpsc::Sender<Message>,
    output_failed: Arc<AtomicBool>,
}

impl MessageSender {
    /// Queues `message`, waiting while the queue is full.
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        if self.is_closed() {
            return Err(SendError::Closed);
        }
        self.tx.send(message).await.map_err(|_| SendError::Closed)
    }

    /// Queues `message` into a fresh (empty) queue, before the caller has the sender.
    pub(crate) fn try_queue(&self, message: Message) {
        // A fresh queue always has room for one message.
        let _ = self.tx.try_send(message);
    }

    /// The connection ended, or the output ended with an error.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed() || self.output_failed.load(Ordering::SeqCst)
    }
}

/// Sends the events of an input stream. Cheap to clone; the input ends (with the final signed
/// empty frame) when every clone is dropped or [closed](Self::close).
pub struct EventSender<T> {
    operation: &'static str,
    raw: MessageSender,
    marshal: fn(&T) -> Result<Message, ValidationError>,
}

impl<T> Clone for EventSender<T> {
    fn clone(&self) -> Self {
        EventSender {
            operation: self.operation,
            raw: self.raw.clone(),
            marshal: self.marshal,
        }
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSender")
            .field("operation", &self.operation)
            .field("closed", &self.raw.is_closed())
            .finish()
    }
}

impl<T> EventSender<T> {
    /// A sender of `operation`'s input events, marshalled by `marshal` (generated code).
    pub fn new(
        operation: &'static str,
        raw: MessageSender,
        marshal: fn(&T) -> Result<Message, ValidationError>,
    ) -> Self {
        EventSender {
            operation,
            raw,
            marshal,
        }
    }

    /// Validates and sends `event`, waiting while the input queue is full (backpressure).
    pub async fn send(&self, event: T) -> Result<(), SendError> {
        let message = (self.marshal)(&event).map_err(SendError::Invalid)?;
        message.encode().map_err(SendError::Encoding)?;
        self.raw.send(message).await
    }

    /// Ends the input (as dropping does): once every clone is gone, the final signed empty
    /// frame is sent and the request body ends.
    pub fn close(self) {}

    /// Whether the stream is closed (the connection ended); `send` then fails.
    pub fn is_closed(&self) -> bool {
        self.raw.is_closed()
    }

    /// The operation, e.g. `Chat`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

/// A problem signing or framing an outgoing message, kept for the receiver to report (the
/// HTTP/2 stream is reset, and the reset alone would not say why).
pub(crate) type InputFailure = Arc<Mutex<Option<String>>>;

pub(crate) fn channel(
    signer: MessageSigner,
    failure: InputFailure,
    output_failed: Arc<AtomicBool>,
) -> (MessageSender, EventStreamBody) {
    let (tx, rx) = mpsc::channel(INPUT_BUFFER);
    (
        MessageSender { tx, output_failed },
        EventStreamBody {
            rx,
            signer,
            ended: false,
            failure,
        },
    )
}

/// The HTTP body of an input stream: each queued message signed and framed when polled; the
/// signed empty frame once the channel closes.
pub(crate) struct EventStreamBody {
    rx: mpsc::Receiver<Message>,
    signer: MessageSigner,
    ended: bool,
    failure: InputFailure,
}

impl EventStreamBody {
    fn frame(&mut self, signed: Result<Message, String>) -> Result<Bytes, BoxError> {
        let framed = signed.and_then(|m| {
            let mut out = BytesMut::new();
            m.encode_into(&mut out).map_err(|e| e.to_string())?;
            Ok(out.freeze())
        });
        framed.map_err(|message| {
            if let Ok(mut slot) = self.failure.lock() {
                slot.get_or_insert_with(|| message.clone());
            }
            self.ended = true;
            message.into()
        })
    }
}

impl http_body::Body for EventStreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match this.rx.poll_recv(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(message)) => {
                let signed = this.signer.sign(&message).map_err(|e| e.to_string());
                Poll::Ready(Some(this.frame(signed).map(Frame::data)))
            }
            Poll::Ready(None) => {
                let signed = this.signer.sign_end().map_err(|e| e.to_string());
                let frame = this.frame(signed).map(Frame::data);
                this.ended = true;
                Poll::Ready(Some(frame))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}
