-- newscollate store, schema version 1: documents, their layers of spans, events and per-event briefs.
--
-- Portable SQL on purpose (SQLite now, PostgreSQL later, see issue F): only TEXT, INTEGER, DATE
-- and TIMESTAMP columns, composite natural keys instead of AUTOINCREMENT/SERIAL, no WITHOUT ROWID,
-- no INSERT OR REPLACE.  JSON lives in TEXT: SQLite has no JSON type (a column declared JSON would
-- get NUMERIC affinity and could turn '1' into 1); a PostgreSQL port may switch to JSONB.
-- Dates are ISO-8601 text in SQLite ('YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC),
-- which sort chronologically and are valid literals for PostgreSQL's DATE and TIMESTAMP.
-- Offsets are Python str indices (code points), named start_char/end_char as in spaCy; END is a
-- reserved word in both dialects.  One porting trap: PostgreSQL TEXT cannot hold NUL characters,
-- which SQLite stores (and Python decodes) without complaint.

-- One row per distinct text.  id is Document.id (content_id(text), short); content_hash is the
-- full SHA-256 of the UTF-8 text, so that a collision of the short id is detected instead of
-- silently dropping a different text.  chars is len(text): spans are checked against it without
-- reading the text (SQLite's length() stops at a NUL character).
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    path         TEXT NOT NULL,
    text         TEXT NOT NULL,
    chars        INTEGER NOT NULL CHECK (chars >= 0),
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    DATE,
    author       TEXT,
    ingested_at  TIMESTAMP NOT NULL
);

-- Documents are streamed in ingest order by keyset pagination over this index.
CREATE INDEX documents_ingest_order ON documents (ingested_at, path, id);

-- The layers a stage adds to a document (removed, segments, title, paragraphs).  seq keeps the
-- layer's order; data is Span.data as a JSON object, NULL when empty (most paragraphs).
CREATE TABLE spans (
    doc_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    layer      TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    data       TEXT,
    PRIMARY KEY (doc_id, layer, seq),
    CHECK (start_char >= 0 AND end_char >= start_char)
);

-- Events of the latest collation.  created_at survives a re-collation that finds the same event
-- (an event id is derived from its segments); updated_at is when it was last saved.
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    title      TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The passages of each document that report an event.
CREATE TABLE event_segments (
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    doc_id     TEXT NOT NULL REFERENCES documents (id),
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    PRIMARY KEY (event_id, seq),
    CHECK (start_char >= 0 AND end_char >= start_char)
);

CREATE INDEX event_segments_doc ON event_segments (doc_id);

-- One brief per event: the newscollate.brief/1 JSON restricted to that event, ready to render.
CREATE TABLE briefs (
    event_id   TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    schema_id  TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
