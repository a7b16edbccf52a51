//! Stage 4: emit Rust for a named, validated service, one concern per submodule: a crate, or
//! (module mode, for build scripts) one file of inline modules naming its items from
//! [`Config::root_path`](crate::Config::root_path).
//!
//! Emitters turn the IR into token streams and files; they never look at botocore JSON and
//! never choose identifiers (that is [`crate::naming`]'s job).

mod aws_json;
mod event_stream;
mod json;
mod operations;
mod paginators;
mod rest_json;
mod types;
mod validate;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::format::{format_rust, render_template};
use crate::ir::{Service, ShapeId};
use crate::naming::Names;
use crate::{Config, GenerateError, GeneratedFile, Layout};

/// Everything an emitter needs to know about the service being emitted.
pub(crate) struct Emitter<'a> {
    pub service: &'a Service,
    pub names: &'a Names,
    pub config: &'a Config,
    /// The path of the runtime crate in generated code (`awsgen_runtime`).
    pub runtime: TokenStream,
    /// The path by which generated code names its own items (`crate`, `crate::qconnect`).
    pub root: TokenStream,
    /// [`Emitter::root`] as written in rustdoc links.
    pub root_doc: String,
    /// Input shapes with a `Validate` impl.
    pub validated: BTreeSet<ShapeId>,
}

/// Parses a path from the configuration (`awsgen_runtime`, `crate::qconnect`).
fn config_path(what: &str, text: &str) -> Result<syn::Path, GenerateError> {
    syn::parse_str(text).map_err(|error| {
        GenerateError::Config(format!("{what} \"{text}\" is not a Rust path: {error}"))
    })
}

