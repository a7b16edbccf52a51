//! `generator`: generate Rust SDK crates from botocore models.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use awsgen_generator::build::service_name_for_dir;
use awsgen_generator::select::select;
use awsgen_generator::{Config, Selection, generate, ir, read_service_dir, write};
use clap::{Parser, Subcommand};

/// Generate Rust SDK crates from botocore service models (service-2.json, paginators-1.json,
/// endpoint-rule-set-1.json; plain or gzipped).
///
/// Exit status: 0 on success, 1 for a model, selection or I/O error (printed with the file and
/// JSON path), 2 for a usage error.
#[derive(Parser)]
#[command(name = "generator", version)]
struct Cli {
    /// Print nothing on success (errors are still printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate one service's crate from a model directory, or (`--all`) every json and
    /// rest-json service of a botocore data directory.
    Generate {
        /// Directory holding one API version of the service's botocore files,
        /// e.g. `models/qconnect` or `botocore/data/qconnect/2020-10-19`.
        #[arg(long, value_name = "DIR", required_unless_present = "all")]
        model: Option<PathBuf>,
        /// A botocore data directory (`.../botocore/data`): generate every service in it at its
        /// latest API version into `<OUT>/<service>/`, in parallel, and print one line per
        /// service (generated with time and lines, skipped: protocol, or failed: why). Exits 1
        /// if any service failed.
        #[arg(long, value_name = "DATA_DIR", conflicts_with_all = ["model", "name"])]
        all: Option<PathBuf>,
        /// With `--all`: only these services (comma-separated directory names).
        #[arg(long, value_name = "A,B,C", requires = "all")]
        services: Option<String>,
        /// With `--all`: worker threads (default: available parallelism, at most 2).
        #[arg(long, requires = "all")]
        jobs: Option<usize>,
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
        /// Generate only these operations (comma-separated names or globs such as `List*`),
        /// with their paginators and the shapes they reach.
        #[arg(long, value_name = "A,B,C")]
        operations: Option<String>,
    },
    /// Validate a model directory and print every problem found.
    Check {
        /// Directory holding one API version of the service's botocore files.
        #[arg(long, value_name = "DIR")]
        model: PathBuf,
    },
    /// List a service's operations, paginators and shapes (with counts), one name per line.
    List {
        /// Directory holding one API version of the service's botocore files.
        #[arg(long, value_name = "DIR")]
        model: PathBuf,
        /// List only this kind (names only, one per line; the count goes to stderr).
        #[arg(long, value_enum)]
        what: Option<What>,
        /// List what this selection keeps (comma-separated names or globs).
        #[arg(long, value_name = "A,B,C")]
        operations: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum What {
    Operations,
    Paginators,
    Shapes,
}

fn name_for(model: &Path, name: Option<String>) -> anyhow::Result<String> {
    name.or_else(|| service_name_for_dir(model)).ok_or_else(|| {
        anyhow::anyhow!(
            "cannot derive a service name from {}; pass --name",
            model.display()
        )
    })
}

/// Reads, validates and (with `operations`) narrows one service.
fn load(model: &Path, operations: Option<&str>) -> anyhow::Result<(String, ir::Service)> {
    let name = service_name_for_dir(model).unwrap_or_else(|| "service".to_string());
    let files = read_service_dir(&name, model)?;
    let mut service = awsgen_generator::validate(&files)?;
    if let Some(list) = operations {
        service = select(&service, &Selection::parse_list(list))?;
    }
    Ok((name, service))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let started = Instant::now();
    let quiet = cli.quiet;
    let status = |message: String| {
        if !quiet {
            eprintln!("{message}, in {:.2?}", started.elapsed());
        }
    };
    match cli.command {
        Command::Generate {
            all: Some(data_dir),
            services,
            jobs,
            out,
            runtime_dependency,
            operations,
            ..
        } => generate_all(
            &data_dir,
            services.as_deref(),
            jobs,
            &out,
            runtime_dependency,
            operations.as_deref(),
            quiet,
        ),
        Command::Generate {
            model,
            name,
            out,
            runtime_dependency,
            operations,
            ..
        } => {
            let model = model.expect("clap requires --model without --all");
            let name = name_for(&model, name)?;
            let files = read_service_dir(&name, &model)?;
            let mut regenerate_command = format!(
                "generator generate --model {} --out {}",
                model.display(),
                out.display()
            );
            if let Some(list) = &operations {
                regenerate_command.push_str(&format!(" --operations {list}"));
            }
            let config = Config {
                runtime_dependency,
                regenerate_command,
                operations: operations.as_deref().map(Selection::parse_list),
                ..Config::default()
            };
            let generated = generate(&[files], &config)?;
            let report = write::write(&out, &generated)?;
            status(format!(
                "{name}: {} files written, {} unchanged, {} removed, in {}",
                report.changed.len(),
                report.unchanged,
                report.extra.len(),
                out.join(&name).display()
            ));
            Ok(())
        }
        Command::Check { model } => {
            let (name, service) = load(&model, None)?;
            status(format!(
                "{name}: ok ({} operations, {} shapes, {} paginators)",
                service.operations.len(),
                service.shapes.len(),
                service.paginators.len()
            ));
            Ok(())
        }
        Command::List {
            model,
            what,
            operations,
        } => {
            let (name, service) = load(&model, operations.as_deref())?;
            let sections: [(What, &str, Vec<&str>); 3] = [
                (
                    What::Operations,
                    "operations",
                    service
                        .operations
                        .iter()
                        .map(|op| op.name.as_str())
                        .collect(),
                ),
                (
                    What::Paginators,
                    "paginators",
                    service
                        .paginators
                        .iter()
                        .map(|p| p.operation.as_str())
                        .collect(),
                ),
                (
                    What::Shapes,
                    "shapes",
                    service.shapes.keys().map(|id| id.0.as_str()).collect(),
                ),
            ];
            let mut stdout = std::io::stdout().lock();
            for (kind, label, names) in &sections {
                match what {
                    Some(wanted) if wanted != *kind => continue,
                    Some(_) => {
                        for name in names {
                            writeln!(stdout, "{name}")?;
                        }
                    }
                    None => {
                        writeln!(stdout, "{label} ({}):", names.len())?;
                        for name in names {
                            writeln!(stdout, "  {name}")?;
                        }
                    }
                }
            }
            let counts: Vec<String> = sections
                .iter()
                .filter(|(kind, ..)| what.is_none_or(|wanted| wanted == *kind))
                .map(|(_, label, names)| format!("{} {label}", names.len()))
                .collect();
            status(format!("{name}: {}", counts.join(", ")));
            Ok(())
        }
    }
}

/// `generate --all`: every service of a botocore data directory.
fn generate_all(
    data_dir: &Path,
    services: Option<&str>,
    jobs: Option<usize>,
    out: &Path,
    runtime_dependency: String,
    operations: Option<&str>,
    quiet: bool,
) -> anyhow::Result<()> {
    use awsgen_generator::all::{self, Outcome, Summary};
    let started = Instant::now();
    let mut found = all::discover(data_dir)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", data_dir.display()))?;
    if let Some(list) = services {
        let wanted: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for name in &wanted {
            if !found.iter().any(|s| s.name == *name) {
                anyhow::bail!("no service `{name}` in {}", data_dir.display());
            }
        }
        found.retain(|s| wanted.contains(&s.name.as_str()));
    }
    let config = Config {
        runtime_dependency,
        regenerate_command: format!(
            "generator generate --all {} --out {}",
            data_dir.display(),
            out.display()
        ),
        operations: operations.map(Selection::parse_list),
        ..Config::default()
    };
    let jobs =
        jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(2)));
    let total = found.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let reports = all::generate_services(&found, out, &config, jobs, &|report| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if !quiet {
            eprintln!("[{n}/{total}] {report}");
        }
    });
    let mut stdout = std::io::stdout().lock();
    for report in &reports {
        writeln!(stdout, "{report}")?;
    }
    let summary = Summary::of(&reports);
    let generating: f64 = reports
        .iter()
        .map(|r| match r.outcome {
            Outcome::Generated { time, .. } => time.as_secs_f64(),
            _ => 0.0,
        })
        .sum();
    writeln!(
        stdout,
        "summary: {} generated, {} failed, {} skipped (other protocols), of {total} services in {}; \
         {:.2}s wall with {jobs} workers ({generating:.2}s generating)",
        summary.generated,
        summary.failed,
        summary.skipped,
        data_dir.display(),
        started.elapsed().as_secs_f64(),
    )?;
    if summary.failed > 0 {
        anyhow::bail!("{} of {total} services failed", summary.failed);
    }
    Ok(())
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
