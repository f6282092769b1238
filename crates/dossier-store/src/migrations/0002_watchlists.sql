-- dossier store, schema 2: watchlists imported with `dossier kb import`, and the
-- links from entities to their entries.

CREATE TABLE watchlist (
    source     TEXT NOT NULL,                 -- ofac-sdn, un-sc, ftm, petrarch, csv:<file>
    list_id    TEXT NOT NULL,                 -- the list's own id
    type       TEXT NOT NULL,                 -- person, organization, vessel, aircraft, place, other
    name       TEXT NOT NULL,
    aliases    TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
    roles      TEXT NOT NULL DEFAULT '[]',    -- JSON array of {role, from, to}
    countries  TEXT NOT NULL DEFAULT '[]',    -- JSON array
    programs   TEXT NOT NULL DEFAULT '[]',    -- JSON array
    notes      TEXT,
    PRIMARY KEY (source, list_id)
) WITHOUT ROWID;

CREATE TABLE entity_links (
    entity_id  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    list_id    TEXT NOT NULL,
    matched    TEXT NOT NULL,                 -- the name or alias that matched
    PRIMARY KEY (entity_id, source, list_id)
) WITHOUT ROWID;
