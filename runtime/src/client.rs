//! The request pipeline every generated operation goes through, written once.
//!
//! A generated client holds a [`ServiceClient`] built from a [`Config`] and its service's
//! static [`ServiceMeta`]. Each operation serializes its input into an [`OperationRequest`]
//! (method, encoded path and query, headers, body) and calls [`ServiceClient::send`], which:
//!
//! 1. checks the configuration (loading problems, region, credentials provider);
//! 2. resolves the endpoint with the service's rule set and the parameters `Region`, `UseFIPS`,
//!    `UseDualStack` and `Endpoint` (the configured endpoint URL, see
//!    [`Config::endpoint_url_for`]);
//! 3. joins the endpoint URL and the operation's path and query as botocore's `_urljoin`, and
//!    adds the endpoint's headers, `host`, `user-agent`, `amz-sdk-invocation-id` and
//!    `amz-sdk-request`;
//! 4. for each attempt: gets credentials, signs with SigV4 (signing name and region from the
//!    endpoint's `sigv4` auth scheme when it has one), adds `content-length` as botocore does
//!    (after signing, for every method but GET, HEAD and OPTIONS, `0` for an empty body), sends
//!    with the per-attempt timeout, and retries as [`crate::retry`] describes, using
//!    [`crate::protocol::error_code`] on error responses;
//! 5. returns the last response, success or error, for the generated code to parse.
//!
//! Only problems that leave no response to parse are errors here: configuration, endpoint
//! resolution, transport failures and timeouts. The per-operation timeout covers the whole
//! loop.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::config::Config;
use crate::discovery::{
    DISCOVERY_REQUIRED, DiscoveryRequest, EndpointCache, EndpointDiscovery, EndpointDiscoveryMode,
};
use crate::endpoint::{Endpoint, EndpointError, EndpointErrorKind, ParamValue, Params, RuleSet};
use crate::error::{SdkError, TimeoutError, TimeoutKind};
use crate::http::HttpError;
use crate::protocol::{self, Protocol};
use crate::retry::{self, RetryClass, RetryQuota};
use crate::sign::{self, SigningParams};
use crate::token::TokenContext;

/// What the pipeline needs to know about a service; one `static` per generated crate.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The service id, e.g. `QBusiness` (for `AWS_ENDPOINT_URL_<SERVICE>` and the user agent).
    pub service_id: &'static str,
    /// The default SigV4 signing name, e.g. `qbusiness`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `qbusiness`.
    pub endpoint_prefix: &'static str,
    /// The protocol.
    pub protocol: Protocol,
    /// The text of the service's `endpoint-rule-set-1.json`; empty when the model has none
    /// (then every call needs a configured endpoint URL).
    pub endpoint_rule_set: &'static str,
    /// Parses any of the service's exceptions by code, for an error code an operation does not
    /// list (botocore's `shape_for_error_code` searches the whole service); generated.
    pub modeled_exception: Option<crate::response::ParseModeled>,
}

/// One serialized operation call.
#[derive(Clone, Debug)]
pub struct OperationRequest {
    /// The operation name, e.g. `ListAssistants`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path and query, already percent-encoded, e.g. `/assistants?maxResults=10`; joined to
    /// the endpoint URL's path.
    pub path_and_query: String,
    /// Headers of the operation (`content-type`, `x-amz-target`, bound members, ...).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub body: Bytes,
    /// The status the operation returns on success (for the generated parser; the pipeline
    /// treats every 2xx as success, as botocore does).
    pub success_status: u16,
    /// Prepended to the endpoint's host (`endpoint.hostPrefix`, labels filled in).
    pub host_prefix: Option<String>,
    /// The body may be gzip-compressed (`requestcompression`). As botocore, the pipeline
    /// compresses it when it is at least [`Config::request_min_compression_size_bytes`] long
    /// and compression is not disabled, and appends `gzip` to `Content-Encoding`. Needs the
    /// runtime's `request-compression` feature (generated crates enable it when they have such
    /// an operation); without it the body is sent as is, which services accept.
    pub gzip: bool,
    /// Endpoint rule-set parameters this call sets (the operation's `staticContextParams`,
    /// its input's `contextParam` members and `operationContextParams`); they override the
    /// configuration's built-ins, as in botocore.
    pub endpoint_params: Vec<(&'static str, ParamValue)>,
    /// How the request is signed (the operation's `auth` / `authtype` / `unsignedPayload`).
    pub signing: Signing,
    /// The operation's endpoint discovery (`endpointdiscovery`), if it has any; see
    /// [`crate::discovery`].
    pub discovery: Option<EndpointDiscovery>,
}

/// How a request is signed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Signing {
    /// SigV4 over the whole request, body included.
    #[default]
    SigV4,
    /// SigV4 with the payload hash `UNSIGNED-PAYLOAD` sent as `X-Amz-Content-SHA256`
    /// (`unsignedPayload`, `authtype: v4-unsigned-body`) over HTTPS; over plain HTTP botocore
    /// signs the body anyway, and so do we.
    UnsignedPayload,
    /// Not signed and no credentials needed (`authtype: none`, `auth: [smithy.api#noAuth]`).
    Anonymous,
    /// `Authorization: Bearer <token>` with a token from [`Config::token_provider`], as
    /// botocore's `BearerAuth` (`signatureVersion` / `authtype` `bearer`,
    /// `smithy.api#httpBearerAuth`); no SigV4 headers, no credentials, no region needed.
    Bearer,
}

