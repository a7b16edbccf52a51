//! The intermediate representation: a validated service model, free of botocore's file format
//! and of anything Rust-specific (no identifiers, no tokens).
//!
//! Produced by [`crate::lower`], consumed by [`crate::naming`] and the emitters. Every
//! reference in here has been checked: a [`ShapeId`] always names a shape in
//! [`Service::shapes`], a URI label always has its member, a paginator's tokens resolve.

use std::collections::BTreeMap;
use std::fmt;

/// A validated service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Short name, used for the crate and module names (`qconnect`).
    pub name: String,
    /// Service-wide facts.
    pub metadata: Metadata,
    /// Service documentation (botocore HTML).
    pub docs: Option<String>,
    /// Every shape, by id; ordered so that output is deterministic.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Operations in model order.
    pub operations: Vec<Operation>,
    /// Paginators in model order.
    pub paginators: Vec<Paginator>,
    /// The endpoint rule set, as JSON: the runtime interprets it.
    pub endpoint_rule_set: Option<serde_json::Value>,
    /// The operation endpoint discovery calls (`endpointoperation: true`), if any.
    pub endpoint_operation: Option<EndpointOperation>,
}

/// The service's endpoint discovery operation (`DescribeEndpoints`), checked to have the
/// input and output botocore's `EndpointDiscoveryManager` uses: an output `Endpoints` list of
/// structures with `Address` (string) and `CachePeriodInMinutes` (integer), and an input whose
/// members are among `Operation` (string) and `Identifiers` (map of strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointOperation {
    /// The operation's name.
    pub operation: String,
    /// Its input has `Operation`.
    pub sends_operation: bool,
    /// Its input has `Identifiers`.
    pub sends_identifiers: bool,
}

impl Service {
    /// The shape named `id`. Lowering guarantees every `ShapeId` in the IR resolves.
    pub fn shape(&self, id: &ShapeId) -> &Shape {
        &self.shapes[id]
    }
}

/// Service-wide facts from the model's `metadata`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub api_version: String,
    pub protocol: Protocol,
    pub endpoint_prefix: String,
    /// The SigV4 signing name (`wisdom` for qconnect); the endpoint prefix when not given.
    pub signing_name: String,
    pub service_id: String,
    pub full_name: String,
    /// Event streams of this service need HTTP/2 (`protocolSettings.h2 = eventstream`).
    pub h2_event_streams: bool,
    /// `awsQueryCompatible`: requests say `x-amzn-query-mode: true` (and error codes may come
    /// in `x-amzn-query-error`, which the runtime reads for every service, as botocore).
    pub query_compatible: bool,
}

/// The wire protocols this generator supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// `rest-json` (Smithy restJson1).
    RestJson,
    /// `json` (awsJson 1.0 / 1.1): everything in a POST body, operation in `X-Amz-Target`.
    AwsJson {
        /// `1.0` or `1.1`, from `jsonVersion`.
        version: String,
        /// The `X-Amz-Target` prefix, from `targetPrefix`.
        target_prefix: String,
    },
}

/// The name of a shape in the model, exactly as the model spells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(pub String);

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub id: ShapeId,
    pub kind: ShapeKind,
    pub docs: Option<String>,
    /// Values of this shape must not be logged (`Debug` redacts them).
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    /// Set when the shape is an exception.
    pub error: Option<ErrorTrait>,
    pub constraints: Constraints,
    /// The shape's position in the model's `shapes`, where botocore's behaviour depends on it
    /// (of two exceptions with one code, botocore's `shape_for_error_code` takes the later).
    pub model_index: usize,
}

/// What a shape is.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeKind {
    Structure(Structure),
    /// A tagged union: exactly one member is set. Event streams are unions too.
    Union(Union),
    /// A string restricted to the listed values (more may appear on the wire later).
    StringEnum(Vec<String>),
    List(Box<Member>),
    Map {
        key: Box<Member>,
        value: Box<Member>,
    },
    String,
    Blob {
        /// A streaming body rather than bytes held in memory.
        streaming: bool,
    },
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp {
        /// The shape's own `timestampFormat`; otherwise the protocol's default applies.
        format: Option<TimestampFormat>,
    },
    /// An open JSON value.
    Document,
}

impl ShapeKind {
    /// Structures and unions become named Rust types whose members need validating and whose
    /// values can reference themselves.
    pub fn aggregate_members(&self) -> Option<&[Member]> {
        match self {
            ShapeKind::Structure(structure) => Some(&structure.members),
            ShapeKind::Union(union) => Some(&union.members),
            _ => None,
        }
    }
}

/// A structure's members and structure-level traits.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    pub members: Vec<Member>,
    /// This structure is an event of an event stream.
    pub is_event: bool,
}

/// A union's members.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub members: Vec<Member>,
    /// The union is an event stream (`eventstream: true`): its members are events.
    pub event_stream: bool,
}

