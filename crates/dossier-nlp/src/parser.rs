//! Dependency parser: greedy arc-eager transitions (Nivre 2003) scored by an
//! averaged perceptron ([`crate::perceptron`]) with most of the rich non-local
//! features of Zhang & Nivre (2011) (words and tags of the stack top, the
//! buffer front and their heads and children, distance, valency, label sets,
//! third-order features) plus word clusters, the second stack word and the
//! punctuation and verbs between the stack top and the buffer front: 94
//! templates (72 in models of feature set 0, read from older files). The four
//! transitions (shift, reduce, left, right) are scored apart from the arc
//! labels, which a second perceptron picks (full UD relations, `nmod:poss`)
//! when an arc is made: rows of four weights sit inline in the lookup table,
//! one cache miss per feature. One root word per sentence. Greedy parsers are
//! trained with a dynamic oracle and error exploration (Goldberg & Nivre 2012)
//! on projective trees (non-projective training trees are projectivised by
//! lifting, Nivre & Nilsson 2005); beam parsers ([`ParserConfig::beam`] > 1) globally,
//! with max-violation updates (Huang et al. 2012) against the static oracle,
//! and decode with the beam width (and optional score margin) stored in the
//! model. Every parse takes exactly `2n` transitions (words left without a
//! head are popped once the buffer is empty), so beam items always compare
//! sequences of equal length. Parsers trained with several seeds can be
//! averaged into one ([`Parser::mean`]).
//!
//! The parser reads words and their Penn Treebank (XPOS) tags; train it on
//! predicted tags ([`crate::tagger::jackknife`]) so that it is used as trained.
//! [`evaluate`] scores a tagger, lemmatizer and parser on a treebank the way the
//! CoNLL 2018 scorer does with gold tokenisation; [`SyntaxModels`] bundles the
//! three for use.

use crate::conllu::{universal_deprel, Sentence};
use crate::lemma::Lemmatizer;
use crate::neural::NeuralParser;
use crate::perceptron::{
    self, feat1, feat2, feat3, hash_lower, hash_str, Model, ModelError, Trainer,
};
use crate::tagger::{rebuild_clusters, Clusters, Tagger};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

const NONE: u32 = u32::MAX;
const SHIFT: usize = 0;
const REDUCE: usize = 1;
const LEFT: usize = 2;
const RIGHT: usize = 3;
const N_ACTIONS: usize = 4;
const W_ROOT: u64 = 0x1001;
const W_NONE: u64 = 0x1002;
const L_NONE: u64 = 0x2002;

/// Training settings.
#[derive(Debug, Clone)]
pub struct ParserConfig {
    /// Passes over the training data (the epoch with the best dev LAS is kept).
    pub epochs: usize,
    /// Seed of the shuffling and of the exploration.
    pub seed: u64,
    /// From this epoch on, follow the model's own (possibly wrong) transition
    /// with probability `explore_p` (dynamic-oracle training).
    pub explore_from: usize,
    /// Probability of following the model's transition when exploring.
    pub explore_p: f64,
    /// Averaged weights with `|w| <=` this are dropped.
    pub min_abs: f32,
    /// Print one line per epoch to stderr.
    pub verbose: bool,
    /// Word clusters to use as features (stored in the model); may be empty.
    pub clusters: Clusters,
    /// Beam width. 1: greedy parsing, trained with the dynamic oracle; more:
    /// beam search, trained globally with max-violation updates (Huang et al.
    /// 2012) against the static oracle. The model decodes with the same width.
    pub beam: usize,
    /// Feature set: 0, the 72 templates of the first models; 1, the rest of
    /// Zhang & Nivre (2011) plus the second stack word, coarse clusters and
    /// punctuation and verbs between the stack top and the buffer front.
    pub features: u8,
    /// Non-projective training trees are made projective by lifting their
    /// crossing arcs (Nivre & Nilsson 2005, no label encoding) instead of
    /// being skipped.
    pub projectivize: bool,
    /// Beam margin stored in the model (see [`Parser::with_margin`]); the
    /// epoch is still chosen with the full beam.
    pub margin: f32,
}

impl Default for ParserConfig {
    fn default() -> Self {
        ParserConfig {
            epochs: 15,
            seed: 1,
            explore_from: 1,
            explore_p: 0.9,
            min_abs: 0.0,
            verbose: false,
            clusters: Clusters::default(),
            beam: 1,
            features: 1,
            projectivize: true,
            margin: 0.0,
        }
    }
}

/// A trained parser. Immutable; load with [`Parser::load`] or [`Parser::from_bytes`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parser {
    labels: Vec<String>,
    /// Scores SHIFT, REDUCE, LEFT, RIGHT.
    model: Model,
    /// Scores the label of each new arc.
    labeler: Model,
    clusters: Clusters,
    /// Beam width at decoding (1: greedy).
    beam: u32,
    /// At decoding, beam items scoring more than this below the best are
    /// dropped (0: none are), so that the beam narrows where the model is sure.
    margin: f32,
    /// Feature set ([`ParserConfig::features`]).
    features: u8,
}

/// The file format before the feature set was stored (feature set 0).
#[derive(Deserialize)]
struct ParserV2 {
    labels: Vec<String>,
    model: Model,
    labeler: Model,
    clusters: Clusters,
    beam: u32,
    margin: f32,
}

/// The file format before the beam width was stored (read as greedy).
#[derive(Deserialize)]
struct ParserV1 {
    labels: Vec<String>,
    model: Model,
    labeler: Model,
    clusters: Clusters,
}

/// One parser configuration.
#[derive(Clone)]
struct State {
    n: usize,
    stack: Vec<u32>,
    b: usize,
    heads: Vec<u32>,
    labels: Vec<u16>,
    /// Leftmost and second leftmost child.
    lc: Vec<[u32; 2]>,
    /// Rightmost and second rightmost child.
    rc: Vec<[u32; 2]>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
}

impl State {
    fn new(n: usize) -> State {
        State {
            n,
            stack: vec![0],
            b: 1,
            heads: vec![NONE; n + 1],
            labels: vec![u16::MAX; n + 1],
            lc: vec![[NONE; 2]; n + 1],
            rc: vec![[NONE; 2]; n + 1],
            nl: vec![0; n + 1],
            nr: vec![0; n + 1],
            lset: vec![0; n + 1],
            rset: vec![0; n + 1],
        }
    }

    /// A placeholder that owns no memory.
    fn empty() -> State {
        State {
            n: 0,
            stack: Vec::new(),
            b: 0,
            heads: Vec::new(),
            labels: Vec::new(),
            lc: Vec::new(),
            rc: Vec::new(),
            nl: Vec::new(),
            nr: Vec::new(),
            lset: Vec::new(),
            rset: Vec::new(),
        }
    }

    /// Makes `self` a copy of `o`, reusing `self`'s memory.
    fn copy_from(&mut self, o: &State) {
        self.n = o.n;
        self.b = o.b;
        self.stack.clone_from(&o.stack);
        self.heads.clone_from(&o.heads);
        self.labels.clone_from(&o.labels);
        self.lc.clone_from(&o.lc);
        self.rc.clone_from(&o.rc);
        self.nl.clone_from(&o.nl);
        self.nr.clone_from(&o.nr);
        self.lset.clone_from(&o.lset);
        self.rset.clone_from(&o.rset);
    }

    /// Every word has been pushed and popped once: each parse takes exactly
    /// `2n` transitions, so beam items are compared at equal lengths.
    fn done(&self) -> bool {
        self.b > self.n && self.stack.len() <= 1
    }

    /// The buffer is empty: only REDUCE is left (words still without a head
    /// get one when the parse is finished).
    fn draining(&self) -> bool {
        self.b > self.n
    }

    fn s0(&self) -> u32 {
        *self.stack.last().unwrap_or(&NONE)
    }

    fn add_arc(&mut self, h: u32, d: u32, l: u16) {
        let (hu, du) = (h as usize, d as usize);
        self.heads[du] = h;
        self.labels[du] = l;
        let bit = 1u64 << (l % 64);
        if d < h {
            self.lc[hu] = [d, self.lc[hu][0]];
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= bit;
        } else {
            self.rc[hu] = [d, self.rc[hu][0]];
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= bit;
        }
    }

