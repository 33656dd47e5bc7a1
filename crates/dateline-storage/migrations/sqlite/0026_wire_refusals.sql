-- Deliveries an agency made that the paper could not take (issue 21): kept a month so the
-- wire desk sees when a feed is failing. Not part of an archive (a running system's log).
CREATE TABLE wire_refusals (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES wire_sources(id) ON DELETE CASCADE,
    refused_at TEXT NOT NULL,
    delivery TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX wire_refusals_newest ON wire_refusals (refused_at DESC);
CREATE INDEX wire_refusals_of_source ON wire_refusals (source_id, refused_at DESC);
