//! Resolution time at growing corpus sizes, on synthetic mentions.
//!
//! `cargo run --release -p dossier-actors --example scale [SIZES...]`
//! prints one JSON line per size (`mentions`, `docs`, `entities`, `ms`: CPU
//! time of the resolving thread, best of a few runs; `wall_ms`) and then one line of ratios: `per_doubling` is
//! `ms(2n) / ms(n)` for each measured doubling (2.0 is linear), and
//! `per_doubling_normalised` divides that by 2 (1.0 is linear; the issue's
//! bar is <= ~1.3).
//!
//! The corpus: documents of ~40 mentions, an actor pool that grows with the
//! corpus (one actor per ~25 mentions) plus 20 "hot" actors in a third of
//! all documents. Persons come with transliteration variants (Sergei /
//! Sergey, Yevgeny / Evgeny / Yevgeniy, ...), surname-only mentions, titles
//! and rare one-letter typos; organisations with descriptive heads ("X
//! Group", "PMC X"), parenthesised acronyms and v/w spellings; places.

use std::time::Instant;

use dossier_actors::{resolve, Config, DocInput, EntityType, Mention};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const GIVEN: &[&[&str]] = &[
    &["Sergei", "Sergey"],
    &["Yevgeny", "Evgeny", "Yevgeniy", "Evgeniy"],
    &["Dmitry", "Dmitri", "Dmitriy"],
    &["Yury", "Yuri", "Yuriy"],
    &["Alexey", "Aleksey", "Alexei"],
    &["Anton"],
    &["Tatiana", "Tatyana"],
    &["Mikhail", "Mihail"],
    &["Nikolai", "Nikolay"],
    &["Anna"],
    &["Olga"],
    &["Ivan"],
];
const SYLLABLES: &[&str] = &[
    "ko", "ra", "lev", "mi", "sha", "tor", "vin", "go", "da", "zan", "pe", "sko", "lu", "ka",
    "dro", "ber", "na", "vo", "ri", "tin", "sel", "mor", "ga", "chu", "bek", "ol",
];
const ORG_HEADS: &[&str] = &[
    "Group",
    "Company",
    "Agency",
    "Council",
    "Foundation",
    "Bank",
];

fn word(rng: &mut Rng, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
    }
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => w,
    }
}

enum Actor {
    Person {
        given: usize,
        surname: String,
    },
    Org {
        words: Vec<String>,
        head: &'static str,
    },
    Place {
        name: String,
    },
}

fn actor(rng: &mut Rng) -> Actor {
    match rng.below(20) {
        0..=11 => Actor::Person {
            given: rng.below(GIVEN.len()),
            surname: word(rng, 4) + "ov",
        },
        12..=16 => {
            let n = 1 + rng.below(3);
            let words = (0..n)
                .map(|_| {
                    let syllables = 3 + rng.below(2);
                    word(rng, syllables)
                })
                .collect();
            Actor::Org {
                words,
                head: ORG_HEADS[rng.below(ORG_HEADS.len())],
            }
        }
        _ => Actor::Place { name: word(rng, 4) },
    }
}

fn typo(rng: &mut Rng, w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 6 {
        return w.to_string();
    }
    let k = 1 + rng.below(chars.len() - 2);
    chars
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != k)
        .map(|(_, c)| c)
        .collect()
}

/// Mentions of one actor in a document: (surface, type, optional text to
/// put just before it).
fn mention(rng: &mut Rng, a: &Actor, first: bool) -> (String, EntityType, &'static str) {
    match a {
        Actor::Person { given, surname } => {
            let variants = GIVEN[*given];
            let g = if rng.chance(85) {
                variants[0]
            } else {
                variants[rng.below(variants.len())]
            };
            let sur = if rng.chance(1) {
                typo(rng, surname)
            } else {
                surname.clone()
            };
            let title = if rng.chance(10) {
                "Defense Minister "
            } else {
                ""
            };
            if first || rng.chance(50) {
                (format!("{g} {sur}"), EntityType::Person, title)
            } else {
                (sur, EntityType::Person, "")
            }
        }
        Actor::Org { words, head } => {
            let base = words.join(" ");
            let r = rng.below(10);
            let text = if words.len() >= 2 && r == 0 && !first {
                words
                    .iter()
                    .map(|w| w.chars().next().unwrap_or('X'))
                    .chain(head.chars().next())
                    .collect()
            } else if r == 1 {
                format!("PMC {base}")
            } else if r == 2 {
                base.replacen('V', "W", 1)
            } else {
                format!("{base} {head}")
            };
            (text, EntityType::Org, "")
        }
        Actor::Place { name } => (
            name.clone(),
            if rng.chance(90) {
                EntityType::Gpe
            } else {
                EntityType::Loc
            },
            "",
        ),
    }
}

