//! Endpoint discovery, as botocore's `discovery.py`: operations marked `endpointdiscovery` are
//! sent to an address the service's discovery operation (`endpointoperation`, usually
//! `DescribeEndpoints`) returns, cached per client for the `CachePeriodInMinutes` it says.
//!
//! When it applies (botocore's `ClientCreator._register_endpoint_discovery`):
//!
//! - never when an endpoint URL is set in code ([`ConfigBuilder::endpoint_url`]): the request
//!   goes to that URL, even for operations that require discovery. An endpoint configured in
//!   the environment or the shared config file (`AWS_ENDPOINT_URL_<SERVICE>`, ...) does not turn
//!   discovery off: `DescribeEndpoints` goes there, the operation to the address it returns.
//! - [`EndpointDiscoveryMode::Auto`] (the default): only for operations that require it
//!   (`endpointdiscovery: {required: true}`, the Timestream services); optional discovery
//!   (`endpointdiscovery: {}`, DynamoDB) is not used.
//! - [`EndpointDiscoveryMode::Enabled`]: for every operation with `endpointdiscovery`.
//! - [`EndpointDiscoveryMode::Disabled`]: never; an operation that requires it fails with
//!   botocore's "Endpoint Discovery is not enabled but this operation requires it." and
//!   nothing is sent.
//!
//! The cache (botocore's `EndpointDiscoveryManager`) is keyed by what the discovery operation
//! is asked: its `Operation` and `Identifiers` members (the operation's `endpointdiscoveryid`
//! members), sent only when there are identifiers, so that a service without identifiers
//! (Timestream) has one entry for all its operations. An address without a scheme gets
//! `https://`. A discovery that fails in transport is not retried for a minute; meanwhile
//! expired entries are used if there are any, an operation that requires discovery tries once
//! more and then fails ("Endpoint Discovery failed to refresh the required endpoints."), an
//! optional one uses the normal endpoint. Any other failure of the discovery call (an error
//! response, a malformed one) is the operation's error. A response with status 421 or the error
//! code `InvalidEndpointException` evicts the entry and the attempt is retried at once with a
//! fresh discovery (botocore's `needs-retry` handler; bounded here by the maximum attempts,
//! where botocore retries without limit).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::client::ServiceClient;
use crate::error::{SdkError, ValidationError};

#[cfg(doc)]
use crate::config::ConfigBuilder;

/// When endpoint discovery is used: botocore's `endpoint_discovery_enabled` (`auto`, `true`,
/// `false`; `AWS_ENDPOINT_DISCOVERY_ENABLED`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EndpointDiscoveryMode {
    /// Only for operations that require discovery (the default).
    #[default]
    Auto,
    /// For every operation that supports discovery.
    Enabled,
    /// Never; operations that require discovery fail.
    Disabled,
}

impl EndpointDiscoveryMode {
    /// `auto`, `true` or `false`, in any case and with surrounding spaces, as botocore's
    /// `_normalize_endpoint_discovery_config`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "auto" => Some(EndpointDiscoveryMode::Auto),
            "true" => Some(EndpointDiscoveryMode::Enabled),
            "false" => Some(EndpointDiscoveryMode::Disabled),
            _ => None,
        }
    }
}

/// botocore's `EndpointDiscoveryRequired` message.
pub const DISCOVERY_REQUIRED: &str =
    "Endpoint Discovery is not enabled but this operation requires it.";
/// botocore's `EndpointDiscoveryRefreshFailed` message.
pub const REFRESH_FAILED: &str = "Endpoint Discovery failed to refresh the required endpoints.";

/// The future a [`DescribeEndpointsFn`] returns.
pub type DescribeEndpointsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<DiscoveredEndpoint>, DiscoveryError>> + Send + 'a>>;

/// Calls the service's discovery operation through the client's pipeline; generated, one per
/// service.
pub type DescribeEndpointsFn =
    for<'a> fn(&'a ServiceClient, &'a DiscoveryRequest) -> DescribeEndpointsFuture<'a>;

