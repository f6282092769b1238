//! Feature extraction: every feature is a `u32` hash, made without allocation.
//!
//! Static features (word, affixes, shape, clusters, gazetteer, window, sentence and
//! document casing) depend only on the text and are computed once per token;
//! dynamic features (previous labels, the labels earlier mentions of the same word got
//! in the document) are added during greedy decoding.

use super::lexicon::{Lexicon, N_CLUSTER};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;

/// Feature templates (the first argument of [`feat`]).
mod t {
    pub const BIAS: u64 = 1;
    pub const WORD: u64 = 2;
    pub const LOWER: u64 = 3;
    pub const LOWER_M1: u64 = 4;
    pub const LOWER_P1: u64 = 5;
    pub const LOWER_M2: u64 = 6;
    pub const LOWER_P2: u64 = 7;
    pub const BI_M1: u64 = 8;
    pub const BI_P1: u64 = 9;
    pub const SHAPE: u64 = 10;
    pub const SSHAPE_M1: u64 = 11;
    pub const SSHAPE_P1: u64 = 12;
    pub const SHAPE_TRI: u64 = 13;
    pub const AFFIX: u64 = 14;
    pub const FIRST: u64 = 15;
    pub const HEADLINE: u64 = 16;
    pub const CL: u64 = 17;
    pub const CL_ALT: u64 = 18;
    pub const CL_M1: u64 = 19;
    pub const CL_P1: u64 = 20;
    pub const GAZ: u64 = 21;
    pub const GAZ_M1: u64 = 22;
    pub const GAZ_P1: u64 = 23;
    pub const DOC_LOWER: u64 = 24;
    pub const DOC_TITLE: u64 = 25;
    pub const P1: u64 = 26;
    pub const P2: u64 = 27;
    pub const P1P2: u64 = 28;
    pub const P1_LOWER: u64 = 29;
    pub const P1_SHAPE: u64 = 30;
    pub const HIST: u64 = 31;
    pub const HIST_MAJ: u64 = 32;
    pub const CL_M2: u64 = 33;
    pub const CL_P2: u64 = 34;
    pub const SSHAPE: u64 = 35;
    pub const CAP_CL: u64 = 36;
    pub const LEN: u64 = 37;
    pub const HIST_CAP: u64 = 38;
    pub const GAZ_LEN: u64 = 39;
    pub const PUNCT_CTX: u64 = 40;
    pub const NAME: u64 = 41;
    pub const NAME_M1: u64 = 42;
    pub const NAME_P1: u64 = 43;
    pub const NAME_PAIR_M1: u64 = 44;
    pub const NAME_PAIR_P1: u64 = 45;
    pub const NAME_ALL: u64 = 46;
    // 47 to 49: the first stage's own labels (tried; the second stage does better
    // without them).
    pub const AGG_TYPE: u64 = 50;
    pub const AGG_O: u64 = 51;
    pub const AGG_POS: u64 = 52;
    pub const AGG_MAJ: u64 = 53;
    pub const AGG_MAJ_M1: u64 = 54;
    pub const AGG_MAJ_P1: u64 = 55;
    pub const AGG_N: u64 = 56;
}

/// Mixes a template id and a value into a feature id.
#[inline]
pub(crate) fn feat(template: u64, value: u64) -> u32 {
    let mut h = (value ^ template.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    (h >> 32) as u32
}

#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let h = (a.rotate_left(26) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 31)
}

/// Hash of a sequence of chars (the same function for a string and for a cased view of it).
#[inline]
fn hash_chars(it: impl Iterator<Item = char>) -> u64 {
    let mut h = FxHasher::default();
    for c in it {
        h.write_u32(c as u32);
    }
    h.write_u8(0xFF);
    h.finish()
}

/// Hash of `s` as written.
#[inline]
pub(crate) fn hash_exact(s: &str) -> u64 {
    hash_chars(s.chars())
}

