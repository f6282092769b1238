//! A flat DOM built from [`Token`]s with simplified HTML tree-construction rules.
//!
//! Nodes live in one `Vec` in document order, and an element only ever gets children
//! while it is open, so **every subtree is a contiguous index range**
//! `[id, nodes[id].end)` and every parent has a smaller index than its children.
//! All later passes are therefore flat loops (forward for inherited properties,
//! backward for sums), never recursion: a page of 100,000 nested `<div>`s costs
//! nothing special.
//!
//! The builder implements the parts of the WHATWG tree builder that change which
//! text belongs to which element: implied end tags (`<p>` closed by a block, `<li>`
//! by the next `<li>`, table cells and rows), void elements, raw-text elements, the
//! `<head>` closing itself, end tags ignored when their element is out of scope, and
//! breaking out of `<svg>`/`<math>`. It leaves out the adoption agency algorithm,
//! foster parenting and formatting-element reconstruction, which only move inline
//! markup around. Every operation is amortized O(1): open elements are found through
//! a per-name stack of their depths rather than by walking the stack.

use super::tokenizer::{Attr, TextMode, Token, Tokenizer};
use std::collections::HashMap;

/// The elements the extractor treats specially; everything else is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[rustfmt::skip]
pub(crate) enum Tag {
    Html, Head, Body, Title, Meta, Link, Base, Script, Style, Noscript, Template, Svg, Math,
    Nav, Header, Footer, Aside, Form, Iframe, Button, Select, Option, Optgroup, Datalist,
    Textarea, Input, Object, Embed, Applet, Marquee, Canvas, Video, Audio, Map, Dialog, Menu,
    Frame, Frameset, Noframes, Noembed, Xmp, Plaintext, Listing, Pre, P, Div, Section,
    Article, Main, Address, Blockquote, Center, Details, Summary, Dir, Dl, Dd, Dt, Fieldset,
    Legend, Figure, Figcaption, Hgroup, Hr, Br, Wbr, Img, Image, Area, Col, Colgroup, Param,
    Source, Track, Keygen, Basefont, Bgsound, H1, H2, H3, H4, H5, H6, Ul, Ol, Li, Table,
    Caption, Thead, Tbody, Tfoot, Tr, Td, Th, A, B, Big, Code, Em, Font, I, Nobr, S, Small,
    Strike, Strong, Tt, U, Span, Time, Search, Picture, Progress, Meter, Output, Ruby, Sub,
    Sup, Var,
    /// Any other element (custom elements, SVG internals...).
    Other,
}

