//! Unit tests of parsing and evaluation through the public API. The string-level functions,
//! the pattern matcher and the partition lookup have their own tests next to their code.

use super::*;
use serde_json::json;

/// A rule set with the given parameters and rules.
fn rule_set(parameters: serde_json::Value, rules: serde_json::Value) -> RuleSet {
    let doc = json!({"version": "1.0", "parameters": parameters, "rules": rules});
    RuleSet::from_value(&doc).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(doc: serde_json::Value) -> String {
    match RuleSet::from_value(&doc) {
        Ok(_) => panic!("should not parse: {doc}"),
        Err(e) => {
            assert_eq!(e.kind(), EndpointErrorKind::InvalidRuleSet);
            e.to_string()
        }
    }
}

/// A rule set whose single endpoint rule returns `url` (an expression) under `conditions`,
/// falling back to an error rule "no match".
fn url_of(params: &Params, conditions: serde_json::Value, url: serde_json::Value) -> String {
    let rs = rule_set(
        json!({
            "S": {"type": "string"},
            "T": {"type": "string"},
            "B": {"type": "boolean"},
            "A": {"type": "stringArray"}
        }),
        json!([
            {"conditions": conditions, "endpoint": {"url": url}, "type": "endpoint"},
            {"conditions": [], "error": "no match", "type": "error"}
        ]),
    );
    match rs.resolve(params) {
        Ok(e) => e.url,
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn templates() {
    let p = Params::new()
        .with_str("S", "abc")
        .with_str("T", "us-west-2");
    let cond = json!([{"fn": "aws.partition", "argv": [{"ref": "T"}], "assign": "P"}]);
    assert_eq!(
        url_of(&p, cond.clone(), json!("https://{S}.{T}.{P#dnsSuffix}")),
        "https://abc.us-west-2.amazonaws.com"
    );
    assert_eq!(url_of(&p, cond.clone(), json!("{S}")), "abc");
    assert_eq!(url_of(&p, cond.clone(), json!("plain")), "plain");
    assert_eq!(
        url_of(&p, cond.clone(), json!("{{literal}} {S}}}")),
        "{literal} abc}"
    );
    assert_eq!(
        url_of(&p, cond.clone(), json!("{P#name}-{P#dualStackDnsSuffix}")),
        "aws-api.aws"
    );
    assert_eq!(url_of(&p, cond.clone(), json!({"ref": "S"})), "abc");
    // A placeholder whose value is not a string, or is unset, is an evaluation error.
    let e = url_of(&p, cond.clone(), json!("https://{P#supportsFIPS}"));
    assert!(e.contains("{P#supportsFIPS} is a boolean"), "{e}");
    let e = url_of(&p, cond, json!("https://{P#nope}"));
    assert!(e.contains("{P#nope} is unset"), "{e}");
}

#[test]
fn template_syntax_errors() {
    for (url, needle) in [
        ("https://{S", "unclosed '{'"),
        ("https://S}", "unmatched '}'"),
        ("https://{}", "empty placeholder"),
        ("https://{Nope}", "`Nope` is neither a parameter"),
        ("https://{S#a..b}", "empty segment"),
        ("https://{S{T}}", "nested '{'"),
    ] {
        let doc = json!({"version": "1.0", "parameters": {"S": {"type": "string"}, "T": {"type": "string"}},
            "rules": [{"conditions": [], "endpoint": {"url": url}, "type": "endpoint"}]});
        let e = parse_err(doc);
        assert!(e.contains(needle), "{url}: {e}");
        assert!(e.contains("rules[0].endpoint.url"), "location missing: {e}");
    }
}

#[test]
fn malformed_rule_sets_are_errors_not_panics() {
    let cases: Vec<(&str, &str)> = vec![
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[]", "must be a JSON object"),
        (r#"{"parameters": {}, "rules": []}"#, "missing `version`"),
        (
            r#"{"version": "2.0", "parameters": {}, "rules": []}"#,
            "unsupported rule set version",
        ),
        (r#"{"version": "1.0", "rules": []}"#, "missing `parameters`"),
        (r#"{"version": "1.0", "parameters": {}}"#, "missing `rules`"),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": {}}"#,
            "must be an array of rules",
        ),
        (
            r#"{"version": "1.0", "parameters": {"X": {}}, "rules": []}"#,
            "parameters.X: missing `type`",
        ),
        (
            r#"{"version": "1.0", "parameters": {"X": {"type": "integer"}}, "rules": []}"#,
            "unknown type",
        ),
        (
            r#"{"version": "1.0", "parameters": {"X": {"type": "string", "default": true}}, "rules": []}"#,
            "is not a string",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [1]}"#,
            "rules[0]: a rule must be an object",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "magic"}]}"#,
            "unknown rule type",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint"}]}"#,
            "missing `endpoint`",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "tree", "conditions": []}]}"#,
            "missing `rules`",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [true], "error": "x"}]}"#,
            "function call object",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "frobnicate", "argv": []}], "error": "x"}]}"#,
            "unknown function \"frobnicate\"",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [1, 2]}], "error": "x"}]}"#,
            "takes 1 argument(s), got 2",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet"}], "error": "x"}]}"#,
            "missing `argv`",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "x"}]}"#,
            "`Nope` is neither a parameter",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"x": 1}]}], "error": "x"}]}"#,
            "function call (`fn`) or a reference",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [null]}], "error": "x"}]}"#,
            "null is not a value",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [1.5]}], "error": "x"}]}"#,
            "only integer numbers",
        ),
        (
            r#"{"version": "1.0", "parameters": {"S": {"type": "string"}}, "rules": [{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "S"}, {"ref": "S"}]}], "error": "x"}]}"#,
            "path must be a literal string",
        ),
        (
            r#"{"version": "1.0", "parameters": {"S": {"type": "string"}}, "rules": [{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "S"}, "a[x]"]}], "error": "x"}]}"#,
            "invalid index",
        ),
        (
            r#"{"version": "1.0", "parameters": {"S": {"type": "string"}}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "S"}], "assign": "S"}], "error": "x"}]}"#,
            "would shadow `S`",
        ),
        (
            r#"{"version": "1.0", "parameters": {"S": {"type": "string"}}, "rules": [{"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "S"}], "assign": "X"}]}], "error": "x"}]}"#,
            "only allowed on a rule's top-level condition",
        ),
        (
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "x", "headers": {"h": "v"}}}]}"#,
            "headers.h: must be an array",
        ),
    ];
    for (text, needle) in cases {
        let e = RuleSet::from_json(text).expect_err(text);
        assert_eq!(e.kind(), EndpointErrorKind::InvalidRuleSet, "{text}");
        assert!(
            e.to_string().contains(needle),
            "{text}\n  gave: {e}\n  expected to contain: {needle}"
        );
    }
}

