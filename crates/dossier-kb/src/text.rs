//! Small text helpers shared by the readers.

use std::borrow::Cow;

use crate::KbError;

/// Bytes as text: UTF-8 where valid, else Latin-1 (every byte one character), which
/// is what the OFAC files use.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        // A head cut inside a multi-byte character is still UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            Cow::Borrowed(std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// "VLADIMIR PUTIN" -> "Vladimir Putin", "AL-QAIDA" -> "Al-Qaida", "PEOPLE'S" ->
/// "People's": the first letter of each word (after space, hyphen, slash or
/// parenthesis) upper case, the rest lower case.
pub(crate) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-' | '/' | '(' | '"' | '.');
        }
    }
    out
}

/// Collapses runs of white space into one space and trims.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "SURNAME, Given Names" -> "Given Names Surname" (surname title-cased when written
/// in capitals). `None` when there is no comma to turn around.
pub(crate) fn natural_order(name: &str) -> Option<String> {
    let (surname, given) = name.split_once(',')?;
    let (surname, given) = (surname.trim(), given.trim());
    if surname.is_empty() || given.is_empty() {
        return None;
    }
    let surname = if surname.chars().any(char::is_lowercase) {
        surname.to_string()
    } else {
        title_case(surname)
    };
    Some(format!("{given} {surname}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_words() {
        assert_eq!(title_case("VLADIMIR PUTIN"), "Vladimir Putin");
        assert_eq!(title_case("AL-QAIDA"), "Al-Qaida");
        assert_eq!(
            title_case("NATIONAL PEOPLE'S CONGRESS"),
            "National People's Congress"
        );
        assert_eq!(title_case("U.N."), "U.N.");
        assert_eq!(
            title_case("ADEN ABYAN ISLAMIC ARMY (AAIA)"),
            "Aden Abyan Islamic Army (Aaia)"
        );
    }

    #[test]
    fn natural_order_names() {
        assert_eq!(
            natural_order("PRIGOZHIN, Yevgeniy Viktorovich").as_deref(),
            Some("Yevgeniy Viktorovich Prigozhin")
        );
        assert_eq!(
            natural_order("AL-WARD, 'Abd").as_deref(),
            Some("'Abd Al-Ward")
        );
        assert_eq!(
            natural_order("MADURO MOROS, Nicolas").as_deref(),
            Some("Nicolas Maduro Moros")
        );
        assert_eq!(natural_order("NOCOMMA"), None);
        assert_eq!(natural_order("X,"), None);
    }

    #[test]
    fn decode_latin1() {
        assert_eq!(decode("café".as_bytes()), "café");
        assert_eq!(decode(&"café".as_bytes()[..4]), "caf");
        assert_eq!(decode(b"caf\xe9 au lait"), "café au lait");
    }
}

/// Counts lines under a `Read` that another reader (the csv crate) buffers, so that a
/// record's byte offset can be turned into its line number. (The csv crate's own
/// line numbers skip blank lines.) Queries must come with growing offsets.
pub(crate) struct LineTracker<R> {
    inner: R,
    state: std::sync::Arc<std::sync::Mutex<Lines>>,
}

#[derive(Default)]
pub(crate) struct Lines {
    read: u64,
    counted: u64,
    /// Offsets of line ends (`\n`, and `\r` marked `true`) read but not yet passed.
    pending: std::collections::VecDeque<(u64, bool)>,
}

/// The handle that answers line numbers for a [`LineTracker`].
#[derive(Clone)]
pub(crate) struct LineOf(std::sync::Arc<std::sync::Mutex<Lines>>);

impl<R> LineTracker<R> {
    pub(crate) fn new(inner: R) -> (LineTracker<R>, LineOf) {
        let state = std::sync::Arc::new(std::sync::Mutex::new(Lines::default()));
        (
            LineTracker {
                inner,
                state: state.clone(),
            },
            LineOf(state),
        )
    }
}

impl<R: std::io::Read> std::io::Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut s) = self.state.lock() {
            let start = s.read;
            for (i, &b) in buf[..n].iter().enumerate() {
                if b == b'\n' || b == b'\r' {
                    s.pending.push_back((start + i as u64, b == b'\r'));
                }
            }
            s.read += n as u64;
        }
        Ok(n)
    }
}

impl LineOf {
    /// The 1-based line of the record the csv crate says starts at byte `offset`
    /// (its offsets include the blank lines skipped before the record).
    pub(crate) fn line(&self, offset: u64) -> u64 {
        let Ok(mut s) = self.0.lock() else { return 0 };
        let mut cur = offset;
        while let Some(&(at, cr)) = s.pending.front() {
            if at > cur {
                break;
            }
            s.pending.pop_front();
            if !cr {
                s.counted += 1;
            }
            if at == cur {
                cur += 1;
            }
        }
        s.counted + 1
    }
}

/// A CSV reader's error as a [`KbError`] naming file and line. An IO error ends
/// the file (`done` is set); a malformed row does not.
pub(crate) fn csv_error(e: csv::Error, lines: &LineOf, file: &str, done: &mut bool) -> KbError {
    let line = e.position().map(|p| lines.line(p.byte()));
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        *done = true;
    }
    KbError::invalid(file, line, None, e.to_string())
}
