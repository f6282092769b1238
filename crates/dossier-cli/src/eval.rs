//! `dossier eval`: scores the database against a gold file the way
//! `shared/tools/score_gold.py` scores an export (ONTOLOGY.md, "Gold files and scoring"),
//! and the fact stage against the PLOVER gold-standard records.

use anyhow::{bail, Context, Result};
use dossier_store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

const PLACE: [&str; 3] = ["GPE", "LOC", "FAC"];
const SYMMETRIC: [&str; 3] = ["CONSULT", "COOPERATE", "AGREE"];
const SCORED: [&str; 6] = ["PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT"];

fn fold_quotes(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        c => c,
    }
}

/// The scorer's name normalisation: NFKC, quotes folded, spaces collapsed, case folded, no leading "the ".
fn norm(s: &str) -> String {
    let s: String = s.nfkc().map(fold_quotes).collect();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    s.strip_prefix("the ").map(String::from).unwrap_or(s)
}

/// Same length (in chars) as `s`: spaces to ' ', quotes folded.
fn norm_ws(s: &[char]) -> Vec<char> {
    s.iter().map(|&c| if c.is_whitespace() { ' ' } else { fold_quotes(c) }).collect()
}

fn type_class(t: &str) -> &str {
    if PLACE.contains(&t) {
        "PLACE"
    } else {
        t
    }
}

/// The scorer's sentence-ish bounds around [start, end) (chars).
fn sentence_of(text: &[char], start: usize, end: usize) -> (usize, usize) {
    let mut lo = start.min(text.len());
    while lo > 0 {
        let c = text[lo - 1];
        if c == '\n' && lo >= 2 && text[lo - 2] == '\n' {
            break;
        }
        if (c == ' ' || c == '\n') && lo >= 2 && matches!(text[lo - 2], '.' | '!' | '?') {
            break;
        }
        lo -= 1;
    }
    let mut hi = end.min(text.len());
    while hi < text.len() {
        let c = text[hi];
        if matches!(c, '.' | '!' | '?') && (hi + 1 == text.len() || matches!(text[hi + 1], ' ' | '\n')) {
            hi += 1;
            break;
        }
        if c == '\n' && hi + 1 < text.len() && text[hi + 1] == '\n' {
            break;
        }
        hi += 1;
    }
    (lo, hi)
}

struct SysEntity {
    etype: String,
    names: BTreeSet<String>,
    docs: BTreeSet<String>,
}

struct SysFact {
    doc: Option<String>,
    span: Option<(usize, usize)>,
    subject: String,
    predicate: String,
    object: Option<String>,
    count: Option<i64>,
    when: Option<String>,
    modality: String,
    source: Option<String>,
    role: Option<String>,
    mode: Option<String>,
}

