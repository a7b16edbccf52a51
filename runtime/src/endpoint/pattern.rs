//! A tiny backtracking regular-expression matcher for the `regionRegex` patterns of
//! `partitions.json`.
//!
//! Why hand-written: the runtime must stay cheap to compile, and pulling in the `regex` crate
//! (or even `regex-lite`) for eight patterns of the shape `^(us|eu|ap)\-\w+\-\d+$` costs more
//! build time than the whole endpoint module. This matcher supports exactly a small, common
//! subset and rejects everything else with an error, so an unsupported pattern in a future
//! `partitions.json` fails loudly (the embedded-data unit test compiles every pattern) instead of
//! silently mis-matching:
//!
//! - anchors `^` and `$`, any byte `.`;
//! - literals and escaped punctuation (`\-`, `\.`, ...), `\n`, `\t`;
//! - the classes `\d`, `\w`, `\s` and their negations `\D`, `\W`, `\S`;
//! - bracket classes `[a-z0-9_-]`, `[^...]`, with ranges and the escapes above;
//! - groups `( | )` (and `(?: | )`; groups do not capture), top-level alternation;
//! - greedy quantifiers `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`.
//!
//! A repeated single byte (`\w+`, `[a-z]{2,5}`) is matched with a loop, so the stack depth of
//! matching the AWS patterns does not grow with the input (a region string comes from the user).
//! A repeated group still recurses once per iteration; no AWS pattern repeats a group.
//!
//! Matching is on bytes with ASCII semantics (`\d` is `[0-9]`, `\w` is `[A-Za-z0-9_]`); region
//! names are ASCII. `is_match` is a search (the pattern may match anywhere), like `Regex::is_match`;
//! every AWS pattern is anchored with `^...$`, so this equals Python's `re.match`, which botocore
//! uses, except that Python's `$` also matches before a final `\n` and this `$` does not (a
//! region like `"cn-north-1\n"` then falls back to `aws` here, where botocore picks `aws-cn`).

use std::fmt;

