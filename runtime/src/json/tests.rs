use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::reader::MAX_DEPTH;
use super::*;
use crate::{Blob, DateTime};

fn written(f: impl FnOnce(&mut JsonWriter)) -> String {
    let mut writer = JsonWriter::new();
    f(&mut writer);
    String::from_utf8(writer.into_bytes()).expect("the writer writes UTF-8")
}

fn to_json<T: SerializeJson + ?Sized>(value: &T) -> String {
    written(|w| w.value(value))
}

/// The whole input as one document value.
fn document(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut reader = JsonReader::new(bytes);
    let value = reader.value::<Value>()?;
    reader.end()?;
    Ok(value)
}

fn skip(bytes: &[u8]) -> Result<(), JsonError> {
    let mut reader = JsonReader::new(bytes);
    reader.skip_value()?;
    reader.end()
}

fn read<T: DeserializeJson>(text: &str) -> Result<T, JsonError> {
    let mut reader = JsonReader::new(text.as_bytes());
    let value = reader.value::<T>()?;
    reader.end()?;
    Ok(value)
}

const SAMPLE: &str = r#" {"a": [1, -2.5e3, true, false, null, "x\"y\\\u00e9\ud83d\ude00\n"],
  "b": {"c": {}, "d": [], "e": "plain", "f": [[{"g": [0]}]]},
  "h": 0, "i": -0.0, "j": "é中😀", "k": 12345678901234567890, "l": 1E+2 } "#;

// ---------------------------------------------------------------- writer

#[test]
fn json_writer_structures_and_commas() {
    let text = written(|w| {
        w.begin_object();
        w.key("a");
        w.integer(1);
        w.key("b");
        w.begin_array();
        w.integer(1);
        w.string("x");
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.end_array();
        w.null();
        w.boolean(true);
        w.boolean(false);
        w.end_array();
        w.key("c");
        w.begin_object();
        w.key("d");
        w.null();
        w.end_object();
        w.member::<str>("absent", None);
        w.member("e", Some("f"));
        w.end_object();
    });
    assert_eq!(
        text,
        r#"{"a":1,"b":[1,"x",{},[],null,true,false],"c":{"d":null},"e":"f"}"#
    );
    assert_eq!(written(|w| w.member::<i32>("k", None)), "");
    assert_eq!(written(|_| {}), "");
    assert_eq!(JsonWriter::default().into_bytes(), b"");
}

