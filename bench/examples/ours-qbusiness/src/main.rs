//! `ours-qbusiness <application-id>`: one QBusiness GetApplication call with awsgen-qbusiness,
//! configured from the environment. Compared with `peer-qbusiness`.

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
    let Some(application_id) = std::env::args().nth(1) else {
        eprintln!("usage: ours-qbusiness <application-id>");
        return ExitCode::from(2);
    };
    let client = awsgen_qbusiness::Client::from_env();
    match client
        .get_application()
        .application_id(application_id)
        .send()
        .await
    {
        Ok(output) => {
            println!(
                "{} {}",
                output.application_id.as_deref().unwrap_or("-"),
                output.status.as_ref().map_or("-", |s| s.as_str())
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
