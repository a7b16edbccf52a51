//! Retries as botocore's *standard* retry mode (`botocore/retries/standard.py`,
//! `botocore/retries/quota.py`).
//!
//! * At most [`RetryConfig::max_attempts`] attempts (3 by default; `AWS_MAX_ATTEMPTS` or
//!   `max_attempts` in the shared config file set it).
//! * Retried: responses with a throttling error code ([`THROTTLING_ERROR_CODES`]) or a transient
//!   one ([`TRANSIENT_ERROR_CODES`]), HTTP 500, 502, 503 and 504, and transport failures
//!   (connection errors, resets, timeouts). Never other 4xx responses.
//! * Before retry *n* (1-based: the attempt that just failed) the client sleeps
//!   `rand(0, 1) * min(2^(n-1) s, 20 s)` ([`backoff_delay`]).
//! * A per-client [`RetryQuota`] of 500 tokens: a retry costs 5 (10 after a timeout), a
//!   successful call gives back what its last retry cost, or 1 if it was not retried. An empty
//!   quota means no more retries: the last response or error is returned as is.
//!
//! The classification and backoff are pure functions, so they can be tested without a clock.
//!
//! This is botocore 1.43.11's standard mode as it runs by default (`AWS_NEW_RETRIES_2026`
//! unset). Modelled `retryable` error shapes (botocore's `ModeledRetryableChecker`) are not
//! known to the pipeline; STS's `IDPCommunicationError` is ([`is_service_specific_retryable`]).

use std::fmt;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use crate::http::{HttpError, HttpErrorKind};

/// Error codes botocore's standard mode treats as throttling (`ThrottledRetryableChecker`).
pub const THROTTLING_ERROR_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes botocore's standard mode treats as transient (`TransientRetryableChecker`).
pub const TRANSIENT_ERROR_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP status codes botocore's standard mode retries whatever the error code.
pub const TRANSIENT_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// Tokens in a new [`RetryQuota`].
pub const INITIAL_RETRY_TOKENS: u32 = 500;
/// Tokens a retry costs.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a call that succeeded without a retry gives back.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// Whether `code` is a throttling error code.
pub fn is_throttling_code(code: &str) -> bool {
    THROTTLING_ERROR_CODES.contains(&code)
}

/// Whether `code` is a transient error code.
pub fn is_transient_code(code: &str) -> bool {
    TRANSIENT_ERROR_CODES.contains(&code)
}

/// What kind of retryable failure an attempt ended in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// A throttling error code.
    Throttling,
    /// A transient error code or status, or a connection error.
    Transient,
    /// A connect, read or per-attempt timeout.
    Timeout,
    /// Not retryable: success, or an error retrying cannot fix.
    NoRetry,
}

impl RetryClass {
    /// Whether the attempt may be retried.
    pub fn is_retryable(self) -> bool {
        self != RetryClass::NoRetry
    }

    /// What a retry of this class costs from the [`RetryQuota`] (botocore's
    /// `RetryQuotaChecker`: 10 after a timeout, else 5).
    pub fn retry_cost(self) -> u32 {
        match self {
            RetryClass::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        }
    }
}

/// Classifies a response by its status and error code (from [`crate::protocol::error_code`]),
/// as `StandardRetryConditions` does.
pub fn classify_response(status: u16, error_code: Option<&str>) -> RetryClass {
    if let Some(code) = error_code {
        if is_throttling_code(code) {
            return RetryClass::Throttling;
        }
        if is_transient_code(code) {
            return RetryClass::Transient;
        }
    }
    if TRANSIENT_STATUS_CODES.contains(&status) {
        return RetryClass::Transient;
    }
    RetryClass::NoRetry
}

/// botocore's special cases for single services (`botocore/retries/special.py`): STS's
/// `IDPCommunicationError` is retried. `service_name` is the endpoint prefix (`sts`).
pub fn is_service_specific_retryable(service_name: &str, error_code: Option<&str>) -> bool {
    service_name == "sts" && error_code == Some("IDPCommunicationError")
}

