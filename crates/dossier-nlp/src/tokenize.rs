//! English tokenizer following the UD English EWT conventions.
//!
//! [`tokenize`] returns *syntactic words* as byte ranges into the original
//! text. Clitics are split the EWT way ("don't" -> "do" + "n't", "can't" ->
//! "ca" + "n't", "Prigozhin's" -> "Prigozhin" + "'s", "Belarus’" ->
//! "Belarus" + "’", "cannot" -> "can" + "not", "gonna" -> "gon" + "na"); a piece split
//! off the previous word has [`Token::fused`] set, because EWT writes such a
//! word pair as one *surface token* (a CoNLL-U multiword token).
//! [`surface_tokens`] regroups them.
//!
//! Other EWT conventions: abbreviations keep their periods ("U.S.", "Sept.",
//! "e.g.", initials "R."); numbers keep their separators ("16,000", "3.5",
//! "7:30", "11/28/2000", phone numbers "713-853-3989"); URLs, e-mail
//! addresses, @handles, #hashtags and emoticons stay whole; hyphens are split
//! ("search - engine", "1969 - 1970") except after bound prefixes ("e-mail",
//! "anti-aircraft", "non-Arab", "co-workers"); "$" is split from the number
//! and unit letters from the number ("$" "2" "bn", "7:30" "PM"); runs of one
//! punctuation character are one token ("...", "--", "!!!", "''").
//! Any Unicode white space (including NBSP, U+2000..U+200A, U+3000) and the
//! invisible U+200B, U+2060, U+FEFF separate tokens.
//!
//! Speed: one left-to-right pass over the bytes, no allocation per token.
//! Measured 12-21 million chars/s on the ~1 MB raw text of EWT train
//! (release build, one core of a busy shared 2-core machine:
//! `cargo run --release -p dossier-nlp --example eval_segmentation -- --bench
//! en_ewt-ud-train.conllu`); [`crate::split_sentences`], which runs the
//! tokenizer, 12-16 million chars/s.
//!
//! Measured on EWT test (CoNLL 2018 scorer metrics, see [`crate::eval`]):
//! tokens F1 0.9935, words F1 0.9913.

use std::ops::Range;

/// What a token is; a cheap hint for later stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word (letters, possibly with digits, internal apostrophes or bound-prefix hyphens).
    Word,
    /// A number: digits with optional `,` `.` `:` `/` separators, phone numbers.
    Number,
    /// A word ending in a period that belongs to it: "U.S.", "Dr.", "Sept.", "R.".
    Abbreviation,
    /// A clitic split off the previous word: "n't", "'s", "'ll", "’", "na" of "gonna".
    Clitic,
    /// Punctuation: `. , ; : ! ? ' " ( ) [ ] { } - – — …` and quote marks, or a run of one of them.
    Punct,
    /// Any other symbol: `$ % & + = < > * # @ ~ ^ |`, emoji, currency signs.
    Symbol,
    /// A URL (`http://...`, `www....`, `mailto:...`).
    Url,
    /// An e-mail address (or a Lotus-style `Name@ORG` address).
    Email,
    /// A social media handle: `@user`.
    Handle,
    /// A hashtag: `#tag`.
    Hashtag,
    /// An emoticon: `:)`, `:-(`, `;P`, `<3`, `^_^`.
    Emoticon,
}

/// One token: a byte range `[start, end)` of the text plus a kind.
///
/// The span always slices the original text at char boundaries; tokens of one
/// call are ordered, non-empty and never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What the token is.
    pub kind: TokenKind,
    /// True when this token was split off the previous one without a gap
    /// and both form one surface token (EWT multiword token), e.g. "n't" of
    /// "don't", "'s" of "Prigozhin's".
    pub fused: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// A normalised form, without allocation: clitics get their standard
    /// spelling ("n’t", "nt" -> "n't"; "’s" -> "'s"; "’" -> "'"), curly
    /// double quotes become `"`, curly single quotes `'`, "…" becomes
    /// "...". Everything else is returned as written.
    pub fn norm<'t>(&self, text: &'t str) -> &'t str {
        let s = self.text(text);
        match self.kind {
            TokenKind::Clitic => {
                let lower_is = |w: &str| s.eq_ignore_ascii_case(w);
                if lower_is("n't") || lower_is("n’t") || lower_is("nt") || lower_is("n`t") {
                    "n't"
                } else if lower_is("’s") || lower_is("`s") {
                    "'s"
                } else if lower_is("’m") {
                    "'m"
                } else if lower_is("’d") {
                    "'d"
                } else if lower_is("’ll") {
                    "'ll"
                } else if lower_is("’re") {
                    "'re"
                } else if lower_is("’ve") {
                    "'ve"
                } else if s == "’" || s == "`" {
                    "'"
                } else {
                    s
                }
            }
            TokenKind::Punct => match s {
                "“" | "”" | "„" | "«" | "»" | "``" | "''" => "\"",
                "‘" | "’" | "‚" => "'",
                "…" => "...",
                _ => s,
            },
            _ => s,
        }
    }
}

/// Surface tokens (what a CoNLL-U file lists as tokens, with multiword
/// tokens as one unit): the byte ranges of maximal runs of [`Token::fused`]
/// pieces.
pub fn surface_tokens(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(tokens.len());
    for t in tokens {
        match out.last_mut() {
            Some(last) if t.fused => last.end = t.end,
            _ => out.push(t.start..t.end),
        }
    }
    out
}

