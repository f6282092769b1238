-- dossier store, schema 3: human judgements on actors (`dossier merge|split|distinct`),
-- honoured on every later resolution, in the order they were made.

CREATE TABLE judgements (
    id      INTEGER PRIMARY KEY,
    action  TEXT NOT NULL CHECK (action IN ('merge', 'split', 'distinct')),
    a       TEXT NOT NULL,                -- merge/distinct: first name; split: the entity
    b       TEXT NOT NULL,                -- merge/distinct: second name; split: the alias that leaves
    UNIQUE (action, a, b)
);
