//! Bearer tokens and the providers that find them, as botocore's `tokens.py` does, for services
//! whose operations authenticate with `Authorization: Bearer <token>` (`signatureVersion
//! "bearer"`, `authtype: "bearer"`, `smithy.api#httpBearerAuth`; CodeCatalyst).
//!
//! botocore 1.43.11 has two token providers, tried in this order (`create_token_resolver`):
//!
//! 1. [`EnvironmentTokenProvider`] (`ScopedEnvTokenProvider`): the variable
//!    `AWS_BEARER_TOKEN_<SIGNING NAME>` (the service's signing name upper-cased, `-` and spaces
//!    as `_`: `AWS_BEARER_TOKEN_CODECATALYST`). The token has no expiry.
//! 2. [`SsoTokenProvider`] (`SSOTokenProvider`): for a profile with `sso_session`, the token the
//!    AWS CLI's `aws sso login` cached in `~/.aws/sso/cache/<sha1 of the session name>.json`,
//!    refreshed through SSO OIDC `CreateToken` when it is within 15 minutes of expiry, and
//!    written back to the cache file.
//!
//! [`Config::builder().token(..)`](crate::ConfigBuilder::token) sets a static token instead,
//! and [`ConfigBuilder::token_provider`](crate::ConfigBuilder::token_provider) any
//! [`ProvideToken`]. A provider is asked at call time, never when a client is built: with no
//! token, the call fails (botocore's `NoAuthTokenError`, "Unable to locate authorization
//! token") and nothing is sent.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method};

use crate::DateTime;
use crate::config::{ConfiguredEndpoints, EnvSource, SharedConfigFiles};
use crate::http::HttpClient;

/// A bearer token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    token: String,
    expiry: Option<SystemTime>,
}

impl Token {
    /// A token, with the time it expires if known.
    pub fn new(token: impl Into<String>, expiry: Option<SystemTime>) -> Self {
        Token {
            token: token.into(),
            expiry,
        }
    }

    /// The token text, as sent after `Bearer `.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When the token expires; `None` if it does not (or nobody knows).
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Seconds left before expiry at `now` (negative once expired); `None` without expiry.
    fn remaining(&self, now: SystemTime) -> Option<f64> {
        self.expiry.map(|expiry| match expiry.duration_since(now) {
            Ok(left) => left.as_secs_f64(),
            Err(past) => -past.duration().as_secs_f64(),
        })
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"** redacted **")
            .field("expiry", &self.expiry.map(DateTime::from))
            .finish()
    }
}

/// What kind of failure a [`TokenError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenErrorKind {
    /// This provider has no token; a chain goes on to the next provider.
    NotLoaded,
    /// The configuration names a token source that is broken (a missing `sso-session`
    /// section, missing keys); a chain stops here.
    InvalidConfig,
    /// The provider failed otherwise (no cached token, an unreadable cache file, a failed
    /// refresh of an expired token); a chain stops here.
    ProviderError,
}

/// Why no token could be provided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenError {
    kind: TokenErrorKind,
    message: String,
}

impl TokenError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: TokenErrorKind, message: impl Into<String>) -> Self {
        TokenError {
            kind,
            message: message.into(),
        }
    }

    /// A [`TokenErrorKind::NotLoaded`] error; `message` says how to give this provider a token.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        TokenError::new(TokenErrorKind::NotLoaded, message)
    }

    fn provider(message: impl Into<String>) -> Self {
        TokenError::new(TokenErrorKind::ProviderError, message)
    }

    /// The kind of failure.
    pub fn kind(&self) -> TokenErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {}

/// What a provider may need to know about the call it provides a token for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TokenContext<'a> {
    /// The service's signing name (`codecatalyst`), which scopes the environment variable.
    pub signing_name: &'a str,
    /// The client's HTTP client, for providers that refresh tokens over the network.
    pub http_client: &'a Arc<dyn HttpClient>,
}

