//! Finding the bytes inside a JSON string that need attention: `"`, `\` and control characters.
//! Shared by the reader (where a string ends or an escape starts) and the writer (what to
//! escape). Eight bytes at a time with SWAR bit tricks; no `unsafe`.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// `true` for the bytes a JSON string cannot hold raw.
pub(crate) static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The high bit of each byte of `word` that is `"`, `\` or below 0x20.
///
/// The classic "has zero byte" trick can flag false positives, but only in bytes above a true
/// positive (through the borrow), so the lowest flagged byte is always exact.
#[inline(always)]
fn special_bytes(word: u64) -> u64 {
    #[inline(always)]
    fn zero_bytes(v: u64) -> u64 {
        v.wrapping_sub(ONES) & !v & HIGHS
    }
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

/// The index of the first special byte at or after `from`, or `bytes.len()` if there is none.
#[inline(always)]
pub(crate) fn find_special(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        let found = special_bytes(u64::from_le_bytes(*chunk));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if SPECIAL[usize::from(b)] {
            return i;
        }
        i += 1;
    }
    bytes.len().max(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_scan_finds_the_first_special_byte_at_every_position() {
        for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for len in 0..40 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    // Bytes that look special to a sloppy bit trick must not be flagged.
                    for (i, b) in bytes.iter_mut().enumerate() {
                        *b = [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', 0xa2][i % 8];
                    }
                    bytes[at] = special;
                    // A second special byte later must not hide the first.
                    if at + 3 < len {
                        bytes[at + 3] = b'"';
                    }
                    assert_eq!(find_special(&bytes, 0), at, "{special:#x} at {at} of {len}");
                    assert_eq!(find_special(&bytes, at), at);
                    if at + 4 <= len {
                        assert_eq!(
                            find_special(&bytes, at + 4).min(len),
                            find_naive(&bytes, at + 4)
                        );
                    }
                }
                let plain = vec![b'z'; len];
                assert_eq!(find_special(&plain, 0), len);
            }
        }
    }

    #[test]
    fn json_scan_agrees_with_a_naive_scan_on_every_byte_value() {
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut bytes = vec![b'x'; 12];
                bytes[at] = b;
                assert_eq!(find_special(&bytes, 0), find_naive(&bytes, 0), "{b:#x}");
            }
        }
        assert_eq!(find_special(b"ab", 5), 5);
    }

    fn find_naive(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&i| SPECIAL[usize::from(bytes[i])])
            .unwrap_or(bytes.len())
    }
}
