//! The typed rule tree and its parser.
//!
//! Parsing resolves every name to a slot: parameters take slots `0..parameters.len()` in
//! declaration order, and each distinct `assign` name gets the next free slot. Names are checked
//! statically: a `ref` (or a template `{Name}`) must name a parameter or a variable assigned by an
//! earlier condition of the same rule or of an enclosing tree rule, and an `assign` may not shadow
//! a name already in scope. Because of that check, the evaluator can use one flat slot vector:
//! a slot is only ever read on a path that has just written it.

use serde_json::{Map, Value as Json};

use super::value::{PathSeg, Value, parse_path};
use super::{ParamValue, Parameter, ParameterType};

pub(crate) type Slot = usize;

/// A parsed rule set, minus the parameter declarations (kept by `RuleSet`).
#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) rules: Vec<Rule>,
    /// Number of slots: parameters first, then assigned variables.
    pub(crate) slot_count: usize,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) body: Body,
}

#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) call: Call,
    pub(crate) assign: Option<Slot>,
}

#[derive(Debug)]
pub(crate) enum Body {
    Endpoint(EndpointSpec),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
pub(crate) struct EndpointSpec {
    pub(crate) url: Expr,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
    pub(crate) properties: Vec<(String, Prop)>,
}

/// A property value: JSON whose strings are templates.
#[derive(Debug)]
pub(crate) enum Prop {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(Expr),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

#[derive(Debug)]
pub(crate) enum Expr {
    Lit(Value),
    Ref(Slot),
    Template(Vec<TemplatePart>),
    Call(Box<Call>),
    Array(Vec<Expr>),
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Lit(String),
    Var {
        slot: Slot,
        path: Vec<PathSeg>,
        /// The placeholder as written, e.g. `{PartitionResult#dnsSuffix}`, for messages.
        source: String,
    },
}

#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) func: Func,
    /// The evaluated arguments. For `getAttr` only the target; the path lives in `Func`.
    pub(crate) args: Vec<Expr>,
}

#[derive(Debug)]
pub(crate) enum Func {
    IsSet,
    Not,
    GetAttr(Vec<PathSeg>),
    StringEquals,
    BooleanEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
    Split,
    Coalesce,
    Ite,
}

impl Func {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::GetAttr(_) => "getAttr",
            Func::StringEquals => "stringEquals",
            Func::BooleanEquals => "booleanEquals",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::ParseUrl => "parseURL",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::AwsPartition => "aws.partition",
            Func::AwsParseArn => "aws.parseArn",
            Func::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Func::Split => "split",
            Func::Coalesce => "coalesce",
            Func::Ite => "ite",
        }
    }
}

/// Parses the whole document: version, parameters, rules.
pub(crate) fn parse_document(doc: &Json) -> Result<(String, Vec<Parameter>, Program), String> {
    let obj = doc
        .as_object()
        .ok_or("the rule set must be a JSON object")?;
    let version = obj
        .get("version")
        .ok_or("missing `version`")?
        .as_str()
        .ok_or("`version` must be a string")?;
    if !(version == "1" || version.starts_with("1.")) {
        return Err(format!(
            "unsupported rule set version {version:?} (this interpreter implements 1.x)"
        ));
    }
    let params_json = obj
        .get("parameters")
        .ok_or("missing `parameters`")?
        .as_object()
        .ok_or("`parameters` must be an object")?;
    let mut parameters = Vec::with_capacity(params_json.len());
    for (name, spec) in params_json {
        parameters
            .push(parse_parameter(name, spec).map_err(|e| format!("parameters.{name}: {e}"))?);
    }
    // serde_json's map order depends on a crate feature; make the slot order deterministic.
    parameters.sort_by(|a, b| a.name.cmp(&b.name));
    let mut parser = Parser {
        slot_names: parameters.iter().map(|p| p.name.clone()).collect(),
        bound: vec![true; parameters.len()],
    };
    let rules_json = obj.get("rules").ok_or("missing `rules`")?;
    let rules = parser.rules(rules_json, "rules")?;
    Ok((
        version.to_owned(),
        parameters,
        Program {
            rules,
            slot_count: parser.slot_names.len(),
        },
    ))
}