impl<'a> TokenContext<'a> {
    /// A context for a call to the service signing as `signing_name`, sent with `http_client`.
    pub fn new(signing_name: &'a str, http_client: &'a Arc<dyn HttpClient>) -> Self {
        TokenContext {
            signing_name,
            http_client,
        }
    }
}

/// The future [`ProvideToken::provide_token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// A source of bearer tokens.
pub trait ProvideToken: Send + Sync + fmt::Debug {
    /// Looks up a token for a call described by `context`. A provider without one returns a
    /// [`TokenErrorKind::NotLoaded`] error.
    fn provide_token<'a>(&'a self, context: TokenContext<'a>) -> TokenFuture<'a>;
}

impl<T: ProvideToken + ?Sized> ProvideToken for Arc<T> {
    fn provide_token<'a>(&'a self, context: TokenContext<'a>) -> TokenFuture<'a> {
        (**self).provide_token(context)
    }
}

/// Always the same token.
#[derive(Clone, Debug)]
pub struct StaticTokenProvider {
    token: Token,
}

impl StaticTokenProvider {
    /// A provider of `token`.
    pub fn new(token: Token) -> Self {
        StaticTokenProvider { token }
    }
}

impl ProvideToken for StaticTokenProvider {
    fn provide_token<'a>(&'a self, _context: TokenContext<'a>) -> TokenFuture<'a> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// botocore's `_get_bearer_env_var_name`: `AWS_BEARER_TOKEN_` and the signing name upper-cased
/// with `-` and spaces as `_`.
pub fn bearer_env_var_name(signing_name: &str) -> String {
    format!(
        "AWS_BEARER_TOKEN_{}",
        signing_name.replace(['-', ' '], "_").to_uppercase()
    )
}

/// The token in `AWS_BEARER_TOKEN_<SIGNING NAME>`, as botocore's `ScopedEnvTokenProvider`
/// (no expiry). An empty variable counts as unset, as everywhere in this runtime's
/// configuration (botocore would send `Bearer ` with nothing after it).
#[derive(Clone, Debug)]
pub struct EnvironmentTokenProvider {
    env: EnvSource,
}

impl Default for EnvironmentTokenProvider {
    fn default() -> Self {
        EnvironmentTokenProvider::new()
    }
}

impl EnvironmentTokenProvider {
    /// Reads the process environment (when asked, not now).
    pub fn new() -> Self {
        EnvironmentTokenProvider {
            env: EnvSource::process(),
        }
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: EnvSource) -> Self {
        EnvironmentTokenProvider { env }
    }

    fn load(&self, signing_name: &str) -> Result<Token, TokenError> {
        if signing_name.trim().is_empty() {
            return Err(TokenError::not_loaded(
                "the service has no signing name to scope AWS_BEARER_TOKEN_<SERVICE> with",
            ));
        }
        let name = bearer_env_var_name(signing_name);
        match self.env.var(&name).filter(|v| !v.is_empty()) {
            Some(token) => Ok(Token::new(token, None)),
            None => Err(TokenError::not_loaded(format!("set {name}"))),
        }
    }
}

impl ProvideToken for EnvironmentTokenProvider {
    fn provide_token<'a>(&'a self, context: TokenContext<'a>) -> TokenFuture<'a> {
        let result = self.load(context.signing_name);
        Box::pin(async move { result })
    }
}

/// Tries providers in order, as botocore's `TokenProviderChain`: the first that has a token
/// wins; one that fails (other than "not here") ends the search with its error.
#[derive(Clone, Debug, Default)]
pub struct TokenProviderChain {
    providers: Vec<Arc<dyn ProvideToken>>,
}

impl TokenProviderChain {
    /// An empty chain.
    pub fn new() -> Self {
        TokenProviderChain::default()
    }

