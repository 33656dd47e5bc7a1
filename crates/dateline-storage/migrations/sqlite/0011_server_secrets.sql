-- Secrets every instance of the paper shares (the key that signs sign-in forms), made at
-- random the first time one is needed. Not part of the paper: never exported.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
