//! A graph-based neural dependency parser and tagger (Dozat & Manning 2017, smaller):
//! word, suffix, shape and fixed pretrained-vector embeddings, a stacked BiLSTM, UPOS and
//! XPOS softmax heads on the first layer, and on the last a biaffine arc scorer whose
//! scores are decoded into a projective tree with one root (Eisner), plus a label
//! classifier over (dependent, head) pairs.
//!
//! Everything is plain f32 arithmetic written here (matrix products through
//! `matrixmultiply`); [`train`] holds the backward pass and the training loop.
//! One [`NeuralParser`] is immutable after loading and `Sync`.

pub(crate) mod int8;
pub(crate) mod math;
pub mod train;

use crate::perceptron::ModelError;
use int8::QMat;
use math::{add_bias, gemm, leaky_relu, recycle, scratch, scratch_empty, Rng};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Sizes of the network.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct NetConfig {
    /// Hidden units of each LSTM direction.
    pub hidden: usize,
    /// Stacked BiLSTM layers.
    pub layers: usize,
    /// Trainable word embedding width.
    pub word_dim: usize,
    /// Suffix embedding width.
    pub suf_dim: usize,
    /// Shape embedding width.
    pub shape_dim: usize,
    /// Arc MLP width.
    pub arc_dim: usize,
    /// Label MLP width.
    pub lab_dim: usize,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig { hidden: 128, layers: 2, word_dim: 100, suf_dim: 32, shape_dim: 16, arc_dim: 128, lab_dim: 64 }
    }
}

/// Longer sentences are parsed in pieces of this many words (see `parse_batch`).
pub(crate) const MAX_PIECE: usize = 160;
/// Buckets of hashed suffixes (bucket 0 is the root token's).
pub(crate) const SUF_BUCKETS: usize = 4096;
/// Shape ids: casing x digit x punctuation x first-word x has-vector, plus the root's.
pub(crate) const N_SHAPES: usize = 5 * 16 + 1;
const ROOT_SHAPE: u32 = 80;
/// Word ids 0 and 1: unknown word, root.
pub(crate) const UNK: u32 = 0;
pub(crate) const ROOT_WORD: u32 = 1;

/// Fixed word vectors: string -> row, rows of int8 with per-column scales.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vectors {
    /// Row width.
    pub dim: usize,
    keys: Vec<u64>,
    rows: Vec<u16>,
    data: Vec<i8>,
    scales: Vec<f32>,
    #[serde(skip)]
    index: FxHashMap<u64, u16>,
    #[serde(skip)]
    table: Vec<f32>,
}

/// FNV-1a, 64 bits.
pub(crate) fn hash64(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Vectors {
    /// Builds the table from the `DVEC` file of `scripts/make_vectors.py` and the
    /// `word c64 c512 c2048 row` lines of the clusters file (the word -> row index).
    pub fn from_parts(dvec: &[u8], clusters_tsv: &str) -> Result<Vectors, ModelError> {
        let bad = || ModelError("vectors: not a DVEC file".into());
        if dvec.len() < 12 || &dvec[..4] != b"DVEC" {
            return Err(bad());
        }
        let rows = u32::from_le_bytes(dvec[4..8].try_into().map_err(|_| bad())?) as usize;
        let dim = u32::from_le_bytes(dvec[8..12].try_into().map_err(|_| bad())?) as usize;
        let need = 12 + rows * dim + 4 * dim;
        if dvec.len() != need || rows > u16::MAX as usize {
            return Err(bad());
        }
        let data: Vec<i8> = dvec[12..12 + rows * dim].iter().map(|&b| b as i8).collect();
        let scales: Vec<f32> = dvec[12 + rows * dim..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut pairs: Vec<(u64, u16)> = Vec::new();
        for line in clusters_tsv.lines() {
            let mut f = line.split('\t');
            let (Some(w), Some(r)) = (f.next(), f.nth(3)) else { continue };
            let Ok(r) = r.parse::<usize>() else { continue };
            if r < rows {
                pairs.push((hash64(w), r as u16));
            }
        }
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        let mut v = Vectors { dim, keys: pairs.iter().map(|p| p.0).collect(), rows: pairs.iter().map(|p| p.1).collect(), data, scales, ..Default::default() };
        v.build();
        Ok(v)
    }

    fn build(&mut self) {
        self.index = self.keys.iter().copied().zip(self.rows.iter().copied()).collect();
        let n = self.data.len() / self.dim.max(1);
        self.table = Vec::with_capacity(n * self.dim);
        for r in 0..n {
            for c in 0..self.dim {
                self.table.push(self.data[r * self.dim + c] as f32 * self.scales[c]);
            }
        }
    }

    /// The row of `form` (as written, else lower-cased).
    pub fn row(&self, form: &str) -> Option<u16> {
        self.index.get(&hash64(form)).copied().or_else(|| {
            if form.chars().any(|c| c.is_uppercase()) {
                self.index.get(&hash64(&form.to_lowercase())).copied()
            } else {
                None
            }
        })
    }

    fn vector(&self, row: u16) -> &[f32] {
        let r = row as usize * self.dim;
        &self.table[r..r + self.dim]
    }
}

/// The string tables of a model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vocab {
    /// Normalised word forms; index = id (0 unknown, 1 root).
    pub words: Vec<String>,
    /// UPOS tags.
    pub upos: Vec<String>,
    /// XPOS tags.
    pub xpos: Vec<String>,
    /// Dependency relations (with subtypes); `root` among them.
    pub labels: Vec<String>,
    #[serde(skip)]
    word_index: FxHashMap<String, u32>,
}

impl Vocab {
    fn build(&mut self) {
        self.word_index = self.words.iter().enumerate().map(|(i, w)| (w.clone(), i as u32)).collect();
    }
    fn word_id(&self, form: &str) -> u32 {
        self.word_index.get(&norm_word(form)).copied().unwrap_or(UNK)
    }
}

/// Lower case, digits as 0.
pub(crate) fn norm_word(form: &str) -> String {
    form.chars().flat_map(|c| c.to_lowercase()).map(|c| if c.is_ascii_digit() { '0' } else { c }).collect()
}

fn suffix_bucket(form: &str) -> u32 {
    let lower: Vec<char> = form.chars().flat_map(|c| c.to_lowercase()).collect();
    let s: String = lower[lower.len().saturating_sub(3)..].iter().collect();
    1 + (hash64(&s) % (SUF_BUCKETS as u64 - 1)) as u32
}

fn shape_id(form: &str, first: bool, has_vec: bool) -> u32 {
    let letters = form.chars().filter(|c| c.is_alphabetic()).count();
    let upper = form.chars().filter(|c| c.is_uppercase()).count();
    let casing = if letters == 0 {
        0
    } else if upper == 0 {
        1
    } else if upper == letters {
        if letters == 1 { 2 } else { 3 }
    } else if form.chars().next().is_some_and(|c| c.is_uppercase()) {
        2
    } else {
        4
    };
    let digit = form.chars().any(|c| c.is_ascii_digit()) as u32;
    let punct = form.chars().all(|c| !c.is_alphanumeric()) as u32;
    casing * 16 + digit * 8 + punct * 4 + (first as u32) * 2 + has_vec as u32
}

/// Offsets of one parameter tensor in the flat parameter vector.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
pub(crate) struct T {
    pub off: usize,
    pub rows: usize,
    pub cols: usize,
}

impl T {
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }
    pub fn of<'a>(&self, p: &'a [f32]) -> &'a [f32] {
        &p[self.off..self.off + self.len()]
    }
    pub fn of_mut<'a>(&self, p: &'a mut [f32]) -> &'a mut [f32] {
        &mut p[self.off..self.off + self.len()]
    }
}