    fn valid(&self, action: usize) -> bool {
        if self.done() {
            return false;
        }
        let s0 = self.s0();
        if self.draining() {
            return action == REDUCE && s0 != 0 && s0 != NONE;
        }
        match action {
            SHIFT => true,
            REDUCE => s0 != 0 && s0 != NONE && self.heads[s0 as usize] != NONE,
            LEFT => s0 != 0 && s0 != NONE && self.heads[s0 as usize] == NONE,
            // One root word per sentence, as in UD.
            _ => s0 != NONE && (s0 != 0 || self.nr[0] == 0),
        }
    }

    /// The (head, dependent) of the arc `action` would add.
    fn arc(&self, action: usize) -> (u32, u32) {
        if action == LEFT {
            (self.b as u32, self.s0())
        } else {
            (self.s0(), self.b as u32)
        }
    }

    fn apply(&mut self, action: usize, label: u16) {
        let s0 = self.s0();
        let b = self.b as u32;
        match action {
            SHIFT => {
                self.stack.push(b);
                self.b += 1;
            }
            REDUCE => {
                self.stack.pop();
            }
            LEFT => {
                self.add_arc(b, s0, label);
                self.stack.pop();
            }
            _ => {
                self.add_arc(s0, b, label);
                self.stack.push(b);
                self.b += 1;
            }
        }
    }

    /// The cost of `action` under the dynamic oracle: gold arcs it makes
    /// unreachable (labels are learnt apart).
    fn cost(&self, action: usize, gh: &[u32], in_stack: &[bool]) -> u32 {
        let s = self.s0() as usize;
        let b = self.b;
        let n = self.n;
        let deps_in_buffer = |h: usize| (b..=n).filter(|&k| gh[k] as usize == h).count() as u32;
        let headless_deps_in_stack = |h: usize| {
            self.stack
                .iter()
                .filter(|&&k| {
                    k != 0 && gh[k as usize] as usize == h && self.heads[k as usize] == NONE
                })
                .count() as u32
        };
        match action {
            SHIFT => headless_deps_in_stack(b) + in_stack[gh[b] as usize] as u32,
            REDUCE => deps_in_buffer(s),
            LEFT => deps_in_buffer(s) + (gh[s] as usize > b) as u32,
            _ => (gh[b] as usize != s) as u32 + headless_deps_in_stack(b),
        }
    }
}

/// Per-sentence inputs: word, tag and cluster hashes; index 0 is the root.
struct Ctx {
    w: Vec<u64>,
    p: Vec<u64>,
    /// Clusters c512, c2048 and c64.
    c: Vec<[u64; 3]>,
    /// Feature set.
    fset: u8,
    /// Prefix counts of punctuation and verb tags: `punct[i]` counts the
    /// punctuation among positions `0..i` (feature set 1 only).
    punct: Vec<u16>,
    verbs: Vec<u16>,
}

/// The hashes of the punctuation and verb tags (Penn Treebank).
fn tag_classes() -> &'static ([u64; 9], [u64; 7]) {
    static T: std::sync::OnceLock<([u64; 9], [u64; 7])> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let h = |t: &str| hash_str(t);
        (
            [
                h(","),
                h("."),
                h(":"),
                h("``"),
                h("''"),
                h("-LRB-"),
                h("-RRB-"),
                h("HYPH"),
                h("NFP"),
            ],
            [
                h("VB"),
                h("VBD"),
                h("VBG"),
                h("VBN"),
                h("VBP"),
                h("VBZ"),
                h("MD"),
            ],
        )
    })
}

fn cluster_hashes(ids: crate::tagger::ClusterIds) -> [u64; 3] {
    [
        ids[1] as u64 | 1 << 40,
        ids[2] as u64 | 2 << 40,
        ids[0] as u64 | 3 << 40,
    ]
}

impl Ctx {
    fn new<'a>(
        words: impl Iterator<Item = &'a str>,
        tags: impl Iterator<Item = u64>,
        clusters: &Clusters,
        fset: u8,
    ) -> Ctx {
        let mut w = vec![W_ROOT];
        let mut c = vec![[W_ROOT; 3]];
        for word in words {
            w.push(hash_lower(word));
            c.push(cluster_hashes(clusters.lookup(word)));
        }
        let mut p = vec![W_ROOT];
        p.extend(tags);
        Ctx::with(w, p, c, fset)
    }

    fn with(w: Vec<u64>, p: Vec<u64>, c: Vec<[u64; 3]>, fset: u8) -> Ctx {
        let (mut punct, mut verbs) = (Vec::new(), Vec::new());
        if fset >= 1 {
            let (pt, vt) = tag_classes();
            punct.reserve(p.len() + 1);
            verbs.reserve(p.len() + 1);
            let (mut a, mut b) = (0u16, 0u16);
            for &t in &p {
                punct.push(a);
                verbs.push(b);
                a += pt.contains(&t) as u16;
                b += vt.contains(&t) as u16;
            }
            punct.push(a);
            verbs.push(b);
        }
        Ctx {
            w,
            p,
            c,
            fset,
            punct,
            verbs,
        }
    }

    /// Punctuation and verbs strictly between words `i < j` (0, 1, 2 or more each).
    fn between(&self, i: usize, j: usize) -> u64 {
        let k = |v: &[u16]| (v[j] - v[i + 1]).min(2) as u64;
        k(&self.punct) | k(&self.verbs) << 4
    }
}

