//! `cargo xtask codegen [--check]`: regenerate the crates under `generated/`.

use anyhow::anyhow;

/// Regenerates the SDK crates; with `check`, only verifies they are up to date.
pub fn run(check: bool) -> anyhow::Result<()> {
    let _ = check;
    Err(anyhow!("codegen: not wired yet"))
}