impl OperationRequest {
    /// A request without headers or body, expecting 200.
    pub fn new(operation: &'static str, method: Method, path_and_query: impl Into<String>) -> Self {
        OperationRequest {
            operation,
            method,
            path_and_query: path_and_query.into(),
            headers: Vec::new(),
            body: Bytes::new(),
            success_status: 200,
            host_prefix: None,
            gzip: false,
            endpoint_params: Vec::new(),
            signing: Signing::SigV4,
            discovery: None,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }
}

/// A configured client of one service: the pipeline of [`ServiceClient::send`]. Cheap to clone;
/// clones share the parsed rule set, the retry quota and the connection pool.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    config: Config,
    meta: &'static ServiceMeta,
    /// `None` for a model without a rule set.
    rules: Option<Result<RuleSet, String>>,
    quota: RetryQuota,
    user_agent: HeaderValue,
    /// Discovered endpoints, shared by clones (botocore keeps one manager per client).
    discovery: EndpointCache,
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("service_id", &self.inner.meta.service_id)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

const NO_REGION: &str = "no AWS region configured: set the AWS_REGION (or AWS_DEFAULT_REGION) \
     environment variable, `region` in the profile of the shared config file (~/.aws/config), or \
     the region in code with Config::builder().region(..)";

pub(crate) const NO_CREDENTIALS_PROVIDER: &str = "no AWS credentials found: the configuration has no \
     credentials provider; set credentials in code with Config::builder().credentials(..), or \
     build the configuration with Config::from_env() to read AWS_ACCESS_KEY_ID and \
     AWS_SECRET_ACCESS_KEY or a profile of ~/.aws/credentials";

pub(crate) const NO_TOKEN_PROVIDER: &str = "Unable to locate authorization token: the \
     configuration has no token provider; set a token in code with Config::builder().token(..), \
     or build the configuration with Config::from_env() to read AWS_BEARER_TOKEN_<SERVICE> or \
     the SSO token cache of a profile with sso_session (aws sso login)";

/// The message of a call that got no bearer token: botocore's `NoAuthTokenError` text when the
/// providers had none, else what went wrong.
fn no_token_message(error: &crate::token::TokenError) -> String {
    if error.kind() == crate::token::TokenErrorKind::NotLoaded
        && !error.message().starts_with(crate::token::NO_AUTH_TOKEN)
    {
        format!("{}: {}", crate::token::NO_AUTH_TOKEN, error.message())
    } else {
        error.message().to_owned()
    }
}

/// The URL of `request` at the endpoint `base`: joined paths, host prefix.
fn request_uri(base: &str, request: &OperationRequest) -> Result<http::Uri, String> {
    let mut uri = join_url(base, &request.path_and_query)?;
    if let Some(prefix) = &request.host_prefix {
        uri = prefix_host(&uri, prefix)?;
    }
    Ok(uri)
}

/// Why an attempt got no response.
enum Failure {
    Http(HttpError),
    AttemptTimeout(Duration),
}

impl ServiceClient {
    /// A client of `meta`'s service with `config`. The rule set is parsed here; a broken one is
    /// reported by every call as a configuration error.
    pub fn new(config: Config, meta: &'static ServiceMeta) -> Self {
        let rules = (!meta.endpoint_rule_set.is_empty())
            .then(|| RuleSet::from_json(meta.endpoint_rule_set).map_err(|e| e.to_string()));
        let user_agent = user_agent(meta, config.app_id());
        ServiceClient {
            inner: Arc::new(ClientInner {
                config,
                meta,
                rules,
                quota: RetryQuota::default(),
                user_agent,
                discovery: EndpointCache::default(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service.
    pub fn meta(&self) -> &'static ServiceMeta {
        self.inner.meta
    }

    /// The retry quota shared by this client's calls.
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.inner.quota
    }

    /// Resolves the endpoint for the configured region, FIPS, dual-stack and endpoint URL.
    pub fn resolve_endpoint(&self) -> Result<Endpoint, SdkError<Infallible>> {
        self.resolve_endpoint_with(&[])
    }

    /// The endpoints discovered by this client and its clones.
    pub fn endpoint_cache(&self) -> &EndpointCache {
        &self.inner.discovery
    }

    /// Resolves the endpoint as [`resolve_endpoint`](Self::resolve_endpoint) with an
    /// operation's own parameters (see [`OperationRequest::endpoint_params`]) set on top.
    pub fn resolve_endpoint_with(
        &self,
        operation_params: &[(&'static str, ParamValue)],
    ) -> Result<Endpoint, SdkError<Infallible>> {
        self.resolve_endpoint_for(operation_params, true)
    }

    /// `region_required: false` for bearer-token calls, which (as botocore's `BearerAuth`)
    /// need no region to sign: the rule set decides whether it can do without (CodeCatalyst's
    /// can).
    fn resolve_endpoint_for(
        &self,
        operation_params: &[(&'static str, ParamValue)],
        region_required: bool,
    ) -> Result<Endpoint, SdkError<Infallible>> {
        let config = &self.inner.config;
        if let Some(problem) = config.load_error() {
            return Err(SdkError::Config(problem.to_owned()));
        }
        let region = config.region();
        if region_required && region.is_none() {
            return Err(SdkError::Config(NO_REGION.to_owned()));
        }
        let endpoint_url = config
            .endpoint_url_for(self.inner.meta.service_id)
            .map_err(SdkError::Config)?;
        let Some(rules) = &self.inner.rules else {
            // A model without a rule set (a custom or test model): the endpoint is whatever the
            // configuration names, used as given.
            return match endpoint_url {
                Some(url) => Ok(Endpoint {
                    url,
                    headers: Default::default(),
                    properties: Default::default(),
                }),
                None => Err(SdkError::Config(format!(
                    "the {} model has no endpoint rule set: configure an endpoint URL",
                    self.inner.meta.service_id
                ))),
            };
        };
        let rules = rules.as_ref().map_err(|e| {
            SdkError::Config(format!(
                "the endpoint rule set of {} is unusable: {e}",
                self.inner.meta.service_id
            ))
        })?;
        let mut params = Params::new()
            .with_bool("UseFIPS", config.use_fips())
            .with_bool("UseDualStack", config.use_dual_stack());
        if let Some(region) = region {
            params.set("Region", region);
        }
        if let Some(url) = endpoint_url {
            params.set("Endpoint", url);
        }
        for (name, value) in operation_params {
            params.set(*name, value.clone());
        }
        rules.resolve(&params).map_err(SdkError::Endpoint)
    }

    /// Sends `request` through the pipeline (see the [module docs](self)) and returns the final
    /// response, whatever its status.
    pub async fn send(
        &self,
        request: OperationRequest,
    ) -> Result<http::Response<Bytes>, SdkError<Infallible>> {
        let attempts = AtomicU32::new(0);
        match self.inner.config.timeout_config().operation_timeout() {
            None => self.send_with_retries(&request, &attempts).await,
            Some(limit) => {
                match tokio::time::timeout(limit, self.send_with_retries(&request, &attempts)).await
                {
                    Ok(result) => result,
                    Err(_) => Err(SdkError::Timeout(TimeoutError::new(
                        TimeoutKind::Operation,
                        limit,
                        attempts.load(Ordering::SeqCst),
                    ))),
                }
            }
        }
    }

    /// The discovery this call uses, with its cache key, or `None` (see [`crate::discovery`]
    /// for when it applies); an error if the operation requires discovery and it is disabled.
    fn active_discovery<'r>(
        &self,
        request: &'r OperationRequest,
    ) -> Result<Option<(&'r EndpointDiscovery, DiscoveryRequest)>, SdkError<Infallible>> {
        let Some(discovery) = &request.discovery else {
            return Ok(None);
        };
        let config = &self.inner.config;
        // botocore registers no discovery handler at all for a client with an endpoint URL.
        if config.endpoint_url().is_some() {
            return Ok(None);
        }
        let active = match config.endpoint_discovery() {
            EndpointDiscoveryMode::Enabled => true,
            EndpointDiscoveryMode::Auto => discovery.required,
            EndpointDiscoveryMode::Disabled if discovery.required => {
                return Err(SdkError::Config(format!(
                    "{DISCOVERY_REQUIRED} ({} requires endpoint discovery; enable it with \
                     AWS_ENDPOINT_DISCOVERY_ENABLED=auto or true, or set an endpoint URL)",
                    request.operation
                )));
            }
            EndpointDiscoveryMode::Disabled => false,
        };
        Ok(active.then(|| {
            (
                discovery,
                DiscoveryRequest::new(request.operation, discovery),
            )
        }))
    }

    /// The discovered URL for `request` (calling the discovery operation when the cache has
    /// nothing fresh), or `None` to use the normal endpoint.
    async fn discovered_uri(
        &self,
        request: &OperationRequest,
        discovery: &EndpointDiscovery,
        key: &DiscoveryRequest,
    ) -> Result<Option<http::Uri>, SdkError<Infallible>> {
        let describe = discovery.operation.describe;
        let address = self
            .inner
            .discovery
            .endpoint(key, discovery.required, || describe(self, key))
            .await
            .map_err(|e| {
                SdkError::Endpoint(EndpointError::new(
                    EndpointErrorKind::Discovery,
                    e.message().to_owned(),
                ))
            })?;
        match address {
            // botocore replaces the whole URL with the address; the operations that use
            // discovery are all `POST /`, for which joining the path is the same.
            Some(address) => request_uri(&address, request)
                .map(Some)
                .map_err(|e| SdkError::Config(format!("the discovered endpoint: {e}"))),
            None => Ok(None),
        }
    }

    /// The headers every attempt starts from: the operation's, the endpoint's, `host`,
    /// `user-agent` and `amz-sdk-invocation-id`.
    pub(crate) fn request_headers(
        &self,
        request: &OperationRequest,
        endpoint: &Endpoint,
        uri: &http::Uri,
    ) -> Result<HeaderMap, SdkError<Infallible>> {
        let mut headers = HeaderMap::with_capacity(request.headers.len() + 8);
        for (name, value) in &request.headers {
            headers.append(name.clone(), value.clone());
        }
        for (name, values) in &endpoint.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                SdkError::Config(format!("the endpoint has an invalid header name {name:?}"))
            })?;
            for value in values {
                let value = HeaderValue::from_str(value).map_err(|_| {
                    SdkError::Config(format!(
                        "the endpoint has an invalid value for header {name}"
                    ))
                })?;
                headers.append(name.clone(), value);
            }
        }
        headers.insert(http::header::HOST, host_header(uri)?);
        headers.insert(http::header::USER_AGENT, self.inner.user_agent.clone());
        headers.insert(
            HeaderName::from_static("amz-sdk-invocation-id"),
            HeaderValue::from_str(&invocation_id()).expect("hex and dashes"),
        );
        Ok(headers)
    }

    async fn send_with_retries(
        &self,
        request: &OperationRequest,
        attempts: &AtomicU32,
    ) -> Result<http::Response<Bytes>, SdkError<Infallible>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let meta = inner.meta;
        let bearer = request.signing == Signing::Bearer;
        let endpoint = self.resolve_endpoint_for(&request.endpoint_params, !bearer)?;
        let region = config.region().unwrap_or_default();
        let endpoint_uri = request_uri(&endpoint.url, request).map_err(SdkError::Config)?;
        // Bearer tokens are not bound to a region or signing name: the endpoint's SigV4 scheme
        // (if any) does not matter to them.
        let (signing_region, signing_name, double_uri_encode) = if bearer {
            (String::new(), meta.signing_name.to_owned(), true)
        } else {
            signing_scheme(&endpoint, region, meta.signing_name).map_err(SdkError::Config)?
        };
        let provider = match request.signing {
            Signing::Anonymous | Signing::Bearer => None,
            Signing::SigV4 | Signing::UnsignedPayload => Some(
                config
                    .credentials_provider()
                    .ok_or_else(|| SdkError::Config(NO_CREDENTIALS_PROVIDER.to_owned()))?,
            ),
        };
        let token_provider = match request.signing {
            Signing::Bearer => Some(
                config
                    .token_provider()
                    .ok_or_else(|| SdkError::Config(NO_TOKEN_PROVIDER.to_owned()))?,
            ),
            _ => None,
        };
        let discovery = self.active_discovery(request)?;
        let http = config
            .http_client()
            .map_err(|e| SdkError::Config(format!("cannot create the HTTP client: {e}")))?;

        let mut headers = self.request_headers(request, &endpoint, &endpoint_uri)?;
        let body = compress_body(request, config, &mut headers);
        let sends_length = !matches!(request.method, Method::GET | Method::HEAD | Method::OPTIONS)
            && !headers.contains_key(http::header::CONTENT_LENGTH)
            && !headers.contains_key(http::header::TRANSFER_ENCODING);

        let retry = config.retry_config();
        let max_attempts = retry.max_attempts();
        let attempt_timeout = config.timeout_config().attempt_timeout();
        let mut last_retry_cost: Option<u32> = None;
        // botocore's `ttl` of `amz-sdk-request`, from the last response's `Date` header.
        let mut ttl: Option<String> = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // With discovery, every attempt asks the cache (botocore's `request-created`
            // handler), so a retry after an eviction goes to a newly discovered address.
            let uri = match &discovery {
                Some((discovery, key)) => self
                    .discovered_uri(request, discovery, key)
                    .await?
                    .unwrap_or_else(|| endpoint_uri.clone()),
                None => endpoint_uri.clone(),
            };
            let unsigned_payload =
                request.signing == Signing::UnsignedPayload && uri.scheme_str() == Some("https");
            let token = match token_provider {
                Some(provider) => Some(
                    provider
                        .provide_token(TokenContext::new(meta.signing_name, &http))
                        .await
                        .map_err(|e| SdkError::Config(no_token_message(&e)))?,
                ),
                None => None,
            };
            let credentials = match &provider {
                Some(provider) => Some(
                    provider
                        .provide_credentials()
                        .await
                        .map_err(|e| SdkError::Config(e.to_string()))?,
                ),
                None => None,
            };
            let mut http_request = http::Request::new(body.clone());
            *http_request.method_mut() = request.method.clone();
            *http_request.uri_mut() = uri.clone();
            *http_request.headers_mut() = headers.clone();
            if discovery.is_some() {
                http_request
                    .headers_mut()
                    .insert(http::header::HOST, host_header(&uri)?);
            }
            http_request.headers_mut().insert(
                HeaderName::from_static("amz-sdk-request"),
                HeaderValue::from_str(&sdk_request_header(ttl.as_deref(), attempt, max_attempts))
                    .expect("digits and letters"),
            );
            let params = SigningParams {
                region: &signing_region,
                signing_name: &signing_name,
                time: SystemTime::now(),
                double_uri_encode,
            };
            if let Some(credentials) = &credentials {
                let signed = if unsigned_payload {
                    sign::sign_unsigned_payload(&mut http_request, credentials, &params)
                } else {
                    sign::sign(&mut http_request, credentials, &params)
                };
                signed.map_err(|e| SdkError::Config(e.to_string()))?;
            }
            if let Some(token) = &token {
                // botocore's `BearerAuth.add_auth` (RFC 6750 section 2.1), over HTTP or HTTPS
                // alike, as botocore.
                let value =
                    HeaderValue::from_str(&format!("Bearer {}", token.token())).map_err(|_| {
                        SdkError::Config(
                            "the bearer token has characters that cannot be sent in a header"
                                .to_owned(),
                        )
                    })?;
                http_request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, value);
            }
            if sends_length {
                http_request
                    .headers_mut()
                    .insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            }

            attempts.store(attempt, Ordering::SeqCst);
            let result = match attempt_timeout {
                None => http.call(http_request).await.map_err(Failure::Http),
                Some(limit) => match tokio::time::timeout(limit, http.call(http_request)).await {
                    Ok(r) => r.map_err(Failure::Http),
                    Err(_) => Err(Failure::AttemptTimeout(limit)),
                },
            };
            let result = match result {
                Ok(response) if response.status().is_success() => {
                    // botocore's `release_retry_quota` on `after-call`.
                    inner
                        .quota
                        .release(last_retry_cost.unwrap_or(retry::NO_RETRY_INCREMENT));
                    return Ok(response);
                }
                other => other,
            };
            let class = match &result {
                Ok(response) => {
                    if let Some(t) = retry_ttl(response.headers(), config.timeout_config()) {
                        ttl = Some(t);
                    }
                    let status = response.status().as_u16();
                    let code = protocol::error_code(
                        &meta.protocol,
                        status,
                        response.headers(),
                        response.body(),
                    );
                    // botocore's `EndpointDiscoveryHandler.handle_retries`: the address is not
                    // (or no longer) right; forget it and retry at once, rediscovering.
                    if let Some((_, key)) = &discovery
                        && (status == 421 || code.as_deref() == Some("InvalidEndpointException"))
                    {
                        inner.discovery.evict(key);
                        if attempt < max_attempts {
                            continue;
                        }
                    }
                    if retry::is_service_specific_retryable(meta.endpoint_prefix, code.as_deref()) {
                        RetryClass::Transient
                    } else {
                        retry::classify_response(status, code.as_deref())
                    }
                }
                Err(Failure::Http(e)) => retry::classify_http_error(e),
                Err(Failure::AttemptTimeout(_)) => RetryClass::Timeout,
            };
            if class.is_retryable()
                && attempt < max_attempts
                && inner.quota.acquire(class.retry_cost())
            {
                last_retry_cost = Some(class.retry_cost());
                let delay = retry.delay_after(attempt);
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                continue;
            }
            return match result {
                Ok(response) => Ok(response),
                Err(Failure::Http(mut e)) => {
                    e.set_attempts(attempt);
                    Err(SdkError::Dispatch(e))
                }
                Err(Failure::AttemptTimeout(limit)) => Err(SdkError::Timeout(TimeoutError::new(
                    TimeoutKind::Attempt,
                    limit,
                    attempt,
                ))),
            };
        }
    }
}

/// The body to send: gzip-compressed as botocore's `maybe_compress_request` does when the
/// operation allows it, compression is not disabled and the body is at least the configured
/// minimum; then `gzip` is appended to `Content-Encoding` (`custom,gzip`).
fn compress_body(request: &OperationRequest, config: &Config, headers: &mut HeaderMap) -> Bytes {
    let wanted = request.gzip
        && !config.disable_request_compression()
        && request.body.len() >= config.request_min_compression_size_bytes() as usize;
    if !wanted {
        return request.body.clone();
    }
    #[cfg(feature = "request-compression")]
    {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        if encoder.write_all(&request.body).is_ok()
            && let Ok(compressed) = encoder.finish()
        {
            let encoding = match headers.get(http::header::CONTENT_ENCODING) {
                Some(existing) => {
                    let mut value = existing.as_bytes().to_vec();
                    value.extend_from_slice(b",gzip");
                    HeaderValue::from_bytes(&value).unwrap_or(HeaderValue::from_static("gzip"))
                }
                None => HeaderValue::from_static("gzip"),
            };
            headers.insert(http::header::CONTENT_ENCODING, encoding);
            return Bytes::from(compressed);
        }
    }
    #[cfg(not(feature = "request-compression"))]
    let _ = headers;
    request.body.clone()
}

/// botocore's `amz-sdk-request` header: `attempt=1` on the first attempt, then
/// `[ttl=<time>; ]attempt=<n>; max=<max>` (botocore learns `max` when it first decides whether to
/// retry).
fn sdk_request_header(ttl: Option<&str>, attempt: u32, max_attempts: u32) -> String {
    let mut parts = Vec::with_capacity(3);
    if let Some(ttl) = ttl {
        parts.push(format!("ttl={ttl}"));
    }
    parts.push(format!("attempt={attempt}"));
    if attempt > 1 {
        parts.push(format!("max={max_attempts}"));
    }
    parts.join("; ")
}

/// botocore's `_calculate_ttl`: the response's `Date` plus the read timeout (its clock-skew
/// correction cancels out, both local times being taken at once), as `%Y%m%dT%H%M%SZ`.
fn retry_ttl(headers: &HeaderMap, timeouts: &crate::config::TimeoutConfig) -> Option<String> {
    let date = headers.get(http::header::DATE)?.to_str().ok()?;
    let date = crate::DateTime::parse_http_date(date.trim()).ok()?;
    let read = i64::try_from(timeouts.read_timeout().as_secs()).ok()?;
    let ttl = crate::DateTime::from_secs(date.secs().checked_add(read)?);
    Some(ttl.to_iso8601().replace(['-', ':'], ""))
}

/// botocore's `_urljoin`: the endpoint's path joined with the operation's, the endpoint's query
/// (if any) followed by the operation's.
pub(crate) fn join_url(endpoint_url: &str, path_and_query: &str) -> Result<http::Uri, String> {
    let invalid = |why: String| format!("invalid endpoint URL {endpoint_url:?}: {why}");
    let base: http::Uri = endpoint_url.parse().map_err(|e| invalid(format!("{e}")))?;
    let scheme = base
        .scheme_str()
        .ok_or_else(|| invalid("no scheme (expected https:// or http://)".into()))?;
    if scheme != "https" && scheme != "http" {
        return Err(invalid(format!("unsupported scheme {scheme:?}")));
    }
    let authority = base
        .authority()
        .ok_or_else(|| invalid("no host".into()))?
        .as_str();
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_and_query, None),
    };
    let base_path = base.path();
    let joined_path = if path.is_empty() || path == "/" {
        if base_path.is_empty() {
            "/".to_owned()
        } else {
            base_path.to_owned()
        }
    } else if base_path.ends_with('/') && path.starts_with('/') {
        format!("{}{path}", &base_path[..base_path.len() - 1])
    } else {
        format!("{base_path}{path}")
    };
    let mut url = format!("{scheme}://{authority}{joined_path}");
    match (base.query(), query.filter(|q| !q.is_empty())) {
        (Some(b), Some(q)) => url.push_str(&format!("?{b}&{q}")),
        (Some(b), None) => url.push_str(&format!("?{b}")),
        (None, Some(q)) => url.push_str(&format!("?{q}")),
        (None, None) => {}
    }
    url.parse()
        .map_err(|e| format!("invalid request URL {url:?}: {e}"))
}