/// Hash of the lowercase form of `s` (equals `hash_exact(&s.to_lowercase())` for
/// characters whose lowercase is one char).
#[inline]
pub(crate) fn hash_lower(s: &str) -> u64 {
    hash_chars(s.chars().flat_map(char::to_lowercase))
}

/// Hash of the title-case form of `s` ("PENTAGON" -> "Pentagon").
#[inline]
pub(crate) fn hash_title(s: &str) -> u64 {
    let mut first = true;
    hash_chars(s.chars().flat_map(move |c| {
        let up = first;
        first = false;
        CaseIter::new(c, up)
    }))
}

/// One char upper- or lower-cased, as an iterator (no allocation).
enum CaseIter {
    Up(std::char::ToUppercase),
    Low(std::char::ToLowercase),
}
impl CaseIter {
    fn new(c: char, up: bool) -> CaseIter {
        if up {
            CaseIter::Up(c.to_uppercase())
        } else {
            CaseIter::Low(c.to_lowercase())
        }
    }
}
impl Iterator for CaseIter {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            CaseIter::Up(i) => i.next(),
            CaseIter::Low(i) => i.next(),
        }
    }
}

/// Capitalisation class of a token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(crate) enum Cap {
    /// No letters.
    NoAlpha = 0,
    /// All letters lowercase.
    Lower = 1,
    /// First letter uppercase, some lowercase after.
    Title = 2,
    /// All letters uppercase (at least one).
    Upper = 3,
    /// Starts lowercase, has uppercase later ("iPhone", "eBay").
    Mixed = 4,
}

fn cap_of(s: &str) -> Cap {
    let mut n_up = 0;
    let mut n_low = 0;
    let mut first_up = None;
    for c in s.chars() {
        if c.is_alphabetic() {
            let up = c.is_uppercase();
            if first_up.is_none() {
                first_up = Some(up);
            }
            if up {
                n_up += 1
            } else {
                n_low += 1
            }
        }
    }
    match first_up {
        None => Cap::NoAlpha,
        Some(true) if n_low == 0 => Cap::Upper,
        Some(true) => Cap::Title,
        Some(false) if n_up == 0 => Cap::Lower,
        Some(false) => Cap::Mixed,
    }
}

#[inline]
fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_alphabetic() {
        'x'
    } else if c.is_ascii_digit() {
        'd'
    } else {
        c
    }
}

/// Everything the features need to know about one token.
#[derive(Clone, Debug)]
pub(crate) struct TokInfo {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    pub sshape: u64,
    pub affix: [u64; 8],
    pub cl: [u32; N_CLUSTER],
    pub cl_alt: [u32; N_CLUSTER],
    pub gaz: u32,
    /// Name-word bits (`lexicon::name_bits`).
    pub names: u8,
    pub cap: Cap,
    pub len: u8,
    pub punct: bool,
}

/// No cluster.
pub(crate) const NO_CL: u32 = u32::MAX;

