//! SigV4 request signing with `aws-sigv4`, configured to produce exactly botocore's
//! `SigV4Auth` signature for the JSON protocols:
//!
//! * headers: `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials, and signed), and
//!   `Authorization`; no `X-Amz-Content-SHA256` (botocore sends it only for S3);
//! * every header present when signing is signed except `user-agent`, `expect`,
//!   `transfer-encoding`, `x-amzn-trace-id` (botocore's `SIGNED_HEADERS_BLACKLIST`) and
//!   `authorization`, plus `host`;
//! * the payload hash is the SHA-256 of the body;
//! * the path is normalized and URI-encoded a second time (unless `double_uri_encode` is off,
//!   as for S3).
//!
//! `runtime/tests/sigv4_botocore.rs` checks the `Authorization` header byte for byte against
//! one botocore computed.

use std::fmt;
use std::time::SystemTime;

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
};
use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use crate::credentials::Credentials;

/// What to sign for.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The signing region, e.g. `us-west-2`.
    pub region: &'a str,
    /// The signing name of the service, e.g. `wisdom`.
    pub signing_name: &'a str,
    /// The signing time (`X-Amz-Date`).
    pub time: SystemTime,
    /// Whether the canonical path is URI-encoded a second time (true except for S3).
    pub double_uri_encode: bool,
}

impl<'a> SigningParams<'a> {
    /// Parameters for `region` and `signing_name` at `time`, with double URI encoding.
    pub fn new(region: &'a str, signing_name: &'a str, time: SystemTime) -> Self {
        SigningParams {
            region,
            signing_name,
            time,
            double_uri_encode: true,
        }
    }
}

/// A request that could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignError {
    message: String,
}

impl SignError {
    fn new(message: impl Into<String>) -> Self {
        SignError {
            message: message.into(),
        }
    }

