//! Client configuration, from code or from what the AWS CLI and boto3 read: environment
//! variables and the shared `~/.aws/config` and `~/.aws/credentials` files.
//!
//! [`Config::from_env`] resolves each setting as botocore's config store does (explicit value,
//! then environment variable, then the profile in the shared files, then the default):
//!
//! | setting | environment | shared config key | default |
//! |---|---|---|---|
//! | profile | `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE` | — | `default` |
//! | region | `AWS_REGION`, then `AWS_DEFAULT_REGION` | `region` | none |
//! | endpoint URL | `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL` | `services` section, then `endpoint_url` | rule set |
//! | ignore configured endpoints | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` | false |
//! | FIPS | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` | false |
//! | dual-stack | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` | false |
//! | max attempts | `AWS_MAX_ATTEMPTS` | `max_attempts` | 3 |
//! | app id (user agent) | `AWS_SDK_UA_APP_ID` | `sdk_ua_app_id` | none |
//! | no request compression | `AWS_DISABLE_REQUEST_COMPRESSION` | `disable_request_compression` | false |
//! | compression threshold | `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` | `request_min_compression_size_bytes` | 10240 |
//! | endpoint discovery | `AWS_ENDPOINT_DISCOVERY_ENABLED` | `endpoint_discovery_enabled` | `auto` |
//! | config file | `AWS_CONFIG_FILE` | — | `~/.aws/config` |
//! | credentials file | `AWS_SHARED_CREDENTIALS_FILE` | — | `~/.aws/credentials` |
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then
//! the profile's keys in the credentials file, then in the config file (botocore's order; a
//! profile chosen in code with [`ConfigBuilder::profile`] skips the environment, as botocore
//! does for `Session(profile=...)`). They are looked up at the first call, not here.
//!
//! Bearer tokens (for services such as CodeCatalyst) come from `AWS_BEARER_TOKEN_<SIGNING
//! NAME>`, then the profile's `sso_session` and the AWS CLI's SSO token cache; see
//! [`crate::token`].
//!
//! Values in the credentials file override the config file's for the same profile (botocore
//! merges the two into one profile view). The files are parsed like Python's
//! `configparser.RawConfigParser` (`key = value` or `key: value`, `#`/`;` comment lines,
//! indented continuation lines and nested `s3 =` blocks, `[profile name]` sections in the config
//! file, `[name]` in the credentials file). Booleans are true only for `true` in any case, as
//! botocore's `ensure_boolean`; empty environment variables count as unset.
//!
//! Problems found while loading (an unparsable file, a named profile that does not exist, a
//! non-numeric `AWS_MAX_ATTEMPTS`) do not fail here: they are reported by the first call, as
//! [`SdkError::Config`](crate::error::SdkError::Config), like a missing region.
//!
//! Two deliberate differences from botocore: `AWS_REGION` is read (before
//! `AWS_DEFAULT_REGION`), as the AWS CLI v2 and the other AWS SDKs do, though botocore reads
//! only `AWS_DEFAULT_REGION`; and the retry mode is always *standard* (botocore 1.43's default
//! is *legacy*), so `AWS_RETRY_MODE` is not read.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::credentials::{
    CachingCredentialsProvider, Credentials, CredentialsProviderChain,
    EnvironmentCredentialsProvider, ProfileCredentialsProvider, ProvideCredentials,
    StaticCredentialsProvider,
};
use crate::discovery::EndpointDiscoveryMode;
use crate::http::{DefaultHttpClient, HttpClient};
use crate::retry::RetryConfig;
use crate::token::{
    EnvironmentTokenProvider, ProvideToken, SsoTokenProvider, StaticTokenProvider, Token,
    TokenProviderChain,
};

/// Where configuration is read from: environment variables and the home directory.
///
/// [`EnvSource::process`] is the real process environment; [`EnvSource::from_vars`] is a fixed
/// set, so tests never touch the real environment or home directory. `Debug` shows no values.
#[derive(Clone)]
pub struct EnvSource {
    vars: EnvVars,
    home: Option<PathBuf>,
}

#[derive(Clone)]
enum EnvVars {
    Process,
    Fixed(Arc<BTreeMap<String, String>>),
}

impl fmt::Debug for EnvSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vars = match &self.vars {
            EnvVars::Process => "process environment".to_owned(),
            EnvVars::Fixed(v) => format!("{} fixed variables", v.len()),
        };
        f.debug_struct("EnvSource")
            .field("vars", &vars)
            .field("home", &self.home)
            .finish()
    }
}

impl EnvSource {
    /// The process environment; the home directory from `HOME` (`USERPROFILE` on Windows).
    pub fn process() -> Self {
        EnvSource {
            vars: EnvVars::Process,
            home: None,
        }
    }

