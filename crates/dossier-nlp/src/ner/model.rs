//! The averaged structured perceptron over BILOU labels (beam search, early update), in
//! one or two stages: decoding, training with cross-validated first-stage labels,
//! (de)serialisation.

use super::data::{NerDocument, TypedSpan};
use super::features::{agg_features, history_features, is_caps_sentence, label_features, label_token_features, transition_features, sentence_infos, static_features, DocAgg, DocStatic, History, TokInfo};
use super::lexicon::{FlatMap, Lexicon, LexiconFile};
use super::CoarseType;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Labels: `O`, then `B I L U` for each of PER, ORG, LOC, MISC.
pub(crate) const N_LABELS: usize = 17;

#[inline]
fn label_type(l: u8) -> usize {
    ((l - 1) / 4) as usize
}
#[inline]
fn label_pos(l: u8) -> u8 {
    (l - 1) % 4
}
const B: u8 = 0;
const I: u8 = 1;
const L: u8 = 2;
const U: u8 = 3;

/// Whether `next` may follow `prev` (0 = outside or sentence start).
#[inline]
pub(crate) fn valid(prev: u8, next: u8) -> bool {
    let open = prev != 0 && matches!(label_pos(prev), B | I);
    if open {
        next != 0 && label_type(next) == label_type(prev) && matches!(label_pos(next), I | L)
    } else {
        next == 0 || matches!(label_pos(next), B | U)
    }
}

/// BILOU labels for gold spans.
pub(crate) fn spans_to_labels(n: usize, spans: &[TypedSpan]) -> Vec<u8> {
    let mut out = vec![0u8; n];
    for s in spans {
        let base = 1 + 4 * s.kind as u8;
        if s.end == s.start + 1 {
            out[s.start] = base + U;
        } else {
            out[s.start] = base + B;
            for l in &mut out[s.start + 1..s.end - 1] {
                *l = base + I;
            }
            out[s.end - 1] = base + L;
        }
    }
    out
}

/// Spans from well-formed BILOU labels.
pub(crate) fn labels_to_spans(labels: &[u8]) -> Vec<TypedSpan> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &l) in labels.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let kind = CoarseType::ALL[label_type(l)];
        match label_pos(l) {
            B => start = i,
            L => out.push(TypedSpan { start, end: i + 1, kind }),
            U => out.push(TypedSpan { start: i, end: i + 1, kind }),
            _ => {}
        }
    }
    out
}

/// Trained weights: feature id -> one row of label scores.
#[derive(Clone)]
pub(crate) struct Weights {
    index: FlatMap<u32>,
    rows: Vec<[f32; N_LABELS]>,
    /// Scores of the label-only features for each pair of previous labels
    /// (`p1 * N_LABELS + p2`), summed once.
    trans: Vec<[f32; N_LABELS]>,
}

impl Weights {
    fn new(index: FlatMap<u32>, rows: Vec<[f32; N_LABELS]>) -> Weights {
        let mut w = Weights { index, rows, trans: Vec::new() };
        let mut f = Vec::with_capacity(4);
        let mut trans = vec![[0f32; N_LABELS]; N_LABELS * N_LABELS];
        for p1 in 0..N_LABELS as u8 {
            for p2 in 0..N_LABELS as u8 {
                f.clear();
                transition_features(p1, p2, &mut f);
                w.score(&f, &mut trans[p1 as usize * N_LABELS + p2 as usize]);
            }
        }
        w.trans = trans;
        w
    }

    /// Adds the scores of the features that depend on the previous labels.
    #[inline]
    fn score_labels(&self, tok: &TokInfo, p1: u8, p2: u8, out: &mut [f32; N_LABELS], buf: &mut Vec<u32>) {
        for (o, w) in out.iter_mut().zip(&self.trans[p1 as usize * N_LABELS + p2 as usize]) {
            *o += w;
        }
        buf.clear();
        label_token_features(tok, p1, buf);
        self.score(buf, out);
    }

    #[inline]
    fn score(&self, feats: &[u32], out: &mut [f32; N_LABELS]) {
        for f in feats {
            if let Some(r) = self.index.get(*f as u64) {
                let row = &self.rows[r as usize];
                for (o, w) in out.iter_mut().zip(row) {
                    *o += w;
                }
            }
        }
    }

    pub(crate) fn n_features(&self) -> usize {
        self.rows.len()
    }
}

/// The most features `Joint::rows_of` takes at once (more go the plain way).
const MAX_FEATS: usize = 256;

/// Asks for the cache line holding `x` (a hint; nothing on other processors).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and `x` is a valid reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Closes an entity left open at the end of a sentence.
fn close_last(labels: &mut [u8]) {
    if let Some(l) = labels.last_mut() {
        if *l != 0 {
            match label_pos(*l) {
                B => *l += U - B,
                I => *l += L - I,
                _ => {}
            }
        }
    }
}

/// Beam width of training, and the widest beam decoding may use.
pub(crate) const BEAM: usize = 8;

#[derive(Clone, Copy)]
struct Item {
    score: f32,
    p1: u8,
    p2: u8,
    /// Index into the arena of (label, parent) nodes; `u32::MAX` for the empty prefix.
    node: u32,
    gold: bool,
}

