//! Generating a client from a build script, prost-build style.
//!
//! ```no_run
//! // build.rs, in `main`:
//! awsgen_generator::build::Builder::new()
//!     .model_dir("../../models/qconnect")
//!     .operations(["StartImportJob", "GetImportJob", "ListImportJobs"])
//!     .generate_or_exit();
//! ```
//!
//! ```ignore
//! // src/lib.rs: the module's path must be the builder's root path (`crate::qconnect`).
//! pub mod qconnect {
//!     include!(concat!(env!("OUT_DIR"), "/qconnect.rs"));
//! }
//! ```
//!
//! The generated file is one module ([`Layout::Module`]) naming its own items from the root
//! path; it depends on the runtime crate (`awsgen-runtime`), which the using crate lists as a
//! dependency, with the runtime's `event-stream` feature when a selected operation is an event
//! stream (qbusiness `Chat`) and `request-compression` when one may gzip its body (a generated
//! crate's `Cargo.toml` turns these on by itself; an included module cannot). Cargo is told to rerun the build script when any model file read changes, and
//! the file is rewritten only when its content changes.

use std::path::{Path, PathBuf};

use crate::model::read_json_file;
use crate::{
    Config, GenerateError, Layout, Selection, ServiceFiles, generate, read_service_dir, write,
};

/// Where the models come from.
#[derive(Debug, Clone)]
enum Models {
    /// A directory with botocore's files for one API version.
    Dir(PathBuf),
    /// Individual files.
    Files {
        service: PathBuf,
        paginators: Option<PathBuf>,
        endpoint_rule_set: Option<PathBuf>,
    },
}

/// Configures and runs generation of one service from a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    models: Option<Models>,
    service_name: Option<String>,
    operations: Option<Vec<String>>,
    runtime_crate: String,
    root_path: Option<String>,
    out_dir: Option<PathBuf>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// What [`Builder::generate_with_report`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// The generated module file (`<out_dir>/<service>.rs`).
    pub path: PathBuf,
    /// False when the file already had this content and was left untouched.
    pub written: bool,
    /// The lines for cargo, one `cargo:rerun-if-changed=<file>` per model file read.
    pub cargo_lines: Vec<String>,
}

impl Builder {
    /// A builder with the defaults: every operation, runtime `awsgen_runtime`, root path
    /// `crate::<service name>`, output in `$OUT_DIR`.
    pub fn new() -> Self {
        Builder {
            models: None,
            service_name: None,
            operations: None,
            runtime_crate: Config::default().runtime_crate,
            root_path: None,
            out_dir: None,
        }
    }

