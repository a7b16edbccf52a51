//! Building an operation's HTTP request: the URI (labels and query string percent-encoded as
//! botocore does), headers and body. Generated serializers call these in model order, so the
//! code per operation is a list of calls and nothing more.

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};

use crate::DateTime;
use crate::client::OperationRequest;
use crate::error::ValidationError;
use crate::json::{JsonWriter, SerializeJson};

/// Characters botocore leaves unescaped in labels and query strings (RFC 3986 unreserved):
/// `A–Z a–z 0–9 - . _ ~`. Everything else is `%XX` of its UTF-8 bytes.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` percent-encoded; `/` is kept when `keep_slash` (greedy labels).
pub fn percent_encode_into(out: &mut String, value: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in value.as_bytes() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
}

/// An operation's request under construction.
#[derive(Debug)]
pub struct RequestBuilder {
    operation: &'static str,
    method: Method,
    path: String,
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    success_status: u16,
    checksum_required: bool,
    host_prefix: Option<String>,
    gzip: bool,
    endpoint_params: Vec<(&'static str, crate::endpoint::ParamValue)>,
    signing: crate::client::Signing,
    discovery: Option<crate::discovery::EndpointDiscovery>,
}

impl RequestBuilder {
    /// Starts a request for `operation`, whose model says it succeeds with `success_status`.
    pub fn new(operation: &'static str, method: Method, success_status: u16) -> Self {
        RequestBuilder {
            operation,
            method,
            path: String::new(),
            query: String::new(),
            headers: Vec::new(),
            body: Bytes::new(),
            success_status,
            checksum_required: false,
            host_prefix: None,
            gzip: false,
            endpoint_params: Vec::new(),
            signing: crate::client::Signing::SigV4,
            discovery: None,
        }
    }

    /// Sets an endpoint rule-set parameter for this call (see
    /// [`OperationRequest::endpoint_params`]).
    pub fn endpoint_param(
        &mut self,
        name: &'static str,
        value: impl Into<crate::endpoint::ParamValue>,
    ) {
        self.endpoint_params.push((name, value.into()));
    }

    /// Chooses how the request is signed (see [`crate::client::Signing`]).
    pub fn signing(&mut self, signing: crate::client::Signing) {
        self.signing = signing;
    }

    /// The operation supports endpoint discovery (`endpointdiscovery`; `required` if it
    /// requires it), through the service's discovery `operation`; see [`crate::discovery`].
    pub fn endpoint_discovery(
        &mut self,
        required: bool,
        operation: &'static crate::discovery::DiscoveryOperation,
    ) {
        self.discovery = Some(crate::discovery::EndpointDiscovery {
            required,
            identifiers: Vec::new(),
            operation,
        });
    }

    /// Adds the value of an `endpointdiscoveryid` member (after
    /// [`endpoint_discovery`](Self::endpoint_discovery)).
    pub fn discovery_identifier(&mut self, member: &'static str, value: &str) {
        if let Some(discovery) = &mut self.discovery {
            discovery.identifiers.push((member, value.to_owned()));
        }
    }

    /// The operation accepts a gzip-compressed body (`requestcompression`); the pipeline
    /// compresses it as botocore does (see [`OperationRequest::gzip`]).
    pub fn allow_gzip(&mut self) {
        self.gzip = true;
    }

    /// Appends the value of a `hostLabel` member to a host prefix under construction, refusing
    /// (as botocore's `_expand_host_prefix`) anything but letters, digits, `-` and `.`.
    pub fn host_label(
        &self,
        prefix: &mut String,
        member: &str,
        value: Option<&str>,
    ) -> Result<(), ValidationError> {
        let value = value.unwrap_or_default();
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(ValidationError::new(
                self.operation,
                member,
                "must contain only alphanumeric characters, hyphen, or period (it is part of the host name)",
            ));
        }
        prefix.push_str(value);
        Ok(())
    }

    /// Sets the host prefix (`endpoint.hostPrefix` with its labels filled in), which the
    /// pipeline prepends to the endpoint's host.
    pub fn host_prefix(&mut self, prefix: String) {
        self.host_prefix = Some(prefix);
    }

    /// The operation requires a checksum of the body (`httpChecksumRequired`): botocore
    /// (since 1.36, `request_checksum_calculation`) sends `x-amz-checksum-crc32`, the base64 of
    /// the body's CRC32 in big-endian order, rather than the older `Content-MD5`.
    pub fn require_checksum(&mut self) {
        self.checksum_required = true;
    }

    /// Appends literal path text from the model's request URI.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a `{label}` value, percent-encoded including `/`.
    pub fn label(&mut self, value: &str) {
        percent_encode_into(&mut self.path, value, false);
    }

    /// Appends a `{label+}` value, percent-encoded except `/`.
    pub fn greedy_label(&mut self, value: &str) {
        percent_encode_into(&mut self.path, value, true);
    }

    /// Appends a literal query parameter from the model's request URI (`?sync`), as written.
    pub fn literal_query(&mut self, raw: &str) {
        self.query_separator();
        self.query.push_str(raw);
    }

    /// Appends `name=value`, both percent-encoded.
    pub fn query(&mut self, name: &str, value: &str) {
        self.query_separator();
        percent_encode_into(&mut self.query, name, false);
        self.query.push('=');
        percent_encode_into(&mut self.query, value, false);
    }

    /// Appends a timestamp query parameter in botocore's ISO-8601 form.
    pub fn query_timestamp(&mut self, name: &str, value: &DateTime) {
        self.query(name, &value.to_iso8601());
    }