/// Splits `text[range]` into tokens; offsets are into `text`.
///
/// Panics if `range` is out of bounds or not on char boundaries.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    assert!(
        range.start <= range.end && text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "tokenize: range {range:?} is not a valid char range of a text of {} bytes",
        text.len()
    );
    let mut t = Tokenizer { text, b: text.as_bytes(), out: Vec::with_capacity(range.len() / 5 + 4), open_single: false };
    let mut p = range.start;
    let end = range.end;
    while p < end {
        let (c, n) = t.ch(p);
        if is_space(c) {
            if c == '\n' {
                // Quotes do not span lines in practice: forget an unclosed one.
                t.open_single = false;
            }
            p += n;
            continue;
        }
        let ce = t.chunk_end(p, end);
        t.chunk(p, ce);
        p = ce;
    }
    split_final_abbreviation_periods(text, t.out)
}

/// EWT writes the period of an abbreviation that ends a sentence as a token
/// of its own ("in the U.S." + "He" -> "U.S" "." "He").
fn split_final_abbreviation_periods(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let ends = |i: usize| {
        let t = &tokens[i];
        t.kind == TokenKind::Abbreviation
            && t.end - t.start > 1
            && !matches!(tokens.get(i + 1), Some(n) if n.start == t.end)
            && crate::sentences::abbreviation_ends_sentence(text, &tokens, i, i + 1)
    };
    let n_split = (0..tokens.len()).filter(|&i| ends(i)).count();
    if n_split == 0 {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len() + n_split);
    for (i, t) in tokens.iter().enumerate() {
        if ends(i) {
            out.push(Token { end: t.end - 1, ..*t });
            out.push(Token { start: t.end - 1, end: t.end, kind: TokenKind::Punct, fused: false });
        } else {
            out.push(*t);
        }
    }
    out
}

/// Whether `c` separates tokens: Unicode white space plus invisible
/// zero-width spaces and the BOM.
#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Letters, digits, combining marks, soft hyphen, joiners: things a word is made of.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric()
            || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
            || matches!(c, '\u{00AD}' | '\u{200C}' | '\u{200D}')
    }
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`')
}

/// Punctuation characters whose runs make one token ("...", "--", "!!!").
#[inline]
fn is_runnable(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '-' | '*' | '=' | '+' | '~' | '_' | '#' | '<' | '>' | '/' | '\\' | '|' | '^' | '"' | '\'' | '`'
            | '–' | '—' | '―' | '‒' | '•' | '·' | '…' | '$' | '’' | '‘' | '(' | ')'
    )
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '`' | '(' | ')' | '[' | ']' | '{' | '}' | '-' | '/' | '\\'
            | '–' | '—' | '―' | '‒' | '‐' | '‑' | '…' | '“' | '”' | '‘' | '’' | '„' | '‚' | '«' | '»' | '‹' | '›'
            | '¿' | '¡' | '·' | '•'
    )
}

/// Prefixes that EWT keeps attached with their hyphen ("e-mail", "non-Arab").
const BOUND_PREFIXES: &[&str] = &[
    "e", "non", "anti", "pre", "re", "mid", "post", "over", "co", "pro", "multi", "ex", "semi", "sub", "cross", "neo",
    "counter", "psycho", "socio", "arch", "intra", "inter", "micro", "macro", "un", "mis", "ultra", "mega", "bi", "tri",
    "extra", "hyper", "pseudo", "quasi", "trans", "geo", "bio", "eco", "euro", "de", "dis", "meta", "infra",
];

/// Units split from a preceding number ("7:30PM" -> "7:30" "PM", "$2bn" -> "$" "2" "bn").
const UNITS: &[&str] = &[
    "am", "pm", "k", "m", "mm", "cm", "km", "kg", "mg", "g", "lb", "lbs", "oz", "ft", "mph", "kph", "kmh", "mhz", "ghz",
    "gb", "mb", "kb", "tb", "bn", "mn", "mln", "tr", "hrs", "hr", "yrs", "yr", "min", "mins", "sec", "secs", "ml",
    "l", "kw", "mw", "gw", "kwh", "mwh", "usd", "eur", "x",
];

/// Words that keep their final period (case-sensitive; a capitalised form of a
/// lower-case entry is accepted too).
const ABBREVIATIONS: &[&str] = &[
    // titles
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr",
    "Cdr", "Adm", "Sgt", "Cpl", "Pvt", "Brig", "Sen", "Rep", "Reps", "Gov", "Pres", "Rev", "Hon", "Supt", "Insp", "Det",
    "Amb", "Atty", "Mme", "Mlle", "Fr",
    // months and days
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed",
    "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
    // organisations and places
    "Inc", "Corp", "Co", "Ltd", "Bros", "Assn", "Dept", "Univ", "Ave", "Blvd", "Rd", "Hwy", "Gov't", "Ariz", "Calif",
    "Colo", "Conn", "Fla", "Ga", "Kan", "Kans", "Ky", "Md", "Mich", "Minn", "Mont", "Neb", "Nev", "Okla", "Tenn",
    "Tex", "Va", "Vt", "Wis", "Wyo", "Ala", "Ark", "Penn",
    // lower case
    "etc", "vs", "al", "approx", "est", "fig", "vol", "pp", "ed", "eds", "cf", "ca", "lb", "lbs", "oz", "ft", "hrs",
    "mins", "yrs", "ph", "attn", "conf", "spec", "tel", "ext", "dept", "misc", "ref", "ibid",
];

/// "No." and "Nos." are abbreviations only before a number.
const ABBREVIATIONS_BEFORE_NUMBER: &[&str] = &["No", "no", "Nos", "nos", "Art", "art", "Vol", "vol", "p", "pp"];

/// Top-level domains that keep "name.tld" whole.
const TLDS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "mil", "int", "io", "co", "uk", "us", "ca", "de", "fr", "ru", "ua", "by", "info",
    "biz", "tv",
];

