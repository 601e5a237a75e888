-- Syndication lineage (issue C): per event, each document's role and what it derives from.
-- derives_from is a document of the same event, or NULL for an original or a rewrite of a wire
-- report that no stored document holds (then wire names the agency).
CREATE TABLE lineage (
    event_id     TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL REFERENCES documents (id),
    role         TEXT NOT NULL,
    derives_from TEXT REFERENCES documents (id),
    wire         TEXT,
    similarity   REAL NOT NULL,
    PRIMARY KEY (event_id, doc_id),
    CHECK (role IN ('original', 'copy', 'rewrite'))
);

CREATE INDEX lineage_doc ON lineage (doc_id);
