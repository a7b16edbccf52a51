//! `ours-qbusiness <application-id>`: one QBusiness GetApplication call with awsgen-qbusiness,
//! configured from the environment. Compared with `peer-qbusiness`.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
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
