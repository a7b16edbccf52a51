//! Stage 6: write generated files, touching only those whose content changed (so that cargo
//! does not rebuild what did not change), or check that what is on disk is current.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// What [`write`](fn@write) or [`check`] found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose content differs from what is on disk (written, or stale in check mode).
    pub changed: Vec<PathBuf>,
    /// Files on disk inside a generated crate directory that generation no longer produces
    /// (deleted, or stale in check mode).
    pub extra: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Report {
    /// True when nothing differs.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty()
    }
}

/// Writes `files` under `root`, leaving files with identical content untouched, and deletes
/// files under each generated directory that `files` no longer contains.
pub fn write(root: &Path, files: &[GeneratedFile]) -> io::Result<Report> {
    let report = compare(root, files)?;
    for path in &report.changed {
        let file = files
            .iter()
            .find(|f| &f.path == path)
            .expect("changed files come from `files`");
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &file.contents)?;
    }
    for path in &report.extra {
        std::fs::remove_file(root.join(path))?;
    }
    Ok(report)
}

/// Compares `files` with what is under `root` without writing anything.
pub fn check(root: &Path, files: &[GeneratedFile]) -> io::Result<Report> {
    compare(root, files)
}

fn compare(root: &Path, files: &[GeneratedFile]) -> io::Result<Report> {
    let mut report = Report::default();
    for file in files {
        match std::fs::read(root.join(&file.path)) {
            Ok(existing) if existing == file.contents.as_bytes() => report.unchanged += 1,
            Ok(_) => report.changed.push(file.path.clone()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                report.changed.push(file.path.clone())
            }
            Err(error) => return Err(error),
        }
    }
    // Each generated crate is the first component of its files' paths; a file at the top (a
    // build script's module file) belongs to no crate directory.
    let expected: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let crate_dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter(|f| f.path.components().count() > 1)
        .filter_map(|f| f.path.components().next())
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    for dir in crate_dirs {
        for path in list_files(&root.join(&dir))? {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !expected.contains(relative.as_path()) {
                report.extra.push(relative);
            }
        }
    }
    Ok(report)
}

fn list_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(files),
        Err(error) => return Err(error),
    };
    let mut entries: Vec<_> = entries.collect::<io::Result<_>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            // Build output of a crate built in place is not ours to judge.
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            files.extend(list_files(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}
