//! The resolver: units, their keys, the rule passes over one constrained
//! union-find, judgements, and the entities built from the final sets.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::context::{self, ParenTarget};
use crate::names::{self, CleanName};
use crate::unionfind::UnionFind;
use crate::{
    Config, Conflict, DocInput, Entity, EntityId, EntityType, Judgement, MentionRef, OrgKind,
    Resolution, Role,
};

/// Resolves the mentions of a corpus into entities.
///
/// `docs` are the documents in a fixed order (the order is part of the
/// input: entity order and id tie-breaks follow it); `judgements` are the
/// human merges, splits and distinctions to honour, applied on every run.
/// Never fails: judgements that cannot be applied are returned as
/// [`Conflict`]s, and mentions with bad spans still resolve by their text.
pub fn resolve(docs: &[DocInput<'_>], judgements: &[Judgement], config: &Config) -> Resolution {
    let prep = Prepared::new(docs);
    let mut conflicts = Vec::new();
    let sides = distinct_sides(&prep, judgements, &mut conflicts);
    let no_tags = vec![0u32; prep.units.len()];
    let mut uf = run_pass(&prep, &sides, &no_tags, config);
    let tags = split_tags(&prep, &mut uf, judgements, &mut conflicts);
    if tags.iter().any(|&t| t != 0) {
        uf = run_pass(&prep, &sides, &tags, config);
    }
    apply_merges(&prep, &mut uf, judgements, &mut conflicts);
    conflicts.sort_by_key(|c| c.judgement);
    build(docs, &prep, &mut uf, conflicts)
}

/// String keys, interned to dense ids.
#[derive(Default)]
struct Interner {
    map: FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.map.len() as u32;
        self.map.insert(s.to_owned(), i);
        i
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }
}

/// The mentions of one document sharing a type and a normalised name.
#[derive(Default)]
struct Unit {
    doc: u32,
    etype: Option<EntityType>,
    /// Interned alias key.
    alias: u32,
    mentions: Vec<u32>,
    /// Extra aliases: epithets and parenthesised forms.
    extra: Vec<String>,
    /// Index of the keys of its name in `Prepared::base_keys` (shared by
    /// every unit of that type and name).
    base: u32,
    /// Keys of its extra aliases.
    own: Keys,
}

/// What a unit can be matched by.
#[derive(Default, Clone)]
struct Keys {
    /// Keys that identify an actor corpus-wide.
    strong: Vec<u32>,
    /// Keys a lone short form looks up (surname, acronym).
    weak_seek: Vec<u32>,
    /// Keys a full form answers to (its surname, its initials).
    weak_own: Vec<u32>,
    /// Within a document: the suffixes of a full name.
    suffix_own: Vec<u32>,
    /// Within a document: the name as a suffix to look up.
    whole: Option<u32>,
    /// Within a document: the acronym to look up.
    acronym: Option<u32>,
    /// Tokens a near miss may vary one of.
    fuzzy: Vec<String>,
    /// The descriptive head an organisation name dropped ("group").
    head: Option<String>,
}

/// Everything computed once from the input, shared by both passes.
struct Prepared {
    units: Vec<Unit>,
    base_keys: Vec<Keys>,
    /// Units of doc d are `doc_units[d]..doc_units[d + 1]`.
    doc_units: Vec<u32>,
    /// Per global mention: its reference, unit, and cleaned name.
    mention_ref: Vec<MentionRef>,
    mention_unit: Vec<u32>,
    mention_name: Vec<u32>,
    names: Vec<CleanName>,
    /// Explicit links within a document (parentheses, epithets).
    links: Vec<(u32, u32)>,
    /// Units barred from the within-document suffix rule (ORG names that
    /// are also a place or nationality in the document).
    no_suffix: Vec<bool>,
    /// Alias key -> units bearing it (main or extra alias).
    by_alias: FxHashMap<u32, Vec<u32>>,
    interner: Interner,
    roles: Vec<(u32, context::RawRole)>,
    kinds: Vec<(u32, OrgKind)>,
}

