//! `Config::from_env_with`: environment variables and shared files, never the real ones.

mod common;

use std::path::Path;

use awsgen_runtime::credentials::CredentialsErrorKind;
use awsgen_runtime::{Config, Credentials, EnvSource};
use common::temp_dir;

/// A home directory with `~/.aws/config` and `~/.aws/credentials`, removed on drop.
struct Home {
    dir: std::path::PathBuf,
}

impl Home {
    fn new(name: &str, config: &str, credentials: &str) -> Home {
        let dir = temp_dir(name);
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        if !config.is_empty() {
            std::fs::write(dir.join(".aws/config"), config).unwrap();
        }
        if !credentials.is_empty() {
            std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
        }
        Home { dir }
    }

    fn env(&self, vars: &[(&str, &str)]) -> EnvSource {
        EnvSource::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .with_home(&self.dir)
    }

    fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn credentials(config: &Config) -> Credentials {
    config
        .credentials_provider()
        .expect("a provider")
        .provide_credentials()
        .await
        .expect("credentials")
}

const CONFIG: &str = "\
[default]
region = us-east-1
max_attempts = 4

[profile dev]
region = eu-west-1
endpoint_url = http://localhost:4566
use_fips_endpoint = TRUE
use_dualstack_endpoint = 1
aws_access_key_id = AKIDCONFIGDEV
aws_secret_access_key = config-secret
services = local

[services local]
q_connect =
  endpoint_url = http://localhost:9999
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token
";

#[tokio::test]
async fn default_profile_from_the_shared_files() {
    let home = Home::new("default-profile", CONFIG, CREDENTIALS);
    let config = Config::from_env_with(&home.env(&[]));
    assert_eq!(config.load_error(), None);
    assert_eq!(config.region(), Some("us-east-1"));
    assert_eq!(config.retry_config().max_attempts(), 4);
    assert!(!config.use_fips());
    assert_eq!(config.endpoint_url_for("QConnect").unwrap(), None);
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id, "AKIDDEFAULT");
    assert_eq!(c.secret_access_key, "default-secret");
    assert_eq!(c.session_token, None);
}

#[tokio::test]
async fn named_profile() {
    let home = Home::new("named-profile", CONFIG, CREDENTIALS);
    let config = Config::from_env_with(&home.env(&[("AWS_PROFILE", "dev")]));
    assert_eq!(config.load_error(), None);
    assert_eq!(config.profile(), Some("dev"));
    assert_eq!(config.region(), Some("eu-west-1"));
    // ensure_boolean: only "true", in any case.
    assert!(config.use_fips());
    assert!(!config.use_dual_stack());
    // Per-service endpoint from the services section, else the profile's endpoint_url.
    assert_eq!(
        config.endpoint_url_for("Q Connect").unwrap().as_deref(),
        Some("http://localhost:9999")
    );
    assert_eq!(
        config.endpoint_url_for("Personalize").unwrap().as_deref(),
        Some("http://localhost:4566")
    );
    assert_eq!(config.retry_config().max_attempts(), 3);
    // The credentials file comes before the config file.
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id, "AKIDDEV");
    assert_eq!(c.session_token.as_deref(), Some("dev-token"));
}

#[tokio::test]
async fn default_profile_variable_wins_over_profile_variable() {
    let home = Home::new("default-profile-var", CONFIG, CREDENTIALS);
    let config = Config::from_env_with(
        &home.env(&[("AWS_DEFAULT_PROFILE", "dev"), ("AWS_PROFILE", "default")]),
    );
    assert_eq!(config.region(), Some("eu-west-1"));
}

#[tokio::test]
async fn environment_before_profile() {
    let home = Home::new("env-first", CONFIG, CREDENTIALS);
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
        ("AWS_DEFAULT_REGION", "ap-south-1"),
        ("AWS_MAX_ATTEMPTS", "7"),
        ("AWS_USE_FIPS_ENDPOINT", "false"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ("AWS_ENDPOINT_URL", "http://global:1"),
    ]);
    let config = Config::from_env_with(&env);
    assert_eq!(config.region(), Some("ap-south-1"));
    assert_eq!(config.retry_config().max_attempts(), 7);
    assert!(!config.use_fips());
    assert!(config.use_dual_stack());
    assert_eq!(
        config.endpoint_url_for("QConnect").unwrap().as_deref(),
        Some("http://global:1")
    );
    let c = credentials(&config).await;
    assert_eq!(c.access_key_id, "AKIDENV");
    assert_eq!(c.session_token.as_deref(), Some("env-token"));

    // AWS_REGION comes before AWS_DEFAULT_REGION.
    let env = home.env(&[
        ("AWS_REGION", "sa-east-1"),
        ("AWS_DEFAULT_REGION", "ap-south-1"),
    ]);
    assert_eq!(Config::from_env_with(&env).region(), Some("sa-east-1"));
}

