//! Every service of a botocore data directory at once: `generator generate --all` and
//! `cargo xtask all-services`.
//!
//! botocore keeps `data/<service>/<api-version>/service-2.json.gz`; its loader uses the latest
//! API version of each service (the greatest directory name: versions are dates), and so do we.
//! Services whose protocol we do not emit (rest-xml, query, ec2) are *skipped*, not failed.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::model::{RawMetadata, read_json_file};
use crate::{Config, GenerateError, GeneratedFile, read_service_dir, write};

/// One service found in a data directory: `<data>/<name>/<latest api version>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDir {
    pub name: String,
    pub dir: PathBuf,
}

/// The services of a botocore data directory, by name, each at its latest API version.
pub fn discover(data_dir: &Path) -> std::io::Result<Vec<ServiceDir>> {
    let mut services = Vec::new();
    for entry in std::fs::read_dir(data_dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let mut versions: Vec<PathBuf> = std::fs::read_dir(entry.path())?
            .filter_map(Result::ok)
            .map(|version| version.path())
            .filter(|path| {
                path.join("service-2.json.gz").is_file() || path.join("service-2.json").is_file()
            })
            .collect();
        versions.sort();
        if let Some(dir) = versions.pop() {
            services.push(ServiceDir {
                name: entry.file_name().to_string_lossy().into_owned(),
                dir,
            });
        }
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(services)
}

/// What happened to one service.
#[derive(Debug)]
pub enum Outcome {
    /// Generated and written.
    Generated {
        time: Duration,
        /// Lines of the generated files.
        lines: usize,
        shapes: usize,
        operations: usize,
    },
    /// Its protocol is not json or rest-json (`protocol` lists what the model names).
    Skipped { protocol: String },
    /// The model is invalid or uses something unsupported (every problem is listed), or the
    /// output could not be written.
    Failed { error: String },
}

/// One line of the report.
#[derive(Debug)]
pub struct ServiceReport {
    pub name: String,
    pub outcome: Outcome,
}

/// The protocol botocore would use for this metadata, if we emit it: the first of `protocols`
/// it supports (json or rest-json; the others are xml/query/ec2 and, in botocore 1.43,
/// smithy-rpc-v2-cbor, which every model that lists it also offers as json), else `protocol`.
pub fn supported_protocol(metadata: &RawMetadata) -> Result<&str, String> {
    let candidates = metadata
        .protocols
        .as_deref()
        .unwrap_or(std::slice::from_ref(&metadata.protocol));
    candidates
        .iter()
        .map(String::as_str)
        .find(|p| matches!(*p, "json" | "rest-json"))
        .ok_or_else(|| candidates.join(", "))
}

/// Generates every service in `services` into `out/<name>/` with `jobs` threads, calling
/// `progress` as each finishes. Reports come back in the order of `services`.
pub fn generate_services(
    services: &[ServiceDir],
    out: &Path,
    config: &Config,
    jobs: usize,
    progress: &(dyn Fn(&ServiceReport) + Sync),
) -> Vec<ServiceReport> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<ServiceReport>>> =
        Mutex::new((0..services.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(service) = services.get(index) else {
                        break;
                    };
                    let report = ServiceReport {
                        name: service.name.clone(),
                        outcome: generate_one(service, out, config),
                    };
                    progress(&report);
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(report);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Reads, checks the protocol of, generates and writes one service. A panic in the generator
/// is caught and reported as that service's failure (it is a generator bug either way).
pub fn generate_one(service: &ServiceDir, out: &Path, config: &Config) -> Outcome {
    let started = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generate_files(service, config)
    }));
    let (files, shapes, operations) = match result {
        Ok(Ok(Ok(generated))) => generated,
        Ok(Ok(Err(protocol))) => return Outcome::Skipped { protocol },
        Ok(Err(GenerateError::Invalid { diagnostics, .. })) => {
            return Outcome::Failed {
                error: diagnostics.to_string(),
            };
        }
        Ok(Err(error)) => {
            return Outcome::Failed {
                error: error.to_string(),
            };
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Outcome::Failed {
                error: format!("internal error (a generator bug): panic: {message}"),
            };
        }
    };
    let lines = files.iter().map(|f| f.contents.lines().count()).sum();
    if let Err(error) = write::write(out, &files) {
        return Outcome::Failed {
            error: error.to_string(),
        };
    }
    Outcome::Generated {
        time: started.elapsed(),
        lines,
        shapes,
        operations,
    }
}

type Generated = (Vec<GeneratedFile>, usize, usize);

fn generate_files(
    service: &ServiceDir,
    config: &Config,
) -> Result<Result<Generated, String>, GenerateError> {
    // The metadata alone decides whether to skip: reading it first keeps a skipped service's
    // cost to one parse and never reports its (irrelevant) unsupported traits.
    let path = ["service-2.json", "service-2.json.gz"]
        .iter()
        .map(|file| service.dir.join(file))
        .find(|path| path.is_file())
        .unwrap_or_else(|| service.dir.join("service-2.json"));
    let head: crate::model::SourceFile<MetadataOnly> = read_json_file(&path)?;
    if let Err(protocol) = supported_protocol(&head.content.metadata) {
        return Ok(Err(protocol));
    }
    let files = read_service_dir(&service.name, &service.dir)?;
    let ir = crate::validate(&files)?;
    let mut ir = ir;
    if let Some(selection) = &config.operations {
        ir = crate::select::select(&ir, selection)?;
    }
    let (shapes, operations) = (ir.shapes.len(), ir.operations.len());
    let names = crate::naming::Names::new(&ir);
    let generated = crate::emit::emit_crate(&ir, &names, config)?;
    Ok(Ok((generated, shapes, operations)))
}

#[derive(serde::Deserialize)]
struct MetadataOnly {
    metadata: RawMetadata,
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub generated: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(reports: &[ServiceReport]) -> Summary {
        let mut summary = Summary::default();
        for report in reports {
            match report.outcome {
                Outcome::Generated { .. } => summary.generated += 1,
                Outcome::Failed { .. } => summary.failed += 1,
                Outcome::Skipped { .. } => summary.skipped += 1,
            }
        }
        summary
    }
}

impl std::fmt::Display for ServiceReport {
    /// `generated sagemaker 2.10s 512340 lines (2965 shapes, 396 operations)`,
    /// `skipped s3: protocol rest-xml`, `failed x: <every problem>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.outcome {
            Outcome::Generated {
                time,
                lines,
                shapes,
                operations,
            } => write!(
                f,
                "generated {} in {:.2}s: {lines} lines ({shapes} shapes, {operations} operations)",
                self.name,
                time.as_secs_f64()
            ),
            Outcome::Skipped { protocol } => {
                write!(f, "skipped {}: protocol {protocol}", self.name)
            }
            Outcome::Failed { error } => write!(f, "failed {}: {error}", self.name),
        }
    }
}