/// File extensions that keep "name.ext" (and ".ext") whole.
const FILE_EXTENSIONS: &[&str] = &[
    "doc", "docx", "xls", "xlsx", "pdf", "ppt", "pptx", "txt", "htm", "html", "jpg", "jpeg", "gif", "png", "mp3", "mp4",
    "zip", "exe", "csv", "xml", "php", "asp", "aspx", "jsp", "url",
];

fn is_extension(w: &str) -> bool {
    in_list_ci(TLDS, w) || in_list_ci(FILE_EXTENSIONS, w)
}

/// Contractions written without an apostrophe: (word, byte length of the first piece).
const BARE_CONTRACTIONS: &[(&str, usize)] = &[
    ("dont", 2), ("didnt", 3), ("doesnt", 4), ("cant", 2), ("wont", 2), ("couldnt", 5), ("wouldnt", 5),
    ("shouldnt", 6), ("isnt", 2), ("wasnt", 3), ("arent", 3), ("werent", 4), ("havent", 4), ("hasnt", 3),
    ("hadnt", 3), ("aint", 2), ("cannot", 3), ("im", 1), ("ive", 1), ("gonna", 3), ("wanna", 3), ("gotta", 3),
    ("outta", 3), ("thats", 4), ("whats", 4), ("theres", 5), ("heres", 4), ("youre", 3), ("theyre", 4), ("itll", 2),
    ("youll", 3), ("sorta", 4),
];

/// Emoticons kept whole (ASCII).
const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-O", ":-o", ";-)", ";-P", ":'(", ":)", ":(", ":D", ":P", ":p", ":/",
    ":O", ":o", ";)", ";P", ";p", ":|", "=)", "=(", "<3", "^_^", "^^", ":]", ":[", "XD", "xD", "<->", "->", "<-",
    "=>", "<=",
];

fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

fn in_list_ci(list: &[&str], w: &str) -> bool {
    w.len() <= 8 && list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Whether `w` (without its period) is a known abbreviation.
pub(crate) fn is_known_abbreviation(w: &str) -> bool {
    if in_list(ABBREVIATIONS, w) {
        return true;
    }
    // "Etc.", "Vs." at the start of a sentence.
    let mut cs = w.chars();
    match cs.next() {
        Some(f) if f.is_ascii_uppercase() && w.len() <= 8 => {
            ABBREVIATIONS.iter().any(|a| a.len() == w.len() && a.as_bytes()[0] == f.to_ascii_lowercase() as u8 && a[1..] == w[1..])
        }
        _ => false,
    }
}

struct Tokenizer<'t> {
    text: &'t str,
    b: &'t [u8],
    out: Vec<Token>,
    /// An opening single quote was seen and not yet closed: a trailing
    /// apostrophe after an s-word is then a closing quote, not a possessive.
    open_single: bool,
}

impl<'t> Tokenizer<'t> {
    /// Char at byte `p` and its length.
    #[inline]
    fn ch(&self, p: usize) -> (char, usize) {
        let b = self.b[p];
        if b < 0x80 {
            (b as char, 1)
        } else {
            let c = self.text[p..].chars().next().unwrap();
            (c, c.len_utf8())
        }
    }

    /// Char at byte `p` if `p < end`.
    #[inline]
    fn ch_at(&self, p: usize, end: usize) -> Option<char> {
        if p < end {
            Some(self.ch(p).0)
        } else {
            None
        }
    }

    /// Char ending at byte `p` (the one before it).
    fn ch_before(&self, p: usize) -> Option<char> {
        self.text[..p].chars().next_back()
    }

    fn chunk_end(&self, mut p: usize, end: usize) -> usize {
        while p < end {
            let b = self.b[p];
            if b < 0x80 {
                if b.is_ascii_whitespace() || b == 0x0B {
                    return p;
                }
                p += 1;
            } else {
                let (c, n) = self.ch(p);
                if is_space(c) {
                    return p;
                }
                p += n;
            }
        }
        end
    }

    fn push(&mut self, start: usize, end: usize, kind: TokenKind, fused: bool) {
        debug_assert!(start < end);
        self.out.push(Token { start, end, kind, fused });
    }

