//! Reading an operation's HTTP response: JSON bodies into generated types, bound headers, and
//! error responses into the operation's error type. Malformed input is always an
//! [`SdkError::Response`] carrying the status and request id, never a panic.

use bytes::Bytes;
use http::Response;

use crate::client::ServiceMeta;
use crate::error::{SdkError, ServiceError, UnhandledError};
use crate::json::{DeserializeJson, JsonError, JsonReader};
use crate::protocol;

/// Parses a JSON body into `T`; an empty body (or `null`) gives `T::default()`, as botocore
/// returns an empty dict.
///
/// Generic only over `T`, and only thinly: everything else is shared code, because this is
/// instantiated for every output and error type of a service.
pub fn json_body<T: DeserializeJson + Default>(
    response: &Response<Bytes>,
) -> Result<T, MalformedResponse> {
    let mut value = None;
    read_body(response, &mut |reader| reader.read(&mut value))?;
    Ok(value.unwrap_or_default())
}

/// The part of [`json_body`] that is the same for every type: an empty body reads as nothing,
/// anything else must be one JSON value (read by `read`) and nothing after it.
fn read_body(
    response: &Response<Bytes>,
    read: &mut dyn FnMut(&mut JsonReader<'_>) -> Result<(), JsonError>,
) -> Result<(), MalformedResponse> {
    let mut reader = JsonReader::new(response.body());
    if reader.is_empty_document() {
        return Ok(());
    }
    read(&mut reader)
        .and_then(|()| reader.end())
        .map_err(|error| malformed(response, &error))
}

/// A response that could not be understood; converts into [`SdkError::Response`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedResponse {
    message: String,
    status: u16,
    request_id: Option<String>,
}

impl<E> From<MalformedResponse> for SdkError<E> {
    fn from(failure: MalformedResponse) -> Self {
        SdkError::Response {
            message: failure.message,
            status: failure.status,
            request_id: failure.request_id,
        }
    }
}

/// A response that could not be understood.
pub fn malformed(response: &Response<Bytes>, message: &dyn std::fmt::Display) -> MalformedResponse {
    MalformedResponse {
        message: format!("malformed response: {message}"),
        status: response.status().as_u16(),
        request_id: protocol::request_id(response.headers()),
    }
}

/// A response header as text, if present and valid UTF-8.
pub fn header<'a>(response: &'a Response<Bytes>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Parses a JSON payload member (a structure, union or document bound to the whole body):
/// `None` for an empty body.
pub fn json_payload<T: DeserializeJson>(
    response: &Response<Bytes>,
) -> Result<Option<T>, MalformedResponse> {
    let mut value = None;
    read_body(response, &mut |reader| reader.read(&mut value))?;
    Ok(value)
}

/// The body as text, for a string (or enum) payload member.
pub fn text_payload(response: &Response<Bytes>) -> Result<String, MalformedResponse> {
    String::from_utf8(response.body().to_vec()).map_err(|e| malformed(response, &e))
}

/// The values of a header, each repetition joined with `, ` as botocore's header dict (and
/// RFC 9110) combine them.
pub fn header_text(response: &Response<Bytes>, name: &str) -> Option<String> {
    let mut values = response.headers().get_all(name).iter().peekable();
    values.peek()?;
    let values: Vec<&str> = values.filter_map(|v| v.to_str().ok()).collect();
    Some(values.join(", "))
}

/// Decodes a base64 header (a blob bound to a header).
pub fn base64_header(text: &str) -> Result<Vec<u8>, String> {
    crate::json::base64::decode(text.trim()).map_err(|e| format!("invalid base64 header: {e}"))
}

/// A boolean header as botocore's rest-json parser reads it (`ensure_boolean`): `true` in any
/// case is true, anything else false.
pub fn header_bool(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("true")
}

/// The items of a list-valued header (RFC 9110 §5.6.1): split on commas outside double quotes,
/// each item trimmed and unquoted (`\"` and `\\` unescaped). An HTTP date contains a comma
/// of its own (`Mon, 16 Dec 2019 23:48:18 GMT`), so when `http_dates` is set every second
/// piece is joined back to the one before it.
///
/// botocore splits on every comma and keeps quotes; Smithy's protocol tests
/// (`RestJsonInputAndOutputWithQuotedStringHeaders`, `...WithTimestampHeaders`) expect this,
/// which botocore's own suite runner skips. Without quotes or dates both agree.
pub fn header_list(text: &str, http_dates: bool) -> Vec<String> {
    let mut raw_items = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                raw_items.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    raw_items.push(&text[start..]);
    let items = raw_items.into_iter().map(|item| {
        let item = item.trim();
        match item.strip_prefix('"').and_then(|i| i.strip_suffix('"')) {
            Some(inner) => {
                let mut unescaped = String::with_capacity(inner.len());
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    unescaped.push(if c == '\\' {
                        chars.next().unwrap_or(c)
                    } else {
                        c
                    });
                }
                unescaped
            }
            None => item.to_string(),
        }
    });
    if http_dates {
        let items: Vec<String> = items.collect();
        items.chunks(2).map(|pair| pair.join(", ")).collect()
    } else {
        items.collect()
    }
}

