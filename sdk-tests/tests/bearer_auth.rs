//! Bearer-token authentication (CodeCatalyst's `signatureVersion: bearer`), with the snapshot
//! service `bearer-auth` against the local server: the `Authorization: Bearer` header instead of
//! SigV4, where the token comes from (code, `AWS_BEARER_TOKEN_<SIGNING NAME>`, the AWS CLI's SSO
//! cache with a `CreateToken` refresh), and what happens without one.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use awsgen_runtime::error::SdkError;
use awsgen_runtime::{Config, Credentials, EnvSource, Token};
use sdk_tests::{CannedResponse, RecordedRequest, TestServer};
use snapshot_bearer_auth::Client;

/// botocore's `BearerAuth` adds nothing of SigV4.
fn assert_no_sigv4(request: &RecordedRequest) {
    for header in ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"] {
        assert_eq!(request.header(header), None, "{header} in {request:?}");
    }
}

/// A fresh directory to serve as `HOME`.
fn temp_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsgen-bearer-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".aws")).unwrap();
    dir
}

/// `hashlib.sha1(b"my-sso").hexdigest()`: botocore's cache file name for session `my-sso`.
const MY_SSO_CACHE_FILE: &str = "0ad374308c5a4e22f723adf10145eafad7c4031c.json";

/// A home whose default profile uses SSO session `my-sso`, and its cache file path.
fn sso_home(name: &str, cached: &serde_json::Value) -> (PathBuf, PathBuf) {
    let home = temp_home(name);
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nsso_session = my-sso\n\n[sso-session my-sso]\n\
         sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    let cache = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let file = cache.join(MY_SSO_CACHE_FILE);
    std::fs::write(&file, cached.to_string()).unwrap();
    (home, file)
}

fn iso(time: SystemTime) -> String {
    awsgen_runtime::DateTime::from(time).to_iso8601()
}

/// A configuration from a fixed environment: `HOME`, the service's endpoint and `vars`.
fn env_config(home: &Path, service: &TestServer, vars: &[(&str, String)]) -> Config {
    let mut all = vec![
        ("HOME".to_owned(), home.display().to_string()),
        (
            "AWS_ENDPOINT_URL_BEARER_THINGS".to_owned(),
            service.endpoint(),
        ),
    ];
    all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    Config::from_env_with(&EnvSource::from_vars(all))
}

#[tokio::test]
async fn a_static_token_is_sent_as_authorization_bearer_without_sigv4() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(
        200,
        r#"{"name":"space-1","regionName":"us-west-2"}"#,
    ));
    // No region and no credentials: a bearer call needs neither.
    let config = Config::builder()
        .endpoint_url(server.endpoint())
        .token(Token::new("static-token", None))
        .build();
    let output = Client::new(&config)
        .get_space()
        .name("space-1")
        .send()
        .await
        .unwrap();
    assert_eq!(output.name.as_deref(), Some("space-1"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v1/spaces/space-1");
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer static-token")
    );
    assert_no_sigv4(&requests[0]);
}

#[tokio::test]
async fn an_operations_own_auth_overrides_the_services_bearer() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, r#"{"status":"ok"}"#));
    server.respond(CannedResponse::json(200, "{}"));
    server.respond(CannedResponse::json(201, "{}"));
    let config = Config::builder()
        .endpoint_url(server.endpoint())
        .region("us-west-2")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .token(Token::new("tok", None))
        .build();
    let client = Client::new(&config);
    // authtype none: no Authorization at all.
    let status = client.get_status().send().await.unwrap();
    assert_eq!(status.status.as_deref(), Some("ok"));
    // auth [sigv4]: SigV4 with the credentials.
    client.put_signed().value("v").send().await.unwrap();
    // auth [sigv4a, httpBearerAuth, sigv4]: sigv4a needs CRT, so bearer.
    client.put_bearer().value("v").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("authorization"), None);
    assert_no_sigv4(&requests[0]);
    let sigv4 = requests[1].header("authorization").unwrap();
    assert!(
        sigv4.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{sigv4}"
    );
    assert!(
        sigv4.contains("/us-west-2/bearer-things/aws4_request"),
        "{sigv4}"
    );
    assert!(requests[1].header("x-amz-date").is_some());
    assert_eq!(requests[2].header("authorization"), Some("Bearer tok"));
    assert_no_sigv4(&requests[2]);

    // An unsigned operation needs no token at all.
    let no_token = Config::builder()
        .endpoint_url(server.endpoint())
        .region("us-west-2")
        .build();
    Client::new(&no_token).get_status().send().await.unwrap();
}