/// One LSTM direction: input weights (in x 4H), recurrent weights (H x 4H), bias (4H);
/// gate order i, f, g, o.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
pub(crate) struct LstmT {
    pub w: T,
    pub u: T,
    pub b: T,
}

/// Where every tensor lives in the flat parameter vector.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub(crate) struct Layout {
    pub emb_word: T,
    pub emb_suf: T,
    pub emb_shape: T,
    pub lstm: Vec<[LstmT; 2]>,
    pub upos_w: T,
    pub upos_b: T,
    pub xpos_w: T,
    pub xpos_b: T,
    pub arc_dep_w: T,
    pub arc_dep_b: T,
    pub arc_head_w: T,
    pub arc_head_b: T,
    pub arc_u: T,
    pub arc_hb: T,
    pub lab_dep_w: T,
    pub lab_dep_b: T,
    pub lab_head_w: T,
    pub lab_head_b: T,
    pub lab_w: T,
    pub lab_b: T,
    pub total: usize,
}

impl Layout {
    pub fn new(cfg: &NetConfig, vec_dim: usize, vocab: &Vocab) -> Layout {
        let mut off = 0;
        let mut t = |rows: usize, cols: usize| {
            let x = T { off, rows, cols };
            off += rows * cols;
            x
        };
        let h = cfg.hidden;
        let din = cfg.word_dim + cfg.suf_dim + cfg.shape_dim + vec_dim;
        let emb_word = t(vocab.words.len(), cfg.word_dim);
        let emb_suf = t(SUF_BUCKETS, cfg.suf_dim);
        let emb_shape = t(N_SHAPES, cfg.shape_dim);
        let mut lstm = Vec::new();
        for l in 0..cfg.layers {
            let inp = if l == 0 { din } else { 2 * h };
            let mut dir = || LstmT { w: t(inp, 4 * h), u: t(h, 4 * h), b: t(1, 4 * h) };
            lstm.push([dir(), dir()]);
        }
        let (a, lb) = (cfg.arc_dim, cfg.lab_dim);
        let nl = vocab.labels.len();
        let mut l = Layout {
            emb_word,
            emb_suf,
            emb_shape,
            lstm,
            upos_w: t(2 * h, vocab.upos.len()),
            upos_b: t(1, vocab.upos.len()),
            xpos_w: t(2 * h, vocab.xpos.len()),
            xpos_b: t(1, vocab.xpos.len()),
            arc_dep_w: t(2 * h, a),
            arc_dep_b: t(1, a),
            arc_head_w: t(2 * h, a),
            arc_head_b: t(1, a),
            arc_u: t(a, a),
            arc_hb: t(1, a),
            lab_dep_w: t(2 * h, lb),
            lab_dep_b: t(1, lb),
            lab_head_w: t(2 * h, lb),
            lab_head_b: t(1, lb),
            lab_w: t(3 * lb, nl),
            lab_b: t(1, nl),
            total: 0,
        };
        l.total = off;
        l
    }
}

/// Inputs of a batch of sentences, time-major: row `t * bsz + b` is position `t` of the
/// `b`-th sentence (position 0 is the root); sentences sorted by length, longest first.
#[derive(Debug, Default)]
pub(crate) struct Feats {
    /// `order[b]`: the index, in the caller's list, of batch sentence `b`.
    pub order: Vec<usize>,
    /// Lengths with the root.
    pub lens: Vec<usize>,
    pub bsz: usize,
    pub t_max: usize,
    pub word: Vec<u32>,
    pub suf: Vec<u32>,
    pub shape: Vec<u32>,
    pub vrow: Vec<u32>,
    /// First compact row of each batch sentence (sentence-major, root included).
    pub offs: Vec<usize>,
    /// Compact rows in all.
    pub n: usize,
}

impl Feats {
    pub fn row(&self, b: usize, t: usize) -> usize {
        t * self.bsz + b
    }
}

/// Forward activations kept for the backward pass.
#[derive(Debug, Default)]
pub(crate) struct LstmCache {
    /// Gate activations (rows x 4H): i, f, g, o.
    pub gates: Vec<f32>,
    pub c: Vec<f32>,
    pub h: Vec<f32>,
}

#[derive(Debug, Default)]
pub(crate) struct Forward {
    pub feats: Feats,
    /// Input of each layer (rows x in), after dropout.
    pub xs: Vec<Vec<f32>>,
    /// Dropout masks of each layer's input (empty when not training).
    pub masks: Vec<Vec<f32>>,
    pub caches: Vec<[LstmCache; 2]>,
    /// Final BiLSTM output, after dropout, time-major (rows x 2H).
    pub out: Vec<f32>,
    pub out_mask: Vec<f32>,
    /// Compact (sentence-major) copies of the first layer's output (for tags) and the last.
    pub first_c: Vec<f32>,
    pub last_c: Vec<f32>,
    /// MLP outputs after activation and dropout, and their masks (compact rows).
    pub arc_dep: Vec<f32>,
    pub arc_head: Vec<f32>,
    pub lab_dep: Vec<f32>,
    pub lab_head: Vec<f32>,
    pub mlp_masks: [Vec<f32>; 4],
}

