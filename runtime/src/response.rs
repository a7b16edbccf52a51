//! Reading an operation's HTTP response: JSON bodies into generated types, bound headers, and
//! error responses into the operation's error type. Malformed input is always an
//! [`SdkError::Response`] carrying the status and request id, never a panic.

use bytes::Bytes;
use http::Response;

use crate::error::{SdkError, ServiceError, UnhandledError};
use crate::json::{DeserializeJson, JsonReader};
use crate::protocol::{self, Protocol};

/// Parses a JSON body into `T`; an empty body (or `null`) gives `T::default()`, as botocore
/// returns an empty dict.
///
/// Generic only over `T`, and only thinly: everything else is shared code, because this is
/// instantiated for every output and error type of a service.
pub fn json_body<T: DeserializeJson + Default>(
    response: &Response<Bytes>,
) -> Result<T, MalformedResponse> {
    let mut reader = body_reader(response.body());
    let value = if reader.is_empty_document() {
        None
    } else {
        match reader.optional::<T>() {
            Ok(value) => value,
            Err(error) => return Err(malformed(response, &error)),
        }
    };
    finish(response, &mut reader)?;
    Ok(value.unwrap_or_default())
}

#[inline(never)]
fn body_reader(body: &[u8]) -> JsonReader<'_> {
    JsonReader::new(body)
}

fn finish(
    response: &Response<Bytes>,
    reader: &mut JsonReader<'_>,
) -> Result<(), MalformedResponse> {
    reader.end().map_err(|error| malformed(response, &error))
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

/// An error response, classified once: generated code matches [`code`](Self::code) against the
/// operation's modelled errors and parses the one that matches.
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    response: &'a Response<Bytes>,
    unhandled: UnhandledError,
}

impl<'a> ErrorResponse<'a> {
    /// Reads the code, message and request id of an error response as botocore does.
    pub fn new(protocol: &Protocol, response: &'a Response<Bytes>) -> Self {
        let unhandled = protocol::unhandled_error(
            protocol,
            response.status().as_u16(),
            response.headers(),
            response.body(),
        );
        ErrorResponse {
            response,
            unhandled,
        }
    }

    /// An error whose code and message are already known (an event stream's exception
    /// message), with `response` holding the payload that [`parse`](Self::parse) reads.
    pub fn from_parts(response: &'a Response<Bytes>, unhandled: UnhandledError) -> Self {
        ErrorResponse {
            response,
            unhandled,
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

    /// The fallback for a code the operation does not model.
    pub fn unhandled(&self) -> UnhandledError {
        self.unhandled.clone()
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
