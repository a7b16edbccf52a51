//! Stage 3: Rust names for everything the emitters write, decided in one place.
//!
//! Model names are turned into idiomatic Rust (`ImportJobData`, `knowledge_base_id`,
//! `QuickResponses`) and then made safe: keywords, leading digits, names the generated crate
//! itself uses, and collisions created by case conversion (`ASC` / `Asc`) are all resolved here,
//! deterministically (model order decides who keeps the plain name), so emitters never need to
//! think about identifiers.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use crate::ir::{Service, ShapeId, ShapeKind};

/// Names of types that would shadow what generated code refers to unqualified (the prelude)
/// or what the crate defines at its root; shapes with these names get a `Value` suffix.
const RESERVED_TYPE_NAMES: &[&str] = &[
    // The prelude.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // What generated crates define or import by name.
    "Client",
    "Config",
    "Error",
    "Self",
];

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; members with these names get a `_value` suffix.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// The variant every generated enum and union reserves for values it does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Every Rust name the emitters need for one service.
#[derive(Debug, Clone)]
pub struct Names {
    types: BTreeMap<ShapeId, String>,
    /// Fields of structures and variants of unions, by shape and member index.
    members: BTreeMap<ShapeId, Vec<String>>,
    /// Variants of string enums, by shape and value index.
    enum_variants: BTreeMap<ShapeId, Vec<String>>,
    operations: Vec<String>,
    /// Per operation: the fluent builder's type name and the error enum's name.
    operation_types: Vec<(String, String)>,
}

impl Names {
    /// Names every type, field, variant and operation of `service`.
    pub fn new(service: &Service) -> Names {
        let mut types = BTreeMap::new();
        let mut taken = BTreeSet::new();
        for (id, shape) in &service.shapes {
            if matches!(
                shape.kind,
                ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::StringEnum(_)
            ) {
                let name = unique(type_name(&id.0), &mut taken, "");
                types.insert(id.clone(), name);
            }
        }
        let mut members = BTreeMap::new();
        let mut enum_variants = BTreeMap::new();
        for (id, shape) in &service.shapes {
            match &shape.kind {
                ShapeKind::Structure(structure) => {
                    let names = field_names(structure.members.iter().map(|m| m.name.as_str()));
                    members.insert(id.clone(), names);
                }
                ShapeKind::Union(union) => {
                    let names = variant_names(union.members.iter().map(|m| m.name.as_str()));
                    members.insert(id.clone(), names);
                }
                ShapeKind::StringEnum(values) => {
                    enum_variants
                        .insert(id.clone(), variant_names(values.iter().map(String::as_str)));
                }
                _ => {}
            }
        }
        let mut taken = BTreeSet::new();
        let operations = service
            .operations
            .iter()
            .map(|operation| unique(method_name(&operation.name), &mut taken, "_"))
            .collect();
        // Operation types live in their own module, so they only need to be unique among
        // themselves: `StartImportJob` and `StartImportJobError`.
        let mut taken = BTreeSet::new();
        let operation_types = service
            .operations
            .iter()
            .map(|operation| {
                let fluent = unique(type_name(&operation.name), &mut taken, "");
                let error = unique(format!("{fluent}Error"), &mut taken, "");
                (fluent, error)
            })
            .collect();
        Names {
            types,
            members,
            enum_variants,
            operations,
            operation_types,
        }
    }

    /// The Rust type name of a structure, union or enum shape.
    pub fn type_name(&self, id: &ShapeId) -> &str {
        &self.types[id]
    }

    /// The field name of a structure member, or the variant name of a union member.
    pub fn member(&self, id: &ShapeId, index: usize) -> &str {
        &self.members[id][index]
    }

    /// The variant name of a string enum's value.
    pub fn enum_variant(&self, id: &ShapeId, index: usize) -> &str {
        &self.enum_variants[id][index]
    }

    /// The fluent builder type of an operation, by its index in the service.
    pub fn operation_type(&self, index: usize) -> &str {
        &self.operation_types[index].0
    }