/// Scores the store against `gold_path`; returns the scorer's JSON result.
pub fn score_gold(store: &Store, gold_path: &Path, verbose: bool) -> Result<Value> {
    let gold: Value = serde_json::from_str(&std::fs::read_to_string(gold_path).with_context(|| format!("{}", gold_path.display()))?)
        .with_context(|| format!("{}: not JSON", gold_path.display()))?;
    let gents = gold["entities"].as_array().context("gold has no \"entities\" list")?;
    let gfacts = gold["facts"].as_array().cloned().unwrap_or_default();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for e in gents {
        for d in e["docs"].as_array().into_iter().flatten() {
            keys.insert(d.as_str().unwrap_or("").to_string());
        }
    }
    for f in &gfacts {
        keys.insert(f["doc"].as_str().unwrap_or("").to_string());
    }
    // System documents -> gold keys (a key is a prefix of the file name), with their text.
    let mut doc_key: HashMap<String, String> = HashMap::new();
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    let mut docs = Vec::new();
    store.for_each_document(|d| {
        docs.push(d);
        Ok(())
    })?;
    for d in &docs {
        let base = Path::new(&d.path).file_name().and_then(|f| f.to_str()).unwrap_or("");
        for k in &keys {
            if base.starts_with(k.as_str()) {
                doc_key.insert(d.id.clone(), k.clone());
                if let Some(t) = store.document_text(&d.id)? {
                    texts.insert(k.clone(), t.chars().collect());
                }
            }
        }
    }
    let missing: Vec<&String> = keys.iter().filter(|k| !doc_key.values().any(|v| v == *k)).collect();

    let g_alias: BTreeMap<String, (String, BTreeSet<String>)> = gents
        .iter()
        .map(|e| {
            let mut al: BTreeSet<String> = e["aliases"].as_array().into_iter().flatten().filter_map(|a| a.as_str()).map(norm).collect();
            al.insert(norm(e["name"].as_str().unwrap_or("")));
            (e["id"].as_str().unwrap_or("").to_string(), (e["type"].as_str().unwrap_or("").to_string(), al))
        })
        .collect();
    let mut ents: BTreeMap<String, SysEntity> = BTreeMap::new();
    store.for_each_entity(|e| {
        if SCORED.contains(&e.etype.as_str()) {
            let mut names: BTreeSet<String> = e.aliases.iter().map(|a| norm(a)).collect();
            names.insert(norm(&e.name));
            let docs = e.mentions.iter().filter_map(|m| doc_key.get(&m.0).cloned()).collect();
            ents.insert(e.id.clone(), SysEntity { etype: e.etype.clone(), names, docs });
        }
        Ok(())
    })?;
    let matches_of = |se: &SysEntity| -> Vec<String> {
        g_alias
            .iter()
            .filter(|(_, (t, al))| type_class(t) == type_class(&se.etype) && !al.is_disjoint(&se.names))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let ent_match: BTreeMap<&String, Vec<String>> = ents.iter().map(|(id, se)| (id, matches_of(se))).collect();

    // Entities per document.
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let (mut misses, mut wrongs) = (Vec::new(), Vec::new());
    for k in &keys {
        for ge in gents {
            let in_doc = ge["docs"].as_array().into_iter().flatten().any(|d| d.as_str() == Some(k));
            if !in_doc || ge.get("required").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            let gid = ge["id"].as_str().unwrap_or("");
            if ents.iter().any(|(sid, se)| ent_match[sid].iter().any(|g| g == gid) && se.docs.contains(k)) {
                tp += 1;
            } else {
                fn_ += 1;
                misses.push(format!("{k}:{}", ge["name"].as_str().unwrap_or("")));
            }
        }
        for (sid, se) in &ents {
            if se.docs.contains(k) && ent_match[sid].is_empty() {
                fp += 1;
                wrongs.push(format!("{k}:{}:{}", se.etype, se.names.iter().next().cloned().unwrap_or_default()));
            }
        }
    }
    let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
    let r = if tp + fn_ > 0 { tp as f64 / (tp + fn_) as f64 } else { 0.0 };

    // Cross-document identity.
    let (mut splits, mut merges) = (0, 0);
    let (mut split_list, mut merge_list) = (Vec::new(), Vec::new());
    for ge in gents {
        if ge["docs"].as_array().map_or(0, Vec::len) < 2 {
            continue;
        }
        let gid = ge["id"].as_str().unwrap_or("");
        let nodes = ents.keys().filter(|sid| ent_match[sid].iter().any(|g| g == gid)).count();
        if nodes > 1 {
            splits += nodes - 1;
            split_list.push(ge["name"].as_str().unwrap_or("").to_string());
        }
    }
    let alias_hits = |se: &SysEntity| -> BTreeSet<String> {
        g_alias.iter().filter(|(_, (_, al))| !al.is_disjoint(&se.names)).map(|(id, _)| id.clone()).collect()
    };
    for pair in gold["distinct"].as_array().into_iter().flatten() {
        let (Some(a), Some(b)) = (pair[0].as_str(), pair[1].as_str()) else { continue };
        if ents.values().any(|se| {
            let h = alias_hits(se);
            h.contains(a) && h.contains(b)
        }) {
            merges += 1;
            merge_list.push(format!("{a}+{b}"));
        }
    }
    for m in ent_match.values() {
        if m.len() > 1 {
            let pair = m.join("+");
            if !merge_list.contains(&pair) {
                merges += 1;
                merge_list.push(pair);
            }
        }
    }

    // Facts: one system fact per piece of evidence, as the export writes them.
    let mut sys: Vec<SysFact> = Vec::new();
    store.for_each_fact(|f| {
        for e in &f.evidence {
            let doc = doc_key.get(&e.doc_id).cloned();
            let span = doc.as_ref().and_then(|k| texts.get(k)).map(|t| sentence_of(t, e.start as usize, e.end as usize));
            sys.push(SysFact {
                doc,
                span,
                subject: f.subject.clone(),
                predicate: f.predicate.clone(),
                object: f.object.clone(),
                count: f.count,
                when: f.when.as_ref().map(|w| w.value.clone()),
                modality: e.modality.clone(),
                source: e.source.clone(),
                role: f.role.clone(),
                mode: f.mode.clone(),
            });
        }
        Ok(())
    })?;
    let ent_is = |sid: Option<&String>, gids: &[Option<String>]| -> bool {
        match sid {
            None => gids.contains(&None),
            Some(s) => ent_match.get(s).is_some_and(|m| m.iter().any(|g| gids.contains(&Some(g.clone())))),
        }
    };
    let gold_sentence = |gf: &Value| -> Option<(usize, usize)> {
        let t = texts.get(gf["doc"].as_str()?)?;
        let nt = norm_ws(t);
        let ev: Vec<char> = norm_ws(&gf["evidence"].as_str()?.chars().collect::<Vec<_>>());
        let i = nt.windows(ev.len().max(1)).position(|w| w == ev.as_slice())?;
        Some(sentence_of(t, i, i + ev.len()))
    };
    let mut attr: BTreeMap<&str, (u32, u32)> = ["count", "when", "modality", "source", "role", "mode"].iter().map(|k| (*k, (0, 0))).collect();
    let mut matched_gold = BTreeSet::new();
    let mut matched_sys = BTreeSet::new();
    let list = |v: &Value| -> Vec<Option<String>> {
        match v {
            Value::Array(a) => a.iter().map(|x| x.as_str().map(String::from)).collect(),
            Value::Null => vec![None],
            other => vec![other.as_str().map(String::from)],
        }
    };
    for (gi, gf) in gfacts.iter().enumerate() {
        let Some(gs) = gold_sentence(gf) else { continue };
        let mut subjects = vec![gf["s"].as_str().map(String::from)];
        subjects.extend(gf.get("alt_s").map(list).unwrap_or_default());
        let objects = gf.get("o").map(list).unwrap_or_else(|| vec![None]);
        let preds: Vec<&str> = gf["p"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        for (si, f) in sys.iter().enumerate() {
            let (Some(k), Some(span)) = (&f.doc, f.span) else { continue };
            if gf["doc"].as_str() != Some(k.as_str()) || !(span.0 < gs.1 && gs.0 < span.1) || !preds.contains(&f.predicate.as_str()) {
                continue;
            }
            let mut ok = ent_is(Some(&f.subject), &subjects) && ent_is(f.object.as_ref(), &objects);
            if !ok && (SYMMETRIC.contains(&f.predicate.as_str()) || gf["undirected"].as_bool() == Some(true)) {
                ok = ent_is(f.object.as_ref(), &subjects) && ent_is(Some(&f.subject), &objects);
            }
            if ok {
                matched_sys.insert(si);
                if matched_gold.insert(gi) {
                    score_attrs(gf, f, &mut attr, &ent_match);
                }
            }
        }
    }
    let required: Vec<usize> = (0..gfacts.len()).filter(|&i| gfacts[i].get("required").and_then(Value::as_bool) != Some(false)).collect();
    let f_tp = required.iter().filter(|i| matched_gold.contains(*i)).count();
    let f_r = if required.is_empty() { 0.0 } else { f_tp as f64 / required.len() as f64 };
    let in_docs: Vec<usize> = (0..sys.len()).filter(|&i| sys[i].doc.as_ref().is_some_and(|k| texts.contains_key(k))).collect();
    let f_p = if in_docs.is_empty() { 0.0 } else { in_docs.iter().filter(|i| matched_sys.contains(*i)).count() as f64 / in_docs.len() as f64 };
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let f1 = |p: f64, r: f64| if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    let mut res = json!({
        "documents_missing": missing,
        "entities": {"precision": round(p), "recall": round(r), "f1": round(f1(p, r)), "tp": tp, "fp": fp, "fn": fn_},
        "identity": {"splits": splits, "merges": merges},
        "facts": {"precision": round(f_p), "recall": round(f_r), "f1": round(f1(f_p, f_r)), "matched_required": f_tp,
                  "required": required.len(), "system_facts": in_docs.len()},
        "attributes": attr.iter().map(|(k, (a, b))| (k.to_string(), json!(format!("{a}/{b}")))).collect::<serde_json::Map<_, _>>(),
    });
    if verbose {
        let fact_misses: Vec<String> = required
            .iter()
            .filter(|i| !matched_gold.contains(*i))
            .map(|&i| format!("{}:{} {} {}", gfacts[i]["doc"].as_str().unwrap_or(""), gfacts[i]["s"].as_str().unwrap_or(""), gfacts[i]["p"][0].as_str().unwrap_or(""), gfacts[i]["o"]))
            .collect();
        res["detail"] = json!({"entity_misses": misses, "entity_wrong": wrongs, "splits": split_list, "merges": merge_list, "fact_misses": fact_misses});
    }
    Ok(res)
}

fn score_attrs(gf: &Value, f: &SysFact, acc: &mut BTreeMap<&str, (u32, u32)>, ent_match: &BTreeMap<&String, Vec<String>>) {
    let mut bump = |k: &'static str, ok: bool| {
        if let Some(e) = acc.get_mut(k) {
            e.1 += 1;
            e.0 += u32::from(ok);
        }
    };
    if let Some(c) = gf.get("count") {
        bump("count", c.as_i64().is_some() && c.as_i64() == f.count);
    }
    if let Some(w) = gf.get("when").and_then(Value::as_str) {
        let g = w.trim_start_matches('-');
        bump("when", f.when.as_deref().is_some_and(|v| !v.is_empty() && (v.starts_with(w) || (w.starts_with("--") && v.contains(g)))));
    }
    if let Some(m) = gf.get("modality").and_then(Value::as_array) {
        bump("modality", m.iter().any(|x| x.as_str() == Some(f.modality.as_str())));
    }
    if let Some(s) = gf.get("source").and_then(Value::as_array) {
        let hits = f.source.as_ref().and_then(|s| ent_match.get(s)).cloned().unwrap_or_default();
        bump("source", s.iter().any(|g| g.as_str().is_some_and(|g| hits.iter().any(|h| h == g))));
    }
    if let Some(r) = gf.get("role").and_then(Value::as_str) {
        bump("role", norm(f.role.as_deref().unwrap_or("")) == norm(r));
    }
    if let Some(m) = gf.get("mode").and_then(Value::as_str) {
        bump("mode", norm(f.mode.as_deref().unwrap_or("")) == norm(m));
    }
}

/// Prints a score result the way score_gold.py does.
pub fn print_gold(res: &Value) {
    let e = &res["entities"];
    let f = &res["facts"];
    if let Some(m) = res["documents_missing"].as_array().filter(|m| !m.is_empty()) {
        println!("documents missing from the database: {}", m.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "));
    }
    println!(
        "entities   P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
        e["precision"].as_f64().unwrap_or(0.0),
        e["recall"].as_f64().unwrap_or(0.0),
        e["f1"].as_f64().unwrap_or(0.0),
        e["tp"],
        e["fp"],
        e["fn"]
    );
    println!("identity   splits {}  merges {}", res["identity"]["splits"], res["identity"]["merges"]);
    println!(
        "facts      P {:.3}  R {:.3}  F1 {:.3}  ({}/{} required found, {} system facts)",
        f["precision"].as_f64().unwrap_or(0.0),
        f["recall"].as_f64().unwrap_or(0.0),
        f["f1"].as_f64().unwrap_or(0.0),
        f["matched_required"],
        f["required"],
        f["system_facts"]
    );
    let attrs: Vec<String> = res["attributes"].as_object().into_iter().flatten().map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or(""))).collect();
    println!("attributes {}", attrs.join("  "));
    if let Some(d) = res.get("detail").and_then(Value::as_object) {
        for (k, v) in d {
            let items = v.as_array().cloned().unwrap_or_default();
            println!("\n{k} ({}):", items.len());
            for x in items {
                println!("  {}", x.as_str().map(String::from).unwrap_or_else(|| x.to_string()));
            }
        }
    }
}

