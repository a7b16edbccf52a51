//! Endpoint resolution: an interpreter for Smithy endpoint rule sets (rules engine 1.0).
//!
//! Every AWS service ships an `endpoint-rule-set-1.json` that maps parameters such as `Region`,
//! `UseFIPS`, `UseDualStack` and `Endpoint` to a URL (plus headers and properties such as the
//! signing scheme), or to an error. [`RuleSet::from_json`] parses that document once into a typed
//! tree — names resolved to slots, templates split, `getAttr` paths parsed, function names and
//! arities checked — so [`RuleSet::resolve`] does no JSON work.
//!
//! ```
//! use awsgen_runtime::endpoint::{Params, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "string", "required": true, "builtIn": "AWS::Region"}
//!     },
//!     "rules": [
//!         {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!          "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}, "type": "endpoint"}
//!     ]
//! }"#).unwrap();
//! let endpoint = rules.resolve(&Params::new().with_str("Region", "cn-north-1")).unwrap();
//! assert_eq!(endpoint.url, "https://svc.cn-north-1.amazonaws.com.cn");
//! ```
//!
//! The standard library is complete for rules engine 1.0 plus the AWS extensions: `isSet`, `not`,
//! `getAttr`, `stringEquals`, `booleanEquals`, `substring`, `uriEncode`, `parseURL`,
//! `isValidHostLabel`, `aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`, and the
//! later `split`, `coalesce` and `ite`. Where the Smithy specification and botocore's
//! `EndpointProvider` differ in a detail, this module follows botocore, the reference the
//! project's test vectors were checked against; the submodules document each such place. Two
//! accidents of botocore's Python are not copied: its regular expressions' `$` also matches
//! before a trailing newline (so botocore accepts `"us-east-1\n"` as a host label), and an unset
//! or non-string template placeholder, which botocore crashes on or prints as `None`/`True`, is
//! an [`EndpointErrorKind::Evaluation`] error here.
//!
//! `aws.partition` uses a copy of botocore's `partitions.json` embedded in this crate.

mod eval;
pub(crate) mod partition;
mod pattern;
mod stdlib;
mod tree;
mod value;

use std::collections::BTreeMap;
use std::fmt;

/// A parsed endpoint rule set, ready to resolve endpoints.
///
/// Parse it once (for example into a `static` `OnceLock`) and call [`RuleSet::resolve`] per
/// request; it is `Send + Sync`.
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    program: tree::Program,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("version", &self.version)
            .field(
                "parameters",
                &self.parameters.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .field("rules", &self.program.rules.len())
            .finish()
    }
}

impl RuleSet {
    /// Parses the text of an `endpoint-rule-set-1.json` document.
    ///
    /// A malformed document, or one using something this interpreter does not know (an unknown
    /// function, rule type or parameter type, a reference to an unbound name, ...), is an
    /// [`EndpointErrorKind::InvalidRuleSet`] error whose message names the offending location,
    /// e.g. `rules[1].rules[0].conditions[0] (aws.partition): ...`.
    pub fn from_json(text: &str) -> Result<RuleSet, EndpointError> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            EndpointError::new(
                EndpointErrorKind::InvalidRuleSet,
                format!("invalid endpoint rule set: not valid JSON: {e}"),
            )
        })?;
        RuleSet::from_value(&doc)
    }

    /// Like [`RuleSet::from_json`], from an already-parsed JSON value.
    pub fn from_value(doc: &serde_json::Value) -> Result<RuleSet, EndpointError> {
        let (version, parameters, program) = tree::parse_document(doc).map_err(|e| {
            EndpointError::new(
                EndpointErrorKind::InvalidRuleSet,
                format!("invalid endpoint rule set: {e}"),
            )
        })?;
        Ok(RuleSet {
            version,
            parameters,
            program,
        })
    }

    /// The rule set's `version` (for example `"1.0"`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameters, sorted by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The declared parameter called `name`, if any.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Resolves the endpoint for `params`.
    ///
    /// Parameters the caller leaves out take the rule set's `default`; a `required` parameter
    /// with neither a value nor a default is an [`EndpointErrorKind::InvalidParams`] error
    /// (`Cannot find value for required parameter <name>`, botocore's wording), as is a value of
    /// the wrong type. Values for names the rule set does not declare are ignored. An `error`
    /// rule that applies gives an [`EndpointErrorKind::Rule`] error whose `Display` is exactly
    /// the rule's message.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        let mut scope: eval::Scope = vec![None; self.program.slot_count];
        for (slot, decl) in self.parameters.iter().enumerate() {
            let value = match params.get(&decl.name) {
                Some(given) if given.parameter_type() != decl.ty => {
                    return Err(EndpointError::new(
                        EndpointErrorKind::InvalidParams,
                        format!(
                            "Value ({}) is the wrong type: expected {}, got {}",
                            decl.name,
                            decl.ty,
                            given.parameter_type()
                        ),
                    ));
                }
                Some(given) => Some(given),
                None => decl.default.as_ref(),
            };
            match value {
                Some(v) => scope[slot] = Some(v.to_value()),
                None if decl.required => {
                    return Err(EndpointError::new(
                        EndpointErrorKind::InvalidParams,
                        format!("Cannot find value for required parameter {}", decl.name),
                    ));
                }
                None => {}
            }
        }
        match eval::run(&self.program, &mut scope)? {
            Some(endpoint) => Ok(endpoint),
            None => Err(EndpointError::new(
                EndpointErrorKind::NoMatch,
                format!("No endpoint found for parameters: {params}"),
            )),
        }
    }
}

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `"string"`.
    String,
    /// `"boolean"`.
    Boolean,
    /// `"stringArray"`: a list of strings.
    StringArray,
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringArray => "stringArray",
        })
    }
}

