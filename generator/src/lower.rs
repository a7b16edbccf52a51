//! Stage 2: validate the raw model and lower it to the IR.
//!
//! Every problem is collected with the file and JSON path it concerns, and all of them are
//! reported together, so that fixing a model (or the generator) takes one run, not one run per
//! mistake.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ir::*;
use crate::model::{OrderedMap, RawMember, RawOperation, RawService, RawShape, ServiceFiles};

/// One problem found in a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// Where in the file, e.g. `shapes.ImportJobData.members.status`.
    pub json_path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.json_path,
            self.message
        )
    }
}

/// Every problem found in one service, in the order found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in the model",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            write!(f, "\n  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Keys that only matter to protocols this generator does not emit (XML, query) or to
/// documentation and tooling; accepted and ignored wherever they appear.
const IGNORED_KEYS: &[&str] = &[
    "documentationUrl",
    "flattened",
    // On shapes and shape references: the XML element name (rest-xml, query).
    "locationName",
    "wrapper",
    "xmlAttribute",
    "xmlNamespace",
    "xmlOrder",
    "queryName",
    "resultWrapper",
];

/// Validates `files` and lowers them to the IR, or returns every problem found.
pub fn lower(files: &ServiceFiles) -> Result<Service, Diagnostics> {
    let mut lowerer = Lowerer {
        raw: &files.service.content,
        file: &files.service.path,
        diagnostics: Vec::new(),
        default_signing: Signing::SigV4,
    };
    let service = lowerer.service(files);
    let mut diagnostics = lowerer.diagnostics;
    if let Some(paginators) = &files.paginators {
        let mut checker = PaginatorLowerer {
            file: &paginators.path,
            service: &service,
            diagnostics: &mut diagnostics,
        };
        let lowered = checker.paginators(&paginators.content.pagination);
        if diagnostics.is_empty() {
            let mut service = service;
            service.paginators = lowered;
            return Ok(service);
        }
    }
    if diagnostics.is_empty() {
        Ok(service)
    } else {
        Err(Diagnostics(diagnostics))
    }
}

/// An auth scheme botocore implements without CRT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AuthScheme {
    NoAuth,
    SigV4,
    Bearer,
}

struct Lowerer<'a> {
    raw: &'a RawService,
    file: &'a Path,
    diagnostics: Vec<Diagnostic>,
    /// How operations without `auth` or `authtype` are signed: the service's `auth` list,
    /// else its `signatureVersion` (botocore's `ClientCreator.create_client`).
    default_signing: Signing,
}

