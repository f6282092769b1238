//! Watchlists in: readers for the lists analysts already have, and a name index for
//! linking mentions to them.
//!
//! Five formats are read (see [`Format`]): the OFAC SDN CSV, the UN Security Council
//! consolidated list XML, FollowTheMoney entities as JSON lines (OpenSanctions),
//! PETRARCH / Phoenix actor dictionaries, and a plain CSV with a `name,type,aliases`
//! header. Every reader produces the same record, [`WatchlistEntry`].
//!
//! The key design decision: **readers stream and never abort on a bad record.**
//! [`read`] and [`read_from`] return an iterator of `Result<WatchlistEntry, KbError>`;
//! a malformed row, line or XML record becomes one `Err` naming the file and the line
//! (and the record id where one is known), and reading goes on with the next record
//! where the format allows it (a truncated XML file ends with one error). Memory is
//! bounded by one record: the 1.6 MB UN list is pulled event by event, never built
//! into a tree.
//!
//! Linking goes through [`KbIndex`]: names and aliases are normalised (NFKC, case
//! fold, diacritics and punctuation removed) and reduced to transliteration-tolerant
//! token keys, so "Yevgeny Prigozhin", "Evgeny Prigozhin" and "PRIGOZHIN, Yevgeniy
//! Viktorovich" meet. A lookup never matches on one shared token of a longer name.
//!
//! This crate does no other IO than opening the file handed to [`read`], and depends
//! on no other dossier crate.
#![deny(missing_docs)]

mod error;
mod ftm;
mod index;
mod normalize;
mod ofac;
mod petrarch;
mod plain_csv;
mod text;
mod un;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

pub use error::KbError;
pub use index::{KbIndex, Match, MatchKind};
pub use normalize::{name_tokens, normalize_name, token_key};

/// What kind of actor a watchlist entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A natural person (OFAC `individual`, UN `INDIVIDUAL`, FtM `Person`).
    Person,
    /// Any organisation: company, armed group, government body, party, ...
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// A country, region, city or other place.
    Place,
    /// The list does not say, or says something this crate does not map.
    Other,
}

impl EntityType {
    /// Reads a type as analysts write it (`person`, `PER`, `individual`, `org`,
    /// `company`, `vessel`, `GPE`, ...), case-insensitively; anything else is `Other`.
    pub fn parse_loose(s: &str) -> EntityType {
        match s.trim().to_lowercase().as_str() {
            "person" | "per" | "individual" | "people" | "human" => EntityType::Person,
            "organization" | "organisation" | "org" | "company" | "entity" | "group"
            | "armed_group" | "government" | "military" | "media" | "party" | "ngo"
            | "intergovernmental" | "publicbody" | "legal entity" => EntityType::Organization,
            "vessel" | "ship" | "boat" => EntityType::Vessel,
            "aircraft" | "airplane" | "plane" => EntityType::Aircraft,
            "place" | "gpe" | "loc" | "location" | "fac" | "facility" | "country" | "city"
            | "region" => EntityType::Place,
            _ => EntityType::Other,
        }
    }

    /// Whether an entry of type `self` may answer a query for type `other`: equal
    /// types, or either side `Other` (a list that does not say what something is).
    pub fn compatible(self, other: EntityType) -> bool {
        self == other || self == EntityType::Other || other == EntityType::Other
    }
}

/// A role or position held, with the validity interval where the list gives one.
///
/// Dates are ISO 8601 (`2000-05-07`) where the list's date could be read, else as
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatedRole {
    /// The role as the list writes it: a position ("Defense Minister"), a CAMEO code
    /// (`RUSGOV`), an OFAC title.
    pub role: String,
    /// First day the role holds, inclusive.
    pub from: Option<String>,
    /// Last day the role holds, inclusive.
    pub to: Option<String>,
}

impl DatedRole {
    /// A role without dates.
    pub fn undated(role: impl Into<String>) -> DatedRole {
        DatedRole {
            role: role.into(),
            from: None,
            to: None,
        }
    }
}

