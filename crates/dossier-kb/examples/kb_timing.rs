//! Reads watchlist files, builds one index and times both:
//! `cargo run --release -p dossier-kb --example kb_timing -- FILE... [-- NAME:TYPE...]`.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use dossier_kb::{read, sniff, EntityType, KbIndex};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (files, queries) = (&args[..split], args.get(split + 1..).unwrap_or_default());
    let start = Instant::now();
    let mut all = Vec::new();
    for file in files {
        let path = Path::new(file);
        let mut head = Vec::new();
        if let Ok(f) = std::fs::File::open(path) {
            let _ = f.take(4096).read_to_end(&mut head);
        }
        let Some(format) = sniff(path, &head) else {
            eprintln!("{file}: format not recognised");
            continue;
        };
        let t = Instant::now();
        let (mut n_ok, mut n_err) = (0, 0);
        let mut by_type = std::collections::BTreeMap::new();
        match read(path, format) {
            Ok(entries) => {
                for item in entries {
                    match item {
                        Ok(e) => {
                            n_ok += 1;
                            *by_type.entry(format!("{:?}", e.etype)).or_insert(0) += 1;
                            all.push(e);
                        }
                        Err(e) => {
                            n_err += 1;
                            eprintln!("  {e}");
                        }
                    }
                }
            }
            Err(e) => eprintln!("{e}"),
        }
        println!(
            "{file}: {} {n_ok} entries, {n_err} errors, {by_type:?}, read in {:.1?}",
            format.name(),
            t.elapsed()
        );
    }
    let t = Instant::now();
    let index = KbIndex::build(all);
    println!(
        "index of {} entries built in {:.1?}; total {:.1?}",
        index.len(),
        t.elapsed(),
        start.elapsed()
    );
    for q in queries {
        let (name, etype) = q.rsplit_once(':').unwrap_or((q, "other"));
        let t = Instant::now();
        let found = index.lookup_matches(name, EntityType::parse_loose(etype));
        let took = t.elapsed();
        println!(
            "{name:?} as {etype}: {} match(es) in {took:.1?}",
            found.len()
        );
        for m in found.iter().take(8) {
            println!(
                "  {} {} {:?} {:?} via {:?} ({:?})",
                m.entry.source, m.entry.id, m.entry.etype, m.entry.name, m.alias, m.kind
            );
        }
    }
}