    /// Adds `provider` at the end.
    pub fn with(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }
}

/// botocore's `NoAuthTokenError` text, which every "no token" error starts with.
pub const NO_AUTH_TOKEN: &str = "Unable to locate authorization token";

impl ProvideToken for TokenProviderChain {
    fn provide_token<'a>(&'a self, context: TokenContext<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let mut hints = Vec::new();
            for provider in &self.providers {
                match provider.provide_token(context.clone()).await {
                    Ok(token) => return Ok(token),
                    Err(e) if e.kind() == TokenErrorKind::NotLoaded => hints.push(e.message),
                    Err(e) => return Err(e),
                }
            }
            let mut message = format!("{NO_AUTH_TOKEN}: ");
            if hints.is_empty() {
                message.push_str("no token provider is configured");
            } else {
                message.push_str(&hints.join("; or "));
            }
            Err(TokenError::not_loaded(message))
        })
    }
}

// ---------------------------------------------------------------------------------------------
// SSO: `SSOTokenProvider` and the `DeferredRefreshableToken` it returns.

/// botocore's `DeferredRefreshableToken._advisory_refresh_timeout`: with less than this left,
/// one caller refreshes while the others use the current token.
const ADVISORY_REFRESH: f64 = 15.0 * 60.0;
/// `_mandatory_refresh_timeout`: with less than this left, every caller waits for a refresh.
const MANDATORY_REFRESH: f64 = 10.0 * 60.0;
/// `_attempt_timeout`: a refresh is attempted at most once a minute.
const REFRESH_ATTEMPT_INTERVAL: Duration = Duration::from_secs(60);
/// `SSOTokenProvider._REFRESH_WINDOW`: a cached token with less than this left is refreshed
/// through `CreateToken` before use.
const SSO_REFRESH_WINDOW: f64 = 15.0 * 60.0;

/// The token of an AWS IAM Identity Center (SSO) session, as botocore's `SSOTokenProvider`.
///
/// The profile must name an `sso_session` whose `[sso-session <name>]` section in the config
/// file has `sso_start_url` and `sso_region`; a profile without `sso_session` has no token here
/// (the chain goes on), a broken section is an error. The token is what `aws sso login` cached
/// in `<cache dir>/<sha1 of the session name>.json` (`~/.aws/sso/cache`). Within 15 minutes of
/// its `expiresAt` the provider asks SSO OIDC `CreateToken` (grant `refresh_token`, with the
/// cached `clientId`, `clientSecret` and `refreshToken`, while `registrationExpiresAt` is in
/// the future) for a new one and writes it back to the cache file as botocore does; a refresh
/// the service refuses leaves the cached token in use. The token is kept in memory and the
/// cache re-read as botocore's `DeferredRefreshableToken` does: within 15 minutes of expiry one
/// caller refreshes, within 10 every caller waits, at most one attempt a minute, and an expired
/// token that could not be refreshed is an error.
///
/// `CreateToken` goes to the endpoint configured for the service id `SSO OIDC`
/// (`AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL`, the profile's `services` section or
/// `endpoint_url`), as botocore's nested `sso-oidc` client does, else to
/// `https://oidc.<sso_region>.<DNS suffix of the region's partition>`.
#[derive(Clone, Debug)]
pub struct SsoTokenProvider {
    profile: String,
    config_file: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    configured_endpoints: Option<ConfiguredEndpoints>,
    state: Arc<DeferredState>,
}

#[derive(Debug, Default)]
struct DeferredState {
    /// The profile's SSO session once read (botocore's `CachedProperty` `_sso_config`; a
    /// failure is not kept, so a fixed file is read again).
    config: Mutex<Option<Option<SsoConfig>>>,
    frozen: Mutex<Option<Token>>,
    next_refresh: Mutex<Option<SystemTime>>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefreshKind {
    Advisory,
    Mandatory,
}

/// A profile's SSO session, from the config file.
#[derive(Clone, Debug)]
struct SsoConfig {
    session_name: String,
    region: String,
    start_url: String,
}

impl SsoTokenProvider {
    /// Profile `profile` of the config file and the SSO cache under the home directory that the
    /// process environment points to.
    pub fn new(profile: impl Into<String>) -> Self {
        SsoTokenProvider::from_env(profile, &EnvSource::process())
    }

