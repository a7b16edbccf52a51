//! Event-stream operations: any operation whose input or output has a member targeting an
//! `eventstream` union (qbusiness `Chat`). The runtime's `event_stream` module does the work
//! (framing, signing, HTTP/2, channels); per operation this emits only
//!
//! * `<Op>EventStream`, the open stream: `input` (an `EventSender` of the input union) and
//!   `output` (an `EventReceiver` of the output union, the initial output and the error type);
//! * `send()` on the fluent builder, which opens it;
//! * `marshal_<op>`: an input event → a message (`:event-type` = the member name; `eventheader`
//!   members as typed headers; the `eventpayload` member as the payload — blob as is, string as
//!   text, structure as JSON — or else the event's other members as a JSON payload);
//! * `unmarshal_<op>`: the reverse for output events; unknown event types give `None` (skipped,
//!   as botocore does). Exception members of the output union are not events: they arrive as
//!   `exception` messages and are variants of the operation's error enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::ir::{Location, Member, Operation, Protocol, ShapeId, ShapeKind};
use crate::naming::{bare, ident, setter_name};

impl Emitter<'_> {
    /// The shape is an event-stream union.
    pub(super) fn is_event_stream(&self, id: &ShapeId) -> bool {
        matches!(&self.service.shape(id).kind, ShapeKind::Union(u) if u.event_stream)
    }

    /// The member of `shape` (an input or output) that is an event stream: its index and union.
    pub(super) fn event_stream_member<'s>(
        &'s self,
        shape: Option<&ShapeId>,
    ) -> Option<(usize, &'s ShapeId)> {
        let shape = self.service.shape(shape?);
        shape
            .kind
            .aggregate_members()?
            .iter()
            .enumerate()
            .find(|(_, member)| self.is_event_stream(&member.target))
            .map(|(index, member)| (index, &member.target))
    }

    /// The errors of an operation's error enum: the modelled errors, then the exception members
    /// of its output event stream that are not among them.
    pub(super) fn error_shapes(&self, operation: &Operation) -> Vec<ShapeId> {
        let mut errors = operation.errors.clone();
        if let Some((_, union)) = self.event_stream_member(operation.output.as_ref()) {
            let members = self
                .service
                .shape(union)
                .kind
                .aggregate_members()
                .unwrap_or_default();
            for member in members {
                if self.service.shape(&member.target).error.is_some()
                    && !errors.contains(&member.target)
                {
                    errors.push(member.target.clone());
                }
            }
        }
        errors
    }

    fn stream_type(&self, index: usize) -> proc_macro2::Ident {
        format_ident!("{}EventStream", bare(self.names.operation_type(index)))
    }

    /// `send()` of an event-stream operation's fluent builder; `request` is the expression
    /// giving the serialized request (after validation and idempotency tokens).
    pub(super) fn event_stream_send(
        &self,
        index: usize,
        operation: &Operation,
        prelude: TokenStream,
        request: TokenStream,
    ) -> TokenStream {
        let rt = &self.runtime;
        let error = ident(self.names.operation_error(index));
        let stream = self.stream_type(index);
        let op = bare(self.names.operation(index));
        let de = format_ident!("de_{}", op);
        let err = format_ident!("err_{}_parsed", op);
        let marshal = format_ident!("marshal_{}", op);
        let unmarshal = format_ident!("unmarshal_{}", op);
        let name = &operation.name;
        let input_stream = self.event_stream_member(operation.input.as_ref()).is_some();
        let output_stream = self
            .event_stream_member(operation.output.as_ref())
            .is_some();
        let http2 = self.service.metadata.h2_event_streams;
        let initial_response_event =
            matches!(self.service.metadata.protocol, Protocol::AwsJson { .. });
        let input_field = input_stream.then(
            || quote!(input: #rt::event_stream::EventSender::new(#name, stream.input, #marshal),),
        );
        let event = if output_stream {
            quote!(#unmarshal)
        } else {
            quote!(#rt::event_stream::no_events)
        };
        quote! {
            /// Validates the input as botocore does (nothing is sent when it is invalid) and
            /// opens the event stream. Returns at once, without waiting for the response: the
            /// service may wait for the first input events before it answers. An error
            /// response arrives as the first item of the output.
            pub async fn send(self) -> Result<#stream, SdkError<#error>> {
                #prelude
                let request = #request;
                let stream = self
                    .handle
                    .open_event_stream(#rt::event_stream::EventStreamRequest {
                        request,
                        input_stream: #input_stream,
                        http2: #http2,
                    })
                    .await
                    .map_err(SdkError::into_error_type)?;
                Ok(#stream {
                    #input_field
                    output: #rt::event_stream::EventReceiver::new(
                        stream.output,
                        #rt::event_stream::OutputSpec {
                            initial: #de,
                            error: #err,
                            event: #event,
                            initial_response_event: #initial_response_event,
                        },
                    ),
                })
            }
        }
    }

    /// `<Op>EventStream` and the marshal / unmarshal functions of an event-stream operation.
    pub(super) fn event_stream_items(&self, index: usize, operation: &Operation) -> TokenStream {
        let root = &self.root;
        let root_doc = &self.root_doc;
        let rt = &self.runtime;
        let error = ident(self.names.operation_error(index));
        let stream = self.stream_type(index);
        let output = self.output_type(operation);
        let input = self.event_stream_member(operation.input.as_ref());
        let output_union = self.event_stream_member(operation.output.as_ref());
        let mut items = TokenStream::new();
        let input_field = input.map(|(_, union)| {
            let ty = ident(self.names.type_name(union));
            let doc = format!(
                " Sends [`{ty}`]({root_doc}::types::{ty}) events, validated first; waits while the \
                 queue is full. Dropping it (and every clone) or calling `close()` ends the input \
                 with the final signed empty frame."
            );
            items.extend(self.marshal_fn(index, operation, union));
            quote! { #[doc = #doc] pub input: #rt::event_stream::EventSender<#root::types::#ty>, }
        });
        let (event_ty, output_doc) = match output_union {
            Some((_, union)) => {
                let ty = ident(self.names.type_name(union));
                items.extend(self.unmarshal_fn(index, union));
                (
                    quote!(#root::types::#ty),
                    format!(
                        " Receives [`{ty}`]({root_doc}::types::{ty}) events (a `Stream`, or \
                         `recv().await`); an error response or exception is an error item, \
                         after which the stream ends; unknown event types are skipped."
                    ),
                )
            }
            None => (
                quote!(()),
                " The response: errors, and the end of the stream (the operation has no output events).".to_owned(),
            ),
        };
        let doc = format!(
            " The open `{}` event stream, returned by `send()`: use `input` and `output` \
             concurrently (e.g. move `input` into a task).",
            operation.name
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            #[non_exhaustive]
            pub struct #stream {
                #input_field
                #[doc = #output_doc]
                pub output: #rt::event_stream::EventReceiver<#event_ty, #output, #error>,
            }
            #items
        }
    }

    fn marshal_fn(&self, index: usize, operation: &Operation, union: &ShapeId) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let marshal = format_ident!("marshal_{}", bare(self.names.operation(index)));
        let union_ty = ident(self.names.type_name(union));
        let name = &operation.name;
        let members = self
            .service
            .shape(union)
            .kind
            .aggregate_members()
            .unwrap_or_default();
        let arms = members.iter().enumerate().map(|(member_index, member)| {
            let variant = ident(self.names.member(union, member_index));
            let event_type = &member.name;
            let statements = self.marshal_event(member);
            quote! {
                #root::types::#union_ty::#variant(value) => {
                    let mut message = Message::event(#event_type);
                    #statements
                    message
                }
            }
        });
        let validate = if self.validated.contains(union) {
            quote!(#rt::validate::validate(#name, event)?;)
        } else {
            TokenStream::new()
        };
        let unknown = format!(
            "is an event this SDK version does not know ({}::Unknown); it cannot be sent",
            union_ty
        );
        quote! {
            fn #marshal(event: &#root::types::#union_ty) -> Result<#rt::event_stream::Message, #rt::error::ValidationError> {
                use #rt::event_stream::Message;
                #validate
                Ok(match event {
                    #(#arms)*
                    #root::types::#union_ty::Unknown(_) => {
                        return Err(#rt::error::ValidationError::new(#name, "event", #unknown));
                    }
                })
            }
        }
    }

    /// Statements that fill `message` from `value`, an event structure.
    fn marshal_event(&self, member: &Member) -> TokenStream {
        let shape = self.service.shape(&member.target);
        let Some(members) = shape.kind.aggregate_members() else {
            return TokenStream::new();
        };
        let mut statements = Vec::new();
        let mut payload = None;
        for (index, event_member) in members.iter().enumerate() {
            let field = ident(self.names.member(&member.target, index));
            match event_member.location {
                Location::EventHeader => {
                    let name = &event_member.name;
                    if let Some(value) = self.header_value(event_member) {
                        statements.push(quote! {
                            if let Some(v) = &value.#field { message.add_header(#name, #value); }
                        });
                    }
                }
                Location::EventPayload => payload = Some((field, event_member)),
                _ => {}
            }
        }
        statements.push(match payload {
            Some((field, event_member)) => {
                match &self.service.shape(&event_member.target).kind {
                    ShapeKind::Blob { .. } => quote! {
                        if let Some(v) = &value.#field { message.set_payload(v.as_bytes().to_vec(), "application/octet-stream"); }
                    },
                    ShapeKind::String => quote! {
                        if let Some(v) = &value.#field { message.set_payload(v.clone(), "text/plain"); }
                    },
                    _ if event_member.boxed => quote! {
                        if let Some(v) = &value.#field { message.set_json_payload(&**v); }
                    },
                    _ => quote! {
                        if let Some(v) = &value.#field { message.set_json_payload(v); }
                    },
                }
            }
            // The event's members not bound to headers are its JSON payload.
            None if member.boxed => quote!(message.set_json_payload(&**value);),
            None => quote!(message.set_json_payload(value);),
        });
        quote!(#(#statements)*)
    }

    /// A `HeaderValue` expression for `v` (a reference to the member's value).
    fn header_value(&self, member: &Member) -> Option<TokenStream> {
        let rt = &self.runtime;
        let value = match &self.service.shape(&member.target).kind {
            ShapeKind::String => quote!(HeaderValue::String(v.clone())),
            ShapeKind::StringEnum(_) => quote!(HeaderValue::String(v.as_str().to_owned())),
            ShapeKind::Blob { .. } => {
                quote!(HeaderValue::ByteArray(v.as_bytes().to_vec().into()))
            }
            ShapeKind::Boolean => quote!(HeaderValue::Bool(*v)),
            ShapeKind::Byte => quote!(HeaderValue::Byte(*v)),
            ShapeKind::Short => quote!(HeaderValue::Int16(*v)),
            ShapeKind::Integer => quote!(HeaderValue::Int32(*v)),
            ShapeKind::Long => quote!(HeaderValue::Int64(*v)),
            ShapeKind::Timestamp { .. } => quote!(HeaderValue::timestamp(v)),
            _ => return None,
        };
        Some(quote!(#rt::event_stream::#value))
    }

    fn unmarshal_fn(&self, index: usize, union: &ShapeId) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let unmarshal = format_ident!("unmarshal_{}", bare(self.names.operation(index)));
        let union_ty = ident(self.names.type_name(union));
        let members = self
            .service
            .shape(union)
            .kind
            .aggregate_members()
            .unwrap_or_default();
        let arms: Vec<_> = members
            .iter()
            .enumerate()
            .filter(|(_, member)| self.service.shape(&member.target).error.is_none())
            .map(|(member_index, member)| {
                let variant = ident(self.names.member(union, member_index));
                let event_type = &member.name;
                let read = self.unmarshal_event(member);
                let value = if member.boxed {
                    quote!(Box::new(value))
                } else {
                    quote!(value)
                };
                quote! {
                    #event_type => {
                        #read
                        #root::types::#union_ty::#variant(#value)
                    }
                }
            })
            .collect();
        let doc = format!(
            " Reads one `{}` event; `None` for an event type this SDK does not know.",
            self.names.type_name(union)
        );
        quote! {
            #[doc = #doc]
            fn #unmarshal(message: &#rt::event_stream::Message) -> Result<Option<#root::types::#union_ty>, String> {
                let event_type = message.header_str(":event-type").unwrap_or_default();
                Ok(Some(match event_type {
                    #(#arms)*
                    _ => return Ok(None),
                }))
            }
        }
    }

    /// Statements that bind `value` (the event structure) from `message`.
    fn unmarshal_event(&self, member: &Member) -> TokenStream {
        let rt = &self.runtime;
        let ty = self.qualified_type(&member.target);
        let shape = self.service.shape(&member.target);
        let members = shape.kind.aggregate_members().unwrap_or_default();
        let mut statements = Vec::new();
        let mut payload = None;
        for (index, event_member) in members.iter().enumerate() {
            let field = ident(self.names.member(&member.target, index));
            match event_member.location {
                Location::EventHeader => {
                    let name = &event_member.name;
                    let parse = match &self.service.shape(&event_member.target).kind {
                        ShapeKind::String => quote!(h.as_str()?.to_owned()),
                        ShapeKind::StringEnum(_) => quote!(h.as_str()?.into()),
                        ShapeKind::Blob { .. } => quote!(#rt::Blob::new(h.as_bytes()?.to_vec())),
                        ShapeKind::Boolean => quote!(h.as_bool()?),
                        ShapeKind::Byte => quote!(h.as_int::<i8>()?),
                        ShapeKind::Short => quote!(h.as_int::<i16>()?),
                        ShapeKind::Integer => quote!(h.as_int::<i32>()?),
                        ShapeKind::Long => quote!(h.as_i64()?),
                        ShapeKind::Timestamp { .. } => quote!(h.as_timestamp()?),
                        _ => continue,
                    };
                    statements.push(quote! {
                        if let Some(h) = message.header(#name) {
                            value.#field = Some(#parse);
                        }
                    });
                }
                Location::EventPayload => {
                    let set = ident(&setter_name(self.names.member(&member.target, index)));
                    payload = Some((set, event_member));
                }
                _ => {}
            }
        }
        let binding = if statements.is_empty() {
            quote!(let value)
        } else {
            quote!(let mut value)
        };
        let init = match payload {
            None => quote!(#binding: #ty = message.json_payload()?;),
            Some((set, event_member)) => {
                let read = match &self.service.shape(&event_member.target).kind {
                    ShapeKind::Blob { .. } => quote!(#rt::Blob::new(message.payload.to_vec())),
                    ShapeKind::String => quote!(message.text_payload()?),
                    _ => quote!(message.json_payload()?),
                };
                let read = if event_member.boxed {
                    quote!(Box::new(#read))
                } else {
                    read
                };
                quote!(#binding = #ty::builder().#set(Some(#read)).build();)
            }
        };
        quote! {
            #init
            #(#statements)*
        }
    }
}