impl Prepared {
    fn new(docs: &[DocInput<'_>]) -> Prepared {
        let mut interner = Interner::default();
        let mut names: Vec<CleanName> = Vec::new();
        let mut name_alias: Vec<u32> = Vec::new();
        let mut name_cache: FxHashMap<(EntityType, &str), u32> = FxHashMap::default();
        let mut keys_cache: FxHashMap<(EntityType, u32), u32> = FxHashMap::default();
        let mut base_keys: Vec<Keys> = Vec::new();
        let mut units: Vec<Unit> = Vec::new();
        let mut doc_units = vec![0u32];
        let mut mention_ref = Vec::new();
        let mut mention_unit = Vec::new();
        let mut mention_name = Vec::new();
        let mut links = Vec::new();
        let mut no_suffix = Vec::new();
        let mut roles = Vec::new();
        let mut kinds = Vec::new();
        let mut doc_map: FxHashMap<(EntityType, u32), u32> = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            doc_map.clear();
            let first_mention = mention_ref.len();
            let mut local_units: Vec<u32> = Vec::with_capacity(doc.mentions.len());
            for (k, m) in doc.mentions.iter().enumerate() {
                let name_idx = *name_cache
                    .entry((m.etype, m.text.as_str()))
                    .or_insert_with(|| {
                        let c = names::clean(&m.text, m.etype);
                        let key = names::alias_key(&c.display);
                        name_alias.push(interner.id(&key));
                        names.push(c);
                        (names.len() - 1) as u32
                    });
                let alias = name_alias[name_idx as usize];
                let unit = *doc_map.entry((m.etype, alias)).or_insert_with(|| {
                    let base = *keys_cache.entry((m.etype, alias)).or_insert_with(|| {
                        let c = &names[name_idx as usize];
                        let mut keys = Keys::default();
                        keys_for(
                            m.etype,
                            &names::alias_key(&c.display),
                            &c.display,
                            &mut interner,
                            &mut keys,
                        );
                        base_keys.push(keys);
                        (base_keys.len() - 1) as u32
                    });
                    units.push(Unit {
                        doc: d as u32,
                        etype: Some(m.etype),
                        alias,
                        base,
                        ..Unit::default()
                    });
                    (units.len() - 1) as u32
                });
                units[unit as usize].mentions.push(mention_ref.len() as u32);
                mention_ref.push(MentionRef {
                    doc: d,
                    mention: k,
                    start: m.start,
                    end: m.end,
                });
                mention_unit.push(unit);
                mention_name.push(name_idx);
                local_units.push(unit);
            }
            let cleaned: Vec<&CleanName> = (first_mention..mention_ref.len())
                .map(|g| &names[mention_name[g] as usize])
                .collect();
            let cx = context::analyse(doc.text, doc.mentions, &cleaned);
            for r in cx.roles {
                roles.push((d as u32, r));
            }
            for (m, kind) in cx.kinds {
                kinds.push((local_units[m], kind));
            }
            for (m, target) in cx.parens {
                let u = local_units[m];
                match target {
                    ParenTarget::Mention(j) => {
                        let v = local_units[j];
                        let (a, b) = (&units[u as usize], &units[v as usize]);
                        let persons = (a.etype == Some(EntityType::Person)) as u8
                            + (b.etype == Some(EntityType::Person)) as u8;
                        if u != v && persons != 1 {
                            links.push((u, v));
                        }
                    }
                    ParenTarget::Alias(text) => {
                        add_extra(&mut units[u as usize], &text, false, &mut interner)
                    }
                }
            }
            for (m, epithet) in cx.epithets {
                let u = local_units[m];
                add_extra(&mut units[u as usize], &epithet, true, &mut interner);
                // A mention of the epithet itself joins the person.
                let key = interner.id(&names::alias_key(&epithet));
                if let Some(&v) = doc_map.get(&(EntityType::Person, key)) {
                    if v != u {
                        links.push((u, v));
                    }
                }
            }
            // ORG names that are also a place or nationality here.
            let lo = doc_units[d] as usize;
            let place_aliases: Vec<u32> = units[lo..]
                .iter()
                .filter(|u| matches!(u.etype.map(EntityType::class), Some('L' | 'N')))
                .map(|u| u.alias)
                .collect();
            for u in &units[lo..] {
                no_suffix
                    .push(u.etype == Some(EntityType::Org) && place_aliases.contains(&u.alias));
            }
            doc_units.push(units.len() as u32);
        }
        let mut by_alias: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, u) in units.iter().enumerate() {
            by_alias.entry(u.alias).or_default().push(i as u32);
            for e in &u.extra {
                let id = interner.id(&names::alias_key(e));
                if id != u.alias {
                    by_alias.entry(id).or_default().push(i as u32);
                }
            }
        }
        Prepared {
            units,
            base_keys,
            doc_units,
            mention_ref,
            mention_unit,
            mention_name,
            names,
            links,
            no_suffix,
            by_alias,
            interner,
            roles,
            kinds,
        }
    }

    fn base(&self, u: usize) -> &Keys {
        &self.base_keys[self.units[u].base as usize]
    }

    fn strong(&self, u: usize) -> impl Iterator<Item = u32> + '_ {
        self.base(u)
            .strong
            .iter()
            .chain(&self.units[u].own.strong)
            .copied()
    }

    fn weak_own(&self, u: usize) -> impl Iterator<Item = u32> + '_ {
        self.base(u)
            .weak_own
            .iter()
            .chain(&self.units[u].own.weak_own)
            .copied()
    }

    fn weak_seek(&self, u: usize) -> impl Iterator<Item = u32> + '_ {
        self.base(u)
            .weak_seek
            .iter()
            .chain(&self.units[u].own.weak_seek)
            .copied()
    }

    fn doc_range(&self, d: usize) -> std::ops::Range<usize> {
        self.doc_units[d] as usize..self.doc_units[d + 1] as usize
    }

    fn n_docs(&self) -> usize {
        self.doc_units.len() - 1
    }

    fn units_named(&self, name: &str) -> &[u32] {
        self.interner
            .get(&names::alias_key(name))
            .and_then(|id| self.by_alias.get(&id))
            .map_or(&[], |v| v.as_slice())
    }
}