    /// Profile `profile` of the config file (`AWS_CONFIG_FILE` or `~/.aws/config`) and the
    /// cache (`~/.aws/sso/cache`) that `env` points to. `CreateToken` goes to the endpoint
    /// `env` configures for `SSO OIDC`, if any.
    pub fn from_env(profile: impl Into<String>, env: &EnvSource) -> Self {
        let profile = profile.into();
        let configured_endpoints = env.config_file_path().and_then(|path| {
            let file = SharedConfigFiles::read_config(&path).ok().flatten()?;
            let section = file.profiles.get(&profile).cloned().unwrap_or_default();
            Some(ConfiguredEndpoints::from_env_and_profile(
                env, &file, &section,
            ))
        });
        SsoTokenProvider::with_files(profile, env.config_file_path(), sso_cache_dir(env))
            .with_configured_endpoints(configured_endpoints)
    }

    /// Profile `profile` of `config_file`, tokens cached in `cache_dir` (`None`: no such file
    /// or directory).
    pub fn with_files(
        profile: impl Into<String>,
        config_file: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
    ) -> Self {
        SsoTokenProvider {
            profile: profile.into(),
            config_file,
            cache_dir,
            configured_endpoints: None,
            state: Arc::default(),
        }
    }

    pub(crate) fn with_configured_endpoints(
        mut self,
        configured_endpoints: Option<ConfiguredEndpoints>,
    ) -> Self {
        self.configured_endpoints = configured_endpoints;
        self
    }

    /// botocore's `_sso_config`, read once.
    fn sso_config(&self) -> Result<Option<SsoConfig>, TokenError> {
        if let Some(config) = lock(&self.state.config).as_ref() {
            return Ok(config.clone());
        }
        let config = self.load_sso_config()?;
        *lock(&self.state.config) = Some(config.clone());
        Ok(config)
    }

    /// botocore's `_load_sso_config`: `Ok(None)` when the profile has no `sso_session`.
    fn load_sso_config(&self) -> Result<Option<SsoConfig>, TokenError> {
        let Some(path) = &self.config_file else {
            return Ok(None);
        };
        let file = SharedConfigFiles::read_config(path)
            .map_err(|e| TokenError::new(TokenErrorKind::InvalidConfig, e))?
            .unwrap_or_default();
        let Some(session_name) = file
            .profiles
            .get(&self.profile)
            .and_then(|section| section.get("sso_session"))
            .and_then(|value| value.as_text())
        else {
            return Ok(None);
        };
        let invalid = |message: String| TokenError::new(TokenErrorKind::InvalidConfig, message);
        let Some(session) = file.sso_sessions.get(session_name) else {
            return Err(invalid(format!(
                "The profile \"{}\" is configured to use the SSO token provider but the \
                 \"{session_name}\" sso_session configuration does not exist.",
                self.profile
            )));
        };
        let text = |key: &str| {
            session
                .get(key)
                .and_then(|v| v.as_text())
                .map(str::to_owned)
        };
        let (start_url, region) = (text("sso_start_url"), text("sso_region"));
        let missing: Vec<&str> = [("sso_start_url", &start_url), ("sso_region", &region)]
            .iter()
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| *key)
            .collect();
        match (start_url, region) {
            (Some(start_url), Some(region)) => Ok(Some(SsoConfig {
                session_name: session_name.to_owned(),
                region,
                start_url,
            })),
            _ => Err(invalid(format!(
                "The profile \"{}\" is configured to use the SSO token provider but is missing \
                 the following configuration: {missing:?}.",
                self.profile
            ))),
        }
    }

    fn frozen(&self) -> Option<Token> {
        lock(&self.state.frozen).clone()
    }

    /// `DeferredRefreshableToken._should_refresh`.
    fn should_refresh(&self, now: SystemTime) -> Option<RefreshKind> {
        let Some(frozen) = self.frozen() else {
            return Some(RefreshKind::Mandatory);
        };
        let remaining = frozen.remaining(now)?;
        if lock(&self.state.next_refresh).is_some_and(|next| now < next) {
            return None;
        }
        if remaining < MANDATORY_REFRESH {
            Some(RefreshKind::Mandatory)
        } else if remaining < ADVISORY_REFRESH {
            Some(RefreshKind::Advisory)
        } else {
            None
        }
    }