#[tokio::test]
async fn builder_values_win_over_the_environment() {
    let home = Home::new("builder-wins", CONFIG, CREDENTIALS);
    let env = home.env(&[
        ("AWS_REGION", "sa-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_ENDPOINT_URL", "http://global:1"),
        ("AWS_MAX_ATTEMPTS", "7"),
    ]);
    let config = Config::builder()
        .region("us-east-2")
        .endpoint_url("http://explicit:2")
        .max_attempts(2)
        .credentials(Credentials::new("AKIDCODE", "code-secret", None, None))
        .build_with_env(&env);
    assert_eq!(config.region(), Some("us-east-2"));
    assert_eq!(
        config.endpoint_url_for("QConnect").unwrap().as_deref(),
        Some("http://explicit:2")
    );
    assert_eq!(config.retry_config().max_attempts(), 2);
    assert_eq!(credentials(&config).await.access_key_id, "AKIDCODE");

    // to_builder keeps everything and lets one value change.
    let changed = config.to_builder().region("eu-north-1").build();
    assert_eq!(changed.region(), Some("eu-north-1"));
    assert_eq!(changed.endpoint_url(), Some("http://explicit:2"));
}

#[tokio::test]
async fn a_profile_chosen_in_code_skips_environment_credentials() {
    let home = Home::new("explicit-profile", CONFIG, CREDENTIALS);
    let env = home.env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]);
    let config = Config::builder().profile("dev").build_with_env(&env);
    assert_eq!(credentials(&config).await.access_key_id, "AKIDDEV");
    // Chosen by AWS_PROFILE, the environment's credentials still come first (botocore).
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ]);
    assert_eq!(
        credentials(&Config::from_env_with(&env))
            .await
            .access_key_id,
        "AKIDENV"
    );
}

#[tokio::test]
async fn custom_file_locations() {
    let home = Home::new("custom-files", "", "");
    let config_path = home.path().join("my-config");
    let credentials_path = home.path().join("my-credentials");
    std::fs::write(&config_path, "[profile x]\nregion = us-west-1\n").unwrap();
    std::fs::write(
        &credentials_path,
        "[x]\naws_access_key_id = AKIDX\naws_secret_access_key = s\nregion = ca-central-1\n",
    )
    .unwrap();
    let env = home.env(&[
        ("AWS_PROFILE", "x"),
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            credentials_path.to_str().unwrap(),
        ),
    ]);
    let config = Config::from_env_with(&env);
    assert_eq!(config.load_error(), None);
    // The credentials file's values override the config file's for the same profile.
    assert_eq!(config.region(), Some("ca-central-1"));
    assert_eq!(credentials(&config).await.access_key_id, "AKIDX");

    // `~` and `$VAR` are expanded.
    let env = home.env(&[
        ("AWS_PROFILE", "x"),
        ("NAME", "my-config"),
        ("AWS_CONFIG_FILE", "~/$NAME"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/nothing-here"),
    ]);
    assert_eq!(Config::from_env_with(&env).region(), Some("us-west-1"));
}

#[tokio::test]
async fn partial_credentials_are_an_error_not_a_fallthrough() {
    let home = Home::new(
        "partial",
        "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
        "[default]\naws_access_key_id = AKIDPARTIAL\n",
    );
    let config = Config::from_env_with(&home.env(&[]));
    let err = config
        .credentials_provider()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        err.to_string(),
        "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key"
    );
}

#[tokio::test]
async fn config_file_credentials_when_the_credentials_file_has_none() {
    let home = Home::new(
        "config-creds",
        "[profile p]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
        "",
    );
    let config = Config::from_env_with(&home.env(&[("AWS_PROFILE", "p")]));
    assert_eq!(credentials(&config).await.access_key_id, "AKIDCONFIG");
}