/// An epithet or parenthesised form becomes an alias of a unit, with the
/// keys it would have as a name of the unit's type.
fn add_extra(unit: &mut Unit, text: &str, epithet: bool, interner: &mut Interner) {
    let display = names::clean(text, EntityType::Org).display;
    let key = names::alias_key(&display);
    if key.is_empty() || unit.extra.contains(&display) {
        return;
    }
    let etype = unit.etype.unwrap_or(EntityType::Org);
    let mut k = Keys::default();
    keys_for(etype, &key, &display, interner, &mut k);
    if epithet {
        // An epithet is matched only as a whole, never as a surname.
        let strong = if k.strong.is_empty() {
            vec![interner.id(&format!("E|{key}"))]
        } else {
            k.strong
        };
        unit.own.strong.extend(strong);
    } else if names::acronym(&display).is_some() {
        let class = etype.class();
        if let Some(a) = names::acronym(&display) {
            unit.own
                .weak_own
                .push(interner.id(&format!("A|{class}|{a}")));
        }
    } else {
        unit.own.strong.extend(k.strong);
        unit.own.weak_own.extend(k.weak_own);
    }
    unit.extra.push(display);
}

/// The keys of a name of a given type.
fn keys_for(etype: EntityType, key: &str, display: &str, ki: &mut Interner, k: &mut Keys) {
    let tokens: Vec<&str> = key.split(' ').filter(|t| !t.is_empty()).collect();
    if tokens.is_empty() {
        return;
    }
    let class = etype.class();
    let translit = |ts: &[&str]| -> Vec<String> {
        ts.iter()
            .map(|t| names::translit(t))
            .filter(|t| !t.is_empty())
            .collect()
    };
    match class {
        'P' => {
            let tk = translit(&names::person_words(&tokens));
            match tk.len() {
                0 => {}
                1 => {
                    k.weak_seek.push(ki.id(&format!("S|{}", tk[0])));
                    k.fuzzy = tk.clone();
                }
                n => {
                    k.strong.push(ki.id(&format!("P|{}|{}", tk[0], tk[n - 1])));
                    k.weak_own.push(ki.id(&format!("S|{}", tk[n - 1])));
                    for j in 1..n {
                        k.suffix_own
                            .push(ki.id(&format!("P~{}", tk[j..].join(" "))));
                    }
                    k.fuzzy = vec![tk[0].clone(), tk[n - 1].clone()];
                }
            }
            if !tk.is_empty() {
                k.whole = Some(ki.id(&format!("P~{}", tk.join(" "))));
            }
        }
        'O' | 'L' => {
            if let Some(a) = names::acronym(display) {
                let id = ki.id(&format!("A|{class}|{a}"));
                k.weak_seek.push(id);
                k.acronym = Some(id);
                return;
            }
            if class == 'O' {
                let (sig, head) = names::org_signature(&tokens);
                if sig.is_empty() {
                    k.strong.push(ki.id(&format!("O=|{key}")));
                } else {
                    k.strong.push(ki.id(&format!("O|{}", sig.join(" "))));
                }
                k.fuzzy = sig;
                k.head = head;
                let words: Vec<&str> = tokens.iter().copied().skip_while(|t| *t == "the").collect();
                let tt = translit(&words);
                for j in 1..tt.len() {
                    k.suffix_own
                        .push(ki.id(&format!("O~{}", tt[j..].join(" "))));
                }
                if !tt.is_empty() && names::has_distinctive_org_word(&words) {
                    k.whole = Some(ki.id(&format!("O~{}", tt.join(" "))));
                }
            } else {
                let tt = translit(&names::place_words(&tokens));
                k.strong.push(ki.id(&format!("L|{}", tt.join(" "))));
                k.fuzzy = tt;
            }
            if tokens.len() >= 2 {
                for ini in names::initials(&tokens) {
                    if ini.chars().count() >= 2 {
                        let id = ki.id(&format!("A|{class}|{ini}"));
                        if !k.weak_own.contains(&id) {
                            k.weak_own.push(id);
                        }
                    }
                }
            }
        }
        _ => {
            let tt = translit(&tokens);
            k.strong.push(ki.id(&format!("{class}|{}", tt.join(" "))));
            k.fuzzy = tt;
        }
    }
}

