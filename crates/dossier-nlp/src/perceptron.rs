//! A multiclass averaged perceptron over hashed features (Collins 2002), shared
//! by the tagger, the parser and any other sequence model of this crate.
//!
//! Features are `u64` keys, made without allocating by [`feat1`], [`feat2`],
//! [`feat3`] from a template number and hashed parts ([`hash_str`],
//! [`hash_lower`], small integers). A feature carries one weight per class it
//! has ever been updated for, so rows are sparse: most features only know a
//! handful of the classes.
//!
//! Two types, as a writer and an immutable reader:
//! - [`Trainer`] learns: [`Trainer::score`] with the current weights,
//!   [`Trainer::update`] on a mistake, [`Trainer::tick`] once per example;
//!   [`Trainer::average`] returns the averaged weights as a [`Model`] (Daumé's
//!   trick: `avg = w - u / c`, where `u` sums `c * delta`; no timestamps).
//! - [`Model`] predicts: [`Model::score`] adds the weights of the given features
//!   into a score vector. It is `Serialize`, and [`save_zst`] / [`load_zst`]
//!   store any serialisable model as zstd-compressed bincode.
//!
//! ```
//! use dossier_nlp::perceptron::{feat1, hash_str, Trainer};
//! let mut t = Trainer::new(2);
//! let f = [feat1(1, hash_str("yes"))];
//! let g = [feat1(1, hash_str("no"))];
//! for _ in 0..3 {
//!     for (fs, gold) in [(&f, 0), (&g, 1)] {
//!         let guess = t.predict(fs);
//!         t.update(fs, gold, guess);
//!         t.tick();
//!     }
//! }
//! let m = t.average(0.0);
//! assert_eq!(m.predict(&f), 0);
//! assert_eq!(m.predict(&g), 1);
//! ```

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Mixes two 64-bit values into one (FxHash's step, then a finaliser).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let h = (a.rotate_left(5) ^ b).wrapping_mul(K);
    h ^ (h >> 29)
}

/// A feature key from a template number and one part.
#[inline]
pub fn feat1(template: u32, a: u64) -> u64 {
    mix(mix(template as u64 ^ 0x9e37_79b9, a), 1)
}

/// A feature key from a template number and two parts.
#[inline]
pub fn feat2(template: u32, a: u64, b: u64) -> u64 {
    mix(mix(mix(template as u64 ^ 0x9e37_79b9, a), b), 2)
}

/// A feature key from a template number and three parts.
#[inline]
pub fn feat3(template: u32, a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(mix(template as u64 ^ 0x9e37_79b9, a), b), c), 3)
}

/// Hashes a string (FxHash).
#[inline]
pub fn hash_str(s: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// Hashes the lower-cased string: equal to `hash_str(&s.to_lowercase())`,
/// without allocating for short ASCII words.
#[inline]
pub fn hash_lower(s: &str) -> u64 {
    if !s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        return hash_str(s);
    }
    if s.is_ascii() && s.len() <= 64 {
        let mut buf = [0u8; 64];
        for (d, b) in buf.iter_mut().zip(s.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        let mut h = rustc_hash::FxHasher::default();
        h.write(&buf[..s.len()]);
        h.write_u8(0xff);
        return h.finish();
    }
    hash_str(&s.to_lowercase())
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    class: u32,
    w: f32,
    u: f64,
}

/// Learns averaged-perceptron weights. See the module documentation.
#[derive(Debug, Clone)]
pub struct Trainer {
    n_classes: usize,
    rows: FxHashMap<u64, Vec<Entry>>,
    /// Examples seen so far, plus one.
    c: f64,
}

impl Trainer {
    /// A trainer for `n_classes` classes, all weights zero.
    pub fn new(n_classes: usize) -> Self {
        Trainer {
            n_classes,
            rows: FxHashMap::default(),
            c: 1.0,
        }
    }

    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// The number of features that have a weight.
    pub fn n_features(&self) -> usize {
        self.rows.len()
    }

    /// Adds the current (not averaged) weights of `feats` into `scores`
    /// (`scores.len() == n_classes`).
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        for f in feats {
            if let Some(row) = self.rows.get(f) {
                for e in row {
                    scores[e.class as usize] += e.w;
                }
            }
        }
    }

    /// The best class under the current weights (ties: the lowest class).
    pub fn predict(&self, feats: &[u64]) -> usize {
        let mut scores = vec![0.0; self.n_classes];
        self.score(feats, &mut scores);
        argmax(&scores)
    }

    /// One perceptron step: +1 to `truth`, -1 to `guess` for every feature.
    /// Nothing happens when they are equal.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &f in feats {
            self.add(f, truth, 1.0);
            self.add(f, guess, -1.0);
        }
    }

    /// Adds `delta` to the weight of (`feat`, `class`).
    pub fn add(&mut self, feat: u64, class: usize, delta: f32) {
        let c = self.c;
        let row = self.rows.entry(feat).or_default();
        match row.iter_mut().find(|e| e.class as usize == class) {
            Some(e) => {
                e.w += delta;
                e.u += c * delta as f64;
            }
            None => row.push(Entry {
                class: class as u32,
                w: delta,
                u: c * delta as f64,
            }),
        }
    }

    /// Marks the end of one example (advances the averaging clock).
    pub fn tick(&mut self) {
        self.c += 1.0;
    }

    /// The averaged weights, dropping those with `|w| <= min_abs`.
    pub fn average(&self, min_abs: f32) -> Model {
        let mut keys: Vec<u64> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let rows = keys
            .into_iter()
            .map(|k| {
                let row = self.rows[&k]
                    .iter()
                    .map(|e| (e.class as u16, (e.w as f64 - e.u / self.c) as f32))
                    .filter(|(_, w)| w.abs() > min_abs)
                    .collect();
                (k, row)
            })
            .collect();
        Model::from_rows(self.n_classes, rows)
    }
}