#[test]
fn assigned_names_are_scoped_to_their_rule() {
    // `P` is assigned in the first tree; the second rule cannot see it.
    let doc = json!({"version": "1.0", "parameters": {"R": {"type": "string"}}, "rules": [
        {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "R"}], "assign": "P"}],
         "rules": [{"type": "error", "conditions": [], "error": "{P#name}"}]},
        {"type": "error", "conditions": [], "error": "{P#name}"}
    ]});
    let e = parse_err(doc);
    assert!(
        e.contains("rules[1].error") && e.contains("`P` is neither"),
        "{e}"
    );

    // The same name may be assigned again in a sibling rule.
    let rs = rule_set(
        json!({"R": {"type": "string"}}),
        json!([
            {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "R"}], "assign": "P"},
                                            {"fn": "stringEquals", "argv": [{"ref": "R"}, "nope"]}],
             "rules": [{"type": "error", "conditions": [], "error": "unreachable"}]},
            {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "R"}], "assign": "P"}],
             "endpoint": {"url": "https://{P#dnsSuffix}"}}
        ]),
    );
    let ep = rs
        .resolve(&Params::new().with_str("R", "cn-north-1"))
        .unwrap();
    assert_eq!(ep.url, "https://amazonaws.com.cn");
}

#[test]
fn conditions_fail_on_false_and_unset_and_trees_fall_through() {
    let rs = rule_set(
        json!({"S": {"type": "string"}, "B": {"type": "boolean", "default": false, "required": true}}),
        json!([
            // A tree whose sub-rules all fail lets evaluation continue after it.
            {"type": "tree", "conditions": [], "rules": [
                {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "B"}, true]}],
                 "endpoint": {"url": "https://b"}}
            ]},
            // An unset result (parseURL of a non-URL) fails the condition; `assign` binds it anyway.
            {"type": "endpoint", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "S"}]},
                {"fn": "parseURL", "argv": [{"ref": "S"}], "assign": "U"}
             ], "endpoint": {"url": "{U#scheme}://{U#authority}{U#normalizedPath}"}},
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "S"}]}], "error": "not a URL: {S}"},
            {"type": "error", "conditions": [], "error": "no S"}
        ]),
    );
    let resolve = |p: Params| match rs.resolve(&p) {
        Ok(e) => e.url,
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(resolve(Params::new().with_bool("B", true)), "https://b");
    assert_eq!(resolve(Params::new()), "error: no S");
    assert_eq!(
        resolve(Params::new().with_str("S", "http://h:80/a/../b")),
        "http://h:80/b/"
    );
    assert_eq!(
        resolve(Params::new().with_str("S", "nope")),
        "error: not a URL: nope"
    );
}