/// Constraint sides of `Distinct` judgements: (unit, side).
fn distinct_sides(
    prep: &Prepared,
    judgements: &[Judgement],
    conflicts: &mut Vec<Conflict>,
) -> Vec<(u32, u32)> {
    let mut sides = Vec::new();
    for (j, judgement) in judgements.iter().enumerate() {
        let Judgement::Distinct(a, b) = judgement else {
            continue;
        };
        let (ua, ub) = (prep.units_named(a), prep.units_named(b));
        if ua.is_empty() || ub.is_empty() {
            let missing = if ua.is_empty() { a } else { b };
            conflicts.push(Conflict {
                judgement: j,
                reason: format!("no entity is called {missing:?}"),
            });
            continue;
        }
        if names::alias_key(a) == names::alias_key(b) {
            conflicts.push(Conflict {
                judgement: j,
                reason: format!("{a:?} and {b:?} are the same name"),
            });
            continue;
        }
        for &u in ua {
            if !ub.contains(&u) {
                sides.push((u, 2 * j as u32));
            }
        }
        for &u in ub {
            if !ua.contains(&u) {
                sides.push((u, 2 * j as u32 + 1));
            }
        }
    }
    sides
}

/// After a first pass: the units each `Split` takes out of its entity get
/// one isolation tag per judgement.
#[allow(clippy::needless_range_loop)]
fn split_tags(
    prep: &Prepared,
    uf: &mut UnionFind,
    judgements: &[Judgement],
    conflicts: &mut Vec<Conflict>,
) -> Vec<u32> {
    let mut tags = vec![0u32; prep.units.len()];
    for (j, judgement) in judgements.iter().enumerate() {
        let Judgement::Split { entity, alias } = judgement else {
            continue;
        };
        let alias_id = prep.interner.get(&names::alias_key(alias));
        let mut roots: Vec<usize> = prep
            .units_named(entity)
            .iter()
            .map(|&u| uf.find(u as usize))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        let mut has_other = vec![false; roots.len()];
        for u in 0..prep.units.len() {
            if Some(prep.units[u].alias) != alias_id {
                if let Ok(k) = roots.binary_search(&uf.find(u)) {
                    has_other[k] = true;
                }
            }
        }
        let mut n_moved = 0;
        for u in 0..prep.units.len() {
            if Some(prep.units[u].alias) != alias_id {
                continue;
            }
            // Leave only when something else stays behind.
            if let Ok(k) = roots.binary_search(&uf.find(u)) {
                if has_other[k] {
                    tags[u] = j as u32 + 1;
                    n_moved += 1;
                }
            }
        }
        if n_moved == 0 {
            conflicts.push(Conflict {
                judgement: j,
                reason: format!(
                    "no entity called {entity:?} has other names than {alias:?} to keep"
                ),
            });
        }
    }
    tags
}

/// One full run of the rules over a fresh union-find.
#[allow(clippy::needless_range_loop)]
fn run_pass(prep: &Prepared, sides: &[(u32, u32)], tags: &[u32], config: &Config) -> UnionFind {
    let n = prep.units.len();
    let mut uf = UnionFind::new(n);
    for &(u, side) in sides {
        uf.add_side(u as usize, side);
    }
    for (u, &t) in tags.iter().enumerate() {
        if t != 0 {
            uf.set_tag(u, t);
        }
    }
    // 1. Explicit links: parentheses and epithets.
    for &(a, b) in &prep.links {
        uf.union(a as usize, b as usize);
    }
    // 2. Within each document: short forms and acronyms.
    let mut demoted = vec![false; n];
    within_documents(prep, &mut uf, &mut demoted);
    // 3. Strong keys, corpus-wide.
    let mut entries: Vec<(u32, u32)> = Vec::new();
    for u in 0..n {
        if !demoted[u] {
            entries.extend(prep.strong(u).map(|k| (k, u as u32)));
        }
    }
    entries.sort_unstable();
    entries.dedup();
    for group in entries.chunk_by(|a, b| a.0 == b.0) {
        for w in group.windows(2) {
            if !uf.union(w[0].1 as usize, w[1].1 as usize) {
                // Keep the rest of the group together with its first member.
                uf.union(group[0].1 as usize, w[1].1 as usize);
            }
        }
    }
    // 4. Weak keys: lone short forms join the one entity that owns them.
    weak_keys(prep, &mut uf);
    // 5. Near misses.
    if config.near_misses {
        near_misses(prep, &mut uf, config);
    }
    // Units one Split took out form one entity.
    let mut tagged: Vec<(u32, usize)> = tags
        .iter()
        .enumerate()
        .filter(|(_, &t)| t != 0)
        .map(|(u, &t)| (t, u))
        .collect();
    tagged.sort_unstable();
    for group in tagged.chunk_by(|a, b| a.0 == b.0) {
        for w in group.windows(2) {
            uf.union(w[0].1, w[1].1);
        }
    }
    uf
}