fn dist_bucket(d: usize) -> u64 {
    match d {
        0..=4 => d as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

fn features(st: &State, cx: &Ctx, out: &mut Vec<u64>) {
    let w = |i: u32| if i == NONE { W_NONE } else { cx.w[i as usize] };
    let p = |i: u32| if i == NONE { W_NONE } else { cx.p[i as usize] };
    let c = |i: u32, k: usize| {
        if i == NONE {
            W_NONE
        } else {
            cx.c[i as usize][k]
        }
    };
    let lab = |i: u32| {
        if i == NONE || st.heads[i as usize] == NONE {
            L_NONE
        } else {
            st.labels[i as usize] as u64
        }
    };
    let s0 = st.s0();
    let b = st.b;
    let idx = |k: usize| if k <= st.n { k as u32 } else { NONE };
    let n0 = idx(b);
    let n1 = idx(b + 1);
    let n2 = idx(b + 2);
    let s1 = if st.stack.len() >= 2 {
        st.stack[st.stack.len() - 2]
    } else {
        NONE
    };
    let at = |i: u32, f: &dyn Fn(usize) -> u32| if i == NONE { NONE } else { f(i as usize) };
    let s0h = at(s0, &|i| st.heads[i]);
    let s0h2 = at(s0h, &|i| st.heads[i]);
    let s0l = at(s0, &|i| st.lc[i][0]);
    let s0l2 = at(s0, &|i| st.lc[i][1]);
    let s0r = at(s0, &|i| st.rc[i][0]);
    let s0r2 = at(s0, &|i| st.rc[i][1]);
    let n0l = at(n0, &|i| st.lc[i][0]);
    let n0l2 = at(n0, &|i| st.lc[i][1]);
    let (s0w, s0p, n0w, n0p, n1w, n1p, n2w, n2p) =
        (w(s0), p(s0), w(n0), p(n0), w(n1), p(n1), w(n2), p(n2));
    let d = if s0 != NONE && n0 != NONE {
        dist_bucket(n0 as usize - s0 as usize)
    } else {
        99
    };
    let (s0vl, s0vr, n0vl) = if s0 != NONE {
        (
            st.nl[s0 as usize] as u64,
            st.nr[s0 as usize] as u64,
            if n0 != NONE {
                st.nl[n0 as usize] as u64
            } else {
                99
            },
        )
    } else {
        (99, 99, 99)
    };
    let (s0sl, s0sr) = if s0 != NONE {
        (st.lset[s0 as usize], st.rset[s0 as usize])
    } else {
        (1 << 63, 1 << 63)
    };
    let n0sl = if n0 != NONE {
        st.lset[n0 as usize]
    } else {
        1 << 63
    };
    out.clear();
    out.extend_from_slice(&[
        // single words
        feat2(0, s0w, s0p),
        feat1(1, s0w),
        feat1(2, s0p),
        feat2(3, n0w, n0p),
        feat1(4, n0w),
        feat1(5, n0p),
        feat2(6, n1w, n1p),
        feat1(7, n1w),
        feat1(8, n1p),
        feat2(9, n2w, n2p),
        feat1(10, n2w),
        feat1(11, n2p),
        // word pairs
        feat3(12, s0w, s0p, perceptron::mix(n0w, n0p)),
        feat3(13, s0w, s0p, n0w),
        feat3(14, s0w, n0w, n0p),
        feat3(15, s0w, s0p, n0p),
        feat3(16, s0p, n0w, n0p),
        feat2(17, s0w, n0w),
        feat2(18, s0p, n0p),
        feat2(19, n0p, n1p),
        // three words
        feat3(20, n0p, n1p, n2p),
        feat3(21, s0p, n0p, n1p),
        feat3(22, p(s0h), s0p, n0p),
        feat3(23, s0p, p(s0l), n0p),
        feat3(24, s0p, p(s0r), n0p),
        feat3(25, s0p, n0p, p(n0l)),
        // distance
        feat2(27, s0p, d),
        feat2(29, n0p, d),
        feat3(30, s0w, n0w, d),
        feat3(31, s0p, n0p, d),
        // valency
        feat2(33, s0p, s0vr),
        feat2(35, s0p, s0vl),
        feat2(37, n0p, n0vl),
        // unigrams of heads and children
        feat1(38, w(s0h)),
        feat1(39, p(s0h)),
        feat1(40, lab(s0)),
        feat1(41, w(s0l)),
        feat1(42, p(s0l)),
        feat1(43, lab(s0l)),
        feat1(44, w(s0r)),
        feat1(45, p(s0r)),
        feat1(46, lab(s0r)),
        feat1(47, w(n0l)),
        feat1(48, p(n0l)),
        feat1(49, lab(n0l)),
        // third order
        feat1(51, p(s0h2)),
        feat1(52, lab(s0h)),
        feat1(54, p(s0l2)),
        feat1(55, lab(s0l2)),
        feat1(57, p(s0r2)),
        feat1(58, lab(s0r2)),
        feat1(60, p(n0l2)),
        feat1(61, lab(n0l2)),
        feat3(62, s0p, p(s0l), p(s0l2)),
        feat3(63, s0p, p(s0r), p(s0r2)),
        feat3(64, s0p, p(s0h), p(s0h2)),
        feat3(65, n0p, p(n0l), p(n0l2)),
        // label sets
        feat2(67, s0p, s0sr),
        feat2(69, s0p, s0sl),
        feat2(71, n0p, n0sl),
        // the second stack item
        feat3(73, p(s1), s0p, n0p),
        feat3(75, s0w, n0p, n1p),
        feat3(76, n0w, n0p, n1p),
        // clusters
        feat1(77, c(s0, 1)),
        feat1(78, c(n0, 1)),
        feat1(79, c(n1, 0)),
        feat2(80, c(s0, 0), n0p),
        feat2(81, s0p, c(n0, 0)),
        feat2(82, c(s0, 0), c(n0, 0)),
        feat2(83, c(s0h, 0), s0p),
        feat3(84, c(s0, 0), n0p, d),
        feat2(85, c(n0, 1), n1p),
    ]);
    if cx.fset == 0 {
        return;
    }
    let n3 = idx(b + 3);
    let betw = if s0 != NONE && n0 != NONE {
        cx.between(s0 as usize, n0 as usize)
    } else {
        99
    };
    out.extend_from_slice(&[
        // the rest of Zhang & Nivre (2011)
        feat2(26, s0w, d),
        feat2(28, n0w, d),
        feat2(32, s0w, s0vr),
        feat2(34, s0w, s0vl),
        feat2(36, n0w, n0vl),
        feat1(50, w(s0h2)),
        feat1(53, w(s0l2)),
        feat1(56, w(s0r2)),
        feat1(59, w(n0l2)),
        feat2(66, s0w, s0sr),
        feat2(68, s0w, s0sl),
        feat2(70, n0w, n0sl),
        // the second stack word, labels with the buffer front, farther words
        feat2(86, w(s1), p(s1)),
        feat2(87, p(s1), s0p),
        feat3(88, s0p, lab(s0), n0p),
        feat3(89, s0p, lab(s0r), n0p),
        feat2(90, n0p, lab(n0l)),
        feat3(91, n1p, n2p, p(n3)),
        // punctuation and verbs in between
        feat3(92, s0p, n0p, betw),
        feat2(93, betw, d),
        // coarse clusters
        feat3(94, c(s0, 2), c(n0, 2), d),
        feat3(95, s0p, c(n0, 2), c(n1, 2)),
    ]);
}

/// Features for the label of the arc `h -> d` about to be added.
fn label_features(st: &State, cx: &Ctx, h: u32, d: u32, out: &mut Vec<u64>) {
    let w = |i: u32| if i == NONE { W_NONE } else { cx.w[i as usize] };
    let p = |i: u32| if i == NONE { W_NONE } else { cx.p[i as usize] };
    let lab = |i: u32| {
        if i == NONE || st.heads[i as usize] == NONE {
            L_NONE
        } else {
            st.labels[i as usize] as u64
        }
    };
    let near = |i: u32, delta: i64| {
        let j = i as i64 + delta;
        if j < 1 || j > st.n as i64 {
            W_NONE
        } else {
            cx.p[j as usize]
        }
    };
    let (hu, du) = (h as usize, d as usize);
    let dir = (d < h) as u64;
    let (hc, dc) = (cx.c[hu], cx.c[du]);
    let dist = dist_bucket(if d < h { hu - du } else { du - hu }) | dir << 8;
    let (hw, hp, dw, dp) = (w(h), p(h), w(d), p(d));
    let dl = st.lc[du][0];
    let dr = st.rc[du][0];
    let hh = if h == 0 { NONE } else { st.heads[hu] };
    let hset = if d < h { st.lset[hu] } else { st.rset[hu] };
    out.clear();
    out.extend_from_slice(&[
        feat1(100, dist),
        feat2(101, hw, dist),
        feat2(102, hp, dist),
        feat2(103, dw, dist),
        feat2(104, dp, dist),
        feat3(105, hw, dp, dir),
        feat3(106, hp, dw, dir),
        feat3(107, hp, dp, dist),
        feat3(108, hw, dw, dir),
        feat3(109, dp, lab(dl), dir),
        feat3(110, dp, lab(dr), dir),
        feat3(111, dp, p(dl), dir),
        feat3(112, hp, lab(h), dir),
        feat3(113, hp, p(hh), dp),
        feat3(114, hp, hset, dir),
        feat3(115, dp, near(d, -1), dir),
        feat3(116, dp, near(d, 1), dir),
        feat3(117, hp, near(h, 1), dp),
        feat3(118, hp, near(h, -1), dp),
        feat3(119, dw, st.nl[du] as u64, st.nr[du] as u64),
        feat3(120, dp, st.nl[du] as u64 | (st.nr[du] as u64) << 8, dir),
        feat3(121, w(dl), dp, dir),
        feat3(122, hw, hp, dir),
        feat3(123, dw, dp, dir),
        feat3(124, hc[0], dc[0], dir),
        feat2(125, dc[1], dir),
        feat3(126, hp, dc[0], dir),
        feat3(127, hc[0], dp, dir),
    ]);
    if cx.fset == 0 {
        return;
    }
    out.extend_from_slice(&[
        feat3(128, dp, st.lset[du], st.rset[du]),
        feat3(129, hp, dp, st.lset[du]),
        feat3(130, dw, hp, dist),
        feat3(131, hc[2], dc[2], dist),
    ]);
}

/// Gives every word a head: words left without one attach to the root
/// word (the first of them becomes it when there is none).
fn finish_tree(mut st: State, root_label: u16, dep_label: u16) -> (Vec<u32>, Vec<u16>) {
    let n = st.n;
    let mut root = (1..=n).find(|&i| st.heads[i] == 0);
    for i in 1..=n {
        if st.heads[i] == NONE {
            match root {
                None => {
                    st.heads[i] = 0;
                    st.labels[i] = root_label;
                    root = Some(i);
                }
                Some(r) => {
                    st.heads[i] = r as u32;
                    st.labels[i] = dep_label;
                }
            }
        }
    }
    (st.heads, st.labels)
}

/// A training sentence: inputs plus gold arcs (index 0 unused).
struct Example {
    cx: Ctx,
    gh: Vec<u32>,
    gl: Vec<u16>,
}

/// Trains a parser on `train` (input tags: each word's `xpos`, gold arcs:
/// `head` and `deprel`), keeping the epoch with the best LAS on `dev` (the
/// last one when `dev` is empty). Non-projective training trees (and trees
/// with heads out of range) are skipped.
pub fn train(train: &[Sentence], dev: &[Sentence], cfg: &ParserConfig) -> Parser {
    let (labels, examples) = examples(train, cfg);
    if cfg.beam > 1 {
        train_beam(labels, &examples, dev, cfg)
    } else {
        train_greedy(labels, &examples, dev, cfg)
    }
}

/// The label inventory and the usable training sentences.
fn examples(train: &[Sentence], cfg: &ParserConfig) -> (Vec<String>, Vec<Example>) {
    let mut label_ids: FxHashMap<String, u16> = FxHashMap::default();
    let mut labels = Vec::new();
    let mut examples = Vec::new();
    for s in train {
        let n = s.words.len();
        let bad_head = s
            .words
            .iter()
            .enumerate()
            .any(|(i, w)| w.head > n || w.head == i + 1);
        if n == 0 || bad_head {
            continue;
        }
        let mut gh = vec![0u32];
        let mut gl = vec![0u16];
        for w in &s.words {
            let next = labels.len() as u16;
            let l = *label_ids.entry(w.deprel.clone()).or_insert_with(|| {
                labels.push(w.deprel.clone());
                next
            });
            gh.push(w.head as u32);
            gl.push(l);
        }
        let projective = s.is_projective() || (cfg.projectivize && projectivize(&mut gh));
        if !projective {
            continue;
        }
        let cx = Ctx::new(
            s.words.iter().map(|w| w.form.as_str()),
            s.words.iter().map(|w| hash_str(&w.xpos)),
            &cfg.clusters,
            cfg.features,
        );
        examples.push(Example { cx, gh, gl });
    }
    (labels, examples)
}

/// Whether `h` dominates `k` in the tree `heads` (index 0 is the root).
fn dominates(heads: &[u32], h: u32, mut k: u32) -> bool {
    for _ in 0..heads.len() {
        if k == h {
            return true;
        }
        if k == 0 {
            return false;
        }
        k = heads[k as usize];
    }
    false
}

/// Makes the tree `heads` (index 0 unused, 0 is the root) projective by
/// lifting, one at a time, the shortest non-projective arc to the head's head
/// (Nivre & Nilsson 2005). False when the tree is malformed (a cycle).
fn projectivize(heads: &mut [u32]) -> bool {
    let n = heads.len() - 1;
    for d in 1..=n {
        if !dominates(heads, 0, d as u32) {
            return false;
        }
    }
    for _ in 0..=n * n {
        let mut worst: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = heads[d] as usize;
            let (a, b) = (h.min(d), h.max(d));
            let span = b - a;
            if worst.is_some_and(|(s, _)| s <= span) {
                continue;
            }
            if (a + 1..b).any(|k| !dominates(heads, h as u32, k as u32)) {
                worst = Some((span, d));
            }
        }
        match worst {
            None => return true,
            Some((_, d)) => heads[d] = heads[heads[d] as usize],
        }
    }
    false
}

/// The indices of the `root` and `dep` relations (0 when missing).
fn root_dep(labels: &[String]) -> (u16, u16) {
    let find = |name: &str| labels.iter().position(|l| l == name).unwrap_or(0) as u16;
    (find("root"), find("dep"))
}

fn train_greedy(
    labels: Vec<String>,
    examples: &[Example],
    dev: &[Sentence],
    cfg: &ParserConfig,
) -> Parser {
    let nl = labels.len();
    let mut t = Trainer::new(N_ACTIONS);
    let mut tl = Trainer::new(nl);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rand = crate::tagger::rng(cfg.seed ^ 0x5eed);
    let mut feats = Vec::with_capacity(96);
    let mut lfeats = Vec::with_capacity(32);
    let mut lscores = vec![0f32; nl];
    let mut costs = [0u32; N_ACTIONS];
    let mut best: Option<(f64, Parser)> = None;
    for epoch in 0..cfg.epochs {
        crate::tagger::shuffle(cfg.seed.wrapping_add(epoch as u64), &mut order);
        let (mut errors, mut steps, mut label_errors, mut arcs) = (0usize, 0usize, 0usize, 0usize);
        for &ei in &order {
            let ex = &examples[ei];
            let n = ex.gh.len() - 1;
            let mut st = State::new(n);
            let mut in_stack = vec![false; n + 1];
            in_stack[0] = true;
            while !st.draining() {
                features(&st, &ex.cx, &mut feats);
                let mut scores = [0f32; N_ACTIONS];
                t.score(&feats, &mut scores);
                let (mut guess, mut gold) = (usize::MAX, usize::MAX);
                let mut min_cost = u32::MAX;
                for a in 0..N_ACTIONS {
                    if !st.valid(a) {
                        continue;
                    }
                    costs[a] = st.cost(a, &ex.gh, &in_stack);
                    min_cost = min_cost.min(costs[a]);
                    if guess == usize::MAX || scores[a] > scores[guess] {
                        guess = a;
                    }
                }
                if guess == usize::MAX {
                    break;
                }
                for a in 0..N_ACTIONS {
                    if st.valid(a)
                        && costs[a] == min_cost
                        && (gold == usize::MAX || scores[a] > scores[gold])
                    {
                        gold = a;
                    }
                }
                let next = if costs[guess] > min_cost {
                    errors += 1;
                    t.update(&feats, gold, guess);
                    if epoch >= cfg.explore_from && rand() < cfg.explore_p {
                        guess
                    } else {
                        gold
                    }
                } else {
                    guess
                };
                t.tick();
                steps += 1;
                let mut label = 0u16;
                if next == LEFT || next == RIGHT {
                    let (h, d) = st.arc(next);
                    label_features(&st, &ex.cx, h, d, &mut lfeats);
                    lscores.iter_mut().for_each(|s| *s = 0.0);
                    tl.score(&lfeats, &mut lscores);
                    let guess_l = crate::perceptron::argmax(&lscores);
                    label = guess_l as u16;
                    if ex.gh[d as usize] == h {
                        let gold_l = ex.gl[d as usize] as usize;
                        arcs += 1;
                        if guess_l != gold_l {
                            label_errors += 1;
                            tl.update(&lfeats, gold_l, guess_l);
                            label = gold_l as u16;
                        }
                        tl.tick();
                    }
                }
                // Keep the stack membership up to date.
                match next {
                    SHIFT | RIGHT => in_stack[st.b] = true,
                    _ => in_stack[st.s0() as usize] = false,
                }
                st.apply(next, label);
            }
        }
        if cfg.verbose {
            eprintln!(
                "parser epoch {epoch}: train transition errors {:.4} label errors {:.4}",
                errors as f64 / steps.max(1) as f64,
                label_errors as f64 / arcs.max(1) as f64
            );
        }
        keep_best(&mut best, &labels, &t, &tl, dev, cfg, epoch);
    }
    match best {
        Some((_, p)) => p,
        None => Parser {
            labels,
            model: t.average(cfg.min_abs),
            labeler: tl.average(cfg.min_abs),
            clusters: cfg.clusters.clone(),
            beam: cfg.beam.max(1) as u32,
            margin: cfg.margin.max(0.0),
            features: cfg.features,
        },
    }
}

/// Averages the weights after `epoch`, scores them on `dev` and keeps them
/// in `best` when their LAS is the best so far (the last epoch without dev).
fn keep_best(
    best: &mut Option<(f64, Parser)>,
    labels: &[String],
    t: &Trainer,
    tl: &Trainer,
    dev: &[Sentence],
    cfg: &ParserConfig,
    epoch: usize,
) {
    let parser = Parser {
        labels: labels.to_vec(),
        model: t.average(cfg.min_abs),
        labeler: tl.average(cfg.min_abs),
        clusters: cfg.clusters.clone(),
        beam: cfg.beam.max(1) as u32,
        margin: 0.0,
        features: cfg.features,
    };
    // The epoch is chosen with the full beam; the margin only narrows decoding.
    let (uas, las) = if dev.is_empty() {
        (0.0, epoch as f64)
    } else {
        parser.attachment(dev)
    };
    let parser = parser.with_margin(cfg.margin);
    if cfg.verbose {
        eprintln!(
            "parser epoch {epoch}: dev uas {uas:.4} las {las:.4} features {} + {}",
            t.n_features(),
            tl.n_features()
        );
    }
    if best.as_ref().map(|(b, _)| las > *b).unwrap_or(true) {
        *best = Some((las, parser));
    }
}

/// The static oracle: the gold transitions (and labels) of a projective
/// tree, preferring LEFT, RIGHT, SHIFT, REDUCE among the zero-cost ones.
fn gold_sequence(ex: &Example) -> Vec<(u8, u16)> {
    let n = ex.gh.len() - 1;
    let mut st = State::new(n);
    let mut in_stack = vec![false; n + 1];
    in_stack[0] = true;
    let mut seq = Vec::with_capacity(2 * n);
    while !st.done() {
        let a = if st.draining() {
            REDUCE
        } else {
            [LEFT, RIGHT, SHIFT, REDUCE]
                .into_iter()
                .find(|&a| st.valid(a) && st.cost(a, &ex.gh, &in_stack) == 0)
                .or_else(|| [SHIFT, REDUCE].into_iter().find(|&a| st.valid(a)))
                .unwrap_or(SHIFT)
        };
        let label = if a == LEFT || a == RIGHT {
            ex.gl[st.arc(a).1 as usize]
        } else {
            0
        };
        match a {
            SHIFT | RIGHT => in_stack[st.b] = true,
            _ => in_stack[st.s0() as usize] = false,
        }
        st.apply(a, label);
        seq.push((a as u8, label));
    }
    seq
}

/// One step of a beam item's history: the features of the state it left
/// (`NO_FEATS` when the transition was forced) and the transition taken.
#[derive(Clone, Copy)]
struct Node {
    parent: u32,
    feats: u32,
    action: u8,
    label: u16,
}

const NO_FEATS: u32 = u32::MAX;

/// A beam item during training.
#[derive(Clone)]
struct Item {
    st: State,
    score: f32,
    node: u32,
    gold: bool,
}

/// The valid transitions of `st`, and how many there are.
fn valid_actions(st: &State) -> ([bool; N_ACTIONS], usize) {
    let mut v = [false; N_ACTIONS];
    let mut k = 0;
    for (a, slot) in v.iter_mut().enumerate() {
        *slot = st.valid(a);
        k += *slot as usize;
    }
    (v, k)
}

/// Sorts candidates (score, item, action) best first, ties by item then
/// action (deterministic), and keeps the best `k`.
fn top_k(cands: &mut Vec<(f32, u32, u8)>, k: usize) {
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    cands.truncate(k);
}

/// Beam-search training with max-violation updates: the transition model
/// scores whole transition sequences; the labeller is trained locally on the
/// states of the gold sequence. While training, arcs that are in the gold
/// tree get their gold label in every item (as in greedy training), others the
/// labeller's.
fn train_beam(
    labels: Vec<String>,
    examples: &[Example],
    dev: &[Sentence],
    cfg: &ParserConfig,
) -> Parser {
    let k = cfg.beam.max(1);
    let nl = labels.len();
    let mut t = Trainer::new(N_ACTIONS);
    let mut tl = Trainer::new(nl);
    let golds: Vec<Vec<(u8, u16)>> = examples.iter().map(gold_sequence).collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut lfeats = Vec::with_capacity(32);
    let mut lscores = vec![0f32; nl];
    let mut feats = Vec::with_capacity(96);
    let mut arena: Vec<u64> = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut cands: Vec<(f32, u32, u8)> = Vec::new();
    let mut item_feats: Vec<u32> = Vec::new();
    let mut beam: Vec<Item> = Vec::new();
    let mut next: Vec<Item> = Vec::new();
    let mut best: Option<(f64, Parser)> = None;
    for epoch in 0..cfg.epochs {
        crate::tagger::shuffle(cfg.seed.wrapping_add(epoch as u64), &mut order);
        let (mut updates, mut label_errors, mut arcs) = (0usize, 0usize, 0usize);
        for &ei in &order {
            let ex = &examples[ei];
            let gold = &golds[ei];
            let n = ex.gh.len() - 1;
            arena.clear();
            nodes.clear();
            // Node 0 is the empty history.
            nodes.push(Node {
                parent: u32::MAX,
                feats: NO_FEATS,
                action: 0,
                label: 0,
            });
            beam.clear();
            beam.push(Item {
                st: State::new(n),
                score: 0.0,
                node: 0,
                gold: true,
            });
            let mut gst = State::new(n);
            let (mut gscore, mut gnode) = (0f32, 0u32);
            // (violation, predicted node, gold node) of the worst step so far.
            let mut worst: Option<(f32, u32, u32)> = None;
            for &(ga, gl) in gold.iter() {
                let ga = ga as usize;
                // The gold prefix: its score, and the labeller's lesson.
                let (_, n_valid) = valid_actions(&gst);
                let mut gf = NO_FEATS;
                if n_valid > 1 {
                    features(&gst, &ex.cx, &mut feats);
                    let mut sc = [0f32; N_ACTIONS];
                    t.score(&feats, &mut sc);
                    gscore += sc[ga];
                    gf = arena.len() as u32;
                    arena.extend_from_slice(&feats);
                }
                if ga == LEFT || ga == RIGHT {
                    let (h, d) = gst.arc(ga);
                    label_features(&gst, &ex.cx, h, d, &mut lfeats);
                    lscores.iter_mut().for_each(|s| *s = 0.0);
                    tl.score(&lfeats, &mut lscores);
                    let guess = crate::perceptron::argmax(&lscores);
                    arcs += 1;
                    if guess != gl as usize {
                        label_errors += 1;
                        tl.update(&lfeats, gl as usize, guess);
                    }
                    tl.tick();
                }
                gst.apply(ga, gl);
                nodes.push(Node {
                    parent: gnode,
                    feats: gf,
                    action: ga as u8,
                    label: gl,
                });
                gnode = nodes.len() as u32 - 1;
                // Expand the beam.
                cands.clear();
                item_feats.clear();
                for (i, it) in beam.iter().enumerate() {
                    let (v, n_valid) = valid_actions(&it.st);
                    let mut sc = [0f32; N_ACTIONS];
                    let mut f_at = NO_FEATS;
                    if n_valid > 1 {
                        features(&it.st, &ex.cx, &mut feats);
                        t.score(&feats, &mut sc);
                        f_at = arena.len() as u32;
                        arena.extend_from_slice(&feats);
                    }
                    item_feats.push(f_at);
                    for a in 0..N_ACTIONS {
                        if v[a] {
                            cands.push((it.score + sc[a], i as u32, a as u8));
                        }
                    }
                }
                top_k(&mut cands, k);
                next.clear();
                for &(score, i, a) in cands.iter() {
                    let parent = &beam[i as usize];
                    let a = a as usize;
                    let mut label = 0u16;
                    if a == LEFT || a == RIGHT {
                        let (h, d) = parent.st.arc(a);
                        label = if ex.gh[d as usize] == h {
                            ex.gl[d as usize]
                        } else {
                            label_features(&parent.st, &ex.cx, h, d, &mut lfeats);
                            lscores.iter_mut().for_each(|s| *s = 0.0);
                            tl.score(&lfeats, &mut lscores);
                            crate::perceptron::argmax(&lscores) as u16
                        };
                    }
                    let mut st = parent.st.clone();
                    st.apply(a, label);
                    nodes.push(Node {
                        parent: parent.node,
                        feats: item_feats[i as usize],
                        action: a as u8,
                        label,
                    });
                    next.push(Item {
                        st,
                        score,
                        node: nodes.len() as u32 - 1,
                        gold: parent.gold && a == ga,
                    });
                }
                std::mem::swap(&mut beam, &mut next);
                if let Some(top) = beam.first() {
                    let v = top.score - gscore;
                    if !top.gold && worst.map_or(v >= 0.0, |(w, _, _)| v > w) {
                        worst = Some((v, top.node, gnode));
                    }
                }
            }
            if let Some((_, pnode, gnode)) = worst {
                updates += 1;
                let chain = |mut i: u32| {
                    let mut c = Vec::new();
                    while i != 0 && i != u32::MAX {
                        c.push(nodes[i as usize]);
                        i = nodes[i as usize].parent;
                    }
                    c.reverse();
                    c
                };
                let (pc, gc) = (chain(pnode), chain(gnode));
                let same = pc
                    .iter()
                    .zip(&gc)
                    .take_while(|(p, g)| p.action == g.action && p.label == g.label)
                    .count();
                for (c, delta) in [(&gc, 1f32), (&pc, -1f32)] {
                    for nd in &c[same..] {
                        if nd.feats == NO_FEATS {
                            continue;
                        }
                        let f0 = nd.feats as usize;
                        for &f in &arena[f0..f0 + feats.len()] {
                            t.add(f, nd.action as usize, delta);
                        }
                    }
                }
            }
            t.tick();
        }
        if cfg.verbose {
            eprintln!(
                "parser epoch {epoch}: beam {k} updates {:.4} label errors {:.4}",
                updates as f64 / examples.len().max(1) as f64,
                label_errors as f64 / arcs.max(1) as f64
            );
        }
        keep_best(&mut best, &labels, &t, &tl, dev, cfg, epoch);
    }
    match best {
        Some((_, p)) => p,
        None => Parser {
            labels,
            model: t.average(cfg.min_abs),
            labeler: tl.average(cfg.min_abs),
            clusters: cfg.clusters.clone(),
            beam: k as u32,
            margin: cfg.margin.max(0.0),
            features: cfg.features,
        },
    }
}

impl Parser {
    /// Parses one sentence given its words and their Penn Treebank tags
    /// (`xpos.len() == words.len()`; missing tags count as unknown). Returns,
    /// per word, its head (1-based, 0 = root) and relation.
    pub fn parse(&self, words: &[&str], xpos: &[&str]) -> Vec<(usize, &str)> {
        let cx = Ctx::new(
            words.iter().copied(),
            (0..words.len()).map(|i| xpos.get(i).map_or(W_NONE, |t| hash_str(t))),
            &self.clusters,
            self.features,
        );
        let (heads, labels) = self.parse_ctx(&cx);
        self.arcs(&heads, &labels)
    }

    /// [`Parser::parse`] from the tagger's per-token hashes (same clusters).
    fn parse_toks(&self, toks: &[crate::tagger::TokFeats], xpos: &[&str]) -> Vec<(usize, &str)> {
        let mut w = vec![W_ROOT];
        let mut c = vec![[W_ROOT; 3]];
        for t in toks {
            w.push(t.lower);
            c.push(cluster_hashes(t.ids));
        }
        let mut p = vec![W_ROOT];
        p.extend((0..toks.len()).map(|i| xpos.get(i).map_or(W_NONE, |t| hash_str(t))));
        let (heads, labels) = self.parse_ctx(&Ctx::with(w, p, c, self.features));
        self.arcs(&heads, &labels)
    }

    fn arcs(&self, heads: &[u32], labels: &[u16]) -> Vec<(usize, &str)> {
        heads
            .iter()
            .zip(labels)
            .skip(1)
            .map(|(&h, &l)| {
                (
                    h as usize,
                    self.labels.get(l as usize).map_or("dep", |s| s.as_str()),
                )
            })
            .collect()
    }

    fn parse_ctx(&self, cx: &Ctx) -> (Vec<u32>, Vec<u16>) {
        let st = if self.beam > 1 {
            self.parse_beam(cx, self.beam as usize)
        } else {
            self.parse_greedy(cx)
        };
        self.finish(st)
    }

    /// The label of the arc `action` would add.
    fn label_arc(
        &self,
        st: &State,
        cx: &Ctx,
        action: usize,
        lfeats: &mut Vec<u64>,
        lscores: &mut [f32],
    ) -> u16 {
        let (h, d) = st.arc(action);
        label_features(st, cx, h, d, lfeats);
        lscores.iter_mut().for_each(|s| *s = 0.0);
        self.labeler.score(lfeats, lscores);
        crate::perceptron::argmax(lscores) as u16
    }

    fn parse_greedy(&self, cx: &Ctx) -> State {
        let n = cx.w.len() - 1;
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(96);
        let mut lfeats = Vec::with_capacity(32);
        let mut lscores = vec![0f32; self.labels.len()];
        while !st.draining() {
            features(&st, cx, &mut feats);
            let mut scores = [0f32; N_ACTIONS];
            self.model.score(&feats, &mut scores);
            let mut best = usize::MAX;
            for a in 0..N_ACTIONS {
                if (best == usize::MAX || scores[a] > scores[best]) && st.valid(a) {
                    best = a;
                }
            }
            if best == usize::MAX {
                break;
            }
            let mut label = 0;
            if best == LEFT || best == RIGHT {
                label = self.label_arc(&st, cx, best, &mut lfeats, &mut lscores);
            }
            st.apply(best, label);
        }
        st
    }

    /// Beam search: `2n` steps; each step expands every item by its valid
    /// transitions and keeps the `k` best sequences. Labels are chosen by the
    /// labeller for the kept items only.
    fn parse_beam(&self, cx: &Ctx, k: usize) -> State {
        let n = cx.w.len() - 1;
        let mut beam: Vec<(State, f32)> = vec![(State::new(n), 0.0)];
        let mut next: Vec<(State, f32)> = Vec::with_capacity(k);
        let mut cands: Vec<(f32, u32, u8)> = Vec::with_capacity(k * N_ACTIONS);
        let mut uses: Vec<u32> = Vec::with_capacity(k);
        let mut pool: Vec<State> = Vec::with_capacity(k);
        let mut feats = Vec::with_capacity(96);
        let mut lfeats = Vec::with_capacity(32);
        let mut lscores = vec![0f32; self.labels.len()];
        for _ in 0..2 * n {
            cands.clear();
            for (i, (st, score)) in beam.iter().enumerate() {
                let (v, n_valid) = valid_actions(st);
                let mut sc = [0f32; N_ACTIONS];
                if n_valid > 1 {
                    features(st, cx, &mut feats);
                    self.model.score(&feats, &mut sc);
                }
                for a in 0..N_ACTIONS {
                    if v[a] {
                        cands.push((score + sc[a], i as u32, a as u8));
                    }
                }
            }
            if cands.is_empty() {
                break;
            }
            top_k(&mut cands, k);
            if self.margin > 0.0 {
                let floor = cands[0].0 - self.margin;
                let keep = cands.iter().take_while(|c| c.0 >= floor).count();
                cands.truncate(keep.max(1));
            }
            // A parent kept by one candidate only is moved, not copied.
            uses.clear();
            uses.resize(beam.len(), 0);
            for c in cands.iter() {
                uses[c.1 as usize] += 1;
            }
            next.clear();
            for &(score, i, a) in cands.iter() {
                let i = i as usize;
                let a = a as usize;
                let label = if a == LEFT || a == RIGHT {
                    self.label_arc(&beam[i].0, cx, a, &mut lfeats, &mut lscores)
                } else {
                    0
                };
                uses[i] -= 1;
                let mut st = if uses[i] == 0 {
                    std::mem::replace(&mut beam[i].0, State::empty())
                } else if let Some(mut spare) = pool.pop() {
                    spare.copy_from(&beam[i].0);
                    spare
                } else {
                    beam[i].0.clone()
                };
                st.apply(a, label);
                next.push((st, score));
            }
            // The dropped items' memory serves the next copies.
            pool.extend(
                beam.drain(..)
                    .map(|(st, _)| st)
                    .filter(|st| st.heads.capacity() > 0),
            );
            std::mem::swap(&mut beam, &mut next);
        }
        beam.into_iter()
            .next()
            .map_or_else(|| State::new(n), |(st, _)| st)
    }

    /// Gives every word a head (see [`finish_tree`]).
    fn finish(&self, st: State) -> (Vec<u32>, Vec<u16>) {
        let (root_label, dep_label) = root_dep(&self.labels);
        finish_tree(st, root_label, dep_label)
    }

    /// (UAS, LAS) on `gold` using each word's `xpos` as the input tag.
    fn attachment(&self, gold: &[Sentence]) -> (f64, f64) {
        let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
        for s in gold {
            let forms = s.forms();
            let tags: Vec<&str> = s.words.iter().map(|w| w.xpos.as_str()).collect();
            for ((h, d), w) in self.parse(&forms, &tags).into_iter().zip(&s.words) {
                if h == w.head {
                    u += 1;
                    l += (universal_deprel(d) == w.universal_deprel()) as usize;
                }
                n += 1;
            }
        }
        let n = n.max(1) as f64;
        (u as f64 / n, l as f64 / n)
    }

    /// A copy without the weights with `|w| <= min_abs` (see [`Model::pruned`]).
    pub fn pruned(&self, min_abs: f32) -> Parser {
        Parser {
            model: self.model.pruned(min_abs),
            labeler: self.labeler.pruned(min_abs),
            ..self.clone()
        }
    }

    /// The mean of parsers trained alike (same labels, clusters and feature
    /// set; e.g. with different seeds): their weights averaged, so that it
    /// parses like their ensemble at the cost of one. `None` when they differ.
    pub fn mean(parsers: &[&Parser]) -> Option<Parser> {
        let first = *parsers.first()?;
        let alike = |p: &&Parser| {
            p.labels == first.labels
                && p.features == first.features
                && p.clusters.same_as(&first.clusters)
        };
        if !parsers.iter().all(alike) {
            return None;
        }
        let models = |f: &dyn Fn(&Parser) -> &Model| {
            Model::mean(&parsers.iter().map(|p| f(p)).collect::<Vec<_>>())
        };
        Some(Parser {
            model: models(&|p| &p.model)?,
            labeler: models(&|p| &p.labeler)?,
            ..first.clone()
        })
    }

    /// The relation labels.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The number of weights in the model.
    pub fn n_weights(&self) -> usize {
        self.model.n_weights() + self.labeler.n_weights()
    }

    /// Serialised, zstd-compressed bytes of the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        perceptron::to_zst_bytes(self)
    }

    /// Reads a model written by [`Parser::to_bytes`] or [`Parser::save`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, ModelError> {
        let mut p: Parser = match perceptron::from_zst_bytes(bytes) {
            Ok(p) => p,
            Err(e) => {
                if let Ok(v2) = perceptron::from_zst_bytes::<ParserV2>(bytes) {
                    Parser {
                        labels: v2.labels,
                        model: v2.model,
                        labeler: v2.labeler,
                        clusters: v2.clusters,
                        beam: v2.beam,
                        margin: v2.margin,
                        features: 0,
                    }
                } else if let Ok(v1) = perceptron::from_zst_bytes::<ParserV1>(bytes) {
                    Parser {
                        labels: v1.labels,
                        model: v1.model,
                        labeler: v1.labeler,
                        clusters: v1.clusters,
                        beam: 1,
                        margin: 0.0,
                        features: 0,
                    }
                } else {
                    return Err(e);
                }
            }
        };
        rebuild_clusters(&mut p.clusters);
        Ok(p)
    }

    /// The beam width the parser decodes with (1: greedy).
    pub fn beam(&self) -> usize {
        self.beam as usize
    }

    /// A copy that decodes with beam width `k` (at least 1).
    pub fn with_beam(&self, k: usize) -> Parser {
        Parser {
            beam: k.clamp(1, 64) as u32,
            ..self.clone()
        }
    }

    /// A copy whose beam drops items scoring more than `margin` below the
    /// best one (0: keep the `k` best whatever their scores).
    pub fn with_margin(&self, margin: f32) -> Parser {
        Parser {
            margin: if margin.is_finite() {
                margin.max(0.0)
            } else {
                0.0
            },
            ..self.clone()
        }
    }

    /// The beam margin (see [`Parser::with_margin`]).
    pub fn margin(&self) -> f32 {
        self.margin
    }

    /// Writes the model to `path` (zstd-compressed bincode).
    pub fn save(&self, path: &std::path::Path) -> Result<(), ModelError> {
        perceptron::save_zst(self, path)
    }

    /// Reads a model written by [`Parser::save`].
    pub fn load(path: &std::path::Path) -> Result<Parser, ModelError> {
        let bytes =
            std::fs::read(path).map_err(|e| ModelError(format!("{}: {e}", path.display())))?;
        Parser::from_bytes(&bytes).map_err(|e| ModelError(format!("{}: {}", path.display(), e.0)))
    }
}

