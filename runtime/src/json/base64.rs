//! Base64 for blobs, hand-written (about 60 lines) rather than taken from the `base64` crate:
//! decoding must be exactly as lenient as botocore's `base64.b64decode` (CPython's
//! `binascii.a2b_base64` in non-strict mode), which no crate configuration reproduces:
//! characters outside the alphabet are skipped, non-zero trailing bits are accepted, and the
//! first complete padding ends the data. Encoding is standard, padded (`base64.b64encode`).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const INVALID: u8 = 0xff;

static DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Standard, padded base64.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let sextet = |n: u32, shift: u32| char::from(ALPHABET[((n >> shift) & 0x3f) as usize]);
    let mut chunks = bytes.chunks_exact(3);
    for chunk in &mut chunks {
        let n = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
        out.extend([sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend([sextet(n, 18), sextet(n, 12), '=', '=']);
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([sextet(n, 18), sextet(n, 12), sextet(n, 6), '=']);
        }
        _ => {}
    }
    out
}

/// Decodes like Python's `base64.b64decode(text)` (`validate=False`).
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, &'static str> {
    if !text.is_ascii() {
        return Err("invalid base64: string argument should contain only ASCII characters");
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    // Position in the current group of four, the bits carried over, and '=' seen after the
    // second character of a group (CPython's `quad_pos`, `leftchar`, `pads`).
    let mut quad = 0u32;
    let mut left = 0u32;
    let mut pads = 0u32;
    for &c in text.as_bytes() {
        if c == b'=' {
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 {
                    // Complete padding: everything after it is ignored.
                    return Ok(out);
                }
            }
            continue;
        }
        let v = DECODE[usize::from(c)];
        if v == INVALID {
            continue;
        }
        let v = u32::from(v);
        pads = 0;
        match quad {
            0 => {
                left = v;
                quad = 1;
            }
            1 => {
                out.push((left << 2 | v >> 4) as u8);
                left = v & 0x0f;
                quad = 2;
            }
            2 => {
                out.push((left << 4 | v >> 2) as u8);
                left = v & 0x03;
                quad = 3;
            }
            _ => {
                out.push((left << 6 | v) as u8);
                quad = 0;
            }
        }
    }
    match quad {
        0 => Ok(out),
        1 => Err("invalid base64: number of data characters cannot be 1 more than a multiple of 4"),
        _ => Err("invalid base64: incorrect padding"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_base64_encodes_standard_padded() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"foob"), "Zm9vYg==");
        assert_eq!(encode(b"fooba"), "Zm9vYmE=");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(&[0xfb, 0xff, 0xfe]), "+//+");
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
    }

    /// Expected values from Python 3.11 `base64.b64decode`.
    #[test]
    fn json_base64_decodes_like_python() {
        let ok: &[(&str, &[u8])] = &[
            ("", b""),
            ("QQ==", b"A"),
            ("QR==", b"A"),
            ("QQ==QQ==", b"A"),
            ("Q Q = =", b"A"),
            ("QQ=x=", b"A\x0c"),
            ("Q=Q==", b"A"),
            ("QUJD", b"ABC"),
            ("QUJDRA==", b"ABCD"),
            ("!!QQ==", b"A"),
            ("QQ==!!", b"A"),
            ("=QQ==", b"A"),
            ("QUI=Q", b"AB"),
            ("====", b""),
            ("QU=JD", b"ABC"),
            ("QUJ=D", b"AB"),
            ("Q-Q_==", b"A"),
            ("QUJD\n", b"ABC"),
        ];
        for (text, bytes) in ok {
            assert_eq!(decode(text).as_deref(), Ok(*bytes), "{text:?}");
        }
        for text in ["QQ", "QQ=", "Q", "QUJDRA=", "QUJDRA", "Q===", "é"] {
            assert!(decode(text).is_err(), "{text:?}");
        }
    }
}
