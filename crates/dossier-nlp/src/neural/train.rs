//! Training of the [`NeuralParser`]: the backward pass, Adam, the epoch loop, and scoring.

use super::math::{col_sums, gemm, log_softmax, Rng, LEAK};
use super::{Forward, Layout, LstmT, NetConfig, NeuralParser, Vectors, Vocab};
use crate::conllu::Sentence;
use std::time::Instant;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Network sizes.
    pub net: NetConfig,
    /// Epochs.
    pub epochs: usize,
    /// Sentences per update.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f32,
    /// Dropout on every layer's input and the MLP outputs.
    pub dropout: f32,
    /// Probability of replacing a known word by the unknown word.
    pub word_drop: f32,
    /// Words seen fewer times in training are unknown.
    pub min_count: usize,
    /// Weight of the two tagging losses.
    pub tag_weight: f32,
    /// Seed of initialisation, shuffling and dropout.
    pub seed: u64,
    /// Print a line per epoch to stderr.
    pub verbose: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { net: NetConfig::default(), epochs: 30, batch: 32, lr: 2e-3, dropout: 0.33, word_drop: 0.1, min_count: 2, tag_weight: 1.0, seed: 1, verbose: true }
    }
}

/// Dev and test-style scores (all words, punctuation included; LAS on the universal part).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Unlabelled attachment.
    pub uas: f64,
    /// Labelled attachment.
    pub las: f64,
    /// UPOS accuracy of the tagging head.
    pub upos: f64,
    /// XPOS accuracy of the tagging head.
    pub xpos: f64,
}

/// Gold targets of one sentence, as vocabulary ids.
#[derive(Debug, Clone)]
pub(crate) struct Gold {
    pub heads: Vec<usize>,
    pub labels: Vec<usize>,
    pub upos: Vec<usize>,
    pub xpos: Vec<usize>,
}

fn build_vocab(train: &[Sentence], min_count: usize) -> Vocab {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut upos = std::collections::BTreeSet::new();
    let mut xpos = std::collections::BTreeSet::new();
    let mut labels = std::collections::BTreeSet::new();
    for s in train {
        for w in &s.words {
            *counts.entry(super::norm_word(&w.form)).or_default() += 1;
            upos.insert(w.upos.clone());
            xpos.insert(w.xpos.clone());
            labels.insert(w.deprel.clone());
        }
    }
    let mut words = vec!["<unk>".to_string(), "<root>".to_string()];
    words.extend(counts.into_iter().filter(|(_, c)| *c >= min_count).map(|(w, _)| w));
    let mut v = Vocab { words, upos: upos.into_iter().collect(), xpos: xpos.into_iter().collect(), labels: labels.into_iter().collect(), ..Default::default() };
    v.build();
    v
}

fn gold_of(v: &Vocab, s: &Sentence) -> Gold {
    let find = |list: &[String], x: &str| list.iter().position(|y| y == x).unwrap_or(0);
    Gold {
        heads: s.words.iter().map(|w| w.head).collect(),
        labels: s.words.iter().map(|w| find(&v.labels, &w.deprel)).collect(),
        upos: s.words.iter().map(|w| find(&v.upos, &w.upos)).collect(),
        xpos: s.words.iter().map(|w| find(&v.xpos, &w.xpos)).collect(),
    }
}

fn init_params(layout: &Layout, cfg: &NetConfig, rng: &mut Rng) -> Vec<f32> {
    let mut p = vec![0.0f32; layout.total];
    let glorot = |t: &super::T, p: &mut [f32], rng: &mut Rng| {
        let a = (6.0 / (t.rows + t.cols) as f32).sqrt();
        for v in t.of_mut(p) {
            *v = (rng.uniform() * 2.0 - 1.0) * a;
        }
    };
    for t in [&layout.emb_suf, &layout.emb_shape] {
        for v in t.of_mut(&mut p) {
            *v = (rng.uniform() * 2.0 - 1.0) * 0.1;
        }
    }
    for l in &layout.lstm {
        for d in l {
            glorot(&d.w, &mut p, rng);
            glorot(&d.u, &mut p, rng);
            let h = cfg.hidden;
            for v in &mut d.b.of_mut(&mut p)[h..2 * h] {
                *v = 1.0;
            }
        }
    }
    for t in [&layout.upos_w, &layout.xpos_w, &layout.arc_dep_w, &layout.arc_head_w, &layout.lab_dep_w, &layout.lab_head_w, &layout.lab_w] {
        glorot(t, &mut p, rng);
    }
    p
}

