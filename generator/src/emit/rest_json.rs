//! rest-json (restJson1): how a request is laid out on HTTP (labels, query string, headers,
//! JSON body or payload) and where a response's members come from. botocore's
//! `RestJSONSerializer` / `RestJSONParser` are the reference.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use crate::ir::{Location, Member, Operation, ShapeKind, TimestampFormat, UriPart};
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
        let mut has_body_members = false;
        let mut payload = None;
        for (field, member) in &members {
            match &member.location {
                Location::Query { name } => {
                    statements.push(self.query_statement(field, member, name))
                }
                Location::Header { name } => {
                    let name = name.to_ascii_lowercase();
                    let text = self.header_text(member, quote!(value));
                    statements.push(quote! {
                        if let Some(value) = &input.#field { request.header(#name, #text); }
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

    fn query_statement(
        &self,
        field: &proc_macro2::Ident,
        member: &Member,
        name: &str,
    ) -> TokenStream {
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
                            for item in items { request.query(key, #text); }
                        }
                    }
                }
                _ => {
                    let text = self.wire_text(value, quote!(value), TimestampFormat::Iso8601);
                    quote! {
                        for (key, value) in input.#field.iter().flatten() { request.query(key, #text); }
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
            ShapeKind::List(element) => {
                let text = self.wire_text(element, quote!(item), TimestampFormat::Rfc822);
                quote!(&#value.iter().map(|item| #rt::request::header_list_item(#text)).collect::<Vec<_>>().join(", "))
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
            ShapeKind::Float => quote!(&#rt::request::float_text(f64::from(*#value))),
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
        let rt = &self.runtime;
        let Some(output) = &operation.output else {
            return TokenStream::new();
        };
        let members = self
            .service
            .shape(output)
            .kind
            .aggregate_members()
            .unwrap_or_default();
        let statements = members.iter().enumerate().map(|(index, member)| {
            let field = ident(self.names.member(output, index));
            let target = &self.service.shape(&member.target).kind;
            match &member.location {
                Location::Header { name } => {
                    let parse = self.header_parse(member, quote!(text));
                    quote! {
                        if let Some(text) = response::header(&response, #name) {
                            output.#field = Some(#parse);
                        }
                    }
                }
                Location::PrefixHeaders { prefix } => {
                    let prefix = prefix.to_ascii_lowercase();
                    quote! {
                        for (name, value) in response.headers() {
                            if let (Some(key), Ok(value)) = (name.as_str().strip_prefix(#prefix), value.to_str()) {
                                output.#field.get_or_insert_with(Default::default).insert(key.to_string(), value.to_string());
                            }
                        }
                    }
                }
                Location::StatusCode => quote!(output.#field = Some(i32::from(response.status().as_u16()));),
                // The output's event stream arrives on the receiver, not here.
                Location::Payload if self.is_event_stream(&member.target) => TokenStream::new(),
                Location::Payload => match target {
                    ShapeKind::Blob { .. } => quote!(output.#field = Some(#rt::Blob::new(response.body().to_vec()));),
                    ShapeKind::String => quote! {
                        output.#field = Some(String::from_utf8(response.body().to_vec()).map_err(|e| response::malformed(&response, &e))?);
                    },
                    _ => quote!(output.#field = response::json_body(&response)?;),
                },
                _ => TokenStream::new(),
            }
        });
        quote!(#(#statements)*)
    }

    /// An expression parsing header text into the member's type (`?` on failure).
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
            ShapeKind::Boolean => quote!(#text.parse::<bool>()#malformed),
            ShapeKind::Byte => quote!(#text.parse::<i8>()#malformed),
            ShapeKind::Short => quote!(#text.parse::<i16>()#malformed),
            ShapeKind::Integer => quote!(#text.parse::<i32>()#malformed),
            ShapeKind::Long => quote!(#text.parse::<i64>()#malformed),
            ShapeKind::Float => quote!(#text.parse::<f32>()#malformed),
            ShapeKind::Double => quote!(#text.parse::<f64>()#malformed),
            ShapeKind::Timestamp { .. } => quote!(#rt::DateTime::parse_any(#text)#malformed),
            ShapeKind::List(_) => quote!(#text.split(',').map(|item| item.trim().into()).collect()),
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