/// One analysed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis<'a> {
    /// Universal part of speech.
    pub upos: &'a str,
    /// Penn Treebank tag.
    pub xpos: &'a str,
    /// The lemma.
    pub lemma: std::borrow::Cow<'a, str>,
    /// Head word, 1-based; 0 is the root.
    pub head: usize,
    /// Relation to the head (UD, with subtypes).
    pub deprel: &'a str,
}

/// The tagger, lemmatizer and parser together.
#[derive(Debug, Clone)]
pub struct SyntaxModels {
    /// The tagger.
    pub tagger: Tagger,
    /// The lemmatizer.
    pub lemmatizer: Lemmatizer,
    /// The parser.
    pub parser: Parser,
    /// The neural tagger and parser: when present, it tags and parses instead of
    /// `tagger` and `parser` (the lemmatizer reads its XPOS tags).
    pub neural: Option<NeuralParser>,
}

/// The neural model's file name in a models folder.
pub const NEURAL_FILE: &str = "neural.bin.zst";

impl SyntaxModels {
    /// Loads `tagger.bin.zst`, `lemma.bin.zst` and `parser.bin.zst` from `dir` (set
    /// `neural` to tag and parse with the neural model instead).
    pub fn load_dir(dir: &std::path::Path) -> Result<SyntaxModels, ModelError> {
        Ok(SyntaxModels {
            tagger: Tagger::load(&dir.join("tagger.bin.zst"))?,
            lemmatizer: Lemmatizer::load(&dir.join("lemma.bin.zst"))?,
            parser: Parser::load(&dir.join("parser.bin.zst"))?,
            neural: None,
        })
    }

