//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

/// Hand-written crates: formatted with rustfmt. Generated crates are formatted by the
/// generator (prettyplease), and their freshness is a test of its own.
const HAND_WRITTEN: &[&str] = &[
    "awsgen-generator",
    "awsgen-runtime",
    "xtask",
    "sdk-tests",
    "example-get-import-job",
    "example-build-rs-qconnect",
    "awsgen-protocol-tests",
    "example-qbusiness-chat",
];

pub fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    let mut fmt = vec!["fmt", "--check"];
    for package in HAND_WRITTEN {
        fmt.extend(["-p", package]);
    }
    step("format of hand-written crates", &fmt, &[])?;
    step(
        "tests (incl. generated/ up to date)",
        &["test", "--workspace"],
        &[],
    )?;
    // Generated crates of other botocore services: the regressions our three don't show.
    eprintln!(
        "==> all-services CI subset: generate and cargo check {} services",
        crate::all_services::CI_SUBSET.len()
    );
    let subset_started = Instant::now();
    crate::all_services::run(&crate::all_services::AllServices {
        data: crate::all_services::botocore_data_dir()?,
        out: crate::all_services::default_out(),
        services: Some(
            crate::all_services::CI_SUBSET
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
        no_check: false,
        jobs: 2,
    })
    .context("all-services CI subset (cargo xtask all-services --ci-subset)")?;
    eprintln!(
        "<== all-services CI subset: ok in {:.0?}",
        subset_started.elapsed()
    );
    step(
        "clippy, warnings denied",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // The workspace turns on awsgen-qbusiness's `event-stream` (its tests call Chat); a user's
    // build without it must be as clean.
    step(
        "clippy of awsgen-qbusiness without its event-stream feature, warnings denied",
        &["clippy", "-p", "awsgen-qbusiness", "--", "-D", "warnings"],
        &[],
    )?;
    step(
        "rustdoc, warnings denied",
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    eprintln!("xtask test: all passed in {:.0?}", started.elapsed());
    Ok(())
}

fn step(title: &str, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    eprintln!("==> {title}: cargo {}", args.join(" "));
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("{title} failed ({status}): cargo {}", args.join(" "));
    }
    eprintln!("<== {title}: ok in {:.0?}", started.elapsed());
    Ok(())
}