/// The URI with `prefix` put in front of its host, as botocore's `_urljoin` does with the
/// expanded `hostPrefix`.
fn prefix_host(uri: &http::Uri, prefix: &str) -> Result<http::Uri, String> {
    let mut parts = uri.clone().into_parts();
    let authority = parts.authority.as_ref().map_or("", |a| a.as_str());
    let prefixed = format!("{prefix}{authority}");
    parts.authority = Some(
        prefixed
            .parse()
            .map_err(|e| format!("invalid host {prefixed:?} after adding the host prefix: {e}"))?,
    );
    http::Uri::from_parts(parts).map_err(|e| format!("invalid URL with host prefix: {e}"))
}

/// `host[:port]`, without the scheme's default port (what hyper and the signer use).
pub(crate) fn host_header(uri: &http::Uri) -> Result<HeaderValue, SdkError<Infallible>> {
    let host = uri.host().unwrap_or_default();
    let value = match (uri.scheme_str(), uri.port_u16()) {
        (Some("https"), Some(443)) | (Some("http"), Some(80)) | (_, None) => host.to_owned(),
        (_, Some(port)) => format!("{host}:{port}"),
    };
    HeaderValue::from_str(&value)
        .map_err(|_| SdkError::Config(format!("invalid host in endpoint URL {uri}")))
}

