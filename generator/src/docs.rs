//! Model documentation (botocore's HTML subset) to rustdoc Markdown.
//!
//! botocore `documentation` strings are loosely written HTML: `<p>`, `<code>`, `<a href>`,
//! lists, `<note>`, `<dl>`, the odd `<pre>` or `<table>`, DocBook leftovers such as
//! `<replaceable>` or `<ulink url>`, unclosed tags, and literal placeholders like
//! `arn:aws:...:<region>:<account-id>`. The Markdown produced here goes into `#[doc]`
//! attributes of generated crates that are built with `RUSTDOCFLAGS="-D warnings"` and whose
//! doctests run, so it has to be *safe* Markdown, not merely readable Markdown:
//!
//! - literal `[`/`]` are escaped (no broken intra-doc links), bare `http(s)://` URLs become
//!   `<…>` autolinks (no `rustdoc::bare_urls`), literal `<`/`>` become `&lt;`/`&gt;` and no
//!   raw HTML is passed through (no `rustdoc::invalid_html_tags`);
//! - no line is ever indented into an indented code block (which would become a doctest);
//!   the only code blocks are fenced ```` ```text ```` blocks from `<pre>`;
//! - Markdown syntax characters in text are escaped where they could change meaning
//!   (emphasis delimiters at word edges, backticks, list/heading/quote markers at line start).
//!
//! It is hand-written rather than built on an HTML-to-Markdown crate because safety depends
//! on exact control of escaping, which general converters do not give (they pass brackets,
//! bare URLs and unknown tags through, and indent nested content into code blocks), and the
//! HTML subset is small. Pipeline: tolerant tokenizer → element tree (implied and unclosed
//! tags fixed up) → blocks (paragraphs, lists, code, tables) → Markdown text.

use std::collections::HashMap;

/// Converts one `documentation` string from a botocore model (an HTML subset) to Markdown for
/// rustdoc. Never panics; the result is trimmed, has no trailing spaces and no runs of blank
/// lines.
pub fn to_markdown(html: &str) -> String {
    let nodes = parse(html);
    let mut flow = Flow::default();
    walk(&nodes, &mut flow, Ctx::default());
    join_lines(render_blocks(&flow.finish(), false))
}

/// Deeper element nesting than this is flattened (keeps recursion bounded on hostile input).
const MAX_DEPTH: usize = 64;

// ---------------------------------------------------------------------------------------------
// Tokenizer

enum Tok {
    /// Text with entities decoded.
    Text(String),
    Open {
        name: String,
        /// `href` (or DocBook `url`) attribute, entities decoded.
        href: Option<String>,
        self_closing: bool,
        /// The tag as written, used when an unknown tag turns out to be literal text.
        raw: String,
    },
    Close(String),
}

fn tokenize(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<'
            && let Some((tok, end)) = lex_markup(src, i)
        {
            if text_start < i {
                toks.push(Tok::Text(decode_entities(&src[text_start..i])));
            }
            toks.extend(tok);
            i = end;
            text_start = end;
            continue;
        }
        i += 1;
    }
    if text_start < b.len() {
        toks.push(Tok::Text(decode_entities(&src[text_start..])));
    }
    toks
}

/// Lexes the markup starting at `src[i] == '<'`. `None` means the `<` is literal text;
/// `Some((None, end))` is a comment or declaration to drop.
fn lex_markup(src: &str, i: usize) -> Option<(Option<Tok>, usize)> {
    let b = src.as_bytes();
    let rest = &b[i + 1..];
    if rest.starts_with(b"!--") {
        let end = find_bytes(b, i + 4, b"-->").map_or(b.len(), |p| p + 3);
        return Some((None, end));
    }
    if matches!(rest.first(), Some(b'!' | b'?')) && rest.get(1).is_some_and(u8::is_ascii_alphabetic)
    {
        let end = i + b[i..].iter().position(|&c| c == b'>')? + 1;
        return Some((None, end));
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = i + 1 + usize::from(closing);
    if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut j = name_start;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'-' | b'_' | b':' | b'.'))
    {
        j += 1;
    }
    let name = src[name_start..j].to_ascii_lowercase();
    if closing {
        while j < b.len() && b[j] != b'>' {
            if b[j] == b'<' {
                return None;
            }
            j += 1;
        }
        if j >= b.len() {
            return None;
        }
        return Some((Some(Tok::Close(name)), j + 1));
    }
    let mut href = None;
    let mut self_closing = false;
    loop {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        match b.get(j) {
            None | Some(b'<') => return None,
            Some(b'>') => {
                j += 1;
                break;
            }
            Some(b'/') => {
                if b.get(j + 1) == Some(&b'>') {
                    self_closing = true;
                    j += 2;
                    break;
                }
                j += 1;
                continue;
            }
            _ => {}
        }
        let attr_start = j;
        while j < b.len()
            && !b[j].is_ascii_whitespace()
            && !matches!(b[j], b'=' | b'>' | b'<' | b'/')
        {
            j += 1;
        }
        let attr = src[attr_start..j].to_ascii_lowercase();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = None;
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = j + 1;
                    let end = start + b[start..].iter().position(|&c| c == q)?;
                    value = Some(&src[start..end]);
                    j = end + 1;
                }
                _ => {
                    let start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'<'
                    {
                        j += 1;
                    }
                    value = Some(&src[start..j]);
                }
            }
        }
        if href.is_none() && (attr == "href" || attr == "url") {
            href = value.map(decode_entities);
        }
    }
    let raw = src[i..j].to_string();
    Some((
        Some(Tok::Open {
            name,
            href,
            self_closing,
            raw,
        }),
        j,
    ))
}

fn find_bytes(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        match decode_entity(rest) {
            Some((decoded, len)) => {
                out.push_str(decoded.as_str());
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity at the start of `s` (which starts with `&`): text and byte length.
fn decode_entity(s: &str) -> Option<(String, usize)> {
    let semi = s[1..].find(';')? + 1;
    if semi > 33 {
        return None;
    }
    let body = &s[1..semi];
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex)
                if !hex.is_empty()
                    && hex.len() <= 8
                    && hex.bytes().all(|c| c.is_ascii_hexdigit()) =>
            {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if !num.is_empty()
                && num.len() <= 10
                && num.bytes().all(|c| c.is_ascii_digit()) =>
            {
                num.parse::<u64>()
                    .ok()
                    .map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX))
            }
            _ => return None,
        };
        numeric_char(code).to_string()
    } else {
        named_entity(body)?.to_string()
    };
    Some((decoded, semi + 1))
}