fn parse_parameter(name: &str, spec: &Json) -> Result<Parameter, String> {
    if name.is_empty() {
        return Err("empty parameter name".into());
    }
    let obj = spec.as_object().ok_or("must be an object")?;
    let opt_str = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let ty_name = opt_str("type")?.ok_or("missing `type`")?;
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => ParameterType::String,
        "boolean" => ParameterType::Boolean,
        "stringarray" => ParameterType::StringArray,
        _ => {
            return Err(format!(
                "unknown type {ty_name:?} (expected string, boolean or stringArray)"
            ));
        }
    };
    let required = match obj.get("required") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err("`required` must be a boolean".into()),
    };
    let default = match obj.get("default") {
        None | Some(Json::Null) => None,
        Some(v) => Some(
            ParamValue::from_json(v)
                .filter(|d| d.parameter_type() == ty)
                .ok_or_else(|| format!("`default` {v} is not a {ty}"))?,
        ),
    };
    let deprecated = match obj.get("deprecated") {
        None | Some(Json::Null) => None,
        Some(Json::Object(d)) => {
            let field = |k: &str| d.get(k).and_then(Json::as_str).map(str::to_owned);
            Some((field("message"), field("since")))
        }
        Some(_) => return Err("`deprecated` must be an object".into()),
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        required,
        default,
        built_in: opt_str("builtIn")?,
        documentation: opt_str("documentation")?,
        deprecated,
    })
}

struct Parser {
    /// Slot number → name.
    slot_names: Vec<String>,
    /// Slot number → whether the name is in scope at the current point.
    bound: Vec<bool>,
}

fn field<'a>(obj: &'a Map<String, Json>, key: &str, loc: &str) -> Result<&'a Json, String> {
    obj.get(key)
        .ok_or_else(|| format!("{loc}: missing `{key}`"))
}

impl Parser {
    fn slot_of(&self, name: &str) -> Option<Slot> {
        self.slot_names.iter().position(|n| n == name)
    }

    fn lookup(&self, name: &str, loc: &str) -> Result<Slot, String> {
        match self.slot_of(name) {
            Some(slot) if self.bound[slot] => Ok(slot),
            _ => Err(format!(
                "{loc}: `{name}` is neither a parameter nor assigned by an enclosing condition"
            )),
        }
    }

    fn bind(&mut self, name: &str, loc: &str) -> Result<Slot, String> {
        if name.is_empty() {
            return Err(format!("{loc}: empty `assign` name"));
        }
        match self.slot_of(name) {
            Some(slot) if self.bound[slot] => Err(format!(
                "{loc}: `assign` would shadow `{name}`, which is already in scope"
            )),
            Some(slot) => {
                self.bound[slot] = true;
                Ok(slot)
            }
            None => {
                self.slot_names.push(name.to_owned());
                self.bound.push(true);
                Ok(self.slot_names.len() - 1)
            }
        }
    }

    fn rules(&mut self, json: &Json, loc: &str) -> Result<Vec<Rule>, String> {
        let items = json
            .as_array()
            .ok_or_else(|| format!("{loc}: must be an array of rules"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, r)| self.rule(r, &format!("{loc}[{i}]")))
            .collect()
    }

    fn rule(&mut self, json: &Json, loc: &str) -> Result<Rule, String> {
        let obj = json
            .as_object()
            .ok_or_else(|| format!("{loc}: a rule must be an object"))?;
        // Variables assigned by this rule's conditions are visible in its body only.
        let scope_before = self.bound.clone();
        let result = self.rule_in_scope(obj, loc);
        for (i, bound) in self.bound.iter_mut().enumerate() {
            *bound = scope_before.get(i).copied().unwrap_or(false);
        }
        result
    }

    fn rule_in_scope(&mut self, obj: &Map<String, Json>, loc: &str) -> Result<Rule, String> {
        let kind = field(obj, "type", loc)?
            .as_str()
            .ok_or_else(|| format!("{loc}: `type` must be a string"))?;
        let conditions_json = match obj.get("conditions") {
            None => &[][..],
            Some(c) => c
                .as_array()
                .ok_or_else(|| format!("{loc}: `conditions` must be an array"))?,
        };
        let mut conditions = Vec::with_capacity(conditions_json.len());
        for (i, c) in conditions_json.iter().enumerate() {
            conditions.push(self.condition(c, &format!("{loc}.conditions[{i}]"))?);
        }
        let body = match kind {
            "endpoint" => Body::Endpoint(
                self.endpoint(field(obj, "endpoint", loc)?, &format!("{loc}.endpoint"))?,
            ),
            "error" => Body::Error(self.expr(field(obj, "error", loc)?, &format!("{loc}.error"))?),
            "tree" => Body::Tree(self.rules(field(obj, "rules", loc)?, &format!("{loc}.rules"))?),
            other => {
                return Err(format!(
                    "{loc}: unknown rule type {other:?} (expected endpoint, error or tree)"
                ));
            }
        };
        Ok(Rule { conditions, body })
    }