    /// `DeferredRefreshableToken.get_frozen_token`.
    async fn token(
        &self,
        config: &SsoConfig,
        context: &TokenContext<'_>,
    ) -> Result<Token, TokenError> {
        if let Some(kind) = self.should_refresh(SystemTime::now()) {
            let guard = match kind {
                RefreshKind::Mandatory => Some(self.state.refresh.lock().await),
                RefreshKind::Advisory => self.state.refresh.try_lock().ok(),
            };
            if guard.is_some() {
                self.protected_refresh(config, context).await?;
            }
        }
        self.frozen().ok_or_else(|| {
            TokenError::provider("the SSO token could not be loaded (a refresh is in progress)")
        })
    }

    /// `DeferredRefreshableToken._protected_refresh`, under the refresh lock.
    async fn protected_refresh(
        &self,
        config: &SsoConfig,
        context: &TokenContext<'_>,
    ) -> Result<(), TokenError> {
        let now = SystemTime::now();
        let Some(kind) = self.should_refresh(now) else {
            return Ok(());
        };
        *lock(&self.state.next_refresh) = Some(now + REFRESH_ATTEMPT_INTERVAL);
        match self.refresher(config, context).await {
            Ok(token) => *lock(&self.state.frozen) = Some(token),
            // In the advisory window the current token is still good; botocore logs and goes on.
            Err(e) if kind == RefreshKind::Advisory => drop(e),
            Err(e) => return Err(e),
        }
        if self
            .frozen()
            .and_then(|t| t.remaining(SystemTime::now()))
            .is_some_and(|left| left <= 0.0)
        {
            return Err(TokenError::provider(format!(
                "Error when retrieving token from sso: Token has expired and refresh failed \
                 (run `aws sso login --sso-session {}`)",
                config.session_name
            )));
        }
        Ok(())
    }

    fn cache_file(&self, config: &SsoConfig) -> Result<PathBuf, TokenError> {
        let dir = self.cache_dir.as_ref().ok_or_else(|| {
            TokenError::provider(
                "Error loading SSO Token: the SSO token cache (~/.aws/sso/cache) needs a home \
                 directory, and none is known",
            )
        })?;
        Ok(dir.join(format!("{}.json", sso_cache_key(&config.session_name))))
    }

    /// `SSOTokenProvider._refresher`: the cached token, refreshed first if it is near expiry.
    async fn refresher(
        &self,
        config: &SsoConfig,
        context: &TokenContext<'_>,
    ) -> Result<Token, TokenError> {
        let path = self.cache_file(config)?;
        let cached = read_cached_token(&path, config)?;
        let mut access_token = cached.access_token.clone();
        let mut expiry = cached.expires_at;
        if remaining_secs(expiry, SystemTime::now()) < SSO_REFRESH_WINDOW
            && let Some(refreshed) = self.refresh_access_token(config, &cached, context).await?
        {
            write_cache_file(&path, &refreshed.file_contents)?;
            access_token = refreshed.access_token;
            expiry = refreshed.expires_at;
        }
        Ok(Token::new(access_token, Some(expiry)))
    }