impl Lowerer<'_> {
    fn error(&mut self, json_path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_path_buf(),
            json_path: json_path.into(),
            message: message.into(),
        });
    }

    fn unknown_keys(&mut self, path: &str, unknown: &BTreeMap<String, Value>) {
        for key in unknown.keys() {
            if !IGNORED_KEYS.contains(&key.as_str()) {
                self.error(
                    format!("{path}.{key}"),
                    format!("unsupported trait \"{key}\""),
                );
            }
        }
    }

    fn service(&mut self, files: &ServiceFiles) -> Service {
        let raw = self.raw;
        for key in raw.unknown.keys() {
            // `version` is the model format's version ("2.0"); `deprecatedMessage` goes with the
            // whole-service `deprecated` flag (chime). Nothing to generate from either.
            if key != "version" && key != "deprecatedMessage" {
                self.error(key.clone(), format!("unsupported trait \"{key}\""));
            }
        }
        let metadata = self.metadata();
        self.duplicates("shapes", &raw.shapes);
        self.duplicates("operations", &raw.operations);

        let mut shapes = BTreeMap::new();
        for (model_index, (name, shape)) in raw.shapes.iter().enumerate() {
            if let Some(shape) = self.shape(name, shape, model_index) {
                shapes.entry(ShapeId(name.clone())).or_insert(shape);
            }
        }
        let operations: Vec<Operation> = raw
            .operations
            .iter()
            .filter_map(|(name, operation)| self.operation(name, operation))
            .collect();
        let endpoint_operation = self.endpoint_operation(&operations);
        box_recursive_members(&mut shapes);
        Service {
            name: files.name.clone(),
            metadata,
            docs: raw.documentation.clone(),
            shapes,
            operations,
            paginators: Vec::new(),
            endpoint_rule_set: files.endpoint_rule_set.as_ref().map(|f| f.content.clone()),
            endpoint_operation,
        }
    }

    /// botocore's `ServiceModel.endpoint_discovery_operation`: the first operation marked
    /// `endpointoperation`, checked to have the input and output `EndpointDiscoveryManager`
    /// reads when an operation has `endpointdiscovery` (else `None`).
    fn endpoint_operation(&mut self, operations: &[Operation]) -> Option<EndpointOperation> {
        let raw = self.raw;
        let mut marked = None;
        for (name, operation) in raw.operations.iter() {
            match operation.unknown.get("endpointoperation") {
                None | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => {
                    marked.get_or_insert(name);
                }
                Some(_) => self.error(
                    format!("operations.{name}.endpointoperation"),
                    "expected a boolean",
                ),
            }
        }
        // Without an operation that uses discovery the marked one is never called; without a
        // marked one, botocore registers no discovery at all and sends every operation to the
        // normal endpoint (`_register_endpoint_discovery`), and so do we.
        let name =
            marked.filter(|_| operations.iter().any(|op| op.endpoint_discovery.is_some()))?;
        let path = format!("operations.{name}");
        let operation = raw.operations.get(name)?;
        let shape_type = |name: &str| raw.shapes.get(name).map(|s| s.shape_type.as_str());
        let member = |shape: &str, member: &str| -> Option<String> {
            let members = raw.shapes.get(shape)?.members.as_ref()?;
            Some(members.get(member)?.shape.clone())
        };
        let is_string_map = |shape: &str| {
            let raw_shape = raw.shapes.get(shape);
            raw_shape.is_some_and(|s| s.shape_type == "map")
                && [
                    raw_shape.and_then(|s| s.key.as_ref()),
                    raw_shape.and_then(|s| s.value.as_ref()),
                ]
                .iter()
                .all(|m| {
                    m.is_some_and(|m| {
                        raw.shapes
                            .get(&m.shape)
                            .is_some_and(|t| t.shape_type == "string" && t.enum_values.is_none())
                    })
                })
        };
        let is_string = |shape: &str| {
            raw.shapes
                .get(shape)
                .is_some_and(|t| t.shape_type == "string" && t.enum_values.is_none())
        };
        let input = operation.input.as_ref().map(|i| i.shape.as_str());
        let operation_member = input.and_then(|i| member(i, "Operation"));
        let identifiers_member = input.and_then(|i| member(i, "Identifiers"));
        if operation_member.as_deref().is_some_and(|t| !is_string(t)) {
            self.error(
                format!("{path}.input"),
                "the endpoint operation's Operation member must be a string",
            );
        }
        if identifiers_member
            .as_deref()
            .is_some_and(|t| !is_string_map(t))
        {
            self.error(
                format!("{path}.input"),
                "the endpoint operation's Identifiers member must be a map of strings to strings",
            );
        }
        let output_ok = (|| {
            let output = operation.output.as_ref()?;
            let list = member(&output.shape, "Endpoints")?;
            let raw_list = raw.shapes.get(&list).filter(|s| s.shape_type == "list")?;
            let element = &raw_list.member.as_ref()?.shape;
            let address = member(element, "Address")?;
            let period = member(element, "CachePeriodInMinutes")?;
            (shape_type(element) == Some("structure")
                && is_string(&address)
                && matches!(shape_type(&period), Some("long" | "integer")))
            .then_some(())
        })();
        if output_ok.is_none() {
            self.error(
                format!("{path}.output"),
                "the endpoint operation's output must have Endpoints, a list of structures with \
                 Address (string) and CachePeriodInMinutes (long or integer)",
            );
        }
        Some(EndpointOperation {
            operation: name.clone(),
            sends_operation: operation_member.is_some(),
            sends_identifiers: identifiers_member.is_some(),
        })
    }

    /// `endpointdiscoveryid` members reachable from `shape` through structure members, as
    /// botocore's `EndpointDiscoveryModel._gather_ids` finds them.
    fn discovery_identifiers(
        &mut self,
        shape: &str,
        prefix: &mut Vec<String>,
        out: &mut Vec<MemberPath>,
    ) {
        let raw = self.raw;
        let Some(members) = raw.shapes.get(shape).and_then(|s| s.members.as_ref()) else {
            return;
        };
        for (name, member) in members.iter() {
            let target = raw.shapes.get(&member.shape);
            let marked = member.unknown.get("endpointdiscoveryid");
            if let Some(marked) = marked {
                if marked.as_bool() != Some(true) {
                    self.error(
                        format!("shapes.{shape}.members.{name}.endpointdiscoveryid"),
                        "expected true",
                    );
                    continue;
                }
                if target.is_none_or(|t| t.shape_type != "string") {
                    self.error(
                        format!("shapes.{shape}.members.{name}.endpointdiscoveryid"),
                        "unsupported: an endpoint discovery identifier must be a string",
                    );
                    continue;
                }
                let mut segments = prefix.clone();
                segments.push(name.clone());
                out.push(MemberPath(segments));
            } else if target.is_some_and(|t| t.shape_type == "structure")
                // A structure that contains itself is searched once.
                && !prefix.iter().any(|p| p == name)
                && prefix.len() < 16
            {
                prefix.push(name.clone());
                self.discovery_identifiers(&member.shape, prefix, out);
                prefix.pop();
            }
        }
    }

    fn duplicates<V>(&mut self, path: &str, map: &OrderedMap<V>) {
        let mut seen = BTreeSet::new();
        for (name, _) in map.iter() {
            if !seen.insert(name) {
                self.error(
                    format!("{path}.{name}"),
                    format!("duplicate name \"{name}\""),
                );
            }
        }
    }

    fn metadata(&mut self) -> Metadata {
        let raw = &self.raw.metadata;
        self.unknown_keys_metadata(&raw.unknown);
        // botocore picks the first protocol it supports from `protocols` (falling back to
        // `protocol`); of its protocols we support json and rest-json.
        let candidates = raw
            .protocols
            .clone()
            .unwrap_or_else(|| vec![raw.protocol.clone()]);
        let chosen = candidates
            .iter()
            .find(|p| matches!(p.as_str(), "json" | "rest-json"));
        let protocol = match chosen.map(String::as_str) {
            Some("rest-json") => Protocol::RestJson,
            Some(_) => match (&raw.json_version, &raw.target_prefix) {
                (Some(version), Some(target_prefix)) if version == "1.0" || version == "1.1" => {
                    Protocol::AwsJson {
                        version: version.clone(),
                        target_prefix: target_prefix.clone(),
                    }
                }
                (None, _) => {
                    self.error(
                        "metadata.jsonVersion",
                        "the json protocol needs a jsonVersion",
                    );
                    Protocol::RestJson
                }
                (Some(version), Some(_)) => {
                    self.error(
                        "metadata.jsonVersion",
                        format!("unsupported jsonVersion \"{version}\" (expected 1.0 or 1.1)"),
                    );
                    Protocol::RestJson
                }
                (Some(_), None) => {
                    self.error(
                        "metadata.targetPrefix",
                        "the json protocol needs a targetPrefix",
                    );
                    Protocol::RestJson
                }
            },
            _ => {
                self.error(
                    "metadata.protocol",
                    format!(
                        "unsupported protocol \"{}\" (supported: json, rest-json)",
                        candidates.join(", ")
                    ),
                );
                Protocol::RestJson
            }
        };
        // botocore's `create_client`: the service's `auth` list if it has one, else its
        // `signatureVersion`.
        self.default_signing = match raw.unknown.get("auth") {
            Some(auth) => match self.auth_schemes("metadata.auth", auth) {
                Some(AuthScheme::NoAuth) => Signing::Anonymous,
                Some(AuthScheme::Bearer) => Signing::Bearer,
                Some(AuthScheme::SigV4) | None => Signing::SigV4,
            },
            None => match raw.signature_version.as_str() {
                "v4" => Signing::SigV4,
                "bearer" => Signing::Bearer,
                other => {
                    self.error(
                        "metadata.signatureVersion",
                        format!("unsupported signatureVersion \"{other}\" (supported: v4, bearer)"),
                    );
                    Signing::SigV4
                }
            },
        };
        let mut h2_event_streams = false;
        for (key, value) in &raw.protocol_settings {
            match (key.as_str(), value.as_str()) {
                ("h2", "eventstream") => h2_event_streams = true,
                ("h2", "optional") => {}
                _ => self.error(
                    format!("metadata.protocolSettings.{key}"),
                    format!("unsupported protocol setting {key} = \"{value}\""),
                ),
            }
        }
        Metadata {
            api_version: raw.api_version.clone(),
            protocol,
            endpoint_prefix: raw.endpoint_prefix.clone(),
            signing_name: raw
                .signing_name
                .clone()
                .unwrap_or_else(|| raw.endpoint_prefix.clone()),
            service_id: raw.service_id.clone(),
            full_name: raw.service_full_name.clone(),
            h2_event_streams,
            query_compatible: raw.unknown.contains_key("awsQueryCompatible"),
        }
    }

    fn unknown_keys_metadata(&mut self, unknown: &BTreeMap<String, Value>) {
        // Identity and bookkeeping keys that do not change what we generate. The service-wide
        // `auth` list is read by `metadata` (the signing of operations without their own);
        // `awsQueryCompatible` is lowered into `Metadata::query_compatible`.
        const KNOWN: &[&str] = &[
            "auth",
            "ripServiceName",
            "globalEndpoint",
            "checksumFormat",
            "awsQueryCompatible",
        ];
        for key in unknown.keys() {
            if !KNOWN.contains(&key.as_str()) && !IGNORED_KEYS.contains(&key.as_str()) {
                self.error(
                    format!("metadata.{key}"),
                    format!("unsupported trait \"{key}\""),
                );
            }
        }
    }

    fn shape_ref(&mut self, path: &str, target: &str) -> Option<ShapeId> {
        if self.raw.shapes.get(target).is_some() {
            Some(ShapeId(target.to_string()))
        } else {
            self.error(path.to_string(), format!("unknown shape \"{target}\""));
            None
        }
    }

    fn shape(&mut self, name: &str, raw: &RawShape, model_index: usize) -> Option<Shape> {
        let path = format!("shapes.{name}");
        let mut traits = raw.unknown.clone();
        // Older models put `location` on the target shape; members read it from there.
        traits.remove("location");
        self.unknown_keys(&path, &traits);
        let kind = self.shape_kind(&path, name, raw)?;
        let error = self.error_trait(&path, name, raw, &kind);
        Some(Shape {
            id: ShapeId(name.to_string()),
            kind,
            docs: raw.documentation.clone(),
            sensitive: raw.sensitive,
            deprecated: deprecation(
                raw.deprecated,
                &raw.deprecated_message,
                &raw.deprecated_since,
            ),
            error,
            constraints: Constraints {
                min: raw.min,
                max: raw.max,
                pattern: raw.pattern.clone(),
            },
            model_index,
        })
    }

    fn shape_kind(&mut self, path: &str, name: &str, raw: &RawShape) -> Option<ShapeKind> {
        let kind = match raw.shape_type.as_str() {
            // The older form of a document: a member-less structure marked `document`.
            "structure" if raw.document && raw.members.is_none() => ShapeKind::Document,
            "structure" => {
                let members = self.members(path, name, raw);
                if raw.union || raw.eventstream {
                    // botocore ignores `required` on an event stream (kinesis's
                    // SubscribeToShardEventStream lists its events): only one arrives at a time.
                    if !raw.required.is_empty() && !raw.eventstream {
                        self.error(
                            format!("{path}.required"),
                            "a union has no required members",
                        );
                    }
                    ShapeKind::Union(Union {
                        members,
                        event_stream: raw.eventstream,
                    })
                } else {
                    ShapeKind::Structure(Structure {
                        members,
                        is_event: raw.event,
                    })
                }
            }
            "string" => match &raw.enum_values {
                Some(values) => {
                    let mut seen = BTreeSet::new();
                    for value in values {
                        if !seen.insert(value) {
                            self.error(
                                format!("{path}.enum"),
                                format!("duplicate enum value \"{value}\""),
                            );
                        }
                    }
                    ShapeKind::StringEnum(values.clone())
                }
                None => ShapeKind::String,
            },
            "list" => {
                let member = self.element(path, "member", raw.member.as_ref())?;
                ShapeKind::List(Box::new(member))
            }
            "map" => {
                let key = self.element(path, "key", raw.key.as_ref());
                let value = self.element(path, "value", raw.value.as_ref());
                ShapeKind::Map {
                    key: Box::new(key?),
                    value: Box::new(value?),
                }
            }
            "blob" => ShapeKind::Blob {
                streaming: raw.streaming,
            },
            "boolean" => ShapeKind::Boolean,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            // botocore reads and writes a `character` as a string.
            "character" => ShapeKind::String,
            "bigInteger" => ShapeKind::BigInteger,
            "bigDecimal" => ShapeKind::BigDecimal,
            "timestamp" => ShapeKind::Timestamp {
                format: self.timestamp_format(path, raw.timestamp_format.as_deref()),
            },
            other => {
                self.error(
                    format!("{path}.type"),
                    format!("unknown shape type \"{other}\""),
                );
                return None;
            }
        };
        if raw.document && !matches!(kind, ShapeKind::Structure(_) | ShapeKind::Document) {
            self.error(
                format!("{path}.document"),
                "only a structure can be a document",
            );
        }
        if raw.document {
            return Some(ShapeKind::Document);
        }
        if raw.streaming && !matches!(kind, ShapeKind::Blob { .. }) {
            // botocore also marks event-stream unions `streaming`? No: they use `eventstream`.
            self.error(format!("{path}.streaming"), "only a blob can be streaming");
        }
        Some(kind)
    }

    fn timestamp_format(&mut self, path: &str, format: Option<&str>) -> Option<TimestampFormat> {
        match format? {
            "iso8601" => Some(TimestampFormat::Iso8601),
            "unixTimestamp" => Some(TimestampFormat::UnixTimestamp),
            "rfc822" => Some(TimestampFormat::Rfc822),
            other => {
                self.error(
                    format!("{path}.timestampFormat"),
                    format!("unknown timestampFormat \"{other}\""),
                );
                None
            }
        }
    }

    fn element(&mut self, path: &str, key: &str, raw: Option<&RawMember>) -> Option<Member> {
        let Some(raw) = raw else {
            self.error(format!("{path}.{key}"), format!("missing \"{key}\""));
            return None;
        };
        self.member(&format!("{path}.{key}"), key, raw, false, None)
    }

    fn members(&mut self, path: &str, name: &str, raw: &RawShape) -> Vec<Member> {
        // botocore merges the traits of an operation's input reference into the input shape
        // (`ShapeResolver.resolve_shape_ref`); older models put `payload` there.
        let ref_payload = self.raw.operations.iter().find_map(|(_, op)| {
            let input = op.input.as_ref().filter(|input| input.shape == name)?;
            input.unknown.get("payload")?.as_str()
        });
        let payload = raw.payload.as_deref().or(ref_payload);
        let Some(raw_members) = &raw.members else {
            self.error(format!("{path}.members"), "a structure needs \"members\"");
            return Vec::new();
        };
        self.duplicates(&format!("{path}.members"), raw_members);
        for required in &raw.required {
            if raw_members.get(required).is_none() {
                self.error(
                    format!("{path}.required"),
                    format!("required member \"{required}\" is not a member of {name}"),
                );
            }
        }
        if let Some(payload) = payload
            && raw_members.get(payload).is_none()
        {
            self.error(
                format!("{path}.payload"),
                format!("payload \"{payload}\" is not a member of {name}"),
            );
        }
        raw_members
            .iter()
            .filter_map(|(member_name, member)| {
                let required = raw.required.iter().any(|r| r == member_name);
                let payload = payload == Some(member_name.as_str());
                self.member(
                    &format!("{path}.members.{member_name}"),
                    member_name,
                    member,
                    required,
                    Some(payload),
                )
            })
            .collect()
    }

    /// `payload` is `None` for list and map elements, where locations do not apply.
    fn member(
        &mut self,
        path: &str,
        name: &str,
        raw: &RawMember,
        required: bool,
        payload: Option<bool>,
    ) -> Option<Member> {
        // `endpointdiscoveryid` is read from the raw model by `discovery_identifiers`.
        const MEMBER_KEYS_IGNORED: &[&str] = &["enum", "endpointdiscoveryid"];
        for key in raw.unknown.keys() {
            if !IGNORED_KEYS.contains(&key.as_str()) && !MEMBER_KEYS_IGNORED.contains(&key.as_str())
            {
                self.error(
                    format!("{path}.{key}"),
                    format!("unsupported trait \"{key}\""),
                );
            }
        }
        let target = self.shape_ref(path, &raw.shape);
        let location_name = || {
            raw.location_name
                .clone()
                .unwrap_or_else(|| name.to_string())
        };
        // botocore merges the target shape's own serialization traits under the member's
        // (older models put `location: header` on the shape).
        let shape_location = self
            .raw
            .shapes
            .get(&raw.shape)
            .and_then(|shape| shape.unknown.get("location"))
            .and_then(Value::as_str);
        let location = match (raw.location.as_deref().or(shape_location), payload) {
            (_, Some(true)) => Location::Payload,
            _ if raw.eventheader => Location::EventHeader,
            _ if raw.eventpayload => Location::EventPayload,
            (None, _) => Location::Body {
                json_name: location_name(),
            },
            (Some("uri"), _) => Location::Uri {
                label: location_name(),
            },
            (Some("querystring"), _) => Location::Query {
                name: location_name(),
            },
            (Some("header"), _) => Location::Header {
                name: location_name(),
            },
            (Some("headers"), _) => Location::PrefixHeaders {
                prefix: raw.location_name.clone().unwrap_or_default(),
            },
            (Some("statusCode"), _) => Location::StatusCode,
            (Some(other), _) => {
                self.error(
                    format!("{path}.location"),
                    format!("unknown location \"{other}\""),
                );
                Location::Body {
                    json_name: location_name(),
                }
            }
        };
        let context_param = match &raw.context_param {
            None => None,
            Some(value) => match value.get("name").and_then(Value::as_str) {
                Some(name) => Some(name.to_string()),
                None => {
                    self.error(
                        format!("{path}.contextParam"),
                        "contextParam needs a string \"name\"",
                    );
                    None
                }
            },
        };
        let timestamp_format = self.timestamp_format(path, raw.timestamp_format.as_deref());
        Some(Member {
            name: name.to_string(),
            target: target?,
            docs: raw.documentation.clone(),
            required,
            idempotency_token: raw.idempotency_token,
            deprecated: deprecation(
                raw.deprecated,
                &raw.deprecated_message,
                &raw.deprecated_since,
            ),
            location,
            json_value: raw.jsonvalue,
            timestamp_format,
            boxed: false,
            context_param,
        })
    }

    fn error_trait(
        &mut self,
        path: &str,
        name: &str,
        raw: &RawShape,
        kind: &ShapeKind,
    ) -> Option<ErrorTrait> {
        if !raw.exception && raw.error.is_none() {
            return None;
        }
        if !matches!(kind, ShapeKind::Structure(_)) {
            self.error(
                format!("{path}.exception"),
                "only a structure can be an exception",
            );
        }
        // botocore marks server errors with `fault`; everything else is the caller's.
        let fault = if raw.fault {
            Fault::Server
        } else {
            Fault::Client
        };
        let retryable = match &raw.retryable {
            None => None,
            Some(value) => match value.get("throttling") {
                None => Some(Retryable { throttling: false }),
                Some(Value::Bool(throttling)) => Some(Retryable {
                    throttling: *throttling,
                }),
                Some(_) => {
                    self.error(format!("{path}.retryable.throttling"), "expected a boolean");
                    None
                }
            },
        };
        if let Some(error) = &raw.error {
            self.unknown_keys(&format!("{path}.error"), &error.unknown);
        }
        let error = raw.error.as_ref();
        Some(ErrorTrait {
            code: error
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| name.to_string()),
            http_status: error
                .and_then(|e| e.http_status_code)
                .unwrap_or(match fault {
                    Fault::Client => 400,
                    Fault::Server => 500,
                }),
            fault,
            retryable,
        })
    }

    fn operation(&mut self, name: &str, raw: &RawOperation) -> Option<Operation> {
        let path = format!("operations.{name}");
        // `idempotent` and `readonly` describe behaviour the client does not change for;
        // `endpointoperation` (the discovery operation) is read by `endpoint_operation`,
        // `endpointdiscovery` below.
        const KNOWN: &[&str] = &[
            "idempotent",
            "readonly",
            "httpChecksumRequired",
            "requestcompression",
            "auth",
            "authtype",
            "unsignedPayload",
            "staticContextParams",
            "operationContextParams",
            "endpointoperation",
            "endpointdiscovery",
        ];
        for key in raw.unknown.keys() {
            if !KNOWN.contains(&key.as_str())
                && !IGNORED_KEYS.contains(&key.as_str())
                && key != "endpoint"
            {
                self.error(
                    format!("{path}.{key}"),
                    format!("unsupported trait \"{key}\""),
                );
            }
        }
        self.unknown_keys(&format!("{path}.http"), &raw.http.unknown);
        if raw.name != name {
            self.error(
                format!("{path}.name"),
                format!("operation is named \"{}\" but keyed \"{name}\"", raw.name),
            );
        }
        // botocore's JSON serializer defaults to `POST /` when the model says nothing; a
        // rest-json operation needs its binding.
        let rest = self.raw.metadata.protocol == "rest-json";
        if rest && raw.http.request_uri.is_none() {
            self.error(
                format!("{path}.http.requestUri"),
                "a rest-json operation needs http.requestUri",
            );
        }
        let method = match raw.http.method.as_deref().unwrap_or("POST") {
            "GET" => Some(HttpMethod::Get),
            "PUT" => Some(HttpMethod::Put),
            "POST" => Some(HttpMethod::Post),
            "DELETE" => Some(HttpMethod::Delete),
            "PATCH" => Some(HttpMethod::Patch),
            "HEAD" => Some(HttpMethod::Head),
            other => {
                self.error(
                    format!("{path}.http.method"),
                    format!("unsupported HTTP method \"{other}\""),
                );
                None
            }
        };
        let uri = match parse_request_uri(raw.http.request_uri.as_deref().unwrap_or("/")) {
            Ok(uri) => Some(uri),
            Err(message) => {
                self.error(format!("{path}.http.requestUri"), message);
                None
            }
        };
        let input = raw.input.as_ref().and_then(|input| {
            let mut traits = input.unknown.clone();
            // Applied to the input shape by `members`.
            traits.remove("payload");
            self.unknown_keys(&format!("{path}.input"), &traits);
            let id = self.shape_ref(&format!("{path}.input"), &input.shape)?;
            self.expect_structure(&format!("{path}.input"), &id)
                .then_some(id)
        });
        let output = raw.output.as_ref().and_then(|output| {
            self.unknown_keys(&format!("{path}.output"), &output.unknown);
            let id = self.shape_ref(&format!("{path}.output"), &output.shape)?;
            self.expect_structure(&format!("{path}.output"), &id)
                .then_some(id)
        });
        let mut errors = Vec::new();
        for (index, error) in raw.errors.iter().enumerate() {
            let error_path = format!("{path}.errors[{index}]");
            self.unknown_keys(&error_path, &error.unknown);
            let Some(id) = self.shape_ref(&error_path, &error.shape) else {
                continue;
            };
            let raw_shape = self.raw.shapes.get(&id.0);
            if !raw_shape.is_some_and(|s| s.exception || s.error.is_some()) {
                self.error(error_path, format!("\"{id}\" is not an exception shape"));
            } else if !errors.contains(&id) {
                // Listed twice (personalize's UpdateSolution does): botocore keeps both
                // entries, which mean the same; one is enough.
                errors.push(id);
            }
        }
        if let (Some(uri), Some(input)) = (&uri, &input) {
            self.check_uri_labels(&path, uri, input);
        } else if let Some(uri) = &uri
            && let Some(label) = uri.path.iter().find_map(label_name)
        {
            self.error(
                format!("{path}.http.requestUri"),
                format!("label {{{label}}} but the operation has no input"),
            );
        }
        let host_prefix = match raw.unknown.get("endpoint") {
            None => None,
            Some(endpoint) => match endpoint.get("hostPrefix").and_then(Value::as_str) {
                Some(template) => self.host_prefix(&path, template, input.as_ref()),
                None => {
                    self.error(
                        format!("{path}.endpoint"),
                        "expected {\"hostPrefix\": \"...\"}",
                    );
                    None
                }
            },
        };
        let signing = self.signing(&path, raw);
        let endpoint_discovery = match raw.unknown.get("endpointdiscovery") {
            None => None,
            Some(Value::Object(trait_value)) => {
                let required = match trait_value.get("required") {
                    None => false,
                    Some(Value::Bool(required)) => *required,
                    Some(_) => {
                        self.error(
                            format!("{path}.endpointdiscovery.required"),
                            "expected a boolean",
                        );
                        false
                    }
                };
                let mut identifiers = Vec::new();
                if let Some(input) = &input {
                    self.discovery_identifiers(&input.0, &mut Vec::new(), &mut identifiers);
                }
                Some(EndpointDiscovery {
                    required,
                    identifiers,
                })
            }
            Some(_) => {
                self.error(format!("{path}.endpointdiscovery"), "expected an object");
                None
            }
        };
        if (signing == Signing::Bearer || endpoint_discovery.is_some())
            && [&raw.input, &raw.output]
                .into_iter()
                .flatten()
                .any(|r| self.has_event_stream_member(&r.shape))
        {
            self.error(
                path.clone(),
                "unsupported: an event stream with bearer authentication or endpoint discovery",
            );
        }
        let static_context_params = self.static_context_params(&path, raw);
        let operation_context_params = self.operation_context_params(&path, raw, input.as_ref());
        Some(Operation {
            name: name.to_string(),
            method: method?,
            uri: uri?,
            response_code: raw.http.response_code.unwrap_or(200),
            input,
            output,
            errors,
            docs: raw.documentation.clone(),
            deprecated: deprecation(
                raw.deprecated,
                &raw.deprecated_message,
                &raw.deprecated_since,
            ),
            host_prefix,
            checksum_required: raw
                .unknown
                .get("httpChecksumRequired")
                .is_some_and(|v| v.as_bool() == Some(true)),
            gzip_request: self.request_compression(&path, raw.unknown.get("requestcompression")),
            signing,
            static_context_params,
            operation_context_params,
            endpoint_discovery,
        })
    }

    fn has_event_stream_member(&self, shape: &str) -> bool {
        let raw = self.raw;
        raw.shapes
            .get(shape)
            .and_then(|s| s.members.as_ref())
            .is_some_and(|members| {
                members
                    .iter()
                    .any(|(_, m)| raw.shapes.get(&m.shape).is_some_and(|t| t.eventstream))
            })
    }

    /// `botocore.auth.resolve_auth_type`: the first scheme of an `auth` list that botocore
    /// (without CRT) implements; `None` after reporting a problem.
    fn auth_schemes(&mut self, path: &str, auth: &Value) -> Option<AuthScheme> {
        let Some(schemes) = auth.as_array() else {
            self.error(path.to_string(), "expected a list of auth schemes");
            return None;
        };
        for scheme in schemes {
            match scheme.as_str() {
                Some("smithy.api#noAuth") => return Some(AuthScheme::NoAuth),
                Some("aws.auth#sigv4") => return Some(AuthScheme::SigV4),
                Some("aws.auth#sigv4a") => continue,
                Some("smithy.api#httpBearerAuth") => return Some(AuthScheme::Bearer),
                _ => {
                    self.error(
                        path.to_string(),
                        format!("unsupported auth scheme {scheme}"),
                    );
                    return None;
                }
            }
        }
        self.error(
            path.to_string(),
            "unsupported: no auth scheme botocore implements (sigv4a needs CRT)",
        );
        None
    }

    /// botocore's `OperationModel.resolved_auth_type` (`auth` wins over `authtype`) and its
    /// `unsignedPayload`, as `handlers.set_operation_specific_signer` reads them.
    fn signing(&mut self, path: &str, raw: &RawOperation) -> Signing {
        let unsigned_payload = raw
            .unknown
            .get("unsignedPayload")
            .is_some_and(|v| v.as_bool() == Some(true));
        let signed = if unsigned_payload {
            Signing::UnsignedPayload
        } else {
            Signing::SigV4
        };
        if let Some(auth) = raw.unknown.get("auth") {
            return match self.auth_schemes(&format!("{path}.auth"), auth) {
                Some(AuthScheme::NoAuth) => Signing::Anonymous,
                Some(AuthScheme::Bearer) => Signing::Bearer,
                Some(AuthScheme::SigV4) | None => signed,
            };
        }
        match raw.unknown.get("authtype").map(|v| v.as_str()) {
            // No auth of its own: the service's (`unsignedPayload` only matters to SigV4).
            None => match self.default_signing {
                Signing::SigV4 | Signing::UnsignedPayload => signed,
                other => other,
            },
            Some(Some("v4")) => signed,
            Some(Some("none")) => Signing::Anonymous,
            Some(Some("v4-unsigned-body")) => Signing::UnsignedPayload,
            Some(Some("bearer")) => Signing::Bearer,
            Some(other) => {
                self.error(
                    format!("{path}.authtype"),
                    format!(
                        "unsupported authtype {}",
                        other.map_or_else(|| "(not a string)".to_string(), |s| format!("\"{s}\""))
                    ),
                );
                signed
            }
        }
    }

    /// `staticContextParams: {"Name": {"value": true | "text"}}`.
    fn static_context_params(
        &mut self,
        path: &str,
        raw: &RawOperation,
    ) -> Vec<(String, StaticParam)> {
        let Some(params) = raw.unknown.get("staticContextParams") else {
            return Vec::new();
        };
        let Some(params) = params.as_object() else {
            self.error(format!("{path}.staticContextParams"), "expected an object");
            return Vec::new();
        };
        let mut lowered = Vec::new();
        for (name, param) in params {
            match param.get("value") {
                Some(Value::String(text)) => {
                    lowered.push((name.clone(), StaticParam::String(text.clone())))
                }
                Some(Value::Bool(flag)) => lowered.push((name.clone(), StaticParam::Bool(*flag))),
                _ => self.error(
                    format!("{path}.staticContextParams.{name}"),
                    "unsupported: a static context parameter needs {\"value\": <string or boolean>}",
                ),
            }
        }
        lowered
    }

    /// `operationContextParams: {"Name": {"path": "<JMESPath>"}}`, in the subset botocore's
    /// models use: `A.B`, `keys(A)`, `A[*].B.C` and `A[*].[B.C, D.E][]`.
    fn operation_context_params(
        &mut self,
        path: &str,
        raw: &RawOperation,
        input: Option<&ShapeId>,
    ) -> Vec<(String, ContextPath)> {
        let Some(params) = raw.unknown.get("operationContextParams") else {
            return Vec::new();
        };
        let Some(params) = params.as_object() else {
            self.error(
                format!("{path}.operationContextParams"),
                "expected an object",
            );
            return Vec::new();
        };
        let mut lowered = Vec::new();
        for (name, param) in params {
            let json_path = format!("{path}.operationContextParams.{name}.path");
            let Some(expression) = param.get("path").and_then(Value::as_str) else {
                self.error(json_path, "expected a string");
                continue;
            };
            match input
                .ok_or_else(|| "the operation has no input".to_string())
                .and_then(|input| self.context_path(input, expression))
            {
                Ok(context_path) => lowered.push((name.clone(), context_path)),
                Err(message) => self.error(
                    json_path,
                    format!(
                        "unsupported operationContextParams expression \"{expression}\": {message}"
                    ),
                ),
            }
        }
        lowered
    }

    fn context_path(&self, input: &ShapeId, expression: &str) -> Result<ContextPath, String> {
        let dotted = |text: &str| -> Result<MemberPath, String> {
            let segments: Vec<String> = text.trim().split('.').map(str::to_string).collect();
            if segments
                .iter()
                .any(|s| s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                return Err(format!("\"{text}\" is not a dotted member path"));
            }
            Ok(MemberPath(segments))
        };
        if let Some(inner) = expression
            .strip_prefix("keys(")
            .and_then(|e| e.strip_suffix(')'))
        {
            let map = dotted(inner)?;
            return match self.raw_path_kind(input, &map)? {
                "map" => Ok(ContextPath::Keys(map)),
                other => Err(format!("keys() of a {other}")),
            };
        }
        if let Some((list, rest)) = expression.split_once("[*].") {
            let list = dotted(list)?;
            if self.raw_path_kind(input, &list)? != "list" {
                return Err(format!("{list} is not a list"));
            }
            let element = self.raw_list_element(input, &list)?;
            let values = match rest.strip_prefix('[').and_then(|r| r.strip_suffix("][]")) {
                Some(multi) => multi
                    .split(',')
                    .map(dotted)
                    .collect::<Result<Vec<_>, _>>()?,
                None => vec![dotted(rest)?],
            };
            for value in &values {
                if self.raw_path_kind(&element, value)? != "string" {
                    return Err(format!("{value} is not a string"));
                }
            }
            return Ok(ContextPath::Each { list, values });
        }
        let value = dotted(expression)?;
        match self.raw_path_kind(input, &value)? {
            "string" => Ok(ContextPath::Value(value)),
            other => Err(format!("a {other}, not a string")),
        }
    }

    /// The raw type of the shape at the end of `path` through structures from `root`.
    fn raw_path_kind(&self, root: &ShapeId, path: &MemberPath) -> Result<&str, String> {
        let id = self.raw_path_target(root, path)?;
        Ok(self
            .raw
            .shapes
            .get(&id.0)
            .map_or("?", |shape| shape.shape_type.as_str()))
    }

    fn raw_path_target(&self, root: &ShapeId, path: &MemberPath) -> Result<ShapeId, String> {
        let mut id = root.clone();
        for segment in &path.0 {
            let member = self
                .raw
                .shapes
                .get(&id.0)
                .and_then(|shape| shape.members.as_ref())
                .and_then(|members| members.get(segment))
                .ok_or_else(|| format!("{segment} is not a member of {id}"))?;
            id = ShapeId(member.shape.clone());
        }
        Ok(id)
    }

    fn raw_list_element(&self, root: &ShapeId, path: &MemberPath) -> Result<ShapeId, String> {
        let list = self.raw_path_target(root, path)?;
        self.raw
            .shapes
            .get(&list.0)
            .and_then(|shape| shape.member.as_ref())
            .map(|member| ShapeId(member.shape.clone()))
            .ok_or_else(|| format!("{list} has no member"))
    }

    /// Parses `{Label}` references in a host prefix; each must name an input member marked
    /// `hostLabel` (botocore formats the template with exactly those members).
    fn host_prefix(
        &mut self,
        path: &str,
        template: &str,
        input: Option<&ShapeId>,
    ) -> Option<Vec<HostPrefixPart>> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(HostPrefixPart::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(format!("{path}.endpoint.hostPrefix"), "unclosed \"{\"");
                return None;
            };
            let label = &rest[open + 1..open + close];
            let is_host_label = input
                .and_then(|input| self.raw.shapes.get(&input.0))
                .and_then(|shape| shape.members.as_ref())
                .and_then(|members| members.get(label))
                .is_some_and(|member| member.host_label);
            if !is_host_label {
                self.error(
                    format!("{path}.endpoint.hostPrefix"),
                    format!("{{{label}}} is not an input member marked hostLabel"),
                );
                return None;
            }
            parts.push(HostPrefixPart::Label(label.to_string()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(HostPrefixPart::Literal(rest.to_string()));
        }
        Some(parts)
    }

    /// `requestcompression: {"encodings": [...]}`: whether `gzip` is listed (botocore skips
    /// encodings it does not know, as we do).
    fn request_compression(&mut self, path: &str, value: Option<&Value>) -> bool {
        let Some(value) = value else {
            return false;
        };
        match value.get("encodings").and_then(Value::as_array) {
            Some(encodings) => encodings.iter().any(|e| e.as_str() == Some("gzip")),
            None => {
                self.error(
                    format!("{path}.requestcompression"),
                    "expected {\"encodings\": [...]}",
                );
                false
            }
        }
    }

    fn expect_structure(&mut self, path: &str, id: &ShapeId) -> bool {
        let raw_shape = self.raw.shapes.get(&id.0);
        let is_structure = raw_shape.is_some_and(|s| s.shape_type == "structure" && !s.union);
        if !is_structure {
            self.error(path.to_string(), format!("\"{id}\" must be a structure"));
        }
        is_structure
    }

    /// Each `{label}` needs a `uri` member of that name, and each `uri` member a label.
    fn check_uri_labels(&mut self, path: &str, uri: &RequestUri, input: &ShapeId) {
        let Some(members) = self
            .raw
            .shapes
            .get(&input.0)
            .and_then(|s| s.members.as_ref())
        else {
            return;
        };
        let labels: Vec<&str> = uri.path.iter().filter_map(label_name).collect();
        let bound: Vec<&str> = members
            .iter()
            .filter(|(_, m)| m.location.as_deref() == Some("uri"))
            .map(|(name, m)| m.location_name.as_deref().unwrap_or(name))
            .collect();
        for label in &labels {
            if !bound.contains(label) {
                self.error(
                    format!("{path}.http.requestUri"),
                    format!("label {{{label}}} is bound to no member of {input}"),
                );
            }
        }
        for name in bound {
            if !labels.contains(&name) {
                self.error(
                    format!("shapes.{input}.members"),
                    format!("uri member \"{name}\" has no {{{name}}} in the request URI of {path}"),
                );
            }
        }
    }
}