/// A service's discovery operation (`endpointoperation: true`); one `static` per generated
/// crate.
#[derive(Debug)]
pub struct DiscoveryOperation {
    /// The operation's input has an `Operation` member (the name of the operation to
    /// discover for).
    pub sends_operation: bool,
    /// The operation's input has an `Identifiers` member (the `endpointdiscoveryid` values).
    pub sends_identifiers: bool,
    /// Calls it.
    pub describe: DescribeEndpointsFn,
}

/// What one operation call needs from discovery (its `endpointdiscovery` trait and the values
/// of its `endpointdiscoveryid` members); set by generated code on the
/// [`OperationRequest`](crate::client::OperationRequest).
#[derive(Clone, Debug)]
pub struct EndpointDiscovery {
    /// The operation requires discovery (`endpointdiscovery.required`).
    pub required: bool,
    /// `endpointdiscoveryid` members that are set: member name and value.
    pub identifiers: Vec<(&'static str, String)>,
    /// The service's discovery operation.
    pub operation: &'static DiscoveryOperation,
}

/// The input of one discovery call, as botocore's `discovery_operation_kwargs` builds it:
/// `Operation` and `Identifiers` only when there are identifiers, and only those the discovery
/// operation's input has.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DiscoveryRequest {
    identifiers: Option<BTreeMap<String, String>>,
    operation: Option<String>,
}

impl DiscoveryRequest {
    pub(crate) fn new(operation: &'static str, discovery: &EndpointDiscovery) -> Self {
        if discovery.identifiers.is_empty() {
            return DiscoveryRequest {
                identifiers: None,
                operation: None,
            };
        }
        let spec = discovery.operation;
        DiscoveryRequest {
            identifiers: spec.sends_identifiers.then(|| {
                discovery
                    .identifiers
                    .iter()
                    .map(|(name, value)| ((*name).to_owned(), value.clone()))
                    .collect()
            }),
            operation: spec.sends_operation.then(|| operation.to_owned()),
        }
    }

    /// The `Operation` member to send, if any.
    pub fn operation(&self) -> Option<String> {
        self.operation.clone()
    }

    /// The `Identifiers` member to send, if any.
    pub fn identifiers(&self) -> Option<BTreeMap<String, String>> {
        self.identifiers.clone()
    }
}

/// One entry of the discovery operation's `Endpoints`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveredEndpoint {
    address: Option<String>,
    cache_period_in_minutes: Option<i64>,
}

impl DiscoveredEndpoint {
    /// An entry as the response has it (both members are required by the model; a response
    /// without them is refused when it is cached).
    pub fn new(address: Option<String>, cache_period_in_minutes: Option<i64>) -> Self {
        DiscoveredEndpoint {
            address,
            cache_period_in_minutes,
        }
    }
}

/// Why a discovery call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveryError {
    /// A transport failure or timeout (botocore's `ConnectionError` / `HTTPClientError`): the
    /// only kind the cache recovers from.
    connection: bool,
    message: String,
}

impl DiscoveryError {
    /// The failure of the discovery operation's call.
    pub fn from_sdk<E: fmt::Display>(error: SdkError<E>) -> Self {
        let connection = matches!(error, SdkError::Dispatch(_) | SdkError::Timeout(_));
        DiscoveryError {
            connection,
            message: format!("the endpoint discovery call failed: {error}"),
        }
    }

    fn other(message: impl Into<String>) -> Self {
        DiscoveryError {
            connection: false,
            message: message.into(),
        }
    }

    /// Whether the call failed in transport.
    pub fn is_connection_error(&self) -> bool {
        self.connection
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<ValidationError> for DiscoveryError {
    fn from(error: ValidationError) -> Self {
        DiscoveryError::other(format!("the endpoint discovery call failed: {error}"))
    }
}

impl fmt::Display for DiscoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DiscoveryError {}

/// botocore's `EndpointDiscoveryHandler.discover_endpoint`: an address without a scheme is
/// HTTPS.
fn with_scheme(address: &str) -> String {
    if address.starts_with("http") {
        address.to_owned()
    } else {
        format!("https://{address}")
    }
}

/// How long after a transport failure discovery is not tried again for an optional operation.
const FAILURE_BACKOFF: Duration = Duration::from_secs(60);

/// The clock of an [`EndpointCache`]; injectable so that tests need not wait for expiry.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Discovered endpoints of one client (and its clones), by [`DiscoveryRequest`].
pub struct EndpointCache {
    state: Mutex<CacheState>,
    /// Held while a discovery call is made, so that concurrent calls that miss the cache make
    /// one call between them (botocore, without a lock, would make one each).
    refresh: tokio::sync::Mutex<()>,
    clock: Clock,
}

#[derive(Default)]
struct CacheState {
    entries: HashMap<DiscoveryRequest, Vec<CachedEndpoint>>,
    failed: HashMap<DiscoveryRequest, SystemTime>,
}

#[derive(Clone, Debug)]
struct CachedEndpoint {
    address: String,
    expiration: SystemTime,
}

impl fmt::Debug for EndpointCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("EndpointCache")
            .field("keys", &state.entries.len())
            .finish_non_exhaustive()
    }
}

