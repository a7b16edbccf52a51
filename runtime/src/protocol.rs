//! Wire-protocol facts the pipeline needs: which JSON protocol a service speaks, and how to read
//! the error code, message and request id of an error response exactly as botocore's
//! `parsers.py` does (`BaseJSONParser._do_error_parse`, `RestJSONParser._inject_error_code`,
//! `ResponseParser._is_generic_error_response`).

use http::HeaderMap;

use crate::error::UnhandledError;

/// The protocol a service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `rest-json` (`restJson1`): HTTP bindings, JSON bodies.
    RestJson,
    /// `json` (`awsJson1_0`/`awsJson1_1`): `POST /` with `X-Amz-Target: {target_prefix}.{op}`.
    AwsJson {
        /// The JSON version, `"1.0"` or `"1.1"` (`Content-Type: application/x-amz-json-{v}`).
        version: &'static str,
        /// The `X-Amz-Target` prefix, e.g. `AmazonSSM`.
        target_prefix: &'static str,
    },
}

impl Protocol {
    /// The `Content-Type` of a request body.
    pub fn content_type(&self) -> String {
        match self {
            Protocol::RestJson => "application/json".to_owned(),
            Protocol::AwsJson { version, .. } => format!("application/x-amz-json-{version}"),
        }
    }

    /// The `X-Amz-Target` header value of `operation` (awsJson only).
    pub fn target(&self, operation: &str) -> Option<String> {
        match self {
            Protocol::RestJson => None,
            Protocol::AwsJson { target_prefix, .. } => Some(format!("{target_prefix}.{operation}")),
        }
    }
}

/// The body as botocore's `_parse_body_as_json` sees it: a JSON object, or (when it is not JSON)
/// `{"message": <the text>}`. Empty → empty object. A JSON value that is not an object (which
/// makes botocore raise) counts as an empty object.
enum ErrorBody {
    Object(serde_json::Map<String, serde_json::Value>),
    Text(String),
}

impl ErrorBody {
    fn parse(body: &[u8]) -> ErrorBody {
        if body.is_empty() {
            return ErrorBody::Object(serde_json::Map::new());
        }
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(map)) => ErrorBody::Object(map),
            Ok(_) => ErrorBody::Object(serde_json::Map::new()),
            Err(_) => ErrorBody::Text(String::from_utf8_lossy(body).into_owned()),
        }
    }

    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        match self {
            ErrorBody::Object(map) => map.get(key),
            ErrorBody::Text(_) => None,
        }
    }

    fn contains(&self, key: &str) -> bool {
        match self {
            ErrorBody::Object(map) => map.contains_key(key),
            ErrorBody::Text(_) => key == "message",
        }
    }
}

/// A JSON value as Python's `str()` would show it, for codes that are not strings.
fn value_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `ns#Code:http://...` → `Code`: everything from the first `:` dropped, then everything up to
/// the last `#`.
fn sanitize_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code)
}