    fn query_separator(&mut self) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
    }

    /// Adds a header (`name` in lower case). Values that are not valid header text are
    /// percent-encoded rather than dropped, so nothing is silently lost; a name that is not a
    /// valid header name is skipped (models never produce one).
    pub fn header(&mut self, name: &str, value: &str) {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            return;
        };
        let value = HeaderValue::from_str(value).unwrap_or_else(|_| {
            let mut encoded = String::new();
            percent_encode_into(&mut encoded, value, true);
            HeaderValue::from_str(&encoded).expect("percent-encoded text is a valid header value")
        });
        self.headers.push((name, value));
    }

    /// Sets a JSON body from a structure's body members, with `content_type`.
    pub fn json_body<T: SerializeJson + ?Sized>(&mut self, value: &T, content_type: &'static str) {
        let mut writer = JsonWriter::new();
        value.serialize_json(&mut writer);
        self.body(writer.into_bytes(), content_type);
    }

    /// Sets the body bytes with `content_type`.
    pub fn body(&mut self, body: impl Into<Bytes>, content_type: &'static str) {
        self.body = body.into();
        self.headers.push((
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        ));
    }

    /// The finished request.
    pub fn build(mut self) -> OperationRequest {
        let has_checksum = self
            .headers
            .iter()
            .any(|(name, _)| name.as_str().starts_with("x-amz-checksum-"));
        if self.checksum_required && !has_checksum {
            let crc = crc32fast::hash(&self.body).to_be_bytes();
            self.headers.push((
                HeaderName::from_static("x-amz-checksum-crc32"),
                HeaderValue::from_str(&base64_text(&crc)).expect("base64 is header text"),
            ));
        }
        let mut path_and_query = if self.path.is_empty() {
            "/".to_string()
        } else {
            self.path
        };
        if !self.query.is_empty() {
            path_and_query.push('?');
            path_and_query.push_str(&self.query);
        }
        OperationRequest {
            operation: self.operation,
            method: self.method,
            path_and_query,
            headers: self.headers,
            body: self.body,
            success_status: self.success_status,
            host_prefix: self.host_prefix,
            gzip: self.gzip,
            endpoint_params: self.endpoint_params,
            signing: self.signing,
            discovery: self.discovery,
        }
    }
}

/// Standard padded base64 of `bytes`, for blobs and `jsonvalue` strings bound to headers.
pub fn base64_text(bytes: &[u8]) -> String {
    crate::json::base64::encode(bytes)
}

/// Decodes a base64 header back to text (a `jsonvalue` header of a response).
pub fn base64_decode_text(text: &str) -> Result<String, String> {
    let bytes =
        crate::json::base64::decode(text).map_err(|e| format!("invalid base64 header: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("base64 header is not UTF-8: {e}"))
}

/// One item of a list-valued header: quoted when it contains a comma or a quote, as botocore.
pub fn header_list_item(item: &str) -> String {
    if item.contains([',', '"']) {
        format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        item.to_string()
    }
}

/// Formats a float for a query string or header as Python's `str(float)` does for ordinary
/// values (`1.0`, `0.5`, `1e+21`).
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if value == value.trunc() && value.abs() < 1e16 {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

/// [`float_text`] of an `f32` through its shortest decimal form, so that `4.1f32` is `4.1`
/// as Python (whose floats are doubles) writes the value the caller gave.
pub fn float32_text(value: f32) -> String {
    float_text(value.to_string().parse().unwrap_or(f64::NAN))
}

/// A fresh idempotency token: a random UUID v4, as botocore's `generate_idempotent_uuid` (also
/// the pipeline's `amz-sdk-invocation-id`).
///
/// Tokens need to be unique, not secret, so `fastrand` (already used for retry jitter, seeded
/// per thread from the OS's hash randomness) is enough; a CSPRNG crate would add compile time
/// for nothing.
pub fn idempotency_token() -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&fastrand::u64(..).to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_matches_botocore() {
        // Expected values from botocore 1.43.11 (`botocore.utils.percent_encode`).
        let cases = [
            (
                "Sales Team/EMEA: ü~+ 100%",
                false,
                "Sales%20Team%2FEMEA%3A%20%C3%BC~%2B%20100%25",
            ),
            ("a/b c", true, "a/b%20c"),
            ("$@()=", false, "%24%40%28%29%3D"),
            ("AZaz09-._~", false, "AZaz09-._~"),
        ];
        for (value, greedy, expected) in cases {
            let mut out = String::new();
            percent_encode_into(&mut out, value, greedy);
            assert_eq!(out, expected, "{value}");
        }
    }

    #[test]
    fn builds_path_and_query() {
        let mut request = RequestBuilder::new("ChatSync", Method::POST, 200);
        request.path("/applications/");
        request.label("app 1");
        request.path("/conversations");
        request.literal_query("sync");
        request.query("userGroups", "Group A");
        request.query("userGroups", "eng/platform");
        let request = request.build();
        assert_eq!(
            request.path_and_query,
            "/applications/app%201/conversations?sync&userGroups=Group%20A&userGroups=eng%2Fplatform"
        );
        assert!(request.body.is_empty());
        assert!(request.headers.is_empty());
    }

    #[test]
    fn floats_print_as_python_does() {
        assert_eq!(float_text(1.0), "1.0");
        assert_eq!(float_text(0.5), "0.5");
        assert_eq!(float_text(-2.25), "-2.25");
    }

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }
}
