//! `dossier export --format F` for every format, end to end. The formats' own checks
//! (parsed back with XML, CSV and JSON parsers, the FtM schemata, Neo4j's header rules)
//! are unit tests in dossier-export; here each format runs through the binary.

mod common;

use common::{run, seeds};
use std::process::Output;

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

#[test]
fn every_format_runs_on_a_small_database() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "Wagner <news> & \"more\"\n\nThe group met in Minsk on Friday.\n").unwrap();
    let db = dir.path().join("t.db");
    ok(&run(&db, &["ingest", "--no-nlp", text.to_str().unwrap()]));

    let ftm = ok(&run(&db, &["export", "--format", "ftm"]));
    let articles: Vec<serde_json::Value> = ftm.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["schema"], "Article");
    for format in ["graphml", "gexf"] {
        let xml = ok(&run(&db, &["export", "--format", format]));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{format}");
        assert!(xml.trim_end().ends_with(if format == "gexf" { "</gexf>" } else { "</graphml>" }), "{format}");
    }
    let csv = ok(&run(&db, &["export", "--format", "events-csv"]));
    assert!(csv.starts_with("event_id,date,precision,type,mode,actor1,actor2,location,lat,lon,count,source,modality,evidence,doc,confidence"));
    let geo: serde_json::Value = serde_json::from_str(&ok(&run(&db, &["export", "--format", "geojson"]))).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");

    // To a file: written whole, same bytes as standard output.
    let out = dir.path().join("g.graphml");
    ok(&run(&db, &["export", "--format", "graphml", "-o", out.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), ok(&run(&db, &["export", "--format", "graphml"])));

    // neo4j needs a directory.
    let o = run(&db, &["export", "--format", "neo4j"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o DIR"));
    let neo = dir.path().join("neo4j");
    ok(&run(&db, &["export", "--format", "neo4j", "-o", neo.to_str().unwrap()]));
    for f in ["documents.csv", "entities.csv", "facts.csv", "mentions.csv", "import.sh", "load.cypher"] {
        assert!(neo.join(f).is_file(), "{f}");
    }
    let docs = std::fs::read_to_string(neo.join("documents.csv")).unwrap();
    assert_eq!(docs.lines().count(), 2);
}

/// Issue 6's bar: the GraphML of the seeds has the Wagner Group node, with its edges
/// once the store has facts.
#[test]
fn seeds_graphml_has_wagner_group() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    ok(&run(&db, &["ingest", seeds.to_str().unwrap()]));
    let xml = ok(&run(&db, &["export", "--format", "graphml"]));
    // Each node is `<node id="...">` followed by its data lines, the label first.
    let mut wagner = None;
    let mut lines = xml.lines();
    while let Some(line) = lines.next() {
        if let Some(id) = line.trim().strip_prefix("<node id=\"").and_then(|r| r.strip_suffix("\">")) {
            let label = lines.next().unwrap_or("").trim();
            if label == "<data key=\"n_label\">Wagner Group</data>" || label == "<data key=\"n_label\">Wagner</data>" {
                wagner = Some(id.to_string());
            }
        }
    }
    let wagner = wagner.expect("a Wagner Group node");
    let stats: serde_json::Value = serde_json::from_str(&ok(&run(&db, &["stats", "--json"]))).unwrap();
    if stats["facts"].as_u64().unwrap_or(0) > 0 {
        let edges = xml.matches(&format!("source=\"{wagner}\"")).count() + xml.matches(&format!("target=\"{wagner}\"")).count();
        assert!(edges > 0, "the Wagner Group node has no edges");
    }
}
