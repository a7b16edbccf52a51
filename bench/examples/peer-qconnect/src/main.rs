//! `peer-qconnect <knowledge-base-id> <import-job-id>`: one QConnect GetImportJob call with
//! aws-sdk-qconnect and aws-config, configured from the environment: `ours-qconnect` on the
//! official SDK.

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
        eprintln!("usage: peer-qconnect <knowledge-base-id> <import-job-id>");
        return ExitCode::from(2);
    };
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_qconnect::Client::new(&config);
    match client
        .get_import_job()
        .knowledge_base_id(knowledge_base_id)
        .import_job_id(import_job_id)
        .send()
        .await
    {
        Ok(output) => {
            let (id, status) = output.import_job().map_or(("-", "-"), |job| {
                (job.import_job_id(), job.status().as_str())
            });
            println!("{id} {status}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
