//! Part-of-speech tagger: UPOS and XPOS (Penn Treebank) together, one class
//! per (UPOS, XPOS) pair seen in training.
//!
//! A greedy left-to-right averaged perceptron ([`crate::perceptron`]) with the
//! "perceptron tagger" feature set (words and suffixes in a +-2 window, the two
//! previous tags) plus prefixes, suffixes of 1..=4 characters, word shape and
//! bigrams of words. Frequent words that are unambiguous in training are tagged
//! from a dictionary without scoring. Trained with [`train`] on CoNLL-U
//! sentences; [`Tagger::tag`] takes the words of one sentence.

use crate::conllu::Sentence;
use crate::perceptron::{
    self, argmax, feat1, feat2, feat3, hash_lower, hash_str, Model, ModelError, Trainer,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One tagged word: borrowed from the tagger's tag set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The class index in the tagger's tag set.
    pub id: u16,
    /// Universal part of speech.
    pub upos: &'a str,
    /// Penn Treebank tag.
    pub xpos: &'a str,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TaggerConfig {
    /// Passes over the training data (the best epoch on dev is kept).
    pub epochs: usize,
    /// Seed of the shuffling of the training sentences.
    pub seed: u64,
    /// Averaged weights with `|w| <=` this are dropped.
    pub min_abs: f32,
    /// Print one line per epoch to stderr.
    pub verbose: bool,
    /// Word clusters to use as features (stored in the model); may be empty.
    pub clusters: Clusters,
}

impl Default for TaggerConfig {
    fn default() -> Self {
        TaggerConfig {
            epochs: 10,
            seed: 1,
            min_abs: 0.0,
            verbose: false,
            clusters: Clusters::default(),
        }
    }
}

/// A trained tagger. Immutable; load with [`Tagger::load`] or [`Tagger::from_bytes`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tagger {
    classes: Vec<(String, String)>,
    /// Exact-form hash -> class, for frequent unambiguous words.
    tagdict: FxHashMap<u64, u16>,
    /// Lower-cased form hash -> hash of its ambiguity class (the tags it
    /// takes at least 5% of the time), for words seen twice or more.
    ambig: FxHashMap<u64, u64>,
    clusters: Clusters,
    model: Model,
}

/// Per-token hashes, computed once per sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokFeats {
    pub(crate) form: u64,
    pub(crate) lower: u64,
    suf: [u64; 4],
    pre: [u64; 3],
    shape: u64,
    amb: u64,
    cl: [u64; 3],
    /// Raw cluster ids (for the parser).
    pub(crate) ids: ClusterIds,
}

const PAD_BEFORE: TokFeats = TokFeats {
    form: 1,
    lower: 1,
    suf: [1; 4],
    pre: [1; 3],
    shape: 1,
    amb: 1,
    cl: [1; 3],
    ids: NO_CLUSTER,
};
const PAD_AFTER: TokFeats = TokFeats {
    form: 2,
    lower: 2,
    suf: [2; 4],
    pre: [2; 3],
    shape: 2,
    amb: 2,
    cl: [2; 3],
    ids: NO_CLUSTER,
};
const AMB_UNKNOWN: u64 = 3;
const START_TAG: u64 = 0xffff;
const START_TAG2: u64 = 0xfffe;

pub(crate) fn tok_feats(form: &str) -> TokFeats {
    let lower_s: std::borrow::Cow<str> = if form.chars().any(|c| c.is_uppercase()) {
        form.to_lowercase().into()
    } else {
        form.into()
    };
    let l = lower_s.as_ref();
    let mut suf = [0u64; 4];
    let mut pre = [0u64; 3];
    // Suffixes of 1..=4 and prefixes of 1..=3 characters (the whole word when shorter).
    let mut ends = l.char_indices().rev().map(|(i, _)| i);
    for (k, h) in suf.iter_mut().enumerate() {
        let start = ends.next().unwrap_or(0);
        *h = hash_str(&l[start..]) ^ ((k as u64 + 1) << 56);
    }
    let mut starts = l.char_indices().map(|(i, _)| i).skip(1);
    for (k, h) in pre.iter_mut().enumerate() {
        let end = starts.next().unwrap_or(l.len());
        *h = hash_str(&l[..end]) ^ ((k as u64 + 1) << 58);
    }
    TokFeats {
        form: hash_str(form),
        lower: hash_lower(form),
        suf,
        pre,
        shape: shape_hash(form),
        amb: AMB_UNKNOWN,
        cl: [0; 3],
        ids: NO_CLUSTER,
    }
}

