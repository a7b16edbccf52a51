//! `qbusiness-chat <message>...`: one QBusiness `Chat` turn over the HTTP/2 event stream,
//! printing the answer as it streams in.
//!
//! Configuration comes from the environment and `~/.aws` as for the AWS CLI (credentials,
//! `AWS_REGION`); the endpoint from `AWS_ENDPOINT_URL_QBUSINESS` (or `AWS_ENDPOINT_URL`) when
//! set, e.g. a local test server. The application comes from `QBUSINESS_APPLICATION_ID`;
//! `QBUSINESS_USER_ID` and `QBUSINESS_CONVERSATION_ID` are optional.
//!
//! The input events (configuration, one text event per argument, end of input) are sent from
//! a task of their own while this task prints the output events, as a real conversation does.

use std::io::Write;
use std::process::ExitCode;

use awsgen_qbusiness::types::{
    ChatInputStream, ChatMode, ChatOutputStream, ConfigurationEvent, EndOfInputEvent,
    TextInputEvent,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let messages: Vec<String> = std::env::args().skip(1).collect();
    let Ok(application_id) = std::env::var("QBUSINESS_APPLICATION_ID") else {
        eprintln!("usage: QBUSINESS_APPLICATION_ID=<id> qbusiness-chat <message>...");
        return ExitCode::from(2);
    };
    if messages.is_empty() {
        eprintln!("usage: QBUSINESS_APPLICATION_ID=<id> qbusiness-chat <message>...");
        return ExitCode::from(2);
    }
    let client = awsgen_qbusiness::Client::from_env();
    let mut chat = client
        .chat()
        .application_id(application_id)
        .set_user_id(std::env::var("QBUSINESS_USER_ID").ok())
        .set_conversation_id(std::env::var("QBUSINESS_CONVERSATION_ID").ok());
    if let Ok(parent) = std::env::var("QBUSINESS_PARENT_MESSAGE_ID") {
        chat = chat.parent_message_id(parent);
    }
    let stream = match chat.send().await {
        Ok(stream) => stream,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let input = stream.input;
    let mut output = stream.output;
    let sending = tokio::spawn(async move {
        let configuration = ConfigurationEvent::builder()
            .chat_mode(ChatMode::RetrievalMode)
            .build();
        input
            .send(ChatInputStream::ConfigurationEvent(configuration))
            .await?;
        for message in messages {
            let text = TextInputEvent::builder().user_message(message).build();
            input.send(ChatInputStream::TextEvent(text)).await?;
        }
        input
            .send(ChatInputStream::EndOfInputEvent(EndOfInputEvent::default()))
            .await?;
        // Dropping the sender ends the input with the final signed empty frame.
        Ok::<_, awsgen_runtime::event_stream::SendError>(())
    });

    let mut status = ExitCode::SUCCESS;
    loop {
        match output.recv().await {
            Ok(Some(ChatOutputStream::TextEvent(text))) => {
                print!("{}", text.system_message.as_deref().unwrap_or_default());
                let _ = std::io::stdout().flush();
            }
            Ok(Some(ChatOutputStream::MetadataEvent(metadata))) => {
                println!();
                if let Some(id) = &metadata.conversation_id {
                    println!("[conversation {id}]");
                }
                for source in metadata.source_attributions.iter().flatten() {
                    println!(
                        "[source {}] {}",
                        source.citation_number.unwrap_or_default(),
                        source
                            .title
                            .as_deref()
                            .or(source.url.as_deref())
                            .unwrap_or("-")
                    );
                }
            }
            Ok(Some(ChatOutputStream::AuthChallengeRequestEvent(challenge))) => {
                println!(
                    "\n[authorization needed: {}]",
                    challenge.authorization_url.as_deref().unwrap_or("-")
                );
            }
            Ok(Some(ChatOutputStream::FailedAttachmentEvent(failed))) => {
                eprintln!("\n[attachment failed: {failed:?}]");
            }
            Ok(Some(other)) => println!("\n[{other:?}]"),
            Ok(None) => break,
            Err(error) => {
                eprintln!("\nerror: {error}");
                status = ExitCode::FAILURE;
                break;
            }
        }
    }
    match sending.await {
        Ok(Ok(())) => {}
        // The output error above already says why the input stopped.
        Ok(Err(error)) if status == ExitCode::FAILURE => drop(error),
        Ok(Err(error)) => {
            eprintln!("error sending: {error}");
            status = ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("error: the input task failed: {error}");
            status = ExitCode::FAILURE;
        }
    }
    status
}