/// A parameter declaration of a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    name: String,
    ty: ParameterType,
    required: bool,
    default: Option<ParamValue>,
    built_in: Option<String>,
    documentation: Option<String>,
    /// `(message, since)` of a `deprecated` object.
    deprecated: Option<(Option<String>, Option<String>)>,
}

impl Parameter {
    /// The parameter's name, e.g. `Region`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared type.
    pub fn parameter_type(&self) -> ParameterType {
        self.ty
    }

    /// Whether the rule set marks it `required` (a default then always supplies it).
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// The `default` value, if declared.
    pub fn default_value(&self) -> Option<&ParamValue> {
        self.default.as_ref()
    }

    /// The `builtIn` binding, e.g. `AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// The `documentation` text.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// Whether the parameter is marked `deprecated`.
    pub fn is_deprecated(&self) -> bool {
        self.deprecated.is_some()
    }

    /// The deprecation message, if the parameter is deprecated and says why.
    pub fn deprecation_message(&self) -> Option<&str> {
        self.deprecated.as_ref().and_then(|(m, _)| m.as_deref())
    }

    /// Since when the parameter is deprecated, if it says.
    pub fn deprecated_since(&self) -> Option<&str> {
        self.deprecated.as_ref().and_then(|(_, s)| s.as_deref())
    }
}