/// Numeric character reference → char, as browsers do (C1 range read as windows-1252).
fn numeric_char(code: u32) -> char {
    const WIN1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match code {
        0 => '\u{fffd}',
        0x80..=0x9f => WIN1252[(code - 0x80) as usize],
        _ => char::from_u32(code).unwrap_or('\u{fffd}'),
    }
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "zwsp" => "\u{200b}",
        "zwnj" => "\u{200c}",
        "zwj" => "\u{200d}",
        "shy" => "\u{ad}",
        "ndash" => "–",
        "mdash" => "—",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "bull" => "•",
        "middot" => "·",
        "prime" => "′",
        "Prime" => "″",
        "dagger" => "†",
        "Dagger" => "‡",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "times" => "×",
        "divide" => "÷",
        "plusmn" => "±",
        "minus" => "−",
        "le" => "≤",
        "ge" => "≥",
        "ne" => "≠",
        "asymp" => "≈",
        "infin" => "∞",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "harr" => "↔",
        "rArr" => "⇒",
        "lArr" => "⇐",
        "sect" => "§",
        "para" => "¶",
        "micro" => "µ",
        "cent" => "¢",
        "pound" => "£",
        "euro" => "€",
        "yen" => "¥",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "iexcl" => "¡",
        "iquest" => "¿",
        "check" => "✓",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Element tree

struct Elem {
    name: String,
    href: Option<String>,
    children: Vec<Node>,
}

enum Node {
    Text(String),
    Elem(Elem),
}

fn parse(src: &str) -> Vec<Node> {
    let mut toks = tokenize(src);
    // An unknown tag that is never closed is a literal placeholder (`<region>`, `<uuid>`), and
    // an unknown self-closing one is example markup (`<Accessibility value="CC1"/>`).
    let mut last_close: HashMap<String, usize> = HashMap::new();
    for (k, tok) in toks.iter().enumerate() {
        if let Tok::Close(name) = tok {
            last_close.insert(name.clone(), k);
        }
    }
    for (k, tok) in toks.iter_mut().enumerate() {
        let literal = match tok {
            Tok::Open {
                name,
                self_closing,
                raw,
                ..
            } if kind(name) == Kind::Unknown
                && (*self_closing || last_close.get(name).is_none_or(|&c| c < k)) =>
            {
                Some(decode_entities(raw))
            }
            _ => None,
        };
        if let Some(text) = literal {
            *tok = Tok::Text(text);
        }
    }

    let mut stack = vec![Elem {
        name: String::new(),
        href: None,
        children: Vec::new(),
    }];
    for tok in toks {
        match tok {
            Tok::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    match top.children.last_mut() {
                        Some(Node::Text(prev)) => prev.push_str(&text),
                        _ => top.children.push(Node::Text(text)),
                    }
                }
            }
            Tok::Open {
                name,
                href,
                self_closing,
                ..
            } => {
                match name.as_str() {
                    "li" => close_implied(&mut stack, &["li"], &["ul", "ol", "table"]),
                    "dt" | "dd" => close_implied(&mut stack, &["dt", "dd"], &["dl", "table"]),
                    "tr" => close_implied(&mut stack, &["tr", "td", "th"], &["table"]),
                    "td" | "th" => close_implied(&mut stack, &["td", "th"], &["tr", "table"]),
                    _ => {}
                }
                let void = matches!(
                    name.as_str(),
                    "br" | "hr" | "img" | "wbr" | "input" | "meta" | "col"
                );
                let elem = Elem {
                    name,
                    href,
                    children: Vec::new(),
                };
                if self_closing || void || stack.len() >= MAX_DEPTH {
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Elem(elem));
                    }
                } else {
                    stack.push(elem);
                }
            }
            Tok::Close(name) => {
                if let Some(pos) = stack.iter().rposition(|e| e.name == name)
                    && pos > 0
                {
                    pop_to(&mut stack, pos);
                }
            }
        }
    }
    pop_to(&mut stack, 1);
    stack.pop().map(|root| root.children).unwrap_or_default()
}

/// Closes an open element named in `targets` if one is open above the nearest `boundaries`.
fn close_implied(stack: &mut Vec<Elem>, targets: &[&str], boundaries: &[&str]) {
    for k in (1..stack.len()).rev() {
        let name = stack[k].name.as_str();
        if boundaries.contains(&name) {
            return;
        }
        if targets.contains(&name) {
            pop_to(stack, k);
            return;
        }
    }
}

/// Pops elements until `stack.len() == len`, attaching each to its parent.
fn pop_to(stack: &mut Vec<Elem>, len: usize) {
    while stack.len() > len.max(1) {
        if let Some(elem) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.children.push(Node::Elem(elem));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Block container: children become paragraphs.
    Block,
    /// Block whose paragraphs are bold (`<dt>`, `<title>`, `<h1>`…).
    Heading,
    Note,
    Important,
    List {
        ordered: bool,
    },
    Item,
    Pre,
    Table,
    Break,
    Rule,
    /// Dropped with its content.
    Skip,
    Code,
    Strong,
    Em,
    Link,
    /// Known inline element without Markdown equivalent: content kept.
    Inline,
    /// Unknown: content kept when closed, literal text when never closed.
    Unknown,
}

fn kind(name: &str) -> Kind {
    match name {
        "p" | "para" | "div" | "fullname" | "examples" | "example" | "seealso" | "blockquote"
        | "section" | "caption" | "dl" | "dd" | "tr" | "td" | "th" | "thead" | "tbody"
        | "tfoot" | "center" | "address" | "simpara" | "listitem" | "variablelist"
        | "varlistentry" | "itemizedlist" | "orderedlist" => Kind::Block,
        "title" | "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "term" => Kind::Heading,
        "note" | "tip" => Kind::Note,
        "important" | "warning" | "caution" => Kind::Important,
        "ul" => Kind::List { ordered: false },
        "ol" => Kind::List { ordered: true },
        "li" => Kind::Item,
        "pre" | "programlisting" | "screen" => Kind::Pre,
        "table" => Kind::Table,
        "br" => Kind::Break,
        "hr" => Kind::Rule,
        "img" | "wbr" | "input" | "meta" | "col" | "script" | "style" | "head" => Kind::Skip,
        "code" | "tt" | "kbd" | "samp" | "filename" | "function" | "copy" | "literal"
        | "userinput" | "varname" | "command" | "parameter" | "systemitem" | "computeroutput"
        | "classname" => Kind::Code,
        "b" | "strong" => Kind::Strong,
        "i" | "em" | "emphasis" | "replaceable" | "cite" | "dfn" | "var" => Kind::Em,
        "a" | "ulink" => Kind::Link,
        "span" | "u" | "sub" | "sup" | "s" | "small" | "big" | "font" | "abbr" | "link"
        | "xref" | "zonbook" | "xhtml" | "value" | "body" | "html" | "ins" | "del" | "strike"
        | "mark" | "label" => Kind::Inline,
        _ => Kind::Unknown,
    }
}

fn is_block_kind(k: Kind) -> bool {
    matches!(
        k,
        Kind::Block
            | Kind::Heading
            | Kind::Note
            | Kind::Important
            | Kind::List { .. }
            | Kind::Item
            | Kind::Pre
            | Kind::Table
            | Kind::Rule
    )
}

fn has_block(e: &Elem) -> bool {
    e.children.iter().any(|n| match n {
        Node::Elem(c) => is_block_kind(kind(&c.name)) || has_block(c),
        Node::Text(_) => false,
    })
}

/// All text below `nodes`, `<br>` as a newline.
fn raw_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Elem(e) if kind(&e.name) == Kind::Break => out.push('\n'),
            Node::Elem(e) => raw_text(&e.children, out),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Blocks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    Strong,
    Em,
}