#[tokio::test]
async fn without_a_token_the_call_fails_and_nothing_is_sent() {
    let server = TestServer::start().await;
    let config = Config::builder().endpoint_url(server.endpoint()).build();
    let error = Client::new(&config)
        .get_space()
        .name("s")
        .send()
        .await
        .unwrap_err();
    match &error {
        SdkError::Config(message) => assert!(
            message.starts_with("Unable to locate authorization token"),
            "{message}"
        ),
        other => panic!("expected a configuration error, got {other:?}"),
    }

    // From the environment with no token anywhere: botocore's message, with where to put one.
    let home = temp_home("none");
    let error = Client::new(&env_config(&home, &server, &[]))
        .get_space()
        .name("s")
        .send()
        .await
        .unwrap_err();
    let SdkError::Config(message) = &error else {
        panic!("expected a configuration error, got {error:?}");
    };
    assert!(
        message.starts_with("Unable to locate authorization token: "),
        "{message}"
    );
    assert!(
        message.contains("AWS_BEARER_TOKEN_BEARER_THINGS"),
        "{message}"
    );
    assert!(message.contains("sso_session"), "{message}");
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn the_environment_token_is_scoped_by_signing_name() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    let home = temp_home("env");
    let config = env_config(
        &home,
        &server,
        &[
            // The signing name `bearer-things`, upper-cased with `_`.
            ("AWS_BEARER_TOKEN_BEARER_THINGS", "env-token".into()),
            ("AWS_BEARER_TOKEN_CODECATALYST", "other-service".into()),
        ],
    );
    Client::new(&config)
        .get_space()
        .name("s")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer env-token")
    );
}

#[tokio::test]
async fn the_sso_cache_of_the_profiles_session_is_used() {
    let server = TestServer::start().await;
    server.respond(CannedResponse::json(200, "{}"));
    server.respond(CannedResponse::json(200, "{}"));
    let (home, _) = sso_home(
        "cached",
        &serde_json::json!({
            "startUrl": "https://example.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "cached-token",
            "expiresAt": iso(SystemTime::now() + Duration::from_secs(3600)),
        }),
    );
    let client = Client::new(&env_config(&home, &server, &[]));
    client.get_space().name("a").send().await.unwrap();
    client.get_space().name("b").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "no refresh for a token an hour from expiry"
    );
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer cached-token"));
        assert_no_sigv4(request);
    }

    // The environment variable comes first, as botocore's chain.
    let config = env_config(
        &home,
        &server,
        &[("AWS_BEARER_TOKEN_BEARER_THINGS", "env-first".into())],
    );
    server.respond(CannedResponse::json(200, "{}"));
    Client::new(&config)
        .get_space()
        .name("c")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[2].header("authorization"),
        Some("Bearer env-first")
    );
}

