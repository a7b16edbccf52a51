//! The string-level work of the standard library functions, free of the evaluator's value type so
//! that each can be tested on its own.
//!
//! Where the Smithy specification and botocore's `EndpointProvider` differ in a detail, these
//! follow botocore 1.43.11 (the reference the test vectors were checked against); each such place
//! says so.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `substring(input, start, stop, reverse)`: the ASCII substring `[start, stop)`, counted from
/// the end when `reverse`. Unset when `start >= stop`, when `stop` is past the end, or when the
/// input is not all ASCII.
pub(crate) fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    if reverse {
        let len = input.len();
        Some(&input[len - stop..len - start])
    } else {
        Some(&input[start..stop])
    }
}

/// `uriEncode`: percent-encodes every byte of the UTF-8 text except the RFC 3986 unreserved
/// characters `A-Z a-z 0-9 - _ . ~`, with upper-case hex digits.
pub(crate) fn uri_encode(input: &str) -> String {
    percent_encode(input, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
    })
}

fn percent_encode(input: &str, keep: impl Fn(u8) -> bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for b in input.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The result of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    pub(crate) scheme: String,
    pub(crate) authority: String,
    pub(crate) path: String,
    pub(crate) normalized_path: String,
    pub(crate) is_ip: bool,
}

/// `parseURL`: splits an `http`/`https` URL into scheme, authority and path.
///
/// Unset when the scheme is not http(s), when the URL has a non-empty query, when there is no
/// host, or when the port is not a number in `0..=65535`. A fragment is ignored. Like botocore
/// (which uses `urllib.parse.urlparse`), the scheme is matched case-insensitively and returned in
/// lower case, and `normalizedPath` is the path with dot segments and empty segments removed,
/// percent-encoded (keeping `/`), and ending in `/`.
pub(crate) fn parse_url(input: &str) -> Option<Url> {
    let (scheme, rest) = input.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let rest = rest
        .split_once('#')
        .map_or(rest, |(before, _fragment)| before);
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !query.is_empty() {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_userinfo, hp)| hp);
    let (host, port) = split_host_port(host_port)?;
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() {
            // `https://example.com:/` has an empty port, which urlparse treats as no port.
        } else if !port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u32>().ok()? > 65535 {
            return None;
        }
    }
    let is_ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => {
            let addr = v6.split_once('%').map_or(v6, |(addr, _zone)| addr);
            addr.parse::<Ipv6Addr>().is_ok()
        }
        None => host.parse::<Ipv4Addr>().is_ok(),
    };
    Some(Url {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path: normalize_path(path),
        is_ip,
    })
}

/// Splits `host[:port]`, where host may be a bracketed IPv6 literal. `None` for an unclosed `[`
/// or junk after `]`.
fn split_host_port(hp: &str) -> Option<(&str, Option<&str>)> {
    if hp.starts_with('[') {
        let close = hp.find(']')?;
        let (host, after) = hp.split_at(close + 1);
        match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?))),
        }
    } else {
        match hp.rsplit_once(':') {
            Some((host, port)) => Some((host, Some(port))),
            None => Some((hp, None)),
        }
    }
}

/// botocore's `quote(normalize_url_path(path))` plus a trailing `/`: RFC 3986 dot-segment removal
/// that also drops empty segments (`//`), then percent-encoding with `/` kept.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            seg => segments.push(seg),
        }
    }
    let mut out = String::with_capacity(path.len() + 2);
    out.push('/');
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    let mut out = percent_encode(&out, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/')
    });
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// `isValidHostLabel`: 1 to 63 of `[A-Za-z0-9-]`, not starting or ending with `-`. With
/// `allow_subdomains`, every `.`-separated label must be valid (so empty labels are not).
///
/// botocore (`^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$`) rejects a trailing `-`; the Smithy prose allows
/// one. This follows botocore, except that Python's `$` also matches before a final `\n`, so
/// botocore accepts `"us-east-1\n"`; this does not.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return value
            .split('.')
            .all(|label| is_valid_host_label(label, false));
    }
    let b = value.as_bytes();
    (1..=63).contains(&b.len())
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `aws.isVirtualHostableS3Bucket`: at least 3 characters, no upper case, not shaped like an
/// IPv4 address, and a valid host label (each label, with `allow_subdomains`).
///
/// botocore checks only the lower bound of the length (its docstring says 3 to 63, its code
/// relies on the 63-per-label limit of the host-label check); this follows the code.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    value.len() >= 3
        && !value.bytes().any(|b| b.is_ascii_uppercase())
        && !looks_like_ipv4(value)
        && is_valid_host_label(value, allow_subdomains)
}

