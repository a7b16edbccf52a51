//! `sdk-compare`: the Rust half of `bench/run.sh`, the side-by-side benchmark of awsgen's SDKs
//! and the official aws-sdk-rust crates.
//!
//! ```text
//! sdk-compare calls [--quick] [--no-socket] [--tsv FILE]   per-call, paginator and parsing figures
//! sdk-compare report --results FILE --doc BENCHMARKS.md ...   the tables of the benchmark document
//! ```
//!
//! Both write or read the results file described in [`row`].

mod alloc;
mod calls;
mod data;
mod measure;
mod memory;
mod report;
mod row;
mod serde_model;
mod server;

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = if std::env::var_os(server::SERVER_ENV).is_some() {
        server::run()
    } else {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.first().map(String::as_str) {
            Some("calls") => calls::main(&args[1..]),
            Some("report") => report::main(&args[1..]),
            _ => {
                eprintln!(
                    "usage: sdk-compare calls [--quick] [--no-socket] [--tsv FILE]\n       \
                     sdk-compare report --results FILE --doc FILE [--mode M] [--command C] ..."
                );
                return ExitCode::from(2);
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sdk-compare: error: {message}");
            ExitCode::FAILURE
        }
    }
}
