//! The name index: which watchlist entries a name may refer to.
//!
//! Every name and alias of every entry is normalised ([`normalize_name`]) and cut into
//! token keys ([`token_key`]). A lookup tries, strongest first:
//!
//! 1. **Exact**: the query's keys equal a name's keys, in order.
//! 2. **Core** (not for persons): equal after legal forms and generic words are
//!    dropped ("Wagner Group", "PMC Wagner" and "PRIVATE MILITARY COMPANY 'WAGNER'"
//!    all have the core `vagner`); a quoted part of a name ("... 'WAGNER'") is a core
//!    of its own.
//! 3. **Tokens** (persons): every query token matches a different token of one name,
//!    in any order ("Yevgeny Prigozhin" in "PRIGOZHIN, Yevgeniy Viktorovich"); at most
//!    one token may differ by one edit when both are 6 letters or longer
//!    (Aleksandr/Aleksander). The query needs two tokens that are not particles
//!    (al, bin, de, ...).
//!
//! A one-token query (or core) matches only a name that is that one token, and not
//! even then when the token is common: part of the names of more than
//! [`COMMON_TOKEN_ENTRIES`] entries ("Mohammed", "Ali").

use std::collections::{HashMap, HashSet};

use crate::normalize::{name_tokens, normalize_name, token_key, within_one_edit};
use crate::{EntityType, WatchlistEntry};

/// A token in the names of more entries than this is common: it never matches alone.
pub const COMMON_TOKEN_ENTRIES: usize = 20;

/// How a name matched; the derived order is strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// Same words in the same order, after normalisation and transliteration keys.
    Exact,
    /// Same words once legal forms and generic words ("group", "LLC", "PMC") are
    /// dropped; organisations and other non-persons only.
    Core,
    /// Every word of the query is a word of the name (persons).
    Tokens,
    /// As `Tokens`, with one word one edit away.
    TokensFuzzy,
}

/// One entry a lookup found, with the name or alias that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'a> {
    /// The entry.
    pub entry: &'a WatchlistEntry,
    /// Its name or alias that matched.
    pub alias: &'a str,
    /// How.
    pub kind: MatchKind,
}

struct IndexedName {
    entry: u32,
    /// Index into the entry's `names()`.
    name_idx: u32,
    keys: Vec<String>,
}

/// Watchlist entries with their names indexed for [`KbIndex::lookup`]. Built once,
/// read-only afterwards.
pub struct KbIndex {
    entries: Vec<WatchlistEntry>,
    names: Vec<IndexedName>,
    exact: HashMap<String, Vec<u32>>,
    core: HashMap<String, Vec<u32>>,
    /// Token key -> names (of persons) holding it.
    postings: HashMap<String, Vec<u32>>,
    /// Token key -> number of entries with it in a name.
    entry_freq: HashMap<String, usize>,
}

/// Words dropped from organisation names for the core key.
const GENERIC_WORDS: [&str; 38] = [
    "the",
    "group",
    "company",
    "co",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "plc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "jsc",
    "pjsc",
    "ojsc",
    "cjsc",
    "gmbh",
    "ag",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "fze",
    "fzco",
    "llp",
    "lp",
    "pte",
    "pvt",
    "pmc",
    "chvk",
    "чвк",
    "ооо",
];

/// Phrases dropped from organisation names for the core key.
const GENERIC_PHRASES: [&[&str]; 6] = [
    &["private", "military", "company"],
    &["limited", "liability", "company"],
    &["public", "joint", "stock", "company"],
    &["closed", "joint", "stock", "company"],
    &["open", "joint", "stock", "company"],
    &["joint", "stock", "company"],
];

/// Words that do not count towards the two a token match needs.
const PARTICLES: [&str; 17] = [
    "al", "el", "bin", "ibn", "bint", "abu", "abd", "de", "da", "di", "del", "der", "van", "von",
    "la", "le", "mr",
];

fn core_tokens(tokens: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    'outer: while i < tokens.len() {
        for phrase in GENERIC_PHRASES {
            if tokens.len() >= i + phrase.len()
                && tokens[i..i + phrase.len()]
                    .iter()
                    .zip(phrase)
                    .all(|(t, p)| t == p)
            {
                i += phrase.len();
                continue 'outer;
            }
        }
        if !GENERIC_WORDS.contains(&tokens[i].as_str()) {
            out.push(tokens[i].clone());
        }
        i += 1;
    }
    // "S.A." at the end.
    if out.len() > 2 && out[out.len() - 2] == "s" && out[out.len() - 1] == "a" {
        out.truncate(out.len() - 2);
    }
    out
}

