//! Operation selection: generate only the operations a program calls.
//!
//! A [`Selection`] is a list of patterns: exact operation names (`GetImportJob`) or globs where
//! `*` matches any run of characters (`List*`, `*ImportJob*`). [`select`] keeps the matching
//! operations in model order, their paginators, and exactly the shapes those operations reach
//! through their input, output and errors (members, list elements, map keys and values). Names
//! that match nothing are errors with close matches suggested, so a typo is caught at build time
//! rather than becoming a missing method.

use std::collections::BTreeSet;
use std::fmt;

use crate::ir::{Service, ShapeId};

/// Which operations to keep: exact names and `*` globs, as written by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    patterns: Vec<String>,
}

impl Selection {
    /// A selection of the given patterns (exact operation names or globs such as `List*`).
    pub fn new<I, S>(patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Selection {
            patterns: patterns.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses a comma-separated list (`StartImportJob,GetImportJob,List*`), as the CLI's
    /// `--operations` takes it; whitespace around names is ignored.
    pub fn parse_list(list: &str) -> Self {
        Selection::new(list.split(',').map(str::trim).filter(|p| !p.is_empty()))
    }

    /// The patterns, in the order given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when `operation` matches any pattern.
    pub fn matches(&self, operation: &str) -> bool {
        self.patterns.iter().any(|p| glob_match(p, operation))
    }
}

/// A pattern of a [`Selection`] that matches no operation of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedPattern {
    /// The pattern as given.
    pub pattern: String,
    /// Up to three operation names (or, for a glob, prefixes as globs) close to it by edit
    /// distance, closest first.
    pub suggestions: Vec<String>,
}

/// Why a [`Selection`] cannot be applied to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// The selection names no operation at all.
    Empty { service: String },
    /// Some patterns match no operation; every one is listed.
    Unmatched {
        service: String,
        unmatched: Vec<UnmatchedPattern>,
    },
}