/// Beam search over BILOU sequences. `static_scores(i)` gives the label-independent
/// part of token `i`'s scores, `label_scores(i, p1, p2, out)` adds the part that
/// depends on the previous labels. With `gold`, stops as soon as the gold prefix falls
/// out of the beam (early update) and returns the best prefix so far.
fn beam_search(
    n: usize,
    width: usize,
    mut static_scores: impl FnMut(usize) -> [f32; N_LABELS],
    mut label_scores: impl FnMut(usize, u8, u8, &mut [f32; N_LABELS]),
    gold: Option<&[u8]>,
    allowed: Option<&[u32]>,
) -> Vec<u8> {
    let mut arena: Vec<(u8, u32)> = Vec::with_capacity(n * BEAM);
    let mut beam = vec![Item { score: 0.0, p1: 0, p2: 0, node: u32::MAX, gold: true }];
    let mut cands: Vec<(f32, usize, u8)> = Vec::with_capacity(BEAM * N_LABELS);
    let mut next: Vec<Item> = Vec::with_capacity(BEAM);
    let mut stopped = false;
    for i in 0..n {
        let base = static_scores(i);
        // The labels word `i` may take; words beyond the mask (a caller's mistake) are free.
        let ok = allowed.and_then(|m| m.get(i).copied()).unwrap_or(u32::MAX);
        cands.clear();
        // Items with the same two previous labels share their label scores.
        let mut seen: [(u8, u8, usize); BEAM] = [(0, 0, usize::MAX); BEAM];
        let mut scored: [[f32; N_LABELS]; BEAM] = [[0.0; N_LABELS]; BEAM];
        for (k, it) in beam.iter().enumerate() {
            let j = match seen[..k].iter().position(|&(a, b, _)| a == it.p1 && b == it.p2) {
                Some(j) => seen[j].2,
                None => {
                    let mut sc = base;
                    label_scores(i, it.p1, it.p2, &mut sc);
                    scored[k] = sc;
                    k
                }
            };
            seen[k] = (it.p1, it.p2, j);
            let sc = &scored[j];
            for l in 0..N_LABELS as u8 {
                if valid(it.p1, l) && ok >> l & 1 == 1 {
                    // Keep the best `width` by score, ties in (item, label) order:
                    // candidates come in that order, so a tie goes after.
                    let v = it.score + sc[l as usize];
                    let pos = cands.iter().position(|c| c.0 < v).unwrap_or(cands.len());
                    if pos < width {
                        if cands.len() == width {
                            cands.pop();
                        }
                        cands.insert(pos, (v, k, l));
                    }
                }
            }
        }
        next.clear();
        for &(score, k, l) in cands.iter().take(width) {
            let it = beam[k];
            arena.push((l, it.node));
            let g = gold.is_some_and(|g| it.gold && g[i] == l);
            next.push(Item { score, p1: l, p2: it.p1, node: (arena.len() - 1) as u32, gold: g });
        }
        std::mem::swap(&mut beam, &mut next);
        if gold.is_some() && !beam.iter().any(|it| it.gold) {
            stopped = true;
            break;
        }
    }
    let closed = |it: &Item| it.p1 == 0 || matches!(label_pos(it.p1), L | U);
    let best = if stopped { beam.first() } else { beam.iter().find(|it| closed(it)).or(beam.first()) };
    let mut out = Vec::new();
    let mut node = best.map_or(u32::MAX, |it| it.node);
    while node != u32::MAX {
        let (l, parent) = arena[node as usize];
        out.push(l);
        node = parent;
    }
    out.reverse();
    if !stopped {
        close_last(&mut out);
    }
    out
}

/// The weights of both stages: the first stage reads the words and the labels earlier
/// mentions got; the optional second stage also reads what the first stage said about
/// every mention of each word in the whole document (two-stage aggregation).
#[derive(Clone)]
pub(crate) struct Model {
    pub(crate) s1: Weights,
    pub(crate) s2: Option<Weights>,
    /// Both stages in one table (built at load when there are two): one probe finds a
    /// feature's rows of both stages.
    joint: Option<Joint>,
}

/// The union of two stages' features, each with its two rows side by side, quantised
/// to `i16` as in the file: one probe of one table finds a feature's rows of both
/// stages, and the key and the row index share a slot.
#[derive(Clone)]
struct Joint {
    /// `(key, row)` slots, open addressing; key 0 = empty (keys are stored `max(1)`).
    slots: Vec<(u32, u32)>,
    shift: u32,
    rows: Vec<[[i16; N_LABELS]; 2]>,
    scale: [f32; 2],
}

fn quant_scale(w: &Weights) -> f32 {
    let max = w.rows.iter().flat_map(|r| r.iter()).fold(0f32, |m, v| m.max(v.abs()));
    if max > 0.0 {
        max / 32000.0
    } else {
        1.0
    }
}

impl Joint {
    fn new(s1: &Weights, s2: &Weights) -> Joint {
        let scale = [quant_scale(s1), quant_scale(s2)];
        let q = |w: &Weights, r: u32, half: usize| w.rows[r as usize].map(|v| (v / scale[half]).round() as i16);
        // Merge the two sorted key lists.
        let ((k1, r1), (k2, r2)) = (s1.index.sorted_pairs(), s2.index.sorted_pairs());
        let mut keys: Vec<(u32, u32)> = Vec::with_capacity(k1.len() + k2.len());
        let mut rows: Vec<[[i16; N_LABELS]; 2]> = Vec::with_capacity(k1.len() + k2.len());
        let (mut a, mut b) = (0, 0);
        while a < k1.len() || b < k2.len() {
            let ka = k1.get(a).copied().unwrap_or(u64::MAX);
            let kb = k2.get(b).copied().unwrap_or(u64::MAX);
            let k = ka.min(kb);
            let mut row = [[0; N_LABELS]; 2];
            if ka == k {
                row[0] = q(s1, r1[a], 0);
                a += 1;
            }
            if kb == k {
                row[1] = q(s2, r2[b], 1);
                b += 1;
            }
            keys.push((k as u32, rows.len() as u32));
            rows.push(row);
        }
        let n = keys.len();
        let cap = (n + n / 3 + 1).next_power_of_two().max(16);
        let mut j = Joint { slots: vec![(0, 0); cap], shift: 32 - cap.trailing_zeros(), rows, scale };
        let mask = cap - 1;
        for (k, r) in keys {
            let k = k.max(1);
            let mut i = j.slot(k);
            while j.slots[i].0 != 0 && j.slots[i].0 != k {
                i = (i + 1) & mask;
            }
            j.slots[i] = (k, r);
        }
        j
    }

