-- dossier store, schema 1. Offsets (start, end) count characters (Unicode scalar
-- values) from the start of documents.text, end exclusive: SQLite's substr() agrees.

CREATE TABLE documents (
    num         INTEGER PRIMARY KEY,          -- internal row number (FTS key)
    id          TEXT NOT NULL UNIQUE,         -- 'd' + 12 hex digits of sha256(text): stable for the same text
    source_key  TEXT NOT NULL UNIQUE,         -- where it came from: canonical path, path#line for JSONL, stdin:sha
    path        TEXT NOT NULL,                -- as given on the command line
    line        INTEGER,                      -- 1-based JSONL line, else NULL
    format      TEXT NOT NULL,                -- text, markdown, html, pdf, jsonl
    sha256      TEXT NOT NULL,
    title       TEXT,
    outlet      TEXT,
    published   TEXT,                         -- ISO 8601, partial allowed: '2023', '2023-07', '--07-15'
    url         TEXT,
    lang        TEXT,                         -- ISO 639-1 where it exists
    is_english  INTEGER NOT NULL,             -- later stages read only these
    n_chars     INTEGER NOT NULL,
    text        TEXT NOT NULL                 -- the original text; every offset points into it
);
CREATE INDEX documents_path ON documents(path, line);
CREATE INDEX documents_sha ON documents(sha256);

CREATE TABLE furniture (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    PRIMARY KEY (doc_id, start)
) WITHOUT ROWID;

CREATE TABLE sentences (
    id      INTEGER PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,                 -- 0-based order in the document
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    UNIQUE (doc_id, idx)
);

-- Graph tables, filled by the mention, actor and fact stages.
CREATE TABLE entities (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,                -- PERSON ORG GPE LOC FAC NORP PRODUCT
    name        TEXT NOT NULL,
    kind        TEXT,                         -- ORG kind: armed_group, government, ...
    lat         REAL,
    lon         REAL,
    country     TEXT,
    attributes  TEXT NOT NULL DEFAULT '{}'    -- JSON object
);

CREATE TABLE aliases (
    entity_id  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    norm       TEXT NOT NULL,                 -- normalised form used for matching
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_norm ON aliases(norm);

CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    entity_id  TEXT REFERENCES entities(id) ON DELETE SET NULL
);
CREATE INDEX mentions_doc ON mentions(doc_id, start);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE facts (
    id              TEXT PRIMARY KEY,
    subject         TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    predicate       TEXT NOT NULL,
    object          TEXT REFERENCES entities(id) ON DELETE CASCADE,
    mode            TEXT,
    role            TEXT,
    when_value      TEXT,
    when_text       TEXT,
    when_precision  TEXT,
    where_id        TEXT REFERENCES entities(id) ON DELETE SET NULL,
    count           INTEGER,
    confidence      REAL NOT NULL
);
CREATE INDEX facts_subject ON facts(subject);
CREATE INDEX facts_object ON facts(object);

CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    fact_id    TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    modality   TEXT NOT NULL,                 -- asserted alleged denied planned attempted possible negated
    source_id  TEXT REFERENCES entities(id) ON DELETE SET NULL
);
CREATE INDEX evidence_fact ON evidence(fact_id);
CREATE INDEX evidence_doc ON evidence(doc_id);

-- Full-text search (BM25) over documents and sentences; kept in step by triggers.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='num', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.num, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.num, coalesce(old.title, ''), old.text);
END;

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
