//! `cargo xtask update-models --from <botocore data dir>`
//!
//! Refreshes the pinned botocore models under `models/` (stored decompressed),
//! refreshes `models/partitions.json` and the runtime's embedded copy, prints
//! what changed per service, and rewrites `models/manifest.json`.
//!
//! Everything is read and validated before anything is written, so a bad
//! source leaves `models/` untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use flate2::read::GzDecoder;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Arguments of `update-models`, with paths already resolved.
pub struct UpdateModels {
    /// botocore's `data` directory.
    pub from: PathBuf,
    /// The workspace's `models/` directory.
    pub models_dir: PathBuf,
    /// The runtime's embedded copy of `partitions.json`.
    pub runtime_partitions: PathBuf,
    /// Overrides the version parsed from `<from>/../__init__.py`.
    pub botocore_version: Option<String>,
}

const MANIFEST: &str = "manifest.json";
const PARTITIONS: &str = "partitions.json";
const SERVICE_MODEL: &str = "service-2.json";
const ENDPOINT_RULES: &str = "endpoint-rule-set-1.json";
const PAGINATORS: &str = "paginators-1.json";
const PAGINATORS_EXTRAS: &str = "paginators-1.sdk-extras.json";

/// Files copied per service: (name, required). Each may be gzipped in the
/// source (`<name>.gz`); optional files missing from the source are removed
/// from `models/`.
const SERVICE_FILES: [(&str, bool); 4] = [
    (SERVICE_MODEL, true),
    (ENDPOINT_RULES, true),
    (PAGINATORS, false),
    (PAGINATORS_EXTRAS, false),
];

/// Services pinned when there is no manifest yet: (service, API version).
const DEFAULT_SERVICES: [(&str, &str); 3] = [
    ("qconnect", "2020-10-19"),
    ("personalize", "2018-05-22"),
    ("qbusiness", "2023-11-27"),
];

pub fn run(args: &UpdateModels) -> Result<()> {
    let from = &args.from;
    if !from.is_dir() {
        bail!(
            "botocore data directory {} does not exist or is not a directory",
            from.display()
        );
    }
    let botocore_version = match &args.botocore_version {
        Some(v) => v.clone(),
        None => botocore_version_from_init(from)?,
    };

    println!("botocore {botocore_version} from {}", from.display());

    let manifest_path = args.models_dir.join(MANIFEST);
    let old_manifest = Manifest::load(&manifest_path)?;

    // Phase 1: read and validate every source file.
    let (partitions, partitions_path) = read_source(from, PARTITIONS)?
        .ok_or_else(|| anyhow!("{} not found in {}", PARTITIONS, from.display()))?;
    parse_json(&partitions, &partitions_path)?;

    let mut plans = Vec::new();
    for (service, pinned) in &old_manifest.services {
        plans.push(plan_service(from, service, pinned)?);
    }

    // Phase 2: write, report, and record hashes.
    let mut new_manifest = Manifest {
        botocore_version: Some(botocore_version.clone()),
        services: BTreeMap::new(),
        files: BTreeMap::new(),
    };

    for plan in &plans {
        let pinned = &old_manifest.services[&plan.service];
        let entry = apply_service(&args.models_dir, plan, pinned)?;
        new_manifest.services.insert(plan.service.clone(), entry);
    }

    let models_partitions = args.models_dir.join(PARTITIONS);
    warn_if_locally_modified(&models_partitions, old_manifest.files.get(PARTITIONS));
    let outcome = write_if_changed(&models_partitions, &partitions)?;
    println!("{PARTITIONS}: {outcome}");
    let outcome = write_if_changed(&args.runtime_partitions, &partitions)?;
    println!(
        "runtime copy {}: {outcome}",
        args.runtime_partitions.display()
    );
    new_manifest
        .files
        .insert(PARTITIONS.to_string(), sha256_hex(&partitions));

    let outcome = write_if_changed(&manifest_path, new_manifest.to_json().as_bytes())?;
    println!("{MANIFEST}: {outcome}");
    Ok(())
}

// ---------------------------------------------------------------------------
// Manifest

/// What a service is pinned to.
#[derive(Debug, Clone, Default, PartialEq)]
struct PinnedService {
    api_version: Option<String>,
    /// File name -> sha256 hex, as recorded at the last update.
    files: BTreeMap<String, String>,
}

