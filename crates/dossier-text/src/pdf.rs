//! PDF: the text layer, as paragraphs.
//!
//! `pdf-extract` (on `lopdf`) parses the file and interprets the content streams,
//! fonts and encodings; we receive every glyph with its position (our own
//! `OutputDev`) and rebuild lines and paragraphs ourselves (`layout.rs`), because
//! `pdf-extract`'s plain-text output has no paragraph breaks.
//!
//! `pdf-extract` `unwrap`s freely and recurses, so around it:
//! - every call runs under [`std::panic::catch_unwind`]; a panic becomes
//!   [`ReadError::Pdf`] (the default panic hook still prints the message to stderr);
//! - before it runs, the page tree and the form XObjects are checked for cycles and
//!   depth (a cycle would recurse until the stack overflows, which no
//!   `catch_unwind` can catch), and image XObjects are emptied (it would try to
//!   interpret their pixels as a content stream);
//! - a budget bounds the work: at most [`MAX_PAGES`] pages, [`MAX_GLYPHS`] glyphs,
//!   and [`TIME_LIMIT`] of wall time (checked at every page and glyph).
//!
//! Pages are read one at a time, so a page that makes `pdf-extract` panic is left
//! out and the rest of the document is kept; only if no page gives text is the
//! document an error.
//!
//! Speed is `pdf-extract`'s: a 53-page, 442 KB manual takes about 0.9 s (release),
//! the same as its own `extract_text`; the checks and layout add little.
//!
//! Encrypted files are opened with the empty user password when that works (as any
//! viewer does); otherwise they are an error. Limitation: a compression bomb (a
//! small stream that inflates to gigabytes) is not bounded, as `lopdf` inflates
//! streams without a size limit.

mod layout;

use crate::ReadError;
use pdf_extract::{Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Documents with more pages are refused (a news article is a few pages).
pub const MAX_PAGES: usize = 2000;
/// At most this many glyphs are read from one document.
pub const MAX_GLYPHS: usize = 20_000_000;
/// Wall-time limit for one document.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Form XObjects nested deeper than this are refused.
const MAX_FORM_DEPTH: usize = 32;

/// Extracts the text layer of a PDF: paragraphs separated by a blank line, lines
/// of one paragraph joined by a space.
///
/// Errors ([`ReadError::Pdf`]): not a PDF, broken or truncated, encrypted with a
/// password, no text layer (a scan), or over the limits above. Never panics.
pub fn extract(bytes: &[u8]) -> Result<String, ReadError> {
    let err = |m: String| ReadError::Pdf(m);
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(err("not a PDF (no %PDF- header)".into()));
    }
    let deadline = Instant::now() + TIME_LIMIT;
    let mut doc = guarded(|| load(bytes))?.map_err(err)?;
    let pages: Vec<(u32, ObjectId)> = guarded(|| doc.get_pages().into_iter().collect())?;
    if pages.is_empty() {
        return Err(err("no pages (broken or truncated file?)".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(err(format!("{} pages, over the {MAX_PAGES}-page limit", pages.len())));
    }
    guarded(|| check_structure(&doc, &pages))?.map_err(err)?;
    guarded(|| empty_images(&mut doc))?;

    let mut dev = Collector::new(deadline);
    let mut first_failure: Option<String> = None;
    for &(page_num, _) in &pages {
        let before = dev.pages.len();
        let result = catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc_page(&doc, &mut dev, page_num)));
        if let Some(stop) = dev.stop.take() {
            return Err(err(stop));
        }
        let failure = match result {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(panic) => Some(panic_message(&*panic)),
        };
        if let Some(f) = failure {
            // Drop what the failed page produced; keep the rest.
            dev.pages.truncate(before);
            first_failure.get_or_insert(format!("page {page_num}: {f}"));
        }
    }
    let text = layout::paragraphs(&dev.pages);
    if text.trim().is_empty() {
        return Err(err(match first_failure {
            Some(f) => format!("could not read the text layer ({f})"),
            None => "no text layer (a scanned document?)".into(),
        }));
    }
    Ok(text)
}

/// Runs `f`, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, ReadError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| ReadError::Pdf(format!("broken PDF ({})", panic_message(&*p))))
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".into());
    format!("parser panicked: {}", msg.chars().take(200).collect::<String>())
}