impl Forward {
    /// Gives the decoding buffers back to this thread's pool.
    fn recycle(self) {
        let Forward { xs, caches, out, first_c, last_c, arc_dep, arc_head, lab_dep, lab_head, .. } = self;
        recycle(xs);
        recycle(caches.into_iter().flat_map(|[a, b]| [a.gates, a.h, b.gates, b.h]));
        recycle([out, first_c, last_c, arc_dep, arc_head, lab_dep, lab_head]);
    }
}

/// A trained model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NeuralParser {
    /// Sizes.
    pub cfg: NetConfig,
    /// Strings.
    pub vocab: Vocab,
    pub(crate) layout: Layout,
    /// Flat parameters.
    pub(crate) params: Vec<f32>,
    /// Fixed pretrained vectors.
    pub vectors: Vectors,
    /// The first layer's input products, per direction, built at load for decoding:
    /// every embedding row times its block of the input weights.
    #[serde(skip)]
    pub(crate) tables: Option<Box<[InputTable; 2]>>,
    /// Int8 copies of the larger matrices, built with the tables, for decoding.
    #[serde(skip)]
    pub(crate) quant: Option<Box<Quant>>,
}

/// The int8 weights used for decoding.
#[derive(Debug, Clone, Default)]
pub(crate) struct Quant {
    /// Per layer and direction: the recurrent matrix.
    rec: Vec<[QMat; 2]>,
    /// Per layer after the first (index layer - 1) and direction: the input matrix.
    inp: Vec<[QMat; 2]>,
    /// The four MLPs' weights side by side: arc dep, arc head, label dep, label head.
    mlp: QMat,
    /// The UPOS and XPOS output weights side by side.
    tags: QMat,
}

/// Per embedding table, its rows multiplied by their block of a first-layer input
/// matrix (rows x 4H), so that a word's input product is four looked-up rows added.
#[derive(Debug, Clone, Default)]
pub(crate) struct InputTable {
    word: Vec<f32>,
    suf: Vec<f32>,
    shape: Vec<f32>,
    vec: Vec<f32>,
}

/// One parsed word.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    /// Head, 1-based; 0 is the root.
    pub head: usize,
    /// Relation.
    pub deprel: &'a str,
    /// UPOS from the tagging head.
    pub upos: &'a str,
    /// XPOS from the tagging head.
    pub xpos: &'a str,
}

/// Applies inverted dropout in place and returns the mask (empty when `p` is 0).
pub(crate) fn dropout(x: &mut [f32], p: f32, rng: Option<&mut Rng>) -> Vec<f32> {
    let Some(rng) = rng else { return Vec::new() };
    if p <= 0.0 {
        return Vec::new();
    }
    let keep = 1.0 / (1.0 - p);
    let mask: Vec<f32> = (0..x.len()).map(|_| if rng.uniform() < p { 0.0 } else { keep }).collect();
    for (v, m) in x.iter_mut().zip(&mask) {
        *v *= m;
    }
    mask
}

impl NeuralParser {
    pub(crate) fn din(&self) -> usize {
        self.cfg.word_dim + self.cfg.suf_dim + self.cfg.shape_dim + self.vectors.dim
    }

