-- What the events list shows and filters on without opening every brief (issue E).
-- independent_sources and claims are copied from the event's brief when the event is saved; NULL for an
-- event saved before this migration until it is saved again (a brief is JSON, which portable SQL cannot
-- read).  last_published, filled in here for stored events, orders the list newest
-- first; it is the latest publication date among the event's documents.
ALTER TABLE events ADD COLUMN independent_sources INTEGER;
ALTER TABLE events ADD COLUMN claims INTEGER;
ALTER TABLE events ADD COLUMN last_published DATE;

CREATE INDEX events_newest ON events (last_published, updated_at);

UPDATE events SET last_published = (
    SELECT MAX(d.published) FROM event_segments s JOIN documents d ON d.id = s.doc_id WHERE s.event_id = events.id
);
