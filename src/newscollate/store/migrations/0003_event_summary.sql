-- What the events list shows, filters and sorts on without grouping every event's segments or opening
-- every brief (issue E).  documents, first_published and last_published (the event's distinct documents
-- and their earliest and latest publication dates) are filled in here for stored events and written
-- with each event from then on.  independent_sources and claims are copied from the event's brief when
-- the event is saved; NULL for an event saved before this migration until it is saved again (a brief
-- is JSON, which portable SQL cannot read).
ALTER TABLE events ADD COLUMN documents INTEGER;
ALTER TABLE events ADD COLUMN first_published DATE;
ALTER TABLE events ADD COLUMN last_published DATE;
ALTER TABLE events ADD COLUMN independent_sources INTEGER;
ALTER TABLE events ADD COLUMN claims INTEGER;

UPDATE events SET
    documents = (SELECT COUNT(DISTINCT s.doc_id) FROM event_segments s WHERE s.event_id = events.id),
    first_published = (
        SELECT MIN(d.published) FROM event_segments s JOIN documents d ON d.id = s.doc_id WHERE s.event_id = events.id
    ),
    last_published = (
        SELECT MAX(d.published) FROM event_segments s JOIN documents d ON d.id = s.doc_id WHERE s.event_id = events.id
    );

-- The list is newest first; the outlet filter and the outlets page look documents up by source.
CREATE INDEX events_newest ON events (last_published, updated_at);
CREATE INDEX documents_source ON documents (source);
