-- Desk sessions (only a digest of each token is kept) and who created each story, which
-- decides what reporters and contributors may edit.
CREATE TABLE sessions (
    token_digest TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

ALTER TABLE articles ADD COLUMN created_by_user_id INTEGER REFERENCES users(id);
