//! Synthetic data for `dossier serve`, and the neighbourhood benchmark.
//!
//! ```sh
//! # 1M facts over 100k entities, then p50/p99 of 2000 neighbourhood requests (depth 1, limit 200)
//! cargo run --release -p dossier-serve --example synth -- bench --db /tmp/synth.db --facts 1000000 [--warmup 5000]
//! # co-occurrence facts over an ingested corpus (stand-in until the fact stage fills facts)
//! cargo run -p dossier-serve --example synth -- cooccurrence --db seeds.db
//! ```
//!
//! The benchmark sends each request through the whole router in process (routing,
//! validation, the pooled SQLite read on the blocking pool, JSON), one at a time, to
//! centres drawn the way facts were: hubs more often than the tail.

#[path = "../tests/common/fixture.rs"]
mod fixture;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dossier_serve::{router, AppState};
use dossier_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn num(args: &[String], name: &str, default: u64) -> u64 {
    arg(args, name).map(|v| v.parse().unwrap_or_else(|_| panic!("{name} takes a number"))).unwrap_or(default)
}

/// CPU time of the whole process (all threads): what a request costs, whatever else
/// the machine is running.
fn cpu_time() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the struct it is handed.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = PathBuf::from(arg(&args, "--db").unwrap_or_else(|| "synth.db".into()));
    match args.first().map(String::as_str) {
        Some("cooccurrence") => {
            let mut store = Store::open(&db).expect("open store");
            let n = fixture::cooccurrence(&mut store).expect("co-occurrence facts");
            eprintln!("{}: {n} co-occurrence facts", db.display());
        }
        Some("bench") => {
            let n_entities = num(&args, "--entities", 100_000);
            let n_facts = num(&args, "--facts", 1_000_000);
            let n_queries = num(&args, "--queries", 2000);
            let depth = num(&args, "--depth", 1);
            let limit = num(&args, "--limit", 200);
            if !db.exists() || args.iter().any(|a| a == "--fresh") {
                let _ = std::fs::remove_file(&db);
                let t = Instant::now();
                let mut store = Store::open(&db).expect("open store");
                fixture::synthetic(&mut store, n_entities, n_facts, 200, 42).expect("synthetic graph");
                let st = store.stats().expect("stats");
                eprintln!("generated {} entities, {} facts, {} evidence in {:.1?}", st.entities, st.facts, st.evidence, t.elapsed());
            }
            let store = Store::open(&db).expect("open store");
            let st = store.stats().expect("stats");
            drop(store);
            let app = router(AppState::open(&db, None).expect("state"));
            let mut rng = fixture::Rng::new(7);
            let mut times = Vec::with_capacity(n_queries as usize);
            let mut cpu = Vec::with_capacity(n_queries as usize);
            let mut edges = 0usize;
            // Warm the pool and the memory map as a server that has been running is:
            // `--warmup` requests to other centres drawn the same way (default 0: cold).
            let mut warm_rng = fixture::Rng::new(1234);
            for _ in 0..num(&args, "--warmup", 0) {
                let centre = warm_rng.skewed(st.entities);
                let req = Request::get(format!("/api/neighbourhood/e{centre}?depth={depth}&limit={limit}")).body(Body::empty()).unwrap();
                let _ = app.clone().oneshot(req).await.unwrap().into_body().collect().await;
            }
            for _ in 0..n_queries {
                let centre = rng.skewed(st.entities);
                let uri = format!("/api/neighbourhood/e{centre}?depth={depth}&limit={limit}");
                let (t, c) = (Instant::now(), cpu_time());
                let resp = app.clone().oneshot(Request::get(&uri).body(Body::empty()).unwrap()).await.unwrap();
                assert_eq!(resp.status(), StatusCode::OK, "{uri}");
                let body = resp.into_body().collect().await.unwrap().to_bytes();
                times.push(t.elapsed());
                cpu.push(cpu_time().saturating_sub(c));
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                edges += v["edges"].as_array().map_or(0, Vec::len);
            }
            times.sort();
            cpu.sort();
            println!(
                "neighbourhood depth={depth} limit={limit} over {} facts, {} entities: {} requests, mean {} edges; \
                 wall p50 {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}; CPU p50 {:.2?}, p99 {:.2?}",
                st.facts,
                st.entities,
                times.len(),
                edges / times.len().max(1),
                percentile(&times, 0.5),
                percentile(&times, 0.9),
                percentile(&times, 0.99),
                times[times.len() - 1],
                percentile(&cpu, 0.5),
                percentile(&cpu, 0.99),
            );
        }
        _ => {
            eprintln!("usage: synth bench --db FILE [--entities N] [--facts N] [--queries N] [--warmup N] [--depth D] [--limit L] [--fresh]\n       synth cooccurrence --db FILE");
            std::process::exit(2);
        }
    }
}