/// Hash of the word shape: `Xxxx`, `dd,ddd`, runs of one class cut at 3.
fn shape_hash(form: &str) -> u64 {
    let mut h: u64 = 0x5a;
    let mut last = '\0';
    let mut run = 0;
    for (i, c) in form.chars().enumerate() {
        if i >= 24 {
            break;
        }
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run >= 3 {
                continue;
            }
        } else {
            run = 0;
            last = s;
        }
        h = perceptron::mix(h, s as u64);
    }
    h
}

fn features(toks: &[TokFeats], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    let get = |j: isize| -> &TokFeats {
        if j < 0 {
            &PAD_BEFORE
        } else {
            toks.get(j as usize).unwrap_or(&PAD_AFTER)
        }
    };
    let i = i as isize;
    let w = get(i);
    let wm1 = get(i - 1);
    let wm2 = get(i - 2);
    let wp1 = get(i + 1);
    let wp2 = get(i + 2);
    out.clear();
    out.extend_from_slice(&[
        feat1(0, 0),
        feat1(1, w.lower),
        feat1(2, w.suf[2]),
        feat1(3, w.pre[0]),
        feat1(4, p1),
        feat1(5, p2),
        feat2(6, p1, p2),
        feat2(7, p1, w.lower),
        feat1(8, wm1.lower),
        feat1(9, wm1.suf[2]),
        feat1(10, wm2.lower),
        feat1(11, wp1.lower),
        feat1(12, wp1.suf[2]),
        feat1(13, wp2.lower),
        feat1(14, w.shape),
        feat1(15, w.suf[1]),
        feat1(16, w.suf[3]),
        feat1(17, w.suf[0]),
        feat1(18, w.pre[1]),
        feat1(19, w.pre[2]),
        feat1(20, w.form),
        feat2(21, (i == 0) as u64, w.shape),
        feat2(22, w.lower, wp1.lower),
        feat2(23, wm1.lower, w.lower),
        feat2(24, p1, w.suf[2]),
        feat1(25, wp1.shape),
        feat1(26, wm1.shape),
        feat3(27, p1, w.lower, wp1.lower),
        feat2(28, wp1.suf[1], wp2.suf[1]),
        feat2(29, w.shape, wp1.shape),
        feat1(30, wp1.suf[0]),
        feat1(31, w.amb),
        feat1(32, wp1.amb),
        feat1(33, wp2.amb),
        feat2(34, w.amb, wp1.amb),
        feat2(35, p1, w.amb),
        feat3(36, p1, w.amb, wp1.amb),
        feat2(37, w.amb, w.suf[2]),
        feat2(38, wm1.lower, wp1.amb),
        feat1(39, w.cl[0]),
        feat1(40, w.cl[1]),
        feat1(41, w.cl[2]),
        feat1(42, wp1.cl[1]),
        feat1(43, wm1.cl[1]),
        feat2(44, p1, w.cl[1]),
        feat1(45, wp1.cl[2]),
        feat2(46, w.cl[0], wp1.cl[0]),
        feat2(47, w.cl[2], w.shape),
        feat1(48, wp2.cl[1]),
    ]);
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub(crate) fn rng(seed: u64) -> impl FnMut() -> f64 {
    let mut r = Rng(seed);
    move || r.unit()
}

pub(crate) fn shuffle<T>(seed: u64, v: &mut [T]) {
    Rng(seed).shuffle(v)
}

fn with_lex(ambig: &FxHashMap<u64, u64>, clusters: &Clusters, form: &str) -> TokFeats {
    let mut t = tok_feats(form);
    t.amb = ambig.get(&t.lower).copied().unwrap_or(AMB_UNKNOWN);
    let c = clusters.lookup(form);
    t.cl = [
        c[0] as u64 | 1 << 40,
        c[1] as u64 | 2 << 40,
        c[2] as u64 | 3 << 40,
    ];
    t.ids = c;
    t
}

/// Trains a tagger on `train`, keeping the epoch that tags `dev` best (the last
/// epoch when `dev` is empty).
pub fn train(train: &[Sentence], dev: &[Sentence], cfg: &TaggerConfig) -> Tagger {
    // Tag set and tag dictionary.
    let mut class_ids: FxHashMap<(String, String), u16> = FxHashMap::default();
    let mut classes = Vec::new();
    let mut counts: FxHashMap<u64, FxHashMap<u16, u32>> = FxHashMap::default();
    for s in train {
        for w in &s.words {
            let key = (w.upos.clone(), w.xpos.clone());
            let id = *class_ids.entry(key.clone()).or_insert_with(|| {
                classes.push(key);
                (classes.len() - 1) as u16
            });
            *counts
                .entry(hash_str(&w.form))
                .or_default()
                .entry(id)
                .or_default() += 1;
        }
    }
    let mut tagdict = FxHashMap::default();
    for (form, c) in &counts {
        let total: u32 = c.values().sum();
        if let Some((&tag, &n)) = c.iter().max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t))) {
            if total >= 20 && n as f64 / total as f64 >= 0.995 {
                tagdict.insert(*form, tag);
            }
        }
    }
    let mut lower_counts: FxHashMap<u64, FxHashMap<u16, u32>> = FxHashMap::default();
    for s in train {
        for w in &s.words {
            let id = class_ids[&(w.upos.clone(), w.xpos.clone())];
            *lower_counts
                .entry(hash_lower(&w.form))
                .or_default()
                .entry(id)
                .or_default() += 1;
        }
    }
    let mut ambig = FxHashMap::default();
    for (form, c) in &lower_counts {
        let total: u32 = c.values().sum();
        if total >= 2 {
            let mut tags: Vec<u16> = c
                .iter()
                .filter(|(_, &n)| n * 20 >= total)
                .map(|(&t, _)| t)
                .collect();
            tags.sort_unstable();
            let h = tags
                .iter()
                .fold(0x77u64, |h, &t| perceptron::mix(h, t as u64));
            ambig.insert(*form, h);
        }
    }
    let data: Vec<(Vec<TokFeats>, Vec<u16>)> = train
        .iter()
        .map(|s| {
            let toks = s
                .words
                .iter()
                .map(|w| with_lex(&ambig, &cfg.clusters, &w.form))
                .collect();
            let gold = s
                .words
                .iter()
                .map(|w| class_ids[&(w.upos.clone(), w.xpos.clone())])
                .collect();
            (toks, gold)
        })
        .collect();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut t = Trainer::new(classes.len());
    let mut feats = Vec::with_capacity(64);
    let mut scores = vec![0f32; classes.len()];
    let mut best: Option<(f64, Tagger)> = None;
    for epoch in 0..cfg.epochs {
        shuffle(cfg.seed.wrapping_add(epoch as u64), &mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &si in &order {
            let (toks, gold) = &data[si];
            let (mut p1, mut p2) = (START_TAG, START_TAG2);
            for i in 0..toks.len() {
                let guess = if let Some(&tag) = tagdict.get(&toks[i].form) {
                    tag as usize
                } else {
                    features(toks, i, p1, p2, &mut feats);
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    t.score(&feats, &mut scores);
                    let guess = argmax(&scores);
                    t.update(&feats, gold[i] as usize, guess);
                    t.tick();
                    guess
                };
                right += (guess == gold[i] as usize) as usize;
                total += 1;
                p2 = p1;
                p1 = guess as u64;
            }
        }
        let tagger = Tagger {
            classes: classes.clone(),
            tagdict: tagdict.clone(),
            ambig: ambig.clone(),
            clusters: cfg.clusters.clone(),
            model: t.average(cfg.min_abs),
        };
        let dev_acc = if dev.is_empty() {
            epoch as f64
        } else {
            tagger.accuracy(dev).1
        };
        if cfg.verbose {
            eprintln!(
                "tagger epoch {epoch}: train {:.4} dev upos+xpos {dev_acc:.4} features {}",
                right as f64 / total.max(1) as f64,
                t.n_features()
            );
        }
        if best.as_ref().map(|(b, _)| dev_acc > *b).unwrap_or(true) {
            best = Some((dev_acc, tagger));
        }
    }
    match best {
        Some((_, t)) => t,
        None => Tagger {
            classes,
            tagdict,
            ambig,
            clusters: cfg.clusters.clone(),
            model: t.average(cfg.min_abs),
        },
    }
}

