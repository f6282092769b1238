//! From what the user typed to a stream of units of work, in a fixed order.

use crate::{Failure, Origin};
use dossier_text::{sniff_format, Format, ReadError, ReadLimits};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One thing to ingest, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a directory (walked recursively, hidden entries skipped).
    Path(String),
    /// Standard input.
    Stdin,
}

impl Input {
    /// "-" is stdin; anything else a path.
    pub fn parse(s: &str) -> Input {
        if s == "-" {
            Input::Stdin
        } else {
            Input::Path(s.to_string())
        }
    }
}

/// One document's worth of work.
#[derive(Debug, Clone)]
pub enum Unit {
    /// A whole file, read by the worker.
    File {
        /// Path for display and the store.
        path: String,
        /// Path to open.
        fs_path: PathBuf,
        /// Source identity.
        key: String,
        /// Format.
        format: Format,
    },
    /// A whole document already in memory (stdin).
    Bytes {
        /// "-".
        path: String,
        /// Source identity.
        key: String,
        /// The bytes.
        bytes: Vec<u8>,
        /// Format.
        format: Format,
    },
    /// One JSONL line.
    Line {
        /// The JSONL file's path.
        path: String,
        /// Source identity.
        key: String,
        /// 1-based line number.
        line: u64,
        /// The line, or why it could not be read.
        text: Result<String, ReadError>,
    },
}

impl Unit {
    /// Where it came from.
    pub fn origin(&self) -> Origin {
        match self {
            Unit::File { path, .. } | Unit::Bytes { path, .. } => Origin { path: path.clone(), line: None },
            Unit::Line { path, line, .. } => Origin { path: path.clone(), line: Some(*line) },
        }
    }

    /// Source identity in the store.
    pub fn source_key(&self) -> &str {
        match self {
            Unit::File { key, .. } | Unit::Bytes { key, .. } | Unit::Line { key, .. } => key,
        }
    }
}

/// A file found by [`expand`].
pub(crate) enum Entry {
    File { path: String, fs_path: PathBuf, key: String },
    Stdin { bytes: Vec<u8> },
}

/// Expands inputs into files in a fixed order: inputs as given, directories
/// recursively with entries sorted by name, hidden files and folders skipped.
pub(crate) fn expand(inputs: &[Input]) -> (Vec<Entry>, Vec<Failure>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut fail = |path: &str, message: String| failures.push(Failure { origin: Origin { path: path.into(), line: None }, message });
    for input in inputs {
        match input {
            Input::Stdin => {
                let mut bytes = Vec::new();
                match std::io::stdin().lock().read_to_end(&mut bytes) {
                    Ok(_) => files.push(Entry::Stdin { bytes }),
                    Err(e) => fail("-", format!("cannot read standard input: {e}")),
                }
            }
            Input::Path(p) => {
                let path = Path::new(p);
                match std::fs::metadata(path) {
                    Err(e) => fail(p, io_message(&e)),
                    Ok(m) if m.is_dir() => {
                        let walker = walkdir::WalkDir::new(path)
                            .sort_by_file_name()
                            .into_iter()
                            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
                        for entry in walker {
                            match entry {
                                Ok(e) if e.file_type().is_file() => {
                                    let display = e.path().to_string_lossy().into_owned();
                                    files.push(Entry::File { key: key_of(e.path()), path: display, fs_path: e.into_path() });
                                }
                                Ok(_) => {}
                                Err(e) => {
                                    let where_ = e.path().map_or(p.clone(), |x| x.to_string_lossy().into_owned());
                                    fail(&where_, e.to_string());
                                }
                            }
                        }
                    }
                    Ok(_) => files.push(Entry::File { key: key_of(path), path: p.clone(), fs_path: path.to_path_buf() }),
                }
            }
        }
    }
    (files, failures)
}