impl Tag {
    #[rustfmt::skip]
    pub(crate) fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html, "head" => Head, "body" => Body, "title" => Title, "meta" => Meta,
            "link" => Link, "base" => Base, "script" => Script, "style" => Style,
            "noscript" => Noscript, "template" => Template, "svg" => Svg, "math" => Math,
            "nav" => Nav, "header" => Header, "footer" => Footer, "aside" => Aside,
            "form" => Form, "iframe" => Iframe, "button" => Button, "select" => Select,
            "option" => Option, "optgroup" => Optgroup, "datalist" => Datalist,
            "textarea" => Textarea, "input" => Input, "object" => Object, "embed" => Embed,
            "applet" => Applet, "marquee" => Marquee, "canvas" => Canvas, "video" => Video,
            "audio" => Audio, "map" => Map, "dialog" => Dialog, "menu" => Menu,
            "frame" => Frame, "frameset" => Frameset, "noframes" => Noframes,
            "noembed" => Noembed, "xmp" => Xmp, "plaintext" => Plaintext, "listing" => Listing,
            "pre" => Pre, "p" => P, "div" => Div, "section" => Section, "article" => Article,
            "main" => Main, "address" => Address, "blockquote" => Blockquote,
            "center" => Center, "details" => Details, "summary" => Summary, "dir" => Dir,
            "dl" => Dl, "dd" => Dd, "dt" => Dt, "fieldset" => Fieldset, "legend" => Legend,
            "figure" => Figure, "figcaption" => Figcaption, "hgroup" => Hgroup, "hr" => Hr,
            "br" => Br, "wbr" => Wbr, "img" => Img, "image" => Image, "area" => Area,
            "col" => Col, "colgroup" => Colgroup, "param" => Param, "source" => Source,
            "track" => Track, "keygen" => Keygen, "basefont" => Basefont, "bgsound" => Bgsound,
            "h1" => H1, "h2" => H2, "h3" => H3, "h4" => H4, "h5" => H5, "h6" => H6,
            "ul" => Ul, "ol" => Ol, "li" => Li, "table" => Table, "caption" => Caption,
            "thead" => Thead, "tbody" => Tbody, "tfoot" => Tfoot, "tr" => Tr, "td" => Td,
            "th" => Th, "a" => A, "b" => B, "big" => Big, "code" => Code, "em" => Em,
            "font" => Font, "i" => I, "nobr" => Nobr, "s" => S, "small" => Small,
            "strike" => Strike, "strong" => Strong, "tt" => Tt, "u" => U, "span" => Span,
            "time" => Time, "search" => Search, "picture" => Picture, "progress" => Progress,
            "meter" => Meter, "output" => Output, "ruby" => Ruby, "sub" => Sub, "sup" => Sup,
            "var" => Var,
            _ => Other,
        }
    }

    /// Elements with no content and no end tag.
    fn is_void(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Area | Base
                | Basefont
                | Bgsound
                | Br
                | Col
                | Embed
                | Hr
                | Img
                | Image
                | Input
                | Keygen
                | Link
                | Meta
                | Param
                | Source
                | Track
                | Wbr
                | Frame
        )
    }

    /// The spec's "special" category: an end tag for an ordinary element does not
    /// close past one of these.
    fn is_special(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Applet
                | Area
                | Article
                | Aside
                | Base
                | Basefont
                | Bgsound
                | Blockquote
                | Body
                | Br
                | Button
                | Caption
                | Center
                | Col
                | Colgroup
                | Dd
                | Details
                | Dir
                | Div
                | Dl
                | Dt
                | Embed
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Form
                | Frame
                | Frameset
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Head
                | Header
                | Hgroup
                | Hr
                | Html
                | Iframe
                | Img
                | Input
                | Keygen
                | Li
                | Link
                | Listing
                | Main
                | Marquee
                | Menu
                | Meta
                | Nav
                | Noembed
                | Noframes
                | Noscript
                | Object
                | Ol
                | P
                | Param
                | Plaintext
                | Pre
                | Script
                | Search
                | Section
                | Select
                | Source
                | Style
                | Summary
                | Table
                | Tbody
                | Td
                | Template
                | Textarea
                | Tfoot
                | Th
                | Thead
                | Title
                | Tr
                | Track
                | Ul
                | Wbr
                | Xmp
                | Svg
                | Math
        )
    }

    /// Scope boundaries: most implied end tags do not reach past these.
    fn is_scope_boundary(self) -> bool {
        use Tag::*;
        matches!(self, Applet | Caption | Table | Td | Th | Marquee | Object | Template | Button | Svg | Math)
    }

    /// Start tags that close an open `<p>`.
    fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Address
                | Article
                | Aside
                | Blockquote
                | Center
                | Details
                | Dialog
                | Dir
                | Div
                | Dl
                | Fieldset
                | Figcaption
                | Figure
                | Footer
                | Header
                | Hgroup
                | Main
                | Menu
                | Nav
                | Ol
                | P
                | Search
                | Section
                | Summary
                | Ul
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Pre
                | Listing
                | Form
                | Plaintext
                | Xmp
                | Table
                | Hr
                | Li
                | Dd
                | Dt
        )
    }

    /// Elements that may stay in `<head>`; any other start tag closes it.
    fn head_ok(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Head | Base | Basefont | Bgsound | Link | Meta | Title | Noscript | Noframes | Style | Script | Template
        )
    }

    /// HTML elements that end an open `<svg>`/`<math>`.
    fn breaks_out_of_foreign(self) -> bool {
        use Tag::*;
        matches!(
            self,
            B | Big
                | Blockquote
                | Body
                | Br
                | Center
                | Code
                | Dd
                | Div
                | Dl
                | Dt
                | Em
                | Embed
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Head
                | Hr
                | I
                | Img
                | Li
                | Listing
                | Menu
                | Meta
                | Nobr
                | Ol
                | P
                | Pre
                | Ruby
                | S
                | Small
                | Span
                | Strong
                | Strike
                | Sub
                | Sup
                | Table
                | Tt
                | U
                | Ul
                | Var
        )
    }

    pub(crate) fn is_heading(self) -> bool {
        use Tag::*;
        matches!(self, H1 | H2 | H3 | H4 | H5 | H6)
    }

    fn text_mode(self) -> TextMode {
        use Tag::*;
        match self {
            Script | Style | Xmp | Iframe | Noembed | Noframes | Noscript => TextMode::RawText,
            Title | Textarea => TextMode::RcData,
            Plaintext => TextMode::PlainText,
            _ => TextMode::Data,
        }
    }
}

