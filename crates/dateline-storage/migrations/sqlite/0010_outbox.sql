-- The outbox: every change readers could see, written in the same transaction as the change
-- itself, so that its side effects (the CDN purge now; webhooks and newsletters next) are
-- never lost to a crash between the commit and the call. A leased background task works the
-- rows in order, retries failures with growing pauses, and marks each done.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    done_at TEXT
);
CREATE INDEX outbox_waiting ON outbox (next_attempt_at, id) WHERE done_at IS NULL;
