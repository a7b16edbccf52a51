//! Developer tasks for the workspace: `cargo xtask <command>`.

use xtask::{codegen, test, update_models};

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
