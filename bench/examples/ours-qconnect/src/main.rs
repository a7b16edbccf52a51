//! `ours-qconnect <knowledge-base-id> <import-job-id>`: one QConnect GetImportJob call with
//! awsgen-qconnect, configured from the environment. Its build time and stripped size are
//! compared with `peer-qconnect`, the same program on aws-sdk-qconnect.

use std::process::ExitCode;

fn main() -> ExitCode {
    // What `#[tokio::main(flavor = "current_thread")]` expands to, written out: every example
    // here (both SDKs) does without tokio's proc-macro crate and the syn build it needs, which
    // neither SDK requires.
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(call()),
        Err(error) => {
            eprintln!("error: no tokio runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn call() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(knowledge_base_id), Some(import_job_id)) = (args.next(), args.next()) else {
        eprintln!("usage: ours-qconnect <knowledge-base-id> <import-job-id>");
        return ExitCode::from(2);
    };
    let client = awsgen_qconnect::Client::from_env();
    match client
        .get_import_job()
        .knowledge_base_id(knowledge_base_id)
        .import_job_id(import_job_id)
        .send()
        .await
    {
        Ok(output) => {
            let job = output.import_job.unwrap_or_default();
            println!(
                "{} {}",
                job.import_job_id.as_deref().unwrap_or("-"),
                job.status.as_ref().map_or("-", |s| s.as_str())
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