/// Softmax cross-entropy of one row of logits against `gold`; writes `(p - 1[gold]) * scale`
/// into `d` and returns the loss.
fn xent(row: &[f32], gold: usize, scale: f32, d: &mut [f32]) -> f32 {
    let mut lp = row.to_vec();
    log_softmax(&mut lp);
    for (i, (dv, l)) in d.iter_mut().zip(&lp).enumerate() {
        *dv = (l.exp() - if i == gold { 1.0 } else { 0.0 }) * scale;
    }
    -lp[gold] * scale
}

/// Back-propagates one LSTM direction: accumulates its weight gradients into `g` and
/// returns the gradient of its input (rows x inp).
fn lstm_backward(m: &NeuralParser, lt: &LstmT, g: &mut [f32], x: &[f32], inp: usize, fw: &Forward, cache: &super::LstmCache, dh_out: &[f32], reverse: bool) -> Vec<f32> {
    let f = &fw.feats;
    let h = m.cfg.hidden;
    let h4 = 4 * h;
    let rows = f.t_max * f.bsz;
    let p = &m.params;
    let mut dz = vec![0.0f32; rows * h4];
    let mut dh_rec = vec![0.0f32; f.bsz * h];
    let mut dc_rec = vec![0.0f32; f.bsz * h];
    let mut dzb = vec![0.0f32; f.bsz * h4];
    for s in (0..f.t_max).rev() {
        let active = f.lens.iter().take_while(|&&l| l > s).count();
        if active == 0 {
            continue;
        }
        for b in 0..active {
            let pos = if reverse { f.lens[b] - 1 - s } else { s };
            let row = f.row(b, pos);
            let prev = if reverse {
                (pos + 1 < f.lens[b]).then(|| f.row(b, pos + 1))
            } else {
                (pos > 0).then(|| f.row(b, pos - 1))
            };
            let gt = &cache.gates[row * h4..(row + 1) * h4];
            for j in 0..h {
                let (i, fg, gg, o) = (gt[j], gt[h + j], gt[2 * h + j], gt[3 * h + j]);
                let tc = cache.c[row * h + j].tanh();
                let dh = dh_out[row * h + j] + dh_rec[b * h + j];
                let dc = dc_rec[b * h + j] + dh * o * (1.0 - tc * tc);
                let cp = prev.map_or(0.0, |pr| cache.c[pr * h + j]);
                dc_rec[b * h + j] = dc * fg;
                let z = &mut dzb[b * h4..(b + 1) * h4];
                z[j] = dc * gg * i * (1.0 - i);
                z[h + j] = dc * cp * fg * (1.0 - fg);
                z[2 * h + j] = dc * i * (1.0 - gg * gg);
                z[3 * h + j] = dh * tc * o * (1.0 - o);
            }
            dz[row * h4..(row + 1) * h4].copy_from_slice(&dzb[b * h4..(b + 1) * h4]);
        }
        // dh_prev = dz · Uᵀ
        gemm(active, h4, h, &dzb, false, lt.u.of(p), true, &mut dh_rec, 0.0);
    }
    // h_prev of every row (zero at each sentence's first step).
    let mut hprev = vec![0.0f32; rows * h];
    for b in 0..f.bsz {
        for pos in 0..f.lens[b] {
            let prev = if reverse {
                (pos + 1 < f.lens[b]).then(|| f.row(b, pos + 1))
            } else {
                (pos > 0).then(|| f.row(b, pos - 1))
            };
            if let Some(pr) = prev {
                let r = f.row(b, pos);
                hprev[r * h..(r + 1) * h].copy_from_slice(&cache.h[pr * h..(pr + 1) * h]);
            }
        }
    }
    gemm(inp, rows, h4, x, true, &dz, false, lt.w.of_mut(g), 1.0);
    gemm(h, rows, h4, &hprev, true, &dz, false, lt.u.of_mut(g), 1.0);
    col_sums(&dz, lt.b.of_mut(g));
    let mut dx = vec![0.0f32; rows * inp];
    gemm(rows, h4, inp, &dz, false, lt.w.of(p), true, &mut dx, 0.0);
    dx
}

