//! A QConnect client generated at build time by `build.rs` with only `StartImportJob`,
//! `GetImportJob` and `ListImportJobs` (and its paginator), instead of depending on the whole
//! `awsgen-qconnect` crate.

/// The generated QConnect client: [`qconnect::Client`], [`qconnect::types`],
/// [`qconnect::operation`], [`qconnect::paginator`].
pub mod qconnect {
    include!(concat!(env!("OUT_DIR"), "/qconnect.rs"));
}