fn corpus(n_mentions: usize, seed: u64) -> Vec<(String, Vec<Mention>)> {
    let mut rng = Rng(seed);
    let n_actors = (n_mentions / 25).max(30);
    let actors: Vec<Actor> = (0..n_actors).map(|_| actor(&mut rng)).collect();
    let per_doc = 40;
    let n_docs = n_mentions.div_ceil(per_doc);
    let mut docs = Vec::with_capacity(n_docs);
    let mut left = n_mentions;
    for _ in 0..n_docs {
        let here = per_doc.min(left);
        left -= here;
        // ~8 actors a document; the first 20 actors are hot.
        let mut cast: Vec<usize> = (0..8).map(|_| 20 + rng.below(n_actors - 20)).collect();
        if rng.chance(33) {
            cast[0] = rng.below(20);
        }
        let mut text = String::new();
        let mut mentions = Vec::with_capacity(here);
        let mut seen = vec![false; cast.len()];
        for k in 0..here {
            let slot = rng.below(cast.len());
            let (surface, etype, before) = mention(&mut rng, &actors[cast[slot]], !seen[slot]);
            seen[slot] = true;
            text.push_str(before);
            let start = text.len();
            text.push_str(&surface);
            let end = text.len();
            // Parenthesised acronyms after a first organisation mention.
            if let (EntityType::Org, Actor::Org { words, head }) = (etype, &actors[cast[slot]]) {
                if words.len() >= 2 && rng.chance(20) {
                    let acr: String = words
                        .iter()
                        .map(|w| w.chars().next().unwrap_or('X'))
                        .chain(head.chars().next())
                        .collect();
                    text.push_str(&format!(" ({acr})"));
                }
            }
            text.push_str(if k % 4 == 3 { " said. " } else { " met " });
            mentions.push(Mention {
                start,
                end,
                text: surface,
                etype,
                sentence: k / 4,
            });
        }
        docs.push((text, mentions));
    }
    docs
}

/// Time this thread has spent on a CPU, in ms (Linux schedstat), so that
/// other processes on a shared machine disturb the figures less; wall time
/// where that is not available.
fn cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 20_000, 100_000, 200_000, 1_000_000, 2_000_000]
    } else {
        sizes
    };
    let mut timings: Vec<(usize, f64)> = Vec::new();
    for &n in &sizes {
        let docs = corpus(n, 42);
        let inputs: Vec<DocInput<'_>> = docs
            .iter()
            .map(|(t, m)| DocInput {
                text: t,
                mentions: m,
            })
            .collect();
        // Best of a few runs for the small sizes, one for the large.
        let repeats = if n <= 20_000 {
            5
        } else if n <= 200_000 {
            2
        } else {
            1
        };
        let mut best = f64::INFINITY;
        let mut best_wall = f64::INFINITY;
        let mut n_entities = 0;
        for _ in 0..repeats {
            let (t, c) = (Instant::now(), cpu_ms());
            let res = resolve(&inputs, &[], &Config::default());
            let wall = t.elapsed().as_secs_f64() * 1000.0;
            best_wall = best_wall.min(wall);
            best = best.min(match (c, cpu_ms()) {
                (Some(a), Some(b)) => b - a,
                _ => wall,
            });
            n_entities = res.entities.len();
            let n_out: usize = res.entities.iter().map(|e| e.mentions().len()).sum();
            assert_eq!(n_out, n, "every mention in one entity");
        }
        println!(
            "{{\"mentions\":{n},\"docs\":{},\"entities\":{n_entities},\"ms\":{best:.1},\"wall_ms\":{best_wall:.1},\"us_per_mention\":{:.3}}}",
            docs.len(),
            best * 1000.0 / n as f64
        );
        timings.push((n, best));
    }
    let mut ratios = Vec::new();
    for &(n, ms) in &timings {
        if let Some(&(_, ms2)) = timings.iter().find(|(m, _)| *m == 2 * n) {
            ratios.push(format!(
                "{{\"from\":{n},\"to\":{},\"per_doubling\":{:.2},\"per_doubling_normalised\":{:.2}}}",
                2 * n,
                ms2 / ms,
                ms2 / ms / 2.0
            ));
        }
        if let Some(&(_, ms10)) = timings.iter().find(|(m, _)| *m == 10 * n) {
            let per_doubling = (ms10 / ms).powf(2f64.ln() / 10f64.ln());
            ratios.push(format!(
                "{{\"from\":{n},\"to\":{},\"per_doubling\":{:.2},\"per_doubling_normalised\":{:.2}}}",
                10 * n,
                per_doubling,
                per_doubling / 2.0
            ));
        }
    }
    println!("{{\"ratios\":[{}]}}", ratios.join(","));
}
