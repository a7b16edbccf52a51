//! Evaluation of a parsed rule tree.
//!
//! Semantics (rules engine 1.0, as botocore's `EndpointProvider` implements them):
//! - rules are tried in order; a rule applies when each condition, in order, yields a value that
//!   is neither unset nor `false` (later conditions are not evaluated once one fails);
//! - a condition's `assign` binds its result (even an unset one) for the rest of the rule;
//! - an endpoint rule yields the endpoint, an error rule fails resolution with its message, and a
//!   tree rule tries its sub-rules; if none applies, evaluation continues after the tree rule.
//!
//! Unset arguments, function by function (botocore's behaviour): `isSet` and `coalesce` take
//! them as values; `not` of unset is `true`; `getAttr`, `uriEncode`, `parseURL`, `aws.parseArn`
//! and `split` of unset are unset; `isValidHostLabel` and `aws.isVirtualHostableS3Bucket` of
//! unset are `false`; `aws.partition` of unset is the `aws` partition; `ite` treats an unset
//! condition as `false`; `stringEquals`, `booleanEquals` and `substring` reject unset input with
//! an evaluation error (a well-formed rule set guards them with `isSet`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::partition::Partitions;
use super::stdlib;
use super::tree::{Body, Call, EndpointSpec, Expr, Func, Program, Prop, Rule, TemplatePart};
use super::value::{PathSeg, Value, get_path, path_to_string};
use super::{Endpoint, EndpointError, EndpointErrorKind};

/// Variable storage: one slot per parameter, then one per assigned name.
pub(crate) type Scope = Vec<Option<Value>>;

type Eval<'a> = Result<Option<Cow<'a, Value>>, EndpointError>;

fn eval_error(message: String) -> EndpointError {
    EndpointError::new(EndpointErrorKind::Evaluation, message)
}

/// Runs the rules; `Ok(None)` when no rule applies.
pub(crate) fn run(program: &Program, scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    eval_rules(&program.rules, scope)
}

fn eval_rules(rules: &[Rule], scope: &mut Scope) -> Result<Option<Endpoint>, EndpointError> {
    'rules: for rule in rules {
        for cond in &rule.conditions {
            let result = eval_call(&cond.call, scope)?;
            let holds = !matches!(result.as_deref(), None | Some(Value::Bool(false)));
            if let Some(slot) = cond.assign {
                let value = result.map(Cow::into_owned);
                scope[slot] = value;
            }
            if !holds {
                continue 'rules;
            }
        }
        match &rule.body {
            Body::Endpoint(spec) => return build_endpoint(spec, scope).map(Some),
            Body::Error(message) => {
                let message = eval_string(message, scope, "the error message")?;
                return Err(EndpointError::new(EndpointErrorKind::Rule, message));
            }
            Body::Tree(rules) => {
                if let Some(endpoint) = eval_rules(rules, scope)? {
                    return Ok(Some(endpoint));
                }
            }
        }
    }
    Ok(None)
}

fn build_endpoint(spec: &EndpointSpec, scope: &Scope) -> Result<Endpoint, EndpointError> {
    let url = eval_string(&spec.url, scope, "the endpoint url")?;
    let mut headers = BTreeMap::new();
    for (name, exprs) in &spec.headers {
        let values = exprs
            .iter()
            .map(|e| eval_string(e, scope, "a header value"))
            .collect::<Result<Vec<_>, _>>()?;
        headers.insert(name.clone(), values);
    }
    let mut properties = serde_json::Map::new();
    for (name, prop) in &spec.properties {
        properties.insert(name.clone(), eval_prop(prop, scope)?);
    }
    Ok(Endpoint {
        url,
        headers,
        properties,
    })
}

fn eval_prop(prop: &Prop, scope: &Scope) -> Result<serde_json::Value, EndpointError> {
    Ok(match prop {
        Prop::Null => serde_json::Value::Null,
        Prop::Bool(b) => serde_json::Value::Bool(*b),
        Prop::Number(n) => serde_json::Value::Number(n.clone()),
        Prop::Str(e) => serde_json::Value::String(eval_string(e, scope, "a property value")?),
        Prop::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|p| eval_prop(p, scope))
                .collect::<Result<_, _>>()?,
        ),
        Prop::Object(fields) => serde_json::Value::Object(
            fields
                .iter()
                .map(|(k, p)| Ok((k.clone(), eval_prop(p, scope)?)))
                .collect::<Result<_, EndpointError>>()?,
        ),
    })
}

