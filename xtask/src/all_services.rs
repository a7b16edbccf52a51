//! `cargo xtask all-services`: generate every json / rest-json service of an installed
//! botocore (or a named subset) and `cargo check` them all in one workspace.
//!
//! The output directory holds `crates/<service>/`, a generated `Cargo.toml` whose members are
//! exactly the services generated this run (path dependency on this repository's runtime), a
//! copy of this repository's `Cargo.lock` (same dependency versions), and `target/` for the
//! check. Per service it reports generated / skipped / failed, then per crate checked OK or the
//! first compiler error.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use awsgen_generator::Config;
use awsgen_generator::all::{self, Outcome, ServiceReport, Summary};

/// The services `cargo xtask test` generates and checks: together they use every feature the
/// three pinned services do not, at a modest size (see ALL-SERVICES.md for the criteria).
pub const CI_SUBSET: &[&str] = &[
    "appconfig",        // a shape named `Validator`; rest-json payload blobs, headers
    "budgets",          // a structure as paginator result key
    "codecatalyst",     // bearer token auth (signatureVersion bearer), region-less endpoint
    "cognito-identity", // authtype none: unsigned requests
    "dataexchange",     // prefix headers (`location: headers`), hostPrefix-free rest-json
    "dynamodb", // operationContextParams, contextParam, map tokens, scalar result keys, endpointdiscovery (optional)
    "ebs",      // streaming blob payload, unsignedPayload, header bindings
    "glacier",  // string limit keys, statusCode, checksumFormat
    "kinesis",  // staticContextParams, event stream, indexed output token
    "lambda",   // statusCode, eventpayload event stream, jsonvalue-free headers
    "lex-runtime", // jsonvalue headers, v4-unsigned-body
    "neptune-graph", // hostPrefix with hostLabel, staticContextParams
    "sqs",      // awsQueryCompatible
    "timestream-write", // endpointdiscovery required, endpointoperation DescribeEndpoints
];

/// Options of one run.
pub struct AllServices {
    /// botocore's data directory.
    pub data: PathBuf,
    /// Where the crates, the workspace and its target directory go.
    pub out: PathBuf,
    /// Only these services (all when `None`).
    pub services: Option<Vec<String>>,
    /// Generate only.
    pub no_check: bool,
    /// Generator threads.
    pub jobs: usize,
}

/// botocore's data directory: `AWSGEN_BOTOCORE_DATA`, else the installed botocore's, as
/// `python3 -c 'import botocore'` finds it.
pub fn botocore_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("AWSGEN_BOTOCORE_DATA") {
        return Ok(PathBuf::from(dir));
    }
    let output = Command::new("python3")
        .args([
            "-c",
            "import botocore, os; print(os.path.dirname(botocore.__file__))",
        ])
        .output()
        .context("running python3 to find botocore (set AWSGEN_BOTOCORE_DATA instead)")?;
    if !output.status.success() {
        bail!(
            "botocore is not installed for python3 (pip install botocore==1.43.11, or set \
             AWSGEN_BOTOCORE_DATA to a botocore data directory): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()).join("data"))
}

/// `<target dir>/all-services` (`CARGO_TARGET_DIR`, else `target/`).
pub fn default_out() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("all-services")
}

/// The outcome of checking one crate.
enum Check {
    Ok,
    Failed(String),
}