    /// Tokenizes one white-space-free chunk `[s, e)`.
    fn chunk(&mut self, s: usize, e: usize) {
        let bytes = &self.b[s..e];
        let has_at = bytes.contains(&b'@');
        let has_url = bytes.len() > 4 && (contains(bytes, b"://") || contains_ci(bytes, b"www.") || contains_ci(bytes, b"mailto:"));
        let mut p = s;
        while p < e {
            if has_url {
                if let Some(q) = self.url(p, e) {
                    self.push(p, q, TokenKind::Url, false);
                    p = q;
                    continue;
                }
            }
            if has_at {
                if let Some(q) = self.email(p, e) {
                    self.push(p, q, TokenKind::Email, false);
                    p = q;
                    continue;
                }
            }
            let (c, n) = self.ch(p);
            if is_word_char(c) {
                p = self.word(p, e);
                continue;
            }
            if let Some(q) = self.emoticon(p, e) {
                self.push(p, q, TokenKind::Emoticon, false);
                p = q;
                continue;
            }
            let next = self.ch_at(p + n, e);
            // #hashtag, @handle
            if (c == '#' || c == '@') && next.is_some_and(|x| x.is_alphabetic() || (c == '@' && x == '_')) {
                let mut q = self.run_while(p + n, e, is_word_char);
                // "@paulhastings.com"
                if c == '@' && q + 1 < e && self.b[q] == b'.' {
                    let le = self.run_while(q + 1, e, |c| c.is_ascii_alphanumeric());
                    if in_list_ci(TLDS, &self.text[q + 1..le]) && !self.ch_at(le, e).is_some_and(is_word_char) {
                        q = le;
                    }
                }
                let kind = if c == '#' { TokenKind::Hashtag } else { TokenKind::Handle };
                self.push(p, q, kind, false);
                p = q;
                continue;
            }
            // +44 (phone country codes, signed numbers) at the start of a chunk
            if c == '+' && p == s && next.is_some_and(|x| x.is_ascii_digit()) {
                let q = self.number_end(p + 1, e);
                if !self.ch_at(q, e).is_some_and(is_word_char) {
                    self.push(p, q, TokenKind::Number, false);
                    p = q;
                    continue;
                }
            }
            // .doc, .pdf
            if c == '.' && next.is_some_and(|x| x.is_ascii_alphabetic()) && (p == s || !self.ch_before(p).is_some_and(is_word_char)) {
                let le = self.run_while(p + 1, e, |c| c.is_ascii_alphanumeric());
                if in_list_ci(FILE_EXTENSIONS, &self.text[p + 1..le]) && !self.ch_at(le, e).is_some_and(is_word_char) {
                    self.push(p, le, TokenKind::Word, false);
                    p = le;
                    continue;
                }
            }
            // '90s, ’72
            if is_apostrophe(c) && next.is_some_and(|x| x.is_ascii_digit()) {
                let q = self.run_while(p + n, e, is_word_char);
                if q - (p + n) <= 4 {
                    self.push(p, q, TokenKind::Word, false);
                    p = q;
                    continue;
                }
            }
            // Possessive apostrophe after an s-word: "Belarus’", "Chris'".
            if (c == '\'' || c == '’') && !next.is_some_and(is_word_char) {
                if let Some(last) = self.out.last() {
                    let prev_is_s = last.end == p
                        && matches!(last.kind, TokenKind::Word)
                        && matches!(self.b[p - 1], b's' | b'S')
                        && last.end - last.start > 1;
                    if prev_is_s && !self.open_single {
                        self.push(p, p + n, TokenKind::Clitic, true);
                        p += n;
                        continue;
                    }
                }
            }
            // Punctuation or symbol, runs of one char grouped.
            let mut q = p + n;
            if c == '‘' && next == Some('’') {
                q += '’'.len_utf8();
            } else if matches!(c, '.' | '?' | '!') {
                // "...", "?!?!", ".?": one token
                while q < e && matches!(self.b[q], b'.' | b'?' | b'!') {
                    q += 1;
                }
            } else if is_runnable(c) {
                while q < e {
                    let (d, m) = self.ch(q);
                    if d != c {
                        break;
                    }
                    q += m;
                }
            } else if !c.is_ascii() && !is_punct(c) {
                // Emoji sequences: variation selectors, skin tones, ZWJ joins, keycaps.
                q = self.emoji_tail(q, e);
            }
            if c == '\'' || c == '‘' {
                let after_word = self.out.last().is_some_and(|t| t.end == p && matches!(t.kind, TokenKind::Word | TokenKind::Number));
                if q - p == n && !after_word && self.ch_at(q, e).is_some_and(is_word_char) {
                    self.open_single = true;
                } else if after_word {
                    self.open_single = false;
                }
            }
            let kind = if is_punct(c) { TokenKind::Punct } else { TokenKind::Symbol };
            self.push(p, q, kind, false);
            p = q;
        }
    }

    fn emoji_tail(&self, mut q: usize, e: usize) -> usize {
        while q < e {
            let (d, m) = self.ch(q);
            let u = d as u32;
            if matches!(u, 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F) {
                q += m;
            } else if d == '\u{200D}' && q + m < e {
                let (f, k) = self.ch(q + m);
                if is_space(f) || is_word_char(f) && f.is_ascii() {
                    break;
                }
                q += m + k;
            } else if (0x1F1E6..=0x1F1FF).contains(&u) && q > 0 {
                // Regional indicator pairs (flags).
                q += m;
            } else {
                break;
            }
        }
        q
    }

    fn run_while(&self, mut q: usize, e: usize, f: impl Fn(char) -> bool) -> usize {
        while q < e {
            let (c, n) = self.ch(q);
            if !f(c) {
                break;
            }
            q += n;
        }
        q
    }

    fn emoticon(&self, p: usize, e: usize) -> Option<usize> {
        let b = self.b[p];
        if !matches!(b, b':' | b';' | b'=' | b'<' | b'^' | b'X' | b'x' | b'-') {
            return None;
        }
        let rest = &self.b[p..e];
        for emo in EMOTICONS {
            let eb = emo.as_bytes();
            if rest.starts_with(eb) {
                let q = p + eb.len();
                // Must not run into a word: ":Download", "XDR", "=)x".
                if self.ch_at(q, e).is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                if (b == b'X' || b == b'x') && p > 0 && self.ch_before(p).is_some_and(is_word_char) {
                    continue;
                }
                return Some(q);
            }
        }
        None
    }

    fn url(&self, p: usize, e: usize) -> Option<usize> {
        let rest = &self.b[p..e];
        let starts = [&b"http://"[..], b"https://", b"ftp://", b"www.", b"mailto:", b"file://"];
        if !starts.iter().any(|s| rest.len() > s.len() && rest[..s.len()].eq_ignore_ascii_case(s)) {
            return None;
        }
        Some(self.trim_url_tail(p, e))
    }

    /// Drops trailing punctuation that belongs to the sentence, not to the URL/address.
    fn trim_url_tail(&self, p: usize, mut q: usize) -> usize {
        while let Some(c) = self.ch_before(q) {
            if q <= p + 1 {
                break;
            }
            let drop = match c {
                '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '”' | '’' | '>' | '»' | '*' => true,
                ')' => count(&self.b[p..q], b'(') < count(&self.b[p..q], b')'),
                ']' => count(&self.b[p..q], b'[') < count(&self.b[p..q], b']'),
                _ => !c.is_ascii() && !c.is_alphanumeric(),
            };
            if !drop {
                break;
            }
            q -= c.len_utf8();
        }
        q
    }