/// Within-document rules: a name that is the suffix of exactly one longer
/// name (persons: "Shoigu"; organisations: "Security Council"), an acronym
/// that is the initials of exactly one name. A short form that joined this
/// way is demoted: its own strong key no longer links it across documents.
fn within_documents(prep: &Prepared, uf: &mut UnionFind, demoted: &mut [bool]) {
    let mut owners: Vec<(u32, u32, u32)> = Vec::new();
    let mut acr_owners: Vec<(u32, u32, u32)> = Vec::new();
    for d in 0..prep.n_docs() {
        let range = prep.doc_range(d);
        owners.clear();
        acr_owners.clear();
        for u in range.clone() {
            let Some(s0) = prep.strong(u).next() else {
                continue;
            };
            owners.extend(prep.base(u).suffix_own.iter().map(|&k| (k, s0, u as u32)));
            acr_owners.extend(prep.weak_own(u).map(|k| (k, s0, u as u32)));
        }
        owners.sort_unstable();
        acr_owners.sort_unstable();
        for u in range {
            let keys = prep.base(u);
            if let Some(w) = keys.whole {
                if !prep.no_suffix[u] {
                    if let Some(target) = unique_owner(&owners, w) {
                        if uf.union(u, target as usize) {
                            demoted[u] = true;
                        }
                    }
                }
            }
            if let Some(a) = keys.acronym {
                if let Some(target) = unique_owner(&acr_owners, a) {
                    uf.union(u, target as usize);
                }
            }
        }
    }
}

/// The first owner of `key` when all owners share one strong key.
fn unique_owner(owners: &[(u32, u32, u32)], key: u32) -> Option<u32> {
    let lo = owners.partition_point(|o| o.0 < key);
    let hi = owners.partition_point(|o| o.0 <= key);
    let group = &owners[lo..hi];
    let first = group.first()?;
    group.iter().all(|o| o.1 == first.1).then_some(first.2)
}

/// Across documents: a unit whose entity has no full form (a lone surname,
/// a lone acronym) joins the one entity in the corpus that owns the key;
/// with no owner, such units join each other; with two owners, nothing.
fn weak_keys(prep: &Prepared, uf: &mut UnionFind) {
    let n = prep.units.len();
    let mut root_strong = vec![false; n];
    for u in 0..n {
        if prep.strong(u).next().is_some() {
            let r = uf.find(u);
            root_strong[r] = true;
        }
    }
    // (key, is_seeker, root or unit)
    let mut entries: Vec<(u32, bool, u32)> = Vec::new();
    for u in 0..n {
        let r = uf.find(u);
        for k in prep.weak_own(u) {
            entries.push((k, false, r as u32));
        }
        for k in prep.weak_seek(u) {
            if root_strong[r] {
                entries.push((k, false, r as u32));
            } else {
                entries.push((k, true, u as u32));
            }
        }
    }
    entries.sort_unstable();
    entries.dedup();
    for group in entries.chunk_by(|a, b| a.0 == b.0) {
        let split = group.partition_point(|e| !e.1);
        let (own, seek) = group.split_at(split);
        if seek.is_empty() {
            continue;
        }
        match own.len() {
            0 => {
                for w in seek.windows(2) {
                    uf.union(w[0].2 as usize, w[1].2 as usize);
                }
            }
            1 => {
                for s in seek {
                    uf.union(own[0].2 as usize, s.2 as usize);
                }
            }
            _ => {}
        }
    }
}