/// One record of a watchlist, whatever its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchlistEntry {
    /// Which list: `ofac-sdn`, `un-sc`, `ftm`, `petrarch`, or `csv:<file name>`.
    pub source: String,
    /// The list's own id: OFAC `ent_num`, UN `REFERENCE_NUMBER`, the FtM id, the
    /// PETRARCH primary phrase, the CSV `id` column (else `line:<n>`).
    pub id: String,
    /// What the entry names.
    pub etype: EntityType,
    /// The display name, in natural order ("Yevgeniy Viktorovich Prigozhin").
    pub name: String,
    /// Other names, as the list writes them (including the original form of `name`
    /// where it was reordered), without duplicates and without `name` itself.
    pub aliases: Vec<String>,
    /// Positions and codes held, with dates where the list gives them.
    pub roles: Vec<DatedRole>,
    /// Countries (nationality, citizenship, flag, jurisdiction, address country of an
    /// organisation), as written.
    pub countries: Vec<String>,
    /// Sanctions programmes or list types (`RUSSIA-EO14024`, `Al-Qaida`).
    pub programs: Vec<String>,
    /// Names or ids of linked entries ("Linked To:" in OFAC, vessel owners, FtM
    /// nested relations).
    pub links: Vec<String>,
    /// An ORG kind (`armed_group`, `company`, ...) where the list says so (plain CSV
    /// `kind` column); the values of ONTOLOGY.md are expected but not enforced.
    pub kind: Option<String>,
    /// Free text: OFAC remarks, UN comments, FtM notes and datasets, CSV `notes`.
    pub notes: Option<String>,
}

impl WatchlistEntry {
    /// An entry with only its identity filled in.
    pub fn new(
        source: impl Into<String>,
        id: impl Into<String>,
        etype: EntityType,
        name: impl Into<String>,
    ) -> WatchlistEntry {
        WatchlistEntry {
            source: source.into(),
            id: id.into(),
            etype,
            name: name.into(),
            aliases: Vec::new(),
            roles: Vec::new(),
            countries: Vec::new(),
            programs: Vec::new(),
            links: Vec::new(),
            kind: None,
            notes: None,
        }
    }

    /// The name followed by every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Adds an alias unless it is empty, equals the name or is already there.
    pub(crate) fn push_alias(&mut self, alias: &str) {
        let alias = alias.trim();
        if alias.is_empty() || alias == self.name || self.aliases.iter().any(|a| a == alias) {
            return;
        }
        self.aliases.push(alias.to_string());
    }

    /// Removes `name` from the aliases (after the name was set late) and duplicates.
    pub(crate) fn tidy(&mut self) {
        let name = self.name.clone();
        self.aliases.retain(|a| *a != name);
        dedup_keep_order(&mut self.aliases);
        dedup_keep_order(&mut self.countries);
        dedup_keep_order(&mut self.programs);
        dedup_keep_order(&mut self.links);
        let mut seen = Vec::new();
        self.roles.retain(|r| {
            if seen.contains(r) {
                false
            } else {
                seen.push(r.clone());
                true
            }
        });
    }
}

pub(crate) fn push_unique(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

fn dedup_keep_order(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|v| !v.trim().is_empty() && seen.insert(v.clone()));
}

/// A watchlist file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The US Treasury OFAC SDN list, `sdn.csv` layout (12 columns, no header, `-0-`
    /// for empty, aliases inside Remarks).
    OfacSdn,
    /// The UN Security Council consolidated list XML (`CONSOLIDATED_LIST`).
    UnSc,
    /// FollowTheMoney entities, one JSON object a line (OpenSanctions exports).
    Ftm,
    /// A PETRARCH / TABARI actor dictionary (`*.actors.txt`).
    Petrarch,
    /// A CSV with a header holding at least `name`; also `type`, `aliases`, `id`,
    /// `country`, `kind`, `notes`.
    PlainCsv,
}