fn load(bytes: &[u8]) -> Result<Document, String> {
    let mut doc = Document::load_mem(bytes).map_err(|e| {
        let m = e.to_string();
        if m.to_ascii_lowercase().contains("decrypt") || m.to_ascii_lowercase().contains("password") {
            format!("encrypted PDF, needs a password ({m})")
        } else {
            format!("cannot parse ({m}; broken or truncated file?)")
        }
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err("encrypted PDF, needs a password".into());
    }
    Ok(doc)
}

/// The object `o` points to (following references a bounded number of times).
fn deref<'a>(doc: &'a Document, mut o: &'a Object) -> Option<&'a Object> {
    for _ in 0..32 {
        match o {
            Object::Reference(id) => o = doc.objects.get(id)?,
            _ => return Some(o),
        }
    }
    None
}

fn dict_get<'a>(doc: &'a Document, d: &'a pdf_extract::Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().and_then(|o| deref(doc, o))
}

/// Refuses structures that would make `pdf-extract` recurse without end: a page
/// whose `/Parent` chain loops, and form XObjects that draw themselves.
fn check_structure(doc: &Document, pages: &[(u32, ObjectId)]) -> Result<(), String> {
    let unique: HashSet<ObjectId> = pages.iter().map(|p| p.1).collect();
    if unique.len() != pages.len() {
        return Err("the page tree lists a page twice".into());
    }
    let mut checked = HashSet::new();
    for &(_, id) in pages {
        let page = doc.get_dictionary(id).map_err(|e| format!("page object: {e}"))?;
        // /Parent chain: finite and acyclic, and find the inherited /Resources.
        let mut seen = HashSet::new();
        let mut node = page;
        let mut resources = None;
        loop {
            if resources.is_none() {
                resources = dict_get(doc, node, b"Resources").and_then(|o| o.as_dict().ok());
            }
            match node.get(b"Parent").ok().and_then(|p| p.as_reference().ok()) {
                Some(pid) => {
                    if !seen.insert(pid) || seen.len() > 256 {
                        return Err("the page tree loops".into());
                    }
                    match doc.get_dictionary(pid) {
                        Ok(d) => node = d,
                        Err(_) => break,
                    }
                }
                None => break,
            }
        }
        if let Some(res) = resources {
            check_forms(doc, res, &mut checked)?;
        }
    }
    Ok(())
}

/// Names drawn with `Do` in a content stream.
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(ops) = pdf_extract::content::Content::decode(content) else {
        return Vec::new();
    };
    ops.operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec))
        .collect()
}