#[test]
fn parameters_defaults_required_and_types() {
    let rs = rule_set(
        json!({
            "Req": {"type": "string", "required": true, "documentation": "needed"},
            "Flag": {"type": "Boolean", "required": true, "default": true, "builtIn": "AWS::UseFIPS"},
            "List": {"type": "stringArray", "default": ["a", "b"], "deprecated": {"message": "old", "since": "2024"}}
        }),
        json!([{"type": "endpoint", "conditions": [
            {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]},
            {"fn": "getAttr", "argv": [{"ref": "List"}, "[1]"], "assign": "Second"}
        ], "endpoint": {"url": "https://{Req}.{Second}"}}]),
    );
    let names: Vec<&str> = rs.parameters().iter().map(Parameter::name).collect();
    assert_eq!(names, ["Flag", "List", "Req"]);
    let flag = rs.parameter("Flag").unwrap();
    assert_eq!(flag.parameter_type(), ParameterType::Boolean);
    assert!(flag.is_required());
    assert_eq!(flag.default_value(), Some(&ParamValue::Bool(true)));
    assert_eq!(flag.built_in(), Some("AWS::UseFIPS"));
    assert_eq!(rs.parameter("Req").unwrap().documentation(), Some("needed"));
    let list = rs.parameter("List").unwrap();
    assert!(list.is_deprecated());
    assert_eq!(
        (list.deprecation_message(), list.deprecated_since()),
        (Some("old"), Some("2024"))
    );
    assert!(!flag.is_deprecated());
    assert_eq!(rs.version(), "1.0");

    let ok = rs.resolve(&Params::new().with_str("Req", "r")).unwrap();
    assert_eq!(ok.url, "https://r.b");
    let ok = rs
        .resolve(
            &Params::new()
                .with_str("Req", "r")
                .with_string_array("List", ["x", "y"]),
        )
        .unwrap();
    assert_eq!(ok.url, "https://r.y");

    let e = rs.resolve(&Params::new()).unwrap_err();
    assert_eq!(e.kind(), EndpointErrorKind::InvalidParams);
    assert_eq!(
        e.to_string(),
        "Cannot find value for required parameter Req"
    );

    let e = rs
        .resolve(&Params::new().with_str("Req", "r").with_str("Flag", "yes"))
        .unwrap_err();
    assert_eq!(e.kind(), EndpointErrorKind::InvalidParams);
    assert!(
        e.to_string().contains("Value (Flag) is the wrong type"),
        "{e}"
    );

    let e = rs
        .resolve(&Params::new().with_str("Req", "r").with_bool("Flag", false))
        .unwrap_err();
    assert_eq!(e.kind(), EndpointErrorKind::NoMatch);
    assert!(e.to_string().contains("Flag: false"), "{e}");

    // Unknown names are ignored.
    assert!(
        rs.resolve(&Params::new().with_str("Req", "r").with_bool("Other", true))
            .is_ok()
    );
}