pub fn run(options: &AllServices) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut found = all::discover(&options.data)
        .with_context(|| format!("reading {}", options.data.display()))?;
    if let Some(wanted) = &options.services {
        for name in wanted {
            if !found.iter().any(|s| &s.name == name) {
                bail!("no service `{name}` in {}", options.data.display());
            }
        }
        found.retain(|s| wanted.contains(&s.name));
    }
    let runtime = std::fs::canonicalize("runtime").context("finding runtime/")?;
    let crates_dir = options.out.join("crates");
    std::fs::create_dir_all(&crates_dir)
        .with_context(|| format!("creating {}", crates_dir.display()))?;
    let config = Config {
        runtime_dependency: format!(
            "awsgen-runtime = {{ path = {:?} }}",
            runtime.display().to_string()
        ),
        regenerate_command: "cargo xtask all-services".to_string(),
        ..Config::default()
    };
    let total = found.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let reports = all::generate_services(&found, &crates_dir, &config, options.jobs, &|report| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        eprintln!("[{n}/{total}] {report}");
    });
    let generating = started.elapsed();
    let summary = Summary::of(&reports);
    let generated: Vec<&ServiceReport> = reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .collect();
    eprintln!(
        "generate: {} generated, {} failed, {} skipped (other protocols) in {:.1}s",
        summary.generated,
        summary.failed,
        summary.skipped,
        generating.as_secs_f64()
    );

    let mut checks: BTreeMap<String, Check> = BTreeMap::new();
    let mut check_time = None;
    if !options.no_check && !generated.is_empty() {
        write_workspace(&options.out, &generated)?;
        let check_started = Instant::now();
        checks = cargo_check(&options.out, generated.len())?;
        check_time = Some(check_started.elapsed());
    }

    // The report: failures with their reasons, then totals.
    let mut out = std::io::stdout().lock();
    for report in &reports {
        match &report.outcome {
            Outcome::Failed { .. } => writeln!(out, "{report}")?,
            Outcome::Skipped { .. } => writeln!(out, "{report}")?,
            Outcome::Generated { .. } => match checks.get(&report.name) {
                Some(Check::Failed(error)) => {
                    writeln!(out, "check failed {}: {error}", report.name)?
                }
                None if check_time.is_some() => writeln!(
                    out,
                    "check failed {}: not checked (a dependency failed?)",
                    report.name
                )?,
                _ => {}
            },
        }
    }
    let checked_ok = checks.values().filter(|c| matches!(c, Check::Ok)).count();
    writeln!(
        out,
        "all-services: {} generated, {} failed, {} skipped (other protocols) in {:.1}s; {}",
        summary.generated,
        summary.failed,
        summary.skipped,
        generating.as_secs_f64(),
        match check_time {
            Some(time) => format!(
                "cargo check: {checked_ok} of {} OK in {:.0}s",
                generated.len(),
                time.as_secs_f64()
            ),
            None => "not checked".to_string(),
        }
    )?;
    if summary.failed > 0 || (check_time.is_some() && checked_ok < generated.len()) {
        bail!("some services failed (see above)");
    }
    Ok(())
}

fn write_workspace(out: &Path, generated: &[&ServiceReport]) -> anyhow::Result<()> {
    let mut manifest = String::from(
        "# @generated by `cargo xtask all-services`: every generated crate, checked together.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for report in generated {
        manifest.push_str(&format!("    \"crates/{}\",\n", report.name));
    }
    manifest.push_str("]\n");
    std::fs::write(out.join("Cargo.toml"), manifest)?;
    // The repository's lock file: the same dependency versions, no resolution needed.
    std::fs::copy("Cargo.lock", out.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

/// `cargo check --workspace --all-features --keep-going` in `out` with warnings denied, reading cargo's JSON
/// messages: progress per finished crate, and the first error of each crate that fails.
fn cargo_check(out: &Path, count: usize) -> anyhow::Result<BTreeMap<String, Check>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    eprintln!("==> cargo check of {count} crates in {}", out.display());
    let mut child = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            // Event-stream operations are behind each crate's `event-stream` feature.
            "--all-features",
            "--keep-going",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        // Generated code is code we ship: a warning in it is a failure too.
        .env("RUSTFLAGS", "-D warnings")
        .stdout(Stdio::piped())
        .spawn()
        .context("running cargo check")?;
    let stdout = child.stdout.take().expect("piped");
    let mut results: BTreeMap<String, Check> = BTreeMap::new();
    let mut finished = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(name) = message
            .pointer("/target/name")
            .and_then(|n| n.as_str())
            .and_then(|n| n.strip_prefix("awsgen_"))
        else {
            continue;
        };
        if name == "runtime" {
            continue;
        }
        let service = name.replace('_', "-");
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                results.entry(service.clone()).or_insert_with(|| {
                    let text = message["message"]["message"].as_str().unwrap_or("?");
                    let span = message["message"]["spans"]
                        .get(0)
                        .map(|s| {
                            format!(
                                " at {}:{}",
                                s["file_name"].as_str().unwrap_or("?"),
                                s["line_start"]
                            )
                        })
                        .unwrap_or_default();
                    Check::Failed(format!("{text}{span}"))
                });
            }
            Some("compiler-artifact") => {
                finished += 1;
                results.entry(service.clone()).or_insert(Check::Ok);
                eprintln!("[{finished}/{count}] checked {service}");
            }
            _ => {}
        }
    }
    let status = child.wait()?;
    if !status.success() {
        eprintln!("cargo check exited with {status}");
    }
    Ok(results)
}