/// An element: its tag and the attributes the extractor reads.
#[derive(Debug)]
pub(crate) struct Element {
    pub(crate) tag: Tag,
    pub(crate) attrs: Vec<(Attr, String)>,
}

impl Element {
    pub(crate) fn attr(&self, which: Attr) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| *a == which).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub(crate) enum Data {
    /// The document itself (node 0).
    Root,
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub(crate) struct Node {
    /// Parent index; the root's parent is itself (0).
    pub(crate) parent: usize,
    /// One past the last node of this subtree.
    pub(crate) end: usize,
    pub(crate) data: Data,
}

impl Node {
    pub(crate) fn element(&self) -> Option<&Element> {
        match &self.data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }
    pub(crate) fn tag(&self) -> Option<Tag> {
        self.element().map(|e| e.tag)
    }
}

/// The parsed page. Node 0 is the root; see the module doc for the layout.
#[derive(Debug)]
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
}

/// Key for the per-name stacks of open elements: known tags by discriminant, other
/// names through an interner.
type NameKey = usize;

struct Builder {
    nodes: Vec<Node>,
    /// Open elements (node ids); `stack[0]` is the root.
    stack: Vec<usize>,
    /// Name key of each open element, parallel to `stack`.
    stack_keys: Vec<NameKey>,
    /// For each name key, the stack depths of the open elements with that name.
    open: Vec<Vec<usize>>,
    /// Depths of open special elements and of open scope boundaries.
    special: Vec<usize>,
    scopes: Vec<usize>,
    other_names: HashMap<String, NameKey>,
    seen_head: bool,
    seen_body: bool,
}

const N_KNOWN: usize = Tag::Other as usize;

impl Builder {
    fn key(&mut self, tag: Tag, name: &str) -> NameKey {
        if tag != Tag::Other {
            return tag as usize;
        }
        if let Some(&k) = self.other_names.get(name) {
            return k;
        }
        let k = N_KNOWN + 1 + self.other_names.len();
        self.other_names.insert(name.to_string(), k);
        k
    }

    fn lookup_key(&self, tag: Tag, name: &str) -> Option<NameKey> {
        if tag != Tag::Other {
            return Some(tag as usize);
        }
        self.other_names.get(name).copied()
    }

    fn open_list(&mut self, key: NameKey) -> &mut Vec<usize> {
        if key >= self.open.len() {
            self.open.resize_with(key + 1, Vec::new);
        }
        &mut self.open[key]
    }

    /// Depth of the innermost open element with this key.
    fn last(&self, key: NameKey) -> Option<usize> {
        self.open.get(key).and_then(|v| v.last().copied())
    }

    fn last_tag(&self, tag: Tag) -> Option<usize> {
        self.last(tag as usize)
    }

    fn scope_floor(&self) -> usize {
        self.scopes.last().copied().unwrap_or(0)
    }

    /// Depth of the innermost open `tag` within the current scope.
    fn in_scope(&self, tag: Tag) -> Option<usize> {
        self.last_tag(tag).filter(|&d| d >= self.scope_floor())
    }

    fn last_special(&self) -> usize {
        self.special.last().copied().unwrap_or(0)
    }

