//! botocore's protocol conformance suites, one test per case (see `build.rs`). Besides
//! libtest's own output, the run prints a `passed / failed / ignored` summary per suite file,
//! every ignored case with its reason, and a last line `N passed, N failed`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};

#[allow(
    dead_code,
    clippy::all,
    reason = "generated test scaffolding: each case uses a few items of its client"
)]
mod cases {
    include!(concat!(env!("OUT_DIR"), "/cases.rs"));
}

#[derive(Default, Clone, Copy)]
struct Tally {
    passed: usize,
    failed: usize,
    ignored: usize,
}

fn main() {
    let args = Arguments::from_args();
    let tallies: Arc<Mutex<BTreeMap<&'static str, Tally>>> = Arc::default();
    // Case name → passed, for the cases that ran.
    let outcomes: Arc<Mutex<BTreeMap<&'static str, bool>>> = Arc::default();
    let trials = cases::CASES
        .iter()
        .map(|case| {
            let tallies = Arc::clone(&tallies);
            let outcomes = Arc::clone(&outcomes);
            Trial::test(case.name, move || {
                let result = (case.run)();
                outcomes
                    .lock()
                    .expect("not poisoned")
                    .insert(case.name, result.is_ok());
                let mut tallies = tallies.lock().expect("not poisoned");
                let tally = tallies.entry(case.file).or_default();
                match result {
                    Ok(()) => {
                        tally.passed += 1;
                        Ok(())
                    }
                    Err(message) => {
                        tally.failed += 1;
                        Err(Failed::from(message))
                    }
                }
            })
            .with_ignored_flag(case.ignored.is_some())
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let outcomes = outcomes.lock().expect("not poisoned").clone();

    let mut tallies = tallies.lock().expect("not poisoned").clone();
    if !args.list {
        let mut ignored = Vec::new();
        for case in cases::CASES {
            if let Some(reason) = case.ignored
                && args.filter.as_deref().is_none_or(|f| case.name.contains(f))
                && !args.ignored
            {
                tallies.entry(case.file).or_default().ignored += 1;
                ignored.push((case.name, reason));
            }
        }
        println!("\nprotocol conformance, per suite file (passed / failed / ignored):");
        for (file, tally) in &tallies {
            println!(
                "  {file:<32} {:>4} / {:>4} / {:>4}",
                tally.passed, tally.failed, tally.ignored
            );
        }
        if !ignored.is_empty() {
            println!("ignored cases:");
            for (name, reason) in ignored {
                println!("  {name}: {reason}");
            }
        }
        let botocore_runs: Vec<_> = cases::CASES.iter().filter(|c| c.botocore_runs).collect();
        let passed = botocore_runs
            .iter()
            .filter(|c| outcomes.get(c.name) == Some(&true))
            .count();
        let failed = botocore_runs
            .iter()
            .filter(|c| outcomes.get(c.name) == Some(&false))
            .count();
        println!(
            "cases botocore runs: {}; here {passed} passed, {failed} failed, {} not run",
            botocore_runs.len(),
            botocore_runs.len() - passed - failed
        );
        println!(
            "{} passed, {} failed",
            conclusion.num_passed, conclusion.num_failed
        );
    }
    conclusion.exit();
}
