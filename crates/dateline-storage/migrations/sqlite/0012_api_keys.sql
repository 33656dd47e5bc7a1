-- Keys for the write API. Each acts as a desk account of its own (a row in users with no
-- password, so it can never sign in), in the role it was made with, so the revision history
-- names the key; only the SHA-256 of the token is kept.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
    name TEXT NOT NULL UNIQUE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);