#[tokio::test]
async fn problems_are_recorded_not_raised() {
    let home = Home::new("problems", "[default]\nregion\n", "");
    let config = Config::from_env_with(&home.env(&[]));
    assert!(
        config
            .load_error()
            .unwrap()
            .starts_with("Unable to parse config file:"),
        "{:?}",
        config.load_error()
    );

    let home = Home::new("bad-max-attempts", "", "");
    let config = Config::from_env_with(&home.env(&[("AWS_MAX_ATTEMPTS", "three")]));
    assert!(config.load_error().unwrap().contains("AWS_MAX_ATTEMPTS"));
    let config = Config::from_env_with(&home.env(&[("AWS_MAX_ATTEMPTS", "0")]));
    assert!(
        config
            .load_error()
            .unwrap()
            .contains("must be an integer greater than or equal to 1")
    );

    let home = Home::new("missing-services", "[default]\nservices = nowhere\n", "");
    let config = Config::from_env_with(&home.env(&[]));
    assert!(
        config
            .endpoint_url_for("QConnect")
            .unwrap_err()
            .contains("\"nowhere\" services configuration does not exist")
    );
}

#[tokio::test]
async fn configured_endpoints_can_be_ignored() {
    let home = Home::new("ignore-endpoints", CONFIG, CREDENTIALS);
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL", "http://global:1"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ]);
    let config = Config::from_env_with(&env);
    assert_eq!(config.endpoint_url_for("QConnect").unwrap(), None);
    // An endpoint set in code is not "configured": it still applies.
    let config = Config::builder()
        .endpoint_url("http://code:3")
        .build_with_env(&env);
    assert_eq!(
        config.endpoint_url_for("QConnect").unwrap().as_deref(),
        Some("http://code:3")
    );
}

#[tokio::test]
async fn service_specific_endpoint_variable_names() {
    let home = Home::new("service-endpoint-vars", "", "");
    let env = home.env(&[
        ("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING", "http://aas"),
        ("AWS_ENDPOINT_URL_QCONNECT", "http://qc"),
    ]);
    let config = Config::from_env_with(&env);
    assert_eq!(
        config
            .endpoint_url_for("Application Auto Scaling")
            .unwrap()
            .as_deref(),
        Some("http://aas")
    );
    assert_eq!(
        config.endpoint_url_for("QConnect").unwrap().as_deref(),
        Some("http://qc")
    );
    assert_eq!(config.endpoint_url_for("Personalize").unwrap(), None);
}

#[tokio::test]
async fn no_home_and_no_variables_means_nothing_configured() {
    let config = Config::from_env_with(&EnvSource::from_vars(Vec::<(String, String)>::new()));
    assert_eq!(config.load_error(), None);
    assert_eq!(config.region(), None);
    assert_eq!(config.retry_config().max_attempts(), 3);
    assert_eq!(
        config.timeout_config().connect_timeout(),
        std::time::Duration::from_secs(60)
    );
    let err = config
        .credentials_provider()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("no AWS credentials found"),
        "{err}"
    );
}

#[test]
fn request_compression_settings_as_botocore_reads_them() {
    let home = Home::new(
        "compression",
        "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 100\n",
        "",
    );
    let config = Config::from_env_with(&home.env(&[]));
    assert!(config.disable_request_compression());
    assert_eq!(config.request_min_compression_size_bytes(), 100);
    assert_eq!(config.load_error(), None);

    let config = Config::from_env_with(&home.env(&[
        ("AWS_DISABLE_REQUEST_COMPRESSION", "false"),
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "2048"),
    ]));
    assert!(!config.disable_request_compression());
    assert_eq!(config.request_min_compression_size_bytes(), 2048);

    let nothing = Home::new("compression-defaults", "", "");
    let config = Config::from_env_with(&nothing.env(&[]));
    assert!(!config.disable_request_compression());
    assert_eq!(config.request_min_compression_size_bytes(), 10240);

    // botocore refuses values above 10 MiB; the first call reports it.
    let config = Config::from_env_with(
        &nothing.env(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761")]),
    );
    let problem = config.load_error().expect("reported");
    assert!(
        problem.contains("request_min_compression_size_bytes")
            && problem.contains("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"),
        "{problem}"
    );
}
