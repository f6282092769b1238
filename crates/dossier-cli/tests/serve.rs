//! `dossier serve` as a process: the refusal to expose a database without a token, and
//! a real socket answering the API.

mod common;

use common::bin;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

fn empty_db(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("t.db");
    dossier_store::Store::open(&db).expect("create store");
    db
}

#[test]
fn non_loopback_bind_without_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = empty_db(&dir);
    let o = bin().arg("--db").arg(&db).args(["serve", "--bind", "0.0.0.0:0"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("refusing to listen on 0.0.0.0:0 without a token"), "{err}");
    let o = bin().arg("--db").arg(dir.path().join("none.db")).args(["serve"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no database at"));
}

#[test]
fn serves_the_api_on_a_loopback_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = empty_db(&dir);
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["serve", "--bind", "127.0.0.1:0", "--token", "test-token-1"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|s| s.split('/').next()).unwrap_or_else(|| panic!("{line}")).to_string();
    let ask = |auth: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET /api/search?q=wagner HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    };
    let ok = ask("Authorization: Bearer test-token-1\r\n");
    let denied = ask("");
    child.kill().unwrap();
    let _ = child.wait();
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("\"entities\":[]"), "{ok}");
    assert!(denied.starts_with("HTTP/1.1 401"), "{denied}");
}