fn label_name(part: &UriPart) -> Option<&str> {
    match part {
        UriPart::Label(name) | UriPart::GreedyLabel(name) => Some(name),
        UriPart::Literal(_) => None,
    }
}

fn deprecation(
    deprecated: bool,
    message: &Option<String>,
    since: &Option<String>,
) -> Option<Deprecation> {
    (deprecated || message.is_some()).then(|| Deprecation {
        message: message.clone(),
        since: since.clone(),
    })
}

/// Parses a `requestUri` such as `/knowledgeBases/{knowledgeBaseId}/importJobs?sync`.
pub fn parse_request_uri(text: &str) -> Result<RequestUri, String> {
    if !text.starts_with('/') {
        return Err(format!("request URI \"{text}\" must start with /"));
    }
    let (path_text, query_text) = match text.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (text, None),
    };
    let mut path = Vec::new();
    let mut rest = path_text;
    while !rest.is_empty() {
        match rest.find('{') {
            None => {
                path.push(UriPart::Literal(rest.to_string()));
                rest = "";
            }
            Some(open) => {
                if open > 0 {
                    path.push(UriPart::Literal(rest[..open].to_string()));
                }
                let close = rest[open..]
                    .find('}')
                    .ok_or_else(|| format!("unclosed {{ in request URI \"{text}\""))?
                    + open;
                let label = &rest[open + 1..close];
                let part = match label.strip_suffix('+') {
                    Some(name) => UriPart::GreedyLabel(name.to_string()),
                    None => UriPart::Label(label.to_string()),
                };
                let name = label_name(&part).unwrap_or_default();
                if name.is_empty() || name.contains(['{', '/', '+']) {
                    return Err(format!("bad label {{{label}}} in request URI \"{text}\""));
                }
                if path.iter().filter_map(label_name).any(|seen| seen == name) {
                    return Err(format!("label {{{name}}} appears twice in \"{text}\""));
                }
                path.push(part);
                rest = &rest[close + 1..];
            }
        }
    }
    if path_text.contains('}')
        && path.iter().filter_map(label_name).count() < path_text.matches('}').count()
    {
        return Err(format!("unopened }} in request URI \"{text}\""));
    }
    let query = query_text
        .map(|query| {
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) => (key.to_string(), Some(value.to_string())),
                    None => (pair.to_string(), None),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(RequestUri { path, query })
}