impl Tagger {
    /// Tags the words of one sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag<'_>> {
        let toks: Vec<TokFeats> = words
            .iter()
            .map(|w| with_lex(&self.ambig, &self.clusters, w))
            .collect();
        self.tag_ids(&toks)
            .into_iter()
            .map(|id| self.tag_of(id))
            .collect()
    }

    /// Tags one sentence and returns the per-token hashes too (for the parser).
    pub(crate) fn tag_toks(&self, words: &[&str]) -> (Vec<TokFeats>, Vec<u16>) {
        let toks: Vec<TokFeats> = words
            .iter()
            .map(|w| with_lex(&self.ambig, &self.clusters, w))
            .collect();
        let ids = self.tag_ids(&toks);
        (toks, ids)
    }

    /// The tag with class index `id` (as in [`Tag::id`]).
    pub fn tag_of(&self, id: u16) -> Tag<'_> {
        let (u, x) = self
            .classes
            .get(id as usize)
            .map_or(("X", "XX"), |(u, x)| (u.as_str(), x.as_str()));
        Tag {
            id,
            upos: u,
            xpos: x,
        }
    }

    pub(crate) fn tag_ids(&self, toks: &[TokFeats]) -> Vec<u16> {
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0f32; self.classes.len()];
        let (mut p1, mut p2) = (START_TAG, START_TAG2);
        let mut out = Vec::with_capacity(toks.len());
        for i in 0..toks.len() {
            let guess = if let Some(&tag) = self.tagdict.get(&toks[i].form) {
                tag
            } else {
                features(toks, i, p1, p2, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                self.model.score(&feats, &mut scores);
                argmax(&scores) as u16
            };
            out.push(guess);
            p2 = p1;
            p1 = guess as u64;
        }
        out
    }

    /// (UPOS accuracy, UPOS+XPOS accuracy, XPOS accuracy) on gold-tokenised sentences.
    fn accuracy(&self, gold: &[Sentence]) -> (f64, f64, f64) {
        let (mut u, mut ux, mut x, mut n) = (0usize, 0usize, 0usize, 0usize);
        for s in gold {
            let forms = s.forms();
            for (t, w) in self.tag(&forms).iter().zip(&s.words) {
                u += (t.upos == w.upos) as usize;
                x += (t.xpos == w.xpos) as usize;
                ux += (t.upos == w.upos && t.xpos == w.xpos) as usize;
                n += 1;
            }
        }
        let n = n.max(1) as f64;
        (u as f64 / n, ux as f64 / n, x as f64 / n)
    }

    /// Replaces the UPOS and XPOS of every word of `sentences` with predicted tags.
    pub fn retag(&self, sentences: &mut [Sentence]) {
        for s in sentences {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let refs: Vec<&str> = forms.iter().map(|f| f.as_str()).collect();
            let tags = self.tag(&refs);
            for (w, t) in s.words.iter_mut().zip(tags) {
                w.upos = t.upos.to_string();
                w.xpos = t.xpos.to_string();
            }
        }
    }

    /// The tag set: (UPOS, XPOS) per class.
    pub fn classes(&self) -> &[(String, String)] {
        &self.classes
    }

    /// The number of weights in the model.
    pub fn n_weights(&self) -> usize {
        self.model.n_weights()
    }

    /// Serialised, zstd-compressed bytes of the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        perceptron::to_zst_bytes(self)
    }

    /// Reads a model written by [`Tagger::to_bytes`] or [`Tagger::save`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut t: Tagger = perceptron::from_zst_bytes(bytes)?;
        rebuild_clusters(&mut t.clusters);
        Ok(t)
    }

    /// Writes the model to `path` (zstd-compressed bincode).
    pub fn save(&self, path: &std::path::Path) -> Result<(), ModelError> {
        perceptron::save_zst(self, path)
    }

    /// Reads a model written by [`Tagger::save`].
    pub fn load(path: &std::path::Path) -> Result<Tagger, ModelError> {
        let mut t: Tagger = perceptron::load_zst(path)?;
        rebuild_clusters(&mut t.clusters);
        Ok(t)
    }

    /// A copy without the weights with `|w| <= min_abs` (see [`Model::pruned`]).
    pub fn pruned(&self, min_abs: f32) -> Tagger {
        Tagger {
            model: self.model.pruned(min_abs),
            ..self.clone()
        }
    }

    /// The word clusters the tagger was trained with.
    pub fn clusters(&self) -> &Clusters {
        &self.clusters
    }
}