    /// Exactly these variables; the home directory from their `HOME` unless
    /// [`with_home`](Self::with_home) sets it.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        EnvSource {
            vars: EnvVars::Fixed(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
            home: None,
        }
    }

    /// Uses `home` as the home directory (for `~` in paths and the default file locations).
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The value of variable `name`, if set (possibly empty).
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.vars {
            EnvVars::Process => std::env::var(name).ok(),
            EnvVars::Fixed(vars) => vars.get(name).cloned(),
        }
    }

    /// The value of `name` if set and not empty.
    fn non_empty(&self, name: &str) -> Option<String> {
        self.var(name).filter(|v| !v.is_empty())
    }

    /// All variables whose name starts with `prefix`.
    pub fn vars_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        match &self.vars {
            EnvVars::Process => std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .filter(|(k, _)| k.starts_with(prefix))
                .collect(),
            EnvVars::Fixed(vars) => vars
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// The home directory, if known.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = &self.home {
            return Some(home.clone());
        }
        let from_var = |name: &str| self.non_empty(name).map(PathBuf::from);
        if cfg!(windows) {
            from_var("USERPROFILE").or_else(|| from_var("HOME"))
        } else {
            from_var("HOME")
        }
    }

    /// Expands `$VAR`, `${VAR}` and a leading `~` as botocore does (`os.path.expandvars`, then
    /// `os.path.expanduser`). `None` if the path needs a home directory that is not known.
    pub fn expand_path(&self, raw: &str) -> Option<PathBuf> {
        let expanded = self.expand_vars(raw);
        let Some(rest) = expanded.strip_prefix('~') else {
            return Some(PathBuf::from(expanded));
        };
        let sep = rest
            .find(['/', std::path::MAIN_SEPARATOR])
            .unwrap_or(rest.len());
        if sep != 0 {
            // `~user`: not expanded.
            return Some(PathBuf::from(expanded));
        }
        let home = self.home_dir()?;
        let home = home.to_string_lossy();
        let home = home.trim_end_matches('/');
        let joined = format!("{home}{rest}");
        Some(PathBuf::from(if joined.is_empty() {
            "/".into()
        } else {
            joined
        }))
    }

    fn expand_vars(&self, raw: &str) -> String {
        if !raw.contains('$') {
            return raw.to_owned();
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
                match braced.find('}') {
                    Some(end) => (&braced[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let end = after
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            };
            match (consumed, self.var(name)) {
                (c, Some(value)) if c > 0 && !name.is_empty() => {
                    out.push_str(&value);
                    rest = &after[consumed..];
                }
                _ => {
                    let keep = 1 + consumed;
                    out.push_str(&rest[i..i + keep]);
                    rest = &rest[i + keep..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The shared config file: `AWS_CONFIG_FILE`, else `~/.aws/config`.
    pub fn config_file_path(&self) -> Option<PathBuf> {
        self.expand_path(
            &self
                .var("AWS_CONFIG_FILE")
                .unwrap_or_else(|| "~/.aws/config".into()),
        )
    }

    /// The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub fn credentials_file_path(&self) -> Option<PathBuf> {
        self.expand_path(
            &self
                .var("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or_else(|| "~/.aws/credentials".into()),
        )
    }
}

/// Timeouts. The defaults are botocore's: 60 s to connect, 60 s read timeout, no per-attempt or
/// per-operation limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Duration,
    read: Duration,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Duration::from_secs(60),
            read: Duration::from_secs(60),
            attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// Sets the time allowed to establish a TCP connection (botocore's `connect_timeout`).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets the time allowed to wait for data from the server (botocore's `read_timeout`).
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read = timeout;
        self
    }

    /// Limits each attempt (sending the request and reading the whole response); an attempt
    /// that runs out is retried like a read timeout.
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// Limits a whole call: all attempts and the backoff between them.
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect
    }

    /// The read timeout.
    pub fn read_timeout(&self) -> Duration {
        self.read
    }

    /// The per-attempt timeout, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The per-operation timeout, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}

type ClientSlot = Arc<OnceLock<Result<Arc<dyn HttpClient>, String>>>;

#[derive(Clone)]
enum HttpClientSlot {
    Explicit(Arc<dyn HttpClient>),
    Default(ClientSlot),
}

/// Endpoint URLs configured outside code, looked up per service.
#[derive(Clone, Debug)]
pub(crate) struct ConfiguredEndpoints {
    /// `AWS_ENDPOINT_URL_<SERVICE>` variables, by full variable name.
    env_services: BTreeMap<String, String>,
    env_global: Option<String>,
    /// The profile's `services` section: service key (snake case) to URL, or why it is broken.
    profile_services: Result<BTreeMap<String, String>, String>,
    profile_global: Option<String>,
}

impl ConfiguredEndpoints {
    /// The endpoints `env` and the profile `section` of `config_file` configure.
    pub(crate) fn from_env_and_profile(
        env: &EnvSource,
        config_file: &ConfigFile,
        section: &IniSection,
    ) -> Self {
        let from_profile = |key: &str| {
            section
                .get(key)
                .and_then(IniValue::as_text)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let profile_services = match from_profile("services") {
            None => Ok(BTreeMap::new()),
            Some(name) => match config_file.services.get(&name) {
                Some(section) if !section.is_empty() => Ok(section
                    .iter()
                    .filter_map(|(service, value)| match value {
                        IniValue::Nested(keys) => keys
                            .get("endpoint_url")
                            .map(|url| (service.clone(), url.clone())),
                        IniValue::Text(_) => None,
                    })
                    .collect()),
                _ => Err(format!(
                    "The profile is configured to use the services section but the \
                     \"{name}\" services configuration does not exist."
                )),
            },
        };
        ConfiguredEndpoints {
            env_services: env
                .vars_with_prefix("AWS_ENDPOINT_URL_")
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            env_global: env.non_empty("AWS_ENDPOINT_URL"),
            profile_services,
            profile_global: from_profile("endpoint_url"),
        }
    }

    /// The configured endpoint URL of the service with id `service_id`, if any.
    pub(crate) fn lookup(&self, service_id: &str) -> Result<Option<String>, String> {
        let snake = service_id.to_lowercase().replace([' ', '-'], "_");
        let env_name = format!("AWS_ENDPOINT_URL_{}", snake.to_uppercase());
        if let Some(url) = self.env_services.get(&env_name) {
            return Ok(Some(url.clone()));
        }
        if let Some(url) = &self.env_global {
            return Ok(Some(url.clone()));
        }
        if let Some(url) = self
            .profile_services
            .as_ref()
            .map_err(Clone::clone)?
            .get(&snake)
        {
            return Ok(Some(url.clone()));
        }
        Ok(self.profile_global.clone())
    }
}

/// Client configuration. Cheap to clone (one `Arc`); clones share the HTTP connection pool and
/// the credentials cache.
#[derive(Clone)]
pub struct Config {
    inner: Arc<ConfigInner>,
}

struct ConfigInner {
    region: Option<String>,
    endpoint_url: Option<String>,
    configured_endpoints: Option<ConfiguredEndpoints>,
    use_fips: bool,
    use_dual_stack: bool,
    credentials_provider: Option<Arc<dyn ProvideCredentials>>,
    token_provider: Option<Arc<dyn ProvideToken>>,
    endpoint_discovery: EndpointDiscoveryMode,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    http_client: HttpClientSlot,
    app_id: Option<String>,
    profile: Option<String>,
    load_error: Option<String>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
}

/// botocore's default `request_min_compression_size_bytes`.
const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10240;
/// botocore's upper bound for `request_min_compression_size_bytes` (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Config")
            .field("region", &i.region)
            .field("endpoint_url", &i.endpoint_url)
            .field("configured_endpoints", &i.configured_endpoints)
            .field("use_fips", &i.use_fips)
            .field("use_dual_stack", &i.use_dual_stack)
            .field("credentials_provider", &i.credentials_provider)
            .field("token_provider", &i.token_provider)
            .field("endpoint_discovery", &i.endpoint_discovery)
            .field("retry", &i.retry)
            .field("timeouts", &i.timeouts)
            .field(
                "http_client",
                &match &i.http_client {
                    HttpClientSlot::Explicit(c) => format!("{c:?}"),
                    HttpClientSlot::Default(_) => "default".to_owned(),
                },
            )
            .field("app_id", &i.app_id)
            .field("profile", &i.profile)
            .field("load_error", &i.load_error)
            .field(
                "disable_request_compression",
                &i.disable_request_compression,
            )
            .field(
                "request_min_compression_size_bytes",
                &i.request_min_compression_size_bytes,
            )
            .finish()
    }
}

impl Config {
    /// A builder with nothing set (nothing is read from the environment unless
    /// [`ConfigBuilder::build_from_env`] is used).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Configuration from the process environment and the shared files.
    pub fn from_env() -> Config {
        Config::builder().build_from_env()
    }

    /// Configuration from `env` (its variables and home directory) and the shared files it
    /// points to.
    pub fn from_env_with(env: &EnvSource) -> Config {
        Config::builder().build_with_env(env)
    }

    /// A builder with this configuration's values, to change some of them.
    pub fn to_builder(&self) -> ConfigBuilder {
        let i = &self.inner;
        let (http_client, shared_default_client) = match &i.http_client {
            HttpClientSlot::Explicit(c) => (Some(c.clone()), None),
            HttpClientSlot::Default(slot) => (None, Some(slot.clone())),
        };
        ConfigBuilder {
            region: i.region.clone(),
            endpoint_url: i.endpoint_url.clone(),
            use_fips: Some(i.use_fips),
            use_dual_stack: Some(i.use_dual_stack),
            credentials_provider: i.credentials_provider.clone(),
            token_provider: i.token_provider.clone(),
            endpoint_discovery: Some(i.endpoint_discovery),
            retry: Some(i.retry.clone()),
            timeouts: Some(i.timeouts),
            http_client,
            app_id: i.app_id.clone(),
            profile: i.profile.clone(),
            configured_endpoints: i.configured_endpoints.clone(),
            load_error: i.load_error.clone(),
            shared_default_client,
            disable_request_compression: Some(i.disable_request_compression),
            request_min_compression_size_bytes: Some(i.request_min_compression_size_bytes),
        }
    }

    /// The region, if configured.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The endpoint URL set in code, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.inner.endpoint_url.as_deref()
    }

    /// The endpoint URL for the service with service id `service_id` (e.g. `QBusiness`): the one
    /// set in code, else `AWS_ENDPOINT_URL_<SERVICE>` (the id upper-cased, spaces and hyphens as
    /// underscores), `AWS_ENDPOINT_URL`, the service's entry in the profile's `services` section,
    /// the profile's `endpoint_url` — botocore's order. `Err` if the profile names a `services`
    /// section that does not exist.
    pub fn endpoint_url_for(&self, service_id: &str) -> Result<Option<String>, String> {
        if let Some(url) = &self.inner.endpoint_url {
            return Ok(Some(url.clone()));
        }
        match &self.inner.configured_endpoints {
            Some(c) => c.lookup(service_id),
            None => Ok(None),
        }
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.inner.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.inner.use_dual_stack
    }

    /// The credentials provider, if any.
    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.inner.credentials_provider.as_ref()
    }

    /// The bearer token provider, if any.
    pub fn token_provider(&self) -> Option<&Arc<dyn ProvideToken>> {
        self.inner.token_provider.as_ref()
    }

    /// When endpoint discovery is used (botocore's `endpoint_discovery_enabled`).
    pub fn endpoint_discovery(&self) -> EndpointDiscoveryMode {
        self.inner.endpoint_discovery
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// The timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.inner.timeouts
    }

    /// The app id sent in the user agent, if any.
    pub fn app_id(&self) -> Option<&str> {
        self.inner.app_id.as_deref()
    }

    /// Request compression is turned off (botocore's `disable_request_compression`).
    pub fn disable_request_compression(&self) -> bool {
        self.inner.disable_request_compression
    }

    /// Bodies of operations that allow compression are gzipped from this size on (botocore's
    /// `request_min_compression_size_bytes`, 10240 by default).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.inner.request_min_compression_size_bytes
    }

    /// The profile the configuration was read from, if one was named.
    pub fn profile(&self) -> Option<&str> {
        self.inner.profile.as_deref()
    }

    /// What went wrong loading the environment or shared files, if anything; calls fail with
    /// this message.
    pub fn load_error(&self) -> Option<&str> {
        self.inner.load_error.as_deref()
    }

    /// The HTTP client: the one set in code, or the default one, built on first use and shared
    /// by all clones of this configuration.
    pub fn http_client(&self) -> Result<Arc<dyn HttpClient>, String> {
        match &self.inner.http_client {
            HttpClientSlot::Explicit(c) => Ok(c.clone()),
            HttpClientSlot::Default(slot) => slot
                .get_or_init(|| {
                    DefaultHttpClient::new(&self.inner.timeouts)
                        .map(|c| Arc::new(c) as Arc<dyn HttpClient>)
                        .map_err(|e| e.to_string())
                })
                .clone(),
        }
    }
}