/// Depth-first over (form, resources) states reachable from a page's resources,
/// mirroring how `pdf-extract` resolves `Do`: a form's names resolve in its own
/// `/Resources`, or in the caller's if it has none. Conservative: every form named
/// in reachable resources counts as drawn from the page.
fn check_forms(
    doc: &Document,
    page_res: &pdf_extract::Dictionary,
    done: &mut HashSet<(ObjectId, usize)>,
) -> Result<(), String> {
    type State<'a> = (ObjectId, &'a pdf_extract::Dictionary);
    // Children of a state: the forms its content draws.
    let children = |form: ObjectId, res: &'_ pdf_extract::Dictionary| -> Vec<ObjectId> {
        let Some(Object::Stream(s)) = doc.objects.get(&form) else { return Vec::new() };
        let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let xobjects = dict_get(doc, res, b"XObject").and_then(|o| o.as_dict().ok());
        drawn_names(&content)
            .iter()
            .filter_map(|n| xobjects.and_then(|x| x.get(n).ok()).and_then(|o| o.as_reference().ok()))
            .filter(|id| is_form(doc, *id))
            .collect()
    };
    let key = |st: &State<'_>| (st.0, st.1 as *const _ as usize);
    fn resources_of<'a>(
        doc: &'a Document,
        form: ObjectId,
        inherited: &'a pdf_extract::Dictionary,
    ) -> &'a pdf_extract::Dictionary {
        match doc.objects.get(&form) {
            Some(Object::Stream(s)) => {
                dict_get(doc, &s.dict, b"Resources").and_then(|o| o.as_dict().ok()).unwrap_or(inherited)
            }
            _ => inherited,
        }
    }
    // Roots: forms named in the page's resources (the page content may draw any).
    let roots: Vec<ObjectId> = dict_get(doc, page_res, b"XObject")
        .and_then(|o| o.as_dict().ok())
        .map(|x| x.iter().filter_map(|(_, o)| o.as_reference().ok()).filter(|id| is_form(doc, *id)).collect())
        .unwrap_or_default();
    for root in roots {
        let start: State<'_> = (root, resources_of(doc, root, page_res));
        if done.contains(&key(&start)) {
            continue;
        }
        // Iterative DFS: (state, children, next child index).
        let mut path: Vec<(State<'_>, Vec<ObjectId>, usize)> = Vec::new();
        let mut on_path: HashSet<(ObjectId, usize)> = HashSet::new();
        on_path.insert(key(&start));
        path.push((start, children(start.0, start.1), 0));
        while let Some((state, kids, next)) = path.last_mut() {
            if *next >= kids.len() {
                let k = key(state);
                on_path.remove(&k);
                done.insert(k);
                path.pop();
                continue;
            }
            let kid = kids[*next];
            *next += 1;
            let child: State<'_> = (kid, resources_of(doc, kid, state.1));
            let k = key(&child);
            if on_path.contains(&k) {
                return Err("a form XObject draws itself (cyclic PDF)".into());
            }
            if done.contains(&k) {
                continue;
            }
            if path.len() >= MAX_FORM_DEPTH {
                return Err(format!("form XObjects nested over {MAX_FORM_DEPTH} deep"));
            }
            on_path.insert(k);
            let kids = children(child.0, child.1);
            path.push((child, kids, 0));
        }
    }
    Ok(())
}

