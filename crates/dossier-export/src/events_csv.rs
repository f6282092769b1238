//! events-csv: one row per piece of evidence of every event (the uppercase PLOVER
//! predicates), in columns after ACLED's: who did what to whom, when, where, how
//! sure, who says so, and the sentence.
//!
//! `date` is the evidence's own time where it gives one, else the fact's; `precision`
//! goes with it. `location` is the fact's place, else its object or subject when that is
//! a place with coordinates (as in the GeoJSON export). Names are in `actor1`, `actor2`,
//! `location` and `source`; the entity ids follow at the end of the row. Text fields are
//! on one line (whitespace runs as one space), so every row is one line.

use std::io::Write;

use dossier_store::Store;

use crate::common::{each_fact, is_event, located, one_line, precision_of, Index};
use crate::{ExportError, Written};

/// The columns, in order.
pub const EVENTS_CSV_COLUMNS: &[&str] = &[
    "event_id",
    "date",
    "precision",
    "type",
    "mode",
    "actor1",
    "actor2",
    "location",
    "lat",
    "lon",
    "count",
    "source",
    "modality",
    "evidence",
    "doc",
    "confidence",
    "fact_id",
    "actor1_id",
    "actor2_id",
    "location_id",
    "source_id",
    "start",
    "end",
];

/// Writes the events CSV (header first): rows ordered by fact id, then by evidence
/// (document path, position). `event_id` is the fact id, `-`, and the evidence's
/// 1-based number. `Written::facts` counts rows.
pub fn write_events_csv(store: &Store, out: &mut dyn Write) -> Result<Written, ExportError> {
    let index = Index::load(store)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EVENTS_CSV_COLUMNS)?;
    let mut written = Written::default();
    each_fact(store, |f| {
        if !is_event(&f.predicate) {
            return Ok(());
        }
        let place = located(&f, &index);
        let (lat, lon) = place.map_or((String::new(), String::new()), |(_, _, (lat, lon))| (lat.to_string(), lon.to_string()));
        let confidence = |c: f64| ((c * 1000.0).round() / 1000.0).to_string();
        for (i, e) in f.evidence.iter().enumerate() {
            let fact_when = f.when.as_ref();
            let (date, precision) = match (e.when_value.as_deref(), fact_when) {
                (Some(v), Some(w)) if v == w.value => (v.to_string(), w.precision.clone()),
                (Some(v), _) => (v.to_string(), precision_of(v).to_string()),
                (None, Some(w)) => (w.value.clone(), w.precision.clone()),
                (None, None) => (String::new(), String::new()),
            };
            let opt = |s: Option<&str>| s.map(one_line).unwrap_or_default();
            w.write_record([
                format!("{}-{}", f.id, i + 1),
                date,
                precision,
                f.predicate.clone(),
                opt(f.mode.as_deref()),
                one_line(index.name(&f.subject)),
                opt(f.object.as_deref().map(|o| index.name(o))),
                opt(place.map(|(_, n, _)| n.name.as_str())),
                lat.clone(),
                lon.clone(),
                f.count.map(|c| c.to_string()).unwrap_or_default(),
                opt(e.source.as_deref().map(|s| index.name(s))),
                e.modality.clone(),
                one_line(&e.text),
                e.doc_id.clone(),
                confidence(e.confidence),
                f.id.clone(),
                f.subject.clone(),
                f.object.clone().unwrap_or_default(),
                place.map(|(id, _, _)| id.to_string()).unwrap_or_default(),
                e.source.clone().unwrap_or_default(),
                e.start.to_string(),
                e.end.to_string(),
            ])?;
            written.facts += 1;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, NASTY_EVIDENCE};

    #[test]
    fn events_csv_parses_back_one_row_per_event_evidence() {
        let (store, da, db) = testdata::store();
        let mut out = Vec::new();
        let n = write_events_csv(&store, &mut out).unwrap();
        let text = std::str::from_utf8(&out).unwrap();
        let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, EVENTS_CSV_COLUMNS);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        // One line per row: no field holds a line break.
        assert_eq!(text.lines().count(), rows.len() + 1);
        assert_eq!(rows.len() as u64, n.facts);
        let col = |row: &csv::StringRecord, name: &str| row.get(EVENTS_CSV_COLUMNS.iter().position(|c| *c == name).unwrap()).unwrap().to_string();
        let ids: Vec<String> = rows.iter().map(|r| col(r, "event_id")).collect();
        // Only events (uppercase): f1 twice (two pieces of evidence), f12, f6, f7.
        assert_eq!(ids, ["f1-1", "f1-2", "f12-1", "f6-1", "f7-1"]);
        for row in &rows {
            assert_eq!(row.len(), EVENTS_CSV_COLUMNS.len());
            assert!(col(row, "type").chars().all(|c| c.is_ascii_uppercase()));
            let conf: f64 = col(row, "confidence").parse().unwrap();
            assert!((0.0..=1.0).contains(&conf));
        }
        let r0 = &rows[0];
        assert_eq!(col(r0, "date"), "2023-07-15");
        assert_eq!(col(r0, "precision"), "day");
        assert_eq!(col(r0, "mode"), "meeting");
        assert_eq!((col(r0, "actor1"), col(r0, "actor2")), ("Yevgeny Prigozhin".into(), "Alexander Lukashenko".into()));
        assert_eq!((col(r0, "location"), col(r0, "lat"), col(r0, "lon")), ("Minsk".into(), "53.9".into(), "27.5667".into()));
        assert_eq!(col(r0, "count"), "2");
        assert_eq!(col(r0, "source"), "CNN");
        assert_eq!(col(r0, "evidence"), one_line(NASTY_EVIDENCE));
        assert_eq!(col(r0, "doc"), da);
        let r1 = &rows[1];
        assert_eq!((col(r1, "date"), col(r1, "precision"), col(r1, "modality")), ("2023-08".into(), "month".into(), "alleged".into()));
        assert_eq!(col(r1, "doc"), db);
        // MOBILIZE has no second actor; its place is Russia; an interval keeps its value.
        let r6 = &rows[3];
        assert_eq!((col(r6, "actor2"), col(r6, "location"), col(r6, "date"), col(r6, "precision")), ("".into(), "Russia".into(), "2013/2014".into(), "year".into()));
        assert_eq!(col(r6, "actor1"), one_line(testdata::NASTY_NAME));
        // ASSAULT on Minsk is located by its object.
        assert_eq!(col(&rows[4], "location_id"), "e3");
    }
}