impl Mark {
    fn delim(self) -> &'static str {
        match self {
            Mark::Strong => "**",
            Mark::Em => "*",
        }
    }
}

/// Inline content of a paragraph, before whitespace collapsing and escaping.
#[derive(Clone, Debug)]
enum Seg {
    Text(String),
    Code(String),
    Open(Mark),
    Close(Mark),
    LinkOpen,
    LinkClose(String),
    Auto(String),
    Break,
}

#[derive(Debug)]
enum Block {
    Para(Vec<Seg>),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Code(String),
    Table(Vec<Vec<Vec<Seg>>>),
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    strong: bool,
    em: bool,
    link: bool,
    /// Inside `<pre>` content that was re-parsed as HTML.
    reparsed: bool,
}

impl Ctx {
    /// The context for a new block container (list item, table cell): no inline state.
    fn block(self) -> Ctx {
        Ctx {
            reparsed: self.reparsed,
            ..Ctx::default()
        }
    }
}

#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    inline: Vec<Seg>,
}

impl Flow {
    fn flush(&mut self) {
        let segs = std::mem::take(&mut self.inline);
        if has_content(&segs) {
            self.blocks.push(Block::Para(segs));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }
}

fn has_content(segs: &[Seg]) -> bool {
    segs.iter().any(|s| match s {
        Seg::Text(t) | Seg::Code(t) => t.chars().any(|c| !c.is_whitespace() && !c.is_control()),
        Seg::Auto(_) => true,
        _ => false,
    })
}

fn sub_blocks(nodes: &[Node], ctx: Ctx) -> Vec<Block> {
    let mut flow = Flow::default();
    walk(nodes, &mut flow, ctx);
    flow.finish()
}

fn walk(nodes: &[Node], flow: &mut Flow, ctx: Ctx) {
    for node in nodes {
        walk_node(node, flow, ctx);
    }
}

fn walk_node(node: &Node, flow: &mut Flow, ctx: Ctx) {
    let e = match node {
        Node::Text(t) => {
            flow.inline.push(Seg::Text(t.clone()));
            return;
        }
        Node::Elem(e) => e,
    };
    match kind(&e.name) {
        Kind::Block => {
            flow.flush();
            walk(&e.children, flow, ctx);
            flow.flush();
        }
        Kind::Heading => {
            flow.flush();
            for block in sub_blocks(
                &e.children,
                Ctx {
                    strong: true,
                    ..ctx
                },
            ) {
                flow.blocks.push(match block {
                    Block::Para(segs) => {
                        let mut wrapped = vec![Seg::Open(Mark::Strong)];
                        wrapped.extend(segs);
                        wrapped.push(Seg::Close(Mark::Strong));
                        Block::Para(wrapped)
                    }
                    other => other,
                });
            }
        }
        k @ (Kind::Note | Kind::Important) => {
            flow.flush();
            let mut blocks = sub_blocks(&e.children, ctx);
            if blocks.is_empty() {
                return;
            }
            let label = if k == Kind::Note {
                "Note:"
            } else {
                "Important:"
            };
            let mut prefix = vec![
                Seg::Open(Mark::Strong),
                Seg::Text(label.into()),
                Seg::Close(Mark::Strong),
            ];
            match blocks.first_mut() {
                Some(Block::Para(segs)) => {
                    prefix.push(Seg::Text(" ".into()));
                    prefix.append(segs);
                    *segs = prefix;
                }
                _ => blocks.insert(0, Block::Para(prefix)),
            }
            flow.blocks.extend(blocks);
        }
        Kind::List { ordered } => {
            flow.flush();
            flow.blocks.extend(list_block(e, ordered, ctx));
        }
        Kind::Item => {
            flow.flush();
            let item = sub_blocks(&e.children, ctx.block());
            if !item.is_empty() {
                flow.blocks.push(Block::List {
                    ordered: false,
                    items: vec![item],
                });
            }
        }
        Kind::Pre => {
            flow.flush();
            let mut text = String::new();
            raw_text(&e.children, &mut text);
            if !ctx.reparsed && looks_like_escaped_html(&text) {
                // Some models double-escape their HTML inside `<pre><code>`; render it as HTML
                // (once: the re-parsed content is not looked at again).
                walk(
                    &parse(&text),
                    flow,
                    Ctx {
                        reparsed: true,
                        ..Ctx::default()
                    },
                );
                flow.flush();
            } else if text.chars().any(|c| !c.is_whitespace()) {
                flow.blocks.push(Block::Code(text));
            }
        }
        Kind::Table => {
            flow.flush();
            table_blocks(e, flow, ctx);
        }
        Kind::Break => flow.inline.push(Seg::Break),
        Kind::Rule => flow.flush(),
        Kind::Skip => {}
        Kind::Code => {
            let mut text = String::new();
            raw_text(&e.children, &mut text);
            flow.inline.push(Seg::Code(text));
        }
        k @ (Kind::Strong | Kind::Em) => {
            let mark = if k == Kind::Strong {
                Mark::Strong
            } else {
                Mark::Em
            };
            let active = if mark == Mark::Strong {
                ctx.strong
            } else {
                ctx.em
            };
            if active || has_block(e) {
                walk(&e.children, flow, ctx);
            } else {
                let inner = match mark {
                    Mark::Strong => Ctx {
                        strong: true,
                        ..ctx
                    },
                    Mark::Em => Ctx { em: true, ..ctx },
                };
                flow.inline.push(Seg::Open(mark));
                walk(&e.children, flow, inner);
                flow.inline.push(Seg::Close(mark));
            }
        }
        Kind::Link => {
            let target = e.href.as_deref().and_then(link_target);
            match target {
                Some(url) if !ctx.link && !has_block(e) => {
                    let mut inner = Flow::default();
                    walk(&e.children, &mut inner, Ctx { link: true, ..ctx });
                    let segs = inner.inline;
                    let href = e.href.as_deref().unwrap_or_default().trim();
                    let same_as_url = plain_text(&segs).is_some_and(|t| t == href || t == url);
                    if !has_content(&segs) || same_as_url {
                        flow.inline.push(Seg::Auto(url));
                    } else {
                        flow.inline.push(Seg::LinkOpen);
                        flow.inline.extend(segs);
                        flow.inline.push(Seg::LinkClose(url));
                    }
                }
                _ => walk(&e.children, flow, ctx),
            }
        }
        Kind::Inline | Kind::Unknown => walk(&e.children, flow, ctx),
    }
}

/// Whether `<pre>` text is really (escaped) botocore HTML, e.g. `<p> To get ... </p>`.
fn looks_like_escaped_html(text: &str) -> bool {
    let t = text.trim_start();
    [
        "<p>",
        "<p ",
        "<ul>",
        "<ol>",
        "<note>",
        "<important>",
        "<li>",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        && t.trim_end().ends_with('>')
}

/// The link target for an `href`, percent-encoding what Markdown destinations and autolinks
/// cannot hold; `None` for anything but absolute `http(s)` and `mailto` links.
fn link_target(href: &str) -> Option<String> {
    let h = href.trim();
    let lower = h.get(..8).unwrap_or(h).to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") || lower.starts_with("mailto:") {
        7
    } else {
        return None;
    };
    if h.len() <= scheme_len {
        return None;
    }
    let mut url = String::with_capacity(h.len());
    for c in h.chars() {
        match c {
            '<' | '>' | '(' | ')' | '\\' | '"' | '`' | '|' => {
                url.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    url.push_str(&format!("%{byte:02X}"));
                }
            }
            c => url.push(c),
        }
    }
    Some(url)
}

