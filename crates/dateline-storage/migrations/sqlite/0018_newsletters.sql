-- Newsletters (issue 17): the lists, their editions, the confirmed readers and what each
-- was sent. An address is stored only once its owner confirmed it; a delivery row exists
-- once per (edition, subscriber) and is marked sent when the relay holds the whole message,
-- so nobody is sent one edition twice.
CREATE TABLE newsletters (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL,
    sender_address TEXT NOT NULL,
    -- "weekdays 07:00" in the paper's zone; none: sent by hand.
    schedule TEXT,
    -- home, section:N or by-hand.
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE newsletter_subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    confirmed_at TEXT NOT NULL,
    -- Permanent failures; the address is suppressed past the operator's limit.
    permanent_failures INTEGER NOT NULL DEFAULT 0,
    suppressed_at TEXT
);

CREATE TABLE newsletter_subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters(id),
    subscribed_at TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, newsletter_id)
);
CREATE INDEX newsletter_subscriptions_by_list ON newsletter_subscriptions (newsletter_id, subscriber_id);

CREATE TABLE newsletter_editions (
    id INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters(id),
    subject TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- Story numbers in order, separated by commas.
    story_ids TEXT NOT NULL DEFAULT '',
    -- draft, scheduled, sending, sent.
    state TEXT NOT NULL,
    send_at TEXT,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX newsletter_editions_due ON newsletter_editions (send_at) WHERE state = 'scheduled';
CREATE INDEX newsletter_editions_of ON newsletter_editions (newsletter_id, id);

CREATE TABLE newsletter_deliveries (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES newsletter_editions(id),
    subscriber_id INTEGER NOT NULL,
    -- The address when the edition started, so a later change or unsubscribe of the reader
    -- does not alter what the record says was sent.
    email TEXT NOT NULL,
    -- pending, sent, failed.
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT,
    UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX newsletter_deliveries_due ON newsletter_deliveries (next_attempt_at, id) WHERE state = 'pending';