    /// The error enum of an operation, by its index in the service.
    pub fn operation_error(&self, index: usize) -> &str {
        &self.operation_types[index].1
    }

    /// The client method name of an operation, by its index in the service.
    pub fn operation(&self, index: usize) -> &str {
        &self.operations[index]
    }
}

/// `name`, or `name2`, `name3`, ... (with `separator` before the number) when taken.
fn unique(name: String, taken: &mut BTreeSet<String>, separator: &str) -> String {
    let mut candidate = name.clone();
    let mut counter = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{separator}{counter}");
        counter += 1;
    }
    candidate
}

/// A type name for a shape: `UpperCamelCase`, prefixed when it would start with a digit,
/// suffixed with `Value` when it would shadow a name generated code relies on.
pub fn type_name(shape: &str) -> String {
    let name = camel_words(shape);
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || name == UNKNOWN_VARIANT {
        format!("{name}Value")
    } else {
        name
    }
}

/// Field names for a structure's members, in order. Besides keywords, avoids names whose
/// builder methods (`name`, `set_name`) would clash with each other or with `build`.
pub fn field_names<'a>(members: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut methods: BTreeSet<String> = BTreeSet::from(["build".to_string()]);
    members
        .map(|member| {
            let mut name = snake_name(member);
            while methods.contains(bare(&name)) || methods.contains(&setter_name(&name)) {
                name = format!("{}_value", bare(&name));
            }
            methods.insert(bare(&name).to_string());
            methods.insert(setter_name(&name));
            name
        })
        .collect()
}

/// Variant names for enum values or union members, in order: `UpperCamelCase`, never
/// `Unknown` (reserved for values this SDK version does not know), unique.
pub fn variant_names<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::from([UNKNOWN_VARIANT.to_string()]);
    values
        .map(|value| {
            let mut name = camel_words(value);
            if name == UNKNOWN_VARIANT || name == "Self" {
                name.push_str("Value");
            }
            unique(name, &mut taken, "")
        })
        .collect()
}

/// A method name for an operation: `snake_case`, made safe like a field.
pub fn method_name(operation: &str) -> String {
    snake_name(operation)
}

/// The identifier for a name produced here (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The builder method that sets or clears a field: `set_type` for `r#type`, `set_3d_model`
/// for `_3d_model`.
pub fn setter_name(field: &str) -> String {
    format!("set_{}", bare(field).trim_start_matches('_'))
}

/// The name without an `r#` prefix, for building derived names such as `set_type`.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// `snake_case`, made a legal identifier.
fn snake_name(text: &str) -> String {
    let words = words(text);
    let mut name = String::new();
    for (index, word) in words.iter().enumerate() {
        if index > 0 {
            name.push('_');
        }
        name.push_str(&word.to_lowercase());
    }
    if name.is_empty() {
        name = "value".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_value")
    } else {
        name
    }
}