    fn current(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    fn current_tag(&self) -> Option<Tag> {
        self.nodes.get(self.current()).and_then(Node::tag)
    }

    fn pop(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let id = self.stack.pop().unwrap_or(0);
        let key = self.stack_keys.pop().unwrap_or(0);
        let depth = self.stack.len();
        self.nodes[id].end = self.nodes.len();
        if let Some(v) = self.open.get_mut(key) {
            v.pop();
        }
        if self.special.last() == Some(&depth) {
            self.special.pop();
        }
        if self.scopes.last() == Some(&depth) {
            self.scopes.pop();
        }
    }

    /// Pops open elements until the one at `depth` is popped.
    fn pop_to(&mut self, depth: usize) {
        while self.stack.len() > depth.max(1) {
            self.pop();
        }
    }

    fn append(&mut self, data: Data) -> usize {
        let id = self.nodes.len();
        let parent = self.current();
        self.nodes.push(Node { parent, end: id + 1, data });
        id
    }

    fn push(&mut self, id: usize, key: NameKey, tag: Tag) {
        let depth = self.stack.len();
        self.stack.push(id);
        self.stack_keys.push(key);
        self.open_list(key).push(depth);
        if tag.is_special() {
            self.special.push(depth);
        }
        if tag.is_scope_boundary() {
            self.scopes.push(depth);
        }
    }

    fn in_foreign(&self) -> Option<usize> {
        match (self.last_tag(Tag::Svg), self.last_tag(Tag::Math)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn text(&mut self, text: &str) {
        if self.current_tag() == Some(Tag::Head) {
            if text.bytes().all(|b| b.is_ascii_whitespace()) {
                return;
            }
            if let Some(d) = self.last_tag(Tag::Head) {
                self.pop_to(d);
            }
        }
        let current = self.current();
        if let Some(last) = self.nodes.last_mut() {
            if last.parent == current {
                if let Data::Text(t) = &mut last.data {
                    t.push_str(text);
                    return;
                }
            }
        }
        self.append(Data::Text(text.to_string()));
    }

    /// Handles a start tag; returns how to read the element's content.
    fn start(&mut self, name: &str, attrs: Vec<(Attr, String)>, self_closing: bool) -> TextMode {
        use Tag::*;
        let tag = Tag::from_name(name);
        if let Some(d) = self.last_tag(Head) {
            if !tag.head_ok() {
                self.pop_to(d);
            }
        }
        match tag {
            Html if !self.nodes.is_empty() && self.last_tag(Html).is_some() => return TextMode::Data,
            Body if self.seen_body => return TextMode::Data,
            Head if self.seen_head || self.seen_body => return TextMode::Data,
            _ => {}
        }
        if let Some(d) = self.in_foreign() {
            if tag.breaks_out_of_foreign() {
                self.pop_to(d);
            }
        }
        let foreign = self.in_foreign().is_some();
        if !foreign {
            self.implied_end_tags(tag);
        }
        match tag {
            Head => self.seen_head = true,
            Body => self.seen_body = true,
            _ => {}
        }
        let id = self.append(Data::Element(Element { tag, attrs }));
        if tag.is_void() || (foreign && self_closing) {
            return TextMode::Data;
        }
        let key = self.key(tag, name);
        self.push(id, key, tag);
        if foreign {
            TextMode::Data
        } else {
            tag.text_mode()
        }
    }

    /// Closes the elements a start tag of `tag` implicitly ends.
    fn implied_end_tags(&mut self, tag: Tag) {
        use Tag::*;
        if tag.closes_p() {
            if let Some(d) = self.in_scope(P) {
                self.pop_to(d);
            }
        }
        let newest = |b: &Builder, tags: &[Tag]| tags.iter().filter_map(|&t| b.last_tag(t)).max();
        match tag {
            Li => {
                if let Some(d) = self.in_scope(Li) {
                    if newest(self, &[Ul, Ol, Menu, Dir]).is_none_or(|l| d > l) {
                        self.pop_to(d);
                    }
                }
            }
            Dd | Dt => {
                if let Some(d) = newest(self, &[Dd, Dt]).filter(|&d| d >= self.scope_floor()) {
                    if self.last_tag(Dl).is_none_or(|l| d > l) {
                        self.pop_to(d);
                    }
                }
            }
            H1 | H2 | H3 | H4 | H5 | H6 if self.current_tag().is_some_and(Tag::is_heading) => self.pop(),
            Td | Th | Tr | Tbody | Thead | Tfoot | Caption | Colgroup => {
                // Close the innermost table's open section, row or cell, whichever is
                // the outermost that this tag ends.
                let table = self.last_tag(Table).unwrap_or(0);
                let groups: &[&[Tag]] = match tag {
                    Td | Th => &[&[Td, Th]],
                    Tr => &[&[Tr], &[Td, Th]],
                    _ => &[&[Tbody, Thead, Tfoot, Caption, Colgroup], &[Tr], &[Td, Th]],
                };
                let target = groups.iter().find_map(|g| newest(self, g).filter(|&d| d > table));
                if let Some(d) = target {
                    self.pop_to(d);
                }
            }
            Option | Optgroup => {
                if self.current_tag() == Some(Option) {
                    self.pop();
                }
                if tag == Optgroup && self.current_tag() == Some(Optgroup) {
                    self.pop();
                }
            }
            A | Button | Nobr => {
                if let Some(d) = self.in_scope(tag) {
                    if tag == Button || d > self.last_special() {
                        self.pop_to(d);
                    }
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        use Tag::*;
        let tag = Tag::from_name(name);
        match tag {
            Html | Body => {}
            Br => {
                self.start("br", Vec::new(), false);
            }
            P | Li | Dd | Dt | Head => {
                let d = self.in_scope(tag);
                let guard = match tag {
                    Li => [Ul, Ol, Menu, Dir].iter().filter_map(|&t| self.last_tag(t)).max(),
                    Dd | Dt => self.last_tag(Dl),
                    _ => None,
                };
                if let Some(d) = d {
                    if guard.is_none_or(|g| d > g) {
                        self.pop_to(d);
                    }
                }
            }
            H1 | H2 | H3 | H4 | H5 | H6 => {
                let d = [H1, H2, H3, H4, H5, H6].iter().filter_map(|&t| self.in_scope(t)).max();
                if let Some(d) = d {
                    self.pop_to(d);
                }
            }
            _ if tag.is_scope_boundary() || matches!(tag, Tr | Tbody | Thead | Tfoot | Colgroup) => {
                if let Some(d) = self.last_tag(tag) {
                    self.pop_to(d);
                }
            }
            _ if tag.is_special() => {
                if let Some(d) = self.in_scope(tag) {
                    self.pop_to(d);
                }
            }
            _ => {
                // An ordinary element (inline, custom, inside SVG): closes only if no
                // special element is open above it.
                if let Some(key) = self.lookup_key(tag, name) {
                    if let Some(d) = self.last(key) {
                        if d > self.last_special()
                            || (d >= self.scope_floor() && self.in_foreign().is_some_and(|f| d > f))
                        {
                            self.pop_to(d);
                        }
                    }
                }
            }
        }
    }
}

/// Parses `html` into a [`Dom`]. Never fails: any input makes some tree.
pub(crate) fn parse(html: &str) -> Dom {
    let mut b = Builder {
        nodes: Vec::with_capacity(html.len() / 32 + 1),
        stack: vec![0],
        stack_keys: vec![usize::MAX],
        open: Vec::new(),
        special: Vec::new(),
        scopes: Vec::new(),
        other_names: HashMap::new(),
        seen_head: false,
        seen_body: false,
    };
    b.nodes.push(Node { parent: 0, end: 1, data: Data::Root });
    let mut tok = Tokenizer::new(html);
    while let Some(token) = tok.next_token() {
        match token {
            Token::Text(t) => b.text(&t),
            Token::Start { name, attrs, self_closing } => {
                let mode = b.start(&name, attrs, self_closing);
                if mode != TextMode::Data {
                    tok.set_mode(mode, &name);
                }
            }
            Token::End { name } => b.end(&name),
        }
    }
    b.pop_to(1);
    let n = b.nodes.len();
    b.nodes[0].end = n;
    Dom { nodes: b.nodes }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact rendering of the tree: `tag(children)`, text quoted.
    fn render(html: &str) -> String {
        let dom = parse(html);
        let mut out = String::new();
        let mut stack: Vec<usize> = Vec::new();
        for (i, node) in dom.nodes.iter().enumerate().skip(1) {
            while stack.last().is_some_and(|&e| e <= i) {
                stack.pop();
                out.push(')');
            }
            match &node.data {
                Data::Element(e) => {
                    out.push_str(&format!("{:?}", e.tag).to_lowercase());
                    out.push('(');
                    stack.push(node.end);
                }
                Data::Text(t) => out.push_str(&format!("{t:?}")),
                Data::Root => {}
            }
        }
        for _ in stack {
            out.push(')');
        }
        out
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(render("<p>a<p>b<div>c</div>"), r#"p("a")p("b")div("c")"#);
        assert_eq!(render("<ul><li>a<li>b<ul><li>c</ul></ul>"), r#"ul(li("a")li("b"ul(li("c"))))"#);
        assert_eq!(render("<table><tr><td>a<td>b<tr><td>c</table>x"), r#"table(tr(td("a")td("b"))tr(td("c")))"x""#);
        assert_eq!(render("<h2>a<h3>b</h2>c"), r#"h2("a")h3("b")"c""#);
    }

    #[test]
    fn stray_and_misnested_end_tags() {
        assert_eq!(render("<div><span>a</div>b</span>c"), r#"div(span("a"))"bc""#);
        assert_eq!(render("<div><table><tr><td>a</div>b</td></tr></table>"), r#"div(table(tr(td("ab"))))"#);
        assert_eq!(render("</p></div>a"), r#""a""#);
        assert_eq!(render("<b><p>x</b>y</p>z"), r#"b(p("xy")"z")"#);
    }

    #[test]
    fn head_closes_itself_and_svg_breaks_out() {
        assert_eq!(render("<html><head><title>T</title><p>a"), r#"html(head(title("T"))p("a"))"#);
        assert_eq!(render("<svg><path/><title>x</title><p>y"), r#"svg(other()title("x"))p("y")"#);
    }
}
