//! Snapshot tests: small hand-made models under `tests/snapshots/models/` generate exactly the
//! crates under `tests/snapshots/crates/`. Those crates are workspace members, so the normal
//! build, clippy and doc runs compile them too, and `sdk-tests` exercises their behaviour.
//!
//! After an intended generator change: `UPDATE_SNAPSHOTS=1 cargo test -p awsgen-generator --test snapshots`.

use std::path::Path;

use awsgen_generator::{Config, generate, read_service_dir, write};

const UPDATE_COMMAND: &str = "UPDATE_SNAPSHOTS=1 cargo test -p awsgen-generator --test snapshots";

fn config() -> Config {
    Config {
        crate_prefix: "snapshot-".to_string(),
        runtime_dependency: "awsgen-runtime = { path = \"../../../../../runtime\" }".to_string(),
        regenerate_command: UPDATE_COMMAND.to_string(),
        ..Config::default()
    }
}

#[test]
fn snapshots_match() {
    let models = Path::new("tests/snapshots/models");
    let out = Path::new("tests/snapshots/crates");
    let mut names: Vec<String> = std::fs::read_dir(models)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 2, "snapshot models went missing: {names:?}");
    let services: Vec<_> = names
        .iter()
        .map(|name| read_service_dir(name, &models.join(name)).unwrap())
        .collect();
    let files = generate(&services, &config()).unwrap();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        write::write(out, &files).unwrap();
        return;
    }
    let report = write::check(out, &files).unwrap();
    assert!(
        report.is_clean(),
        "snapshots differ: changed {:?}, extra {:?}; review the change and run `{UPDATE_COMMAND}`",
        report.changed,
        report.extra
    );
}