    fn email(&self, p: usize, e: usize) -> Option<usize> {
        let local_ok = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut q = p;
        if !self.b[p].is_ascii_alphanumeric() {
            return None;
        }
        while q < e && local_ok(self.b[q]) {
            q += 1;
        }
        if q >= e || self.b[q] != b'@' {
            return None;
        }
        q += 1;
        let d = q;
        while q < e && (self.b[q].is_ascii_alphanumeric() || matches!(self.b[q], b'.' | b'-' | b'_')) {
            q += 1;
        }
        while q > d && matches!(self.b[q - 1], b'.' | b'-' | b'_') {
            q -= 1;
        }
        if q == d || !self.b[d].is_ascii_alphanumeric() {
            return None;
        }
        Some(q)
    }

    /// Dotted abbreviation at `p`: `([A-Za-z]{1,2}\.){2,}` ("U.S.", "e.g.", "Ph.D.", "a.m.").
    fn dotted_abbreviation(&self, p: usize, e: usize) -> Option<usize> {
        let b = self.b;
        let mut q = p;
        let mut groups = 0;
        loop {
            let g = q;
            while q < e && q - g < 3 && b[q].is_ascii_alphabetic() {
                q += 1;
            }
            let len = q - g;
            if len == 0 || len > 2 || q >= e || b[q] != b'.' {
                q = g;
                break;
            }
            q += 1;
            groups += 1;
        }
        if groups >= 2 && !self.ch_at(q, e).is_some_and(is_word_char) {
            return Some(q);
        }
        // "a.k.a", "U.K", "p.m": single letters, the last without its period.
        if groups >= 1 && q < e && b[q].is_ascii_alphabetic() && !self.ch_at(q + 1, e).is_some_and(is_word_char) {
            let single_letters = (p..q).step_by(2).all(|k| b[k].is_ascii_alphabetic() && b[k + 1] == b'.');
            if single_letters && (q - p) & 1 == 0 {
                return Some(q + 1);
            }
        }
        None
    }

    /// A dotted name starting at `p`: at least two internal dots between
    /// ASCII alphanumeric parts, all lower case or ending in a top-level
    /// domain ("alt.animals.cat", "mail.Example.com"). Returns its end.
    fn dotted_name(&self, p: usize, e: usize) -> Option<usize> {
        let b = self.b;
        let mut q = p;
        let mut dots = 0;
        let mut all_lower = true;
        let mut last_part;
        loop {
            let s = q;
            while q < e && (b[q].is_ascii_alphanumeric() || b[q] == b'-' && q > s) {
                all_lower &= !b[q].is_ascii_uppercase();
                q += 1;
            }
            if q == s {
                return None;
            }
            last_part = s;
            if q + 1 < e && b[q] == b'.' && b[q + 1].is_ascii_alphanumeric() {
                dots += 1;
                q += 1;
            } else {
                break;
            }
        }
        if dots < 2 || self.ch_at(q, e).is_some_and(is_word_char) {
            return None;
        }
        if all_lower || is_extension(&self.text[last_part..q]) {
            Some(q)
        } else {
            None
        }
    }

