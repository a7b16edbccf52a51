//! JSON bodies: `SerializeJson` for every shape a request can carry, `DeserializeJson` for every
//! shape a response can carry, each a small non-generic function that drives the runtime's
//! writer or pull reader (shared by the `json` and `rest-json` protocols, whose bodies agree).
//!
//! Members bound elsewhere (URI, query, headers, status code, payload) are skipped here; the
//! protocol emitters handle them at the top level of an input or output.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use crate::ir::{Direction, Location, Member, Shape, ShapeId, ShapeKind, TimestampFormat};
use crate::naming::ident;

impl Emitter<'_> {
    /// `src/json.rs`: trait impls only, so the module is private.
    pub(super) fn json_module(&self) -> TokenStream {
        let root = &self.root;
        let rt = &self.runtime;
        let inputs = self.service.reachable(Direction::Input);
        let outputs = self.service.reachable(Direction::Output);
        let map_keys = self.map_key_enums();
        let items = self.service.shapes.values().map(|shape| {
            let mut tokens = TokenStream::new();
            if inputs.contains(&shape.id) {
                tokens.extend(self.serialize_impl(shape));
            }
            if outputs.contains(&shape.id) {
                tokens.extend(self.deserialize_impl(shape));
            }
            if map_keys.contains(&shape.id) {
                let name = ident(self.names.type_name(&shape.id));
                tokens.extend(quote! {
                    impl JsonKey for #name {
                        fn as_json_key(&self) -> &str { self.as_str() }
                        fn from_json_key(key: &str) -> Self { Self::from(key) }
                    }
                });
            }
            tokens
        });
        quote! {
            #![doc = " JSON bodies of requests and responses."]
            #[allow(unused_imports)]
            use #rt::json::{DeserializeJson, JsonError, JsonKey, JsonReader, JsonWriter, SerializeJson, TimestampFormat};
            use #root::types::*;
            #(#items)*
        }
    }

    /// Enums used as map keys need `JsonKey`.
    fn map_key_enums(&self) -> BTreeSet<ShapeId> {
        self.service
            .shapes
            .values()
            .filter_map(|shape| match &shape.kind {
                ShapeKind::Map { key, .. }
                    if matches!(
                        self.service.shape(&key.target).kind,
                        ShapeKind::StringEnum(_)
                    ) =>
                {
                    Some(key.target.clone())
                }
                _ => None,
            })
            .collect()
    }

    fn serialize_impl(&self, shape: &Shape) -> TokenStream {
        if !is_named(shape) {
            return TokenStream::new();
        }
        let name = ident(self.names.type_name(&shape.id));
        let body = match &shape.kind {
            ShapeKind::Structure(structure) => {
                let members = structure
                    .members
                    .iter()
                    .enumerate()
                    .filter_map(|(index, member)| {
                        let Location::Body { json_name } = &member.location else {
                            return None;
                        };
                        let field = ident(self.names.member(&shape.id, index));
                        let value = if member.boxed {
                            quote!(self.#field.as_deref())
                        } else {
                            quote!(self.#field.as_ref())
                        };
                        Some(
                            match self.timestamp_member(member, TimestampFormat::UnixTimestamp) {
                                Some(format) => {
                                    quote!(writer.timestamp_member(#json_name, #value, #format);)
                                }
                                None => quote!(writer.member(#json_name, #value);),
                            },
                        )
                    });
                quote! {
                    writer.begin_object();
                    #(#members)*
                    writer.end_object();
                }
            }
            ShapeKind::Union(union) => {
                let arms = union.members.iter().enumerate().map(|(index, member)| {
                    let variant = ident(self.names.member(&shape.id, index));
                    let json_name = body_name(member);
                    match self.timestamp_member(member, TimestampFormat::UnixTimestamp) {
                        Some(format) => quote!(Self::#variant(value) => writer.timestamp_member(#json_name, Some(value), #format),),
                        None => quote!(Self::#variant(value) => writer.member(#json_name, Some(value)),),
                    }
                });
                quote! {
                    writer.begin_object();
                    match self {
                        #(#arms)*
                        // Validation refuses to send a member this SDK version does not know.
                        Self::Unknown(_) => {}
                    }
                    writer.end_object();
                }
            }
            ShapeKind::StringEnum(_) => quote!(writer.string(self.as_str());),
            _ => return TokenStream::new(),
        };
        quote! {
            impl SerializeJson for #name {
                fn serialize_json(&self, writer: &mut JsonWriter) { #body }
            }
        }
    }

    fn deserialize_impl(&self, shape: &Shape) -> TokenStream {
        let rt = &self.runtime;
        if !is_named(shape) {
            return TokenStream::new();
        }
        let name = ident(self.names.type_name(&shape.id));
        let body = match &shape.kind {
            ShapeKind::Structure(structure) => {
                let (keys, fields): (Vec<&str>, Vec<_>) = structure
                    .members
                    .iter()
                    .enumerate()
                    .filter_map(|(index, member)| {
                        let Location::Body { json_name } = &member.location else {
                            return None;
                        };
                        Some((
                            json_name.as_str(),
                            ident(self.names.member(&shape.id, index)),
                        ))
                    })
                    .unzip();
                if keys.is_empty() {
                    // Nothing to read from the body, but it must still be well-formed JSON.
                    return quote! {
                        impl DeserializeJson for #name {
                            fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
                                reader.skip_value()?;
                                Ok(Self::default())
                            }
                        }
                    };
                }
                if let [field] = fields.as_slice() {
                    // `next_field` only ever returns the one index.
                    return quote! {
                        impl DeserializeJson for #name {
                            fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
                                let mut value = Self::default();
                                reader.begin_object()?;
                                while reader.next_field(&[#(#keys),*])?.is_some() {
                                    reader.read(&mut value.#field)?;
                                }
                                Ok(value)
                            }
                        }
                    };
                }
                let indices = (0..keys.len()).map(proc_macro2::Literal::usize_unsuffixed);
                quote! {
                    const FIELDS: &[&str] = &[#(#keys),*];
                    let mut value = Self::default();
                    reader.begin_object()?;
                    while let Some(field) = reader.next_field(FIELDS)? {
                        match field {
                            #(#indices => reader.read(&mut value.#fields)?,)*
                            // `next_field` skips the keys it was not given.
                            _ => {}
                        }
                    }
                    Ok(value)
                }
            }
            ShapeKind::Union(union) => {
                let arms = union.members.iter().enumerate().map(|(index, member)| {
                    let variant = ident(self.names.member(&shape.id, index));
                    let json_name = body_name(member);
                    if member.boxed {
                        quote!(#json_name => Self::#variant(Box::new(reader.value()?)),)
                    } else {
                        quote!(#json_name => Self::#variant(reader.value()?),)
                    }
                });
                let message = format!("{} must have one and only one member set", shape.id);
                quote! {
                    // As botocore: null members and `__type` do not count, and exactly one
                    // member must remain; an unrecognised one is kept as `Unknown`.
                    let mut value = None;
                    reader.begin_object()?;
                    while let Some(key) = reader.next_key()? {
                        if key == "__type" {
                            reader.skip_value()?;
                            continue;
                        }
                        if reader.take_null()? {
                            continue;
                        }
                        if value.is_some() {
                            return Err(reader.error(#message));
                        }
                        value = Some(match key.as_ref() {
                            #(#arms)*
                            other => {
                                reader.skip_value()?;
                                Self::Unknown(#rt::UnknownValue::new(other))
                            }
                        });
                    }
                    value.ok_or_else(|| reader.error(#message))
                }
            }
            ShapeKind::StringEnum(_) => quote!(Ok(Self::from(reader.string()?.as_ref()))),
            _ => return TokenStream::new(),
        };
        quote! {
            impl DeserializeJson for #name {
                fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> { #body }
            }
        }
    }

    /// The runtime's format for a timestamp member, or `None` when the member is not a
    /// timestamp (or is one in the protocol's default format, which the plain impl writes).
    fn timestamp_member(&self, member: &Member, default: TimestampFormat) -> Option<TokenStream> {
        if !matches!(
            self.service.shape(&member.target).kind,
            ShapeKind::Timestamp { .. }
        ) {
            return None;
        }
        let format = self.service.timestamp_format(member, default);
        if format == default {
            return None;
        }
        Some(self.timestamp_format_tokens(format))
    }

    pub(super) fn timestamp_format_tokens(&self, format: TimestampFormat) -> TokenStream {
        let rt = &self.runtime;
        match format {
            TimestampFormat::UnixTimestamp => quote!(#rt::json::TimestampFormat::EpochSeconds),
            TimestampFormat::Iso8601 => quote!(#rt::json::TimestampFormat::Iso8601),
            TimestampFormat::Rfc822 => quote!(#rt::json::TimestampFormat::HttpDate),
        }
    }
}

/// Shapes that are Rust types of their own (the rest are `String`, `Vec`, ... from elsewhere).
fn is_named(shape: &Shape) -> bool {
    matches!(
        shape.kind,
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::StringEnum(_)
    )
}

/// A union member's key in JSON (unions have no HTTP bindings).
fn body_name(member: &Member) -> &str {
    match &member.location {
        Location::Body { json_name } => json_name,
        _ => &member.name,
    }
}