/// `UpperCamelCase` of the words in `text`. Digits on both sides of a word break keep an
/// underscore between them (`1.0` → `V1_0`, not `V10`, which would equal `10`), a leading digit
/// gets a `V` prefix, and text without letters or digits is spelled out (`>=` →
/// `GreaterThanEquals`).
fn camel_words(text: &str) -> String {
    let words = words(text);
    if words.is_empty() {
        return spelled_out(text);
    }
    let mut name = String::new();
    for word in &words {
        if name.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            name.push('_');
        }
        name.push_str(&word.to_upper_camel_case());
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// Splits text into words at non-alphanumeric characters and at case changes, as `heck`
/// does, keeping the split consistent between snake and camel case names.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|chunk| !chunk.is_empty())
        .flat_map(|chunk| {
            chunk
                .to_snake_case()
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn spelled_out(text: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        name.push_str(match c {
            '*' => "Star",
            '=' => "Equals",
            '<' => "LessThan",
            '>' => "GreaterThan",
            '!' => "Not",
            '+' => "Plus",
            '-' => "Minus",
            '/' => "Slash",
            '.' => "Dot",
            '%' => "Percent",
            '&' => "And",
            '|' => "Or",
            '?' => "Question",
            ':' => "Colon",
            '#' => "Hash",
            '@' => "At",
            '$' => "Dollar",
            '~' => "Tilde",
            _ => "",
        });
    }
    if name.is_empty() {
        // Whitespace, empty strings or symbols without a name: still a legal, stable name.
        name = "Empty".to_string();
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("ImportJobData", "ImportJobData"),
            ("importJobData", "ImportJobData"),
            ("SSEConfiguration", "SseConfiguration"),
            ("S3Location", "S3Location"),
            ("Result", "ResultValue"),
            ("Error", "ErrorValue"),
            ("Client", "ClientValue"),
            ("Option", "OptionValue"),
            ("Config", "ConfigValue"),
            ("Unknown", "UnknownValue"),
            ("2FAConfig", "V2faConfig"),
            ("Foo_Bar", "FooBar"),
        ];
        for (model, rust) in cases {
            assert_eq!(type_name(model), rust, "{model}");
        }
    }

    #[test]
    fn field_names_table() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["knowledgeBaseId", "type"],
                &["knowledge_base_id", "r#type"],
            ),
            (
                &["self", "crate", "super"],
                &["self_value", "crate_value", "super_value"],
            ),
            (
                &["fooBar", "FooBar", "foo_bar"],
                &["foo_bar", "foo_bar_value", "foo_bar_value_value"],
            ),
            (
                &["build", "setName", "name"],
                &["build_value", "set_name", "name_value"],
            ),
            (&["3dModel", "ARN"], &["_3d_model", "arn"]),
            (&["_3dModel", "3dModel"], &["_3d_model", "_3d_model_value"]),
            (&["async", "await", "dyn"], &["r#async", "r#await", "r#dyn"]),
        ];
        for (members, expected) in cases {
            assert_eq!(
                field_names(members.iter().copied()),
                *expected,
                "{members:?}"
            );
        }
    }

    #[test]
    fn variant_names_table() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["QUICK_RESPONSES", "IN_PROGRESS"],
                &["QuickResponses", "InProgress"],
            ),
            (&["ASC", "Asc", "asc"], &["Asc", "Asc2", "Asc3"]),
            (&["UNKNOWN", "Unknown"], &["UnknownValue", "UnknownValue2"]),
            (&["1.0", "10", "1_0"], &["V1_0", "V10", "V1_02"]),
            (&["ml.t2.medium", "us-east-1"], &["MlT2Medium", "UsEast1"]),
            (
                &[">=", "<", "*", " "],
                &["GreaterThanEquals", "LessThan", "Star", "Empty"],
            ),
            (&["Self", "self"], &["SelfValue", "SelfValue2"]),
            (
                &["text/plain", "application/json"],
                &["TextPlain", "ApplicationJson"],
            ),
        ];
        for (values, expected) in cases {
            assert_eq!(
                variant_names(values.iter().copied()),
                *expected,
                "{values:?}"
            );
        }
    }

    #[test]
    fn setter_names() {
        assert_eq!(setter_name("r#type"), "set_type");
        assert_eq!(setter_name("_3d_model"), "set_3d_model");
        assert_eq!(setter_name("name"), "set_name");
    }

    #[test]
    fn method_names() {
        assert_eq!(method_name("StartImportJob"), "start_import_job");
        assert_eq!(
            method_name("ListDataSourceSyncJobs"),
            "list_data_source_sync_jobs"
        );
        assert_eq!(method_name("GetQAppSession"), "get_q_app_session");
        assert_eq!(method_name("Match"), "r#match");
    }

    #[test]
    fn every_generated_name_is_a_legal_identifier() {
        for name in ["r#type", "_3d_model", "V1_0", "self_value"] {
            let _ = ident(name);
        }
    }
}