#[derive(Debug, Default, PartialEq)]
struct Manifest {
    botocore_version: Option<String>,
    services: BTreeMap<String, PinnedService>,
    /// Top-level model files (partitions.json) -> sha256 hex.
    files: BTreeMap<String, String>,
}

impl Manifest {
    /// Loads the manifest, or the default set of services if there is none.
    fn load(path: &Path) -> Result<Manifest> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                println!("no {} yet; using the default services", path.display());
                return Ok(Manifest::default_services());
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let value = parse_json(&bytes, path)?;
        Manifest::from_json(&value).with_context(|| format!("invalid manifest {}", path.display()))
    }

    fn default_services() -> Manifest {
        let services = DEFAULT_SERVICES
            .iter()
            .map(|(name, version)| {
                let pinned = PinnedService {
                    api_version: Some(version.to_string()),
                    files: BTreeMap::new(),
                };
                (name.to_string(), pinned)
            })
            .collect();
        Manifest {
            services,
            ..Manifest::default()
        }
    }

    fn from_json(value: &Value) -> Result<Manifest> {
        let obj = value
            .as_object()
            .ok_or_else(|| anyhow!("expected a JSON object"))?;
        let botocore_version = optional_str(obj, "botocore_version")?;
        let services_obj = match obj.get("services") {
            Some(v) => v
                .as_object()
                .ok_or_else(|| anyhow!("`services` must be an object"))?,
            None => bail!("missing `services`"),
        };
        let mut services = BTreeMap::new();
        for (name, entry) in services_obj {
            let entry = entry
                .as_object()
                .ok_or_else(|| anyhow!("`services.{name}` must be an object"))?;
            let api_version = optional_str(entry, "api_version")
                .with_context(|| format!("in `services.{name}`"))?;
            let files = string_map(entry.get("files"))
                .with_context(|| format!("in `services.{name}.files`"))?;
            services.insert(name.clone(), PinnedService { api_version, files });
        }
        let files = string_map(obj.get("files")).context("in `files`")?;
        Ok(Manifest {
            botocore_version,
            services,
            files,
        })
    }

    /// Pretty JSON with sorted keys and a trailing newline.
    fn to_json(&self) -> String {
        // Keys are inserted in sorted order so the output is sorted even if
        // serde_json's `preserve_order` feature gets enabled by another crate.
        fn sorted_strings(map: &BTreeMap<String, String>) -> Value {
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            )
        }
        let mut services = Map::new();
        for (name, pinned) in &self.services {
            let mut entry = Map::new();
            if let Some(v) = &pinned.api_version {
                entry.insert("api_version".into(), Value::String(v.clone()));
            }
            entry.insert("files".into(), sorted_strings(&pinned.files));
            services.insert(name.clone(), Value::Object(entry));
        }
        let mut root = Map::new();
        if let Some(v) = &self.botocore_version {
            root.insert("botocore_version".into(), Value::String(v.clone()));
        }
        root.insert("files".into(), sorted_strings(&self.files));
        root.insert("services".into(), Value::Object(services));
        let mut out = serde_json::to_string_pretty(&Value::Object(root))
            .expect("serializing a serde_json::Value cannot fail");
        out.push('\n');
        out
    }
}

fn optional_str(obj: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => bail!("`{key}` must be a string"),
    }
}