#[test]
fn headers_properties_and_auth_schemes() {
    let rs = rule_set(
        json!({"Region": {"type": "string", "required": true}}),
        json!([{"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
        ], "endpoint": {
            "url": "https://svc.{Region}.{P#dnsSuffix}",
            "headers": {"x-amz-a": ["1", "{Region}"], "x-amz-b": [{"fn": "uriEncode", "argv": ["a b"]}]},
            "properties": {
                "authSchemes": [
                    {"name": "sigv4a", "signingName": "svc", "signingRegionSet": ["*"], "disableDoubleEncoding": true},
                    {"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"},
                    {"noName": true}
                ],
                "n": 3, "nothing": null, "nested": {"s": "{P#name}", "b": false}
            }
        }}]),
    );
    let ep = rs
        .resolve(&Params::new().with_str("Region", "us-gov-west-1"))
        .unwrap();
    assert_eq!(ep.url, "https://svc.us-gov-west-1.amazonaws.com");
    assert_eq!(ep.headers["x-amz-a"], ["1", "us-gov-west-1"]);
    assert_eq!(ep.headers["x-amz-b"], ["a%20b"]);
    assert_eq!(
        ep.properties["nested"],
        json!({"s": "aws-us-gov", "b": false})
    );
    assert_eq!(ep.properties["n"], json!(3));
    assert_eq!(ep.properties["nothing"], json!(null));
    let schemes = ep.auth_schemes();
    assert_eq!(schemes.len(), 2);
    assert_eq!(schemes[0].name, "sigv4a");
    assert_eq!(schemes[0].signing_region_set, ["*"]);
    assert_eq!(schemes[0].disable_double_encoding, Some(true));
    assert_eq!(schemes[1].name, "sigv4");
    assert_eq!(schemes[1].signing_name.as_deref(), Some("svc"));
    assert_eq!(schemes[1].signing_region.as_deref(), Some("us-gov-west-1"));
    assert_eq!(
        schemes[1].properties["signingRegion"],
        json!("us-gov-west-1")
    );
}

fn eval_fn(params: &Params, call: serde_json::Value) -> String {
    // Renders the function's result through an error message, whatever its type.
    let rs = rule_set(
        json!({"S": {"type": "string"}, "T": {"type": "string"}, "B": {"type": "boolean"}}),
        json!([
            {"type": "error", "conditions": [{"fn": "coalesce", "argv": [call], "assign": "R"}], "error": "set"},
            {"type": "error", "conditions": [], "error": "unset-or-false"}
        ]),
    );
    rs.resolve(params).unwrap_err().to_string()
}

fn holds(params: &Params, call: serde_json::Value) -> bool {
    eval_fn(params, call) == "set"
}