    #[inline]
    fn slot(&self, k: u32) -> usize {
        (k.wrapping_mul(0x9E37_79B9) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, k: u32) -> Option<&[[i16; N_LABELS]; 2]> {
        let k = k.max(1);
        self.probe(k, self.slot(k)).map(|r| &self.rows[r as usize])
    }

    /// The row index of key `k` (already `max(1)`), probing from slot `i`.
    #[inline]
    fn probe(&self, k: u32, mut i: usize) -> Option<u32> {
        let mask = self.slots.len() - 1;
        loop {
            let (x, r) = self.slots[i];
            if x == k {
                return Some(r);
            }
            if x == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// The row of each of `feats` (`u32::MAX` when it has none), for at most `MAX`
    /// features. The table is far larger than the caches, so the slots and then the rows
    /// of all features are prefetched before they are read: the misses overlap instead of
    /// following one another.
    #[inline]
    fn rows_of(&self, feats: &[u32], row: &mut [u32; MAX_FEATS]) {
        let mut slot = [0u32; MAX_FEATS];
        for (s, &f) in slot.iter_mut().zip(feats) {
            let i = self.slot(f.max(1));
            prefetch(&self.slots[i]);
            *s = i as u32;
        }
        for ((r, &i), &f) in row.iter_mut().zip(&slot).zip(feats) {
            *r = u32::MAX;
            if let Some(ri) = self.probe(f.max(1), i as usize) {
                *r = ri;
                let p = &self.rows[ri as usize];
                prefetch(p);
                prefetch(&p[1]);
            }
        }
    }

    /// Adds both stages' scores of `feats` (rows prefetched, see `rows_of`).
    #[inline]
    fn score_both(&self, feats: &[u32], a: &mut [f32; N_LABELS], b: &mut [f32; N_LABELS]) {
        if feats.len() > MAX_FEATS {
            let (mut x, mut y) = ([0f32; N_LABELS], [0f32; N_LABELS]);
            self.score(feats, 0, &mut x);
            self.score(feats, 1, &mut y);
            a.iter_mut().zip(x).for_each(|(o, v)| *o += v);
            b.iter_mut().zip(y).for_each(|(o, v)| *o += v);
            return;
        }
        let (mut ia, mut ib) = ([0i32; N_LABELS], [0i32; N_LABELS]);
        let mut row = [u32::MAX; MAX_FEATS];
        self.rows_of(feats, &mut row);
        for &r in &row[..feats.len()] {
            let Some([ra, rb]) = self.rows.get(r as usize) else { continue };
            for (o, w) in ia.iter_mut().zip(ra) {
                *o += *w as i32;
            }
            for (o, w) in ib.iter_mut().zip(rb) {
                *o += *w as i32;
            }
        }
        for (o, v) in a.iter_mut().zip(ia) {
            *o += v as f32 * self.scale[0];
        }
        for (o, v) in b.iter_mut().zip(ib) {
            *o += v as f32 * self.scale[1];
        }
    }

    /// Adds one stage's scores of `feats`.
    #[inline]
    fn score(&self, feats: &[u32], half: usize, out: &mut [f32; N_LABELS]) {
        let mut acc = [0i32; N_LABELS];
        for f in feats {
            if let Some(rows) = self.get(*f) {
                for (o, w) in acc.iter_mut().zip(&rows[half]) {
                    *o += *w as i32;
                }
            }
        }
        let sc = self.scale[half];
        for (o, v) in out.iter_mut().zip(acc) {
            *o += v as f32 * sc;
        }
    }
}

/// Beam decoding of one sentence with the joint table: `base` holds each token's
/// label-independent scores; `trans` is the stage's table of label-pair scores.
fn decode_joint(j: &Joint, half: usize, trans: &[[f32; N_LABELS]], s: &[TokInfo], base: &[[f32; N_LABELS]], width: usize, buf: &mut Vec<u32>) -> Vec<u8> {
    beam_search(
        s.len(),
        width,
        |i| base[i],
        |i, p1, p2, sc| {
            for (o, w) in sc.iter_mut().zip(&trans[p1 as usize * N_LABELS + p2 as usize]) {
                *o += w;
            }
            buf.clear();
            label_token_features(&s[i], p1, buf);
            j.score(buf, half, sc);
        },
        None,
        None,
    )
}

/// Both stages with the joint table: the static features are looked up once.
fn tag_labels_joint(j: &Joint, t1: &[[f32; N_LABELS]], t2: &[[f32; N_LABELS]], lex: &Lexicon, sentences: &[Vec<&str>], width: usize, width2: usize) -> Vec<Vec<u8>> {
    let width = width.clamp(1, BEAM);
    let width2 = width2.clamp(1, BEAM);
    let infos: Vec<Vec<TokInfo>> = sentences.iter().map(|s| sentence_infos(s, lex)).collect();
    let doc = DocStatic::new(infos.iter().map(|v| v.as_slice()));
    let mut hist = History::default();
    let mut buf = Vec::with_capacity(8);
    let mut feats = Vec::with_capacity(128);
    let mut l1 = Vec::with_capacity(infos.len());
    let mut base2: Vec<Vec<[f32; N_LABELS]>> = Vec::with_capacity(infos.len());
    let mut base1: Vec<[f32; N_LABELS]> = Vec::new();
    for s in &infos {
        let caps = is_caps_sentence(s);
        base1.clear();
        let mut b2 = Vec::with_capacity(s.len());
        for i in 0..s.len() {
            feats.clear();
            static_features(s, i, caps, &doc, &mut feats);
            let (mut a, mut b) = ([0f32; N_LABELS], [0f32; N_LABELS]);
            j.score_both(&feats, &mut a, &mut b);
            feats.clear();
            history_features(&s[i], &hist, &mut feats);
            j.score(&feats, 0, &mut a);
            base1.push(a);
            b2.push(b);
        }
        let labels = decode_joint(j, 0, t1, s, &base1, width, &mut buf);
        hist.record(s, &labels);
        l1.push(labels);
        base2.push(b2);
    }
    let agg = DocAgg::new(infos.iter().map(Vec::as_slice).zip(l1.iter().map(Vec::as_slice)));
    let mut out = Vec::with_capacity(infos.len());
    for ((s, l), mut b2) in infos.iter().zip(&l1).zip(base2) {
        for (i, sc) in b2.iter_mut().enumerate() {
            feats.clear();
            agg_features(s, l, i, &agg, &mut feats);
            j.score(&feats, 1, sc);
        }
        out.push(decode_joint(j, 1, t2, s, &b2, width2, &mut buf));
    }
    out
}

impl Model {
    pub(crate) fn new(s1: Weights, s2: Option<Weights>) -> Model {
        let joint = s2.as_ref().map(|w2| Joint::new(&s1, w2));
        Model { s1, s2, joint }
    }

    pub(crate) fn n_features(&self) -> usize {
        self.s1.n_features() + self.s2.as_ref().map_or(0, Weights::n_features)
    }
}

/// The mean of several models' weights, stage by stage (a feature missing from a model
/// counts as 0 there). A linear model's scores are linear in its weights, so this decodes
/// with the mean of the models' scores (an ensemble of seeds) at the cost of one model.
/// `None` when the models disagree on having a second stage, or there are none.
pub(crate) fn average(models: &[&Model]) -> Option<Model> {
    let first = models.first()?;
    if models.iter().any(|m| m.s2.is_some() != first.s2.is_some()) {
        return None;
    }
    let s1 = average_weights(&models.iter().map(|m| &m.s1).collect::<Vec<_>>());
    let s2 = match first.s2 {
        Some(_) => Some(average_weights(&models.iter().filter_map(|m| m.s2.as_ref()).collect::<Vec<_>>())),
        None => None,
    };
    Some(Model::new(s1, s2))
}

fn average_weights(ws: &[&Weights]) -> Weights {
    let mut sums: FxHashMap<u64, [f32; N_LABELS]> = FxHashMap::default();
    for w in ws {
        let (keys, rows) = w.index.sorted_pairs();
        for (k, r) in keys.into_iter().zip(rows) {
            let e = sums.entry(k).or_insert([0.0; N_LABELS]);
            for (o, v) in e.iter_mut().zip(&w.rows[r as usize]) {
                *o += v;
            }
        }
    }
    let n = ws.len().max(1) as f32;
    let mut keys: Vec<u64> = sums.keys().copied().collect();
    keys.sort_unstable();
    let rows: Vec<[f32; N_LABELS]> = keys.iter().map(|k| sums[k].map(|v| v / n)).collect();
    let index = FlatMap::from_pairs(keys.into_iter().enumerate().map(|(i, k)| (k, i as u32)).collect::<Vec<_>>().into_iter());
    Weights::new(index, rows)
}

/// Beam decoding of one sentence given its per-token feature ids.
fn decode_sentence(w: &Weights, s: &[TokInfo], feats: &[u32], offsets: &[u32], width: usize, lfeats: &mut Vec<u32>, allowed: Option<&[u32]>) -> Vec<u8> {
    beam_search(
        s.len(),
        width,
        |i| {
            let mut sc = [0f32; N_LABELS];
            w.score(&feats[offsets[i] as usize..offsets[i + 1] as usize], &mut sc);
            sc
        },
        |i, p1, p2, sc| w.score_labels(&s[i], p1, p2, sc, lfeats),
        None,
        allowed,
    )
}

/// First-stage labels of a document (sentences of token infos).
fn stage1_labels(w: &Weights, infos: &[Vec<TokInfo>], doc: &DocStatic, width: usize, cache: &mut Vec<(Vec<u32>, Vec<u32>)>, masks: Option<&[Vec<u32>]>) -> Vec<Vec<u8>> {
    let mut hist = History::default();
    let mut lfeats = Vec::with_capacity(8);
    let mut out = Vec::with_capacity(infos.len());
    cache.clear();
    for (k, s) in infos.iter().enumerate() {
        let caps = is_caps_sentence(s);
        let mut feats = Vec::with_capacity(s.len() * 64);
        let mut offsets = Vec::with_capacity(s.len() + 1);
        offsets.push(0u32);
        let mut stat_offsets = Vec::with_capacity(s.len() + 1);
        stat_offsets.push(0u32);
        let mut stat = Vec::with_capacity(s.len() * 64);
        for i in 0..s.len() {
            let a = stat.len();
            static_features(s, i, caps, doc, &mut stat);
            feats.extend_from_slice(&stat[a..]);
            stat_offsets.push(stat.len() as u32);
            history_features(&s[i], &hist, &mut feats);
            offsets.push(feats.len() as u32);
        }
        let labels = decode_sentence(w, s, &feats, &offsets, width, &mut lfeats, masks.and_then(|m| m.get(k)).map(Vec::as_slice));
        hist.record(s, &labels);
        out.push(labels);
        cache.push((stat, stat_offsets));
    }
    out
}

/// Second-stage labels: static features plus aggregation over the first stage's labels.
fn stage2_labels(w: &Weights, infos: &[Vec<TokInfo>], s1: &[Vec<u8>], statics: &[(Vec<u32>, Vec<u32>)], width: usize, masks: Option<&[Vec<u32>]>) -> Vec<Vec<u8>> {
    let agg = DocAgg::new(infos.iter().map(Vec::as_slice).zip(s1.iter().map(Vec::as_slice)));
    let mut lfeats = Vec::with_capacity(8);
    let mut out = Vec::with_capacity(infos.len());
    for (k, ((s, l1), (stat, soff))) in infos.iter().zip(s1).zip(statics).enumerate() {
        let mut feats = Vec::with_capacity(stat.len() + s.len() * 16);
        let mut offsets = Vec::with_capacity(s.len() + 1);
        offsets.push(0u32);
        for i in 0..s.len() {
            feats.extend_from_slice(&stat[soff[i] as usize..soff[i + 1] as usize]);
            agg_features(s, l1, i, &agg, &mut feats);
            offsets.push(feats.len() as u32);
        }
        out.push(decode_sentence(w, s, &feats, &offsets, width, &mut lfeats, masks.and_then(|m| m.get(k)).map(Vec::as_slice)));
    }
    out
}

/// BILOU labels of a document (sentences of words).
pub(crate) fn tag_labels(s1: &Weights, s2: Option<&Weights>, lex: &Lexicon, sentences: &[Vec<&str>], width: usize, width2: usize) -> Vec<Vec<u8>> {
    tag_labels_masked(s1, s2, lex, sentences, width, width2, None)
}

/// [`tag_labels`] with, optionally, a bitmask of the labels each token may take
/// (`masks[sentence][token]`, bit `l` for label `l`; see [`constraint_masks`]).
pub(crate) fn tag_labels_masked(s1: &Weights, s2: Option<&Weights>, lex: &Lexicon, sentences: &[Vec<&str>], width: usize, width2: usize, masks: Option<&[Vec<u32>]>) -> Vec<Vec<u8>> {
    let width = width.clamp(1, BEAM);
    let infos: Vec<Vec<TokInfo>> = sentences.iter().map(|s| sentence_infos(s, lex)).collect();
    let doc = DocStatic::new(infos.iter().map(|v| v.as_slice()));
    let mut cache = Vec::new();
    let l1 = stage1_labels(s1, &infos, &doc, width, &mut cache, masks);
    match s2 {
        None => l1,
        Some(w2) => stage2_labels(w2, &infos, &l1, &cache, width2.clamp(1, BEAM), masks),
    }
}

/// Label bitmasks for per-token constraints (bit `l` set: label `l` allowed). Labels
/// that no allowed label of the next word may follow (or that leave an entity open at
/// the end), or that no allowed label of the previous word may precede, are removed too,
/// so every prefix the beam keeps can be completed.
pub(crate) fn constraint_masks(cons: &[super::Constraint]) -> Vec<u32> {
    use super::Constraint as C;
    let all = (1u32 << N_LABELS) - 1;
    let misc = (1..N_LABELS as u8).filter(|&l| label_type(l) == CoarseType::Misc as usize).fold(0u32, |m, l| m | 1 << l);
    let mut masks: Vec<u32> = cons
        .iter()
        .map(|c| match c {
            C::Free => all,
            C::Outside => 1,
            C::OutsideOrMisc => 1 | misc,
            C::Inside => all & !1,
        })
        .collect();
    let bits = |m: u32| (0..N_LABELS as u8).filter(move |&l| m >> l & 1 == 1);
    // Backward: each label needs an allowed successor (or must close at the end).
    for i in (0..masks.len()).rev() {
        let next = masks.get(i + 1).copied();
        masks[i] = bits(masks[i])
            .filter(|&l| match next {
                Some(n) => bits(n).any(|m| valid(l, m)),
                None => valid(l, 0),
            })
            .fold(0, |m, l| m | 1 << l);
    }
    // Forward: each label needs an allowed predecessor (the start counts as O).
    for i in 0..masks.len() {
        let prev = if i == 0 { 1 } else { masks[i - 1] };
        masks[i] = bits(masks[i]).filter(|&l| bits(prev).any(|p| valid(p, l))).fold(0, |m, l| m | 1 << l);
    }
    masks
}

/// Tags a document (sentences of words) with the given model.
pub(crate) fn tag_document(m: &Model, lex: &Lexicon, sentences: &[Vec<&str>], width: usize, width2: usize) -> Vec<Vec<TypedSpan>> {
    let labels = match (&m.joint, &m.s2) {
        (Some(j), Some(s2)) => tag_labels_joint(j, &m.s1.trans, &s2.trans, lex, sentences, width, width2),
        _ => tag_labels(&m.s1, m.s2.as_ref(), lex, sentences, width, width2),
    };
    let mut spans: Vec<Vec<TypedSpan>> = labels
        .iter()
        .zip(sentences)
        .map(|(l, words)| {
            let mut spans = labels_to_spans(l);
            strip_honorifics(&mut spans, words);
            attach_company_suffix(&mut spans, words);
            storm_names(&mut spans, words);
            spans
        })
        .collect();
    propagate_names(&mut spans, sentences);
    spans
}

/// Legal-form words that close a company name after a comma ("Google , Inc.").
const COMPANY_SUFFIXES: &[&str] = &[
    "inc", "inc.", "ltd", "ltd.", "llc", "l.l.c.", "lp", "l.p.", "llp", "l.l.p.", "corp", "corp.", "co.", "plc", "gmbh",
];

/// An organisation followed by a comma and a legal form ("CCNG , Inc.") ends after the
/// legal form, as UNER annotates it (CoNLL-2003 writes these without the comma, where
/// the model already takes the legal form in). A span the model gave to the legal form
/// alone is absorbed.
pub(crate) fn attach_company_suffix(spans: &mut Vec<TypedSpan>, words: &[&str]) {
    let mut i = 0;
    while i < spans.len() {
        let s = spans[i];
        let suffix = |k: usize| words.get(k).is_some_and(|w| COMPANY_SUFFIXES.contains(&w.to_lowercase().as_str()));
        if s.kind == CoarseType::Org && words.get(s.end) == Some(&",") && suffix(s.end + 1) {
            let end = s.end + 2;
            // Absorb whatever span covers only the legal form; stop at anything longer.
            match spans.get(i + 1) {
                Some(n) if n.start < end && n.end <= end => {
                    spans.remove(i + 1);
                }
                Some(n) if n.start < end => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            spans[i].end = end;
        }
        i += 1;
    }
}

/// Words that name a storm before its name ("Hurricane Katrina").
const STORM_WORDS: &[&str] = &["hurricane", "typhoon", "cyclone", "storm"];

/// A storm's name is no person: a person's span after "Hurricane" (or that starts with
/// it) becomes MISC, as CoNLL-2003 annotates "Hurricane [Edouard]"; UNER leaves storms
/// out, as it does every MISC.
pub(crate) fn storm_names(spans: &mut [TypedSpan], words: &[&str]) {
    let storm = |k: usize| words.get(k).is_some_and(|w| STORM_WORDS.contains(&w.to_lowercase().as_str()));
    for s in spans.iter_mut() {
        if s.kind == CoarseType::Per && (s.start > 0 && storm(s.start - 1) || s.end - s.start >= 2 && storm(s.start)) {
            s.kind = CoarseType::Misc;
        }
    }
}

/// Document consistency: a capitalised word sequence that the model tagged somewhere in
/// the document, always with the same type, is tagged with that type where it occurs
/// untagged ("I have joined Google as well" after eleven "Google" ORG). Longer names
/// first; only where no span covers any of its words.
pub(crate) fn propagate_names(spans: &mut [Vec<TypedSpan>], sentences: &[Vec<&str>]) {
    // Name (as words) -> its type, or None when the document gives it two types.
    let mut names: FxHashMap<&[&str], Option<CoarseType>> = FxHashMap::default();
    for (ss, words) in spans.iter().zip(sentences) {
        for s in ss {
            let Some(name) = words.get(s.start..s.end) else { continue };
            if !name[0].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let e = names.entry(name).or_insert(Some(s.kind));
            if *e != Some(s.kind) {
                *e = None;
            }
        }
    }
    // First word -> (length, type) of the names it starts, longest first.
    let mut by_first: FxHashMap<&str, Vec<(usize, CoarseType)>> = FxHashMap::default();
    for (name, kind) in &names {
        if let Some(k) = kind {
            by_first.entry(name[0]).or_default().push((name.len(), *k));
        }
    }
    if by_first.is_empty() {
        return;
    }
    for v in by_first.values_mut() {
        v.sort_by(|a, b| b.0.cmp(&a.0).then((a.1 as u8).cmp(&(b.1 as u8))));
    }
    for (ss, words) in spans.iter_mut().zip(sentences) {
        let mut covered = vec![false; words.len()];
        for s in ss.iter() {
            covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
        }
        let mut added = false;
        let mut i = 0;
        while i < words.len() {
            if covered[i] {
                i += 1;
                continue;
            }
            let hit = by_first.get(words[i]).and_then(|cands| {
                cands.iter().copied().find(|&(n, _)| {
                    i + n <= words.len()
                        && !covered[i..i + n].iter().any(|&c| c)
                        && names.get(&words[i..i + n]).is_some_and(Option::is_some)
                })
            });
            match hit {
                Some((n, kind)) => {
                    ss.push(TypedSpan { start: i, end: i + n, kind });
                    covered[i..i + n].iter_mut().for_each(|c| *c = true);
                    added = true;
                    i += n;
                }
                None => i += 1,
            }
        }
        if added {
            ss.sort_by_key(|s| s.start);
        }
    }
}

/// Honorifics that precede a person's name but are no part of it (CoNLL-2003 and UNER
/// both leave them out: "Dr. [Dorn]", "Mr [Smith]").
const HONORIFICS: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "drs", "drs.", "doctor", "prof", "prof.", "professor",
    "sir", "dame", "rev", "rev.", "reverend", "mx", "mx.",
];

/// A person's span that starts with an honorific starts after it.
pub(crate) fn strip_honorifics(spans: &mut [TypedSpan], words: &[&str]) {
    for s in spans.iter_mut() {
        if s.kind == CoarseType::Per && s.end - s.start >= 2 {
            if let Some(w) = words.get(s.start) {
                if HONORIFICS.contains(&w.to_lowercase().as_str()) {
                    s.start += 1;
                }
            }
        }
    }
}

/// Training options.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Passes over the training data; the epoch that scores best on the dev set is kept.
    pub epochs: usize,
    /// Seed of the shuffling and of the choice of sentences copied in capitals.
    pub seed: u64,
    /// Share of training sentences also added in all capitals (headline robustness).
    pub caps_fraction: f64,
    /// Share of training sentences also added in all lowercase (web-text robustness).
    pub lower_fraction: f64,
    /// Train a second stage on cross-validated first-stage labels (0 = one stage; else
    /// the number of folds).
    pub folds: usize,
    /// Passes of the second stage (0 = as many as `epochs`).
    pub stage2_epochs: usize,
    /// Where to keep (and reuse) the first stage's weights and jackknifed labels; only
    /// valid for the same data and settings.
    pub cache: Option<std::path::PathBuf>,
    /// Print one line per epoch to stderr.
    pub verbose: bool,
}

impl Default for TrainConfig {
    fn default() -> TrainConfig {
        TrainConfig { epochs: 12, seed: 1, caps_fraction: 0.1, lower_fraction: 0.0, folds: 0, stage2_epochs: 0, cache: None, verbose: false }
    }
}

/// What one epoch did.
#[derive(Clone, Debug)]
pub struct EpochLog {
    /// 1-based epoch.
    pub epoch: usize,
    /// Sentences with errors during the pass.
    pub train_errors: usize,
    /// Dev F1 of the averaged weights after the pass (0 without a dev set).
    pub dev_f1: f64,
}

struct Trainer {
    index: FxHashMap<u32, u32>,
    w: Vec<[f32; N_LABELS]>,
    u: Vec<[f64; N_LABELS]>,
    c: f64,
}

impl Trainer {
    fn score(&self, feats: &[u32], out: &mut [f32; N_LABELS]) {
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for (o, w) in out.iter_mut().zip(&self.w[r as usize]) {
                    *o += w;
                }
            }
        }
    }
    fn add(&mut self, feats: &[u32], label: u8, delta: f32) {
        for &f in feats {
            let n = self.w.len() as u32;
            let r = *self.index.entry(f).or_insert(n) as usize;
            if r == self.w.len() {
                self.w.push([0.0; N_LABELS]);
                self.u.push([0.0; N_LABELS]);
            }
            self.w[r][label as usize] += delta;
            self.u[r][label as usize] += self.c * delta as f64;
        }
    }
    fn averaged(&self) -> Weights {
        let mut pairs = Vec::new();
        let mut rows = Vec::new();
        for (&k, &r) in &self.index {
            let mut row = [0f32; N_LABELS];
            let mut keep = false;
            for (o, (w, u)) in row.iter_mut().zip(self.w[r as usize].iter().zip(&self.u[r as usize])) {
                let v = *w as f64 - u / self.c;
                *o = v as f32;
                keep |= v.abs() > 1e-3;
            }
            if keep {
                pairs.push((k as u64, rows.len() as u32));
                rows.push(row);
            }
        }
        Weights::new(FlatMap::from_pairs(pairs.into_iter()), rows)
    }
}

