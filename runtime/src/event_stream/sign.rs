//! SigV4 event-stream signing: every outgoing message is wrapped in a message whose payload is
//! the encoded original and whose headers are `:date` and `:chunk-signature`, the signature
//! chaining on the previous one (the first on the HTTP request's seed signature). The end of the
//! input is an empty wrapper, signed the same way.
//!
//! The signature is computed by aws-sigv4's `event_stream` module (feature `sign-eventstream`),
//! the implementation the official SDKs use; it takes aws-smithy-types' `Message`, so messages
//! are converted at this boundary. That brings in `aws-smithy-eventstream` (small: it needs only
//! aws-smithy-types, which aws-sigv4 already builds, and crc32fast); correctness of the chain is
//! worth more than the few seconds it compiles in.

use std::time::SystemTime;

use aws_smithy_types::event_stream as smithy;

use super::frame::{Header, HeaderValue, Message};
use crate::credentials::Credentials;
use crate::sign::SignError;

/// Signs the messages of one event stream, in order.
#[derive(Debug)]
pub struct MessageSigner {
    identity: aws_smithy_runtime_api::client::identity::Identity,
    region: String,
    signing_name: String,
    last_signature: String,
    /// For tests: a fixed signing time.
    fixed_time: Option<SystemTime>,
}

impl MessageSigner {
    /// A signer chained to `seed_signature`, the signature of the HTTP request that opened the
    /// stream, with the same credentials, region and signing name.
    pub fn new(
        credentials: &Credentials,
        region: &str,
        signing_name: &str,
        seed_signature: &str,
    ) -> Self {
        MessageSigner {
            identity: aws_credential_types::Credentials::new(
                credentials.access_key_id.clone(),
                credentials.secret_access_key.clone(),
                credentials.session_token.clone(),
                credentials.expiry,
                "awsgen",
            )
            .into(),
            region: region.to_owned(),
            signing_name: signing_name.to_owned(),
            last_signature: seed_signature.to_owned(),
            fixed_time: None,
        }
    }

    /// Signs every message at `time` instead of the current time (for tests).
    pub fn with_fixed_time(mut self, time: SystemTime) -> Self {
        self.fixed_time = Some(time);
        self
    }

    /// The signature of the last message signed (the seed before the first).
    pub fn last_signature(&self) -> &str {
        &self.last_signature
    }

    /// Wraps and signs `message`, the next message of the stream.
    pub fn sign(&mut self, message: &Message) -> Result<Message, SignError> {
        // Checks the limits first: aws-smithy-eventstream's encoder unwraps.
        message
            .encode()
            .map_err(|e| SignError::event(format!("cannot encode the event: {e}")))?;
        let converted = to_smithy(message);
        self.finish(|params, last| aws_sigv4::event_stream::sign_message(&converted, last, params))
    }

    /// The signed empty message that ends the input.
    pub fn sign_end(&mut self) -> Result<Message, SignError> {
        self.finish(|params, last| aws_sigv4::event_stream::sign_empty_message(last, params))
    }

    fn finish(
        &mut self,
        sign: impl FnOnce(
            &aws_sigv4::event_stream::SigningParams<'_>,
            &str,
        ) -> Result<
            aws_sigv4::SigningOutput<smithy::Message>,
            aws_sigv4::http_request::SigningError,
        >,
    ) -> Result<Message, SignError> {
        let time = self.fixed_time.unwrap_or_else(SystemTime::now);
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.signing_name)
            .time(time)
            .settings(())
            .build()
            .map_err(|e| SignError::event(e.to_string()))?;
        let (signed, signature) = sign(&params, &self.last_signature)
            .map_err(|e| SignError::event(e.to_string()))?
            .into_parts();
        self.last_signature = signature;
        from_smithy(&signed)
    }
}

