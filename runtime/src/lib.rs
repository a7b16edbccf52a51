//! Runtime shared by every crate that `awsgen-generator` emits.
//!
//! Everything that is the same for every shape and every operation lives here once, so that
//! generated crates stay small and cheap to compile: value types for timestamps, blobs and
//! documents, and (as the client grows) configuration, signing, endpoints and the HTTP pipeline.

#![warn(missing_docs)]

mod blob;
mod datetime;
pub mod endpoint;
mod unknown;

pub use blob::Blob;
pub use datetime::{DateTime, DateTimeError};
pub use unknown::{Redacted, UnknownValue};

/// An open JSON value, for members the model types as `document`.
///
/// botocore hands documents to the caller as plain JSON values; `serde_json::Value` is that type
/// in Rust and keeps integers and floats apart.
pub type Document = serde_json::Value;
