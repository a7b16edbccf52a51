//! Every malformed model is an error naming the file and the JSON path, never a panic, and
//! every problem in a model is reported in one run.
//!
//! Each directory under `tests/fixtures/malformed/` is a model with an `expected.txt` holding the
//! exact message (`ok` for the one valid model the others are variations of). Add a case by
//! adding a directory.

use std::path::Path;

use awsgen_generator::{read_service_dir, validate};

#[test]
fn malformed_models_report_file_and_json_path() {
    let root = Path::new("tests/fixtures/malformed");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .expect("fixtures directory")
        .map(|entry| entry.expect("fixture entry").path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "fixtures went missing: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_str().unwrap();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
        let actual = match read_service_dir(name, dir) {
            Err(error) => error.to_string(),
            Ok(files) => match validate(&files) {
                Ok(_) => "ok".to_string(),
                Err(error) => error.to_string(),
            },
        };
        if actual.trim() != expected.trim() {
            failures.push(format!(
                "{name}:\n--- expected\n{}\n--- actual\n{}",
                expected.trim(),
                actual.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn missing_model_directory_is_an_error() {
    let error =
        read_service_dir("nothing", Path::new("tests/fixtures/does-not-exist")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tests/fixtures/does-not-exist: no service-2.json (looked for service-2.json and service-2.json.gz)"
    );
}
