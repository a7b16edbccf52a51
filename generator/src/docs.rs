//! Model documentation (botocore's HTML subset) to rustdoc Markdown. Being written.

/// Converts one documentation string from a botocore model to Markdown for rustdoc.
pub fn to_markdown(html: &str) -> String {
    html.to_string()
}