fn key_of(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).to_string_lossy().into_owned()
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads a whole file, refusing it before reading if it is over the limit.
pub(crate) fn read_capped(path: &Path, limits: ReadLimits) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(io_message(&e));
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.max_bytes {
        return Err(ReadError::TooLarge { size, limit: limits.max_bytes });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::open(path).map_err(io)?.take(limits.max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    Ok(bytes)
}

/// An item of the unit stream: a unit, or the end of one file's units.
pub(crate) enum Item {
    Unit(Unit),
    FileDone,
}

/// The units of `files`, lazily: JSONL files are streamed line by line.
pub(crate) fn units(files: Vec<Entry>, limits: ReadLimits) -> impl Iterator<Item = Item> {
    Units { files: files.into_iter(), limits, current: None, pending: None }
}

struct LineSource {
    path: String,
    key: String,
    reader: Box<dyn BufRead>,
    line: u64,
}

struct Units {
    files: std::vec::IntoIter<Entry>,
    limits: ReadLimits,
    current: Option<LineSource>,
    pending: Option<Item>,
}

impl Iterator for Units {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.take() {
            return Some(item);
        }
        loop {
            if let Some(src) = &mut self.current {
                match next_line(src, self.limits) {
                    Some(Some(unit)) => return Some(Item::Unit(unit)),
                    Some(None) => continue, // blank line
                    None => {
                        self.current = None;
                        return Some(Item::FileDone);
                    }
                }
            }
            let entry = self.files.next()?;
            match entry {
                Entry::File { path, fs_path, key } => {
                    let format = match sniff_head(&fs_path) {
                        Ok(head) => sniff_format(&path, &head),
                        Err(_) => Format::Text, // the read in the worker reports the error
                    };
                    if format == Format::Jsonl {
                        match std::fs::File::open(&fs_path) {
                            Ok(f) => {
                                self.current = Some(LineSource { path, key, reader: Box::new(BufReader::new(f)), line: 0 });
                                continue;
                            }
                            Err(_) => {} // reported by the worker's read
                        }
                    }
                    self.pending = Some(Item::FileDone);
                    return Some(Item::Unit(Unit::File { path, fs_path, key, format }));
                }
                Entry::Stdin { bytes } => {
                    let format = sniff_format("", &bytes);
                    let key = format!("stdin:{}", short_hash(&bytes));
                    if format == Format::Jsonl {
                        self.current =
                            Some(LineSource { path: "-".into(), key, reader: Box::new(std::io::Cursor::new(bytes)), line: 0 });
                        continue;
                    }
                    self.pending = Some(Item::FileDone);
                    return Some(Item::Unit(Unit::Bytes { path: "-".into(), key, bytes, format }));
                }
            }
        }
    }
}

fn sniff_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)?.take(512).read_to_end(&mut head)?;
    Ok(head)
}

/// FNV-1a, enough to tell apart two texts piped in on stdin.
fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// The next JSONL line as a unit: `None` at the end, `Some(None)` for a blank line.
fn next_line(src: &mut LineSource, limits: ReadLimits) -> Option<Option<Unit>> {
    let mut buf = Vec::new();
    let mut too_long = false;
    let mut any = false;
    let mut size = 0u64;
    loop {
        let chunk = match src.reader.fill_buf() {
            Ok(c) => c,
            Err(e) => {
                src.line += 1;
                let text = Err(ReadError::Io(e.to_string()));
                // Stop reading this source after an IO error.
                src.reader = Box::new(std::io::empty());
                return Some(Some(Unit::Line { path: src.path.clone(), key: line_key(src), line: src.line, text }));
            }
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        size += take as u64;
        if !too_long && (buf.len() + take) as u64 <= limits.max_bytes + 1 {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            too_long = true;
            buf.clear();
        }
        src.reader.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return None;
    }
    src.line += 1;
    let line = src.line;
    if too_long || size > limits.max_bytes + 1 {
        let text = Err(ReadError::TooLarge { size, limit: limits.max_bytes });
        return Some(Some(Unit::Line { path: src.path.clone(), key: line_key(src), line, text }));
    }
    let text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let err = ReadError::Jsonl { line: line as usize, message: format!("invalid UTF-8 at byte {offset} of the line") };
            return Some(Some(Unit::Line { path: src.path.clone(), key: line_key(src), line, text: Err(err) }));
        }
    };
    if text.trim().is_empty() {
        return Some(None);
    }
    Some(Some(Unit::Line { path: src.path.clone(), key: line_key(src), line, text: Ok(text) }))
}

fn line_key(src: &LineSource) -> String {
    format!("{}#{}", src.key, src.line)
}
