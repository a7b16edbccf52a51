//! The error type every generated operation returns, and the fallback for unmodelled errors.
//!
//! [`SdkError`] says *where* a call failed: before anything was sent (input validation,
//! configuration, endpoint resolution), in transport (after retries), in reading the response,
//! or with an error the service returned. The last is the operation's own modelled error enum
//! `E`; [`ServiceClient::send`](crate::client::ServiceClient::send) never produces it and so
//! returns `SdkError<Infallible>`, which generated code widens with
//! [`SdkError::into_error_type`].

use std::convert::Infallible;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::endpoint::EndpointError;
use crate::http::HttpError;

/// Why a call failed.
#[derive(Debug)]
pub enum SdkError<E> {
    /// The input failed client-side validation; nothing was sent.
    Validation(ValidationError),
    /// The client is not usable as configured: no region, no credentials, an unreadable shared
    /// config file, an invalid endpoint URL, ... Nothing was sent. The message says what to fix.
    Config(String),
    /// The endpoint rule set rejected the parameters (for example FIPS together with a custom
    /// endpoint); nothing was sent.
    Endpoint(EndpointError),
    /// The request could not be sent or no response was received (connection refused or reset,
    /// TLS failure, ...), on the last attempt after all retries.
    Dispatch(HttpError),
    /// A timeout expired: the per-attempt timeout on the last attempt, or the per-operation
    /// timeout.
    Timeout(TimeoutError),
    /// A response arrived but could not be understood (malformed or truncated body, a missing
    /// required header, ...).
    Response {
        /// What was wrong with it.
        message: String,
        /// The HTTP status code of the response.
        status: u16,
        /// The request id the service sent, if any.
        request_id: Option<String>,
    },
    /// The service returned an error: the operation's error type, with the response's code,
    /// message, status and request id.
    Service(ServiceError<E>),
}

/// An error response of the service: the operation's modelled error (or its `Unhandled`
/// fallback) and what every error response carries.
#[derive(Debug)]
pub struct ServiceError<E> {
    error: E,
    /// Boxed: errors are the cold path, and a small `Result` keeps the happy path cheap.
    meta: Box<UnhandledError>,
}

impl<E> ServiceError<E> {
    /// Pairs the parsed error with the response's code, message, status and request id.
    pub fn new(error: E, meta: UnhandledError) -> Self {
        Self::with_meta(error, Box::new(meta))
    }

    pub(crate) fn with_meta(error: E, meta: Box<UnhandledError>) -> Self {
        ServiceError { error, meta }
    }

    /// The operation's error.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The operation's error, without the response details.
    pub fn into_error(self) -> E {
        self.error
    }

    /// The error code, as botocore finds it.
    pub fn code(&self) -> &str {
        &self.meta.code
    }

    /// The error message, or empty.
    pub fn message(&self) -> &str {
        &self.meta.message
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The request id, for AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }
}

impl<E: fmt::Display> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(id) = &self.meta.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl<E: StdError + 'static> StdError for ServiceError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.error)
    }
}

impl<E> SdkError<E> {
    /// An [`SdkError::Response`] error.
    pub fn response(message: impl Into<String>, status: u16, request_id: Option<String>) -> Self {
        SdkError::Response {
            message: message.into(),
            status,
            request_id,
        }
    }

    /// Converts the service error with `f`, keeping every other variant.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Validation(e) => SdkError::Validation(e),
            SdkError::Config(m) => SdkError::Config(m),
            SdkError::Endpoint(e) => SdkError::Endpoint(e),
            SdkError::Dispatch(e) => SdkError::Dispatch(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Response {
                message,
                status,
                request_id,
            } => SdkError::Response {
                message,
                status,
                request_id,
            },
            SdkError::Service(e) => SdkError::Service(ServiceError {
                error: f(e.error),
                meta: e.meta,
            }),
        }
    }

    /// The operation's error, if the service returned one.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The operation's error, if the service returned one.
    pub fn into_service(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e.error),
            _ => None,
        }
    }

    /// The service error with the response details (code, status, request id), if the service
    /// returned one.
    pub fn as_service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl SdkError<Infallible> {
    /// Widens an error that cannot be a service error (what
    /// [`ServiceClient::send`](crate::client::ServiceClient::send) returns) to any error type.
    pub fn into_error_type<E>(self) -> SdkError<E> {
        self.map_service(|never| match never {})
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "{e}"),
            SdkError::Config(message) => f.write_str(message),
            SdkError::Endpoint(e) => write!(f, "endpoint resolution failed: {e}"),
            SdkError::Dispatch(e) => write!(f, "request failed: {e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Response {
                message,
                status,
                request_id,
            } => {
                write!(f, "invalid response (HTTP status {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(f, "): {message}")
            }
            SdkError::Service(e) => write!(f, "{e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::Config(_) | SdkError::Response { .. } => None,
        }
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(e: ValidationError) -> Self {
        SdkError::Validation(e)
    }
}

/// Input that failed client-side validation (a missing required member, a value out of range,
/// ...), found before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The operation, e.g. `CreateAssistant`.
    pub operation: &'static str,
    /// The member, as a path from the input, e.g. `name` or `tags["x"]`.
    pub member: String,
    /// What is wrong with it, e.g. `is required but was not set`.
    pub message: String,
}

