//! rest-json (restJson1): how a request is laid out on HTTP (labels, query string, headers,
//! JSON body or payload) and where a response's members come from. botocore's
//! `RestJSONSerializer` / `RestJSONParser` are the reference.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use crate::ir::{Location, Member, Operation, ShapeId, ShapeKind, TimestampFormat, UriPart};
use crate::naming::ident;

impl Emitter<'_> {
    /// Statements that fill `request` (a `RequestBuilder`) from `input`.
    pub(super) fn rest_json_request(&self, operation: &Operation) -> TokenStream {
        let mut statements = Vec::new();
        let members = self.input_members(operation);
        // An unset label is sent empty, as botocore does (validation has already refused an
        // unset required one).
        let label = |name: &str, method: TokenStream| -> TokenStream {
            match members
                .iter()
                .find(|(_, m)| matches!(&m.location, Location::Uri { label } if label == name))
            {
                Some((field, member)) => {
                    let text = self.wire_text(member, quote!(value), TimestampFormat::Iso8601);
                    quote!(if let Some(value) = &input.#field { request.#method(#text); })
                }
                None => TokenStream::new(),
            }
        };
        for part in &operation.uri.path {
            statements.push(match part {
                UriPart::Literal(text) => quote!(request.path(#text);),
                UriPart::Label(name) => label(name, quote!(label)),
                UriPart::GreedyLabel(name) => label(name, quote!(greedy_label)),
            });
        }
        for (key, value) in &operation.uri.query {
            let raw = match value {
                Some(value) => format!("{key}={value}"),
                None => key.clone(),
            };
            statements.push(quote!(request.literal_query(#raw);));
        }
        let named_query: Vec<&str> = members
            .iter()
            .filter_map(|(_, m)| match &m.location {
                Location::Query { name } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let mut has_body_members = false;
        let mut payload = None;
        for (field, member) in &members {
            match &member.location {
                Location::Query { name } => {
                    statements.push(self.query_statement(field, member, name, &named_query))
                }
                Location::Header { name } => {
                    let name = name.to_ascii_lowercase();
                    let text = self.header_text(member, quote!(value));
                    let is_list =
                        matches!(self.service.shape(&member.target).kind, ShapeKind::List(_));
                    // botocore sends no header for an empty list.
                    statements.push(if is_list {
                        quote! {
                            if let Some(value) = &input.#field && !value.is_empty() { request.header(#name, #text); }
                        }
                    } else {
                        quote! {
                            if let Some(value) = &input.#field { request.header(#name, #text); }
                        }
                    });
                }
                Location::PrefixHeaders { prefix } => {
                    let prefix = prefix.to_ascii_lowercase();
                    statements.push(quote! {
                        for (key, value) in input.#field.iter().flatten() {
                            request.header(&format!("{}{}", #prefix, key.to_ascii_lowercase()), value);
                        }
                    });
                }
                Location::Body { .. } => has_body_members = true,
                Location::Payload => payload = Some((field.clone(), *member)),
                Location::Uri { .. }
                | Location::StatusCode
                | Location::EventHeader
                | Location::EventPayload => {}
            }
        }
        // An event-stream payload is the streamed body, sent by the runtime.
        let payload = payload.filter(|(_, member)| !self.is_event_stream(&member.target));
        if let Some((field, member)) = payload {
            statements.push(match &self.service.shape(&member.target).kind {
                ShapeKind::Blob { .. } => quote! {
                    if let Some(value) = &input.#field { request.body(value.as_bytes().to_vec(), "application/octet-stream"); }
                },
                ShapeKind::String => quote! {
                    if let Some(value) = &input.#field { request.body(value.clone(), "text/plain"); }
                },
                ShapeKind::StringEnum(_) => quote! {
                    if let Some(value) = &input.#field { request.body(value.as_str().to_owned(), "text/plain"); }
                },
                // A structure, union or document payload is the JSON body; botocore sends `{}`
                // when it is unset.
                _ => quote! {
                    match &input.#field {
                        Some(value) => request.json_body(value, "application/json"),
                        None => request.body(&b"{}"[..], "application/json"),
                    }
                },
            });
        } else if has_body_members {
            // botocore sends `{}` as soon as the input *has* body members, set or not.
            statements.push(quote!(request.json_body(input, "application/json");));
        }
        quote!(#(#statements)*)
    }

    /// `named` lists the operation's named query parameters: a map bound to the query string
    /// does not repeat them (Smithy's precedence rule; botocore lets whichever comes last in the
    /// caller's dict win, which has no equivalent in a struct).
    fn query_statement(
        &self,
        field: &proc_macro2::Ident,
        member: &Member,
        name: &str,
        named: &[&str],
    ) -> TokenStream {
        let skip_named = if named.is_empty() {
            quote!()
        } else {
            quote!(if matches!(key.as_str(), #(#named)|*) {
                continue;
            })
        };
        match &self.service.shape(&member.target).kind {
            ShapeKind::List(element) => {
                let text = self.wire_text(element, quote!(item), TimestampFormat::Iso8601);
                quote! {
                    for item in input.#field.iter().flatten() { request.query(#name, #text); }
                }
            }
            // botocore merges a map's entries into the query string; list values repeat the key.
            ShapeKind::Map { value, .. } => match &self.service.shape(&value.target).kind {
                ShapeKind::List(element) => {
                    let text = self.wire_text(element, quote!(item), TimestampFormat::Iso8601);
                    quote! {
                        for (key, items) in input.#field.iter().flatten() {
                            #skip_named
                            for item in items { request.query(key, #text); }
                        }
                    }
                }
                _ => {
                    let text = self.wire_text(value, quote!(value), TimestampFormat::Iso8601);
                    quote! {
                        for (key, value) in input.#field.iter().flatten() {
                            #skip_named
                            request.query(key, #text);
                        }
                    }
                }
            },
            _ => {
                let text = self.wire_text(member, quote!(value), TimestampFormat::Iso8601);
                quote! {
                    if let Some(value) = &input.#field { request.query(#name, #text); }
                }
            }
        }
    }

    fn header_text(&self, member: &Member, value: TokenStream) -> TokenStream {
        let rt = &self.runtime;
        match &self.service.shape(&member.target).kind {
            // botocore joins items with `,` and quotes only strings that need it.
            ShapeKind::List(element) => {
                let text = self.wire_text(element, quote!(item), TimestampFormat::Rfc822);
                let item = match self.service.shape(&element.target).kind {
                    ShapeKind::String => quote!(#rt::request::header_list_item(#text)),
                    _ => quote!((#text).to_string()),
                };
                quote!(&#value.iter().map(|item| #item).collect::<Vec<_>>().join(","))
            }
            ShapeKind::String if member.json_value => {
                quote!(&#rt::request::base64_text(#value.as_bytes()))
            }
            _ => self.wire_text(member, value, TimestampFormat::Rfc822),
        }
    }

    /// An expression of type `&str` giving the text of a scalar `value` (a reference to the
    /// member's Rust type) for a URI, query string or header.
    fn wire_text(
        &self,
        member: &Member,
        value: TokenStream,
        default: TimestampFormat,
    ) -> TokenStream {
        let rt = &self.runtime;
        match &self.service.shape(&member.target).kind {
            ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                quote!(#value.as_str())
            }
            ShapeKind::StringEnum(_) => quote!(#value.as_str()),
            ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long => {
                quote!(&#value.to_string())
            }
            ShapeKind::Float => quote!(&#rt::request::float32_text(*#value)),
            ShapeKind::Double => quote!(&#rt::request::float_text(*#value)),
            ShapeKind::Timestamp { .. } => match self.service.timestamp_format(member, default) {
                TimestampFormat::Iso8601 => quote!(&#value.to_iso8601()),
                TimestampFormat::Rfc822 => quote!(&#value.to_http_date()),
                TimestampFormat::UnixTimestamp => quote!(&#value.secs().to_string()),
            },
            ShapeKind::Blob { .. } => quote!(&#rt::request::base64_text(#value.as_bytes())),
            // Lists, maps and structures are not bound to URIs or headers by valid models.
            _ => quote!(""),
        }
    }

    /// Statements that set `output`'s header and status-code members, or its payload.
    pub(super) fn rest_json_output_bindings(&self, operation: &Operation) -> TokenStream {
        match &operation.output {
            Some(output) => self.rest_json_bindings(output, &quote!(output)),
            None => TokenStream::new(),
        }
    }

    /// Statements that set the header-, status- and payload-bound members of `target` (a
    /// variable of shape `shape`) from `response`, as botocore's `BaseRestParser` does.
    pub(super) fn rest_json_bindings(&self, shape: &ShapeId, target: &TokenStream) -> TokenStream {
        let rt = &self.runtime;
        let members = self
            .service
            .shape(shape)
            .kind
            .aggregate_members()
            .unwrap_or_default();
        let statements = members.iter().enumerate().map(|(index, member)| {
            let field = ident(self.names.member(shape, index));
            let kind = &self.service.shape(&member.target).kind;
            match &member.location {
                Location::Header { name } => {
                    let name = name.to_ascii_lowercase();
                    let parse = self.header_parse(member, quote!(text));
                    quote! {
                        if let Some(text) = response::header_text(&response, #name) {
                            let text = text.as_str();
                            #target.#field = Some(#parse);
                        }
                    }
                }
                Location::PrefixHeaders { prefix } => {
                    let prefix = prefix.to_ascii_lowercase();
                    quote! {
                        for name in response.headers().keys() {
                            if let Some(key) = name.as_str().strip_prefix(#prefix)
                                && let Some(value) = response::header_text(&response, name.as_str())
                            {
                                #target.#field.get_or_insert_with(Default::default).insert(key.to_string(), value);
                            }
                        }
                    }
                }
                Location::StatusCode => {
                    quote!(#target.#field = Some(i32::from(response.status().as_u16()));)
                }
                // The output's event stream arrives on the receiver, not here.
                Location::Payload if self.is_event_stream(&member.target) => TokenStream::new(),
                Location::Payload => match kind {
                    // botocore hands back the body as is, empty or not.
                    ShapeKind::Blob { .. } => {
                        quote!(#target.#field = Some(#rt::Blob::new(response.body().to_vec()));)
                    }
                    ShapeKind::String => {
                        quote!(#target.#field = Some(response::text_payload(&response)?);)
                    }
                    ShapeKind::StringEnum(_) => {
                        quote!(#target.#field = Some(response::text_payload(&response)?.as_str().into());)
                    }
                    // botocore parses an empty body as `{}`: an empty structure.
                    ShapeKind::Structure(_) => quote! {
                        #target.#field = Some(response::json_payload(&response)?.unwrap_or_default());
                    },
                    // A union or document: absent when the body is empty.
                    _ => quote!(#target.#field = response::json_payload(&response)?;),
                },
                _ => TokenStream::new(),
            }
        });
        quote!(#(#statements)*)
    }

    /// The shape has members outside the JSON body (headers, status code, payload).
    pub(super) fn has_http_bindings(&self, shape: &ShapeId) -> bool {
        self.service
            .shape(shape)
            .kind
            .aggregate_members()
            .unwrap_or_default()
            .iter()
            .any(|m| {
                matches!(
                    m.location,
                    Location::Header { .. }
                        | Location::PrefixHeaders { .. }
                        | Location::StatusCode
                        | Location::Payload
                )
            })
    }

    /// An expression parsing header text (`text: &str`) into the member's type, with `?` on
    /// failure. botocore's `RestJSONParser` handlers: booleans never fail, numbers and
    /// timestamps do, lists are split on commas.
    fn header_parse(&self, member: &Member, text: TokenStream) -> TokenStream {
        let rt = &self.runtime;
        let malformed = quote!(.map_err(|e| response::malformed(&response, &e))?);
        match &self.service.shape(&member.target).kind {
            ShapeKind::String if member.json_value => {
                quote!(#rt::request::base64_decode_text(#text)#malformed)
            }
            ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => {
                quote!(#text.to_string())
            }
            ShapeKind::StringEnum(_) => quote!(#text.into()),
            ShapeKind::Boolean => quote!(response::header_bool(#text)),
            ShapeKind::Byte => quote!(#text.trim().parse::<i8>()#malformed),
            ShapeKind::Short => quote!(#text.trim().parse::<i16>()#malformed),
            ShapeKind::Integer => quote!(#text.trim().parse::<i32>()#malformed),
            ShapeKind::Long => quote!(#text.trim().parse::<i64>()#malformed),
            ShapeKind::Float => quote!(#text.trim().parse::<f32>()#malformed),
            ShapeKind::Double => quote!(#text.trim().parse::<f64>()#malformed),
            ShapeKind::Timestamp { .. } => {
                quote!(#rt::DateTime::parse_any(#text.trim())#malformed)
            }
            ShapeKind::Blob { .. } => {
                quote!(#rt::Blob::new(response::base64_header(#text)#malformed))
            }
            ShapeKind::List(element) => {
                let http_dates = matches!(
                    self.service.shape(&element.target).kind,
                    ShapeKind::Timestamp { .. }
                ) && self
                    .service
                    .timestamp_format(element, TimestampFormat::Rfc822)
                    == TimestampFormat::Rfc822;
                let item = self.header_parse(element, quote!(text));
                quote! {{
                    let mut items = Vec::new();
                    for item in response::header_list(#text, #http_dates) {
                        let text = item.as_str();
                        items.push(#item);
                    }
                    items
                }}
            }
            // Maps, structures, unions and documents cannot be bound to a header.
            _ => quote!(Default::default()),
        }
    }

    /// `(field, member)` of every input member, in model order.
    pub(super) fn input_members(
        &self,
        operation: &Operation,
    ) -> Vec<(proc_macro2::Ident, &Member)> {
        let Some(input) = &operation.input else {
            return Vec::new();
        };
        let members = self
            .service
            .shape(input)
            .kind
            .aggregate_members()
            .unwrap_or_default();
        members
            .iter()
            .enumerate()
            .map(|(index, member)| (ident(self.names.member(input, index)), member))
            .collect()
    }

    /// The output has members read from the JSON body.
    pub(super) fn output_has_body(&self, operation: &Operation) -> bool {
        operation.output.as_ref().is_some_and(|output| {
            self.service
                .shape(output)
                .kind
                .aggregate_members()
                .unwrap_or_default()
                .iter()
                .any(|m| matches!(m.location, Location::Body { .. }))
        })
    }
}