fn string_map(value: Option<&Value>) -> Result<BTreeMap<String, String>> {
    let Some(value) = value else {
        return Ok(BTreeMap::new());
    };
    let obj = value
        .as_object()
        .ok_or_else(|| anyhow!("expected an object of strings"))?;
    obj.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            _ => Err(anyhow!("`{k}` must be a string")),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Per-service work

/// Everything read from the source for one service.
struct ServicePlan {
    service: String,
    api_version: String,
    /// File name -> decompressed contents, or None if the source lacks it.
    files: Vec<(&'static str, Option<Vec<u8>>)>,
    /// Parsed new `service-2.json` (validated).
    model: Value,
    /// Parsed new paginators (base, extras), if present.
    paginators: (Option<Value>, Option<Value>),
}

fn plan_service(from: &Path, service: &str, pinned: &PinnedService) -> Result<ServicePlan> {
    let service_dir = from.join(service);
    if !service_dir.is_dir() {
        bail!(
            "service `{service}` not found in botocore data directory {} (no {})",
            from.display(),
            service_dir.display()
        );
    }
    let api_version = pick_api_version(&service_dir, pinned.api_version.as_deref())?;
    if let Some(old) = pinned
        .api_version
        .as_ref()
        .filter(|old| **old != api_version)
    {
        println!(
            "{service}: API version {old} is no longer in {}; switching to newest {api_version}",
            service_dir.display()
        );
    }
    let version_dir = service_dir.join(&api_version);

    let mut files = Vec::new();
    let mut model = None;
    let mut paginators = (None, None);
    for (name, required) in SERVICE_FILES {
        let source = read_source(&version_dir, name)?;
        let bytes = match source {
            None if required => bail!(
                "{name} (or {name}.gz) not found in {}",
                version_dir.display()
            ),
            None => None,
            Some((bytes, path)) => {
                let value = parse_json(&bytes, &path)?;
                match name {
                    SERVICE_MODEL => model = Some(value),
                    PAGINATORS => paginators.0 = Some(value),
                    PAGINATORS_EXTRAS => paginators.1 = Some(value),
                    _ => {}
                }
                Some(bytes)
            }
        };
        files.push((name, bytes));
    }
    let model = model.ok_or_else(|| anyhow!("{SERVICE_MODEL} missing for {service}"))?;
    Ok(ServicePlan {
        service: service.to_string(),
        api_version,
        files,
        model,
        paginators,
    })
}

/// The pinned version if the source still has it, else the newest one.
fn pick_api_version(service_dir: &Path, pinned: Option<&str>) -> Result<String> {
    let mut versions = Vec::new();
    let entries =
        fs::read_dir(service_dir).with_context(|| format!("listing {}", service_dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", service_dir.display()))?;
        let is_dir = entry
            .file_type()
            .with_context(|| format!("reading {}", entry.path().display()))?
            .is_dir();
        if let Some(name) = entry.file_name().to_str().filter(|_| is_dir) {
            versions.push(name.to_string());
        }
    }
    if let Some(pinned) = pinned.filter(|p| versions.iter().any(|v| v == p)) {
        return Ok(pinned.to_string());
    }
    versions
        .into_iter()
        .max()
        .ok_or_else(|| anyhow!("no API version directories in {}", service_dir.display()))
}

/// Writes one service's files, prints its report, and returns its manifest entry.
fn apply_service(
    models_dir: &Path,
    plan: &ServicePlan,
    pinned: &PinnedService,
) -> Result<PinnedService> {
    let dir = models_dir.join(&plan.service);

    // Old state, for the diff (read before writing anything).
    let old_model = read_old_json(&dir.join(SERVICE_MODEL));
    let old_paginators = effective_paginators(
        read_old_json(&dir.join(PAGINATORS)).as_ref(),
        read_old_json(&dir.join(PAGINATORS_EXTRAS)).as_ref(),
    );

    let mut written = Vec::new();
    let mut removed = Vec::new();
    let mut hashes = BTreeMap::new();
    for (name, bytes) in &plan.files {
        let target = dir.join(name);
        warn_if_locally_modified(&target, pinned.files.get(*name));
        match bytes {
            Some(bytes) => {
                if write_if_changed(&target, bytes)? != WriteOutcome::Unchanged {
                    written.push(*name);
                }
                hashes.insert(name.to_string(), sha256_hex(bytes));
            }
            None => {
                if target.exists() {
                    fs::remove_file(&target)
                        .with_context(|| format!("removing stale {}", target.display()))?;
                    removed.push(*name);
                }
            }
        }
    }

    let mut diff = diff_service(old_model.as_ref().unwrap_or(&Value::Null), &plan.model);
    let new_paginators =
        effective_paginators(plan.paginators.0.as_ref(), plan.paginators.1.as_ref());
    diff.paginators = diff_maps(&old_paginators, &new_paginators);

    let header = format!("{} ({})", plan.service, plan.api_version);
    if written.is_empty() && removed.is_empty() {
        println!("{header}: unchanged");
    } else {
        println!("{header}:");
        if !written.is_empty() {
            println!("  files written: {}", written.join(", "));
        }
        if !removed.is_empty() {
            println!("  files removed: {}", removed.join(", "));
        }
        if diff.is_empty() {
            println!("  no operation, shape or paginator changes");
        } else {
            for line in diff.to_string().lines() {
                println!("  {line}");
            }
        }
    }

    Ok(PinnedService {
        api_version: Some(plan.api_version.clone()),
        files: hashes,
    })
}

// ---------------------------------------------------------------------------
// Diffing (pure)

/// Names added, removed and changed between two JSON objects.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MapDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl MapDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// What changed between two versions of a service model.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ServiceDiff {
    pub operations: MapDiff,
    pub shapes: MapDiff,
    pub paginators: MapDiff,
    /// Other top-level keys of `service-2.json` that differ (e.g. `metadata`).
    pub other: Vec<String>,
}

impl ServiceDiff {
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
            && self.shapes.is_empty()
            && self.paginators.is_empty()
            && self.other.is_empty()
    }
}

impl fmt::Display for ServiceDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return write!(f, "unchanged");
        }
        let mut lines = Vec::new();
        for (kind, diff) in [
            ("operations", &self.operations),
            ("shapes", &self.shapes),
            ("paginators", &self.paginators),
        ] {
            for (what, names) in [
                ("added", &diff.added),
                ("removed", &diff.removed),
                ("changed", &diff.changed),
            ] {
                if !names.is_empty() {
                    lines.push(format!(
                        "{kind} {what} ({}): {}",
                        names.len(),
                        names.join(", ")
                    ));
                }
            }
        }
        if !self.other.is_empty() {
            lines.push(format!("also changed: {}", self.other.join(", ")));
        }
        write!(f, "{}", lines.join("\n"))
    }
}

