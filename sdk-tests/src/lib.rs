//! Tests that exercise the generated SDK crates.