#[test]
fn functions_through_the_evaluator() {
    let none = Params::new();
    let s = |v: &str| Params::new().with_str("S", v);
    let call = |f: &str, argv: serde_json::Value| json!({"fn": f, "argv": argv});

    assert!(holds(&s("x"), call("isSet", json!([{"ref": "S"}]))));
    assert!(!holds(&none, call("isSet", json!([{"ref": "S"}]))));
    assert!(holds(
        &none,
        call("not", json!([{"fn": "isSet", "argv": [{"ref": "S"}]}]))
    ));
    assert!(
        holds(&none, call("not", json!([{"ref": "B"}]))),
        "not(unset) is true, as in botocore"
    );
    assert!(holds(
        &s("abc"),
        call("stringEquals", json!([{"ref": "S"}, "abc"]))
    ));
    assert!(!holds(
        &s("abc"),
        call("stringEquals", json!([{"ref": "S"}, "abd"]))
    ));
    assert!(holds(&none, call("booleanEquals", json!([true, true]))));
    assert!(!holds(&none, call("booleanEquals", json!([true, false]))));

    // Type errors and unset operands of the comparison functions are evaluation errors.
    let e = eval_fn(&none, call("stringEquals", json!([{"ref": "S"}, "abc"])));
    assert_eq!(
        e,
        "stringEquals: argument 1 must be a string, got an unset value"
    );
    let e = eval_fn(&none, call("booleanEquals", json!(["true", true])));
    assert_eq!(
        e,
        "booleanEquals: argument 1 must be a boolean, got the string \"true\""
    );

    let sub = |v: &str, a: i64, b: i64, r: bool| {
        let rs = rule_set(
            json!({"S": {"type": "string"}}),
            json!([
                {"type": "error", "conditions": [{"fn": "substring", "argv": [{"ref": "S"}, a, b, r], "assign": "X"}], "error": "[{X}]"},
                {"type": "error", "conditions": [], "error": "unset"}
            ]),
        );
        rs.resolve(&s(v)).unwrap_err().to_string()
    };
    assert_eq!(sub("abcdef", 0, 3, false), "[abc]");
    assert_eq!(sub("abcdef", 0, 3, true), "[def]");
    assert_eq!(sub("abcdef", 2, 9, false), "unset");
    assert_eq!(sub("abcdef", -1, 2, false), "unset");

    assert!(holds(
        &s("a.b"),
        call("isValidHostLabel", json!([{"ref": "S"}, true]))
    ));
    assert!(!holds(
        &s("a.b"),
        call("isValidHostLabel", json!([{"ref": "S"}, false]))
    ));
    assert!(!holds(
        &none,
        call("isValidHostLabel", json!([{"ref": "S"}, false]))
    ));
    assert!(holds(
        &s("my-bucket"),
        call(
            "aws.isVirtualHostableS3Bucket",
            json!([{"ref": "S"}, false])
        )
    ));
    assert!(!holds(
        &s("My-Bucket"),
        call(
            "aws.isVirtualHostableS3Bucket",
            json!([{"ref": "S"}, false])
        )
    ));

    assert!(!holds(
        &s("not an arn"),
        call("aws.parseArn", json!([{"ref": "S"}]))
    ));
    assert!(
        holds(&none, call("aws.partition", json!([{"ref": "S"}]))),
        "botocore: unset region → aws"
    );
    assert!(!holds(&none, call("parseURL", json!([{"ref": "S"}]))));
    assert!(!holds(&none, call("uriEncode", json!([{"ref": "S"}]))));
}

#[test]
fn getattr_and_later_functions() {
    let p = Params::new()
        .with_str("S", "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap")
        .with_str("T", "a--b--c");
    let url = |conditions: serde_json::Value, url: &str| url_of(&p, conditions, json!(url));

    let arn = json!({"fn": "aws.parseArn", "argv": [{"ref": "S"}], "assign": "Arn"});
    assert_eq!(
        url(
            json!([arn.clone()]),
            "{Arn#partition}|{Arn#service}|{Arn#region}|{Arn#accountId}|{Arn#resourceId[0]}|{Arn#resourceId[1]}"
        ),
        "aws|s3|us-west-2|123456789012|accesspoint|my-ap"
    );
    assert_eq!(
        url(
            json!([arn.clone(), {"fn": "getAttr", "argv": [{"ref": "Arn"}, "resourceId[1]"], "assign": "Name"}]),
            "{Name}"
        ),
        "my-ap"
    );
    // An index past the end is unset, so the condition fails.
    assert_eq!(
        url(
            json!([arn.clone(), {"fn": "getAttr", "argv": [{"ref": "Arn"}, "resourceId[2]"], "assign": "X"}]),
            "{X}"
        ),
        "error: no match"
    );
    // getAttr of a function result (owned value).
    assert_eq!(
        url(
            json!([{"fn": "getAttr", "argv": [{"fn": "aws.parseArn", "argv": [{"ref": "S"}]}, "region"], "assign": "R"}]),
            "{R}"
        ),
        "us-west-2"
    );

    assert_eq!(
        url(
            json!([{"fn": "split", "argv": [{"ref": "T"}, "--", 0], "assign": "Parts"}]),
            "{Parts#[0]}{Parts#[2]}"
        ),
        "ac"
    );
    assert_eq!(
        url(
            json!([{"fn": "split", "argv": [{"ref": "T"}, "--", 2], "assign": "Parts"}]),
            "{Parts#[1]}"
        ),
        "b--c"
    );
    assert_eq!(
        url(
            json!([{"fn": "coalesce", "argv": [{"ref": "B"}, {"ref": "A"}, "fallback"], "assign": "C"}]),
            "{C}"
        ),
        "fallback"
    );
    assert_eq!(
        url(
            json!([{"fn": "ite", "argv": [{"fn": "isSet", "argv": [{"ref": "S"}]}, "yes", "no"], "assign": "I"}]),
            "{I}"
        ),
        "yes"
    );
    assert_eq!(
        url(
            json!([{"fn": "ite", "argv": [{"ref": "B"}, "yes", "no"], "assign": "I"}]),
            "{I}"
        ),
        "no"
    );
    assert_eq!(
        url(
            json!([{"fn": "split", "argv": [{"ref": "T"}, "", 0], "assign": "X"}]),
            "{X}"
        ),
        "error: split: the delimiter must not be empty"
    );
}

