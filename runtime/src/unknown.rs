use std::fmt;

/// A value received from the service that this version of the SDK does not know: a new enum
/// value, or the tag of a new union member (what boto3 reports as `SDK_UNKNOWN_MEMBER`).
///
/// It keeps the string exactly as received so that it can be logged, compared and sent back.
/// There is deliberately no public constructor: a value is only `Unknown` if the generated
/// code did not recognise it, so `Unknown` never aliases a known variant.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// For generated code only: wraps a value the generated code did not recognise.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        UnknownValue(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stands in for a sensitive value in `Debug` output.
#[derive(Clone, Copy)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** Sensitive Data Redacted ***")
    }
}
