//! `cargo xtask codegen [--check]`: regenerate `generated/` from `models/`, or fail if it is
//! stale.

use std::path::Path;

use anyhow::{Context, bail};
use awsgen_generator::{Config, GeneratedFile, generate, read_service_dir, write};

/// The command that regenerates the checked-in crates; named in every generated file.
pub const COMMAND: &str = "cargo xtask codegen";

/// The configuration for the checked-in crates: they use the runtime from this workspace.
pub fn config() -> Config {
    Config {
        runtime_dependency: "awsgen-runtime = { path = \"../../runtime\", version = \"0.1.0\" }"
            .to_string(),
        regenerate_command: COMMAND.to_string(),
        ..Config::default()
    }
}

/// Generates every service pinned under `models/` (each subdirectory with a `service-2.json`),
/// in name order.
///
/// Paths are taken relative to `root` when `root` is `.`, which keeps messages short
/// (`models/qconnect/service-2.json: ...`).
pub fn generate_all(root: &Path) -> anyhow::Result<Vec<GeneratedFile>> {
    let models = root.join("models");
    let mut services = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&models)
        .with_context(|| format!("reading {}", models.display()))?
        .collect::<Result<_, _>>()?;
    dirs.sort_by_key(|entry| entry.file_name());
    for entry in dirs {
        let dir = entry.path();
        if !dir.join("service-2.json").is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        services.push(read_service_dir(&name, &dir)?);
    }
    Ok(generate(&services, &config())?)
}

pub fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let files = generate_all(root)?;
    let out = root.join("generated");
    if check {
        let report = write::check(&out, &files)?;
        if !report.is_clean() {
            let mut message =
                String::from("generated/ is out of date with models/ and the generator:");
            for path in &report.changed {
                message.push_str(&format!("\n  changed: generated/{}", path.display()));
            }
            for path in &report.extra {
                message.push_str(&format!(
                    "\n  no longer generated: generated/{}",
                    path.display()
                ));
            }
            message.push_str(&format!("\nrun `{COMMAND}` and commit the result"));
            bail!(message);
        }
        eprintln!("generated/ is up to date ({} files)", report.unchanged);
    } else {
        let report = write::write(&out, &files)?;
        eprintln!(
            "generated/: {} written, {} unchanged, {} removed, in {:.2?}",
            report.changed.len(),
            report.unchanged,
            report.extra.len(),
            started.elapsed()
        );
    }
    Ok(())
}