#[tokio::test]
async fn an_expired_sso_token_is_refreshed_with_create_token_and_written_back() {
    let service = TestServer::start().await;
    let oidc = TestServer::start().await;
    oidc.respond(CannedResponse::json(
        200,
        r#"{"accessToken":"new-token","tokenType":"Bearer","expiresIn":3600,"refreshToken":"new-refresh","idToken":"id"}"#,
    ));
    service.respond(CannedResponse::json(200, "{}"));
    service.respond(CannedResponse::json(200, "{}"));
    let registration = iso(SystemTime::now() + Duration::from_secs(30 * 86_400));
    let (home, cache_file) = sso_home(
        "refresh",
        &serde_json::json!({
            "startUrl": "https://example.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "old-token",
            "expiresAt": iso(SystemTime::now() - Duration::from_secs(60)),
            "refreshToken": "old-refresh",
            "clientId": "client-1",
            "clientSecret": "secret-1",
            "registrationExpiresAt": registration,
        }),
    );
    // botocore's nested sso-oidc client honours the configured endpoint of service id
    // `SSO OIDC`; that is how the refresh reaches the test server.
    let client = Client::new(&env_config(
        &home,
        &service,
        &[("AWS_ENDPOINT_URL_SSO_OIDC", oidc.endpoint())],
    ));
    client.get_space().name("a").send().await.unwrap();
    client.get_space().name("b").send().await.unwrap();

    let refreshes = oidc.requests();
    assert_eq!(refreshes.len(), 1, "one refresh, then the token is kept");
    let refresh = &refreshes[0];
    assert_eq!(refresh.method, "POST");
    assert_eq!(refresh.path_and_query, "/token");
    assert_eq!(refresh.header("content-type"), Some("application/json"));
    assert_eq!(
        refresh.header("authorization"),
        None,
        "CreateToken is unsigned"
    );
    let body: serde_json::Value = serde_json::from_slice(&refresh.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "clientId": "client-1",
            "clientSecret": "secret-1",
            "grantType": "refresh_token",
            "refreshToken": "old-refresh",
        })
    );
    for request in service.requests() {
        assert_eq!(request.header("authorization"), Some("Bearer new-token"));
    }

    // The cache file now holds what botocore's `_attempt_create_token` writes.
    let text = std::fs::read_to_string(&cache_file).unwrap();
    assert!(
        text.starts_with(r#"{"startUrl": "#),
        "json.dumps layout: {text}"
    );
    let cached: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cached["accessToken"], "new-token");
    assert_eq!(cached["refreshToken"], "new-refresh");
    assert_eq!(cached["clientId"], "client-1");
    assert_eq!(cached["clientSecret"], "secret-1");
    assert_eq!(cached["registrationExpiresAt"], registration.as_str());
    assert_eq!(cached["startUrl"], "https://example.awsapps.com/start");
    assert_eq!(cached["region"], "us-east-1");
    let expires =
        awsgen_runtime::DateTime::parse_iso8601(cached["expiresAt"].as_str().unwrap()).unwrap();
    let in_an_hour = awsgen_runtime::DateTime::from(SystemTime::now() + Duration::from_secs(3600));
    assert!((expires.secs() - in_an_hour.secs()).abs() <= 5, "{text}");
    assert_eq!(cached.as_object().unwrap().len(), 8, "{text}");
}

#[tokio::test]
async fn an_expired_sso_token_that_cannot_be_refreshed_is_an_error() {
    let service = TestServer::start().await;
    let oidc = TestServer::start().await;
    oidc.respond(CannedResponse::json(
        400,
        r#"{"error":"invalid_grant","error_description":"expired"}"#,
    ));
    let (home, cache_file) = sso_home(
        "refused",
        &serde_json::json!({
            "accessToken": "old-token",
            "expiresAt": iso(SystemTime::now() - Duration::from_secs(60)),
            "refreshToken": "old-refresh",
            "clientId": "client-1",
            "clientSecret": "secret-1",
            "registrationExpiresAt": iso(SystemTime::now() + Duration::from_secs(86_400)),
        }),
    );
    let before = std::fs::read_to_string(&cache_file).unwrap();
    let error = Client::new(&env_config(
        &home,
        &service,
        &[("AWS_ENDPOINT_URL_SSO_OIDC", oidc.endpoint())],
    ))
    .get_space()
    .name("a")
    .send()
    .await
    .unwrap_err();
    let SdkError::Config(message) = &error else {
        panic!("expected a configuration error, got {error:?}");
    };
    assert!(
        message.contains("Token has expired and refresh failed"),
        "{message}"
    );
    assert_eq!(oidc.requests().len(), 1);
    assert!(service.requests().is_empty(), "nothing may be sent");
    assert_eq!(std::fs::read_to_string(&cache_file).unwrap(), before);
}

#[tokio::test]
async fn a_missing_cache_file_or_session_section_is_an_error() {
    let service = TestServer::start().await;
    let (home, cache_file) = sso_home("missing", &serde_json::json!({}));
    std::fs::remove_file(&cache_file).unwrap();
    let error = Client::new(&env_config(&home, &service, &[]))
        .get_space()
        .name("a")
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Error loading SSO Token: Token for my-sso does not exist"),
        "{error}"
    );

    std::fs::write(home.join(".aws/config"), "[default]\nsso_session = gone\n").unwrap();
    let error = Client::new(&env_config(&home, &service, &[]))
        .get_space()
        .name("a")
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains(
            "The profile \"default\" is configured to use the SSO token provider but the \"gone\" sso_session configuration does not exist."
        ),
        "{error}"
    );
    assert!(service.requests().is_empty());
}