/// The files of one service: a crate, or a single module file (see [`Layout`]), with paths
/// relative to the output directory.
pub(crate) fn emit_crate(
    service: &Service,
    names: &Names,
    config: &Config,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let runtime = config_path("runtime crate path", &config.runtime_crate)?;
    let root = config_path("root path", &config.root_path)?;
    let mut emitter = Emitter {
        service,
        names,
        config,
        runtime: quote!(#runtime),
        root: quote!(#root),
        root_doc: config.root_path.split_whitespace().collect(),
        validated: BTreeSet::new(),
    };
    emitter.validated = emitter.shapes_to_validate();
    let header = config.header(service);
    let format = |path: &Path, tokens: TokenStream| -> Result<String, GenerateError> {
        format_rust(&header, tokens).map_err(|error| {
            GenerateError::Internal(format!("{}: {}: {error}", service.name, path.display()))
        })
    };
    if let Layout::Module { file_name } = &config.layout {
        let path = PathBuf::from(file_name);
        let contents = format(&path, emitter.module_file())?;
        return Ok(vec![GeneratedFile { path, contents }]);
    }
    let dir = PathBuf::from(&service.name);
    let rust = |path: &str, tokens: TokenStream| -> Result<GeneratedFile, GenerateError> {
        let path = dir.join(path);
        Ok(GeneratedFile {
            contents: format(&path, tokens)?,
            path,
        })
    };
    Ok(vec![
        GeneratedFile {
            path: dir.join("Cargo.toml"),
            contents: render_template(
                include_str!("../../../templates/Cargo.toml.tmpl"),
                &emitter.template_values(),
            ),
        },
        GeneratedFile {
            path: dir.join("README.md"),
            contents: render_template(
                include_str!("../../../templates/README.md.tmpl"),
                &emitter.template_values(),
            ),
        },
        rust("src/lib.rs", emitter.lib_rs())?,
        rust(
            "src/types.rs",
            emitter.types_module(quote!(
                pub mod builders;
            )),
        )?,
        rust("src/types/builders.rs", emitter.builders_module())?,
        rust("src/client.rs", emitter.client_module())?,
        rust("src/operation.rs", emitter.operation_module())?,
        rust("src/paginator.rs", emitter.paginator_module())?,
        rust("src/json.rs", emitter.json_module())?,
        rust(
            "src/validate.rs",
            emitter.validate_module(&emitter.validated),
        )?,
    ])
}

/// The cargo feature of a generated crate that turns on its event-stream operations (qbusiness
/// `Chat`): they need HTTP/2 and message framing and signing, which every other operation does
/// without, so a program that never opens an event stream does not build them.
pub(crate) const EVENT_STREAM_FEATURE: &str = "event-stream";

impl Emitter<'_> {
    /// Whether the service has an event-stream operation.
    fn has_event_streams(&self) -> bool {
        self.client_operations()
            .any(|(_, op)| self.has_event_stream(op))
    }

    /// `#[cfg(feature = "event-stream")]` for the items of an event-stream operation in a crate
    /// of its own. In module mode the build script's user chose the operations and the runtime's
    /// features, and the crate's features are the user's: no gate.
    pub(crate) fn feature_gate(&self, operation: &crate::ir::Operation) -> Option<TokenStream> {
        (self.config.layout == Layout::Crate && self.has_event_stream(operation)).then(|| {
            let feature = EVENT_STREAM_FEATURE;
            quote!(#[cfg(feature = #feature)])
        })
    }

    /// The `[features]` table of the crate's manifest: `event-stream`, turning on the runtime's
    /// feature of the same name, when the service has an event-stream operation.
    fn features_table(&self) -> String {
        if !self.has_event_streams() {
            return String::new();
        }
        let dependency = self.runtime_dependency_name();
        format!(
            "\n[features]\n\
             # The event-stream operations ({}): HTTP/2, event framing and signing.\n\
             {EVENT_STREAM_FEATURE} = [\"{dependency}/{EVENT_STREAM_FEATURE}\"]\n",
            self.event_stream_operation_names()
        )
    }

    /// "`Chat`", "`A`, `B`": the event-stream operations, for documentation.
    fn event_stream_operation_names(&self) -> String {
        self.client_operations()
            .filter(|(_, op)| self.has_event_stream(op))
            .map(|(_, op)| format!("`{}`", op.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A Markdown paragraph on the crate's [`features_table`](Self::features_table), for the
    /// README and the crate docs; empty without event-stream operations.
    fn features_readme(&self) -> String {
        if !self.has_event_streams() {
            return String::new();
        }
        format!(
            "Cargo feature `{EVENT_STREAM_FEATURE}` (off by default) turns on the event-stream \
             operations, {}: they need HTTP/2 and event framing and signing, which no other \
             operation uses, so a program that does not call them does not build them.\n\n",
            self.event_stream_operation_names()
        )
    }

    /// The runtime dependency's name in the manifest (`awsgen-runtime`).
    fn runtime_dependency_name(&self) -> &str {
        let line = self.config.runtime_dependency.trim();
        line.split_once('=').map_or(line, |(name, _)| name).trim()
    }

    /// The runtime dependency line, with the runtime's optional `request-compression` feature
    /// when an operation may gzip its body (it costs the flate2 build otherwise saved). The
    /// runtime's `event-stream` comes with the crate's own [`EVENT_STREAM_FEATURE`].
    fn runtime_dependency(&self) -> String {
        let line = self.config.runtime_dependency.trim();
        if !self.client_operations().any(|(_, op)| op.gzip_request) {
            return line.to_string();
        }
        const FEATURES: &str = "features = [\"request-compression\"]";
        match line.split_once('=') {
            Some((name, rest)) if rest.trim().starts_with('{') && rest.trim().ends_with('}') => {
                let inner = rest
                    .trim()
                    .trim_start_matches('{')
                    .trim_end_matches('}')
                    .trim();
                format!("{}= {{ {inner}, {FEATURES} }}", name)
            }
            Some((name, version)) => {
                format!("{}= {{ version = {}, {FEATURES} }}", name, version.trim())
            }
            None => line.to_string(),
        }
    }

    fn template_values(&self) -> Vec<(&'static str, String)> {
        let metadata = &self.service.metadata;
        vec![
            ("crate_name", self.config.crate_name(&self.service.name)),
            ("crate_version", self.config.crate_version.clone()),
            ("service_full_name", metadata.full_name.clone()),
            // A TOML basic string: quotes and backslashes escaped.
            (
                "cargo_description",
                format!(
                    "{} ({} {}) SDK for Rust, generated from the botocore model by awsgen",
                    metadata.full_name, metadata.service_id, metadata.api_version
                )
                .replace('\\', "\\\\")
                .replace('"', "\\\""),
            ),
            ("service_id", metadata.service_id.clone()),
            ("api_version", metadata.api_version.clone()),
            ("runtime_dependency", self.runtime_dependency()),
            ("features", self.features_table()),
            ("features_readme", self.features_readme()),
            ("generated_notice", self.config.generated_notice()),
            ("operation_count", self.service.operations.len().to_string()),
            ("shape_count", self.service.shapes.len().to_string()),
            ("paginator_count", self.service.paginators.len().to_string()),
        ]
    }

    fn lib_rs(&self) -> TokenStream {
        let rt = &self.runtime;
        let metadata = &self.service.metadata;
        let mut text = format!(
            "# {} SDK for Rust\n\nService `{}`, API version `{}`, generated by awsgen from botocore's model.",
            metadata.full_name, metadata.service_id, metadata.api_version
        );
        if self.has_event_streams() {
            text.push_str("\n\n");
            text.push_str(self.features_readme().trim_end());
        }
        if let Some(docs) = &self.service.docs {
            text.push_str("\n\n");
            text.push_str(&markdown(docs));
        }
        let docs = text.lines().map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#![doc = #line])
        });
        quote! {
            #(#docs)*
            // The model deprecates some members; the generated code itself still has to set them.
            #![allow(deprecated)]
            // Union variants hold their member's type directly, as the model states it, so that
            // building and matching them reads like the model; boxing the large ones would put
            // a `Box` in the user's way for a few hundred bytes per value.
            #![allow(clippy::large_enum_variant)]
            #![forbid(unsafe_code)]
            mod client;
            mod json;
            pub mod operation;
            pub mod paginator;
            pub mod types;
            mod validate;
            pub use client::Client;
            pub use #rt::{Config, error::SdkError};
        }
    }

    /// [`Layout::Module`]: the whole service in one file for `include!`. Each concern is an
    /// inline module with the crate's attributes as outer ones (an included file cannot start
    /// with inner attributes); the module docs stay inside, where they are allowed.
    fn module_file(&self) -> TokenStream {
        let rt = &self.runtime;
        let builders = self.builders_module();
        let types = self.types_module(quote!(
            pub mod builders { #builders }
        ));
        let client = self.client_module();
        let json = self.json_module();
        let operation = self.operation_module();
        let paginator = self.paginator_module();
        let validate = self.validate_module(&self.validated);
        // See `lib_rs` for why these lints are allowed.
        let attrs = quote!(
            #[allow(deprecated, clippy::large_enum_variant)]
            #[forbid(unsafe_code)]
        );
        quote! {
            #attrs mod client { #client }
            #attrs mod json { #json }
            #attrs pub mod operation { #operation }
            #attrs pub mod paginator { #paginator }
            #attrs pub mod types { #types }
            #attrs mod validate { #validate }
            pub use client::Client;
            pub use #rt::{Config, error::SdkError};
        }
    }
}

/// Model HTML as rustdoc Markdown.
pub(crate) fn markdown(html: &str) -> String {
    crate::docs::to_markdown(html)
}

/// One `#[doc]` attribute per line, so that prettyplease prints them as `///` comments.
pub(crate) fn doc_attrs(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}