/// Classifies a transport failure: timeouts, connection errors and broken connections are
/// retried (botocore's `ConnectionError` and `HTTPClientError`), anything else not.
pub fn classify_http_error(error: &HttpError) -> RetryClass {
    match error.kind() {
        HttpErrorKind::Timeout => RetryClass::Timeout,
        HttpErrorKind::Connect | HttpErrorKind::Io => RetryClass::Transient,
        _ => RetryClass::NoRetry,
    }
}

/// The sleep before retrying after attempt `attempt` (1-based) failed, botocore's
/// `ExponentialBackoff.delay_amount`: `random * min(base * 2^(attempt-1), max_backoff)`, with
/// `random` in `[0, 1)` and, in botocore, `base` = 1 s and `max_backoff` = 20 s.
pub fn backoff_delay(attempt: u32, random: f64, base: Duration, max_backoff: Duration) -> Duration {
    let exponent = attempt.saturating_sub(1).min(62);
    let ceiling = base.as_secs_f64() * (1u64 << exponent) as f64;
    let ceiling = ceiling.min(max_backoff.as_secs_f64());
    Duration::from_secs_f64((random.clamp(0.0, 1.0) * ceiling).max(0.0))
}

/// A source of random numbers in `[0, 1)` for backoff jitter.
#[derive(Clone)]
pub struct Jitter(Arc<dyn Fn() -> f64 + Send + Sync>);

impl Jitter {
    /// Uniform random jitter (botocore's `random.random`).
    pub fn random() -> Self {
        Jitter(Arc::new(fastrand::f64))
    }

    /// Always `value` (clamped to `[0, 1]`): deterministic backoff for tests; `0.0` retries at once.
    pub fn fixed(value: f64) -> Self {
        let value = value.clamp(0.0, 1.0);
        Jitter(Arc::new(move || value))
    }

    /// Jitter from `f`.
    pub fn from_fn(f: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        Jitter(Arc::new(f))
    }

    /// The next value.
    pub fn sample(&self) -> f64 {
        (self.0)()
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jitter")
    }
}

/// Retry settings.
#[derive(Clone, Debug)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: Jitter,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// botocore's standard mode: 3 attempts, backoff base 1 s, capped at 20 s, random jitter.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            jitter: Jitter::random(),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig::standard().with_max_attempts(1)
    }

    /// Sets the maximum number of attempts, the first one included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the backoff base (1 s in botocore): the ceiling of the first backoff.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the backoff cap (20 s in botocore).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Sets the jitter source.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The maximum number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff base.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The backoff cap.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The jitter source.
    pub fn jitter(&self) -> &Jitter {
        &self.jitter
    }

    /// The sleep before retrying after attempt `attempt` (1-based) failed.
    pub fn delay_after(&self, attempt: u32) -> Duration {
        backoff_delay(
            attempt,
            self.jitter.sample(),
            self.initial_backoff,
            self.max_backoff,
        )
    }
}

/// botocore's retry quota, a token bucket shared by all calls of one client.
#[derive(Debug)]
pub struct RetryQuota {
    max: u32,
    available: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new(INITIAL_RETRY_TOKENS)
    }
}

