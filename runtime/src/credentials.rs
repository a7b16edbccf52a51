//! AWS credentials and the providers that find them, as botocore's `credentials.py` does for
//! the sources this runtime supports: explicit values, the environment, and the shared
//! credentials and config files.
//!
//! A provider is asked at call time, never when a client is built, so a missing credential is
//! an error of the first call that needs it (with a message saying where credentials are
//! looked for), not of client construction. [`CachingCredentialsProvider`] keeps what its inner
//! provider returned until close to its expiry.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::DateTime;
use crate::config::{EnvSource, SharedConfigFiles};

/// A set of AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id, e.g. `AKIDEXAMPLE`.
    pub access_key_id: String,
    /// The secret access key (redacted by `Debug`).
    pub secret_access_key: String,
    /// The session token of temporary credentials (redacted by `Debug`).
    pub session_token: Option<String>,
    /// When temporary credentials expire; `None` for long-term credentials.
    pub expiry: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
        }
    }

    /// Whether these credentials expire less than `window` from `now` (never, without expiry).
    pub fn expires_within(&self, window: Duration, now: SystemTime) -> bool {
        match self.expiry {
            None => false,
            Some(expiry) => match expiry.duration_since(now) {
                Ok(left) => left < window,
                Err(_) => true,
            },
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry.map(DateTime::from))
            .finish()
    }
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This provider has no credentials; a chain goes on to the next provider.
    NotLoaded,
    /// The source has credentials, but they are incomplete or unusable (an access key without a
    /// secret, an expiry that cannot be parsed, expired credentials); a chain stops here.
    Invalid,
    /// The provider failed otherwise (an unreadable file, ...); a chain stops here.
    ProviderError,
}

/// Why no credentials could be provided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
}

impl CredentialsError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError {
            kind,
            message: message.into(),
        }
    }

    /// A [`CredentialsErrorKind::NotLoaded`] error; `message` says where to put credentials so
    /// that this provider finds them (e.g. `set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`).
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError::new(CredentialsErrorKind::NotLoaded, message)
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future [`ProvideCredentials::provide_credentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Looks up credentials. A provider without any returns a
    /// [`CredentialsErrorKind::NotLoaded`] error.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Always the same credentials.
#[derive(Clone, Debug)]
pub struct StaticCredentialsProvider {
    credentials: Credentials,
}

impl StaticCredentialsProvider {
    /// A provider of `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        StaticCredentialsProvider { credentials }
    }
}

impl ProvideCredentials for StaticCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// Credentials from environment variables, as botocore's `EnvProvider`: `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SECURITY_TOKEN` or else `AWS_SESSION_TOKEN`, and
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601). An access key without a secret is an error; no
/// access key (or an empty one) means "not here".
#[derive(Clone, Debug)]
pub struct EnvironmentCredentialsProvider {
    env: EnvSource,
}

impl Default for EnvironmentCredentialsProvider {
    fn default() -> Self {
        EnvironmentCredentialsProvider::new()
    }
}

impl EnvironmentCredentialsProvider {
    /// Reads the process environment (when asked, not now).
    pub fn new() -> Self {
        EnvironmentCredentialsProvider {
            env: EnvSource::process(),
        }
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: EnvSource) -> Self {
        EnvironmentCredentialsProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let var = |name: &str| self.env.var(name).filter(|v| !v.is_empty());
        let Some(access_key_id) = var("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_loaded(
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for \
                 temporary credentials)",
            ));
        };
        let Some(secret_access_key) = var("AWS_SECRET_ACCESS_KEY") else {
            return Err(partial("env", "AWS_SECRET_ACCESS_KEY"));
        };
        let session_token = var("AWS_SECURITY_TOKEN").or_else(|| var("AWS_SESSION_TOKEN"));
        let expiry = match var("AWS_CREDENTIAL_EXPIRATION") {
            None => None,
            Some(text) => Some(parse_expiry(&text).map_err(|e| {
                CredentialsError::new(
                    CredentialsErrorKind::Invalid,
                    format!("invalid AWS_CREDENTIAL_EXPIRATION {text:?}: {e}"),
                )
            })?),
        };
        Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token,
            expiry,
        })
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