/// Parses any of a service's exceptions by the error's code (generated once per crate).
pub type ParseModeled =
    fn(&ErrorResponse<'_>) -> Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>;

/// An error response, classified once: generated code matches [`code`](Self::code) against the
/// operation's modelled errors and parses the one that matches.
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    response: &'a Response<Bytes>,
    unhandled: UnhandledError,
    service: &'static ServiceMeta,
}

impl<'a> ErrorResponse<'a> {
    /// Reads the code, message and request id of an error response as botocore does.
    pub fn new(service: &'static ServiceMeta, response: &'a Response<Bytes>) -> Self {
        let unhandled = protocol::unhandled_error(
            &service.protocol,
            response.status().as_u16(),
            response.headers(),
            response.body(),
        );
        ErrorResponse {
            response,
            unhandled,
            service,
        }
    }

    /// The response.
    pub fn response(&self) -> &'a Response<Bytes> {
        self.response
    }

    /// An error whose code and message are already known (an event stream's exception
    /// message), with `response` holding the payload that [`parse`](Self::parse) reads.
    pub fn from_parts(
        service: &'static ServiceMeta,
        response: &'a Response<Bytes>,
        unhandled: UnhandledError,
    ) -> Self {
        ErrorResponse {
            response,
            unhandled,
            service,
        }
    }

    /// The error code (`AccessDeniedException`), or the status code as text.
    pub fn code(&self) -> &str {
        &self.unhandled.code
    }

    /// Parses the body into a modelled error's members.
    pub fn parse<T: DeserializeJson + Default>(&self) -> Result<T, MalformedResponse> {
        json_body(self.response)
    }

    /// The fallback for a code the operation does not list: the response's details and, when
    /// the code names another of the service's exceptions, that exception parsed
    /// ([`ServiceMeta::modeled_exception`]).
    pub fn unhandled(&self) -> UnhandledError {
        UnhandledError {
            modeled: self.service.modeled_exception.and_then(|parse| parse(self)),
            ..self.unhandled.clone()
        }
    }

    /// The operation's error for this response: `kind` picks the operation's error variant
    /// (a modelled exception parsed, or [`unhandled`](Self::unhandled)); an exception whose
    /// body does not parse is a malformed response. Generated error readers are one `match`
    /// on the code inside this, so the wrapping is written once.
    pub fn classify<E>(
        &self,
        kind: impl FnOnce(&Self) -> Result<E, MalformedResponse>,
    ) -> SdkError<E> {
        match kind(self) {
            Ok(error) => self.service_error(error),
            Err(failure) => failure.into(),
        }
    }

    /// The operation's error, wrapped for the caller with the response's details.
    pub fn service_error<E>(&self, error: E) -> SdkError<E> {
        SdkError::Service(ServiceError::with_meta(error, self.meta()))
    }

    fn meta(&self) -> Box<UnhandledError> {
        Box::new(self.unhandled.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonError;

    #[derive(Debug, Default, PartialEq)]
    struct Output {
        name: Option<String>,
    }

    impl DeserializeJson for Output {
        fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
            let mut value = Output::default();
            reader.begin_object()?;
            while let Some(key) = reader.next_key()? {
                match key.as_ref() {
                    "name" => value.name = reader.optional()?,
                    _ => reader.skip_value()?,
                }
            }
            Ok(value)
        }
    }

    fn response(status: u16, body: &'static str) -> Response<Bytes> {
        Response::builder()
            .status(status)
            .header("x-amzn-requestid", "req-1")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn empty_and_null_bodies_are_empty_outputs() {
        for body in ["", "  \n", "null"] {
            let output: Output = json_body::<Output>(&response(200, body)).unwrap();
            assert_eq!(output, Output::default(), "{body:?}");
        }
    }

    #[test]
    fn malformed_bodies_are_errors_with_the_request_id() {
        for body in ["{\"name\": \"x\"", "{\"name\": 1}", "[]", "{} trailing"] {
            let error: SdkError<()> = json_body::<Output>(&response(200, body))
                .unwrap_err()
                .into();
            match error {
                SdkError::Response {
                    message,
                    status,
                    request_id,
                } => {
                    assert!(message.starts_with("malformed response: "), "{message}");
                    assert_eq!((status, request_id.as_deref()), (200, Some("req-1")));
                }
                other => panic!("{body:?}: {other:?}"),
            }
        }
    }
}