impl TokInfo {
    pub(crate) fn new(w: &str, lex: &Lexicon) -> TokInfo {
        let word = hash_exact(w);
        let lower = hash_lower(w);
        let cap = cap_of(w);
        // Shapes: long (capped at 12 chars) and short (runs collapsed).
        let mut hl = FxHasher::default();
        let mut hs = FxHasher::default();
        let mut last = '\0';
        let mut n = 0usize;
        for c in w.chars() {
            let k = shape_class(c);
            if n < 12 {
                hl.write_u32(k as u32);
            }
            if k != last {
                hs.write_u32(k as u32);
                last = k;
            }
            n += 1;
        }
        let shape = hl.finish();
        let sshape = hs.finish();
        // Affixes: lowercase prefixes and suffixes of 1..=4 chars, when shorter than the word.
        let mut affix = [0u64; 8];
        if n > 1 {
            let mut hp = FxHasher::default();
            for (k, c) in w.chars().flat_map(char::to_lowercase).take(4).enumerate() {
                hp.write_u32(c as u32);
                if k + 1 < n {
                    affix[k] = mix(k as u64 + 1, hp.finish());
                }
            }
            let mut hsuf = FxHasher::default();
            for (k, c) in w.chars().rev().flat_map(char::to_lowercase).take(4).enumerate() {
                hsuf.write_u32(c as u32);
                if k + 1 < n {
                    affix[4 + k] = mix(k as u64 + 11, hsuf.finish());
                }
            }
        }
        let wide = |c: Option<[u16; N_CLUSTER]>| c.map(|a| a.map(u32::from));
        let exact = wide(lex.clusters(word));
        let lower_cl = wide(lex.clusters(lower));
        let (cl, cl_alt) = match cap {
            Cap::Upper | Cap::Title => {
                let title_cl = if cap == Cap::Upper { wide(lex.clusters(hash_title(w))) } else { None };
                let main = exact.or(title_cl).or(lower_cl);
                (main, lower_cl)
            }
            _ => (exact.or(lower_cl), None),
        };
        let punct = n > 0 && !w.chars().any(|c| c.is_alphanumeric());
        TokInfo {
            word,
            lower,
            shape,
            sshape,
            affix,
            cl: cl.unwrap_or([NO_CL; N_CLUSTER]),
            cl_alt: cl_alt.unwrap_or([NO_CL; N_CLUSTER]),
            gaz: 0,
            names: if cap == Cap::NoAlpha { 0 } else { lex.names(lower) },
            cap,
            len: n.min(255) as u8,
            punct,
        }
    }
}

/// Builds the token infos of one sentence, gazetteer matches included.
pub(crate) fn sentence_infos(words: &[&str], lex: &Lexicon) -> Vec<TokInfo> {
    let mut infos: Vec<TokInfo> = words.iter().map(|w| TokInfo::new(w, lex)).collect();
    lex.mark_gazetteer(&mut infos);
    infos
}

/// Whether a sentence is a headline in capitals (most of its letters-bearing tokens are
/// all caps).
pub(crate) fn is_caps_sentence(infos: &[TokInfo]) -> bool {
    let mut n_alpha = 0;
    let mut n_upper = 0;
    for t in infos {
        if t.cap != Cap::NoAlpha {
            n_alpha += 1;
            if t.cap == Cap::Upper && t.len > 1 {
                n_upper += 1;
            }
        }
    }
    n_upper >= 2 && n_upper * 10 >= n_alpha * 7
}

/// Document-wide facts about words: seen lowercase somewhere, seen capitalised away from
/// the start of a sentence somewhere.
#[derive(Default)]
pub(crate) struct DocStatic {
    lower_seen: FxHashSet<u64>,
    title_seen: FxHashSet<u64>,
}

impl DocStatic {
    pub(crate) fn new<'a>(sentences: impl Iterator<Item = &'a [TokInfo]>) -> DocStatic {
        let mut d = DocStatic::default();
        for s in sentences {
            let caps = is_caps_sentence(s);
            for (i, t) in s.iter().enumerate() {
                match t.cap {
                    Cap::Lower => {
                        d.lower_seen.insert(t.lower);
                    }
                    Cap::Title if i > 0 && !caps && !s[i - 1].punct => {
                        d.title_seen.insert(t.lower);
                    }
                    _ => {}
                }
            }
        }
        d
    }
}