/// `w` rounded to bfloat16 (the top 16 bits of an `f32`), to nearest even.
#[inline]
fn to_bf16(w: f32) -> u16 {
    let b = w.to_bits();
    ((b + 0x7fff + ((b >> 16) & 1)) >> 16) as u16
}

/// The index of the largest score (the first one on ties).
#[inline]
pub fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// The serialised form of a [`Model`]: rows in key order, each weight packed
/// with its class as `(class << 16) | bf16(w)`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ModelData {
    n_classes: u32,
    keys: Vec<u64>,
    lens: Vec<u16>,
    packed: Vec<u32>,
}

/// One slot of the open-addressing table: the key and its row of `packed`.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// Averaged perceptron weights, ready to predict. Immutable.
///
/// Weights are rounded to bfloat16 (8 bits of mantissa) and kept with their
/// class in one `u32`; rows are found through a linear-probing table whose
/// slots hold the key and the row's position, so that one lookup touches two
/// cache lines at most.
#[derive(Debug, Clone)]
pub struct Model {
    data: ModelData,
    table: Vec<Slot>,
    /// For models of at most [`INLINE`] classes: the weights in the slot
    /// itself, so that a lookup is one cache miss.
    inline: Vec<InlineSlot>,
    mask: usize,
}

/// Models with at most this many classes keep their weights in the table.
const INLINE: usize = 4;

/// A slot with its row inline (bf16 weights, 0 for absent classes).
#[derive(Debug, Clone, Copy, Default)]
struct InlineSlot {
    key: u64,
    w: [u16; INLINE],
}

/// Marks an empty slot (a key of 0 is stored as 1: one collision in 2^64).
const EMPTY: u64 = 0;

#[inline]
fn slot_of(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(K) >> 20) as usize & mask
}

#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, and `p` is a valid reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            p as *const T as *const i8,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[inline]
fn nonzero(key: u64) -> u64 {
    if key == EMPTY {
        1
    } else {
        key
    }
}

impl Model {
    fn from_rows(n_classes: usize, rows: Vec<(u64, Vec<(u16, f32)>)>) -> Model {
        let mut data = ModelData {
            n_classes: n_classes as u32,
            ..Default::default()
        };
        for (k, row) in rows {
            let mut n = 0u16;
            for (c, w) in row {
                let q = to_bf16(w);
                if q & 0x7fff != 0 && w.is_finite() && n < u16::MAX {
                    data.packed.push(((c as u32) << 16) | q as u32);
                    n += 1;
                }
            }
            if n > 0 {
                data.keys.push(k);
                data.lens.push(n);
            }
        }
        Model::from_data(data)
    }

    fn from_data(data: ModelData) -> Model {
        let cap = (data.keys.len() * 10 / 7 + 16).next_power_of_two();
        let mask = cap - 1;
        let mut table = Vec::new();
        let mut inline = Vec::new();
        if data.n_classes as usize <= INLINE {
            inline = vec![InlineSlot::default(); cap];
            let mut start = 0usize;
            for (&k, &n) in data.keys.iter().zip(&data.lens) {
                let key = nonzero(k);
                let mut i = slot_of(key, mask);
                while inline[i].key != EMPTY && inline[i].key != key {
                    i = (i + 1) & mask;
                }
                inline[i].key = key;
                for &p in data.packed.get(start..start + n as usize).unwrap_or(&[]) {
                    if let Some(w) = inline[i].w.get_mut((p >> 16) as usize) {
                        *w = p as u16;
                    }
                }
                start += n as usize;
            }
        } else {
            table = vec![Slot::default(); cap];
            let mut start = 0u32;
            for (&k, &n) in data.keys.iter().zip(&data.lens) {
                let key = nonzero(k);
                let mut i = slot_of(key, mask);
                while table[i].key != EMPTY && table[i].key != key {
                    i = (i + 1) & mask;
                }
                table[i] = Slot {
                    key,
                    start,
                    len: n as u32,
                };
                start += n as u32;
            }
        }
        Model {
            data,
            table,
            inline,
            mask,
        }
    }

