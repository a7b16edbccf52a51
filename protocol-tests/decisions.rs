//! What this project does with the cases botocore's runner ignores, and with the few it runs
//! whose expectation does not fit a typed client. CONFORMANCE.md gives the reasoning per case;
//! the build script reads these tables. `file` is the suite file (`input/json.json`), `case`
//! the Smithy id, or `case N` in legacy suites.

/// Cases that are not run here, with the reason the test run prints.
pub fn kept_ignored(file: &str, suite: &str, case: &str) -> Option<&'static str> {
    match (file, suite, case) {
        ("legacy/output/json.json", "Lists", "case 2") => Some(
            "a typed client cannot hold botocore's untyped pass-through: objects in a list of \
             `string` shapes, nulls in a non-sparse list",
        ),
        _ => None,
    }
}

/// Cases whose expected request (`serialized`) or parsed result we replace, because we follow
/// botocore's real client where the suite states the Smithy expectation, or because our typed
/// API represents a value differently. The value is JSON in the case's own format.
pub fn expectation(file: &str, suite: &str, case: &str) -> Option<&'static str> {
    const GENERIC_500: &str = r#"{"Error": {"Code": "500", "Message": "Internal Server Error"}}"#;
    const STATUS_CODE_500: &str = r#"{"Error": {"Code": "500", "Message": ""}}"#;
    let input = file.contains("input/");
    Some(match (suite, case) {
        // botocore: a 5xx with an empty body is a generic error named after the status.
        (
            "Test cases for GreetingWithErrors operation",
            "AwsJson11FooErrorUsingXAmznErrorType"
            | "AwsJson11FooErrorUsingXAmznErrorTypeWithUri"
            | "AwsJson11FooErrorUsingXAmznErrorTypeWithUriAndNamespace"
            | "RestJsonFooErrorUsingXAmznErrorType"
            | "RestJsonFooErrorUsingXAmznErrorTypeWithUri"
            | "RestJsonFooErrorUsingXAmznErrorTypeWithUriAndNamespace",
        ) => GENERIC_500,
        // botocore's awsJson parser reads the code only from `__type`.
        (
            "Test cases for GreetingWithErrors operation",
            "AwsJson11FooErrorUsingCode"
            | "AwsJson11FooErrorUsingCodeAndNamespace"
            | "AwsJson11FooErrorUsingCodeUriAndNamespace",
        ) => STATUS_CODE_500,
        // botocore returns the (empty) body for a blob payload.
        (
            "Test cases for HttpPayloadTraits operation",
            "RestJsonHttpPayloadTraitsWithNoBlobBody",
        ) => r#"{"foo": "Foo", "blob": ""}"#,
        // Header names arrive in lower case (HTTP/2 requires it; hyper normalises HTTP/1.1).
        ("Supports header maps", "case 1") => {
            r#"{"AllHeaders": {"content-length": "10", "x-bam": "boo", "x-foo": "bar"},
                "PrefixedHeaders": {"bam": "boo", "foo": "bar"}}"#
        }
        // A `jsonvalue` member is the JSON text in our API; botocore hands Python the decoded
        // value. The header bytes are the same.
        ("JSON value trait", "case 1") => r#"{"Attr": "{\"Foo\":\"Bar\"}"}"#,
        // botocore joins the endpoint's base path in front of the operation's path and keeps
        // the host a host.
        ("Test cases for HostWithPathOperation operation", "AwsJson11HostWithPath") => {
            r#"{"method": "POST", "uri": "/custom", "body": "{}", "host": "example.com",
                "headers": {"Content-Type": "application/x-amz-json-1.1",
                            "X-Amz-Target": "JsonProtocol.HostWithPathOperation"}}"#
        }
        ("Test cases for HostWithPathOperation operation", "RestJsonHostWithPath") => {
            r#"{"method": "GET", "uri": "/custom/HostWithPathOperation", "body": "",
                "host": "example.com"}"#
        }
        // botocore (since 1.36) sends a CRC32 checksum instead of Content-MD5; 7uWJ2g== is the
        // CRC32 of the body below.
        ("Test cases for HttpChecksumRequired operation", "RestJsonHttpChecksumRequired") => {
            r#"{"method": "POST", "uri": "/HttpChecksumRequired",
                "body": "{\"foo\":\"base64 encoded md5 checksum\"}",
                "headers": {"x-amz-checksum-crc32": "7uWJ2g==", "Content-Type": "application/json"},
                "forbidHeaders": ["Content-MD5"]}"#
        }
        // botocore sends `{}` for an unset structure or union payload.
        ("Test cases for HttpPayloadWithUnion operation", "RestJsonHttpPayloadWithUnsetUnion")
            if input =>
        {
            r#"{"method": "PUT", "uri": "/HttpPayloadWithUnion", "body": "{}"}"#
        }
        // A map is a BTreeMap here: its query parameters go out in key order, botocore's in
        // the order of the caller's dict.
        ("String to string list maps in querystring", "case 1") => {
            r#"{"body": "", "uri": "/2014-01-01/jobsByPipeline/id?fizz=buzz&fizz=pop&foo=bar&foo=baz"}"#
        }
        // botocore sends no header for an empty list.
        ("Test cases for NullAndEmptyHeadersClient operation", "RestJsonNullAndEmptyHeaders") => {
            r#"{"method": "GET", "uri": "/NullAndEmptyHeadersClient", "body": "",
                "headers": {"X-B": ""}, "forbidHeaders": ["X-A", "X-C"]}"#
        }
        _ => return None,
    })
}

/// Cases whose idempotency tokens are filled in by the client (botocore's real client does,
/// in a handler its suite runner skips): compared with every UUID v4 sent replaced by the
/// suite's fixed all-zero one.
pub fn fills_tokens(suite: &str) -> bool {
    matches!(
        suite,
        "Test cases for QueryIdempotencyTokenAutoFill operation" | "Idempotency token auto fill"
    )
}
