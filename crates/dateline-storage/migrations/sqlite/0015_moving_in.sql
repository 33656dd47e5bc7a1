-- Archives moved in (dateline import-wordpress): what each item of the old system became, so
-- that a second run of the same export changes nothing and a later export adds and updates
-- only what is new or changed.
CREATE TABLE imported_items (
    id INTEGER PRIMARY KEY,
    -- The system and site the item came from ("wordpress https://old.example").
    source TEXT NOT NULL,
    -- story, page, section, topic, author or photo.
    kind TEXT NOT NULL,
    -- The item's own key there: a post id, a category's nicename, an author's login.
    source_key TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    -- SHA-256 of the item as the export had it: unchanged, a later run leaves it alone.
    source_digest TEXT NOT NULL,
    -- SHA-256 of what Dateline wrote from it: when the story no longer matches, the desk
    -- edited it since, and a later export does not overwrite the edit.
    written_digest TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (source, kind, source_key)
);

-- Old addresses of moved-in items, answered with a 301 to where each lives now. They are
-- consulted only for an address Dateline itself has nothing at, so they never shadow its own.
CREATE TABLE legacy_paths (
    path TEXT PRIMARY KEY,
    -- story, page, section, topic, author, feed (the whole paper's) or section_feed.
    kind TEXT NOT NULL,
    target_id INTEGER,
    source TEXT NOT NULL
);