/// Near misses: names of one type that differ in one token by one edit
/// (both tokens at least `near_miss_min_len` long) or by v/w, merged when
/// their context agrees. Blocked by (type, the other tokens, a one-deletion
/// variant of the token), so only plausible pairs are ever compared.
fn near_misses(prep: &Prepared, uf: &mut UnionFind, config: &Config) {
    let n = prep.units.len();
    // Name groups: units sharing a type and near-miss tokens ("Wagner",
    // "Wagner Group" and "PMC Wagner" are one group), with the heads seen.
    let mut group_of: FxHashMap<(EntityType, &[String]), u32> = FxHashMap::default();
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut heads: Vec<Vec<&str>> = Vec::new();
    for (u, unit) in prep.units.iter().enumerate() {
        let Some(etype) = unit.etype else { continue };
        let keys = prep.base(u);
        if keys.fuzzy.is_empty() {
            continue;
        }
        let g = *group_of
            .entry((etype, keys.fuzzy.as_slice()))
            .or_insert_with(|| {
                groups.push(Vec::new());
                heads.push(Vec::new());
                (groups.len() - 1) as u32
            });
        groups[g as usize].push(u as u32);
        if let Some(h) = keys.head.as_deref() {
            if !heads[g as usize].contains(&h) {
                heads[g as usize].push(h);
            }
        }
    }
    let mut entries: Vec<(u64, u32)> = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        let unit = &prep.units[members[0] as usize];
        let toks = &prep.base(members[0] as usize).fuzzy;
        if toks.len() > 6 {
            continue;
        }
        for p in 0..toks.len() {
            let t = &toks[p];
            let base = {
                let mut h = FxHasher::default();
                unit.etype.hash(&mut h);
                for (q, other) in toks.iter().enumerate() {
                    if q == p {
                        h.write_u8(0);
                    } else {
                        other.hash(&mut h);
                    }
                }
                h.finish()
            };
            let variant = |v: &str, tag: u8| {
                let mut h = FxHasher::default();
                h.write_u64(base);
                h.write_u8(tag);
                v.hash(&mut h);
                h.finish()
            };
            let chars: Vec<char> = t.chars().collect();
            if chars.len() >= config.near_miss_min_len {
                entries.push((deletion_hash(base, &chars, usize::MAX), g as u32));
                for skip in 0..chars.len() {
                    entries.push((deletion_hash(base, &chars, skip), g as u32));
                }
            }
            if t.contains(['v', 'w']) {
                entries.push((variant(&names::vw_fold(t), 2), g as u32));
            }
        }
    }
    entries.sort_unstable();
    entries.dedup();
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for bucket in entries.chunk_by(|a, b| a.0 == b.0) {
        if bucket.len() < 2 || bucket.len() > 64 {
            continue;
        }
        for (i, a) in bucket.iter().enumerate() {
            for b in &bucket[i + 1..] {
                if near_miss(prep, &groups, a.1, b.1, config) {
                    candidates.push((a.1.min(b.1), a.1.max(b.1)));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    if candidates.is_empty() {
        return;
    }
    // Context, from a snapshot of the sets before any near-miss union.
    let sroot: Vec<u32> = (0..n).map(|u| uf.find(u) as u32).collect();
    let mut doc_roots: Vec<Vec<u32>> = Vec::with_capacity(prep.n_docs());
    let mut df = vec![0u32; n];
    for d in 0..prep.n_docs() {
        let mut all: Vec<u32> = prep.doc_range(d).map(|u| sroot[u]).collect();
        all.sort_unstable();
        all.dedup();
        for &r in &all {
            df[r as usize] += 1;
        }
        doc_roots.push(all);
    }
    // Co-occurring actors that count as shared context: persons,
    // organisations, facilities, products, and only rare ones (an actor in
    // more than 1% of the documents, or 5, says nothing about two names).
    let max_df = (prep.n_docs() / 100).max(5) as u32;
    let qual_roots: Vec<Vec<u32>> = (0..prep.n_docs())
        .map(|d| {
            let mut qual: Vec<u32> = prep
                .doc_range(d)
                .filter(|&u| {
                    matches!(
                        prep.units[u].etype,
                        Some(
                            EntityType::Person
                                | EntityType::Org
                                | EntityType::Fac
                                | EntityType::Product
                        )
                    ) && df[sroot[u] as usize] <= max_df
                })
                .map(|u| sroot[u])
                .collect();
            qual.sort_unstable();
            qual.dedup();
            qual
        })
        .collect();
    // Per name group, its units by snapshot root (at most 64 each), built
    // once per group so that a popular name costs once, not per candidate.
    let mut by_root: FxHashMap<u32, Vec<(u32, Vec<u32>)>> = FxHashMap::default();
    let mut roots_of = |g: u32| -> Vec<(u32, Vec<u32>)> {
        by_root
            .entry(g)
            .or_insert_with(|| {
                let mut pairs: Vec<(u32, u32)> = groups[g as usize]
                    .iter()
                    .map(|&u| (sroot[u as usize], u))
                    .collect();
                pairs.sort_unstable();
                pairs
                    .chunk_by(|a, b| a.0 == b.0)
                    .map(|c| (c[0].0, c.iter().take(64).map(|p| p.1).collect()))
                    .collect()
            })
            .clone()
    };
    let k = config.context_sample.max(1);
    for (ga, gb) in candidates {
        let (roots_a, roots_b) = (roots_of(ga), roots_of(gb));
        for (ra, ua) in &roots_a {
            for (rb, ub) in &roots_b {
                let (ra, rb) = (*ra, *rb);
                if ra == rb || uf.find(ra as usize) == uf.find(rb as usize) {
                    continue;
                }
                let in_doc = |units: &[u32], r: u32| {
                    units.iter().any(|&u| {
                        doc_roots[prep.units[u as usize].doc as usize]
                            .binary_search(&r)
                            .is_ok()
                    })
                };
                let same_doc = in_doc(ub, ra) || in_doc(ua, rb);
                let same_head = prep.units[ua[0] as usize].etype == Some(EntityType::Org)
                    && heads[ga as usize]
                        .iter()
                        .any(|h| heads[gb as usize].contains(h));
                let shared = || {
                    ua.iter().take(k).any(|&x| {
                        ub.iter().take(k).any(|&y| {
                            let (dx, dy) = (
                                prep.units[x as usize].doc as usize,
                                prep.units[y as usize].doc as usize,
                            );
                            shares_other(&qual_roots[dx], &qual_roots[dy], ra, rb)
                        })
                    })
                };
                if same_doc || same_head || shared() {
                    uf.union(ra as usize, rb as usize);
                }
            }
        }
    }
}

/// The hash of a token with the character at `skip` deleted (none when out
/// of range), seeded by the masked name's hash.
fn deletion_hash(base: u64, chars: &[char], skip: usize) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(base);
    h.write_u8(1);
    for (i, &c) in chars.iter().enumerate() {
        if i != skip {
            h.write_u32(c as u32);
        }
    }
    h.finish()
}

/// Whether two sorted root lists share a root other than `a` and `b`.
fn shares_other(x: &[u32], y: &[u32], a: u32, b: u32) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if x[i] != a && x[i] != b {
                    return true;
                }
                i += 1;
                j += 1;
            }
        }
    }
    false
}