fn keys_of(tokens: &[String]) -> Vec<String> {
    tokens.iter().map(|t| token_key(t)).collect()
}

/// The parts of a name between a pair of quotes: «X», "X", “X”, or 'X' when the
/// name holds exactly two single quotes and the first opens a word.
fn quoted_parts(name: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for (open, close) in [('«', '»'), ('"', '"'), ('“', '”')] {
        let mut rest = name;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(b) = after.find(close) else { break };
            parts.push(&after[..b]);
            rest = &after[b + close.len_utf8()..];
        }
    }
    if name.matches('\'').count() == 2 {
        if let (Some(a), Some(b)) = (name.find('\''), name.rfind('\'')) {
            let opens_word = a == 0 || name[..a].ends_with(' ');
            if opens_word && b > a + 1 {
                parts.push(&name[a + 1..b]);
            }
        }
    }
    parts
}

impl KbIndex {
    /// Indexes `entries`, which the index keeps.
    pub fn build(entries: impl IntoIterator<Item = WatchlistEntry>) -> KbIndex {
        let entries: Vec<WatchlistEntry> = entries.into_iter().collect();
        let mut index = KbIndex {
            names: Vec::with_capacity(entries.len() * 3),
            exact: HashMap::new(),
            core: HashMap::new(),
            postings: HashMap::new(),
            entry_freq: HashMap::new(),
            entries: Vec::new(),
        };
        for (entry_idx, entry) in entries.iter().enumerate() {
            let entry_idx = entry_idx as u32;
            let mut entry_keys: HashSet<String> = HashSet::new();
            for (name_idx, name) in entry.names().enumerate() {
                let tokens = name_tokens(name);
                if tokens.is_empty() {
                    continue;
                }
                let keys = keys_of(&tokens);
                let id = index.names.len() as u32;
                index.exact.entry(keys.join(" ")).or_default().push(id);
                if entry.etype == EntityType::Person {
                    let mut seen = HashSet::new();
                    for k in &keys {
                        if seen.insert(k) {
                            index.postings.entry(k.clone()).or_default().push(id);
                        }
                    }
                } else {
                    let mut cores = vec![keys_of(&core_tokens(&tokens)).join(" ")];
                    for part in quoted_parts(name) {
                        cores.push(keys_of(&core_tokens(&name_tokens(part))).join(" "));
                    }
                    cores.sort();
                    cores.dedup();
                    for core in cores.into_iter().filter(|c| !c.is_empty()) {
                        index.core.entry(core).or_default().push(id);
                    }
                }
                entry_keys.extend(keys.iter().cloned());
                index.names.push(IndexedName {
                    entry: entry_idx,
                    name_idx: name_idx as u32,
                    keys,
                });
            }
            for k in entry_keys {
                *index.entry_freq.entry(k).or_default() += 1;
            }
        }
        index.entries = entries;
        index
    }

