//! PETRARCH / TABARI actor dictionaries (`*.actors.txt`, e.g. the Phoenix ones).
//!
//! A record is a primary phrase (`VLADIMIR_PUTIN_`, optionally with a default code
//! `[RUS]`), synonym lines starting with `+`, and code lines starting with a tab:
//! `[RUSGOV 991231-080507]`, `[RUSGOV >080508]`, `[RUSELI <700101]`, `[RUSELI]`.
//! Dates are `YYMMDD` (00-30 are 20YY, as PETRARCH reads them) or `YYYYMMDD`. `#`
//! and `;` start comments; `---STOP---` ends the file.
//!
//! PETRARCH gives every primary phrase read since the last code lines the codes that
//! follow; this reader does the same, but keeps each primary phrase its own entry
//! (two primaries in a row are usually two actors sharing a code, e.g.
//! `UN_SECRETARY_GENERAL` after `U.N._`). Kept:
//!
//! - id: the primary phrase as written (trailing `_` removed);
//! - name: the phrase title-cased, underscores as spaces ("Vladimir Putin");
//!   aliases: the synonyms, the same way;
//! - roles: the codes, with `from`/`to` as ISO dates;
//! - type: Person when a code carries dates or the comment says `CountryInfo`
//!   (the leader lists), Place when the default code is a bare country code
//!   (`[AFG]`, `[PSEGZA]`), Organization otherwise in the MilNonState and
//!   International dictionaries or when a code names a sector (`GOV`, `MIL`, `IGO`,
//!   ...), else Other.
//!
//! The agents dictionary (`Phoenix.agents.txt`: generic nouns such as POLICE or
//! REBELS mapped to sector codes) is a different format and names no actor; it is not
//! read.

use std::collections::VecDeque;
use std::io::BufRead;

use crate::text::{squash, title_case};
use crate::{DatedRole, EntityType, KbError, WatchlistEntry};

pub(crate) const SOURCE: &str = "petrarch";

/// CAMEO sector codes (the three letters after a country code).
const SECTORS: [&str; 32] = [
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "IGO", "NGO", "MED", "EDU", "BUS",
    "CRM", "CVL", "REF", "ELI", "LAB", "LEG", "HLH", "AGR", "ENV", "IRG", "MNC", "NGM", "SET",
    "UAF", "REL", "MOD", "RAD", "INS", "IMG",
];

pub(crate) struct PetrarchReader<R: BufRead> {
    file: String,
    file_kind: FileKind,
    reader: R,
    line_no: u64,
    buf: Vec<u8>,
    /// Primary phrases waiting for their codes.
    pending: Vec<Group>,
    /// The codes read for `pending`.
    codes: Vec<Code>,
    out: VecDeque<Result<WatchlistEntry, KbError>>,
    done: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Countries,
    Organizations,
    Unknown,
}

struct Group {
    primary: String,
    synonyms: Vec<String>,
    country_info: bool,
    /// The code written on the primary line, if any.
    default_code: Option<String>,
}

struct Code {
    code: String,
    from: Option<String>,
    to: Option<String>,
}

impl<R: BufRead> PetrarchReader<R> {
    pub(crate) fn new(reader: R, file: &str) -> PetrarchReader<R> {
        let lower = file.to_ascii_lowercase();
        let file_kind = if lower.contains("milnonstate") || lower.contains("international") {
            FileKind::Organizations
        } else if lower.contains("countries") {
            FileKind::Countries
        } else {
            FileKind::Unknown
        };
        PetrarchReader {
            file: file.to_string(),
            file_kind,
            reader,
            line_no: 0,
            buf: Vec::new(),
            pending: Vec::new(),
            codes: Vec::new(),
            out: VecDeque::new(),
            done: false,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<WatchlistEntry, KbError>> {
        loop {
            if let Some(item) = self.out.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.flush();
                    self.done = true;
                }
                Ok(_) => {
                    self.line_no += 1;
                    let line = crate::text::decode(&self.buf).into_owned();
                    self.line(&line);
                }
                Err(source) => {
                    self.flush();
                    self.out.push_back(Err(KbError::Io {
                        file: self.file.clone(),
                        source,
                    }));
                    self.done = true;
                }
            }
        }
    }

    fn error(&mut self, message: impl Into<String>) {
        let record = self
            .pending
            .last()
            .map(|g| g.primary.trim_end_matches('_').to_string());
        let err = KbError::invalid(&self.file, Some(self.line_no), record, message);
        self.out.push_back(Err(err));
    }