/// A header's value as botocore's header dict has it (repeated headers joined with `, `).
fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut values = headers.get_all(name).iter().peekable();
    values.peek()?;
    Some(
        values
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// botocore's `_is_generic_error_response`: a 5xx whose body is empty or starts with `<html>`
/// (after stripping whitespace).
fn is_generic_error(status: u16, body: &[u8]) -> bool {
    if status < 500 {
        return false;
    }
    let body = body.trim_ascii();
    body.is_empty() || body.starts_with(b"<html>")
}

/// The error code of an error response, exactly as botocore finds it; `None` for a status below
/// 301 (botocore parses those as success) or when botocore's code would be empty.
///
/// * A 5xx with an empty or HTML body: the status code (`"503"`).
/// * awsJson: the body's `__type`, else the status code.
/// * rest-json: the `X-Amzn-ErrorType` header, else the body's `code`, else `Code`, else
///   `__type`, else the status code.
/// * `ns#Name:extra` becomes `Name`.
/// * An `x-amzn-query-error: Code;Type` header (awsQuery-compatible services) replaces a code
///   from `__type` or the status.
pub fn error_code(
    protocol: &Protocol,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<String> {
    if status < 301 {
        return None;
    }
    if is_generic_error(status, body) {
        return Some(status.to_string());
    }
    let parsed = ErrorBody::parse(body);
    // BaseJSONParser._do_error_parse: `body.get('__type', str(status))`.
    let mut code = if parsed.contains("__type") {
        parsed.get("__type").and_then(value_text)
    } else {
        Some(status.to_string())
    };
    if let Some(c) = &code {
        let mut c = sanitize_code(c).to_owned();
        if let Some(query_error) = header(headers, "x-amzn-query-error") {
            let parts: Vec<&str> = query_error.split(';').collect();
            if parts.len() == 2 && !parts[0].is_empty() {
                c = parts[0].to_owned();
            }
        }
        code = Some(c);
    }
    if *protocol == Protocol::RestJson {
        // RestJSONParser._inject_error_code.
        // `body.get('code', body.get('Code', ''))`; a null value leaves the code as it was.
        let injected = if let Some(h) = header(headers, "x-amzn-errortype") {
            Some(h)
        } else if parsed.contains("code") {
            parsed.get("code").and_then(value_text)
        } else if parsed.contains("Code") {
            parsed.get("Code").and_then(value_text)
        } else {
            None
        };
        if let Some(c) = injected {
            code = Some(sanitize_code(&c).to_owned());
        }
    }
    code.filter(|c| !c.is_empty())
}

/// The error message of an error body: `message`, else `Message` (botocore's lookup); the body
/// itself when it is not JSON. `None` when there is none.
pub fn error_message(body: &[u8]) -> Option<String> {
    match ErrorBody::parse(body) {
        ErrorBody::Text(text) => Some(text),
        parsed => parsed
            .get("message")
            .or_else(|| parsed.get("Message"))
            .and_then(value_text),
    }
}

/// The request id: the `x-amzn-requestid` header, else `x-amz-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    header(headers, "x-amzn-requestid").or_else(|| header(headers, "x-amz-request-id"))
}

/// Everything about an error response that no modelled error matched, for the fallback variant
/// of a generated error enum. The code defaults to the status, the message to the status's
/// reason phrase for a generic (empty or HTML) 5xx, as botocore.
pub fn unhandled_error(
    protocol: &Protocol,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> UnhandledError {
    let message = if is_generic_error(status, body) {
        http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
            .to_owned()
    } else {
        error_message(body).unwrap_or_default()
    };
    UnhandledError::new(
        error_code(protocol, status, headers, body).unwrap_or_else(|| status.to_string()),
        message,
        status,
        request_id(headers),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Protocol = Protocol::AwsJson {
        version: "1.1",
        target_prefix: "AmazonSSM",
    };
    const REST: Protocol = Protocol::RestJson;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, v.parse().unwrap());
        }
        map
    }

    fn code(
        p: &Protocol,
        status: u16,
        h: &[(&'static str, &'static str)],
        body: &str,
    ) -> Option<String> {
        error_code(p, status, &headers(h), body.as_bytes())
    }

    #[test]
    fn aws_json_uses_type_only() {
        assert_eq!(
            code(
                &JSON,
                400,
                &[],
                r#"{"__type":"com.amazonaws.ssm#ThrottlingException","message":"x"}"#
            )
            .as_deref(),
            Some("ThrottlingException")
        );
        assert_eq!(
            code(&JSON, 400, &[], r#"{"__type":"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#).as_deref(),
            Some("FooError")
        );
        // The header and `code` are rest-json only.
        assert_eq!(
            code(
                &JSON,
                400,
                &[("x-amzn-errortype", "Other")],
                r#"{"__type":"Real","code":"No"}"#
            )
            .as_deref(),
            Some("Real")
        );
        // No __type: the status.
        assert_eq!(
            code(&JSON, 400, &[], r#"{"message":"m"}"#).as_deref(),
            Some("400")
        );
        assert_eq!(code(&JSON, 404, &[], "").as_deref(), Some("404"));
        assert_eq!(code(&JSON, 200, &[], r#"{"__type":"X"}"#), None);
    }

    #[test]
    fn rest_json_sources_in_order() {
        assert_eq!(
            code(
                &REST,
                400,
                &[(
                    "X-Amzn-ErrorType",
                    "ThrottlingException:http://internal.amazon.com/"
                )],
                r#"{"code":"No","__type":"No"}"#
            )
            .as_deref(),
            Some("ThrottlingException")
        );
        assert_eq!(
            code(
                &REST,
                400,
                &[],
                r#"{"code":"ns#ValidationException","Code":"No","__type":"No"}"#
            )
            .as_deref(),
            Some("ValidationException")
        );
        assert_eq!(
            code(
                &REST,
                400,
                &[],
                r#"{"Code":"ConflictException","__type":"No"}"#
            )
            .as_deref(),
            Some("ConflictException")
        );
        assert_eq!(
            code(&REST, 400, &[], r#"{"__type":"a.b#AccessDeniedException"}"#).as_deref(),
            Some("AccessDeniedException")
        );
        assert_eq!(code(&REST, 409, &[], "{}").as_deref(), Some("409"));
        // A non-string code is shown as text, as Python's str() would.
        assert_eq!(
            code(&REST, 400, &[], r#"{"code":123}"#).as_deref(),
            Some("123")
        );
        // `code: null` leaves botocore's code as `__type` or the status had it; `""` empties it.
        assert_eq!(
            code(&REST, 400, &[], r#"{"code":null}"#).as_deref(),
            Some("400")
        );
        assert_eq!(code(&REST, 400, &[], r#"{"code":""}"#), None);
    }

    #[test]
    fn generic_5xx_bodies_give_the_status() {
        for p in [&JSON, &REST] {
            assert_eq!(code(p, 503, &[], "").as_deref(), Some("503"));
            assert_eq!(
                code(
                    p,
                    502,
                    &[("x-amzn-errortype", "Ignored")],
                    "  <html><body>Bad Gateway</body></html>"
                )
                .as_deref(),
                Some("502")
            );
            // Not JSON, not HTML: the JSON parser's fallback, still the status.
            assert_eq!(
                code(p, 500, &[], "Internal Server Error").as_deref(),
                Some("500")
            );
            // A JSON 5xx is parsed normally.
            assert_eq!(
                code(p, 500, &[], r#"{"__type":"InternalServerException"}"#).as_deref(),
                Some("InternalServerException")
            );
        }
        // A rest-json 500 with plain text still honours the header.
        assert_eq!(
            code(
                &REST,
                500,
                &[("x-amzn-errortype", "InternalFailure")],
                "oops"
            )
            .as_deref(),
            Some("InternalFailure")
        );
    }

    #[test]
    fn query_compatible_header() {
        assert_eq!(
            code(
                &JSON,
                400,
                &[(
                    "x-amzn-query-error",
                    "AWS.SimpleQueueService.NonExistentQueue;Sender"
                )],
                r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist"}"#
            )
            .as_deref(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(
            code(
                &JSON,
                400,
                &[("x-amzn-query-error", ";Sender")],
                r#"{"__type":"Q"}"#
            )
            .as_deref(),
            Some("Q")
        );
    }

    #[test]
    fn messages_and_request_ids() {
        assert_eq!(
            error_message(br#"{"message":"lower","Message":"upper"}"#).as_deref(),
            Some("lower")
        );
        assert_eq!(
            error_message(br#"{"Message":"upper"}"#).as_deref(),
            Some("upper")
        );
        assert_eq!(error_message(b"{}"), None);
        assert_eq!(error_message(b"").as_deref(), None);
        assert_eq!(error_message(b"not json").as_deref(), Some("not json"));
        assert_eq!(
            request_id(&headers(&[
                ("x-amzn-RequestId", "a"),
                ("x-amz-request-id", "b")
            ]))
            .as_deref(),
            Some("a")
        );
        assert_eq!(
            request_id(&headers(&[("x-amz-request-id", "b")])).as_deref(),
            Some("b")
        );
        assert_eq!(request_id(&HeaderMap::new()), None);
    }

    #[test]
    fn unhandled_error_fields() {
        let e = unhandled_error(&REST, 503, &headers(&[("x-amzn-requestid", "r")]), b"");
        assert_eq!(e.to_string(), "503: Service Unavailable");
        assert_eq!(e.request_id.as_deref(), Some("r"));
        let e = unhandled_error(
            &JSON,
            400,
            &HeaderMap::new(),
            br#"{"__type":"X#Y","message":"m"}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.status),
            ("Y", "m", 400)
        );
    }

    #[test]
    fn protocol_headers() {
        assert_eq!(JSON.content_type(), "application/x-amz-json-1.1");
        assert_eq!(
            JSON.target("GetParameter").as_deref(),
            Some("AmazonSSM.GetParameter")
        );
        assert_eq!(REST.content_type(), "application/json");
        assert_eq!(REST.target("X"), None);
    }
}
