//! Event streams (`application/vnd.amazon.eventstream`): operations whose input or output
//! member targets an `eventstream` union, such as QBusiness `Chat`.
//!
//! Everything the same for every such operation is here, once:
//!
//! * [`frame`]: the binary framing (prelude, typed headers, payload, CRC32s) and an incremental
//!   decoder that never panics and never waits on a corrupt length;
//! * [`MessageSigner`]: SigV4 event-stream signing, each message chained to the previous
//!   signature and the first to the HTTP request's seed signature, with the final empty
//!   signed frame;
//! * [`ServiceClient::open_event_stream`](crate::ServiceClient::open_event_stream): endpoint,
//!   credentials, the request signed with the payload hash
//!   `STREAMING-AWS4-HMAC-SHA256-EVENTS`, sent over HTTP/2 (when the service says
//!   `protocolSettings.h2 = eventstream`) with the body streaming while the response streams;
//!   for the `json` protocol the input's other members go first, as an `initial-request` event
//!   (and the output's come back in an `initial-response` event);
//! * [`EventSender`]: the input side, a bounded channel (backpressure: `send` waits while
//!   [`INPUT_BUFFER`] messages are queued and the connection's flow control holds them);
//!   dropping or [closing](EventSender::close) every sender ends the input with the signed
//!   empty frame;
//! * [`EventReceiver`]: the output side, a `futures_core::Stream` with an inherent
//!   [`recv`](EventReceiver::recv): typed events; `exception` messages become the operation's
//!   error type, `error` messages its `Unhandled` error; unknown event types are skipped, as
//!   botocore skips them.
//!
//! Generated code adds, per operation, a marshaller (event → [`Message`]) for the input union
//! and an unmarshaller for the output union; see [`OutputSpec`].
//!
//! Event-stream calls are not retried: events once sent cannot be taken back. They have the
//! connect timeout and the response-head timeout (connect + read) of
//! [`TimeoutConfig`](crate::TimeoutConfig), but no read timeout while the stream is open (a
//! conversation may be idle for a long time); the per-operation and per-attempt timeouts do not
//! apply.

mod call;
pub mod frame;
mod receiver;
mod sender;
mod sign;

pub use call::{EventStreamRequest, RawEventStream, RawResponse};
pub use frame::{FrameError, FrameErrorKind, Header, HeaderValue, Message, MessageDecoder};
pub use receiver::{EventReceiver, OutputSpec, no_events};
pub use sender::{EventSender, INPUT_BUFFER, MessageSender, SendError};
pub use sign::MessageSigner;

/// The content type of an event-stream request body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";