    fn line(&mut self, raw: &str) {
        let raw = raw.trim_end_matches(['\n', '\r']);
        let trimmed = raw.trim();
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("<!")
            || trimmed.starts_with(';')
        {
            return;
        }
        if trimmed.contains("---STOP---") {
            self.flush();
            self.done = true;
            return;
        }
        let comment_at = trimmed.find(['#', ';']).unwrap_or(trimmed.len());
        let (content, comment) = trimmed.split_at(comment_at);
        if content.trim_start().starts_with('[') {
            if self.pending.is_empty() {
                self.error("code line before any actor");
                return;
            }
            self.code_brackets(content);
        } else if let Some(syn) = content.strip_prefix('+') {
            let Some(group) = self.pending.last_mut() else {
                self.error("synonym before any actor");
                return;
            };
            let (phrase, _) = syn.split_once('[').unwrap_or((syn, ""));
            let phrase = phrase.trim().to_string();
            if !phrase.is_empty() {
                group.synonyms.push(phrase);
            }
        } else {
            // A primary phrase: the codes read so far belong to the phrases before.
            if !self.codes.is_empty() {
                self.flush();
            }
            let (phrase, code_part) = match content.find('[') {
                Some(i) => content.split_at(i),
                None => (content, ""),
            };
            let phrase = phrase.trim().to_string();
            if phrase.is_empty() {
                self.error("empty actor phrase");
                return;
            }
            self.pending.push(Group {
                primary: phrase,
                synonyms: Vec::new(),
                country_info: comment.contains("CountryInfo"),
                default_code: None,
            });
            if !code_part.is_empty() {
                let before = self.codes.len();
                self.code_brackets(code_part);
                if let (Some(c), Some(g)) = (self.codes.get(before), self.pending.last_mut()) {
                    if c.from.is_none() && c.to.is_none() {
                        g.default_code = Some(c.code.clone());
                    }
                }
            }
        }
    }

    /// Reads every `[CODE restriction]` of a line into `codes`.
    fn code_brackets(&mut self, content: &str) {
        let mut rest = content;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let Some(close) = after.find(']') else {
                self.error(format!("unclosed code bracket: {:?}", rest.trim()));
                return;
            };
            let inner = after[..close].trim();
            rest = &after[close + 1..];
            match parse_code(inner) {
                Ok(Some(code)) => self.codes.push(code),
                Ok(None) => {}
                Err(msg) => self.error(msg),
            }
        }
    }

    /// Emits the pending phrases with the codes read for them.
    fn flush(&mut self) {
        let groups = std::mem::take(&mut self.pending);
        let codes = std::mem::take(&mut self.codes);
        for g in groups {
            let entry = self.entry(g, &codes);
            self.out.push_back(Ok(entry));
        }
    }

    fn entry(&self, g: Group, codes: &[Code]) -> WatchlistEntry {
        let id = g.primary.trim_end_matches('_').to_string();
        let mut e = WatchlistEntry::new(SOURCE, id, EntityType::Other, phrase_name(&g.primary));
        for s in &g.synonyms {
            e.push_alias(&phrase_name(s));
        }
        e.roles = codes
            .iter()
            .map(|c| DatedRole {
                role: c.code.clone(),
                from: c.from.clone(),
                to: c.to.clone(),
            })
            .collect();
        e.etype = self.guess_type(&g, codes);
        e.tidy();
        e
    }

    fn guess_type(&self, g: &Group, codes: &[Code]) -> EntityType {
        if g.country_info || codes.iter().any(|c| c.from.is_some() || c.to.is_some()) {
            return EntityType::Person;
        }
        if let Some(code) = &g.default_code {
            let is_country = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
            let bare_country = code.len() == 3
                || (code.len() == 6 && code.is_char_boundary(3) && !SECTORS.contains(&&code[3..]));
            if is_country(code.get(..3).unwrap_or_default())
                && bare_country
                && self.file_kind != FileKind::Organizations
            {
                return EntityType::Place;
            }
        }
        if self.file_kind == FileKind::Organizations {
            return EntityType::Organization;
        }
        let has_sector = codes.iter().any(|c| {
            let code = c.code.as_str();
            (3..code.len())
                .step_by(3)
                .any(|i| code.get(i..i + 3).is_some_and(|s| SECTORS.contains(&s)))
                || code.get(..3).is_some_and(|s| SECTORS.contains(&s))
        });
        if has_sector {
            EntityType::Organization
        } else {
            EntityType::Other
        }
    }
}

/// "VLADIMIR_V._PUTIN_" -> "Vladimir V. Putin".
fn phrase_name(phrase: &str) -> String {
    title_case(&squash(&phrase.replace('_', " ")))
}