/// Two name groups are a near miss: same type, same number of tokens, all
/// equal but one, and that one within one edit (long enough) or a v/w swap.
fn near_miss(prep: &Prepared, groups: &[Vec<u32>], ga: u32, gb: u32, config: &Config) -> bool {
    if ga == gb {
        return false;
    }
    let (ua, ub) = (
        groups[ga as usize][0] as usize,
        groups[gb as usize][0] as usize,
    );
    if prep.units[ua].etype != prep.units[ub].etype {
        return false;
    }
    let (fa, fb) = (&prep.base(ua).fuzzy, &prep.base(ub).fuzzy);
    if fa.len() != fb.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..fa.len()).filter(|&i| fa[i] != fb[i]).collect();
    let [p] = diffs[..] else { return false };
    let (ta, tb) = (&fa[p], &fb[p]);
    let long_enough = ta.chars().count().min(tb.chars().count()) >= config.near_miss_min_len;
    (long_enough && names::within_one_edit(ta, tb)) || names::vw_fold(ta) == names::vw_fold(tb)
}

/// `Merge` judgements, last: every entity called `a` joins every entity
/// called `b`, unless a `Distinct` or `Split` forbids it.
fn apply_merges(
    prep: &Prepared,
    uf: &mut UnionFind,
    judgements: &[Judgement],
    conflicts: &mut Vec<Conflict>,
) {
    for (j, judgement) in judgements.iter().enumerate() {
        let Judgement::Merge(a, b) = judgement else {
            continue;
        };
        let (ua, ub) = (prep.units_named(a), prep.units_named(b));
        if ua.is_empty() || ub.is_empty() {
            let missing = if ua.is_empty() { a } else { b };
            conflicts.push(Conflict {
                judgement: j,
                reason: format!("no entity is called {missing:?}"),
            });
            continue;
        }
        let first = ua[0] as usize;
        let mut refused = false;
        for &u in ua.iter().chain(ub) {
            refused |= !uf.union(first, u as usize);
        }
        if refused {
            conflicts.push(Conflict {
                judgement: j,
                reason: format!(
                    "merging {a:?} and {b:?} would break a distinct or split judgement"
                ),
            });
        }
    }
}