/// The value of one endpoint parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamValue {
    /// A `string` parameter.
    String(String),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The parameter type this value fits.
    pub fn parameter_type(&self) -> ParameterType {
        match self {
            ParamValue::String(_) => ParameterType::String,
            ParamValue::Bool(_) => ParameterType::Boolean,
            ParamValue::StringArray(_) => ParameterType::StringArray,
        }
    }

    /// Converts a JSON string, boolean or array of strings; `None` for anything else.
    pub fn from_json(json: &serde_json::Value) -> Option<ParamValue> {
        match json {
            serde_json::Value::String(s) => Some(ParamValue::String(s.clone())),
            serde_json::Value::Bool(b) => Some(ParamValue::Bool(*b)),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringArray),
            _ => None,
        }
    }

    fn to_value(&self) -> value::Value {
        match self {
            ParamValue::String(s) => value::Value::String(s.clone()),
            ParamValue::Bool(b) => value::Value::Bool(*b),
            ParamValue::StringArray(items) => value::Value::Array(
                items
                    .iter()
                    .map(|s| value::Value::String(s.clone()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::String(s) => write!(f, "{s:?}"),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::StringArray(items) => write!(f, "{items:?}"),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(items: Vec<String>) -> Self {
        ParamValue::StringArray(items)
    }
}

/// Parameter values for one resolution, by parameter name.
///
/// ```
/// use awsgen_runtime::endpoint::Params;
/// let params = Params::new().with_str("Region", "us-east-1").with_bool("UseFIPS", true);
/// assert_eq!(params.get("UseFIPS").map(ToString::to_string).as_deref(), Some("true"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No values: every parameter takes its default, if any.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `name` to a string.
    pub fn with_str(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(name, ParamValue::String(value.into()))
    }

    /// Sets `name` to a boolean.
    pub fn with_bool(self, name: impl Into<String>, value: bool) -> Self {
        self.with(name, ParamValue::Bool(value))
    }

    /// Sets `name` to a list of strings.
    pub fn with_string_array<I, S>(self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.with(
            name,
            ParamValue::StringArray(values.into_iter().map(Into::into).collect()),
        )
    }

    /// Sets `name` to `value`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets `name` to `value` in place.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Removes the value of `name`, returning it.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        self.values.remove(name)
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.get(name)
    }

    /// The set values, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Reads a JSON object of names to strings, booleans or arrays of strings (the `params` of
    /// an endpoint test case). Anything else is an [`EndpointErrorKind::InvalidParams`] error.
    pub fn from_json(json: &serde_json::Value) -> Result<Params, EndpointError> {
        let invalid = |msg: String| EndpointError::new(EndpointErrorKind::InvalidParams, msg);
        let obj = json
            .as_object()
            .ok_or_else(|| invalid("endpoint parameters must be a JSON object".into()))?;
        let mut params = Params::new();
        for (name, v) in obj {
            let value = ParamValue::from_json(v).ok_or_else(|| {
                invalid(format!(
                    "parameter {name}: {v} is not a string, boolean or array of strings"
                ))
            })?;
            params.set(name.clone(), value);
        }
        Ok(params)
    }
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k}: {v}")?;
        }
        f.write_str("}")
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The URL to send the request to, e.g. `https://qbusiness.us-east-1.api.aws`.
    pub url: String,
    /// Headers to add to the request, each with one or more values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Free-form properties; `authSchemes` (see [`Endpoint::auth_schemes`]) is the one SDKs use.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

impl Endpoint {
    /// The entries of the `authSchemes` property, in preference order. Entries that are not
    /// objects with a string `name` are skipped; no `authSchemes` gives an empty list (the
    /// caller then signs with the service's defaults).
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        let Some(serde_json::Value::Array(schemes)) = self.properties.get("authSchemes") else {
            return Vec::new();
        };
        schemes
            .iter()
            .filter_map(|s| {
                let obj = s.as_object()?;
                let text = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                Some(AuthScheme {
                    name: text("name")?,
                    signing_name: text("signingName"),
                    signing_region: text("signingRegion"),
                    signing_region_set: obj
                        .get("signingRegionSet")
                        .and_then(|v| v.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|r| r.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    disable_double_encoding: obj
                        .get("disableDoubleEncoding")
                        .and_then(|v| v.as_bool()),
                    properties: obj.clone(),
                })
            })
            .collect()
    }
}

/// One entry of an endpoint's `authSchemes` property.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct AuthScheme {
    /// The scheme, e.g. `sigv4` or `sigv4a`.
    pub name: String,
    /// `signingName`: the service name to sign with, if it overrides the default.
    pub signing_name: Option<String>,
    /// `signingRegion`: the region to sign with (SigV4), if it overrides the default.
    pub signing_region: Option<String>,
    /// `signingRegionSet`: the regions to sign for (SigV4a).
    pub signing_region_set: Vec<String>,
    /// `disableDoubleEncoding`, if given.
    pub disable_double_encoding: Option<bool>,
    /// The whole entry, for fields not modelled above.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// What went wrong in [`RuleSet::from_json`] or [`RuleSet::resolve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An `error` rule applied; the message is the rule's own text.
    Rule,
    /// The rule set is malformed or uses something unsupported.
    InvalidRuleSet,
    /// A parameter value is missing or of the wrong type.
    InvalidParams,
    /// Evaluation hit a type mismatch or unset value the rule set should have guarded against.
    Evaluation,
    /// No rule applied to the parameters.
    NoMatch,
    /// Endpoint discovery (the service's `DescribeEndpoints`) gave no endpoint for an
    /// operation that requires one, or failed; see [`crate::discovery`].
    Discovery,
}

/// An endpoint resolution (or rule-set parsing) error. `Display` is the message alone; for an
/// error rule that is exactly the rule set's text, e.g.
/// `Invalid Configuration: FIPS and custom endpoint are not supported`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

impl EndpointError {
    pub(crate) fn new(kind: EndpointErrorKind, message: String) -> Self {
        EndpointError { kind, message }
    }

    /// The kind of failure.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

#[cfg(test)]
mod tests;