/// Evaluates an expression that must produce a string.
fn eval_string(expr: &Expr, scope: &Scope, what: &str) -> Result<String, EndpointError> {
    match eval(expr, scope)? {
        Some(v) => match v.into_owned() {
            Value::String(s) => Ok(s),
            other => Err(eval_error(format!(
                "{what} must be a string, got the {} {other}",
                other.type_name()
            ))),
        },
        None => Err(eval_error(format!("{what} is unset"))),
    }
}

fn eval<'a>(expr: &'a Expr, scope: &'a [Option<Value>]) -> Eval<'a> {
    match expr {
        Expr::Lit(v) => Ok(Some(Cow::Borrowed(v))),
        Expr::Ref(slot) => Ok(scope[*slot].as_ref().map(Cow::Borrowed)),
        Expr::Template(parts) => Ok(Some(Cow::Owned(Value::String(render(parts, scope)?)))),
        Expr::Call(call) => eval_call(call, scope),
        Expr::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let v = eval(item, scope)?
                    .ok_or_else(|| eval_error(format!("array element {i} is unset")))?;
                out.push(v.into_owned());
            }
            Ok(Some(Cow::Owned(Value::Array(out))))
        }
    }
}

fn render(parts: &[TemplatePart], scope: &[Option<Value>]) -> Result<String, EndpointError> {
    let mut out = String::new();
    for part in parts {
        match part {
            TemplatePart::Lit(s) => out.push_str(s),
            TemplatePart::Var { slot, path, source } => {
                let value = match &scope[*slot] {
                    Some(v) => get_path(v, path)
                        .map_err(|e| eval_error(format!("template placeholder {source}: {e}")))?,
                    None => None,
                };
                match value {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(other) => {
                        return Err(eval_error(format!(
                            "template placeholder {source} is a {}, not a string",
                            other.type_name()
                        )));
                    }
                    None => {
                        return Err(eval_error(format!(
                            "template placeholder {source} is unset"
                        )));
                    }
                }
            }
        }
    }
    Ok(out)
}

fn owned<'a>(v: Value) -> Eval<'a> {
    Ok(Some(Cow::Owned(v)))
}

fn boolean<'a>(b: bool) -> Eval<'a> {
    owned(Value::Bool(b))
}

fn string<'a>(s: impl Into<String>) -> Eval<'a> {
    owned(Value::String(s.into()))
}

fn type_error(call: &Call, i: usize, expected: &str, got: Option<&Value>) -> EndpointError {
    let got = match got {
        Some(v) => format!("the {} {v}", v.type_name()),
        None => "an unset value".to_owned(),
    };
    eval_error(format!(
        "{}: argument {} must be a {expected}, got {got}",
        call.func.name(),
        i + 1
    ))
}

fn as_str<'v>(call: &Call, i: usize, v: Option<&'v Value>) -> Result<&'v str, EndpointError> {
    match v {
        Some(Value::String(s)) => Ok(s),
        other => Err(type_error(call, i, "string", other)),
    }
}

fn as_bool(call: &Call, i: usize, v: Option<&Value>) -> Result<bool, EndpointError> {
    match v {
        Some(Value::Bool(b)) => Ok(*b),
        other => Err(type_error(call, i, "boolean", other)),
    }
}

fn as_int(call: &Call, i: usize, v: Option<&Value>) -> Result<i64, EndpointError> {
    match v {
        Some(Value::Int(n)) => Ok(*n),
        other => Err(type_error(call, i, "integer", other)),
    }
}

/// A string argument that may be unset (for the functions that map unset to a result).
fn opt_str<'v>(
    call: &Call,
    i: usize,
    v: Option<&'v Value>,
) -> Result<Option<&'v str>, EndpointError> {
    v.map(|v| as_str(call, i, Some(v))).transpose()
}

