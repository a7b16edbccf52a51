//! QBusiness `Chat` end to end: the generated client against a local HTTP/2 server over TLS
//! (ALPN `h2`, certificate made in-test; see `sdk_tests::event_stream`). The server checks the
//! request line, query and headers, decodes every frame with its own codec, verifies every
//! signature of the chain with its own HMAC-SHA256, sees the end of input, and answers with
//! text, metadata, an unknown event and an exception.

use std::time::Duration;

use awsgen_qbusiness::Client;
use awsgen_qbusiness::operation::ChatError;
use awsgen_qbusiness::types::{
    ChatInputStream, ChatMode, ChatOutputStream, ConfigurationEvent, EndOfInputEvent,
    TextInputEvent,
};
use awsgen_runtime::SdkError;
use awsgen_runtime::event_stream::SendError;
use sdk_tests::event_stream::{ChainVerifier, H2Server, SECRET, TestMessage, Value};
use sdk_tests::is_uuid_v4;

const APP: &str = "a1b2c3d4-0000-4000-8000-000000000001";
const CONVERSATION: &str = "c0c0c0c0-0000-4000-8000-000000000002";

fn text(message: &str) -> ChatInputStream {
    ChatInputStream::TextEvent(TextInputEvent::builder().user_message(message).build())
}

/// Reads the whole input: verifies each frame's signature, returns the inner events and
/// checks that the input ended with the empty signed frame.
async fn read_input(exchange: &mut sdk_tests::event_stream::Exchange) -> Vec<TestMessage> {
    let authorization = exchange.request.headers["authorization"].to_str().unwrap();
    let mut chain = ChainVerifier::new(SECRET, "us-west-2", "qbusiness", authorization);
    let mut events = Vec::new();
    let mut ended = false;
    while let Some(frame) = exchange.next_frame().await {
        assert!(!ended, "a frame after the end-of-input frame");
        let wrapper = TestMessage::decode(&frame);
        chain.verify(&wrapper).expect("signature chain");
        if wrapper.payload.is_empty() {
            ended = true;
        } else {
            events.push(TestMessage::decode(&wrapper.payload));
        }
    }
    assert!(ended, "the input did not end with the empty signed frame");
    events
}

