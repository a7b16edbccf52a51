//! Event streams through generated code other than qbusiness:
//!
//! * botocore's JSON event-stream conformance case (`output/event-stream.json` in the shared
//!   protocol tests: an `initial-response` event, a blob `eventpayload` event, a JSON structure
//!   event), decoded by the client generated from that suite's shapes
//!   (`generator/tests/snapshots/models/json-event-stream`), whole and in 7-byte pieces;
//! * a bidirectional rest-json stream (`snapshot-rest-json-event-stream`) whose events use every
//!   binding: headers of every type, blob / text / structure payloads, JSON bodies. The server
//!   verifies the signature chain and echoes each event back; what comes back must equal what
//!   was sent. A modelled stream exception becomes the operation's error.

use std::path::PathBuf;

use awsgen_runtime::{Blob, DateTime};
use sdk_tests::event_stream::{ChainVerifier, H2Server, SECRET, TestMessage};

fn shared_dir() -> PathBuf {
    let dir = match std::env::var_os("AWSGEN_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    assert!(
        dir.join("protocol-tests").is_dir(),
        "protocol tests not found in {} (set AWSGEN_SHARED_DIR)",
        dir.display()
    );
    dir
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        bits = bits << 6 | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// The suite "RPC JSON Event Stream": its one case's response body and expected result.
fn json_case() -> (Vec<u8>, serde_json::Value) {
    let path = shared_dir().join("protocol-tests/output/event-stream.json");
    let suites: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let suite = suites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["description"] == "RPC JSON Event Stream")
        .expect("the JSON event-stream suite");
    let case = &suite["cases"][0];
    (
        base64(case["response"]["body"].as_str().unwrap()),
        case["result"].clone(),
    )
}

#[tokio::test]
async fn botocore_json_event_stream_case() {
    use snapshot_json_event_stream::types::{Details, EventStream, TypeAEvent, TypeBEvent};
    let (body, result) = json_case();
    // The expected result, as botocore states it.
    assert_eq!(result["InitialResponse"], "sometext");
    assert_eq!(result["Payload"][0]["TypeA"]["Payload"], "somebytes");
    assert_eq!(
        result["Payload"][1]["TypeB"]["Details"]["IntegerField"],
        123
    );
    for chunk in [body.len(), 7] {
        let mut server = H2Server::start().await;
        let client = snapshot_json_event_stream::Client::new(&server.config());
        let mut stream = client.operation_name().send().await.unwrap();
        let mut exchange = server.exchange().await;
        assert_eq!(exchange.request.uri.path(), "/");
        assert_eq!(
            exchange.request.headers["x-amz-target"],
            "JsonEvents.OperationName"
        );
        let writer = exchange.respond(200, &[]);
        let server_side = {
            let body = body.clone();
            tokio::spawn(async move {
                for piece in body.chunks(chunk) {
                    writer.raw(piece.to_vec()).await;
                }
            })
        };
        let initial = stream.output.initial_response().await.unwrap();
        assert_eq!(initial.initial_response.as_deref(), Some("sometext"));
        let mut events = Vec::new();
        while let Some(event) = stream.output.recv().await.unwrap() {
            events.push(event);
        }
        server_side.await.unwrap();
        assert_eq!(
            events,
            [
                EventStream::TypeA(
                    TypeAEvent::builder()
                        .payload(Blob::new("somebytes"))
                        .build()
                ),
                EventStream::TypeB(
                    TypeBEvent::builder()
                        .details(
                            Details::builder()
                                .string_field("somestring")
                                .integer_field(123)
                                .build()
                        )
                        .build()
                ),
            ],
            "chunks of {chunk} bytes"
        );
    }
}

