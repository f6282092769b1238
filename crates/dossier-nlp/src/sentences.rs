//! Sentence splitter over the tokens of [`crate::tokenize()`].
//!
//! Decisions are made at the gaps between tokens, in this order:
//!
//! 1. A blank line (two or more newlines with only white space between) is
//!    always a break.
//! 2. A single newline is a break, unless the block of lines it sits in looks
//!    *hard-wrapped* (several lines of similar length near a fixed width,
//!    most ending mid-sentence), in which case it counts as a space. So a
//!    headline line, a dateline, a signature line or a one-paragraph-per-line
//!    article all break at line ends, while text wrapped at 72 or 80 columns
//!    does not.
//! 3. Otherwise a break follows sentence-final punctuation (`.`, `!`, `?`,
//!    `...`, `…`, or a run of them), together with the closing quotes and
//!    brackets attached to it ('said." He' breaks after the quote), when the
//!    next token can start a sentence. Abbreviations decide by class: titles
//!    ("Mr.", "Gen.") and initials ("R. Politik", "J. R. R. Tolkien") never
//!    end a sentence before a capitalised word; "U.S.", "Inc.", "Sept.",
//!    "a.m." end one only before a typical sentence opener ("The", "He",
//!    "But", ...); "etc." before any capitalised word. Decimal numbers never
//!    reach this stage: the tokenizer keeps "3.5" whole.
//!
//! Speed: the tokenizer dominates; 12-16 million chars/s on 1 MB of text
//! (see [`mod@crate::tokenize`]). Sentences F1 on EWT test: 0.850 with one line
//! per paragraph, 0.848 with the shared task's 80-column wrapping; most
//! misses are e-mail headers and signatures ("Kay Mann 04/26/2001 07:17 AM")
//! and headings without final punctuation that EWT keeps in one paragraph
//! with the following sentence.

use crate::tokenize::{tokenize, Token, TokenKind};
use std::ops::Range;

/// Splits `text[range]` into sentences, returned as byte ranges into `text`,
/// trimmed of surrounding whitespace, in order, never empty.
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let tokens = tokenize(text, range);
    sentence_token_ranges(text, &tokens)
        .into_iter()
        .map(|r| tokens[r.start].start..tokens[r.end - 1].end)
        .collect()
}

