//! A small, forgiving HTML tokenizer: tags, text and entities, in one linear pass.
//!
//! It follows the WHATWG tokenizer where that matters for extracting text (tag and
//! attribute syntax, comments, raw-text elements, character references) and
//! simplifies the rest (no script-escape states, no CDATA, no parse errors).
//! Every step moves forward through the input, and the work per byte is bounded, so
//! a page is tokenized in linear time whatever it contains. Only the attributes the
//! extractor reads are kept ([`Attr`]); the others are skipped without being copied.

use std::borrow::Cow;

/// The attributes the extractor reads; every other attribute is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    Class,
    Id,
    Role,
    Style,
    Hidden,
    AriaHidden,
    Itemprop,
    Content,
    Property,
    Name,
    Datetime,
    Href,
    Rel,
    Lang,
    Type,
    Pubdate,
    HttpEquiv,
}

impl Attr {
    fn from_name(name: &[u8]) -> Option<Attr> {
        // Names arrive lowercased.
        Some(match name {
            b"class" => Attr::Class,
            b"id" => Attr::Id,
            b"role" => Attr::Role,
            b"style" => Attr::Style,
            b"hidden" => Attr::Hidden,
            b"aria-hidden" => Attr::AriaHidden,
            b"itemprop" => Attr::Itemprop,
            b"content" => Attr::Content,
            b"property" => Attr::Property,
            b"name" => Attr::Name,
            b"datetime" => Attr::Datetime,
            b"href" => Attr::Href,
            b"rel" => Attr::Rel,
            b"lang" => Attr::Lang,
            b"type" => Attr::Type,
            b"pubdate" => Attr::Pubdate,
            b"http-equiv" => Attr::HttpEquiv,
            _ => return None,
        })
    }
}

