//! Stage 5: format emitted tokens with prettyplease (never an external rustfmt, so output does
//! not depend on what is installed) and fill the non-Rust templates.

use proc_macro2::TokenStream;

/// Formats a token stream as a Rust file, with `header` (line comments) on top.
pub fn format_rust(header: &str, tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    let mut text = String::with_capacity(header.len() + 4096);
    text.push_str(header);
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}

/// Replaces each `{{key}}` in `template` with its value.
pub fn render_template(template: &str, values: &[(&str, String)]) -> String {
    let mut text = template.to_string();
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    text
}
