//! The data model: one Rust type per structure, union and string enum, plus builders.
//!
//! Kept deliberately plain so that it compiles fast: no serde derives, no generic code per
//! shape, derives limited to `Clone`, `PartialEq`, `Default` and `Debug` (written by hand only
//! where sensitive members must be redacted). Setters take `impl Into<T>`, which costs nothing
//! in this crate and is monomorphized only where a caller uses it; the non-generic ones are
//! `#[inline]` for the same reason: thousands of one-line setters would otherwise each be
//! compiled to machine code here whether or not anyone calls them (measured: about half of the
//! crate's compile time).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc_attrs, markdown};
use crate::ir::{Deprecation, Member, Shape, ShapeId, ShapeKind, Structure, Union};
use crate::naming::{bare, ident, setter_name};

impl Emitter<'_> {
    /// `src/types.rs`: every named type.
    /// `builders` is the `builders` module: a declaration (`pub mod builders;`) or inline.
    pub(super) fn types_module(&self, builders: TokenStream) -> TokenStream {
        let items = self.service.shapes.values().map(|shape| match &shape.kind {
            ShapeKind::Structure(structure) => self.structure(shape, structure),
            ShapeKind::Union(union) => self.union(shape, union),
            ShapeKind::StringEnum(values) => self.string_enum(shape, values),
            _ => TokenStream::new(),
        });
        let exceptions = self.exception_impls();
        quote! {
            #![doc = " Every structure, union and enum of the service's model."]
            #builders
            #(#items)*
            #exceptions
        }
    }

    /// `src/types/builders.rs`: a builder per structure.
    pub(super) fn builders_module(&self) -> TokenStream {
        let items = self.service.shapes.values().map(|shape| match &shape.kind {
            ShapeKind::Structure(structure) => self.builder(shape, structure),
            _ => TokenStream::new(),
        });
        let has_structures = self
            .service
            .shapes
            .values()
            .any(|shape| matches!(shape.kind, ShapeKind::Structure(_)));
        // With colliding builder names every type is named by full path (see `builder`).
        let import = if has_structures && !self.builder_names_collide() {
            quote!(
                use super::*;
            )
        } else {
            quote!()
        };
        quote! {
            #![doc = " Builders for the structures in [`types`](super)."]
            #import
            #(#items)*
        }
    }

    /// The Rust type of a member's target, as written inside the `types` module.
    pub(super) fn rust_type(&self, id: &ShapeId) -> TokenStream {
        self.type_tokens(id, &TokenStream::new())
    }

    /// The Rust type of a member's target, as written outside the `types` module.
    pub(super) fn qualified_type(&self, id: &ShapeId) -> TokenStream {
        let root = &self.root;
        self.type_tokens(id, &quote!(#root::types::))
    }

    fn type_tokens(&self, id: &ShapeId, types_path: &TokenStream) -> TokenStream {
        let rt = &self.runtime;
        let shape = self.service.shape(id);
        match &shape.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::StringEnum(_) => {
                let name = ident(self.names.type_name(id));
                quote!(#types_path #name)
            }
            ShapeKind::List(member) => {
                let element = self.type_tokens(&member.target, types_path);
                quote!(Vec<#element>)
            }
            ShapeKind::Map { key, value } => {
                let key = self.type_tokens(&key.target, types_path);
                let value = self.type_tokens(&value.target, types_path);
                quote!(std::collections::BTreeMap<#key, #value>)
            }
            // botocore hands big numbers to Python as int / Decimal; as text they stay exact.
            ShapeKind::String | ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(String),
            ShapeKind::Blob { .. } => quote!(#rt::Blob),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Byte => quote!(i8),
            ShapeKind::Short => quote!(i16),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::Timestamp { .. } => quote!(#rt::DateTime),
            ShapeKind::Document => quote!(#rt::Document),
        }
    }

    fn member_type(&self, member: &Member) -> TokenStream {
        let ty = self.rust_type(&member.target);
        if member.boxed { quote!(Box<#ty>) } else { ty }
    }

    fn member_docs(&self, member: &Member) -> TokenStream {
        let mut text = String::new();
        if member.required {
            text.push_str("**\\[REQUIRED\\]**\n\n");
        }
        if let Some(docs) = &member.docs {
            text.push_str(&markdown(docs));
        }
        if matches!(&self.service.shape(&member.target).kind, ShapeKind::Union(u) if u.event_stream)
        {
            text.push_str("\n\nUnused by the client: the operation's `send()` returns the event stream, whose `input` sends these events and whose `output` receives them.");
        }
        if member.idempotency_token {
            text.push_str("\n\nIf not provided, the SDK fills this with a fresh UUID v4 (botocore: \"autopopulated if not provided\").");
        }
        let mut attrs = doc_attrs(text.trim());
        attrs.extend(deprecated_attr(member.deprecated.as_ref()));
        attrs
    }

    fn shape_docs(&self, shape: &Shape) -> TokenStream {
        let mut attrs = doc_attrs(&shape.docs.as_deref().map(markdown).unwrap_or_default());
        attrs.extend(deprecated_attr(shape.deprecated.as_ref()));
        attrs
    }

    fn structure(&self, shape: &Shape, structure: &Structure) -> TokenStream {
        let name = ident(self.names.type_name(&shape.id));
        let builder = format_ident!("{}Builder", name);
        let docs = self.shape_docs(shape);
        let fields = structure.members.iter().enumerate().map(|(index, member)| {
            let field = ident(self.names.member(&shape.id, index));
            let docs = self.member_docs(member);
            let ty = self.member_type(member);
            quote! { #docs pub #field: Option<#ty>, }
        });
        let redacted = structure
            .members
            .iter()
            .any(|member| self.service.is_sensitive(&member.target));
        let debug = if redacted {
            let rt = &self.runtime;
            let name_text = name.to_string();
            let entries = structure.members.iter().enumerate().map(|(index, member)| {
                let field = ident(self.names.member(&shape.id, index));
                let label = bare(self.names.member(&shape.id, index));
                if self.service.is_sensitive(&member.target) {
                    quote! { .field(#label, &self.#field.as_ref().map(|_| #rt::Redacted)) }
                } else {
                    quote! { .field(#label, &self.#field) }
                }
            });
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.debug_struct(#name_text) #(#entries)* .finish()
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        let derive_debug = if redacted { quote!() } else { quote!(Debug,) };
        let builder_doc = format!(" A builder for [`{name}`].");
        // A member named `default` has a builder setter that shadows `Default::default`
        // (connect's `FontFamily`).
        let has_default_setter = (0..structure.members.len())
            .any(|index| bare(self.names.member(&shape.id, index)) == "default");
        let new_builder = if has_default_setter {
            quote!(<builders::#builder as Default>::default())
        } else {
            quote!(builders::#builder::default())
        };
        quote! {
            #docs
            #[non_exhaustive]
            #[derive(Clone, PartialEq, Default, #derive_debug)]
            pub struct #name { #(#fields)* }
            impl #name {
                #[doc = #builder_doc]
                #[inline]
                pub fn builder() -> builders::#builder { #new_builder }
            }
            #debug
        }
    }

    /// Some shape's type name is another structure's builder name (appstream has both
    /// `AppBlock` and `AppBlockBuilder`): the builders module, which sees the types through a
    /// glob import, then names them by full path, as its own items would shadow them.
    fn builder_names_collide(&self) -> bool {
        let type_names: BTreeSet<&str> = self
            .service
            .shapes
            .values()
            .filter(|s| {
                s.kind.aggregate_members().is_some() || matches!(s.kind, ShapeKind::StringEnum(_))
            })
            .map(|s| self.names.type_name(&s.id))
            .collect();
        self.service.shapes.values().any(|s| {
            matches!(s.kind, ShapeKind::Structure(_))
                && type_names.contains(format!("{}Builder", self.names.type_name(&s.id)).as_str())
        })
    }

    fn builder(&self, shape: &Shape, structure: &Structure) -> TokenStream {
        let name = ident(self.names.type_name(&shape.id));
        let builder = format_ident!("{}Builder", name);
        let qualified = self.builder_names_collide();
        let root = &self.root;
        let name_path = if qualified {
            quote!(#root::types::#name)
        } else {
            quote!(#name)
        };
        let setters = structure.members.iter().enumerate().map(|(index, member)| {
            let field_name = self.names.member(&shape.id, index);
            let field = ident(field_name);
            let set = ident(&setter_name(field_name));
            let field_type = if qualified {
                let ty = self.qualified_type(&member.target);
                if member.boxed { quote!(Box<#ty>) } else { ty }
            } else {
                self.member_type(member)
            };
            // Without the glob import (colliding names) links need the path too.
            let doc_link = if qualified {
                format!(" [`{name}::{0}`](super::{name}::{0})", bare(field_name))
            } else {
                format!(" [`{name}::{}`]", bare(field_name))
            };
            let deprecated = deprecated_attr(member.deprecated.as_ref());
            let setter = self.setter(member, &field, qualified);
            let (params, assign) = (&setter.params, &setter.assign);
            let doc = format!(" {}{doc_link}.", setter.verb);
            let adder = quote! {
                #[doc = #doc]
                #deprecated
                #[inline]
                pub fn #field(mut self, #params) -> Self {
                    #assign
                    self
                }
            };
            let set_doc = format!(" Sets or clears{doc_link}.");
            quote! {
                #adder
                #[doc = #set_doc]
                #deprecated
                #[inline]
                pub fn #set(mut self, value: Option<#field_type>) -> Self {
                    self.inner.#field = value;
                    self
                }
            }
        });
        let link = if qualified {
            format!("[`{name}`](super::{name})")
        } else {
            format!("[`{name}`]")
        };
        let doc = format!(" A builder for {link}.");
        let build_doc = format!(" Builds the {link}.");
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default)]
            pub struct #builder { inner: #name_path }
            impl #builder {
                #(#setters)*
                #[doc = #build_doc]
                #[inline]
                pub fn build(self) -> #name_path { self.inner }
            }
        }
    }

    fn union(&self, shape: &Shape, union: &Union) -> TokenStream {
        let name = ident(self.names.type_name(&shape.id));
        let rt = &self.runtime;
        let docs = self.shape_docs(shape);
        let variants = union.members.iter().enumerate().map(|(index, member)| {
            let variant = ident(self.names.member(&shape.id, index));
            let docs = self.member_docs(member);
            let ty = self.member_type(member);
            quote! { #docs #variant(#ty), }
        });
        let redacted = union
            .members
            .iter()
            .any(|member| self.service.is_sensitive(&member.target));
        let debug = if redacted {
            let arms = union.members.iter().enumerate().map(|(index, member)| {
                let variant = ident(self.names.member(&shape.id, index));
                let label = variant.to_string();
                if self.service.is_sensitive(&member.target) {
                    quote! { Self::#variant(_) => f.debug_tuple(#label).field(&#rt::Redacted).finish(), }
                } else {
                    quote! { Self::#variant(value) => f.debug_tuple(#label).field(value).finish(), }
                }
            });
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self {
                            #(#arms)*
                            Self::Unknown(tag) => f.debug_tuple("Unknown").field(tag).finish(),
                        }
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        let derive_debug = if redacted { quote!() } else { quote!(Debug,) };
        let kind = if union.event_stream {
            "event"
        } else {
            "member"
        };
        let unknown_doc = format!(
            " A {kind} this version of the SDK does not know, with its name as received (boto3's `SDK_UNKNOWN_MEMBER`)."
        );
        quote! {
            #docs
            #[non_exhaustive]
            #[derive(Clone, PartialEq, #derive_debug)]
            pub enum #name {
                #(#variants)*
                #[doc = #unknown_doc]
                Unknown(#rt::UnknownValue),
            }
            #debug
        }
    }

    fn string_enum(&self, shape: &Shape, values: &[String]) -> TokenStream {
        let name = ident(self.names.type_name(&shape.id));
        let rt = &self.runtime;
        let docs = self.shape_docs(shape);
        let variants: Vec<_> = (0..values.len())
            .map(|index| ident(self.names.enum_variant(&shape.id, index)))
            .collect();
        let variant_docs = values
            .iter()
            .map(|value| format!(" `{}`", value.replace('`', "'")));
        quote! {
            #docs
            #[non_exhaustive]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #( #[doc = #variant_docs] #variants, )*
                /// A value this version of the SDK does not know, kept as received.
                Unknown(#rt::UnknownValue),
            }
            impl #name {
                /// Every value this version of the SDK knows, as sent on the wire.
                pub const VALUES: &'static [&'static str] = &[#(#values),*];
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #values, )*
                        Self::Unknown(value) => value.as_str(),
                    }
                }
            }
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #( #values => Self::#variants, )*
                        other => Self::Unknown(#rt::UnknownValue::new(other)),
                    }
                }
            }
            impl std::str::FromStr for #name {
                type Err = std::convert::Infallible;
                fn from_str(value: &str) -> Result<Self, Self::Err> { Ok(Self::from(value)) }
            }
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
            }
        }
    }
}

/// The convenience setter of a member: plain for most members, appending for lists, inserting
/// for maps, as aws-sdk-rust's builders do.
pub(super) struct Setter {
    /// `value: impl Into<T>`, `item: impl Into<T>` or `key: ..., value: ...`.
    pub params: TokenStream,
    /// The argument names, to forward a call.
    pub args: TokenStream,
    /// Stores the argument(s) into `self.inner.<field>`.
    pub assign: TokenStream,
    /// "Sets", "Appends an item to" or "Inserts an entry into".
    pub verb: &'static str,
}

impl Emitter<'_> {
    /// The setter for `member`, stored in field `field` of the builder's `inner` value; types
    /// are written for the `types` module, or fully qualified when `qualified`.
    pub(super) fn setter(
        &self,
        member: &Member,
        field: &proc_macro2::Ident,
        qualified: bool,
    ) -> Setter {
        let rust_type = |id: &ShapeId| {
            if qualified {
                self.qualified_type(id)
            } else {
                self.rust_type(id)
            }
        };
        match &self.service.shape(&member.target).kind {
            ShapeKind::List(element) if !member.boxed => {
                let element = rust_type(&element.target);
                Setter {
                    params: quote!(item: impl Into<#element>),
                    args: quote!(item),
                    assign: quote!(self.inner.#field.get_or_insert_with(Vec::new).push(item.into());),
                    verb: "Appends an item to",
                }
            }
            ShapeKind::Map { key, value } if !member.boxed => {
                let key = rust_type(&key.target);
                let value = rust_type(&value.target);
                Setter {
                    params: quote!(key: impl Into<#key>, value: impl Into<#value>),
                    args: quote!(key, value),
                    assign: quote!(self.inner.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());),
                    verb: "Inserts an entry into",
                }
            }
            _ => {
                let ty = rust_type(&member.target);
                let value = if member.boxed {
                    quote!(Box::new(value.into()))
                } else {
                    quote!(value.into())
                };
                Setter {
                    params: quote!(value: impl Into<#ty>),
                    args: quote!(value),
                    assign: quote!(self.inner.#field = Some(#value);),
                    verb: "Sets",
                }
            }
        }
    }
}

fn deprecated_attr(deprecation: Option<&Deprecation>) -> TokenStream {
    match deprecation {
        None => TokenStream::new(),
        Some(Deprecation { message, since }) => {
            let note = match (message, since) {
                (Some(message), _) => message.clone(),
                (None, Some(since)) => format!("deprecated since {since}"),
                (None, None) => "deprecated by the service".to_string(),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}
