//! Values the rules engine computes with.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A rules-engine value: what a parameter, a literal, a function result or an `assign`ed variable
/// holds. "Unset" is represented outside this type, as `Option::None`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    /// A record, e.g. the result of `aws.partition` or `parseURL`. Shared, because the partition
    /// records are built once and handed out on every resolution.
    Object(Arc<BTreeMap<String, Value>>),
}

impl Value {
    /// A short name of the value's type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Object(_) => "record",
        }
    }

    pub(crate) fn object<I, K>(fields: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Object(Arc::new(
            fields.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        ))
    }

    /// Converts JSON data (partition outputs) into a value. `null` has no counterpart and floats
    /// are not part of the rules language; both are refused.
    pub(crate) fn from_json(json: &serde_json::Value) -> Result<Value, String> {
        Ok(match json {
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Int(
                n.as_i64()
                    .ok_or_else(|| format!("unsupported number {n}"))?,
            ),
            serde_json::Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(Value::from_json)
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(map) => Value::Object(Arc::new(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), Value::from_json(v)?)))
                    .collect::<Result<_, String>>()?,
            )),
            serde_json::Value::Null => return Err("unsupported null".into()),
        })
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// One step of a `getAttr` path: a record key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PathSeg {
    Key(String),
    Index(usize),
}

/// Parses a `getAttr` path: `name`, `a.b`, `list[0]`, `a.list[2]`, `[0]`.
pub(crate) fn parse_path(path: &str) -> Result<Vec<PathSeg>, String> {
    if path.is_empty() {
        return Err("empty getAttr path".into());
    }
    let mut segs = Vec::new();
    for part in path.split('.') {
        match part.find('[') {
            Some(open) => {
                let (key, index) = part.split_at(open);
                let digits = index
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| format!("invalid index `{index}` in getAttr path `{path}`"))?;
                let index = digits
                    .parse()
                    .map_err(|_| format!("index too large in getAttr path `{path}`"))?;
                if !key.is_empty() {
                    segs.push(PathSeg::Key(key.to_owned()));
                }
                segs.push(PathSeg::Index(index));
            }
            None if part.is_empty() => {
                return Err(format!("empty segment in getAttr path `{path}`"));
            }
            None => segs.push(PathSeg::Key(part.to_owned())),
        }
    }
    Ok(segs)
}

/// Follows `path` into `value`. A missing key or an index past the end is unset (`Ok(None)`);
/// a key on a non-record or an index on a non-array is a type error.
pub(crate) fn get_path<'v>(
    value: &'v Value,
    path: &[PathSeg],
) -> Result<Option<&'v Value>, String> {
    let mut cur = value;
    for seg in path {
        let next = match (seg, cur) {
            (PathSeg::Key(k), Value::Object(map)) => map.get(k),
            (PathSeg::Index(i), Value::Array(items)) => items.get(*i),
            (PathSeg::Key(k), other) => {
                return Err(format!(
                    "getAttr: cannot read `{k}` of a {}",
                    other.type_name()
                ));
            }
            (PathSeg::Index(i), other) => {
                return Err(format!(
                    "getAttr: cannot index [{i}] into a {}",
                    other.type_name()
                ));
            }
        };
        match next {
            Some(v) => cur = v,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

/// Renders a path back to its source form, for messages.
pub(crate) fn path_to_string(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getattr_paths_parse() {
        use PathSeg::*;
        assert_eq!(parse_path("name").unwrap(), vec![Key("name".into())]);
        assert_eq!(
            parse_path("a.b").unwrap(),
            vec![Key("a".into()), Key("b".into())]
        );
        assert_eq!(
            parse_path("list[0]").unwrap(),
            vec![Key("list".into()), Index(0)]
        );
        assert_eq!(
            parse_path("a.resourceId[12]").unwrap(),
            vec![Key("a".into()), Key("resourceId".into()), Index(12)]
        );
        assert_eq!(parse_path("[3]").unwrap(), vec![Index(3)]);
        for bad in [
            "", "a..b", "a.", "a[", "a[]", "a[x]", "a[-1]", "a[1", "a]1[",
        ] {
            assert!(parse_path(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            path_to_string(&parse_path("a.list[2]").unwrap()),
            "a.list[2]"
        );
    }

    #[test]
    fn getattr_paths_follow() {
        let v = Value::object([
            ("name", Value::String("aws".into())),
            (
                "inner",
                Value::object([(
                    "list",
                    Value::Array(vec![Value::String("x".into()), Value::String("y".into())]),
                )]),
            ),
        ]);
        let get = |p: &str| get_path(&v, &parse_path(p).unwrap());
        assert_eq!(get("name").unwrap(), Some(&Value::String("aws".into())));
        assert_eq!(
            get("inner.list[1]").unwrap(),
            Some(&Value::String("y".into()))
        );
        assert_eq!(
            get("inner.list[2]").unwrap(),
            None,
            "index past the end is unset"
        );
        assert_eq!(get("missing").unwrap(), None, "missing key is unset");
        assert_eq!(get("inner.missing[0]").unwrap(), None);
        assert!(get("name.x").is_err(), "key of a string is a type error");
        assert!(get("name[0]").is_err(), "index of a string is a type error");
    }
}