#[tokio::test]
async fn the_golden_bytes_round_trip_through_the_runtime_codec() {
    use awsgen_runtime::event_stream::MessageDecoder;
    use awsgen_runtime::event_stream::frame::decode_frame;
    let (body, _) = json_case();
    let mut decoder = MessageDecoder::new();
    decoder.push(&body);
    let mut encoded = Vec::new();
    let mut types = Vec::new();
    while let Some(message) = decoder.next_message().unwrap() {
        types.push(message.header_str(":event-type").unwrap().to_owned());
        encoded.extend_from_slice(&message.encode().unwrap());
    }
    decoder.finish().unwrap();
    assert_eq!(types, ["initial-response", "TypeA", "TypeB"]);
    assert_eq!(encoded, body, "re-encoding gives the golden bytes");
    // And the test codec agrees with the runtime's.
    let first = TestMessage::decode(&body[..126]);
    assert_eq!(first.payload, br#"{"InitialResponse": "sometext"}"#);
    let (message, len) = decode_frame(&first.encode()).unwrap().unwrap();
    assert_eq!(len, 126);
    assert_eq!(message.payload, first.payload);
}

#[tokio::test]
async fn every_event_binding_round_trips_through_a_signed_bidirectional_stream() {
    use snapshot_rest_json_event_stream::operation::ConverseError;
    use snapshot_rest_json_event_stream::types::*;
    let mut server = H2Server::start().await;
    let client = snapshot_rest_json_event_stream::Client::new(&server.config());
    let detail = Detail::builder().label("d").values(1).values(-2).build();
    let sent = vec![
        InputEvents::Headers(
            HeadersEvent::builder()
                .flag(false)
                .tiny(-7i8)
                .small(-300i16)
                .count(70_000)
                .total(-5_000_000_000i64)
                .name("nâme")
                .mode(Mode::Slow)
                .raw(Blob::new(vec![0, 255, 1]))
                .at(DateTime::from_millis(1_700_000_000_123))
                .build(),
        ),
        InputEvents::Blob(
            BlobEvent::builder()
                .data(Blob::new(vec![9u8; 70_000]))
                .seq(3)
                .build(),
        ),
        InputEvents::Text(TextEvent::builder().text("plain text ✓").build()),
        InputEvents::Struct(StructEvent::builder().detail(detail.clone()).build()),
        InputEvents::Body(
            BodyEvent::builder()
                .message("m")
                .count(4)
                .detail(detail)
                .build(),
        ),
        InputEvents::End(EndEvent::default()),
    ];
    let mut stream = client
        .converse()
        .id("conv/1")
        .mode(Mode::Fast)
        .tag("t")
        .send()
        .await
        .unwrap();
    let input = stream.input;
    let to_send = sent.clone();
    tokio::spawn(async move {
        for event in to_send {
            input.send(event).await.unwrap();
        }
    });
    let server_side = tokio::spawn(async move {
        let mut exchange = server.exchange().await;
        let request = &exchange.request;
        assert_eq!(request.uri.path(), "/conversations/conv%2F1");
        assert!(request.uri.query().unwrap().starts_with("mode=fast&token="));
        assert_eq!(request.headers["x-amz-tag"], "t");
        let authorization = request.headers["authorization"]
            .to_str()
            .unwrap()
            .to_owned();
        let mut chain = ChainVerifier::new(SECRET, "us-west-2", "converse", &authorization);
        let writer = exchange.respond(200, &[("x-amz-session", "s-1")]);
        let mut inner = Vec::new();
        while let Some(frame) = exchange.next_frame().await {
            let wrapper = TestMessage::decode(&frame);
            chain.verify(&wrapper).unwrap();
            if wrapper.payload.is_empty() {
                break;
            }
            let event = TestMessage::decode(&wrapper.payload);
            if event.string(":event-type") != Some("end") {
                writer.message(&event).await;
            }
            inner.push(event);
        }
        writer
            .message(&TestMessage::exception(
                "StreamThrottledException",
                br#"{"message":"easy","retryAfter":5}"#,
            ))
            .await;
        inner
    });
    assert_eq!(
        stream
            .output
            .initial_response()
            .await
            .unwrap()
            .session
            .as_deref(),
        Some("s-1")
    );
    let mut received = Vec::new();
    let error = loop {
        match stream.output.recv().await {
            Ok(Some(event)) => received.push(event),
            Ok(None) => panic!("no exception"),
            Err(e) => break e,
        }
    };
    let inner = server_side.await.unwrap();

    // The wire form of the bindings.
    let headers = &inner[0];
    assert_eq!(
        headers.headers[2..],
        [
            (
                "at".to_owned(),
                sdk_tests::event_stream::Value::Timestamp(1_700_000_000_123)
            ),
            (
                "count".to_owned(),
                sdk_tests::event_stream::Value::Int(70_000)
            ),
            (
                "flag".to_owned(),
                sdk_tests::event_stream::Value::Bool(false)
            ),
            (
                "mode".to_owned(),
                sdk_tests::event_stream::Value::String("slow".into())
            ),
            (
                "name".to_owned(),
                sdk_tests::event_stream::Value::String("nâme".into())
            ),
            (
                "raw".to_owned(),
                sdk_tests::event_stream::Value::Bytes(vec![0, 255, 1])
            ),
            (
                "small".to_owned(),
                sdk_tests::event_stream::Value::Short(-300)
            ),
            ("tiny".to_owned(), sdk_tests::event_stream::Value::Byte(-7)),
            (
                "total".to_owned(),
                sdk_tests::event_stream::Value::Long(-5_000_000_000)
            ),
            (
                ":content-type".to_owned(),
                sdk_tests::event_stream::Value::String("application/json".into())
            ),
        ]
    );
    assert_eq!(headers.payload, b"{}");
    assert_eq!(
        inner[1].string(":content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(inner[1].payload.len(), 70_000);
    assert_eq!(inner[2].string(":content-type"), Some("text/plain"));
    assert_eq!(inner[2].payload, "plain text ✓".as_bytes());
    assert_eq!(inner[3].payload, br#"{"label":"d","values":[1,-2]}"#);
    assert_eq!(
        inner[4].payload,
        br#"{"count":4,"detail":{"label":"d","values":[1,-2]},"message":"m"}"#
    );

    // What came back equals what was sent.
    let echoed: Vec<InputEvents> = received
        .into_iter()
        .map(|event| match event {
            OutputEvents::Headers(e) => InputEvents::Headers(e),
            OutputEvents::Blob(e) => InputEvents::Blob(e),
            OutputEvents::Text(e) => InputEvents::Text(e),
            OutputEvents::Struct(e) => InputEvents::Struct(e),
            OutputEvents::Body(e) => InputEvents::Body(e),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(echoed, sent[..5]);
    assert!(
        matches!(error.as_service(), Some(ConverseError::StreamThrottledException(e)) if e.retry_after == Some(5) && e.message.as_deref() == Some("easy")),
        "{error:?}"
    );
}

#[tokio::test]
async fn json_protocol_input_streams_start_with_a_signed_initial_request() {
    use snapshot_json_event_stream::types::{ChunkEvent, UploadStream};
    let mut server = H2Server::start().await;
    let client = snapshot_json_event_stream::Client::new(&server.config());
    let stream = client.upload().name("report").send().await.unwrap();
    stream
        .input
        .send(UploadStream::Chunk(
            ChunkEvent::builder().data(Blob::new("abc")).build(),
        ))
        .await
        .unwrap();
    drop(stream.input);
    let mut exchange = server.exchange().await;
    assert_eq!(
        exchange.request.headers["x-amz-target"],
        "JsonEvents.Upload"
    );
    assert_eq!(
        exchange.request.headers["content-type"],
        "application/vnd.amazon.eventstream"
    );
    let authorization = exchange.request.headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut chain = ChainVerifier::new(SECRET, "us-west-2", "jsonevents", &authorization);
    let mut events = Vec::new();
    while let Some(frame) = exchange.next_frame().await {
        let wrapper = TestMessage::decode(&frame);
        chain.verify(&wrapper).unwrap();
        if !wrapper.payload.is_empty() {
            events.push(TestMessage::decode(&wrapper.payload));
        }
    }
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].string(":event-type"), Some("initial-request"));
    assert_eq!(
        events[0].string(":content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(events[0].payload, br#"{"Name":"report"}"#);
    assert_eq!(events[1].string(":event-type"), Some("Chunk"));
    assert_eq!(events[1].payload, b"abc");
    drop(exchange.respond(200, &[]));
}
