//! Lemmatizer: edit rules learnt from a treebank.
//!
//! Each training word gives a rule that turns its form into its lemma: keep or
//! lower-case the form, cut `n` characters from the end, append a string
//! (`studies` -> `study` is "lower, cut 3, append y"). [`Lemmatizer::lemma`]
//! looks the (form, XPOS) pair up in a table of seen words (the most frequent
//! rule wins); unseen words take the most frequent rule of the longest
//! lower-cased suffix (up to [`MAX_SUFFIX`] characters) seen with that XPOS.

use crate::conllu::Sentence;
use crate::perceptron::{self, mix, ModelError};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The longest suffix the fallback looks at, in characters.
pub const MAX_SUFFIX: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Rule {
    lower: bool,
    cut: u8,
    append: String,
}

/// A trained lemmatizer. Immutable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lemmatizer {
    rules: Vec<Rule>,
    /// hash(form, xpos) -> rule.
    words: FxHashMap<u64, u16>,
    /// hash(lower form, xpos) -> rule.
    lower_words: FxHashMap<u64, u16>,
    /// hash(suffix, xpos) -> rule.
    suffixes: FxHashMap<u64, u16>,
}

fn key(s: &str, xpos: &str) -> u64 {
    mix(perceptron::hash_str(s), perceptron::hash_str(xpos))
}

fn rule_for(form: &str, lemma: &str) -> Rule {
    let lower = form.to_lowercase();
    let common = |a: &str| {
        a.chars()
            .zip(lemma.chars())
            .take_while(|(x, y)| x == y)
            .count()
    };
    let (use_lower, base) = {
        let (ck, cl) = (common(form), common(&lower));
        if cl > ck {
            (true, lower.as_str())
        } else {
            (false, form)
        }
    };
    let c = common(base);
    let n = base.chars().count();
    Rule {
        lower: use_lower,
        cut: (n - c).min(255) as u8,
        append: lemma.chars().skip(c).collect(),
    }
}

fn apply<'a>(rule: &Rule, form: &'a str) -> Cow<'a, str> {
    if !rule.lower && rule.cut == 0 && rule.append.is_empty() {
        return Cow::Borrowed(form);
    }
    let base: Cow<str> = if rule.lower {
        form.to_lowercase().into()
    } else {
        form.into()
    };
    let n = base.chars().count();
    let keep = n.saturating_sub(rule.cut as usize);
    let end = base.char_indices().nth(keep).map_or(base.len(), |(i, _)| i);
    let mut s = String::with_capacity(end + rule.append.len());
    s.push_str(&base[..end]);
    s.push_str(&rule.append);
    Cow::Owned(s)
}

fn most_frequent(counts: FxHashMap<u64, FxHashMap<u16, u32>>) -> FxHashMap<u64, u16> {
    counts
        .into_iter()
        .filter_map(|(k, c)| {
            c.into_iter()
                .max_by_key(|&(r, n)| (n, std::cmp::Reverse(r)))
                .map(|(r, _)| (k, r))
        })
        .collect()
}

/// Learns a lemmatizer from the gold lemmas and XPOS tags of `train`.
pub fn train(train: &[Sentence]) -> Lemmatizer {
    let mut rule_ids: FxHashMap<Rule, u16> = FxHashMap::default();
    let mut rules = Vec::new();
    let mut words: FxHashMap<u64, FxHashMap<u16, u32>> = FxHashMap::default();
    let mut lower_words: FxHashMap<u64, FxHashMap<u16, u32>> = FxHashMap::default();
    let mut suffixes: FxHashMap<u64, FxHashMap<u16, u32>> = FxHashMap::default();
    for s in train {
        for w in &s.words {
            if w.lemma == "_" && w.form != "_" {
                continue;
            }
            let rule = rule_for(&w.form, &w.lemma);
            let next = rules.len() as u16;
            let id = *rule_ids.entry(rule.clone()).or_insert_with(|| {
                rules.push(rule);
                next
            });
            *words
                .entry(key(&w.form, &w.xpos))
                .or_default()
                .entry(id)
                .or_default() += 1;
            let lower = w.form.to_lowercase();
            *lower_words
                .entry(key(&lower, &w.xpos))
                .or_default()
                .entry(id)
                .or_default() += 1;
            let chars: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
            // Suffixes must leave the cut part inside them, so a rule applies to any word with that suffix.
            let min_k = (rules[id as usize].cut as usize).max(1);
            for k in min_k..=MAX_SUFFIX.min(chars.len()) {
                let suf = &lower[chars[chars.len() - k]..];
                *suffixes
                    .entry(key(suf, &w.xpos))
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
            }
        }
    }
    Lemmatizer {
        rules,
        words: most_frequent(words),
        lower_words: most_frequent(lower_words),
        suffixes: most_frequent(suffixes),
    }
}

