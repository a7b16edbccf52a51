//! `Validate` impls: the checks botocore makes before sending (required members, `min`
//! lengths and values, no unknown union member), only for input shapes that have something to
//! check, directly or through what they contain.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use crate::ir::{Direction, Member, Shape, ShapeId, ShapeKind};
use crate::naming::ident;

impl Emitter<'_> {
    /// Input shapes whose values can fail validation.
    pub(super) fn shapes_to_validate(&self) -> BTreeSet<ShapeId> {
        let inputs = self.service.reachable(Direction::Input);
        let mut needed: BTreeSet<ShapeId> = BTreeSet::new();
        // Grow to a fixed point: recursive shapes need validation if any part of the cycle does.
        loop {
            let before = needed.len();
            for id in &inputs {
                if needed.contains(id) {
                    continue;
                }
                let shape = self.service.shape(id);
                let needs = match &shape.kind {
                    ShapeKind::Structure(structure) => structure.members.iter().any(|member| {
                        member.required
                            || self.has_min(member)
                            || self.validates(&needed, &member.target)
                    }),
                    // A value this SDK version does not know can never be sent.
                    ShapeKind::Union(_) => true,
                    _ => false,
                };
                if needs {
                    needed.insert(id.clone());
                }
            }
            if needed.len() == before {
                return needed;
            }
        }
    }

    /// Values of `id` (possibly inside lists and maps) need validating.
    fn validates(&self, needed: &BTreeSet<ShapeId>, id: &ShapeId) -> bool {
        match &self.service.shape(id).kind {
            ShapeKind::List(element) => self.validates(needed, &element.target),
            ShapeKind::Map { value, .. } => self.validates(needed, &value.target),
            _ => needed.contains(id),
        }
    }

    fn has_min(&self, member: &Member) -> bool {
        let target = self.service.shape(&member.target);
        target.constraints.min.is_some()
            && matches!(
                target.kind,
                ShapeKind::String
                    | ShapeKind::StringEnum(_)
                    | ShapeKind::List(_)
                    | ShapeKind::Byte
                    | ShapeKind::Short
                    | ShapeKind::Integer
                    | ShapeKind::Long
                    | ShapeKind::Float
                    | ShapeKind::Double
            )
    }

    /// `src/validate.rs`: trait impls only.
    pub(super) fn validate_module(&self, needed: &BTreeSet<ShapeId>) -> TokenStream {
        let items = needed
            .iter()
            .map(|id| self.validate_impl(self.service.shape(id), needed));
        // Paths, not imports: a model may name a shape `Validator` (appconfig, bedrock).
        quote! {
            #![doc = " Client-side validation of inputs, as botocore's `ParamValidator`."]
            #(#items)*
        }
    }

    fn validate_impl(&self, shape: &Shape, needed: &BTreeSet<ShapeId>) -> TokenStream {
        let name = ident(self.names.type_name(&shape.id));
        let body = match &shape.kind {
            ShapeKind::Structure(structure) => {
                // botocore reports missing required members first, then checks each member.
                let required = structure
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.required)
                    .map(|(index, member)| {
                        let field = ident(self.names.member(&shape.id, index));
                        let key = &member.name;
                        quote!(validator.required(#key, self.#field.is_some());)
                    });
                let checks = structure.members.iter().enumerate().map(|(index, member)| {
                    let field = ident(self.names.member(&shape.id, index));
                    let key = &member.name;
                    let mut checks = self.min_check(member, key, quote!(self.#field));
                    if self.validates(needed, &member.target) {
                        let value = if member.boxed {
                            quote!(self.#field.as_deref())
                        } else {
                            quote!(self.#field.as_ref())
                        };
                        checks.extend(quote!(validator.nested(#key, #value);));
                    }
                    checks
                });
                quote!(#(#required)* #(#checks)*)
            }
            ShapeKind::Union(union) => {
                let arms = union.members.iter().enumerate().map(|(index, member)| {
                    let variant = ident(self.names.member(&shape.id, index));
                    let key = &member.name;
                    if self.validates(needed, &member.target) {
                        let value = if member.boxed {
                            quote!(value.as_ref())
                        } else {
                            quote!(value)
                        };
                        quote!(Self::#variant(value) => validator.nested(#key, Some(#value)),)
                    } else {
                        quote!(Self::#variant(_) => {})
                    }
                });
                quote! {
                    match self {
                        #(#arms)*
                        Self::Unknown(tag) => validator.unknown_union_member("", tag.as_str()),
                    }
                }
            }
            _ => unreachable!("only structures and unions are validated"),
        };
        let (root, rt) = (&self.root, &self.runtime);
        quote! {
            impl #rt::validate::Validate for #root::types::#name {
                fn validate(&self, validator: &mut #rt::validate::Validator) { #body }
            }
        }
    }

    /// A `min` check on `value` (an `Option` of the member's type) if the target has one.
    fn min_check(&self, member: &Member, key: &str, value: TokenStream) -> TokenStream {
        let target = self.service.shape(&member.target);
        let Some(min) = target.constraints.min else {
            return TokenStream::new();
        };
        match target.kind {
            ShapeKind::String => {
                let min = min as usize;
                quote!(validator.min_length(#key, #value.as_deref(), #min);)
            }
            ShapeKind::StringEnum(_) => {
                let min = min as usize;
                quote!(validator.min_length(#key, #value.as_ref().map(|v| v.as_str()), #min);)
            }
            ShapeKind::List(_) => {
                let min = min as usize;
                quote!(validator.min_items(#key, #value.as_deref(), #min);)
            }
            ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Float => {
                quote!(validator.min_value(#key, #value.map(f64::from), #min);)
            }
            ShapeKind::Double => quote!(validator.min_value(#key, #value, #min);),
            // i64 → f64 loses precision only beyond 2^53, far outside any model's bounds.
            ShapeKind::Long => quote!(validator.min_value(#key, #value.map(|v| v as f64), #min);),
            _ => TokenStream::new(),
        }
    }
}