/// Compares two `service-2.json` documents. A missing or non-object side
/// counts as empty (so a new service shows everything as added).
/// Paginators are left empty; see [`diff_maps`] and [`effective_paginators`].
pub fn diff_service(old: &Value, new: &Value) -> ServiceDiff {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let member = |obj: &Map<String, Value>, key: &str| -> Map<String, Value> {
        obj.get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let other = old
        .keys()
        .chain(new.keys())
        .filter(|k| *k != "operations" && *k != "shapes")
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .cloned()
        .collect();
    ServiceDiff {
        operations: diff_maps(&member(old, "operations"), &member(new, "operations")),
        shapes: diff_maps(&member(old, "shapes"), &member(new, "shapes")),
        paginators: MapDiff::default(),
        other,
    }
}

/// Keys only in `new` (added), only in `old` (removed), and in both with
/// unequal values (changed); each sorted.
pub fn diff_maps(old: &Map<String, Value>, new: &Map<String, Value>) -> MapDiff {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut diff = MapDiff::default();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (None, Some(_)) => diff.added.push(key.clone()),
            (Some(_), None) => diff.removed.push(key.clone()),
            (Some(a), Some(b)) if a != b => diff.changed.push(key.clone()),
            _ => {}
        }
    }
    diff
}

/// The paginators botocore would see: `pagination` from `paginators-1.json`
/// deep-merged with `merge.pagination` from `paginators-1.sdk-extras.json`.
pub fn effective_paginators(base: Option<&Value>, extras: Option<&Value>) -> Map<String, Value> {
    let mut out = base
        .and_then(|v| v.get("pagination"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(extra) = extras
        .and_then(|v| v.pointer("/merge/pagination"))
        .and_then(Value::as_object)
    {
        for (name, value) in extra {
            match out.get_mut(name) {
                Some(existing) => deep_merge(existing, value),
                None => {
                    out.insert(name.clone(), value.clone());
                }
            }
        }
    }
    out
}

/// botocore's `merge_dicts`: objects merge recursively, anything else replaces.
fn deep_merge(base: &mut Value, extra: &Value) {
    match (base, extra) {
        (Value::Object(base), Value::Object(extra)) => {
            for (k, v) in extra {
                match base.get_mut(k) {
                    Some(existing) => deep_merge(existing, v),
                    None => {
                        base.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (base, extra) => *base = extra.clone(),
    }
}

// ---------------------------------------------------------------------------
// File helpers

/// Reads `<dir>/<name>`, or `<dir>/<name>.gz` decompressed, and returns the
/// bytes with the path actually read; None if neither exists.
fn read_source(dir: &Path, name: &str) -> Result<Option<(Vec<u8>, PathBuf)>> {
    let plain = dir.join(name);
    if plain.is_file() {
        let bytes = fs::read(&plain).with_context(|| format!("reading {}", plain.display()))?;
        return Ok(Some((bytes, plain)));
    }
    let gz = dir.join(format!("{name}.gz"));
    if gz.is_file() {
        let file = fs::File::open(&gz).with_context(|| format!("opening {}", gz.display()))?;
        let mut bytes = Vec::new();
        GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .with_context(|| format!("decompressing {}", gz.display()))?;
        return Ok(Some((bytes, gz)));
    }
    Ok(None)
}

fn parse_json(bytes: &[u8], path: &Path) -> Result<Value> {
    serde_json::from_slice(bytes).with_context(|| format!("bad JSON in {}", path.display()))
}

/// The current file in `models/`, parsed; None (with a warning if it exists
/// but is unreadable) otherwise. Only used for the diff report.
fn read_old_json(path: &Path) -> Option<Value> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            eprintln!(
                "warning: reading {}: {e}; diffing against nothing",
                path.display()
            );
            return None;
        }
    };
    match parse_json(&bytes, path) {
        Ok(value) => Some(value),
        Err(e) => {
            eprintln!("warning: {e:#}; diffing against nothing");
            None
        }
    }
}

/// Warns if a file in `models/` no longer matches the hash the manifest
/// recorded for it (i.e. someone edited it by hand; it is overwritten anyway).
fn warn_if_locally_modified(path: &Path, recorded: Option<&String>) {
    let Some(recorded) = recorded else { return };
    let Ok(bytes) = fs::read(path) else { return };
    if sha256_hex(&bytes) != *recorded {
        eprintln!(
            "warning: {} was modified since the last update-models (sha256 differs from the manifest)",
            path.display()
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteOutcome {
    Unchanged,
    Created,
    Updated,
}

impl fmt::Display for WriteOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WriteOutcome::Unchanged => "unchanged",
            WriteOutcome::Created => "created",
            WriteOutcome::Updated => "updated",
        })
    }
}

/// Writes `bytes` to `path` unless it already holds exactly those bytes.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<WriteOutcome> {
    let outcome = match fs::read(path) {
        Ok(existing) if existing == bytes => return Ok(WriteOutcome::Unchanged),
        Ok(_) => WriteOutcome::Updated,
        Err(e) if e.kind() == io::ErrorKind::NotFound => WriteOutcome::Created,
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("creating directory {}", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(outcome)
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Parses `__version__ = '1.43.11'` from `<data dir>/../__init__.py`.
fn botocore_version_from_init(data_dir: &Path) -> Result<String> {
    let init = data_dir.join("..").join("__init__.py");
    let text = fs::read_to_string(&init).with_context(|| {
        format!(
            "cannot determine the botocore version: reading {} failed (pass --botocore-version)",
            init.display()
        )
    })?;
    parse_version_line(&text).ok_or_else(|| {
        anyhow!(
            "cannot determine the botocore version: no `__version__ = '...'` line in {} (pass --botocore-version)",
            init.display()
        )
    })
}

fn parse_version_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("__version__")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim();
        let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let rest = &rest[1..];
        let end = rest.find(quote)?;
        let version = &rest[..end];
        (!version.is_empty()).then(|| version.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> Value {
        json!({
            "version": "2.0",
            "metadata": {"protocol": "rest-json", "apiVersion": "2020-10-19"},
            "operations": {
                "GetThing": {"name": "GetThing", "input": {"shape": "GetThingRequest"}},
                "ListThings": {"name": "ListThings"}
            },
            "shapes": {
                "GetThingRequest": {"type": "structure", "members": {}},
                "Name": {"type": "string"},
                "OldShape": {"type": "integer"}
            }
        })
    }

    #[test]
    fn unchanged() {
        let diff = diff_service(&model(), &model());
        assert!(diff.is_empty());
        assert_eq!(diff.to_string(), "unchanged");
    }

    #[test]
    fn added_operation() {
        let mut new = model();
        new["operations"]["DeleteThing"] = json!({"name": "DeleteThing"});
        let diff = diff_service(&model(), &new);
        assert_eq!(diff.operations.added, ["DeleteThing"]);
        assert!(diff.operations.removed.is_empty() && diff.operations.changed.is_empty());
        assert!(diff.shapes.is_empty());
        assert_eq!(diff.to_string(), "operations added (1): DeleteThing");
    }

    #[test]
    fn removed_shape() {
        let mut new = model();
        new["shapes"].as_object_mut().unwrap().remove("OldShape");
        let diff = diff_service(&model(), &new);
        assert_eq!(diff.shapes.removed, ["OldShape"]);
        assert!(diff.operations.is_empty());
        assert_eq!(diff.to_string(), "shapes removed (1): OldShape");
    }

    #[test]
    fn changed_shape() {
        let mut new = model();
        new["shapes"]["Name"]["max"] = json!(256);
        let diff = diff_service(&model(), &new);
        assert_eq!(diff.shapes.changed, ["Name"]);
        assert_eq!(diff.to_string(), "shapes changed (1): Name");
    }

    #[test]
    fn several_changes_display() {
        let mut new = model();
        new["operations"]["ListThings"]["http"] = json!({"method": "GET"});
        new["operations"]["Zap"] = json!({"name": "Zap"});
        new["operations"]["Apply"] = json!({"name": "Apply"});
        new["shapes"]["NewShape"] = json!({"type": "long"});
        new["metadata"]["protocol"] = json!("json");
        let mut diff = diff_service(&model(), &new);
        diff.paginators = diff_maps(&Map::new(), json!({"ListThings": {}}).as_object().unwrap());
        assert_eq!(
            diff.to_string(),
            "operations added (2): Apply, Zap\n\
             operations changed (1): ListThings\n\
             shapes added (1): NewShape\n\
             paginators added (1): ListThings\n\
             also changed: metadata"
        );
    }

    #[test]
    fn new_service_is_all_added() {
        let diff = diff_service(&Value::Null, &model());
        assert_eq!(diff.operations.added, ["GetThing", "ListThings"]);
        assert_eq!(diff.shapes.added.len(), 3);
    }

    #[test]
    fn paginators_merge_extras() {
        let base = json!({"pagination": {
            "ListThings": {"input_token": "nextToken", "output_token": "nextToken", "result_key": "things"}
        }});
        let extras = json!({"version": 1.0, "merge": {"pagination": {
            "ListThings": {"non_aggregate_keys": ["count"]},
            "ListOthers": {"input_token": "t"}
        }}});
        let merged = effective_paginators(Some(&base), Some(&extras));
        assert_eq!(merged["ListThings"]["result_key"], "things");
        assert_eq!(merged["ListThings"]["non_aggregate_keys"], json!(["count"]));
        assert!(merged.contains_key("ListOthers"));

        let diff = diff_maps(&effective_paginators(Some(&base), None), &merged);
        assert_eq!(diff.added, ["ListOthers"]);
        assert_eq!(diff.changed, ["ListThings"]);
    }

    #[test]
    fn manifest_round_trip() {
        let mut manifest = Manifest::default_services();
        manifest.botocore_version = Some("1.43.11".into());
        manifest
            .services
            .get_mut("qconnect")
            .unwrap()
            .files
            .insert("service-2.json".into(), "ab".into());
        manifest.files.insert("partitions.json".into(), "cd".into());
        let text = manifest.to_json();
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"botocore_version\": \"1.43.11\",\n  \"files\""));
        let parsed = Manifest::from_json(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(parsed, manifest);
    }

    #[test]
    fn bad_manifest_is_an_error() {
        assert!(Manifest::from_json(&json!({"services": []})).is_err());
        assert!(Manifest::from_json(&json!({"services": {"x": {"api_version": 1}}})).is_err());
        assert!(Manifest::from_json(&json!([])).is_err());
    }

    #[test]
    fn version_line() {
        let init = "import logging\n__version__ = '1.43.11'\n";
        assert_eq!(parse_version_line(init).as_deref(), Some("1.43.11"));
        assert_eq!(
            parse_version_line("__version__=\"2.0\"").as_deref(),
            Some("2.0")
        );
        assert_eq!(parse_version_line("version = '1'"), None);
    }
}