    /// Number at `p` (an ASCII digit): digits with `,ddd`, `.d`, `:d`, `/d`
    /// groups, or a phone number.
    fn number_end(&self, p: usize, e: usize) -> usize {
        let b = self.b;
        let digits = |mut q: usize| {
            while q < e && b[q].is_ascii_digit() {
                q += 1;
            }
            q
        };
        let mut q = digits(p);
        // Phone numbers: 713-853-3989, 853-3989, 1-800-991-9019, 77415-0027.
        if q < e && b[q] == b'-' {
            let mut lens = vec![q - p];
            let mut r = q;
            while r < e && b[r] == b'-' && r + 1 < e && b[r + 1].is_ascii_digit() {
                let t = digits(r + 1);
                lens.push(t - r - 1);
                r = t;
            }
            let ok = matches!(lens.as_slice(), [3, 3, 4] | [3, 4] | [1, 3, 3, 4] | [5, 4] | [1, 4]);
            if ok && !self.ch_at(r, e).is_some_and(is_word_char) {
                return r;
            }
        }
        let mut n_slash = 0;
        let mut last_slash = 0;
        loop {
            if q + 1 >= e {
                break;
            }
            match b[q] {
                b'/' if b[q + 1].is_ascii_digit() => {
                    n_slash += 1;
                    last_slash = q;
                    q = digits(q + 1);
                }
                b',' if q + 4 <= e && b[q + 1..q + 4].iter().all(u8::is_ascii_digit) && (q + 4 == e || !b[q + 4].is_ascii_digit()) => {
                    q += 4;
                }
                b'.' | b':' if b[q + 1].is_ascii_digit() => {
                    q = digits(q + 1);
                }
                _ => break,
            }
        }
        if n_slash == 1 {
            // 713/853-6197: area code and phone number
            if q - p == 7 && last_slash == p + 3 && q + 5 <= e && b[q] == b'-' && b[q + 1..q + 5].iter().all(u8::is_ascii_digit) && (q + 5 == e || !b[q + 5].is_ascii_digit()) {
                return q + 5;
            }
            // "9/11", "5/18" (month/day) stay whole; "3/4", "20/20", "2001/02" are split.
            let num = |r: Range<usize>| self.text[r].parse::<u32>().unwrap_or(u32::MAX);
            let (m, d) = (num(p..last_slash), num(last_slash + 1..q));
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) || last_slash - p > 2 || q - last_slash - 1 > 2 {
                return last_slash;
            }
        }
        q
    }

    /// Scans a word (or number) starting at a word char `p`; pushes its
    /// tokens; returns where scanning stopped.
    fn word(&mut self, p: usize, e: usize) -> usize {
        let b = self.b;
        if b[p].is_ascii_digit() {
            let q = self.number_end(p, e);
            let Some(c) = self.ch_at(q, e) else {
                self.push(p, q, TokenKind::Number, false);
                return q;
            };
            if c.is_alphabetic() {
                let le = self.run_while(q, e, |c| c.is_alphanumeric());
                let suffix = &self.text[q..le];
                let after = self.ch_at(le, e);
                if in_list_ci(UNITS, suffix) && !after.is_some_and(is_word_char) {
                    self.push(p, q, TokenKind::Number, false);
                    self.push(q, le, TokenKind::Word, false);
                    return le;
                }
                // "1990s", "3rd", "4G", "ld2d": one word; fall through to word scanning from `p`.
            } else if c == '.' && self.ch_at(q + 1, e).is_some_and(|x| x.is_ascii_alphabetic()) {
                // 20.doc
                let le = self.run_while(q + 1, e, |c| c.is_ascii_alphanumeric());
                if in_list_ci(FILE_EXTENSIONS, &self.text[q + 1..le]) && !self.ch_at(le, e).is_some_and(is_word_char) {
                    self.push(p, le, TokenKind::Word, false);
                    return le;
                }
                self.push(p, q, TokenKind::Number, false);
                return q;
            } else if !(is_apostrophe(c) || c == '_') {
                self.push(p, q, TokenKind::Number, false);
                return q;
            }
        } else if b[p].is_ascii_alphabetic() && p + 1 < e && (b[p + 1] == b'.' || b.get(p + 2) == Some(&b'.')) {
            if let Some(q) = self.dotted_abbreviation(p, e) {
                self.push(p, q, TokenKind::Abbreviation, false);
                return q;
            }
        }
        let mut q = p;
        let mut seg = p;
        loop {
            q = self.run_while(q, e, is_word_char);
            if q >= e {
                break;
            }
            let (c, n) = self.ch(q);
            let next = self.ch_at(q + n, e);
            match c {
                '\'' | '’' | '`' if next.is_some_and(|x| x.is_alphabetic()) => {
                    q += n;
                }
                '-' if next.is_some_and(is_word_char) && in_list_ci(BOUND_PREFIXES, &self.text[seg..q]) => {
                    q += 1;
                    seg = q;
                }
                '&' if next.is_some_and(|x| x.is_ascii_uppercase())
                    && self.b[q - 1].is_ascii_uppercase()
                    && self.b[seg..q].iter().all(|x| x.is_ascii_uppercase()) =>
                {
                    q += 1;
                }
                '/' if q - seg == 1
                    && matches!(self.b[seg], b'w' | b'W')
                    && (!next.is_some_and(is_word_char)
                        || (next == Some('o') && !self.ch_at(q + 2, e).is_some_and(is_word_char))) =>
                {
                    // "w/" (with), "w/o"
                    q += 1;
                    if next == Some('o') {
                        q += 1;
                    }
                    break;
                }
                '!' if &self.text[p..q] == "Yahoo" => {
                    q += 1;
                    break;
                }
                '/' if q - seg == 1
                    && self.b[seg].is_ascii_alphabetic()
                    && next.is_some_and(|x| x.is_ascii_alphabetic())
                    && !self.ch_at(q + 2, e).is_some_and(is_word_char) =>
                {
                    // "b/c", "w/o", "l/c"
                    q += 2;
                    break;
                }
                '.' => {
                    let w = &self.text[p..q];
                    let after = self.ch_at(q + 1, e);
                    if after.is_some_and(|x| x.is_alphanumeric()) {
                        // Dotted names: alt.animals.cat, irc.example.net
                        if let Some(le) = self.dotted_name(seg, e) {
                            q = le;
                            seg = q;
                            continue;
                        }
                        // name.ext, domain.tld
                        let le = self.run_while(q + 1, e, |c| c.is_ascii_alphanumeric());
                        if is_extension(&self.text[q + 1..le]) && !self.ch_at(le, e).is_some_and(is_word_char) {
                            q = le;
                            seg = q;
                            continue;
                        }
                        break;
                    }
                    if after.is_some_and(is_word_char) || after == Some('.') {
                        break;
                    }
                    let is_initial = w.len() == 1 && w != "I" && b[p].is_ascii_uppercase();
                    if is_initial || is_known_abbreviation(w) {
                        q += 1;
                        self.push(p, q, TokenKind::Abbreviation, false);
                        return q;
                    }
                    if in_list(ABBREVIATIONS_BEFORE_NUMBER, w) && self.next_nonspace_is_digit(q + 1) {
                        q += 1;
                        self.push(p, q, TokenKind::Abbreviation, false);
                        return q;
                    }
                    break;
                }
                _ => break,
            }
        }
        self.emit_word(p, q);
        q
    }

    fn next_nonspace_is_digit(&self, mut q: usize) -> bool {
        while q < self.b.len() {
            let (c, n) = self.ch(q);
            if !is_space(c) {
                return c.is_ascii_digit();
            }
            q += n;
        }
        false
    }

    /// Pushes word `[p, q)`, splitting clitics off its end.
    fn emit_word(&mut self, p: usize, q: usize) {
        let w = &self.text[p..q];
        // Bare contractions: "dont", "cannot", "gonna".
        if w.len() <= 8 && w.bytes().all(|c| c.is_ascii_alphabetic()) {
            for (form, cut) in BARE_CONTRACTIONS {
                if form.eq_ignore_ascii_case(w) {
                    self.push(p, p + cut, TokenKind::Word, false);
                    self.push(p + cut, q, TokenKind::Clitic, true);
                    return;
                }
            }
        }
        let mut cuts = [0usize; 4];
        let mut n_cuts = 0;
        let mut end = q;
        while n_cuts < cuts.len() {
            match clitic_suffix_len(&self.text[p..end]) {
                Some(k) => {
                    end -= k;
                    cuts[n_cuts] = end;
                    n_cuts += 1;
                }
                None => break,
            }
        }
        let kind = if w.as_bytes()[0].is_ascii_digit() && w.bytes().all(|c| c.is_ascii_digit()) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        self.push(p, end, kind, false);
        let mut s = end;
        for i in (0..n_cuts).rev() {
            let e = if i == 0 { q } else { cuts[i - 1] };
            self.push(s, e, TokenKind::Clitic, true);
            s = e;
        }
    }
}

