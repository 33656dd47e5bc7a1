-- Wire sources (agency feeds configured on the desk) and the items each delivered: the last
-- version taken, the story or photo made of it, and any newer version waiting for the desk.
CREATE TABLE wire_sources (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    token_digest TEXT,
    folder TEXT UNIQUE,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    publish_at_once INTEGER NOT NULL DEFAULT 0,
    agency_id INTEGER NOT NULL REFERENCES authors(id),
    created_at TEXT NOT NULL
);

CREATE TABLE wire_items (
    source_id INTEGER NOT NULL REFERENCES wire_sources(id),
    guid TEXT NOT NULL,
    version INTEGER NOT NULL,
    version_created TEXT,
    status TEXT NOT NULL CHECK (status IN ('usable', 'withheld', 'canceled')),
    embargo_until TEXT,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    taken_digest TEXT,
    pending_copy TEXT,
    note TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (source_id, guid)
);
CREATE INDEX wire_items_received ON wire_items(received_at DESC);
CREATE INDEX wire_items_article ON wire_items(article_id);