fn parse_expiry(text: &str) -> Result<SystemTime, String> {
    let t = DateTime::parse_iso8601(text.trim()).map_err(|e| e.to_string())?;
    let secs = u64::try_from(t.secs()).map_err(|_| "before 1970".to_owned())?;
    Ok(SystemTime::UNIX_EPOCH + Duration::new(secs, t.subsec_nanos()))
}

/// botocore's `PartialCredentialsError` wording.
fn partial(provider: &str, missing: &str) -> CredentialsError {
    CredentialsError::new(
        CredentialsErrorKind::Invalid,
        format!("Partial credentials found in {provider}, missing: {missing}"),
    )
}

/// Credentials from a profile of the shared files, as botocore's `SharedCredentialProvider`
/// followed by its `ConfigProvider`: `aws_access_key_id`, `aws_secret_access_key` and
/// `aws_session_token` (or `aws_security_token`) of section `[name]` in the credentials file
/// (`~/.aws/credentials`), else of `[profile name]` (`[default]` for the default profile) in the
/// config file (`~/.aws/config`). The files are read when credentials are asked for.
#[derive(Clone, Debug)]
pub struct ProfileCredentialsProvider {
    profile: String,
    credentials_file: Option<PathBuf>,
    config_file: Option<PathBuf>,
}

impl ProfileCredentialsProvider {
    /// Profile `profile` in the files the process environment points to
    /// (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, else under `~/.aws`).
    pub fn new(profile: impl Into<String>) -> Self {
        ProfileCredentialsProvider::from_env(profile, &EnvSource::process())
    }

    /// Profile `profile` in the files `env` points to.
    pub fn from_env(profile: impl Into<String>, env: &EnvSource) -> Self {
        ProfileCredentialsProvider {
            profile: profile.into(),
            credentials_file: env.credentials_file_path(),
            config_file: env.config_file_path(),
        }
    }

    /// Profile `profile` in the given files (`None`: no such file).
    pub fn with_files(
        profile: impl Into<String>,
        credentials_file: Option<PathBuf>,
        config_file: Option<PathBuf>,
    ) -> Self {
        ProfileCredentialsProvider {
            profile: profile.into(),
            credentials_file,
            config_file,
        }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let read_error = |e: String| CredentialsError::new(CredentialsErrorKind::ProviderError, e);
        if let Some(path) = &self.credentials_file {
            let sections = SharedConfigFiles::read_raw(path).map_err(read_error)?;
            if let Some(section) = sections.and_then(|mut s| s.remove(&self.profile))
                && let Some(c) = credentials_from_section(&section, "shared-credentials-file")?
            {
                return Ok(c);
            }
        }
        if let Some(path) = &self.config_file {
            let config = SharedConfigFiles::read_config(path).map_err(read_error)?;
            if let Some(section) = config.and_then(|mut c| c.profiles.remove(&self.profile))
                && let Some(c) = credentials_from_section(&section, "config-file")?
            {
                return Ok(c);
            }
        }
        let show = |p: &Option<PathBuf>| {
            p.as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(no file)".into())
        };
        Err(CredentialsError::not_loaded(format!(
            "put aws_access_key_id and aws_secret_access_key in profile {:?} of {} or {}",
            self.profile,
            show(&self.credentials_file),
            show(&self.config_file)
        )))
    }
}

