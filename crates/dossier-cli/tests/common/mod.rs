//! Helpers shared by the binary's end-to-end tests.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The built `dossier`, with no database, log or token taken from the environment.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.env_remove("DOSSIER_DB").env_remove("DOSSIER_LOG").env_remove("DOSSIER_TOKEN");
    c
}

/// Runs `dossier --db DB ARGS...` with no standard input.
pub fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).stdin(Stdio::null()).output().expect("run dossier")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

/// The seed corpus, or `None` (after a note) when ../shared is absent outside CI.
pub fn seeds() -> Option<PathBuf> {
    let shared = std::env::var_os("DOSSIER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let seeds = shared.join("seeds");
    if seeds.is_dir() {
        return Some(seeds);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the seed corpus is missing at {} (CI=true): tests need ../shared beside the checkout", seeds.display());
    }
    eprintln!("note: {} missing; skipping a test that needs the seed corpus", seeds.display());
    None
}