/// Static features of token `i`, appended to `out`.
pub(crate) fn static_features(s: &[TokInfo], i: usize, caps: bool, doc: &DocStatic, out: &mut Vec<u32>) {
    let tok = &s[i];
    let get = |k: isize| -> Option<&TokInfo> {
        let j = i as isize + k;
        if j < 0 {
            None
        } else {
            s.get(j as usize)
        }
    };
    const PAD: u64 = 0x5A5A;
    let lower_at = |k: isize| get(k).map_or(PAD ^ k as u64, |t| t.lower);
    let sshape_at = |k: isize| get(k).map_or(PAD ^ k as u64, |t| t.sshape);
    out.push(feat(t::BIAS, 0));
    out.push(feat(t::WORD, tok.word));
    out.push(feat(t::LOWER, tok.lower));
    out.push(feat(t::LOWER_M1, lower_at(-1)));
    out.push(feat(t::LOWER_P1, lower_at(1)));
    out.push(feat(t::LOWER_M2, lower_at(-2)));
    out.push(feat(t::LOWER_P2, lower_at(2)));
    out.push(feat(t::BI_M1, mix(lower_at(-1), tok.lower)));
    out.push(feat(t::BI_P1, mix(tok.lower, lower_at(1))));
    out.push(feat(t::SHAPE, tok.shape));
    out.push(feat(t::SSHAPE, tok.sshape));
    out.push(feat(t::SSHAPE_M1, sshape_at(-1)));
    out.push(feat(t::SSHAPE_P1, sshape_at(1)));
    out.push(feat(t::SHAPE_TRI, mix(mix(sshape_at(-1), tok.sshape), sshape_at(1))));
    for &a in &tok.affix {
        if a != 0 {
            out.push(feat(t::AFFIX, a));
        }
    }
    out.push(feat(t::LEN, tok.len.min(12) as u64));
    let first = i == 0 || s[i - 1].punct && matches!(get(-1).map(|p| p.len), Some(1)) && i == 1;
    out.push(feat(t::FIRST, mix(first as u64, tok.sshape)));
    out.push(feat(t::HEADLINE, mix(caps as u64, tok.sshape)));
    for (g, &c) in tok.cl.iter().enumerate() {
        if c != NO_CL {
            out.push(feat(t::CL, mix(g as u64, c as u64)));
            if g == 1 {
                out.push(feat(t::CAP_CL, mix(mix(tok.cap as u64, caps as u64), c as u64)));
            }
        }
    }
    for (g, &c) in tok.cl_alt.iter().enumerate().take(3) {
        if c != NO_CL {
            out.push(feat(t::CL_ALT, mix(g as u64, c as u64)));
        }
    }
    for (k, tm, g_max) in [(-1isize, t::CL_M1, 3usize), (1, t::CL_P1, 3), (-2, t::CL_M2, 1), (2, t::CL_P2, 1)] {
        match get(k) {
            Some(n) => {
                for g in 0..g_max {
                    if n.cl[g] != NO_CL {
                        out.push(feat(tm, mix(g as u64, n.cl[g] as u64)));
                    }
                }
            }
            None => out.push(feat(tm, PAD)),
        }
    }
    let mut push_gaz = |tm: u64, bits: u32| {
        let mut b = bits;
        while b != 0 {
            let k = b.trailing_zeros();
            out.push(feat(tm, k as u64));
            b &= b - 1;
        }
    };
    push_gaz(t::GAZ, tok.gaz);
    push_gaz(t::GAZ_M1, get(-1).map_or(0, |t| t.gaz));
    push_gaz(t::GAZ_P1, get(1).map_or(0, |t| t.gaz));
    if tok.gaz != 0 {
        out.push(feat(t::GAZ_LEN, mix(tok.gaz as u64, tok.cap as u64)));
    }
    if tok.cap == Cap::Title || tok.cap == Cap::Upper {
        out.push(feat(t::DOC_LOWER, mix(doc.lower_seen.contains(&tok.lower) as u64, mix(tok.cap as u64, first as u64))));
        if first || caps {
            out.push(feat(t::DOC_TITLE, doc.title_seen.contains(&tok.lower) as u64));
        }
    }
    // Name words (person / organisation lists, folded into hashed keys at training).
    let capped = |t: &TokInfo| matches!(t.cap, Cap::Title | Cap::Upper | Cap::Mixed);
    fn push_bits(out: &mut Vec<u32>, tm: u64, bits: u8, extra: u64) {
        let mut b = bits;
        while b != 0 {
            let k = b.trailing_zeros();
            out.push(feat(tm, mix(k as u64, extra)));
            b &= b - 1;
        }
    }
    let cap_ctx = mix(tok.cap as u64, caps as u64);
    push_bits(out, t::NAME, tok.names, cap_ctx);
    if tok.names != 0 {
        out.push(feat(t::NAME_ALL, mix(tok.names as u64, capped(tok) as u64)));
    }
    if let Some(p) = get(-1) {
        push_bits(out, t::NAME_M1, p.names, capped(p) as u64);
        if tok.names != 0 && p.names != 0 && capped(p) && capped(tok) {
            out.push(feat(t::NAME_PAIR_M1, mix(p.names as u64, tok.names as u64)));
        }
    }
    if let Some(n) = get(1) {
        push_bits(out, t::NAME_P1, n.names, capped(n) as u64);
        if tok.names != 0 && n.names != 0 && capped(n) && capped(tok) {
            out.push(feat(t::NAME_PAIR_P1, mix(tok.names as u64, n.names as u64)));
        }
    }
    if let (Some(p), Some(n)) = (get(-1), get(1)) {
        if p.punct && n.punct {
            out.push(feat(t::PUNCT_CTX, mix(p.word, n.word)));
        }
    }
}

