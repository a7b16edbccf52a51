//! Paginators: for each paginator of the model, a `PaginatorSpec` of small functions that read
//! and write the operation's tokens, page size and result keys, and `into_paginator()` on the
//! operation's fluent builder. The algorithm (botocore's `paginate.py`) is the runtime's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Emitter;
use crate::ir::{MemberPath, Paginator, ShapeId, ShapeKind};
use crate::naming::{bare, ident};

impl Emitter<'_> {
    /// The paginators whose operation the client offers, with the operation's index.
    fn client_paginators(&self) -> Vec<(usize, &Paginator)> {
        self.service
            .paginators
            .iter()
            .filter_map(|paginator| {
                let (index, _) = self
                    .client_operations()
                    .find(|(_, operation)| operation.name == paginator.operation)?;
                Some((index, paginator))
            })
            .collect()
    }

    /// `src/paginator.rs`.
    pub(super) fn paginator_module(&self) -> TokenStream {
        let rt = &self.runtime;
        let items = self
            .client_paginators()
            .into_iter()
            .map(|(index, paginator)| self.paginator(index, paginator));
        quote! {
            #![doc = " Paginators, with boto3's semantics: `page_size`, `max_items`, `starting_token` and resume tokens compatible with boto3's."]
            #[allow(unused_imports)]
            use #rt::paginator::{Paginator, PaginatorSpec};
            #[allow(unused_imports)]
            use #rt::Document;
            #(#items)*
        }
    }

    fn paginator(&self, index: usize, paginator: &Paginator) -> TokenStream {
        let rt = &self.runtime;
        let root = &self.root;
        let root_doc = &self.root_doc;
        let operation = &self.service.operations[index];
        let fluent = ident(self.names.operation_type(index));
        let error = ident(self.names.operation_error(index));
        let alias = format_ident!("{}Paginator", self.names.operation_type(index));
        let spec_name = format_ident!("{}_SPEC", bare(self.names.operation(index)).to_uppercase());
        let ser = format_ident!("ser_{}", bare(self.names.operation(index)));
        let de = format_ident!("de_{}", bare(self.names.operation(index)));
        let input_id = operation
            .input
            .as_ref()
            .expect("lowering checked the paginator's input tokens");
        let output_id = operation
            .output
            .as_ref()
            .expect("lowering checked the paginator's output tokens");
        let input = self.qualified_type(input_id);
        let output = self.qualified_type(output_id);
        let op_name = &operation.name;

        let token_names: Vec<String> = paginator
            .input_tokens
            .iter()
            .map(|path| path.to_string())
            .collect();
        let output_tokens = paginator.output_tokens.iter().map(|path| {
            let (value, target) = self.read_path(output_id, path, quote!(output));
            let to_value = token_to_value(rt, &self.service.shape(&target).kind);
            quote!(#value.map_or(Document::Null, #to_value))
        });
        let set_tokens = paginator
            .input_tokens
            .iter()
            .enumerate()
            .map(|(position, path)| {
                let (place, target) = self.write_path(input_id, path, quote!(input));
                let from_value = token_from_value(rt, &self.service.shape(&target).kind);
                let token = if position == 0 {
                    quote!(tokens.first())
                } else {
                    quote!(tokens.get(#position))
                };
                quote!(#place = #token.and_then(#from_value);)
            });
        let set_page_size = match &paginator.limit_key {
            Some(key) => {
                let path = MemberPath(vec![key.clone()]);
                let (place, target) = self.write_path(input_id, &path, quote!(input));
                let value = match self.service.shape(&target).kind {
                    ShapeKind::Long => quote!(i64::from(size)),
                    ShapeKind::String => quote!(size.to_string()),
                    _ => quote!(size),
                };
                quote!(Some(|input: &mut #input, size: i32| #place = Some(#value)))
            }
            None => quote!(None),
        };
        let more_results = match &paginator.more_results {
            Some(path) => {
                let (value, _) = self.read_path(output_id, path, quote!(output));
                quote!(Some(|output: &#output| #value.copied().unwrap_or(false)))
            }
            None => quote!(None),
        };

        // The primary result key decides counting, truncation and items: botocore's is the
        // first; a number or string there (devops-guru's `InsightId`) cannot be counted or
        // iterated, so the first list or map is.
        let is_collection = |path: &MemberPath| {
            let (_, target) = self.read_path(output_id, path, quote!(output));
            matches!(
                self.service.shape(&target).kind,
                ShapeKind::List(_) | ShapeKind::Map { .. }
            )
        };
        let primary_index = paginator.result_keys.iter().position(is_collection);
        let (primary_len, keep_first, skip_first, into_items, item) = match primary_index
            .map(|index| &paginator.result_keys[index])
        {
            Some(primary) => {
                let (value, target) = self.read_path(output_id, primary, quote!(output));
                let (place, _) = self.write_path(output_id, primary, quote!(output));
                let is_map = matches!(self.service.shape(&target).kind, ShapeKind::Map { .. });
                let item = match &self.service.shape(&target).kind {
                    ShapeKind::List(element) => self.qualified_type(&element.target),
                    ShapeKind::Map { key, value } => {
                        let key = self.qualified_type(&key.target);
                        let value = self.qualified_type(&value.target);
                        quote!((#key, #value))
                    }
                    _ => unreachable!("lowering checked result keys are lists or maps"),
                };
                let others = paginator
                    .result_keys
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| Some(*index) != primary_index)
                    .map(|(_, path)| {
                        let (place, target) = self.write_path(output_id, path, quote!(output));
                        // botocore's `_truncate_response`: [] / '' / 0, else None.
                        match self.service.shape(&target).kind {
                            ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Document => {
                                quote!(#place = None;)
                            }
                            _ => quote!(#place = Some(Default::default());),
                        }
                    });
                let (keep, skip) = if is_map {
                    (
                        quote!(if let Some(items) = &mut #place { *items = std::mem::take(items).into_iter().take(keep).collect(); }),
                        quote!(if let Some(items) = &mut #place { *items = std::mem::take(items).into_iter().skip(skip).collect(); }),
                    )
                } else {
                    (
                        quote!(if let Some(items) = &mut #place { items.truncate(keep); }),
                        // `split_off` rather than `drain`: far less code per item type, and this
                        // runs once per resumed paginator.
                        quote!(if let Some(items) = &mut #place { *items = items.split_off(skip.min(items.len())); }),
                    )
                };
                (
                    quote!(|output: &#output| #value.map_or(0, |items| items.len())),
                    quote!(|output: &mut #output, keep: usize| { #keep }),
                    quote!(|output: &mut #output, skip: usize| { #skip #(#others)* }),
                    if is_map {
                        quote!(|output: #output| { let mut output = output; #place.take().unwrap_or_default().into_iter().collect() })
                    } else {
                        quote!(|output: #output| { let mut output = output; #place.take().unwrap_or_default() })
                    },
                    item,
                )
            }
            None => (
                quote!(|_: &#output| 0),
                quote!(|_: &mut #output, _: usize| {}),
                quote!(|_: &mut #output, _: usize| {}),
                quote!(|_: #output| Vec::new()),
                quote!(()),
            ),
        };
        let appends = paginator.result_keys.iter().map(|path| {
            let (place, target) = self.write_path(output_id, path, quote!(full));
            let (taken, _) = self.write_path(output_id, path, quote!(page));
            match self.service.shape(&target).kind {
                ShapeKind::List(_) | ShapeKind::Map { .. } => quote! {
                    if let Some(items) = #taken.take() {
                        #place.get_or_insert_with(Default::default).extend(items);
                    }
                },
                // botocore: `existing_value + result_value`.
                ShapeKind::String => quote! {
                    if let Some(text) = #taken.take() {
                        #place.get_or_insert_with(Default::default).push_str(&text);
                    }
                },
                ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double => quote! {
                    if let Some(number) = #taken.take() {
                        *#place.get_or_insert_with(Default::default) += number;
                    }
                },
                // botocore keeps the first page's structure (budgets'
                // `BudgetPerformanceHistory`).
                _ => quote! {
                    if #place.is_none() {
                        #place = #taken.take();
                    }
                },
            }
        });
        // A token inside a list element (kinesis) is part of the results, not a token field.
        let clears = paginator
            .output_tokens
            .iter()
            .filter(|path| !path.has_index())
            .map(|path| {
                let (place, _) = self.write_path(output_id, path, quote!(output));
                quote!(#place = None;)
            })
            .collect::<Vec<_>>();
        // Only indexed tokens (`Shards[-1].ShardId`): nothing to clear.
        let output_binding = if clears.is_empty() {
            quote!(_output)
        } else {
            quote!(output)
        };
        let doc = format!(
            " Pages of `{op_name}`; see [`{fluent}::into_paginator`]({root_doc}::operation::{fluent}::into_paginator)."
        );
        let into_doc = format!(
            " Pages through `{op_name}` as boto3's `{op_name}` paginator does: [`page_size`](Paginator::page_size), [`max_items`](Paginator::max_items) and [`starting_token`](Paginator::starting_token), then `send()` for pages, `items()` for the items of the result key, or `build_full_result()`."
        );
        quote! {
            #[doc = #doc]
            pub type #alias = Paginator<#input, #output, #root::operation::#error, #item>;

            static #spec_name: PaginatorSpec<#input, #output, #root::operation::#error, #item> = PaginatorSpec {
                operation: #op_name,
                input_tokens: &[#(#token_names),*],
                serialize: #root::operation::#ser,
                deserialize: #root::operation::#de,
                output_tokens: |output: &#output| vec![#(#output_tokens),*],
                set_input_tokens: |input: &mut #input, tokens: &[Document]| { #(#set_tokens)* },
                set_page_size: #set_page_size,
                more_results: #more_results,
                primary_len: #primary_len,
                keep_first: #keep_first,
                skip_first: #skip_first,
                append_results: |full: &mut #output, page: #output| { let mut page = page; #(#appends)* },
                clear_output_tokens: |#output_binding: &mut #output| { #(#clears)* },
                into_items: #into_items,
            };

            impl #root::operation::#fluent {
                #[doc = #into_doc]
                pub fn into_paginator(self) -> #alias {
                    Paginator::new(self.handle, self.input.build(), &#spec_name)
                }
            }
        }
    }

    /// An expression of type `Option<&T>` reading `path` from `base` (a value of shape `root`),
    /// and the shape `T` is.
    pub(super) fn read_path(
        &self,
        root: &ShapeId,
        path: &MemberPath,
        base: TokenStream,
    ) -> (TokenStream, ShapeId) {
        let mut shape = root.clone();
        let mut expression = TokenStream::new();
        for (depth, segment) in path.0.iter().enumerate() {
            let (name, list_index) = MemberPath::split_index(segment);
            let (index, member) = self.member_named(&shape, name);
            let field = ident(self.names.member(&shape, index));
            let access = if member.boxed {
                quote!(as_deref)
            } else {
                quote!(as_ref)
            };
            expression = if depth == 0 {
                quote!(#base.#field.#access())
            } else {
                quote!(#expression.and_then(|value| value.#field.#access()))
            };
            shape = member.target.clone();
            // `name[-1]` / `name[2]` (lowering allows them in output tokens only).
            if let Some(list_index) = list_index {
                let element = match list_index {
                    Some(-1) => quote!(list.last()),
                    Some(i) if i >= 0 => {
                        let i = i as usize;
                        quote!(list.get(#i))
                    }
                    Some(i) => {
                        let back = i.unsigned_abs() as usize;
                        quote!(list.len().checked_sub(#back).and_then(|i| list.get(i)))
                    }
                    None => quote!(None),
                };
                expression = quote!(#expression.and_then(|list| #element));
                if let ShapeKind::List(element) = &self.service.shape(&shape).kind {
                    shape = element.target.clone();
                }
            }
        }
        (expression, shape)
    }

    /// A place expression of type `Option<T>` for `path` inside `base` (a mutable value of shape
    /// `root`), creating the structures on the way; and the shape `T` is.
    fn write_path(
        &self,
        root: &ShapeId,
        path: &MemberPath,
        base: TokenStream,
    ) -> (TokenStream, ShapeId) {
        let mut shape = root.clone();
        let mut place = base;
        let last = path.0.len() - 1;
        for (depth, segment) in path.0.iter().enumerate() {
            let (index, member) = self.member_named(&shape, segment);
            let field = ident(self.names.member(&shape, index));
            place = if depth == last {
                quote!(#place.#field)
            } else {
                quote!(#place.#field.get_or_insert_with(Default::default))
            };
            shape = member.target.clone();
        }
        (place, shape)
    }

    fn member_named(&self, shape: &ShapeId, name: &str) -> (usize, &crate::ir::Member) {
        self.service
            .shape(shape)
            .kind
            .aggregate_members()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .find(|(_, member)| member.name == name)
            .expect("lowering checked paginator paths against the shapes")
    }
}

/// A closure turning `&T` (a token member's value) into a `Document`.
fn token_to_value(rt: &TokenStream, kind: &ShapeKind) -> TokenStream {
    match kind {
        ShapeKind::List(_)
        | ShapeKind::Map { .. }
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => {
            quote!(#rt::paginator::token_to_document)
        }
        ShapeKind::Boolean => quote!(|value| Document::Bool(*value)),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => {
            quote!(|value| Document::from(*value))
        }
        ShapeKind::StringEnum(_) => quote!(|value| Document::String(value.as_str().to_string())),
        _ => quote!(|value| Document::String(value.to_string())),
    }
}

/// A closure turning a `&Document` into `Option<T>` for a token member.
fn token_from_value(rt: &TokenStream, kind: &ShapeKind) -> TokenStream {
    match kind {
        ShapeKind::List(_)
        | ShapeKind::Map { .. }
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => {
            quote!(#rt::paginator::token_from_document)
        }
        ShapeKind::Boolean => quote!(|value| value.as_bool()),
        ShapeKind::Long => quote!(|value| value.as_i64()),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer => {
            quote!(|value| value.as_i64().and_then(|value| value.try_into().ok()))
        }
        ShapeKind::StringEnum(_) => quote!(|value| value.as_str().map(Into::into)),
        _ => quote!(|value| value.as_str().map(str::to_string)),
    }
}