/// The signing region, name and double-encoding flag: from the endpoint's first `sigv4` auth
/// scheme, else the configured region and the service's signing name. An endpoint that lists
/// only schemes other than `sigv4` (e.g. `sigv4a`) cannot be signed for.
pub(crate) fn signing_scheme(
    endpoint: &Endpoint,
    region: &str,
    signing_name: &str,
) -> Result<(String, String, bool), String> {
    let schemes = endpoint.auth_schemes();
    if schemes.is_empty() {
        return Ok((region.to_owned(), signing_name.to_owned(), true));
    }
    let Some(scheme) = schemes.iter().find(|s| s.name == "sigv4") else {
        let names: Vec<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
        return Err(format!(
            "the endpoint {} requires an unsupported auth scheme ({}); only sigv4 is supported",
            endpoint.url,
            names.join(", ")
        ));
    };
    Ok((
        scheme
            .signing_region
            .clone()
            .unwrap_or_else(|| region.to_owned()),
        scheme
            .signing_name
            .clone()
            .unwrap_or_else(|| signing_name.to_owned()),
        !scheme.disable_double_encoding.unwrap_or(false),
    ))
}

/// The user agent: `awsgen/<version> ua/2.1 os/<os> md/arch#<arch> lang/rust api/<service>
/// cfg/retry-mode#standard [app/<id>]`.
fn user_agent(meta: &ServiceMeta, app_id: Option<&str>) -> HeaderValue {
    let token = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    let mut ua = format!(
        "awsgen/{} ua/2.1 os/{} md/arch#{} lang/rust api/{} cfg/retry-mode#standard",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        token(&meta.service_id.to_lowercase()),
    );
    if let Some(app) = app_id {
        ua.push_str(" app/");
        ua.push_str(&token(app));
    }
    HeaderValue::from_str(&ua).expect("token characters only")
}