impl Lemmatizer {
    /// The lemma of `form` tagged `xpos` (Penn Treebank tag). Borrows `form`
    /// when the lemma is the form itself.
    pub fn lemma<'a>(&self, form: &'a str, xpos: &str) -> Cow<'a, str> {
        if let Some(&r) = self.words.get(&key(form, xpos)) {
            return self.apply(r, form);
        }
        let lower: Cow<str> = if form.chars().any(|c| c.is_uppercase()) {
            form.to_lowercase().into()
        } else {
            form.into()
        };
        if let Some(&r) = self.lower_words.get(&key(&lower, xpos)) {
            return self.apply(r, form);
        }
        // An unseen singular proper noun is its own lemma: suffix rules learnt from
        // abbreviations ("Nov" -> "November") would turn "Ivanov" into "Ivanovember".
        if xpos == "NNP" {
            return Cow::Borrowed(form);
        }
        let chars: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
        for k in (1..=MAX_SUFFIX.min(chars.len())).rev() {
            if let Some(&r) = self
                .suffixes
                .get(&key(&lower[chars[chars.len() - k]..], xpos))
            {
                return self.apply(r, form);
            }
        }
        match xpos {
            "NNP" | "NNPS" => Cow::Borrowed(form),
            _ => lower.into_owned().into(),
        }
    }

    fn apply<'a>(&self, r: u16, form: &'a str) -> Cow<'a, str> {
        match self.rules.get(r as usize) {
            Some(rule) => apply(rule, form),
            None => Cow::Borrowed(form),
        }
    }

    /// Serialised, zstd-compressed bytes of the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        perceptron::to_zst_bytes(self)
    }

    /// Reads a model written by [`Lemmatizer::to_bytes`] or [`Lemmatizer::save`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        perceptron::from_zst_bytes(bytes)
    }

    /// Writes the model to `path` (zstd-compressed bincode).
    pub fn save(&self, path: &std::path::Path) -> Result<(), ModelError> {
        perceptron::save_zst(self, path)
    }

    /// Reads a model written by [`Lemmatizer::save`].
    pub fn load(path: &std::path::Path) -> Result<Lemmatizer, ModelError> {
        perceptron::load_zst(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;

    #[test]
    fn rules_and_round_trip() {
        assert_eq!(apply(&rule_for("studies", "study"), "flies"), "fly");
        assert_eq!(apply(&rule_for("The", "the"), "A"), "a");
        assert_eq!(apply(&rule_for("went", "go"), "went"), "go");
        let sents = conllu::parse(crate::tagger::tests::TOY).expect("toy parses");
        let l = train(&sents);
        let l2 = Lemmatizer::from_bytes(&l.to_bytes().expect("bytes")).expect("loads");
        for (form, xpos, lemma) in [
            ("dogs", "NNS", "dog"),
            ("cats", "NNS", "cat"),
            ("The", "DT", "the"),
            ("jumps", "VBZ", "jump"),
        ] {
            assert_eq!(l.lemma(form, xpos), lemma);
            assert_eq!(l2.lemma(form, xpos), lemma);
        }
        assert_eq!(l.lemma("Paris", "NNP"), "Paris");
    }

    #[test]
    fn an_unseen_proper_noun_keeps_its_form() {
        // A suffix rule learnt from an abbreviation must not rewrite a surname.
        let sents = conllu::parse("1\tNov\tNovember\tPROPN\tNNP\t_\t0\troot\t_\t_\n\n").expect("parses");
        let l = train(&sents);
        assert_eq!(l.lemma("Nov", "NNP"), "November");
        assert_eq!(l.lemma("Ivanov", "NNP"), "Ivanov");
    }
}