/// PLOVER's 18 types as POLECAT's 16 (DEMAND is REQUEST; DISAPPROVE and INVESTIGATE
/// are ACCUSE; FIGHT is ASSAULT).
fn polecat(t: &str) -> &str {
    match t {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        t => t,
    }
}

/// Scores the fact stage on the PLOVER gold-standard records: for each coded sentence,
/// whether one of its events has the gold type, and for those, whether its subject and
/// object are the gold source and target actors (texts overlap). Nothing is trained on
/// the GSR; the even-numbered records are the development half (read while writing
/// rules, from session 3 on), the odd-numbered ones the test half, reported apart.
pub fn score_plover(data: &Path, models: &dossier_nlp::pipeline::Models, verbose: bool) -> Result<Value> {
    #[derive(Default, Clone, Copy)]
    struct Tally {
        n: u32,
        with_event: u32,
        type_ok: u32,
        src_ok: u32,
        tgt_ok: u32,
        both_ok: u32,
        n_tgt: u32,
    }
    let share = |a: u32, b: u32| if b == 0 { 0.0 } else { ((a as f64 / b as f64) * 1000.0).round() / 1000.0 };
    let report = |t: &Tally| {
        json!({
            "records": t.n,
            "records_with_an_event": t.with_event,
            "event_type_accuracy": share(t.type_ok, t.n),
            "source_actor_accuracy": share(t.src_ok, t.type_ok),
            "target_actor_accuracy": share(t.tgt_ok, t.type_ok),
            "both_actors_accuracy": share(t.both_ok, t.type_ok),
            "records_with_target": t.n_tgt,
        })
    };
    let mut misses: Vec<Value> = Vec::new();
    let path = data.join("plover/gold_standard_records/PLOVER_GSR_CAMEO.txt");
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let records: Vec<Value> = serde_json::from_str(&text).with_context(|| format!("{}: not a JSON array", path.display()))?;
    // [all, dev (even), test (odd)]
    let mut tally = [Tally::default(); 3];
    let mut by_type: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for r in &records {
        let (Some(sentence), Some(event)) = (r["text"].as_str(), r["event"].as_str()) else { continue };
        let gold_type = polecat(event).to_string();
        let half = 1 + (tally[0].n % 2) as usize;
        let mut add = |f: &dyn Fn(&mut Tally)| {
            f(&mut tally[0]);
            f(&mut tally[half]);
        };
        add(&|t| t.n += 1);
        let actors = |k: &str| -> Vec<String> {
            r[k].as_array().into_iter().flatten().filter_map(|a| a["actorText"].as_str()).map(|s| s.to_lowercase()).collect()
        };
        let (srcs, tgts) = (actors("source"), actors("target"));
        let (mentions, claims) = dossier_ingest::read_claims(sentence, models);
        let events: Vec<_> = claims.iter().filter(|c| c.predicate.chars().next().is_some_and(|ch| ch.is_ascii_uppercase())).collect();
        if !events.is_empty() {
            add(&|t| t.with_event += 1);
        }
        let e = by_type.entry(gold_type.clone()).or_default();
        e.1 += 1;
        let Some(hit) = events.iter().find(|c| c.predicate == gold_type) else {
            if verbose {
                let got: Vec<&str> = events.iter().map(|c| c.predicate.as_str()).collect();
                misses.push(json!({"text": sentence, "gold": gold_type, "got": got, "eventText": r["eventText"], "half": if half == 1 { "dev" } else { "test" }}));
            }
            continue;
        };
        e.0 += 1;
        let mtext = |i: usize| -> String { mentions.get(i).map(|(s, _)| sentence[s.start()..s.end()].to_lowercase()).unwrap_or_default() };
        let overlaps = |m: &str, golds: &[String]| golds.iter().any(|g| !m.is_empty() && (g.contains(m) || m.contains(g.as_str())));
        let s_ok = overlaps(&mtext(hit.subject), &srcs) || (srcs.is_empty() && tgts.is_empty());
        let t_ok = match hit.object {
            Some(o) => overlaps(&mtext(o), &tgts),
            None => tgts.is_empty(),
        };
        let has_tgt = !tgts.is_empty();
        add(&|t| {
            t.type_ok += 1;
            t.src_ok += u32::from(s_ok);
            t.n_tgt += u32::from(has_tgt);
            t.tgt_ok += u32::from(t_ok);
            t.both_ok += u32::from(s_ok && t_ok);
        });
    }
    if tally[0].n == 0 {
        bail!("{}: no coded records", path.display());
    }
    let mut out = report(&tally[0]);
    out["misses"] = json!(misses);
    out["split"] = json!("nothing is trained on the PLOVER GSR; even-numbered records (dev) were read while writing rules, odd-numbered ones (test) were not");
    out["dev"] = report(&tally[1]);
    out["test"] = report(&tally[2]);
    out["by_type"] = by_type.iter().map(|(k, (a, b))| (k.clone(), json!(format!("{a}/{b}")))).collect::<serde_json::Map<_, _>>().into();
    Ok(out)
}