/// botocore's `IPV4_RE`: four dot-separated groups of 1 to 3 digits (not range-checked).
fn looks_like_ipv4(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The result of `aws.parseArn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub(crate) partition: &'a str,
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account_id: &'a str,
    pub(crate) resource_id: Vec<&'a str>,
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`. Unset unless there are six
/// `:`-separated parts with non-empty partition, service and resource. `resourceId` is the
/// resource split on both `:` and `/`.
pub(crate) fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// `split(value, delimiter, limit)`: limit 0 splits at every delimiter, limit n > 0 yields at
/// most n parts (the last holding the remainder). The delimiter must not be empty.
pub(crate) fn split<'a>(value: &'a str, delimiter: &str, limit: usize) -> Vec<&'a str> {
    if limit == 0 {
        value.split(delimiter).collect()
    } else {
        value.splitn(limit, delimiter).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_cases() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
        assert_eq!(substring("abcdefg", 0, 7, false), Some("abcdefg"));
        assert_eq!(substring("abcdefg", 0, 8, false), None, "stop past the end");
        assert_eq!(substring("abcdefg", 4, 4, false), None, "empty range");
        assert_eq!(substring("abcdefg", 5, 2, false), None, "reversed range");
        assert_eq!(substring("abcdé", 0, 2, false), None, "non-ASCII input");
        assert_eq!(substring("", 0, 1, false), None);
    }

    #[test]
    fn uri_encode_cases() {
        assert_eq!(uri_encode("abcXYZ019-_.~"), "abcXYZ019-_.~");
        assert_eq!(uri_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
        assert_eq!(uri_encode("%"), "%25");
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode("+:@!*'()"), "%2B%3A%40%21%2A%27%28%29");
        assert_eq!(uri_encode(""), "");
    }

    fn url(s: &str) -> Url {
        parse_url(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn parse_url_cases() {
        let u = url("https://example.com");
        assert_eq!(
            u,
            Url {
                scheme: "https".into(),
                authority: "example.com".into(),
                path: "".into(),
                normalized_path: "/".into(),
                is_ip: false,
            }
        );
        let u = url("http://example.com:8443/foo/bar");
        assert_eq!(u.scheme, "http");
        assert_eq!(u.authority, "example.com:8443");
        assert_eq!(u.path, "/foo/bar");
        assert_eq!(u.normalized_path, "/foo/bar/");
        assert!(!u.is_ip);

        let u = url("https://example.com/");
        assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("/", "/"));
        let u = url("https://example.com/a//b/./c/../d/");
        assert_eq!(u.normalized_path, "/a/b/d/");
        let u = url("https://example.com/a%20b c");
        assert_eq!(
            u.normalized_path, "/a%2520b%20c/",
            "botocore quotes the path"
        );

        let u = url("https://127.0.0.1:8443/x");
        assert!(u.is_ip);
        assert_eq!(u.authority, "127.0.0.1:8443");
        assert!(url("http://[::1]/").is_ip);
        assert!(url("http://[fe80::1%25en0]:80").is_ip);
        assert!(!url("http://127.0.0.1.example.com").is_ip);
        assert!(!url("http://999.0.0.1").is_ip);
        assert_eq!(url("HTTPS://example.com").scheme, "https");
        assert_eq!(
            url("https://user:pw@example.com:443").authority,
            "user:pw@example.com:443"
        );
        assert_eq!(url("https://example.com/p#frag").path, "/p");
        assert_eq!(
            url("https://example.com?").path,
            "",
            "an empty query is accepted"
        );

        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com/?q=1",
            "https://example.com?q",
            "https://example.com:port/",
            "https://example.com:99999/",
            "https://",
            "https:///path",
            "https://[::1",
            "https://[::1]x",
            "://example.com",
        ] {
            assert_eq!(parse_url(bad), None, "{bad:?} should not parse");
        }
    }

    #[test]
    fn host_labels() {
        for good in ["a", "abc", "a-b", "A9", "0", &"a".repeat(63)] {
            assert!(is_valid_host_label(good, false), "{good:?}");
            assert!(is_valid_host_label(good, true), "{good:?}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a_b",
            "a b",
            "é",
            &"a".repeat(64),
            "a.b",
            "us-east-1\n",
        ] {
            assert!(!is_valid_host_label(bad, false), "{bad:?}");
        }
        assert!(is_valid_host_label("a.b", true));
        assert!(is_valid_host_label("foo.bar-baz.q9", true));
        for bad in [
            "a..b",
            ".a",
            "a.",
            "a.-b",
            "a.b-",
            &format!("a.{}", "b".repeat(64)),
        ] {
            assert!(!is_valid_host_label(bad, true), "{bad:?}");
        }
    }

    #[test]
    fn s3_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("a..c", true));
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap:obj").unwrap();
        assert_eq!(
            arn,
            Arn {
                partition: "aws",
                service: "s3",
                region: "us-east-1",
                account_id: "123456789012",
                resource_id: vec!["accesspoint", "my-ap", "obj"],
            }
        );
        let arn = parse_arn("arn:aws:iam::123456789012:user/a:b:c").unwrap();
        assert_eq!(arn.region, "");
        assert_eq!(arn.resource_id, vec!["user", "a", "b", "c"]);
        for bad in [
            "",
            "arn",
            "arn:aws:s3:::",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "arm:aws:s3:r:a:res",
            "arn:aws:s3:r:a",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn split_cases() {
        assert_eq!(split("a--b--c", "--", 0), vec!["a", "b", "c"]);
        assert_eq!(split("a--b--c", "--", 1), vec!["a--b--c"]);
        assert_eq!(split("a--b--c", "--", 2), vec!["a", "b--c"]);
        assert_eq!(split("", "-", 0), vec![""]);
        assert_eq!(split("-", "-", 0), vec!["", ""]);
    }
}