/// The whitespace-collapsed text of `segs` if they are only text.
fn plain_text(segs: &[Seg]) -> Option<String> {
    let mut text = String::new();
    for s in segs {
        match s {
            Seg::Text(t) => text.push_str(t),
            _ => return None,
        }
    }
    Some(collapse(&text))
}

fn collapse(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

fn list_block(e: &Elem, ordered: bool, ctx: Ctx) -> Option<Block> {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut stray = Flow::default();
    for child in &e.children {
        match child {
            Node::Elem(c) if kind(&c.name) == Kind::Item => {
                flush_stray(&mut stray, &mut items);
                let item = sub_blocks(&c.children, ctx.block());
                if !item.is_empty() {
                    items.push(item);
                }
            }
            // Text or a nested list outside any `<li>` joins the previous item.
            other => walk_node(other, &mut stray, ctx.block()),
        }
    }
    flush_stray(&mut stray, &mut items);
    (!items.is_empty()).then_some(Block::List { ordered, items })
}

fn flush_stray(stray: &mut Flow, items: &mut Vec<Vec<Block>>) {
    let blocks = std::mem::take(stray).finish();
    if blocks.is_empty() {
        return;
    }
    match items.last_mut() {
        Some(last) => last.extend(blocks),
        None => items.push(blocks),
    }
}

fn table_blocks(e: &Elem, flow: &mut Flow, ctx: Ctx) {
    let mut rows = Vec::new();
    let mut extra = Flow::default();
    collect_rows(&e.children, &mut rows, &mut extra, ctx);
    if rows
        .iter()
        .any(|r: &Vec<Vec<Seg>>| r.iter().any(|c| has_content(c)))
    {
        flow.blocks.push(Block::Table(rows));
    }
    flow.blocks.extend(extra.finish());
}

fn collect_rows(nodes: &[Node], rows: &mut Vec<Vec<Vec<Seg>>>, extra: &mut Flow, ctx: Ctx) {
    for n in nodes {
        match n {
            Node::Elem(e) if e.name == "tr" => {
                let mut row = Vec::new();
                for c in &e.children {
                    if let Node::Elem(cell) = c
                        && (cell.name == "td" || cell.name == "th")
                    {
                        row.push(flatten(sub_blocks(&cell.children, ctx.block())));
                    }
                }
                if !row.is_empty() {
                    rows.push(row);
                }
            }
            Node::Elem(e) if matches!(e.name.as_str(), "thead" | "tbody" | "tfoot") => {
                collect_rows(&e.children, rows, extra, ctx);
            }
            other => walk_node(other, extra, ctx.block()),
        }
    }
}

/// Block content squeezed onto one line (for table cells).
fn flatten(blocks: Vec<Block>) -> Vec<Seg> {
    let mut segs = Vec::new();
    for block in blocks {
        if !segs.is_empty() {
            segs.push(Seg::Text(" ".into()));
        }
        match block {
            Block::Para(s) => segs.extend(s),
            Block::Code(t) => segs.push(Seg::Code(t)),
            Block::List { items, .. } => {
                for item in items {
                    segs.push(Seg::Text(" ".into()));
                    segs.extend(flatten(item));
                }
            }
            Block::Table(rows) => {
                for cell in rows.into_iter().flatten() {
                    segs.push(Seg::Text(" ".into()));
                    segs.extend(cell);
                }
            }
        }
    }
    segs
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn render_blocks(blocks: &[Block], in_item: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Block> = None;
    for block in blocks {
        let lines = render_block(block);
        if lines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            // A nested list directly under an item's text stays tight.
            let tight = in_item
                && matches!(block, Block::List { .. })
                && matches!(prev, Some(Block::Para(_)));
            if !tight {
                out.push(String::new());
            }
        }
        out.extend(lines);
        prev = Some(block);
    }
    out
}

fn render_block(block: &Block) -> Vec<String> {
    match block {
        Block::Para(segs) => {
            let text = render_inline(segs, false);
            if text.is_empty() {
                Vec::new()
            } else {
                text.split('\n').map(str::to_string).collect()
            }
        }
        Block::Code(text) => fence(text),
        Block::Table(rows) => table(rows),
        Block::List { ordered, items } => {
            let mut out = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}. ", n + 1)
                } else {
                    "- ".to_string()
                };
                let indent = " ".repeat(marker.len());
                for (k, line) in render_blocks(item, true).into_iter().enumerate() {
                    if k == 0 {
                        out.push(format!("{marker}{line}"));
                    } else if line.is_empty() {
                        out.push(line);
                    } else {
                        out.push(format!("{indent}{line}"));
                    }
                }
            }
            out
        }
    }
}

/// A fenced `text` code block for `<pre>` content: common indentation removed.
fn fence(raw: &str) -> Vec<String> {
    let text: String = raw
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\u{2028}' | '\u{2029}' => Some('\n'),
            '\u{a0}' => Some(' '),
            '\n' | '\t' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let lines = &lines[first..=last];
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let longest_ticks = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest_ticks.max(2) + 1);
    let mut out = vec![format!("{ticks}text")];
    out.extend(
        lines
            .iter()
            .map(|l| l.get(indent..).unwrap_or("").to_string()),
    );
    out.push(ticks);
    out
}

fn table(rows: &[Vec<Vec<Seg>>]) -> Vec<String> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = String::from("|");
        for c in 0..cols {
            let cell = row
                .get(c)
                .map(|segs| render_inline(segs, true))
                .unwrap_or_default();
            line.push(' ');
            line.push_str(&cell);
            line.push_str(" |");
        }
        out.push(line);
        if r == 0 {
            out.push(format!("|{}", " --- |".repeat(cols)));
        }
    }
    out
}

/// Inline tokens after whitespace handling.
#[derive(Clone, PartialEq, Debug)]
enum T {
    Ch(char),
    Sp,
    Br,
    Code(String),
    Open(Mark),
    Close(Mark),
    LOpen,
    LClose(String),
    Auto(String),
}

/// Renders a paragraph (or, with `table`, a table cell: no line breaks, `|` escaped).
fn render_inline(segs: &[Seg], table: bool) -> String {
    let mut toks = Vec::new();
    for seg in segs {
        match seg {
            Seg::Text(t) => {
                for c in t.chars() {
                    if c.is_whitespace() {
                        toks.push(T::Sp);
                    } else if !c.is_control() {
                        toks.push(T::Ch(c));
                    }
                }
            }
            Seg::Code(c) => {
                let c = collapse(c);
                if !c.is_empty() {
                    toks.push(T::Code(c));
                }
            }
            Seg::Open(m) => toks.push(T::Open(*m)),
            Seg::Close(m) => toks.push(T::Close(*m)),
            Seg::LinkOpen => toks.push(T::LOpen),
            Seg::LinkClose(u) => toks.push(T::LClose(u.clone())),
            Seg::Auto(u) => toks.push(T::Auto(u.clone())),
            Seg::Break => toks.push(if table { T::Sp } else { T::Br }),
        }
    }
    emit(&normalize(toks), table)
}

