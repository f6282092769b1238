-- dossier store, schema 4: claims, what one sentence of one document says about its
-- mentions, as the fact stage reads it at ingest. Facts (corpus-level edges between
-- entities) and their evidence are rebuilt from the claims after every actor
-- resolution, so a merge or split of actors moves the facts with it.

CREATE TABLE claims (
    id              INTEGER PRIMARY KEY,
    doc_id          TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject         INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    predicate       TEXT NOT NULL,
    object          INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
    mode            TEXT,
    role            TEXT,
    when_value      TEXT,
    when_text       TEXT,
    when_precision  TEXT,
    place           INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    count           INTEGER,
    modality        TEXT NOT NULL,
    source          INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    source_text     TEXT,                     -- the source as written when it is no mention ("U.S. assessments")
    start           INTEGER NOT NULL,         -- evidence: the sentence, in chars
    end             INTEGER NOT NULL,
    trigger_start   INTEGER,                  -- the words that say it, in chars
    trigger_end     INTEGER,
    confidence      REAL NOT NULL
);
CREATE INDEX claims_doc ON claims(doc_id);

-- Where a fact's evidence points at its trigger words, and each fact's time for the timeline.
ALTER TABLE evidence ADD COLUMN trigger_start INTEGER;
ALTER TABLE evidence ADD COLUMN trigger_end INTEGER;
ALTER TABLE evidence ADD COLUMN confidence REAL;
ALTER TABLE evidence ADD COLUMN when_value TEXT;
ALTER TABLE facts ADD COLUMN n_evidence INTEGER NOT NULL DEFAULT 0;
CREATE INDEX facts_predicate ON facts(predicate);
CREATE INDEX facts_when ON facts(when_value);
CREATE INDEX evidence_source ON evidence(source_id);