    #[cfg(feature = "event-stream")]
    pub(crate) fn event(message: impl Into<String>) -> Self {
        SignError {
            message: format!("event-stream message: {}", message.into()),
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot sign the request: {}", self.message)
    }
}

impl std::error::Error for SignError {}

const SIGNING_HEADERS: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

/// Signs `request` in place with SigV4: removes any previous signature (so a retried request
/// can be signed again) and adds `X-Amz-Date`, `X-Amz-Security-Token` (with a session token)
/// and `Authorization`. The URI must be absolute (or a `host` header present).
pub fn sign(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<(), SignError> {
    let body = request.body().clone();
    sign_with(
        request,
        credentials,
        params,
        SignableBody::Bytes(&body),
        PayloadChecksumKind::NoHeader,
    )
    .map(drop)
}

/// Signs as [`sign`] but with the payload hash `UNSIGNED-PAYLOAD`, sent (and signed) as
/// `X-Amz-Content-SHA256`: botocore's `payload_signing_enabled = False`.
pub fn sign_unsigned_payload(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<(), SignError> {
    request.headers_mut().remove("x-amz-content-sha256");
    sign_with(
        request,
        credentials,
        params,
        SignableBody::UnsignedPayload,
        PayloadChecksumKind::XAmzSha256,
    )
    .map(drop)
}

/// The payload hash of a request whose body is an event stream: each message is signed on
/// its own, chained to the request's signature.
pub const EVENT_STREAM_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Signs the HTTP request that opens an input event stream: as [`sign`], but with the payload
/// hash [`EVENT_STREAM_PAYLOAD`], sent (and signed) as `X-Amz-Content-SHA256` as the AWS
/// streaming APIs document. Returns the signature, the seed of the messages' signature chain
/// (see [`crate::event_stream::MessageSigner`]).
#[cfg(feature = "event-stream")]
pub fn sign_event_stream_request<B>(
    request: &mut http::Request<B>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<String, SignError> {
    request.headers_mut().remove("x-amz-content-sha256");
    sign_with(
        request,
        credentials,
        params,
        SignableBody::Precomputed(EVENT_STREAM_PAYLOAD.to_owned()),
        PayloadChecksumKind::XAmzSha256,
    )
}

fn sign_with<B>(
    request: &mut http::Request<B>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
    body: SignableBody<'_>,
    checksum: PayloadChecksumKind,
) -> Result<String, SignError> {
    for name in SIGNING_HEADERS {
        request.headers_mut().remove(name);
    }
    if request.uri().authority().is_none() {
        return Err(SignError::new(format!(
            "the request URI {:?} is not absolute",
            request.uri().to_string()
        )));
    }
    let (new_headers, signature): (Vec<(&'static str, String)>, String) = {
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| {
                SignError::new(format!(
                    "header {name} has a value that is not visible ASCII"
                ))
            })?;
            headers.push((name.as_str(), value));
        }
        let uri = request.uri().to_string();
        let signable =
            SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), body)
                .map_err(|e| SignError::new(e.to_string()))?;

        let identity = aws_credential_types::Credentials::new(
            credentials.access_key_id.clone(),
            credentials.secret_access_key.clone(),
            credentials.session_token.clone(),
            credentials.expiry,
            "awsgen",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.payload_checksum_kind = checksum;
        settings.percent_encoding_mode = if params.double_uri_encode {
            PercentEncodingMode::Double
        } else {
            PercentEncodingMode::Single
        };
        settings.excluded_headers = Some(
            [
                "authorization",
                "user-agent",
                "x-amzn-trace-id",
                "transfer-encoding",
                "expect",
            ]
            .into_iter()
            .map(Into::into)
            .collect(),
        );
        let v4 = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(params.region)
            .name(params.signing_name)
            .time(params.time)
            .settings(settings)
            .build()
            .map_err(|e| SignError::new(e.to_string()))?
            .into();
        let (instructions, signature) = aws_sigv4::http_request::sign(signable, &v4)
            .map_err(|e| SignError::new(e.to_string()))?
            .into_parts();
        let headers = instructions
            .into_parts()
            .0
            .into_iter()
            .map(|h| (h.name(), h.value().to_owned()))
            .collect();
        (headers, signature)
    };
    for (name, value) in new_headers {
        let mut value = HeaderValue::from_str(&value)
            .map_err(|_| SignError::new(format!("invalid value for header {name}")))?;
        if name != "x-amz-date" {
            value.set_sensitive(true);
        }
        request
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
    Ok(signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn signs_and_resigns() {
        let creds = Credentials::new("AKIDEXAMPLE", "secret", Some("token".into()), None);
        let mut req = http::Request::builder()
            .method("POST")
            .uri("https://svc.us-east-1.amazonaws.com/a/b?x=1")
            .header("content-type", "application/json")
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        sign(&mut req, &creds, &SigningParams::new("us-east-1", "svc", t)).unwrap();
        let auth = req.headers()["authorization"].to_str().unwrap().to_owned();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/svc/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
            ),
            "{auth}"
        );
        assert_eq!(req.headers()["x-amz-date"], "20231114T221320Z");
        assert_eq!(req.headers()["x-amz-security-token"], "token");
        assert!(req.headers().get("x-amz-content-sha256").is_none());
        // Signing again replaces, not appends.
        sign(&mut req, &creds, &SigningParams::new("us-east-1", "svc", t)).unwrap();
        assert_eq!(req.headers().get_all("authorization").iter().count(), 1);
        assert_eq!(req.headers()["authorization"].to_str().unwrap(), auth);
    }

    #[test]
    fn relative_uri_is_an_error() {
        let creds = Credentials::new("A", "B", None, None);
        let mut req = http::Request::builder()
            .uri("/x")
            .body(Bytes::new())
            .unwrap();
        let err = sign(
            &mut req,
            &creds,
            &SigningParams::new("r", "s", SystemTime::now()),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not absolute"));
    }
}