/// Byte length of a clitic at the end of `w` ("n't", "'s", "’ll", ...), if
/// there is one and something is left before it.
fn clitic_suffix_len(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    for apo in [&b"'"[..], "’".as_bytes(), b"`"] {
        // n't
        let k = 2 + apo.len();
        if b.len() > k {
            let s = &b[b.len() - k..];
            if s[0].eq_ignore_ascii_case(&b'n')
                && &s[1..1 + apo.len()] == apo
                && s[k - 1].eq_ignore_ascii_case(&b't')
                && b[b.len() - k - 1].is_ascii_alphabetic()
            {
                return Some(k);
            }
        }
        // 's 'm 'd 'll 're 've
        for tail in [&b"s"[..], b"m", b"d", b"ll", b"re", b"ve"] {
            let k = apo.len() + tail.len();
            if b.len() > k {
                let s = &b[b.len() - k..];
                if &s[..apo.len()] == apo && s[apo.len()..].eq_ignore_ascii_case(tail) {
                    // The byte before is the end of a char; check that char.
                    let before = w[..w.len() - k].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric()) {
                        return Some(k);
                    }
                }
            }
        }
    }
    None
}

fn contains(h: &[u8], n: &[u8]) -> bool {
    h.windows(n.len()).any(|w| w == n)
}