    fn condition(&mut self, json: &Json, loc: &str) -> Result<Condition, String> {
        let obj = json
            .as_object()
            .filter(|o| o.contains_key("fn"))
            .ok_or_else(|| format!("{loc}: a condition must be a function call object"))?;
        // The call is parsed before the name is bound: a condition cannot read its own result.
        let call = self.call(obj, loc)?;
        let assign = match obj.get("assign") {
            None => None,
            Some(Json::String(name)) => Some(self.bind(name, loc)?),
            Some(_) => return Err(format!("{loc}: `assign` must be a string")),
        };
        Ok(Condition { call, assign })
    }

    fn call(&mut self, obj: &Map<String, Json>, loc: &str) -> Result<Call, String> {
        let name = field(obj, "fn", loc)?
            .as_str()
            .ok_or_else(|| format!("{loc}: `fn` must be a string"))?;
        let loc = format!("{loc} ({name})");
        let argv = field(obj, "argv", &loc)?
            .as_array()
            .ok_or_else(|| format!("{loc}: `argv` must be an array"))?;
        let (func, arity): (Func, &[usize]) = match name {
            "isSet" => (Func::IsSet, &[1]),
            "not" => (Func::Not, &[1]),
            "getAttr" => (Func::GetAttr(Vec::new()), &[2]),
            "stringEquals" => (Func::StringEquals, &[2]),
            "booleanEquals" => (Func::BooleanEquals, &[2]),
            "substring" => (Func::Substring, &[4]),
            "uriEncode" => (Func::UriEncode, &[1]),
            "parseURL" => (Func::ParseUrl, &[1]),
            "isValidHostLabel" => (Func::IsValidHostLabel, &[2]),
            "aws.partition" => (Func::AwsPartition, &[1]),
            "aws.parseArn" => (Func::AwsParseArn, &[1]),
            "aws.isVirtualHostableS3Bucket" => (Func::AwsIsVirtualHostableS3Bucket, &[2]),
            "split" => (Func::Split, &[3]),
            "ite" => (Func::Ite, &[3]),
            "coalesce" => (Func::Coalesce, &[]),
            other => return Err(format!("{loc}: unknown function {other:?}")),
        };
        let arity_ok = match func {
            Func::Coalesce => !argv.is_empty(),
            _ => arity.contains(&argv.len()),
        };
        if !arity_ok {
            let expected = match func {
                Func::Coalesce => "at least 1".to_owned(),
                _ => arity[0].to_string(),
            };
            return Err(format!(
                "{loc}: takes {expected} argument(s), got {}",
                argv.len()
            ));
        }
        if let Func::GetAttr(_) = func {
            let path = argv[1]
                .as_str()
                .ok_or_else(|| format!("{loc}: the path must be a literal string"))?;
            let path = parse_path(path).map_err(|e| format!("{loc}: {e}"))?;
            let target = self.expr(&argv[0], &format!("{loc}.argv[0]"))?;
            return Ok(Call {
                func: Func::GetAttr(path),
                args: vec![target],
            });
        }
        let args = argv
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, &format!("{loc}.argv[{i}]")))
            .collect::<Result<_, _>>()?;
        Ok(Call { func, args })
    }

    fn expr(&mut self, json: &Json, loc: &str) -> Result<Expr, String> {
        match json {
            Json::Bool(b) => Ok(Expr::Lit(Value::Bool(*b))),
            Json::Number(n) => n
                .as_i64()
                .map(|i| Expr::Lit(Value::Int(i)))
                .ok_or_else(|| format!("{loc}: only integer numbers are supported, got {n}")),
            Json::String(s) => self.template(s, loc),
            Json::Array(items) => Ok(Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, &format!("{loc}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Json::Object(obj) if obj.contains_key("fn") => {
                if obj.contains_key("assign") {
                    return Err(format!(
                        "{loc}: `assign` is only allowed on a rule's top-level condition"
                    ));
                }
                Ok(Expr::Call(Box::new(self.call(obj, loc)?)))
            }
            Json::Object(obj) if obj.contains_key("ref") => {
                let name = obj["ref"]
                    .as_str()
                    .ok_or_else(|| format!("{loc}: `ref` must be a string"))?;
                Ok(Expr::Ref(self.lookup(name, loc)?))
            }
            Json::Object(_) => Err(format!(
                "{loc}: an object here must be a function call (`fn`) or a reference (`ref`)"
            )),
            Json::Null => Err(format!("{loc}: null is not a value")),
        }
    }

    /// A string literal, which may contain `{Name}` / `{Name#path}` placeholders; `{{` and `}}`
    /// stand for literal braces.
    fn template(&mut self, s: &str, loc: &str) -> Result<Expr, String> {
        if !s.contains(['{', '}']) {
            return Ok(Expr::Lit(Value::String(s.to_owned())));
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = s;
        while let Some(pos) = rest.find(['{', '}']) {
            lit.push_str(&rest[..pos]);
            let tail = &rest[pos..];
            if let Some(after) = tail.strip_prefix("{{") {
                lit.push('{');
                rest = after;
            } else if let Some(after) = tail.strip_prefix("}}") {
                lit.push('}');
                rest = after;
            } else if tail.starts_with('}') {
                return Err(format!("{loc}: unmatched '}}' in template {s:?}"));
            } else {
                let close = tail
                    .find('}')
                    .ok_or_else(|| format!("{loc}: unclosed '{{' in template {s:?}"))?;
                let inner = &tail[1..close];
                if inner.contains('{') {
                    return Err(format!("{loc}: nested '{{' in template {s:?}"));
                }
                if !lit.is_empty() {
                    parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                }
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (
                        name,
                        parse_path(path).map_err(|e| format!("{loc}: template {s:?}: {e}"))?,
                    ),
                    None => (inner, Vec::new()),
                };
                if name.is_empty() {
                    return Err(format!("{loc}: empty placeholder in template {s:?}"));
                }
                parts.push(TemplatePart::Var {
                    slot: self.lookup(name, loc)?,
                    path,
                    source: tail[..=close].to_owned(),
                });
                rest = &tail[close + 1..];
            }
        }
        lit.push_str(rest);
        if parts.is_empty() {
            return Ok(Expr::Lit(Value::String(lit)));
        }
        if !lit.is_empty() {
            parts.push(TemplatePart::Lit(lit));
        }
        Ok(Expr::Template(parts))
    }

    fn endpoint(&mut self, json: &Json, loc: &str) -> Result<EndpointSpec, String> {
        let obj = json
            .as_object()
            .ok_or_else(|| format!("{loc}: must be an object"))?;
        let url = self.expr(field(obj, "url", loc)?, &format!("{loc}.url"))?;
        let mut headers = Vec::new();
        match obj.get("headers") {
            None | Some(Json::Null) => {}
            Some(Json::Object(h)) => {
                for (name, values) in h {
                    let hloc = format!("{loc}.headers.{name}");
                    let values = values
                        .as_array()
                        .ok_or_else(|| format!("{hloc}: must be an array"))?;
                    let exprs = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| self.expr(v, &format!("{hloc}[{i}]")))
                        .collect::<Result<_, _>>()?;
                    headers.push((name.clone(), exprs));
                }
            }
            Some(_) => return Err(format!("{loc}.headers: must be an object")),
        }
        let properties = match obj.get("properties") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(p)) => self.prop_object(p, &format!("{loc}.properties"))?,
            Some(_) => return Err(format!("{loc}.properties: must be an object")),
        };
        Ok(EndpointSpec {
            url,
            headers,
            properties,
        })
    }

    fn prop_object(
        &mut self,
        obj: &Map<String, Json>,
        loc: &str,
    ) -> Result<Vec<(String, Prop)>, String> {
        obj.iter()
            .map(|(k, v)| Ok((k.clone(), self.prop(v, &format!("{loc}.{k}"))?)))
            .collect()
    }

    fn prop(&mut self, json: &Json, loc: &str) -> Result<Prop, String> {
        Ok(match json {
            Json::Null => Prop::Null,
            Json::Bool(b) => Prop::Bool(*b),
            Json::Number(n) => Prop::Number(n.clone()),
            Json::String(s) => Prop::Str(self.template(s, loc)?),
            Json::Array(items) => Prop::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.prop(v, &format!("{loc}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(obj) => Prop::Object(self.prop_object(obj, loc)?),
        })
    }
}