/// Builds a [`Config`]. Values set here win over the environment and the shared files.
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    credentials_provider: Option<Arc<dyn ProvideCredentials>>,
    token_provider: Option<Arc<dyn ProvideToken>>,
    endpoint_discovery: Option<EndpointDiscoveryMode>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    http_client: Option<Arc<dyn HttpClient>>,
    app_id: Option<String>,
    profile: Option<String>,
    configured_endpoints: Option<ConfiguredEndpoints>,
    load_error: Option<String>,
    shared_default_client: Option<ClientSlot>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Sets the region, e.g. `us-west-2`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to `url` (e.g. `http://localhost:4566`) instead of the endpoint the
    /// rule set would pick (it is the rule set's `Endpoint` parameter).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Uses dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Signs with these credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(StaticCredentialsProvider::new(credentials))
    }

    /// Gets credentials from `provider` (asked at every attempt: wrap an expensive one in a
    /// [`CachingCredentialsProvider`]).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials_provider = Some(Arc::new(provider));
        self
    }

    /// Gets credentials from a shared `provider`.
    pub fn shared_credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials_provider = Some(provider);
        self
    }

    /// Authenticates with this bearer token (services whose operations use bearer auth, such
    /// as CodeCatalyst; SigV4 operations ignore it).
    pub fn token(self, token: Token) -> Self {
        self.token_provider(StaticTokenProvider::new(token))
    }

    /// Gets bearer tokens from `provider` (asked at every attempt).
    pub fn token_provider(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// Gets bearer tokens from a shared `provider`.
    pub fn shared_token_provider(mut self, provider: Arc<dyn ProvideToken>) -> Self {
        self.token_provider = Some(provider);
        self
    }

    /// Sets when endpoint discovery is used (botocore's `endpoint_discovery_enabled`; `auto`
    /// by default). See [`EndpointDiscoveryMode`].
    pub fn endpoint_discovery(mut self, mode: EndpointDiscoveryMode) -> Self {
        self.endpoint_discovery = Some(mode);
        self
    }

    /// Sets the retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the maximum number of attempts (keeping the other retry settings).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.retry = Some(
            self.retry
                .take()
                .unwrap_or_default()
                .with_max_attempts(max_attempts),
        );
        self
    }

    /// Sets the timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self.shared_default_client = None;
        self
    }

    /// Sends requests with `client` instead of the default hyper client.
    pub fn http_client(mut self, client: impl HttpClient) -> Self {
        self.http_client = Some(Arc::new(client));
        self.shared_default_client = None;
        self
    }

    /// Sends requests with a shared `client`.
    pub fn shared_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self.shared_default_client = None;
        self
    }

    /// Sets the app id added to the user agent (`app/<id>`).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Turns request compression off (or on again).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// Gzips bodies of operations that allow it from `bytes` on (at most 10 MiB, as botocore;
    /// larger values are clamped).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE));
        self
    }

    /// Reads the named profile of the shared files (with `build_from_env`/`build_with_env`).
    /// As with botocore's `Session(profile=...)`, credentials then come from the profile, not
    /// from `AWS_ACCESS_KEY_ID`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Builds from the values set, reading nothing from the environment.
    pub fn build(self) -> Config {
        let timeouts = self.timeouts.unwrap_or_default();
        let http_client = match (self.http_client, self.shared_default_client) {
            (Some(c), _) => HttpClientSlot::Explicit(c),
            (None, Some(slot)) => HttpClientSlot::Default(slot),
            (None, None) => HttpClientSlot::Default(Arc::default()),
        };
        Config {
            inner: Arc::new(ConfigInner {
                region: self.region,
                endpoint_url: self.endpoint_url,
                configured_endpoints: self.configured_endpoints,
                use_fips: self.use_fips.unwrap_or(false),
                use_dual_stack: self.use_dual_stack.unwrap_or(false),
                credentials_provider: self.credentials_provider,
                token_provider: self.token_provider,
                endpoint_discovery: self.endpoint_discovery.unwrap_or_default(),
                retry: self.retry.unwrap_or_default(),
                timeouts,
                http_client,
                app_id: self.app_id,
                profile: self.profile,
                load_error: self.load_error,
                disable_request_compression: self.disable_request_compression.unwrap_or(false),
                request_min_compression_size_bytes: self
                    .request_min_compression_size_bytes
                    .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE),
            }),
        }
    }

    /// Builds, filling what was not set from the process environment and the shared files.
    pub fn build_from_env(self) -> Config {
        self.build_with_env(&EnvSource::process())
    }

    /// Builds, filling what was not set from `env` and the shared files it points to.
    pub fn build_with_env(mut self, env: &EnvSource) -> Config {
        let mut problems: Vec<String> = self.load_error.take().into_iter().collect();
        let explicit_profile = self.profile.clone();
        let profile = explicit_profile
            .clone()
            .or_else(|| env.non_empty("AWS_DEFAULT_PROFILE"))
            .or_else(|| env.non_empty("AWS_PROFILE"));
        let profile_name = profile.clone().unwrap_or_else(|| "default".to_owned());
        let config_path = env.config_file_path();
        let credentials_path = env.credentials_file_path();

        let config_file = match config_path.as_deref().map(SharedConfigFiles::read_config) {
            Some(Ok(file)) => file.unwrap_or_default(),
            Some(Err(e)) => {
                problems.push(e);
                ConfigFile::default()
            }
            None => ConfigFile::default(),
        };
        let credentials_file = match credentials_path.as_deref().map(SharedConfigFiles::read_raw) {
            Some(Ok(file)) => file.unwrap_or_default(),
            Some(Err(e)) => {
                problems.push(e);
                BTreeMap::new()
            }
            None => BTreeMap::new(),
        };
        let mut found = false;
        let mut scoped = IniSection::new();
        if let Some(section) = config_file.profiles.get(&profile_name) {
            scoped.extend(section.clone());
            found = true;
        }
        if let Some(section) = credentials_file.get(&profile_name) {
            scoped.extend(section.clone());
            found = true;
        }
        if profile.is_some() && !found && problems.is_empty() {
            problems.push(format!(
                "The config profile ({profile_name}) could not be found (in {} or {})",
                show_path(&config_path),
                show_path(&credentials_path)
            ));
        }
        let from_profile = |key: &str| {
            scoped
                .get(key)
                .and_then(IniValue::as_text)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let setting = |env_name: &str, key: &str| -> Option<(String, String)> {
            env.non_empty(env_name)
                .map(|v| (v, env_name.to_owned()))
                .or_else(|| {
                    from_profile(key).map(|v| (v, format!("{key} in profile {profile_name}")))
                })
        };

        if self.region.is_none() {
            self.region = env
                .non_empty("AWS_REGION")
                .or_else(|| env.non_empty("AWS_DEFAULT_REGION"))
                .or_else(|| from_profile("region"));
        }
        if self.use_fips.is_none() {
            self.use_fips = setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
                .map(|(v, _)| ensure_boolean(&v));
        }
        if self.use_dual_stack.is_none() {
            self.use_dual_stack = setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
                .map(|(v, _)| ensure_boolean(&v));
        }
        if self.app_id.is_none() {
            self.app_id = setting("AWS_SDK_UA_APP_ID", "sdk_ua_app_id").map(|(v, _)| v);
        }
        if self.disable_request_compression.is_none() {
            self.disable_request_compression = setting(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            )
            .map(|(v, _)| ensure_boolean(&v));
        }
        if self.request_min_compression_size_bytes.is_none()
            && let Some((value, source)) = setting(
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                "request_min_compression_size_bytes",
            )
        {
            // botocore: an integer from 0 to 10485760, else an error.
            match value.trim().parse::<u32>() {
                Ok(n) if n <= MAX_MIN_COMPRESSION_SIZE => {
                    self.request_min_compression_size_bytes = Some(n)
                }
                _ => problems.push(format!(
                    "invalid request_min_compression_size_bytes {value:?} ({source}): must be \
                     an integer between 0 and {MAX_MIN_COMPRESSION_SIZE}"
                )),
            }
        }
        if self.retry.is_none() {
            let mut retry = RetryConfig::standard();
            if let Some((value, source)) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
                match value.trim().parse::<i64>() {
                    Ok(n) if n >= 1 => {
                        retry = retry.with_max_attempts(u32::try_from(n).unwrap_or(u32::MAX))
                    }
                    Ok(n) => problems.push(format!(
                        "Value provided to \"max_attempts\" ({source}): {n} must be an integer \
                         greater than or equal to 1."
                    )),
                    Err(_) => problems.push(format!(
                        "invalid max_attempts {value:?} ({source}): expected an integer"
                    )),
                }
            }
            self.retry = Some(retry);
        }
        let ignore_configured = setting(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )
        .is_some_and(|(v, _)| ensure_boolean(&v));
        if self.configured_endpoints.is_none() && !ignore_configured {
            self.configured_endpoints = Some(ConfiguredEndpoints::from_env_and_profile(
                env,
                &config_file,
                &scoped,
            ));
        }
        if self.endpoint_discovery.is_none()
            && let Some((value, source)) = setting(
                "AWS_ENDPOINT_DISCOVERY_ENABLED",
                "endpoint_discovery_enabled",
            )
        {
            match EndpointDiscoveryMode::parse(&value) {
                Some(mode) => self.endpoint_discovery = Some(mode),
                None => problems.push(format!(
                    "Unsupported configuration value for endpoint_discovery_enabled ({source}). \
                     Expected one of (\"true\", \"false\", \"auto\") but got {value}."
                )),
            }
        }
        if self.token_provider.is_none() {
            // botocore's `create_token_resolver`: the scoped environment variable, then SSO.
            let sso = SsoTokenProvider::with_files(
                profile_name.clone(),
                config_path.clone(),
                crate::token::sso_cache_dir(env),
            )
            .with_configured_endpoints((!ignore_configured).then(|| {
                ConfiguredEndpoints::from_env_and_profile(
                    env,
                    &config_file,
                    config_file
                        .profiles
                        .get(&profile_name)
                        .unwrap_or(&IniSection::new()),
                )
            }));
            self.token_provider = Some(Arc::new(
                TokenProviderChain::new()
                    .with(EnvironmentTokenProvider::with_env(env.clone()))
                    .with(sso),
            ));
        }
        if self.credentials_provider.is_none() {
            let mut chain = CredentialsProviderChain::new();
            if explicit_profile.is_none() {
                chain = chain.with(EnvironmentCredentialsProvider::with_env(env.clone()));
            }
            chain = chain.with(ProfileCredentialsProvider::with_files(
                profile_name,
                credentials_path,
                config_path,
            ));
            self.credentials_provider = Some(Arc::new(CachingCredentialsProvider::new(chain)));
        }
        self.profile = profile;
        self.load_error = (!problems.is_empty()).then(|| problems.join("; "));
        self.build()
    }
}