/// Marks members that close a cycle of structures and unions (not passing through a list or
/// map, which allocate anyway) as boxed. Depth-first from every shape in id order, boxing each
/// back edge: what remains is acyclic, and the choice is deterministic.
fn box_recursive_members(shapes: &mut BTreeMap<ShapeId, Shape>) {
    let is_aggregate = |shapes: &BTreeMap<ShapeId, Shape>, id: &ShapeId| {
        shapes
            .get(id)
            .is_some_and(|s| s.kind.aggregate_members().is_some())
    };
    let mut to_box: BTreeSet<(ShapeId, usize)> = BTreeSet::new();
    let mut done: BTreeSet<ShapeId> = BTreeSet::new();
    for root in shapes.keys() {
        if done.contains(root) || !is_aggregate(shapes, root) {
            continue;
        }
        // An explicit stack of (shape, next member index) keeps deep models off the call stack.
        let mut stack: Vec<(ShapeId, usize)> = vec![(root.clone(), 0)];
        let mut on_stack: BTreeSet<ShapeId> = BTreeSet::from([root.clone()]);
        while let Some((id, index)) = stack.last().cloned() {
            let members = shapes[&id].kind.aggregate_members().unwrap_or(&[]);
            if index >= members.len() {
                stack.pop();
                on_stack.remove(&id);
                done.insert(id);
                continue;
            }
            stack.last_mut().expect("stack is not empty").1 += 1;
            let target = &members[index].target;
            if !is_aggregate(shapes, target) {
                continue;
            }
            if on_stack.contains(target) {
                to_box.insert((id.clone(), index));
            } else if !done.contains(target) {
                on_stack.insert(target.clone());
                stack.push((target.clone(), 0));
            }
        }
    }
    for (id, index) in to_box {
        if let Some(shape) = shapes.get_mut(&id) {
            match &mut shape.kind {
                ShapeKind::Structure(s) => s.members[index].boxed = true,
                ShapeKind::Union(u) => u.members[index].boxed = true,
                _ => {}
            }
        }
    }
}