fn contains_ci(h: &[u8], n: &[u8]) -> bool {
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

fn count(h: &[u8], c: u8) -> usize {
    h.iter().filter(|&&x| x == c).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokenizes `text` and compares the token texts (fused pieces joined by
    /// `+`, e.g. "do+n't"); also asserts that every span slices the original
    /// text and the tokens are ordered and disjoint.
    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let tokens = tokenize(text, 0..text.len());
        assert_invariants(text, 0..text.len(), &tokens);
        let mut got: Vec<String> = Vec::new();
        for t in &tokens {
            let s = &text[t.start..t.end];
            match got.last_mut() {
                Some(last) if t.fused => {
                    last.push('+');
                    last.push_str(s);
                }
                _ => got.push(s.to_string()),
            }
        }
        assert_eq!(got, expected, "\ntext: {text:?}");
    }

    #[track_caller]
    pub(crate) fn assert_invariants(text: &str, range: Range<usize>, tokens: &[Token]) {
        let mut prev = range.start;
        for t in tokens {
            assert!(t.start < t.end, "empty token {t:?}");
            assert!(t.start >= prev, "overlap or disorder at {t:?}");
            assert!(t.end <= range.end, "token past range {t:?}");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "not on char boundary: {t:?}");
            let s = &text[t.start..t.end];
            assert!(!s.chars().any(is_space), "token contains space: {s:?}");
            if t.fused {
                assert_eq!(t.start, prev, "fused token must touch the previous one: {t:?}");
            }
            prev = t.end;
        }
    }

    #[test]
    fn clitics() {
        check("I don't know", &["I", "do+n't", "know"]);
        check("can't won't ain't", &["ca+n't", "wo+n't", "ai+n't"]);
        check("it's Prigozhin's", &["it+'s", "Prigozhin+'s"]);
        check("I'm we'll they've he'd you're", &["I+'m", "we+'ll", "they+'ve", "he+'d", "you+'re"]);
        check("don’t it’s Putin’s", &["do+n’t", "it+’s", "Putin+’s"]);
        check("Belarus’ army", &["Belarus+’", "army"]);
        check("the Jones' house", &["the", "Jones+'", "house"]);
        check("wouldn't've", &["would+n't+'ve"]);
        check("cannot dont gonna", &["can+not", "do+nt", "gon+na"]);
        check("O'Brien's rock", &["O'Brien+'s", "rock"]);
    }

    #[test]
    fn clitic_pieces_and_norm() {
        let text = "don’t";
        let t = tokenize(text, 0..text.len());
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].kind, t[1].kind, t[1].fused), (TokenKind::Word, TokenKind::Clitic, true));
        assert_eq!(t[1].norm(text), "n't");
        assert_eq!(surface_tokens(&t), vec![0..text.len()]);
        let text = "“Hi”…";
        let t = tokenize(text, 0..text.len());
        let norms: Vec<_> = t.iter().map(|t| t.norm(text)).collect();
        assert_eq!(norms, ["\"", "Hi", "\"", "..."]);
    }

    #[test]
    fn quotes_are_tokens() {
        check("'degenerate art'", &["'", "degenerate", "art", "'"]);
        check("He said “no” and \"yes\".", &["He", "said", "“", "no", "”", "and", "\"", "yes", "\"", "."]);
        check("‘’Should we?", &["‘’", "Should", "we", "?"]);
    }

    #[test]
    fn abbreviations() {
        check("the U.S. and U.K. e.g. a.m. on", &["the", "U.S.", "and", "U.K.", "e.g.", "a.m.", "on"]);
        check("on Feb. 3 Dr. Smith, Mr. Jones", &["on", "Feb.", "3", "Dr.", "Smith", ",", "Mr.", "Jones"]);
        check("Sept. 17, 2018.", &["Sept.", "17", ",", "2018", "."]);
        check("R. Politik", &["R.", "Politik"]);
        check("J. R. R. Tolkien", &["J.", "R.", "R.", "Tolkien"]);
        check("Acme Inc. said", &["Acme", "Inc.", "said"]);
        check("and so on, etc. and", &["and", "so", "on", ",", "etc.", "and"]);
        check("No. 5 but no.", &["No.", "5", "but", "no", "."]);
    }

    #[test]
    fn sentence_final_abbreviation_loses_its_period() {
        // EWT: the period that ends the sentence is a token of its own.
        check("in the U.S. He said", &["in", "the", "U.S", ".", "He", "said"]);
        check("U.S. documents", &["U.S.", "documents"]);
        check("at the end, etc.", &["at", "the", "end", ",", "etc", "."]);
    }

    #[test]
    fn numbers() {
        check("16,000 people 3.5 pct", &["16,000", "people", "3.5", "pct"]);
        check("$2bn and $16,000.", &["$", "2", "bn", "and", "$", "16,000", "."]);
        check("at 7:30PM on 11/28/2000", &["at", "7:30", "PM", "on", "11/28/2000"]);
        check("9/11 and 20/20", &["9/11", "and", "20", "/", "20"]);
        check("call 713-853-3989 or +44 20", &["call", "713-853-3989", "or", "+44", "20"]);
        check("the 1990s, 3rd", &["the", "1990s", ",", "3rd"]);
        check("50%", &["50", "%"]);
        check("1969-1970", &["1969", "-", "1970"]);
    }

    #[test]
    fn web_things() {
        check("see https://example.com/a?b=c.", &["see", "https://example.com/a?b=c", "."]);
        check("(www.bbc.co.uk)", &["(", "www.bbc.co.uk", ")"]);
        check("mail jo.doe@example.org, now", &["mail", "jo.doe@example.org", ",", "now"]);
        check("@bellingcat #Wagner rocks", &["@bellingcat", "#Wagner", "rocks"]);
        check("great :) really :-(", &["great", ":)", "really", ":-("]);
        check("file.doc and google.com", &["file.doc", "and", "google.com"]);
    }

    #[test]
    fn hyphens_and_dashes() {
        check("anti-aircraft search-engine", &["anti-aircraft", "search", "-", "engine"]);
        check("e-mail non-Arab co-workers", &["e-mail", "non-Arab", "co-workers"]);
        check("Wagner—the group – said", &["Wagner", "—", "the", "group", "–", "said"]);
        check("wait -- what", &["wait", "--", "what"]);
    }

    #[test]
    fn punctuation_runs() {
        check("What?! Wait... no…", &["What", "?!", "Wait", "...", "no", "…"]);
        check("(EFE).-", &["(", "EFE", ")", ".", "-"]);
        check("and/or", &["and", "/", "or"]);
    }

    #[test]
    fn whitespace_and_unicode() {
        check("a\u{00A0}b\u{2009}c\u{3000}d\u{200B}e", &["a", "b", "c", "d", "e"]);
        check("line one\r\nline two\r\n", &["line", "one", "line", "two"]);
        check("Zürich’s café, Київ і Мінськ", &["Zürich+’s", "café", ",", "Київ", "і", "Мінськ"]);
        check("naïve e\u{301}te", &["naïve", "e\u{301}te"]);
        check("great👍🏽 news 👨‍👩‍👧!", &["great", "👍🏽", "news", "👨‍👩‍👧", "!"]);
        check("", &[]);
        check("   \n\t ", &[]);
    }

    #[test]
    fn subrange_offsets_are_into_the_whole_text() {
        let text = "Skip this. Tokenize don't that.";
        let start = text.find("Tokenize").unwrap();
        let tokens = tokenize(text, start..text.len());
        assert_invariants(text, start..text.len(), &tokens);
        let got: Vec<_> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(got, ["Tokenize", "do", "n't", "that", "."]);
    }

    /// Random strings over a nasty alphabet never panic and give well-formed tokens.
    #[test]
    fn fuzz_never_panics() {
        let alphabet: Vec<char> = "aZ09 .,'’`\"“”-–—/@#:;()[]$%&+!?…\u{A0}\u{200B}\n\r\té😀\u{301}\u{200D}\u{FE0F}_*=<>^~|\\"
            .chars()
            .collect();
        let words = ["U.S.", "don't", "http://x.y/", "a@b.c", "3.5", "Mr.", "etc.", "713-853-3989", "9/11", ":)", "w/", "e-mail"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (rnd() % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                if rnd() % 6 == 0 {
                    s.push_str(words[(rnd() % words.len() as u64) as usize]);
                } else {
                    s.push(alphabet[(rnd() % alphabet.len() as u64) as usize]);
                }
            }
            let tokens = tokenize(&s, 0..s.len());
            assert_invariants(&s, 0..s.len(), &tokens);
            // Nothing but white space is left out.
            let covered: usize = tokens.iter().map(|t| t.end - t.start).sum();
            let spaces: usize = s.chars().filter(|&c| is_space(c)).map(char::len_utf8).sum();
            assert_eq!(covered + spaces, s.len(), "{s:?}");
            let sentences = crate::split_sentences(&s, 0..s.len());
            let mut prev = 0;
            for r in &sentences {
                assert!(r.start < r.end && r.start >= prev, "{s:?}: {sentences:?}");
                assert_eq!(s[r.clone()].trim(), &s[r.clone()]);
                prev = r.end;
            }
        }
    }
}
