//! `dossier facts` and `dossier timeline`: the facts of the database, each with its
//! evidence sentences, sources and modalities.

use anyhow::{bail, Result};
use dossier_store::{Fact, Store};
use serde_json::json;
use std::collections::HashMap;

/// Entity names by id, and the ids a name, alias or id prefix designates.
pub struct Names {
    names: HashMap<String, (String, String)>,
    aliases: Vec<(String, String)>,
}

impl Names {
    /// Reads every entity's name, type and aliases.
    pub fn load(store: &Store) -> Result<Names> {
        let mut names = HashMap::new();
        let mut aliases = Vec::new();
        store.for_each_entity(|e| {
            for a in e.aliases.iter().chain(std::iter::once(&e.name)) {
                aliases.push((a.to_lowercase(), e.id.clone()));
            }
            names.insert(e.id.clone(), (e.name, e.etype));
            Ok(())
        })?;
        Ok(Names { names, aliases })
    }

    /// The name of an entity id.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map(|(n, _)| n.as_str()).unwrap_or(id)
    }

    /// Entities called `query` (exact name or alias, case-insensitive, or an id); else
    /// those whose name or alias contains it.
    pub fn find(&self, query: &str) -> Vec<String> {
        if self.names.contains_key(query) {
            return vec![query.to_string()];
        }
        let q = query.to_lowercase();
        let mut hits: Vec<String> = self.aliases.iter().filter(|(a, _)| *a == q).map(|(_, id)| id.clone()).collect();
        if hits.is_empty() {
            hits = self.aliases.iter().filter(|(a, _)| a.contains(&q)).map(|(_, id)| id.clone()).collect();
        }
        hits.sort();
        hits.dedup();
        hits
    }
}

/// Filters of `dossier facts`.
pub struct Filter {
    /// Only facts about these entities (subject, object, place or source).
    pub about: Option<Vec<String>>,
    /// Only this predicate (case-insensitive).
    pub predicate: Option<String>,
    /// Only facts dated on or after this ISO date (prefix comparison).
    pub since: Option<String>,
}

impl Filter {
    fn keeps(&self, f: &Fact) -> bool {
        if let Some(ids) = &self.about {
            let touches = |x: Option<&String>| x.is_some_and(|x| ids.contains(x));
            if !(ids.contains(&f.subject) || touches(f.object.as_ref()) || touches(f.place.as_ref()) || f.evidence.iter().any(|e| touches(e.source.as_ref()))) {
                return false;
            }
        }
        if let Some(p) = &self.predicate {
            if !f.predicate.eq_ignore_ascii_case(p) {
                return false;
            }
        }
        if let Some(since) = &self.since {
            let Some(w) = &f.when else { return false };
            // An interval counts from its start; a partial date compares on its prefix.
            let start = w.value.split('/').next().unwrap_or("");
            if start.starts_with("--") || start < since.as_str() && !since.starts_with(start) {
                return false;
            }
        }
        true
    }
}

fn edge(f: &Fact, names: &Names) -> String {
    let mut p = f.predicate.clone();
    if let Some(m) = &f.mode {
        p.push_str(&format!("({m})"));
    }
    if let Some(r) = &f.role {
        p.push_str(&format!(" [{r}]"));
    }
    let mut s = format!("{} -{p}-> {}", names.name(&f.subject), f.object.as_deref().map_or("(none)", |o| names.name(o)));
    if let Some(w) = &f.when {
        s.push_str(&format!("  when {} ({})", w.value, w.precision));
    }
    if let Some(pl) = &f.place {
        s.push_str(&format!("  in {}", names.name(pl)));
    }
    if let Some(c) = f.count {
        s.push_str(&format!("  count {c}"));
    }
    s
}

fn fact_json(f: &Fact, names: &Names) -> serde_json::Value {
    json!({
        "id": f.id,
        "subject": {"id": f.subject, "name": names.name(&f.subject)},
        "predicate": f.predicate,
        "object": f.object.as_ref().map(|o| json!({"id": o, "name": names.name(o)})),
        "mode": f.mode,
        "role": f.role,
        "when": f.when.as_ref().map(|w| json!({"value": w.value, "text": w.text, "precision": w.precision})),
        "where": f.place.as_ref().map(|p| json!({"id": p, "name": names.name(p)})),
        "count": f.count,
        "confidence": f.confidence,
        "evidence": f.evidence.iter().map(|e| json!({
            "doc": e.doc_id, "start": e.start, "end": e.end, "text": e.text, "modality": e.modality,
            "source": e.source.as_ref().map(|s| json!({"id": s, "name": names.name(s)})),
        })).collect::<Vec<_>>(),
    })
}

fn print_fact(f: &Fact, names: &Names) {
    println!("{}  {}  (confidence {:.2})", f.id, edge(f, names), f.confidence);
    for e in &f.evidence {
        let source = e.source.as_deref().map_or("the article".to_string(), |s| names.name(s).to_string());
        println!("    {} {}..{}  {}, according to {}", e.doc_id, e.start, e.end, e.modality, source);
        println!("      \"{}\"", e.text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

/// `dossier facts`: prints the facts that pass `filter`, ordered by id.
pub fn facts(store: &Store, filter: &Filter, json_out: bool, limit: usize) -> Result<usize> {
    let names = Names::load(store)?;
    let mut n = 0;
    store.for_each_fact(|f| {
        if n < limit && filter.keeps(&f) {
            if json_out {
                println!("{}", fact_json(&f, &names));
            } else {
                print_fact(&f, &names);
            }
            n += 1;
        }
        Ok(())
    })?;
    Ok(n)
}

/// `dossier timeline NAME`: the dated facts about an entity in time order, then how many are undated.
pub fn timeline(store: &Store, name: &str, json_out: bool) -> Result<usize> {
    let names = Names::load(store)?;
    let ids = names.find(name);
    if ids.is_empty() {
        bail!("no entity is called {name:?} (try `dossier search {name}`)");
    }
    let filter = Filter { about: Some(ids.clone()), predicate: None, since: None };
    let mut dated = Vec::new();
    let mut undated = 0;
    store.for_each_fact(|f| {
        if filter.keeps(&f) {
            match &f.when {
                Some(w) if !w.value.starts_with("--") => dated.push((w.value.clone(), f)),
                _ => undated += 1,
            }
        }
        Ok(())
    })?;
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    if !json_out {
        let who: Vec<&str> = ids.iter().map(|i| names.name(i)).collect();
        println!("timeline of {}", who.join(" / "));
    }
    for (when, f) in &dated {
        if json_out {
            println!("{}", fact_json(f, &names));
        } else {
            println!("{when:<12} {}", edge(f, &names));
            for e in &f.evidence {
                println!("             \"{}\" ({})", e.text.split_whitespace().collect::<Vec<_>>().join(" "), e.modality);
            }
        }
    }
    if !json_out && undated > 0 {
        println!("({undated} more facts without a date: `dossier facts --about {name:?}`)");
    }
    Ok(dated.len())
}
