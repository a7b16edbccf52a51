//! Checks the endpoint interpreter against botocore's endpoint test vectors.
//!
//! For each service, the rule set comes from `models/<svc>/endpoint-rule-set-1.json` and the cases
//! from `<shared>/endpoint-tests/<svc>/endpoint-tests-1.json`, where `<shared>` is
//! `$AWSGEN_SHARED_DIR` or else `<CARGO_MANIFEST_DIR>/../../shared`. Every case must give exactly
//! the expected URL or exactly the expected error message. A missing shared directory fails the
//! test: silently passing would hide that nothing was checked.

use std::path::PathBuf;

use awsgen_runtime::endpoint::{EndpointErrorKind, Params, RuleSet};

const SERVICES: [&str; 3] = ["qconnect", "personalize", "qbusiness"];

fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("AWSGEN_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    let tests = dir.join("endpoint-tests");
    assert!(
        tests.is_dir(),
        "endpoint test vectors not found: looked for {} (set AWSGEN_SHARED_DIR to the directory \
         that contains endpoint-tests/)",
        tests.display()
    );
    dir
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn botocore_endpoint_test_vectors() {
    let shared = shared_dir();
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut failures = Vec::new();
    let mut total = 0;
    for svc in SERVICES {
        let rules_path = models.join(svc).join("endpoint-rule-set-1.json");
        let rules = RuleSet::from_json(&read(&rules_path))
            .unwrap_or_else(|e| panic!("{}: {e}", rules_path.display()));
        let tests_path = shared
            .join("endpoint-tests")
            .join(svc)
            .join("endpoint-tests-1.json");
        let doc: serde_json::Value = serde_json::from_str(&read(&tests_path))
            .unwrap_or_else(|e| panic!("{}: {e}", tests_path.display()));
        let cases = doc["testCases"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no testCases array", tests_path.display()));
        assert!(!cases.is_empty(), "{}: no test cases", tests_path.display());

        let (mut passed, mut endpoints, mut errors) = (0, 0, 0);
        for (i, case) in cases.iter().enumerate() {
            let doc = case["documentation"]
                .as_str()
                .unwrap_or("(no documentation)");
            let label = format!("{svc} case {i} \"{doc}\"");
            let params = match case.get("params") {
                Some(p) => Params::from_json(p).unwrap_or_else(|e| panic!("{label}: {e}")),
                None => Params::new(),
            };
            let result = rules.resolve(&params);
            let expect = &case["expect"];
            let failure = if let Some(url) = expect["endpoint"]["url"].as_str() {
                endpoints += 1;
                match &result {
                    Ok(ep) if ep.url == url => None,
                    Ok(ep) => Some(format!("expected URL {url}, got URL {}", ep.url)),
                    Err(e) => Some(format!("expected URL {url}, got error {e:?}")),
                }
            } else if let Some(message) = expect["error"].as_str() {
                errors += 1;
                match &result {
                    Err(e) if e.to_string() == message && e.kind() == EndpointErrorKind::Rule => {
                        None
                    }
                    Err(e) => Some(format!("expected error {message:?}, got error {e:?}")),
                    Ok(ep) => Some(format!("expected error {message:?}, got URL {}", ep.url)),
                }
            } else {
                panic!("{label}: expect has neither endpoint.url nor error: {expect}");
            };
            match failure {
                None => passed += 1,
                Some(f) => failures.push(format!("{label} with params {params}: {f}")),
            }
        }
        total += cases.len();
        println!(
            "{svc}: {passed}/{} passed ({endpoints} endpoint cases, {errors} error cases)",
            cases.len()
        );
    }
    println!("total: {} cases", total);
    assert!(
        failures.is_empty(),
        "{} of {total} endpoint cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        total, 62,
        "the shared vectors should hold 62 cases (see their README)"
    );
}