impl std::error::Error for SelectError {}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Empty { service } => {
                write!(f, "{service}: the operation selection is empty")
            }
            SelectError::Unmatched { service, unmatched } => {
                for (index, item) in unmatched.iter().enumerate() {
                    if index > 0 {
                        f.write_str("\n")?;
                    }
                    if item.pattern.contains('*') {
                        write!(f, "{service}: no operation matches `{}`", item.pattern)?;
                    } else {
                        write!(f, "{service}: unknown operation `{}`", item.pattern)?;
                    }
                    if !item.suggestions.is_empty() {
                        let list: Vec<String> =
                            item.suggestions.iter().map(|s| format!("`{s}`")).collect();
                        write!(f, "; did you mean {}?", list.join(", "))?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Keeps the operations `selection` matches (model order), their paginators and the shapes
/// they reach; everything else is dropped. Deterministic.
pub fn select(service: &Service, selection: &Selection) -> Result<Service, SelectError> {
    if selection.patterns.is_empty() {
        return Err(SelectError::Empty {
            service: service.name.clone(),
        });
    }
    let unmatched: Vec<UnmatchedPattern> = selection
        .patterns
        .iter()
        .filter(|pattern| {
            !service
                .operations
                .iter()
                .any(|op| glob_match(pattern, &op.name))
        })
        .map(|pattern| UnmatchedPattern {
            pattern: pattern.clone(),
            suggestions: suggestions(service, pattern),
        })
        .collect();
    if !unmatched.is_empty() {
        return Err(SelectError::Unmatched {
            service: service.name.clone(),
            unmatched,
        });
    }

    // An operation that uses endpoint discovery needs the discovery operation too, selected or
    // not: the client calls it.
    let discovery_operation = service
        .endpoint_operation
        .as_ref()
        .filter(|_| {
            service
                .operations
                .iter()
                .any(|op| selection.matches(&op.name) && op.endpoint_discovery.is_some())
        })
        .map(|e| e.operation.as_str());
    let operations: Vec<_> = service
        .operations
        .iter()
        .filter(|op| selection.matches(&op.name) || Some(op.name.as_str()) == discovery_operation)
        .cloned()
        .collect();
    // Every exception of the service is kept: an error code the operation does not list is
    // still parsed into its exception, as botocore does (see `UnhandledError::modeled`).
    let exceptions = service
        .shapes
        .values()
        .filter(|shape| shape.error.is_some())
        .map(|shape| &shape.id);
    let roots = operations
        .iter()
        .flat_map(|op| {
            op.input
                .iter()
                .chain(op.output.iter())
                .chain(op.errors.iter())
        })
        .chain(exceptions);
    let keep: BTreeSet<ShapeId> = service.reachable_from(roots);
    let kept_names: BTreeSet<&str> = operations.iter().map(|op| op.name.as_str()).collect();
    let paginators = service
        .paginators
        .iter()
        .filter(|p| kept_names.contains(p.operation.as_str()))
        .cloned()
        .collect();
    Ok(Service {
        name: service.name.clone(),
        metadata: service.metadata.clone(),
        docs: service.docs.clone(),
        shapes: service
            .shapes
            .iter()
            .filter(|(id, _)| keep.contains(*id))
            .map(|(id, shape)| (id.clone(), shape.clone()))
            .collect(),
        operations,
        paginators,
        endpoint_rule_set: service.endpoint_rule_set.clone(),
        endpoint_operation: service.endpoint_operation.clone(),
    })
}

/// `*` matches any run of characters (including none); everything else matches itself.
fn glob_match(pattern: &str, name: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == name;
    };
    let Some(mut remaining) = name.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// Up to three operation names close to `pattern`; for a glob `Prefix*`, prefixes of the same
/// length close to `Prefix`, suggested as globs.
fn suggestions(service: &Service, pattern: &str) -> Vec<String> {
    let (wanted, glob) = match pattern.split_once('*') {
        Some((prefix, _)) => (prefix, true),
        None => (pattern, false),
    };
    if glob && wanted.is_empty() {
        return Vec::new();
    }
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, usize, String)> = Vec::new();
    for (index, op) in service.operations.iter().enumerate() {
        let candidate = if glob {
            match op.name.char_indices().nth(wanted.chars().count()) {
                Some((at, _)) => format!("{}*", &op.name[..at]),
                None => continue,
            }
        } else {
            op.name.clone()
        };
        let compared = candidate.trim_end_matches('*').to_lowercase();
        let distance = levenshtein(&wanted_lower, &compared);
        if distance <= limit && !scored.iter().any(|(_, _, c)| *c == candidate) {
            scored.push((distance, index, candidate));
        }
    }
    scored.sort();
    scored.into_iter().take(3).map(|(_, _, c)| c).collect()
}

/// The edit distance (insertions, deletions, substitutions) between two strings, by `char`.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn qconnect() -> Service {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/qconnect");
        let files = crate::read_service_dir("qconnect", &dir).expect("qconnect model reads");
        crate::validate(&files).expect("qconnect model is valid")
    }

    fn id(name: &str) -> ShapeId {
        ShapeId(name.to_string())
    }

    #[test]
    fn levenshtein_distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("GetImportJobs", "GetImportJob"), 1);
    }

    #[test]
    fn globs() {
        assert!(glob_match("List*", "ListImportJobs"));
        assert!(!glob_match("List*", "GetImportJob"));
        assert!(glob_match("*ImportJob*", "ListImportJobs"));
        assert!(glob_match("*", "Anything"));
        assert!(glob_match("Get*Job", "GetImportJob"));
        assert!(!glob_match("Get*Job", "GetImportJobs"));
        assert!(!glob_match("ab*ba", "aba"));
        assert!(glob_match("GetImportJob", "GetImportJob"));
        assert!(!glob_match("GetImportJob", "GetImportJobs"));
    }

    #[test]
    fn keeps_exactly_what_the_operation_reaches() {
        let service = qconnect();
        let selected = select(&service, &Selection::new(["GetImportJob"])).unwrap();
        let names: Vec<&str> = selected
            .operations
            .iter()
            .map(|op| op.name.as_str())
            .collect();
        assert_eq!(names, ["GetImportJob"]);
        for kept in [
            "GetImportJobRequest",
            "GetImportJobResponse",
            "ImportJobData",
            "AccessDeniedException",
            "ExternalSourceConfiguration",
            "Configuration",
        ] {
            assert!(selected.shapes.contains_key(&id(kept)), "{kept} dropped");
        }
        for dropped in [
            "AIAgentData",
            "StartImportJobRequest",
            "ListImportJobsRequest",
        ] {
            assert!(
                !selected.shapes.contains_key(&id(dropped)),
                "{dropped} kept"
            );
        }
        assert!(selected.paginators.is_empty());
        // Every reference in the selected service still resolves.
        let all = selected.reachable_from(selected.shapes.keys());
        assert_eq!(all.len(), selected.shapes.len());
    }

    #[test]
    fn keeps_paginators_of_kept_operations_in_model_order() {
        let service = qconnect();
        let selected = select(
            &service,
            &Selection::new(["ListImportJobs", "GetImportJob", "StartImportJob"]),
        )
        .unwrap();
        let names: Vec<&str> = selected
            .operations
            .iter()
            .map(|op| op.name.as_str())
            .collect();
        let model_order: Vec<&str> = service
            .operations
            .iter()
            .map(|op| op.name.as_str())
            .filter(|name| names.contains(name))
            .collect();
        assert_eq!(names, model_order);
        assert_eq!(selected.paginators.len(), 1);
        assert_eq!(selected.paginators[0].operation, "ListImportJobs");
        // Deterministic.
        let again = select(
            &service,
            &Selection::new(["ListImportJobs", "GetImportJob", "StartImportJob"]),
        )
        .unwrap();
        assert_eq!(selected, again);
    }

    #[test]
    fn globs_select_by_prefix() {
        let service = qconnect();
        let selected = select(&service, &Selection::parse_list("List*, Start*")).unwrap();
        assert!(!selected.operations.is_empty());
        assert!(
            selected
                .operations
                .iter()
                .all(|op| op.name.starts_with("List") || op.name.starts_with("Start"))
        );
        let expected = service
            .operations
            .iter()
            .filter(|op| op.name.starts_with("List") || op.name.starts_with("Start"))
            .count();
        assert_eq!(selected.operations.len(), expected);
        let list_paginators = service
            .paginators
            .iter()
            .filter(|p| p.operation.starts_with("List") || p.operation.starts_with("Start"))
            .count();
        assert_eq!(selected.paginators.len(), list_paginators);
    }

    #[test]
    fn unknown_names_are_errors_with_suggestions() {
        let service = qconnect();
        let error = select(
            &service,
            &Selection::new(["GetImportJobs", "GetImportJob", "Strat*", "Xyzzy"]),
        )
        .unwrap_err();
        let SelectError::Unmatched { unmatched, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(unmatched.len(), 3);
        assert_eq!(unmatched[0].pattern, "GetImportJobs");
        assert_eq!(unmatched[0].suggestions[0], "GetImportJob");
        assert!(unmatched[0].suggestions.len() <= 3);
        assert_eq!(unmatched[1].suggestions[0], "Start*");
        assert!(unmatched[2].suggestions.is_empty());
        let message = error.to_string();
        assert!(
            message.contains(
                "qconnect: unknown operation `GetImportJobs`; did you mean `GetImportJob`"
            ),
            "{message}"
        );
        assert!(
            message.contains("qconnect: no operation matches `Strat*`; did you mean `Start*`"),
            "{message}"
        );
        assert!(
            message.contains("qconnect: unknown operation `Xyzzy`\n")
                || message.ends_with("`Xyzzy`"),
            "{message}"
        );
    }

    #[test]
    fn an_empty_selection_is_an_error() {
        let service = qconnect();
        assert!(matches!(
            select(&service, &Selection::new(Vec::<String>::new())),
            Err(SelectError::Empty { .. })
        ));
    }
}