    /// [`Model::score`] for inline models.
    #[inline]
    fn score_inline(&self, feats: &[u64], scores: &mut [f32]) {
        const CHUNK: usize = 32;
        let mut slots = [0usize; CHUNK];
        let mut acc = [0f32; INLINE];
        for chunk in feats.chunks(CHUNK) {
            for (i, &f) in chunk.iter().enumerate() {
                let j = slot_of(nonzero(f), self.mask);
                slots[i] = j;
                prefetch(&self.inline[j]);
            }
            for (i, &f) in chunk.iter().enumerate() {
                let key = nonzero(f);
                let mut j = slots[i];
                loop {
                    let s = &self.inline[j];
                    if s.key == key {
                        for (a, &w) in acc.iter_mut().zip(&s.w) {
                            *a += f32::from_bits((w as u32) << 16);
                        }
                        break;
                    }
                    if s.key == EMPTY {
                        break;
                    }
                    j = (j + 1) & self.mask;
                }
            }
        }
        for (s, a) in scores.iter_mut().zip(acc) {
            *s += a;
        }
    }

    /// The number of classes.
    pub fn n_classes(&self) -> usize {
        self.data.n_classes as usize
    }

    /// The number of features with a weight.
    pub fn n_features(&self) -> usize {
        self.data.keys.len()
    }

    /// The number of (feature, class) weights.
    pub fn n_weights(&self) -> usize {
        self.data.packed.len()
    }

    /// Adds the weights of `feats` into `scores` (`scores.len() == n_classes`;
    /// classes beyond it are ignored).
    ///
    /// Lookups are memory-bound, so they run in three passes over chunks of
    /// features: prefetch the table slots, find the rows and prefetch them,
    /// then add; the cache misses of a chunk overlap instead of queueing.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        if !self.inline.is_empty() {
            return self.score_inline(feats, scores);
        }
        const CHUNK: usize = 32;
        let mut slots = [0usize; CHUNK];
        let mut rows = [(0u32, 0u32); CHUNK];
        for chunk in feats.chunks(CHUNK) {
            for (i, &f) in chunk.iter().enumerate() {
                let j = slot_of(nonzero(f), self.mask);
                slots[i] = j;
                prefetch(&self.table[j]);
            }
            for (i, &f) in chunk.iter().enumerate() {
                let (start, len) = self.find(nonzero(f), slots[i]);
                rows[i] = (start, len);
                if let Some(p) = self.data.packed.get(start as usize) {
                    prefetch(p);
                }
            }
            for &(start, len) in &rows[..chunk.len()] {
                let a = start as usize;
                for &p in self.data.packed.get(a..a + len as usize).unwrap_or(&[]) {
                    if let Some(s) = scores.get_mut((p >> 16) as usize) {
                        *s += f32::from_bits(p << 16);
                    }
                }
            }
        }
    }

    /// The row (start, len) of `key`, probing from slot `i`; (0, 0) when absent.
    #[inline]
    fn find(&self, key: u64, mut i: usize) -> (u32, u32) {
        loop {
            let s = &self.table[i];
            if s.key == key {
                return (s.start, s.len);
            }
            if s.key == EMPTY {
                return (0, 0);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// A copy without the weights with `|w| <= min_abs` (and without the
    /// features left with no weight): smaller and faster, a little less accurate.
    pub fn pruned(&self, min_abs: f32) -> Model {
        let mut rows = Vec::with_capacity(self.data.keys.len());
        let mut start = 0usize;
        for (&k, &n) in self.data.keys.iter().zip(&self.data.lens) {
            let row = self.data.packed[start..start + n as usize]
                .iter()
                .map(|&p| ((p >> 16) as u16, f32::from_bits(p << 16)))
                .filter(|(_, w)| w.abs() > min_abs)
                .collect();
            rows.push((k, row));
            start += n as usize;
        }
        Model::from_rows(self.n_classes(), rows)
    }

    /// The mean of the weights of `models` (a feature missing from a model
    /// counts as 0 there): scores are linear in the weights, so this scores
    /// like the models' average, at the cost of one model. `None` when empty
    /// or when the numbers of classes differ.
    pub fn mean(models: &[&Model]) -> Option<Model> {
        let n_classes = models.first()?.n_classes();
        if models.iter().any(|m| m.n_classes() != n_classes) {
            return None;
        }
        let scale = 1.0 / models.len() as f32;
        let mut rows: FxHashMap<u64, Vec<(u16, f32)>> = FxHashMap::default();
        for m in models {
            let mut start = 0usize;
            for (&k, &n) in m.data.keys.iter().zip(&m.data.lens) {
                let row = rows.entry(k).or_default();
                for &p in &m.data.packed[start..start + n as usize] {
                    let (c, w) = ((p >> 16) as u16, f32::from_bits(p << 16) * scale);
                    match row.iter_mut().find(|e| e.0 == c) {
                        Some(e) => e.1 += w,
                        None => row.push((c, w)),
                    }
                }
                start += n as usize;
            }
        }
        let mut rows: Vec<(u64, Vec<(u16, f32)>)> = rows.into_iter().collect();
        rows.sort_unstable_by_key(|r| r.0);
        Some(Model::from_rows(n_classes, rows))
    }

    /// The best class for `feats` (ties: the lowest class).
    pub fn predict(&self, feats: &[u64]) -> usize {
        let mut scores = vec![0.0; self.n_classes()];
        self.score(feats, &mut scores);
        argmax(&scores)
    }
}

impl Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = ModelData::deserialize(d)?;
        let total: usize = data.lens.iter().map(|&n| n as usize).sum();
        if data.keys.len() != data.lens.len() || total != data.packed.len() {
            return Err(serde::de::Error::custom("inconsistent perceptron model"));
        }
        Ok(Model::from_data(data))
    }
}