/// Word clusters: for each string, its row in a table of word vectors and
/// three k-means clusterings of those rows (k = 64, 512, 2048), read from the
/// `word<TAB>c64<TAB>c512<TAB>c2048<TAB>row` lines of `models/ner-clusters.tsv.zst`
/// (see `models/MODELS.md`). They let the tagger and parser generalise to
/// words unseen in the treebank.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Clusters {
    keys: Vec<u64>,
    rows: Vec<u16>,
    /// Per row: (c64, c512, c2048).
    row_clusters: Vec<[u16; 3]>,
    #[serde(skip)]
    index: FxHashMap<u64, u16>,
    /// Identifies the content, to tell whether two models hold the same clusters.
    #[serde(skip)]
    fingerprint: u64,
}

/// Cluster ids of one word: (c64, c512, c2048, row), or all `u16::MAX` when unknown.
pub(crate) type ClusterIds = [u16; 4];
const NO_CLUSTER: ClusterIds = [u16::MAX; 4];

impl Clusters {
    /// Reads the TSV lines; bad lines are skipped.
    pub fn from_tsv(text: &str) -> Clusters {
        let mut c = Clusters::default();
        let mut row_ids: FxHashMap<u32, u16> = FxHashMap::default();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                continue;
            }
            let (Ok(a), Ok(b), Ok(d), Ok(r)) = (
                f[1].parse(),
                f[2].parse(),
                f[3].parse(),
                f[4].parse::<u32>(),
            ) else {
                continue;
            };
            let next = c.row_clusters.len();
            if next >= u16::MAX as usize && !row_ids.contains_key(&r) {
                continue;
            }
            let row = *row_ids.entry(r).or_insert_with(|| {
                c.row_clusters.push([a, b, d]);
                next as u16
            });
            c.keys.push(hash_str(f[0]));
            c.rows.push(row);
        }
        c.build();
        c
    }

    /// Reads a zstd-compressed TSV file.
    pub fn from_tsv_zst(path: &std::path::Path) -> Result<Clusters, ModelError> {
        let bytes =
            std::fs::read(path).map_err(|e| ModelError(format!("{}: {e}", path.display())))?;
        let raw = zstd::decode_all(&bytes[..])
            .map_err(|e| ModelError(format!("{}: {e}", path.display())))?;
        Ok(Clusters::from_tsv(&String::from_utf8_lossy(&raw)))
    }

    fn build(&mut self) {
        self.index = self
            .keys
            .iter()
            .copied()
            .zip(self.rows.iter().copied())
            .collect();
        let mut h = perceptron::mix(self.keys.len() as u64, self.row_clusters.len() as u64);
        for (i, k) in self.keys.iter().enumerate().step_by(997) {
            h = perceptron::mix(h, k ^ self.rows[i] as u64);
        }
        self.fingerprint = h;
    }

    /// Whether `self` and `other` hold (almost surely) the same clusters.
    pub(crate) fn same_as(&self, other: &Clusters) -> bool {
        self.fingerprint == other.fingerprint && self.keys.len() == other.keys.len()
    }

    /// The number of strings with a cluster.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no clusters.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn ids_of_row(&self, row: u16) -> ClusterIds {
        match self.row_clusters.get(row as usize) {
            Some(&[a, b, c]) => [a, b, c, row],
            None => NO_CLUSTER,
        }
    }

    /// Cluster ids of `form`: exact string first, then lower case.
    pub(crate) fn lookup(&self, form: &str) -> ClusterIds {
        if self.index.is_empty() {
            return NO_CLUSTER;
        }
        if let Some(&r) = self.index.get(&hash_str(form)) {
            return self.ids_of_row(r);
        }
        if form.chars().any(|c| c.is_uppercase()) {
            if let Some(&r) = self.index.get(&hash_str(&form.to_lowercase())) {
                return self.ids_of_row(r);
            }
        }
        NO_CLUSTER
    }
}