/// Per-document memory of the entity types earlier mentions of a word were given.
#[derive(Default)]
pub(crate) struct History {
    counts: FxHashMap<u64, [u16; 4]>,
}

impl History {
    /// Records the labels (BILOU ids) of a tagged sentence.
    pub(crate) fn record(&mut self, infos: &[TokInfo], labels: &[u8]) {
        for (t, &l) in infos.iter().zip(labels) {
            if l != 0 && t.cap != Cap::NoAlpha {
                let e = self.counts.entry(t.lower).or_insert([0; 4]);
                let ty = ((l - 1) / 4) as usize;
                e[ty] = e[ty].saturating_add(1);
            }
        }
    }
}

/// Features of a token that depend on the previous two labels.
#[inline]
pub(crate) fn label_features(tok: &TokInfo, p1: u8, p2: u8, out: &mut Vec<u32>) {
    transition_features(p1, p2, out);
    label_token_features(tok, p1, out);
}

/// The part of [`label_features`] that depends only on the labels (decoding keeps their
/// scores in a table).
#[inline]
pub(crate) fn transition_features(p1: u8, p2: u8, out: &mut Vec<u32>) {
    out.push(feat(t::P1, p1 as u64));
    out.push(feat(t::P2, p2 as u64));
    out.push(feat(t::P1P2, mix(p1 as u64, p2 as u64)));
}

/// The part of [`label_features`] that depends on the token and the previous label.
#[inline]
pub(crate) fn label_token_features(tok: &TokInfo, p1: u8, out: &mut Vec<u32>) {
    out.push(feat(t::P1_LOWER, mix(p1 as u64, tok.lower)));
    out.push(feat(t::P1_SHAPE, mix(p1 as u64, tok.sshape)));
}

/// Features of a token from the types earlier mentions of its word got in the document.
pub(crate) fn history_features(tok: &TokInfo, hist: &History, out: &mut Vec<u32>) {
    if tok.cap != Cap::Lower && tok.cap != Cap::NoAlpha {
        if let Some(c) = hist.counts.get(&tok.lower) {
            let mut best = 0;
            for ty in 0..4 {
                if c[ty] > 0 {
                    out.push(feat(t::HIST, ty as u64));
                }
                if c[ty] > c[best] {
                    best = ty;
                }
            }
            out.push(feat(t::HIST_MAJ, best as u64));
            out.push(feat(t::HIST_CAP, mix(best as u64, tok.cap as u64)));
        }
    }
}

/// What the first stage said about one word (lowercased) over a whole document.
#[derive(Default, Clone, Copy)]
struct AggEntry {
    /// Occurrences counted: capitalised ones, and lowercase ones given an entity label.
    n: u16,
    /// How many of them got each entity type.
    types: [u16; 4],
    /// Bit `label - 1` for every BILOU label given.
    pos: u16,
}