    /// `SSOTokenProvider._refresh_access_token`: `Ok(None)` when the cached token cannot be
    /// refreshed (keys missing, registration expired) or the service refused; transport
    /// failures are errors.
    async fn refresh_access_token(
        &self,
        config: &SsoConfig,
        cached: &CachedToken,
        context: &TokenContext<'_>,
    ) -> Result<Option<RefreshedToken>, TokenError> {
        let (Some(refresh_token), Some(client_id), Some(client_secret), Some(registration)) = (
            &cached.refresh_token,
            &cached.client_id,
            &cached.client_secret,
            &cached.registration_expires_at,
        ) else {
            return Ok(None);
        };
        let registration_text = registration.as_str().unwrap_or_default();
        let registration_expiry = parse_cache_time(registration_text).map_err(|e| {
            TokenError::provider(format!(
                "Error loading SSO Token: registrationExpiresAt {registration_text:?}: {e}"
            ))
        })?;
        if remaining_secs(registration_expiry, SystemTime::now()) <= 0.0 {
            return Ok(None);
        }
        let endpoint = self.oidc_endpoint(&config.region)?;
        let Some(response) = create_token(
            context.http_client,
            &endpoint,
            client_id,
            client_secret,
            refresh_token,
        )
        .await?
        else {
            return Ok(None);
        };
        let expires_at = SystemTime::now() + Duration::from_secs(response.expires_in);
        // The new cache entry, key for key as botocore writes it (`_attempt_create_token`):
        // a `refreshToken` only if the response has one.
        let mut fields: Vec<(&str, serde_json::Value)> = vec![
            ("startUrl", config.start_url.clone().into()),
            ("region", config.region.clone().into()),
            ("accessToken", response.access_token.clone().into()),
            ("expiresAt", cache_time(expires_at).into()),
            ("clientId", client_id.clone().into()),
            ("clientSecret", client_secret.clone().into()),
            ("registrationExpiresAt", registration.clone()),
        ];
        if let Some(refresh_token) = response.refresh_token {
            fields.push(("refreshToken", refresh_token.into()));
        }
        Ok(Some(RefreshedToken {
            access_token: response.access_token,
            expires_at,
            file_contents: python_json_object(&fields),
        }))
    }

    fn oidc_endpoint(&self, region: &str) -> Result<String, TokenError> {
        if let Some(configured) = &self.configured_endpoints
            && let Some(url) = configured
                .lookup("SSO OIDC")
                .map_err(|e| TokenError::new(TokenErrorKind::InvalidConfig, e))?
        {
            return Ok(url);
        }
        let suffix = crate::endpoint::partition::dns_suffix(region)
            .map_err(|e| TokenError::provider(format!("no partition for {region:?}: {e}")))?;
        Ok(format!("https://oidc.{region}.{suffix}"))
    }
}

impl ProvideToken for SsoTokenProvider {
    fn provide_token<'a>(&'a self, context: TokenContext<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let Some(config) = self.sso_config()? else {
                return Err(TokenError::not_loaded(format!(
                    "configure an sso_session in profile {:?} of {} and run `aws sso login`",
                    self.profile,
                    self.config_file
                        .as_ref()
                        .map_or_else(|| "(no config file)".into(), |p| p.display().to_string())
                )));
            };
            self.token(&config, &context).await
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn remaining_secs(expiry: SystemTime, now: SystemTime) -> f64 {
    Token::new("", Some(expiry)).remaining(now).unwrap_or(0.0)
}

/// `~/.aws/sso/cache`, botocore's `SSOTokenProvider._SSO_TOKEN_CACHE_DIR`.
pub(crate) fn sso_cache_dir(env: &EnvSource) -> Option<PathBuf> {
    env.expand_path("~/.aws/sso/cache")
}

/// botocore's `SSOTokenLoader._generate_cache_key` for a session: the SHA-1 of its name, hex.
pub fn sso_cache_key(session_name: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        session_name.as_bytes(),
    );
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A cache entry as `SSOTokenLoader` reads it.
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    /// Kept as the JSON value it was, since botocore copies it into the new entry unchanged.
    registration_expires_at: Option<serde_json::Value>,
}

struct RefreshedToken {
    access_token: String,
    expires_at: SystemTime,
    file_contents: String,
}

