//! Developer tasks for the workspace: `cargo xtask <command>`.

use xtask::{all_services, codegen, test, update_models};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", about = "Developer tasks for the awsgen workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Refresh the pinned botocore models under `models/` from a botocore data directory.
    UpdateModels {
        /// botocore's `data` directory (e.g. `.../site-packages/botocore/data`).
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// botocore version to record in the manifest; defaults to the one in
        /// `<DIR>/../__init__.py`.
        #[arg(long, value_name = "VERSION")]
        botocore_version: Option<String>,
    },
    /// Run everything CI runs: rustfmt check, all tests, clippy and rustdoc with warnings denied.
    Test,
    /// Generate every json / rest-json service of botocore's data directory (or some of them)
    /// and `cargo check` them in one workspace; report per service.
    AllServices {
        /// botocore's data directory; default: `AWSGEN_BOTOCORE_DATA`, else the installed
        /// botocore's (`python3 -c 'import botocore'`).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Output directory (crates, workspace, target); default `<target dir>/all-services`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only these services (comma-separated).
        #[arg(long, value_name = "A,B,C", conflicts_with = "ci_subset")]
        services: Option<String>,
        /// Only the services `cargo xtask test` checks.
        #[arg(long)]
        ci_subset: bool,
        /// Generate only; do not run cargo check.
        #[arg(long)]
        no_check: bool,
        /// Generator threads.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
    /// Regenerate the SDK crates under `generated/` from `models/`.
    Codegen {
        /// Don't write anything; fail if the generated crates are out of date.
        #[arg(long)]
        check: bool,
    },
}

/// The workspace root (the parent of this crate's directory).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // Work from the workspace root so that paths in messages read `models/qconnect/...`.
    std::env::set_current_dir(workspace_root())?;
    let root = PathBuf::from(".");
    match cli.command {
        Command::UpdateModels {
            from,
            botocore_version,
        } => update_models::run(&update_models::UpdateModels {
            from,
            models_dir: root.join("models"),
            runtime_partitions: root.join("runtime/src/endpoint/partitions.json"),
            botocore_version,
        }),
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Test => test::run(),
        Command::AllServices {
            data,
            out,
            services,
            ci_subset,
            no_check,
            jobs,
        } => {
            let services = if ci_subset {
                Some(
                    all_services::CI_SUBSET
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                )
            } else {
                services.map(|list| list.split(',').map(|s| s.trim().to_string()).collect())
            };
            all_services::run(&all_services::AllServices {
                data: match data {
                    Some(dir) => dir,
                    None => all_services::botocore_data_dir()?,
                },
                out: out.unwrap_or_else(all_services::default_out),
                services,
                no_check,
                jobs,
            })
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