/// MLP backward: `y` is the output after activation and dropout, `mask` the dropout mask.
#[allow(clippy::too_many_arguments)]
fn mlp_backward(m: &NeuralParser, g: &mut [f32], x: &[f32], y: &[f32], mask: &[f32], dy: &[f32], w: &super::T, b: &super::T, dx: &mut [f32]) {
    let (n, inp, out) = (x.len() / w.rows, w.rows, w.cols);
    let mut dpre = dy.to_vec();
    for (i, d) in dpre.iter_mut().enumerate() {
        let keep = if mask.is_empty() { 1.0 } else { mask[i] };
        *d *= keep * if y[i] > 0.0 { 1.0 } else { LEAK };
    }
    gemm(inp, n, out, x, true, &dpre, false, w.of_mut(g), 1.0);
    col_sums(&dpre, b.of_mut(g));
    gemm(n, out, inp, &dpre, false, w.of(&m.params), true, dx, 1.0);
}

/// Losses and gradients of one forward pass; returns (loss, scored words).
pub(crate) fn backward(m: &NeuralParser, fw: &Forward, gold: &[Gold], tag_weight: f32, g: &mut [f32]) -> (f32, usize) {
    let f = &fw.feats;
    let l = &m.layout;
    let p = &m.params;
    let (a, lb, h) = (m.cfg.arc_dim, m.cfg.lab_dim, m.cfg.hidden);
    let h2 = 2 * h;
    let n_tok: usize = f.lens.iter().map(|x| x - 1).sum();
    let scale = 1.0 / n_tok.max(1) as f32;
    let mut loss = 0.0f32;
    let mut d_ad = vec![0.0f32; f.n * a];
    let mut d_ah = vec![0.0f32; f.n * a];
    // Arcs.
    for b in 0..f.bsz {
        let n = f.lens[b];
        let o = f.offs[b];
        let gd = &gold[f.order[b]];
        let (s, hu) = m.arc_scores(fw, b);
        let mut ds = vec![0.0f32; n * n];
        for d in 1..n {
            let mut row = s[d * n..(d + 1) * n].to_vec();
            row[d] = -1e30;
            loss += xent(&row, gd.heads[d - 1], scale, &mut ds[d * n..(d + 1) * n]);
            ds[d * n + d] = 0.0;
        }
        let dep = &fw.arc_dep[o * a..(o + n) * a];
        let head = &fw.arc_head[o * a..(o + n) * a];
        gemm(n, n, a, &ds, false, &hu, false, &mut d_ad[o * a..(o + n) * a], 1.0);
        let mut dhu = vec![0.0f32; n * a];
        gemm(n, n, a, &ds, true, dep, false, &mut dhu, 0.0);
        gemm(n, a, a, &dhu, false, l.arc_u.of(p), false, &mut d_ah[o * a..(o + n) * a], 1.0);
        gemm(a, n, a, &dhu, true, head, false, l.arc_u.of_mut(g), 1.0);
        let hb = l.arc_hb.of(p).to_vec();
        let dhb = l.arc_hb.of_mut(g);
        for hh in 0..n {
            let cs: f32 = (0..n).map(|d| ds[d * n + hh]).sum();
            if cs != 0.0 {
                for k in 0..a {
                    d_ah[(o + hh) * a + k] += cs * hb[k];
                    dhb[k] += cs * head[hh * a + k];
                }
            }
        }
    }
    // Labels, at the gold heads.
    let mut deps = Vec::with_capacity(n_tok);
    let mut heads = Vec::with_capacity(n_tok);
    let mut glab = Vec::with_capacity(n_tok);
    for b in 0..f.bsz {
        let gd = &gold[f.order[b]];
        for d in 1..f.lens[b] {
            deps.push(f.offs[b] + d);
            heads.push(f.offs[b] + gd.heads[d - 1]);
            glab.push(gd.labels[d - 1]);
        }
    }
    let (feats, logits) = m.label_logits(fw, &deps, &heads);
    let nl = m.vocab.labels.len();
    let mut dlog = vec![0.0f32; logits.len()];
    for i in 0..deps.len() {
        loss += xent(&logits[i * nl..(i + 1) * nl], glab[i], scale, &mut dlog[i * nl..(i + 1) * nl]);
    }
    let k = deps.len();
    gemm(3 * lb, k, nl, &feats, true, &dlog, false, l.lab_w.of_mut(g), 1.0);
    col_sums(&dlog, l.lab_b.of_mut(g));
    let mut dfeat = vec![0.0f32; k * 3 * lb];
    gemm(k, nl, 3 * lb, &dlog, false, l.lab_w.of(p), true, &mut dfeat, 0.0);
    let mut d_ld = vec![0.0f32; f.n * lb];
    let mut d_lh = vec![0.0f32; f.n * lb];
    for i in 0..k {
        let (d, hh) = (deps[i], heads[i]);
        let df = &dfeat[i * 3 * lb..(i + 1) * 3 * lb];
        for j in 0..lb {
            let dv = fw.lab_dep[d * lb + j];
            let hv = fw.lab_head[hh * lb + j];
            d_ld[d * lb + j] += df[j] + df[2 * lb + j] * hv;
            d_lh[hh * lb + j] += df[lb + j] + df[2 * lb + j] * dv;
        }
    }
    // Tags, on the first layer's output.
    let mut d_first = vec![0.0f32; f.n * h2];
    if tag_weight > 0.0 {
        let (tu, tx) = m.tag_logits(fw);
        let (nu, nx) = (m.vocab.upos.len(), m.vocab.xpos.len());
        let mut du = vec![0.0f32; tu.len()];
        let mut dx = vec![0.0f32; tx.len()];
        let ts = scale * tag_weight;
        for b in 0..f.bsz {
            let gd = &gold[f.order[b]];
            for d in 1..f.lens[b] {
                let r = f.offs[b] + d;
                loss += xent(&tu[r * nu..(r + 1) * nu], gd.upos[d - 1], ts, &mut du[r * nu..(r + 1) * nu]);
                loss += xent(&tx[r * nx..(r + 1) * nx], gd.xpos[d - 1], ts, &mut dx[r * nx..(r + 1) * nx]);
            }
        }
        gemm(h2, f.n, nu, &fw.first_c, true, &du, false, l.upos_w.of_mut(g), 1.0);
        col_sums(&du, l.upos_b.of_mut(g));
        gemm(h2, f.n, nx, &fw.first_c, true, &dx, false, l.xpos_w.of_mut(g), 1.0);
        col_sums(&dx, l.xpos_b.of_mut(g));
        gemm(f.n, nu, h2, &du, false, l.upos_w.of(p), true, &mut d_first, 1.0);
        gemm(f.n, nx, h2, &dx, false, l.xpos_w.of(p), true, &mut d_first, 1.0);
    }
    // MLPs.
    let mut d_last = vec![0.0f32; f.n * h2];
    let x = &fw.last_c;
    mlp_backward(m, g, x, &fw.arc_dep, &fw.mlp_masks[0], &d_ad, &l.arc_dep_w, &l.arc_dep_b, &mut d_last);
    mlp_backward(m, g, x, &fw.arc_head, &fw.mlp_masks[1], &d_ah, &l.arc_head_w, &l.arc_head_b, &mut d_last);
    mlp_backward(m, g, x, &fw.lab_dep, &fw.mlp_masks[2], &d_ld, &l.lab_dep_w, &l.lab_dep_b, &mut d_last);
    mlp_backward(m, g, x, &fw.lab_head, &fw.mlp_masks[3], &d_lh, &l.lab_head_w, &l.lab_head_b, &mut d_last);
    if m.cfg.layers == 1 {
        for (a, b) in d_last.iter_mut().zip(&d_first) {
            *a += b;
        }
    }
    // Back to time-major, through the output dropout.
    let rows = f.t_max * f.bsz;
    let scatter = |dc: &[f32], width: usize, out: &mut [f32]| {
        for b in 0..f.bsz {
            for t in 0..f.lens[b] {
                let r = f.row(b, t);
                let c = f.offs[b] + t;
                for j in 0..width {
                    out[r * width + j] += dc[c * width + j];
                }
            }
        }
    };
    let mut dout = vec![0.0f32; rows * h2];
    scatter(&d_last, h2, &mut dout);
    apply_mask(&mut dout, &fw.out_mask);
    // Layers, top down.
    for layer in (0..m.cfg.layers).rev() {
        let inp = if layer == 0 { m.din() } else { h2 };
        let x = &fw.xs[layer];
        let mut dfw = vec![0.0f32; rows * h];
        let mut dbw = vec![0.0f32; rows * h];
        for r in 0..rows {
            dfw[r * h..(r + 1) * h].copy_from_slice(&dout[r * h2..r * h2 + h]);
            dbw[r * h..(r + 1) * h].copy_from_slice(&dout[r * h2 + h..(r + 1) * h2]);
        }
        let lt = l.lstm[layer];
        let mut dx = lstm_backward(m, &lt[0], g, x, inp, fw, &fw.caches[layer][0], &dfw, false);
        let dx2 = lstm_backward(m, &lt[1], g, x, inp, fw, &fw.caches[layer][1], &dbw, true);
        for (a, b) in dx.iter_mut().zip(&dx2) {
            *a += b;
        }
        if layer == 1 {
            scatter(&d_first, h2, &mut dx);
        }
        apply_mask(&mut dx, &fw.masks[layer]);
        dout = dx;
    }
    // Embeddings.
    let (wd, sd, hd) = (m.cfg.word_dim, m.cfg.suf_dim, m.cfg.shape_dim);
    let din = m.din();
    for b in 0..f.bsz {
        for t in 0..f.lens[b] {
            let r = f.row(b, t);
            let dr = &dout[r * din..(r + 1) * din];
            let add = |t: &super::T, id: usize, w: usize, off: usize, g: &mut [f32]| {
                let e = &mut t.of_mut(g)[id * w..(id + 1) * w];
                for j in 0..w {
                    e[j] += dr[off + j];
                }
            };
            add(&l.emb_word, f.word[r] as usize, wd, 0, g);
            add(&l.emb_suf, f.suf[r] as usize, sd, wd, g);
            add(&l.emb_shape, f.shape[r] as usize, hd, wd + sd, g);
        }
    }
    (loss, n_tok)
}