#[tokio::test]
async fn chat_streams_signed_events_and_typed_output_over_h2() {
    let mut server = H2Server::start().await;
    let client = Client::new(&server.config());
    let chat = client
        .chat()
        .application_id(APP)
        .user_id("someone@example.com")
        .user_groups("g 1")
        .user_groups("g2")
        .conversation_id(CONVERSATION)
        .send()
        .await
        .expect("stream opens without waiting for the response");
    let input = chat.input;
    let mut output = chat.output;
    let sender = tokio::spawn(async move {
        input
            .send(ChatInputStream::ConfigurationEvent(
                ConfigurationEvent::builder()
                    .chat_mode(ChatMode::RetrievalMode)
                    .build(),
            ))
            .await?;
        input.send(text("What is our travel policy?")).await?;
        input
            .send(ChatInputStream::EndOfInputEvent(EndOfInputEvent::default()))
            .await?;
        input.close();
        Ok::<_, SendError>(())
    });

    let server_side = tokio::spawn(async move {
        let mut exchange = server.exchange().await;
        let request = &exchange.request;
        assert_eq!(request.method, "POST");
        assert_eq!(request.version, http::Version::HTTP_2);
        assert_eq!(
            request.uri.path(),
            format!("/applications/{APP}/conversations")
        );
        let query = request.uri.query().unwrap();
        let (before_token, token) = query.split_once("&clientToken=").unwrap();
        assert_eq!(
            before_token,
            format!(
                "userId=someone%40example.com&userGroups=g%201&userGroups=g2&conversationId={CONVERSATION}"
            )
        );
        assert!(is_uuid_v4(token), "clientToken autopopulated: {token}");
        let headers = &request.headers;
        assert_eq!(
            headers["content-type"],
            "application/vnd.amazon.eventstream"
        );
        assert_eq!(
            headers["x-amz-content-sha256"],
            "STREAMING-AWS4-HMAC-SHA256-EVENTS"
        );
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
            "{authorization}"
        );
        assert!(
            authorization.contains("/us-west-2/qbusiness/aws4_request"),
            "{authorization}"
        );
        assert!(
            authorization.contains("x-amz-content-sha256"),
            "the payload hash header is signed: {authorization}"
        );
        assert!(headers.contains_key("x-amz-date"));

        let events = read_input(&mut exchange).await;
        let types: Vec<_> = events
            .iter()
            .map(|e| e.string(":event-type").unwrap().to_owned())
            .collect();
        assert_eq!(
            types,
            ["configurationEvent", "textEvent", "endOfInputEvent"]
        );
        for event in &events {
            assert_eq!(event.string(":message-type"), Some("event"));
            assert_eq!(event.string(":content-type"), Some("application/json"));
        }
        assert_eq!(events[0].payload, br#"{"chatMode":"RETRIEVAL_MODE"}"#);
        assert_eq!(
            events[1].payload,
            br#"{"userMessage":"What is our travel policy?"}"#
        );
        assert_eq!(events[2].payload, b"{}");

        let writer = exchange.respond(200, &[("x-amzn-requestid", "req-1")]);
        let ct = "application/json";
        writer
            .message(&TestMessage::event(
                "textEvent",
                ct,
                br#"{"conversationId":"c0c0c0c0-0000-4000-8000-000000000002","systemMessage":"Travel is ","systemMessageType":"RESPONSE"}"#,
            ))
            .await;
        writer
            .message(&TestMessage::event(
                "metadataEvent",
                ct,
                br#"{"finalTextMessage":"Travel is booked via the portal.","sourceAttributions":[{"title":"Policy","citationNumber":1}]}"#,
            ))
            .await;
        writer
            .message(&TestMessage::event("someFutureEvent", ct, br#"{"x":1}"#))
            .await;
        writer
            .message(&TestMessage::event(
                "textEvent",
                ct,
                br#"{"systemMessage":"booked via the portal."}"#,
            ))
            .await;
        writer
            .message(&TestMessage::exception(
                "ThrottlingException",
                br#"{"message":"slow down"}"#,
            ))
            .await;
        server
    });

    let mut received = Vec::new();
    let error = loop {
        match output.recv().await {
            Ok(Some(event)) => received.push(event),
            Ok(None) => panic!("the stream ended without the exception"),
            Err(error) => break error,
        }
    };
    sender.await.unwrap().expect("input events sent");
    let server = server_side.await.unwrap();
    assert_eq!(server.alpn(), [Some(b"h2".to_vec())]);

    assert_eq!(received.len(), 3, "{received:?}");
    let ChatOutputStream::TextEvent(first) = &received[0] else {
        panic!("{:?}", received[0]);
    };
    assert_eq!(first.system_message.as_deref(), Some("Travel is "));
    assert_eq!(first.conversation_id.as_deref(), Some(CONVERSATION));
    let ChatOutputStream::MetadataEvent(metadata) = &received[1] else {
        panic!("{:?}", received[1]);
    };
    assert_eq!(
        metadata.final_text_message.as_deref(),
        Some("Travel is booked via the portal.")
    );
    assert_eq!(
        metadata.source_attributions.as_ref().unwrap()[0]
            .title
            .as_deref(),
        Some("Policy")
    );
    assert!(
        matches!(&received[2], ChatOutputStream::TextEvent(t) if t.system_message.as_deref() == Some("booked via the portal."))
    );

    let SdkError::Service(service) = &error else {
        panic!("{error:?}");
    };
    assert!(
        matches!(service.error(), ChatError::ThrottlingException(e) if e.message.as_deref() == Some("slow down")),
        "{error:?}"
    );
    assert_eq!(service.code(), "ThrottlingException");
    assert_eq!(service.request_id(), Some("req-1"));
    assert!(
        output.recv().await.unwrap().is_none(),
        "an error ends the stream"
    );
}

#[tokio::test]
async fn a_conversation_interleaves_input_and_output_and_send_does_not_wait_for_the_head() {
    let mut server = H2Server::start().await;
    let client = Client::new(&server.config());
    let server_side = tokio::spawn(async move {
        let mut exchange = server.exchange().await;
        let authorization = exchange.request.headers["authorization"]
            .to_str()
            .unwrap()
            .to_owned();
        let mut chain = ChainVerifier::new(SECRET, "us-west-2", "qbusiness", &authorization);
        // No response head until the first event arrived: a client that waited for the
        // head before handing out the sender would deadlock here.
        let mut writer = None;
        let mut turns = 0;
        while let Some(frame) = exchange.next_frame().await {
            let wrapper = TestMessage::decode(&frame);
            chain.verify(&wrapper).unwrap();
            if wrapper.payload.is_empty() {
                continue;
            }
            let event = TestMessage::decode(&wrapper.payload);
            let writer = writer.get_or_insert_with(|| exchange.respond(200, &[]));
            turns += 1;
            let reply = format!(
                r#"{{"systemMessage":"answer {turns}: {}"}}"#,
                String::from_utf8_lossy(&event.payload).replace('"', "'")
            );
            writer
                .message(&TestMessage::event(
                    "textEvent",
                    "application/json",
                    reply.as_bytes(),
                ))
                .await;
        }
        turns
    });
    let mut chat = client.chat().application_id(APP).send().await.unwrap();
    // Both ends can move into tasks, and the output is a futures Stream.
    fn shared<T: Send + Sync + 'static>(_: &T) {}
    fn movable<T: Send + 'static>(_: &T) {}
    fn stream<S: futures_core::Stream<Item = Result<ChatOutputStream, SdkError<ChatError>>>>(
        _: &S,
    ) {
    }
    shared(&chat.input);
    movable(&chat.output);
    stream(&chat.output);
    for turn in 1..=3 {
        chat.input.send(text(&format!("q{turn}"))).await.unwrap();
        let reply = tokio::time::timeout(Duration::from_secs(10), chat.output.recv())
            .await
            .expect("a reply to each question before the next")
            .unwrap()
            .unwrap();
        let ChatOutputStream::TextEvent(reply) = reply else {
            panic!("{reply:?}");
        };
        assert_eq!(
            reply.system_message.unwrap(),
            format!("answer {turn}: {{'userMessage':'q{turn}'}}")
        );
    }
    drop(chat.input);
    assert!(chat.output.recv().await.unwrap().is_none());
    assert_eq!(server_side.await.unwrap(), 3);
}

#[tokio::test]
async fn a_full_queue_makes_send_wait() {
    let mut server = H2Server::start().await;
    let client = Client::new(&server.config());
    let chat = client.chat().application_id(APP).send().await.unwrap();
    // The server takes the request but reads nothing: HTTP/2 flow control fills up (the test
    // server's windows are 64 KiB),
    // then the bounded queue, and `send` must wait instead of buffering without limit.
    let exchange = server.exchange();
    let big = "x".repeat(16 * 1024);
    let mut sent = 0;
    let sending = async {
        loop {
            chat.input.send(text(&big)).await.unwrap();
            sent += 1;
        }
    };
    let held = tokio::time::timeout(Duration::from_millis(500), async {
        tokio::join!(exchange, sending)
    })
    .await;
    assert!(held.is_err(), "send never waited");
    assert!(
        (awsgen_runtime::event_stream::INPUT_BUFFER..24).contains(&sent),
        "{sent} events of 16 KiB accepted while the server reads nothing"
    );
}

#[tokio::test]
async fn an_error_response_is_the_first_output_item() {
    let mut server = H2Server::start().await;
    let client = Client::new(&server.config());
    let mut chat = client.chat().application_id(APP).send().await.unwrap();
    let mut exchange = server.exchange().await;
    let writer = exchange.respond(
        403,
        &[
            ("x-amzn-errortype", "AccessDeniedException"),
            ("x-amzn-requestid", "req-403"),
            ("content-type", "application/json"),
        ],
    );
    writer.raw(&br#"{"message":"no access"}"#[..]).await;
    drop(writer);
    let error = chat.output.recv().await.unwrap_err();
    assert!(
        matches!(error.as_service(), Some(ChatError::AccessDeniedException(e)) if e.message.as_deref() == Some("no access")),
        "{error:?}"
    );
    assert_eq!(error.as_service_error().unwrap().status(), 403);
    assert!(chat.output.recv().await.unwrap().is_none());
    // The input side learns that the stream is gone.
    let mut closed = false;
    for _ in 0..50 {
        if chat.input.send(text("anyone?")).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed, "sending after the stream failed must fail");
}

#[tokio::test]
async fn invalid_events_are_refused_before_sending() {
    let server = H2Server::start().await;
    let client = Client::new(&server.config());
    let chat = client.chat().application_id(APP).send().await.unwrap();
    let error = chat
        .input
        .send(ChatInputStream::TextEvent(TextInputEvent::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SendError::Invalid(e) if e.member.contains("userMessage")),
        "{error}"
    );
    let error = chat
        .input
        .send(ChatInputStream::Unknown(awsgen_runtime::UnknownValue::new(
            "newEvent",
        )))
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::Invalid(_)), "{error}");
    // And the input of the operation itself is validated before anything is sent.
    let error = client.chat().send().await.unwrap_err();
    assert!(matches!(error, SdkError::Validation(_)), "{error}");
}

/// Runs a stream whose response body is `body` (then `end`), returning what the receiver gave.
async fn receive_after(
    body: Vec<Vec<u8>>,
    end: End,
) -> (Vec<ChatOutputStream>, Option<SdkError<ChatError>>) {
    let mut server = H2Server::start().await;
    let client = Client::new(&server.config());
    let mut chat = client.chat().application_id(APP).send().await.unwrap();
    let mut exchange = server.exchange().await;
    let writer = exchange.respond(200, &[]);
    for chunk in body {
        writer.raw(chunk).await;
    }
    match end {
        End::Close => drop(writer),
        End::Break => {
            // Late enough for the events before it to be read first.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                writer.break_stream().await;
            });
        }
        End::KeepOpen => std::mem::forget(writer),
    }
    let mut events = Vec::new();
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match chat.output.recv().await {
                Ok(Some(event)) => events.push(event),
                Ok(None) => return None,
                Err(e) => return Some(e),
            }
        }
    })
    .await
    .expect("an error or the end, never a hang");
    drop(exchange);
    (events, outcome)
}

