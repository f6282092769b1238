//! Prints the values found in text files, or measures extraction speed.
//!
//! ```text
//! cargo run --release -p dossier-nlp --example values_demo -- [--doc-date 2023-07-15] FILE...
//! cargo run --release -p dossier-nlp --example values_demo -- --bench [MB] FILE...
//! ```

use std::time::Instant;

use dossier_nlp::values::{extract, DocDate};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut doc = None;
    let mut bench: Option<usize> = None;
    while let Some(a) = args.first().cloned() {
        match a.as_str() {
            "--doc-date" if args.len() > 1 => {
                doc = DocDate::parse(&args[1]);
                args.drain(..2);
            }
            "--bench" => {
                args.remove(0);
                let mb = args.first().and_then(|s| s.parse().ok());
                if mb.is_some() {
                    args.remove(0);
                }
                bench = Some(mb.unwrap_or(12));
            }
            _ => break,
        }
    }
    let texts: Vec<String> = args
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if let Some(mb) = bench {
        let unit: String = texts.join("\n\n");
        if unit.is_empty() {
            eprintln!("no input");
            return;
        }
        let mut big = String::new();
        while big.len() < mb * 1_000_000 {
            big.push_str(&unit);
            big.push_str("\n\n");
        }
        let doc = doc.or(Some(DocDate::ymd(2023, 7, 15)));
        let _ = extract(&unit, 0..unit.len(), doc); // compile the regexes
        let t = Instant::now();
        let vals = extract(&big, 0..big.len(), doc);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{} bytes, {} values, {:.3} s, {:.1} MB/s",
            big.len(),
            vals.len(),
            secs,
            big.len() as f64 / secs / 1e6
        );
        return;
    }
    for text in &texts {
        for v in extract(text, 0..text.len(), doc) {
            let noun = match &v.normalized {
                dossier_nlp::values::Normalized::Cardinal { noun: Some(n), .. } => {
                    format!("  (of {:?})", text.get(n.clone()).unwrap_or(""))
                }
                _ => String::new(),
            };
            println!(
                "{:>6}..{:<6} {:<9} {:?} => {}{}",
                v.start,
                v.end,
                v.kind.as_str(),
                v.text(text),
                v.normalized,
                noun
            );
        }
        println!();
    }
}
