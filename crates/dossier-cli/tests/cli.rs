//! End-to-end tests of the `dossier` binary. Tests that need the seed corpus in
//! `../shared` skip with a note when it is missing, and fail when CI=true.

mod common;

use common::{bin, run, seeds, stdout};
use std::path::Path;
use std::process::{Command, Stdio};

fn export(db: &Path) -> Vec<serde_json::Value> {
    let o = run(db, &["export", "--format", "jsonl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

/// The document records of the export.
fn documents(db: &Path) -> Vec<serde_json::Value> {
    export(db).into_iter().filter(|r| r["kind"] == "document").collect()
}

fn chars(s: &str, start: &serde_json::Value, end: &serde_json::Value) -> String {
    let (s0, e0) = (start.as_u64().unwrap() as usize, end.as_u64().unwrap() as usize);
    s.chars().skip(s0).take(e0 - s0).collect()
}

#[test]
fn seeds_metadata_and_furniture() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = run(&db, &["ingest", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = documents(&db);
    assert_eq!(docs.len(), 4);
    assert!(docs.iter().all(|d| d["kind"] == "document" && d["lang"] == "en"));
    let by_prefix = |p: &str| docs.iter().find(|d| d["path"].as_str().unwrap().contains(&format!("/{p}_"))).unwrap();
    let d0 = by_prefix("000");
    assert_eq!(d0["outlet"], "Washington Examiner");
    assert!(d0["published"].as_str().unwrap().starts_with("2023"), "{d0}");
    let d1 = by_prefix("001");
    assert_eq!(d1["outlet"], "EFE");
    assert!(d1["published"].as_str().unwrap().ends_with("07-15"), "{d1}");

    let mut furniture_text = String::new();
    for d in &docs {
        let text = std::fs::read_to_string(d["path"].as_str().unwrap()).unwrap();
        for f in d["furniture"].as_array().unwrap() {
            let t = chars(&text, &f["start"], &f["end"]);
            // No article paragraph (a full sentence of some length) is furniture.
            for line in t.lines().map(str::trim) {
                let words = line.split_whitespace().count();
                assert!(!(line.ends_with('.') && words >= 10), "paragraph marked as furniture: {line:?}");
            }
            furniture_text.push_str(&t);
            furniture_text.push('\n');
        }
    }
    for must in ["Related Articles", "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER", "Popular posts from this blog", "Kashmir Valley, says J&K Police"] {
        assert!(furniture_text.contains(must), "furniture misses {must:?}");
    }

    // The evidence of every gold fact lies outside furniture.
    let gold_path = seeds.join("../gold/seeds.gold.json");
    let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
    for fact in gold["facts"].as_array().unwrap() {
        let ev = fact["evidence"].as_str().unwrap();
        let d = by_prefix(fact["doc"].as_str().unwrap());
        let text = std::fs::read_to_string(d["path"].as_str().unwrap()).unwrap();
        // Match with any whitespace (NBSP included) as a space; char for char, so
        // positions in the flattened text are char offsets in the original.
        let flat = |s: &str| s.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect::<String>();
        let (ftext, fev) = (flat(&text), flat(ev));
        let at = ftext.find(&fev).unwrap_or_else(|| panic!("evidence not in text: {ev}"));
        let cs = ftext[..at].chars().count() as u64;
        let ce = cs + fev.chars().count() as u64;
        for f in d["furniture"].as_array().unwrap() {
            let (fs, fe) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
            assert!(ce <= fs || cs >= fe, "gold evidence inside furniture: {ev}");
        }
    }
}

#[test]
fn reingest_is_byte_identical_and_jobs_do_not_matter() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    assert!(run(&a, &["ingest", "--jobs", "1", seeds.to_str().unwrap()]).status.success());
    let first = stdout(&run(&a, &["export"]));
    let o = run(&a, &["ingest", seeds.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(stdout(&run(&a, &["export"])), first);
    assert!(run(&b, &["ingest", "--jobs", "2", seeds.to_str().unwrap()]).status.success());
    assert_eq!(stdout(&run(&b, &["export"])), first);
}

#[test]
fn bad_files_are_reported_and_the_rest_ingested() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for e in std::fs::read_dir(&seeds).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), corpus.join(e.file_name())).unwrap();
    }
    std::fs::write(corpus.join("image.bin"), [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff]).unwrap();
    std::fs::write(corpus.join("latin1.txt"), b"Caf\xe9 society met in Minsk.\n").unwrap();
    std::fs::write(corpus.join("crawl.jsonl"), "{\"text\": \"broken\n").unwrap();
    let db = dir.path().join("t.db");
    let o = run(&db, &["ingest", corpus.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for name in ["image.bin", "latin1.txt: invalid UTF-8 at line 1", "crawl.jsonl:1"] {
        assert!(err.contains(name), "stderr does not name {name}: {err}");
    }
    assert_eq!(err.lines().filter(|l| l.starts_with("error: ")).count(), 3, "{err}");
    assert_eq!(documents(&db).len(), 4);
}

#[test]
fn stdin_search_show_stats() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Convoy reaches Osipovichi\n\nMinsk, July 15 (EFE).- A convoy of 60 vehicles reached Osipovichi, the ministry said.\n\nRelated Articles\n".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let o = run(&db, &["search", "--json", "osipovichi"]);
    let hits: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(hits.iter().filter(|h| h["kind"] == "document").count(), 1);
    let sent = hits.iter().find(|h| h["kind"] == "sentence").expect("a sentence hit");
    assert!(sent["snippet"].as_str().unwrap().contains("[Osipovichi]"), "{sent}");

    let docs = export(&db);
    assert_eq!(docs[0]["path"], "-");
    let id = docs[0]["id"].as_str().unwrap();
    let o = run(&db, &["show", id]);
    let out = stdout(&o);
    assert!(out.contains("outlet     EFE") && out.contains("Related Articles"), "{out}");

    let o = run(&db, &["stats", "--json"]);
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((s["documents"].as_u64(), s["furniture"].as_u64()), (Some(1), Some(1)));

    // Missing document and missing database are clear errors.
    let o = run(&db, &["show", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&dir.path().join("none.db"), &["stats"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no database"));
}

#[test]
fn kill_9_mid_run_leaves_no_half_document() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let n = 3000;
    for k in 0..n {
        let text = format!("Report number {k}\n\nThe first sentence mentions item {k}. The second sentence ends here.\n");
        std::fs::write(corpus.join(format!("{k:05}.txt")), text).unwrap();
    }
    let db = dir.path().join("t.db");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["ingest", "--jobs", "2", corpus.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some documents are committed, then kill -9.
    let wal = dir.path().join("t.db-wal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // (Opening the store writes its schema into the WAL first: wait well past that.)
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 1_500_000 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let stats = |db: &Path| -> serde_json::Value {
        let o = run(db, &["stats", "--json"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let s = stats(&db);
    let docs = s["documents"].as_u64().unwrap();
    assert!(docs > 0, "nothing committed before the kill");
    // Every committed document has all three of its sentences: none is half stored.
    assert_eq!(s["sentences"].as_u64().unwrap(), 3 * docs, "{s}");
    // A second run completes the corpus.
    let o = run(&db, &["ingest", corpus.to_str().unwrap()]);
    assert!(o.status.success());
    let s = stats(&db);
    assert_eq!((s["documents"].as_u64(), s["sentences"].as_u64()), (Some(n), Some(3 * n)), "{s}");
}

#[test]
fn oversized_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    // A 200 MB file (sparse: cheap to make) beside a normal one.
    let big = std::fs::File::create(corpus.join("big.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    std::fs::write(corpus.join("small.txt"), "A small story\n\nIt is short.\n").unwrap();
    let db = dir.path().join("t.db");
    let o = run(&db, &["ingest", corpus.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("big.txt: document is 209715200 bytes, over the"), "{err}");
    assert_eq!(documents(&db).len(), 1);
}

/// The seed corpus end to end through NLP and actors, scored by the shared gold
/// scorer. A floor, not the goal: it guards against regressions of what works today
/// (entities F1 0.91, no identity splits or merges on 2026-11-22).
#[test]
fn seeds_entities_score_against_gold() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = run(&db, &["ingest", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let export_path = dir.path().join("e.jsonl");
    let o = run(&db, &["export", "--format", "jsonl", "-o", export_path.to_str().unwrap()]);
    assert!(o.status.success());
    let scorer = seeds.join("../tools/score_gold.py");
    let gold = seeds.join("../gold/seeds.gold.json");
    let o = Command::new("python3").arg(&scorer).arg(&gold).arg(&export_path).arg("--json").output().expect("python3 runs the scorer");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f1 = s["entities"]["f1"].as_f64().unwrap();
    eprintln!("seed entities: {}", s["entities"]);
    assert!(f1 >= 0.85, "entities F1 {f1} < 0.85: {s}");
    assert_eq!(s["identity"]["splits"], 0, "{s}");
    assert_eq!(s["identity"]["merges"], 0, "{s}");
}

/// Issue 4: with the OFAC list imported, Prigozhin and Wagner link to their SDN
/// entries, and the links survive a re-ingest.
#[test]
fn seeds_link_to_ofac_entries() {
    let Some(seeds) = seeds() else { return };
    let ofac = seeds.join("../data/sanctions/ofac_sdn_2024-05-03.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(run(&db, &["ingest", seeds.to_str().unwrap()]).status.success());
    let o = run(&db, &["kb", "import", ofac.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let linked = |db: &Path| -> Vec<(String, String)> {
        export(db)
            .into_iter()
            .filter(|r| r["kind"] == "entity")
            .flat_map(|e| {
                let name = e["name"].as_str().unwrap_or("").to_string();
                e["attributes"]["watchlists"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |w| (name.clone(), format!("{}:{}", w["source"].as_str().unwrap_or(""), w["id"].as_str().unwrap_or(""))))
            })
            .collect()
    };
    let links = linked(&db);
    for (who, sdn) in [("Prigozhin", "ofac-sdn:21171"), ("Wagner", "ofac-sdn:22543")] {
        assert!(links.iter().any(|(n, id)| n.contains(who) && id == sdn), "{who} not linked to {sdn}: {links:?}");
    }
    // Peskov and Utkin link to different entries.
    let of = |who: &str| links.iter().filter(|(n, _)| n.contains(who)).map(|(_, id)| id.clone()).collect::<Vec<_>>();
    assert_ne!(of("Peskov"), of("Utkin"));
    // A linked entity carries the entry's aliases and programmes.
    let prigozhin = export(&db).into_iter().find(|r| r["kind"] == "entity" && r["name"].as_str().is_some_and(|n| n.contains("Prigozhin"))).unwrap();
    let entry = &prigozhin["attributes"]["watchlists"][0];
    assert!(!entry["aliases"].as_array().cloned().unwrap_or_default().is_empty(), "{prigozhin}");
    assert!(entry["programs"].as_array().is_some_and(|p| p.iter().any(|x| x == "RUSSIA-EO14024")), "{prigozhin}");
    assert!(run(&db, &["ingest", seeds.to_str().unwrap()]).status.success());
    assert_eq!(linked(&db), links, "links changed on re-ingest");
}

/// Issue 4: merge/split judgements are stored, shown in the export, and honoured
/// on every later run (a re-ingest leaves the entities as judged).
#[test]
fn judgements_survive_reingest() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(run(&db, &["ingest", seeds.to_str().unwrap()]).status.success());
    let entities = |db: &Path| -> Vec<serde_json::Value> { export(db).into_iter().filter(|r| r["kind"] == "entity").collect() };
    let with_alias = |es: &[serde_json::Value], alias: &str| -> Vec<Vec<String>> {
        es.iter()
            .map(|e| e["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect::<Vec<_>>())
            .filter(|al| al.iter().any(|a| a == alias))
            .collect()
    };
    let before = entities(&db);
    let wagner = with_alias(&before, "Wager Group");
    assert!(wagner.len() == 1 && wagner[0].contains(&"Wagner Group".to_string()), "{wagner:?}");

    let o = run(&db, &["split", "Wagner Group", "--alias", "Wager Group"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&db, &["merge", "Dmitry Peskov", "Dmitry Utkin"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let judged = entities(&db);
    let check = |es: &[serde_json::Value]| {
        let wager = with_alias(es, "Wager Group");
        assert!(wager.len() == 1 && !wager[0].contains(&"Wagner Group".to_string()), "split not honoured: {wager:?}");
        let peskov = with_alias(es, "Dmitry Peskov");
        assert!(peskov.len() == 1 && peskov[0].contains(&"Dmitry Utkin".to_string()), "merge not honoured: {peskov:?}");
    };
    check(&judged);
    let shown: Vec<serde_json::Value> = export(&db).into_iter().filter(|r| r["kind"] == "judgement").collect();
    assert_eq!(shown.len(), 2);
    assert_eq!((shown[0]["action"].as_str(), shown[1]["action"].as_str()), (Some("split"), Some("merge")));

    assert!(run(&db, &["ingest", seeds.to_str().unwrap()]).status.success());
    check(&entities(&db));
    assert_eq!(entities(&db), judged);
}

/// Issues 4 and 5 on the seed corpus: every required GPE of the gold has coordinates
/// within 50 km of the real place (countries: the mledoze point; cities: the most
/// populous GeoNames city of that name, both read from ../shared at test time); facts
/// are never read from furniture; `dossier eval` agrees with score_gold.py; and the fact
/// scores meet issue 5's bars (P 0.879, R 0.870, count 7/7, role 13/13, modality 6/7,
/// source 8/10 on 2026-11-22).
#[test]
fn seeds_places_facts_and_eval() {
    let Some(seeds) = seeds() else { return };
    let data = seeds.join("../data");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = run(&db, &["ingest", seeds.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let records = export(&db);
    let gold: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(seeds.join("../gold/seeds.gold.json")).unwrap()).unwrap();

    // Reference points.
    let countries: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("countries-mledoze/countries.json")).unwrap()).unwrap();
    let cities: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(data.join("geonames/cities15000.json")).unwrap()).unwrap();
    let reference = |names: &[String]| -> Option<(f64, f64)> {
        for c in countries.as_array().unwrap() {
            let mut cn: Vec<String> = vec![c["name"]["common"].as_str().unwrap_or("").to_lowercase(), c["name"]["official"].as_str().unwrap_or("").to_lowercase()];
            cn.extend(c["altSpellings"].as_array().into_iter().flatten().filter_map(|a| a.as_str()).map(str::to_lowercase));
            if names.iter().any(|n| cn.contains(n)) {
                return Some((c["latlng"][0].as_f64()?, c["latlng"][1].as_f64()?));
            }
        }
        let mut best: Option<(u64, (f64, f64))> = None;
        for c in cities.as_object().unwrap().values() {
            let mut cn: Vec<String> = vec![c["name"].as_str().unwrap_or("").to_lowercase()];
            cn.extend(c["alternatenames"].as_array().into_iter().flatten().filter_map(|a| a.as_str()).map(str::to_lowercase));
            let pop = c["population"].as_u64().unwrap_or(0);
            if names.iter().any(|n| cn.contains(n)) && best.map_or(true, |(p, _)| pop > p) {
                best = Some((pop, (c["latitude"].as_f64()?, c["longitude"].as_f64()?)));
            }
        }
        best.map(|(_, p)| p)
    };
    let entities: Vec<&serde_json::Value> = records.iter().filter(|r| r["kind"] == "entity").collect();
    let mut checked = 0;
    for g in gold["entities"].as_array().unwrap() {
        if g["type"] != "GPE" || g.get("required") == Some(&serde_json::Value::Bool(false)) {
            continue;
        }
        let mut names: Vec<String> = g["aliases"].as_array().unwrap().iter().filter_map(|a| a.as_str()).map(str::to_lowercase).collect();
        names.push(g["name"].as_str().unwrap().to_lowercase());
        let real = reference(&names).unwrap_or_else(|| panic!("no reference point for {names:?}"));
        let sys = entities
            .iter()
            .find(|e| matches!(e["type"].as_str(), Some("GPE" | "LOC" | "FAC")) && e["aliases"].as_array().unwrap().iter().any(|a| names.contains(&a.as_str().unwrap_or("").to_lowercase())))
            .unwrap_or_else(|| panic!("no place entity for {}", g["name"]));
        let (lat, lon) = (sys["attributes"]["lat"].as_f64(), sys["attributes"]["lon"].as_f64());
        let (Some(lat), Some(lon)) = (lat, lon) else { panic!("{} has no coordinates: {sys}", g["name"]) };
        let d = dossier_geo::distance_km(lat, lon, real.0, real.1);
        assert!(d <= 50.0, "{} is {d:.0} km from the real place", g["name"]);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} gold places checked");

    // No fact evidence inside furniture.
    let furniture: std::collections::HashMap<String, Vec<(u64, u64)>> = records
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|d| {
            let spans = d["furniture"].as_array().unwrap().iter().map(|f| (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap())).collect();
            (d["id"].as_str().unwrap().to_string(), spans)
        })
        .collect();
    let facts: Vec<&serde_json::Value> = records.iter().filter(|r| r["kind"] == "fact").collect();
    assert!(facts.len() >= 30, "{} facts", facts.len());
    for f in &facts {
        let ev = &f["evidence"];
        let (s, e) = (ev["start"].as_u64().unwrap(), ev["end"].as_u64().unwrap());
        for &(fs, fe) in &furniture[ev["doc"].as_str().unwrap()] {
            assert!(e <= fs || s >= fe, "fact read from furniture: {f}");
        }
    }

    // `dossier eval` scores the database as score_gold.py scores its export.
    let export_path = dir.path().join("e.jsonl");
    assert!(run(&db, &["export", "--format", "jsonl", "-o", export_path.to_str().unwrap()]).status.success());
    let o = Command::new("python3")
        .arg(seeds.join("../tools/score_gold.py"))
        .arg(seeds.join("../gold/seeds.gold.json"))
        .arg(&export_path)
        .arg("--json")
        .output()
        .expect("python3 runs the scorer");
    let py: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let o = run(&db, &["eval", seeds.join("../gold/seeds.gold.json").to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for k in ["entities", "identity", "facts", "attributes"] {
        assert_eq!(ours[k], py[k], "{k} differs from score_gold.py");
    }
    eprintln!("seed facts: {}", ours["facts"]);
    let (p, r) = (ours["facts"]["precision"].as_f64().unwrap(), ours["facts"]["recall"].as_f64().unwrap());
    assert!(p >= 0.85 && r >= 0.85, "facts P {p} R {r} under the bar: {ours}");
    // The attribute bars of issue 5: count >= 6/7, role >= 80%, modality and source >= 70%.
    let share = |k: &str| -> (f64, f64) {
        let v = ours["attributes"][k].as_str().unwrap_or("0/0");
        let (a, b) = v.split_once('/').unwrap_or(("0", "0"));
        (a.parse().unwrap_or(0.0), b.parse().unwrap_or(0.0))
    };
    let (found, all) = share("count");
    assert!(found >= 6.0, "count {found}/{all}: fewer than 6 of the 7 gold counts: {ours}");
    for (k, bar) in [("role", 0.8), ("modality", 0.7), ("source", 0.7)] {
        let (a, b) = share(k);
        assert!(b > 0.0 && a / b >= bar, "{k} {a}/{b} under {bar}: {ours}");
    }

    // The fact commands answer.
    let o = run(&db, &["facts", "--about", "Prigozhin", "--json"]);
    assert!(o.status.success());
    assert!(stdout(&o).lines().count() >= 3, "{}", stdout(&o));
    let o = run(&db, &["timeline", "Erdogan"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("2023-01"), "{}", stdout(&o));
    let o = run(&db, &["facts", "--about", "nobody at all"]);
    assert_eq!(o.status.code(), Some(2), "an unknown actor is an error");
}

/// A three-sentence treebank: enough for `nlp train` to run end to end.
const TOY_CONLLU: &str = "\
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
fn nlp_train_tagger_and_parser_on_a_toy_treebank() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    for split in ["train", "dev"] {
        std::fs::write(data.join(format!("toy-ud-{split}.conllu")), TOY_CONLLU).expect("write toy");
    }
    let out = tmp.path().join("models");
    let train = |args: &[&str]| {
        let o = bin()
            .args(["nlp", "train"])
            .args(args)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(&out)
            .args(["--clusters", "none", "--epochs", "1"])
            .stdin(Stdio::null())
            .output()
            .expect("run dossier");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).expect("one JSON report")
    };
    let tagger = train(&["tagger"]);
    assert_eq!(tagger["dev"]["words"], 14, "{tagger}");
    assert!(tagger["dev"].get("uas").is_none() && tagger["test"].is_null(), "{tagger}");
    let parser = train(&["parser", "--folds", "2", "--tagger-epochs", "1"]);
    assert!(parser["dev"]["uas"].as_f64().is_some(), "{parser}");
    for f in ["tagger.bin.zst", "lemma.bin.zst", "parser.bin.zst"] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    // The trained models load and annotate (with the committed NER).
    let ner = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ner.bin.zst");
    std::fs::copy(&ner, out.join("ner.bin.zst")).expect("copy the NER model");
    let doc = tmp.path().join("doc.txt");
    std::fs::write(&doc, "The dog saw a cat.\n").expect("write doc");
    let o = bin().arg("--models").arg(&out).args(["--parser", "perceptron", "nlp", "annotate"]).arg(&doc).output().expect("run dossier");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // The neural tagger and parser: trained on the toy (with the committed vectors), it
    // writes neural.bin.zst, which `--parser neural` then reads from the models folder.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let o = bin()
        .args(["nlp", "train", "neural", "--epochs", "2", "--hidden", "8"])
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .arg("--vectors")
        .arg(repo.join("nn-vectors.bin.zst"))
        .arg("--clusters")
        .arg(repo.join("ner-clusters.tsv.zst"))
        .stdin(Stdio::null())
        .output()
        .expect("run dossier");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let neural: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON report");
    assert!(neural["dev"]["uas"].as_f64().is_some(), "{neural}");
    assert!(out.join("neural.bin.zst").is_file());
    let o = bin().arg("--models").arg(&out).args(["--parser", "neural", "nlp", "annotate"]).arg(&doc).output().expect("run dossier");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Asked for but missing: a clear error naming the file.
    std::fs::remove_file(out.join("neural.bin.zst")).expect("remove");
    let o = bin().arg("--models").arg(&out).args(["--parser", "neural", "nlp", "annotate"]).arg(&doc).output().expect("run dossier");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("neural.bin.zst"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_built_in_neural_parser_annotates() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let doc = tmp.path().join("doc.txt");
    std::fs::write(&doc, "Wagner soldiers have fought in Libya, Syria and the Central African Republic.\n\nThe Kremlin denied it.\n").expect("write doc");
    let o = bin().args(["--parser", "neural", "nlp", "annotate"]).arg(&doc).output().expect("run dossier");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    // Two sentences, each a tree with one root.
    let mut roots = 0;
    let mut sentences = 0;
    for line in out.lines() {
        if line.starts_with("# text") {
            sentences += 1;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 8 && f[6] == "0" {
            roots += 1;
            assert_eq!(f[7], "root", "{line}");
        }
    }
    assert_eq!((sentences, roots), (2, 2), "{out}");
    assert!(out.contains("\tLibya\tLibya\tPROPN\tNNP\t"), "{out}");
}
