-- Webhooks: endpoints an admin registers, and one delivery row per event and endpoint,
-- written in the transaction of the change itself (so a crash loses none) and worked by one
-- instance under the `webhooks` lease, retried with growing pauses for more than a day.
CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    -- Event names, separated by commas.
    events TEXT NOT NULL,
    -- The signing secret (whsec_…); kept, since every signature needs it.
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
    -- The webhook-id header: the same on every attempt, so a receiver can drop duplicates.
    message_id TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    article_id INTEGER NOT NULL,
    article_version INTEGER NOT NULL,
    article_slug TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at TEXT,
    given_up_at TEXT,
    last_status INTEGER,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