/// Builds the entities from the final sets.
#[allow(clippy::needless_range_loop)]
fn build(
    docs: &[DocInput<'_>],
    prep: &Prepared,
    uf: &mut UnionFind,
    conflicts: Vec<Conflict>,
) -> Resolution {
    let n_mentions = prep.mention_ref.len();
    // Entities in order of first mention.
    let mut root_entity: FxHashMap<usize, usize> = FxHashMap::default();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let mut order: Vec<u32> = (0..n_mentions as u32).collect();
    order.sort_by_key(|&g| {
        let m = prep.mention_ref[g as usize];
        (m.doc, m.start, m.end, m.mention)
    });
    for &g in &order {
        let r = uf.find(prep.mention_unit[g as usize] as usize);
        let e = *root_entity.entry(r).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[e].push(g);
    }
    let mut unit_entity = vec![usize::MAX; prep.units.len()];
    for u in 0..prep.units.len() {
        if let Some(&e) = root_entity.get(&uf.find(u)) {
            unit_entity[u] = e;
        }
    }
    let mut extras: Vec<Vec<&str>> = vec![Vec::new(); members.len()];
    let mut kind_votes: Vec<Vec<OrgKind>> = vec![Vec::new(); members.len()];
    for (u, unit) in prep.units.iter().enumerate() {
        if unit_entity[u] != usize::MAX {
            extras[unit_entity[u]].extend(unit.extra.iter().map(String::as_str));
        }
    }
    for &(u, kind) in &prep.kinds {
        if unit_entity[u as usize] != usize::MAX {
            kind_votes[unit_entity[u as usize]].push(kind);
        }
    }
    let mut id_seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut memo: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    let mut entities = Vec::with_capacity(members.len());
    for (e, ms) in members.iter().enumerate() {
        // Type: the most frequent, ties by declaration order.
        let mut type_counts = [0usize; 7];
        for &g in ms {
            let m = prep.mention_ref[g as usize];
            let t = docs[m.doc].mentions[m.mention].etype;
            type_counts[EntityType::ALL.iter().position(|&x| x == t).unwrap_or(0)] += 1;
        }
        let best = (0..7)
            .max_by_key(|&i| (type_counts[i], std::cmp::Reverse(i)))
            .unwrap_or(0);
        let etype = EntityType::ALL[best];
        // Surface forms with counts.
        let mut forms: FxHashMap<&str, usize> = FxHashMap::default();
        for &g in ms {
            let display = prep.names[prep.mention_name[g as usize] as usize]
                .display
                .as_str();
            *forms.entry(display).or_default() += 1;
        }
        let name = canonical(&forms, &mut memo);
        let mut aliases: Vec<String> = forms.keys().map(|s| s.to_string()).collect();
        aliases.extend(extras[e].iter().map(|s| s.to_string()));
        aliases.retain(|a| !a.is_empty());
        aliases.sort();
        aliases.dedup();
        let mut mentions: Vec<MentionRef> =
            ms.iter().map(|&g| prep.mention_ref[g as usize]).collect();
        mentions.sort_by_key(|m| (m.doc, m.start, m.end, m.mention));
        let kind = if etype == EntityType::Org {
            let mut votes = kind_votes[e].clone();
            votes.extend(aliases.iter().filter_map(|a| names::kind_from_text(a)));
            majority(&votes)
        } else {
            None
        };
        let base = entity_id(etype, &name);
        let seen = id_seen.entry(base.clone()).or_default();
        *seen += 1;
        let id = if *seen == 1 {
            base
        } else {
            format!("{base}-{seen}")
        };
        entities.push(Entity {
            id: EntityId(id),
            etype,
            name,
            aliases,
            mentions,
            kind,
        });
    }
    let mut roles: Vec<Role> = prep
        .roles
        .iter()
        .map(|(d, r)| {
            let doc = *d as usize;
            let at = |k: usize| {
                let m = &docs[doc].mentions[k];
                MentionRef {
                    doc,
                    mention: k,
                    start: m.start,
                    end: m.end,
                }
            };
            Role {
                mention: at(r.mention),
                role_text: r.text.clone(),
                role_span: r.span,
                org_mention: r.org.map(at),
            }
        })
        .collect();
    roles.sort_by_key(|r| {
        (
            r.mention.doc,
            r.mention.start,
            r.mention.end,
            r.mention.mention,
            r.role_span,
        )
    });
    Resolution {
        entities,
        roles,
        conflicts,
    }
}

/// The canonical name: among the fullest forms (several words, not an
/// acronym), the most frequent; then one that is not a short form of
/// another; then the best supported (the mean, over its
/// words, of how many of the entity's forms share that word's
/// transliteration key: "Wagner Group" beats the typo "Wager Group" and the
/// descriptor-laden "PMC Wagner"); then fewer words; then the first in
/// code-point order. Independent of document order, so ids survive
/// reordering.
fn canonical<'a>(
    forms: &FxHashMap<&'a str, usize>,
    memo: &mut FxHashMap<&'a str, Vec<String>>,
) -> String {
    let fullness = |s: &str| -> u8 {
        let words = s.split_whitespace().count();
        match (names::acronym(s).is_some(), words >= 2) {
            (false, true) => 2,
            (false, false) => 1,
            (true, _) => 0,
        }
    };
    let keyed: Vec<(&str, usize, &Vec<String>)> = {
        for s in forms.keys() {
            memo.entry(s).or_insert_with(|| {
                let mut toks: Vec<String> = names::alias_key(s)
                    .split(' ')
                    .filter(|t| !names::FUNCTION_WORDS.contains(t))
                    .map(|t| names::vw_fold(&names::translit(t)))
                    .collect();
                toks.sort();
                toks.dedup();
                toks
            });
        }
        forms.iter().map(|(s, c)| (*s, *c, &memo[s])).collect()
    };
    let mut token_forms: FxHashMap<&str, usize> = FxHashMap::default();
    for (_, _, toks) in &keyed {
        for t in toks.iter() {
            *token_forms.entry(t.as_str()).or_default() += 1;
        }
    }
    let scored: Vec<(u8, usize, bool, usize, usize, &str)> = keyed
        .iter()
        .map(|(s, c, toks)| {
            // Mean support, scaled to an integer so the order is exact.
            let total: usize = toks
                .iter()
                .map(|t| token_forms.get(t.as_str()).copied().unwrap_or(0))
                .sum();
            let support = total * 1000 / toks.len().max(1);
            // A form whose words are all in a longer form is a short form
            // of it ("Security Council" of "Russia's Security Council").
            let undominated = !keyed.iter().any(|(_, _, other)| {
                other.len() > toks.len() && toks.iter().all(|t| other.contains(t))
            });
            (fullness(s), *c, undominated, support, toks.len(), *s)
        })
        .collect();
    scored
        .iter()
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
                .then(b.4.cmp(&a.4))
                .then(b.5.cmp(a.5))
        })
        .map_or(String::new(), |t| t.5.to_string())
}

fn majority(votes: &[OrgKind]) -> Option<OrgKind> {
    let mut counts: Vec<(OrgKind, usize)> = Vec::new();
    for &v in votes {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

/// `e` + 16 hex digits of FNV-1a 64 over the type label and the normalised
/// canonical name.
fn entity_id(etype: EntityType, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in etype
        .label()
        .bytes()
        .chain([0x1f])
        .chain(names::alias_key(name).bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("e{h:016x}")
}

#[cfg(test)]
mod tests;