    /// Tags, lemmatizes and parses several sentences (the neural model works on them
    /// together, which is faster than one by one).
    pub fn analyze_batch<'a>(&'a self, sents: &[&[&'a str]]) -> Vec<Vec<Analysis<'a>>> {
        let Some(nn) = &self.neural else {
            return sents.iter().map(|s| self.analyze(s)).collect();
        };
        let mut out = Vec::with_capacity(sents.len());
        // Batches of similar size keep the padding small.
        for chunk in sents.chunks(64) {
            for (words, parsed) in chunk.iter().zip(nn.parse_batch(chunk)) {
                out.push(
                    words
                        .iter()
                        .zip(parsed)
                        .map(|(w, p)| Analysis { upos: p.upos, xpos: p.xpos, lemma: self.lemmatizer.lemma(w, p.xpos), head: p.head, deprel: p.deprel })
                        .collect(),
                );
            }
        }
        out
    }

    /// Tags, lemmatizes and parses the words of one sentence.
    pub fn analyze<'a>(&'a self, words: &[&'a str]) -> Vec<Analysis<'a>> {
        if self.neural.is_some() {
            return self.analyze_batch(&[words]).pop().unwrap_or_default();
        }
        let (toks, ids) = self.tagger.tag_toks(words);
        let tags: Vec<_> = ids.into_iter().map(|id| self.tagger.tag_of(id)).collect();
        let xpos: Vec<&str> = tags.iter().map(|t| t.xpos).collect();
        // The tagger has already looked the words up; reuse that when the clusters agree.
        let arcs = if self.tagger.clusters().same_as(&self.parser.clusters) {
            self.parser.parse_toks(&toks, &xpos)
        } else {
            self.parser.parse(words, &xpos)
        };
        words
            .iter()
            .zip(tags)
            .zip(arcs)
            .map(|((w, t), (head, deprel))| Analysis {
                upos: t.upos,
                xpos: t.xpos,
                lemma: self.lemmatizer.lemma(w, t.xpos),
                head,
                deprel,
            })
            .collect()
    }
}

/// Scores on a treebank, computed as the CoNLL 2018 scorer does with gold
/// tokenisation: every measure is a fraction of all syntactic words
/// (punctuation included); LAS compares the universal part of the relation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SyntaxScores {
    /// Words scored.
    pub words: usize,
    /// UPOS accuracy.
    pub upos: f64,
    /// XPOS accuracy.
    pub xpos: f64,
    /// Lemma accuracy.
    pub lemma: f64,
    /// Unlabelled attachment score.
    pub uas: f64,
    /// Labelled attachment score.
    pub las: f64,
}

/// Tags, lemmatizes and parses the gold words of `gold` and scores the result.
pub fn evaluate(gold: &[Sentence], models: &SyntaxModels) -> SyntaxScores {
    let (mut n, mut upos, mut xpos, mut lemma, mut uas, mut las) = (0usize, 0usize, 0, 0, 0, 0);
    let forms: Vec<Vec<&str>> = gold.iter().map(|s| s.forms()).collect();
    let refs: Vec<&[&str]> = forms.iter().map(|f| f.as_slice()).collect();
    for (s, analysis) in gold.iter().zip(models.analyze_batch(&refs)) {
        for (a, w) in analysis.iter().zip(&s.words) {
            n += 1;
            upos += (a.upos == w.upos) as usize;
            xpos += (a.xpos == w.xpos) as usize;
            lemma += (a.lemma == w.lemma) as usize;
            if a.head == w.head {
                uas += 1;
                las += (universal_deprel(a.deprel) == w.universal_deprel()) as usize;
            }
        }
    }
    let r = |k: usize| k as f64 / n.max(1) as f64;
    SyntaxScores {
        words: n,
        upos: r(upos),
        xpos: r(xpos),
        lemma: r(lemma),
        uas: r(uas),
        las: r(las),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;
    use crate::tagger::{self, TaggerConfig};

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 1 <- 3 crosses 2 -> 4: word 4 (head 2) is lifted to 2's head.
        let mut heads = vec![0, 3, 3, 0, 2];
        let before: Vec<usize> = heads[1..].iter().map(|&h| h as usize).collect();
        assert!(!conllu::is_projective(&before));
        assert!(projectivize(&mut heads));
        let after: Vec<usize> = heads[1..].iter().map(|&h| h as usize).collect();
        assert!(conllu::is_projective(&after));
        assert_eq!(heads, vec![0, 3, 3, 0, 3]);
        // A cycle is refused.
        assert!(!projectivize(&mut [0, 2, 1]));
    }

    #[test]
    fn old_model_files_load_with_their_feature_set() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("../../models/parser.bin.zst");
        if let Ok(p) = Parser::load(&path) {
            assert!(p.features <= 1);
            let arcs = p.parse(
                &["Mary", "saw", "the", "cat", "."],
                &["NNP", "VBD", "DT", "NN", "."],
            );
            assert_eq!(arcs.iter().filter(|(h, _)| *h == 0).count(), 1);
        }
        let sents = conllu::parse(crate::tagger::tests::TOY).expect("toy parses");
        let p = train(
            &sents,
            &sents,
            &ParserConfig {
                epochs: 3,
                ..Default::default()
            },
        );
        let v2 = ParserV2Out {
            labels: &p.labels,
            model: &p.model,
            labeler: &p.labeler,
            clusters: &p.clusters,
            beam: 1,
            margin: 0.0,
        };
        let q =
            Parser::from_bytes(&perceptron::to_zst_bytes(&v2).expect("bytes")).expect("v2 loads");
        assert_eq!((q.features, q.beam), (0, 1));
        let v1 = ParserV1Out {
            labels: &p.labels,
            model: &p.model,
            labeler: &p.labeler,
            clusters: &p.clusters,
        };
        let q =
            Parser::from_bytes(&perceptron::to_zst_bytes(&v1).expect("bytes")).expect("v1 loads");
        assert_eq!((q.features, q.beam), (0, 1));
        // The current format keeps the feature set.
        let q = Parser::from_bytes(&p.to_bytes().expect("bytes")).expect("loads");
        assert_eq!(q.features, 1);
    }

    #[derive(Serialize)]
    struct ParserV1Out<'a> {
        labels: &'a Vec<String>,
        model: &'a Model,
        labeler: &'a Model,
        clusters: &'a Clusters,
    }

