//! Which part of the page is the article, and its text as blocks.
//!
//! Four flat passes over the [`Dom`] (see `tree.rs` for why flat loops suffice):
//!
//! 1. Classify each element: *technical* (script, style, svg, form controls...:
//!    never text), *boilerplate* (nav, aside, page header/footer, form, ARIA
//!    landmarks, hidden, class/id hints such as `share`, `related`, `cookie`, `ad`,
//!    link-only lists), *furniture* (figure, figcaption, `caption`/`credit` classes,
//!    an article's footer) or plain.
//! 2. Count text per subtree. A boilerplate element that holds most of the page's
//!    paragraph text is kept anyway: a class like `has-social-share` on the article
//!    wrapper must not erase the article.
//! 3. Choose the root: the `<article>` with the most text, else
//!    `[itemprop=articleBody]`, else `<main>`, when it holds at least a fifth of the
//!    page's text; otherwise the element with the most paragraph text directly
//!    inside it, widened to the smallest ancestor with 80% of the page's paragraph
//!    text. A first `<h1>` before the chosen root is put in front of its text.
//! 4. Emit blocks: block-level elements start and end blocks, inline text is joined
//!    with whitespace collapsed, `<br>` is a newline, `<br><br>` a block break,
//!    `<pre>` keeps its lines.

use super::tokenizer::Attr;
use super::tree::{Data, Dom, Element, Tag};
use crate::Span;

/// What the extractor makes of one element by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    /// Never text.
    Technical,
    /// Dropped unless it holds most of the page's paragraph text.
    Boilerplate,
    /// Kept but flagged.
    Furniture,
}

// Inherited bits.
const IN_ARTICLE: u8 = 1;
const IN_P: u8 = 2;
const IN_A: u8 = 4;
const IN_TECH: u8 = 8;
const IN_DROP: u8 = 16;
const IN_FURNITURE: u8 = 32;
const IN_PRE: u8 = 64;

/// The article text found in a page.
#[derive(Debug, Default)]
pub(crate) struct Content {
    pub(crate) text: String,
    pub(crate) furniture: Vec<Span>,
    /// The node the text was taken from.
    pub(crate) root: usize,
    /// The first `<h1>` outside boilerplate, if any.
    pub(crate) h1: Option<usize>,
}

/// Per-subtree text counts (non-whitespace bytes).
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    text: usize,
    p: usize,
    link: usize,
}

fn is_block(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Address
            | Article
            | Aside
            | Blockquote
            | Body
            | Caption
            | Center
            | Dd
            | Details
            | Dialog
            | Dir
            | Div
            | Dl
            | Dt
            | Fieldset
            | Figcaption
            | Figure
            | Footer
            | Form
            | H1
            | H2
            | H3
            | H4
            | H5
            | H6
            | Header
            | Hgroup
            | Hr
            | Html
            | Legend
            | Li
            | Main
            | Menu
            | Nav
            | Ol
            | P
            | Pre
            | Section
            | Summary
            | Table
            | Tbody
            | Thead
            | Tfoot
            | Tr
            | Td
            | Th
            | Ul
            | Search
            | Listing
            | Plaintext
            | Xmp
            | Option
    )
}

fn is_technical(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Script
            | Style
            | Noscript
            | Template
            | Svg
            | Math
            | Iframe
            | Head
            | Title
            | Meta
            | Link
            | Base
            | Button
            | Select
            | Option
            | Optgroup
            | Datalist
            | Textarea
            | Input
            | Object
            | Embed
            | Applet
            | Canvas
            | Video
            | Audio
            | Map
            | Frame
            | Frameset
            | Noframes
            | Noembed
            | Progress
            | Meter
            | Output
    )
}

/// Words of a class or id value, as slices: split on non-alphanumerics and on
/// camelCase humps. `"shareBar related-links"` gives `share Bar related links`.
fn words(value: &str) -> impl Iterator<Item = &str> + '_ {
    let mut chars = value.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip separators.
        let (start, first) = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break (i, c);
            }
        };
        let mut prev_lower = first.is_lowercase() || first.is_ascii_digit();
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() || (c.is_uppercase() && prev_lower) {
                break;
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            end = i + c.len_utf8();
            chars.next();
        }
        Some(&value[start..end])
    })
}