/// A structure member, a union variant, or a list's / map's element.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member's name in the model (`knowledgeBaseId`).
    pub name: String,
    pub target: ShapeId,
    pub docs: Option<String>,
    pub required: bool,
    /// Filled with a fresh UUID v4 when the caller leaves it unset.
    pub idempotency_token: bool,
    pub deprecated: Option<Deprecation>,
    /// Where the member travels in a request or response.
    pub location: Location,
    /// A string holding JSON text (`jsonvalue`): sent and received base64-encoded in headers.
    pub json_value: bool,
    /// A member-level `timestampFormat`, which overrides the target shape's.
    pub timestamp_format: Option<TimestampFormat>,
    /// Needs a `Box` because the containing shape can reach itself through this member without
    /// passing a list or map. Computed by lowering, not read from the model (the model's own
    /// `box` trait means "nullable", which every optional member already is).
    pub boxed: bool,
    /// Endpoint rule-set parameter bound to this member (`contextParam.name`).
    pub context_param: Option<String>,
}

/// Where a member travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In the JSON body, under this key.
    Body { json_name: String },
    /// Replaces `{name}` (or `{name+}`) in the request URI.
    Uri { label: String },
    /// A query-string parameter.
    Query { name: String },
    /// An HTTP header.
    Header { name: String },
    /// Every header starting with `prefix` (a map member).
    PrefixHeaders { prefix: String },
    /// The HTTP status code of a response.
    StatusCode,
    /// The whole HTTP body (the structure's `payload`).
    Payload,
    /// An event-stream message header.
    EventHeader,
    /// An event-stream message payload.
    EventPayload,
}

/// How a timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    UnixTimestamp,
    Rfc822,
}

/// The `deprecated` trait.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecation {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// Who is at fault for an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Client,
    Server,
}

/// What makes a structure an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorTrait {
    /// The code on the wire: the `error.code`, else the shape name.
    pub code: String,
    /// The HTTP status: `error.httpStatusCode`, else 400 (botocore's default for `json`
    /// services whose errors carry no `error` trait) or 500 for server faults.
    pub http_status: u16,
    pub fault: Fault,
    /// The model marks the error as retryable (`retryable`), optionally as throttling.
    pub retryable: Option<Retryable>,
}

/// The `retryable` trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retryable {
    pub throttling: bool,
}

/// Length / value limits that botocore checks before sending (only `min`; see the client).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: String,
    pub method: HttpMethod,
    pub uri: RequestUri,
    /// The success status code (`responseCode`, else 200).
    pub response_code: u16,
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    pub errors: Vec<ShapeId>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// The host prefix (`endpoint.hostPrefix`, e.g. `{AccountId}.data-`), prepended to the
    /// endpoint's host.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
    /// The service requires a checksum of the body (`httpChecksumRequired`).
    pub checksum_required: bool,
    /// The body may be gzip-compressed (`requestcompression` lists `gzip`, the one encoding
    /// botocore implements).
    pub gzip_request: bool,
    /// How requests are signed (`auth`, `authtype`, `unsignedPayload`).
    pub signing: Signing,
    /// Endpoint rule-set parameters with a fixed value (`staticContextParams`), in model order.
    pub static_context_params: Vec<(String, StaticParam)>,
    /// Endpoint rule-set parameters read from the input (`operationContextParams`).
    pub operation_context_params: Vec<(String, ContextPath)>,
    /// The operation's requests go to a discovered endpoint (`endpointdiscovery`).
    pub endpoint_discovery: Option<EndpointDiscovery>,
}

/// An operation's `endpointdiscovery` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointDiscovery {
    /// `required: true`: botocore discovers for it by default (`endpoint_discovery_enabled =
    /// auto`); optional discovery only when it is enabled.
    pub required: bool,
    /// The input members marked `endpointdiscoveryid` (string members, top level or inside
    /// structure members), as paths of member names.
    pub identifiers: Vec<MemberPath>,
}

/// How an operation's requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signing {
    /// SigV4, body included.
    #[default]
    SigV4,
    /// SigV4 with the payload hash `UNSIGNED-PAYLOAD` (`unsignedPayload`, `v4-unsigned-body`).
    UnsignedPayload,
    /// Not signed (`authtype: none`, `auth: [smithy.api#noAuth]`).
    Anonymous,
    /// `Authorization: Bearer <token>` (`signatureVersion` or `authtype` `bearer`,
    /// `smithy.api#httpBearerAuth`).
    Bearer,
}

/// The value of a `staticContextParams` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticParam {
    String(String),
    Bool(bool),
}

/// The subset of JMESPath that `operationContextParams` use (dynamodb's are all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextPath {
    /// `A.B`: a string member.
    Value(MemberPath),
    /// `keys(A)`: the keys of a map member, as a string array.
    Keys(MemberPath),
    /// `A[*].B.C` or `A[*].[B.C, D.E][]`: for each element of the list `A`, the string at each
    /// path that is set, as one string array.
    Each {
        list: MemberPath,
        values: Vec<MemberPath>,
    },
}