fn credentials_from_section(
    section: &crate::config::IniSection,
    provider: &str,
) -> Result<Option<Credentials>, CredentialsError> {
    let text = |k: &str| section.get(k).and_then(|v| v.as_text()).map(str::to_owned);
    if !section.contains_key("aws_access_key_id") {
        return Ok(None);
    }
    let access_key_id = text("aws_access_key_id").unwrap_or_default();
    let Some(secret_access_key) = text("aws_secret_access_key") else {
        return Err(partial(provider, "aws_secret_access_key"));
    };
    let session_token = text("aws_security_token").or_else(|| text("aws_session_token"));
    Ok(Some(Credentials {
        access_key_id,
        secret_access_key,
        session_token,
        expiry: None,
    }))
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// Tries providers in order, as botocore's `CredentialResolver`: the first that has credentials
/// wins; one that fails (other than "not here") ends the search with its error. If none has
/// any, the error lists where credentials were looked for.
#[derive(Clone, Debug, Default)]
pub struct CredentialsProviderChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsProviderChain {
    /// An empty chain.
    pub fn new() -> Self {
        CredentialsProviderChain::default()
    }

    /// Adds `provider` at the end.
    pub fn with(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Adds a shared `provider` at the end.
    pub fn with_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.providers.push(provider);
        self
    }
}

impl ProvideCredentials for CredentialsProviderChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let mut hints = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(c) => return Ok(c),
                    Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => {
                        hints.push(e.message);
                    }
                    Err(e) => return Err(e),
                }
            }
            let mut message = String::from("no AWS credentials found: ");
            if hints.is_empty() {
                message.push_str("no credentials provider is configured");
            } else {
                message.push_str(&hints.join("; or "));
            }
            Err(CredentialsError::not_loaded(message))
        })
    }
}

/// botocore's advisory refresh window: with less than this left, one caller refreshes while
/// the others keep using the current credentials.
pub const ADVISORY_REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);
/// botocore's mandatory refresh window: with less than this left, every caller waits for fresh
/// credentials.
pub const MANDATORY_REFRESH_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Caches what the inner provider returns, as botocore's `RefreshableCredentials`.
///
/// The inner provider is asked on first use, and again only when the cached credentials have an
/// expiry that is near: within the advisory window (15 minutes) one caller refreshes and the
/// others go on with the current credentials (and a failed refresh keeps them); within the
/// mandatory window (10 minutes) every caller waits for the refresh, and its failure is their
/// error. Concurrent refreshes are coalesced into one call of the inner provider. Errors are not
/// cached. Credentials without an expiry are kept for good.
#[derive(Clone, Debug)]
pub struct CachingCredentialsProvider {
    inner: Arc<dyn ProvideCredentials>,
    state: Arc<CacheState>,
    advisory: Duration,
    mandatory: Duration,
}

#[derive(Debug, Default)]
struct CacheState {
    cached: Mutex<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
}

impl CachingCredentialsProvider {
    /// Caches `inner` with botocore's refresh windows.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachingCredentialsProvider::new_shared(Arc::new(inner))
    }

    /// Caches a shared `inner`.
    pub fn new_shared(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingCredentialsProvider {
            inner,
            state: Arc::default(),
            advisory: ADVISORY_REFRESH_WINDOW,
            mandatory: MANDATORY_REFRESH_WINDOW,
        }
    }

    /// Sets the refresh windows (the mandatory one is capped at the advisory one).
    pub fn with_refresh_windows(mut self, advisory: Duration, mandatory: Duration) -> Self {
        self.advisory = advisory;
        self.mandatory = mandatory.min(advisory);
        self
    }

    fn current(&self) -> Option<Credentials> {
        self.state
            .cached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fresh = self.inner.provide_credentials().await?;
        if fresh.expires_within(Duration::ZERO, SystemTime::now()) {
            return Err(CredentialsError::new(
                CredentialsErrorKind::Invalid,
                format!(
                    "the credentials provided are already expired (expiry {})",
                    fresh.expiry.map(DateTime::from).unwrap_or_default()
                ),
            ));
        }
        *self.state.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = SystemTime::now();
        if let Some(current) = self.current() {
            if !current.expires_within(self.advisory, now) {
                return Ok(current);
            }
            if !current.expires_within(self.mandatory, now) {
                // Advisory window: refresh if nobody else is, else use what we have.
                let Ok(_guard) = self.state.refresh.try_lock() else {
                    return Ok(current);
                };
                if let Some(c) = self.current()
                    && !c.expires_within(self.advisory, SystemTime::now())
                {
                    return Ok(c);
                }
                return Ok(self.fetch().await.unwrap_or(current));
            }
        }
        // Nothing cached, or within the mandatory window: wait for a refresh.
        let _guard = self.state.refresh.lock().await;
        if let Some(c) = self.current()
            && !c.expires_within(self.mandatory, SystemTime::now())
        {
            return Ok(c);
        }
        self.fetch().await
    }
}

