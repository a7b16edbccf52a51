//! Our SigV4 signature must equal botocore's byte for byte.
//!
//! The fixture `fixtures/sigv4_botocore.json` was written by `fixtures/make_sigv4_fixture.py`
//! with botocore's `SigV4Auth` (see that script for how to regenerate it).

use std::time::{Duration, SystemTime};

use awsgen_runtime::Credentials;
use awsgen_runtime::sign::{SigningParams, sign};
use bytes::Bytes;

struct Fixture {
    json: serde_json::Value,
}

impl Fixture {
    fn load() -> Fixture {
        let text = include_str!("fixtures/sigv4_botocore.json");
        Fixture {
            json: serde_json::from_str(text).expect("fixture is JSON"),
        }
    }

    fn str(&self, pointer: &str) -> &str {
        self.json
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("fixture lacks {pointer}"))
    }

    fn request(&self, with_host_header: bool) -> http::Request<Bytes> {
        let mut builder = http::Request::builder()
            .method(self.str("/request/method"))
            .uri(self.str("/request/url"));
        for pair in self.json["request"]["headers"].as_array().unwrap() {
            builder = builder.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        }
        let mut request = builder
            .body(Bytes::from(self.str("/request/body").to_owned()))
            .unwrap();
        if with_host_header {
            let host = request.uri().host().unwrap().to_owned();
            request.headers_mut().insert("host", host.parse().unwrap());
        }
        request
    }

    fn credentials(&self) -> Credentials {
        Credentials::new(
            self.str("/credentials/access_key_id"),
            self.str("/credentials/secret_access_key"),
            Some(self.str("/credentials/session_token").to_owned()),
            None,
        )
    }

    fn time(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH
            + Duration::from_secs(self.json["time_epoch_seconds"].as_u64().unwrap())
    }
}

#[test]
fn authorization_matches_botocore_byte_for_byte() {
    let fixture = Fixture::load();
    for with_host_header in [false, true] {
        let mut request = fixture.request(with_host_header);
        sign(
            &mut request,
            &fixture.credentials(),
            &SigningParams::new(
                fixture.str("/region"),
                fixture.str("/service"),
                fixture.time(),
            ),
        )
        .unwrap();
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header("authorization").as_deref(),
            Some(fixture.str("/expected/authorization")),
            "host header set: {with_host_header}"
        );
        assert_eq!(
            header("x-amz-date").as_deref(),
            Some(fixture.str("/expected/x-amz-date"))
        );
        assert_eq!(
            header("x-amz-security-token").as_deref(),
            Some(fixture.str("/expected/x-amz-security-token"))
        );
        assert_eq!(
            header("x-amz-content-sha256").is_some(),
            fixture.json["expected"]["sends_x_amz_content_sha256"]
                .as_bool()
                .unwrap(),
            "botocore sends x-amz-content-sha256 only for S3"
        );
        // The request itself is otherwise unchanged.
        assert_eq!(
            request.uri().to_string(),
            fixture.str("/request/url"),
            "the URL is not rewritten"
        );
    }
}

#[test]
fn fixture_is_for_the_documented_request() {
    let fixture = Fixture::load();
    assert_eq!(fixture.str("/service"), "wisdom");
    assert_eq!(fixture.str("/region"), "us-west-2");
    assert_eq!(fixture.str("/request/method"), "POST");
    // The query needs encoding, and the session token is signed.
    assert!(fixture.str("/request/url").contains("%20"));
    assert!(
        fixture
            .str("/expected/authorization")
            .contains("x-amz-security-token")
    );
}