fn is_ws_tok(t: &T) -> bool {
    matches!(t, T::Sp | T::Br)
}

/// Collapses whitespace like a browser, moves it out of emphasis and links (`** a **` cannot
/// be Markdown), drops empty emphasis, merges adjacent code spans, trims the lines.
fn normalize(mut toks: Vec<T>) -> Vec<T> {
    for _ in 0..6 {
        let before = toks.clone();
        // Whitespace after an opener moves before it.
        let mut out: Vec<T> = Vec::with_capacity(toks.len());
        for t in toks {
            if is_ws_tok(&t) {
                let mut k = out.len();
                while k > 0 && matches!(out[k - 1], T::Open(_) | T::LOpen) {
                    k -= 1;
                }
                out.insert(k, t);
            } else {
                out.push(t);
            }
        }
        // Whitespace before a closer moves after it.
        let mut rev: Vec<T> = Vec::with_capacity(out.len());
        for t in out.into_iter().rev() {
            if is_ws_tok(&t) {
                let mut k = rev.len();
                while k > 0 && matches!(rev[k - 1], T::Close(_) | T::LClose(_)) {
                    k -= 1;
                }
                rev.insert(k, t);
            } else {
                rev.push(t);
            }
        }
        rev.reverse();
        // Tidy with a stack.
        let mut out: Vec<T> = Vec::with_capacity(rev.len());
        for t in rev {
            match (&t, out.last_mut()) {
                (T::Close(m), Some(T::Open(o))) if m == o => {
                    out.pop();
                }
                (T::Open(m), Some(T::Close(c))) if m == c => {
                    out.pop();
                }
                (T::LClose(_), Some(T::LOpen)) => {
                    out.pop();
                }
                (T::Sp, Some(T::Sp | T::Br)) => {}
                (T::Br, Some(T::Br)) => {}
                (T::Br, Some(T::Sp)) => {
                    out.pop();
                    if !matches!(out.last(), Some(T::Br)) {
                        out.push(T::Br);
                    }
                }
                (T::Code(b), Some(T::Code(a))) => a.push_str(b),
                _ => out.push(t),
            }
        }
        toks = out;
        if toks == before {
            break;
        }
    }
    let start = toks
        .iter()
        .position(|t| !is_ws_tok(t))
        .unwrap_or(toks.len());
    let end = toks
        .iter()
        .rposition(|t| !is_ws_tok(t))
        .map_or(start, |p| p + 1);
    toks.drain(end..);
    toks.drain(..start);
    toks
}

/// The first character a token renders as (for flanking and escaping decisions).
fn first_char(t: Option<&T>) -> Option<char> {
    Some(match t? {
        T::Ch(c) => *c,
        T::Sp => ' ',
        T::Br => '\n',
        T::Code(_) => '`',
        T::Open(_) | T::Close(_) => '*',
        T::LOpen => '[',
        T::LClose(_) => ']',
        T::Auto(_) => '<',
    })
}

fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

fn emit(toks: &[T], table: bool) -> String {
    let mut out = String::new();
    let mut link_depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            T::Ch(_) | T::Sp => {
                let start = i;
                while i < toks.len() && matches!(toks[i], T::Ch(_) | T::Sp) {
                    i += 1;
                }
                let run: Vec<char> = toks[start..i]
                    .iter()
                    .map(|t| if let T::Ch(c) = t { *c } else { ' ' })
                    .collect();
                emit_text(&run, toks.get(i), link_depth > 0, table, &mut out);
                continue;
            }
            T::Br => out.push_str("\\\n"),
            T::Code(code) => emit_code(code, table, &mut out),
            T::Open(m) => {
                // `word**(x)**` would not open: make the opener left-flanking.
                let prev = out.chars().next_back();
                if prev.is_some_and(char::is_alphanumeric)
                    && first_char(toks.get(i + 1)).is_some_and(is_punct)
                {
                    out.push(' ');
                }
                out.push_str(m.delim());
            }
            T::Close(m) => {
                // `**Note:**text` would not close: make the closer right-flanking.
                let prev = out.chars().next_back();
                out.push_str(m.delim());
                if prev.is_some_and(is_punct)
                    && first_char(toks.get(i + 1)).is_some_and(char::is_alphanumeric)
                {
                    out.push(' ');
                }
            }
            T::LOpen => {
                link_depth += 1;
                out.push('[');
            }
            T::LClose(url) => {
                link_depth = link_depth.saturating_sub(1);
                out.push_str("](");
                let chars: Vec<char> = url.chars().collect();
                for (k, &c) in chars.iter().enumerate() {
                    // Entity-like text would be decoded in a link destination.
                    if c == '&' && entity_like(&chars, k) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push(')');
            }
            T::Auto(url) => {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
        }
        i += 1;
    }
    out
}

fn emit_code(code: &str, table: bool, out: &mut String) {
    let code = if table {
        code.replace('|', "\\|")
    } else {
        code.to_string()
    };
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&ticks);
    out.push_str(pad);
    out.push_str(&code);
    out.push_str(pad);
    out.push_str(&ticks);
}

/// Whether `s[k] == '&'` starts something Markdown would decode as an entity reference.
fn entity_like(s: &[char], k: usize) -> bool {
    let mut j = k + 1;
    if s.get(j) == Some(&'#') {
        j += 1;
        if matches!(s.get(j), Some('x' | 'X')) {
            j += 1;
        }
    }
    let start = j;
    while j < s.len() && s[j].is_ascii_alphanumeric() && j - start < 32 {
        j += 1;
    }
    j > start && s.get(j) == Some(&';')
}

/// Length of an `http://` / `https://` scheme starting at `run[k]`.
fn url_scheme_at(run: &[char], k: usize) -> Option<usize> {
    ["https://", "http://"].into_iter().find_map(|scheme| {
        let n = scheme.len();
        let matches = run.len() >= k + n
            && run[k..k + n]
                .iter()
                .zip(scheme.chars())
                .all(|(a, b)| a.to_ascii_lowercase() == b);
        matches.then_some(n)
    })
}

/// Bare URLs in a text run, as `(start, end)` ranges, trailing punctuation excluded.
fn find_urls(run: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut k = 0;
    while k < run.len() {
        let Some(scheme) = url_scheme_at(run, k) else {
            k += 1;
            continue;
        };
        let body = k + scheme;
        let mut e = body;
        while e < run.len()
            && !run[e].is_whitespace()
            && !run[e].is_control()
            && !"<>\"`|".contains(run[e])
        {
            e += 1;
        }
        // Bracket balance of the candidate: a closing bracket without an opener is punctuation
        // around the URL, as in `(see https://example.com)`.
        const PAIRS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];
        let mut depth = [0isize; 3];
        for &c in &run[body..e] {
            for (d, (open, close)) in depth.iter_mut().zip(PAIRS) {
                *d += isize::from(c == open) - isize::from(c == close);
            }
        }
        while e > body {
            let c = run[e - 1];
            let bracket = PAIRS.iter().position(|&(_, close)| close == c);
            if ".,;:!?'*_~".contains(c) {
                e -= 1;
            } else if let Some(b) = bracket.filter(|&b| depth[b] < 0) {
                depth[b] += 1;
                e -= 1;
            } else {
                break;
            }
        }
        if e > body {
            found.push((k, e));
            k = e;
        } else {
            k = body;
        }
    }
    found
}