/// `CODE`, `CODE >date`, `CODE <date`, `CODE date-date`. `Ok(None)` for an empty
/// or placeholder code (`---`).
fn parse_code(inner: &str) -> Result<Option<Code>, String> {
    let (code, rest) = match inner.split_once(char::is_whitespace) {
        Some((c, r)) => (c.trim(), r.trim()),
        None => (inner.trim(), ""),
    };
    if code.is_empty() || code.chars().all(|c| c == '-' || c == '~') {
        return Ok(None);
    }
    let code = code.to_string();
    if rest.is_empty() {
        return Ok(Some(Code {
            code,
            from: None,
            to: None,
        }));
    }
    let bad = |what: &str| format!("cannot read date restriction {inner:?}: {what}");
    if let Some(d) = rest.strip_prefix('>') {
        let from = date(d.trim()).ok_or_else(|| bad("date"))?;
        return Ok(Some(Code {
            code,
            from: Some(from),
            to: None,
        }));
    }
    if let Some(d) = rest.strip_prefix('<') {
        let to = date(d.trim()).ok_or_else(|| bad("date"))?;
        return Ok(Some(Code {
            code,
            from: None,
            to: Some(to),
        }));
    }
    let Some((a, b)) = rest.split_once('-') else {
        // A lone date: read as the start, which is what the dictionaries mean by it
        // (PETRARCH itself garbles the code).
        let from = date(rest).ok_or_else(|| bad("expected <date, >date, date-date or date"))?;
        return Ok(Some(Code {
            code,
            from: Some(from),
            to: None,
        }));
    };
    let from = date(a.trim()).ok_or_else(|| bad("start date"))?;
    let to = date(b.trim()).ok_or_else(|| bad("end date"))?;
    if to < from {
        return Err(bad("ends before it starts"));
    }
    Ok(Some(Code {
        code,
        from: Some(from),
        to: Some(to),
    }))
}

