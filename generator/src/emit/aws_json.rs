//! awsJson 1.0 / 1.1: every request is `POST /` with the operation in `X-Amz-Target` and the
//! whole input as the JSON body (`{}` when empty); every response body is the whole output.
//! botocore's `JSONSerializer` / `JSONParser` are the reference.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use crate::ir::Operation;

impl Emitter<'_> {
    /// Statements that fill `request` from `input`.
    pub(super) fn aws_json_request(
        &self,
        operation: &Operation,
        version: &str,
        target_prefix: &str,
    ) -> TokenStream {
        let target = format!("{target_prefix}.{}", operation.name);
        let content_type = format!("application/x-amz-json-{version}");
        let body = if operation.input.is_some() {
            quote!(request.json_body(input, #content_type);)
        } else {
            quote!(request.body(&b"{}"[..], #content_type);)
        };
        quote! {
            request.path("/");
            request.header("x-amz-target", #target);
            #body
        }
    }
}