/// A compiled pattern.
#[derive(Clone)]
pub(crate) struct Pattern {
    source: String,
    root: Node,
    /// Every alternative starts with `^`, so only offset 0 can match.
    anchored: bool,
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

/// A set of bytes, one bit each.
#[derive(Clone, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn empty() -> Self {
        ByteSet([0; 4])
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn negate(&mut self) {
        for a in &mut self.0 {
            *a = !*a;
        }
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn class(escape: u8) -> Option<ByteSet> {
        let mut set = ByteSet::empty();
        match escape.to_ascii_lowercase() {
            b'd' => set.insert_range(b'0', b'9'),
            b'w' => {
                set.insert_range(b'a', b'z');
                set.insert_range(b'A', b'Z');
                set.insert_range(b'0', b'9');
                set.insert(b'_');
            }
            b's' => {
                for b in [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c] {
                    set.insert(b);
                }
            }
            _ => return None,
        }
        if escape.is_ascii_uppercase() {
            set.negate();
        }
        Some(set)
    }
}

#[derive(Clone)]
enum Node {
    Byte(u8),
    /// `.`: any byte but `\n`.
    Any,
    Set(Box<ByteSet>),
    Start,
    End,
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

impl Pattern {
    /// Compiles `source`, or says which part of it is unsupported.
    pub(crate) fn new(source: &str) -> Result<Pattern, String> {
        if !source.is_ascii() {
            return Err(format!(
                "pattern {source:?}: only ASCII patterns are supported"
            ));
        }
        let mut parser = Parser {
            src: source.as_bytes(),
            pos: 0,
        };
        let alts = parser
            .alternation(0)
            .map_err(|e| format!("pattern {source:?}: {e}"))?;
        if parser.pos != parser.src.len() {
            return Err(format!(
                "pattern {source:?}: unmatched ')' at offset {}",
                parser.pos
            ));
        }
        let anchored = alts
            .iter()
            .all(|alt| matches!(alt.first(), Some(Node::Start)));
        Ok(Pattern {
            source: source.to_owned(),
            root: Node::Group(alts),
            anchored,
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let s = text.as_bytes();
        let root = std::slice::from_ref(&self.root);
        let last_start = if self.anchored { 0 } else { s.len() };
        (0..=last_start).any(|start| match_seq(root, s, start, &mut |_| true))
    }
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
}

/// Groups nested deeper than this are rejected, so a hostile pattern cannot overflow the stack.
const MAX_DEPTH: usize = 32;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn alternation(&mut self, depth: usize) -> Result<Vec<Vec<Node>>, String> {
        if depth > MAX_DEPTH {
            return Err("groups nested too deeply".into());
        }
        let mut alts = vec![self.sequence(depth)?];
        while self.peek() == Some(b'|') {
            self.pos += 1;
            alts.push(self.sequence(depth)?);
        }
        Ok(alts)
    }

    fn sequence(&mut self, depth: usize) -> Result<Vec<Node>, String> {
        let mut seq = Vec::new();
        while let Some(b) = self.peek() {
            if b == b'|' || b == b')' {
                break;
            }
            let atom = self.atom(depth)?;
            seq.push(self.quantified(atom)?);
        }
        Ok(seq)
    }

    fn atom(&mut self, depth: usize) -> Result<Node, String> {
        let at = self.pos;
        let b = self.next().ok_or("unexpected end")?;
        Ok(match b {
            b'^' => Node::Start,
            b'$' => Node::End,
            b'.' => Node::Any,
            b'(' => {
                if self.src[self.pos..].starts_with(b"?:") {
                    self.pos += 2;
                } else if self.peek() == Some(b'?') {
                    return Err(format!("unsupported group syntax at offset {at}"));
                }
                let alts = self.alternation(depth + 1)?;
                if self.next() != Some(b')') {
                    return Err(format!("unclosed '(' at offset {at}"));
                }
                Node::Group(alts)
            }
            b'[' => Node::Set(Box::new(self.bracket(at)?)),
            b'\\' => match self.escape()? {
                Escape::Byte(b) => Node::Byte(b),
                Escape::Set(set) => Node::Set(Box::new(set)),
            },
            b'*' | b'+' | b'?' | b'{' => {
                return Err(format!("nothing to repeat at offset {at}"));
            }
            other => Node::Byte(other),
        })
    }

    fn escape(&mut self) -> Result<Escape, String> {
        let at = self.pos;
        let b = self.next().ok_or("trailing backslash")?;
        if let Some(set) = ByteSet::class(b) {
            return Ok(Escape::Set(set));
        }
        match b {
            b'n' => Ok(Escape::Byte(b'\n')),
            b't' => Ok(Escape::Byte(b'\t')),
            b if b.is_ascii_punctuation() => Ok(Escape::Byte(b)),
            _ => Err(format!(
                "unsupported escape '\\{}' at offset {at}",
                char::from(b)
            )),
        }
    }

    fn bracket(&mut self, at: usize) -> Result<ByteSet, String> {
        let negated = self.peek() == Some(b'^');
        if negated {
            self.pos += 1;
        }
        let mut set = ByteSet::empty();
        let mut first = true;
        loop {
            let b = self
                .next()
                .ok_or_else(|| format!("unclosed '[' at offset {at}"))?;
            let lo = match b {
                b']' if !first => break,
                b'\\' => match self.escape()? {
                    Escape::Byte(b) => b,
                    Escape::Set(class) => {
                        set.union(&class);
                        first = false;
                        continue;
                    }
                },
                b => b,
            };
            first = false;
            // A range `lo-hi`, unless the '-' is the last thing before ']'.
            if self.peek() == Some(b'-') && self.src.get(self.pos + 1).is_some_and(|&c| c != b']') {
                self.pos += 1;
                let hi = match self.next() {
                    Some(b'\\') => match self.escape()? {
                        Escape::Byte(b) => b,
                        Escape::Set(_) => return Err(format!("bad range at offset {at}")),
                    },
                    Some(b) => b,
                    None => return Err(format!("unclosed '[' at offset {at}")),
                };
                if hi < lo {
                    return Err(format!("reversed range at offset {at}"));
                }
                set.insert_range(lo, hi);
            } else {
                set.insert(lo);
            }
        }
        if negated {
            set.negate();
        }
        Ok(set)
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let at = self.pos;
        let (min, max) = match self.peek() {
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'?') => (0, Some(1)),
            Some(b'{') => {
                let close = self.src[self.pos..]
                    .iter()
                    .position(|&b| b == b'}')
                    .ok_or_else(|| format!("unclosed '{{' at offset {at}"))?;
                let body = std::str::from_utf8(&self.src[self.pos + 1..self.pos + close])
                    .map_err(|_| "bad repetition".to_string())?;
                let bad = || format!("bad repetition {{{body}}} at offset {at}");
                let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
                let (min, max) = match body.split_once(',') {
                    None => (num(body)?, Some(num(body)?)),
                    Some((lo, "")) => (num(lo)?, None),
                    Some((lo, hi)) => (num(lo)?, Some(num(hi)?)),
                };
                if max.is_some_and(|max| max < min) {
                    return Err(bad());
                }
                self.pos += close;
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(atom, Node::Start | Node::End) {
            return Err(format!("cannot repeat an anchor at offset {at}"));
        }
        if matches!(self.peek(), Some(b'*' | b'+' | b'?' | b'{')) {
            return Err(format!(
                "lazy or stacked quantifiers are unsupported at offset {}",
                self.pos
            ));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

enum Escape {
    Byte(u8),
    Set(ByteSet),
}

/// Matches `seq` against `s` from `i`; on success calls `k` with the end offset, and returns
/// `true` as soon as some continuation accepts (backtracking through alternatives otherwise).
fn match_seq(seq: &[Node], s: &[u8], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((first, rest)) = seq.split_first() else {
        return k(i);
    };
    match first {
        Node::Byte(_) | Node::Any | Node::Set(_) => {
            s.get(i).is_some_and(|&c| byte_matches(first, c)) && match_seq(rest, s, i + 1, k)
        }
        Node::Start => i == 0 && match_seq(rest, s, i, k),
        Node::End => i == s.len() && match_seq(rest, s, i, k),
        Node::Group(alts) => alts
            .iter()
            .any(|alt| match_seq(alt, s, i, &mut |j| match_seq(rest, s, j, k))),
        Node::Repeat { node, min, max } => match node.as_ref() {
            // A repeated single byte (`\w+`, `[a-z]*`, `.?`) needs no recursion per iteration:
            // take the longest run, then give bytes back one at a time. This keeps the stack
            // depth proportional to the pattern, not the input, for every AWS pattern.
            Node::Byte(_) | Node::Any | Node::Set(_) => {
                let limit = max.map_or(usize::MAX, |m| m as usize);
                let run = s[i.min(s.len())..]
                    .iter()
                    .take(limit)
                    .take_while(|&&c| byte_matches(node, c))
                    .count();
                let min = *min as usize;
                (min..=run).rev().any(|n| match_seq(rest, s, i + n, k))
            }
            _ => match_repeat(node, *min, *max, 0, rest, s, i, k),
        },
    }
}

fn byte_matches(node: &Node, c: u8) -> bool {
    match node {
        Node::Byte(b) => *b == c,
        Node::Any => c != b'\n',
        Node::Set(set) => set.contains(c),
        _ => false,
    }
}

/// Greedy repetition: try one more `node` first, then the rest of the sequence.
#[allow(clippy::too_many_arguments)]
fn match_repeat(
    node: &Node,
    min: u32,
    max: Option<u32>,
    count: u32,
    rest: &[Node],
    s: &[u8],
    i: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    if max.is_none_or(|max| count < max) {
        let one = std::slice::from_ref(node);
        // An iteration that consumes nothing is only useful to reach `min`; refusing it
        // otherwise keeps `(a?)*` from looping forever.
        let more = match_seq(one, s, i, &mut |j| {
            (j > i || count < min) && match_repeat(node, min, max, count + 1, rest, s, j, k)
        });
        if more {
            return true;
        }
    }
    count >= min && match_seq(rest, s, i, k)
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).unwrap().is_match(s)
    }

    #[test]
    fn aws_region_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(m(aws, "us-east-1"));
        assert!(m(aws, "ap-southeast-7"));
        assert!(m(aws, "mx-central-12"));
        assert!(!m(aws, "us-gov-west-1"));
        assert!(!m(aws, "cn-north-1"));
        assert!(!m(aws, "us-east-1a"));
        assert!(!m(aws, "xus-east-1"));
        assert!(!m(aws, "us-east-"));
        assert!(!m(aws, ""));
        assert!(m(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!m(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
        assert!(m(r"^us\-isob\-\w+\-\d+$", "us-isob-east-1"));
        assert!(!m(r"^us\-iso\-\w+\-\d+$", "us-isob-east-1"));
    }

    #[test]
    fn general_subset() {
        assert!(m("b+", "abbbc"));
        assert!(!m("^b+", "abbbc"));
        assert!(m("^a(b|bc)d$", "abcd"));
        assert!(m("^a(?:b|bc)*d$", "abbcbd"));
        assert!(m("^[a-z0-9-]{3,5}$", "ab-9"));
        assert!(!m("^[a-z0-9-]{3,5}$", "ab"));
        assert!(!m("^[a-z0-9-]{3,5}$", "abcdef"));
        assert!(m("^[^0-9]+$", "abc"));
        assert!(!m("^[^0-9]+$", "ab1"));
        assert!(m("^colou?r$", "color"));
        assert!(m("^(a?)+$", ""));
        assert!(m("^(a*)*b$", "aaab"));
        assert!(m(r"^a.c\.$", "abc."));
        assert!(m("^x|y$", "xzz"));
        assert!(m(r"^[\w.]+$", "a_b.c"));
        assert!(m("^[-a]+$", "-a-"));
        assert!(m("^a{2}$", "aa"));
        assert!(!m("^a{2}$", "aaa"));
    }

    #[test]
    fn long_inputs_do_not_overflow_the_stack() {
        let long = format!("us-{}-1", "a".repeat(1 << 20));
        assert!(m(r"^(us|eu)\-\w+\-\d+$", &long));
        assert!(!m(r"^cn\-\w+\-\d+$", &long));
        assert!(!m(r"^(us|eu)\-\w+\-\d+$", &format!("{long}x")));
    }

    #[test]
    fn unsupported_syntax_is_an_error() {
        for p in [
            "(", "a)", "[a", "*a", "a**", "a+?", r"\b", r"\1", "(?=a)", "^*", "a{2", "a{3,1}", "é",
        ] {
            assert!(Pattern::new(p).is_err(), "{p:?} should be rejected");
        }
    }
}