/// Two-stage aggregation (Ratinov & Roth 2009): the label distribution the first stage
/// gave to all mentions of each word in the document.
#[derive(Default)]
pub(crate) struct DocAgg {
    words: FxHashMap<u64, AggEntry>,
}

/// Majority class of a word: type 0..4, 4 = never tagged, 5 = not counted.
const MAJ_O: u64 = 4;
const MAJ_NONE: u64 = 5;

impl DocAgg {
    pub(crate) fn new<'a>(doc: impl Iterator<Item = (&'a [TokInfo], &'a [u8])>) -> DocAgg {
        let mut d = DocAgg::default();
        for (s, ls) in doc {
            for (t, &l) in s.iter().zip(ls) {
                if t.cap == Cap::NoAlpha || (l == 0 && t.cap == Cap::Lower) {
                    continue;
                }
                let e = d.words.entry(t.lower).or_default();
                e.n = e.n.saturating_add(1);
                if l != 0 {
                    let ty = ((l - 1) / 4) as usize;
                    e.types[ty] = e.types[ty].saturating_add(1);
                    e.pos |= 1 << (l - 1);
                }
            }
        }
        d
    }

    fn majority(&self, t: &TokInfo) -> u64 {
        if t.cap == Cap::NoAlpha {
            return MAJ_NONE;
        }
        match self.words.get(&t.lower) {
            None => MAJ_NONE,
            Some(e) => {
                let mut best = MAJ_O;
                let mut bc = 0;
                for (ty, &c) in e.types.iter().enumerate() {
                    if c > bc {
                        bc = c;
                        best = ty as u64;
                    }
                }
                best
            }
        }
    }
}

#[inline]
fn frac_bucket(c: u16, n: u16) -> u64 {
    if c == 0 {
        0
    } else if c >= n {
        3
    } else if 2 * c >= n {
        2
    } else {
        1
    }
}

/// Second-stage features of token `i`: what the first stage said about the other mentions
/// of its word and of its neighbours' words in the document, with its own first-stage type.
pub(crate) fn agg_features(s: &[TokInfo], labels: &[u8], i: usize, agg: &DocAgg, out: &mut Vec<u32>) {
    let tok = &s[i];
    let l = labels[i] as u64;
    let lty = if l == 0 { MAJ_O } else { (l - 1) / 4 };
    if tok.cap != Cap::NoAlpha {
        if let Some(&e) = agg.words.get(&tok.lower) {
            // The other mentions only: take this one's own label out.
            let mut e = e;
            if !(l == 0 && tok.cap == Cap::Lower) {
                e.n = e.n.saturating_sub(1);
                if l != 0 {
                    e.types[lty as usize] = e.types[lty as usize].saturating_sub(1);
                }
            }
            let n = e.n.max(1);
            let tagged: u16 = e.types.iter().sum();
            for (ty, &c) in e.types.iter().enumerate() {
                if c > 0 {
                    out.push(feat(t::AGG_TYPE, mix(ty as u64, frac_bucket(c, n))));
                }
            }
            out.push(feat(t::AGG_O, frac_bucket(n.saturating_sub(tagged), n)));
            out.push(feat(t::AGG_N, mix(e.n.min(4) as u64, tok.cap as u64)));
            let mut b = e.pos;
            while b != 0 {
                out.push(feat(t::AGG_POS, b.trailing_zeros() as u64));
                b &= b - 1;
            }
            out.push(feat(t::AGG_MAJ, mix(agg.majority(tok), mix(lty, tok.cap as u64))));
        }
    }
    let maj_m1 = if i > 0 { agg.majority(&s[i - 1]) } else { 6 };
    let maj_p1 = s.get(i + 1).map_or(6, |n| agg.majority(n));
    out.push(feat(t::AGG_MAJ_M1, mix(maj_m1, lty)));
    out.push(feat(t::AGG_MAJ_P1, mix(maj_p1, lty)));
}
