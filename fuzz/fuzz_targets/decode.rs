//! The event-stream frame decoder on arbitrary bytes: `cargo +nightly fuzz run decode`.
//!
//! Properties: no panic, no hang, bounded memory; fed in any split, the incremental decoder
//! gives the same messages as decoding the whole input; every frame that decodes re-encodes to
//! exactly its bytes.

#![no_main]

use awsgen_runtime::event_stream::MessageDecoder;
use awsgen_runtime::event_stream::frame::decode_frame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    // Whole input, frame by frame.
    let mut whole = Vec::new();
    let mut rest = data;
    while let Ok(Some((message, len))) = decode_frame(rest) {
        let encoded = message.encode().expect("a decoded message encodes");
        assert_eq!(&encoded[..], &rest[..len], "re-encoding changes the frame");
        whole.push(message);
        rest = &rest[len..];
    }
    // The same input in pieces of `split` bytes.
    let mut decoder = MessageDecoder::new();
    let mut pieces = Vec::new();
    let mut failed = false;
    for piece in data.chunks(usize::from(split).max(1)) {
        decoder.push(piece);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => pieces.push(message),
                Ok(None) => break,
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            break;
        }
    }
    let _ = decoder.finish();
    assert_eq!(whole, pieces, "split decoding differs");
});