    /// Features of a batch; with `word_drop`, frequent words are replaced by the
    /// unknown word with that probability.
    pub(crate) fn featurize(&self, sents: &[&[&str]], mut word_drop: Option<(&mut Rng, f32)>) -> Feats {
        let mut order: Vec<usize> = (0..sents.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sents[i].len()));
        let bsz = sents.len();
        let lens: Vec<usize> = order.iter().map(|&i| sents[i].len() + 1).collect();
        let t_max = lens.first().copied().unwrap_or(0);
        let rows = t_max * bsz;
        let mut f = Feats {
            order,
            lens,
            bsz,
            t_max,
            word: vec![UNK; rows],
            suf: vec![0; rows],
            shape: vec![ROOT_SHAPE; rows],
            vrow: vec![u32::MAX; rows],
            offs: Vec::with_capacity(bsz),
            n: 0,
        };
        for b in 0..bsz {
            f.offs.push(f.n);
            f.n += f.lens[b];
            let s = sents[f.order[b]];
            let r = f.row(b, 0);
            f.word[r] = ROOT_WORD;
            for (t, w) in s.iter().enumerate() {
                let r = f.row(b, t + 1);
                let mut id = self.vocab.word_id(w);
                if let Some((rng, p)) = word_drop.as_mut() {
                    if id != UNK && rng.uniform() < *p {
                        id = UNK;
                    }
                }
                f.word[r] = id;
                f.suf[r] = suffix_bucket(w);
                let v = self.vectors.row(w);
                f.vrow[r] = v.map_or(u32::MAX, |x| x as u32);
                f.shape[r] = shape_id(w, t == 0, v.is_some());
            }
        }
        f
    }

    /// The embedded input (rows x din) of a batch.
    pub(crate) fn embed(&self, f: &Feats) -> Vec<f32> {
        let din = self.din();
        let l = &self.layout;
        let p = &self.params;
        let (wd, sd, hd) = (self.cfg.word_dim, self.cfg.suf_dim, self.cfg.shape_dim);
        let mut x = vec![0.0f32; f.t_max * f.bsz * din];
        for b in 0..f.bsz {
            for t in 0..f.lens[b] {
                let r = f.row(b, t);
                let row = &mut x[r * din..(r + 1) * din];
                let we = f.word[r] as usize * wd;
                row[..wd].copy_from_slice(&l.emb_word.of(p)[we..we + wd]);
                let se = f.suf[r] as usize * sd;
                row[wd..wd + sd].copy_from_slice(&l.emb_suf.of(p)[se..se + sd]);
                let he = f.shape[r] as usize * hd;
                row[wd + sd..wd + sd + hd].copy_from_slice(&l.emb_shape.of(p)[he..he + hd]);
                if f.vrow[r] != u32::MAX {
                    row[wd + sd + hd..].copy_from_slice(self.vectors.vector(f.vrow[r] as u16));
                }
            }
        }
        x
    }

    /// Builds the first layer's input tables (for decoding; training does not use them).
    pub(crate) fn build_tables(&mut self) {
        let h4 = 4 * self.cfg.hidden;
        let (wd, sd, hd, vd) = (self.cfg.word_dim, self.cfg.suf_dim, self.cfg.shape_dim, self.vectors.dim);
        let l = &self.layout;
        let p = &self.params;
        let table = |emb: &[f32], rows: usize, width: usize, w: &[f32], from: usize| {
            let mut out = vec![0.0f32; rows * h4];
            gemm(rows, width, h4, emb, false, &w[from * h4..(from + width) * h4], false, &mut out, 0.0);
            out
        };
        let n_vec = self.vectors.table.len() / vd.max(1);
        // The first layer's bias is folded into the word table (every word has a word
        // row): `(word + b) + suf + ...` equals the sum `table_inputs` computed before,
        // `(b + word) + suf + ...` (IEEE addition commutes), bit for bit.
        let dir = |lt: &LstmT| {
            let w = lt.w.of(p);
            let bias = lt.b.of(p);
            let mut word = table(l.emb_word.of(p), l.emb_word.rows, wd, w, 0);
            for row in word.chunks_exact_mut(h4) {
                for (x, b) in row.iter_mut().zip(bias) {
                    *x += b;
                }
            }
            InputTable {
                word,
                suf: table(l.emb_suf.of(p), l.emb_suf.rows, sd, w, wd),
                shape: table(l.emb_shape.of(p), l.emb_shape.rows, hd, w, wd + sd),
                vec: table(&self.vectors.table, n_vec, vd, w, wd + sd + hd),
            }
        };
        let t = [dir(&l.lstm[0][0]), dir(&l.lstm[0][1])];
        let h = self.cfg.hidden;
        let q = |t: &T| QMat::new(t.of(p), t.rows, t.cols);
        let rec = l.lstm.iter().map(|d| [q(&d[0].u), q(&d[1].u)]).collect();
        let inp = l.lstm.iter().skip(1).map(|d| [q(&d[0].w), q(&d[1].w)]).collect();
        let parts = [&l.arc_dep_w, &l.arc_head_w, &l.lab_dep_w, &l.lab_head_w];
        let width: usize = parts.iter().map(|t| t.cols).sum();
        let mut cat = vec![0.0f32; 2 * h * width];
        let mut col = 0;
        for t in parts {
            let w = t.of(p);
            for r in 0..2 * h {
                cat[r * width + col..r * width + col + t.cols].copy_from_slice(&w[r * t.cols..(r + 1) * t.cols]);
            }
            col += t.cols;
        }
        let mlp = QMat::new(&cat, 2 * h, width);
        let (nu, nx) = (l.upos_w.cols, l.xpos_w.cols);
        let mut tag_cat = vec![0.0f32; 2 * h * (nu + nx)];
        for r in 0..2 * h {
            tag_cat[r * (nu + nx)..r * (nu + nx) + nu].copy_from_slice(&l.upos_w.of(p)[r * nu..(r + 1) * nu]);
            tag_cat[r * (nu + nx) + nu..(r + 1) * (nu + nx)].copy_from_slice(&l.xpos_w.of(p)[r * nx..(r + 1) * nx]);
        }
        let tags = QMat::new(&tag_cat, 2 * h, nu + nx);
        self.tables = Some(Box::new(t));
        self.quant = Some(Box::new(Quant { rec, inp, mlp, tags }));
    }

    /// The first layer's input products of a batch from the tables (rows x 4H, bias added).
    fn table_inputs(&self, t: &InputTable, f: &Feats) -> Vec<f32> {
        let h4 = 4 * self.cfg.hidden;
        let mut z = scratch_empty(f.t_max * f.bsz * h4);
        // Row by row in time-major order; padding rows (never read) are zeros.
        for pos in 0..f.t_max {
            for b in 0..f.bsz {
                if pos >= f.lens[b] {
                    z.resize(z.len() + h4, 0.0);
                    continue;
                }
                let r = f.row(b, pos);
                let w = f.word[r] as usize * h4;
                let s = f.suf[r] as usize * h4;
                let sh = f.shape[r] as usize * h4;
                // The word rows carry the bias (`build_tables`).
                let (tw, ts, tsh) = (&t.word[w..w + h4], &t.suf[s..s + h4], &t.shape[sh..sh + h4]);
                let sum3 = tw.iter().zip(ts).zip(tsh).map(|((a, b), c)| a + b + c);
                if f.vrow[r] != u32::MAX {
                    let v = f.vrow[r] as usize * h4;
                    z.extend(sum3.zip(&t.vec[v..v + h4]).map(|(a, d)| a + d));
                } else {
                    z.extend(sum3);
                }
            }
        }
        z
    }

    /// Runs one LSTM direction over a time-major batch; `pre` holds the input products
    /// (rows x 4H, bias added) when they were looked up instead of multiplied.
    pub(crate) fn lstm(&self, lt: &LstmT, x: &[f32], inp: usize, f: &Feats, reverse: bool, pre: Option<Vec<f32>>, rec: Option<&QMat>) -> LstmCache {
        let h = self.cfg.hidden;
        let h4 = 4 * h;
        let p = &self.params;
        let rows = f.t_max * f.bsz;
        let mut z = match pre {
            Some(z) => z,
            None => {
                let mut z = vec![0.0f32; rows * h4];
                gemm(rows, inp, h4, x, false, lt.w.of(p), false, &mut z, 0.0);
                add_bias(&mut z, lt.b.of(p));
                z
            }
        };
        // Decoding (int8 recurrent products) needs neither the cell states nor zeroed
        // padding rows: those are never read.
        let decoding = rec.is_some();
        let mut c = if decoding { Vec::new() } else { vec![0.0f32; rows * h] };
        let mut hs = if decoding { scratch(rows * h) } else { vec![0.0f32; rows * h] };
        let mut hprev = vec![0.0f32; f.bsz * h];
        let mut cprev = vec![0.0f32; f.bsz * h];
        let mut g = vec![0.0f32; f.bsz * h4];
        for s in 0..f.t_max {
            let active = f.lens.iter().take_while(|&&l| l > s).count();
            if active == 0 {
                break;
            }
            match rec {
                Some(qm) => qm.matmul(&hprev[..active * h], active, &mut g[..active * h4], false),
                None => gemm(active, h, h4, &hprev, false, lt.u.of(p), false, &mut g, 0.0),
            }
            for b in 0..active {
                let pos = if reverse { f.lens[b] - 1 - s } else { s };
                let row = f.row(b, pos);
                let zr = &mut z[row * h4..(row + 1) * h4];
                let gr = &g[b * h4..(b + 1) * h4];
                for (zv, gv) in zr.iter_mut().zip(gr) {
                    *zv += gv;
                }
                let cr = &mut cprev[b * h..(b + 1) * h];
                let hr = &mut hprev[b * h..(b + 1) * h];
                math::lstm_cell(zr, cr, hr);
                if !decoding {
                    c[row * h..(row + 1) * h].copy_from_slice(cr);
                }
                hs[row * h..(row + 1) * h].copy_from_slice(hr);
            }
        }
        LstmCache { gates: z, c, h: hs }
    }

    /// Forward pass over a batch. With `rng`, dropout `p` is applied (training).
    pub(crate) fn forward(&self, feats: Feats, p_drop: f32, mut rng: Option<&mut Rng>) -> Forward {
        let h = self.cfg.hidden;
        let l = &self.layout;
        let p = &self.params;
        let rows = feats.t_max * feats.bsz;
        let mut fw = Forward::default();
        // Decoding with the tables never builds the embedded input.
        let tables = if rng.is_none() { self.tables.as_deref() } else { None };
        let quant = if rng.is_none() { self.quant.as_deref() } else { None };
        let mut x = if tables.is_some() { Vec::new() } else { self.embed(&feats) };
        let mut inp = self.din();
        for layer in 0..self.cfg.layers {
            let m = dropout(&mut x, p_drop, rng.as_deref_mut());
            let lt = &l.lstm[layer];
            let (pre_f, pre_b) = match (tables, quant) {
                (Some(t), _) if layer == 0 => (Some(self.table_inputs(&t[0], &feats)), Some(self.table_inputs(&t[1], &feats))),
                (_, Some(q)) if layer > 0 => {
                    let h4 = 4 * h;
                    let mut zs = [scratch(rows * h4), scratch(rows * h4)];
                    for (d, z) in zs.iter_mut().enumerate() {
                        q.inp[layer - 1][d].matmul(&x, rows, z, false);
                        add_bias(z, lt[d].b.of(p));
                    }
                    let [zf, zb] = zs;
                    (Some(zf), Some(zb))
                }
                _ => (None, None),
            };
            let (rec_f, rec_b) = match quant {
                Some(q) => (Some(&q.rec[layer][0]), Some(&q.rec[layer][1])),
                None => (None, None),
            };
            let a = self.lstm(&lt[0], &x, inp, &feats, false, pre_f, rec_f);
            let bwd = self.lstm(&lt[1], &x, inp, &feats, true, pre_b, rec_b);
            let mut next = if quant.is_some() { scratch_empty(rows * 2 * h) } else { Vec::with_capacity(rows * 2 * h) };
            for r in 0..rows {
                next.extend_from_slice(&a.h[r * h..(r + 1) * h]);
                next.extend_from_slice(&bwd.h[r * h..(r + 1) * h]);
            }
            fw.xs.push(std::mem::replace(&mut x, next));
            fw.masks.push(m);
            fw.caches.push([a, bwd]);
            inp = 2 * h;
        }
        fw.out_mask = dropout(&mut x, p_drop, rng.as_deref_mut());
        fw.out = x;
        // Compact copies: the last layer's output, and the first's (the second layer's input).
        let h2 = 2 * h;
        fw.last_c = compact(&fw.out, h2, &feats);
        fw.first_c = if self.cfg.layers > 1 { compact(&fw.xs[1], h2, &feats) } else { fw.last_c.clone() };
        let n = feats.n;
        let mlp = |w: &T, bias: &T, out: usize| {
            let mut y = vec![0.0f32; n * out];
            gemm(n, h2, out, &fw.last_c, false, w.of(p), false, &mut y, 0.0);
            add_bias(&mut y, bias.of(p));
            leaky_relu(&mut y);
            y
        };
        let (a, lb) = (self.cfg.arc_dim, self.cfg.lab_dim);
        if let Some(q) = quant {
            let width = 2 * a + 2 * lb;
            let mut y = scratch(n * width);
            q.mlp.matmul(&fw.last_c, n, &mut y, false);
            // Bias and leaky ReLU while splitting (the same operations as `add_bias`
            // then `leaky_relu`).
            let part = |from: usize, w: usize, bias: &T| {
                let bias = bias.of(p);
                let mut out = scratch_empty(n * w);
                for r in 0..n {
                    out.extend(y[r * width + from..r * width + from + w].iter().zip(bias).map(|(v, b)| {
                        let x = v + b;
                        if x < 0.0 {
                            x * math::LEAK
                        } else {
                            x
                        }
                    }));
                }
                out
            };
            fw.arc_dep = part(0, a, &l.arc_dep_b);
            fw.arc_head = part(a, a, &l.arc_head_b);
            fw.lab_dep = part(2 * a, lb, &l.lab_dep_b);
            fw.lab_head = part(2 * a + lb, lb, &l.lab_head_b);
            recycle([y]);
            fw.feats = feats;
            return fw;
        }
        let mut ys = [mlp(&l.arc_dep_w, &l.arc_dep_b, a), mlp(&l.arc_head_w, &l.arc_head_b, a), mlp(&l.lab_dep_w, &l.lab_dep_b, lb), mlp(&l.lab_head_w, &l.lab_head_b, lb)];
        for (y, m) in ys.iter_mut().zip(fw.mlp_masks.iter_mut()) {
            *m = dropout(y, p_drop, rng.as_deref_mut());
        }
        let [ad, ah, ld, lh] = ys;
        fw.arc_dep = ad;
        fw.arc_head = ah;
        fw.lab_dep = ld;
        fw.lab_head = lh;
        fw.feats = feats;
        fw
    }

    /// Arc scores of batch sentence `b`: `s[d * n + h]`, n with the root.
    pub(crate) fn arc_scores(&self, fw: &Forward, b: usize) -> (Vec<f32>, Vec<f32>) {
        let a = self.cfg.arc_dim;
        let n = fw.feats.lens[b];
        let o = fw.feats.offs[b];
        let p = &self.params;
        let dep = &fw.arc_dep[o * a..(o + n) * a];
        let head = &fw.arc_head[o * a..(o + n) * a];
        // hu = head · Uᵀ  (n x a), so s[d][h] = dep[d] · U · head[h] = dep[d] · hu[h]
        let mut hu = vec![0.0f32; n * a];
        gemm(n, a, a, head, false, self.layout.arc_u.of(p), true, &mut hu, 0.0);
        let mut s = vec![0.0f32; n * n];
        gemm(n, a, n, dep, false, &hu, true, &mut s, 0.0);
        let hb = self.layout.arc_hb.of(p);
        for hh in 0..n {
            let bias: f32 = head[hh * a..(hh + 1) * a].iter().zip(hb).map(|(x, y)| x * y).sum();
            for d in 0..n {
                s[d * n + hh] += bias;
            }
        }
        (s, hu)
    }

    /// Label logits for dependents `deps` (compact rows) with heads `heads` (compact rows);
    /// returns the feature matrix (k x 3Lb) and the logits (k x labels).
    pub(crate) fn label_logits(&self, fw: &Forward, deps: &[usize], heads: &[usize]) -> (Vec<f32>, Vec<f32>) {
        let lb = self.cfg.lab_dim;
        let k = deps.len();
        let mut feats = scratch(k * 3 * lb);
        for (i, (&d, &hh)) in deps.iter().zip(heads).enumerate() {
            let dv = &fw.lab_dep[d * lb..(d + 1) * lb];
            let hv = &fw.lab_head[hh * lb..(hh + 1) * lb];
            let row = &mut feats[i * 3 * lb..(i + 1) * 3 * lb];
            row[..lb].copy_from_slice(dv);
            row[lb..2 * lb].copy_from_slice(hv);
            for j in 0..lb {
                row[2 * lb + j] = dv[j] * hv[j];
            }
        }
        let nl = self.vocab.labels.len();
        let mut logits = scratch(k * nl);
        gemm(k, 3 * lb, nl, &feats, false, self.layout.lab_w.of(&self.params), false, &mut logits, 0.0);
        add_bias(&mut logits, self.layout.lab_b.of(&self.params));
        (feats, logits)
    }

    /// Tag logits (UPOS, XPOS) of every compact row.
    pub(crate) fn tag_logits(&self, fw: &Forward) -> (Vec<f32>, Vec<f32>) {
        let h2 = 2 * self.cfg.hidden;
        let n = fw.feats.n;
        let l = &self.layout;
        let p = &self.params;
        let (nu, nx) = (self.vocab.upos.len(), self.vocab.xpos.len());
        if let Some(q) = self.quant.as_deref() {
            let mut y = scratch(n * (nu + nx));
            q.tags.matmul(&fw.first_c, n, &mut y, false);
            let (mut u, mut x) = (scratch_empty(n * nu), scratch_empty(n * nx));
            for row in y.chunks_exact(nu + nx) {
                u.extend(row[..nu].iter().zip(l.upos_b.of(p)).map(|(a, b)| a + b));
                x.extend(row[nu..].iter().zip(l.xpos_b.of(p)).map(|(a, b)| a + b));
            }
            recycle([y]);
            return (u, x);
        }
        let mut u = vec![0.0f32; n * nu];
        gemm(n, h2, nu, &fw.first_c, false, l.upos_w.of(p), false, &mut u, 0.0);
        add_bias(&mut u, l.upos_b.of(p));
        let mut x = vec![0.0f32; n * nx];
        gemm(n, h2, nx, &fw.first_c, false, l.xpos_w.of(p), false, &mut x, 0.0);
        add_bias(&mut x, l.xpos_b.of(p));
        (u, x)
    }

    /// Parses a batch of sentences (any lengths); the result is in the input order.
    pub fn parse_batch<'s>(&'s self, sents: &[&[&str]]) -> Vec<Vec<Parsed<'s>>> {
        // A sentence longer than MAX_PIECE words (a run-on list, a table read as text) is
        // parsed in pieces: the tree decoder is cubic in the length. Each later piece's
        // root then hangs from the first piece's root as `parataxis`.
        let mut pieces: Vec<&[&str]> = Vec::with_capacity(sents.len());
        let mut owner: Vec<(usize, usize)> = Vec::with_capacity(sents.len());
        for (i, s) in sents.iter().enumerate() {
            if s.len() <= MAX_PIECE {
                pieces.push(s);
                owner.push((i, 0));
            } else {
                for (k, c) in s.chunks(MAX_PIECE).enumerate() {
                    pieces.push(c);
                    owner.push((i, k * MAX_PIECE));
                }
            }
        }
        // Sentences of similar length go together: every batch is padded to its longest.
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by_key(|&i| (pieces[i].len(), i));
        let mut parsed: Vec<Vec<Parsed<'s>>> = vec![Vec::new(); pieces.len()];
        let mut start = 0;
        while start < order.len() {
            // Up to 32 sentences, and no more than about 1,500 words with padding.
            let mut end = start + 1;
            while end < order.len() && end - start < 32 && (end + 1 - start) * pieces[order[end]].len() <= 1500 {
                end += 1;
            }
            let batch: Vec<&[&str]> = order[start..end].iter().map(|&i| pieces[i]).collect();
            for (k, p) in self.parse_sorted(&batch).into_iter().enumerate() {
                parsed[order[start + k]] = p;
            }
            start = end;
        }
        let mut out: Vec<Vec<Parsed<'s>>> = vec![Vec::new(); sents.len()];
        let parataxis = self.vocab.labels.iter().find(|l| *l == "parataxis").map_or("dep", |l| l.as_str());
        for ((i, offset), piece) in owner.into_iter().zip(parsed) {
            let sent = &mut out[i];
            let first_root = sent.iter().position(|w| w.head == 0).map(|r| r + 1);
            for mut w in piece {
                if w.head == 0 {
                    if let Some(r) = first_root {
                        w.head = r;
                        w.deprel = parataxis;
                    }
                } else {
                    w.head += offset;
                }
                sent.push(w);
            }
        }
        out
    }

    /// Parses one batch; the result is in the input order.
    fn parse_sorted<'s>(&'s self, sents: &[&[&str]]) -> Vec<Vec<Parsed<'s>>> {
        let mut out: Vec<Vec<Parsed<'s>>> = vec![Vec::new(); sents.len()];
        if sents.is_empty() {
            return out;
        }
        let feats = self.featurize(sents, None);
        let fw = self.forward(feats, 0.0, None);
        let (tu, tx) = self.tag_logits(&fw);
        let (nu, nx) = (self.vocab.upos.len(), self.vocab.xpos.len());
        let root = self.vocab.labels.iter().position(|l| l == "root");
        // Arc scores: head · Uᵀ and the head bias for every row at once, then per sentence.
        let a = self.cfg.arc_dim;
        let rows = fw.feats.n;
        let mut hu = scratch(rows * a);
        gemm(rows, a, a, &fw.arc_head, false, self.layout.arc_u.of(&self.params), true, &mut hu, 0.0);
        let hbw = self.layout.arc_hb.of(&self.params);
        let hb: Vec<f32> = fw.arc_head.chunks_exact(a).map(|r| r.iter().zip(hbw).map(|(x, y)| x * y).sum()).collect();
        let mut heads_of = vec![Vec::new(); fw.feats.bsz];
        let mut charts = EisnerCharts::default();
        let (mut deps, mut hs) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        let mut chart = scratch(0);
        for b in 0..fw.feats.bsz {
            let n = fw.feats.lens[b];
            if n <= 1 {
                continue;
            }
            let o = fw.feats.offs[b];
            if chart.len() < n * n {
                chart.resize(n * n, 0.0);
            }
            let s = &mut chart[..n * n];
            gemm(n, a, n, &fw.arc_dep[o * a..(o + n) * a], false, &hu[o * a..(o + n) * a], true, s, 0.0);
            for row in s.chunks_exact_mut(n) {
                for (v, bias) in row.iter_mut().zip(&hb[o..o + n]) {
                    *v += bias;
                }
            }
            let heads = eisner_with(s, n, &mut charts);
            deps.extend((1..n).map(|d| o + d));
            hs.extend((1..n).map(|d| o + heads[d]));
            heads_of[b] = heads;
        }
        let (label_feats, logits) = self.label_logits(&fw, &deps, &hs);
        let nl = self.vocab.labels.len();
        let mut k = 0;
        for b in 0..fw.feats.bsz {
            let n = fw.feats.lens[b];
            if n <= 1 {
                continue;
            }
            let o = fw.feats.offs[b];
            let heads = &heads_of[b];
            let mut words = Vec::with_capacity(n - 1);
            for d in 1..n {
                let row = &logits[k * nl..(k + 1) * nl];
                k += 1;
                let label = if heads[d] == 0 {
                    root.unwrap_or(0)
                } else {
                    argmax_except(row, root)
                };
                let r = o + d;
                words.push(Parsed {
                    head: heads[d],
                    deprel: &self.vocab.labels[label],
                    upos: &self.vocab.upos[argmax_except(&tu[r * nu..(r + 1) * nu], None)],
                    xpos: &self.vocab.xpos[argmax_except(&tx[r * nx..(r + 1) * nx], None)],
                });
            }
            out[fw.feats.order[b]] = words;
        }
        recycle([tu, tx, hu, chart, label_feats, logits]);
        fw.recycle();
        out
    }

    /// Writes the model (bincode + zstd).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let raw = bincode::serialize(self).map_err(|e| ModelError(format!("neural parser: {e}")))?;
        zstd::encode_all(&raw[..], 19).map_err(|e| ModelError(format!("neural parser: {e}")))
    }

    /// Reads a model written by [`NeuralParser::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<NeuralParser, ModelError> {
        let raw = zstd::decode_all(bytes).map_err(|e| ModelError(format!("neural parser: {e}")))?;
        let mut m: NeuralParser = bincode::deserialize(&raw).map_err(|e| ModelError(format!("neural parser: {e}")))?;
        if m.params.len() != m.layout.total {
            return Err(ModelError("neural parser: parameter count does not match its layout".into()));
        }
        m.vocab.build();
        m.vectors.build();
        m.build_tables();
        Ok(m)
    }
}