/// `SSOTokenLoader.__call__`: the entry must exist and have `accessToken` and `expiresAt`.
fn read_cached_token(path: &Path, config: &SsoConfig) -> Result<CachedToken, TokenError> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TokenError::provider(format!(
                "Error loading SSO Token: Token for {} does not exist ({} not found; run `aws \
                 sso login --sso-session {}`)",
                config.session_name,
                path.display(),
                config.session_name
            )));
        }
        Err(e) => {
            return Err(TokenError::provider(format!(
                "Error loading SSO Token: cannot read {}: {e}",
                path.display()
            )));
        }
    };
    // JSONFileCache treats an unparsable file as a missing key.
    let entry: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&text).map_err(|e| {
            TokenError::provider(format!(
                "Error loading SSO Token: Token for {} does not exist ({} is not a JSON \
                 object: {e})",
                config.session_name,
                path.display()
            ))
        })?;
    let invalid = || {
        TokenError::provider(format!(
            "Error loading SSO Token: Token for {} is invalid",
            config.start_url
        ))
    };
    let string = |key: &str| entry.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let access_token = string("accessToken").ok_or_else(invalid)?;
    let expires_text = string("expiresAt").ok_or_else(invalid)?;
    let expires_at = parse_cache_time(&expires_text).map_err(|e| {
        TokenError::provider(format!(
            "Error loading SSO Token: expiresAt {expires_text:?} in {}: {e}",
            path.display()
        ))
    })?;
    Ok(CachedToken {
        access_token,
        expires_at,
        refresh_token: string("refreshToken"),
        client_id: string("clientId"),
        client_secret: string("clientSecret"),
        registration_expires_at: entry.get("registrationExpiresAt").cloned(),
    })
}

/// Times in the SSO cache: ISO 8601 as the AWS CLI writes them (`2024-01-02T03:04:05Z`, with
/// or without fractional seconds or an offset), or with `UTC` for the zone as botocore's
/// default `JSONFileCache` format (`%Y-%m-%dT%H:%M:%S%Z`) gives. A time without a zone is taken
/// as UTC (dateutil would return a naive time that botocore then cannot compare).
fn parse_cache_time(text: &str) -> Result<SystemTime, String> {
    let text = text.trim();
    let parse = |text: &str| DateTime::parse_iso8601(text).map_err(|e| e.to_string());
    let time = match text.strip_suffix("UTC") {
        Some(stripped) => parse(&format!("{stripped}Z"))?,
        None => parse(text).or_else(|e| parse(&format!("{text}Z")).map_err(|_| e))?,
    };
    let secs = u64::try_from(time.secs()).map_err(|_| "before 1970".to_owned())?;
    Ok(SystemTime::UNIX_EPOCH + Duration::new(secs, time.subsec_nanos()))
}

/// botocore's `_serialize_utc_timestamp`: `%Y-%m-%dT%H:%M:%SZ` (whole seconds).
fn cache_time(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX)).to_iso8601()
}

/// `json.dumps` of a dict with Python's default separators (`", "`, `": "`), keys in order.
fn python_json_object(fields: &[(&str, serde_json::Value)]) -> String {
    let mut out = String::from("{");
    for (index, (key, value)) in fields.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::Value::from(*key).to_string());
        out.push_str(": ");
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// `JSONFileCache.__setitem__`: the directory is created if needed, the entry written to a
/// temporary file in it, flushed to disk, and renamed over the old one, so that a reader never
/// sees half a file.
fn write_cache_file(path: &Path, contents: &str) -> Result<(), TokenError> {
    use std::io::Write as _;
    let failed = |what: &str, e: std::io::Error| {
        TokenError::provider(format!(
            "cannot write the refreshed SSO token to {}: {what}: {e}",
            path.display()
        ))
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| failed("creating the directory", e))?;
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temp = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        path.file_name()
            .map_or_else(Default::default, |n| n.to_string_lossy()),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(failed("writing", e));
    }
    Ok(())
}

/// What `CreateToken` returned.
struct CreateTokenOutput {
    access_token: String,
    expires_in: u64,
    refresh_token: Option<String>,
}