fn eval_call<'a>(call: &'a Call, scope: &'a [Option<Value>]) -> Eval<'a> {
    let arg = |i: usize| eval(&call.args[i], scope);
    match &call.func {
        Func::IsSet => boolean(arg(0)?.is_some()),
        Func::Not => match arg(0)?.as_deref() {
            None => boolean(true),
            Some(Value::Bool(b)) => boolean(!b),
            other => Err(type_error(call, 0, "boolean", other)),
        },
        Func::GetAttr(path) => {
            fn lookup<'v>(
                v: &'v Value,
                path: &[PathSeg],
            ) -> Result<Option<&'v Value>, EndpointError> {
                get_path(v, path)
                    .map_err(|e| eval_error(format!("getAttr({:?}): {e}", path_to_string(path))))
            }
            match arg(0)? {
                None => Ok(None),
                Some(Cow::Borrowed(v)) => Ok(lookup(v, path)?.map(Cow::Borrowed)),
                Some(Cow::Owned(v)) => Ok(lookup(&v, path)?.cloned().map(Cow::Owned)),
            }
        }
        Func::StringEquals => {
            let (a, b) = (arg(0)?, arg(1)?);
            let a = as_str(call, 0, a.as_deref())?;
            let b = as_str(call, 1, b.as_deref())?;
            boolean(a == b)
        }
        Func::BooleanEquals => {
            let (a, b) = (arg(0)?, arg(1)?);
            let a = as_bool(call, 0, a.as_deref())?;
            let b = as_bool(call, 1, b.as_deref())?;
            boolean(a == b)
        }
        Func::Substring => {
            let input = arg(0)?;
            let input = as_str(call, 0, input.as_deref())?;
            let start = as_int(call, 1, arg(1)?.as_deref())?;
            let stop = as_int(call, 2, arg(2)?.as_deref())?;
            let reverse = as_bool(call, 3, arg(3)?.as_deref())?;
            // Negative indices have no meaning in the spec; they give unset.
            let (Ok(start), Ok(stop)) = (usize::try_from(start), usize::try_from(stop)) else {
                return Ok(None);
            };
            match stdlib::substring(input, start, stop, reverse) {
                Some(s) => string(s),
                None => Ok(None),
            }
        }
        Func::UriEncode => {
            let input = arg(0)?;
            match opt_str(call, 0, input.as_deref())? {
                Some(s) => string(stdlib::uri_encode(s)),
                None => Ok(None),
            }
        }
        Func::ParseUrl => {
            let input = arg(0)?;
            let Some(url) = opt_str(call, 0, input.as_deref())?.and_then(stdlib::parse_url) else {
                return Ok(None);
            };
            owned(Value::object([
                ("scheme", Value::String(url.scheme)),
                ("authority", Value::String(url.authority)),
                ("path", Value::String(url.path)),
                ("normalizedPath", Value::String(url.normalized_path)),
                ("isIp", Value::Bool(url.is_ip)),
            ]))
        }
        Func::IsValidHostLabel | Func::AwsIsVirtualHostableS3Bucket => {
            let input = arg(0)?;
            let input = opt_str(call, 0, input.as_deref())?;
            let allow_subdomains = match arg(1)?.as_deref() {
                None => false,
                v => as_bool(call, 1, v)?,
            };
            let check = match call.func {
                Func::IsValidHostLabel => stdlib::is_valid_host_label,
                _ => stdlib::is_virtual_hostable_s3_bucket,
            };
            boolean(input.is_some_and(|s| check(s, allow_subdomains)))
        }
        Func::AwsPartition => {
            let input = arg(0)?;
            let region = opt_str(call, 0, input.as_deref())?;
            let partitions = Partitions::embedded().map_err(eval_error)?;
            let partition = match region {
                Some(region) => partitions.resolve(region),
                // botocore answers the default partition for an unset region.
                None => partitions.resolve(""),
            };
            owned(Value::Object(partition.outputs.clone()))
        }
        Func::AwsParseArn => {
            let input = arg(0)?;
            let Some(arn) = opt_str(call, 0, input.as_deref())?.and_then(stdlib::parse_arn) else {
                return Ok(None);
            };
            owned(Value::object([
                ("partition", Value::String(arn.partition.into())),
                ("service", Value::String(arn.service.into())),
                ("region", Value::String(arn.region.into())),
                ("accountId", Value::String(arn.account_id.into())),
                (
                    "resourceId",
                    Value::Array(
                        arn.resource_id
                            .into_iter()
                            .map(|s| Value::String(s.into()))
                            .collect(),
                    ),
                ),
            ]))
        }
        Func::Split => {
            let input = arg(0)?;
            let Some(input) = opt_str(call, 0, input.as_deref())? else {
                return Ok(None);
            };
            let delimiter = arg(1)?;
            let delimiter = as_str(call, 1, delimiter.as_deref())?;
            if delimiter.is_empty() {
                return Err(eval_error("split: the delimiter must not be empty".into()));
            }
            let limit = as_int(call, 2, arg(2)?.as_deref())?;
            let limit = usize::try_from(limit)
                .map_err(|_| eval_error(format!("split: negative limit {limit}")))?;
            owned(Value::Array(
                stdlib::split(input, delimiter, limit)
                    .into_iter()
                    .map(|s| Value::String(s.into()))
                    .collect(),
            ))
        }
        Func::Coalesce => {
            for i in 0..call.args.len() {
                if let Some(v) = arg(i)? {
                    return Ok(Some(v));
                }
            }
            Ok(None)
        }
        Func::Ite => {
            let condition = match arg(0)?.as_deref() {
                None => false,
                v => as_bool(call, 0, v)?,
            };
            arg(if condition { 1 } else { 2 })
        }
    }
}