fn apply_mask(x: &mut [f32], mask: &[f32]) {
    if !mask.is_empty() {
        for (v, m) in x.iter_mut().zip(mask) {
            *v *= m;
        }
    }
}

/// Adam with bias correction (Kingma & Ba), β1 = β2 = 0.9 as in Dozat & Manning.
struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
}

impl Adam {
    fn step(&mut self, p: &mut [f32], g: &[f32], lr: f32) {
        let (b1, b2, eps) = (0.9f32, 0.9f32, 1e-8f32);
        self.t += 1;
        let c1 = 1.0 - b1.powi(self.t);
        let c2 = 1.0 - b2.powi(self.t);
        for i in 0..p.len() {
            let gi = g[i];
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * gi;
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * gi * gi;
            p[i] -= lr * (self.m[i] / c1) / ((self.v[i] / c2).sqrt() + eps);
        }
    }
}

/// Scores `model` on gold sentences (gold tokenisation).
pub fn evaluate(model: &NeuralParser, gold: &[Sentence]) -> Scores {
    let (mut n, mut uas, mut las, mut up, mut xp) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for chunk in gold.chunks(64) {
        let forms: Vec<Vec<&str>> = chunk.iter().map(|s| s.forms()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
        let parsed = model.parse_batch(&refs);
        for (s, p) in chunk.iter().zip(&parsed) {
            for (w, q) in s.words.iter().zip(p) {
                n += 1;
                if w.head == q.head {
                    uas += 1;
                    if w.universal_deprel() == crate::conllu::universal_deprel(q.deprel) {
                        las += 1;
                    }
                }
                up += (w.upos == q.upos) as usize;
                xp += (w.xpos == q.xpos) as usize;
            }
        }
    }
    let r = |x: usize| x as f64 / n.max(1) as f64;
    Scores { uas: r(uas), las: r(las), upos: r(up), xpos: r(xp) }
}

/// Trains on `train`, keeps the epoch with the best LAS on `dev`; returns the model and
/// its dev scores.
pub fn train(train: &[Sentence], dev: &[Sentence], vectors: Vectors, cfg: &TrainConfig) -> (NeuralParser, Scores) {
    let vocab = build_vocab(train, cfg.min_count);
    let layout = Layout::new(&cfg.net, vectors.dim, &vocab);
    let mut rng = Rng::new(cfg.seed);
    let params = init_params(&layout, &cfg.net, &mut rng);
    let mut model = NeuralParser { cfg: cfg.net, vocab, layout, params, vectors, tables: None, quant: None };
    let golds: Vec<Gold> = train.iter().map(|s| gold_of(&model.vocab, s)).collect();
    // Batches of sentences of similar length.
    let mut idx: Vec<usize> = (0..train.len()).filter(|&i| !train[i].words.is_empty()).collect();
    idx.sort_by_key(|&i| (train[i].words.len(), i));
    let mut batches: Vec<Vec<usize>> = idx.chunks(cfg.batch.max(1)).map(|c| c.to_vec()).collect();
    let mut adam = Adam { m: vec![0.0; model.params.len()], v: vec![0.0; model.params.len()], t: 0 };
    let mut best = (Scores::default(), model.params.clone());
    let mut grads = vec![0.0f32; model.params.len()];
    for epoch in 0..cfg.epochs {
        let start = Instant::now();
        rng.shuffle(&mut batches);
        let (mut total, mut words) = (0.0f64, 0usize);
        for batch in &batches {
            let forms: Vec<Vec<&str>> = batch.iter().map(|&i| train[i].forms()).collect();
            let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
            let gold: Vec<Gold> = batch.iter().map(|&i| golds[i].clone()).collect();
            let feats = model.featurize(&refs, Some((&mut rng, cfg.word_drop)));
            let fw = model.forward(feats, cfg.dropout, Some(&mut rng));
            grads.iter_mut().for_each(|g| *g = 0.0);
            let (loss, n) = backward(&model, &fw, &gold, cfg.tag_weight, &mut grads);
            total += loss as f64 * n as f64;
            words += n;
            // Clip the global norm at 5.
            let norm = grads.iter().map(|g| g * g).sum::<f32>().sqrt();
            if norm > 5.0 {
                let s = 5.0 / norm;
                grads.iter_mut().for_each(|g| *g *= s);
            }
            adam.step(&mut model.params, &grads, cfg.lr);
        }
        let secs = start.elapsed().as_secs_f64();
        let sc = evaluate(&model, dev);
        if cfg.verbose {
            eprintln!(
                "epoch {epoch}: loss {:.4} ({:.0} s, {:.0} words/s) dev UAS {:.4} LAS {:.4} UPOS {:.4} XPOS {:.4}",
                total / words.max(1) as f64,
                secs,
                words as f64 / secs,
                sc.uas,
                sc.las,
                sc.upos,
                sc.xpos
            );
        }
        if sc.las > best.0.las {
            best = (sc, model.params.clone());
        }
    }
    model.params = best.1;
    (model, best.0)
}

/// A small untrained model over `train`'s vocabulary (for tests).
#[cfg(test)]
pub(crate) fn untrained(train: &[Sentence], net: NetConfig, vec_dim: usize, seed: u64) -> NeuralParser {
    let vocab = build_vocab(train, 1);
    let mut vectors = Vectors { dim: vec_dim, ..Default::default() };
    vectors.build();
    let layout = Layout::new(&net, vec_dim, &vocab);
    let mut rng = Rng::new(seed);
    let mut params = init_params(&layout, &net, &mut rng);
    // Non-zero everywhere, so that every gradient path is exercised.
    for v in params.iter_mut() {
        *v += (rng.uniform() - 0.5) * 0.2;
    }
    NeuralParser { cfg: net, vocab, layout, params, vectors, tables: None, quant: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<Sentence> {
        let text = "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\tdog\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n3\tbarks\tbark\tVERB\tVBZ\t_\t0\troot\t_\t_\n4\tloudly\tloudly\tADV\tRB\t_\t3\tadvmod\t_\t_\n5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n1\tDogs\tdog\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n\n";
        crate::conllu::parse(text).expect("toy conllu")
    }

    fn loss_of(m: &NeuralParser, sents: &[Sentence]) -> f32 {
        let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
        let gold: Vec<Gold> = sents.iter().map(|s| gold_of(&m.vocab, s)).collect();
        let fw = m.forward(m.featurize(&refs, None), 0.0, None);
        let mut g = vec![0.0f32; m.params.len()];
        backward(m, &fw, &gold, 1.0, &mut g).0
    }

    #[test]
    fn gradients_match_finite_differences() {
        let sents = toy();
        for layers in [1, 2] {
            let net = NetConfig { hidden: 3, layers, word_dim: 2, suf_dim: 2, shape_dim: 2, arc_dim: 3, lab_dim: 2 };
            let mut m = untrained(&sents, net, 0, 3);
            let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
            let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
            let gold: Vec<Gold> = sents.iter().map(|s| gold_of(&m.vocab, s)).collect();
            let fw = m.forward(m.featurize(&refs, None), 0.0, None);
            let mut g = vec![0.0f32; m.params.len()];
            backward(&m, &fw, &gold, 1.0, &mut g);
            // Every parameter that the toy batch touches (embedding rows it does not use have 0).
            let mut checked = 0;
            let mut worst = 0.0f32;
            let mut bad = 0;
            for i in 0..m.params.len() {
                let old = m.params[i];
                // Central differences at two step sizes (a step may cross a leaky-ReLU kink).
                let mut best = f32::INFINITY;
                let mut num = 0.0;
                for eps in [2e-3f32, 5e-4] {
                    m.params[i] = old + eps;
                    let up = loss_of(&m, &sents);
                    m.params[i] = old - eps;
                    let down = loss_of(&m, &sents);
                    m.params[i] = old;
                    let n = (up - down) / (2.0 * eps);
                    let err = (n - g[i]).abs() / (0.05 * n.abs().max(g[i].abs()) + 4e-3);
                    if err < best {
                        best = err;
                        num = n;
                    }
                }
                worst = worst.max(best);
                if best >= 1.0 {
                    eprintln!("layers {layers}, param {i}: analytic {} numeric {num}", g[i]);
                    bad += 1;
                }
                checked += (g[i] != 0.0) as usize;
            }
            assert!(checked > 100, "only {checked} non-zero gradients");
            let _ = worst;
            assert_eq!(bad, 0);
        }
    }

    #[test]
    fn looked_up_first_layer_inputs_equal_the_products() {
        let sents = toy();
        let net = NetConfig { hidden: 4, layers: 2, word_dim: 3, suf_dim: 2, shape_dim: 2, arc_dim: 3, lab_dim: 2 };
        let mut m = untrained(&sents, net, 0, 5);
        let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
        let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
        let plain = m.forward(m.featurize(&refs, None), 0.0, None);
        m.build_tables();
        let quant = m.quant.take();
        let fast = m.forward(m.featurize(&refs, None), 0.0, None);
        assert_eq!(plain.last_c.len(), fast.last_c.len());
        for (a, b) in plain.last_c.iter().zip(&fast.last_c) {
            assert!((a - b).abs() < 1e-5);
        }
        // With the int8 matrices too: close, not equal.
        m.quant = quant;
        let q = m.forward(m.featurize(&refs, None), 0.0, None);
        for (a, b) in plain.last_c.iter().zip(&q.last_c) {
            assert!((a - b).abs() < 0.05, "{a} vs {b}");
        }
        for (a, b) in plain.arc_dep.iter().zip(&q.arc_dep) {
            assert!((a - b).abs() < 0.05, "{a} vs {b}");
        }
    }

    #[test]
    fn training_fits_a_toy_treebank_and_the_model_round_trips() {
        let sents = toy();
        let cfg = TrainConfig {
            net: NetConfig { hidden: 8, layers: 1, word_dim: 4, suf_dim: 4, shape_dim: 2, arc_dim: 8, lab_dim: 4 },
            epochs: 60,
            batch: 2,
            lr: 0.01,
            dropout: 0.0,
            word_drop: 0.0,
            min_count: 1,
            tag_weight: 1.0,
            seed: 1,
            verbose: false,
        };
        let mut vectors = Vectors { dim: 0, ..Default::default() };
        vectors.build();
        let (m, sc) = train(&sents, &sents, vectors, &cfg);
        assert_eq!(sc.uas, 1.0);
        assert_eq!(sc.las, 1.0);
        let back = NeuralParser::from_bytes(&m.to_bytes().expect("write")).expect("read");
        assert_eq!(evaluate(&back, &sents), sc);
    }
}