fn show_path(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(unknown home directory)".to_owned())
}

/// botocore's `ensure_boolean` for strings: true only for `true`, in any case.
fn ensure_boolean(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

// ---------------------------------------------------------------------------------------------
// Shared config files: Python's RawConfigParser, then botocore's `configloader`.

/// One value of an INI section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IniValue {
    /// A plain value.
    Text(String),
    /// An indented block of `key = value` lines under an empty value (`s3 =`).
    Nested(BTreeMap<String, String>),
}

impl IniValue {
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            IniValue::Text(t) => Some(t),
            IniValue::Nested(_) => None,
        }
    }
}

/// A section's options (keys lower-cased, as `configparser` does).
pub(crate) type IniSection = BTreeMap<String, IniValue>;

/// The config file, split as botocore's `build_profile_map` does.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConfigFile {
    /// `[profile name]` sections and `[default]`.
    pub(crate) profiles: BTreeMap<String, IniSection>,
    /// `[services name]` sections.
    pub(crate) services: BTreeMap<String, IniSection>,
    /// `[sso-session name]` sections (for the SSO token provider).
    pub(crate) sso_sessions: BTreeMap<String, IniSection>,
}

/// Reading the shared files.
pub(crate) struct SharedConfigFiles;

impl SharedConfigFiles {
    /// botocore's `raw_config_parse`: every section by its name. `Ok(None)` if there is no such
    /// file.
    pub(crate) fn read_raw(path: &Path) -> Result<Option<BTreeMap<String, IniSection>>, String> {
        let Some(text) = read_text(path)? else {
            return Ok(None);
        };
        let sections = parse_ini(&text)
            .map_err(|e| format!("Unable to parse config file: {}: {e}", path.display()))?;
        Ok(Some(sections.into_iter().collect()))
    }