fn argmax_except(row: &[f32], skip: Option<usize>) -> usize {
    let mut best = 0;
    let mut bv = f32::NEG_INFINITY;
    for (i, &v) in row.iter().enumerate() {
        if Some(i) != skip && v > bv {
            bv = v;
            best = i;
        }
    }
    best
}

/// Sentence-major copy of a time-major matrix with `width` columns.
pub(crate) fn compact(x: &[f32], width: usize, f: &Feats) -> Vec<f32> {
    // Compact rows are the sentences' rows in order: b, then t.
    let mut out = scratch_empty(f.n * width);
    for b in 0..f.bsz {
        debug_assert_eq!(out.len(), f.offs[b] * width);
        for t in 0..f.lens[b] {
            let r = f.row(b, t);
            out.extend_from_slice(&x[r * width..(r + 1) * width]);
        }
    }
    out
}

/// The best projective tree with exactly one word attached to the root (Eisner 1996):
/// `s[d * n + h]` scores head `h` for dependent `d`; position 0 is the root. Returns the
/// heads (index 0 unused).
pub fn eisner(s: &[f32], n: usize) -> Vec<usize> {
    eisner_with(s, n, &mut EisnerCharts::default())
}

/// The charts of [`eisner`], kept between sentences: every cell the algorithm reads it
/// has written first (for the current sentence), so they are never cleared.
#[derive(Debug, Default)]
pub(crate) struct EisnerCharts {
    c: [Vec<f32>; 2],
    inc: [Vec<f32>; 2],
    cb: [Vec<u32>; 2],
    ib: [Vec<u32>; 2],
}