    /// The directory with botocore's files for one API version (`service-2.json`,
    /// `paginators-1.json`, `endpoint-rule-set-1.json`, plain or gzipped).
    pub fn model_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.models = Some(Models::Dir(dir.into()));
        self
    }

    /// Individual model files instead of a directory: `service-2.json` and, optionally,
    /// `paginators-1.json` and `endpoint-rule-set-1.json` (plain or gzipped).
    pub fn model_files(
        mut self,
        service: impl Into<PathBuf>,
        paginators: Option<PathBuf>,
        endpoint_rule_set: Option<PathBuf>,
    ) -> Self {
        self.models = Some(Models::Files {
            service: service.into(),
            paginators,
            endpoint_rule_set,
        });
        self
    }

    /// The service name: the file name (`<name>.rs`) and the default root path. Defaults to
    /// the model directory's name (or its parent's, for an API-version directory).
    pub fn service_name(mut self, name: impl Into<String>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// Generate only these operations: exact names or `*` globs (`List*`), with their
    /// paginators and the shapes they reach. Unknown names fail with close matches suggested.
    pub fn operations(mut self, operations: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.operations = Some(operations.into_iter().map(Into::into).collect());
        self
    }

    /// The runtime crate's path as the generated code names it (`awsgen_runtime`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// The path of the module the generated file is included in (`crate::qconnect`, the
    /// default being `crate::<service name>`).
    pub fn root_path(mut self, path: impl Into<String>) -> Self {
        self.root_path = Some(path.into());
        self
    }

    /// Where to write `<service>.rs`; defaults to `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates, prints the `cargo:rerun-if-changed` lines and returns the path of the
    /// generated file.
    pub fn generate(&self) -> Result<PathBuf, GenerateError> {
        let report = self.generate_with_report()?;
        for line in &report.cargo_lines {
            println!("{line}");
        }
        Ok(report.path)
    }

    /// [`Builder::generate`] for a build script's `main`: on failure prints the error (file
    /// and JSON path, or the unknown operation with suggestions) and exits with status 1,
    /// without a panic or backtrace.
    pub fn generate_or_exit(&self) -> PathBuf {
        match self.generate() {
            Ok(path) => path,
            Err(error) => {
                eprintln!("error: {error}");
                std::process::exit(1)
            }
        }
    }

    /// Generates without printing anything: the cargo lines are in the report.
    pub fn generate_with_report(&self) -> Result<BuildReport, GenerateError> {
        let models = self.models.as_ref().ok_or_else(|| {
            GenerateError::Config("no models: call `model_dir` or `model_files`".to_string())
        })?;
        let name = match (&self.service_name, models) {
            (Some(name), _) => name.clone(),
            (None, Models::Dir(dir)) => service_name_for_dir(dir).ok_or_else(|| {
                GenerateError::Config(format!(
                    "cannot derive a service name from {}; call `service_name`",
                    dir.display()
                ))
            })?,
            (None, Models::Files { .. }) => {
                return Err(GenerateError::Config(
                    "`model_files` needs `service_name`".to_string(),
                ));
            }
        };
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    GenerateError::Config(
                        "OUT_DIR is not set (not run by cargo?); call `out_dir`".to_string(),
                    )
                })?,
        };
        let files = match models {
            Models::Dir(dir) => read_service_dir(&name, dir)?,
            Models::Files {
                service,
                paginators,
                endpoint_rule_set,
            } => ServiceFiles {
                name: name.clone(),
                service: read_json_file(service)?,
                paginators: paginators.as_deref().map(read_json_file).transpose()?,
                endpoint_rule_set: endpoint_rule_set
                    .as_deref()
                    .map(read_json_file)
                    .transpose()?,
                paginator_extras: None,
            },
        };
        let cargo_lines = files
            .files_read()
            .iter()
            .map(|path| format!("cargo:rerun-if-changed={}", path.display()))
            .collect();
        let file_name = format!("{name}.rs");
        let config = Config {
            runtime_crate: self.runtime_crate.clone(),
            regenerate_command: "cargo build".to_string(),
            operations: self.operations.as_ref().map(Selection::new),
            root_path: self
                .root_path
                .clone()
                .unwrap_or_else(|| format!("crate::{name}")),
            layout: Layout::Module {
                file_name: file_name.clone(),
            },
            ..Config::default()
        };
        let generated = generate(&[files], &config)?;
        let report = write::write(&out_dir, &generated).map_err(|source| GenerateError::Write {
            path: out_dir.join(&file_name),
            source,
        })?;
        Ok(BuildReport {
            path: out_dir.join(&file_name),
            written: !report.changed.is_empty(),
            cargo_lines,
        })
    }
}

/// The service name for a model directory: its name, or its parent's when it is an API
/// version such as `2020-10-19` (botocore's `data/<service>/<version>/` layout).
pub fn service_name_for_dir(dir: &Path) -> Option<String> {
    let last = dir.file_name()?.to_str()?;
    let looks_like_version =
        last.len() == 10 && last.chars().all(|c| c.is_ascii_digit() || c == '-');
    if looks_like_version {
        Some(dir.parent()?.file_name()?.to_str()?.to_string())
    } else {
        Some(last.to_string())
    }
}
