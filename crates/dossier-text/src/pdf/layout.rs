//! From positioned glyphs to paragraphs.
//!
//! Glyphs arrive in content-stream order, which is reading order in nearly every
//! PDF a newsroom produces (columns come one after the other). A glyph starts a new
//! line when the baseline moves by more than half the font size, or jumps far back
//! to the left. Lines then group into paragraphs; a new paragraph starts when
//! - the gap to the previous line is clearly larger than the page's usual line
//!   spacing (the median), or the next line is *above* the previous one (a new
//!   column);
//! - the font size changes by more than a fifth (a heading);
//! - the previous line ends a sentence and is short (ends well before the column's
//!   right edge), or the next line is indented;
//! - a page ends.
//!
//! Lines of a paragraph are joined with a space; a line ending in a hyphen after a
//! letter, followed by a lowercase letter, is joined without the hyphen.

/// One glyph (or a short string the PDF draws as one), in page coordinates with y
/// growing downwards.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// Font size in page units.
    pub(crate) size: f64,
    /// Horizontal advance in page units.
    pub(crate) advance: f64,
    pub(crate) text: String,
}

#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

/// Turns the glyphs of each page into paragraphs separated by a blank line.
pub(crate) fn paragraphs(pages: &[Vec<Glyph>]) -> String {
    let mut out: Vec<String> = Vec::new();
    for glyphs in pages {
        let lines = lines(glyphs);
        out.extend(page_paragraphs(&lines));
    }
    out.join("\n\n")
}

fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut cur: Option<Line> = None;
    let mut last_end = 0.0;
    let mut last_y = 0.0;
    for g in glyphs {
        let text = clean(&g.text);
        if text.is_empty() {
            continue;
        }
        let size = g.size.max(0.1);
        if let Some(line) = cur.as_mut() {
            let s = size.max(line.size);
            let new_line = (g.y - last_y).abs() > 0.5 * s || g.x < last_end - 4.0 * s;
            if new_line {
                lines.extend(cur.take());
            } else {
                let blank = text.trim().is_empty();
                if !blank && !line.text.ends_with(' ') && (g.x > last_end + 0.15 * s || g.x < last_end - s) {
                    line.text.push(' ');
                }
                if !(blank && line.text.ends_with(' ')) {
                    line.text.push_str(if blank { " " } else { &text });
                }
                line.x1 = line.x1.max(g.x + g.advance);
                line.size = line.size.max(size);
            }
        }
        if cur.is_none() {
            if text.trim().is_empty() {
                continue;
            }
            cur = Some(Line { text: text.clone(), x0: g.x, x1: g.x + g.advance, y: g.y, size });
        }
        last_end = g.x + g.advance;
        last_y = g.y;
    }
    lines.extend(cur);
    for l in &mut lines {
        l.text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}

/// Ligatures and control characters out; other text as drawn.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\t' | '\n' | '\r' | '\x0c' => out.push(' '),
            c if c.is_control() || c == '\u{feff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?', ':', '"', '\u{201d}', '\u{2019}', ')'])
}

fn page_paragraphs(lines: &[Line]) -> Vec<String> {
    let spacing = median(
        lines
            .windows(2)
            .map(|w| w[1].y - w[0].y)
            .zip(lines.iter())
            .filter(|&(gap, l)| gap > 0.0 && gap < 3.0 * l.size)
            .map(|(gap, _)| gap)
            .collect(),
    );
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut right = f64::MIN;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let prev = &lines[i - 1];
            let gap = line.y - prev.y;
            let usual = spacing.unwrap_or(1.2 * prev.size);
            let size_change = (line.size - prev.size).abs() > 0.2 * prev.size.max(line.size);
            right = right.max(line.x1);
            let short = prev.x1 < right - 4.0 * prev.size;
            let indented = line.x0 > prev.x0 + 1.0 * prev.size && line.x0 < prev.x1;
            let brk = gap < -0.5 * prev.size
                || gap > usual * 1.4 + 0.1 * prev.size
                || size_change
                || (ends_sentence(&prev.text) && (short || indented));
            if brk {
                paras.push(std::mem::take(&mut cur));
                right = line.x1;
            } else {
                join_line(&mut cur, &line.text);
                continue;
            }
        } else {
            right = line.x1;
        }
        cur.push_str(&line.text);
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras.retain(|p| !p.trim().is_empty());
    paras
}

/// Appends `next` to a paragraph: with a space, or mending a hyphenated word.
fn join_line(cur: &mut String, next: &str) {
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    if let Some(stem) = cur.strip_suffix('\u{ad}') {
        cur.truncate(stem.len());
        cur.push_str(next);
        return;
    }
    if let Some(stem) = cur.strip_suffix('-') {
        if next_lower && stem.chars().next_back().is_some_and(char::is_alphabetic) {
            cur.truncate(stem.len());
            cur.push_str(next);
            return;
        }
    }
    if !cur.is_empty() {
        cur.push(' ');
    }
    cur.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs for whole words: one glyph per line string, 6 units per char.
    fn line(text: &str, x: f64, y: f64, size: f64) -> Glyph {
        Glyph { x, y, size, advance: text.chars().count() as f64 * size * 0.5, text: text.to_string() }
    }

    #[test]
    fn lines_and_paragraphs() {
        let page = vec![
            line("Heading", 72.0, 60.0, 18.0),
            line("The first paragraph runs over two lines and has a hyphen-", 72.0, 100.0, 10.0),
            line("ated word, then ends here.", 72.0, 112.0, 10.0),
            line("A second paragraph after a gap, with a line that is long enough", 72.0, 136.0, 10.0),
            line("and a non-", 72.0, 148.0, 10.0),
            line("Hyphen join.", 72.0, 160.0, 10.0),
            line("Indented new paragraph.", 90.0, 172.0, 10.0),
        ];
        let page2 = vec![line("Page two.", 72.0, 100.0, 10.0)];
        assert_eq!(
            paragraphs(&[page, page2]),
            "Heading\n\n\
             The first paragraph runs over two lines and has a hyphenated word, then ends here.\n\n\
             A second paragraph after a gap, with a line that is long enough and a non- Hyphen join.\n\n\
             Indented new paragraph.\n\n\
             Page two."
        );
    }

    #[test]
    fn glyph_spacing() {
        let g = |c: &str, x: f64| Glyph { x, y: 10.0, size: 10.0, advance: 5.0, text: c.to_string() };
        // Touching glyphs make a word; a gap makes a space; drawn spaces collapse.
        let glyphs = vec![g("a", 0.0), g("b", 5.0), g("c", 14.0), g(" ", 19.0), g(" ", 24.0), g("ﬁ", 29.0)];
        assert_eq!(paragraphs(&[glyphs]), "ab c fi");
    }
}
