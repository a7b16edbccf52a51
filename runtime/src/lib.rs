//! Runtime shared by every crate that `awsgen-generator` emits.
//!
//! Everything that is the same for every shape and every operation lives here once, so that
//! generated crates stay small and cheap to compile: value types for timestamps, blobs and
//! documents, and (as the client grows) configuration, signing, endpoints and the HTTP pipeline.

#![warn(missing_docs)]

mod blob;
pub mod client;
pub mod config;
pub mod credentials;
mod datetime;
pub mod discovery;
pub mod endpoint;
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
pub mod http;
pub mod json;
pub mod paginator;
pub mod protocol;
pub mod request;
pub mod response;
pub mod retry;
pub mod sign;
pub mod token;
mod unknown;
pub mod validate;

pub use blob::Blob;
pub use client::{OperationRequest, ServiceClient, ServiceMeta};
pub use config::{Config, ConfigBuilder, EnvSource, TimeoutConfig};
pub use credentials::{Credentials, ProvideCredentials};
pub use datetime::{DateTime, DateTimeError};
pub use error::{SdkError, ServiceError, UnhandledError, ValidationError};
pub use protocol::Protocol;
pub use retry::RetryConfig;
pub use token::{ProvideToken, Token};
pub use unknown::{Redacted, UnknownValue};

/// The HTTP method type, for generated request builders.
pub use ::http::Method;

/// An HTTP response with its whole body, as operations receive it.
pub type HttpResponse = ::http::Response<bytes::Bytes>;

/// An open JSON value, for members the model types as `document`.
///
/// botocore hands documents to the caller as plain JSON values; `serde_json::Value` is that type
/// in Rust and keeps integers and floats apart.
pub type Document = serde_json::Value;
