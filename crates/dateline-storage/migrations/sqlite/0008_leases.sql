-- Leases on background jobs (scheduled publishing): with several instances on one database,
-- the holder of a job's lease does it until the lease runs out or is renewed.
CREATE TABLE leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