/// Checks paginators against the (already lowered) operations and shapes.
struct PaginatorLowerer<'a> {
    file: &'a Path,
    service: &'a Service,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl PaginatorLowerer<'_> {
    fn error(&mut self, json_path: String, message: String) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_path_buf(),
            json_path,
            message,
        });
    }

    fn paginators(&mut self, raw: &OrderedMap<BTreeMap<String, Value>>) -> Vec<Paginator> {
        raw.iter()
            .filter_map(|(name, fields)| self.paginator(name, fields))
            .collect()
    }

    fn paginator(&mut self, name: &str, fields: &BTreeMap<String, Value>) -> Option<Paginator> {
        let path = format!("pagination.{name}");
        let Some(operation) = self.service.operations.iter().find(|o| o.name == name) else {
            self.error(path, format!("no operation named \"{name}\""));
            return None;
        };
        for key in fields.keys() {
            if !matches!(
                key.as_str(),
                "input_token"
                    | "output_token"
                    | "limit_key"
                    | "result_key"
                    | "more_results"
                    | "non_aggregate_keys"
            ) {
                self.error(
                    format!("{path}.{key}"),
                    format!("unknown paginator key \"{key}\""),
                );
            }
        }
        let input = operation.input.as_ref();
        let output = operation.output.as_ref();
        let input_tokens = self.paths(&path, fields, "input_token", input, PathRule::Token, true);
        let output_tokens =
            self.paths(&path, fields, "output_token", output, PathRule::Token, true);
        // A structured token (dynamodb's `LastEvaluatedKey`, a map) travels through the resume
        // token as JSON; going back into the input it must be the same shape.
        for (index, (input_token, output_token)) in
            input_tokens.iter().zip(&output_tokens).enumerate()
        {
            let (Some(input), Some(output)) = (input, output) else {
                continue;
            };
            let in_id = self.resolve_id(input, &input_token.0);
            let out_id = self.resolve_id(output, &output_token.0);
            let structured = out_id.as_ref().is_some_and(|id| {
                matches!(
                    self.service.shape(id).kind,
                    ShapeKind::List(_)
                        | ShapeKind::Map { .. }
                        | ShapeKind::Structure(_)
                        | ShapeKind::Union(_)
                )
            });
            if structured && in_id != out_id {
                self.error(
                    format!("{path}.output_token"),
                    format!(
                        "unsupported: structured token {output_token} must have the shape of input token {input_token} (token {index})"
                    ),
                );
            }
        }
        // botocore also accepts numbers and strings as result keys (dynamodb's `Count`): full
        // results add them up, or concatenate them.
        let result_keys = self.paths(
            &path,
            fields,
            "result_key",
            output,
            PathRule::ResultKey,
            false,
        );
        let more_results = self
            .paths(
                &path,
                fields,
                "more_results",
                output,
                PathRule::Scalar,
                false,
            )
            .into_iter()
            .next();
        let non_aggregate_keys = self.paths(
            &path,
            fields,
            "non_aggregate_keys",
            output,
            PathRule::Any,
            false,
        );
        let limit_key = match fields.get("limit_key") {
            None => None,
            Some(Value::String(key)) => {
                let member = input.and_then(|input| self.resolve(input, std::slice::from_ref(key)));
                match member {
                    // botocore puts the page size into the limit key as given; a few models
                    // (apigatewayv2, glacier, greengrass) make that member a string.
                    Some(shape)
                        if matches!(
                            shape.kind,
                            ShapeKind::Integer | ShapeKind::Long | ShapeKind::String
                        ) =>
                    {
                        Some(key.clone())
                    }
                    Some(_) => {
                        self.error(
                            format!("{path}.limit_key"),
                            format!("\"{key}\" is not an integer or string member"),
                        );
                        None
                    }
                    None => {
                        self.error(
                            format!("{path}.limit_key"),
                            format!("\"{key}\" is not a member of the input"),
                        );
                        None
                    }
                }
            }
            Some(_) => {
                self.error(format!("{path}.limit_key"), "expected a string".to_string());
                None
            }
        };
        // Compare what the file says, not what resolved, so one bad token is one message.
        let count = |key: &str| match fields.get(key) {
            Some(Value::Array(items)) => items.len(),
            Some(_) => 1,
            None => 0,
        };
        if count("input_token") != count("output_token") {
            self.error(
                path.clone(),
                format!(
                    "{} input tokens but {} output tokens",
                    count("input_token"),
                    count("output_token")
                ),
            );
        }
        Some(Paginator {
            operation: name.to_string(),
            input_tokens,
            output_tokens,
            limit_key,
            result_keys,
            more_results,
            non_aggregate_keys,
        })
    }

    /// Reads a key holding a path or a list of paths and checks each against `root`.
    fn paths(
        &mut self,
        path: &str,
        fields: &BTreeMap<String, Value>,
        key: &str,
        root: Option<&ShapeId>,
        rule: PathRule,
        required: bool,
    ) -> Vec<MemberPath> {
        let texts: Vec<(String, &str)> = match fields.get(key) {
            None => {
                if required {
                    self.error(path.to_string(), format!("missing \"{key}\""));
                }
                return Vec::new();
            }
            Some(Value::String(text)) => vec![(format!("{path}.{key}"), text.as_str())],
            Some(Value::Array(items)) => {
                let mut texts = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(text) => texts.push((format!("{path}.{key}[{index}]"), text)),
                        None => self.error(
                            format!("{path}.{key}[{index}]"),
                            "expected a string".to_string(),
                        ),
                    }
                }
                texts
            }
            Some(_) => {
                self.error(
                    format!("{path}.{key}"),
                    "expected a string or a list of strings".to_string(),
                );
                return Vec::new();
            }
        };
        let Some(root) = root else {
            self.error(
                format!("{path}.{key}"),
                "the operation has no input or output to hold it".to_string(),
            );
            return Vec::new();
        };
        let mut paths = Vec::new();
        for (json_path, text) in texts {
            let segments: Vec<String> = text.split('.').map(str::to_string).collect();
            // An output token may index a list (kinesis: `StreamDescription.Shards[-1].ShardId`).
            let indexable = matches!(rule, PathRule::Token) && key == "output_token";
            if segments.iter().any(|s| {
                let (name, index) = MemberPath::split_index(s);
                name.is_empty()
                    || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    || (index.is_some() && !indexable)
                    || index == Some(None)
            }) {
                self.error(
                    json_path,
                    format!(
                        "unsupported paginator expression \"{text}\" (only dotted member paths)"
                    ),
                );
                continue;
            }
            match self.resolve(root, &segments) {
                None => self.error(
                    json_path,
                    format!("\"{text}\" is not a member path of {root}"),
                ),
                Some(shape) => {
                    let ok = match rule {
                        PathRule::Any | PathRule::Token => true,
                        PathRule::ResultKey => !matches!(shape.kind, ShapeKind::Union(_)),
                        PathRule::Scalar => !matches!(
                            shape.kind,
                            ShapeKind::List(_)
                                | ShapeKind::Map { .. }
                                | ShapeKind::Structure(_)
                                | ShapeKind::Union(_)
                        ),
                    };
                    if ok {
                        paths.push(MemberPath(segments));
                    } else {
                        let expected = match rule {
                            PathRule::Scalar => "a scalar",
                            PathRule::ResultKey => "a list, map, number, string or structure",
                            _ => "a list or map",
                        };
                        self.error(json_path, format!("\"{text}\" must be {expected} member"));
                    }
                }
            }
        }
        paths
    }

    /// The id of the shape at the end of a dotted path through structures.
    fn resolve_id(&self, root: &ShapeId, segments: &[String]) -> Option<ShapeId> {
        let mut id = root.clone();
        for segment in segments {
            let ShapeKind::Structure(structure) = &self.service.shapes.get(&id)?.kind else {
                return None;
            };
            id = structure
                .members
                .iter()
                .find(|m| &m.name == segment)?
                .target
                .clone();
        }
        Some(id)
    }

    /// The shape at the end of a dotted path through structures.
    fn resolve(&self, root: &ShapeId, segments: &[String]) -> Option<&Shape> {
        let mut shape = self.service.shapes.get(root)?;
        for segment in segments {
            let ShapeKind::Structure(structure) = &shape.kind else {
                return None;
            };
            let (name, index) = MemberPath::split_index(segment);
            let member = structure.members.iter().find(|m| m.name == name)?;
            shape = self.service.shapes.get(&member.target)?;
            if index.is_some() {
                let ShapeKind::List(element) = &shape.kind else {
                    return None;
                };
                shape = self.service.shapes.get(&element.target)?;
            }
        }
        Some(shape)
    }
}

#[derive(Clone, Copy)]
enum PathRule {
    Scalar,
    /// A pagination token: a scalar, or a structured value (see `paginator`).
    Token,
    /// A list or map, or a number or string (summed / concatenated), or anything else (the
    /// first page's value is kept): what botocore's `build_full_result` does.
    ResultKey,
    Any,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_uris() {
        let uri = parse_request_uri("/knowledgeBases/{knowledgeBaseId}/importJobs/{key+}?sync&a=b")
            .unwrap();
        assert_eq!(
            uri.path,
            vec![
                UriPart::Literal("/knowledgeBases/".into()),
                UriPart::Label("knowledgeBaseId".into()),
                UriPart::Literal("/importJobs/".into()),
                UriPart::GreedyLabel("key".into()),
            ]
        );
        assert_eq!(
            uri.query,
            vec![("sync".into(), None), ("a".into(), Some("b".into()))]
        );
        assert_eq!(
            parse_request_uri("/").unwrap().path,
            vec![UriPart::Literal("/".into())]
        );
        for bad in ["noslash", "/a/{b", "/a/{}", "/{a}/{a}", "/a}/b"] {
            assert!(parse_request_uri(bad).is_err(), "{bad}");
        }
    }
}