impl ProvideCredentials for CachingCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn debug_redacts_secrets() {
        let c = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None);
        let text = format!("{c:?}");
        assert!(text.contains("AKID"));
        assert!(!text.contains("SECRET"));
        assert!(!text.contains("TOKEN"));
    }

    #[test]
    fn environment_provider() {
        let env = EnvSource::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "SESSION"),
            ("AWS_CREDENTIAL_EXPIRATION", "2100-01-02T03:04:05Z"),
        ]);
        let c =
            block_on(EnvironmentCredentialsProvider::with_env(env).provide_credentials()).unwrap();
        assert_eq!(c.access_key_id, "AKID");
        assert_eq!(c.secret_access_key, "SECRET");
        assert_eq!(c.session_token.as_deref(), Some("SESSION"));
        assert_eq!(
            c.expiry,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_542_245))
        );

        // AWS_SECURITY_TOKEN first, as botocore.
        let env = EnvSource::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "SESSION"),
            ("AWS_SECURITY_TOKEN", "SECURITY"),
        ]);
        let c =
            block_on(EnvironmentCredentialsProvider::with_env(env).provide_credentials()).unwrap();
        assert_eq!(c.session_token.as_deref(), Some("SECURITY"));

        let missing = block_on(
            EnvironmentCredentialsProvider::with_env(EnvSource::from_vars([("X", "y")]))
                .provide_credentials(),
        )
        .unwrap_err();
        assert_eq!(missing.kind(), CredentialsErrorKind::NotLoaded);

        let partial = block_on(
            EnvironmentCredentialsProvider::with_env(EnvSource::from_vars([(
                "AWS_ACCESS_KEY_ID",
                "AKID",
            )]))
            .provide_credentials(),
        )
        .unwrap_err();
        assert_eq!(partial.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            partial.to_string(),
            "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"
        );
    }

    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: Option<Duration>,
        delay: Duration,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(self.delay).await;
                Ok(Credentials::new(
                    format!("AKID{n}"),
                    "SECRET",
                    None,
                    self.lifetime.map(|l| SystemTime::now() + l),
                ))
            })
        }
    }

    fn counting(lifetime: Option<Duration>) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime,
            delay: Duration::from_millis(20),
        })
    }

    #[test]
    fn caching_calls_inner_once_for_long_lived_credentials() {
        for lifetime in [None, Some(Duration::from_secs(3600))] {
            let inner = counting(lifetime);
            let cache = CachingCredentialsProvider::new_shared(inner.clone());
            block_on(async {
                for _ in 0..3 {
                    assert_eq!(
                        cache.provide_credentials().await.unwrap().access_key_id,
                        "AKID1"
                    );
                }
            });
            assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        }
    }

    #[test]
    fn caching_refreshes_near_expiry() {
        // Inside the mandatory window (less than 10 minutes left): every call refreshes.
        let inner = counting(Some(Duration::from_secs(5 * 60)));
        let cache = CachingCredentialsProvider::new_shared(inner.clone());
        block_on(async {
            assert_eq!(
                cache.provide_credentials().await.unwrap().access_key_id,
                "AKID1"
            );
            assert_eq!(
                cache.provide_credentials().await.unwrap().access_key_id,
                "AKID2"
            );
        });
        assert_eq!(inner.calls.load(Ordering::SeqCst), 2);

        // Advisory window (10 to 15 minutes left): refreshes too when nobody else is.
        let inner = counting(Some(Duration::from_secs(12 * 60)));
        let cache = CachingCredentialsProvider::new_shared(inner.clone());
        block_on(async {
            cache.provide_credentials().await.unwrap();
            assert_eq!(
                cache.provide_credentials().await.unwrap().access_key_id,
                "AKID2"
            );
        });

        // Custom windows.
        let inner = counting(Some(Duration::from_secs(12 * 60)));
        let cache = CachingCredentialsProvider::new_shared(inner.clone())
            .with_refresh_windows(Duration::from_secs(300), Duration::from_secs(60));
        block_on(async {
            cache.provide_credentials().await.unwrap();
            cache.provide_credentials().await.unwrap();
        });
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn caching_coalesces_concurrent_refreshes() {
        let inner = counting(Some(Duration::from_secs(3600)));
        let cache = CachingCredentialsProvider::new_shared(inner.clone());
        block_on(async {
            let calls: Vec<_> = (0..8).map(|_| cache.provide_credentials()).collect();
            for result in join_all(calls).await {
                assert_eq!(result.unwrap().access_key_id, "AKID1");
            }
        });
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn expired_credentials_are_an_error() {
        let inner = StaticCredentialsProvider::new(Credentials::new(
            "AKID",
            "SECRET",
            None,
            Some(SystemTime::now() - Duration::from_secs(1)),
        ));
        let err =
            block_on(CachingCredentialsProvider::new(inner).provide_credentials()).unwrap_err();
        assert!(err.to_string().contains("expired"), "{err}");
    }

    #[test]
    fn chain_order_and_messages() {
        let env = EnvironmentCredentialsProvider::with_env(EnvSource::from_vars([("A", "b")]));
        let stat = StaticCredentialsProvider::new(Credentials::new("S", "T", None, None));
        let chain = CredentialsProviderChain::new().with(env.clone()).with(stat);
        assert_eq!(
            block_on(chain.provide_credentials()).unwrap().access_key_id,
            "S"
        );

        let empty =
            CredentialsProviderChain::new()
                .with(env)
                .with(ProfileCredentialsProvider::with_files(
                    "default", None, None,
                ));
        let err = block_on(empty.provide_credentials()).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ),
            "{err}"
        );
        assert!(err.to_string().contains("profile \"default\""), "{err}");

        // A partial set stops the chain.
        let partial = EnvironmentCredentialsProvider::with_env(EnvSource::from_vars([(
            "AWS_ACCESS_KEY_ID",
            "AKID",
        )]));
        let stat = StaticCredentialsProvider::new(Credentials::new("S", "T", None, None));
        let chain = CredentialsProviderChain::new().with(partial).with(stat);
        assert_eq!(
            block_on(chain.provide_credentials()).unwrap_err().kind(),
            CredentialsErrorKind::Invalid
        );
    }

    /// A minimal join_all, to avoid a futures dependency.
    async fn join_all<F: Future + Unpin>(futures: Vec<F>) -> Vec<F::Output> {
        let mut futures: Vec<Option<F>> = futures.into_iter().map(Some).collect();
        let mut results: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
        std::future::poll_fn(|cx| {
            let mut pending = false;
            for (i, slot) in futures.iter_mut().enumerate() {
                if let Some(f) = slot {
                    match Pin::new(f).poll(cx) {
                        std::task::Poll::Ready(v) => {
                            results[i] = Some(v);
                            *slot = None;
                        }
                        std::task::Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
        results.into_iter().map(Option::unwrap).collect()
    }
}
