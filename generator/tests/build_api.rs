//! The library API as a build script uses it: operation selection through `Config`, and
//! `build::Builder` writing one module file (that it compiles is shown by
//! `examples/build-rs-qconnect`).

use std::path::{Path, PathBuf};

use awsgen_generator::build::Builder;
use awsgen_generator::{
    Config, GenerateError, Layout, SelectError, Selection, generate, read_service_dir,
};

fn qconnect_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/qconnect")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("awsgen-build-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn config_operations_narrow_the_generated_crate() {
    let files = read_service_dir("qconnect", &qconnect_dir()).unwrap();
    let config = Config {
        operations: Some(Selection::new(["GetImportJob"])),
        ..Config::default()
    };
    let generated = generate(std::slice::from_ref(&files), &config).unwrap();
    let types = generated
        .iter()
        .find(|f| f.path == Path::new("qconnect/src/types.rs"))
        .unwrap();
    assert!(types.contents.contains("pub struct ImportJobData"));
    assert!(types.contents.contains("pub struct AccessDeniedException"));
    assert!(types.contents.contains("pub enum Configuration"));
    assert!(!types.contents.contains("AiAgentData"));
}

#[test]
fn unknown_operations_are_errors_naming_close_matches() {
    let files = read_service_dir("qconnect", &qconnect_dir()).unwrap();
    let config = Config {
        operations: Some(Selection::new(["GetImportJobs"])),
        ..Config::default()
    };
    let error = generate(&[files], &config).unwrap_err();
    let GenerateError::Select(SelectError::Unmatched { unmatched, .. }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(unmatched[0].suggestions[0], "GetImportJob");
    assert!(
        error.to_string().starts_with(
            "qconnect: unknown operation `GetImportJobs`; did you mean `GetImportJob`"
        ),
        "{error}"
    );
}

#[test]
fn module_layout_is_one_file_naming_items_from_the_root_path() {
    let files = read_service_dir("qconnect", &qconnect_dir()).unwrap();
    let config = Config {
        operations: Some(Selection::new(["GetImportJob"])),
        root_path: "crate::aws::qconnect".to_string(),
        layout: Layout::Module {
            file_name: "qconnect.rs".to_string(),
        },
        ..Config::default()
    };
    let generated = generate(&[files], &config).unwrap();
    assert_eq!(generated.len(), 1);
    assert_eq!(generated[0].path, Path::new("qconnect.rs"));
    let text = &generated[0].contents;
    assert!(!text.contains("#![allow"), "no inner attributes at the top");
    assert!(text.contains("pub mod types {"));
    assert!(text.contains("pub mod builders {"));
    assert!(text.contains("crate::aws::qconnect::types::"));
    assert!(text.contains("(crate::aws::qconnect::Client)"));
    assert!(!text.contains("crate::types::"));
    assert!(!text.contains("crate::operation::"));
    // The first item after the header comments is an outer attribute or an item.
    let first = text
        .lines()
        .find(|line| !line.starts_with("//") && !line.is_empty())
        .unwrap();
    assert!(!first.starts_with("#!"), "{first}");
}

#[test]
fn builder_writes_the_module_and_reports_every_file_read() {
    let out = temp_dir("write");
    let builder = Builder::new()
        .model_dir(qconnect_dir())
        .operations(["StartImportJob", "GetImportJob", "ListImportJobs"])
        .out_dir(&out);
    let report = builder.generate_with_report().unwrap();
    assert_eq!(report.path, out.join("qconnect.rs"));
    assert!(report.written);
    let text = std::fs::read_to_string(&report.path).unwrap();
    assert!(text.contains("crate::qconnect::types::"));
    assert!(text.contains("pub fn list_import_jobs("));
    assert!(text.contains("ListImportJobsPaginator"));
    let dir = qconnect_dir();
    let expected: Vec<String> = [
        "service-2.json",
        "paginators-1.json",
        "endpoint-rule-set-1.json",
    ]
    .iter()
    .map(|file| format!("cargo:rerun-if-changed={}", dir.join(file).display()))
    .collect();
    assert_eq!(report.cargo_lines, expected);

    // A second run leaves the file alone, so that cargo does not rebuild the crate.
    let modified = std::fs::metadata(&report.path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = builder.generate_with_report().unwrap();
    assert!(!again.written);
    assert_eq!(
        std::fs::metadata(&again.path).unwrap().modified().unwrap(),
        modified
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn builder_reports_sdk_extras_and_individual_files() {
    let out = temp_dir("files");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/qbusiness");
    let report = Builder::new()
        .model_dir(&dir)
        .operations(["ListApplications"])
        .out_dir(&out)
        .generate_with_report()
        .unwrap();
    assert!(dir.join("paginators-1.sdk-extras.json").is_file());
    {
        assert!(
            report
                .cargo_lines
                .iter()
                .any(|line| line.ends_with("paginators-1.sdk-extras.json")),
            "{:?}",
            report.cargo_lines
        );
    }

    let report = Builder::new()
        .model_files(qconnect_dir().join("service-2.json"), None, None)
        .service_name("qc")
        .operations(["Get*"])
        .out_dir(&out)
        .generate_with_report()
        .unwrap();
    assert_eq!(report.path, out.join("qc.rs"));
    assert_eq!(report.cargo_lines.len(), 1);
    let text = std::fs::read_to_string(&report.path).unwrap();
    assert!(text.contains("crate::qc::types::"));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn builder_errors_are_values_with_readable_messages() {
    let out = temp_dir("errors");
    let error = Builder::new()
        .model_dir(qconnect_dir())
        .operations(["GetImportJobs"])
        .out_dir(&out)
        .generate_with_report()
        .unwrap_err();
    assert!(
        error.to_string().contains("did you mean `GetImportJob`"),
        "{error}"
    );
    assert!(!out.join("qconnect.rs").exists());

    let error = Builder::new()
        .model_dir(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed/many-problems"),
        )
        .out_dir(&out)
        .generate_with_report()
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("many-problems/service-2.json: shapes."),
        "{text}"
    );

    let error = Builder::new()
        .out_dir(&out)
        .generate_with_report()
        .unwrap_err();
    assert!(error.to_string().contains("model_dir"), "{error}");
}

/// A crate with an operation that allows gzip bodies turns on the runtime's
/// `request-compression` feature (and only then: the others skip building flate2).
#[test]
fn request_compression_enables_the_runtime_feature() {
    let model = |compression: &str| {
        format!(
            r#"{{"metadata": {{"apiVersion": "2020-01-01", "endpointPrefix": "x", "protocol": "json",
                "jsonVersion": "1.1", "targetPrefix": "X", "serviceFullName": "X", "serviceId": "X",
                "signatureVersion": "v4"}},
              "operations": {{"Put": {{"name": "Put", "http": {{"method": "POST", "requestUri": "/"}},
                "input": {{"shape": "PutInput"}}{compression}}}}},
              "shapes": {{"PutInput": {{"type": "structure", "members": {{"data": {{"shape": "S"}}}}}},
                "S": {{"type": "string"}}}}}}"#
        )
    };
    let cargo_toml = |model: String, dependency: &str| {
        let files = awsgen_generator::ServiceFiles {
            name: "x".into(),
            service: awsgen_generator::model::parse_json(Path::new("x.json"), model.as_bytes())
                .unwrap(),
            paginators: None,
            endpoint_rule_set: None,
            paginator_extras: None,
        };
        let config = Config {
            runtime_dependency: dependency.into(),
            ..Config::default()
        };
        generate(&[files], &config)
            .unwrap()
            .into_iter()
            .find(|f| f.path.ends_with("Cargo.toml"))
            .unwrap()
            .contents
    };
    let gzip = model(r#", "requestcompression": {"encodings": ["gzip"]}"#);
    assert!(
        cargo_toml(gzip.clone(), r#"awsgen-runtime = "0.1.0""#).contains(
            r#"awsgen-runtime = { version = "0.1.0", features = ["request-compression"] }"#
        )
    );
    assert!(
        cargo_toml(gzip, r#"awsgen-runtime = { path = "../rt", version = "0.1.0" }"#).contains(
            r#"awsgen-runtime = { path = "../rt", version = "0.1.0", features = ["request-compression"] }"#
        )
    );
    let plain = cargo_toml(model(""), r#"awsgen-runtime = "0.1.0""#);
    assert!(plain.contains("awsgen-runtime = \"0.1.0\"\n"), "{plain}");

    // The service's full name goes into a TOML string: quotes and backslashes are escaped.
    let quoted = model("").replace(
        r#""serviceFullName": "X""#,
        r#""serviceFullName": "Amazon \"Q\" \\ Service""#,
    );
    let toml = cargo_toml(quoted, r#"awsgen-runtime = "0.1.0""#);
    assert!(
        toml.contains(r#"description = "Amazon \"Q\" \\ Service (X 2020-01-01) SDK for Rust"#),
        "{toml}"
    );
}

#[test]
fn selecting_an_operation_that_discovers_keeps_the_discovery_operation() {
    let dir = Path::new("tests/snapshots/models/endpoint-discovery");
    let files = read_service_dir("endpoint-discovery", dir).unwrap();
    let service = awsgen_generator::validate(&files).unwrap();
    let get_record = service
        .operations
        .iter()
        .find(|op| op.name == "GetRecord")
        .unwrap();
    let discovery = get_record.endpoint_discovery.as_ref().unwrap();
    assert!(discovery.required);
    assert_eq!(discovery.identifiers[0].0, ["TableName"]);
    let put_record = service
        .operations
        .iter()
        .find(|op| op.name == "PutRecord")
        .unwrap();
    let discovery = put_record.endpoint_discovery.as_ref().unwrap();
    assert!(!discovery.required, "endpointdiscovery: {{}} is optional");
    assert_eq!(discovery.identifiers[0].0, ["Target", "TableName"]);

    let kept = awsgen_generator::select::select(&service, &Selection::new(["GetRecord"])).unwrap();
    let names: Vec<&str> = kept.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(names, ["DescribeEndpoints", "GetRecord"]);
    // An operation without discovery does not bring it along.
    let kept =
        awsgen_generator::select::select(&service, &Selection::new(["DescribeEndpoints"])).unwrap();
    assert_eq!(kept.operations.len(), 1);
}