/// Rebuilds the lookup index after deserialisation.
pub(crate) fn rebuild_clusters(c: &mut Clusters) {
    if c.index.is_empty() && !c.keys.is_empty() {
        c.build();
    }
}

/// Jackknifed tags: splits `train` into `folds` parts, trains a tagger on all
/// but one part and retags that part with it, so that a parser trained on the
/// result sees tags as noisy as at test time.
pub fn jackknife(train: &[Sentence], folds: usize, cfg: &TaggerConfig) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = train.to_vec();
    let folds = folds.max(2);
    for f in 0..folds {
        let rest: Vec<Sentence> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, s)| s.clone())
            .collect();
        let tagger = self::train(&rest, &[], cfg);
        for (i, s) in out.iter_mut().enumerate() {
            if i % folds == f {
                tagger.retag(std::slice::from_mut(s));
            }
        }
        if cfg.verbose {
            eprintln!("jackknife fold {f} of {folds} done");
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::conllu;

    /// A few tiny sentences, enough to train toy models in tests.
    pub(crate) const TOY: &str = "\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tdog\tdog\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\truns\trun\tVERB\tVBZ\t_\t0\troot\t_\t_
4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_
2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_
3\tsleeps\tsleep\tVERB\tVBZ\t_\t0\troot\t_\t_
4\tquietly\tquietly\tADV\tRB\t_\t3\tadvmod\t_\t_
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

1\tMary\tMary\tPROPN\tNNP\t_\t2\tnsubj\t_\t_
2\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
4\tdogs\tdog\tNOUN\tNNS\t_\t2\tobj\t_\t_
5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

";

    #[test]
    fn toy_model_round_trips() {
        let sents = conllu::parse(TOY).expect("toy parses");
        let cfg = TaggerConfig {
            epochs: 5,
            ..Default::default()
        };
        let t = train(&sents, &sents, &cfg);
        let words = ["The", "cat", "saw", "dogs", "."];
        let a = t.tag(&words);
        let t2 = Tagger::from_bytes(&t.to_bytes().expect("bytes")).expect("loads");
        assert_eq!(a, t2.tag(&words));
        assert_eq!(a[0].upos, "DET");
        assert!(t.tag(&[]).is_empty());
        assert_eq!(t.accuracy(&sents).0, 1.0);
    }
}
