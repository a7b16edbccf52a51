//! `generator`: generate Rust SDK crates from botocore models.

use std::path::PathBuf;
use std::process::ExitCode;

use awsgen_generator::{Config, generate, read_service_dir, write};
use clap::{Parser, Subcommand};

/// Generate Rust SDK crates from botocore service models (service-2.json, paginators-1.json,
/// endpoint-rule-set-1.json; plain or gzipped).
#[derive(Parser)]
#[command(name = "generator", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate one service's crate from a model directory.
    Generate {
        /// Directory holding one API version of the service's botocore files,
        /// e.g. `models/qconnect` or `botocore/data/qconnect/2020-10-19`.
        #[arg(long, value_name = "DIR")]
        model: PathBuf,
        /// Service name, used for the crate name (`awsgen-<name>`); defaults to the model
        /// directory's name, or its parent's when that is an API version such as `2020-10-19`.
        #[arg(long)]
        name: Option<String>,
        /// Output directory; the crate is written to `<OUT>/<name>/`.
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// The `Cargo.toml` dependency line for the runtime crate.
        #[arg(long, default_value = "awsgen-runtime = \"0.1.0\"")]
        runtime_dependency: String,
    },
    /// Validate a model directory and print every problem found.
    Check {
        /// Directory holding one API version of the service's botocore files.
        #[arg(long, value_name = "DIR")]
        model: PathBuf,
    },
}

fn service_name(model: &std::path::Path) -> Option<String> {
    let last = model.file_name()?.to_str()?;
    let looks_like_version =
        last.len() == 10 && last.chars().all(|c| c.is_ascii_digit() || c == '-');
    if looks_like_version {
        Some(model.parent()?.file_name()?.to_str()?.to_string())
    } else {
        Some(last.to_string())
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Generate {
            model,
            name,
            out,
            runtime_dependency,
        } => {
            let name = name.or_else(|| service_name(&model)).ok_or_else(|| {
                anyhow::anyhow!(
                    "cannot derive a service name from {}; pass --name",
                    model.display()
                )
            })?;
            let files = read_service_dir(&name, &model)?;
            let config = Config {
                runtime_dependency,
                regenerate_command: format!(
                    "generator generate --model {} --out {}",
                    model.display(),
                    out.display()
                ),
                ..Config::default()
            };
            let generated = generate(&[files], &config)?;
            let report = write::write(&out, &generated)?;
            eprintln!(
                "{name}: {} files written, {} unchanged, {} removed, in {}",
                report.changed.len(),
                report.unchanged,
                report.extra.len(),
                out.join(&name).display()
            );
            Ok(())
        }
        Command::Check { model } => {
            let name = service_name(&model).unwrap_or_else(|| "service".to_string());
            let files = read_service_dir(&name, &model)?;
            let service = awsgen_generator::validate(&files)?;
            eprintln!(
                "{name}: ok ({} operations, {} shapes, {} paginators)",
                service.operations.len(),
                service.shapes.len(),
                service.paginators.len()
            );
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