/// An error reading or writing a model file.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

/// Serialises `value` with bincode and compresses it with zstd.
pub fn to_zst_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, ModelError> {
    let raw = bincode::serialize(value).map_err(|e| ModelError(format!("serialise: {e}")))?;
    zstd::encode_all(&raw[..], 19).map_err(|e| ModelError(format!("compress: {e}")))
}

/// Reads a value written by [`to_zst_bytes`].
pub fn from_zst_bytes<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ModelError> {
    let raw = zstd::decode_all(bytes).map_err(|e| ModelError(format!("decompress: {e}")))?;
    bincode::deserialize(&raw).map_err(|e| ModelError(format!("deserialise: {e}")))
}

/// Writes `value` to `path` as zstd-compressed bincode.
pub fn save_zst<T: Serialize>(value: &T, path: &std::path::Path) -> Result<(), ModelError> {
    let bytes = to_zst_bytes(value)?;
    std::fs::write(path, bytes).map_err(|e| ModelError(format!("{}: {e}", path.display())))
}

/// Reads a value written by [`save_zst`].
pub fn load_zst<T: for<'de> Deserialize<'de>>(path: &std::path::Path) -> Result<T, ModelError> {
    let bytes = std::fs::read(path).map_err(|e| ModelError(format!("{}: {e}", path.display())))?;
    from_zst_bytes(&bytes).map_err(|e| ModelError(format!("{}: {}", path.display(), e.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_and_round_trips() {
        let mut t = Trainer::new(3);
        let ex: Vec<(Vec<u64>, usize)> = (0..30)
            .map(|i| {
                (
                    vec![feat1(0, i % 3), feat2(1, i % 3, 7), feat1(2, 0)],
                    (i % 3) as usize,
                )
            })
            .collect();
        for _ in 0..5 {
            for (f, y) in &ex {
                let g = t.predict(f);
                t.update(f, *y, g);
                t.tick();
            }
        }
        let m = t.average(0.0);
        let bytes = to_zst_bytes(&m).expect("serialise");
        let m2: Model = from_zst_bytes(&bytes).expect("load");
        for (f, y) in &ex {
            assert_eq!(m.predict(f), *y);
            assert_eq!(m2.predict(f), *y);
        }
        // The mean of a model with itself is the model; with another, it
        // scores like the sum of both.
        let same = Model::mean(&[&m, &m]).expect("same classes");
        let other = t.average(0.5);
        let mixed = Model::mean(&[&m, &other]).expect("same classes");
        for (f, y) in &ex {
            assert_eq!(same.predict(f), *y);
            assert_eq!(mixed.predict(f), *y);
        }
        assert!(Model::mean(&[&m, &Trainer::new(2).average(0.0)]).is_none());
        assert!(Model::mean(&[]).is_none());
        assert_eq!(hash_lower("HeLLo"), hash_str("hello"));
        assert_eq!(hash_lower("ÉTÉ"), hash_str("été"));
        assert!(from_zst_bytes::<Model>(b"junk").is_err());
    }
}