impl ValidationError {
    /// A validation error for `member` of `operation`'s input.
    pub fn new(
        operation: &'static str,
        member: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ValidationError {
            operation,
            member: member.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid input for {}: {} {}",
            self.operation, self.member, self.message
        )
    }
}

impl StdError for ValidationError {}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The per-attempt timeout, on the last attempt.
    Attempt,
    /// The per-operation timeout, which covers all attempts and the waits between them.
    Operation,
}

/// A timeout that ended a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    duration: Duration,
    attempts: u32,
}

impl TimeoutError {
    /// A timeout of `kind` that lasted `duration`, after `attempts` attempts were started.
    pub fn new(kind: TimeoutKind, duration: Duration, attempts: u32) -> Self {
        TimeoutError {
            kind,
            duration,
            attempts,
        }
    }

    /// Which timeout expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured length of that timeout.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.attempts == 1 { "" } else { "s" };
        match self.kind {
            TimeoutKind::Attempt => write!(
                f,
                "request timed out: no response within the per-attempt timeout of {:?} \
                 ({} attempt{plural})",
                self.duration, self.attempts
            ),
            TimeoutKind::Operation => write!(
                f,
                "operation timed out: not complete within the per-operation timeout of {:?} \
                 ({} attempt{plural} started)",
                self.duration, self.attempts
            ),
        }
    }
}

impl StdError for TimeoutError {}

/// An error response the operation's model does not describe: the fallback variant of every
/// generated per-operation error enum. `Display` is `"{code}: {message}"`.
///
/// When the code names an exception the *service* models but the operation does not list,
/// botocore still parses that exception's members; so do we: [`modeled`](Self::modeled) gives
/// it back as its generated type.
#[derive(Clone)]
pub struct UnhandledError {
    /// The error code, found as botocore finds it (see [`crate::protocol::error_code`]); the
    /// HTTP status code as text when the response carried none.
    pub code: String,
    /// The error message, or empty.
    pub message: String,
    /// The HTTP status code.
    pub status: u16,
    /// The request id the service sent, if any.
    pub request_id: Option<String>,
    /// The service's exception of this code, parsed, when the service models one.
    pub(crate) modeled: Option<Arc<dyn StdError + Send + Sync>>,
}

impl UnhandledError {
    /// An error with these details and no parsed exception.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        UnhandledError {
            code: code.into(),
            message: message.into(),
            status,
            request_id,
            modeled: None,
        }
    }

    /// The service's exception of this error's code (a generated type such as
    /// `types::ConflictException`), when the service models it although the operation does not
    /// list it.
    pub fn modeled<T: StdError + 'static>(&self) -> Option<&T> {
        self.modeled.as_deref()?.downcast_ref::<T>()
    }

    /// Whether the service's exception of this code was parsed (see [`modeled`](Self::modeled)).
    pub fn is_modeled(&self) -> bool {
        self.modeled.is_some()
    }
}

/// Compares the response details; the parsed exception follows from them.
impl PartialEq for UnhandledError {
    fn eq(&self, other: &Self) -> bool {
        (&self.code, &self.message, self.status, &self.request_id)
            == (&other.code, &other.message, other.status, &other.request_id)
    }
}

impl Eq for UnhandledError {}

impl fmt::Debug for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnhandledError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("modeled", &self.modeled)
            .finish()
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl StdError for UnhandledError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct OpError(UnhandledError);
    impl fmt::Display for OpError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }
    impl StdError for OpError {}

    #[test]
    fn display_of_each_variant() {
        let meta = UnhandledError::new(
            "ThrottlingException",
            "Rate exceeded",
            400,
            Some("abc".into()),
        );
        let service: SdkError<OpError> =
            SdkError::Service(ServiceError::new(OpError(meta.clone()), meta));
        assert_eq!(
            service.to_string(),
            "ThrottlingException: Rate exceeded (request id abc)"
        );
        assert!(service.source().is_some());
        let details = service.as_service_error().unwrap();
        assert_eq!((details.status(), details.request_id()), (400, Some("abc")));

        let config: SdkError<OpError> = SdkError::Config("no AWS region configured".into());
        assert_eq!(config.to_string(), "no AWS region configured");

        let response: SdkError<OpError> =
            SdkError::response("truncated JSON body", 200, Some("r-1".into()));
        assert_eq!(
            response.to_string(),
            "invalid response (HTTP status 200, request id r-1): truncated JSON body"
        );

        let validation: SdkError<OpError> =
            ValidationError::new("CreateAssistant", "name", "is required but was not set").into();
        assert_eq!(
            validation.to_string(),
            "invalid input for CreateAssistant: name is required but was not set"
        );

        let timeout: SdkError<OpError> = SdkError::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Duration::from_millis(200),
            3,
        ));
        assert_eq!(
            timeout.to_string(),
            "request timed out: no response within the per-attempt timeout of 200ms (3 attempts)"
        );
    }

    #[test]
    fn infallible_widens() {
        let e: SdkError<Infallible> = SdkError::Config("x".into());
        let widened: SdkError<OpError> = e.into_error_type();
        assert!(matches!(widened, SdkError::Config(m) if m == "x"));
    }
}