enum End {
    Close,
    Break,
    KeepOpen,
}

fn good_event() -> Vec<u8> {
    TestMessage::event(
        "textEvent",
        "application/json",
        br#"{"systemMessage":"ok"}"#,
    )
    .encode()
}

fn response_error(error: Option<SdkError<ChatError>>) -> String {
    match error {
        Some(SdkError::Response { message, .. }) => message,
        other => panic!("expected a malformed-response error, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_frames_are_errors_on_the_stream() {
    // A bad prelude CRC: reported as soon as the 12 bytes are in, although the stream stays
    // open (no waiting for the length the corrupt prelude claims).
    let mut frame = good_event();
    frame[9] ^= 0xff;
    let (events, error) = receive_after(vec![good_event(), frame], End::KeepOpen).await;
    assert_eq!(events.len(), 1);
    assert!(response_error(error).contains("prelude CRC32 mismatch"));

    // A bad message CRC.
    let mut frame = good_event();
    let last = frame.len() - 6;
    frame[last] ^= 0x01;
    let (_, error) = receive_after(vec![frame], End::Close).await;
    assert!(response_error(error).contains("message CRC32 mismatch"));

    // A frame cut short by the end of the stream.
    let frame = good_event();
    let (events, error) = receive_after(
        vec![good_event(), frame[..frame.len() - 3].to_vec()],
        End::Close,
    )
    .await;
    assert_eq!(events.len(), 1);
    assert!(response_error(error).contains("ended inside the frame"));

    // A header of an unknown type (valid CRCs).
    let mut headers = sdk_tests::event_stream::encode_headers(&[(
        ":message-type".into(),
        Value::String("event".into()),
    )]);
    headers.extend_from_slice(&[4, b'w', b'e', b'i', b'r', 42, 0, 0]);
    let (_, error) = receive_after(vec![raw_frame(&headers, b"{}")], End::Close).await;
    assert!(response_error(error).contains("unknown value type 42"));

    // An oversize message: refused from its prelude, without waiting for 17 MiB.
    let mut prelude = Vec::new();
    prelude.extend_from_slice(&(17u32 * 1024 * 1024).to_be_bytes());
    prelude.extend_from_slice(&0u32.to_be_bytes());
    let crc = crc32fast::hash(&prelude);
    prelude.extend_from_slice(&crc.to_be_bytes());
    let (_, error) = receive_after(vec![prelude], End::KeepOpen).await;
    assert!(response_error(error).contains("exceeds the limit of 16777216"));
}

fn raw_frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = 16 + headers.len() + payload.len();
    let mut out = Vec::new();
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_an_error() {
    let (events, error) = receive_after(vec![good_event()], End::Break).await;
    assert_eq!(events.len(), 1);
    match error {
        Some(SdkError::Dispatch(e)) => {
            assert!(e.message().contains("Chat event stream broke"), "{e}")
        }
        other => panic!("expected a dispatch error, got {other:?}"),
    }
}

#[tokio::test]
async fn error_messages_and_bad_events_are_errors() {
    let error_message = {
        let mut headers = sdk_tests::event_stream::encode_headers(&[
            (":message-type".into(), Value::String("error".into())),
            (
                ":error-code".into(),
                Value::String("InternalFailure".into()),
            ),
            (":error-message".into(), Value::String("boom".into())),
        ]);
        let frame = raw_frame(&headers, b"");
        headers.clear();
        frame
    };
    let (_, error) = receive_after(vec![error_message], End::KeepOpen).await;
    let error = error.unwrap();
    assert!(
        matches!(error.as_service(), Some(ChatError::Unhandled(e)) if e.code == "InternalFailure" && e.message == "boom"),
        "{error:?}"
    );

    let bad_json =
        TestMessage::event("textEvent", "application/json", b"{\"systemMessage\":").encode();
    let (_, error) = receive_after(vec![bad_json], End::Close).await;
    assert!(response_error(error).contains("cannot read the \"textEvent\" event"));
}