fn to_smithy(message: &Message) -> smithy::Message {
    let headers = message
        .headers
        .iter()
        .map(|h| {
            let value = match &h.value {
                HeaderValue::Bool(v) => smithy::HeaderValue::Bool(*v),
                HeaderValue::Byte(v) => smithy::HeaderValue::Byte(*v),
                HeaderValue::Int16(v) => smithy::HeaderValue::Int16(*v),
                HeaderValue::Int32(v) => smithy::HeaderValue::Int32(*v),
                HeaderValue::Int64(v) => smithy::HeaderValue::Int64(*v),
                HeaderValue::ByteArray(v) => smithy::HeaderValue::ByteArray(v.clone()),
                HeaderValue::String(v) => smithy::HeaderValue::String(v.clone().into()),
                HeaderValue::Timestamp(v) => {
                    smithy::HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(*v))
                }
                HeaderValue::Uuid(v) => smithy::HeaderValue::Uuid(u128::from_be_bytes(*v)),
            };
            smithy::Header::new(h.name.clone(), value)
        })
        .collect();
    smithy::Message::new_from_parts(headers, message.payload.clone())
}

fn from_smithy(message: &smithy::Message) -> Result<Message, SignError> {
    let mut headers = Vec::with_capacity(message.headers().len());
    for header in message.headers() {
        let value = match header.value() {
            smithy::HeaderValue::Bool(v) => HeaderValue::Bool(*v),
            smithy::HeaderValue::Byte(v) => HeaderValue::Byte(*v),
            smithy::HeaderValue::Int16(v) => HeaderValue::Int16(*v),
            smithy::HeaderValue::Int32(v) => HeaderValue::Int32(*v),
            smithy::HeaderValue::Int64(v) => HeaderValue::Int64(*v),
            smithy::HeaderValue::ByteArray(v) => HeaderValue::ByteArray(v.clone()),
            smithy::HeaderValue::String(v) => HeaderValue::String(v.as_str().to_owned()),
            smithy::HeaderValue::Timestamp(v) => HeaderValue::Timestamp(
                v.to_millis()
                    .map_err(|e| SignError::event(format!("signing time: {e}")))?,
            ),
            smithy::HeaderValue::Uuid(v) => HeaderValue::Uuid(v.to_be_bytes()),
            other => {
                return Err(SignError::event(format!(
                    "the signer produced an unexpected header value {other:?}"
                )));
            }
        };
        headers.push(Header {
            name: header.name().as_str().to_owned(),
            value,
        });
    }
    Ok(Message {
        headers,
        payload: message.payload().clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The chain: each signature depends on the previous one, the wrapper carries the encoded
    /// message, and the end frame is empty.
    #[test]
    fn signs_a_chain_and_the_end_frame() {
        let credentials = Credentials::new("AKIDEXAMPLE", "secret", None, None);
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut signer =
            MessageSigner::new(&credentials, "us-east-1", "svc", "seed").with_fixed_time(time);
        let message = Message::event("e");
        let first = signer.sign(&message).unwrap();
        let first_signature = signer.last_signature().to_owned();
        assert_eq!(first.payload, message.encode().unwrap());
        assert_eq!(
            first.header(":date"),
            Some(&HeaderValue::Timestamp(1_700_000_000_000))
        );
        let Some(HeaderValue::ByteArray(bytes)) = first.header(":chunk-signature") else {
            panic!("{first:?}");
        };
        assert_eq!(bytes.len(), 32);
        let second = signer.sign(&message).unwrap();
        assert_ne!(signer.last_signature(), first_signature, "chained");
        assert_eq!(second.payload, first.payload);
        let end = signer.sign_end().unwrap();
        assert!(end.payload.is_empty());
        // Same inputs, same chain.
        let mut again =
            MessageSigner::new(&credentials, "us-east-1", "svc", "seed").with_fixed_time(time);
        assert_eq!(again.sign(&message).unwrap(), first);
    }

    #[test]
    fn oversize_messages_are_errors_not_panics() {
        let credentials = Credentials::new("A", "B", None, None);
        let mut signer = MessageSigner::new(&credentials, "r", "s", "seed");
        let message =
            Message::default().with_header("x", HeaderValue::ByteArray(vec![0; 70_000].into()));
        assert!(signer.sign(&message).is_err());
    }
}