/// One token. Tag names are ASCII-lowercased; text has its character references decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A run of text (never empty).
    Text(Cow<'a, str>),
    /// `<name attr=value ...>`.
    Start { name: Cow<'a, str>, attrs: Vec<(Attr, String)>, self_closing: bool },
    /// `</name>`.
    End { name: Cow<'a, str> },
}

/// How the text after a start tag is read, as the tree builder decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// Ordinary markup.
    Data,
    /// Text up to the matching end tag, no references (`script`, `style`...).
    RawText,
    /// Text up to the matching end tag, references decoded (`title`, `textarea`).
    RcData,
    /// All the rest of the input is text (`plaintext`).
    PlainText,
}

/// Splits HTML into [`Token`]s. Call [`Tokenizer::set_mode`] right after a start tag
/// to read the element's content as raw text.
pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    mode: TextMode,
    /// The element whose end tag ends raw text (lowercase).
    raw_end: String,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(src: &'a str) -> Tokenizer<'a> {
        // A byte-order mark is not text.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Tokenizer { src, pos, mode: TextMode::Data, raw_end: String::new() }
    }

    /// Reads what follows the start tag just returned, named `name`, in `mode`.
    pub(crate) fn set_mode(&mut self, mode: TextMode, name: &str) {
        self.mode = mode;
        self.raw_end.clear();
        self.raw_end.push_str(name);
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// The next token, or `None` at the end of the input.
    pub(crate) fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            if self.pos >= self.src.len() {
                return None;
            }
            let token = match self.mode {
                TextMode::Data => self.data(),
                TextMode::RawText => self.raw(false),
                TextMode::RcData => self.raw(true),
                TextMode::PlainText => {
                    let text = &self.src[self.pos..];
                    self.pos = self.src.len();
                    Some(Token::Text(Cow::Borrowed(text)))
                }
            };
            if token.is_some() {
                return token;
            }
        }
    }

    /// Data state: text up to a tag, or one tag/comment. `None` means "skipped
    /// something (a comment), call again".
    fn data(&mut self) -> Option<Token<'a>> {
        let b = self.bytes();
        let start = self.pos;
        if b[start] != b'<' {
            let end = b[start..].iter().position(|&c| c == b'<').map_or(b.len(), |i| start + i);
            self.pos = end;
            return Some(Token::Text(decode_refs(&self.src[start..end], false)));
        }
        // b[start] == '<'
        let next = b.get(start + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => self.tag(start + 1, false),
            Some(b'/') => match b.get(start + 2).copied() {
                Some(c) if c.is_ascii_alphabetic() => self.tag(start + 2, true),
                Some(b'>') => {
                    self.pos = start + 3;
                    None
                }
                None => {
                    self.pos = b.len();
                    Some(Token::Text(Cow::Borrowed(&self.src[start..])))
                }
                Some(_) => {
                    self.bogus_comment(start + 2);
                    None
                }
            },
            Some(b'!') => {
                if b[start..].starts_with(b"<!--") {
                    let body = start + 4;
                    // `<!-->` and `<!--->` are (empty) comments.
                    if b[body..].starts_with(b">") {
                        self.pos = body + 1;
                    } else if b[body..].starts_with(b"->") {
                        self.pos = body + 2;
                    } else {
                        self.pos = find(b, body, b"-->").map_or(b.len(), |i| i + 3);
                    }
                } else {
                    self.bogus_comment(start + 2);
                }
                None
            }
            Some(b'?') => {
                self.bogus_comment(start + 1);
                None
            }
            _ => {
                // A lone '<' is text.
                self.pos = start + 1;
                Some(Token::Text(Cow::Borrowed("<")))
            }
        }
    }

    fn bogus_comment(&mut self, from: usize) {
        let b = self.bytes();
        self.pos = b[from..].iter().position(|&c| c == b'>').map_or(b.len(), |i| from + i + 1);
    }

    /// A tag whose name starts at `name_start`. At the end of the input inside a
    /// tag, the tag is dropped (as the spec says).
    fn tag(&mut self, name_start: usize, is_end: bool) -> Option<Token<'a>> {
        let b = self.bytes();
        let mut i = name_start;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = lower(&self.src[name_start..i]);
        let mut attrs: Vec<(Attr, String)> = Vec::new();
        let mut self_closing = false;
        loop {
            // Before an attribute name.
            while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
                self_closing = b[i] == b'/';
                i += 1;
            }
            if i >= b.len() {
                self.pos = b.len();
                return None;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            self_closing = false;
            // Attribute name; a leading '=' belongs to the name.
            let name_start = i;
            i += 1;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let attr_name = &b[name_start..i];
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let mut value: Option<(usize, usize)> = None;
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                if i >= b.len() {
                    self.pos = b.len();
                    return None;
                }
                match b[i] {
                    q @ (b'"' | b'\'') => {
                        let vstart = i + 1;
                        match b[vstart..].iter().position(|&c| c == q) {
                            Some(n) => {
                                value = Some((vstart, vstart + n));
                                i = vstart + n + 1;
                            }
                            None => {
                                self.pos = b.len();
                                return None;
                            }
                        }
                    }
                    b'>' => {}
                    _ => {
                        let vstart = i;
                        while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                        value = Some((vstart, i));
                    }
                }
            }
            if is_end || attrs.len() >= 32 {
                continue;
            }
            let lowered = attr_name.to_ascii_lowercase();
            if let Some(attr) = Attr::from_name(&lowered) {
                if attrs.iter().all(|(a, _)| *a != attr) {
                    let v = value.map_or(Cow::Borrowed(""), |(s, e)| decode_refs(&self.src[s..e], true));
                    attrs.push((attr, v.into_owned()));
                }
            }
        }
        self.pos = i;
        Some(if is_end { Token::End { name } } else { Token::Start { name, attrs, self_closing } })
    }

    /// Raw text or RCDATA: everything up to `</name` followed by a tag-name end.
    fn raw(&mut self, refs: bool) -> Option<Token<'a>> {
        let b = self.bytes();
        let start = self.pos;
        let name = self.raw_end.as_bytes();
        let mut i = start;
        let end = loop {
            match find(b, i, b"</") {
                None => break b.len(),
                Some(lt) => {
                    let n_end = lt + 2 + name.len();
                    if n_end <= b.len()
                        && b[lt + 2..n_end].eq_ignore_ascii_case(name)
                        && b.get(n_end).is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
                    {
                        break lt;
                    }
                    i = lt + 2;
                }
            }
        };
        self.mode = TextMode::Data;
        self.pos = end;
        if end == start {
            return None;
        }
        let text = &self.src[start..end];
        Some(Token::Text(if refs { decode_refs(text, false) } else { Cow::Borrowed(text) }))
    }
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// First index `>= from` where `needle` starts.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let off = hay[i..hay.len() + 1 - needle.len()].iter().position(|&c| c == first)?;
        i += off;
        if &hay[i..i + needle.len()] == needle {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Decodes character references (`&amp;`, `&#233;`, `&#x1F600;`, legacy `&copy`).
/// In attribute values a reference without `;` followed by `=` or an alphanumeric
/// is left alone, as browsers do.
pub(crate) fn decode_refs(s: &str, in_attr: bool) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'&') {
        let amp = i + off;
        match decode_one(s, amp + 1, in_attr) {
            Some((chars, next)) => {
                out.push_str(&s[last..amp]);
                for c in chars.into_iter().flatten() {
                    out.push(c);
                }
                last = next;
                i = next;
            }
            None => i = amp + 1,
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Decodes the reference whose body starts at `at` (just after `&`): the chars and
/// the index after the reference, or `None` if it is not one.
fn decode_one(s: &str, at: usize, in_attr: bool) -> Option<([Option<char>; 2], usize)> {
    let b = s.as_bytes();
    if b.get(at) == Some(&b'#') {
        let (hex, digits_at) = match b.get(at + 1) {
            Some(b'x' | b'X') => (true, at + 2),
            _ => (false, at + 1),
        };
        let mut i = digits_at;
        let mut value: u32 = 0;
        while i < b.len() {
            let d = match (b[i] as char).to_digit(if hex { 16 } else { 10 }) {
                Some(d) => d,
                None => break,
            };
            value = value.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d);
            i += 1;
        }
        if i == digits_at {
            return None;
        }
        if b.get(i) == Some(&b';') {
            i += 1;
        }
        return Some(([Some(numeric_char(value)), None], i));
    }
    // Named: the longest name in the table that the input starts with.
    let mut n = 0;
    while at + n < b.len() && n < 40 && b[at + n].is_ascii_alphanumeric() {
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let with_semi = b.get(at + n) == Some(&b';');
    let max = if with_semi { n + 1 } else { n };
    for len in (1..=max).rev() {
        let key = &s[at..at + len];
        if let Some(&(c1, c2)) = web_atoms::NAMED_ENTITIES.get(key) {
            if c1 == 0 {
                continue;
            }
            let next = at + len;
            if !key.ends_with(';') && in_attr {
                if let Some(&c) = b.get(next) {
                    if c == b'=' || c.is_ascii_alphanumeric() {
                        return None;
                    }
                }
            }
            let second = if c2 == 0 { None } else { char::from_u32(c2) };
            return Some(([char::from_u32(c1), second], next));
        }
    }
    None
}

fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{fffd}',
        0x80..=0x9f => web_atoms::C1_REPLACEMENTS[(value - 0x80) as usize].unwrap_or('\u{fffd}'),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<Token<'_>> {
        let mut t = Tokenizer::new(html);
        let mut out = Vec::new();
        while let Some(tok) = t.next_token() {
            if let Token::Start { name, .. } = &tok {
                if name == "script" {
                    t.set_mode(TextMode::RawText, "script");
                }
            }
            out.push(tok);
        }
        out
    }

    #[test]
    fn references() {
        assert_eq!(
            decode_refs("a &amp; b &lt;&gt; &#233;&#xE9; &copy2024 &notit; &bogus;", false),
            "a & b <> éé ©2024 ¬it; &bogus;"
        );
        assert_eq!(decode_refs("?a=1&copy=2&amp;x", true), "?a=1&copy=2&x");
        assert_eq!(decode_refs("&#0; &#x110000; &#128; &#99999999999999999;", false), "\u{fffd} \u{fffd} € \u{fffd}");
        assert_eq!(decode_refs("& &# &#x; &", false), "& &# &#x; &");
    }

    #[test]
    fn tags_attributes_comments() {
        let t = tokens(
            "<P CLASS='a b' id=x data-big=\"<>\" hidden>Hi<!-- <p>no --><br/></p><script>if (a</b) {}</script>x<",
        );
        assert_eq!(
            t,
            vec![
                Token::Start {
                    name: "p".into(),
                    attrs: vec![(Attr::Class, "a b".into()), (Attr::Id, "x".into()), (Attr::Hidden, String::new())],
                    self_closing: false
                },
                Token::Text("Hi".into()),
                Token::Start { name: "br".into(), attrs: vec![], self_closing: true },
                Token::End { name: "p".into() },
                Token::Start { name: "script".into(), attrs: vec![], self_closing: false },
                Token::Text("if (a</b) {}".into()),
                Token::End { name: "script".into() },
                Token::Text("x".into()),
                Token::Text("<".into()),
            ]
        );
    }

    #[test]
    fn unterminated_constructs() {
        assert_eq!(tokens("a<div class=\"x"), vec![Token::Text("a".into())]);
        assert_eq!(tokens("a<!-- b"), vec![Token::Text("a".into())]);
        assert_eq!(tokens("a</"), vec![Token::Text("a".into()), Token::Text("</".into())]);
        assert_eq!(
            tokens("<script>never closed"),
            vec![
                Token::Start { name: "script".into(), attrs: vec![], self_closing: false },
                Token::Text("never closed".into()),
            ]
        );
    }
}