fn emit_text(run: &[char], after: Option<&T>, in_link: bool, table: bool, out: &mut String) {
    let line_start = out.is_empty() || out.ends_with('\n');
    let before = if line_start {
        None
    } else {
        out.chars().next_back()
    };
    let after_char = first_char(after);
    let urls = if in_link { Vec::new() } else { find_urls(run) };
    // `1.` / `1)` at the start of a line would begin an ordered list.
    let mut ordered_marker = None;
    if line_start {
        let digits = run.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=9).contains(&digits) && matches!(run.get(digits), Some('.' | ')')) {
            ordered_marker = Some(digits);
        }
    }
    let mut u = 0;
    let mut k = 0;
    while k < run.len() {
        if let Some(&(s, e)) = urls.get(u)
            && s == k
        {
            out.push('<');
            out.extend(&run[s..e]);
            out.push('>');
            k = e;
            u += 1;
            continue;
        }
        let c = run[k];
        let prev = if k == 0 {
            before
        } else if u > 0 && urls[u - 1].1 == k {
            Some('>')
        } else {
            Some(run[k - 1])
        };
        let next = if k + 1 == run.len() {
            after_char
        } else if urls.get(u).is_some_and(|&(s, _)| s == k + 1) {
            Some('<')
        } else {
            Some(run[k + 1])
        };
        let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let first = line_start && k == 0;
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if entity_like(run, k) => out.push_str("&amp;"),
            '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str(if next.is_some_and(|n| n.is_alphanumeric() || n == ' ') {
                "\\"
            } else {
                "\\\\"
            }),
            '*' | '~' if first || !(ws(prev) && ws(next)) => {
                out.push('\\');
                out.push(c);
            }
            '_' if first || !((alnum(prev) && alnum(next)) || (ws(prev) && ws(next))) => {
                out.push_str("\\_")
            }
            '|' if table || first => out.push_str("\\|"),
            '#' | '+' | '-' | '=' | ':' if first => {
                out.push('\\');
                out.push(c);
            }
            '!' if k + 1 == run.len() && matches!(after, Some(T::LOpen)) => out.push_str("\\!"),
            '.' | ')' if ordered_marker == Some(k) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        k += 1;
    }
}

