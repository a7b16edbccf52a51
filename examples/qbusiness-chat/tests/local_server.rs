//! Runs the `qbusiness-chat` binary against the local HTTP/2 test server, configured only
//! through the environment as a user would. h2c (HTTP/2 without TLS, prior knowledge): the
//! binary builds its client from the environment and so trusts only the public roots, not
//! the test certificate; the TLS path is covered by `sdk-tests/tests/chat_event_stream.rs`.

use sdk_tests::event_stream::{ChainVerifier, H2Server, SECRET, TestMessage};

#[tokio::test]
async fn streams_a_conversation() {
    let mut server = H2Server::start_h2c().await;
    let endpoint = server.endpoint();
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_qbusiness-chat"))
            .arg("Where is the handbook?")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_REGION", "us-west-2")
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_ENDPOINT_URL_QBUSINESS", endpoint)
            .env(
                "QBUSINESS_APPLICATION_ID",
                "a1b2c3d4-0000-4000-8000-000000000001",
            )
            .output()
            .expect("run qbusiness-chat")
    });
    let mut exchange = server.exchange().await;
    assert_eq!(exchange.request.version, http::Version::HTTP_2);
    let authorization = exchange.request.headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut chain = ChainVerifier::new(SECRET, "us-west-2", "qbusiness", &authorization);
    let mut types = Vec::new();
    while let Some(frame) = exchange.next_frame().await {
        let wrapper = TestMessage::decode(&frame);
        chain.verify(&wrapper).unwrap();
        if !wrapper.payload.is_empty() {
            let event = TestMessage::decode(&wrapper.payload);
            types.push(event.string(":event-type").unwrap().to_owned());
        }
    }
    assert_eq!(
        types,
        ["configurationEvent", "textEvent", "endOfInputEvent"]
    );
    let writer = exchange.respond(200, &[]);
    for text in ["The handbook ", "is on the wiki."] {
        let payload = format!(r#"{{"systemMessage":"{text}"}}"#);
        writer
            .message(&TestMessage::event(
                "textEvent",
                "application/json",
                payload.as_bytes(),
            ))
            .await;
    }
    writer
        .message(&TestMessage::event(
            "metadataEvent",
            "application/json",
            br#"{"conversationId":"conv-1","sourceAttributions":[{"title":"Handbook","citationNumber":1}]}"#,
        ))
        .await;
    drop(writer);
    let output = run.await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "The handbook is on the wiki.\n[conversation conv-1]\n[source 1] Handbook\n"
    );
}