impl RetryQuota {
    /// A full quota of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            max: capacity,
            available: Mutex::new(capacity),
        }
    }

    /// Takes `amount` tokens if that many are left.
    pub fn acquire(&self, amount: u32) -> bool {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if amount > *available {
            return false;
        }
        *available -= amount;
        true
    }

    /// Gives back up to `amount` tokens, never above the capacity.
    pub fn release(&self, amount: u32) {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + amount).min(self.max);
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes_and_statuses() {
        assert_eq!(
            classify_response(400, Some("ThrottlingException")),
            RetryClass::Throttling
        );
        assert_eq!(
            classify_response(400, Some("SlowDown")),
            RetryClass::Throttling
        );
        assert_eq!(
            classify_response(400, Some("RequestTimeoutException")),
            RetryClass::Transient
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(classify_response(status, None), RetryClass::Transient);
            assert_eq!(
                classify_response(status, Some(&status.to_string())),
                RetryClass::Transient
            );
        }
        assert_eq!(classify_response(501, Some("501")), RetryClass::NoRetry);
        assert_eq!(
            classify_response(400, Some("ValidationException")),
            RetryClass::NoRetry
        );
        assert_eq!(
            classify_response(404, Some("ResourceNotFoundException")),
            RetryClass::NoRetry
        );
        assert_eq!(classify_response(429, None), RetryClass::NoRetry);
        assert_eq!(classify_response(200, None), RetryClass::NoRetry);
        // Every listed code, nothing else.
        for code in THROTTLING_ERROR_CODES {
            assert!(classify_response(400, Some(code)).is_retryable());
        }
        assert!(!classify_response(400, Some("throttlingexception")).is_retryable());
        assert!(is_service_specific_retryable(
            "sts",
            Some("IDPCommunicationError")
        ));
        assert!(!is_service_specific_retryable(
            "iam",
            Some("IDPCommunicationError")
        ));
    }

    #[test]
    fn classifies_transport_errors() {
        let e = |kind| HttpError::new(kind, "x");
        assert_eq!(
            classify_http_error(&e(HttpErrorKind::Timeout)),
            RetryClass::Timeout
        );
        assert_eq!(
            classify_http_error(&e(HttpErrorKind::Connect)),
            RetryClass::Transient
        );
        assert_eq!(
            classify_http_error(&e(HttpErrorKind::Io)),
            RetryClass::Transient
        );
        assert_eq!(
            classify_http_error(&e(HttpErrorKind::Other)),
            RetryClass::NoRetry
        );
        assert_eq!(RetryClass::Timeout.retry_cost(), 10);
        assert_eq!(RetryClass::Throttling.retry_cost(), 5);
        assert_eq!(RetryClass::Transient.retry_cost(), 5);
    }

    #[test]
    fn backoff_is_botocore_exponential_with_cap() {
        let s = Duration::from_secs(1);
        let cap = Duration::from_secs(20);
        assert_eq!(backoff_delay(1, 1.0, s, cap), Duration::from_secs(1));
        assert_eq!(backoff_delay(2, 1.0, s, cap), Duration::from_secs(2));
        assert_eq!(backoff_delay(3, 1.0, s, cap), Duration::from_secs(4));
        assert_eq!(backoff_delay(5, 1.0, s, cap), Duration::from_secs(16));
        assert_eq!(backoff_delay(6, 1.0, s, cap), Duration::from_secs(20));
        assert_eq!(backoff_delay(60, 1.0, s, cap), Duration::from_secs(20));
        assert_eq!(backoff_delay(1000, 1.0, s, cap), Duration::from_secs(20));
        assert_eq!(backoff_delay(3, 0.5, s, cap), Duration::from_secs(2));
        assert_eq!(backoff_delay(3, 0.0, s, cap), Duration::ZERO);
        let config = RetryConfig::standard().with_jitter(Jitter::fixed(0.25));
        assert_eq!(config.delay_after(2), Duration::from_millis(500));
        for _ in 0..100 {
            let d = RetryConfig::standard().delay_after(1);
            assert!(d <= Duration::from_secs(1));
        }
    }

    #[test]
    fn quota_acquire_and_release() {
        let q = RetryQuota::default();
        assert_eq!(q.available(), 500);
        assert!(q.acquire(RETRY_COST));
        assert!(q.acquire(TIMEOUT_RETRY_COST));
        assert_eq!(q.available(), 485);
        q.release(TIMEOUT_RETRY_COST);
        assert_eq!(q.available(), 495);
        q.release(100);
        assert_eq!(q.available(), 500);
        let small = RetryQuota::new(7);
        assert!(small.acquire(5));
        assert!(!small.acquire(5));
        assert_eq!(small.available(), 2);
    }

    #[test]
    fn config_defaults() {
        let c = RetryConfig::default();
        assert_eq!(c.max_attempts(), 3);
        assert_eq!(c.max_backoff(), Duration::from_secs(20));
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