impl Default for EndpointCache {
    fn default() -> Self {
        EndpointCache::with_clock(Arc::new(SystemTime::now))
    }
}

impl EndpointCache {
    /// An empty cache reading the time from `clock`.
    pub fn with_clock(clock: Clock) -> Self {
        EndpointCache {
            state: Mutex::default(),
            refresh: tokio::sync::Mutex::new(()),
            clock,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The first unexpired endpoint for `key` (`_get_current_endpoints`).
    fn current(&self, key: &DiscoveryRequest) -> Option<String> {
        let now = (self.clock)();
        self.lock()
            .entries
            .get(key)?
            .iter()
            .find(|e| now < e.expiration)
            .map(|e| e.address.clone())
    }

    /// The first endpoint for `key`, expired or not.
    fn stale(&self, key: &DiscoveryRequest) -> Option<String> {
        self.lock()
            .entries
            .get(key)?
            .first()
            .map(|e| e.address.clone())
    }

    /// `_recently_failed`: a transport failure less than a minute ago.
    fn recently_failed(&self, key: &DiscoveryRequest) -> bool {
        let now = (self.clock)();
        let mut state = self.lock();
        match state.failed.get(key) {
            Some(until) if now < *until => true,
            Some(_) => {
                state.failed.remove(key);
                false
            }
            None => false,
        }
    }

    /// Forgets the endpoints of `key` (after `InvalidEndpointException` or a 421).
    pub fn evict(&self, key: &DiscoveryRequest) {
        self.lock().entries.remove(key);
    }

    /// `_refresh_current_endpoints`: `Ok(None)` when the call failed in transport (remembered
    /// for a minute) or returned no endpoints.
    async fn refresh_endpoints<F, Fut>(
        &self,
        key: &DiscoveryRequest,
        describe: &F,
        last_failure: &mut Option<String>,
    ) -> Result<Option<String>, DiscoveryError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Vec<DiscoveredEndpoint>, DiscoveryError>>,
    {
        match describe().await {
            Ok(endpoints) => {
                let now = (self.clock)();
                let mut cached = Vec::with_capacity(endpoints.len());
                for endpoint in endpoints {
                    let (Some(address), Some(minutes)) =
                        (endpoint.address, endpoint.cache_period_in_minutes)
                    else {
                        return Err(DiscoveryError::other(
                            "the endpoint discovery response has an endpoint without Address \
                             or CachePeriodInMinutes",
                        ));
                    };
                    let period = Duration::from_secs(u64::try_from(minutes).unwrap_or(0) * 60);
                    cached.push(CachedEndpoint {
                        address,
                        expiration: now.checked_add(period).unwrap_or(now),
                    });
                }
                let first = cached.first().map(|e| e.address.clone());
                let mut state = self.lock();
                state.entries.insert(key.clone(), cached);
                state.failed.remove(key);
                Ok(first)
            }
            Err(e) if e.is_connection_error() => {
                let until = (self.clock)() + FAILURE_BACKOFF;
                self.lock().failed.insert(key.clone(), until);
                *last_failure = Some(e.message);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// botocore's `EndpointDiscoveryManager.describe_endpoint`: the URL to send an operation
    /// to, `None` for the normal endpoint (optional discovery that failed), calling `describe`
    /// when the cache has nothing fresh for `key`.
    pub async fn endpoint<F, Fut>(
        &self,
        key: &DiscoveryRequest,
        required: bool,
        describe: F,
    ) -> Result<Option<String>, DiscoveryError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Vec<DiscoveredEndpoint>, DiscoveryError>>,
    {
        if let Some(address) = self.current(key) {
            return Ok(Some(with_scheme(&address)));
        }
        let _guard = self.refresh.lock().await;
        if let Some(address) = self.current(key) {
            return Ok(Some(with_scheme(&address)));
        }
        let mut last_failure = None;
        let recently_failed = self.recently_failed(key);
        if !recently_failed
            && let Some(address) = self
                .refresh_endpoints(key, &describe, &mut last_failure)
                .await?
        {
            return Ok(Some(with_scheme(&address)));
        }
        // Discovery is failing: use what we had, however old.
        if let Some(address) = self.stale(key) {
            return Ok(Some(with_scheme(&address)));
        }
        if !required {
            return Ok(None);
        }
        // Required: one more try if the first was skipped for a recent failure.
        if recently_failed
            && let Some(address) = self
                .refresh_endpoints(key, &describe, &mut last_failure)
                .await?
        {
            return Ok(Some(with_scheme(&address)));
        }
        Err(DiscoveryError::other(match last_failure {
            Some(cause) => format!("{REFRESH_FAILED} ({cause})"),
            None => format!("{REFRESH_FAILED} (the service returned no endpoints)"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// A clock that stands still until moved.
    fn manual_clock() -> (Clock, Arc<AtomicU64>) {
        let secs = Arc::new(AtomicU64::new(1_000_000));
        let read = secs.clone();
        let clock: Clock = Arc::new(move || {
            SystemTime::UNIX_EPOCH + Duration::from_secs(read.load(Ordering::SeqCst))
        });
        (clock, secs)
    }

    fn key() -> DiscoveryRequest {
        DiscoveryRequest {
            identifiers: None,
            operation: None,
        }
    }

    struct Service {
        calls: AtomicUsize,
        answers: Mutex<Vec<Result<Vec<DiscoveredEndpoint>, DiscoveryError>>>,
    }

    impl Service {
        fn new(answers: Vec<Result<Vec<DiscoveredEndpoint>, DiscoveryError>>) -> Self {
            Service {
                calls: AtomicUsize::new(0),
                answers: Mutex::new(answers.into_iter().rev().collect()),
            }
        }

        async fn describe(&self) -> Result<Vec<DiscoveredEndpoint>, DiscoveryError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.answers.lock().unwrap().pop().expect("an answer left")
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    fn endpoints(address: &str, minutes: i64) -> Result<Vec<DiscoveredEndpoint>, DiscoveryError> {
        Ok(vec![DiscoveredEndpoint::new(
            Some(address.into()),
            Some(minutes),
        )])
    }

    fn connection_failure() -> Result<Vec<DiscoveredEndpoint>, DiscoveryError> {
        Err(DiscoveryError {
            connection: true,
            message: "connection refused".into(),
        })
    }

    #[test]
    fn modes_parse_as_botocore() {
        assert_eq!(
            EndpointDiscoveryMode::parse(" TRUE "),
            Some(EndpointDiscoveryMode::Enabled)
        );
        assert_eq!(
            EndpointDiscoveryMode::parse("False"),
            Some(EndpointDiscoveryMode::Disabled)
        );
        assert_eq!(
            EndpointDiscoveryMode::parse("auto"),
            Some(EndpointDiscoveryMode::Auto)
        );
        assert_eq!(EndpointDiscoveryMode::parse("yes"), None);
    }

    #[test]
    fn cached_until_the_period_ends_then_rediscovered() {
        let (clock, secs) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        let service = Service::new(vec![endpoints("a.example", 2), endpoints("b.example", 2)]);
        block_on(async {
            let get = || cache.endpoint(&k, true, || service.describe());
            assert_eq!(get().await.unwrap().as_deref(), Some("https://a.example"));
            secs.fetch_add(119, Ordering::SeqCst);
            assert_eq!(get().await.unwrap().as_deref(), Some("https://a.example"));
            assert_eq!(service.calls(), 1);
            // Expiration is `now + minutes * 60`, fresh while `now < expiration`.
            secs.fetch_add(1, Ordering::SeqCst);
            assert_eq!(get().await.unwrap().as_deref(), Some("https://b.example"));
            assert_eq!(service.calls(), 2);
        });
    }

    #[test]
    fn keys_are_separate_and_eviction_forces_a_call() {
        let (clock, _) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        let other = DiscoveryRequest {
            identifiers: Some(BTreeMap::from([("Name".into(), "x".into())])),
            operation: Some("GetThing".into()),
        };
        let service = Service::new(vec![
            endpoints("http://a:1", 10),
            endpoints("b", 10),
            endpoints("c", 10),
        ]);
        block_on(async {
            let get = |k| cache.endpoint(k, true, || service.describe());
            assert_eq!(get(&k).await.unwrap().as_deref(), Some("http://a:1"));
            assert_eq!(get(&other).await.unwrap().as_deref(), Some("https://b"));
            assert_eq!(get(&k).await.unwrap().as_deref(), Some("http://a:1"));
            cache.evict(&k);
            assert_eq!(get(&k).await.unwrap().as_deref(), Some("https://c"));
            assert_eq!(get(&other).await.unwrap().as_deref(), Some("https://b"));
        });
        assert_eq!(service.calls(), 3);
    }

    #[test]
    fn transport_failures_fall_back_as_botocore() {
        let (clock, secs) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        // Optional: the normal endpoint, and no new call for a minute.
        let service = Service::new(vec![connection_failure(), endpoints("a", 1)]);
        block_on(async {
            let get = || cache.endpoint(&k, false, || service.describe());
            assert_eq!(get().await.unwrap(), None);
            assert_eq!(get().await.unwrap(), None);
            assert_eq!(service.calls(), 1);
            secs.fetch_add(60, Ordering::SeqCst);
            assert_eq!(get().await.unwrap().as_deref(), Some("https://a"));
            assert_eq!(service.calls(), 2);
            // Expired, and discovery failing: the stale entry is used.
        });
        let service = Service::new(vec![connection_failure()]);
        secs.fetch_add(600, Ordering::SeqCst);
        block_on(async {
            let got = cache.endpoint(&k, true, || service.describe()).await;
            assert_eq!(got.unwrap().as_deref(), Some("https://a"));
        });

        // Required with nothing cached: an error; within the minute it tries once more.
        let (clock, _) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        let service = Service::new(vec![connection_failure(), connection_failure()]);
        block_on(async {
            let get = || cache.endpoint(&k, true, || service.describe());
            let error = get().await.unwrap_err();
            assert!(error.message().starts_with(REFRESH_FAILED), "{error}");
            assert!(error.message().contains("connection refused"), "{error}");
            assert!(get().await.is_err());
        });
        assert_eq!(service.calls(), 2);
    }

    #[test]
    fn other_failures_are_errors_and_empty_lists_fail_required_calls() {
        let (clock, _) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        let service = Service::new(vec![
            Err(DiscoveryError::other("AccessDeniedException: no")),
            Ok(vec![]),
            Ok(vec![DiscoveredEndpoint::new(None, Some(1))]),
        ]);
        block_on(async {
            let get = || cache.endpoint(&k, true, || service.describe());
            assert_eq!(
                get().await.unwrap_err().message(),
                "AccessDeniedException: no"
            );
            let error = get().await.unwrap_err();
            assert!(error.message().contains("returned no endpoints"), "{error}");
            let error = get().await.unwrap_err();
            assert!(error.message().contains("without Address"), "{error}");
        });
    }

    #[test]
    fn concurrent_misses_make_one_call() {
        let (clock, _) = manual_clock();
        let cache = EndpointCache::with_clock(clock);
        let k = key();
        let service = Service::new(vec![endpoints("a", 5)]);
        block_on(async {
            let slow = || async {
                tokio::task::yield_now().await;
                service.describe().await
            };
            let (a, b) = tokio::join!(
                cache.endpoint(&k, true, slow),
                cache.endpoint(&k, true, slow)
            );
            assert_eq!(a.unwrap(), b.unwrap());
        });
        assert_eq!(service.calls(), 1);
    }
}