impl Format {
    /// Every format, in the order [`sniff`] tries them.
    pub const ALL: [Format; 5] = [
        Format::UnSc,
        Format::Ftm,
        Format::Petrarch,
        Format::OfacSdn,
        Format::PlainCsv,
    ];

    /// The short name used on the command line and as the `source` of entries
    /// (`csv` for the plain CSV, whose entries say `csv:<file name>`).
    pub fn name(self) -> &'static str {
        match self {
            Format::OfacSdn => "ofac-sdn",
            Format::UnSc => "un-sc",
            Format::Ftm => "ftm",
            Format::Petrarch => "petrarch",
            Format::PlainCsv => "csv",
        }
    }

    /// The format whose [`Format::name`] is `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Guesses the format of a file from its name and its first bytes (`head`: a few KB
/// are plenty). `None` when nothing fits; the caller then asks the user.
pub fn sniff(path: &Path, head: &[u8]) -> Option<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let text = text::decode(head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('<') {
        return (body.contains("<CONSOLIDATED_LIST") || body.contains("<INDIVIDUAL"))
            .then_some(Format::UnSc);
    }
    if body.starts_with('{') {
        let first = body.lines().next().unwrap_or_default();
        return (first.contains("\"schema\"")
            || matches!(ext.as_str(), "jsonl" | "ftm" | "ndjson"))
        .then_some(Format::Ftm);
    }
    if file_name.to_ascii_lowercase().ends_with(".actors.txt") || petrarch::looks_like(&text) {
        return Some(Format::Petrarch);
    }
    if ext == "csv" || ext == "tsv" || ext == "txt" || ext.is_empty() {
        let first = body.lines().next().unwrap_or_default();
        if ofac::looks_like(first) {
            return Some(Format::OfacSdn);
        }
        if plain_csv::looks_like(first) {
            return Some(Format::PlainCsv);
        }
    }
    None
}

/// The entries of one watchlist, read lazily. Each item is one entry or one error
/// naming the file and the line or record; reading continues after an error where
/// the format allows it.
pub struct Entries<R: BufRead> {
    inner: Inner<R>,
}

enum Inner<R: BufRead> {
    Ofac(ofac::OfacReader<R>),
    Un(un::UnReader<R>),
    Ftm(ftm::FtmReader<R>),
    Petrarch(petrarch::PetrarchReader<R>),
    Csv(plain_csv::CsvReader<R>),
}

impl<R: BufRead> Iterator for Entries<R> {
    type Item = Result<WatchlistEntry, KbError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Ofac(r) => r.next(),
            Inner::Un(r) => r.next(),
            Inner::Ftm(r) => r.next(),
            Inner::Petrarch(r) => r.next(),
            Inner::Csv(r) => r.next(),
        }
    }
}

/// Opens `path` and reads it as `format`. Fails only when the file cannot be opened;
/// everything else is reported by the iterator.
pub fn read(path: &Path, format: Format) -> Result<Entries<BufReader<File>>, KbError> {
    let file = File::open(path).map_err(|source| KbError::Io {
        file: path.display().to_string(),
        source,
    })?;
    let name = path.display().to_string();
    Ok(read_from(BufReader::new(file), &name, format))
}

