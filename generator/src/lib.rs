//! Generates Rust SDK crates from botocore service models.
pub mod docs;