/// A random (version 4) UUID, as botocore's `amz-sdk-invocation-id`.
fn invocation_id() -> String {
    crate::request::idempotency_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_like_botocore() {
        let j = |a: &str, b: &str| join_url(a, b).unwrap().to_string();
        assert_eq!(j("https://h.com", "/a/b?x=1"), "https://h.com/a/b?x=1");
        assert_eq!(j("https://h.com", "/"), "https://h.com/");
        assert_eq!(j("https://h.com/", "/a"), "https://h.com/a");
        assert_eq!(j("https://h.com/base", "/a"), "https://h.com/base/a");
        assert_eq!(j("https://h.com/base/", "/a"), "https://h.com/base/a");
        assert_eq!(j("https://h.com/base", "/"), "https://h.com/base");
        assert_eq!(
            j("http://127.0.0.1:9000/p?k=v", "/a?x=1"),
            "http://127.0.0.1:9000/p/a?k=v&x=1"
        );
        assert!(join_url("not a url", "/").is_err());
        assert!(join_url("ftp://h.com", "/").is_err());
    }

    #[test]
    fn host_without_default_port() {
        let h = |u: &str| host_header(&u.parse().unwrap()).unwrap();
        assert_eq!(h("https://h.com:443/"), "h.com");
        assert_eq!(h("https://h.com/"), "h.com");
        assert_eq!(h("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(h("http://[::1]:8080/"), "[::1]:8080");
    }

    #[test]
    fn sdk_request_header_like_botocore() {
        assert_eq!(sdk_request_header(None, 1, 3), "attempt=1");
        assert_eq!(sdk_request_header(None, 2, 3), "attempt=2; max=3");
        assert_eq!(
            sdk_request_header(Some("20240309T210845Z"), 3, 5),
            "ttl=20240309T210845Z; attempt=3; max=5"
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            "date",
            HeaderValue::from_static("Sat, 09 Mar 2024 21:07:45 GMT"),
        );
        assert_eq!(
            retry_ttl(&headers, &crate::config::TimeoutConfig::default()).as_deref(),
            Some("20240309T210845Z")
        );
        assert_eq!(
            retry_ttl(&HeaderMap::new(), &crate::config::TimeoutConfig::default()),
            None
        );
    }

    #[test]
    fn clients_and_futures_are_send() {
        fn shared<T: Send + Sync + 'static>(_: &T) {}
        fn future<T: Send>(_: T) {}
        static META: ServiceMeta = ServiceMeta {
            service_id: "X",
            signing_name: "x",
            endpoint_prefix: "x",
            protocol: Protocol::RestJson,
            endpoint_rule_set: "{}",
            modeled_exception: None,
        };
        let client = ServiceClient::new(Config::builder().build(), &META);
        shared(&client);
        shared(client.config());
        future(client.send(OperationRequest::new("Op", Method::GET, "/")));
    }

    #[test]
    fn invocation_ids_are_uuid_v4() {
        let id = invocation_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!("89ab".contains(&id[19..20]));
        assert_ne!(id, invocation_id());
    }

    #[test]
    fn auth_scheme_selection() {
        let endpoint = |props: serde_json::Value| {
            let rules = RuleSet::from_json(
                &serde_json::json!({
                    "version": "1.0",
                    "parameters": {},
                    "rules": [{"conditions": [], "type": "endpoint",
                               "endpoint": {"url": "https://x.com", "properties": props}}]
                })
                .to_string(),
            )
            .unwrap();
            rules.resolve(&Params::new()).unwrap()
        };
        let e = endpoint(serde_json::json!({}));
        let owned = |r: &str, n: &str, d| (r.to_owned(), n.to_owned(), d);
        assert_eq!(signing_scheme(&e, "r", "n").unwrap(), owned("r", "n", true));
        let e = endpoint(serde_json::json!({"authSchemes": [
            {"name": "sigv4a", "signingRegionSet": ["*"]},
            {"name": "sigv4", "signingRegion": "us-east-1", "signingName": "other", "disableDoubleEncoding": true}
        ]}));
        assert_eq!(
            signing_scheme(&e, "r", "n").unwrap(),
            owned("us-east-1", "other", false)
        );
        let e = endpoint(serde_json::json!({"authSchemes": [{"name": "sigv4a"}]}));
        assert!(signing_scheme(&e, "r", "n").unwrap_err().contains("sigv4a"));
    }

    #[test]
    fn user_agent_format() {
        static META: ServiceMeta = ServiceMeta {
            service_id: "Q Business",
            signing_name: "qbusiness",
            endpoint_prefix: "qbusiness",
            protocol: Protocol::RestJson,
            endpoint_rule_set: "{}",
            modeled_exception: None,
        };
        let ua = user_agent(&META, Some("my app"));
        let ua = ua.to_str().unwrap();
        assert!(ua.starts_with("awsgen/"), "{ua}");
        assert!(ua.contains(" api/q-business "), "{ua}");
        assert!(ua.ends_with(" app/my-app"), "{ua}");
    }
}