fn is_form(doc: &Document, id: ObjectId) -> bool {
    matches!(doc.objects.get(&id), Some(Object::Stream(s)) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
}

/// Turns image XObjects into empty forms: `pdf-extract` interprets whatever `Do`
/// draws as a content stream, and pixels are not one.
fn empty_images(doc: &mut Document) {
    let images: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")))
        .map(|(id, _)| *id)
        .collect();
    for id in images {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(&id) {
            s.dict.set("Subtype", Object::Name(b"Form".to_vec()));
            s.dict.remove(b"Filter");
            s.dict.remove(b"DecodeParms");
            s.set_content(Vec::new());
        }
    }
}

/// Receives glyphs from `pdf-extract`, page by page, within the budget.
struct Collector {
    pages: Vec<Vec<layout::Glyph>>,
    page_height: f64,
    n_glyphs: usize,
    deadline: Instant,
    /// Set when the budget ran out: the whole document fails with this message.
    stop: Option<String>,
}

impl Collector {
    fn new(deadline: Instant) -> Collector {
        Collector { pages: Vec::new(), page_height: 0.0, n_glyphs: 0, deadline, stop: None }
    }

    fn check_budget(&mut self) -> Result<(), OutputError> {
        let over = if self.n_glyphs > MAX_GLYPHS {
            Some(format!("over {MAX_GLYPHS} glyphs"))
        } else if Instant::now() > self.deadline {
            Some(format!("took over {} s", TIME_LIMIT.as_secs()))
        } else {
            None
        };
        match over {
            Some(m) => {
                self.stop = Some(format!("gave up: {m}"));
                Err(OutputError::FormatError(std::fmt::Error))
            }
            None => Ok(()),
        }
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.check_budget()?;
        self.page_height = media_box.ury - media_box.lly;
        self.pages.push(Vec::new());
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.n_glyphs += 1;
        if self.n_glyphs & 4095 == 0 {
            self.check_budget()?;
        }
        // `trm` (text space to page, without the font size) times the font size
        // gives the rendered size.
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt() * font_size.abs();
        let size = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        let advance = if width.is_finite() { width * size } else { 0.0 };
        let glyph = layout::Glyph { x, y, size, advance, text: char.to_string() };
        match self.pages.last_mut() {
            Some(p) => p.push(glyph),
            None => self.pages.push(vec![glyph]),
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF written by hand: Helvetica text, one content stream per page,
    /// with a correct xref table.
    fn pdf(pages: &[&str]) -> Vec<u8> {
        let mut objects: Vec<String> = Vec::new();
        let n = pages.len();
        // 1: catalog, 2: pages, 3: font, then per page: page, content.
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
        for (i, content) in pages.iter().enumerate() {
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
        }
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        out
    }

    /// A content stream drawing `lines` at 12pt, 14pt apart, from y = 720; an
    /// empty line adds a paragraph gap.
    fn text_stream(lines: &[&str]) -> String {
        let mut s = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
        for l in lines {
            if l.is_empty() {
                s.push_str("T*\n");
            } else {
                s.push_str(&format!("({}) Tj T*\n", l.replace('(', "\\(").replace(')', "\\)")));
            }
        }
        s.push_str("ET");
        s
    }

    fn sample() -> Vec<u8> {
        let p1 = text_stream(&[
            "Flood defences failed in Northtown on Monday night, forcing hundreds of",
            "residents from their homes, officials said. Rescue teams worked through the",
            "night to reach people trapped by the water in the low-lying eastern dis-",
            "trict near the river.",
            "",
            "The mayor said an inquiry would report in May.",
        ]);
        let p2 = text_stream(&["Page two starts a new paragraph."]);
        pdf(&[&p1, &p2])
    }

    #[test]
    fn extracts_paragraphs_from_a_generated_pdf() {
        let text = extract(&sample()).unwrap();
        assert_eq!(
            text,
            "Flood defences failed in Northtown on Monday night, forcing hundreds of residents from their homes, \
             officials said. Rescue teams worked through the night to reach people trapped by the water in the \
             low-lying eastern district near the river.\n\n\
             The mayor said an inquiry would report in May.\n\n\
             Page two starts a new paragraph."
        );
    }

    #[test]
    fn truncated_pdf_is_an_error() {
        let full = sample();
        for cut in [full.len() / 2, full.len() / 3, 40, 10] {
            assert!(matches!(extract(&full[..cut]), Err(ReadError::Pdf(_))), "cut at {cut}");
        }
    }

    #[test]
    fn not_a_pdf_and_random_bytes_are_errors() {
        assert!(matches!(extract(b""), Err(ReadError::Pdf(_))));
        assert!(matches!(extract(b"hello world"), Err(ReadError::Pdf(_))));
        // Deterministic pseudo-random bytes, with and without a PDF header.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut noise = Vec::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            noise.push((x >> 32) as u8);
        }
        assert!(matches!(extract(&noise), Err(ReadError::Pdf(_))));
        let mut headed = b"%PDF-1.7\n".to_vec();
        headed.extend_from_slice(&noise);
        assert!(matches!(extract(&headed), Err(ReadError::Pdf(_))));
    }

    #[test]
    fn no_text_layer_is_an_error() {
        let blank = pdf(&["0 0 m 100 100 l S"]);
        let e = extract(&blank).unwrap_err();
        assert!(e.to_string().contains("no text layer"), "{e}");
    }

    #[test]
    fn self_drawing_form_is_refused_not_overflowed() {
        // Page resources name form 6, whose content draws itself.
        let mut bytes = Vec::new();
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>".to_string(),
            "<< /Length 7 >>\nstream\n/X1 Do\n\nendstream".to_string(),
            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length 7 >>\nstream\n/X1 Do\n\nendstream".to_string(),
        ];
        bytes.extend_from_slice(b"%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(bytes.len());
            bytes.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = bytes.len();
        bytes.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            bytes.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        bytes.extend_from_slice(format!("trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        let e = extract(&bytes).unwrap_err();
        assert!(e.to_string().contains("draws itself"), "{e}");
    }

    #[test]
    fn password_protected_pdf_is_an_error() {
        let mut doc = Document::load_mem(&sample()).unwrap();
        let id = Object::String(b"0123456789abcdef".to_vec(), pdf_extract::StringFormat::Hexadecimal);
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        let version = pdf_extract::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "secret",
            key_length: 128,
            permissions: pdf_extract::Permissions::all(),
        };
        let state = pdf_extract::EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let e = extract(&bytes).unwrap_err();
        assert!(e.to_string().contains("encrypted"), "{e}");
    }
}