    #[derive(Serialize)]
    struct ParserV2Out<'a> {
        labels: &'a Vec<String>,
        model: &'a Model,
        labeler: &'a Model,
        clusters: &'a Clusters,
        beam: u32,
        margin: f32,
    }

    #[test]
    fn oracle_reaches_gold_trees() {
        let sents = conllu::parse(crate::tagger::tests::TOY).expect("toy parses");
        // With exploration off and enough epochs the toy trees are learnt exactly.
        let cfg = ParserConfig {
            epochs: 10,
            explore_from: 100,
            ..Default::default()
        };
        let p = train(&sents, &sents, &cfg);
        assert_eq!(p.attachment(&sents), (1.0, 1.0));
    }

    #[test]
    fn beam_training_learns_toy_trees_and_round_trips() {
        let sents = conllu::parse(crate::tagger::tests::TOY).expect("toy parses");
        let cfg = ParserConfig {
            epochs: 10,
            beam: 4,
            ..Default::default()
        };
        let p = train(&sents, &sents, &cfg);
        assert_eq!(p.beam(), 4);
        assert_eq!(p.attachment(&sents), (1.0, 1.0));
        let loaded = Parser::from_bytes(&p.to_bytes().expect("bytes")).expect("loads");
        assert_eq!(loaded.beam(), 4);
        // A narrowed beam and the greedy decoder still give one tree per sentence.
        for q in [loaded.with_margin(1.0), loaded.with_beam(1)] {
            let arcs = q.parse(
                &["Mary", "saw", "the", "cat", "."],
                &["NNP", "VBD", "DT", "NN", "."],
            );
            assert_eq!(arcs.iter().filter(|(h, _)| *h == 0).count(), 1);
        }
    }

    #[test]
    fn toy_models_round_trip() {
        let sents = conllu::parse(crate::tagger::tests::TOY).expect("toy parses");
        let models = SyntaxModels {
            tagger: tagger::train(
                &sents,
                &sents,
                &TaggerConfig {
                    epochs: 5,
                    ..Default::default()
                },
            ),
            lemmatizer: crate::lemma::train(&sents),
            parser: train(
                &sents,
                &sents,
                &ParserConfig {
                    epochs: 5,
                    ..Default::default()
                },
            ),
            neural: None,
        };
        let dir = std::env::temp_dir().join(format!("dossier-syntax-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        models
            .tagger
            .save(&dir.join("tagger.bin.zst"))
            .expect("save");
        models
            .lemmatizer
            .save(&dir.join("lemma.bin.zst"))
            .expect("save");
        models
            .parser
            .save(&dir.join("parser.bin.zst"))
            .expect("save");
        let loaded = SyntaxModels::load_dir(&dir).expect("load");
        let _ = std::fs::remove_dir_all(&dir);
        for s in &sents {
            let forms = s.forms();
            assert_eq!(models.analyze(&forms), loaded.analyze(&forms));
        }
        let words = ["The", "dogs", "sleep", "."];
        let a = loaded.analyze(&words);
        assert_eq!(a.iter().filter(|a| a.head == 0).count(), 1);
        assert!(loaded.analyze(&[]).is_empty());
        assert!(loaded.parser.parse(&["x"], &[]).len() == 1);
        let scores = evaluate(&sents, &loaded);
        assert_eq!(scores.words, 14);
    }

    /// Scores the committed models on EWT test, when both are present.
    #[test]
    fn committed_models_on_ewt_test() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let models_dir = root.join("../../models");
        let data = root.join("../../../shared/data/ud-english-ewt/en_ewt-ud-test.conllu");
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        let models = match SyntaxModels::load_dir(&models_dir) {
            Ok(m) => m,
            Err(e) => {
                assert!(!ci, "CI=true but the syntax models do not load: {e}");
                eprintln!("skip: syntax models not loadable: {e}");
                return;
            }
        };
        let Ok(text) = std::fs::read_to_string(&data) else {
            assert!(!ci, "CI=true but {} is missing", data.display());
            eprintln!("skip: {} missing", data.display());
            return;
        };
        let gold = conllu::parse(&text).expect("EWT test parses");
        // A slice keeps the debug-mode test fast.
        let s = evaluate(&gold[..400], &models);
        eprintln!("committed syntax models, first 400 EWT test sentences: {s:?}");
        // Measured on this slice with the committed greedy models: UPOS 0.964, UAS 0.836,
        // LAS 0.797 (the beam parser of models/MODELS.md: UAS 0.852, LAS 0.813).
        assert!(s.upos > 0.95 && s.uas > 0.82 && s.las > 0.78, "{s:?}");
    }
}