#[test]
fn params_from_json_and_display() {
    let p =
        Params::from_json(&json!({"Region": "us-east-1", "UseFIPS": true, "L": ["a"]})).unwrap();
    assert_eq!(
        p.get("Region"),
        Some(&ParamValue::String("us-east-1".into()))
    );
    assert_eq!(p.get("UseFIPS"), Some(&ParamValue::Bool(true)));
    assert_eq!(p.get("L"), Some(&ParamValue::StringArray(vec!["a".into()])));
    assert_eq!(
        p.to_string(),
        r#"{L: ["a"], Region: "us-east-1", UseFIPS: true}"#
    );
    assert_eq!(p.iter().count(), 3);
    let mut q = p.clone();
    assert_eq!(
        q.remove("L"),
        Some(ParamValue::StringArray(vec!["a".into()]))
    );
    assert!(q.get("L").is_none());
    assert!(Params::from_json(&json!({"X": 1})).is_err());
    assert!(Params::from_json(&json!({"X": [1]})).is_err());
    assert!(Params::from_json(&json!([])).is_err());
}

#[test]
fn rule_set_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<RuleSet>();
    check::<Endpoint>();
    check::<EndpointError>();
}

/// Rough timing: `cargo test -p awsgen-runtime --release --lib -- --ignored --nocapture timing`.
#[test]
#[ignore = "timing measurement, not a check"]
fn timing() {
    use std::time::Instant;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../models");
    let start = Instant::now();
    for _ in 0..100 {
        std::hint::black_box(
            partition::Partitions::from_json(partition::EMBEDDED_PARTITIONS_JSON).unwrap(),
        );
    }
    println!(
        "partitions.json: parse {:?} (once per process, on the first aws.partition call)",
        start.elapsed() / 100
    );
    for svc in ["qconnect", "personalize", "qbusiness"] {
        let text =
            std::fs::read_to_string(format!("{root}/{svc}/endpoint-rule-set-1.json")).unwrap();
        const PARSES: u32 = 1_000;
        let start = Instant::now();
        for _ in 0..PARSES {
            std::hint::black_box(RuleSet::from_json(std::hint::black_box(&text)).unwrap());
        }
        let parse = start.elapsed() / PARSES;
        let rs = RuleSet::from_json(&text).unwrap();
        let params = Params::new()
            .with_str("Region", "us-west-2")
            .with_bool("UseFIPS", true);
        rs.resolve(&params).unwrap();
        const RESOLVES: u32 = 10_000;
        let start = Instant::now();
        for _ in 0..RESOLVES {
            std::hint::black_box(rs.resolve(std::hint::black_box(&params)).unwrap());
        }
        let resolve = start.elapsed() / RESOLVES;
        println!(
            "{svc}: parse {parse:?} per rule set ({} bytes), resolve {resolve:?} per endpoint",
            text.len()
        );
    }
}
