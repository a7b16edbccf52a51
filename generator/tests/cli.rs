//! The `generator` binary: exit codes scripts can rely on, errors on stderr with file and JSON
//! path, and output where it was asked for.

use std::path::Path;
use std::process::{Command, Output};

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn generate_writes_a_crate_and_exits_zero() {
    let out = std::env::temp_dir().join(format!("awsgen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = generator(&[
        "generate",
        "--model",
        "tests/fixtures/malformed/valid",
        "--name",
        "tiny",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in [
        "Cargo.toml",
        "README.md",
        "src/lib.rs",
        "src/types.rs",
        "src/operation.rs",
    ] {
        assert!(out.join("tiny").join(file).is_file(), "{file} missing");
    }
    let manifest = std::fs::read_to_string(out.join("tiny/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"awsgen-tiny\""), "{manifest}");
    assert!(stderr(&output).contains("tiny: "), "{}", stderr(&output));

    // A second run writes nothing.
    let again = generator(&[
        "generate",
        "--model",
        "tests/fixtures/malformed/valid",
        "--name",
        "tiny",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains(" 0 files written"),
        "{}",
        stderr(&again)
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_malformed_model_exits_non_zero_with_every_problem() {
    let output = generator(&["check", "--model", "tests/fixtures/malformed/many-problems"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.starts_with("error: many-problems: 9 problems in the model"),
        "{text}"
    );
    assert!(
        text.contains("tests/fixtures/malformed/many-problems/service-2.json: shapes.MaxResults.type: unknown shape type \"int128\""),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn check_reports_counts_for_a_valid_model() {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/qconnect");
    let output = generator(&["check", "--model", models.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.starts_with("qconnect: ok (94 operations, 667 shapes, 23 paginators), in "),
        "{text}"
    );
}

fn qconnect_model() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/qconnect")
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn list_prints_names_with_counts() {
    let model = qconnect_model();
    let output = generator(&["list", "--model", &model]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("operations (94):\n  "), "{text}");
    assert!(text.contains("paginators (23):\n  "), "{text}");
    assert!(text.contains("shapes (667):\n  "), "{text}");
    assert!(text.contains("\n  GetImportJob\n"), "{text}");
    assert!(
        stderr(&output).starts_with("qconnect: 94 operations, 23 paginators, 667 shapes, in "),
        "{}",
        stderr(&output)
    );

    for (what, count) in [("operations", 94), ("paginators", 23), ("shapes", 667)] {
        let output = generator(&["list", "--model", &model, "--what", what]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(text.lines().count(), count, "{what}: {text}");
        assert!(
            stderr(&output).starts_with(&format!("qconnect: {count} {what}, in ")),
            "{}",
            stderr(&output)
        );
    }

    let output = generator(&["list", "--model", &model, "--what", "everything"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error");
}

#[test]
fn list_shows_what_a_selection_keeps() {
    let model = qconnect_model();
    let output = generator(&[
        "list",
        "--model",
        &model,
        "--what",
        "paginators",
        "--operations",
        "GetImportJob,ListImportJobs,StartImportJob",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ListImportJobs\n");
}

#[test]
fn generate_keeps_only_the_selected_operations() {
    let out = std::env::temp_dir().join(format!("awsgen-cli-select-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let model = qconnect_model();
    let output = generator(&[
        "generate",
        "--model",
        &model,
        "--out",
        out.to_str().unwrap(),
        "--operations",
        "GetImportJob",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let types = std::fs::read_to_string(out.join("qconnect/src/types.rs")).unwrap();
    assert!(types.contains("pub struct ImportJobData"));
    assert!(!types.contains("AiAgentData"));
    let client = std::fs::read_to_string(out.join("qconnect/src/client.rs")).unwrap();
    assert!(client.contains("pub fn get_import_job("));
    assert!(!client.contains("pub fn list_import_jobs("));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn an_unknown_operation_exits_one_with_suggestions() {
    let out = std::env::temp_dir().join(format!("awsgen-cli-unknown-{}", std::process::id()));
    let output = generator(&[
        "generate",
        "--model",
        &qconnect_model(),
        "--out",
        out.to_str().unwrap(),
        "--operations",
        "GetImportJob,GetImportJobs",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.starts_with(
            "error: qconnect: unknown operation `GetImportJobs`; did you mean `GetImportJob`"
        ),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn quiet_prints_nothing_on_success() {
    let out = std::env::temp_dir().join(format!("awsgen-cli-quiet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = generator(&[
        "--quiet",
        "generate",
        "--model",
        "tests/fixtures/malformed/valid",
        "--name",
        "tiny",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    let output = generator(&["check", "-q", "--model", &qconnect_model()]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    // Errors are still printed.
    let output = generator(&["--quiet", "check", "--model", "tests/fixtures/nope"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!output.stderr.is_empty());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_missing_directory_and_bad_arguments_exit_non_zero() {
    let output = generator(&["check", "--model", "tests/fixtures/nope"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no service-2.json"),
        "{}",
        stderr(&output)
    );

    let output = generator(&["generate"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error");
    assert!(stderr(&output).contains("--model"), "{}", stderr(&output));
}

#[test]
fn help_explains_the_commands() {
    let output = generator(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in ["generate", "check", "list", "--quiet", "botocore"] {
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn generate_all_reports_every_service_of_a_data_dir() {
    let out = std::env::temp_dir().join(format!("awsgen-cli-all-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let data = "tests/fixtures/data";
    let output = generator(&["generate", "--all", data, "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // One service fails, so the run does; the others are still generated or skipped.
    assert_eq!(output.status.code(), Some(1), "{stdout}{}", stderr(&output));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        [lines[0], lines[1], lines[3]],
        [
            "failed sigv2: 1 problem in the model",
            "  tests/fixtures/data/sigv2/2020-10-19/service-2.json: metadata.signatureVersion: unsupported signatureVersion \"v2\" (supported: v4, bearer)",
            "skipped xmlsvc: protocol rest-xml",
        ],
        "{stdout}"
    );
    // The latest API version is the one generated (2019-01-01 is broken).
    assert!(lines[2].starts_with("generated tiny in "), "{stdout}");
    assert!(
        lines[2].ends_with(" lines (10 shapes, 2 operations)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("summary: 1 generated, 1 failed, 1 skipped (other protocols), of 3 services in tests/fixtures/data;"),
        "{stdout}"
    );
    assert!(out.join("tiny/src/lib.rs").is_file());
    assert!(!out.join("xmlsvc").exists() && !out.join("sigv2").exists());
    assert!(stderr(&output).contains("[3/3] "), "{}", stderr(&output));

    // A subset that generates exits 0; an unknown name is an error.
    let only = generator(&[
        "generate",
        "--all",
        data,
        "--services",
        "tiny",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(only.status.success(), "{}", stderr(&only));
    assert!(stderr(&only).is_empty(), "{}", stderr(&only));
    let unknown = generator(&[
        "generate",
        "--all",
        data,
        "--services",
        "nope",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no service `nope` in tests/fixtures/data"),
        "{}",
        stderr(&unknown)
    );
    // --all and --model exclude each other.
    let both = generator(&[
        "generate",
        "--all",
        data,
        "--model",
        "x",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&out);
}