/// SSO OIDC `CreateToken` with grant `refresh_token`: `POST /token`, an unsigned JSON body
/// (the operation is `auth: [smithy.api#noAuth]`). Written by hand rather than generated: the
/// runtime cannot depend on a generated `sso-oidc` crate (every generated crate depends on the
/// runtime), and the call is one request with four string members and three response members.
///
/// `Ok(None)` when the service answers with an error (botocore's `ClientError`, which makes
/// `_refresh_access_token` fall back to the cached token); a transport failure or a malformed
/// success response is an error.
async fn create_token(
    http_client: &Arc<dyn HttpClient>,
    endpoint: &str,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> Result<Option<CreateTokenOutput>, TokenError> {
    let uri = crate::client::join_url(endpoint, "/token")
        .map_err(|e| TokenError::provider(format!("SSO OIDC CreateToken: {e}")))?;
    let body = serde_json::json!({
        "clientId": client_id,
        "clientSecret": client_secret,
        "grantType": "refresh_token",
        "refreshToken": refresh_token,
    })
    .to_string();
    let host = crate::client::host_header(&uri).ok();
    let mut request = http::Request::new(Bytes::from(body));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(host) = host {
        headers.insert(http::header::HOST, host);
    }
    headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static(concat!(
            "awsgen/",
            env!("CARGO_PKG_VERSION"),
            " ua/2.1 lang/rust api/sso-oidc"
        )),
    );
    let length = HeaderValue::from(request.body().len());
    request
        .headers_mut()
        .insert(http::header::CONTENT_LENGTH, length);
    let response = http_client.call(request).await.map_err(|e| {
        TokenError::provider(format!(
            "Error when retrieving token from sso: SSO OIDC CreateToken at {endpoint} failed: {e}"
        ))
    })?;
    if !response.status().is_success() {
        return Ok(None);
    }
    let malformed = |why: String| {
        TokenError::provider(format!(
            "Error when retrieving token from sso: malformed CreateToken response: {why}"
        ))
    };
    let parsed: serde_json::Value =
        serde_json::from_slice(response.body()).map_err(|e| malformed(e.to_string()))?;
    let access_token = parsed["accessToken"]
        .as_str()
        .ok_or_else(|| malformed("no accessToken".into()))?
        .to_owned();
    let expires_in = parsed["expiresIn"]
        .as_u64()
        .ok_or_else(|| malformed("no expiresIn".into()))?;
    Ok(Some(CreateTokenOutput {
        access_token,
        expires_in,
        refresh_token: parsed["refreshToken"].as_str().map(str::to_owned),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_names_as_botocore() {
        assert_eq!(
            bearer_env_var_name("codecatalyst"),
            "AWS_BEARER_TOKEN_CODECATALYST"
        );
        assert_eq!(
            bearer_env_var_name("bedrock-runtime x"),
            "AWS_BEARER_TOKEN_BEDROCK_RUNTIME_X"
        );
    }

    #[test]
    fn cache_key_is_sha1_of_session_name() {
        // hashlib.sha1(b"my-sso").hexdigest()
        assert_eq!(
            sso_cache_key("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
        // hashlib.sha1(b"abc").hexdigest()
        assert_eq!(
            sso_cache_key("abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn cache_times() {
        let t = |s: &str| {
            parse_cache_time(s)
                .unwrap()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        };
        assert_eq!(t("2024-01-02T03:04:05Z"), 1_704_164_645);
        assert_eq!(t("2024-01-02T03:04:05UTC"), 1_704_164_645);
        assert_eq!(t("2024-01-02T03:04:05"), 1_704_164_645);
        assert_eq!(t("2024-01-02T04:04:05+01:00"), 1_704_164_645);
        assert_eq!(t("2024-01-02T03:04:05.250Z"), 1_704_164_645);
        assert!(parse_cache_time("soon").is_err());
        assert_eq!(
            cache_time(SystemTime::UNIX_EPOCH + Duration::from_millis(1_704_164_645_900)),
            "2024-01-02T03:04:05Z"
        );
    }

    #[test]
    fn python_json_dumps_layout() {
        assert_eq!(
            python_json_object(&[("a", "x\"y".into()), ("b", serde_json::json!(1))]),
            r#"{"a": "x\"y", "b": 1}"#
        );
    }

    #[test]
    fn debug_redacts_the_token() {
        let text = format!("{:?}", Token::new("SECRET-TOKEN", None));
        assert!(!text.contains("SECRET"), "{text}");
    }
}