/// [`eisner`] with charts reused across calls.
pub(crate) fn eisner_with(s: &[f32], n: usize, charts: &mut EisnerCharts) -> Vec<usize> {
    let mut heads = vec![0usize; n];
    if n <= 2 {
        return heads;
    }
    let m = n - 1; // words 1..=m
    let w = n;
    let idx = |i: usize, j: usize| i * w + j;
    let neg = f32::NEG_INFINITY;
    // [0]: head on the right (j), [1]: head on the left (i).
    for v in charts.c.iter_mut().chain(charts.inc.iter_mut()) {
        if v.len() < w * w {
            v.resize(w * w, neg);
        }
    }
    for v in charts.cb.iter_mut().chain(charts.ib.iter_mut()) {
        if v.len() < w * w {
            v.resize(w * w, 0);
        }
    }
    let EisnerCharts { c, inc, cb, ib } = charts;
    for i in 1..=m {
        c[0][idx(i, i)] = 0.0;
        c[1][idx(i, i)] = 0.0;
    }
    for len in 1..m {
        for i in 1..=m - len {
            let j = i + len;
            let (mut best, mut bk) = (neg, i);
            for k in i..j {
                let v = c[1][idx(i, k)] + c[0][idx(k + 1, j)];
                if v > best {
                    best = v;
                    bk = k;
                }
            }
            inc[0][idx(i, j)] = best + s[i * n + j];
            inc[1][idx(i, j)] = best + s[j * n + i];
            ib[0][idx(i, j)] = bk as u32;
            ib[1][idx(i, j)] = bk as u32;
            let (mut best, mut bk) = (neg, i);
            for k in i..j {
                let v = c[0][idx(i, k)] + inc[0][idx(k, j)];
                if v > best {
                    best = v;
                    bk = k;
                }
            }
            c[0][idx(i, j)] = best;
            cb[0][idx(i, j)] = bk as u32;
            let (mut best, mut bk) = (neg, j);
            for k in i + 1..=j {
                let v = inc[1][idx(i, k)] + c[1][idx(k, j)];
                if v > best {
                    best = v;
                    bk = k;
                }
            }
            c[1][idx(i, j)] = best;
            cb[1][idx(i, j)] = bk as u32;
        }
    }
    let (mut best, mut root) = (neg, 1);
    for r in 1..=m {
        let v = c[0][idx(1, r)] + c[1][idx(r, m)] + s[r * n];
        if v > best {
            best = v;
            root = r;
        }
    }
    heads[root] = 0;
    // Backtrack: (kind, dir, i, j); kind 0 complete, 1 incomplete.
    let mut stack = vec![(0u8, 0usize, 1usize, root), (0u8, 1usize, root, m)];
    while let Some((kind, dir, i, j)) = stack.pop() {
        if i == j {
            continue;
        }
        if kind == 0 {
            let k = cb[dir][idx(i, j)] as usize;
            if dir == 0 {
                stack.push((0, 0, i, k));
                stack.push((1, 0, k, j));
            } else {
                stack.push((1, 1, i, k));
                stack.push((0, 1, k, j));
            }
        } else {
            if dir == 0 {
                heads[i] = j;
            } else {
                heads[j] = i;
            }
            let k = ib[dir][idx(i, j)] as usize;
            stack.push((0, 1, i, k));
            stack.push((0, 0, k + 1, j));
        }
    }
    heads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_score(s: &[f32], n: usize, heads: &[usize]) -> f32 {
        (1..n).map(|d| s[d * n + heads[d]]).sum()
    }

    /// All projective single-root trees over words 1..n-1, by brute force.
    fn best_by_brute_force(s: &[f32], n: usize) -> f32 {
        let mut best = f32::NEG_INFINITY;
        let mut heads = vec![0usize; n];
        fn rec(d: usize, n: usize, heads: &mut Vec<usize>, s: &[f32], best: &mut f32) {
            if d == n {
                let roots = (1..n).filter(|&i| heads[i] == 0).count();
                if roots != 1 || !crate::conllu::is_projective(&heads[1..]) {
                    return;
                }
                // acyclic: every word reaches the root
                for start in 1..n {
                    let (mut x, mut steps) = (start, 0);
                    while x != 0 && steps <= n {
                        x = heads[x];
                        steps += 1;
                    }
                    if x != 0 {
                        return;
                    }
                }
                let v: f32 = (1..n).map(|i| s[i * n + heads[i]]).sum();
                if v > *best {
                    *best = v;
                }
                return;
            }
            for h in 0..n {
                if h != d {
                    heads[d] = h;
                    rec(d + 1, n, heads, s, best);
                }
            }
        }
        rec(1, n, &mut heads, s, &mut best);
        best
    }

    #[test]
    fn eisner_finds_the_best_projective_tree() {
        let mut rng = Rng::new(7);
        for n in 2..=6 {
            for _ in 0..20 {
                let s: Vec<f32> = (0..n * n).map(|_| rng.uniform() * 4.0 - 2.0).collect();
                let heads = eisner(&s, n);
                let roots = (1..n).filter(|&i| heads[i] == 0).count();
                assert_eq!(roots, 1);
                assert!(crate::conllu::is_projective(&heads[1..]));
                let got = tree_score(&s, n, &heads);
                let want = best_by_brute_force(&s, n);
                assert!((got - want).abs() < 1e-4, "n={n}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn overlong_sentences_are_parsed_in_pieces_into_one_tree() {
        let sents = crate::conllu::parse("1\tDogs\tdog\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n\n").expect("toy");
        let net = NetConfig { hidden: 4, layers: 1, word_dim: 3, suf_dim: 2, shape_dim: 2, arc_dim: 3, lab_dim: 2 };
        let m = train::untrained(&sents, net, 0, 1);
        let words: Vec<String> = (0..2 * MAX_PIECE + 7).map(|i| format!("w{i}")).collect();
        let long: Vec<&str> = words.iter().map(|w| w.as_str()).collect();
        let short = ["Dogs", "bark"];
        let out = m.parse_batch(&[&short, &long]);
        assert_eq!(out[0].len(), 2);
        let t = &out[1];
        assert_eq!(t.len(), long.len());
        assert_eq!(t.iter().filter(|w| w.head == 0).count(), 1);
        // Every word reaches the root.
        for start in 1..=t.len() {
            let (mut x, mut steps) = (start, 0);
            while x != 0 && steps <= t.len() {
                x = t[x - 1].head;
                steps += 1;
            }
            assert_eq!(x, 0, "word {start} is on a cycle");
        }
    }

    #[test]
    fn reused_charts_give_the_same_trees() {
        let mut rng = Rng::new(9);
        let mut charts = EisnerCharts::default();
        for _ in 0..200 {
            let n = 2 + rng.below(14);
            let s: Vec<f32> = (0..n * n).map(|_| rng.uniform() * 4.0 - 2.0).collect();
            assert_eq!(eisner_with(&s, n, &mut charts), eisner(&s, n));
        }
    }

    #[test]
    fn shapes_stay_in_range() {
        for w in ["", "a", "Abc", "ABC", "aBc", "123", "--", "I", "Élan"] {
            for first in [false, true] {
                for v in [false, true] {
                    assert!(shape_id(w, first, v) < ROOT_SHAPE);
                }
            }
        }
    }
}