/// Groups `tokens` (of `text`, as returned by [`tokenize`]) into sentences:
/// ranges of token indices, in order, never empty, covering all tokens.
///
/// Use this when the tokens are needed as well, to tokenize only once.
pub fn sentence_token_ranges(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let n = tokens.len();
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let gaps: Vec<Gap> = (1..n).map(|i| gap_kind(&text[tokens[i - 1].end..tokens[i].start])).collect();
    // gap_after[i]: gap between token i and i + 1, with wrapped newlines demoted to spaces.
    let gap_after = demote_wrapped_newlines(text, tokens, gaps);
    let mut start = 0;
    let mut i = 0;
    while i < n {
        if i + 1 == n {
            break;
        }
        if gap_after[i] != Gap::Space {
            out.push(start..i + 1);
            start = i + 1;
            i += 1;
            continue;
        }
        if i == start {
            if let Some(j) = dateline_end(text, tokens, &gap_after, i) {
                out.push(start..j + 1);
                start = j + 1;
                i = j + 1;
                continue;
            }
            if is_terminal_punct(tokens[i].text(text)) && tokens[i].kind == TokenKind::Punct {
                // "...Now comes the fun part": a leading ellipsis ends nothing.
                i += 1;
                continue;
            }
        }
        if matches!(tokens[i].kind, TokenKind::Url | TokenKind::Emoticon) && soft_break_after(text, tokens, i) {
            out.push(start..i + 1);
            start = i + 1;
            i += 1;
            continue;
        }
        if let Some(j) = terminal_end(text, tokens, &gap_after, i) {
            // j: last token of the terminal group (punctuation and closers).
            if j + 1 < n && gap_after[j] != Gap::Space {
                i = j; // let the line break end it
                continue;
            }
            if j + 1 == n {
                break;
            }
            if breaks_before(text, tokens, i, j + 1) {
                out.push(start..j + 1);
                start = j + 1;
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out.push(start..n);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Spaces or nothing.
    Space,
    /// One line break.
    Newline,
    /// A blank line (or a paragraph separator).
    Blank,
}

pub(crate) fn gap_kind(g: &str) -> Gap {
    if g.is_empty() {
        return Gap::Space;
    }
    let mut nl = 0;
    let b = g.as_bytes();
    for (k, &c) in b.iter().enumerate() {
        match c {
            b'\n' => nl += 1,
            b'\r' if b.get(k + 1) != Some(&b'\n') => nl += 1,
            _ => {}
        }
    }
    if nl == 0 && !g.is_ascii() {
        if g.contains('\u{2029}') {
            return Gap::Blank;
        }
        if g.contains('\u{2028}') || g.contains('\u{85}') {
            nl = 1;
        }
    }
    match nl {
        0 => Gap::Space,
        1 => Gap::Newline,
        _ => Gap::Blank,
    }
}

/// Turns single newlines inside hard-wrapped blocks into spaces.
fn demote_wrapped_newlines(text: &str, tokens: &[Token], mut gaps: Vec<Gap>) -> Vec<Gap> {
    // Blocks: token runs between blank gaps; lines: runs between newline gaps.
    let n = tokens.len();
    let mut block_start = 0;
    let mut lines: Vec<(usize, usize)> = Vec::new(); // token index ranges [a, b]
    let mut line_start = 0;
    for i in 0..n {
        let g = if i + 1 < n { gaps[i] } else { Gap::Blank };
        if g == Gap::Space {
            continue;
        }
        lines.push((line_start, i));
        line_start = i + 1;
        if g == Gap::Blank {
            if lines.len() >= 2 && looks_wrapped(text, tokens, &lines) {
                for &(_, b) in &lines[..lines.len() - 1] {
                    gaps[b] = Gap::Space;
                }
            }
            lines.clear();
            block_start = i + 1;
        }
    }
    let _ = block_start;
    gaps
}

/// A block is hard-wrapped when its lines but the last are long, of similar
/// width, and mostly do not end in sentence-final punctuation.
fn looks_wrapped(text: &str, tokens: &[Token], lines: &[(usize, usize)]) -> bool {
    let body = &lines[..lines.len() - 1];
    let mut max = 0;
    let mut sum = 0;
    let mut open_end = 0;
    for &(a, b) in body {
        let len = text[tokens[a].start..tokens[b].end].chars().count();
        max = max.max(len);
        sum += len;
        if !is_final_punct(tokens[b].text(text)) {
            open_end += 1;
        }
    }
    let mean = sum / body.len();
    mean >= 50 && max <= 110 && max - mean <= 40 && open_end * 2 >= body.len()
}

fn is_final_punct(s: &str) -> bool {
    matches!(s.as_bytes().last(), Some(b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b':')) || s.ends_with('”') || s.ends_with('…')
}

/// Whether token `i` is sentence-final punctuation; if so the index of the
/// last token of the group (more terminal punctuation, attached closing
/// quotes and brackets).
fn terminal_end(text: &str, tokens: &[Token], gap_after: &[Gap], i: usize) -> Option<usize> {
    let t = &tokens[i];
    let s = t.text(text);
    let terminal = match t.kind {
        TokenKind::Punct => is_terminal_punct(s),
        TokenKind::Abbreviation => s.ends_with('.'),
        _ => false,
    };
    if !terminal {
        return None;
    }
    let mut j = i;
    while j + 1 < tokens.len() && gap_after[j] == Gap::Space {
        let nx = &tokens[j + 1];
        let ns = nx.text(text);
        let attached = nx.start == tokens[j].end;
        let more_terminal = nx.kind == TokenKind::Punct && is_terminal_punct(ns);
        let closer = matches!(ns, ")" | "]" | "}" | "”" | "’" | "»" | "''" | "’’")
            || (attached && matches!(ns, "\"" | "'" | "`"))
            || (ns == "\"" && !next_is_attached_word(tokens, j + 1));
        if more_terminal || closer {
            j += 1;
        } else {
            break;
        }
    }
    Some(j)
}

fn next_is_attached_word(tokens: &[Token], k: usize) -> bool {
    tokens.get(k + 1).is_some_and(|t| t.start == tokens[k].end)
}

fn is_terminal_punct(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇'))
}

/// Titles before names: never end a sentence before a capitalised word.
const TITLES: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Messrs.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Cdr.", "Adm.",
    "Sgt.", "Cpl.", "Pvt.", "Brig.", "Sen.", "Rep.", "Reps.", "Gov.", "Pres.", "Rev.", "Hon.", "Supt.", "Insp.", "Det.",
    "Amb.", "Atty.", "St.", "Mt.", "Ft.", "Mme.", "Mlle.", "Fr.", "No.", "Nos.", "vs.", "Vs.", "v.", "cf.", "e.g.",
    "i.e.", "E.g.", "I.e.", "ca.", "approx.", "Art.", "Vol.", "pp.", "p.", "Ph.", "Tel.", "tel.", "Fig.", "fig.",
];

/// Words that typically open a sentence; after "U.S." or "Inc." they signal a break.
const OPENERS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "But", "And", "Or", "So", "Yet", "In", "On", "At",
    "This", "That", "These", "Those", "There", "Here", "His", "Her", "Its", "Their", "Our", "My", "Your", "As", "If",
    "When", "While", "After", "Before", "However", "Meanwhile", "Also", "Still", "Some", "Many", "Most", "What", "Who",
    "Why", "How", "Where", "Which", "Not", "According", "Earlier", "Later", "Last", "Next", "Now", "Then", "For",
    "From", "With", "By", "To", "Under", "Since", "Although", "Though", "Because", "Despite", "Instead", "Both",
    "Each", "Such", "Several", "All", "Others", "Asked", "Thus", "Indeed", "Nevertheless", "Moreover", "Furthermore",
    "Finally", "First", "Second", "Third", "Please", "Thanks", "Thank", "Do", "Does", "Did", "Is", "Are", "Was",
    "Were", "Can", "Could", "Will", "Would", "Should", "May", "Might", "Let", "Let's", "Our", "Officials", "Police",
    "One", "Two", "Three", "Another", "Every", "No", "Yes", "Only", "Even", "Just", "Today", "Yesterday", "Tomorrow",
];

/// Whether a sentence ends between the terminal group ending at `k - 1` (whose
/// first token is `i`) and token `k`.
fn breaks_before(text: &str, tokens: &[Token], i: usize, k: usize) -> bool {
    let term = &tokens[i];
    if term.kind == TokenKind::Abbreviation {
        return abbreviation_ends_sentence(text, tokens, i, k);
    }
    let ts = term.text(text);
    // The word that would start the next sentence, skipping opening quotes/brackets.
    let w = skip_openers(text, tokens, k);
    let Some(next) = tokens.get(w) else { return true };
    let ns = next.text(text);
    let upper = ns.chars().next().is_some_and(char::is_uppercase);
    let ellipsis = ts.starts_with("..") || ts.starts_with('…');
    let lower = ns.chars().next().is_some_and(char::is_lowercase);
    if lower && k > i + 1 && tokens[k - 1].kind == TokenKind::Punct && is_quote(tokens[k - 1].text(text)) {
        // a big "Welcome!" to Darin
        return false;
    }
    if ellipsis {
        // "it was fun... and then" continues; "It was fun... Then" does not.
        return upper || w > k;
    }
    // After a full stop, ! or ?, even a lower-case word starts a new
    // sentence: abbreviations never get here, and in EWT web text a
    // lower-case word after "." starts a sentence 213 times out of 224.
    !ns.starts_with([',', ';', ':', ')', ']', '}'])
}

fn skip_openers(text: &str, tokens: &[Token], mut w: usize) -> usize {
    while w < tokens.len() && tokens[w].kind == TokenKind::Punct && is_opener(tokens[w].text(text)) {
        w += 1;
    }
    w
}

/// Whether the abbreviation `tokens[i]` (say "U.S.") ends its sentence, the
/// next sentence starting at token `k` (after `i` and any closing quotes).
///
/// The tokenizer asks this too: EWT then writes the period as a token of
/// its own ("U.S" "."), since it ends the sentence.
pub(crate) fn abbreviation_ends_sentence(text: &str, tokens: &[Token], i: usize, k: usize) -> bool {
    let ts = tokens[i].text(text);
    let w = skip_openers(text, tokens, k);
    let Some(next) = tokens.get(w) else { return true };
    let gap = gap_kind(&text[tokens[k - 1].end..tokens[k].start]);
    let is_title = TITLES.contains(&ts);
    if gap == Gap::Blank || (gap == Gap::Newline && !is_title) {
        return true;
    }
    let ns = next.text(text);
    let first = ns.chars().next().unwrap_or(' ');
    if first.is_lowercase() || first.is_ascii_digit() || is_title {
        return false;
    }
    if ns.starts_with([',', ';', ':', ')', ']', '}', '-']) {
        return false;
    }
    let upper = first.is_uppercase();
    if ts.eq_ignore_ascii_case("etc.") || ts == "al." {
        return upper || !first.is_alphanumeric();
    }
    let opener = next.kind == TokenKind::Word && OPENERS.contains(&ns) || w > k;
    let is_initial = ts.len() == 2 && ts.as_bytes()[0].is_ascii_uppercase();
    if is_initial {
        return opener && ns != "A" && ns != "I";
    }
    opener
}

fn is_opener(s: &str) -> bool {
    matches!(s, "\"" | "“" | "‘" | "'" | "(" | "[" | "{" | "«" | "``" | "`")
}

/// After a URL or an emoticon a new sentence starts when the next token is
/// another URL or a capitalised word ("... at http://x.org The ...").
fn soft_break_after(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(next) = tokens.get(i + 1) else { return false };
    if next.start == tokens[i].end {
        return false;
    }
    next.kind == TokenKind::Url
        || (next.kind == TokenKind::Word && next.text(text).chars().next().is_some_and(char::is_uppercase))
}

fn is_quote(s: &str) -> bool {
    matches!(s, "\"" | "”" | "’" | "'" | "''" | "’’" | "»")
}

/// A news dateline at the start of a sentence: capitalised place words, an
/// optional state or country, an optional "(AGENCY)", then a dash:
/// "TEHRAN (AFP) -", "WASHINGTON (CNN) --", "PONCHATOULA, La. --",
/// "KYIV, Ukraine —". Returns the index of the dash.
fn dateline_end(text: &str, tokens: &[Token], gaps: &[Gap], i: usize) -> Option<usize> {
    let is_caps = |t: &Token| {
        let s = t.text(text);
        t.kind == TokenKind::Word && s.chars().count() >= 2 && s.chars().all(|c| c.is_uppercase() || c == '-' || c == '\'')
    };
    let mut j = i;
    let n = tokens.len();
    let mut n_caps = 0;
    while j < n && is_caps(&tokens[j]) && n_caps < 4 {
        n_caps += 1;
        j += 1;
    }
    if n_caps == 0 {
        return None;
    }
    // ", Ukraine" / ", La." (up to 3 words)
    if j < n && tokens[j].text(text) == "," {
        j += 1;
        let mut k = 0;
        while j < n
            && k < 3
            && (matches!(tokens[j].kind, TokenKind::Word | TokenKind::Abbreviation) && tokens[j].text(text).starts_with(char::is_uppercase)
                || tokens[j].kind == TokenKind::Number)
        {
            j += 1;
            k += 1;
        }
        if j < n && tokens[j].text(text) == "." && tokens[j].start == tokens[j - 1].end {
            j += 1;
        }
        if k == 0 {
            return None;
        }
    }
    // "(AFP)", "(Reuters)"
    if j + 2 < n && tokens[j].text(text) == "(" && tokens[j + 2].text(text) == ")" && tokens[j + 1].text(text).starts_with(char::is_uppercase) {
        j += 3;
    }
    let dash = tokens.get(j)?;
    let next_starts_sentence = tokens.get(j + 1).is_some_and(|t| {
        t.start > dash.end && t.text(text).starts_with(|c: char| c.is_uppercase() || matches!(c, '"' | '“' | '\'' | '‘'))
    });
    if dash.kind == TokenKind::Punct && matches!(dash.text(text), "-" | "--" | "—" | "–" | "―") && gaps[j] == Gap::Space && next_starts_sentence {
        Some(j)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `text` and compares the sentence texts; also asserts the
    /// ranges are trimmed, ordered, non-empty slices of the original text.
    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let got = split_sentences(text, 0..text.len());
        let mut prev = 0;
        for r in &got {
            assert!(r.start < r.end && r.start >= prev, "bad range {r:?} in {got:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let s = &text[r.clone()];
            assert_eq!(s.trim(), s, "untrimmed sentence {s:?}");
            prev = r.end;
        }
        let got: Vec<&str> = got.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(got, expected, "\ntext: {text:?}");
    }

    #[test]
    fn basic() {
        check("Wagner moved. Putin agreed! Did he? Yes.", &["Wagner moved.", "Putin agreed!", "Did he?", "Yes."]);
        check("  One.  ", &["One."]);
        check("", &[]);
        check("no final punctuation", &["no final punctuation"]);
    }

    #[test]
    fn abbreviations_and_initials() {
        check(
            "He is the founder of R. Politik. Putin wants more.",
            &["He is the founder of R. Politik.", "Putin wants more."],
        );
        check("J. R. R. Tolkien wrote it. Mr. Smith read it.", &["J. R. R. Tolkien wrote it.", "Mr. Smith read it."]);
        check("It happened on Sept. 17, 2018. Nobody knew.", &["It happened on Sept. 17, 2018.", "Nobody knew."]);
        check("They obtained U.S. documents. Then they left.", &["They obtained U.S. documents.", "Then they left."]);
        check("He moved to the U.S. He stayed.", &["He moved to the U.S.", "He stayed."]);
        check("Gen. Gerasimov and Lt. Col. Ivanov met Sen. Graham.", &["Gen. Gerasimov and Lt. Col. Ivanov met Sen. Graham."]);
        check("Acme Inc. The firm said no.", &["Acme Inc.", "The firm said no."]);
        check("Apples, pears, etc. And more.", &["Apples, pears, etc.", "And more."]);
        check("Growth was 3.5 percent. It fell.", &["Growth was 3.5 percent.", "It fell."]);
        check("See e.g. the report.", &["See e.g. the report."]);
    }

    #[test]
    fn quotes_brackets_ellipses() {
        check("\"We will win,\" he said. \"Never.\" He left.", &["\"We will win,\" he said.", "\"Never.\"", "He left."]);
        check("He said “no.” Then he left.", &["He said “no.”", "Then he left."]);
        check("(This is an aside.) Back to work.", &["(This is an aside.)", "Back to work."]);
        check("Wait... what? Well... Nothing.", &["Wait... what?", "Well...", "Nothing."]);
        check("a big \"Welcome!\" to Darin.", &["a big \"Welcome!\" to Darin."]);
    }

    #[test]
    fn lines_and_paragraphs() {
        check(
            "Wagner chief killed in crash\nYevgeny Prigozhin died on Wednesday.\n\nThe Kremlin denied it.",
            &["Wagner chief killed in crash", "Yevgeny Prigozhin died on Wednesday.", "The Kremlin denied it."],
        );
        check("First paragraph\n\nsecond one", &["First paragraph", "second one"]);
        check("One paragraph per line.\nAnother one, with no blank line.", &["One paragraph per line.", "Another one, with no blank line."]);
        check("CRLF line\r\nNext line.\r\n\r\nLast.", &["CRLF line", "Next line.", "Last."]);
        check("NBSP\u{00A0}sentence.\u{00A0}Next one.", &["NBSP\u{00A0}sentence.", "Next one."]);
    }

    #[test]
    fn hard_wrapped_text_is_joined() {
        let text = "The Wagner group said on Saturday that its fighters had begun to leave the\n\
                    city of Rostov-on-Don after a deal brokered by the president of Belarus, and\n\
                    that they would return to their field camps. Officials confirmed the move.";
        check(
            text,
            &[
                "The Wagner group said on Saturday that its fighters had begun to leave the\ncity of Rostov-on-Don after a deal brokered by the president of Belarus, and\nthat they would return to their field camps.",
                "Officials confirmed the move.",
            ],
        );
    }

    #[test]
    fn datelines() {
        check("KYIV, Ukraine — Drones struck the city.", &["KYIV, Ukraine —", "Drones struck the city."]);
        check("WASHINGTON (Reuters) - The talks ended.", &["WASHINGTON (Reuters) -", "The talks ended."]);
        check("NATO - the alliance - met.", &["NATO - the alliance - met."]);
        check("MOSCOW, June 24 (Reuters) - Wagner halted.", &["MOSCOW, June 24 (Reuters) -", "Wagner halted."]);
    }

    #[test]
    fn web_text() {
        check("see http://a.org/x http://b.org/y", &["see http://a.org/x", "http://b.org/y"]);
        check("it was fun. i went home", &["it was fun.", "i went home"]);
        check("Great :) The end.", &["Great :)", "The end."]);
    }

    #[test]
    fn multibyte_and_emoji() {
        check("Київ заявив. Мінськ мовчить 😶. Кінець", &["Київ заявив.", "Мінськ мовчить 😶.", "Кінець"]);
    }

    #[test]
    fn token_ranges_cover_all_tokens() {
        let text = "Mr. Putin spoke. He said \"no.\" Then, U.S. officials left.\n\nEnd";
        let tokens = tokenize(text, 0..text.len());
        let ranges = sentence_token_ranges(text, &tokens);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(tokens.len()));
        for w in ranges.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }
}