struct TrainSentence {
    infos: Vec<TokInfo>,
    feats: Vec<u32>,
    offsets: Vec<u32>,
    gold: Vec<u8>,
}

/// A training document (sentences of words and gold labels) and the index of the
/// corpus document it came from (copies in capitals go with their source).
struct RawDoc {
    sents: Vec<(Vec<String>, Vec<u8>)>,
    src: usize,
}

/// Prepares a document's static features; with first-stage labels, the aggregation
/// features too.
fn prepare(d: &RawDoc, lex: &Lexicon, s1: Option<&[Vec<u8>]>) -> Vec<TrainSentence> {
    let infos: Vec<Vec<TokInfo>> = d.sents.iter().map(|(w, _)| sentence_infos(&w.iter().map(String::as_str).collect::<Vec<_>>(), lex)).collect();
    let doc = DocStatic::new(infos.iter().map(|v| v.as_slice()));
    let agg = s1.map(|l| DocAgg::new(infos.iter().map(Vec::as_slice).zip(l.iter().map(Vec::as_slice))));
    let mut out = Vec::with_capacity(infos.len());
    for (k, (infos, (_, gold))) in infos.iter().zip(&d.sents).enumerate() {
        let caps = is_caps_sentence(infos);
        let mut feats = Vec::with_capacity(infos.len() * 48);
        let mut offsets = vec![0u32];
        for i in 0..infos.len() {
            static_features(infos, i, caps, &doc, &mut feats);
            if let (Some(agg), Some(l)) = (&agg, s1) {
                agg_features(infos, &l[k], i, agg, &mut feats);
            }
            offsets.push(feats.len() as u32);
        }
        out.push(TrainSentence { infos: infos.clone(), feats, offsets, gold: gold.clone() });
    }
    out
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The training documents with their copies in capitals (and lowercase).
fn augment(train: &[NerDocument], cfg: &TrainConfig, rng: &mut Rng) -> Vec<RawDoc> {
    let mut docs = Vec::new();
    for (src, d) in train.iter().enumerate() {
        docs.push(RawDoc { sents: d.sentences.iter().map(|s| (s.words.clone(), spans_to_labels(s.words.len(), &s.spans))).collect(), src });
        // Capitalised copies, each a document of its own.
        for s in &d.sentences {
            if rng.unit() < cfg.caps_fraction && s.words.iter().any(|w| w.chars().any(char::is_lowercase)) {
                let upper: Vec<String> = s.words.iter().map(|w| w.to_uppercase()).collect();
                docs.push(RawDoc { sents: vec![(upper, spans_to_labels(s.words.len(), &s.spans))], src });
            }
            if cfg.lower_fraction > 0.0 && rng.unit() < cfg.lower_fraction && !s.spans.is_empty() {
                let lower: Vec<String> = s.words.iter().map(|w| w.to_lowercase()).collect();
                docs.push(RawDoc { sents: vec![(lower, spans_to_labels(s.words.len(), &s.spans))], src });
            }
        }
    }
    docs
}

/// The perceptron loop: `epochs` passes with beam search and early update; keeps the
/// epoch `eval` scores best (the last one when `eval` gives `None`). `history` adds the
/// earlier-mention features (first stage).
fn train_loop(
    docs: &[&[TrainSentence]],
    epochs: usize,
    rng: &mut Rng,
    history: bool,
    verbose: bool,
    mut eval: impl FnMut(&Weights) -> Option<f64>,
) -> (Weights, Vec<EpochLog>) {
    let mut tr = Trainer { index: FxHashMap::default(), w: Vec::new(), u: Vec::new(), c: 1.0 };
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut logs = Vec::new();
    let mut best: Option<(f64, Weights)> = None;
    let mut feats = Vec::with_capacity(128);
    for epoch in 1..=epochs.max(1) {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errors = 0usize;
        for &d in &order {
            let mut hist = History::default();
            for s in docs[d] {
                let sfeats: Vec<Vec<u32>> = (0..s.infos.len())
                    .map(|i| {
                        let mut f = s.feats[s.offsets[i] as usize..s.offsets[i + 1] as usize].to_vec();
                        if history {
                            history_features(&s.infos[i], &hist, &mut f);
                        }
                        f
                    })
                    .collect();
                let pred = {
                    let tr = &tr;
                    beam_search(
                        s.infos.len(),
                        BEAM,
                        |i| {
                            let mut sc = [0f32; N_LABELS];
                            tr.score(&sfeats[i], &mut sc);
                            sc
                        },
                        |i, p1, p2, sc| {
                            let mut lf = Vec::with_capacity(8);
                            label_features(&s.infos[i], p1, p2, &mut lf);
                            tr.score(&lf, sc);
                        },
                        Some(&s.gold),
                        None,
                    )
                };
                let m = pred.len();
                if pred[..] != s.gold[..m] {
                    errors += 1;
                    for i in 0..m {
                        let (g, p) = (s.gold[i], pred[i]);
                        let gctx = (if i > 0 { s.gold[i - 1] } else { 0 }, if i > 1 { s.gold[i - 2] } else { 0 });
                        let pctx = (if i > 0 { pred[i - 1] } else { 0 }, if i > 1 { pred[i - 2] } else { 0 });
                        if g == p && gctx == pctx {
                            continue;
                        }
                        if g != p {
                            tr.add(&sfeats[i], g, 1.0);
                            tr.add(&sfeats[i], p, -1.0);
                        }
                        feats.clear();
                        label_features(&s.infos[i], gctx.0, gctx.1, &mut feats);
                        tr.add(&feats, g, 1.0);
                        feats.clear();
                        label_features(&s.infos[i], pctx.0, pctx.1, &mut feats);
                        tr.add(&feats, p, -1.0);
                    }
                }
                tr.c += 1.0;
                // History from the model's own reading, as at run time.
                if history {
                    let labels = if m == s.infos.len() { pred } else { s.gold.clone() };
                    hist.record(&s.infos, &labels);
                }
            }
        }
        let w = tr.averaged();
        let dev_f1 = eval(&w);
        if verbose {
            eprintln!("epoch {epoch}: {errors} train errors, {} features, dev F1 {:.4}", w.n_features(), dev_f1.unwrap_or(0.0));
        }
        logs.push(EpochLog { epoch, train_errors: errors, dev_f1: dev_f1.unwrap_or(0.0) });
        if best.as_ref().is_none_or(|(f, _)| dev_f1.is_none_or(|d| d > *f)) {
            best = Some((dev_f1.unwrap_or(0.0), w));
        }
    }
    let weights = match best {
        Some((_, w)) => w,
        None => tr.averaged(),
    };
    (weights, logs)
}

/// What the cache file holds: first-stage weights and jackknifed labels.
#[derive(Serialize, Deserialize)]
struct Stage1Cache {
    n_docs: usize,
    keys: Vec<u32>,
    rows: Vec<Vec<f32>>,
    labels: Vec<Vec<Vec<u8>>>,
}

fn weights_from_parts(keys: &[u32], rows: &[Vec<f32>]) -> Weights {
    let index = FlatMap::from_pairs(keys.iter().enumerate().map(|(i, &k)| (k as u64, i as u32)).collect::<Vec<_>>().into_iter());
    let rows = rows
        .iter()
        .map(|r| {
            let mut a = [0f32; N_LABELS];
            a.copy_from_slice(r);
            a
        })
        .collect();
    Weights::new(index, rows)
}

/// Trains the model on `train`. `eval` scores a model on the dev set (`None` without
/// one); each stage keeps its best epoch. With `cfg.folds > 1`, the first stage is also
/// trained `folds` times on all but one fold of the documents to label the held-out
/// fold, and the second stage learns from those labels (what the first stage says on
/// text it has not seen, as at run time).
pub(crate) fn train_model(
    train: &[NerDocument],
    lex: &Lexicon,
    cfg: &TrainConfig,
    mut eval: impl FnMut(&Weights, Option<&Weights>) -> Option<f64>,
) -> (Model, Vec<EpochLog>) {
    let mut rng = Rng(cfg.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let raw = augment(train, cfg, &mut rng);
    let cached: Option<Stage1Cache> = cfg.cache.as_ref().and_then(|p| std::fs::read(p).ok()).and_then(|b| bincode::deserialize(&b).ok());
    let cached = cached.filter(|c| c.n_docs == raw.len());
    let (s1, mut logs, jk) = if let Some(c) = cached {
        if cfg.verbose {
            eprintln!("first stage and jackknifed labels from the cache");
        }
        (weights_from_parts(&c.keys, &c.rows), Vec::new(), Some(c.labels))
    } else {
        let docs: Vec<Vec<TrainSentence>> = raw.iter().map(|d| prepare(d, lex, None)).collect();
        let all: Vec<&[TrainSentence]> = docs.iter().map(Vec::as_slice).collect();
        let (s1, logs) = train_loop(&all, cfg.epochs, &mut rng, true, cfg.verbose, |w| eval(w, None));
        let jk = (cfg.folds > 1).then(|| {
            let mut labels: Vec<Vec<Vec<u8>>> = vec![Vec::new(); raw.len()];
            for k in 0..cfg.folds {
                let t = std::time::Instant::now();
                let part: Vec<&[TrainSentence]> = raw.iter().zip(&docs).filter(|(r, _)| r.src % cfg.folds != k).map(|(_, d)| d.as_slice()).collect();
                let mut frng = Rng(cfg.seed.wrapping_add(1000 + k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                let (w, _) = train_loop(&part, cfg.epochs, &mut frng, true, false, |_| None);
                drop(part);
                for (j, r) in raw.iter().enumerate() {
                    if r.src % cfg.folds == k {
                        let ws: Vec<Vec<&str>> = r.sents.iter().map(|(w, _)| w.iter().map(String::as_str).collect()).collect();
                        labels[j] = tag_labels(&w, None, lex, &ws, super::TRAIN_BEAM, 1);
                    }
                }
                if cfg.verbose {
                    eprintln!("fold {}/{} in {:.1}s", k + 1, cfg.folds, t.elapsed().as_secs_f64());
                }
            }
            labels
        });
        if let (Some(p), Some(jk)) = (&cfg.cache, &jk) {
            let (keys, rs) = s1.index.sorted_pairs();
            let c = Stage1Cache {
                n_docs: raw.len(),
                keys: keys.iter().map(|&k| k as u32).collect(),
                rows: rs.iter().map(|&r| s1.rows[r as usize].to_vec()).collect(),
                labels: jk.clone(),
            };
            if let Ok(b) = bincode::serialize(&c) {
                let _ = std::fs::write(p, b);
            }
        }
        (s1, logs, jk)
    };
    let Some(jk) = jk.filter(|_| cfg.folds > 1) else {
        return (Model::new(s1, None), logs);
    };
    let docs2: Vec<Vec<TrainSentence>> = raw.iter().zip(&jk).map(|(d, l)| prepare(d, lex, Some(l))).collect();
    let epochs2 = if cfg.stage2_epochs == 0 { cfg.epochs } else { cfg.stage2_epochs };
    let all2: Vec<&[TrainSentence]> = docs2.iter().map(Vec::as_slice).collect();
    // A generator of its own, so that a run from the cache trains the same second stage.
    let mut rng2 = Rng(cfg.seed.wrapping_add(2000).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (s2, logs2) = train_loop(&all2, epochs2, &mut rng2, false, cfg.verbose, |w| eval(&s1, Some(w)));
    logs.extend(logs2);
    (Model::new(s1, Some(s2)), logs)
}

/// One stage's weights, serialised: sorted feature ids, delta-coded, and weights
/// quantised to `i16`, `N_LABELS` per feature.
#[derive(Serialize, Deserialize, Default)]
struct WeightsFile {
    key_deltas: Vec<u32>,
    weights: Vec<i16>,
    /// Multiply a quantised weight by this.
    scale: f32,
}

/// The serialised form (bincode, then zstd).
#[derive(Serialize, Deserialize)]
struct ModelFile {
    magic: String,
    version: u32,
    /// First stage.
    stage1: WeightsFile,
    /// Second stage (empty for a one-stage model).
    stage2: WeightsFile,
    /// Clusters, gazetteer and name words, as sorted hashed keys.
    lexicon: LexiconFile,
}

/// Version 2: one stage.
#[derive(Deserialize)]
struct ModelFileV2 {
    _magic: String,
    _version: u32,
    key_deltas: Vec<u32>,
    weights: Vec<i16>,
    scale: f32,
    lexicon: LexiconFile,
}

const MAGIC: &str = "dossier-ner";
const VERSION: u32 = 3;

/// Why a model file could not be read.
#[derive(Debug)]
pub struct ModelError(pub(crate) String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NER model: {}", self.0)
    }
}
impl std::error::Error for ModelError {}

fn weights_to_file(w: &Weights) -> WeightsFile {
    let (ks, rs) = w.index.sorted_pairs();
    let keys: Vec<(u32, u32)> = ks.into_iter().map(|k| k as u32).zip(rs).collect();
    let scale = quant_scale(w);
    let mut key_deltas = Vec::with_capacity(keys.len());
    let mut weights = Vec::with_capacity(keys.len() * N_LABELS);
    let mut last = 0u32;
    for (k, r) in keys {
        key_deltas.push(k - last);
        last = k;
        for v in &w.rows[r as usize] {
            weights.push((v / scale).round() as i16);
        }
    }
    WeightsFile { key_deltas, weights, scale }
}

fn weights_from_file(f: WeightsFile) -> Result<Weights, ModelError> {
    if f.weights.len() != f.key_deltas.len() * N_LABELS {
        return Err(ModelError("weights and keys disagree".into()));
    }
    let mut k = 0u32;
    let keys = f.key_deltas.iter().enumerate().map(|(i, d)| {
        k = k.wrapping_add(*d);
        (k as u64, i as u32)
    });
    let index = FlatMap::from_pairs(keys);
    let rows: Vec<[f32; N_LABELS]> = f
        .weights
        .chunks_exact(N_LABELS)
        .map(|c| {
            let mut row = [0f32; N_LABELS];
            for (o, v) in row.iter_mut().zip(c) {
                *o = *v as f32 * f.scale;
            }
            row
        })
        .collect();
    Ok(Weights::new(index, rows))
}

pub(crate) fn to_bytes(m: &Model, lex: &Lexicon) -> Result<Vec<u8>, ModelError> {
    let file = ModelFile {
        magic: MAGIC.into(),
        version: VERSION,
        stage1: weights_to_file(&m.s1),
        stage2: m.s2.as_ref().map(weights_to_file).unwrap_or_default(),
        lexicon: lex.to_file(),
    };
    let raw = bincode::serialize(&file).map_err(|e| ModelError(e.to_string()))?;
    zstd::encode_all(&raw[..], 19).map_err(|e| ModelError(e.to_string()))
}

pub(crate) fn from_bytes(bytes: &[u8]) -> Result<(Model, Lexicon), ModelError> {
    let raw = zstd::decode_all(bytes).map_err(|e| ModelError(format!("zstd: {e}")))?;
    let (magic, version): (String, u32) = bincode::deserialize(&raw).map_err(|e| ModelError(format!("bincode: {e}")))?;
    if magic != MAGIC || !(2..=VERSION).contains(&version) {
        return Err(ModelError(format!("not a version 2 or {VERSION} model ({magic} v{version})")));
    }
    if version == 2 {
        let f: ModelFileV2 = bincode::deserialize(&raw).map_err(|e| ModelError(format!("bincode: {e}")))?;
        let s1 = weights_from_file(WeightsFile { key_deltas: f.key_deltas, weights: f.weights, scale: f.scale })?;
        return Ok((Model::new(s1, None), Lexicon::from_file(f.lexicon)));
    }
    let f: ModelFile = bincode::deserialize(&raw).map_err(|e| ModelError(format!("bincode: {e}")))?;
    let s1 = weights_from_file(f.stage1)?;
    let s2 = if f.stage2.key_deltas.is_empty() { None } else { Some(weights_from_file(f.stage2)?) };
    Ok((Model::new(s1, s2), Lexicon::from_file(f.lexicon)))
}