fn join_lines(lines: Vec<String>) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in &lines {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn hard_cases() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   ", ""),
            ("<p></p>", ""),
            ("plain text", "plain text"),
            ("<p>Hello   \n  world.</p>", "Hello world."),
            ("<p>One.</p> <p>Two.</p>", "One.\n\nTwo."),
            ("<p>  <b> Note: </b>text</p>", "**Note:** text"),
            (
                "<p>See <a href=\"https://example.com/a\">the guide</a>.</p>",
                "See [the guide](https://example.com/a).",
            ),
            (
                "<a href=\"https://example.com\">https://example.com</a>",
                "<https://example.com>",
            ),
            (
                "<a href=\" https://example.com/x \"></a>",
                "<https://example.com/x>",
            ),
            (
                "<p>Use <a>ListThings</a> first.</p>",
                "Use ListThings first.",
            ),
            (
                "<a href=\"privateca/latest/userguide/pca.html\">quotas</a>",
                "quotas",
            ),
            ("<a href=\"javascript:alert(1)\">x</a>", "x"),
            (
                "<a href=\"mailto:a@example.com\">mail us</a>",
                "[mail us](mailto:a@example.com)",
            ),
            (
                "<a href=\"https://e.com/a b(c)\">x</a>",
                "[x](https://e.com/a%20b%28c%29)",
            ),
            (
                "<a href=\"https://e.com/?a=1&amp;lt;\">x</a>",
                "[x](https://e.com/?a=1\\&lt;)",
            ),
            (
                "Go to https://example.com/docs.",
                "Go to <https://example.com/docs>.",
            ),
            (
                "(see https://example.com/a_(b))",
                "(see <https://example.com/a_(b)>)",
            ),
            ("<code>https://example.com</code>", "`https://example.com`"),
            (
                "<p>Array [1, 2] and map[key]</p>",
                "Array \\[1, 2\\] and map\\[key\\]",
            ),
            ("<code>list[0]</code>", "`list[0]`"),
            ("<code>a`b</code>", "``a`b``"),
            ("<code>`x`</code>", "`` `x` ``"),
            ("<code> </code>", ""),
            ("<code>a</code><code>b</code>", "`ab`"),
            ("<p>If x < 5 and y > 3</p>", "If x &lt; 5 and y &gt; 3"),
            (
                "&lt;p&gt;not a tag&lt;/p&gt; &amp; &quot;q&quot; &#39;s&#39; &nbsp;x",
                "&lt;p&gt;not a tag&lt;/p&gt; & \"q\" 's' x",
            ),
            (
                "&amp;lt; &#x41;&#66; &#150; &#0; &bogus;",
                "&amp;lt; AB – \u{fffd} &amp;bogus;",
            ),
            (
                "arn:aws:inspector2:<region>:<account-id>:owner/<uuid>",
                "arn:aws:inspector2:&lt;region&gt;:&lt;account-id&gt;:owner/&lt;uuid&gt;",
            ),
            (
                "List<String> and Map<String, List<Integer>>",
                "List&lt;String&gt; and Map&lt;String, List&lt;Integer&gt;&gt;",
            ),
            ("<p>Unclosed <b>bold", "Unclosed **bold**"),
            ("<p>Para <i>ital</p><p>next</p>", "Para *ital*\n\nnext"),
            ("<p>a <b", "a &lt;b"),
            ("<zonbook></zonbook><xhtml></xhtml>", ""),
            ("<para/><p>x</p>", "x"),
            (
                "<p>Markup: <Accessibility value=\"CC1\"/></p>",
                "Markup: &lt;Accessibility value=\"CC1\"/&gt;",
            ),
            ("<note><p>Be careful.</p></note>", "**Note:** Be careful."),
            (
                "<important> <p>A.</p> <p>B.</p> </important>",
                "**Important:** A.\n\nB.",
            ),
            ("<ul><li><p>one</p></li><li>two</li></ul>", "- one\n- two"),
            ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
            (
                "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>",
                "- a\n  - b\n    - c",
            ),
            ("<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   - b"),
            (
                "<ul><li><p>a</p><p>b</p></li><li>c</li></ul>",
                "- a\n\n  b\n- c",
            ),
            ("<ul><li>a<li>b</ul>", "- a\n- b"),
            (
                "<ul><li>a</li><ul><li>nested</li></ul></ul>",
                "- a\n  - nested",
            ),
            ("<ul><li></li><li> </li></ul>", ""),
            (
                "<p>Intro:</p><ul><li>x</li></ul><p>After.</p>",
                "Intro:\n\n- x\n\nAfter.",
            ),
            (
                "<dl><dt>NAME</dt><dd><p>The name.</p></dd></dl>",
                "**NAME**\n\nThe name.",
            ),
            (
                "<pre><code>{\n  \"a\": [1]\n}</code></pre>",
                "```text\n{\n  \"a\": [1]\n}\n```",
            ),
            (
                "<ul><li>x<pre>  a\n    b</pre></li></ul>",
                "- x\n\n  ```text\n  a\n    b\n  ```",
            ),
            ("<pre>```\nx</pre>", "````text\n```\nx\n````"),
            (
                "<pre><code> &lt;p&gt;Escaped &lt;code&gt;x&lt;/code&gt;&lt;/p&gt; </code></pre>",
                "Escaped `x`",
            ),
            (
                "<pre>&lt;p&gt;x&lt;/p&gt; &lt;pre&gt;&amp;lt;p&amp;gt;y&lt;/pre&gt;</pre>",
                "x\n\n```text\n<p>y\n```",
            ),
            (
                "<p><b>Note:</b><br>Line two<br><br></p>",
                "**Note:**\\\nLine two",
            ),
            (
                "<p>a<br>- b<br>1. c<br># d</p>",
                "a\\\n\\- b\\\n1\\. c\\\n\\# d",
            ),
            ("<p>2024. A year</p>", "2024\\. A year"),
            ("- dash\n+ plus\n> quote", "\\- dash + plus &gt; quote"),
            ("<p># hash</p>", "\\# hash"),
            (
                "snake_case _lead trail_ a _ b",
                "snake_case \\_lead trail\\_ a _ b",
            ),
            (
                "s3:Get* and *.example.com and 2 * 3",
                "s3:Get\\* and \\*.example.com and 2 * 3",
            ),
            ("~/.aws and a `tick`", "\\~/.aws and a \\`tick\\`"),
            ("C:\\path\\ and \\*", "C:\\path\\ and \\\\\\*"),
            ("<i>a</i><i>b</i> <b>word</b><b>s</b>", "*ab* **words**"),
            ("x<b>(y)</b>z", "x **(y)** z"),
            ("<b><i>both</i></b>", "***both***"),
            ("<b><b>twice</b></b>", "**twice**"),
            ("<b></b><i> </i>text", "text"),
            (
                "Hi!<a href=\"https://e.com\">link</a>",
                "Hi\\![link](https://e.com)",
            ),
            (
                "<a href=\"https://a.com\">see https://b.com [x]</a>",
                "[see https://b.com \\[x\\]](https://a.com)",
            ),
            ("<p>1\u{2028}2\t3&#x2028;4</p>", "1 2 3 4"),
            ("<p><p>nested</p></p>", "nested"),
            ("<!-- comment --><p>x</p>", "x"),
            (
                "<function>ec2-import-volume</function> <filename>/dev/sda1</filename>",
                "`ec2-import-volume` `/dev/sda1`",
            ),
            (
                "<ulink url=\"http://docs.aws.amazon.com/x\">Docs</ulink>",
                "[Docs](http://docs.aws.amazon.com/x)",
            ),
            ("<replaceable>{region}</replaceable>:x", "*{region}*:x"),
            (
                "<fullname>Amazon Foo</fullname><p>Bar.</p>",
                "Amazon Foo\n\nBar.",
            ),
            ("<h2>Heading</h2><p>Body</p>", "**Heading**\n\nBody"),
            (
                "<table><tr><th>A</th><th>B|C</th></tr><tr><td>1</td><td><code>x|y</code></td></tr></table>",
                "| A | B\\|C |\n| --- | --- |\n| 1 | `x\\|y` |",
            ),
            ("a &amp;amp; b", "a &amp;amp; b"),
            ("<p>   leading and trailing   </p>", "leading and trailing"),
            ("<p>x</p>\n\n\n<p>y</p>", "x\n\ny"),
            ("<", "&lt;"),
            ("<<>>", "&lt;&lt;&gt;&gt;"),
            ("</p>stray close", "stray close"),
            (
                "<a href=\"https://x.com\"",
                "&lt;a href=\"<https://x.com>\"",
            ),
            (
                "text <b>bold <i>both</b> after",
                "text **bold *both*** after",
            ),
            ("| a | b |<br>|---|---|", "\\| a | b |\\\n\\|---|---|"),
            ("<p>: def</p>", "\\: def"),
            ("<p>end\\<br>next</p>", "end\\\\\\\nnext"),
            ("<p>===</p>", "\\==="),
        ];
        let mut failures = Vec::new();
        for (input, expected) in cases {
            let got = to_markdown(input);
            if got != *expected {
                failures.push(format!(
                    "input:    {input:?}\nexpected: {expected:?}\ngot:      {got:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }

    #[test]
    fn deterministic_and_total_on_garbage() {
        let inputs = [
            "<<<<a href='x",
            "<a href=\"",
            "&#99999999999;",
            "&#xFFFFFFFFF;",
            "&#xD800;",
            "<ul><li><ol><li>",
            "</ul></li></b>",
            "<pre>",
            "<code>",
            "<table><tr>",
            "<table>text<tr><td>",
            "\u{0}\u{1b}[31m",
            "<b><i></b></i>",
            "<a href=https://x.com/a>t</a>",
            "<p/><br/><hr>",
            "<!DOCTYPE html><x",
            "<!--",
            "&",
            "&#",
            "&#x;",
            "]][[",
            "***",
            "<ul>text<li>a</li>more</ul>",
            "<li>orphan</li>",
        ];
        for input in inputs {
            let a = to_markdown(input);
            assert_eq!(a, to_markdown(input));
            check_invariants(&a).unwrap_or_else(|e| panic!("{input:?} -> {a:?}: {e}"));
        }
        let deep = "<ul><li>".repeat(500) + "x" + &"<b>".repeat(500);
        check_invariants(&to_markdown(&deep)).unwrap();
        // Large hostile inputs finish quickly (nothing quadratic) and stay safe.
        let big = [
            "<b><i><a href='https://x.com'>".repeat(20_000),
            format!("https://x.com/{}", ")".repeat(100_000)),
            "&amp;lt;".repeat(50_000),
            "<ul><li>a".repeat(20_000),
            format!("<pre>{}</pre>", "&lt;p&gt;".repeat(30_000)),
            "<p>[x] *y* _z_ `w` \\ ".repeat(20_000),
        ];
        for input in &big {
            let start = std::time::Instant::now();
            let md = to_markdown(input);
            check_invariants(&md).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                start.elapsed().as_secs() < 10,
                "too slow: {:?}",
                start.elapsed()
            );
        }
    }

    /// Checks the output is safe for rustdoc: no indented code block, no raw HTML other than
    /// autolinks, no bracket that is not part of a produced link, no stray backtick, no
    /// trailing whitespace or double blank line, and only `text` fences.
    pub(super) fn check_invariants(md: &str) -> Result<(), String> {
        if md != md.trim() {
            return Err("not trimmed".into());
        }
        if md.contains("\n\n\n") {
            return Err("two blank lines in a row".into());
        }
        let mut fence: Option<String> = None;
        // Content columns of the list items that are open (CommonMark container indentation).
        let mut items: Vec<usize> = Vec::new();
        let mut link_open = false;
        for line in md.lines() {
            if line.ends_with(char::is_whitespace) {
                return Err(format!("trailing whitespace: {line:?}"));
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            let body = &line[indent..];
            if let Some(ticks) = &fence {
                if body == ticks {
                    fence = None;
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            while items.last().is_some_and(|&col| indent < col) {
                items.pop();
            }
            let base = items.last().copied().unwrap_or(0);
            if indent >= base + 4 {
                return Err(format!("indented code block: {line:?}"));
            }
            if line.starts_with('\t') {
                return Err(format!("tab indentation: {line:?}"));
            }
            let mut body = body;
            loop {
                let marker = if body.starts_with("- ") {
                    2
                } else {
                    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
                    if digits > 0 && body[digits..].starts_with(". ") {
                        digits + 2
                    } else {
                        0
                    }
                };
                if marker == 0 {
                    break;
                }
                let col = line.len() - body.len() + marker;
                items.push(col);
                body = &body[marker..];
            }
            if body.starts_with("```") {
                let ticks: String = body.chars().take_while(|&c| c == '`').collect();
                if &body[ticks.len()..] != "text" {
                    return Err(format!("fence without `text`: {line:?}"));
                }
                fence = Some(ticks);
                continue;
            }
            check_inline(body, &mut link_open).map_err(|e| format!("{e}: {line:?}"))?;
        }
        if fence.is_some() {
            return Err("unclosed fence".into());
        }
        if link_open {
            return Err("unclosed link".into());
        }
        Ok(())
    }

    fn check_inline(line: &str, link_open: &mut bool) -> Result<(), String> {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'`' => {
                    let n = b[i..].iter().take_while(|&&c| c == b'`').count();
                    let mut j = i + n;
                    let mut closed = None;
                    while j < b.len() {
                        if b[j] == b'`' {
                            let m = b[j..].iter().take_while(|&&c| c == b'`').count();
                            if m == n {
                                closed = Some(j + m);
                                break;
                            }
                            j += m;
                        } else {
                            j += 1;
                        }
                    }
                    i = closed.ok_or("stray backtick")?;
                }
                b'<' => {
                    let rest = &line[i..];
                    if !(rest.starts_with("<http://")
                        || rest.starts_with("<https://")
                        || rest.starts_with("<mailto:"))
                    {
                        return Err("raw `<`".into());
                    }
                    let end = rest.find('>').ok_or("unclosed autolink")?;
                    if rest[..end].contains(char::is_whitespace) {
                        return Err("space in autolink".into());
                    }
                    i += end + 1;
                }
                b'>' => return Err("raw `>`".into()),
                b'[' => {
                    if *link_open {
                        return Err("nested `[`".into());
                    }
                    *link_open = true;
                    i += 1;
                }
                b']' => {
                    if !*link_open {
                        return Err("unescaped `]`".into());
                    }
                    let rest = &line[i..];
                    if !(rest.starts_with("](http://")
                        || rest.starts_with("](https://")
                        || rest.starts_with("](mailto:"))
                    {
                        return Err("`[` that is not a link".into());
                    }
                    let end = rest.find(')').ok_or("unclosed link destination")?;
                    if rest[..end].contains(char::is_whitespace) {
                        return Err("space in link destination".into());
                    }
                    *link_open = false;
                    i += end + 1;
                }
                _ => i += 1,
            }
        }
        Ok(())
    }

    /// Every `documentation` string of a botocore `service-2.json` model.
    pub(super) fn model_docs(model: &serde_json::Value) -> Vec<String> {
        let mut docs = Vec::new();
        let mut push = |v: &serde_json::Value| {
            if let Some(d) = v.get("documentation").and_then(|d| d.as_str()) {
                docs.push(d.to_string());
            }
        };
        push(model);
        for section in ["operations", "shapes"] {
            if let Some(map) = model.get(section).and_then(|m| m.as_object()) {
                for item in map.values() {
                    push(item);
                    if let Some(members) = item.get("members").and_then(|m| m.as_object()) {
                        members.values().for_each(&mut push);
                    }
                }
            }
        }
        docs
    }

    fn check_all(docs: impl IntoIterator<Item = (String, String)>) -> usize {
        let mut count = 0;
        let mut failures = Vec::new();
        for (origin, doc) in docs {
            count += 1;
            let md = to_markdown(&doc);
            if let Err(e) = check_invariants(&md)
                && failures.len() < 20
            {
                failures.push(format!("{origin}: {e}\n  html: {doc:?}\n  md:   {md:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        count
    }

    /// The repository's models: `$CARGO_MANIFEST_DIR/../models`, or `$AWSGEN_MODELS_DIR`.
    fn models_dir() -> std::path::PathBuf {
        let candidates = [
            Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")),
            std::env::var_os("AWSGEN_MODELS_DIR").map(std::path::PathBuf::from),
        ];
        candidates
            .into_iter()
            .flatten()
            .find(|p| p.is_dir())
            .expect("models directory not found: expected ../models next to the crate, or set AWSGEN_MODELS_DIR")
    }

    #[test]
    fn all_model_docs_are_safe() {
        let dir = models_dir();
        let mut docs = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for service in entries {
            let path = service.join("service-2.json");
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let model: serde_json::Value = serde_json::from_str(&text).unwrap();
            let name = service
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            docs.extend(model_docs(&model).into_iter().map(|d| (name.clone(), d)));
        }
        let count = check_all(docs);
        assert!(count > 0, "no documentation found under {}", dir.display());
    }

    /// Wider sample: every model of an installed botocore (`.../site-packages/botocore/data`,
    /// gzipped `*/*/service-2.json.gz`). Run with
    /// `AWSGEN_BOTOCORE_DATA=... cargo test -- --ignored botocore`.
    #[test]
    #[ignore = "needs AWSGEN_BOTOCORE_DATA pointing at botocore's data directory"]
    fn botocore_docs_are_safe() {
        use std::io::Read;
        let dir = std::path::PathBuf::from(
            std::env::var_os("AWSGEN_BOTOCORE_DATA").expect("AWSGEN_BOTOCORE_DATA not set"),
        );
        let mut files = Vec::new();
        for service in std::fs::read_dir(&dir).unwrap().flatten() {
            for version in std::fs::read_dir(service.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = version.path().join("service-2.json.gz");
                if path.is_file() {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut docs = Vec::new();
        for path in &files {
            let mut text = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
                .read_to_string(&mut text)
                .unwrap();
            let model: serde_json::Value = serde_json::from_str(&text).unwrap();
            let name = path.display().to_string();
            docs.extend(model_docs(&model).into_iter().map(|d| (name.clone(), d)));
        }
        let count = check_all(docs);
        assert!(count > 0, "no documentation found under {}", dir.display());
    }
}
