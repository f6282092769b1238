//! Word clusters, the gazetteer and name-word bits. Clusters and gazetteer are read at
//! training time from the TSV files that `scripts/` derive
//! (see `models/MODELS.md`) and stored inside the model file.

use super::features::{hash_exact, hash_lower, mix, TokInfo};
use rustc_hash::FxHashMap;

/// Cluster granularities per word: k-means with k = 64, 512, 2048, and the vector row.
pub(crate) const N_CLUSTER: usize = 4;

/// Gazetteer categories, in the order of their bits.
pub(crate) const GAZ_CATEGORIES: [&str; 8] = ["country", "state", "continent", "city_big", "city", "town", "demonym", "region"];
/// Bit set on a phrase prefix that is not itself a full entry.
const PREFIX: u32 = 1 << 31;
/// The seed of phrase hashes.
const PHRASE_SEED: u64 = 0x6A09_E667_F3BC_C908;
/// Longest gazetteer phrase, in tokens.
const MAX_PHRASE: usize = 6;

/// Category ids (indices into [`GAZ_CATEGORIES`]).
pub(crate) mod cat {
    pub const COUNTRY: u32 = 0;
    pub const STATE: u32 = 1;
    pub const CONTINENT: u32 = 2;
    pub const CITY_BIG: u32 = 3;
    pub const CITY: u32 = 4;
    pub const TOWN: u32 = 5;
    pub const DEMONYM: u32 = 6;
    pub const REGION: u32 = 7;
}

/// An open-addressing table from (already hashed) `u64` keys to small values, built
/// from sorted key/value arrays: loading needs no string hashing, only one multiply per
/// entry.
#[derive(Clone)]
pub(crate) struct FlatMap<V: Copy> {
    keys: Vec<u64>,
    vals: Vec<V>,
    shift: u32,
    len: usize,
}

impl<V: Copy + Default> FlatMap<V> {
    /// Builds the table from pairs (duplicate keys: the last wins).
    pub(crate) fn from_pairs(pairs: impl ExactSizeIterator<Item = (u64, V)>) -> FlatMap<V> {
        let n = pairs.len();
        let cap = (n + n / 3 + 1).next_power_of_two().max(16);
        let bits = cap.trailing_zeros();
        let mut m = FlatMap { keys: vec![0u64; cap], vals: vec![V::default(); cap], shift: 64 - bits, len: 0 };
        for (k, v) in pairs {
            m.insert(k, v);
        }
        m
    }