fn starts_with_ci(word: &str, prefix: &str) -> bool {
    word.len() >= prefix.len() && word.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Class/id words that mark page chrome, matched as prefixes of a word.
const BOILERPLATE_PREFIXES: &[&str] = &[
    "nav",
    "menu",
    "share",
    "sharing",
    "social",
    "comment",
    "related",
    "promo",
    "newsletter",
    "subscri",
    "advert",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "footer",
    "sidebar",
    "outbrain",
    "taboola",
    "recirc",
    "trending",
    "recommend",
    "sponsor",
    "paywall",
    "popup",
    "modal",
    "toolbar",
    "disqus",
    "signup",
    "login",
    "signin",
    "mostread",
    "mostpopular",
];
/// Class/id words that mark page chrome, matched whole.
const BOILERPLATE_WORDS: &[&str] =
    &["ad", "ads", "adv", "dfp", "gpt", "adslot", "adunit", "adsbygoogle", "rail", "skip", "popular"];
/// Class/id words that mark furniture, matched as prefixes.
const FURNITURE_PREFIXES: &[&str] = &["caption", "credit", "figcaption"];

/// What the class and id attributes say, if anything.
fn hint(el: &Element) -> Option<Class> {
    let mut furniture = false;
    for value in [el.attr(Attr::Class), el.attr(Attr::Id)].into_iter().flatten() {
        for w in words(value) {
            if starts_with_ci(w, "commentary") {
                continue;
            }
            if BOILERPLATE_WORDS.iter().any(|b| w.eq_ignore_ascii_case(b))
                || BOILERPLATE_PREFIXES.iter().any(|p| starts_with_ci(w, p))
            {
                return Some(Class::Boilerplate);
            }
            if FURNITURE_PREFIXES.iter().any(|p| starts_with_ci(w, p)) {
                furniture = true;
            }
        }
    }
    furniture.then_some(Class::Furniture)
}

fn is_hidden(el: &Element) -> bool {
    if el.attr(Attr::Hidden).is_some() {
        return true;
    }
    if el.attr(Attr::AriaHidden).is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(style) = el.attr(Attr::Style) {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

fn is_main_like(el: &Element) -> bool {
    matches!(el.tag, Tag::Article | Tag::Main)
        || el.attr(Attr::Role).is_some_and(|r| r.eq_ignore_ascii_case("main"))
        || el.attr(Attr::Itemprop).is_some_and(|p| p.split_ascii_whitespace().any(|w| w == "articleBody"))
}

fn classify(el: &Element, inherited: u8) -> Class {
    use Tag::*;
    if is_technical(el.tag) {
        return Class::Technical;
    }
    // The page itself and its main content are never boilerplate by their markup.
    if matches!(el.tag, Html | Body) {
        return Class::Plain;
    }
    let in_article = inherited & IN_ARTICLE != 0;
    match el.tag {
        Nav | Aside | Form | Menu | Dialog => return Class::Boilerplate,
        Header if !in_article => return Class::Boilerplate,
        Footer if !in_article => return Class::Boilerplate,
        _ => {}
    }
    if let Some(role) = el.attr(Attr::Role) {
        for r in role.split_ascii_whitespace() {
            let r = r.to_ascii_lowercase();
            if matches!(
                r.as_str(),
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "search"
                    | "menu"
                    | "menubar"
                    | "toolbar"
                    | "dialog"
                    | "alertdialog"
            ) {
                return Class::Boilerplate;
            }
        }
    }
    if is_hidden(el) {
        return Class::Boilerplate;
    }
    let hinted = if is_main_like(el) { None } else { hint(el) };
    if hinted == Some(Class::Boilerplate) {
        return Class::Boilerplate;
    }
    if matches!(el.tag, Figure | Figcaption) || (el.tag == Footer && in_article) {
        return Class::Furniture;
    }
    hinted.unwrap_or(Class::Plain)
}

/// Non-whitespace bytes of `s`.
fn weight(s: &str) -> usize {
    s.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

/// Finds the article in `dom` and renders it.
pub(crate) fn extract(dom: &Dom) -> Content {
    let nodes = &dom.nodes;
    let n = nodes.len();

    // Pass 1: classes and inherited bits (parents come before children).
    let mut class = vec![Class::Plain; n];
    let mut inh = vec![0u8; n];
    for i in 1..n {
        let node = &nodes[i];
        let parent_bits = inh[node.parent];
        let mut bits = parent_bits;
        if let Data::Element(el) = &node.data {
            let c = classify(el, parent_bits);
            class[i] = c;
            if is_main_like(el) {
                bits |= IN_ARTICLE;
            }
            match el.tag {
                Tag::P => bits |= IN_P,
                Tag::A => bits |= IN_A,
                Tag::Pre | Tag::Listing | Tag::Xmp | Tag::Plaintext => bits |= IN_PRE,
                _ => {}
            }
            if c == Class::Technical {
                bits |= IN_TECH;
            }
            if c == Class::Furniture {
                bits |= IN_FURNITURE;
            }
        }
        inh[i] = bits;
    }

    // Pass 2: counts without technical subtrees; decide which boilerplate to drop.
    let raw = count(dom, |i| inh[i] & IN_TECH != 0);
    let page_p = raw[0].p;
    let mut dropped = vec![false; n];
    for i in 1..n {
        dropped[i] = match class[i] {
            Class::Technical => true,
            Class::Boilerplate => !(raw[i].p * 2 > page_p && raw[i].p >= 200),
            _ => link_list(dom, i, &raw[i]),
        };
    }
    for i in 1..n {
        if dropped[i] || inh[nodes[i].parent] & IN_DROP != 0 {
            inh[i] |= IN_DROP;
        }
    }
    let clean = count(dom, |i| inh[i] & IN_DROP != 0);

    // Pass 3: the root.
    let body = (1..n).find(|&i| nodes[i].tag() == Some(Tag::Body)).unwrap_or(0);
    let h1 = (1..n).find(|&i| nodes[i].tag() == Some(Tag::H1) && inh[i] & IN_DROP == 0 && clean[i].text > 0);
    let root = choose_root(dom, &inh, &clean, body);

    // Pass 4: the text, falling back to wider roots if the chosen one is empty.
    let mut em = Emitter::default();
    if root != body {
        if let Some(h) = h1.filter(|&h| nodes[h].end <= root) {
            em.emit(dom, &inh, h, IN_DROP);
        }
    }
    em.emit(dom, &inh, root, IN_DROP);
    if em.text.is_empty() && root != body {
        em.emit(dom, &inh, body, IN_DROP);
    }
    if em.text.is_empty() {
        em.emit(dom, &inh, 0, IN_TECH);
    }
    Content { text: em.text, furniture: em.furniture, root, h1 }
}

/// A list that is (nearly) all links: a menu or a "related" list.
fn link_list(dom: &Dom, i: usize, c: &Counts) -> bool {
    matches!(dom.nodes[i].tag(), Some(Tag::Ul | Tag::Ol)) && c.text > 0 && c.link * 10 >= c.text * 7
}

/// Text counts per subtree, leaving out text under nodes where `skip` holds.
fn count(dom: &Dom, skip: impl Fn(usize) -> bool) -> Vec<Counts> {
    let nodes = &dom.nodes;
    let mut inside_p = vec![false; nodes.len()];
    let mut inside_a = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        let p = nodes[i].parent;
        inside_p[i] = inside_p[p] || nodes[i].tag() == Some(Tag::P);
        inside_a[i] = inside_a[p] || nodes[i].tag() == Some(Tag::A);
    }
    let mut c = vec![Counts::default(); nodes.len()];
    for i in (1..nodes.len()).rev() {
        if let Data::Text(t) = &nodes[i].data {
            let parent = nodes[i].parent;
            if !skip(parent) {
                let w = weight(t);
                c[i].text = w;
                if inside_p[parent] {
                    c[i].p = w;
                }
                if inside_a[parent] {
                    c[i].link = w;
                }
            }
        }
        let (own, parent) = (c[i], nodes[i].parent);
        c[parent].text += own.text;
        c[parent].p += own.p;
        c[parent].link += own.link;
    }
    c
}

fn choose_root(dom: &Dom, inh: &[u8], clean: &[Counts], body: usize) -> usize {
    let nodes = &dom.nodes;
    let content = |i: usize| clean[i].text.saturating_sub(clean[i].link);
    let page = content(body).max(1);
    let best = |pred: &dyn Fn(&Element) -> bool| -> Option<usize> {
        (1..nodes.len())
            .filter(|&i| inh[i] & IN_DROP == 0 && nodes[i].element().is_some_and(pred))
            .max_by_key(|&i| (content(i), std::cmp::Reverse(i)))
            .filter(|&i| content(i) > 0 && content(i) * 5 >= page)
    };
    let article = best(&|e| e.tag == Tag::Article);
    let article_body =
        || best(&|e| e.attr(Attr::Itemprop).is_some_and(|p| p.split_ascii_whitespace().any(|w| w == "articleBody")));
    let main = || best(&|e| e.tag == Tag::Main || e.attr(Attr::Role).is_some_and(|r| r.eq_ignore_ascii_case("main")));
    if let Some(r) = article.or_else(article_body).or_else(main) {
        return r;
    }
    // The element with the most paragraph text directly inside it.
    let mut direct = vec![0usize; nodes.len()];
    for i in 1..nodes.len() {
        if nodes[i].tag() == Some(Tag::P) {
            direct[nodes[i].parent] += clean[i].p;
        }
    }
    let Some(mut r) = (1..nodes.len()).filter(|&i| direct[i] > 0).max_by_key(|&i| (direct[i], std::cmp::Reverse(i)))
    else {
        return body;
    };
    if !(body..nodes[body].end).contains(&r) {
        return body;
    }
    // Widen to the smallest ancestor holding most of the page's paragraph text, so
    // that a story split into several containers (around ads, say) is whole.
    let page_p = clean[body].p;
    while r != body && clean[r].p * 5 < page_p * 4 {
        r = nodes[r].parent;
    }
    r
}

/// Builds the output text block by block.
#[derive(Debug, Default)]
struct Emitter {
    text: String,
    furniture: Vec<Span>,
    block: String,
    block_furniture: bool,
    block_pre: bool,
    pending_space: bool,
}

impl Emitter {
    fn flush(&mut self) {
        let content = if self.block_pre {
            let lines: Vec<&str> = self.block.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
            lines.join("\n")
        } else {
            self.block.trim_end().to_string()
        };
        if !content.is_empty() {
            if !self.text.is_empty() {
                self.text.push_str("\n\n");
            }
            let start = self.text.len();
            self.text.push_str(&content);
            if self.block_furniture {
                self.furniture.push(Span::new(start, self.text.len()));
            }
        }
        self.block.clear();
        self.block_furniture = false;
        self.block_pre = false;
        self.pending_space = false;
    }

    fn push_text(&mut self, t: &str, bits: u8) {
        let furniture = bits & IN_FURNITURE != 0;
        if bits & IN_PRE != 0 {
            for c in t.chars() {
                if c == '\r' || (c.is_control() && c != '\n' && c != '\t') {
                    continue;
                }
                if self.block.is_empty() {
                    if c == '\n' {
                        continue;
                    }
                    self.block_furniture = furniture;
                }
                self.block_pre = true;
                self.block.push(c);
            }
            return;
        }
        for c in t.chars() {
            if c.is_whitespace() {
                if !self.block.is_empty() && !self.block.ends_with('\n') {
                    self.pending_space = true;
                }
            } else if c.is_control() || c == '\u{feff}' {
                continue;
            } else {
                if self.pending_space {
                    self.block.push(' ');
                    self.pending_space = false;
                }
                if self.block.is_empty() {
                    self.block_furniture = furniture;
                }
                self.block.push(c);
            }
        }
    }

    fn br(&mut self) {
        if self.block.is_empty() {
            return;
        }
        if self.block.ends_with('\n') {
            self.block.pop();
            self.flush();
        } else {
            self.block.push('\n');
            self.pending_space = false;
        }
    }

    /// Appends the blocks of the subtree at `root`, skipping nodes whose bits
    /// include `skip`.
    fn emit(&mut self, dom: &Dom, inh: &[u8], root: usize, skip: u8) {
        let nodes = &dom.nodes;
        let end = nodes[root].end;
        // Ends of the open block elements.
        let mut open_blocks: Vec<usize> = Vec::new();
        let mut i = root;
        self.flush();
        while i < end {
            while open_blocks.last().is_some_and(|&e| e <= i) {
                open_blocks.pop();
                self.flush();
            }
            let node = &nodes[i];
            if inh[i] & skip != 0 && i != 0 {
                i = node.end.max(i + 1);
                continue;
            }
            match &node.data {
                Data::Text(t) => self.push_text(t, inh[node.parent]),
                Data::Element(el) => {
                    if el.tag == Tag::Br {
                        self.br();
                    } else if is_block(el.tag) || inh[i] & IN_FURNITURE != inh[node.parent] & IN_FURNITURE {
                        self.flush();
                        open_blocks.push(node.end);
                    }
                }
                Data::Root => {}
            }
            i += 1;
        }
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_words() {
        let w: Vec<&str> = words("shareBar  related-links__item ad_slot3 ÉtéNews x").collect();
        assert_eq!(w, ["share", "Bar", "related", "links", "item", "ad", "slot3", "Été", "News", "x"]);
        let el = |class: &str| Element { tag: Tag::Div, attrs: vec![(Attr::Class, class.to_string())] };
        assert_eq!(hint(&el("story-body")), None);
        assert_eq!(hint(&el("story shareTools")), Some(Class::Boilerplate));
        assert_eq!(hint(&el("div-gpt-ad-1")), Some(Class::Boilerplate));
        assert_eq!(hint(&el("header loaded")), None);
        assert_eq!(hint(&el("commentary-body")), None);
        assert_eq!(hint(&el("image-caption")), Some(Class::Furniture));
    }
}