/// `YYMMDD` or `YYYYMMDD` -> `YYYY-MM-DD`; `None` when not a real date. As in
/// PETRARCH, more than 7 digits are read as `YYYYMMDD` plus junk, 6 or 7 as `YYMMDD`
/// plus junk.
fn date(s: &str) -> Option<String> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (year, month, day) = match s.len() {
        6 | 7 => {
            let yy = num(0..2)?;
            (
                if yy <= 30 { 2000 + yy } else { 1900 + yy },
                num(2..4)?,
                num(4..6)?,
            )
        }
        n if n >= 8 => (num(0..4)?, num(4..6)?, num(6..8)?),
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Text that reads as an actor dictionary: a `+SYNONYM` line and a code in brackets.
pub(crate) fn looks_like(text: &str) -> bool {
    let mut synonyms = false;
    let mut codes = false;
    for line in text.lines().take(400) {
        let t = line.trim_start();
        synonyms |= t.starts_with('+') && t.len() > 1 && !t[1..].starts_with(' ');
        codes |= t.contains('[') && t.contains(']') && (line.starts_with('\t') || t.contains("_ "));
    }
    synonyms && codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_from, Format};

    fn read_all(data: &str, name: &str) -> Vec<Result<WatchlistEntry, KbError>> {
        read_from(data.as_bytes(), name, Format::Petrarch).collect()
    }

    fn role(code: &str, from: Option<&str>, to: Option<&str>) -> DatedRole {
        DatedRole {
            role: code.into(),
            from: from.map(Into::into),
            to: to.map(Into::into),
        }
    }

    const COUNTRIES: &str = "# header comment\n\
AFGHANISTAN_  [AFG]\n\
+AFGHAN_ \n\
+KABUL_\n\
+HELMAND # Other provinces\n\
\n\
VLADIMIR_PUTIN_  # CountryInfo.txt\n\
+VLADIMIR_VLADIMIROVICH_PUTIN_\n\
+PRESIDENT_PUTIN_\n\
\t[RUSELI 700101-990809]\n\
\t[RUSGOV 991231-080507]\n\
\t[RUSGOV >080508]\n\
\t[RUSELI]\n\
DMITRY_MEDVEDEV_  # CountryInfo.txt\n\
+MEDVEDEV\n\
DMITR_MEDVEDEV_  # CountryInfo.txt\n\
+DMITRI_MEDVEDEV_  \n\
\t[RUSGOV 051201-070228]\n\
\t[RUSGOV 051301-070228]\n\
AFGHAN_NATIONAL_SECURITY_FORCES\n\
+ANSF\n\
\t[AFGMIL]\n";

    #[test]
    fn reads_countries_dictionary() {
        let out = read_all(COUNTRIES, "Phoenix.Countries.actors.txt");
        let shown: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(e) => format!("{} {:?} {}", e.id, e.etype, e.name),
                Err(e) => format!("err {e}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "AFGHANISTAN Place Afghanistan",
                "VLADIMIR_PUTIN Person Vladimir Putin",
                "err Phoenix.Countries.actors.txt:line 19 (DMITR_MEDVEDEV): cannot read date restriction \"RUSGOV 051301-070228\": start date",
                "DMITRY_MEDVEDEV Person Dmitry Medvedev",
                "DMITR_MEDVEDEV Person Dmitr Medvedev",
                "AFGHAN_NATIONAL_SECURITY_FORCES Organization Afghan National Security Forces",
            ]
        );
        let ok: Vec<&WatchlistEntry> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok[0].aliases, ["Afghan", "Kabul", "Helmand"]);
        assert_eq!(ok[0].roles, [role("AFG", None, None)]);
        assert_eq!(
            ok[1].aliases,
            ["Vladimir Vladimirovich Putin", "President Putin"]
        );
        assert_eq!(
            ok[1].roles,
            [
                role("RUSELI", Some("1970-01-01"), Some("1999-08-09")),
                role("RUSGOV", Some("1999-12-31"), Some("2008-05-07")),
                role("RUSGOV", Some("2008-05-08"), None),
                role("RUSELI", None, None),
            ]
        );
        // Both Medvedev phrases get the codes that follow them, as in PETRARCH.
        assert_eq!(
            ok[2].roles,
            [role("RUSGOV", Some("2005-12-01"), Some("2007-02-28"))]
        );
        assert_eq!(ok[3].roles, ok[2].roles);
        assert_eq!(ok[3].aliases, ["Dmitri Medvedev"]);
    }

    #[test]
    fn reads_international_dictionary() {
        let data = "THE_UNITED_NATIONS_ [IGOUNO]\nUN_SECRETARY_GENERAL\n+UNSG\n\t[IGOUNO]\n\
KOFI_ANNAN_\t\n+KOFI_ATTA_ANNAN_\n\t[IGOUNO 970101-061231] \n\t[ELI]# IGOrulers.txt\n\
ABRAHAM_ABRAHAM_\t[IGOUNOREFHCR] #MleH 23 Jul 2009# NGO_Actors\n---STOP---\nIGNORED_ [X]\n";
        let out: Vec<_> = read_all(data, "Phoenix.International.actors.txt")
            .into_iter()
            .map(|r| r.expect("valid"))
            .collect();
        let names: Vec<_> = out.iter().map(|e| (e.name.as_str(), e.etype)).collect();
        assert_eq!(
            names,
            [
                ("The United Nations", EntityType::Organization),
                ("Un Secretary General", EntityType::Organization),
                ("Kofi Annan", EntityType::Person),
                ("Abraham Abraham", EntityType::Organization),
            ]
        );
        assert_eq!(
            out[2].roles,
            [
                role("IGOUNO", Some("1997-01-01"), Some("2006-12-31")),
                role("ELI", None, None)
            ]
        );
    }

    #[test]
    fn stray_lines_are_reported() {
        let out = read_all(
            "+ORPHAN\n\t[USA]\nGOOD_ [USA]\n\t[USAGOV 990101-980101]\n\t[USAGOV\n",
            "x.actors.txt",
        );
        let errs: Vec<String> = out
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errs,
            [
                "x.actors.txt:line 1: synonym before any actor",
                "x.actors.txt:line 2: code line before any actor",
                "x.actors.txt:line 4 (GOOD): cannot read date restriction \"USAGOV 990101-980101\": ends before it starts",
                "x.actors.txt:line 5 (GOOD): unclosed code bracket: \"[USAGOV\"",
            ]
        );
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 1);
    }

    #[test]
    fn dates() {
        assert_eq!(date("000507").as_deref(), Some("2000-05-07"));
        assert_eq!(date("510724").as_deref(), Some("1951-07-24"));
        assert_eq!(date("18970101").as_deref(), Some("1897-01-01"));
        assert_eq!(date("20120229").as_deref(), Some("2012-02-29"));
        assert_eq!(date("20100229"), None);
        assert_eq!(date("2004017").as_deref(), Some("2020-04-01"));
        assert_eq!(date("201005011").as_deref(), Some("2010-05-01"));
        assert_eq!(date("1920030320").as_deref(), Some("1920-03-03"));
        assert_eq!(date("20041"), None);
        assert_eq!(date("99999"), None);
    }

    #[test]
    fn sniffs() {
        assert!(looks_like(COUNTRIES));
        assert!(!looks_like("name,type,aliases\nfoo,person,bar\n"));
    }
}
