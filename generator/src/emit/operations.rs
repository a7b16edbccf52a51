//! Operations: the `Client`, one fluent builder per operation with `send()`, and one error enum
//! per operation. What differs between protocols (how the request is built and the response
//! read) comes from `rest_json.rs` / `aws_json.rs`; everything the same for every operation is
//! a call into the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_attrs, markdown};
use crate::ir::{
    ContextPath, HostPrefixPart, Operation, Protocol, ShapeKind, Signing, StaticParam,
};
use crate::naming::{bare, ident, setter_name};

impl Emitter<'_> {
    /// Operations the client offers: all of them, event streams (qbusiness `Chat`) included.
    pub(super) fn client_operations(&self) -> impl Iterator<Item = (usize, &Operation)> {
        self.service.operations.iter().enumerate()
    }

    pub(super) fn has_event_stream(&self, operation: &Operation) -> bool {
        self.event_stream_member(operation.input.as_ref()).is_some()
            || self
                .event_stream_member(operation.output.as_ref())
                .is_some()
    }

    /// `src/client.rs`.
    pub(super) fn client_module(&self) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let metadata = &self.service.metadata;
        let (service_id, signing_name, endpoint_prefix) = (
            &metadata.service_id,
            &metadata.signing_name,
            &metadata.endpoint_prefix,
        );
        let protocol = match &metadata.protocol {
            Protocol::RestJson => quote!(#rt::protocol::Protocol::RestJson),
            Protocol::AwsJson {
                version,
                target_prefix,
            } => {
                quote!(#rt::protocol::Protocol::AwsJson { version: #version, target_prefix: #target_prefix })
            }
        };
        let rule_set = self
            .service
            .endpoint_rule_set
            .as_ref()
            .map(|rules| {
                serde_json::to_string(&sorted_keys(rules)).expect("a JSON value serializes")
            })
            .unwrap_or_default();
        let modeled = if self.has_modeled_exception_fn() {
            quote!(Some(#root::operation::modeled_exception))
        } else {
            quote!(None)
        };
        let methods = self.client_operations().map(|(index, operation)| {
            let method = ident(self.names.operation(index));
            let fluent = ident(self.names.operation_type(index));
            let mut docs = format!("Calls `{}`.", operation.name);
            if let Some(text) = &operation.docs {
                docs.push_str("\n\n");
                docs.push_str(&markdown(text));
            }
            let gate = self.feature_gate(operation);
            if gate.is_some() {
                docs.push_str(&format!(
                    "\n\nNeeds this crate's cargo feature `{}`.",
                    super::EVENT_STREAM_FEATURE
                ));
            }
            let docs = doc_attrs(&docs);
            let deprecated = operation.deprecated.as_ref().map(|d| {
                let note = d
                    .message
                    .clone()
                    .unwrap_or_else(|| "deprecated by the service".into());
                quote!(#[deprecated(note = #note)])
            });
            quote! {
                #docs
                #deprecated
                #gate
                pub fn #method(&self) -> #root::operation::#fluent {
                    #root::operation::#fluent::new(self.handle.clone())
                }
            }
        });
        let client_doc = format!(
            " A client for {}. Cheap to clone: clones share configuration and connections.",
            metadata.full_name
        );
        quote! {
            #![doc = " The client: one method per operation."]
            use std::sync::Arc;

            pub(crate) static SERVICE: #rt::client::ServiceMeta = #rt::client::ServiceMeta {
                service_id: #service_id,
                signing_name: #signing_name,
                endpoint_prefix: #endpoint_prefix,
                protocol: #protocol,
                endpoint_rule_set: #rule_set,
                modeled_exception: #modeled,
            };

            #[doc = #client_doc]
            #[derive(Clone, Debug)]
            pub struct Client {
                handle: Arc<#rt::client::ServiceClient>,
            }

            impl Client {
                /// A client with the given configuration.
                pub fn new(config: &#rt::Config) -> Self {
                    Client { handle: Arc::new(#rt::client::ServiceClient::new(config.clone(), &SERVICE)) }
                }

                /// A client configured from the environment and the shared AWS config files,
                /// as the AWS CLI and boto3 are (see [`Config::from_env`](#rt::Config::from_env)).
                pub fn from_env() -> Self {
                    Self::new(&#rt::Config::from_env())
                }

                #(#methods)*
            }
        }
    }

    /// `src/operation.rs`.
    pub(super) fn operation_module(&self) -> TokenStream {
        let rt = &self.runtime;
        let items = self.client_operations().map(|(index, operation)| {
            let fluent = self.fluent_builder(index, operation);
            let error = self.error_enum(index, operation);
            let ser = self.serialize_request(index, operation);
            let de = self.deserialize_response(index, operation);
            let stream = if self.has_event_stream(operation) {
                self.event_stream_items(index, operation)
            } else {
                TokenStream::new()
            };
            let items = quote!(#fluent #error #ser #de #stream);
            match self.feature_gate(operation) {
                Some(gate) => gated_items(&gate, items),
                None => items,
            }
        });
        let module_doc = format!(
            " One fluent builder per operation (returned by the [`Client`]({}::Client) methods), and its error type.",
            self.root_doc
        );
        let modeled = self.modeled_exception_fn();
        let discovery = self.discovery_operation_items();
        quote! {
            #![doc = #module_doc]
            use std::sync::Arc;
            #[allow(unused_imports)]
            use #rt::{client::ServiceClient, error::SdkError, request::RequestBuilder, response};
            #(#items)*
            #modeled
            #discovery
        }
    }

    /// The service's exceptions, in shape order, one per error code: of two with the same code
    /// the later in the model, as botocore's `shape_for_error_code` (a dict filled in model
    /// order) picks.
    fn exception_shapes(&self) -> Vec<&crate::ir::Shape> {
        let mut by_code: std::collections::BTreeMap<&str, &crate::ir::Shape> = Default::default();
        for shape in self.service.shapes.values() {
            if let (Some(error), ShapeKind::Structure(_)) = (&shape.error, &shape.kind) {
                let entry = by_code.entry(error.code.as_str()).or_insert(shape);
                if shape.model_index > entry.model_index {
                    *entry = shape;
                }
            }
        }
        let mut shapes: Vec<_> = by_code.into_values().collect();
        shapes.sort_by(|a, b| a.id.cmp(&b.id));
        shapes
    }

    fn has_modeled_exception_fn(&self) -> bool {
        !self.exception_shapes().is_empty() && self.client_operations().next().is_some()
    }

    /// `fn modeled_exception`: any of the service's exceptions by code, for an error code the
    /// operation does not list (botocore's `shape_for_error_code` looks through the whole
    /// service). One function per service; every operation's fallback calls it.
    fn modeled_exception_fn(&self) -> TokenStream {
        if !self.has_modeled_exception_fn() {
            return TokenStream::new();
        }
        let exceptions = self.exception_shapes();
        let arms = exceptions.iter().map(|shape| {
            let code = &shape.error.as_ref().expect("filtered on error").code;
            let parse = self.parse_exception(&shape.id, true);
            quote!(#code => Arc::new(#parse.ok()?),)
        });
        quote! {
            pub(crate) fn modeled_exception(
                error: &response::ErrorResponse<'_>,
            ) -> Option<Arc<dyn std::error::Error + Send + Sync>> {
                Some(match error.code() {
                    #(#arms)*
                    _ => return None,
                })
            }
        }
    }

    /// `Result<T, MalformedResponse>` parsing exception `id` from `error` (and its response,
    /// for members bound to headers); `typed` names `T` where nothing else infers it.
    fn parse_exception(&self, id: &crate::ir::ShapeId, typed: bool) -> TokenStream {
        let root = &self.root;
        let name = ident(self.names.type_name(id));
        let bindings = match &self.service.metadata.protocol {
            Protocol::RestJson if self.has_http_bindings(id) => {
                self.rest_json_bindings(id, &quote!(parsed))
            }
            _ => TokenStream::new(),
        };
        if bindings.is_empty() && !typed {
            quote!(error.parse())
        } else if bindings.is_empty() {
            quote!(error.parse::<#root::types::#name>())
        } else {
            // Members bound to headers (or the status) are read after the body.
            quote! {
                error.parse::<#root::types::#name>().and_then(|mut parsed| {
                    let response = error.response();
                    #bindings
                    Ok(parsed)
                })
            }
        }
    }

    pub(super) fn input_type(&self, operation: &Operation) -> Option<TokenStream> {
        let root = &self.root;
        operation.input.as_ref().map(|id| {
            let name = ident(self.names.type_name(id));
            quote!(#root::types::#name)
        })
    }

    pub(super) fn output_type(&self, operation: &Operation) -> TokenStream {
        let root = &self.root;
        match &operation.output {
            Some(id) => {
                let name = ident(self.names.type_name(id));
                quote!(#root::types::#name)
            }
            None => quote!(()),
        }
    }

    fn fluent_builder(&self, index: usize, operation: &Operation) -> TokenStream {
        let root = &self.root;
        let root_doc = &self.root_doc;
        let rt = &self.runtime;
        let fluent = ident(self.names.operation_type(index));
        let error = ident(self.names.operation_error(index));
        let ser = format_ident!("ser_{}", bare(self.names.operation(index)));
        let de = format_ident!("de_{}", bare(self.names.operation(index)));
        let output = self.output_type(operation);
        let doc = format!(
            " The `{}` operation: set the input, then [`send`](Self::send) it.",
            operation.name
        );
        let Some(input_id) = &operation.input else {
            if self.has_event_stream(operation) {
                let send =
                    self.event_stream_send(index, operation, TokenStream::new(), quote!(#ser()?));
                return quote! {
                    #[doc = #doc]
                    #[derive(Clone, Debug)]
                    pub struct #fluent { handle: Arc<ServiceClient> }
                    impl #fluent {
                        pub(crate) fn new(handle: Arc<ServiceClient>) -> Self { #fluent { handle } }
                        #send
                    }
                };
            }
            return quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #fluent { handle: Arc<ServiceClient> }
                impl #fluent {
                    pub(crate) fn new(handle: Arc<ServiceClient>) -> Self { #fluent { handle } }
                    /// Sends the request and reads the response.
                    pub async fn send(self) -> Result<#output, SdkError<#error>> {
                        let response = self.handle.send(#ser()?).await.map_err(SdkError::into_error_type)?;
                        #de(response)
                    }
                }
            };
        };
        let input = self.input_type(operation).expect("operation has an input");
        let input_name = ident(self.names.type_name(input_id));
        let builder = format_ident!("{}Builder", input_name);
        let input_shape = self.service.shape(input_id);
        let members = input_shape.kind.aggregate_members().unwrap_or_default();
        // An input event stream is sent through the stream's `input`, not set here.
        let stream_member = self
            .event_stream_member(Some(input_id))
            .map(|(member_index, _)| member_index);
        let setters = members.iter().enumerate().filter(|(member_index, _)| Some(*member_index) != stream_member).map(|(member_index, member)| {
            let field_name = self.names.member(input_id, member_index);
            let field = ident(field_name);
            let set = ident(&setter_name(field_name));
            let setter = self.setter(member, &field, true);
            let (params, args) = (&setter.params, &setter.args);
            let ty = self.qualified_type(&member.target);
            let ty = if member.boxed { quote!(Box<#ty>) } else { ty };
            let doc = format!(" {} [`{input_name}::{}`]({root_doc}::types::{input_name}::{}).", setter.verb, bare(field_name), bare(field_name));
            let set_doc = format!(" Sets or clears [`{input_name}::{}`]({root_doc}::types::{input_name}::{}).", bare(field_name), bare(field_name));
            let deprecated = member.deprecated.as_ref().map(|_| quote!(#[deprecated]));
            quote! {
                #[doc = #doc]
                #deprecated
                #[inline]
                pub fn #field(mut self, #params) -> Self { self.input = self.input.#field(#args); self }
                #[doc = #set_doc]
                #deprecated
                #[inline]
                pub fn #set(mut self, value: Option<#ty>) -> Self { self.input = self.input.#set(value); self }
            }
        });
        let tokens = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.idempotency_token)
            .map(|(member_index, _)| {
                let field = ident(self.names.member(input_id, member_index));
                quote! {
                    if input.#field.is_none() {
                        input.#field = Some(#rt::request::idempotency_token());
                    }
                }
            });
        let has_tokens = members.iter().any(|m| m.idempotency_token);
        let binding = if has_tokens {
            quote!(let mut input)
        } else {
            quote!(let input)
        };
        let send = if self.has_event_stream(operation) {
            self.event_stream_send(
                index,
                operation,
                quote! {
                    #binding = self.input.build();
                    #(#tokens)*
                },
                quote!(#ser(&input)?),
            )
        } else {
            quote! {
                /// Validates the input as botocore does (nothing is sent when it is invalid),
                /// sends the request and reads the response.
                pub async fn send(self) -> Result<#output, SdkError<#error>> {
                    #binding = self.input.build();
                    #(#tokens)*
                    let request = #ser(&input)?;
                    let response = self.handle.send(request).await.map_err(SdkError::into_error_type)?;
                    #de(response)
                }
            }
        };
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #fluent {
                pub(crate) handle: Arc<ServiceClient>,
                pub(crate) input: #root::types::builders::#builder,
            }
            impl #fluent {
                pub(crate) fn new(handle: Arc<ServiceClient>) -> Self {
                    #fluent { handle, input: #input::builder() }
                }
                #(#setters)*
                #send
            }
        }
    }

    fn error_enum(&self, index: usize, operation: &Operation) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let error = ident(self.names.operation_error(index));
        let variants: Vec<_> = self
            .error_shapes(operation)
            .iter()
            .map(|id| {
                let name = ident(self.names.type_name(id));
                let shape = self.service.shape(id);
                let docs = doc_attrs(&shape.docs.as_deref().map(markdown).unwrap_or_default());
                (name, docs)
            })
            .collect();
        let names: Vec<_> = variants.iter().map(|(name, _)| name).collect();
        let declarations = variants
            .iter()
            .map(|(name, docs)| quote!(#docs #name(#root::types::#name),));
        let doc = format!(
            " An error of `{}`: one variant per error the model lists, and `Unhandled` for any other.",
            operation.name
        );
        quote! {
            #[doc = #doc]
            #[non_exhaustive]
            #[derive(Debug)]
            pub enum #error {
                #(#declarations)*
                /// An error the model does not list for this operation.
                Unhandled(#rt::error::UnhandledError),
            }
            impl #error {
                /// The error code, as the service sent it.
                pub fn code(&self) -> &str {
                    match self {
                        #( Self::#names(error) => error.code(), )*
                        Self::Unhandled(error) => &error.code,
                    }
                }
            }
            impl std::fmt::Display for #error {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #( Self::#names(error) => error.fmt(f), )*
                        Self::Unhandled(error) => error.fmt(f),
                    }
                }
            }
            impl std::error::Error for #error {}
        }
    }

    /// `Display`, `Error` and `code()` for exception structures.
    pub(super) fn exception_impls(&self) -> TokenStream {
        let items = self.service.shapes.values().filter_map(|shape| {
            let error = shape.error.as_ref()?;
            let ShapeKind::Structure(structure) = &shape.kind else {
                return None;
            };
            let name = ident(self.names.type_name(&shape.id));
            let code = &error.code;
            let message = structure
                .members
                .iter()
                .enumerate()
                .find(|(_, m)| {
                    m.name.eq_ignore_ascii_case("message")
                        && matches!(self.service.shape(&m.target).kind, ShapeKind::String)
                })
                .map(|(index, _)| ident(self.names.member(&shape.id, index)));
            let with_message = format!("{}: {{}}", code.replace('{', "{{").replace('}', "}}"));
            let display = match message {
                Some(field) => quote! {
                    match &self.#field {
                        Some(message) => write!(f, #with_message, message),
                        None => f.write_str(#code),
                    }
                },
                None => quote!(f.write_str(#code)),
            };
            Some(quote! {
                impl #name {
                    /// The error code this error has on the wire.
                    pub fn code(&self) -> &'static str { #code }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { #display }
                }
                impl std::error::Error for #name {}
            })
        });
        quote!(#(#items)*)
    }
}

impl Emitter<'_> {
    /// `fn ser_<op>(input) -> Result<OperationRequest, ValidationError>`.
    fn serialize_request(&self, index: usize, operation: &Operation) -> TokenStream {
        let rt = &self.runtime;
        let ser = format_ident!("ser_{}", bare(self.names.operation(index)));
        let name = &operation.name;
        let method = format_ident!("{}", operation.method.as_str());
        let status = operation.response_code;
        let statements = match &self.service.metadata.protocol {
            Protocol::RestJson => self.rest_json_request(operation),
            Protocol::AwsJson {
                version,
                target_prefix,
            } => self.aws_json_request(operation, version, target_prefix),
        };
        let validate = match &operation.input {
            Some(id) if self.validated.contains(id) => {
                quote!(#rt::validate::validate(#name, input)?;)
            }
            _ => TokenStream::new(),
        };
        // A rest-json input without members (`{}`) is not read at all.
        let unread = matches!(self.service.metadata.protocol, Protocol::RestJson)
            && self.input_members(operation).is_empty();
        let host_prefix = operation.host_prefix.as_ref().map(|parts| {
            let members = self.input_members(operation);
            let pushes = parts.iter().map(|part| match part {
                HostPrefixPart::Literal(text) => quote!(host_prefix.push_str(#text);),
                HostPrefixPart::Label(name) => {
                    match members.iter().find(|(_, member)| member.name == *name) {
                        Some((field, _)) => quote! {
                            request.host_label(&mut host_prefix, #name, input.#field.as_ref().map(|v| v.as_str()))?;
                        },
                        // Lowering checked that every label is an input member.
                        None => TokenStream::new(),
                    }
                }
            });
            quote! {
                let mut host_prefix = String::new();
                #(#pushes)*
                request.host_prefix(host_prefix);
            }
        });
        let checksum = operation
            .checksum_required
            .then(|| quote!(request.require_checksum();));
        let gzip = operation
            .gzip_request
            .then(|| quote!(request.allow_gzip();));
        let signing = match operation.signing {
            Signing::SigV4 => None,
            Signing::UnsignedPayload => {
                Some(quote!(request.signing(#rt::client::Signing::UnsignedPayload);))
            }
            Signing::Anonymous => Some(quote!(request.signing(#rt::client::Signing::Anonymous);)),
            Signing::Bearer => Some(quote!(request.signing(#rt::client::Signing::Bearer);)),
        };
        let discovery = self.discovery_statements(operation);
        // botocore's JSON serializer marks every request of an awsQueryCompatible service.
        let query_mode = self
            .service
            .metadata
            .query_compatible
            .then(|| quote!(request.header("x-amzn-query-mode", "true");));
        let endpoint_params = self.endpoint_params(operation);
        let parameter = self.input_type(operation).map(|input| {
            if unread {
                quote!(_input: &#input)
            } else {
                quote!(input: &#input)
            }
        });
        quote! {
            pub(crate) fn #ser(#parameter) -> Result<#rt::client::OperationRequest, #rt::error::ValidationError> {
                #validate
                let mut request = RequestBuilder::new(#name, #rt::Method::#method, #status);
                #statements
                #host_prefix
                #checksum
                #gzip
                #signing
                #discovery
                #query_mode
                #endpoint_params
                Ok(request.build())
            }
        }
    }

    /// The service's discovery operation is called by the runtime: whether any kept operation
    /// uses endpoint discovery (lowering checked that the service then has one).
    fn discovery_operation(&self) -> Option<(usize, &Operation, &crate::ir::EndpointOperation)> {
        let spec = self.service.endpoint_operation.as_ref()?;
        if !self
            .service
            .operations
            .iter()
            .any(|op| op.endpoint_discovery.is_some())
        {
            return None;
        }
        let (index, operation) = self
            .client_operations()
            .find(|(_, op)| op.name == spec.operation)?;
        Some((index, operation, spec))
    }

    /// `ENDPOINT_DISCOVERY` and the function behind it: the service's discovery operation
    /// (`DescribeEndpoints`) called through the client's pipeline, its `Endpoints` handed to the
    /// runtime's cache. One per service; everything else about discovery is the runtime's.
    fn discovery_operation_items(&self) -> TokenStream {
        let Some((index, operation, spec)) = self.discovery_operation() else {
            return TokenStream::new();
        };
        let rt = &self.runtime;
        let ser = format_ident!("ser_{}", bare(self.names.operation(index)));
        let de = format_ident!("de_{}", bare(self.names.operation(index)));
        let member_name = |shape: &crate::ir::ShapeId, name: &str| {
            let members = self.service.shape(shape).kind.aggregate_members()?;
            let index = members.iter().position(|m| m.name == name)?;
            Some((self.names.member(shape, index), &members[index]))
        };
        let member_field = |shape: &crate::ir::ShapeId, name: &str| {
            member_name(shape, name).map(|(n, m)| (ident(n), m))
        };
        let serialize = match &operation.input {
            Some(input_id) => {
                let input = self.input_type(operation).expect("operation has an input");
                let mut setters = Vec::new();
                if spec.sends_operation
                    && let Some((field, _)) = member_name(input_id, "Operation")
                {
                    let set = ident(&setter_name(field));
                    setters.push(quote!(.#set(request.operation())));
                }
                if spec.sends_identifiers
                    && let Some((field, _)) = member_name(input_id, "Identifiers")
                {
                    let set = ident(&setter_name(field));
                    setters.push(quote!(.#set(request.identifiers())));
                }
                let request_name = if setters.is_empty() {
                    quote!(_request)
                } else {
                    quote!(request)
                };
                (
                    request_name,
                    quote! {
                        let input = #input::builder() #(#setters)* .build();
                        let call = #ser(&input)?;
                    },
                )
            }
            None => (quote!(_request), quote!(let call = #ser()?;)),
        };
        let (request_name, serialize) = serialize;
        // Lowering checked the output: Endpoints, a list of structures with Address and
        // CachePeriodInMinutes.
        let output_id = operation.output.as_ref().expect("checked by lowering");
        let Some((endpoints, list_member)) = member_field(output_id, "Endpoints") else {
            return TokenStream::new();
        };
        let crate::ir::ShapeKind::List(element) = &self.service.shape(&list_member.target).kind
        else {
            return TokenStream::new();
        };
        let (Some((address, _)), Some((period, period_member))) = (
            member_field(&element.target, "Address"),
            member_field(&element.target, "CachePeriodInMinutes"),
        ) else {
            return TokenStream::new();
        };
        let period_value = match self.service.shape(&period_member.target).kind {
            crate::ir::ShapeKind::Long => quote!(endpoint.#period),
            _ => quote!(endpoint.#period.map(i64::from)),
        };
        let (sends_operation, sends_identifiers) = (spec.sends_operation, spec.sends_identifiers);
        quote! {
            /// The service's endpoint discovery operation, for the runtime's endpoint cache.
            pub(crate) static ENDPOINT_DISCOVERY: #rt::discovery::DiscoveryOperation =
                #rt::discovery::DiscoveryOperation {
                    sends_operation: #sends_operation,
                    sends_identifiers: #sends_identifiers,
                    describe: discover_endpoints,
                };
            fn discover_endpoints<'a>(
                handle: &'a ServiceClient,
                #request_name: &'a #rt::discovery::DiscoveryRequest,
            ) -> #rt::discovery::DescribeEndpointsFuture<'a> {
                Box::pin(async move {
                    #serialize
                    let response = handle
                        .send(call)
                        .await
                        .map_err(#rt::discovery::DiscoveryError::from_sdk)?;
                    let output = #de(response).map_err(#rt::discovery::DiscoveryError::from_sdk)?;
                    Ok(output
                        .#endpoints
                        .unwrap_or_default()
                        .into_iter()
                        .map(|endpoint| {
                            #rt::discovery::DiscoveredEndpoint::new(endpoint.#address, #period_value)
                        })
                        .collect())
                })
            }
        }
    }

    /// `request.endpoint_discovery(..)` and the operation's identifier values.
    fn discovery_statements(&self, operation: &Operation) -> TokenStream {
        let Some(discovery) = &operation.endpoint_discovery else {
            return TokenStream::new();
        };
        if self.discovery_operation().is_none() {
            return TokenStream::new();
        }
        let required = discovery.required;
        let identifiers = discovery.identifiers.iter().filter_map(|path| {
            let mut shape = operation.input.clone()?;
            let mut access = quote!(input);
            for (depth, segment) in path.0.iter().enumerate() {
                let members = self.service.shape(&shape).kind.aggregate_members()?;
                let index = members.iter().position(|m| m.name == *segment)?;
                let field = ident(self.names.member(&shape, index));
                access = if depth == 0 {
                    quote!(#access.#field.as_ref())
                } else {
                    quote!(#access.and_then(|value| value.#field.as_ref()))
                };
                shape = members[index].target.clone();
            }
            let name = path.0.last()?;
            Some(quote! {
                if let Some(value) = #access {
                    request.discovery_identifier(#name, value.as_str());
                }
            })
        });
        quote! {
            request.endpoint_discovery(#required, &ENDPOINT_DISCOVERY);
            #(#identifiers)*
        }
    }

    /// The endpoint rule-set parameters an operation sets, lowest precedence first as
    /// botocore's `EndpointRulesetResolver._resolve_param_from_context` reads them
    /// (`operationContextParams`, then the input's `contextParam` members, then
    /// `staticContextParams`); only parameters the rule set declares, as botocore.
    fn endpoint_params(&self, operation: &Operation) -> TokenStream {
        let Some(declared) = self
            .service
            .endpoint_rule_set
            .as_ref()
            .and_then(|rules| rules.get("parameters"))
            .and_then(|params| params.as_object())
        else {
            return TokenStream::new();
        };
        let mut statements = Vec::new();
        if let Some(input_id) = &operation.input {
            for (name, path) in &operation.operation_context_params {
                if !declared.contains_key(name) {
                    continue;
                }
                statements.push(match path {
                    ContextPath::Value(path) => {
                        let (value, _) = self.read_path(input_id, path, quote!(input));
                        quote! {
                            if let Some(value) = #value {
                                request.endpoint_param(#name, value.as_str());
                            }
                        }
                    }
                    ContextPath::Keys(path) => {
                        let (map, _) = self.read_path(input_id, path, quote!(input));
                        quote! {
                            if let Some(map) = #map {
                                request.endpoint_param(#name, map.keys().map(|key| key.as_str().to_owned()).collect::<Vec<String>>());
                            }
                        }
                    }
                    ContextPath::Each { list, values } => {
                        let (items, list_id) = self.read_path(input_id, list, quote!(input));
                        let ShapeKind::List(element) = &self.service.shape(&list_id).kind else {
                            continue;
                        };
                        let pushes = values.iter().map(|path| {
                            let (value, _) = self.read_path(&element.target, path, quote!(item));
                            quote!(if let Some(value) = #value { values.push(value.as_str().to_owned()); })
                        });
                        quote! {
                            if let Some(items) = #items {
                                let mut values: Vec<String> = Vec::new();
                                for item in items {
                                    #(#pushes)*
                                }
                                request.endpoint_param(#name, values);
                            }
                        }
                    }
                });
            }
            for (field, member) in self.input_members(operation) {
                let Some(name) = &member.context_param else {
                    continue;
                };
                if !declared.contains_key(name) {
                    continue;
                }
                let value = match &self.service.shape(&member.target).kind {
                    ShapeKind::String | ShapeKind::StringEnum(_) => quote!(value.as_str()),
                    ShapeKind::Boolean => quote!(*value),
                    ShapeKind::List(element)
                        if matches!(
                            self.service.shape(&element.target).kind,
                            ShapeKind::String
                        ) =>
                    {
                        quote!(value.clone())
                    }
                    _ => continue,
                };
                statements.push(quote! {
                    if let Some(value) = &input.#field {
                        request.endpoint_param(#name, #value);
                    }
                });
            }
        }
        for (name, value) in &operation.static_context_params {
            if !declared.contains_key(name) {
                continue;
            }
            let value = match value {
                StaticParam::String(text) => quote!(#text),
                StaticParam::Bool(flag) => quote!(#flag),
            };
            statements.push(quote!(request.endpoint_param(#name, #value);));
        }
        quote!(#(#statements)*)
    }

    /// `fn de_<op>(response) -> Result<Output, SdkError<Error>>`, and the error reader.
    fn deserialize_response(&self, index: usize, operation: &Operation) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let de = format_ident!("de_{}", bare(self.names.operation(index)));
        let err = format_ident!("err_{}", bare(self.names.operation(index)));
        let error = ident(self.names.operation_error(index));
        let output = self.output_type(operation);
        let read_output = match &operation.output {
            None => quote!(let output = ();),
            Some(_) => {
                let bindings = match &self.service.metadata.protocol {
                    Protocol::RestJson => self.rest_json_output_bindings(operation),
                    Protocol::AwsJson { .. } => TokenStream::new(),
                };
                let binding = if bindings.is_empty() {
                    quote!(let output)
                } else {
                    quote!(let mut output)
                };
                let body = match &self.service.metadata.protocol {
                    Protocol::RestJson if !self.output_has_body(operation) => {
                        quote!(#binding = #output::default();)
                    }
                    _ => quote!(#binding: #output = response::json_body(&response)?;),
                };
                quote! {
                    #body
                    #bindings
                }
            }
        };
        let errors = self.error_shapes(operation);
        let arms = errors.iter().map(|id| {
            let name = ident(self.names.type_name(id));
            let code = &self
                .service
                .shape(id)
                .error
                .as_ref()
                .expect("operation errors are exceptions")
                .code;
            let parse = self.parse_exception(id, false);
            quote!(#code => #error::#name(#parse?),)
        });
        let classify = if errors.is_empty() {
            quote!(error.classify(|error| Ok(#error::Unhandled(error.unhandled()))))
        } else {
            quote! {
                error.classify(|error| {
                    Ok(match error.code() {
                        #(#arms)*
                        _ => #error::Unhandled(error.unhandled()),
                    })
                })
            }
        };
        // Event streams classify exception messages too, whose code comes from the message.
        let err_fns = if self.has_event_stream(operation) {
            let parsed = format_ident!("err_{}_parsed", bare(self.names.operation(index)));
            quote! {
                fn #err(response: &#rt::HttpResponse) -> SdkError<#error> {
                    #parsed(&response::ErrorResponse::new(&#root::client::SERVICE, response))
                }
                fn #parsed(error: &response::ErrorResponse<'_>) -> SdkError<#error> {
                    #classify
                }
            }
        } else {
            quote! {
                fn #err(response: &#rt::HttpResponse) -> SdkError<#error> {
                    let error = response::ErrorResponse::new(&#root::client::SERVICE, response);
                    #classify
                }
            }
        };
        quote! {
            pub(crate) fn #de(response: #rt::HttpResponse) -> Result<#output, SdkError<#error>> {
                // botocore treats every status from 300 up as an error.
                if !response.status().is_success() {
                    return Err(#err(&response));
                }
                #read_output
                Ok(output)
            }
            #err_fns
        }
    }
}

/// `value` with every object's keys in sorted order. serde_json's map order depends on whether
/// its `preserve_order` feature is on, which any other crate in a build (a user's, when the
/// generator runs from a build script) can switch on; output must not change with it.
/// `items` (an operation's structs, enums, impls and functions) each under `gate`: Rust has no
/// attribute for a run of items, and a module would change their paths.
fn gated_items(gate: &TokenStream, items: TokenStream) -> TokenStream {
    let mut file: syn::File = syn::parse2(items).expect("emitted operation items parse");
    for item in &mut file.items {
        let attrs = item_attrs(item).expect("an operation emits structs, enums, impls and fns");
        // After the doc comment, where a reader looks for it.
        let after_docs = attrs
            .iter()
            .take_while(|attr| attr.path().is_ident("doc"))
            .count();
        attrs.insert(after_docs, syn::parse_quote!(#gate));
    }
    quote!(#file)
}

/// The attributes of the item kinds an operation emits.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        _ => None,
    }
}

fn sorted_keys(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.clone(), sorted_keys(value)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sorted_keys).collect())
        }
        other => other.clone(),
    }
}