    #[inline]
    fn slot(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn insert(&mut self, k: u64, v: V) {
        let k = k.max(1);
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        loop {
            if self.keys[i] == 0 {
                self.keys[i] = k;
                self.vals[i] = v;
                self.len += 1;
                return;
            }
            if self.keys[i] == k {
                self.vals[i] = v;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    pub(crate) fn get(&self, k: u64) -> Option<V> {
        let k = k.max(1);
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        loop {
            let x = self.keys[i];
            if x == k {
                return Some(self.vals[i]);
            }
            if x == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entries, sorted by key (for serialisation).
    pub(crate) fn sorted_pairs(&self) -> (Vec<u64>, Vec<V>) {
        let mut v: Vec<(u64, V)> = self.keys.iter().zip(&self.vals).filter(|(k, _)| **k != 0).map(|(&k, &v)| (k, v)).collect();
        v.sort_unstable_by_key(|p| p.0);
        v.into_iter().unzip()
    }
}

/// Person and organisation name-word bits (see [`Lexicon::with_names`]).
pub mod name_bits {
    /// A known first (given) name.
    pub const FIRST: u8 = 1;
    /// A known surname (last word of a person's name).
    pub const LAST: u8 = 2;
    /// A word inside a person's name (neither first nor last).
    pub const PER_MID: u8 = 4;
    /// A word of an organisation's name.
    pub const ORG: u8 = 8;
    /// The last word of an organisation's name.
    pub const ORG_LAST: u8 = 16;
    /// Seen as a word of several different person names (common name word).
    pub const PER_COMMON: u8 = 32;
}

/// Word clusters, gazetteer phrases and name-word bits, all keyed by hashes.
#[derive(Clone)]
pub struct Lexicon {
    clusters: FlatMap<[u16; N_CLUSTER]>,
    gaz: FlatMap<u32>,
    names: FlatMap<u8>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("n_clusters", &self.clusters.len())
            .field("n_gaz", &self.gaz.len())
            .field("n_names", &self.names.len())
            .finish()
    }
}

/// The serialised lexicon: sorted hashed keys and their values.
#[derive(serde::Serialize, serde::Deserialize, Default)]
pub(crate) struct LexiconFile {
    cl_keys: Vec<u64>,
    cl_vals: Vec<[u16; N_CLUSTER]>,
    gaz_keys: Vec<u64>,
    gaz_vals: Vec<u32>,
    name_keys: Vec<u64>,
    name_vals: Vec<u8>,
}

impl Lexicon {
    /// An empty lexicon (no clusters, no gazetteer): for tests.
    pub fn empty() -> Lexicon {
        Lexicon::from_tsv(String::new(), String::new())
    }

    pub(crate) fn to_file(&self) -> LexiconFile {
        let (cl_keys, cl_vals) = self.clusters.sorted_pairs();
        let (gaz_keys, gaz_vals) = self.gaz.sorted_pairs();
        let (name_keys, name_vals) = self.names.sorted_pairs();
        LexiconFile { cl_keys, cl_vals, gaz_keys, gaz_vals, name_keys, name_vals }
    }

    pub(crate) fn from_file(f: LexiconFile) -> Lexicon {
        Lexicon {
            clusters: FlatMap::from_pairs(f.cl_keys.into_iter().zip(f.cl_vals)),
            gaz: FlatMap::from_pairs(f.gaz_keys.into_iter().zip(f.gaz_vals)),
            names: FlatMap::from_pairs(f.name_keys.into_iter().zip(f.name_vals)),
        }
    }

    /// Adds name-word bits: `people` are person names (words in order, first name
    /// first), `orgs` organisation names. Only hashes of the lowercased words are kept.
    pub fn with_names(mut self, people: &[Vec<String>], orgs: &[Vec<String>]) -> Lexicon {
        let mut bits: FxHashMap<u64, u8> = FxHashMap::default();
        let mut n_people: FxHashMap<u64, u32> = FxHashMap::default();
        for p in people {
            let n = p.len();
            for (i, w) in p.iter().enumerate() {
                if w.chars().count() < 2 {
                    continue;
                }
                let h = hash_lower(w);
                let b = if n == 1 || i + 1 == n {
                    name_bits::LAST
                } else if i == 0 {
                    name_bits::FIRST
                } else {
                    name_bits::PER_MID
                };
                *bits.entry(h).or_insert(0) |= b;
                *n_people.entry(h).or_insert(0) += 1;
            }
        }
        for (h, c) in n_people {
            if c >= 3 {
                *bits.entry(h).or_insert(0) |= name_bits::PER_COMMON;
            }
        }
        for o in orgs {
            for (i, w) in o.iter().enumerate() {
                if w.chars().count() < 2 {
                    continue;
                }
                let b = if i + 1 == o.len() { name_bits::ORG | name_bits::ORG_LAST } else { name_bits::ORG };
                *bits.entry(hash_lower(w)).or_insert(0) |= b;
            }
        }
        self.names = FlatMap::from_pairs(bits.into_iter());
        self
    }

    /// Builds a lexicon from `word<TAB>c1<TAB>c2<TAB>c3<TAB>c4` lines and
    /// `category<TAB>phrase` lines. Malformed lines and unknown categories are skipped.
    pub fn from_tsv(clusters_tsv: String, gazetteer_tsv: String) -> Lexicon {
        let mut clusters = Vec::new();
        for line in clusters_tsv.lines() {
            let mut it = line.split('\t');
            let Some(w) = it.next() else { continue };
            let mut ids = [0u16; N_CLUSTER];
            let mut ok = true;
            for id in ids.iter_mut() {
                match it.next().and_then(|x| x.parse().ok()) {
                    Some(v) => *id = v,
                    None => ok = false,
                }
            }
            if ok && !w.is_empty() {
                clusters.push((hash_exact(w), ids));
            }
        }
        let mut gaz: FxHashMap<u64, u32> = FxHashMap::default();
        for line in gazetteer_tsv.lines() {
            let Some((c, phrase)) = line.split_once('\t') else { continue };
            let Some(k) = GAZ_CATEGORIES.iter().position(|&x| x == c) else { continue };
            // As written (split at spaces), and with hyphens split off as our tokenizer does.
            let spaced: Vec<&str> = phrase.split_whitespace().collect();
            let hyphened: Vec<&str> = spaced
                .iter()
                .flat_map(|w| {
                    let mut v = Vec::new();
                    for (j, p) in w.split('-').enumerate() {
                        if j > 0 {
                            v.push("-");
                        }
                        if !p.is_empty() {
                            v.push(p);
                        }
                    }
                    v
                })
                .collect();
            for words in [spaced, hyphened] {
                if words.is_empty() || words.len() > MAX_PHRASE {
                    continue;
                }
                let mut h = PHRASE_SEED;
                for (j, w) in words.iter().enumerate() {
                    h = mix(h, hash_lower(w));
                    let e = gaz.entry(h).or_insert(0);
                    if j + 1 == words.len() {
                        *e |= 1 << k;
                    } else {
                        *e |= PREFIX;
                    }
                }
            }
        }
        Lexicon {
            clusters: FlatMap::from_pairs(clusters.into_iter()),
            gaz: FlatMap::from_pairs(gaz.into_iter()),
            names: FlatMap::from_pairs(Vec::<(u64, u8)>::new().into_iter()),
        }
    }

    /// Number of words with clusters, gazetteer keys, name words.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.clusters.len(), self.gaz.len(), self.names.len())
    }

    #[inline]
    pub(crate) fn clusters(&self, word_hash: u64) -> Option<[u16; N_CLUSTER]> {
        self.clusters.get(word_hash)
    }

    /// Name-word bits ([`name_bits`]) of a lowercased word hash.
    #[inline]
    pub(crate) fn names(&self, lower_hash: u64) -> u8 {
        if self.names.is_empty() {
            0
        } else {
            self.names.get(lower_hash).unwrap_or(0)
        }
    }

    /// Sets `gaz` bits on tokens covered by gazetteer phrases: bit `2k` on the first
    /// token of a phrase of category `k`, bit `2k + 1` on the others.
    pub(crate) fn mark_gazetteer(&self, infos: &mut [TokInfo]) {
        if self.gaz.is_empty() {
            return;
        }
        for i in 0..infos.len() {
            let mut h = PHRASE_SEED;
            for j in i..infos.len().min(i + MAX_PHRASE) {
                h = mix(h, infos[j].lower);
                let Some(e) = self.gaz.get(h) else { break };
                let cats = e & !PREFIX;
                let mut b = cats;
                while b != 0 {
                    let k = b.trailing_zeros();
                    infos[i].gaz |= 1 << (2 * k);
                    for t in &mut infos[i + 1..=j] {
                        t.gaz |= 1 << (2 * k + 1);
                    }
                    b &= b - 1;
                }
                if e & PREFIX == 0 {
                    break;
                }
            }
        }
    }

    /// The categories (bit set over [`GAZ_CATEGORIES`]) of a whole phrase.
    pub(crate) fn phrase_categories(&self, words: &[&str]) -> u32 {
        let mut h = PHRASE_SEED;
        for w in words {
            h = mix(h, hash_lower(w));
        }
        self.gaz.get(h).map_or(0, |e| e & !PREFIX)
    }
}
