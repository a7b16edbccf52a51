//! `generated/` must be exactly what the generator makes of `models/`: the checked-in crates are
//! never edited by hand, and a generator or model change without regenerating fails here.

use std::path::{Path, PathBuf};

use awsgen_generator::write;
use xtask::codegen::{COMMAND, generate_all};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn generated_crates_are_up_to_date() {
    let root = workspace_root();
    let files = generate_all(&root).expect("models generate");
    let report = write::check(&root.join("generated"), &files).expect("generated/ is readable");
    assert!(
        report.is_clean(),
        "generated/ is stale: changed {:?}, no longer generated {:?}; run `{COMMAND}` and commit the result",
        report.changed,
        report.extra
    );
    assert_eq!(report.unchanged, files.len());
}

#[test]
fn check_reports_changed_missing_and_extra_files() {
    let root = workspace_root();
    let files = generate_all(&root).expect("models generate");
    let out = std::env::temp_dir().join(format!("awsgen-stale-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let written = write::write(&out, &files).unwrap();
    assert_eq!(written.changed.len(), files.len());
    assert!(write::check(&out, &files).unwrap().is_clean());

    // Writing again touches nothing.
    let again = write::write(&out, &files).unwrap();
    assert_eq!((again.changed.len(), again.unchanged), (0, files.len()));

    let edited = out.join("qconnect/src/types.rs");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("// hand edit\n");
    std::fs::write(&edited, text).unwrap();
    std::fs::remove_file(out.join("personalize/README.md")).unwrap();
    std::fs::write(out.join("qbusiness/src/stray.rs"), "").unwrap();

    let report = write::check(&out, &files).unwrap();
    assert_eq!(
        report.changed,
        vec![
            PathBuf::from("personalize/README.md"),
            PathBuf::from("qconnect/src/types.rs")
        ]
    );
    assert_eq!(report.extra, vec![PathBuf::from("qbusiness/src/stray.rs")]);

    // Write mode repairs all three.
    write::write(&out, &files).unwrap();
    assert!(write::check(&out, &files).unwrap().is_clean());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    let first = generate_all(&root).unwrap();
    let second = generate_all(&root).unwrap();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(
            a.contents == b.contents,
            "{} differs between two runs",
            a.path.display()
        );
    }
}
