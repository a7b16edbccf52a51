//! Developer tasks for the workspace (`cargo xtask <command>`), as a library so that tests can
//! run the same code as the command line.

pub mod all_services;
pub mod codegen;
pub mod test;
pub mod update_models;
