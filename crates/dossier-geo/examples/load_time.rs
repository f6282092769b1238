//! Measures how long the embedded gazetteer takes to load (decompression and indexing).
//!
//! `cargo run --release -p dossier-geo --example load_time`
use std::time::Instant;

fn cpu_seconds() -> f64 {
    // Process CPU time (all threads) where the platform reports it (Linux), else wall time is all there is.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let f: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn main() {
    for _ in 0..3 {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let g = dossier_geo::Gazetteer::from_bytes(
            dossier_geo::EMBEDDED_PLACES,
            dossier_geo::EMBEDDED_COUNTRIES,
        )
        .expect("the embedded tables load");
        println!(
            "{} places: {:.0} ms wall, {:.0} ms CPU",
            g.places().len(),
            wall.elapsed().as_secs_f64() * 1e3,
            (cpu_seconds() - cpu) * 1e3
        );
    }
}