    /// botocore's `load_config`: profiles and services sections of a config file.
    pub(crate) fn read_config(path: &Path) -> Result<Option<ConfigFile>, String> {
        let Some(text) = read_text(path)? else {
            return Ok(None);
        };
        let sections = parse_ini(&text)
            .map_err(|e| format!("Unable to parse config file: {}: {e}", path.display()))?;
        Ok(Some(build_profile_map(sections)))
    }
}

fn read_text(path: &Path) -> Result<Option<String>, String> {
    if !path.is_file() {
        return Ok(None);
    }
    match std::fs::read(path) {
        // Python's configparser skips files it cannot open.
        Err(_) => Ok(Some(String::new())),
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "Unable to parse config file: {}: not UTF-8: {e}",
                path.display()
            )
        }),
    }
}

fn build_profile_map(sections: Vec<(String, IniSection)>) -> ConfigFile {
    let mut file = ConfigFile::default();
    for (name, values) in sections {
        let target = if name.starts_with("profile") {
            Some(&mut file.profiles)
        } else if name.starts_with("services") {
            Some(&mut file.services)
        } else if name.starts_with("sso-session") {
            Some(&mut file.sso_sessions)
        } else if name == "default" {
            file.profiles.insert(name, values);
            continue;
        } else {
            None
        };
        if let Some(target) = target
            && let Some(parts) = shlex_split(&name)
            && let [_, profile] = parts.as_slice()
        {
            target.insert(profile.clone(), values);
        }
    }
    file
}