    /// Every entry, in the order given to [`KbIndex::build`].
    pub fn entries(&self) -> &[WatchlistEntry] {
        &self.entries
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries `name` may refer to, for an actor of type `etype` (entries of
    /// type `Other`, and queries of type `Other`, go with any type); best matches
    /// first, each entry once.
    pub fn lookup(&self, name: &str, etype: EntityType) -> Vec<&WatchlistEntry> {
        self.lookup_matches(name, etype)
            .into_iter()
            .map(|m| m.entry)
            .collect()
    }

    /// As [`KbIndex::lookup`], saying which name matched and how.
    pub fn lookup_matches(&self, name: &str, etype: EntityType) -> Vec<Match<'_>> {
        let tokens = name_tokens(name);
        if tokens.is_empty() {
            return Vec::new();
        }
        let keys = keys_of(&tokens);
        let mut found: Vec<(MatchKind, u32)> = Vec::new();

        let alone_ok = |keys: &[String]| match keys {
            [one] => self.entry_freq.get(one).copied().unwrap_or(0) <= COMMON_TOKEN_ENTRIES,
            _ => true,
        };
        if alone_ok(&keys) {
            for &id in self.exact.get(&keys.join(" ")).into_iter().flatten() {
                found.push((MatchKind::Exact, id));
            }
        }
        if etype != EntityType::Person {
            let core = keys_of(&core_tokens(&tokens));
            if !core.is_empty() && alone_ok(&core) {
                for &id in self.core.get(&core.join(" ")).into_iter().flatten() {
                    found.push((MatchKind::Core, id));
                }
            }
        }
        if matches!(etype, EntityType::Person | EntityType::Other) {
            self.token_matches(&tokens, &keys, &mut found);
        }

        found.sort_by_key(|&(kind, id)| (self.names[id as usize].entry, kind));
        let mut out: Vec<Match<'_>> = Vec::new();
        let mut last_entry = None;
        for (kind, id) in found {
            let n = &self.names[id as usize];
            if last_entry == Some(n.entry) {
                continue;
            }
            let entry = &self.entries[n.entry as usize];
            if !entry.etype.compatible(etype) {
                continue;
            }
            last_entry = Some(n.entry);
            let alias = entry
                .names()
                .nth(n.name_idx as usize)
                .unwrap_or(entry.name.as_str());
            out.push(Match { entry, alias, kind });
        }
        out.sort_by_key(|m| m.kind);
        out
    }

    fn token_matches(&self, tokens: &[String], keys: &[String], found: &mut Vec<(MatchKind, u32)>) {
        let content = tokens
            .iter()
            .filter(|t| t.chars().count() >= 2 && !PARTICLES.contains(&t.as_str()))
            .count();
        if content < 2 {
            return;
        }
        // At most one token may match fuzzily, so a match holds at least one of the
        // two rarest tokens exactly.
        let mut lists: Vec<&Vec<u32>> = keys.iter().filter_map(|k| self.postings.get(k)).collect();
        if lists.len() + 1 < keys.len() {
            return;
        }
        lists.sort_by_key(|l| l.len());
        let mut candidates: Vec<u32> = lists
            .iter()
            .take(2)
            .flat_map(|l| l.iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for id in candidates {
            let name_keys = &self.names[id as usize].keys;
            if let Some(kind) = covers(name_keys, keys) {
                found.push((kind, id));
            }
        }
    }
}

/// Whether every query key matches a different key of the name: exactly, or (once)
/// within one edit when both are 6 characters or longer and start alike.
fn covers(name_keys: &[String], query: &[String]) -> Option<MatchKind> {
    if query.len() > name_keys.len() {
        return None;
    }
    let mut used = vec![false; name_keys.len()];
    let mut pending = Vec::new();
    for q in query {
        match name_keys
            .iter()
            .enumerate()
            .position(|(i, k)| !used[i] && k == q)
        {
            Some(i) => used[i] = true,
            None => pending.push(q),
        }
    }
    match pending.as_slice() {
        [] => Some(MatchKind::Tokens),
        [q] => {
            let long = |s: &str| s.chars().count() >= 6 && s.chars().all(char::is_alphabetic);
            let first = |s: &str| s.chars().next();
            let i = name_keys.iter().enumerate().position(|(i, k)| {
                !used[i] && long(k) && long(q) && first(k) == first(q) && within_one_edit(k, q)
            })?;
            used[i] = true;
            Some(MatchKind::TokensFuzzy)
        }
        _ => None,
    }
}

/// The normalised form a name is indexed under (for callers that want to group by
/// it): [`normalize_name`] then token keys, joined by spaces.
pub(crate) fn _index_key(name: &str) -> String {
    keys_of(&name_tokens(&normalize_name(name))).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, etype: EntityType, name: &str, aliases: &[&str]) -> WatchlistEntry {
        let mut e = WatchlistEntry::new("test", id, etype, name);
        for a in aliases {
            e.push_alias(a);
        }
        e
    }

    fn index() -> KbIndex {
        KbIndex::build([
            entry(
                "21171",
                EntityType::Person,
                "Yevgeniy Viktorovich Prigozhin",
                &["PRIGOZHIN, Yevgeniy Viktorovich"],
            ),
            entry(
                "22543",
                EntityType::Organization,
                "PRIVATE MILITARY COMPANY 'WAGNER'",
                &[],
            ),
            entry(
                "22544",
                EntityType::Person,
                "Dmitriy Valeryevich Utkin",
                &["UTKIN, Dmitriy Valeryevich"],
            ),
            entry("p1", EntityType::Person, "Dmitry Sergeyevich Peskov", &[]),
            entry(
                "o1",
                EntityType::Organization,
                "INTERNET RESEARCH AGENCY LLC",
                &[],
            ),
            entry("o2", EntityType::Organization, "WAGNER TRADING LTD", &[]),
            entry("b1", EntityType::Place, "Belarus", &[]),
            entry(
                "b2",
                EntityType::Organization,
                "Ministry of Defence of Belarus",
                &["Belarus' defense ministry"],
            ),
            entry("a1", EntityType::Person, "Aleksander Ivanov", &[]),
            entry("v1", EntityType::Person, "Vladimir Putin", &["Putin"]),
        ])
    }

    fn ids(index: &KbIndex, name: &str, etype: EntityType) -> Vec<String> {
        index
            .lookup(name, etype)
            .into_iter()
            .map(|e| e.id.clone())
            .collect()
    }

    #[test]
    fn persons_by_tokens_in_any_order() {
        let ix = index();
        for q in [
            "Yevgeny Prigozhin",
            "Evgeny Prigozhin",
            "PRIGOZHIN, Yevgeniy Viktorovich",
            "prigozhin evgenii",
        ] {
            assert_eq!(ids(&ix, q, EntityType::Person), ["21171"], "{q}");
        }
        assert_eq!(ids(&ix, "Dmitry Utkin", EntityType::Person), ["22544"]);
        assert_eq!(ids(&ix, "Dmitry Peskov", EntityType::Person), ["p1"]);
        assert_eq!(ids(&ix, "Aleksandr Ivanov", EntityType::Person), ["a1"]);
        let m = ix.lookup_matches("Aleksandr Ivanov", EntityType::Person);
        assert_eq!(m[0].kind, MatchKind::TokensFuzzy);
    }

    #[test]
    fn never_on_one_shared_token() {
        let ix = index();
        assert!(ids(&ix, "Dmitry", EntityType::Person).is_empty());
        assert!(ids(&ix, "Prigozhin", EntityType::Person).is_empty());
        assert!(ids(&ix, "Dmitry Medvedev", EntityType::Person).is_empty());
        assert!(ids(&ix, "Research Agency", EntityType::Organization).is_empty());
        assert!(ids(&ix, "Belarus", EntityType::Organization).is_empty());
        // A one-word alias that the list gives is an exact match.
        assert_eq!(ids(&ix, "Putin", EntityType::Person), ["v1"]);
    }

    #[test]
    fn organisations_by_core() {
        let ix = index();
        for q in [
            "Wagner Group",
            "PMC Wagner",
            "Wagner",
            "the Wagner group",
            "ЧВК Wagner",
            "Vagner",
        ] {
            assert_eq!(ids(&ix, q, EntityType::Organization), ["22543"], "{q}");
        }
        assert_eq!(
            ids(&ix, "Internet Research Agency", EntityType::Organization),
            ["o1"]
        );
        assert_eq!(
            ids(&ix, "Belarus' defense ministry", EntityType::Organization),
            ["b2"]
        );
        assert_eq!(ids(&ix, "Belarus", EntityType::Place), ["b1"]);
        // Types keep persons and organisations apart.
        assert!(ids(&ix, "Wagner Group", EntityType::Person).is_empty());
        assert!(ids(&ix, "Yevgeny Prigozhin", EntityType::Organization).is_empty());
    }

    #[test]
    fn common_tokens_never_match_alone() {
        let surnames = [
            "Abbas", "Bakr", "Chaudhry", "Dawood", "Efendi", "Farouk", "Ghani", "Hassan", "Iqbal",
            "Jaber", "Karim", "Latif", "Mansour", "Nasser", "Omar", "Qasim", "Rahman", "Saleh",
            "Tahir", "Uthman", "Yusuf",
        ];
        assert!(surnames.len() > COMMON_TOKEN_ENTRIES);
        let mut entries: Vec<WatchlistEntry> = surnames
            .iter()
            .map(|s| entry(s, EntityType::Person, &format!("Mohammed {s}"), &[]))
            .collect();
        entries.push(entry("solo", EntityType::Person, "Mohammed", &[]));
        let ix = KbIndex::build(entries);
        assert!(ids(&ix, "Mohammed", EntityType::Person).is_empty());
        assert_eq!(ids(&ix, "Mohamed Karim", EntityType::Person), ["Karim"]);
    }

    #[test]
    fn quoted_parts_of_names() {
        assert_eq!(
            quoted_parts("PRIVATE MILITARY COMPANY 'WAGNER'"),
            ["WAGNER"]
        );
        assert_eq!(quoted_parts("OOO «Concord»"), ["Concord"]);
        assert!(quoted_parts("AL-QA'IDA").is_empty());
    }
}