/// A piece of a host prefix template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPrefixPart {
    Literal(String),
    /// `{Name}`: the value of the input member `Name` (marked `hostLabel`).
    Label(String),
}

/// HTTP methods the models use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
}

impl HttpMethod {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
        }
    }
}

/// A parsed `requestUri`: path parts, then literal query parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUri {
    pub path: Vec<UriPart>,
    /// Literal query parameters in the URI (`?sync` → `("sync", None)`).
    pub query: Vec<(String, Option<String>)>,
}

/// A piece of a request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriPart {
    /// Text sent as is, slashes included.
    Literal(String),
    /// `{name}`: the member's value, percent-encoded including `/`.
    Label(String),
    /// `{name+}`: the member's value, percent-encoded except `/`.
    GreedyLabel(String),
}

/// A paginator from `paginators-1.json`, checked against its operation's shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Paginator {
    pub operation: String,
    pub input_tokens: Vec<MemberPath>,
    pub output_tokens: Vec<MemberPath>,
    /// The input member that sets the page size.
    pub limit_key: Option<String>,
    pub result_keys: Vec<MemberPath>,
    pub more_results: Option<MemberPath>,
    pub non_aggregate_keys: Vec<MemberPath>,
}

/// A dotted member path into an input or output (`Marker`, `Result.NextToken`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPath(pub Vec<String>);

impl MemberPath {
    /// A segment's member name and list index: `Shards[-1]` → (`Shards`, `Some(Some(-1))`);
    /// `Some(None)` for a bracket that is not an integer index.
    pub fn split_index(segment: &str) -> (&str, Option<Option<i64>>) {
        match segment.strip_suffix(']').and_then(|s| s.split_once('[')) {
            Some((name, index)) => (name, Some(index.parse().ok())),
            None => (segment, None),
        }
    }

    /// Whether a segment indexes into a list.
    pub fn has_index(&self) -> bool {
        self.0.iter().any(|s| Self::split_index(s).1.is_some())
    }
}

impl fmt::Display for MemberPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

impl Service {
    /// Values of this shape must be redacted in `Debug`: the shape is sensitive, or it is a
    /// list or map whose elements are (structures redact their own sensitive members).
    pub fn is_sensitive(&self, id: &ShapeId) -> bool {
        let shape = self.shape(id);
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List(member) => self.is_sensitive(&member.target),
                ShapeKind::Map { key, value } => {
                    self.is_sensitive(&key.target) || self.is_sensitive(&value.target)
                }
                _ => false,
            }
    }
}

/// Which way values of a shape travel; decides which code a shape needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent: serialized and validated.
    Input,
    /// Received: deserialized (outputs and errors).
    Output,
}

impl Service {
    /// The shapes each operation sends (inputs) or receives (outputs and errors), with every
    /// shape they reach through members, list elements and map keys and values. Generated code
    /// only implements serialization for the first set and parsing for the second.
    pub fn reachable(&self, direction: Direction) -> std::collections::BTreeSet<ShapeId> {
        let mut roots: Vec<&ShapeId> = Vec::new();
        for operation in &self.operations {
            match direction {
                Direction::Input => roots.extend(operation.input.iter()),
                Direction::Output => {
                    roots.extend(operation.output.iter());
                    roots.extend(operation.errors.iter());
                }
            }
        }
        if direction == Direction::Output && !self.operations.is_empty() {
            // Any exception can arrive: one an operation does not list is still parsed.
            roots.extend(
                self.shapes
                    .values()
                    .filter(|shape| shape.error.is_some())
                    .map(|shape| &shape.id),
            );
        }
        self.reachable_from(roots)
    }

    /// `roots` and every shape they reach through members, list elements and map keys and
    /// values.
    pub fn reachable_from<'a>(
        &self,
        roots: impl IntoIterator<Item = &'a ShapeId>,
    ) -> std::collections::BTreeSet<ShapeId> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<ShapeId> = roots.into_iter().cloned().collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id);
            match &shape.kind {
                ShapeKind::Structure(Structure { members, .. })
                | ShapeKind::Union(Union { members, .. }) => {
                    stack.extend(members.iter().map(|m| m.target.clone()))
                }
                ShapeKind::List(member) => stack.push(member.target.clone()),
                ShapeKind::Map { key, value } => {
                    stack.push(key.target.clone());
                    stack.push(value.target.clone());
                }
                _ => {}
            }
        }
        seen
    }

    /// The timestamp format of a member: its own, else its target's, else `default`.
    pub fn timestamp_format(&self, member: &Member, default: TimestampFormat) -> TimestampFormat {
        member
            .timestamp_format
            .unwrap_or_else(|| match self.shape(&member.target).kind {
                ShapeKind::Timestamp {
                    format: Some(format),
                } => format,
                _ => default,
            })
    }
}