/// Python's `shlex.split` (POSIX mode, no comments); `None` where it raises.
fn shlex_split(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Python's `RawConfigParser().read()` (strict, `=`/`:` delimiters, `#`/`;` full-line comments,
/// continuation lines, a `DEFAULT` section merged into every other), then botocore's parsing of
/// nested blocks. Sections in file order.
fn parse_ini(text: &str) -> Result<Vec<(String, IniSection)>, String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // (name, options in order as (key, lines))
    // Options in file order, each with its lines (a value plus continuation lines).
    type Options = Vec<(String, Vec<String>)>;
    let mut sections: Vec<(String, Options)> = Vec::new();
    let mut defaults: Options = Vec::new();
    #[derive(Clone, Copy, PartialEq)]
    enum Cursor {
        Defaults,
        Section(usize),
    }
    let mut cursor: Option<Cursor> = None;
    let mut section_name = String::new();
    let mut option: Option<String> = None;
    let mut indent_level = 0usize;
    let mut added_sections: HashSet<String> = HashSet::new();
    let mut added_options: HashSet<(String, String)> = HashSet::new();
    let mut bad_lines: Vec<String> = Vec::new();

    fn options_of<'a>(
        cursor: Cursor,
        sections: &'a mut [(String, Options)],
        defaults: &'a mut Options,
    ) -> &'a mut Options {
        match cursor {
            Cursor::Defaults => defaults,
            Cursor::Section(i) => &mut sections[i].1,
        }
    }

    for (index, line) in text.split('\n').enumerate() {
        let lineno = index + 1;
        let stripped = line.trim();
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if is_comment { "" } else { stripped };
        if value.is_empty() {
            if !is_comment
                && let (Some(c), Some(name)) = (cursor, option.as_ref())
                && let Some((_, lines)) = options_of(c, &mut sections, &mut defaults)
                    .iter_mut()
                    .find(|(k, _)| k == name)
            {
                lines.push(String::new());
            }
            continue;
        }
        let cur_indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if let (Some(c), Some(name)) = (cursor, option.as_ref())
            && cur_indent > indent_level
        {
            let options = options_of(c, &mut sections, &mut defaults);
            if let Some((_, lines)) = options.iter_mut().find(|(k, _)| k == name) {
                lines.push(value.to_owned());
            }
            continue;
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if let Some(i) = sections.iter().position(|(n, _)| n == header) {
                if added_sections.contains(header) {
                    return Err(format!("section {header:?} already exists (line {lineno})"));
                }
                cursor = Some(Cursor::Section(i));
            } else if header == "DEFAULT" {
                cursor = Some(Cursor::Defaults);
            } else {
                sections.push((header.to_owned(), Vec::new()));
                cursor = Some(Cursor::Section(sections.len() - 1));
            }
            if header != "DEFAULT" {
                added_sections.insert(header.to_owned());
            }
            section_name = header.to_owned();
            option = None;
            continue;
        }
        let Some(c) = cursor else {
            return Err(format!(
                "File contains no section headers (line {lineno}: {line:?})"
            ));
        };
        match value.find(['=', ':']) {
            Some(at) => {
                let key = value[..at].trim_end().to_lowercase();
                let val = value[at + 1..].trim();
                if key.is_empty() {
                    bad_lines.push(format!("line {lineno}: {line:?}"));
                }
                if !added_options.insert((section_name.clone(), key.clone())) {
                    return Err(format!(
                        "option {key:?} in section {section_name:?} already exists (line {lineno})"
                    ));
                }
                let options = options_of(c, &mut sections, &mut defaults);
                match options.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, lines)) => *lines = vec![val.to_owned()],
                    None => options.push((key.clone(), vec![val.to_owned()])),
                }
                option = (!key.is_empty()).then_some(key);
            }
            None => bad_lines.push(format!("line {lineno}: {line:?}")),
        }
    }
    if !bad_lines.is_empty() {
        return Err(format!(
            "Source contains parsing errors: {}",
            bad_lines.join(", ")
        ));
    }

    let join = |lines: &[String]| lines.join("\n").trim_end().to_owned();
    let defaults: Vec<(String, String)> =
        defaults.iter().map(|(k, v)| (k.clone(), join(v))).collect();
    let mut result = Vec::with_capacity(sections.len());
    for (name, options) in sections {
        let mut section = IniSection::new();
        for (key, value) in &defaults {
            section.insert(key.clone(), parse_value(value)?);
        }
        for (key, lines) in options {
            section.insert(key, parse_value(&join(&lines))?);
        }
        result.push((name, section));
    }
    Ok(result)
}

fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// botocore's `_parse_nested` for values that start on the next line.
fn parse_value(value: &str) -> Result<IniValue, String> {
    if !value.starts_with('\n') {
        return Ok(IniValue::Text(value.to_owned()));
    }
    let mut nested = BTreeMap::new();
    for line in value.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, val) = line
            .split_once('=')
            .ok_or_else(|| format!("not enough values to unpack in nested line {line:?}"))?;
        nested.insert(key.trim().to_owned(), val.trim().to_owned());
    }
    Ok(IniValue::Nested(nested))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(section: &IniSection, key: &str) -> Option<String> {
        section
            .get(key)
            .and_then(IniValue::as_text)
            .map(str::to_owned)
    }

    #[test]
    fn ini_like_configparser() {
        let parsed = parse_ini(
            "# comment\n\
             [default]\n\
             region = us-east-1\n\
             ; another\n\
             Output: json\n\
             multi = first\n\
             \x20 second\n\
             \n\
             \x20 third\n\
             s3 =\n\
             \x20 addressing_style = path\n\
             \x20 signature_version = s3v4\n\
             [profile dev] ; trailing\n\
             region=eu-west-1\n\
             url = http://x:8080/a=b\n",
        )
        .unwrap();
        let default = &parsed[0].1;
        assert_eq!(parsed[0].0, "default");
        assert_eq!(text(default, "region").as_deref(), Some("us-east-1"));
        assert_eq!(text(default, "output").as_deref(), Some("json"));
        assert_eq!(
            text(default, "multi").as_deref(),
            Some("first\nsecond\n\nthird")
        );
        assert_eq!(
            default.get("s3"),
            Some(&IniValue::Nested(BTreeMap::from([
                ("addressing_style".to_owned(), "path".to_owned()),
                ("signature_version".to_owned(), "s3v4".to_owned()),
            ])))
        );
        assert_eq!(parsed[1].0, "profile dev");
        assert_eq!(
            text(&parsed[1].1, "url").as_deref(),
            Some("http://x:8080/a=b")
        );
    }

    #[test]
    fn ini_errors() {
        assert!(parse_ini("region = x\n").is_err());
        assert!(parse_ini("[a]\nx = 1\n[a]\n").is_err());
        assert!(parse_ini("[a]\nx = 1\nX = 2\n").is_err());
        assert!(parse_ini("[a]\njunk line\n").is_err());
        assert!(parse_ini("[a]\ns3 =\n  nokey\n").is_err());
        // DEFAULT values reach every section.
        let parsed = parse_ini("[DEFAULT]\nregion = r\n[a]\nx = 1\n[b]\nregion = s\n").unwrap();
        assert_eq!(text(&parsed[0].1, "region").as_deref(), Some("r"));
        assert_eq!(text(&parsed[1].1, "region").as_deref(), Some("s"));
    }

    #[test]
    fn profile_sections() {
        let sections = parse_ini(
            "[default]\na=1\n[profile dev]\na=2\n[profile \"with space\"]\na=3\n[other]\na=4\n\
             [profile]\na=5\n[services local]\nwisdom =\n  endpoint_url = http://l\n",
        )
        .unwrap();
        let file = build_profile_map(sections);
        let names: Vec<_> = file.profiles.keys().cloned().collect();
        assert_eq!(names, ["default", "dev", "with space"]);
        assert!(file.services.contains_key("local"));
    }

    #[test]
    fn shlex() {
        assert_eq!(shlex_split("profile a").unwrap(), ["profile", "a"]);
        assert_eq!(shlex_split("profile 'a b'").unwrap(), ["profile", "a b"]);
        assert_eq!(
            shlex_split("profile \"a\\\"b\"").unwrap(),
            ["profile", "a\"b"]
        );
        assert!(shlex_split("profile 'a").is_none());
    }

    #[test]
    fn path_expansion() {
        let env = EnvSource::from_vars([("HOME", "/home/me"), ("X", "xx")]);
        assert_eq!(
            env.expand_path("~/.aws/config"),
            Some("/home/me/.aws/config".into())
        );
        assert_eq!(
            env.expand_path("$X/a/${X}/$NOPE"),
            Some("xx/a/xx/$NOPE".into())
        );
        assert_eq!(env.expand_path("~other/x"), Some("~other/x".into()));
        assert_eq!(EnvSource::from_vars([("A", "b")]).expand_path("~/x"), None);
        assert_eq!(
            EnvSource::from_vars([("A", "b")])
                .with_home("/h")
                .expand_path("~"),
            Some("/h".into())
        );
    }

    #[test]
    fn env_source_debug_hides_values() {
        let env = EnvSource::from_vars([("AWS_SECRET_ACCESS_KEY", "very-secret")]);
        assert!(!format!("{env:?}").contains("very-secret"));
    }

    #[test]
    fn endpoint_lookup_order() {
        let endpoints = ConfiguredEndpoints {
            env_services: BTreeMap::from([(
                "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING".to_owned(),
                "http://svc".to_owned(),
            )]),
            env_global: Some("http://global".into()),
            profile_services: Ok(BTreeMap::from([(
                "q_business".to_owned(),
                "http://p".to_owned(),
            )])),
            profile_global: Some("http://pg".into()),
        };
        assert_eq!(
            endpoints
                .lookup("Application Auto Scaling")
                .unwrap()
                .as_deref(),
            Some("http://svc")
        );
        assert_eq!(
            endpoints.lookup("QBusiness").unwrap().as_deref(),
            Some("http://global")
        );
        let without_env = ConfiguredEndpoints {
            env_services: BTreeMap::new(),
            env_global: None,
            ..endpoints
        };
        assert_eq!(
            without_env.lookup("Q Business").unwrap().as_deref(),
            Some("http://p")
        );
        assert_eq!(
            without_env.lookup("Wisdom").unwrap().as_deref(),
            Some("http://pg")
        );
    }
}