/// Reads `reader` as `format`. `file` names the input in errors; its last path
/// component names a plain CSV list (`csv:<file name>`).
pub fn read_from<R: BufRead>(reader: R, file: &str, format: Format) -> Entries<R> {
    let inner = match format {
        Format::OfacSdn => Inner::Ofac(ofac::OfacReader::new(reader, file)),
        Format::UnSc => Inner::Un(un::UnReader::new(reader, file)),
        Format::Ftm => Inner::Ftm(ftm::FtmReader::new(reader, file)),
        Format::Petrarch => Inner::Petrarch(petrarch::PetrarchReader::new(reader, file)),
        Format::PlainCsv => Inner::Csv(plain_csv::CsvReader::new(reader, file)),
    };
    Entries { inner }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sniffs_formats() {
        let cases: [(&str, &str, Option<Format>); 8] = [
            ("sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", Some(Format::OfacSdn)),
            ("list.xml", "<?xml version=\"1.0\"?><CONSOLIDATED_LIST><INDIVIDUALS>", Some(Format::UnSc)),
            ("other.xml", "<?xml version=\"1.0\"?><rss>", None),
            ("e.json", "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {}}\n", Some(Format::Ftm)),
            ("my.csv", "name,type,aliases\nWagner Group,org,PMC Wagner\n", Some(Format::PlainCsv)),
            ("Phoenix.MilNonState.actors.txt", "# comment\n", Some(Format::Petrarch)),
            ("dict.txt", "HAMAS_ [PSEREB]\n+ISLAMIC_RESISTANCE_MOVEMENT_\n", Some(Format::Petrarch)),
            ("notes.txt", "just some text\n", None),
        ];
        for (name, head, want) in cases {
            assert_eq!(sniff(Path::new(name), head.as_bytes()), want, "{name}");
        }
    }

    #[test]
    fn csv_lines_count_blank_and_crlf_lines() {
        let data = "name,type\r\n\r\nA,person\r\n\r\n\r\n,org\r\n\"B\r\nC\",org\r\n,org\r\n";
        let lines: Vec<Option<u64>> = read_from(data.as_bytes(), "x.csv", Format::PlainCsv)
            .filter_map(Result::err)
            .map(|e| e.line())
            .collect();
        assert_eq!(lines, [Some(6), Some(7), Some(9)]);
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
    }

    fn drain(data: &[u8], format: Format) -> usize {
        read_from(data, "fuzz", format).take(100_000).count()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn readers_never_panic_on_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            for f in Format::ALL {
                drain(&data, f);
            }
        }

        #[test]
        fn readers_never_panic_on_near_valid_text(
            lines in proptest::collection::vec("[a-zA-Z0-9 ,;|\"'{}\\[\\]:+#_<>/.\\-\t\n-]{0,60}", 0..12),
        ) {
            let mut text = String::from("name,type,aliases\n");
            text.push_str(&lines.join("\n"));
            drain(text.as_bytes(), Format::PlainCsv);
            drain(text.as_bytes(), Format::OfacSdn);
            drain(text.as_bytes(), Format::Petrarch);
            let json: String = lines.iter().map(|l| format!("{{\"id\": \"{l}\", \"schema\": \"Person\", \"properties\": {{\"name\": [{l}]}}}}\n")).collect();
            drain(json.as_bytes(), Format::Ftm);
            drain(lines.join("").as_bytes(), Format::Ftm);
            let xml = format!("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>{}</FIRST_NAME>", lines.join("<"));
            drain(xml.as_bytes(), Format::UnSc);
        }

        #[test]
        fn ftm_values_of_any_shape_never_panic(v in arb_json()) {
            let line = serde_json::json!({"id": "x", "schema": "Person", "properties": {"name": v.clone(), "alias": v.clone(), "sanctions": v.clone(), "positionOccupancies": [{"schema": "Occupancy", "properties": {"post": v.clone(), "startDate": v.clone()}}]}, "datasets": v});
            drain(line.to_string().as_bytes(), Format::Ftm);
        }

        #[test]
        fn lookup_never_panics(names in proptest::collection::vec("\\PC{0,30}", 1..8), query in "\\PC{0,30}") {
            let entries = names.iter().enumerate().map(|(i, n)| WatchlistEntry::new("t", i.to_string(), if i % 2 == 0 { EntityType::Person } else { EntityType::Organization }, n.clone()));
            let index = KbIndex::build(entries);
            for etype in [EntityType::Person, EntityType::Organization, EntityType::Other] {
                let _ = index.lookup(&query, etype);
            }
            for n in &names {
                // A name always finds its own entry unless it normalises to nothing or
                // is one common word.
                let _ = index.lookup(n, EntityType::Other);
            }
        }
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "\\PC{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    "[a-z]{1,8}|id|schema|properties|name|program",
                    inner,
                    0..4
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