#[test]
fn json_writer_escapes_like_python() {
    // Python: json.dumps('\x00\x01\x08\t\n\x0b\x0c\r\x1f "\\/')
    let text = to_json("\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \"\\/");
    assert_eq!(text, r#""\u0000\u0001\b\t\n\u000b\f\r\u001f \"\\/""#);
    // Non-ASCII is written raw (botocore writes \u escapes; the JSON is the same).
    assert_eq!(to_json("é中😀\u{7f}"), "\"é中😀\u{7f}\"");
    assert_eq!(to_json(""), r#""""#);
    // Long strings exercise the 8-byte scan, with escapes at every alignment.
    for at in 0..20 {
        let mut s = "abcdefghijklmnopqrstuvwxyz".to_owned();
        s.insert(at, '"');
        let json = to_json(s.as_str());
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s);
        assert_eq!(read::<String>(&json).unwrap(), s);
    }
    let key = written(|w| {
        w.begin_object();
        w.key("a\"b");
        w.integer(1);
        w.end_object();
    });
    assert_eq!(key, r#"{"a\"b":1}"#);
}

#[test]
fn json_writer_integers() {
    assert_eq!(to_json(&0i64), "0");
    assert_eq!(to_json(&-1i64), "-1");
    assert_eq!(to_json(&i64::MAX), "9223372036854775807");
    assert_eq!(to_json(&i64::MIN), "-9223372036854775808");
    assert_eq!(to_json(&i8::MIN), "-128");
    assert_eq!(to_json(&i16::MAX), "32767");
    assert_eq!(to_json(&i32::MIN), "-2147483648");
    assert_eq!(to_json(&1_000_000i32), "1000000");
}

#[test]
fn json_writer_floats_like_python_repr() {
    // (value, Python's json.dumps(value))
    let cases: &[(f64, &str)] = &[
        (1.0, "1.0"),
        (0.1, "0.1"),
        (0.3, "0.3"),
        (-0.0, "-0.0"),
        (2.5, "2.5"),
        (100.0, "100.0"),
        (1e16, "1e+16"),
        (1e22, "1e+22"),
        (1e-5, "1e-05"),
        (-1.25e-7, "-1.25e-07"),
        (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (0.0001, "0.0001"),
        (123_456_789_012_345_680.0, "1.2345678901234568e+17"),
        (1e15, "1000000000000000.0"),
        (9_999_999_999_999_998.0, "9999999999999998.0"),
        (f64::NAN, "\"NaN\""),
        (f64::INFINITY, "\"Infinity\""),
        (f64::NEG_INFINITY, "\"-Infinity\""),
    ];
    for &(value, expected) in cases {
        assert_eq!(to_json(&value), expected, "{value:?}");
    }
    assert_eq!(to_json(&0.1f32), "0.1");
    assert_eq!(to_json(&1.0f32), "1.0");
    assert_eq!(to_json(&1e20f32), "1e+20");
    assert_eq!(to_json(&f32::NAN), "\"NaN\"");
    assert_eq!(to_json(&f32::NEG_INFINITY), "\"-Infinity\"");
    assert_eq!(
        written(|w| {
            w.begin_array();
            w.float(1.0);
            w.float(f64::NAN);
            w.float(1e16);
            w.end_array();
        }),
        r#"[1.0,"NaN",1e+16]"#
    );
}

#[test]
fn json_writer_floats_round_trip_exactly() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..20_000 {
        let value = f64::from_bits(rng.u64(..));
        if !value.is_finite() {
            continue;
        }
        let text = to_json(&value);
        let back = read::<f64>(&text).unwrap();
        assert_eq!(back.to_bits(), value.to_bits(), "{text}");
        assert_eq!(text.parse::<f64>().unwrap().to_bits(), value.to_bits());
        let single = f32::from_bits(rng.u32(..));
        if single.is_finite() {
            let text = to_json(&single);
            assert_eq!(
                read::<f32>(&text).unwrap().to_bits(),
                single.to_bits(),
                "{text}"
            );
        }
    }
}

#[test]
fn json_writer_timestamps() {
    let date = DateTime::from_secs_and_nanos(1_704_164_645, 250_000_000);
    let text = written(|w| {
        w.begin_object();
        w.timestamp_member("e", Some(&date), TimestampFormat::EpochSeconds);
        w.timestamp_member("i", Some(&date), TimestampFormat::Iso8601);
        w.timestamp_member("h", Some(&date), TimestampFormat::HttpDate);
        w.timestamp_member("none", None, TimestampFormat::Iso8601);
        w.end_object();
    });
    assert_eq!(
        text,
        r#"{"e":1704164645,"i":"2024-01-02T03:04:05.250000Z","h":"Tue, 02 Jan 2024 03:04:05 GMT"}"#
    );
    // Default for JSON bodies: integer epoch seconds, the fraction truncated (the floor).
    assert_eq!(to_json(&date), "1704164645");
    assert_eq!(to_json(&DateTime::from_millis(-1500)), "-2");
    assert_eq!(
        written(|w| {
            w.begin_array();
            w.timestamp(&DateTime::from_secs(0), TimestampFormat::Iso8601);
            w.end_array();
        }),
        r#"["1970-01-01T00:00:00Z"]"#
    );
}

#[test]
fn json_writer_containers_blobs_documents() {
    let list = vec![1i32, 2, 3];
    assert_eq!(to_json(&list), "[1,2,3]");
    assert_eq!(to_json(&list[..2]), "[1,2]");
    assert_eq!(to_json(&Vec::<String>::new()), "[]");
    assert_eq!(to_json(&Box::new(5i64)), "5");
    let boxed: Box<str> = "b".into();
    assert_eq!(to_json(&boxed), r#""b""#);
    let mut map = BTreeMap::new();
    map.insert("b".to_owned(), vec![true]);
    map.insert("a".to_owned(), vec![]);
    assert_eq!(to_json(&map), r#"{"a":[],"b":[true]}"#);
    assert_eq!(to_json(&BTreeMap::<String, i32>::new()), "{}");
    assert_eq!(to_json(&Blob::new(b"foobar".to_vec())), r#""Zm9vYmFy""#);
    assert_eq!(to_json(&Blob::new(b"fo".to_vec())), r#""Zm8=""#);
    assert_eq!(to_json(&Blob::default()), r#""""#);
    let doc = json!({"i": 1, "f": 1.0, "n": null, "u": u64::MAX, "neg": -5, "s": "x",
                     "a": [true, {"e": []}], "big": 1e300});
    assert_eq!(
        written(|w| w.raw_document(&doc)),
        r#"{"a":[true,{"e":[]}],"big":1e+300,"f":1.0,"i":1,"n":null,"neg":-5,"s":"x","u":18446744073709551615}"#
    );
    assert_eq!(to_json(&doc), written(|w| w.raw_document(&doc)));
}

// ---------------------------------------------------------------- reader

#[test]
fn json_reader_walks_objects_and_arrays() {
    let text =
        br#" { "a" : [ 1 , "two" , null , [ ] , { } ] , "b" : { "c" : true } , "d":false } "#;
    let mut r = JsonReader::new(text);
    assert!(!r.is_empty_document());
    r.begin_object().unwrap();
    assert_eq!(r.next_key().unwrap().as_deref(), Some("a"));
    r.begin_array().unwrap();
    assert!(r.next_element().unwrap());
    assert_eq!(r.integer().unwrap(), 1);
    assert!(r.next_element().unwrap());
    assert!(!r.take_null().unwrap());
    assert_eq!(r.string().unwrap(), "two");
    assert!(r.next_element().unwrap());
    assert!(r.take_null().unwrap());
    assert!(r.next_element().unwrap());
    r.begin_array().unwrap();
    assert!(!r.next_element().unwrap());
    assert!(r.next_element().unwrap());
    r.begin_object().unwrap();
    assert_eq!(r.next_key().unwrap(), None);
    assert!(!r.next_element().unwrap());
    assert_eq!(r.next_key().unwrap().as_deref(), Some("b"));
    r.begin_object().unwrap();
    assert_eq!(r.next_key().unwrap().as_deref(), Some("c"));
    assert!(r.boolean().unwrap());
    assert_eq!(r.next_key().unwrap(), None);
    assert_eq!(r.next_key().unwrap().as_deref(), Some("d"));
    assert!(!r.boolean().unwrap());
    assert_eq!(r.next_key().unwrap(), None);
    r.end().unwrap();
    assert!(r.is_empty_document());
}

#[test]
fn json_reader_structure_errors() {
    let bad: &[&str] = &[
        "{,}",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{"a":1 "b":2}"#,
        r#"{a:1}"#,
        r#"{"a":1]"#,
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1}",
        "",
        "   ",
        "{",
        "[",
        "]",
        "}",
        "nul",
        "tru",
        "True",
        "'a'",
        "{\"a\":1}}",
        "[1]]",
        "{} {}",
        "1 2",
        "\u{feff}{}",
    ];
    for text in bad {
        assert!(document(text.as_bytes()).is_err(), "document {text:?}");
        assert!(skip(text.as_bytes()).is_err(), "skip {text:?}");
        assert!(
            serde_json::from_str::<Value>(text).is_err(),
            "serde_json {text:?}"
        );
    }
    // Misuse by the caller is an error, not a panic or a silent success.
    let mut r = JsonReader::new(b"[1]");
    assert!(r.next_key().is_err());
    r.begin_array().unwrap();
    assert!(r.next_key().is_err());
    let mut r = JsonReader::new(br#"{"a":1}"#);
    assert!(r.next_element().is_err());
    r.begin_object().unwrap();
    assert!(r.next_element().is_err());
    assert!(r.next_key().is_ok());
    // The value was not read: the next key does not follow.
    assert!(r.next_key().is_err());
    // Wrong kinds.
    assert!(read::<String>("1").is_err());
    assert!(read::<i64>("\"1\"").is_err());
    assert!(read::<bool>("1").is_err());
    assert!(read::<bool>("null").is_err());
    assert!(read::<f64>("true").is_err());
    assert!(read::<Vec<i64>>("{}").is_err());
    assert!(read::<BTreeMap<String, i64>>("[]").is_err());
}

#[test]
fn json_reader_errors_report_offsets() {
    let error = document(br#"{"a": tru}"#).unwrap_err();
    assert_eq!(error.offset(), 6);
    assert_eq!(error.to_string(), "invalid literal at byte 6");
    let error = document(br#"{"a": 1 x"#).unwrap_err();
    assert_eq!(error.offset(), 8);
    assert_eq!(error.message(), "expected `,` or `}`, found `x`");
    let error = document(b"[1,").unwrap_err();
    assert_eq!(
        error.to_string(),
        "unexpected end of input, expected a value at byte 3"
    );
    let error = read::<i8>(" 300").unwrap_err();
    assert_eq!(
        error.to_string(),
        "integer 300 out of range for i8 at byte 1"
    );
    let r = JsonReader::new(b"abc");
    assert_eq!(r.error("custom").to_string(), "custom at byte 0");
    let boxed: Box<dyn std::error::Error> = Box::new(JsonError::new("m", 3));
    assert_eq!(boxed.to_string(), "m at byte 3");
    assert!(format!("{:?}", JsonError::new("m", 3)).contains("offset: 3"));
}

#[test]
fn json_reader_strings_and_escapes() {
    let mut r = JsonReader::new(br#""plain""#);
    assert!(matches!(r.string().unwrap(), Cow::Borrowed("plain")));
    let mut r = JsonReader::new(br#""a\nb""#);
    assert!(matches!(r.string().unwrap(), Cow::Owned(s) if s == "a\nb"));
    let cases: &[(&str, &str)] = &[
        (r#""""#, ""),
        (r#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
        (r#""\u0000\u001F\u00e9\u00E9\u4e2d""#, "\u{0}\u{1f}éé中"),
        (r#""\ud83d\ude00""#, "😀"),
        (r#""\uD83D\uDE00x""#, "😀x"),
        (r#""\udbff\udfff""#, "\u{10ffff}"),
        (r#""a\u0041b\\""#, "aAb\\"),
        ("\"é中😀\u{7f}\"", "é中😀\u{7f}"),
        (r#""ends with escape\"""#, "ends with escape\""),
        (
            r#""0123456789abcdef\"0123456789abcdef""#,
            "0123456789abcdef\"0123456789abcdef",
        ),
    ];
    for &(text, expected) in cases {
        assert_eq!(read::<String>(text).unwrap(), expected, "{text}");
        assert_eq!(serde_json::from_str::<String>(text).unwrap(), expected);
        skip(text.as_bytes()).unwrap();
    }
    let bad: &[&[u8]] = &[
        br#""\ud83d""#,
        br#""\ud83dx""#,
        br#""\ud83d\u0041""#,
        br#""\ude00""#,
        br#""\ude00\ud83d""#,
        br#""\u12""#,
        br#""\u12g4""#,
        br#""\x""#,
        br#""\'""#,
        br#""\"#,
        br#""abc"#,
        b"\"a\nb\"",
        b"\"a\tb\"",
        b"\"\x00\"",
        b"\"\x1f\"",
        b"\"\xff\"",
        b"\"\xc3\"",
        b"\"\xc3(\"",
        b"\"\xc0\xaf\"",
        b"\"\xed\xa0\x80\"",
        b"\"\xf4\x90\x80\x80\"",
        b"\"ok\\n\xff\"",
    ];
    for text in bad {
        let mut r = JsonReader::new(text);
        assert!(r.string().is_err(), "{}", String::from_utf8_lossy(text));
        assert!(skip(text).is_err(), "{}", String::from_utf8_lossy(text));
        assert!(serde_json::from_slice::<Value>(text).is_err());
    }
    // Invalid UTF-8 anywhere is reported as such, at its offset, as Python's decode does.
    let error = document(b"[\"ok\", \"\xff\"]").unwrap_err();
    assert_eq!(error.to_string(), "invalid UTF-8 at byte 8");
    let error = document(b"[1, 2 x \xc3]").unwrap_err();
    assert_eq!(error.to_string(), "invalid UTF-8 at byte 8");
    let mut r = JsonReader::new(b"{} \xff");
    r.begin_object().unwrap();
    assert_eq!(r.next_key().unwrap(), None);
    assert_eq!(r.end().unwrap_err().to_string(), "invalid UTF-8 at byte 3");
    assert!(!JsonReader::new(b" \xff").is_empty_document());
    // Invalid UTF-8 in a key, and in a skipped member.
    assert!(document(b"{\"\xff\":1}").is_err());
    assert!(read::<BTreeMap<String, i64>>("{\"a\":1}").is_ok());
    let mut r = JsonReader::new(b"{\"a\":\"\xff\",\"b\":1}");
    r.begin_object().unwrap();
    r.next_key().unwrap();
    assert!(r.skip_value().is_err());
}

#[test]
fn json_reader_integers() {
    assert_eq!(read::<i64>("0").unwrap(), 0);
    assert_eq!(read::<i64>("-0").unwrap(), 0);
    assert_eq!(read::<i64>("9223372036854775807").unwrap(), i64::MAX);
    assert_eq!(read::<i64>("-9223372036854775808").unwrap(), i64::MIN);
    assert!(read::<i64>("9223372036854775808").is_err());
    assert!(read::<i64>("-9223372036854775809").is_err());
    assert!(read::<i64>("99999999999999999999999").is_err());
    // Whole numbers written with a fraction or exponent are integers.
    assert_eq!(read::<i64>("1.0").unwrap(), 1);
    assert_eq!(read::<i64>("1e3").unwrap(), 1000);
    assert_eq!(read::<i64>("-2.5E1").unwrap(), -25);
    assert!(read::<i64>("1.5").is_err());
    assert!(read::<i64>("1e19").is_err());
    assert!(read::<i64>("1e400").is_err());
    assert_eq!(read::<i8>("-128").unwrap(), -128);
    assert!(read::<i8>("128").is_err());
    assert_eq!(read::<i16>("-32768").unwrap(), i16::MIN);
    assert!(read::<i16>("32768").is_err());
    assert_eq!(read::<i32>("2147483647").unwrap(), i32::MAX);
    assert!(read::<i32>("-2147483649").is_err());
    for bad in [
        "01", "-", "-a", "+1", ".5", "1.", "1e", "1e+", "--1", "0x10", "1.e5", "-01",
    ] {
        assert!(read::<i64>(bad).is_err(), "{bad}");
        assert!(read::<f64>(bad).is_err(), "{bad}");
        assert!(skip(bad.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn json_reader_floats() {
    let cases: &[(&str, f64)] = &[
        ("0", 0.0),
        ("1", 1.0),
        ("-1", -1.0),
        ("1.5", 1.5),
        ("-2.5e3", -2500.0),
        ("1E+2", 100.0),
        ("1e-2", 0.01),
        ("0.1", 0.1),
        ("1724725732.458", 1_724_725_732.458),
        ("18446744073709551615", 18_446_744_073_709_551_615.0),
        ("123456789012345678901234567890", 1.2345678901234568e29),
        ("1e400", f64::INFINITY),
        ("-1e400", f64::NEG_INFINITY),
        ("1e-400", 0.0),
        ("\"Infinity\"", f64::INFINITY),
        ("\"-Infinity\"", f64::NEG_INFINITY),
        ("Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
        ("9007199254740993", 9_007_199_254_740_992.0),
    ];
    for &(text, expected) in cases {
        assert_eq!(read::<f64>(text).unwrap(), expected, "{text}");
    }
    assert!(read::<f64>("\"NaN\"").unwrap().is_nan());
    assert!(read::<f64>("NaN").unwrap().is_nan());
    assert!(read::<f32>("\"NaN\"").unwrap().is_nan());
    assert_eq!(read::<f32>("0.1").unwrap(), 0.1f32);
    let negative_zero = read::<f64>("-0.0").unwrap();
    assert!(negative_zero == 0.0 && negative_zero.is_sign_negative());
    for bad in [
        "\"nan\"", "\"1.5\"", "\"inf\"", "nan", "Inf", "-Inf", "-NaN", "null", "\"\"",
    ] {
        assert!(read::<f64>(bad).is_err(), "{bad}");
    }
}

#[test]
fn json_reader_nan_tokens_like_json_loads() {
    // Python's json.loads reads these bare tokens; skip_value does too, a document cannot hold
    // them.
    for text in [
        "NaN",
        "Infinity",
        "-Infinity",
        "[NaN, -Infinity]",
        r#"{"a": Infinity}"#,
    ] {
        skip(text.as_bytes()).unwrap();
        assert!(document(text.as_bytes()).is_err(), "{text}");
    }
    assert!(skip(b"-Inf").is_err());
    assert!(skip(b"Nan").is_err());
}

#[test]
fn json_reader_booleans_and_null() {
    assert!(read::<bool>("true").unwrap());
    assert!(!read::<bool>(" false ").unwrap());
    assert!(read::<bool>("\"true\"").is_err());
    assert!(read::<bool>("tru").is_err());
    assert!(read::<bool>("truex").is_err());
    assert_eq!(read::<Option<i64>>("null").unwrap(), None);
    assert_eq!(read::<Option<i64>>("3").unwrap(), Some(3));
    let mut r = JsonReader::new(b" null");
    assert!(r.take_null().unwrap());
    r.end().unwrap();
    let mut r = JsonReader::new(b"nul");
    assert!(r.take_null().is_err());
    let mut r = JsonReader::new(b"nullx");
    assert!(r.take_null().unwrap());
    assert!(r.end().is_err());
    let mut r = JsonReader::new(b"1");
    assert!(!r.take_null().unwrap());
    assert_eq!(r.integer().unwrap(), 1);
}

impl DeserializeJson for Option<i64> {
    fn deserialize_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.optional()
    }
}

#[test]
fn json_reader_skip_value_every_kind() {
    let values = [
        "1",
        "-0",
        "1.5e-3",
        "\"s\"",
        "\"esc\\n\\u00e9\\ud83d\\ude00\"",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "[1, [2, [3, {}]], {\"a\": [null]}]",
        r#"{"a": {"b": {"c": [1, 2, {"d": "e"}]}}, "f": []}"#,
        "NaN",
        "-Infinity",
    ];
    for value in values {
        let text = format!(r#"{{"skip": {value}, "keep": [7, {value}, 8]}}"#);
        let mut r = JsonReader::new(text.as_bytes());
        r.begin_object().unwrap();
        assert_eq!(r.next_key().unwrap().as_deref(), Some("skip"));
        r.skip_value().unwrap();
        assert_eq!(r.next_key().unwrap().as_deref(), Some("keep"));
        r.begin_array().unwrap();
        assert!(r.next_element().unwrap());
        assert_eq!(r.integer().unwrap(), 7);
        assert!(r.next_element().unwrap());
        r.skip_value().unwrap();
        assert!(r.next_element().unwrap());
        assert_eq!(r.integer().unwrap(), 8);
        assert!(!r.next_element().unwrap());
        assert_eq!(r.next_key().unwrap(), None);
        r.end().unwrap();
        skip(value.as_bytes()).unwrap();
    }
    let bad = [
        "[1,]",
        r#"{"a":}"#,
        r#"{"a" 1}"#,
        r#"{1:2}"#,
        "[1}",
        r#"{"a":1]"#,
        "{\"a\":[1,2}",
        "[\"\\q\"]",
        "x",
        "",
    ];
    for text in bad {
        assert!(skip(text.as_bytes()).is_err(), "{text}");
    }
}

#[test]
fn json_reader_depth_limit() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let limit = MAX_DEPTH as usize;
    assert!(document(nested(limit).as_bytes()).is_ok());
    assert!(skip(nested(limit).as_bytes()).is_ok());
    // (serde_json stops one level earlier, at 128 containers.)
    assert!(serde_json::from_str::<Value>(&nested(limit - 1)).is_ok());
    let error = document(nested(limit + 1).as_bytes()).unwrap_err();
    assert!(error.message().contains("nesting"), "{error}");
    assert_eq!(error.offset(), limit);
    assert!(skip(nested(limit + 1).as_bytes()).is_err());
    // Far deeper than any stack could recurse: an error, quickly.
    let deep = "[{\"a\":".repeat(200_000);
    assert!(document(deep.as_bytes()).is_err());
    assert!(skip(deep.as_bytes()).is_err());
    // The limit counts levels entered through the typed API too.
    let too_deep = nested(limit + 1);
    let mut r = JsonReader::new(too_deep.as_bytes());
    for _ in 0..limit {
        r.begin_array().unwrap();
        assert!(r.next_element().unwrap());
    }
    assert!(r.begin_array().is_err());
    let objects = format!("{}1{}", r#"{"a":"#.repeat(limit + 1), "}".repeat(limit + 1));
    assert!(document(objects.as_bytes()).is_err());
    let objects = format!("{}1{}", r#"{"a":"#.repeat(limit), "}".repeat(limit));
    assert!(document(objects.as_bytes()).is_ok());
}

#[test]
fn json_reader_every_truncation_is_an_error() {
    let full = SAMPLE.trim_end().as_bytes();
    assert!(document(full).is_ok());
    assert!(skip(full).is_ok());
    let end = full.len();
    for cut in 0..end {
        let prefix = &full[..cut];
        assert!(document(prefix).is_err(), "document of {cut} bytes");
        assert!(skip(prefix).is_err(), "skip of {cut} bytes");
        assert!(read::<BTreeMap<String, Value>>(&String::from_utf8_lossy(prefix)).is_err());
    }
}

#[test]
fn json_reader_trailing_garbage() {
    for text in ["{} x", "{}}", "[]]", "1 1", "\"a\"\"b\"", "null,", "{}\0"] {
        assert!(document(text.as_bytes()).is_err(), "{text}");
        assert!(skip(text.as_bytes()).is_err(), "{text}");
    }
    for text in ["{} ", "\n\t\r {}\n\t\r "] {
        assert!(document(text.as_bytes()).is_ok());
    }
    assert!(JsonReader::new(b" \n\t\r").is_empty_document());
    assert!(JsonReader::new(b"").is_empty_document());
    assert!(!JsonReader::new(b" {}").is_empty_document());
    // Form feed and vertical tab are not JSON whitespace.
    assert!(document(b"\x0c{}").is_err());
    assert!(!JsonReader::new(b"\x0b").is_empty_document());
}

#[test]
fn json_reader_duplicate_keys_last_wins() {
    assert_eq!(document(br#"{"a":1,"a":2}"#).unwrap(), json!({"a": 2}));
    let map = read::<BTreeMap<String, i64>>(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(
        map.into_iter().collect::<Vec<_>>(),
        [("a".to_owned(), 3), ("b".to_owned(), 2)]
    );
    // A later null removes the earlier value, as botocore's map would hold None.
    let map = read::<BTreeMap<String, i64>>(r#"{"a":1,"a":null,"b":null}"#).unwrap();
    assert!(map.is_empty());
}

#[test]
fn json_reader_collections_skip_nulls() {
    assert_eq!(read::<Vec<i64>>("[1, null, 2]").unwrap(), [1, 2]);
    assert_eq!(
        read::<Vec<Vec<String>>>(r#"[["a"], [], null]"#).unwrap(),
        [vec!["a"], vec![]]
    );
    assert_eq!(read::<Vec<i64>>("[]").unwrap(), Vec::<i64>::new());
    assert_eq!(read::<Box<i64>>("5").unwrap(), Box::new(5));
    assert!(read::<Vec<i64>>("null").is_err());
    let mut r = JsonReader::new(b"null");
    assert_eq!(r.optional::<Vec<i64>>().unwrap(), None);
    let map = read::<BTreeMap<String, Vec<bool>>>(r#"{"x":[true],"y":null}"#).unwrap();
    assert_eq!(map.len(), 1);
    assert_eq!(map["x"], [true]);
}

#[test]
fn json_reader_blobs_like_b64decode() {
    assert_eq!(read::<Blob>(r#""Zm9vYmFy""#).unwrap().as_bytes(), b"foobar");
    assert_eq!(read::<Blob>(r#""Zm8=""#).unwrap().as_bytes(), b"fo");
    assert_eq!(read::<Blob>(r#""""#).unwrap().as_bytes(), b"");
    assert_eq!(
        read::<Blob>(r#""Zm 9v\nYmFy""#).unwrap().as_bytes(),
        b"foobar"
    );
    assert_eq!(read::<Blob>(r#""QR==""#).unwrap().as_bytes(), b"A");
    let error = read::<Blob>(r#" "Zm8""#).unwrap_err();
    assert_eq!(error.offset(), 1);
    assert!(error.message().contains("padding"));
    assert!(read::<Blob>(r#""Z""#).is_err());
    assert!(read::<Blob>(r#""Zm8é""#).is_err());
    assert!(read::<Blob>("1").is_err());
}

#[test]
fn json_reader_timestamps() {
    let date = |text: &str| {
        let mut r = JsonReader::new(text.as_bytes());
        let value = r.timestamp(TimestampFormat::EpochSeconds)?;
        r.end()?;
        Ok::<_, JsonError>((value.secs(), value.subsec_nanos() / 1000))
    };
    let cases: &[(&str, (i64, u32))] = &[
        ("1700000000", (1_700_000_000, 0)),
        ("-1", (-1, 0)),
        ("1700000000.5", (1_700_000_000, 500_000)),
        ("1724725732.458", (1_724_725_732, 458_000)),
        ("1.5e9", (1_500_000_000, 0)),
        ("1.5E+9", (1_500_000_000, 0)),
        ("15e8", (1_500_000_000, 0)),
        ("-1.5", (-2, 500_000)),
        ("0.0000015", (0, 2)),
        ("\"1700000000\"", (1_700_000_000, 0)),
        ("\"1.5e9\"", (1_500_000_000, 0)),
        ("\"1700000000.25\"", (1_700_000_000, 250_000)),
        ("\"2024-01-02T03:04:05Z\"", (1_704_164_645, 0)),
        (
            "\"2024-01-02T03:04:05.123456789Z\"",
            (1_704_164_645, 123_456),
        ),
        ("\"2024-01-02T03:04:05+01:00\"", (1_704_161_045, 0)),
        ("\"2024-01-02T03:04:05.5-08:00\"", (1_704_193_445, 500_000)),
        ("\"Tue, 02 Jan 2024 03:04:05 GMT\"", (1_704_164_645, 0)),
    ];
    for &(text, expected) in cases {
        assert_eq!(
            date(text).unwrap_or_else(|e| panic!("{text}: {e}")),
            expected,
            "{text}"
        );
    }
    for bad in [
        "\"garbage\"",
        "\"\"",
        "true",
        "null",
        "{}",
        "[]",
        "1e12",
        "99999999999999999999",
        "\"NaN\"",
        "NaN",
        "\"2024-02-30T00:00:00Z\"",
    ] {
        assert!(date(bad).is_err(), "{bad}");
    }
    assert_eq!(
        read::<DateTime>("1700000000.5").unwrap(),
        DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000)
    );
    let mut r = JsonReader::new(b"null");
    assert_eq!(r.optional::<DateTime>().unwrap(), None);
    for format in [TimestampFormat::Iso8601, TimestampFormat::HttpDate] {
        let mut r = JsonReader::new(b"1700000000");
        assert_eq!(
            r.timestamp(format).unwrap(),
            DateTime::from_secs(1_700_000_000)
        );
    }
}

#[test]
fn json_reader_documents_keep_integers_and_floats_apart() {
    let value = document(SAMPLE.as_bytes()).unwrap();
    assert_eq!(value, serde_json::from_str::<Value>(SAMPLE).unwrap());
    assert!(value["h"].is_u64());
    assert!(value["i"].is_f64());
    assert!(value["k"].is_u64());
    assert!(value["l"].is_f64());
    assert_eq!(document(b"-5").unwrap(), json!(-5));
    assert!(document(b"-5").unwrap().is_i64());
    assert_eq!(document(b"1.0").unwrap(), json!(1.0));
    assert!(document(b"18446744073709551616").unwrap().is_f64());
    assert!(document(b"-9223372036854775808").unwrap().is_i64());
    assert!(document(b"-9223372036854775809").unwrap().is_f64());
    // Python's json.loads('-0') is the integer 0 (serde_json reads a float -0.0).
    assert_eq!(document(b"-0").unwrap(), json!(0));
    assert!(document(b"1e400").is_err());
}

// ---------------------------------------------------------------- round trips

/// A random JSON value; floats are "nice" (few digits) when `nice_floats`, so that
/// `serde_json`'s default (not always correctly rounded) float parser reads them exactly.
fn random_value(rng: &mut fastrand::Rng, depth: u32, nice_floats: bool) -> Value {
    let kind = if depth >= 6 {
        rng.u8(0..6)
    } else {
        rng.u8(0..8)
    };
    match kind {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => match rng.u8(0..4) {
            0 => json!(rng.i64(..)),
            1 => json!(rng.u64(..)),
            2 => json!(rng.i64(-1000..1000)),
            _ => json!(rng.u64(u64::MAX / 2..)),
        },
        3 => {
            let value = if nice_floats {
                let mantissa = rng.i64(-1_000_000..1_000_000) as f64;
                match rng.u8(0..4) {
                    0 => mantissa / 1024.0,
                    1 => mantissa * 1e16,
                    2 => mantissa * 1e-10,
                    _ => mantissa,
                }
            } else {
                loop {
                    let value = f64::from_bits(rng.u64(..));
                    if value.is_finite() {
                        break value;
                    }
                }
            };
            json!(value)
        }
        4 | 5 => Value::String(random_string(rng)),
        6 => Value::Array(
            (0..rng.usize(0..5))
                .map(|_| random_value(rng, depth + 1, nice_floats))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.usize(0..5))
                .map(|_| {
                    (
                        random_string(rng),
                        random_value(rng, depth + 1, nice_floats),
                    )
                })
                .collect(),
        ),
    }
}

fn random_string(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        "key",
        "\"",
        "\\",
        "/",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "é",
        "中",
        "😀",
        "\u{2028}",
        "\u{fffd}",
        " ",
        "0123456789abcdef",
    ];
    (0..rng.usize(0..8))
        .map(|_| PIECES[rng.usize(0..PIECES.len())])
        .collect()
}

#[test]
fn json_round_trip_random_documents() {
    let mut rng = fastrand::Rng::with_seed(42);
    for round in 0..2000 {
        let nice = round % 2 == 0;
        let original = random_value(&mut rng, 0, nice);
        let text = written(|w| w.raw_document(&original));
        let ours = document(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(ours, original, "{text}");
        skip(text.as_bytes()).unwrap();
        if nice {
            let theirs: Value = serde_json::from_str(&text).unwrap();
            assert!(equal_but_serde_float_error(&theirs, &original), "{text}");
        }
        // And serde_json's own output reads back the same through our reader.
        let theirs_text = serde_json::to_string(&original).unwrap();
        assert_eq!(
            document(theirs_text.as_bytes()).unwrap(),
            original,
            "{theirs_text}"
        );
    }
}

#[test]
fn json_round_trip_typed_values() {
    let mut map: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    map.insert("x".into(), vec![1.0, 0.1, -0.0, 1e300]);
    map.insert("é\"".into(), vec![]);
    let values = vec![map.clone(), BTreeMap::new()];
    let text = to_json(&values);
    assert_eq!(
        read::<Vec<BTreeMap<String, Vec<f64>>>>(&text).unwrap(),
        values
    );
    let strings = vec!["a".to_owned(), "\u{0}\"\\é😀".to_owned()];
    assert_eq!(read::<Vec<String>>(&to_json(&strings)).unwrap(), strings);
    let blob = Blob::new((0..=255).collect::<Vec<u8>>());
    assert_eq!(read::<Blob>(&to_json(&blob)).unwrap(), blob);
    let date = DateTime::from_secs(1_700_000_000);
    assert_eq!(read::<DateTime>(&to_json(&date)).unwrap(), date);
    for v in [i64::MIN, -1, 0, i64::MAX] {
        assert_eq!(read::<i64>(&to_json(&v)).unwrap(), v);
    }
    for v in [true, false] {
        assert_eq!(read::<bool>(&to_json(&v)).unwrap(), v);
    }
    let floats = [f64::INFINITY, f64::NEG_INFINITY, 1.5];
    assert_eq!(read::<Vec<f64>>(&to_json(&floats[..])).unwrap(), floats);
    assert!(read::<f64>(&to_json(&f64::NAN)).unwrap().is_nan());
}

/// Equality, except that floats may differ in the last bit: `serde_json`'s default float
/// parser is not always correctly rounded (its `float_roundtrip` feature is off), ours is.
fn equal_but_serde_float_error(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x.to_bits() as i64 - y.to_bits() as i64).abs() <= 1
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| equal_but_serde_float_error(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, x), (ky, y))| kx == ky && equal_but_serde_float_error(x, y))
        }
        _ => a == b,
    }
}

/// Random byte mutations of valid documents: never a panic, and the reader accepts exactly
/// what `serde_json` accepts (same grammar, UTF-8, surrogate and depth rules).
#[test]
fn json_reader_mutations_agree_with_serde_json() {
    let mut rng = fastrand::Rng::with_seed(9);
    const BYTES: &[u8] = b"{}[]\",:\\ 0123456789-+.eEtrufalsn\x00\x1f\x80\xc3\xa9\xed\xff/ux";
    let mut accepted = 0;
    for _ in 0..20_000 {
        let original = random_value(&mut rng, 0, true);
        let mut bytes = written(|w| w.raw_document(&original)).into_bytes();
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(0..=bytes.len());
            match rng.u8(0..3) {
                0 if at < bytes.len() => bytes[at] = BYTES[rng.usize(0..BYTES.len())],
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, BYTES[rng.usize(0..BYTES.len())]),
            }
        }
        let ours = document(&bytes);
        let theirs = serde_json::from_slice::<Value>(&bytes);
        let skipped = skip(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(ours.is_ok(), theirs.is_ok(), "{text} {ours:?} {theirs:?}");
        // Skipping checks the grammar only, so it also passes numbers too large for a
        // document (`1e400`, which Python reads as infinity).
        match (&skipped, &ours) {
            (Ok(()), Err(e)) => assert!(e.message().contains("out of range"), "{text}: {e}"),
            _ => assert_eq!(skipped.is_ok(), ours.is_ok(), "{text}"),
        }
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            // serde_json reads "-0" as the float -0.0; Python (and we) as the integer 0.
            if !text.contains("-0") {
                assert!(equal_but_serde_float_error(&ours, &theirs), "{text}");
            }
            accepted += 1;
        }
    }
    assert!(
        accepted > 1000,
        "too few mutations stayed valid: {accepted}"
    );
}
