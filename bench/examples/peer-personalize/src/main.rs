//! `peer-personalize <dataset-import-job-arn>`: one Personalize DescribeDatasetImportJob call
//! with aws-sdk-personalize and aws-config: `ours-personalize` on the official SDK.

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
    let Some(arn) = std::env::args().nth(1) else {
        eprintln!("usage: peer-personalize <dataset-import-job-arn>");
        return ExitCode::from(2);
    };
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_personalize::Client::new(&config);
    match client
        .describe_dataset_import_job()
        .dataset_import_job_arn(arn)
        .send()
        .await
    {
        Ok(output) => {
            let job = output.dataset_import_job();
            println!(
                "{} {}",
                job.and_then(|j| j.job_name()).unwrap_or("-"),
                job.and_then(|j| j.status()).unwrap_or("-")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
