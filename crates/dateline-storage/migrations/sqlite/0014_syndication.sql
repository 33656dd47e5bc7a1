-- Syndication: partners (other papers, aggregators) who take the paper's stories, by pull
-- from /api/v1/syndication/{partner} or by push through a webhook endpoint of their own.
CREATE TABLE syndication_partners (
    id INTEGER PRIMARY KEY,
    -- In the pull address: /api/v1/syndication/{slug}.
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- SHA-256 of the pull token (hex); the token itself is shown once.
    token_digest TEXT NOT NULL UNIQUE,
    -- Section and topic ids, separated by commas; both empty means the whole paper.
    section_ids TEXT NOT NULL DEFAULT '',
    topic_ids TEXT NOT NULL DEFAULT '',
    -- 1 when the partner may receive copy before its embargo lifts (with the embargo in it).
    embargoed_copy INTEGER NOT NULL DEFAULT 0,
    -- ninjs-2.2 or newsml-g2: what a push carries (a pull asks for either).
    format TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- A partner's push goes through the webhook outbox: its endpoint names the partner and the
-- bearer token the partner's ingest expects (kept, since every push sends it).
ALTER TABLE webhook_endpoints ADD COLUMN partner_id INTEGER REFERENCES syndication_partners(id);
ALTER TABLE webhook_endpoints ADD COLUMN bearer_token TEXT;

-- Only photos the desk has marked as cleared for others to republish travel to partners.
ALTER TABLE media ADD COLUMN redistributable INTEGER NOT NULL DEFAULT 0;

-- When a partner without embargoed copy may first take a story's current version: the later
-- of its last change and its release (first publication, embargo). The pull feed of such a
-- partner runs in this order, so a story whose embargo lifts later still reaches it then.
ALTER TABLE articles ADD COLUMN offered_at TEXT;
UPDATE articles SET offered_at = MAX(modified_at, COALESCE(embargo_until, modified_at), COALESCE(first_published_at, modified_at));
CREATE INDEX articles_offered ON articles (offered_at, id);
CREATE INDEX articles_modified ON articles (modified_at, id);
